// SPDX-License-Identifier: GPL-2.0
/*
 * Page data from the external pager: the textbook's figure of Mach's
 * external pager whole, where the pager is the backing store too.
 *
 * A pager attached with SWAPLAB_PAGER_DATA claims regions
 * (SWAPLAB_IOC_PAGER_CLAIM). Then, for a claimed region:
 *  - page-out: reclaim copies a dirty page into one of a few kernel
 *    buffers, the page's table entry names the buffer (SWAPLAB_SLOT_OUT),
 *    and the pager hears DATA_RETURN. It copies the page out with
 *    SWAPLAB_PAGER_IOC_TAKE (Mach's data_return), and the entry names the
 *    pager (SWAPLAB_SLOT_PAGER). A buffer is the pager's it was filled
 *    for (its @gen): a later pager's TAKE of it fails with -ESRCH, as for
 *    a buffer that is gone, and a later pager hears no DATA_RETURN or
 *    DATA_DISCARD of it, for it never claimed the page. No buffer free, or no room in the
 *    pager's ring for DATA_RETURN: the page goes to the store as any
 *    other; reclaim never waits for the pager. A clean page
 *    the pager holds a copy of leaves with no copy at all (DATA_KEPT);
 *  - page-in: a fault on a page the pager holds inserts its new frame
 *    locked, as a swap-in does, registers a request and sends
 *    DATA_REQUEST; the pager answers with SWAPLAB_PAGER_IOC_SUPPLY (Mach's
 *    data_supply), and the fault maps the page. It waits at most the
 *    pager's data timeout, killably, and then fails with SIGBUS: the page
 *    stays with the pager for the next try. A fault on a page still in a
 *    buffer copies it back with no round trip, as from the swap cache.
 *  - the pager's death: requests waiting fail (SIGBUS); pages in buffers
 *    are written to the store, and those no slot takes (no store, a full
 *    one, an I/O error) stay in their buffers, readable: a fault copies
 *    one back, a discard or the region's end frees it, and each data
 *    pager's attach and detach tries the store again. Pages only the
 *    pager held are lost: their entries say so (SWAPLAB_SLOT_LOST), a
 *    fault on one gets SIGBUS, and SWAPLAB_IOC_DISCARD makes it read as
 *    zeroes again. Resident pages it had copies of are marked dirty, to
 *    be written to the store. Nothing else changes.
 *  - the pager's own process never waits on itself: its faults on pages
 *    only the pager holds get SIGBUS at once (pager_self).
 *  - coherence, the other half of Mach's interface, for distributed
 *    shared memory: a page supplied with SWAPLAB_PAGER_SUPPLY_RDONLY is
 *    mapped without write permission (%SWAPLAB_FRAME_PAGER_RDONLY), and a
 *    write to it (page_mkwrite, vma.c) sends DATA_UNLOCK and waits as a
 *    page-in does, its page locked, for SWAPLAB_PAGER_IOC_UNLOCK (Mach's
 *    data_unlock), which may replace the contents. The pager takes pages
 *    back with SWAPLAB_IOC_PAGER_LOCK (Mach's lock_request,
 *    mm/coherence.c):
 *    before it waits for a page's lock it sets
 *    %SWAPLAB_FRAME_PAGER_LOCKING and revokes the write waiting on the
 *    page, if one is (swaplab_pagerdata_revoke()); a write that asks
 *    after the bit is set finds it and faults again. A read-only page
 *    leaves memory only to the pager, keeping the bit in its buffer
 *    until the pager takes it (reclaim.c keeps it resident otherwise).
 *
 * This file keeps no event ring: its callers send the events
 * (swaplab_pager_emit_page()), since the pager's file is above it.
 *
 * Locking:
 *  - swaplab_pagerdata_mutex protects the list of claimed regions, and
 *    serialises claims, detach and regions going away;
 *  - swaplab_pagerdata_rwsem protects each region's @pager_claimed and
 *    the frames' %SWAPLAB_FRAME_PAGER_COPY and _RDONLY bits against a
 *    detach: taken for reading by reclaim while it decides where a page
 *    goes and stores its entry, and by a fault that registers a request
 *    or sets a bit; for writing by claims and detach. The pager's own
 *    calls (UNLOCK's waiter aside, SWAPLAB_IOC_PAGER_LOCK) change the
 *    bits of pages they hold locked without it: the pager's file, which
 *    they hold, keeps it attached. Inside page locks; outside everything
 *    below;
 *  - each buffer's mutex orders whoever moves its page: TAKE (copying to
 *    the pager), a fault (copying back), attach and detach or an unsent
 *    DATA_RETURN (writing to the store), a discard or a region going
 *    away. Whoever replaces the entry that
 *    names a buffer owns it, and frees it under the mutex;
 *  - swaplab_pagerdata_buf_lock (a spinlock) protects the buffers' @used
 *    and @seq, to find and take a free one;
 *  - the requests' xarray lock protects @live and every request's state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "pager/pagerdata.h"
#include "api/policy.h"
#include "alloc/proc.h"
#include "api/region.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "uapi/swaplab.h"

/* Pages on their way to the pager at most: the module's own memory. */
#define SWAPLAB_PAGERDATA_BUFS	64

/**
 * struct swaplab_pagerdata_buf - a page on its way to the pager
 * @lock: held while the page is moved out of the buffer (see above)
 * @used: the buffer holds a page (under the buffer spinlock)
 * @seq: the DATA_RETURN's sequence number (under the buffer spinlock)
 * @gen: the pager the page went to (swaplab_pagerdata_gen), the only one
 *	that may TAKE it (under the buffer spinlock)
 * @page: the copy
 * @region: the page's region; valid while @used: a region going away
 *	frees its buffers first
 * @index: the page's index
 * @rdonly: the page was read-only (%SWAPLAB_FRAME_PAGER_RDONLY): it stays
 *	in the buffer rather than go to the store while its pager lives,
 *	and a fault that copies it back keeps it read-only
 */
struct swaplab_pagerdata_buf {
	struct mutex lock;	/* orders moves of @page out of the buffer */
	bool used;
	u32 seq;
	u64 gen;
	struct page *page;
	struct swaplab_region *region;
	pgoff_t index;
	bool rdonly;
};

/* What a fault's request has come to. */
enum {
	REQ_WAITING,
	REQ_SUPPLIED,	/* SUPPLY, or UNLOCK for a write */
	REQ_DEAD,	/* the pager went */
	REQ_REVOKED,	/* a write's: the pager takes the page back */
};

