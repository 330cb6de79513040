/*
 * hrsim: one easy-run session of bench/hrsteer.c on treadsim's runner
 * model, with the easy plugin or one of two common controllers at the
 * belt, and the figures taken from the model's true heart rate.
 */
#ifndef BENCH_HRSIM_H
#define BENCH_HRSIM_H

#include "treadmill/plugin.h"

#define HS_WARMUP_S	180.0
#define HS_RUN_S	2400.0
#define HS_FROM_S	600.0	/* of the run: the settled part, by default */
#define HS_MAXOPT	16

enum hs_ctl { HS_PLUGIN, HS_STEP, HS_PI, HS_NCTL };

/* How the daemon reads HR: as treadsim has it, a chest strap (one
 * reading a second, sd 1.5 bpm), or the slow noise (sd 2 bpm correlated
 * over 5 s). */
enum hs_noise { HS_EXACT, HS_STRAP, HS_SLOW };

/* The simulated runner, and what the session gives the plugin. */
struct hs_conf {
	struct tm_runner	 runner;
	double			 k, rest, drift;	/* treadsim's hrp */
	double			 gait, gait_width;
	double			 tau;			/* s */
	double			 from_s;	/* settled from, s of the run */
	enum hs_noise		 noise;
	unsigned		 seed;			/* of the noise */
	/* Settings for the plugin (-o key=value). */
	struct {
		char	 key[32];
		double	 v;
	}			 opts[HS_MAXOPT];
	int			 nopts;
	double			 pi_kp, pi_ki;		/* plain PI gains */
	int			 trace;	/* print every command change */
};

struct hs_result {
	double	 rms;		/* HR - target, settled part */
	double	 peak;		/* highest HR - ceiling, whole run */
	double	 settle;	/* s: last time out of +-3 bpm of target */
	double	 changes;	/* speed command changes a minute */
	int	 reversals;
	double	 above;		/* share of the settled part over the ceiling */
	double	 worst;		/* highest HR - ceiling over it */
	double	 worst_t;	/* s into the run it was */
	double	 mean;		/* mean HR - ceiling over it */
	int	 switches;	/* commands crossing the gait switch */
};

extern const char *const hs_ctl_name[HS_NCTL];

/* The target the plugin aims for (ceiling - the default margin). */
int	hs_target(const struct hs_conf *);

/* A setting for the plugin, "key=value"; -1 if it is not one. */
int	hs_option(struct hs_conf *, const char *);

/* One 43-minute session; -1 if the plugin failed (said on stderr). */
int	hs_run(const struct hs_conf *, const struct tm_plugin *,
	    enum hs_ctl, struct hs_result *);

#endif
