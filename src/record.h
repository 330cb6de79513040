/*
 * Session recording: what the belt loop writes to the history about a
 * session, from its start to its outcome.
 */
#ifndef TREAD_RECORD_H
#define TREAD_RECORD_H

#include "belt.h"

/* A session began (p NULL: a guest, who is not recorded). */
void	 record_begin(struct belt *, const struct profile *p);
/* While a session runs: its record every CHECKPOINT_S. */
void	 record_checkpoint(struct belt *, double now);
/* A symptom mid-run, with the session's record. */
void	 record_symptom(struct belt *, const char *kind);
/* The session is over: name its outcome, record it and log it. */
void	 record_end(struct belt *);

#endif
