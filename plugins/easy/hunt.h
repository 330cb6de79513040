/*
 * hunt: the signs that steady steering hunts across a gait step, read
 * from the steering's own moves and the filter's view of HR (hunt.c).
 */
#ifndef PLUGINS_EASY_HUNT_H
#define PLUGINS_EASY_HUNT_H

#include "hrfilter.h"
#include "runwalk.h"

/*
 * The steady command moved from prev to v, HR (the fast view) is hr:
 * the wide turns of the last minutes; *tight: whether it keeps turning
 * at the same two speeds some way apart.
 */
int	rw_reversals(struct rw *w, double v, double prev, double hr,
	    int *tight);

/* HR (the filter's) swinging widely while the speed hardly moves. */
int	rw_swings(struct rw *w, double hr, double v);

/*
 * The filter saw small moves cross a change of gait twice at the same
 * speeds: the step lies between *walk and *jog km/h.
 */
int	rw_crossed(struct rw *w, struct hrf *f, double *walk, double *jog);

/* Forget the signs: steady steering begins afresh. */
void	rw_hunt_reset(struct rw *w);

#endif
