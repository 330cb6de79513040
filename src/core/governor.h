/*
 * The session governor: today's decision for a runner, a pure function of
 * (profile, history, now).  Nothing is stored as a flag: phase, day type,
 * caps and reasons are derived from the history every time.
 */
#ifndef TREAD_GOVERNOR_H
#define TREAD_GOVERNOR_H

#include <stdbool.h>
#include <time.h>

#include "day.h"
#include "records.h"
#include "profile.h"

enum phase { PHASE_BASE, PHASE_UNLOCKED };
enum day_type { DAY_WALK_ONLY, DAY_EASY, DAY_INTERVALS };

struct caps {
	double	 max_speed;	/* km/h */
	double	 max_incline;	/* % */
	int	 hr_ceiling;	/* bpm, 0 = no HR cap */
	double	 max_minutes;	/* session length */
};

#define GOV_REASONS_MAX	16
#define GOV_REASON_LEN	200
#define GOV_CODE_LEN	24

struct decision {
	enum phase	 phase;
	enum day_type	 day;
	bool		 intervals_allowed;
	struct caps	 easy;		/* caps for easy running (and the easy
					   parts of a hard session) */
	struct caps	 walk;		/* caps on a walk-only day */
	struct caps	 caps;		/* today's caps for the day type */
	double		 planned_minutes; /* after the spike guard */
	char		 template_name[32];	/* interval day: the first
					   template that fits, else "" */
	int		 streak_weeks;	/* qualifying weeks in a row so far */
	char		 progress[GOV_REASON_LEN];	/* unlocking progress */
	/* Reasons for the runner, and beside each a stable code for
	 * programs ("sleep_short", "red_flag_leak", ...; "" if a caller
	 * added a reason of its own). */
	char		 reasons[GOV_REASONS_MAX][GOV_REASON_LEN];
	char		 codes[GOV_REASONS_MAX][GOV_CODE_LEN];
	int		 nreasons;
	bool		 checked_in;	/* today's check-in exists */
	/* The last 7 days (today included): running and hard minutes, for
	 * checking an interval template against the hard share. */
	double		 week_run_min, week_hard_min;
};

/*
 * Decide.  today is the runner's local calendar day of now.  The history
 * must hold at least the last max(30, unlock.weeks * 7 + 7) days, plus the
 * last symptom and every staff override.
 */
void	 governor_decide(const struct profile *, const struct runner_history *,
	    time_t now, hday_t today, struct decision *);

/* How many days of history governor_decide needs for this profile. */
int	 governor_history_days(const struct profile *);

/*
 * After loading the history from since (governor_history_days back):
 * since if that is enough for an exact decision, else the earlier day to
 * load from.  Only an unlock may need older days, and only when neither
 * a symptom nor a staff lock since then, nor the loaded weeks, settle it.
 */
#define GOV_ALL_DAYS	(-1000000)	/* load everything */
hday_t	 governor_read_from(const struct profile *,
	    const struct runner_history *, hday_t since, hday_t today);

/* What the governor counts over the whole history, for a read of only
 * those rows before the window (history_load_rules). */
void	 governor_rules(const struct profile *, struct hist_rules *);

/*
 * May template name run today under decision d?  0 if so; -1 with the
 * reason in why (for the runner) if it does not exist, today is not an
 * interval day, it is longer than today's length or it would make the
 * hard share too large.
 */
int	 governor_check_template(const struct profile *,
	    const struct decision *, const char *name, char *why,
	    size_t whylen);

/*
 * Whether a session counts toward the unlock as of today, or the first
 * rule it misses: the rule the phase counts by.  A run counts when it is
 * easy (not hard, not a walk), completed, without a symptom, has at
 * least unlock.run_minutes of running, came after the latest symptom or
 * staff lock, and is among the first unlock.runs_per_day of its day.
 */
enum run_count {
	RUN_COUNTED, RUN_SYMPTOM, RUN_WALK, RUN_HARD, RUN_NOT_COMPLETED,
	RUN_SHORT, RUN_RESTART, RUN_DAY_LIMIT, RUN_LATER
};
/* One answer per session of h, into out[h->nsessions]. */
void	 governor_counted(const struct profile *,
	    const struct runner_history *, hday_t today, enum run_count *out);
/* "counted", "symptom", "walk", "hard", "not_completed", "short",
 * "restart", "day_limit", "later" */
const char *run_count_name(enum run_count);

const char *phase_name(enum phase);
const char *day_type_name(enum day_type);

#endif
