/*
 * The history's writer thread.  Callers queue owned copies of rows and
 * return at once, so the control loop never waits on a disk; one thread
 * writes them, in order, one transaction each.
 *
 * A failed write is never dropped silently.  Its content is logged at
 * once, so staff can re-enter it even if the daemon dies next.  Failures
 * that may pass (busy, disk full, I/O) keep the row in memory, retried
 * after the next good write, on every sync and every RETRY_SECONDS; the
 * rest, and whatever still fails at close, are logged as LOST.
 *
 * With the shared database, rows go into its spool (history_spool.c),
 * a local file: this thread never waits on the network either.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_spool.h"
#include "history_tables.h"
#include "history_writer.h"
#include "log.h"
#include "xmalloc.h"

#define RETRY_SECONDS	10
#define RETRY_MAX	1000	/* rows kept for retry, then the oldest go */

struct hist_op {
	struct hist_op	*next;
	uint64_t	 seq;
	bool		 barrier;	/* a sync's marker, no row */
	struct hist_row	 row;
};

struct hist_writer {
	char		*path;
	const struct history_backend *be;
	struct hb_conn	*conn;		/* used by the thread only */
	struct hist_spool *spool;	/* NULL, or rows go through it */
	pthread_t	 thread;

	pthread_mutex_t	 lock;		/* guards everything below */
	pthread_cond_t	 wake;		/* to the thread: work, stop */
	pthread_cond_t	 done;		/* to sync: an op is done */
	struct hist_op	*head, **tailp;
	uint64_t	 next_seq, done_seq;
	bool		 stopping;
	unsigned long	 errors;	/* writes that failed */
	unsigned long	 dropped;	/* rows given up for good */
	unsigned long	 dropped_synced; /* dropped at the last sync */
	size_t		 nretry;
	char		 last_error[512];

	struct hist_op	*retry;		/* the thread's alone; oldest first */
};

/* ---- describing a row, for the log ------------------------------------ */

static const char *
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, len, "@%lld", (long long)t);
	return buf;
}

void
hist_row_summary(const struct hist_row *r, char *buf, size_t len)
{
	const struct hist_table *t = &hist_tables[r->kind];
	char day[16];

	hday_format(r->day, day, sizeof(day));
	/* runner is every table's second column */
	snprintf(buf, len, "%s %s runner=%s day=%s (every column at debug)",
	    t->what, r->id, (const char *)hist_cfield(r, &t->cols[1]), day);
}

/* Everything needed to enter the row again by hand: every column of its
 * table, "session ID runner=ann day=2026-03-02 ...". */
void
hist_row_describe(const struct hist_row *r, char *buf, size_t len)
{
	const struct hist_table *t = &hist_tables[r->kind];
	size_t at;
	int n;

	n = snprintf(buf, len, "%s %s", t->what, r->id);
	for (int i = 1; i < t->ncols && n >= 0 && (size_t)n < len; i++) {
		const struct hist_col *c = &t->cols[i];
		const void *f = hist_cfield(r, c);
		char v[40];

		at = (size_t)n;
		switch (c->type) {
		case HC_TEXT:
		case HC_NTEXT:
			/* Quoted when it would not read back as one word. */
			n += snprintf(buf + at, len - at,
			    strpbrk(f, " \t\"=") || *(const char *)f == '\0' ?
			    " %s=\"%s\"" : " %s=%s", c->name, (const char *)f);
			continue;
		case HC_INT:
			snprintf(v, sizeof(v), "%d", *(const int *)f);
			break;
		case HC_TIME:
			n += snprintf(buf + at, len - at, " %s=\"%s\"", c->name,
			    fmt_time(*(const time_t *)f, v, sizeof(v)));
			continue;
		case HC_BOOL:
			snprintf(v, sizeof(v), "%d", *(const bool *)f);
			break;
		case HC_REAL:
			snprintf(v, sizeof(v), "%g", *(const double *)f);
			break;
		case HC_DAY:
			hday_format(*(const hday_t *)f, v, sizeof(v));
			break;
		case HC_OUTCOME:
			snprintf(v, sizeof(v), "%s", hist_outcome_name(
			    *(const enum hist_outcome *)f));
			break;
		}
		n += snprintf(buf + at, len - at, " %s=%s", c->name, v);
	}
}

/* ---- the writer thread ------------------------------------------------ */

