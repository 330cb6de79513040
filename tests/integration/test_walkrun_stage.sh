#!/bin/sh
# transports: tcp
# The walk-run stage where it is used, as text and as JSON: the plan
# gives the stage her history has earned (three clean walk-runs at stage
# 1 from her paper log: stage 2 of the profile's 7), status the stage a
# walk-run session runs at (none for another workout), and the history
# each walk-run's stage.
. "$(dirname "$0")/lib.sh"
setup_quick
log_walkruns quick 1

# jfield FILE KEY: a top-level field of a JSON reply, as JSON.
jfield() {
	python3 -c 'import json, sys; print(json.dumps(json.loads(open(sys.argv[1]).readline()).get(sys.argv[2], "missing")))' "$1" "$2"
}

ctl plan quick >"$T/plan.out" || fail "plan refused"
grep -qx "walk-run stage: 2 of 7" "$T/plan.out" ||
    fail "plan does not show the stage: $(cat "$T/plan.out")"
ctl -j plan quick >"$T/plan.json" || fail "plan -j refused"
[ "$(jfield "$T/plan.json" walkrun_stage)" = 2 ] &&
    [ "$(jfield "$T/plan.json" walkrun_stages)" = 7 ] ||
    fail "plan -j: $(cat "$T/plan.json")"

# No walk-run, no stage.
ctl status | grep -q "walk-run stage" && fail "a stage shown with no session"
[ "$(status_field walkrun_stage)" = null ] ||
    fail "walkrun_stage with no session: $(status_field walkrun_stage)"

ctl start quick --workout walkrun >/dev/null || fail "walkrun start refused"
ctl status >"$T/st.out" || fail "status refused"
grep -qx "walk-run stage: 2 of 7" "$T/st.out" ||
    fail "status does not show the stage: $(cat "$T/st.out")"
[ "$(status_field walkrun_stage)" = 2 ] &&
    [ "$(status_field walkrun_stages)" = 7 ] ||
    fail "status -j: $(ctl -j status)"
ctl end >/dev/null || fail "end refused"
wait_for 60 "the walk-run over" status_is session idle

ctl history quick >"$T/hist.out" || fail "history refused"
[ "$(grep -c " walkrun .* back-filled by .*, walk-run stage 1$" "$T/hist.out")" = 3 ] ||
    fail "history: the back-filled stages: $(cat "$T/hist.out")"
grep -q " walkrun .* on tm-test, walk-run stage 2$" "$T/hist.out" ||
    fail "history: the session's stage: $(cat "$T/hist.out")"
ctl -j history quick >"$T/hist.json" || fail "history -j refused"
stages=$(python3 -c 'import json, sys
o = json.loads(open(sys.argv[1]).readline())
print(" ".join(str(s["stage"]) for s in o["sessions"]))' "$T/hist.json")
[ "$stages" = "1 1 1 2" ] || fail "history -j stages: $stages"
pass
