/*
 * SQLite rows to history records and back: the binding and reading of
 * each column type.  Which columns a kind has is history_tables.c's, so
 * a field cannot be written in one place and read from another.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_sqlite.h"
#include "history_tables.h"
#include "xmalloc.h"

/* ---- writing ----------------------------------------------------------- */

/* One column's parameter (i 1-based). */
static int
bind_col(sqlite3_stmt *st, int i, const struct hist_col *c, const void *f)
{
	char buf[16];

	switch (c->type) {
	case HC_NTEXT:
		if (*(const char *)f == '\0')
			return sqlite3_bind_null(st, i);
		/* FALLTHROUGH */
	case HC_TEXT:
		return sqlite3_bind_text(st, i, f, -1, SQLITE_TRANSIENT);
	case HC_INT:
		return sqlite3_bind_int64(st, i, *(const int *)f);
	case HC_TIME:
		return sqlite3_bind_int64(st, i, *(const time_t *)f);
	case HC_BOOL:
		return sqlite3_bind_int(st, i, *(const bool *)f);
	case HC_REAL:
		/* Explicit, because SQLite would turn NaN into NULL anyway. */
		if (isnan(*(const double *)f))
			return sqlite3_bind_null(st, i);
		return sqlite3_bind_double(st, i, *(const double *)f);
	case HC_DAY:
		return sqlite3_bind_text(st, i, hday_format(*(const hday_t *)f,
		    buf, sizeof(buf)), -1, SQLITE_TRANSIENT);
	case HC_OUTCOME:
		return sqlite3_bind_text(st, i, hist_outcome_name(
		    *(const enum hist_outcome *)f), -1, SQLITE_STATIC);
	}
	return SQLITE_MISUSE;
}

static int
bind_row(sqlite3_stmt *st, const struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[r->kind];
	int rc = SQLITE_OK;

	for (int i = 0; i < t->ncols && rc == SQLITE_OK; i++)
		rc = bind_col(st, i + 1, &t->cols[i],
		    hist_cfield(r, &t->cols[i]));
	return rc;
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
hist_sq_put(struct hb_conn *c, const struct hist_row *r, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, hist_sql(r->kind)->insert_sqlite,
	    -1, &st, NULL)) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
		return classify(rc);
	}
	if ((rc = bind_row(st, r)) == SQLITE_OK && (rc = sqlite3_step(st)) ==
	    SQLITE_DONE)
		rc = SQLITE_OK;
	else
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? HB_OK : classify(rc);
}

/* ---- reading ----------------------------------------------------------- */

/*
 * One column into its field; a bad value is reported, not guessed at.
 * Only text columns are read as text: asking SQLite for a number's text
 * converts it, row after row.
 */
static const char *
read_col(sqlite3_stmt *st, int i, const struct hist_col *c, void *f)
{
	const unsigned char *t = NULL;
	int o;

	if (c->type == HC_TEXT || c->type == HC_NTEXT || c->type == HC_DAY ||
	    c->type == HC_OUTCOME)
		t = sqlite3_column_text(st, i);
	switch (c->type) {
	case HC_TEXT:
	case HC_NTEXT: {
		size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;

		if (n >= c->len)
			n = c->len - 1;
		if (n > 0)
			memcpy(f, t, n);
		((char *)f)[n] = '\0';
		break;
	}
	case HC_INT:
		*(int *)f = (int)sqlite3_column_int64(st, i);
		break;
	case HC_TIME:
		*(time_t *)f = (time_t)sqlite3_column_int64(st, i);
		break;
	case HC_BOOL:
		*(bool *)f = sqlite3_column_int64(st, i) != 0;
		break;
	case HC_REAL:
		*(double *)f = sqlite3_column_type(st, i) == SQLITE_NULL ?
		    NAN : sqlite3_column_double(st, i);
		break;
	case HC_DAY:
		if (t == NULL || hday_parse((const char *)t, f) == -1)
			return "bad day";
		break;
	case HC_OUTCOME:
		o = t ? hist_outcome_parse((const char *)t) : -1;
		*(enum hist_outcome *)f = o == -1 ? HO_INTERRUPTED :
		    (enum hist_outcome)o;
		if (o == -1)
			return "unknown outcome";
		break;
	}
	return NULL;
}

