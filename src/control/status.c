/*
 * The status snapshot and its two renderings.  Every number here is read
 * from the belt or asked of the pipeline; nothing is recomputed.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "belt.h"
#include "control.h"
#include "log.h"
#include "profile_load.h"
#include "status.h"

void
status_fill(const struct belt *b, struct status *st)
{
	const struct pipeline *pl = &b->pl;
	const struct session *ss = &pl->session;
	const struct sample *s = &pl->smp;
	struct pipe_caps caps;

	memset(st, 0, sizeof(*st));
	pipeline_caps(pl, &caps);
	if (!b->drive.connected && !pl->have_sample)
		st->state = "disconnected";
	else if (safety_stopped(&pl->safety))
		st->state = "stopped";
	else
		st->state = session_state_name(ss->state);
	st->session = session_state_name(ss->state);
	snprintf(st->runner, sizeof(st->runner), "%s", ss->runner);
	snprintf(st->workout, sizeof(st->workout), "%s", ss->workout);
	snprintf(st->segment, sizeof(st->segment), "%s", session_label(ss));
	/* The stage the session was planned with, of her profile's. */
	if (strcmp(ss->workout, "walkrun") == 0) {
		const struct profile *p = profile_find(&b->cfg.runners,
		    ss->runner);

		st->walkrun_stage = ss->stage + 1;
		st->walkrun_stages = p != NULL ? p->nstages : 0;
	}
	st->connected = b->drive.connected;
	drive_describe(&b->drive, st->drive, sizeof(st->drive));
	if (!b->drive.connected)
		snprintf(st->drive_error, sizeof(st->drive_error), "%s",
		    b->drive.last_error);
	st->belt_kmh = s->belt_speed;
	st->cmd_kmh = pl->safety.cmd_speed;
	st->cap_kmh = caps.speed;
	st->walkdown = caps.walkdown;
	st->target_kmh = session_target_speed(ss);
	st->incline_pct = s->incline;
	st->cmd_incline_pct = pl->safety.cmd_incline;
	st->hr_bpm = s->heart_rate;
	st->hr_ceiling = caps.hr_ceiling;
	st->run = b->last_cmd.run;
	st->elapsed_s = ss->elapsed_s;
	st->planned_s = session_planned_s(ss);
	st->distance_m = ss->distance_m;
	st->avg_kmh = ss->elapsed_s > 0 ? ss->speed_sum / ss->elapsed_s : 0;
	st->max_kmh = ss->max_speed;
	st->hr_max = ss->hr_max;
	st->above_cap_s = ss->above_cap_s;
	st->outcome = session_outcome_name(ss->outcome);
	st->stop_causes = pl->safety.latched;
	st->present_causes = pl->safety.present;
	st->blocking = safety_blocking(&pl->safety);
	snprintf(st->stop_detail, sizeof(st->stop_detail), "%s",
	    pl->safety.detail);
	st->history_ok = b->hist != NULL;
	snprintf(st->history, sizeof(st->history), "%s", b->hist != NULL ?
	    "ok" : b->hist_error);
	if (b->hist != NULL) {
		st->history_write_errors = history_write_errors(b->hist);
		st->history_spooled = history_spooled(b->hist);
		snprintf(st->history_last_error, sizeof(st->history_last_error),
		    "%s", history_last_error(b->hist));
		snprintf(st->history_link_error, sizeof(st->history_link_error),
		    "%s", history_link_error(b->hist));
		st->history_pg = strcmp(b->cfg.history.backend,
		    "postgresql") == 0;
	}
	st->ticks = b->ticks;
	st->transactions = b->drive.transactions;
	st->failures = b->drive.failures;
	st->connects = b->drive.reconnects;
	st->stop_writes = b->stop_writes;
	st->heartbeat = b->last_cmd.heartbeat;
	st->tick_hz = b->cfg.drive.tick_hz;
	st->log_level = log_level_name(log_get_level());
}

void
walkrun_line(struct evbuffer *out, int stage, int stages)
{
	if (stages > 0)
		reply_data(out, "walk-run stage: %d of %d", stage, stages);
	else
		reply_data(out, "walk-run stage: %d", stage);
}

json_t *
walkrun_json(int stage)
{
	return stage > 0 ? json_integer(stage) : json_null();
}

