// SPDX-License-Identifier: GPL-2.0
/*
 * Regions of files whose file shrinks under them (file.c gives the rest).
 *
 * A file that shrinks while a region of it is mapped is seen at once: an
 * fsnotify mark on the file's inode, one a region in one group of the
 * module's, hears every FS_MODIFY (a truncation is one, as are writes
 * and hole punches), synchronously in the task that made it, before its
 * system call returns. The region's pages wholly past the new end are
 * unmapped from every process, so their next access faults, and gets
 * SIGBUS, and what the region kept of them (their contents, a private
 * page's copy in the store) is dropped; the bytes past the end in the
 * page that holds it are zeroed, as truncation zeroes the page cache's.
 * The mark's handler runs with the file's own locks held (i_rwsem, for
 * a truncation), so it never waits for a page lock, which a fault or a
 * write-back holds while it waits for those: a page it cannot lock at
 * once is marked (%SWAPLAB_FRAME_CUT), and whoever locks it next empties
 * it whatever the end of the file is by then: the fault or write-back
 * that held it, reclaim, or a work item that waits for its lock after
 * the truncation. A fault that raced with the truncation also looks at
 * the end of the file again, the page locked, before it lets the page
 * be mapped (swaplab_filewatch_moved()).
 *
 * Built with CONFIG_FSNOTIFY; without it (file.h's stubs) a truncation is
 * seen only at each page's next fault.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "alloc/proc.h"
#include "api/policy.h"
#include "mm/file.h"
#include "store/compress.h"
#include "store/shadow.h"
#include "store/swap.h"

/**
 * struct swaplab_filewatch - a region's fsnotify mark on its file's inode
 * @mark: the mark, in swaplab_filewatch_group
 * @lock: protects @region; the handler holds it while it works on the
 *	region, the region's release while it lets go
 * @region: the region; NULL once it is being released
 * @size: the file's size when last heard of, read and set under @lock,
 *	so that the sizes seen follow each other as the file's did
 * @work: cuts, waiting for their page locks, the pages the handler could
 *	not lock at once (marked %SWAPLAB_FRAME_CUT); the region's release
 *	runs it first, and sends no page still marked home
 */
struct swaplab_filewatch {
	struct fsnotify_mark mark;
	struct mutex lock;	/* @region, @size */
	struct swaplab_region *region;
	loff_t size;
	struct work_struct work;
};

/*
 * The mark in a region's table of the indexes whose frames a truncation
 * marked %SWAPLAB_FRAME_CUT, set with the bit, under the table's lock,
 * so that the work item visits those alone. A hint: the bit is what
 * counts, and whoever clears it leaves the mark to the work item.
 */
#define SWAPLAB_FILEWATCH_MARKED	XA_MARK_1

/* The module's one group of marks, several a file (FSNOTIFY_GROUP_DUPS). */
static struct fsnotify_group *swaplab_filewatch_group;
/* Where the watches' work runs: drained before the module goes. */
static struct workqueue_struct *swaplab_filewatch_wq;

/* The first page of @region wholly past the end of its file. */
static pgoff_t swaplab_filewatch_end_page(const struct swaplab_region *region)
{
	loff_t size = i_size_read(file_inode(region->file));

	if (size <= region->file_pos)
		return 0;
	return min_t(u64, DIV_ROUND_UP_ULL(size - region->file_pos, PAGE_SIZE),
		     region->max_pages);
}

/*
 * The page of @region's frame at @index, with a reference; or NULL. With
 * @marked, only a frame a truncation marked (%SWAPLAB_FRAME_CUT).
 */
static struct page *swaplab_filewatch_frame_page(struct swaplab_region *region,
						 pgoff_t index, bool marked)
{
	struct page *page = NULL;
	struct swaplab_frame *f;

	xa_lock(&region->pages);
	f = xa_load(&region->pages, index);
	if (f && !xa_is_value(f) &&
	    (!marked || test_bit(SWAPLAB_FRAME_CUT, &f->flags))) {
		page = f->page;
		get_page(page);
	}
	xa_unlock(&region->pages);
	return page;
}

/*
 * Zero the bytes past the end of the file in the page that holds it, if
 * it is resident; with @wait, waiting for its lock, else only if it can
 * be had at once. Return: false if it is resident and was not locked.
 */
static bool swaplab_filewatch_zero_tail(struct swaplab_region *region, bool wait)
{
	loff_t size = i_size_read(file_inode(region->file));
	loff_t off = size - region->file_pos;
	struct page *page;
	pgoff_t index;

	if (off <= 0 || !offset_in_page(off))
		return true;
	index = off >> PAGE_SHIFT;
	if (index >= region->max_pages)
		return true;
	page = swaplab_filewatch_frame_page(region, index, false);
	if (!page)
		return true;
	if (wait) {
		lock_page(page);
	} else if (!trylock_page(page)) {
		put_page(page);
		return false;
	}
	/* Still the region's page there, still holding the end. */
	if (page_private(page) &&
	    xa_load(&region->pages, index) == (void *)page_private(page) &&
	    i_size_read(file_inode(region->file)) == size)
		zero_user_segment(page, offset_in_page(off), PAGE_SIZE);
	unlock_page(page);
	put_page(page);
	return true;
}

