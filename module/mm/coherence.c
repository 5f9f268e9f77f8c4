// SPDX-License-Identifier: GPL-2.0
/*
 * Coherence of the pages a data pager keeps, the half of Mach's external
 * memory interface that distributed shared memory is built on
 * (Documentation/mm/swaplab/coherence.rst): page access the pager grants
 * and takes back. pager/pagerdata.c keeps the requests; this file works on
 * the pages.
 *
 *  - A write to a page the pager supplied or took back read-only
 *    (%SWAPLAB_FRAME_PAGER_RDONLY) comes here from page_mkwrite (vma.c),
 *    its page locked: DATA_UNLOCK goes to the pager, and the write waits
 *    for its UNLOCK as a page-in waits for SUPPLY.
 *  - SWAPLAB_IOC_PAGER_LOCK (Mach's lock_request) takes a range of pages
 *    back, each under its page lock: it unmaps the page from every
 *    process, which moves the PTEs' dirty bits onto it and write-protects
 *    it (the mapping is write-notify: the next write faults into
 *    page_mkwrite), copies its contents out if it was written since the
 *    pager last had them, and then drops its frame (flush) or marks it
 *    read-only (clean, protect). No write can come between the unmap and
 *    the copy: it would need the page lock.
 *
 * A write that waits for its UNLOCK holds its page's lock; the call that
 * takes that page back first sends it back to fault again
 * (swaplab_pagerdata_revoke()), so that neither waits for the other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "alloc/proc.h"
#include "api/policy.h"
#include "lib/stat.h"
#include "lib/trace.h"
#include "mm/coherence.h"
#include "mm/fault.h"
#include "mm/region.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "policy/core.h"
#include "store/shadow.h"
#include "store/swap.h"
#include "uapi/swaplab.h"

/*
 * One SWAPLAB_IOC_PAGER_LOCK at a time: a pager's threads may call it
 * together, and %SWAPLAB_FRAME_PAGER_LOCKING is one bit a frame.
 */
static DEFINE_MUTEX(swaplab_coherence_mutex);

/**
 * swaplab_coherence_write() - a write to a page the data pager made
 *	read-only
 * @region: the page's region
 * @f: its frame, %SWAPLAB_FRAME_PAGER_RDONLY, its page locked
 *
 * Asks the pager for write access (DATA_UNLOCK) and waits for it, at most
 * the pager's data timeout, killably.
 *
 * Context: process context, page_mkwrite; sleeps.
 * Return: 0 if the write may go on, the page writable (granted, or no
 * pager keeps the region's pages any more: counted pager_unlocks);
 * -EAGAIN if the pager is taking the page back (the fault is to be taken
 * again, with the page unlocked); -ETIMEDOUT, -EINTR, -EDEADLK (in the
 * pager's own process), -ENOMEM, -EBUSY (no request number free): the
 * write fails (SIGBUS).
 */
int swaplab_coherence_write(struct swaplab_region *region,
			    struct swaplab_frame *f)
{
	struct swaplab_pagerdata_req *req;
	unsigned int result;
	u32 seq;
	int err;

	req = swaplab_pagerdata_unlock_request(f, &seq);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
	} else if (!swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_UNLOCK,
					    region->id, f->index, seq)) {
		/*
		 * Its ring is full to the last place (it is not reading),
		 * or the pager went, or takes the page back, meanwhile.
		 */
		err = swaplab_pagerdata_cancel(req, seq);
		if (!err) {
			swaplab_count_event(SWAPLAB_PAGER_UNLOCK_TIMEOUTS);
			err = -ETIMEDOUT;
		}
	} else {
		err = swaplab_pagerdata_unlock_wait(f, req, seq);
	}

	switch (err) {
	case 0:
		result = SWAPLAB_UNLOCK_GRANTED;
		swaplab_count_event(SWAPLAB_PAGER_UNLOCKS);
		break;
	case -ENODATA:
		/* No pager keeps the region's pages now: the write goes on. */
		result = SWAPLAB_UNLOCK_GONE;
		swaplab_count_event(SWAPLAB_PAGER_UNLOCKS);
		err = 0;
		break;
	case -EAGAIN:
		result = SWAPLAB_UNLOCK_AGAIN;
		break;
	case -ETIMEDOUT:
		result = SWAPLAB_UNLOCK_TIMEOUT;
		break;
	default:
		result = SWAPLAB_UNLOCK_FAILED;
	}
	trace_swaplab_pager_unlock(region->id, f->index, result);
	return err;
}

