/*
 * hrsteer: the easy plugin's heart-rate steering against the simulator's
 * runner, beside two common controllers.  No daemon, no drive link: the
 * plugin (dlopen build/plugins/easy.so) is ticked at 20 Hz on a fake clock
 * and its speed goes into treadsim's own model (build/libsim.a: belt ramps
 * and the first-order HR with cardiac drift).
 *
 *   make all
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Ihw/sim -o build/bench/hrsteer \
 *       bench/hrsteer.c build/libsim.a -ldl -lm
 *   build/bench/hrsteer [-p build/plugins/easy.so] [-o key=value]...
 *       [-k bpm_per_kmh] [-r rest_bpm] [-d drift_bpm_per_min]
 *
 * -o passes a setting to the plugin (hr_tau=50), -k -r -d change the
 * simulated runner of tables 1 and 2 (-d also table 4's); -v CONTROLLER
 * TAU [noisy] traces one run (0 plugin, 1 step rule, 2 PI); -V CASE
 * CONTROLLER traces one run of table 4 (case 0-4, controller 0 or 1);
 * -T runs the PI's grid search.
 *
 * Each run: 3 min warm-up walk, 40 min easy run, for tau 40, 50, 60 s.
 * The other controllers start the run where the plugin does (the top of
 * the easy band) and their commands are rounded to the console's 0.1 km/h:
 *
 *   step rule  every 10 s, 0.2 km/h down if HR > target, up if below
 *              (the common open-source rule);
 *   plain PI   on the HR error, clamping anti-windup; gains are the best
 *              of a grid at tau 50 that stays under the ceiling (-T).
 *
 * Tables 1-3 are for a runner with a steady speed for every heart rate
 * (treadsim's runner with its gait blended from 6 to 8 km/h, hr_gait 7
 * and hr_gait_width 2): HR as treadsim reports it (whole bpm every
 * tick); the same runner with HR as a chest strap gives it (one reading
 * a second, Gaussian noise sd 1.5 bpm, whole bpm; fixed seed); a runner
 * whose HR answers speed harder (13 bpm per km/h), chest strap.
 *
 * Table 4 is treadsim's default runner, whose slowest jog (7.5 km/h,
 * 140 bpm) costs far more than her fastest walk (7.4 km/h, 117 bpm), with
 * three ceilings: in that step (no steady speed holds it), just above it
 * (a steady jog holds it; with cardiac drift, only for the first quarter
 * hour) and well above it; easy maximum 9.5 km/h, tau 45 s, HR readings
 * once a second with noise sd 2 bpm correlated over 5 s (AR(1), fixed
 * seed).  Beside the plugin, the step rule.  Figures from minute 10 of
 * the run: the share of the time over the ceiling, the worst and the
 * mean HR - ceiling, RMS around the target where a steady speed holds
 * it, speed changes a minute, and run/walk switches (commands crossing
 * the gait switch, over the whole run).
 * Figures, from the true (model) HR, over the 40 min run:
 *
 *   RMS       HR - target, from minute 10 of the run to its end;
 *   peak      the highest HR minus the ceiling (negative: stayed under);
 *   settle    first time after which HR stays within +-3 bpm of target
 *             ("never" if it still leaves that band in the last 10 min);
 *   changes   speed command changes a minute, and reversals in all.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"
#include "model.h"

#define DT		0.05	/* 20 Hz, the daemon's tick */
#define WARMUP_S	180.0
#define RUN_S		2400.0
#define RMS_FROM_S	600.0	/* of the run */
#define SETTLE_BAND	3.0

/* The runner: building.conf's caps (table 4 changes the ceiling). */
static struct tm_runner runner = {
	.id = "bench",
	.hr_max = 188,
	.hr_rest = 58,
	.easy_min_speed = 5.5,
	.easy_max_speed = 8.0,
	.easy_max_incline = 2.0,
	.easy_hr_ceiling = 141,
	.hard_max_speed = 10.5,
	.hard_hr_ceiling = 173,
	.walk_speed = 5.0,
	.planned_minutes = (WARMUP_S + RUN_S + 180.0) / 60,
};
#define MARGIN	3
#define TARGET	(runner.easy_hr_ceiling - MARGIN)

