/* The process's memory settings (footprint.c). */
#ifndef TREAD_FOOTPRINT_H
#define TREAD_FOOTPRINT_H

/* Once, before any thread starts: small thread
 * stacks.  What cannot be set is logged and left at glibc's default. */
void	 footprint_init(void);

#endif
