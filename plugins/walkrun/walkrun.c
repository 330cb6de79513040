/*
 * walkrun: couch-to-5k style run/walk intervals.  A warm-up walk, cycles
 * of running and walking from the runner's walk-run stage, a cool-down
 * walk.  The daemon works out the stage she has earned from her history
 * (on after enough clean sessions, back after a symptom) and passes it in
 * runner->stage; this plugin only runs that stage, within today's planned
 * minutes.  Runs sit in the middle of her easy band; a stage without
 * walking is one continuous run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"
#include "plugcheck.h"
#include "plugutil.h"

/* More segments than this is no walk-run a person could follow. */
#define SEG_MAX		256

struct walkrun {
	int	 nseg;
	double	 walk_speed;
	struct pu_session ss;
	struct tm_segment seg[];	/* room for 2 * cycles + 2 */
};

/* A segment of the walk-run, walked or run; shorter than a second, none. */
static void
add(struct walkrun *w, const char *label, double duration_s, double speed,
    int gait)
{
	int n = w->nseg;

	pu_seg_add(w->seg, &w->nseg, label, duration_s, speed, TM_EASY, 0);
	if (w->nseg > n)
		w->seg[n].gait = gait;
}

static int
walkrun_init(void **ctxp, const struct tm_runner *r,
    const struct tm_config *c, char *err, size_t errlen)
{
	const struct tm_stage *st;
	struct walkrun *w;
	char label[TM_LABEL_MAX];
	double warm, cool, total, cycle, left, run, walk;
	int k, n, i;

	*ctxp = NULL;
	if (r == NULL || r->stages == NULL || r->nstages <= 0) {
		snprintf(err, errlen, "walkrun: no walk-run stages in the "
		    "profile");
		return -1;
	}
	/* Past the last stage she keeps the last one. */
	k = r->stage < 0 ? 0 : r->stage >= r->nstages ? r->nstages - 1 :
	    r->stage;
	st = &r->stages[k];
	if (!(st->run_s > 0) || !(st->walk_s >= 0) || !(st->total_min > 0)) {
		snprintf(err, errlen, "walkrun: stage %d needs run_s > 0, "
		    "walk_s >= 0 and total_min > 0", k + 1);
		return -1;
	}
	if (!(r->walk_speed > 0) || !(r->easy_min_speed > 0) ||
	    !(r->easy_max_speed >= r->easy_min_speed)) {
		snprintf(err, errlen, "walkrun: the runner's walk speed and "
		    "easy band (%g-%g km/h) make no walk-run",
		    r->easy_min_speed, r->easy_max_speed);
		return -1;
	}
	if (pu_conf_number(c, "walkrun", "warmup_min", 3, 0, 30, &warm, err,
	    errlen) ||
	    pu_conf_number(c, "walkrun", "cooldown_min", 3, 0, 30, &cool, err,
	    errlen))
		return -1;
	total = st->total_min * 60;
	/* The whole session keeps to today's length: the stage's run-walk
	 * is cut to what the warm-up and cool-down leave of it. */
	if (r->planned_minutes > 0) {
		double room = (r->planned_minutes - warm - cool) * 60;

		if (room < 60) {
			snprintf(err, errlen, "walkrun: %g planned minutes "
			    "leave no run-walk after %g min warm-up and %g min "
			    "cool-down", r->planned_minutes, warm, cool);
			return -1;
		}
		total = fmin(total, room);
	}
	cycle = st->run_s + st->walk_s;
	n = st->walk_s > 0 ? (int)ceil(total / cycle - 1e-9) : 1;
	if (n < 1 || 2 * n + 2 > SEG_MAX) {
		snprintf(err, errlen, "walkrun: stage %d makes %d run-walk "
		    "cycles; at most %d", k + 1, n, (SEG_MAX - 2) / 2);
		return -1;
	}
	if ((w = calloc(1, sizeof(*w) + (2 * n + 2) * sizeof(w->seg[0]))) ==
	    NULL) {
		snprintf(err, errlen, "walkrun: out of memory");
		return -1;
	}
	w->walk_speed = r->walk_speed;
	run = (r->easy_min_speed + r->easy_max_speed) / 2;
	walk = r->walk_speed;
	add(w, "warm-up", warm * 60, walk, TM_WALK);
	if (st->walk_s <= 0)
		add(w, "run", total, run, TM_RUN);
	else {
		/* Whole cycles; the clock may cut the last one short. */
		left = total;
		for (i = 1; i <= n && left >= 1; i++) {
			snprintf(label, sizeof(label), "run %d/%d", i, n);
			add(w, label, fmin(st->run_s, left), run, TM_RUN);
			left -= st->run_s;
			snprintf(label, sizeof(label), "walk %d/%d", i, n);
			add(w, label, fmin(st->walk_s, left), walk,
			    TM_WALK);
			left -= st->walk_s;
		}
	}
	add(w, "cool-down", cool * 60, walk, TM_WALK);
	pu_session_init(&w->ss);
	*ctxp = w;
	return 0;
}

static int
walkrun_plan(void *ctx, struct tm_segment *out, int max, int *n)
{
	struct walkrun *w = ctx;

	return pu_plan_copy(w->seg, w->nseg, out, max, n);
}

static int
walkrun_tick(void *ctx, const struct tm_sample *s, struct tm_proposal *p)
{
	struct walkrun *w = ctx;
	int seg;

	memset(p, 0, sizeof(*p));
	p->intensity = TM_EASY;
	if (!w->ss.frozen)
		w->ss.clock += pu_tick_dt(s);
	seg = pu_session_at(&w->ss, w->seg, w->nseg);
	if (seg >= w->nseg) {
		pu_session_finish(&w->ss, p, w->walk_speed);
		p->gait = TM_WALK;
		return 0;
	}
	w->ss.cur = seg;
	p->gait = w->seg[seg].gait;
	snprintf(p->label, sizeof(p->label), "%s", w->seg[seg].label);
	if (w->ss.frozen)
		return 0;	/* stopped until a person resumes */
	p->speed = pu_session_request(&w->ss, seg, w->seg[seg].speed);
	return 0;
}

static void
walkrun_event(void *ctx, const struct tm_event *ev)
{
	struct walkrun *w = ctx;

	(void)pu_session_event(&w->ss, ev);
}

/*
 * The settings, checked apart from any session (treadmilld -n, reload),
 * with the ranges walkrun_init holds them to.
 */
static int
walkrun_check(const struct tm_check *chk)
{
	static const char *const known[] = {
		"warmup_min", "cooldown_min", NULL
	};

	return pc_known(chk, known) +
	    pc_number(chk, "warmup_min", 0, 30) +
	    pc_number(chk, "cooldown_min", 0, 30);
}

static const struct tm_plugin plugin = {
	.abi_min = TM_ABI_VERSION,
	.abi_max = TM_ABI_VERSION,
	.name = "walkrun",
	.description = "run/walk intervals from the runner's walk-run stage",
	.intensity = TM_EASY,
	.init = walkrun_init,
	.plan = walkrun_plan,
	.tick = walkrun_tick,
	.event = walkrun_event,
	.cleanup = pu_cleanup,
	.abi_revision = TM_ABI_REVISION,
	.check = walkrun_check,
};

TM_PLUGIN_EXPORT const struct tm_plugin *
treadmill_plugin(uint32_t daemon_abi)
{
	return pu_handshake(&plugin, daemon_abi);
}
