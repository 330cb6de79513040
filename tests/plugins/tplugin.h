/*
 * The descriptor and entry point of a test plugin, written once for all
 * of them.  A test plugin defines its functions and what sets it apart,
 * then includes this file last:
 *
 *   TP_NAME        its name (the Makefile's -DTP_NAME for the variants)
 *   TP_WHAT        its description, after "test: "
 *   TP_PLAN        its plan; TP_INIT, TP_TICK, TP_EVENT and TP_CLEANUP
 *                  its other functions, NULL when left undefined
 *   TP_ABI_MIN, TP_ABI_MAX     the ABIs it speaks (TM_ABI_VERSION)
 *   TP_DESC_NAME   the name its descriptor gives (TP_NAME)
 *   TP_INTENSITY   TM_EASY unless defined
 *   TP_REVISION    its ABI revision, with TP_CHECK its check function
 *                  (neither: a plugin from before revision 1)
 *   TP_ENTRY       its entry point's name (treadmill_plugin)
 *   TP_REFUSE      defined: the entry point returns NULL
 *
 * The entry point never looks at the daemon's ABI: judging it is the
 * loader's job, and what the ABI variants are there to test.
 */
#ifndef TESTS_PLUGINS_TPLUGIN_H
#define TESTS_PLUGINS_TPLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "treadmill/plugin.h"

#ifndef TP_ABI_MIN
#define TP_ABI_MIN	TM_ABI_VERSION
#endif
#ifndef TP_ABI_MAX
#define TP_ABI_MAX	TM_ABI_VERSION
#endif
#ifndef TP_DESC_NAME
#define TP_DESC_NAME	TP_NAME
#endif
#ifndef TP_INTENSITY
#define TP_INTENSITY	TM_EASY
#endif
#ifndef TP_INIT
#define TP_INIT		NULL
#endif
#ifndef TP_TICK
#define TP_TICK		NULL
#endif
#ifndef TP_EVENT
#define TP_EVENT	NULL
#endif
#ifndef TP_CLEANUP
#define TP_CLEANUP	NULL
#endif
#ifndef TP_ENTRY
#define TP_ENTRY	treadmill_plugin
#endif

static const struct tm_plugin tp_desc = {
	.abi_min = TP_ABI_MIN,
	.abi_max = TP_ABI_MAX,
	.name = TP_DESC_NAME,
	.description = "test: " TP_WHAT,
	.intensity = TP_INTENSITY,
	.init = TP_INIT,
	.plan = TP_PLAN,
	.tick = TP_TICK,
	.event = TP_EVENT,
	.cleanup = TP_CLEANUP,
#if defined(TP_REVISION)
	.abi_revision = TP_REVISION,
	.check = TP_CHECK,
#endif
};

const struct tm_plugin *TP_ENTRY(uint32_t);

const struct tm_plugin *
TP_ENTRY(uint32_t daemon_abi)
{
	(void)daemon_abi;
#if defined(TP_REFUSE)
	(void)tp_desc;
	return NULL;
#else
	return &tp_desc;
#endif
}

#endif
