// SPDX-License-Identifier: GPL-2.0
/*
 * FIFO in eBPF: the mechanism test. It must fault exactly as the built-in
 * fifo does on the same string.
 *
 * The order is a queue map of (page, sequence number); a hash map holds
 * the sequence number of each page in the policy. An entry whose page has
 * left the policy, or came back since (a newer number), is stale and
 * skipped when it reaches the head, so that the queue needs no removal
 * from its middle. victim() walks with bpf_loop(), so that a backlog of
 * stale entries (a region freed) never leaves the choice to the module.
 */
#include "swaplab_bpf_prog.h"

struct fifo_entry {
	__u64 page;
	__u64 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1 << 17);
	__type(value, struct fifo_entry);
} order SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SWAPLAB_BPF_PAGES_MAX);
	__type(key, __u64);
	__type(value, __u64);
} live SEC(".maps");

__u64 fifo_seq;

SEC("struct_ops/fifo_admit")
void BPF_PROG(fifo_admit, __u64 page, __u32 why, __u32 record, __u64 distance)
{
	struct fifo_entry e = { .page = page, .seq = ++fifo_seq };

	bpf_map_update_elem(&live, &page, &e.seq, BPF_ANY);
	bpf_map_push_elem(&order, &e, 0);
}

SEC("struct_ops/fifo_remove")
void BPF_PROG(fifo_remove, __u64 page)
{
	bpf_map_delete_elem(&live, &page);
}

/* One step of victim(): the head of the queue, if it is not stale. */
static long fifo_step(__u64 i, void *ctx)
{
	__u64 *victim = ctx;
	struct fifo_entry e;
	__u64 *seq;

	if (bpf_map_pop_elem(&order, &e))
		return 1;			/* empty: stop */
	seq = bpf_map_lookup_elem(&live, &e.page);
	if (!seq || *seq != e.seq)
		return 0;			/* stale: go on */
	*victim = e.page;
	return 1;
}

SEC("struct_ops/fifo_victim")
__u64 BPF_PROG(fifo_victim, __u32 may_rescan)
{
	__u64 victim = SWAPLAB_BPF_NONE;

	/* Stale entries are popped once each: amortised O(1) an admission. */
	bpf_loop(SWAPLAB_BPF_PAGES_MAX, fifo_step, &victim, 0);
	return victim;
}

/*
 * One order of all processes' pages: no SWAPLAB_BPF_LOCAL. (bpf_test.sh
 * builds it again with the flag, as a program that claims it and names
 * other processes' pages: selftests/bpf/foreign.bpf.c.)
 */
#ifndef FIFO_FLAGS
#define FIFO_FLAGS	0
#define FIFO_NAME	"bpf_fifo"
#endif

SEC(".struct_ops.link")
struct swaplab_ops bpf_fifo = {
	.admit		= (void *)fifo_admit,
	.remove		= (void *)fifo_remove,
	.victim		= (void *)fifo_victim,
	/* FIFO reads no bits. */
	.flags		= SWAPLAB_BPF_NO_REFS | FIFO_FLAGS,
	.name		= FIFO_NAME,
};
