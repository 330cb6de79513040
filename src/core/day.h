/* Calendar days (local time) as whole numbers: pure arithmetic. */
#ifndef TREAD_DAY_H
#define TREAD_DAY_H

#include <stdint.h>
#include <time.h>

/* Days since 1970-01-01 in the local calendar. */
typedef int32_t hday_t;

hday_t	 hday_from_time(time_t);
hday_t	 hday_from_ymd(int y, int m, int d);
void	 hday_to_ymd(hday_t, int *y, int *m, int *d);
/* "YYYY-MM-DD" -> day; -1 on a bad date. */
int	 hday_parse(const char *, hday_t *);
/* "YYYY-MM-DD" into buf (at least 11 bytes). */
char	*hday_format(hday_t, char *buf, size_t len);
/* 0 = Monday ... 6 = Sunday */
int	 hday_weekday(hday_t);
/* The Monday on or before the day (calendar weeks run Monday-Sunday). */
hday_t	 hday_week_start(hday_t);

#endif
