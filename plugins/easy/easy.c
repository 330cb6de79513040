/*
 * easy: the auto-paced easy run.  A warm-up walk, an easy run at the top
 * of the runner's easy band, a cool-down walk; during the run the belt is
 * steered so that heart rate settles just under the easy ceiling.
 *
 * The steering (plugins/common/hrsteer.h explains it) is shared with the
 * intervals plugin's reps worked at a heart rate; runwalk.h adds what the
 * easy run does when no steady speed holds the ceiling (run/walk) and when
 * the signal is lost.  bench/hrsteer.c measures it on this plugin
 * (bench/README.md, "HR steering").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"
#include "hrsteer.h"
#include "plugcheck.h"
#include "plugutil.h"
#include "runwalk.h"

#define NSEG		3
#define SEG_WARMUP	0
#define SEG_RUN		1
#define SEG_COOLDOWN	2

struct easy {
	struct tm_segment seg[NSEG];
	double	 walk_speed, run_speed;
	double	 margin;	/* bpm under the ceiling to aim for */
	struct pu_session ss;
	int	 steering;	/* the run is under HR steering */
	struct steer st;
	struct rw rw;		/* run/walk, the guard, signal loss */
};

static int
easy_init(void **ctxp, const struct tm_runner *r, const struct tm_config *c,
    char *err, size_t errlen)
{
	struct easy *e;
	double total, edge, warm, cool, tau, gain, margin, grace;
	struct rw_conf rc;
	int target;

	*ctxp = NULL;
	if (r == NULL || !(r->planned_minutes > 0)) {
		snprintf(err, errlen, "easy: no planned length for today");
		return -1;
	}
	if (!(r->walk_speed > 0) || !(r->easy_max_speed >= r->walk_speed)) {
		snprintf(err, errlen, "easy: the runner's walk speed (%g) and "
		    "easy maximum (%g) make no easy run", r->walk_speed,
		    r->easy_max_speed);
		return -1;
	}
	total = r->planned_minutes * 60;
	/* Short sessions get a shorter walk each end, as the built-in did. */
	edge = total >= 20 * 60 ? 3 : 2;
	if (pu_conf_number(c, "easy", "warmup_min", edge, 0, 30, &warm, err,
	    errlen) ||
	    pu_conf_number(c, "easy", "cooldown_min", edge, 0, 30, &cool, err,
	    errlen) ||
	    steer_conf(c, "easy", &margin, &tau, &gain, err, errlen) ||
	    pu_conf_number(c, "easy", "hr_loss_grace_s", 15, 0, 600, &grace,
	    err, errlen))
		return -1;
	warm *= 60;
	cool *= 60;
	if (warm + cool >= total) {
		snprintf(err, errlen, "easy: %g planned minutes leave no run "
		    "after %g min warm-up and %g min cool-down",
		    r->planned_minutes, warm / 60, cool / 60);
		return -1;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		snprintf(err, errlen, "easy: out of memory");
		return -1;
	}
	e->walk_speed = r->walk_speed;
	e->run_speed = r->easy_max_speed;
	e->margin = margin;
	target = r->easy_hr_ceiling > 0 ?
	    (int)lround(r->easy_hr_ceiling - margin) : 0;
	pu_seg_set(&e->seg[SEG_WARMUP], "warm-up", warm, r->walk_speed,
	    TM_EASY, 0);
	pu_seg_set(&e->seg[SEG_RUN], "easy run", total - warm - cool,
	    r->easy_max_speed, TM_EASY, target);
	pu_seg_set(&e->seg[SEG_COOLDOWN], "cool-down", cool, r->walk_speed,
	    TM_EASY, 0);
	e->seg[SEG_WARMUP].gait = e->seg[SEG_COOLDOWN].gait = TM_WALK;
	e->seg[SEG_RUN].gait = TM_RUN;
	pu_session_init(&e->ss);
	steer_init(&e->st, tau, gain);
	memset(&rc, 0, sizeof(rc));
	rc.margin = margin;
	rc.walk_speed = r->walk_speed;
	rc.run_speed = r->easy_max_speed;
	rc.min_speed = r->easy_min_speed;
	rc.max_incline = r->easy_max_incline > 0 ? r->easy_max_incline : 0;
	rc.grace = grace;
	rw_init(&e->rw, &rc);
	*ctxp = e;
	return 0;
}