/* What a fault asked for. */
enum {
	REQ_DATA,	/* a page: DATA_REQUEST */
	REQ_UNLOCK,	/* write access to a page: DATA_UNLOCK */
};

/**
 * struct swaplab_pagerdata_req - a fault waiting for a page
 * @region: the region's id
 * @index: the page's index
 * @gen: the pager it was sent to (swaplab_pagerdata_gen)
 * @state: REQ_*, under the requests' xarray lock
 * @type: REQ_DATA or REQ_UNLOCK
 * @rdonly: a supplied page is to be mapped read-only (under the lock)
 * @data: the page an answer gave (SUPPLY's; UNLOCK's, or NULL), for the
 *	fault to copy in (under the lock)
 */
struct swaplab_pagerdata_req {
	u64 region;
	pgoff_t index;
	u64 gen;
	int state;
	int type;
	bool rdonly;
	struct page *data;
};

static DEFINE_MUTEX(swaplab_pagerdata_mutex);
static DECLARE_RWSEM(swaplab_pagerdata_rwsem);
static LIST_HEAD(swaplab_pagerdata_regions);	/* under the mutex */

static DEFINE_SPINLOCK(swaplab_pagerdata_buf_lock);
static struct swaplab_pagerdata_buf swaplab_pagerdata_bufs[SWAPLAB_PAGERDATA_BUFS];
static u32 swaplab_pagerdata_buf_seq;		/* under the buffer lock */

/* Faults waiting, by sequence number; its lock guards @live too. */
static DEFINE_XARRAY_ALLOC1(swaplab_pagerdata_reqs);
static u32 swaplab_pagerdata_req_next;
static bool swaplab_pagerdata_live;		/* under the xarray lock */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_pagerdata_wq);

/*
 * The data pager's process, by mm and thread group (its faults never wait,
 * it claims none of its own regions), and timeout; set at attach.
 */
static struct mm_struct *swaplab_pagerdata_mm;
static struct pid *swaplab_pagerdata_tgid;
static unsigned int swaplab_pagerdata_timeout_ms;
/* It claims every new region (the default pager); under the mutex. */
static bool swaplab_pagerdata_all;
/*
 * Which data pager this is, counted from 1 at each attach: a page a dead
 * pager held is not asked of the next one, nor is its buffer taken by it.
 * Written under the rwsem for writing, read under it, or with READ_ONCE()
 * by the pager attached (TAKE) and by whoever only tells it something.
 */
static u64 swaplab_pagerdata_gen;

/**
 * swaplab_pagerdata_init() - set the buffers up
 *
 * Context: module init.
 */
void swaplab_pagerdata_init(void)
{
	unsigned int i;

	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++)
		mutex_init(&swaplab_pagerdata_bufs[i].lock);
}

/* Claim @region; under the mutex. 0, or -EBUSY if it is claimed. */
static int __swaplab_pagerdata_claim(struct swaplab_region *region)
{
	int err = 0;

	lockdep_assert_held(&swaplab_pagerdata_mutex);
	down_write(&swaplab_pagerdata_rwsem);
	if (region->file) {
		/* Its pages are its file's: they have a home already. */
		err = -EOPNOTSUPP;
	} else if (region->pager_claimed) {
		err = -EBUSY;
	} else {
		WRITE_ONCE(region->pager_claimed, true);
		list_add_tail(&region->pager_node, &swaplab_pagerdata_regions);
	}
	up_write(&swaplab_pagerdata_rwsem);
	return err;
}

/**
 * swaplab_pagerdata_region_new() - a region was made
 * @region: the region, complete
 *
 * The default pager claims it, unless its own process made it.
 *
 * Context: process context, the process that made the region.
 */
void swaplab_pagerdata_region_new(struct swaplab_region *region)
{
	mutex_lock(&swaplab_pagerdata_mutex);
	if (swaplab_pagerdata_all &&
	    !swaplab_pagerdata_in_pager(READ_ONCE(swaplab_pagerdata_mm),
					READ_ONCE(swaplab_pagerdata_tgid)))
		__swaplab_pagerdata_claim(region);
	mutex_unlock(&swaplab_pagerdata_mutex);
}

/* Give buffer @b back; under its mutex, by whoever owns its page now. */
static void swaplab_pagerdata_buf_free(struct swaplab_pagerdata_buf *b)
{
	lockdep_assert_held(&b->lock);
	__free_page(b->page);
	b->page = NULL;
	b->region = NULL;
	b->rdonly = false;
	spin_lock(&swaplab_pagerdata_buf_lock);
	b->used = false;
	b->seq = 0;
	b->gen = 0;
	spin_unlock(&swaplab_pagerdata_buf_lock);
}

/*
 * Replace @region's entry at @index if it is still @old; the page lock is
 * not needed: entries that name the pager's data have no frame.
 */
static bool swaplab_pagerdata_replace(struct swaplab_region *region,
				      pgoff_t index, void *old, void *new)
{
	if (xa_cmpxchg(&region->pages, index, old, new, GFP_NOWAIT) != old)
		return false;
	swaplab_proc_entry_changed(region, old, new);
	return true;
}

/* The buffer a slot number %SWAPLAB_SLOT_OUT(i) names; NULL for others. */
static struct swaplab_pagerdata_buf *swaplab_pagerdata_buf_of(unsigned long slot)
{
	if (slot < SWAPLAB_SLOT_OUT(0) ||
	    slot >= SWAPLAB_SLOT_OUT(SWAPLAB_PAGERDATA_BUFS))
		return NULL;
	return &swaplab_pagerdata_bufs[slot - SWAPLAB_SLOT_OUT(0)];
}

/* The entry of @b's page, if it still names @b; NULL if not. */
static void *swaplab_pagerdata_buf_entry(struct swaplab_pagerdata_buf *b)
{
	void *entry = xa_load(&b->region->pages, b->index);

	if (!xa_is_value(entry) ||
	    swaplab_pagerdata_buf_of(swaplab_shadow_slot(entry)) != b)
		return NULL;
	return entry;
}

/*
 * Write the page in buffer @b to the store, and name that slot in the
 * entry: the pager went, or never heard of the page. Where no slot takes
 * it (no store, a full one, an I/O error), the page stays in its buffer,
 * its only copy, for a fault, a TAKE, a discard or the next try. Under
 * the buffer's mutex.
 */
