/* Control socket commands: the handler control.c calls for each line. */
#ifndef TREAD_COMMANDS_H
#define TREAD_COMMANDS_H

#include <stdbool.h>

#include "control.h"

struct belt;

void	 commands_dispatch(void *belt, const struct peer *, int argc,
	    char **argv, struct evbuffer *out);

/* `reload`: the daemon reloads, writes every error as a data line and
 * its verdict as the status line (reply_ok or reply_error) into out. */
typedef void reload_fn(void *arg, struct evbuffer *out);
void	 commands_set_reload(reload_fn *, void *arg);

/* Shared by the command files. */
struct flag {
	const char	*name;		/* "--sleep" */
	bool		 has_arg;
	const char	*value;		/* set by parse_flags */
	bool		 set;
};
/* Parse argv[first..] as flags; on error reply and return -1. */
int	 parse_flags(int argc, char **argv, int first, struct flag *, int n,
	    struct evbuffer *out);
int	 parse_number(const char *, double lo, double hi, double *);

typedef void cmd_fn(struct belt *, const struct peer *, int, char **,
	    struct evbuffer *);
cmd_fn	 cmd_checkin, cmd_plan, cmd_log_strength, cmd_log_run, cmd_history,
	 cmd_unlock, cmd_lock;
cmd_fn	 cmd_start, cmd_stop, cmd_resume, cmd_end, cmd_speed, cmd_incline,
	 cmd_symptom;

#endif
