/*
 * Runner and staff commands: check-ins, today's plan, strength logs,
 * back-filled runs, the history listing and staff overrides.  Each write
 * is synced before the reply, so a 'plan' right after sees it.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "belt.h"
#include "commands.h"
#include "log.h"
#include "workout.h"

static const struct profile *
runner_or_reply(struct belt *b, const char *id, struct evbuffer *out)
{
	const struct profile *p;

	if (!profile_id_valid(id)) {
		reply_error(out, "'%.40s' is not a runner name (a-z, 0-9, - "
		    "and _)", id);
		return NULL;
	}
	if ((p = profile_find(&b->cfg.runners, id)) == NULL)
		reply_error(out, "no profile for runner '%s' in %s", id,
		    b->cfg.profiles.dir);
	return p;
}

static int
history_or_reply(struct belt *b, struct evbuffer *out)
{
	if (b->hist == NULL) {
		reply_error(out, "the history is unavailable: %s",
		    b->hist_error);
		return -1;
	}
	return 0;
}

static int
sync_or_reply(struct belt *b, struct evbuffer *out)
{
	if (history_sync(b->hist) == -1) {
		reply_error(out, "could not write the history: %s",
		    history_last_error(b->hist));
		return -1;
	}
	return 0;
}

static void
peer_name(const struct peer *p, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(p->uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)p->uid);
}

static void
mmss(double s, char *buf, size_t len)
{
	snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
}

static void
reply_decision(struct evbuffer *out, const struct profile *p,
    const struct decision *d)
{
	reply_data(out, "runner: %s (%s)", p->id, p->name);
	reply_data(out, "phase: %s", phase_name(d->phase));
	reply_data(out, "today: %s", day_type_name(d->day));
	reply_data(out, "caps: speed <= %.2f km/h, incline <= %.1f %%, "
	    "HR <= %d bpm, %.1f min", d->caps.max_speed, d->caps.max_incline,
	    d->caps.hr_ceiling, d->caps.max_minutes);
	reply_data(out, "progress: %s", d->progress);
	for (int i = 0; i < d->nreasons; i++)
		reply_data(out, "reason: %s", d->reasons[i]);
}

void
cmd_plan(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	const struct profile *p;
	struct decision d;
	struct session plan;
	struct workout wk;
	char why2[512], t[16];

	(void)peer;
	(void)argc;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	belt_decide(b, p, &d, why2, sizeof(why2));
	reply_decision(out, p, &d);
	if (workout_open(&wk, &plan, NULL, NULL, p, &d,
	    belt_walkrun_stage(b, p), &b->cfg, why2, sizeof(why2)) == 0) {
		reply_data(out, "workout: %s, %.1f min", plan.workout,
		    session_planned_s(&plan) / 60);
		for (int i = 0; i < plan.nseg; i++) {
			mmss(plan.seg[i].duration_s, t, sizeof(t));
			reply_data(out, "  %-16s %6s at %5.2f km/h%s",
			    plan.seg[i].label, t, plan.seg[i].speed,
			    plan.seg[i].hard ? " (hard)" : "");
		}
		workout_close(&wk);
	} else
		reply_data(out, "workout: none (%s)", why2);
	reply_ok(out, NULL);
}

void
cmd_checkin(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	struct flag f[] = {
		{ "--sleep", true, NULL, false },
		{ "--pain", true, NULL, false },
		{ "--leak", false, NULL, false },
		{ "--heaviness", false, NULL, false },
		{ "--bleeding", false, NULL, false },
		{ "--limitation", false, NULL, false },
	};
	const struct profile *p;
	struct hist_checkin c;
	struct decision d;
	char why[64];
	double v;

	(void)peer;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 6, out) == -1)
		return;
	if (!f[0].set || !f[1].set) {
		reply_error(out, "checkin needs --sleep HOURS and --pain 0-10");
		return;
	}
	memset(&c, 0, sizeof(c));
	if (parse_number(f[0].value, 0, 24, &c.sleep_h) == -1) {
		reply_error(out, "--sleep '%.16s' is not a number of hours "
		    "between 0 and 24", f[0].value);
		return;
	}
	if (parse_number(f[1].value, 0, 10, &v) == -1 || v != (int)v) {
		reply_error(out, "--pain '%.16s' is not a whole number from 0 "
		    "to 10", f[1].value);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	snprintf(c.runner, sizeof(c.runner), "%s", p->id);
	c.pain = (int)v;
	c.leak = f[2].set;
	c.heaviness = f[3].set;
	c.bleeding = f[4].set;
	c.limitation = f[5].set;
	c.at = time(NULL);
	c.day = hday_from_time(c.at);
	history_add_checkin(b->hist, &c);
	if (sync_or_reply(b, out) == -1)
		return;
	belt_decide(b, p, &d, why, sizeof(why));
	reply_decision(out, p, &d);
	reply_ok(out, "checked in: today is %s", day_type_name(d.day));
}

void
cmd_log_strength(struct belt *b, const struct peer *peer, int argc,
    char **argv, struct evbuffer *out)
{
	struct flag f[] = {
		{ "--date", true, NULL, false },
		{ "--minutes", true, NULL, false },
	};
	const struct profile *p;
	struct hist_strength s;
	char day[16];

	(void)peer;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 2, out) == -1)
		return;
	memset(&s, 0, sizeof(s));
	s.at = time(NULL);
	s.day = hday_from_time(s.at);
	s.minutes = 25;
	if (f[0].set && (hday_parse(f[0].value, &s.day) == -1 ||
	    s.day > hday_from_time(s.at))) {
		reply_error(out, "--date '%.16s' is not a past date as "
		    "YYYY-MM-DD", f[0].value);
		return;
	}
	if (f[1].set && parse_number(f[1].value, 1, 300, &s.minutes) == -1) {
		reply_error(out, "--minutes '%.16s' is not a number from 1 to "
		    "300", f[1].value);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	snprintf(s.runner, sizeof(s.runner), "%s", p->id);
	history_add_strength(b->hist, &s);
	if (sync_or_reply(b, out) == -1)
		return;
	reply_ok(out, "strength session logged for %s on %s, %.0f min",
	    p->id, hday_format(s.day, day, sizeof(day)), s.minutes);
}

void
cmd_log_run(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	struct flag f[] = {
		{ "--date", true, NULL, false },
		{ "--minutes", true, NULL, false },
		{ "--symptom", false, NULL, false },
		{ "--hard", false, NULL, false },
		{ "--time", true, NULL, false },
		{ "--running", true, NULL, false },
		{ "--stage", true, NULL, false },
	};
	const struct profile *p;
	struct hist_session r;
	double stage = 0;
	struct hist_symptom sy;
	hday_t day;
	int y, m, d;
	struct tm tm;
	char ds[16];

	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	int hh = 12, mi = 0, n = 0;

	if (parse_flags(argc, argv, 2, f, 7, out) == -1)
		return;
	memset(&r, 0, sizeof(r));
	if (f[4].set && (sscanf(f[4].value, "%2d:%2d%n", &hh, &mi, &n) != 2 ||
	    f[4].value[n] != '\0' || hh < 0 || hh > 23 || mi < 0 || mi > 59)) {
		reply_error(out, "--time '%.16s' is not HH:MM", f[4].value);
		return;
	}
	if (!f[0].set || hday_parse(f[0].value, &day) == -1 ||
	    day > hday_from_time(time(NULL))) {
		reply_error(out, "log-run needs --date as a past YYYY-MM-DD");
		return;
	}
	if (!f[1].set || parse_number(f[1].value, 1, 600, &r.actual_min) ==
	    -1) {
		reply_error(out, "log-run needs --minutes from 1 to 600");
		return;
	}
	/* Load is running minutes: all of it unless the log says less. */
	r.running_min = r.actual_min;
	if (f[5].set && parse_number(f[5].value, 0, r.actual_min,
	    &r.running_min) == -1) {
		reply_error(out, "--running '%.16s' is not a number of minutes "
		    "from 0 to --minutes (%g)", f[5].value, r.actual_min);
		return;
	}
	if (f[6].set && (parse_number(f[6].value, 1, PROFILE_STAGES_MAX,
	    &stage) == -1 || stage != (int)stage || f[3].set ||
	    (int)stage > p->nstages)) {
		reply_error(out, "--stage '%.16s' is not one of %s's walk-run "
		    "stages (1 to %d), or came with --hard", f[6].value, p->id,
		    p->nstages);
		return;
	}
	r.walking_min = r.actual_min - r.running_min;
	if (history_or_reply(b, out) == -1)
		return;
	/* A paper log often has a date but no time: call it noon. */
	hday_to_ymd(day, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	history_new_id(r.id);
	snprintf(r.runner, sizeof(r.runner), "%s", p->id);
	snprintf(r.workout, sizeof(r.workout), "%s",
	    f[3].set ? "intervals" : f[6].set ? "walkrun" : "easy");
	r.stage = f[6].set ? (int)stage - 1 : 0;
	r.hard = f[3].set;
	r.start = mktime(&tm);
	r.end = r.start + (time_t)(r.actual_min * 60);
	r.planned_min = r.actual_min;
	r.hard_min = r.hard ? r.running_min * 0.2 : 0;
	r.symptom = f[2].set;
	r.outcome = f[2].set ? HO_SYMPTOM : HO_COMPLETED;
	r.backfilled = true;
	peer_name(peer, r.treadmill, sizeof(r.treadmill));
	history_put_session(b->hist, &r);
	if (r.symptom) {
		memset(&sy, 0, sizeof(sy));
		snprintf(sy.runner, sizeof(sy.runner), "%s", p->id);
		sy.at = r.end;
		sy.day = day;
		snprintf(sy.kind, sizeof(sy.kind), "other");
		snprintf(sy.session_id, sizeof(sy.session_id), "%s", r.id);
		history_add_symptom(b->hist, &sy);
	}
	if (sync_or_reply(b, out) == -1)
		return;
	reply_ok(out, "run logged for %s on %s: %g min, %g running%s%s%s",
	    p->id, hday_format(day, ds, sizeof(ds)), r.actual_min,
	    r.running_min, r.hard ? ", hard" : "", f[6].set ?
	    ", walk-run" : "", r.symptom ? ", with a symptom" : "");
}

