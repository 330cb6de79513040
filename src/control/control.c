/*
 * Control socket transport.  It knows lines and peers, not commands: each
 * complete line is split into words and handed to the handler.  Here the
 * socket itself: made with its mode and group, its connections accepted
 * up to the cap; control_conn.c serves each connection.
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

#include <event2/listener.h>

#include "control_conn.h"
#include "log.h"
#include "xmalloc.h"

#define FD_RESERVE	32	/* descriptors kept for the drive, history... */
#define ACCEPT_PAUSE_MIN_MS 100
#define ACCEPT_PAUSE_MAX_MS 2000
#define LOG_EVERY_S	10	/* repeated complaints: one line per period */

static double
clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool
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
	struct ucred cred;
	socklen_t clen = sizeof(cred);

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
	client_new(ctl, fd, &cred);
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
