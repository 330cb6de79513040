/*
 * treadsim: the state shared by the transport, the control socket and the
 * event loop, plus the event log.  Names are prefixed sim_ so that the
 * simulator never clashes with the daemon's library it is linked beside.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "regs.h"

struct event_base;
struct sim_server;
struct sim_ctl;
struct sim_trickle;

/* How replies misbehave (misbehave.c). */
enum {
	SIM_MB_NONE, SIM_MB_TRICKLE, SIM_MB_OVERLONG, SIM_MB_WRONGLEN,
	SIM_MB_WRONGTID, SIM_MB_GARBAGE, SIM_MB_SILENCE
};

struct sim {
	struct event_base	*base;
	struct sim_model	 model;
	struct sim_regs		 regs;
	int			 unit;

	/* fault injection (ctl) */
	bool			 mute;		/* receive, never answer */
	int			 slow_ms;	/* delay every reply */
	int			 exc_code;	/* answer everything with it */
	int			 misbehave;	/* SIM_MB_* */
	int			 trickle_ms;	/* one reply byte per trickle_ms */
	struct sim_trickle	*trickle;

	/* counters (ctl state) */
	unsigned long		 requests;	/* processed for our unit */
	unsigned long		 writes;	/* accepted command writes */
	unsigned long		 errors;	/* exceptions sent */
	unsigned long		 ignored;	/* muted, dropped, other unit */
	unsigned long		 misreplies;	/* replies changed by misbehave */

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

/* misbehave.c: a reply b[0..n) (ADU) changed on its way to fd */
void	sim_mb_send(struct sim *, int fd, unsigned client, bool rtu,
	    uint8_t *b, size_t n);
void	sim_mb_forget(struct sim *, unsigned client);
void	sim_mb_reset(struct sim *);	/* drop what is still trickling */
void	sim_mb_free(struct sim *);
const char *sim_mb_name(int);
int	sim_mb_parse(const char *);

/* ctl.c: control socket; ctlcmd.c: its commands */
int	sim_ctl_open(struct sim *, const char *);
void	sim_ctl_close(struct sim *);
int	sim_ctl_exec(struct sim *, char *, char *, size_t, bool *);

/* ctlcli.c: "treadsim ctl" */
int	sim_ctl_client(int, char **);

#endif
