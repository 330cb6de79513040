#!/bin/sh
# transports: tcp
# The shipped starting.conf runner, once her plans give her easy runs,
# unlocks intervals after three calendar weeks of exactly the sessions
# her plans give her: each day the plan is asked for first, and the run
# it plans is back-filled from her paper log as she ran it (its minutes
# and its running minutes), with two strength sessions a week.  The
# daemon's clock is real, so the weeks are the three before this one.
. "$(dirname "$0")/lib.sh"
start_sim
mkdir -p "$T/profiles"
cp "$TOP/etc/profiles/starting.conf" "$T/profiles/sam.conf"
write_conf
start_daemon

# plan_of FILE: "WORKOUT TOTAL RUNNING" of the plan in FILE.
plan_of() {
	awk '/^workout: / { w = $2; sub(/,$/, "", w); t = $3 }
	    /^ +(run|easy run)/ { for (i = 1; i <= NF; i++)
	        if ($i ~ /^[0-9]+:[0-9][0-9]$/) {
	            split($i, a, ":"); r += a[1] * 60 + a[2] } }
	    END { printf "%s %s %.2f\n", w, t, r / 60 }' "$1"
}

# She has been running: her longest run of late, 22 running minutes,
# the day before the three weeks (within the spike guard's 30 days).
ctl log-run sam --date "$(plus "$(monday 3)" -1)" --minutes 28 \
    --running 22 >/dev/null || fail "log-run refused"
n=0
for w in 3 2 1; do
	m=$(monday "$w")
	for d in 0 2 4; do
		ctl plan sam >"$T/plan.$n" || fail "plan refused"
		set -- $(plan_of "$T/plan.$n")
		[ "$1" = easy ] || fail "day $n: her plan is not an easy run: $(cat "$T/plan.$n")"
		ctl log-run sam --date "$(plus "$m" $d)" --minutes "$2" \
		    --running "$3" >/dev/null || fail "log-run $2 $3 refused"
		n=$((n + 1))
	done
	for d in 1 3; do
		ctl log-strength sam --date "$(plus "$m" $d)" --minutes 25 \
		    >/dev/null || fail "log-strength refused"
	done
done
ctl plan sam >"$T/plan" || fail "plan refused"
grep -q "^phase: unlocked" "$T/plan" ||
    fail "not unlocked after three weeks of her plans: $(cat "$T/plan")"
grep -q "^reason: intervals unlocked: 3 weeks in a row" "$T/plan" ||
    fail "plan does not say why: $(cat "$T/plan")"
pass
