/*
 * A small HTTP listener on the daemon's own event loop (libevent's
 * evhttp): bind, a route table, and a reply helper.  It shares the loop
 * with the tick, so every handler must answer from memory at once: no
 * disk, no network, no waiting.  Requests are bounded in size, idle
 * connections time out and the number of connections is capped.
 */
#ifndef TREAD_HTTP_H
#define TREAD_HTTP_H

#include <stddef.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

struct http;

struct http_limits {
	int	 max_connections;
	int	 timeout_s;
	int	 max_size;	/* bytes of headers, and of a body */
};

/* Fills body; returns the HTTP status code. */
typedef int	(*http_handler)(struct evhttp_request *, struct evbuffer *body,
		    const char **content_type, void *arg);

/* NULL with why in err if the address cannot be bound. */
struct http	*http_open(struct event_base *, const char *host, int port,
		    const struct http_limits *, char *err, size_t errlen);
/* Route GET (and HEAD) of an exact path to a handler. */
int		 http_route(struct http *, const char *path, http_handler,
		    void *arg);
/*
 * A route that owns the request: it answers with http_reply (now or
 * later, on the loop) or keeps it open (a stream).  It sees every method
 * the listener allows (GET, HEAD, POST); plain routes answer POST with
 * 405.
 */
typedef void	(*http_raw_handler)(struct evhttp_request *, void *arg);
int		 http_route_raw(struct http *, const char *path,
		    http_raw_handler, void *arg);
/* Every path without a route of its own (default: 404). */
void		 http_route_other(struct http *, http_raw_handler, void *arg);
/* Answer req with code, type and body (left empty); no-store. */
void		 http_reply(struct evhttp_request *, int code,
		    const char *content_type, struct evbuffer *body);
struct event_base *http_base(const struct http *);
/* The cap on a request body, in bytes. */
int		 http_max_size(const struct http *);
/* Connections refused for the cap so far. */
unsigned long	 http_refused(const struct http *);
void		 http_close(struct http *);

#endif
