/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page data a data pager keeps (pagerdata.c).
 */
#ifndef _SWAPLAB_PAGERDATA_H
#define _SWAPLAB_PAGERDATA_H

#include <linux/sched/signal.h>
#include <linux/types.h>

struct mm_struct;
struct pid;
struct swaplab_frame;
struct swaplab_pager_data;
struct swaplab_pagerdata_req;
struct swaplab_region;

void swaplab_pagerdata_init(void);
void swaplab_pagerdata_attach(struct mm_struct *mm, struct pid *tgid,
			      unsigned int timeout_ms, bool all);
void swaplab_pagerdata_region_new(struct swaplab_region *region);
void swaplab_pagerdata_detach(void);
int swaplab_pagerdata_claim(struct swaplab_region *region);
void swaplab_pagerdata_region_gone(struct swaplab_region *region);
struct swaplab_pagerdata_req *swaplab_pagerdata_request(struct swaplab_frame *f,
							u32 *seq, u64 *gen);
void *swaplab_pagerdata_restore(struct swaplab_region *region, void *entry,
				u64 gen);
int swaplab_pagerdata_cancel(struct swaplab_pagerdata_req *req, u32 seq);
int swaplab_pagerdata_wait(struct swaplab_frame *f,
			   struct swaplab_pagerdata_req *req, u32 seq);
struct swaplab_pagerdata_req *swaplab_pagerdata_unlock_request(struct swaplab_frame *f,
							       u32 *seq);
int swaplab_pagerdata_unlock_wait(struct swaplab_frame *f,
				  struct swaplab_pagerdata_req *req, u32 seq);
bool swaplab_pagerdata_revoke(struct swaplab_frame *f);
long swaplab_pagerdata_unlock(const struct swaplab_pager_data *d);
int swaplab_pagerdata_copy_back(struct swaplab_frame *f, unsigned long slot);
bool swaplab_pagerdata_begin(struct swaplab_region *region);
unsigned long swaplab_pagerdata_pageout(struct swaplab_frame *f, bool dirty,
					u32 *seq);
void swaplab_pagerdata_end(void);
bool swaplab_pagerdata_drop(struct swaplab_region *region, pgoff_t index,
			    unsigned long slot);
long swaplab_pagerdata_supply(const struct swaplab_pager_data *d);
long swaplab_pagerdata_take(const struct swaplab_pager_data *d);
void swaplab_pagerdata_unsent(u32 seq);
unsigned int swaplab_pagerdata_buffers(void);

/**
 * swaplab_pagerdata_in_pager() - is the current task of the pager's process?
 * @mm: the mm the pager attached with (its mmgrab() keeps the pointer
 *	from naming another mm), or NULL
 * @tgid: the pager's thread group (a reference is held), or NULL
 *
 * The mm alone misses the pager after an exec, which gives the process a
 * new mm but keeps the pager file open: the thread group stays.
 *
 * Context: any task context.
 * Return: true for a thread of the pager's process, or a task sharing
 * the mm it attached with.
 */
static inline bool swaplab_pagerdata_in_pager(const struct mm_struct *mm,
					      const struct pid *tgid)
{
	return (mm && current->mm == mm) || (tgid && task_tgid(current) == tgid);
}

#endif /* _SWAPLAB_PAGERDATA_H */
