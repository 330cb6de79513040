/*
 * The SQL made from the column tables (history_tables.c): the inserts
 * and the reads of each kind, once for both backends' dialects, and how a
 * read asks for its rows.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

static struct hist_sql sqls[HIST_KINDS];
static pthread_once_t sqls_once = PTHREAD_ONCE_INIT;

static char *
make_cols(const struct hist_table *t, bool pg)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		fatal("open_memstream");
	for (int i = 0; i < t->ncols; i++) {
		const char *n = t->cols[i].name;

		if (pg && t->cols[i].type == HC_DAY)
			fprintf(f, "%sto_char(%s, 'YYYY-MM-DD')", i ? ", " : "",
			    n);
		else
			fprintf(f, "%s%s", i ? ", " : "", n);
	}
	fclose(f);
	return buf;
}

/*
 * A retried write may already have landed (an error after the commit, a
 * spool drained again after a crash): DO NOTHING on the same id keeps it
 * from failing or doubling, and a session takes the newer state.
 */
static char *
make_insert(const struct hist_table *t, const char *cols, char mark)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		fatal("open_memstream");
	fprintf(f, "INSERT INTO %s (%s) VALUES (", t->name, cols);
	for (int i = 0; i < t->ncols; i++)
		fprintf(f, "%s%c%d", i ? "," : "", mark, i + 1);
	fprintf(f, ") ON CONFLICT (id) DO ");
	if (!t->upsert)
		fprintf(f, "NOTHING");
	else
		for (int i = 1; i < t->ncols; i++)
			fprintf(f, "%s%s = excluded.%s", i > 1 ? ", " :
			    "UPDATE SET ", t->cols[i].name, t->cols[i].name);
	fclose(f);
	return buf;
}

/* What differs in the two backends' SELECTs. */
struct dialect {
	char		 mark;	/* of a parameter */
	bool		 pg;	/* days are read as text */
	const char	*seq;	/* orders the rows of one day and time as they
				   arrived */
};

static const struct dialect dialects[2] = {
	{ '?', false, "rowid" },
	{ '$', true, "seq" },
};

/*
 * Each walks the (runner, day, time) index in order, but a listing's
 * newest rows, which walk it backwards.  The table's columns come first,
 * so one reader takes the rows of every one.
 */
static char *
make_select(const struct hist_table *t, const struct hist_sql *q,
    enum hist_select how, const struct dialect *d)
{
	const char *cols = d->pg ? q->cols_pg : q->cols, *w = t->when,
	    *s = d->seq, *n = t->name;
	char *buf, m = d->mark;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		fatal("open_memstream");
	switch (how) {
	case HS_LOAD:
		fprintf(f, "SELECT %s FROM %s WHERE runner = %c1 AND ", cols, n,
		    m);
		if (t->keep_latest)
			fprintf(f, "(day >= %c2 OR %s = (SELECT %s FROM %s WHERE "
			    "runner = %c1 ORDER BY day DESC, %s DESC, %s DESC "
			    "LIMIT 1))", m, s, s, n, m, w, s);
		else
			fprintf(f, "day >= %c2", m);
		fprintf(f, " ORDER BY day, %s, %s", w, s);
		break;
	case HS_RULES:
		/* The rows of the rules after the window's, in one order. */
		fprintf(f, "SELECT %s, day AS o_day, %s AS o_when, %s AS o_seq, "
		    "0 AS o_rule FROM %s WHERE runner = %c1 AND day >= %c2",
		    cols, w, s, n, m, m);
		for (int i = 0; t->rules != NULL && t->rules[i] != NULL; i++) {
			fprintf(f, " UNION ALL SELECT %s, day, %s, %s, 1 FROM %s "
			    "WHERE runner = %c1 AND (", cols, w, s, n, m);
			for (const char *p = t->rules[i]; *p != '\0'; p++)
				if (*p == '?')
					fprintf(f, "%c3", m);
				else
					fputc(*p, f);
			fputc(')', f);
		}
		fprintf(f, " ORDER BY o_day, o_when, o_seq");
		break;
	case HS_LIST:
		fprintf(f, "SELECT * FROM (SELECT %s, day AS o_day, %s AS "
		    "o_when, %s AS o_seq FROM %s WHERE runner = %c1 ORDER BY "
		    "day DESC, %s DESC, %s DESC LIMIT %c2) x ORDER BY o_day, "
		    "o_when, o_seq", cols, w, s, n, m, w, s, m);
		break;
	case HS_LATEST:
		fprintf(f, "SELECT %s FROM %s WHERE runner = %c1 ORDER BY %s "
		    "DESC, %s DESC LIMIT 1", cols, n, m, w, s);
		break;
	case HS_GET:
		fprintf(f, "SELECT %s FROM %s WHERE id = %c1", cols, n, m);
		break;
	}
	fclose(f);
	return buf;
}

static void
make_sqls(void)
{
	for (int k = 0; k < HIST_KINDS; k++) {
		const struct hist_table *t = &hist_tables[k];

		sqls[k].cols = make_cols(t, false);
		sqls[k].cols_pg = make_cols(t, true);
		sqls[k].insert_sqlite = make_insert(t, sqls[k].cols, '?');
		sqls[k].insert_pg = make_insert(t, sqls[k].cols, '$');
		for (int h = 0; h < HIST_SELECTS; h++)
			for (int pg = 0; pg < 2; pg++)
				sqls[k].select[h][pg] = make_select(t, &sqls[k],
				    (enum hist_select)h, &dialects[pg]);
	}
}

const struct hist_sql *
hist_sql(enum hist_kind k)
{
	pthread_once(&sqls_once, make_sqls);
	return &sqls[k];
}

/* ---- reads ------------------------------------------------------------- */

/* The threshold of kind k's rules. */
static double
threshold(enum hist_kind k, const struct hist_rules *r)
{
	switch (k) {
	case HK_CHECKIN:
		return r->pain_threshold;
	case HK_SESSION:
		return r->run_minutes;
	case HK_STRENGTH:
		return r->strength_minutes;
	default:
		return 0;
	}
}

void
hist_read_plan(enum hist_kind k, const struct hist_read *rd,
    enum hist_select *how, struct hist_args *a)
{
	const struct hist_table *t = &hist_tables[k];
	hday_t day = rd->since;

	memset(a, 0, sizeof(*a));
	a->n = 2;
	if (rd->limit > 0) {
		*how = HS_LIST;
		snprintf(a->arg, sizeof(a->arg), "%d", rd->limit);
		return;
	}
	/* A kind whose rules count nothing now is read as in a load. */
	*how = rd->rules == NULL || (t->rules != NULL &&
	    isnan(threshold(k, rd->rules))) ? HS_LOAD : HS_RULES;
	/* The last symptom alone is not enough for the rules: all of them. */
	if (t->keep_all || (*how == HS_RULES && t->keep_latest) ||
	    day < hday_from_ymd(1900, 1, 1))
		day = hday_from_ymd(1900, 1, 1);	/* HIST_DAY_MIN */
	if (day > hday_from_ymd(3000, 1, 1))
		day = hday_from_ymd(3000, 1, 1);
	/* Keep the text comparable with the stored days. */
	hday_format(day, a->arg, sizeof(a->arg));
	if (*how == HS_RULES && t->rules != NULL) {
		a->n = 3;
		a->threshold = threshold(k, rd->rules);
		a->since = day;
	}
}
