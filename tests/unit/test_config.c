/*
 * Unit tests of treadmilld.conf parsing (src/conf/config.c, src/conf/cfgutil.c):
 * good files load with the values written and the documented defaults
 * for what is left out; bad files are refused with every error, each as
 * the exact "file:line: message" (ARCHITECTURE.md, invariant 6).
 *
 * Run from the top of the tree: drive.map is set to the absolute path of
 * hw/maps/reference.conf, computed from the working directory.  Test
 * files are written to a temporary directory (testutil.h).
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "errlist.h"
#include "testutil.h"

#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= (eps)))					\
		fail_msg("%s = %.12g, expected %.12g (within %g)",	\
		    #a, a_, b_, (double)(eps));				\
} while (0)

static char maps_dir[PATH_MAX + 16];		/* <cwd>/hw/maps */
static char ref_map[PATH_MAX + 64];	/* <cwd>/hw/maps/reference.conf */
static char map_line[PATH_MAX + 128];	/* line 5 of base_conf */
static char prof_dir[128];		/* <tu_dir>/profiles.d, empty */
static char prof_line[256];		/* line 28 of base_conf */

/*
 * A good configuration; line N is base_conf[N-1], but for line 5
 * (map_line) and line 28 (prof_line), filled in at setup.
 */
static const char *base_conf[] = {
	"drive = {",						/* 1 */
	"  transport = \"tcp\";",				/* 2 */
	"  host = \"192.0.2.7\";",				/* 3 */
	"  port = 1502;",					/* 4 */
	NULL,	/* map = "<cwd>/hw/maps/reference.conf"; */	/* 5 */
	"  tick_hz = 20.0;",					/* 6 */
	"  response_timeout_ms = 20;",				/* 7 */
	"  watchdog_ms = 400;",					/* 8 */
	"  comm_loss_ticks = 4;",				/* 9 */
	"};",							/* 10 */
	"machine = {",						/* 11 */
	"  max_speed = 14.5;",					/* 12 */
	"  min_incline = -1.0;",				/* 13 */
	"  max_incline = 10.0;",				/* 14 */
	"  accel = 0.8;",					/* 15 */
	"  decel = 1.2;",					/* 16 */
	"  speed_tolerance = 0.7;",				/* 17 */
	"};",							/* 18 */
	"control = {",						/* 19 */
	"  socket = \"/tmp/treadmilld-test.sock\";",		/* 20 */
	"  staff_group = \"gymstaff\";",			/* 21 */
	"};",							/* 22 */
	"session = {",						/* 23 */
	"  speed = 7.5;",					/* 24 */
	"  incline = 1.5;",					/* 25 */
	"  minutes = 25;",					/* 26 */
	"};",							/* 27 */
	NULL,	/* profiles = { dir = "<tu_dir>/profiles.d"; }; */ /* 28 */
};
#define BASE_LINES ((int)(sizeof(base_conf) / sizeof(base_conf[0])))

static int
setup(void **state)
{
	char cwd[PATH_MAX];

	(void)state;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	snprintf(maps_dir, sizeof(maps_dir), "%s/hw/maps", cwd);
	snprintf(ref_map, sizeof(ref_map), "%s/reference.conf", maps_dir);
	snprintf(map_line, sizeof(map_line), "  map = \"%s\";", ref_map);
	if (access(ref_map, R_OK) != 0) {
		fprintf(stderr, "%s: run the tests from the top directory\n",
		    ref_map);
		return -1;
	}
	/* the lines of base_conf made here */
	base_conf[4] = map_line;
	base_conf[27] = prof_line;
	if (tu_mkdir("test_config") == -1)
		return -1;
	/* runner profiles are loaded with the configuration: none here */
	snprintf(prof_dir, sizeof(prof_dir), "%s/profiles.d", tu_dir);
	snprintf(prof_line, sizeof(prof_line), "profiles = { dir = \"%s\"; };",
	    prof_dir);
	return mkdir(prof_dir, 0700);
}

static int
teardown(void **state)
{
	(void)state;
	if (rmdir(prof_dir) == -1)
		return -1;
	return tu_rmdir();
}

