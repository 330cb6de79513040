/*
 * Session commands: start, stop, resume, end, the runner's speed and
 * incline requests and a symptom mid-run.  Each goes through the belt or
 * its pipeline; none computes a cap of its own.  A runner's start reads
 * her history on the worker thread and starts the belt back on the loop
 * (start.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjob.h"
#include "log.h"
#include "start.h"
#include "xmalloc.h"

static void
started(struct belt *b, struct reply *out, const char *runner)
{
	rep_set(out, "workout", json_string(b->pl.session.workout));
	rep_set(out, "runner", runner ? json_string(runner) : json_null());
	rep_set(out, "planned_min", json_real(
	    session_planned_s(&b->pl.session) / 60));
	rep_ok(out, "started: %s%s%s, %.1f min", b->pl.session.workout,
	    runner ? " for " : "", runner ? runner : "",
	    session_planned_s(&b->pl.session) / 60);
}

/* Giving back a claim, on the worker: it may wait on the database. */
struct release {
	struct job	 job;
	struct start_req *req;
};

static void
release_run(struct job *job)
{
	start_release(((struct release *)job)->req);
}

static void
release_done(struct job *job)
{
	struct release *rl = (struct release *)job;

	if (!job->ran)
		log_warnx("history: the claim on %s goes when it is stale: "
		    "the daemon is shutting down", rl->req->prof.id);
	start_free(rl->req);
	free(rl);
}

/* On the worker: her claim, today's decision, her stage. */
static void
run_start(struct cjob *j)
{
	start_prepare(j->start);
}

/* Back on the loop: the belt starts here or not at all. */
static void
finish_start(struct cjob *j)
{
	struct start_req *sr = j->start;
	struct release *rl;

	if (start_apply(j->b, sr) == 0) {
		started(j->b, &j->r, sr->prof.id);
		return;
	}
	rep_err(&j->r, "not started: %s", sr->why);
	if (!sr->claimed)
		return;
	rl = xcalloc(1, sizeof(*rl));
	rl->req = sr;
	rl->job.run = release_run;
	rl->job.done = release_done;
	j->start = NULL;
	cjob_submit_job(j->b, &rl->job);
}

void
cmd_start(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	struct flag f[] = {
		{ "--workout", true, NULL, false },
		{ "--template", true, NULL, false },
	};
	const char *runner = NULL;
	struct start_req *sr;
	struct cjob *j;
	char why[1024];
	int first = 1;

	(void)p;
	if (argc > 1 && strncmp(argv[1], "--", 2) != 0) {
		runner = argv[1];
		first = 2;
	}
	if (parse_flags(argc, argv, first, f, 2, out) == -1)
		return;
	if (runner == NULL && (f[0].set || f[1].set)) {
		rep_err(out, "--workout and --template need a RUNNER");
		return;
	}
	if (runner == NULL) {
		if (belt_start_guest(b, why, sizeof(why)) == -1)
			rep_err(out, "not started: %s", why);
		else
			started(b, out, NULL);
		return;
	}
	if ((sr = start_new(b, runner, f[0].value, f[1].value, why,
	    sizeof(why))) == NULL) {
		rep_err(out, "not started: %s", why);
		return;
	}
	j = cjob_later(b, out, run_start);
	j->finish = finish_start;
	j->start = sr;
}

void
cmd_stop(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	char why[64];

	(void)argc;
	(void)argv;
	snprintf(why, sizeof(why), "software stop (treadctl, uid %u)",
	    (unsigned)p->uid);
	belt_stop(b, STOP_SOFTWARE, why);
	rep_ok(out, "stopped");
}

void
cmd_resume(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	const char *why;

	(void)p;
	(void)argc;
	(void)argv;
	if (belt_resume(b, &why) == -1) {
		rep_err(out, "not resumed: %s", why);
		return;
	}
	rep_ok(out, "resumed%s", b->pl.session.state == SESSION_IDLE ?
	    " (no session: the belt stays still)" : "");
}

void
cmd_end(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	const char *why;

	(void)p;
	(void)argc;
	(void)argv;
	if (pipeline_end(&b->pl, &why) == -1) {
		rep_err(out, "%s", why);
		return;
	}
	rep_ok(out, "ending: cooling down");
}

void
cmd_symptom(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	static const char *const kinds[] = {
		"pain", "leak", "heaviness", "bleeding", "other", NULL
	};
	const char *kind = argc > 1 ? argv[1] : "other", *why;
	bool ok = false;

	(void)p;
	for (const char *const *k = kinds; *k; k++)
		ok |= strcmp(*k, kind) == 0;
	if (!ok) {
		rep_err(out, "symptom '%.32s' is not one of pain, leak, "
		    "heaviness, bleeding, other", kind);
		return;
	}
	if (belt_symptom(b, kind, &why) == -1) {
		rep_err(out, "%s", why);
		return;
	}
	rep_ok(out, "noted: walking, then cool-down. Intervals stay locked "
	    "until the base is rebuilt; if it persists, see a pelvic-health "
	    "physiotherapist");
}

void
cmd_speed(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	struct pipe_caps c;
	const char *why;
	double v, cap;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], 0, 30, &v) == -1) {
		rep_err(out, "speed '%.32s' is not a number of km/h between "
		    "0 and 30", argv[1]);
		return;
	}
	if (pipeline_request_speed(&b->pl, v, &why) == -1) {
		rep_err(out, "%s", why);
		return;
	}
	/* The cap in force now: segment, HR hold, walk-down, machine. */
	cap = pipeline_speed_limit(&b->pl);
	pipeline_caps(&b->pl, &c);
	rep_set(out, "asked_kmh", json_real(v));
	rep_set(out, "cap_kmh", json_real(cap));
	rep_set(out, "capped", json_boolean(v > cap));
	if (v > cap)
		rep_ok(out, "speed %.2f km/h asked, capped at %.2f km/h%s", v,
		    cap, c.walkdown ? " (walking pace to the end of the "
		    "session)" : "");
	else
		rep_ok(out, "speed %.2f km/h", v);
}

void
cmd_incline(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	const char *why;
	double v, hi;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], -30, 40, &v) == -1) {
		rep_err(out, "incline '%.32s' is not a number of %% between "
		    "-30 and 40", argv[1]);
		return;
	}
	if (pipeline_request_incline(&b->pl, v, &why) == -1) {
		rep_err(out, "%s", why);
		return;
	}
	hi = pipeline_incline_max(&b->pl);
	if (v > hi || v < b->cfg.machine.min_incline)
		rep_ok(out, "incline %.1f %% asked, limited to %.1f..%.1f %%",
		    v, b->cfg.machine.min_incline, hi);
	else
		rep_ok(out, "incline %.1f %%", v);
}
