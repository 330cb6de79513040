/*
 * Unit tests of the history (src/history/), run twice: against real
 * SQLite files, and against the shared PostgreSQL backend (a fresh
 * database per test in the cluster TREAD_TEST_PG names, which `make
 * check` starts; without it that group is skipped, and says so).  Each
 * test gets a fresh temporary directory: the SQLite file, or the
 * conninfo file and the spool.
 *
 * The test pokes at the database with its own connection where the API
 * has no say: to build an old or foreign schema by hand, to hold a lock,
 * to make the database refuse a row.  Where the two backends differ (a
 * file that is not a database, a read-only file) each has its own test
 * of the same promise.  What only the shared backend has (the conninfo
 * file, the spool, outages) has its own tests, further down, run only
 * in the PostgreSQL group.
 *
 * Invariant 5 is checked the hard way: a child process checkpoints a
 * running session and is killed with SIGKILL; the parent recovers it.
 *
 * Read-only files: tests run as root, for whom mode bits do not stop a
 * write.  The read-only cases therefore run in a forked child that drops
 * to nobody (65534) with setgid/setuid first, so the kernel really refuses
 * the writes and SQLite sees what the daemon would under its own user.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "histfx.h"
#include "history.h"
#include "history_backend.h"
#include "log.h"

#define SCHEMA_VERSION	6	/* what this tree's migrations reach */
#define NOBODY		65534

/* Days and times in UTC (main sets TZ), so day = time / 86400. */
static const hday_t D0 = 20514;		/* 2026-03-02, a Monday */

static time_t
at(hday_t d, int hour)
{
	return (time_t)d * 86400 + hour * 3600;
}

#define assert_near(a, b) do {						\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= 1e-9))					\
		fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);	\
} while (0)
#define assert_contains(hay, needle) do {				\
	const char *h_ = (hay), *n_ = (needle);				\
	if (strstr(h_, n_) == NULL)					\
		fail_msg("\"%s\" does not contain \"%s\"", h_, n_);	\
} while (0)

/* ---- fixture and raw access ----------------------------------------- */

static int
setup(void **state)
{
	return fx_setup(state, "test_history", "th");
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* First column of the first row as text ("" if none). */
static const char *
raw_text(sqlite3 *db, const char *sql)
{
	static char buf[256];
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static int
raw_int(sqlite3 *db, const char *sql)
{
	return atoi(raw_text(db, sql));
}

static int
file_int(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path);
	int v = raw_int(db, sql);

	sqlite3_close(db);
	return v;
}

static const char *
file_text(const char *path, const char *sql)
{
	static char buf[8192];
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

#define SCHEMA_SQL	"SELECT group_concat(type || ' ' || name || ': ' || " \
			"sql, char(10)) FROM (SELECT * FROM sqlite_schema " \
			"ORDER BY name)"

/* Either backend's database, for SQL both speak. */
static PGconn *
fx_pg(struct fx *fx)
{
	if (fx->raw == NULL || PQstatus(fx->raw) != CONNECTION_OK) {
		if (fx->raw != NULL)
			PQfinish(fx->raw);
		fx->raw = pg_connect(fx->conninfo);
	}
	return fx->raw;
}

static void
db_exec(struct fx *fx, const char *sql)
{
	sqlite3 *db;

	if (on_pg) {
		PQclear(pg_must(fx_pg(fx), sql));
		return;
	}
	db = raw_open(fx->db);
	raw_exec(db, sql);
	sqlite3_close(db);
}

static void
db_exec_spool(struct fx *fx, const char *sql)
{
	sqlite3 *db = raw_open(fx->spool);

	raw_exec(db, sql);
	sqlite3_close(db);
}

static const char *
db_text(struct fx *fx, const char *sql)
{
	static char buf[8192];
	PGresult *r;

	if (!on_pg)
		return file_text(fx->db, sql);
	r = pg_must(fx_pg(fx), sql);
	snprintf(buf, sizeof(buf), "%s", PQntuples(r) > 0 &&
	    !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return buf;
}

static int
db_int(struct fx *fx, const char *sql)
{
	return atoi(db_text(fx, sql));
}

/* What the history's messages name: the file, or the conninfo file. */
static const char *
fx_name(const struct fx *fx)
{
	return on_pg ? fx->pgconf : fx->db;
}

/* The shared backend's options for the fixture: its conninfo file and
 * spool, treadmill tm-1. */
static struct history_pg
pg_options(const struct fx *fx, int connect_timeout_s)
{
	struct history_pg o = { .conninfo_file = fx->pgconf,
	    .spool = fx->spool, .treadmill = "tm-1",
	    .connect_timeout_s = connect_timeout_s, .stale_minutes = 10 };

	return o;
}

static struct history *
try_open_within(struct fx *fx, int timeout_s, char *err, size_t errlen)
{
	struct history_pg o = pg_options(fx, 5);

	o.read_timeout_s = timeout_s;

	return on_pg ? history_open_pg(&o, err, errlen) :
	    history_open(fx->db, err, errlen);
}

static struct history *
try_open(struct fx *fx, char *err, size_t errlen)
{
	return try_open_within(fx, 0, err, errlen);
}

/*
 * A read, retried while the reader's link is still being made (the
 * reader never waits long for one: it runs on the control loop): 0, or
 * -1 with the error once it is not that.
 */
static int
settled_read(struct history *h, char *err, size_t errlen)
{
	struct runner_history rh;
	int rc;

	for (int i = 0; i < 300; i++) {
		rc = history_list(h, "nobody", 1, &rh, err, errlen);
		history_free(&rh);
		if (rc == 0 || strstr(err, "still trying") == NULL)
			return rc;
		usleep(50 * 1000);
	}
	return -1;
}

/* Wait until a read works (after an outage the reader fails fast for a
 * while, by design); fail after 15 s. */
static void
ready_read(struct history *h)
{
	char err[512] = "";

	for (int i = 0; i < 300; i++) {
		if (settled_read(h, err, sizeof(err)) == 0)
			return;
		usleep(50 * 1000);
	}
	fail_msg("still no read: %s", err);
}

/* Open, and for PostgreSQL wait until the schema is there to poke at;
 * timeout_s bounds each read (0: the daemon's default). */
static struct history *
must_open_within(struct fx *fx, int timeout_s)
{
	char err[512];
	struct history *h = try_open_within(fx, timeout_s, err, sizeof(err));

	if (h == NULL)
		fail_msg("history_open: %s", err);
	if (on_pg)
		ready_read(h);
	return h;
}

static struct history *
must_open(struct fx *fx)
{
	return must_open_within(fx, 0);
}


/* Wait until the spool holds want rows (the writer delivers on its own
 * timer); fail after secs. */
static void
wait_spooled(struct history *h, unsigned long want, int secs)
{
	for (int i = 0; i < secs * 20 && history_spooled(h) != want; i++)
		usleep(50 * 1000);
	if (history_spooled(h) != want)
		fail_msg("%lu rows spooled after %d s, expected %lu (%s)",
		    history_spooled(h), secs, want, history_link_error(h));
}

/* PostgreSQL: what was synced is in the spool; wait until delivery has
 * taken it to the database, for a test that looks there itself. */
static void
delivered(struct history *h)
{
	if (on_pg)
		wait_spooled(h, 0, 30);
}

/* Delivery has tried and failed: the link's error, for status. */
static const char *
wait_link_error(struct history *h)
{
	for (int i = 0; i < 600 && history_link_error(h)[0] == '\0'; i++)
		usleep(50 * 1000);
	return history_link_error(h);
}

/*
 * The database goes away for the history: no new connection is let in
 * and the ones there are cut, as when its server or the network goes.
 * The test's own connection goes too (it reconnects when it is back).
 */
static void
pg_outage(struct fx *fx, bool down)
{
	if (fx->raw != NULL)
		PQfinish(fx->raw);
	fx->raw = NULL;
	pg_admin("ALTER DATABASE %s ALLOW_CONNECTIONS %s", fx->dbname,
	    down ? "false" : "true");
	if (down)
		pg_admin("SELECT pg_terminate_backend(pid) FROM "
		    "pg_stat_activity WHERE datname = '%s'", fx->dbname);
}

static struct history *
must_open_path(const char *path)
{
	char err[512];
	struct history *h = history_open(path, err, sizeof(err));

	if (h == NULL)
		fail_msg("history_open: %s", err);
	return h;
}

static void
must_load(struct history *h, const char *runner, hday_t since,
    struct runner_history *rh)
{
	char err[512];

	if (history_load(h, runner, since, rh, err, sizeof(err)) != 0)
		fail_msg("history_load: %s", err);
}

/* stderr into a file for a while, to check what was logged. */
static int saved_stderr = -1;
static char capture_path[160];

static void
capture_begin(const struct fx *fx)
{
	int fd;

	snprintf(capture_path, sizeof(capture_path), "%s/stderr", fx->dir);
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 2);
	close(fd);
}

static char *
capture_end(void)
{
	static char buf[16384];
	FILE *f;
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	f = fopen(capture_path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- sample records -------------------------------------------------- */

static struct hist_checkin
checkin(const char *runner, hday_t d, double sleep_h, int pain)
{
	struct hist_checkin c = { .day = d, .sleep_h = sleep_h, .pain = pain,
	    .at = at(d, 7) };

	snprintf(c.runner, sizeof(c.runner), "%s", runner);
	return c;
}

static struct hist_session
session(const char *runner, hday_t d, enum hist_outcome o, double minutes)
{
	struct hist_session s = { .start = at(d, 8),
	    .end = at(d, 8) + (time_t)(minutes * 60), .planned_min = 30,
	    .actual_min = minutes, .running_min = minutes - 5,
	    .walking_min = 5, .hard_min = 0, .distance_m = minutes * 150,
	    .avg_speed = 9.0, .max_speed = 9.5, .avg_hr = 140, .max_hr = 151,
	    .above_cap_s = 0, .outcome = o };

	history_new_id(s.id);
	snprintf(s.runner, sizeof(s.runner), "%s", runner);
	snprintf(s.workout, sizeof(s.workout), "easy");
	snprintf(s.treadmill, sizeof(s.treadmill), "tm-1");
	return s;
}

static struct hist_strength
strength(const char *runner, hday_t d, double minutes)
{
	struct hist_strength s = { .day = d, .minutes = minutes,
	    .at = at(d, 18) };

	snprintf(s.runner, sizeof(s.runner), "%s", runner);
	return s;
}

static struct hist_symptom
symptom(const char *runner, hday_t d, const char *kind)
{
	struct hist_symptom s = { .day = d, .at = at(d, 9) };

	snprintf(s.runner, sizeof(s.runner), "%s", runner);
	snprintf(s.kind, sizeof(s.kind), "%s", kind);
	return s;
}

static struct hist_override
override(const char *runner, hday_t d, bool unlock, const char *reason)
{
	struct hist_override o = { .at = at(d, 12), .unlock = unlock };

	snprintf(o.runner, sizeof(o.runner), "%s", runner);
	snprintf(o.staff, sizeof(o.staff), "coach kim");
	snprintf(o.reason, sizeof(o.reason), "%s", reason);
	return o;
}

static void
assert_session_equal(const struct hist_session *a,
    const struct hist_session *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->runner, b->runner);
	assert_string_equal(a->workout, b->workout);
	assert_int_equal(a->hard, b->hard);
	assert_int_equal(a->start, b->start);
	assert_int_equal(a->end, b->end);
	assert_near(a->planned_min, b->planned_min);
	assert_near(a->actual_min, b->actual_min);
	assert_near(a->running_min, b->running_min);
	assert_near(a->walking_min, b->walking_min);
	assert_int_equal(a->stage, b->stage);
	assert_near(a->hard_min, b->hard_min);
	assert_near(a->distance_m, b->distance_m);
	assert_near(a->avg_speed, b->avg_speed);
	assert_near(a->max_speed, b->max_speed);
	assert_int_equal(a->avg_hr, b->avg_hr);
	assert_int_equal(a->max_hr, b->max_hr);
	assert_near(a->above_cap_s, b->above_cap_s);
	assert_int_equal(a->outcome, b->outcome);
	assert_int_equal(a->symptom, b->symptom);
	assert_int_equal(a->backfilled, b->backfilled);
	assert_string_equal(a->treadmill, b->treadmill);
}

/* ---- names and ids --------------------------------------------------- */

static void
test_outcome_names(void **state)
{
	static const char *const names[] = { "running", "completed",
	    "stopped", "safety stop", "symptom", "fault", "interrupted" };

	(void)state;
	for (int o = HO_RUNNING; o <= HO_INTERRUPTED; o++) {
		assert_string_equal(hist_outcome_name(o), names[o]);
		assert_int_equal(hist_outcome_parse(names[o]), o);
	}
	assert_int_equal(hist_outcome_parse("Completed"), -1);
	assert_int_equal(hist_outcome_parse(""), -1);
	assert_string_equal(hist_outcome_name((enum hist_outcome)99),
	    "unknown");
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_new_id(void **state)
{
	enum { N = 2000 };
	char (*ids)[HISTORY_ID_LEN] = calloc(N, HISTORY_ID_LEN);

	(void)state;
	for (int i = 0; i < N; i++) {
		history_new_id(ids[i]);
		assert_int_equal(strlen(ids[i]), 36);
		for (int j = 0; j < 36; j++) {
			char ch = ids[i][j];
			if (j == 8 || j == 13 || j == 18 || j == 23)
				assert_int_equal(ch, '-');
			else
				assert_true((ch >= '0' && ch <= '9') ||
				    (ch >= 'a' && ch <= 'f'));
		}
		assert_int_equal(ids[i][14], '4');
		assert_non_null(strchr("89ab", ids[i][19]));
	}
	qsort(ids, N, HISTORY_ID_LEN, cmp_id);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

/* ---- opening, schema, refusals --------------------------------------- */

static void
test_schema_created(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	sqlite3 *db;

	history_close(h);
	db = raw_open(fx->db);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_string_equal(raw_text(db, "PRAGMA journal_mode"), "wal");
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name IN ('checkins', 'sessions', "
	    "'strength', 'symptoms', 'overrides')"), 5);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'index' AND name LIKE '%_runner_day'"), 5);
	/* Every field of the structs has a column. */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM "
	    "pragma_table_info('sessions')"), 23);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM "
	    "pragma_table_info('checkins')"), 10);
	sqlite3_close(db);

	/* Opening again changes nothing. */
	history_close(must_open(fx));
	assert_int_equal(file_int(fx->db, "PRAGMA user_version"),
	    SCHEMA_VERSION);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_checkin c = checkin("anna", D0, 7.5, 1);
	struct hist_session s = session("anna", D0, HO_COMPLETED, 31);
	struct runner_history rh;

	history_add_checkin(h, &c);
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	history_close(h);

	h = must_open(fx);
	must_load(h, "anna", D0 - 10, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_near(rh.checkins[0].sleep_h, 7.5);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);
	history_close(h);
}

