/*
 * The HTTP listener.  evhttp does the protocol; this file adds the
 * limits, the routes and one way to answer.  libevent 2.1 has no cap on
 * connections, so each connection's bufferevent is made here and kept
 * referenced: one that evhttp has freed has no callbacks left (while
 * evhttp holds one its error callback is always set), and is dropped
 * when the next connection is counted.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "xmalloc.h"

struct route {
	struct http	*h;
	http_handler	 fn;
	http_raw_handler raw;
	void		*arg;
};

struct http {
	struct event_base *base;
	struct evhttp	*ev;
	struct http_limits lim;
	struct bufferevent **conns;	/* live connections, lim.max */
	int		 nconns;
	unsigned long	 refused;
	struct route	*routes[32];
	int		 nroutes;
	http_raw_handler other;		/* any other path */
	void		*other_arg;
};

/* Forget the connections evhttp has freed. */
static void
sweep(struct http *h)
{
	bufferevent_data_cb rd, wr;
	bufferevent_event_cb evcb;
	int i = 0;

	while (i < h->nconns) {
		bufferevent_getcb(h->conns[i], &rd, &wr, &evcb, NULL);
		if (rd == NULL && wr == NULL && evcb == NULL) {
			bufferevent_decref(h->conns[i]);
			h->conns[i] = h->conns[--h->nconns];
		} else
			i++;
	}
}

/* One over the cap: its socket is shut on the next turn of the loop,
 * and evhttp, seeing it closed, frees the connection itself. */
static void
refuse(evutil_socket_t fd, short what, void *arg)
{
	struct bufferevent *bev = arg;
	evutil_socket_t s = bufferevent_getfd(bev);

	(void)fd;
	(void)what;
	if (s != -1)
		shutdown(s, SHUT_RDWR);
	bufferevent_decref(bev);
}

static struct bufferevent *
new_conn(struct event_base *base, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct http *h = arg;
	struct bufferevent *bev;

	/* evhttp makes a bufferevent of its own if given none. */
	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)) ==
	    NULL)
		return NULL;
	bufferevent_incref(bev);
	sweep(h);
	if (h->nconns >= h->lim.max_connections) {
		if (h->refused++ == 0)
			log_warnx("http: more than %d connections; refusing "
			    "the rest", h->lim.max_connections);
		if (event_base_once(base, -1, EV_TIMEOUT, refuse, bev, &now) ==
		    -1)
			bufferevent_decref(bev);
		return bev;
	}
	h->conns[h->nconns++] = bev;
	return bev;
}

static const char *
reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return code < 400 ? "OK" : "Error";
	}
}

void
http_reply(struct evhttp_request *req, int code, const char *ctype,
    struct evbuffer *body)
{
	struct evkeyvalq *hdr = evhttp_request_get_output_headers(req);

	evhttp_add_header(hdr, "Content-Type", ctype);
	evhttp_add_header(hdr, "Cache-Control", "no-store");
	evhttp_send_reply(req, code, reason(code), body);
}

static void
on_route(struct evhttp_request *req, void *arg)
{
	struct route *r = arg;
	struct evbuffer *body = evbuffer_new();
	const char *ctype = "text/plain; charset=utf-8";
	int code;

	if (r->raw != NULL) {
		evbuffer_free(body);
		r->raw(req, r->arg);
		return;
	}
	if (body == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	/* A plain route answers GET and HEAD only. */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_POST) {
		evbuffer_add_printf(body, "method not allowed\n");
		http_reply(req, 405, ctype, body);
		evbuffer_free(body);
		return;
	}
	code = r->fn(req, body, &ctype, r->arg);
	http_reply(req, code, ctype, body);
	evbuffer_free(body);
}

static void
on_other(struct evhttp_request *req, void *arg)
{
	struct http *h = arg;
	struct evbuffer *body;

	if (h->other != NULL) {
		h->other(req, h->other_arg);
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evbuffer_add_printf(body, "not found\n");
	http_reply(req, 404, "text/plain; charset=utf-8", body);
	evbuffer_free(body);
}

struct http *
http_open(struct event_base *base, const char *host, int port,
    const struct http_limits *lim, char *err, size_t errlen)
{
	struct http *h = xcalloc(1, sizeof(*h));

	h->base = base;
	h->lim = *lim;
	h->conns = xcalloc((size_t)lim->max_connections, sizeof(*h->conns));
	if ((h->ev = evhttp_new(base)) == NULL) {
		snprintf(err, errlen, "http: cannot make the listener");
		http_close(h);
		return NULL;
	}
	evhttp_set_max_headers_size(h->ev, (ev_ssize_t)lim->max_size);
	evhttp_set_max_body_size(h->ev, (ev_ssize_t)lim->max_size);
	evhttp_set_timeout(h->ev, lim->timeout_s);
	evhttp_set_allowed_methods(h->ev, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST);
	evhttp_set_bevcb(h->ev, new_conn, h);
	evhttp_set_gencb(h->ev, on_other, h);
	if (evhttp_bind_socket_with_handle(h->ev, host, (ev_uint16_t)port) ==
	    NULL) {
		snprintf(err, errlen, "http: cannot listen on %s:%d (in use, "
		    "or not an address of this machine)", host, port);
		http_close(h);
		return NULL;
	}
	return h;
}

static int
add_route(struct http *h, const char *path, http_handler fn,
    http_raw_handler raw, void *arg)
{
	struct route *r;

	if (h->nroutes == (int)(sizeof(h->routes) / sizeof(h->routes[0])))
		return -1;
	r = xcalloc(1, sizeof(*r));
	r->h = h;
	r->fn = fn;
	r->raw = raw;
	r->arg = arg;
	if (evhttp_set_cb(h->ev, path, on_route, r) != 0) {
		free(r);
		return -1;
	}
	h->routes[h->nroutes++] = r;
	return 0;
}

int
http_route(struct http *h, const char *path, http_handler fn, void *arg)
{
	return add_route(h, path, fn, NULL, arg);
}

int
http_route_raw(struct http *h, const char *path, http_raw_handler fn,
    void *arg)
{
	return add_route(h, path, NULL, fn, arg);
}

void
http_route_other(struct http *h, http_raw_handler fn, void *arg)
{
	h->other = fn;
	h->other_arg = arg;
}

struct event_base *
http_base(const struct http *h)
{
	return h->base;
}

int
http_max_size(const struct http *h)
{
	return h->lim.max_size;
}

unsigned long
http_refused(const struct http *h)
{
	return h->refused;
}

void
http_close(struct http *h)
{
	if (h == NULL)
		return;
	if (h->ev != NULL)
		evhttp_free(h->ev);
	for (int i = 0; i < h->nconns; i++)
		bufferevent_decref(h->conns[i]);
	for (int i = 0; i < h->nroutes; i++)
		free(h->routes[i]);
	free(h->conns);
	free(h);
}
