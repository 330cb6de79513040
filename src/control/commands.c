/*
 * Control socket commands.  Every reply ends with one status line; a bad
 * command or argument says what was wrong, and never changes anything.
 * Staff-only commands are checked against the staff group with the
 * peer's credentials (SO_PEERCRED).
 */
#include <errno.h>
#include <grp.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "belt.h"
#include "commands.h"
#include "log.h"

struct cmd {
	const char	*name;
	const char	*usage;
	int		 min_args, max_args;
	bool		 staff;
	cmd_fn		*fn;
	const char	*help;
};

int
parse_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end != '\0' || !isfinite(v) || v < lo ||
	    v > hi)
		return -1;
	*out = v;
	return 0;
}

int
parse_flags(int argc, char **argv, int first, struct flag *f, int n,
    struct evbuffer *out)
{
	for (int i = first; i < argc; i++) {
		int k;

		for (k = 0; k < n; k++)
			if (strcmp(argv[i], f[k].name) == 0)
				break;
		if (k == n) {
			reply_error(out, "unknown option '%.64s'", argv[i]);
			return -1;
		}
		if (f[k].set) {
			reply_error(out, "%s given twice", f[k].name);
			return -1;
		}
		f[k].set = true;
		if (f[k].has_arg) {
			if (i + 1 >= argc) {
				reply_error(out, "%s needs a value", f[k].name);
				return -1;
			}
			f[k].value = argv[++i];
		}
	}
	return 0;
}

/* Root, or a member of the configured staff group. */
static bool
is_staff(const struct belt *b, const struct peer *p)
{
	struct group *gr;
	struct passwd *pw;
	gid_t groups[64];
	int n = 64;

	if (p->uid == 0)
		return true;
	if ((gr = getgrnam(b->cfg.control.staff_group)) == NULL)
		return false;
	if (p->gid == gr->gr_gid)
		return true;
	if ((pw = getpwuid(p->uid)) == NULL)
		return false;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return true;
	return false;
}

static const char *
state_word(const struct belt *b)
{
	if (!b->drive.connected && !b->have_sample)
		return "disconnected";
	if (safety_stopped(&b->safety))
		return "stopped";
	return session_state_name(b->session.state);
}

static void
json_str(struct evbuffer *o, const char *s)
{
	evbuffer_add(o, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			evbuffer_add_printf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			evbuffer_add_printf(o, "\\u%04x", *s);
		else
			evbuffer_add(o, s, 1);
	}
	evbuffer_add(o, "\"", 1);
}

static void
json_causes(struct evbuffer *o, unsigned causes)
{
	int first = 1;

	evbuffer_add(o, "[", 1);
	for (unsigned i = 0; i < 8; i++) {
		if (!(causes & (1u << i)))
			continue;
		if (!first)
			evbuffer_add(o, ",", 1);
		json_str(o, safety_cause_name(1u << i));
		first = 0;
	}
	evbuffer_add(o, "]", 1);
}

