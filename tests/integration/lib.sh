# Shared helpers for the integration tests: start the real simulator and
# the real daemon on loopback (or a socat PTY pair), wait for conditions
# with bounded polling, and clean every process up on exit.
#
# Each test script sources this file, calls setup, and ends with `pass`.

set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/build}
TRANSPORT=${TRANSPORT:-tcp}
NAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/treadtest.XXXXXX")
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $T" >&2
	else
		[ -n "${SIMLOG:-}" ] && rm -f "$SIMLOG"
		[ -n "${DAEMONLOG:-}" ] && rm -f "$DAEMONLOG"
		rm -rf "$T"
	fi
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $NAME ($TRANSPORT): $*"
	for f in "$T"/daemon.log "$T"/sim.log; do
		[ -f "$f" ] && { echo "--- tail $f"; tail -n 25 "$f"; }
	done
	exit 1
}

# skip_unless_root_nobody: these tests drop to the user nobody.
skip_unless_root_nobody() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: $NAME needs root"; pass; }
	id nobody >/dev/null 2>&1 || { echo "SKIP: $NAME needs user nobody"; pass; }
}

pass() {
	# Under valgrind: stop the daemon cleanly and read its verdict.
	if [ "${VALGRIND:-0}" = 1 ] && [ -n "${DAEMON_PID:-}" ] &&
	    kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -TERM "$DAEMON_PID"
		wait "$DAEMON_PID" 2>/dev/null || true
		if grep -q "ERROR SUMMARY: [1-9]" "$T/valgrind.log" ||
		    grep -q "definitely lost: [1-9]" "$T/valgrind.log"; then
			cat "$T/valgrind.log"
			fail "valgrind found errors in the daemon"
		fi
	fi
	echo "PASS: $NAME ($TRANSPORT)"
	exit 0
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll every 20 ms until COMMAND
# succeeds; fail the test with DESCRIPTION when the time is up.
wait_for() {
	_limit=$1; _what=$2; shift 2
	_n=$(awk "BEGIN{print int($_limit * 50)}")
	while [ "$_n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.02
		_n=$((_n - 1))
	done
	fail "timed out after ${_limit}s waiting for: $_what"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

sim() { "$BIN/treadsim" ctl -c "$T/sim.sock" "$@"; }
ctl() { "$BIN/treadctl" -s "$T/ctl.sock" "$@"; }

# sim_state KEY: one value from `treadsim ctl state`.
sim_state() {
	sim state | tr ' ' '\n' | sed -n "s/^$1=//p"
}
# status_field KEY: one value from `treadctl -j status` (flat JSON).
status_field() {
	ctl -j status | tr ',{}' '\n\n\n' | sed -n "s/^\"$1\"://p" | tr -d '"'
}

# Numeric comparisons for wait_for.
sim_ge() { awk -v a="$(sim_state "$1")" -v b="$2" 'BEGIN{exit !(a+0 >= b+0)}'; }
sim_le() { awk -v a="$(sim_state "$1")" -v b="$2" 'BEGIN{exit !(a+0 <= b+0)}'; }
sim_is() { [ "$(sim_state "$1")" = "$2" ]; }
status_is() { [ "$(status_field "$1")" = "$2" ]; }

# wait_writes N: let the daemon write N more ticks to the drive.
wait_writes() {
	_w0=$(sim_state writes)
	# At 20 Hz N writes take N/20 s: allow twice that, and 5 s more.
	wait_for $(($1 / 10 + 5)) "$1 more writes from the daemon" \
	    sim_ge writes $((_w0 + $1))
}

# start_sim [extra treadsim args...]
start_sim() {
	if [ "$TRANSPORT" = rtu ]; then
		socat -d -d pty,raw,echo=0,link="$T/pty.sim" \
		    pty,raw,echo=0,link="$T/pty.daemon" 2>"$T/socat.log" &
		PIDS="$PIDS $!"
		wait_for 5 "socat PTY pair" test -e "$T/pty.sim" -a -e "$T/pty.daemon"
		LINK="-r $T/pty.sim"
	else
		PORT=$(free_port)
		LINK="-t 127.0.0.1:$PORT"
	fi
	# The simulator stands for the drive's own board: its event log lives
	# in memory where there is a tmpfs, so that its appends never wait
	# for a journal commit forced by the daemon's durable history writes
	# on the same disk (a late answer would be a comm loss).  Read it as
	# $T/sim.log all the same.
	if [ -d /dev/shm ] && [ -w /dev/shm ] && [ ! -e "$T/sim.log" ]; then
		SIMLOG=$(mktemp /dev/shm/treadsim-log.XXXXXX)
		ln -s "$SIMLOG" "$T/sim.log"
	fi
	# shellcheck disable=SC2086
	"$BIN/treadsim" $LINK -c "$T/sim.sock" -l "$T/sim.log" "$@" \
	    >"$T/sim.out" 2>&1 &
	SIM_PID=$!
	PIDS="$PIDS $SIM_PID"
	wait_for 5 "treadsim control socket" sim state
}

# write_conf [extra lines appended inside groups via sed-able overrides]
# Settings come from variables with defaults.
write_conf() {
	# RTU: 25 ms, as the README advises for a 19200-baud line (a FC23 and
	# its reply take 21.9 ms on the wire; the response timeout covers the
	# whole reply).  The PTY pair is quicker, but a loaded machine is not.
	if [ "$TRANSPORT" = rtu ]; then : "${RESP_MS:=25}"; fi
	if [ ! -d "$T/profiles" ]; then
		mkdir -p "$T/profiles"
		cp "$TOP/tests/integration/data/maya.conf" "$T/profiles/"
	fi
	cat >"$T/treadmilld.conf" <<EOC
drive = {
  transport = "$TRANSPORT";
  host = "127.0.0.1";
  port = ${PORT:-1502};
  device = "$T/pty.daemon";
  baud = 19200;
  unit_id = 1;
  map = "${MAP:-reference}";
  map_dir = "$TOP/hw/maps";
  tick_hz = ${TICK_HZ:-20.0};
  response_timeout_ms = ${RESP_MS:-20};
  watchdog_ms = ${WATCHDOG_MS:-500};
  comm_loss_ticks = 3;
  reconnect_max_ms = 400;
};
machine = {
  max_speed = 16.0;
  min_incline = 0.0;
  max_incline = 12.0;
  accel = ${ACCEL:-2.0};
  decel = ${DECEL:-2.0};
};
control = { socket = "$T/ctl.sock"; ${CONTROL_CONF:-} };
daemon = { name = "tm-test"; user = ""; };
profiles = { dir = "$T/profiles"; };
history = { path = "${HISTORY:-$T/history.db}"; };
plugins = {
  dir = "${PLUGIN_DIR:-$BIN/plugins}";
  easy = { warmup_min = ${WARMUP_MIN:-0.2}; cooldown_min = 0.5; };
${PLUGIN_CONF:-}
};
session = {
  speed = ${SPEED:-6.0};
  incline = 1.0;
  minutes = ${MINUTES:-30.0};
  max_speed = ${CAP:-10.0};
${SESSION_CONF:-}
};
EOC
}

# start_daemon: in the foreground, with $DAEMON_FLAGS (unset: -d, at
# debug level), under $DAEMON_WRAPPER.
start_daemon() {
	[ -f "$T/treadmilld.conf" ] || write_conf
	if [ "${VALGRIND:-0}" = 1 ]; then
		DAEMON_WRAPPER="valgrind --leak-check=full --suppressions=$TOP/tests/valgrind.supp --log-file=$T/valgrind.log"
	fi
	# Its log in memory too, for the simulator's reason: the loop's
	# debug lines must not wait behind the journal commits of the
	# history's (or PostgreSQL's) fsyncs on the same disk.  Under
	# systemd the log is the journal's socket, not a file.
	if [ -d /dev/shm ] && [ -w /dev/shm ] && [ ! -e "$T/daemon.log" ]; then
		DAEMONLOG=$(mktemp /dev/shm/treadmilld-log.XXXXXX)
		ln -s "$DAEMONLOG" "$T/daemon.log"
	fi
	# shellcheck disable=SC2086
	${DAEMON_WRAPPER:-} "$BIN/treadmilld" -f ${DAEMON_FLAGS--d} \
	    -c "$T/treadmilld.conf" >"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
	wait_for 10 "daemon talking to the drive" daemon_ready
}

# stop_daemon: SIGTERM, and wait for it to exit.
stop_daemon() {
	kill "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null || true
}

# Connected, and at least one tick has read the drive.
daemon_ready() {
	_j=$(ctl -j status) || return 1
	echo "$_j" | grep -q '"connected":true' &&
	    ! echo "$_j" | grep -q '"heartbeat":0,'
}

setup() {
	start_sim "$@"
	write_conf
	start_daemon
}

# checkin RUNNER: a good night and no symptom.  A runner's session needs
# today's check-in (session.require_checkin).
checkin() {
	ctl checkin "$1" --sleep 7.5 --pain 0 >/dev/null ||
	    fail "treadctl checkin $1 refused"
}

# browser_test NAME: what the console's browser tests need (or fail
# saying what is missing): $PY, $SHOTS for the screenshots (emptied;
# build/tests/NAME unless set) and $T/ctl.sh, running treadctl on the
# daemon's socket.
browser_test() {
	PY=/usr/bin/python3
	"$PY" -c 'import selenium' 2>/dev/null && command -v chromium >/dev/null &&
	    command -v chromedriver >/dev/null ||
	    fail "chromium, chromium-driver or python3-selenium missing (scripts/deps.sh)"
	SHOTS=${SHOTS:-$TOP/build/tests/$1}
	rm -rf "$SHOTS"
	mkdir -p "$SHOTS"
	cat >"$T/ctl.sh" <<EOS
#!/bin/sh
exec "$BIN/treadctl" -s "$T/ctl.sock" "\$@"
EOS
}

# start_console [SETTINGS]: the daemon with its console on a free port,
# $HP, and SETTINGS added to its http group.
start_console() {
	# A browser beside the belt on a loaded machine: a tick of 200 ms and
	# a 100 ms response timeout, so that what is tested is the page, not
	# the machine's load (a late reply is a comm-loss stop, as it must be).
	TICK_HZ=5 RESP_MS=100 WATCHDOG_MS=2000 WARMUP_MIN=0.1 write_conf
	HP=$(free_port)
	echo "http = { listen = \"127.0.0.1:$HP\"; web_dir = \"$TOP/web\";${1:+ $1} };" \
	    >>"$T/treadmilld.conf"
	start_daemon
}

# run_page SCRIPT ARGS...: tests/integration/SCRIPT drives the browser;
# what it printed is shown, and the test fails if it fails.
run_page() {
	_page=$1; shift
	echo "screenshots: $SHOTS"
	_t0=$(date +%s)
	"$PY" "$TOP/tests/integration/$_page" "$@" >"$T/page.out" 2>&1 ||
	    { cat "$T/page.out"; fail "the page (screenshots in $SHOTS)"; }
	cat "$T/page.out"
	echo "the browser's part: $(($(date +%s) - _t0)) s"
}

# setup_quick: the simulator, and the daemon with one runner, quick
# (data/quick.conf), whose walk-runs warm up and cool down for 0.2 min;
# she has checked in today.
setup_quick() {
	start_sim
	mkdir -p "$T/profiles"
	cp "$TOP/tests/integration/data/quick.conf" "$T/profiles/"
	PLUGIN_CONF='  walkrun = { warmup_min = 0.2; cooldown_min = 0.2; };'
	write_conf
	start_daemon
	checkin quick
}

# log_walkruns RUNNER STAGE: three clean walk-runs at STAGE from her
# paper log, 6, 4 and 2 days ago (a rest day between each).
log_walkruns() {
	for _d in -6 -4 -2; do
		ctl log-run "$1" --date "$(day $_d)" --minutes 1.5 \
		    --running 1 --stage "$2" >/dev/null ||
		    fail "log-run --stage refused"
	done
}

# start_running KMH [RUNNER ARGS...]: start a session and wait for the
# belt to reach KMH.
start_running() {
	_kmh=$1; shift
	ctl start "$@" >/dev/null || fail "treadctl start $* refused"
	set -- "$_kmh"
	wait_for 15 "belt at $1 km/h" sim_ge speed "$1"
}

# Writes of the control register in the simulator log after time $1 with
# run=$2 (single-register writes elsewhere, e.g. the watchdog setting at
# connect, also print run= but do not write it).
writes_after() {
	awk -v t0="$1" -v r="run=$2" '
	    / fc=6 / && !/ addr=(16|512) / { next }
	    { t = substr($1, 3) + 0 }
	    t >= t0 && / ev=write / && index($0, " " r " ") { n++ }
	    END { print n + 0 }' "$T/sim.log"
}
# Writes of the control register with run=$2 in the simulator log after
# the first line matching $1: log order, not timestamps, which have a
# resolution of 1 ms.
writes_after_event() {
	awk -v p="$1" -v r="run=$2" '
	    !seen { if (index($0, p)) seen = 1; next }
	    / fc=6 / && !/ addr=(16|512) / { next }
	    / ev=write / && index($0, " " r " ") { n++ }
	    END { print n + 0 }' "$T/sim.log"
}
# Time of the first simulator log event matching a pattern.
event_time() {
	awk -v p="$1" 'index($0, p) { print substr($1, 3); exit }' "$T/sim.log"
}

# day OFFSET: the date OFFSET days from today (negative: past).
day() { date -d "$1 days" +%F; }
# monday WEEKS_AGO: the Monday of the calendar week WEEKS_AGO weeks back.
monday() {
	_wd=$(date +%u)
	date -d "$(( -(_wd - 1) - 7 * $1 )) days" +%F
}
# plus DATE N: DATE + N days.
plus() { date -d "$1 + $2 days" +%F; }
# backfill_week RUNNER WEEKS_AGO: a clean calendar week, three 32-minute
# easy runs and two strength sessions, logged on the current treadmill.
backfill_week() {
	_m=$(monday "$2")
	for _d in 0 2 4; do
		ctl log-run "$1" --date "$(plus "$_m" $_d)" --minutes 32 \
		    >/dev/null || fail "log-run refused"
	done
	for _d in 1 3; do
		ctl log-strength "$1" --date "$(plus "$_m" $_d)" --minutes 25 \
		    >/dev/null || fail "log-strength refused"
	done
}
# backfill_clean_weeks RUNNER N: the N calendar weeks before this one
# clean, the oldest first.
backfill_clean_weeks() {
	for _w in $(seq "$2" -1 1); do
		backfill_week "$1" "$_w"
	done
}
