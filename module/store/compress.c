// SPDX-License-Identifier: GPL-2.0
/*
 * The compressed tier: a pool of compressed pages in front of the store,
 * as zswap is in front of a swap device.
 *
 * With the knob compress set to an algorithm of the crypto API's
 * compression (lz4, lzo-rle, zstd, ...), reclaim hands every dirty page
 * here before it writes it (swaplab_compress_store()):
 *  - a page that is one word repeated (zeroes most of all) takes neither
 *    a slot nor pool space: a page of zeroes leaves the entry of a page
 *    never written, which reads as zeroes; another value is kept in a
 *    small entry out of the pool's count;
 *  - a page that compresses to at most 3/4 of a page (with the entry's
 *    header) is kept in the pool, and its table entry names the pool
 *    entry (a slot number from %SWAPLAB_SLOT_POOL(0) up);
 *  - any other page goes to the store as before (compress_rejected).
 * The pool's bytes are capped by compress_pool_max; to make room, its
 * oldest entries are decompressed and written to the store in one I/O of
 * up to %SWAPLAB_POOL_WB_BATCH pages (compress_writeback), through
 * swaplab_swap_io(), so that checksums and encryption hold for them. A
 * fault on a page in the pool decompresses it into the new frame
 * (compress_hits) and frees the entry: the page is dirty again, as
 * zswap's exclusive loads leave it.
 *
 * Memory: an entry and its compressed bytes are one object from one of
 * %SWAPLAB_POOL_CLASSES slab caches, a size class every 1/32 of a page,
 * so that a page takes its compressed size rounded up by at most 1/32 of
 * a page (kmalloc()'s power-of-two classes would waste up to half). The
 * object is charged to the memory cgroup the page was charged to.
 *
 * A change of algorithm takes effect for the pages stored from then on.
 * Each entry holds a reference to the compressor that made it, so that
 * the pages stored before are still read (and written back) with their
 * own algorithm; a compressor is freed with its last entry. Turning the
 * tier off leaves the pool as it is: faults and write-back empty it, and
 * compress_pool_max=0 writes it all back at once.
 *
 * Ownership: whoever takes a page's table entry out of the table (a fault
 * that puts its frame there, a discard, the region's release, a
 * write-back that puts a slot there) owns the pool entry it names, and
 * only its owner frees it (swaplab_pool_consume()). A write-back picks
 * entries it does not own; it holds a reference to each, and its slot
 * goes in only if the table still names the entry. It holds no lock
 * across its I/O and no reference to the region: a region's release
 * takes each entry out of its table before it drops it, and frees the
 * region after an RCU grace period, so a write-back that finds its entry
 * not gone inside an RCU read-side section may still lock the region's
 * table, and there finds the entry taken. A write-back also passes over
 * entries of a region whose last reference is gone. So this file holds no
 * reference to a region and calls nothing in region.c, which is above it,
 * and a write-back to a slow store (nbd) holds up no release.
 *
 * Locking:
 *  - swaplab_compress_lock protects which compressor is current;
 *  - each CPU's context of a compressor has a mutex (compression may
 *    sleep);
 *  - swaplab_pool_lock protects the age list, the byte and page counts
 *    and each entry's @gone. It nests inside a region's xarray lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/acompress.h>
#include <linux/cpumask.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "store/compress.h"
#include "api/policy.h"
#include "api/region.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"

/*
 * The default of compress_pool_max: a quarter of the default budget
 * (alloc/frames.h: 4096 frames of 4 KiB).
 */
#define SWAPLAB_POOL_MAX_DEFAULT	SZ_4M
#define SWAPLAB_POOL_STEP	(PAGE_SIZE / 32)
#define SWAPLAB_POOL_CLASSES	24
/* The most an entry with its compressed bytes may take: 3/4 of a page. */
#define SWAPLAB_POOL_OBJ_MAX	(SWAPLAB_POOL_CLASSES * SWAPLAB_POOL_STEP)
/* Entries written back in one I/O at most. */
#define SWAPLAB_POOL_WB_BATCH	16

