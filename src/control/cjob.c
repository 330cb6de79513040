/*
 * Commands that finish on the worker thread: the job's life from the
 * handler to the reply, and the one worker of the daemon.
 */
#include <stdlib.h>
#include <string.h>

#include "cjob.h"
#include "log.h"
#include "start.h"
#include "xmalloc.h"

static struct worker *worker;

static void
cjob_run(struct job *job)
{
	struct cjob *j = (struct cjob *)job;

	j->run(j);
}

static void
cjob_free(struct cjob *j)
{
	free(j->cfg);
	start_free(j->start);
	explicit_bzero(j->pin, sizeof(j->pin));
	free(j);
}

/* On the loop, once the thread is done (or never ran the job). */
static void
cjob_finish(struct cjob *j, bool ran)
{
	if (!ran && !j->r.error)
		rep_err(&j->r, "the daemon is shutting down");
	else if (ran && j->finish != NULL)
		j->finish(j);
}

static void
cjob_done(struct job *job)
{
	struct cjob *j = (struct cjob *)job;
	struct evbuffer *buf;

	cjob_finish(j, job->ran);
	if (j->deliver != NULL) {
		j->deliver(j->deliver_arg, &j->r);
		cjob_free(j);
		return;
	}
	buf = evbuffer_new();
	rep_render(&j->r, j->json, buf);
	control_answer(j->cl, buf);
	evbuffer_free(buf);
	cjob_free(j);
}

struct cjob *
cjob_later(struct belt *b, struct reply *r, void (*run)(struct cjob *))
{
	struct cjob *j = xcalloc(1, sizeof(*j));

	j->b = b;
	j->run = run;
	r->later = j;
	return j;
}

/*
 * Hand a command's unfinished reply to the worker thread.  A caller with
 * no connection behind it (a test driving the commands directly) has
 * nobody to answer later: the job runs here.
 */
void
cjob_submit(struct belt *b, struct reply *r, bool json,
    struct evbuffer *out)
{
	struct cjob *j = r->later;
	char err[256];

	r->later = NULL;
	j->r = *r;
	j->json = json;
	j->job.run = cjob_run;
	j->job.done = cjob_done;
	if ((j->cl = control_defer(out)) == NULL) {
		cjob_run(&j->job);
		cjob_finish(j, true);
		rep_render(&j->r, json, out);
		cjob_free(j);
		return;
	}
	if (worker == NULL &&
	    (worker = worker_start(b->base, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		rep_err(&j->r, "cannot finish the request: %s", err);
		cjob_done(&j->job);
		return;
	}
	worker_submit(worker, &j->job);
}

void
cjob_submit_job(struct belt *b, struct job *job)
{
	char err[256];

	if (worker == NULL &&
	    (worker = worker_start(b->base, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		job->ran = 0;
		job->done(job);
		return;
	}
	worker_submit(worker, job);
}

void
commands_close(void)
{
	worker_stop(worker);
	worker = NULL;
}

/* The same job for another front end: fn has the reply on the loop. */
void
commands_later(void *belt, struct reply *r, reply_later_fn *fn, void *arg)
{
	struct belt *b = belt;
	struct cjob *j = r->later;
	char err[256];

	r->later = NULL;
	j->r = *r;
	j->deliver = fn;
	j->deliver_arg = arg;
	j->job.run = cjob_run;
	j->job.done = cjob_done;
	if (worker == NULL &&
	    (worker = worker_start(b->base, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		rep_err(&j->r, "cannot finish the request: %s", err);
		cjob_done(&j->job);
		return;
	}
	worker_submit(worker, &j->job);
}
