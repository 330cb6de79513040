/*
 * The history tests' fixture on both backends; see histfx.h.
 */
#include <ftw.h>
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

#include "histfx.h"

bool on_pg;
const char *pg_base;

PGconn *
pg_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connecting to %s: %s", conninfo, PQerrorMessage(c));
	PQsetNoticeProcessor(c, NULL, NULL);
	return c;
}

PGresult *
pg_must(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	return r;
}

void
pg_admin(const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	PGconn *c;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	c = pg_connect(pg_base);
	PQclear(pg_must(c, sql));
	PQfinish(c);
}

void
write_pgconf(const struct fx *fx, const char *conninfo)
{
	FILE *f;

	remove(fx->pgconf);
	f = fopen(fx->pgconf, "w");
	assert_non_null(f);
	fprintf(f, "# written by the test\n%s\n", conninfo);
	fclose(f);
	assert_int_equal(chmod(fx->pgconf, 0600), 0);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

int
fx_setup(void **state, const char *test, const char *dbprefix)
{
	static int seq;
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	/* A short TMPDIR only: the paths below must fit. */
	snprintf(fx->dir, sizeof(fx->dir), "%s/%s.XXXXXX",
	    tmp && strlen(tmp) < 30 ? tmp : "/tmp", test);
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/history.db", fx->dir);
	snprintf(fx->spool, sizeof(fx->spool), "%s/spool.db", fx->dir);
	snprintf(fx->pgconf, sizeof(fx->pgconf), "%s/pg.conf", fx->dir);
	if (on_pg) {
		snprintf(fx->dbname, sizeof(fx->dbname), "%s_%d_%d",
		    dbprefix, (int)getpid(), ++seq);
		pg_admin("CREATE DATABASE %s", fx->dbname);
		snprintf(fx->conninfo, sizeof(fx->conninfo), "%s dbname=%s",
		    pg_base, fx->dbname);
		write_pgconf(fx, fx->conninfo);
	}
	*state = fx;
	return 0;
}

int
fx_teardown(void **state)
{
	struct fx *fx = *state;

	if (fx->h != NULL)
		history_close(fx->h);
	if (fx->raw != NULL)
		PQfinish(fx->raw);
	if (on_pg)
		pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)", fx->dbname);
	/* a test may have made it read-only */
	chmod(fx->dir, 0700);
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

int
fx_run(const char *what, const struct CMUnitTest *sqlite_tests,
    size_t nsqlite, const struct CMUnitTest *pg_tests, size_t npg)
{
	char name[64];
	int failed;

	/* cmocka_run_group_tests_name, for arrays of a size passed in */
	snprintf(name, sizeof(name), "%s on sqlite", what);
	on_pg = false;
	failed = _cmocka_run_group_tests(name, sqlite_tests, nsqlite, NULL,
	    NULL);
	pg_base = getenv("TREAD_TEST_PG");
	if (pg_base == NULL || pg_base[0] == '\0') {
		printf("[  SKIPPED ] %s on postgresql: TREAD_TEST_PG is "
		    "not set (make check starts a cluster and sets it)\n",
		    what);
		return failed;
	}
	snprintf(name, sizeof(name), "%s on postgresql", what);
	on_pg = true;
	return failed + _cmocka_run_group_tests(name, pg_tests, npg, NULL,
	    NULL);
}
