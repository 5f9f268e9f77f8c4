// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim: evict the pages the policy names, in batches.
 *
 * For each victim (steps 5 and 6 of the textbook fault sequence, seen from
 * the evicting side): lock the page, so that a fault on it waits; take it
 * out of every page table with unmap_mapping_pages(), which also moves the
 * PTE dirty bits onto the page (the victims of a whole pass at once,
 * sorted, one call per run of consecutive pages, since each call flushes
 * the TLB on every CPU that ran the process); then
 *  - a page that is clean and has a valid swap copy is dropped, no write;
 *  - a page that is clean and was never written is dropped, and reads as
 *    zeroes again;
 *  - a dirty page of a shared region of a file is written back to the
 *    file (file.c), and is read from there at its next fault; if that
 *    write would wait for the file's locks, it is written out as below;
 *  - a dirty page goes to the compressed tier if it is on and takes the
 *    page (compress.c);
 *  - any other dirty page is written out. The dirty pages of a pass get a run of
 *    contiguous slots, in page order within each batch (so that readahead
 *    finds a region's next page in the next slot), and go out in one
 *    direct I/O.
 * The policy is asked for victims one batch (%SWAPLAB_RECLAIM_BATCH) at a
 * time, as the simulator models it; a pass of the daemon takes several
 * batches, up to what it needs to reach the high watermark and at most
 * %SWAPLAB_IO_MAX pages, holds them all locked, unmaps them together (a
 * sequential scan's pass is one run, one flush rather than one a batch)
 * and writes their dirty pages together: writes of up to 1 MiB, as reads
 * are. Only the first batch of a pass may wait for a policy's answer (the
 * external pager's): a later batch would wait with the earlier batches'
 * pages locked, and faults on them with it, so a policy that would wait
 * ends the pass there. A fault that reclaims takes one batch.
 * A page that is pinned or locked by someone else goes back to the
 * policy. An mlocked one, and one still referenced by someone else after
 * the unmap (get_user_pages(), a pipe it was vmsplice()d into, a
 * long-term pin), is parked outside the policy until it is no longer
 * mlocked or held, so that reclaim does not scan it pass after pass. A
 * dirty page that cannot be written (no space, an I/O error) goes back
 * too: it stays resident and dirty, and nothing is lost.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "store/compress.h"
#include "policy/core.h"
#include "alloc/frames.h"
#include "mm/file.h"
#include "mm/harvest.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "api/policy.h"
#include "mm/reclaim.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "alloc/share.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "mm/tick.h"
#include "lib/trace.h"
#include "uapi/swaplab.h"

/* A reclaim pass: one batch of victims or several. */
struct swaplab_reclaim {
	char policy[SWAPLAB_POLICY_NAME_MAX];	/* for the trace */
	struct list_head putback;
	struct list_head unevictable;
	unsigned int max;	/* victims at most: the size of the arrays */
	struct swaplab_frame **locked;		/* to unmap, then sort out */
	unsigned int nr_locked;
	struct swaplab_region **regions;	/* refs to drop */
	unsigned int nr_regions;
	struct swaplab_frame **dirty;		/* to write */
	unsigned int nr_dirty;
	struct page **pages;			/* the write's */
	unsigned int freed;
	unsigned int busy;	/* victims kept only for the moment */
	struct swaplab_proc *from;	/* whose pages, under local; or NULL */
};

/* Reclaim passes under way, in every thread; see swaplab_reclaim(). */
static atomic_t swaplab_reclaimers = ATOMIC_INIT(0);

/* Give a victim back to the policy; its page is unlocked by now. */
static void swaplab_reclaim_keep(struct swaplab_reclaim *rc,
				 struct swaplab_frame *f)
{
	rc->regions[rc->nr_regions++] = f->region;
	put_page(f->page);
	list_add_tail(&f->lru, &rc->putback);
}

/* Park a victim outside the policy; its page is unlocked by now. */
static void swaplab_reclaim_park(struct swaplab_reclaim *rc,
				 struct swaplab_frame *f)
{
	rc->regions[rc->nr_regions++] = f->region;
	put_page(f->page);
	list_add_tail(&f->lru, &rc->unevictable);
}

static void swaplab_reclaim_evict(struct swaplab_reclaim *rc,
				  struct swaplab_frame *f, unsigned long slot,
				  bool dirty)
{
	unsigned long stamp;
	unsigned int record;
	bool in_ws;

	trace_swaplab_evict(f->region->id, f->index, rc->policy, dirty);
	rc->regions[rc->nr_regions++] = f->region;
	stamp = swaplab_core_evicted(f, &record, &in_ws);
	/* A page discarded while isolated reads as never touched. */
	if (test_and_clear_bit(SWAPLAB_FRAME_DISCARDED, &f->flags) &&
	    slot == SWAPLAB_NO_SLOT)
		swaplab_region_evicted(f, NULL);
	else
		swaplab_region_evicted(f, swaplab_shadow_entry(slot, stamp,
							       record, in_ws));
	swaplab_count_event(SWAPLAB_EVICTIONS);
	rc->freed++;
}

/*
 * Lock a victim and check it may go; NULL if it went back to the policy
 * (locked by someone else, pinned, being written to its file) or was
 * parked (mlocked).
 */
static struct swaplab_frame *swaplab_reclaim_lock(struct swaplab_reclaim *rc,
						  struct swaplab_frame *f)
{
	if (!trylock_page(f->page)) {
		rc->busy++;	/* a fault or another reclaimer has it */
		swaplab_reclaim_keep(rc, f);
		return NULL;
	}
	/*
	 * Pinned; or its copy is on its way to its file (range.c), and a
	 * write of its own now could land before that older one.
	 */
	if (test_bit(SWAPLAB_FRAME_PINNED, &f->flags) ||
	    test_bit(SWAPLAB_FRAME_WRITEBACK, &f->flags)) {
		unlock_page(f->page);
		swaplab_reclaim_keep(rc, f);
		return NULL;
	}
	if (swaplab_harvest_mlocked(f->region, f->index)) {
		unlock_page(f->page);
		swaplab_reclaim_park(rc, f);
		return NULL;
	}
	/*
	 * Marked by a truncation, and mapped again since by a fault that
	 * looked for the mark before it was set: it may have been written
	 * since, so it is no longer the truncation's (filewatch.c).
	 */
	if (test_bit(SWAPLAB_FRAME_CUT, &f->flags) && page_mapped(f->page))
		clear_bit(SWAPLAB_FRAME_CUT, &f->flags);
	return f;
}

/*
 * A test hook (debugfs: reclaim_unmap_delay_ms): sleep this long between
 * checking a pass's victims and unmapping them. It widens the window in
 * which an mlock() can come between the two, for a test to show that the
 * second look in swaplab_reclaim_one() closes it. 0 outside tests.
 */
static unsigned int swaplab_reclaim_delay_ms;

/**
 * swaplab_reclaim_unmap_delay() - the test hook's delay
 *
 * Return: milliseconds reclaim sleeps between its check and its unmap.
 */
unsigned int swaplab_reclaim_unmap_delay(void)
{
	return READ_ONCE(swaplab_reclaim_delay_ms);
}

/**
 * swaplab_reclaim_set_unmap_delay() - set the test hook's delay
 * @ms: milliseconds, at most %SWAPLAB_RECLAIM_DELAY_MAX_MS; 0 turns it off
 *
 * Return: 0, or -EINVAL when @ms is too long.
 */
int swaplab_reclaim_set_unmap_delay(u64 ms)
{
	if (ms > SWAPLAB_RECLAIM_DELAY_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(swaplab_reclaim_delay_ms, ms);
	return 0;
}

/*
 * Harvest and age before choosing victims. The reference bits are
 * harvested for a policy that reads them in victim(); for one that reads
 * them only in tick() (%SWAPLAB_POLICY_REFS_AT_TICK), only when a tick is
 * due; for one that never reads them (%SWAPLAB_POLICY_NO_REFS), never:
 * each harvest walks every PTE of every region and flushes every CPU's
 * TLB. When the allocator decides at ticks (ws, pff), its working-set
 * estimate reads them at every tick, whatever the policy. Under heavy
 * paging the aging work item can be starved of CPU for many intervals,
 * and victims chosen from stale counters would be no better than FIFO's;
 * so whoever reclaims also ages the counters when a tick is due. The
 * admissions still in per-CPU batches go to the policy first: aging
 * consumes a frame's reference bit at admission, and a frame admitted
 * after the harvest would take the harvested bit for its fault's (with
 * the zipf string through 256 frames, 7235 faults instead of the
 * simulator's 7334).
 */
static void swaplab_reclaim_prepare(void)
{
	unsigned int flags = swaplab_core_policy_flags();
	bool tick = swaplab_tick_due();

	swaplab_core_drain();

	if (!(flags & (SWAPLAB_POLICY_REFS_AT_TICK | SWAPLAB_POLICY_NO_REFS)) ||
	    (tick && (!(flags & SWAPLAB_POLICY_NO_REFS) ||
		      swaplab_share_decides())))
		swaplab_harvest_referenced();
	if (tick)
		swaplab_tick();
}

/*
 * Is a parked frame's page still mlocked, or held by another user? Asked by
 * swaplab_core_isolate(), under the policy mutex, before it gives a
 * parked frame back to the policy.
 */
static bool swaplab_reclaim_unevictable(struct swaplab_frame *f)
{
	return swaplab_harvest_held(f) ||
	       swaplab_harvest_mlocked(f->region, f->index);
}

/* Order victims by region, then page index: runs to unmap at once. */
static int swaplab_reclaim_cmp(const void *a, const void *b)
{
	const struct swaplab_frame *x = *(struct swaplab_frame * const *)a;
	const struct swaplab_frame *y = *(struct swaplab_frame * const *)b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return 0;
}

/*
 * Take the locked victims out of every page table, a run of consecutive
 * pages of one region per call: each call flushes the TLB, and a
 * sequential scan evicts whole runs. This also moves the PTE dirty bits
 * onto the pages. Only pages we hold locked are in a run.
 */
static void swaplab_reclaim_unmap(struct swaplab_frame **v, unsigned int nr)
{
	unsigned int i, start = 0;

	for (i = 1; i <= nr; i++) {
		if (i < nr && v[i]->region == v[start]->region &&
		    v[i]->index == v[i - 1]->index + 1)
			continue;
		unmap_mapping_pages(v[start]->region->inode->i_mapping,
				    v[start]->index, i - start, false);
		swaplab_count_event(SWAPLAB_RECLAIM_UNMAPS);
		start = i;
	}
}

/*
 * A page of a region the external pager keeps (pagerdata.c): a clean one
 * it has a copy of leaves with no write (DATA_KEPT), a dirty one goes to
 * it through a buffer (DATA_RETURN), and so does a read-only one it has
 * no copy of (coherence.c: protected). False if the page goes the usual
 * way instead: the region is not claimed, a clean page has no copy there,
 * no buffer is free. A pager that had a stale copy hears DATA_DISCARD.
 */
static bool swaplab_reclaim_to_pager(struct swaplab_reclaim *rc,
				     struct swaplab_frame *f, bool dirty)
{
	u64 id = f->region_id, index = f->index;
	bool stale;
	unsigned long slot;
	u32 seq = 0;

	if (!swaplab_pagerdata_begin(f->region))
		return false;
	if (test_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags) &&
	    !test_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags))
		dirty = true;
	stale = dirty && test_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
	slot = swaplab_pagerdata_pageout(f, dirty, &seq);
	if (slot != SWAPLAB_NO_SLOT) {
		if (dirty && f->slot != SWAPLAB_NO_SLOT) {
			swaplab_swap_slot_free(f->slot);
			f->slot = SWAPLAB_NO_SLOT;
		}
		if (!dirty)
			swaplab_count_event(SWAPLAB_CLEAN_EVICTIONS);
		swaplab_reclaim_evict(rc, f, slot, dirty);
	}
	swaplab_pagerdata_end();
	if (slot == SWAPLAB_NO_SLOT) {
		if (stale)
			swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_DISCARD, id,
						index, 0);
		return false;
	}
	if (dirty) {
		/* Unheard of, the page would wait in its buffer for a fault. */
		if (!swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_RETURN, id,
					     index, seq))
			swaplab_pagerdata_unsent(seq);
	} else {
		swaplab_count_event(SWAPLAB_PAGER_DATA_CLEAN);
		swaplab_pager_emit_page(SWAPLAB_PAGER_DATA_KEPT, id, index, 0);
	}
	return true;
}

