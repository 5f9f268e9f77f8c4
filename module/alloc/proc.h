/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes (proc.c): the thread groups that create regions, each with
 * the figures of the frames and faults its regions take.
 */
#ifndef _SWAPLAB_PROC_H
#define _SWAPLAB_PROC_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "api/alloc.h"
#include "alloc/psi.h"
#include "api/region.h"
#include "store/shadow.h"
#include "uapi/swaplab.h"

struct pid;

/**
 * struct swaplab_proc - a thread group that created regions
 * @kref: one reference per region charged to it, and one for the time
 *	between swaplab_proc_get_current() and the region's creation
 * @id: number shown in debugfs and reported by SWAPLAB_IOC_REGION_INFO,
 *	1 to %SWAPLAB_PROC_ID_MAX, unique among live processes
 * @tgid: the thread group's pid (a reference): compared by pointer, which
 *	is exact while referenced, where a pid number may be reused
 * @tgid_node: in proc.c's table of processes by @tgid (under its mutex)
 * @nr_regions: regions charged to it
 * @charged: frames its regions' pages hold
 * @nr_faults: faults taken on its regions' pages, SIGBUS ones included
 * @nr_major: those of them that read the page from the backing store
 * @mapped: pages its regions map: for each region, the largest extent a
 *	mapping of it has reached (swaplab_region_map())
 * @held: pages of its regions that hold data, in a frame or kept out
 *	(their regions' @nr_held added up)
 * @weight: its weight, %SWAPLAB_WEIGHT_DEFAULT at first
 *	(%SWAPLAB_IOC_SET_WEIGHT; a single word, READ_ONCE()/WRITE_ONCE())
 * @alloc: frames it may hold under allocation=local, %ULONG_MAX under
 *	global (share.c's: written under the policy mutex with
 *	WRITE_ONCE(), read without it)
 * @core_node: in core.c's list of processes that have regions (under the
 *	policy mutex)
 * @pstate: under allocation=local, its own state of the current policy
 *	(under the policy mutex)
 * @core_tried: the isolation that last found it without a victim (core.c,
 *	under the policy mutex)
 * @core_counted: it counted in the split (swaplab_alloc_counted()) at the
 *	decision that gave it @alloc; if not, the allocators are told it
 *	has none yet (share.c, under the policy mutex)
 * @ws_refs: its pages seen referenced since the last tick: faulted in,
 *	faulted on, or found with an accessed bit (its virtual time's
 *	advance)
 * @ws_faults: faults that brought one of its pages in since the last tick
 * @ws: its working-set estimate (share.c's, under the policy mutex)
 * @ws_pages: the estimate at the last tick, for readers without the mutex
 * @lc_ws: its working set as load control counts it (swaplab_lc_ws()),
 *	at the last allocation decision, for the same readers
 * @pff_rate: its faults per thousand pages referenced in the interval
 *	before the last tick, for the same readers
 * @ws_last_refs: @ws_refs of that interval (under the policy mutex)
 * @ws_last_faults: @ws_faults of that interval (under the policy mutex)
 * @psi: the group its faulting tasks stall in, for the pressure file
 *	(psi.c)
 * @lc_begun: it has faulted (loadctl.c, under its lock; read with
 *	READ_ONCE())
 * @lc_fault_j: when a fault of it last began or ended (jiffies; written
 *	by its faults, read with READ_ONCE())
 * @lc_in_fault: its faults under way, past load control's hold (a fault
 *	that reclaims and reads may take longer than a period)
 * @lc_off: load control deactivated it: its faults wait (loadctl.c;
 *	written under its mutex, read with READ_ONCE())
 * @lc_wait: faults waiting for it to be active again
 * @lc_deadline: while @lc_off, when it is reactivated at the latest (ns)
 * @lc_since: when it was last deactivated, or activated (ns)
 * @lc_deacts: times it was deactivated
 * @lc_off_ns: time it spent deactivated, the current spell aside
 * @lc_max_ns: its longest spell deactivated
 *
 * Every region is charged for life to the thread group that created it:
 * the process that opened /dev/swaplab, or the one whose
 * %SWAPLAB_IOC_ATTACH created a named region. A forked child, a process
 * the file was passed to, and a process that attaches to the name all
 * take their frames and faults on the creator's account, as System V
 * shared memory is the creator's. The process outlives its creator's
 * exit while any region charged to it lives.
 */
