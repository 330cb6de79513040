/*
 * Control socket commands.  Every reply ends with one status line; a bad
 * command or argument says what was wrong, and never changes anything.
 * Who may run a command is checked with the peer's credentials
 * (SO_PEERCRED): staff (root, the staff group) may run all; the console
 * (control.group) those that show or write a runner's health data too;
 * anyone else who can connect, the belt's state and its stop only.
 */
#include <errno.h>
#include <grp.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "access.h"
#include "cjob.h"
#include "log.h"
#include "status.h"


struct cmd {
	const char	*name;
	const char	*usage;
	int		 min_args, max_args;
	enum access	 who;
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
    struct reply *out)
{
	for (int i = first; i < argc; i++) {
		int k;

		for (k = 0; k < n; k++)
			if (strcmp(argv[i], f[k].name) == 0)
				break;
		if (k == n) {
			rep_err(out, "unknown option '%.64s'", argv[i]);
			return -1;
		}
		if (f[k].set) {
			rep_err(out, "%s given twice", f[k].name);
			return -1;
		}
		f[k].set = true;
		if (f[k].has_arg) {
			if (i + 1 >= argc) {
				rep_err(out, "%s needs a value", f[k].name);
				return -1;
			}
			f[k].value = argv[++i];
		}
	}
	return 0;
}

static void
status_lines(const struct reply *r, struct evbuffer *out)
{
	status_text(r->ctx, out);
}

static void
cmd_status(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *r)
{
	static struct status st;

	(void)p;
	(void)argc;
	(void)argv;
	/* Rendered before the next request: one snapshot is enough. */
	status_fill(b, &st);
	r->o = status_json(&st);
	r->text = status_lines;
	r->ctx = &st;
}

static void
cmd_log_level(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *out)
{
	int lvl;

	(void)b;
	(void)p;
	if (argc == 1) {
		rep_set(out, "log_level", json_string(log_level_name(
		    log_get_level())));
		rep_ok(out, "%s", log_level_name(log_get_level()));
		return;
	}
	if ((lvl = log_level_parse(argv[1])) == -1) {
		rep_err(out, "log level '%.32s' is not one of warning, info, "
		    "debug", argv[1]);
		return;
	}
	log_set_level(lvl);
	log_warnx("log level set to %s", log_level_name(lvl));
	rep_set(out, "log_level", json_string(log_level_name(lvl)));
	rep_ok(out, "%s", log_level_name(lvl));
}

static reload_fn *reload_hook;
static void *reload_arg;

void
commands_set_reload(reload_fn *fn, void *arg)
{
	reload_hook = fn;
	reload_arg = arg;
}

static void
reload_lines(const struct reply *r, struct evbuffer *out)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(r->o, "errors"), i, e)
		reply_data(out, "%s", json_string_value(e));
}

/* The daemon reloads; every error is a data line, the verdict the status
 * line ("error" unless everything applied, so systemctl reload fails). */
static void
cmd_reload(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *r)
{
	struct errlist errs = { 0 };
	char verdict[700];
	json_t *a;
	int rc;

	(void)b;
	(void)argc;
	(void)argv;
	if (reload_hook == NULL) {
		rep_err(r, "this daemon cannot reload");
		return;
	}
	log_info("reload asked for by uid %u", (unsigned)p->uid);
	rc = reload_hook(reload_arg, &errs, verdict, sizeof(verdict));
	a = json_array();
	for (size_t i = 0; i < errs.n; i++)
		json_array_append_new(a, json_string(errs.msgs[i]));
	rep_set(r, "errors", a);
	r->text = reload_lines;
	if (rc == 0)
		rep_ok(r, "%s", verdict);
	else
		rep_err(r, "%s", verdict);
	errlist_free(&errs);
}

static cmd_fn cmd_help;

