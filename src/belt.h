/*
 * The belt loop: one control tick runs drive telemetry -> safety observe
 * -> session proposal -> cap -> safety limit -> drive command.  Stops do
 * not wait for a tick: a stop seen in telemetry or asked for on the socket
 * is written to the drive at once.
 */
#ifndef TREAD_BELT_H
#define TREAD_BELT_H

#include <event2/event.h>
#include <stdbool.h>

#include "config.h"
#include "drive.h"
#include "safety.h"
#include "session.h"

struct belt {
	struct config	 cfg;
	struct config	*pending_link;	/* link change waiting for idle */
	struct drive	 drive;
	struct safety	 safety;
	struct session	 session;
	struct event_base *base;
	struct event	*tick_ev;
	double		 t0;		/* monotonic start of the daemon */
	double		 last_tick;
	struct command	 last_cmd;
	struct sample	 last_sample;
	bool		 have_sample;
	unsigned long	 ticks;
	unsigned long	 stop_writes;
	bool		 shutting_down;
	double		 shutdown_deadline;
	void		(*on_idle_shutdown)(struct belt *);
	void		(*on_tick)(struct belt *);	/* e.g. watchdog ping */
};

double	 monotime(void);
void	 belt_init(struct belt *, struct event_base *, const struct config *);
void	 belt_free(struct belt *);
/* Apply a new, already validated configuration (reload). */
void	 belt_reconfigure(struct belt *, const struct config *);
/* A stop asked for by a person or by the daemon: latched, written now. */
void	 belt_stop(struct belt *, unsigned cause, const char *why);
int	 belt_start(struct belt *, const char **why);
int	 belt_resume(struct belt *, const char **why);
/* Begin an orderly shutdown: ramp the belt down, then call on_idle. */
void	 belt_shutdown(struct belt *);

#endif
