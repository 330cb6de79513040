/*
 * Internal to the governor (governor.c, governor_phase.c, governor_day.c,
 * governor_hard.c): the halves of the decision and the helpers they share
 * to word their reasons.
 */
#ifndef TREAD_GOVERNOR_INT_H
#define TREAD_GOVERNOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "governor.h"

#define GOV_NO_DAY	INT32_MIN
#define PHYSIO_ADVICE	"see a pelvic-health physiotherapist"

/* The latest red flag up to today: a symptom, or a red flag at check-in. */
struct gov_flag {
	hday_t	 day;		/* GOV_NO_DAY if none */
	time_t	 at;
	char	 what[64];	/* "leak at check-in", "heaviness", ... */
};

/* The day's check-ins merged: only ever more careful. */
struct gov_checkin {
	bool	 any;
	double	 sleep_h;	/* the first check-in's */
	int	 pain;		/* the highest */
	bool	 leak, heaviness, bleeding, limitation;	/* any of them */
};

/* Fill phase, streak_weeks, progress and the phase's reasons, and the
 * latest red flag. */
void	 governor_phase(const struct profile *, const struct runner_history *,
	    hday_t today, struct decision *, struct gov_flag *);

/* governor_day.c: the day's check-in, red flags, postnatal timing.
 * gov_walk_only: true if today is walk-only; *easy_only if at most an
 * easy run (a lesser symptom, or the days after a red flag). */
void	 gov_checkin_merge(const struct runner_history *, hday_t today,
	    struct gov_checkin *);
bool	 gov_walk_only(const struct profile *, const struct runner_history *,
	    const struct gov_checkin *, const struct gov_flag *, hday_t today,
	    struct decision *, bool *easy_only);

/* governor_hard.c: today's length, and whether intervals may come. */
double	 gov_length(const struct profile *, const struct runner_history *,
	    hday_t today, struct decision *, bool say);
/* The interval template chosen, or NULL with the reasons why not and
 * when intervals may next come.  Fills d->week_run_min, week_hard_min. */
const struct interval_template *gov_intervals(const struct profile *,
	    const struct runner_history *, const struct gov_checkin *,
	    time_t now, hday_t today, struct decision *);
double	 gov_template_total(const struct interval_template *);

/* Append a reason with its code (dropped past GOV_REASONS_MAX, cut at
 * GOV_REASON_LEN). */
void	 gov_reason(struct decision *, const char *code, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 gov_progress(struct decision *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A number for people: at most one decimal, no trailing zeros. */
const char *gov_num(char *buf, size_t len, double);

hday_t	 gov_session_day(const struct hist_session *);
bool	 gov_is_walk(const struct hist_session *);
/* Not a walk, and some running in it. */
bool	 gov_is_run(const struct hist_session *);
/* Completed, no symptom, easy intensity, actually running. */
bool	 gov_clean_run(const struct hist_session *);
bool	 gov_red_flag(const struct profile *, const struct hist_checkin *);
/* Which red flag a check-in holds, for people ("" if none). */
const char *gov_flag_name(const struct profile *, const struct hist_checkin *,
	    char *buf, size_t len);

#endif
