/*
 * Safety core.  See safety.h for the contract; ARCHITECTURE.md for the
 * invariants this file exists to keep:
 *  1. the command never exceeds min(machine max, cap);
 *  2. it moves by no more than the ramps allow, except to 0 on a stop;
 *  3. after any cause RUN is 0 until a person resumes with the cause gone;
 *  4. the heartbeat changes on every command.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safety.h"

/*
 * A resume clears the drive's own latches (FAULT, WATCHDOG, STOP_KEY) with
 * a RESET edge.  The RESET goes out with RUN = 0 and the RUN edge follows
 * on the next command, so a drive that handles the two bits in either
 * order still sees RESET first.
 */
enum { RESET_NONE, RESET_WANTED, RESET_SENT };

/* bpm between two readings that no heart can move by. */
#define HR_JUMP_MAX	40

/* Causes the drive itself reports; they vanish once the person fixes them
 * (ESTOP, KEY) or once a RESET edge clears them (the rest). */
#define DRIVE_CAUSES (STOP_ESTOP | STOP_KEY | STOP_CONSOLE | STOP_FAULT | \
	STOP_WATCHDOG)

static const char *const cause_names[] = {
	"e-stop", "safety key", "console STOP", "drive fault",
	"drive watchdog", "software stop", "comm loss",
	"implausible telemetry",
};

static const char *const fault_names[] = {
	"none", "overcurrent", "overtemp", "belt slip", "incline motor",
	"internal",
};

const char *
safety_cause_name(unsigned cause)
{
	for (unsigned i = 0; i < sizeof(cause_names) / sizeof(cause_names[0]);
	    i++)
		if (cause == 1u << i)
			return cause_names[i];
	return "unknown";
}

char *
safety_causes_str(unsigned causes, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof(cause_names) / sizeof(cause_names[0]);
	    i++) {
		if (!(causes & (1u << i)))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s",
		    off ? ", " : "", cause_names[i]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	return buf;
}

void
safety_init(struct safety *s, const struct safety_limits *lim)
{
	memset(s, 0, sizeof(*s));
	s->lim = *lim;
}

void
safety_set_limits(struct safety *s, const struct safety_limits *lim)
{
	s->lim = *lim;
}

static double
clampd(double v, double lo, double hi)
{
	if (isnan(v))
		return lo;
	return v < lo ? lo : v > hi ? hi : v;
}

static unsigned
latch(struct safety *s, unsigned causes, const char *detail)
{
	unsigned fresh = causes & ~s->latched;

	if (fresh == 0)
		return 0;
	s->latched |= fresh;
	if (detail != NULL)
		snprintf(s->detail, sizeof(s->detail), "%s", detail);
	else
		snprintf(s->detail, sizeof(s->detail), "%s",
		    safety_cause_name(fresh & -fresh));
	return fresh;
}

unsigned
safety_observe(struct safety *s, const struct sample *in, double now)
{
	struct sample smp;
	unsigned causes = 0, fresh = 0;
	char why[128];

	(void)now;
	if (in == NULL) {
		s->comm_failures++;
		s->present |= STOP_COMM;
		if (s->reset == RESET_SENT)
			s->reset = RESET_WANTED;	/* it may not have arrived */
		if (s->comm_failures >= s->lim.comm_loss_ticks) {
			snprintf(why, sizeof(why), "comm loss: %d failed "
			    "transactions in a row", s->comm_failures);
			fresh = latch(s, STOP_COMM, why);
		}
		return fresh;
	}

	smp = *in;
	s->comm_failures = 0;
	/* A heart rate no runner can have is a bad reading, not a stop;
	 * so is one that moved more than a heart can between two readings
	 * (the reading after such a spike is judged against the spike). */
	if (smp.heart_rate < 0 || smp.heart_rate > s->lim.max_heart_rate)
		smp.heart_rate = 0;
	else if (smp.heart_rate > 0 && s->raw_hr > 0 &&
	    abs(smp.heart_rate - s->raw_hr) >= HR_JUMP_MAX)
		smp.heart_rate = 0;
	s->raw_hr = in->heart_rate;
	if (!s->have_sample && smp.belt_speed > s->envelope)
		s->envelope = smp.belt_speed;	/* moving before we came */
	s->have_sample = true;
	s->last = smp;
	if (s->reset == RESET_SENT)
		s->reset = RESET_NONE;	/* read after the RESET edge */

	why[0] = '\0';
	if (smp.estop)
		causes |= STOP_ESTOP;
	if (!smp.key)
		causes |= STOP_KEY;
	if (smp.stop_key)
		causes |= STOP_CONSOLE;
	if (smp.watchdog)
		causes |= STOP_WATCHDOG;
	if (smp.fault) {
		causes |= STOP_FAULT;
		snprintf(why, sizeof(why), "drive fault %d (%s)",
		    smp.fault_code, smp.fault_code >= 0 && smp.fault_code <= 5 ?
		    fault_names[smp.fault_code] : "unknown code");
	}
	if (isnan(smp.belt_speed) || smp.belt_speed < 0 ||
	    smp.belt_speed > s->lim.drive_max_speed + s->lim.speed_tolerance) {
		causes |= STOP_IMPLAUSIBLE;
		snprintf(why, sizeof(why), "implausible telemetry: belt speed "
		    "%.2f km/h is out of range", smp.belt_speed);
	} else if (smp.belt_speed > s->envelope + s->lim.speed_tolerance) {
		causes |= STOP_IMPLAUSIBLE;
		snprintf(why, sizeof(why), "implausible telemetry: belt at "
		    "%.2f km/h, commanded at most %.2f", smp.belt_speed,
		    s->envelope);
	} else if (isnan(smp.incline) ||
	    smp.incline < s->lim.min_incline - 5.0 ||
	    smp.incline > s->lim.max_incline + 5.0) {
		causes |= STOP_IMPLAUSIBLE;
		snprintf(why, sizeof(why), "implausible telemetry: incline "
		    "%.1f %% is out of range", smp.incline);
	}
	s->present = causes;
	fresh = latch(s, causes, why[0] && (causes & ~s->latched &
	    (STOP_FAULT | STOP_IMPLAUSIBLE)) ? why : NULL);
	return fresh;
}

