/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compressed tier (compress.c): compressed pages kept in memory, in
 * front of the store.
 */
#ifndef _SWAPLAB_COMPRESS_H
#define _SWAPLAB_COMPRESS_H

#include <linux/types.h>

struct page;
struct swaplab_frame;
struct swaplab_region;

int swaplab_compress_init(void);
void swaplab_compress_exit(void);
int swaplab_compress_select(const char *buf);
ssize_t swaplab_compress_show(char *buf);
u64 swaplab_compress_pool_max(void);
int swaplab_compress_set_pool_max(u64 bytes);
int swaplab_compress_stat(char *buf, int len);
bool swaplab_compress_store(struct swaplab_frame *f, unsigned long *slot);
int swaplab_compress_load(unsigned long slot, struct page *page, bool fault);
void swaplab_compress_drop(unsigned long slot);
void swaplab_compress_rehome(unsigned long slot, struct swaplab_region *region,
			     pgoff_t index);

#endif /* _SWAPLAB_COMPRESS_H */
