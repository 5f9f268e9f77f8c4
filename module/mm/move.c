// SPDX-License-Identifier: GPL-2.0
/*
 * SWAPLAB_IOC_MOVE: message passing by moving pages, the fast message
 * system that page mapping makes possible. The pages of a range of one
 * region change hands to a range of another region, or of the same one:
 * a resident page with its frame, one swapped out with its slot (page
 * buffering's copy, keyed by the slot, follows it), one in the compressed
 * tier with its entry. No byte is copied. The source then reads as
 * zeroes, with no history, as after SWAPLAB_IOC_DISCARD.
 *
 * chardev.c resolves the destination's descriptor and checks both files'
 * modes; this file does the work, through the fault path's page lock
 * (fault.c), the policy (core.c) and the tables (region.c), a run of up
 * to SWAPLAB_MOVE_RUN pages at a time while nothing holds one up, and a
 * page at a time, waiting for it, where something does.
 *
 * To a policy a move is a removal and an admission (swaplab_core_return()).
 * A page the external pager keeps, or holds a copy of, is the pager's to
 * answer for: the move refuses it, as it refuses a pinned page.
 *
 * Locking: a move holds the move_lock of both its regions (the lower
 * region number first), so that no two moves meet on a page; faults,
 * reclaim, readahead and the pool's write-back meet it on the tables,
 * whose entries change by compare and exchange, and on the page lock.
 * The order is: the regions' move locks, page locks (a run's all taken
 * by trylock), the policy mutex, the tables' xarray locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "policy/core.h"
#include "mm/fault.h"
#include "mm/harvest.h"
#include "mm/move.h"
#include "api/policy.h"
#include "alloc/proc.h"
#include "mm/region.h"
#include "mm/vma.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "lib/trace.h"
#include "uapi/swaplab.h"

/*
 * How long a page another task holds a reference to is looked at again,
 * a millisecond apart, before the move gives up on it (EBUSY). A fault
 * that waits for the page's lock holds one too: it is let through.
 */
#define SWAPLAB_MOVE_BUSY_MS	20

/* The pre-check's pages under one hold of a table's lock. */
#define SWAPLAB_MOVE_CHECK_CHUNK	1024UL

/*
 * The most pages (or pairs) moved at once, and the most kept locked until
 * they are mapped at once.
 */
#define SWAPLAB_MOVE_RUN		64

/* The most mappings of a destination one run is mapped into. */
#define SWAPLAB_MOVE_MAPPERS		8

/*
 * Map at the move: a resident page that arrives in a range is mapped
 * there, in every mapping of the range made while this or fault_around
 * was on (VM_MIXEDMAP), by the move itself; READ_ONCE()/WRITE_ONCE().
 */
static bool swaplab_move_map_on;

/**
 * swaplab_move_map() - the map_at_move knob
 *
 * Return: true if moves map the pages they bring into the destination's
 * VM_MIXEDMAP mappings, and mappings made from now on are VM_MIXEDMAP.
 */
bool swaplab_move_map(void)
{
	return READ_ONCE(swaplab_move_map_on);
}

/**
 * swaplab_move_set_map() - set the map_at_move knob
 * @on: true for moves to map the pages they bring
 */
void swaplab_move_set_map(bool on)
{
	WRITE_ONCE(swaplab_move_map_on, on);
}

/*
 * Unmap @nr pages from @first of @region from every process, with the
 * TLB flush that goes with it; the time it took is counted
 * (move_unmap_ns).
 */
static void swaplab_move_unmap(struct swaplab_region *region, pgoff_t first,
			       pgoff_t nr)
{
	u64 t0 = ktime_get_ns();

	unmap_mapping_pages(region->inode->i_mapping, first, nr, false);
	swaplab_count_events(SWAPLAB_MOVE_UNMAP_NS, ktime_get_ns() - t0);
}

/*
 * Pages that arrived at consecutive indices of one region, each locked
 * with a reference, waiting to be mapped there at once (with map_at_move)
 * and let go.
 */
struct swaplab_move_run {
	struct swaplab_region *region;
	pgoff_t first;
	unsigned int nr;
	struct page *pages[SWAPLAB_MOVE_RUN];
};

