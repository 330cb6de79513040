#!/bin/sh
# transports: tcp rtu
# The drive goes mute: comm loss stops the session (and the drive's own
# watchdog stops the belt); when it answers again the daemon reconnects
# and writes RUN=0, and the belt stays still until resume.
. "$(dirname "$0")/lib.sh"
setup
start_running 4

sim mute on >/dev/null
wait_for 5 "daemon latches comm loss" sh -c "'$BIN/treadctl' -s '$T/ctl.sock' -j status | grep -q '\"stop_causes\":\[[^]]*comm loss'"
wait_for 10 "drive watchdog stops the belt" sim_le speed 0
f0=$(status_field failures)

sim mute off >/dev/null
wait_for 10 "daemon talks to the drive again" sim_ge writes $(( $(sim_state writes) + 20 ))
[ "$(status_field connected)" = true ] || fail "daemon not reconnected"
[ "$(writes_after_event "ev=mute off" 1)" = 0 ] || fail "RUN=1 written after the drive came back"
[ "$(sim_state speed)" = "0.00" ] || fail "belt restarted after comm came back"
[ "$(status_field state)" = stopped ] || fail "state is not stopped after comm came back"
[ "$f0" -gt 0 ] || fail "no failed transactions counted"

ctl resume >/dev/null || fail "resume refused after comm came back"
wait_for 15 "belt running again" sim_ge speed 2
pass
