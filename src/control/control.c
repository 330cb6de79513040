/*
 * Control socket transport.  It knows lines and peers, not commands: each
 * complete line is split into words and handed to the handler.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "control.h"
#include "log.h"
#include "xmalloc.h"

struct control {
	struct evconnlistener	*listener;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler		 handler;
	void			*arg;
};

struct client {
	struct control	*ctl;
	struct peer	 peer;
};

static void
vreply(struct evbuffer *out, const char *prefix, const char *fmt, va_list ap)
{
	char line[CONTROL_LINE_MAX * 2];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* One line per call: a newline inside would forge a status line. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	evbuffer_add_printf(out, "%s%s\n", prefix, line);
}

void
reply_data(struct evbuffer *out, const char *fmt, ...)
{
	char line[CONTROL_LINE_MAX * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* A data line must never read as a status line. */
	if (strncmp(line, "ok", 2) == 0 || strncmp(line, "error:", 6) == 0)
		evbuffer_add(out, " ", 1);
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	evbuffer_add_printf(out, "%s\n", line);
}

void
reply_ok(struct evbuffer *out, const char *fmt, ...)
{
	va_list ap;

	if (fmt == NULL || *fmt == '\0') {
		evbuffer_add_printf(out, "ok\n");
		return;
	}
	va_start(ap, fmt);
	vreply(out, "ok ", fmt, ap);
	va_end(ap);
}

void
reply_error(struct evbuffer *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreply(out, "error: ", fmt, ap);
	va_end(ap);
}

int
control_split(char *line, int *argc, char **argv, int max, const char **err)
{
	char *p = line, *w;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n == max) {
			*err = "too many words";
			return -1;
		}
		if (*p == '"') {
			w = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"') {
				*err = "unterminated quote";
				return -1;
			}
			*p++ = '\0';
		} else {
			w = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = '\0';
		}
		for (char *q = w; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f) {
				*err = "control characters are not allowed";
				return -1;
			}
		argv[n++] = w;
	}
	*argc = n;
	return 0;
}

static void
client_free(struct bufferevent *bev, struct client *c)
{
	bufferevent_free(bev);
	free(c);
}

static void
client_write_done(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	/* Closing after a too-long line: wait for the error to leave. */
	if (!(bufferevent_get_enabled(bev) & EV_READ) &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(bev, c);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line, *argv[CONTROL_ARGS_MAX];
	const char *err;
	size_t len;
	int argc;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len > CONTROL_LINE_MAX) {
			reply_error(out, "line too long (at most %d bytes)",
			    CONTROL_LINE_MAX);
		} else if (control_split(line, &argc, argv, CONTROL_ARGS_MAX,
		    &err) == -1) {
			reply_error(out, "%s", err);
		} else if (argc == 0) {
			reply_error(out, "empty command; try 'help'");
		} else
			c->ctl->handler(c->ctl->arg, &c->peer, argc, argv, out);
		free(line);
	}
	/* No newline within the limit: refuse and hang up. */
	if (evbuffer_get_length(in) > CONTROL_LINE_MAX) {
		reply_error(out, "line too long (at most %d bytes)",
		    CONTROL_LINE_MAX);
		evbuffer_drain(in, evbuffer_get_length(in));
		bufferevent_disable(bev, EV_READ);
	}
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(bev, arg);
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct control *ctl = arg;
	struct event_base *base = evconnlistener_get_base(l);
	struct bufferevent *bev;
	struct client *c;
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	(void)sa;
	(void)salen;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == -1) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->peer.pid = cred.pid;
	c->peer.uid = cred.uid;
	c->peer.gid = cred.gid;
	bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		free(c);
		return;
	}
	bufferevent_setcb(bev, client_read, client_write_done, client_event, c);
	/* Bound what a client can queue before we see a newline. */
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_LINE_MAX * 4);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

struct control *
control_open(struct event_base *base, const char *path, control_handler h,
    void *arg)
{
	struct control *ctl;
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket");
		return NULL;
	}
	/* A stale socket from a previous run is in the way; a live one is
	 * another daemon, which we must not steal from. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx("control socket %s is in use by another treadmilld",
		    path);
		close(fd);
		return NULL;
	}
	unlink(path);
	old = umask(S_IXUSR | S_IXGRP | S_IWOTH | S_IROTH | S_IXOTH);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control socket bind %s", path);
		umask(old);
		close(fd);
		return NULL;
	}
	umask(old);
	/* Any local user may talk to it (runners use the console account);
	 * staff-only commands check the peer's credentials. */
	chmod(path, 0666);
	ctl = xcalloc(1, sizeof(*ctl));
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->handler = h;
	ctl->arg = arg;
	ctl->listener = evconnlistener_new(base, accept_cb, ctl,
	    LEV_OPT_CLOSE_ON_FREE, 16, fd);
	if (ctl->listener == NULL) {
		log_warn("control listen %s", path);
		close(fd);
		unlink(path);
		free(ctl);
		return NULL;
	}
	return ctl;
}

void
control_close(struct control *ctl)
{
	if (ctl == NULL)
		return;
	evconnlistener_free(ctl->listener);
	unlink(ctl->path);
	free(ctl);
}
