/*
 * The daemon's threads besides the loop (the history writer, the control
 * worker, libmosquitto's, the shared history's connector and delivery)
 * do little and allocate little, and glibc's defaults are sized for
 * busier programs:
 *
 *  - 8 MiB of stack reserved per thread.  The deepest (the worker: a
 *    plan, a PIN check, SQLite) touches under 40 kB, and every thread,
 *    libpq's and libmosquitto's work included, runs in 64 kB; 256 kB
 *    leaves a wide margin, and an overflow would hit the guard page: a
 *    crash that the drive's watchdog turns into a stop, never corruption.
 *
 * Threads made without attributes of their own, ours and the libraries',
 * take the stack size from pthread_setattr_default_np.
 *
 * Each thread keeps its own malloc arena (about 80 kB a thread here):
 * with one arena for all, the loop's malloc could wait for the niced
 * worker preempted while holding the arena's lock.
 */
#include <pthread.h>
#include <string.h>

#include "footprint.h"
#include "log.h"

#define THREAD_STACK	(256 * 1024)

void
footprint_init(void)
{
	pthread_attr_t a;
	int rc;

	if ((rc = pthread_getattr_default_np(&a)) != 0) {
		log_warnx("threads: default attributes: %s", strerror(rc));
		return;
	}
	if ((rc = pthread_attr_setstacksize(&a, THREAD_STACK)) != 0 ||
	    (rc = pthread_setattr_default_np(&a)) != 0)
		log_warnx("threads: stack size %d kB: %s", THREAD_STACK / 1024,
		    strerror(rc));
	pthread_attr_destroy(&a);
}
