/*
 * Inside the SQLite backend: history_sqlite.c keeps the file (opening,
 * schema, recovery), history_sqlite_rows.c maps rows to columns and back,
 * history_sqlite_spool.c serves PostgreSQL's spool.
 */
#ifndef TREAD_HISTORY_SQLITE_H
#define TREAD_HISTORY_SQLITE_H

#include <sqlite3.h>

#include "history_backend.h"
#include "history_tables.h"

struct hb_conn {
	sqlite3	*db;
	char	*path;
	/* The reads, each prepared at its first use and kept. */
	sqlite3_stmt *reads[HIST_KINDS][HIST_SELECTS];
};

/* "history PATH: [what: ]sqlite's message" into err. */
void	 hist_sq_error(const struct hb_conn *, const char *what, char *err,
	    size_t errlen);
int	 hist_sq_exec(struct hb_conn *, const char *sql, const char *what,
	    char *err, size_t errlen);

enum hb_result hist_sq_put(struct hb_conn *, const struct hist_row *,
	    char *err, size_t errlen);
int	 hist_sq_read(struct hb_conn *, const char *runner,
	    const struct hist_read *, struct runner_history *, char *err,
	    size_t errlen);
/* The runner's newest row of a kind; 1 if found, 0 if none, -1 on
 * error. */
int	 hist_sq_latest(struct hb_conn *, enum hist_kind, const char *runner,
	    struct hist_row *, char *err, size_t errlen);
/* The spool's delivery: one row by id, with its kind and day; 1 if found,
 * 0 if not there, -1 on error. */
int	 hist_sq_get(struct hb_conn *, enum hist_kind, const char *id,
	    struct hist_row *, char *err, size_t errlen);

#endif
