#!/bin/sh
# treadsim against mbpoll, a Modbus master nobody here wrote: telemetry
# reads (FC03, FC04), command writes (FC06, FC16), the contract's
# exceptions, the belt moving, over TCP, over RTU through a socat PTY pair,
# and the vfd layout.  TREADSIM=path overrides build/treadsim.
# Prints PASS:/FAIL: lines; exits 0 if all pass, 1 otherwise.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
SIM=${TREADSIM:-${BIN:-$top/build}/treadsim}
tmp=$(mktemp -d)
pids=""
fails=0
UNIT=1

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

pass() { echo "PASS: $1"; }
fail() {
	echo "FAIL: $1"
	fails=$((fails + 1))
	[ -s "$tmp/mb.err" ] && sed 's/^/    mbpoll: /' "$tmp/mb.err"
	return 0
}

# check NAME CMD...: one test; CMD must chain its steps (|| return 1).
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
wait_for() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# holds SECONDS CMD...: CMD stays true for that long (a "never" check).
holds() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 || return 1
		sleep 0.05
		n=$((n - 1))
	done
	return 0
}

# start_sim NAME ARGS...: start treadsim, wait until it serves.
start_sim() {
	name=$1
	shift
	CTL=$tmp/$name.sock
	LOG=$tmp/$name.log
	"$SIM" "$@" -c "$CTL" -l "$LOG" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	SIMPID=$!
	pids="$pids $SIMPID"
	wait_for 10 grep -q '^treadsim: listening on ' "$tmp/$name.out" ||
	    return 1
	[ -S "$CTL" ] || return 1
	port=$(sed -n 's/^treadsim: listening on tcp [0-9.]*:\([0-9]*\) .*/\1/p' \
	    "$tmp/$name.out")
	return 0
}

# stop_sim: SIGTERM, clean exit, control socket gone.
stop_sim() {
	kill -TERM "$SIMPID" || return 1
	rc=0
	wait "$SIMPID" || rc=$?
	[ "$rc" -eq 0 ] && [ ! -e "$CTL" ]
}

use_tcp() { MB_OPTS="-p $port"; MB_HOST=127.0.0.1; }
use_rtu() { MB_OPTS="-m rtu -b 19200 -P none"; MB_HOST=$tmp/b; }

# rd TABLE ADDR COUNT: one mbpoll read (0-based PDU addresses with -0).
rd() {
	# shellcheck disable=SC2086
	mbpoll -1 -0 -o 1 -a "$UNIT" $MB_OPTS -t "$1" -r "$2" -c "$3" \
	    "$MB_HOST" >"$tmp/mb.out" 2>"$tmp/mb.err"
}

# wr ADDR VALUE...: FC06 for one value, FC16 for several.
wr() {
	a=$1
	shift
	# shellcheck disable=SC2086
	mbpoll -1 -0 -o 1 -a "$UNIT" $MB_OPTS -t 4 -r "$a" "$MB_HOST" "$@" \
	    >"$tmp/mb.out" 2>"$tmp/mb.err"
}

# reg ADDR: value printed by the last rd.
reg() { sed -n "s/^\[$1\]:[[:space:]]*//p" "$tmp/mb.out"; }
mb_exc() { grep -q "$1" "$tmp/mb.err"; }

