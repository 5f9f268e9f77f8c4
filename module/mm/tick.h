/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The aging clock (tick.c).
 */
#ifndef _SWAPLAB_TICK_H
#define _SWAPLAB_TICK_H

#include <linux/types.h>

bool swaplab_tick_due(void);
void swaplab_tick(void);
void swaplab_tick_start(void);
void swaplab_tick_now(void);
unsigned int swaplab_tick_interval_ms(void);
int swaplab_tick_set_interval_ms(unsigned int ms);
void swaplab_tick_exit(void);

#endif /* _SWAPLAB_TICK_H */