unsigned
safety_stop(struct safety *s, unsigned cause, const char *why)
{
	return latch(s, cause, why);
}

unsigned
safety_blocking(const struct safety *s)
{
	unsigned b = s->present & (STOP_ESTOP | STOP_KEY | STOP_COMM |
	    STOP_IMPLAUSIBLE);

	if (!s->have_sample)
		b |= STOP_COMM;
	return b;
}

static int
clear_latches(struct safety *s, const char **why)
{
	unsigned b = safety_blocking(s);

	if (b & STOP_COMM) {
		*why = "no contact with the drive";
		return -1;
	}
	if (b & STOP_ESTOP) {
		*why = "the e-stop button is pressed: release it first";
		return -1;
	}
	if (b & STOP_KEY) {
		*why = "the safety key is out: put it back first";
		return -1;
	}
	if (b & STOP_IMPLAUSIBLE) {
		*why = "the drive still reports implausible telemetry";
		return -1;
	}
	s->latched = 0;
	s->detail[0] = '\0';
	s->reset = RESET_WANTED;
	return 0;
}

int
safety_start(struct safety *s, const char **why)
{
	if (clear_latches(s, why) == -1)
		return -1;
	s->enabled = true;
	return 0;
}

int
safety_resume(struct safety *s, const char **why)
{
	if (s->latched == 0 && s->reset == RESET_NONE) {
		*why = "nothing to resume: the belt is not stopped";
		return -1;
	}
	return clear_latches(s, why);
}

void
safety_disable(struct safety *s)
{
	s->enabled = false;
}

bool
safety_stopped(const struct safety *s)
{
	return s->latched != 0;
}

void
safety_command(struct safety *s, double target, double target_incline,
    double cap, double now, struct command *c)
{
	double dt = 0, limit;

	if (s->have_cmd_t)
		dt = clampd(now - s->last_cmd_t, 0, s->lim.max_dt);
	s->last_cmd_t = now;
	s->have_cmd_t = true;

	s->envelope -= s->lim.decel * dt;
	if (s->envelope < 0)
		s->envelope = 0;

	memset(c, 0, sizeof(*c));
	if (s->reset == RESET_WANTED) {
		c->reset = true;
		s->reset = RESET_SENT;
	}
	if (!s->enabled || s->latched || c->reset) {
		s->cmd_speed = 0;
		c->run = false;
	} else {
		limit = s->lim.max_speed;
		/* A cap that is not a number is a bug above us: fail safe. */
		if (isnan(cap) || cap < limit)
			limit = isnan(cap) ? 0 : cap;
		if (limit < 0)
			limit = 0;
		target = clampd(target, 0, limit);
		if (target > s->cmd_speed) {
			s->cmd_speed += s->lim.accel * dt;
			if (s->cmd_speed > target)
				s->cmd_speed = target;
		} else {
			s->cmd_speed -= s->lim.decel * dt;
			if (s->cmd_speed < target)
				s->cmd_speed = target;
		}
		c->run = true;
	}
	if (!isnan(target_incline))
		s->cmd_incline = clampd(target_incline, s->lim.min_incline,
		    s->lim.max_incline);
	else
		s->cmd_incline = clampd(s->cmd_incline, s->lim.min_incline,
		    s->lim.max_incline);
	if (s->cmd_speed > s->envelope)
		s->envelope = s->cmd_speed;

	c->speed = s->cmd_speed;
	c->incline = s->cmd_incline;
	c->heartbeat = ++s->heartbeat;
}

void
safety_stop_command(struct safety *s, struct command *c)
{
	memset(c, 0, sizeof(*c));
	s->cmd_speed = 0;
	c->run = false;
	c->speed = 0;
	c->incline = s->cmd_incline;
	c->heartbeat = ++s->heartbeat;
}
