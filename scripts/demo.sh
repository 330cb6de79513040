#!/bin/sh
# make demo: a live session on the simulated drive, on loopback.
# Starts treadsim and treadmilld, starts a short auto-paced easy run for a
# demo runner (the easy plugin steers the belt to hold her heart rate
# just under her easy ceiling), shows it on one updating line, and prints
# a summary.  Leaves no process behind.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
T=$(mktemp -d "${TMPDIR:-/tmp}/treadmilld-demo.XXXXXX")
MINUTES=${DEMO_MINUTES:-4}
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
daemon = { name = "demo-treadmill"; user = ""; };
profiles = { dir = "$T/profiles"; };
history = { path = "$T/history.db"; };
plugins = {
  dir = "$B/plugins";
  easy = { warmup_min = 0.5; cooldown_min = 0.5; };
};
EOC
mkdir -p "$T/profiles"
# A runner whose heart rate climbs quickly: the easy plugin has to slow
# the belt below her easy maximum to keep under the ceiling.
cat >"$T/profiles/demo.conf" <<EOC
runner = { name = "Demo runner"; hr_max = 178; hr_rest = 62; };
easy = { min_speed = 5.5; max_speed = 8.5; max_incline = 1.0;
         hr_ceiling_pct = 75.0; max_minutes = 40.0; start_minutes = $MINUTES;
         walk_minutes = 1.0; };
walk = { speed = 5.0; };
EOC

echo "demo: simulated drive on 127.0.0.1:$PORT, treadmilld at 20 Hz"
"$B/treadsim" -t "127.0.0.1:$PORT" -c "$T/sim.sock" -l "$T/sim.log" \
    >"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
n=0
until "$B/treadsim" ctl -c "$T/sim.sock" state >/dev/null 2>&1; do
	n=$((n + 1)); [ $n -gt 100 ] && { cat "$T/sim.out" >&2; exit 1; }
	sleep 0.05
done
# Her heart answers speed quickly and strongly.
"$B/treadsim" ctl -c "$T/sim.sock" set hr_tau 30 >/dev/null
"$B/treadsim" ctl -c "$T/sim.sock" set hr_k_speed 12 >/dev/null
"$B/treadmilld" -f -c "$T/treadmilld.conf" >"$T/daemon.log" 2>&1 &
PIDS="$PIDS $!"

ctl() { "$B/treadctl" -s "$T/treadmilld.sock" "$@"; }
n=0
until ctl -j status 2>/dev/null | grep -q '"connected":true' &&
    ! ctl -j status | grep -q '"heartbeat":0,'; do
	n=$((n + 1))
	if [ $n -gt 100 ]; then
		echo "demo: the daemon did not connect to the simulator:" >&2
		cat "$T/daemon.log" "$T/sim.out" >&2
		exit 1
	fi
	sleep 0.1
done

ctl checkin demo --sleep 7.5 --pain 0 >/dev/null
echo "demo: today's plan for the demo runner:"
ctl plan demo | sed 's/^/  /'
echo "demo: starting the $MINUTES-minute auto-paced easy run (Ctrl-C ends the demo)"
ctl start demo --workout easy
ctl watch
echo "demo: session over"
grep "session ended" "$T/daemon.log" | sed 's/^/  /'
ctl status | sed 's/^/  /'
echo "demo: simulator's view: $("$B/treadsim" ctl -c "$T/sim.sock" state)"
