/*
 * hrfilter: the heart-rate observer (hrfilter.h explains the model).
 */
#include <math.h>
#include <string.h>

#include "hrfilter.h"

/* Filter constants (bench/hrsteer.c was used to choose them). */
#define NOISE_SD	2.0	/* bpm: the strap's slow error */
#define NOISE_S		5.0	/* s it lasts */
#define READ_VAR	0.1	/* bpm^2: the rest of it (whole bpm) */
#define Q_HR		3e-4	/* bpm^2/s: HR off the first-order lag */
#define Q_SS		3e-5	/* bpm^2/s: ss wandering at a steady pace */
#define DRIFT_SD	0.004	/* bpm/s: the drift, before it is known */
#define Q_DRIFT		1e-9	/* (bpm/s)^2/s: the drift changing */
#define LLR_START	2.0	/* the drift model's head start: most drift */
#define LLR_MAX		5.0	/* how sure the filter gets of either model */
#define GAIN_SD		0.3	/* the gain's error, relative */
#define SMALL_DU	0.5	/* km/h: a move of the steering's own */
#define GAIT_SD		15.0	/* bpm: ss unknown after a change of gait */
#define E2_N		120.0	/* readings the innovations' spread is over */
#define Z_N		15.0	/* readings a surprise is summed over */
#define Z_MAX		4.5	/* that sum, in sd: the model is wrong */
#define MOVE_S		30.0	/* s a small move is watched */
#define MOVE_MIN	5	/* readings before it is judged */
#define MOVE_Z		3.0	/* sd of innovation its way: a change of gait */
#define Z_HR		1.0	/* then HR's variance grows by (the error)^2 */
#define Z_SS		25.0	/* and ss's by 25 times that */

enum { X_HR, X_SS, X_DRIFT, X_NOISE, NX };

void
hrf_init(struct hrf *f, double tau, double gain)
{
	memset(f, 0, sizeof(*f));
	f->tau = tau;
	f->gain = gain;
}

/* How much the readings favour the model with a drift. */
static double
weight(const struct hrf *f)
{
	return 1 / (1 + exp(-f->llr));
}

static void
view(struct hrf *f)
{
	double w = weight(f), d;

	f->hr = (1 - w) * f->k[0].x[X_HR] + w * f->k[1].x[X_HR];
	f->ss = (1 - w) * f->k[0].x[X_SS] + w * f->k[1].x[X_SS];
	d = f->k[1].x[X_SS] - f->k[0].x[X_SS];
	f->ss_sd = sqrt((1 - w) * f->k[0].P[X_SS][X_SS] +
	    w * f->k[1].P[X_SS][X_SS] + w * (1 - w) * d * d);
	f->drift = w * f->k[1].x[X_DRIFT];
}

/* Both models: P[i][i] += v. */
static void
bump(struct hrf *f, int i, double v)
{
	f->k[0].P[i][i] += v;
	f->k[1].P[i][i] += v;
}

/*
 * The model runs on by dt: HR heads for ss, ss moves with the drift, the
 * strap's error fades; all grow less certain.
 */
static void
predict(struct hrf *f, double dt)
{
	double F[KF_N][KF_N] = { { 0 } }, q[KF_N] = { 0 };
	double a = 1 - exp(-dt / f->tau), c = exp(-dt / NOISE_S);

	F[X_HR][X_HR] = 1 - a;
	F[X_HR][X_SS] = a;
	F[X_HR][X_DRIFT] = dt - f->tau * a;
	F[X_SS][X_SS] = 1;
	F[X_SS][X_DRIFT] = dt;
	F[X_DRIFT][X_DRIFT] = 1;
	F[X_NOISE][X_NOISE] = c;
	q[X_HR] = Q_HR * dt;
	q[X_SS] = Q_SS * dt;
	q[X_NOISE] = NOISE_SD * NOISE_SD * (1 - c * c);
	kf_predict(&f->k[0], F, q);
	q[X_DRIFT] = Q_DRIFT * dt;
	kf_predict(&f->k[1], F, q);
	f->move_s += dt;
	view(f);
}

