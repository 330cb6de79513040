/*
 * The workout plugins as built (build/plugins/NAME.so, from `make all`),
 * loaded with dlopen and driven tick by tick at 20 Hz on a fake clock.
 * Heart rate comes from a small first-order runner in the test, like
 * treadsim's: hr' = (rest + k * belt + drift - hr) / tau, drift growing
 * while the belt moves; the belt follows the proposal at the daemon's
 * ramps, capped as the governor would (easy caps in easy segments, hard
 * caps in hard ones).
 *
 * The plugins are looked for beside this binary: BUILD/tests/test_plugins
 * loads BUILD/plugins/NAME.so (so build-san/ under SANITIZE=1), or in
 * $TM_PLUGIN_DIR.
 */
#include <dlfcn.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "treadmill/plugin.h"

#define DT	0.05	/* the daemon's tick, 20 Hz */

#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= (eps)))					\
		fail_msg("%s = %.6g, expected %.6g +- %g", #a, a_, b_,	\
		    (double)(eps));					\
} while (0)

/* ---- loading ------------------------------------------------------------ */

struct loaded {
	void			*h;
	const struct tm_plugin	*p;
	tm_plugin_entry		 entry;
};

static void
load(struct loaded *l, const char *name)
{
	memset(l, 0, sizeof(*l));
	l->entry = tu_plugin_entry(name, &l->h);
	l->p = l->entry(TM_ABI_VERSION);
	assert_non_null(l->p);
}

static void
unload(struct loaded *l)
{
	if (l->h != NULL)
		dlclose(l->h);
	l->h = NULL;
}

/* ---- configuration ------------------------------------------------------ */

struct kv {
	const char	*key;
	double		 num;
	const char	*str;
};

static int
kv_number(const struct tm_config *c, const char *key, double *out)
{
	for (const struct kv *k = c->priv; k != NULL && k->key != NULL; k++)
		if (k->str == NULL && strcmp(k->key, key) == 0) {
			*out = k->num;
			return 0;
		}
	return -1;
}

static int
kv_string(const struct tm_config *c, const char *key, const char **out)
{
	for (const struct kv *k = c->priv; k != NULL && k->key != NULL; k++)
		if (k->str != NULL && strcmp(k->key, key) == 0) {
			*out = k->str;
			return 0;
		}
	return -1;
}

static struct tm_config
config(const struct kv *kv)
{
	struct tm_config c;

	memset(&c, 0, sizeof(c));
	c.priv = kv;
	c.get_number = kv_number;
	c.get_string = kv_string;
	return c;
}

/* ---- the runner --------------------------------------------------------- */

static const struct tm_interval templates[] = {
	{ .name = "6x1min", .warmup_min = 10, .reps = 6, .work_s = 60,
	  .recovery_s = 90, .cooldown_min = 10, .work_speed = 9.5 },
	{ .name = "hr4x4", .warmup_min = 5, .reps = 4, .work_s = 240,
	  .recovery_s = 180, .cooldown_min = 5, .work_hr_pct = 85 },
	{ .name = "toofast", .warmup_min = 5, .reps = 2, .work_s = 60,
	  .recovery_s = 60, .cooldown_min = 5, .work_speed = 14 },
};

static const struct tm_stage stages[] = {
	{ .run_s = 60, .walk_s = 90, .total_min = 20 },
	{ .run_s = 120, .walk_s = 60, .total_min = 24 },
	{ .run_s = 60, .walk_s = 90, .total_min = 21 },
	{ .run_s = 1500, .walk_s = 0, .total_min = 25 },
};

static struct tm_runner
runner(void)
{
	struct tm_runner r;

	memset(&r, 0, sizeof(r));
	r.id = "priya";
	r.hr_max = 188;
	r.hr_rest = 58;
	r.easy_min_speed = 5.5;
	r.easy_max_speed = 8.0;
	r.easy_max_incline = 2;
	r.easy_hr_ceiling = 141;
	r.hard_max_speed = 10.5;
	r.hard_hr_ceiling = 173;
	r.walk_speed = 5.0;
	r.planned_minutes = 30;
	r.templates = templates;
	r.ntemplates = 3;
	r.stages = stages;
	r.nstages = 4;
	return r;
}

/* ---- the rig: plugin, belt and heart ------------------------------------ */

struct rig {
	const struct tm_plugin	*p;
	void			*ctx;
	struct tm_runner	 r;
	double			 t;		/* s, the fake clock */
	double			 belt;		/* km/h */
	double			 hr;		/* bpm, the heart */
	double			 drift;		/* bpm */
	/* the runner's heart */
	double			 rest, k, tau, drift_rate;
	int			 hr_off;	/* the strap sends nothing */
	int			 ceiling_off;	/* no HR ceiling */
	struct tm_proposal	 prop;		/* the last proposal */
};