/**
 * struct swaplab_zentry - a page in the compressed tier
 * @lru: in the pool's age list, oldest first; empty while a write-back
 *	holds it, for a same-filled page, and once it is gone
 * @region: the region of the page; no reference (its release takes the
 *	page's table entry before it drops @z, and is RCU-freed). A move
 *	(swaplab_compress_rehome()) changes it and @index under
 *	swaplab_pool_lock, inside both regions' xarray locks.
 * @index: the page's index in @region
 * @fill: for a same-filled page (@len 0), the word it is filled with
 * @ref: one for the pool, one for each write-back or load reading it
 * @comp: the compressor that made @data (a reference); NULL for a
 *	same-filled page
 * @id: its number in swaplab_pool_ids
 * @len: compressed bytes in @data; 0 for a same-filled page
 * @cls: its slab cache, swaplab_pool_cache[@cls]
 * @gone: freed by its owner; under swaplab_pool_lock
 * @data: the compressed page
 */
struct swaplab_zentry {
	struct list_head lru;
	struct swaplab_region *region;
	pgoff_t index;
	unsigned long fill;
	refcount_t ref;
	struct swaplab_compressor *comp;
	u32 id;
	unsigned int len;
	u8 cls;
	bool gone;
	u8 data[];
};

/**
 * struct swaplab_compress_ctx - one CPU's compressor
 * @lock: protects the rest while a page is compressed or decompressed
 * @tfm: the algorithm's transform
 * @req: a request on it
 * @wait: for the request's completion
 * @buf: the compressed output, two pages (a compressor may overrun one)
 */
struct swaplab_compress_ctx {
	struct mutex lock;	/* the rest */
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	struct crypto_wait wait;
	u8 *buf;
};

/**
 * struct swaplab_compressor - an algorithm, with a context for each CPU
 * @kref: one while it is current, one for each entry it made and for
 *	each store using it
 * @name: the algorithm's name in the crypto API
 * @ctxs: the contexts
 */
struct swaplab_compressor {
	struct kref kref;
	char name[CRYPTO_MAX_ALG_NAME];
	struct swaplab_compress_ctx __percpu *ctxs;
};

/* The compressor new pages get; NULL when the tier is off. */
static DEFINE_SPINLOCK(swaplab_compress_lock);	/* swaplab_compressor */
static struct swaplab_compressor *swaplab_compressor;

static DEFINE_SPINLOCK(swaplab_pool_lock);	/* the list, counts, @gone */
static LIST_HEAD(swaplab_pool_lru);
static unsigned long swaplab_pool_bytes;	/* slab bytes of entries */
static unsigned long swaplab_pool_pages;	/* compressed pages */
static unsigned long swaplab_pool_filled;	/* same-filled entries */
static DEFINE_XARRAY_ALLOC(swaplab_pool_ids);
static struct kmem_cache *swaplab_pool_cache[SWAPLAB_POOL_CLASSES];
/* compress_pool_max, in bytes: READ_ONCE()/WRITE_ONCE(). */
static unsigned long swaplab_pool_max = SWAPLAB_POOL_MAX_DEFAULT;

static size_t swaplab_zentry_size(const struct swaplab_zentry *z)
{
	return (z->cls + 1) * SWAPLAB_POOL_STEP;
}

static void swaplab_compressor_put(struct swaplab_compressor *comp);

static void swaplab_zentry_free(struct swaplab_zentry *z)
{
	if (z->comp)
		swaplab_compressor_put(z->comp);
	kmem_cache_free(swaplab_pool_cache[z->cls], z);
}

static void swaplab_zentry_put(struct swaplab_zentry *z)
{
	if (refcount_dec_and_test(&z->ref))
		swaplab_zentry_free(z);
}

/*
 * The owner of @z is done with it: out of the pool and its counts, its
 * number free again, and the pool's reference dropped.
 */
static void swaplab_pool_consume(struct swaplab_zentry *z)
{
	spin_lock(&swaplab_pool_lock);
	z->gone = true;
	list_del_init(&z->lru);
	if (z->len) {
		swaplab_pool_bytes -= swaplab_zentry_size(z);
		swaplab_pool_pages--;
	} else {
		swaplab_pool_filled--;
	}
	spin_unlock(&swaplab_pool_lock);
	xa_erase(&swaplab_pool_ids, z->id);
	swaplab_zentry_put(z);
}

