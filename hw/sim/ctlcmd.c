/*
 * Control commands: the runner's side of the treadmill (ESTOP, key,
 * console keys, heart rate), drive and link fault injection, and the
 * state line the tests read.  One line in, one line out: "ok..." or
 * "error: ...".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define CTL_MAX_ARGS	4

typedef int (*cmd_fn)(struct sim *, char **, char *, size_t);

static int
fail(char *reply, size_t len, const char *msg)
{
	snprintf(reply, len, "error: %s", msg);
	return -1;
}

static int
ok(char *reply, size_t len)
{
	snprintf(reply, len, "ok");
	return 0;
}

/* 1 for yes, 0 for no, -1 for neither. */
static int
word2(const char *arg, const char *yes, const char *no)
{
	if (strcmp(arg, yes) == 0)
		return 1;
	if (strcmp(arg, no) == 0)
		return 0;
	return -1;
}

static int
parse_num(const char *arg, double min, double max, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno != 0 || !isfinite(*v) ||
	    *v < min || *v > max)
		return -1;
	return 0;
}

static int
parse_int(const char *arg, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || *v < min || *v > max)
		return -1;
	return 0;
}

static int
cmd_estop(struct sim *s, char **av, char *reply, size_t len)
{
	int on = word2(av[1], "on", "off");

	if (on < 0)
		return fail(reply, len, "usage: estop on|off");
	if (s->model.estop != on)
		sim_event("estop %s", on ? "on" : "off");
	sim_model_events(s, sim_model_set_estop(&s->model, on, sim_now()));
	return ok(reply, len);
}

static int
cmd_key(struct sim *s, char **av, char *reply, size_t len)
{
	int in = word2(av[1], "in", "out");

	if (in < 0)
		return fail(reply, len, "usage: key out|in");
	if (s->model.key_in != in)
		sim_event("key %s", in ? "in" : "out");
	sim_model_events(s, sim_model_set_key(&s->model, in, sim_now()));
	return ok(reply, len);
}

static int
cmd_stop(struct sim *s, char **av, char *reply, size_t len)
{
	(void)av;
	sim_event("stop_key");
	sim_model_events(s, sim_model_press_stop(&s->model, sim_now()));
	return ok(reply, len);
}

static int
cmd_request(struct sim *s, char **av, char *reply, size_t len)
{
	double kmh;

	if (parse_num(av[1], 0, SIM_MAX_KMH, &kmh) == -1)
		return fail(reply, len, "usage: request KMH (0..25, 0 clears)");
	sim_model_set_request(&s->model, kmh);
	sim_event("request kmh=%.2f", kmh);
	return ok(reply, len);
}

static int
cmd_fault(struct sim *s, char **av, char *reply, size_t len)
{
	long code;

	if (parse_int(av[1], 1, 5, &code) == -1)
		return fail(reply, len, "usage: fault CODE (1..5)");
	sim_event("fault code=%ld", code);
	sim_model_events(s, sim_model_set_fault(&s->model, (int)code,
	    sim_now()));
	return ok(reply, len);
}

static int
cmd_mute(struct sim *s, char **av, char *reply, size_t len)
{
	int on = word2(av[1], "on", "off");

	if (on < 0)
		return fail(reply, len, "usage: mute on|off");
	if (s->mute != on)
		sim_event("mute %s", on ? "on" : "off");
	s->mute = on;
	return ok(reply, len);
}

static int
cmd_slow(struct sim *s, char **av, char *reply, size_t len)
{
	long ms;

	if (parse_int(av[1], 0, 60000, &ms) == -1)
		return fail(reply, len, "usage: slow MS (0..60000, 0 off)");
	s->slow_ms = (int)ms;
	sim_event("slow ms=%ld", ms);
	return ok(reply, len);
}

static int
cmd_exception(struct sim *s, char **av, char *reply, size_t len)
{
	long code;

	/* 11 (gateway target) is the highest code libmodbus will send. */
	if (parse_int(av[1], 0, 11, &code) == -1)
		return fail(reply, len, "usage: exception CODE (1..11, 0 off)");
	s->exc_code = (int)code;
	sim_event("inject code=%ld", code);
	return ok(reply, len);
}

static int
cmd_misbehave(struct sim *s, char **av, char *reply, size_t len)
{
	int mode = sim_mb_parse(av[1]);
	long ms = 0;

	if (mode < 0 || (mode == SIM_MB_TRICKLE) != (av[2] != NULL) ||
	    (av[2] != NULL && parse_int(av[2], 1, 10000, &ms) == -1))
		return fail(reply, len, "usage: misbehave none|trickle MS|"
		    "overlong|wronglen|wrongtid|garbage|silence");
	s->misbehave = mode;
	sim_mb_reset(s);
	s->trickle_ms = (int)ms;
	sim_event("misbehave mode=%s ms=%ld", av[1], ms);
	return ok(reply, len);
}

static int
cmd_hr(struct sim *s, char **av, char *reply, size_t len)
{
	int on = word2(av[1], "on", "off");

	if (on < 0)
		return fail(reply, len, "usage: hr on|off");
	s->model.hr_on = on;
	sim_event("hr %s", on ? "on" : "off");
	return ok(reply, len);
}

