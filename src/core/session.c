/*
 * Session progress through its plan.  The plan is data (segments); what
 * happens at the end of it, on a symptom or at the duration cap is the
 * same for every workout: walk, then cool down to a stop.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

#define SYMPTOM_WALK_S	120.0
#define COOLDOWN_S	180.0

void
session_add_gait(struct session *s, const char *label, double duration_s,
    double speed, double incline, bool hard, enum gait gait)
{
	struct segment *g;

	if (s->nseg >= SESSION_SEGMENTS_MAX || duration_s <= 0)
		return;
	g = &s->seg[s->nseg++];
	snprintf(g->label, sizeof(g->label), "%s", label);
	g->duration_s = duration_s;
	g->speed = speed;
	g->incline = incline;
	g->hard = hard;
	g->gait = gait;
}

void
session_add(struct session *s, const char *label, double duration_s,
    double speed, double incline, bool hard)
{
	session_add_gait(s, label, duration_s, speed, incline, hard,
	    GAIT_UNSET);
}

/* The gait the plan gives this moment: the plugin's proposal while it
 * leads, else the current segment's; a walk-down is walking. */
static enum gait
gait_now(const struct session *s)
{
	if (s->walk_cap > 0)
		return GAIT_WALK;
	if (s->use_plugin)
		return s->prop_gait;
	return s->cur < s->nseg ? s->seg[s->cur].gait : GAIT_WALK;
}

/* Running minutes: a part not marked walking, at or above the threshold. */
static void
count_gait(struct session *s, double belt_speed, double dt)
{
	if (gait_now(s) != GAIT_WALK && belt_speed >= s->run_threshold)
		s->running_s += dt;
	else
		s->walking_s += dt;
}

void
session_begin(struct session *s)
{
	s->state = s->nseg > 0 ? SESSION_RUNNING : SESSION_COOLDOWN;
	s->cur = 0;
	s->seg_elapsed = 0;
	s->request = 0;
	s->request_incline = NAN;
	s->outcome = OUTCOME_NONE;
	if (s->max_s <= 0)
		s->max_s = session_planned_s(s);
}

double
session_planned_s(const struct session *s)
{
	double t = 0;

	for (int i = 0; i < s->nseg; i++)
		t += s->seg[i].duration_s;
	return t;
}

/* Replace what is left of the plan with a walk-down and the cool-down. */
static void
walk_down(struct session *s, const char *label, double walk_s)
{
	int n = s->nseg;

	/* What was done stays in the plan: the current segment ends now. */
	if (s->cur < s->nseg) {
		s->seg[s->cur].duration_s = s->seg_elapsed;
		n = s->cur + 1;
	}
	s->nseg = n;
	session_add_gait(s, label, walk_s, s->walk_speed, 0, false,
	    GAIT_WALK);
	session_add_gait(s, "cool-down", COOLDOWN_S, s->walk_speed * 0.8, 0,
	    false, GAIT_WALK);
	s->cur = n;
	s->seg_elapsed = 0;
	/* The walk-down is a cap to the end: a request, a key or a plugin
	 * may slow the belt, never take it past walking pace. */
	s->walk_cap = s->walk_speed;
	s->request = 0;
	s->use_plugin = false;
}

void
session_abort(struct session *s)
{
	if (s->state == SESSION_RUNNING)
		walk_down(s, "walk", SYMPTOM_WALK_S / 2);
}

void
session_tick(struct session *s, const struct sample *smp, double dt,
    bool running)
{
	const struct seg_caps *c;

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
				c = session_caps(s);
				if (c->hr_ceiling > 0 &&
				    smp->heart_rate > c->hr_ceiling)
					s->above_cap_s += dt;
			}
		}
	}
	if (!running || s->state != SESSION_RUNNING)
		return;
	s->elapsed_s += dt;
	count_gait(s, smp != NULL ? smp->belt_speed : 0, dt);
	if (s->use_plugin) {
		/* The plugin leads; the plan is for show and the record. */
		if (s->prop_hard && s->hard)
			s->hard_s += dt;
		if (s->elapsed_s >= s->max_s)
			walk_down(s, "walk", 0);	/* the duration cap */
		return;
	}
	if (s->cur < s->nseg && s->seg[s->cur].hard)
		s->hard_s += dt;
	s->seg_elapsed += dt;
	while (s->cur < s->nseg && s->seg_elapsed >= s->seg[s->cur].duration_s) {
		s->seg_elapsed -= s->seg[s->cur].duration_s;
		s->cur++;
		/* A request belongs to the segment it was made in. */
		s->request = 0;
	}
	if (s->cur >= s->nseg)
		session_end(s, OUTCOME_COMPLETED);
	else if (s->elapsed_s >= s->max_s && strcmp(session_label(s),
	    "cool-down") != 0) {
		/* The duration cap: straight to the cool-down. */
		walk_down(s, "walk", 0);
	}
}

double
session_target_speed(const struct session *s)
{
	double t;

	if (s->state != SESSION_RUNNING)
		return 0;
	if (s->use_plugin)
		t = s->prop_speed;
	else if (s->cur < s->nseg)
		t = s->seg[s->cur].speed;
	else
		return 0;
	/* Her own request: slower always, faster up to the cap. */
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
	if (s->use_plugin)
		return s->prop_incline;
	if (s->cur >= s->nseg)
		return 0;
	return s->seg[s->cur].incline;
}

const struct seg_caps *
session_caps(const struct session *s)
{
	/* Hard limits only for a hard part of a hard workout. */
	if (s->use_plugin)
		return s->prop_hard && s->hard ? &s->hard_caps : &s->easy_caps;
	if (s->cur < s->nseg && s->seg[s->cur].hard)
		return &s->hard_caps;
	return &s->easy_caps;
}

const char *
session_label(const struct session *s)
{
	if (s->state == SESSION_IDLE)
		return "";
	if (s->state == SESSION_COOLDOWN)
		return "stopping";
	if (s->use_plugin)
		return s->prop_label;
	if (s->cur >= s->nseg)
		return "stopping";
	return s->seg[s->cur].label;
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
session_symptom(struct session *s)
{
	if (s->state == SESSION_IDLE)
		return;
	s->symptom = true;
	if (s->outcome == OUTCOME_NONE)
		s->outcome = OUTCOME_SYMPTOM;
	if (s->state == SESSION_RUNNING)
		walk_down(s, "walk: symptom", SYMPTOM_WALK_S);
	s->request_incline = NAN;
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
	case OUTCOME_SYMPTOM:
		return "symptom";
	case OUTCOME_FAULT:
		return "fault";
	}
	return "unknown";
}
