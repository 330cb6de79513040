#!/bin/sh
# transports: tcp rtu
# Drive fault: the belt stops, status names the fault, nothing restarts
# until resume, and resume clears the fault with a RESET edge.
. "$(dirname "$0")/lib.sh"
setup
start_running 4

sim fault 2 >/dev/null
wait_for 5 "daemon sees the fault" status_is state stopped
[ "$(writes_after_event "ev=fault" 1)" -le 1 ] || fail "RUN=1 written after the fault"
ctl status | grep -q "drive fault 2 (overtemp)" || fail "status does not name the fault"
wait_for 10 "belt stopped" sim_le speed 0
wait_writes 20
[ "$(sim_state run)" = 0 ] || fail "RUN went back to 1 by itself"
ctl resume >/dev/null || fail "resume refused"
wait_for 15 "belt running again" sim_ge speed 2
[ "$(sim_state fault)" = 0 ] || fail "fault latch not cleared"
pass
