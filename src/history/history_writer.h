/*
 * The history's writer thread (history_writer.c): a queue of owned rows
 * drained into one backend connection, one transaction per row, and the
 * policy for rows that fail.  Internal to history.c.
 */
#ifndef TREAD_HISTORY_WRITER_H
#define TREAD_HISTORY_WRITER_H

#include "history_backend.h"

struct hist_writer;
struct hist_spool;

/* Start the thread on conn (which stays the caller's to close).  With a
 * spool, rows go into it instead (hist_spool_put); it stays the
 * caller's too. */
struct hist_writer *hist_writer_start(const struct history_backend *,
	    struct hb_conn *, struct hist_spool *, const char *path,
	    char *err, size_t errlen);
/* Write what is queued, retry once more, log what is left, join. */
void	 hist_writer_stop(struct hist_writer *);
/* Queue a copy of the row; returns at once. */
void	 hist_writer_push(struct hist_writer *, const struct hist_row *);
/* Count and log a row refused before it reached the queue. */
void	 hist_writer_refuse(struct hist_writer *, const struct hist_row *,
	    const char *why);
/* Wait for everything queued so far; 0 if all of it is on disk. */
int	 hist_writer_sync(struct hist_writer *);
unsigned long hist_writer_errors(struct hist_writer *);
void	 hist_writer_last_error(struct hist_writer *, char *buf,
	    size_t len);
/* A row in words: everything needed to enter it again by hand. */
void	 hist_row_describe(const struct hist_row *, char *buf, size_t len);
/*
 * What may be logged above debug: the row's kind, id, runner and day,
 * none of its health data (a check-in's flags, a symptom's kind).  The
 * callers log the whole row (hist_row_describe) at debug.
 */
void	 hist_row_summary(const struct hist_row *, char *buf, size_t len);

#endif