static int
easy_plan(void *ctx, struct tm_segment *out, int max, int *n)
{
	struct easy *e = ctx;
	int i, k = 0;

	for (i = 0; i < NSEG; i++) {
		if (e->seg[i].duration_s <= 0)
			continue;	/* a warm-up or cool-down of 0 min */
		if (k >= max)
			return -1;
		out[k++] = e->seg[i];
	}
	*n = k;
	return 0;
}

/* The run's speed this tick, before the runner's own request. */
static double
run_speed(struct easy *e, const struct tm_sample *s, int restart,
    struct tm_proposal *p)
{
	if (s->hr_ceiling <= 0 || !e->st.f.primed) {
		/* Nothing to steer by: the top of the easy band. */
		e->steering = 0;
		return e->st.cmd = e->run_speed;
	}
	restart = restart || !e->steering;
	e->steering = 1;
	return rw_speed(&e->rw, &e->st, s, restart, &p->incline, p->label,
	    sizeof(p->label));
}

static int
easy_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *p)
{
	struct easy *e = ctx;
	double dt = pu_tick_dt(s), v, u;
	int seg, restart;

	memset(p, 0, sizeof(*p));
	p->intensity = TM_EASY;
	if (e->ss.frozen) {
		/* Stopped: the belt stays still until a person resumes. */
		p->done = e->ss.done;
		snprintf(p->label, sizeof(p->label), "%s",
		    e->seg[e->ss.cur < 0 ? 0 : e->ss.cur < NSEG ? e->ss.cur :
		    NSEG - 1].label);
		return 0;
	}
	e->ss.clock += dt;
	steer_observe(&e->st, s->heart_rate, dt);
	seg = pu_session_at(&e->ss, e->seg, NSEG);
	restart = seg != e->ss.cur;
	e->ss.cur = seg;
	if (seg >= NSEG) {
		pu_session_finish(&e->ss, p, e->walk_speed);
		p->gait = TM_WALK;
		steer_input(&e->st, p->speed);
		return 0;
	}
	snprintf(p->label, sizeof(p->label), "%s", e->seg[seg].label);
	p->gait = e->seg[seg].gait;
	if (seg == SEG_RUN)
		v = run_speed(e, s, restart, p);
	else
		v = e->seg[seg].speed;
	v = pu_session_request(&e->ss, seg, v);
	p->speed = v;
	/* The model follows what the belt will really do. */
	u = s->cap > 0 && s->cap < v ? s->cap : v;
	steer_input(&e->st, u);
	if (e->rw.gait) {
		/* Jogging where she walked, or back: a new answer. */
		hrf_gait(&e->st.f);
		e->rw.gait = 0;
	}
	return 0;
}

static void
easy_event(void *ctx, const struct tm_event *ev)
{
	struct easy *e = ctx;

	if (pu_session_event(&e->ss, ev))
		steer_resume(&e->st);
}

/*
 * The settings, checked apart from any session (treadmilld -n, reload),
 * with the ranges easy_init holds them to.
 */
static int
easy_check(const struct tm_check *chk)
{
	static const char *const known[] = {
		"warmup_min", "cooldown_min", "hr_loss_grace_s", STEER_KEYS,
		NULL
	};

	return pc_known(chk, known) +
	    pc_number(chk, "warmup_min", 0, 30) +
	    pc_number(chk, "cooldown_min", 0, 30) +
	    pc_number(chk, "hr_loss_grace_s", 0, 600) +
	    steer_check(chk);
}

static const struct tm_plugin plugin = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "easy",
	.description = "easy run, auto-paced under the HR ceiling",
	.intensity = TM_EASY,
	.init = easy_init,
	.plan = easy_plan,
	.tick = easy_tick,
	.event = easy_event,
	.cleanup = pu_cleanup,
	.abi_revision = TM_ABI_REVISION,
	.check = easy_check,
};

TM_PLUGIN_EXPORT const struct tm_plugin *
treadmill_plugin(uint32_t daemon_abi)
{
	return pu_handshake(&plugin, daemon_abi);
}
