/*
 * Workouts: the plugin bridge, and the built-in walk and guest plans.
 * Whatever a plugin proposes, it is sanitised here only as far as the
 * daemon's own bookkeeping needs (labels, segment counts); the caps and
 * the safety core stand between its numbers and the belt.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "workout.h"

/* The gait mark took a reserved word: nothing else moved. */
_Static_assert(sizeof(int) == sizeof(uint32_t) &&
    offsetof(struct tm_segment, gait) + sizeof(int) ==
    offsetof(struct tm_segment, reserved) &&
    offsetof(struct tm_proposal, gait) + sizeof(int) ==
    offsetof(struct tm_proposal, reserved), "the gait mark moved");
_Static_assert((int)GAIT_WALK == (int)TM_WALK &&
    (int)GAIT_RUN == (int)TM_RUN, "gait values differ");

_Static_assert((int)PIPE_EV_SYMPTOM == (int)TM_EV_SYMPTOM &&
    (int)PIPE_EV_STOP == (int)TM_EV_STOP &&
    (int)PIPE_EV_RESUME == (int)TM_EV_RESUME &&
    (int)PIPE_EV_REQUEST == (int)TM_EV_REQUEST &&
    (int)PIPE_EV_END == (int)TM_EV_END, "event numbers differ");

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

static void
plan_walk(struct session *s, const struct profile *p,
    const struct decision *d)
{
	double total = d->walk.max_minutes * 60;

	reset(s, p->id, "walk", false);
	caps_from(&s->easy_caps, &d->walk);
	s->hard_caps = s->easy_caps;
	s->walk_speed = p->walk.speed;
	s->run_threshold = p->walk.run_threshold;
	session_add_gait(s, "walk", total - 180, p->walk.speed, 0, false,
	    GAIT_WALK);
	session_add_gait(s, "cool-down", 180, p->walk.speed * 0.8, 0, false,
	    GAIT_WALK);
	s->max_s = total;
}

static int
cfg_number(const struct tm_config *c, const char *key, double *out)
{
	const struct plugin_conf *pc = c->priv;

	for (int i = 0; pc != NULL && i < pc->nkeys; i++)
		if (strcmp(pc->kv[i].key, key) == 0 && !pc->kv[i].is_string) {
			*out = pc->kv[i].num;
			return 0;
		}
	return -1;
}

static int
cfg_str(const struct tm_config *c, const char *key, const char **out)
{
	const struct plugin_conf *pc = c->priv;

	for (int i = 0; pc != NULL && i < pc->nkeys; i++)
		if (strcmp(pc->kv[i].key, key) == 0 && pc->kv[i].is_string) {
			*out = pc->kv[i].str;
			return 0;
		}
	return -1;
}

static void
fill_runner(struct workout *w, const struct profile *p,
    const struct decision *d, const char *tname, int stage)
{
	struct tm_runner *r = &w->runner;

	memset(r, 0, sizeof(*r));
	r->id = p->id;
	r->hr_max = p->hr_max;
	r->hr_rest = p->hr_rest;
	r->easy_min_speed = p->easy.min_speed;
	r->easy_max_speed = d->easy.max_speed;
	r->easy_max_incline = d->easy.max_incline;
	r->easy_hr_ceiling = d->easy.hr_ceiling;
	r->hard_max_speed = p->hard.max_speed;
	r->hard_hr_ceiling = p->hard.hr_ceiling;
	r->walk_speed = p->walk.speed;
	r->planned_minutes = d->planned_minutes;
	memset(w->tmpl, 0, sizeof(w->tmpl));
	for (int i = 0; i < p->ntemplates; i++) {
		const struct interval_template *t = &p->templates[i];
		w->tmpl[i].name = t->name;
		w->tmpl[i].warmup_min = t->warmup_min;
		w->tmpl[i].reps = t->reps;
		w->tmpl[i].work_s = t->work_s;
		w->tmpl[i].recovery_s = t->recovery_s;
		w->tmpl[i].cooldown_min = t->cooldown_min;
		w->tmpl[i].work_speed = t->work_speed;
		w->tmpl[i].work_hr_pct = t->work_hr_pct;
	}
	r->templates = w->tmpl;
	r->ntemplates = p->ntemplates;
	/* Not named: the template the governor chose for today, which
	 * fits her week, not simply the first. */
	r->template_name = tname != NULL ? tname : d->template_name[0] ?
	    d->template_name : NULL;
	memset(w->stages, 0, sizeof(w->stages));
	for (int i = 0; i < p->nstages; i++) {
		w->stages[i].run_s = p->stages[i].run_s;
		w->stages[i].walk_s = p->stages[i].walk_s;
		w->stages[i].total_min = p->stages[i].total_min;
	}
	r->stages = w->stages;
	r->nstages = p->nstages;
	r->stage = stage;
}

/* A plugin's gait mark; anything but walk or run is unset. */
static enum gait
gait_of(int g)
{
	return g == TM_WALK ? GAIT_WALK : g == TM_RUN ? GAIT_RUN : GAIT_UNSET;
}

