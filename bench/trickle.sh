#!/bin/sh
# A drive that trickles its answers (one byte every TRICKLE_MS, 10 ms by
# default), over TCP and over RTU (a socat PTY pair), a guest session
# running at 6 km/h:
#   comm loss  from `treadsim ctl misbehave trickle` (its log line) to the
#              first RUN=0 command the drive logs: the daemon notices the
#              late answers and latches comm loss
#   stop       from `treadctl stop` written on the socket (ctlstamp) to
#              the first RUN=0 command the drive logs, sent just after
#              the drive starts trickling; and to the reply "ok"
# Both from CLOCK_MONOTONIC: the simulator's log (1 ms) and ctlstamp.
# Figures only, never pass or fail.  Run by bench/run.sh; alone:
#   sh bench/trickle.sh        (after make; TRICKLE_REPS, default 30)
# Writes build/bench/data/trickle_*_ms.txt and prints a report, with
# Markdown rows for the README at its end.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
OUT=$B/bench
REPS=${TRICKLE_REPS:-30}
MS=${TRICKLE_MS:-10}
T=$(mktemp -d "${TMPDIR:-/tmp}/treadtrickle.XXXXXX")
PIDS=""

NAME=trickle
. "$TOP/bench/lib.sh"
stop_all() {
	_rev=""
	for p in $PIDS; do _rev="$p $_rev"; done
	for p in $_rev; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	PIDS=""
}
cleanup() {
	trap - EXIT INT TERM
	stop_all
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "trickle: kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

connected() { ctl -j status | grep -q '"connected":true'; }
no_stop() { ctl -j status | grep -q '"stop_causes":\[\]'; }
comm_loss() { ctl -j status | grep -q '"stop_causes":\[[^]]*comm loss'; }
running() {
	sim state | tr ' ' '\n' | awk -F= '{ v[$1] = $2 }
	    END { exit !(v["run"] == 1 && v["speed"] + 0 >= 5.99) }'
}
run_is_0() { sim state | grep -q ' run=0 '; }
# mark: a line of our own in the simulator's log cannot be written, so
# the count of its lines stands for "from here on".
lines() { wc -l <"$D/sim.log"; }
# first_run0 FROM_LINE FROM_TIME: the time of the first RUN=0 command
# write logged after line FROM_LINE, at or after FROM_TIME (s), and its
# function ("fc=16": the stop's own write; "fc=23": a tick's).
first_run0() {
	awk -v l0="$1" -v t0="$2" 'NR <= l0 { next }
	    / fc=6 / && !/ addr=(16|512) / { next }
	    / ev=write / && / run=0 / {
	        t = substr($1, 3) + 0
	        if (t >= t0 - 0.0005) { printf "%.6f %s\n", t, $3; exit } }' \
	    "$D/sim.log"
}

start_phase() {	# TRANSPORT
	D=$T/$1
	mkdir -p "$D/profiles"
	if [ "$1" = rtu ]; then
		socat pty,raw,echo=0,link="$D/pty.sim" \
		    pty,raw,echo=0,link="$D/pty.daemon" 2>"$D/socat.log" &
		PIDS="$PIDS $!"
		poll_until 5 "socat PTY pair" test -e "$D/pty.sim" -a -e "$D/pty.daemon"
		set -- rtu -r "$D/pty.sim" -b 19200
	else
		set -- tcp -t 127.0.0.1:0
	fi
	_tr=$1; shift
	"$B/treadsim" "$@" -c "$D/sim.sock" -l "$D/sim.log" >"$D/sim.out" 2>&1 &
	PIDS="$PIDS $!"
	poll_until 5 "treadsim control socket" sim state
	_port=$(sed -n 's/^treadsim: listening on tcp 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
	    "$D/sim.out")
	cat >"$D/treadmilld.conf" <<EOC
drive = { transport = "$_tr"; host = "127.0.0.1"; port = ${_port:-1502};
  device = "$D/pty.daemon"; baud = 19200; parity = "N"; unit_id = 1;
  map = "reference"; map_dir = "$TOP/hw/maps"; tick_hz = 20;
  response_timeout_ms = 20; watchdog_ms = 500; comm_loss_ticks = 3;
  reconnect_max_ms = 400; };
machine = { max_speed = 16.0; accel = 4.0; decel = 4.0; };
control = { socket = "$D/ctl.sock"; };
daemon = { name = "bench"; user = ""; };
profiles = { dir = "$D/profiles"; };
history = { path = "$D/history.db"; };
session = { speed = 6.0; incline = 1.0; minutes = 60.0; max_speed = 10.0; };
EOC
	"$B/treadmilld" -f -c "$D/treadmilld.conf" >"$D/daemon.log" 2>&1 &
	PIDS="$PIDS $!"
	poll_until 10 "treadmilld connected" connected
	poll_until 5 "treadctl start accepted" ctl start
	poll_until 15 "belt at 6 km/h" running
}

# back: the drive behaves again, the runner resumes, the belt runs.
# A stop nobody asked for on the way (an answer late on a loaded
# machine latches comm loss too) is counted, and resumed like the rest.
back() {
	sim misbehave none >/dev/null
	poll_until 10 "drive reachable" connected
	poll_until 10 "resume accepted" ctl resume
	_n=0
	until poll_quiet 3 running; do
		_n=$((_n + 1))
		[ "$_n" -le 5 ] || die "the belt does not run again"
		EXTRA=$((EXTRA + 1))
		poll_until 10 "drive reachable" connected
		poll_until 10 "resume accepted" ctl resume
	done
}
# poll_quiet SECONDS COMMAND...: as poll_until, but only say whether.
poll_quiet() {
	_left=$(($1 * 100)); shift
	until "$@" >/dev/null 2>&1; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.01
	done
}

measure() {	# TRANSPORT
	start_phase "$1"
	cl=$OUT/data/trickle_$1_commloss_ms.txt
	st=$OUT/data/trickle_$1_stop_ms.txt
	rp=$OUT/data/trickle_$1_reply_ms.txt
	: >"$cl"; : >"$st"; : >"$rp"
	note "$1: $REPS x comm loss, $REPS x stop, the drive trickling"
	i=0; EXTRA=0; ALREADY=0; LATER=0
	while [ "$i" -lt "$REPS" ]; do
		random_phase
		_l=$(lines)
		sim misbehave trickle "$MS" >/dev/null
		poll_until 5 "comm loss latched" comm_loss
		_t0=$(awk -v l0="$_l" 'NR > l0 && / ev=misbehave mode=trickle/ {
		    print substr($1, 3); exit }' "$D/sim.log")
		_t1=$(first_run0 "$_l" "$_t0")
		_t1=${_t1%% *}
		[ -n "$_t0" ] && [ -n "$_t1" ] || die "no trickle or no RUN=0 logged"
		awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$cl"
		back

		# The stop soon after the trickle starts: the first late answer
		# latches comm loss within a tick or two, and a stop after that
		# finds RUN=0 at the drive already (counted apart).
		_l=$(lines)
		sim misbehave trickle "$MS" >/dev/null
		_s=$("$OUT/ctlstamp" "$D/ctl.sock" stop) || die "stop refused: $_s"
		_tw=${_s%% *}; _tr=${_s#* }; _tr=${_tr%% *}
		# On RTU the stop's own frame can meet the trickling answer on
		# the line and be lost: RUN=0 then comes with a later write.
		poll_until 5 "drive sees RUN=0" run_is_0
		_t1=$(first_run0 "$_l" 0)
		[ -n "$_t1" ] || die "no RUN=0 logged after stop"
		[ "${_t1#* }" = fc=16 ] || LATER=$((LATER + 1))
		_t1=${_t1%% *}
		if awk -v a="$_tw" -v b="$_t1" 'BEGIN { exit !(b < a - 0.0005) }'; then
			ALREADY=$((ALREADY + 1))
		else
			awk -v a="$_tw" -v b="$_t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$st"
		fi
		awk -v a="$_tw" -v b="$_tr" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$rp"
		back
		i=$((i + 1))
	done
	stop_all
	echo "$EXTRA $ALREADY $LATER" >"$OUT/data/trickle_$1_counts.txt"
}

mkdir -p "$OUT/data"
[ -x "$OUT/ctlstamp" ] || ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -o "$OUT/ctlstamp" \
    "$TOP/bench/ctlstamp.c" || die "cannot build bench/ctlstamp.c"
D=$T
for p in treadmilld treadctl treadsim; do
	[ -x "$B/$p" ] || die "$B/$p is missing: run make first"
done
command -v socat >/dev/null || die "socat is needed (scripts/deps.sh)"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
measure tcp
measure rtu

echo "Trickling drive (one byte every $MS ms; comm_loss_ticks 3 at 20 Hz,"
echo "response_timeout_ms 20; load at start $LOAD0):"
for tr in tcp rtu; do
	echo "  $tr: trickle -> RUN=0 (comm loss)  $(summary "$OUT/data/trickle_${tr}_commloss_ms.txt" 0)"
	echo "  $tr: treadctl stop -> RUN=0         $(summary "$OUT/data/trickle_${tr}_stop_ms.txt" 1)"
	echo "  $tr: treadctl stop -> reply \"ok\"    $(summary "$OUT/data/trickle_${tr}_reply_ms.txt" 3)"
	read -r _x _a _w <"$OUT/data/trickle_${tr}_counts.txt"
	echo "  $tr: stops that found RUN=0 at the drive already (comm loss first): $_a;"
	echo "       RUN=0 first reached the drive with a tick's write, not the stop's: $_w;"
	echo "       stops nobody asked for on the way back (resumed): $_x"
done
echo ""
echo "| Trickling drive, TCP: trickle starts -> RUN=0 (comm loss latched) | $(cell "$OUT/data/trickle_tcp_commloss_ms.txt" 0) |"
echo "| Trickling drive, RTU: trickle starts -> RUN=0 (comm loss latched) | $(cell "$OUT/data/trickle_rtu_commloss_ms.txt" 0) |"
echo "| Trickling drive, TCP: \`treadctl stop\` -> drive sees RUN=0 | $(cell "$OUT/data/trickle_tcp_stop_ms.txt" 1) |"
echo "| Trickling drive, RTU: \`treadctl stop\` -> drive sees RUN=0 | $(cell "$OUT/data/trickle_rtu_stop_ms.txt" 1) |"
