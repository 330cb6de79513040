#!/bin/sh
# transports: tcp
# /metrics on the daemon's HTTP listener: a live scrape passes
# `promtool check metrics`, and its values are those of `treadctl -j
# status` (the same snapshot); a stop is counted by cause and a session by
# outcome.  The listener is off without http.listen; a bad one is refused
# with file:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fleetlib.sh"
command -v promtool >/dev/null || fail "promtool is missing (scripts/deps.sh)"

start_sim
write_conf
HP=$(free_port)
cp "$T/treadmilld.conf" "$T/plain.conf"
echo "http = { listen = \"127.0.0.1:$HP\"; max_connections = 4; timeout_s = 2; };" \
    >>"$T/treadmilld.conf"

# A listen address that is not one: refused, at its line.
cp "$T/plain.conf" "$T/bad.conf"
printf 'http = {\n  listen = "8080";\n};\n' >>"$T/bad.conf"
line=$(($(wc -l <"$T/plain.conf") + 2))
out=$("$BIN/treadmilld" -n -c "$T/bad.conf" 2>&1) && fail "bad listen accepted"
echo "$out" | grep -q "bad.conf:$line: http listen" ||
    fail "bad listen not reported at bad.conf:$line: $out"

start_daemon
http_get "http://127.0.0.1:$HP/metrics" >"$T/m0" || fail "no /metrics"
promtool check metrics <"$T/m0" >"$T/promtool.out" 2>&1 ||
    { cat "$T/promtool.out"; fail "promtool rejects an idle scrape"; }
metric "$T/m0" 'treadmill_state{state="idle"}' >/dev/null ||
    fail "idle state missing"

start_running 3
# Ticks and transactions: the scrape lies between two status snapshots.
s1=$(ctl -j status)
http_get "http://127.0.0.1:$HP/metrics" >"$T/m1"
s2=$(ctl -j status)
promtool check metrics <"$T/m1" >"$T/promtool.out" 2>&1 ||
    { cat "$T/promtool.out"; fail "promtool rejects a running scrape"; }
field() { echo "$1" | tr ',{}' '\n\n\n' | sed -n "s/^\"$2\"://p"; }
between() {
	awk -v a="$1" -v m="$2" -v b="$3" 'BEGIN { exit !(a <= m && m <= b) }' ||
	    fail "$4: metrics say $2, status $1 then $3"
}
between "$(field "$s1" ticks)" "$(metric "$T/m1" treadmill_ticks_total)" \
    "$(field "$s2" ticks)" ticks
between "$(field "$s1" transactions)" \
    "$(metric "$T/m1" treadmill_modbus_transactions_total)" \
    "$(field "$s2" transactions)" transactions
ticks=$(metric "$T/m1" treadmill_tick_period_seconds_count)
[ "$ticks" -ge 20 ] || fail "tick histogram counts $ticks ticks"

# Stopped and still: every value is steady and must be equal.
ctl stop >/dev/null
wait_for 10 "belt at rest" sim_le speed 0
at_rest() { awk -v v="$(status_field belt_kmh)" 'BEGIN { exit !(v == 0) }'; }
wait_for 10 "status at rest" at_rest
http_get "http://127.0.0.1:$HP/metrics" >"$T/m2"
s=$(ctl -j status)
same() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.001 && d > -0.001) }' ||
	    fail "$3: metrics say $1, status $2"
}
same "$(metric "$T/m2" treadmill_belt_speed_kmh)" "$(field "$s" belt_kmh)" belt
same "$(metric "$T/m2" treadmill_cap_speed_kmh)" "$(field "$s" cap_kmh)" cap
same "$(metric "$T/m2" treadmill_incline_percent)" "$(field "$s" incline_pct)" incline
same "$(metric "$T/m2" treadmill_heart_rate_bpm)" "$(field "$s" hr_bpm)" hr
same "$(metric "$T/m2" treadmill_modbus_failures_total)" "$(field "$s" failures)" failures
same "$(metric "$T/m2" treadmill_history_spooled_rows)" "$(field "$s" history_spooled)" spool
metric "$T/m2" 'treadmill_state{state="stopped"}' >/dev/null || fail "not stopped"
[ "$(metric "$T/m2" 'treadmill_stops_total{cause="software stop"}')" = 1 ] ||
    fail "the stop is not counted once"
ctl end >/dev/null
wait_for 10 "session over" status_is session idle
http_get "http://127.0.0.1:$HP/metrics" >"$T/m3"
[ "$(metric "$T/m3" 'treadmill_sessions_total{outcome="safety stop"}')" = 1 ] ||
    { grep sessions_total "$T/m3"; fail "the session is not counted by outcome"; }
# No runner's id unless the site allows it.
grep -q 'runner=' "$T/m3" && fail "the runner's id is in the metrics"

# Anything else is 404; a POST is refused; a huge header is refused.
python3 - "$HP" <<'PY' || fail "the listener's limits"
import sys, urllib.request, urllib.error
base = "http://127.0.0.1:%s" % sys.argv[1]
def code(req):
    try:
        return urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return -1
assert code(base + "/nothing") == 404
assert code(urllib.request.Request(base + "/metrics", data=b"x")) in (405, 501)
r = code(urllib.request.Request(base + "/metrics", headers={"X-Big": "a" * 20000}))
assert r in (400, 413, 431, -1), r
PY
# Clients that connect and say nothing, or half a request: the cap
# (4) turns the next away, the belt ticks on, and once the timeout (2 s)
# has closed them a scrape works again.
python3 - "$HP" <<'PY' || fail "the connection cap"
import socket, sys, time
port = int(sys.argv[1])
idle = []
for i in range(4):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if i % 2:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    idle.append(s)
time.sleep(0.3)  # let the daemon accept them
extra = socket.create_connection(("127.0.0.1", port), timeout=5)
extra.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
try:
    got = extra.recv(100)
except ConnectionResetError:
    got = b""
assert got == b"", got
PY
wait_writes 20
wait_for 10 "a scrape after the idle clients timed out" \
    http_get "http://127.0.0.1:$HP/metrics"
grep -q "http: more than 4 connections" "$T/daemon.log" ||
    fail "refusing a connection was not logged"

# The belt kept ticking through all of it.
wait_writes 20
kill -0 "$DAEMON_PID" || fail "daemon died"
pass
