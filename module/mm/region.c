// SPDX-License-Identifier: GPL-2.0
/*
 * Regions: the memory objects behind /dev/swaplab mappings, and their
 * page tables.
 *
 * Each region owns a private inode on a small pseudo filesystem, as DRM
 * gives each device an anonymous inode. Every VMA that maps the region is
 * linked into that inode's address_space, so unmap_mapping_pages() on it
 * reaches every PTE of one page and of no other region, and the same tree
 * lists the VMAs whose accessed bits harvest.c reads.
 *
 * The page table (region->pages) maps a page index to a resident frame or
 * to the swap slot that holds the page. The fault path (fault.c) fills
 * it, and its comment gives the rules for changing an entry; this file
 * allocates and frees the frames, and records an eviction. The ioctls
 * on a region's pages are range.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ipc_namespace.h>
#include <linux/limits.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "store/compress.h"
#include "policy/core.h"
#include "alloc/frames.h"
#include "mm/file.h"
#include "lib/memlock.h"
#include "store/pagebuf.h"
#include "pager/pager.h"
#include "pager/pagerdata.h"
#include "api/policy.h"
#include "api/prefetch.h"
#include "alloc/proc.h"
#include "mm/record.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "uapi/swaplab.h"

#define SWAPLAB_FS_MAGIC	0x73776c62	/* "swlb" */

/*
 * The pseudo filesystem is mounted while any region exists
 * (simple_pin_fs() counts the users in swaplab_fs_count, under the VFS's
 * own pin_fs_lock).
 */
static struct vfsmount *swaplab_fs_mnt;
static int swaplab_fs_count;
static atomic_long_t swaplab_nr_regions = ATOMIC_LONG_INIT(0);
/* Size limit of new regions, in bytes; READ_ONCE()/WRITE_ONCE(), no lock. */
static u64 swaplab_region_max_bytes = SWAPLAB_REGION_MAX_DEFAULT;

/*
 * swaplab_regions_mutex protects swaplab_regions. A region leaves the list
 * at the start of its release, so a walker holding the mutex sees only
 * regions whose memory stays valid until it lets go.
 */
static DEFINE_MUTEX(swaplab_regions_mutex);
static LIST_HEAD(swaplab_regions);
/*
 * Every live region by id, for answers that name pages by identity (the
 * external pager's, eBPF policies'): looked up under RCU, as regions are
 * freed after a grace period. It has its own lock; a region is in it from
 * its allocation to the start of its release. Ids are handed out in turn,
 * from 1 to %SWAPLAB_REGION_ID_MAX and round again, skipping live
 * regions', as PIDs are: whoever makes and ends regions can only wrap
 * the count, never leave a region without a number that programs and
 * records can name. swaplab_region_next_id is the next id to try, under
 * the xarray's lock.
 */
static DEFINE_XARRAY_ALLOC1(swaplab_regions_by_id);
static u32 swaplab_region_next_id = 1;

static struct kmem_cache *swaplab_frame_cache;
/*
 * Releases put off by swaplab_region_put_async(). A region pins the
 * module through its pseudo filesystem's mount until the end of its
 * release, so none is queued when the module goes.
 */
static struct workqueue_struct *swaplab_release_wq;

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
 * swaplab_region_init() - set up region bookkeeping at module load
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int swaplab_region_init(void)
{
	int err = 0;

	/* Descriptors are charged to the faulting task's memory cgroup. */
	swaplab_frame_cache = KMEM_CACHE(swaplab_frame, SLAB_ACCOUNT);
	if (!swaplab_frame_cache)
		return -ENOMEM;
	swaplab_release_wq = alloc_workqueue("swaplab_release", WQ_UNBOUND, 0);
	if (!swaplab_release_wq)
		goto free_cache;
	err = swaplab_filewatch_init();
	if (err)
		goto free_wq;
	return 0;

free_wq:
	destroy_workqueue(swaplab_release_wq);
free_cache:
	kmem_cache_destroy(swaplab_frame_cache);
	return err ?: -ENOMEM;
}

/**
 * swaplab_region_exit() - tear down region bookkeeping
 *
 * Every region pins the module through its file, so none can be left.
 *
 * Context: module exit.
 */
void swaplab_region_exit(void)
{
	destroy_workqueue(swaplab_release_wq);
	swaplab_filewatch_exit();
	WARN_ON_ONCE(atomic_long_read(&swaplab_nr_regions));
	kmem_cache_destroy(swaplab_frame_cache);
}

/*
 * A region is being made for @proc: count it, so that the core lists the
 * process (with its own policy state under allocation=local). Before any
 * region is made, and outside swaplab_regions_mutex, which the core's
 * policy mutex is taken outside of. Return: 0 or -errno (nothing counted).
 */
static int swaplab_region_proc_add(struct swaplab_proc *proc)
{
	int err;

	atomic_long_inc(&proc->nr_regions);
	err = swaplab_core_proc_sync(proc);
	if (err) {
		atomic_long_dec(&proc->nr_regions);
		swaplab_core_proc_sync(proc);
	}
	return err;
}

/* Undo swaplab_region_proc_add(): a region of @proc is gone, or unmade. */
static void swaplab_region_proc_del(struct swaplab_proc *proc)
{
	atomic_long_dec(&proc->nr_regions);
	swaplab_core_proc_sync(proc);
}

/*
 * The caller's IPC namespace, with a reference. put_ipc_ns() is exported
 * only from 6.x on; the namespace's own ns_common operations, which nsfs
 * uses, work on every kernel. Without CONFIG_IPC_NS there is one
 * namespace, with no operations and nothing to count.
 */
static struct ns_common *swaplab_ipc_ns_get(void)
{
	struct ns_common *ns = &current->nsproxy->ipc_ns->ns;

	return ns->ops ? ns->ops->get(current) : ns;
}

static void swaplab_ipc_ns_put(struct ns_common *ns)
{
	if (ns && ns->ops)
		ns->ops->put(ns);
}

/*
 * A new, empty, unlisted region with one reference, charged to @proc,
 * whose reference it takes on success; swaplab_region_proc_add() counted
 * it.
 */
static struct swaplab_region *__swaplab_region_alloc(unsigned long max_pages,
						     struct swaplab_proc *proc)
{
	struct swaplab_region *region;
	u32 id;
	int err;

	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
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

