/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rmap walks over every region's VMAs (harvest.c): accessed bits,
 * mlocked VMAs, other holders of a page.
 */
#ifndef _SWAPLAB_HARVEST_H
#define _SWAPLAB_HARVEST_H

#include <linux/types.h>

struct page;
struct swaplab_frame;
struct swaplab_region;
struct vm_area_struct;

void swaplab_harvest_referenced(void);
void swaplab_harvest_mkold(struct vm_area_struct *vma, unsigned long addr,
			   unsigned long nr);
void swaplab_harvest_placed(struct vm_area_struct *vma, unsigned long addr,
			    struct page **pages, unsigned long nr);
bool swaplab_harvest_mlocked(struct swaplab_region *region, pgoff_t index);
void swaplab_harvest_vmas(struct swaplab_region *region,
			  pgoff_t first, pgoff_t last,
			  bool (*fn)(struct vm_area_struct *, void *),
			  void *arg);
bool swaplab_harvest_range_mlocked(struct swaplab_region *region,
				   pgoff_t first, pgoff_t last);
bool swaplab_harvest_held(struct swaplab_frame *f);

#endif /* _SWAPLAB_HARVEST_H */