/* Schema version 1 as it shipped (step 1 of history_sqlite.c): the
 * tables, no indexes yet. */
#define V1_DAY	" day TEXT NOT NULL CHECK (day BETWEEN '1900-01-01'" \
		" AND '2999-12-31' AND day GLOB" \
		" '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
static const char v1_schema[] =
	"CREATE TABLE checkins ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL," V1_DAY
	" sleep_h REAL, pain INTEGER NOT NULL, leak INTEGER NOT NULL,"
	" heaviness INTEGER NOT NULL, bleeding INTEGER NOT NULL,"
	" limitation INTEGER NOT NULL, at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE sessions ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL," V1_DAY
	" workout TEXT NOT NULL, hard INTEGER NOT NULL,"
	" start_at INTEGER NOT NULL, end_at INTEGER NOT NULL,"
	" planned_min REAL, actual_min REAL, hard_min REAL, distance_m REAL,"
	" avg_speed REAL, max_speed REAL, avg_hr INTEGER NOT NULL,"
	" max_hr INTEGER NOT NULL, above_cap_s REAL, outcome TEXT NOT NULL,"
	" symptom INTEGER NOT NULL, backfilled INTEGER NOT NULL,"
	" treadmill TEXT NOT NULL) STRICT;"
	"CREATE TABLE strength ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL," V1_DAY
	" minutes REAL, at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE symptoms ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL," V1_DAY
	" at INTEGER NOT NULL, kind TEXT NOT NULL,"
	" session_id TEXT) STRICT;"
	"CREATE TABLE overrides ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL," V1_DAY
	" at INTEGER NOT NULL, unlock INTEGER NOT NULL,"
	" staff TEXT NOT NULL, reason TEXT NOT NULL) STRICT;"
	"PRAGMA user_version = 1;";

/* The rows test_migrate_from_v1 wrote by hand, read back migrated. */
static void
check_v1_rows(struct history *h)
{
	struct runner_history rh;

	must_load(h, "anna", D0, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_int_equal(rh.checkins[0].day, D0);
	assert_near(rh.checkins[0].sleep_h, 6.5);
	assert_int_equal(rh.checkins[0].pain, 3);
	assert_true(rh.checkins[0].leak);
	assert_false(rh.checkins[0].heaviness);
	assert_true(rh.checkins[0].limitation);
	assert_int_equal(rh.nsessions, 1);
	assert_string_equal(rh.sessions[0].id, "s1");
	assert_int_equal(rh.sessions[0].outcome, HO_SAFETY_STOP);
	assert_true(rh.sessions[0].backfilled);
	assert_near(rh.sessions[0].above_cap_s, 20.5);
	/* Older than since, but the last symptom. */
	assert_int_equal(rh.nsymptoms, 1);
	assert_string_equal(rh.symptoms[0].kind, "leak");
	assert_string_equal(rh.symptoms[0].session_id, "");
	history_free(&rh);
}

static void
test_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = raw_open(fx->db);
	struct history *h;
	char sql[512], fresh[160];
	static char schema[8192];

	raw_exec(db, v1_schema);
	snprintf(sql, sizeof(sql), "INSERT INTO checkins VALUES ('c1', "
	    "'anna', '2026-03-02', 6.5, 3, 1, 0, 0, 1, %lld);"
	    "INSERT INTO sessions VALUES ('s1', 'anna', '2026-03-02', "
	    "'intervals', 1, %lld, %lld, 40, 38.5, 12, 6100, 9.6, 14, 150, "
	    "178, 20.5, 'safety stop', 0, 1, 'tm-2');"
	    "INSERT INTO symptoms VALUES ('y1', 'anna', '2025-01-10', %lld, "
	    "'leak', NULL);", (long long)at(D0, 7), (long long)at(D0, 8),
	    (long long)at(D0, 8) + 2310, (long long)at(D0 - 416, 9));
	raw_exec(db, sql);
	sqlite3_close(db);

	h = must_open(fx);
	db = raw_open(fx->db);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'index' AND name = 'checkins_runner_day'"), 1);
	sqlite3_close(db);

	/* Migrated, the schema is the one a fresh file gets. */
	snprintf(fresh, sizeof(fresh), "%s/fresh.db", fx->dir);
	history_close(must_open_path(fresh));
	snprintf(schema, sizeof(schema), "%s", file_text(fx->db, SCHEMA_SQL));
	assert_string_equal(schema, file_text(fresh, SCHEMA_SQL));

	check_v1_rows(h);
	history_close(h);
}

/* Another program's file at version 0: refused, and left as it was. */
static void
test_migration_is_one_transaction(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = raw_open(fx->db);
	char err[512];

	raw_exec(db, "CREATE TABLE sessions (x); INSERT INTO sessions "
	    "VALUES (42);");
	sqlite3_close(db);
	assert_null(history_open(fx->db, err, sizeof(err)));
	assert_contains(err, fx->db);
	assert_contains(err, "migrating to schema version 1");
	assert_contains(err, "already exists");

	db = raw_open(fx->db);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), 0);
	/* checkins comes before sessions in step 1: rolled back with it. */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'checkins'"), 0);
	assert_int_equal(raw_int(db, "SELECT x FROM sessions"), 42);
	sqlite3_close(db);
}

static void
test_newer_version_refused(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = raw_open(fx->db);
	char err[512];

	raw_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 7;");
	sqlite3_close(db);
	assert_null(history_open(fx->db, err, sizeof(err)));
	assert_contains(err, fx->db);
	assert_contains(err, "schema version 7");
	assert_contains(err, "knows up to 6");
	assert_int_equal(file_int(fx->db, "PRAGMA user_version"), 7);
	assert_int_equal(file_int(fx->db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE name = 'checkins'"), 0);
}

static void
test_not_a_database(void **state)
{
	struct fx *fx = *state;
	char err[512], before[8192], after[8192];
	FILE *f;

	for (size_t i = 0; i < sizeof(before); i++)
		before[i] = "treadmill log line\n"[i % 19];
	f = fopen(fx->db, "w");
	fwrite(before, 1, sizeof(before), f);
	fclose(f);

	assert_null(history_open(fx->db, err, sizeof(err)));
	assert_contains(err, fx->db);
	assert_contains(err, "file is not a database");
	/* Not a byte of someone else's file was touched. */
	f = fopen(fx->db, "r");
	assert_int_equal(fread(after, 1, sizeof(after), f), sizeof(after));
	fclose(f);
	assert_memory_equal(before, after, sizeof(before));
}

static void
test_corrupt_file(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	char err[512], junk[4096];
	int fd;

	for (int i = 0; i < 400; i++) {
		struct hist_checkin c = checkin("anna", D0 - i, 7, 0);
		history_add_checkin(h, &c);
	}
	history_close(h);
	/* Scribble over a page in the middle of the table. */
	memset(junk, 0x5a, sizeof(junk));
	fd = open(fx->db, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 4 * 4096),
	    (ssize_t)sizeof(junk));
	close(fd);

	assert_null(history_open(fx->db, err, sizeof(err)));
	assert_contains(err, fx->db);
	if (strstr(err, "corrupt") == NULL && strstr(err, "malformed") == NULL)
		fail_msg("not reported as corrupt: %s", err);
}

/*
 * In a child that cannot write what the daemon could not: open and send
 * back the error (empty if it opened).
 */
static void
open_as_nobody(const char *path, char *err, size_t errlen)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		char e[512] = "";
		struct history *h;

		close(p[0]);
		if (getuid() == 0 && (setgroups(0, NULL) == -1 ||
		    setgid(NOBODY) == -1 || setuid(NOBODY) == -1)) {
			snprintf(e, sizeof(e), "SKIP cannot become nobody: %s",
			    strerror(errno));
		} else if ((h = history_open(path, e, sizeof(e))) != NULL) {
			history_close(h);
			e[0] = '\0';
		}
		if (write(p[1], e, strlen(e)) == -1)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], err, errlen - 1);
	err[n < 0 ? 0 : n] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("    (as nobody: %s)\n", err);
}

