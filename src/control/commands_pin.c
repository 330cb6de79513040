/*
 * set-pin: staff set a runner's PIN.  The daemon hashes it on the worker
 * thread (yescrypt is slow on purpose), queues the row and answers once
 * it is on disk, so that a check right after sees it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cjob.h"
#include "log.h"
#include "pins.h"

static void
run_set_pin(struct cjob *j)
{
	struct hist_pin hp;
	char why[128];

	memset(&hp, 0, sizeof(hp));
	if (pins_hash(j->pin, hp.hash, sizeof(hp.hash), why,
	    sizeof(why)) == -1) {
		explicit_bzero(j->pin, sizeof(j->pin));
		rep_err(&j->r, "%s", why);
		return;
	}
	explicit_bzero(j->pin, sizeof(j->pin));
	snprintf(hp.runner, sizeof(hp.runner), "%s", j->prof.id);
	snprintf(hp.staff, sizeof(hp.staff), "%s", j->staff);
	hp.at = time(NULL);
	history_add_pin(j->b->hist, &hp);
	if (history_sync(j->b->hist) == -1) {
		rep_err(&j->r, "could not write the history: %s",
		    history_last_error(j->b->hist));
		return;
	}
	pins_unlock(hp.runner);
	log_info("%s set the PIN of %s", hp.staff, hp.runner);
	rep_set(&j->r, "runner", json_string(hp.runner));
	rep_set(&j->r, "staff", json_string(hp.staff));
	rep_ok(&j->r, "PIN set for %s by %s", hp.runner, hp.staff);
}

void
cmd_set_pin(struct belt *b, const struct peer *peer, int argc, char **argv,
    struct reply *out)
{
	const struct profile *p;
	struct cjob *j;
	char why[64];

	(void)argc;
	if ((p = runner_or_reply(b, argv[1], out)) == NULL)
		return;
	if (pins_valid(argv[2], why, sizeof(why)) == -1) {
		rep_err(out, "%s", why);
		return;
	}
	if (history_or_reply(b, out) == -1)
		return;
	j = cjob_later(b, out, run_set_pin);
	j->prof = *p;
	snprintf(j->pin, sizeof(j->pin), "%s", argv[2]);
	peer_name(peer, j->staff, sizeof(j->staff));
}
