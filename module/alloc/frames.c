// SPDX-License-Identifier: GPL-2.0
/*
 * The frame budget: the experiment's "physical memory", its watermarks,
 * and the wait for a free frame.
 *
 * swaplab never holds more than @budget pages in frames at once, whatever
 * the machine's RAM. A frame is taken before a page is allocated for a
 * region and given back when that page is freed.
 *
 * A fault that finds no free frame wakes the page daemon and sleeps until
 * a frame is freed; with the daemon off (daemon=0) the faulting thread
 * reclaims directly instead. The daemon and reclaim sit above this file,
 * which calls neither by name: they register a struct swaplab_reclaimer
 * at init (swaplab_daemon_init()), as the kernel's allocator reaches the
 * shrinkers through the callbacks they register. Until then there is no
 * daemon to wake and no device to fault on.
 *
 * The wait for a frame, and direct reclaim with its writes, are stalls of
 * the faulting task for the pressure file (psi.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "alloc/frames.h"
#include "store/pagebuf.h"
#include "alloc/psi.h"
#include "lib/stat.h"

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

/* Faults waiting for a free frame sleep here. */
static DECLARE_WAIT_QUEUE_HEAD(swaplab_frame_wait);

/*
 * Watermarks in free frames, the daemon switch and the give-up count are
 * single words, READ_ONCE()/WRITE_ONCE(). swaplab_reclaim_failures counts
 * the times the daemon gave up; a fault waiting on it fails when the
 * count moves.
 */
static unsigned long swaplab_wmark_low;
static unsigned long swaplab_wmark_high;
static bool swaplab_daemon_on = true;
static unsigned long swaplab_reclaim_failures;

/*
 * The daemon's and reclaim's callbacks: set once, at init, with
 * WRITE_ONCE(); read with READ_ONCE(). NULL before.
 */
static const struct swaplab_reclaimer *swaplab_reclaimer;

/**
 * swaplab_frames_set_reclaimer() - say who gives frames back
 * @r: the callbacks; they must stay valid until the module is unloaded
 *
 * Context: module init, before the device exists.
 */
void swaplab_frames_set_reclaimer(const struct swaplab_reclaimer *r)
{
	WRITE_ONCE(swaplab_reclaimer, r);
}

/**
 * swaplab_frames_wake_daemon() - wake the page daemon, if it has work
 *
 * Through its callback; nothing before there is one.
 *
 * Context: any.
 */
void swaplab_frames_wake_daemon(void)
{
	const struct swaplab_reclaimer *r = READ_ONCE(swaplab_reclaimer);

	if (r)
		r->wake();
}

/**
 * swaplab_watermarks_default() - derive the watermarks from a budget
 * @frames: the budget in pages
 *
 * low is 1/64 of the budget and high 1/32, like the gap between kswapd's
 * watermarks; at least 2 and 4 frames.
 */
static void swaplab_watermarks_default(unsigned long frames)
{
	unsigned long low = max(frames / 64, 2UL);
	unsigned long high = max(frames / 32, 2 * low);

	WRITE_ONCE(swaplab_wmark_low, low);
	WRITE_ONCE(swaplab_wmark_high, high);
}

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
 * swaplab_frames_get() - take one frame from the budget
 *
 * Page buffering's pool (pagebuf.c) is trimmed to the frames left free.
 *
 * Context: any process context; lock-free unless the pool must shrink.
 * Return: true if a frame was taken, false if the budget is used up.
 */
bool swaplab_frames_get(void)
{
	long used = atomic_long_read(&swaplab_frames_in_use);
	long budget;

	do {
		budget = READ_ONCE(swaplab_budget);
		if (used >= budget)
			return false;
	} while (!atomic_long_try_cmpxchg(&swaplab_frames_in_use, &used,
					  used + 1));
	/* The frame may be one an evicted page waits in: drop the oldest. */
	swaplab_pagebuf_trim(budget - used - 1);
	return true;
}

/**
 * swaplab_frames_put() - give one frame back to the budget
 *
 * Context: any; lock-free.
 */
void swaplab_frames_put(void)
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
	swaplab_pagebuf_trim(swaplab_frames_free());
	swaplab_frames_wake_daemon();
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
	swaplab_frames_wake_daemon();
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
 * swaplab_frames_watermark() - read a watermark
 * @high: true for the high watermark
 *
 * Return: free frames, in pages.
 */
unsigned long swaplab_frames_watermark(bool high)
{
	return high ? READ_ONCE(swaplab_wmark_high) : READ_ONCE(swaplab_wmark_low);
}

/**
 * swaplab_frames_set_watermarks() - set both watermarks
 * @low: the daemon wakes when free frames fall below it; at least 1
 * @high: it evicts until free frames reach it; above @low, at most the
 *	budget
 *
 * Return: 0 or -EINVAL (nothing changes).
 */
