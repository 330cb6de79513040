/*
 * The spool in front of the shared database: an outbox.  The writer
 * thread puts every row into it (a local SQLite file) and is done; a
 * delivery thread of its own sends the rows on to the database, oldest
 * first, in batches of one transaction each.  So no thread the belt or a
 * command waits for (the control loop, the writer behind history_sync)
 * ever waits on the network, and the database receives rows in the order
 * they were written: a session's older checkpoint can never land after a
 * newer one.
 *
 * A row leaves the spool only after the database committed it, and only
 * if it did not change meanwhile (a session's newer checkpoint bumps its
 * version; it is then sent again).  A crash in between sends a batch
 * twice, which the rows' ids make harmless: each row arrives once.
 *
 * While the database is unreachable the delivery thread tries again after
 * RETRY_MIN_MS, doubling up to RETRY_MAX_MS; nothing else notices.
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_module.h"
#include "history_spool.h"
#include "history_writer.h"
#include "log.h"
#include "xmalloc.h"

#define BATCH		200	/* rows per delivering transaction */
#define RETRY_MIN_MS	500
#define RETRY_MAX_MS	8000

struct hist_spool {
	struct hb_conn	*pconn;		/* the database: delivery's */
	struct hb_conn	*wconn;		/* the spool: the writer's */
	struct hb_conn	*dconn;		/* the spool: delivery's */
	char		*path;
	atomic_ulong	 count;		/* rows in the spool */
	atomic_ulong	 lost;		/* refused by the database for good */
	pthread_t	 thread;
	bool		 started;
	double		 final_s;	/* at stop, delivery may go on this long */

	pthread_mutex_t	 lock;		/* guards what follows */
	pthread_cond_t	 wake;		/* to delivery: a row, a stop */
	bool		 stopping;
	bool		 down;		/* the database failed us */
	double		 retry_at;	/* monotonic s: the next attempt */
	char		 link_error[512];

	/* Delivery's alone. */
	long		 backoff_ms;
	struct hist_row	*batch;
	long long	*vers;
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned long
hist_spool_count(struct hist_spool *sp)
{
	return atomic_load(&sp->count);
}

unsigned long
hist_spool_lost(struct hist_spool *sp)
{
	return atomic_load(&sp->lost);
}

void
hist_spool_link_error(struct hist_spool *sp, char *buf, size_t len)
{
	pthread_mutex_lock(&sp->lock);
	snprintf(buf, len, "%s", sp->link_error);
	pthread_mutex_unlock(&sp->lock);
}

/* ---- the writer's side ------------------------------------------------- */

enum hb_result
hist_spool_put(struct hist_spool *sp, const struct hist_row *r, char *err,
    size_t errlen)
{
	enum hb_result res;
	bool added;
	char serr[256];

	res = hist_sq_spool_put(sp->wconn, r, &added, serr, sizeof(serr));
	if (res != HB_OK) {
		snprintf(err, errlen, "spool %s: %s", sp->path, serr);
		return res;
	}
	if (added)
		atomic_fetch_add(&sp->count, 1);
	pthread_mutex_lock(&sp->lock);
	pthread_cond_signal(&sp->wake);
	pthread_mutex_unlock(&sp->lock);
	return HB_OK;
}

/* ---- the link's state (delivery) --------------------------------------- */

/* Said once when it goes, once when it comes back; each retry in between
 * only at debug level. */
static void
link_down(struct hist_spool *sp, const char *err)
{
	pthread_mutex_lock(&sp->lock);
	if (!sp->down) {
		log_warnx("%s; rows wait in the spool %s until it is back", err,
		    sp->path);
		sp->down = true;
		sp->backoff_ms = RETRY_MIN_MS;
	} else
		log_debug("history: still unreachable: %s", err);
	snprintf(sp->link_error, sizeof(sp->link_error), "%s", err);
	sp->retry_at = mono() + sp->backoff_ms / 1000.0;
	sp->backoff_ms = sp->backoff_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS :
	    sp->backoff_ms * 2;
	pthread_mutex_unlock(&sp->lock);
}

static void
link_up(struct hist_spool *sp)
{
	pthread_mutex_lock(&sp->lock);
	if (sp->down) {
		sp->down = false;
		sp->backoff_ms = RETRY_MIN_MS;
		sp->link_error[0] = '\0';
		log_warnx("history: the shared database is reachable again");
	}
	pthread_mutex_unlock(&sp->lock);
}

/* ---- delivering -------------------------------------------------------- */

/* Delivered (or given up): out of the spool, unless changed meanwhile.
 * A failure here only means the rows are sent again, which their ids
 * make harmless. */
static void
forget(struct hist_spool *sp, const struct hist_row *rows,
    const long long *vers, size_t n)
{
	char err[256];
	int gone;

	if (n == 0)
		return;
	if ((gone = hist_sq_spool_forget(sp->dconn, rows, vers, n, err,
	    sizeof(err))) == -1) {
		log_warnx("history: delivered rows stay in the spool (they "
		    "will be sent again): %s", err);
		return;
	}
	atomic_fetch_sub(&sp->count, (unsigned long)gone);
}

static void
give_up(struct hist_spool *sp, const struct hist_row *r, const long long *ver,
    const char *why)
{
	char desc[1024];

	hist_row_summary(r, desc, sizeof(desc));
	log_warnx("history %s: LOST (the shared database refused it: %s), "
	    "enter it again: %s", sp->path, why, desc);
	hist_row_describe(r, desc, sizeof(desc));
	log_debug("history %s: LOST: %s", sp->path, desc);
	atomic_fetch_add(&sp->lost, 1);
	forget(sp, r, ver, 1);
}

/*
 * Deliver rows[0..n): 0 when each was delivered or given up, -1 when the
 * database could not be reached (nothing of it left the spool).
 */
static int
deliver(struct hist_spool *sp, struct hist_row *rows, long long *vers,
    size_t n)
{
	char err[512];
	size_t bad;

	while (n > 0) {
		switch (hist_pg_loaded()->put_many(sp->pconn, rows, n, &bad,
		    err, sizeof(err))) {
		case HB_OK:
			forget(sp, rows, vers, n);
			return 0;
		case HB_PERMANENT:
			/* The rows before it were rolled back with it. */
			if (bad > 0 && deliver(sp, rows, vers, bad) == -1)
				return -1;
			give_up(sp, &rows[bad], &vers[bad], err);
			rows += bad + 1;
			vers += bad + 1;
			n -= bad + 1;
			break;
		case HB_TRANSIENT:
			link_down(sp, err);
			return -1;
		}
	}
	return 0;
}

/* One batch, the oldest rows: 0 when it went (or there was none), -1
 * when the database or the spool failed us (the retry is scheduled). */
static int
deliver_batch(struct hist_spool *sp)
{
	char err[256];
	size_t keep = 0;
	int n;

	if ((n = hist_sq_spool_oldest(sp->dconn, sp->batch, sp->vers, BATCH,
	    err, sizeof(err))) == -1) {
		/* The local file failed us: as good a reason to wait. */
		link_down(sp, err);
		return -1;
	}
	if (n == 0) {
		atomic_store(&sp->count, 0);
		return 0;
	}
	/* Places whose rows are gone have nothing to deliver. */
	for (int i = 0; i < n; i++) {
		if (sp->batch[i].day == HIST_SQ_GONE)
			forget(sp, &sp->batch[i], &sp->vers[i], 1);
		else {
			sp->batch[keep] = sp->batch[i];
			sp->vers[keep++] = sp->vers[i];
		}
	}
	if (deliver(sp, sp->batch, sp->vers, keep) == -1)
		return -1;
	link_up(sp);
	return 0;
}

/* Called with the lock held: is there work, and may it be tried now? */
static bool
due(struct hist_spool *sp)
{
	return hist_spool_count(sp) > 0 && (!sp->down ||
	    mono() >= sp->retry_at);
}

static void *
delivery_main(void *arg)
{
	struct hist_spool *sp = arg;
	struct timespec ts;
	double until;
	bool drained = true;

	pthread_mutex_lock(&sp->lock);
	while (!sp->stopping) {
		if (!due(sp)) {
			if (!drained && hist_spool_count(sp) == 0) {
				log_info("history: spool %s drained, every row "
				    "delivered", sp->path);
				drained = true;
			}
			if (hist_spool_count(sp) == 0 || !sp->down) {
				pthread_cond_wait(&sp->wake, &sp->lock);
				continue;
			}
			/* The cond's clock is the real one; the retry time
			 * is monotonic: wait in short steps. */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&sp->wake, &sp->lock, &ts);
			continue;
		}
		drained = false;
		pthread_mutex_unlock(&sp->lock);
		deliver_batch(sp);
		pthread_mutex_lock(&sp->lock);
	}
	pthread_mutex_unlock(&sp->lock);

