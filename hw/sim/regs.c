/*
 * Register layouts, encodings and request validation.  Checks follow the
 * Modbus order: function (01), quantity and framing (03), address (02),
 * then register values (03); a request is applied only if all of it passes.
 */
#include <math.h>
#include <string.h>

#include "regs.h"

#define FC_READ_HOLDING	0x03
#define FC_READ_INPUT	0x04
#define FC_WRITE_SINGLE	0x06
#define FC_WRITE_MULTI	0x10
#define FC_WRITE_READ	0x17

#define MAX_READ	125
#define MAX_WR_WRITE	121

#define INCLINE_MIN	(-30)	/* 0.1 % */
#define INCLINE_MAX	150

static const struct sim_layout layouts[] = {
	[SIM_MODE_REF] = {
		.name = "reference", .tele_base = 0, .cmd_base = 16,
		.fc04 = true, .fc23 = true,
		.kmh_per_count = 0.01, .speed_max = 2500,
	},
	/* 0.01 Hz counts at 0.32 km/h per Hz; 25 km/h is 7812.5, round down. */
	[SIM_MODE_VFD] = {
		.name = "vfd", .tele_base = 256, .cmd_base = 512,
		.fc04 = false, .fc23 = false,
		.kmh_per_count = 0.01 * 0.32, .speed_max = 7812,
	},
};

const struct sim_layout *
sim_layout_get(enum sim_mode mode)
{
	return &layouts[mode];
}

int
sim_mode_parse(const char *s, enum sim_mode *mode)
{
	if (strcmp(s, "reference") == 0 || strcmp(s, "ref") == 0)
		*mode = SIM_MODE_REF;
	else if (strcmp(s, "vfd") == 0 || strcmp(s, "vfd-hz") == 0)
		*mode = SIM_MODE_VFD;
	else
		return -1;
	return 0;
}

uint16_t
sim_regs_enc_speed(const struct sim_layout *lay, double kmh)
{
	double c = round(kmh / lay->kmh_per_count);

	return c <= 0 ? 0 : c >= 65535 ? 65535 : (uint16_t)c;
}

double
sim_regs_dec_speed(const struct sim_layout *lay, uint16_t count)
{
	return count * lay->kmh_per_count;
}

static uint16_t
enc_incline(double pct)
{
	double c = round(pct * 10.0);

	if (c < INT16_MIN)
		c = INT16_MIN;
	if (c > INT16_MAX)
		c = INT16_MAX;
	return (uint16_t)(int16_t)c;
}

void
sim_regs_init(struct sim_regs *r, enum sim_mode mode, uint16_t wd_ms)
{
	memset(r, 0, sizeof(*r));
	r->lay = sim_layout_get(mode);
	r->cmd[SIM_C_WATCHDOG] = wd_ms;
	r->cmd[SIM_C_ACCEL] = sim_regs_enc_speed(r->lay, SIM_POWERON_ACCEL);
	r->cmd[SIM_C_DECEL] = sim_regs_enc_speed(r->lay, SIM_POWERON_DECEL);
}

/* The model always runs on what the registers say, rounding included. */
void
sim_regs_decode(const struct sim_regs *r, struct sim_cmd *c)
{
	c->run = (r->cmd[SIM_C_CONTROL] & SIM_CTL_RUN) != 0;
	c->reset = (r->cmd[SIM_C_CONTROL] & SIM_CTL_RESET) != 0;
	c->speed_kmh = sim_regs_dec_speed(r->lay, r->cmd[SIM_C_SPEED]);
	c->incline_pct = (int16_t)r->cmd[SIM_C_INCLINE] / 10.0;
	c->heartbeat = r->cmd[SIM_C_HEARTBEAT];
	c->watchdog_ms = r->cmd[SIM_C_WATCHDOG];
	c->accel = sim_regs_dec_speed(r->lay, r->cmd[SIM_C_ACCEL]);
	c->decel = sim_regs_dec_speed(r->lay, r->cmd[SIM_C_DECEL]);
}