static void
rig_start(struct rig *g, const struct tm_plugin *p, const struct tm_runner *r,
    const struct tm_config *c)
{
	char err[TM_ERR_MAX] = "";

	memset(g, 0, sizeof(*g));
	g->p = p;
	g->r = *r;
	g->rest = 60;
	g->k = 11;
	g->tau = 50;
	g->drift_rate = 0.2;
	g->hr = g->rest;
	if (p->init(&g->ctx, &g->r, c, err, sizeof(err)) != 0)
		fail_msg("init: %s", err);
	assert_non_null(g->ctx);
}

static void
rig_end(struct rig *g)
{
	if (g->p->cleanup != NULL)
		g->p->cleanup(g->ctx);
	g->ctx = NULL;
}

/* One tick: sample, plugin, then the world moves on by DT. */
static void
rig_tick(struct rig *g)
{
	struct tm_sample s;
	int hard = g->prop.intensity == TM_HARD;
	double target, rate, ss;

	memset(&s, 0, sizeof(s));
	s.elapsed_s = g->t;
	s.dt = DT;
	s.belt_speed = round(g->belt * 100) / 100;
	s.heart_rate = g->hr_off ? 0 : (int)lround(g->hr);
	s.cap = hard ? g->r.hard_max_speed : g->r.easy_max_speed;
	s.hr_ceiling = g->ceiling_off ? 0 : hard ? g->r.hard_hr_ceiling :
	    g->r.easy_hr_ceiling;
	assert_int_equal(g->p->tick(g->ctx, &s, &g->prop), 0);
	assert_true(isfinite(g->prop.speed) && g->prop.speed >= 0);
	assert_non_null(memchr(g->prop.label, '\0', TM_LABEL_MAX));

	/* The governor's cap and the safety ramps (1.0 up, 1.5 down). */
	target = fmin(g->prop.speed, s.cap);
	rate = target > g->belt ? 1.0 : 1.5;
	if (fabs(target - g->belt) <= rate * DT)
		g->belt = target;
	else
		g->belt += target > g->belt ? rate * DT : -rate * DT;
	if (g->belt > 0)
		g->drift += g->drift_rate / 60 * DT;
	ss = g->rest + g->k * g->belt + g->drift;
	g->hr += (ss - g->hr) * (1 - exp(-DT / g->tau));
	g->t += DT;
}

static void
rig_run(struct rig *g, double secs)
{
	long n = lround(secs / DT);

	for (long i = 0; i < n; i++)
		rig_tick(g);
}

static void
rig_event(struct rig *g, int type, double value)
{
	struct tm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.value = value;
	g->p->event(g->ctx, &ev);
}

/* Ticks until the plugin says done (at most secs); the time it took. */
static double
rig_until_done(struct rig *g, double secs)
{
	double t0 = g->t;

	while (!g->prop.done && g->t - t0 < secs)
		rig_tick(g);
	return g->t - t0;
}

static void
plan_of(const struct tm_plugin *p, void *ctx, struct tm_segment *seg,
    int max, int *n)
{
	memset(seg, 0, max * sizeof(*seg));
	assert_int_equal(p->plan(ctx, seg, max, n), 0);
	assert_true(*n > 0 && *n <= max);
}

static double
plan_total(const struct tm_segment *seg, int n)
{
	double t = 0;

	for (int i = 0; i < n; i++)
		t += seg[i].duration_s;
	return t;
}

/* ---- the handshake ------------------------------------------------------ */

static void
test_handshake(void **state)
{
	static const struct {
		const char	*name;
		int		 intensity;
	} want[] = {
		{ "easy", TM_EASY }, { "walkrun", TM_EASY },
		{ "intervals", TM_HARD },
	};
	struct loaded l;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		load(&l, want[i].name);
		assert_string_equal(l.p->name, want[i].name);
		assert_int_equal(l.p->abi_min, TM_ABI_VERSION);
		assert_int_equal(l.p->abi_max, TM_ABI_VERSION);
		assert_int_equal(l.p->intensity, want[i].intensity);
		assert_non_null(l.p->description);
		assert_non_null(l.p->init);
		assert_non_null(l.p->plan);
		assert_non_null(l.p->tick);
		assert_non_null(l.p->event);
		assert_non_null(l.p->cleanup);
		/* A daemon speaking another ABI gets nothing. */
		assert_null(l.entry(TM_ABI_VERSION + 1));
		assert_null(l.entry(TM_ABI_VERSION - 1));
		assert_null(l.entry(UINT32_MAX));
		unload(&l);
	}
}

/* ---- easy --------------------------------------------------------------- */

