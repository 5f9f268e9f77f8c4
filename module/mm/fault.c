// SPDX-License-Identifier: GPL-2.0
/*
 * The page fault path, in the textbook's order (the ten steps are in
 * Documentation/mm/swaplab/paging.rst, "The page fault, step by step"):
 *
 *  1. check the access: a page past the region's end gets SIGBUS (the
 *     core mm checked the VMA's permissions): swaplab_fault_handler();
 *  2. a resident page needs no frame: lock it, and it is mapped again (a
 *     minor fault): swaplab_fault_lock_resident();
 *  3. otherwise take a free frame, waiting for the page daemon when there
 *     is none (frames.c's swaplab_frames_reserve()), with a page zeroed if
 *     it never had a slot, and insert it in the table locked:
 *     swaplab_frame_new(), swaplab_fault_get_page();
 *  4. decompress the page from the compressed tier (compress.c), or read
 *     it from its slot, with the pages the region's prefetcher
 *     names (prefetch.c: by default the pages after it, in a window that
 *     adapts to how many of them were used), a run of consecutive slots
 *     an I/O: swaplab_region_swap_in(); or, with page buffering
 *     on, copy it with no I/O from the pool of evicted pages whose frames
 *     are still free (pagebuf.c), taken out before the frame is; a page
 *     of a region of a file that has no slot is read from the file
 *     (file.c), one past the file's end gets SIGBUS;
 *  5. hand the page to the policy and return it locked: the core mm maps
 *     it and the faulting instruction restarts: swaplab_fault_get_page(),
 *     swaplab_fault_handler().
 *
 * The page table rules: the fault path looks a frame up under the xarray
 * lock, takes a page reference, then sleeps on the page lock and
 * re-checks the entry: whoever changes an entry holds the page lock, so
 * a locked page found in the table may be mapped. A page that is swapped
 * in is inserted locked before the read, so other faults on it wait for
 * the read instead of issuing their own.
 *
 * The first write to a page a read fault mapped comes back through
 * page_mkwrite (vma.c), which locks the page with
 * swaplab_fault_lock_page().
 *
 * The fault's waits (for a frame, the replacement of its own pages at
 * its process's allocation, the read or decompression of its page, the
 * pager's answer, the lock of a page under I/O) are stalls of the
 * process's group for the pressure file (psi.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "lib/compat.h"
#include "store/compress.h"
#include "policy/core.h"
#include "mm/daemon.h"
#include "mm/fault.h"
#include "mm/file.h"
#include "alloc/frames.h"
#include "mm/harvest.h"
#include "lib/latency.h"
#include "mm/loadctl.h"
#include "store/pagebuf.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "api/policy.h"
#include "api/prefetch.h"
#include "alloc/proc.h"
#include "alloc/psi.h"
#include "mm/reclaim.h"
#include "mm/record.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "lib/trace.h"
#include "uapi/swaplab.h"

/*
 * Map the pages a major fault read ahead in that fault, in mappings made
 * while this is on (VM_MIXEDMAP, vm_insert_pages()); READ_ONCE()/
 * WRITE_ONCE().
 */
static bool swaplab_fault_around_on;

/**
 * swaplab_fault_around() - the fault_around knob
 *
 * Return: true if mappings made from now on map read-ahead pages at once.
 */
bool swaplab_fault_around(void)
{
	return READ_ONCE(swaplab_fault_around_on);
}

/**
 * swaplab_fault_set_around() - set the fault_around knob
 * @on: true for mappings made from now on to get read-ahead pages mapped
 *	in the fault that read them
 */
void swaplab_fault_set_around(bool on)
{
	WRITE_ONCE(swaplab_fault_around_on, on);
}

/*
 * Asynchronous readahead: when the first page of a window read ahead is
 * used, read the next window without waiting for it; READ_ONCE()/
 * WRITE_ONCE().
 */
static bool swaplab_ra_async_on;

/**
 * swaplab_fault_readahead_async() - the readahead_async knob
 *
 * Return: true if a window read ahead starts the read of the next one.
 */
bool swaplab_fault_readahead_async(void)
{
	return READ_ONCE(swaplab_ra_async_on);
}

/**
 * swaplab_fault_set_readahead_async() - set the readahead_async knob
 * @on: true for the use of a window read ahead to start reading the next
 */
void swaplab_fault_set_readahead_async(bool on)
{
	WRITE_ONCE(swaplab_ra_async_on, on);
}

/**
 * swaplab_fault_lock_resident() - look up a resident page and lock it
 * @region: the region
 * @index: the page's index in @region
 * @entryp: set to the table entry found: a frame, a swap slot, or NULL
 *
 * The minor fault: a page found in the table is locked (waiting for a
 * read or an eviction under way), checked to be still the entry, and
 * marked referenced.
 *
 * Context: process context, may sleep (page lock).
 * Return: the page, locked, with a reference for the caller; NULL if the
 * entry is not a frame; ERR_PTR(-EINTR) when a fatal signal ended the wait.
 */
struct page *swaplab_fault_lock_resident(struct swaplab_region *region,
					 pgoff_t index, void **entryp)
{
	return swaplab_fault_lock_entry(region, index, entryp, true);
}

/*
 * Only under the xarray lock is a frame found in the table sure not to be
 * freed: reclaim frees it once it has taken it out. Its page is read
 * there, with a reference, and the frame is not touched again until it
 * is found there again (swaplab_fault_entry_kept()). NULL if the entry
 * (*@entryp) is not a frame.
 */
static struct page *swaplab_fault_entry_page(struct swaplab_region *region,
					     pgoff_t index, void **entryp,
					     struct swaplab_frame **fp)
{
	struct page *page = NULL;
	void *entry;

	xa_lock(&region->pages);
	entry = xa_load(&region->pages, index);
	*fp = entry && !xa_is_value(entry) ? entry : NULL;
	if (*fp) {
		page = (*fp)->page;
		get_page(page);
	}
	xa_unlock(&region->pages);
	*entryp = entry;
	return page;
}

/*
 * With @page locked: is frame @f, whose page it was, still the entry?
 * Under the xarray lock an entry found is not yet freed, so f->page tells
 * a reused descriptor from ours. If it is and @use, it is marked
 * referenced. If not, @page is unlocked and its reference put.
 */
static bool swaplab_fault_entry_kept(struct swaplab_region *region,
				     pgoff_t index, struct swaplab_frame *f,
				     struct page *page, bool use)
{
	bool kept;

	xa_lock(&region->pages);
	kept = xa_load(&region->pages, index) == f && f->page == page;
	if (kept && use) {
		swaplab_frame_referenced(f);
		swaplab_proc_referenced(region->proc, f);
	}
	xa_unlock(&region->pages);
	if (!kept) {
		unlock_page(page);
		put_page(page);
	}
	return kept;
}

