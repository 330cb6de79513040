/*
 * One client's connection to the control socket: its lines, split into
 * words for the handler, a few per loop turn; its replies, now or later
 * (control_defer); and its end, when it goes, idles or stops reading.
 */
#include <sys/socket.h>

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/bufferevent.h>

#include "control_conn.h"
#include "log.h"
#include "xmalloc.h"

#define LINES_PER_TURN	8	/* requests served per client per loop turn */

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

void
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

void
client_new(struct control *ctl, evutil_socket_t fd, const struct ucred *cred)
{
	struct bufferevent *bev;
	struct client *c;
	struct timeval idle = { ctl->lim.idle_timeout_s, 0 };

	bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->bev = bev;
	c->peer.pid = cred->pid;
	c->peer.uid = cred->uid;
	c->peer.gid = cred->gid;
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