static void
write_text(const char *text, char *path, size_t len)
{
	tu_write(NULL, NULL, text, path, len);
}

/* base_conf with edits applied, written to a temporary file. */
static void
write_conf(const struct tu_edit *ed, size_t ned, char *path, size_t len)
{
	char *text = tu_edit_lines(base_conf, BASE_LINES, ed, ned);

	write_text(text, path, len);
	free(text);
}

static int
load(const char *path, struct errlist *e)
{
	struct config c;
	int rc;

	if ((rc = config_load(&c, path, e)) == 0)
		config_free(&c);
	return rc;
}

/* Load; the errors must be exactly want[], each "<path>" + tail.  With
 * remove, the file is unlinked before anything is asserted. */
static void
expect_errors_rm(const char *path, const char *const *want, size_t nwant,
    bool remove)
{
	tu_expect_errors(path, load, remove, want, nwant);
}

static void
expect_errors(const char *path, const char *const *want, size_t nwant)
{
	expect_errors_rm(path, want, nwant, false);
}

static void
expect_edits(const struct tu_edit *ed, size_t ned, const char *const *want,
    size_t nwant)
{
	char path[128];

	write_conf(ed, ned, path, sizeof(path));
	expect_errors_rm(path, want, nwant, true);
}

#define EXPECT(edits, ...) do {						\
	static const char *const want_[] = { __VA_ARGS__ };		\
	expect_edits(edits, sizeof(edits) / sizeof(edits[0]), want_,	\
	    sizeof(want_) / sizeof(want_[0]));				\
} while (0)

static void
load_text_ok(const char *text, struct config *c)
{
	char path[128];
	struct errlist e = { 0 };
	int rc;

	write_text(text, path, sizeof(path));
	rc = config_load(c, path, &e);
	for (size_t i = 0; i < e.n; i++)
		print_message("  got: %s\n", e.msgs[i]);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(e.n, 0);
	errlist_free(&e);
}

/* ---- good files ------------------------------------------------------ */

static void
test_good(void **state)
{
	char path[128];
	struct errlist e = { 0 };
	struct config c;

	(void)state;
	write_conf(NULL, 0, path, sizeof(path));
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_int_equal(e.n, 0);
	assert_string_equal(c.path, path);
	assert_int_equal(c.drive.transport, TRANSPORT_TCP);
	assert_string_equal(c.drive.host, "192.0.2.7");
	assert_int_equal(c.drive.port, 1502);
	assert_string_equal(c.drive.map, ref_map);
	assert_near(c.drive.tick_hz, 20, 0);
	assert_int_equal(c.drive.response_timeout_ms, 20);
	assert_int_equal(c.drive.watchdog_ms, 400);
	assert_int_equal(c.drive.comm_loss_ticks, 4);
	assert_near(c.machine.max_speed, 14.5, 0);
	assert_near(c.machine.min_incline, -1.0, 0);
	assert_near(c.machine.max_incline, 10.0, 0);
	assert_near(c.machine.accel, 0.8, 0);
	assert_near(c.machine.decel, 1.2, 0);
	assert_near(c.machine.speed_tolerance, 0.7, 0);
	assert_string_equal(c.control.socket, "/tmp/treadmilld-test.sock");
	assert_string_equal(c.control.staff_group, "gymstaff");
	assert_near(c.session.speed, 7.5, 0);
	assert_near(c.session.incline, 1.5, 0);
	assert_near(c.session.minutes, 25, 0);
	assert_near(c.session.max_speed, 10, 0);
	/* the map it names is loaded with it */
	assert_string_equal(c.map.name, "reference");
	assert_string_equal(c.map.path, ref_map);
	assert_true(c.map.fc23);
	assert_int_equal(c.map.speed_setpoint.addr, 17);
	assert_int_equal(unlink(path), 0);
	config_free(&c);
	errlist_free(&e);
}

