/*
 * The PostgreSQL backend of the history, shared by the treadmills of a
 * gym.  Two connections per daemon: the spool's delivery thread's
 * (history_spool.c; role HB_WRITER) and the callers' (reads for a plan
 * or a listing, the recovery, the one-runner-one-belt check).
 *
 * The callers are the control worker thread (a plan, a start, a
 * listing), whose answers a runner waits for, so it never waits long for
 * a connection to be made: with no link, a background thread makes one,
 * and the read that started it waits at most CONNECT_WAIT_S (a server
 * that answers at once is used at once) before it fails with the reason;
 * a read while an attempt is under way fails at once.
 * After a failed attempt reads fail at once for READER_RETRY_S.  Only
 * the recovery at start-up waits the whole connect_timeout_s.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "history_module.h"
#include "history_pg.h"
#include "history_tables.h"
#include "log.h"
#include "xmalloc.h"

#define CONNECT_WAIT_S	0.2
#define READER_RETRY_S	2.0

struct hb_conn *
hist_pg_open(const struct history_pg *o, enum hb_role role, char *err,
    size_t errlen)
{
	struct hb_conn *c = xcalloc(1, sizeof(*c));

	(void)err;
	(void)errlen;
	c->cfg.conninfo_file = xstrdup(o->conninfo_file);
	c->cfg.owner = geteuid();
	c->cfg.timeout_s = o->connect_timeout_s > 0 ? o->connect_timeout_s : 3;
	c->cfg.read_wait_s = o->read_timeout_s > 0 ? o->read_timeout_s :
	    HIST_PG_READ_WAIT_S;
	c->cfg.stale_minutes = o->stale_minutes > 0 ? o->stale_minutes : 10;
	snprintf(c->cfg.treadmill, sizeof(c->cfg.treadmill), "%s",
	    o->treadmill != NULL ? o->treadmill : "");
	c->cfg.opened_at = time(NULL);
	c->cfg.role = role;
	snprintf(c->info.where, sizeof(c->info.where), "PostgreSQL");
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	return c;
}

/* The connection is in an unknown state (a timeout mid-statement) or
 * gone: the next use makes a new one. */
static void
drop(struct hb_conn *c)
{
	if (c->pg != NULL)
		PQfinish(c->pg);
	c->pg = NULL;
}

static void
pg_close(struct hb_conn *c)
{
	if (c == NULL)
		return;
	if (c->joinable)
		pthread_join(c->connector, NULL);
	if (c->ready != NULL)
		PQfinish(c->ready);
	drop(c);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c->cfg.conninfo_file);
	free(c);
}

/*
 * A connection the server closed (a restart, a shutdown, an admin) shows
 * it only when read: look, without waiting, before using it, so that the
 * first write or read after the server came back is not a failure.
 */
static bool
alive(PGconn *pg)
{
	struct pollfd p;

	if (pg == NULL || PQstatus(pg) != CONNECTION_OK)
		return false;
	/* The server's last words first, then the end of the stream. */
	for (int i = 0; i < 4; i++) {
		p.fd = PQsocket(pg);
		p.events = POLLIN;
		if (poll(&p, 1, 0) <= 0)
			break;
		if (!PQconsumeInput(pg))
			return false;
	}
	return PQstatus(pg) == CONNECTION_OK;
}

/* "history: PostgreSQL at H:P[ unreachable]: what", never the password. */
static void
fail(struct hb_conn *c, bool unreachable, const char *what, char *err,
    size_t errlen)
{
	pthread_mutex_lock(&c->lock);
	snprintf(err, errlen, "history: %s%s: %s", c->info.where,
	    unreachable ? " unreachable" : "", what);
	hist_pg_mask(&c->info, err, errlen);
	pthread_mutex_unlock(&c->lock);
}

/*
 * Connect, and set up for the role: the schema, and for the writer
 * (delivery) its statements.  Sessions left running are closed by
 * history_recover at start-up, or later by the stale rule: never by a
 * reconnect, which could meet a session of ours that runs now.
 */
