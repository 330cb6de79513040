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
#include "status.h"

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

static void
cmd_status(struct belt *b, const struct peer *p, int argc, char **argv,
    struct evbuffer *out)
{
	struct status st;

	(void)p;
	if (argc == 2 && strcmp(argv[1], "json") != 0) {
		reply_error(out, "status takes no argument but 'json'");
		return;
	}
	status_fill(b, &st);
	if (argc == 1)
		status_text(&st, out);
	else if (status_json(&st, out) == -1) {
		reply_error(out, "could not render the status as JSON");
		return;
	}
	reply_ok(out, NULL);
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
	    "--minutes M [--running M] [--stage N] [--symptom] [--hard]", 5,
	    14, true, cmd_log_run,
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
