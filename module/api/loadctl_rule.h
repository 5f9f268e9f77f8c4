/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load control's rules (loadctl.c, and core.c's verdict), as plain C over
 * the allocator's view (alloc.h): they call nothing of the kernel's, so
 * the userspace simulator (sim.c) decides by the same source. Time is in
 * the caller's unit, as long as it is one unit throughout: ns in the
 * module, periods of references in the simulator.
 *
 * A period's decision, from the allocator's verdict and one walk of the
 * processes:
 *
 * - thrashing, by the allocator's measure: under ws, the active
 *   processes' working sets (as load control counts them,
 *   swaplab_lc_ws()) add up to more than there is and one of them
 *   faults above pff_upper (sets that overrun by a few pages cost a few
 *   faults, less than a deactivation does); under pff, two or more
 *   processes referenced pages in the last interval, each of them above
 *   pff_upper, and no frame is left to give;
 * - when it thrashes and two or more processes are active, one is
 *   deactivated: of those not activated in the last half of the bound on
 *   a spell deactivated (so that a process let back has time to work),
 *   an idle one first (quiet, swaplab_lc_ws(): it loses no time, and its
 *   frames go to those that work, as the textbook swaps out a sleeping
 *   process first), then the lowest weight, and of those the most
 *   frames; but never the one process that works while the others are
 *   idle: that frees frames for no one (the idle one may be just back,
 *   too soon to go again);
 * - when it is calm, the process deactivated longest ago is reactivated
 *   if its working set and an eighth more fit in the room the active
 *   ones' leave, or when none is active (always, under an allocator that
 *   keeps no room). The eighth is slack against the estimates: the ws
 *   estimate counts the pages referenced in one window, fewer than the
 *   set of a process that references it at random (a page of the set
 *   not referenced in the window is not counted), so working sets that
 *   fit by the estimates to the page overrun once the one let back
 *   runs; the verdict then deactivates a process that was working, and
 *   every page it had is written out and read back;
 * - under ws, where the room is known, a period goes on: it deactivates
 *   the next victim while the working sets left active still overrun,
 *   and reactivates the next oldest while one fits in the room left, as
 *   the textbook suspends processes until the working sets fit. Under
 *   the other measures it moves one process a period.
 */
#ifndef _SWAPLAB_LOADCTL_RULE_H
#define _SWAPLAB_LOADCTL_RULE_H

#ifdef __KERNEL__
#include <linux/limits.h>
#else
#include <limits.h>
#endif

#include "api/alloc.h"

/**
 * swaplab_lc_judges() - does an allocator give a verdict on thrashing?
 * @a: the allocator in force under allocation=local
 *
 * Return: true for ws and pff; the others keep no measure of it.
 */
static inline bool swaplab_lc_judges(const struct swaplab_allocator_ops *a)
{
	return a == &swaplab_alloc_ws || a == &swaplab_alloc_pff;
}

/**
 * swaplab_lc_ws() - a process's working set, as load control counts it
 * @p: the process, as the allocator sees it
 * @vtime: its virtual time
 * @tau: the working-set window, in the same unit
 * @avail: the frames there are to share
 * @begun: it has begun: faulted, or been held at its first fault
 * @quiet: it is active and took no fault in the last period of load
 *	control (SWAPLAB_LC_PERIOD_MS in the module, --lc-period references
 *	in the simulator)
 * @held: the frames it holds
 *
 * The estimate counts only pages a tick has seen referenced, so while a
 * process faults its set in for the first time the estimate trails it by
 * as much as the process brings in between ticks: a set found to
 * overcommit memory that late has been faulted in whole, and every page
 * of the process deactivated then is read back at its return. Until the
 * process has run one window of its virtual time, load control counts
 * the pages it maps instead (at most all there are), if that is more,
 * once it has begun (faulted, or been held at its first fault): a
 * newcomer that cannot fit is found at its first fault, before it takes
 * the others' frames, and one that maps and has not begun keeps no room.
 * A process that is active and quiet (no fault in the last period) is not
 * faulting its set in: what it needs is what it holds, if that is more
 * than its estimate. An idle process's virtual time stands still, so it
 * would never reach the window, and counting its mapping would hold
 * every newcomer and deactivate the others for as long as it sleeps.
 *
 * Return: pages.
 */