static void
test_good_rtu(void **state)
{
	char path[128], dirline[PATH_MAX + 64];
	const struct tu_edit ed[] = {
		{ 2, "  transport = \"rtu\";" },
		{ 3, "  device = \"/dev/ttyS3\"; baud = 9600; parity = \"E\";" },
		{ 4, "  unit_id = 17; reconnect_max_ms = 500;" },
		{ 5, "  map = \"vfd-hz\";" },
		{ 6, dirline },
		{ 7, "  response_timeout_ms = 50;" },
		{ 8, "  watchdog_ms = 0;" },
	};
	struct errlist e = { 0 };
	struct config c;

	(void)state;
	snprintf(dirline, sizeof(dirline), "  map_dir = \"%s\"; tick_hz = 10;",
	    maps_dir);
	write_conf(ed, sizeof(ed) / sizeof(ed[0]), path, sizeof(path));
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(c.drive.transport, TRANSPORT_RTU);
	assert_string_equal(c.drive.device, "/dev/ttyS3");
	assert_int_equal(c.drive.baud, 9600);
	assert_int_equal(c.drive.parity, 'E');
	assert_int_equal(c.drive.unit_id, 17);
	assert_int_equal(c.drive.reconnect_max_ms, 500);
	assert_near(c.drive.tick_hz, 10, 0);
	/* 50 ms is exactly half a 10 Hz tick: allowed */
	assert_int_equal(c.drive.response_timeout_ms, 50);
	assert_int_equal(c.drive.watchdog_ms, 0);
	/* a bare name is looked up in map_dir */
	assert_string_equal(c.drive.map, "vfd-hz");
	assert_string_equal(c.drive.map_dir, maps_dir);
	assert_string_equal(c.map.name, "vfd-hz");
	assert_false(c.map.fc23);
	config_free(&c);
	errlist_free(&e);
}

/* Every key left out takes its documented default. */
static void
test_defaults(void **state)
{
	char text[PATH_MAX + 512];
	struct config c;

	(void)state;
	snprintf(text, sizeof(text), "drive = { map_dir = \"%s\"; };\n%s\n",
	    maps_dir, prof_line);
	load_text_ok(text, &c);
	assert_int_equal(c.drive.transport, TRANSPORT_TCP);
	assert_string_equal(c.drive.host, "127.0.0.1");
	assert_int_equal(c.drive.port, 502);
	assert_string_equal(c.drive.device, "/dev/ttyUSB0");
	assert_int_equal(c.drive.baud, 19200);
	assert_int_equal(c.drive.parity, 'N');
	assert_int_equal(c.drive.unit_id, 1);
	assert_string_equal(c.drive.map, "reference");
	assert_near(c.drive.tick_hz, 20, 0);
	assert_int_equal(c.drive.response_timeout_ms, 20);
	assert_int_equal(c.drive.watchdog_ms, 500);
	assert_int_equal(c.drive.comm_loss_ticks, 3);
	assert_int_equal(c.drive.reconnect_max_ms, 2000);
	assert_near(c.machine.max_speed, 16.0, 0);
	assert_near(c.machine.min_incline, 0.0, 0);
	assert_near(c.machine.max_incline, 12.0, 0);
	assert_near(c.machine.accel, 1.0, 0);
	assert_near(c.machine.decel, 1.5, 0);
	assert_near(c.machine.speed_tolerance, 1.0, 0);
	assert_string_equal(c.control.socket,
	    "/run/treadmilld/treadmilld.sock");
	assert_string_equal(c.control.staff_group, "treadstaff");
	assert_int_equal(c.control.pin_lockout_min, 15);
	assert_near(c.session.speed, 6.0, 0);
	assert_near(c.session.incline, 1.0, 0);
	assert_near(c.session.minutes, 30, 0);
	assert_near(c.session.max_speed, 10, 0);
	assert_string_equal(c.map.name, "reference");
	assert_string_equal(c.history.backend, "sqlite");
	assert_string_equal(c.history.path,
	    LOCALSTATEDIR "/lib/treadmilld/history.db");
	assert_string_equal(c.history.conninfo_file,
	    SYSCONFDIR "/treadmilld/pg.conf");
	assert_string_equal(c.history.spool,
	    LOCALSTATEDIR "/lib/treadmilld/spool.db");
	assert_int_equal(c.history.stale_minutes, 10);
	assert_int_equal(c.history.connect_timeout_s, 3);
	config_free(&c);

	/* map_dir defaults to the installed maps (built with -DMAPDIR) */
	snprintf(text, sizeof(text), "drive = { map = \"%s\"; };\n%s\n",
	    ref_map, prof_line);
	load_text_ok(text, &c);
	assert_string_equal(c.drive.map_dir, MAPDIR);
	config_free(&c);
}

