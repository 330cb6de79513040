/*
 * Inside the control socket: the listener (control.c) and its clients'
 * connections (control_conn.c) share the socket's state.
 */
#ifndef TREAD_CONTROL_CONN_H
#define TREAD_CONTROL_CONN_H

#include <sys/socket.h>
#include <sys/un.h>

#include <stdbool.h>

#include <event2/listener.h>

#include "control.h"

/* A complaint that may repeat: logged once per period, with a count. */
struct ratelog {
	double		 last;
	unsigned long	 held;
};

struct client;

struct control {
	struct evconnlistener	*listener;
	struct event_base	*base;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_handler		 handler;
	void			*arg;
	struct control_limits	 lim;
	struct client		*clients;
	int			 nclients;
	struct event		*resume_ev;	/* accept again after a pause */
	int			 pause_ms;
	struct ratelog		 refused, dropped, accept_err;
};

/* True when this occurrence is to be logged; *held says how many were not. */
bool	 ratelog_due(struct ratelog *, unsigned long *held);

/* Serve the connection accepted on fd, from the peer cred.  On failure
 * fd is closed. */
void	 client_new(struct control *, evutil_socket_t fd,
	    const struct ucred *cred);
void	 client_free(struct client *);

#endif
