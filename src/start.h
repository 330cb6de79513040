/*
 * Starting a session.  A guest's start touches nothing but the belt.  A
 * runner's reads the history (her claim on this treadmill, today's
 * decision, her walk-run stage), so it comes in three steps, and only
 * the middle one waits on the disk or the database:
 *
 *   start_new      on the loop: the belt is free, the runner is known;
 *                  what the reads need is copied (a reload may replace
 *                  the loop's)
 *   start_prepare  on the control worker thread: the claim, the decision
 *                  and the stage; the check-in and template rules
 *   start_apply    back on the loop: the belt is still free and safety
 *                  lets it run, so the session begins
 *
 * A start refused after the claim was taken gives it back: start_apply
 * says so (claimed stays set), and start_release does it, on the worker.
 */
#ifndef TREAD_START_H
#define TREAD_START_H

#include <stdbool.h>
#include <stddef.h>

#include "belt.h"

struct start_req {
	/* Set by start_new. */
	struct profile	 prof;
	char		*workout, *tname;	/* NULL: the day's pick */
	struct history	*hist;
	char		 hist_error[256];
	char		 treadmill[64];		/* daemon.name */
	int		 stale_minutes;
	bool		 require_checkin;
	/* Set by start_prepare. */
	int		 rc;		/* -1: refused, why says why */
	bool		 claimed;	/* to give back if it does not start */
	struct decision	 d;
	int		 stage;
	char		 why[1024];
};

/* A guest at the configured pace.  -1 with why when refused. */
int	 belt_start_guest(struct belt *, char *why, size_t whylen);

/* NULL with why when the belt is busy or the runner unknown. */
struct start_req *start_new(struct belt *, const char *runner,
	    const char *workout, const char *template_name, char *why,
	    size_t whylen);
void	 start_prepare(struct start_req *);
/* 0 when the session began; -1 with r->why, and r->claimed when the
 * claim is to be given back (start_release). */
int	 start_apply(struct belt *, struct start_req *);
void	 start_release(struct start_req *);
void	 start_free(struct start_req *);

#endif
