// SPDX-License-Identifier: GPL-2.0
/*
 * The frame budget: the experiment's "physical memory".
 *
 * swaplab never holds more than @budget pages in frames at once, whatever
 * the machine's RAM. A frame is taken before a page is allocated for a
 * region and given back when that page is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/spinlock.h>

#include "swaplab.h"

/*
 * swaplab_frames_used counts frames in use; it may exceed swaplab_budget
 * only after the budget was lowered below it. swaplab_budget is a single
 * word read with READ_ONCE() and written with WRITE_ONCE(); no lock.
 */
static atomic_long_t swaplab_frames_in_use = ATOMIC_LONG_INIT(0);
static unsigned long swaplab_budget = SWAPLAB_FRAMES_DEFAULT;

/*
 * swaplab_pin_lock keeps the pinned count and the budget consistent: at
 * least SWAPLAB_FRAMES_MIN frames of the budget always stay unpinned, so
 * that paging can go on.
 */
static DEFINE_SPINLOCK(swaplab_pin_lock);
static unsigned long swaplab_pinned;		/* under swaplab_pin_lock */

/**
 * swaplab_frames_init() - set the budget at load time
 * @budget: frames, already validated by swaplab_frames_set_budget() rules
 *
 * Context: module init, before any region exists.
 */
void swaplab_frames_init(unsigned long budget)
{
	WRITE_ONCE(swaplab_budget, budget);
	swaplab_watermarks_default(budget);
}

/**
 * swaplab_frame_get() - take one frame from the budget
 *
 * Context: any; lock-free.
 * Return: true if a frame was taken, false if the budget is used up.
 */
bool swaplab_frame_get(void)
{
	long used = atomic_long_read(&swaplab_frames_in_use);

	do {
		if (used >= (long)READ_ONCE(swaplab_budget))
			return false;
	} while (!atomic_long_try_cmpxchg(&swaplab_frames_in_use, &used,
					  used + 1));
	return true;
}

/**
 * swaplab_frame_put() - give one frame back to the budget
 *
 * Context: any; lock-free.
 */
void swaplab_frame_put(void)
{
	long used = atomic_long_dec_return(&swaplab_frames_in_use);

	WARN_ON_ONCE(used < 0);
	swaplab_frames_wake();
}

/**
 * swaplab_frames_budget() - the current budget
 *
 * Return: the budget in pages.
 */
unsigned long swaplab_frames_budget(void)
{
	return READ_ONCE(swaplab_budget);
}

/**
 * swaplab_frames_set_budget() - change the budget
 * @budget: new budget in pages
 *
 * The budget must lie between %SWAPLAB_FRAMES_MIN and the machine's RAM.
 * Lowering it below the frames in use is allowed: the page daemon evicts
 * down to it. The watermarks are reset to their defaults for the new
 * budget.
 *
 * It must also leave %SWAPLAB_FRAMES_MIN frames unpinned.
 *
 * Raising it wakes the faults that wait for a free frame: the frames it
 * adds are free ones, and the daemon, now balanced, may free none.
 *
 * Context: process context.
 * Return: 0, or -EINVAL if @budget is out of range (nothing changes).
 */
int swaplab_frames_set_budget(unsigned long budget)
{
	if (budget < SWAPLAB_FRAMES_MIN || budget > totalram_pages())
		return -EINVAL;
	spin_lock(&swaplab_pin_lock);
	if (budget < swaplab_pinned + SWAPLAB_FRAMES_MIN) {
		spin_unlock(&swaplab_pin_lock);
		return -EINVAL;
	}
	WRITE_ONCE(swaplab_budget, budget);
	spin_unlock(&swaplab_pin_lock);
	swaplab_watermarks_default(budget);
	swaplab_daemon_wake();
	swaplab_frames_wake();
	return 0;
}

/**
 * swaplab_frames_used() - frames in use
 *
 * Return: the number of pages that hold a frame now.
 */
unsigned long swaplab_frames_used(void)
{
	return atomic_long_read(&swaplab_frames_in_use);
}

/**
 * swaplab_frames_free() - frames left in the budget
 *
 * Return: budget minus frames in use, or 0 if the budget is overcommitted.
 */
unsigned long swaplab_frames_free(void)
{
	unsigned long used = swaplab_frames_used();
	unsigned long budget = swaplab_frames_budget();

	return used < budget ? budget - used : 0;
}

/**
 * swaplab_frames_pin_get() - account one more pinned frame
 *
 * Context: any.
 * Return: false if that would leave fewer than %SWAPLAB_FRAMES_MIN frames
 * of the budget unpinned.
 */
bool swaplab_frames_pin_get(void)
{
	bool ok;

	spin_lock(&swaplab_pin_lock);
	ok = swaplab_pinned + SWAPLAB_FRAMES_MIN < READ_ONCE(swaplab_budget);
	if (ok)
		swaplab_pinned++;
	spin_unlock(&swaplab_pin_lock);
	return ok;
}

/**
 * swaplab_frames_pin_put() - account one pinned frame less
 *
 * Context: any.
 */
void swaplab_frames_pin_put(void)
{
	spin_lock(&swaplab_pin_lock);
	if (!WARN_ON_ONCE(!swaplab_pinned))
		swaplab_pinned--;
	spin_unlock(&swaplab_pin_lock);
	swaplab_daemon_wake();
}

/**
 * swaplab_frames_pinned() - pinned frames
 *
 * Return: frames that hold a pinned page.
 */
unsigned long swaplab_frames_pinned(void)
{
	return READ_ONCE(swaplab_pinned);
}

/**
 * swaplab_pin_charge() - charge one pinned page to the current user
 * @userp: set to the user charged, with a reference, on success
 *
 * A pinned page is locked memory: it counts against the caller's
 * RLIMIT_MEMLOCK, unless the caller has CAP_IPC_LOCK, as for mlock(). The
 * count is the per-user one (&struct user_struct.locked_vm) that io_uring
 * charges its fixed buffers to, because a pin, like an SHM_LOCK, outlives
 * the process that made it: it may be undone by another process of a
 * shared region, or by the region's release. So the user charged is
 * remembered (@userp) and given back with swaplab_pin_uncharge(). The
 * charge is always taken; the capability only lifts the limit.
 *
 * Context: process context; lock-free (may be called under a page lock).
 * Return: 0; -EPERM if RLIMIT_MEMLOCK is 0 and the caller lacks
 * CAP_IPC_LOCK (as mlock()); -ENOMEM if the page would take the user
 * over RLIMIT_MEMLOCK (as mlock()). Nothing is charged on failure.
 */
int swaplab_pin_charge(struct user_struct **userp)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct user_struct *user = current_user();
	long cur = atomic_long_read(&user->locked_vm);

	if (!can_do_mlock())
		return -EPERM;
	do {
		if (cur + 1 > limit && !capable(CAP_IPC_LOCK))
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, cur + 1));
	*userp = get_uid(user);
	return 0;
}

/**
 * swaplab_pin_uncharge() - give back one page charged by swaplab_pin_charge()
 * @user: the user it charged; its reference is dropped
 *
 * Context: any.
 */
void swaplab_pin_uncharge(struct user_struct *user)
{
	WARN_ON_ONCE(atomic_long_dec_return(&user->locked_vm) < 0);
	free_uid(user);
}
