/*
 * intervals: the runner's own interval template: a warm-up, reps of hard
 * work each followed by an easy recovery, a cool-down.  A rep is worked
 * either at a speed (work_speed, never above the hard cap) or at a heart
 * rate (work_hr_pct of HRmax, under the hard ceiling), steered like the
 * easy run is (plugins/common/hrsteer.h explains the steering the two
 * share).  Recoveries, the warm-up and the cool-down are easy segments in
 * the plan and in every proposal, so the governor caps them at the
 * runner's easy limits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"
#include "hrsteer.h"
#include "plugcheck.h"
#include "plugutil.h"

#define REPS_MAX	50

struct intervals {
	int	 nseg;
	double	 walk_speed;
	double	 hard_max;	/* km/h: reps never propose more */
	double	 easy_max;
	double	 margin;	/* bpm under the ceiling to aim for */
	struct pu_session ss;
	int	 steering;	/* the current rep is under HR steering */
	struct steer st;
	struct tm_segment seg[];	/* room for 2 * reps + 2 */
};

/* The runner's template: by name, or the first.  NULL with err. */
static const struct tm_interval *
pick(const struct tm_runner *r, char *err, size_t errlen)
{
	const struct tm_interval *t;
	int i;

	if (r->templates == NULL || r->ntemplates <= 0) {
		snprintf(err, errlen, "intervals: no interval templates in the "
		    "profile");
		return NULL;
	}
	if (r->template_name == NULL)
		return &r->templates[0];
	for (i = 0; i < r->ntemplates; i++) {
		t = &r->templates[i];
		if (t->name != NULL && strcmp(t->name, r->template_name) == 0)
			return t;
	}
	snprintf(err, errlen, "intervals: no interval template \"%s\" in the "
	    "profile", r->template_name);
	return NULL;
}

/* Can this template make a session for this runner?  0, or -1 with err. */
static int
check(const struct tm_runner *r, const struct tm_interval *t, char *err,
    size_t errlen)
{
	const char *name = t->name != NULL ? t->name : "(unnamed)";

	if (t->reps < 1 || t->reps > REPS_MAX || !(t->work_s > 0) ||
	    !(t->recovery_s >= 0) || !(t->warmup_min >= 0) ||
	    !(t->cooldown_min >= 0)) {
		snprintf(err, errlen, "intervals: template \"%s\" needs 1-%d "
		    "reps, work_s > 0 and no negative recovery, warm-up or "
		    "cool-down", name, REPS_MAX);
		return -1;
	}
	if ((t->work_speed > 0) == (t->work_hr_pct > 0)) {
		snprintf(err, errlen, "intervals: template \"%s\" needs "
		    "either work_speed or work_hr_pct", name);
		return -1;
	}
	if (t->work_hr_pct > 100 || (t->work_hr_pct > 0 && r->hr_max <= 0)) {
		snprintf(err, errlen, "intervals: template \"%s\": work_hr_pct "
		    "%g needs an hr_max and at most 100", name, t->work_hr_pct);
		return -1;
	}
	if (!(r->walk_speed > 0) || !(r->easy_min_speed > 0) ||
	    !(r->hard_max_speed >= r->easy_min_speed)) {
		snprintf(err, errlen, "intervals: the runner's walk speed, "
		    "easy minimum and hard maximum (%g, %g, %g km/h) make no "
		    "intervals", r->walk_speed, r->easy_min_speed,
		    r->hard_max_speed);
		return -1;
	}
	return 0;
}

/* A segment, with its gait; shorter than a second, none. */
static void
add(struct intervals *iv, const char *label, double duration_s, double speed,
    int intensity, int hr_target, int gait)
{
	int n = iv->nseg;

	pu_seg_add(iv->seg, &iv->nseg, label, duration_s, speed, intensity,
	    hr_target);
	if (iv->nseg > n)
		iv->seg[n].gait = gait;
}