/* The mappings of a range that may take pages inserted, and their mms. */
struct swaplab_move_mappers {
	unsigned int n;
	struct {
		struct mm_struct *mm;
		unsigned long start;
		pgoff_t pgoff;
	} m[SWAPLAB_MOVE_MAPPERS];
};

/*
 * Under the region's i_mmap_rwsem: a VM_MIXEDMAP mapping (one that can
 * take pages with the mmap lock held for read) and not VM_LOCKED (which
 * only a fault maps), whose mm is alive, is noted with a reference to
 * that mm.
 */
static bool swaplab_move_note_mapper(struct vm_area_struct *vma, void *arg)
{
	struct swaplab_move_mappers *ms = arg;
	vm_flags_t flags = READ_ONCE(vma->vm_flags);

	if (!(flags & VM_MIXEDMAP) || (flags & VM_LOCKED) ||
	    !mmget_not_zero(vma->vm_mm))
		return true;
	ms->m[ms->n].mm = vma->vm_mm;
	ms->m[ms->n].start = vma->vm_start;
	ms->m[ms->n].pgoff = vma->vm_pgoff;
	return ++ms->n < SWAPLAB_MOVE_MAPPERS;
}

/*
 * Map @run's pages into one noted mapping: if its mm's lock can be had
 * without a wait (a fault of that mm may be waiting for one of the pages'
 * locks, which the run holds), the mapping is still the region's at the
 * same place and offset, and its page table has no entry at a page
 * (a fault got there first: the rest of the run is left to faults). The
 * PTEs come in old, so that the next harvest does not take them for uses,
 * and a dirty page writable in a writable mapping
 * (swaplab_harvest_placed()).
 * Return: the pages mapped.
 */
static unsigned long swaplab_move_map_into(struct swaplab_move_run *run,
					   struct mm_struct *mm,
					   unsigned long start, pgoff_t pgoff)
{
	struct vm_area_struct *vma;
	unsigned long addr, nr = 0, left;
	pgoff_t lo, hi;

	if (!mmap_read_trylock(mm))
		return 0;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start != start || vma->vm_pgoff != pgoff ||
	    vma->vm_ops != &swaplab_vma_ops ||
	    vma->vm_private_data != run->region ||
	    !(vma->vm_flags & VM_MIXEDMAP) || (vma->vm_flags & VM_LOCKED))
		goto out;
	lo = max(run->first, pgoff);
	hi = min(run->first + run->nr, pgoff + vma_pages(vma));
	if (lo >= hi)
		goto out;
	addr = start + ((lo - pgoff) << PAGE_SHIFT);
	left = hi - lo;
	/* On an error, @left still says how many did not go in. */
	vm_insert_pages(vma, addr, run->pages + (lo - run->first), &left);
	nr = hi - lo - left;
	if (nr)
		swaplab_harvest_placed(vma, addr,
				       run->pages + (lo - run->first), nr);
out:
	mmap_read_unlock(mm);
	return nr;
}

/* A page locked with a reference, if any, let go. */
static void swaplab_move_page_put(struct page *page)
{
	if (page) {
		unlock_page(page);
		put_page(page);
	}
}

/*
 * Map the run's pages where they are now, in every mapping of them that
 * takes pages without its mmap lock held for writing (up to
 * SWAPLAB_MOVE_MAPPERS), then unlock them.
 */
static void swaplab_move_run_end(struct swaplab_move_run *run)
{
	struct swaplab_move_mappers ms = { };
	unsigned long mapped = 0;
	unsigned int i;

	if (!run->nr)
		return;
	if (swaplab_move_map()) {
		u64 t0 = ktime_get_ns();

		swaplab_harvest_vmas(run->region, run->first,
				     run->first + run->nr - 1,
				     swaplab_move_note_mapper, &ms);
		for (i = 0; i < ms.n; i++) {
			mapped += swaplab_move_map_into(run, ms.m[i].mm,
							ms.m[i].start,
							ms.m[i].pgoff);
			/* Not mmput(): the last reference frees the mm. */
			mmput_async(ms.m[i].mm);
		}
		swaplab_count_events(SWAPLAB_MOVED_MAPPED, mapped);
		swaplab_count_events(SWAPLAB_MOVE_MAP_NS, ktime_get_ns() - t0);
	}
	for (i = 0; i < run->nr; i++)
		swaplab_move_page_put(run->pages[i]);
	run->nr = 0;
}

