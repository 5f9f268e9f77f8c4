// SPDX-License-Identifier: GPL-2.0
/*
 * swaplabd, the page daemon, and the wait for a free frame.
 *
 * Modelled on kswapd: the daemon sleeps until free frames fall below the
 * low watermark, then evicts in batches until they reach the high
 * watermark, and sleeps again (the hysteresis of pgdat_balanced() and
 * prepare_kswapd_sleep()). After SWAPLAB_MAX_RECLAIM_RETRIES passes in a
 * row that free nothing (every page pinned, no swap space, I/O failing)
 * it gives up, says so, fails the faults waiting on it, and retries only
 * after a pause or a kick (kswapd_failures against MAX_RECLAIM_RETRIES).
 * A pass held up only for the moment (victims locked by faults or I/O in
 * flight, or isolated by another thread's pass) is not a failure: it
 * waits a little and tries again.
 *
 * A fault that finds no free frame wakes the daemon and sleeps until a
 * frame is freed; with the daemon off (daemon=0) the faulting thread
 * reclaims directly instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "swaplab.h"
#include "trace.h"

#define SWAPLAB_MAX_RECLAIM_RETRIES	16

static struct task_struct *swaplab_daemon_task;
/* The daemon sleeps here; wakers check wq_has_sleeper() first. */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_daemon_wait);
/* Faults waiting for a free frame sleep here. */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_frame_wait);

/*
 * Watermarks in free frames, the daemon switch and the give-up state are
 * single words, READ_ONCE()/WRITE_ONCE(). swaplab_reclaim_failures counts
 * the times the daemon gave up; a fault waiting on it fails when the
 * count moves. swaplab_daemon_stalled is set while it waits to retry.
 */
static unsigned long swaplab_wmark_low;
static unsigned long swaplab_wmark_high;
static bool swaplab_daemon_on = true;
static unsigned long swaplab_reclaim_failures;
static bool swaplab_daemon_stalled;

/**
 * swaplab_watermarks_default() - derive the watermarks from a budget
 * @frames: the budget in pages
 *
 * low is 1/64 of the budget and high 1/32, like the gap between kswapd's
 * watermarks; at least 2 and 4 frames.
 */
void swaplab_watermarks_default(unsigned long frames)
{
	unsigned long low = max(frames / 64, 2UL);
	unsigned long high = max(frames / 32, 2 * low);

	WRITE_ONCE(swaplab_wmark_low, low);
	WRITE_ONCE(swaplab_wmark_high, high);
}

/**
 * swaplab_watermark() - read a watermark
 * @high: true for the high watermark
 *
 * Return: free frames, in pages.
 */
unsigned long swaplab_watermark(bool high)
{
	return high ? READ_ONCE(swaplab_wmark_high) : READ_ONCE(swaplab_wmark_low);
}

/**
 * swaplab_watermarks_set() - set both watermarks
 * @low: the daemon wakes when free frames fall below it; at least 1
 * @high: it evicts until free frames reach it; above @low, at most the
 *	budget
 *
 * Return: 0 or -EINVAL (nothing changes).
 */
int swaplab_watermarks_set(unsigned long low, unsigned long high)
{
	if (!low || low >= high || high > swaplab_frames_budget())
		return -EINVAL;
	WRITE_ONCE(swaplab_wmark_low, low);
	WRITE_ONCE(swaplab_wmark_high, high);
	swaplab_daemon_wake();
	return 0;
}

/**
 * swaplab_daemon_enabled() - is the daemon the one that reclaims?
 *
 * Return: true if faults wait for swaplabd, false if they reclaim.
 */
bool swaplab_daemon_enabled(void)
{
	return READ_ONCE(swaplab_daemon_on);
}

/**
 * swaplab_daemon_enable() - choose who reclaims
 * @on: true for swaplabd, false for the faulting thread
 */
void swaplab_daemon_enable(bool on)
{
	WRITE_ONCE(swaplab_daemon_on, on);
	swaplab_daemon_wake();
	/* Waiters re-evaluate: with the daemon off they reclaim themselves. */
	swaplab_frames_wake();
}

/**
 * swaplab_watermark_working() - the watermark the daemon works to
 * @high: true for the high watermark
 *
 * Pinned frames can never be freed. With fewer unpinned frames than twice
 * the high watermark, aiming for it would evict every page that comes in
 * (and, with fewer unpinned frames than the watermark itself, never
 * balance at all). So the working high watermark is at most half the
 * unpinned frames, and the low one at most half the working high one;
 * at least 2 and 1. Without pins they are the watermarks as set.
 *
 * Context: any; lock-free (single words, read once each).
 * Return: free frames, in pages.
 */
unsigned long swaplab_watermark_working(bool high)
{
	unsigned long budget = swaplab_frames_budget();
	unsigned long pinned = swaplab_frames_pinned();
	unsigned long low = READ_ONCE(swaplab_wmark_low);
	unsigned long hi = READ_ONCE(swaplab_wmark_high);
	unsigned long avail = budget > pinned ? budget - pinned : 0;

	if (pinned && hi > avail / 2) {
		hi = max(avail / 2, 2UL);
		low = clamp(low, 1UL, hi / 2);
	}
	return high ? hi : low;
}

static bool swaplab_daemon_below_low(void)
{
	return swaplab_frames_free() < swaplab_watermark_working(false);
}

static bool swaplab_daemon_balanced(void)
{
	return swaplab_frames_free() >= swaplab_watermark_working(true);
}

static bool swaplab_daemon_work(void)
{
	return READ_ONCE(swaplab_daemon_on) &&
	       !READ_ONCE(swaplab_daemon_stalled) &&
	       swaplab_daemon_below_low() && swaplab_frames_used();
}