static void swaplab_pagerdata_flush(struct swaplab_pagerdata_buf *b)
{
	struct swaplab_region *region = b->region;
	unsigned long slot;
	unsigned int got;
	void *entry;

	lockdep_assert_held(&b->lock);
	entry = swaplab_pagerdata_buf_entry(b);
	if (!entry)
		return;	/* a fault took it: it frees the buffer */
	slot = swaplab_swap_slot_alloc(1, &got);
	if (slot != SWAPLAB_NO_SLOT && swaplab_swap_io(&b->page, 1, slot, true)) {
		swaplab_swap_slot_free(slot);
		slot = SWAPLAB_NO_SLOT;
	}
	if (slot == SWAPLAB_NO_SLOT)
		return;
	if (!swaplab_pagerdata_replace(region, b->index, entry,
				       swaplab_shadow_reslot(entry, slot))) {
		/*
		 * A fault or a discard replaced the entry meanwhile: the
		 * buffer is theirs, and they free it after our mutex.
		 */
		swaplab_swap_slot_free(slot);
		return;
	}
	atomic_long_inc(&region->nr_swapped);
	swaplab_count_event(SWAPLAB_PAGER_DATA_FLUSHED);
	swaplab_pagerdata_buf_free(b);
}

/*
 * Write every page in a buffer to the store, as far as slots take them:
 * no data pager will take them (none is attached, or the one attached
 * never heard of them). Under the mutex.
 */
static void swaplab_pagerdata_flush_all(void)
{
	unsigned int i;

	lockdep_assert_held(&swaplab_pagerdata_mutex);
	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++) {
		struct swaplab_pagerdata_buf *b = &swaplab_pagerdata_bufs[i];

		mutex_lock(&b->lock);
		if (b->page)
			swaplab_pagerdata_flush(b);
		mutex_unlock(&b->lock);
	}
}

/**
 * swaplab_pagerdata_attach() - a pager that keeps page data attached
 * @mm: its process's mm, which must outlive the attachment (the pager
 *	holds an mmgrab())
 * @tgid: its process's thread group, likewise (the pager holds a
 *	reference): the process after an exec
 * @timeout_ms: how long a fault waits for a page
 * @all: it claims every region made from now on but by its own process
 *
 * Pages a pager that went left in buffers, for want of a slot then, are
 * written to the store first if slots take them now.
 *
 * Context: process context; the caller is the only pager. Sleeps (I/O).
 */
void swaplab_pagerdata_attach(struct mm_struct *mm, struct pid *tgid,
			      unsigned int timeout_ms, bool all)
{
	WRITE_ONCE(swaplab_pagerdata_mm, mm);
	WRITE_ONCE(swaplab_pagerdata_tgid, tgid);
	WRITE_ONCE(swaplab_pagerdata_timeout_ms, timeout_ms);
	mutex_lock(&swaplab_pagerdata_mutex);
	swaplab_pagerdata_flush_all();
	down_write(&swaplab_pagerdata_rwsem);
	WRITE_ONCE(swaplab_pagerdata_gen, swaplab_pagerdata_gen + 1);
	swaplab_pagerdata_all = all;
	xa_lock(&swaplab_pagerdata_reqs);
	swaplab_pagerdata_live = true;
	xa_unlock(&swaplab_pagerdata_reqs);
	up_write(&swaplab_pagerdata_rwsem);
	mutex_unlock(&swaplab_pagerdata_mutex);
}

/*
 * The pager went: what it held of @region is lost, the resident pages it
 * had copies of have none now, and those it made read-only are writable
 * again. Under the rwsem for writing.
 */
static void swaplab_pagerdata_forsake(struct swaplab_region *region)
{
	struct swaplab_frame *f;
	unsigned long index;
	void *entry;

	lockdep_assert_held_write(&swaplab_pagerdata_rwsem);
	xa_for_each(&region->pages, index, entry) {
		cond_resched();
		if (xa_is_value(entry)) {
			if (swaplab_shadow_slot(entry) == SWAPLAB_SLOT_PAGER)
				swaplab_pagerdata_replace(region, index, entry,
							  swaplab_shadow_reslot(entry,
										SWAPLAB_SLOT_LOST));
			continue;
		}
		/* Frames are freed under the xarray lock only. */
		xa_lock(&region->pages);
		f = xa_load(&region->pages, index);
		if (f && !xa_is_value(f)) {
			/* No one grants a write any more: it goes on. */
			clear_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
			if (test_and_clear_bit(SWAPLAB_FRAME_PAGER_COPY,
					       &f->flags))
				folio_mark_dirty(page_folio(f->page));
		}
		xa_unlock(&region->pages);
	}
	/* After the dirty marks: swaplab_pagerdata_begin() reads it. */
	smp_store_release(&region->pager_claimed, false);
}

/**
 * swaplab_pagerdata_detach() - the data pager is going
 *
 * Fails the faults waiting for it, writes the pages in buffers to the
 * store (those no slot takes stay in their buffers), marks what only it
 * held lost, and ends every claim.
 *
 * Context: process context, from the pager file's release. Sleeps (I/O).
 */
void swaplab_pagerdata_detach(void)
{
	struct swaplab_pagerdata_req *req;
	struct swaplab_region *region, *tmp;
	unsigned long seq;

	/*
	 * Writer first: no reclaim between deciding that a page goes to
	 * the pager and saying so in its entry, no fault between asking
	 * and marking the page as one the pager has a copy of. Waiting
	 * faults hold no lock of ours.
	 */
	mutex_lock(&swaplab_pagerdata_mutex);
	down_write(&swaplab_pagerdata_rwsem);
	xa_lock(&swaplab_pagerdata_reqs);
	swaplab_pagerdata_live = false;
	xa_for_each(&swaplab_pagerdata_reqs, seq, req) {
		req->state = REQ_DEAD;
		__xa_erase(&swaplab_pagerdata_reqs, seq);
	}
	xa_unlock(&swaplab_pagerdata_reqs);
	wake_up_all(&swaplab_pagerdata_wq);

	/* Its pages in buffers to the store; what no slot takes stays. */
	swaplab_pagerdata_flush_all();
	list_for_each_entry_safe(region, tmp, &swaplab_pagerdata_regions,
				 pager_node) {
		swaplab_pagerdata_forsake(region);
		list_del_init(&region->pager_node);
	}
	swaplab_pagerdata_all = false;
	up_write(&swaplab_pagerdata_rwsem);
	mutex_unlock(&swaplab_pagerdata_mutex);
	WRITE_ONCE(swaplab_pagerdata_mm, NULL);
	WRITE_ONCE(swaplab_pagerdata_tgid, NULL);
}

