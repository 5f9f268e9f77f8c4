/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store's per-slot checksums, crc32c (csum.c).
 */
#ifndef _SWAPLAB_CSUM_H
#define _SWAPLAB_CSUM_H

#include <linux/types.h>

struct page;

void swaplab_csum_init(void);
void swaplab_csum_exit(void);
const char *swaplab_csum_driver(void);
u32 swaplab_csum_page(struct page *page);

#endif /* _SWAPLAB_CSUM_H */