/*
 * A page of @region wholly past the end of its file, out of memory at
 * @entry: what the region kept of it (a private page's slot or
 * compressed copy, a shadow) goes, as truncation drops the kernel's
 * copy-on-write pages. Its next fault gets SIGBUS, or, if the file grows
 * again, reads the file. No page lock: the entry has no frame.
 */
static void swaplab_filewatch_cut_entry(struct swaplab_region *region,
					pgoff_t index, void *entry)
{
	unsigned long slot = swaplab_shadow_slot(entry);

	if (xa_cmpxchg(&region->pages, index, entry, NULL, 0) != entry)
		return;
	swaplab_proc_entry_changed(region, entry, NULL);
	if (swaplab_slot_in_pool(slot)) {
		swaplab_compress_drop(slot);
	} else if (swaplab_slot_on_store(slot)) {
		atomic_long_dec(&region->nr_swapped);
		swaplab_swap_slot_free(slot);
	} else {
		swaplab_shadow_drop(entry);
	}
}

/*
 * A resident page of @region wholly past the end of its file, locked:
 * unmapped again (a fault that had it locked to map it is undone), and
 * emptied, its contents zeroes, clean, its slot's copy dropped, so that
 * if the file grows again it reads as the file's new, zeroed, bytes and
 * never as the old ones.
 */
static void swaplab_filewatch_cut_page(struct swaplab_region *region,
				       pgoff_t index, struct page *page)
{
	struct swaplab_frame *f = (struct swaplab_frame *)page_private(page);

	/* Evicted or freed meanwhile (its page's private data is then 0). */
	if (!f || xa_load(&region->pages, index) != f)
		return;
	clear_bit(SWAPLAB_FRAME_CUT, &f->flags);
	unmap_mapping_pages(region->inode->i_mapping, index, 1, false);
	clear_highpage(page);
	folio_clear_dirty(page_folio(page));
	if (f->slot != SWAPLAB_NO_SLOT) {
		swaplab_swap_slot_free(f->slot);
		f->slot = SWAPLAB_NO_SLOT;
	}
}

/*
 * A truncation could not lock the page at @index: mark its frame, under
 * the table's lock, which keeps the frame from being freed meanwhile.
 * An entry out of memory by now is cut at once. Return: true if a frame
 * was marked.
 */
static bool swaplab_filewatch_mark(struct swaplab_region *region,
				   pgoff_t index)
{
	struct swaplab_frame *f;
	void *entry;

	xa_lock(&region->pages);
	entry = xa_load(&region->pages, index);
	f = entry;
	if (f && !xa_is_value(entry)) {
		set_bit(SWAPLAB_FRAME_CUT, &f->flags);
		__xa_set_mark(&region->pages, index, SWAPLAB_FILEWATCH_MARKED);
	}
	xa_unlock(&region->pages);
	if (xa_is_value(entry)) {
		swaplab_filewatch_cut_entry(region, index, entry);
		return false;
	}
	return !!f;
}

/*
 * Cut @region's pages past the end of its file: the page tables first,
 * then each page (swaplab_filewatch_cut_entry(), swaplab_filewatch_cut_page()); with
 * @wait, waiting for the resident pages' locks, else only those that can
 * be had at once. Return: false if one could not be locked.
 */
static bool swaplab_filewatch_cut(struct swaplab_region *region, bool wait)
{
	pgoff_t first = swaplab_filewatch_end_page(region), index;
	struct address_space *mapping = region->inode->i_mapping;
	bool all = swaplab_filewatch_zero_tail(region, wait);
	void *entry;

	if (first >= region->max_pages)
		return all;
	/*
	 * A fault that looked at the end before this looks again. The new
	 * end is seen before the count (swaplab_filewatch_cuts() reads them the
	 * other way round).
	 */
	smp_mb__before_atomic();
	atomic_inc(&region->file_cuts);
	/* And the count before any page is unmapped. */
	smp_mb__after_atomic();
	unmap_mapping_pages(mapping, first, region->max_pages - first, false);
	xa_for_each_range(&region->pages, index, entry, first,
			  region->max_pages - 1) {
		struct page *page;

		if (xa_is_value(entry)) {
			swaplab_filewatch_cut_entry(region, index, entry);
			continue;
		}
		page = swaplab_filewatch_frame_page(region, index, false);
		if (!page)
			continue;
		if (wait) {
			lock_page(page);
		} else if (!trylock_page(page)) {
			put_page(page);
			if (swaplab_filewatch_mark(region, index))
				all = false;
			continue;
		}
		swaplab_filewatch_cut_page(region, index, page);
		unlock_page(page);
		put_page(page);
		cond_resched();
	}
	return all;
}

