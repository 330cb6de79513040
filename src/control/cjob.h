/*
 * A command that finishes on the control worker thread (worker.h): the
 * loop checks the request and queues the write; the thread waits for it
 * or reads the history, fills the reply, and the loop sends it.  What
 * only the loop may do with the result (a start begins the session) is
 * the job's finish, run on the loop before the reply is sent.
 */
#ifndef TREAD_CJOB_H
#define TREAD_CJOB_H

#include "belt.h"
#include "commands.h"
#include "worker.h"

struct cjob {
	struct job	 job;
	struct belt	*b;
	struct reply	 r;
	bool		 json;
	struct control_later *cl;
	reply_later_fn	*deliver;	/* or to another front end */
	void		*deliver_arg;
	void		(*run)(struct cjob *);	/* on the thread: fill r */
	void		(*finish)(struct cjob *); /* then on the loop, if run */
	/* What run needs, copied: a reload may replace the loop's. */
	struct profile	 prof;
	struct config	*cfg;		/* plan: without the runners */
	int		 limit;
	bool		 sync;		/* wait for the queued writes first */
	bool		 decide;	/* then the day's decision */
	char		 pin[16];	/* set-pin: wiped after use */
	char		 staff[64];	/* set-pin: who */
	struct start_req *start;	/* start: freed with the job */
};

/* Finish the reply r on the thread: run after the handler returns. */
struct cjob *cjob_later(struct belt *, struct reply *r,
	    void (*run)(struct cjob *));

/* Send r's job to the worker, to answer on out's connection later. */
void	 cjob_submit(struct belt *, struct reply *r, bool json,
	    struct evbuffer *out);

/* Any job on the same worker thread (its done runs on the loop).  If the
 * thread cannot start, done runs before this returns, with ran 0. */
void	 cjob_submit_job(struct belt *, struct job *);

/* Shared by the runner commands. */
const struct profile *runner_or_reply(struct belt *, const char *id,
	    struct reply *);
int	 history_or_reply(struct belt *, struct reply *);
/* The peer's user name, or "uid N". */
void	 peer_name(const struct peer *, char *buf, size_t len);
/* Today's decision as fields of r, with its text lines. */
void	 reply_decision(struct reply *, const struct profile *,
	    const struct decision *);
void	 decision_lines(const struct reply *, struct evbuffer *);

#endif
