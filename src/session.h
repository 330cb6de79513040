/*
 * A session's pacing: pure logic, time passed in.  It proposes a target
 * speed and incline each tick; the cap and the safety core come after it.
 * For now one fixed easy pace from the configuration, then a cool-down.
 */
#ifndef TREAD_SESSION_H
#define TREAD_SESSION_H

#include <stdbool.h>

#include "sample.h"

enum session_state {
	SESSION_IDLE,		/* no session */
	SESSION_RUNNING,	/* paced */
	SESSION_COOLDOWN,	/* ramping down to end */
};

enum session_outcome {
	OUTCOME_NONE, OUTCOME_COMPLETED, OUTCOME_STOPPED, OUTCOME_SAFETY_STOP,
};

struct session {
	enum session_state state;
	double	 pace;		/* km/h the session proposes */
	double	 incline;	/* % grade */
	double	 cap;		/* km/h: nobody gets above this */
	double	 planned_s;	/* running time before the cool-down */
	double	 request;	/* runner's own speed request, 0 = none */
	double	 request_incline; /* NAN = none */
	double	 elapsed_s;	/* time moving, excluding stops */
	double	 distance_m;	/* from belt speed */
	double	 speed_sum;	/* for the average */
	double	 max_speed;
	int	 hr_max;
	double	 hr_sum;
	double	 hr_time;
	double	 last_console;	/* console request last seen */
	bool	 stopped_by_safety;
	enum session_outcome outcome;
};

void	 session_begin(struct session *, double pace, double incline,
	    double cap, double planned_s);
/* Advance by dt with the latest sample; running = belt allowed to run. */
void	 session_tick(struct session *, const struct sample *, double dt,
	    bool running);
/* The proposal for this tick (before the cap, which safety applies). */
double	 session_target_speed(const struct session *);
double	 session_target_incline(const struct session *);
/* The runner slows down or speeds up; -1 and *why if out of range. */
int	 session_request_speed(struct session *, double kmh, const char **why);
void	 session_request_incline(struct session *, double pct);
/* End it: cool down to 0 (outcome says why). */
void	 session_end(struct session *, enum session_outcome);
const char *session_state_name(enum session_state);
const char *session_outcome_name(enum session_outcome);

#endif
