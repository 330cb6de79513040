#!/bin/sh
# transports: tcp rtu
# E-stop mid-run: RUN goes to 0 within one tick (at most the one FC23 in
# flight carries RUN=1 after the press), the belt stops, and it does not
# restart after release until a person resumes.
. "$(dirname "$0")/lib.sh"
setup
start_running 4

sim estop on >/dev/null
t_press=$(event_time "ev=estop on")
[ -n "$t_press" ] || fail "no estop event in the simulator log"
wait_for 5 "daemon sees the stop" status_is state stopped
n=$(writes_after_event "ev=estop on" 1)
[ "$n" -le 1 ] || fail "$n writes with RUN=1 after the e-stop (at most 1 allowed)"
wait_for 10 "belt stopped" sim_le speed 0

sim estop off >/dev/null
wait_writes 20
[ "$(sim_state run)" = 0 ] || fail "RUN back to 1 after release without resume"
[ "$(sim_state speed)" = "0.00" ] || fail "belt moved after release without resume"
n=$(writes_after_event "ev=estop on" 1)
[ "$n" -le 1 ] || fail "RUN=1 written after the e-stop without a resume"

ctl status | grep -q "stopped by: e-stop" || fail "status does not name the e-stop"
ctl resume >/dev/null || fail "resume refused after release"
wait_for 15 "belt running again after resume" sim_ge speed 2
pass
