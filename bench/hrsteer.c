/*
 * hrsteer: the easy plugin's heart-rate steering against the simulator's
 * runner, beside two common controllers (bench/hrsim.h runs a session).
 * No daemon, no drive link: the plugin is dlopen'ed from
 * build/plugins/easy.so and ticked on a fake clock.
 *
 *   make all build/bench/hrsteer
 *   build/bench/hrsteer [-p build/plugins/easy.so] [-o key=value]...
 *       [-k bpm_per_kmh] [-r rest_bpm] [-d drift_bpm_per_min] [-n seeds]
 *
 * -o passes a setting to the plugin (hr_tau=50), -k -r -d change the
 * simulated runner of tables 1-3 (-d also table 4's); -n the number of
 * noise seeds table 4 is run over (20); -v CONTROLLER TAU [noisy] traces
 * one run (0 plugin, 1 step rule, 2 PI); -V CASE CONTROLLER [SEED] traces
 * one run of table 4 (case 0-4, controller 0 or 1); -S CASE prints table
 * 4's figures seed by seed for one case; -T runs the PI's grid search.
 *
 * Each run: 3 min warm-up walk, 40 min easy run.  Tables 1-3 are for a
 * runner with a steady speed for every heart rate (treadsim's runner with
 * its gait blended from 6 to 8 km/h), tau 40, 50, 60 s: HR as treadsim
 * reports it (whole bpm every tick); the same runner through a chest
 * strap (one reading a second, sd 1.5 bpm; seed 0); a runner whose HR
 * answers speed harder (13 bpm per km/h), chest strap.  Figures from the
 * true (model) HR: RMS around the target from minute 10 of the run; peak
 * HR - ceiling over the run; settle, the time after which HR stays within
 * +-3 bpm of the target ("never" if it leaves it in the last 10 min);
 * speed changes a minute, and reversals.
 *
 * Table 4 is treadsim's default runner, whose slowest jog (7.5 km/h,
 * 140 bpm) costs far more than her fastest walk (7.4 km/h, 117 bpm), with
 * three ceilings: in that step (no steady speed holds it), just above it
 * and well above it; easy maximum 9.5 km/h, tau 45 s, HR readings once a
 * second with noise sd 2 bpm correlated over 5 s, over many noise seeds
 * (median and worst).  Beside the plugin, the step rule.  Figures from
 * minute 10 of the run: the share of the time over the ceiling, the
 * worst HR - ceiling, RMS around the target where a steady speed holds
 * it, speed changes a minute, and run/walk switches (commands crossing
 * the gait switch, over the whole run).
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treadmill/plugin.h"
#include "hrsim.h"

#define MAXSEEDS	200
/* The goals for the settled run (README, "HR steering"). */
#define GOAL_ABOVE	0.01
#define GOAL_WORST	1.0
#define GOAL_RMS	0.5
/* The target is the ceiling less this (the plugin's default). */
#define MARGIN_BPM	3

/* building.conf's runner; plain PI gains: best RMS on the -T grid. */
static struct hs_conf conf = {
	.runner = {
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
		.planned_minutes = (HS_WARMUP_S + HS_RUN_S + 180.0) / 60,
	},
	.k = 10, .rest = 65, .drift = 0.2,
	/* Tables 1-3: a gait blended from 6 to 8 km/h (a steady speed
	 * always exists); table 4: treadsim's default step at 7.5 km/h. */
	.gait = 7.0, .gait_width = 2.0,
	.pi_kp = 0.21, .pi_ki = 0.00525,
	.from_s = HS_FROM_S,
};
static int nseeds = 20;

static void
run_or_die(const struct tm_plugin *pl, enum hs_ctl k, struct hs_result *r)
{
	if (hs_run(&conf, pl, k, r) == -1)
		exit(1);
}

