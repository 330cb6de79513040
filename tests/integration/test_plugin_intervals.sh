#!/bin/sh
# transports: tcp
# An interval session end to end through the intervals plugin: only on an
# interval day, reps at the template's speed under the hard cap, the
# recoveries capped at the easy limits, then the cool-down and a record.
. "$(dirname "$0")/lib.sh"
setup
cp "$TOP/tests/integration/data/ivy.conf" "$T/profiles/"
kill -HUP "$DAEMON_PID"
wait_for 5 "profiles reloaded" grep -q "3 runner profiles\|2 runner profiles" "$T/daemon.log"
checkin ivy
if ctl start ivy --workout intervals 2>"$T/err"; then fail "intervals on a base-building day"; fi
grep -q "hard workout and today is not an interval day" "$T/err" || fail "refusal: $(cat "$T/err")"

backfill_clean_weeks ivy 3
ctl log-run ivy --date "$(day -2)" --minutes 32 >/dev/null
ctl checkin ivy --sleep 8 --pain 0 >/dev/null
ctl plan ivy >"$T/plan"
grep -q "^today: intervals" "$T/plan" || fail "not an interval day: $(cat "$T/plan")"
grep -q "rep 2/2" "$T/plan" || fail "plan does not show the plugin's segments: $(cat "$T/plan")"
ctl start ivy >/dev/null || fail "start refused"
[ "$(status_field workout)" = intervals ] || fail "workout $(status_field workout)"
wait_for 60 "rep 1/2" sh -c "'$BIN/treadctl' -s '$T/ctl.sock' -j status | grep -q '\"segment\":\"rep 1/2\"'"
wait_for 20 "belt at the work speed" sim_ge speed 9.4
sim_le setpoint 10.0 || fail "rep above the hard cap"
wait_for 40 "recovery 1/2" sh -c "'$BIN/treadctl' -s '$T/ctl.sock' -j status | grep -q '\"segment\":\"recovery 1/2\"'"
wait_for 20 "recovery at walking pace" sim_le setpoint 7.5
# Her own request in a recovery is capped at the easy limit.
ctl speed 9.5 >/dev/null
wait_writes 20
sim_le setpoint 7.5 || fail "recovery request above the easy cap: $(sim_state setpoint)"
wait_for 200 "session over" status_is session idle
sqlite3 "$T/history.db" "select workout, outcome, hard, hard_min > 0 from sessions where runner='ivy' and backfilled=0;" >"$T/rows" 2>&1
grep -q "^intervals|completed|1|1$" "$T/rows" || fail "session record: $(cat "$T/rows")"
pass