/* Does a reload need a new link to the drive? */
static void
test_same_link(void **state)
{
	static const struct tu_edit port[] = { { 4, "  port = 1503;" } };
	static const struct tu_edit pace[] = { { 24, "  speed = 5.0;" } };
	char p1[128], p2[128], p3[128];
	struct errlist e = { 0 };
	struct config *a, *b, *d;

	(void)state;
	/* struct config is large: keep it off the stack */
	a = calloc(3, sizeof(*a));
	assert_non_null(a);
	b = a + 1;
	d = a + 2;
	write_conf(NULL, 0, p1, sizeof(p1));
	write_conf(port, 1, p2, sizeof(p2));
	write_conf(pace, 1, p3, sizeof(p3));
	assert_int_equal(config_load(a, p1, &e), 0);
	assert_int_equal(config_load(b, p2, &e), 0);
	assert_int_equal(config_load(d, p3, &e), 0);
	assert_true(config_same_link(a, d));
	assert_false(config_same_link(a, b));
	assert_int_equal(unlink(p1), 0);
	assert_int_equal(unlink(p2), 0);
	assert_int_equal(unlink(p3), 0);
	config_free(a);
	config_free(b);
	config_free(d);
	free(a);
	errlist_free(&e);
}

/* ---- bad files: exact file:line: message ----------------------------- */

static void
test_bad_syntax(void **state)
{
	static const struct tu_edit ed[] = {
		{ 7, "  response_timeout_ms = ;" },
	};
	static const struct tu_edit brace[] = { { 27, "" }, { 28, "" } };
	static const struct tu_edit str[] = { { 21, "  staff_group = gym;" } };
	static const struct tu_edit quoted[] = { { 2, "  transport \"tcp-"
	    "over-a-very-long-name-to-fill-more-than-one-block-of-the-lexer-"
	    "which-grows-its-string-buffer-sixty-four-bytes-at-a-time-up-to-"
	    "one-hundred-and-ninety-two\";" } };

	(void)state;
	EXPECT(ed, ":7: syntax error");
	/* a group never closed: at the end of the file */
	EXPECT(brace, ":29: syntax error");
	EXPECT(str, ":21: syntax error");
	/*
	 * A string where the syntax goes wrong: libconfig 1.5 loses the
	 * string's buffer (192 bytes for one this long), whatever we do;
	 * tests/valgrind.supp tells valgrind so, and this checks that
	 * nothing else is lost on the way.
	 */
	EXPECT(quoted, ":2: syntax error");
}

static void
test_bad_unknown_key(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "  hots = \"192.0.2.7\";" },
		{ 17, "  speed_tolerence = 0.7;" },
		{ 29, "logging = { level = \"debug\"; };" },
	};

	(void)state;
	EXPECT(ed,
	    ":29: unknown setting 'logging'",
	    ":3: unknown setting 'hots' in group drive",
	    ":17: unknown setting 'speed_tolerence' in group machine");
}

static void
test_bad_type(void **state)
{
	static const struct tu_edit ed[] = {
		{ 3, "  host = 192;" },
		{ 4, "  port = \"1502\";" },
		{ 9, "  comm_loss_ticks = 3.0;" },
		{ 12, "  max_speed = \"fast\";" },
		{ 24, "  speed = true;" },
	};
	static const struct tu_edit grp[] = {
		{ 19, "control = \"/run/x.sock\";" },
		{ 20, "" }, { 21, "" }, { 22, "" },
	};

	(void)state;
	EXPECT(ed,
	    ":3: 'host' must be a string in double quotes",
	    ":4: 'port' must be a whole number",
	    ":9: 'comm_loss_ticks' must be a whole number",
	    ":12: 'max_speed' must be a number",
	    ":24: 'speed' must be a number");
	EXPECT(grp, ":19: 'control' must be a group { ... }");
}

