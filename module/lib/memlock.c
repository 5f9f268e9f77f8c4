// SPDX-License-Identifier: GPL-2.0
/*
 * Locked memory: pinned pages and the external pager's ring count against
 * their user's RLIMIT_MEMLOCK, as mlock()ed pages do (mm/mlock.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>

#include "lib/memlock.h"

/**
 * swaplab_memlock_charge() - charge locked pages to the current user
 * @nr: pages: a pinned page, or the pager's ring
 * @userp: set to the user charged, with a reference, on success
 *
 * A pinned page is locked memory, and so is the pager's ring: it counts
 * against the caller's RLIMIT_MEMLOCK, unless the caller has
 * CAP_IPC_LOCK, as for mlock(). The count is the per-user one (&struct
 * user_struct.locked_vm) that io_uring charges its fixed buffers to,
 * because a pin, like an SHM_LOCK, outlives the process that made it: it
 * may be undone by another process of a shared region, or by the region's
 * release. So the user charged is remembered (@userp) and given back with
 * swaplab_memlock_uncharge(). The charge is always taken; the capability
 * only lifts the limit.
 *
 * Context: process context; lock-free (may be called under a page lock).
 * Return: 0; -EPERM if RLIMIT_MEMLOCK is 0 and the caller lacks
 * CAP_IPC_LOCK (as mlock()); -ENOMEM if the pages would take the user
 * over RLIMIT_MEMLOCK (as mlock()). Nothing is charged on failure.
 */
int swaplab_memlock_charge(unsigned long nr, struct user_struct **userp)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct user_struct *user = current_user();
	long cur = atomic_long_read(&user->locked_vm);

	if (!can_do_mlock())
		return -EPERM;
	do {
		if (cur + nr > limit && !capable(CAP_IPC_LOCK))
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, cur + nr));
	*userp = get_uid(user);
	return 0;
}

/**
 * swaplab_memlock_uncharge() - give back pages swaplab_memlock_charge() charged
 * @user: the user it charged; its reference is dropped
 * @nr: the pages it charged
 *
 * Context: any.
 */
void swaplab_memlock_uncharge(struct user_struct *user, unsigned long nr)
{
	WARN_ON_ONCE(atomic_long_sub_return(nr, &user->locked_vm) < 0);
	free_uid(user);
}
