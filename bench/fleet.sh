#!/bin/sh
# The cost of reporting to the outside: treadmilld's CPU and memory at
# 20 Hz with a session running, first with the HTTP listener and MQTT
# off, then with both on (a mosquitto broker on loopback, /metrics
# scraped every 5 s, state published each second).  CPU is utime + stime
# from /proc/PID/stat over the window; memory is VmRSS and VmHWM from
# /proc/PID/status at its end.  Figures only, never pass or fail.
#
# BENCH_WINDOW (s, default 60) is the length of each window.
set -eu
# The integration helpers start and clean up the simulator, daemon and
# broker; they find the tree from their own script's place, so it is set
# again here.
ROOTDIR=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOTDIR/build}
. "$ROOTDIR/tests/integration/lib.sh"
. "$ROOTDIR/tests/integration/fleetlib.sh"
TOP=$ROOTDIR
WINDOW=${BENCH_WINDOW:-60}
HZ=$(getconf CLK_TCK)

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# measure LABEL SCRAPE_URL: one window on the running daemon.
measure() {
	c0=$(cpu_ticks "$DAEMON_PID")
	end=$(($(date +%s) + WINDOW))
	scrapes=0
	while [ "$(date +%s)" -lt "$end" ]; do
		if [ -n "$2" ]; then
			http_get "$2" >/dev/null || fail "scrape failed"
			scrapes=$((scrapes + 1))
		fi
		sleep 5
	done
	c1=$(cpu_ticks "$DAEMON_PID")
	awk -v l="$1" -v c="$((c1 - c0))" -v hz="$HZ" -v w="$WINDOW" \
	    -v rss="$(proc_kb "$DAEMON_PID" VmRSS)" \
	    -v hwm="$(proc_kb "$DAEMON_PID" VmHWM)" -v s="$scrapes" \
	    'BEGIN { printf "| %s | %.2f %% of one core | %.1f / %.1f MiB | %d s, %d scrapes |\n",
	        l, 100 * c / hz / w, rss / 1024, hwm / 1024, w, s }' >>"$T/table"
}

stop_daemon() {
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
}

start_sim
write_conf
cp "$T/treadmilld.conf" "$T/plain.conf"
start_daemon
start_running 5
echo "bench: window 1: http and mqtt off (${WINDOW} s)" >&2
measure "both off" ""
stop_daemon

start_broker
HP=$(free_port)
cp "$T/plain.conf" "$T/treadmilld.conf"
cat >>"$T/treadmilld.conf" <<EOC
http = { listen = "127.0.0.1:$HP"; };
mqtt = { host = "127.0.0.1"; port = $MQ_PORT; };
EOC
mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t '#' >"$T/mq.out" 2>&1 &
PIDS="$PIDS $!"
start_daemon
start_running 5
echo "bench: window 2: /metrics every 5 s, MQTT on (${WINDOW} s)" >&2
measure "/metrics every 5 s + MQTT" "http://127.0.0.1:$HP/metrics"
n=$(grep -c '"belt_kmh"' "$T/mq.out" || true)
echo "| treadmilld at 20 Hz, session running | CPU | VmRSS / VmHWM | window |"
echo "|---|---|---|---|"
cat "$T/table"
echo "(MQTT state messages seen by a subscriber: $n)"
stop_daemon
