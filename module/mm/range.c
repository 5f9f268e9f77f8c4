// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls on a region's pages: SWAPLAB_IOC_PIN, _UNPIN, _PREFETCH and
 * _DISCARD over a page-aligned byte range, one page at a time. chardev.c
 * copies the arguments in and checks the file's mode; this file does the
 * work, through the fault path (pages are brought in as a fault brings
 * them) and the frame lists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/wait_bit.h>
#include <linux/xarray.h>

#include "store/compress.h"
#include "policy/core.h"
#include "mm/fault.h"
#include "mm/file.h"
#include "alloc/frames.h"
#include "lib/memlock.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "api/policy.h"
#include "mm/range.h"
#include "alloc/proc.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "store/swap.h"
#include "uapi/swaplab.h"

/*
 * Pin one page: bring it in, take it out of the policy. The first pin of
 * a page charges it to the caller's RLIMIT_MEMLOCK (swaplab_memlock_charge());
 * the last unpin, wherever it comes from, gives it back to that user.
 */
static int swaplab_range_pin(struct swaplab_region *region, pgoff_t index)
{
	struct swaplab_frame *f;
	unsigned int kind;
	struct page *page;
	int err = 0;

	page = swaplab_fault_get_page(region, index, &kind, NULL);
	if (IS_ERR(page))
		return PTR_ERR(page);
	f = (struct swaplab_frame *)page_private(page);
	if (f->pins == UINT_MAX) {
		err = -EOVERFLOW;
	} else if (!f->pins) {
		err = swaplab_memlock_charge(1, &f->pin_user);
		if (!err && swaplab_frames_pin_get()) {
			swaplab_core_pin(f);
			atomic_long_inc(&region->nr_pinned);
		} else if (!err) {
			swaplab_memlock_uncharge(f->pin_user, 1);
			f->pin_user = NULL;
			err = -ENOSPC;
		}
	}
	if (!err)
		f->pins++;
	unlock_page(page);
	put_page(page);
	return err;
}

/* Drop one pin of a resident page; 0 also when it was not pinned. */
static int swaplab_range_unpin(struct swaplab_region *region, pgoff_t index)
{
	struct swaplab_frame *f;
	struct page *page;
	void *entry;

	page = swaplab_fault_lock_resident(region, index, &entry);
	if (IS_ERR_OR_NULL(page))
		return PTR_ERR_OR_ZERO(page);
	f = (struct swaplab_frame *)page_private(page);
	if (f->pins && !--f->pins) {
		swaplab_core_unpin(f);
		atomic_long_dec(&region->nr_pinned);
		swaplab_frames_pin_put();
		swaplab_memlock_uncharge(f->pin_user, 1);
		f->pin_user = NULL;
	}
	unlock_page(page);
	put_page(page);
	return 0;
}

/* Read a swapped-out page in now; leave others alone. */
static int swaplab_range_prefetch(struct swaplab_region *region, pgoff_t index)
{
	void *entry = xa_load(&region->pages, index);
	unsigned int kind;
	struct page *page;

	if (!xa_is_value(entry) ||
	    (!swaplab_slot_on_store(swaplab_shadow_slot(entry)) &&
	     !swaplab_slot_in_pool(swaplab_shadow_slot(entry))))
		return 0;
	page = swaplab_fault_get_page(region, index, &kind, NULL);
	if (IS_ERR(page))
		return PTR_ERR(page);
	unlock_page(page);
	put_page(page);
	return 0;
}

/*
 * Drop a page's frame and slot, or its shadow, or its compressed copy,
 * or the copy the external pager keeps (told with DATA_DISCARD), or the
 * mark of one lost with its pager; it reads as zeroes, with no history,
 * next time. A frame that reclaim holds isolated cannot be freed under
 * it: its page is zeroed and made clean with no slot instead, so that
 * reclaim drops it for free. But reclaim may also hand it back to the
 * policy, having found its page locked (by this discard), and then
 * nothing would drop it: so look again until one or the other happened.
 */
