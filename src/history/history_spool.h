/*
 * The spool in front of the shared database, an outbox with its own
 * delivery thread (history_spool.c), and the merge of its rows into a
 * read (history_merge.c).  Internal to history.c and the writer thread.
 */
#ifndef TREAD_HISTORY_SPOOL_H
#define TREAD_HISTORY_SPOOL_H

#include "history_backend.h"

struct hist_spool;

/*
 * Start the delivery thread.  pconn: the shared database (PostgreSQL),
 * wconn: the spool for the writer thread's puts, dconn: the spool for
 * delivery; both spool connections prepared with hist_sq_spool_init (count:
 * the rows in it).  The connections stay the caller's to close, after
 * hist_spool_stop; until then each is used by one thread only.
 */
struct hist_spool *hist_spool_start(struct hb_conn *pconn,
	    struct hb_conn *wconn, struct hb_conn *dconn,
	    const char *spool_path, unsigned long count, double final_s,
	    char *err, size_t errlen);
/* Stop delivering, after one last go of at most final_s seconds. */
void	 hist_spool_stop(struct hist_spool *);

/* The writer thread's put: into the spool, and delivery is woken. */
enum hb_result hist_spool_put(struct hist_spool *, const struct hist_row *,
	    char *err, size_t errlen);

/* Any thread. */
unsigned long hist_spool_count(struct hist_spool *);
unsigned long hist_spool_lost(struct hist_spool *);
void	 hist_spool_link_error(struct hist_spool *, char *buf, size_t len);

/*
 * Merge the spool's rows for a runner (add, read first) into what the
 * database gave (dst, read after: a row delivered in between is in both,
 * never in neither), both read as rd asks.  Keeps each kind in (day,
 * time) order, drops the copies, prefers the spool's state of a session;
 * for a load keeps of the symptoms before its first day only the last,
 * for a listing only the last rd->limit rows of each kind.  Frees add.
 */
void	 hist_merge(struct runner_history *dst, struct runner_history *add,
	    const struct hist_read *rd);

#endif
