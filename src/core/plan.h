/*
 * Planning: today's decision turned into a workout.  Pure: the caller
 * reads the history (or fails to) and passes it in.
 */
#ifndef TREAD_PLAN_H
#define TREAD_PLAN_H

#include <time.h>

#include "day.h"
#include "governor.h"
#include "profile.h"
#include "records.h"

/* The first day of history today's decision needs (the window; then
 * governor_read_from says whether older days are needed too). */
hday_t	 plan_history_since(const struct profile *, hday_t today);
/*
 * Today's decision.  h NULL when the history could not be read (err says
 * why): then nothing is earned and it is the cautious day.
 */
void	 plan_decide(const struct profile *, const struct runner_history *h,
	    const char *err, time_t now, struct decision *);
/* The first day of history the walk-run stage needs. */
hday_t	 plan_walkrun_since(time_t now);
/* The workout today's decision picks. */
const char *workout_default(const struct decision *, const struct profile *);
/*
 * The walk-run stage (0-based) the history has earned by today, as Couch
 * to 5K moves on: a stage advances after stage_sessions clean sessions
 * at it on different days with a rest day between; a symptom (in a run,
 * or a red flag at check-in) steps back one; 14 days without running
 * (recovery.break_days) step back one, 28 go back to the first.
 */
int	 walkrun_stage(const struct runner_history *, const struct profile *,
	    hday_t today);

#endif
