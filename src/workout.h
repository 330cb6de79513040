/*
 * Built-in workouts: each turns today's decision and the runner's profile
 * into a plan of segments.  A workout proposes; the caps it is given come
 * from the governor and cannot be raised by it.
 */
#ifndef TREAD_WORKOUT_H
#define TREAD_WORKOUT_H

#include "config.h"
#include "governor.h"
#include "profile.h"
#include "session.h"

/*
 * Plan `name` ("easy", "intervals", "walk", or NULL for the day's pick)
 * for the runner.  -1 with *why when today's decision does not allow it.
 * template_name picks an interval template (NULL: the first).
 */
int	 workout_plan(struct session *, const char *name,
	    const char *template_name, const struct profile *,
	    const struct decision *, const char **why);
/* A guest session without a profile: the fixed pace of the config. */
void	 workout_plan_guest(struct session *, const struct config *);
/* The workout today's decision picks. */
const char *workout_default(const struct decision *);

#endif
