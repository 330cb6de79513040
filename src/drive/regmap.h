/*
 * Register maps: how one drive lays out its registers, loaded from a
 * libconfig file in hw/maps/, and the pure codec between register words
 * and engineering units.  Supporting another drive means writing a map,
 * not code.
 */
#ifndef TREAD_REGMAP_H
#define TREAD_REGMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "sample.h"

#define REGMAP_MAX_BLOCK 32

struct errlist;

struct regfield {
	int	addr;		/* zero-based PDU address, -1 = absent */
	double	scale;		/* engineering unit per count */
	bool	is_signed;	/* int16 two's complement */
};

enum status_bit {
	SB_RUNNING, SB_KEY, SB_ESTOP, SB_FAULT, SB_WATCHDOG, SB_STOP_KEY,
	SB_READY, SB_COUNT
};

struct regmap {
	char	 name[64];
	char	 path[512];
	bool	 fc23;
	double	 max_speed;	/* km/h the drive accepts */
	double	 min_incline, max_incline;
	int	 read_addr, read_count;
	int	 write_addr, write_count;
	int	 status_addr;
	int	 status_bits[SB_COUNT];
	struct regfield belt_speed, incline, heart_rate, fault_code,
		 heartbeat_echo, console_request, distance;
	int	 control_addr, run_bit, reset_bit;
	struct regfield speed_setpoint, incline_setpoint, heartbeat;
	struct regfield watchdog_ms, accel_limit, decel_limit;
};

/* Load and validate a map; every problem goes to errs as file:line. */
int	 regmap_load(struct regmap *, const char *path, struct errlist *);

/* Decode the read block (read_count words from read_addr). */
void	 regmap_decode(const struct regmap *, const uint16_t *words,
	    struct sample *);
/* Encode the write block (write_count words from write_addr). */
void	 regmap_encode(const struct regmap *, const struct command *,
	    uint16_t *words);
/* Encode one engineering value for a single register. */
uint16_t regmap_to_raw(const struct regfield *, double value);
double	 regmap_from_raw(const struct regfield *, uint16_t raw);

#endif