static void
note_failure(struct hist_writer *w, const struct hist_row *r, const char *err,
    bool first)
{
	pthread_mutex_lock(&w->lock);
	if (first)
		w->errors++;
	snprintf(w->last_error, sizeof(w->last_error), "%s %s: %s",
	    hist_tables[r->kind].what, r->id, err);
	pthread_mutex_unlock(&w->lock);
}

static void
drop(struct hist_writer *w, struct hist_op *op, const char *why)
{
	char desc[1024];

	hist_row_summary(&op->row, desc, sizeof(desc));
	log_warnx("history %s: LOST (%s), enter it again: %s", w->path, why,
	    desc);
	hist_row_describe(&op->row, desc, sizeof(desc));
	log_debug("history %s: LOST: %s", w->path, desc);
	pthread_mutex_lock(&w->lock);
	w->dropped++;
	pthread_mutex_unlock(&w->lock);
	free(op);
}

static void
set_nretry(struct hist_writer *w, size_t n)
{
	pthread_mutex_lock(&w->lock);
	w->nretry = n;
	pthread_mutex_unlock(&w->lock);
}

static size_t
count_retry(const struct hist_writer *w)
{
	size_t n = 0;

	for (const struct hist_op *o = w->retry; o != NULL; o = o->next)
		n++;
	return n;
}

/*
 * Forget retries of a session that op (a newer state of it) replaces:
 * writing them later would undo the newer checkpoint.
 */
static bool
forget_older_session(struct hist_writer *w, const struct hist_op *op)
{
	struct hist_op **pp = &w->retry, *o;
	bool found = false;

	while ((o = *pp) != NULL) {
		if (o != op && o->row.kind == HK_SESSION &&
		    strcmp(o->row.id, op->row.id) == 0) {
			*pp = o->next;
			free(o);
			found = true;
		} else
			pp = &o->next;
	}
	return found;
}

static void
keep_for_retry(struct hist_writer *w, struct hist_op *op)
{
	struct hist_op **pp = &w->retry, *oldest;
	size_t n;

	if (op->row.kind == HK_SESSION)
		forget_older_session(w, op);
	op->next = NULL;
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = op;
	if ((n = count_retry(w)) > RETRY_MAX) {
		oldest = w->retry;
		w->retry = oldest->next;
		drop(w, oldest, "too many failed writes waiting");
		n--;
	}
	set_nretry(w, n);
}

/* Is an older state of this session already waiting (and logged)? */
static bool
session_waiting(const struct hist_writer *w, const struct hist_op *op)
{
	for (const struct hist_op *o = w->retry; o != NULL; o = o->next)
		if (o != op && o->row.kind == HK_SESSION &&
		    strcmp(o->row.id, op->row.id) == 0)
			return true;
	return false;
}

static enum hb_result
write_op(struct hist_writer *w, struct hist_op *op, bool first)
{
	char err[256], desc[1024];
	enum hb_result res;

	if (w->spool != NULL)
		res = hist_spool_put(w->spool, &op->row, err, sizeof(err));
	else
		res = w->be->put(w->conn, &op->row, err, sizeof(err));
	if (res == HB_OK)
		return res;
	note_failure(w, &op->row, err, first);
	/* One line per failing session, not one per 5 s checkpoint; the
	 * newest state is logged if it is still unwritten at close. */
	if (!first || (res == HB_TRANSIENT && op->row.kind == HK_SESSION &&
	    session_waiting(w, op))) {
		log_debug("history %s: retry of %s failed: %s", w->path,
		    op->row.id, err);
		return res;
	}
	hist_row_summary(&op->row, desc, sizeof(desc));
	log_warnx("history %s: write failed (%s)%s: %s", w->path, err,
	    res == HB_TRANSIENT ? ", will retry" : "", desc);
	hist_row_describe(&op->row, desc, sizeof(desc));
	log_debug("history %s: failed: %s", w->path, desc);
	return res;
}

static void
retry_pending(struct hist_writer *w)
{
	struct hist_op **pp = &w->retry, *o;
	enum hb_result res;

	while ((o = *pp) != NULL) {
		res = write_op(w, o, false);
		if (res == HB_TRANSIENT) {
			pp = &o->next;
			continue;
		}
		*pp = o->next;
		if (res == HB_OK) {
			/* As loud as the failure, so nobody enters it twice. */
			log_warnx("history %s: %s %s written after all",
			    w->path, hist_tables[o->row.kind].what, o->row.id);
			free(o);
		} else
			drop(w, o, "retry failed for good");
	}
	set_nretry(w, count_retry(w));
}