ctl() { "$SIM" ctl -c "$CTL" "$@"; }
st() { ctl state | tr ' ' '\n' | sed -n "s/^$1=//p"; }
st_is() { [ "$(st "$1")" = "$2" ]; }
st_gt() { awk -v a="$(st "$1")" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
st_lt() { awk -v a="$(st "$1")" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
logged() { grep -q -- "$1" "$LOG"; }

# Exception answers must come back as exceptions and change nothing.
t_write_telemetry() {
	e=$(st errors)
	wr 1 500 && return 1
	mb_exc "Illegal data address" || return 1
	[ "$(st errors)" -eq $((e + 1)) ] || return 1
	rd 4 0 8 || return 1
	[ "$(reg 1)" = 0 ] || return 1
	logged "ev=exception fc=6 code=2"
}

t_speed_too_high() {
	wr 17 2501 && return 1
	mb_exc "Illegal data value" || return 1
	st_is setpoint 0.00 || return 1
	wr 17 2500 || return 1
	st_is setpoint 25.00 || return 1
	wr 17 0
}

# FC16 with one bad value: nothing of it applies.
t_fc16_atomic() {
	wr 16 1 2501 && return 1
	mb_exc "Illegal data value" || return 1
	st_is run 0 && st_is setpoint 0.00 && logged "ev=exception fc=16 code=3"
}

t_gap() {
	rd 4 8 1 && return 1
	mb_exc "Illegal data address" || return 1
	rd 3 16 1 && return 1
	mb_exc "Illegal data address" || return 1
	wr 23 1 && return 1
	mb_exc "Illegal data address"
}

t_read_fc03() {
	rd 4 0 8 || return 1
	[ "$(reg 0)" = 66 ] && [ "$(reg 3)" = 65 ] && [ "$(reg 1)" = 0 ]
}

t_read_fc04() {
	rd 3 0 8 || return 1
	[ "$(reg 0)" = 66 ] && [ "$(reg 3)" = 65 ]
}

# Without -0 mbpoll counts from 1: reference 1 is PDU address 0.
t_one_based() {
	# shellcheck disable=SC2086
	mbpoll -1 -o 1 -a "$UNIT" $MB_OPTS -t 4 -r 1 -c 2 "$MB_HOST" \
	    >"$tmp/mb.out" 2>"$tmp/mb.err" || return 1
	[ "$(reg 1)" = 66 ]
}

t_run() {
	wr 20 0 || return 1			# watchdog off: mbpoll has no heartbeat
	wr 16 1 600 0 7 || return 1
	logged "ev=write fc=16 run=1 reset=0 speed=6.00 incline=0.0 hb=7" ||
	    return 1
	logged "ev=run_edge" || return 1
	st_is armed 1 || return 1
	wait_for 5 st_gt speed 1.0 || return 1
	rd 4 0 8 || return 1
	[ "$(reg 1)" -gt 100 ] && [ $(($(reg 0) & 1)) -eq 1 ] &&
	    [ "$(reg 5)" = 7 ]
}

t_estop() {
	ctl estop on >/dev/null || return 1
	rd 4 0 1 || return 1
	[ $(($(reg 0) & 4)) -eq 4 ] || return 1
	wait_for 5 st_is speed 0.00 || return 1
	ctl estop off >/dev/null || return 1
	# RUN is still 1, but releasing ESTOP must not restart the belt.
	holds 1 st_is speed 0.00 || return 1
	st_is armed 0 || return 1
	wr 16 0 && wr 16 1 || return 1
	wait_for 5 st_gt speed 0.5 && logged "ev=estop on" && logged "ev=estop off"
}

t_watchdog() {
	wr 20 300 || return 1
	wr 16 0 && wr 16 1 || return 1
	wait_for 5 st_is watchdog 1 || return 1
	wait_for 10 st_is speed 0.00 || return 1
	logged "ev=watchdog" || return 1
	wr 16 2 || return 1			# RESET edge, RUN 0
	st_is watchdog 0 && logged "ev=reset" || return 1
	wr 20 0
}

t_hr_off() {
	ctl hr off >/dev/null || return 1
	rd 4 3 1 && [ "$(reg 3)" = 0 ] || return 1
	ctl hr on >/dev/null || return 1
	rd 4 3 1 && [ "$(reg 3)" -gt 0 ]
}

t_unit_filter() {
	UNIT=7
	if rd 4 0 1; then UNIT=1; return 1; fi
	UNIT=1
	rd 4 0 1 && [ "$(reg 0)" -ge 66 ]
}

t_ctl_errors() {
	out=$(ctl bogus) && return 1
	case $out in "error: "*) ;; *) return 1 ;; esac
	ctl fault 9 >/dev/null && return 1
	ctl estop maybe >/dev/null && return 1
	ctl set hr_tau -1 >/dev/null && return 1
	ctl set hr_tau 30 >/dev/null || return 1
	long=$(printf '%0300d' 0)
	ctl "$long" >/dev/null 2>&1 && return 1
	# the server bounds lines too, whatever the client
	out=$(printf '%s\n' "$long" | socat -t 2 - "UNIX-CONNECT:$CTL") ||
	    return 1
	[ "$out" = "error: line too long (max 256)" ] || return 1
	out=$(printf 'state\nstate\n' | socat -t 2 - "UNIX-CONNECT:$CTL") ||
	    return 1
	[ "$(echo "$out" | grep -c '^ok t=')" -eq 2 ] || return 1
	ctl state >/dev/null
}

