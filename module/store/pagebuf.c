// SPDX-License-Identifier: GPL-2.0
/*
 * Page buffering: free frames that still remember their last page.
 *
 * With the knob page_buffering on, a page that reclaim evicts with a valid
 * copy in a swap slot is not freed at once. It waits in a pool, oldest
 * eviction first, while its frame of the budget counts as free. A fault
 * on it before that frame is needed again copies it back with no I/O: a
 * minor fault, as a hit in the kernel's swap cache is. So the frames the
 * page daemon keeps free, and those a batch of evictions frees at once,
 * hold pages that may be used again instead of nothing. This is the
 * textbook's page-buffering algorithm (VAX/VMS's free page list).
 *
 * The pool never holds more pages than the budget has free frames: taking
 * a frame (swaplab_frames_get()) drops the oldest pages past that, and so
 * does lowering the budget.
 *
 * A page in the pool always equals its slot's copy on the store. It
 * enters while reclaim holds it locked and it is still in its region's
 * table, so nothing can read or free the slot before it is in; and it
 * leaves when the slot is freed (swaplab_swap_slot_free()), before the slot
 * can be allocated and written again. A slot is in the pool at most once.
 *
 * Only reclaim's evictions to the store enter, never a page the external
 * pager or the compressed tier keeps.
 *
 * Locking: the index's xa_lock protects the index, the list and the
 * count; swaplab_pagebuf_nr is also read without it, as a hint.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "store/pagebuf.h"
#include "lib/stat.h"

/**
 * struct swaplab_pagebuf_entry - a page waiting in the pool
 * @list: position in swaplab_pagebuf_list, oldest first
 * @slot: the slot whose copy the page is
 * @page: the page, with the pool's reference
 */
struct swaplab_pagebuf_entry {
	struct list_head list;
	unsigned long slot;
	struct page *page;
};

/* Entries by slot; its xa_lock protects the two below as well. */
static DEFINE_XARRAY(swaplab_pagebuf_index);
static LIST_HEAD(swaplab_pagebuf_list);
static unsigned long swaplab_pagebuf_nr;
/*
 * The knob: a single word, READ_ONCE()/WRITE_ONCE(). On by default: the
 * stock kernel keeps what it wrote out in its swap cache the same way.
 */
static bool swaplab_pagebuf_on = true;

/* Unlink an entry, under the lock; the caller frees it and its page. */
static void swaplab_pagebuf_unlink(struct swaplab_pagebuf_entry *e)
{
	lockdep_assert_held(&swaplab_pagebuf_index.xa_lock);
	__xa_erase(&swaplab_pagebuf_index, e->slot);
	list_del(&e->list);
	WRITE_ONCE(swaplab_pagebuf_nr, swaplab_pagebuf_nr - 1);
}

static void swaplab_pagebuf_free(struct swaplab_pagebuf_entry *e)
{
	put_page(e->page);
	kfree(e);
}

/**
 * swaplab_pagebuf_add() - keep an evicted page in the pool
 * @slot: the slot on the store that holds a valid copy of @page
 * @page: the page, locked by reclaim and still in its region's table;
 *	the pool takes a reference of its own
 *
 * Nothing happens with the knob off, or when no memory can be had for
 * the entry without waiting: the page is then freed as before.
 *
 * Context: process context, no spinlock held.
 */
void swaplab_pagebuf_add(unsigned long slot, struct page *page)
{
	struct swaplab_pagebuf_entry *e, *old;

	if (!READ_ONCE(swaplab_pagebuf_on))
		return;
	e = kmalloc(sizeof(*e), GFP_NOWAIT | __GFP_NOWARN);
	if (!e)
		return;
	get_page(page);
	e->slot = slot;
	e->page = page;
	xa_lock(&swaplab_pagebuf_index);
	old = __xa_store(&swaplab_pagebuf_index, slot, e,
			 GFP_NOWAIT | __GFP_NOWARN);
	if (xa_is_err(old)) {
		xa_unlock(&swaplab_pagebuf_index);
		swaplab_pagebuf_free(e);
		return;
	}
	/* Cannot be: the slot left the pool when its page was read. */
	if (WARN_ON_ONCE(old)) {
		list_del(&old->list);
		swaplab_pagebuf_nr--;
	}
	list_add_tail(&e->list, &swaplab_pagebuf_list);
	WRITE_ONCE(swaplab_pagebuf_nr, swaplab_pagebuf_nr + 1);
	xa_unlock(&swaplab_pagebuf_index);
	if (old)
		swaplab_pagebuf_free(old);
}

