#!/bin/sh
# transports: tcp
# A symptom's walk-down is a cap: after 'symptom leak' neither the
# runner's speed command nor the console's speed-up key takes the belt
# back above walking pace, for the whole walk-down.
. "$(dirname "$0")/lib.sh"
SPEED=8.0 CAP=10.0 ACCEL=4 DECEL=2
setup
start_running 7.9
ctl symptom leak >"$T/out" || fail "symptom refused"
grep -q "walking, then cool-down" "$T/out" || fail "symptom reply: $(cat "$T/out")"
wait_for 10 "belt down to walking pace" sim_le setpoint 5.0
t_walk=$(sim_state t)
[ "$(status_field segment)" = "walk: symptom" ] || fail "segment: $(status_field segment)"

# Her own request: answered as capped at walking pace, and held there.
ctl speed 8 >"$T/out" || fail "speed refused: $(cat "$T/out")"
wait_writes 40
sim_le setpoint 5.0 || fail "speed 8 took the belt to $(sim_state setpoint) km/h"
grep -q "capped at 5.00 km/h" "$T/out" || fail "speed reply: $(cat "$T/out")"
[ "$(status_field cap_kmh)" = 5.0 ] || fail "cap_kmh $(status_field cap_kmh) in the walk-down"

# The console's speed-up key: the same.
sim request 8.0 >/dev/null
wait_writes 40
sim_le setpoint 5.0 || fail "console key took the belt to $(sim_state setpoint) km/h"
[ "$(status_field segment)" = "walk: symptom" ] || fail "segment: $(status_field segment)"

# No write since the belt reached walking pace went above it.
awk -v t0="$t_walk" '
    / ev=write / && / fc=23 / { t = substr($1, 3) + 0; sp = $0
        sub(/.* speed=/, "", sp); sp += 0
        if (t >= t0 && sp > 5.001) { print "write at " sp; bad = 1 } }
    END { exit bad }' "$T/sim.log" || fail "a command above walking pace in the walk-down"
pass