static int
cmd_set(struct sim *s, char **av, char *reply, size_t len)
{
	const char *err;
	char msg[128];
	double v;

	if (parse_num(av[2], -1e9, 1e9, &v) == -1)
		return fail(reply, len, "usage: set PARAM NUMBER");
	sim_model_tick(&s->model, sim_now());
	if (sim_model_set_param(&s->model, av[1], v, &err) == -1) {
		snprintf(msg, sizeof(msg), "set %.40s: %s", av[1], err);
		return fail(reply, len, msg);
	}
	sim_event("set %s=%g", av[1], v);
	return ok(reply, len);
}

static int
cmd_get(struct sim *s, char **av, char *reply, size_t len)
{
	double v;

	if (sim_model_get_param(&s->model, av[1], &v) == -1)
		return fail(reply, len, "unknown parameter");
	snprintf(reply, len, "ok %s=%g", av[1], v);
	return 0;
}

static int
cmd_state(struct sim *s, char **av, char *reply, size_t len)
{
	const struct sim_model *m = &s->model;
	uint16_t t[SIM_NTELE];
	double now = sim_now();

	(void)av;
	sim_model_events(s, sim_model_tick(&s->model, now));
	sim_regs_telemetry(&s->regs, m, t);
	snprintf(reply, len, "ok t=%.3f run=%d armed=%d ready=%d key=%d "
	    "estop=%d fault=%d fault_code=%d watchdog=%d stop_key=%d "
	    "running=%d speed=%.2f setpoint=%.2f incline=%.1f "
	    "incline_set=%.1f hr=%u hb=%u wd_ms=%u accel=%.2f decel=%.2f "
	    "distance=%.1f requests=%lu writes=%lu errors=%lu "
	    "reset=%d request=%.2f hr_on=%d hr_model=%.1f mute=%d slow=%d "
	    "exception=%d ignored=%lu mode=%s misbehave=%s trickle_ms=%d "
	    "misreplies=%lu",
	    now, m->cmd.run, m->armed, sim_model_ready(m), m->key_in,
	    m->estop, m->fault, m->fault ? m->fault_code : 0, m->watchdog,
	    m->stop_key, sim_model_running(m), m->speed, m->cmd.speed_kmh,
	    m->incline, m->cmd.incline_pct, t[SIM_T_HR], m->cmd.heartbeat,
	    m->cmd.watchdog_ms, m->cmd.accel, m->cmd.decel, m->distance,
	    s->requests, s->writes, s->errors,
	    m->cmd.reset, m->console_kmh, m->hr_on, m->hr, s->mute,
	    s->slow_ms, s->exc_code, s->ignored, s->regs.lay->name,
	    sim_mb_name(s->misbehave), s->trickle_ms, s->misreplies);
	return 0;
}

static int
cmd_help(struct sim *s, char **av, char *reply, size_t len)
{
	(void)s;
	(void)av;
	snprintf(reply, len, "ok commands: estop on|off, key out|in, stop, "
	    "request KMH, fault CODE, mute on|off, slow MS, exception CODE, "
	    "misbehave MODE [MS], "
	    "hr on|off, set PARAM VALUE, get PARAM, state, quit");
	return 0;
}

static const struct cmd {
	const char	*name;
	int		 nargs;
	cmd_fn		 fn;
	int		 optargs;	/* more it may take */
} cmds[] = {
	{ "estop",	1, cmd_estop, 0 },
	{ "key",	1, cmd_key, 0 },
	{ "stop",	0, cmd_stop, 0 },
	{ "request",	1, cmd_request, 0 },
	{ "fault",	1, cmd_fault, 0 },
	{ "mute",	1, cmd_mute, 0 },
	{ "slow",	1, cmd_slow, 0 },
	{ "exception",	1, cmd_exception, 0 },
	{ "misbehave",	1, cmd_misbehave, 1 },
	{ "hr",		1, cmd_hr, 0 },
	{ "set",	2, cmd_set, 0 },
	{ "get",	1, cmd_get, 0 },
	{ "state",	0, cmd_state, 0 },
	{ "help",	0, cmd_help, 0 },
};

/* Runs one command line (modified in place); 0 for ok, -1 for error. */
int
sim_ctl_exec(struct sim *s, char *line, char *reply, size_t len, bool *quit)
{
	char *av[CTL_MAX_ARGS + 1], *save = NULL, *tok;
	char msg[96];
	int ac = 0;
	size_t i;

	*quit = false;
	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (ac == CTL_MAX_ARGS)
			return fail(reply, len, "too many arguments");
		av[ac++] = tok;
	}
	av[ac] = NULL;
	if (ac == 0)
		return fail(reply, len, "empty command");
	if (strcmp(av[0], "quit") == 0 && ac == 1) {
		sim_event("quit");
		*quit = true;
		return ok(reply, len);
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(av[0], cmds[i].name) != 0)
			continue;
		if (ac < cmds[i].nargs + 1 ||
		    ac > cmds[i].nargs + cmds[i].optargs + 1) {
			snprintf(msg, sizeof(msg), "%s takes %d argument%s",
			    cmds[i].name, cmds[i].nargs,
			    cmds[i].nargs == 1 ? "" : "s");
			return fail(reply, len, msg);
		}
		return cmds[i].fn(s, av, reply, len);
	}
	snprintf(msg, sizeof(msg), "unknown command \"%.32s\"", av[0]);
	return fail(reply, len, msg);
}