/* The entry a slot number names, with a reference; NULL if none. */
static struct swaplab_zentry *swaplab_pool_get(unsigned long slot)
{
	struct swaplab_zentry *z;

	spin_lock(&swaplab_pool_lock);
	z = xa_load(&swaplab_pool_ids, slot - SWAPLAB_SLOT_POOL(0));
	if (z)
		refcount_inc(&z->ref);
	spin_unlock(&swaplab_pool_lock);
	return z;
}

static bool swaplab_page_same_filled(struct page *page, unsigned long *fill)
{
	unsigned long *p = kmap_local_page(page);
	unsigned int i, n = PAGE_SIZE / sizeof(*p);
	bool same = p[n - 1] == p[0];

	for (i = 1; same && i < n - 1; i++)
		same = p[i] == p[0];
	*fill = p[0];
	kunmap_local(p);
	return same;
}

static void swaplab_page_fill(struct page *page, unsigned long fill)
{
	unsigned long *p = kmap_local_page(page);

	memset_l(p, fill, PAGE_SIZE / sizeof(*p));
	kunmap_local(p);
}

/* Decompress @z into @page, with this CPU's context of its compressor. */
static int swaplab_zentry_decompress(struct swaplab_zentry *z,
				     struct page *page)
{
	struct swaplab_compress_ctx *c;
	struct scatterlist in, out;
	int err;

	if (!z->len) {
		swaplab_page_fill(page, z->fill);
		return 0;
	}
	c = raw_cpu_ptr(z->comp->ctxs);
	mutex_lock(&c->lock);
	sg_init_one(&in, z->data, z->len);
	sg_init_table(&out, 1);
	sg_set_page(&out, page, PAGE_SIZE, 0);
	acomp_request_set_params(c->req, &in, &out, z->len, PAGE_SIZE);
	err = crypto_wait_req(crypto_acomp_decompress(c->req), &c->wait);
	if (!err && c->req->dlen != PAGE_SIZE)
		err = -EIO;
	mutex_unlock(&c->lock);
	/* Not z->region: a write-back holds no reference to it. */
	if (err)
		pr_err_ratelimited("decompressing pool entry %u (page %lu) failed: %d\n",
				   z->id, z->index, err);
	return err;
}

/*
 * @z is still in its page's table entry, as far as swaplab_pool_lock says:
 * then *@region and *@index say where. Called inside an RCU read-side
 * section, which keeps that region from being freed.
 */
static bool swaplab_zentry_live(struct swaplab_zentry *z,
				struct swaplab_region **region, pgoff_t *index)
{
	bool live;

	spin_lock(&swaplab_pool_lock);
	live = !z->gone;
	*region = z->region;
	*index = z->index;
	spin_unlock(&swaplab_pool_lock);
	return live;
}

/*
 * Name the slot a write-back wrote @z to in its page's table entry, if
 * the entry still names @z; then the slot holds the page and @z leaves.
 *
 * The region may be in its release: one that had dropped @z (gone) may be
 * freed after a grace period; one that had not must first take @z's table
 * entry, under the lock taken here, and is freed after this section.
 */
static bool swaplab_pool_replace(struct swaplab_zentry *z, unsigned long slot)
{
	struct swaplab_region *region;
	pgoff_t index;
	void *entry;
	bool ours;

	rcu_read_lock();
	if (!swaplab_zentry_live(z, &region, &index)) {
		rcu_read_unlock();
		return false;
	}
	xa_lock(&region->pages);
	entry = xa_load(&region->pages, index);
	spin_lock(&swaplab_pool_lock);
	/*
	 * Once gone, its number may name a newer entry of the same page;
	 * once moved, the entry is another table's.
	 */
	ours = !z->gone && z->region == region && z->index == index &&
	       xa_is_value(entry) &&
	       swaplab_shadow_slot(entry) == SWAPLAB_SLOT_POOL(z->id);
	spin_unlock(&swaplab_pool_lock);
	if (ours)
		__xa_store(&region->pages, index,
			   swaplab_shadow_reslot(entry, slot), GFP_ATOMIC);
	xa_unlock(&region->pages);
	if (ours)
		atomic_long_inc(&region->nr_swapped);
	rcu_read_unlock();
	if (ours)
		swaplab_pool_consume(z);
	return ours;
}

