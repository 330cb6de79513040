/*
 * The SQLite backend of the history: one file in WAL mode, so the writer
 * thread's connection commits while the caller's connection reads a
 * snapshot.  synchronous=FULL because invariant 5 promises that a
 * checkpoint, once committed, survives a power cut.
 *
 * Everything in the file is readable with sqlite3(1): days are
 * 'YYYY-MM-DD' text (they sort as dates), times unix seconds, booleans
 * 0/1, outcomes by name, a NaN figure NULL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history_sqlite.h"
#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

/* The writer may wait for a staff member's sqlite3(1); a read runs on the
 * control loop's thread and must not stall it for long. */
#define BUSY_WRITER_MS	5000
#define BUSY_READER_MS	1000

/* What hday_parse reads back: nothing stored can break a later load. */
#define DAY_COLUMN	" day TEXT NOT NULL CHECK (day BETWEEN '1900-01-01'" \
			" AND '2999-12-31' AND day GLOB" \
			" '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"

/*
 * The schema, one step per version: step i takes user_version i to i+1,
 * in one transaction.  Append only; never edit a step that has shipped.
 * No foreign keys: a symptom must be kept even when its session's row is
 * late or lost.
 */
static const char *const migrations[] = {
	/* 1: the tables. */
	"CREATE TABLE checkins ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" sleep_h REAL, pain INTEGER NOT NULL, leak INTEGER NOT NULL,"
	" heaviness INTEGER NOT NULL, bleeding INTEGER NOT NULL,"
	" limitation INTEGER NOT NULL, at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE sessions ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" workout TEXT NOT NULL, hard INTEGER NOT NULL,"
	" start_at INTEGER NOT NULL, end_at INTEGER NOT NULL,"
	" planned_min REAL, actual_min REAL, hard_min REAL, distance_m REAL,"
	" avg_speed REAL, max_speed REAL, avg_hr INTEGER NOT NULL,"
	" max_hr INTEGER NOT NULL, above_cap_s REAL, outcome TEXT NOT NULL,"
	" symptom INTEGER NOT NULL, backfilled INTEGER NOT NULL,"
	" treadmill TEXT NOT NULL) STRICT;"
	"CREATE TABLE strength ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" minutes REAL, at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE symptoms ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" at INTEGER NOT NULL, kind TEXT NOT NULL,"
	" session_id TEXT) STRICT;"	/* NULL outside a session */
	"CREATE TABLE overrides ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" at INTEGER NOT NULL, unlock INTEGER NOT NULL,"
	" staff TEXT NOT NULL, reason TEXT NOT NULL) STRICT;",

	/* 2: the per-runner reads walk (runner, day, time) in order; the
	 * recovery finds the few running sessions without a scan. */
	HIST_RUNNER_DAY_INDEXES
	"CREATE INDEX sessions_running ON sessions (id)"
	" WHERE outcome = 'running';",

	/* 3: HIST_MIGRATION_3 (history_tables.h). */
	"ALTER TABLE sessions ADD COLUMN running_min REAL;"
	"ALTER TABLE sessions ADD COLUMN walking_min REAL;"
	"ALTER TABLE sessions ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE overrides ADD COLUMN clear INTEGER NOT NULL DEFAULT 0;"
	"UPDATE sessions SET"
	" running_min = CASE WHEN workout = 'walk' THEN 0 ELSE actual_min END,"
	" walking_min = CASE WHEN workout = 'walk' THEN actual_min ELSE 0 END;"
	"UPDATE sessions SET stage = CAST(substr(workout, 9) AS INTEGER),"
	" workout = 'walkrun' WHERE workout GLOB 'walkrun/[0-9]*'"
	" AND NOT substr(workout, 9) GLOB '*[^0-9]*';",

	/* 4: claims (history_tables.h). */
	"CREATE TABLE claims (runner TEXT PRIMARY KEY NOT NULL,"
	" treadmill TEXT NOT NULL, at INTEGER NOT NULL,"
	" after_seq INTEGER NOT NULL) STRICT;",

	/* 5: pins (history_tables.h). */
	"CREATE TABLE pins ("
	" id TEXT PRIMARY KEY NOT NULL, runner TEXT NOT NULL,"
	DAY_COLUMN
	" at INTEGER NOT NULL, hash TEXT NOT NULL,"
	" staff TEXT NOT NULL) STRICT;"
	"CREATE INDEX pins_runner_at ON pins (runner, at);",

	/* 6: what the rules count before a load's window (history_tables.h). */
	HIST_MIGRATION_6,
};
#define SCHEMA_VERSION	((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(SCHEMA_VERSION == HIST_SCHEMA_VERSION,
    "both backends at the version of the column tables");

/* ---- errors ------------------------------------------------------------ */

/*
 * SQLite's "unable to open database file" does not say why, and its last
 * errno is that of its read-only fallback (ENOENT for a file it could not
 * create); ask the file system instead.
 */