/**
 * swaplab_pagerdata_claim() - the data pager keeps a region's pages
 * @region: the region
 *
 * Pages already in the store stay there; dirty pages leaving memory from
 * now on go to the pager.
 *
 * Context: process context, the caller holds a reference on @region and
 * checked that a data pager is attached.
 * Return: 0; -EBUSY if @region is claimed already; -EOPNOTSUPP for a
 * region of a file.
 */
int swaplab_pagerdata_claim(struct swaplab_region *region)
{
	int err;

	mutex_lock(&swaplab_pagerdata_mutex);
	err = __swaplab_pagerdata_claim(region);
	mutex_unlock(&swaplab_pagerdata_mutex);
	return err;
}

/**
 * swaplab_pagerdata_region_gone() - a region is being freed
 * @region: the region, which no one can fault on or look up any more
 *
 * Frees its pages in buffers and ends its claim.
 *
 * Context: process context; sleeps (buffer mutexes).
 */
void swaplab_pagerdata_region_gone(struct swaplab_region *region)
{
	unsigned int i;

	mutex_lock(&swaplab_pagerdata_mutex);
	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++) {
		struct swaplab_pagerdata_buf *b = &swaplab_pagerdata_bufs[i];

		mutex_lock(&b->lock);
		if (b->page && b->region == region)
			swaplab_pagerdata_buf_free(b);
		mutex_unlock(&b->lock);
	}
	if (!list_empty(&region->pager_node))
		list_del_init(&region->pager_node);
	mutex_unlock(&swaplab_pagerdata_mutex);
}

/*
 * A request of @type for @f's page, registered while the pager lives and
 * claims @f's region; its number in *@seq, the pager asked in *@gen.
 */
static struct swaplab_pagerdata_req *swaplab_pagerdata_ask(struct swaplab_frame *f,
							   int type, u32 *seq,
							   u64 *gen)
{
	struct swaplab_pagerdata_req *req;
	int err;

	*gen = READ_ONCE(swaplab_pagerdata_gen);
	if (swaplab_pagerdata_in_pager(READ_ONCE(swaplab_pagerdata_mm),
				       READ_ONCE(swaplab_pagerdata_tgid))) {
		swaplab_count_event(SWAPLAB_PAGER_SELF);
		return ERR_PTR(-EDEADLK);
	}
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	req->region = f->region_id;
	req->index = f->index;
	req->state = REQ_WAITING;
	req->type = type;

	down_read(&swaplab_pagerdata_rwsem);
	req->gen = swaplab_pagerdata_gen;
	*gen = req->gen;
	err = -ENODATA;
	if (!f->region->pager_claimed)
		goto out;
	err = xa_alloc_cyclic(&swaplab_pagerdata_reqs, seq, req, xa_limit_32b,
			      &swaplab_pagerdata_req_next, GFP_KERNEL);
	if (err < 0)
		goto out;
	/*
	 * Registered while the pager lives, or failed by detach: not both.
	 * A fault asks after SWAPLAB_IOC_PAGER_LOCK marked its page, or is
	 * seen by its revoke (swaplab_pagerdata_revoke()): not neither.
	 */
	xa_lock(&swaplab_pagerdata_reqs);
	err = 0;
	if (!swaplab_pagerdata_live)
		err = -ENODATA;
	else if (test_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags))
		err = -EAGAIN;
	if (err)
		__xa_erase(&swaplab_pagerdata_reqs, *seq);
	xa_unlock(&swaplab_pagerdata_reqs);
out:
	up_read(&swaplab_pagerdata_rwsem);
	if (err) {
		/* An UNLOCK that guessed the number while it was published. */
		if (req->data)
			__free_page(req->data);
		kfree(req);
		return ERR_PTR(err);
	}
	return req;
}

/**
 * swaplab_pagerdata_request() - ask the pager for a page a fault needs
 * @f: the fault's new frame, inserted locked in place of the entry that
 *	names the pager
 * @seq: set to the request's number, for DATA_REQUEST's @arg
 * @gen: set to the pager asked, for swaplab_pagerdata_restore()
 *
 * The caller sends DATA_REQUEST, then calls swaplab_pagerdata_wait(), or
 * swaplab_pagerdata_cancel() if the event could not be sent.
 *
 * Context: process context, may sleep (allocation).
 * Return: the request; ERR_PTR(-ENODATA) if no pager keeps the region's
 * pages (the page is lost), ERR_PTR(-EAGAIN) if SWAPLAB_IOC_PAGER_LOCK
 * waits for the frame's page (the page-in is to be tried again after
 * it), ERR_PTR(-EDEADLK) in the pager's own process (counted
 * pager_self), ERR_PTR(-ENOMEM).
 */
struct swaplab_pagerdata_req *swaplab_pagerdata_request(struct swaplab_frame *f,
							u32 *seq, u64 *gen)
{
	return swaplab_pagerdata_ask(f, REQ_DATA, seq, gen);
}

/*
 * Take request @req out if it still waits, and free it; what it came to.
 * What its answer said is handed to the caller: whether a page supplied
 * is read-only in *@rdonly, an UNLOCK's new contents (or NULL) in *@data.
 */
static int swaplab_pagerdata_withdraw(struct swaplab_pagerdata_req *req,
				      u32 seq, bool *rdonly,
				      struct page **data)
{
	int state;

	xa_lock(&swaplab_pagerdata_reqs);
	state = req->state;
	if (state == REQ_WAITING)
		__xa_erase(&swaplab_pagerdata_reqs, seq);
	*rdonly = req->rdonly;
	*data = req->data;
	xa_unlock(&swaplab_pagerdata_reqs);
	kfree(req);
	return state;
}

/**
 * swaplab_pagerdata_cancel() - withdraw a request that was never sent
 * @req: the request
 * @seq: its number
 *
 * Context: process context.
 * Return: -ENODATA if the pager went meanwhile (it failed the request
 * first), -EAGAIN if SWAPLAB_IOC_PAGER_LOCK revoked it, else 0.
 */