/*
 * Page @page, locked with a reference, arrived at @index of @region: it
 * joins @run, which is ended first if the page does not follow on from
 * it. Without a run the page is unlocked at once.
 */
static void swaplab_move_run_add(struct swaplab_move_run *run,
				 struct swaplab_region *region, pgoff_t index,
				 struct page *page)
{
	if (!run) {
		swaplab_move_page_put(page);
		return;
	}
	if (run->nr && (run->region != region ||
			index != run->first + run->nr ||
			run->nr == SWAPLAB_MOVE_RUN))
		swaplab_move_run_end(run);
	if (!run->nr) {
		run->region = region;
		run->first = index;
	}
	run->pages[run->nr++] = page;
}

/*
 * Lock the page at @index of @region as swaplab_fault_lock_entry() does.
 * When another holds its lock, the pages @runs (two, or NULL) still keep
 * locked are mapped and let go before the wait: the holder may be a
 * fault waiting for a frame, which reclaim finds only among pages nobody
 * holds locked.
 */
static struct page *swaplab_move_lock_entry(struct swaplab_region *region,
					    pgoff_t index, void **entryp,
					    struct swaplab_move_run *runs)
{
	struct page *page;

	if (runs && (runs[0].nr || runs[1].nr)) {
		page = swaplab_fault_trylock_entry(region, index, entryp);
		if (!IS_ERR(page))
			return page;
		swaplab_move_run_end(&runs[0]);
		swaplab_move_run_end(&runs[1]);
	}
	return swaplab_fault_lock_entry(region, index, entryp, false);
}

/*
 * May the page of this entry leave? Not a pinned one, nor one whose data
 * the external pager keeps or holds a copy of (or lost with it).
 */
static int swaplab_move_entry_ok(void *entry)
{
	struct swaplab_frame *f;
	unsigned long slot;

	if (!xa_is_value(entry)) {
		f = entry;
		return f->pins || test_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags) ?
		       -EBUSY : 0;
	}
	slot = swaplab_shadow_slot(entry);
	if (slot == SWAPLAB_NO_SLOT || swaplab_slot_on_store(slot) ||
	    swaplab_slot_in_pool(slot))
		return 0;
	return -EBUSY;
}

/*
 * May every page of @nr from @first of @region leave? Under the table's
 * lock, where a frame found is not freed.
 */
static int swaplab_move_check_leave(struct swaplab_region *region,
				    pgoff_t first, pgoff_t nr)
{
	unsigned long index;
	pgoff_t at, n;
	void *entry;
	int err = 0;

	if (swaplab_harvest_range_mlocked(region, first, first + nr - 1))
		return -EBUSY;
	for (at = 0; at < nr && !err; at += n) {
		n = min(nr - at, SWAPLAB_MOVE_CHECK_CHUNK);
		xa_lock(&region->pages);
		xa_for_each_range(&region->pages, index, entry, first + at,
				  first + at + n - 1) {
			err = swaplab_move_entry_ok(entry);
			if (err)
				break;
		}
		xa_unlock(&region->pages);
		cond_resched();
	}
	return err;
}

/* Does any page of @nr from @first of @region hold data? */
static int swaplab_move_check_empty(struct swaplab_region *region,
				    pgoff_t first, pgoff_t nr)
{
	unsigned long index;
	pgoff_t at, n;
	void *entry;
	int err = 0;

	for (at = 0; at < nr && !err; at += n) {
		n = min(nr - at, SWAPLAB_MOVE_CHECK_CHUNK);
		xa_lock(&region->pages);
		xa_for_each_range(&region->pages, index, entry, first + at,
				  first + at + n - 1) {
			if (swaplab_shadow_has_data(entry)) {
				err = -EEXIST;
				break;
			}
		}
		xa_unlock(&region->pages);
		cond_resched();
	}
	return err;
}

/*
 * Before any page moves: may every page of the source leave, and does
 * the destination hold no data (a move) or may its pages leave too (an
 * exchange)? A fault may change either afterwards: the move looks again
 * at each page.
 */
static int swaplab_move_check(struct swaplab_region *src, pgoff_t sfirst,
			      struct swaplab_region *dst, pgoff_t dfirst,
			      pgoff_t nr, bool exchange)
{
	int err = swaplab_move_check_leave(src, sfirst, nr);

	if (err)
		return err;
	return exchange ? swaplab_move_check_leave(dst, dfirst, nr) :
			  swaplab_move_check_empty(dst, dfirst, nr);
}

