#!/bin/sh
# transports: tcp
# MQTT to a real broker (mosquitto on a free loopback port): the state
# once a second, session and stop events, the retained availability and
# Home Assistant discovery.  The broker is killed mid-session: the belt
# goes on (the drive sees its writes with no gap that would trip its
# watchdog; RUN stays 1), and when the broker is back the daemon
# reconnects and events flow again.  While it is away at most queue_max
# events wait; the rest are dropped and counted.  A bad topic_prefix is
# refused at its line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fleetlib.sh"
command -v mosquitto >/dev/null || fail "mosquitto is missing (scripts/deps.sh)"

start_broker
start_sim
write_conf
cp "$T/treadmilld.conf" "$T/bad.conf"
printf 'mqtt = {\n  host = "127.0.0.1";\n  topic_prefix = "gym/#";\n};\n' >>"$T/bad.conf"
line=$(($(wc -l <"$T/treadmilld.conf") + 3))
out=$("$BIN/treadmilld" -n -c "$T/bad.conf" 2>&1) && fail "bad topic_prefix accepted"
echo "$out" | grep -q "bad.conf:$line: mqtt topic_prefix" ||
    fail "bad topic_prefix not reported at bad.conf:$line: $out"
HP=$(free_port)
cat >>"$T/treadmilld.conf" <<EOC
mqtt = { host = "127.0.0.1"; port = $MQ_PORT; topic_prefix = "gym";
  reconnect_max_s = 1; queue_max = 10; };
http = { listen = "127.0.0.1:$HP"; };
EOC
start_daemon

# sub FILE: every message under gym/ and the discovery, with topics.
sub() {
	mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -v -t 'gym/#' \
	    -t 'homeassistant/#' >>"$1" 2>/dev/null &
	SUB_PID=$!
	PIDS="$PIDS $SUB_PID"
}
sub "$T/mq1"
wait_for 10 "the state" grep -q '^gym/tm-test/state {"state":"idle"' "$T/mq1"
wait_for 5 "online, retained" grep -qx 'gym/tm-test/availability online' "$T/mq1"
for s in speed incline heart_rate state; do
	wait_for 5 "discovery of $s" grep -q \
	    "^homeassistant/sensor/tm-test/$s/config {.*\"state_topic\":\"gym/tm-test/state\"" "$T/mq1"
done
start_running 3
wait_for 5 "session_start" grep -q '"event":"session_start","workout":"guest"' "$T/mq1"
grep -q '"runner"' "$T/mq1" && fail "the runner's id left without share_runner"
# The state is the status snapshot's: the fields treadmilld.conf(5)
# lists, in that order, the numbers rounded as treadctl -j status has
# them.
wait_for 10 "three running states" sh -c \
    "[ \$(grep -c '^gym/tm-test/state {\"state\":\"running\"' '$T/mq1') -ge 3 ]"
out=$(python3 - "$T/mq1" 2>&1 <<'PY'
import json, sys
want = ["state", "session", "workout", "belt_kmh", "cap_kmh",
        "incline_pct", "hr_bpm", "run", "elapsed_s", "distance_m",
        "connected"]
scale = {"belt_kmh": 100, "cap_kmh": 100, "incline_pct": 10,
         "elapsed_s": 10, "distance_m": 10}
for line in open(sys.argv[1]):
    topic, _, payload = line.rstrip("\n").partition(" ")
    if topic != "gym/tm-test/state":
        continue
    o = json.loads(payload)
    if list(o) != want:
        sys.exit("fields %s" % list(o))
    for k, s in scale.items():
        if abs(o[k] * s - round(o[k] * s)) > 1e-6:
            sys.exit("%s is %r: not as status rounds it" % (k, o[k]))
PY
) || fail "the state message is not the status snapshot's: $out"

# The broker dies mid-session.
stop_broker
t0=$(awk 'END { print substr($1, 3) }' "$T/sim.log")
wait_writes 60
[ "$(sim_state run)" = 1 ] || fail "RUN dropped while the broker was away"
# Fifteen reloads are fifteen events: ten are held, five are dropped;
# once back, the ten (and availability and discovery) go out.
wait_for 10 "the daemon to see the broker gone" sh -c \
    "python3 -c 'import urllib.request; print(urllib.request.urlopen(\"http://127.0.0.1:$HP/metrics\").read().decode())' | grep -qx 'treadmill_mqtt_connected 0'"
for i in $(seq 15); do
	kill -HUP "$DAEMON_PID"
	wait_for 5 "reload $i" sh -c "[ \$(grep -c 'configuration reloaded' '$T/daemon.log') -ge $i ]"
done
http_get "http://127.0.0.1:$HP/metrics" >"$T/m1"
pending=$(metric "$T/m1" treadmill_mqtt_pending_messages)
dropped=$(metric "$T/m1" treadmill_mqtt_dropped_total)
[ "$pending" -eq 10 ] || fail "$pending events wait, queue_max is 10"
awk -v d="$dropped" 'BEGIN { exit !(d >= 5) }' ||
    fail "only $dropped messages counted as dropped"
start_broker
: >"$T/mq2"
sub "$T/mq2"
wait_for 15 "the daemon back online" grep -qx 'gym/tm-test/availability online' "$T/mq2"
wait_for 5 "state again" grep -q '^gym/tm-test/state {"state":"running"' "$T/mq2"
pending_zero() {
	http_get "http://127.0.0.1:$HP/metrics" >"$T/m2" &&
	    [ "$(metric "$T/m2" treadmill_mqtt_pending_messages)" = 0 ]
}
wait_for 10 "the waiting events acknowledged" pending_zero
sent=$(($(metric "$T/m2" treadmill_mqtt_published_total) - $(metric "$T/m1" treadmill_mqtt_published_total)))
[ "$sent" -ge 15 ] || fail "only $sent messages sent after the reconnection"
[ "$(sim_state run)" = 1 ] || fail "RUN dropped while the broker came back"
ctl stop >/dev/null
wait_for 5 "the stop event after the restart" grep -q \
    '"event":"stop","causes":\["software stop"\]' "$T/mq2"

# The belt never missed a beat: RUN=1 writes until the stop, no gap over
# the drive's watchdog (500 ms), no watchdog stop.
gap=$(awk -v t0="$t0" '/ ev=write / { t = substr($1, 3) + 0;
    if (t >= t0 && p && t - p > m) m = t - p; p = t }
    END { printf "%d", m * 1000 }' "$T/sim.log")
[ "$gap" -lt 250 ] || fail "a ${gap} ms gap between writes while the broker was away"
grep -q "ev=watchdog" "$T/sim.log" && fail "the drive's watchdog fired"
grep -q "STOP: drive watchdog\|STOP: comm" "$T/daemon.log" && fail "the belt stopped"
echo "longest gap between drive writes during the outage: ${gap} ms"
pass
