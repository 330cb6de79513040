/*
 * The runner's records: check-ins, sessions, strength sessions, symptom
 * reports and staff overrides.  Plain data, shared by the governor (which
 * decides from them) and the history (which stores them); no storage API
 * here, so core/ can use them without the database.
 */
#ifndef TREAD_RECORDS_H
#define TREAD_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "day.h"

#define HISTORY_ID_LEN 37	/* 36 chars + NUL */

struct hist_checkin {
	char	 runner[32];
	hday_t	 day;
	double	 sleep_h;
	int	 pain;		/* 0..10 */
	bool	 leak, heaviness, bleeding, limitation;
	time_t	 at;		/* when it was recorded */
};

enum hist_outcome {
	HO_RUNNING,	/* in progress (only seen while open) */
	HO_COMPLETED, HO_STOPPED, HO_SAFETY_STOP, HO_SYMPTOM, HO_FAULT,
	HO_INTERRUPTED,
};
#define HIST_OUTCOMES	(HO_INTERRUPTED + 1)

struct hist_session {
	char	 id[HISTORY_ID_LEN];
	char	 runner[32];
	char	 workout[32];	/* "easy", "intervals", "walkrun", "walk" */
	bool	 hard;		/* intensity class of the workout */
	time_t	 start, end;	/* end = last checkpoint while running */
	double	 planned_min, actual_min;
	/* Load is counted in running minutes: time in segments the plan
	 * marks as running, at or above the runner's walk/run threshold.
	 * Warm-up, cool-down and walk breaks are walking. */
	double	 running_min, walking_min;
	int	 stage;		/* walk-run stage (0-based) of a "walkrun" */
	double	 hard_min;	/* minutes in hard segments */
	double	 distance_m;
	double	 avg_speed, max_speed;	/* km/h */
	int	 avg_hr, max_hr;	/* bpm, 0 = none */
	double	 above_cap_s;	/* time above the HR cap */
	enum hist_outcome outcome;
	bool	 symptom;	/* a symptom was reported in it */
	bool	 backfilled;	/* entered by staff from a log */
	char	 treadmill[64];	/* which machine */
};

struct hist_strength {
	char	 runner[32];
	hday_t	 day;
	double	 minutes;
	time_t	 at;
};

struct hist_symptom {
	char	 runner[32];
	time_t	 at;
	hday_t	 day;
	char	 kind[32];	/* "pain", "leak", "heaviness", "bleeding", ... */
	char	 session_id[HISTORY_ID_LEN];	/* "" if not in a session */
};

struct hist_override {
	char	 runner[32];
	time_t	 at;
	bool	 unlock;	/* true unlock, false lock */
	bool	 clear;		/* staff clear a runner after a red flag
				   (then unlock is ignored) */
	char	 staff[64];	/* who */
	char	 reason[256];
};

/* Everything the governor needs about one runner (arrays oldest first). */
struct runner_history {
	struct hist_checkin	*checkins;	size_t ncheckins;
	struct hist_session	*sessions;	size_t nsessions;
	struct hist_strength	*strength;	size_t nstrength;
	struct hist_symptom	*symptoms;	size_t nsymptoms;
	struct hist_override	*overrides;	size_t noverrides;
};

/*
 * What the rules over the whole of a runner's history count, so that of
 * the days before a load's window only those rows are read
 * (history_load_rules; governor_rules fills it from a profile): toward
 * the unlock, clean easy runs (completed, no symptom, not hard, not a
 * walk) of at least run_minutes running minutes and strength sessions of
 * at least strength_minutes; what starts the count again, a session with
 * a symptom and a check-in with a red flag (a leak, heaviness, bleeding,
 * or pain of at least pain_threshold).
 */
struct hist_rules {
	double	 run_minutes;
	double	 strength_minutes;	/* NAN: strength does not count */
	int	 pain_threshold;
};

const char *hist_outcome_name(enum hist_outcome);
/* "completed" -> HO_COMPLETED; -1 if unknown. */
int	 hist_outcome_parse(const char *);

#endif
