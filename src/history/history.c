/*
 * The history's public face.  Writes go to the writer thread
 * (history_writer.c) as owned copies; reads and the recovery run on the
 * caller's thread over a second connection, which WAL lets read while the
 * writer commits.  The storage is a backend: a SQLite file
 * (history_sqlite.c), or the gym's PostgreSQL (history_pg.c): rows go
 * into a SQLite file, the spool, and a thread of its own delivers them
 * (history_spool.c); every read merges in what still waits there.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "history.h"
#include "history_backend.h"
#include "history_module.h"
#include "history_spool.h"
#include "history_tables.h"
#include "history_writer.h"
#include "log.h"
#include "xmalloc.h"

struct history {
	char		*path;
	const struct history_backend *be;
	struct hb_conn	*wconn;		/* the writer thread's */
	struct hb_conn	*rconn;		/* callers', under rlock */
	pthread_mutex_t	 rlock;
	struct hist_writer *writer;
	/* PostgreSQL only: */
	struct hist_spool *spool;
	struct hb_conn	*swconn;	/* the spool: the writer thread's, */
	struct hb_conn	*sdconn;	/* delivery's, */
	struct hb_conn	*srconn;	/* callers', under rlock */
	char		(*recovered)[HISTORY_ID_LEN];	/* in the spool */
	size_t		 nrecovered;
};

/* Ids must be unique, not secret: never block at boot waiting for entropy. */
static void
random_bytes(unsigned char *buf, size_t len)
{
	static atomic_uint counter;
	struct timespec ts;
	unsigned k;
	size_t got = 0;
	ssize_t n;
	int fd;

	n = getrandom(buf, len, GRND_NONBLOCK);
	if (n == (ssize_t)len)
		return;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		while (got < len && (n = read(fd, buf + got, len - got)) > 0)
			got += (size_t)n;
		close(fd);
		if (got == len)
			return;
	}
	/* Last resort, still unique on this machine: clock, pid, counter. */
	if ((k = atomic_fetch_add(&counter, 1)) == 0)
		log_warnx("history: no random source, ids from the clock");
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t mix[2] = { (uint64_t)ts.tv_nsec ^ ((uint64_t)k << 32),
	    (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 36) };
	memset(buf, 0, len);
	memcpy(buf, mix, len < sizeof(mix) ? len : sizeof(mix));
}

void
history_new_id(char id[HISTORY_ID_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	char *p = id;

	random_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 0x0f];
	}
	*p = '\0';
}

/* ---- writes ------------------------------------------------------------- */

/*
 * A row of kind for the writer: an owned copy of the caller's record
 * (len bytes), the day it is filed under and a fresh id.  The copy is
 * ours: every text column of the kind ends within its field.
 */
static void
new_row(struct hist_row *r, enum hist_kind kind, hday_t day, const void *rec,
    size_t len)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->day = day;
	memcpy(&r->u, rec, len);
	history_new_id(r->id);
}

void
history_add_checkin(struct history *h, const struct hist_checkin *c)
{
	struct hist_row r;

	new_row(&r, HK_CHECKIN, c->day, c, sizeof(*c));
	hist_row_terminate(&r);
	hist_writer_push(h->writer, &r);
}

void
history_add_strength(struct history *h, const struct hist_strength *s)
{
	struct hist_row r;

	new_row(&r, HK_STRENGTH, s->day, s, sizeof(*s));
	hist_row_terminate(&r);
	hist_writer_push(h->writer, &r);
}

void
history_add_symptom(struct history *h, const struct hist_symptom *s)
{
	struct hist_row r;

	new_row(&r, HK_SYMPTOM, s->day, s, sizeof(*s));
	hist_row_terminate(&r);
	hist_writer_push(h->writer, &r);
}

