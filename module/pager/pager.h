/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The external pager's file and ring of events (pager.c).
 */
#ifndef _SWAPLAB_PAGER_H
#define _SWAPLAB_PAGER_H

#include <linux/types.h>

struct file;
struct inode;
struct mm_struct;
struct pid;
struct swaplab_pager_attach;
struct swaplab_pager_event;
struct swaplab_pager_page;
struct swaplab_region;

struct file *swaplab_pager_file(struct inode *node,
				struct swaplab_pager_attach *arg);
bool swaplab_pager_emit(const struct swaplab_pager_event *ev);
bool swaplab_pager_emit_page(u16 type, u64 region, u64 index, u64 arg);
void swaplab_pager_region_going(void);
void swaplab_pager_region_gone(u64 id);
void swaplab_pager_set_gone(void (*fn)(const char *why));
int swaplab_pager_claim(struct file *pager, struct swaplab_region *region);
int swaplab_pager_claimer(struct file *pager, struct swaplab_region *region);
bool swaplab_pager_ready(void);
bool swaplab_pager_want(u32 proc, unsigned int nr, bool may_rescan,
			u64 *since);
bool swaplab_pager_pop(u32 proc, struct swaplab_pager_page *pg, bool *unread);
bool swaplab_pager_take_rescan(u32 proc);
int swaplab_pager_wait(u64 since, unsigned int ms, bool full);
void swaplab_pager_eject_invalid(void);

#endif /* _SWAPLAB_PAGER_H */
