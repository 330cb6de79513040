#!/bin/sh
# transports: tcp
# treadctl's command line against the control line's limit (512 bytes,
# the newline aside): a 512-character argument is sent whole, a longer
# one is refused with a clear message before anything is sent.  Under
# the sanitized build (BIN=build-san) a write past the line's buffer
# aborts treadctl, which this catches.  A listener stands in for the
# daemon and keeps what it was sent.
. "$(dirname "$0")/lib.sh"

S=$T/ctl.sock
python3 -c "
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
while True:
    c, _ = s.accept(); data = b''
    while not data.endswith(b'\n'):
        b = c.recv(65536)
        if not b: break
        data += b
    with open(sys.argv[2] + '.tmp', 'wb') as f: f.write(data)
    os.rename(sys.argv[2] + '.tmp', sys.argv[2])
    c.sendall(b'ok\n'); c.close()
" "$S" "$T/got" &
PIDS="$PIDS $!"
wait_for 5 "the listener" test -S "$S"

word() { head -c "$1" /dev/zero | tr '\0' a; }

# 512 characters: the longest line there is, sent with its newline.
w=$(word 512)
"$BIN/treadctl" -s "$S" "$w" >"$T/out" 2>&1 || fail "512 characters refused: $(cat "$T/out")"
[ "$(cat "$T/got")" = "$w" ] || fail "the line sent is not the 512 characters"
[ "$(wc -c <"$T/got")" -eq 513 ] || fail "sent $(wc -c <"$T/got") bytes, not 513"

# 513 and 5000 characters: refused, nothing sent.
rm -f "$T/got"
for n in 513 5000; do
	if "$BIN/treadctl" -s "$S" "$(word $n)" >"$T/out" 2>&1; then
		fail "$n characters accepted"
	fi
	[ "$(cat "$T/out")" = "treadctl: command too long (at most 512 bytes)" ] ||
	    fail "$n characters: $(cat "$T/out")"
done
# Two words that together pass the limit by one.
if "$BIN/treadctl" -s "$S" "$(word 256)" "$(word 256)" >"$T/out" 2>&1; then
	fail "513 bytes in two words accepted"
fi
[ ! -e "$T/got" ] || fail "a line too long was sent"
pass
