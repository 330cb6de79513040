#!/bin/sh
# transports: tcp
# Every interval template is checked at the start as the governor checks
# its own choice: one that would make her week too hard is refused with
# the reason, an unknown one too; without --template the session runs
# the template the governor chose, not the profile's first.
. "$(dirname "$0")/lib.sh"
setup
# Iris: Ivy with a first template far too hard for a base of easy runs.
{
	sed -n '1,/^intervals = (/p' "$TOP/tests/integration/data/ivy.conf"
	echo '  { name = "big"; warmup_min = 0.3; reps = 20; work_s = 60.0;'
	echo '    recovery_s = 20.0; cooldown_min = 0.3; work_speed = 9.5; },'
	sed -n '/^intervals = (/,$p' "$TOP/tests/integration/data/ivy.conf" | sed 1d
} >"$T/profiles/iris.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 "profiles reloaded" grep -q "2 runner profiles" "$T/daemon.log"
backfill_clean_weeks iris 3
ctl log-run iris --date "$(day -2)" --minutes 32 >/dev/null
checkin iris
ctl plan iris >"$T/plan"
grep -q "^today: intervals" "$T/plan" || fail "not an interval day: $(cat "$T/plan")"
grep -q "rep 2/2 " "$T/plan" && ! grep -q "rep 1/20" "$T/plan" || fail "plan is not the governor's template: $(cat "$T/plan")"
if ctl start iris --template big 2>"$T/err"; then fail "a template too hard for her week started"; fi
grep -q "big would make .* of your last 7 days' .* min of running hard" "$T/err" ||
    fail "refusal without the reason: $(cat "$T/err")"
if ctl start iris --template nosuch 2>"$T/err"; then fail "an unknown template started"; fi
grep -q 'no interval template named "nosuch"' "$T/err" || fail "refusal: $(cat "$T/err")"
[ "$(sim_state run)" = 0 ] || fail "RUN=1 after a refused start"
ctl start iris >/dev/null || fail "start refused"
[ "$(status_field workout)" = intervals ] || fail "workout $(status_field workout)"
# short: 0.3 + 2 x (25 + 20) s + 0.3 min = 126 s.
[ "$(status_field planned_s)" = 126.0 ] || fail "not the governor's template: planned $(status_field planned_s) s"
pass
