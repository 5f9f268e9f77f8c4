/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frame allocation's decisions (share.c): the allocator in force and its
 * knobs, each process's share, the working-set clock, the verdict on
 * thrashing that load control reads, and the wish to trim.
 */
#ifndef _SWAPLAB_SHARE_H
#define _SWAPLAB_SHARE_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>

#include "api/alloc.h"

struct mutex;
struct swaplab_proc;

/* The working-set window (pages referenced): default and largest. */
#define SWAPLAB_WS_TAU_DEFAULT		1024
#define SWAPLAB_WS_TAU_MAX		BIT(31)
/* The pff allocator's thresholds, per mille, by default. */
#define SWAPLAB_PFF_UPPER_DEFAULT	100
#define SWAPLAB_PFF_LOWER_DEFAULT	10

void swaplab_share_init(struct mutex *lock);

/* Under the policy mutex (core.c), with the processes' list. */
const struct swaplab_allocator_ops *swaplab_share_find(const char *name);
void swaplab_share_select(const struct swaplab_allocator_ops *a, bool local);
void swaplab_share_totals(struct swaplab_alloc_total *t,
			  struct list_head *procs, struct swaplab_proc *extra);
unsigned long swaplab_share_of(bool local, struct swaplab_proc *p,
			       struct swaplab_alloc_total *t, bool *counted);
bool swaplab_share_give(struct swaplab_proc *p, unsigned long share,
			bool counted);
bool swaplab_share_came_to_count(struct swaplab_proc *p);
void swaplab_share_judge(bool local, struct list_head *procs,
			 const struct swaplab_alloc_total *t);
void swaplab_share_ws_tick(struct list_head *procs, struct list_head *frames,
			   unsigned long clock);
unsigned long swaplab_share_over(bool local, struct list_head *procs);

/* Lock-free. */
bool swaplab_share_decides(void);
bool swaplab_share_overcommitted(long *room);
unsigned int swaplab_share_working(void);
unsigned long swaplab_share_nr_decisions(void);
bool swaplab_share_trim_wanted(void);
unsigned long swaplab_share_ws_tau(void);
int swaplab_share_set_ws_tau(unsigned int tau);
void swaplab_share_pff(unsigned int *upper, unsigned int *lower);
int swaplab_share_set_pff(bool upper, unsigned int val);
ssize_t swaplab_share_show_allocators(char *buf, bool all);

#endif /* _SWAPLAB_SHARE_H */