/*
 * A dirty page of a shared region of a file goes back to its file, and
 * leaves with no slot: its next fault reads it from there. One past the
 * end of the file leaves unwritten, as truncation drops the kernel's.
 * The write waits for none of the file's locks, which the task that
 * reclaims may hold: a page whose write would wait, or fails, is not
 * evicted here, and goes to the store as an anonymous page does (still
 * owed to its file; file.c). Return: true if the page went.
 */
static bool swaplab_reclaim_to_file(struct swaplab_reclaim *rc,
				    struct swaplab_frame *f)
{
	int err = swaplab_file_write(f->region, f->index, f->page, false);

	if (err && err != -ERANGE) {
		swaplab_count_event(SWAPLAB_FILE_STORED);
		return false;
	}
	if (f->slot != SWAPLAB_NO_SLOT) {
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
	swaplab_reclaim_evict(rc, f, SWAPLAB_NO_SLOT, true);
	return true;
}

/* Sort an unmapped, locked victim: dropped, kept, or to be written. */
static void swaplab_reclaim_one(struct swaplab_reclaim *rc,
				struct swaplab_frame *f)
{
	struct folio *folio = page_folio(f->page);
	unsigned long slot;
	bool dirty;

	/*
	 * The table's reference and ours; any other is a user we cannot
	 * make let go (get_user_pages(), a vmsplice()d pipe, a pin). Park
	 * the page outside the policy until it is released: handing it back
	 * would have every pass unmap and flush it again, and with the whole
	 * budget held that is a pass after pass that never ends.
	 */
	if (folio_ref_count(folio) > 2 || folio_maybe_dma_pinned(folio)) {
		/*
		 * A fault waiting for this page lock holds a reference too,
		 * and lets go soon: a pass that parks such a page is busy,
		 * not failed. Parked, the page is out of the next passes, so
		 * pages held for good still end in a pass with nothing to do.
		 */
		if (!folio_maybe_dma_pinned(folio))
			rc->busy++;
		folio_unlock(folio);
		swaplab_count_event(SWAPLAB_HELD_PARKED);
		swaplab_reclaim_park(rc, f);
		return;
	}

