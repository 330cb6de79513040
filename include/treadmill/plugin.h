/*
 * treadmilld workout plugin ABI.
 *
 * A workout plugin is a shared object, NAME.so, in the daemon's plugin
 * directory.  It proposes what the belt should do; it cannot make the
 * belt do it.  Every proposal goes through the governor's caps (the
 * runner's easy or hard limits for the day) and then the safety core
 * (stop latches, ramps, the machine maximum) before it reaches the drive.
 *
 * Life of a plugin in one session:
 *
 *   treadmill_plugin(TM_ABI_VERSION)   once, when the daemon loads it
 *   init(&ctx, runner, config, ...)    at the start of a session
 *   plan(ctx, segments, ...)           describe the session up front
 *   tick(ctx, sample, &proposal)       every control tick (20 Hz)
 *   event(ctx, event)                  symptom, stop, resume, request...
 *   cleanup(ctx)                       at the end of the session
 *
 * and, apart from any session, check(&chk) when staff check or reload
 * the configuration (revision 1 of ABI 1, see struct tm_check).
 *
 * All calls come from the daemon's one control thread; a call must return
 * quickly (well under a millisecond): no I/O, no sleeping.  A call that
 * returns an error (-1) ends the session safely with a cool-down.
 *
 * Every struct that crosses the ABI has reserved room at its end, which
 * the daemon zeroes; a later minor change may give it meaning without
 * breaking plugins built against this header.
 */
#ifndef TREADMILL_PLUGIN_H
#define TREADMILL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define TM_ABI_VERSION 1
/*
 * Its revision: additions that use the reserved room, which plugins and
 * daemons of other revisions of the same version ignore.  Revision 1
 * adds tm_plugin.check.  A plugin says which revision it was built for
 * in tm_plugin.abi_revision; the daemon reads what a revision added only
 * from a plugin that announces it.
 */
#define TM_ABI_REVISION 1

/* The name of the one symbol the daemon looks up in NAME.so. */
#define TM_PLUGIN_ENTRY "treadmill_plugin"

/* Intensity class of a workout or of one of its segments. */
enum tm_intensity {
	TM_EASY = 0,	/* capped at the runner's easy limits */
	TM_HARD = 1,	/* allowed only on an interval day */
};

/*
 * Gait of a segment or of what is proposed now: walking or running.  The
 * runner's load is counted in running minutes: time in a TM_RUN segment
 * with the belt at or above her walk/run threshold.  Mark warm-ups,
 * cool-downs, walk breaks and walked recoveries TM_WALK, runs and reps
 * TM_RUN.  A plugin that leaves it 0 (TM_GAIT_UNSET, as one built before
 * the mark existed does) is judged by the belt's speed alone.
 */
enum tm_gait {
	TM_GAIT_UNSET = 0,
	TM_WALK = 1,
	TM_RUN = 2,
};

/* One interval template from the runner's profile. */
struct tm_interval {
	const char	*name;
	double		 warmup_min;
	int		 reps;
	double		 work_s;
	double		 recovery_s;
	double		 cooldown_min;
	double		 work_speed;	/* km/h; 0 when steered by heart rate */
	double		 work_hr_pct;	/* % of HRmax; 0 when by speed */
	uint32_t	 reserved[8];
};

/* One walk-run stage from the runner's profile. */
struct tm_stage {
	double		 run_s;		/* running part of a cycle */
	double		 walk_s;	/* walking part (0: continuous run) */
	double		 total_min;	/* length of the session at this stage */
	uint32_t	 reserved[4];
};

/*
 * What a plugin may know about the runner and today.  Speeds in km/h,
 * inclines in % grade, heart rates in beats per minute.
 */
struct tm_runner {
	const char	*id;
	int		 hr_max;
	int		 hr_rest;		/* 0 = unknown */
	double		 easy_min_speed;
	double		 easy_max_speed;
	double		 easy_max_incline;
	int		 easy_hr_ceiling;	/* bpm */
	double		 hard_max_speed;
	int		 hard_hr_ceiling;	/* bpm */
	double		 walk_speed;
	double		 planned_minutes;	/* today's length (spike guard) */
	const struct tm_interval *templates;
	int		 ntemplates;
	const char	*template_name;		/* asked for, or NULL */
	const struct tm_stage *stages;
	int		 nstages;
	int		 stage;			/* walk-run stage earned (0-based) */
	uint32_t	 reserved[16];
};

/*
 * The plugin's own configuration group (plugins.NAME in
 * treadmilld.conf), read through these calls so that a plugin need not
 * link libconfig.  Each returns 0 and sets *out when the key is there
 * with that type, -1 otherwise (*out untouched).
 */
struct tm_config {
	const void	*priv;
	int		(*get_number)(const struct tm_config *, const char *key,
			    double *out);
	int		(*get_string)(const struct tm_config *, const char *key,
			    const char **out);
	void		*reserved[4];
};

/* One segment of a planned session. */
#define TM_LABEL_MAX 32
struct tm_segment {
	char		 label[TM_LABEL_MAX];	/* "warm-up", "rep 3/6" */
	double		 duration_s;
	double		 speed;		/* km/h planned (0: steered by HR) */
	double		 incline;	/* % */
	int		 intensity;	/* enum tm_intensity */
	int		 hr_target;	/* bpm to steer to, 0 = by speed */
	int		 gait;		/* enum tm_gait (from reserved room) */
	uint32_t	 reserved[7];
};

