// SPDX-License-Identifier: GPL-2.0
/*
 * Event counters, per CPU like the kernel's vm_event_states, summed when
 * read. Names are ABI (Documentation/ABI/testing/sysfs-kernel-swaplab):
 * only ever add to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "swaplab.h"

DEFINE_PER_CPU(struct swaplab_stat_cpu, swaplab_stat_cpu);

static const char * const swaplab_stat_names[NR_SWAPLAB_STAT_ITEMS] = {
	[SWAPLAB_FAULTS]		= "faults",
	[SWAPLAB_MAJOR_FAULTS]		= "major_faults",
	[SWAPLAB_ZERO_FILLS]		= "zero_fills",
	[SWAPLAB_SWAP_INS]		= "swap_ins",
	[SWAPLAB_SWAP_OUTS]		= "swap_outs",
	[SWAPLAB_EVICTIONS]		= "evictions",
	[SWAPLAB_CLEAN_EVICTIONS]	= "clean_evictions",
	[SWAPLAB_DAEMON_WAKEUPS]	= "daemon_wakeups",
	[SWAPLAB_DIRECT_RECLAIMS]	= "direct_reclaims",
	[SWAPLAB_ALLOC_STALLS]		= "alloc_stalls",
	[SWAPLAB_IO_ERRORS]		= "io_errors",
	[SWAPLAB_SIGBUS]		= "sigbus",
	[SWAPLAB_AGING_SCANNED]		= "aging_scanned",
	[SWAPLAB_SWAP_OUT_IOS]		= "swap_out_ios",
	[SWAPLAB_TLB_FLUSHES]		= "tlb_flushes",
	[SWAPLAB_AGING_TICKS]		= "aging_ticks",
	[SWAPLAB_READAHEAD_HITS]	= "readahead_hits",
};

/**
 * swaplab_stat_read() - sum one counter over all CPUs
 * @item: which counter
 *
 * Context: any. The sum is not atomic with respect to concurrent events.
 * Return: the number of events counted since the module was loaded.
 */
unsigned long swaplab_stat_read(enum swaplab_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(swaplab_stat_cpu, cpu).count[item];
	return sum;
}

/**
 * swaplab_stat_name() - the name a counter has in the stat file
 * @item: which counter
 *
 * Return: a static string.
 */
const char *swaplab_stat_name(enum swaplab_stat_item item)
{
	return swaplab_stat_names[item];
}