static void
status_json(struct belt *b, struct evbuffer *out)
{
	const struct sample *s = &b->last_sample;
	const struct session *ss = &b->session;
	struct evbuffer *o = evbuffer_new();
	char desc[256];

	evbuffer_add_printf(o, "{\"state\":");
	json_str(o, state_word(b));
	evbuffer_add_printf(o, ",\"session\":");
	json_str(o, session_state_name(ss->state));
	evbuffer_add_printf(o, ",\"runner\":");
	json_str(o, ss->runner);
	evbuffer_add_printf(o, ",\"workout\":");
	json_str(o, ss->workout);
	evbuffer_add_printf(o, ",\"segment\":");
	json_str(o, session_label(ss));
	evbuffer_add_printf(o, ",\"connected\":%s,\"drive\":",
	    b->drive.connected ? "true" : "false");
	json_str(o, drive_describe(&b->drive, desc, sizeof(desc)));
	evbuffer_add_printf(o, ",\"belt_kmh\":%.2f,\"cmd_kmh\":%.2f,"
	    "\"cap_kmh\":%.2f,\"target_kmh\":%.2f,\"incline_pct\":%.1f,"
	    "\"cmd_incline_pct\":%.1f,\"hr_bpm\":%d,\"hr_ceiling\":%d,"
	    "\"run\":%s,\"elapsed_s\":%.1f,\"planned_s\":%.1f,"
	    "\"distance_m\":%.1f,\"avg_kmh\":%.2f,\"max_kmh\":%.2f,"
	    "\"hr_max\":%d,\"above_cap_s\":%.1f,\"outcome\":",
	    s->belt_speed, b->safety.cmd_speed, b->cap,
	    session_target_speed(ss), s->incline, b->safety.cmd_incline,
	    s->heart_rate, ss->state == SESSION_IDLE ? 0 :
	    session_caps(ss)->hr_ceiling, b->last_cmd.run ? "true" : "false",
	    ss->elapsed_s, session_planned_s(ss), ss->distance_m,
	    ss->elapsed_s > 0 ? ss->speed_sum / ss->elapsed_s : 0,
	    ss->max_speed, ss->hr_max, ss->above_cap_s);
	json_str(o, session_outcome_name(ss->outcome));
	evbuffer_add_printf(o, ",\"stop_causes\":");
	json_causes(o, b->safety.latched);
	evbuffer_add_printf(o, ",\"present_causes\":");
	json_causes(o, b->safety.present);
	evbuffer_add_printf(o, ",\"stop_detail\":");
	json_str(o, b->safety.detail);
	evbuffer_add_printf(o, ",\"history\":");
	json_str(o, b->hist != NULL ? "ok" : b->hist_error);
	evbuffer_add_printf(o, ",\"history_write_errors\":%lu,"
	    "\"history_spooled\":%lu,\"ticks\":%lu,"
	    "\"transactions\":%lu,\"failures\":%lu,\"connects\":%lu,"
	    "\"stop_writes\":%lu,\"heartbeat\":%u,\"tick_hz\":%g,"
	    "\"log_level\":", b->hist ? history_write_errors(b->hist) : 0,
	    b->hist ? history_spooled(b->hist) : 0, b->ticks,
	    b->drive.transactions, b->drive.failures, b->drive.reconnects,
	    b->stop_writes,
	    (unsigned)b->last_cmd.heartbeat, b->cfg.drive.tick_hz);
	json_str(o, log_level_name(log_get_level()));
	evbuffer_add_printf(o, "}\n");
	evbuffer_add_buffer(out, o);
	evbuffer_free(o);
	reply_ok(out, NULL);
}

static void
cmd_status(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	const struct sample *s = &b->last_sample;
	const struct session *ss = &b->session;
	char desc[256], causes[160];

	(void)p;
	if (argc == 2) {
		if (strcmp(argv[1], "json") != 0) {
			reply_error(out, "status takes no argument but 'json'");
			return;
		}
		status_json(b, out);
		return;
	}
	reply_data(out, "state: %s", state_word(b));
	reply_data(out, "drive: %s, %s", b->drive.connected ? "connected" :
	    "not connected", drive_describe(&b->drive, desc, sizeof(desc)));
	if (!b->drive.connected && b->drive.last_error[0])
		reply_data(out, "drive error: %s", b->drive.last_error);
	reply_data(out, "belt: %.2f km/h, commanded %.2f km/h (RUN %d), "
	    "cap %.2f km/h", s->belt_speed, b->safety.cmd_speed,
	    b->last_cmd.run, b->cap);
	reply_data(out, "incline: %.1f %%, commanded %.1f %%", s->incline,
	    b->safety.cmd_incline);
	if (s->heart_rate > 0)
		reply_data(out, "heart rate: %d bpm", s->heart_rate);
	else
		reply_data(out, "heart rate: no signal");
	if (ss->state != SESSION_IDLE) {
		reply_data(out, "session: %s%s%s, %s, %s, %d:%02d of %d:%02d, "
		    "%.2f km", ss->workout, ss->runner[0] ? " for " : "",
		    ss->runner, session_state_name(ss->state),
		    session_label(ss), (int)ss->elapsed_s / 60,
		    (int)ss->elapsed_s % 60, (int)session_planned_s(ss) / 60,
		    (int)session_planned_s(ss) % 60, ss->distance_m / 1000);
		if (session_caps(ss)->hr_ceiling > 0)
			reply_data(out, "heart-rate ceiling: %d bpm",
			    session_caps(ss)->hr_ceiling);
	}
	if (b->safety.latched) {
		reply_data(out, "stopped by: %s", safety_causes_str(
		    b->safety.latched, causes, sizeof(causes)));
		if (b->safety.detail[0])
			reply_data(out, "stop detail: %s", b->safety.detail);
		if (safety_blocking(&b->safety))
			reply_data(out, "still present: %s",
			    safety_causes_str(safety_blocking(&b->safety),
			    causes, sizeof(causes)));
		else
			reply_data(out, "the cause is gone: a person may "
			    "'resume'");
	}
	if (b->hist == NULL)
		reply_data(out, "history: unavailable: %s", b->hist_error);
	else if (history_write_errors(b->hist) > 0)
		reply_data(out, "history: %lu failed writes, last: %s",
		    history_write_errors(b->hist), history_last_error(b->hist));
	if (b->hist != NULL && strcmp(b->cfg.history.backend,
	    "postgresql") == 0) {
		const char *le = history_link_error(b->hist);
		reply_data(out, "history: postgresql, %lu rows spooled%s%s",
		    history_spooled(b->hist), le[0] ? "; " : "", le);
	}
	reply_data(out, "ticks: %lu, transactions: %lu, failures: %lu",
	    b->ticks, b->drive.transactions, b->drive.failures);
	reply_ok(out, NULL);
}