	/* The id is reserved now, and the region found by it only below. */
	err = xa_alloc_cyclic(&swaplab_regions_by_id, &id, NULL,
			      XA_LIMIT(1, SWAPLAB_REGION_ID_MAX),
			      &swaplab_region_next_id, GFP_KERNEL);
	if (err < 0)
		goto put_inode;
	kref_init(&region->kref);
	region->id = id;
	region->max_pages = max_pages;
	xa_init_flags(&region->pages, XA_FLAGS_ACCOUNT);
	atomic_long_set(&region->nr_resident, 0);
	atomic_long_set(&region->nr_faults, 0);
	atomic_long_set(&region->nr_major, 0);
	swaplab_prefetch_region_init(region);
	region->ra_mark = ULONG_MAX;
	atomic_long_set(&region->nr_swapped, 0);
	atomic_long_set(&region->nr_held, 0);
	atomic_long_set(&region->nr_pinned, 0);
	region->proc = proc;
	/* Its creator, who may change how it is paged for everyone. */
	region->ipc_ns = swaplab_ipc_ns_get();
	region->uid = current_euid();
	region->gid = current_egid();
	mutex_init(&region->move_lock);
	INIT_LIST_HEAD(&region->pager_node);
	/* Last: a lookup by id may find it at once. The slot exists. */
	xa_store(&swaplab_regions_by_id, id, region, GFP_KERNEL);
	atomic_long_inc(&swaplab_nr_regions);
	return region;

put_inode:
	iput(region->inode);
release_fs:
	simple_release_fs(&swaplab_fs_mnt, &swaplab_fs_count);
free_region:
	kfree(region);
	return ERR_PTR(err);
}

/*
 * A new unnamed region of @max_pages pages, of @fm's range of @file if
 * @file is not NULL (a reference it takes), listed and offered to the
 * default pager. Return: the region with one reference, or an ERR_PTR().
 */
static struct swaplab_region *swaplab_region_new(unsigned long max_pages,
						 struct file *file,
						 const struct swaplab_file_map *fm)
{
	struct swaplab_proc *proc = swaplab_proc_get_current();
	struct swaplab_region *region;

	if (IS_ERR(proc))
		return ERR_CAST(proc);
	region = ERR_PTR(swaplab_region_proc_add(proc));
	if (!PTR_ERR(region)) {
		region = __swaplab_region_alloc(max_pages, proc);
		if (IS_ERR(region))
			swaplab_region_proc_del(proc);
	}
	if (IS_ERR(region)) {
		swaplab_proc_put(proc);
		return region;
	}
	/* Before anyone can find it: no fault sees it without its file. */
	if (file) {
		region->file = get_file(file);
		region->file_pos = fm->offset;
		region->file_private = fm->flags & SWAPLAB_FILE_PRIVATE;
	}
	mutex_lock(&swaplab_regions_mutex);
	list_add_tail(&region->node, &swaplab_regions);
	mutex_unlock(&swaplab_regions_mutex);
	/* Whole, and outside the mutex (harvest takes it under others). */
	swaplab_pagerdata_region_new(region);
	return region;
}

/**
 * swaplab_region_create() - make a new, empty, anonymous region
 * @max_pages: size limit in pages
 *
 * Context: process context, may sleep.
 * Return: the region with one reference, or an ERR_PTR().
 */
struct swaplab_region *swaplab_region_create(unsigned long max_pages)
{
	return swaplab_region_new(max_pages, NULL, NULL);
}

/**
 * swaplab_region_create_file() - make a new region of a range of a file
 * @file: the file, claimed with swaplab_file_claim(); the region takes a
 *	reference on it, held for its life, and the claim
 * @fm: the range, and whether the region is private
 *
 * Its pages are in @file until they are first faulted in (file.c).
 *
 * Context: process context, may sleep.
 * Return: the region with one reference, or an ERR_PTR().
 */
struct swaplab_region *swaplab_region_create_file(struct file *file,
						  const struct swaplab_file_map *fm)
{
	return swaplab_region_new(fm->length >> PAGE_SHIFT, file, fm);
}

/* May the current task open a named region with @fmode? As ipcperms(). */
static int swaplab_region_permission(struct swaplab_region *region,
				     fmode_t fmode)
{
	int want = (fmode & FMODE_READ ? 4 : 0) | (fmode & FMODE_WRITE ? 2 : 0);
	int granted;

	/* A file opened for neither reading nor writing gets nothing. */
	if (!want)
		return -EACCES;

	if (uid_eq(current_euid(), region->uid))
		granted = region->mode >> 6;
	else if (in_group_p(region->gid))
		granted = region->mode >> 3;
	else
		granted = region->mode;
	/* As ipcperms(): the override is the namespace owner's. */
	if ((granted & want) == want ||
	    ns_capable(container_of(region->ipc_ns, struct ipc_namespace,
				    ns)->user_ns, CAP_IPC_OWNER))
		return 0;
	return -EACCES;
}

/**
 * swaplab_region_owned() - may the caller change how a region is paged
 *	for everyone who maps it?
 * @region: the region
 *
 * As shmctl()'s IPC_SET and SHM_LOCK: the region's creator (its effective
 * uid), or CAP_SYS_ADMIN in the user namespace that owns the creator's
 * IPC namespace. Other users who may write a shared region may change
 * its data, not impose a mode on its other users. That holds for an
 * anonymous region too: its file can be handed to another user (over a
 * socket, or after a MOVE), and what the mode and the weight change is
 * the paging of its creator's process, which the holder does not own.
 *
 * Context: process context.
 * Return: true if the caller may.
 */
bool swaplab_region_owned(const struct swaplab_region *region)
{
	if (uid_eq(current_euid(), region->uid))
		return true;
	return ns_capable(container_of(region->ipc_ns, struct ipc_namespace,
				       ns)->user_ns, CAP_SYS_ADMIN);
}

/**
 * swaplab_region_file() - a new open file of a region
 * @region: the region; on success the file owns the caller's reference
 * @flags: the access mode, %O_RDONLY, %O_WRONLY or %O_RDWR
 * @fops: the file's operations; their owner must already be pinned
 *	for the file, as anon_inode_getfile() does
 *
 * The file is on the region's own inode, so its f_mapping is the region's
 * address_space from the start and never changes. Its private_data is
 * @region.
 *
 * Context: process context, may sleep.
 * Return: the file, or an ERR_PTR() (the reference stays the caller's).
 */
struct file *swaplab_region_file(struct swaplab_region *region, int flags,
				 const struct file_operations *fops)
{
	struct file *file;

	ihold(region->inode);
	file = alloc_file_pseudo(region->inode, swaplab_fs_mnt, "swaplab",
				 flags, fops);
	if (IS_ERR(file)) {
		iput(region->inode);
		return file;
	}
	file->private_data = region;
	return file;
}

