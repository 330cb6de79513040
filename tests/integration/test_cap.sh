#!/bin/sh
# transports: tcp
# The runner's own request: honoured below the cap, clamped above it, and
# the console's up/down keys count as her request too.
. "$(dirname "$0")/lib.sh"
SPEED=5.0 CAP=7.0 ACCEL=4
setup
start_running 4.9
ctl speed 3.5 >/dev/null
wait_for 10 "belt slows to 3.5" sim_le speed 3.5
ctl speed 20 >/dev/null
wait_for 10 "belt at the cap" sim_ge speed 6.95
wait_writes 20
sim_le setpoint 7.0 || fail "setpoint above the cap"
sim request 4.0 >/dev/null
wait_for 10 "console request honoured" sim_le speed 4.0
if ctl speed fast 2>"$T/err"; then fail "bad speed accepted"; fi
grep -q "speed 'fast' is not a number" "$T/err" || fail "bad speed message: $(cat "$T/err")"
pass