static void
test_easy_plan(void **state)
{
	struct loaded l;
	struct tm_segment seg[8];
	struct tm_runner r = runner();
	struct kv kv[] = {
		{ "warmup_min", 2, NULL }, { "cooldown_min", 5, NULL },
		{ "hr_margin", 4, NULL }, { NULL, 0, NULL },
	};
	struct tm_config c = config(NULL), c2 = config(kv);
	void *ctx;
	char err[TM_ERR_MAX];
	int n;

	(void)state;
	load(&l, "easy");
	assert_int_equal(l.p->init(&ctx, &r, &c, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 8, &n);
	assert_int_equal(n, 3);
	assert_string_equal(seg[0].label, "warm-up");
	assert_string_equal(seg[1].label, "easy run");
	assert_string_equal(seg[2].label, "cool-down");
	assert_int_equal(seg[0].gait, TM_WALK);
	assert_int_equal(seg[1].gait, TM_RUN);
	assert_int_equal(seg[2].gait, TM_WALK);
	assert_near(seg[0].duration_s, 180, 1e-9);
	assert_near(seg[1].duration_s, 30 * 60 - 360, 1e-9);
	assert_near(seg[2].duration_s, 180, 1e-9);
	assert_near(plan_total(seg, n), r.planned_minutes * 60, 1e-9);
	assert_near(seg[0].speed, r.walk_speed, 1e-9);
	assert_near(seg[1].speed, r.easy_max_speed, 1e-9);
	assert_near(seg[2].speed, r.walk_speed, 1e-9);
	assert_int_equal(seg[1].hr_target, 141 - 3);
	for (int i = 0; i < n; i++)
		assert_int_equal(seg[i].intensity, TM_EASY);
	/* A plan that does not fit is refused, not cut. */
	assert_int_equal(l.p->plan(ctx, seg, 2, &n), -1);
	l.p->cleanup(ctx);

	/* Configured ends and margin. */
	assert_int_equal(l.p->init(&ctx, &r, &c2, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 8, &n);
	assert_near(seg[0].duration_s, 120, 1e-9);
	assert_near(seg[2].duration_s, 300, 1e-9);
	assert_near(plan_total(seg, n), 30 * 60, 1e-9);
	assert_int_equal(seg[1].hr_target, 141 - 4);
	l.p->cleanup(ctx);

	/* A short day has 2-minute ends; no ceiling, no HR target. */
	r.planned_minutes = 15;
	r.easy_hr_ceiling = 0;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 8, &n);
	assert_near(seg[0].duration_s, 120, 1e-9);
	assert_near(seg[1].duration_s, 15 * 60 - 240, 1e-9);
	assert_int_equal(seg[1].hr_target, 0);
	l.p->cleanup(ctx);
	unload(&l);
}

static void
test_easy_init_errors(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct kv bad[] = { { "hr_margin", -1, NULL }, { NULL, 0, NULL } };
	struct kv long_ends[] = {
		{ "warmup_min", 10, NULL }, { "cooldown_min", 10, NULL },
		{ NULL, 0, NULL },
	};
	struct tm_config cb = config(bad), cl = config(long_ends);
	void *ctx = NULL;
	char err[TM_ERR_MAX];

	(void)state;
	load(&l, "easy");
	err[0] = '\0';
	assert_int_equal(l.p->init(&ctx, &r, &cb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "hr_margin"));
	assert_null(ctx);

	r.planned_minutes = 20;
	err[0] = '\0';
	assert_int_equal(l.p->init(&ctx, &r, &cl, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no run"));

	r.planned_minutes = 0;
	err[0] = '\0';
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);

	r = runner();
	r.walk_speed = 0;
	err[0] = '\0';
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	unload(&l);
}

struct steer_result {
	double	 max_hr;	/* over the run */
	double	 settle_s;	/* into the run: within 3 bpm after */
	double	 rms;		/* from minute 8 of the run */
	int	 reversals;	/* of the speed, once settled */
	int	 quick;		/* of those, < 2 min after a move */
	int	 changes;	/* of the speed, in the run */
	double	 min_speed, max_speed;
};

/*
 * A 40-minute easy session (3 + 34 + 3) on a runner of the given heart;
 * checks labels and done on the way.
 */
static void
easy_session(const struct tm_plugin *p, double tau, double k, double rest,
    struct steer_result *res)
{
	struct tm_runner r = runner();
	struct rig g;
	double target = r.easy_hr_ceiling - 3, last = -1, sum2 = 0;
	double run_t, last_move = -1e9;
	long n2 = 0;
	int last_dir = 0;

	r.planned_minutes = 40;
	rig_start(&g, p, &r, NULL);
	g.tau = tau;
	g.k = k;
	g.rest = g.hr = rest;
	memset(res, 0, sizeof(*res));
	res->min_speed = 1e9;
	rig_run(&g, 60);
	assert_string_equal(g.prop.label, "warm-up");
	assert_near(g.prop.speed, r.walk_speed, 1e-9);
	rig_run(&g, 120);
	while (g.t < 37 * 60 - DT / 2) {
		rig_tick(&g);
		run_t = g.t - 180;
		assert_string_equal(g.prop.label, "easy run");
		assert_int_equal(g.prop.intensity, TM_EASY);
		assert_false(g.prop.done);
		res->min_speed = fmin(res->min_speed, g.prop.speed);
		res->max_speed = fmax(res->max_speed, g.prop.speed);
		res->max_hr = fmax(res->max_hr, g.hr);
		if (fabs(g.hr - target) > 3)
			res->settle_s = run_t;
		if (run_t >= 8 * 60) {
			sum2 += (g.hr - target) * (g.hr - target);
			n2++;
		}
		if (last >= 0 && fabs(g.prop.speed - last) > 1e-9) {
			int dir = g.prop.speed > last ? 1 : -1;

			res->changes++;
			if (last_dir != 0 && dir != last_dir &&
			    run_t > res->settle_s) {
				res->reversals++;
				if (run_t - last_move < 120)
					res->quick++;
			}
			last_dir = dir;
			last_move = run_t;
		}
		last = g.prop.speed;
	}
	res->rms = sqrt(sum2 / (n2 ? n2 : 1));
	rig_run(&g, 60);
	assert_string_equal(g.prop.label, "cool-down");
	assert_near(g.prop.speed, r.walk_speed, 1e-9);
	assert_false(g.prop.done);
	/* Done when the plan is over, not before. */
	assert_near(rig_until_done(&g, 300), 120, 0.11);
	rig_end(&g);
}

static void
test_easy_steers(void **state)
{
	/* tau (s), k (bpm per km/h), rest (bpm): slow and fast hearts. */
	static const double hearts[][3] = {
		{ 50, 11, 60 }, { 40, 13, 62 }, { 60, 10, 70 }, { 45, 15, 55 },
	};
	struct loaded l;
	struct steer_result res;

	(void)state;
	load(&l, "easy");
	for (size_t i = 0; i < sizeof(hearts) / sizeof(hearts[0]); i++) {
		easy_session(l.p, hearts[i][0], hearts[i][1], hearts[i][2],
		    &res);
		print_message("tau %g k %g rest %g: max HR %.1f settle %.0f s "
		    "RMS %.2f changes %d reversals %d (quick %d) speed "
		    "%.2f-%.2f\n",
		    hearts[i][0], hearts[i][1], hearts[i][2], res.max_hr,
		    res.settle_s, res.rms, res.changes, res.reversals,
		    res.quick,
		    res.min_speed, res.max_speed);
		/* Never over the ceiling by more than 3 bpm. */
		assert_true(res.max_hr <= 141 + 3);
		/*
		 * Settled within 3 minutes and close.  No hunting: once
		 * settled the speed follows the drift down, turning back
		 * seldom and never soon after a move.
		 */
		assert_true(res.settle_s < 180);
		assert_true(res.rms < 1.0);
		assert_true(res.reversals <= 3);
		assert_int_equal(res.quick, 0);
		assert_true(res.changes <= 40);
		assert_true(res.min_speed >= 5.0 - 1e-9);
		assert_true(res.max_speed <= 8.0 + 1e-9);
	}
	unload(&l);
}

/* Settle an easy run on the default heart; g is 10 minutes into the run. */
static void
easy_settled(struct rig *g, const struct tm_plugin *p)
{
	struct tm_runner r = runner();

	r.planned_minutes = 40;
	rig_start(g, p, &r, NULL);
	rig_run(g, 180 + 600);
	assert_string_equal(g->prop.label, "easy run");
	assert_near(g->hr, 138, 2);
}

static void
test_easy_hr_lost(void **state)
{
	struct loaded l;
	struct rig g;
	double held;

	(void)state;
	load(&l, "easy");
	easy_settled(&g, l.p);
	held = g.prop.speed;
	assert_true(held < 8.0);	/* steered below the top of the band */
	g.hr_off = 1;
	/* A short loss holds the pace (easy.hr_loss_grace_s, 15 s); then
	 * she walks, and nothing raises the speed without a signal. */
	for (int i = 0; i < 2 * 60 * 20; i++) {
		rig_tick(&g);
		if (i < 14 * 20)
			assert_near(g.prop.speed, held, 1e-9);
		else if (i >= 15 * 20) {
			assert_near(g.prop.speed, 5.0, 1e-9);
			assert_string_equal(g.prop.label,
			    "no heart rate: walking");
		}
	}
	/* Back: steering resumes from the walk, at its own pace. */
	g.hr_off = 0;
	rig_run(&g, 10);
	/* at most 0.2 km/h every 3 s */
	assert_true(g.prop.speed > 5.0 && g.prop.speed <= 5.0 + 0.81);
	assert_string_equal(g.prop.label, "easy run");
	rig_run(&g, 300);
	assert_near(g.hr, 138, 2);
	rig_end(&g);
	unload(&l);
}

static void
test_easy_no_hr(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;

	(void)state;
	load(&l, "easy");
	/* No strap at all: the top of the easy band. */
	rig_start(&g, l.p, &r, NULL);
	g.hr_off = 1;
	rig_run(&g, 180 + 300);
	assert_string_equal(g.prop.label, "easy run");
	assert_near(g.prop.speed, r.easy_max_speed, 1e-9);
	rig_end(&g);

	/* A strap but no ceiling: nothing to steer to. */
	rig_start(&g, l.p, &r, NULL);
	g.ceiling_off = 1;
	rig_run(&g, 180 + 600);
	assert_near(g.prop.speed, r.easy_max_speed, 1e-9);
	assert_true(g.hr > 141);	/* this heart would go over */
	rig_end(&g);
	unload(&l);
}

static void
test_easy_request(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;

	(void)state;
	load(&l, "easy");
	/* In the warm-up: slower wins there, and ends with it. */
	rig_start(&g, l.p, &r, NULL);
	rig_run(&g, 30);
	rig_event(&g, TM_EV_REQUEST, 4.0);
	rig_tick(&g);
	assert_near(g.prop.speed, 4.0, 1e-9);
	rig_run(&g, 160);
	assert_string_equal(g.prop.label, "easy run");
	assert_true(g.prop.speed > 7.0);
	rig_end(&g);

	/* In the run: slower wins; faster does not. */
	easy_settled(&g, l.p);
	rig_event(&g, TM_EV_REQUEST, 6.0);
	for (int i = 0; i < 60 * 20; i++) {
		rig_tick(&g);
		assert_near(g.prop.speed, 6.0, 1e-9);
	}
	assert_true(g.hr < 135);
	rig_event(&g, TM_EV_REQUEST, 9.5);
	rig_run(&g, 300);
	assert_true(g.prop.speed <= r.easy_max_speed + 1e-9);
	assert_near(g.hr, 138, 2.5);
	rig_end(&g);
	unload(&l);
}

static void
test_easy_stop_resume(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;

	(void)state;
	load(&l, "easy");
	r.planned_minutes = 20;
	rig_start(&g, l.p, &r, NULL);
	rig_run(&g, 400);
	rig_event(&g, TM_EV_STOP, 0);
	for (int i = 0; i < 90 * 20; i++) {
		rig_tick(&g);
		assert_near(g.prop.speed, 0, 1e-9);
		assert_string_equal(g.prop.label, "easy run");
		assert_false(g.prop.done);
	}
	assert_true(g.hr < 120);	/* she has cooled off */
	rig_event(&g, TM_EV_RESUME, 0);
	rig_tick(&g);
	assert_true(g.prop.speed >= 5.0);
	/* The plan's clock stood still for the 90 s stop. */
	assert_near(rig_until_done(&g, 3600), 20 * 60 - 400, 0.11);
	/* ...and HR was brought back under the ceiling after it. */
	assert_true(g.hr < 141);
	rig_end(&g);
	unload(&l);
}

/* ---- every plugin: symptom and end -------------------------------------- */

static void
test_symptom_done(void **state)
{
	static const char *names[] = { "easy", "walkrun", "intervals" };
	static const int types[] = { TM_EV_SYMPTOM, TM_EV_END };
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		load(&l, names[i]);
		for (size_t k = 0; k < 2; k++) {
			rig_start(&g, l.p, &r, NULL);
			rig_run(&g, 400);
			assert_false(g.prop.done);
			rig_event(&g, types[k], 0);
			rig_tick(&g);
			assert_true(g.prop.done);
			assert_int_equal(g.prop.intensity, TM_EASY);
			assert_true(g.prop.speed <= r.walk_speed + 1e-9);
			rig_run(&g, 10);
			assert_true(g.prop.done);
			rig_end(&g);
		}
		unload(&l);
	}
}

/* ---- walkrun ------------------------------------------------------------ */

static void
test_walkrun_plan(void **state)
{
	struct loaded l;
	struct tm_segment seg[64];
	struct tm_runner r = runner();
	char label[TM_LABEL_MAX], err[TM_ERR_MAX];
	double mid = (5.5 + 8.0) / 2;
	void *ctx;
	int n;

	(void)state;
	load(&l, "walkrun");
	r.planned_minutes = 40;		/* room for every stage */
	/* Stage 1: 8 x (60 s run, 90 s walk) in 20 minutes. */
	r.stage = 0;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_int_equal(n, 1 + 16 + 1);
	assert_string_equal(seg[0].label, "warm-up");
	assert_near(seg[0].speed, r.walk_speed, 1e-9);
	for (int i = 1; i <= 8; i++) {
		snprintf(label, sizeof(label), "run %d/8", i);
		assert_string_equal(seg[2 * i - 1].label, label);
		assert_near(seg[2 * i - 1].duration_s, 60, 1e-9);
		assert_near(seg[2 * i - 1].speed, mid, 1e-9);
		snprintf(label, sizeof(label), "walk %d/8", i);
		assert_string_equal(seg[2 * i].label, label);
		assert_near(seg[2 * i].duration_s, 90, 1e-9);
		assert_near(seg[2 * i].speed, r.walk_speed, 1e-9);
	}
	assert_string_equal(seg[17].label, "cool-down");
	assert_near(plan_total(seg, n), 180 + 20 * 60 + 180, 1e-9);
	for (int i = 0; i < n; i++)
		assert_int_equal(seg[i].intensity, TM_EASY);
	/* Runs are running; warm-up, walk breaks and cool-down walking. */
	for (int i = 0; i < n; i++)
		assert_int_equal(seg[i].gait, strncmp(seg[i].label, "run ",
		    4) == 0 ? TM_RUN : TM_WALK);
	assert_int_equal(l.p->plan(ctx, seg, 10, &n), -1);
	l.p->cleanup(ctx);

	/* Stage 3: 21 minutes is 8.4 cycles: the clock cuts the last. */
	r.stage = 2;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_int_equal(n, 1 + 17 + 1);
	assert_string_equal(seg[17].label, "run 9/9");
	assert_near(seg[17].duration_s, 60, 1e-9);
	assert_near(plan_total(seg, n), 180 + 21 * 60 + 180, 1e-9);
	l.p->cleanup(ctx);

	/* Stage 4: no walking, one continuous run; past the last, the last. */
	for (r.stage = 3; r.stage <= 9; r.stage += 6) {
		assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)),
		    0);
		plan_of(l.p, ctx, seg, 64, &n);
		assert_int_equal(n, 3);
		assert_string_equal(seg[1].label, "run");
		assert_int_equal(seg[1].gait, TM_RUN);
		assert_near(seg[1].duration_s, 25 * 60, 1e-9);
		assert_near(seg[1].speed, mid, 1e-9);
		l.p->cleanup(ctx);
	}
	unload(&l);
}