static inline unsigned long swaplab_lc_ws(const struct swaplab_alloc_proc *p,
					  unsigned long vtime,
					  unsigned long tau,
					  unsigned long avail, bool begun,
					  bool quiet, unsigned long held)
{
	if (vtime >= tau || !begun)
		return p->ws;
	if (quiet)
		return max_t(unsigned long, p->ws, held);
	return max_t(unsigned long, p->ws, min_t(unsigned long, p->size, avail));
}

/**
 * struct swaplab_lc_count - the active processes, as the verdict counts them
 * @busy: those that referenced pages in the last interval
 * @working: those that did, or are not quiet (took a fault in the last
 *	period): an idle process is neither
 * @above: those of the busy whose fault rate is above pff_upper
 * @ws: their working sets as load control counts them (swaplab_lc_ws()),
 *	added up
 */
struct swaplab_lc_count {
	unsigned int busy;
	unsigned int working;
	unsigned int above;
	unsigned long ws;
};

/**
 * swaplab_lc_count_proc() - count one active process for the verdict
 * @c: the count, zeroed before the first
 * @p: the process, as the allocator sees it
 * @ws: swaplab_lc_ws() of it
 * @quiet: as for swaplab_lc_ws()
 * @t: the totals of the active processes
 */
static inline void swaplab_lc_count_proc(struct swaplab_lc_count *c,
					 const struct swaplab_alloc_proc *p,
					 unsigned long ws, bool quiet,
					 const struct swaplab_alloc_total *t)
{
	c->ws += ws;
	c->working += p->refs || !quiet;
	if (!p->refs)
		return;
	c->busy++;
	c->above += swaplab_alloc_pff_rate(p) > t->pff_upper;
}

/**
 * swaplab_lc_verdict() - do the active processes thrash?
 * @a: the allocator in force under allocation=local
 * @t: the totals of the active processes
 * @c: their count (swaplab_lc_count_proc())
 * @room: set to the frames their working sets leave, negative when they
 *	need more than there is; %LONG_MAX when @a is not ws
 *
 * Return: true when they thrash by @a's measure (see the head of this
 * file); never under an allocator swaplab_lc_judges() refuses.
 */
static inline bool swaplab_lc_verdict(const struct swaplab_allocator_ops *a,
				      const struct swaplab_alloc_total *t,
				      const struct swaplab_lc_count *c,
				      long *room)
{
	*room = LONG_MAX;
	if (a == &swaplab_alloc_ws) {
		*room = (long)min_t(unsigned long, t->avail, LONG_MAX) -
			(long)min_t(unsigned long, c->ws, LONG_MAX);
		return t->nr >= 2 && c->ws > t->avail && c->above;
	}
	if (a == &swaplab_alloc_pff)
		return c->busy >= 2 && c->above == c->busy && !t->free;
	return false;
}

/**
 * swaplab_lc_admits() - is a newcomer let in at its first fault?
 * @room: the room the active processes' working sets leave, the
 *	newcomer's counted (swaplab_lc_verdict()); %LONG_MAX for no limit
 * @working: the active processes that work (&swaplab_lc_count.working),
 *	the newcomer among them: it has just faulted
 *
 * Holding a newcomer protects the others' frames from it; with none of
 * them working, it protects nothing, and the newcomer would only wait
 * out the bound.
 *
 * Return: true unless its working set overruns the room while another
 * process works.
 */
static inline bool swaplab_lc_admits(long room, unsigned int working)
{
	return room == LONG_MAX || room >= 0 || working < 2;
}

/**
 * swaplab_lc_settled() - may an active process be deactivated yet?
 * @deactivated: it has been deactivated before
 * @now: the time now
 * @since: when it was last activated
 * @bound: the bound on a spell deactivated
 *
 * Return: true when it never was deactivated, or was activated at least
 * half the bound ago.
 */
static inline bool swaplab_lc_settled(bool deactivated, u64 now, u64 since,
				      u64 bound)
{
	return !deactivated || now - since >= bound / 2;
}

/**
 * struct swaplab_lc_choice - the victim chosen so far in a walk
 * @found: one is chosen
 * @quiet: it is quiet (swaplab_lc_ws())
 * @weight: its weight
 * @frames: the frames it holds
 * @working: the processes offered that are not quiet, chosen or not
 */
struct swaplab_lc_choice {
	bool found;
	bool quiet;
	unsigned int weight;
	long frames;
	unsigned int working;
};