static void
test_bad_range(void **state)
{
	static const struct tu_edit ed[] = {
		{ 4, "  port = 70000;" },
		{ 9, "  comm_loss_ticks = 0;" },
		{ 12, "  max_speed = 0.1;" },
		{ 16, "  decel = 11;" },
		{ 26, "  minutes = 601;" },
	};
	static const struct tu_edit par[] = { { 3, "  parity = \"X\";" } };
	static const struct tu_edit hz[] = { { 6, "  tick_hz = 0.25;" } };
	static const struct tu_edit pin[] = { { 21, "  staff_group = "
	    "\"gymstaff\"; pin_lockout_min = 0;" } };

	(void)state;
	EXPECT(ed,
	    ":4: 'port' is 70000, must be between 1 and 65535",
	    ":9: 'comm_loss_ticks' is 0, must be between 1 and 100",
	    ":12: 'max_speed' is 0.1, must be between 0.5 and 60",
	    ":16: 'decel' is 11, must be between 0.05 and 10",
	    ":26: 'minutes' is 601, must be between 0.1 and 600");
	EXPECT(par, ":3: parity is \"X\", must be \"N\", \"E\" or \"O\"");
	EXPECT(hz, ":6: 'tick_hz' is 0.25, must be between 0.5 and 100");
	EXPECT(pin, ":21: 'pin_lockout_min' is 0, must be between 1 and "
	    "1440");
}

/* The ends of each range are in it. */
static void
test_range_edges(void **state)
{
	static const struct tu_edit lo[] = {
		{ 4, "  port = 1; unit_id = 1; baud = 1200;" },
		{ 9, "  comm_loss_ticks = 1;" },
		{ 15, "  accel = 0.05;" },
		{ 16, "  decel = 0.05;" },
		{ 17, "  speed_tolerance = 0.1;" },
		{ 24, "  speed = 0.5;" },
	};
	static const struct tu_edit hi[] = {
		{ 4, "  port = 65535; unit_id = 247; baud = 1000000;" },
		{ 9, "  comm_loss_ticks = 100;" },
		{ 15, "  accel = 10;" },
		{ 16, "  decel = 10.0;" },
		{ 17, "  speed_tolerance = 10;" },
	};
	static const struct tu_edit over[] = {
		{ 4, "  port = 65536; unit_id = 248; baud = 1199;" },
		{ 15, "  accel = 0.049;" },
		{ 16, "  decel = 10.001;" },
	};
	static const struct tu_edit longstr[] = {
		{ 21, "  staff_group = \"0123456789012345678901234567890123456789"
		    "012345678901234567890123\";" },
	};
	static const struct tu_edit maxstr[] = {
		{ 21, "  staff_group = \"0123456789012345678901234567890123456789"
		    "01234567890123456789012\";" },
	};

	(void)state;
	expect_edits(lo, sizeof(lo) / sizeof(lo[0]), NULL, 0);
	expect_edits(hi, sizeof(hi) / sizeof(hi[0]), NULL, 0);
	EXPECT(over,
	    ":4: 'port' is 65536, must be between 1 and 65535",
	    ":4: 'baud' is 1199, must be between 1200 and 1000000",
	    ":4: 'unit_id' is 248, must be between 1 and 247",
	    ":15: 'accel' is 0.049, must be between 0.05 and 10",
	    ":16: 'decel' is 10.001, must be between 0.05 and 10");
	/* staff_group holds 63 characters */
	EXPECT(longstr, ":21: 'staff_group' is too long (at most 63 "
	    "characters)");
	expect_edits(maxstr, 1, NULL, 0);
}

/* The history group: the shared backend's settings, their ranges, and
 * where -n reports a bad conninfo file (the line naming it). */
