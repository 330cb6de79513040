/*
 * Built-in workouts.  Warm-ups and cool-downs walk; the run sits at the
 * top of the runner's easy band (the HR hold may slow it); intervals come
 * from the runner's own templates.
 */
#include <stdio.h>
#include <string.h>

#include "workout.h"

static void
reset(struct session *s, const char *runner, const char *workout, bool hard)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->runner, sizeof(s->runner), "%s", runner);
	snprintf(s->workout, sizeof(s->workout), "%s", workout);
	s->hard = hard;
}

static void
caps_from(struct seg_caps *sc, const struct caps *c)
{
	sc->max_speed = c->max_speed;
	sc->max_incline = c->max_incline;
	sc->hr_ceiling = c->hr_ceiling;
}

const char *
workout_default(const struct decision *d)
{
	switch (d->day) {
	case DAY_WALK_ONLY:
		return "walk";
	case DAY_INTERVALS:
		return "intervals";
	case DAY_EASY:
		break;
	}
	return "easy";
}

static void
plan_walk(struct session *s, const struct profile *p,
    const struct decision *d)
{
	double total = d->walk.max_minutes * 60;

	reset(s, p->id, "walk", false);
	caps_from(&s->easy_caps, &d->walk);
	s->hard_caps = s->easy_caps;
	s->walk_speed = p->walk.speed;
	session_add(s, "walk", total - 180, p->walk.speed, 0, false);
	session_add(s, "cool-down", 180, p->walk.speed * 0.8, 0, false);
	s->max_s = total;
}

static void
plan_easy(struct session *s, const struct profile *p,
    const struct decision *d)
{
	double total = d->planned_minutes * 60;
	double edge = total >= 20 * 60 ? 180 : 120;

	reset(s, p->id, "easy", false);
	caps_from(&s->easy_caps, &d->easy);
	s->hard_caps = s->easy_caps;
	s->walk_speed = p->walk.speed;
	session_add(s, "warm-up", edge, p->walk.speed, 0, false);
	session_add(s, "easy run", total - 2 * edge, p->easy.max_speed, 0,
	    false);
	session_add(s, "cool-down", edge, p->walk.speed * 0.8, 0, false);
	s->max_s = total;
}

static int
plan_intervals(struct session *s, const struct profile *p,
    const struct decision *d, const char *tname, const char **why)
{
	const struct interval_template *t = NULL;
	char label[SEGMENT_LABEL_MAX];
	double work;

	for (int i = 0; i < p->ntemplates; i++)
		if (tname == NULL || strcmp(p->templates[i].name, tname) == 0) {
			t = &p->templates[i];
			break;
		}
	if (t == NULL) {
		*why = p->ntemplates == 0 ?
		    "no interval templates in the profile" :
		    "no interval template of that name in the profile";
		return -1;
	}
	reset(s, p->id, "intervals", true);
	caps_from(&s->easy_caps, &d->easy);
	caps_from(&s->hard_caps, &d->caps);
	s->walk_speed = p->walk.speed;
	/* HR-steered reps run at the hard cap and the HR hold paces them. */
	work = t->work_speed > 0 ? t->work_speed : p->hard.max_speed;
	if (t->work_hr_pct > 0)
		s->hard_caps.hr_ceiling = (int)(p->hr_max * t->work_hr_pct /
		    100 + 0.5);
	session_add(s, "warm-up", t->warmup_min * 60, p->easy.min_speed, 0,
	    false);
	for (int r = 1; r <= t->reps; r++) {
		snprintf(label, sizeof(label), "rep %d/%d", r, t->reps);
		session_add(s, label, t->work_s, work, 0, true);
		snprintf(label, sizeof(label), "recovery %d/%d", r, t->reps);
		session_add(s, label, t->recovery_s, p->walk.speed, 0, false);
	}
	session_add(s, "cool-down", t->cooldown_min * 60, p->walk.speed * 0.8,
	    0, false);
	s->max_s = session_planned_s(s);
	return 0;
}

int
workout_plan(struct session *s, const char *name, const char *tname,
    const struct profile *p, const struct decision *d, const char **why)
{
	if (name == NULL)
		name = workout_default(d);
	if (strcmp(name, "walk") == 0) {
		plan_walk(s, p, d);
		return 0;
	}
	if (d->day == DAY_WALK_ONLY) {
		*why = "today is a walk-only day: see 'plan' for why";
		return -1;
	}
	if (strcmp(name, "easy") == 0) {
		plan_easy(s, p, d);
		return 0;
	}
	if (strcmp(name, "intervals") == 0) {
		if (!d->intervals_allowed) {
			*why = "intervals are not allowed today: see 'plan' "
			    "for why";
			return -1;
		}
		return plan_intervals(s, p, d, tname, why);
	}
	*why = "unknown workout: use easy, intervals or walk";
	return -1;
}

void
workout_plan_guest(struct session *s, const struct config *c)
{
	reset(s, "", "guest", false);
	s->easy_caps.max_speed = c->session.max_speed;
	s->easy_caps.max_incline = c->machine.max_incline;
	s->easy_caps.hr_ceiling = 0;
	s->hard_caps = s->easy_caps;
	s->walk_speed = c->session.speed < 5 ? c->session.speed : 5;
	session_add(s, "run", c->session.minutes * 60, c->session.speed,
	    c->session.incline, false);
	s->max_s = c->session.minutes * 60;
}
