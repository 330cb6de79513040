#!/bin/sh
# The console page's figures (bench/README.md): page load on loopback,
# the push rate of live state, STOP pressed on the page to RUN=0 at the
# drive (median, p99), and treadmilld's CPU and RSS with one page open
# and a session running.  Headless Chromium through Selenium, the real
# daemon and simulator.  Figures only, never pass or fail.
#
# BENCH_WINDOW (s, default 60), BENCH_REPS (default 30).
set -eu
ROOTDIR=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOTDIR/build}
. "$ROOTDIR/tests/integration/lib.sh"
TOP=$ROOTDIR

start_sim
write_conf
HP=$(free_port)
echo "http = { listen = \"127.0.0.1:$HP\"; web_dir = \"$TOP/web\"; };" \
    >>"$T/treadmilld.conf"
start_daemon
printf '4821\n' | ctl set-pin maya >/dev/null
CTL_STOP="$BIN/treadctl -s $T/ctl.sock stop" PROFILE_DIR=$T/chromium \
    /usr/bin/python3 "$TOP/bench/console_page.py" \
    "http://127.0.0.1:$HP/" "Maya (test)" 4821 \
    "$T/sim.log" "$DAEMON_PID" "${BENCH_REPS:-30}" "${BENCH_WINDOW:-60}"
