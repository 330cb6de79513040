/*
 * treadsim: the state shared by the transport, the control socket and the
 * event loop, plus the event log.  Names are prefixed sim_ so that the
 * simulator never clashes with the daemon's library it is linked beside.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>

#include "model.h"
#include "regs.h"

struct event_base;
struct sim_server;
struct sim_ctl;

struct sim {
	struct event_base	*base;
	struct sim_model	 model;
	struct sim_regs		 regs;
	int			 unit;

	/* fault injection (ctl) */
	bool			 mute;		/* receive, never answer */
	int			 slow_ms;	/* delay every reply */
	int			 exc_code;	/* answer everything with it */

	/* counters (ctl state) */
	unsigned long		 requests;	/* processed for our unit */
	unsigned long		 writes;	/* accepted command writes */
	unsigned long		 errors;	/* exceptions sent */
	unsigned long		 ignored;	/* muted, dropped, other unit */

	struct sim_server	*srv;
	struct sim_ctl		*ctl;
};

/* simlog.c */
double	sim_now(void);
int	sim_log_open(const char *);
void	sim_log_close(void);
void	sim_event(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	sim_model_events(const struct sim *, unsigned);
void	sim_warn(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	sim_warnx(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* server.c: Modbus transport */
struct sim_server_opts {
	const char	*tcp;		/* ADDR:PORT, or NULL for RTU */
	const char	*device;	/* RTU device */
	int		 baud;
	char		 parity;	/* N, E or O */
};
int	sim_server_open(struct sim *, const struct sim_server_opts *,
	    char *, size_t);
void	sim_server_close(struct sim *);

/* ctl.c: control socket; ctlcmd.c: its commands */
int	sim_ctl_open(struct sim *, const char *);
void	sim_ctl_close(struct sim *);
int	sim_ctl_exec(struct sim *, char *, char *, size_t, bool *);

/* ctlcli.c: "treadsim ctl" */
int	sim_ctl_client(int, char **);

#endif