static void
test_walkrun_ticks(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;
	double mid = (5.5 + 8.0) / 2;

	(void)state;
	load(&l, "walkrun");
	r.stage = 1;	/* 120 s run, 60 s walk, 24 minutes: 8 cycles */
	rig_start(&g, l.p, &r, NULL);
	rig_run(&g, 100);
	assert_string_equal(g.prop.label, "warm-up");
	assert_int_equal(g.prop.gait, TM_WALK);
	rig_run(&g, 80 + 2 * 180 + 10);	/* 10 s into cycle 3 */
	assert_string_equal(g.prop.label, "run 3/8");
	assert_int_equal(g.prop.gait, TM_RUN);
	assert_near(g.prop.speed, mid, 1e-9);
	rig_run(&g, 120);
	assert_string_equal(g.prop.label, "walk 3/8");
	assert_int_equal(g.prop.gait, TM_WALK);
	assert_near(g.prop.speed, r.walk_speed, 1e-9);
	/* A slower request holds for its segment only. */
	rig_run(&g, 60);
	assert_string_equal(g.prop.label, "run 4/8");
	rig_event(&g, TM_EV_REQUEST, 6.0);
	rig_tick(&g);
	assert_near(g.prop.speed, 6.0, 1e-9);
	rig_event(&g, TM_EV_REQUEST, 9.0);
	rig_tick(&g);
	assert_near(g.prop.speed, mid, 1e-9);
	rig_event(&g, TM_EV_REQUEST, 6.0);
	rig_run(&g, 120);
	assert_string_equal(g.prop.label, "walk 4/8");
	rig_run(&g, 60);
	assert_string_equal(g.prop.label, "run 5/8");
	assert_near(g.prop.speed, mid, 1e-9);
	/* A stop freezes the clock. */
	rig_event(&g, TM_EV_STOP, 0);
	rig_run(&g, 600);
	assert_string_equal(g.prop.label, "run 5/8");
	assert_near(g.prop.speed, 0, 1e-9);
	rig_event(&g, TM_EV_RESUME, 0);
	/* 180 + 24 * 60 + 180 in all, 180 + 4 * 180 + 10.05 of it done. */
	assert_near(rig_until_done(&g, 3600),
	    180 + 24 * 60 + 180 - (180 + 4 * 180 + 10.05), 0.11);
	rig_end(&g);
	unload(&l);
}