static PGconn *
connect_role(const struct hist_pg_cfg *cfg, struct hist_pg_info *info, char *err,
    size_t errlen)
{
	char e[384];
	PGconn *pg;
	double deadline;

	if ((pg = hist_pg_connect(cfg, info, err, errlen)) == NULL)
		return NULL;
	deadline = hist_pg_now() + cfg->timeout_s;
	if (hist_pg_migrate(pg, deadline, e, sizeof(e)) == -1 ||
	    (cfg->role == HB_WRITER && hist_pg_prepare(pg, deadline, e,
	    sizeof(e)) == -1)) {
		snprintf(err, errlen, "history: %s: %s", info->where, e);
		hist_pg_mask(info, err, errlen);
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

/* ---- the writer's link ------------------------------------------------- */

static int
writer_link(struct hb_conn *c, char *err, size_t errlen)
{
	struct hist_pg_info info;

	if (alive(c->pg))
		return 0;
	drop(c);
	c->pg = connect_role(&c->cfg, &info, err, errlen);
	pthread_mutex_lock(&c->lock);
	c->info = info;
	pthread_mutex_unlock(&c->lock);
	return c->pg != NULL ? 0 : -1;
}

enum hb_result
hist_pg_put_many(struct hb_conn *c, const struct hist_row *rows, size_t n,
    size_t *bad, char *err, size_t errlen)
{
	enum hb_result res = HB_OK;
	char e[384];
	bool tx = n > 1;

	*bad = 0;
	if (writer_link(c, err, errlen) == -1)
		return HB_TRANSIENT;
	/* Each statement has its own deadline: a big batch over a slow
	 * link is slow, not stalled. */
	if (tx && hist_pg_command(c->pg, hist_pg_now() + c->cfg.timeout_s,
	    "BEGIN", e, sizeof(e)) == -1) {
		res = HB_TRANSIENT;
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if ((res = hist_pg_insert(c->pg,
		    hist_pg_now() + c->cfg.timeout_s, &rows[i], e,
		    sizeof(e))) != HB_OK) {
			*bad = i;
			goto fail;
		}
	if (tx && hist_pg_command(c->pg, hist_pg_now() + c->cfg.timeout_s,
	    "COMMIT", e, sizeof(e)) == -1) {
		/* Committed or not, the rows stay ours to send again. */
		res = HB_TRANSIENT;
		goto fail;
	}
	return HB_OK;
fail:
	fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
	if (res == HB_TRANSIENT)
		drop(c);
	else if (tx)
		hist_pg_command(c->pg, hist_pg_now() + c->cfg.timeout_s,
		    "ROLLBACK", e, sizeof(e));
	return res;
}

static enum hb_result
pg_put(struct hb_conn *c, const struct hist_row *r, char *err, size_t errlen)
{
	size_t bad;

	return hist_pg_put_many(c, r, 1, &bad, err, errlen);
}

/* ---- the readers' link ------------------------------------------------- */

static void *
connector(void *arg)
{
	struct hb_conn *c = arg;
	struct hist_pg_info info;
	char e[512];
	PGconn *pg;

	pg = connect_role(&c->cfg, &info, e, sizeof(e));
	pthread_mutex_lock(&c->lock);
	c->info = info;
	c->ready = pg;
	snprintf(c->ready_err, sizeof(c->ready_err), "%s", pg ? "" : e);
	if (pg == NULL)
		c->retry_at = hist_pg_now() + READER_RETRY_S;
	c->connecting = false;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Called with the lock held. */
static void
start_connector(struct hb_conn *c)
{
	sigset_t all, old;
	int rc;

	if (c->joinable) {
		/* Finished (not connecting): the join does not wait. */
		pthread_join(c->connector, NULL);
		c->joinable = false;
	}
	/* Signals are the event loop's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->connector, NULL, connector, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(c->ready_err, sizeof(c->ready_err), "history: cannot "
		    "start a thread to connect: %s", strerror(rc));
		c->retry_at = hist_pg_now() + READER_RETRY_S;
		return;
	}
	c->connecting = c->joinable = true;
}

static int
reader_link(struct hb_conn *c, double wait_s, char *err, size_t errlen)
{
	struct timespec ts;
	double until = hist_pg_now() + wait_s;
	bool fresh = false;

	if (alive(c->pg))
		return 0;
	drop(c);
	pthread_mutex_lock(&c->lock);
	if (!c->connecting && c->ready == NULL &&
	    hist_pg_now() >= c->retry_at) {
		start_connector(c);
		fresh = true;
	}
	/* A read waits only for the attempt it started: one already under
	 * way has been slow, and this thread is the control loop's. */
	while ((fresh || wait_s > CONNECT_WAIT_S) && c->connecting &&
	    hist_pg_now() < until) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000L;	/* the cond's clock is real */
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->done, &c->lock, &ts);
	}
	if (c->ready != NULL) {
		c->pg = c->ready;
		c->ready = NULL;
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	if (c->connecting)
		snprintf(err, errlen, "history: %s unreachable: no answer yet "
		    "(still trying)", c->info.where);
	else
		snprintf(err, errlen, "%s", c->ready_err);
	pthread_mutex_unlock(&c->lock);
	return -1;
}

/* ---- reads ------------------------------------------------------------- */

static int
pg_read(struct hb_conn *c, const char *runner, const struct hist_read *rd,
    struct runner_history *out, char *err, size_t errlen)
{
	char e[384];

	if (reader_link(c, CONNECT_WAIT_S, err, errlen) == -1)
		return -1;
	if (hist_pg_read(c->pg, hist_pg_now() + c->cfg.read_wait_s, runner,
	    rd, out, e, sizeof(e)) == 0)
		return 0;
	fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
	drop(c);
	return -1;
}

/*
 * At start-up, before the loop runs: this one may wait for the server.
 * Sessions whose ids are in skip were closed in the spool already (and
 * are on their way): counted there, not again here.
 */
int
hist_pg_recover(struct hb_conn *c, char (*skip)[HISTORY_ID_LEN], size_t nskip,
    char *err, size_t errlen)
{
	char e[384];
	int n;

	if (reader_link(c, c->cfg.timeout_s + 1.0, err, errlen) == -1)
		return -1;
	if ((n = hist_pg_recover_on(c->pg, &c->cfg, skip, nskip, hist_pg_now() +
	    c->cfg.timeout_s, e, sizeof(e))) == -1) {
		fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
		drop(c);
	}
	return n;
}

static int
pg_recover(struct hb_conn *c, char *err, size_t errlen)
{
	return hist_pg_recover(c, NULL, 0, err, errlen);
}

/*
 * One transaction: sessions gone stale are closed, a running one
 * elsewhere refuses; with claim, the claims row is taken in one statement
 * (an INSERT that, on conflict, takes over only a claim that is ours or
 * dead), so two treadmills starting her at once cannot both succeed.  A
 * claim lives while its treadmill has a fresh running session of hers,
 * or, before that session's first row has arrived, for stale_minutes.
 * Which row is that session's is told by seq (rows are numbered as they
 * arrive), not by time: a second is too coarse for two starts.
 */
#define CLAIM_SQL \
	"INSERT INTO claims AS c (runner, treadmill, at, after_seq)" \
	" VALUES ($1, $2, $3, (SELECT coalesce(max(seq), 0) FROM sessions" \
	" WHERE runner = $1))" \
	" ON CONFLICT (runner) DO UPDATE SET treadmill = EXCLUDED.treadmill," \
	" at = EXCLUDED.at, after_seq = EXCLUDED.after_seq" \
	" WHERE c.treadmill = EXCLUDED.treadmill OR NOT (" \
	" EXISTS (SELECT 1 FROM sessions s WHERE s.runner = c.runner" \
	" AND s.treadmill = c.treadmill AND s.outcome = 'running'" \
	" AND s.end_at >= $4)" \
	" OR (c.at >= $4 AND NOT EXISTS (SELECT 1 FROM sessions s" \
	" WHERE s.runner = c.runner AND s.treadmill = c.treadmill" \
	" AND s.seq > c.after_seq))) RETURNING treadmill"

static int
check(struct hb_conn *c, const char *runner, const char *treadmill,
    time_t stale_before, bool claim, char *where, size_t wlen, char *err,
    size_t errlen)
{
	char stale[24], now[24], e[384];
	const char *p[4] = { runner, stale, treadmill, NULL };
	double deadline = hist_pg_now() + c->cfg.read_wait_s;
	PGresult *r = NULL;
	int found;

	if (reader_link(c, CONNECT_WAIT_S, err, errlen) == -1)
		return -1;
	snprintf(stale, sizeof(stale), "%lld", (long long)stale_before);
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	if (hist_pg_command(c->pg, deadline, "BEGIN", e, sizeof(e)) == -1 ||
	    (r = hist_pg_exec(c->pg, deadline, HIST_RECOVER_SQL " AND runner = "
	    "$1 AND end_at < $2 RETURNING id, treadmill", 2, p, e,
	    sizeof(e))) == NULL)
		goto fail;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto fail_result;
	for (int i = 0; i < PQntuples(r); i++)
		log_info("history: session %s of %s on treadmill %s had no "
		    "checkpoint for too long; now interrupted",
		    PQgetvalue(r, i, 0), runner, PQgetvalue(r, i, 1));
	PQclear(r);
	p[1] = treadmill;
	if ((r = hist_pg_exec(c->pg, deadline, "SELECT treadmill FROM sessions "
	    "WHERE outcome = 'running' AND runner = $1 AND treadmill <> $2 "
	    "ORDER BY end_at DESC LIMIT 1", 2, p, e, sizeof(e))) == NULL)
		goto fail;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto fail_result;
	if ((found = PQntuples(r) > 0))
		snprintf(where, wlen, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (claim && !found) {
		p[2] = now;
		p[3] = stale;
		if ((r = hist_pg_exec(c->pg, deadline, CLAIM_SQL, 4, p, e,
		    sizeof(e))) == NULL)
			goto fail;
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			goto fail_result;
		found = PQntuples(r) == 0;
		PQclear(r);
		if (found && (r = hist_pg_exec(c->pg, deadline, "SELECT "
		    "treadmill FROM claims WHERE runner = $1", 1, p, e,
		    sizeof(e))) != NULL) {
			if (PQresultStatus(r) == PGRES_TUPLES_OK &&
			    PQntuples(r) > 0)
				snprintf(where, wlen, "%s", PQgetvalue(r, 0, 0));
			PQclear(r);
		}
	}
	if (hist_pg_command(c->pg, deadline, "COMMIT", e, sizeof(e)) == -1)
		goto fail;
	return found;
fail_result:
	hist_pg_result_error(r, e, sizeof(e));
	PQclear(r);
fail:
	fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
	drop(c);
	return -1;
}

static int
pg_running(struct hb_conn *c, const char *runner, const char *treadmill,
    time_t stale_before, char *where, size_t wlen, char *err, size_t errlen)
{
	return check(c, runner, treadmill, stale_before, false, where, wlen,
	    err, errlen);
}

static int
pg_claim(struct hb_conn *c, const char *runner, const char *treadmill,
    time_t stale_before, char *where, size_t wlen, char *err, size_t errlen)
{
	return check(c, runner, treadmill, stale_before, true, where, wlen,
	    err, errlen);
}

static int
pg_release(struct hb_conn *c, const char *runner, const char *treadmill,
    char *err, size_t errlen)
{
	const char *p[2] = { runner, treadmill };
	PGresult *r;
	char e[384];

	if (reader_link(c, CONNECT_WAIT_S, err, errlen) == -1)
		return -1;
	if ((r = hist_pg_exec(c->pg, hist_pg_now() + c->cfg.read_wait_s,
	    "DELETE FROM claims WHERE runner = $1 AND treadmill = $2", 2, p,
	    e, sizeof(e))) == NULL) {
		fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
		drop(c);
		return -1;
	}
	PQclear(r);
	return 0;
}

static int
pg_latest(struct hb_conn *c, enum hist_kind k, const char *runner,
    struct hist_row *out, char *err, size_t errlen)
{
	char e[384];
	int rc;

	if (reader_link(c, CONNECT_WAIT_S, err, errlen) == -1)
		return -1;
	if ((rc = hist_pg_latest(c->pg, hist_pg_now() + c->cfg.read_wait_s,
	    k, runner, out, e, sizeof(e))) != -1)
		return rc;
	fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
	drop(c);
	return -1;
}

/* ---- treadmilld -n ----------------------------------------------------- */

int
hist_pg_check(const struct history_pg *o, uid_t owner, char *err,
    size_t errlen)
{
	struct hb_conn *c = hist_pg_open(o, HB_READER, err, errlen);
	struct hist_pg_info info;
	char e[384];
	int rc = 0;

	c->cfg.owner = owner;
	if ((c->pg = hist_pg_connect(&c->cfg, &info, err, errlen)) == NULL)
		rc = -1;
	else if (hist_pg_schema_check(c->pg, hist_pg_now() + c->cfg.timeout_s,
	    e, sizeof(e)) == -1) {
		c->info = info;
		fail(c, PQstatus(c->pg) != CONNECTION_OK, e, err, errlen);
		rc = -1;
	}
	pg_close(c);
	return rc;
}

const struct history_backend hist_pg_backend = {
	.name = "postgresql",
	.open = NULL,		/* hist_pg_open: it needs more than a name */
	.close = pg_close,
	.put = pg_put,
	.recover = pg_recover,
	.read = pg_read,
	.running = pg_running,
	.claim = pg_claim,
	.release = pg_release,
	.latest = pg_latest,
};

/* What the daemon finds in history_pg.so (history_module.h). */
__attribute__((visibility("default")))
const struct hist_pg_module hist_pg_module = {
	.abi = HIST_PG_ABI,
	.backend = &hist_pg_backend,
	.open = hist_pg_open,
	.recover = hist_pg_recover,
	.put_many = hist_pg_put_many,
	.check = hist_pg_check,
};