/* A write-back could not take @z: back to the oldest end, if still ours. */
static void swaplab_pool_putback(struct swaplab_zentry *z)
{
	spin_lock(&swaplab_pool_lock);
	if (!z->gone && list_empty(&z->lru))
		list_add(&z->lru, &swaplab_pool_lru);
	spin_unlock(&swaplab_pool_lock);
}

/* Take up to @max of the oldest entries of live regions for write-back. */
static unsigned int swaplab_pool_pick(struct swaplab_zentry **zs,
				      unsigned int max)
{
	struct swaplab_zentry *z, *tmp;
	unsigned int n = 0;

	spin_lock(&swaplab_pool_lock);
	list_for_each_entry_safe(z, tmp, &swaplab_pool_lru, lru) {
		if (n == max)
			break;
		/*
		 * A region being released drops its entries itself. One in
		 * the list is not gone, so its region is not freed yet.
		 */
		if (!kref_read(&z->region->kref))
			continue;
		list_del_init(&z->lru);
		refcount_inc(&z->ref);
		zs[n++] = z;
	}
	spin_unlock(&swaplab_pool_lock);
	return n;
}

/*
 * Write @n decompressed pages to the store, their entries in @zs; set the
 * bits in @left of those that left the pool.
 */
static void swaplab_pool_write(struct swaplab_zentry **zs,
			       struct page **pages, unsigned int n,
			       unsigned long *left)
{
	unsigned int done = 0, nr_left = 0, got, i;
	unsigned long slot;

	while (done < n) {
		slot = swaplab_swap_out(pages + done, n - done, &got);
		if (slot == SWAPLAB_NO_SLOT)
			break;
		for (i = 0; i < got; i++) {
			if (swaplab_pool_replace(zs[done + i], slot + i)) {
				__set_bit(done + i, left);
				nr_left++;
			} else {
				swaplab_swap_slot_free(slot + i);
			}
		}
		done += got;
	}
	swaplab_count_events(SWAPLAB_COMPRESS_WRITEBACK, nr_left);
}

/* A write-back is done with @z: back in the pool unless it @left. */
static void swaplab_pool_unpick(struct swaplab_zentry *z, bool left)
{
	if (!left)
		swaplab_pool_putback(z);
	swaplab_zentry_put(z);
}

/*
 * Write up to @max of the pool's oldest entries to the store, in one I/O
 * where the slots allow.
 * Return: how many left the pool: 0 when none could (no slot, an I/O
 * error, no memory, or nothing left but entries being read or released).
 */
static unsigned int swaplab_pool_writeback(unsigned int max)
{
	struct swaplab_zentry *zs[SWAPLAB_POOL_WB_BATCH];
	struct page *pages[SWAPLAB_POOL_WB_BATCH];
	DECLARE_BITMAP(left, SWAPLAB_POOL_WB_BATCH) = { 0 };
	unsigned int n, i, ready = 0;

	n = swaplab_pool_pick(zs, min_t(unsigned int, max,
					SWAPLAB_POOL_WB_BATCH));
	/* Those that cannot be decompressed now go back, in front. */
	for (i = 0; i < n; i++) {
		struct swaplab_zentry *z = zs[i];
		struct page *page = alloc_page(GFP_NOIO | __GFP_NORETRY |
					       __GFP_NOWARN);

		if (page && !swaplab_zentry_decompress(z, page)) {
			zs[ready] = z;
			pages[ready++] = page;
			continue;
		}
		if (page)
			__free_page(page);
		swaplab_pool_unpick(z, false);
	}
	if (ready)
		swaplab_pool_write(zs, pages, ready, left);
	for (i = 0; i < ready; i++) {
		__free_page(pages[i]);
		swaplab_pool_unpick(zs[i], test_bit(i, left));
	}
	return bitmap_weight(left, SWAPLAB_POOL_WB_BATCH);
}