static void
override(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out, bool unlock)
{
	struct flag f[] = { { "--reason", true, NULL, false } };
	const struct profile *p;
	struct hist_override o;

	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 1, out) == -1)
		return;
	if (!f[0].set || strlen(f[0].value) < 3) {
		reply_error(out, "%s needs --reason with a few words",
		    unlock ? "unlock" : "lock");
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	memset(&o, 0, sizeof(o));
	snprintf(o.runner, sizeof(o.runner), "%s", p->id);
	o.at = time(NULL);
	o.unlock = unlock;
	peer_name(peer, o.staff, sizeof(o.staff));
	snprintf(o.reason, sizeof(o.reason), "%s", f[0].value);
	history_add_override(b->hist, &o);
	if (sync_or_reply(b, out) == -1)
		return;
	log_info("%s %s for %s: %s", o.staff, unlock ? "unlocked" : "locked",
	    p->id, o.reason);
	reply_ok(out, "%s %s by %s: %s", p->id, unlock ? "unlocked" : "locked",
	    o.staff, o.reason);
}

void
cmd_unlock(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	override(b, peer, argc, argv, out, true);
}

void
cmd_lock(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	override(b, peer, argc, argv, out, false);
}

void
cmd_history(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct evbuffer *out)
{
	struct flag f[] = { { "--limit", true, NULL, false } };
	const struct profile *p;
	struct runner_history h;
	char err[256], ds[16], ts[32];
	double lim = 20;
	struct tm tm;

	(void)peer;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 1, out) == -1)
		return;
	if (f[0].set && parse_number(f[0].value, 1, 10000, &lim) == -1) {
		reply_error(out, "--limit '%.16s' is not a number from 1 to "
		    "10000", f[0].value);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	if (history_list(b->hist, p->id, (int)lim, &h, err, sizeof(err)) ==
	    -1) {
		reply_error(out, "cannot read the history: %s", err);
		return;
	}
	reply_data(out, "sessions (%zu):", h.nsessions);
	for (size_t i = 0; i < h.nsessions; i++) {
		const struct hist_session *s = &h.sessions[i];
		localtime_r(&s->start, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M", &tm);
		reply_data(out, "  %s %-9s %5.1f min %5.2f km avg %4.1f km/h "
		    "HR %3d/%3d %-11s%s%s %s", ts, s->workout, s->actual_min,
		    s->distance_m / 1000, s->avg_speed, s->avg_hr, s->max_hr,
		    hist_outcome_name(s->outcome), s->symptom ? " symptom" : "",
		    s->backfilled ? " back-filled by" : " on", s->treadmill);
	}
	reply_data(out, "check-ins (%zu):", h.ncheckins);
	for (size_t i = 0; i < h.ncheckins; i++) {
		const struct hist_checkin *c = &h.checkins[i];
		reply_data(out, "  %s sleep %.1f h, pain %d%s%s%s%s",
		    hday_format(c->day, ds, sizeof(ds)), c->sleep_h, c->pain,
		    c->leak ? ", leak" : "", c->heaviness ? ", heaviness" : "",
		    c->bleeding ? ", bleeding" : "",
		    c->limitation ? ", limitation" : "");
	}
	reply_data(out, "strength (%zu):", h.nstrength);
	for (size_t i = 0; i < h.nstrength; i++)
		reply_data(out, "  %s %.0f min", hday_format(h.strength[i].day,
		    ds, sizeof(ds)), h.strength[i].minutes);
	reply_data(out, "symptoms (%zu):", h.nsymptoms);
	for (size_t i = 0; i < h.nsymptoms; i++)
		reply_data(out, "  %s %s", hday_format(h.symptoms[i].day, ds,
		    sizeof(ds)), h.symptoms[i].kind);
	reply_data(out, "staff overrides (%zu):", h.noverrides);
	for (size_t i = 0; i < h.noverrides; i++) {
		const struct hist_override *o = &h.overrides[i];
		localtime_r(&o->at, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M", &tm);
		reply_data(out, "  %s %s by %s: %s", ts, o->unlock ? "unlock" :
		    "lock", o->staff, o->reason);
	}
	history_free(&h);
	reply_ok(out, NULL);
}
