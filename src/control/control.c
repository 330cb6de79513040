/*
 * Control socket transport.  It knows lines and peers, not commands: each
 * complete line is split into words and handed to the handler.
 *
 * No client can hold up the loop or grow the daemon: connections are
 * capped (and the cap kept under the open-file limit), each waits at most
 * the idle timeout, a client's unread replies are bounded, and a client
 * with many lines queued is served a few per loop turn, after the others
 * and the tick have had theirs.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "control.h"
#include "log.h"
#include "xmalloc.h"

#define LINES_PER_TURN	8	/* requests served per client per loop turn */
#define FD_RESERVE	32	/* descriptors kept for the drive, history... */
#define ACCEPT_PAUSE_MIN_MS 100
#define ACCEPT_PAUSE_MAX_MS 2000
#define LOG_EVERY_S	10	/* repeated complaints: one line per period */

/* A complaint that may repeat: logged once per period, with a count. */
struct ratelog {
	double		 last;
	unsigned long	 held;
};

struct client;

struct control {
	struct evconnlistener	*listener;
	struct event_base	*base;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler		 handler;
	void			*arg;
	struct control_limits	 lim;
	struct client		*clients;
	int			 nclients;
	struct event		*resume_ev;	/* accept again after a pause */
	int			 pause_ms;
	struct ratelog		 refused, dropped, accept_err;
};

struct client {
	struct control		*ctl;
	struct bufferevent	*bev;
	struct event		*more;	/* lines left for a later turn */
	struct control_later	*later;	/* the reply it waits for */
	struct peer		 peer;
	struct client		*next, **prevp;
};

struct control_later {
	struct client		*c;	/* NULL once it has gone */
};

/* The client whose request the handler is serving. */
static struct client *serving;

static double
clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* True when this occurrence is to be logged; *held says how many were not. */
static bool
ratelog_due(struct ratelog *r, unsigned long *held)
{
	double now = clock_s();

	if (r->last != 0 && now - r->last < LOG_EVERY_S) {
		r->held++;
		return false;
	}
	*held = r->held;
	r->held = 0;
	r->last = now;
	return true;
}

static void
client_free(struct client *c)
{
	*c->prevp = c->next;
	if (c->next != NULL)
		c->next->prevp = c->prevp;
	c->ctl->nclients--;
	if (c->later != NULL)
		c->later->c = NULL;
	event_free(c->more);
	bufferevent_free(c->bev);
	free(c);
}

static void
client_drop(struct client *c, const char *why)
{
	unsigned long held;

	if (ratelog_due(&c->ctl->dropped, &held))
		log_warnx("control: dropped the connection of pid %ld uid %ld: "
		    "%s%s", (long)c->peer.pid, (long)c->peer.uid, why,
		    held ? " (and others not logged)" : "");
	client_free(c);
}

