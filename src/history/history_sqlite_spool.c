/*
 * The SQLite backend as PostgreSQL's spool.  A spool is an ordinary
 * history file (so reads merge it in with hist_sq_read, and sqlite3(1)
 * reads it), plus spool_order: the order rows arrived in, across the
 * tables, so that delivery sends the oldest first, and each row's
 * version, bumped when a session's newer checkpoint replaces it.
 *
 * The writer thread puts rows in; the delivery thread (history_spool.c)
 * takes them out, each only after PostgreSQL committed it and only if its
 * version is still the one sent: a crash in between sends it again, which
 * the row's id makes harmless.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_sqlite.h"
#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

/*
 * Every row of the tables is queued, also one the order table lost
 * (someone's sqlite3, an older spool): what is in the spool has not been
 * delivered, so it must be.
 */
int
hist_sq_spool_init(struct hb_conn *c, unsigned long *count, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	char *sql;
	int rc;

	if (hist_sq_exec(c, "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS "
	    "spool_order (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER "
	    "NOT NULL, id TEXT NOT NULL UNIQUE, ver INTEGER NOT NULL DEFAULT "
	    "0) STRICT", "spool", err,
	    errlen) == -1)
		goto fail;
	for (int k = HK_CHECKIN; k < HIST_KINDS; k++) {
		xasprintf(&sql, "INSERT OR IGNORE INTO spool_order (kind, id) "
		    "SELECT %d, id FROM %s ORDER BY rowid", k,
		    hist_tables[k].name);
		rc = hist_sq_exec(c, sql, "spool", err, errlen);
		free(sql);
		if (rc == -1)
			goto fail;
	}
	if (hist_sq_exec(c, "COMMIT", "spool", err, errlen) == -1)
		goto fail;
	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM spool_order", -1,
	    &st, NULL) != SQLITE_OK) {
		hist_sq_error(c, "spool", err, errlen);
		return -1;
	}
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? (unsigned long)sqlite3_column_int64(st, 0) :
	    0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		hist_sq_error(c, "spool", err, errlen);
		return -1;
	}
	return 0;
fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

enum hb_result
hist_sq_spool_put(struct hb_conn *c, const struct hist_row *r, bool *added,
    char *err, size_t errlen)
{
	enum hb_result res;
	sqlite3_stmt *st;
	int rc;

	*added = false;
	/* Busy or full: the writer keeps the row and retries. */
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
		return HB_TRANSIENT;
	}
	if ((res = hist_sq_put(c, r, err, errlen)) != HB_OK)
		goto rollback;
	res = HB_TRANSIENT;
	if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO spool_order "
	    "(kind, id) VALUES (?1, ?2)", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
		goto rollback;
	}
	sqlite3_bind_int(st, 1, (int)r->kind);
	sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	/* A session's later checkpoint replaces its row and keeps its
	 * place: it is one row waiting, not two; but a new version, so
	 * that a delivery of the older one does not take it out. */
	*added = rc == SQLITE_DONE && sqlite3_changes(c->db) > 0;
	if (rc == SQLITE_DONE && !*added) {
		if (sqlite3_prepare_v2(c->db, "UPDATE spool_order SET ver = "
		    "ver + 1 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
			goto rollback;
		}
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE || sqlite3_exec(c->db, "COMMIT", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c->db));
		*added = false;
		goto rollback;
	}
	return HB_OK;
rollback:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return res;
}

int
hist_sq_spool_oldest(struct hb_conn *c, struct hist_row *rows, long long *vers,
    size_t max, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t n = 0;
	int rc, got;

	/* One snapshot: a row and its version as they were together. */
	if (hist_sq_exec(c, "BEGIN", "spool", err, errlen) == -1)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT kind, id, ver FROM spool_order "
	    "ORDER BY seq LIMIT ?1", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		hist_sq_error(c, "spool", err, errlen);
		return -1;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		const char *id = (const char *)sqlite3_column_text(st, 1);

		if (kind < HK_CHECKIN || kind >= HIST_KINDS || id == NULL) {
			snprintf(err, errlen, "history %s: spool_order has a "
			    "row of unknown kind %d", c->path, kind);
			goto fail;
		}
		vers[n] = sqlite3_column_int64(st, 2);
		got = hist_sq_get(c, (enum hist_kind)kind, id, &rows[n], err,
		    errlen);
		if (got == -1)
			goto fail;
		/* Gone from its table (removed by hand): nothing to send;
		 * the entry goes with the batch. */
		if (got == 0) {
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n].kind = (enum hist_kind)kind;
			snprintf(rows[n].id, sizeof(rows[n].id), "%s", id);
			rows[n].day = HIST_SQ_GONE;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		hist_sq_error(c, "spool", err, errlen);
		goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	return (int)n;
fail:
	sqlite3_finalize(st);
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
hist_sq_spool_forget(struct hb_conn *c, const struct hist_row *rows,
    const long long *vers, size_t n, char *err, size_t errlen)
{
	sqlite3_stmt *del[HIST_KINDS] = { 0 }, *ord = NULL;
	int gone = 0, rc = SQLITE_OK;
	char *sql;

	if (hist_sq_exec(c, "BEGIN IMMEDIATE", "spool", err, errlen) == -1)
		return -1;
	for (int k = HK_CHECKIN; k < HIST_KINDS && rc == SQLITE_OK; k++) {
		xasprintf(&sql, "DELETE FROM %s WHERE id = ?1",
		    hist_tables[k].name);
		rc = sqlite3_prepare_v2(c->db, sql, -1, &del[k], NULL);
		free(sql);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->db, "DELETE FROM spool_order WHERE "
		    "id = ?1 AND ver = ?2", -1, &ord, NULL);
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		sqlite3_stmt *st = del[rows[i].kind];
		int changed;

		/* Changed since it was sent: it stays, to go again. */
		sqlite3_bind_text(ord, 1, rows[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ord, 2, vers[i]);
		rc = sqlite3_step(ord) == SQLITE_DONE ? SQLITE_OK :
		    SQLITE_ERROR;
		changed = sqlite3_changes(c->db) == 0;
		sqlite3_reset(ord);
		if (rc != SQLITE_OK || changed)
			continue;
		gone++;
		sqlite3_bind_text(st, 1, rows[i].id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK :
		    SQLITE_ERROR;
		sqlite3_reset(st);
	}
	if (rc != SQLITE_OK)
		hist_sq_error(c, "spool", err, errlen);
	for (int k = HK_CHECKIN; k < HIST_KINDS; k++)
		sqlite3_finalize(del[k]);
	sqlite3_finalize(ord);
	if (rc != SQLITE_OK || hist_sq_exec(c, "COMMIT", "spool", err,
	    errlen) == -1) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return gone;
}
