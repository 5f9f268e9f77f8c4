/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Regions (region.c): the memory objects behind /dev/swaplab mappings,
 * their page tables and frame descriptors.
 */
#ifndef _SWAPLAB_REGION_H
#define _SWAPLAB_REGION_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "api/region.h"
#include "uapi/swaplab.h"

struct ns_common;
struct swaplab_frame;
struct swaplab_record;

/* Default region size limit in bytes, and the largest one allowed. */
#define SWAPLAB_REGION_MAX_DEFAULT	((u64)SZ_1G)
#define SWAPLAB_REGION_MAX_LIMIT	BIT_ULL(40)

struct swaplab_frame *swaplab_region_admitted_frame(u64 id, u64 index);
bool swaplab_region_has_page(u64 id, u64 index);
bool swaplab_region_owned(const struct swaplab_region *region);
int swaplab_region_init(void);
void swaplab_region_exit(void);
struct swaplab_region *swaplab_region_create(unsigned long max_pages);
struct swaplab_region *swaplab_region_create_file(struct file *file,
						  const struct swaplab_file_map *fm);
void swaplab_region_get(struct swaplab_region *region);
void swaplab_region_put(struct swaplab_region *region);
void swaplab_region_put_async(struct swaplab_region *region);
bool swaplab_region_drop_entry(struct swaplab_region *region, void *entry);
void swaplab_region_map(struct swaplab_region *region, unsigned long end);
void swaplab_region_set_weight(struct swaplab_region *region,
			       unsigned int weight);
struct swaplab_frame *swaplab_region_frame_alloc(struct swaplab_region *region,
						 pgoff_t index, gfp_t gfp);
void swaplab_region_frame_free(struct swaplab_frame *f);
bool swaplab_region_leave_entry(struct swaplab_frame *f, void *entry);
void swaplab_region_evicted(struct swaplab_frame *f, void *entry);
void *swaplab_region_cmpxchg(struct swaplab_region *region, pgoff_t index,
			     void *old, void *entry, gfp_t gfp);
int swaplab_region_move_entry(struct swaplab_region *src, pgoff_t sidx,
			      void *entry, struct swaplab_region *dst,
			      pgoff_t didx);
int swaplab_region_swap_entries(struct swaplab_region *a, pgoff_t ai, void *ea,
				struct swaplab_region *b, pgoff_t bi, void *eb);
int swaplab_region_swap_run(struct swaplab_region *a, pgoff_t ai, void **ea,
			    struct swaplab_region *b, pgoff_t bi, void **eb,
			    unsigned int n, unsigned int *done);
struct swaplab_region *swaplab_region_attach(const struct swaplab_attach *at,
					     fmode_t fmode);
struct file *swaplab_region_file(struct swaplab_region *region, int flags,
				 const struct file_operations *fops);
unsigned long swaplab_region_count(void);
u64 swaplab_region_max(void);
int swaplab_region_set_max(u64 bytes);
u64 swaplab_region_id_next(void);
int swaplab_region_set_id_next(u64 id);
void swaplab_region_for_each(void (*fn)(struct swaplab_region *, void *),
			     void *arg);
unsigned long swaplab_region_xa_nodes(struct swaplab_region *region);
unsigned int swaplab_region_frame_size(void);
unsigned int swaplab_region_size(void);
void swaplab_region_info(struct swaplab_region *region,
			 struct swaplab_region_info *info);

#endif /* _SWAPLAB_REGION_H */
