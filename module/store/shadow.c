// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow entries: what the core remembers of a page that left memory, as
 * mm/workingset.c does for the page cache.
 *
 * When reclaim evicts a page, the region's table entry becomes a value
 * entry that holds, beside the swap slot (if the page has one), the
 * budget's eviction counter at that moment and the record the policy's
 * evicted() returned. A clean page that never had a slot gets one too, an
 * entry with no slot. At the page's refault, the counter's advance since
 * then is the refault distance: how many frames more the budget would
 * have needed for LRU to keep the page. The distance and the record go to
 * the policy's admit().
 *
 * Layout of the value (64-bit; BITS_PER_XA_VALUE is 63):
 *	bits  0-31	slot + 1, 0 for none
 *	bits 32-39	the policy's record
 *	bit  40		a shadow: the stamp and record are valid
 *	bit  41		the working-set estimate counted the page at its
 *			eviction (alloc.h)
 *	bits 42-62	the eviction stamp: the counter >> shadow_order, whose
 *			21 bits cover 2M evictions at order 0. The order is
 *			chosen at load so that they cover 4x the machine's
 *			memory, as workingset's bucket_order does.
 * On 32-bit kernels there is room for the slot only: no history.
 *
 * Entries with a slot cost nothing more than before. Those without one
 * keep xarray nodes alive that would have been freed; their number is
 * capped by the knob shadow_max, beyond which such a page leaves no
 * shadow (counted in shadows_dropped), and their memory is part of the
 * regions' xa_nodes in debugfs' metadata.
 *
 * Locking: the count of slotless shadows is an atomic, the cap a single
 * word (READ_ONCE()/WRITE_ONCE()), the distance histogram atomics. The
 * entries themselves change under their region's xarray lock, as every
 * entry does (region.c).
 */
#include <linux/atomic.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/xarray.h>

#include "api/policy.h"
#include "store/shadow.h"
#include "lib/stat.h"

#define SHADOW_SLOT_BITS	32
#define SHADOW_SLOT_MASK	((1UL << SHADOW_SLOT_BITS) - 1)
#if BITS_PER_XA_VALUE >= 63
#define SHADOW_HISTORY		1
#define SHADOW_RECORD_SHIFT	SHADOW_SLOT_BITS
#define SHADOW_VALID_SHIFT	(SHADOW_RECORD_SHIFT + 8)
#define SHADOW_WS_SHIFT		(SHADOW_VALID_SHIFT + 1)
#define SHADOW_STAMP_SHIFT	(SHADOW_WS_SHIFT + 1)
#define SHADOW_STAMP_BITS	(BITS_PER_XA_VALUE - SHADOW_STAMP_SHIFT)
#define SHADOW_STAMP_MASK	((1UL << SHADOW_STAMP_BITS) - 1)
#else
#define SHADOW_HISTORY		0
#endif

/* Slotless shadows in all regions, and the most there may be. */
static atomic_long_t swaplab_nr_shadows = ATOMIC_LONG_INIT(0);
static unsigned long swaplab_shadows_max = 1UL << 18;
/* Evictions per stamp tick, log2; set at load. */
static unsigned int swaplab_shadow_order;
/* Refaults by log2 of their distance: bucket b holds [2^(b-1), 2^b). */
static atomic64_t swaplab_shadow_dist[SWAPLAB_SHADOW_DIST_BUCKETS];

/**
 * swaplab_shadow_init() - size the eviction stamp for this machine
 *
 * Context: module init.
 */
void swaplab_shadow_init(void)
{
#if SHADOW_HISTORY
	unsigned int bits = ilog2(totalram_pages()) + 2;

	swaplab_shadow_order = bits > SHADOW_STAMP_BITS ?
			       bits - SHADOW_STAMP_BITS : 0;
#endif
}

/**
 * swaplab_shadow_entry() - the table entry for a page that is leaving
 * @slot: the slot holding its copy, or %SWAPLAB_NO_SLOT
 * @stamp: the budget's eviction counter at its eviction
 *	(swaplab_core_evicted())
 * @record: the policy's record for it, at most %SWAPLAB_RECORD_MAX
 * @in_ws: the working-set estimate counted it (swaplab_core_evicted())
 *
 * Context: any.
 * Return: the value entry; NULL for a page with no slot when shadow_max
 * slotless shadows exist already (the page then reads as never touched).
 */
void *swaplab_shadow_entry(unsigned long slot, unsigned long stamp,
			   unsigned int record, bool in_ws)
{
	unsigned long v = slot == SWAPLAB_NO_SLOT ? 0 : slot + 1;

	if (!SHADOW_HISTORY)
		return v ? xa_mk_value(v) : NULL;
	if (!v) {
		if (atomic_long_inc_return(&swaplab_nr_shadows) >
		    READ_ONCE(swaplab_shadows_max)) {
			atomic_long_dec(&swaplab_nr_shadows);
			swaplab_count_event(SWAPLAB_SHADOWS_DROPPED);
			return NULL;
		}
	}
#if SHADOW_HISTORY
	v |= (unsigned long)min(record, (unsigned int)SWAPLAB_RECORD_MAX) <<
	     SHADOW_RECORD_SHIFT;
	v |= 1UL << SHADOW_VALID_SHIFT;
	if (in_ws)
		v |= 1UL << SHADOW_WS_SHIFT;
	v |= ((stamp >> swaplab_shadow_order) & SHADOW_STAMP_MASK) <<
	     SHADOW_STAMP_SHIFT;
#endif
	return xa_mk_value(v);
}