static void
test_read_only(void **state)
{
	struct fx *fx = *state;
	char err[512], sub[192], path[256];

	/* The user running the daemon cannot write the file. */
	history_close(must_open(fx));
	assert_int_equal(chmod(fx->db, 0444), 0);
	assert_int_equal(chmod(fx->dir, 0755), 0);
	open_as_nobody(fx->db, err, sizeof(err));
	if (strncmp(err, "SKIP", 4) == 0)
		skip();
	assert_contains(err, fx->db);
	assert_contains(err, "attempt to write a readonly database");
	assert_int_equal(chmod(fx->db, 0644), 0);

	/* A new file in a directory it cannot write. */
	snprintf(sub, sizeof(sub), "%s/ro", fx->dir);
	assert_int_equal(mkdir(sub, 0555), 0);
	snprintf(path, sizeof(path), "%s/history.db", sub);
	open_as_nobody(path, err, sizeof(err));
	assert_contains(err, path);
	assert_contains(err, "unable to open database file");
	assert_contains(err, "Permission denied");

	/* A writable file in a directory where the WAL cannot be made. */
	assert_int_equal(chmod(sub, 0755), 0);
	history_close(must_open_path(path));
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(chmod(sub, 0555), 0);
	open_as_nobody(path, err, sizeof(err));
	assert_contains(err, path);
	assert_true(err[strlen(path)] != '\0');		/* says why */
	chmod(sub, 0755);
}

/* ---- the same promises on PostgreSQL ---------------------------------- */

/* Columns, indexes and constraints of the public schema, in one text. */
#define PG_SCHEMA_SQL	"SELECT (SELECT string_agg(table_name || '.' || " \
	"column_name || ' ' || data_type || ' ' || is_nullable || ' ' || " \
	"is_identity, E'\\n' ORDER BY table_name, ordinal_position) FROM " \
	"information_schema.columns WHERE table_schema = 'public') || E'\\n' " \
	"|| (SELECT string_agg(indexdef, E'\\n' ORDER BY indexname) FROM " \
	"pg_indexes WHERE schemaname = 'public') || E'\\n' || (SELECT " \
	"string_agg(conrelid::regclass || ' ' || pg_get_constraintdef(oid), " \
	"E'\\n' ORDER BY conrelid::regclass::text, " \
	"pg_get_constraintdef(oid)) " \
	"FROM pg_constraint WHERE connamespace = 'public'::regnamespace)"

static void
test_pg_schema_created(void **state)
{
	struct fx *fx = *state;
	static char schema[16384];

	history_close(must_open(fx));
	assert_int_equal(db_int(fx, "SELECT version FROM schema_version"),
	    SCHEMA_VERSION);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM schema_version"), 1);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = 'public' AND tablename IN ('checkins', 'sessions', "
	    "'strength', 'symptoms', 'overrides')"), 5);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM pg_indexes WHERE "
	    "schemaname = 'public' AND indexname LIKE '%_runner_day'"), 5);
	/* Every field of the structs has a column, and seq orders rows. */
	assert_int_equal(db_int(fx, "SELECT count(*) FROM "
	    "information_schema.columns WHERE table_name = 'sessions'"), 24);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM "
	    "information_schema.columns WHERE table_name = 'checkins'"), 11);
	snprintf(schema, sizeof(schema), "%s", db_text(fx, PG_SCHEMA_SQL));

	/* Opening again changes nothing. */
	history_close(must_open(fx));
	assert_int_equal(db_int(fx, "SELECT version FROM schema_version"),
	    SCHEMA_VERSION);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM schema_version"), 1);
	assert_string_equal(db_text(fx, PG_SCHEMA_SQL), schema);
}

/* Version 1 as history_pg_schema.c step 1 has it: no indexes yet. */
#define PG_V1_ID	" seq bigint GENERATED ALWAYS AS IDENTITY," \
			" id text PRIMARY KEY, runner text NOT NULL," \
			" day date NOT NULL CHECK (day BETWEEN '1900-01-01'" \
			" AND '2999-12-31'),"
static const char pg_v1_schema[] =
	"CREATE TABLE schema_version (version integer NOT NULL);"
	"INSERT INTO schema_version VALUES (1);"
	"CREATE TABLE checkins (" PG_V1_ID
	" sleep_h double precision, pain integer NOT NULL,"
	" leak boolean NOT NULL, heaviness boolean NOT NULL,"
	" bleeding boolean NOT NULL, limitation boolean NOT NULL,"
	" at bigint NOT NULL);"
	"CREATE TABLE sessions (" PG_V1_ID
	" workout text NOT NULL, hard boolean NOT NULL,"
	" start_at bigint NOT NULL, end_at bigint NOT NULL,"
	" planned_min double precision, actual_min double precision,"
	" hard_min double precision, distance_m double precision,"
	" avg_speed double precision, max_speed double precision,"
	" avg_hr integer NOT NULL, max_hr integer NOT NULL,"
	" above_cap_s double precision, outcome text NOT NULL,"
	" symptom boolean NOT NULL, backfilled boolean NOT NULL,"
	" treadmill text NOT NULL);"
	"CREATE TABLE strength (" PG_V1_ID
	" minutes double precision, at bigint NOT NULL);"
	"CREATE TABLE symptoms (" PG_V1_ID
	" at bigint NOT NULL, kind text NOT NULL, session_id text);"
	"CREATE TABLE overrides (" PG_V1_ID
	" at bigint NOT NULL, unlock boolean NOT NULL,"
	" staff text NOT NULL, reason text NOT NULL);";

static void
test_pg_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	struct history *h;
	char sql[1024], fresh_db[64], fresh_ci[700];
	static char schema[16384];
	PGconn *c;
	PGresult *r;

	db_exec(fx, pg_v1_schema);
	snprintf(sql, sizeof(sql), "INSERT INTO checkins (id, runner, day, "
	    "sleep_h, pain, leak, heaviness, bleeding, limitation, at) VALUES "
	    "('c1', 'anna', '2026-03-02', 6.5, 3, true, false, false, true, "
	    "%lld); INSERT INTO sessions (id, runner, day, workout, hard, "
	    "start_at, end_at, planned_min, actual_min, hard_min, distance_m, "
	    "avg_speed, max_speed, avg_hr, max_hr, above_cap_s, outcome, "
	    "symptom, backfilled, treadmill) VALUES ('s1', 'anna', "
	    "'2026-03-02', 'intervals', true, %lld, %lld, 40, 38.5, 12, 6100, "
	    "9.6, 14, 150, 178, 20.5, 'safety stop', false, true, 'tm-2'); "
	    "INSERT INTO symptoms (id, runner, day, at, kind, session_id) "
	    "VALUES ('y1', 'anna', '2025-01-10', %lld, 'leak', NULL)",
	    (long long)at(D0, 7), (long long)at(D0, 8),
	    (long long)at(D0, 8) + 2310, (long long)at(D0 - 416, 9));
	db_exec(fx, sql);

	h = must_open(fx);
	assert_int_equal(db_int(fx, "SELECT version FROM schema_version"),
	    SCHEMA_VERSION);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM pg_indexes WHERE "
	    "indexname = 'checkins_runner_day'"), 1);

	/* Migrated, the schema is the one a fresh database gets. */
	snprintf(fresh_db, sizeof(fresh_db), "%s_fresh", fx->dbname);
	pg_admin("CREATE DATABASE %s", fresh_db);
	snprintf(fresh_ci, sizeof(fresh_ci), "%s dbname=%s", pg_base, fresh_db);
	write_pgconf(fx, fresh_ci);
	remove(fx->spool);
	{
		struct history *fh = must_open(fx);
		history_close(fh);
	}
	write_pgconf(fx, fx->conninfo);
	c = pg_connect(fresh_ci);
	r = pg_must(c, PG_SCHEMA_SQL);
	snprintf(schema, sizeof(schema), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	pg_admin("DROP DATABASE %s WITH (FORCE)", fresh_db);
	assert_string_equal(db_text(fx, PG_SCHEMA_SQL), schema);

	check_v1_rows(h);
	history_close(h);
}

/*
 * Schema version 2 as it shipped, on either backend: version 1's tables
 * and step 2's indexes, with sessions that kept the walk-run stage in the
 * workout's name.  Opened, it is migrated to version 3.
 */
#define V2_INDEXES \
	"CREATE INDEX checkins_runner_day ON checkins (runner, day, at);" \
	"CREATE INDEX sessions_runner_day ON sessions" \
	" (runner, day, start_at);" \
	"CREATE INDEX strength_runner_day ON strength (runner, day, at);" \
	"CREATE INDEX symptoms_runner_day ON symptoms (runner, day, at);" \
	"CREATE INDEX overrides_runner_day ON overrides (runner, day, at);"

static void
v2_session(struct fx *fx, const char *id, hday_t d, const char *workout,
    double actual_min)
{
	char sql[640], day[16];

	snprintf(sql, sizeof(sql), "INSERT INTO sessions (id, runner, day, "
	    "workout, hard, start_at, end_at, planned_min, actual_min, "
	    "hard_min, distance_m, avg_speed, max_speed, avg_hr, max_hr, "
	    "above_cap_s, outcome, symptom, backfilled, treadmill) VALUES "
	    "('%s', 'anna', '%s', '%s', '0', %lld, %lld, 30, %g, 0, 3000, "
	    "6.5, 8, 130, 150, 0, 'completed', '0', '0', 'tm-1')", id,
	    hday_format(d, day, sizeof(day)), workout, (long long)at(d, 8),
	    (long long)at(d, 8) + 1800, actual_min);
	db_exec(fx, sql);
}

static void
test_migrate_from_v2(void **state)
{
	struct fx *fx = *state;
	struct runner_history rh;
	struct history *h;
	char sql[512];

	if (on_pg)
		db_exec(fx, pg_v1_schema);
	else
		db_exec(fx, v1_schema);
	db_exec(fx, on_pg ? V2_INDEXES "CREATE INDEX sessions_running ON "
	    "sessions (runner) WHERE outcome = 'running';"
	    "UPDATE schema_version SET version = 2" :
	    V2_INDEXES "CREATE INDEX sessions_running ON sessions (id) "
	    "WHERE outcome = 'running'; PRAGMA user_version = 2");
	v2_session(fx, "s-easy", D0 - 3, "easy", 31);
	v2_session(fx, "s-walk", D0 - 2, "walk", 20);
	v2_session(fx, "s-wr", D0 - 1, "walkrun/2", 29.5);
	v2_session(fx, "s-odd", D0, "walkrun/2b", 12);
	snprintf(sql, sizeof(sql), "INSERT INTO overrides (id, runner, day, "
	    "at, unlock, staff, reason) VALUES ('o1', 'anna', '2026-03-02', "
	    "%lld, '1', 'coach kim', 'ok')", (long long)at(D0, 12));
	db_exec(fx, sql);

	h = must_open(fx);
	assert_int_equal(db_int(fx, on_pg ? "SELECT version FROM "
	    "schema_version" : "PRAGMA user_version"), SCHEMA_VERSION);
	must_load(h, "anna", D0 - 10, &rh);
	assert_int_equal(rh.nsessions, 4);
	/* Not a walk: every minute counted as running, as before. */
	assert_string_equal(rh.sessions[0].workout, "easy");
	assert_int_equal(rh.sessions[0].stage, 0);
	assert_near(rh.sessions[0].running_min, 31);
	assert_near(rh.sessions[0].walking_min, 0);
	/* A walk: none. */
	assert_string_equal(rh.sessions[1].workout, "walk");
	assert_near(rh.sessions[1].running_min, 0);
	assert_near(rh.sessions[1].walking_min, 20);
	/* The stage leaves the name for its column. */
	assert_string_equal(rh.sessions[2].id, "s-wr");
	assert_string_equal(rh.sessions[2].workout, "walkrun");
	assert_int_equal(rh.sessions[2].stage, 2);
	assert_near(rh.sessions[2].running_min, 29.5);
	/* Not a stage: left as it was. */
	assert_string_equal(rh.sessions[3].workout, "walkrun/2b");
	assert_int_equal(rh.sessions[3].stage, 0);
	assert_int_equal(rh.noverrides, 1);
	assert_true(rh.overrides[0].unlock);
	assert_false(rh.overrides[0].clear);
	history_free(&rh);
	history_close(h);
}