/* Take @slot's entry out of the pool; NULL if it is not there. */
static struct swaplab_pagebuf_entry *swaplab_pagebuf_remove(unsigned long slot)
{
	struct swaplab_pagebuf_entry *e;

	if (!READ_ONCE(swaplab_pagebuf_nr))
		return NULL;
	xa_lock(&swaplab_pagebuf_index);
	e = xa_load(&swaplab_pagebuf_index, slot);
	if (e)
		swaplab_pagebuf_unlink(e);
	xa_unlock(&swaplab_pagebuf_index);
	return e;
}

/**
 * swaplab_pagebuf_holds() - is a slot's page in the pool?
 * @slot: the slot
 *
 * Context: any; lock-free (RCU).
 * Return: true if it was there when looked at.
 */
bool swaplab_pagebuf_holds(unsigned long slot)
{
	return READ_ONCE(swaplab_pagebuf_nr) &&
	       xa_load(&swaplab_pagebuf_index, slot);
}

/**
 * swaplab_pagebuf_take() - take a slot's page out of the pool
 * @slot: the slot a fault is about to read
 *
 * Called before the fault takes its frame, so that the page is not the
 * one that frame's taking would drop.
 *
 * Context: process context.
 * Return: the page, with a reference the caller must put, or NULL when
 * the pool does not hold @slot.
 */
struct page *swaplab_pagebuf_take(unsigned long slot)
{
	struct swaplab_pagebuf_entry *e = swaplab_pagebuf_remove(slot);
	struct page *page;

	if (!e)
		return NULL;
	page = e->page;
	kfree(e);
	return page;
}

/**
 * swaplab_pagebuf_forget() - the slot is freed: drop its page, if any
 * @slot: the slot
 *
 * Context: any process context; called before the slot may be
 * allocated again.
 */
void swaplab_pagebuf_forget(unsigned long slot)
{
	struct swaplab_pagebuf_entry *e = swaplab_pagebuf_remove(slot);

	if (e)
		swaplab_pagebuf_free(e);
}

/**
 * swaplab_pagebuf_trim() - drop the oldest pages past a number
 * @keep: pages the pool may keep: the budget's free frames
 *
 * Context: any process context, no spinlock held; lock-free when the pool
 * is within @keep.
 */
void swaplab_pagebuf_trim(unsigned long keep)
{
	struct swaplab_pagebuf_entry *e, *tmp;
	LIST_HEAD(drop);
	unsigned long n = 0;

	if (READ_ONCE(swaplab_pagebuf_nr) <= keep)
		return;
	xa_lock(&swaplab_pagebuf_index);
	while (swaplab_pagebuf_nr > keep) {
		e = list_first_entry(&swaplab_pagebuf_list,
				     struct swaplab_pagebuf_entry, list);
		swaplab_pagebuf_unlink(e);
		list_add_tail(&e->list, &drop);
		n++;
	}
	xa_unlock(&swaplab_pagebuf_index);
	list_for_each_entry_safe(e, tmp, &drop, list)
		swaplab_pagebuf_free(e);
	swaplab_count_events(SWAPLAB_PAGEBUF_DROPS, n);
}

/**
 * swaplab_pagebuf_pages() - pages in the pool
 *
 * Return: the number of evicted pages the pool holds now.
 */
unsigned long swaplab_pagebuf_pages(void)
{
	return READ_ONCE(swaplab_pagebuf_nr);
}

/**
 * swaplab_pagebuf_enabled() - the page_buffering knob
 *
 * Return: true if evicted pages are kept in the pool.
 */
bool swaplab_pagebuf_enabled(void)
{
	return READ_ONCE(swaplab_pagebuf_on);
}

/**
 * swaplab_pagebuf_enable() - set the page_buffering knob
 * @on: keep evicted pages from now on; off empties the pool
 *
 * Context: process context.
 */
void swaplab_pagebuf_enable(bool on)
{
	WRITE_ONCE(swaplab_pagebuf_on, on);
	if (!on)
		swaplab_pagebuf_trim(0);
}
