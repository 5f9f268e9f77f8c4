/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * swaplab's eBPF policy interface: the struct_ops type a BPF program
 * fills in (SEC(".struct_ops.link") struct swaplab_ops ...), and the
 * constants it uses. Linux 6.9 or later, built with BTF for modules; on
 * older kernels /sys/kernel/swaplab/bpf says why not.
 *
 * A page is named by one number, its stable identity: the region's id
 * times 2^40 plus the page's index (SWAPLAB_BPF_PAGE()), the same number
 * swaplab record writes. A program keeps its own order of pages in its
 * own maps, keyed by that number; the core keeps the frames, checks every
 * page a program names, and chooses itself (first in, first out) when a
 * program names none, an invalid one, or answers too late.
 */
#ifndef _UAPI_SWAPLAB_BPF_H
#define _UAPI_SWAPLAB_BPF_H

#include <linux/types.h>

#define SWAPLAB_BPF_NAME_MAX	16
#define SWAPLAB_BPF_INDEX_BITS	40
#define SWAPLAB_BPF_PAGE(region, index)					\
	(((__u64)(region) << SWAPLAB_BPF_INDEX_BITS) | (__u64)(index))
#define SWAPLAB_BPF_REGION(page)	((page) >> SWAPLAB_BPF_INDEX_BITS)
#define SWAPLAB_BPF_INDEX(page)						\
	((page) & ((1ULL << SWAPLAB_BPF_INDEX_BITS) - 1))

/* victim()'s answers besides a page: no victim, or harvest the bits first */
#define SWAPLAB_BPF_NONE	(~0ULL)
#define SWAPLAB_BPF_RESCAN	(~0ULL - 1)

/* admit()'s reasons (the module's enum swaplab_admit_reason) */
#define SWAPLAB_BPF_ADMIT_NEW		0
#define SWAPLAB_BPF_ADMIT_REFAULT	1
#define SWAPLAB_BPF_ADMIT_READAHEAD	2
#define SWAPLAB_BPF_ADMIT_RETURN	3
#define SWAPLAB_BPF_ADMIT_SWITCH	4

/* The largest record evicted() may return. */
#define SWAPLAB_BPF_RECORD_MAX	255

/*
 * swaplab_ops.flags: the program never reads the reference bits, so
 * reclaim need not harvest the page tables' accessed bits before its
 * victims (each harvest walks every PTE of every region and flushes the
 * TLB), as for the built-in fifo.
 */
#define SWAPLAB_BPF_NO_REFS	0x1
/*
 * swaplab_ops.flags: the program answers for one process at a time, so
 * it may be selected under allocation=local: it takes its order from the
 * module's queue (the queue kfuncs), which is the process's own there, or
 * keeps one per process and names only pages swaplab_bpf_page_wanted()
 * accepts. Without it the program is refused under local (EOPNOTSUPP).
 */
#define SWAPLAB_BPF_LOCAL	0x2

/**
 * struct swaplab_ops - a replacement policy in eBPF
 * @init: (optional) the policy is selected, for a budget of @nr_frames;
 *	non-zero refuses the selection
 * @admit: (optional) @page became resident, for @why
 *	(%SWAPLAB_BPF_ADMIT_*); at a refault, @record is what evicted()
 *	returned for it and @distance its refault distance
 * @access: (optional) a fault found @page resident
 * @remove: (optional) @page left the policy: evicted, pinned, or freed
 * @victim: (required) the page to evict next, %SWAPLAB_BPF_RESCAN (only
 *	if @may_rescan) to have the reference bits harvested first, or
 *	%SWAPLAB_BPF_NONE
 * @evicted: (optional) @page is gone; the record (0 to
 *	%SWAPLAB_BPF_RECORD_MAX) to keep for its refault
 * @resize: (optional) the budget changed to @nr_frames
 * @flags: %SWAPLAB_BPF_NO_REFS, %SWAPLAB_BPF_LOCAL, or 0
 * @name: the name it is selected by (a-z, 0-9, _; not a built-in's)
 *
 * Every callback runs under the module's policy mutex, and must not sleep.
 * The kfunc swaplab_bpf_test_clear_referenced(page) consumes a page's
 * reference bit, as a kernel clock does. In victim(), a program may also
 * take its order from the module's queue of the policy's pages, in
 * admission order, instead of keeping one in its own maps, as cache_ext's
 * list kfuncs allow: swaplab_bpf_queue_first() is the page at its head,
 * swaplab_bpf_queue_rotate(page) moves a page to its tail.
 *
 * Under allocation=local each process's pages have their queue, and
 * victim() is asked for a page of one process: the queue kfuncs work on
 * that process's queue, and swaplab_bpf_page_wanted(page) says whether a
 * page may be the answer. A page of another process is not taken: the
 * module chooses (first in, first out among the process's pages) and
 * counts it in bpf_foreign. init() and resize() are called for the whole
 * budget only.
 */
struct swaplab_ops {
	__s32 (*init)(__u64 nr_frames);
	void (*admit)(__u64 page, __u32 why, __u32 record, __u64 distance);
	void (*access)(__u64 page);
	void (*remove)(__u64 page);
	__u64 (*victim)(__u32 may_rescan);
	__u32 (*evicted)(__u64 page);
	void (*resize)(__u64 nr_frames);
	__u32 flags;
	char name[SWAPLAB_BPF_NAME_MAX];
};

#endif /* _UAPI_SWAPLAB_BPF_H */