static void
client_write_done(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	/* Closing after a too-long line: wait for the error to leave. */
	if (!(bufferevent_get_enabled(bev) & EV_READ) && c->later == NULL &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		client_free(c);
}

static bool
has_line(struct evbuffer *in)
{
	size_t n;

	return evbuffer_search_eol(in, NULL, &n, EVBUFFER_EOL_LF).pos != -1;
}

/* Serve at most LINES_PER_TURN lines; 1 when the client was dropped. */
static int
serve_lines(struct client *c)
{
	struct bufferevent *bev = c->bev;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line, *argv[CONTROL_ARGS_MAX];
	const char *err;
	size_t len;
	int argc, n = 0;

	while (c->later == NULL && n++ < LINES_PER_TURN &&
	    (line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
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
		} else {
			serving = c;
			c->ctl->handler(c->ctl->arg, &c->peer, argc, argv, out);
			serving = NULL;
		}
		free(line);
		/* Replies it does not read must not pile up in the daemon. */
		if (evbuffer_get_length(out) > c->ctl->lim.max_output) {
			client_drop(c, "it does not read its replies");
			return 1;
		}
	}
	if (c->later != NULL)
		return 0;	/* the rest after its reply */
	if (has_line(in)) {
		static const struct timeval now = { 0, 0 };

		/* The rest on a later turn, after the tick and the others. */
		evtimer_add(c->more, &now);
		return 0;
	}
	/* No newline within the limit: refuse and hang up. */
	if (evbuffer_get_length(in) > CONTROL_LINE_MAX) {
		reply_error(out, "line too long (at most %d bytes)",
		    CONTROL_LINE_MAX);
		evbuffer_drain(in, evbuffer_get_length(in));
		bufferevent_disable(bev, EV_READ);
	}
	return 0;
}

struct control_later *
control_defer(struct evbuffer *out)
{
	struct client *c = serving;

	if (c == NULL || c->later != NULL ||
	    bufferevent_get_output(c->bev) != out)
		return NULL;
	c->later = xcalloc(1, sizeof(*c->later));
	c->later->c = c;
	/* Not reading meanwhile: libevent would call us again and again
	 * for the lines we leave in its buffer. */
	bufferevent_disable(c->bev, EV_READ);
	return c->later;
}

void
control_answer(struct control_later *l, struct evbuffer *reply)
{
	static const struct timeval now = { 0, 0 };
	struct client *c = l->c;
	struct evbuffer *out;

	free(l);
	if (c == NULL)
		return;
	c->later = NULL;
	out = bufferevent_get_output(c->bev);
	evbuffer_add_buffer(out, reply);
	if (evbuffer_get_length(out) > c->ctl->lim.max_output) {
		client_drop(c, "it does not read its replies");
		return;
	}
	bufferevent_enable(c->bev, EV_READ);
	/* Its next lines, on a later turn. */
	if (has_line(bufferevent_get_input(c->bev)))
		evtimer_add(c->more, &now);
}

static void
client_read(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (c->later == NULL && !evtimer_pending(c->more, NULL))
		serve_lines(c);
}

static void
client_more(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	serve_lines(arg);
}

static void
client_event(struct bufferevent *bev, short what, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (what & BEV_EVENT_TIMEOUT)
		client_drop(c, what & BEV_EVENT_WRITING ?
		    "it does not read its replies" : "idle too long");
	else if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		client_free(c);
}

static void
refuse(struct control *ctl, evutil_socket_t fd)
{
	static const char msg[] = "error: too many connections\n";
	unsigned long held;
	ssize_t rc;

	/* Best effort: the socket is new, its buffer empty. */
	rc = send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)rc;
	close(fd);
	if (ratelog_due(&ctl->refused, &held))
		log_warnx("control: connection refused: %d clients already "
		    "(control.max_clients)%s", ctl->lim.max_clients,
		    held ? "; more refused meanwhile" : "");
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct control *ctl = arg;
	struct bufferevent *bev;
	struct client *c;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct timeval idle = { ctl->lim.idle_timeout_s, 0 };

	(void)l;
	(void)sa;
	(void)salen;
	ctl->pause_ms = 0;
	if (ctl->nclients >= ctl->lim.max_clients) {
		refuse(ctl, fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == -1) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->bev = bev;
	c->peer.pid = cred.pid;
	c->peer.uid = cred.uid;
	c->peer.gid = cred.gid;
	if ((c->more = evtimer_new(ctl->base, client_more, c)) == NULL) {
		bufferevent_free(bev);
		free(c);
		return;
	}
	c->next = ctl->clients;
	if (c->next != NULL)
		c->next->prevp = &c->next;
	c->prevp = &ctl->clients;
	ctl->clients = c;
	ctl->nclients++;
	bufferevent_setcb(bev, client_read, client_write_done, client_event, c);
	/* Bound what a client can queue before we see a newline. */
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_LINE_MAX * 4);
	/* Reading: a silent client; writing: one that does not read. */
	bufferevent_set_timeouts(bev, &idle, &idle);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

/*
 * accept() failed (out of descriptors, most likely): the pending
 * connection keeps the listener readable, so retrying at once would spin.
 * Stop listening for a moment, longer each time, and say so once.
 */
static void
accept_error(struct evconnlistener *l, void *arg)
{
	struct control *ctl = arg;
	int e = EVUTIL_SOCKET_ERROR();
	unsigned long held;
	struct timeval tv;

	if (e == EAGAIN || e == EINTR || e == ECONNABORTED)
		return;
	ctl->pause_ms = ctl->pause_ms ? ctl->pause_ms * 2 : ACCEPT_PAUSE_MIN_MS;
	if (ctl->pause_ms > ACCEPT_PAUSE_MAX_MS)
		ctl->pause_ms = ACCEPT_PAUSE_MAX_MS;
	if (ratelog_due(&ctl->accept_err, &held))
		log_warnx("control: accept: %s; not accepting for %d ms%s",
		    strerror(e), ctl->pause_ms,
		    held ? " (again; earlier failures not logged)" : "");
	evconnlistener_disable(l);
	tv.tv_sec = ctl->pause_ms / 1000;
	tv.tv_usec = (ctl->pause_ms % 1000) * 1000;
	evtimer_add(ctl->resume_ev, &tv);
}

static void
accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct control *ctl = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(ctl->listener);
}

