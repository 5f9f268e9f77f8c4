// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK (second chance) in eBPF. The ring is a queue map whose head is
 * the hand: the page at the hand is evicted unless its reference bit is
 * set (swaplab_bpf_test_clear_referenced(), the kfunc), in which case the
 * bit is cleared and the page goes round again, to the tail; new pages
 * enter at the tail, just behind the hand, as in the module's clock.
 *
 * Departures from the module's clock (module/policy/policy_clock.c): a lap is
 * counted in pages examined, as many as the ring holds, rather than at a
 * fixed point of the ring; and victim() examines at most
 * SWAPLAB_BPF_SCAN_MAX pages a call and then answers NONE, leaving the
 * choice to the module (counted in bpf_fallback). Entries of pages that
 * left the policy stay in the queue until they reach the hand, where
 * their stale sequence number has them skipped, as in fifo.bpf.c.
 */
#include "swaplab_bpf_prog.h"

struct clock_entry {
	__u64 page;
	__u64 seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1 << 17);
	__type(value, struct clock_entry);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SWAPLAB_BPF_PAGES_MAX);
	__type(key, __u64);
	__type(value, __u64);
} live SEC(".maps");

__u64 clock_seq;
__u64 clock_resident;
__u64 clock_lap;	/* pages examined since the last harvest */

SEC("struct_ops/clock_admit")
void BPF_PROG(clock_admit, __u64 page, __u32 why, __u32 record,
	      __u64 distance)
{
	struct clock_entry e = { .page = page, .seq = ++clock_seq };

	if (!bpf_map_update_elem(&live, &page, &e.seq, BPF_ANY))
		clock_resident++;
	bpf_map_push_elem(&ring, &e, 0);
}

SEC("struct_ops/clock_remove")
void BPF_PROG(clock_remove, __u64 page)
{
	if (!bpf_map_delete_elem(&live, &page) && clock_resident)
		clock_resident--;
}

SEC("struct_ops/clock_victim")
__u64 BPF_PROG(clock_victim, __u32 may_rescan)
{
	struct clock_entry e;
	__u64 *seq;
	int i;

	for (i = 0; i < SWAPLAB_BPF_SCAN_MAX; i++) {
		if (clock_lap >= clock_resident && may_rescan) {
			/* A lap done: have the bits refreshed first. */
			clock_lap = 0;
			return SWAPLAB_BPF_RESCAN;
		}
		if (bpf_map_pop_elem(&ring, &e))
			return SWAPLAB_BPF_NONE;
		seq = bpf_map_lookup_elem(&live, &e.page);
		if (!seq || *seq != e.seq)
			continue;
		clock_lap++;
		if (!swaplab_bpf_test_clear_referenced(e.page))
			return e.page;
		bpf_map_push_elem(&ring, &e, 0);
	}
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_clock = {
	.admit		= (void *)clock_admit,
	.remove		= (void *)clock_remove,
	.victim		= (void *)clock_victim,
	.name		= "bpf_clock",
};