static void
test_walkrun_errors(void **state)
{
	static const struct tm_stage bad[] = {
		{ .run_s = 0, .walk_s = 60, .total_min = 20 },
	};
	static const struct tm_stage tiny[] = {
		{ .run_s = 1, .walk_s = 1, .total_min = 60 },
	};
	struct loaded l;
	struct tm_runner r = runner();
	char err[TM_ERR_MAX];
	void *ctx = NULL;

	(void)state;
	load(&l, "walkrun");
	r.nstages = 0;
	r.stages = NULL;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no walk-run stages"));
	assert_null(ctx);
	r.stages = bad;
	r.nstages = 1;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "stage 1"));
	r.stages = tiny;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cycles"));
	unload(&l);
}

/* The session keeps to today's planned length, warm-up and cool-down
 * included: the run-walk is cut, never the plan exceeded. */
static void
test_walkrun_planned_minutes(void **state)
{
	struct loaded l;
	struct tm_segment seg[64];
	struct tm_runner r = runner();
	char err[TM_ERR_MAX];
	void *ctx;
	int n;

	(void)state;
	load(&l, "walkrun");
	for (int stage = 0; stage < r.nstages; stage++) {
		r.stage = stage;
		r.planned_minutes = 15;
		assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)),
		    0);
		plan_of(l.p, ctx, seg, 64, &n);
		assert_near(plan_total(seg, n), 15 * 60, 1e-9);
		assert_string_equal(seg[0].label, "warm-up");
		assert_near(seg[0].duration_s, 180, 1e-9);
		assert_string_equal(seg[n - 1].label, "cool-down");
		assert_near(seg[n - 1].duration_s, 180, 1e-9);
		l.p->cleanup(ctx);
	}
	/* Stage 1 (20 min of 60 s run, 90 s walk) in 15: 9 min of it. */
	r.stage = 0;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_int_equal(n, 1 + 8 + 1);
	assert_string_equal(seg[7].label, "run 4/4");
	assert_near(seg[8].duration_s, 0.5 * 60, 1e-9);
	l.p->cleanup(ctx);
	/* Too short for anything after the warm-up and cool-down. */
	r.planned_minutes = 6.5;
	ctx = NULL;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "6.5 planned minutes leave no run-walk"));
	assert_null(ctx);
	unload(&l);
}