static void
copy_label(char *dst, const char *src)
{
	/* A plugin's label may not be NUL-terminated within its array. */
	size_t n = strnlen(src, TM_LABEL_MAX);

	if (n >= SEGMENT_LABEL_MAX)
		n = SEGMENT_LABEL_MAX - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	for (char *c = dst; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
}

int
workout_open(struct workout *w, struct session *s, const char *name,
    const char *tname, const struct profile *p, const struct decision *d,
    int stage, const struct config *c, char *why, size_t whylen)
{
	struct tm_segment segs[SESSION_SEGMENTS_MAX];
	char err[TM_ERR_MAX] = "";
	int n = 0;

	memset(w, 0, sizeof(*w));
	if (name == NULL)
		name = workout_default(d, p);
	if (strcmp(name, "walk") == 0) {
		plan_walk(s, p, d);
		return 0;
	}
	if (d->day == DAY_WALK_ONLY) {
		snprintf(why, whylen, "today is a walk-only day: see 'plan' "
		    "for why");
		return -1;
	}
	if (plugin_load(&w->pl, c->plugins.dir, name, err, sizeof(err)) ==
	    -1) {
		snprintf(why, whylen, "workout '%s': %s", name, err);
		return -1;
	}
	if (w->pl.p->intensity == TM_HARD && !d->intervals_allowed) {
		snprintf(why, whylen, "'%s' is a hard workout and today is "
		    "not an interval day: see 'plan' for why", name);
		plugin_unload(&w->pl);
		return -1;
	}
	fill_runner(w, p, d, tname, stage);
	w->pc = config_plugin(c, name);
	w->tcfg.priv = w->pc;
	w->tcfg.get_number = cfg_number;
	w->tcfg.get_string = cfg_str;
	if (w->pl.p->init(&w->ctx, &w->runner, &w->tcfg, err,
	    sizeof(err)) == -1) {
		err[sizeof(err) - 1] = '\0';
		snprintf(why, whylen, "workout '%s' cannot run: %s", name,
		    err[0] ? err : "no reason given");
		plugin_unload(&w->pl);
		return -1;
	}
	w->active = true;
	memset(segs, 0, sizeof(segs));
	if (w->pl.p->plan == NULL ||
	    w->pl.p->plan(w->ctx, segs, SESSION_SEGMENTS_MAX, &n) == -1 ||
	    n < 1 || n > SESSION_SEGMENTS_MAX) {
		snprintf(why, whylen, "workout '%s' could not plan the "
		    "session", name);
		workout_close(w);
		return -1;
	}
	reset(s, p->id, name, w->pl.p->intensity == TM_HARD);
	/* The stage it was planned with is recorded in its own column. */
	s->stage = strcmp(name, "walkrun") == 0 ? stage : 0;
	caps_from(&s->easy_caps, &d->easy);
	caps_from(&s->hard_caps, s->hard ? &d->caps : &d->easy);
	s->walk_speed = p->walk.speed;
	s->run_threshold = p->walk.run_threshold;
	for (int i = 0; i < n; i++) {
		char label[SEGMENT_LABEL_MAX];
		double dur = segs[i].duration_s;

		if (!isfinite(dur) || dur <= 0 || dur > 6 * 3600)
			continue;
		copy_label(label, segs[i].label);
		session_add_gait(s, label, dur, isfinite(segs[i].speed) ?
		    segs[i].speed : 0, isfinite(segs[i].incline) ?
		    segs[i].incline : 0, s->hard && segs[i].intensity ==
		    TM_HARD, gait_of(segs[i].gait));
	}
	/* The day's length is a cap whatever the plugin planned. */
	s->max_s = (s->hard ? d->caps.max_minutes : d->planned_minutes) * 60;
	if (session_planned_s(s) < s->max_s)
		s->max_s = session_planned_s(s) + 60;
	s->use_plugin = true;
	s->prop_speed = 0;
	s->prop_incline = 0;
	return 0;
}

/* The plugin stage of the pipeline: this tick's sample and caps in, a
 * proposal out. */
static void
propose(void *ctx, struct session *s, const struct sample *smp,
    const struct pipe_caps *caps, double dt)
{
	struct workout *w = ctx;
	struct tm_sample ts;
	struct tm_proposal pr;

	if (!w->active || !s->use_plugin || s->state != SESSION_RUNNING)
		return;
	memset(&ts, 0, sizeof(ts));
	memset(&pr, 0, sizeof(pr));
	ts.elapsed_s = s->elapsed_s;
	ts.belt_speed = smp ? smp->belt_speed : 0;
	ts.incline = smp ? smp->incline : 0;
	ts.heart_rate = smp ? smp->heart_rate : 0;
	ts.cap = caps->speed;
	ts.hr_ceiling = caps->hr_ceiling;
	ts.dt = dt;
	pr.speed = s->prop_speed;
	pr.incline = s->prop_incline;
	if (w->pl.p->tick(w->ctx, &ts, &pr) == -1) {
		w->errors++;
		log_warnx("workout %s failed a tick: walking, then cool-down",
		    w->pl.name);
		session_abort(s);
		return;
	}
	if (pr.done) {
		session_end(s, OUTCOME_COMPLETED);
		return;
	}
	/* Numbers are the caps' and safety's business; keep them as given. */
	s->prop_speed = pr.speed;
	s->prop_incline = pr.incline;
	s->prop_hard = pr.intensity == TM_HARD;
	s->prop_gait = gait_of(pr.gait);
	copy_label(s->prop_label, pr.label);
}

static void
event(void *ctx, enum pipe_event type, double value)
{
	struct workout *w = ctx;
	struct tm_event ev;

	if (!w->active || w->pl.p->event == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	/* The pipeline's events are the plugin ABI's, by number. */
	ev.type = (int)type;
	ev.value = value;
	w->pl.p->event(w->ctx, &ev);
}

void
workout_stage(struct workout *w, struct pipe_plugin *pi)
{
	pi->propose = propose;
	pi->event = event;
	pi->ctx = w;
}

void
workout_close(struct workout *w)
{
	if (w->active && w->pl.p->cleanup != NULL)
		w->pl.p->cleanup(w->ctx);
	w->active = false;
	w->ctx = NULL;
	if (w->pl.handle != NULL)
		plugin_unload(&w->pl);
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
