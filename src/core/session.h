/*
 * A session: a plan of segments (warm-up, run, reps, cool-down) and its
 * progress.  Pure logic, time passed in.  It proposes a target speed and
 * incline and names the caps of the current segment; the tick pipeline
 * (pipeline.h) turns those into the cap and the command.
 */
#ifndef TREAD_SESSION_H
#define TREAD_SESSION_H

#include <stdbool.h>

#include "sample.h"

#define SESSION_SEGMENTS_MAX	96
#define SEGMENT_LABEL_MAX	32

/* Walking or running, as the plan marks a segment (the plugin ABI's
 * values); unset: the belt's speed alone decides. */
enum gait { GAIT_UNSET = 0, GAIT_WALK = 1, GAIT_RUN = 2 };

struct segment {
	char	 label[SEGMENT_LABEL_MAX];	/* "warm-up", "rep 3/6", ... */
	double	 duration_s;
	double	 speed;		/* km/h proposed */
	double	 incline;	/* % */
	bool	 hard;		/* intensity class */
	enum gait gait;
};

/* The limits that apply to a segment (from today's decision). */
struct seg_caps {
	double	 max_speed;	/* km/h */
	double	 max_incline;	/* % */
	int	 hr_ceiling;	/* bpm, 0 = none */
};

enum session_state {
	SESSION_IDLE,		/* no session */
	SESSION_RUNNING,	/* following the plan */
	SESSION_COOLDOWN,	/* plan over: ramping down to end */
};

enum session_outcome {
	OUTCOME_NONE, OUTCOME_COMPLETED, OUTCOME_STOPPED, OUTCOME_SAFETY_STOP,
	OUTCOME_SYMPTOM, OUTCOME_FAULT,
};

struct session {
	enum session_state state;
	char	 runner[32];	/* "" for a guest session */
	char	 workout[32];
	bool	 hard;		/* the workout's intensity class */
	struct segment seg[SESSION_SEGMENTS_MAX];
	int	 nseg;
	int	 cur;		/* current segment */
	double	 seg_elapsed;	/* s into the current segment */
	struct seg_caps easy_caps, hard_caps;
	double	 max_s;		/* duration cap: cool-down after this */
	double	 walk_speed;	/* km/h for a symptom's walk-down */
	double	 walk_cap;	/* km/h, set by a walk-down: 0 = none */
	double	 request;	/* runner's own speed request, 0 = none */
	double	 request_incline; /* NAN = none */
	double	 elapsed_s;	/* time moving, excluding stops */
	double	 hard_s;	/* time in hard segments */
	/* Load: time running (a segment not marked walking, the belt at or
	 * above run_threshold) and the rest of the time moving. */
	double	 running_s, walking_s;
	double	 run_threshold;	/* km/h, the runner's walk/run threshold */
	int	 stage;		/* walk-run stage it was planned with */
	double	 distance_m;
	double	 speed_sum;	/* km/h * s, for the average */
	double	 max_speed;
	int	 hr_max;
	double	 hr_sum, hr_time;
	double	 above_cap_s;	/* time with HR above the ceiling */
	double	 last_console;	/* console request last seen (pipeline.c) */
	/* A plugin's proposal for this tick, while it leads the session. */
	bool	 use_plugin;
	double	 prop_speed, prop_incline;
	char	 prop_label[SEGMENT_LABEL_MAX];
	bool	 prop_hard;
	enum gait prop_gait;
	bool	 symptom;
	bool	 stopped_by_safety;
	bool	 fault;
	enum session_outcome outcome;
};

/* Begin with a plan already in s->seg (see workout.h). */
void	 session_begin(struct session *);
void	 session_add(struct session *, const char *label, double duration_s,
	    double speed, double incline, bool hard);
/* The same, walked or run. */
void	 session_add_gait(struct session *, const char *label,
	    double duration_s, double speed, double incline, bool hard,
	    enum gait);
/* Advance by dt with the latest sample; running = belt allowed to run. */
void	 session_tick(struct session *, const struct sample *, double dt,
	    bool running);
double	 session_target_speed(const struct session *);
double	 session_target_incline(const struct session *);
/* The caps of the current segment. */
const struct seg_caps *session_caps(const struct session *);
const char *session_label(const struct session *);
double	 session_planned_s(const struct session *);
/* The runner slows down or speeds up; -1 and *why if out of range. */
int	 session_request_speed(struct session *, double kmh, const char **why);
void	 session_request_incline(struct session *, double pct);
/* A symptom mid-run: walking pace, then the cool-down. */
void	 session_symptom(struct session *);
/* The workout failed: walking pace, then the cool-down (not a symptom). */
void	 session_abort(struct session *);
/* End it: cool down to 0 (outcome says why). */
void	 session_end(struct session *, enum session_outcome);
const char *session_state_name(enum session_state);
const char *session_outcome_name(enum session_outcome);

#endif
