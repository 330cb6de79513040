/*
 * The treadmill on an MQTT broker (libmosquitto): its state once a
 * second, its events with QoS 1, a retained last will marking it
 * offline, and Home Assistant discovery.  The network is libmosquitto's
 * own thread; the loop only hands it messages, and what waits for the
 * broker is bounded (state is dropped while disconnected, events beyond
 * mqtt.queue_max are dropped and counted).
 */
#ifndef TREAD_MQTT_H
#define TREAD_MQTT_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"
#include "counters.h"

struct mqtt;

struct mqtt_stats {
	int		 connected;
	unsigned long	 published, dropped, connects;
	int		 pending;	/* events held, or not yet acknowledged */
};

/* NULL with why in err when the client cannot be made (bad settings);
 * a broker that is down is not an error: it is retried. */
struct mqtt	*mqtt_open(const struct config *, char *err, size_t errlen);
/* The state message, from the status snapshot's JSON (status_json). */
void		 mqtt_state(struct mqtt *, const json_t *status);
void		 mqtt_event(struct mqtt *, const struct ctr_event *);
void		 mqtt_stats(struct mqtt *, struct mqtt_stats *);
void		 mqtt_close(struct mqtt *);

#endif