/* A page with data went from @from's @fi to @to's @ti: counted, traced. */
static void swaplab_move_done(struct swaplab_region *from, pgoff_t fi,
			      struct swaplab_region *to, pgoff_t ti,
			      void *entry)
{
	unsigned int kind = SWAPLAB_MOVE_RESIDENT;

	swaplab_count_event(SWAPLAB_MOVED_PAGES);
	if (!xa_is_value(entry))
		swaplab_count_event(SWAPLAB_MOVED_RESIDENT);
	else
		kind = swaplab_slot_in_pool(swaplab_shadow_slot(entry)) ?
		       SWAPLAB_MOVE_POOL : SWAPLAB_MOVE_STORE;
	trace_swaplab_move(from->id, fi, to->id, ti, kind);
}

/* A page out of memory: its entry moves, or, history alone, goes. */
static int swaplab_move_out(struct swaplab_region *src, pgoff_t sidx,
			    void *entry, struct swaplab_region *dst,
			    pgoff_t didx)
{
	unsigned long slot = swaplab_shadow_slot(entry);
	int err;

	if (slot == SWAPLAB_NO_SLOT) {
		/* It reads as zeroes: nothing to move, its history goes. */
		if (xa_cmpxchg(&src->pages, sidx, entry, NULL, 0) != entry)
			return -EAGAIN;
		swaplab_shadow_drop(entry);
		return 0;
	}
	err = swaplab_move_entry_ok(entry);
	if (err)
		return err;
	err = swaplab_region_move_entry(src, sidx, entry, dst, didx);
	if (!err)
		swaplab_move_done(src, sidx, dst, didx, entry);
	return err;
}

/*
 * May the resident page @page at @index of @region, locked with the
 * lookup's reference, leave, and is it free to? Its frame's entry must
 * be allowed (swaplab_move_entry_ok()). Mapped again since the range was
 * unmapped, before this lock (a fault maps a page only under its lock),
 * it is unmapped alone, unless an mlock() mapped it, which keeps a page
 * where it is, as a pin does (-EBUSY); an mlock() that has not reached
 * the page yet faults it in after the move, as if it came after. Then it
 * must hold the table's reference and the lookup's, no other, and not be
 * a frame a discard is dropping (which looks again, and frees it): else
 * -EAGAIN, to look again later.
 */
static int swaplab_move_page_free(struct swaplab_region *region,
				  pgoff_t index, struct page *page)
{
	struct swaplab_frame *f = (struct swaplab_frame *)page_private(page);
	int err = swaplab_move_entry_ok(f);

	if (err)
		return err;
	if (page_mapped(page)) {
		if (swaplab_harvest_mlocked(region, index))
			return -EBUSY;
		swaplab_move_unmap(region, index, 1);
	}
	if (page_count(page) > 2 ||
	    test_bit(SWAPLAB_FRAME_DISCARDED, &f->flags))
		return -EAGAIN;
	return 0;
}

/*
 * A resident page, locked, with the lookup's reference: free to leave
 * (swaplab_move_page_free()), out of the policy, its frame moves, and
 * back into the policy at its new place, where it joins @run (if any)
 * still locked. -EAGAIN, the page unlocked, to look again later: another
 * task holds a reference, or reclaim has the frame isolated.
 */
static int swaplab_move_resident(struct swaplab_region *src, pgoff_t sidx,
				 struct page *page, struct swaplab_region *dst,
				 pgoff_t didx, struct swaplab_move_run *run)
{
	struct swaplab_frame *f = (struct swaplab_frame *)page_private(page);
	struct swaplab_proc *from = src->proc;
	int err;

	err = swaplab_move_page_free(src, sidx, page);
	if (!err && !swaplab_core_take(f))
		err = -EAGAIN;
	if (err)
		goto unlock;
	err = swaplab_region_move_entry(src, sidx, f, dst, didx);
	swaplab_core_return(f, from);
	if (!err) {
		swaplab_move_done(src, sidx, dst, didx, f);
		swaplab_move_run_add(run, dst, didx, page);
		return 0;
	}
unlock:
	swaplab_move_page_put(page);
	return err;
}