/* Write back until @need more bytes fit under the cap, and count them. */
static bool swaplab_pool_make_room(size_t need)
{
	unsigned long max = READ_ONCE(swaplab_pool_max);

	if (need > max)
		return false;
	for (;;) {
		spin_lock(&swaplab_pool_lock);
		if (swaplab_pool_bytes + need <= max) {
			/* Counted now, so that racing stores see it. */
			swaplab_pool_bytes += need;
			swaplab_pool_pages++;
			spin_unlock(&swaplab_pool_lock);
			return true;
		}
		spin_unlock(&swaplab_pool_lock);
		if (!swaplab_pool_writeback(SWAPLAB_POOL_WB_BATCH))
			return false;
	}
}

/* Add @z, counted already if compressed, to the pool under a number. */
static bool swaplab_pool_add(struct swaplab_zentry *z)
{
	int err;

	z->gone = false;
	refcount_set(&z->ref, 1);
	INIT_LIST_HEAD(&z->lru);
	err = xa_alloc(&swaplab_pool_ids, &z->id, z,
		       XA_LIMIT(0, SWAPLAB_POOL_IDS - 1),
		       GFP_NOIO | __GFP_NOWARN);
	spin_lock(&swaplab_pool_lock);
	if (err && z->len) {
		swaplab_pool_bytes -= swaplab_zentry_size(z);
		swaplab_pool_pages--;
	} else if (!err && z->len) {
		list_add_tail(&z->lru, &swaplab_pool_lru);
	} else if (!err) {
		swaplab_pool_filled++;
	}
	spin_unlock(&swaplab_pool_lock);
	return !err;
}

/* The memory cgroup @page is charged to, with a reference; or NULL. */
static struct mem_cgroup *swaplab_page_memcg_get(struct page *page)
{
	struct mem_cgroup *memcg = NULL;

#ifdef CONFIG_MEMCG
	rcu_read_lock();
	memcg = folio_memcg(page_folio(page));
	if (memcg && !css_tryget(&memcg->css))
		memcg = NULL;
	rcu_read_unlock();
#endif
	return memcg;
}

static void swaplab_memcg_put(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	if (memcg)
		css_put(&memcg->css);
#endif
}

/*
 * A new entry for @page of @len bytes, charged to the page's memory
 * cgroup; not counted yet. Reclaim must not recurse into I/O.
 */
static struct swaplab_zentry *swaplab_zentry_alloc(struct page *page,
						   unsigned int len)
{
	unsigned int cls = (sizeof(struct swaplab_zentry) + len - 1) /
			   SWAPLAB_POOL_STEP;
	struct mem_cgroup *memcg = swaplab_page_memcg_get(page), *old;
	struct swaplab_zentry *z;

	old = set_active_memcg(memcg);
	z = kmem_cache_alloc(swaplab_pool_cache[cls], GFP_NOIO |
			     __GFP_NORETRY | __GFP_NOWARN);
	set_active_memcg(old);
	swaplab_memcg_put(memcg);
	if (z) {
		z->cls = cls;
		z->len = len;
		z->comp = NULL;
	}
	return z;
}

/* Compress @page into this CPU's buffer: an entry, or NULL (rejected). */
static struct swaplab_zentry *swaplab_compress_page(struct swaplab_compressor *comp,
						    struct page *page)
{
	struct swaplab_compress_ctx *c = raw_cpu_ptr(comp->ctxs);
	struct swaplab_zentry *z = NULL;
	struct scatterlist in, out;
	int err;

	mutex_lock(&c->lock);
	sg_init_table(&in, 1);
	sg_set_page(&in, page, PAGE_SIZE, 0);
	sg_init_one(&out, c->buf, 2 * PAGE_SIZE);
	acomp_request_set_params(c->req, &in, &out, PAGE_SIZE, 2 * PAGE_SIZE);
	err = crypto_wait_req(crypto_acomp_compress(c->req), &c->wait);
	if (!err && sizeof(*z) + c->req->dlen <= SWAPLAB_POOL_OBJ_MAX)
		z = swaplab_zentry_alloc(page, c->req->dlen);
	if (z) {
		memcpy(z->data, c->buf, z->len);
		z->comp = comp;
	}
	mutex_unlock(&c->lock);
	/* An error is a page the algorithm could not fit in two pages. */
	if (!z)
		swaplab_count_event(SWAPLAB_COMPRESS_REJECTED);
	return z;
}