/* The entry of a page the pager holds: asked of it at the next fault. */
static void *swaplab_coherence_pager_entry(void)
{
	return swaplab_shadow_entry(SWAPLAB_SLOT_PAGER, 0, 0, false);
}

/*
 * FLUSH of a page with no frame and no copy here, at @entry (none, a
 * shadow, or lost with an earlier pager): the pager holds it from now on.
 * Return: false if the entry changed meanwhile (look again).
 */
static bool swaplab_coherence_flush_absent(struct swaplab_region *region,
					   pgoff_t index, void *entry)
{
	void *pager = swaplab_coherence_pager_entry();

	if (swaplab_region_cmpxchg(region, index, entry, pager, GFP_KERNEL) !=
	    entry)
		return false;
	swaplab_proc_entry_changed(region, entry, pager);
	if (entry)
		swaplab_shadow_drop(entry);
	return true;
}

/*
 * Copy @page's contents to the pager's @ubuf without faulting: the page
 * is locked, and the buffer may be a page of a region itself. -EFAULT if
 * the buffer is not there now (the caller faults it in unlocked and
 * tries the page again).
 */
static int swaplab_coherence_copy_out(void __user *ubuf, struct page *page)
{
	void *kaddr = kmap_local_page(page);
	long left = copy_to_user_nofault(ubuf, kaddr, PAGE_SIZE);

	kunmap_local(kaddr);
	return left ? -EFAULT : 0;
}

/*
 * Drop flushed frame @f, its page locked, unmapped, out of the policy:
 * the pager holds the page from now on.
 */
static void swaplab_coherence_drop(struct swaplab_region *region,
				   struct swaplab_frame *f)
{
	void *pager = swaplab_coherence_pager_entry();