t_fault_reset() {
	ctl fault 3 >/dev/null || return 1
	rd 4 0 8 || return 1
	[ $(($(reg 0) & 8)) -eq 8 ] && [ "$(reg 4)" = 3 ] || return 1
	wr 16 0 && wr 16 2 || return 1
	rd 4 0 8 || return 1
	[ $(($(reg 0) & 8)) -eq 0 ] && [ "$(reg 4)" = 0 ] &&
	    logged "ev=fault code=3"
}

# FC23 is what the daemon uses; mbpoll cannot send it, so a few raw bytes.
t_fc23() {
	command -v python3 >/dev/null || return 0
	python3 - "$port" <<'EOF' || return 1
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
def tx(pdu):
    s.sendall(struct.pack(">HHHB", 9, 0, len(pdu) + 1, 1) + pdu)
    hdr = s.recv(7)
    tid, _, n, unit = struct.unpack(">HHHB", hdr)
    return s.recv(n - 1)
# write 16..19 = RUN, 3.00 km/h, 2.0 %, hb 4242; read 0..7
r = tx(struct.pack(">BHHHHB4H", 23, 0, 8, 16, 4, 8, 1, 300, 20, 4242))
assert r[0] == 23 and r[1] == 16, r
regs = struct.unpack(">8H", r[2:])
assert regs[5] == 4242, regs          # heartbeat_echo already updated
# the write half touching telemetry: exception 02
r = tx(struct.pack(">BHHHHB1H", 23, 0, 8, 7, 1, 2, 0))
assert r == bytes([23 | 0x80, 2]), r
# incline out of range: exception 03
r = tx(struct.pack(">BHHHHB3H", 23, 0, 8, 16, 3, 6, 1, 300, 151))
assert r == bytes([23 | 0x80, 3]), r
EOF
	st_is hb 4242 && st_is incline_set 2.0 && logged "ev=write fc=23 run=1"
}

t_inject() {
	ctl exception 4 >/dev/null || return 1
	rd 4 0 1 && return 1
	mb_exc "Slave device or server failure" || return 1
	ctl exception 0 >/dev/null || return 1
	rd 4 0 1 || return 1
	ctl mute on >/dev/null || return 1
	i=$(st ignored)
	rd 4 0 1 && return 1
	mb_exc "timed out" || return 1
	[ "$(st ignored)" -gt "$i" ] || return 1
	ctl mute off >/dev/null || return 1
	rd 4 0 1 || return 1
	logged "ev=mute on" && logged "ev=mute off"
}

# A slow drive: replies held back by a timer while the loop (ctl, physics)
# goes on; a reply later than the master's timeout is lost.
t_slow() {
	ctl slow 1500 >/dev/null || return 1
	rd 4 0 1 && return 1
	mb_exc "timed out" || return 1
	ctl slow 300 >/dev/null || return 1
	t0=$(st t)
	rd 4 0 1 || return 1
	t1=$(st t)
	ctl slow 0 >/dev/null || return 1
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.3) }'
}

t_console() {
	ctl request 7.5 >/dev/null || return 1
	rd 4 6 1 && [ "$(reg 6)" = 750 ] || return 1
	ctl stop >/dev/null || return 1
	rd 4 0 1 && [ $(($(reg 0) & 32)) -eq 32 ] && [ $(($(reg 0) & 64)) -eq 0 ] ||
	    return 1
	wait_for 10 st_is speed 0.00 || return 1
	wr 16 0 && wr 16 3 || return 1		# RESET and RUN edges together
	st_is stop_key 0 && st_is armed 1 || return 1
	rd 4 6 1 && [ "$(reg 6)" = 0 ] && logged "ev=stop_key"
}

# Two masters at once: one polling, one writing.
t_two_clients() {
	# shellcheck disable=SC2086
	mbpoll -0 -l 50 -o 1 -a 1 $MB_OPTS -t 4 -r 0 -c 8 "$MB_HOST" \
	    >/dev/null 2>&1 &
	poller=$!
	pids="$pids $poller"
	r=$(st requests)
	wait_for 5 st_gt requests $((r + 5)) || return 1
	wr 18 15 || return 1
	kill "$poller"
	st_is incline_set 1.5
}

t_reconnect() {
	[ "$(grep -c 'ev=connect' "$LOG")" -ge 3 ] &&
	    [ "$(grep -c 'ev=disconnect' "$LOG")" -ge 3 ]
}

t_help() {
	"$SIM" -h | grep -q '^usage: treadsim' && "$SIM" --help >/dev/null
}

