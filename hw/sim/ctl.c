/*
 * Control socket (-c PATH): a UNIX stream socket with a line protocol.
 * Each line is one command (ctlcmd.c), answered with one line.  Lines are
 * bounded; a client may send several, or end the last without a newline.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "sim.h"

#define CTL_MAX_LINE	256
#define CTL_REPLY	1024

struct ctl_conn {
	struct sim_ctl		*ctl;
	struct bufferevent	*bev;
	bool			 closing;	/* free once the reply is out */
	bool			 quit;		/* then stop the simulator */
	struct ctl_conn		*next;
};

struct sim_ctl {
	struct sim		*s;
	char			*path;
	struct evconnlistener	*lst;
	struct ctl_conn		*conns;
};

static void
conn_free(struct ctl_conn *c)
{
	struct ctl_conn **pp;

	for (pp = &c->ctl->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	bufferevent_free(c->bev);
	free(c);
}

static void
conn_reply(struct ctl_conn *c, char *line)
{
	char reply[CTL_REPLY];
	bool quit;

	sim_ctl_exec(c->ctl->s, line, reply, sizeof(reply), &quit);
	evbuffer_add_printf(bufferevent_get_output(c->bev), "%s\n", reply);
	if (quit) {
		c->quit = c->closing = true;
		bufferevent_disable(c->bev, EV_READ);
	}
}

static void
conn_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	while (!c->closing) {
		line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
		if (line == NULL) {
			if (evbuffer_get_length(in) <= CTL_MAX_LINE)
				return;
			n = CTL_MAX_LINE + 1;	/* no newline in sight */
		}
		if (n > CTL_MAX_LINE) {
			free(line);
			evbuffer_add_printf(bufferevent_get_output(bev),
			    "error: line too long (max %d)\n", CTL_MAX_LINE);
			evbuffer_drain(in, evbuffer_get_length(in));
			c->closing = true;
			bufferevent_disable(bev, EV_READ);
			return;
		}
		conn_reply(c, line);
		free(line);
	}
}

static void
conn_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;
	struct event_base *base = c->ctl->s->base;
	bool quit = c->quit;

	(void)bev;
	if (!c->closing)
		return;
	conn_free(c);
	if (quit)
		event_base_loopexit(base, NULL);
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	char line[CTL_MAX_LINE + 1];

	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	/* A last line without its newline still counts. */
	if ((what & BEV_EVENT_EOF) && !c->closing && n > 0 &&
	    n <= CTL_MAX_LINE) {
		evbuffer_remove(in, line, n);
		line[n] = '\0';
		conn_reply(c, line);
		c->closing = true;
	}
	if ((what & BEV_EVENT_ERROR) ||
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		bool quit = c->quit;
		struct event_base *base = c->ctl->s->base;

		conn_free(c);
		if (quit)
			event_base_loopexit(base, NULL);
		return;
	}
	c->closing = true;	/* conn_write frees it once flushed */
}

static void
ctl_accept(struct evconnlistener *lst, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct sim_ctl *ctl = arg;
	struct ctl_conn *c;

	(void)lst;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		sim_warn("ctl: calloc");
		close(fd);
		return;
	}
	c->ctl = ctl;
	c->bev = bufferevent_socket_new(ctl->s->base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		sim_warnx("ctl: bufferevent_socket_new failed");
		close(fd);
		free(c);
		return;
	}
	bufferevent_setcb(c->bev, conn_read, conn_write, conn_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = ctl->conns;
	ctl->conns = c;
}

/* A live simulator owns the path; a stale socket file is replaced. */
static int
claim_path(const struct sockaddr_un *sun)
{
	struct stat st;
	int fd;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0) {
		close(fd);
		errno = EADDRINUSE;
		return -1;
	}
	close(fd);
	return unlink(sun->sun_path);
}

int
sim_ctl_open(struct sim *s, const char *path)
{
	struct sim_ctl *ctl;
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		sim_warnx("%s: control socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (claim_path(&sun) == -1) {
		sim_warn("%s", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		sim_warn("socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1) {
		sim_warn("%s", path);
		close(fd);
		return -1;
	}
	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		sim_warn("calloc");
		free(ctl);
		close(fd);
		unlink(path);
		return -1;
	}
	ctl->s = s;
	s->ctl = ctl;
	ctl->lst = evconnlistener_new(s->base, ctl_accept, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (ctl->lst == NULL) {
		sim_warnx("ctl: evconnlistener_new failed");
		close(fd);
		return -1;
	}
	return 0;
}

void
sim_ctl_close(struct sim *s)
{
	struct sim_ctl *ctl = s->ctl;

	if (ctl == NULL)
		return;
	while (ctl->conns != NULL)
		conn_free(ctl->conns);
	if (ctl->lst != NULL)
		evconnlistener_free(ctl->lst);
	unlink(ctl->path);
	free(ctl->path);
	free(ctl);
	s->ctl = NULL;
}