/* ---- intervals ---------------------------------------------------------- */

static void
test_intervals_plan(void **state)
{
	struct loaded l;
	struct tm_segment seg[64];
	struct tm_runner r = runner();
	struct kv jog[] = { { "recovery", 0, "jog" }, { NULL, 0, NULL } };
	struct tm_config cj = config(jog);
	char label[TM_LABEL_MAX], err[TM_ERR_MAX];
	void *ctx;
	int n;

	(void)state;
	load(&l, "intervals");
	/* The first template: 10 min, 6 x (60 s at 9.5, 90 s walk), 10. */
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_int_equal(n, 14);
	assert_string_equal(seg[0].label, "warm-up");
	assert_near(seg[0].duration_s, 600, 1e-9);
	assert_int_equal(seg[0].intensity, TM_EASY);
	/* Reps are running, the rest walking. */
	for (int i = 0; i < n; i++)
		assert_int_equal(seg[i].gait, i % 2 == 1 && i < 13 ? TM_RUN :
		    TM_WALK);
	for (int i = 1; i <= 6; i++) {
		snprintf(label, sizeof(label), "rep %d/6", i);
		assert_string_equal(seg[2 * i - 1].label, label);
		assert_near(seg[2 * i - 1].duration_s, 60, 1e-9);
		assert_near(seg[2 * i - 1].speed, 9.5, 1e-9);
		assert_int_equal(seg[2 * i - 1].intensity, TM_HARD);
		assert_int_equal(seg[2 * i - 1].hr_target, 0);
		snprintf(label, sizeof(label), "recovery %d/6", i);
		assert_string_equal(seg[2 * i].label, label);
		assert_near(seg[2 * i].duration_s, 90, 1e-9);
		assert_near(seg[2 * i].speed, r.walk_speed, 1e-9);
		assert_int_equal(seg[2 * i].intensity, TM_EASY);
	}
	assert_string_equal(seg[13].label, "cool-down");
	assert_int_equal(seg[13].intensity, TM_EASY);
	assert_near(plan_total(seg, n), 600 + 6 * 150 + 600, 1e-9);
	l.p->cleanup(ctx);

	/* By name, by heart rate, jogged recoveries. */
	r.template_name = "hr4x4";
	assert_int_equal(l.p->init(&ctx, &r, &cj, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_int_equal(n, 10);
	assert_string_equal(seg[1].label, "rep 1/4");
	assert_near(seg[1].speed, 0, 1e-9);
	assert_int_equal(seg[1].hr_target, 160);	/* 85 % of 188 */
	assert_near(seg[2].speed, r.easy_min_speed, 1e-9);
	l.p->cleanup(ctx);

	/* A work speed over the hard cap is planned at the cap. */
	r.template_name = "toofast";
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), 0);
	plan_of(l.p, ctx, seg, 64, &n);
	assert_near(seg[1].speed, r.hard_max_speed, 1e-9);
	l.p->cleanup(ctx);
	unload(&l);
}