int swaplab_pagerdata_cancel(struct swaplab_pagerdata_req *req, u32 seq)
{
	struct page *data;
	bool rdonly;
	int state;

	state = swaplab_pagerdata_withdraw(req, seq, &rdonly, &data);
	/* An answer that guessed the number of a request never sent. */
	if (data)
		__free_page(data);
	return state == REQ_DEAD ? -ENODATA :
	       state == REQ_REVOKED ? -EAGAIN : 0;
}

/**
 * swaplab_pagerdata_wait() - wait for the page a request asked for
 * @f: the fault's frame, locked
 * @req: the request, sent
 * @seq: its number
 *
 * At most the pager's data timeout; a fatal signal ends the wait. Frees
 * @req.
 *
 * Context: process context, the fault lock held (the wait is bounded).
 * Return: 0 with the page's contents in @f's page; -ETIMEDOUT (counted
 * pager_data_timeouts), -EINTR, or -ENODATA if the pager went (the page
 * is lost).
 */
int swaplab_pagerdata_wait(struct swaplab_frame *f,
			   struct swaplab_pagerdata_req *req, u32 seq)
{
	unsigned int ms = READ_ONCE(swaplab_pagerdata_timeout_ms);
	u64 gen = req->gen;
	struct page *data;
	bool rdonly;
	long left;
	int state;

	left = wait_event_killable_timeout(swaplab_pagerdata_wq,
					   READ_ONCE(req->state) != REQ_WAITING,
					   msecs_to_jiffies(ms));
	state = swaplab_pagerdata_withdraw(req, seq, &rdonly, &data);
	if (state == REQ_DEAD)
		return -ENODATA;
	if (state == REQ_WAITING) {
		if (left < 0)
			return -EINTR;
		swaplab_count_event(SWAPLAB_PAGER_DATA_TIMEOUTS);
		return -ETIMEDOUT;
	}

	copy_highpage(f->page, data);
	__free_page(data);
	/*
	 * The pager's copy stays valid until the page is written to; if
	 * the pager went meanwhile, the frame holds the only one.
	 */
	down_read(&swaplab_pagerdata_rwsem);
	if (f->region->pager_claimed && gen == swaplab_pagerdata_gen) {
		set_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
		if (rdonly)
			set_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	} else {
		folio_mark_dirty(page_folio(f->page));
	}
	up_read(&swaplab_pagerdata_rwsem);
	swaplab_count_event(SWAPLAB_PAGER_DATA_IN);
	return 0;
}

/**
 * swaplab_pagerdata_unlock_request() - ask the pager for write access
 * @f: the frame of a page the pager made read-only
 *	(%SWAPLAB_FRAME_PAGER_RDONLY), its page locked by a write fault
 * @seq: set to the request's number, for DATA_UNLOCK's @arg
 *
 * The caller sends DATA_UNLOCK, then calls
 * swaplab_pagerdata_unlock_wait(), or swaplab_pagerdata_cancel() if the
 * event could not be sent.
 *
 * Context: process context, may sleep (allocation).
 * Return: the request; ERR_PTR(-ENODATA) if no pager keeps the region's
 * pages any more (the write goes on: the page is writable now),
 * ERR_PTR(-EAGAIN) if SWAPLAB_IOC_PAGER_LOCK is taking the page back (the
 * fault is to be taken again), ERR_PTR(-EDEADLK) in the pager's own
 * process (counted pager_self), ERR_PTR(-ENOMEM).
 */
struct swaplab_pagerdata_req *swaplab_pagerdata_unlock_request(struct swaplab_frame *f,
							       u32 *seq)
{
	struct swaplab_pagerdata_req *req;
	u64 gen;

	req = swaplab_pagerdata_ask(f, REQ_UNLOCK, seq, &gen);
	if (IS_ERR(req) && PTR_ERR(req) == -ENODATA)
		clear_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	return req;
}

/**
 * swaplab_pagerdata_unlock_wait() - wait for the write access asked for
 * @f: the frame, its page locked
 * @req: the request, sent
 * @seq: its number
 *
 * At most the pager's data timeout; a fatal signal ends the wait. Frees
 * @req. Granted, the page is writable from now on; with new contents
 * from the pager, it is unmapped first, so that no process reads them
 * half copied, and the pager has its copy.
 *
 * Context: process context, the fault lock held (the wait is bounded).
 * Return: 0 if the write may go on, granted; -ENODATA if it may go on
 * because the pager went; -EAGAIN if SWAPLAB_IOC_PAGER_LOCK revoked it
 * (the fault is to be taken again); -ETIMEDOUT (counted
 * pager_unlock_timeouts), -EINTR.
 */
int swaplab_pagerdata_unlock_wait(struct swaplab_frame *f,
				  struct swaplab_pagerdata_req *req, u32 seq)
{
	unsigned int ms = READ_ONCE(swaplab_pagerdata_timeout_ms);
	struct folio *folio = page_folio(f->page);
	u64 gen = req->gen;
	struct page *data;
	bool rdonly;
	long left;
	int state;

	left = wait_event_killable_timeout(swaplab_pagerdata_wq,
					   READ_ONCE(req->state) != REQ_WAITING,
					   msecs_to_jiffies(ms));
	state = swaplab_pagerdata_withdraw(req, seq, &rdonly, &data);
	switch (state) {
	case REQ_REVOKED:
		return -EAGAIN;
	case REQ_WAITING:
		if (left < 0)
			return -EINTR;
		swaplab_count_event(SWAPLAB_PAGER_UNLOCK_TIMEOUTS);
		return -ETIMEDOUT;
	case REQ_DEAD:
		clear_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
		return -ENODATA;
	}
	if (data) {
		unmap_mapping_pages(f->region->inode->i_mapping, f->index, 1,
				    false);
		copy_highpage(f->page, data);
		__free_page(data);
	}
	down_read(&swaplab_pagerdata_rwsem);
	if (f->region->pager_claimed && gen == swaplab_pagerdata_gen) {
		if (data) {
			/*
			 * The pager's copy, as a supplied page is: no slot
			 * (reclaim drops such a page with no write).
			 */
			folio_clear_dirty(folio);
			set_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
			if (f->slot != SWAPLAB_NO_SLOT) {
				swaplab_swap_slot_free(f->slot);
				f->slot = SWAPLAB_NO_SLOT;
			}
		}
	} else if (data) {
		folio_mark_dirty(folio);
	}
	clear_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	up_read(&swaplab_pagerdata_rwsem);
	return 0;
}