static const char *
cantopen_why(const char *path, char *buf, size_t len)
{
	char *copy = xstrdup(path), *slash = strrchr(copy, '/');
	const char *dir = copy;
	struct stat st;

	if (slash == NULL)
		dir = ".";
	else if (slash == copy)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(path, &st) == 0)
		snprintf(buf, len, "%s",
		    access(path, R_OK | W_OK) == 0 ? "" : strerror(errno));
	else if (errno == ENOENT && access(dir, W_OK | X_OK) == -1)
		snprintf(buf, len, "cannot create it in %s: %s", dir,
		    strerror(errno));
	else
		snprintf(buf, len, "%s", strerror(errno));
	free(copy);
	return buf;
}

void
hist_sq_error(const struct hb_conn *c, const char *what, char *err,
    size_t errlen)
{
	char why[256] = "";

	if ((sqlite3_errcode(c->db) & 0xff) == SQLITE_CANTOPEN)
		cantopen_why(c->path, why, sizeof(why));
	snprintf(err, errlen, "history %s: %s%s%s%s%s%s", c->path,
	    what ? what : "", what ? ": " : "", sqlite3_errmsg(c->db),
	    why[0] ? " (" : "", why, why[0] ? ")" : "");
}

int
hist_sq_exec(struct hb_conn *c, const char *sql, const char *what, char *err,
    size_t errlen)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	hist_sq_error(c, what, err, errlen);
	return -1;
}

/* A pragma or query with one row of one column: as int, or as text. */
static int
query1(struct hb_conn *c, const char *sql, int *ival, char *tval,
    size_t tlen, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		hist_sq_error(c, NULL, err, errlen);
		return -1;
	}
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			snprintf(err, errlen, "history %s: %s: no answer",
			    c->path, sql);
		else
			hist_sq_error(c, NULL, err, errlen);
		sqlite3_finalize(st);
		return -1;
	}
	if (ival != NULL)
		*ival = sqlite3_column_int(st, 0);
	if (tval != NULL) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(tval, tlen, "%s", t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- opening ----------------------------------------------------------- */

static int
migrate(struct hb_conn *c, char *err, size_t errlen)
{
	char sql[64], what[64];
	int v;

	for (;;) {
		/* IMMEDIATE: a second daemon on the same file waits here
		 * rather than migrating the same step twice. */
		if (hist_sq_exec(c, "BEGIN IMMEDIATE", NULL, err, errlen) == -1)
			return -1;
		if (query1(c, "PRAGMA user_version", &v, NULL, 0, err,
		    errlen) == -1)
			goto rollback;
		if (v < 0 || v > SCHEMA_VERSION) {
			snprintf(err, errlen, "history %s: schema version %d "
			    "is not one this treadmilld knows (it knows up to "
			    "%d); refusing to touch it", c->path, v,
			    SCHEMA_VERSION);
			goto rollback;
		}
		if (v == SCHEMA_VERSION)
			return hist_sq_exec(c, "COMMIT", NULL, err, errlen);
		snprintf(what, sizeof(what), "migrating to schema version %d",
		    v + 1);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (hist_sq_exec(c, migrations[v], what, err, errlen) == -1 ||
		    hist_sq_exec(c, sql, what, err, errlen) == -1 ||
		    hist_sq_exec(c, "COMMIT", what, err, errlen) == -1)
			goto rollback;
		log_info("history %s: schema now at version %d", c->path,
		    v + 1);
	}
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
setup_writer(struct hb_conn *c, char *err, size_t errlen)
{
	char res[64];

	/* Refuse a damaged file before writing anything into it. */
	if (query1(c, "PRAGMA quick_check(1)", NULL, res, sizeof(res), err,
	    errlen) == -1)
		return -1;
	if (strcmp(res, "ok") != 0) {
		snprintf(err, errlen, "history %s: database is corrupt (%s)",
		    c->path, res);
		return -1;
	}
	if (query1(c, "PRAGMA journal_mode = WAL", NULL, res, sizeof(res),
	    err, errlen) == -1)
		return -1;
	if (strcmp(res, "wal") != 0) {
		snprintf(err, errlen, "history %s: cannot use WAL (journal "
		    "mode stays %s)", c->path, res);
		return -1;
	}
	return 0;
}

static struct hb_conn *
sq_open(const char *path, enum hb_role role, char *err, size_t errlen)
{
	struct hb_conn *c = xcalloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE, v;

	c->path = xstrdup(path);
	if (role == HB_WRITER)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		if (c->db == NULL)
			snprintf(err, errlen, "history %s: out of memory",
			    path);
		else
			hist_sq_error(c, NULL, err, errlen);
		goto fail;
	}
	sqlite3_busy_timeout(c->db, role == HB_WRITER ? BUSY_WRITER_MS :
	    BUSY_READER_MS);
	/* SQLite falls back to read-only without a word; say it now, not
	 * at the first check-in. */
	if (sqlite3_db_readonly(c->db, "main") == 1) {
		snprintf(err, errlen, "history %s: %s", path,
		    sqlite3_errstr(SQLITE_READONLY));
		goto fail;
	}
	if (role == HB_WRITER && setup_writer(c, err, errlen) == -1)
		goto fail;
	/* Per connection: the reader writes too (the recovery).  64 KiB of
	 * cache: a commit empties the others', the kernel caches the file. */
	if (hist_sq_exec(c,
	    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA cache_size = -64", NULL, err,
	    errlen) == -1)
		goto fail;
	if (role == HB_WRITER && migrate(c, err, errlen) == -1)
		goto fail;
	if (role == HB_READER) {
		if (query1(c, "PRAGMA user_version", &v, NULL, 0, err,
		    errlen) == -1)
			goto fail;
		if (v != SCHEMA_VERSION) {
			snprintf(err, errlen, "history %s: schema version %d, "
			    "expected %d", path, v, SCHEMA_VERSION);
			goto fail;
		}
	}
	return c;
fail:
	sqlite3_close(c->db);
	free(c->path);
	free(c);
	return NULL;
}

static void
sq_close(struct hb_conn *c)
{
	if (c == NULL)
		return;
	for (int k = 0; k < HIST_KINDS; k++)
		for (int h = 0; h < HIST_SELECTS; h++)
			sqlite3_finalize(c->reads[k][h]);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_warnx("history %s: close: %s", c->path,
		    sqlite3_errmsg(c->db));
	free(c->path);
	free(c);
}

/* ---- recovery ---------------------------------------------------------- */

/*
 * Every session still running in the file was cut by a crash: a file has
 * one treadmill, whose daemon is starting.  The history's and the
 * spool's recovery alike; with ids, theirs into a new *ids.  How many, or
 * -1.  The literal outcome names let the partial index sessions_running
 * serve.
 */
int
hist_sq_recover(struct hb_conn *c, char (**ids)[HISTORY_ID_LEN], char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int rc;

	if (ids != NULL)
		*ids = NULL;
	if (sqlite3_prepare_v2(c->db, HIST_RECOVER_SQL " RETURNING id, "
	    "runner, day", -1, &st, NULL) != SQLITE_OK) {
		hist_sq_error(c, "recovery", err, errlen);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		log_info("history %s: session %s of %s on %s was left running; "
		    "now interrupted, as of its last checkpoint", c->path,
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_text(st, 2));
		if (ids != NULL) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				*ids = xreallocarray(*ids, cap, sizeof(**ids));
			}
			snprintf((*ids)[n], sizeof(**ids), "%s",
			    sqlite3_column_text(st, 0));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		hist_sq_error(c, "recovery", err, errlen);
		if (ids != NULL) {
			free(*ids);
			*ids = NULL;
		}
		return -1;
	}
	return (int)n;
}

