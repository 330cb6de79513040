/*
 * Today's decision read from the history (decide.h).
 */
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "plan.h"

void
decide_today(struct history *hist, const char *hist_error,
    const struct profile *p, time_t now, struct decision *d)
{
	struct runner_history h;
	struct hist_rules rules;
	hday_t today = hday_from_time(now), since;
	char err[256] = "";
	int ok = -1;

	memset(&h, 0, sizeof(h));
	if (hist != NULL) {
		since = plan_history_since(p, today);
		ok = history_load(hist, p->id, since, &h, err, sizeof(err));
		/*
		 * An unlock lasts until a symptom or a staff lock: the
		 * governor says when the weeks that earned it may be older
		 * than the window.  Of the older days, only the rows its
		 * rules count are read again.
		 */
		if (ok == 0 && governor_read_from(p, &h, since, today) <
		    since) {
			history_free(&h);
			governor_rules(p, &rules);
			ok = history_load_rules(hist, p->id, since, &rules, &h,
			    err, sizeof(err));
		}
	} else
		snprintf(err, sizeof(err), "%s", hist_error);
	plan_decide(p, ok == 0 ? &h : NULL, err, now, d);
	if (ok == 0)
		history_free(&h);
}
