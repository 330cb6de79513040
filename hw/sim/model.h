/*
 * Pure physics of the simulated drive: belt, deck incline, latches and the
 * runner's heart rate.  No I/O and no clock: every entry point takes the
 * current time in seconds, so tests drive it tick by tick.  Units are the
 * engineering ones (km/h, % grade, km/h per s); encodings live in regs.c.
 */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_MAX_KMH		25.0	/* drive maximum */
#define SIM_ESTOP_RATE		5.0	/* km/h per s, ESTOP or KEY pulled */
#define SIM_INCLINE_RATE	1.0	/* % grade per s */
#define SIM_MOVING_KMH		0.005	/* below this the belt counts as still */
#define SIM_POWERON_WD_MS	1000
#define SIM_POWERON_ACCEL	1.0
#define SIM_POWERON_DECEL	1.5

/* Events the model reports to its caller, which logs them. */
#define SIM_EV_RESET	0x01u	/* RESET 0->1 edge */
#define SIM_EV_RUN_EDGE	0x02u	/* RUN 0->1 edge accepted (drive armed) */
#define SIM_EV_WATCHDOG	0x04u	/* heartbeat stopped changing: latched */
#define SIM_EV_STOPPED	0x08u	/* belt reached 0 after moving */

/* What the master last wrote, decoded. */
struct sim_cmd {
	bool		run;
	bool		reset;
	double		speed_kmh;	/* speed_setpoint */
	double		incline_pct;	/* incline_setpoint */
	uint16_t	heartbeat;
	uint16_t	watchdog_ms;
	double		accel;		/* km/h per s */
	double		decel;		/* km/h per s */
};

/*
 * The runner: hr_ss = rest + k_speed*v*gait(v) + k_grade*v*grade, where
 * gait is walk below the gait switch speed and 1 (running) from it: a
 * slow jog costs far more than a walk at the same speed.  A width > 0
 * blends the two over that many km/h around the switch instead.
 */
struct sim_hr_params {
	double	rest;		/* bpm */
	double	max;		/* bpm, steady state is clamped to it */
	double	tau;		/* s, first-order lag */
	double	k_speed;	/* bpm per km/h when running */
	double	k_grade;	/* bpm per (km/h * % grade) */
	double	drift;		/* bpm per minute of running (cardiac drift) */
	double	walk;		/* gait factor when walking */
	double	gait;		/* km/h: walks below this, runs from it */
	double	gait_width;	/* km/h: 0 a step, else a linear blend */
};

struct sim_model {
	struct sim_cmd		cmd;

	/* physical inputs the master can read but never clear */
	bool			estop;
	bool			key_in;

	/* latches, cleared only by a RESET edge */
	bool			fault;
	int			fault_code;
	bool			watchdog;
	bool			stop_key;

	/* set by a RUN 0->1 edge while ready; the belt runs only while set */
	bool			armed;

	double			speed;		/* belt, km/h */
	double			incline;	/* deck, % */
	double			distance;	/* m since power-on */
	double			console_kmh;	/* console up/down request */

	bool			hr_on;		/* HR receiver has a signal */
	double			hr;		/* bpm */
	double			hr_drift;	/* bpm accumulated while running */
	struct sim_hr_params	hrp;

	double			estop_rate;	/* km/h per s */
	double			incline_rate;	/* % per s */

	double			t;		/* time of the last tick */
	double			wd_ref;		/* start of the watchdog window */
};

void		sim_model_init(struct sim_model *, const struct sim_cmd *,
		    double);
unsigned	sim_model_tick(struct sim_model *, double);
unsigned	sim_model_command(struct sim_model *, const struct sim_cmd *,
		    double);
unsigned	sim_model_set_estop(struct sim_model *, bool, double);
unsigned	sim_model_set_key(struct sim_model *, bool, double);
unsigned	sim_model_press_stop(struct sim_model *, double);
unsigned	sim_model_set_fault(struct sim_model *, int, double);
void		sim_model_set_request(struct sim_model *, double);
bool		sim_model_ready(const struct sim_model *);
bool		sim_model_running(const struct sim_model *);
double		sim_model_hr_steady(const struct sim_model *);
int		sim_model_set_param(struct sim_model *, const char *, double,
		    const char **);
int		sim_model_get_param(const struct sim_model *, const char *,
		    double *);

#endif
