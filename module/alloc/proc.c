// SPDX-License-Identifier: GPL-2.0
/*
 * Processes: the thread groups that create regions.
 *
 * The textbook allocates frames to processes, so swaplab counts what
 * each process's regions take. A region is charged for life to the
 * thread group that created it (struct swaplab_proc says why); this file
 * keeps one &struct swaplab_proc per such thread group, found by the
 * thread group's struct pid, and numbers it for userspace. It calls
 * nothing else of the module: region.c takes and drops the references,
 * and the fault path and the frame allocator count into it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "alloc/proc.h"
#include "uapi/swaplab.h"

/*
 * swaplab_procs_mutex makes finding a thread group's process and adding
 * or removing one a single step, and keeps the processes a walk sees
 * alive until it lets go. No other lock of the module is held when it is
 * taken; under it run only a walk's function (debugfs's rows, load
 * control's visits, which take spinlocks of their own). swaplab_procs
 * holds every process by id (the xarray's own lock for its structure);
 * ids are given in turn, as region ids are, and swaplab_proc_next_id is
 * the next one to try. swaplab_procs_by_tgid finds a process by its
 * thread group (under the mutex), so that making a region costs the
 * same however many processes have some.
 */
static DEFINE_MUTEX(swaplab_procs_mutex);
static DEFINE_XARRAY_ALLOC1(swaplab_procs);
static u32 swaplab_proc_next_id = 1;
static DEFINE_HASHTABLE(swaplab_procs_by_tgid, 10);

/**
 * swaplab_proc_get_current() - the current thread group's process
 *
 * Finds the process of the caller's thread group, or makes it.
 *
 * Context: process context, may sleep; takes swaplab_procs_mutex.
 * Return: the process with a reference for the caller, or an ERR_PTR():
 * -ENOMEM, or -EBUSY when every id is taken.
 */
struct swaplab_proc *swaplab_proc_get_current(void)
{
	struct pid *tgid = task_tgid(current);
	struct swaplab_proc *p;
	int err;

	mutex_lock(&swaplab_procs_mutex);
	hash_for_each_possible(swaplab_procs_by_tgid, p, tgid_node,
			       (unsigned long)tgid) {
		if (p->tgid == tgid) {
			kref_get(&p->kref);
			goto out;
		}
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		p = ERR_PTR(-ENOMEM);
		goto out;
	}
	err = xa_alloc_cyclic(&swaplab_procs, &p->id, p,
			      XA_LIMIT(1, SWAPLAB_PROC_ID_MAX),
			      &swaplab_proc_next_id, GFP_KERNEL);
	if (err < 0) {
		kfree(p);
		p = ERR_PTR(err == -ENOMEM ? -ENOMEM : -EBUSY);
		goto out;
	}
	kref_init(&p->kref);
	p->tgid = get_pid(tgid);
	hash_add(swaplab_procs_by_tgid, &p->tgid_node, (unsigned long)tgid);
	p->alloc = ULONG_MAX;
	p->weight = SWAPLAB_WEIGHT_DEFAULT;
	INIT_LIST_HEAD(&p->core_node);
	swaplab_psi_group_init(&p->psi);
	init_waitqueue_head(&p->lc_wait);
out:
	mutex_unlock(&swaplab_procs_mutex);
	return p;
}

/**
 * swaplab_proc_get() - take one more reference on a process
 * @p: a process the caller holds (through a region, or a reference)
 *
 * For a fault that waits without its fault lock, while the region that
 * holds the process may go.
 *
 * Context: any.
 */
void swaplab_proc_get(struct swaplab_proc *p)
{
	kref_get(&p->kref);
}

/**
 * swaplab_proc_put() - drop a reference; free the process with the last
 * @p: the process
 *
 * Context: process context, may sleep; takes swaplab_procs_mutex for the
 * last reference, so that a lookup never finds a process being freed.
 */
void swaplab_proc_put(struct swaplab_proc *p)
{
	if (!refcount_dec_and_mutex_lock(&p->kref.refcount,
					 &swaplab_procs_mutex))
		return;
	xa_erase(&swaplab_procs, p->id);
	hash_del(&p->tgid_node);
	mutex_unlock(&swaplab_procs_mutex);
	WARN_ON_ONCE(atomic_long_read(&p->charged));
	WARN_ON_ONCE(!list_empty(&p->core_node) || p->pstate);
	swaplab_psi_group_exit(&p->psi);
	put_pid(p->tgid);
	kfree(p);
}

/**
 * swaplab_proc_exited() - has the thread group that created @p ended?
 * @p: the process
 *
 * Its regions may live on, mapped by a child or held open by another
 * process.
 *
 * Context: any.
 * Return: true if no task of the thread group is left.
 */
bool swaplab_proc_exited(struct swaplab_proc *p)
{
	bool gone;

	rcu_read_lock();
	gone = !pid_task(p->tgid, PIDTYPE_TGID);
	rcu_read_unlock();
	return gone;
}

/**
 * swaplab_proc_pid() - @p's thread group id, as the caller sees it
 * @p: the process
 *
 * Context: process context.
 * Return: the id in the caller's pid namespace; 0 if the thread group is
 * not visible there.
 */
pid_t swaplab_proc_pid(struct swaplab_proc *p)
{
	return pid_nr_ns(p->tgid, task_active_pid_ns(current));
}

/**
 * swaplab_proc_count() - number of live processes
 *
 * Context: process context; takes swaplab_procs_mutex.
 * Return: processes that exist now.
 */
unsigned long swaplab_proc_count(void)
{
	struct swaplab_proc *p;
	unsigned long i, n = 0;

	mutex_lock(&swaplab_procs_mutex);
	xa_for_each(&swaplab_procs, i, p)
		n++;
	mutex_unlock(&swaplab_procs_mutex);
	return n;
}

/**
 * swaplab_proc_for_each() - call a function for every live process
 * @fn: the function, in the order of the ids; it may sleep and read the
 *	process (swaplab_proc_pid(), swaplab_proc_exited()), but must not
 *	drop a reference nor call what takes swaplab_procs_mutex
 * @arg: passed to @fn
 *
 * Context: process context; holds swaplab_procs_mutex around the walk.
 */
void swaplab_proc_for_each(void (*fn)(struct swaplab_proc *, void *),
			   void *arg)
{
	struct swaplab_proc *p;
	unsigned long i;

	mutex_lock(&swaplab_procs_mutex);
	xa_for_each(&swaplab_procs, i, p)
		fn(p, arg);
	mutex_unlock(&swaplab_procs_mutex);
}

/**
 * swaplab_proc_exit() - check that no process is left at unload
 *
 * Every process is held by a region, and every region pins the module.
 *
 * Context: module exit.
 */
void swaplab_proc_exit(void)
{
	WARN_ON_ONCE(!xa_empty(&swaplab_procs));
}