/* A foreign table in the way: refused, and left as it was.  The daemon
 * still opens (rows would wait in the spool); reads say why. */
static void
test_pg_migration_is_one_transaction(void **state)
{
	struct fx *fx = *state;
	struct history *h;
	char err[512];

	db_exec(fx, "CREATE TABLE sessions (x integer); INSERT INTO sessions "
	    "VALUES (42)");
	h = try_open(fx, err, sizeof(err));
	assert_non_null(h);
	assert_int_equal(settled_read(h, err, sizeof(err)), -1);
	assert_contains(err, "PostgreSQL at ");
	assert_contains(err, "migrating to schema version 1");
	assert_contains(err, "already exists");
	history_close(h);
	/* schema_version and checkins come before sessions in step 1. */
	assert_string_equal(db_text(fx, "SELECT to_regclass('schema_version') "
	    "IS NULL AND to_regclass('checkins') IS NULL"), "t");
	assert_int_equal(db_int(fx, "SELECT x FROM sessions"), 42);
}

static void
test_pg_newer_version_refused(void **state)
{
	struct fx *fx = *state;
	struct hist_checkin c = checkin("anna", D0, 7, 0);
	struct history *h;
	char err[512];

	db_exec(fx, "CREATE TABLE schema_version (version integer NOT NULL); "
	    "INSERT INTO schema_version VALUES (7); CREATE TABLE future (x "
	    "integer)");
	h = try_open(fx, err, sizeof(err));
	assert_non_null(h);
	assert_int_equal(settled_read(h, err, sizeof(err)), -1);
	assert_contains(err, "schema version 7");
	assert_contains(err, "knows up to 6");
	/* A write has nowhere to go but the spool: kept, not lost. */
	history_add_checkin(h, &c);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_spooled(h), 1);
	assert_contains(wait_link_error(h), "schema version 7");
	history_close(h);
	assert_int_equal(db_int(fx, "SELECT version FROM schema_version"), 7);
	assert_string_equal(db_text(fx, "SELECT to_regclass('checkins') IS "
	    "NULL"), "t");
}

/* The PostgreSQL twin of "not a database": a database that is not there.
 * Named, with the server's words, at -n and on every read. */
static void
test_pg_no_such_database(void **state)
{
	struct fx *fx = *state;
	struct history_pg o = pg_options(fx, 3);
	struct history *h;
	char ci[700], err[512];

	snprintf(ci, sizeof(ci), "%s dbname=nosuch_%s", pg_base, fx->dbname);
	write_pgconf(fx, ci);
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "PostgreSQL at ");
	assert_contains(err, "does not exist");
	assert_contains(err, "nosuch_");
	h = try_open(fx, err, sizeof(err));
	assert_non_null(h);
	assert_int_equal(settled_read(h, err, sizeof(err)), -1);
	assert_contains(err, "does not exist");
	history_close(h);
}

/* The twin of "corrupt": a conninfo file libpq cannot read.  Its
 * complaint is shown, the password (if it can be told) is not. */
static void
test_pg_bad_conninfo(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = {
		"host=/nowhere password=Pw0pen oops",
		"host=/nowhere password:Pw0pen",	/* a typo for = */
		"host=/nowhere password='Pw0pen",
		"postgresql://gym:Pw0pen@[::1/db",
		"postgresql://gym@h/db?password=Pw0pen&bogus=1",
	};
	struct history *h;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_pgconf(fx, bad[i]);
		h = try_open(fx, err, sizeof(err));
		assert_non_null(h);
		assert_int_equal(settled_read(h, err, sizeof(err)), -1);
		history_close(h);
		assert_contains(err, fx->pgconf);
		assert_contains(err, "not a libpq connection string");
		if (strstr(err, "Pw0pen") != NULL)
			fail_msg("the password shows: %s", err);
		printf("    (%s)\n", strstr(err, "string: "));
	}
}

/*
 * The twin of the read-only file: a role that may read but not write.
 * Rows wait in the spool (reads still see them), and are delivered as
 * soon as the grant is fixed, without a restart.
 */
static void
test_pg_read_only(void **state)
{
	struct fx *fx = *state;
	struct hist_checkin c = checkin("anna", D0, 6.5, 2);
	struct hist_session s = session("anna", D0, HO_COMPLETED, 30);
	struct runner_history rh;
	struct history *h;
	char ci[800], role[64], sql[256];

	/* As the owner: the schema, and the session's first state. */
	h = must_open(fx);
	s.actual_min = 12;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	history_close(h);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions"), 1);
	s.actual_min = 30;
	snprintf(role, sizeof(role), "ro_%s", fx->dbname);
	pg_admin("CREATE ROLE %s LOGIN", role);
	snprintf(sql, sizeof(sql), "GRANT SELECT ON ALL TABLES IN SCHEMA "
	    "public TO %s", role);
	db_exec(fx, sql);
	snprintf(ci, sizeof(ci), "%s user=%s", fx->conninfo, role);
	write_pgconf(fx, ci);

	h = must_open(fx);
	history_add_checkin(h, &c);
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_write_errors(h), 0);
	assert_int_equal(history_spooled(h), 2);
	assert_contains(wait_link_error(h), "permission denied");
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), 0);
	/* Merged from the spool; the session in both is there once, in
	 * the spool's newer state. */
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_near(rh.checkins[0].sleep_h, 6.5);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);

	snprintf(sql, sizeof(sql), "GRANT INSERT, UPDATE ON ALL TABLES IN "
	    "SCHEMA public TO %s", role);
	db_exec(fx, sql);
	wait_spooled(h, 0, 30);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), 1);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions WHERE "
	    "actual_min = 30"), 1);
	assert_string_equal(history_link_error(h), "");
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_int_equal(rh.nsessions, 1);
	history_free(&rh);
	history_close(h);
	snprintf(sql, sizeof(sql), "DROP OWNED BY %s", role);
	db_exec(fx, sql);
	pg_admin("DROP ROLE %s", role);
}

/* ---- writes and reads ------------------------------------------------ */

/* A runner's PIN is her newest row; another runner's are not hers. */
static void
test_pin_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_pin p = { .runner = "bea", .at = at(D0, 9) }, got;
	char err[256];

	assert_int_equal(history_pin(h, "bea", &got, err, sizeof(err)), 0);
	snprintf(p.hash, sizeof(p.hash), "$y$old");
	snprintf(p.staff, sizeof(p.staff), "maria");
	history_add_pin(h, &p);
	p.at = at(D0, 10);
	snprintf(p.hash, sizeof(p.hash), "$y$new");
	snprintf(p.staff, sizeof(p.staff), "jo");
	history_add_pin(h, &p);
	p.at = at(D0, 11);
	snprintf(p.runner, sizeof(p.runner), "anna");
	snprintf(p.hash, sizeof(p.hash), "$y$anna");
	history_add_pin(h, &p);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_write_errors(h), 0);
	assert_int_equal(history_pin(h, "bea", &got, err, sizeof(err)), 1);
	assert_string_equal(got.runner, "bea");
	assert_string_equal(got.hash, "$y$new");
	assert_string_equal(got.staff, "jo");
	assert_int_equal(got.at, at(D0, 10));
	assert_int_equal(history_pin(h, "anna", &got, err, sizeof(err)), 1);
	assert_string_equal(got.hash, "$y$anna");
	assert_int_equal(history_pin(h, "cara", &got, err, sizeof(err)), 0);
	history_close(h);
}

static void
test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_checkin c = checkin("bea", D0, 5.25, 4);
	struct hist_session s = session("bea", D0, HO_SYMPTOM, 17.5);
	struct hist_strength st = strength("bea", D0, 25);
	struct hist_symptom sy = symptom("bea", D0, "heaviness");
	struct hist_override o = override("bea", D0, true,
	    "cleared by the physio, \"quote\" and 'apostrophe'; ok");
	struct runner_history rh;

	c.leak = c.bleeding = true;
	c.heaviness = false;
	c.limitation = true;
	s.hard = true;
	s.hard_min = 6.25;
	s.above_cap_s = 12.5;
	s.symptom = true;
	s.backfilled = true;
	s.avg_hr = 0;		/* no heart rate */
	memcpy(sy.session_id, s.id, sizeof(sy.session_id));

	history_put_session(h, &s);
	history_add_checkin(h, &c);
	history_add_strength(h, &st);
	history_add_symptom(h, &sy);
	history_add_override(h, &o);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_write_errors(h), 0);
	assert_string_equal(history_last_error(h), "");

	must_load(h, "bea", D0, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_string_equal(rh.checkins[0].runner, "bea");
	assert_int_equal(rh.checkins[0].day, D0);
	assert_near(rh.checkins[0].sleep_h, 5.25);
	assert_int_equal(rh.checkins[0].pain, 4);
	assert_true(rh.checkins[0].leak);
	assert_false(rh.checkins[0].heaviness);
	assert_true(rh.checkins[0].bleeding);
	assert_true(rh.checkins[0].limitation);
	assert_int_equal(rh.checkins[0].at, c.at);

	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);

	assert_int_equal(rh.nstrength, 1);
	assert_string_equal(rh.strength[0].runner, "bea");
	assert_int_equal(rh.strength[0].day, D0);
	assert_near(rh.strength[0].minutes, 25);
	assert_int_equal(rh.strength[0].at, st.at);

	assert_int_equal(rh.nsymptoms, 1);
	assert_string_equal(rh.symptoms[0].runner, "bea");
	assert_int_equal(rh.symptoms[0].day, D0);
	assert_int_equal(rh.symptoms[0].at, sy.at);
	assert_string_equal(rh.symptoms[0].kind, "heaviness");
	assert_string_equal(rh.symptoms[0].session_id, s.id);

	assert_int_equal(rh.noverrides, 1);
	assert_string_equal(rh.overrides[0].runner, "bea");
	assert_int_equal(rh.overrides[0].at, o.at);
	assert_true(rh.overrides[0].unlock);
	assert_string_equal(rh.overrides[0].staff, "coach kim");
	assert_string_equal(rh.overrides[0].reason, o.reason);
	history_free(&rh);

	/* Another runner sees none of it. */
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins + rh.nsessions + rh.nstrength +
	    rh.nsymptoms + rh.noverrides, 0);
	assert_null(rh.checkins);
	history_free(&rh);
	history_close(h);
}

