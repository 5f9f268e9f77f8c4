/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving pages between regions (move.c): SWAPLAB_IOC_MOVE.
 */
#ifndef _SWAPLAB_MOVE_H
#define _SWAPLAB_MOVE_H

struct swaplab_move;
struct swaplab_region;

int swaplab_move_range(struct swaplab_region *src, struct swaplab_region *dst,
		       struct swaplab_move *mv);
bool swaplab_move_map(void);
void swaplab_move_set_map(bool on);

#endif /* _SWAPLAB_MOVE_H */
