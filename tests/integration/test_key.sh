#!/bin/sh
# transports: tcp rtu
# Safety key pulled: the belt stops, resume is refused while the key is
# out, and nothing restarts after the key goes back until resume.
. "$(dirname "$0")/lib.sh"
setup
start_running 4

sim key out >/dev/null
wait_for 5 "daemon sees the key" status_is state stopped
[ "$(writes_after_event "ev=key out" 1)" -le 1 ] || fail "RUN=1 written after the key was pulled"
wait_for 10 "belt stopped" sim_le speed 0
if ctl resume 2>"$T/err"; then fail "resume accepted with the key out"; fi
grep -q "safety key is out" "$T/err" || fail "refusal does not say why: $(cat "$T/err")"

sim key in >/dev/null
wait_writes 20
[ "$(sim_state run)" = 0 ] || fail "RUN back to 1 after the key went back"
ctl resume >/dev/null || fail "resume refused with the key in"
wait_for 15 "belt running again" sim_ge speed 2
pass