static int swaplab_range_discard(struct swaplab_region *region, pgoff_t index)
{
	struct swaplab_frame *f;
	struct page *page;
	void *entry;

again:
	page = swaplab_fault_lock_resident(region, index, &entry);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!page) {
		if (!xa_is_value(entry))
			return 0;
		/* Swapped in (readahead) meanwhile: discard the frame. */
		if (xa_cmpxchg(&region->pages, index, entry, NULL, 0) != entry)
			goto again;
		swaplab_proc_entry_changed(region, entry, NULL);
		if (swaplab_region_drop_entry(region, entry))
			return 0;
		/*
		 * The pager's page; a lost one is forgotten, and a pager that
		 * went left its buffers to nobody.
		 */
		if (swaplab_pagerdata_drop(region, index,
					   swaplab_shadow_slot(entry)))
			swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_DISCARD,
						region->id, index, 0);
		return 0;
	}

	f = (struct swaplab_frame *)page_private(page);
	unmap_mapping_pages(region->inode->i_mapping, index, 1, false);
	if (f->pins) {
		f->pins = 0;
		swaplab_core_unpin(f);
		atomic_long_dec(&region->nr_pinned);
		swaplab_frames_pin_put();
		swaplab_memlock_uncharge(f->pin_user, 1);
		f->pin_user = NULL;
	}
	if (f->slot != SWAPLAB_NO_SLOT) {
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
	if (test_and_clear_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags))
		swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_DISCARD, region->id,
					index, 0);
	if (!swaplab_core_take(f)) {
		/* Reclaim drops it for free, and leaves no shadow... */
		set_bit(SWAPLAB_FRAME_DISCARDED, &f->flags);
		clear_highpage(page);
		folio_clear_dirty(page_folio(page));
		unlock_page(page);
		put_page(page);
		/* ...or puts it back: isolation lasts one reclaim pass. */
		if (fatal_signal_pending(current))
			return -EINTR;
		usleep_range(1000, 2000);
		goto again;
	}
	xa_erase(&region->pages, index);
	swaplab_proc_entry_changed(region, f, NULL);
	atomic_long_dec(&region->nr_resident);
	unlock_page(page);
	put_page(page);			/* the lookup's reference */
	swaplab_region_frame_free(f);		/* the table's */
	return 0;
}

/*
 * Write a page of a shared region of a file that differs from its file
 * back to it, and leave it resident and clean, with no slot. It differs
 * while it is dirty, or has a slot (it went to the store when its
 * write-back at eviction would have waited: file.c); one that is not in
 * memory is brought in for it, as a fault brings it.
 *
 * It is unmapped first: that brings its PTEs' dirty bits onto it, and its
 * next write faults again (page_mkwrite) and marks it dirty, as the
 * kernel write-protects a page it cleans. A clean page with no slot needs
 * nothing: a write fault, by a read fault's mapping or not, marks a page
 * dirty before the write is done, and no page is made clean while it is
 * still mapped.
 *
 * The write waits for the file's lock, so it is not made with the page
 * locked: a write() of the file whose buffer is this page holds that lock
 * and faults on the page. A copy is written, the frame marked WRITEBACK
 * meanwhile, which keeps reclaim and another sync from writing an older
 * or newer copy of it out of order with this one.
 */
