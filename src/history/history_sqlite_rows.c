/*
 * SQLite rows to history records and back.  The column lists serve both
 * directions, so a field cannot be written in one place and read from
 * another.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_sqlite.h"
#include "xmalloc.h"

/* ---- writing ----------------------------------------------------------- */

/* Binds parameters in order; the first failure sticks. */
struct wr {
	sqlite3_stmt	*st;
	int		 col, rc;
};

static void
wr_text(struct wr *w, const char *s)
{
	if (w->rc == SQLITE_OK)
		w->rc = sqlite3_bind_text(w->st, ++w->col, s, -1,
		    SQLITE_TRANSIENT);
}

static void
wr_int(struct wr *w, sqlite3_int64 v)
{
	if (w->rc == SQLITE_OK)
		w->rc = sqlite3_bind_int64(w->st, ++w->col, v);
}

static void
wr_real(struct wr *w, double v)
{
	if (w->rc != SQLITE_OK)
		return;
	/* Explicit, because SQLite would turn NaN into NULL anyway. */
	if (isnan(v))
		w->rc = sqlite3_bind_null(w->st, ++w->col);
	else
		w->rc = sqlite3_bind_double(w->st, ++w->col, v);
}

static void
wr_day(struct wr *w, hday_t d)
{
	char buf[16];

	wr_text(w, hday_format(d, buf, sizeof(buf)));
}

/* Column lists shared by the writes and the reads, in binding order. */
#define CHECKIN_COLS	"id, runner, day, sleep_h, pain, leak, " \
			"heaviness, bleeding, limitation, at"
#define SESSION_COLS	"id, runner, day, workout, hard, start_at, " \
			"end_at, planned_min, actual_min, hard_min, " \
			"distance_m, avg_speed, max_speed, avg_hr, max_hr, " \
			"above_cap_s, outcome, symptom, backfilled, treadmill"
#define STRENGTH_COLS	"id, runner, day, minutes, at"
#define SYMPTOM_COLS	"id, runner, day, at, kind, session_id"
#define OVERRIDE_COLS	"id, runner, day, at, unlock, staff, reason"

/*
 * A retried write may already have landed (an error after the commit):
 * DO NOTHING on the same id keeps that from failing or duplicating.
 */
static const char *const insert_sql[] = {
	[HK_CHECKIN] = "INSERT INTO checkins (" CHECKIN_COLS ") VALUES "
	    "(?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
	[HK_SESSION] = "INSERT INTO sessions (" SESSION_COLS ") VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
	    "ON CONFLICT (id) DO UPDATE SET runner = excluded.runner, "
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
	    "(?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
	[HK_SYMPTOM] = "INSERT INTO symptoms (" SYMPTOM_COLS ") VALUES "
	    "(?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
	[HK_OVERRIDE] = "INSERT INTO overrides (" OVERRIDE_COLS ") VALUES "
	    "(?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
};

static void
bind_row(struct wr *w, const struct hist_row *r)
{
	wr_text(w, r->id);
	switch (r->kind) {
	case HK_CHECKIN: {
		const struct hist_checkin *c = &r->u.checkin;
		wr_text(w, c->runner);
		wr_day(w, r->day);
		wr_real(w, c->sleep_h);
		wr_int(w, c->pain);
		wr_int(w, c->leak);
		wr_int(w, c->heaviness);
		wr_int(w, c->bleeding);
		wr_int(w, c->limitation);
		wr_int(w, c->at);
		break;
	}
	case HK_SESSION: {
		const struct hist_session *s = &r->u.session;
		wr_text(w, s->runner);
		wr_day(w, r->day);
		wr_text(w, s->workout);
		wr_int(w, s->hard);
		wr_int(w, s->start);
		wr_int(w, s->end);
		wr_real(w, s->planned_min);
		wr_real(w, s->actual_min);
		wr_real(w, s->hard_min);
		wr_real(w, s->distance_m);
		wr_real(w, s->avg_speed);
		wr_real(w, s->max_speed);
		wr_int(w, s->avg_hr);
		wr_int(w, s->max_hr);
		wr_real(w, s->above_cap_s);
		wr_text(w, hist_outcome_name(s->outcome));
		wr_int(w, s->symptom);
		wr_int(w, s->backfilled);
		wr_text(w, s->treadmill);
		break;
	}
	case HK_STRENGTH: {
		const struct hist_strength *s = &r->u.strength;
		wr_text(w, s->runner);
		wr_day(w, r->day);
		wr_real(w, s->minutes);
		wr_int(w, s->at);
		break;
	}
	case HK_SYMPTOM: {
		const struct hist_symptom *s = &r->u.symptom;
		wr_text(w, s->runner);
		wr_day(w, r->day);
		wr_int(w, s->at);
		wr_text(w, s->kind);
		if (s->session_id[0] == '\0') {
			if (w->rc == SQLITE_OK)
				w->rc = sqlite3_bind_null(w->st, ++w->col);
		} else
			wr_text(w, s->session_id);
		break;
	}
	case HK_OVERRIDE: {
		const struct hist_override *o = &r->u.override;
		wr_text(w, o->runner);
		wr_day(w, r->day);
		wr_int(w, o->at);
		wr_int(w, o->unlock);
		wr_text(w, o->staff);
		wr_text(w, o->reason);
		break;
	}
	}
}