static void
process(struct hist_writer *w, struct hist_op *op)
{
	enum hb_result res;

	if (op->barrier) {
		retry_pending(w);
		free(op);
		return;
	}
	res = write_op(w, op, true);
	if (res == HB_OK) {
		if (op->row.kind == HK_SESSION && forget_older_session(w, op))
			set_nretry(w, count_retry(w));
		free(op);
		/* The disk takes writes again: try what failed before. */
		if (w->retry != NULL)
			retry_pending(w);
	} else if (res == HB_TRANSIENT)
		keep_for_retry(w, op);
	else
		drop(w, op, "the database refused it");
}

static void *
writer_main(void *arg)
{
	struct hist_writer *w = arg;
	struct hist_op *op;
	struct timespec ts;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !w->stopping) {
			if (w->nretry == 0) {
				pthread_cond_wait(&w->wake, &w->lock);
				continue;
			}
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += RETRY_SECONDS;
			if (pthread_cond_timedwait(&w->wake, &w->lock, &ts) ==
			    ETIMEDOUT) {
				pthread_mutex_unlock(&w->lock);
				retry_pending(w);
				pthread_mutex_lock(&w->lock);
			}
		}
		if ((op = w->head) == NULL)
			break;		/* stopping, and all written */
		if ((w->head = op->next) == NULL)
			w->tailp = &w->head;
		pthread_mutex_unlock(&w->lock);

		uint64_t seq = op->seq;
		process(w, op);

		pthread_mutex_lock(&w->lock);
		w->done_seq = seq;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);

	/* Closing: one last try, then say what could not be written. */
	retry_pending(w);
	while ((op = w->retry) != NULL) {
		w->retry = op->next;
		drop(w, op, "still failing at close");
	}
	set_nretry(w, 0);
	return NULL;
}

static uint64_t
enqueue(struct hist_writer *w, struct hist_op *op)
{
	uint64_t seq;

	op->next = NULL;
	pthread_mutex_lock(&w->lock);
	seq = op->seq = ++w->next_seq;
	*w->tailp = op;
	w->tailp = &op->next;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return seq;
}

/* ---- the interface ------------------------------------------------------ */

static void
writer_free(struct hist_writer *w)
{
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w);
}

struct hist_writer *
hist_writer_start(const struct history_backend *be, struct hb_conn *conn,
    struct hist_spool *spool, const char *path, char *err, size_t errlen)
{
	struct hist_writer *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	w->path = xstrdup(path);
	w->be = be;
	w->conn = conn;
	w->spool = spool;
	pthread_mutex_init(&w->lock, NULL);
	/* The retry timer must not care if the wall clock is set. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&w->done, NULL);
	w->tailp = &w->head;

	/* Signals are the event loop's business, not the writer's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "history %s: writer thread: %s", path,
		    strerror(rc));
		writer_free(w);
		return NULL;
	}
	return w;
}

void
hist_writer_stop(struct hist_writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	writer_free(w);
}
void
hist_writer_push(struct hist_writer *w, const struct hist_row *row)
{
	struct hist_op *op = xcalloc(1, sizeof(*op));

	op->row = *row;
	enqueue(w, op);
}

void
hist_writer_refuse(struct hist_writer *w, const struct hist_row *row,
    const char *why)
{
	struct hist_op *op = xcalloc(1, sizeof(*op));

	op->row = *row;
	note_failure(w, &op->row, why, true);
	drop(w, op, why);
}

int
hist_writer_sync(struct hist_writer *w)
{
	struct hist_op *op = xcalloc(1, sizeof(*op));
	uint64_t seq;
	int rc;

	op->barrier = true;
	seq = enqueue(w, op);
	pthread_mutex_lock(&w->lock);
	while (w->done_seq < seq)
		pthread_cond_wait(&w->done, &w->lock);
	/* On disk: nothing waits for a retry and nothing was lost since. */
	rc = w->nretry == 0 && w->dropped == w->dropped_synced ? 0 : -1;
	w->dropped_synced = w->dropped;
	pthread_mutex_unlock(&w->lock);
	return rc;
}

unsigned long
hist_writer_errors(struct hist_writer *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->lock);
	n = w->errors;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
hist_writer_last_error(struct hist_writer *w, char *buf, size_t len)
{
	pthread_mutex_lock(&w->lock);
	snprintf(buf, len, "%s", w->last_error);
	pthread_mutex_unlock(&w->lock);
}