/**
 * swaplab_shadow_slot() - the swap slot a table value entry names
 * @entry: a value entry of a region's table
 *
 * Context: any.
 * Return: the slot, or %SWAPLAB_NO_SLOT for a shadow of a page that has
 * none (it reads as zeroes).
 */
unsigned long swaplab_shadow_slot(const void *entry)
{
	unsigned long v = xa_to_value(entry) & SHADOW_SLOT_MASK;

	return v ? v - 1 : SWAPLAB_NO_SLOT;
}

/**
 * swaplab_shadow_reslot() - the same value entry, naming another slot
 * @entry: a value entry of a region's table
 * @slot: the slot (a slot of the store, or the pager's numbers; not
 *	%SWAPLAB_NO_SLOT)
 *
 * The page's history (stamp, record) goes with it.
 *
 * Context: any.
 * Return: the new value entry.
 */
void *swaplab_shadow_reslot(const void *entry, unsigned long slot)
{
	return xa_mk_value((xa_to_value(entry) & ~SHADOW_SLOT_MASK) |
			   (slot + 1));
}

/**
 * swaplab_shadow_forget() - the same value entry, with no history
 * @entry: a value entry of a region's table that names a slot
 *
 * For a page that changes hands to a process whose policy state never
 * saw it (move.c): its next fault there is not a refault.
 *
 * Context: any.
 * Return: the value entry naming the same slot alone.
 */
void *swaplab_shadow_forget(const void *entry)
{
	return xa_mk_value(xa_to_value(entry) & SHADOW_SLOT_MASK);
}

/**
 * swaplab_shadow_refault() - read a refaulting page's history
 * @entry: its value entry, as the fault found it
 * @now: the budget's eviction counter (swaplab_core_eviction_clock())
 * @switched: its value when the current policy was selected
 * @r: set to the refault distance and the policy's record; the record is
 *	0 if the page was evicted before the current policy was selected
 *
 * Counts the distance in the histogram.
 *
 * Context: any.
 * Return: true if @entry holds history; false if not (nothing is set).
 */
bool swaplab_shadow_refault(const void *entry, unsigned long now,
			    unsigned long switched, struct swaplab_refault *r)
{
#if SHADOW_HISTORY
	unsigned long v = xa_to_value(entry), then, dist;
	unsigned int bucket;

	if (!(v & (1UL << SHADOW_VALID_SHIFT)))
		return false;
	then = (v >> SHADOW_STAMP_SHIFT) & SHADOW_STAMP_MASK;
	dist = (((now >> swaplab_shadow_order) - then) & SHADOW_STAMP_MASK) <<
	       swaplab_shadow_order;
	r->distance = dist;
	r->record = 0;
	r->in_ws = v & (1UL << SHADOW_WS_SHIFT);
	if (dist <= now - switched)
		r->record = (v >> SHADOW_RECORD_SHIFT) & SWAPLAB_RECORD_MAX;
	bucket = min_t(unsigned int, fls_long(dist),
		       SWAPLAB_SHADOW_DIST_BUCKETS - 1);
	atomic64_inc(&swaplab_shadow_dist[bucket]);
	return true;
#else
	return false;
#endif
}

/**
 * swaplab_shadow_drop() - a value entry leaves its region's table
 * @entry: the entry; a shadow of a page with no slot stops being counted
 *
 * Context: any.
 */
void swaplab_shadow_drop(const void *entry)
{
	if (SHADOW_HISTORY && swaplab_shadow_slot(entry) == SWAPLAB_NO_SLOT)
		atomic_long_dec(&swaplab_nr_shadows);
}

/**
 * swaplab_shadow_count() - shadows of pages without a slot
 *
 * Return: how many there are in all regions.
 */
unsigned long swaplab_shadow_count(void)
{
	return atomic_long_read(&swaplab_nr_shadows);
}

/**
 * swaplab_shadow_max() - the cap on shadows without a slot
 *
 * Return: the knob shadow_max.
 */
unsigned long swaplab_shadow_max(void)
{
	return READ_ONCE(swaplab_shadows_max);
}

/**
 * swaplab_shadow_set_max() - change the cap on shadows without a slot
 * @nr: the new cap; 0 keeps none. Shadows beyond it stay until their
 *	pages refault or are discarded.
 *
 * Return: 0, or -EINVAL above 2^32 (nothing changes).
 */
int swaplab_shadow_set_max(unsigned long nr)
{
	if (nr > (1UL << 32))
		return -EINVAL;
	WRITE_ONCE(swaplab_shadows_max, nr);
	return 0;
}

/**
 * swaplab_shadow_distance_read() - one bucket of the distance histogram
 * @bucket: 0 for distance 0, b for [2^(b-1), 2^b); the last one open
 *
 * Return: refaults counted in it.
 */
u64 swaplab_shadow_distance_read(unsigned int bucket)
{
	return atomic64_read(&swaplab_shadow_dist[bucket]);
}
