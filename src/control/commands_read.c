/*
 * Commands that read the history: today's plan and the staff listing.
 * Both run on the worker thread (cjob.h) with copies of what they need;
 * the workout's plugin comes from the loaded-plugin table, so a plan
 * does not load it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cjob.h"
#include "status.h"
#include "xmalloc.h"

static void
mmss(double s, char *buf, size_t len)
{
	snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
}

void
reply_decision(struct reply *r, const struct profile *p,
    const struct decision *d)
{
	json_t *reasons = json_array();

	rep_set(r, "runner", json_string(p->id));
	rep_set(r, "name", json_string(p->name));
	rep_set(r, "phase", json_string(phase_name(d->phase)));
	rep_set(r, "today", json_string(day_type_name(d->day)));
	rep_set(r, "caps", json_pack("{s:f, s:f, s:i, s:f}",
	    "speed_kmh", d->caps.max_speed, "incline_pct", d->caps.max_incline,
	    "hr_ceiling", d->caps.hr_ceiling, "minutes", d->caps.max_minutes));
	rep_set(r, "progress", json_string(d->progress));
	for (int i = 0; i < d->nreasons; i++)
		json_array_append_new(reasons, json_pack("{s:s, s:s}",
		    "code", d->codes[i], "text", d->reasons[i]));
	rep_set(r, "reasons", reasons);
	r->text = decision_lines;
}

void
decision_lines(const struct reply *r, struct evbuffer *out)
{
	const json_t *o = r->o, *caps = json_object_get(o, "caps");
	json_t *v;
	size_t i;

	reply_data(out, "runner: %s (%s)", rep_str(o, "runner"),
	    rep_str(o, "name"));
	reply_data(out, "phase: %s", rep_str(o, "phase"));
	reply_data(out, "today: %s", rep_str(o, "today"));
	reply_data(out, "caps: speed <= %.2f km/h, incline <= %.1f %%, "
	    "HR <= %d bpm, %.1f min", rep_num(caps, "speed_kmh"),
	    rep_num(caps, "incline_pct"), (int)rep_num(caps, "hr_ceiling"),
	    rep_num(caps, "minutes"));
	reply_data(out, "progress: %s", rep_str(o, "progress"));
	json_array_foreach(json_object_get(o, "reasons"), i, v)
		reply_data(out, "reason: %s", rep_str(v, "text"));
}

static void
plan_lines(const struct reply *r, struct evbuffer *out)
{
	const json_t *w = json_object_get(r->o, "workout");
	json_t *seg;
	size_t i;
	char t[16];

	decision_lines(r, out);
	if (json_is_integer(json_object_get(r->o, "walkrun_stage")))
		walkrun_line(out, (int)rep_num(r->o, "walkrun_stage"),
		    (int)rep_num(r->o, "walkrun_stages"));
	if (json_is_null(w)) {
		reply_data(out, "workout: none (%s)",
		    rep_str(r->o, "workout_refused"));
		return;
	}
	reply_data(out, "workout: %s, %.1f min", rep_str(w, "name"),
	    rep_num(w, "minutes"));
	json_array_foreach(json_object_get(w, "segments"), i, seg) {
		mmss(rep_num(seg, "duration_s"), t, sizeof(t));
		reply_data(out, "  %-16s %6s at %5.2f km/h%s",
		    rep_str(seg, "label"), t, rep_num(seg, "speed_kmh"),
		    json_is_true(json_object_get(seg, "hard")) ? " (hard)" : "");
	}
}

/*
 * A read after a session's end or a check-in sees it: the rows still
 * queued to the writer go first.  On the worker, never the loop.  A
 * write that fails is logged and counted; the read goes on without it.
 */
static void
read_own_writes(struct belt *b)
{
	if (b->hist != NULL)
		(void)history_sync(b->hist);
}

