/*
 * Counters kept where the events happen: the tick period (in the loop),
 * stops (when latched), sessions by outcome (when recorded), reloads.
 * The metrics and MQTT read them; nothing else counts these.  A listener
 * is told of each event as it happens (MQTT publishes it); it must be
 * quick and never wait.
 */
#ifndef TREAD_COUNTERS_H
#define TREAD_COUNTERS_H

#define CTR_TICK_BUCKETS	9
#define CTR_CAUSES		8	/* the safety core's stop causes */
#define CTR_OUTCOMES		6	/* the session outcomes */

/* Upper bounds of the tick period histogram, seconds. */
extern const double ctr_tick_bounds[CTR_TICK_BUCKETS];

enum ctr_event_kind {
	CTR_SESSION_START, CTR_SESSION_END, CTR_STOP, CTR_RELOAD
};

struct ctr_event {
	enum ctr_event_kind kind;
	unsigned	 causes;	/* CTR_STOP: the causes just latched */
	int		 outcome;	/* CTR_SESSION_END: enum session_outcome */
	const char	*workout;	/* sessions */
	const char	*runner;	/* sessions; "" for a guest */
	int		 ok;		/* CTR_RELOAD: 1 applied, 0 refused */
};

struct counters {
	unsigned long	 tick_le[CTR_TICK_BUCKETS];	/* not cumulative */
	unsigned long	 tick_count;
	double		 tick_sum;
	unsigned long	 stops[CTR_CAUSES];
	unsigned long	 sessions[CTR_OUTCOMES];
	unsigned long	 reloads, reload_failures;
	void		(*listener)(void *, const struct ctr_event *);
	void		*listener_arg;
};

/* One tick's period (s since the last one). */
void	 ctr_tick(struct counters *, double period);
void	 ctr_stop(struct counters *, unsigned fresh_causes);
void	 ctr_session_start(struct counters *, const char *workout,
	    const char *runner);
void	 ctr_session_end(struct counters *, int outcome, const char *workout,
	    const char *runner);
void	 ctr_reload(struct counters *, int ok);

#endif