/**
 * swaplab_pagerdata_revoke() - SWAPLAB_IOC_PAGER_LOCK is to take a page
 *	back
 * @f: the page's frame, which the caller keeps from being freed (under
 *	the region's table lock)
 *
 * Marks @f %SWAPLAB_FRAME_PAGER_LOCKING, and sends the write that waits
 * for its UNLOCK, if one does, back to fault again, letting go of the
 * page lock it holds. A page-in that waits for the pager's SUPPLY holds
 * the page lock too: it is left waiting, and the page is not in memory
 * yet. Otherwise the caller clears the bit, the page locked, once it is
 * done with the page.
 *
 * Context: any; does not sleep.
 * Return: true if a page-in of the page waits for the pager (the caller
 * clears the bit, and does not wait for the page lock).
 */
bool swaplab_pagerdata_revoke(struct swaplab_frame *f)
{
	struct swaplab_pagerdata_req *req;
	bool any = false, paging_in = false;
	unsigned long seq;

	set_bit(SWAPLAB_FRAME_PAGER_LOCKING, &f->flags);
	xa_lock(&swaplab_pagerdata_reqs);
	xa_for_each(&swaplab_pagerdata_reqs, seq, req) {
		if (req->region != f->region_id || req->index != f->index)
			continue;
		if (req->type == REQ_DATA) {
			paging_in = true;
			continue;
		}
		req->state = REQ_REVOKED;
		__xa_erase(&swaplab_pagerdata_reqs, seq);
		any = true;
	}
	xa_unlock(&swaplab_pagerdata_reqs);
	if (any)
		wake_up_all(&swaplab_pagerdata_wq);
	return paging_in;
}

/**
 * swaplab_pagerdata_restore() - the entry a failed page-in puts back
 * @region: the page's region, whose table the caller changes
 * @entry: the entry the fault replaced: it names the pager, or a buffer
 * @gen: the pager it asked (swaplab_pagerdata_request()'s), or 0
 *
 * A page the pager held is lost if that pager went meanwhile: the next
 * one does not have it.
 *
 * Context: between swaplab_pagerdata_begin() and _end() if the first
 * returned true (else the region is not claimed), so that the entry is
 * put back before a detach can look for it.
 * Return: @entry, or one that says the page is lost (counted pager_lost).
 */
void *swaplab_pagerdata_restore(struct swaplab_region *region, void *entry,
				u64 gen)
{
	if (swaplab_shadow_slot(entry) != SWAPLAB_SLOT_PAGER)
		return entry;
	if (region->pager_claimed && gen == swaplab_pagerdata_gen)
		return entry;
	swaplab_count_event(SWAPLAB_PAGER_LOST);
	return swaplab_shadow_reslot(entry, SWAPLAB_SLOT_LOST);
}

/**
 * swaplab_pagerdata_copy_back() - fault a page in from its buffer
 * @f: the fault's new frame, inserted locked in place of the entry that
 *	names the buffer: the fault owns the buffer now
 * @slot: that entry's slot number, %SWAPLAB_SLOT_OUT(i)
 *
 * The pager never took the page, so the frame holds its only copy: the
 * page is marked dirty. (A TAKE under way finds the entry changed and
 * fails with -ESRCH.)
 *
 * Context: process context, sleeps (the buffer's mutex, killably).
 * Return: 0, -EINTR, or -EIO if the buffer is not the page's (a bug).
 */
int swaplab_pagerdata_copy_back(struct swaplab_frame *f, unsigned long slot)
{
	struct swaplab_pagerdata_buf *b = swaplab_pagerdata_buf_of(slot);

	if (WARN_ON_ONCE(!b))
		return -EIO;
	if (mutex_lock_killable(&b->lock))
		return -EINTR;
	if (WARN_ON_ONCE(!b->page || b->region != f->region ||
			 b->index != f->index)) {
		mutex_unlock(&b->lock);
		return -EIO;
	}
	copy_highpage(f->page, b->page);
	/* Still read-only, while the pager that made it so lives. */
	if (b->rdonly && b->gen == READ_ONCE(swaplab_pagerdata_gen) &&
	    READ_ONCE(f->region->pager_claimed))
		set_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	swaplab_pagerdata_buf_free(b);
	mutex_unlock(&b->lock);
	folio_mark_dirty(page_folio(f->page));
	return 0;
}

/**
 * swaplab_pagerdata_begin() - may a page of this region go to the pager?
 * @region: the region of a page reclaim is evicting
 *
 * Context: process context, the page locked; sleeps (the rwsem).
 * Return: true if a data pager keeps @region's pages: then the rwsem is
 * held for reading until swaplab_pagerdata_end(), so that the pager
 * cannot go before the page's entry says where the page is.
 */
bool swaplab_pagerdata_begin(struct swaplab_region *region)
{
	/*
	 * Unlocked first: most regions are never claimed. A region the
	 * pager left is seen unclaimed only after its pages were marked.
	 */
	if (!smp_load_acquire(&region->pager_claimed))
		return false;
	down_read(&swaplab_pagerdata_rwsem);
	if (region->pager_claimed)
		return true;
	up_read(&swaplab_pagerdata_rwsem);
	return false;
}

/**
 * swaplab_pagerdata_end() - the page's entry is stored
 *
 * Context: after a swaplab_pagerdata_begin() that returned true.
 */
void swaplab_pagerdata_end(void)
{
	up_read(&swaplab_pagerdata_rwsem);
}

/* A free buffer, taken, with no sequence number yet; NULL if none. */
static struct swaplab_pagerdata_buf *swaplab_pagerdata_buf_get(void)
{
	struct swaplab_pagerdata_buf *b = NULL;
	unsigned int i;

	spin_lock(&swaplab_pagerdata_buf_lock);
	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++) {
		if (!swaplab_pagerdata_bufs[i].used) {
			b = &swaplab_pagerdata_bufs[i];
			b->used = true;
			break;
		}
	}
	spin_unlock(&swaplab_pagerdata_buf_lock);
	return b;
}

/*
 * Give filled buffer @b its sequence number and its pager: from then on
 * that pager's TAKE may find it (under the lock, after everything in it
 * was written). Never 0. Under the rwsem, which holds the pager.
 */
static u32 swaplab_pagerdata_buf_publish(struct swaplab_pagerdata_buf *b)
{
	u32 seq;

	lockdep_assert_held(&swaplab_pagerdata_rwsem);
	spin_lock(&swaplab_pagerdata_buf_lock);
	seq = ++swaplab_pagerdata_buf_seq ?: ++swaplab_pagerdata_buf_seq;
	b->seq = seq;
	b->gen = swaplab_pagerdata_gen;
	spin_unlock(&swaplab_pagerdata_buf_lock);
	return seq;
}