/**
 * swaplab_filewatch_cut_marked() - empty a page that a truncation found
 *	locked, if it did
 * @region: a region of a file
 * @index: the page
 * @page: its page, locked
 *
 * Whoever locks a page next after a truncation marked it (a fault before
 * it maps it, page_mkwrite, a write-back, the work item) calls this
 * first: the page is emptied whatever the end of the file is now, so
 * that a file grown again meanwhile never shows the old bytes through
 * it. The truncation unmapped the page everywhere before it marked it,
 * so a page mapped now was mapped again by a fault that had looked for
 * the mark before it was set, and may have been written since: it keeps
 * its contents (Documentation/admin-guide/swaplab/regions.rst), as no
 * write may be lost.
 *
 * Context: @page locked.
 */
void swaplab_filewatch_cut_marked(struct swaplab_region *region,
				  pgoff_t index, struct page *page)
{
	struct swaplab_frame *f = (struct swaplab_frame *)page_private(page);

	if (f && test_and_clear_bit(SWAPLAB_FRAME_CUT, &f->flags) &&
	    !page_mapped(page))
		swaplab_filewatch_cut_page(region, index, page);
}

/*
 * The marked pages of @region, waiting for their locks; those that the
 * fault or write-back that held them emptied are unmarked by now. Each
 * index's mark in the table goes before its frame is looked at: a frame
 * marked again after that is the next run's (its truncation queues it).
 */
static void swaplab_filewatch_cut_all_marked(struct swaplab_region *region)
{
	unsigned long index;
	struct page *page;
	void *entry;

	xa_for_each_marked(&region->pages, index, entry,
			   SWAPLAB_FILEWATCH_MARKED) {
		xa_clear_mark(&region->pages, index, SWAPLAB_FILEWATCH_MARKED);
		page = swaplab_filewatch_frame_page(region, index, true);
		if (!page)
			continue;
		lock_page(page);
		if (xa_load(&region->pages, index) ==
		    (void *)page_private(page))
			swaplab_filewatch_cut_marked(region, index, page);
		unlock_page(page);
		put_page(page);
		cond_resched();
	}
}

/*
 * The pages the handler could not lock, after the truncation, waiting for
 * their locks: those past the end of the file as it is now, and those it
 * marked, wherever the end is now; not under the watch's lock, which the next truncation's
 * handler takes with the file's locks held, while a fault that holds a
 * page lock may wait for those. The region lives meanwhile: its release
 * waits for this work (swaplab_filewatch_remove()).
 */
static void swaplab_filewatch_cut_work(struct work_struct *work)
{
	struct swaplab_filewatch *w =
		container_of(work, struct swaplab_filewatch, work);
	struct swaplab_region *region;

	mutex_lock(&w->lock);
	region = w->region;
	mutex_unlock(&w->lock);
	if (region) {
		swaplab_filewatch_cut(region, true);
		swaplab_filewatch_cut_all_marked(region);
	}
}

/*
 * Does @region keep anything of a page wholly past the end of its file?
 * Only after a truncation, which may have gone unseen as a shrink: an
 * append whose event has not come yet leaves @size behind the file's.
 */
static bool swaplab_filewatch_beyond(struct swaplab_region *region)
{
	unsigned long first = swaplab_filewatch_end_page(region);

	return first < region->max_pages &&
	       xa_find(&region->pages, &first, region->max_pages - 1,
		       XA_PRESENT);
}

/*
 * FS_MODIFY on a region's file: a truncation, a write or a hole punched,
 * in the task that made it, the file's locks held. Only a file that
 * shrank has anything to do, and only in a region that reaches past its
 * new end (swaplab_filewatch_cut() finds that out); a region that keeps
 * pages past the end has, whatever the sizes seen.
 */
static int swaplab_filewatch_event(struct fsnotify_mark *mark, u32 mask,
				   struct inode *inode, struct inode *dir,
				   const struct qstr *name, u32 cookie)
{
	struct swaplab_filewatch *w =
		container_of(mark, struct swaplab_filewatch, mark);

	bool shrank;
	loff_t size;

	mutex_lock(&w->lock);
	size = i_size_read(inode);
	shrank = size < w->size;
	w->size = size;
	if (w->region &&
	    (shrank || swaplab_filewatch_beyond(w->region)) &&
	    !swaplab_filewatch_cut(w->region, false))
		queue_work(swaplab_filewatch_wq, &w->work);
	mutex_unlock(&w->lock);
	return 0;
}