/*
 * Schema version 3's fields: a session's running and walking minutes and
 * walk-run stage, an override that clears.  On PostgreSQL they wait in
 * the spool while the database is away, then go through the database
 * (test_spool_file has the spool's own round trip).
 */
static void
check_v3_fields(struct history *h, const struct hist_session *s,
    const struct hist_override *o)
{
	struct runner_history rh;
	char err[512];

	must_load(h, "cleo", D0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], s);
	assert_string_equal(rh.sessions[0].workout, "walkrun");
	assert_int_equal(rh.sessions[0].stage, 3);
	assert_near(rh.sessions[0].running_min, 18.5);
	assert_near(rh.sessions[0].walking_min, 11.25);
	assert_int_equal(rh.noverrides, 1);
	assert_true(rh.overrides[0].clear);
	assert_false(rh.overrides[0].unlock);
	assert_string_equal(rh.overrides[0].reason, o->reason);
	history_free(&rh);
	if (history_list(h, "cleo", 5, &rh, err, sizeof(err)) != 0)
		fail_msg("history_list: %s", err);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], s);
	assert_int_equal(rh.noverrides, 1);
	assert_true(rh.overrides[0].clear);
	history_free(&rh);
}

static void
test_v3_fields_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("cleo", D0, HO_COMPLETED, 29.75);
	struct hist_override o = override("cleo", D0, false,
	    "pelvic floor physio: cleared");

	snprintf(s.workout, sizeof(s.workout), "walkrun");
	s.stage = 3;
	s.running_min = 18.5;
	s.walking_min = 11.25;
	o.clear = true;
	if (on_pg)
		pg_outage(fx, true);
	history_put_session(h, &s);
	history_add_override(h, &o);
	assert_int_equal(history_sync(h), 0);
	if (on_pg) {
		/* Waiting in the spool, every field in its column. */
		assert_int_equal(history_spooled(h), 2);
		assert_string_equal(file_text(fx->spool, "SELECT workout || "
		    "' ' || stage || ' ' || running_min || ' ' || walking_min "
		    "FROM sessions"), "walkrun 3 18.5 11.25");
		assert_int_equal(file_int(fx->spool, "SELECT clear FROM "
		    "overrides"), 1);
		pg_outage(fx, false);
		delivered(h);
		ready_read(h);
	}
	check_v3_fields(h, &s, &o);
	/* In their own columns, readable by hand. */
	assert_int_equal(db_int(fx, "SELECT stage FROM sessions"), 3);
	assert_string_equal(db_text(fx, "SELECT workout FROM sessions"),
	    "walkrun");
	assert_int_equal(db_int(fx, "SELECT count(*) FROM overrides WHERE "
	    "clear"), 1);
	history_close(h);
}

/* A figure that is not a number comes back as one that is not. */
static void
test_nan_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_COMPLETED, 30);
	struct runner_history rh;

	s.above_cap_s = NAN;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	must_load(h, "anna", D0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_true(isnan(rh.sessions[0].above_cap_s));
	assert_near(rh.sessions[0].actual_min, 30);
	history_free(&rh);
	history_close(h);
}

static void
test_session_upsert(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 0);
	struct runner_history rh;

	for (int i = 1; i <= 12; i++) {	/* a checkpoint each 5 s */
		s.end = s.start + 5 * i;
		s.actual_min = 5.0 * i / 60;
		s.distance_m = 12.5 * i;
		s.max_hr = 120 + i;
		history_put_session(h, &s);
	}
	s.outcome = HO_COMPLETED;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	delivered(h);

	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions"), 1);
	must_load(h, "anna", D0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	assert_near(rh.sessions[0].distance_m, 150);
	history_free(&rh);
	history_close(h);
}

static void
test_recover(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session run = session("anna", D0, HO_RUNNING, 12.5);
	struct hist_session done = session("anna", D0 - 1, HO_COMPLETED, 30);
	struct hist_session stop = session("bea", D0, HO_SAFETY_STOP, 3);
	struct hist_session other = session("bea", D0 - 2, HO_RUNNING, 7);
	struct runner_history rh;
	char err[512];

	history_put_session(h, &run);
	history_put_session(h, &done);
	history_put_session(h, &stop);
	history_put_session(h, &other);
	history_close(h);

	h = must_open(fx);
	assert_int_equal(history_recover(h, err, sizeof(err)), 2);
	assert_int_equal(history_recover(h, err, sizeof(err)), 0);

	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nsessions, 2);
	assert_session_equal(&rh.sessions[0], &done);
	run.outcome = HO_INTERRUPTED;	/* and nothing else changes */
	assert_session_equal(&rh.sessions[1], &run);
	history_free(&rh);
	must_load(h, "bea", 0, &rh);
	assert_int_equal(rh.nsessions, 2);
	other.outcome = HO_INTERRUPTED;
	assert_session_equal(&rh.sessions[0], &other);
	assert_session_equal(&rh.sessions[1], &stop);
	history_free(&rh);
	history_close(h);
}

static void
test_load_since(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	static const int ago[] = { 0, 10, 29, 30, 31, 50, 100 };
	struct runner_history rh;

	for (size_t i = 0; i < sizeof(ago) / sizeof(ago[0]); i++) {
		hday_t d = D0 - ago[i];
		struct hist_checkin c = checkin("anna", d, 7, 0);
		struct hist_session s = session("anna", d, HO_COMPLETED, 30);
		struct hist_strength st = strength("anna", d, 20);

		history_add_checkin(h, &c);
		history_put_session(h, &s);
		history_add_strength(h, &st);
	}
	/* Symptoms and overrides only long ago; the newer one last in the
	 * queue order is not the newer one in time. */
	struct hist_symptom y1 = symptom("anna", D0 - 40, "leak");
	struct hist_symptom y0 = symptom("anna", D0 - 90, "pain");
	struct hist_override o1 = override("anna", D0 - 45, true, "newer");
	struct hist_override o0 = override("anna", D0 - 80, false, "older");
	struct hist_symptom yb = symptom("bea", D0 - 1, "bleeding");
	history_add_symptom(h, &y1);
	history_add_symptom(h, &y0);
	history_add_override(h, &o1);
	history_add_override(h, &o0);
	history_add_symptom(h, &yb);
	assert_int_equal(history_sync(h), 0);

	must_load(h, "anna", D0 - 30, &rh);
	assert_int_equal(rh.ncheckins, 4);
	assert_int_equal(rh.nsessions, 4);
	assert_int_equal(rh.nstrength, 4);
	/* oldest first */
	assert_int_equal(rh.checkins[0].day, D0 - 30);
	assert_int_equal(rh.checkins[3].day, D0);
	assert_int_equal(rh.sessions[0].start, at(D0 - 30, 8));
	assert_int_equal(rh.strength[1].day, D0 - 29);
	/* the last symptom, however old; every staff override (a later
	 * clearance must not hide the unlock before it) */
	assert_int_equal(rh.nsymptoms, 1);
	assert_string_equal(rh.symptoms[0].kind, "leak");
	assert_int_equal(rh.noverrides, 2);
	assert_string_equal(rh.overrides[0].reason, "older");
	assert_string_equal(rh.overrides[1].reason, "newer");
	history_free(&rh);

	/* With newer ones in range, the old last one is not added twice. */
	struct hist_symptom y2 = symptom("anna", D0 - 5, "pain");
	struct hist_symptom y3 = symptom("anna", D0 - 3, "heaviness");
	history_add_symptom(h, &y3);
	history_add_symptom(h, &y2);
	assert_int_equal(history_sync(h), 0);
	must_load(h, "anna", D0 - 30, &rh);
	assert_int_equal(rh.nsymptoms, 2);
	assert_int_equal(rh.symptoms[0].day, D0 - 5);
	assert_int_equal(rh.symptoms[1].day, D0 - 3);
	history_free(&rh);

	/* Everything, and nothing. */
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 7);
	assert_int_equal(rh.nsymptoms, 4);
	assert_int_equal(rh.noverrides, 2);
	assert_string_equal(rh.overrides[0].reason, "older");
	history_free(&rh);
	must_load(h, "anna", D0 + 1, &rh);
	assert_int_equal(rh.ncheckins + rh.nsessions + rh.nstrength, 0);
	assert_int_equal(rh.nsymptoms, 1);
	assert_int_equal(rh.symptoms[0].day, D0 - 3);
	assert_int_equal(rh.noverrides, 2);
	history_free(&rh);
	history_close(h);
}

static void
test_list(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct runner_history rh;
	char err[512];

	for (int i = 0; i < 10; i++) {
		hday_t d = D0 - 20 + i;
		struct hist_checkin c = checkin("anna", d, i, 0);
		struct hist_session s = session("anna", d, HO_COMPLETED, i);
		struct hist_strength st = strength("anna", d, i);
		struct hist_symptom y = symptom("anna", d, "pain");
		struct hist_override o = override("anna", d, i % 2, "r");

		history_add_checkin(h, &c);
		history_put_session(h, &s);
		history_add_strength(h, &st);
		history_add_symptom(h, &y);
		history_add_override(h, &o);
	}
	struct hist_checkin cb = checkin("bea", D0, 1, 0);
	history_add_checkin(h, &cb);
	assert_int_equal(history_sync(h), 0);

	assert_int_equal(history_list(h, "anna", 3, &rh, err, sizeof(err)), 0);
	assert_int_equal(rh.ncheckins, 3);
	assert_int_equal(rh.nsessions, 3);
	assert_int_equal(rh.nstrength, 3);
	assert_int_equal(rh.nsymptoms, 3);
	assert_int_equal(rh.noverrides, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rh.checkins[i].day, D0 - 13 + i);
		assert_near(rh.sessions[i].actual_min, 7 + i);
		assert_int_equal(rh.strength[i].day, D0 - 13 + i);
		assert_int_equal(rh.symptoms[i].day, D0 - 13 + i);
		assert_int_equal(rh.overrides[i].at, at(D0 - 13 + i, 12));
	}
	history_free(&rh);

	assert_int_equal(history_list(h, "anna", 100, &rh, err, sizeof(err)),
	    0);
	assert_int_equal(rh.ncheckins, 10);
	assert_int_equal(rh.checkins[0].day, D0 - 20);
	history_free(&rh);
	assert_int_equal(history_list(h, "anna", -1, &rh, err, sizeof(err)),
	    -1);
	assert_contains(err, fx_name(fx));
	history_close(h);
}