/*
 * A page could not move yet (-EAGAIN). If a resident page was @held by
 * another task or isolated by reclaim: a moment, then the caller looks
 * again, until @deadline (-EBUSY). -EINTR on a fatal signal; else 0.
 */
static int swaplab_move_again(bool held, unsigned long deadline)
{
	if (held) {
		if (time_after(jiffies, deadline))
			return -EBUSY;
		schedule_timeout_killable(msecs_to_jiffies(1));
	}
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/* Move the page at @sidx of @src to @didx of @dst; a frame joins @run. */
static int swaplab_move_page(struct swaplab_region *src, pgoff_t sidx,
			     struct swaplab_region *dst, pgoff_t didx,
			     struct swaplab_move_run *run)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(SWAPLAB_MOVE_BUSY_MS);
	struct page *page;
	void *entry;
	int err;

	for (;;) {
		page = swaplab_move_lock_entry(src, sidx, &entry, run);
		if (IS_ERR(page))
			return PTR_ERR(page);
		if (page)
			err = swaplab_move_resident(src, sidx, page, dst, didx,
						    run);
		else if (entry)
			err = swaplab_move_out(src, sidx, entry, dst, didx);
		else
			return 0;	/* reads as zeroes: nothing to move */
		if (err != -EAGAIN)
			return err;
		err = swaplab_move_again(!!page, deadline);
		if (err)
			return err;
	}
}

/*
 * Pairs of places of a move or an exchange, the first @src's @sidx and
 * @dst's @didx, the others after them: each place's entry, and its page
 * locked with a reference where the entry is a frame; then the frames
 * with data taken out of the policy, and the processes they were taken
 * from.
 */
struct swaplab_move_batch {
	struct swaplab_region *src, *dst;
	pgoff_t sidx, didx;
	bool exchange;
	void *se[SWAPLAB_MOVE_RUN];
	void *de[SWAPLAB_MOVE_RUN];
	struct page *sp[SWAPLAB_MOVE_RUN];
	struct page *dp[SWAPLAB_MOVE_RUN];
	unsigned int nf;
	struct swaplab_frame *f[2 * SWAPLAB_MOVE_RUN];
	struct swaplab_proc *from[2 * SWAPLAB_MOVE_RUN];
};

/* The pages of pairs @from to @n - 1 of @b let go where they are. */
static void swaplab_move_batch_put(struct swaplab_move_batch *b,
				   unsigned int from, unsigned int n)
{
	for (; from < n; from++) {
		swaplab_move_page_put(b->sp[from]);
		swaplab_move_page_put(b->dp[from]);
	}
}

/*
 * May the page of @entry at @index of @region leave, and is it free to:
 * its entry allowed (swaplab_move_entry_ok()), and a resident @page as
 * swaplab_move_page_free() wants it. -EAGAIN to look again later.
 */
static int swaplab_move_place_check(struct swaplab_region *region,
				    pgoff_t index, void *entry,
				    struct page *page)
{
	if (!swaplab_shadow_has_data(entry))
		return 0;
	if (!page)
		return swaplab_move_entry_ok(entry);
	return swaplab_move_page_free(region, index, page);
}

/* A resident page with data of @region's: its frame is to leave the policy. */
static void swaplab_move_batch_note(struct swaplab_move_batch *b,
				    struct swaplab_region *region,
				    void *entry, struct page *page)
{
	if (!page || !swaplab_shadow_has_data(entry))
		return;
	b->f[b->nf] = (struct swaplab_frame *)page_private(page);
	b->from[b->nf++] = region->proc;
}

/*
 * The entry of @fi of @from, and its @page, if any, arrived at @ti of
 * @to: counted if it holds data, and the page joins @run.
 */
static void swaplab_move_arrived(struct swaplab_region *from, pgoff_t fi,
				 void *entry, struct page *page,
				 struct swaplab_region *to, pgoff_t ti,
				 struct swaplab_move_run *run)
{
	if (swaplab_shadow_has_data(entry))
		swaplab_move_done(from, fi, to, ti, entry);
	if (page)
		swaplab_move_run_add(run, to, ti, page);
}

/*
 * May the place at @index of @b's destination, with @entry and its @page,
 * take a page: in an exchange, if its own page may leave
 * (swaplab_move_place_check()); in a move, if it holds no data (-EEXIST).
 */