/* The table's columns, from the statement's first; NULL, or what was
 * bad.  Only the record's own part of the row is cleared: a row is as
 * big as the biggest kind. */
static const char *
read_row(sqlite3_stmt *st, enum hist_kind k, struct hist_row *r)
{
	const struct hist_table *t = &hist_tables[k];
	const char *bad = NULL, *b;

	memset(r, 0, offsetof(struct hist_row, u) + t->size);
	r->kind = k;
	for (int i = 0; i < t->ncols; i++)
		if ((b = read_col(st, i, &t->cols[i],
		    hist_field(r, &t->cols[i]))) != NULL && bad == NULL)
			bad = b;
	hist_row_settle(r);
	return bad;
}

/*
 * Every read: hist_sql(k)->select[how] with key (?1) and the rest of a
 * read's parameters (a; NULL for none).  Each row is decoded into one
 * (the first only), or into a fresh array of the kind's records stored
 * in out.  How many rows, or -1.
 */
static int
select_rows(struct hb_conn *c, enum hist_kind k, enum hist_select how,
    const char *key, const struct hist_args *a, struct hist_row *one,
    struct runner_history *out, char *err, size_t errlen)
{
	const struct hist_table *t = &hist_tables[k];
	sqlite3_stmt **st = &c->reads[k][how];
	unsigned char *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	/* Kept for the next read: reset and cleared after each, so that
	 * it holds neither a transaction open nor the caller's strings. */
	if (*st == NULL && sqlite3_prepare_v3(c->db,
	    hist_sql(k)->select[how][0], -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		*st = NULL;
		hist_sq_error(c, t->name, err, errlen);
		return -1;
	}
	sqlite3_bind_text(*st, 1, key, -1, SQLITE_STATIC);
	if (a != NULL)
		sqlite3_bind_text(*st, 2, a->arg, -1, SQLITE_STATIC);
	if (a != NULL && a->n > 2)
		sqlite3_bind_double(*st, 3, a->threshold);
	while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
		struct hist_row r;
		const char *bad;

		if ((bad = read_row(*st, k, &r)) != NULL) {
			snprintf(err, errlen, "history %s: %s row %s: %s",
			    c->path, t->name, r.id, bad);
			goto fail;
		}
		/* The window has it already. */
		if (how == HS_RULES && r.day >= a->since &&
		    sqlite3_column_int(*st, HIST_COL_RULE(t)) == 1)
			continue;
		if (one != NULL) {
			memcpy(one, &r, offsetof(struct hist_row, u) + t->size);
			n = 1;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			rows = xreallocarray(rows, cap, t->size);
		}
		memcpy(rows + n++ * t->size, &r.u, t->size);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		hist_sq_error(c, t->name, err, errlen);
		goto fail;
	}
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	if (one == NULL)
		hist_rh_set(out, k, rows, n);
	return (int)n;
fail:
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	free(rows);
	return -1;
}

/* One snapshot for all the tables, so that no write falls in between.
 * Also the spool's: its rows are a file of the same tables. */
int
hist_sq_read(struct hb_conn *c, const char *runner, const struct hist_read *rd,
    struct runner_history *out, char *err, size_t errlen)
{
	enum hist_select how;
	struct hist_args a;
	int rc = 0;

	if (hist_sq_exec(c, "BEGIN", NULL, err, errlen) == -1)
		return -1;
	for (int k = 0; k < HIST_RH_KINDS && rc != -1; k++) {
		hist_read_plan((enum hist_kind)k, rd, &how, &a);
		rc = select_rows(c, (enum hist_kind)k, how, runner, &a, NULL,
		    out, err, errlen);
	}
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	return rc == -1 ? -1 : 0;
}

/* The stored day, not one derived again: it is what was written,
 * whatever the time zone is now. */
int
hist_sq_get(struct hb_conn *c, enum hist_kind k, const char *id,
    struct hist_row *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->kind = k;
	return select_rows(c, k, HS_GET, id, NULL, out, NULL, err, errlen);
}

int
hist_sq_latest(struct hb_conn *c, enum hist_kind k, const char *runner,
    struct hist_row *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->kind = k;
	return select_rows(c, k, HS_LATEST, runner, NULL, out, NULL, err,
	    errlen);
}