static int
intervals_init(void **ctxp, const struct tm_runner *r,
    const struct tm_config *c, char *err, size_t errlen)
{
	const struct tm_interval *t;
	struct intervals *iv;
	const char *rec = "walk";
	char label[TM_LABEL_MAX];
	double margin, tau, gain, work, recovery;
	int i, hr_target = 0;

	*ctxp = NULL;
	if (r == NULL) {
		snprintf(err, errlen, "intervals: no runner");
		return -1;
	}
	if ((t = pick(r, err, errlen)) == NULL || check(r, t, err, errlen))
		return -1;
	if (steer_conf(c, "intervals", &margin, &tau, &gain, err, errlen))
		return -1;
	if (c != NULL && c->get_string != NULL)
		(void)c->get_string(c, "recovery", &rec);
	if (rec == NULL || (strcmp(rec, "walk") != 0 &&
	    strcmp(rec, "jog") != 0)) {
		snprintf(err, errlen, "plugins.intervals.recovery must be "
		    "\"walk\" or \"jog\"");
		return -1;
	}
	if ((iv = calloc(1, sizeof(*iv) + (2 * t->reps + 2) *
	    sizeof(iv->seg[0]))) == NULL) {
		snprintf(err, errlen, "intervals: out of memory");
		return -1;
	}
	iv->walk_speed = r->walk_speed;
	iv->hard_max = r->hard_max_speed;
	iv->easy_max = r->easy_max_speed;
	iv->margin = margin;
	recovery = strcmp(rec, "jog") == 0 ? r->easy_min_speed :
	    r->walk_speed;
	/* By speed: never above the hard cap.  By HR: steered, speed 0. */
	work = t->work_speed > 0 ? fmin(t->work_speed, r->hard_max_speed) : 0;
	if (t->work_hr_pct > 0)
		hr_target = (int)lround(r->hr_max * t->work_hr_pct / 100);
	/* Warm-up, recoveries and cool-down are walking (a jogged
	 * recovery too: it is not the work); the reps are running. */
	add(iv, "warm-up", t->warmup_min * 60, r->easy_min_speed, TM_EASY, 0,
	    TM_WALK);
	for (i = 1; i <= t->reps; i++) {
		snprintf(label, sizeof(label), "rep %d/%d", i, t->reps);
		add(iv, label, t->work_s, work, TM_HARD, hr_target, TM_RUN);
		snprintf(label, sizeof(label), "recovery %d/%d", i, t->reps);
		add(iv, label, t->recovery_s, recovery, TM_EASY, 0, TM_WALK);
	}
	add(iv, "cool-down", t->cooldown_min * 60, r->walk_speed, TM_EASY, 0,
	    TM_WALK);
	pu_session_init(&iv->ss);
	steer_init(&iv->st, tau, gain);
	*ctxp = iv;
	return 0;
}

static int
intervals_plan(void *ctx, struct tm_segment *out, int max, int *n)
{
	struct intervals *iv = ctx;

	return pu_plan_copy(iv->seg, iv->nseg, out, max, n);
}

/* A rep steered by heart rate: its speed this tick. */
static double
rep_speed(struct intervals *iv, const struct tm_segment *g,
    const struct tm_sample *s, int restart)
{
	double target = g->hr_target;

	if (s->hr_ceiling > 0 && s->hr_ceiling - iv->margin < target)
		target = s->hr_ceiling - iv->margin;
	if (!iv->st.f.primed) {
		/* No HR to steer by: halfway from easy to the hard cap. */
		iv->steering = 0;
		return iv->st.cmd = fmax(iv->easy_max, iv->walk_speed) +
		    (iv->hard_max - fmax(iv->easy_max, iv->walk_speed)) / 2;
	}
	if (s->heart_rate <= 0)
		return iv->st.cmd;	/* signal lost: hold the pace */
	restart = restart || !iv->steering;
	iv->steering = 1;
	return steer_speed(&iv->st, target, iv->walk_speed, iv->hard_max,
	    s->dt, restart);
}

static int
intervals_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *p)
{
	struct intervals *iv = ctx;
	const struct tm_segment *g;
	double dt = pu_tick_dt(s), v, u;
	int seg, restart;

	memset(p, 0, sizeof(*p));
	p->intensity = TM_EASY;
	if (!iv->ss.frozen) {
		iv->ss.clock += dt;
		steer_observe(&iv->st, s->heart_rate, dt);
	}
	seg = pu_session_at(&iv->ss, iv->seg, iv->nseg);
	if (seg >= iv->nseg) {
		pu_session_finish(&iv->ss, p, iv->walk_speed);
		p->gait = TM_WALK;
		steer_input(&iv->st, p->speed);
		return 0;
	}
	restart = seg != iv->ss.cur;
	iv->ss.cur = seg;
	g = &iv->seg[seg];
	p->intensity = g->intensity;
	p->gait = g->gait;
	snprintf(p->label, sizeof(p->label), "%s", g->label);
	if (iv->ss.frozen)
		return 0;	/* stopped until a person resumes */
	if (g->intensity == TM_HARD && g->hr_target > 0)
		v = rep_speed(iv, g, s, restart);
	else {
		v = g->speed;
		iv->steering = 0;
	}
	v = pu_session_request(&iv->ss, seg, v);
	p->speed = v;
	/* The model follows what the belt will really do. */
	u = s->cap > 0 && s->cap < v ? s->cap : v;
	steer_input(&iv->st, u);
	return 0;
}

static void
intervals_event(void *ctx, const struct tm_event *ev)
{
	struct intervals *iv = ctx;

	if (pu_session_event(&iv->ss, ev))
		steer_resume(&iv->st);
}

/*
 * The settings, checked apart from any session (treadmilld -n, reload),
 * as intervals_init reads them.
 */
static int
intervals_check(const struct tm_check *chk)
{
	static const char *const known[] = { "recovery", STEER_KEYS, NULL };
	static const char *const recovery[] = { "walk", "jog", NULL };

	return pc_known(chk, known) + pc_choice(chk, "recovery", recovery) +
	    steer_check(chk);
}

static const struct tm_plugin plugin = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "intervals",
	.description = "interval session from the runner's template",
	.intensity = TM_HARD,
	.init = intervals_init,
	.plan = intervals_plan,
	.tick = intervals_tick,
	.event = intervals_event,
	.cleanup = pu_cleanup,
	.abi_revision = TM_ABI_REVISION,
	.check = intervals_check,
};

TM_PLUGIN_EXPORT const struct tm_plugin *
treadmill_plugin(uint32_t daemon_abi)
{
	return pu_handshake(&plugin, daemon_abi);
}