static void
run_plan(struct cjob *j)
{
	struct decision d;
	struct session plan;
	struct workout wk;
	char why2[512];
	json_t *segs, *w;
	int stage;

	read_own_writes(j->b);
	stage = belt_walkrun_stage(j->b, &j->prof);
	belt_decide(j->b, &j->prof, &d);
	reply_decision(&j->r, &j->prof, &d);
	j->r.text = plan_lines;
	/* The stage her history has earned, whatever today's workout. */
	if (j->prof.nstages > 0) {
		rep_set(&j->r, "walkrun_stage", json_integer(stage + 1));
		rep_set(&j->r, "walkrun_stages",
		    json_integer(j->prof.nstages));
	}
	if (workout_open(&wk, &plan, NULL, NULL, &j->prof, &d, stage,
	    j->cfg, why2, sizeof(why2)) == -1) {
		rep_set(&j->r, "workout", json_null());
		rep_set(&j->r, "workout_refused", json_string(why2));
		return;
	}
	segs = json_array();
	for (int i = 0; i < plan.nseg; i++)
		json_array_append_new(segs, json_pack("{s:s, s:f, s:f, s:b}",
		    "label", plan.seg[i].label, "duration_s",
		    plan.seg[i].duration_s, "speed_kmh", plan.seg[i].speed,
		    "hard", plan.seg[i].hard));
	w = json_pack("{s:s, s:f, s:o}", "name", plan.workout, "minutes",
	    session_planned_s(&plan) / 60, "segments", segs);
	rep_set(&j->r, "workout", w);
	workout_close(&wk);
}

void
cmd_plan(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	const struct profile *p;
	struct cjob *j;

	(void)peer;
	(void)argc;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	j = cjob_later(b, out, run_plan);
	j->prof = *p;
	/* The settings as they are now; the runners are in prof. */
	j->cfg = xmalloc(sizeof(*j->cfg));
	*j->cfg = b->cfg;
	memset(&j->cfg->runners, 0, sizeof(j->cfg->runners));
}

static json_t *
when(time_t t)
{
	struct tm tm;
	char ts[32];

	localtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M", &tm);
	return json_string(ts);
}

static json_t *
day_json(hday_t d)
{
	char ds[16];

	return json_string(hday_format(d, ds, sizeof(ds)));
}

static void
history_lines(const struct reply *r, struct evbuffer *out)
{
	const json_t *o = r->o, *a;
	json_t *v;
	size_t i;
	char stage[32];

	a = json_object_get(o, "sessions");
	reply_data(out, "sessions (%zu):", json_array_size(a));
	json_array_foreach(a, i, v) {
		stage[0] = '\0';
		if (json_is_integer(json_object_get(v, "stage")))
			snprintf(stage, sizeof(stage), ", walk-run stage %d",
			    (int)rep_num(v, "stage"));
		reply_data(out, "  %s %-9s %5.1f min (%4.1f running, %s) "
		    "%5.2f km avg %4.1f km/h HR %3d/%3d %-11s%s%s %s%s",
		    rep_str(v, "start"), rep_str(v, "workout"),
		    rep_num(v, "minutes"), rep_num(v, "running_min"),
		    rep_str(v, "unlock"),
		    rep_num(v, "distance_m") / 1000, rep_num(v, "avg_kmh"),
		    (int)rep_num(v, "avg_hr"), (int)rep_num(v, "max_hr"),
		    rep_str(v, "outcome"),
		    json_is_true(json_object_get(v, "symptom")) ? " symptom" :
		    "", json_is_true(json_object_get(v, "backfilled")) ?
		    " back-filled by" : " on", rep_str(v, "treadmill"), stage);
	}
	a = json_object_get(o, "checkins");
	reply_data(out, "check-ins (%zu):", json_array_size(a));
	json_array_foreach(a, i, v)
		reply_data(out, "  %s sleep %.1f h, pain %d%s%s%s%s",
		    rep_str(v, "date"), rep_num(v, "sleep_h"),
		    (int)rep_num(v, "pain"),
		    json_is_true(json_object_get(v, "leak")) ? ", leak" : "",
		    json_is_true(json_object_get(v, "heaviness")) ?
		    ", heaviness" : "",
		    json_is_true(json_object_get(v, "bleeding")) ?
		    ", bleeding" : "",
		    json_is_true(json_object_get(v, "limitation")) ?
		    ", limitation" : "");
	a = json_object_get(o, "strength");
	reply_data(out, "strength (%zu):", json_array_size(a));
	json_array_foreach(a, i, v)
		reply_data(out, "  %s %.0f min", rep_str(v, "date"),
		    rep_num(v, "minutes"));
	a = json_object_get(o, "symptoms");
	reply_data(out, "symptoms (%zu):", json_array_size(a));
	json_array_foreach(a, i, v)
		reply_data(out, "  %s %s", rep_str(v, "date"),
		    rep_str(v, "kind"));
	a = json_object_get(o, "overrides");
	reply_data(out, "staff overrides (%zu):", json_array_size(a));
	json_array_foreach(a, i, v)
		reply_data(out, "  %s %s by %s: %s", rep_str(v, "at"),
		    rep_str(v, "what"), rep_str(v, "staff"),
		    rep_str(v, "reason"));
}

