// SPDX-License-Identifier: GPL-2.0
/*
 * Load control: when the processes' working sets no longer fit, the
 * textbook deactivates (swaps out) a process, so that the others get its
 * frames and make progress, and lets it back when room returns.
 *
 * With load_control=1 a work item looks for thrashing by two measures:
 * the allocator's own, from its decisions (ws: the active processes'
 * working sets add up to more than there is and one faults above
 * pff_upper; pff: every one is above the upper threshold with no frame
 * left to give), and the share of each period of 100 ms that swaplab's
 * pressure file counts as full (psi.c: every active process with a task
 * waiting for swaplab's frames or I/O), at or above load_control_psi
 * percent (0: not this measure). It runs every 10 ms: it acts on each
 * new decision of the allocator (a tick, a process come or gone), so
 * that it deactivates at the tick that finds the working sets
 * overcommitted and lets a process back as soon as the others leave room,
 * and on the pressure at the end of each period. With two processes or
 * more active, it deactivates one: of those not activated in the last
 * half of load_control_max_ms (so that a process reactivated has time to
 * work), the one with the lowest weight, and of those the one holding the
 * most frames. When neither measure finds thrashing, the share of the
 * last period in which an active process had a task waiting (some, less
 * the deactivated processes' own waits) is below half of
 * load_control_psi, and, under ws, the working set of the one deactivated
 * longest ago and an eighth more fit in what the others' leave (or none
 * is active), room has returned: it reactivates that one. Under ws,
 * where the room is known, it goes on deactivating while the working
 * sets left active overrun, and reactivating while the next fits;
 * otherwise it moves one process at a time (loadctl_rule.h,
 * swaplab_lc_again()). Each deactivation and
 * reactivation asks the aging clock for a tick at once (tick.c), so that
 * the ws and pff allocators give the frames anew (the others get the
 * frames of the one deactivated, and the one let back its share), and
 * the next action waits for that decision. A deactivated process is
 * reactivated at the latest load_control_max_ms after its deactivation,
 * by this work or by its own waiting fault, whichever comes first: no
 * process waits longer, even when the work is late.
 *
 * While frames are free nothing reclaims, and reclaim is where a tick due
 * by the pages faulted in (an eighth of the budget) is taken; the work
 * asks for such a tick itself, so that processes filling the free frames
 * are judged every eighth of the budget, not only every aging interval.
 * A working set here is the ws estimate, or, for a process that has
 * begun but not yet run one window ws_tau of its virtual time, the pages
 * it maps if that is more (swaplab_lc_ws()): a newcomer's estimate trails
 * it until it has faulted its set in, and by then the others' frames are
 * gone. One that took no fault for a period is not faulting its set in:
 * it counts the frames it holds instead, so that an idle process holds
 * no one back. A process begins at its first fault; under ws, if its set
 * does not fit in the room the active ones leave while another process
 * works, it is held there, deactivated before it takes a frame
 * (admission: swaplab_lc_begin()).
 *
 * The rules themselves (the verdict, the victim, the test for room) are
 * in loadctl_rule.h, which the simulator compiles too.
 *
 * A deactivated process's faults wait, killably, for it to be active
 * again: without the fault lock, then retried (VM_FAULT_RETRY), as the
 * kernel waits for a page under I/O; in place where the fault may not be
 * retried. Its pages are not written out here: reclaim takes them first
 * (core.c's choice of a process under local; under global the policy
 * finds them idle), as the others need frames. Turning load_control off
 * reactivates every process.
 *
 * swaplab_lc_lock protects the processes' lc_* fields and the period's
 * stamps. It is taken inside swaplab_procs_mutex (the walks of proc.c's
 * table) or alone; nothing is taken under it but a wait queue's lock
 * (wake_up_all()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "lib/compat.h"
#include "policy/core.h"
#include "mm/loadctl.h"
#include "api/loadctl_rule.h"
#include "alloc/proc.h"
#include "alloc/psi.h"
#include "alloc/share.h"
#include "lib/stat.h"
#include "mm/tick.h"
#include "lib/trace.h"

#define SWAPLAB_LC_POLL_MS	10

static DEFINE_SPINLOCK(swaplab_lc_lock);
static bool swaplab_lc_on;			/* READ_ONCE; under the mutex */
static unsigned int swaplab_lc_max_ms = SWAPLAB_LC_MAX_MS_DEFAULT;
static unsigned int swaplab_lc_psi_pct = SWAPLAB_LC_PSI_DEFAULT;
/*
 * The work's own state, which only it (and swaplab_loadctl_set() with the
 * work stopped) touches: the allocation decision it last acted on
 * (swaplab_share_nr_decisions()); the stamps of the last period (time,
 * busy and full totals, ns) and what its pressure said.
 */
