#!/bin/sh
# transports: tcp
# Today's decision reads as far back as the unlock needs.  Three clean
# weeks earned the unlock seven to five weeks ago, after a symptom eight
# weeks ago; staff cleared her yesterday.  A clearance is neither a lock
# nor a symptom, so the unlock stands, though the weeks that earned it
# are older than the governor's window.
. "$(dirname "$0")/lib.sh"
setup

ctl log-run maya --date "$(day -58)" --minutes 20 --symptom >/dev/null ||
    fail "log-run refused"
for w in 7 6 5; do
	backfill_week maya "$w"
done
ctl plan maya >"$T/plan0" || fail "plan refused"
grep -q "^phase: unlocked" "$T/plan0" || fail "not unlocked: $(cat "$T/plan0")"
# No command writes a clearance yet: staff's row, as the history keeps it.
_at=$(($(date +%s) - 86400))
sqlite3 "$T/history.db" "INSERT INTO overrides (id, runner, day, at, unlock,
    staff, reason, clear) VALUES ('clear-1', 'maya', '$(day -1)', $_at, 0,
    'physio', 'seen and cleared', 1);" || fail "cannot add the clearance"
ctl plan maya >"$T/plan1" || fail "plan refused"
grep -q "^phase: unlocked" "$T/plan1" ||
    fail "a clearance took the unlock away: $(cat "$T/plan1")"
pass
