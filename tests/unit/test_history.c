/*
 * Unit tests of the history (src/history.c, src/history_sqlite.c) against
 * real SQLite files in a fresh temporary directory per test.  The test
 * pokes at the files with its own sqlite3 connection where the API has no
 * say: to build an old or foreign database by hand, to hold a lock, to
 * make the database refuse a row.
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
#include <ftw.h>
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
#include <sqlite3.h>

#include "history.h"
#include "log.h"

#define SCHEMA_VERSION	2	/* what this tree's migrations reach */
#define NOBODY		65534

struct fx {
	char	 dir[64];
	char	 db[128];
};

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
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	snprintf(fx->dir, sizeof(fx->dir), "%s/test_history.XXXXXX",
	    tmp && strlen(tmp) < 30 ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/history.db", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	chmod(fx->dir, 0700);
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
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

static struct history *
must_open(const char *path)
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
	    .actual_min = minutes, .hard_min = 0, .distance_m = minutes * 150,
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
	struct history *h = must_open(fx->db);
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
	    "pragma_table_info('sessions')"), 20);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM "
	    "pragma_table_info('checkins')"), 10);
	sqlite3_close(db);

	/* Opening again changes nothing. */
	history_close(must_open(fx->db));
	assert_int_equal(file_int(fx->db, "PRAGMA user_version"),
	    SCHEMA_VERSION);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
	struct hist_checkin c = checkin("anna", D0, 7.5, 1);
	struct hist_session s = session("anna", D0, HO_COMPLETED, 31);
	struct runner_history rh;

	history_add_checkin(h, &c);
	history_put_session(h, &s);
	assert_int_equal(history_sync(h), 0);
	history_close(h);

	h = must_open(fx->db);
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

static void
test_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db = raw_open(fx->db);
	struct runner_history rh;
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

	h = must_open(fx->db);
	db = raw_open(fx->db);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), SCHEMA_VERSION);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'index' AND name = 'checkins_runner_day'"), 1);
	sqlite3_close(db);

	/* Migrated, the schema is the one a fresh file gets. */
	snprintf(fresh, sizeof(fresh), "%s/fresh.db", fx->dir);
	history_close(must_open(fresh));
	snprintf(schema, sizeof(schema), "%s", file_text(fx->db, SCHEMA_SQL));
	assert_string_equal(schema, file_text(fresh, SCHEMA_SQL));

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

	raw_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 3;");
	sqlite3_close(db);
	assert_null(history_open(fx->db, err, sizeof(err)));
	assert_contains(err, fx->db);
	assert_contains(err, "schema version 3");
	assert_contains(err, "knows up to 2");
	assert_int_equal(file_int(fx->db, "PRAGMA user_version"), 3);
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
	struct history *h = must_open(fx->db);
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
	history_close(must_open(fx->db));
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
	history_close(must_open(path));
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(chmod(sub, 0555), 0);
	open_as_nobody(path, err, sizeof(err));
	assert_contains(err, path);
	assert_true(err[strlen(path)] != '\0');		/* says why */
	chmod(sub, 0755);
}

/* ---- writes and reads ------------------------------------------------ */

static void
test_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
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

/* A figure that is not a number comes back as one that is not. */
static void
test_nan_round_trip(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
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
	struct history *h = must_open(fx->db);
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

	assert_int_equal(file_int(fx->db, "SELECT count(*) FROM sessions"), 1);
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
	struct history *h = must_open(fx->db);
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

	h = must_open(fx->db);
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
	struct history *h = must_open(fx->db);
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
	/* the last ones, however old */
	assert_int_equal(rh.nsymptoms, 1);
	assert_string_equal(rh.symptoms[0].kind, "leak");
	assert_int_equal(rh.noverrides, 1);
	assert_string_equal(rh.overrides[0].reason, "newer");
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
	history_free(&rh);
	history_close(h);
}

static void
test_list(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
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
	assert_contains(err, fx->db);
	history_close(h);
}