static int swaplab_move_dst_check(struct swaplab_move_batch *b,
				  pgoff_t index, void *entry,
				  struct page *page)
{
	if (b->exchange)
		return swaplab_move_place_check(b->dst, index, entry, page);
	return swaplab_shadow_has_data(entry) ? -EEXIST : 0;
}

/*
 * The first @n pairs of @b, their pages locked: those free to leave, up
 * to the first that is not, change places (a move's destination holds
 * no data, so its page goes one way). Their frames leave the policy
 * under one hold of its mutex, their entries swap under one hold of the
 * tables' locks (swaplab_region_swap_run()), and the frames come back,
 * each a removal and an admission, under one more. A page that moved
 * joins the run of its new place: @runs[0] at the destination, @runs[1]
 * at the source (none if @runs is NULL); the others are let go where
 * they are.
 * Return: how many pairs changed places; *@err says why the next did
 * not (-EAGAIN: to look again later), or 0.
 */
static unsigned int swaplab_move_batch_swap(struct swaplab_move_batch *b,
					    unsigned int n,
					    struct swaplab_move_run *runs,
					    int *err)
{
	unsigned int i, ok, done = 0;

	*err = 0;
	for (ok = 0; ok < n && !*err; ok++) {
		*err = swaplab_move_place_check(b->src, b->sidx + ok,
						b->se[ok], b->sp[ok]);
		if (!*err)
			*err = swaplab_move_dst_check(b, b->didx + ok,
						      b->de[ok], b->dp[ok]);
	}
	if (*err)
		ok--;
	b->nf = 0;
	for (i = 0; i < ok; i++) {
		swaplab_move_batch_note(b, b->src, b->se[i], b->sp[i]);
		swaplab_move_batch_note(b, b->dst, b->de[i], b->dp[i]);
	}
	if (b->nf && !swaplab_core_take_frames(b->f, b->nf)) {
		b->nf = 0;
		ok = 0;
		*err = -EAGAIN;
	}
	if (ok) {
		int e = swaplab_region_swap_run(b->src, b->sidx, b->se,
						b->dst, b->didx, b->de, ok,
						&done);
		if (e)
			*err = e;
	}
	if (b->nf)
		swaplab_core_return_frames(b->f, b->from, b->nf);
	if (done)
		swaplab_count_event(SWAPLAB_MOVE_RUNS);
	for (i = 0; i < done; i++) {
		swaplab_move_arrived(b->src, b->sidx + i, b->se[i], b->sp[i],
				     b->dst, b->didx + i, runs);
		swaplab_move_arrived(b->dst, b->didx + i, b->de[i], b->dp[i],
				     b->src, b->sidx + i, runs ? runs + 1 : NULL);
	}
	swaplab_move_batch_put(b, done, n);
	return done;
}

/* One place of @b's first pair: where it is, and where its lookup goes. */
struct swaplab_move_place {
	struct swaplab_region *region;
	pgoff_t index;
	void **entry;
	struct page **page;
};

/*
 * Lock both pages of @b's first pair: the lower region number, then
 * index, first with a wait, the other without. Everyone else holds one
 * page lock at a time, so this order is the only one: when the second is
 * busy, the first is let go, the second waited for, and both looked up
 * again. No wait is made with a page of @runs still locked
 * (swaplab_move_lock_entry()).
 */
static int swaplab_move_lock_pair(struct swaplab_move_batch *b,
				  struct swaplab_move_run *runs)
{
	struct swaplab_move_place s = { b->src, b->sidx, &b->se[0], &b->sp[0] };
	struct swaplab_move_place d = { b->dst, b->didx, &b->de[0], &b->dp[0] };
	bool s_first = b->src->id != b->dst->id ? b->src->id < b->dst->id :
						   b->sidx < b->didx;
	struct swaplab_move_place *first = s_first ? &s : &d;
	struct swaplab_move_place *second = s_first ? &d : &s;
	struct page *page;

	for (;;) {
		page = swaplab_move_lock_entry(first->region, first->index,
					       first->entry, runs);
		if (IS_ERR(page))
			return PTR_ERR(page);
		*first->page = page;
		page = swaplab_fault_trylock_entry(second->region,
						   second->index,
						   second->entry);
		if (!IS_ERR(page)) {
			*second->page = page;
			return 0;
		}
		swaplab_move_page_put(*first->page);
		page = swaplab_move_lock_entry(second->region, second->index,
					       second->entry, runs);
		if (IS_ERR(page))
			return PTR_ERR(page);
		swaplab_move_page_put(page);
	}
}

