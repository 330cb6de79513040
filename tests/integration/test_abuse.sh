#!/bin/sh
# Local users misusing the control socket while the belt runs: several
# clients pipelining requests, a client that never reads its replies, a
# flood of connections against a low open-file limit, and a drive link
# that drops during the flood.  The tick holds (no gap in the writes the
# drive's watchdog would notice), the daemon's memory stays bounded, the
# drive link reopens, and other clients get answers once the flood ends.
. "$(dirname "$0")/lib.sh"
skip_unless_root_nobody

start_sim
write_conf
# The socket's group lets nobody (group nogroup) connect, as the console.
sed -i "s|^control = .*|control = { socket = \"$T/ctl.sock\"; group = \"nogroup\"; max_clients = 16; idle_timeout_s = 3; max_output_kb = 64; };|" \
    "$T/treadmilld.conf"
grep -q "max_clients = 16" "$T/treadmilld.conf" || fail "config not rewritten"
chmod 0755 "$T"
# 64 descriptors: the 200 connections below would exhaust them.
DAEMON_WRAPPER="prlimit --nofile=64:64"
start_daemon
start_running 4

cat >"$T/client.py" <<'EOF'
import os, select, socket, sys, time

path, mode = sys.argv[1], sys.argv[2]

def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s

def statuses(data):
    return sum(1 for l in data.split(b"\n") if l.startswith((b"ok", b"error:")))

if mode == "pipeline":          # N clients, M requests each, all at once
    n, m = int(sys.argv[3]), int(sys.argv[4])
    socks = [conn() for _ in range(n)]
    for s in socks:
        s.sendall(b"status\n" * m)
    got = {s: b"" for s in socks}
    end = time.time() + 30
    while time.time() < end and any(statuses(got[s]) < m for s in socks):
        r, _, _ = select.select(socks, [], [], 1)
        for s in r:
            d = s.recv(65536)
            if not d:
                sys.exit("a pipelining client was disconnected")
            got[s] += d
    oks = [sum(1 for l in got[s].split(b"\n") if l.startswith(b"ok"))
           for s in socks]
    print(" ".join(map(str, oks)))
elif mode == "noread":          # 1 MB of requests, never a byte read
    s = conn()
    try:
        s.sendall(b"help\n" * 200000)
        s.settimeout(20)
        while s.send(b"help\n"):
            time.sleep(0.01)
    except OSError:
        pass
    print("dropped")
elif mode == "flood":           # hold N connections until told to stop
    n, ready, stop = int(sys.argv[3]), sys.argv[4], sys.argv[5]
    socks = [conn() for _ in range(n)]
    time.sleep(0.5)
    held, refused = [], 0
    for s in socks:
        r, _, _ = select.select([s], [], [], 0)
        if r and b"too many connections" in s.recv(4096):
            refused += 1
            s.close()
        else:
            held.append(s)
    with open(ready + ".tmp", "w") as f:
        f.write("held=%d refused=%d\n" % (len(held), refused))
    os.rename(ready + ".tmp", ready)
    end = time.time() + 60
    while not os.path.exists(stop) and time.time() < end:
        for s in held:          # stay busy: no idle timeout
            s.sendall(b"help\n")
        for s in held:
            s.recv(65536)
        time.sleep(0.5)
EOF
# The system's interpreter: a per-user one may be out of nobody's reach.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$DAEMON_PID/status"; }
# max_gap T0 T1: the longest time between two tick writes in [T0, T1].
max_gap() {
	awk -v a="$1" -v b="$2" '/ ev=write fc=23 / {
	    t = substr($1, 3) + 0
	    if (t < a || t > b) next
	    if (p && t - p > g) g = t - p
	    p = t } END { printf "%.3f\n", g }' "$T/sim.log"
}

rss0=$(rss_kb)
t0=$(sim_state t)

# Six clients pipelining 300 requests each: all answered, none dropped.
oks=$(asnobody "$PY" "$T/client.py" "$T/ctl.sock" pipeline 6 300) ||
    fail "pipelining clients: $oks"
