/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A region: the memory object behind /dev/swaplab mappings, as every
 * layer sees it. Its functions are mm/region.c's (mm/region.h).
 */
#ifndef _SWAPLAB_API_REGION_H
#define _SWAPLAB_API_REGION_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "api/prefetch.h"
#include "uapi/swaplab.h"

struct ns_common;
struct swaplab_proc;
struct swaplab_filewatch;
struct swaplab_record;

/**
 * struct swaplab_region - one pageable memory object
 * @kref: one reference per open file of the region (a VMA holds its file,
 *	so it needs none of its own: see vma.c), and one per frame of it that
 *	reclaim has isolated
 * @id: number reported to userspace, unique while the module is loaded
 * @max_pages: size limit in pages; faults at or beyond it get SIGBUS
 * @inode: private inode whose address_space holds every VMA mapping the
 *	region, so that (mapping, pgoff) names exactly one page of it
 * @pages: the region's page table: page index -> &struct swaplab_frame
 *	for a resident page (the frame holds a page reference), or a
 *	value entry for a page that is out: its swap slot, if it has one,
 *	and its shadow (shadow.c). An absent entry, or a shadow with no
 *	slot, is a page that reads as zeroes. Entries
 *	change under the xarray's lock, and only with the page concerned
 *	locked (a new page is inserted locked).
 * @nr_resident: number of frame entries in @pages
 * @nr_swapped: number of value entries in @pages that name a slot
 * @nr_held: number of entries in @pages that hold data
 *	(swaplab_shadow_has_data(): a frame, or a slot anywhere:
 *	the store, the compressed tier or the pager's buffers)
 * @nr_pinned: number of pinned frames
 * @nr_faults: faults taken on the region's pages, SIGBUS ones included
 * @nr_major: those of them that read the page from the backing store
 * @proc: the process the region is charged to, for its life (a
 *	reference): the thread group that created it
 * @mapped: the largest extent, in pages from its start, that a mapping
 *	of it has reached (swaplab_region_map())
 * @pf_lock: serialises the calls to the prefetcher for the region, and
 *	protects @pf_ops and @pf_state (prefetch.c)
 * @pf_ops: the prefetcher @pf_state belongs to; NULL before the first
 *	major fault
 * @pf_state: that prefetcher's state for the region
 * @ra_hits: pages read ahead in the region and then used, since the
 *	region's last major fault
 * @ra_mark: with fault-around, the index of the page read ahead but left
 *	unmapped after the pages a major fault mapped (fault.c)
 * @ra_mapped: how many pages that fault mapped ahead of @ra_mark
 * @ra_async_next: with asynchronous readahead, the first page of the
 *	window it reads next (fault.c)
 * @ra_async_nr: the pages of that window
 * @node: entry in the list of all regions, under swaplab_regions_mutex
 * @rcu: frees the region after a grace period, for lookups by id
 * @name: for a named region, its name; empty for an anonymous one
 * @ipc_ns: for a named region, the IPC namespace its name lives in (a
 *	reference); NULL for an anonymous one
 * @record: record mode's state (record.c), NULL until it is first set
 * @uid: owner of a named region
 * @gid: group of a named region
 * @mode: permission bits of a named region
 * @pager_claimed: the external pager keeps the region's pages
 *	(pagerdata.c; under its rwsem)
 * @pager_node: in pagerdata.c's list of claimed regions (under its mutex)
 * @move_lock: held by a move (move.c) out of or into the region, so that
 *	no two moves meet on its pages
 * @file: for a region of a file (SWAPLAB_IOC_FILE), that file, held open
 *	for the region's life; NULL for any other region. Set before anyone
 *	can see the region, never changed (mm/file.c)
 * @file_pos: the byte of @file that is the region's page 0
 * @file_private: the region's written pages are its own: they go to the
 *	store, never to @file
 * @file_watch: filewatch.c's fsnotify mark on @file's inode, NULL before it
 *	is set up and once the region's release lets go of it
 * @file_cuts: times @file was seen to shrink past the region's end
 *	(filewatch.c)
 * @release_work: frees a region of a file whose last reference went
 *	where its write-backs could not wait (region.c)
 * @exec: a mapping with PROT_EXEC was made of the region; never cleared.
 *	The pages that come in after it are of kind
 *	%SWAPLAB_FRAME_EXEC (swaplab_region_frame_alloc()).
 *
 * A region is what a process maps from /dev/swaplab: the backing object
 * of every MAP_SHARED mapping of one open file, at any offset. It lives
 * until the last file and the last VMA that use it are gone.
 */
struct swaplab_region {
	struct kref kref;
	u64 id;
	unsigned long max_pages;
	struct inode *inode;
	struct xarray pages;
	atomic_long_t nr_resident;
	atomic_long_t nr_swapped;
	atomic_long_t nr_held;
	atomic_long_t nr_pinned;
	atomic_long_t nr_faults;
	atomic_long_t nr_major;
	struct swaplab_proc *proc;
	atomic_long_t mapped;
	spinlock_t pf_lock;	/* @pf_ops, @pf_state */
	const struct swaplab_prefetch_ops *pf_ops;
	unsigned long pf_state[SWAPLAB_PREFETCH_STATE_MAX / sizeof(unsigned long)];
	atomic_t ra_hits;
	unsigned long ra_mark;
	unsigned int ra_mapped;
	unsigned long ra_async_next;
	unsigned int ra_async_nr;
	struct list_head node;
	struct rcu_head rcu;
	char name[SWAPLAB_NAME_MAX];
	struct ns_common *ipc_ns;
	struct swaplab_record *record;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	bool pager_claimed;
	struct list_head pager_node;
	struct mutex move_lock;	/* a move's, for the move's length */
	struct file *file;
	loff_t file_pos;
	bool file_private;
	struct swaplab_filewatch *file_watch;
	atomic_t file_cuts;
	struct work_struct release_work;
	bool exec;
};

#endif /* _SWAPLAB_API_REGION_H */
