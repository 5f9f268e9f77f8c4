// SPDX-License-Identifier: GPL-2.0
/*
 * S3-FIFO in eBPF (Juncheng Yang, Yazhuo Zhang, Ziyue Qiu, Yao Yue and
 * Rashmi Vinayak, "FIFO queues are all you need for cache eviction", SOSP
 * 2023): a small queue S (10% of memory) that new pages enter, a main
 * queue M, and a ghost queue G of the ids of pages dropped from S. A page
 * used again by the time it reaches the head of S moves to M; the others
 * leave memory and enter G. A page that faults while its id is in G goes
 * straight to M. M is FIFO with reinsertion: each page has a two-bit
 * counter, raised on use; the page at the head goes round again with its
 * counter lowered if it is not zero, and is evicted if it is. Eviction
 * takes from S while S is over its share (or M is empty), else from M.
 *
 * Departures from the paper, as in the module's s3fifo
 * (module/policy/policy_s3fifo.c), with these of its own:
 *  - Use is the page's reference bit (the kfunc), consumed when the page
 *    reaches the head of its queue; the counter rises by one a look.
 *  - The fault that brings a page in sets its bit: the first look at a
 *    page consumes that reference without counting it (one bit cannot
 *    tell one reference from two). A page read ahead has no such
 *    reference.
 *  - G is a hash of ids with the insertion number of each (an LRU hash,
 *    so its size is bounded); an id is in G if fewer than 90% of memory's
 *    worth of ids entered after it, G's FIFO order exactly.
 *  - A page that comes back after a failed eviction, or when the policy
 *    is selected, enters M (the pager's and the module's core keep no
 *    state for it in between).
 *  - victim() looks at most SWAPLAB_BPF_SCAN_MAX pages a call, then
 *    answers NONE (the module's FIFO fallback, counted); after passing
 *    over as many pages as are resident it asks for fresh bits (RESCAN).
 */
#include "swaplab_bpf_prog.h"

#define S3_SMALL	0
#define S3_MAIN		1
#define S3_FREQ_MAX	3

struct s3_entry {
	__u64 page;
	__u64 seq;
};

struct s3_meta {
	__u64 seq;
	__u32 queue;
	__u32 freq;
	__u32 fresh;	/* the fault's own reference not yet consumed */
	__u32 pad;
};

struct s3_queue {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1 << 17);
	__type(value, struct s3_entry);
};

struct s3_queue small SEC(".maps");
struct s3_queue main_q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SWAPLAB_BPF_PAGES_MAX);
	__type(key, __u64);
	__type(value, struct s3_meta);
} meta SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u64);
	__type(value, __u64);
} ghost SEC(".maps");

__u64 s3_seq, s3_ghost_seq, s3_frames, s3_passed;
__u64 s3_nr[2];

static void s3_enter(__u64 page, __u32 queue, __u32 fresh)
{
	struct s3_meta m = { .seq = ++s3_seq, .queue = queue, .fresh = fresh };
	struct s3_entry e = { .page = page, .seq = m.seq };

	if (bpf_map_update_elem(&meta, &page, &m, BPF_ANY))
		return;
	s3_nr[queue & 1]++;
	bpf_map_push_elem(queue == S3_MAIN ? (void *)&main_q : (void *)&small,
			  &e, 0);
}

SEC("struct_ops/s3_init")
__s32 BPF_PROG(s3_init, __u64 nr_frames)
{
	s3_frames = nr_frames;
	return 0;
}

SEC("struct_ops/s3_resize")
void BPF_PROG(s3_resize, __u64 nr_frames)
{
	s3_frames = nr_frames;
}

SEC("struct_ops/s3_admit")
void BPF_PROG(s3_admit, __u64 page, __u32 why, __u32 record, __u64 distance)
{
	__u64 *g = bpf_map_lookup_elem(&ghost, &page);
	__u32 queue = S3_SMALL;

	if (why == SWAPLAB_BPF_ADMIT_RETURN || why == SWAPLAB_BPF_ADMIT_SWITCH)
		queue = S3_MAIN;
	else if (g && s3_ghost_seq - *g < s3_frames * 9 / 10)
		queue = S3_MAIN;
	s3_enter(page, queue, why != SWAPLAB_BPF_ADMIT_READAHEAD);
}

SEC("struct_ops/s3_remove")
void BPF_PROG(s3_remove, __u64 page)
{
	struct s3_meta *m = bpf_map_lookup_elem(&meta, &page);

	if (!m)
		return;
	if (s3_nr[m->queue & 1])
		s3_nr[m->queue & 1]--;
	bpf_map_delete_elem(&meta, &page);
}

/* Consume @page's bit: was it used since the last look? */
static bool s3_used(__u64 page, struct s3_meta *m)
{
	bool ref = swaplab_bpf_test_clear_referenced(page);

	if (m->fresh) {
		m->fresh = 0;
		return false;
	}
	return ref;
}

SEC("struct_ops/s3_victim")
__u64 BPF_PROG(s3_victim, __u32 may_rescan)
{
	struct s3_entry e;
	struct s3_meta *m;
	__u64 g;
	int i;

	for (i = 0; i < SWAPLAB_BPF_SCAN_MAX; i++) {
		bool from_small = s3_nr[S3_SMALL] > s3_frames / 10 ||
				  !s3_nr[S3_MAIN];

		if (s3_passed >= s3_nr[0] + s3_nr[1] && may_rescan) {
			s3_passed = 0;
			return SWAPLAB_BPF_RESCAN;
		}
		if (bpf_map_pop_elem(from_small ? (void *)&small :
				     (void *)&main_q, &e))
			return SWAPLAB_BPF_NONE;
		m = bpf_map_lookup_elem(&meta, &e.page);
		if (!m || m->seq != e.seq)
			continue;	/* stale: the page left, or came back */
		if (from_small) {
			if (!s3_used(e.page, m)) {
				g = ++s3_ghost_seq;
				bpf_map_update_elem(&ghost, &e.page, &g,
						    BPF_ANY);
				return e.page;
			}
			/* Used in S: on to M, counter at 0. */
			m->queue = S3_MAIN;
			m->freq = 0;
			if (s3_nr[S3_SMALL])
				s3_nr[S3_SMALL]--;
			s3_nr[S3_MAIN]++;
			bpf_map_push_elem(&main_q, &e, 0);
			s3_passed++;
			continue;
		}
		if (s3_used(e.page, m) && m->freq < S3_FREQ_MAX)
			m->freq++;
		if (!m->freq)
			return e.page;
		m->freq--;
		bpf_map_push_elem(&main_q, &e, 0);
		s3_passed++;
	}
	return SWAPLAB_BPF_NONE;
}

SEC(".struct_ops.link")
struct swaplab_ops bpf_s3fifo = {
	.init		= (void *)s3_init,
	.admit		= (void *)s3_admit,
	.remove		= (void *)s3_remove,
	.victim		= (void *)s3_victim,
	.resize		= (void *)s3_resize,
	.name		= "bpf_s3fifo",
};
