/*
 * The control requests' worker thread.  The loop hands it jobs and goes
 * on; the thread wakes the loop through a pipe when one is done, so
 * nothing on the loop waits on a lock held across a disk access.
 */
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"
#include "xmalloc.h"

#define WORKER_NICE	10

struct worker {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	struct job	*todo, **todo_tail;	/* guarded by lock */
	struct job	*done, **done_tail;	/* guarded by lock */
	bool		 stopping;
	int		 pipe[2];		/* thread -> loop */
	struct event	*ev;
};

static void
append(struct job ***tail, struct job *j)
{
	j->next = NULL;
	**tail = j;
	*tail = &j->next;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *j;
	ssize_t rc;

	/* Below the tick: a flood of requests takes what the loop leaves. */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE) == -1)
		log_debug("control worker: setpriority: %s", strerror(errno));
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->todo == NULL && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping)
			break;
		j = w->todo;
		if ((w->todo = j->next) == NULL)
			w->todo_tail = &w->todo;
		pthread_mutex_unlock(&w->lock);
		j->run(j);
		j->ran = 1;
		pthread_mutex_lock(&w->lock);
		append(&w->done_tail, j);
		/* A full pipe already says there is something to collect. */
		rc = write(w->pipe[1], "", 1);
		(void)rc;
		/* Nothing more to do: give back what the jobs freed (a plan
		 * over years of history, SQLite's pages), which malloc would
		 * otherwise keep resident for the next large request. */
		if (w->todo == NULL && !w->stopping) {
			pthread_mutex_unlock(&w->lock);
			malloc_trim(0);
			pthread_mutex_lock(&w->lock);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Complete, on the loop, what the thread has done. */
static void
collect(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct job *j, *next;
	char buf[256];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&w->lock);
	j = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->lock);
	for (; j != NULL; j = next) {
		next = j->next;
		j->done(j);
	}
}

struct worker *
worker_start(struct event_base *base, char *err, size_t errlen)
{
	struct worker *w = xcalloc(1, sizeof(*w));
	sigset_t all, old;
	int rc;

	w->todo_tail = &w->todo;
	w->done_tail = &w->done;
	if (pipe2(w->pipe, O_NONBLOCK | O_CLOEXEC) == -1) {
		snprintf(err, errlen, "control worker: pipe: %s",
		    strerror(errno));
		free(w);
		return NULL;
	}
	w->ev = event_new(base, w->pipe[0], EV_READ | EV_PERSIST, collect, w);
	if (w->ev == NULL || event_add(w->ev, NULL) == -1) {
		snprintf(err, errlen, "control worker: cannot watch its pipe");
		goto fail;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	/* Signals are the event loop's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return w;
	snprintf(err, errlen, "control worker: thread: %s", strerror(rc));
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
fail:
	if (w->ev != NULL)
		event_free(w->ev);
	close(w->pipe[0]);
	close(w->pipe[1]);
	free(w);
	return NULL;
}

void
worker_submit(struct worker *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	append(&w->todo_tail, j);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void
worker_stop(struct worker *w)
{
	struct job *j, *next;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	collect(w->pipe[0], EV_READ, w);
	/* Jobs that never ran: their completion frees them. */
	for (j = w->todo; j != NULL; j = next) {
		next = j->next;
		j->done(j);
	}
	event_free(w->ev);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