/**
 * swaplab_compress_store() - keep a dirty page in the compressed tier
 * @f: an isolated frame whose dirty page reclaim holds locked and
 *	unmapped, with no slot
 * @slot: set to the page's slot number from now on: its pool entry's
 *	(%SWAPLAB_SLOT_POOL(id)), or %SWAPLAB_NO_SLOT for a page of zeroes
 *
 * Context: process context, may sleep (compression, the write-back of the
 * pool's oldest entries to make room).
 * Return: true if the tier took the page and nothing is to be written;
 * false if it goes to the store: the tier is off, the page does not
 * compress to 3/4 of a page, there is no memory, or the pool is full and
 * its oldest entries cannot be written back.
 */
bool swaplab_compress_store(struct swaplab_frame *f, unsigned long *slot)
{
	struct swaplab_compressor *comp;
	struct swaplab_zentry *z;
	unsigned long fill;
	bool kept = false;

	if (!READ_ONCE(swaplab_compressor))
		return false;
	spin_lock(&swaplab_compress_lock);
	comp = swaplab_compressor;
	if (comp)
		kref_get(&comp->kref);
	spin_unlock(&swaplab_compress_lock);
	if (!comp)
		return false;
	if (swaplab_page_same_filled(f->page, &fill)) {
		swaplab_count_event(SWAPLAB_SAME_FILLED);
		if (!fill) {
			*slot = SWAPLAB_NO_SLOT;
			kept = true;
			goto out;
		}
		z = swaplab_zentry_alloc(f->page, 0);
		if (z)
			z->fill = fill;
	} else {
		z = swaplab_compress_page(comp, f->page);
		if (z) {
			/* The store's reference is the entry's now. */
			comp = NULL;
			if (!swaplab_pool_make_room(swaplab_zentry_size(z))) {
				swaplab_zentry_free(z);
				z = NULL;
			}
		}
	}
	if (!z)
		goto out;
	z->region = f->region;
	z->index = f->index;
	if (!swaplab_pool_add(z)) {
		swaplab_zentry_free(z);
		goto out;
	}
	if (z->len)
		swaplab_count_event(SWAPLAB_COMPRESS_STORED);
	*slot = SWAPLAB_SLOT_POOL(z->id);
	kept = true;
out:
	if (comp)
		swaplab_compressor_put(comp);
	return kept;
}

/**
 * swaplab_compress_load() - read a page from the compressed tier
 * @slot: the slot number its table entry names, %SWAPLAB_SLOT_POOL(id)
 * @page: the new frame's page, locked, to fill
 * @fault: a fault on the page itself (counted in compress_hits), not a
 *	page read ahead
 *
 * The caller owns the entry: its fault took the table entry. On success
 * the pool entry is freed, and the page is to be made dirty: it has no
 * copy anywhere else.
 *
 * Context: process context, may sleep (decompression).
 * Return: 0; -EIO if the entry is missing or does not decompress (it
 * stays in the pool).
 */
int swaplab_compress_load(unsigned long slot, struct page *page, bool fault)
{
	struct swaplab_zentry *z = swaplab_pool_get(slot);
	int err;

	if (WARN_ON_ONCE(!z))
		return -EIO;
	err = swaplab_zentry_decompress(z, page);
	if (!err) {
		swaplab_pool_consume(z);
		if (z->len && fault)
			swaplab_count_event(SWAPLAB_COMPRESS_HITS);
	}
	swaplab_zentry_put(z);
	return err;
}

/**
 * swaplab_compress_drop() - free a page's pool entry
 * @slot: the slot number of a table entry the caller took out of its
 *	table, %SWAPLAB_SLOT_POOL(id)
 *
 * Context: any process context.
 */
void swaplab_compress_drop(unsigned long slot)
{
	struct swaplab_zentry *z = swaplab_pool_get(slot);

	if (WARN_ON_ONCE(!z))
		return;
	swaplab_pool_consume(z);
	swaplab_zentry_put(z);
}

/**
 * swaplab_compress_rehome() - a page's pool entry changes tables
 * @slot: the slot number of a table entry, %SWAPLAB_SLOT_POOL(id)
 * @region: the region whose table names it from now on
 * @index: its index there
 *
 * For a move of the page (move.c): the caller holds the xarray locks of
 * both tables, and takes the entry out of the one as it puts it in the
 * other, so that a write-back finds it at one place or the other.
 *
 * Context: any; takes swaplab_pool_lock, which nests inside those locks.
 */