	if (f->slot != SWAPLAB_NO_SLOT) {
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
	xa_store(&region->pages, f->index, pager, GFP_NOWAIT);
	swaplab_proc_entry_changed(region, f, pager);
	atomic_long_dec(&region->nr_resident);
	unlock_page(f->page);
	put_page(f->page);		/* the lookup's reference */
	swaplab_region_frame_free(f);	/* the table's */
}

/*
 * The write-request mark set on @f for page @index of @region goes, if
 * @f is still the page's frame: the table's lock keeps it meanwhile.
 */
static void swaplab_coherence_unmark(struct swaplab_region *region,
				     pgoff_t index, struct swaplab_frame *f)
{
	xa_lock(&region->pages);
	if (xa_load(&region->pages, index) == f)
		clear_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
	xa_unlock(&region->pages);
}

/*
 * The resident page of @region at @index, locked, with a reference, and
 * its frame marked %SWAPLAB_FRAME_PAGER_LOCKING, a write waiting for it
 * revoked; or NULL with the entry in *@entryp. A page out of memory whose
 * only copy is here (the store, the compressed tier, a buffer on its way
 * to the pager) is brought in first, as a fault brings it.
 * ERR_PTR(-EINPROGRESS) for a page a fault waits for from the pager: it
 * is not here yet, and its frame's lock is the fault's until the pager,
 * the caller, answers.
 */
static struct page *swaplab_coherence_get(struct swaplab_region *region,
					  pgoff_t index, void **entryp)
{
	struct swaplab_frame *f;
	unsigned int kind;
	struct page *page;
	void *entry;

	xa_lock(&region->pages);
	entry = xa_load(&region->pages, index);
	if (entry && !xa_is_value(entry)) {
		f = entry;
		/* The table's lock keeps @f meanwhile. */
		if (swaplab_pagerdata_revoke(f)) {
			clear_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
			xa_unlock(&region->pages);
			return ERR_PTR(-EINPROGRESS);
		}
		page = f->page;
		get_page(page);
		xa_unlock(&region->pages);
		if (folio_lock_killable(page_folio(page))) {
			swaplab_coherence_unmark(region, index, f);
			put_page(page);
			return ERR_PTR(-EINTR);
		}
		return page;
	}
	xa_unlock(&region->pages);
	*entryp = entry;
	if (!swaplab_shadow_has_data(entry) ||
	    swaplab_shadow_slot(entry) == SWAPLAB_SLOT_PAGER ||
	    swaplab_shadow_slot(entry) == SWAPLAB_SLOT_LOST)
		return NULL;
	page = swaplab_fault_get_page(region, index, &kind, NULL);
	if (!IS_ERR(page))
		set_bit(SWAPLAB_FRAME_PAGER_LOCKING,
			&((struct swaplab_frame *)page_private(page))->flags);
	return page;
}

/*
 * One page of SWAPLAB_IOC_PAGER_LOCK: @op on @region's page at @index,
 * its contents to @ubuf if they go to the pager. Return: its &enum
 * swaplab_pager_lock_status, or -EBUSY (pinned, for FLUSH), -EINTR,
 * -EFAULT, or what bringing it in failed with. Nothing changes for the
 * page on an error.
 */
static int swaplab_coherence_lock_page(struct swaplab_region *region,
				       pgoff_t index, unsigned int op,
				       void __user *ubuf)
{
	struct swaplab_frame *f;
	struct folio *folio;
	struct page *page;
	bool written;
	void *entry;
	int err;

again:
	if (fatal_signal_pending(current))
		return -EINTR;
	page = swaplab_coherence_get(region, index, &entry);
	/*
	 * The pager's own TAKE moved the page to it meanwhile, and bringing
	 * it in asked the pager, the caller: look again, and find it there.
	 */
	if (IS_ERR(page) && PTR_ERR(page) == -EDEADLK)
		goto again;
	if (IS_ERR(page) && PTR_ERR(page) == -EINPROGRESS)
		return SWAPLAB_PAGER_LOCK_ABSENT;
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!page) {
		if (op == SWAPLAB_PAGER_LOCK_FLUSH &&
		    swaplab_shadow_slot(entry) != SWAPLAB_SLOT_PAGER &&
		    !swaplab_coherence_flush_absent(region, index, entry))
			goto again;
		return SWAPLAB_PAGER_LOCK_ABSENT;
	}
	/*
	 * Evicted or dropped while we waited: its frame is gone, and its
	 * descriptor may be another page's by now (a claimed region's
	 * frames do not move: move.c).
	 */
	xa_lock(&region->pages);
	f = (struct swaplab_frame *)page_private(page);
	if (!f || xa_load(&region->pages, index) != f || f->page != page)
		f = NULL;
	xa_unlock(&region->pages);
	if (!f) {
		unlock_page(page);
		put_page(page);
		goto again;
	}
	folio = page_folio(page);
	err = 0;
	/*
	 * Pinned (SWAPLAB_IOC_PIN), or pinned for direct I/O, which writes
	 * through its pin and not the page tables: a flush would drop what
	 * it writes.
	 */
	if (op == SWAPLAB_PAGER_LOCK_FLUSH &&
	    (f->pins || folio_maybe_dma_pinned(folio))) {
		err = -EBUSY;
		goto out;
	}
	unmap_mapping_pages(region->inode->i_mapping, index, 1, false);
	written = folio_test_dirty(folio) ||
		  !test_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
	if (written && op != SWAPLAB_PAGER_LOCK_PROTECT &&
	    swaplab_coherence_copy_out(ubuf, page)) {
		clear_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
		unlock_page(page);
		put_page(page);
		if (fault_in_writeable(ubuf, PAGE_SIZE))
			return -EFAULT;
		goto again;
	}
	if (op == SWAPLAB_PAGER_LOCK_FLUSH) {
		if (!swaplab_core_take(f)) {
			/* Reclaim holds it for a moment: try again after. */
			clear_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
			unlock_page(page);
			put_page(page);
			usleep_range(1000, 2000);
			goto again;
		}
		trace_swaplab_pager_lock(region->id, index, op, written ?
					 SWAPLAB_PAGER_LOCK_WRITTEN :
					 SWAPLAB_PAGER_LOCK_CLEAN_PAGE);
		swaplab_coherence_drop(region, f);
		goto done;
	}
	if (written && op == SWAPLAB_PAGER_LOCK_CLEAN) {
		/*
		 * The pager's copy is the page's now, and no slot has one:
		 * reclaim drops the page with no write (DATA_KEPT).
		 */
		folio_clear_dirty(folio);
		set_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
		if (f->slot != SWAPLAB_NO_SLOT) {
			swaplab_swap_slot_free(f->slot);
			f->slot = SWAPLAB_NO_SLOT;
		}
	}
	set_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	trace_swaplab_pager_lock(region->id, index, op, written ?
				 SWAPLAB_PAGER_LOCK_WRITTEN :
				 SWAPLAB_PAGER_LOCK_CLEAN_PAGE);
out:
	clear_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
	unlock_page(page);
	put_page(page);
	if (err)
		return err;
done:
	swaplab_count_event(SWAPLAB_PAGER_LOCKED);
	return written ? SWAPLAB_PAGER_LOCK_WRITTEN :
			 SWAPLAB_PAGER_LOCK_CLEAN_PAGE;
}