/* The latest drive sample and where the session is. */
struct tm_sample {
	double		 elapsed_s;	/* time moving since the start */
	double		 belt_speed;	/* km/h measured */
	double		 incline;	/* % measured */
	int		 heart_rate;	/* bpm, 0 = no signal */
	double		 cap;		/* km/h: the governor's cap now */
	int		 hr_ceiling;	/* bpm ceiling now, 0 = none */
	double		 dt;		/* s since the previous tick */
	uint32_t	 reserved[8];
};

/* What the plugin proposes for this tick. */
struct tm_proposal {
	double		 speed;		/* km/h */
	double		 incline;	/* % */
	char		 label[TM_LABEL_MAX];	/* shown to the runner */
	int		 done;		/* 1: the workout is over (cool-down) */
	int		 intensity;	/* of what is proposed now */
	int		 gait;		/* enum tm_gait of it (from reserved
					   room); the daemon zeroes it before
					   each tick */
	uint32_t	 reserved[7];
};

enum tm_event_type {
	TM_EV_SYMPTOM = 1,	/* the runner reported a symptom */
	TM_EV_STOP = 2,		/* a safety stop: the belt is stopping */
	TM_EV_RESUME = 3,	/* a person resumed after a stop */
	TM_EV_REQUEST = 4,	/* the runner asked for value km/h */
	TM_EV_END = 5,		/* the session is being ended early */
};

struct tm_event {
	int		 type;		/* enum tm_event_type */
	double		 value;
	uint32_t	 reserved[6];
};

#if defined(__GNUC__)
#define TM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TM_PRINTF(f, a)
#endif

/*
 * Checking the settings (revision 1).  The daemon calls a plugin's check
 * at `treadmilld -n` and at every reload, apart from any session, with
 * the plugin's configuration group (plugins.NAME in treadmilld.conf), so
 * that a mistake there shows when staff make it, not when a runner
 * starts.  For each problem, call report() with the key it is about
 * (NULL: the group as a whole) and one sentence; the daemon prints it as
 * "treadmilld.conf:LINE: plugins.NAME.KEY: sentence", and -n fails and a
 * reload is refused.  keys[0..nkeys) is every key written in the group,
 * in order, so that a key the plugin does not know (a misspelling) can be
 * reported too.  Return the number of problems reported.
 *
 *   static int
 *   my_check(const struct tm_check *chk)
 *   {
 *       int bad = 0;
 *       double v;
 *
 *       for (int i = 0; i < chk->nkeys; i++)
 *           if (strcmp(chk->keys[i], "warmup_min") != 0) {
 *               chk->report(chk, chk->keys[i], "unknown setting");
 *               bad++;
 *           }
 *       if (chk->config->get_number(chk->config, "warmup_min", &v) == 0 &&
 *           !(v >= 0 && v <= 30)) {
 *           chk->report(chk, "warmup_min", "must be between 0 and 30");
 *           bad++;
 *       }
 *       return bad;
 *   }
 *
 * and in the plugin's struct tm_plugin:
 *   .abi_revision = TM_ABI_REVISION, .check = my_check,
 *
 * check runs in the daemon's one thread like every other call and must
 * be as quick; it must not keep the pointers it is given.  init must
 * still refuse bad settings: a daemon of revision 0 never calls check.
 */
struct tm_check {
	const struct tm_config *config;	/* the settings, as init gets them */
	const char *const *keys;	/* every key written, in order */
	int		 nkeys;
	void		(*report)(const struct tm_check *, const char *key,
			    const char *fmt, ...) TM_PRINTF(3, 4);
	void		*priv;		/* the daemon's */
	void		*reserved[4];
};

/* Size of the error buffer the daemon passes to init. */
#define TM_ERR_MAX 160

struct tm_plugin {
	/* The ABI versions the plugin speaks; the daemon refuses it unless
	 * TM_ABI_VERSION is in [abi_min, abi_max]. */
	uint32_t	 abi_min;
	uint32_t	 abi_max;
	const char	*name;		/* must equal the file name's NAME */
	const char	*description;
	int		 intensity;	/* enum tm_intensity of the workout */

	/* Start a session: allocate *ctx.  -1 with err filled on failure. */
	int		(*init)(void **ctx, const struct tm_runner *,
			    const struct tm_config *, char *err, size_t errlen);
	/* Fill up to max segments, set *n.  0 or -1. */
	int		(*plan)(void *ctx, struct tm_segment *, int max, int *n);
	/* Propose for this tick.  0 or -1 (ends the session safely). */
	int		(*tick)(void *ctx, const struct tm_sample *,
			    struct tm_proposal *);
	/* Something happened; may be NULL. */
	void		(*event)(void *ctx, const struct tm_event *);
	/* End of the session: free ctx.  May be NULL. */
	void		(*cleanup)(void *ctx);
	/* Revision 1 (0 in plugins built before it, whose reserved room
	 * the compiler zeroed): TM_ABI_REVISION when built from this
	 * header and check is filled in. */
	uintptr_t	 abi_revision;
	/* Check the settings, apart from any session (struct tm_check):
	 * the number of problems reported.  May be NULL. */
	int		(*check)(const struct tm_check *);
	void		*reserved[6];
};

/*
 * Mark the entry point with this: plugins may be built with
 * -fvisibility=hidden so that only the entry point is exported.
 */
#if defined(__GNUC__)
#define TM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TM_PLUGIN_EXPORT
#endif

/*
 * The entry point every plugin defines: return the plugin's description
 * (static storage), or NULL if it cannot work with the daemon's ABI.
 */
typedef const struct tm_plugin *(*tm_plugin_entry)(uint32_t daemon_abi);

#ifdef __cplusplus
}
#endif

#endif
