// SPDX-License-Identifier: GPL-2.0
/*
 * Frame allocation's decisions under allocation=local: the allocator in
 * force, each process's share, the working-set clock that moves the
 * estimates on at a tick, the verdict on thrashing that load control
 * reads (loadctl_rule.h), and the wish to trim a process over its
 * allocation that the page daemon acts on. The allocators themselves
 * (alloc_*.c) are plain C over alloc.h; this file tells them what they
 * know of each process and keeps what they decide.
 *
 * The core (core.c) owns the processes' list, the frame lists and the
 * policy mutex, and calls the functions below that take a list with the
 * mutex held: the decisions are made with the list and the processes'
 * figures still, and a share given is applied (the state told,
 * resize()) by the core before it drops the mutex. This file is below
 * the core: it calls no policy and nothing of the core's, which hands
 * it the policy mutex at init (swaplab_share_init()) so that the
 * functions that need it can assert it.
 *
 * Locking: the allocator in force, the verdict and a process's @alloc
 * and @core_counted are written under the policy mutex, with
 * WRITE_ONCE() where readers go without it. swaplab_share_knob_lock
 * protects the pff thresholds as a pair (the lower stays below the
 * upper); the window is a single word, written with WRITE_ONCE().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/limits.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "api/alloc.h"
#include "alloc/frames.h"
#include "api/loadctl_rule.h"
#include "alloc/proc.h"
#include "api/region.h"
#include "alloc/share.h"
#include "lib/trace.h"

/* The policy mutex, core.c's, held by every decision. */
static struct mutex *swaplab_share_lock;

/* The allocators alloc_list.h names; the first is the default. */
#define SWAPLAB_ALLOCATOR(name) (&swaplab_alloc_##name),
static const struct swaplab_allocator_ops *const swaplab_allocators[] = {
#include "api/alloc_list.h"
#undef SWAPLAB_ALLOCATOR
};

/*
 * The allocator in force under local: written under the policy mutex
 * with WRITE_ONCE(); read under it, or with READ_ONCE() for its name (the
 * allocators are static and never go away).
 */
static const struct swaplab_allocator_ops *swaplab_allocator =
	swaplab_allocators[0];
/*
 * Allocation is local and the allocator decides at every tick: the aging
 * clock runs for it. Written under the policy mutex with WRITE_ONCE().
 */
static bool swaplab_share_decides_now;

/*
 * The working-set window, in pages referenced (alloc.h's virtual time):
 * written with WRITE_ONCE(), read with READ_ONCE().
 */
static unsigned long swaplab_ws_tau = SWAPLAB_WS_TAU_DEFAULT;
/* The pff allocator's thresholds, per mille. */
static DEFINE_SPINLOCK(swaplab_share_knob_lock);
static unsigned int swaplab_pff_upper = SWAPLAB_PFF_UPPER_DEFAULT;
static unsigned int swaplab_pff_lower = SWAPLAB_PFF_LOWER_DEFAULT;

/*
 * What the last decision found, for load control (written under the
 * policy mutex with WRITE_ONCE(), read with READ_ONCE()): whether the
 * active processes thrash by the allocator's own measure, and the frames
 * their working sets leave (LONG_MAX when the allocator is not ws); how
 * many of them work (loadctl_rule.h's swaplab_lc_count); and how many
 * decisions there were, so that load control acts on each new one.
 */
static bool swaplab_share_overcommit;
static long swaplab_share_ws_room = LONG_MAX;
static unsigned int swaplab_share_nr_working;
static unsigned long swaplab_share_nr_judged;
/*
 * A decision left a process holding more frames than its new allocation:
 * the page daemon trims it (swaplab_core_over_total()). Written with
 * WRITE_ONCE(), read with READ_ONCE().
 */
static bool swaplab_share_trim;

/**
 * swaplab_share_init() - hand the decisions the lock they run under
 * @lock: the policy mutex, which protects the processes' list that the
 *	decisions walk and the shares they give
 *
 * Context: module init, before the first process lists.
 */
void swaplab_share_init(struct mutex *lock)
{
	swaplab_share_lock = lock;
}

/**
 * swaplab_share_find() - an allocator by name
 * @name: one of alloc_list.h's (a trailing newline is ignored)
 *
 * Return: the allocator, or NULL if none has the name.
 */
const struct swaplab_allocator_ops *swaplab_share_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swaplab_allocators); i++)
		if (sysfs_streq(name, swaplab_allocators[i]->name))
			return swaplab_allocators[i];
	return NULL;
}

/**
 * swaplab_share_select() - put an allocator in force, or the mode
 * @a: the allocator; NULL keeps the one in force
 * @local: allocation is local (it decides only then)
 *
 * Context: under the policy mutex.
 */
