/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record mode (record.c): a region's window of mapped pages.
 */
#ifndef _SWAPLAB_RECORD_H
#define _SWAPLAB_RECORD_H

#include <linux/types.h>

struct swaplab_region;

int swaplab_record_set(struct swaplab_region *region, u32 arg);
u32 swaplab_record_tag(const struct swaplab_region *region);
void swaplab_record_fault(struct swaplab_region *region, pgoff_t index);
void swaplab_record_free(struct swaplab_region *region);

#endif /* _SWAPLAB_RECORD_H */
