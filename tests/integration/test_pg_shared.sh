#!/bin/sh
# transports: tcp
# Two treadmills (two simulators, two daemons) share one PostgreSQL: a
# runner's weeks logged on either count toward her unlock on both, a
# session run on one shows in the history staff read on the other, and
# the password in the conninfo file shows nowhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
pg_start
start_treadmill a tm-1
start_treadmill b tm-2

on a
ctl status >"$T/st.a"
grep -q "^history: postgresql, 0 rows spooled$" "$T/st.a" ||
    fail "status does not show the shared history: $(grep history "$T/st.a")"
[ "$(status_field history_spooled)" = 0 ] || fail "status json: history_spooled"
ctl plan maya >"$T/plan0" || fail "plan refused"
grep -q "^phase: base" "$T/plan0" || fail "fresh runner not base building"

# Three clean weeks: two logged on tm-1, one on tm-2.
backfill_week maya 3
backfill_week maya 2
on b
backfill_week maya 1
ctl log-run maya --date "$(day -2)" --minutes 32 >/dev/null
ctl checkin maya --sleep 7.5 --pain 0 >/dev/null || fail "checkin refused"
for x in a b; do
	on $x
	ctl plan maya >"$T/plan1" || fail "plan refused on $x"
	grep -q "^phase: unlocked" "$T/plan1" ||
	    fail "weeks from both treadmills do not unlock on $x: $(cat "$T/plan1")"
done
# Each row once, whichever treadmill wrote it (a back-filled run names
# the staff member who logged it).
[ "$(psql_q "SELECT count(*) FROM sessions WHERE runner = 'maya' AND backfilled")" = 10 ] ||
    fail "back-filled runs missing from the shared database"
[ "$(psql_q "SELECT count(*) FROM strength WHERE runner = 'maya'")" = 6 ] ||
    fail "strength sessions missing from the shared database"

# A session on tm-2, read back from tm-1.
on b
start_running 4 maya --workout easy
wait_for 10 "a checkpoint in the shared database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c \"SELECT count(*) FROM sessions WHERE treadmill = 'tm-2' AND outcome = 'running'\")\" = 1 ]"
ctl end >/dev/null || fail "end refused"
wait_for 30 "session over" status_is session idle
on a
ctl history maya --limit 100 >"$T/hist" || fail "history refused on tm-1"
grep -q " on tm-2$" "$T/hist" || fail "tm-2's session not in tm-1's history: $(cat "$T/hist")"
grep -c " back-filled by " "$T/hist" | grep -qx 10 || fail "back-fill missing: $(cat "$T/hist")"
[ "$(psql_q "SELECT count(*) - count(DISTINCT id) FROM sessions")" = 0 ] ||
    fail "a session row twice"
no_secret
pass
