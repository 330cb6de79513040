#!/bin/sh
# transports: tcp
# A start reads the shared history (her claim, today's decision, her
# walk-run stage).  While the database is slow to answer -- another
# client holds the tables the start reads -- the tick goes on: the start
# waits for the database off the loop, no gap between the daemon's
# writes to the drive reaches two ticks, the drive's watchdog never
# fires, and status answers meanwhile.  The start then takes the
# cautious day and the belt runs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
TICK_HZ=${TICK_HZ:-20.0}
pg_start
start_treadmill a tm-1
checkin maya
wait_for 10 "the check-in in the shared database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c 'SELECT count(*) FROM checkins')\" = 1 ]"

# Another client holds the claims and the sessions for a while.
sh "$TOP/scripts/pg.sh" psql "$PGD" -c "BEGIN; LOCK TABLE claims, sessions
    IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(6); COMMIT;" \
    >"$T/lock.out" 2>&1 &
LOCK_PID=$!
PIDS="$PIDS $LOCK_PID"
locked() {
	[ "$(psql_q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON
	    c.oid = l.relation WHERE c.relname IN ('claims', 'sessions') AND
	    l.mode = 'AccessExclusiveLock' AND l.granted")" = 2 ]
}
wait_for 10 "the tables locked" locked

t0=$(sim_state t)
s0=$(date +%s.%N)
ctl start maya >"$T/start.out" 2>&1 &
START_PID=$!
PIDS="$PIDS $START_PID"
# The loop answers while the start waits for the database.
wait_for 5 "the start asked for" grep -q "uid 0: start" "$T/daemon.log"
ctl status >"$T/st.out" || fail "status refused while a start waits"
[ ! -s "$T/start.out" ] ||
    fail "status answered only after the start: $(cat "$T/start.out")"
wait "$START_PID" || fail "start refused: $(cat "$T/start.out")"
s1=$(date +%s.%N)
t1=$(sim_state t)
wait_writes 5
took=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')
# From the last write before the start to the first after it.
gap=$(awk -v a="$t0" -v b="$t1" '/ ev=write fc=23 / {
    t = substr($1, 3) + 0
    if (t > b && p > b) next
    if (t >= a && p && t - p > g) g = t - p
    p = t } END { printf "%.3f", g }' "$T/sim.log")
echo "the start took ${took}s; longest gap between writes meanwhile: ${gap}s"
grep -q "^started: .* for maya" "$T/start.out" ||
    fail "not started: $(cat "$T/start.out")"
grep -q "cannot claim maya" "$T/daemon.log" ||
    fail "the start did not wait for the database"
awk -v g="$gap" -v hz="$TICK_HZ" 'BEGIN { exit !(g < 2 / hz) }' ||
    fail "the tick stalled for ${gap}s while a start read the history"
grep -q "ev=watchdog" "$T/sim.log" && fail "the drive's watchdog fired"
wait_for 15 "belt at 4 km/h" sim_ge speed 4
wait "$LOCK_PID" || fail "the lock's transaction: $(cat "$T/lock.out")"
ctl end >/dev/null || fail "end refused"
wait_for 30 "session over" status_is session idle
pass