/* A reading y (the mean of one second's): HR plus the strap's error. */
static void
correct(struct hrf *f, double y)
{
	static const double h[KF_N] = { 1, 0, 0, 1 };
	double S0 = kf_var(&f->k[0], h) + READ_VAR;
	double S1 = kf_var(&f->k[1], h) + READ_VAR;
	double e0 = y - f->k[0].x[X_HR] - f->k[0].x[X_NOISE];
	double e1 = y - f->k[1].x[X_HR] - f->k[1].x[X_NOISE];
	double w = weight(f), S = (1 - w) * S0 + w * S1;
	double e = (1 - w) * e0 + w * e1, b;

	/* Which model the readings bear out: the likelihood ratio. */
	f->llr += 0.5 * (log(S0 / S1) + e0 * e0 / S0 - e1 * e1 / S1);
	f->llr = fmax(-LLR_MAX, fmin(LLR_MAX, f->llr));

	/*
	 * The tests below take the innovations' spread as the model has it
	 * or as the readings show it, the larger: a strap noisier than the
	 * model, or noisier in another way, is not a surprise.
	 */
	S = fmax(S, f->e2);
	f->e2 += (e * e - f->e2) / E2_N;
	/*
	 * Readings the model keeps getting wrong, on one side: it is.  The
	 * innovations of a right model are independent, each of variance
	 * S; their recent sum, over its own spread, is then about N(0, 1).
	 */
	f->esum = f->esum * (1 - 1 / Z_N) + e;
	f->evar = f->evar * (1 - 1 / Z_N) * (1 - 1 / Z_N) + S;
	f->ewt = f->ewt * (1 - 1 / Z_N) + 1;
	if (fabs(f->esum) > Z_MAX * sqrt(f->evar)) {
		b = f->esum / f->ewt;
		bump(f, X_HR, Z_HR * b * b);
		bump(f, X_SS, Z_SS * b * b);
		f->surprises++;
		f->esum = f->evar = f->ewt = 0;
	}
	/*
	 * After a small move the model expects HR to move a little: if it
	 * goes on moving the same way, clearly more than that, the move
	 * crossed a change of gait.
	 */
	if (f->move_s < MOVE_S) {
		f->msum += e;
		f->mvar += S;
		if (f->mn >= MOVE_MIN &&
		    f->msum * f->move_dir > MOVE_Z * sqrt(f->mvar)) {
			b = f->msum / f->mn;
			bump(f, X_HR, Z_HR * b * b);
			bump(f, X_SS, Z_SS * b * b);
			f->crossed = 1;
			f->cross_lo = fmin(f->move_from, f->u);
			f->cross_hi = fmax(f->move_from, f->u);
			f->move_s = MOVE_S;
		}
		f->mn++;
	}
	kf_update(&f->k[0], h, y, READ_VAR);
	kf_update(&f->k[1], h, y, READ_VAR);
	view(f);
}

/* HR is y now: as sure of it as one reading makes it. */
static void
take(struct hrf *f, double y)
{
	double v = NOISE_SD * NOISE_SD;

	for (int m = 0; m < 2; m++) {
		struct kf *k = &f->k[m];

		k->x[X_HR] = y;
		k->x[X_NOISE] = 0;
		for (int i = 0; i < NX; i++)
			k->P[X_HR][i] = k->P[i][X_HR] = k->P[X_NOISE][i] =
			    k->P[i][X_NOISE] = 0;
		/* The reading is HR plus an error it cannot yet tell
		 * apart. */
		k->P[X_HR][X_HR] = k->P[X_NOISE][X_NOISE] = v;
		k->P[X_HR][X_NOISE] = k->P[X_NOISE][X_HR] = -v;
	}
	f->esum = f->evar = f->ewt = 0;
	f->move_s = MOVE_S;
	view(f);
}

static void
start(struct hrf *f, double hr)
{
	/* As if at steady state, and not sure of it. */
	double var[KF_N] = { 0 };

	var[X_SS] = 100;
	kf_init(&f->k[0], NX, var);
	var[X_DRIFT] = DRIFT_SD * DRIFT_SD;
	kf_init(&f->k[1], NX, var);
	f->k[0].x[X_SS] = f->k[1].x[X_SS] = hr;
	f->llr = LLR_START;
	take(f, hr);
	f->ysum = 0;
	f->ny = 0;
	f->since_y = 0;
	f->primed = 1;
	f->lost_s = 0;
}

void
hrf_observe(struct hrf *f, int hr, double dt)
{
	if (hr <= 0) {
		/* No signal: the model runs on what it knows. */
		f->lost_s += dt;
		if (f->primed)
			predict(f, dt);
		return;
	}
	if (!f->primed || f->lost_s > f->tau) {
		start(f, hr);
		return;
	}
	f->lost_s = 0;
	if (f->resync) {
		/* Back from a stop: HR fell, the pace it heads for stands. */
		take(f, hr);
		f->resync = 0;
		return;
	}
	predict(f, dt);
	/* Straps send about one reading a second: correct once a second. */
	f->ysum += hr;
	f->ny++;
	f->since_y += dt;
	if (f->since_y >= 1.0) {
		correct(f, f->ysum / f->ny);
		f->ysum = 0;
		f->ny = 0;
		f->since_y = 0;
	}
}

void
hrf_input(struct hrf *f, double u)
{
	double du = u - f->u, sd;

	if (f->primed && du != 0) {
		/* The gain is a guess: ss is that much less certain. */
		f->k[0].x[X_SS] += f->gain * du;
		f->k[1].x[X_SS] += f->gain * du;
		sd = GAIN_SD * f->gain * du;
		bump(f, X_SS, sd * sd);
		view(f);
	}
	if (f->primed && du != 0 && fabs(du) <= SMALL_DU) {
		/* The steering's own move: watch what HR makes of it. */
		if (f->move_s >= MOVE_S) {
			f->move_from = f->u;
			f->msum = f->mvar = 0;
			f->mn = 1;
		}
		f->move_s = 0;
		f->move_dir = du > 0 ? 1 : -1;
	}
	f->u = u;
}

void
hrf_gait(struct hrf *f)
{
	if (f->primed)
		bump(f, X_SS, GAIT_SD * GAIT_SD);
	view(f);
}

void
hrf_resume(struct hrf *f)
{
	f->lost_s = 0;
	f->resync = 1;
}

double
hrf_ahead(const struct hrf *f, double secs)
{
	return f->hr + (f->ss - f->hr) * (1 - exp(-secs / f->tau)) +
	    f->drift * (secs - f->tau * (1 - exp(-secs / f->tau)));
}
