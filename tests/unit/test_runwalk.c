/*
 * The easy plugin as built (BUILD/plugins/easy.so, as test_plugins loads
 * it) on treadsim's own runner model (libsim), ticked at 20 Hz on a fake
 * clock: the belt follows the proposal at the drive's ramps, capped as
 * the governor would, and heart rate is the model's as treadsim reports
 * it (whole bpm, every tick) or, where a test says so, as a chest strap
 * gives it (one reading a second, noise of 2 bpm correlated over 5 s,
 * a fixed seed).
 *
 * treadsim's default runner walks below 7.5 km/h (117 bpm at 7.4) and
 * jogs from it (140 at 7.5): a ceiling of 139 lies in the step.
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

#include "treadmill/plugin.h"
#include "model.h"
#include "testutil.h"

#define DT		0.05	/* the daemon's tick, 20 Hz */
#define WARMUP_MIN	3.0
#define RUN_MIN		15.0
#define GAIT		7.5	/* the model's gait switch */

struct kv {
	const char	*key;
	double		 num;
};

static int
kv_number(const struct tm_config *c, const char *key, double *out)
{
	for (const struct kv *k = c->priv; k->key != NULL; k++)
		if (strcmp(k->key, key) == 0) {
			*out = k->num;
			return 0;
		}
	return -1;
}

static int
kv_string(const struct tm_config *c, const char *key, const char **out)
{
	(void)c;
	(void)key;
	(void)out;
	return -1;
}

static const struct kv settings[] = {
	{ "warmup_min", WARMUP_MIN },
	{ "cooldown_min", 2 },
	{ "hr_loss_grace_s", 10 },
	{ NULL, 0 },
};

static const struct tm_config config = {
	.priv = settings,
	.get_number = kv_number,
	.get_string = kv_string,
};

struct rig {
	void			*h;
	const struct tm_plugin	*p;
	void			*ctx;
	struct tm_runner	 r;
	struct sim_model	 m;
	struct sim_cmd		 c;
	struct tm_proposal	 prop;
	double			 t;		/* s since the start */
	int			 hr_off;	/* strap off */
	int			 hr_read;	/* the strap's last reading */
	double			 noise_sd;	/* bpm; 0: as treadsim has it */
	double			 next_read, noise;
	unsigned long long	 rng;
};