/*
 * Exchange the pages of @b's first pair, whatever each holds: a resident
 * page, a slot on the store or in the compressed tier, or nothing (it
 * reads as zeroes), waiting for each page's lock, as long as another task
 * holds a page, up to SWAPLAB_MOVE_BUSY_MS (swaplab_move_again()).
 */
static int swaplab_move_exchange_page(struct swaplab_move_batch *b,
				      struct swaplab_move_run *runs)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(SWAPLAB_MOVE_BUSY_MS);
	bool held;
	int err;

	for (;;) {
		err = swaplab_move_lock_pair(b, runs);
		if (err)
			return err;
		held = b->sp[0] || b->dp[0];
		if (swaplab_move_batch_swap(b, 1, runs, &err))
			return 0;
		if (err != -EAGAIN)
			return err;
		err = swaplab_move_again(held, deadline);
		if (err)
			return err;
	}
}

/*
 * Of the first @n places of @b's source, a move takes a run up to the
 * first with history and no data, which swaplab_move_page() drops alone:
 * the others are let go. Return: the run's length.
 */
static unsigned int swaplab_move_history_ends(struct swaplab_move_batch *b,
					      unsigned int n)
{
	unsigned int i, end = n;

	for (i = 0; i < n; i++) {
		if (end == n && b->se[i] && !swaplab_shadow_has_data(b->se[i]))
			end = i;
		if (i >= end)
			swaplab_move_page_put(b->sp[i]);
	}
	return end;
}

/*
 * Move, or exchange, the next pages, up to @nr, from @sidx of @src to
 * @didx of @dst: a run of them at once, as long as nothing holds it up
 * (the pages of both sides locked without a wait,
 * swaplab_fault_trylock_run(), and each free to leave); else the first
 * alone, waiting for what holds it (swaplab_move_page(),
 * swaplab_move_exchange_page()).
 * Return: how many pages moved (or pairs changed places), at least one;
 * or an error with none done.
 */
static long swaplab_move_next(struct swaplab_move_batch *b,
			      struct swaplab_region *src, pgoff_t sidx,
			      struct swaplab_region *dst, pgoff_t didx,
			      u64 nr, struct swaplab_move_run *runs)
{
	unsigned int n = min_t(u64, nr, SWAPLAB_MOVE_RUN), got, done;
	int err;

	b->src = src;
	b->sidx = sidx;
	b->dst = dst;
	b->didx = didx;
	n = swaplab_fault_trylock_run(src, sidx, n, b->se, b->sp);
	if (!b->exchange)
		n = swaplab_move_history_ends(b, n);
	got = swaplab_fault_trylock_run(dst, didx, n, b->de, b->dp);
	for (done = got; done < n; done++)
		swaplab_move_page_put(b->sp[done]);
	if (got) {
		done = swaplab_move_batch_swap(b, got, runs, &err);
		if (done)
			return done;
	}
	if (b->exchange)
		err = swaplab_move_exchange_page(b, runs);
	else
		err = swaplab_move_page(src, sidx, dst, didx, runs);
	return err ? err : 1;
}

/* Take the move locks of both regions, the lower number first. */
static int swaplab_move_lock(struct swaplab_region *src,
			     struct swaplab_region *dst)
{
	struct swaplab_region *a = src->id < dst->id ? src : dst;
	struct swaplab_region *b = a == src ? dst : src;

	if (mutex_lock_killable(&a->move_lock))
		return -EINTR;
	if (a != b &&
	    mutex_lock_killable_nested(&b->move_lock, SINGLE_DEPTH_NESTING)) {
		mutex_unlock(&a->move_lock);
		return -EINTR;
	}
	return 0;
}

static void swaplab_move_unlock(struct swaplab_region *src,
				struct swaplab_region *dst)
{
	if (src != dst)
		mutex_unlock(&dst->move_lock);
	mutex_unlock(&src->move_lock);
}