static void
test_history_group(void **state)
{
	static const struct tu_edit pg[] = {
		{ 29, "history = { backend = \"postgresql\";" },
		{ 30, "  spool = \"/var/tmp/spool.db\"; stale_minutes = 1440;" },
		{ 31, "  conninfo_file = \"/etc/gym/pg.conf\";" },
		{ 32, "  connect_timeout_s = 60; };" },
	};
	static const struct tu_edit lo[] = {
		{ 29, "history = { backend = \"postgresql\"; stale_minutes = 1;" },
		{ 30, "  connect_timeout_s = 1; };" },
	};
	static const struct tu_edit bad[] = {
		{ 29, "history = { backend = \"mysql\"; stale_minutes = 0;" },
		{ 30, "  connect_timeout_s = 61; conninfo = \"x\"; };" },
	};
	char path[128];
	struct errlist e = { 0 };
	struct config c;

	(void)state;
	write_conf(pg, sizeof(pg) / sizeof(pg[0]), path, sizeof(path));
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_string_equal(c.history.backend, "postgresql");
	assert_string_equal(c.history.conninfo_file, "/etc/gym/pg.conf");
	assert_string_equal(c.history.spool, "/var/tmp/spool.db");
	assert_int_equal(c.history.stale_minutes, 1440);
	assert_int_equal(c.history.connect_timeout_s, 60);
	assert_string_equal(c.history.conninfo_src, path);
	assert_int_equal(c.history.conninfo_line, 31);
	config_free(&c);
	assert_int_equal(unlink(path), 0);
	/* Without conninfo_file, its problems are the backend line's. */
	write_conf(lo, sizeof(lo) / sizeof(lo[0]), path, sizeof(path));
	assert_int_equal(config_load(&c, path, &e), 0);
	assert_int_equal(c.history.stale_minutes, 1);
	assert_int_equal(c.history.connect_timeout_s, 1);
	assert_int_equal(c.history.conninfo_line, 29);
	config_free(&c);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(e.n, 0);
	EXPECT(bad,
	    ":30: unknown setting 'conninfo' in group history",
	    ":29: history backend is \"mysql\", must be \"sqlite\" or "
	    "\"postgresql\"",
	    ":29: 'stale_minutes' is 0, must be between 1 and 1440",
	    ":30: 'connect_timeout_s' is 61, must be between 1 and 60");
}

static void
test_bad_transport(void **state)
{
	static const struct tu_edit ed[] = { { 2, "  transport = \"udp\";" } };
	static const struct tu_edit up[] = { { 2, "  transport = \"TCP\";" } };

	(void)state;
	EXPECT(ed, ":2: transport is \"udp\", must be \"tcp\" or \"rtu\"");
	EXPECT(up, ":2: transport is \"TCP\", must be \"tcp\" or \"rtu\"");
}

static void
test_bad_timeout_vs_tick(void **state)
{
	static const struct tu_edit ed[] = {
		{ 7, "  response_timeout_ms = 30;" },
	};
	static const struct tu_edit edge[] = {
		{ 7, "  response_timeout_ms = 25;" },
	};
	static const struct tu_edit fast[] = {
		{ 6, "  tick_hz = 40;" },
		{ 7, "" },
		{ 8, "  watchdog_ms = 75;" },
	};
	static const struct tu_edit wd[] = { { 8, "  watchdog_ms = 149;" } };

	(void)state;
	EXPECT(ed, ":7: response_timeout_ms (30) must be at most half the "
	    "tick (50 ms at tick_hz 20)");
	/* exactly half is fine */
	expect_edits(edge, 1, NULL, 0);
	/* the default timeout against a faster tick: at the drive group */
	EXPECT(fast, ":1: response_timeout_ms (20) must be at most half the "
	    "tick (25 ms at tick_hz 40)");
	EXPECT(wd, ":8: watchdog_ms (149) must be 0 or at least three ticks "
	    "(150 ms)");
}

static void
test_bad_against_map(void **state)
{
	static const struct tu_edit spd[] = { { 12, "  max_speed = 30.0;" } };
	static const struct tu_edit edge[] = {
		{ 12, "  max_speed = 25.0;" },
		{ 13, "  min_incline = -3.0;" },
		{ 14, "  max_incline = 15.0;" },
	};
	static const struct tu_edit inc[] = {
		{ 13, "  min_incline = -5;" },
		{ 14, "  max_incline = 20.0;" },
	};
	static const struct tu_edit ses[] = {
		{ 24, "  speed = 15.0;" },
		{ 26, "  minutes = 25; max_speed = 20;" },
	};

	(void)state;
	EXPECT(spd, ":12: max_speed (30 km/h) is above what the drive map "
	    "'reference' allows (25 km/h)");
	expect_edits(edge, 3, NULL, 0);
	EXPECT(inc,
	    ":14: max_incline (20 %) is above the drive's 15 %",
	    ":13: min_incline (-5 %) is below the drive's -3 %");
	EXPECT(ses, ":24: session speed (15 km/h) is above the machine's "
	    "max_speed (14.5 km/h)");
}

