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
/* Connections refused for the cap so far. */
unsigned long	 http_refused(const struct http *);
void		 http_close(struct http *);

#endif
