/*
 * Runner and staff commands that write: check-ins, strength logs,
 * back-filled runs and staff overrides.  The row is queued on the loop;
 * the reply waits, on the worker thread, until it is on disk, so a
 * 'plan' right after sees it, and the tick never waits for the disk.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cjob.h"
#include "log.h"
#include "workout.h"

const struct profile *
runner_or_reply(struct belt *b, const char *id, struct reply *out)
{
	const struct profile *p;

	if (!profile_id_valid(id)) {
		rep_err(out, "'%.40s' is not a runner name (a-z, 0-9, - "
		    "and _)", id);
		return NULL;
	}
	if ((p = profile_find(&b->cfg.runners, id)) == NULL)
		rep_err(out, "no profile for runner '%s' in %s", id,
		    b->cfg.profiles.dir);
	return p;
}

int
history_or_reply(struct belt *b, struct reply *out)
{
	if (b->hist == NULL) {
		rep_err(out, "the history is unavailable: %s",
		    b->hist_error);
		return -1;
	}
	return 0;
}

/* On the worker: wait for the queued writes, then (checkin) decide. */
static void
run_synced(struct cjob *j)
{
	struct decision d;

	if (history_sync(j->b->hist) == -1) {
		rep_err(&j->r, "could not write the history: %s",
		    history_last_error(j->b->hist));
		return;
	}
	if (!j->decide)
		return;
	belt_decide(j->b, &j->prof, &d);
	reply_decision(&j->r, &j->prof, &d);
	rep_ok(&j->r, "checked in: today is %s", day_type_name(d.day));
}

/* The reply r (its text already set) once the queued writes are on disk. */
static struct cjob *
when_synced(struct belt *b, struct reply *r)
{
	struct cjob *j = cjob_later(b, r, run_synced);

	j->sync = true;
	return j;
}

void
peer_name(const struct peer *p, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(p->uid);

	if (pw != NULL)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)p->uid);
}

void
cmd_checkin(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
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
	struct cjob *j;
	double v;

	(void)peer;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 6, out) == -1)
		return;
	if (!f[0].set || !f[1].set) {
		rep_err(out, "checkin needs --sleep HOURS and --pain 0-10");
		return;
	}
	memset(&c, 0, sizeof(c));
	if (parse_number(f[0].value, 0, 24, &c.sleep_h) == -1) {
		rep_err(out, "--sleep '%.16s' is not a number of hours "
		    "between 0 and 24", f[0].value);
		return;
	}
	if (parse_number(f[1].value, 0, 10, &v) == -1 || v != (int)v) {
		rep_err(out, "--pain '%.16s' is not a whole number from 0 "
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
	j = when_synced(b, out);
	j->prof = *p;
	j->decide = true;
}

void
cmd_log_strength(struct belt *b, const struct peer *peer, int argc,
    char **argv, struct reply *out)
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
		rep_err(out, "--date '%.16s' is not a past date as "
		    "YYYY-MM-DD", f[0].value);
		return;
	}
	if (f[1].set && parse_number(f[1].value, 1, 300, &s.minutes) == -1) {
		rep_err(out, "--minutes '%.16s' is not a number from 1 to "
		    "300", f[1].value);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	snprintf(s.runner, sizeof(s.runner), "%s", p->id);
	history_add_strength(b->hist, &s);
	when_synced(b, out);
	rep_set(out, "runner", json_string(p->id));
	rep_set(out, "date", json_string(hday_format(s.day, day,
	    sizeof(day))));
	rep_set(out, "minutes", json_real(s.minutes));
	rep_ok(out, "strength session logged for %s on %s, %.0f min",
	    p->id, hday_format(s.day, day, sizeof(day)), s.minutes);
}

