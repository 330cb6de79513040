# Helpers the benchmark scripts share (sourced after B, D and T are set,
# with NAME the script's name for its messages).

note() { printf '%s: %s\n' "$NAME" "$*" >&2; }

die() {
	printf '%s: error: %s\n' "$NAME" "$*" >&2
	if [ -n "${D:-}" ]; then
		for f in "$D"/daemon.log "$D"/sim.out "$D"/sim.log; do
			[ -f "$f" ] || continue
			printf -- '--- tail %s\n' "$f" >&2
			tail -n 15 "$f" >&2
		done
	fi
	exit 1
}

# poll_until SECONDS WHAT COMMAND...: run COMMAND every 10 ms until it
# succeeds; give up after SECONDS.
poll_until() {
	_left=$(($1 * 100)); _what=$2; shift 2
	until "$@" >/dev/null 2>&1; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || die "timed out waiting for: $_what"
		sleep 0.01
	done
}

sim() { "$B/treadsim" ctl -c "$D/sim.sock" "$@"; }
ctl() { "$B/treadctl" -s "$D/ctl.sock" "$@"; }

# A random pause of 0..49 ms, so that a stop lands anywhere in the tick
# rather than in step with the polling that found the belt running.
random_phase() {
	_r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	sleep "$(awk -v r="$_r" 'BEGIN { printf "%.3f", (r % 50) / 1000 }')"
}

# stats FILE: "n median p99 min max" of one number per line.  p99 is the
# nearest-rank one: the ceil(0.99 n)-th smallest (the maximum for n < 100).
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 + 0 } END {
	    n = NR
	    if (n == 0) { print "0 nan nan nan nan"; exit }
	    med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	    r = int((99 * n + 99) / 100)
	    print n, med, v[r], v[1], v[n] }'
}
# summary FILE DECIMALS [UNIT]: one line for the report (UNIT: ms).
summary() {
	stats "$1" | awk -v d="$2" -v u="${3:-ms}" '{
	    f = "%." d "f"
	    printf "median " f " %s   p99 " f " %s   (n=%d, min " f \
	        ", max " f ")\n", $2, u, $3, u, $1, $4, $5 }'
}
# cell FILE DECIMALS [UNIT]: the same for the Markdown table.
cell() {
	stats "$1" | awk -v d="$2" -v u="${3:-ms}" '{
	    f = "%." d "f"
	    printf f " %s | " f " %s | %d", $2, u, $3, u, $1 }'
}

# cpu_ticks PID: utime + stime, in clock ticks.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# proc_kb PID FIELD: a "kB" field of /proc/PID/status.
proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
