/* Control socket commands: the handler control.c calls for each line. */
#ifndef TREAD_COMMANDS_H
#define TREAD_COMMANDS_H

#include <stdbool.h>

#include <jansson.h>

#include "control.h"

struct belt;
struct cjob;

/*
 * A command's reply, built once as data: the status (ok or error, with
 * its text) and the command's fields in o.  Rendered as text lines for
 * the plain protocol (text, from the same data; NULL: the status line
 * alone) or as one JSON line when the client asked for JSON.
 */
struct reply {
	json_t		*o;
	bool		 error;
	char		 msg[CONTROL_LINE_MAX];
	void		(*text)(const struct reply *, struct evbuffer *);
	const void	*ctx;		/* for text, while rendering */
	struct cjob	*later;		/* finishes on the worker thread */
};
void	 rep_ok(struct reply *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 rep_err(struct reply *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Write r into out (one JSON line and the status line when json); frees
 * r->o. */
void	 rep_render(struct reply *, bool json, struct evbuffer *out);
/* Shorthands for fields. */
void	 rep_set(struct reply *, const char *key, json_t *);
const char *rep_str(const json_t *, const char *key);
double	 rep_num(const json_t *, const char *key);

/*
 * Another front end (the HTTP API) calls the same command functions
 * (cmd_*) with a peer of its own; when the reply's r->later is set the
 * command finishes on the worker thread, and fn gets the reply on the
 * loop (fn renders it and frees r->o).
 */
typedef void reply_later_fn(void *arg, struct reply *);
void	 commands_later(void *belt, struct reply *, reply_later_fn *,
	    void *arg);

void	 commands_dispatch(void *belt, const struct peer *, int argc,
	    char **argv, struct evbuffer *out);
/* Finish the requests on the worker thread (before the belt goes). */
void	 commands_close(void);

/* `reload`: the daemon reloads, adds every error to errs and writes its
 * verdict; 0 when everything applied, -1 when anything was refused. */
struct errlist;
typedef int reload_fn(void *arg, struct errlist *errs, char *verdict,
	    size_t len);
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
	    struct reply *);
int	 parse_number(const char *, double lo, double hi, double *);

typedef void cmd_fn(struct belt *, const struct peer *, int, char **,
	    struct reply *);
cmd_fn	 cmd_checkin, cmd_plan, cmd_log_strength, cmd_log_run, cmd_history,
	 cmd_unlock, cmd_lock, cmd_clear, cmd_set_pin;
cmd_fn	 cmd_start, cmd_stop, cmd_resume, cmd_end, cmd_speed, cmd_incline,
	 cmd_symptom;

#endif
