/*
 * Register layouts the simulator serves (hw/maps/reference.conf and
 * hw/maps/vfd-hz.conf), their encodings, and the validation of one Modbus
 * request against the contract.  Pure functions: no I/O, no libmodbus.
 */
#ifndef SIM_REGS_H
#define SIM_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define SIM_NTELE	8	/* telemetry block length */
#define SIM_NCMD	7	/* command block length */
#define SIM_MAX_WRITE	123	/* FC16 maximum quantity */

/* Offsets inside the blocks. */
enum {
	SIM_T_STATUS, SIM_T_BELT, SIM_T_INCLINE, SIM_T_HR, SIM_T_FAULT,
	SIM_T_HB_ECHO, SIM_T_CONSOLE, SIM_T_DISTANCE
};
enum {
	SIM_C_CONTROL, SIM_C_SPEED, SIM_C_INCLINE, SIM_C_HEARTBEAT,
	SIM_C_WATCHDOG, SIM_C_ACCEL, SIM_C_DECEL
};

/* status bits */
#define SIM_ST_RUNNING	(1u << 0)
#define SIM_ST_KEY	(1u << 1)
#define SIM_ST_ESTOP	(1u << 2)
#define SIM_ST_FAULT	(1u << 3)
#define SIM_ST_WATCHDOG	(1u << 4)
#define SIM_ST_STOP_KEY	(1u << 5)
#define SIM_ST_READY	(1u << 6)

/* control bits */
#define SIM_CTL_RUN	(1u << 0)
#define SIM_CTL_RESET	(1u << 1)

/* Modbus exception codes the validation answers with. */
#define SIM_EX_FUNCTION	1
#define SIM_EX_ADDRESS	2
#define SIM_EX_VALUE	3

enum sim_mode { SIM_MODE_REF, SIM_MODE_VFD };

struct sim_layout {
	const char	*name;
	uint16_t	 tele_base;
	uint16_t	 cmd_base;
	bool		 fc04;		/* telemetry as input registers */
	bool		 fc23;
	double		 kmh_per_count;	/* every speed-like register */
	uint16_t	 speed_max;	/* speed_setpoint counts, drive max */
};

/* The drive's register state: the command block exactly as written. */
struct sim_regs {
	const struct sim_layout	*lay;
	uint16_t		 cmd[SIM_NCMD];
};

/* One request, decoded and validated. */
struct sim_req {
	uint8_t		fc;
	uint16_t	rd_addr, rd_n;	/* rd_n 0: no read */
	uint16_t	wr_addr, wr_n;	/* wr_n 0: no write */
	uint16_t	wr[SIM_MAX_WRITE];
};

const struct sim_layout *sim_layout_get(enum sim_mode);
int		sim_mode_parse(const char *, enum sim_mode *);
void		sim_regs_init(struct sim_regs *, enum sim_mode, uint16_t);
void		sim_regs_decode(const struct sim_regs *, struct sim_cmd *);
uint16_t	sim_regs_enc_speed(const struct sim_layout *, double);
double		sim_regs_dec_speed(const struct sim_layout *, uint16_t);
void		sim_regs_telemetry(const struct sim_regs *,
		    const struct sim_model *, uint16_t *);
int		sim_regs_parse(const struct sim_layout *, const uint8_t *,
		    size_t, struct sim_req *);
unsigned	sim_regs_apply(struct sim_regs *, struct sim_model *,
		    const struct sim_req *, double);

#endif
