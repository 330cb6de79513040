/*
 * The shared history's schema, and closing sessions left running.
 *
 * The same tables as the SQLite file (history_sqlite.c), in PostgreSQL's
 * types: days are dates, times unix seconds (bigint), booleans boolean,
 * a NaN figure NULL.  Each table has a seq (identity) that orders rows of
 * the same day and time as they arrived, as SQLite's rowid does.
 *
 * Versioned in schema_version; every connection migrates what is missing,
 * one step per transaction, each under a transaction-level advisory lock,
 * so that daemons starting together take turns and the second finds the
 * work done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_pg.h"
#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

/* 'trea' 'dmil': this program's lock among whatever else the database
 * serves. */
#define MIGRATION_LOCK	"7292835133517046124"

#define DAY_COLUMN	" day date NOT NULL CHECK (day BETWEEN '1900-01-01'" \
			" AND '2999-12-31'),"
#define ID_COLUMNS	" seq bigint GENERATED ALWAYS AS IDENTITY," \
			" id text PRIMARY KEY, runner text NOT NULL,"

/* Step i takes the version from i to i+1.  Append only. */
static const char *const migrations[] = {
	/* 1: the tables. */
	"CREATE TABLE schema_version (version integer NOT NULL);"
	"INSERT INTO schema_version VALUES (0);"
	"CREATE TABLE checkins (" ID_COLUMNS DAY_COLUMN
	" sleep_h double precision, pain integer NOT NULL,"
	" leak boolean NOT NULL, heaviness boolean NOT NULL,"
	" bleeding boolean NOT NULL, limitation boolean NOT NULL,"
	" at bigint NOT NULL);"
	"CREATE TABLE sessions (" ID_COLUMNS DAY_COLUMN
	" workout text NOT NULL, hard boolean NOT NULL,"
	" start_at bigint NOT NULL, end_at bigint NOT NULL,"
	" planned_min double precision, actual_min double precision,"
	" hard_min double precision, distance_m double precision,"
	" avg_speed double precision, max_speed double precision,"
	" avg_hr integer NOT NULL, max_hr integer NOT NULL,"
	" above_cap_s double precision, outcome text NOT NULL,"
	" symptom boolean NOT NULL, backfilled boolean NOT NULL,"
	" treadmill text NOT NULL);"
	"CREATE TABLE strength (" ID_COLUMNS DAY_COLUMN
	" minutes double precision, at bigint NOT NULL);"
	"CREATE TABLE symptoms (" ID_COLUMNS DAY_COLUMN
	" at bigint NOT NULL, kind text NOT NULL, session_id text);"
	"CREATE TABLE overrides (" ID_COLUMNS DAY_COLUMN
	" at bigint NOT NULL, unlock boolean NOT NULL,"
	" staff text NOT NULL, reason text NOT NULL);",

	/* 2: the per-runner reads walk (runner, day, time) in order; one
	 * runner's running sessions are found without a scan. */
	HIST_RUNNER_DAY_INDEXES
	"CREATE INDEX sessions_running ON sessions (runner)"
	" WHERE outcome = 'running';",

	/* 3: HIST_MIGRATION_3 (history_tables.h). */
	"ALTER TABLE sessions ADD COLUMN running_min double precision,"
	" ADD COLUMN walking_min double precision,"
	" ADD COLUMN stage integer NOT NULL DEFAULT 0;"
	"ALTER TABLE overrides ADD COLUMN clear boolean NOT NULL DEFAULT false;"
	"UPDATE sessions SET"
	" running_min = CASE WHEN workout = 'walk' THEN 0 ELSE actual_min END,"
	" walking_min = CASE WHEN workout = 'walk' THEN actual_min ELSE 0 END;"
	"UPDATE sessions SET stage = substr(workout, 9)::integer,"
	" workout = 'walkrun' WHERE workout ~ '^walkrun/[0-9]{1,9}$';",

	/* 4: claims (history_tables.h, history_pg_claim.c). */
	"CREATE TABLE claims (runner text PRIMARY KEY,"
	" treadmill text NOT NULL, at bigint NOT NULL,"
	" after_seq bigint NOT NULL);",

	/* 5: pins (history_tables.h). */
	"CREATE TABLE pins (" ID_COLUMNS DAY_COLUMN
	" at bigint NOT NULL, hash text NOT NULL, staff text NOT NULL);"
	"CREATE INDEX pins_runner_at ON pins (runner, at);",

	/* 6: what the rules count before a load's window (history_tables.h). */
	HIST_MIGRATION_6,
};
#define SCHEMA_VERSION	((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(SCHEMA_VERSION == HIST_SCHEMA_VERSION,
    "both backends at the version of the column tables");

