#!/bin/sh
# transports: tcp
# SIGTERM mid-session: the belt ramps down at the decel limit, the session
# is recorded as stopped, the drive is left with RUN=0, and the exit code
# is 0.
. "$(dirname "$0")/lib.sh"
DECEL=2.0
setup
checkin maya
start_running 4 maya
t_term=$(sim_state t)
kill -TERM "$DAEMON_PID"
rc=0; wait "$DAEMON_PID" || rc=$?
[ "$rc" = 0 ] || fail "exit code $rc"
[ "$(sim_state run)" = 0 ] || fail "RUN left at 1"
# Ramped: the writes after SIGTERM came down in steps, not straight to 0.
steps=$(awk -v t0="$t_term" '/ ev=write / && / run=1 / { t = substr($1, 3) + 0; if (t >= t0) n++ } END { print n + 0 }' "$T/sim.log")
[ "$steps" -ge 20 ] || fail "belt not ramped down ($steps ramp writes)"
sqlite3 "$T/history.db" "select outcome from sessions where runner='maya';" >"$T/rows" 2>&1 || fail "cannot read the history: $(cat "$T/rows")"
grep -qx "stopped" "$T/rows" || fail "session not recorded as stopped: $(cat "$T/rows")"
grep -q "treadmilld exiting" "$T/daemon.log" || fail "no clean exit"
pass