enum ctl { CTL_PLUGIN, CTL_STEP, CTL_PI, NCTL };
static const char *ctl_name[NCTL] = { "easy plugin", "step rule", "plain PI" };

/* Plain PI gains (km/h per bpm, per bpm s): best RMS on the -T grid. */
static double pi_kp = 0.21, pi_ki = 0.00525;

/* Plugin options from -o key=value. */
#define MAXOPT 16
static struct { char key[32]; double v; } opts[MAXOPT];
static int nopts;
static int trace;	/* -v: print every command change */
static double sim_k = 10, sim_rest = 65, sim_drift = 0.2;	/* -k -r -d */
/* Tables 1-3: gait blended from 6 to 8 km/h (a steady speed always
 * exists); table 4: treadsim's default step at 7.5 km/h. */
static double sim_gait = 7.0, sim_gait_width = 2.0;

enum noise { N_NONE, N_STRAP, N_SLOW };

static int
opt_number(const struct tm_config *c, const char *key, double *out)
{
	(void)c;
	for (int i = 0; i < nopts; i++)
		if (strcmp(opts[i].key, key) == 0) {
			*out = opts[i].v;
			return 0;
		}
	return -1;
}

static int
opt_string(const struct tm_config *c, const char *key, const char **out)
{
	(void)c;
	(void)key;
	(void)out;
	return -1;
}

static const struct tm_config config = {
	.get_number = opt_number,
	.get_string = opt_string,
};

struct result {
	double	 rms, peak, settle, changes;
	int	 reversals;
	double	 above;		/* share of the settled run over the ceiling */
	double	 worst;		/* highest HR - ceiling over the settled run */
	double	 mean;		/* mean HR - ceiling over it */
	int	 switches;	/* commands crossing the gait switch */
};

/* A small deterministic Gaussian (xorshift + Box-Muller). */
static unsigned long long rng_state;

static double
uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static double
round01(double v)
{
	return round(v * 10) / 10;
}

static double
clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/*
 * One 43-minute session.  noise: chest-strap readings.  Fills r; -1 if
 * the plugin failed.
 */
static int
run(const struct tm_plugin *pl, enum ctl which, double tau, enum noise noise,
    struct result *r)
{
	struct sim_model m;
	struct sim_cmd c = { .accel = 1.0, .decel = 1.5 };
	struct tm_sample smp;
	struct tm_proposal prop;
	void *ctx = NULL;
	char err[TM_ERR_MAX];
	double t = 0, cmd = runner.walk_speed, last_cmd = -1, pi_i = 0;
	double next_step = 0, sum2 = 0, settled_at = 0, hr_read = 0;
	double next_read = 0, slow = 0, a_slow = exp(-1.0 / 5);
	long n2 = 0, changes = 0, nabove = 0;
	double sum = 0;
	int last_dir = 0, steps = (int)lround((WARMUP_S + RUN_S) / DT);

