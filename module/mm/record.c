// SPDX-License-Identifier: GPL-2.0
/*
 * Record mode: make a region's page references visible as faults, for
 * `swaplab record`, which reads them from the swaplab_fault tracepoint.
 *
 * The module sees a reference only when it faults. In record mode a
 * region keeps no more than @window of its pages mapped: each fault on
 * one of its pages unmaps the page faulted @window faults earlier, so
 * that the next touch of that page faults again (a minor fault: its frame
 * stays). A reference is thus seen unless the page is among the last
 * @window pages of its region to fault. One instruction can touch several
 * pages (a string move crossing page boundaries touches four): with a
 * window of one it would fault forever, each fault unmapping the page the
 * other access needs. The window must be at least the pages one
 * instruction touches, and the default is 4. Since a window too small
 * stalls every process that maps the region (killably), only a named
 * region's creator sets it (swaplab_region_owned()).
 *
 * A tag set with the window is stamped on the region's swaplab_fault
 * events, so that a recorder can filter on it rather than on its
 * command's pids: following pids (set_event_pid) hooks the scheduler's
 * fork, exit, switch and wakeup tracepoints, and taking those hooks out
 * again patches hot kernel text.
 *
 * Locking: &swaplab_record.lock, a spinlock, protects the window, the
 * ring and the tag (read locklessly by the tracepoint, which takes
 * whichever of the old and new tag it sees); the unmap runs after it is
 * dropped. A region's record state is
 * allocated at its first SWAPLAB_IOC_RECORD and lives as long as the
 * region.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mm/record.h"
#include "api/region.h"
#include "uapi/swaplab.h"

/**
 * struct swaplab_record - a region's record mode
 * @lock: protects the fields below
 * @window: pages kept mapped, 0 when record mode is off
 * @head: where the oldest index in @ring is
 * @nr: indices in @ring
 * @ring: the indices of the last pages that faulted, oldest first
 * @tag: the tag of the region's swaplab_fault events, 0 when off
 */
struct swaplab_record {
	spinlock_t lock;	/* the fields below */
	unsigned int window;
	u32 tag;
	unsigned int head;
	unsigned int nr;
	pgoff_t ring[SWAPLAB_RECORD_WINDOW_MAX];
};

/**
 * swaplab_record_set() - turn a region's record mode on or off
 * @region: the region
 * @arg: SWAPLAB_IOC_RECORD's argument: in its low bits the pages of the
 *	region to keep mapped, 1 to %SWAPLAB_RECORD_WINDOW_MAX, or 0 to turn
 *	record mode off (pages already unmapped stay so); above
 *	%SWAPLAB_RECORD_TAG_SHIFT the tag of its swaplab_fault events
 *
 * Context: process context.
 * Return: 0, -EINVAL for a window out of range or a tag without a window
 * (nothing changes), -ENOMEM.
 */
int swaplab_record_set(struct swaplab_region *region, u32 arg)
{
	unsigned int window = arg & SWAPLAB_RECORD_WINDOW_MASK;
	u32 tag = arg >> SWAPLAB_RECORD_TAG_SHIFT;
	struct swaplab_record *r, *old;

	if (window > SWAPLAB_RECORD_WINDOW_MAX || (tag && !window))
		return -EINVAL;
	r = READ_ONCE(region->record);
	if (!r) {
		if (!window)
			return 0;
		r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
		if (!r)
			return -ENOMEM;
		spin_lock_init(&r->lock);
		old = cmpxchg(&region->record, NULL, r);
		if (old) {
			kfree(r);
			r = old;
		}
	}
	spin_lock(&r->lock);
	r->window = window;
	r->head = 0;
	r->nr = 0;
	WRITE_ONCE(r->tag, tag);
	spin_unlock(&r->lock);
	return 0;
}

/**
 * swaplab_record_tag() - the tag of a region's swaplab_fault events
 * @region: the region
 *
 * Context: any; lockless.
 * Return: the tag set with record mode, or 0.
 */
u32 swaplab_record_tag(const struct swaplab_region *region)
{
	const struct swaplab_record *r = READ_ONCE(region->record);

	return r ? READ_ONCE(r->tag) : 0;
}

/**
 * swaplab_record_fault() - a page of a region faulted
 * @region: the region
 * @index: the page
 *
 * In record mode, unmaps the page that faulted @window faults before.
 *
 * Context: process context, in the fault handler, with the faulting page
 * locked (the rmap lock order: page lock, then i_mmap_rwsem).
 */
void swaplab_record_fault(struct swaplab_region *region, pgoff_t index)
{
	struct swaplab_record *r = READ_ONCE(region->record);
	pgoff_t old = 0;
	bool unmap = false;

	if (!r)
		return;
	spin_lock(&r->lock);
	if (r->window) {
		if (r->nr == r->window) {
			old = r->ring[r->head];
			unmap = old != index;
			r->head = (r->head + 1) % SWAPLAB_RECORD_WINDOW_MAX;
			r->nr--;
		}
		r->ring[(r->head + r->nr) % SWAPLAB_RECORD_WINDOW_MAX] = index;
		r->nr++;
	}
	spin_unlock(&r->lock);
	if (unmap)
		unmap_mapping_pages(region->inode->i_mapping, old, 1, false);
}

/**
 * swaplab_record_free() - free a region's record state
 * @region: a region being released
 *
 * Context: process context; nothing faults on @region any more.
 */
void swaplab_record_free(struct swaplab_region *region)
{
	kfree(region->record);
	region->record = NULL;
}
