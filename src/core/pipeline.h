/*
 * The tick pipeline: the one place where a tick's command is made.  Pure
 * logic, time passed in, no I/O.  Each tick runs, in this order:
 *
 *   telemetry -> safety observe (the cleaned sample is the only one any
 *   later stage sees) -> this tick's caps (segment caps, HR hold, symptom
 *   walk-down, a reload's lowered cap) -> the plugin's proposal (it sees
 *   this tick's caps) -> the runner's own request (console keys, speed
 *   and incline commands) -> the cap -> the safety limit (latches, ramps,
 *   machine maximum) -> the command.
 *
 * The first two stages run as soon as a transaction returns
 * (pipeline_observe), so a stop in telemetry is latched at once and the
 * caller can write it; the rest runs at the next tick
 * (pipeline_command).  Nothing flows backwards: a stage never sees what a
 * later stage made of this tick.
 */
#ifndef TREAD_PIPELINE_H
#define TREAD_PIPELINE_H

#include <stdbool.h>

#include "hrhold.h"
#include "safety.h"
#include "sample.h"
#include "session.h"

/* What the plugin stage is told besides the proposal it makes. */
enum pipe_event {
	PIPE_EV_SYMPTOM = 1,	/* the runner reported a symptom */
	PIPE_EV_STOP,		/* a safety stop: the belt is stopping */
	PIPE_EV_RESUME,		/* a person resumed after a stop */
	PIPE_EV_REQUEST,	/* the runner asked for value km/h */
	PIPE_EV_END,		/* the session is being ended early */
};

/* This tick's caps. */
struct pipe_caps {
	double	 speed;		/* km/h: segment, HR hold, walk-down, reload */
	double	 incline;	/* % */
	int	 hr_ceiling;	/* bpm, 0 = none */
	bool	 walkdown;	/* a walk-down holds the belt at walking pace */
};

/*
 * The plugin stage, as an interface: the workout layer implements it.
 * propose writes the session's prop_* fields; it is called only while the
 * plugin leads a running, unstopped session.
 */
struct pipe_plugin {
	void	(*propose)(void *ctx, struct session *, const struct sample *,
		    const struct pipe_caps *, double dt);
	void	(*event)(void *ctx, enum pipe_event, double value);
	void	*ctx;
};

struct pipeline {
	struct safety	 safety;
	struct session	 session;
	struct hr_hold	 hold;		/* the governor's HR cap in session */
	struct pipe_plugin plugin;	/* propose NULL: no plugin */
	struct pipe_caps caps;		/* the caps of the last tick */
	struct sample	 smp;		/* the last sample, as safety cleaned it */
	bool		 have_sample;
	double		 last_console;	/* console request last seen */
};

void	 pipeline_init(struct pipeline *, const struct safety_limits *);
void	 pipeline_set_limits(struct pipeline *, const struct safety_limits *);
/* A session begins with plan (see workout.h) led by plugin (may be NULL). */
void	 pipeline_begin(struct pipeline *, const struct session *plan,
	    const struct pipe_plugin *);
/*
 * Telemetry and safety observe: raw is one transaction's sample, NULL if
 * it failed; ran says the command written with it had RUN = 1.  Returns
 * the causes latched by it, so the caller can write a stop at once.
 */
unsigned pipeline_observe(struct pipeline *, const struct sample *raw,
	    bool ran, double now, double dt);
/* The rest of the tick: caps, plugin, request, cap, safety -> command. */
void	 pipeline_command(struct pipeline *, double now, double dt,
	    struct command *);

/* The caps as of now (the last HR hold, a walk-down begun since). */
void	 pipeline_caps(const struct pipeline *, struct pipe_caps *);
/* The fastest the belt may go now: the cap within the machine maximum. */
double	 pipeline_speed_limit(const struct pipeline *);
double	 pipeline_incline_max(const struct pipeline *);

/* A person's or the daemon's stop; returns the causes newly latched. */
unsigned pipeline_stop(struct pipeline *, unsigned cause, const char *why);
int	 pipeline_resume(struct pipeline *, const char **why);
/* The runner's request (a command; console keys come with the sample). */
int	 pipeline_request_speed(struct pipeline *, double kmh,
	    const char **why);
int	 pipeline_request_incline(struct pipeline *, double pct,
	    const char **why);
/* A symptom mid-run: the walk-down cap, then the cool-down. */
int	 pipeline_symptom(struct pipeline *, const char **why);
/* End early with a cool-down. */
int	 pipeline_end(struct pipeline *, const char **why);
/* A reload: new caps lower the session's (never raise them mid-run). */
void	 pipeline_lower_caps(struct pipeline *, const struct seg_caps *easy,
	    const struct seg_caps *hard);
/* The session has ended (after its ramp down): RUN goes to 0. */
void	 pipeline_finish(struct pipeline *);

#endif
