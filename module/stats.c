// SPDX-License-Identifier: GPL-2.0
/*
 * Event counters, per CPU like the kernel's vm_event_states, summed when
 * read. Names are ABI (Documentation/ABI/testing/sysfs-kernel-swaplab):
 * only ever add to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
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
	[SWAPLAB_READAHEAD_PAGES]	= "readahead_pages",
	[SWAPLAB_READAHEAD_MISSES]	= "readahead_misses",
	[SWAPLAB_SWAP_FULL]		= "swap_full",
	[SWAPLAB_CSUM_ERRORS]		= "csum_errors",
	[SWAPLAB_HELD_PARKED]		= "held_parked",
	[SWAPLAB_FAULTS_KILLED]		= "faults_killed",
	[SWAPLAB_WRITE_NOTIFY]		= "write_notify",
	[SWAPLAB_REFAULTS]		= "refaults",
	[SWAPLAB_REFAULTS_PREDICTED]	= "refaults_predicted",
	[SWAPLAB_ADMIT_BATCHED]		= "admit_batched",
	[SWAPLAB_ADMIT_DRAINS]		= "admit_drains",
	[SWAPLAB_SHADOWS_DROPPED]	= "shadows_dropped",
	[SWAPLAB_PAGER_EVENTS]		= "pager_events",
	[SWAPLAB_PAGER_EVENTS_LOST]	= "pager_events_lost",
	[SWAPLAB_PAGER_FALLBACK]	= "pager_fallback",
	[SWAPLAB_PAGER_ANSWERS]		= "pager_answers",
	[SWAPLAB_PAGER_INVALID]		= "pager_invalid",
	[SWAPLAB_PAGER_TIMEOUTS]	= "pager_timeouts",
	[SWAPLAB_PAGER_SELF]		= "pager_self",
	[SWAPLAB_PAGER_EJECTIONS]	= "pager_ejections",
	[SWAPLAB_PAGER_DATA_IN]		= "pager_data_in",
	[SWAPLAB_PAGER_DATA_OUT]	= "pager_data_out",
	[SWAPLAB_PAGER_DATA_CLEAN]	= "pager_data_kept",
	[SWAPLAB_PAGER_DATA_FULL]	= "pager_data_full",
	[SWAPLAB_PAGER_DATA_TIMEOUTS]	= "pager_data_timeouts",
	[SWAPLAB_PAGER_DATA_STALE]	= "pager_data_stale",
	[SWAPLAB_PAGER_DATA_FLUSHED]	= "pager_data_flushed",
	[SWAPLAB_PAGER_LOST]		= "pager_lost",
	[SWAPLAB_BPF_ANSWERS]		= "bpf_answers",
	[SWAPLAB_BPF_INVALID]		= "bpf_invalid",
	[SWAPLAB_BPF_FALLBACK]		= "bpf_fallback",
	[SWAPLAB_BPF_TIMEOUTS]		= "bpf_timeouts",
	[SWAPLAB_BPF_EJECTIONS]		= "bpf_ejections",
	[SWAPLAB_READAHEAD_MAPPED]	= "readahead_mapped",
	[SWAPLAB_COMPRESS_STORED]	= "compress_stored",
	[SWAPLAB_COMPRESS_REJECTED]	= "compress_rejected",
	[SWAPLAB_SAME_FILLED]		= "same_filled",
	[SWAPLAB_COMPRESS_WRITEBACK]	= "compress_writeback",
	[SWAPLAB_COMPRESS_HITS]		= "compress_hits",
	[SWAPLAB_PAGEBUF_HITS]		= "page_buffer_hits",
	[SWAPLAB_PAGEBUF_DROPS]		= "page_buffer_drops",
	[SWAPLAB_RECLAIM_UNMAPS]	= "reclaim_unmaps",
	[SWAPLAB_READAHEAD_ASYNC]	= "readahead_async",
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

/**
 * struct swaplab_latency_cpu - one CPU's fault latency histogram
 * @count: per fault kind (%SWAPLAB_FAULT_MINOR, _ZERO, _MAJOR), the number
 *	of faults whose handler took a time in each bucket
 */
