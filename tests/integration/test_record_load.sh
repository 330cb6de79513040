#!/bin/sh
# transports: tcp
# What a belt session records of her load: a session ended by its plan
# records its full planned length, its running minutes (the run, at or
# above her walk/run threshold) apart from its walking ones (warm-up,
# walk breaks, cool-down), and a walk-run its stage in its own column
# under the plain workout name; walk-runs back-filled from a paper log
# move the stage on.  One she cuts short is not completed.
. "$(dirname "$0")/lib.sh"
setup_quick
# q N: the Nth session on the belt, as the history has it.
q() { sqlite3 "$T/history.db" "SELECT workout, stage, actual_min, running_min, walking_min, outcome FROM sessions WHERE runner = 'quick' AND NOT backfilled ORDER BY start_at, rowid" | sed -n "${1}p"; }

# Easy: 0.2 min warm-up, 0.8 min run, 0.5 min cool-down.
ctl start quick --workout easy >/dev/null || fail "easy start refused"
wait_for 150 "the easy session over" status_is session idle
[ "$(q 1)" = "easy|0|1.5|0.8|0.7|completed" ] || fail "easy recorded as: $(q 1)"

# Three clean walk-runs at stage 1 from her paper log, a rest day
# between each: she is at stage 2.
log_walkruns quick 1
sqlite3 "$T/history.db" "SELECT workout, stage, running_min, walking_min FROM sessions WHERE backfilled" >"$T/logged"
[ "$(sort -u "$T/logged")" = "walkrun|0|1.0|0.5" ] || fail "back-filled walk-runs: $(cat "$T/logged")"

# Walk-run, stage 2 (90 s run, 90 s walk): 0.2 min warm-up, 66 s of
# run-walk (all of it the first run), 0.2 min cool-down.
ctl start quick --workout walkrun >/dev/null || fail "walkrun start refused"
wait_for 150 "the walk-run over" status_is session idle
[ "$(q 2)" = "walkrun|1|1.5|1.1|0.4|completed" ] || fail "walk-run recorded as: $(q 2)"

# Ended by her, and stopped then ended: not completed.
ctl start quick --workout easy >/dev/null || fail "start refused"
wait_for 10 "belt moving" sim_ge speed 1
ctl end >/dev/null || fail "end refused"
wait_for 30 "session over" status_is session idle
q 3 | grep -q "|stopped$" || fail "a session she ended recorded as: $(q 3)"
ctl start quick --workout easy >/dev/null || fail "start refused"
wait_for 10 "belt moving" sim_ge speed 1
ctl stop >/dev/null || fail "stop refused"
wait_for 10 "stopped" status_is state stopped
ctl end >/dev/null || fail "end refused"
wait_for 30 "session over" status_is session idle
q 4 | grep -q "|completed$" && fail "stopped then ended recorded completed: $(q 4)"
pass
