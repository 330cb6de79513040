/*
 * Civil-calendar arithmetic on day numbers (the proleptic Gregorian
 * calendar), so that week boundaries and "48 hours" never depend on the
 * C library's idea of time zones beyond the one localtime_r call.
 */
#include <stdio.h>
#include <string.h>

#include "day.h"

hday_t
hday_from_ymd(int y, int m, int d)
{
	/* Days from civil, shifted so that March is the first month. */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (hday_t)(era * 146097 + doe - 719468);
}

void
hday_to_ymd(hday_t z, int *y, int *m, int *d)
{
	int zz = z + 719468;
	int era = (zz >= 0 ? zz : zz - 146096) / 146097;
	int doe = zz - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

hday_t
hday_from_time(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return hday_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int
hday_parse(const char *s, hday_t *out)
{
	int y = 0, m, d, yy, mm, dd;

	/* YYYY-MM-DD exactly; by hand, since a load parses thousands. */
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* Round-trip rejects 2026-02-30 and friends. */
	*out = hday_from_ymd(y, m, d);
	hday_to_ymd(*out, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return -1;
	return 0;
}

char *
hday_format(hday_t day, char *buf, size_t len)
{
	int y, m, d;

	hday_to_ymd(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	return buf;
}

int
hday_weekday(hday_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (day + 3) % 7;
	return w < 0 ? w + 7 : w;
}

hday_t
hday_week_start(hday_t day)
{
	return day - hday_weekday(day);
}
