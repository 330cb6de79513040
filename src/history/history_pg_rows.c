/*
 * PostgreSQL rows to history records and back: the binding and reading
 * of each column type; the columns are history_tables.c's, as SQLite's
 * are, so a row reads back the same from either.  Parameters and results
 * travel as text: a double printed with %.17g comes back as the same
 * double, a day as 'YYYY-MM-DD'.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_pg.h"
#include "history_tables.h"
#include "xmalloc.h"

#define NARGS	32

/* ---- writing ----------------------------------------------------------- */

struct args {
	int		 n;
	const char	*v[NARGS];
	char		 buf[NARGS][32];
};

/* One column's parameter, as text. */
static void
bind_col(struct args *a, const struct hist_col *c, const void *f)
{
	char *buf = a->buf[a->n];
	size_t len = sizeof(a->buf[0]);
	const char **v = &a->v[a->n++];

	*v = buf;
	switch (c->type) {
	case HC_NTEXT:
		if (*(const char *)f == '\0') {
			*v = NULL;
			break;
		}
		/* FALLTHROUGH */
	case HC_TEXT:
		*v = f;
		break;
	case HC_INT:
		snprintf(buf, len, "%d", *(const int *)f);
		break;
	case HC_TIME:
		snprintf(buf, len, "%lld", (long long)*(const time_t *)f);
		break;
	case HC_BOOL:
		*v = *(const bool *)f ? "t" : "f";
		break;
	case HC_REAL:
		if (isnan(*(const double *)f))
			*v = NULL;	/* as SQLite keeps it */
		else
			snprintf(buf, len, "%.17g", *(const double *)f);
		break;
	case HC_DAY:
		hday_format(*(const hday_t *)f, buf, len);
		break;
	case HC_OUTCOME:
		*v = hist_outcome_name(*(const enum hist_outcome *)f);
		break;
	}
}

static void
bind_row(struct args *a, const struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[r->kind];

	for (int i = 0; i < t->ncols; i++)
		bind_col(a, &t->cols[i], hist_cfield(r, &t->cols[i]));
}

static const char *const stmt_names[] = {
	[HK_CHECKIN] = "put_checkin", [HK_SESSION] = "put_session",
	[HK_STRENGTH] = "put_strength", [HK_SYMPTOM] = "put_symptom",
	[HK_OVERRIDE] = "put_override", [HK_PIN] = "put_pin",
};

/* Once per connection, so that a drain of thousands of rows does not
 * parse the same statement thousands of times. */
