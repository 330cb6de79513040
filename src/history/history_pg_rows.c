/*
 * PostgreSQL rows to history records and back.  Parameters and results
 * travel as text: a double printed with %.17g comes back as the same
 * double, a day as 'YYYY-MM-DD'.  The column lists are SQLite's
 * (history_sqlite_rows.c), in the same order, so a row reads back the
 * same from either.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_pg.h"
#include "xmalloc.h"

#define NARGS	20

/* ---- writing ----------------------------------------------------------- */

struct args {
	int		 n;
	const char	*v[NARGS];
	char		 buf[NARGS][32];
};

static void
a_text(struct args *a, const char *s)
{
	a->v[a->n++] = s;
}

static void
a_int(struct args *a, long long v)
{
	snprintf(a->buf[a->n], sizeof(a->buf[0]), "%lld", v);
	a->v[a->n] = a->buf[a->n];
	a->n++;
}

static void
a_real(struct args *a, double v)
{
	if (isnan(v))
		a->v[a->n] = NULL;	/* as SQLite keeps it */
	else {
		snprintf(a->buf[a->n], sizeof(a->buf[0]), "%.17g", v);
		a->v[a->n] = a->buf[a->n];
	}
	a->n++;
}

static void
a_bool(struct args *a, bool v)
{
	a->v[a->n++] = v ? "t" : "f";
}

static void
a_day(struct args *a, hday_t d)
{
	hday_format(d, a->buf[a->n], sizeof(a->buf[0]));
	a->v[a->n] = a->buf[a->n];
	a->n++;
}

#define CHECKIN_COLS	"id, runner, day, sleep_h, pain, leak, " \
			"heaviness, bleeding, limitation, at"
#define SESSION_COLS	"id, runner, day, workout, hard, start_at, " \
			"end_at, planned_min, actual_min, hard_min, " \
			"distance_m, avg_speed, max_speed, avg_hr, max_hr, " \
			"above_cap_s, outcome, symptom, backfilled, treadmill"
#define STRENGTH_COLS	"id, runner, day, minutes, at"
#define SYMPTOM_COLS	"id, runner, day, at, kind, session_id"
#define OVERRIDE_COLS	"id, runner, day, at, unlock, staff, reason"

/* Delivered twice (a spool drained again after a crash, an answer lost
 * after the commit), a row lands once: DO NOTHING on its id, and for a
 * session the newer state. */
static const char *const insert_sql[] = {
	[HK_CHECKIN] = "INSERT INTO checkins (" CHECKIN_COLS ") VALUES "
	    "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (id) DO NOTHING",
	[HK_SESSION] = "INSERT INTO sessions (" SESSION_COLS ") VALUES "
	    "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,"
	    "$19,$20) ON CONFLICT (id) DO UPDATE SET runner = excluded.runner, "
	    "day = excluded.day, workout = excluded.workout, "
	    "hard = excluded.hard, start_at = excluded.start_at, "
	    "end_at = excluded.end_at, planned_min = excluded.planned_min, "
	    "actual_min = excluded.actual_min, hard_min = excluded.hard_min, "
	    "distance_m = excluded.distance_m, "
	    "avg_speed = excluded.avg_speed, max_speed = excluded.max_speed, "
	    "avg_hr = excluded.avg_hr, max_hr = excluded.max_hr, "
	    "above_cap_s = excluded.above_cap_s, outcome = excluded.outcome, "
	    "symptom = excluded.symptom, backfilled = excluded.backfilled, "
	    "treadmill = excluded.treadmill",
	[HK_STRENGTH] = "INSERT INTO strength (" STRENGTH_COLS ") VALUES "
	    "($1,$2,$3,$4,$5) ON CONFLICT (id) DO NOTHING",
	[HK_SYMPTOM] = "INSERT INTO symptoms (" SYMPTOM_COLS ") VALUES "
	    "($1,$2,$3,$4,$5,$6) ON CONFLICT (id) DO NOTHING",
	[HK_OVERRIDE] = "INSERT INTO overrides (" OVERRIDE_COLS ") VALUES "
	    "($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING",
};
static const char *const stmt_names[] = {
	[HK_CHECKIN] = "put_checkin", [HK_SESSION] = "put_session",
	[HK_STRENGTH] = "put_strength", [HK_SYMPTOM] = "put_symptom",
	[HK_OVERRIDE] = "put_override",
};

