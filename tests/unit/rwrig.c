/*
 * rwrig: the easy plugin on treadsim's runner model for test_runwalk
 * (rwrig.h).
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
#include <unistd.h>

#include <cmocka.h>

#include "rwrig.h"
#include "testutil.h"

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
	{ "warmup_min", RIG_WARMUP_MIN },
	{ "cooldown_min", 2 },
	{ "hr_loss_grace_s", 10 },
	{ NULL, 0 },
};

static const struct tm_config config = {
	.priv = settings,
	.get_number = kv_number,
	.get_string = kv_string,
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

void
rig_start(struct rig *g, int ceiling, double incline, double run_min,
    unsigned seed)
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
	g->r.easy_max_incline = incline;
	g->r.walk_speed = 5.0;
	g->r.planned_minutes = RIG_WARMUP_MIN + run_min + 2;
	g->c.accel = 1.0;
	g->c.decel = 1.5;
	sim_model_init(&g->m, &g->c, 0);
	g->c.run = true;	/* a RUN edge arms the drive */
	sim_model_command(&g->m, &g->c, 0);
	g->rng = 0x9e3779b97f4a7c15ULL * (seed + 1ULL);
	g->hr_read = (int)lround(g->m.hr);
	assert_int_equal(g->p->init(&g->ctx, &g->r, &config, err,
	    sizeof(err)), 0);
}

void
rig_tick(struct rig *g)
{
	struct tm_sample s;
	double a = exp(-1.0 / 5), v, inc;

	g->t += RIG_DT;
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
	s.dt = RIG_DT;
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

void
rig_run(struct rig *g, double secs)
{
	long n = lround(secs / RIG_DT);

	for (long i = 0; i < n; i++)
		rig_tick(g);
}

void
rig_end(struct rig *g)
{
	if (g->p->cleanup != NULL)
		g->p->cleanup(g->ctx);
	dlclose(g->h);
}
