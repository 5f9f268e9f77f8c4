/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page buffering (pagebuf.c): evicted pages kept in frames that are free.
 */
#ifndef _SWAPLAB_PAGEBUF_H
#define _SWAPLAB_PAGEBUF_H

#include <linux/types.h>

struct page;

void swaplab_pagebuf_add(unsigned long slot, struct page *page);
bool swaplab_pagebuf_holds(unsigned long slot);
struct page *swaplab_pagebuf_take(unsigned long slot);
void swaplab_pagebuf_forget(unsigned long slot);
void swaplab_pagebuf_trim(unsigned long keep);
unsigned long swaplab_pagebuf_pages(void);
bool swaplab_pagebuf_enabled(void);
void swaplab_pagebuf_enable(bool on);

#endif /* _SWAPLAB_PAGEBUF_H */