/* Ten years of daily rows for anna and bea, straight into the database. */
static void
fill_ten_years(struct fx *fx, int days)
{
	sqlite3_stmt *st[3];
	sqlite3 *db;
	char day[16], id[HISTORY_ID_LEN], sql[1024];

	if (on_pg) {
		/* gen_random_uuid: ids as unique as history_new_id's. */
		static const char *const tables[] = {
		    "checkins (id, runner, day, sleep_h, pain, leak, "
		    "heaviness, bleeding, limitation, at) SELECT "
		    "gen_random_uuid()::text, r, d, 7.5, 1, false, false, "
		    "false, false, t",
		    "sessions (id, runner, day, workout, hard, start_at, "
		    "end_at, planned_min, actual_min, hard_min, distance_m, "
		    "avg_speed, max_speed, avg_hr, max_hr, above_cap_s, "
		    "outcome, symptom, backfilled, treadmill) SELECT "
		    "gen_random_uuid()::text, r, d, 'easy', false, t, "
		    "t + 1800, 30, 30, 0, 4500, 9, 9.5, 140, 150, 0, "
		    "'completed', false, false, 'tm-1'",
		    "strength (id, runner, day, minutes, at) SELECT "
		    "gen_random_uuid()::text, r, d, 25, t" };
		for (int k = 0; k < 3; k++) {
			snprintf(sql, sizeof(sql), "INSERT INTO %s FROM "
			    "(SELECT r, date '1970-01-01' + i AS d, "
			    "i::bigint * 86400 + 8 * 3600 AS t FROM "
			    "unnest(array['anna', 'bea']) r, "
			    "generate_series(%d, %d) i ORDER BY r, i) x",
			    tables[k], D0 - days + 1, D0);
			db_exec(fx, sql);
		}
		return;
	}
	db = raw_open(fx->db);
	raw_exec(db, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO checkins VALUES "
	    "(?1, ?2, ?3, 7.5, 1, 0, 0, 0, 0, ?4)", -1, &st[0], NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO sessions VALUES "
	    "(?1, ?2, ?3, 'easy', 0, ?4, ?4 + 1800, 30, 30, 0, 4500, 9, 9.5, "
	    "140, 150, 0, 'completed', 0, 0, 'tm-1', 30, 0, 0)", -1, &st[1],
	    NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO strength VALUES "
	    "(?1, ?2, ?3, 25, ?4)", -1, &st[2], NULL), SQLITE_OK);
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < days; i++)
			for (int k = 0; k < 3; k++) {
				hday_t d = D0 - days + 1 + i;
				history_new_id(id);
				sqlite3_bind_text(st[k], 1, id, -1,
				    SQLITE_TRANSIENT);
				sqlite3_bind_text(st[k], 2, r ? "bea" : "anna",
				    -1, SQLITE_STATIC);
				sqlite3_bind_text(st[k], 3, hday_format(d, day,
				    sizeof(day)), -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(st[k], 4, at(d, 8));
				assert_int_equal(sqlite3_step(st[k]),
				    SQLITE_DONE);
				sqlite3_reset(st[k]);
			}
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(st[k]);
	raw_exec(db, "COMMIT");
	sqlite3_close(db);
}

/* Ten years of daily rows for two runners, written by hand in one go. */
static void
test_ten_years(void **state)
{
	struct fx *fx = *state;
	/* Reading 11,000 rows must not outrun the read's deadline when the
	 * suite runs under valgrind, some 50 times slower. */
	struct history *h = must_open_within(fx, 120);
	enum { DAYS = 3653 };
	struct runner_history rh;
	struct timespec t0, t1;

	fill_ten_years(fx, DAYS);
	/* One symptom nine years ago: still the last one. */
	struct hist_symptom y = symptom("anna", D0 - 9 * 365, "leak");
	history_add_symptom(h, &y);
	assert_int_equal(history_sync(h), 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	must_load(h, "anna", D0 - 62, &rh);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rh.ncheckins, 63);
	assert_int_equal(rh.nsessions, 63);
	assert_int_equal(rh.nstrength, 63);
	assert_int_equal(rh.nsymptoms, 1);
	assert_int_equal(rh.symptoms[0].day, D0 - 9 * 365);
	for (size_t i = 0; i < rh.ncheckins; i++)
		assert_int_equal(rh.checkins[i].day, D0 - 62 + (hday_t)i);
	history_free(&rh);
	printf("    (a plan's load from 10 years: %.1f ms)\n",
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);

	must_load(h, "bea", 0, &rh);
	assert_int_equal(rh.nsessions, DAYS);
	for (size_t i = 1; i < rh.nsessions; i++)
		assert_true(rh.sessions[i - 1].start < rh.sessions[i].start);
	history_free(&rh);
	history_close(h);
}

/* ---- the queue ------------------------------------------------------- */

struct producer {
	struct history	*h;
	char		 runner[16];
	int		 n;
};

static void *
produce(void *arg)
{
	struct producer *p = arg;

	for (int i = 0; i < p->n; i++) {
		hday_t d = D0 - i;
		switch (i % 4) {
		case 0: {
			struct hist_checkin c = checkin(p->runner, d, i, 0);
			history_add_checkin(p->h, &c);
			break;
		}
		case 1: {
			struct hist_strength s = strength(p->runner, d, i);
			history_add_strength(p->h, &s);
			break;
		}
		case 2: {
			struct hist_symptom s = symptom(p->runner, d, "pain");
			history_add_symptom(p->h, &s);
			break;
		}
		default: {
			struct hist_override o = override(p->runner, d, true,
			    "x");
			history_add_override(p->h, &o);
			break;
		}
		}
	}
	return NULL;
}

static void
test_many_ops(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	enum { THREADS = 4, EACH = 400 };
	struct producer p[THREADS];
	pthread_t t[THREADS];
	struct hist_session s = session("sam", D0, HO_RUNNING, 0);
	struct runner_history rh;

	for (int i = 0; i < THREADS; i++) {
		p[i].h = h;
		p[i].n = EACH;
		snprintf(p[i].runner, sizeof(p[i].runner), "runner%d", i);
		assert_int_equal(pthread_create(&t[i], NULL, produce, &p[i]),
		    0);
	}
	/* Meanwhile the session checkpoints, and someone syncs. */
	for (int i = 1; i <= 200; i++) {
		s.actual_min = i;
		history_put_session(h, &s);
		if (i % 50 == 0)
			assert_int_equal(history_sync(h), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_write_errors(h), 0);

	for (int i = 0; i < THREADS; i++) {
		must_load(h, p[i].runner, 0, &rh);
		assert_int_equal(rh.ncheckins, EACH / 4);
		assert_int_equal(rh.nstrength, EACH / 4);
		assert_int_equal(rh.nsymptoms, EACH / 4);
		assert_int_equal(rh.noverrides, EACH / 4);
		history_free(&rh);
	}
	must_load(h, "sam", 0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_near(rh.sessions[0].actual_min, 200);
	history_free(&rh);
	history_close(h);
}

static void
test_close_flushes(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 0);

	for (int i = 0; i < 300; i++) {
		struct hist_checkin c = checkin("anna", D0 - i, 7, 0);
		history_add_checkin(h, &c);
	}
	s.outcome = HO_STOPPED;
	s.actual_min = 22;
	history_put_session(h, &s);
	history_close(h);		/* no sync */

	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), 300);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions "
	    "WHERE outcome = 'stopped' AND actual_min = 22"), 1);
}

/* kill -9 after a checkpoint: the row survives, and says it was cut. */
static void
test_crash(void **state)
{
	struct fx *fx = *state;
	struct hist_session s = session("anna", D0, HO_RUNNING, 0);
	struct hist_session done = session("anna", D0 - 1, HO_COMPLETED, 30);
	struct runner_history rh;
	struct history *h;
	char err[512];
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		h = try_open(fx, err, sizeof(err));
		if (h == NULL)
			_exit(2);
		history_put_session(h, &done);
		for (int i = 1; i <= 6; i++) {
			s.end = s.start + 5 * i;
			s.actual_min = 5.0 * i / 60;
			s.distance_m = 11.0 * i;
			history_put_session(h, &s);
		}
		if (history_sync(h) != 0)
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		fail_msg("child did not die of SIGKILL (status %#x)", status);

	h = must_open(fx);
	assert_int_equal(history_recover(h, err, sizeof(err)), 1);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nsessions, 2);
	assert_session_equal(&rh.sessions[0], &done);
	s.end = s.start + 30;		/* the last checkpoint */
	s.actual_min = 0.5;
	s.distance_m = 66;
	s.outcome = HO_INTERRUPTED;
	assert_session_equal(&rh.sessions[1], &s);
	history_free(&rh);
	history_close(h);
}

/* ---- failed writes --------------------------------------------------- */

/* The database refuses the row for good: logged with its content. */
static void
test_write_refused(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_checkin c = checkin("anna", D0, 5.5, 6);
	struct hist_strength st = strength("anna", D0, 20);
	struct hist_session bad = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;
	char *log;

	/* A refusal of the row itself (SQLite's ABORT, PostgreSQL's check
	 * violation); anything else would be taken for a passing failure. */
	if (on_pg)
		db_exec(fx, "CREATE FUNCTION no() RETURNS trigger LANGUAGE "
		    "plpgsql AS $$BEGIN RAISE EXCEPTION 'refused by the test' "
		    "USING ERRCODE = 'check_violation'; END$$; CREATE TRIGGER "
		    "no BEFORE INSERT ON checkins FOR EACH ROW EXECUTE "
		    "FUNCTION no()");
	else
		db_exec(fx, "CREATE TRIGGER no BEFORE INSERT ON checkins BEGIN "
		    "SELECT RAISE(ABORT, 'refused by the test'); END");

	capture_begin(fx);
	history_add_checkin(h, &c);
	history_add_strength(h, &st);
	/* PostgreSQL's refusal comes later, from delivery: the row was
	 * safe in the spool when the sync returned. */
	assert_int_equal(history_sync(h), on_pg ? 0 : -1);
	bad.id[0] = '\0';
	history_put_session(h, &bad);
	assert_int_equal(history_sync(h), -1);
	delivered(h);
	log = capture_end();

	assert_int_equal(history_write_errors(h), 2);
	assert_contains(history_last_error(h), "without an id");
	assert_contains(log, "refused by the test");
	assert_contains(log, "LOST");
	assert_contains(log, "checkin ");
	/* Which row, but not its health data: that is at debug only. */
	assert_contains(log, "runner=anna day=2026-03-02 (every column at "
	    "debug)");
	if (strstr(log, "pain=") != NULL)
		fail_msg("a check-in's pain logged above debug: %s", log);
	assert_contains(log, "session without an id");
	assert_contains(log, fx_name(fx));
	/* Reported once; the rest went on. */
	assert_int_equal(history_sync(h), 0);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 0);
	assert_int_equal(rh.nstrength, 1);
	history_free(&rh);
	history_close(h);
}

/*
 * Another connection (returned, in its transaction) holds the file's
 * write lock while row goes in: wait until the writer's first try failed
 * (stderr is being captured by then).  row: a strength session or a
 * session.
 */
static sqlite3 *
write_while_locked(struct fx *fx, struct history *h,
    const struct hist_strength *st, const struct hist_session *s)
{
	sqlite3 *db = raw_open(fx->db);

	raw_exec(db, "BEGIN IMMEDIATE");
	capture_begin(fx);
	if (st != NULL)
		history_add_strength(h, st);
	else
		history_put_session(h, s);
	for (int i = 0; i < 300 && history_write_errors(h) == 0; i++)
		usleep(100 * 1000);
	assert_int_equal(history_write_errors(h), 1);
	return db;
}

/*
 * Someone holds the write lock past the busy timeout: the row waits in
 * memory and goes in at the next sync.
 */
static void
test_write_retried(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_strength st = strength("anna", D0, 20);
	struct runner_history rh;
	sqlite3 *db = write_while_locked(fx, h, &st, NULL);
	char *log;

	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	assert_contains(history_last_error(h), "locked");
	assert_int_equal(history_sync(h), 0);
	log = capture_end();
	assert_contains(log, "will retry");
	assert_contains(log, "strength ");
	assert_contains(log, "written after all");

	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nstrength, 1);
	history_free(&rh);
	history_close(h);
}