static unsigned long swaplab_lc_acted;
static u64 swaplab_lc_last_ns, swaplab_lc_last_busy, swaplab_lc_last_full;
static bool swaplab_lc_psi_thrash, swaplab_lc_psi_calm = true;
/* Serialises switching the work on and off. */
static DEFINE_MUTEX(swaplab_lc_mutex);

static void swaplab_lc_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(swaplab_lc_work, swaplab_lc_fn);

/* Deactivate @p at @now. Under swaplab_lc_lock. */
static void swaplab_lc_off(struct swaplab_proc *p, u64 now)
{
	lockdep_assert_held(&swaplab_lc_lock);
	p->lc_since = now;
	WRITE_ONCE(p->lc_deadline, now + (u64)READ_ONCE(swaplab_lc_max_ms) *
				   NSEC_PER_MSEC);
	p->lc_deacts++;
	WRITE_ONCE(p->lc_off, true);
	swaplab_psi_set_active(&p->psi, false);
	swaplab_count_event(SWAPLAB_LC_DEACTIVATIONS);
	trace_swaplab_loadctl(p->id, false, false, READ_ONCE(p->lc_ws));
}

/* Activate @p, deactivated, at @now. Under swaplab_lc_lock. */
static void swaplab_lc_on_proc(struct swaplab_proc *p, u64 now, bool forced)
{
	u64 spell = now - p->lc_since;

	lockdep_assert_held(&swaplab_lc_lock);
	p->lc_off_ns += spell;
	p->lc_max_ns = max(p->lc_max_ns, spell);
	p->lc_since = now;
	/*
	 * Faults that waited take their turn now: not quiet
	 * (swaplab_lc_ws()). One with none waiting stays as quiet as it
	 * was: an idle process let back at its bound does not look like
	 * one that works (a fault on its way stamps it itself).
	 */
	if (wq_has_sleeper(&p->lc_wait))
		WRITE_ONCE(p->lc_fault_j, jiffies);
	WRITE_ONCE(p->lc_off, false);
	swaplab_psi_set_active(&p->psi, true);
	swaplab_count_event(SWAPLAB_LC_ACTIVATIONS);
	if (forced)
		swaplab_count_event(SWAPLAB_LC_FORCED);
	trace_swaplab_loadctl(p->id, true, forced, READ_ONCE(p->lc_ws));
	wake_up_all(&p->lc_wait);
}

/* What a period's walk finds. */
struct swaplab_lc_scan {
	u64 now;
	unsigned int active;	/* active, holding frames */
	unsigned int running;	/* active, with frames or without */
	u32 victim;		/* the process to deactivate, by id */
	struct swaplab_lc_choice choice;	/* and how it was chosen */
	unsigned long victim_ws;	/* its working set (lc_ws) */
	u32 oldest;		/* the one deactivated longest ago; 0: none */
	u64 oldest_since;
	unsigned long oldest_ws;	/* its working set (lc_ws) */
	bool act;		/* the second walk: do it */
	bool deactivate;
	bool all;		/* activate every process (switched off) */
	bool changed;		/* a process was deactivated or let back */
};

static void swaplab_lc_visit(struct swaplab_proc *p, void *arg)
{
	struct swaplab_lc_scan *s = arg;
	u64 bound = (u64)READ_ONCE(swaplab_lc_max_ms) * NSEC_PER_MSEC;
	long frames = atomic_long_read(&p->charged);
	unsigned int weight = READ_ONCE(p->weight);

	spin_lock(&swaplab_lc_lock);
	if (s->act) {
		if (p->lc_off && (s->all || (!s->deactivate && p->id == s->oldest))) {
			swaplab_lc_on_proc(p, s->now, false);
			s->changed = true;
		} else if (!p->lc_off && s->deactivate && p->id == s->victim) {
			swaplab_lc_off(p, s->now);
			s->changed = true;
		}
	} else if (p->lc_off) {
		if (s->now >= p->lc_deadline) {
			swaplab_lc_on_proc(p, s->now, true);
			s->changed = true;
		} else if (!s->oldest || p->lc_since < s->oldest_since) {
			s->oldest = p->id;
			s->oldest_since = p->lc_since;
			s->oldest_ws = READ_ONCE(p->lc_ws);
		}
	} else if (!swaplab_proc_exited(p)) {
		s->running++;
		if (frames) {
			s->active++;
			if (swaplab_lc_offer(&s->choice,
					     swaplab_lc_settled(p->lc_deacts,
								s->now,
								p->lc_since,
								bound),
					     swaplab_proc_quiet(p), weight,
					     frames)) {
				s->victim = p->id;
				s->victim_ws = READ_ONCE(p->lc_ws);
			}
		}
	}
	spin_unlock(&swaplab_lc_lock);
}

