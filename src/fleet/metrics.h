/*
 * /metrics: the Prometheus text exposition of the status snapshot and
 * the counters.  No health data: no symptoms, check-ins or plan reasons;
 * the runner's id only when http.metrics_runner allows it.
 */
#ifndef TREAD_METRICS_H
#define TREAD_METRICS_H

#include <event2/buffer.h>

struct status;
struct counters;
struct mqtt_stats;

/* mq is NULL when MQTT is off. */
void	 metrics_render(const struct status *, const struct counters *,
	    const struct mqtt_stats *mq, int with_runner, struct evbuffer *);

#endif