void
history_add_override(struct history *h, const struct hist_override *o)
{
	struct hist_row r;

	new_row(&r, HK_OVERRIDE, hday_from_time(o->at), o, sizeof(*o));
	hist_row_terminate(&r);
	hist_writer_push(h->writer, &r);
}

void
history_add_pin(struct history *h, const struct hist_pin *p)
{
	struct hist_row r;

	new_row(&r, HK_PIN, hday_from_time(p->at), p, sizeof(*p));
	hist_row_terminate(&r);
	hist_writer_push(h->writer, &r);
}

void
history_put_session(struct history *h, const struct hist_session *s)
{
	struct hist_row r;

	new_row(&r, HK_SESSION, hday_from_time(s->start), s, sizeof(*s));
	/* Keyed by the caller's id, so that checkpoints update one row. */
	memcpy(r.id, s->id, sizeof(r.id));
	hist_row_terminate(&r);
	if (r.id[0] == '\0')
		hist_writer_refuse(h->writer, &r, "session without an id");
	else if ((unsigned)r.u.session.outcome >= HIST_OUTCOMES)
		hist_writer_refuse(h->writer, &r,
		    "session with an unknown outcome");
	else
		hist_writer_push(h->writer, &r);
}

int
history_sync(struct history *h)
{
	return hist_writer_sync(h->writer);
}

unsigned long
history_write_errors(const struct history *h)
{
	return hist_writer_errors(h->writer) +
	    (h->spool != NULL ? hist_spool_lost(h->spool) : 0);
}

const char *
history_last_error(const struct history *h)
{
	static _Thread_local char copy[512];

	hist_writer_last_error(h->writer, copy, sizeof(copy));
	return copy;
}

/* ---- open, close, reads ------------------------------------------------- */

struct history *
history_open(const char *path, char *err, size_t errlen)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->path = xstrdup(path);
	h->be = &hist_sq_backend;
	if ((h->wconn = h->be->open(path, HB_WRITER, err, errlen)) == NULL ||
	    (h->rconn = h->be->open(path, HB_READER, err, errlen)) == NULL ||
	    (h->writer = hist_writer_start(h->be, h->wconn, NULL, path, err,
	    errlen)) == NULL) {
		if (h->rconn != NULL)
			h->be->close(h->rconn);
		if (h->wconn != NULL)
			h->be->close(h->wconn);
		free(h->path);
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->rlock, NULL);
	return h;
}

/*
 * The spool first: it must open, or rows would have nowhere to go.  The
 * database is not needed yet; delivery reaches it when it first has a
 * row, the readers when they first read.
 */
struct history *
history_open_pg(const struct history_pg *o, char *err, size_t errlen)
{
	const struct hist_pg_module *m = hist_pg_load(o->module, err, errlen);
	struct history *h;
	unsigned long count = 0;
	int n;

	if (m == NULL)
		return NULL;
	h = xcalloc(1, sizeof(*h));
	xasprintf(&h->path, "postgresql (%s)", o->conninfo_file);
	h->be = m->backend;
	if ((h->swconn = hist_sq_backend.open(o->spool, HB_WRITER, err,
	    errlen)) == NULL ||
	    (h->sdconn = hist_sq_backend.open(o->spool, HB_WRITER, err,
	    errlen)) == NULL ||
	    (h->srconn = hist_sq_backend.open(o->spool, HB_READER, err,
	    errlen)) == NULL)
		goto fail;
	/* Only this treadmill's rows are in it: a session of ours running
	 * there was cut by a crash; deliver it as interrupted.  Before
	 * delivery starts, or its running state would go out first. */
	if ((n = hist_sq_recover(h->swconn, &h->recovered, err,
	    errlen)) == -1 ||
	    hist_sq_spool_init(h->swconn, &count, err, errlen) == -1)
		goto fail;
	h->nrecovered = (size_t)n;
	if (count > 0)
		log_info("history: %lu row%s in the spool %s to deliver", count,
		    count == 1 ? "" : "s", o->spool);
	h->wconn = m->open(o, HB_WRITER, err, errlen);
	h->rconn = m->open(o, HB_READER, err, errlen);
	/* At close, delivery may take about as long as one attempt. */
	if ((h->spool = hist_spool_start(h->wconn, h->swconn, h->sdconn,
	    o->spool, count, o->connect_timeout_s, err, errlen)) == NULL ||
	    (h->writer = hist_writer_start(&hist_sq_backend, h->swconn,
	    h->spool, h->path, err, errlen)) == NULL)
		goto fail;
	pthread_mutex_init(&h->rlock, NULL);
	return h;
fail:
	hist_spool_stop(h->spool);
	if (h->rconn != NULL)
		h->be->close(h->rconn);
	if (h->wconn != NULL)
		h->be->close(h->wconn);
	if (h->srconn != NULL)
		hist_sq_backend.close(h->srconn);
	if (h->sdconn != NULL)
		hist_sq_backend.close(h->sdconn);
	if (h->swconn != NULL)
		hist_sq_backend.close(h->swconn);
	free(h->recovered);
	free(h->path);
	free(h);
	return NULL;
}

