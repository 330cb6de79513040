/*
 * Runner PINs (pins.h): yescrypt hashes from libcrypt, the newest one of
 * a runner in the history, and the count of wrong PINs in a row.
 */
#include <crypt.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "belt.h"
#include "cjob.h"
#include "history.h"
#include "log.h"
#include "pins.h"
#include "xmalloc.h"

/* One runner's wrong PINs in a row, and until when she is locked out. */
struct tries {
	char		 runner[32];
	int		 wrong;
	time_t		 until;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct tries *tries;		/* guarded by lock */
static size_t ntries;
static time_t (*clock_fn)(void);

static time_t
now(void)
{
	return clock_fn != NULL ? clock_fn() : time(NULL);
}

void
pins_set_clock(time_t (*fn)(void))
{
	clock_fn = fn;
}

void
pins_reset(void)
{
	pthread_mutex_lock(&lock);
	free(tries);
	tries = NULL;
	ntries = 0;
	pthread_mutex_unlock(&lock);
}

/* Called with lock held.  One entry per runner with a profile: few. */
static struct tries *
tries_of(const char *runner)
{
	for (size_t i = 0; i < ntries; i++)
		if (strcmp(tries[i].runner, runner) == 0)
			return &tries[i];
	tries = xreallocarray(tries, ntries + 1, sizeof(*tries));
	memset(&tries[ntries], 0, sizeof(*tries));
	snprintf(tries[ntries].runner, sizeof(tries[ntries].runner), "%s",
	    runner);
	return &tries[ntries++];
}

void
pins_unlock(const char *runner)
{
	struct tries *t;

	pthread_mutex_lock(&lock);
	t = tries_of(runner);
	t->wrong = 0;
	t->until = 0;
	pthread_mutex_unlock(&lock);
}

int
pins_valid(const char *pin, char *why, size_t len)
{
	size_t n = strlen(pin);

	if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS ||
	    strspn(pin, "0123456789") != n) {
		snprintf(why, len, "a PIN is %d to %d digits", PIN_MIN_DIGITS,
		    PIN_MAX_DIGITS);
		return -1;
	}
	return 0;
}

int
pins_hash(const char *pin, char *hash, size_t hlen, char *why, size_t len)
{
	struct crypt_data *cd;
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;
	int rc = -1;

	if (pins_valid(pin, why, len) == -1)
		return -1;
	/* No random bytes given: libcrypt takes them from the system. */
	if (crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) == NULL) {
		snprintf(why, len, "cannot make a salt: %s", strerror(errno));
		return -1;
	}
	cd = xcalloc(1, sizeof(*cd));
	h = crypt_rn(pin, salt, cd, sizeof(*cd));
	if (h == NULL || h[0] == '*')
		snprintf(why, len, "cannot hash the PIN: %s",
		    strerror(errno ? errno : EINVAL));
	else if (strlen(h) >= hlen)
		snprintf(why, len, "the PIN's hash is too long to keep");
	else {
		memcpy(hash, h, strlen(h) + 1);
		rc = 0;
	}
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

/* Equal strings, in a time that does not depend on where they differ. */
static bool
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

