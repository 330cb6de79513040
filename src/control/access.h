/*
 * Who may run a control command, from the peer's credentials
 * (SO_PEERCRED): staff (root, control.staff_group) everything; the
 * console (control.group) also what shows or records a runner's health
 * data; anyone else who can connect, the belt's state and its stop.
 */
#ifndef TREAD_ACCESS_H
#define TREAD_ACCESS_H

#include <stddef.h>

#include "control.h"

struct belt;

enum access {
	ACCESS_ANYONE,	/* the belt's state, its stop: no health data */
	ACCESS_HEALTH,	/* a runner's health data: staff or console */
	ACCESS_STAFF,
};

/* "anyone", "console", "staff". */
const char *access_name(enum access);
/* 0 if p may run cmd, which needs who; else -1 with the refusal in why. */
int	 access_check(const struct belt *, const struct peer *, enum access who,
	    const char *cmd, char *why, size_t len);

#endif
