#!/bin/sh
# transports: tcp
# PostgreSQL stops mid-session and comes back.  The belt does not notice
# (no RUN=0, no stop, the speed holds); the session's checkpoints and a
# strength session logged meanwhile wait in the spool, and status counts
# them; a plan says the history is unreachable and gives the easy day.
# When the database is back the spool drains, and every row is there
# exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
pg_start
start_treadmill a tm-1
checkin maya
start_running 4 maya
wait_for 10 "the session in the shared database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c \"SELECT count(*) FROM sessions WHERE outcome = 'running'\")\" = 1 ]"
speed0=$(sim_state speed)
t0=$(sim_state t)

pg_stop
ctl log-strength maya --minutes 25 >/dev/null || fail "log-strength refused during the outage"
wait_for 10 "rows spooled" sh -c "[ \"\$('$BIN/treadctl' -s '$T/ctl.sock' -j status | sed 's/.*\"history_spooled\":\([0-9]*\).*/\1/')\" -ge 2 ]"
st_says() { ctl status >"$T/st.out" && grep -q "$1" "$T/st.out"; }
wait_for 10 "status showing the spool and why" st_says \
    "^history: postgresql, [0-9]* rows spooled; history: PostgreSQL at .* unreachable"
ctl plan maya >"$T/plan.out" || fail "plan refused during the outage"
grep -q "history unavailable (history: PostgreSQL at .* unreachable" "$T/plan.out" ||
    fail "plan does not say the history is unreachable: $(cat "$T/plan.out")"
grep -q "^today: easy" "$T/plan.out" || fail "not the cautious easy day"
# Checkpoints go on into the spool: a few more of them (every 2 s).
wait_writes 120
grep -q "rows wait in the spool" "$T/daemon.log" || fail "the outage is not logged"

pg_start
wait_for 30 "the spool drained" status_is history_spooled 0
grep -q "reachable again" "$T/daemon.log" || fail "the return is not logged"
ctl status >"$T/st2.out"
grep -q "^history: postgresql, 0 rows spooled$" "$T/st2.out" ||
    fail "status after the drain: $(grep history "$T/st2.out")"
# Through all of it the belt ran on: no RUN=0, no stop, same speed.
[ "$(writes_after "$t0" 0)" = 0 ] || fail "RUN=0 written during the outage"
[ "$(status_field state)" = running ] || fail "the session stopped"
[ -z "$(status_field stop_causes | tr -d '[]')" ] || fail "a stop latched"
sim_ge speed "$(awk -v s="$speed0" 'BEGIN { print s - 0.3 }')" || fail "the belt slowed"
[ "$(status_field history_write_errors)" = 0 ] || fail "writes failed"

ctl end >/dev/null || fail "end refused"
wait_for 30 "session over" status_is session idle
wait_for 10 "the end in the database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c \"SELECT count(*) FROM sessions WHERE outcome <> 'running'\")\" = 1 ]"
# Nothing lost, nothing twice.
[ "$(psql_q "SELECT count(*) FROM sessions")" = 1 ] || fail "session rows: $(psql_q "SELECT count(*) FROM sessions")"
[ "$(psql_q "SELECT count(*) FROM strength")" = 1 ] || fail "strength rows: $(psql_q "SELECT count(*) FROM strength")"
mins=$(psql_q "SELECT actual_min FROM sessions")
awk -v m="$mins" 'BEGIN { exit !(m >= 0.15) }' || fail "the session lost its minutes: $mins"
[ "$(sqlite3 "$T/spool.db" "SELECT count(*) FROM spool_order")" = 0 ] || fail "rows left in the spool"
! grep -q "LOST" "$T/daemon.log" || fail "a row was lost: $(grep LOST "$T/daemon.log")"
no_secret
pass
