#!/bin/sh
# transports: tcp
# A FIFO as the shared history's conninfo file: treadmilld -n refuses it
# at once, naming the file, instead of waiting for a writer that never
# comes.  No server is needed: the file is refused before any connection.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
PGCI="host=/nonexistent dbname=gym"
pg_conf tm-1
C=$T/treadmilld.conf
line=$(grep -n "^history = " "$C" | cut -d: -f1)
rm -f "$T/pg.conf"
mkfifo -m 600 "$T/pg.conf"

# timeout only bounds the test; a pass takes no time at all.
rc=0
timeout 10 "$BIN/treadmilld" -n -c "$C" >"$T/out" 2>&1 || rc=$?
[ "$rc" -ne 124 ] || fail "treadmilld -n hangs on a FIFO"
[ "$rc" -ne 0 ] || fail "a FIFO accepted: $(cat "$T/out")"
grep -qF "$C:$line: history.conninfo_file $T/pg.conf is not a regular file (it is a FIFO)" "$T/out" ||
    fail "unexpected output: $(cat "$T/out")"
pass
