#!/bin/sh
# transports: tcp
# The governor against the real daemon: three back-filled clean weeks with
# strength sessions unlock intervals; a symptom reported yesterday does
# not, and plan says why and names the physiotherapist.  Runs count by
# their running minutes, which the history records.
. "$(dirname "$0")/lib.sh"
setup

ctl plan maya >"$T/plan0" || fail "plan refused"
grep -q "^phase: base" "$T/plan0" || fail "fresh runner not base building: $(cat "$T/plan0")"
grep -q "^today: easy" "$T/plan0" || fail "fresh runner's day is not easy"
grep -q "^progress: week 1 of 3" "$T/plan0" || fail "no progress line: $(cat "$T/plan0")"
checkin maya
if ctl start maya --workout intervals 2>"$T/err"; then fail "intervals started for a fresh runner"; fi
grep -q "hard workout and today is not an interval day" "$T/err" || fail "refusal without reasons: $(cat "$T/err")"

backfill_clean_weeks maya 3
# An easy run two days ago keeps the week's hard share under 20 %.
ctl log-run maya --date "$(day -2)" --minutes 32 >/dev/null
ctl checkin maya --sleep 7.5 --pain 0 >/dev/null || fail "checkin refused"
ctl plan maya >"$T/plan1"
grep -q "^phase: unlocked" "$T/plan1" || fail "not unlocked after 3 clean weeks: $(cat "$T/plan1")"
grep -q "^today: intervals" "$T/plan1" || fail "not an interval day: $(cat "$T/plan1")"
grep -q "rep 6/6" "$T/plan1" || fail "plan does not show the reps"

# A leak yesterday re-locks, and plan says why.
ctl log-run maya --date "$(day -1)" --minutes 20 --symptom >/dev/null
ctl plan maya >"$T/plan2"
grep -q "^phase: base" "$T/plan2" || fail "symptom did not re-lock: $(cat "$T/plan2")"
grep -q "^today: easy" "$T/plan2" || fail "intervals after a symptom"
grep -q "^reason: other on $(day -1): the count restarts" "$T/plan2" || fail "plan does not say why: $(cat "$T/plan2")"
# The days after it: easy only, and every plan names the physiotherapist.
grep -q "^reason: other on $(day -1): easy running only, and see a pelvic-health physiotherapist" "$T/plan2" || fail "plan does not name the physio: $(cat "$T/plan2")"
pass