void
history_close(struct history *h)
{
	bool pg;

	if (h == NULL)
		return;
	pg = h->spool != NULL;
	/* The queue into the spool, then the spool to the database. */
	hist_writer_stop(h->writer);
	hist_spool_stop(h->spool);
	h->spool = NULL;
	h->be->close(h->rconn);
	h->be->close(h->wconn);
	if (pg) {
		hist_sq_backend.close(h->srconn);
		hist_sq_backend.close(h->sdconn);
		hist_sq_backend.close(h->swconn);
	}
	pthread_mutex_destroy(&h->rlock);
	free(h->recovered);
	free(h->path);
	free(h);
}

/*
 * On the caller's connection.  Call it once after history_open, before
 * this process starts a session: a session of ours that is running now
 * would be marked too.
 */
int
history_recover(struct history *h, char *err, size_t errlen)
{
	int n;

	pthread_mutex_lock(&h->rlock);
	if (h->spool == NULL)
		n = h->be->recover(h->rconn, err, errlen);
	else {
		/* Those the spool had (closed at open) count once. */
		n = hist_pg_loaded()->recover(h->rconn, h->recovered,
		    h->nrecovered, err, errlen);
		if (n != -1) {
			n += (int)h->nrecovered;
			h->nrecovered = 0;
		}
	}
	pthread_mutex_unlock(&h->rlock);
	return n;
}

/*
 * The spool's rows of the runner, read before the database: see
 * hist_merge.  Called with rlock held.
 */
static int
read_spool(struct history *h, const char *runner, const struct hist_read *rd,
    struct runner_history *sp, char *err, size_t errlen)
{
	int rc;

	memset(sp, 0, sizeof(*sp));
	if (h->spool == NULL || hist_spool_count(h->spool) == 0)
		return 0;
	if ((rc = hist_sq_backend.read(h->srconn, runner, rd, sp, err,
	    errlen)) == -1)
		history_free(sp);
	return rc;
}

static int
read_rows(struct history *h, const char *runner, const struct hist_read *rd,
    struct runner_history *out, char *err, size_t errlen)
{
	struct runner_history sp;
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&h->rlock);
	if ((rc = read_spool(h, runner, rd, &sp, err, errlen)) == 0) {
		rc = h->be->read(h->rconn, runner, rd, out, err, errlen);
		if (rc == 0)
			hist_merge(out, &sp, rd);
		else
			history_free(&sp);
	}
	pthread_mutex_unlock(&h->rlock);
	if (rc == -1)
		history_free(out);
	return rc;
}

int
history_load(struct history *h, const char *runner, hday_t since,
    struct runner_history *out, char *err, size_t errlen)
{
	struct hist_read rd = { .since = since };

	return read_rows(h, runner, &rd, out, err, errlen);
}

