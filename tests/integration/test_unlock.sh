#!/bin/sh
# transports: tcp
# The governor against the real daemon: three back-filled clean weeks with
# strength sessions unlock intervals; a symptom reported yesterday does
# not, and plan says why and names the physiotherapist.  Runs count by
# their running minutes, which the history records, with whether each
# counted.
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
ctl history maya --limit 100 >"$T/hist1"
[ "$(grep -c "32.0 min (32.0 running, counted)" "$T/hist1")" = 10 ] ||
    fail "the history does not show 10 runs counted: $(cat "$T/hist1")"

# A leak yesterday re-locks, and plan says why.
ctl log-run maya --date "$(day -1)" --minutes 20 --symptom >/dev/null
ctl plan maya >"$T/plan2"
grep -q "^phase: base" "$T/plan2" || fail "symptom did not re-lock: $(cat "$T/plan2")"
grep -q "^today: easy" "$T/plan2" || fail "intervals after a symptom"
grep -q "^reason: other on $(day -1): the count restarts" "$T/plan2" || fail "plan does not say why: $(cat "$T/plan2")"
# The history says so run by run: the symptom's run, and the count
# restarted for the runs before it.
ctl -j history maya --limit 100 >"$T/hist2.json"
python3 - "$T/hist2.json" <<'EOP' || fail "history's unlock codes: $(cat "$T/hist2.json")"
import collections, json, sys
o = json.load(open(sys.argv[1]))
n = collections.Counter(s["unlock"] for s in o["sessions"])
assert o["run_minutes"] == 30, o["run_minutes"]
assert n == {"restart": 10, "symptom": 1}, n
assert all(s["running_min"] == s["minutes"] for s in o["sessions"])
EOP
# The days after it: easy only, and every plan names the physiotherapist.
grep -q "^reason: other on $(day -1): easy running only, and see a pelvic-health physiotherapist" "$T/plan2" || fail "plan does not name the physio: $(cat "$T/plan2")"
pass
