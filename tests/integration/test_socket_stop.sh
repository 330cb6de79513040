#!/bin/sh
# transports: tcp rtu
# A stop asked for on the socket reaches the drive at once, not at the
# next tick: at 2 Hz the stop write is an extra FC16 that arrives well
# within the tick, and treadctl returns only after it was written.
. "$(dirname "$0")/lib.sh"
TICK_HZ=2 RESP_MS=100 WATCHDOG_MS=2000 ACCEL=4
setup
start_running 2

# Start right after a tick write so the next tick is ~500 ms away.
w0=$(sim_state writes)
wait_for 5 "a tick" sim_ge writes $((w0 + 1))
ctl stop >/dev/null
[ "$(sim_state run)" = 0 ] || fail "RUN still 1 when treadctl stop returned"
# The first RUN=0 write after the belt ran, and the write before it.
line=$(awk '/ ev=write / && / run=1 / { on = 1 } on && / ev=write / && / run=0 / { print; exit }' "$T/sim.log")
prev=$(awk '/ ev=write / && / run=1 / { on = 1 } on && / ev=write / && / run=0 / { print t; exit } / ev=write / { t = substr($1, 3) }' "$T/sim.log")
t_stop=$(echo "$line" | sed 's/^t=\([0-9.]*\).*/\1/')
ms=$(awk -v a="$t_stop" -v b="$prev" 'BEGIN { printf "%d", (a - b) * 1000 }')
echo "$line" | grep -q "fc=16" || fail "stop was not an immediate write: $line"
[ "$ms" -lt 450 ] || fail "stop came ${ms} ms after the previous tick (tick 500 ms)"
echo "stop written ${ms} ms after the previous tick write (tick period 500 ms)"
pass
