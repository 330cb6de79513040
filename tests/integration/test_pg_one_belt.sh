#!/bin/sh
# transports: tcp
# One runner, one belt, across treadmills sharing PostgreSQL: while maya
# runs on tm-1, a start for her on tm-2 is refused and names tm-1; after
# she ends it, tm-2 may start her.  A treadmill that dies mid-session
# leaves its session open; once it has gone without a checkpoint for
# history.stale_minutes, whoever sees it closes it as interrupted, and
# she may run elsewhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
pg_start
start_treadmill a tm-1
start_treadmill b tm-2

running_on() {
	[ "$(psql_q "SELECT count(*) FROM sessions WHERE runner = 'maya' AND outcome = 'running' AND treadmill = '$1'")" = 1 ]
}

on a
checkin maya
start_running 4 maya
wait_for 10 "tm-1's session in the shared database" running_on tm-1
on b
if ctl start maya >"$T/out.start" 2>"$T/err.start"; then
	fail "maya started on tm-2 while running on tm-1"
fi
grep -q "maya is already running on treadmill tm-1" "$T/err.start" ||
    fail "refusal does not name tm-1: $(cat "$T/err.start")"
[ "$(status_field session)" = idle ] || fail "tm-2 not idle after the refusal"
[ "$(sim_state run)" = 0 ] || fail "tm-2's belt runs after the refusal"
# tm-1 did not notice.
on a
[ "$(status_field state)" = running ] || fail "tm-1's session disturbed"

ctl end >/dev/null || fail "end refused"
wait_for 30 "tm-1's session over" status_is session idle
wait_for 10 "tm-1's session closed in the database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c \"SELECT count(*) FROM sessions WHERE outcome = 'running'\")\" = 0 ]"
on b
start_running 4 maya
wait_for 10 "tm-2's session in the shared database" running_on tm-2

# tm-2 dies; its session stays open...
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
on a
if ctl start maya 2>"$T/err.start2"; then
	fail "started while tm-2's session is fresh"
fi
grep -q "maya is already running on treadmill tm-2" "$T/err.start2" ||
    fail "refusal does not name tm-2: $(cat "$T/err.start2")"
# ...until its last checkpoint is older than stale_minutes (10).
psql_q "UPDATE sessions SET end_at = end_at - 660 WHERE treadmill = 'tm-2'" >/dev/null
start_running 4 maya
[ "$(psql_q "SELECT outcome FROM sessions WHERE treadmill = 'tm-2'")" = interrupted ] ||
    fail "tm-2's stale session not closed as interrupted"
grep -q "had no checkpoint for too long; now interrupted" "$T/daemon.log" ||
    fail "closing the stale session not logged"
no_secret
pass
