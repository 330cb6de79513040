#!/bin/sh
# make demo: a live session on the simulated drive, on loopback.
# Starts treadsim and treadmilld, starts a short easy session, shows it on
# one updating line, and prints a summary.  Leaves no process behind.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
T=$(mktemp -d "${TMPDIR:-/tmp}/treadmilld-demo.XXXXXX")
MINUTES=${DEMO_MINUTES:-0.75}
PORT=${DEMO_PORT:-15020}
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port near the default, so a second demo does not collide.
while socat -T1 /dev/null "TCP:127.0.0.1:$PORT" 2>/dev/null; do
	PORT=$((PORT + 1))
done

cat >"$T/treadmilld.conf" <<EOC
drive = {
  transport = "tcp"; host = "127.0.0.1"; port = $PORT;
  map = "reference"; map_dir = "$TOP/hw/maps";
  tick_hz = 20.0; response_timeout_ms = 20; watchdog_ms = 500;
};
machine = { max_speed = 16.0; accel = 1.0; decel = 1.5; };
control = { socket = "$T/treadmilld.sock"; };
session = { speed = 8.0; incline = 1.0; minutes = $MINUTES; max_speed = 10.0; };
EOC

echo "demo: simulated drive on 127.0.0.1:$PORT, treadmilld at 20 Hz"
"$B/treadsim" -t "127.0.0.1:$PORT" -c "$T/sim.sock" -l "$T/sim.log" \
    >"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
"$B/treadmilld" -f -c "$T/treadmilld.conf" >"$T/daemon.log" 2>&1 &
PIDS="$PIDS $!"

ctl() { "$B/treadctl" -s "$T/treadmilld.sock" "$@"; }
n=0
until ctl -j status 2>/dev/null | grep -q '"connected":true'; do
	n=$((n + 1))
	if [ $n -gt 100 ]; then
		echo "demo: the daemon did not connect to the simulator:" >&2
		cat "$T/daemon.log" "$T/sim.out" >&2
		exit 1
	fi
	sleep 0.1
done

echo "demo: starting a $MINUTES-minute easy session (Ctrl-C ends the demo)"
ctl start
ctl watch
echo "demo: session over"
grep "session ended" "$T/daemon.log" | sed 's/^/  /'
ctl status | sed 's/^/  /'
echo "demo: simulator's view: $("$B/treadsim" ctl -c "$T/sim.sock" state)"