static void
test_intervals_errors(void **state)
{
	static const struct tm_interval both[] = {
		{ .name = "both", .reps = 2, .work_s = 60, .work_speed = 9,
		  .work_hr_pct = 80 },
	};
	struct loaded l;
	struct tm_runner r = runner();
	struct kv bad[] = { { "recovery", 0, "sprint" }, { NULL, 0, NULL } };
	struct tm_config cb = config(bad);
	char err[TM_ERR_MAX];
	void *ctx = NULL;

	(void)state;
	load(&l, "intervals");
	r.template_name = "nosuch";
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"nosuch\""));
	assert_null(ctx);
	r.template_name = NULL;
	r.templates = NULL;
	r.ntemplates = 0;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no interval templates"));
	r.templates = both;
	r.ntemplates = 1;
	assert_int_equal(l.p->init(&ctx, &r, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "either"));
	r = runner();
	assert_int_equal(l.p->init(&ctx, &r, &cb, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "recovery"));
	unload(&l);
}

static void
test_intervals_by_speed(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;

	(void)state;
	load(&l, "intervals");
	rig_start(&g, l.p, &r, NULL);
	rig_run(&g, 300);
	assert_string_equal(g.prop.label, "warm-up");
	assert_int_equal(g.prop.intensity, TM_EASY);
	assert_near(g.prop.speed, r.easy_min_speed, 1e-9);
	for (int i = 1; i <= 6; i++) {
		char rep[TM_LABEL_MAX], rec[TM_LABEL_MAX];

		snprintf(rep, sizeof(rep), "rep %d/6", i);
		snprintf(rec, sizeof(rec), "recovery %d/6", i);
		rig_run(&g, i == 1 ? 330 : 100);	/* 30 s into the rep */
		assert_string_equal(g.prop.label, rep);
		assert_int_equal(g.prop.intensity, TM_HARD);
		assert_int_equal(g.prop.gait, TM_RUN);
		assert_near(g.prop.speed, 9.5, 1e-9);
		rig_run(&g, 50);			/* 20 s into recovery */
		assert_string_equal(g.prop.label, rec);
		assert_int_equal(g.prop.intensity, TM_EASY);
		assert_int_equal(g.prop.gait, TM_WALK);
		assert_near(g.prop.speed, r.walk_speed, 1e-9);
	}
	rig_run(&g, 300);
	assert_string_equal(g.prop.label, "cool-down");
	assert_int_equal(g.prop.intensity, TM_EASY);
	assert_false(g.prop.done);
	rig_until_done(&g, 600);
	assert_true(g.prop.done);
	assert_near(g.t, 600 + 6 * 150 + 600, 0.11);
	rig_end(&g);
	unload(&l);
}