void swaplab_share_select(const struct swaplab_allocator_ops *a, bool local)
{
	lockdep_assert_held(swaplab_share_lock);
	if (a)
		WRITE_ONCE(swaplab_allocator, a);
	WRITE_ONCE(swaplab_share_decides_now, local &&
		   (swaplab_allocator->flags & SWAPLAB_ALLOC_DECIDES));
}

/*
 * What the allocator is told of @p. Its allocation is none (0) unless it
 * was given while @p counted (@p->core_counted): the one frame of a
 * process that maps nothing is no share to scale or step from.
 */
static void swaplab_share_view(struct swaplab_proc *p,
			       struct swaplab_alloc_proc *ap)
{
	lockdep_assert_held(swaplab_share_lock);
	ap->size = atomic_long_read(&p->mapped);
	ap->held = max(atomic_long_read(&p->held), 0L);
	ap->weight = READ_ONCE(p->weight);
	ap->alloc = swaplab_alloc_given(READ_ONCE(p->alloc), p->core_counted);
	ap->ws = swaplab_alloc_ws_estimate(&p->ws);
	ap->refs = p->ws_last_refs;
	ap->faults = p->ws_last_faults;
}

/**
 * swaplab_share_totals() - what the allocator is told of them all
 * @t: set to the totals
 * @procs: the core's list of processes that have regions
 * @extra: a process about to be listed, or NULL
 *
 * Of every listed process that is active (load control did not
 * deactivate it) and counts (swaplab_alloc_counted()), and of @extra too
 * if it counts.
 *
 * Context: under the policy mutex.
 */
void swaplab_share_totals(struct swaplab_alloc_total *t,
			  struct list_head *procs, struct swaplab_proc *extra)
{
	unsigned long budget = swaplab_frames_budget();
	unsigned long high = swaplab_frames_watermark_working(true);
	struct swaplab_alloc_proc ap;
	struct swaplab_proc *p;

	lockdep_assert_held(swaplab_share_lock);
	swaplab_alloc_total_init(t, budget > high ? budget - high : 0);
	swaplab_share_pff(&t->pff_upper, &t->pff_lower);
	if (extra) {
		swaplab_share_view(extra, &ap);
		swaplab_alloc_total_join(t, &ap);
	}
	list_for_each_entry(p, procs, core_node) {
		if (READ_ONCE(p->lc_off))
			continue;
		swaplab_share_view(p, &ap);
		swaplab_alloc_total_add(t, &ap);
	}
	swaplab_alloc_total_close(t);
}

/**
 * swaplab_share_of() - a process's share, given the totals
 * @local: allocation is local
 * @p: the process
 * @t: the totals (swaplab_share_totals()); the allocator may take from
 *	@t->free what it gives
 * @counted: set to whether @p counts (swaplab_alloc_counted()), read
 *	from the same view as the share
 *
 * Context: under the policy mutex.
 * Return: %ULONG_MAX (no limit) unless @local; the least, one frame,
 * while load control has @p deactivated or while it maps nothing.
 */
unsigned long swaplab_share_of(bool local, struct swaplab_proc *p,
			       struct swaplab_alloc_total *t, bool *counted)
{
	struct swaplab_alloc_proc ap;

	swaplab_share_view(p, &ap);
	*counted = swaplab_alloc_counted(&ap);
	if (!local)
		return ULONG_MAX;
	return swaplab_alloc_share(swaplab_allocator, &ap, t,
				   READ_ONCE(p->lc_off));
}

/**
 * swaplab_share_give() - give a process its share
 * @p: the process
 * @share: its share (swaplab_share_of())
 * @counted: whether the decision found it counted
 *
 * A share below the frames @p holds asks the page daemon to trim it.
 *
 * Context: under the policy mutex.
 * Return: true if its allocation changed: the caller tells its state.
 */
bool swaplab_share_give(struct swaplab_proc *p, unsigned long share,
			bool counted)
{
	lockdep_assert_held(swaplab_share_lock);
	p->core_counted = counted;
	if (share < (unsigned long)atomic_long_read(&p->charged))
		WRITE_ONCE(swaplab_share_trim, true);
	if (READ_ONCE(p->alloc) == share)
		return false;
	WRITE_ONCE(p->alloc, share);
	trace_swaplab_alloc(p->id, share);
	return true;
}

/**
 * swaplab_share_came_to_count() - has a process come to count?
 * @p: a listed process
 *
 * True once a mapping of one of its regions has reached a page since its
 * allocation was given, while it is active: its one frame was no share,
 * and it is given the first share an allocator gives a newcomer.
 *
 * Context: under the policy mutex.
 * Return: true if @p is to be given its first share.
 */
bool swaplab_share_came_to_count(struct swaplab_proc *p)
{
	struct swaplab_alloc_proc ap;

	if (p->core_counted || READ_ONCE(p->lc_off))
		return false;
	swaplab_share_view(p, &ap);
	return swaplab_alloc_counted(&ap);
}

