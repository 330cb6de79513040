#!/bin/sh
# make bench: measure treadmilld against the simulated drive, on loopback
# (and a socat PTY pair for the RTU byte count).  Figures only, never pass
# or fail: every distribution is reported as median, p99 and n.
#
# Phases (each starts its own treadsim and treadmilld and ends them):
#   A  reference map over TCP: a steady window (tick period from the
#      simulator's log, transactions per tick, CPU, memory), then
#      repeated `stop` and e-stop cycles on the same session
#   B  the same through a timestamping relay (microsecond tick periods)
#   C  the vfd-hz map over TCP (FC16 + FC03): transactions per tick
#   D  RTU over a socat PTY pair, both maps: bytes per tick on the line
# and the RTU bus budget at 19200 baud computed from the frame layout.
#
# Settings (environment): BENCH_WINDOW (s, default 60), BENCH_SHORT (s,
# default 10), BENCH_REPS (default 30), BENCH_KEEP=1 keeps the work dir.
# See bench/README.md for what each figure means.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
OUT=$B/bench
WINDOW=${BENCH_WINDOW:-60}
SHORT=${BENCH_SHORT:-10}
REPS=${BENCH_REPS:-30}
TICK_HZ=20
SPEED=6.0
T=$(mktemp -d "${TMPDIR:-/tmp}/treadbench.XXXXXX")
PIDS=""

# ---------------------------------------------------------------- plumbing

NAME=bench
. "$TOP/bench/lib.sh"

# A process is gone once /proc has no entry or only a zombie's.
alive() {
	[ -e "/proc/$1" ] || return 1
	! sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}

# end_pid PID: TERM, then TERM again (treadmilld: stop now), then KILL,
# each after a bounded wait; reap it and forget it.
end_pid() {
	for _sig in TERM TERM KILL; do
		alive "$1" || break
		kill -s "$_sig" "$1" 2>/dev/null || true
		_n=200
		while [ "$_n" -gt 0 ] && alive "$1"; do
			sleep 0.01
			_n=$((_n - 1))
		done
	done
	wait "$1" 2>/dev/null || true
	_keep=""
	for _p in $PIDS; do [ "$_p" = "$1" ] || _keep="$_keep $_p"; done
	PIDS=$_keep
}

