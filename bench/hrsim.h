/*
 * hrsim: one easy-run session of bench/hrsteer.c on treadsim's runner
 * model, with the easy plugin or one of two common controllers at the
 * belt, and the figures taken from the model's true heart rate.
 *
 * Its belt (struct hs_belt) is also test_runwalk's: the model ticked at
 * the daemon's 20 Hz on the caller's fake clock, the heart rate as the
 * daemon reads it, and a plugin's proposal capped as the governor would.
 */
#ifndef BENCH_HRSIM_H
#define BENCH_HRSIM_H

#include "treadmill/plugin.h"
#include "model.h"

#define HS_DT		0.05	/* the daemon's tick, 20 Hz */
#define HS_WARMUP_S	180.0
#define HS_RUN_S	2400.0
#define HS_FROM_S	600.0	/* of the run: the settled part, by default */
#define HS_MAXOPT	16

enum hs_ctl { HS_PLUGIN, HS_STEP, HS_PI, HS_NCTL };

/* How the daemon reads HR: as treadsim has it, a chest strap (one
 * reading a second, sd 1.5 bpm), or the slow noise (sd 2 bpm correlated
 * over 5 s). */
enum hs_noise { HS_EXACT, HS_STRAP, HS_SLOW };

/* Numbers for the plugin, as its group in treadmilld.conf gives them. */
struct hs_opts {
	struct {
		char	 key[32];
		double	 v;
	}		 o[HS_MAXOPT];
	int		 n;
};

/* The simulated runner, and what the session gives the plugin. */
struct hs_conf {
	struct tm_runner	 runner;
	double			 k, rest, drift;	/* treadsim's hrp */
	double			 gait, gait_width;
	double			 tau;			/* s */
	double			 from_s;	/* settled from, s of the run */
	enum hs_noise		 noise;
	unsigned		 seed;			/* of the noise */
	struct hs_opts		 opts;		/* -o key=value */
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

/* The belt of a session, its runner and her heart. */
struct hs_belt {
	struct tm_runner	 r;		/* as the plugin sees her */
	struct sim_model	 m;
	struct sim_cmd		 c;		/* what the belt was told */
	const struct tm_plugin	*p;		/* NULL: the caller steers */
	void			*ctx;
	struct tm_proposal	 prop;		/* the plugin's, this tick */
	double			 t;		/* s since the start */
	/* The reading: as treadsim has it (whole bpm every tick), or with
	 * noise_sd, one a second with noise correlated over noise_corr_s
	 * (0: none) from the seed's generator. */
	double			 noise_sd, noise_corr_s;
	int			 hr_off;	/* strap off: reads 0 */
	int			 hr_read;	/* the last reading */
	double			 next_read, noise;
	unsigned long long	 rng;
};

extern const char *const hs_ctl_name[HS_NCTL];

/* A number for the plugin; -1 if there is no room. */
int	hs_set(struct hs_opts *, const char *key, double v);
/* A setting for the plugin, "key=value"; -1 if it is not one. */
int	hs_option(struct hs_opts *, const char *);

/*
 * The belt stopped and armed, its runner r at rest, the noise seeded
 * (seed 0 is the one the tables had before there were seeds); with a
 * plugin p, p's init with opts: -1 if it refuses (err says why).
 */
int	hs_belt_start(struct hs_belt *, const struct tm_runner *r,
	    const struct tm_plugin *p, const struct hs_opts *opts,
	    unsigned seed, char *err, size_t errlen);
/* The model on to now, and the daemon's reading of her heart then. */
int	hs_belt_read(struct hs_belt *, double now);
/* The plugin's tick on that reading, its proposal capped and sent to
 * the belt; -1 if the tick fails. */
int	hs_belt_steer(struct hs_belt *);
/* Tell the belt speed and incline, if either changed. */
void	hs_belt_command(struct hs_belt *, double speed, double incline);
/* The plugin's cleanup. */
void	hs_belt_end(struct hs_belt *);

/* The target the plugin aims for (ceiling - the default margin). */
int	hs_target(const struct hs_conf *);

/* One 43-minute session; -1 if the plugin failed (said on stderr). */
int	hs_run(const struct hs_conf *, const struct tm_plugin *,
	    enum hs_ctl, struct hs_result *);

/* The median of v[0..n) (sorts it). */
double	hs_median(double *v, int n);

#endif