# ---- TCP, reference layout ----
check "usage" t_help
if start_sim ref -t 127.0.0.1:0; then
	pass "tcp: start"
	use_tcp
	check "tcp: FC03 telemetry" t_read_fc03
	check "tcp: FC04 telemetry" t_read_fc04
	check "tcp: 1-based reference numbers" t_one_based
	check "tcp: write to telemetry gets exception 02" t_write_telemetry
	check "tcp: speed 2501 gets exception 03" t_speed_too_high
	check "tcp: FC16 validated whole" t_fc16_atomic
	check "tcp: gap and out-of-block addresses get exception 02" t_gap
	check "tcp: RUN moves the belt" t_run
	check "tcp: estop stops, release needs a new RUN edge" t_estop
	check "tcp: watchdog" t_watchdog
	check "tcp: fault latch and RESET" t_fault_reset
	check "tcp: hr off reads 0" t_hr_off
	check "tcp: other unit ids are ignored" t_unit_filter
	check "tcp: FC23 write+read" t_fc23
	check "tcp: exception injection and mute" t_inject
	check "tcp: slow replies" t_slow
	check "tcp: console request and STOP key" t_console
	check "tcp: two clients at once" t_two_clients
	check "tcp: clients reconnect" t_reconnect
	check "ctl: bad commands are errors" t_ctl_errors
	check "tcp: SIGTERM exits cleanly" stop_sim
else
	fail "tcp: start"
	cat "$tmp/ref.err" >&2 || true
fi

# ---- TCP, vfd layout ----
t_vfd() {
	rd 3 256 8 && return 1
	mb_exc "Illegal function" || return 1
	rd 4 256 8 || return 1
	[ "$(reg 256)" = 66 ] || return 1
	rd 4 0 8 && return 1
	mb_exc "Illegal data address" || return 1
	wr 513 7813 && return 1
	mb_exc "Illegal data value" || return 1
	wr 516 0 || return 1
	rd 4 517 2 && [ "$(reg 517)" = 313 ] && [ "$(reg 518)" = 469 ] ||
	    return 1
	wr 512 1 2500 || return 1		# 25 Hz = 8 km/h
	st_is setpoint 8.00 || return 1
	wait_for 5 st_gt speed 0.5 || return 1
	rd 4 257 1 && [ "$(reg 257)" -gt 150 ]
}

t_quit() {
	ctl quit >/dev/null || return 1
	rc=0
	wait "$SIMPID" || rc=$?
	[ "$rc" -eq 0 ] && [ ! -e "$CTL" ]
}

if start_sim vfd -m vfd -t 127.0.0.1:0; then
	use_tcp
	check "vfd: FC04 refused, FC03 at 256, speed in 0.01 Hz" t_vfd
	check "vfd: ctl quit exits cleanly" t_quit
else
	fail "vfd: start"
fi

# ---- RTU through a socat PTY pair ----
t_rtu() {
	rd 4 0 8 || return 1
	[ "$(reg 0)" = 66 ] || return 1
	rd 3 0 8 && [ "$(reg 3)" = 65 ] || return 1
	wr 1 5 && return 1
	mb_exc "Illegal data address" || return 1
	wr 17 2501 && return 1
	mb_exc "Illegal data value" || return 1
	wr 16 1 500 || return 1
	wait_for 5 st_gt speed 0.5
}

# A frame for another unit must not cost the next good one.
t_rtu_unit() {
	UNIT=9
	if rd 4 0 1; then UNIT=1; return 1; fi
	UNIT=1
	rd 4 0 1 && [ $(($(reg 0) & 1)) -eq 1 ]
}

if command -v socat >/dev/null; then
	socat -d -d pty,raw,echo=0,link="$tmp/a" pty,raw,echo=0,link="$tmp/b" \
	    2>"$tmp/socat.err" &
	pids="$pids $!"
	if wait_for 5 test -e "$tmp/a" -a -e "$tmp/b" &&
	    start_sim rtu -r "$tmp/a" -w 0; then
		use_rtu
		check "rtu: read, exceptions, belt moves" t_rtu
		check "rtu: other unit ids are ignored" t_rtu_unit
		check "rtu: SIGTERM exits cleanly" stop_sim
	else
		fail "rtu: start"
	fi
else
	fail "rtu: socat not installed"
fi

if [ "$fails" -eq 0 ]; then
	exit 0
fi
exit 1
