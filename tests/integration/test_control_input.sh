#!/bin/sh
# transports: tcp
# Bad input on the control socket gets an error line, never a crash:
# unknown commands, wrong arguments, overlong lines, control bytes, and a
# client that vanishes mid-line.
. "$(dirname "$0")/lib.sh"
setup
send() { printf '%b' "$1" | socat -t 2 - "UNIX-CONNECT:$T/ctl.sock"; }

send 'frobnicate\n' | grep -q "^error: unknown command 'frobnicate'" || fail "unknown command"
send 'speed\n' | grep -q "^error: usage: speed KMH" || fail "missing argument"
send 'speed 1 2\n' | grep -q "^error: usage: speed KMH" || fail "extra argument"
send 'speed nan\n' | grep -q "^error: speed 'nan' is not a number" || fail "nan speed"
send 'status "unterminated\n' | grep -q "^error: unterminated quote" || fail "quote"
send 'st\001atus\n' | grep -q "^error: control characters" || fail "control byte"
send '\n' | grep -q "^error: empty command" || fail "empty line"
long=$(awk 'BEGIN { for (i = 0; i < 600; i++) printf "x" }')
send "$long\n" | grep -q "^error: line too long" || fail "long line"
head -c 5000 /dev/zero | tr '\0' 'y' | socat -t 2 - "UNIX-CONNECT:$T/ctl.sock" \
    | grep -q "^error: line too long" || fail "endless line"
printf 'stat' | socat -t 0.2 - "UNIX-CONNECT:$T/ctl.sock" >/dev/null || true
send 'status\nhelp\n' | grep -c '^ok' | grep -q 2 || fail "two commands on one connection"
kill -0 "$DAEMON_PID" || fail "daemon died"
status_is connected true || fail "daemon not answering"
ctl start >/dev/null
if ctl start 2>"$T/err"; then fail "second start accepted"; fi
grep -q "already running" "$T/err" || fail "second start message: $(cat "$T/err")"
pass
