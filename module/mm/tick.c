// SPDX-License-Identifier: GPL-2.0
/*
 * The aging clock: when a policy that wants tick() (aging) gets one, and
 * when, under allocation=local, the ws and pff allocators decide (the
 * working-set estimate moves on at every tick). Load control, when it
 * deactivates a process or lets one back, asks for a tick at once.
 *
 * A tick is due every aging_interval_ms, or as soon as an eighth of the
 * budget has been faulted in since the last one. An interval of 0 takes
 * time out of it: ticks come only with the paging done (and when load
 * control asks), as in the simulator, on a machine of any speed. Whoever reclaims checks,
 * right after its harvest, whether a tick is due and if so ages
 * (swaplab_tick(), from reclaim.c); a delayed work item does the same
 * (harvest, then tick) while nothing reclaims. The call into the policy,
 * and the clock's state under the policy mutex, are core.c's; this file
 * holds the interval, the due rule and the work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/workqueue.h>

#include "policy/core.h"
#include "alloc/frames.h"
#include "mm/harvest.h"
#include "api/policy.h"
#include "alloc/share.h"
#include "mm/tick.h"

/* The aging interval: a single word, READ_ONCE()/WRITE_ONCE(). */
static unsigned int swaplab_aging_interval_ms = 100;
/* A tick asked for now, due or not (swaplab_tick_now()). */
static atomic_t swaplab_tick_asked = ATOMIC_INIT(0);

static void swaplab_aging_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(swaplab_aging_work, swaplab_aging_fn);

/* The policy ages, or the allocator decides from the estimates. */
static bool swaplab_tick_wanted(void)
{
	return (swaplab_core_policy_flags() & SWAPLAB_POLICY_TICK) ||
	       swaplab_share_decides();
}

/*
 * Is a tick due? When an interval has passed, or when an eighth of the
 * budget has been faulted in since the last one: counters go stale with
 * the paging done, not with wall time (the simulator ticks every frames
 * references), and a slow machine, or qemu's TCG, pages far fewer pages a
 * millisecond. Without the second rule a working set that moves keeps
 * its old pages' counters high for whole intervals. Or when load control
 * asked for one (swaplab_tick_now()).
 */
static bool swaplab_tick_is_due(void)
{
	unsigned int ms = READ_ONCE(swaplab_aging_interval_ms);

	return atomic_read(&swaplab_tick_asked) ||
	       (ms && !time_before(jiffies, swaplab_core_last_tick() +
					    msecs_to_jiffies(ms))) ||
	       swaplab_core_admitted() >=
	       max(swaplab_frames_budget() / 8, (unsigned long)SWAPLAB_RECLAIM_BATCH);
}

/*
 * The same, under the policy mutex, for the tick itself: takes the ask
 * (the tick about to run answers it), so that the next caller sees only
 * the rules of the interval, which the tick starts over.
 */
static bool swaplab_tick_take_due(void)
{
	bool asked = atomic_xchg(&swaplab_tick_asked, 0);

	return swaplab_tick_is_due() || asked;
}

/**
 * swaplab_tick_due() - does the policy or allocator want a tick, and is one due?
 *
 * Context: any; lock-free.
 * Return: true if reclaim should age (after harvesting) before it asks
 * for victims.
 */
bool swaplab_tick_due(void)
{
	return swaplab_tick_wanted() && swaplab_tick_is_due();
}

/**
 * swaplab_tick() - age now if a tick is due; the caller just harvested
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_tick(void)
{
	if (!swaplab_tick_is_due())
		return;
	swaplab_core_tick(swaplab_tick_take_due);
	/* An allocation shrank below what its process holds: trim it. */
	if (swaplab_share_trim_wanted())
		swaplab_frames_wake_daemon();
}

/*
 * The aging clock while nothing reclaims: harvest, then age; again after
 * an interval, unless the interval is 0 (no tick by time).
 */
static void swaplab_aging_fn(struct work_struct *work)
{
	unsigned int ms;

	if (!swaplab_tick_wanted())
		return;
	if (swaplab_frames_used()) {
		swaplab_core_drain();
		swaplab_harvest_referenced();
		swaplab_tick();
	}
	ms = READ_ONCE(swaplab_aging_interval_ms);
	if (ms)
		schedule_delayed_work(&swaplab_aging_work,
				      msecs_to_jiffies(ms));
}

/**
 * swaplab_tick_start() - start the aging work now
 *
 * For a policy just selected that wants tick(); the work stops by itself
 * once the current policy does not. Nothing with an interval of 0: then
 * only reclaim ages.
 *
 * Context: any.
 */
void swaplab_tick_start(void)
{
	if (READ_ONCE(swaplab_aging_interval_ms))
		mod_delayed_work(system_wq, &swaplab_aging_work, 0);
}

/**
 * swaplab_tick_now() - have the aging work tick at once, due or not
 *
 * For load control: a process deactivated or let back ends the interval,
 * so that the allocator that decides at ticks gives the frames anew at
 * once rather than at the next tick. Nothing when no tick is wanted.
 *
 * Context: any.
 */
void swaplab_tick_now(void)
{
	if (!swaplab_tick_wanted())
		return;
	atomic_set(&swaplab_tick_asked, 1);
	mod_delayed_work(system_wq, &swaplab_aging_work, 0);
}

/**
 * swaplab_tick_interval_ms() - the aging interval
 *
 * Return: milliseconds between two ticks of the aging clock at most, or
 * 0 if time does not make ticks.
 */
unsigned int swaplab_tick_interval_ms(void)
{
	return READ_ONCE(swaplab_aging_interval_ms);
}

/**
 * swaplab_tick_set_interval_ms() - change the aging interval
 * @ms: 10 to 60000, or 0 for no tick by time
 *
 * Context: any.
 * Return: 0, or -EINVAL if @ms is out of range (nothing changes).
 */
int swaplab_tick_set_interval_ms(unsigned int ms)
{
	if ((ms && ms < 10) || ms > 60000)
		return -EINVAL;
	WRITE_ONCE(swaplab_aging_interval_ms, ms);
	if (ms && swaplab_tick_wanted())
		mod_delayed_work(system_wq, &swaplab_aging_work, 0);
	return 0;
}

/**
 * swaplab_tick_exit() - stop the aging work
 *
 * Context: module exit, before the current policy is dropped.
 */
void swaplab_tick_exit(void)
{
	cancel_delayed_work_sync(&swaplab_aging_work);
}