/**
 * swaplab_fault_lock_entry() - look up a page's entry, its page locked
 * @region: the region
 * @index: the page's index in @region
 * @entryp: set to the table entry found: a frame, a swap slot, or NULL
 * @use: the lookup is a use of the page (a fault's): it is marked
 *	referenced, and a wait for its lock is a stall of @region's
 *	process; without, the page is found as it is, for a caller that
 *	moves it and does not use it (move.c)
 *
 * Context: process context, may sleep (page lock).
 * Return: as swaplab_fault_lock_resident().
 */
struct page *swaplab_fault_lock_entry(struct swaplab_region *region,
				      pgoff_t index, void **entryp, bool use)
{
	struct swaplab_frame *f;
	struct page *page;

	for (;;) {
		page = swaplab_fault_entry_page(region, index, entryp, &f);
		if (!page)
			return NULL;

		if (!folio_trylock(page_folio(page))) {
			/* Another's swap-in or eviction I/O: a stall. */
			struct swaplab_psi_stall stall = { };
			int err;

			if (use)
				swaplab_psi_stall_begin(&stall,
							&region->proc->psi);
			err = folio_lock_killable(page_folio(page));
			if (use)
				swaplab_psi_stall_end(&stall);
			if (err) {
				put_page(page);
				return ERR_PTR(-EINTR);
			}
		}
		if (likely(swaplab_fault_entry_kept(region, index, f, page,
						    use)))
			return page;
		/* Evicted or replaced while we slept on the lock. */
	}
}

/*
 * Under the xarray lock, the first @nr places of @region from @first as
 * swaplab_fault_entry_page() finds each: its entry in @entries, and a
 * frame's page, with a reference, in @pages (else NULL).
 */
static void swaplab_fault_entry_pages(struct swaplab_region *region,
				      pgoff_t first, unsigned int nr,
				      void **entries, struct page **pages)
{
	XA_STATE(xas, &region->pages, first);
	struct swaplab_frame *f;
	unsigned int i;
	void *entry;

	xa_lock(&region->pages);
	for (i = 0; i < nr; i++) {
		entry = i ? xas_next(&xas) : xas_load(&xas);
		/* A place reserved, and not yet filled, is empty. */
		if (xa_is_zero(entry))
			entry = NULL;
		f = entry && !xa_is_value(entry) ? entry : NULL;
		entries[i] = entry;
		pages[i] = f ? f->page : NULL;
		if (f)
			get_page(f->page);
	}
	xa_unlock(&region->pages);
}

/* The pages of places @from to @nr - 1 let go: @locked of them locked. */
static void swaplab_fault_put_pages(struct page **pages, unsigned int from,
				    unsigned int locked, unsigned int nr)
{
	unsigned int i;

	for (i = from; i < nr; i++) {
		if (!pages[i])
			continue;
		if (i < locked)
			unlock_page(pages[i]);
		put_page(pages[i]);
	}
}

/**
 * swaplab_fault_trylock_run() - swaplab_fault_trylock_entry() for a run of
 *	places
 * @region: the region
 * @first: the index of the run's first page in @region
 * @nr: how many places
 * @entries: set to the table entry found at each place
 * @pages: set to each place's page, locked with a reference for the
 *	caller, or NULL where the entry is not a frame
 *
 * The table is looked at under one hold of its lock to find the run's
 * pages, and under one more, with them locked, to check that each is
 * still its place's entry. The run stops at a page another holds locked,
 * or one that changed meanwhile.
 *
 * Context: process context.
 * Return: how many places from @first were had, 0 to @nr; the rest are
 * neither locked nor referenced.
 */
unsigned int swaplab_fault_trylock_run(struct swaplab_region *region,
				       pgoff_t first, unsigned int nr,
				       void **entries, struct page **pages)
{
	unsigned int i, locked;

	swaplab_fault_entry_pages(region, first, nr, entries, pages);
	for (locked = 0; locked < nr; locked++)
		if (pages[locked] &&
		    !folio_trylock(page_folio(pages[locked])))
			break;
	xa_lock(&region->pages);
	for (i = 0; i < locked; i++)
		if (pages[i] &&
		    (xa_load(&region->pages, first + i) != entries[i] ||
		     ((struct swaplab_frame *)entries[i])->page != pages[i]))
			break;
	xa_unlock(&region->pages);
	swaplab_fault_put_pages(pages, i, locked, nr);
	return i;
}

/**
 * swaplab_fault_trylock_entry() - swaplab_fault_lock_entry() that does not
 *	wait for the page's lock
 * @region: the region
 * @index: the page's index in @region
 * @entryp: set to the table entry found: a frame, a swap slot, or NULL
 *
 * For a caller that holds another page's lock (move.c's exchange): the
 * page is found as it is, not used.
 *
 * Context: process context.
 * Return: the page, locked, with a reference for the caller; NULL if the
 * entry is not a frame; ERR_PTR(-EAGAIN) if another holds the page's
 * lock, or the entry changed under the attempt.
 */
struct page *swaplab_fault_trylock_entry(struct swaplab_region *region,
					 pgoff_t index, void **entryp)
{
	struct page *page;

	if (!swaplab_fault_trylock_run(region, index, 1, entryp, &page))
		return ERR_PTR(-EAGAIN);
	return page;
}

/*
 * Local replacement: under allocation=local a fault of a process at its
 * allocation first evicts pages of its own, an eighth of its allocation
 * at a time (at least one page, at most a reclaim batch), so that its
 * frame comes from itself and never from another process. A process
 * whose own pages cannot be evicted (all pinned, mlocked or held, or the
 * store full) goes over its allocation rather than fail where global
 * replacement would not: alloc_overruns counts it. Never with a page
 * locked. Return: 0, or -EINTR on a fatal signal.
 */
static int swaplab_fault_own_room(struct swaplab_proc *p)
{
	struct swaplab_psi_stall stall = { };
	unsigned int tries = 0, nr;
	int err = 0;
	bool busy;

	if (!swaplab_proc_over(p))
		return 0;
	swaplab_psi_stall_begin(&stall, &p->psi);
	while (swaplab_proc_over(p)) {
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		nr = clamp_t(unsigned long, READ_ONCE(p->alloc) / 8, 1,
			     SWAPLAB_RECLAIM_BATCH);
		swaplab_count_event(SWAPLAB_LOCAL_RECLAIMS);
		if (swaplab_reclaim_from(p, nr, &busy)) {
			tries = 0;
			continue;
		}
		if (++tries >= SWAPLAB_MAX_RECLAIM_RETRIES) {
			swaplab_count_event(SWAPLAB_ALLOC_OVERRUNS);
			break;
		}
		/* Its pages busy or under I/O: give them a moment. */
		if (busy)
			schedule_timeout_killable(1);
	}
	swaplab_psi_stall_end(&stall);
	return err;
}