/**
 * swaplab_move_range() - move the pages of a range to another place
 * @src: the region of the file the ioctl came on, open for writing
 * @dst: the destination's region, open for writing; may be @src
 * @mv: the argument (struct swaplab_move), checked here; @mv->done is set
 *
 * Context: process context, sleeps (the regions' move locks, page locks,
 * the policy mutex, waits for pages others hold).
 * With %SWAPLAB_MOVE_EXCHANGE in @mv->flags the two ranges exchange their
 * pages, whatever the destination holds, under the same rules on both
 * sides: each pair of pages changes places at once.
 *
 * Return: 0, every page moved; -EINVAL for a bad range or flags;
 * -EBUSY for a region the external pager keeps pages of, a pinned or
 * mlocked page, a page the pager holds, or a page another task keeps a
 * reference to;
 * -EOPNOTSUPP if either region is a file's (SWAPLAB_IOC_FILE);
 * -EEXIST if the destination holds data (a move, not an exchange);
 * -EINTR on a fatal signal; -ENOMEM. When the checks before the first
 * page fail nothing changes; after that, the pages before @mv->done
 * moved (or changed places) and the rest did not.
 */
int swaplab_move_range(struct swaplab_region *src, struct swaplab_region *dst,
		       struct swaplab_move *mv)
{
	u64 sfirst = mv->src_offset >> PAGE_SHIFT;
	u64 dfirst = mv->dst_offset >> PAGE_SHIFT;
	u64 nr = mv->length >> PAGE_SHIFT;
	bool exchange = mv->flags & SWAPLAB_MOVE_EXCHANGE;
	struct swaplab_move_batch *batch = NULL;
	struct swaplab_move_run *runs = NULL;
	u64 i, n, t0;
	long ret;
	int err;

	mv->done = 0;
	if ((mv->flags & ~SWAPLAB_MOVE_EXCHANGE) || !mv->length ||
	    !IS_ALIGNED(mv->src_offset | mv->dst_offset | mv->length,
			PAGE_SIZE) ||
	    sfirst >= src->max_pages || nr > src->max_pages - sfirst ||
	    dfirst >= dst->max_pages || nr > dst->max_pages - dfirst)
		return -EINVAL;
	if (src == dst && sfirst < dfirst + nr && dfirst < sfirst + nr)
		return -EINVAL;
	/*
	 * A claim that comes during the move finds the pages it keeps
	 * refused page by page (the pager's slots and copies).
	 */
	if (READ_ONCE(src->pager_claimed) || READ_ONCE(dst->pager_claimed))
		return -EBUSY;
	/* A page of a file is where it is in the file: it does not move. */
	if (src->file || dst->file)
		return -EOPNOTSUPP;
	/*
	 * With map_at_move, the frames that arrive are mapped a run at a
	 * time: one run for the destination, and one for the source of an
	 * exchange. Without the memory for them, each page's first touch
	 * maps it.
	 */
	t0 = ktime_get_ns();
	if (swaplab_move_map())
		runs = kcalloc(2, sizeof(*runs), GFP_KERNEL);
	/* Runs of pages at once (swaplab_move_next()). */
	batch = kmalloc(sizeof(*batch), GFP_KERNEL);
	err = -ENOMEM;
	if (!batch)
		goto free;
	batch->exchange = exchange;
	err = swaplab_move_lock(src, dst);
	if (err)
		goto free;
	err = swaplab_move_check(src, sfirst, dst, dfirst, nr, exchange);
	if (err)
		goto out;
	/*
	 * One TLB flush for the source, and for the destination of an
	 * exchange; a page mapped again is unmapped alone. The destination
	 * of a move holds no page, so nothing maps it: a fault that puts
	 * one there from now on ends the move at it (-EEXIST from the
	 * table).
	 */
	swaplab_move_unmap(src, sfirst, nr);
	if (exchange)
		swaplab_move_unmap(dst, dfirst, nr);
	for (i = 0; i < nr; i += n) {
		ret = swaplab_move_next(batch, src, sfirst + i, dst, dfirst + i,
					nr - i, runs);
		if (ret < 0) {
			err = ret;
			break;
		}
		n = ret;
		mv->done += n << PAGE_SHIFT;
		if (i + n < nr && fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
out:
	if (runs) {
		swaplab_move_run_end(&runs[0]);
		swaplab_move_run_end(&runs[1]);
	}
	swaplab_move_unlock(src, dst);
free:
	kfree(batch);
	kfree(runs);
	swaplab_count_events(SWAPLAB_MOVE_NS, ktime_get_ns() - t0);
	return err;
}