void swaplab_compress_rehome(unsigned long slot, struct swaplab_region *region,
			     pgoff_t index)
{
	struct swaplab_zentry *z;

	spin_lock(&swaplab_pool_lock);
	z = xa_load(&swaplab_pool_ids, slot - SWAPLAB_SLOT_POOL(0));
	if (!WARN_ON_ONCE(!z)) {
		z->region = region;
		z->index = index;
	}
	spin_unlock(&swaplab_pool_lock);
}

static void swaplab_compress_ctxs_free(struct swaplab_compress_ctx __percpu *ctxs)
{
	int cpu;

	if (!ctxs)
		return;
	for_each_possible_cpu(cpu) {
		struct swaplab_compress_ctx *c = per_cpu_ptr(ctxs, cpu);

		if (c->req)
			acomp_request_free(c->req);
		if (!IS_ERR_OR_NULL(c->tfm))
			crypto_free_acomp(c->tfm);
		kfree(c->buf);
	}
	free_percpu(ctxs);
}

/* A context for each possible CPU, in @ctxsp; 0 or an errno. */
static int swaplab_compress_ctxs_alloc(const char *alg,
				       struct swaplab_compress_ctx __percpu **ctxsp)
{
	struct swaplab_compress_ctx __percpu *ctxs;
	int cpu, err = 0;

	ctxs = alloc_percpu(struct swaplab_compress_ctx);
	if (!ctxs)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct swaplab_compress_ctx *c = per_cpu_ptr(ctxs, cpu);

		mutex_init(&c->lock);
		crypto_init_wait(&c->wait);
		c->tfm = crypto_alloc_acomp(alg, 0, 0);
		if (IS_ERR(c->tfm)) {
			err = PTR_ERR(c->tfm);
			break;
		}
		c->req = acomp_request_alloc(c->tfm);
		c->buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
		if (!c->req || !c->buf) {
			err = -ENOMEM;
			break;
		}
		acomp_request_set_callback(c->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					   crypto_req_done, &c->wait);
	}
	if (err) {
		swaplab_compress_ctxs_free(ctxs);
		return err;
	}
	*ctxsp = ctxs;
	return 0;
}

static void swaplab_compressor_release(struct kref *kref)
{
	struct swaplab_compressor *comp =
		container_of(kref, struct swaplab_compressor, kref);

	swaplab_compress_ctxs_free(comp->ctxs);
	kfree(comp);
}

/* Drop a reference; the last one frees it. Process context. */
static void swaplab_compressor_put(struct swaplab_compressor *comp)
{
	kref_put(&comp->kref, swaplab_compressor_release);
}

/**
 * swaplab_compress_select() - the knob compress
 * @buf: "off", or the name of a compression algorithm of the crypto API
 *	(a trailing newline is allowed)
 *
 * The pages in the pool stay, each with the algorithm that made it.
 *
 * Context: process context, sleeps (the crypto API's allocations).
 * Return: 0; -EINVAL for an empty or too long name, -ENOENT for an
 * algorithm the kernel does not have, -ENOMEM: then nothing changes.
 */
int swaplab_compress_select(const char *buf)
{
	struct swaplab_compressor *comp = NULL, *old;
	char buf_name[CRYPTO_MAX_ALG_NAME], *name;
	int err;

	if (strscpy(buf_name, buf, sizeof(buf_name)) < 0)
		return -EINVAL;
	name = strim(buf_name);
	if (!name[0])
		return -EINVAL;
	if (strcmp(name, "off")) {
		comp = kzalloc(sizeof(*comp), GFP_KERNEL);
		if (!comp)
			return -ENOMEM;
		kref_init(&comp->kref);
		strscpy(comp->name, name, sizeof(comp->name));
		err = swaplab_compress_ctxs_alloc(name, &comp->ctxs);
		if (err) {
			kfree(comp);
			return err;
		}
	}
	spin_lock(&swaplab_compress_lock);
	old = swaplab_compressor;
	WRITE_ONCE(swaplab_compressor, comp);
	spin_unlock(&swaplab_compress_lock);
	if (old)
		swaplab_compressor_put(old);
	return 0;
}