/* 1 right, 0 wrong, -1 with why. */
static int
matches(const char *pin, const char *hash, char *why, size_t len)
{
	struct crypt_data *cd = xcalloc(1, sizeof(*cd));
	const char *h = crypt_rn(pin, hash, cd, sizeof(*cd));
	int rc;

	if (h == NULL || h[0] == '*') {
		snprintf(why, len, "the stored PIN cannot be checked (not a "
		    "hash this system knows); staff must set it again");
		rc = -1;
	} else
		rc = same(h, hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return rc;
}

static int
minutes_left(time_t until, time_t t)
{
	return (int)((until - t + 59) / 60);
}

int
pins_check(struct history *h, int lockout_min, const char *runner,
    const char *pin, char *why, size_t len)
{
	struct hist_pin hp;
	struct tries *t;
	char err[256];
	int rc, left;

	pthread_mutex_lock(&lock);
	t = tries_of(runner);
	if (t->until > now()) {
		left = minutes_left(t->until, now());
		pthread_mutex_unlock(&lock);
		snprintf(why, len, "too many wrong PINs for %s: try again in "
		    "%d minute%s, or ask staff", runner, left,
		    left == 1 ? "" : "s");
		return -1;
	}
	pthread_mutex_unlock(&lock);
	if (pins_valid(pin, why, len) == -1)
		return -1;
	if ((rc = history_pin(h, runner, &hp, err, sizeof(err))) == -1) {
		snprintf(why, len, "cannot check the PIN now: %s", err);
		return -1;
	}
	if (rc == 0) {
		snprintf(why, len, "%s has no PIN yet: staff set one with "
		    "'treadctl set-pin %s'", runner, runner);
		return -1;
	}
	rc = matches(pin, hp.hash, why, len);
	explicit_bzero(&hp, sizeof(hp));
	if (rc == -1)
		return -1;
	pthread_mutex_lock(&lock);
	t = tries_of(runner);
	if (rc == 1) {
		t->wrong = 0;
		pthread_mutex_unlock(&lock);
		return 0;
	}
	if (++t->wrong >= PIN_TRIES) {
		t->wrong = 0;
		t->until = now() + 60 * (time_t)lockout_min;
		pthread_mutex_unlock(&lock);
		log_info("control: %d wrong PINs in a row for %s: locked out "
		    "for %d minutes", PIN_TRIES, runner, lockout_min);
		snprintf(why, len, "wrong PIN; %d wrong in a row: %s is "
		    "locked out for %d minute%s", PIN_TRIES, runner,
		    lockout_min, lockout_min == 1 ? "" : "s");
		return -1;
	}
	left = PIN_TRIES - t->wrong;
	pthread_mutex_unlock(&lock);
	snprintf(why, len, "wrong PIN (%d more tr%s before a lock-out)", left,
	    left == 1 ? "y" : "ies");
	return -1;
}

int
pins_verify(struct belt *b, const char *runner, const char *pin, char *why,
    size_t len)
{
	if (b->hist == NULL) {
		snprintf(why, len, "the history is unavailable: %s",
		    b->hist_error);
		return -1;
	}
	return pins_check(b->hist, b->cfg.control.pin_lockout_min, runner, pin,
	    why, len);
}

/* ---- from the loop ----------------------------------------------------- */

struct pjob {
	struct job	 job;
	struct history	*hist;
	int		 lockout_min;
	char		 runner[32];
	char		 pin[PIN_MAX_DIGITS + 2];
	int		 rc;
	char		 why[256];
	pins_done_fn	*done;
	void		*arg;
};

static void
pjob_run(struct job *job)
{
	struct pjob *j = (struct pjob *)job;

	j->rc = pins_check(j->hist, j->lockout_min, j->runner, j->pin, j->why,
	    sizeof(j->why));
	explicit_bzero(j->pin, sizeof(j->pin));
}

static void
pjob_done(struct job *job)
{
	struct pjob *j = (struct pjob *)job;

	if (!job->ran) {
		j->rc = -1;
		snprintf(j->why, sizeof(j->why), "the daemon is shutting down");
	}
	j->done(j->arg, j->rc, j->why);
	explicit_bzero(j, sizeof(*j));
	free(j);
}

void
pins_verify_later(struct belt *b, const char *runner, const char *pin,
    pins_done_fn *done, void *arg)
{
	struct pjob *j = xcalloc(1, sizeof(*j));

	j->job.run = pjob_run;
	j->job.done = pjob_done;
	j->done = done;
	j->arg = arg;
	j->lockout_min = b->cfg.control.pin_lockout_min;
	snprintf(j->runner, sizeof(j->runner), "%s", runner);
	/* Too long for a PIN is refused as one, not cut to fit. */
	if (strlen(pin) >= sizeof(j->pin))
		snprintf(j->pin, sizeof(j->pin), "x");
	else
		snprintf(j->pin, sizeof(j->pin), "%s", pin);
	if ((j->hist = b->hist) == NULL) {
		j->rc = -1;
		snprintf(j->why, sizeof(j->why), "the history is unavailable: "
		    "%.200s", b->hist_error);
		j->job.ran = 1;
		pjob_done(&j->job);
		return;
	}
	cjob_submit_job(b, &j->job);
}
