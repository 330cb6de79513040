/*
 * kf: a small Kalman filter (kf.h).  Dense n x n arithmetic with n <= 4;
 * the covariance is kept symmetric and its diagonal positive, since a
 * filter run for hours at 20 Hz must not drift into nonsense from
 * rounding.
 */
#include <string.h>

#include "kf.h"

#define VAR_MIN	1e-9

void
kf_init(struct kf *k, int n, const double *var)
{
	memset(k, 0, sizeof(*k));
	k->n = n;
	for (int i = 0; i < n; i++)
		k->P[i][i] = var[i];
}

static void
tidy(struct kf *k)
{
	for (int i = 0; i < k->n; i++) {
		if (k->P[i][i] < VAR_MIN)
			k->P[i][i] = VAR_MIN;
		for (int j = 0; j < i; j++)
			k->P[i][j] = k->P[j][i] = (k->P[i][j] + k->P[j][i]) / 2;
	}
}

void
kf_predict(struct kf *k, const double F[KF_N][KF_N], const double *q)
{
	double x[KF_N] = { 0 }, FP[KF_N][KF_N] = { { 0 } };
	int n = k->n;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			x[i] += F[i][j] * k->x[j];
			for (int l = 0; l < n; l++)
				FP[i][j] += F[i][l] * k->P[l][j];
		}
	for (int i = 0; i < n; i++) {
		k->x[i] = x[i];
		for (int j = 0; j < n; j++) {
			double v = i == j ? q[i] : 0;

			for (int l = 0; l < n; l++)
				v += FP[i][l] * F[j][l];
			k->P[i][j] = v;
		}
	}
	tidy(k);
}

double
kf_var(const struct kf *k, const double *h)
{
	double v = 0;

	for (int i = 0; i < k->n; i++)
		for (int j = 0; j < k->n; j++)
			v += h[i] * k->P[i][j] * h[j];
	return v;
}

double
kf_update(struct kf *k, const double *h, double y, double r)
{
	double Ph[KF_N] = { 0 }, e = y, s = r;
	int n = k->n;

	for (int i = 0; i < n; i++) {
		e -= h[i] * k->x[i];
		for (int j = 0; j < n; j++)
			Ph[i] += k->P[i][j] * h[j];
		s += h[i] * Ph[i];
	}
	for (int i = 0; i < n; i++) {
		k->x[i] += Ph[i] / s * e;
		for (int j = 0; j < n; j++)
			k->P[i][j] -= Ph[i] * Ph[j] / s;
	}
	tidy(k);
	return e;
}