int
history_load_rules(struct history *h, const char *runner, hday_t since,
    const struct hist_rules *rules, struct runner_history *out, char *err,
    size_t errlen)
{
	struct hist_read rd = { .since = since, .rules = rules };

	return read_rows(h, runner, &rd, out, err, errlen);
}

int
history_list(struct history *h, const char *runner, int max_rows,
    struct runner_history *out, char *err, size_t errlen)
{
	struct hist_read rd = { .limit = max_rows };

	memset(out, 0, sizeof(*out));
	if (max_rows < 0) {
		snprintf(err, errlen, "history %s: listing %d rows", h->path,
		    max_rows);
		return -1;
	}
	if (max_rows == 0)
		return 0;
	return read_rows(h, runner, &rd, out, err, errlen);
}

/*
 * The newer of the spool's row (not delivered yet) and the database's:
 * another treadmill may have set a newer PIN since this one's.
 */
int
history_pin(struct history *h, const char *runner, struct hist_pin *out,
    char *err, size_t errlen)
{
	struct hist_row sp, db;
	int rs = 0, rd;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&h->rlock);
	if (h->spool != NULL && hist_spool_count(h->spool) > 0)
		rs = hist_sq_backend.latest(h->srconn, HK_PIN, runner, &sp, err,
		    errlen);
	rd = rs == -1 ? -1 : h->be->latest(h->rconn, HK_PIN, runner, &db, err,
	    errlen);
	pthread_mutex_unlock(&h->rlock);
	if (rd == -1)
		return -1;
	if (rs == 1 && (rd == 0 || sp.u.pin.at >= db.u.pin.at))
		*out = sp.u.pin;
	else if (rd == 1)
		*out = db.u.pin;
	return rs == 1 || rd == 1;
}

int
history_running_elsewhere(struct history *h, const char *runner,
    const char *treadmill, int stale_minutes, char *where, size_t wlen,
    char *err, size_t errlen)
{
	time_t stale_before = time(NULL) - 60 * (time_t)stale_minutes;
	int rc;

	if (wlen > 0)
		where[0] = '\0';
	pthread_mutex_lock(&h->rlock);
	rc = h->be->running(h->rconn, runner, treadmill, stale_before, where,
	    wlen, err, errlen);
	pthread_mutex_unlock(&h->rlock);
	return rc;
}

int
history_claim(struct history *h, const char *runner, const char *treadmill,
    int stale_minutes, char *where, size_t wlen, char *err, size_t errlen)
{
	time_t stale_before = time(NULL) - 60 * (time_t)stale_minutes;
	int rc;

	if (wlen > 0)
		where[0] = '\0';
	pthread_mutex_lock(&h->rlock);
	rc = h->be->claim(h->rconn, runner, treadmill, stale_before, where,
	    wlen, err, errlen);
	pthread_mutex_unlock(&h->rlock);
	return rc;
}

int
history_release(struct history *h, const char *runner, const char *treadmill,
    char *err, size_t errlen)
{
	int rc;

	pthread_mutex_lock(&h->rlock);
	rc = h->be->release(h->rconn, runner, treadmill, err, errlen);
	pthread_mutex_unlock(&h->rlock);
	return rc;
}

unsigned long
history_spooled(const struct history *h)
{
	return h->spool != NULL ? hist_spool_count(h->spool) : 0;
}

const char *
history_link_error(const struct history *h)
{
	static _Thread_local char copy[512];

	copy[0] = '\0';
	if (h->spool != NULL)
		hist_spool_link_error(h->spool, copy, sizeof(copy));
	return copy;
}

void
history_free(struct runner_history *rh)
{
	if (rh == NULL)
		return;
	free(rh->checkins);
	free(rh->sessions);
	free(rh->strength);
	free(rh->symptoms);
	free(rh->overrides);
	memset(rh, 0, sizeof(*rh));
}
