/*
 * hrsim: one session of bench/hrsteer.c (hrsim.h).  The plugin is ticked
 * at 20 Hz on a fake clock and its speed goes into treadsim's own model
 * (libsim: belt ramps, first-order HR with cardiac drift).  The other
 * controllers start the run where the plugin does (the top of the easy
 * band) and their commands are rounded to the console's 0.1 km/h:
 *
 *   step rule  every 10 s, 0.2 km/h down if HR > target, up if below
 *              (the common open-source rule);
 *   plain PI   on the HR error, clamping anti-windup.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hrsim.h"
#include "model.h"

#define DT		0.05	/* 20 Hz, the daemon's tick */
#define MARGIN		3	/* the plugin's default hr_margin */
#define SETTLE_BAND	3.0

const char *const hs_ctl_name[HS_NCTL] = {
	"easy plugin", "step rule", "plain PI"
};

/* A small deterministic Gaussian (xorshift + Box-Muller). */
static double
uniform(unsigned long long *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return ((*st >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(unsigned long long *st)
{
	double u = uniform(st), w = uniform(st);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * w);
}

static double
clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int
hs_option(struct hs_conf *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *end;

	if (eq == NULL || eq == kv || c->nopts >= HS_MAXOPT)
		return -1;
	snprintf(c->opts[c->nopts].key, sizeof(c->opts[0].key), "%.*s",
	    (int)(eq - kv), kv);
	c->opts[c->nopts].v = strtod(eq + 1, &end);
	if (end == eq + 1 || *end != '\0')
		return -1;
	c->nopts++;
	return 0;
}

/* The plugin's settings: those given with -o, its defaults for the rest. */
static int
opt_number(const struct tm_config *tc, const char *key, double *out)
{
	const struct hs_conf *c = tc->priv;

	for (int i = 0; i < c->nopts; i++)
		if (strcmp(c->opts[i].key, key) == 0) {
			*out = c->opts[i].v;
			return 0;
		}
	return -1;
}

static int
opt_string(const struct tm_config *tc, const char *key, const char **out)
{
	(void)tc;
	(void)key;
	(void)out;
	return -1;
}

int
hs_target(const struct hs_conf *c)
{
	return c->runner.easy_hr_ceiling - MARGIN;
}

/* The daemon's reading this tick, from the model's true HR. */
struct reader {
	enum hs_noise		 noise;
	unsigned long long	 rng;
	double			 next, slow, a, last;
};

static int
reading(struct reader *rd, double hr, double t)
{
	if (rd->noise == HS_EXACT)
		rd->last = round(hr);
	else if (t >= rd->next && rd->noise == HS_STRAP) {
		rd->last = round(hr + 1.5 * gauss(&rd->rng));
		rd->next += 1.0;
	} else if (t >= rd->next) {
		/* sd 2 bpm, correlated over 5 s: AR(1) a second. */
		rd->slow = rd->a * rd->slow + 2 * sqrt(1 - rd->a * rd->a) *
		    gauss(&rd->rng);
		rd->last = round(hr + rd->slow);
		rd->next += 1.0;
	}
	return (int)rd->last;
}

/* The baselines' command this tick. */
struct base {
	double	 next_step, pi_i;
};

static double
baseline(const struct hs_conf *c, enum hs_ctl which, struct base *b,
    double run_t, int hr, double cmd)
{
	const struct tm_runner *r = &c->runner;
	double e, u;

	if (run_t < 0)
		return r->walk_speed;
	if (which == HS_STEP) {
		if (run_t < DT / 2) {
			b->next_step = run_t + 10;
			return r->easy_max_speed;
		}
		if (run_t >= b->next_step) {
			b->next_step += 10;
			cmd += hr > hs_target(c) ? -0.2 :
			    hr < hs_target(c) ? 0.2 : 0;
			cmd = clampd(round(cmd * 10) / 10, r->walk_speed,
			    r->easy_max_speed);
		}
		return cmd;
	}
	e = hs_target(c) - hr;
	u = r->easy_max_speed + c->pi_kp * e + b->pi_i;
	/* Clamping anti-windup: integrate only if it helps. */
	if (!(u >= r->easy_max_speed && e > 0) &&
	    !(u <= r->walk_speed && e < 0))
		b->pi_i += c->pi_ki * e * DT;
	return clampd(round((r->easy_max_speed + c->pi_kp * e + b->pi_i) *
	    10) / 10, r->walk_speed, r->easy_max_speed);
}

/* The figures, accumulated over the run. */
struct acc {
	double	 sum2, sum, settled_at, last_cmd;
	long	 n, changes, nabove;
	int	 last_dir;
};

static void
account(const struct hs_conf *c, struct acc *a, struct hs_result *r,
    double run_t, double cmd, double hr, int read, const char *label)
{
	double over = hr - c->runner.easy_hr_ceiling;
	double off = hr - hs_target(c);

	if (fabs(cmd - a->last_cmd) > 1e-9) {
		int dir = cmd > a->last_cmd ? 1 : -1;

		a->changes++;
		if (c->trace)
			printf("%7.1f s  %.2f -> %.2f km/h  HR %.1f (read %d) "
			    "%s\n", run_t, a->last_cmd, cmd, hr, read, label);
		if ((cmd < c->gait) != (a->last_cmd < c->gait))
			r->switches++;
		if (a->last_dir != 0 && dir != a->last_dir)
			r->reversals++;
		a->last_dir = dir;
	}
	a->last_cmd = cmd;
	if (getenv("DBG") && fmod(run_t + 180, 30) < 0.049)
		fprintf(stderr, "T %5.0f true %6.2f\n", run_t + 180, hr);
	r->peak = fmax(r->peak, over);
	if (fabs(off) > SETTLE_BAND)
		a->settled_at = run_t;
	if (run_t >= c->from_s) {
		a->sum2 += off * off;
		a->n++;
		a->nabove += over > 0;
		a->sum += over;
		if (over > r->worst) {
			r->worst = over;
			r->worst_t = run_t;
		}
	}
}

int
hs_run(const struct hs_conf *c, const struct tm_plugin *pl,
    enum hs_ctl which, struct hs_result *r)
{
	const struct tm_runner *rn = &c->runner;
	struct sim_model m;
	struct sim_cmd sc = { .accel = 1.0, .decel = 1.5 };
	struct tm_sample smp;
	struct tm_proposal prop;
	struct reader rd = { .noise = c->noise, .a = exp(-1.0 / 5) };
	struct base b = { 0, 0 };
	struct acc a;
	struct tm_config tc = {
		.priv = c,
		.get_number = opt_number,
		.get_string = opt_string,
	};
	void *ctx = NULL;
	char err[TM_ERR_MAX];
	double t, cmd = rn->walk_speed;
	long steps = lround((HS_WARMUP_S + HS_RUN_S) / DT);

	memset(r, 0, sizeof(*r));
	memset(&a, 0, sizeof(a));
	memset(&prop, 0, sizeof(prop));
	a.last_cmd = -1;
	r->peak = r->worst = -1e9;
	/* Seed 0 is the one the tables had before there were seeds. */
	rd.rng = 0x9e3779b97f4a7c15ULL * (c->seed + 1ULL);
	sim_model_init(&m, &sc, 0);
	m.hrp.tau = c->tau;
	m.hrp.k_speed = c->k;
	m.hrp.rest = c->rest;
	m.hrp.drift = c->drift;
	m.hr = c->rest;
	m.hrp.gait = c->gait;
	m.hrp.gait_width = c->gait_width;
	sc.run = true;
	sim_model_command(&m, &sc, 0);
	if (which == HS_PLUGIN && pl->init(&ctx, rn, &tc, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "hrsteer: init: %s\n", err);
		return -1;
	}
	for (long i = 1; i <= steps; i++) {
		double run_t;
		int hr;

		t = i * DT;
		sim_model_tick(&m, t);
		hr = reading(&rd, m.hr, t);
		run_t = t - HS_WARMUP_S;
		if (which == HS_PLUGIN) {
			memset(&smp, 0, sizeof(smp));
			smp.elapsed_s = t;
			smp.dt = DT;
			smp.belt_speed = m.speed;
			smp.heart_rate = hr;
			smp.cap = rn->easy_max_speed;
			smp.hr_ceiling = rn->easy_hr_ceiling;
			if (pl->tick(ctx, &smp, &prop) == -1) {
				fprintf(stderr, "hrsteer: tick failed\n");
				pl->cleanup(ctx);
				return -1;
			}
			cmd = prop.speed;
			if (prop.incline != sc.incline_pct) {
				sc.incline_pct = prop.incline;
				sim_model_command(&m, &sc, t);
			}
		} else
			cmd = baseline(c, which, &b, run_t, hr, cmd);
		if (cmd != sc.speed_kmh) {
			sc.speed_kmh = cmd;
			sim_model_command(&m, &sc, t);
		}
		if (run_t <= DT / 2 || run_t > HS_RUN_S - DT / 2)
			a.last_cmd = cmd;
		else
			account(c, &a, r, run_t, cmd, m.hr, hr, prop.label);
	}
	if (ctx != NULL)
		pl->cleanup(ctx);
	r->rms = sqrt(a.sum2 / (a.n ? a.n : 1));
	r->above = (double)a.nabove / (a.n ? a.n : 1);
	r->mean = a.sum / (a.n ? a.n : 1);
	r->settle = a.settled_at;
	r->changes = a.changes / (HS_RUN_S / 60);
	return 0;
}
