// SPDX-License-Identifier: GPL-2.0
/*
 * FIFO in eBPF on the module's queue: the program keeps no order of its
 * own, and names the page at the head of the queue the module keeps
 * (swaplab_bpf_queue_first(), a kfunc, as cache_ext's list kfuncs). The
 * cheapest policy a program can be, and so the measure of what calling
 * a program costs: `make bench` compares it with the built-in fifo. It
 * must fault exactly as the built-in fifo does.
 */
#include "swaplab_bpf_prog.h"

SEC("struct_ops/qfifo_victim")
__u64 BPF_PROG(qfifo_victim, __u32 may_rescan)
{
	return swaplab_bpf_queue_first();
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_qfifo = {
	.victim		= (void *)qfifo_victim,
	/* FIFO reads no bits; on the queue, it answers per process. */
	.flags		= SWAPLAB_BPF_NO_REFS | SWAPLAB_BPF_LOCAL,
	.name		= "bpf_qfifo",
};