/*
 * Take the pressure of the period that just ended: full at or above
 * load_control_psi percent of it is thrashing; busy under half of that
 * leaves it calm (no pressure measure: always calm).
 */
static void swaplab_lc_period(u64 now)
{
	unsigned int limit = READ_ONCE(swaplab_lc_psi_pct);
	u64 busy, full, span = now - swaplab_lc_last_ns;
	u64 full_pct, busy_pct;

	swaplab_psi_totals(&busy, &full);
	full_pct = div64_u64(100 * (full - swaplab_lc_last_full), span);
	busy_pct = div64_u64(100 * (busy - swaplab_lc_last_busy), span);
	swaplab_lc_last_ns = now;
	swaplab_lc_last_busy = busy;
	swaplab_lc_last_full = full;
	swaplab_lc_psi_thrash = limit && full_pct >= limit;
	swaplab_lc_psi_calm = !limit || 2 * busy_pct < limit;
}

static void swaplab_lc_fn(struct work_struct *work)
{
	u64 now = ktime_get_ns();
	unsigned long decision = swaplab_share_nr_decisions();
	enum swaplab_lc_action action;
	struct swaplab_lc_scan s;
	bool period, fresh, over, thrash, calm, changed = false;
	long room;

	if (!READ_ONCE(swaplab_lc_on))
		return;
	/*
	 * A tick due by the pages faulted in, with nothing reclaiming to
	 * take it: processes filling free frames are judged as they go.
	 */
	if (swaplab_tick_due())
		swaplab_tick_now();
	period = now - swaplab_lc_last_ns >=
		 (u64)SWAPLAB_LC_PERIOD_MS * NSEC_PER_MSEC;
	if (period)
		swaplab_lc_period(now);
	/* An allocation decision made since the last action. */
	fresh = decision != swaplab_lc_acted;
	over = swaplab_share_overcommitted(&room);
	/*
	 * Thrashing by the allocator's new verdict, or by the pressure of
	 * the period that just ended; calm on either, when neither finds it.
	 */
	thrash = (fresh && over) || (period && swaplab_lc_psi_thrash);
	calm = (fresh || period) && !over && !thrash && swaplab_lc_psi_calm;
	/* One process at a time, and again while the rules say so. */
	do {
		s = (struct swaplab_lc_scan){ .now = now };
		swaplab_proc_for_each(swaplab_lc_visit, &s);
		changed |= s.changed;
		action = swaplab_lc_decide(thrash, calm, s.active, s.running,
					   &s.choice, s.oldest,
					   s.oldest_ws, room);
		if (action == SWAPLAB_LC_NOTHING)
			break;
		s.act = true;
		s.deactivate = action == SWAPLAB_LC_DEACTIVATE;
		swaplab_proc_for_each(swaplab_lc_visit, &s);
		changed |= s.changed;
	} while (swaplab_lc_again(action, &room, s.deactivate ? s.victim_ws :
				  s.oldest_ws));
	/* The next action waits for the decision this one asks for. */
	if (changed) {
		swaplab_lc_acted = decision;
		swaplab_tick_now();
	}
	if (READ_ONCE(swaplab_lc_on))
		schedule_delayed_work(&swaplab_lc_work,
				      msecs_to_jiffies(SWAPLAB_LC_POLL_MS));
}

/*
 * Wait for @p to be active again, killably, up to its deadline; at the
 * deadline activate it ourselves. The waiting task stalls for the
 * pressure file. Return: 0, or -EINTR on a fatal signal.
 */