/* The same, first taking a frame of the budget (waiting if need be). */
static struct swaplab_frame *swaplab_frame_new(struct swaplab_region *region,
					       pgoff_t index, bool zero)
{
	struct swaplab_frame *f;
	int err;

	err = swaplab_fault_own_room(region->proc);
	if (err)
		return ERR_PTR(err);
	err = swaplab_frames_reserve(&region->proc->psi);
	if (err)
		return ERR_PTR(err);
	f = swaplab_region_frame_alloc(region, index, zero ? __GFP_ZERO : 0);
	if (!f) {
		swaplab_frames_put();
		return ERR_PTR(-ENOMEM);
	}
	/* A fault that brings a page in: a reference, and one for PFF. */
	swaplab_proc_referenced(region->proc, f);
	atomic_long_inc(&region->proc->ws_faults);
	return f;
}

static void swaplab_frame_discard_new(struct swaplab_frame *f)
{
	__folio_clear_locked(page_folio(f->page));
	swaplab_region_frame_free(f);
}

/*
 * A read into a new, locked frame failed: put the page's entry back to
 * @entry, which names the slot where its copy still is, and free the
 * frame. Waiters on the page lock find the slot again and retry.
 */
static void swaplab_frame_unread(struct swaplab_region *region,
				 struct swaplab_frame *f, void *entry)
{
	/* A truncation marked it meanwhile (filewatch.c): no entry left. */
	bool cut = swaplab_region_leave_entry(f, entry);

	unlock_page(f->page);
	swaplab_region_frame_free(f);
	if (cut && entry)
		swaplab_region_drop_entry(region, entry);
}

/*
 * How many pages a major fault may read ahead: none when the prefetcher
 * reads nothing, else as many as there are free frames, up to one I/O
 * with the faulting page.
 */
static unsigned int swaplab_readahead_max(void)
{
	return swaplab_prefetch_off() ? 0 :
	       min_t(unsigned long, swaplab_frames_free(), SWAPLAB_IO_MAX - 1);
}

/*
 * A free frame for page @index of @region if the page is out where the
 * caller reads from: in the compressed pool if @pool, else in the store.
 * Its page is locked, and its table entry left in *@entry. NULL when the
 * page is elsewhere or its entry changed meanwhile (the page is passed
 * over); ERR_PTR(-ENOMEM) when no free frame can be had (read-ahead
 * stops). Read-ahead never waits or reclaims, and is not worth a cgroup
 * OOM kill.
 */
static struct swaplab_frame *swaplab_readahead_frame(struct swaplab_region *region,
						     pgoff_t index, bool pool,
						     void **entry)
{
	struct swaplab_frame *f;
	unsigned long slot;

	*entry = xa_load(&region->pages, index);
	if (!xa_is_value(*entry))
		return NULL;
	slot = swaplab_shadow_slot(*entry);
	/* One that page buffering keeps costs no I/O at its own fault. */
	if (pool ? !swaplab_slot_in_pool(slot) :
	    slot == SWAPLAB_NO_SLOT || !swaplab_slot_on_store(slot) ||
	    swaplab_pagebuf_holds(slot))
		return NULL;
	/* Readahead never takes a process past its allocation. */
	if (swaplab_proc_over(region->proc) || !swaplab_frames_get())
		return ERR_PTR(-ENOMEM);
	f = swaplab_region_frame_alloc(region, index, __GFP_NORETRY | __GFP_NOWARN);
	if (!f) {
		swaplab_frames_put();
		return ERR_PTR(-ENOMEM);
	}
	if (swaplab_region_cmpxchg(region, index, *entry, f, GFP_KERNEL) !=
	    *entry) {
		swaplab_frame_discard_new(f);
		return NULL;
	}
	swaplab_proc_entry_changed(region, *entry, f);
	atomic_long_inc(&region->nr_resident);
	return f;
}

/*
 * Prepaging, first half: after a major fault at @index, take frames for
 * the pages the prefetcher named in @want (@nr of them) that are out in
 * the store, and insert them locked, so that the fault reads them with
 * its own page. Pages named that are resident, never written out, or
 * kept by the external pager are passed over. Only free frames are used:
 * readahead never waits or reclaims; if it leaves fewer than the low
 * watermark, the caller wakes the daemon, as any other allocation does.
 *
 * Return: the number of pages, their pages in @pages (each page's frame
 * is its page_private(), with its slot in its @slot).
 */
static unsigned int swaplab_readahead_prepare(struct swaplab_region *region,
					      const unsigned long *want,
					      unsigned int nr,
					      struct page **pages)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++) {
		struct swaplab_frame *f;
		void *entry;

		f = swaplab_readahead_frame(region, want[i], false, &entry);
		if (IS_ERR(f))
			break;
		if (!f)
			continue;
		f->slot = swaplab_shadow_slot(entry);
		pages[n++] = f->page;
	}
	return n;
}

/*
 * Prepaging, second half: admit the @n pages read ahead, unreferenced, so
 * that a policy that sees no use of them evicts them first, and unlock
 * them but those handed to @ahead, which stay locked with a reference for
 * the caller; a page whose read failed (@bad) has its slot put back.
 */
static void swaplab_readahead_finish(struct swaplab_region *region,
				     struct page **pages, unsigned int n,
				     const unsigned long *bad,
				     struct swaplab_ahead *ahead)
{
	unsigned int i, read = 0;

	for (i = 0; i < n; i++) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(pages[i]);

		/* The page's history, if any, is lost with a failed read. */
		if (test_bit(i, bad)) {
			swaplab_frame_unread(region, f,
					     swaplab_shadow_entry(f->slot, 0, 0, false));
			continue;
		}
		atomic_long_dec(&region->nr_swapped);
		clear_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
		set_bit(SWAPLAB_FRAME_READAHEAD, &f->flags);
		swaplab_core_admit(f, SWAPLAB_ADMIT_READAHEAD, NULL);
		read++;
		/* Handed to the caller to map: all but the last. */
		if (ahead && ahead->nr && f->index < ahead->mark)
			get_page(f->page);
		else
			unlock_page(f->page);
	}
	swaplab_count_events(SWAPLAB_SWAP_INS, read);
	swaplab_count_events(SWAPLAB_READAHEAD_PAGES, read);
	swaplab_prefetch_issued(region, read);
}

