// SPDX-License-Identifier: GPL-2.0
/*
 * swaplabd, the page daemon.
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
 * Under allocation=local it also wakes when a decision leaves a process
 * holding more frames than its allocation (the pff allocator taking
 * frames back, a process joining under equal), and evicts the surplus,
 * from the process furthest over first, whatever the free frames.
 *
 * This file is only the thread. The watermarks, the daemon switch and the
 * faults that wait for a frame are frames.c's, which wakes the daemon
 * through the struct swaplab_reclaimer registered here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/wait.h>

#include "policy/core.h"
#include "mm/daemon.h"
#include "alloc/frames.h"
#include "mm/reclaim.h"
#include "alloc/share.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "lib/trace.h"

static struct task_struct *swaplab_daemon_task;
/* The daemon sleeps here; wakers check wq_has_sleeper() first. */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_daemon_wait);

/*
 * Set while the daemon waits to retry after giving up; a single word,
 * READ_ONCE()/WRITE_ONCE().
 */
static bool swaplab_daemon_stalled;

static bool swaplab_daemon_work(void)
{
	return swaplab_frames_daemon_enabled() &&
	       !READ_ONCE(swaplab_daemon_stalled) &&
	       (swaplab_frames_below_low() || swaplab_share_trim_wanted()) &&
	       swaplab_frames_used();
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

/*
 * Evict until balanced; false if it had to give up. Each pass asks for
 * what is missing to the high watermark (at least a batch), so that its
 * dirty pages go out in one write of up to %SWAPLAB_IO_MAX pages.
 */
static bool swaplab_daemon_balance(void)
{
	unsigned int failures = 0, want;
	unsigned long free, high, over;
	bool busy;

	while (!kthread_should_stop() && !swaplab_frames_balanced()) {
		cond_resched();
		free = swaplab_frames_free();
		high = swaplab_frames_watermark_working(true);
		want = clamp_t(unsigned long, high > free ? high - free : 0,
			       SWAPLAB_RECLAIM_BATCH, SWAPLAB_IO_MAX);
		if (swaplab_reclaim(want, &busy)) {
			failures = 0;
			continue;
		}
		if (!busy && ++failures >= SWAPLAB_MAX_RECLAIM_RETRIES)
			return false;
		/* Pages busy or under I/O: give them a moment. */
		msleep_interruptible(10);
	}
	/* Processes over their allocations under local: theirs go first. */
	failures = 0;
	while (!kthread_should_stop() && (over = swaplab_core_over_total())) {
		cond_resched();
		if (swaplab_reclaim(min_t(unsigned long, over, SWAPLAB_IO_MAX),
				    &busy)) {
			failures = 0;
			continue;
		}
		if (!busy && ++failures >= SWAPLAB_MAX_RECLAIM_RETRIES)
			break;
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
					  swaplab_frames_watermark_working(false),
					  swaplab_frames_watermark_working(true));
		if (!swaplab_daemon_balance()) {
			pr_warn_ratelimited("cannot free a frame: %lu resident, %lu slots of %lu used; waiting faults fail\n",
					    swaplab_frames_used(),
					    swaplab_swap_slots_in_use(),
					    swaplab_swap_slots_total());
			WRITE_ONCE(swaplab_daemon_stalled, true);
			swaplab_frames_reclaim_failed();
		}
		trace_swaplab_daemon_sleep(swaplab_frames_free(),
					   swaplab_frames_watermark_working(false),
					   swaplab_frames_watermark_working(true));
	}
	return 0;
}

/* How frames.c, below us, wakes the daemon and reclaims for a fault. */
static const struct swaplab_reclaimer swaplab_daemon_reclaimer = {
	.wake		= swaplab_daemon_wake,
	.reclaim	= swaplab_reclaim,
};

/**
 * swaplab_daemon_init() - start swaplabd
 *
 * Registers the daemon and swaplab_reclaim() with the frame budget, then
 * starts the thread.
 *
 * Context: module init, last step before the device appears.
 * Return: 0 or the error from kthread_run().
 */
int swaplab_daemon_init(void)
{
	swaplab_frames_set_reclaimer(&swaplab_daemon_reclaimer);
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
