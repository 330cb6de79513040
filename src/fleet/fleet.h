/*
 * What reports to the outside: the HTTP listener with /metrics, and the
 * MQTT publisher.  Each is off unless treadmilld.conf turns it on, and
 * neither can fail the daemon: a listener that cannot bind or a broker
 * that is down is logged, and the belt runs.
 */
#ifndef TREAD_FLEET_H
#define TREAD_FLEET_H

struct belt;
struct fleet;

struct fleet	*fleet_open(struct belt *);
void		 fleet_close(struct fleet *);

#endif
