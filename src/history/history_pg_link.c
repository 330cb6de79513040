/*
 * Reaching the shared PostgreSQL: a connection within a deadline,
 * statements within a deadline, and messages in one line that never
 * carry the password (history_pg_conninfo.c finds it).
 *
 * libpq's blocking calls wait as long as the kernel lets them (minutes on
 * a link that drops packets), so everything here uses the asynchronous
 * calls and poll(2) with our own deadline.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_pg.h"

double
hist_pg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- messages ---------------------------------------------------------- */

/* libpq's messages run over lines with tabs; ours are one line. */
static void
one_line(const char *in, char *out, size_t len)
{
	size_t o = 0;
	bool space = true;

	for (; in != NULL && *in != '\0' && o + 1 < len; in++) {
		if (isspace((unsigned char)*in)) {
			if (!space)
				out[o++] = ' ';
			space = true;
		} else {
			out[o++] = *in;
			space = false;
		}
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

void
hist_pg_result_error(const PGresult *r, char *err, size_t errlen)
{
	const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	one_line(m != NULL ? m : PQresultErrorMessage(r), err, errlen);
	if (err[0] == '\0')
		snprintf(err, errlen, "%s", PQresStatus(PQresultStatus(r)));
}

enum hb_result
hist_pg_classify(PGconn *pg, const PGresult *r)
{
	const char *state;

	if (r == NULL || PQstatus(pg) == CONNECTION_BAD)
		return HB_TRANSIENT;
	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	/* Data exceptions and integrity violations belong to the row;
	 * everything else (the link, locks, space, the server going down,
	 * privileges being fixed) may pass. */
	if (state != NULL && (strncmp(state, "22", 2) == 0 ||
	    strncmp(state, "23", 2) == 0))
		return HB_PERMANENT;
	return HB_TRANSIENT;
}

/* ---- connecting -------------------------------------------------------- */

/* Wait for the socket until the deadline: >0 ready, 0 timed out, -1. */
static int
wait_io(PGconn *pg, short events, double deadline)
{
	struct pollfd p = { .fd = PQsocket(pg), .events = events };
	double left;
	int rc;

	if (p.fd < 0)
		return -1;
	do {
		if ((left = deadline - hist_pg_now()) <= 0)
			return 0;
		rc = poll(&p, 1, (int)ceil(left * 1000));
	} while (rc == -1 && errno == EINTR);
	return rc;
}

static void
fail_msg(const struct hist_pg_info *info, const char *what, char *err,
    size_t errlen)
{
	char line[512];

	one_line(what, line, sizeof(line));
	snprintf(err, errlen, "history: %s unreachable: %s", info->where, line);
	hist_pg_mask(info, err, errlen);
}

PGconn *
hist_pg_connect(const struct hist_pg_cfg *cfg, struct hist_pg_info *info, char *err,
    size_t errlen)
{
	static const char *const kw[] = { "dbname",
	    "fallback_application_name", "keepalives", "keepalives_idle",
	    "keepalives_interval", "keepalives_count", NULL };
	const char *val[] = { NULL, "treadmilld", "1", "10", "3", "3", NULL };
	PQconninfoOption *opts;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	char *ci, *perr = NULL, scrubbed[512];
	double deadline = hist_pg_now() + cfg->timeout_s;
	PGconn *pg;
	int rc;

	memset(info, 0, sizeof(*info));
	snprintf(info->where, sizeof(info->where), "PostgreSQL");
	if ((ci = hist_pg_read_conninfo(cfg->conninfo_file, cfg->owner, err,
	    errlen)) == NULL)
		return NULL;
	hist_pg_find_secrets(ci, info);
	if ((opts = PQconninfoParse(ci, &perr)) == NULL) {
		hist_pg_scrub_quotes(perr != NULL ? perr : "out of memory",
		    scrubbed, sizeof(scrubbed));
		snprintf(err, errlen, "history.conninfo_file %s is not a libpq "
		    "connection string: %s", cfg->conninfo_file, scrubbed);
		hist_pg_mask(info, err, errlen);
		PQfreemem(perr);
		explicit_bzero(ci, strlen(ci));
		free(ci);
		return NULL;
	}
	hist_pg_describe(opts, info);
	PQconninfoFree(opts);

	/* The file's string first: the settings after it win over it. */
	val[0] = ci;
	pg = PQconnectStartParams(kw, val, 1);
	explicit_bzero(ci, strlen(ci));
	free(ci);
	if (pg == NULL) {
		snprintf(err, errlen, "history: %s: out of memory",
		    info->where);
		return NULL;
	}
	if (PQstatus(pg) == CONNECTION_BAD)
		st = PGRES_POLLING_FAILED;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		rc = wait_io(pg, st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		    deadline);
		if (rc == 0) {
			char why[64];
			snprintf(why, sizeof(why), "no answer within %d s",
			    cfg->timeout_s);
			fail_msg(info, why, err, errlen);
			PQfinish(pg);
			return NULL;
		}
		st = PQconnectPoll(pg);
	}
	if (st == PGRES_POLLING_FAILED) {
		fail_msg(info, PQerrorMessage(pg), err, errlen);
		PQfinish(pg);
		return NULL;
	}
	/* Now it is known for sure (the first of several hosts that
	 * answered, a default filled in). */
	snprintf(info->where, sizeof(info->where), "PostgreSQL at %s:%s",
	    PQhost(pg), PQport(pg));
	hist_pg_mask(info, info->where, sizeof(info->where));
	return pg;
}

/* ---- statements -------------------------------------------------------- */

PGresult *
hist_pg_wait(PGconn *pg, double deadline, char *err, size_t errlen)
{
	PGresult *res = NULL, *r;
	int rc, f;

	while ((f = PQflush(pg)) == 1) {
		if ((rc = wait_io(pg, POLLOUT | POLLIN, deadline)) <= 0)
			goto stalled;
		if (!PQconsumeInput(pg))
			goto broken;
	}
	if (f == -1)
		goto broken;
	for (;;) {
		while (PQisBusy(pg)) {
			if ((rc = wait_io(pg, POLLIN, deadline)) <= 0)
				goto stalled;
			if (!PQconsumeInput(pg))
				goto broken;
		}
		if ((r = PQgetResult(pg)) == NULL)
			break;
		/* Several statements: the first error, else the last. */
		if (res != NULL && PQresultStatus(res) == PGRES_FATAL_ERROR)
			PQclear(r);
		else {
			PQclear(res);
			res = r;
		}
	}
	if (res == NULL)
		goto broken;
	return res;
stalled:
	PQclear(res);
	if (rc == 0)
		snprintf(err, errlen, "no answer in time; the connection is "
		    "dropped");
	else
		snprintf(err, errlen, "waiting for the server: %s",
		    strerror(errno));
	return NULL;
broken:
	PQclear(res);
	one_line(PQerrorMessage(pg), err, errlen);
	if (err[0] == '\0')
		snprintf(err, errlen, "the server closed the connection");
	return NULL;
}

PGresult *
hist_pg_exec(PGconn *pg, double deadline, const char *sql, int n,
    const char *const *params, char *err, size_t errlen)
{
	int ok = n < 0 ? PQsendQuery(pg, sql) : PQsendQueryParams(pg, sql, n,
	    NULL, params, NULL, NULL, 0);

	if (!ok) {
		one_line(PQerrorMessage(pg), err, errlen);
		return NULL;
	}
	return hist_pg_wait(pg, deadline, err, errlen);
}

PGresult *
hist_pg_exec_prepared(PGconn *pg, double deadline, const char *name, int n,
    const char *const *params, char *err, size_t errlen)
{
	if (!PQsendQueryPrepared(pg, name, n, params, NULL, NULL, 0)) {
		one_line(PQerrorMessage(pg), err, errlen);
		return NULL;
	}
	return hist_pg_wait(pg, deadline, err, errlen);
}

int
hist_pg_command(PGconn *pg, double deadline, const char *sql, char *err,
    size_t errlen)
{
	PGresult *r = hist_pg_exec(pg, deadline, sql, -1, NULL, err, errlen);
	int rc = -1;

	if (r == NULL)
		return -1;
	if (PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK)
		rc = 0;
	else
		hist_pg_result_error(r, err, errlen);
	PQclear(r);
	return rc;
}