/*
 * Prepaging from the compressed tier: of the pages the prefetcher named
 * in @want (@nr of them), decompress those kept in the pool into free
 * frames, as the faulting page's own load does (the pool entry freed,
 * the page dirty: its only copy), and admit them unreferenced. No I/O,
 * so no order to keep; free frames only, as swaplab_readahead_prepare().
 */
static void swaplab_readahead_pool(struct swaplab_region *region,
				   const unsigned long *want, unsigned int nr)
{
	unsigned int i, read = 0;

	for (i = 0; i < nr; i++) {
		struct swaplab_frame *f;
		void *entry;

		f = swaplab_readahead_frame(region, want[i], true, &entry);
		if (IS_ERR(f))
			break;
		if (!f)
			continue;
		if (swaplab_compress_load(swaplab_shadow_slot(entry), f->page,
					  false)) {
			swaplab_frame_unread(region, f, entry);
			continue;
		}
		folio_mark_dirty(page_folio(f->page));
		clear_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
		set_bit(SWAPLAB_FRAME_READAHEAD, &f->flags);
		swaplab_core_admit(f, SWAPLAB_ADMIT_READAHEAD, NULL);
		unlock_page(f->page);
		read++;
	}
	if (!read)
		return;
	swaplab_daemon_wake();
	swaplab_count_events(SWAPLAB_READAHEAD_PAGES, read);
	swaplab_prefetch_issued(region, read);
}

/*
 * A fault served from the compressed tier is a major fault too: the
 * prefetcher sees it, and the pages it names that are in the pool come
 * in with it. Those in the store do not: a fault the pool serves does no
 * I/O, and reading them would make it wait for the disk.
 */
static void swaplab_region_pool_ahead(struct swaplab_region *region,
				      pgoff_t index)
{
	unsigned int max = swaplab_readahead_max();
	unsigned long *want = NULL, none;
	unsigned int nr;

	if (max)
		want = kmalloc_array(max, sizeof(*want),
				     GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (!want)
		max = 0;
	nr = swaplab_prefetch_ask(region, index, want ? want : &none, max);
	if (nr)
		swaplab_readahead_pool(region, want, nr);
	kfree(want);
}

/* The slot a page read ahead is read from: its frame's. */
static unsigned long swaplab_ahead_slot(struct page *page)
{
	return ((struct swaplab_frame *)page_private(page))->slot;
}

/* Order pages read ahead by slot (a few hundred at most, mostly in order). */
static void swaplab_readahead_sort(struct page **pages, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct page *p = pages[i];
		unsigned long s = swaplab_ahead_slot(p);

		for (j = i; j > 0 && swaplab_ahead_slot(pages[j - 1]) > s; j--)
			pages[j] = pages[j - 1];
		pages[j] = p;
	}
}

/* Are the @n pages read ahead, at least 2, the @n that follow @index? */
static bool swaplab_readahead_forward(pgoff_t index, struct page **pages,
				      unsigned int n)
{
	unsigned int i;

	if (n < 2)
		return false;
	for (i = 0; i < n; i++) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(pages[i]);

		if (f->index <= index || f->index > index + n)
			return false;
	}
	return true;
}

/*
 * With fault-around, the pages read ahead can be mapped in the fault when
 * they are the @n pages that follow @index, as the adaptive and window
 * prefetchers name them: hand all but the last to @ahead, in index order
 * in @keep; the last is left for its own fault to report the others' use
 * (see struct swaplab_ahead).
 */
static void swaplab_readahead_keep(pgoff_t index, struct page **pages,
				   unsigned int n, struct page **keep,
				   struct swaplab_ahead *ahead)
{
	unsigned int i;

	if (!swaplab_readahead_forward(index, pages, n))
		return;
	for (i = 0; i < n; i++) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(pages[i]);

		if (f->index < index + n)
			keep[f->index - index - 1] = pages[i];
	}
	ahead->pages = keep;
	ahead->nr = n - 1;
	ahead->mark = index + n;
}

/*
 * After a major fault at @index read @n pages ahead of it, with
 * asynchronous readahead on: mark the page that will be used first (the
 * lowest read, or with fault-around the one left unmapped, @ahead's mark),
 * whose use starts the read of as many pages after the last one read.
 * Pages of the window that were resident or kept by page buffering were
 * not read, so the pages read need not be consecutive; all must lie
 * ahead of @index. The pages are still locked.
 */
static void swaplab_readahead_mark(struct swaplab_region *region,
				   pgoff_t index, struct page **pages,
				   unsigned int n, struct swaplab_ahead *ahead)
{
	struct swaplab_frame *marked = NULL;
	pgoff_t last = index;
	unsigned int i;

	if (!swaplab_fault_readahead_async() || n < 2)
		return;
	for (i = 0; i < n; i++) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(pages[i]);

		if (f->index <= index)
			return;
		if (ahead && ahead->nr ? f->index == ahead->mark :
		    !marked || f->index < marked->index)
			marked = f;
		last = max(last, f->index);
	}
	if (!marked)
		return;
	set_bit(SWAPLAB_FRAME_RA_ASYNC, &marked->flags);
	WRITE_ONCE(region->ra_async_next, last + 1);
	WRITE_ONCE(region->ra_async_nr, n);
}

/* An asynchronous read of a run of pages read ahead, in flight. */
struct swaplab_ra_async {
	struct swaplab_region *region;	/* a reference */
	unsigned long slot;
	unsigned int n;
	struct page *pages[];
};

/*
 * The end of an asynchronous readahead read, in a work item: admit the
 * pages and unlock them, as the second half of a synchronous one does;
 * if the read failed, every page of it goes back to its slot, to be read
 * by its own fault.
 */
static void swaplab_readahead_async_done(void *ctx, int err)
{
	struct swaplab_ra_async *ra = ctx;
	DECLARE_BITMAP(bad, SWAPLAB_IO_MAX) = { 0 };

	trace_swaplab_swap_in(ra->slot, ra->n, err);
	if (err) {
		bitmap_set(bad, 0, ra->n);
		swaplab_count_event(SWAPLAB_IO_ERRORS);
		pr_err_ratelimited("asynchronous readahead of %u pages at slot %lu failed: %d\n",
				   ra->n, ra->slot, err);
	}
	swaplab_readahead_finish(ra->region, ra->pages, ra->n, bad, NULL);
	swaplab_region_put_async(ra->region);
	kfree(ra);
}