struct swaplab_latency_cpu {
	unsigned long count[SWAPLAB_LAT_KINDS][SWAPLAB_LAT_BUCKETS];
};

static DEFINE_PER_CPU(struct swaplab_latency_cpu, swaplab_latency_cpu);

/* The bucket of @ns: the octave, then the next two bits below its top. */
static unsigned int swaplab_latency_bucket(u64 ns)
{
	unsigned int msb, idx;

	if (ns < (1 << SWAPLAB_LAT_SUB_BITS))
		return ns;
	msb = fls64(ns) - 1;
	idx = (msb << SWAPLAB_LAT_SUB_BITS) |
	      ((ns >> (msb - SWAPLAB_LAT_SUB_BITS)) &
	       ((1 << SWAPLAB_LAT_SUB_BITS) - 1));
	return min_t(unsigned int, idx, SWAPLAB_LAT_BUCKETS - 1);
}

/**
 * swaplab_latency_bucket_low() - the smallest latency a bucket holds
 * @bucket: bucket index, below %SWAPLAB_LAT_BUCKETS
 *
 * Return: nanoseconds; the bucket ends where bucket + 1 begins.
 */
u64 swaplab_latency_bucket_low(unsigned int bucket)
{
	unsigned int msb = bucket >> SWAPLAB_LAT_SUB_BITS;
	u64 sub = bucket & ((1 << SWAPLAB_LAT_SUB_BITS) - 1);

	/* Below 4 ns one bucket a value; buckets 4-7 are never used. */
	if (msb < SWAPLAB_LAT_SUB_BITS)
		return min_t(u64, bucket, 1 << SWAPLAB_LAT_SUB_BITS);
	return ((1ULL << SWAPLAB_LAT_SUB_BITS) | sub) <<
	       (msb - SWAPLAB_LAT_SUB_BITS);
}

/* On: the fault handler times each fault (the knob fault_latency). */
DEFINE_STATIC_KEY_FALSE(swaplab_latency_on);

/**
 * swaplab_latency_record() - count one fault's handling time
 * @kind: %SWAPLAB_FAULT_MINOR, %SWAPLAB_FAULT_ZERO or %SWAPLAB_FAULT_MAJOR
 * @start: swaplab_latency_start() at the handler's entry; 0 (the fault
 *	was not timed) counts nothing
 *
 * Context: any; lock-free.
 */
void swaplab_latency_record(unsigned int kind, u64 start)
{
	u64 ns;

	if (!start || kind >= SWAPLAB_LAT_KINDS)
		return;
	ns = ktime_get_ns() - start;
	this_cpu_inc(swaplab_latency_cpu.count[kind][swaplab_latency_bucket(ns)]);
}

/**
 * swaplab_latency_enabled() - the knob fault_latency
 *
 * Return: true while faults are timed.
 */
bool swaplab_latency_enabled(void)
{
	return static_key_enabled(&swaplab_latency_on);
}

/**
 * swaplab_latency_enable() - time faults, or stop
 * @on: true to count each fault in the histogram from now on
 *
 * The histogram keeps what it counted while the knob was on. A fault
 * under way when it changes is counted only if it started timed.
 *
 * Context: process context, may sleep (the static key's text patching).
 */
void swaplab_latency_enable(bool on)
{
	if (on)
		static_branch_enable(&swaplab_latency_on);
	else
		static_branch_disable(&swaplab_latency_on);
}

/**
 * swaplab_latency_read() - one bucket of the histogram, summed over CPUs
 * @kind: fault kind, as for swaplab_latency_record()
 * @bucket: bucket index
 *
 * Return: the number of faults counted in the bucket since load.
 */
u64 swaplab_latency_read(unsigned int kind, unsigned int bucket)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(swaplab_latency_cpu, cpu).count[kind][bucket];
	return sum;
}