int
hist_pg_prepare(PGconn *pg, double deadline, char *err, size_t errlen)
{
	for (int k = HK_CHECKIN; k < HIST_KINDS; k++) {
		PGresult *r;
		int ok;

		if (!PQsendPrepare(pg, stmt_names[k],
		    hist_sql((enum hist_kind)k)->insert_pg, 0, NULL)) {
			snprintf(err, errlen, "%s", PQerrorMessage(pg));
			return -1;
		}
		if ((r = hist_pg_wait(pg, deadline, err, errlen)) == NULL)
			return -1;
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			hist_pg_result_error(r, err, errlen);
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

enum hb_result
hist_pg_insert(PGconn *pg, double deadline, const struct hist_row *row,
    char *err, size_t errlen)
{
	struct args a = { 0 };
	enum hb_result res;
	PGresult *r;

	bind_row(&a, row);
	r = hist_pg_exec_prepared(pg, deadline, stmt_names[row->kind], a.n, a.v,
	    err, errlen);
	if (r == NULL)
		return HB_TRANSIENT;
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		res = HB_OK;
	else {
		hist_pg_result_error(r, err, errlen);
		res = hist_pg_classify(pg, r);
	}
	PQclear(r);
	return res;
}

/* ---- reading ----------------------------------------------------------- */

/* One column into its field; a bad value is reported, not guessed at. */
static const char *
read_col(const PGresult *res, int row, int i, const struct hist_col *c,
    void *f)
{
	const char *v = PQgetvalue(res, row, i);	/* NULL reads "" */
	int o;

	switch (c->type) {
	case HC_TEXT:
	case HC_NTEXT:
		snprintf(f, c->len, "%s", v);
		break;
	case HC_INT:
		*(int *)f = (int)strtol(v, NULL, 10);
		break;
	case HC_TIME:
		*(time_t *)f = (time_t)strtoll(v, NULL, 10);
		break;
	case HC_BOOL:
		*(bool *)f = v[0] == 't';
		break;
	case HC_REAL:
		*(double *)f = PQgetisnull(res, row, i) ? NAN :
		    strtod(v, NULL);
		break;
	case HC_DAY:
		if (hday_parse(v, f) == -1)
			return "bad day";
		break;
	case HC_OUTCOME:
		o = hist_outcome_parse(v);
		*(enum hist_outcome *)f = o == -1 ? HO_INTERRUPTED :
		    (enum hist_outcome)o;
		if (o == -1)
			return "unknown outcome";
		break;
	}
	return NULL;
}

/* Only the record's own part of the row is cleared: a row is as big as
 * the biggest kind. */
static const char *
read_row(const PGresult *res, int row, enum hist_kind k, struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[k];
	const char *bad = NULL, *b;

	memset(r, 0, offsetof(struct hist_row, u) + t->size);
	r->kind = k;
	for (int i = 0; i < t->ncols; i++)
		if ((b = read_col(res, row, i, &t->cols[i],
		    hist_field(r, &t->cols[i]))) != NULL && bad == NULL)
			bad = b;
	hist_row_settle(r);
	return bad;
}

/*
 * Every read: hist_sql(k)->select[how] with key ($1) and the rest of a
 * read's parameters (a; NULL for none).  Each row is decoded into one
 * (the first only), or into a fresh array of the kind's records stored
 * in out.  How many rows, or -1.
 */
static int
select_rows(PGconn *pg, double deadline, enum hist_kind k,
    enum hist_select how, const char *key, const struct hist_args *a,
    struct hist_row *one, struct runner_history *out, char *err,
    size_t errlen)
{
	const struct hist_table *t = &hist_tables[k];
	const char *p[3] = { key, NULL, NULL }, *bad;
	unsigned char *rows = NULL;
	char thr[32];
	size_t n = 0;
	PGresult *r;
	int nt;

	if (a != NULL) {
		p[1] = a->arg;
		snprintf(thr, sizeof(thr), "%.17g", a->threshold);
		p[2] = thr;
	}
	r = hist_pg_exec(pg, deadline, hist_sql(k)->select[how][1],
	    a != NULL ? a->n : 1, p, err, errlen);
	if (r == NULL)
		return -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hist_pg_result_error(r, err, errlen);
		goto fail;
	}
	nt = PQntuples(r);
	if (one == NULL && nt > 0)
		rows = xreallocarray(NULL, (size_t)nt, t->size);
	for (int i = 0; i < nt; i++) {
		struct hist_row row;

		if ((bad = read_row(r, i, k, &row)) != NULL) {
			snprintf(err, errlen, "%s row %s: %s", t->name, row.id,
			    bad);
			goto fail;
		}
		/* The window has it already. */
		if (how == HS_RULES && row.day >= a->since &&
		    PQgetvalue(r, i, HIST_COL_RULE(t))[0] == '1')
			continue;
		if (one != NULL) {
			memcpy(one, &row, offsetof(struct hist_row, u) +
			    t->size);
			n = 1;
			break;
		}
		memcpy(rows + n++ * t->size, &row.u, t->size);
	}
	PQclear(r);
	if (one == NULL)
		hist_rh_set(out, k, rows, n);
	return (int)n;
fail:
	PQclear(r);
	free(rows);
	return -1;
}

/* One snapshot for the five tables, so that no write falls in between. */
int
hist_pg_read(PGconn *pg, double deadline, const char *runner,
    const struct hist_read *rd, struct runner_history *out, char *err,
    size_t errlen)
{
	enum hist_select how;
	struct hist_args a;
	int rc = 0;

	if (hist_pg_command(pg, deadline, "BEGIN ISOLATION LEVEL REPEATABLE "
	    "READ READ ONLY", err, errlen) == -1)
		return -1;
	for (int k = 0; k < HIST_RH_KINDS && rc != -1; k++) {
		hist_read_plan((enum hist_kind)k, rd, &how, &a);
		rc = select_rows(pg, deadline, (enum hist_kind)k, how, runner,
		    &a, NULL, out, err, errlen);
	}
	if (PQstatus(pg) == CONNECTION_OK) {
		char e2[128];
		/* A read-only transaction: ending it cannot lose anything. */
		if (hist_pg_command(pg, deadline, "ROLLBACK", e2,
		    sizeof(e2)) == -1 && rc != -1) {
			snprintf(err, errlen, "%s", e2);
			rc = -1;
		}
	}
	return rc == -1 ? -1 : 0;
}

/* The runner's newest row of kind k: 1 (into out), 0, or -1. */
int
hist_pg_latest(PGconn *pg, double deadline, enum hist_kind k,
    const char *runner, struct hist_row *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->kind = k;
	return select_rows(pg, deadline, k, HS_LATEST, runner, NULL, out, NULL,
	    err, errlen);
}
