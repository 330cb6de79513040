/*
 * Internal to the governor (governor.c, governor_phase.c): the phase
 * decision and the helpers both halves use to word their reasons.
 */
#ifndef TREAD_GOVERNOR_INT_H
#define TREAD_GOVERNOR_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "governor.h"

/* Fill phase, streak_weeks, progress and the phase's reasons. */
void	 governor_phase(const struct profile *, const struct runner_history *,
	    hday_t today, struct decision *);

/* Append a reason (dropped past GOV_REASONS_MAX, cut at GOV_REASON_LEN). */
void	 gov_reason(struct decision *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 gov_progress(struct decision *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A number for people: at most one decimal, no trailing zeros. */
const char *gov_num(char *buf, size_t len, double);

hday_t	 gov_session_day(const struct hist_session *);
bool	 gov_is_walk(const struct hist_session *);
/* Completed, no symptom, easy intensity, actually running. */
bool	 gov_clean_run(const struct hist_session *);
bool	 gov_red_flag(const struct profile *, const struct hist_checkin *);

#endif