/* Nothing else to write and nobody syncing: the timer retries. */
static void
test_write_retried_by_timer(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_strength st = strength("anna", D0, 20);
	sqlite3 *db = write_while_locked(fx, h, &st, NULL);
	int n = 0;

	raw_exec(db, "ROLLBACK");
	for (int i = 0; i < 300 && n == 0; i++) {	/* RETRY_SECONDS is 10 */
		usleep(100 * 1000);
		n = raw_int(db, "SELECT count(*) FROM strength");
	}
	sqlite3_close(db);
	assert_int_equal(n, 1);
	assert_contains(capture_end(), "written after all");
	assert_int_equal(history_sync(h), 0);
	history_close(h);
}

/*
 * A checkpoint that failed must not be written after a newer one that
 * made it: the row would go back in time.
 */
static void
test_failed_checkpoint_superseded(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;
	sqlite3 *db = write_while_locked(fx, h, NULL, &s);

	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);

	s.actual_min = 2;
	s.end += 60;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	(void)capture_end();
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);
	history_close(h);
}

/* ---- one runner, one belt -------------------------------------------- */

static void
test_running_elsewhere(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	time_t now = time(NULL);
	hday_t today = hday_from_time(now);
	struct hist_session fresh = session("maya", today, HO_RUNNING, 5);
	struct hist_session stale = session("maya", today, HO_RUNNING, 5);
	struct hist_session done = session("maya", today, HO_COMPLETED, 30);
	struct hist_session ivy = session("ivy", today, HO_RUNNING, 5);
	struct runner_history rh;
	char where[64], err[256];

	fresh.start = now - 300, fresh.end = now - 2;
	snprintf(fresh.treadmill, sizeof(fresh.treadmill), "tm-3");
	stale.start = now - 7200, stale.end = now - 3600;
	snprintf(stale.treadmill, sizeof(stale.treadmill), "tm-4");
	done.start = now - 2000, done.end = now - 100;
	snprintf(done.treadmill, sizeof(done.treadmill), "tm-5");
	ivy.start = now - 60, ivy.end = now - 1;
	snprintf(ivy.treadmill, sizeof(ivy.treadmill), "tm-6");
	history_put_session(h, &stale);
	history_put_session(h, &done);
	history_put_session(h, &fresh);
	history_put_session(h, &ivy);
	assert_int_equal(history_sync(h), 0);
	delivered(h);		/* as if from other treadmills */

	assert_int_equal(history_running_elsewhere(h, "maya", "tm-1", 10,
	    where, sizeof(where), err, sizeof(err)), 1);
	assert_string_equal(where, "tm-3");
	/* Her own treadmill is not elsewhere. */
	assert_int_equal(history_running_elsewhere(h, "maya", "tm-3", 10,
	    where, sizeof(where), err, sizeof(err)), 0);
	assert_string_equal(where, "");
	assert_int_equal(history_running_elsewhere(h, "bea", "tm-1", 10,
	    where, sizeof(where), err, sizeof(err)), 0);
	/* The stale one was closed on the way, and nothing else. */
	must_load(h, "maya", 0, &rh);
	assert_int_equal(rh.nsessions, 3);
	for (size_t i = 0; i < rh.nsessions; i++) {
		const struct hist_session *s = &rh.sessions[i];
		if (strcmp(s->id, stale.id) == 0) {
			stale.outcome = HO_INTERRUPTED;
			assert_session_equal(s, &stale);
		} else if (strcmp(s->id, fresh.id) == 0)
			assert_session_equal(s, &fresh);
		else
			assert_session_equal(s, &done);
	}
	history_free(&rh);
	/* Two seconds without a checkpoint is stale for a zero limit. */
	assert_int_equal(history_running_elsewhere(h, "maya", "tm-1", 0,
	    where, sizeof(where), err, sizeof(err)), 0);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions WHERE "
	    "outcome = 'running'"), 1);		/* ivy's */
	history_close(h);
}

/* ---- PostgreSQL only: the conninfo file, the spool ------------------- */

static void
test_pg_conninfo_file(void **state)
{
	struct fx *fx = *state;
	struct history_pg o = pg_options(fx, 3);
	char err[768], ci[800];

	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)), 0);
	assert_int_equal(chmod(fx->pgconf, 0400), 0);
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)), 0);
	assert_int_equal(chmod(fx->pgconf, 0640), 0);
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, fx->pgconf);
	assert_contains(err, "mode 0640");
	assert_contains(err, "0600 or 0400");
	assert_int_equal(chmod(fx->pgconf, 0600), 0);
	/* Owned by someone else than the daemon's user. */
	assert_int_equal(history_pg_check(&o, 12345, err, sizeof(err)), -1);
	assert_contains(err, "owned by");
	assert_contains(err, "uid 12345");
	o.conninfo_file = fx->dir;
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "not a regular file");
	o.conninfo_file = fx->pgconf;
	remove(fx->pgconf);
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "No such file or directory");

	/* The password never shows: a refused login, a closed port. */
	snprintf(ci, sizeof(ci), "%s dbname=nosuch password=Sup3rS3cret",
	    pg_base);
	write_pgconf(fx, ci);
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "does not exist");
	if (strstr(err, "Sup3rS3cret") != NULL)
		fail_msg("the password shows: %s", err);
	write_pgconf(fx, "postgresql://gym:Sup3rS3cret@127.0.0.1:9/x");
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "PostgreSQL at 127.0.0.1:9 unreachable");
	if (strstr(err, "Sup3rS3cret") != NULL)
		fail_msg("the password shows: %s", err);
	write_pgconf(fx, "host=x port=5432 password='Sup3r S3cret");
	assert_int_equal(history_pg_check(&o, geteuid(), err, sizeof(err)),
	    -1);
	assert_contains(err, "not a libpq connection string");
	if (strstr(err, "Sup3r") != NULL)
		fail_msg("the password shows: %s", err);
}

/*
 * Unreachable from the start: the history opens, rows wait in the spool,
 * reads and the one-belt check say why; mending the conninfo file is
 * enough (it is read at every attempt) and the rows go, each once.
 */
static void
test_pg_unreachable_at_start(void **state)
{
	struct fx *fx = *state;
	struct hist_checkin c = checkin("anna", D0, 7, 0);
	struct hist_session s = session("anna", D0, HO_COMPLETED, 30);
	struct runner_history rh;
	struct history *h;
	char err[3][512], where[64], link[512], *log;
	int rc[4];
	unsigned long spooled;

	write_pgconf(fx, "host=127.0.0.1 port=9 password=Sup3rS3cret");
	capture_begin(fx);
	h = try_open(fx, err[0], sizeof(err[0]));
	assert_non_null(h);
	history_add_checkin(h, &c);
	history_put_session(h, &s);
	rc[0] = history_sync(h);
	spooled = history_spooled(h);
	snprintf(link, sizeof(link), "%s", wait_link_error(h));
	rc[1] = settled_read(h, err[0], sizeof(err[0]));
	rc[2] = history_load(h, "anna", 0, &rh, err[1], sizeof(err[1]));
	rc[3] = history_running_elsewhere(h, "anna", "tm-1", 10, where,
	    sizeof(where), err[2], sizeof(err[2]));
	log = capture_end();
	if (strstr(log, "Sup3rS3cret") != NULL)
		fail_msg("the password was logged: %s", log);
	assert_contains(log, "127.0.0.1:9");
	assert_int_equal(rc[0], 0);
	assert_int_equal(history_write_errors(h), 0);
	assert_int_equal(spooled, 2);
	assert_contains(link, "PostgreSQL at 127.0.0.1:9 unreachable");
	assert_int_equal(rc[1], -1);
	assert_contains(err[0], "PostgreSQL at 127.0.0.1:9 unreachable");
	assert_int_equal(rc[2], -1);
	assert_contains(err[1], "unreachable");
	assert_int_equal(rc[3], -1);
	assert_contains(err[2], "unreachable");

	capture_begin(fx);
	write_pgconf(fx, fx->conninfo);
	for (int i = 0; i < 600 && history_spooled(h) > 0; i++)
		usleep(50 * 1000);
	log = capture_end();
	assert_contains(log, "reachable again");
	wait_spooled(h, 0, 1);
	ready_read(h);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 1);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);
	history_close(h);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), 1);
}

/* The twin of test_write_retried: the database goes for a while. */
static void
test_pg_write_spooled(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_strength st = strength("anna", D0, 20);
	struct hist_checkin c = checkin("anna", D0, 7.5, 0);
	struct runner_history rh;
	char err[512], *log;

	capture_begin(fx);
	pg_outage(fx, true);
	history_add_strength(h, &st);
	assert_int_equal(history_sync(h), 0);		/* safe in the spool */
	assert_int_equal(history_write_errors(h), 0);
	assert_int_equal(history_spooled(h), 1);
	assert_contains(wait_link_error(h), "PostgreSQL at ");
	/* A read now fails, and says so: the plan takes the cautious day. */
	assert_int_equal(history_load(h, "anna", 0, &rh, err, sizeof(err)),
	    -1);
	assert_contains(err, "unreachable");
	pg_outage(fx, false);
	/* Waits behind the spooled row, so the order holds. */
	history_add_checkin(h, &c);
	assert_int_equal(history_sync(h), 0);
	wait_spooled(h, 0, 30);
	log = capture_end();
	assert_contains(log, "rows wait in the spool");
	assert_contains(log, "reachable again");
	assert_int_equal(db_int(fx, "SELECT count(*) FROM strength"), 1);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), 1);
	ready_read(h);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nstrength, 1);
	assert_int_equal(rh.ncheckins, 1);
	history_free(&rh);
	history_close(h);
}

/* The twin of test_write_retried_by_timer: nobody writes or syncs after
 * the database is back; the writer delivers on its own. */
static void
test_pg_spool_drained_by_timer(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	int n = 0;

	pg_outage(fx, true);
	for (int i = 0; i < 5; i++) {
		struct hist_strength st = strength("anna", D0 - i, 20);
		history_add_strength(h, &st);
	}
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_spooled(h), 5);
	pg_outage(fx, false);
	for (int i = 0; i < 600 && n < 5; i++) {
		usleep(50 * 1000);
		n = db_int(fx, "SELECT count(*) FROM strength");
	}
	assert_int_equal(n, 5);
	wait_spooled(h, 0, 5);
	history_close(h);
}

/*
 * The twin of test_failed_checkpoint_superseded: two checkpoints in the
 * spool are one row; and one made when the database is back, before the
 * spool drained, waits behind it: written first, the spooled older state
 * would land after it and put the row back in time.
 */
static void
test_pg_failed_checkpoint_superseded(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;

	pg_outage(fx, true);
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	s.actual_min = 2;
	s.end += 60;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_spooled(h), 1);
	pg_outage(fx, false);
	s.actual_min = 3;
	s.end += 60;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	wait_spooled(h, 0, 30);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions"), 1);
	ready_read(h);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);
	history_close(h);
}

/*
 * While a big spool drains, batch after batch, a new checkpoint of a
 * session that still waits in it joins it there: written straight to
 * the database, it would be overwritten by the older state a later batch
 * delivers.
 */
