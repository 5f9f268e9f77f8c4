// SPDX-License-Identifier: GPL-2.0
/*
 * The policy registry and the core's side of every policy call.
 *
 * Modelled on net/ipv4/tcp_cong.c: policies register into an RCU list,
 * are checked for their required callbacks, are looked up by name, and the
 * selected one holds a reference on its module. One policy is current;
 * it sees every resident, unpinned frame.
 *
 * Locking: swaplab_policy_list_lock (spinlock) serialises registry
 * writers; readers walk the list under RCU. swaplab_policy_mutex protects
 * the current policy, its state, the list of admitted frames and every
 * callback into a policy. It is taken with page locks held (the fault
 * path admits a locked page) but never the other way round: reclaim
 * isolates frames under the mutex and locks their pages after dropping it.
 * A policy's victim() may harvest reference bits (ctx->refresh), which
 * takes swaplab_regions_mutex inside this one, and unparking reads a
 * region's VMAs under its i_mmap_rwsem; nothing takes them the other way
 * round.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "policy.h"
#include "swaplab.h"

static DEFINE_SPINLOCK(swaplab_policy_list_lock);
static LIST_HEAD(swaplab_policy_list);

static DEFINE_MUTEX(swaplab_policy_mutex);
static struct swaplab_policy_ops *swaplab_policy_cur;	/* under the mutex */
/*
 * A copy of swaplab_policy_cur->flags, written under the mutex with
 * WRITE_ONCE(), for the readers that do not take it (reclaim's harvest
 * decision, the aging work): they must never dereference the ops, which
 * belong to a module that can be unloaded once it is no longer current.
 */
static unsigned int swaplab_policy_flags;
static void *swaplab_policy_state;			/* under the mutex */
static LIST_HEAD(swaplab_policy_frames);		/* under the mutex */
/*
 * Frames of pages reclaim cannot take, mlocked or held by another user,
 * kept out of the policy; under the mutex.
 */
static LIST_HEAD(swaplab_policy_parked);
static unsigned long swaplab_policy_nr_parked;	/* under the mutex */

/* Tunables: single words, READ_ONCE()/WRITE_ONCE(). */
static unsigned int swaplab_aging_bits = 8;
static unsigned int swaplab_aging_interval_ms = 100;
static unsigned int swaplab_wsclock_tau_ms = 1000;

/* Frames admitted since the last tick; written under the mutex. */
static unsigned long swaplab_admitted_since_tick;

static void swaplab_aging_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(swaplab_aging_work, swaplab_aging_fn);

/**
 * swaplab_policy_random() - a random number for policies
 *
 * Return: 32 random bits.
 */
unsigned int swaplab_policy_random(void)
{
	return get_random_u32();
}
EXPORT_SYMBOL_GPL(swaplab_policy_random);

static struct swaplab_policy_ops *swaplab_policy_find(const char *name)
{
	struct swaplab_policy_ops *ops;

	list_for_each_entry_rcu(ops, &swaplab_policy_list, list,
				lockdep_is_held(&swaplab_policy_list_lock))
		if (sysfs_streq(name, ops->name))
			return ops;
	return NULL;
}

/**
 * swaplab_policy_register() - make a policy selectable by name
 * @ops: the policy; its required callbacks must be set
 *
 * Context: process context.
 * Return: 0, -EINVAL if a required callback or the name is missing,
 * -EEXIST if a policy of that name is registered.
 */
int swaplab_policy_register(struct swaplab_policy_ops *ops)
{
	int err = 0;

	if (!ops->admit || !ops->forget || !ops->victim || !ops->name[0] ||
	    (ops->flags & SWAPLAB_POLICY_TICK && !ops->tick) ||
	    (ops->flags & SWAPLAB_POLICY_REFS_AT_TICK &&
	     !(ops->flags & SWAPLAB_POLICY_TICK))) {
		pr_err("policy %s does not implement required ops\n",
		       ops->name);
		return -EINVAL;
	}

	spin_lock(&swaplab_policy_list_lock);
	if (swaplab_policy_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &swaplab_policy_list);
	spin_unlock(&swaplab_policy_list_lock);
	return err;
}
EXPORT_SYMBOL_GPL(swaplab_policy_register);