	memset(r, 0, sizeof(*r));
	r->peak = r->worst = -1e9;
	rng_state = 0x9e3779b97f4a7c15ULL;
	sim_model_init(&m, &c, 0);
	m.hrp.tau = tau;
	m.hrp.k_speed = sim_k;
	m.hrp.rest = sim_rest;
	m.hrp.drift = sim_drift;
	m.hr = sim_rest;
	m.hrp.gait = sim_gait;
	m.hrp.gait_width = sim_gait_width;
	c.run = true;
	sim_model_command(&m, &c, 0);
	if (which == CTL_PLUGIN && pl->init(&ctx, &runner, &config, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "hrsteer: init: %s\n", err);
		return -1;
	}
	for (int i = 1; i <= steps; i++) {
		double run_t, e;
		int hr;

		t = i * DT;
		sim_model_tick(&m, t);
		/* What the daemon would read this tick. */
		if (noise == N_NONE)
			hr_read = round(m.hr);
		else if (t >= next_read && noise == N_STRAP) {
			hr_read = round(m.hr + 1.5 * gauss());
			next_read += 1.0;
		} else if (t >= next_read) {
			/* sd 2 bpm, correlated over 5 s: AR(1) a second. */
			slow = a_slow * slow + 2 * sqrt(1 - a_slow * a_slow) *
			    gauss();
			hr_read = round(m.hr + slow);
			next_read += 1.0;
		}
		hr = (int)hr_read;
		run_t = t - WARMUP_S;
		switch (which) {
		case CTL_PLUGIN:
			memset(&smp, 0, sizeof(smp));
			smp.elapsed_s = t;
			smp.dt = DT;
			smp.belt_speed = m.speed;
			smp.heart_rate = hr;
			smp.cap = runner.easy_max_speed;
			smp.hr_ceiling = runner.easy_hr_ceiling;
			if (pl->tick(ctx, &smp, &prop) == -1) {
				fprintf(stderr, "hrsteer: tick failed\n");
				pl->cleanup(ctx);
				return -1;
			}
			cmd = prop.speed;
			if (prop.incline != c.incline_pct) {
				c.incline_pct = prop.incline;
				sim_model_command(&m, &c, t);
			}
			break;
		case CTL_STEP:
			if (run_t < 0)
				cmd = runner.walk_speed;
			else if (run_t < DT / 2) {
				cmd = runner.easy_max_speed;
				next_step = run_t + 10;
			} else if (run_t >= next_step) {
				next_step += 10;
				if (hr > TARGET)
					cmd -= 0.2;
				else if (hr < TARGET)
					cmd += 0.2;
				cmd = clampd(round01(cmd), runner.walk_speed,
				    runner.easy_max_speed);
			}
			break;
		case CTL_PI: {
			double u;

			if (run_t < 0) {
				cmd = runner.walk_speed;
				break;
			}
			e = TARGET - hr;
			u = runner.easy_max_speed + pi_kp * e + pi_i;
			/* Clamping anti-windup: integrate only if it helps. */
			if (!(u >= runner.easy_max_speed && e > 0) &&
			    !(u <= runner.walk_speed && e < 0))
				pi_i += pi_ki * e * DT;
			cmd = clampd(round01(runner.easy_max_speed + pi_kp * e +
			    pi_i), runner.walk_speed, runner.easy_max_speed);
			break;
		}
		case NCTL:
			break;
		}
		if (cmd != c.speed_kmh) {
			c.speed_kmh = cmd;
			sim_model_command(&m, &c, t);
		}
		if (run_t <= DT / 2 || run_t > RUN_S - DT / 2) {
			last_cmd = cmd;
			continue;
		}
		/* Figures over the run. */
		if (fabs(cmd - last_cmd) > 1e-9) {
			int dir = cmd > last_cmd ? 1 : -1;

			changes++;
			if (trace)
				printf("%7.1f s  %.2f -> %.2f km/h  HR %.1f "
				    "(read %d) %s\n", run_t, last_cmd, cmd,
				    m.hr, hr, which == CTL_PLUGIN ?
				    prop.label : "");
			if ((cmd < sim_gait) != (last_cmd < sim_gait))
				r->switches++;
			if (last_dir != 0 && dir != last_dir)
				r->reversals++;
			last_dir = dir;
		}
		last_cmd = cmd;
		if (m.hr - runner.easy_hr_ceiling > r->peak)
			r->peak = m.hr - runner.easy_hr_ceiling;
		if (fabs(m.hr - TARGET) > SETTLE_BAND)
			settled_at = run_t;
		if (run_t >= RMS_FROM_S) {
			sum2 += (m.hr - TARGET) * (m.hr - TARGET);
			n2++;
			if (m.hr > runner.easy_hr_ceiling)
				nabove++;
			sum += m.hr - runner.easy_hr_ceiling;
			if (m.hr - runner.easy_hr_ceiling > r->worst)
				r->worst = m.hr - runner.easy_hr_ceiling;
		}
	}
	if (ctx != NULL)
		pl->cleanup(ctx);
	r->rms = sqrt(sum2 / (n2 ? n2 : 1));
	r->above = (double)nabove / (n2 ? n2 : 1);
	r->mean = sum / (n2 ? n2 : 1);
	r->settle = settled_at;
	r->changes = changes / (RUN_S / 60);
	return 0;
}

