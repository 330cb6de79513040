#!/bin/sh
# transports: tcp rtu
# Console STOP key: the belt stops, the daemon latches it, and resume
# clears the drive's latch with a RESET edge before RUN comes back.
. "$(dirname "$0")/lib.sh"
setup
start_running 4

sim stop >/dev/null
wait_for 5 "daemon sees console STOP" status_is state stopped
[ "$(writes_after_event "ev=stop_key" 1)" -le 1 ] || fail "RUN=1 written after console STOP"
wait_for 10 "belt stopped" sim_le speed 0
wait_writes 20
[ "$(sim_state run)" = 0 ] || fail "RUN went back to 1 by itself"
ctl resume >/dev/null || fail "resume refused"
wait_for 5 "RESET edge reached the drive" grep -q "ev=reset" "$T/sim.log"
wait_for 15 "belt running again" sim_ge speed 2
[ "$(sim_state stop_key)" = 0 ] || fail "STOP_KEY latch not cleared"
pass
