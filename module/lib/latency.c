// SPDX-License-Identifier: GPL-2.0
/*
 * The fault latency histogram: each fault's handling time, per CPU and
 * per fault kind, in log-linear buckets, while the knob fault_latency is
 * on. Read through debugfs (fault_latency): no ABI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/percpu.h>

#include "lib/latency.h"

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
