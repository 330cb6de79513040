#!/bin/sh
# transports: tcp
# A misbehaving plugin (tests/plugins/bad.c): NaN, negative, 99 km/h,
# infinite speeds and absurd inclines never reach the drive beyond the
# caps; an error from its tick ends the session safely; an error from
# init or plan refuses the start; a plugin directory others can write to
# is refused.
. "$(dirname "$0")/lib.sh"
PLUGIN_DIR=$BIN/tests/plugins PLUGIN_CONF='bad = { mode = "wild"; };'
setup
checkin maya
ctl start maya --workout bad >/dev/null || fail "start refused"
wait_writes 200
awk '/ ev=write / && / fc=23 / && / run=1 / {
        sp = $0; sub(/.* speed=/, "", sp); sp += 0
        inc = $0; sub(/.* incline=/, "", inc); inc += 0
        if (sp > 7.5 || sp < 0 || inc > 2.0 || inc < 0) { print; bad = 1 } }
     END { exit bad }' "$T/sim.log" || fail "a wild proposal reached the drive"
grep -q "speed=nan\|incline=nan\|speed=inf" "$T/sim.log" && fail "NaN or inf reached the drive"
kill -0 "$DAEMON_PID" || fail "daemon died"
ctl status >/dev/null || fail "status"
ctl end >/dev/null
wait_for 60 "session over" status_is session idle
stop_daemon

# An error from tick: walk, cool down, end; never a jolt or a crash.
PLUGIN_CONF='bad = { mode = "error_tick"; };'
write_conf
start_daemon
ctl start maya --workout bad >/dev/null || fail "start refused (error_tick)"
wait_for 10 "the plugin's error" grep -q "workout bad failed a tick" "$T/daemon.log"
ctl -j status | grep -q '"segment":"walk"' || fail "not walking after the plugin's error"
sim_le setpoint 5.0 || fail "not at walking pace after the error"
stop_daemon

for mode in error_init error_plan overplan; do
	PLUGIN_CONF="bad = { mode = \"$mode\"; };"
	write_conf
	start_daemon
	if ctl start maya --workout bad 2>"$T/err"; then fail "start accepted with $mode"; fi
	grep -q "workout 'bad'" "$T/err" || fail "$mode refusal: $(cat "$T/err")"
	[ "$(sim_state run)" = 0 ] || fail "RUN=1 after a refused start ($mode)"
	stop_daemon
done

# A plugin directory others can write to is refused.
mkdir "$T/plugdir"
cp "$BIN/plugins/easy.so" "$T/plugdir/"
chmod 0777 "$T/plugdir"
PLUGIN_DIR=$T/plugdir PLUGIN_CONF=
write_conf
start_daemon
if ctl start maya --workout easy 2>"$T/err"; then fail "plugin from a world-writable directory"; fi
grep -q "writable by group and others" "$T/err" || fail "refusal: $(cat "$T/err")"
# A symlinked plugin is refused too.
chmod 0755 "$T/plugdir"
mv "$T/plugdir/easy.so" "$T/plugdir/real.so"
ln -s real.so "$T/plugdir/easy.so"
if ctl start maya --workout easy 2>"$T/err"; then fail "symlinked plugin loaded"; fi
grep -q "symbolic link" "$T/err" || fail "symlink refusal: $(cat "$T/err")"
pass