static void
table(const struct tm_plugin *pl, enum noise noise)
{
	static const double taus[] = { 40, 50, 60 };
	struct result r;

	printf("| tau | controller | RMS (bpm) | peak - ceiling (bpm) | "
	    "settle (s) | changes/min | reversals |\n");
	printf("|----:|------------|----------:|---------------------:|"
	    "-----------:|------------:|----------:|\n");
	for (size_t i = 0; i < sizeof(taus) / sizeof(taus[0]); i++)
		for (int k = 0; k < NCTL; k++) {
			if (run(pl, k, taus[i], noise, &r) == -1)
				exit(1);
			printf("| %.0f s | %s | %.2f | %+.1f | ", taus[i],
			    ctl_name[k], r.rms, r.peak);
			/* Still leaving the band in the last 10 min: never. */
			if (r.settle > RUN_S - 600)
				printf("never | ");
			else
				printf("%.0f | ", r.settle);
			printf("%.2f | %d |\n", r.changes, r.reversals);
		}
}

/* Table 4: treadsim's default runner and gait step, three ceilings. */
static const struct {
	const char	*name;
	int		 ceiling;
	double		 incline;	/* easy_max_incline */
	double		 drift;		/* bpm per minute */
	int		 steady;	/* a steady speed holds the target */
} cases[] = {
	{ "inside the step", 139, 0, 0.2, 0 },
	{ "inside, may walk uphill", 139, 2, 0.2, 0 },
	{ "just above it, no drift", 146, 0, 0, 1 },
	{ "just above it", 146, 0, 0.2, 0 },
	{ "well above it", 160, 0, 0.2, 1 },
};
#define NCASES	(int)(sizeof(cases) / sizeof(cases[0]))

static void
step_case(int i)
{
	sim_k = 10;
	sim_drift = cases[i].drift;
	sim_gait = 7.5;
	sim_gait_width = 0;
	runner.easy_hr_ceiling = cases[i].ceiling;
	runner.easy_max_incline = cases[i].incline;
	runner.easy_max_speed = 9.5;
}

static void
table_step(const struct tm_plugin *pl)
{
	struct result r;

	printf("| runner | ceiling | controller | above ceiling | worst "
	    "(bpm) | mean (bpm) | RMS (bpm) | changes/min | run/walk "
	    "switches |\n");
	printf("|--------|--------:|------------|--------------:|-----"
	    "-------:|-----------:|----------:|------------:|--------"
	    "----------:|\n");
	for (int i = 0; i < NCASES; i++)
		for (int k = 0; k < CTL_PI; k++) {
			step_case(i);
			if (k == CTL_STEP && cases[i].incline > 0)
				continue;	/* the rule does not use it */
			if (run(pl, k, 45, N_SLOW, &r) == -1)
				exit(1);
			printf("| %s | %d | %s | %.1f %% | %+.1f | %+.1f | ",
			    cases[i].name, cases[i].ceiling, ctl_name[k],
			    100 * r.above, r.worst, r.mean);
			/* RMS where a steady speed holds the target. */
			if (!cases[i].steady)
				printf("- | ");
			else
				printf("%.2f | ", r.rms);
			printf("%.2f | %d |\n", r.changes, r.switches);
		}
}

/* Grid search for the plain PI at tau 50 (-T). */
static void
tune_pi(void)
{
	struct result r;
	double best = 1e9, bkp = 0, bki = 0;

	for (double kp = 0.01; kp <= 0.301; kp += 0.01)
		for (double ti = 20; ti <= 400; ti += 10) {
			pi_kp = kp;
			pi_ki = kp / ti;
			run(NULL, CTL_PI, 50, 0, &r);
			/* Going over the ceiling disqualifies. */
			if (r.peak <= 0 && r.rms < best) {
				best = r.rms;
				bkp = kp;
				bki = pi_ki;
			}
		}
	printf("plain PI at tau 50: kp %.3f ki %.5f: RMS %.2f\n", bkp, bki,
	    best);
}