static void
cmd_start(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	struct flag f[] = {
		{ "--workout", true, NULL, false },
		{ "--template", true, NULL, false },
	};
	const char *runner = NULL;
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
		reply_error(out, "--workout and --template need a RUNNER");
		return;
	}
	if (belt_start(b, runner, f[0].value, f[1].value, why,
	    sizeof(why)) == -1) {
		reply_error(out, "not started: %s", why);
		return;
	}
	reply_ok(out, "started: %s%s%s, %.1f min", b->session.workout,
	    runner ? " for " : "", runner ? runner : "",
	    session_planned_s(&b->session) / 60);
}

static void
cmd_stop(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	char why[64];

	(void)argc;
	(void)argv;
	snprintf(why, sizeof(why), "software stop (treadctl, uid %u)",
	    (unsigned)p->uid);
	belt_stop(b, STOP_SOFTWARE, why);
	reply_ok(out, "stopped");
}

static void
cmd_resume(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	const char *why;

	(void)p;
	(void)argc;
	(void)argv;
	if (belt_resume(b, &why) == -1) {
		reply_error(out, "not resumed: %s", why);
		return;
	}
	reply_ok(out, "resumed%s", b->session.state == SESSION_IDLE ?
	    " (no session: the belt stays still)" : "");
}

static void
cmd_end(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	(void)p;
	(void)argc;
	(void)argv;
	if (b->session.state == SESSION_IDLE) {
		reply_error(out, "no session to end");
		return;
	}
	workout_event(&b->wk, TM_EV_END, 0);
	session_end(&b->session, safety_stopped(&b->safety) ?
	    OUTCOME_SAFETY_STOP : OUTCOME_STOPPED);
	reply_ok(out, "ending: cooling down");
}

static void
cmd_symptom(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
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
		reply_error(out, "symptom '%.32s' is not one of pain, leak, "
		    "heaviness, bleeding, other", kind);
		return;
	}
	if (belt_symptom(b, kind, &why) == -1) {
		reply_error(out, "%s", why);
		return;
	}
	reply_ok(out, "noted: walking, then cool-down. Intervals stay locked "
	    "until the base is rebuilt; if it persists, see a pelvic-health "
	    "physiotherapist");
}

static void
cmd_speed(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	const char *why;
	double v, cap;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], 0, 30, &v) == -1) {
		reply_error(out, "speed '%.32s' is not a number of km/h between "
		    "0 and 30", argv[1]);
		return;
	}
	if (session_request_speed(&b->session, v, &why) == -1) {
		reply_error(out, "%s", why);
		return;
	}
	workout_event(&b->wk, TM_EV_REQUEST, v);
	cap = session_caps(&b->session)->max_speed;
	if (cap > b->cfg.machine.max_speed)
		cap = b->cfg.machine.max_speed;
	if (v > cap)
		reply_ok(out, "speed %.2f km/h asked, capped at %.2f km/h", v,
		    cap);
	else
		reply_ok(out, "speed %.2f km/h", v);
}

static void
cmd_incline(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	double v, hi;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], -30, 40, &v) == -1) {
		reply_error(out, "incline '%.32s' is not a number of %% between "
		    "-30 and 40", argv[1]);
		return;
	}
	if (b->session.state != SESSION_RUNNING) {
		reply_error(out, "no session is running");
		return;
	}
	session_request_incline(&b->session, v);
	hi = session_caps(&b->session)->max_incline;
	if (hi > b->cfg.machine.max_incline)
		hi = b->cfg.machine.max_incline;
	if (v > hi || v < b->cfg.machine.min_incline)
		reply_ok(out, "incline %.1f %% asked, limited to %.1f..%.1f %%",
		    v, b->cfg.machine.min_incline, hi);
	else
		reply_ok(out, "incline %.1f %%", v);
}