/**
 * swaplab_region_attach() - find or create a named region
 * @at: the request, already copied from userspace
 * @fmode: the opening file's mode, checked against the region's
 *	permission bits
 *
 * A named region is shared by every file attached to it, in any process
 * of the IPC namespace it was created in: names are looked up in the
 * caller's IPC namespace, as System V IPC keys are, so that containers
 * neither see nor squat each other's names. The region holds a reference
 * on that namespace. Like any region it is freed when its last file and
 * mapping are gone.
 *
 * Context: process context; takes swaplab_regions_mutex.
 * Return: the region with a reference for the caller, or ERR_PTR():
 * -EINVAL for a bad name, size, mode or flag, -ENOENT if missing and not
 * %SWAPLAB_ATTACH_CREATE, -EEXIST if present and %SWAPLAB_ATTACH_EXCL,
 * -EACCES if the permission bits refuse @fmode.
 */
struct swaplab_region *swaplab_region_attach(const struct swaplab_attach *at,
					     fmode_t fmode)
{
	u64 size = at->size ?: swaplab_region_max();
	size_t len = strnlen(at->name, SWAPLAB_NAME_MAX);
	struct ns_common *ns = &current->nsproxy->ipc_ns->ns;
	struct swaplab_region *region;
	struct swaplab_proc *proc;
	int i, err;

	if (!len || len == SWAPLAB_NAME_MAX ||
	    at->flags & ~(SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL |
			  SWAPLAB_ATTACH_CLOEXEC) ||
	    at->mode & ~0777 || size > SWAPLAB_REGION_MAX_LIMIT ||
	    !IS_ALIGNED(size, PAGE_SIZE))
		return ERR_PTR(-EINVAL);
	for (i = 0; i < ARRAY_SIZE(at->reserved); i++)
		if (at->reserved[i])
			return ERR_PTR(-EINVAL);

	/*
	 * Taken and counted before the mutex, in case the name is new:
	 * swaplab_procs_mutex is taken alone, the policy mutex outside it.
	 */
	proc = swaplab_proc_get_current();
	if (IS_ERR(proc))
		return ERR_CAST(proc);
	err = swaplab_region_proc_add(proc);
	if (err) {
		swaplab_proc_put(proc);
		return ERR_PTR(err);
	}

	mutex_lock(&swaplab_regions_mutex);
	list_for_each_entry(region, &swaplab_regions, node) {
		if (region->ipc_ns != ns || strcmp(region->name, at->name) ||
		    !kref_get_unless_zero(&region->kref))
			continue;
		mutex_unlock(&swaplab_regions_mutex);
		swaplab_region_proc_del(proc);
		swaplab_proc_put(proc);
		err = at->flags & SWAPLAB_ATTACH_EXCL ? -EEXIST :
		      swaplab_region_permission(region, fmode);
		if (err) {
			swaplab_region_put(region);
			return ERR_PTR(err);
		}
		return region;
	}

	if (!(at->flags & SWAPLAB_ATTACH_CREATE)) {
		region = ERR_PTR(-ENOENT);
		goto unlock;
	}
	region = __swaplab_region_alloc(size >> PAGE_SHIFT, proc);
	if (IS_ERR(region))
		goto unlock;
	strscpy(region->name, at->name, sizeof(region->name));
	region->mode = at->mode ?: 0600;
	list_add_tail(&region->node, &swaplab_regions);
	mutex_unlock(&swaplab_regions_mutex);
	/* Made here: the default pager claims it, outside the mutex. */
	swaplab_pagerdata_region_new(region);
	return region;
unlock:
	mutex_unlock(&swaplab_regions_mutex);
	swaplab_region_proc_del(proc);
	swaplab_proc_put(proc);
	return region;
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

/**
 * swaplab_region_map() - a mapping of the region reaches page @end
 * @region: the region
 * @end: the page index just past the mapping
 *
 * Raises the region's mapped extent, and its process's size (the sum of
 * its regions' extents), which proportional allocation shares frames by.
 * Extents only grow: a munmap() leaves them, as the region keeps its
 * pages.
 *
 * Context: process context (mmap), may sleep.
 */
void swaplab_region_map(struct swaplab_region *region, unsigned long end)
{
	long old = atomic_long_read(&region->mapped);

	do {
		if (old >= (long)end)
			return;
	} while (!atomic_long_try_cmpxchg(&region->mapped, &old, end));
	atomic_long_add(end - old, &region->proc->mapped);
	swaplab_core_rebalance();
}

/**
 * swaplab_region_set_weight() - set the weight of the region's process
 * @region: the region
 * @weight: 1 to %SWAPLAB_WEIGHT_MAX, checked by the caller
 *
 * Every process's share is set again.
 *
 * Context: process context, may sleep.
 */
void swaplab_region_set_weight(struct swaplab_region *region,
			       unsigned int weight)
{
	WRITE_ONCE(region->proc->weight, weight);
	swaplab_core_rebalance();
}

/*
 * What @entry, leaving @src, is stored as in @dst: NULL for one that
 * holds no data (its history goes with the page); a value entry loses its
 * history if it changes processes under allocation=local, whose states of
 * the policy are each their own.
 */
static void *swaplab_region_carried(struct swaplab_region *src,
				    struct swaplab_region *dst, void *entry)
{
	if (!swaplab_shadow_has_data(entry))
		return NULL;
	if (xa_is_value(entry) && src->proc != dst->proc &&
	    swaplab_core_local())
		return swaplab_shadow_forget(entry);
	return entry;
}

/*
 * Under @dst's table lock: @entry (a frame or a value entry with data) now
 * stands at @didx of @dst. A frame takes its new place; a pool entry is
 * told it.
 */
static void swaplab_region_placed(struct swaplab_region *dst, pgoff_t didx,
				  void *entry)
{
	struct swaplab_frame *f = xa_is_value(entry) ? NULL : entry;

	lockdep_assert_held(&dst->pages.xa_lock);
	if (f) {
		f->region = dst;
		f->region_id = dst->id;
		f->index = didx;
	} else if (swaplab_slot_in_pool(swaplab_shadow_slot(entry))) {
		swaplab_compress_rehome(swaplab_shadow_slot(entry), dst, didx);
	}
}

/*
 * After the tables changed: @entry's data went from @src to @dst. A
 * frame is charged to @dst's process from then on, out of every
 * working-set window until seen referenced there, and no longer a page
 * read ahead; a slot on the store is counted where it now is.
 */
static void swaplab_region_arrived(struct swaplab_region *src,
				   struct swaplab_region *dst, void *entry)
{
	struct swaplab_frame *f = xa_is_value(entry) ? NULL : entry;

	if (f) {
		atomic_long_dec(&src->nr_resident);
		atomic_long_inc(&dst->nr_resident);
		swaplab_proc_uncharge(src->proc);
		swaplab_proc_charge(dst->proc);
		/* Read ahead for the old place: no use of it at the new. */
		clear_bit(SWAPLAB_FRAME_READAHEAD, &f->flags);
		clear_bit(SWAPLAB_FRAME_RA_ASYNC, &f->flags);
		clear_bit(SWAPLAB_FRAME_WS_REF, &f->flags);
		f->ws_stamp = (unsigned int)READ_ONCE(dst->proc->ws.vtime) -
			      (1U << 31);
	} else if (swaplab_slot_on_store(swaplab_shadow_slot(entry))) {
		atomic_long_dec(&src->nr_swapped);
		atomic_long_inc(&dst->nr_swapped);
	}
}

/*
 * The two places' entries change places, under both tables' locks: @a's
 * @ea at @ai goes to @b at @bi, and @b's @eb there to @ai (an entry with
 * no data as NULL, swaplab_region_carried()). Either may be NULL. A store
 * that needs a node comes first, so that a failure changes nothing, and
 * one over an entry that stays cannot fail.
 * Return: 0, -EAGAIN if either entry is no longer what the caller found,
 * or an xarray error.
 */
static int swaplab_region_swap_locked(struct swaplab_region *a, pgoff_t ai,
				      void *ea, struct swaplab_region *b,
				      pgoff_t bi, void *eb)
{
	void *to_b = swaplab_region_carried(a, b, ea);
	void *to_a = swaplab_region_carried(b, a, eb);
	void *prev;

	lockdep_assert_held(&a->pages.xa_lock);
	lockdep_assert_held(&b->pages.xa_lock);
	if (xa_load(&a->pages, ai) != ea || xa_load(&b->pages, bi) != eb)
		return -EAGAIN;
	if (to_b) {
		prev = __xa_store(&b->pages, bi, to_b, GFP_NOWAIT);
		if (xa_is_err(prev))
			return xa_err(prev);
	}
	prev = __xa_store(&a->pages, ai, to_a, GFP_NOWAIT);
	if (xa_is_err(prev)) {
		/* Back over @to_b, whose node stays: nothing to allocate. */
		if (to_b)
			__xa_store(&b->pages, bi, eb, GFP_NOWAIT);
		return xa_err(prev);
	}
	if (!to_b)
		__xa_erase(&b->pages, bi);
	swaplab_proc_entry_changed(b, eb, to_b);
	swaplab_proc_entry_changed(a, ea, to_a);
	if (to_b)
		swaplab_region_placed(b, bi, to_b);
	if (to_a)
		swaplab_region_placed(a, ai, to_a);
	return 0;
}

/* Does either entry of a pair hold data, so that the pair swaps at all? */
static bool swaplab_region_pair_data(void *ea, void *eb)
{
	return swaplab_shadow_has_data(ea) || swaplab_shadow_has_data(eb);
}

/*
 * Room, where one may sleep, for each place of @n pairs that was found
 * empty and is to take the other's entry (an entry found stands in a node
 * until the swap, which finds it there or gives up).
 * Return: how many pairs from the first have their room.
 */
static unsigned int swaplab_region_reserve_run(struct swaplab_region *a,
					       pgoff_t ai, void **ea,
					       struct swaplab_region *b,
					       pgoff_t bi, void **eb,
					       unsigned int n)
{
	unsigned int j;

	for (j = 0; j < n; j++) {
		if (!swaplab_region_pair_data(ea[j], eb[j]))
			continue;
		if (!eb[j] && xa_reserve(&b->pages, bi + j, GFP_KERNEL))
			break;
		if (!ea[j] && xa_reserve(&a->pages, ai + j, GFP_KERNEL)) {
			if (!eb[j])
				xa_release(&b->pages, bi + j);
			break;
		}
	}
	return j;
}

/* The room of pairs @from to @n - 1 given back: they did not swap. */
static void swaplab_region_release_run(struct swaplab_region *a, pgoff_t ai,
				       void **ea, struct swaplab_region *b,
				       pgoff_t bi, void **eb,
				       unsigned int from, unsigned int n)
{
	unsigned int j;

	for (j = from; j < n; j++) {
		if (!swaplab_region_pair_data(ea[j], eb[j]))
			continue;
		if (!eb[j])
			xa_release(&b->pages, bi + j);
		if (!ea[j])
			xa_release(&a->pages, ai + j);
	}
}

/*
 * Under both tables' locks: swaplab_region_swap_locked() for each pair of
 * @n in turn, a pair with no data left as it is, until one fails (*@err).
 * Return: how many pairs from the first were done.
 */
static unsigned int swaplab_region_swap_pairs(struct swaplab_region *a,
					      pgoff_t ai, void **ea,
					      struct swaplab_region *b,
					      pgoff_t bi, void **eb,
					      unsigned int n, int *err)
{
	unsigned int j;

	*err = 0;
	for (j = 0; j < n; j++) {
		if (!swaplab_region_pair_data(ea[j], eb[j]))
			continue;
		*err = swaplab_region_swap_locked(a, ai + j, ea[j],
						  b, bi + j, eb[j]);
		if (*err)
			break;
	}
	return j;
}

/*
 * After a pair swapped: a history that went with no data is dropped, and
 * data that moved is counted where it is now.
 */
static void swaplab_region_swapped(struct swaplab_region *a, void *ea,
				   struct swaplab_region *b, void *eb)
{
	if (ea && !swaplab_shadow_has_data(ea))
		swaplab_shadow_drop(ea);
	if (eb && !swaplab_shadow_has_data(eb))
		swaplab_shadow_drop(eb);
	if (swaplab_shadow_has_data(ea))
		swaplab_region_arrived(a, b, ea);
	if (swaplab_shadow_has_data(eb))
		swaplab_region_arrived(b, a, eb);
}

/*
 * swaplab_region_swap_run() once: the room for the places found empty,
 * then every pair under one hold of both tables' locks (the lower region
 * number first), until one fails.
 */
static int swaplab_region_swap_pass(struct swaplab_region *a, pgoff_t ai,
				    void **ea, struct swaplab_region *b,
				    pgoff_t bi, void **eb, unsigned int n,
				    unsigned int *done)
{
	unsigned int room, j;
	int err;

	room = swaplab_region_reserve_run(a, ai, ea, b, bi, eb, n);
	if (a == b) {
		xa_lock(&a->pages);
		j = swaplab_region_swap_pairs(a, ai, ea, b, bi, eb, room, &err);
		xa_unlock(&a->pages);
	} else {
		struct swaplab_region *lo = a->id < b->id ? a : b;
		struct swaplab_region *hi = lo == a ? b : a;

		xa_lock(&lo->pages);
		xa_lock_nested(&hi->pages, SINGLE_DEPTH_NESTING);
		j = swaplab_region_swap_pairs(a, ai, ea, b, bi, eb, room, &err);
		xa_unlock(&hi->pages);
		xa_unlock(&lo->pages);
	}
	if (!err && room < n)
		err = -ENOMEM;
	swaplab_region_release_run(a, ai, ea, b, bi, eb, j, room);
	*done = j;
	while (j--)
		swaplab_region_swapped(a, ea[j], b, eb[j]);
	return err;
}

/**
 * swaplab_region_swap_run() - the entries of two runs of places change
 *	places
 * @a: a region
 * @ai: the first index of the run in @a
 * @ea: the entries found at @ai, @ai + 1, ...: each a frame whose page
 *	the caller holds locked, unmapped and out of the policy; a value
 *	entry; or NULL
 * @b: the other region; may be @a, with runs that do not overlap
 * @bi: the first index of the run in @b
 * @eb: the entries found from @bi, as @ea
 * @n: the number of pairs
 * @done: set to the number of pairs, from the first, that changed places
 *
 * swaplab_region_swap_entries() for each pair in turn, under one hold of
 * both tables' locks for the run (the lower region number first): the
 * room for the places found empty is had first, then every entry
 * changes. A pair neither of whose entries holds data is left as it is.
 * -ENOMEM is tried again once, from the pair it stopped at.
 *
 * Context: process context, may sleep (nodes of either table).
 * Return: 0, every pair done; else the error that stopped the run at
 * *@done pairs, which changed nothing from there on: -EAGAIN, an entry
 * is no longer the one found; -ENOMEM.
 */
int swaplab_region_swap_run(struct swaplab_region *a, pgoff_t ai, void **ea,
			    struct swaplab_region *b, pgoff_t bi, void **eb,
			    unsigned int n, unsigned int *done)
{
	unsigned int at;
	int err;

	err = swaplab_region_swap_pass(a, ai, ea, b, bi, eb, n, done);
	if (err != -ENOMEM)
		return err;
	/* Once more, for a node that went, with the entry that held it. */
	at = *done;
	err = swaplab_region_swap_pass(a, ai + at, ea + at, b, bi + at,
				       eb + at, n - at, done);
	*done += at;
	return err;
}

/* One pair of swaplab_region_swap_run(). */
static int swaplab_region_swap(struct swaplab_region *a, pgoff_t ai, void *ea,
			       struct swaplab_region *b, pgoff_t bi, void *eb)
{
	unsigned int done;

	return swaplab_region_swap_run(a, ai, &ea, b, bi, &eb, 1, &done);
}

/**
 * swaplab_region_cmpxchg() - replace a page's table entry if it is still
 *	the one found
 * @region: the region
 * @index: the page's index in @region
 * @old: the entry found there, NULL for none
 * @entry: the new entry
 * @gfp: for a node of the table
 *
 * As xa_cmpxchg(), except that a place a move or an exchange holds
 * reserved for the entry it brings (swaplab_region_swap_run()) is empty,
 * as xa_load() says it is: @old NULL replaces the reservation, and the
 * move then finds the place changed. xa_cmpxchg() leaves a reserved entry
 * where it is and returns NULL all the same, which a caller that found
 * the place empty takes for its store: its frame would be in no table.
 *
 * Context: process context if @gfp may sleep; takes the table's lock.
 * Return: the entry found (NULL for none or a reservation), which is
 * @old if @entry was stored; or an xa_err() entry.
 */
void *swaplab_region_cmpxchg(struct swaplab_region *region, pgoff_t index,
			     void *old, void *entry, gfp_t gfp)
{
	XA_STATE(xas, &region->pages, index);
	void *curr;

	do {
		xas_lock(&xas);
		curr = xas_load(&xas);
		if (xa_is_zero(curr))
			curr = NULL;
		if (curr == old)
			xas_store(&xas, entry);
		xas_unlock(&xas);
	} while (xas_nomem(&xas, gfp));
	if (xas_error(&xas))
		return XA_ERROR(xas_error(&xas));
	return curr;
}

/**
 * swaplab_region_move_entry() - give a page's table entry to another place
 * @src: the region the page leaves
 * @sidx: its index there
 * @entry: the entry found there: a frame whose page the caller holds
 *	locked, unmapped and out of the policy; or a value entry that names
 *	a slot on the store or in the compressed tier
 * @dst: the region the page enters; may be @src
 * @didx: its index there
 *
 * Both tables change under both their locks: @dst's entry becomes
 * @entry and @src's none. @dst's entry must hold no data; a shadow it had
 * is dropped. A frame takes its new place (its region, id and index) and
 * is charged to @dst's process from then on, out of every working-set
 * window until seen referenced there, and no longer a page read ahead;
 * a pool entry is told its new place. A slot's page keeps the history
 * its entry records, unless it changes processes under allocation=local,
 * whose states of the policy are each their own.
 *
 * Context: process context, may sleep (a node of @dst's table).
 * Return: 0; -EAGAIN if @src's entry is no longer @entry; -EEXIST if
 * @dst's entry holds data; -ENOMEM. Nothing changes on error.
 */
int swaplab_region_move_entry(struct swaplab_region *src, pgoff_t sidx,
			      void *entry, struct swaplab_region *dst,
			      pgoff_t didx)
{
	void *old;

	old = xa_load(&dst->pages, didx);
	if (swaplab_shadow_has_data(old))
		return -EEXIST;
	/* A page that came meanwhile is -EAGAIN; the caller looks again. */
	return swaplab_region_swap(src, sidx, entry, dst, didx, old);
}

/**
 * swaplab_region_swap_entries() - two places' table entries change places
 * @a: a region
 * @ai: an index in @a
 * @ea: the entry found there: a frame whose page the caller holds locked,
 *	unmapped and out of the policy; a value entry; or NULL
 * @b: the other region; may be @a
 * @bi: an index in @b, not @ai if @b is @a
 * @eb: the entry found there, as @ea
 *
 * As swaplab_region_move_entry(), both ways at once: what @a held at
 * @ai is @b's at @bi and the other way round, under both tables' locks.
 * An entry without data (a page that reads as zeroes) leaves its place
 * empty and its history is dropped.
 *
 * Context: process context, may sleep (a node of either table).
 * Return: 0; -EAGAIN if either entry is no longer the one found; -ENOMEM.
 * Nothing changes on error.
 */
int swaplab_region_swap_entries(struct swaplab_region *a, pgoff_t ai, void *ea,
				struct swaplab_region *b, pgoff_t bi, void *eb)
{
	return swaplab_region_swap(a, ai, ea, b, bi, eb);
}

/**
 * swaplab_region_frame_free() - free a frame: its page, descriptor and budget
 * @f: a frame no longer in its region's table nor in the policy; its page
 *	unlocked, or never locked for anyone else to see
 *
 * Drops the table's reference on the page and gives the frame back to
 * the budget, which wakes the faults waiting for one.
 *
 * Context: any process context.
 */
void swaplab_region_frame_free(struct swaplab_frame *f)
{
	/* Read ahead and never used: readahead's miss. */
	if (test_bit(SWAPLAB_FRAME_READAHEAD, &f->flags))
		swaplab_count_event(SWAPLAB_READAHEAD_MISSES);
	set_page_private(f->page, 0);
	put_page(f->page);
	swaplab_proc_uncharge(f->region->proc);
	swaplab_frames_put();
	kmem_cache_free(swaplab_frame_cache, f);
}

/**
 * swaplab_region_drop_entry() - free what a value entry of a region's
 *	table holds
 * @region: the region, whose table no longer holds @entry
 * @entry: a value entry: a shadow, a slot of the store, or a compressed
 *	page
 *
 * Return: true; false for a slot of the external pager, which the caller
 * answers for (pagerdata.c).
 */
bool swaplab_region_drop_entry(struct swaplab_region *region, void *entry)
{
	unsigned long slot = swaplab_shadow_slot(entry);

	swaplab_shadow_drop(entry);
	if (swaplab_slot_in_pool(slot)) {
		swaplab_compress_drop(slot);
	} else if (swaplab_slot_on_store(slot)) {
		atomic_long_dec(&region->nr_swapped);
		swaplab_swap_slot_free(slot);
	} else if (slot != SWAPLAB_NO_SLOT) {
		return false;
	}
	return true;
}

/*
 * A shared region of a file goes: its page at @index, whose contents are
 * @page's, goes home to the file (file.c) if it is still in it. Nobody
 * else can reach the region: the write waits for the file's locks.
 */
static void swaplab_region_file_home(struct swaplab_region *region,
				     pgoff_t index, struct page *page)
{
	if (swaplab_file_write(region, index, page, true) &&
	    !swaplab_file_past_eof(region, index))
		pr_warn_ratelimited("page %lu of region %llu lost: its file could not be written\n",
				    index, region->id);
}

/*
 * The same for a page out of memory whose copy is in @slot: read into
 * @copy, which the caller allocates. Return: true if the pool's copy was
 * consumed by the read (compress.c frees it).
 */
static bool swaplab_region_file_home_slot(struct swaplab_region *region,
					  pgoff_t index, unsigned long slot,
					  struct page *copy)
{
	int err = -ENODATA;

	if (swaplab_slot_in_pool(slot))
		err = swaplab_compress_load(slot, copy, false);
	else if (swaplab_slot_on_store(slot))
		err = swaplab_swap_io(&copy, 1, slot, false);
	if (!err)
		swaplab_region_file_home(region, index, copy);
	else if (slot != SWAPLAB_NO_SLOT)
		pr_warn_ratelimited("page %lu of region %llu lost: slot %lu could not be read: %d\n",
				    index, region->id, slot, err);
	return !err && swaplab_slot_in_pool(slot);
}

/*
 * The last user is gone: no VMA maps the region, no file refers to it and
 * reclaim holds none of its frames, so nothing can fault or look up pages
 * any more. Give back every frame, every slot and every compressed page;
 * first, for a shared region of a file, send home every page that differs
 * from the file (dirty, or with a slot: file.c).
 */
static void __swaplab_region_release(struct swaplab_region *region)
{
	bool home = swaplab_file_shared(region);
	struct page *copy = NULL;
	struct swaplab_frame *f;
	unsigned long index;
	void *entry;

	mutex_lock(&swaplab_regions_mutex);
	list_del(&region->node);
	mutex_unlock(&swaplab_regions_mutex);
	/* Answers naming its pages are stale from here (pager.c). */
	swaplab_pager_region_going();
	xa_erase(&swaplab_regions_by_id, region->id);

	/* Its pages in buffers for the pager are freed, its claim ends. */
	swaplab_pagerdata_region_gone(region);
	/* Its own write-backs below are no news to it. */
	if (region->file)
		swaplab_filewatch_remove(region);
	xa_for_each(&region->pages, index, entry) {
		if (xa_is_value(entry)) {
			/*
			 * Taken out of the table, as a write-back of the
			 * compressed tier may still put a slot in its place.
			 */
			entry = xa_erase(&region->pages, index);
			if (home && swaplab_shadow_has_data(entry)) {
				if (!copy) {
					copy = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
					lock_page(copy);
				}
				if (swaplab_region_file_home_slot(region, index,
								  swaplab_shadow_slot(entry),
								  copy)) {
					swaplab_shadow_drop(entry);
					continue;
				}
			}
			if (!swaplab_region_drop_entry(region, entry))
				swaplab_shadow_drop(entry);
			continue;
		}
		f = entry;
		/*
		 * The last mapping and file are gone: the page goes home,
		 * unless a truncation marked it (filewatch.c), whose work
		 * to empty it was cancelled above.
		 */
		if (home && !test_bit(SWAPLAB_FRAME_CUT, &f->flags) &&
		    (folio_test_clear_dirty(page_folio(f->page)) ||
		     f->slot != SWAPLAB_NO_SLOT))
			swaplab_region_file_home(region, index, f->page);
		swaplab_core_forget(f);
		if (test_bit(SWAPLAB_FRAME_PINNED, &f->flags))
			swaplab_frames_pin_put();
		if (f->pins)
			swaplab_memlock_uncharge(f->pin_user, 1);
		if (f->slot != SWAPLAB_NO_SLOT)
			swaplab_swap_slot_free(f->slot);
		swaplab_region_frame_free(f);
	}
	if (copy) {
		unlock_page(copy);
		__free_page(copy);
	}
	xa_destroy(&region->pages);
	/*
	 * A pager that kept its pages may drop them all; one that named
	 * them before it heard has given stale answers, not wrong ones.
	 */
	swaplab_pager_region_gone(region->id);
	swaplab_record_free(region);
	if (region->file)
		swaplab_file_release(region);
	swaplab_ipc_ns_put(region->ipc_ns);
	iput(region->inode);
	simple_release_fs(&swaplab_fs_mnt, &swaplab_fs_count);
	atomic_long_dec(&swaplab_nr_regions);
	atomic_long_sub(atomic_long_read(&region->mapped),
			&region->proc->mapped);
	atomic_long_sub(atomic_long_read(&region->nr_held),
			&region->proc->held);
	swaplab_region_proc_del(region->proc);
	swaplab_proc_put(region->proc);
	mutex_destroy(&region->move_lock);
	kfree_rcu(region, rcu);
}

static void swaplab_region_release(struct kref *kref)
{
	__swaplab_region_release(container_of(kref, struct swaplab_region,
					      kref));
}

static void swaplab_region_release_work(struct work_struct *work)
{
	__swaplab_region_release(container_of(work, struct swaplab_region,
					      release_work));
}

/*
 * The last reference went where the task may hold the file's locks, or
 * locks their holder waits for (reclaim, readahead): a region of a file,
 * whose release writes to the file, is released by a work item.
 */
static void swaplab_region_release_async(struct kref *kref)
{
	struct swaplab_region *region =
		container_of(kref, struct swaplab_region, kref);

	if (!region->file) {
		__swaplab_region_release(region);
		return;
	}
	INIT_WORK(&region->release_work, swaplab_region_release_work);
	queue_work(swaplab_release_wq, &region->release_work);
}

/**
 * swaplab_region_put() - drop a reference; free the region with the last
 * @region: the region
 *
 * Freeing returns every frame and swap slot the region held, and writes
 * a shared region of a file's pages back to it.
 *
 * Context: process context, may sleep when it drops the last reference;
 * holds no lock that a write to the region's file may wait for (the
 * release of the region's own file, an ioctl).
 */
void swaplab_region_put(struct swaplab_region *region)
{
	kref_put(&region->kref, swaplab_region_release);
}

/**
 * swaplab_region_put_async() - drop a reference from reclaim or readahead
 * @region: the region
 *
 * As swaplab_region_put(), but the release of a region of a file, which
 * writes to the file, is put off to a work item: the caller may hold
 * the file's locks, or a page lock that their holder waits for.
 *
 * Context: process context, may sleep when it drops the last reference.
 */
void swaplab_region_put_async(struct swaplab_region *region)
{
	kref_put(&region->kref, swaplab_region_release_async);
}

/**
 * swaplab_region_info() - fill in a region's description
 * @region: the region
 * @info: zeroed by the caller
 */
void swaplab_region_info(struct swaplab_region *region,
			 struct swaplab_region_info *info)
{
	info->id = region->id;
	info->size = (u64)region->max_pages << PAGE_SHIFT;
	info->resident = atomic_long_read(&region->nr_resident);
	info->swapped = atomic_long_read(&region->nr_swapped);
	info->pinned = atomic_long_read(&region->nr_pinned);
	info->owner = region->proc->id;
}

/**
 * swaplab_region_admitted_frame() - find a page's frame in the policy
 * @id: the region's id
 * @index: the page's index in it
 *
 * For answers that name pages by identity (the external pager's, eBPF
 * policies'). O(1): the region by id under RCU, then its table.
 *
 * Context: under the policy mutex, which keeps a frame found admitted
 * from being freed until it leaves the policy; does not sleep (an eBPF
 * policy calls it). Takes the region's xarray lock: only under that is a
 * frame found in the table sure not to be freed while its flags are read.
 * Return: the frame, admitted to the policy; NULL if the region is gone,
 * or the page holds no frame or one out of the policy (isolated, pinned,
 * parked).
 */
struct swaplab_frame *swaplab_region_admitted_frame(u64 id, u64 index)
{
	struct swaplab_region *region;
	struct swaplab_frame *f = NULL;
	void *entry;

	swaplab_core_assert_held();
	if (index != (unsigned long)index || id != (unsigned long)id)
		return NULL;
	rcu_read_lock();
	region = xa_load(&swaplab_regions_by_id, id);
	if (region) {
		xa_lock(&region->pages);
		entry = xa_load(&region->pages, index);
		if (entry && !xa_is_value(entry) &&
		    test_bit(SWAPLAB_FRAME_ADMITTED,
			     &((struct swaplab_frame *)entry)->flags))
			f = entry;
		xa_unlock(&region->pages);
	}
	rcu_read_unlock();
	return f;
}

/**
 * swaplab_region_has_page() - does a page of this identity exist?
 * @id: the region's id
 * @index: the page's index in it
 *
 * For answers that name pages by identity: one that names a live
 * region's page is at worst stale (the page left the policy since), one
 * that names no page at all is wrong.
 *
 * Context: any; does not sleep.
 * Return: true if region @id is live and @index is below its size.
 */
bool swaplab_region_has_page(u64 id, u64 index)
{
	struct swaplab_region *region;
	bool has = false;

	if (id != (unsigned long)id)
		return false;
	rcu_read_lock();
	region = xa_load(&swaplab_regions_by_id, id);
	if (region)
		has = index < region->max_pages;
	rcu_read_unlock();
	return has;
}

/**
 * swaplab_region_for_each() - call a function for every live region
 * @fn: the function; it may sleep but must not create or free regions
 * @arg: passed to @fn
 *
 * Context: process context; holds swaplab_regions_mutex around the walk.
 */
void swaplab_region_for_each(void (*fn)(struct swaplab_region *, void *),
			     void *arg)
{
	struct swaplab_region *region;

	mutex_lock(&swaplab_regions_mutex);
	list_for_each_entry(region, &swaplab_regions, node)
		fn(region, arg);
	mutex_unlock(&swaplab_regions_mutex);
}

/**
 * swaplab_region_xa_nodes() - count the nodes of a region's page table
 * @region: the region
 *
 * Walks every entry once, so the cost grows with the pages the region
 * has touched; for debugfs, not for hot paths. Each node is counted when
 * the walk first enters it: the leaf that holds an entry and every
 * ancestor of that leaf not yet seen.
 *
 * Context: process context; takes the RCU read lock, sleeps between
 * chunks of the walk. Entries that change during it may be missed.
 * Return: the number of &struct xa_node the table uses.
 */
unsigned long swaplab_region_xa_nodes(struct swaplab_region *region)
{
	const struct xa_node *seen[BITS_PER_LONG / XA_CHUNK_SHIFT + 1] = {};
	XA_STATE(xas, &region->pages, 0);
	unsigned long nodes = 0, n = 0;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, ULONG_MAX) {
		const struct xa_node *node;

		if (xas_retry(&xas, entry))
			continue;
		for (node = xas.xa_node; node && !xa_is_internal(node);
		     node = xa_parent(&region->pages, node)) {
			unsigned int level = node->shift / XA_CHUNK_SHIFT;

			if (seen[level] == node)
				break;
			seen[level] = node;
			nodes++;
		}
		if (++n % XA_CHUNK_SIZE == 0 && need_resched()) {
			xas_pause(&xas);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return nodes;
}

/**
 * swaplab_region_size() - the memory one region takes, its pages aside
 *
 * Return: bytes: the region as kmalloc() rounds it, and its inode.
 */
unsigned int swaplab_region_size(void)
{
	return kmalloc_size_roundup(sizeof(struct swaplab_region)) +
	       sizeof(struct inode);
}

/**
 * swaplab_region_frame_size() - the memory one frame's descriptor takes
 *
 * Return: the slab object size of &struct swaplab_frame, in bytes.
 */
unsigned int swaplab_region_frame_size(void)
{
	return kmem_cache_size(swaplab_frame_cache);
}

/**
 * swaplab_region_frame_alloc() - a new frame and page for a region's page
 * @region: the region
 * @index: the page's index in @region
 * @gfp: flags added to the allocations: __GFP_ZERO for a page that reads
 *	as zeroes, __GFP_NORETRY | __GFP_NOWARN for readahead
 *
 * The page comes locked, marked referenced, with the frame in its
 * private field; the caller holds a frame of the budget for it. The
 * page and its descriptor are charged to the current task's memory cgroup
 * (__GFP_ACCOUNT, SLAB_ACCOUNT), as kernel memory: swaplab, not the
 * cgroup's reclaim, decides when they go. A charge over memory.max fails
 * the allocation after the cgroup's reclaim and, without @gfp's
 * __GFP_NORETRY, its OOM killer had their go.
 *
 * The frame's kind (api/policy.h): a page of a shared region of a file
 * is a file's, a page of a private one only once the fault read it from
 * the file (swaplab_fault_get_page()); a page of a region ever mapped
 * for execution is an executable one.
 *
 * Context: process context, may sleep.
 * Return: the frame, or NULL when an allocation failed.
 */
struct swaplab_frame *swaplab_region_frame_alloc(struct swaplab_region *region,
						 pgoff_t index, gfp_t gfp)
{
	struct swaplab_frame *f;

	f = kmem_cache_zalloc(swaplab_frame_cache, GFP_KERNEL | gfp);
	if (!f)
		return NULL;
	f->page = alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT | gfp);
	if (!f->page) {
		kmem_cache_free(swaplab_frame_cache, f);
		return NULL;
	}
	f->region = region;
	f->region_id = region->id;
	f->index = index;
	f->slot = SWAPLAB_NO_SLOT;
	INIT_LIST_HEAD(&f->lru);
	INIT_LIST_HEAD(&f->all);
	/* The fault that brings a page in is a reference to it. */
	set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
	if (region->file && !region->file_private)
		set_bit(SWAPLAB_FRAME_FILE, &f->flags);
	if (READ_ONCE(region->exec))
		set_bit(SWAPLAB_FRAME_EXEC, &f->flags);
	/*
	 * Out of any working-set window (at most 2^31) until seen
	 * referenced: readahead brings pages no one has asked for.
	 */
	f->ws_stamp = (unsigned int)READ_ONCE(region->proc->ws.vtime) -
		      (1U << 31);
	__folio_set_locked(page_folio(f->page));
	set_page_private(f->page, (unsigned long)f);
	swaplab_proc_charge(region->proc);
	return f;
}

/**
 * swaplab_region_leave_entry() - turn a frame's table entry back into a
 *	value as its page leaves memory
 * @f: a frame whose page its caller holds locked, and frees next
 * @entry: the page's table entry from now on (swaplab_shadow_entry()), or
 *	NULL for none
 *
 * A truncation that marked the frame while its page was locked
 * (filewatch.c: under the table's lock) leaves no entry instead: the page
 * is cut from the file, so what @entry names is dropped, by the caller
 * once the frame is freed (swaplab_region_drop_entry()). Replacing an
 * entry that exists needs no allocation.
 *
 * Context: process context; @f's page locked.
 * Return: true if the frame was marked, and no entry left.
 */
bool swaplab_region_leave_entry(struct swaplab_frame *f, void *entry)
{
	struct swaplab_region *region = f->region;
	bool cut;

	xa_lock(&region->pages);
	cut = test_and_clear_bit(SWAPLAB_FRAME_CUT, &f->flags);
	if (cut)
		entry = NULL;
	__xa_store(&region->pages, f->index, entry, GFP_NOWAIT);
	xa_unlock(&region->pages);
	swaplab_proc_entry_changed(region, f, entry);
	atomic_long_dec(&region->nr_resident);
	return cut;
}

/**
 * swaplab_region_evicted() - record that a frame's page left memory
 * @f: an isolated frame whose page reclaim holds locked and unmapped
 * @entry: the page's table entry from now on (swaplab_shadow_entry()): it
 *	names the swap slot that holds the page, or where the external pager
 *	keeps it, or none for a page never written, which reads as zeroes
 *	again; NULL for no entry at all
 *
 * Replaces the table entry, unlocks the page, and frees the page (unless
 * page buffering keeps it, for an entry with a slot on the store), the
 * frame descriptor and its frame of the budget.
 *
 * Context: process context.
 */
void swaplab_region_evicted(struct swaplab_frame *f, void *entry)
{
	struct swaplab_region *region = f->region;
	unsigned long slot = entry ? swaplab_shadow_slot(entry) : SWAPLAB_NO_SLOT;
	bool on_store = swaplab_slot_on_store(slot);
	struct page *page = f->page;
	bool cut;

	/*
	 * Page buffering: the page may wait in the pool, as its slot's copy;
	 * it enters while no one can read or free the slot yet.
	 */
	if (on_store)
		swaplab_pagebuf_add(slot, page);

	/* A truncation meanwhile drops what reclaim wrote, below. */
	cut = swaplab_region_leave_entry(f, entry);
	if (on_store)
		atomic_long_inc(&region->nr_swapped);

	unlock_page(page);
	put_page(page);			/* reclaim's reference */
	swaplab_region_frame_free(f);		/* the table's reference */
	if (cut && entry)
		swaplab_region_drop_entry(region, entry);
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
 * swaplab_region_id_next() - the id the next region is given, if free
 *
 * Return: from 1 to %SWAPLAB_REGION_ID_MAX; a live region's id is skipped
 * when it comes.
 */
u64 swaplab_region_id_next(void)
{
	u32 next;

	xa_lock(&swaplab_regions_by_id);
	next = swaplab_region_next_id;
	xa_unlock(&swaplab_regions_by_id);
	return next;
}

/**
 * swaplab_region_set_id_next() - where the ids of new regions go on from
 * @id: the next id to try, 1 to %SWAPLAB_REGION_ID_MAX
 *
 * For tests of the ids' wrap, as ns_last_pid is for PIDs.
 *
 * Context: process context.
 * Return: 0, or -EINVAL for an @id out of range (nothing changes then).
 */
int swaplab_region_set_id_next(u64 id)
{
	if (!id || id > SWAPLAB_REGION_ID_MAX)
		return -EINVAL;
	xa_lock(&swaplab_regions_by_id);
	swaplab_region_next_id = id;
	xa_unlock(&swaplab_regions_by_id);
	return 0;
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