/**
 * swaplab_policy_unregister() - remove a policy from the registry
 * @ops: a registered policy; not the current one (selection holds a
 *	reference on its module, so its module cannot be unloading)
 *
 * Context: process context, sleeps in synchronize_rcu().
 */
void swaplab_policy_unregister(struct swaplab_policy_ops *ops)
{
	spin_lock(&swaplab_policy_list_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&swaplab_policy_list_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(swaplab_policy_unregister);

static void swaplab_policy_ctx(struct swaplab_policy_ctx *ctx)
{
	ctx->now_ms = jiffies_to_msecs(jiffies);
	ctx->aging_bits = READ_ONCE(swaplab_aging_bits);
	ctx->tau_ms = READ_ONCE(swaplab_wsclock_tau_ms);
	ctx->refresh = NULL;
}

static void __swaplab_policy_admit(struct swaplab_frame *f,
				   const struct swaplab_policy_ctx *ctx)
{
	lockdep_assert_held(&swaplab_policy_mutex);
	INIT_LIST_HEAD(&f->lru);
	f->pdata[0] = 0;
	f->pdata[1] = 0;
	set_bit(SWAPLAB_FRAME_ADMITTED, &f->flags);
	list_add_tail(&f->all, &swaplab_policy_frames);
	swaplab_policy_cur->admit(swaplab_policy_state, f, ctx);
}

static bool __swaplab_policy_forget(struct swaplab_frame *f)
{
	lockdep_assert_held(&swaplab_policy_mutex);
	if (test_and_clear_bit(SWAPLAB_FRAME_PARKED, &f->flags)) {
		list_del_init(&f->lru);
		swaplab_policy_nr_parked--;
		return true;
	}
	if (!test_and_clear_bit(SWAPLAB_FRAME_ADMITTED, &f->flags))
		return false;
	list_del_init(&f->all);
	swaplab_policy_cur->forget(swaplab_policy_state, f);
	return true;
}

/**
 * swaplab_policy_admit() - hand a resident frame to the current policy
 * @f: the frame; its page is locked by the caller
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_admit(struct swaplab_frame *f)
{
	struct swaplab_policy_ctx ctx;

	swaplab_policy_ctx(&ctx);
	mutex_lock(&swaplab_policy_mutex);
	__swaplab_policy_admit(f, &ctx);
	WRITE_ONCE(swaplab_admitted_since_tick,
		   swaplab_admitted_since_tick + 1);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_forget() - take a frame away from the policy
 * @f: the frame; nothing happens if it is neither admitted nor parked
 *
 * Context: process context; takes the policy mutex.
 * Return: true if the frame was admitted.
 */
bool swaplab_policy_forget(struct swaplab_frame *f)
{
	bool was;

	mutex_lock(&swaplab_policy_mutex);
	was = __swaplab_policy_forget(f);
	mutex_unlock(&swaplab_policy_mutex);
	return was;
}

/*
 * Give frames whose pages are no longer mlocked or held by another user
 * (swaplab_frame_held()) back to the policy. At most
 * a batch is looked at per call, the rest rotated to the front next time,
 * so that the work under the mutex stays bounded however much is mlocked;
 * but when the policy has no frame at all, the whole list, once: else
 * reclaim could give up (and faults get SIGBUS) with a released frame
 * still parked behind more held ones than its retries look at.
 */
static void swaplab_policy_unpark(const struct swaplab_policy_ctx *ctx)
{
	unsigned long n, limit = SWAPLAB_IO_MAX;
	struct swaplab_frame *f;

	lockdep_assert_held(&swaplab_policy_mutex);
	if (list_empty(&swaplab_policy_frames))
		limit = swaplab_policy_nr_parked;
	for (n = 0; n < limit; n++) {
		f = list_first_entry_or_null(&swaplab_policy_parked,
					     struct swaplab_frame, lru);
		if (!f)
			break;
		if (swaplab_frame_held(f) ||
		    swaplab_region_mlocked(f->region, f->index)) {
			list_move_tail(&f->lru, &swaplab_policy_parked);
			continue;
		}
		clear_bit(SWAPLAB_FRAME_PARKED, &f->flags);
		list_del_init(&f->lru);
		swaplab_policy_nr_parked--;
		__swaplab_policy_admit(f, ctx);
	}
}

/**
 * swaplab_policy_park() - keep isolated, unevictable frames out of the policy
 * @list: frames of mlocked or held pages, linked by their @lru; emptied
 *
 * Like the kernel's unevictable list: a policy that kept naming them would
 * fill whole batches with pages reclaim cannot take. They go back to the
 * policy, at the next isolation, once their pages are no longer mlocked
 * or held.
 * The caller then drops the references swaplab_policy_isolate() took.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_park(struct list_head *list)
{
	struct swaplab_frame *f, *tmp;

	mutex_lock(&swaplab_policy_mutex);
	list_for_each_entry_safe(f, tmp, list, lru) {
		clear_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		if (test_bit(SWAPLAB_FRAME_PINNED, &f->flags)) {
			list_del_init(&f->lru);
			continue;
		}
		set_bit(SWAPLAB_FRAME_PARKED, &f->flags);
		list_move_tail(&f->lru, &swaplab_policy_parked);
		swaplab_policy_nr_parked++;
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_isolate() - take victims from the policy
 * @list: where the victims go, linked by their @lru
 * @nr: how many to take at most
 *
 * Each victim leaves the policy and comes with a reference on its page
 * and on its region. A victim of a region already being freed is dropped
 * from the policy and left to the region's release.
 *
 * Context: process context; takes the policy mutex.
 * Return: the number of victims on @list.
 */
unsigned int swaplab_policy_isolate(struct list_head *list, unsigned int nr)
{
	struct swaplab_policy_ctx ctx;
	struct swaplab_frame *f;
	unsigned int n = 0;

	swaplab_policy_ctx(&ctx);
	/* Lock order: policy mutex, then regions mutex (harvest). */
	ctx.refresh = swaplab_harvest_referenced;
	mutex_lock(&swaplab_policy_mutex);
	swaplab_policy_unpark(&ctx);
	while (n < nr) {
		f = swaplab_policy_cur->victim(swaplab_policy_state, &ctx);
		if (!f)
			break;
		if (WARN_ON_ONCE(!__swaplab_policy_forget(f)))
			break;
		if (!kref_get_unless_zero(&f->region->kref))
			continue;
		get_page(f->page);
		set_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		list_add_tail(&f->lru, list);
		n++;
	}
	mutex_unlock(&swaplab_policy_mutex);
	return n;
}

/**
 * swaplab_policy_putback() - return isolated frames that were not evicted
 * @list: the frames, linked by their @lru; emptied
 *
 * The caller still holds, and then drops, the references that
 * swaplab_policy_isolate() took.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_putback(struct list_head *list)
{
	struct swaplab_policy_ctx ctx;
	struct swaplab_frame *f, *tmp;

	swaplab_policy_ctx(&ctx);
	mutex_lock(&swaplab_policy_mutex);
	list_for_each_entry_safe(f, tmp, list, lru) {
		list_del_init(&f->lru);
		clear_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		/* Pinned while isolated: it stays out until unpinned. */
		if (!test_bit(SWAPLAB_FRAME_PINNED, &f->flags))
			__swaplab_policy_admit(f, &ctx);
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_pin() - take a frame out of the policy for good
 * @f: the frame; its page is locked by the caller
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_pin(struct swaplab_frame *f)
{
	mutex_lock(&swaplab_policy_mutex);
	set_bit(SWAPLAB_FRAME_PINNED, &f->flags);
	__swaplab_policy_forget(f);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_unpin() - give a pinned frame back to the policy
 * @f: the frame; its page is locked by the caller
 *
 * A frame reclaim still holds isolated is admitted by its putback.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_unpin(struct swaplab_frame *f)
{
	struct swaplab_policy_ctx ctx;

	swaplab_policy_ctx(&ctx);
	mutex_lock(&swaplab_policy_mutex);
	clear_bit(SWAPLAB_FRAME_PINNED, &f->flags);
	if (!test_bit(SWAPLAB_FRAME_ISOLATED, &f->flags) &&
	    !test_bit(SWAPLAB_FRAME_ADMITTED, &f->flags) &&
	    !test_bit(SWAPLAB_FRAME_PARKED, &f->flags))
		__swaplab_policy_admit(f, &ctx);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_take() - take a frame away for good unless reclaim has it
 * @f: the frame; its page is locked by the caller
 *
 * Context: process context; takes the policy mutex.
 * Return: true if the caller may free the frame; false if reclaim holds it
 * isolated (and will find its page changed).
 */
bool swaplab_policy_take(struct swaplab_frame *f)
{
	bool ok;

	mutex_lock(&swaplab_policy_mutex);
	ok = !test_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
	if (ok)
		__swaplab_policy_forget(f);
	mutex_unlock(&swaplab_policy_mutex);
	return ok;
}

static bool swaplab_policy_wants_tick(void)
{
	return READ_ONCE(swaplab_policy_flags) & SWAPLAB_POLICY_TICK;
}

/* jiffies of the last tick; READ_ONCE()/WRITE_ONCE(), set under the mutex */
static unsigned long swaplab_last_tick;

/*
 * Is a tick due? When an interval has passed, or when an eighth of the
 * budget has been faulted in since the last one: counters go stale with
 * the paging done, not with wall time (the simulator ticks every frames
 * references), and a slow machine, or qemu's TCG, pages far fewer pages a
 * millisecond. Without the second rule a working set that moves keeps
 * its old pages' counters high for whole intervals.
 */
static bool swaplab_policy_tick_is_due(void)
{
	unsigned long interval =
		msecs_to_jiffies(READ_ONCE(swaplab_aging_interval_ms));

	return !time_before(jiffies, READ_ONCE(swaplab_last_tick) + interval) ||
	       READ_ONCE(swaplab_admitted_since_tick) >=
	       max(swaplab_frames_budget() / 8, (unsigned long)SWAPLAB_IO_MAX);
}

/* Age now if a tick is due; the caller just harvested. */
static void swaplab_policy_tick_due(void)
{
	struct swaplab_policy_ctx ctx;

	if (!swaplab_policy_tick_is_due())
		return;
	swaplab_policy_ctx(&ctx);
	mutex_lock(&swaplab_policy_mutex);
	if (swaplab_policy_cur->tick && swaplab_policy_tick_is_due()) {
		swaplab_policy_cur->tick(swaplab_policy_state, &ctx);
		WRITE_ONCE(swaplab_last_tick, jiffies);
		WRITE_ONCE(swaplab_admitted_since_tick, 0);
		swaplab_count_event(SWAPLAB_AGING_TICKS);
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_reclaim_prepare() - harvest and age before choosing victims
 *
 * Reclaim calls this before each batch. The reference bits are harvested
 * for a policy that reads them in victim(); for one that reads them only
 * in tick() (%SWAPLAB_POLICY_REFS_AT_TICK), only when a tick is due; for
 * one that never reads them (%SWAPLAB_POLICY_NO_REFS), never: each
 * harvest walks every PTE of every region and flushes every CPU's TLB.
 * Under heavy paging the aging work item can be starved of CPU for many
 * intervals, and victims chosen from stale counters would be no better
 * than FIFO's; so whoever reclaims also ages the counters when a tick is
 * due.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_reclaim_prepare(void)
{
	unsigned int flags = READ_ONCE(swaplab_policy_flags);
	bool tick = swaplab_policy_wants_tick() && swaplab_policy_tick_is_due();

	if (!(flags & (SWAPLAB_POLICY_REFS_AT_TICK | SWAPLAB_POLICY_NO_REFS)) ||
	    (tick && !(flags & SWAPLAB_POLICY_NO_REFS)))
		swaplab_harvest_referenced();
	if (tick)
		swaplab_policy_tick_due();
}

/* The aging clock while nothing reclaims: harvest, then age. */
static void swaplab_aging_fn(struct work_struct *work)
{
	if (!swaplab_policy_wants_tick())
		return;
	if (swaplab_frames_used()) {
		swaplab_harvest_referenced();
		swaplab_policy_tick_due();
	}
	schedule_delayed_work(&swaplab_aging_work,
			      msecs_to_jiffies(READ_ONCE(swaplab_aging_interval_ms)));
}

/**
 * swaplab_policy_set() - make a registered policy current, live
 * @name: the policy's name (a trailing newline is ignored)
 *
 * Every admitted frame is handed to the new policy in admission order.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, -EINVAL for an unknown name (nothing changes), -ENOMEM.
 */
int swaplab_policy_set(const char *name)
{
	struct swaplab_policy_ops *ops, *old;
	struct swaplab_policy_ctx ctx;
	struct swaplab_frame *f;
	void *state, *old_state;
	int err;

	rcu_read_lock();
	ops = swaplab_policy_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return -EINVAL;

	state = kvzalloc(ops->state_size ?: 1, GFP_KERNEL);
	if (!state) {
		err = -ENOMEM;
		goto put_module;
	}
	if (ops->init) {
		err = ops->init(state);
		if (err)
			goto free_state;
	}

	swaplab_policy_ctx(&ctx);
	mutex_lock(&swaplab_policy_mutex);
	old = swaplab_policy_cur;
	old_state = swaplab_policy_state;
	WRITE_ONCE(swaplab_policy_cur, ops);
	WRITE_ONCE(swaplab_policy_flags, ops->flags);
	WRITE_ONCE(swaplab_last_tick, jiffies);
	swaplab_policy_state = state;
	list_for_each_entry(f, &swaplab_policy_frames, all) {
		INIT_LIST_HEAD(&f->lru);
		f->pdata[0] = 0;
		f->pdata[1] = 0;
		ops->admit(state, f, &ctx);
	}
	mutex_unlock(&swaplab_policy_mutex);

	if (old) {
		if (old->release)
			old->release(old_state);
		kvfree(old_state);
		module_put(old->owner);
	}
	if (ops->flags & SWAPLAB_POLICY_TICK)
		mod_delayed_work(system_wq, &swaplab_aging_work, 0);
	return 0;

free_state:
	kvfree(state);
put_module:
	module_put(ops->owner);
	return err;
}

/**
 * swaplab_policy_show_current() - print the current policy's name
 * @buf: a sysfs buffer
 *
 * Return: bytes written.
 */
ssize_t swaplab_policy_show_current(char *buf)
{
	ssize_t len;

	mutex_lock(&swaplab_policy_mutex);
	len = sysfs_emit(buf, "%s\n", swaplab_policy_cur->name);
	mutex_unlock(&swaplab_policy_mutex);
	return len;
}

/**
 * swaplab_policy_name() - copy the current policy's name
 * @name: a buffer of %SWAPLAB_POLICY_NAME_MAX bytes
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_policy_name(char *name)
{
	mutex_lock(&swaplab_policy_mutex);
	strscpy(name, swaplab_policy_cur->name, SWAPLAB_POLICY_NAME_MAX);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_policy_show_available() - print every registered policy's name
 * @buf: a sysfs buffer
 *
 * Return: bytes written: the names separated by spaces, then a newline.
 */
ssize_t swaplab_policy_show_available(char *buf)
{
	struct swaplab_policy_ops *ops;
	ssize_t len = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(ops, &swaplab_policy_list, list)
		len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
				     ops->name);
	rcu_read_unlock();
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/**
 * swaplab_policy_tunable() - read a policy tunable
 * @which: %SWAPLAB_AGING_BITS, %SWAPLAB_AGING_INTERVAL_MS or
 *	%SWAPLAB_WSCLOCK_TAU_MS
 *
 * Return: its value.
 */
unsigned int swaplab_policy_tunable(enum swaplab_policy_tunable which)
{
	switch (which) {
	case SWAPLAB_AGING_BITS:
		return READ_ONCE(swaplab_aging_bits);
	case SWAPLAB_AGING_INTERVAL_MS:
		return READ_ONCE(swaplab_aging_interval_ms);
	case SWAPLAB_WSCLOCK_TAU_MS:
		return READ_ONCE(swaplab_wsclock_tau_ms);
	}
	return 0;
}

/**
 * swaplab_policy_set_tunable() - change a policy tunable
 * @which: which one
 * @val: aging_bits 1 to 8, aging_interval_ms 10 to 60000, wsclock_tau_ms
 *	1 to 3600000
 *
 * Context: any.
 * Return: 0, or -EINVAL if @val is out of range (nothing changes).
 */
int swaplab_policy_set_tunable(enum swaplab_policy_tunable which,
			       unsigned int val)
{
	switch (which) {
	case SWAPLAB_AGING_BITS:
		if (val < 1 || val > 8)
			return -EINVAL;
		WRITE_ONCE(swaplab_aging_bits, val);
		return 0;
	case SWAPLAB_AGING_INTERVAL_MS:
		if (val < 10 || val > 60000)
			return -EINVAL;
		WRITE_ONCE(swaplab_aging_interval_ms, val);
		if (swaplab_policy_wants_tick())
			mod_delayed_work(system_wq, &swaplab_aging_work, 0);
		return 0;
	case SWAPLAB_WSCLOCK_TAU_MS:
		if (val < 1 || val > 3600000)
			return -EINVAL;
		WRITE_ONCE(swaplab_wsclock_tau_ms, val);
		return 0;
	}
	return -EINVAL;
}

/**
 * swaplab_policy_init() - register the built-in policies, select aging
 * @builtin: the built-in policies (main.c lists them: the registry calls
 *	into no policy file by name)
 * @nr: how many; one of them is aging
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_policy_init(struct swaplab_policy_ops **builtin, int nr)
{
	int i, err;

	for (i = 0; i < nr; i++) {
		err = swaplab_policy_register(builtin[i]);
		if (err)
			goto unregister;
	}
	err = swaplab_policy_set("aging");
	if (err)
		goto unregister;
	return 0;

unregister:
	while (--i >= 0)
		swaplab_policy_unregister(builtin[i]);
	return err;
}

/**
 * swaplab_policy_exit() - drop the current policy and the built-in ones
 * @builtin: the built-in policies, as given to swaplab_policy_init()
 * @nr: how many
 *
 * Context: module exit; no frame is left.
 */
void swaplab_policy_exit(struct swaplab_policy_ops **builtin, int nr)
{
	int i;

	cancel_delayed_work_sync(&swaplab_aging_work);
	WARN_ON_ONCE(!list_empty(&swaplab_policy_frames));
	WARN_ON_ONCE(!list_empty(&swaplab_policy_parked));
	if (swaplab_policy_cur->release)
		swaplab_policy_cur->release(swaplab_policy_state);
	kvfree(swaplab_policy_state);
	module_put(swaplab_policy_cur->owner);
	swaplab_policy_cur = NULL;
	for (i = nr - 1; i >= 0; i--)
		swaplab_policy_unregister(builtin[i]);
}
