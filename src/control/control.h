/*
 * The control socket: a UNIX stream socket with a line protocol.  One
 * request is one line (at most CONTROL_LINE_MAX bytes); the reply is zero
 * or more data lines followed by one status line, "ok[ text]" or
 * "error: text".  The peer's credentials come from SO_PEERCRED.
 */
#ifndef TREAD_CONTROL_H
#define TREAD_CONTROL_H

#include <event2/buffer.h>
#include <event2/event.h>
#include <stddef.h>
#include <sys/types.h>

#define CONTROL_LINE_MAX 512
#define CONTROL_ARGS_MAX 32

struct peer {
	pid_t	 pid;
	uid_t	 uid;
	gid_t	 gid;
};

/* Called for each request; writes the whole reply into out. */
typedef void (*control_handler)(void *arg, const struct peer *,
	    int argc, char **argv, struct evbuffer *out);

struct control;

/*
 * A reply that comes later: a handler that must wait (a durable write, a
 * read of the history) takes one instead of writing into out.  The
 * connection's next requests wait, so replies stay in order; other
 * clients and the tick go on.  control_answer gives the reply, on the
 * loop, once; if the client has gone meanwhile it is dropped.
 */
struct control_later;
struct control_later *control_defer(struct evbuffer *out);
void	 control_answer(struct control_later *, struct evbuffer *reply);

/* What one client may take of the daemon. */
struct control_limits {
	int	 max_clients;		/* connections at once */
	int	 idle_timeout_s;	/* silent, or not reading, this long */
	size_t	 max_output;		/* bytes of replies it has not read */
	char	 group[64];		/* owns the socket (open only) */
};

struct control *control_open(struct event_base *, const char *path,
	    const struct control_limits *, control_handler, void *arg);
/* New limits (a reload); max_clients is kept under the open file limit. */
void	 control_set_limits(struct control *, const struct control_limits *);
void	 control_close(struct control *);

/* Split a line into words; "double quotes" group words.  -1 on error. */
int	 control_split(char *line, int *argc, char **argv, int max,
	    const char **err);

/* Reply helpers: a data line (made unambiguous), ok, and error. */
void	 reply_data(struct evbuffer *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 reply_ok(struct evbuffer *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 reply_error(struct evbuffer *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
