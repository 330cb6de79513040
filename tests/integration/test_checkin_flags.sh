#!/bin/sh
# transports: tcp
# Check-in red flags: pain below the threshold or a limitation makes the
# day easy; a leak or pain at/above the threshold makes it a walk-only
# day with the physiotherapist advice; a day only gets more careful, so a
# later check-in clears nothing; a running start is refused, a walk is
# allowed and stays at walking pace.
. "$(dirname "$0")/lib.sh"
setup
ctl checkin maya --sleep 7 --pain 2 >"$T/out" || fail "checkin refused"
grep -q "^today: easy" "$T/out" || fail "pain 2 is not an easy day: $(cat "$T/out")"
grep -q "^reason: pain 2/10 at check-in: easy running only today" "$T/out" || fail "pain 2 not said: $(cat "$T/out")"
ctl checkin maya --sleep 7 --pain 0 --limitation >"$T/out" || fail "checkin refused"
grep -q "^reason: pain 2/10 at check-in: easy running only today" "$T/out" || fail "a later check-in took the pain away: $(cat "$T/out")"
grep -q "^reason: limitation reported at check-in: easy running only today" "$T/out" || fail "limitation not said: $(cat "$T/out")"
ctl checkin maya --sleep 7 --pain 0 --leak >"$T/out" || fail "checkin refused"
grep -q "^today: walk-only" "$T/out" || fail "leak did not make a walk-only day: $(cat "$T/out")"
grep -q "^reason: leak reported at check-in" "$T/out" || fail "the red flag is not named: $(cat "$T/out")"
grep -q "pelvic-health physiotherapist" "$T/out" || fail "no physiotherapist advice"
ctl checkin maya --sleep 9 --pain 0 >"$T/out" || fail "checkin refused"
grep -q "^today: walk-only" "$T/out" || fail "a later check-in cleared the leak: $(cat "$T/out")"
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
