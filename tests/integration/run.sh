#!/bin/sh
# Run every integration test, over TCP and over RTU where a test offers
# both, and print one summary line: "integration: N passed, N failed".
cd "$(dirname "$0")"
pass=0; failed=0; failures=""
for t in test_*.sh; do
	transports=tcp
	grep -q '^# transports: tcp rtu' "$t" && transports="tcp rtu"
	for tr in $transports; do
		if TRANSPORT=$tr sh "$t"; then
			pass=$((pass + 1))
		else
			failed=$((failed + 1))
			failures="$failures $t($tr)"
		fi
	done
done
[ -n "$failures" ] && echo "failed:$failures"
echo "integration: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