[ "$oks" = "300 300 300 300 300 300" ] || fail "pipelined answers: $oks"

# A client that never reads is dropped, and logged once.
out=$(asnobody timeout 30 "$PY" "$T/client.py" "$T/ctl.sock" noread) ||
    fail "non-reading client not dropped"
[ "$(grep -c "does not read its replies" "$T/daemon.log")" = 1 ] ||
    fail "dropping the non-reading client not logged exactly once"
rss1=$(rss_kb)
[ $((rss1 - rss0)) -lt 32768 ] ||
    fail "daemon grew from ${rss0} kB to ${rss1} kB"

# 200 connections against max_clients 16 and 64 descriptors.
mkdir "$T/fl" && chmod 0777 "$T/fl"
asnobody "$PY" "$T/client.py" "$T/ctl.sock" flood 200 "$T/fl/ready" \
    "$T/fl/stop" >"$T/fl/out" 2>&1 &
FLOOD=$!
PIDS="$PIDS $FLOOD"
wait_for 30 "connection flood in place" test -e "$T/fl/ready"
held=$(sed -n 's/^held=\([0-9]*\).*/\1/p' "$T/fl/ready")
[ "$held" -le 16 ] || fail "more than max_clients held: $(cat "$T/fl/ready")"
[ "$held" -ge 1 ] || fail "no connection held: $(cat "$T/fl/ready")"
t1=$(sim_state t)
[ "$(sim_state watchdog)" = 0 ] || fail "the drive's watchdog tripped"
gap=$(max_gap "$t0" "$t1")
echo "longest tick gap under abuse: ${gap}s; RSS ${rss0} -> ${rss1} kB"
awk -v g="$gap" 'BEGIN { exit !(g < 0.4) }' ||
    fail "the tick stalled for ${gap}s under abuse"
[ "$(grep -c "connection refused" "$T/daemon.log")" -le 2 ] ||
    fail "refused connections logged in a loop"
[ "$(grep -c "Too many open files" "$T/daemon.log")" -le 2 ] ||
    fail "accept errors logged in a loop"
[ "$(sim_state speed)" != "0.00" ] || fail "the belt stopped under abuse"
rss2=$(rss_kb)
[ $((rss2 - rss0)) -lt 32768 ] ||
    fail "daemon grew from ${rss0} kB to ${rss2} kB during the flood"

# The drive link drops while the flood holds: it must reopen.
r0=$(grep -c "drive reconnected" "$T/daemon.log" || true)
sim misbehave garbage >/dev/null
wait_for 5 "link failure noticed" sh -c \
    "[ \$(grep -c 'drive tcp' '$T/daemon.log') -ge 1 ]"
sim misbehave none >/dev/null
wait_for 10 "drive link reopened during the flood" sh -c \
    "[ \$(grep -c 'drive reconnected' '$T/daemon.log') -gt $r0 ]"
wait_writes 10
kill -0 "$FLOOD" || fail "the flood ended early: $(cat "$T/fl/out")"

# The flood ends: everyone else is answered again.
touch "$T/fl/stop"
wait "$FLOOD" || true
wait_for 10 "answers after the flood" sh -c \
    "'$BIN/treadctl' -s '$T/ctl.sock' status >/dev/null"
asnobody "$BIN/treadctl" -s "$T/ctl.sock" status >/dev/null ||
    fail "an ordinary user is not answered after the flood"

# A connection that says nothing is closed after idle_timeout_s.
python3 - "$T/ctl.sock" <<'EOF' || fail "a silent connection was not closed"
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(10)
t = time.time()
sys.exit(0 if s.recv(1) == b"" and 2 < time.time() - t < 9 else 1)
EOF
kill -0 "$DAEMON_PID" || fail "daemon died"
[ "$(sim_state watchdog)" = 0 ] || fail "the drive's watchdog tripped"
[ "$(wc -c <"$T/daemon.log")" -lt 2000000 ] || fail "daemon log flooded"
pass
