/*
 * Live state for the console page as Server-Sent Events: each open
 * GET /api/events is a chunked reply that a 5 Hz timer feeds with the
 * status its token may see.  Bounded: at most NSTREAMS at once, and a
 * client that leaves more than OUT_MAX bytes unread is dropped; the
 * socket's send buffer is kept small so that this comes within seconds.
 * A stream that goes changes nothing about the belt.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent.h>

#include "api.h"
#include "log.h"
#include "xmalloc.h"

#define NSTREAMS	8
#define OUT_MAX		(16 * 1024)	/* unread in the daemon */
#define SNDBUF		(16 * 1024)	/* and in the kernel */
#define PERIOD_US	200000

struct stream {
	struct evhttp_request		*req;
	struct evhttp_connection	*con;
	char				 runner[64];	/* "": anyone */
};

struct events {
	struct belt	*b;
	struct event	*tick;
	struct stream	 s[NSTREAMS];
};

static void
on_close(struct evhttp_connection *con, void *arg)
{
	struct events *e = arg;

	for (int i = 0; i < NSTREAMS; i++) {
		if (e->s[i].con != con)
			continue;
		/* evhttp has let go of a reply still going (the client left):
		 * it is ours to free, which ending it does. */
		if (evhttp_request_get_connection(e->s[i].req) == NULL)
			evhttp_send_reply_end(e->s[i].req);
		memset(&e->s[i], 0, sizeof(e->s[i]));
	}
}

static void
drop(struct stream *s)
{
	struct evhttp_connection *con = s->con;

	log_info("http: an event stream does not read; dropped");
	memset(s, 0, sizeof(*s));
	evhttp_connection_set_closecb(con, NULL, NULL);
	evhttp_connection_free(con);
}

static void
push(struct events *e, struct stream *s, const char *anyone)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(s->con);
	struct evbuffer *chunk;
	char *mine = NULL;
	const char *data = anyone;

	if (evbuffer_get_length(bufferevent_get_output(bev)) > OUT_MAX) {
		drop(s);
		return;
	}
	if (s->runner[0] != '\0') {
		json_t *o = api_status(e->b, s->runner);

		mine = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		data = mine;
	}
	if (data == NULL || (chunk = evbuffer_new()) == NULL) {
		free(mine);
		return;
	}
	evbuffer_add_printf(chunk, "data: %s\n\n", data);
	evhttp_send_reply_chunk(s->req, chunk);
	evbuffer_free(chunk);
	free(mine);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct events *e = arg;
	char *anyone = NULL;
	json_t *o;

	(void)fd;
	(void)what;
	for (int i = 0; i < NSTREAMS; i++) {
		if (e->s[i].req == NULL)
			continue;
		if (anyone == NULL) {
			o = api_status(e->b, NULL);
			anyone = json_dumps(o, JSON_COMPACT);
			json_decref(o);
		}
		push(e, &e->s[i], anyone);
	}
	free(anyone);
}

struct events *
events_open(struct belt *b, struct event_base *base)
{
	struct events *e = xcalloc(1, sizeof(*e));
	struct timeval tv = { 0, PERIOD_US };

	e->b = b;
	e->tick = event_new(base, -1, EV_PERSIST, on_tick, e);
	event_add(e->tick, &tv);
	return e;
}

void
events_serve(struct evhttp_request *req, void *arg)
{
	struct events *e = arg;
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);
	const char *runner = websess_runner(req);
	struct stream *s = NULL;
	int sndbuf = SNDBUF;
	evutil_socket_t fd;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		api_error(req, 405, "events are read with GET");
		return;
	}
	for (int i = 0; i < NSTREAMS && s == NULL; i++)
		if (e->s[i].req == NULL)
			s = &e->s[i];
	if (s == NULL) {
		api_error(req, 503, "more than %d event streams open",
		    NSTREAMS);
		return;
	}
	s->req = req;
	s->con = evhttp_request_get_connection(req);
	fd = bufferevent_getfd(evhttp_connection_get_bufferevent(s->con));
	if (fd != -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf));
	snprintf(s->runner, sizeof(s->runner), "%s", runner ? runner : "");
	evhttp_connection_set_closecb(s->con, on_close, e);
	evhttp_add_header(hdr, "Content-Type", "text/event-stream");
	evhttp_add_header(hdr, "Cache-Control", "no-store");
	evhttp_send_reply_start(req, 200, "OK");
	on_tick(-1, 0, e);	/* at once, not a period later */
}

void
events_close(struct events *e)
{
	if (e == NULL)
		return;
	for (int i = 0; i < NSTREAMS; i++)
		if (e->s[i].con != NULL)
			evhttp_connection_set_closecb(e->s[i].con, NULL, NULL);
	event_free(e->tick);
	free(e);
}
