/*
 * A runner's history built by hand, record by record, and a profile with
 * the rules' defaults, for the unit tests of the governor and of today's
 * decision.  Days are UTC days (the tests
 * set TZ=UTC), so a record's time is its day and an hour of it.  Each
 * kind's array keeps the order the records were added in.
 */
#ifndef TREAD_FAKEHIST_H
#define TREAD_FAKEHIST_H

#include <stdbool.h>
#include <time.h>

#include "day.h"
#include "profile.h"
#include "records.h"

struct fake {
	struct runner_history h;
	size_t	 cs, cc, ct, cy, co;	/* capacities */
};

/* hour:min of day. */
time_t	 at(hday_t day, int hour, int min);

/* A completed easy session at hour, all of its minutes running. */
struct hist_session *add_session(struct fake *, hday_t day, int hour,
	    double minutes);
/* A clean easy run at 07:00. */
void	 run(struct fake *, hday_t day, double minutes);
/* An interval session that ended at end. */
struct hist_session *hard(struct fake *, time_t end, double minutes,
	    double hard_min);
/* 25 minutes of strength at noon. */
struct hist_strength *strength(struct fake *, hday_t day);
/* A check-in at 06:30 with nothing to report. */
struct hist_checkin *checkin(struct fake *, hday_t day, double sleep_h);
struct hist_symptom *symptom(struct fake *, hday_t day, int hour,
	    const char *kind);
struct hist_override *override(struct fake *, time_t when, bool unlock,
	    const char *staff, const char *reason);

/* A week that meets the unlock rule: runs Mon, Wed, Fri; strength Tue,
 * Thu. */
void	 good_week(struct fake *, hday_t monday);
/* Good weeks from the one of monday to the one of last (included). */
void	 good_weeks(struct fake *, hday_t monday, hday_t last);

/* Append the records of src that keep takes (by their day) to dst. */
void	 fake_copy_if(struct fake *dst, const struct fake *src,
	    bool (*keep)(hday_t day, void *arg), void *arg);
void	 fake_free(struct fake *);

/* A runner's profile with the runner rules' defaults (ARCHITECTURE.md),
 * two interval templates and id "maya". */
void	 default_profile(struct profile *);

#endif