static int
sq_recover(struct hb_conn *c, char *err, size_t errlen)
{
	return hist_sq_recover(c, NULL, err, errlen);
}

/* ---- one runner, one belt ---------------------------------------------- */

/* With one treadmill per file this finds nothing but what a crash left;
 * it is here so that both backends answer the same question. */
static int
sq_running(struct hb_conn *c, const char *runner, const char *treadmill,
    time_t stale_before, char *where, size_t wlen, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	if (hist_sq_exec(c, "BEGIN IMMEDIATE", NULL, err, errlen) == -1)
		return -1;
	if (sqlite3_prepare_v2(c->db, HIST_RECOVER_SQL " AND runner = ?1 AND "
	    "end_at < ?2 RETURNING id, treadmill", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, stale_before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		log_info("history %s: session %s of %s on %s had no checkpoint "
		    "for too long; now interrupted", c->path,
		    sqlite3_column_text(st, 0), runner,
		    sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || sqlite3_prepare_v2(c->db, "SELECT treadmill "
	    "FROM sessions WHERE outcome = 'running' AND runner = ?1 AND "
	    "treadmill <> ?2 ORDER BY end_at DESC LIMIT 1", -1, &st, NULL) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, runner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, treadmill, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(where, wlen, "%s", sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (hist_sq_exec(c, "COMMIT", NULL, err, errlen) == -1)
		return -1;
	return found;
fail:
	hist_sq_error(c, "running sessions", err, errlen);
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
sq_release(struct hb_conn *c, const char *runner, const char *treadmill,
    char *err, size_t errlen)
{
	(void)c;
	(void)runner;
	(void)treadmill;
	(void)err;
	(void)errlen;
	return 0;
}

const struct history_backend hist_sq_backend = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.put = hist_sq_put,
	.recover = sq_recover,
	.read = hist_sq_read,
	.running = sq_running,
	.claim = sq_running,	/* one treadmill per file: nothing to race */
	.release = sq_release,
	.latest = hist_sq_latest,
};
