#include <math.h>
#include <string.h>

#include "hrhold.h"

/* km/h per s the cap may fall on a prediction alone. */
#define HRHOLD_EASE 0.05

void
hr_hold_init(struct hr_hold *h, double start_cap, double min_cap)
{
	memset(h, 0, sizeof(*h));
	h->cap = start_cap;
	/* A short horizon: the workout steers; the hold only guards. */
	h->tau = 20.0;
	h->gain = 0.004;
	h->margin = 2.0;
	h->min_cap = min_cap;
}

double
hr_hold_update(struct hr_hold *h, int hr, int ceiling, double static_cap,
    double belt_speed, double dt)
{
	double slope = 0, err, dcap;

	if (ceiling <= 0 || hr <= 0 || dt <= 0) {
		/* No ceiling or no signal: hold the pace from before. */
		if (h->cap > static_cap)
			h->cap = static_cap;
		return h->cap;
	}
	if (!h->primed) {
		h->hr_f = hr;
		h->primed = true;
	}
	/* A few seconds of smoothing: beat-to-beat noise is not a trend. */
	h->hr_f += (hr - h->hr_f) * (dt / (3.0 + dt));
	h->since_sample += dt;
	if (h->since_sample >= 1.0) {
		h->since_sample = 0;
		h->ring[h->iring] = h->hr_f;
		h->iring = (h->iring + 1) % HRHOLD_WINDOW;
		if (h->nring < HRHOLD_WINDOW)
			h->nring++;
	}
	if (h->nring >= 4) {
		int oldest = (h->iring - h->nring + HRHOLD_WINDOW) %
		    HRHOLD_WINDOW;
		slope = (h->hr_f - h->ring[oldest]) / h->nring;
	}
	h->predicted = h->hr_f + h->tau * slope;
	err = (ceiling - h->margin) - h->predicted;
	dcap = h->gain * err * dt;
	/* Over the ceiling now is worse than over it later: act on both.
	 * On a prediction alone, ease down: a rising HR at the start of a
	 * run is not yet an excess, and a cap that slams to walking pace
	 * and back is the hunting a runner feels. */
	if (h->hr_f > ceiling)
		dcap = fmin(dcap, h->gain * (ceiling - h->hr_f) * dt);
	else if (dcap < -HRHOLD_EASE * dt)
		dcap = -HRHOLD_EASE * dt;
	h->cap += dcap;
	/* Don't wind up above a belt that is slower for another reason. */
	if (h->cap > belt_speed + 0.5 && dcap > 0)
		h->cap = fmax(belt_speed + 0.5, h->cap - dcap);
	if (h->cap > static_cap)
		h->cap = static_cap;
	if (h->cap < h->min_cap)
		h->cap = h->min_cap;
	return h->cap;
}