/**
 * swaplab_coherence_lock() - SWAPLAB_IOC_PAGER_LOCK
 * @region: the region, claimed by the pager whose file the caller holds
 *	(swaplab_pager_claimer())
 * @lk: the argument, copied in; @lk->done is set
 *
 * Page by page from @lk->index; each page's status is copied out as soon
 * as it is done. @lk->done counts the pages done, also one whose status
 * could not be copied out (-EFAULT).
 *
 * Context: process context; sleeps (page locks, I/O to bring pages in).
 * Return: 0; -EINVAL for a bad @lk, -EBUSY at a page pinned or held for
 * I/O (FLUSH), -EINTR, -EFAULT, or what bringing a page in failed with.
 */
long swaplab_coherence_lock(struct swaplab_region *region,
			    struct swaplab_pager_lock *lk)
{
	u8 __user *status = u64_to_user_ptr(lk->status);
	char __user *buf = u64_to_user_ptr(lk->buf);
	int ret;
	u32 i;

	lk->done = 0;
	if (lk->reserved || !lk->nr || lk->nr > SWAPLAB_PAGER_LOCK_MAX ||
	    lk->op < SWAPLAB_PAGER_LOCK_FLUSH ||
	    lk->op > SWAPLAB_PAGER_LOCK_PROTECT ||
	    lk->index >= region->max_pages ||
	    lk->nr > region->max_pages - lk->index)
		return -EINVAL;
	/* Contents go to the pager but with PROTECT, which hands none. */
	if (lk->op == SWAPLAB_PAGER_LOCK_PROTECT ? lk->buf : !lk->buf)
		return -EINVAL;
	if (mutex_lock_killable(&swaplab_coherence_mutex))
		return -EINTR;
	for (i = 0; i < lk->nr; i++) {
		ret = swaplab_coherence_lock_page(region, lk->index + i, lk->op,
						  buf + (size_t)i * PAGE_SIZE);
		if (ret < 0)
			break;
		lk->done++;
		if (put_user((u8)ret, status + i)) {
			ret = -EFAULT;
			break;
		}
		ret = 0;
		cond_resched();
	}
	mutex_unlock(&swaplab_coherence_mutex);
	return ret;
}
