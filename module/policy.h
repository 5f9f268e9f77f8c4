/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replacement-policy interface.
 *
 * A policy is plain C over this header: it keeps resident frames in its own
 * order and names a victim when the core asks. It calls nothing of the
 * kernel's, so the same source files can be compiled into a userspace
 * simulator. The core (lists.c) serialises every call with one mutex.
 */
#ifndef _SWAPLAB_POLICY_H
#define _SWAPLAB_POLICY_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/types.h>
#else
/* The userspace simulator's list.h, bitops and types (userspace/sim/). */
#include "policy_shim.h"
#endif

struct module;
struct page;
struct swaplab_region;
struct user_struct;

#define SWAPLAB_POLICY_NAME_MAX	16

/* Bits of swaplab_frame.flags */
enum {
	SWAPLAB_FRAME_REFERENCED,	/* referenced since the bit was cleared */
	SWAPLAB_FRAME_ADMITTED,		/* in the policy (core use) */
	SWAPLAB_FRAME_PINNED,		/* never evicted (core use) */
	SWAPLAB_FRAME_ISOLATED,		/* taken by reclaim (core use) */
	SWAPLAB_FRAME_PARKED,		/* mlocked or held, kept out (core) */
};

/**
 * struct swaplab_frame - one page of a region that holds a frame
 * @lru: the current policy's list linkage; initialised by the core before
 *	every admit()
 * @pdata: policy-private words, zeroed by the core before every admit()
 * @flags: %SWAPLAB_FRAME_* bits, changed with atomic bitops
 * @all: the core's list of admitted frames, in admission order
 * @region: the region the page belongs to
 * @index: the page's index in @region
 * @page: the page
 * @slot: swap slot holding a valid copy of the page, or %SWAPLAB_NO_SLOT
 * @pins: pin count (under the page lock)
 * @pin_user: while @pins is not 0, the user whose RLIMIT_MEMLOCK the pin
 *	is charged to, with a reference (under the page lock)
 * @readahead: brought in by readahead and not yet faulted on
 */
struct swaplab_frame {
	struct list_head lru;
	unsigned long pdata[2];
	unsigned long flags;
	struct list_head all;
	struct swaplab_region *region;
	unsigned long index;
	struct page *page;
	unsigned long slot;
	unsigned int pins;
	struct user_struct *pin_user;
	bool readahead;
};

#define SWAPLAB_NO_SLOT		(~0UL)

/**
 * swaplab_frame_test_clear_referenced() - consume a frame's reference bit
 * @f: the frame
 *
 * The core sets the bit on every fault and when it harvests the hardware
 * accessed bits of the page's PTEs.
 *
 * Return: true if the page was referenced since the last call.
 */
static inline bool swaplab_frame_test_clear_referenced(struct swaplab_frame *f)
{
	return test_and_clear_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
}

/**
 * struct swaplab_policy_ctx - what the core tells a policy on each call
 * @now_ms: time in milliseconds, for policies that age by time (WSClock)
 * @aging_bits: width of the aging counter, 1 to 8
 * @tau_ms: WSClock's working-set window
 * @refresh: in victim() only, else NULL: bring every frame's reference
 *	bit up to date now. The core harvests before each batch of victims;
 *	a policy whose hand can come round to a frame twice within one batch
 *	calls this once per lap, so that it never evicts a frame whose bit it
 *	cleared moments ago while the page was in use.
 */
struct swaplab_policy_ctx {
	unsigned long now_ms;
	unsigned int aging_bits;
	unsigned int tau_ms;
	void (*refresh)(void);
};

/* swaplab_policy_ops.flags */
#define SWAPLAB_POLICY_TICK	0x1	/* wants tick() every aging_interval_ms */
/*
 * Reads reference bits in tick() only (needs SWAPLAB_POLICY_TICK): reclaim
 * harvests them only when a tick is due, not before every batch.
 */
#define SWAPLAB_POLICY_REFS_AT_TICK	0x2
/* Never reads reference bits: reclaim does not harvest them at all. */
#define SWAPLAB_POLICY_NO_REFS		0x4

/**
 * struct swaplab_policy_ops - a replacement policy
 * @admit: (required) a frame became resident, or the policy was just
 *	selected and is told about every resident frame in admission order
 * @forget: (required) a frame leaves the policy: evicted, freed or pinned
 * @victim: (required) name the frame to evict next; it stays admitted
 *	until the core calls @forget. NULL when the policy holds no frame.
 * @tick: (optional) periodic call, every aging_interval_ms, after the core
 *	harvested the reference bits (needs %SWAPLAB_POLICY_TICK)
 * @init: (optional) set up @state_size bytes of zeroed state
 * @release: (optional) tear the state down
 * @state_size: bytes of per-policy state the core allocates
 * @name: the name users select it by
 * @owner: module that provides it; NULL for the built-in ones
 * @list: registry linkage (core use)
 * @flags: %SWAPLAB_POLICY_*
 *
 * Every callback runs under the core's policy mutex; @state is the
 * policy's state. A callback itself must not sleep or call the kernel, so
 * that the simulator can call it too. The one way out is
 * &swaplab_policy_ctx.refresh in victim(): the core's harvest, which takes
 * swaplab_regions_mutex and each region's i_mmap_rwsem (sleeping locks)
 * and sends an IPI to every CPU to flush its TLB. So victim() may sleep,
 * inside refresh only, and must not be called from atomic context.
 */
struct swaplab_policy_ops {
	void (*admit)(void *state, struct swaplab_frame *f,
		      const struct swaplab_policy_ctx *ctx);
	void (*forget)(void *state, struct swaplab_frame *f);
	struct swaplab_frame *(*victim)(void *state,
					const struct swaplab_policy_ctx *ctx);
	void (*tick)(void *state, const struct swaplab_policy_ctx *ctx);
	int (*init)(void *state);
	void (*release)(void *state);
	unsigned int state_size;

	char name[SWAPLAB_POLICY_NAME_MAX];
	struct module *owner;
	struct list_head list;
	unsigned int flags;
};

int swaplab_policy_register(struct swaplab_policy_ops *ops);
void swaplab_policy_unregister(struct swaplab_policy_ops *ops);
unsigned int swaplab_policy_random(void);

/* The built-in policies, each in its own file. */
extern struct swaplab_policy_ops swaplab_policy_fifo;
extern struct swaplab_policy_ops swaplab_policy_clock;
extern struct swaplab_policy_ops swaplab_policy_aging;
extern struct swaplab_policy_ops swaplab_policy_random_ops;
extern struct swaplab_policy_ops swaplab_policy_wsclock;

#endif /* _SWAPLAB_POLICY_H */
