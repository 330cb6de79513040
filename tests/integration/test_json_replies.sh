#!/bin/sh
# transports: tcp
# Every command answers in JSON when asked (treadctl -j): one line that
# parses, with "ok" and the command's fields; plan's reasons each carry
# their stable code.  And a staff clearance after a red flag ends the
# easy-only days that follow it.
. "$(dirname "$0")/lib.sh"
setup

# json_ok FILE: one JSON object, "ok" true; prints nothing.
json_ok() {
	python3 - "$1" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
if len(lines) != 1:
    sys.exit("%d lines instead of one: %r" % (len(lines), lines[:3]))
o = json.loads(lines[0])
if o.get("ok") is not True:
    sys.exit("not ok: %r" % o)
PY
}
# jctl NAME ARGS...: treadctl -j ARGS into $T/NAME.json, checked.
jctl() {
	_n=$1; shift
	ctl -j "$@" >"$T/$_n.json" || fail "treadctl -j $* refused: $(cat "$T/$_n.json")"
	_e=$(json_ok "$T/$_n.json" 2>&1) || fail "treadctl -j $*: $_e"
}
# field FILE EXPR: a python expression on the object o.
field() {
	python3 -c 'import json, sys; o = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

jctl help help
[ "$(field "$T/help.json" 'len([c for c in o["commands"] if c["name"] == "clear" and c["staff"]])')" = 1 ] ||
    fail "help in JSON does not list clear as a staff command"
jctl status status
[ "$(field "$T/status.json" 'o["connected"]')" = True ] || fail "status in JSON: $(cat "$T/status.json")"
# The old form stays.
ctl status json | python3 -m json.tool >/dev/null || fail "status json is not JSON"
jctl loglevel log-level
[ "$(field "$T/loglevel.json" 'o["log_level"]')" = debug ] || fail "log-level in JSON"
jctl checkin checkin maya --sleep 7 --pain 0
[ "$(field "$T/checkin.json" 'o["today"]')" = easy ] || fail "checkin in JSON: $(cat "$T/checkin.json")"
jctl strength log-strength maya --minutes 25
jctl run log-run maya --date "$(day -1)" --minutes 20 --symptom
[ "$(field "$T/run.json" 'o["symptom"]')" = True ] || fail "log-run in JSON"

# plan: every reason has its code; the red flag of yesterday is one.
jctl plan plan maya
[ "$(field "$T/plan.json" 'all(r["code"] and r["text"] for r in o["reasons"]) and len(o["reasons"]) > 0')" = True ] ||
    fail "plan's reasons without codes: $(cat "$T/plan.json")"
field "$T/plan.json" '" ".join(r["code"] for r in o["reasons"])' | grep -qw after_red_flag ||
    fail "no after_red_flag reason the day after a symptom: $(cat "$T/plan.json")"
[ "$(field "$T/plan.json" 'len(o["workout"]["segments"]) > 0')" = True ] || fail "plan's workout in JSON"
# The text form shows the same reasons.
ctl plan maya | grep -q "^reason: other on $(day -1): easy running only" ||
    fail "plan's text lost the red flag's reason"

# Staff clear her: the easy-only days after the red flag end.
ctl clear maya --reason "x" 2>"$T/err" && fail "clear without a real reason accepted"
jctl clear clear maya --reason "seen by the physio"
[ "$(field "$T/clear.json" 'o["override"]')" = clear ] || fail "clear in JSON: $(cat "$T/clear.json")"
jctl plan2 plan maya
field "$T/plan2.json" '" ".join(r["code"] for r in o["reasons"])' | grep -qw after_red_flag &&
    fail "still easy-only after a staff clearance: $(cat "$T/plan2.json")"
ctl plan maya | grep -q "easy running only" && fail "plan's text still easy-only after clear"
ctl history maya | grep -q " clear by .*: seen by the physio" || fail "history does not list the clearance"

jctl unlock unlock maya --reason "tested by hand"
jctl lock lock maya --reason "tested by hand"
jctl history history maya
[ "$(field "$T/history.json" '[v["what"] for v in o["overrides"]]')" = "['clear', 'unlock', 'lock']" ] ||
    fail "history's overrides in JSON: $(cat "$T/history.json")"
[ "$(field "$T/history.json" 'len(o["checkins"]), len(o["sessions"]), len(o["strength"])')" = "(1, 1, 1)" ] ||
    fail "history in JSON: $(cat "$T/history.json")"

# A session, in JSON all along.
jctl start start
[ "$(field "$T/start.json" 'o["workout"]')" != "" ] || fail "start in JSON"
wait_for 10 "belt moving" sim_ge speed 1
jctl speed speed 5
jctl incline incline 1
jctl stop stop
wait_for 10 "belt stopped" sim_le speed 0
jctl resume resume
jctl end end

# Errors too: one line of JSON, "ok" false, and exit 1.
if ctl -j plan nobody >"$T/err.json" 2>/dev/null; then fail "plan for nobody succeeded"; fi
[ "$(field "$T/err.json" 'o["ok"] is False and "nobody" in o["error"]')" = True ] ||
    fail "an error in JSON: $(cat "$T/err.json")"
if ctl -j frobnicate >"$T/err2.json" 2>/dev/null; then fail "unknown command succeeded"; fi
field "$T/err2.json" 'o["error"]' | grep -q "unknown command" || fail "unknown command in JSON"
pass
