/*
 * The status snapshot: filled in one place from the belt and its
 * pipeline, rendered as text lines or as one flat JSON object.
 */
#ifndef TREAD_STATUS_H
#define TREAD_STATUS_H

#include <jansson.h>

#include <event2/buffer.h>
#include <stdbool.h>

struct belt;

struct status {
	const char	*state;		/* "running", "stopped", ... */
	const char	*session;
	char		 runner[32], workout[32], segment[32];
	int		 walkrun_stage;	/* 1-based; 0: not a walk-run */
	int		 walkrun_stages;	/* her profile's; 0: unknown */
	bool		 connected;
	char		 drive[256];
	char		 drive_error[256];
	double		 belt_kmh, cmd_kmh, cap_kmh, target_kmh;
	double		 incline_pct, cmd_incline_pct;
	int		 hr_bpm, hr_ceiling;
	bool		 run, walkdown;
	double		 elapsed_s, planned_s, distance_m, avg_kmh, max_kmh;
	int		 hr_max;
	double		 above_cap_s;
	const char	*outcome;
	unsigned	 stop_causes, present_causes, blocking;
	char		 stop_detail[128];
	bool		 history_ok, history_pg;
	char		 history[256];	/* "ok" or why it is unavailable */
	char		 history_last_error[256], history_link_error[256];
	unsigned long	 history_write_errors, history_spooled;
	unsigned long	 ticks, transactions, failures, connects, stop_writes;
	unsigned	 heartbeat;
	double		 tick_hz;
	const char	*log_level;
};

void	 status_fill(const struct belt *, struct status *);
/* The reply lines of 'status'. */
void	 status_text(const struct status *, struct evbuffer *);
/* The same as JSON fields (a new object). */
json_t	*status_json(const struct status *);
/* Stop causes (a safety.h mask) as a JSON array of their names. */
json_t	*status_causes(unsigned);
/* A walk-run stage (1-based) as a reply line, "of stages" when known
 * (stages > 0), and as JSON: null for none (0). */
void	 walkrun_line(struct evbuffer *, int stage, int stages);
json_t	*walkrun_json(int stage);

#endif