static void
bind_row(struct args *a, const struct hist_row *r)
{
	a_text(a, r->id);
	switch (r->kind) {
	case HK_CHECKIN: {
		const struct hist_checkin *c = &r->u.checkin;
		a_text(a, c->runner);
		a_day(a, r->day);
		a_real(a, c->sleep_h);
		a_int(a, c->pain);
		a_bool(a, c->leak);
		a_bool(a, c->heaviness);
		a_bool(a, c->bleeding);
		a_bool(a, c->limitation);
		a_int(a, c->at);
		break;
	}
	case HK_SESSION: {
		const struct hist_session *s = &r->u.session;
		a_text(a, s->runner);
		a_day(a, r->day);
		a_text(a, s->workout);
		a_bool(a, s->hard);
		a_int(a, s->start);
		a_int(a, s->end);
		a_real(a, s->planned_min);
		a_real(a, s->actual_min);
		a_real(a, s->hard_min);
		a_real(a, s->distance_m);
		a_real(a, s->avg_speed);
		a_real(a, s->max_speed);
		a_int(a, s->avg_hr);
		a_int(a, s->max_hr);
		a_real(a, s->above_cap_s);
		a_text(a, hist_outcome_name(s->outcome));
		a_bool(a, s->symptom);
		a_bool(a, s->backfilled);
		a_text(a, s->treadmill);
		break;
	}
	case HK_STRENGTH: {
		const struct hist_strength *s = &r->u.strength;
		a_text(a, s->runner);
		a_day(a, r->day);
		a_real(a, s->minutes);
		a_int(a, s->at);
		break;
	}
	case HK_SYMPTOM: {
		const struct hist_symptom *s = &r->u.symptom;
		a_text(a, s->runner);
		a_day(a, r->day);
		a_int(a, s->at);
		a_text(a, s->kind);
		a_text(a, s->session_id[0] ? s->session_id : NULL);
		break;
	}
	case HK_OVERRIDE: {
		const struct hist_override *o = &r->u.override;
		a_text(a, o->runner);
		a_day(a, r->day);
		a_int(a, o->at);
		a_bool(a, o->unlock);
		a_text(a, o->staff);
		a_text(a, o->reason);
		break;
	}
	}
}

/* Once per connection, so that a drain of thousands of rows does not
 * parse the same statement thousands of times. */