/**
 * swaplab_pagerdata_pageout() - where a page of a claimed region goes
 * @f: the frame, isolated, its page locked and unmapped
 * @dirty: whether the page was written to since its copy was made
 * @seq: set, for a buffer, to the DATA_RETURN's sequence number
 *
 * A clean page the pager has a copy of leaves with no write; a dirty one
 * is copied into a buffer, for the pager to take. The caller stores the
 * entry and then sends DATA_KEPT or DATA_RETURN.
 *
 * Context: between swaplab_pagerdata_begin() and _end(); does not sleep.
 * Return: %SWAPLAB_SLOT_PAGER, %SWAPLAB_SLOT_OUT(i), or %SWAPLAB_NO_SLOT:
 * the page goes the usual way (a clean page with no copy at the pager,
 * or no buffer free, counted pager_data_full).
 */
unsigned long swaplab_pagerdata_pageout(struct swaplab_frame *f, bool dirty,
					u32 *seq)
{
	struct swaplab_pagerdata_buf *b;
	struct page *page;
	bool rdonly;

	lockdep_assert_held_read(&swaplab_pagerdata_rwsem);
	if (!dirty)
		return test_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags) ?
		       SWAPLAB_SLOT_PAGER : SWAPLAB_NO_SLOT;
	/* Read-only, the pager's to grant: it stays read-only in the buffer. */
	rdonly = test_bit(SWAPLAB_FRAME_PAGER_RDONLY, &f->flags);
	clear_bit(SWAPLAB_FRAME_PAGER_COPY, &f->flags);
	page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	if (!page) {
		swaplab_count_event(SWAPLAB_PAGER_DATA_FULL);
		return SWAPLAB_NO_SLOT;
	}
	b = swaplab_pagerdata_buf_get();
	if (!b) {
		__free_page(page);
		swaplab_count_event(SWAPLAB_PAGER_DATA_FULL);
		return SWAPLAB_NO_SLOT;
	}
	/* No one moves a buffer's page before the entry names it. */
	copy_highpage(page, f->page);
	b->page = page;
	b->region = f->region;
	b->index = f->index;
	b->rdonly = rdonly;
	*seq = swaplab_pagerdata_buf_publish(b);
	return SWAPLAB_SLOT_OUT(b - swaplab_pagerdata_bufs);
}

/**
 * swaplab_pagerdata_drop() - a page that names the pager's data is gone
 * @region: its region
 * @index: its index
 * @slot: the slot number its entry named, which the caller replaced
 *
 * A buffer's page is freed.
 *
 * Context: process context; sleeps (the buffer's mutex).
 * Return: true if the pager attached is to hear DATA_DISCARD: it holds
 * the page, or heard DATA_RETURN of its buffer; false for a page lost,
 * or in the buffer of a pager that went.
 */
bool swaplab_pagerdata_drop(struct swaplab_region *region, pgoff_t index,
			    unsigned long slot)
{
	struct swaplab_pagerdata_buf *b = swaplab_pagerdata_buf_of(slot);
	bool tell = false;

	/* PAGER and LOST name no buffer; past the buffers, nothing does. */
	if (!b) {
		WARN_ON_ONCE(slot >= SWAPLAB_SLOT_OUT(0));
		return slot == SWAPLAB_SLOT_PAGER;
	}
	mutex_lock(&b->lock);
	if (!WARN_ON_ONCE(!b->page || b->region != region || b->index != index)) {
		tell = b->gen == READ_ONCE(swaplab_pagerdata_gen);
		swaplab_pagerdata_buf_free(b);
	}
	mutex_unlock(&b->lock);
	return tell;
}

/*
 * The pager's answer @d to a request of @type: the page it gives (for
 * REQ_UNLOCK, none if @d->buf is 0) is hung on the request, which the
 * fault that waits copies in, its page locked.
 */
static long swaplab_pagerdata_answer(const struct swaplab_pager_data *d,
				     int type)
{
	struct swaplab_pagerdata_req *req;
	struct page *tmp = NULL;
	long err = 0;

	if (d->seq > U32_MAX) {
		swaplab_count_event(SWAPLAB_PAGER_DATA_STALE);
		return -ESRCH;
	}
	/* Copied first: a fault on the pager's buffer waits for nothing. */
	if (type == REQ_DATA || d->buf) {
		tmp = alloc_page(GFP_KERNEL);
		if (!tmp)
			return -ENOMEM;
		if (copy_from_user(page_address(tmp), u64_to_user_ptr(d->buf),
				   PAGE_SIZE)) {
			__free_page(tmp);
			return -EFAULT;
		}
	}
	xa_lock(&swaplab_pagerdata_reqs);
	req = xa_load(&swaplab_pagerdata_reqs, d->seq);
	if (!req) {
		err = -ESRCH;
	} else if (req->region != d->region || req->index != d->index ||
		   req->type != type) {
		err = -EINVAL;
	} else {
		req->data = tmp;
		tmp = NULL;
		req->rdonly = d->flags & SWAPLAB_PAGER_SUPPLY_RDONLY;
		WRITE_ONCE(req->state, REQ_SUPPLIED);
		__xa_erase(&swaplab_pagerdata_reqs, d->seq);
	}
	xa_unlock(&swaplab_pagerdata_reqs);
	if (tmp)
		__free_page(tmp);
	if (err)
		swaplab_count_event(SWAPLAB_PAGER_DATA_STALE);
	else
		wake_up_all(&swaplab_pagerdata_wq);
	return err;
}

/**
 * swaplab_pagerdata_supply() - SWAPLAB_PAGER_IOC_SUPPLY
 * @d: the pager's argument, copied in
 *
 * Context: process context, the pager's ioctl.
 * Return: 0, -ESRCH if no fault waits for @d->seq any more (counted
 * pager_data_stale), -EINVAL if the page is not the request's, or the
 * request is a write's (counted too), or @d->flags has a bit other than
 * %SWAPLAB_PAGER_SUPPLY_RDONLY, -EFAULT, -ENOMEM. Nothing changes on an
 * error.
 */
long swaplab_pagerdata_supply(const struct swaplab_pager_data *d)
{
	if (d->flags & ~SWAPLAB_PAGER_SUPPLY_RDONLY)
		return -EINVAL;
	return swaplab_pagerdata_answer(d, REQ_DATA);
}