/**
 * swaplab_daemon_wake() - wake swaplabd if free frames are below low
 *
 * Also ends a stall: something changed (a frame, a watermark, the store).
 *
 * Context: any process context.
 */
void swaplab_daemon_wake(void)
{
	WRITE_ONCE(swaplab_daemon_stalled, false);
	if (!swaplab_daemon_work())
		return;
	/*
	 * wq_has_sleeper() has the barrier that pairs with the one in the
	 * daemon's prepare_to_wait(): either it sees the sleeper, or the
	 * daemon sees our state when it re-checks swaplab_daemon_work().
	 */
	if (!wq_has_sleeper(&swaplab_daemon_wait))
		return;
	wake_up_interruptible(&swaplab_daemon_wait);
}

/**
 * swaplab_frames_wake() - a frame was freed: wake faults waiting for one
 *
 * Context: any.
 */
void swaplab_frames_wake(void)
{
	/* Pairs with the barrier in the waiter's prepare_to_wait_event(). */
	if (wq_has_sleeper(&swaplab_frame_wait))
		wake_up_all(&swaplab_frame_wait);
}

/* Evict until balanced; false if it had to give up. */
static bool swaplab_daemon_balance(void)
{
	unsigned int failures = 0;
	bool busy;

	while (!kthread_should_stop() && !swaplab_daemon_balanced()) {
		cond_resched();
		if (swaplab_reclaim(SWAPLAB_IO_MAX, &busy)) {
			failures = 0;
			continue;
		}
		if (!busy && ++failures >= SWAPLAB_MAX_RECLAIM_RETRIES)
			return false;
		/* Pages busy or under I/O: give them a moment. */
		msleep_interruptible(10);
	}
	return true;
}

static int swaplab_daemon(void *unused)
{
	set_freezable();

	while (!kthread_should_stop()) {
		if (READ_ONCE(swaplab_daemon_stalled))
			wait_event_freezable_timeout(swaplab_daemon_wait,
						     !READ_ONCE(swaplab_daemon_stalled) ||
						     kthread_should_stop(), HZ);
		WRITE_ONCE(swaplab_daemon_stalled, false);
		wait_event_freezable(swaplab_daemon_wait,
				     swaplab_daemon_work() ||
				     kthread_should_stop());
		if (kthread_should_stop())
			break;

		swaplab_count_event(SWAPLAB_DAEMON_WAKEUPS);
		trace_swaplab_daemon_wake(swaplab_frames_free(),
					  swaplab_watermark_working(false),
					  swaplab_watermark_working(true));
		if (!swaplab_daemon_balance()) {
			pr_warn_ratelimited("cannot free a frame: %lu resident, %lu slots of %lu used; waiting faults fail\n",
					    swaplab_frames_used(),
					    swaplab_slots_in_use(),
					    swaplab_slots_total());
			WRITE_ONCE(swaplab_daemon_stalled, true);
			WRITE_ONCE(swaplab_reclaim_failures,
				   swaplab_reclaim_failures + 1);
			swaplab_frames_wake();
		}
		trace_swaplab_daemon_sleep(swaplab_frames_free(),
					   swaplab_watermark_working(false),
					   swaplab_watermark_working(true));
	}
	return 0;
}

/* The faulting thread reclaims for itself (daemon=0). */
static int swaplab_direct_reclaim(void)
{
	unsigned int failures = 0;
	bool busy;

	while (failures < SWAPLAB_MAX_RECLAIM_RETRIES) {
		swaplab_count_event(SWAPLAB_DIRECT_RECLAIMS);
		if (swaplab_reclaim(SWAPLAB_IO_MAX, &busy)) {
			failures = 0;
		} else {
			if (!busy)
				failures++;
			msleep_interruptible(10);
		}
		if (swaplab_frame_get())
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return -ENOSPC;
}

/**
 * swaplab_frame_reserve() - take a frame for a fault, waiting if need be
 *
 * Step 4 of the fault sequence: take a free frame; if there is none, wake
 * the page daemon and sleep until it frees one (or reclaim directly when
 * the daemon is off).
 *
 * Context: process context, sleeps. No page lock held.
 * Return: 0 with a frame taken, -ENOSPC when none can be freed, -EINTR on
 * a fatal signal.
 */
int swaplab_frame_reserve(void)
{
	unsigned long failures;
	bool got = false;
	int err;

	if (swaplab_frame_get()) {
		if (swaplab_daemon_below_low())
			swaplab_daemon_wake();
		return 0;
	}

	swaplab_count_event(SWAPLAB_ALLOC_STALLS);
	for (;;) {
		if (!swaplab_daemon_enabled())
			return swaplab_direct_reclaim();

		failures = READ_ONCE(swaplab_reclaim_failures);
		swaplab_daemon_wake();
		err = wait_event_killable(swaplab_frame_wait,
					  (got = swaplab_frame_get()) ||
					  READ_ONCE(swaplab_reclaim_failures) != failures ||
					  !swaplab_daemon_enabled());
		if (got)
			return 0;
		if (err)
			return -EINTR;
		if (READ_ONCE(swaplab_reclaim_failures) != failures)
			return -ENOSPC;
	}
}

/**
 * swaplab_daemon_init() - start swaplabd
 *
 * Context: module init, last step before the device appears.
 * Return: 0 or the error from kthread_run().
 */
int swaplab_daemon_init(void)
{
	swaplab_daemon_task = kthread_run(swaplab_daemon, NULL, "swaplabd");
	return PTR_ERR_OR_ZERO(swaplab_daemon_task);
}

/**
 * swaplab_daemon_exit() - stop swaplabd
 *
 * Context: module exit, first step.
 */
void swaplab_daemon_exit(void)
{
	kthread_stop(swaplab_daemon_task);
}