static void
test_bad_incline_order(void **state)
{
	static const struct tu_edit ed[] = {
		{ 13, "  min_incline = 8.0;" },
		{ 14, "  max_incline = 5.0;" },
	};
	static const struct tu_edit only_max[] = {
		{ 13, "" },
		{ 14, "  max_incline = -1.0;" },
	};

	(void)state;
	EXPECT(ed, ":13: min_incline (8) is above max_incline (5)");
	/* min_incline left at its default 0: reported at max_incline */
	EXPECT(only_max, ":14: min_incline (0) is above max_incline (-1)");
}

static void
test_bad_session_speed(void **state)
{
	static const struct tu_edit ed[] = { { 24, "  speed = 12.0;" } };
	static const struct tu_edit ok[] = {
		{ 24, "  speed = 12.0;" },
		{ 26, "  minutes = 25; max_speed = 12;" },
	};

	(void)state;
	EXPECT(ed, ":24: session speed (12 km/h) is above the session "
	    "max_speed (10 km/h)");
	expect_edits(ok, 2, NULL, 0);
}

/* A default that clashes with a setting is still reported with a line. */
static void
test_bad_default_clash(void **state)
{
	static const struct tu_edit ed[] = {
		{ 12, "  max_speed = 5.0;" },
		{ 23, "" }, { 24, "" }, { 25, "" }, { 26, "" }, { 27, "" },
	};

	char ref[4096], *p, mpath[128], mapline[256], path[128], want[2][512];
	const char *wantp[2] = { want[0], want[1] };
	struct tu_edit small[9] = { { 5, mapline } };
	FILE *fp;
	size_t n;

	(void)state;
	/* session.speed at its default 6 */
	EXPECT(ed, ":12: session speed (6 km/h) is above the machine's "
	    "max_speed (5 km/h)");

	/* no machine group, and a map too small for its defaults */
	fp = fopen(ref_map, "r");
	assert_non_null(fp);
	n = fread(ref, 1, sizeof(ref) - 1, fp);
	fclose(fp);
	ref[n] = '\0';
	assert_non_null(p = strstr(ref, "max_speed_kmh = 25.0;"));
	memcpy(p, "max_speed_kmh = 12.0;", 21);
	assert_non_null(p = strstr(ref, "max_incline_pct = 15.0;"));
	memcpy(p, "max_incline_pct = 10.0;", 23);
	write_text(ref, mpath, sizeof(mpath));
	snprintf(mapline, sizeof(mapline), "  map = \"%s\";", mpath);
	for (int i = 1; i < 9; i++) {
		small[i].line = 10 + i;		/* lines 11..18 */
		small[i].text = "";
	}
	write_conf(small, 9, path, sizeof(path));
	snprintf(want[0], sizeof(want[0]), ":5: max_speed (16 km/h) is above "
	    "what the drive map 'reference' allows (12 km/h)");
	snprintf(want[1], sizeof(want[1]), ":5: max_incline (12 %%) is above "
	    "the drive's 10 %%");
	expect_errors_rm(path, wantp, 2, true);
	assert_int_equal(unlink(mpath), 0);
}