int swaplab_frames_set_watermarks(unsigned long low, unsigned long high)
{
	if (!low || low >= high || high > swaplab_frames_budget())
		return -EINVAL;
	WRITE_ONCE(swaplab_wmark_low, low);
	WRITE_ONCE(swaplab_wmark_high, high);
	swaplab_frames_wake_daemon();
	return 0;
}

/**
 * swaplab_frames_daemon_enabled() - is the daemon the one that reclaims?
 *
 * Return: true if faults wait for swaplabd, false if they reclaim.
 */
bool swaplab_frames_daemon_enabled(void)
{
	return READ_ONCE(swaplab_daemon_on);
}

/**
 * swaplab_frames_daemon_enable() - choose who reclaims
 * @on: true for swaplabd, false for the faulting thread
 */
void swaplab_frames_daemon_enable(bool on)
{
	WRITE_ONCE(swaplab_daemon_on, on);
	swaplab_frames_wake_daemon();
	/* Waiters re-evaluate: with the daemon off they reclaim themselves. */
	swaplab_frames_wake();
}

/**
 * swaplab_frames_watermark_working() - the watermark the daemon works to
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
unsigned long swaplab_frames_watermark_working(bool high)
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

/**
 * swaplab_frames_below_low() - are free frames below the low watermark?
 *
 * Context: any; lock-free.
 * Return: true if the daemon has work: free frames are below the working
 * low watermark.
 */
bool swaplab_frames_below_low(void)
{
	return swaplab_frames_free() < swaplab_frames_watermark_working(false);
}

/**
 * swaplab_frames_balanced() - have free frames reached the high watermark?
 *
 * Context: any; lock-free.
 * Return: true if the daemon may stop: free frames are at or above the
 * working high watermark.
 */
bool swaplab_frames_balanced(void)
{
	return swaplab_frames_free() >= swaplab_frames_watermark_working(true);
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

/**
 * swaplab_frames_reclaim_failed() - fail the faults waiting for the daemon
 *
 * The daemon gave up: it cannot free a frame for now. Every fault that
 * sleeps waiting for it returns -ENOSPC.
 *
 * Context: the daemon's thread, the only writer of the count.
 */
void swaplab_frames_reclaim_failed(void)
{
	WRITE_ONCE(swaplab_reclaim_failures, swaplab_reclaim_failures + 1);
	swaplab_frames_wake();
}

/* The faulting thread reclaims for itself (daemon=0). */
static int swaplab_direct_reclaim(void)
{
	const struct swaplab_reclaimer *r = READ_ONCE(swaplab_reclaimer);
	unsigned int failures = 0;
	bool busy;

	/* Registered before the device exists: no fault comes sooner. */
	if (WARN_ON_ONCE(!r))
		return -ENOSPC;
	while (failures < SWAPLAB_MAX_RECLAIM_RETRIES) {
		swaplab_count_event(SWAPLAB_DIRECT_RECLAIMS);
		if (r->reclaim(SWAPLAB_RECLAIM_BATCH, &busy)) {
			failures = 0;
		} else {
			if (!busy)
				failures++;
			msleep_interruptible(10);
		}
		if (swaplab_frames_get())
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return -ENOSPC;
}

/**
 * swaplab_frames_reserve() - take a frame for a fault, waiting if need be
 * @psi: the faulting task's group, which the wait or the reclaim stalls
 *
 * Step 4 of the fault sequence: take a free frame; if there is none, wake
 * the page daemon and sleep until it frees one (or reclaim directly when
 * the daemon is off).
 *
 * Context: process context, sleeps. No page lock held.
 * Return: 0 with a frame taken, -ENOSPC when none can be freed, -EINTR on
 * a fatal signal.
 */
int swaplab_frames_reserve(struct swaplab_psi_group *psi)
{
	struct swaplab_psi_stall stall = { };
	unsigned long failures;
	bool got = false;
	int err;

	if (swaplab_frames_get()) {
		if (swaplab_frames_below_low())
			swaplab_frames_wake_daemon();
		return 0;
	}

	swaplab_count_event(SWAPLAB_ALLOC_STALLS);
	for (;;) {
		if (!swaplab_frames_daemon_enabled()) {
			swaplab_psi_stall_begin(&stall, psi);
			err = swaplab_direct_reclaim();
			swaplab_psi_stall_end(&stall);
			return err;
		}

		failures = READ_ONCE(swaplab_reclaim_failures);
		swaplab_frames_wake_daemon();
		swaplab_psi_stall_begin(&stall, psi);
		err = wait_event_killable(swaplab_frame_wait,
					  (got = swaplab_frames_get()) ||
					  READ_ONCE(swaplab_reclaim_failures) != failures ||
					  !swaplab_frames_daemon_enabled());
		swaplab_psi_stall_end(&stall);
		if (got)
			return 0;
		if (err)
			return -EINTR;
		if (READ_ONCE(swaplab_reclaim_failures) != failures)
			return -ENOSPC;
	}
}
