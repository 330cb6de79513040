/*
 * Control socket commands.  Every reply ends with one status line; a bad
 * command or argument says what was wrong, and never changes anything.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "belt.h"
#include "commands.h"
#include "log.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

struct cmd {
	const char	*name;
	const char	*usage;
	int		 min_args, max_args;
	void		(*fn)(struct belt *, const struct peer *, int, char **,
			    struct evbuffer *);
	const char	*help;
};

static int
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
	size_t len;

	evbuffer_add_printf(o, "{\"state\":");
	json_str(o, state_word(b));
	evbuffer_add_printf(o, ",\"session\":");
	json_str(o, session_state_name(ss->state));
	evbuffer_add_printf(o, ",\"connected\":%s,\"drive\":",
	    b->drive.connected ? "true" : "false");
	json_str(o, drive_describe(&b->drive, desc, sizeof(desc)));
	evbuffer_add_printf(o, ",\"belt_kmh\":%.2f,\"cmd_kmh\":%.2f,"
	    "\"cap_kmh\":%.2f,\"target_kmh\":%.2f,\"incline_pct\":%.1f,"
	    "\"cmd_incline_pct\":%.1f,\"hr_bpm\":%d,\"run\":%s,"
	    "\"elapsed_s\":%.1f,\"planned_s\":%.1f,\"distance_m\":%.1f,"
	    "\"avg_kmh\":%.2f,\"max_kmh\":%.2f,\"hr_max\":%d,\"outcome\":",
	    s->belt_speed, b->safety.cmd_speed,
	    ss->state == SESSION_IDLE ? 0.0 : ss->cap,
	    session_target_speed(ss), s->incline, b->safety.cmd_incline,
	    s->heart_rate, b->last_cmd.run ? "true" : "false",
	    ss->elapsed_s, ss->planned_s, ss->distance_m,
	    ss->elapsed_s > 0 ? ss->speed_sum / ss->elapsed_s : 0,
	    ss->max_speed, ss->hr_max);
	json_str(o, session_outcome_name(ss->outcome));
	evbuffer_add_printf(o, ",\"stop_causes\":");
	json_causes(o, b->safety.latched);
	evbuffer_add_printf(o, ",\"present_causes\":");
	json_causes(o, b->safety.present);
	evbuffer_add_printf(o, ",\"stop_detail\":");
	json_str(o, b->safety.detail);
	evbuffer_add_printf(o, ",\"ticks\":%lu,\"transactions\":%lu,"
	    "\"failures\":%lu,\"connects\":%lu,\"stop_writes\":%lu,"
	    "\"heartbeat\":%u,\"tick_hz\":%g,\"log_level\":",
	    b->ticks, b->drive.transactions, b->drive.failures,
	    b->drive.reconnects, b->stop_writes,
	    (unsigned)b->last_cmd.heartbeat, b->cfg.drive.tick_hz);
	json_str(o, log_level_name(log_get_level()));
	evbuffer_add_printf(o, "}");
	len = evbuffer_get_length(o);
	{
		char *line = malloc(len + 1);
		if (line != NULL) {
			evbuffer_remove(o, line, len);
			line[len] = '\0';
			evbuffer_add_printf(out, "%s\n", line);
			free(line);
		}
	}
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
	    b->last_cmd.run, ss->state == SESSION_IDLE ? 0.0 : ss->cap);
	reply_data(out, "incline: %.1f %%, commanded %.1f %%", s->incline,
	    b->safety.cmd_incline);
	if (s->heart_rate > 0)
		reply_data(out, "heart rate: %d bpm", s->heart_rate);
	else
		reply_data(out, "heart rate: no signal");
	if (ss->state != SESSION_IDLE)
		reply_data(out, "session: %s, %d:%02d of %d:%02d, %.2f km",
		    session_state_name(ss->state), (int)ss->elapsed_s / 60,
		    (int)ss->elapsed_s % 60, (int)ss->planned_s / 60,
		    (int)ss->planned_s % 60, ss->distance_m / 1000);
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
	reply_data(out, "ticks: %lu, transactions: %lu, failures: %lu",
	    b->ticks, b->drive.transactions, b->drive.failures);
	reply_ok(out, NULL);
}

static void
cmd_start(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	const char *why;

	(void)p;
	(void)argc;
	(void)argv;
	if (belt_start(b, &why) == -1) {
		reply_error(out, "not started: %s", why);
		return;
	}
	reply_ok(out, "started: %.2f km/h for %.1f min", b->session.pace,
	    b->session.planned_s / 60);
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
	session_end(&b->session, safety_stopped(&b->safety) ?
	    OUTCOME_SAFETY_STOP : OUTCOME_STOPPED);
	reply_ok(out, "ending: cooling down");
}

static void
cmd_speed(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	const char *why;
	double v;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], 0, 30, &v) == -1) {
		reply_error(out, "speed '%s' is not a number of km/h between "
		    "0 and 30", argv[1]);
		return;
	}
	if (session_request_speed(&b->session, v, &why) == -1) {
		reply_error(out, "%s", why);
		return;
	}
	if (v > b->session.cap)
		reply_ok(out, "speed %.2f km/h asked, capped at %.2f km/h", v,
		    b->session.cap);
	else
		reply_ok(out, "speed %.2f km/h", v);
}

static void
cmd_incline(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	double v;

	(void)p;
	(void)argc;
	if (parse_number(argv[1], -30, 40, &v) == -1) {
		reply_error(out, "incline '%s' is not a number of %% between "
		    "-30 and 40", argv[1]);
		return;
	}
	if (b->session.state != SESSION_RUNNING) {
		reply_error(out, "no session is running");
		return;
	}
	session_request_incline(&b->session, v);
	if (v > b->cfg.machine.max_incline || v < b->cfg.machine.min_incline)
		reply_ok(out, "incline %.1f %% asked, limited to %.1f..%.1f %%",
		    v, b->cfg.machine.min_incline, b->cfg.machine.max_incline);
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
		reply_error(out, "log level '%s' is not one of warning, info, "
		    "debug", argv[1]);
		return;
	}
	log_set_level(lvl);
	log_info("log level set to %s", log_level_name(lvl));
	reply_ok(out, "%s", log_level_name(lvl));
}

static void cmd_help(struct belt *, const struct peer *, int, char **,
    struct evbuffer *);

static const struct cmd cmds[] = {
	{ "help", "help", 0, 0, cmd_help, "list the commands" },
	{ "status", "status [json]", 0, 1, cmd_status,
	    "the belt, the drive, the session and any stop" },
	{ "start", "start", 0, 0, cmd_start, "start a session" },
	{ "stop", "stop", 0, 0, cmd_stop,
	    "stop the belt now (a safety stop; 'resume' to go on)" },
	{ "resume", "resume", 0, 0, cmd_resume,
	    "go on after a stop, once its cause is gone" },
	{ "end", "end", 0, 0, cmd_end, "end the session with a cool-down" },
	{ "speed", "speed KMH", 1, 1, cmd_speed,
	    "ask for a speed (never above the cap)" },
	{ "incline", "incline PERCENT", 1, 1, cmd_incline,
	    "ask for an incline (within the machine's range)" },
	{ "log-level", "log-level [warning|info|debug]", 0, 1, cmd_log_level,
	    "show or set the log level" },
};

static void
cmd_help(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	(void)b;
	(void)p;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		reply_data(out, "%-34s %s", cmds[i].usage, cmds[i].help);
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
		if (strcmp(argv[0], "status") != 0)
			log_debug("control: uid %u: %s", (unsigned)p->uid,
			    argv[0]);
		cmds[i].fn(b, p, argc, argv, out);
		return;
	}
	reply_error(out, "unknown command '%.64s'; try 'help'", argv[0]);
}
