#!/bin/sh
# transports: tcp
# The heart-rate strap comes off during a steered easy run: the daemon's
# easy plugin holds the pace for its grace (2 s here), then the belt's
# setpoint comes down to walking and never rises while the signal is
# gone; when it is back, steering resumes.
. "$(dirname "$0")/lib.sh"
start_sim
write_conf
# lib.sh writes the easy group; add the grace to it.
group='\(easy = { warmup_min = [0-9.]*; cooldown_min = [0-9.]*;\) };'
sed -i "s/$group/\1 hr_loss_grace_s = 2.0; };/" "$T/treadmilld.conf"
grep -q 'hr_loss_grace_s = 2.0' "$T/treadmilld.conf" ||
	fail "could not set plugins.easy.hr_loss_grace_s"
start_daemon
walk=5.0       # maya's walking pace
checkin maya
ctl start maya --workout easy >/dev/null || fail "start refused"
wait_for 60 "the easy run" status_is segment "easy run"
# Steering has the belt above a walk.
wait_for 30 "the belt above a walk" sh -c "
	awk -v s=\$('$BIN/treadsim' ctl -c '$T/sim.sock' state | tr ' ' '\n' |
	    sed -n 's/^setpoint=//p') -v w=$walk 'BEGIN { exit !(s > w + 0.5) }'"
sim hr off >/dev/null
held=$(sim_state setpoint)
# Down to a walk after the grace; never above where it was.
wait_for 20 "the setpoint down to a walk" sim_le setpoint $walk
wait_for 5 "the label saying why" status_is segment "no heart rate: walking"
# Ten more seconds without a signal: the setpoint never rises.
hi=$(sim_state setpoint)
n=0
while [ $n -lt 50 ]; do
	sp=$(sim_state setpoint)
	awk -v a="$sp" -v b="$hi" 'BEGIN { exit !(a <= b + 1e-9) }' ||
		fail "setpoint rose to $sp km/h with no heart rate"
	hi=$sp
	sleep 0.2
	n=$((n + 1))
done
status_is segment "no heart rate: walking" ||
	fail "label now '$(status_field segment)'"
echo "no heart rate: $held km/h held, then $hi km/h"
# The signal is back: steering takes her up again.
sim hr on >/dev/null
wait_for 10 "steering again" status_is segment "easy run"
wait_for 60 "the setpoint above a walk again" sim_ge setpoint 5.2
pass