	/*
	 * mlock() may have come between the check in swaplab_reclaim_lock()
	 * and the unmap, and returned: its populate found the page still
	 * mapped. Look again, now that the page is unmapped and locked: an
	 * mlock() from here on faults the page back in, and that fault waits
	 * for this eviction to finish.
	 */
	if (swaplab_harvest_mlocked(f->region, f->index)) {
		folio_unlock(folio);
		swaplab_reclaim_park(rc, f);
		return;
	}

	/*
	 * A truncation found it locked (filewatch.c): nothing of it is
	 * kept, neither written nor stored, and it leaves no entry.
	 */
	if (test_and_clear_bit(SWAPLAB_FRAME_CUT, &f->flags)) {
		folio_clear_dirty(folio);
		if (f->slot != SWAPLAB_NO_SLOT) {
			swaplab_swap_slot_free(f->slot);
			f->slot = SWAPLAB_NO_SLOT;
		}
		set_bit(SWAPLAB_FRAME_DISCARDED, &f->flags);
		swaplab_reclaim_evict(rc, f, SWAPLAB_NO_SLOT, false);
		return;
	}
	dirty = folio_test_clear_dirty(folio);
	if (swaplab_reclaim_to_pager(rc, f, dirty))
		return;
	/*
	 * Read-only, and its pager has no buffer free: it may leave for the
	 * pager alone, since from the store or the compressed tier its next
	 * fault would map it writable with no grant. It stays, as it was.
	 */
	if (test_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags)) {
		if (READ_ONCE(f->region->pager_claimed)) {
			if (dirty)
				folio_mark_dirty(folio);
			folio_unlock(folio);
			swaplab_reclaim_keep(rc, f);
			return;
		}
		/* Its pager went: nobody grants a write any more. */
		clear_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	}
	/* A pager that went since marked the pages it had copies of. */
	dirty |= folio_test_clear_dirty(folio);
	if (dirty && swaplab_file_shared(f->region) &&
	    swaplab_reclaim_to_file(rc, f))
		return;
	if (!dirty) {
		swaplab_count_event(SWAPLAB_CLEAN_EVICTIONS);
		swaplab_reclaim_evict(rc, f, f->slot, false);
		return;
	}
	/* The old copy is stale: write the page to a fresh run of slots. */
	if (f->slot != SWAPLAB_NO_SLOT) {
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
	/* Or keep it compressed, if the tier is on and takes it. */
	if (swaplab_compress_store(f, &slot)) {
		swaplab_reclaim_evict(rc, f, slot, true);
		return;
	}
	rc->dirty[rc->nr_dirty++] = f;
}

/* Write the batch's dirty pages, as few I/Os over contiguous slots. */
static void swaplab_reclaim_write(struct swaplab_reclaim *rc)
{
	unsigned int done = 0, got, i;
	unsigned long slot;

	for (i = 0; i < rc->nr_dirty; i++)
		rc->pages[i] = rc->dirty[i]->page;
	while (done < rc->nr_dirty) {
		slot = swaplab_swap_out(rc->pages + done, rc->nr_dirty - done,
					&got);
		if (slot == SWAPLAB_NO_SLOT)
			break;
		for (i = 0; i < got; i++) {
			struct swaplab_frame *f = rc->dirty[done + i];

			f->slot = slot + i;
			swaplab_reclaim_evict(rc, f, slot + i, true);
		}
		done += got;
	}

	/* No space or an I/O error: the rest stay resident, still dirty. */
	for (i = done; i < rc->nr_dirty; i++) {
		struct swaplab_frame *f = rc->dirty[i];

		folio_mark_dirty(page_folio(f->page));
		unlock_page(f->page);
		swaplab_reclaim_keep(rc, f);
	}
	rc->nr_dirty = 0;
}

/*
 * Isolate and lock up to @nr victims, at most one batch; they wait in @rc
 * for the pass's unmap. With victims of earlier batches locked, the policy
 * is not waited for: fewer victims, and the pass ends.
 * Return: the number of victims the policy gave.
 */
static unsigned int swaplab_reclaim_batch(struct swaplab_reclaim *rc,
					  unsigned int nr, bool others)
{
	struct swaplab_frame *f, *tmp;
	unsigned int nr_isolated;
	LIST_HEAD(isolated);

	swaplab_reclaim_prepare();
	nr_isolated = swaplab_core_isolate(&isolated, nr, rc->from,
					   swaplab_harvest_referenced,
					   rc->nr_locked ? NULL : swaplab_pager_wait,
					   swaplab_reclaim_unevictable);
	if (!nr_isolated && others)
		rc->busy++;

	list_for_each_entry_safe(f, tmp, &isolated, lru) {
		list_del_init(&f->lru);
		if (WARN_ON_ONCE(rc->nr_locked == rc->max))
			swaplab_reclaim_keep(rc, f);
		else if (swaplab_reclaim_lock(rc, f))
			rc->locked[rc->nr_locked++] = f;
	}
	return nr_isolated;
}

/*
 * Unmap the pass's locked victims, sorted into runs, and sort them out:
 * the clean ones leave now, the dirty ones wait in @rc for the write.
 */
static void swaplab_reclaim_unmap_all(struct swaplab_reclaim *rc)
{
	unsigned int i;

	if (!rc->nr_locked)
		return;
	sort(rc->locked, rc->nr_locked, sizeof(*rc->locked),
	     swaplab_reclaim_cmp, NULL);
	if (unlikely(READ_ONCE(swaplab_reclaim_delay_ms)))
		msleep(READ_ONCE(swaplab_reclaim_delay_ms));
	swaplab_reclaim_unmap(rc->locked, rc->nr_locked);
	for (i = 0; i < rc->nr_locked; i++)
		swaplab_reclaim_one(rc, rc->locked[i]);
	rc->nr_locked = 0;
}

/* swaplab_reclaim(), taking @from's pages under local if not NULL. */
static unsigned int __swaplab_reclaim(struct swaplab_proc *from,
				      unsigned int nr, bool *busy)
{
	struct swaplab_region *regions[SWAPLAB_RECLAIM_BATCH];
	struct swaplab_frame *locked[SWAPLAB_RECLAIM_BATCH];
	struct swaplab_frame *dirty[SWAPLAB_RECLAIM_BATCH];
	struct page *pages[SWAPLAB_RECLAIM_BATCH];
	struct swaplab_reclaim rc = {
		.putback = LIST_HEAD_INIT(rc.putback),
		.unevictable = LIST_HEAD_INIT(rc.unevictable),
		.max = SWAPLAB_RECLAIM_BATCH,
		.locked = locked,
		.regions = regions,
		.dirty = dirty,
		.pages = pages,
		.from = from,
	};
	unsigned int i, want, isolated = 0;
	void **area = NULL;
	bool others;

	nr = min_t(unsigned int, nr, SWAPLAB_IO_MAX);
	/* Reclaim must not recurse into the I/O it is there to free. */
	if (nr > SWAPLAB_RECLAIM_BATCH)
		area = kmalloc_array(4 * nr, sizeof(void *),
				     GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN);
	if (area) {
		rc.max = nr;
		rc.regions = (struct swaplab_region **)area;
		rc.dirty = (struct swaplab_frame **)(area + nr);
		rc.pages = (struct page **)(area + 2 * nr);
		rc.locked = (struct swaplab_frame **)(area + 3 * nr);
	}
	nr = min(nr, rc.max);

	others = atomic_inc_return(&swaplab_reclaimers) > 1;
	swaplab_core_policy_name(rc.policy);
	do {
		want = min_t(unsigned int, nr - isolated,
			     SWAPLAB_RECLAIM_BATCH);
		i = swaplab_reclaim_batch(&rc, want, others);
		isolated += i;
	} while (i == want && isolated < nr);
	swaplab_reclaim_unmap_all(&rc);
	if (rc.nr_dirty)
		swaplab_reclaim_write(&rc);

	swaplab_core_putback(&rc.putback);
	swaplab_core_park(&rc.unevictable);
	for (i = 0; i < rc.nr_regions; i++)
		swaplab_region_put_async(rc.regions[i]);
	atomic_dec(&swaplab_reclaimers);
	kfree(area);
	*busy = rc.busy;
	return rc.freed;
}

/**
 * swaplab_reclaim() - evict up to @nr pages
 * @nr: pages wanted: at most %SWAPLAB_RECLAIM_BATCH are taken from the
 *	policy at a time, and at most %SWAPLAB_IO_MAX in all, whose dirty
 *	pages are written together; one batch if the arrays for more
 *	cannot be had at once
 * @busy: set when the pass was held up only for the moment: a victim was
 *	locked by a fault or another reclaimer, or the policy had no
 *	victim to give while another thread's pass had them isolated. Such
 *	a pass is no sign that nothing can be freed; one that frees nothing
 *	and is not busy is (every page pinned, mlocked or held by another
 *	user, the store full or failing).
 *
 * Harvests the reference bits and ages (as the policy needs), asks the
 * policy for victims and evicts those it can, batch after batch.
 *
 * Context: process context, sleeps (page locks, I/O). No page lock held.
 * Return: the number of frames freed.
 */
unsigned int swaplab_reclaim(unsigned int nr, bool *busy)
{
	return __swaplab_reclaim(NULL, nr, busy);
}

/**
 * swaplab_reclaim_from() - evict up to @nr of one process's pages
 * @p: the process, held by the caller; under allocation=global, any
 *	process's pages are taken, as by swaplab_reclaim()
 * @nr: pages wanted, as for swaplab_reclaim()
 * @busy: as for swaplab_reclaim()
 *
 * For a fault at its process's allocation, which replaces one of the
 * process's own pages (local replacement).
 *
 * Context: process context, sleeps (page locks, I/O). No page lock held.
 * Return: the number of frames freed.
 */
unsigned int swaplab_reclaim_from(struct swaplab_proc *p, unsigned int nr,
				  bool *busy)
{
	return __swaplab_reclaim(p, nr, busy);
}
