// SPDX-License-Identifier: GPL-2.0
/*
 * A policy whose victim() takes long, for bpf_test.sh: it spins through
 * bpf_loop() before it answers. Past the knob timeout_us the module
 * ignores the answer, counts it (bpf_timeouts) and chooses itself.
 */
#include "swaplab_bpf_prog.h"

static long slow_step(__u64 i, void *ctx)
{
	return 0;
}

SEC("struct_ops/slow_victim")
__u64 BPF_PROG(slow_victim, __u32 may_rescan)
{
	bpf_loop(1 << 16, slow_step, NULL, 0);
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_slow = {
	.victim		= (void *)slow_victim,
	.name		= "bpf_slow",
};
