// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: the memory objects behind /dev/swaplab mappings.
 *
 * Each region owns a private inode on a small pseudo filesystem, as DRM
 * gives each device an anonymous inode. Every VMA that maps the region is
 * linked into that inode's address_space, so unmap_mapping_pages() on it
 * reaches every PTE of one page and of no other region.
 *
 * The region's page table is an xarray from page index to struct page.
 * The fault path looks a page up under the xarray lock, takes a page
 * reference, then sleeps on the page lock and re-checks that the entry is
 * still there: whoever removes a page from a region does so with the page
 * locked, so a locked page found in the xarray may be mapped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>

#include "swaplab.h"

#define SWAPLAB_FS_MAGIC	0x73776c62	/* "swlb" */

/*
 * The pseudo filesystem is mounted while any region exists
 * (simple_pin_fs() counts the users in swaplab_fs_count, under the VFS's
 * own pin_fs_lock).
 */
static struct vfsmount *swaplab_fs_mnt;
static int swaplab_fs_count;
static atomic64_t swaplab_region_next_id = ATOMIC64_INIT(0);
static atomic_long_t swaplab_nr_regions = ATOMIC_LONG_INIT(0);
/* Size limit of new regions, in bytes; READ_ONCE()/WRITE_ONCE(), no lock. */
static u64 swaplab_region_max_bytes = SWAPLAB_REGION_MAX_DEFAULT;

static int swaplab_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, SWAPLAB_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type swaplab_fs_type = {
	.name		 = "swaplab",
	.owner		 = THIS_MODULE,
	.init_fs_context = swaplab_fs_init_fs_context,
	.kill_sb	 = kill_anon_super,
};

/**
 * swaplab_region_exit() - check that no region outlived the module
 *
 * Every region pins the module through its file, so none can be left.
 *
 * Context: module exit.
 */
void swaplab_region_exit(void)
{
	WARN_ON_ONCE(atomic_long_read(&swaplab_nr_regions));
}

/**
 * swaplab_region_create() - make a new, empty region
 * @max_pages: size limit in pages
 *
 * Context: process context, may sleep.
 * Return: the region with one reference, or an ERR_PTR().
 */
struct swaplab_region *swaplab_region_create(unsigned long max_pages)
{
	struct swaplab_region *region;
	int err;

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return ERR_PTR(-ENOMEM);

	err = simple_pin_fs(&swaplab_fs_type, &swaplab_fs_mnt,
			    &swaplab_fs_count);
	if (err)
		goto free_region;

	region->inode = alloc_anon_inode(swaplab_fs_mnt->mnt_sb);
	if (IS_ERR(region->inode)) {
		err = PTR_ERR(region->inode);
		goto release_fs;
	}

	kref_init(&region->kref);
	region->id = atomic64_inc_return(&swaplab_region_next_id);
	region->max_pages = max_pages;
	xa_init(&region->pages);
	atomic_long_set(&region->nr_resident, 0);
	atomic_long_inc(&swaplab_nr_regions);
	return region;

release_fs:
	simple_release_fs(&swaplab_fs_mnt, &swaplab_fs_count);
free_region:
	kfree(region);
	return ERR_PTR(err);
}

/**
 * swaplab_region_get() - take a reference on a region
 * @region: the region
 *
 * Context: any.
 */
void swaplab_region_get(struct swaplab_region *region)
{
	kref_get(&region->kref);
}

/*
 * The last user is gone: no VMA maps the region and no file refers to it,
 * so nothing can fault or look up pages any more.
 */
static void swaplab_region_release(struct kref *kref)
{
	struct swaplab_region *region =
		container_of(kref, struct swaplab_region, kref);
	struct page *page;
	unsigned long index;

	xa_for_each(&region->pages, index, page) {
		put_page(page);
		swaplab_frame_put();
	}
	xa_destroy(&region->pages);
	iput(region->inode);
	simple_release_fs(&swaplab_fs_mnt, &swaplab_fs_count);
	atomic_long_dec(&swaplab_nr_regions);
	kfree(region);
}

