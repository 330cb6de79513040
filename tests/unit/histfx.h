/*
 * The fixture of the unit tests that run against the history on both
 * backends: a group on SQLite files, then the same tests on PostgreSQL,
 * a fresh database per test in the cluster TREAD_TEST_PG names (`make
 * check` starts one; without it that group is skipped, and says so).
 * Each test gets a fresh temporary directory: the SQLite file, or the
 * conninfo file and the spool.
 */
#ifndef TREAD_HISTFX_H
#define TREAD_HISTFX_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "history.h"

struct CMUnitTest;

struct fx {
	char	 dir[64];
	char	 db[128];	/* SQLite: the history file */
	char	 spool[128];	/* PostgreSQL: the spool, */
	char	 pgconf[128];	/* the conninfo file, */
	char	 dbname[48];	/* the test's own database, */
	char	 conninfo[640];
	PGconn	*raw;		/* and the test's connection to it */
	struct history *h;	/* what setup opened, if it did */
};

/* The running group's backend, and the cluster's conninfo. */
extern bool on_pg;
extern const char *pg_base;

/* A connection, and a statement on it, that must work. */
PGconn	*pg_connect(const char *conninfo);
PGresult *pg_must(PGconn *c, const char *sql);
/* One statement on the cluster's own database (CREATE DATABASE...). */
void	 pg_admin(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* The conninfo file the history reads, owned by us, mode 0600. */
void	 write_pgconf(const struct fx *fx, const char *conninfo);

/*
 * A test's setup: a struct fx into *state, its directory
 * TMPDIR/test.XXXXXX, and on PostgreSQL a database dbprefix_PID_N named
 * by its conninfo file; 0, or -1.  Teardown closes fx->h and the raw
 * connection, drops the database and removes the directory.
 */
int	 fx_setup(void **state, const char *test, const char *dbprefix);
int	 fx_teardown(void **state);

/* The group "what on sqlite", then "what on postgresql" when
 * TREAD_TEST_PG is set: the number of tests that failed. */
int	 fx_run(const char *what, const struct CMUnitTest *sqlite_tests,
	    size_t nsqlite, const struct CMUnitTest *pg_tests, size_t npg);
#define FX_RUN(what, sqlite, pg)					\
	fx_run((what), (sqlite), sizeof(sqlite) / sizeof((sqlite)[0]),	\
	    (pg), sizeof(pg) / sizeof((pg)[0]))

#endif