/* Errors of the surroundings may pass; errors of the row will not. */
static enum hb_result
classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
	case SQLITE_PROTOCOL:
	case SQLITE_READONLY:
		return HB_TRANSIENT;
	default:
		return HB_PERMANENT;
	}
}

/* One statement in autocommit mode: its own durable transaction. */
enum hb_result
hsql_put(struct hb_conn *c, const struct hist_row *r, char *err,
    size_t errlen)
{
	struct wr w = { .rc = SQLITE_OK };
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, insert_sql[r->kind], -1, &w.st,
	    NULL)) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
		return classify(rc);
	}
	bind_row(&w, r);
	if ((rc = w.rc) == SQLITE_OK && (rc = sqlite3_step(w.st)) ==
	    SQLITE_DONE)
		rc = SQLITE_OK;
	else
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(w.st);
	return rc == SQLITE_OK ? HB_OK : classify(rc);
}

/* ---- reading ----------------------------------------------------------- */

/* Reads columns in order; a bad value is reported, not guessed at. */
struct rd {
	sqlite3_stmt	*st;
	int		 col;
	const char	*bad;
	char		 id[HISTORY_ID_LEN];
};

static void
rd_text(struct rd *r, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(r->st, r->col++);

	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

static sqlite3_int64
rd_int(struct rd *r)
{
	return sqlite3_column_int64(r->st, r->col++);
}

static double
rd_real(struct rd *r)
{
	if (sqlite3_column_type(r->st, r->col) == SQLITE_NULL) {
		r->col++;
		return NAN;
	}
	return sqlite3_column_double(r->st, r->col++);
}

static hday_t
rd_day(struct rd *r)
{
	char buf[16];
	hday_t d = 0;

	rd_text(r, buf, sizeof(buf));
	if (hday_parse(buf, &d) == -1 && r->bad == NULL)
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
	c->leak = rd_int(r) != 0;
	c->heaviness = rd_int(r) != 0;
	c->bleeding = rd_int(r) != 0;
	c->limitation = rd_int(r) != 0;
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
	s->hard = rd_int(r) != 0;
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
	s->symptom = rd_int(r) != 0;
	s->backfilled = rd_int(r) != 0;
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
	rd_text(r, s->session_id, sizeof(s->session_id));	/* NULL: "" */
}

static void
dec_override(struct rd *r, void *out)
{
	struct hist_override *o = out;

	rd_text(r, o->runner, sizeof(o->runner));
	(void)rd_day(r);	/* derived from at */
	o->at = (time_t)rd_int(r);
	o->unlock = rd_int(r) != 0;
	rd_text(r, o->staff, sizeof(o->staff));
	rd_text(r, o->reason, sizeof(o->reason));
}

static const struct table {
	const char	*name;
	const char	*cols;
	const char	*when;		/* orders the rows of one day */
	bool		 keep_latest;	/* load: the last row, however old */
	size_t		 size;
	void		 (*decode)(struct rd *, void *);
} tables[] = {
	[HK_CHECKIN] = { "checkins", CHECKIN_COLS, "at", false,
	    sizeof(struct hist_checkin), dec_checkin },
	[HK_SESSION] = { "sessions", SESSION_COLS, "start_at", false,
	    sizeof(struct hist_session), dec_session },
	[HK_STRENGTH] = { "strength", STRENGTH_COLS, "at", false,
	    sizeof(struct hist_strength), dec_strength },
	[HK_SYMPTOM] = { "symptoms", SYMPTOM_COLS, "at", true,
	    sizeof(struct hist_symptom), dec_symptom },
	[HK_OVERRIDE] = { "overrides", OVERRIDE_COLS, "at", true,
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

/*
 * Prepare sql (?1 runner, ?2 the day or the limit), step it, decode every
 * row into a fresh array and store it in out.  Columns: seq (the rowid,
 * which breaks ties in the order), then the table's own.
 */
static int
collect(struct hb_conn *c, enum hist_kind k, const char *sql,
    const char *runner, const char *day, int limit,
    struct runner_history *out, char *err, size_t errlen)
{
	const struct table *t = &tables[k];
	unsigned char *rows = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		hsql_error(c, t->name, err, errlen);
		return -1;
	}
	sqlite3_bind_text(st, 1, runner, -1, SQLITE_STATIC);
	if (day != NULL)
		sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rd r = { .st = st, .col = 1 };

		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			rows = xreallocarray(rows, cap, t->size);
		}
		memset(rows + n * t->size, 0, t->size);
		rd_text(&r, r.id, sizeof(r.id));
		t->decode(&r, rows + n * t->size);
		if (r.bad != NULL) {
			snprintf(err, errlen, "history %s: %s row %s: %s",
			    c->path, t->name, r.id, r.bad);
			goto fail;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		hsql_error(c, t->name, err, errlen);
		goto fail;
	}
	sqlite3_finalize(st);
	store(out, k, rows, n);
	return 0;
fail:
	sqlite3_finalize(st);
	free(rows);
	return -1;
}

/* One snapshot for all the tables, so that no write falls in between. */
static int
read_all(struct hb_conn *c, const char *runner, hday_t since, int limit,
    struct runner_history *out, char *err, size_t errlen)
{
	char day[16], *sql;
	int rc = 0;

	if (hsql_exec(c, "BEGIN", NULL, err, errlen) == -1)
		return -1;
	/* Keep the text comparable with the stored days (DAY_COLUMN). */
	if (since < hday_from_ymd(1900, 1, 1))
		since = hday_from_ymd(1900, 1, 1);
	if (since > hday_from_ymd(3000, 1, 1))
		since = hday_from_ymd(3000, 1, 1);
	hday_format(since, day, sizeof(day));
	for (size_t k = 0; k < NTABLES && rc == 0; k++) {
		const struct table *t = &tables[k];

		/* Each walks the (runner, day, time) index in order. */
		if (limit > 0)
			xasprintf(&sql, "SELECT * FROM (SELECT rowid AS seq, "
			    "%s FROM %s WHERE runner = ?1 ORDER BY day DESC, "
			    "%s DESC, seq DESC LIMIT ?2) ORDER BY day, %s, seq",
			    t->cols, t->name, t->when, t->when);
		else if (t->keep_latest)
			xasprintf(&sql, "SELECT rowid AS seq, %s FROM %s "
			    "WHERE runner = ?1 AND day >= ?2 UNION SELECT * "
			    "FROM (SELECT rowid AS seq, %s FROM %s WHERE "
			    "runner = ?1 ORDER BY day DESC, %s DESC, seq DESC "
			    "LIMIT 1) ORDER BY day, %s, seq", t->cols, t->name,
			    t->cols, t->name, t->when, t->when);
		else
			xasprintf(&sql, "SELECT rowid AS seq, %s FROM %s "
			    "WHERE runner = ?1 AND day >= ?2 "
			    "ORDER BY day, %s, seq", t->cols, t->name, t->when);
		rc = collect(c, (enum hist_kind)k, sql, runner,
		    limit > 0 ? NULL : day, limit, out, err, errlen);
		free(sql);
	}
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

const char *
hsql_table(enum hist_kind k)
{
	return tables[k].name;
}

int
hsql_get(struct hb_conn *c, enum hist_kind k, const char *id,
    struct hist_row *out, char *err, size_t errlen)
{
	const struct table *t = &tables[k];
	sqlite3_stmt *st;
	char *sql;
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	out->kind = k;
	xasprintf(&sql, "SELECT day, %s FROM %s WHERE id = ?1", t->cols,
	    t->name);
	rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		hsql_error(c, t->name, err, errlen);
		return -1;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rd r = { .st = st };

		/* The stored day, not one derived again: it is what was
		 * written, whatever the time zone is now. */
		out->day = rd_day(&r);
		rd_text(&r, r.id, sizeof(r.id));
		memcpy(out->id, r.id, sizeof(out->id));
		t->decode(&r, &out->u);
		if (r.bad != NULL) {
			snprintf(err, errlen, "history %s: %s row %s: %s",
			    c->path, t->name, r.id, r.bad);
			found = -1;
		} else
			found = 1;
	} else if (rc != SQLITE_DONE) {
		hsql_error(c, t->name, err, errlen);
		found = -1;
	}
	sqlite3_finalize(st);
	return found;
}

int
hsql_load(struct hb_conn *c, const char *runner, hday_t since,
    struct runner_history *out, char *err, size_t errlen)
{
	return read_all(c, runner, since, 0, out, err, errlen);
}

int
hsql_list(struct hb_conn *c, const char *runner, int max_rows,
    struct runner_history *out, char *err, size_t errlen)
{
	return read_all(c, runner, 0, max_rows, out, err, errlen);
}

