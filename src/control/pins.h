/*
 * Runner PINs.  Staff set a runner's PIN (`treadctl set-pin`); the
 * daemon keeps only its yescrypt hash, in the history, so the treadmills
 * of a gym that share a database share it too.  A runner proves who she
 * is with it before her health data is shown on the console.
 *
 * Hashing and checking are slow on purpose (tens of milliseconds): they
 * run on the control worker thread, never on the loop.  pins_hash and
 * pins_verify block and are for that thread only; from the loop, use
 * pins_verify_later, whose callback runs back on the loop.
 *
 * After PIN_TRIES wrong PINs in a row a runner is locked out for
 * control.pin_lockout_min minutes: every PIN, the right one too, is
 * refused until then.  The count is this daemon's, kept in memory.
 */
#ifndef TREAD_PINS_H
#define TREAD_PINS_H

#include <stddef.h>
#include <time.h>

#define PIN_MIN_DIGITS	4
#define PIN_MAX_DIGITS	12
#define PIN_TRIES	5		/* wrong PINs in a row, then locked */
#define PIN_HASH_MAX	128		/* a yescrypt string, with room */

struct belt;
struct history;

/* 0 if pin is 4 to 12 digits; -1 with why ("a PIN is 4 to 12 digits"). */
int	 pins_valid(const char *pin, char *why, size_t len);

/* The hash of pin, a fresh salt each time; 0, or -1 with why. */
int	 pins_hash(const char *pin, char *hash, size_t hlen, char *why,
	    size_t len);

/*
 * Is pin runner's?  0 when it is right; -1 with a refusal fit to show
 * her in why: no PIN set, wrong PIN (and how many tries are left),
 * locked out (until when), or the history cannot tell.  Counts wrong
 * PINs and locks her out after PIN_TRIES.  lockout_min: minutes.
 * Blocking: the worker thread only.
 */
int	 pins_check(struct history *, int lockout_min, const char *runner,
	    const char *pin, char *why, size_t len);
/* The same with the belt's history and configuration. */
int	 pins_verify(struct belt *, const char *runner, const char *pin,
	    char *why, size_t len);

/*
 * From the loop: check on the worker thread, then call done on the loop
 * with pins_verify's result and refusal.  The PIN is copied (and wiped
 * after use); arg is the caller's.  If the check cannot be queued, done
 * is called before this returns, with -1.
 */
typedef void pins_done_fn(void *arg, int rc, const char *why);
void	 pins_verify_later(struct belt *, const char *runner, const char *pin,
	    pins_done_fn *done, void *arg);

/* Forget runner's wrong PINs and any lock-out (a new PIN was set). */
void	 pins_unlock(const char *runner);

/* Tests: the clock the lock-out counts with (NULL: time(3)), and forget
 * every count. */
void	 pins_set_clock(time_t (*now)(void));
void	 pins_reset(void);

#endif
