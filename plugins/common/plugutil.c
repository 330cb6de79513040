/*
 * plugutil: small helpers the workout plugins share (plugutil.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugutil.h"

int
pu_conf_number(const struct tm_config *c, const char *plugin,
    const char *key, double def, double lo, double hi, double *out,
    char *err, size_t errlen)
{
	double v = def;

	if (c != NULL && c->get_number != NULL &&
	    c->get_number(c, key, &v) == 0 && (!isfinite(v) || v < lo ||
	    v > hi)) {
		snprintf(err, errlen, "plugins.%s.%s must be between %g "
		    "and %g", plugin, key, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

void
pu_seg_set(struct tm_segment *g, const char *label, double duration_s,
    double speed, int intensity, int hr_target)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->label, sizeof(g->label), "%s", label);
	g->duration_s = duration_s;
	g->speed = speed;
	g->intensity = intensity;
	g->hr_target = hr_target;
}

void
pu_seg_add(struct tm_segment *seg, int *nseg, const char *label,
    double duration_s, double speed, int intensity, int hr_target)
{
	if (duration_s < 1)
		return;
	pu_seg_set(&seg[(*nseg)++], label, duration_s, speed, intensity,
	    hr_target);
}

int
pu_segment_at(const struct tm_segment *seg, int nseg, double t)
{
	double end = 0;
	int i;

	for (i = 0; i < nseg; i++) {
		end += seg[i].duration_s;
		if (t < end)
			return i;
	}
	return nseg;
}

int
pu_plan_copy(const struct tm_segment *seg, int nseg, struct tm_segment *out,
    int max, int *n)
{
	if (nseg > max)
		return -1;
	memcpy(out, seg, nseg * sizeof(*out));
	*n = nseg;
	return 0;
}

void
pu_session_init(struct pu_session *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->cur = -1;
	ss->request_seg = -1;
}

int
pu_session_event(struct pu_session *ss, const struct tm_event *ev)
{
	switch (ev->type) {
	case TM_EV_SYMPTOM:
	case TM_EV_END:
		ss->done = 1;
		break;
	case TM_EV_STOP:
		ss->frozen = 1;
		break;
	case TM_EV_RESUME:
		if (ss->frozen) {
			ss->frozen = 0;
			return 1;
		}
		break;
	case TM_EV_REQUEST:
		/* 0 takes her request back; stopping is TM_EV_STOP's. */
		if (isfinite(ev->value) && ev->value >= 0) {
			ss->request = ev->value;
			ss->request_seg = ss->cur < 0 ? 0 : ss->cur;
		}
		break;
	}
	return 0;
}

int
pu_session_at(const struct pu_session *ss, const struct tm_segment *seg,
    int nseg)
{
	return ss->done ? nseg : pu_segment_at(seg, nseg, ss->clock);
}

double
pu_session_request(const struct pu_session *ss, int seg, double v)
{
	if (ss->request > 0 && ss->request_seg == seg && ss->request < v)
		return ss->request;
	return v;
}

void
pu_session_finish(struct pu_session *ss, struct tm_proposal *p,
    double walk_speed)
{
	ss->done = 1;
	p->done = 1;
	p->speed = walk_speed;
	snprintf(p->label, sizeof(p->label), "cool-down");
}

void
pu_cleanup(void *ctx)
{
	free(ctx);
}

double
pu_tick_dt(const struct tm_sample *s)
{
	return s->dt > 0 && isfinite(s->dt) ? s->dt : 0;
}

const struct tm_plugin *
pu_handshake(const struct tm_plugin *p, uint32_t daemon_abi)
{
	if (daemon_abi < p->abi_min || daemon_abi > p->abi_max)
		return NULL;
	return p;
}