static double
gauss(struct rig *g)
{
	double u[2];

	for (int i = 0; i < 2; i++) {
		g->rng ^= g->rng << 13;
		g->rng ^= g->rng >> 7;
		g->rng ^= g->rng << 17;
		u[i] = ((g->rng >> 11) + 0.5) / 9007199254740992.0;
	}
	return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

/* A session for a runner with this ceiling on treadsim's default runner. */
static void
rig_start(struct rig *g, int ceiling)
{
	char err[TM_ERR_MAX];
	tm_plugin_entry entry;

	memset(g, 0, sizeof(*g));
	entry = tu_plugin_entry("easy", &g->h);
	g->p = entry(TM_ABI_VERSION);
	assert_non_null(g->p);
	g->r.id = "test";
	g->r.hr_max = 185;
	g->r.hr_rest = 65;
	g->r.easy_min_speed = 5.5;
	g->r.easy_max_speed = 9.5;
	g->r.easy_hr_ceiling = ceiling;
	g->r.walk_speed = 5.0;
	g->r.planned_minutes = WARMUP_MIN + RUN_MIN + 2;
	g->c.accel = 1.0;
	g->c.decel = 1.5;
	sim_model_init(&g->m, &g->c, 0);
	g->c.run = true;	/* a RUN edge arms the drive */
	sim_model_command(&g->m, &g->c, 0);
	g->rng = 0x9e3779b97f4a7c15ULL;
	g->hr_read = (int)lround(g->m.hr);
	assert_int_equal(g->p->init(&g->ctx, &g->r, &config, err,
	    sizeof(err)), 0);
}

static void
rig_tick(struct rig *g)
{
	struct tm_sample s;
	double a = exp(-1.0 / 5), v, inc;

	g->t += DT;
	sim_model_tick(&g->m, g->t);
	if (g->noise_sd == 0)
		g->hr_read = (int)lround(g->m.hr);
	else if (g->t >= g->next_read) {
		g->noise = a * g->noise + g->noise_sd * sqrt(1 - a * a) *
		    gauss(g);
		g->hr_read = (int)lround(g->m.hr + g->noise);
		g->next_read += 1.0;
	}
	memset(&s, 0, sizeof(s));
	s.elapsed_s = g->t;
	s.dt = DT;
	s.belt_speed = g->m.speed;
	s.incline = g->m.incline;
	s.heart_rate = g->hr_off ? 0 : g->hr_read;
	s.cap = g->r.easy_max_speed;
	s.hr_ceiling = g->r.easy_hr_ceiling;
	assert_int_equal(g->p->tick(g->ctx, &s, &g->prop), 0);
	/* The governor's caps. */
	v = fmin(g->prop.speed, g->r.easy_max_speed);
	inc = fmin(g->prop.incline, g->r.easy_max_incline);
	if (v != g->c.speed_kmh || inc != g->c.incline_pct) {
		g->c.speed_kmh = v;
		g->c.incline_pct = inc;
		sim_model_command(&g->m, &g->c, g->t);
	}
}

static void
rig_run(struct rig *g, double secs)
{
	long n = lround(secs / DT);

	for (long i = 0; i < n; i++)
		rig_tick(g);
}

static void
rig_end(struct rig *g)
{
	if (g->p->cleanup != NULL)
		g->p->cleanup(g->ctx);
	dlclose(g->h);
}

/* Her ceiling in the step: run/walk keeps her under it all through. */
static void
test_inside_step(void **state)
{
	struct rig g;
	double worst = -1e9, jog_s = 0;
	int switches = 0, labelled = 0, was_jog = 0;

	(void)state;
	rig_start(&g, 139);
	rig_run(&g, WARMUP_MIN * 60);
	assert_string_equal(g.prop.label, "easy run");
	for (long i = 0; i < lround(RUN_MIN * 60 / DT); i++) {
		rig_tick(&g);
		worst = fmax(worst, g.m.hr - 139);
		if (g.m.speed >= GAIT)
			jog_s += DT;
		if ((g.c.speed_kmh >= GAIT) != was_jog) {
			was_jog = !was_jog;
			switches++;
		}
		if (strcmp(g.prop.label, "run/walk: under 139 bpm") == 0)
			labelled = 1;
	}
	print_message("worst %+.2f bpm, jogging %.0f of %.0f s, %d gait "
	    "changes\n", worst, jog_s, RUN_MIN * 60, switches);
	assert_true(worst <= 0);
	assert_true(labelled);
	/* Not by walking all the way: she jogs much of it, in bouts. */
	assert_true(jog_s >= 0.4 * RUN_MIN * 60);
	assert_true(switches >= 10);
	rig_end(&g);
}

/*
 * The same with a chest strap's noise (2 bpm, correlated over 5 s):
 * from the fifth minute of the run, over the ceiling at most 1 % of the
 * time and by at most 1 bpm (while the steering finds the step the
 * noise can hide a near-miss from it).
 */
static void
test_inside_step_strap(void **state)
{
	struct rig g;
	double worst = -1e9;
	long above = 0, n = 0;

	(void)state;
	rig_start(&g, 139);
	g.noise_sd = 2;
	rig_run(&g, (WARMUP_MIN + 5) * 60);
	for (long i = 0; i < lround((RUN_MIN - 5) * 60 / DT); i++) {
		rig_tick(&g);
		worst = fmax(worst, g.m.hr - 139);
		above += g.m.hr > 139;
		n++;
	}
	print_message("worst %+.2f bpm, %.2f %% of the time over\n", worst,
	    100.0 * above / n);
	assert_true(worst <= 1.0);
	assert_true(above <= n / 100);
	rig_end(&g);
}

/*
 * A runner with a steady jog under her ceiling runs steadily once
 * settled: no walking, no hunting across the gait step.  Just above the
 * step (her heart without drift, so the jog stays fitting) and well
 * above it.
 */
static void
steady_case(int ceiling, double drift, double noise)
{
	struct rig g;
	double sum2 = 0;
	long n = 0;

	rig_start(&g, ceiling);
	g.noise_sd = noise;
	g.m.hrp.drift = drift;
	rig_run(&g, (WARMUP_MIN + 8) * 60);	/* settling */
	for (long i = 0; i < lround((RUN_MIN - 8) * 60 / DT); i++) {
		rig_tick(&g);
		if (g.c.speed_kmh < GAIT || strcmp(g.prop.label, "easy run"))
			fail_msg("ceiling %d: at %.0f s the belt is at %.2f "
			    "km/h, \"%s\"", ceiling, g.t, g.c.speed_kmh,
			    g.prop.label);
		sum2 += (g.m.hr - (ceiling - 3)) * (g.m.hr - (ceiling - 3));
		n++;
	}
	print_message("ceiling %d: RMS %.2f bpm around the target\n",
	    ceiling, sqrt(sum2 / n));
	assert_true(sqrt(sum2 / n) < 1.5);
	rig_end(&g);
}

static void
test_steady_runner(void **state)
{
	(void)state;
	steady_case(144, 0, 0);
	steady_case(146, 0, 0);
	steady_case(146, 0, 2);
	steady_case(160, 0.2, 2);
}

/*
 * Her heart settles (running costs her less, as on a good day) while she
 * runs and walks: once a jog keeps her under the target she runs
 * steadily again, jogging and never walking.
 */
static void
test_settles_back(void **state)
{
	struct rig g;
	int runwalk = 0;

	(void)state;
	rig_start(&g, 139);
	rig_run(&g, (WARMUP_MIN + 6) * 60);
	runwalk = strcmp(g.prop.label, "run/walk: under 139 bpm") == 0;
	assert_true(runwalk);
	/* 7.5 km/h now leads to 130 bpm, the target 136 to 8.2 km/h. */
	g.m.hrp.k_speed = 65.0 / 7.5;
	rig_run(&g, 5 * 60);
	for (long i = 0; i < lround(4 * 60 / DT); i++) {
		rig_tick(&g);
		if (g.c.speed_kmh < GAIT || strcmp(g.prop.label, "easy run"))
			fail_msg("at %.0f s the belt is at %.2f km/h, \"%s\"",
			    g.t, g.c.speed_kmh, g.prop.label);
	}
	assert_true(fabs(g.m.hr - 136) < 2);
	rig_end(&g);
}

/*
 * Strap off while steered: the pace holds for the grace (10 s here),
 * then she walks, and nothing faster comes until the signal is back;
 * then steering resumes.
 */
static void
test_hr_loss(void **state)
{
	struct rig g;
	double held, last;

	(void)state;
	rig_start(&g, 160);
	rig_run(&g, (WARMUP_MIN + 5) * 60);
	held = g.prop.speed;
	assert_true(held > GAIT);
	assert_string_equal(g.prop.label, "easy run");
	g.hr_off = 1;
	last = held;
	for (long i = 0; i < lround(120 / DT); i++) {
		rig_tick(&g);
		if (i < lround(9.5 / DT))
			assert_true(fabs(g.prop.speed - held) < 1e-9);
		assert_true(g.prop.speed <= last + 1e-9);
		last = g.prop.speed;
	}
	assert_true(fabs(g.prop.speed - g.r.walk_speed) < 1e-9);
	assert_true(fabs(g.m.speed - g.r.walk_speed) < 1e-6);
	assert_string_equal(g.prop.label, "no heart rate: walking");
	/* Back: steering picks her up again toward the target. */
	g.hr_off = 0;
	rig_run(&g, 240);
	assert_string_equal(g.prop.label, "easy run");
	assert_true(g.prop.speed > GAIT);
	assert_true(fabs(g.m.hr - 157) < 4);
	rig_end(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_step),
		cmocka_unit_test(test_inside_step_strap),
		cmocka_unit_test(test_steady_runner),
		cmocka_unit_test(test_settles_back),
		cmocka_unit_test(test_hr_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
