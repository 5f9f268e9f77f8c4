/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault latency histogram (latency.c).
 */
#ifndef _SWAPLAB_LATENCY_H
#define _SWAPLAB_LATENCY_H

#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/types.h>

/*
 * Fault latency histogram: log-linear buckets, four to an octave (values
 * below 4 ns have a bucket each), up to 2^40 ns.
 */
#define SWAPLAB_LAT_SUB_BITS	2
#define SWAPLAB_LAT_BUCKETS	(40 << SWAPLAB_LAT_SUB_BITS)
/* Fault kinds the histogram tells apart: minor, zero-fill, major. */
#define SWAPLAB_LAT_KINDS	3

DECLARE_STATIC_KEY_FALSE(swaplab_latency_on);

/**
 * swaplab_latency_start() - the clock at a fault's start, if faults are timed
 *
 * Two clock reads a fault are not free (under emulation they are a tenth
 * of a resident fault), so, as the kernel does with delay accounting, the
 * histogram is off unless the knob fault_latency turns it on; off, the
 * fault path pays one patched-out branch.
 *
 * Context: any.
 * Return: ktime_get_ns(), or 0 when fault_latency is off.
 */
static inline u64 swaplab_latency_start(void)
{
	return static_branch_unlikely(&swaplab_latency_on) ? ktime_get_ns() : 0;
}

void swaplab_latency_record(unsigned int kind, u64 start);
bool swaplab_latency_enabled(void);
void swaplab_latency_enable(bool on);
u64 swaplab_latency_read(unsigned int kind, unsigned int bucket);
u64 swaplab_latency_bucket_low(unsigned int bucket);

#endif /* _SWAPLAB_LATENCY_H */