void
status_text(const struct status *st, struct evbuffer *out)
{
	char causes[160];

	reply_data(out, "state: %s", st->state);
	reply_data(out, "drive: %s, %s", st->connected ? "connected" :
	    "not connected", st->drive);
	if (st->drive_error[0])
		reply_data(out, "drive error: %s", st->drive_error);
	reply_data(out, "belt: %.2f km/h, commanded %.2f km/h (RUN %d), "
	    "cap %.2f km/h%s", st->belt_kmh, st->cmd_kmh, st->run,
	    st->cap_kmh, st->walkdown ? " (walk-down)" : "");
	reply_data(out, "incline: %.1f %%, commanded %.1f %%",
	    st->incline_pct, st->cmd_incline_pct);
	if (st->hr_bpm > 0)
		reply_data(out, "heart rate: %d bpm", st->hr_bpm);
	else
		reply_data(out, "heart rate: no signal");
	if (strcmp(st->session, "idle") != 0) {
		reply_data(out, "session: %s%s%s, %s, %s, %d:%02d of %d:%02d, "
		    "%.2f km", st->workout, st->runner[0] ? " for " : "",
		    st->runner, st->session, st->segment,
		    (int)st->elapsed_s / 60, (int)st->elapsed_s % 60,
		    (int)st->planned_s / 60, (int)st->planned_s % 60,
		    st->distance_m / 1000);
		if (st->walkrun_stage > 0)
			walkrun_line(out, st->walkrun_stage,
			    st->walkrun_stages);
		if (st->hr_ceiling > 0)
			reply_data(out, "heart-rate ceiling: %d bpm",
			    st->hr_ceiling);
	}
	if (st->stop_causes) {
		reply_data(out, "stopped by: %s", safety_causes_str(
		    st->stop_causes, causes, sizeof(causes)));
		if (st->stop_detail[0])
			reply_data(out, "stop detail: %s", st->stop_detail);
		if (st->blocking)
			reply_data(out, "still present: %s", safety_causes_str(
			    st->blocking, causes, sizeof(causes)));
		else
			reply_data(out, "the cause is gone: a person may "
			    "'resume'");
	}
	if (!st->history_ok)
		reply_data(out, "history: unavailable: %s", st->history);
	else if (st->history_write_errors > 0)
		reply_data(out, "history: %lu failed writes, last: %s",
		    st->history_write_errors, st->history_last_error);
	if (st->history_pg)
		reply_data(out, "history: postgresql, %lu rows spooled%s%s",
		    st->history_spooled, st->history_link_error[0] ? "; " : "",
		    st->history_link_error);
	reply_data(out, "ticks: %lu, transactions: %lu, failures: %lu",
	    st->ticks, st->transactions, st->failures);
}

/* Rounded as the text shows them, so JSON reads the same numbers. */
static json_t *
num(double v, double scale)
{
	return json_real(round(v * scale) / scale);
}

json_t *
status_causes(unsigned c)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < 8; i++)
		if (c & (1u << i))
			json_array_append_new(a, json_string(
			    safety_cause_name(1u << i)));
	return a;
}

json_t *
status_json(const struct status *st)
{
	json_t *o = json_object();

	json_object_set_new(o, "state", json_string(st->state));
	json_object_set_new(o, "session", json_string(st->session));
	json_object_set_new(o, "runner", json_string(st->runner));
	json_object_set_new(o, "workout", json_string(st->workout));
	json_object_set_new(o, "segment", json_string(st->segment));
	json_object_set_new(o, "walkrun_stage", walkrun_json(
	    st->walkrun_stage));
	json_object_set_new(o, "walkrun_stages", walkrun_json(
	    st->walkrun_stages));
	json_object_set_new(o, "connected", json_boolean(st->connected));
	json_object_set_new(o, "drive", json_string(st->drive));
	json_object_set_new(o, "belt_kmh", num(st->belt_kmh, 100));
	json_object_set_new(o, "cmd_kmh", num(st->cmd_kmh, 100));
	json_object_set_new(o, "cap_kmh", num(st->cap_kmh, 100));
	json_object_set_new(o, "walkdown", json_boolean(st->walkdown));
	json_object_set_new(o, "target_kmh", num(st->target_kmh, 100));
	json_object_set_new(o, "incline_pct", num(st->incline_pct, 10));
	json_object_set_new(o, "cmd_incline_pct", num(st->cmd_incline_pct,
	    10));
	json_object_set_new(o, "hr_bpm", json_integer(st->hr_bpm));
	json_object_set_new(o, "hr_ceiling", json_integer(st->hr_ceiling));
	json_object_set_new(o, "run", json_boolean(st->run));
	json_object_set_new(o, "elapsed_s", num(st->elapsed_s, 10));
	json_object_set_new(o, "planned_s", num(st->planned_s, 10));
	json_object_set_new(o, "distance_m", num(st->distance_m, 10));
	json_object_set_new(o, "avg_kmh", num(st->avg_kmh, 100));
	json_object_set_new(o, "max_kmh", num(st->max_kmh, 100));
	json_object_set_new(o, "hr_max", json_integer(st->hr_max));
	json_object_set_new(o, "above_cap_s", num(st->above_cap_s, 10));
	json_object_set_new(o, "outcome", json_string(st->outcome));
	json_object_set_new(o, "stop_causes", status_causes(st->stop_causes));
	json_object_set_new(o, "present_causes", status_causes(st->present_causes));
	json_object_set_new(o, "stop_detail", json_string(st->stop_detail));
	json_object_set_new(o, "history", json_string(st->history));
	json_object_set_new(o, "history_write_errors",
	    json_integer((json_int_t)st->history_write_errors));
	json_object_set_new(o, "history_spooled",
	    json_integer((json_int_t)st->history_spooled));
	json_object_set_new(o, "ticks", json_integer((json_int_t)st->ticks));
	json_object_set_new(o, "transactions",
	    json_integer((json_int_t)st->transactions));
	json_object_set_new(o, "failures",
	    json_integer((json_int_t)st->failures));
	json_object_set_new(o, "connects",
	    json_integer((json_int_t)st->connects));
	json_object_set_new(o, "stop_writes",
	    json_integer((json_int_t)st->stop_writes));
	json_object_set_new(o, "heartbeat", json_integer(st->heartbeat));
	json_object_set_new(o, "tick_hz", json_real(st->tick_hz));
	json_object_set_new(o, "log_level", json_string(st->log_level));
	return o;
}