/**
 * swaplab_pagerdata_unlock() - SWAPLAB_PAGER_IOC_UNLOCK
 * @d: the pager's argument, copied in
 *
 * Context: process context, the pager's ioctl.
 * Return: 0, -ESRCH if no write waits for @d->seq any more (counted
 * pager_data_stale), -EINVAL if the page is not the request's, or the
 * request is a page-in's (counted too), or @d->flags is set, -EFAULT,
 * -ENOMEM. Nothing changes on an error.
 */
long swaplab_pagerdata_unlock(const struct swaplab_pager_data *d)
{
	if (d->flags)
		return -EINVAL;
	return swaplab_pagerdata_answer(d, REQ_UNLOCK);
}

/*
 * The buffer whose DATA_RETURN was @seq, if it is still waiting, and
 * still the pager @gen's (0: any pager's).
 */
static struct swaplab_pagerdata_buf *swaplab_pagerdata_buf_find(u64 seq,
								u64 gen)
{
	struct swaplab_pagerdata_buf *b = NULL;
	unsigned int i;

	if (!seq)
		return NULL;
	spin_lock(&swaplab_pagerdata_buf_lock);
	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++) {
		if (swaplab_pagerdata_bufs[i].used &&
		    swaplab_pagerdata_bufs[i].seq == seq &&
		    (!gen || swaplab_pagerdata_bufs[i].gen == gen)) {
			b = &swaplab_pagerdata_bufs[i];
			break;
		}
	}
	spin_unlock(&swaplab_pagerdata_buf_lock);
	return b;
}

/*
 * Is buffer @b still @d's page, waiting for pager @gen? Under its mutex:
 * -ESRCH if it was freed, or freed and taken again, or is another
 * pager's; -EINVAL if it is another page.
 */
static long swaplab_pagerdata_buf_check(struct swaplab_pagerdata_buf *b,
					const struct swaplab_pager_data *d,
					u64 gen)
{
	lockdep_assert_held(&b->lock);
	if (!b->page || b->seq != d->seq || b->gen != gen)
		return -ESRCH;
	if (b->region->id != d->region || b->index != d->index)
		return -EINVAL;
	return 0;
}

/**
 * swaplab_pagerdata_take() - SWAPLAB_PAGER_IOC_TAKE
 * @d: the pager's argument, copied in
 *
 * The page goes to the pager through a bounce page: no buffer's mutex is
 * held while the pager's memory is written, which may fault.
 *
 * Context: process context, the pager's ioctl; sleeps.
 * Return: 0 once the pager holds the page's only copy; -ESRCH if the page
 * is not in a buffer under @d->seq any more (a fault took it back, it
 * was discarded: counted pager_data_stale) or never went to this pager
 * (an earlier one's, counted too), -EINVAL for another page
 * (counted too) or @d->flags set, -EFAULT (nothing changes), -EINTR,
 * -ENOMEM.
 */
long swaplab_pagerdata_take(const struct swaplab_pager_data *d)
{
	/* The caller is the pager attached: its release detaches it. */
	u64 gen = READ_ONCE(swaplab_pagerdata_gen);
	struct swaplab_pagerdata_buf *b;
	struct page *tmp;
	void *entry;
	long err;

	if (d->flags)
		return -EINVAL;
	b = swaplab_pagerdata_buf_find(d->seq, gen);
	if (!b) {
		swaplab_count_event(SWAPLAB_PAGER_DATA_STALE);
		return -ESRCH;
	}
	tmp = alloc_page(GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	err = -EINTR;
	if (mutex_lock_killable(&b->lock))
		goto out;
	err = swaplab_pagerdata_buf_check(b, d, gen);
	if (!err)
		copy_highpage(tmp, b->page);
	mutex_unlock(&b->lock);
	if (err)
		goto stale;
	err = -EFAULT;
	if (copy_to_user(u64_to_user_ptr(d->buf), page_address(tmp), PAGE_SIZE))
		goto out;

	err = -EINTR;
	if (mutex_lock_killable(&b->lock))
		goto out;
	err = swaplab_pagerdata_buf_check(b, d, gen);
	entry = err ? NULL : swaplab_pagerdata_buf_entry(b);
	if (!err && (!entry ||
		     !swaplab_pagerdata_replace(b->region, b->index, entry,
						swaplab_shadow_reslot(entry,
								      SWAPLAB_SLOT_PAGER))))
		err = -ESRCH;
	if (!err)
		swaplab_pagerdata_buf_free(b);
	mutex_unlock(&b->lock);
	if (!err) {
		swaplab_count_event(SWAPLAB_PAGER_DATA_OUT);
		goto out;
	}
stale:
	swaplab_count_event(SWAPLAB_PAGER_DATA_STALE);
out:
	__free_page(tmp);
	return err;
}

/**
 * swaplab_pagerdata_unsent() - a DATA_RETURN found the pager's ring full
 * @seq: the event's sequence number, from swaplab_pagerdata_pageout()
 *
 * The pager never hears of the page, and would never take it: write it
 * to the store now, as when the pager goes, rather than keep a buffer
 * until the page's next fault. (A fault may have copied it back already,
 * and another page taken the buffer: then nothing is done.)
 *
 * Context: process context, after swaplab_pagerdata_end(); sleeps (I/O).
 */
void swaplab_pagerdata_unsent(u32 seq)
{
	struct swaplab_pagerdata_buf *b = swaplab_pagerdata_buf_find(seq, 0);

	if (!b)
		return;
	mutex_lock(&b->lock);
	/*
	 * A read-only page stays, its only copy: from the store its fault
	 * would map it writable with no grant.
	 */
	if (b->page && b->seq == seq && !b->rdonly)
		swaplab_pagerdata_flush(b);
	mutex_unlock(&b->lock);
}

/**
 * swaplab_pagerdata_buffers() - pages in buffers now
 *
 * For debugfs' metadata: the module's own memory.
 *
 * Return: how many.
 */
unsigned int swaplab_pagerdata_buffers(void)
{
	unsigned int i, n = 0;

	spin_lock(&swaplab_pagerdata_buf_lock);
	for (i = 0; i < SWAPLAB_PAGERDATA_BUFS; i++)
		n += swaplab_pagerdata_bufs[i].used;
	spin_unlock(&swaplab_pagerdata_buf_lock);
	return n;
}