void
sim_regs_telemetry(const struct sim_regs *r, const struct sim_model *m,
    uint16_t *t)
{
	uint16_t st = 0;
	double hr = m->hr_on ? round(m->hr) : 0;

	if (sim_model_running(m))
		st |= SIM_ST_RUNNING;
	if (m->key_in)
		st |= SIM_ST_KEY;
	if (m->estop)
		st |= SIM_ST_ESTOP;
	if (m->fault)
		st |= SIM_ST_FAULT;
	if (m->watchdog)
		st |= SIM_ST_WATCHDOG;
	if (m->stop_key)
		st |= SIM_ST_STOP_KEY;
	if (sim_model_ready(m))
		st |= SIM_ST_READY;

	t[SIM_T_STATUS] = st;
	t[SIM_T_BELT] = sim_regs_enc_speed(r->lay, m->speed);
	t[SIM_T_INCLINE] = enc_incline(m->incline);
	t[SIM_T_HR] = hr <= 0 ? 0 : hr >= 65535 ? 65535 : (uint16_t)hr;
	t[SIM_T_FAULT] = m->fault ? (uint16_t)m->fault_code : 0;
	t[SIM_T_HB_ECHO] = r->cmd[SIM_C_HEARTBEAT];
	t[SIM_T_CONSOLE] = sim_regs_enc_speed(r->lay, m->console_kmh);
	t[SIM_T_DISTANCE] = (uint16_t)((unsigned long long)m->distance & 0xffff);
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* [addr, addr+n) lies entirely inside [base, base+len). */
static bool
in_block(uint32_t addr, uint32_t n, uint32_t base, uint32_t len)
{
	return addr >= base && addr + n <= base + len;
}

static bool
readable(const struct sim_layout *lay, uint32_t addr, uint32_t n, bool input)
{
	if (in_block(addr, n, lay->tele_base, SIM_NTELE))
		return true;
	return !input && in_block(addr, n, lay->cmd_base, SIM_NCMD);
}

static int
check_values(const struct sim_layout *lay, const struct sim_req *q)
{
	int i, v;

	for (i = 0; i < q->wr_n; i++) {
		switch (q->wr_addr - lay->cmd_base + i) {
		case SIM_C_SPEED:
			if (q->wr[i] > lay->speed_max)
				return SIM_EX_VALUE;
			break;
		case SIM_C_INCLINE:
			v = (int16_t)q->wr[i];
			if (v < INCLINE_MIN || v > INCLINE_MAX)
				return SIM_EX_VALUE;
			break;
		}
	}
	return 0;
}

static void
copy_values(struct sim_req *q, const uint8_t *p)
{
	int i;

	for (i = 0; i < q->wr_n; i++)
		q->wr[i] = be16(p + 2 * i);
}

/* pdu: function code and data, without unit id, MBAP header or CRC. */
int
sim_regs_parse(const struct sim_layout *lay, const uint8_t *pdu, size_t len,
    struct sim_req *q)
{
	size_t bc;

	q->rd_n = q->wr_n = 0;
	q->rd_addr = q->wr_addr = 0;
	if (len < 1)
		return SIM_EX_FUNCTION;
	q->fc = pdu[0];

	switch (q->fc) {
	case FC_READ_INPUT:
		if (!lay->fc04)
			return SIM_EX_FUNCTION;
		/* FALLTHROUGH */
	case FC_READ_HOLDING:
		if (len != 5)
			return SIM_EX_VALUE;
		q->rd_addr = be16(pdu + 1);
		q->rd_n = be16(pdu + 3);
		if (q->rd_n < 1 || q->rd_n > MAX_READ)
			return SIM_EX_VALUE;
		if (!readable(lay, q->rd_addr, q->rd_n,
		    q->fc == FC_READ_INPUT))
			return SIM_EX_ADDRESS;
		return 0;

	case FC_WRITE_SINGLE:
		if (len != 5)
			return SIM_EX_VALUE;
		q->wr_addr = be16(pdu + 1);
		q->wr_n = 1;
		if (!in_block(q->wr_addr, 1, lay->cmd_base, SIM_NCMD))
			return SIM_EX_ADDRESS;
		copy_values(q, pdu + 3);
		return check_values(lay, q);

	case FC_WRITE_MULTI:
		if (len < 6)
			return SIM_EX_VALUE;
		q->wr_addr = be16(pdu + 1);
		q->wr_n = be16(pdu + 3);
		bc = pdu[5];
		if (q->wr_n < 1 || q->wr_n > SIM_MAX_WRITE ||
		    bc != 2u * q->wr_n || len != 6 + bc)
			return SIM_EX_VALUE;
		if (!in_block(q->wr_addr, q->wr_n, lay->cmd_base, SIM_NCMD))
			return SIM_EX_ADDRESS;
		copy_values(q, pdu + 6);
		return check_values(lay, q);

	case FC_WRITE_READ:
		if (!lay->fc23)
			return SIM_EX_FUNCTION;
		if (len < 10)
			return SIM_EX_VALUE;
		q->rd_addr = be16(pdu + 1);
		q->rd_n = be16(pdu + 3);
		q->wr_addr = be16(pdu + 5);
		q->wr_n = be16(pdu + 7);
		bc = pdu[9];
		if (q->rd_n < 1 || q->rd_n > MAX_READ ||
		    q->wr_n < 1 || q->wr_n > MAX_WR_WRITE ||
		    bc != 2u * q->wr_n || len != 10 + bc)
			return SIM_EX_VALUE;
		if (!in_block(q->wr_addr, q->wr_n, lay->cmd_base, SIM_NCMD) ||
		    !readable(lay, q->rd_addr, q->rd_n, false))
			return SIM_EX_ADDRESS;
		copy_values(q, pdu + 10);
		return check_values(lay, q);

	default:
		return SIM_EX_FUNCTION;
	}
}

unsigned
sim_regs_apply(struct sim_regs *r, struct sim_model *m,
    const struct sim_req *q, double now)
{
	struct sim_cmd c;

	if (q->wr_n == 0)
		return sim_model_tick(m, now);
	memcpy(&r->cmd[q->wr_addr - r->lay->cmd_base], q->wr,
	    q->wr_n * sizeof(q->wr[0]));
	sim_regs_decode(r, &c);
	return sim_model_command(m, &c, now);
}