static int swaplab_range_sync_page(struct swaplab_region *region,
				   pgoff_t index, struct page *copy)
{
	struct swaplab_frame *f;
	struct folio *folio;
	unsigned int kind;
	struct page *page;
	void *entry;
	int err;

again:
	page = swaplab_fault_lock_entry(region, index, &entry, false);
	if (!page && swaplab_shadow_has_data(entry))
		page = swaplab_fault_get_page(region, index, &kind, NULL);
	/* Past the end of the file: truncation drops it. */
	if (IS_ERR(page) && PTR_ERR(page) == -ERANGE)
		return 0;
	if (IS_ERR_OR_NULL(page))
		return PTR_ERR_OR_ZERO(page);
	/* A truncation found it locked: emptied, nothing to write. */
	swaplab_filewatch_cut_marked(region, index, page);
	f = (struct swaplab_frame *)page_private(page);
	folio = page_folio(page);
	if (test_bit(SWAPLAB_FRAME_WRITEBACK, &f->flags)) {
		/* Another sync's copy first; the frame stays till it ends. */
		unlock_page(page);
		err = wait_on_bit(&f->flags, SWAPLAB_FRAME_WRITEBACK,
				  TASK_KILLABLE);
		put_page(page);
		if (err)
			return -EINTR;
		goto again;
	}
	if (!folio_test_dirty(folio) && f->slot == SWAPLAB_NO_SLOT) {
		unlock_page(page);
		put_page(page);
		return 0;
	}
	unmap_mapping_pages(region->inode->i_mapping, index, 1, false);
	folio_clear_dirty(folio);
	copy_highpage(copy, page);
	set_bit(SWAPLAB_FRAME_WRITEBACK, &f->flags);
	unlock_page(page);

	err = swaplab_file_write(region, index, copy, true);

	folio_lock(folio);
	/* Past the end of the file: nothing of it is kept. */
	if (err == -ERANGE) {
		err = 0;
	} else if (err) {
		folio_mark_dirty(folio);
	} else if (f->slot != SWAPLAB_NO_SLOT) {
		/* The file has it now, or a newer copy marked it dirty. */
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
	clear_and_wake_up_bit(SWAPLAB_FRAME_WRITEBACK, &f->flags);
	folio_unlock(folio);
	put_page(page);
	return err;
}

/**
 * swaplab_range_sync() - fsync() and msync(MS_SYNC) of a shared region of
 *	a file
 * @region: a shared region of a file
 * @start: first byte of the region to make durable
 * @end: last byte (LLONG_MAX: to the end)
 * @datasync: fdatasync(): only what reading the data back needs is
 *	made durable, as the file's own fdatasync() does
 *
 * Writes back every page of the range that differs from the file: the
 * dirty resident ones, and those that eviction sent to the store (read
 * back in for it); and makes the file's range durable.
 *
 * Context: process context, sleeps (page locks, I/O, the file's locks);
 * holds no lock, as fsync() and msync() call it.
 * Return: 0; the first write's error (the other pages are still written,
 * and a page whose write failed stays dirty); -EINTR on a fatal signal;
 * -ENOMEM; or the file's fsync error.
 */
int swaplab_range_sync(struct swaplab_region *region, loff_t start, loff_t end,
		       int datasync)
{
	pgoff_t last = min_t(u64, (u64)end >> PAGE_SHIFT, region->max_pages);
	unsigned long index;
	struct page *copy;
	void *entry;
	int err = 0, e;

	copy = alloc_page(GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	xa_for_each_range(&region->pages, index, entry, start >> PAGE_SHIFT,
			  last) {
		if (!swaplab_shadow_has_data(entry))
			continue;
		e = swaplab_range_sync_page(region, index, copy);
		if (!err)
			err = e;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	__free_page(copy);
	if (err == -EINTR)
		return err;
	e = swaplab_file_sync(region, start, end, datasync);
	return err ?: e;
}

/**
 * swaplab_range_ioctl() - apply a range ioctl to every page of a range
 * @region: the region
 * @cmd: %SWAPLAB_IOC_PIN, %SWAPLAB_IOC_UNPIN, %SWAPLAB_IOC_PREFETCH or
 *	%SWAPLAB_IOC_DISCARD
 * @range: byte range, page aligned, inside the region
 *
 * Context: process context, sleeps (faults pages in, waits for frames).
 * Return: 0; -EINVAL for a bad range; -EOPNOTSUPP for a discard in a
 * shared region of a file; or the first page's error: -ENOSPC
 * (no frame, or pinning would leave fewer than 16 frames unpinned),
 * -ENOMEM (a pin over RLIMIT_MEMLOCK, or the memory cgroup's limit),
 * -EPERM (a pin with RLIMIT_MEMLOCK 0 and no CAP_IPC_LOCK), -EIO, -EINTR.
 * Pages before the failing one stay done.
 */
int swaplab_range_ioctl(struct swaplab_region *region, unsigned int cmd,
			const struct swaplab_range *range)
{
	pgoff_t first = range->offset >> PAGE_SHIFT, index;
	u64 pages = range->length >> PAGE_SHIFT;
	int err = 0;

	if (!range->length || !IS_ALIGNED(range->offset | range->length,
					  PAGE_SIZE) ||
	    first >= region->max_pages || pages > region->max_pages - first)
		return -EINVAL;
	/* A shared file's page is the file's: dropping it would lose it. */
	if (cmd == SWAPLAB_IOC_DISCARD && swaplab_file_shared(region))
		return -EOPNOTSUPP;
	/* As mlock(): no locked memory at all without the capability. */
	if (cmd == SWAPLAB_IOC_PIN && !can_do_mlock())
		return -EPERM;

	for (index = first; index < first + pages && !err; index++) {
		switch (cmd) {
		case SWAPLAB_IOC_PIN:
			err = swaplab_range_pin(region, index);
			break;
		case SWAPLAB_IOC_UNPIN:
			err = swaplab_range_unpin(region, index);
			break;
		case SWAPLAB_IOC_PREFETCH:
			err = swaplab_range_prefetch(region, index);
			break;
		case SWAPLAB_IOC_DISCARD:
			err = swaplab_range_discard(region, index);
			break;
		default:
			err = -ENOTTY;
		}
		if (fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	return err;
}
