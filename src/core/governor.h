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

struct decision {
	enum phase	 phase;
	enum day_type	 day;
	bool		 intervals_allowed;
	struct caps	 easy;		/* caps for easy running (and the easy
					   parts of a hard session) */
	struct caps	 walk;		/* caps on a walk-only day */
	struct caps	 caps;		/* today's caps for the day type */
	double		 planned_minutes; /* after the spike guard */
	int		 streak_weeks;	/* qualifying weeks in a row so far */
	char		 progress[GOV_REASON_LEN];	/* unlocking progress */
	char		 reasons[GOV_REASONS_MAX][GOV_REASON_LEN];
	int		 nreasons;
	bool		 checked_in;	/* today's check-in exists */
};

/*
 * Decide.  today is the runner's local calendar day of now.  The history
 * must hold at least the last max(30, unlock.weeks * 7 + 7) days, plus the
 * last symptom and the last override.
 */
void	 governor_decide(const struct profile *, const struct runner_history *,
	    time_t now, hday_t today, struct decision *);

/* How many days of history governor_decide needs for this profile. */
int	 governor_history_days(const struct profile *);

const char *phase_name(enum phase);
const char *day_type_name(enum day_type);

#endif