static void swaplab_filewatch_free_mark(struct fsnotify_mark *mark)
{
	struct swaplab_filewatch *w =
		container_of(mark, struct swaplab_filewatch, mark);

	mutex_destroy(&w->lock);
	kfree(w);
}

static const struct fsnotify_ops swaplab_filewatch_ops = {
	.handle_inode_event	= swaplab_filewatch_event,
	.free_mark		= swaplab_filewatch_free_mark,
};

/**
 * swaplab_filewatch_init() - set up what regions of files need
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_filewatch_init(void)
{
	swaplab_filewatch_wq = alloc_workqueue("swaplab_file", 0, 0);
	if (!swaplab_filewatch_wq)
		return -ENOMEM;
	swaplab_filewatch_group = fsnotify_alloc_group(&swaplab_filewatch_ops,
						       FSNOTIFY_GROUP_DUPS);
	if (IS_ERR(swaplab_filewatch_group)) {
		destroy_workqueue(swaplab_filewatch_wq);
		return PTR_ERR(swaplab_filewatch_group);
	}
	return 0;
}

/**
 * swaplab_filewatch_exit() - tear it down
 *
 * Context: module exit, before the count of regions is checked: a work
 * still queued holds a region, which its end releases; then no region
 * is left, so no mark either but those on their way to being freed,
 * which this waits for.
 */
void swaplab_filewatch_exit(void)
{
	destroy_workqueue(swaplab_filewatch_wq);
	fsnotify_wait_marks_destroyed();
	fsnotify_put_group(swaplab_filewatch_group);
}

/**
 * swaplab_filewatch_add() - hear of changes to a new region's file
 * @region: a region of a file, that no one can map yet
 *
 * Context: process context.
 * Return: 0 or a negative errno (the region is then to be put).
 */
int swaplab_filewatch_add(struct swaplab_region *region)
{
	struct swaplab_filewatch *w;
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	mutex_init(&w->lock);
	INIT_WORK(&w->work, swaplab_filewatch_cut_work);
	w->region = region;
	w->size = i_size_read(file_inode(region->file));
	fsnotify_init_mark(&w->mark, swaplab_filewatch_group);
	w->mark.mask = FS_MODIFY;
	err = fsnotify_add_inode_mark(&w->mark, file_inode(region->file), 0);
	if (err) {
		/* Its last reference: freed by free_mark. */
		fsnotify_put_mark(&w->mark);
		return err;
	}
	region->file_watch = w;
	return 0;
}

/**
 * swaplab_filewatch_remove() - stop hearing of a region's file
 * @region: a region of a file being released
 *
 * No handler or work uses the region after this. A work queued is run
 * first, so that the pages a truncation marked are emptied before the
 * release sends the region's pages home.
 *
 * Context: process context, no page lock held (the work waits for them).
 */
void swaplab_filewatch_remove(struct swaplab_region *region)
{
	struct swaplab_filewatch *w = region->file_watch;

	if (!w)
		return;
	flush_work(&w->work);
	mutex_lock(&w->lock);
	w->region = NULL;
	mutex_unlock(&w->lock);
	cancel_work_sync(&w->work);
	fsnotify_destroy_mark(&w->mark, swaplab_filewatch_group);
	fsnotify_put_mark(&w->mark);
	region->file_watch = NULL;
}

/**
 * swaplab_filewatch_cuts() - how many times a region's file was seen shrinking
 *	past the region's end
 * @region: a region of a file
 *
 * Read before a fault looks at the end of the file, and again with the
 * page locked, for swaplab_filewatch_moved().
 *
 * Return: the count.
 */
unsigned int swaplab_filewatch_cuts(const struct swaplab_region *region)
{
	unsigned int cuts = atomic_read(&region->file_cuts);

	/*
	 * The count, then the end of the file: swaplab_filewatch_cut() writes
	 * them the other way round, so a count that did not move means an
	 * end not yet cut.
	 */
	smp_rmb();
	return cuts;
}

/**
 * swaplab_filewatch_moved() - did the end of the file pass a page while a
 *	fault brought it in?
 * @region: a region of a file
 * @index: the page, locked by the fault
 * @cuts: swaplab_filewatch_cuts() before the fault looked at the end
 *
 * A truncation between the fault's first look and now may have unmapped
 * the page's range before the fault maps the page: the fault must then
 * not map it.
 *
 * Return: true if the page lies past the end now and the file shrank
 * meanwhile (SIGBUS).
 */
bool swaplab_filewatch_moved(const struct swaplab_region *region, pgoff_t index,
			     unsigned int cuts)
{
	return swaplab_filewatch_cuts(region) != cuts &&
	       swaplab_file_past_eof(region, index);
}