static void
run_history(struct cjob *j)
{
	struct runner_history h;
	enum run_count *counted;
	json_t *a;
	char err[256];

	read_own_writes(j->b);
	if (history_list(j->b->hist, j->prof.id, j->limit, &h, err,
	    sizeof(err)) == -1) {
		rep_err(&j->r, "cannot read the history: %s", err);
		return;
	}
	rep_set(&j->r, "runner", json_string(j->prof.id));
	/* What a run must have to count, for the page's chart. */
	rep_set(&j->r, "run_minutes", json_real(j->prof.unlock.run_minutes));
	counted = xreallocarray(NULL, h.nsessions + 1, sizeof(*counted));
	governor_counted(&j->prof, &h, hday_from_time(time(NULL)), counted);
	a = json_array();
	for (size_t i = 0; i < h.nsessions; i++) {
		const struct hist_session *s = &h.sessions[i];

		json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:o, "
		    "s:f, s:f, s:f, s:f, s:i, s:i, s:s, s:b, s:b, s:s, s:s}",
		    "id", s->id, "start", when(s->start), "workout",
		    s->workout, "stage", walkrun_json(strcmp(s->workout,
		    "walkrun") == 0 ? s->stage + 1 : 0), "minutes",
		    s->actual_min, "running_min", s->running_min,
		    "distance_m", s->distance_m,
		    "avg_kmh", s->avg_speed, "avg_hr", s->avg_hr,
		    "max_hr", s->max_hr, "outcome",
		    hist_outcome_name(s->outcome), "symptom", s->symptom,
		    "backfilled", s->backfilled, "treadmill", s->treadmill,
		    "unlock", run_count_name(counted[i])));
	}
	free(counted);
	rep_set(&j->r, "sessions", a);
	a = json_array();
	for (size_t i = 0; i < h.ncheckins; i++) {
		const struct hist_checkin *c = &h.checkins[i];

		json_array_append_new(a, json_pack("{s:o, s:f, s:i, s:b, s:b, "
		    "s:b, s:b}", "date", day_json(c->day), "sleep_h",
		    c->sleep_h, "pain", c->pain, "leak", c->leak, "heaviness",
		    c->heaviness, "bleeding", c->bleeding, "limitation",
		    c->limitation));
	}
	rep_set(&j->r, "checkins", a);
	a = json_array();
	for (size_t i = 0; i < h.nstrength; i++)
		json_array_append_new(a, json_pack("{s:o, s:f}", "date",
		    day_json(h.strength[i].day), "minutes",
		    h.strength[i].minutes));
	rep_set(&j->r, "strength", a);
	a = json_array();
	for (size_t i = 0; i < h.nsymptoms; i++)
		json_array_append_new(a, json_pack("{s:o, s:s}", "date",
		    day_json(h.symptoms[i].day), "kind", h.symptoms[i].kind));
	rep_set(&j->r, "symptoms", a);
	a = json_array();
	for (size_t i = 0; i < h.noverrides; i++) {
		const struct hist_override *o = &h.overrides[i];

		json_array_append_new(a, json_pack("{s:o, s:s, s:s, s:s}",
		    "at", when(o->at), "what", o->clear ? "clear" :
		    o->unlock ? "unlock" : "lock", "staff", o->staff,
		    "reason", o->reason));
	}
	rep_set(&j->r, "overrides", a);
	j->r.text = history_lines;
	history_free(&h);
}

void
cmd_history(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	struct flag f[] = { { "--limit", true, NULL, false } };
	const struct profile *p;
	double lim = 20;
	struct cjob *j;

	(void)peer;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 1, out) == -1)
		return;
	if (f[0].set && parse_number(f[0].value, 1, 10000, &lim) == -1) {
		rep_err(out, "--limit '%.16s' is not a number from 1 to "
		    "10000", f[0].value);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	j = cjob_later(b, out, run_history);
	j->prof = *p;
	j->limit = (int)lim;
}
