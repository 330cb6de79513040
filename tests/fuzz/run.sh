#!/bin/sh
# Run each libFuzzer harness for a bounded time on its seed corpus:
#   run.sh BUILD_DIR SECONDS NAME...
# New inputs go to a temporary directory; a crash is saved as
# BUILD_DIR/crash-NAME-* and fails the run.  Prints one line per harness
# (runs, runs per second, corpus size) and "fuzz: N passed, N failed".
set -u
B=$1; secs=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
pass=0; failed=0
for n in "$@"; do
	new=$(mktemp -d "${TMPDIR:-/tmp}/treadfuzz-$n.XXXXXX")
	log=$B/fuzz_$n.log
	seeds=$here/corpus/$n
	nseeds=$(find "$seeds" -type f | wc -l)
	echo "fuzz $n: ${secs} s from $nseeds seeds..."
	if "$B/fuzz_$n" -max_total_time="$secs" -timeout=10 -max_len=8192 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$B/crash-$n-" "$new" "$seeds" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
		    "$log")
		[ -n "$took" ] && [ "$took" -gt 0 ] || took=$secs
		echo "fuzz $n: ${runs:-0} runs in $took s" \
		    "($(( ${runs:-0} / took )) per second)," \
		    "$(find "$new" -type f | wc -l) new inputs"
		pass=$((pass + 1))
	else
		echo "FAIL: fuzz $n (log: $log)"
		grep -E "ERROR|invariant broken|SUMMARY|Test unit written" \
		    "$log" | head -n 20
		failed=$((failed + 1))
	fi
	rm -rf "$new"
done
echo "fuzz: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
