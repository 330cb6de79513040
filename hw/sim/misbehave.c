/*
 * A misbehaving drive ("misbehave" on the control socket): the reply a
 * well-behaved drive would send, changed on its way out.  It trickles out
 * one byte every few milliseconds, claims more data than it carries,
 * carries less data than asked, names another transaction (another unit
 * on RTU), is replaced by garbage, or never comes.  Every request is still
 * applied as usual: only the reply is wrong.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "sim.h"

#define TRICKLE_MAX	1024	/* bytes held for a trickling reply */

struct sim_trickle {
	struct event	*ev;
	int		 fd;
	unsigned	 client;
	uint8_t		 buf[TRICKLE_MAX];
	size_t		 len, pos;
};

static const char *const names[] = {
	[SIM_MB_NONE] = "none",
	[SIM_MB_TRICKLE] = "trickle",
	[SIM_MB_OVERLONG] = "overlong",
	[SIM_MB_WRONGLEN] = "wronglen",
	[SIM_MB_WRONGTID] = "wrongtid",
	[SIM_MB_GARBAGE] = "garbage",
	[SIM_MB_SILENCE] = "silence",
};

const char *
sim_mb_name(int mode)
{
	if (mode < 0 || mode >= (int)(sizeof(names) / sizeof(names[0])))
		return "?";
	return names[mode];
}

int
sim_mb_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

static uint16_t
crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xffff;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xa001) :
			    (uint16_t)(crc >> 1);
	}
	return crc;
}

static void
fix_frame(uint8_t *b, size_t n, bool rtu)
{
	uint16_t crc;

	if (rtu) {
		crc = crc16(b, n - 2);
		b[n - 2] = (uint8_t)(crc & 0xff);	/* low byte first */
		b[n - 1] = (uint8_t)(crc >> 8);
	} else {
		b[4] = (uint8_t)((n - 6) >> 8);		/* MBAP length */
		b[5] = (uint8_t)(n - 6);
	}
}

static ssize_t
put(int fd, const uint8_t *b, size_t n)
{
	ssize_t rc = send(fd, b, n, MSG_NOSIGNAL);

	if (rc == -1 && errno == ENOTSOCK)
		rc = write(fd, b, n);
	return rc;
}

static void
trickle_arm(struct sim *s)
{
	struct timeval tv;

	tv.tv_sec = s->trickle_ms / 1000;
	tv.tv_usec = (s->trickle_ms % 1000) * 1000;
	evtimer_add(s->trickle->ev, &tv);
}

static void
trickle_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sim *s = arg;
	struct sim_trickle *t = s->trickle;

	(void)fd;
	(void)what;
	if (t->pos >= t->len)
		return;
	if (put(t->fd, t->buf + t->pos, 1) != 1) {
		t->len = t->pos = 0;	/* the peer is gone */
		return;
	}
	if (++t->pos == t->len)
		t->len = t->pos = 0;
	else
		trickle_arm(s);
}

static void
trickle(struct sim *s, int fd, unsigned client, const uint8_t *b, size_t n)
{
	struct sim_trickle *t = s->trickle;

	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL ||
		    (t->ev = evtimer_new(s->base, trickle_tick, s)) == NULL) {
			free(t);
			sim_warnx("trickle: setup failed");
			return;
		}
		s->trickle = t;
	}
	/* A reply to someone else, or no room: the old one is abandoned. */
	if (t->len > 0 && (t->fd != fd || t->client != client ||
	    t->len + n > sizeof(t->buf)))
		t->len = t->pos = 0;
	if (n > sizeof(t->buf))
		return;
	memcpy(t->buf + t->len, b, n);
	t->len += n;
	t->fd = fd;
	t->client = client;
	if (!evtimer_pending(t->ev, NULL))
		trickle_arm(s);
}

void
sim_mb_forget(struct sim *s, unsigned client)
{
	struct sim_trickle *t = s->trickle;

	if (t != NULL && t->len > 0 && t->client == client) {
		t->len = t->pos = 0;
		evtimer_del(t->ev);
	}
}

void
sim_mb_reset(struct sim *s)
{
	if (s->trickle != NULL) {
		s->trickle->len = s->trickle->pos = 0;
		evtimer_del(s->trickle->ev);
	}
}

void
sim_mb_free(struct sim *s)
{
	if (s->trickle == NULL)
		return;
	event_free(s->trickle->ev);
	free(s->trickle);
	s->trickle = NULL;
}

void
sim_mb_send(struct sim *s, int fd, unsigned client, bool rtu, uint8_t *b,
    size_t n)
{
	size_t hl = rtu ? 1 : 7, crc = rtu ? 2 : 0;
	uint8_t fc = n > hl ? b[hl] : 0;
	bool read = fc == 3 || fc == 4 || fc == 23;

	if (n < hl + 1 + crc)
		return;
	s->misreplies++;
	switch (s->misbehave) {
	case SIM_MB_SILENCE:
		return;
	case SIM_MB_TRICKLE:
		trickle(s, fd, client, b, n);
		return;
	case SIM_MB_OVERLONG:
		/* Claim 250 bytes of data, send only what was asked. */
		if (read) {
			b[hl + 1] = 250;
			if (!rtu) {
				b[4] = 0;
				b[5] = 253;
			}
		}
		break;
	case SIM_MB_WRONGLEN:
		/* A complete, well-formed frame with one register too few. */
		if (read && b[hl + 1] >= 2) {
			b[hl + 1] -= 2;
			memmove(b + n - crc - 2, b + n - crc, crc);
			n -= 2;
		} else if (fc == 16)
			b[hl + 4] ^= 1;		/* another register count */
		fix_frame(b, n, rtu);
		break;
	case SIM_MB_WRONGTID:
		if (rtu) {
			b[0] = (uint8_t)(b[0] == 247 ? 1 : b[0] + 1);
			fix_frame(b, n, rtu);
		} else if (++b[1] == 0)
			b[0]++;
		break;
	case SIM_MB_GARBAGE:
		for (size_t i = 0; i < n; i++)
			b[i] = (uint8_t)random();
		break;
	default:
		break;
	}
	if (put(fd, b, n) != (ssize_t)n)
		sim_warnx("misbehave reply: short write");
}
