/*
 * The belt loop: the timer, the drive I/O and the recording.  The command
 * itself is made by the tick pipeline (pipeline.h).  Stops do not wait
 * for a tick: a stop seen in telemetry or asked for on the socket is
 * written to the drive at once.
 */
#ifndef TREAD_BELT_H
#define TREAD_BELT_H

#include <event2/event.h>
#include <stdbool.h>

#include "config.h"
#include "counters.h"
#include "drive.h"
#include "governor.h"
#include "history.h"
#include "pipeline.h"
#include "workout.h"

/* How often a running session's record is written (invariant 5: <= 5 s). */
#define CHECKPOINT_S 2.0

struct belt {
	struct config	 cfg;
	struct config	*pending_link;	/* link change waiting for idle */
	struct drive	 drive;
	struct pipeline	 pl;		/* safety, session, caps: the command */
	struct workout	 wk;		/* the session's workout plugin */
	struct history	*hist;		/* NULL when it could not be opened */
	char		 hist_error[256];
	struct hist_session rec;	/* the running session's record */
	double		 last_checkpoint;
	struct event_base *base;
	struct event	*tick_ev;
	double		 t0;		/* monotonic start of the daemon */
	double		 last_tick;
	struct command	 last_cmd;
	unsigned long	 ticks;
	unsigned long	 stop_writes;
	struct counters	 ctr;		/* metrics and events (counters.h) */
	bool		 shutting_down;
	double		 shutdown_deadline;
	void		(*on_idle_shutdown)(struct belt *);
	void		(*on_tick)(struct belt *);	/* e.g. watchdog ping */
};

double	 monotime(void);
void	 belt_init(struct belt *, struct event_base *, const struct config *);
void	 belt_free(struct belt *);
/* (Re)open the history if it is not open (start-up, reload). */
void	 belt_open_history(struct belt *);
/* Apply a new, already validated configuration (reload). */
void	 belt_reconfigure(struct belt *, const struct config *);
/* A stop asked for by a person or by the daemon: latched, written now. */
void	 belt_stop(struct belt *, unsigned cause, const char *why);
/* Starting a session: start.h. */
/* Today's decision for a runner (an unreadable history is one of its
 * reasons). */
void	 belt_decide(struct belt *, const struct profile *, struct decision *);
/* The walk-run stage a runner's history has earned. */
int	 belt_walkrun_stage(struct belt *, const struct profile *);
/* A symptom reported mid-run. */
int	 belt_symptom(struct belt *, const char *kind, const char **why);
int	 belt_resume(struct belt *, const char **why);
/* Begin an orderly shutdown: ramp the belt down, then call on_idle. */
void	 belt_shutdown(struct belt *);

#endif