int
main(int argc, char **argv)
{
	const char *path = "build/plugins/easy.so";
	tm_plugin_entry entry;
	const struct tm_plugin *pl;
	void *h;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc &&
		    nopts < MAXOPT) {
			char *eq = strchr(argv[++i], '=');

			if (eq == NULL)
				goto usage;
			snprintf(opts[nopts].key, sizeof(opts[nopts].key),
			    "%.*s", (int)(eq - argv[i]), argv[i]);
			opts[nopts++].v = strtod(eq + 1, NULL);
		} else if (strcmp(argv[i], "-v") == 0 && i + 2 < argc) {
			struct result r;
			int k = atoi(argv[++i]);
			double tau = atof(argv[++i]);

			trace = 1;
			if ((h = dlopen(path, RTLD_NOW)) == NULL ||
			    (*(void **)&entry = dlsym(h, TM_PLUGIN_ENTRY)) ==
			    NULL || (pl = entry(TM_ABI_VERSION)) == NULL ||
			    k < 0 || k >= NCTL)
				goto usage;
			run(pl, k, tau, i + 1 < argc ? N_STRAP : N_NONE, &r);
			printf("RMS %.2f peak %+.1f settle %.0f changes/min "
			    "%.2f reversals %d\n", r.rms, r.peak, r.settle,
			    r.changes, r.reversals);
			dlclose(h);
			return 0;
		} else if (strcmp(argv[i], "-V") == 0 && i + 2 < argc) {
			struct result r;
			int c = atoi(argv[++i]), k = atoi(argv[++i]);

			trace = 1;
			if ((h = dlopen(path, RTLD_NOW)) == NULL ||
			    (*(void **)&entry = dlsym(h, TM_PLUGIN_ENTRY)) ==
			    NULL || (pl = entry(TM_ABI_VERSION)) == NULL ||
			    k < 0 || k >= CTL_PI || c < 0 || c >= NCASES)
				goto usage;
			step_case(c);
			run(pl, k, 45, N_SLOW, &r);
			printf("above %.2f %% worst %+.1f RMS %.2f changes/min "
			    "%.2f switches %d\n", 100 * r.above, r.worst, r.rms,
			    r.changes, r.switches);
			dlclose(h);
			return 0;
		} else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) {
			sim_k = atof(argv[++i]);
		} else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			sim_rest = atof(argv[++i]);
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			sim_drift = atof(argv[++i]);
		} else if (strcmp(argv[i], "-T") == 0) {
			tune_pi();
			return 0;
		} else
			goto usage;
	}
	if ((h = dlopen(path, RTLD_NOW)) == NULL) {
		fprintf(stderr, "hrsteer: %s\n", dlerror());
		return 1;
	}
	*(void **)&entry = dlsym(h, TM_PLUGIN_ENTRY);
	if (entry == NULL || (pl = entry(TM_ABI_VERSION)) == NULL) {
		fprintf(stderr, "hrsteer: %s: no usable plugin\n", path);
		return 1;
	}
	printf("Runner: ceiling %d bpm, target %d, easy max %.1f km/h, walk "
	    "%.1f km/h.\n\n", runner.easy_hr_ceiling, TARGET,
	    runner.easy_max_speed, runner.walk_speed);
	printf("1. treadsim's runner (rest %.0f, %.0f bpm per km/h running, "
	    "drift %.1f bpm/min), HR as treadsim reports it (whole bpm, "
	    "every tick):\n\n", sim_rest, sim_k, sim_drift);
	table(pl, N_NONE);
	printf("\n2. The same runner, HR from a chest strap (one reading a "
	    "second, noise sd 1.5 bpm):\n\n");
	table(pl, N_STRAP);
	sim_k = 13;
	printf("\n3. A runner whose HR answers speed harder (%.0f bpm per "
	    "km/h), chest strap:\n\n", sim_k);
	table(pl, N_STRAP);
	printf("\n4. treadsim's default runner (walks below 7.5 km/h: 117 "
	    "bpm at 7.4, 140 at 7.5), easy maximum 9.5 km/h, tau 45 s, HR "
	    "noise sd 2 bpm correlated over 5 s; from minute 10 of the "
	    "run:\n\n");
	table_step(pl);
	dlclose(h);
	return 0;
usage:
	fprintf(stderr, "usage: hrsteer [-p plugin.so] [-o key=value]... "
	    "[-T]\n");
	return 1;
}
