/*
 * A thread for control requests that read or wait on the history, so the
 * loop never does: a job runs on the thread, then its completion runs on
 * the loop.  Jobs run one at a time, in the order they came.
 */
#ifndef TREAD_WORKER_H
#define TREAD_WORKER_H

#include <event2/event.h>
#include <stddef.h>

struct job {
	void		(*run)(struct job *);	/* on the thread */
	void		(*done)(struct job *);	/* on the loop; frees the job */
	int		 ran;		/* 0 when stopped before it ran */
	struct job	*next;
};

struct worker;

struct worker *worker_start(struct event_base *, char *err, size_t errlen);
void	 worker_submit(struct worker *, struct job *);
/* Finish the job running now, then complete every job (run or not). */
void	 worker_stop(struct worker *);

#endif
