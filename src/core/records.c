/*
 * Names of session outcomes, as stored and shown.
 */
#include <string.h>

#include "records.h"

static const char *const outcome_names[] = {
	[HO_RUNNING] = "running",
	[HO_COMPLETED] = "completed",
	[HO_STOPPED] = "stopped",
	[HO_SAFETY_STOP] = "safety stop",
	[HO_SYMPTOM] = "symptom",
	[HO_FAULT] = "fault",
	[HO_INTERRUPTED] = "interrupted",
};
#define NOUTCOMES	(sizeof(outcome_names) / sizeof(outcome_names[0]))

const char *
hist_outcome_name(enum hist_outcome o)
{
	if ((unsigned)o >= NOUTCOMES)
		return "unknown";
	return outcome_names[o];
}

int
hist_outcome_parse(const char *s)
{
	for (size_t i = 0; i < NOUTCOMES; i++)
		if (strcmp(s, outcome_names[i]) == 0)
			return (int)i;
	return -1;
}