static const struct cmd cmds[] = {
	{ "help", "help", 0, 0, ACCESS_ANYONE, cmd_help,
	    "list the commands" },
	{ "status", "status [json]", 0, 0, ACCESS_ANYONE, cmd_status,
	    "the belt, the drive, the session and any stop" },
	{ "checkin", "checkin RUNNER --sleep H --pain N [--leak] "
	    "[--heaviness] [--bleeding] [--limitation]", 5, 9, ACCESS_HEALTH,
	    cmd_checkin, "today's check-in: sleep, pain 0-10, symptoms" },
	{ "plan", "plan RUNNER", 1, 1, ACCESS_HEALTH, cmd_plan,
	    "today's decision, its reasons, unlocking progress, the plan" },
	{ "start", "start [RUNNER [--workout easy|intervals|walk] "
	    "[--template NAME]]", 0, 5, ACCESS_ANYONE, cmd_start,
	    "start a session (no RUNNER: a guest at the configured pace)" },
	{ "stop", "stop", 0, 0, ACCESS_ANYONE, cmd_stop,
	    "stop the belt now (a safety stop; 'resume' to go on)" },
	{ "resume", "resume", 0, 0, ACCESS_ANYONE, cmd_resume,
	    "go on after a stop, once its cause is gone" },
	{ "end", "end", 0, 0, ACCESS_ANYONE, cmd_end,
	    "end the session with a cool-down" },
	{ "speed", "speed KMH", 1, 1, ACCESS_ANYONE, cmd_speed,
	    "ask for a speed (never above the cap)" },
	{ "incline", "incline PERCENT", 1, 1, ACCESS_ANYONE, cmd_incline,
	    "ask for an incline (within the caps)" },
	{ "symptom", "symptom [pain|leak|heaviness|bleeding|other]", 0, 1,
	    ACCESS_HEALTH, cmd_symptom, "report a symptom mid-run: walk, cool down" },
	{ "log-strength", "log-strength RUNNER [--date YYYY-MM-DD] "
	    "[--minutes M]", 1, 5, ACCESS_STAFF, cmd_log_strength,
	    "record a strength session (staff)" },
	{ "log-run", "log-run RUNNER --date YYYY-MM-DD [--time HH:MM] "
	    "--minutes M [--symptom] [--hard]", 5, 10, ACCESS_STAFF,
	    cmd_log_run,
	    "back-fill a past run from a paper log (staff)" },
	{ "history", "history RUNNER [--limit N]", 1, 3, ACCESS_STAFF,
	    cmd_history,
	    "a runner's recent history (staff)" },
	{ "unlock", "unlock RUNNER --reason TEXT", 3, 3, ACCESS_STAFF,
	    cmd_unlock,
	    "unlock intervals by hand, with a reason (staff)" },
	{ "lock", "lock RUNNER --reason TEXT", 3, 3, ACCESS_STAFF,
	    cmd_lock,
	    "lock intervals by hand, with a reason (staff)" },
	{ "clear", "clear RUNNER --reason TEXT", 3, 3, ACCESS_STAFF,
	    cmd_clear,
	    "clear a runner after a red flag: no more easy-only days "
	    "(staff)" },
	{ "set-pin", "set-pin RUNNER PIN", 2, 2, ACCESS_STAFF, cmd_set_pin,
	    "set a runner's PIN, 4 to 12 digits (staff; treadctl set-pin "
	    "asks for it)" },
	{ "log-level", "log-level [warning|info|debug]", 0, 1, ACCESS_STAFF,
	    cmd_log_level, "show or set the log level (staff)" },
	{ "reload", "reload", 0, 0, ACCESS_STAFF, cmd_reload,
	    "reload the configuration and the profiles; fails if any is "
	    "refused (staff)" },
};

static void
help_lines(const struct reply *r, struct evbuffer *out)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(r->o, "commands"), i, c) {
		reply_data(out, "%s", rep_str(c, "usage"));
		reply_data(out, "    %s", rep_str(c, "help"));
	}
}

static void
cmd_help(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *r)
{
	json_t *a = json_array();

	(void)b;
	(void)p;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:s}",
		    "name", cmds[i].name, "usage", cmds[i].usage,
		    "help", cmds[i].help,
		    "staff", cmds[i].who == ACCESS_STAFF,
		    "who", access_name(cmds[i].who)));
	rep_set(r, "commands", a);
	r->text = help_lines;
}

static void
run_command(struct belt *b, const struct peer *p, int argc, char **argv,
    struct reply *r)
{
	enum access who;
	char why[256];

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[0], cmds[i].name) != 0)
			continue;
		if (argc - 1 < cmds[i].min_args || argc - 1 > cmds[i].max_args) {
			rep_err(r, "usage: %s", cmds[i].usage);
			return;
		}
		who = cmds[i].who;
		/* A guest's session shows nothing of anyone; a runner's
		 * refusal shows her plan's reasons. */
		if (cmds[i].fn == cmd_start && argc > 1)
			who = ACCESS_HEALTH;
		if (access_check(b, p, who, cmds[i].name, why,
		    sizeof(why)) == -1) {
			rep_err(r, "%s", why);
			return;
		}
		if (strcmp(argv[0], "status") != 0)
			log_debug("control: uid %u: %s", (unsigned)p->uid,
			    argv[0]);
		cmds[i].fn(b, p, argc, argv, r);
		return;
	}
	rep_err(r, "unknown command '%.64s'; try 'help'", argv[0]);
}

/*
 * "json COMMAND ...": the same reply as one line of JSON and the status
 * line.  "status json" stays as it was.
 */
void
commands_dispatch(void *arg, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	struct belt *b = arg;
	struct reply r;
	bool json = false;

	memset(&r, 0, sizeof(r));
	if (strcmp(argv[0], "json") == 0) {
		json = true;
		argc--;
		argv++;
		if (argc == 0) {
			rep_err(&r, "json needs a command; try 'json help'");
			rep_render(&r, true, out);
			return;
		}
	} else if (argc == 2 && strcmp(argv[0], "status") == 0 &&
	    strcmp(argv[1], "json") == 0) {
		json = true;
		argc = 1;
	}
	run_command(b, p, argc, argv, &r);
	if (r.later != NULL)
		cjob_submit(b, &r, json, out);
	else
		rep_render(&r, json, out);
}
