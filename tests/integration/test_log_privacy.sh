#!/bin/sh
# transports: tcp
# A runner's symptoms are health data: at the default log level the
# daemon's log says that a symptom was reported, never which, nor a
# check-in's flags or a staff lock's reason; at debug it has the detail.
. "$(dirname "$0")/lib.sh"
SPEED=8.0 CAP=10.0 ACCEL=4 DECEL=2
start_sim
write_conf
# The default log level: start_daemon's -d would log everything.
DAEMON_FLAGS=
start_daemon
[ "$(ctl log-level)" = warning ] || [ "$(ctl log-level)" = info ] || fail "log level $(ctl log-level)"

ctl checkin maya --sleep 7 --pain 6 --leak --heaviness >/dev/null || fail "checkin refused"
ctl plan maya >"$T/plan" || fail "plan refused"
grep -qi "leak\|heaviness" "$T/plan" || fail "the plan does not name the symptoms (the test would prove nothing): $(cat "$T/plan")"
ctl lock maya --reason "leak and heaviness after her run" >/dev/null || fail "lock refused"
ctl start maya >"$T/out" 2>&1 || fail "start refused: $(cat "$T/out")"
wait_for 15 "belt moving" sim_ge speed 1
ctl symptom leak >/dev/null || fail "symptom refused"
wait_for 10 "symptom logged" grep -q "a symptom was reported mid-run" "$T/daemon.log"
ctl end >/dev/null || true
ctl history maya >/dev/null || fail "history refused"
wait_for 30 "session ended" grep -q "session ended" "$T/daemon.log"
if grep -Ei "leak|heavi|pain=|reason" "$T/daemon.log"; then
	fail "health data in the log at the default level"
fi

# At debug, the detail is there for whoever turned it on.
ctl log-level debug >/dev/null
ctl unlock maya --reason "bleeding checked by the physio" >/dev/null || fail "unlock refused"
wait_for 5 "reason at debug" grep -q "bleeding checked by the physio" "$T/daemon.log"
pass