/**
 * swaplab_region_put() - drop a reference; free the region with the last
 * @region: the region
 *
 * Freeing returns every frame the region held.
 *
 * Context: process context, may sleep when it drops the last reference.
 */
void swaplab_region_put(struct swaplab_region *region)
{
	kref_put(&region->kref, swaplab_region_release);
}

/* A new zero-filled page, locked, with a frame from the budget. */
static struct page *swaplab_region_new_page(void)
{
	struct page *page;

	if (!swaplab_frame_get())
		return ERR_PTR(-ENOSPC);

	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	if (!page) {
		swaplab_frame_put();
		return ERR_PTR(-ENOMEM);
	}
	__folio_set_locked(page_folio(page));
	return page;
}

static void swaplab_region_free_new_page(struct page *page)
{
	__folio_clear_locked(page_folio(page));
	put_page(page);
	swaplab_frame_put();
}

/**
 * swaplab_region_get_page() - find or create the page at an index
 * @region: the region
 * @index: page index inside the region, below @region->max_pages
 *
 * A page not yet in the region is zero-filled with a frame from the
 * budget (demand paging of fresh memory).
 *
 * Context: process context, may sleep (page lock, allocation).
 * Return: the page, locked, with a reference for the caller; or
 * ERR_PTR(-ENOSPC) when the frame budget is used up, ERR_PTR(-ENOMEM)
 * when the kernel cannot allocate.
 */
struct page *swaplab_region_get_page(struct swaplab_region *region,
				     pgoff_t index)
{
	struct page *page, *new, *old;

	for (;;) {
		xa_lock(&region->pages);
		page = xa_load(&region->pages, index);
		if (page)
			get_page(page);
		xa_unlock(&region->pages);

		if (page) {
			lock_page(page);
			if (likely(xa_load(&region->pages, index) == page))
				return page;
			/* Removed while we slept on the lock: look again. */
			unlock_page(page);
			put_page(page);
			continue;
		}

		new = swaplab_region_new_page();
		if (IS_ERR(new))
			return new;

		old = xa_cmpxchg(&region->pages, index, NULL, new, GFP_KERNEL);
		if (likely(!old)) {
			atomic_long_inc(&region->nr_resident);
			swaplab_count_event(SWAPLAB_ZERO_FILLS);
			/* One reference for the xarray, one for the caller. */
			get_page(new);
			return new;
		}
		swaplab_region_free_new_page(new);
		if (xa_is_err(old))
			return ERR_PTR(xa_err(old));
		/* Another fault inserted the page first: use that one. */
	}
}

/**
 * swaplab_region_count() - number of live regions
 *
 * Return: regions that exist now.
 */
unsigned long swaplab_region_count(void)
{
	return atomic_long_read(&swaplab_nr_regions);
}

/**
 * swaplab_region_max() - size limit given to new regions
 *
 * Return: the limit in bytes, a multiple of PAGE_SIZE.
 */
u64 swaplab_region_max(void)
{
	return READ_ONCE(swaplab_region_max_bytes);
}

/**
 * swaplab_region_set_max() - change the size limit of new regions
 * @bytes: new limit; existing regions keep theirs
 *
 * Context: any.
 * Return: 0, or -EINVAL unless @bytes is a multiple of PAGE_SIZE between
 * PAGE_SIZE and %SWAPLAB_REGION_MAX_LIMIT (nothing changes then).
 */
int swaplab_region_set_max(u64 bytes)
{
	if (!bytes || bytes > SWAPLAB_REGION_MAX_LIMIT ||
	    !IS_ALIGNED(bytes, PAGE_SIZE))
		return -EINVAL;
	WRITE_ONCE(swaplab_region_max_bytes, bytes);
	return 0;
}
