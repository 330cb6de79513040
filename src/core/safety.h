/*
 * Safety core: pure logic, no I/O, time passed in (seconds, monotonic).
 *
 * It latches every stop cause it sees, holds the commanded speed within
 * the machine maximum and the accel/decel ramps, and never lets RUN go
 * back to 1 by itself: only safety_start() or safety_resume(), which the
 * daemon calls for a person's explicit command, can, and only once every
 * cause is gone.
 */
#ifndef TREAD_SAFETY_H
#define TREAD_SAFETY_H

#include <stdbool.h>
#include <stddef.h>

#include "sample.h"

enum stop_cause {
	STOP_ESTOP	= 1u << 0,	/* e-stop button */
	STOP_KEY	= 1u << 1,	/* safety key pulled */
	STOP_CONSOLE	= 1u << 2,	/* console STOP key */
	STOP_FAULT	= 1u << 3,	/* drive fault */
	STOP_WATCHDOG	= 1u << 4,	/* drive watchdog fired */
	STOP_SOFTWARE	= 1u << 5,	/* treadctl stop, or the daemon itself */
	STOP_COMM	= 1u << 6,	/* N consecutive failed transactions */
	STOP_IMPLAUSIBLE = 1u << 7,	/* telemetry that cannot be true */
};
#define STOP_ALL	0xffu

struct safety_limits {
	double	max_speed;	/* km/h, machine maximum */
	double	min_incline;	/* % grade */
	double	max_incline;
	double	accel;		/* km/h per s, ramp up of the command */
	double	decel;		/* km/h per s, ramp down of the command */
	double	speed_tolerance; /* km/h the belt may run above the command */
	double	drive_max_speed; /* km/h, what the drive can ever report */
	int	comm_loss_ticks; /* consecutive failures that latch STOP_COMM */
	int	max_heart_rate;	/* bpm above which a reading is implausible */
	double	max_dt;		/* s, longest step a ramp is allowed to take */
};

struct safety {
	struct safety_limits lim;
	unsigned latched;	/* causes seen since the last resume */
	unsigned present;	/* causes still present in the last sample */
	char	 detail[128];	/* words for the most recent latch */
	int	 comm_failures;	/* consecutive failed transactions */
	bool	 have_sample;
	struct sample last;	/* the last sample, cleaned */
	int	 raw_hr;	/* the last heart rate as read, for jumps */
	bool	 enabled;	/* a person started or resumed; RUN may be 1 */
	double	 cmd_speed;	/* last commanded speed, km/h */
	double	 cmd_incline;
	double	 envelope;	/* fastest the belt may legitimately be */
	double	 last_cmd_t;
	bool	 have_cmd_t;
	int	 reset;		/* RESET edge handshake, see safety.c */
	unsigned short heartbeat;
};

void	 safety_init(struct safety *, const struct safety_limits *);
/* Swap in new limits (reload); ramps carry on from the current command. */
void	 safety_set_limits(struct safety *, const struct safety_limits *);
/*
 * Feed one transaction's outcome: a sample, or NULL when it failed.
 * Returns the causes latched by this call (0 if none), so the caller can
 * write a stop at once.
 */
unsigned safety_observe(struct safety *, const struct sample *, double now);
/* A software stop (treadctl stop, shutdown).  Returns newly latched. */
unsigned safety_stop(struct safety *, unsigned cause, const char *why);
/* A person starts the belt.  -1 with *why set when refused. */
int	 safety_start(struct safety *, const char **why);
/* A person resumes after a stop; -1 with *why while a cause remains. */
int	 safety_resume(struct safety *, const char **why);
/* The session ended on its own (after its ramp down): RUN goes to 0. */
void	 safety_disable(struct safety *);
/*
 * The last stage of every tick: turn a capped proposal into the command
 * to write.  cap is the governor's cap in km/h.
 */
void	 safety_command(struct safety *, double target_speed,
	    double target_incline, double cap, double now, struct command *);
/* The command for an immediate stop write (RUN = 0, speed 0). */
void	 safety_stop_command(struct safety *, struct command *);

bool	 safety_stopped(const struct safety *);
/* What currently blocks a start or resume, 0 if nothing. */
unsigned safety_blocking(const struct safety *);
const char *safety_cause_name(unsigned cause);	/* one bit */
/* "e-stop, safety key" into buf; returns buf. */
char	*safety_causes_str(unsigned causes, char *buf, size_t len);

#endif
