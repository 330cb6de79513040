/*
 * kf: a Kalman filter of up to KF_N states with one scalar measurement
 * at a time, for the heart-rate estimators (hrsteer.h, runwalk.h).
 * Built into each plugin; nothing here is exported from the .so.
 */
#ifndef PLUGINS_COMMON_KF_H
#define PLUGINS_COMMON_KF_H

#define KF_N	4

struct kf {
	int	 n;			/* states in use */
	double	 x[KF_N];		/* the estimate */
	double	 P[KF_N][KF_N];		/* its covariance */
};

/* n states, all 0, with variances var[0..n). */
void	kf_init(struct kf *k, int n, const double *var);

/* The model runs on: x = F x, P = F P F' + diag(q). */
void	kf_predict(struct kf *k, const double F[KF_N][KF_N], const double *q);

/*
 * A measurement y = h x + noise of variance r: the update.  Returns the
 * innovation (y - h x before it).
 */
double	kf_update(struct kf *k, const double *h, double y, double r);

/* The variance of h x (how sure the filter is of that combination). */
double	kf_var(const struct kf *k, const double *h);

#endif
