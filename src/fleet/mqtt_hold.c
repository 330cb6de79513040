/*
 * The held events: a ring of at most max copies, so that a broker away
 * for a day costs a bounded amount of memory.
 */
#include <stdlib.h>
#include <string.h>

#include "mqtt_hold.h"
#include "xmalloc.h"

struct held {
	char	*topic, *payload;
};

struct mqtt_hold {
	struct held	*ring;
	int		 max, first, n;
};

static char *
copy(const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = xmalloc(n);

	memcpy(c, s, n);
	return c;
}

struct mqtt_hold *
mqtt_hold_new(int max)
{
	struct mqtt_hold *h = xcalloc(1, sizeof(*h));

	h->max = max;
	h->ring = xcalloc((size_t)max, sizeof(*h->ring));
	return h;
}

int
mqtt_hold_put(struct mqtt_hold *h, const char *topic, const char *payload)
{
	struct held *e;

	if (h->n == h->max)
		return -1;
	e = &h->ring[(h->first + h->n) % h->max];
	e->topic = copy(topic);
	e->payload = copy(payload);
	h->n++;
	return 0;
}

void
mqtt_hold_drain(struct mqtt_hold *h, void (*fn)(void *, const char *,
    const char *), void *arg)
{
	while (h->n > 0) {
		struct held *e = &h->ring[h->first];

		if (fn != NULL)
			fn(arg, e->topic, e->payload);
		free(e->topic);
		free(e->payload);
		h->first = (h->first + 1) % h->max;
		h->n--;
	}
	h->first = 0;
}

int
mqtt_hold_count(const struct mqtt_hold *h)
{
	return h->n;
}

void
mqtt_hold_free(struct mqtt_hold *h)
{
	if (h == NULL)
		return;
	mqtt_hold_drain(h, NULL, NULL);
	free(h->ring);
	free(h);
}
