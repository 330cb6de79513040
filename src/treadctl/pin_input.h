/* treadctl set-pin: the PIN read from the terminal or stdin. */
#ifndef TREAD_PIN_INPUT_H
#define TREAD_PIN_INPUT_H

#include <stddef.h>

/*
 * Read a PIN: from the terminal without echo, twice, when stdin is one;
 * else the first line of stdin.  0, or -1 with a message on stderr.
 */
int	 pin_input(const char *runner, char *pin, size_t len);

#endif
