#!/bin/sh
# transports: tcp
# Check-in red flags: a leak or pain at/above the threshold makes it a
# walk-only day with the physiotherapist advice; a running start is
# refused, a walk is allowed and stays at walking pace.
. "$(dirname "$0")/lib.sh"
setup
ctl checkin maya --sleep 7 --pain 0 --leak >"$T/out" || fail "checkin refused"
grep -q "^today: walk-only" "$T/out" || fail "leak did not make a walk-only day: $(cat "$T/out")"
grep -q "pelvic-health physiotherapist" "$T/out" || fail "no physiotherapist advice"
if ctl start maya --workout easy 2>"$T/err"; then fail "running start accepted"; fi
grep -q "walk-only" "$T/err" || fail "refusal: $(cat "$T/err")"
ctl start maya >/dev/null || fail "walk refused"
[ "$(status_field workout)" = walk ] || fail "workout is not walk"
ctl speed 9 >/dev/null
wait_writes 60
sim_le setpoint 5.0 || fail "walking session above walking pace: $(sim_state setpoint)"
if ctl checkin maya --sleep lots --pain 0 2>"$T/err"; then fail "bad sleep accepted"; fi
grep -q "sleep 'lots'" "$T/err" || fail "bad sleep message: $(cat "$T/err")"
if ctl checkin maya --sleep 7 --pain 11 2>"$T/err"; then fail "pain 11 accepted"; fi
if ctl checkin nobody --sleep 7 --pain 0 2>"$T/err"; then fail "unknown runner accepted"; fi
grep -q "no profile for runner 'nobody'" "$T/err" || fail "unknown runner message"
pass