/* Start reading @n pages read ahead from the run of slots at @slot. */
static void swaplab_readahead_submit(struct swaplab_region *region,
				     struct page **pages, unsigned int n,
				     unsigned long slot)
{
	DECLARE_BITMAP(bad, SWAPLAB_IO_MAX);
	struct swaplab_ra_async *ra;

	ra = kmalloc(struct_size(ra, pages, n),
		     GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (ra) {
		ra->region = region;
		ra->slot = slot;
		ra->n = n;
		memcpy(ra->pages, pages, n * sizeof(*pages));
		swaplab_region_get(region);
		if (!swaplab_swap_read_async(ra->pages, n, slot,
					     swaplab_readahead_async_done, ra)) {
			swaplab_count_events(SWAPLAB_READAHEAD_ASYNC, n);
			return;
		}
		swaplab_region_put_async(region);
		kfree(ra);
	}
	/* Not under way: the pages go back to their slots, unread. */
	bitmap_fill(bad, n);
	swaplab_readahead_finish(region, pages, n, bad, NULL);
}

/*
 * Asynchronous readahead, at the first use of the page marked by
 * swaplab_readahead_mark() (or by this, for the window after): take free
 * frames for the next window's pages that are out in the store, insert
 * them locked, mark the first, and start reading them, a run of
 * consecutive slots an I/O; the faulting task does not wait. A fault on
 * one of them waits for its page lock, which the read's completion drops.
 * Free frames only, as all readahead.
 */
static void swaplab_readahead_async(struct swaplab_region *region)
{
	unsigned long start = READ_ONCE(region->ra_async_next);
	unsigned int nr = READ_ONCE(region->ra_async_nr);
	struct swaplab_frame *first = NULL;
	unsigned int i, n, k, len;
	struct page **pages;
	unsigned long *want;

	if (start >= region->max_pages)
		return;
	nr = min(nr, swaplab_readahead_max());
	nr = min_t(unsigned long, nr, region->max_pages - start);
	if (!nr)
		return;
	pages = kmalloc_array(nr, sizeof(*pages) + sizeof(*want),
			      GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (!pages)
		return;
	want = (unsigned long *)(pages + nr);
	for (i = 0; i < nr; i++)
		want[i] = start + i;
	n = swaplab_readahead_prepare(region, want, nr, pages);
	WRITE_ONCE(region->ra_async_next, start + nr);
	if (!n)
		goto out;
	swaplab_daemon_wake();
	/* Its first page used starts the window after. */
	for (i = 0; i < n; i++) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(pages[i]);

		if (!first || f->index < first->index)
			first = f;
	}
	set_bit(SWAPLAB_FRAME_RA_ASYNC, &first->flags);
	swaplab_readahead_sort(pages, n);
	for (k = 0; k < n; k += len) {
		unsigned long slot = swaplab_ahead_slot(pages[k]);

		for (len = 1; k + len < n; len++)
			if (swaplab_ahead_slot(pages[k + len]) != slot + len)
				break;
		swaplab_readahead_submit(region, pages + k, len, slot);
	}
out:
	kfree(pages);
}

/* The slot of the @k-th page of a read: the faulting one's is @slot. */
static unsigned long swaplab_read_slot(struct page **pages, unsigned int k,
				       unsigned int own, unsigned long slot)
{
	return k == own ? slot : swaplab_ahead_slot(pages[k]);
}

/*
 * Read a faulting page from @slot, and the pages its region's prefetcher
 * names (prefetch.c), into free frames: sorted by slot, each run of
 * consecutive slots in one I/O of up to %SWAPLAB_IO_MAX pages. A failed
 * read is retried for the faulting page alone, so that a bad slot ahead
 * does not fail it. With @ahead, when all went well and the pages read
 * ahead are those that follow @index, all but the last are handed back in
 * it, locked, for the caller to map.
 */
static int swaplab_region_swap_in(struct swaplab_region *region,
				  pgoff_t index, struct page *page,
				  unsigned long slot, struct swaplab_ahead *ahead)
{
	unsigned int max = swaplab_readahead_max();
	DECLARE_BITMAP(failed, SWAPLAB_IO_MAX) = { 0 };
	DECLARE_BITMAP(bad, SWAPLAB_IO_MAX) = { 0 };
	struct page **keep = NULL, **pages;
	unsigned long *want = NULL, none;
	unsigned int nr, n = 0, own, k, len;
	int err, first_err = 0, own_err = 0;

	/*
	 * One buffer: the pages kept (its start), the pages, the names; not
	 * worth reclaim (read-ahead never reclaims): without it the fault
	 * reads its own page alone.
	 */
	if (max)
		keep = kmalloc_array(3 * (max + 1), sizeof(void *),
				     GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (keep) {
		pages = keep + max + 1;
		want = (unsigned long *)(pages + max + 1);
	} else {
		max = 0;
	}
	/* Asked with no frame free too: it sees every major fault. */
	nr = swaplab_prefetch_ask(region, index, want ? want : &none, max);
	if (nr) {
		swaplab_readahead_pool(region, want, nr);
		n = swaplab_readahead_prepare(region, want, nr, pages);
	}
	if (!n) {
		kfree(keep);
		err = swaplab_swap_io(&page, 1, slot, false);
		trace_swaplab_swap_in(slot, 1, err);
		return err;
	}
	/* Readahead may have taken free frames below the low watermark. */
	swaplab_daemon_wake();

	/* In slot order, the faulting page in its place, run by run. */
	swaplab_readahead_sort(pages, n);
	for (own = 0; own < n; own++)
		if (swaplab_ahead_slot(pages[own]) > slot)
			break;
	memmove(pages + own + 1, pages + own, (n - own) * sizeof(*pages));
	pages[own] = page;
	for (k = 0; k <= n; k += len) {
		unsigned long first = swaplab_read_slot(pages, k, own, slot);

		for (len = 1; k + len <= n; len++)
			if (swaplab_read_slot(pages, k + len, own, slot) !=
			    first + len)
				break;
		err = swaplab_swap_io(pages + k, len, first, false);
		trace_swaplab_swap_in(first, len, err);
		if (err)
			bitmap_set(failed, k, len);
		if (err && !first_err)
			first_err = err;
		if (err && k <= own && own < k + len)
			own_err = err;
	}
	/* Back to the pages read ahead alone, with their failures. */
	memmove(pages + own, pages + own + 1, (n - own) * sizeof(*pages));
	for (k = 0; k < n; k++)
		if (test_bit(k < own ? k : k + 1, failed))
			set_bit(k, bad);

	if (ahead && bitmap_empty(failed, n + 1))
		swaplab_readahead_keep(index, pages, n, keep, ahead);
	if (bitmap_empty(failed, n + 1))
		swaplab_readahead_mark(region, index, pages, n, ahead);
	swaplab_readahead_finish(region, pages, n, bad, ahead);
	if (!ahead || !ahead->nr)
		kfree(keep);
	if (!bitmap_empty(failed, n + 1)) {
		swaplab_count_event(SWAPLAB_IO_ERRORS);
		pr_err_ratelimited("swap-in of %u pages around slot %lu failed: %d\n",
				   n + 1, slot, first_err);
	}
	if (own_err) {
		own_err = swaplab_swap_io(&page, 1, slot, false);
		trace_swaplab_swap_in(slot, 1, own_err);
	}
	return own_err;
}

/*
 * A page the external pager keeps (pagerdata.c): ask the pager for it, or
 * copy it back from the buffer where it waits to go to the pager. @gen is
 * set to the pager asked, for the entry to put back on an error.
 */
static int swaplab_region_pager_in(struct swaplab_region *region,
				   struct swaplab_frame *f, unsigned long slot,
				   u64 *gen)
{
	struct swaplab_pagerdata_req *req;
	u32 seq;

	*gen = 0;
	if (slot != SWAPLAB_SLOT_PAGER)
		return swaplab_pagerdata_copy_back(f, slot);
	req = swaplab_pagerdata_request(f, &seq, gen);
	if (IS_ERR(req))
		return PTR_ERR(req);
	if (!swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_REQUEST, region->id,
				     f->index, seq)) {
		/* Its ring is full to the last place: it is not reading. */
		swaplab_pagerdata_cancel(req, seq);
		swaplab_count_event(SWAPLAB_PAGER_DATA_TIMEOUTS);
		return -ETIMEDOUT;
	}
	return swaplab_pagerdata_wait(f, req, seq);
}

/*
 * A page-in from the pager failed: put the entry back, or, if the pager
 * that held the page went meanwhile, one that says it is lost; with the
 * pager's rwsem held, so that a detach cannot pass between the two.
 */
static void swaplab_region_pager_unread(struct swaplab_region *region,
					struct swaplab_frame *f, void *entry,
					u64 gen)
{
	bool held = swaplab_pagerdata_begin(region);

	/* Waiters retry, and find the same answer. */
	swaplab_frame_unread(region, f,
			     swaplab_pagerdata_restore(region, entry, gen));
	if (held)
		swaplab_pagerdata_end();
}

/**
 * swaplab_fault_get_page() - find, swap in or create the page at an index
 * @region: the region
 * @index: page index inside the region, below @region->max_pages
 * @kind: set to %SWAPLAB_FAULT_MINOR, %SWAPLAB_FAULT_ZERO or
 *	%SWAPLAB_FAULT_MAJOR (read from the backing store)
 * @ahead: NULL; or, for a caller that maps the pages read ahead, zeroed,
 *	and filled in when a read from the store read ahead (all but the
 *	last page read ahead are kept: see struct swaplab_ahead)
 *
 * Demand paging: a resident page is returned as it is; otherwise a frame
 * is taken from the budget (waiting for the page daemon, or reclaiming
 * directly, when none is free), and the page is read from its swap slot,
 * decompressed from the compressed tier, asked of the external pager if
 * it keeps it, or, if it never had one, read from the region's file
 * (file.c) or zero-filled.
 *
 * Context: process context, may sleep (page lock, reclaim, I/O, the
 * pager's answer).
 * Return: the page, locked, with a reference for the caller; or
 * ERR_PTR(-ENOSPC) when no frame can be had, ERR_PTR(-ENOMEM),
 * ERR_PTR(-EIO) when the read failed, ERR_PTR(-ERANGE) for a page past
 * the end of its region's file, ERR_PTR(-EINTR) when a fatal signal
 * interrupted the wait; for a page the pager keeps, ERR_PTR(-ENODATA)
 * when it was lost with its pager, ERR_PTR(-ETIMEDOUT) when the pager did
 * not answer in time, ERR_PTR(-EDEADLK) in the pager's own process.
 */
struct page *swaplab_fault_get_page(struct swaplab_region *region,
				    pgoff_t index, unsigned int *kind,
				    struct swaplab_ahead *ahead)
{
	enum swaplab_admit_reason why = SWAPLAB_ADMIT_NEW;
	struct page *page, *buffered = NULL;
	struct swaplab_psi_stall stall = { };
	struct swaplab_refault refault;
	struct swaplab_frame *f;
	unsigned long slot;
	void *entry, *old;
	int err;

	*kind = SWAPLAB_FAULT_MINOR;
	/* Past the end of its file, resident or not, as the kernel's. */
	if (region->file && swaplab_file_past_eof(region, index))
		return ERR_PTR(-ERANGE);
	swaplab_psi_touch(&region->proc->psi);
again:
	for (;;) {
		page = swaplab_fault_lock_resident(region, index, &entry);
		if (page)
			return page;

		slot = entry ? swaplab_shadow_slot(entry) : SWAPLAB_NO_SLOT;
		if (slot == SWAPLAB_SLOT_LOST) {
			swaplab_count_event(SWAPLAB_PAGER_LOST);
			return ERR_PTR(-ENODATA);
		}
		/* Still in page buffering's pool: out before the frame. */
		if (slot != SWAPLAB_NO_SLOT && swaplab_slot_on_store(slot))
			buffered = swaplab_pagebuf_take(slot);
		/* A page with no slot is zeroes, or its file's bytes. */
		f = swaplab_frame_new(region, index,
				      slot == SWAPLAB_NO_SLOT && !region->file);
		if (IS_ERR(f)) {
			if (buffered)
				put_page(buffered);
			return ERR_CAST(f);
		}

		old = swaplab_region_cmpxchg(region, index, entry, f,
					     GFP_KERNEL);
		if (unlikely(old != entry)) {
			swaplab_frame_discard_new(f);
			/* Only a copy of the slot: the store has it. */
			if (buffered)
				put_page(buffered);
			buffered = NULL;
			if (xa_is_err(old))
				return ERR_PTR(xa_err(old));
			continue;	/* somebody else got there first */
		}
		swaplab_proc_entry_changed(region, entry, f);
		atomic_long_inc(&region->nr_resident);
		break;
	}

	/* A page evicted before: its shadow says when, and what it was. */
	if (entry) {
		unsigned long switched, now;

		now = swaplab_core_eviction_clock(&switched);
		if (swaplab_shadow_refault(entry, now, switched, &refault))
			why = SWAPLAB_ADMIT_REFAULT;
	}

	page = f->page;
	if (swaplab_slot_in_pool(slot)) {
		swaplab_psi_stall_begin(&stall, &region->proc->psi);
		err = swaplab_compress_load(slot, page, true);
		swaplab_psi_stall_end(&stall);
		if (err) {
			/* Waiters retry, and find the entry again. */
			swaplab_frame_unread(region, f, entry);
			return ERR_PTR(err == -EINTR ? err : -EIO);
		}
		/* Its only copy is this page now. */
		folio_mark_dirty(page_folio(page));
		swaplab_region_pool_ahead(region, index);
		swaplab_count_event(SWAPLAB_MAJOR_FAULTS);
		*kind = SWAPLAB_FAULT_MAJOR;
	} else if (slot != SWAPLAB_NO_SLOT && !swaplab_slot_on_store(slot)) {
		u64 gen;

		swaplab_psi_stall_begin(&stall, &region->proc->psi);
		err = swaplab_region_pager_in(region, f, slot, &gen);
		swaplab_psi_stall_end(&stall);
		if (err) {
			swaplab_region_pager_unread(region, f, entry, gen);
			/*
			 * The pager takes the page back (coherence.c), and
			 * waited for this frame: ask again once it is done.
			 */
			if (err == -EAGAIN) {
				if (fatal_signal_pending(current))
					return ERR_PTR(-EINTR);
				cond_resched();
				why = SWAPLAB_ADMIT_NEW;
				goto again;
			}
			return ERR_PTR(err);
		}
		swaplab_count_event(SWAPLAB_MAJOR_FAULTS);
		*kind = SWAPLAB_FAULT_MAJOR;
	} else if (buffered) {
		/* Page buffering: the pool kept it, no I/O. */
		copy_highpage(page, buffered);
		put_page(buffered);
		f->slot = slot;
		atomic_long_dec(&region->nr_swapped);
		swaplab_count_event(SWAPLAB_PAGEBUF_HITS);
	} else if (slot != SWAPLAB_NO_SLOT) {
		swaplab_psi_stall_begin(&stall, &region->proc->psi);
		err = swaplab_region_swap_in(region, index, page, slot, ahead);
		swaplab_psi_stall_end(&stall);
		if (err) {
			/* Waiters retry and fail alike. */
			swaplab_frame_unread(region, f, entry);
			swaplab_count_event(SWAPLAB_IO_ERRORS);
			pr_err_ratelimited("swap-in of slot %lu failed: %d\n",
					   slot, err);
			return ERR_PTR(-EIO);
		}
		/* The slot keeps a valid copy until the page is dirtied. */
		f->slot = slot;
		atomic_long_dec(&region->nr_swapped);
		swaplab_count_event(SWAPLAB_SWAP_INS);
		swaplab_count_event(SWAPLAB_MAJOR_FAULTS);
		*kind = SWAPLAB_FAULT_MAJOR;
	} else if (region->file) {
		swaplab_psi_stall_begin(&stall, &region->proc->psi);
		err = swaplab_file_read(region, index, page);
		swaplab_psi_stall_end(&stall);
		if (err) {
			/* Waiters retry, and find the file as it is then. */
			swaplab_frame_unread(region, f, entry);
			return ERR_PTR(err == -ERANGE ? err : -EIO);
		}
		if (entry)
			swaplab_shadow_drop(entry);
		/* A private page is a file's until written and evicted. */
		set_bit(SWAPLAB_FRAME_FILE, &f->flags);
		swaplab_count_event(SWAPLAB_MAJOR_FAULTS);
		*kind = SWAPLAB_FAULT_MAJOR;
	} else {
		if (entry)
			swaplab_shadow_drop(entry);
		swaplab_count_event(SWAPLAB_ZERO_FILLS);
		*kind = SWAPLAB_FAULT_ZERO;
	}

	swaplab_core_admit(f, why, &refault);
	get_page(page);
	return page;
}

/* The kind of page of frame @f, as the tracepoint gives it. */
static unsigned int swaplab_fault_page_type(const struct swaplab_frame *f)
{
	return (swaplab_frame_is_file(f) ? SWAPLAB_PAGE_FILE : 0) |
	       (swaplab_frame_is_exec(f) ? SWAPLAB_PAGE_EXEC : 0);
}

/*
 * A fatal signal ended a wait (for the page lock or for a free frame).
 * Never answer VM_FAULT_NOPAGE: a fault taken in kernel mode, such as
 * copy_to_user() in read(2) into the region, would be retried at once,
 * wait again, be interrupted again, and never return to let the task
 * die. As __folio_lock_or_retry() does, drop the fault lock and answer
 * VM_FAULT_RETRY, which the arch fault handler turns into the signal's
 * delivery (or an -EFAULT fixup in kernel mode); with RETRY_NOWAIT keep
 * the lock; where retry is not allowed at all, fail with SIGBUS.
 */
static vm_fault_t swaplab_fault_killed(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY))
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		swaplab_release_fault_lock(vmf);
	return VM_FAULT_RETRY;
}

