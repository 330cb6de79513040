/*
 * The columns of the six record kinds (see history_tables.h), and the
 * SQL made from them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

#define FIELD(k, f)	offsetof(struct hist_row, u.k.f), \
			sizeof(((struct hist_row *)0)->u.k.f)
#define ID		{ "id", HC_TEXT, offsetof(struct hist_row, id), \
			  HISTORY_ID_LEN }
#define DAY		{ "day", HC_DAY, offsetof(struct hist_row, day), \
			  sizeof(hday_t) }
#define NCOLS(a)	((int)(sizeof(a) / sizeof(a[0])))

static const struct hist_col checkin_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(checkin, runner) },
	DAY,
	{ "sleep_h", HC_REAL, FIELD(checkin, sleep_h) },
	{ "pain", HC_INT, FIELD(checkin, pain) },
	{ "leak", HC_BOOL, FIELD(checkin, leak) },
	{ "heaviness", HC_BOOL, FIELD(checkin, heaviness) },
	{ "bleeding", HC_BOOL, FIELD(checkin, bleeding) },
	{ "limitation", HC_BOOL, FIELD(checkin, limitation) },
	{ "at", HC_TIME, FIELD(checkin, at) },
};

static const struct hist_col session_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(session, runner) },
	DAY,		/* of its start */
	{ "workout", HC_TEXT, FIELD(session, workout) },
	{ "hard", HC_BOOL, FIELD(session, hard) },
	{ "start_at", HC_TIME, FIELD(session, start) },
	{ "end_at", HC_TIME, FIELD(session, end) },
	{ "planned_min", HC_REAL, FIELD(session, planned_min) },
	{ "actual_min", HC_REAL, FIELD(session, actual_min) },
	{ "hard_min", HC_REAL, FIELD(session, hard_min) },
	{ "distance_m", HC_REAL, FIELD(session, distance_m) },
	{ "avg_speed", HC_REAL, FIELD(session, avg_speed) },
	{ "max_speed", HC_REAL, FIELD(session, max_speed) },
	{ "avg_hr", HC_INT, FIELD(session, avg_hr) },
	{ "max_hr", HC_INT, FIELD(session, max_hr) },
	{ "above_cap_s", HC_REAL, FIELD(session, above_cap_s) },
	{ "outcome", HC_OUTCOME, FIELD(session, outcome) },
	{ "symptom", HC_BOOL, FIELD(session, symptom) },
	{ "backfilled", HC_BOOL, FIELD(session, backfilled) },
	{ "treadmill", HC_TEXT, FIELD(session, treadmill) },
	/* schema version 3 */
	{ "running_min", HC_REAL, FIELD(session, running_min) },
	{ "walking_min", HC_REAL, FIELD(session, walking_min) },
	{ "stage", HC_INT, FIELD(session, stage) },
};

static const struct hist_col strength_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(strength, runner) },
	DAY,
	{ "minutes", HC_REAL, FIELD(strength, minutes) },
	{ "at", HC_TIME, FIELD(strength, at) },
};

static const struct hist_col symptom_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(symptom, runner) },
	DAY,
	{ "at", HC_TIME, FIELD(symptom, at) },
	{ "kind", HC_TEXT, FIELD(symptom, kind) },
	{ "session_id", HC_NTEXT, FIELD(symptom, session_id) },
};

static const struct hist_col override_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(override, runner) },
	DAY,		/* of its time */
	{ "at", HC_TIME, FIELD(override, at) },
	{ "unlock", HC_BOOL, FIELD(override, unlock) },
	{ "staff", HC_TEXT, FIELD(override, staff) },
	{ "reason", HC_TEXT, FIELD(override, reason) },
	/* schema version 3 */
	{ "clear", HC_BOOL, FIELD(override, clear) },
};

/* schema version 5 */
static const struct hist_col pin_cols[] = {
	ID,
	{ "runner", HC_TEXT, FIELD(pin, runner) },
	DAY,		/* of its time */
	{ "at", HC_TIME, FIELD(pin, at) },
	{ "hash", HC_TEXT, FIELD(pin, hash) },
	{ "staff", HC_TEXT, FIELD(pin, staff) },
};

