/*
 * Today's decision read from the history: only the days the rules need
 * (the governor's window, widened when it asks for the weeks that earned
 * an unlock), then the governor (core/plan.h).  The daemon, its worker
 * and the benchmark all decide through here.
 */
#ifndef TREAD_DECIDE_H
#define TREAD_DECIDE_H

#include <time.h>

#include "governor.h"
#include "history.h"
#include "profile.h"

/* h NULL: the history is unavailable (hist_error says why), and the day
 * is the cautious one.  Never fails: a read error makes it cautious too. */
void	 decide_today(struct history *h, const char *hist_error,
	    const struct profile *, time_t now, struct decision *);

#endif
