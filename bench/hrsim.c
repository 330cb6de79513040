/*
 * hrsim: one session of bench/hrsteer.c (hrsim.h).  The plugin is ticked
 * at 20 Hz on a fake clock and its speed goes into treadsim's own model
 * (libsim: belt ramps, first-order HR with cardiac drift); that belt is
 * test_runwalk's too.  The other controllers start the run where the
 * plugin does (the top of the easy band) and their commands are rounded
 * to the console's 0.1 km/h:
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

#define DT		HS_DT
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
hs_set(struct hs_opts *o, const char *key, double v)
{
	if (o->n >= HS_MAXOPT)
		return -1;
	snprintf(o->o[o->n].key, sizeof(o->o[0].key), "%s", key);
	o->o[o->n++].v = v;
	return 0;
}

int
hs_option(struct hs_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *end;

	if (eq == NULL || eq == kv || o->n >= HS_MAXOPT)
		return -1;
	snprintf(o->o[o->n].key, sizeof(o->o[0].key), "%.*s",
	    (int)(eq - kv), kv);
	o->o[o->n].v = strtod(eq + 1, &end);
	if (end == eq + 1 || *end != '\0')
		return -1;
	o->n++;
	return 0;
}

/* The plugin's settings: those given, its defaults for the rest. */
static int
opt_number(const struct tm_config *tc, const char *key, double *out)
{
	const struct hs_opts *o = tc->priv;

	for (int i = 0; o != NULL && i < o->n; i++)
		if (strcmp(o->o[i].key, key) == 0) {
			*out = o->o[i].v;
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

/* ---- the belt ---------------------------------------------------------- */

int
hs_belt_start(struct hs_belt *b, const struct tm_runner *r,
    const struct tm_plugin *p, const struct hs_opts *opts, unsigned seed,
    char *err, size_t errlen)
{
	struct tm_config tc = {
		.priv = opts,
		.get_number = opt_number,
		.get_string = opt_string,
	};

	memset(b, 0, sizeof(*b));
	b->r = *r;
	b->c.accel = 1.0;
	b->c.decel = 1.5;
	sim_model_init(&b->m, &b->c, 0);
	b->c.run = true;	/* a RUN edge arms the drive */
	sim_model_command(&b->m, &b->c, 0);
	b->rng = 0x9e3779b97f4a7c15ULL * (seed + 1ULL);
	b->hr_read = (int)lround(b->m.hr);
	if (p != NULL && p->init(&b->ctx, &b->r, &tc, err, errlen) != 0)
		return -1;
	b->p = p;
	return 0;
}

int
hs_belt_read(struct hs_belt *b, double now)
{
	double a = b->noise_corr_s > 0 ? exp(-1.0 / b->noise_corr_s) : 0;

	b->t = now;
	sim_model_tick(&b->m, now);
	if (b->noise_sd == 0)
		b->hr_read = (int)lround(b->m.hr);
	else if (now >= b->next_read) {
		/* AR(1) a second: sd noise_sd, correlated over noise_corr_s */
		b->noise = a * b->noise + b->noise_sd * sqrt(1 - a * a) *
		    gauss(&b->rng);
		b->hr_read = (int)lround(b->m.hr + b->noise);
		b->next_read += 1.0;
	}
	return b->hr_off ? 0 : b->hr_read;
}

int
hs_belt_steer(struct hs_belt *b)
{
	struct tm_sample s;

	memset(&s, 0, sizeof(s));
	s.elapsed_s = b->t;
	s.dt = DT;
	s.belt_speed = b->m.speed;
	s.incline = b->m.incline;
	s.heart_rate = b->hr_off ? 0 : b->hr_read;
	s.cap = b->r.easy_max_speed;
	s.hr_ceiling = b->r.easy_hr_ceiling;
	if (b->p->tick(b->ctx, &s, &b->prop) != 0)
		return -1;
	/* The governor's caps. */
	hs_belt_command(b, fmin(b->prop.speed, b->r.easy_max_speed),
	    fmin(b->prop.incline, b->r.easy_max_incline));
	return 0;
}

void
hs_belt_command(struct hs_belt *b, double speed, double incline)
{
	if (speed != b->c.speed_kmh || incline != b->c.incline_pct) {
		b->c.speed_kmh = speed;
		b->c.incline_pct = incline;
		sim_model_command(&b->m, &b->c, b->t);
	}
}

void
hs_belt_end(struct hs_belt *b)
{
	if (b->p != NULL && b->p->cleanup != NULL)
		b->p->cleanup(b->ctx);
	b->p = NULL;
}

/* ---- the session ------------------------------------------------------- */

int
hs_target(const struct hs_conf *c)
{
	return c->runner.easy_hr_ceiling - MARGIN;
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
	static const double noise_sd[] = { 0, 1.5, 2 }, corr_s[] = { 0, 0, 5 };
	const struct tm_runner *rn = &c->runner;
	struct hs_belt b;
	struct base bs = { 0, 0 };
	struct acc a;
	char err[TM_ERR_MAX];
	double cmd = rn->walk_speed;
	long steps = lround((HS_WARMUP_S + HS_RUN_S) / DT);

	memset(r, 0, sizeof(*r));
	memset(&a, 0, sizeof(a));
	a.last_cmd = -1;
	r->peak = r->worst = -1e9;
	if (hs_belt_start(&b, rn, which == HS_PLUGIN ? pl : NULL, &c->opts,
	    c->seed, err, sizeof(err)) == -1) {
		fprintf(stderr, "hrsteer: init: %s\n", err);
		return -1;
	}
	b.m.hrp.tau = c->tau;
	b.m.hrp.k_speed = c->k;
	b.m.hrp.rest = c->rest;
	b.m.hrp.drift = c->drift;
	b.m.hr = c->rest;
	b.m.hrp.gait = c->gait;
	b.m.hrp.gait_width = c->gait_width;
	b.noise_sd = noise_sd[c->noise];
	b.noise_corr_s = corr_s[c->noise];
	for (long i = 1; i <= steps; i++) {
		/* i ticks, not a sum of them: the tables' clock */
		int hr = hs_belt_read(&b, i * DT);
		double run_t = b.t - HS_WARMUP_S;

		if (which == HS_PLUGIN) {
			if (hs_belt_steer(&b) == -1) {
				fprintf(stderr, "hrsteer: tick failed\n");
				hs_belt_end(&b);
				return -1;
			}
			cmd = b.c.speed_kmh;
		} else {
			cmd = baseline(c, which, &bs, run_t, hr, cmd);
			hs_belt_command(&b, cmd, b.c.incline_pct);
		}
		if (run_t <= DT / 2 || run_t > HS_RUN_S - DT / 2)
			a.last_cmd = cmd;
		else
			account(c, &a, r, run_t, cmd, b.m.hr, hr, b.prop.label);
	}
	hs_belt_end(&b);
	r->rms = sqrt(a.sum2 / (a.n ? a.n : 1));
	r->above = (double)a.nabove / (a.n ? a.n : 1);
	r->mean = a.sum / (a.n ? a.n : 1);
	r->settle = a.settled_at;
	r->changes = a.changes / (HS_RUN_S / 60);
	return 0;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
hs_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmpd);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