void
cmd_log_run(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
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
		rep_err(out, "--time '%.16s' is not HH:MM", f[4].value);
		return;
	}
	if (!f[0].set || hday_parse(f[0].value, &day) == -1 ||
	    day > hday_from_time(time(NULL))) {
		rep_err(out, "log-run needs --date as a past YYYY-MM-DD");
		return;
	}
	if (!f[1].set || parse_number(f[1].value, 1, 600, &r.actual_min) ==
	    -1) {
		rep_err(out, "log-run needs --minutes from 1 to 600");
		return;
	}
	/* Load is running minutes: all of it unless the log says less. */
	r.running_min = r.actual_min;
	if (f[5].set && parse_number(f[5].value, 0, r.actual_min,
	    &r.running_min) == -1) {
		rep_err(out, "--running '%.16s' is not a number of minutes "
		    "from 0 to --minutes (%g)", f[5].value, r.actual_min);
		return;
	}
	if (f[6].set && (parse_number(f[6].value, 1, PROFILE_STAGES_MAX,
	    &stage) == -1 || stage != (int)stage || f[3].set ||
	    (int)stage > p->nstages)) {
		rep_err(out, "--stage '%.16s' is not one of %s's walk-run "
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
	when_synced(b, out);
	rep_set(out, "runner", json_string(p->id));
	rep_set(out, "id", json_string(r.id));
	rep_set(out, "date", json_string(hday_format(day, ds, sizeof(ds))));
	rep_set(out, "minutes", json_real(r.actual_min));
	rep_set(out, "running_minutes", json_real(r.running_min));
	if (f[6].set)
		rep_set(out, "stage", json_integer(r.stage + 1));
	rep_set(out, "hard", json_boolean(r.hard));
	rep_set(out, "symptom", json_boolean(r.symptom));
	rep_ok(out, "run logged for %s on %s: %g min, %g running%s%s%s",
	    p->id, hday_format(day, ds, sizeof(ds)), r.actual_min,
	    r.running_min, r.hard ? ", hard" : "", f[6].set ?
	    ", walk-run" : "", r.symptom ? ", with a symptom" : "");
}

enum ovr { OVR_UNLOCK, OVR_LOCK, OVR_CLEAR };

static void
override(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out, enum ovr what)
{
	static const char *const verb[] = { "unlock", "lock", "clear" };
	static const char *const done[] = { "unlocked", "locked", "cleared" };
	struct flag f[] = { { "--reason", true, NULL, false } };
	const struct profile *p;
	struct hist_override o;

	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (parse_flags(argc, argv, 2, f, 1, out) == -1)
		return;
	if (!f[0].set || strlen(f[0].value) < 3) {
		rep_err(out, "%s needs --reason with a few words",
		    verb[what]);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	memset(&o, 0, sizeof(o));
	snprintf(o.runner, sizeof(o.runner), "%s", p->id);
	o.at = time(NULL);
	o.unlock = what == OVR_UNLOCK;
	o.clear = what == OVR_CLEAR;
	peer_name(peer, o.staff, sizeof(o.staff));
	snprintf(o.reason, sizeof(o.reason), "%s", f[0].value);
	history_add_override(b->hist, &o);
	when_synced(b, out);
	/* The reason may name her symptoms: at debug only. */
	log_info("%s %s %s", o.staff, done[what], p->id);
	log_debug("%s %s %s: %s", o.staff, done[what], p->id, o.reason);
	rep_set(out, "runner", json_string(p->id));
	rep_set(out, "override", json_string(verb[what]));
	rep_set(out, "staff", json_string(o.staff));
	rep_set(out, "reason", json_string(o.reason));
	rep_ok(out, "%s %s by %s: %s", p->id, done[what], o.staff, o.reason);
}

void
cmd_unlock(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	override(b, peer, argc, argv, out, OVR_UNLOCK);
}

void
cmd_lock(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	override(b, peer, argc, argv, out, OVR_LOCK);
}

void
cmd_clear(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	override(b, peer, argc, argv, out, OVR_CLEAR);
}