/* The version, under the lock: 0 when there is no schema yet. */
static int
version(PGconn *pg, double deadline, int *v, char *err, size_t errlen)
{
	PGresult *r;

	r = hist_pg_exec(pg, deadline, "SELECT to_regclass('schema_version') "
	    "IS NOT NULL", 0, NULL, err, errlen);
	if (r == NULL)
		return -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hist_pg_result_error(r, err, errlen);
		PQclear(r);
		return -1;
	}
	*v = 0;
	if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		PQclear(r);
		return 0;
	}
	PQclear(r);
	r = hist_pg_exec(pg, deadline,
	    "SELECT max(version) FROM schema_version", 0, NULL, err, errlen);
	if (r == NULL)
		return -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hist_pg_result_error(r, err, errlen);
		PQclear(r);
		return -1;
	}
	*v = PQgetisnull(r, 0, 0) ? 0 : atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int
hist_pg_migrate(PGconn *pg, double deadline, char *err, size_t errlen)
{
	char sql[96], what[160];
	int v;

	for (;;) {
		if (hist_pg_command(pg, deadline, "BEGIN; SELECT "
		    "pg_advisory_xact_lock(" MIGRATION_LOCK ")", err,
		    errlen) == -1 || version(pg, deadline, &v, err,
		    errlen) == -1)
			goto rollback;
		if (v < 0 || v > SCHEMA_VERSION) {
			snprintf(err, errlen, "schema version %d is not one "
			    "this treadmilld knows (it knows up to %d); "
			    "refusing to touch it", v, SCHEMA_VERSION);
			goto rollback;
		}
		if (v == SCHEMA_VERSION)
			return hist_pg_command(pg, deadline, "COMMIT", err,
			    errlen);
		snprintf(sql, sizeof(sql), "UPDATE schema_version SET "
		    "version = %d", v + 1);
		if (hist_pg_command(pg, deadline, migrations[v], what,
		    sizeof(what)) == -1) {
			snprintf(err, errlen, "migrating to schema version "
			    "%d: %s", v + 1, what);
			goto rollback;
		}
		if (hist_pg_command(pg, deadline, sql, err, errlen) == -1 ||
		    hist_pg_command(pg, deadline, "COMMIT", err, errlen) == -1)
			goto rollback;
		log_info("history: shared schema now at version %d", v + 1);
	}
rollback:
	if (PQstatus(pg) == CONNECTION_OK)
		hist_pg_command(pg, deadline, "ROLLBACK", what, sizeof(what));
	return -1;
}

int
hist_pg_schema_check(PGconn *pg, double deadline, char *err, size_t errlen)
{
	int v;

	if (version(pg, deadline, &v, err, errlen) == -1)
		return -1;
	if (v > SCHEMA_VERSION) {
		snprintf(err, errlen, "schema version %d is not one this "
		    "treadmilld knows (it knows up to %d)", v, SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* ids as a text[] literal: {"a","b"}. */
static char *
id_array(char (*ids)[HISTORY_ID_LEN], size_t n)
{
	char *buf = xmalloc(n * (2 * HISTORY_ID_LEN + 3) + 3), *p = buf;

	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = ids[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}

int
hist_pg_recover_on(PGconn *pg, const struct hist_pg_cfg *cfg,
    char (*skip)[HISTORY_ID_LEN], size_t nskip, double deadline, char *err,
    size_t errlen)
{
	char opened[24], stale[24], *skips = id_array(skip, nskip);
	const char *p[4] = { cfg->treadmill, opened, stale, skips };
	PGresult *r;
	int n;

	snprintf(opened, sizeof(opened), "%lld", (long long)cfg->opened_at);
	snprintf(stale, sizeof(stale), "%lld", (long long)time(NULL) -
	    60LL * cfg->stale_minutes);
	r = hist_pg_exec(pg, deadline, HIST_RECOVER_SQL " AND ((treadmill = $1 "
	    "AND start_at < $2) OR end_at < $3) AND id <> ALL ($4::text[]) "
	    "RETURNING id, runner, to_char(day, 'YYYY-MM-DD'), treadmill", 4,
	    p, err, errlen);
	free(skips);
	if (r == NULL)
		return -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hist_pg_result_error(r, err, errlen);
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	for (int i = 0; i < n; i++)
		log_info("history: session %s of %s on %s (treadmill %s) was "
		    "left running; now interrupted, as of its last checkpoint",
		    PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
	PQclear(r);
	return n;
}