	/* Closing: what the writer flushed last (a session's end) should
	 * reach the others now, not at the next start; but not for long. */
	until = mono() + sp->final_s;
	while (hist_spool_count(sp) > 0 && mono() < until &&
	    deliver_batch(sp) == 0)
		;
	if (hist_spool_count(sp) > 0)
		log_warnx("history: %lu row%s stay in the spool %s, to be "
		    "delivered at the next start", hist_spool_count(sp),
		    hist_spool_count(sp) == 1 ? "" : "s", sp->path);
	return NULL;
}

/* ---- starting and stopping --------------------------------------------- */

struct hist_spool *
hist_spool_start(struct hb_conn *pconn, struct hb_conn *wconn,
    struct hb_conn *dconn, const char *spool_path, unsigned long count,
    double final_s, char *err, size_t errlen)
{
	struct hist_spool *sp = xcalloc(1, sizeof(*sp));
	sigset_t all, old;
	int rc;

	sp->pconn = pconn;
	sp->wconn = wconn;
	sp->dconn = dconn;
	sp->path = xstrdup(spool_path);
	atomic_init(&sp->count, count);
	atomic_init(&sp->lost, 0);
	sp->final_s = final_s;
	sp->backoff_ms = RETRY_MIN_MS;
	sp->batch = xcalloc(BATCH, sizeof(*sp->batch));
	sp->vers = xcalloc(BATCH, sizeof(*sp->vers));
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->wake, NULL);
	/* Signals are the event loop's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&sp->thread, NULL, delivery_main, sp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "history: spool %s: delivery thread: %s",
		    spool_path, strerror(rc));
		hist_spool_stop(sp);
		return NULL;
	}
	sp->started = true;
	return sp;
}

void
hist_spool_stop(struct hist_spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->started) {
		pthread_mutex_lock(&sp->lock);
		sp->stopping = true;
		pthread_cond_signal(&sp->wake);
		pthread_mutex_unlock(&sp->lock);
		pthread_join(sp->thread, NULL);
	}
	pthread_cond_destroy(&sp->wake);
	pthread_mutex_destroy(&sp->lock);
	free(sp->vers);
	free(sp->batch);
	free(sp->path);
	free(sp);
}