static int swaplab_lc_wait(struct swaplab_proc *p)
{
	struct swaplab_psi_stall stall = { };
	u64 deadline = READ_ONCE(p->lc_deadline), now = ktime_get_ns();
	bool forced;
	long left;

	swaplab_count_event(SWAPLAB_LC_FAULT_WAITS);
	swaplab_psi_stall_begin(&stall, &p->psi);
	left = wait_event_killable_timeout(p->lc_wait, !READ_ONCE(p->lc_off),
					   deadline > now ?
					   nsecs_to_jiffies(deadline - now) + 1 : 0);
	swaplab_psi_stall_end(&stall);
	if (left < 0)
		return -EINTR;
	spin_lock(&swaplab_lc_lock);
	now = ktime_get_ns();
	forced = p->lc_off && now >= p->lc_deadline;
	if (forced)
		swaplab_lc_on_proc(p, now, true);
	spin_unlock(&swaplab_lc_lock);
	if (forced)
		swaplab_tick_now();
	return 0;
}

/*
 * @p's first fault: it begins, and load control counts its mapped pages
 * until its estimate has grown (swaplab_lc_ws()). Under ws, where the
 * room is known, the allocator decides at once with it begun; if the
 * working sets then overrun while another process works
 * (swaplab_lc_admits()), it is held: deactivated before it takes a
 * frame, as the textbook admits a process only when its working set
 * fits, and let back by the rule or the bound as any other. Two
 * newcomers at once may both be held; the work lets the first back
 * within 10 ms if it fits.
 */
static void swaplab_lc_begin(struct swaplab_proc *p)
{
	bool begun, held = false;
	long room;

	spin_lock(&swaplab_lc_lock);
	begun = p->lc_begun;
	WRITE_ONCE(p->lc_begun, true);
	spin_unlock(&swaplab_lc_lock);
	if (begun || !READ_ONCE(swaplab_lc_on))
		return;
	swaplab_core_rebalance();
	swaplab_share_overcommitted(&room);
	if (swaplab_lc_admits(room, swaplab_share_working()))
		return;
	spin_lock(&swaplab_lc_lock);
	if (!p->lc_off) {
		swaplab_lc_off(p, ktime_get_ns());
		swaplab_count_event(SWAPLAB_LC_HELD);
		held = true;
	}
	spin_unlock(&swaplab_lc_lock);
	if (held)
		swaplab_tick_now();
}

/*
 * A fault of @p begins or ends now: it is not quiet. Written only when
 * the jiffy changed, so that a process faulting on several CPUs does not
 * bounce the line at every fault.
 */
static void swaplab_lc_stamp(struct swaplab_proc *p)
{
	unsigned long now = jiffies;

	if (READ_ONCE(p->lc_fault_j) != now)
		WRITE_ONCE(p->lc_fault_j, now);
}

/**
 * swaplab_loadctl_fault() - hold a fault of a deactivated process
 * @vmf: the fault, with its fault lock held
 * @p: the process the region is charged to
 *
 * Every fault stamps its process as not quiet. A process's first fault
 * begins it, and with load control on under ws may hold it, if its
 * working set does not fit (admission). A fault let go on is under way
 * until swaplab_loadctl_fault_end(), and its process is not quiet
 * meanwhile.
 *
 * Context: the fault handler, before it takes anything; may sleep.
 * Return: 0 to go on with the fault (the process is active, or the wait
 * was made in place), which the caller ends with
 * swaplab_loadctl_fault_end(); %VM_FAULT_RETRY with the fault lock dropped (or
 * kept, for %FAULT_FLAG_RETRY_NOWAIT) after the wait, or at once: the
 * fault is taken again, or a fatal signal ends the task.
 */
vm_fault_t swaplab_loadctl_fault(struct vm_fault *vmf, struct swaplab_proc *p)
{
	/* It is not quiet (swaplab_lc_ws()); first, for its admission. */
	swaplab_lc_stamp(p);
	if (unlikely(!READ_ONCE(p->lc_begun)))
		swaplab_lc_begin(p);
	if (likely(!READ_ONCE(p->lc_off))) {
		atomic_inc(&p->lc_in_fault);
		return 0;
	}
	/* No retry: wait here, with the lock, bounded by the deadline. */
	if (!(vmf->flags & FAULT_FLAG_ALLOW_RETRY)) {
		swaplab_lc_wait(p);
		atomic_inc(&p->lc_in_fault);
		return 0;
	}
	if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
		return VM_FAULT_RETRY;
	/* The region, and with it @p, may go while we wait unlocked. */
	swaplab_proc_get(p);
	swaplab_release_fault_lock(vmf);
	swaplab_lc_wait(p);
	swaplab_proc_put(p);
	return VM_FAULT_RETRY;
}

