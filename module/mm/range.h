/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctls on a range of a region's pages (range.c).
 */
#ifndef _SWAPLAB_RANGE_H
#define _SWAPLAB_RANGE_H

struct swaplab_range;
struct swaplab_region;

#include <linux/types.h>

int swaplab_range_sync(struct swaplab_region *region, loff_t start, loff_t end,
		       int datasync);
int swaplab_range_ioctl(struct swaplab_region *region, unsigned int cmd,
			const struct swaplab_range *range);

#endif /* _SWAPLAB_RANGE_H */
