/*
 * Shared by the harnesses (fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

unsigned
fuzz_u8(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

unsigned
fuzz_u16(struct fuzz_in *in)
{
	unsigned hi = fuzz_u8(in);

	return hi << 8 | fuzz_u8(in);
}

double
fuzz_range(struct fuzz_in *in, double lo, double hi)
{
	return lo + (hi - lo) * fuzz_u8(in) / 255.0;
}

static char dir[64];

/* Leave nothing behind in /tmp when the run ends. */
static void
remove_dir(void)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/input.conf", dir);
	unlink(path);
	rmdir(dir);
}

const char *
fuzz_dir(void)
{
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/treadfuzz.XXXXXX");
		if (mkdtemp(dir) == NULL) {
			perror("mkdtemp");
			abort();
		}
		atexit(remove_dir);
	}
	return dir;
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/input.conf", fuzz_dir());
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

void
fuzz_fail(const char *what)
{
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}
