/*
 * What the libFuzzer harnesses share: reading the input a few bytes at a
 * time, and handing it to a parser as a file.
 */
#ifndef TREAD_FUZZ_H
#define TREAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input, consumed front to back; 0 once it runs out. */
struct fuzz_in {
	const uint8_t	*p;
	size_t		 n;
};

unsigned	 fuzz_u8(struct fuzz_in *);
unsigned	 fuzz_u16(struct fuzz_in *);
/* lo..hi in 256 steps */
double		 fuzz_range(struct fuzz_in *, double lo, double hi);

/*
 * The input as the contents of a file, for parsers that read a path: the
 * same path every time, in a private directory made on the first call.
 */
const char	*fuzz_file(const uint8_t *, size_t);
/* The directory fuzz_file writes in. */
const char	*fuzz_dir(void);
/* Report a broken invariant and abort, so libFuzzer keeps the input. */
void		 fuzz_fail(const char *what) __attribute__((noreturn));

#endif