static void
test_intervals_by_hr(void **state)
{
	struct loaded l;
	struct tm_runner r = runner();
	struct rig g;
	double top;

	(void)state;
	load(&l, "intervals");
	r.template_name = "hr4x4";	/* 4 x 4 min at 160 bpm, 3 min walk */
	rig_start(&g, l.p, &r, NULL);
	g.tau = 45;
	rig_run(&g, 290);
	while (strcmp(g.prop.label, "warm-up") == 0)
		rig_tick(&g);
	for (int i = 1; i <= 4; i++) {
		char rep[TM_LABEL_MAX], rec[TM_LABEL_MAX];
		long ticks = 0;

		snprintf(rep, sizeof(rep), "rep %d/4", i);
		snprintf(rec, sizeof(rec), "recovery %d/4", i);
		top = 0;
		assert_string_equal(g.prop.label, rep);
		while (strcmp(g.prop.label, rep) == 0) {
			assert_int_equal(g.prop.intensity, TM_HARD);
			assert_true(g.prop.speed <= r.hard_max_speed + 1e-9);
			assert_true(g.prop.speed >= r.walk_speed - 1e-9);
			/* The last 90 s of a rep are at the target. */
			if (ticks * DT >= 150)
				assert_near(g.hr, 160, 3);
			top = fmax(top, g.hr);
			rig_tick(&g);
			ticks++;
		}
		assert_true(labs(ticks - 240 * 20) <= 1);
		assert_true(top <= 163);
		/* Recovery: easy and walking, in plan and in proposal. */
		assert_string_equal(g.prop.label, rec);
		while (strcmp(g.prop.label, rec) == 0) {
			assert_int_equal(g.prop.intensity, TM_EASY);
			assert_near(g.prop.speed, r.walk_speed, 1e-9);
			rig_tick(&g);
		}
	}
	assert_string_equal(g.prop.label, "cool-down");
	rig_end(&g);

	/* No strap: a rep between the easy maximum and the hard cap. */
	rig_start(&g, l.p, &r, NULL);
	g.hr_off = 1;
	rig_run(&g, 330);
	assert_string_equal(g.prop.label, "rep 1/4");
	assert_near(g.prop.speed, (8.0 + 10.5) / 2, 1e-9);
	rig_end(&g);
	unload(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_easy_plan),
		cmocka_unit_test(test_easy_init_errors),
		cmocka_unit_test(test_easy_steers),
		cmocka_unit_test(test_easy_hr_lost),
		cmocka_unit_test(test_easy_no_hr),
		cmocka_unit_test(test_easy_request),
		cmocka_unit_test(test_easy_stop_resume),
		cmocka_unit_test(test_symptom_done),
		cmocka_unit_test(test_walkrun_plan),
		cmocka_unit_test(test_walkrun_ticks),
		cmocka_unit_test(test_walkrun_errors),
		cmocka_unit_test(test_walkrun_planned_minutes),
		cmocka_unit_test(test_intervals_plan),
		cmocka_unit_test(test_intervals_errors),
		cmocka_unit_test(test_intervals_by_speed),
		cmocka_unit_test(test_intervals_by_hr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