const struct hist_table hist_tables[HIST_KINDS] = {
	[HK_CHECKIN] = { "checkin", "checkins", "at", false, false, false,
	    sizeof(struct hist_checkin), checkin_cols, NCOLS(checkin_cols) },
	[HK_SESSION] = { "session", "sessions", "start_at", false, false, true,
	    sizeof(struct hist_session), session_cols, NCOLS(session_cols) },
	[HK_STRENGTH] = { "strength", "strength", "at", false, false, false,
	    sizeof(struct hist_strength), strength_cols,
	    NCOLS(strength_cols) },
	[HK_SYMPTOM] = { "symptom", "symptoms", "at", true, false, false,
	    sizeof(struct hist_symptom), symptom_cols, NCOLS(symptom_cols) },
	[HK_OVERRIDE] = { "override", "overrides", "at", false, true, false,
	    sizeof(struct hist_override), override_cols,
	    NCOLS(override_cols) },
	[HK_PIN] = { "pin", "pins", "at", false, false, false,
	    sizeof(struct hist_pin), pin_cols, NCOLS(pin_cols) },
};

/* ---- SQL --------------------------------------------------------------- */

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

int
hist_read_plan(enum hist_kind k, const struct hist_read *rd,
    enum hist_select *how, char arg[16])
{
	hday_t day = rd->since;

	if (rd->limit > 0) {
		*how = HS_LIST;
		snprintf(arg, 16, "%d", rd->limit);
		return 2;
	}
	*how = HS_LOAD;
	/* Keep the text comparable with the stored days. */
	if (hist_tables[k].keep_all || day < hday_from_ymd(1900, 1, 1))
		day = hday_from_ymd(1900, 1, 1);	/* HIST_DAY_MIN */
	if (day > hday_from_ymd(3000, 1, 1))
		day = hday_from_ymd(3000, 1, 1);
	hday_format(day, arg, 16);
	return 2;
}

/* ---- records ----------------------------------------------------------- */

void
hist_row_settle(struct hist_row *r)
{
	switch (r->kind) {
	case HK_CHECKIN:
		r->u.checkin.day = r->day;
		break;
	case HK_SESSION:
		memcpy(r->u.session.id, r->id, sizeof(r->u.session.id));
		break;
	case HK_STRENGTH:
		r->u.strength.day = r->day;
		break;
	case HK_SYMPTOM:
		r->u.symptom.day = r->day;
		break;
	case HK_OVERRIDE:
	case HK_PIN:
		break;
	}
}

void
hist_row_terminate(struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[r->kind];

	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].type == HC_TEXT || t->cols[i].type == HC_NTEXT)
			((char *)hist_field(r, &t->cols[i]))[t->cols[i].len -
			    1] = '\0';
	hist_row_settle(r);
}

void *
hist_rh_get(const struct runner_history *rh, enum hist_kind k, size_t *n)
{
	switch (k) {
	case HK_CHECKIN:
		*n = rh->ncheckins;
		return rh->checkins;
	case HK_SESSION:
		*n = rh->nsessions;
		return rh->sessions;
	case HK_STRENGTH:
		*n = rh->nstrength;
		return rh->strength;
	case HK_SYMPTOM:
		*n = rh->nsymptoms;
		return rh->symptoms;
	case HK_OVERRIDE:
		*n = rh->noverrides;
		return rh->overrides;
	case HK_PIN:
	default:
		*n = 0;
		return NULL;
	}
}

void
hist_rh_set(struct runner_history *rh, enum hist_kind k, void *rows, size_t n)
{
	switch (k) {
	case HK_CHECKIN:
		rh->checkins = rows, rh->ncheckins = n;
		break;
	case HK_SESSION:
		rh->sessions = rows, rh->nsessions = n;
		break;
	case HK_STRENGTH:
		rh->strength = rows, rh->nstrength = n;
		break;
	case HK_SYMPTOM:
		rh->symptoms = rows, rh->nsymptoms = n;
		break;
	case HK_OVERRIDE:
		rh->overrides = rows, rh->noverrides = n;
		break;
	case HK_PIN:	/* not a runner_history's */
		free(rows);
		break;
	}
}