static void
table(const struct tm_plugin *pl, enum hs_noise noise)
{
	static const double taus[] = { 40, 50, 60 };
	struct hs_result r;

	printf("| tau | controller | RMS (bpm) | peak - ceiling (bpm) | "
	    "settle (s) | changes/min | reversals |\n");
	printf("|----:|------------|----------:|---------------------:|"
	    "-----------:|------------:|----------:|\n");
	conf.noise = noise;
	conf.seed = 0;
	for (size_t i = 0; i < sizeof(taus) / sizeof(taus[0]); i++)
		for (int k = 0; k < HS_NCTL; k++) {
			conf.tau = taus[i];
			run_or_die(pl, k, &r);
			printf("| %.0f s | %s | %.2f | %+.1f | ", taus[i],
			    hs_ctl_name[k], r.rms, r.peak);
			/* Still leaving the band in the last 10 min: never. */
			if (r.settle > HS_RUN_S - 600)
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
	conf.k = 10;
	conf.drift = cases[i].drift;
	conf.gait = 7.5;
	conf.gait_width = 0;
	conf.tau = 45;
	conf.noise = HS_SLOW;
	conf.runner.easy_hr_ceiling = cases[i].ceiling;
	conf.runner.easy_max_incline = cases[i].incline;
	conf.runner.easy_max_speed = 9.5;
}

/* Whether one run meets the goals of the settled run. */
static int
meets(int i, const struct hs_result *r)
{
	return r->above <= GOAL_ABOVE && r->worst <= GOAL_WORST &&
	    (!cases[i].steady || r->rms < GOAL_RMS);
}

/* Median / worst over the seeds: figures f[0..4] of each. */
static void
table_step(const struct tm_plugin *pl)
{
	static double f[5][MAXSEEDS];
	struct hs_result r;
	double w[5];
	int met, wseed;

	printf("| runner | ceiling | controller | above ceiling | worst "
	    "(bpm) | RMS (bpm) | changes/min | run/walk switches | goals "
	    "met |\n");
	printf("|--------|--------:|------------|--------------:|-----"
	    "-------:|----------:|------------:|------------------:|------"
	    "----:|\n");
	for (int i = 0; i < NCASES; i++)
		for (int k = 0; k < HS_PI; k++) {
			if (k == HS_STEP && cases[i].incline > 0)
				continue;	/* the rule does not use it */
			step_case(i);
			met = 0;
			wseed = 0;
			for (int j = 0; j < 5; j++)
				w[j] = -1e9;
			for (int s = 0; s < nseeds; s++) {
				conf.seed = s;
				run_or_die(pl, k, &r);
				f[0][s] = 100 * r.above;
				f[1][s] = r.worst;
				f[2][s] = r.rms;
				f[3][s] = r.changes;
				f[4][s] = r.switches;
				if (r.worst > w[1])
					wseed = s;
				for (int j = 0; j < 5; j++)
					w[j] = fmax(w[j], f[j][s]);
				met += meets(i, &r);
			}
			printf("| %s | %d | %s | %.1f / %.1f %% | %+.1f / "
			    "%+.1f (seed %d) | ", cases[i].name,
			    cases[i].ceiling, hs_ctl_name[k],
			    hs_median(f[0], nseeds), w[0],
			    hs_median(f[1], nseeds), w[1], wseed);
			if (!cases[i].steady)
				printf("- | ");
			else
				printf("%.2f / %.2f | ",
				    hs_median(f[2], nseeds), w[2]);
			printf("%.2f / %.2f | %.0f / %.0f | %d of %d |\n",
			    hs_median(f[3], nseeds), w[3],
			    hs_median(f[4], nseeds), w[4], met, nseeds);
		}
}

/* -S: one case of table 4, seed by seed. */
static void
seeds(const struct tm_plugin *pl, int i)
{
	struct hs_result r;

	step_case(i);
	printf("%s (ceiling %d), easy plugin:\n", cases[i].name,
	    cases[i].ceiling);
	for (int s = 0; s < nseeds; s++) {
		conf.seed = s;
		run_or_die(pl, HS_PLUGIN, &r);
		printf("seed %2d: above %5.2f %% worst %+5.2f (%4.0f s) RMS "
		    "%.2f changes/min %.2f switches %3d bias %+.2f%s\n", s,
		    100 * r.above, r.worst, r.worst_t, r.rms, r.changes,
		    r.switches, r.mean + MARGIN_BPM, meets(i, &r) ? "" :
		    "  MISSED");
	}
}

/* Grid search for the plain PI at tau 50 (-T). */
static void
tune_pi(void)
{
	struct hs_result r;
	double best = 1e9, bkp = 0, bki = 0;

	conf.tau = 50;
	conf.noise = HS_EXACT;
	for (double kp = 0.01; kp <= 0.301; kp += 0.01)
		for (double ti = 20; ti <= 400; ti += 10) {
			conf.pi_kp = kp;
			conf.pi_ki = kp / ti;
			hs_run(&conf, NULL, HS_PI, &r);
			/* Going over the ceiling disqualifies. */
			if (r.peak <= 0 && r.rms < best) {
				best = r.rms;
				bkp = kp;
				bki = conf.pi_ki;
			}
		}
	printf("plain PI at tau 50: kp %.3f ki %.5f: RMS %.2f\n", bkp, bki,
	    best);
}

static const struct tm_plugin *
load(const char *path, void **h)
{
	tm_plugin_entry entry;
	const struct tm_plugin *pl;

	if ((*h = dlopen(path, RTLD_NOW)) == NULL) {
		fprintf(stderr, "hrsteer: %s\n", dlerror());
		exit(1);
	}
	*(void **)&entry = dlsym(*h, TM_PLUGIN_ENTRY);
	if (entry == NULL || (pl = entry(TM_ABI_VERSION)) == NULL) {
		fprintf(stderr, "hrsteer: %s: no usable plugin\n", path);
		exit(1);
	}
	return pl;
}

static void
tables(const struct tm_plugin *pl)
{
	printf("Runner: ceiling %d bpm, target %d, easy max %.1f km/h, walk "
	    "%.1f km/h.\n\n", conf.runner.easy_hr_ceiling, hs_target(&conf),
	    conf.runner.easy_max_speed, conf.runner.walk_speed);
	printf("1. treadsim's runner (rest %.0f, %.0f bpm per km/h running, "
	    "drift %.1f bpm/min), HR as treadsim reports it (whole bpm, "
	    "every tick):\n\n", conf.rest, conf.k, conf.drift);
	table(pl, HS_EXACT);
	printf("\n2. The same runner, HR from a chest strap (one reading a "
	    "second, noise sd 1.5 bpm):\n\n");
	table(pl, HS_STRAP);
	conf.k = 13;
	printf("\n3. A runner whose HR answers speed harder (%.0f bpm per "
	    "km/h), chest strap:\n\n", conf.k);
	table(pl, HS_STRAP);
	printf("\n4. treadsim's default runner (walks below 7.5 km/h: 117 "
	    "bpm at 7.4, 140 at 7.5), easy maximum 9.5 km/h, tau 45 s, HR "
	    "noise sd 2 bpm correlated over 5 s, %d seeds (median / worst); "
	    "from minute 10 of the run:\n\n", nseeds);
	table_step(pl);
}

int
main(int argc, char **argv)
{
	const char *path = "build/plugins/easy.so";
	const struct tm_plugin *pl;
	struct hs_result r;
	void *h;
	int i, k, c;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			if (hs_option(&conf.opts, argv[++i]) == -1)
				goto usage;
		} else if (strcmp(argv[i], "-v") == 0 && i + 2 < argc) {
			k = atoi(argv[++i]);
			conf.tau = atof(argv[++i]);
			if (k < 0 || k >= HS_NCTL)
				goto usage;
			conf.trace = 1;
			conf.noise = i + 1 < argc ? HS_STRAP : HS_EXACT;
			pl = load(path, &h);
			run_or_die(pl, k, &r);
			printf("RMS %.2f peak %+.1f settle %.0f changes/min "
			    "%.2f reversals %d\n", r.rms, r.peak, r.settle,
			    r.changes, r.reversals);
			dlclose(h);
			return 0;
		} else if (strcmp(argv[i], "-V") == 0 && i + 2 < argc) {
			c = atoi(argv[++i]);
			k = atoi(argv[++i]);
			if (k < 0 || k >= HS_PI || c < 0 || c >= NCASES)
				goto usage;
			step_case(c);
			if (i + 1 < argc)
				conf.seed = (unsigned)atoi(argv[++i]);
			conf.trace = 1;
			pl = load(path, &h);
			run_or_die(pl, k, &r);
			printf("above %.2f %% worst %+.1f RMS %.2f changes/min "
			    "%.2f switches %d\n", 100 * r.above, r.worst, r.rms,
			    r.changes, r.switches);
			dlclose(h);
			return 0;
		} else if (strcmp(argv[i], "-S") == 0 && i + 1 < argc) {
			c = atoi(argv[++i]);
			if (c < 0 || c >= NCASES)
				goto usage;
			pl = load(path, &h);
			seeds(pl, c);
			dlclose(h);
			return 0;
		} else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
			conf.from_s = 60 * atof(argv[++i]);
			if (!(conf.from_s >= 0 && conf.from_s < HS_RUN_S))
				goto usage;
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			nseeds = atoi(argv[++i]);
			if (nseeds < 1 || nseeds > MAXSEEDS)
				goto usage;
		} else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc)
			conf.k = atof(argv[++i]);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			conf.rest = atof(argv[++i]);
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			conf.drift = atof(argv[++i]);
		else if (strcmp(argv[i], "-T") == 0) {
			tune_pi();
			return 0;
		} else
			goto usage;
	}
	pl = load(path, &h);
	tables(pl);
	dlclose(h);
	return 0;
usage:
	fprintf(stderr, "usage: hrsteer [-p plugin.so] [-o key=value]... "
	    "[-k bpm] [-r bpm] [-d bpm] [-n seeds] [-f min]\n"
	    "    [-v ctl tau [noisy] | -V case ctl [seed] | -S case | -T]\n");
	return 1;
}