static void
cmd_log_level(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	int lvl;

	(void)b;
	(void)p;
	if (argc == 1) {
		reply_ok(out, "%s", log_level_name(log_get_level()));
		return;
	}
	if ((lvl = log_level_parse(argv[1])) == -1) {
		reply_error(out, "log level '%.32s' is not one of warning, info, "
		    "debug", argv[1]);
		return;
	}
	log_set_level(lvl);
	log_warnx("log level set to %s", log_level_name(lvl));
	reply_ok(out, "%s", log_level_name(lvl));
}

static cmd_fn cmd_help;

static const struct cmd cmds[] = {
	{ "help", "help", 0, 0, false, cmd_help, "list the commands" },
	{ "status", "status [json]", 0, 1, false, cmd_status,
	    "the belt, the drive, the session and any stop" },
	{ "checkin", "checkin RUNNER --sleep H --pain N [--leak] "
	    "[--heaviness] [--bleeding] [--limitation]", 5, 9, false,
	    cmd_checkin, "today's check-in: sleep, pain 0-10, symptoms" },
	{ "plan", "plan RUNNER", 1, 1, false, cmd_plan,
	    "today's decision, its reasons, unlocking progress, the plan" },
	{ "start", "start [RUNNER [--workout easy|intervals|walk] "
	    "[--template NAME]]", 0, 5, false, cmd_start,
	    "start a session (no RUNNER: a guest at the configured pace)" },
	{ "stop", "stop", 0, 0, false, cmd_stop,
	    "stop the belt now (a safety stop; 'resume' to go on)" },
	{ "resume", "resume", 0, 0, false, cmd_resume,
	    "go on after a stop, once its cause is gone" },
	{ "end", "end", 0, 0, false, cmd_end,
	    "end the session with a cool-down" },
	{ "speed", "speed KMH", 1, 1, false, cmd_speed,
	    "ask for a speed (never above the cap)" },
	{ "incline", "incline PERCENT", 1, 1, false, cmd_incline,
	    "ask for an incline (within the caps)" },
	{ "symptom", "symptom [pain|leak|heaviness|bleeding|other]", 0, 1,
	    false, cmd_symptom, "report a symptom mid-run: walk, cool down" },
	{ "log-strength", "log-strength RUNNER [--date YYYY-MM-DD] "
	    "[--minutes M]", 1, 5, true, cmd_log_strength,
	    "record a strength session (staff)" },
	{ "log-run", "log-run RUNNER --date YYYY-MM-DD [--time HH:MM] "
	    "--minutes M [--symptom] [--hard]", 5, 10, true, cmd_log_run,
	    "back-fill a past run from a paper log (staff)" },
	{ "history", "history RUNNER [--limit N]", 1, 3, true, cmd_history,
	    "a runner's recent history (staff)" },
	{ "unlock", "unlock RUNNER --reason TEXT", 3, 3, true, cmd_unlock,
	    "unlock intervals by hand, with a reason (staff)" },
	{ "lock", "lock RUNNER --reason TEXT", 3, 3, true, cmd_lock,
	    "lock intervals by hand, with a reason (staff)" },
	{ "log-level", "log-level [warning|info|debug]", 0, 1, true,
	    cmd_log_level, "show or set the log level (staff)" },
};

static void
cmd_help(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	(void)b;
	(void)p;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		reply_data(out, "%s", cmds[i].usage);
		reply_data(out, "    %s", cmds[i].help);
	}
	reply_ok(out, NULL);
}

void
commands_dispatch(void *arg, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	struct belt *b = arg;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name) != 0)
			continue;
		if (argc - 1 < cmds[i].min_args || argc - 1 > cmds[i].max_args) {
			reply_error(out, "usage: %s", cmds[i].usage);
			return;
		}
		if (cmds[i].staff && !is_staff(b, p)) {
			reply_error(out, "'%s' is for staff: uid %u is not root "
			    "nor in group '%s'", cmds[i].name,
			    (unsigned)p->uid, b->cfg.control.staff_group);
			return;
		}
		if (strcmp(argv[0], "status") != 0)
			log_debug("control: uid %u: %s", (unsigned)p->uid,
			    argv[0]);
		cmds[i].fn(b, p, argc, argv, out);
		return;
	}
	reply_error(out, "unknown command '%.64s'; try 'help'", argv[0]);
}
