/*
 * Session pacing for the fixed easy pace: run at the configured pace (or
 * slower, if the runner asks) for the planned time, then cool down.
 */
#include <math.h>
#include <string.h>

#include "session.h"

void
session_begin(struct session *s, double pace, double incline, double cap,
    double planned_s)
{
	memset(s, 0, sizeof(*s));
	s->state = SESSION_RUNNING;
	s->pace = pace;
	s->incline = incline;
	s->cap = cap;
	s->planned_s = planned_s;
	s->request_incline = NAN;
}

void
session_tick(struct session *s, const struct sample *smp, double dt,
    bool running)
{
	if (s->state == SESSION_IDLE)
		return;
	if (smp != NULL) {
		s->distance_m += smp->belt_speed / 3.6 * dt;
		if (smp->belt_speed > s->max_speed)
			s->max_speed = smp->belt_speed;
		if (running) {
			s->speed_sum += smp->belt_speed * dt;
			if (smp->heart_rate > 0) {
				s->hr_sum += smp->heart_rate * dt;
				s->hr_time += dt;
				if (smp->heart_rate > s->hr_max)
					s->hr_max = smp->heart_rate;
			}
		}
		/* The console's up/down keys are the runner's own request. */
		if (smp->console_request > 0 &&
		    fabs(smp->console_request - s->last_console) > 0.005) {
			const char *why;
			(void)session_request_speed(s, smp->console_request,
			    &why);
		}
		s->last_console = smp->console_request;
	}
	if (!running)
		return;
	s->elapsed_s += dt;
	if (s->state == SESSION_RUNNING && s->elapsed_s >= s->planned_s)
		session_end(s, OUTCOME_COMPLETED);
}

double
session_target_speed(const struct session *s)
{
	double t;

	if (s->state != SESSION_RUNNING)
		return 0;
	t = s->pace;
	if (s->request > 0)
		t = s->request;
	return t;
}

double
session_target_incline(const struct session *s)
{
	if (s->state == SESSION_IDLE)
		return 0;
	if (!isnan(s->request_incline))
		return s->request_incline;
	return s->incline;
}

int
session_request_speed(struct session *s, double kmh, const char **why)
{
	if (s->state != SESSION_RUNNING) {
		*why = "no session is running";
		return -1;
	}
	if (isnan(kmh) || kmh < 0 || kmh > 30) {
		*why = "speed must be between 0 and 30 km/h";
		return -1;
	}
	/* Above the cap is clamped later, never refused: she asked. */
	s->request = kmh;
	return 0;
}

void
session_request_incline(struct session *s, double pct)
{
	s->request_incline = pct;
}

void
session_end(struct session *s, enum session_outcome o)
{
	if (s->state == SESSION_IDLE)
		return;
	s->state = SESSION_COOLDOWN;
	if (s->outcome == OUTCOME_NONE)
		s->outcome = o;
}

const char *
session_state_name(enum session_state st)
{
	switch (st) {
	case SESSION_IDLE:
		return "idle";
	case SESSION_RUNNING:
		return "running";
	case SESSION_COOLDOWN:
		return "cooldown";
	}
	return "unknown";
}

const char *
session_outcome_name(enum session_outcome o)
{
	switch (o) {
	case OUTCOME_NONE:
		return "none";
	case OUTCOME_COMPLETED:
		return "completed";
	case OUTCOME_STOPPED:
		return "stopped";
	case OUTCOME_SAFETY_STOP:
		return "safety stop";
	}
	return "unknown";
}
