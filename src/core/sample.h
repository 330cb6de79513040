/*
 * Plain values that cross the layers: what the drive reported in one
 * transaction (a sample) and what the daemon writes back (a command).
 * Engineering units only; register encodings live in regmap.c.
 */
#ifndef TREAD_SAMPLE_H
#define TREAD_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

struct sample {
	bool	 running;	/* belt moving or commanded to run */
	bool	 key;		/* safety key in place */
	bool	 estop;		/* e-stop button held */
	bool	 fault;		/* drive fault latched */
	bool	 watchdog;	/* drive stopped itself: heartbeat stalled */
	bool	 stop_key;	/* console STOP pressed since last RUN edge */
	bool	 ready;		/* drive able to run */
	double	 belt_speed;	/* km/h, measured */
	double	 incline;	/* % grade, measured */
	int	 heart_rate;	/* bpm, 0 = no signal */
	int	 fault_code;
	uint16_t heartbeat_echo;
	double	 console_request; /* km/h, 0 = none */
	uint16_t distance;	/* metres since power-on, mod 65536 */
};

struct command {
	bool	 run;
	bool	 reset;		/* RESET bit: a 0->1 edge clears drive latches */
	double	 speed;		/* km/h */
	double	 incline;	/* % grade */
	uint16_t heartbeat;
};

#endif
