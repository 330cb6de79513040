#!/bin/sh
# transports: tcp
# make install into a temporary DESTDIR, then run the installed binaries
# against the installed simulator; a second install keeps edited /etc
# files; uninstall removes what install put outside /etc.
. "$(dirname "$0")/lib.sh"
D=$T/root
B=${BIN#$TOP/}
make -s -C "$TOP" install DESTDIR="$D" B="$B" >"$T/install.log" 2>&1 || fail "install failed: $(tail -5 "$T/install.log")"
for f in usr/local/sbin/treadmilld usr/local/bin/treadctl usr/local/bin/treadsim \
    usr/local/share/treadmilld/maps/reference.conf usr/local/share/treadmilld/maps/vfd-hz.conf \
    etc/treadmilld/treadmilld.conf etc/treadmilld/profiles.d/building.conf \
    lib/systemd/system/treadmilld.service usr/local/share/man/man8/treadmilld.8 \
    usr/local/share/man/man5/treadmilld.conf.5 usr/local/share/man/man1/treadctl.1 \
    usr/local/share/man/man1/treadsim.1; do
	[ -e "$D/$f" ] || fail "not installed: $f"
done
[ -d "$D/var/lib/treadmilld" ] || fail "no state directory"
# Runner profiles are health data: not for every local user.
for f in "$D"/etc/treadmilld/profiles.d/*.conf; do
	[ "$(stat -c %a "$f")" = 640 ] || fail "$f is mode $(stat -c %a "$f"), not 640"
done
[ "$(stat -c %a "$D/etc/treadmilld/profiles.d")" = 750 ] ||
    fail "profiles.d is mode $(stat -c %a "$D/etc/treadmilld/profiles.d"), not 750"
if getent group treadmilld >/dev/null && [ "$(id -u)" = 0 ]; then
	[ "$(stat -c %U:%G "$D/etc/treadmilld/profiles.d/building.conf")" = root:treadmilld ] ||
	    fail "profile owned by $(stat -c %U:%G "$D/etc/treadmilld/profiles.d/building.conf")"
fi
grep -q "^ExecStart=/usr/local/sbin/treadmilld -f" "$D/lib/systemd/system/treadmilld.service" || fail "unit paths not substituted"
grep -q "^Type=notify" "$D/lib/systemd/system/treadmilld.service" || fail "unit not Type=notify"
grep -q "^ExecReload=+/usr/local/bin/treadctl -c /etc/treadmilld/treadmilld.conf reload\$" "$D/lib/systemd/system/treadmilld.service" || fail "unit does not reload with treadctl"

# Installed configuration, pointed at the temporary tree, passes -n.
PORT=$(free_port)
sed -e "s|# map_dir = .*|map_dir = \"$D/usr/local/share/treadmilld/maps\";|" \
    -e "s|port = 502;|port = $PORT;|" \
    -e "s|/run/treadmilld/treadmilld.sock|$T/ctl.sock|" \
    "$D/etc/treadmilld/treadmilld.conf" >"$T/treadmilld.conf"
cat >>"$T/treadmilld.conf" <<EOC
daemon = { user = ""; };
profiles = { dir = "$D/etc/treadmilld/profiles.d"; };
history = { path = "$T/history.db"; };
plugins = { dir = "$D/usr/local/lib/treadmilld/plugins"; };
EOC
"$D/usr/local/sbin/treadmilld" -n -c "$T/treadmilld.conf" | grep -q "configuration OK" || fail "installed config not OK"

# The PostgreSQL backend is installed beside the plugins, and loads: what
# -n says of a shared history without a server is about the server.
M=$D/usr/local/lib/treadmilld/history_pg.so
[ "$(stat -c %a "$M" 2>/dev/null)" = 644 ] || fail "history_pg.so not installed 0644"
(umask 077; echo "host=/nonexistent dbname=gym" >"$T/pg.conf")
sed -e "s|^history = .*|history = { backend = \"postgresql\"; conninfo_file = \"$T/pg.conf\"; spool = \"$T/spool.db\"; connect_timeout_s = 1; module = \"$M\"; };|" \
    "$T/treadmilld.conf" >"$T/pg-treadmilld.conf"
"$D/usr/local/sbin/treadmilld" -n -c "$T/pg-treadmilld.conf" >"$T/pg-n.out" 2>&1 &&
    fail "-n passed without a server"
grep -q "PostgreSQL" "$T/pg-n.out" && ! grep -q "history module" "$T/pg-n.out" ||
    fail "installed history_pg.so: $(cat "$T/pg-n.out")"

BIN=$D/usr/local/bin
"$BIN/treadsim" -t "127.0.0.1:$PORT" -c "$T/sim.sock" -l "$T/sim.log" >"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for 5 "installed treadsim" sim state
"$D/usr/local/sbin/treadmilld" -f -c "$T/treadmilld.conf" >"$T/daemon.log" 2>&1 &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
wait_for 10 "installed daemon connected" daemon_ready
ctl start >/dev/null || fail "installed treadctl start"
wait_for 15 "belt moving" sim_ge speed 2
ctl stop >/dev/null
[ "$(sim_state run)" = 0 ] || fail "stop"

# Reinstall keeps an edited configuration.
echo "# edited by staff" >>"$D/etc/treadmilld/treadmilld.conf"
echo "# edited by staff" >>"$D/etc/treadmilld/profiles.d/building.conf"
chmod 600 "$D/etc/treadmilld/profiles.d/building.conf"
make -s -C "$TOP" install DESTDIR="$D" B="$B" >/dev/null 2>&1 || fail "second install failed"
grep -q "edited by staff" "$D/etc/treadmilld/treadmilld.conf" || fail "install overwrote /etc"
grep -q "edited by staff" "$D/etc/treadmilld/profiles.d/building.conf" || fail "install overwrote a profile"
[ "$(stat -c %a "$D/etc/treadmilld/profiles.d/building.conf")" = 600 ] || fail "install changed a profile's mode"
make -s -C "$TOP" uninstall DESTDIR="$D" B="$B" >/dev/null 2>&1 || fail "uninstall failed"
[ ! -e "$D/usr/local/sbin/treadmilld" ] || fail "uninstall left the daemon"
[ ! -e "$M" ] || fail "uninstall left history_pg.so"
[ -e "$D/etc/treadmilld/treadmilld.conf" ] || fail "uninstall removed /etc"
pass