struct swaplab_proc {
	struct kref kref;
	u32 id;
	struct pid *tgid;
	struct hlist_node tgid_node;
	atomic_long_t nr_regions;
	atomic_long_t charged;
	atomic_long_t nr_faults;
	atomic_long_t nr_major;
	atomic_long_t mapped;
	atomic_long_t held;
	unsigned int weight;
	unsigned long alloc;
	struct list_head core_node;
	void *pstate;
	unsigned long core_tried;
	bool core_counted;
	atomic_long_t ws_refs;
	atomic_long_t ws_faults;
	struct swaplab_ws_est ws;
	unsigned long ws_pages;
	unsigned long lc_ws;
	unsigned int pff_rate;
	unsigned long ws_last_refs;
	unsigned long ws_last_faults;
	struct swaplab_psi_group psi;
	bool lc_begun;
	bool lc_off;
	wait_queue_head_t lc_wait;
	u64 lc_deadline;
	unsigned long lc_fault_j;
	atomic_t lc_in_fault;
	u64 lc_since;
	unsigned long lc_deacts;
	u64 lc_off_ns;
	u64 lc_max_ns;
};

/*
 * Load control's period, in ms: it looks at the pressure once a period,
 * and a process that took no fault for one is quiet (swaplab_lc_ws()).
 */
#define SWAPLAB_LC_PERIOD_MS	100

/* Process ids are handed out in turn, up to this and round again. */
#define SWAPLAB_PROC_ID_MAX	SWAPLAB_PROC_MAX

struct swaplab_proc *swaplab_proc_get_current(void);
void swaplab_proc_get(struct swaplab_proc *p);
void swaplab_proc_put(struct swaplab_proc *p);
bool swaplab_proc_exited(struct swaplab_proc *p);
pid_t swaplab_proc_pid(struct swaplab_proc *p);
unsigned long swaplab_proc_count(void);
void swaplab_proc_for_each(void (*fn)(struct swaplab_proc *, void *),
			   void *arg);
void swaplab_proc_exit(void);

/**
 * swaplab_proc_charge() - a frame now holds a page of one of @p's regions
 * @p: the process
 */
static inline void swaplab_proc_charge(struct swaplab_proc *p)
{
	atomic_long_inc(&p->charged);
}

/**
 * swaplab_proc_uncharge() - a frame of one of @p's regions was freed
 * @p: the process
 */
static inline void swaplab_proc_uncharge(struct swaplab_proc *p)
{
	atomic_long_dec(&p->charged);
}

/**
 * swaplab_proc_referenced() - one of @p's pages was seen referenced
 * @p: the process
 * @f: the page's frame
 *
 * For the working-set estimate: the first sighting since the last tick
 * moves @p's virtual time on.
 */
static inline void swaplab_proc_referenced(struct swaplab_proc *p,
					   struct swaplab_frame *f)
{
	if (!test_and_set_bit(SWAPLAB_FRAME_WS_REF, &f->flags))
		atomic_long_inc(&p->ws_refs);
}

/**
 * swaplab_proc_quiet() - is a process active and not faulting?
 * @p: the process
 *
 * Load control's test of an idle process (loadctl_rule.h's
 * swaplab_lc_ws()): active, no fault under way, and none begun or ended
 * for a period. A process whose one fault waits on reclaim and I/O for
 * longer than a period (a slow disk, a debug kernel) is working.
 *
 * Context: any; lock-free.
 * Return: true if @p is active, is in no fault, and no fault of it began
 * or ended in the last %SWAPLAB_LC_PERIOD_MS.
 */
static inline bool swaplab_proc_quiet(const struct swaplab_proc *p)
{
	return !READ_ONCE(p->lc_off) && !atomic_read(&p->lc_in_fault) &&
	       time_after(jiffies, READ_ONCE(p->lc_fault_j) +
			  msecs_to_jiffies(SWAPLAB_LC_PERIOD_MS));
}

/**
 * swaplab_proc_over() - does @p hold as many frames as it may, or more?
 * @p: the process
 *
 * Return: true under allocation=local when its frames reach its
 * allocation; never under global.
 */
static inline bool swaplab_proc_over(struct swaplab_proc *p)
{
	return atomic_long_read(&p->charged) >=
	       (long)min_t(unsigned long, READ_ONCE(p->alloc), LONG_MAX);
}

/**
 * swaplab_proc_entry_changed() - count a region table entry's change
 * @region: the region whose table changed
 * @old: the entry before, or NULL
 * @new: the entry after, or NULL
 *
 * A page that comes to hold data (swaplab_shadow_has_data()) adds
 * one to the region's @nr_held and to its process's @held; one that
 * stops holding it takes one away. Inline: pager/pagerdata.c, below mm/,
 * changes entries too.
 *
 * Context: any; lock-free.
 */
static inline void swaplab_proc_entry_changed(struct swaplab_region *region,
					      const void *old, const void *new)
{
	long d = (long)swaplab_shadow_has_data(new) -
		 (long)swaplab_shadow_has_data(old);

	if (!d)
		return;
	atomic_long_add(d, &region->nr_held);
	atomic_long_add(d, &region->proc->held);
}

#endif /* _SWAPLAB_PROC_H */