/* Ten years of daily rows for two runners, written by hand in one go. */
static void
test_ten_years(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
	enum { DAYS = 3653 };
	struct runner_history rh;
	struct timespec t0, t1;
	sqlite3_stmt *st[3];
	sqlite3 *db;
	char day[16], id[HISTORY_ID_LEN];

	db = raw_open(fx->db);
	raw_exec(db, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO checkins VALUES "
	    "(?1, ?2, ?3, 7.5, 1, 0, 0, 0, 0, ?4)", -1, &st[0], NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO sessions VALUES "
	    "(?1, ?2, ?3, 'easy', 0, ?4, ?4 + 1800, 30, 30, 0, 4500, 9, 9.5, "
	    "140, 150, 0, 'completed', 0, 0, 'tm-1')", -1, &st[1], NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO strength VALUES "
	    "(?1, ?2, ?3, 25, ?4)", -1, &st[2], NULL), SQLITE_OK);
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < DAYS; i++)
			for (int k = 0; k < 3; k++) {
				hday_t d = D0 - DAYS + 1 + i;
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
	struct history *h = must_open(fx->db);
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
	struct history *h = must_open(fx->db);
	struct hist_session s = session("anna", D0, HO_RUNNING, 0);

	for (int i = 0; i < 300; i++) {
		struct hist_checkin c = checkin("anna", D0 - i, 7, 0);
		history_add_checkin(h, &c);
	}
	s.outcome = HO_STOPPED;
	s.actual_min = 22;
	history_put_session(h, &s);
	history_close(h);		/* no sync */

	assert_int_equal(file_int(fx->db, "SELECT count(*) FROM checkins"),
	    300);
	assert_int_equal(file_int(fx->db, "SELECT count(*) FROM sessions "
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
		h = history_open(fx->db, err, sizeof(err));
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

	h = must_open(fx->db);
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
	struct history *h = must_open(fx->db);
	struct hist_checkin c = checkin("anna", D0, 5.5, 6);
	struct hist_strength st = strength("anna", D0, 20);
	struct hist_session bad = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;
	sqlite3 *db = raw_open(fx->db);
	char *log;

	raw_exec(db, "CREATE TRIGGER no BEFORE INSERT ON checkins BEGIN "
	    "SELECT RAISE(ABORT, 'refused by the test'); END");
	sqlite3_close(db);

	capture_begin(fx);
	history_add_checkin(h, &c);
	history_add_strength(h, &st);
	assert_int_equal(history_sync(h), -1);
	bad.id[0] = '\0';
	history_put_session(h, &bad);
	assert_int_equal(history_sync(h), -1);
	log = capture_end();

	assert_int_equal(history_write_errors(h), 2);
	assert_contains(history_last_error(h), "without an id");
	assert_contains(log, "refused by the test");
	assert_contains(log, "LOST");
	assert_contains(log, "checkin ");
	assert_contains(log, "runner=anna day=2026-03-02 sleep_h=5.5 pain=6");
	assert_contains(log, "session without an id");
	assert_contains(log, fx->db);
	/* Reported once; the rest went on. */
	assert_int_equal(history_sync(h), 0);
	must_load(h, "anna", 0, &rh);
	assert_int_equal(rh.ncheckins, 0);
	assert_int_equal(rh.nstrength, 1);
	history_free(&rh);
	history_close(h);
}

/*
 * Someone holds the write lock past the busy timeout: the row waits in
 * memory and goes in at the next sync.
 */
static void
test_write_retried(void **state)
{
	struct fx *fx = *state;
	struct history *h = must_open(fx->db);
	struct hist_strength st = strength("anna", D0, 20);
	struct runner_history rh;
	sqlite3 *db = raw_open(fx->db);
	char *log;

	raw_exec(db, "BEGIN IMMEDIATE");
	capture_begin(fx);
	history_add_strength(h, &st);
	for (int i = 0; i < 300 && history_write_errors(h) == 0; i++)
		usleep(100 * 1000);
	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	assert_int_equal(history_write_errors(h), 1);
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
	struct history *h = must_open(fx->db);
	struct hist_strength st = strength("anna", D0, 20);
	sqlite3 *db = raw_open(fx->db);
	int n = 0;

	raw_exec(db, "BEGIN IMMEDIATE");
	capture_begin(fx);
	history_add_strength(h, &st);
	for (int i = 0; i < 300 && history_write_errors(h) == 0; i++)
		usleep(100 * 1000);
	raw_exec(db, "ROLLBACK");
	assert_int_equal(history_write_errors(h), 1);
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
	struct history *h = must_open(fx->db);
	struct hist_session s = session("anna", D0, HO_RUNNING, 1);
	struct runner_history rh;
	sqlite3 *db = raw_open(fx->db);

	raw_exec(db, "BEGIN IMMEDIATE");
	capture_begin(fx);
	history_put_session(h, &s);
	for (int i = 0; i < 300 && history_write_errors(h) == 0; i++)
		usleep(100 * 1000);
	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	assert_int_equal(history_write_errors(h), 1);

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcome_names),
		cmocka_unit_test(test_new_id),
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_schema_created),
		T(test_reopen_keeps_data),
		T(test_migrate_from_v1),
		T(test_migration_is_one_transaction),
		T(test_newer_version_refused),
		T(test_not_a_database),
		T(test_corrupt_file),
		T(test_read_only),
		T(test_round_trip),
		T(test_nan_round_trip),
		T(test_session_upsert),
		T(test_recover),
		T(test_load_since),
		T(test_list),
		T(test_ten_years),
		T(test_many_ops),
		T(test_close_flushes),
		T(test_crash),
		T(test_write_refused),
		T(test_write_retried),
		T(test_write_retried_by_timer),
		T(test_failed_checkpoint_superseded),
#undef T
	};

	setenv("TZ", "UTC", 1);
	tzset();
	log_init("test_history", 1, LOG_LVL_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