int
hpg_prepare(PGconn *pg, double deadline, char *err, size_t errlen)
{
	for (int k = HK_CHECKIN; k <= HK_OVERRIDE; k++) {
		PGresult *r;
		int ok;

		if (!PQsendPrepare(pg, stmt_names[k], insert_sql[k], 0, NULL)) {
			snprintf(err, errlen, "%s", PQerrorMessage(pg));
			return -1;
		}
		if ((r = hpg_wait(pg, deadline, err, errlen)) == NULL)
			return -1;
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			hpg_result_error(r, err, errlen);
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

enum hb_result
hpg_insert(PGconn *pg, double deadline, const struct hist_row *row,
    char *err, size_t errlen)
{
	struct args a = { 0 };
	enum hb_result res;
	PGresult *r;

	bind_row(&a, row);
	r = hpg_exec_prepared(pg, deadline, stmt_names[row->kind], a.n, a.v,
	    err, errlen);
	if (r == NULL)
		return HB_TRANSIENT;
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		res = HB_OK;
	else {
		hpg_result_error(r, err, errlen);
		res = hpg_classify(pg, r);
	}
	PQclear(r);
	return res;
}

/* ---- reading ----------------------------------------------------------- */

/* Reads columns of one result row in order; a bad value is reported. */
struct rd {
	PGresult	*r;
	int		 row, col;
	const char	*bad;
	char		 id[HISTORY_ID_LEN];
};

static const char *
rd_raw(struct rd *r)
{
	return PQgetvalue(r->r, r->row, r->col++);
}

static void
rd_text(struct rd *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s", rd_raw(r));	/* NULL reads as "" */
}

static long long
rd_int(struct rd *r)
{
	return strtoll(rd_raw(r), NULL, 10);
}

static double
rd_real(struct rd *r)
{
	if (PQgetisnull(r->r, r->row, r->col)) {
		r->col++;
		return NAN;
	}
	return strtod(rd_raw(r), NULL);
}

static bool
rd_bool(struct rd *r)
{
	return rd_raw(r)[0] == 't';
}

static hday_t
rd_day(struct rd *r)
{
	hday_t d = 0;

	if (hday_parse(rd_raw(r), &d) == -1 && r->bad == NULL)
		r->bad = "bad day";
	return d;
}

static void
dec_checkin(struct rd *r, void *out)
{
	struct hist_checkin *c = out;

	rd_text(r, c->runner, sizeof(c->runner));
	c->day = rd_day(r);
	c->sleep_h = rd_real(r);
	c->pain = (int)rd_int(r);
	c->leak = rd_bool(r);
	c->heaviness = rd_bool(r);
	c->bleeding = rd_bool(r);
	c->limitation = rd_bool(r);
	c->at = (time_t)rd_int(r);
}

static void
dec_session(struct rd *r, void *out)
{
	struct hist_session *s = out;
	char outcome[32];
	int o;

	memcpy(s->id, r->id, sizeof(s->id));
	rd_text(r, s->runner, sizeof(s->runner));
	(void)rd_day(r);	/* derived from start */
	rd_text(r, s->workout, sizeof(s->workout));
	s->hard = rd_bool(r);
	s->start = (time_t)rd_int(r);
	s->end = (time_t)rd_int(r);
	s->planned_min = rd_real(r);
	s->actual_min = rd_real(r);
	s->hard_min = rd_real(r);
	s->distance_m = rd_real(r);
	s->avg_speed = rd_real(r);
	s->max_speed = rd_real(r);
	s->avg_hr = (int)rd_int(r);
	s->max_hr = (int)rd_int(r);
	s->above_cap_s = rd_real(r);
	rd_text(r, outcome, sizeof(outcome));
	if ((o = hist_outcome_parse(outcome)) == -1 && r->bad == NULL)
		r->bad = "unknown outcome";
	s->outcome = o == -1 ? HO_INTERRUPTED : (enum hist_outcome)o;
	s->symptom = rd_bool(r);
	s->backfilled = rd_bool(r);
	rd_text(r, s->treadmill, sizeof(s->treadmill));
}

static void
dec_strength(struct rd *r, void *out)
{
	struct hist_strength *s = out;

	rd_text(r, s->runner, sizeof(s->runner));
	s->day = rd_day(r);
	s->minutes = rd_real(r);
	s->at = (time_t)rd_int(r);
}

static void
dec_symptom(struct rd *r, void *out)
{
	struct hist_symptom *s = out;

	rd_text(r, s->runner, sizeof(s->runner));
	s->day = rd_day(r);
	s->at = (time_t)rd_int(r);
	rd_text(r, s->kind, sizeof(s->kind));
	rd_text(r, s->session_id, sizeof(s->session_id));
}

static void
dec_override(struct rd *r, void *out)
{
	struct hist_override *o = out;

	rd_text(r, o->runner, sizeof(o->runner));
	(void)rd_day(r);	/* derived from at */
	o->at = (time_t)rd_int(r);
	o->unlock = rd_bool(r);
	rd_text(r, o->staff, sizeof(o->staff));
	rd_text(r, o->reason, sizeof(o->reason));
}

/* The read lists: SQLite's, with the day as text. */
static const struct table {
	const char	*name;
	const char	*cols;
	const char	*when;
	bool		 keep_latest;
	size_t		 size;
	void		 (*decode)(struct rd *, void *);
} tables[] = {
	[HK_CHECKIN] = { "checkins", "id, runner, to_char(day, 'YYYY-MM-DD'), "
	    "sleep_h, pain, leak, heaviness, bleeding, limitation, at", "at",
	    false, sizeof(struct hist_checkin), dec_checkin },
	[HK_SESSION] = { "sessions", "id, runner, to_char(day, 'YYYY-MM-DD'), "
	    "workout, hard, start_at, end_at, planned_min, actual_min, "
	    "hard_min, distance_m, avg_speed, max_speed, avg_hr, max_hr, "
	    "above_cap_s, outcome, symptom, backfilled, treadmill", "start_at",
	    false, sizeof(struct hist_session), dec_session },
	[HK_STRENGTH] = { "strength", "id, runner, to_char(day, 'YYYY-MM-DD'), "
	    "minutes, at", "at", false, sizeof(struct hist_strength),
	    dec_strength },
	[HK_SYMPTOM] = { "symptoms", "id, runner, to_char(day, 'YYYY-MM-DD'), "
	    "at, kind, session_id", "at", true, sizeof(struct hist_symptom),
	    dec_symptom },
	[HK_OVERRIDE] = { "overrides", "id, runner, to_char(day, "
	    "'YYYY-MM-DD'), at, unlock, staff, reason", "at", true,
	    sizeof(struct hist_override), dec_override },
};
#define NTABLES	(sizeof(tables) / sizeof(tables[0]))

static void
store(struct runner_history *out, enum hist_kind k, void *rows, size_t n)
{
	switch (k) {
	case HK_CHECKIN:
		out->checkins = rows, out->ncheckins = n;
		break;
	case HK_SESSION:
		out->sessions = rows, out->nsessions = n;
		break;
	case HK_STRENGTH:
		out->strength = rows, out->nstrength = n;
		break;
	case HK_SYMPTOM:
		out->symptoms = rows, out->nsymptoms = n;
		break;
	case HK_OVERRIDE:
		out->overrides = rows, out->noverrides = n;
		break;
	}
}

static char *
select_sql(const struct table *t, int limit)
{
	char *sql;

	if (limit > 0)
		xasprintf(&sql, "SELECT * FROM (SELECT %s, day AS o_day, "
		    "%s AS o_when, seq AS o_seq FROM %s WHERE runner = $1 "
		    "ORDER BY day DESC, %s DESC, seq DESC LIMIT $2) x ORDER "
		    "BY o_day, o_when, o_seq", t->cols, t->when, t->name,
		    t->when);
	else if (t->keep_latest)
		xasprintf(&sql, "SELECT %s FROM %s WHERE runner = $1 AND (day "
		    ">= $2 OR seq = (SELECT seq FROM %s WHERE runner = $1 "
		    "ORDER BY day DESC, %s DESC, seq DESC LIMIT 1)) ORDER BY "
		    "day, %s, seq", t->cols, t->name, t->name, t->when,
		    t->when);
	else
		xasprintf(&sql, "SELECT %s FROM %s WHERE runner = $1 AND day "
		    ">= $2 ORDER BY day, %s, seq", t->cols, t->name, t->when);
	return sql;
}

static int
collect(PGconn *pg, double deadline, enum hist_kind k, const char *runner,
    const char *arg, int limit, struct runner_history *out, char *err,
    size_t errlen)
{
	const struct table *t = &tables[k];
	const char *p[2] = { runner, arg };
	unsigned char *rows;
	char *sql = select_sql(t, limit);
	PGresult *r;
	int n;

	r = hpg_exec(pg, deadline, sql, 2, p, err, errlen);
	free(sql);
	if (r == NULL)
		return -1;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		hpg_result_error(r, err, errlen);
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	rows = n > 0 ? xcalloc((size_t)n, t->size) : NULL;
	for (int i = 0; i < n; i++) {
		struct rd rd = { .r = r, .row = i };

		rd_text(&rd, rd.id, sizeof(rd.id));
		t->decode(&rd, rows + (size_t)i * t->size);
		if (rd.bad != NULL) {
			snprintf(err, errlen, "%s row %s: %s", t->name, rd.id,
			    rd.bad);
			PQclear(r);
			free(rows);
			return -1;
		}
	}
	PQclear(r);
	store(out, k, rows, (size_t)n);
	return 0;
}

/* One snapshot for the five tables, so that no write falls in between. */
int
hpg_read(PGconn *pg, double deadline, const char *runner, hday_t since,
    int limit, struct runner_history *out, char *err, size_t errlen)
{
	char arg[16];
	int rc = 0;

	if (limit > 0)
		snprintf(arg, sizeof(arg), "%d", limit);
	else {
		if (since < hday_from_ymd(1900, 1, 1))
			since = hday_from_ymd(1900, 1, 1);
		if (since > hday_from_ymd(3000, 1, 1))
			since = hday_from_ymd(3000, 1, 1);
		hday_format(since, arg, sizeof(arg));
	}
	if (hpg_command(pg, deadline, "BEGIN ISOLATION LEVEL REPEATABLE READ "
	    "READ ONLY", err, errlen) == -1)
		return -1;
	for (size_t k = 0; k < NTABLES && rc == 0; k++)
		rc = collect(pg, deadline, (enum hist_kind)k, runner, arg,
		    limit, out, err, errlen);
	if (PQstatus(pg) == CONNECTION_OK) {
		char e2[128];
		/* A read-only transaction: ending it cannot lose anything. */
		if (hpg_command(pg, deadline, "ROLLBACK", e2,
		    sizeof(e2)) == -1 && rc == 0) {
			snprintf(err, errlen, "%s", e2);
			rc = -1;
		}
	}
	return rc;
}