cleanup() {
	trap - EXIT INT TERM
	# Newest first: the daemon before the simulator before socat.
	_rev=""
	for p in $PIDS; do _rev="$p $_rev"; done
	for p in $_rev; do end_pid "$p"; done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kv KEY: a value from "key=value" words on stdin.
kv() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
sim_state() { sim state | kv "$1"; }
# json_field KEY JSON: one value from a flat JSON object.
json_field() {
	# shellcheck disable=SC2020
	printf '%s\n' "$2" | tr ',{}' '\n\n\n' | sed -n "s/^\"$1\"://p" |
	    tr -d '"'
}
# status_field KEY: one value from `treadctl -j status`.
status_field() { json_field "$1" "$(ctl -j status)"; }
connected() { [ "$(status_field connected)" = true ]; }
sim_running_at() {	# KMH: the drive has RUN=1 and the belt at >= KMH
	sim state | awk -v min="$1" '{
	    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
	    END { exit !(v["run"] == 1 && v["running"] == 1 &&
	    v["speed"] + 0 >= min) }'
}
sim_run_is() { [ "$(sim_state run)" = "$1" ]; }
file_has() { grep -q "$1" "$2" 2>/dev/null; }

# window SECONDS: let a measured window elapse.  The sleep runs in the
# background so that a signal to this script ends it at once.
window() {
	sleep "$1" &
	_sp=$!
	PIDS="$PIDS $_sp"
	wait "$_sp" || true
	end_pid "$_sp"
}

# ------------------------------------------------------------- processes

# new_phase NAME: a fresh directory for one simulator and one daemon.
new_phase() {
	D=$T/$1
	mkdir -p "$D"
	PORT=""; SOCAT_PID=""; RELAY_PID=""
}

# start_sim_tcp [treadsim args...]: a free port picked by the simulator.
start_sim_tcp() {
	"$B/treadsim" -t 127.0.0.1:0 -c "$D/sim.sock" -l "$D/sim.log" "$@" \
	    >"$D/sim.out" 2>&1 &
	SIM_PID=$!
	PIDS="$PIDS $SIM_PID"
	poll_until 5 "treadsim control socket" sim state
	PORT=$(sed -n 's/^treadsim: listening on tcp 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
	    "$D/sim.out")
	[ -n "$PORT" ] || die "no port in treadsim's output"
	TRANSPORT=tcp
}

# start_sim_rtu [treadsim args...]: on one end of a socat PTY pair that
# also dumps every byte it passes (-x) to socat.log.
start_sim_rtu() {
	socat -x pty,raw,echo=0,link="$D/pty.sim" \
	    pty,raw,echo=0,link="$D/pty.daemon" 2>"$D/socat.log" &
	SOCAT_PID=$!
	PIDS="$PIDS $SOCAT_PID"
	poll_until 5 "socat PTY pair" test -e "$D/pty.sim" -a -e "$D/pty.daemon"
	"$B/treadsim" -r "$D/pty.sim" -b 19200 -c "$D/sim.sock" \
	    -l "$D/sim.log" "$@" >"$D/sim.out" 2>&1 &
	SIM_PID=$!
	PIDS="$PIDS $SIM_PID"
	poll_until 5 "treadsim control socket" sim state
	TRANSPORT=rtu
}

# start_relay: the timestamping relay in front of the simulator; the
# daemon then connects to the relay's port.
start_relay() {
	"$OUT/mbrelay" "$PORT" "$D/relay.log" >"$D/relay.out" 2>&1 &
	RELAY_PID=$!
	PIDS="$PIDS $RELAY_PID"
	poll_until 5 "relay port" file_has '^port ' "$D/relay.out"
	PORT=$(sed -n 's/^port //p' "$D/relay.out")
}

# start_daemon MAP: a guest session's settings (no runner profiles), the
# history in the phase's directory, no privilege drop.
start_daemon() {
	mkdir -p "$D/profiles"
	cat >"$D/treadmilld.conf" <<EOC
drive = {
  transport = "$TRANSPORT";
  host = "127.0.0.1";
  port = ${PORT:-1502};
  device = "$D/pty.daemon";
  baud = 19200;
  parity = "N";
  unit_id = 1;
  map = "$1";
  map_dir = "$TOP/hw/maps";
  tick_hz = $TICK_HZ;
  response_timeout_ms = 20;
  watchdog_ms = 500;
  comm_loss_ticks = 3;
  reconnect_max_ms = 400;
};
machine = { max_speed = 16.0; accel = 4.0; decel = 4.0; };
control = { socket = "$D/ctl.sock"; };
daemon = { name = "bench"; user = ""; };
profiles = { dir = "$D/profiles"; };
history = { path = "$D/history.db"; };
session = { speed = $SPEED; incline = 1.0; minutes = 30.0; max_speed = 10.0; };
EOC
	"$B/treadmilld" -f -c "$D/treadmilld.conf" >"$D/daemon.log" 2>&1 &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
	poll_until 10 "treadmilld connected to the drive" connected
}

# start_session: start and wait until the belt is at the session pace.
# "start" is retried: the daemon may report the drive connected a tick
# before it has read any telemetry, and refuses to start until it has.
start_session() {
	poll_until 5 "treadctl start accepted" ctl start
	poll_until 15 "belt at $SPEED km/h" sim_running_at "$(awk \
	    -v s="$SPEED" 'BEGIN { print s - 0.01 }')"
}

# end_phase: stop the belt, then end the daemon and the rest.
end_phase() {
	ctl stop >/dev/null 2>&1 || true
	end_pid "$DAEMON_PID"
	[ -n "$RELAY_PID" ] && end_pid "$RELAY_PID"
	end_pid "$SIM_PID"
	[ -n "$SOCAT_PID" ] && end_pid "$SOCAT_PID"
	return 0
}

# snapshot: the counters the windowed figures are built from, on one
# line: simulator time (s), simulator requests, daemon CPU (clock ticks),
# daemon ticks, daemon transactions, daemon failed transactions.
snapshot() {
	_st=$(sim state)
	_js=$(ctl -j status)
	printf '%s %s %s %s %s %s\n' "$(echo "$_st" | kv t)" \
	    "$(echo "$_st" | kv requests)" "$(cpu_ticks "$DAEMON_PID")" \
	    "$(json_field ticks "$_js")" "$(json_field transactions "$_js")" \
	    "$(json_field failures "$_js")"
}

# ----------------------------------------------------------------- build

mkdir -p "$OUT/data"
HCFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wmissing-prototypes \
-Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral -Werror -O2"
for h in ctlstamp mbrelay; do
	# shellcheck disable=SC2086
	${CC:-cc} $HCFLAGS -o "$OUT/$h" "$TOP/bench/$h.c" ||
	    die "cannot build bench/$h.c"
done
for p in treadmilld treadctl treadsim; do
	[ -x "$B/$p" ] || die "$B/$p is missing: run make first"
done
command -v socat >/dev/null || die "socat is needed (scripts/deps.sh)"

REP=$T/report.txt
: >"$REP"
say() { printf '%s\n' "$*" >>"$REP"; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
CLK=$(getconf CLK_TCK)
MACHINE="$(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' \
    /proc/cpuinfo | head -n 1), Linux $(uname -r)"
STARTED=$(date '+%Y-%m-%d %H:%M')
note "about $((WINDOW + 4 * SHORT + REPS + 20)) s: ${WINDOW} s steady window, $REPS stops and e-stops, 4 short windows"

# ======================================================= phase A: TCP, ref

new_phase tcp
start_sim_tcp
start_daemon reference
start_session
note "A: steady ${WINDOW} s window, reference map (FC23) over TCP"
read -r a0_t a0_req a0_cpu a0_ticks a0_tx a0_fail <<EOS
$(snapshot)
EOS
window "$WINDOW"
read -r a1_t a1_req a1_cpu a1_ticks a1_tx a1_fail <<EOS
$(snapshot)
EOS
RSS_KB=$(proc_kb "$DAEMON_PID" VmRSS)
HWM_KB=$(proc_kb "$DAEMON_PID" VmHWM)

awk -v a="$a0_t" -v b="$a1_t" '
    / ev=write fc=23 / { t = substr($1, 3) + 0
        if (t < a || t > b) next
        if (have) printf "%.6f\n", (t - prev) * 1000
        prev = t; have = 1 }' "$D/sim.log" >"$OUT/data/period_simlog_ms.txt"
awk '{ d = $1 - 50; printf "%.6f\n", d < 0 ? -d : d }' \
    "$OUT/data/period_simlog_ms.txt" >"$OUT/data/jitter_simlog_ms.txt"
A_SECS=$(awk -v a="$a0_t" -v b="$a1_t" 'BEGIN { printf "%.3f", b - a }')
A_TICKS=$((a1_ticks - a0_ticks))
A_REQ=$((a1_req - a0_req))
A_TX=$((a1_tx - a0_tx))
A_FAIL=$((a1_fail - a0_fail))
A_HZ=$(awk -v n="$A_TICKS" -v s="$A_SECS" 'BEGIN { printf "%.3f", n / s }')
A_RPT=$(awk -v r="$A_REQ" -v n="$A_TICKS" 'BEGIN { printf "%.3f", r / n }')
A_TPT=$(awk -v r="$A_TX" -v n="$A_TICKS" 'BEGIN { printf "%.3f", r / n }')
A_CPU=$(awk -v c="$((a1_cpu - a0_cpu))" -v k="$CLK" -v s="$A_SECS" \
    'BEGIN { printf "%.2f", c / k / s * 100 }')
A_CPUS=$(awk -v c="$((a1_cpu - a0_cpu))" -v k="$CLK" \
    'BEGIN { printf "%.2f", c / k }')

# ------------------------------------------------ `stop` on the socket

note "A: $REPS x treadctl stop / resume"
: >"$D/stop_stamps.txt"
i=0
while [ "$i" -lt "$REPS" ]; do
	poll_until 15 "belt running again" sim_running_at 1.0
	random_phase
	"$OUT/ctlstamp" "$D/ctl.sock" stop >>"$D/stop_stamps.txt" ||
	    die "stop refused: $(tail -n 1 "$D/stop_stamps.txt")"
	poll_until 5 "drive sees RUN=0" sim_run_is 0
	poll_until 5 "resume accepted" ctl resume
	i=$((i + 1))
done
poll_until 15 "belt running again" sim_running_at 1.0

# For each stop: the first RUN=0 FC16 write to the control register logged
# at or after the moment "stop" was written (the log rounds to 1 ms, so a
# log time up to 0.5 ms before it is the same instant).
awk 'NR == FNR { t0[++n] = $1; t1[n] = $2; next }
    / ev=write / && / fc=16 / && / run=0 / && / addr=16 / {
        w[++m] = substr($1, 3) + 0 }
    END { j = 1
        for (i = 1; i <= n; i++) {
            while (j <= m && w[j] < t0[i] - 0.0005) j++
            if (j > m) { print "missing", t0[i]; continue }
            printf "%.6f %.6f %.6f\n", (w[j] - t0[i]) * 1000,
                (t1[i] - t0[i]) * 1000, (w[j] - t1[i]) * 1000
        } }' "$D/stop_stamps.txt" "$D/sim.log" >"$D/stop_lat.txt"
grep -q missing "$D/stop_lat.txt" && die "a stop with no RUN=0 write"
cut -d' ' -f1 "$D/stop_lat.txt" >"$OUT/data/stop_to_run0_ms.txt"
cut -d' ' -f2 "$D/stop_lat.txt" >"$OUT/data/stop_to_reply_ms.txt"
# Logged write more than 0.5 ms after the reply arrived: the reply did
# not wait for the stop to reach the drive.
STOP_LATE=$(awk '$3 > 0.5 { n++ } END { print n + 0 }' "$D/stop_lat.txt")

# ------------------------------------------------------------- e-stop

note "A: $REPS x e-stop on / off / resume"
ES_FROM=$(sim state | kv t)
i=0
while [ "$i" -lt "$REPS" ]; do
	poll_until 15 "belt running again" sim_running_at 1.0
	random_phase
	sim estop on >/dev/null
	poll_until 5 "drive sees RUN=0" sim_run_is 0
	sim estop off >/dev/null
	poll_until 5 "resume accepted after release" ctl resume
	i=$((i + 1))
done
poll_until 15 "belt running again" sim_running_at 1.0

# For each press: the first later write of the control register with
# RUN=0 (FC16 or FC23; the single-register setup writes are not it), its
# function code, and how many writes with RUN=1 came in between.
awk -v from="$ES_FROM" '
    { t = substr($1, 3) + 0 }
    t < from { next }
    / ev=estop on/ { press = t; open = 1; ones = 0; next }
    open && / ev=write / && / addr=16 / {
        if (/ run=1 /) { ones++; next }
        fc = $3; sub(/^fc=/, "", fc)
        printf "%.6f %s %d\n", (t - press) * 1000, fc, ones
        open = 0 }' "$D/sim.log" >"$D/estop_lat.txt"
cut -d' ' -f1 "$D/estop_lat.txt" >"$OUT/data/estop_to_run0_ms.txt"
ES_N=$(wc -l <"$D/estop_lat.txt")
ES_FC16=$(awk '$2 == 16 { n++ } END { print n + 0 }' "$D/estop_lat.txt")
ES_ONES=$(awk '$3 > m { m = $3 } END { print m + 0 }' "$D/estop_lat.txt")
A_VMHWM_END=$(proc_kb "$DAEMON_PID" VmHWM)
A_STOPW=$(status_field stop_writes)
end_phase

# ================================================== phase B: TCP via relay

new_phase relay
start_sim_tcp
start_relay
start_daemon reference
start_session
note "B: ${SHORT} s window through the timestamping relay"
read -r b0_t _ _ _ _ b0_fail <<EOS
$(snapshot)
EOS
window "$SHORT"
read -r b1_t _ _ _ _ b1_fail <<EOS
$(snapshot)
EOS
end_phase
: >"$D/p"
: >"$D/r"
awk -v a="$b0_t" -v b="$b1_t" -v out="$D" '
    $1 == "c" && $4 == 23 { t = $2 + 0
        if (t < a || t > b) { req = 0; next }
        if (have) printf "%.6f\n", (t - prev) * 1000 >> (out "/p")
        prev = t; have = 1; req = t; next }
    $1 == "s" && req { printf "%.6f\n", ($2 - req) * 1000 >> (out "/r"); req = 0 }
    ' "$D/relay.log"
mv "$D/p" "$OUT/data/period_relay_ms.txt"
mv "$D/r" "$OUT/data/fc23_roundtrip_relay_ms.txt"
awk '{ d = $1 - 50; printf "%.6f\n", d < 0 ? -d : d }' \
    "$OUT/data/period_relay_ms.txt" >"$OUT/data/jitter_relay_ms.txt"
B_FAIL=$((b1_fail - b0_fail))
TCP_BYTES=$(awk -v a="$b0_t" -v b="$b1_t" '$2 + 0 >= a && $2 + 0 <= b &&
    $4 == 23 { s[$1] += $3; n[$1]++ }
    END { printf "%.1f %.1f", s["c"] / n["c"], s["s"] / n["s"] }' \
    "$D/relay.log")

# ===================================================== phase C: TCP, vfd

new_phase vfd
start_sim_tcp -m vfd
start_daemon vfd-hz
start_session
note "C: ${SHORT} s window, vfd-hz map (FC16 + FC03) over TCP"
read -r c0_t c0_req _ c0_ticks c0_tx c0_fail <<EOS
$(snapshot)
EOS
window "$SHORT"
read -r c1_t c1_req _ c1_ticks c1_tx c1_fail <<EOS
$(snapshot)
EOS
end_phase
C_TICKS=$((c1_ticks - c0_ticks))
C_RPT=$(awk -v r="$((c1_req - c0_req))" -v n="$C_TICKS" \
    'BEGIN { printf "%.3f", r / n }')
C_TPT=$(awk -v r="$((c1_tx - c0_tx))" -v n="$C_TICKS" \
    'BEGIN { printf "%.3f", r / n }')
C_FAIL=$((c1_fail - c0_fail))
C_FCS=$(awk -v a="$c0_t" -v b="$c1_t" '/ ev=write / { t = substr($1, 3) + 0
    if (t >= a && t <= b) n[$3]++ } END { for (k in n) {
    printf "%s%s %d", sep, k, n[k]; sep = ", " } }' "$D/sim.log")

# ======================================================= phase D: RTU, PTY

# rtu_window MAP FC [treadsim args]: bytes on the line per tick, each
# way.  A tick is found in the dump itself by its first frame from the
# daemon (function code FC, hex); the bytes are summed over whole ticks,
# from the first tick's first frame to the last one's.  The daemon's own
# tick count over the window is shown beside it.
rtu_window() {
	_map=$1; _fc=$2; shift 2
	new_phase "rtu-$_map"
	start_sim_rtu "$@"
	start_daemon "$_map"
	start_session
	note "D: ${SHORT} s window, $_map map over RTU on a PTY pair"
	_l0=$(wc -l <"$D/socat.log")
	read -r _ _ _ d0_ticks _ d0_fail <<-EOS
	$(snapshot)
	EOS
	window "$SHORT"
	read -r _ _ _ d1_ticks _ d1_fail <<-EOS
	$(snapshot)
	EOS
	_l1=$(wc -l <"$D/socat.log")
	end_phase
	# socat -x: a header "< date time length=N from=.. to=.." then the
	# bytes in hex.  "<" is what the daemon wrote (right to left), ">"
	# what the drive answered.
	sed -n "$((_l0 + 1)),${_l1}p" "$D/socat.log" | awk -v fc="$_fc" \
	    -v dticks="$((d1_ticks - d0_ticks))" -v fail="$((d1_fail - d0_fail))" '
	    /^[<>] / { k++; dir[k] = $1; l = $4; sub(/^length=/, "", l)
	        len[k] = l; grab = 1; next }
	    grab { grab = 0
	        if (dir[k] == "<" && $1 == "01" && $2 == fc) start[k] = 1
	        if (ns[dir[k]] < 2) sample[dir[k], ++ns[dir[k]]] = $0 }
	    END {
	        # Whole ticks only: from the first tick start to the last.
	        for (i = 1; i <= k; i++) if (start[i]) { if (!a) a = i; z = i }
	        for (i = a; i < z; i++) {
	            b[dir[i]] += len[i]; c[dir[i]]++; ticks += start[i] }
	        if (ticks == 0) { print "0 0 0 0 0", dticks, fail; exit }
	        printf "%.2f %.2f %.2f %.2f %d %d %d\n", b["<"] / ticks,
	            b[">"] / ticks, c["<"] / ticks, c[">"] / ticks, ticks,
	            dticks, fail
	        for (i = 1; i <= ns["<"]; i++) print "<" sample["<", i]
	        for (i = 1; i <= ns[">"]; i++) print ">" sample[">", i]
	    }' >"$OUT/data/rtu_$_map.txt"
}
rtu_window reference 17
rtu_window vfd-hz 10 -m vfd

# ============================================================== the report

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# The RTU budget from the frame layout: bytes, 3.5 character times of
# silence before every frame, 8N1 = 10 bits and 8E1 = 11 bits a character.
budget() {	# BYTES FRAMES BITS -> "chars ms percent"
	awk -v by="$1" -v fr="$2" -v bits="$3" -v hz="$TICK_HZ" 'BEGIN {
	    ch = by + 3.5 * fr; ms = ch * bits / 19200 * 1000
	    printf "%.1f %.2f %.1f", ch, ms, ms / (1000 / hz) * 100 }'
}
# first VAR...: the first line of stdin, word by word, into the VARs.
first() { read -r "$@" || true; }
first _ R8N1_MS R8N1_PC <<EOS
$(budget 42 2 10)
EOS
first _ R8E1_MS R8E1_PC <<EOS
$(budget 42 2 11)
EOS
first _ V8N1_MS V8N1_PC <<EOS
$(budget 54 4 10)
EOS
first _ V8E1_MS V8E1_PC <<EOS
$(budget 54 4 11)
EOS
first _ S8N1_MS _ <<EOS
$(budget 25 2 10)
EOS
first _ S8E1_MS _ <<EOS
$(budget 25 2 11)
EOS
first RTU_REF_REQ RTU_REF_RSP RTU_REF_CREQ RTU_REF_CRSP RTU_REF_TICKS \
    RTU_REF_DTICKS RTU_REF_FAIL <"$OUT/data/rtu_reference.txt"
first RTU_VFD_REQ RTU_VFD_RSP RTU_VFD_CREQ RTU_VFD_CRSP RTU_VFD_TICKS \
    RTU_VFD_DTICKS RTU_VFD_FAIL <"$OUT/data/rtu_vfd-hz.txt"
RTU_REF_TOT=$(awk -v a="$RTU_REF_REQ" -v b="$RTU_REF_RSP" 'BEGIN { printf "%.1f", a + b }')
RTU_VFD_TOT=$(awk -v a="$RTU_VFD_REQ" -v b="$RTU_VFD_RSP" 'BEGIN { printf "%.1f", a + b }')
first TCP_REQ TCP_RSP <<EOS
$TCP_BYTES
EOS
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

say "treadmilld benchmark, $STARTED"
say "machine: $MACHINE"
say "load average: $LOAD0 at the start, $LOAD1 at the end"
say "settings: tick $TICK_HZ Hz, Modbus TCP and the simulator on 127.0.0.1,"
say "  response timeout 20 ms, session pace $SPEED km/h; steady window"
say "  ${WINDOW} s, short windows ${SHORT} s, $REPS repetitions per stop kind"
say "  p99 is nearest-rank: with n < 100 it is the largest value"
say ""
say "1. Tick period, reference map (one FC23 a tick), Modbus TCP"
say "   simulator log, 1 ms resolution, ${A_SECS} s window:"
say "     period           $(summary "$OUT/data/period_simlog_ms.txt" 1 ms)"
say "     |period - 50 ms| $(summary "$OUT/data/jitter_simlog_ms.txt" 1 ms)"
say "   relay timestamps, 1 us resolution, ${SHORT} s window:"
say "     period           $(summary "$OUT/data/period_relay_ms.txt" 3 ms)"
say "     |period - 50 ms| $(summary "$OUT/data/jitter_relay_ms.txt" 3 ms)"
say "     FC23 round trip  $(summary "$OUT/data/fc23_roundtrip_relay_ms.txt" 3 ms)"
say "   ticks counted by the daemon: $A_TICKS in ${A_SECS} s = $A_HZ Hz;"
say "   failed transactions in the windows: $A_FAIL (A), $B_FAIL (relay)"
say ""
say "2. treadctl stop -> the drive sees RUN=0 (FC16 written at once)"
say "   \"stop\" written -> RUN=0 FC16 in the simulator log (1 ms resolution):"
say "     $(summary "$OUT/data/stop_to_run0_ms.txt" 1 ms)"
say "   \"stop\" written -> \"ok\" back (the stop is acknowledged by the drive"
say "   before the reply; 1 us resolution):"
say "     $(summary "$OUT/data/stop_to_reply_ms.txt" 3 ms)"
say "   RUN=0 logged more than 0.5 ms after the reply: $STOP_LATE of $REPS"
say ""
say "3. E-stop pressed (ev=estop on) -> RUN=0 written to the control register"
say "     $(summary "$OUT/data/estop_to_run0_ms.txt" 1 ms)"
say "   RUN=0 came as an immediate FC16 in $ES_FC16 of $ES_N; at most $ES_ONES"
say "   write(s) with RUN=1 between a press and RUN=0 (the tick whose read"
say "   half saw the button); stop writes counted by the daemon: $A_STOPW"
say ""
say "4. Modbus transactions per tick (steady run)"
say "   reference (FC23):    $A_RPT requests/tick at the simulator, $A_TPT by"
say "                        the daemon's count ($A_TICKS ticks)"
say "   vfd-hz (FC16+FC03):  $C_RPT requests/tick at the simulator, $C_TPT by"
say "                        the daemon's count ($C_TICKS ticks; writes: $C_FCS)"
say "   failed transactions in the vfd window: $C_FAIL"
say ""
say "5. treadmilld's resources over the ${A_SECS} s window at $TICK_HZ Hz"
say "   CPU: ${A_CPUS} s user+system = ${A_CPU} % of one core (clock tick 1/$CLK s)"
say "   memory: VmRSS $RSS_KB kB, VmHWM $HWM_KB kB at the end of the window"
say "   (VmHWM $A_VMHWM_END kB after the stop and e-stop cycles)"
say ""
say "6. Modbus RTU bus budget at 19200 baud, one tick = $((1000 / TICK_HZ)) ms"
say "   frame layout (bytes):"
say "     FC23 request   addr 1 + fc 1 + read start 2 + read qty 2"
say "                    + write start 2 + write qty 2 + byte count 1"
say "                    + 4 registers 8 + CRC 2                       = 21"
say "     FC23 response  addr 1 + fc 1 + byte count 1 + 8 registers 16"
say "                    + CRC 2                                       = 21"
say "     FC16 request   addr 1 + fc 1 + start 2 + qty 2 + byte count 1"
say "                    + 4 registers 8 + CRC 2                       = 17"
say "     FC16 response  addr 1 + fc 1 + start 2 + qty 2 + CRC 2       =  8"
say "     FC03 request   addr 1 + fc 1 + start 2 + qty 2 + CRC 2       =  8"
say "     FC03 response  addr 1 + fc 1 + byte count 1 + 16 + CRC 2     = 21"
say "   silence of 3.5 character times before each frame;"
say "   8N1 = 10 bits a character, 8E1 = 11 bits:"
say "     reference, FC23:  42 bytes + 2 x 3.5 = 49 char:"
say "       8N1 $R8N1_MS ms = $R8N1_PC % of the tick; 8E1 $R8E1_MS ms = $R8E1_PC %"
say "     vfd-hz, FC16+FC03: 54 bytes + 4 x 3.5 = 68 char:"
say "       8N1 $V8N1_MS ms = $V8N1_PC % of the tick; 8E1 $V8E1_MS ms = $V8E1_PC %"
say "     an extra stop write (FC16, 17 + 8 bytes + 2 x 3.5 = 32 char):"
say "       8N1 $S8N1_MS ms, 8E1 $S8E1_MS ms"
say "   (the drive's turnaround time comes on top of all of these)"
say "   measured over a socat PTY pair (-x dump; a PTY moves bytes at memory"
say "   speed whatever the baud rate, so this checks the byte count only):"
say "     reference: $RTU_REF_REQ bytes/tick from the daemon + $RTU_REF_RSP from the drive"
say "       = $RTU_REF_TOT (computed 42); chunks/tick $RTU_REF_CREQ + $RTU_REF_CRSP;"
say "       $RTU_REF_TICKS whole ticks in the dump (the daemon counted $RTU_REF_DTICKS in the window), $RTU_REF_FAIL failed"
say "     vfd-hz:    $RTU_VFD_REQ bytes/tick from the daemon + $RTU_VFD_RSP from the drive"
say "       = $RTU_VFD_TOT (computed 54); chunks/tick $RTU_VFD_CREQ + $RTU_VFD_CRSP;"
say "       $RTU_VFD_TICKS whole ticks in the dump (the daemon counted $RTU_VFD_DTICKS in the window), $RTU_VFD_FAIL failed"
say "     frames seen (hex; < daemon to drive, > drive to daemon):"
sed -n '2,$p' "$OUT/data/rtu_reference.txt" | sed 's/^/       ref /' >>"$REP"
sed -n '2,$p' "$OUT/data/rtu_vfd-hz.txt" | sed 's/^/       vfd /' >>"$REP"
say "   Modbus TCP for comparison (relay): FC23 $TCP_REQ + $TCP_RSP bytes a tick"
say ""
say "Markdown for the README:"
say ""
say "## Benchmarks"
say ""
say "\`make bench\` on $MACHINE (load $LOAD0), simulator and daemon on loopback,"
say "tick $TICK_HZ Hz; p99 is nearest-rank (with n < 100, the largest value)."
say ""
say "| Measure | Median | p99 | n |"
say "|---|---|---|---|"
say "| Tick period, FC23 over TCP (simulator log, 1 ms resolution) | $(cell "$OUT/data/period_simlog_ms.txt" 1 ms) |"
say "| \\|period − 50 ms\\| (simulator log) | $(cell "$OUT/data/jitter_simlog_ms.txt" 1 ms) |"
say "| Tick period (relay timestamps, µs resolution) | $(cell "$OUT/data/period_relay_ms.txt" 3 ms) |"
say "| \\|period − 50 ms\\| (relay timestamps) | $(cell "$OUT/data/jitter_relay_ms.txt" 3 ms) |"
say "| \`treadctl stop\` → drive sees RUN=0 (simulator log) | $(cell "$OUT/data/stop_to_run0_ms.txt" 1 ms) |"
say "| \`stop\` → reply \"ok\", stop already acknowledged by the drive | $(cell "$OUT/data/stop_to_reply_ms.txt" 3 ms) |"
say "| E-stop pressed → RUN=0 written | $(cell "$OUT/data/estop_to_run0_ms.txt" 1 ms) |"
say "| Modbus requests per tick, reference map (FC23) | $A_RPT | | $A_TICKS ticks |"
say "| Modbus requests per tick, vfd-hz map (FC16 + FC03) | $C_RPT | | $C_TICKS ticks |"
say "| treadmilld CPU at 20 Hz | $A_CPU % of one core | | ${A_SECS} s |"
say "| treadmilld memory (VmRSS / VmHWM) | $(mib "$RSS_KB") / $(mib "$HWM_KB") MiB | | |"
say "| RTU 19200 8N1 bus time a tick, FC23 (42 bytes + 2 gaps) | $R8N1_MS ms = $R8N1_PC % of 50 ms | | computed |"
say "| RTU 19200 8E1 bus time a tick, FC23 | $R8E1_MS ms = $R8E1_PC % | | computed |"
say "| RTU 19200 8N1 bus time a tick, FC16 + FC03 (54 bytes + 4 gaps) | $V8N1_MS ms = $V8N1_PC % | | computed |"
say "| RTU 19200 8E1 bus time a tick, FC16 + FC03 | $V8E1_MS ms = $V8E1_PC % | | computed |"
say "| RTU bytes a tick on a PTY pair, FC23 / FC16 + FC03 | $RTU_REF_TOT / $RTU_VFD_TOT | | $RTU_REF_TICKS / $RTU_VFD_TICKS ticks |"

cp "$REP" "$OUT/report.txt"
cat "$OUT/report.txt"
echo ""
echo "bench: report written to build/bench/report.txt, series in build/bench/data/"

# A drive that trickles its answers (bench/trickle.sh).
echo ""
sh "$TOP/bench/trickle.sh"
