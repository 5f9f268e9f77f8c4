/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal types and functions shared between swaplab's files.
 */
#ifndef _SWAPLAB_H
#define _SWAPLAB_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct inode;

/* The smallest frame budget a user may set, in pages. */
#define SWAPLAB_FRAMES_MIN	16UL
/* Default frame budget: 16 MiB of 4 KiB pages. */
#define SWAPLAB_FRAMES_DEFAULT	4096UL
/* Default region size limit in bytes, and the largest one allowed. */
#define SWAPLAB_REGION_MAX_DEFAULT	((u64)SZ_1G)
#define SWAPLAB_REGION_MAX_LIMIT	BIT_ULL(40)

/**
 * struct swaplab_region - one pageable memory object
 * @kref: one reference per open file and per VMA that maps the region
 * @id: number reported to userspace, unique while the module is loaded
 * @max_pages: size limit in pages; faults at or beyond it get SIGBUS
 * @inode: private inode whose address_space holds every VMA mapping the
 *	region, so that (mapping, pgoff) names exactly one page of it
 * @pages: page index -> resident struct page. The xarray holds one page
 *	reference per entry. Entries are inserted and removed under the
 *	xarray's own lock; a fault takes the page lock before it maps a page
 *	and re-checks the entry under it.
 * @nr_resident: number of entries in @pages
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
};

/* region.c */
void swaplab_region_exit(void);
struct swaplab_region *swaplab_region_create(unsigned long max_pages);
void swaplab_region_get(struct swaplab_region *region);
void swaplab_region_put(struct swaplab_region *region);
struct page *swaplab_region_get_page(struct swaplab_region *region,
				     pgoff_t index);
unsigned long swaplab_region_count(void);
u64 swaplab_region_max(void);
int swaplab_region_set_max(u64 bytes);

/* vma.c */
extern const struct vm_operations_struct swaplab_vm_ops;

/* chardev.c */
int swaplab_chardev_init(void);
void swaplab_chardev_exit(void);

/* frames.c */
void swaplab_frames_init(unsigned long budget);
bool swaplab_frame_get(void);
void swaplab_frame_put(void);
unsigned long swaplab_frames_budget(void);
int swaplab_frames_set_budget(unsigned long budget);
unsigned long swaplab_frames_used(void);
unsigned long swaplab_frames_free(void);

/* stats.c */
enum swaplab_stat_item {
	SWAPLAB_FAULTS,
	SWAPLAB_ZERO_FILLS,
	SWAPLAB_SIGBUS,
	NR_SWAPLAB_STAT_ITEMS
};

/**
 * struct swaplab_stat_cpu - one CPU's event counters
 * @count: one counter per &enum swaplab_stat_item, only ever incremented
 */
struct swaplab_stat_cpu {
	unsigned long count[NR_SWAPLAB_STAT_ITEMS];
};

DECLARE_PER_CPU(struct swaplab_stat_cpu, swaplab_stat_cpu);

/**
 * swaplab_count_event() - count one event
 * @item: which counter
 *
 * Context: any; lock-free (this_cpu_inc()).
 */
static inline void swaplab_count_event(enum swaplab_stat_item item)
{
	this_cpu_inc(swaplab_stat_cpu.count[item]);
}

unsigned long swaplab_stat_read(enum swaplab_stat_item item);
const char *swaplab_stat_name(enum swaplab_stat_item item);

/* sysfs.c */
int swaplab_sysfs_init(void);
void swaplab_sysfs_exit(void);

#endif /* _SWAPLAB_H */