/*
 * Fault-around for what a major fault read ahead (fault_around=1, a
 * VM_MIXEDMAP mapping): map the pages handed up in @ahead, those that lie
 * in the faulting VMA, with vm_insert_pages(), as the kernel's fault-around
 * maps page-cache pages. They are locked, so reclaim cannot take them
 * while they are mapped, and their PTEs are made old (x86 installs them
 * young), so that the reference bits still tell which were used. The
 * page read ahead after them was left unmapped: its fault, if the reader
 * gets there, counts them all as used for the window. A page mapped here
 * leaves the readahead counters (its use, if any, is not seen): it is
 * counted in readahead_mapped instead.
 */
static void swaplab_fault_map_ahead(struct vm_fault *vmf,
				    struct swaplab_region *region,
				    struct swaplab_ahead *ahead)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = (vmf->address & PAGE_MASK) + PAGE_SIZE;
	unsigned long nr = 0, left;
	unsigned int i;

	if (addr < vma->vm_end)
		nr = min_t(unsigned long, ahead->nr,
			   (vma->vm_end - addr) >> PAGE_SHIFT);
	/* A page a truncation marked is its next fault's to empty. */
	for (i = 0; i < nr; i++)
		if (test_bit(SWAPLAB_FRAME_CUT,
			     &((struct swaplab_frame *)
			       page_private(ahead->pages[i]))->flags))
			nr = i;
	/* On an error, @left still says how many did not go in. */
	left = nr;
	if (nr)
		vm_insert_pages(vma, addr, ahead->pages, &left);
	nr -= left;
	if (nr)
		swaplab_harvest_mkold(vma, addr, nr);
	for (i = 0; i < ahead->nr; i++) {
		struct page *page = ahead->pages[i];

		if (i < nr)
			clear_bit(SWAPLAB_FRAME_READAHEAD,
				  &((struct swaplab_frame *)page_private(page))->flags);
		unlock_page(page);
		put_page(page);
	}
	kfree(ahead->pages);
	if (!nr)
		return;
	swaplab_count_events(SWAPLAB_READAHEAD_MAPPED, nr);
	WRITE_ONCE(region->ra_mapped, nr);
	WRITE_ONCE(region->ra_mark, ahead->mark);
}

