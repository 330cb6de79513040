/*
 * The safety core's invariants as an independent model, checked after
 * every call a daemon makes: the unit tests' long random run and the
 * telemetry fuzzer both drive the real core through it.  Each check
 * returns NULL, or a sentence saying which invariant broke and how.
 *
 *  1. the command never exceeds min(machine max, cap), or is on its way
 *     down to it at the decel limit;
 *  2. it moves by no more than the ramps allow, except to 0 with RUN 0;
 *  3. after any cause RUN is 0 until a person starts or resumes, and only
 *     once the cause is gone; a RESET edge comes first;
 *  4. the heartbeat changes on every command written.
 */
#ifndef TREAD_TEST_INVARIANTS_H
#define TREAD_TEST_INVARIANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "safety.h"

struct inv_model {
	struct safety_limits lim;
	bool	 latched;	/* some cause latched since the last resume */
	bool	 enabled;	/* a person started, no disable since */
	bool	 expect_reset;	/* resume/start accepted: RESET comes next */
	bool	 last_null;	/* the last transaction failed */
	int	 nulls;		/* failed transactions in a row */
	bool	 have_sample;
	struct sample last;	/* the last sample observed */
	struct safety_limits seen_lim;	/* the limits it was judged by */
	double	 prev_speed;	/* the last command written, either kind */
	uint16_t prev_hb;
	bool	 have_hb;
	double	 last_cmd_t;	/* when safety_command last ran */
	bool	 have_cmd_t;
	unsigned long runs, stops, resumes, refusals;
	unsigned long per_cause[8];	/* latches of each cause */
};

void	 inv_init(struct inv_model *, const struct safety_limits *);
/* New limits (a reload) apply from the next command. */
void	 inv_set_limits(struct inv_model *, const struct safety_limits *);
/* After safety_observe(s, smp or NULL): what it latched is fresh.  Every
 * cause the sample (or a run of failures) shows must be latched. */
const char *inv_observed(struct inv_model *, const struct safety *,
	    const struct sample *, unsigned fresh);
/* After a stop latched (observe or safety_stop): c is the immediate stop
 * command the daemon writes (safety_stop_command). */
const char *inv_stop_written(struct inv_model *, const struct safety *,
	    unsigned fresh, const struct command *);
/* After safety_resume / safety_start returned rc (why on refusal). */
const char *inv_person(struct inv_model *, const struct safety *,
	    bool start, int rc, const char *why);
/* After safety_disable. */
void	 inv_disabled(struct inv_model *);
/* After safety_command(s, target, incline, cap, t, c). */
const char *inv_command(struct inv_model *, double cap, double t,
	    const struct command *);

#endif