/**
 * swaplab_compress_show() - the knob compress
 * @buf: a sysfs buffer
 *
 * Return: its length: "off", or the algorithm's name, and a newline.
 */
ssize_t swaplab_compress_show(char *buf)
{
	char name[CRYPTO_MAX_ALG_NAME] = "off";

	spin_lock(&swaplab_compress_lock);
	if (swaplab_compressor)
		strscpy(name, swaplab_compressor->name, sizeof(name));
	spin_unlock(&swaplab_compress_lock);
	return sysfs_emit(buf, "%s\n", name);
}

/**
 * swaplab_compress_pool_max() - the knob compress_pool_max
 *
 * Return: the most bytes the pool's entries may take.
 */
u64 swaplab_compress_pool_max(void)
{
	return READ_ONCE(swaplab_pool_max);
}

/**
 * swaplab_compress_set_pool_max() - set the knob compress_pool_max
 * @bytes: the most bytes the pool's entries may take; 0 keeps no
 *	compressed page (same-filled pages are still kept)
 *
 * Entries beyond a lower cap are written back now, as far as the store
 * takes them; the rest wait for the next page to come to the pool.
 *
 * Context: process context, sleeps.
 * Return: 0 (the cap is set, also when a fatal signal stopped the
 * write-back); -EINVAL above half the machine's memory (nothing changes).
 */
int swaplab_compress_set_pool_max(u64 bytes)
{
	bool over;

	if (bytes > (u64)totalram_pages() * PAGE_SIZE / 2)
		return -EINVAL;
	WRITE_ONCE(swaplab_pool_max, bytes);
	do {
		spin_lock(&swaplab_pool_lock);
		over = swaplab_pool_bytes > bytes;
		spin_unlock(&swaplab_pool_lock);
		cond_resched();
	} while (over && !fatal_signal_pending(current) &&
		 swaplab_pool_writeback(SWAPLAB_POOL_WB_BATCH));
	return 0;
}

/**
 * swaplab_compress_stat() - the pool's gauges, for the stat file
 * @buf: the sysfs buffer
 * @len: what is in it already
 *
 * Return: the new length.
 */
int swaplab_compress_stat(char *buf, int len)
{
	unsigned long bytes, pages, filled;

	spin_lock(&swaplab_pool_lock);
	bytes = swaplab_pool_bytes;
	pages = swaplab_pool_pages;
	filled = swaplab_pool_filled;
	spin_unlock(&swaplab_pool_lock);
	len += sysfs_emit_at(buf, len, "compress_pool_bytes %lu\n", bytes);
	len += sysfs_emit_at(buf, len, "compress_pool_pages %lu\n", pages);
	len += sysfs_emit_at(buf, len, "compress_same_pages %lu\n", filled);
	return len;
}

/**
 * swaplab_compress_init() - create the pool's slab caches
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int swaplab_compress_init(void)
{
	char name[32];
	int i;

	BUILD_BUG_ON(sizeof(struct swaplab_zentry) >= SWAPLAB_POOL_STEP);
	for (i = 0; i < SWAPLAB_POOL_CLASSES; i++) {
		snprintf(name, sizeof(name), "swaplab_z%lu",
			 (i + 1) * SWAPLAB_POOL_STEP);
		swaplab_pool_cache[i] =
			kmem_cache_create(name, (i + 1) * SWAPLAB_POOL_STEP,
					  0, SLAB_ACCOUNT, NULL);
		if (!swaplab_pool_cache[i]) {
			swaplab_compress_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * swaplab_compress_exit() - free the algorithm and the pool's caches
 *
 * Context: module exit, every region gone (so is every pool entry).
 */
void swaplab_compress_exit(void)
{
	int i;

	WARN_ON_ONCE(!xa_empty(&swaplab_pool_ids));
	if (swaplab_compressor)
		swaplab_compressor_put(swaplab_compressor);
	swaplab_compressor = NULL;
	for (i = 0; i < SWAPLAB_POOL_CLASSES; i++) {
		kmem_cache_destroy(swaplab_pool_cache[i]);
		swaplab_pool_cache[i] = NULL;
	}
}
