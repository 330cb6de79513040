/*
 * The counters and the event listener.  Everything here runs on the
 * loop; it only adds and calls the listener.
 */
#include <stddef.h>

#include "counters.h"

/* Around the 20 Hz default period: early, on time, late, a stall. */
const double ctr_tick_bounds[CTR_TICK_BUCKETS] = {
	0.01, 0.025, 0.04, 0.045, 0.05, 0.055, 0.06, 0.1, 0.5
};

static void
tell(struct counters *c, const struct ctr_event *ev)
{
	if (c->listener != NULL)
		c->listener(c->listener_arg, ev);
}

void
ctr_tick(struct counters *c, double period)
{
	c->tick_count++;
	c->tick_sum += period;
	for (int i = 0; i < CTR_TICK_BUCKETS; i++)
		if (period <= ctr_tick_bounds[i]) {
			c->tick_le[i]++;
			break;
		}
}

void
ctr_stop(struct counters *c, unsigned fresh)
{
	struct ctr_event ev = { .kind = CTR_STOP, .causes = fresh };

	for (int i = 0; i < CTR_CAUSES; i++)
		if (fresh & (1u << i))
			c->stops[i]++;
	tell(c, &ev);
}

void
ctr_session_start(struct counters *c, const char *workout, const char *runner)
{
	struct ctr_event ev = { .kind = CTR_SESSION_START,
	    .workout = workout, .runner = runner };

	tell(c, &ev);
}

void
ctr_session_end(struct counters *c, int outcome, const char *workout,
    const char *runner)
{
	struct ctr_event ev = { .kind = CTR_SESSION_END, .outcome = outcome,
	    .workout = workout, .runner = runner };

	if (outcome >= 0 && outcome < CTR_OUTCOMES)
		c->sessions[outcome]++;
	tell(c, &ev);
}

void
ctr_reload(struct counters *c, int ok)
{
	struct ctr_event ev = { .kind = CTR_RELOAD, .ok = ok };

	if (ok)
		c->reloads++;
	else
		c->reload_failures++;
	tell(c, &ev);
}
