/*
 * The shared history against the embedded one, on the machine at hand:
 *
 *  1. today's decision as the daemon makes it (decide_today) for a runner
 *     with no symptom or lock who never unlocked, with 10 years of daily
 *     history, in SQLite and in PostgreSQL;
 *  2. how long a spool of 10,000 rows takes to drain into PostgreSQL once
 *     it is reachable again (from opening the history on the full spool
 *     until history_spooled says 0; rows of all five kinds).
 *
 * Needs TREAD_TEST_PG, a cluster's connection string (`make bench` runs
 * this under scripts/pg.sh with PG_FSYNC=on, so commits are durable as in
 * a gym).  The 10 years reach PostgreSQL through the spool too: they are
 * written while the database refuses connections, then drained.
 * Prints the median and p99 of N decisions, and rows per second.
 */
#include <sys/stat.h>

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "errlist.h"
#include "history.h"
#include "log.h"
#include "profile_load.h"

static const char *base;	/* the cluster */
static char dbname[64], dir[256], conf[512], spool[512];

/* One statement on the cluster's own database. */
static void
admin(const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	PGconn *c = PQconnectdb(base);
	PGresult *r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (PQstatus(c) != CONNECTION_OK)
		bench_die("%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		bench_die("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* The database refuses the history (and cuts it off), or takes it. */
static void
reachable(bool yes)
{
	admin("ALTER DATABASE %s ALLOW_CONNECTIONS %s", dbname,
	    yes ? "true" : "false");
	if (!yes)
		admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		    "WHERE datname = '%s'", dbname);
}

static struct history *
open_pg(void)
{
	struct history_pg o = { .conninfo_file = conf, .spool = spool,
	    .treadmill = "bench", .connect_timeout_s = 5,
	    .stale_minutes = 10 };
	struct history *h;
	char err[512];

	if ((h = history_open_pg(&o, err, sizeof(err))) == NULL)
		bench_die("%s", err);
	return h;
}

/* n rows, the five kinds in turn, for the drain. */
static void
fill_mixed(struct history *h, int n, time_t now)
{
	hday_t today = hday_from_time(now);

	for (int i = 0; i < n; i++) {
		hday_t d = today - 1 - i / 5;
		switch (i % 5) {
		case 0: {
			struct hist_checkin c = { .day = d, .sleep_h = 7,
			    .at = now - 86400L * (i / 5) };
			snprintf(c.runner, sizeof(c.runner), "drain");
			history_add_checkin(h, &c);
			break;
		}
		case 1: {
			struct hist_session s = { .start = now - 86400L *
			    (i / 5), .planned_min = 30, .actual_min = 30,
			    .outcome = HO_COMPLETED };
			s.end = s.start + 1800;
			history_new_id(s.id);
			snprintf(s.runner, sizeof(s.runner), "drain");
			snprintf(s.workout, sizeof(s.workout), "easy");
			snprintf(s.treadmill, sizeof(s.treadmill), "bench");
			history_put_session(h, &s);
			break;
		}
		case 2: {
			struct hist_strength s = { .day = d, .minutes = 25,
			    .at = now - 86400L * (i / 5) };
			snprintf(s.runner, sizeof(s.runner), "drain");
			history_add_strength(h, &s);
			break;
		}
		case 3: {
			struct hist_symptom s = { .day = d,
			    .at = now - 86400L * (i / 5) };
			snprintf(s.runner, sizeof(s.runner), "drain");
			snprintf(s.kind, sizeof(s.kind), "pain");
			history_add_symptom(h, &s);
			break;
		}
		default: {
			struct hist_override o = { .unlock = true,
			    .at = now - 86400L * (i / 5) };
			snprintf(o.runner, sizeof(o.runner), "drain");
			snprintf(o.staff, sizeof(o.staff), "bench");
			snprintf(o.reason, sizeof(o.reason), "bench");
			history_add_override(h, &o);
			break;
		}
		}
	}
	if (history_sync(h) != 0)
		bench_die("history_sync: %s", history_last_error(h));
}

/* Open on a spool that holds rows, the database reachable: seconds until
 * every row is delivered. */
static double
drain(void)
{
	double t0 = bench_now();
	struct history *h = open_pg();

	for (int i = 0; i < 600000 && history_spooled(h) > 0; i++)
		usleep(1000);
	if (history_spooled(h) > 0)
		bench_die("the spool did not drain: %s", history_link_error(h));
	t0 = bench_now() - t0;
	history_close(h);
	return t0;
}

/* A first read makes the reader's connection (in the background). */
static void
warm(struct history *h)
{
	struct runner_history rh;
	char err[512];

	for (int i = 0; i < 200; i++) {
		if (history_list(h, "bench", 1, &rh, err, sizeof(err)) == 0) {
			history_free(&rh);
			return;
		}
		usleep(50 * 1000);
	}
	bench_die("PostgreSQL: %s", err);
}

int
main(int argc, char **argv)
{
	struct errlist e = { 0 };
	struct profile p;
	struct history *h;
	char err[512], path[600];
	const char *out = argc > 1 ? argv[1] : "build/bench";
	unsigned long rows;
	double t0, secs;
	FILE *f;

	log_init("pghistory", 1, LOG_LVL_WARN);
	if ((base = getenv("TREAD_TEST_PG")) == NULL)
		bench_die("TREAD_TEST_PG is not set: run under scripts/pg.sh run");
	if (profile_load(&p, "etc/profiles/building.conf", &e) == -1) {
		errlist_print(&e, stderr);
		return 1;
	}
	snprintf(p.id, sizeof(p.id), "bench");
	snprintf(dir, sizeof(dir), "%s/pghistory.XXXXXX", out);
	if (mkdtemp(dir) == NULL)
		bench_die("mkdtemp %s", dir);
	snprintf(conf, sizeof(conf), "%s/pg.conf", dir);
	snprintf(spool, sizeof(spool), "%s/spool.db", dir);
	snprintf(dbname, sizeof(dbname), "bench_%d", (int)getpid());
	admin("CREATE DATABASE %s", dbname);
	if ((f = fopen(conf, "w")) == NULL)
		bench_die("%s", conf);
	fprintf(f, "%s dbname=%s\n", base, dbname);
	fclose(f);
	chmod(conf, 0600);

	/* 1a. SQLite, as bench/decide.c. */
	snprintf(path, sizeof(path), "%s/decide.db", dir);
	if ((h = history_open(path, err, sizeof(err))) == NULL)
		bench_die("%s", err);
	bench_fill(h, "bench", 3650, time(NULL));
	bench_decisions(h, &p, "SQLite, 10 years of daily history", 50);
	history_close(h);

	/* 1b. PostgreSQL: the same rows, spooled, then drained. */
	h = open_pg();
	warm(h);		/* the schema */
	reachable(false);
	t0 = bench_now();
	bench_fill(h, "bench", 3650, time(NULL));
	rows = history_spooled(h);
	printf("spooled 10 years (%lu rows) in %.1f s (SQLite spool, "
	    "synchronous=FULL)\n", rows, bench_now() - t0);
	history_close(h);
	reachable(true);
	secs = drain();
	printf("drained %lu rows into PostgreSQL in %.2f s (%.0f rows/s)\n",
	    rows, secs, rows / secs);
	h = open_pg();
	warm(h);
	bench_decisions(h, &p, "PostgreSQL, 10 years of daily history",
	    50);
	history_close(h);

	/* 2. 10,000 spooled rows of all five kinds. */
	h = open_pg();
	reachable(false);
	fill_mixed(h, 10000, time(NULL));
	if (history_spooled(h) != 10000)
		bench_die("%lu rows spooled, not 10000", history_spooled(h));
	rows = history_spooled(h);
	history_close(h);
	reachable(true);
	secs = drain();
	printf("drained %lu spooled rows (all five kinds) in %.2f s "
	    "(%.0f rows/s)\n", rows, secs, rows / secs);

	admin("DROP DATABASE %s WITH (FORCE)", dbname);
	remove(path);
	snprintf(path, sizeof(path), "%s/decide.db-wal", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/decide.db-shm", dir);
	remove(path);
	remove(spool);
	snprintf(path, sizeof(path), "%s-wal", spool);
	remove(path);
	snprintf(path, sizeof(path), "%s-shm", spool);
	remove(path);
	remove(conf);
	rmdir(dir);
	errlist_free(&e);
	return 0;
}
