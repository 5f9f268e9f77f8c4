// SPDX-License-Identifier: GPL-2.0
/*
 * A policy whose victim() is late every third time, for bpf_test.sh: one
 * call in three spins before it answers, the other two answer at once.
 * Each late answer is ignored and counted (bpf_timeouts). The module
 * ejects a program after three late answers in a row; here two fast
 * answers separate the slow ones, so one of them may also be late (the
 * host's doing, not the program's: a preempted vCPU, a debug kernel's
 * slowness) and the program is still not ejected. Every answer is
 * SWAPLAB_BPF_NONE, which leaves the choice to the module.
 *
 * A slow call spins by the clock, not by a count of iterations, so that
 * it is late on any machine: SLUGGISH_SPIN_NS from its start, where
 * bpf_test.sh sets timeout_us to less than half of it. The module times
 * the call from before it starts (local_clock()), so it measures at
 * least as long. bpf_loop()'s most iterations, each reading the clock,
 * take longer than the spin anywhere.
 */
#include "swaplab_bpf_prog.h"

#define SLUGGISH_SPIN_NS	(5 * 1000 * 1000ULL)

__u64 sluggish_calls;

static long sluggish_step(__u64 i, void *ctx)
{
	__u64 *until = ctx;

	return bpf_ktime_get_ns() >= *until;
}

SEC("struct_ops/sluggish_victim")
__u64 BPF_PROG(sluggish_victim, __u32 may_rescan)
{
	__u64 until;

	if (sluggish_calls++ % 3 == 2) {
		until = bpf_ktime_get_ns() + SLUGGISH_SPIN_NS;
		bpf_loop(1 << 23, sluggish_step, &until, 0);
	}
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_sluggish = {
	.victim		= (void *)sluggish_victim,
	.name		= "bpf_sluggish",
};
