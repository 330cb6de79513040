/* Control socket commands: the handler control.c calls for each line. */
#ifndef TREAD_COMMANDS_H
#define TREAD_COMMANDS_H

#include "control.h"

struct belt;

void	 commands_dispatch(void *belt, const struct peer *, int argc,
	    char **argv, struct evbuffer *out);

#endif
