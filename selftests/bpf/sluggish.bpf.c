// SPDX-License-Identifier: GPL-2.0
/*
 * A policy whose victim() is late every other time, for bpf_test.sh: one
 * call spins through bpf_loop() before it answers, the next answers at
 * once. Each late answer is ignored and counted (bpf_timeouts), but late
 * answers never come three in a row, so the program is never ejected: a
 * single late answer may be the host's doing, not the program's. Every
 * answer is SWAPLAB_BPF_NONE, which leaves the choice to the module.
 */
#include "swaplab_bpf_prog.h"

__u64 sluggish_calls;

static long sluggish_step(__u64 i, void *ctx)
{
	return 0;
}

SEC("struct_ops/sluggish_victim")
__u64 BPF_PROG(sluggish_victim, __u32 may_rescan)
{
	if (sluggish_calls++ & 1)
		bpf_loop(1 << 17, sluggish_step, NULL, 0);
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_sluggish = {
	.victim		= (void *)sluggish_victim,
	.name		= "bpf_sluggish",
};
