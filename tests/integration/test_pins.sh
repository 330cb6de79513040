#!/bin/sh
# Staff set a runner's PIN with treadctl set-pin: read from stdin (never
# from the command line), hashed by the daemon with yescrypt, stored in
# the history with who set it; bad PINs and non-staff are refused.
. "$(dirname "$0")/lib.sh"
setup

pins() { sqlite3 "$T/history.db" "SELECT $1 FROM pins WHERE runner = 'maya' ORDER BY at, rowid"; }

# The PIN on the command line is refused before anything is sent.
if ctl set-pin maya 2468 >"$T/out" 2>"$T/err"; then fail "a PIN on the command line was taken"; fi
grep -q "never given on the command line" "$T/err" || fail "command-line PIN: $(cat "$T/err")"
for bad in 123 1234567890123 12a4 ""; do
	if printf '%s\n' "$bad" | ctl set-pin maya >"$T/out" 2>"$T/err"; then
		fail "PIN '$bad' was taken"
	fi
	grep -q "a PIN is 4 to 12 digits" "$T/err" || fail "PIN '$bad': $(cat "$T/err")"
done
# The daemon checks too (a client other than treadctl).
printf 'set-pin maya 12x4\n' | socat - "UNIX-CONNECT:$T/ctl.sock" >"$T/out"
grep -q "error: a PIN is 4 to 12 digits" "$T/out" || fail "daemon took a bad PIN: $(cat "$T/out")"
if printf '2468\n' | ctl set-pin nobody-here 2>"$T/err"; then fail "PIN set for a runner without a profile"; fi
grep -q "no profile for runner" "$T/err" || fail "unknown runner: $(cat "$T/err")"
[ "$(sqlite3 "$T/history.db" "SELECT count(*) FROM pins")" = 0 ] || fail "a refused PIN was stored"

printf '2468\n' | ctl set-pin maya >"$T/out" || fail "set-pin refused"
grep -q "PIN set for maya by root" "$T/out" || fail "set-pin said: $(cat "$T/out")"
# On disk when the reply came, as a yescrypt hash of that PIN, never the PIN.
hash=$(pins hash)
case "$hash" in '$y$'*) ;; *) fail "stored hash is not yescrypt: $hash" ;; esac
case "$hash" in *2468*) fail "the PIN is in the stored hash" ;; esac
[ "$(pins staff)" = root ] || fail "staff recorded as $(pins staff)"
python3 -c 'import crypt, sys; h = sys.argv[1]; sys.exit(not (crypt.crypt("2468", h) == h and crypt.crypt("2469", h) != h))' "$hash" 2>/dev/null ||
    fail "the stored hash does not check against the PIN"
grep -q 2468 "$T/daemon.log" && fail "the PIN is in the daemon's log"
# A new PIN is a new row; the newest is hers.
printf '97531\n' | ctl set-pin maya >/dev/null || fail "second set-pin refused"
[ "$(sqlite3 "$T/history.db" "SELECT count(*) FROM pins")" = 2 ] || fail "second PIN not stored"

# Staff only: a user outside the staff group cannot set one.  (At the
# socket's default 0660 such a user cannot even connect.)
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chmod 0755 "$T"
	if printf '1111\n' | setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$BIN/treadctl" -s "$T/ctl.sock" set-pin maya >/dev/null 2>"$T/err"; then
		fail "a user outside staff set a PIN"
	fi
	[ "$(sqlite3 "$T/history.db" "SELECT count(*) FROM pins")" = 2 ] || fail "a PIN was stored for a non-staff user"
fi
pass
