/*
 * Runner profiles: one libconfig file per runner in the profiles
 * directory (/etc/treadmilld/profiles.d/NAME.conf).  Every number in the
 * runner rules (ARCHITECTURE.md) is a setting here with a documented
 * default.  This header is the data only; conf/profile_load.h reads it.
 */
#ifndef TREAD_PROFILE_H
#define TREAD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#define PROFILE_NAME_MAX	32	/* [a-z0-9_-], the file's base name */
#define PROFILE_TEMPLATES_MAX	8

/* One interval template: warm-up, reps x (work, recovery), cool-down. */
struct interval_template {
	char	 name[32];
	double	 warmup_min;
	int	 reps;
	double	 work_s;
	double	 recovery_s;
	double	 cooldown_min;
	double	 work_speed;	/* km/h; 0 when steered by heart rate */
	double	 work_hr_pct;	/* % of HRmax; 0 when by speed */
};

/* Walk-run progression stage (used by the walkrun workout). */
struct walkrun_stage {
	double	 run_s, walk_s, total_min;
};
#define PROFILE_STAGES_MAX 16

struct profile {
	char	 id[PROFILE_NAME_MAX];		/* file base name */
	char	 name[64];			/* display name */
	char	 path[512];
	int	 hr_max;			/* bpm */
	int	 hr_rest;			/* bpm, 0 = unknown */
	bool	 has_delivery;			/* postnatal timing applies */
	int	 delivery_y, delivery_m, delivery_d;
	char	 units[16];			/* on her console: "metric",
						   "imperial", "" = the site's */

	struct {
		double	 min_speed, max_speed;	/* km/h easy pace band */
		double	 max_incline;		/* % */
		double	 hr_ceiling_pct;	/* % of hr_max, default 75 */
		int	 hr_ceiling;		/* bpm, derived */
		double	 max_minutes;		/* longest session */
		double	 start_minutes;		/* spike guard floor */
		double	 walk_minutes;		/* warm-up + cool-down: 6 */
	} easy;
	struct {
		double	 max_speed;		/* km/h cap in hard segments */
		double	 max_incline;		/* % */
		double	 hr_ceiling_pct;	/* % of hr_max, default 92 */
		int	 hr_ceiling;		/* bpm, derived */
	} hard;
	struct {
		double	 speed;			/* km/h walking pace */
		double	 run_threshold;		/* km/h: at or above it,
						   a running part counts
						   as running */
	} walk;
	struct {
		int	 weeks;			/* 3 */
		int	 runs_per_week;		/* 3 */
		double	 run_minutes;		/* 30 */
		int	 strength_per_week;	/* 2 */
		bool	 count_strength;	/* strength counts toward unlock */
		int	 runs_per_day;		/* runs a day that count: 1 */
		double	 strength_minutes;	/* shortest that counts: 20 */
	} unlock;
	struct {
		double	 min_hours;		/* 48 h since last hard session */
		double	 min_sleep_h;		/* 6 */
		double	 max_hard_share;	/* 0.20 of weekly running */
		int	 pain_threshold;	/* pain >= this is a red flag: 3 */
		int	 hard_per_week;		/* hard sessions in 7 days: 2 */
		int	 base_runs;		/* easy runs before intervals: 2 */
		int	 base_days;		/* ... within this many days: 14 */
		int	 break_days;		/* no run this long is a break: 14 */
		int	 comeback_days;		/* easy only after a break: 7 */
		int	 clear_days;		/* easy only after a red flag: 7 */
	} recovery;
	struct {
		int	 min_weeks;		/* 12 */
	} postnatal;
	struct {
		double	 max_growth;		/* 1.10 */
		int	 window_days;		/* 30 */
	} progression;

	struct interval_template templates[PROFILE_TEMPLATES_MAX];
	int	 ntemplates;
	struct walkrun_stage stages[PROFILE_STAGES_MAX];
	int	 nstages;
	int	 stage_sessions;		/* clean sessions to advance: 3 */
};

struct profile_set {
	struct profile	*v;
	size_t		 n;
};

#endif
