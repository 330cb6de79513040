/*
 * The runner's console over HTTP: a JSON API that calls the same
 * command code as the control socket, runner sessions (a PIN, then a
 * token in a cookie), live state pushed as Server-Sent Events, and the
 * page's static files.  Everything answers on the loop from memory;
 * what needs the history or a PIN check finishes on the control worker
 * thread.
 */
#ifndef TREAD_API_H
#define TREAD_API_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "commands.h"
#include "http.h"

struct belt;
struct web;
struct events;

struct api {
	struct belt	*b;
	struct http	*h;
	struct web	*web;
	struct events	*ev;
};

/* Routes /api/... and the page on h; NULL with why in err. */
struct api	*api_open(struct belt *, struct http *, char *err, size_t);
void		 api_close(struct api *);

/* Shared by the API's files. */
/* A JSON reply; "ok" is added (false for codes >= 400). */
void	 api_json(struct evhttp_request *, int code, json_t *o);
/* {"ok": false, "error": msg} */
void	 api_error(struct evhttp_request *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Call a command (commands.h) for req; its reply is the answer, now or
 * from the worker thread. */
void	 api_run(struct belt *, struct evhttp_request *, cmd_fn *, int argc,
	    char **argv);
/* The request's JSON object (an empty one for GET); NULL when answered
 * (wrong method, too big, not JSON). */
json_t	*api_body(struct evhttp_request *, bool post);
/* The signed-in runner; a "runner" asked for must be her (NULL when
 * answered: 401, 403). */
const char *api_runner(struct evhttp_request *, json_t *body);
/* A number field in [lo, hi] as text in buf; -1 when answered (400). */
int	 api_num(struct evhttp_request *, json_t *body, const char *key,
	    double lo, double hi, char *buf, size_t len);
/* The status as a runner (or NULL: anyone) may see it. */
json_t	*api_status(struct belt *, const char *runner);

/* The units her page shows ("metric" or "imperial"): her profile's
 * runner.units, else the site's http.units (also for runner NULL). */
const char *api_units(const struct belt *, const char *runner);

/* POST /api/login (api_login.c). */
void	 api_login(struct evhttp_request *, void *api);

/* Runner sessions: a random token, in memory, expiring. */
#define API_TOKEN_LEN 64
const char *websess_new(const char *runner);		/* the token */
/* The runner of the request's token (cookie), or NULL. */
const char *websess_runner(struct evhttp_request *);
void	 websess_end(struct evhttp_request *);
void	 websess_cookie(struct evhttp_request *, const char *token);

/* The page's files, read once at start. */
struct web *web_load(const char *dir, char *err, size_t errlen);
void	 web_serve(struct evhttp_request *, void *web);
void	 web_free(struct web *);

/* Live state at 5 Hz to every open /api/events. */
struct events *events_open(struct belt *, struct event_base *);
void	 events_serve(struct evhttp_request *, void *events);
void	 events_close(struct events *);

#endif
