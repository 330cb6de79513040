#!/bin/sh
# transports: tcp rtu
# The second register map: a drive with FC03/FC16 only and speed counted
# in 0.01 Hz.  The same daemon runs it through the map alone: the belt
# reaches the pace, the runner's request above the cap is clamped, and an
# e-stop still stops it.
. "$(dirname "$0")/lib.sh"
MAP=vfd-hz SPEED=5.0 CAP=7.0 ACCEL=3
start_sim -m vfd
write_conf
start_daemon
start_running 4.9
grep -q "fc=23" "$T/sim.log" && fail "FC23 used with a map that has none"
grep -q "fc=16" "$T/sim.log" || fail "no FC16 writes seen"
ctl speed 12 | grep -q "capped at 7.00" || fail "request above the cap not reported as capped"
wait_for 15 "belt at the cap" sim_ge speed 6.9
wait_writes 20
sim_le setpoint 7.0 || fail "setpoint $(sim_state setpoint) above the 7 km/h cap"
sim estop on >/dev/null
wait_for 5 "stopped" status_is state stopped
wait_for 10 "belt stopped" sim_le speed 0
pass
