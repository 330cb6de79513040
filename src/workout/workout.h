/*
 * Workouts.  The day's workout is a plugin (plugins/NAME: easy, walkrun,
 * intervals, ...) that proposes; the caps it runs under come from the
 * governor and the safety core and cannot be raised by it.  A walk-only
 * day and a guest session are built in.
 */
#ifndef TREAD_WORKOUT_H
#define TREAD_WORKOUT_H

#include <stdbool.h>

#include "config.h"
#include "governor.h"
#include "history.h"
#include "pipeline.h"
#include "plan.h"
#include "plugin.h"
#include "profile.h"
#include "session.h"

struct workout {
	struct plugin		 pl;
	void			*ctx;
	bool			 active;	/* plugin initialised */
	struct tm_runner	 runner;
	struct tm_interval	 tmpl[PROFILE_TEMPLATES_MAX];
	struct tm_stage		 stages[PROFILE_STAGES_MAX];
	struct tm_config	 tcfg;
	const struct plugin_conf *pc;
	unsigned long		 errors;
};

/*
 * Plan `name` ("walk", a plugin's name, or NULL for the day's pick) for a
 * runner into s, with w holding the plugin for the session.  -1 with why
 * when today's decision does not allow it or the plugin refuses.
 */
int	 workout_open(struct workout *w, struct session *s, const char *name,
	    const char *template_name, const struct profile *,
	    const struct decision *, int stage, const struct config *,
	    char *why, size_t whylen);
/* The pipeline's plugin stage for w (w must outlive the session). */
void	 workout_stage(struct workout *, struct pipe_plugin *);
void	 workout_close(struct workout *);

/* A guest session without a profile: the fixed pace of the config. */
void	 workout_plan_guest(struct session *, const struct config *);

#endif