/**
 * swaplab_share_judge() - do the active processes thrash?
 * @local: allocation is local (there is no verdict under global)
 * @procs: the core's list of processes
 * @t: the totals of the decision
 *
 * By the allocator's measure (loadctl_rule.h); published for load
 * control, with the room the working sets leave, and counted as a
 * decision.
 *
 * Context: under the policy mutex.
 */
void swaplab_share_judge(bool local, struct list_head *procs,
			 const struct swaplab_alloc_total *t)
{
	const struct swaplab_allocator_ops *a = swaplab_allocator;
	unsigned long tau = READ_ONCE(swaplab_ws_tau), ws;
	struct swaplab_lc_count c = { };
	struct swaplab_alloc_proc ap;
	struct swaplab_proc *p;
	unsigned int working = 0;
	bool over = false, quiet;
	long room = LONG_MAX;

	lockdep_assert_held(swaplab_share_lock);
	if (!local || !swaplab_lc_judges(a))
		goto out;
	list_for_each_entry(p, procs, core_node) {
		swaplab_share_view(p, &ap);
		quiet = swaplab_proc_quiet(p);
		ws = swaplab_lc_ws(&ap, p->ws.vtime, tau, t->avail,
				   READ_ONCE(p->lc_begun), quiet,
				   atomic_long_read(&p->charged));
		WRITE_ONCE(p->lc_ws, ws);
		if (!READ_ONCE(p->lc_off))
			swaplab_lc_count_proc(&c, &ap, ws, quiet, t);
	}
	over = swaplab_lc_verdict(a, t, &c, &room);
	working = c.working;
out:
	WRITE_ONCE(swaplab_share_nr_judged, swaplab_share_nr_judged + 1);
	WRITE_ONCE(swaplab_share_overcommit, over);
	WRITE_ONCE(swaplab_share_ws_room, room);
	WRITE_ONCE(swaplab_share_nr_working, working);
}

/**
 * swaplab_share_ws_tick() - move the working-set estimates on
 * @procs: the core's list of processes
 * @frames: the core's list of frames admitted to the policy
 * @clock: the eviction clock (refault distances count by it)
 *
 * Every process's virtual time moves on by its pages seen referenced
 * since the last tick, and its resident pages within the window are
 * counted (alloc.h). Frames out of the policy are not walked.
 *
 * Context: under the policy mutex.
 */
void swaplab_share_ws_tick(struct list_head *procs, struct list_head *frames,
			   unsigned long clock)
{
	unsigned long tau = READ_ONCE(swaplab_ws_tau);
	struct swaplab_alloc_proc ap;
	struct swaplab_frame *f;
	struct swaplab_proc *p;

	lockdep_assert_held(swaplab_share_lock);
	list_for_each_entry(p, procs, core_node) {
		p->ws_last_refs = atomic_long_xchg(&p->ws_refs, 0);
		p->ws_last_faults = atomic_long_xchg(&p->ws_faults, 0);
		swaplab_alloc_ws_advance(&p->ws, p->ws_last_refs, tau, clock);
	}
	list_for_each_entry(f, frames, all)
		swaplab_alloc_ws_frame(&f->region->proc->ws, f, tau);
	list_for_each_entry(p, procs, core_node) {
		swaplab_share_view(p, &ap);
		WRITE_ONCE(p->ws_pages, ap.ws);
		WRITE_ONCE(p->pff_rate, swaplab_alloc_pff_rate(&ap));
	}
}

/**
 * swaplab_share_over() - frames processes hold beyond their allocations
 * @local: allocation is local (under global no process is over)
 * @procs: the core's list of processes
 *
 * At 0 the wish to trim is dropped, also under global: a wish left from
 * local when the mode changed would wake the page daemon for ever.
 *
 * Context: under the policy mutex.
 * Return: the frames, added up over the processes; 0 under global.
 */
unsigned long swaplab_share_over(bool local, struct list_head *procs)
{
	unsigned long over = 0, alloc;
	struct swaplab_proc *p;
	long charged;

	lockdep_assert_held(swaplab_share_lock);
	if (local)
		list_for_each_entry(p, procs, core_node) {
			charged = atomic_long_read(&p->charged);
			alloc = READ_ONCE(p->alloc);
			if (charged > 0 && (unsigned long)charged > alloc)
				over += charged - alloc;
		}
	if (!over)
		WRITE_ONCE(swaplab_share_trim, false);
	return over;
}

/**
 * swaplab_share_decides() - does the allocator decide at every tick?
 *
 * Context: any; lock-free.
 * Return: true under allocation=local with the ws or pff allocator: the
 * aging clock must run, and harvest reference bits, for it.
 */
bool swaplab_share_decides(void)
{
	return READ_ONCE(swaplab_share_decides_now);
}

