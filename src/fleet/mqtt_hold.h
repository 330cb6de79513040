/*
 * Events held while the broker is away: a bounded first-in first-out
 * list of topic and payload copies.  Not locked: its owner locks.
 */
#ifndef TREAD_MQTT_HOLD_H
#define TREAD_MQTT_HOLD_H

struct mqtt_hold;

struct mqtt_hold *mqtt_hold_new(int max);
/* -1 when full: the message is not kept. */
int	 mqtt_hold_put(struct mqtt_hold *, const char *topic,
	    const char *payload);
/* Hand each held message to fn, oldest first, and forget them all. */
void	 mqtt_hold_drain(struct mqtt_hold *, void (*fn)(void *,
	    const char *topic, const char *payload), void *arg);
int	 mqtt_hold_count(const struct mqtt_hold *);
void	 mqtt_hold_free(struct mqtt_hold *);

#endif