/**
 * swaplab_loadctl_fault_end() - a fault swaplab_loadctl_fault() let go on
 *	has got its page, or failed
 * @p: the process the region is charged to
 *
 * Context: the fault handler, with the fault lock still held.
 */
void swaplab_loadctl_fault_end(struct swaplab_proc *p)
{
	swaplab_lc_stamp(p);
	atomic_dec(&p->lc_in_fault);
}

/**
 * swaplab_loadctl_enabled() - is load control on?
 *
 * Return: the knob load_control.
 */
bool swaplab_loadctl_enabled(void)
{
	return READ_ONCE(swaplab_lc_on);
}

/**
 * swaplab_loadctl_set() - turn load control on or off
 * @on: the new setting
 *
 * Off: the work stops and every deactivated process is activated.
 *
 * Context: process context; sleeps.
 * Return: 0.
 */
int swaplab_loadctl_set(bool on)
{
	struct swaplab_lc_scan s = { .act = true, .all = true };

	mutex_lock(&swaplab_lc_mutex);
	if (on && !swaplab_lc_on) {
		swaplab_lc_last_ns = ktime_get_ns();
		swaplab_psi_totals(&swaplab_lc_last_busy, &swaplab_lc_last_full);
		swaplab_lc_psi_thrash = false;
		swaplab_lc_psi_calm = true;
		swaplab_lc_acted = swaplab_share_nr_decisions() - 1;
		WRITE_ONCE(swaplab_lc_on, true);
		schedule_delayed_work(&swaplab_lc_work,
				      msecs_to_jiffies(SWAPLAB_LC_POLL_MS));
	} else if (!on && swaplab_lc_on) {
		WRITE_ONCE(swaplab_lc_on, false);
		cancel_delayed_work_sync(&swaplab_lc_work);
		s.now = ktime_get_ns();
		swaplab_proc_for_each(swaplab_lc_visit, &s);
		if (s.changed)
			swaplab_tick_now();
	}
	mutex_unlock(&swaplab_lc_mutex);
	return 0;
}

/**
 * swaplab_loadctl_max_ms() - the bound on a spell deactivated
 *
 * Return: ms.
 */
unsigned int swaplab_loadctl_max_ms(void)
{
	return READ_ONCE(swaplab_lc_max_ms);
}

/**
 * swaplab_loadctl_set_max_ms() - set the bound on a spell deactivated
 * @ms: %SWAPLAB_LC_MAX_MS_MIN to %SWAPLAB_LC_MAX_MS_MAX; for the spells
 *	that start from now on
 *
 * Return: 0, or -EINVAL (nothing changes).
 */
int swaplab_loadctl_set_max_ms(unsigned int ms)
{
	if (ms < SWAPLAB_LC_MAX_MS_MIN || ms > SWAPLAB_LC_MAX_MS_MAX)
		return -EINVAL;
	WRITE_ONCE(swaplab_lc_max_ms, ms);
	return 0;
}

/**
 * swaplab_loadctl_psi() - the full stall share that deactivates
 *
 * Return: percent of a period.
 */
unsigned int swaplab_loadctl_psi(void)
{
	return READ_ONCE(swaplab_lc_psi_pct);
}

/**
 * swaplab_loadctl_set_psi() - set the full stall share that deactivates
 * @pct: 1 to 100; 0 for none (only the allocator's measure: ws, pff)
 *
 * Return: 0, or -EINVAL (nothing changes).
 */
int swaplab_loadctl_set_psi(unsigned int pct)
{
	if (pct > 100)
		return -EINVAL;
	WRITE_ONCE(swaplab_lc_psi_pct, pct);
	return 0;
}

/**
 * swaplab_loadctl_exit() - stop load control at unload
 *
 * Context: module exit; no region is left, so no process either.
 */
void swaplab_loadctl_exit(void)
{
	WRITE_ONCE(swaplab_lc_on, false);
	cancel_delayed_work_sync(&swaplab_lc_work);
}