void
control_set_limits(struct control *ctl, const struct control_limits *lim)
{
	struct rlimit rl;
	int most;

	ctl->lim = *lim;
	/* Each client holds a descriptor; the drive link must still open. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		most = rl.rlim_cur > FD_RESERVE + 1 ?
		    (int)(rl.rlim_cur - FD_RESERVE) : 1;
		if (ctl->lim.max_clients > most) {
			log_warnx("control.max_clients %d is more than the open "
			    "file limit (%lu) allows; using %d",
			    ctl->lim.max_clients, (unsigned long)rl.rlim_cur,
			    most);
			ctl->lim.max_clients = most;
		}
	}
}

/*
 * Mode 0660, group control.group: only root, the daemon and that group's
 * members (staff, the console's user) can connect at all; the commands
 * then check who is asking.  A group that does not exist leaves the
 * socket the group it was made with (the daemon's, or root's before
 * the daemon drops its privileges), with a warning.
 */
static void
socket_access(const char *path, const char *group)
{
	struct group *gr;
	struct stat st;

	if (chmod(path, 0660) == -1)
		log_warn("control socket chmod %s", path);
	if ((gr = getgrnam(group)) == NULL) {
		if (stat(path, &st) == 0)
			log_warnx("control.group '%s' does not exist: the "
			    "socket %s keeps gid %u", group, path,
			    (unsigned)st.st_gid);
		return;
	}
	if (chown(path, (uid_t)-1, gr->gr_gid) == -1)
		log_warn("control socket: cannot give %s to group '%s'", path,
		    group);
}

struct control *
control_open(struct event_base *base, const char *path,
    const struct control_limits *lim, control_handler h, void *arg)
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
	socket_access(path, lim->group);
	ctl = xcalloc(1, sizeof(*ctl));
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ctl->handler = h;
	ctl->arg = arg;
	ctl->base = base;
	control_set_limits(ctl, lim);
	ctl->resume_ev = evtimer_new(base, accept_resume, ctl);
	ctl->listener = evconnlistener_new(base, accept_cb, ctl,
	    LEV_OPT_CLOSE_ON_FREE, 16, fd);
	if (ctl->listener == NULL || ctl->resume_ev == NULL) {
		log_warn("control listen %s", path);
		if (ctl->listener != NULL)
			evconnlistener_free(ctl->listener);
		else
			close(fd);
		if (ctl->resume_ev != NULL)
			event_free(ctl->resume_ev);
		unlink(path);
		free(ctl);
		return NULL;
	}
	evconnlistener_set_error_cb(ctl->listener, accept_error);
	return ctl;
}

void
control_close(struct control *ctl)
{
	if (ctl == NULL)
		return;
	while (ctl->clients != NULL)
		client_free(ctl->clients);
	event_free(ctl->resume_ev);
	evconnlistener_free(ctl->listener);
	unlink(ctl->path);
	free(ctl);
}
