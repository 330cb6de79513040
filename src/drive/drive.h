/*
 * The Modbus master: one drive, over RTU or TCP, through a register map.
 * Every call blocks for at most the configured response timeout, however
 * the drive answers; a failed transaction writes RUN=0 and closes the link
 * (TCP), and a later drive_poll_connect() reopens it with backoff, writing
 * RUN=0 before anything else.  It knows nothing of runners or of what is safe: the
 * caller feeds every outcome to the safety core.
 */
#ifndef TREAD_DRIVE_H
#define TREAD_DRIVE_H

#include <modbus.h>
#include <stdbool.h>

#include "config.h"
#include "sample.h"

struct drive {
	modbus_t	*ctx;
	struct config	 cfg;		/* the link settings in use */
	bool		 connected;
	double		 next_attempt;	/* monotonic s */
	int		 backoff_ms;
	unsigned long	 transactions;	/* Modbus requests sent */
	unsigned long	 failures;
	unsigned long	 reconnects;
	unsigned long	 late;		/* replies past the deadline */
	unsigned long	 stops_on_failure; /* RUN=0 sent before a close */
	struct command	 last_cmd;	/* last command block sent */
	bool		 wire_checked;	/* RTU timing warning given */
	char		 last_error[160];
};

void	 drive_init(struct drive *, const struct config *);
/* Connect if not connected and the backoff allows; 0 when connected. */
int	 drive_poll_connect(struct drive *, double now);
/* One tick: write the command block, read the telemetry block. */
int	 drive_transact(struct drive *, const struct command *, struct sample *,
	    double now);
/* Write the command block alone (an immediate stop).  Not connected, it
 * makes the next drive_poll_connect() try at once. */
int	 drive_write_command(struct drive *, const struct command *, double now);
void	 drive_close(struct drive *);
/* Human description of the link, e.g. "tcp 127.0.0.1:1502 unit 1". */
const char *drive_describe(const struct drive *, char *, size_t);

#endif