/**
 * swaplab_share_overcommitted() - did the last decision find thrashing?
 * @room: set to the frames the active processes' working sets leave,
 *	negative when they need more than there is; %LONG_MAX when the
 *	allocator is not ws
 *
 * Context: any; lock-free (a moment old).
 * Return: true when the active processes thrash by the allocator's own
 * measure: under ws, their working sets add up to more than there is and
 * one of them faults above the pff upper threshold; under pff, every one
 * that referenced pages is above the upper threshold and no frame is
 * left to give. Never under another allocator.
 */
bool swaplab_share_overcommitted(long *room)
{
	*room = READ_ONCE(swaplab_share_ws_room);
	return READ_ONCE(swaplab_share_overcommit);
}

/**
 * swaplab_share_working() - how many processes work, at the last decision?
 *
 * Context: any; lock-free (a moment old).
 * Return: the active processes that referenced pages in the interval
 * before the last decision or took a fault in the last period of load
 * control (&swaplab_lc_count.working), under ws and pff with
 * allocation=local; 0 otherwise.
 */
unsigned int swaplab_share_working(void)
{
	return READ_ONCE(swaplab_share_nr_working);
}

/**
 * swaplab_share_nr_decisions() - how many allocation decisions were made
 *
 * Context: any; lock-free.
 * Return: the count since load of the decisions (every tick under ws and
 * pff, every process come or gone, every change of the budget or the
 * allocator) after which swaplab_share_overcommitted() tells anew; a
 * change means a new verdict.
 */
unsigned long swaplab_share_nr_decisions(void)
{
	return READ_ONCE(swaplab_share_nr_judged);
}

/**
 * swaplab_share_trim_wanted() - does a process hold more than its allocation?
 *
 * Context: any; lock-free.
 * Return: true when a decision left one over its allocation and the page
 * daemon has not yet found every process within it.
 */
bool swaplab_share_trim_wanted(void)
{
	return READ_ONCE(swaplab_share_trim);
}

/**
 * swaplab_share_ws_tau() - the working-set window
 *
 * Return: the window, in pages referenced.
 */
unsigned long swaplab_share_ws_tau(void)
{
	return READ_ONCE(swaplab_ws_tau);
}

/**
 * swaplab_share_set_ws_tau() - set the working-set window
 * @tau: 1 to %SWAPLAB_WS_TAU_MAX pages referenced
 *
 * The next tick counts by it.
 *
 * Return: 0, or -EINVAL if @tau is out of range (nothing changes).
 */
int swaplab_share_set_ws_tau(unsigned int tau)
{
	if (!tau || tau > SWAPLAB_WS_TAU_MAX)
		return -EINVAL;
	WRITE_ONCE(swaplab_ws_tau, tau);
	return 0;
}

/**
 * swaplab_share_pff() - the pff allocator's thresholds
 * @upper: set to the upper, per mille
 * @lower: set to the lower, per mille
 *
 * Context: any; takes the knob spinlock (a consistent pair).
 */
void swaplab_share_pff(unsigned int *upper, unsigned int *lower)
{
	spin_lock(&swaplab_share_knob_lock);
	*upper = swaplab_pff_upper;
	*lower = swaplab_pff_lower;
	spin_unlock(&swaplab_share_knob_lock);
}

/**
 * swaplab_share_set_pff() - set one of the pff allocator's thresholds
 * @upper: true for the upper one, false for the lower
 * @val: per mille, 0 to 1000
 *
 * The lower threshold stays below the upper one.
 *
 * Context: any; takes the knob spinlock.
 * Return: 0, or -EINVAL if @val is out of range or would put the lower
 * threshold at or above the upper (nothing changes).
 */
int swaplab_share_set_pff(bool upper, unsigned int val)
{
	int err = 0;

	if (val > 1000)
		return -EINVAL;
	spin_lock(&swaplab_share_knob_lock);
	if (upper ? val <= swaplab_pff_lower : val >= swaplab_pff_upper)
		err = -EINVAL;
	else if (upper)
		swaplab_pff_upper = val;
	else
		swaplab_pff_lower = val;
	spin_unlock(&swaplab_share_knob_lock);
	return err;
}

/**
 * swaplab_share_show_allocators() - print the allocators
 * @buf: a sysfs buffer
 * @all: every allocator, space separated; else the one in force
 *
 * Context: any; lock-free.
 * Return: bytes written.
 */
ssize_t swaplab_share_show_allocators(char *buf, bool all)
{
	unsigned int i;
	int len = 0;

	if (!all)
		return sysfs_emit(buf, "%s\n", READ_ONCE(swaplab_allocator)->name);
	for (i = 0; i < ARRAY_SIZE(swaplab_allocators); i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
				     swaplab_allocators[i]->name);
	return len + sysfs_emit_at(buf, len, "\n");
}
