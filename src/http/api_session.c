/*
 * Runner sessions of the console: after a right PIN a random token, kept
 * in memory only, names the runner every request is for.  A token lapses
 * after IDLE_S without a request and LIFE_S in all; the least recently
 * used is forgotten when the table is full.  The cookie is HttpOnly and
 * SameSite=Strict, so another site's page can neither read nor send it.
 */
#include <sys/random.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/keyvalq_struct.h>

#include "api.h"
#include "log.h"

#define NSESS	32
#define IDLE_S	(30 * 60)
#define LIFE_S	(12 * 60 * 60)
#define COOKIE	"treadmill_session"

struct sess {
	char	 token[API_TOKEN_LEN + 1];
	char	 runner[64];
	double	 born, seen;
};

static struct sess sess[NSESS];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool
live(const struct sess *s, double now)
{
	return s->token[0] != '\0' && now - s->seen < IDLE_S &&
	    now - s->born < LIFE_S;
}

/* Every byte compared, whatever the first difference. */
static bool
same_token(const char *a, const char *b)
{
	unsigned char d = 0;

	for (int i = 0; i < API_TOKEN_LEN; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

const char *
websess_new(const char *runner)
{
	unsigned char raw[API_TOKEN_LEN / 2];
	struct sess *s = &sess[0];
	double now = now_s();

	if (getrandom(raw, sizeof(raw), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(raw)) {
		log_warnx("http: no randomness for a session token");
		return NULL;
	}
	for (int i = 0; i < NSESS; i++) {
		if (!live(&sess[i], now)) {
			s = &sess[i];
			break;
		}
		if (sess[i].seen < s->seen)
			s = &sess[i];
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(s->token + 2 * i, 3, "%02x", raw[i]);
	snprintf(s->runner, sizeof(s->runner), "%s", runner);
	s->born = s->seen = now;
	return s->token;
}

/* The session of the request's cookie, or NULL. */
static struct sess *
find(struct evhttp_request *req)
{
	const char *c = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Cookie");
	const char *p;
	double now = now_s();

	if (c == NULL)
		return NULL;
	for (p = strstr(c, COOKIE "="); p != NULL;
	    p = strstr(p + 1, COOKIE "=")) {
		if (p != c && p[-1] != ' ' && p[-1] != ';')
			continue;
		p += sizeof(COOKIE);
		if (strlen(p) < API_TOKEN_LEN || (p[API_TOKEN_LEN] != '\0' &&
		    p[API_TOKEN_LEN] != ';'))
			return NULL;
		for (int i = 0; i < NSESS; i++)
			if (live(&sess[i], now) &&
			    same_token(sess[i].token, p)) {
				sess[i].seen = now;
				return &sess[i];
			}
		return NULL;
	}
	return NULL;
}

const char *
websess_runner(struct evhttp_request *req)
{
	struct sess *s = find(req);

	return s != NULL ? s->runner : NULL;
}

void
websess_end(struct evhttp_request *req)
{
	struct sess *s = find(req);

	if (s != NULL)
		memset(s, 0, sizeof(*s));
	websess_cookie(req, NULL);
}

void
websess_cookie(struct evhttp_request *req, const char *token)
{
	char v[API_TOKEN_LEN + 128];

	if (token != NULL)
		snprintf(v, sizeof(v), COOKIE "=%s; Path=/; HttpOnly; "
		    "SameSite=Strict; Max-Age=%d", token, LIFE_S);
	else
		snprintf(v, sizeof(v), COOKIE "=; Path=/; HttpOnly; "
		    "SameSite=Strict; Max-Age=0");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Set-Cookie", v);
}
