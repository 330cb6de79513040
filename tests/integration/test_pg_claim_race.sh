#!/bin/sh
# transports: tcp
# One runner, one belt, even at the same instant: two treadmills sharing
# PostgreSQL are told to start maya at once, ROUNDS times (default 20).
# Never do both run; after each round the one that did ends her session,
# and the next round starts clean.  Then the claim outlives an outage of
# the database: the session goes on, its spooled checkpoints renew the
# claim when the database is back, and the other treadmill is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
ROUNDS=${ROUNDS:-20}
pg_start
start_treadmill a tm-1
start_treadmill b tm-2
# She checks in first (on each, so neither waits for the other's spool).
for t in "$T_a" "$T_b"; do
	"$BIN/treadctl" -s "$t/ctl.sock" checkin maya --sleep 7.5 --pain 0 \
	    >/dev/null || fail "checkin refused on $t"
done

none_running() {
	[ "$(psql_q "SELECT count(*) FROM sessions WHERE outcome = 'running'")" = 0 ]
}

both=0 one=0 neither=0
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	"$BIN/treadctl" -s "$T_a/ctl.sock" start maya >"$ROOT/out.a" 2>&1 &
	pa=$!
	"$BIN/treadctl" -s "$T_b/ctl.sock" start maya >"$ROOT/out.b" 2>&1 &
	pb=$!
	ra=0 rb=0
	wait "$pa" || ra=$?
	wait "$pb" || rb=$?
	ran=""
	for x in a b; do
		on "$x"
		[ "$(status_field session)" != idle ] && ran="$ran $x"
	done
	case $ran in
	" a b") both=$((both + 1)) ;;
	" a"|" b") one=$((one + 1)) ;;
	*) neither=$((neither + 1)) ;;
	esac
	# The refused one says where she runs.
	if [ "$ra" -ne 0 ] && [ "$rb" -eq 0 ]; then
		grep -q "already running on treadmill tm-2" "$ROOT/out.a" ||
		    fail "round $i: tm-1's refusal: $(cat "$ROOT/out.a")"
	elif [ "$rb" -ne 0 ] && [ "$ra" -eq 0 ]; then
		grep -q "already running on treadmill tm-1" "$ROOT/out.b" ||
		    fail "round $i: tm-2's refusal: $(cat "$ROOT/out.b")"
	fi
	for x in $ran; do
		on "$x"
		ctl stop >/dev/null && ctl end >/dev/null ||
		    fail "round $i: cannot end tm-$x's session"
		wait_for 10 "round $i: $x idle" status_is session idle
	done
	wait_for 10 "round $i: sessions closed in the database" none_running
done
echo "$ROUNDS rounds: one ran $one, both ran $both, neither ran $neither"
[ "$both" -eq 0 ] || fail "maya ran on both treadmills in $both of $ROUNDS rounds"
[ "$neither" -eq 0 ] || fail "neither treadmill ran her in $neither rounds"

on a
start_running 4 maya
wait_for 10 "tm-1's session in the database" sh -c \
    "[ \"\$(sh '$TOP/scripts/pg.sh' psql '$PGD' -At -c \"SELECT count(*) FROM sessions WHERE outcome = 'running' AND treadmill = 'tm-1'\")\" = 1 ]"
pg_stop
wait_for 10 "a checkpoint spooled" sh -c \
    "[ \"\$('$BIN/treadctl' -s '$T/ctl.sock' -j status | sed 's/.*\"history_spooled\":\([0-9]*\).*/\1/')\" -ge 1 ]"
[ "$(status_field state)" = running ] || fail "the outage disturbed tm-1"
pg_start
wait_for 30 "tm-1's spool drained" status_is history_spooled 0
on b
wait_for 10 "tm-2 linked again" sh -c "! '$BIN/treadctl' -s '$T/ctl.sock' status | grep -q unreachable"
if ctl start maya >"$ROOT/out.after" 2>&1; then
	fail "maya started on tm-2 after the outage while running on tm-1"
fi
grep -q "already running on treadmill tm-1" "$ROOT/out.after" ||
    fail "refusal after the outage: $(cat "$ROOT/out.after")"
on a
[ "$(status_field state)" = running ] || fail "tm-1's session disturbed"
no_secret
pass
