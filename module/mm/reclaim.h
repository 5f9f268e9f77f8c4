/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reclaim (reclaim.c): harvest, isolate, unmap, write.
 */
#ifndef _SWAPLAB_RECLAIM_H
#define _SWAPLAB_RECLAIM_H

#include <linux/types.h>

struct swaplab_proc;

#define SWAPLAB_RECLAIM_DELAY_MAX_MS	1000
unsigned int swaplab_reclaim(unsigned int nr, bool *busy);
unsigned int swaplab_reclaim_from(struct swaplab_proc *p, unsigned int nr,
				  bool *busy);
unsigned int swaplab_reclaim_unmap_delay(void);
int swaplab_reclaim_set_unmap_delay(u64 ms);

#endif /* _SWAPLAB_RECLAIM_H */
