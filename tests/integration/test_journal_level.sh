#!/bin/sh
# transports: tcp
# Under systemd stderr is the journal (JOURNAL_STREAM=dev:ino of it): each
# line carries its syslog priority as the "<N>" prefix journald reads, so
# a STOP reaches the journal at warning and `journalctl -p warning` shows
# it; no time stamp, the journal has its own.  On a terminal, the time.
. "$(dirname "$0")/lib.sh"
start_sim
write_conf
: >"$T/daemon.log"
JS=$(stat -c '%d:%i' "$T/daemon.log")
DAEMON_WRAPPER="env JOURNAL_STREAM=$JS"
start_daemon
start_running 3

ctl stop >/dev/null || fail "treadctl stop refused"
wait_for 5 "STOP logged" grep -q "STOP: " "$T/daemon.log"
line=$(grep "STOP: " "$T/daemon.log" | head -n 1)
pri=$(echo "$line" | sed -n 's/^<\([0-7]\)>STOP: .*/\1/p')
[ -n "$pri" ] || fail "STOP line has no priority prefix: $line"
[ "$pri" -le 4 ] || fail "STOP logged at priority $pri, above warning (4)"
grep -q '^<6>treadmilld .* started' "$T/daemon.log" ||
    fail "start-up line not at info (<6>)"
grep -q '^<7>' "$T/daemon.log" || fail "no debug line at <7> under -d"
grep -v '^<[0-7]>' "$T/daemon.log" | grep . &&
    fail "a line without a priority prefix"
grep -Eq '^<[0-7]>[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$T/daemon.log" &&
    fail "time stamps in the journal"

# The same daemon on a terminal: every line starts with the local time.
# (python3's pty gives the daemon a real tty as stderr.)
ctl end >/dev/null 2>&1 || true
stop_daemon
python3 - "$BIN/treadmilld" "$T/treadmilld.conf" "$T/tty.log" <<'EOPY' &
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-f", "-c", sys.argv[2]])
with open(sys.argv[3] + ".pid", "w") as f:
    f.write("%d\n" % pid)
with open(sys.argv[3], "wb", buffering=0) as out:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out.write(data)
EOPY
PIDS="$PIDS $!"
wait_for 10 "daemon started on a terminal" grep -q "started" "$T/tty.log"
grep "started" "$T/tty.log" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} treadmilld ' ||
    fail "no time stamp on a terminal: $(grep started "$T/tty.log")"
ctl status >/dev/null || fail "daemon on a terminal not answering"
kill -TERM "$(cat "$T/tty.log.pid")"
pass