static void
test_pg_order_during_drain(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;
	enum { N = 600 };

	pg_outage(fx, true);
	for (int i = 0; i < N; i++) {
		struct hist_checkin c = checkin("anna", D0 - 1 - i, 7, 0);
		history_add_checkin(h, &c);
	}
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_spooled(h), N + 1);
	pg_outage(fx, false);
	/* The first batch is in: the database is back, the session not. */
	for (int i = 0; i < 30000 && history_spooled(h) == N + 1; i++)
		usleep(1000);
	assert_true(history_spooled(h) < N + 1);
	s.actual_min = 9;
	s.end += 480;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	wait_spooled(h, 0, 30);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), N);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(db_int(fx, "SELECT actual_min FROM sessions"), 9);
	ready_read(h);
	must_load(h, "anna", D0, &rh);
	assert_int_equal(rh.nsessions, 1);
	assert_session_equal(&rh.sessions[0], &s);
	history_free(&rh);
	history_close(h);
}

/*
 * The spool's own promises, on the file itself (no server needed): rows
 * come out oldest first across the five tables; a delivered row leaves
 * only if it did not change meanwhile (a session's newer checkpoint must
 * not be taken out with the older one that was sent); the count is of
 * rows, not of checkpoints; a crash's running session is closed.
 */
static void
test_spool_file(void **state)
{
	struct fx *fx = *state;
	struct hist_row r[3], out[8];
	long long vers[8];
	char err[512], (*ids)[HISTORY_ID_LEN] = NULL;
	unsigned long count;
	struct hb_conn *c;
	bool added;

	assert_non_null(c = hist_sq_backend.open(fx->spool, HB_WRITER, err,
	    sizeof(err)));
	assert_int_equal(hist_sq_spool_init(c, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 0);
	memset(r, 0, sizeof(r));
	r[0].kind = HK_STRENGTH;
	snprintf(r[0].id, sizeof(r[0].id), "z-strength");
	r[0].day = D0;
	r[0].u.strength = strength("anna", D0, 25);
	r[1].kind = HK_SESSION;
	r[1].day = D0;
	r[1].u.session = session("anna", D0, HO_RUNNING, 1);
	r[1].u.session.stage = 4;
	r[1].u.session.running_min = 0.75;
	r[1].u.session.walking_min = 0.25;
	memcpy(r[1].id, r[1].u.session.id, sizeof(r[1].id));
	r[2].kind = HK_CHECKIN;
	snprintf(r[2].id, sizeof(r[2].id), "a-checkin");
	r[2].day = D0;
	r[2].u.checkin = checkin("anna", D0, 7, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hist_sq_spool_put(c, &r[i], &added, err,
		    sizeof(err)), HB_OK);
		assert_true(added);
	}
	assert_int_equal(hist_sq_spool_oldest(c, out, vers, 8, err,
	    sizeof(err)), 3);
	assert_string_equal(out[0].id, "z-strength");	/* as spooled */
	assert_string_equal(out[1].id, r[1].id);
	assert_string_equal(out[2].id, "a-checkin");
	assert_near(out[1].u.session.actual_min, 1);
	assert_int_equal(out[1].day, D0);
	assert_session_equal(&out[1].u.session, &r[1].u.session);

	/* A checkpoint while the batch is out: the same row, a new version. */
	r[1].u.session.actual_min = 2;
	assert_int_equal(hist_sq_spool_put(c, &r[1], &added, err, sizeof(err)),
	    HB_OK);
	assert_false(added);
	assert_int_equal(hist_sq_spool_forget(c, out, vers, 3, err,
	    sizeof(err)), 2);
	assert_int_equal(hist_sq_spool_oldest(c, out, vers, 8, err,
	    sizeof(err)), 1);
	assert_string_equal(out[0].id, r[1].id);
	assert_near(out[0].u.session.actual_min, 2);
	/* Closed by a crash, then delivered. */
	assert_int_equal(hist_sq_recover(c, &ids, err, sizeof(err)), 1);
	assert_string_equal(ids[0], r[1].id);
	free(ids);
	assert_int_equal(hist_sq_spool_oldest(c, out, vers, 8, err,
	    sizeof(err)), 1);
	assert_int_equal(out[0].u.session.outcome, HO_INTERRUPTED);
	assert_int_equal(hist_sq_spool_forget(c, out, vers, 1, err,
	    sizeof(err)), 1);
	assert_int_equal(hist_sq_spool_oldest(c, out, vers, 8, err,
	    sizeof(err)), 0);
	hist_sq_backend.close(c);
	/* A row the order lost is found again at the next start. */
	assert_non_null(c = hist_sq_backend.open(fx->spool, HB_WRITER, err,
	    sizeof(err)));
	db_exec_spool(fx, "INSERT INTO strength VALUES ('stray', 'anna', "
	    "'2026-03-02', 20, 1)");
	assert_int_equal(hist_sq_spool_init(c, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 1);
	hist_sq_backend.close(c);
}

static void
count_all(struct fx *fx, int checkins, int strength_n, int symptoms,
    int overrides, int sessions)
{
	static const char *const t[] = { "checkins", "strength", "symptoms",
	    "overrides", "sessions" };
	const int want[] = { checkins, strength_n, symptoms, overrides,
	    sessions };
	char sql[160];

	for (int i = 0; i < 5; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t[i]);
		assert_int_equal(db_int(fx, sql), want[i]);
		snprintf(sql, sizeof(sql), "SELECT count(DISTINCT id) FROM %s",
		    t[i]);
		assert_int_equal(db_int(fx, sql), want[i]);
	}
}

/*
 * Exactly once, also when a delivered batch is delivered again (a crash
 * after the database committed it, before the spool forgot it): the
 * spool is put back as it was before the drain, and drained again.
 * Delivered in the order written.
 */
static void
test_pg_exactly_once(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx);
	struct hist_session s = session("anna", D0, HO_RUNNING, 0);
	struct hist_session order[3];
	char copy[200], sql[300], ids[200];
	sqlite3 *db;

	pg_outage(fx, true);
	for (int i = 0; i < 50; i++) {
		struct hist_checkin c = checkin("anna", D0 - i, 7, i % 3);
		history_add_checkin(h, &c);
		if (i < 20) {
			struct hist_strength st = strength("anna", D0 - i, 25);
			history_add_strength(h, &st);
		}
		if (i < 10) {
			struct hist_symptom y = symptom("anna", D0 - i, "pain");
			history_add_symptom(h, &y);
		}
		if (i < 5) {
			struct hist_override o = override("anna", D0 - i, true,
			    "physio");
			history_add_override(h, &o);
		}
		s.actual_min = i;
		s.end = s.start + 60 * i;
		history_put_session(h, &s);
	}
	for (int i = 0; i < 3; i++) {
		order[i] = session("bea", D0 - 10 + i * 3, HO_COMPLETED, 30);
		snprintf(order[i].id, sizeof(order[i].id), "order-%d", 2 - i);
		history_put_session(h, &order[i]);
	}
	s.outcome = HO_COMPLETED;
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	assert_int_equal(history_spooled(h), 50 + 20 + 10 + 5 + 1 + 3);
	snprintf(copy, sizeof(copy), "%s/spool-copy.db", fx->dir);
	db = raw_open(fx->spool);
	snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", copy);
	raw_exec(db, sql);
	sqlite3_close(db);

	pg_outage(fx, false);
	wait_spooled(h, 0, 30);
	count_all(fx, 50, 20, 10, 5, 4);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM sessions WHERE "
	    "outcome = 'completed' AND actual_min = 49 AND runner = 'anna'"),
	    1);
	/* In the order they were spooled, not the order of their ids. */
	snprintf(ids, sizeof(ids), "%s", db_text(fx, "SELECT string_agg(id, "
	    "',' ORDER BY seq) FROM sessions WHERE runner = 'bea'"));
	assert_string_equal(ids, "order-2,order-1,order-0");
	history_close(h);

	/* Delivered, but the spool did not forget it. */
	snprintf(sql, sizeof(sql), "%s-wal", fx->spool);
	remove(sql);
	snprintf(sql, sizeof(sql), "%s-shm", fx->spool);
	remove(sql);
	assert_int_equal(rename(copy, fx->spool), 0);
	h = must_open(fx);
	wait_spooled(h, 0, 30);
	count_all(fx, 50, 20, 10, 5, 4);
	history_close(h);
}

/* Daemons starting together: one migrates, the others wait and find it
 * done (pg_advisory_xact_lock); none fails. */
static void
test_pg_migration_race(void **state)
{
	struct fx *fx = *state;
	enum { N = 4 };
	pid_t pids[N];
	int status;

	fflush(NULL);
	for (int i = 0; i < N; i++) {
		if ((pids[i] = fork()) == 0) {
			struct history_pg o = pg_options(fx, 5);
			struct hist_checkin c = checkin("anna", D0 - i, 7, 0);
			char spool[160], err[512];
			struct history *h;

			snprintf(spool, sizeof(spool), "%s/spool%d.db",
			    fx->dir, i);
			o.spool = spool;
			if ((h = history_open_pg(&o, err, sizeof(err))) == NULL)
				_exit(2);
			if (settled_read(h, err, sizeof(err)) == -1) {
				fprintf(stderr, "child %d: %s\n", i, err);
				_exit(3);
			}
			history_add_checkin(h, &c);
			if (history_sync(h) != 0)
				_exit(4);
			history_close(h);	/* delivers */
			_exit(0);
		}
		assert_true(pids[i] > 0);
	}
	for (int i = 0; i < N; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(db_int(fx, "SELECT count(*) FROM schema_version"), 1);
	assert_int_equal(db_int(fx, "SELECT version FROM schema_version"),
	    SCHEMA_VERSION);
	assert_int_equal(db_int(fx, "SELECT count(*) FROM checkins"), N);
}

/* The suite: what both backends promise, then each one's own. */
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, fx_teardown)
#define COMMON_TESTS \
	cmocka_unit_test(test_outcome_names), \
	cmocka_unit_test(test_new_id), \
	T(test_reopen_keeps_data), \
	T(test_round_trip), \
	T(test_pin_round_trip), \
	T(test_v3_fields_round_trip), \
	T(test_migrate_from_v2), \
	T(test_nan_round_trip), \
	T(test_session_upsert), \
	T(test_recover), \
	T(test_load_since), \
	T(test_list), \
	T(test_ten_years), \
	T(test_many_ops), \
	T(test_close_flushes), \
	T(test_crash), \
	T(test_write_refused), \
	T(test_running_elsewhere)

int
main(void)
{
	const struct CMUnitTest sqlite_tests[] = {
		COMMON_TESTS,
		T(test_schema_created),
		T(test_migrate_from_v1),
		T(test_migration_is_one_transaction),
		T(test_newer_version_refused),
		T(test_not_a_database),
		T(test_corrupt_file),
		T(test_read_only),
		T(test_write_retried),
		T(test_write_retried_by_timer),
		T(test_failed_checkpoint_superseded),
		T(test_spool_file),
	};
	const struct CMUnitTest pg_tests[] = {
		COMMON_TESTS,
		T(test_pg_schema_created),
		T(test_pg_migrate_from_v1),
		T(test_pg_migration_is_one_transaction),
		T(test_pg_newer_version_refused),
		T(test_pg_no_such_database),
		T(test_pg_bad_conninfo),
		T(test_pg_read_only),
		T(test_pg_write_spooled),
		T(test_pg_spool_drained_by_timer),
		T(test_pg_failed_checkpoint_superseded),
		T(test_pg_conninfo_file),
		T(test_pg_unreachable_at_start),
		T(test_pg_order_during_drain),
		T(test_pg_exactly_once),
		T(test_pg_migration_race),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	log_init("test_history", 1, LOG_LVL_WARN);
	return FX_RUN("history", sqlite_tests, pg_tests);
}