static void
test_bad_map(void **state)
{
	char path[128], mapline[256], mpath[128], bad[128], want[2][512];
	const char *wantp[2] = { want[0], want[1] };
	struct tu_edit ed[1] = { { 5, mapline } };

	(void)state;
	/* missing: at the drive.map line, with the map loader's words */
	snprintf(mpath, sizeof(mpath), "%s/nope.conf", tu_dir);
	snprintf(mapline, sizeof(mapline), "  map = \"%s\";", mpath);
	write_conf(ed, 1, path, sizeof(path));
	snprintf(want[0], sizeof(want[0]), ":5: register map '%s': %s: "
	    "cannot open: No such file or directory", mpath, mpath);
	expect_errors_rm(path, wantp, 1, true);

	/* a bare name not in map_dir */
	snprintf(mapline, sizeof(mapline), "  map = \"nope\"; map_dir = "
	    "\"%s\";", tu_dir);
	write_conf(ed, 1, path, sizeof(path));
	snprintf(want[0], sizeof(want[0]), ":5: register map 'nope': %s: "
	    "cannot open: No such file or directory", mpath);
	expect_errors_rm(path, wantp, 1, true);

	/* present but broken: every one of its errors, with its lines */
	write_text("name = \"broken\";\nfc23 = 1;\nmax_speed_kmh = 99;\n",
	    bad, sizeof(bad));
	snprintf(mapline, sizeof(mapline), "  map = \"%s\";", bad);
	write_conf(ed, 1, path, sizeof(path));
	snprintf(want[0], sizeof(want[0]), ":5: register map '%s': %s:2: "
	    "'fc23' must be true or false", bad, bad);
	snprintf(want[1], sizeof(want[1]), ":5: register map '%s': %s:3: "
	    "'max_speed_kmh' is 99, must be between 1 and 60", bad, bad);
	{
		/* (and then its missing settings: only the first two here) */
		struct errlist e = { 0 };
		struct config c;
		char full[1024];

		assert_int_equal(config_load(&c, path, &e), -1);
		assert_true(e.n > 2);
		for (int i = 0; i < 2; i++) {
			snprintf(full, sizeof(full), "%s%s", path, want[i]);
			assert_string_equal(e.msgs[i], full);
		}
		errlist_free(&e);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(unlink(bad), 0);

	write_text("name = \"broken\";\nfc23 = ;\n", bad + 0, sizeof(bad));
	snprintf(mapline, sizeof(mapline), "  map = \"%s\";", bad);
	write_conf(ed, 1, path, sizeof(path));
	snprintf(want[0], sizeof(want[0]), ":5: register map '%s': %s:2: "
	    "syntax error", bad, bad);
	expect_errors_rm(path, wantp, 1, true);
	assert_int_equal(unlink(bad), 0);
}

/* Every error in the file, not only the first. */
static void
test_bad_all_reported(void **state)
{
	static const struct tu_edit ed[] = {
		{ 2, "  transport = \"serial\";" },
		{ 4, "  port = 0;" },
		{ 7, "  response_timeout_ms = 40;" },
		{ 12, "  max_speed = 26;" },
		{ 13, "  min_incline = 11.0;" },
		{ 20, "  sockets = \"/tmp/x.sock\";" },
		{ 25, "  incline = \"steep\";" },
	};

	(void)state;
	EXPECT(ed,
	    ":2: transport is \"serial\", must be \"tcp\" or \"rtu\"",
	    ":4: 'port' is 0, must be between 1 and 65535",
	    ":7: response_timeout_ms (40) must be at most half the tick "
	    "(50 ms at tick_hz 20)",
	    ":13: min_incline (11) is above max_incline (10)",
	    ":20: unknown setting 'sockets' in group control",
	    ":25: 'incline' must be a number",
	    ":12: max_speed (26 km/h) is above what the drive map 'reference' "
	    "allows (25 km/h)");
}

static void
test_missing_file(void **state)
{
	char path[128];
	const char *const want[] = { ": cannot open: No such file or "
	    "directory" };

	(void)state;
	snprintf(path, sizeof(path), "%s/absent.conf", tu_dir);
	expect_errors(path, want, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_good_rtu),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_same_link),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_unknown_key),
		cmocka_unit_test(test_bad_type),
		cmocka_unit_test(test_bad_range),
		cmocka_unit_test(test_range_edges),
		cmocka_unit_test(test_history_group),
		cmocka_unit_test(test_bad_transport),
		cmocka_unit_test(test_bad_timeout_vs_tick),
		cmocka_unit_test(test_bad_against_map),
		cmocka_unit_test(test_bad_incline_order),
		cmocka_unit_test(test_bad_session_speed),
		cmocka_unit_test(test_bad_default_clash),
		cmocka_unit_test(test_bad_map),
		cmocka_unit_test(test_bad_all_reported),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
