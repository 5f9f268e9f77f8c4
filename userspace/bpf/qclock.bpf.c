// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK (second chance) in eBPF on the module's queue: the head of the
 * queue is the hand. A page whose reference bit is set
 * (swaplab_bpf_test_clear_referenced()) has it cleared and goes to the
 * tail (swaplab_bpf_queue_rotate()); the first page found unreferenced
 * is the victim. The program keeps nothing of its own.
 *
 * Departures from the module's clock (module/policy/policy_clock.c): no fresh
 * harvest of the bits when the hand goes round (it never answers
 * SWAPLAB_BPF_RESCAN): after a lap over pages all referenced, the page
 * at the hand goes; and a call examines at most SWAPLAB_BPF_PAGES_MAX
 * pages.
 */
#include "swaplab_bpf_prog.h"

struct qclock_walk {
	__u64 victim;
};

static long qclock_step(__u64 i, void *ctx)
{
	struct qclock_walk *w = ctx;
	__u64 page = swaplab_bpf_queue_first();

	if (page == SWAPLAB_BPF_NONE)
		return 1;
	if (!swaplab_bpf_test_clear_referenced(page) ||
	    !swaplab_bpf_queue_rotate(page)) {
		w->victim = page;
		return 1;
	}
	return 0;
}

SEC("struct_ops/qclock_victim")
__u64 BPF_PROG(qclock_victim, __u32 may_rescan)
{
	struct qclock_walk w = { .victim = SWAPLAB_BPF_NONE };

	bpf_loop(SWAPLAB_BPF_PAGES_MAX, qclock_step, &w, 0);
	/* A lap of referenced pages: their bits are clear now. */
	if (w.victim == SWAPLAB_BPF_NONE)
		w.victim = swaplab_bpf_queue_first();
	return w.victim;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_qclock = {
	.victim		= (void *)qclock_victim,
	/* On the queue: under allocation=local, the process's own. */
	.flags		= SWAPLAB_BPF_LOCAL,
	.name		= "bpf_qclock",
};
