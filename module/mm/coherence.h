/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page access the data pager grants and takes back (coherence.c).
 */
#ifndef _SWAPLAB_COHERENCE_H
#define _SWAPLAB_COHERENCE_H

struct swaplab_frame;
struct swaplab_pager_lock;
struct swaplab_region;

int swaplab_coherence_write(struct swaplab_region *region,
			    struct swaplab_frame *f);
long swaplab_coherence_lock(struct swaplab_region *region,
			    struct swaplab_pager_lock *lk);

#endif /* _SWAPLAB_COHERENCE_H */