/**
 * swaplab_fault_handler() - the page fault handler of a region's mappings
 * @vmf: the fault; the core mm found the VMA and the page offset
 *	(vmf->pgoff, from CR2 on x86)
 *
 * Demand paging, in the textbook order: check that the page lies inside
 * the region; find its frame, or take a free one (waiting for the page
 * daemon if there is none) and fill it from the swap slot or with zeroes;
 * hand it back locked so that the core mm maps it and the faulting
 * instruction restarts.
 *
 * Context: process context, the fault lock (mmap lock or VMA lock) held;
 * may sleep, and drops that lock when it answers %VM_FAULT_RETRY.
 * Return: %VM_FAULT_LOCKED (with %VM_FAULT_MAJOR after a read) and
 * vmf->page set; %VM_FAULT_SIGBUS, %VM_FAULT_OOM or %VM_FAULT_RETRY.
 */
vm_fault_t swaplab_fault_handler(struct vm_fault *vmf)
{
	struct swaplab_region *region = vmf->vma->vm_private_data;
	unsigned int kind = SWAPLAB_FAULT_SIGBUS;
	u64 start = swaplab_latency_start();
	struct swaplab_ahead ahead = { };
	unsigned int cuts = 0;
	struct page *page;
	vm_fault_t held;

	/* Its process deactivated: the fault waits, and is taken again. */
	held = swaplab_loadctl_fault(vmf, region->proc);
	if (held)
		return held;
	swaplab_count_event(SWAPLAB_FAULTS);
	atomic_long_inc(&region->nr_faults);
	atomic_long_inc(&region->proc->nr_faults);

	if (vmf->pgoff >= region->max_pages) {
		swaplab_loadctl_fault_end(region->proc);
		goto sigbus;
	}

	/*
	 * A mapping made with fault_around on maps what is read ahead. The
	 * page got (its reclaim and I/O done), the fault is no longer
	 * under way for load control.
	 */
	if (region->file)
		cuts = swaplab_filewatch_cuts(region);
	page = swaplab_fault_get_page(region, vmf->pgoff, &kind,
				      vmf->vma->vm_flags & VM_MIXEDMAP ?
				      &ahead : NULL);
	swaplab_loadctl_fault_end(region->proc);
	/*
	 * A truncation found it locked (by this fault's read, or by whoever
	 * held it before): emptied first, whatever the end is now.
	 */
	if (!IS_ERR(page) && region->file)
		swaplab_filewatch_cut_marked(region, vmf->pgoff, page);
	/*
	 * Its file shrank past it meanwhile: the truncation may have
	 * unmapped the range already, so it must not be mapped now.
	 */
	if (!IS_ERR(page) && region->file &&
	    swaplab_filewatch_moved(region, vmf->pgoff, cuts)) {
		unlock_page(page);
		put_page(page);
		page = ERR_PTR(-ERANGE);
	}
	if (IS_ERR(page)) {
		switch (PTR_ERR(page)) {
		case -ENOMEM:
			return VM_FAULT_OOM;
		case -EINTR:
			swaplab_count_event(SWAPLAB_FAULTS_KILLED);
			return swaplab_fault_killed(vmf);
		default:
			/* -ENOSPC: no frame can be freed; -EIO: read failed */
			goto sigbus;
		}
	}

	/*
	 * A fault on a resident page is a reference the policy may follow;
	 * the page lock keeps its frame in the table meanwhile. (Not from
	 * the ranges' lookups, which are no references.)
	 */
	if (kind == SWAPLAB_FAULT_MINOR) {
		struct swaplab_frame *f =
			(struct swaplab_frame *)page_private(page);

		/*
		 * The first use of a page read ahead: a hit, for the window;
		 * at the page left unmapped after a fault-around, the pages
		 * mapped before it count as used too.
		 */
		if (test_and_clear_bit(SWAPLAB_FRAME_READAHEAD, &f->flags)) {
			unsigned int used = 1;

			if (vmf->pgoff == READ_ONCE(region->ra_mark))
				used += READ_ONCE(region->ra_mapped);
			swaplab_count_event(SWAPLAB_READAHEAD_HITS);
			swaplab_prefetch_hit(region, vmf->pgoff, used);
			if (test_and_clear_bit(SWAPLAB_FRAME_RA_ASYNC,
					       &f->flags))
				swaplab_readahead_async(region);
		}
		swaplab_core_access(f);
	}
	if (ahead.nr)
		swaplab_fault_map_ahead(vmf, region, &ahead);
	trace_swaplab_fault(region->id, vmf->pgoff, kind,
			    swaplab_fault_page_type((struct swaplab_frame *)
						    page_private(page)),
			    swaplab_record_tag(region));
	swaplab_record_fault(region, vmf->pgoff);
	if (kind == SWAPLAB_FAULT_MAJOR) {
		atomic_long_inc(&region->nr_major);
		atomic_long_inc(&region->proc->nr_major);
	}
	swaplab_latency_record(kind, start);
	vmf->page = page;
	return VM_FAULT_LOCKED |
	       (kind == SWAPLAB_FAULT_MAJOR ? VM_FAULT_MAJOR : 0);

sigbus:
	trace_swaplab_fault(region->id, vmf->pgoff, SWAPLAB_FAULT_SIGBUS,
			    region->file ? SWAPLAB_PAGE_FILE : 0,
			    swaplab_record_tag(region));
	swaplab_count_event(SWAPLAB_SIGBUS);
	return VM_FAULT_SIGBUS;
}

/**
 * swaplab_fault_lock_page() - lock a page a fault found, if still there
 * @region: the region
 * @index: the page's index in @region
 * @page: the page, with a reference the caller holds
 *
 * For a write to a page mapped read-only (page_mkwrite): the core mm
 * dropped the page lock after the fault, and reclaim may have taken the
 * page out of the region since.
 *
 * Context: process context, may sleep (page lock).
 * Return: 0 with @page locked, still @region's page at @index; -EAGAIN,
 * unlocked, when it is not any more (the fault is to be retried);
 * -EINTR when a fatal signal ended the wait for the lock.
 */
int swaplab_fault_lock_page(struct swaplab_region *region, pgoff_t index,
			    struct page *page)
{
	struct swaplab_frame *f;
	bool ours;

	if (folio_lock_killable(page_folio(page)))
		return -EINTR;
	xa_lock(&region->pages);
	f = xa_load(&region->pages, index);
	ours = f && !xa_is_value(f) && f->page == page;
	xa_unlock(&region->pages);
	if (!ours) {
		unlock_page(page);
		return -EAGAIN;
	}
	return 0;
}
