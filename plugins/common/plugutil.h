/*
 * plugutil: small helpers the workout plugins share: configuration,
 * segment lists, the session state every plugin keeps (clock, stop,
 * the runner's request) with its event handling, and the handshake.
 * Built into each plugin; nothing here is exported from the .so.
 */
#ifndef PLUGINS_COMMON_PLUGUTIL_H
#define PLUGINS_COMMON_PLUGUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "treadmill/plugin.h"

/*
 * A number from the plugin's configuration group (plugins.PLUGIN),
 * default def, which must lie in [lo, hi].  0, or -1 with err.
 */
int	pu_conf_number(const struct tm_config *c, const char *plugin,
	    const char *key, double def, double lo, double hi, double *out,
	    char *err, size_t errlen);

/* Fill segment g afresh. */
void	pu_seg_set(struct tm_segment *g, const char *label, double duration_s,
	    double speed, int intensity, int hr_target);

/*
 * Append a segment to seg[0..*nseg) (room is the caller's), unless it is
 * shorter than a second: nothing anyone could follow.
 */
void	pu_seg_add(struct tm_segment *seg, int *nseg, const char *label,
	    double duration_s, double speed, int intensity, int hr_target);

/* The segment of seg[0..nseg) the clock t is in (nseg: the plan is over). */
int	pu_segment_at(const struct tm_segment *seg, int nseg, double t);

/* A plugin's plan() for a list of segments: all of them, or -1. */
int	pu_plan_copy(const struct tm_segment *seg, int nseg,
	    struct tm_segment *out, int max, int *n);

/* Where a session is, as every plugin keeps it. */
struct pu_session {
	double	 clock;		/* s of plan done (not while stopped) */
	int	 frozen;	/* stopped until a person resumes */
	int	 done;
	int	 cur;		/* segment of the last tick */
	double	 request;	/* the runner's own speed, 0 = none */
	int	 request_seg;	/* the segment it was made in */
};

/* A new session: no segment yet, no request. */
void	pu_session_init(struct pu_session *ss);

/*
 * The common handling of an event: a symptom or an early end ends the
 * workout, a stop freezes it, a resume thaws it, a request is kept for
 * the segment it was made in.  1 if it thawed a frozen session, else 0.
 */
int	pu_session_event(struct pu_session *ss, const struct tm_event *ev);

/*
 * The segment of seg[0..nseg) the session is in by its clock; nseg once
 * it is done or the plan is over.
 */
int	pu_session_at(const struct pu_session *ss,
	    const struct tm_segment *seg, int nseg);

/* Speed v for segment seg: her own request wins when it is slower. */
double	pu_session_request(const struct pu_session *ss, int seg, double v);

/* The plan is over: the session is done, and p says so, at walk speed. */
void	pu_session_finish(struct pu_session *ss, struct tm_proposal *p,
	    double walk_speed);

/* A plugin's cleanup() for a context that is one allocation: free it. */
void	pu_cleanup(void *ctx);

/* The tick's dt, 0 if the daemon's is not a usable one. */
double	pu_tick_dt(const struct tm_sample *s);

/*
 * The entry point (TM_PLUGIN_ENTRY) each plugin defines, exported: the
 * plugins are built with -fvisibility=hidden.
 */
TM_PLUGIN_EXPORT const struct tm_plugin *treadmill_plugin(uint32_t daemon_abi);

/* The entry point's answer: p, or NULL if it cannot speak daemon_abi. */
const struct tm_plugin *pu_handshake(const struct tm_plugin *p,
	    uint32_t daemon_abi);

#endif