/**
 * swaplab_lc_offer() - offer an active process as the victim
 * @c: the choice so far, zeroed before the first offer
 * @settled: swaplab_lc_settled() of it
 * @quiet: it is quiet (swaplab_lc_ws())
 * @weight: its weight
 * @frames: the frames it holds
 *
 * A quiet one before one that works, then the lowest weight, then the
 * most frames; on a tie the one offered first stays.
 *
 * Return: true if it is the victim now (@c is updated): the caller keeps
 * which process it is.
 */
static inline bool swaplab_lc_offer(struct swaplab_lc_choice *c, bool settled,
				    bool quiet, unsigned int weight,
				    long frames)
{
	c->working += !quiet;
	if (!settled)
		return false;
	if (c->found && quiet != c->quiet) {
		if (!quiet)
			return false;
	} else if (c->found && (weight > c->weight ||
				(weight == c->weight && frames <= c->frames))) {
		return false;
	}
	c->found = true;
	c->quiet = quiet;
	c->weight = weight;
	c->frames = frames;
	return true;
}

/**
 * swaplab_lc_fits() - may the process deactivated longest ago come back?
 * @calm: no thrashing was found this period
 * @ws: its working set, as load control counts it (swaplab_lc_ws())
 * @room: the room the active processes' working sets leave
 *	(swaplab_lc_verdict()); %LONG_MAX for no limit
 * @alone: no process is active: it comes back to all there is
 *
 * Return: true when it is calm and @ws and an eighth of it more fit in
 * @room, or it would be alone.
 */
static inline bool swaplab_lc_fits(bool calm, unsigned long ws, long room,
				   bool alone)
{
	unsigned long need = ws + ws / 8;

	return calm && (room == LONG_MAX || alone ||
			(long)min_t(unsigned long, need, LONG_MAX) <= room);
}

/* What a period does. */
enum swaplab_lc_action {
	SWAPLAB_LC_NOTHING,
	SWAPLAB_LC_DEACTIVATE,
	SWAPLAB_LC_REACTIVATE,
};

/**
 * swaplab_lc_decide() - a period's decision
 * @thrash: thrashing was found
 * @calm: it was not, and no other measure says to wait
 * @active: active processes holding frames
 * @running: active processes, with frames or without (one let back
 *	that has not faulted yet holds none)
 * @victim: what swaplab_lc_offer() chose among them
 * @oldest: a process is deactivated (not due back by the bound)
 * @oldest_ws: swaplab_lc_ws() of the one deactivated longest ago
 * @room: the room the active processes' working sets leave
 *
 * Return: deactivate the victim, reactivate the oldest, or nothing; one
 * process a period.
 */
static inline enum swaplab_lc_action
swaplab_lc_decide(bool thrash, bool calm, unsigned int active,
		  unsigned int running, const struct swaplab_lc_choice *victim,
		  bool oldest, unsigned long oldest_ws, long room)
{
	if (thrash && active >= 2 && victim->found &&
	    (victim->quiet || victim->working >= 2))
		return SWAPLAB_LC_DEACTIVATE;
	if (oldest && swaplab_lc_fits(calm, oldest_ws, room, !running))
		return SWAPLAB_LC_REACTIVATE;
	return SWAPLAB_LC_NOTHING;
}

/**
 * swaplab_lc_again() - after a period's action, does it decide again?
 * @action: what swaplab_lc_decide() said, and was done
 * @room: the room the active processes' working sets leave; updated for
 *	the process that moved (%LONG_MAX: none is known, nothing changes)
 * @ws: swaplab_lc_ws() of the process deactivated or let back
 *
 * Return: true to decide once more in the same period, thrashing still
 * if @action deactivated: under ws, while the working sets left active
 * overrun, after a deactivation, and while room is left, after a
 * reactivation; never when the room is not known.
 */
static inline bool swaplab_lc_again(enum swaplab_lc_action action,
				    long *room, unsigned long ws)
{
	long w = (long)min_t(unsigned long, ws, LONG_MAX);

	if (*room == LONG_MAX)
		return false;
	if (action == SWAPLAB_LC_DEACTIVATE) {
		*room += w;
		return *room < 0;
	}
	if (action == SWAPLAB_LC_REACTIVATE) {
		*room -= w;
		return *room > 0;
	}
	return false;
}

#endif /* _SWAPLAB_LOADCTL_RULE_H */
