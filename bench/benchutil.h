/*
 * What the history benchmarks share (decide.c, pghistory.c): a runner's
 * years of daily history, and the timing of today's decision.
 */
#ifndef TREAD_BENCHUTIL_H
#define TREAD_BENCHUTIL_H

#include <time.h>

#include "history.h"
#include "profile.h"

/* Monotonic seconds. */
double	 bench_now(void);
/* Print to stderr and exit 1. */
void	 bench_die(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/*
 * days of daily history for runner up to yesterday: a session and a
 * check-in each day, a strength session twice a week; then synced (dies
 * if the sync fails).
 */
void	 bench_fill(struct history *, const char *runner, int days,
	    time_t now);
/*
 * The daemon's decision path (decide_today: for a runner with no symptom
 * or lock who never unlocked, the window and of the older days only what
 * the rules count, then the governor), n times; prints the median and
 * p99 under label.
 */
void	 bench_decisions(struct history *, const struct profile *,
	    const char *label, int n);

#endif
