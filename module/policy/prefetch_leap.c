// SPDX-License-Identifier: GPL-2.0
/*
 * leap: trend detection by majority vote, after Leap (H. Al Maruf and
 * M. Chowdhury, "Effectively Prefetching Remote Memory with Leap",
 * USENIX ATC 2020), section 4.
 *
 * The history holds the deltas between the last %LEAP_HISTORY faults,
 * counting as a fault the first use of a page read ahead (a fault
 * avoided), as the authors' code logs every swap-in lookup, swap cache
 * hits included: otherwise a stride d read ahead w pages at a time would
 * be seen as a stride of w * d. At a major fault, the trend is the delta that is a strict majority
 * of the most recent w deltas, found with the Boyer-Moore majority vote
 * and then counted: w starts at a quarter of the history and doubles
 * until a majority is found or the history is used up. With a trend d,
 * the pages index + d, index + 2d, ... are read with the faulting one.
 * The window (faulting page counted) grows with the pages read ahead
 * that were used since the last fault: hits + 2 rounded up to a power of
 * two, at least 4, at most the configured window, never below half the
 * last one. Without a trend, the adaptive rule's sequential window is
 * used (prefetch_adaptive.c), as the authors' kernel falls back to the
 * kernel's readahead.
 *
 * Departures from the paper and the authors' code:
 *  - the history is per region (the paper keeps one per process; the
 *    authors' kernel code one for the whole system), in page indices of
 *    the region rather than swap offsets;
 *  - only deltas seen count: the authors' code votes over an unfilled
 *    history of zeros, and a delta of 0 (the same page again) is never a
 *    trend here;
 *  - the largest window is the configured window (the readahead knob,
 *    as the authors' code takes page-cluster), and the core reads only
 *    into free frames, synchronously with the fault (the authors' reads
 *    are asynchronous, into the swap cache);
 *  - the paper's eager eviction of used prefetched pages from the cache
 *    is the replacement policy's business here, not the prefetcher's;
 *  - without a trend the authors' code reads the kernel's aligned
 *    cluster around the fault, at least 4 pages in its mode; here the
 *    adaptive rule reads forward and closes to nothing when what it
 *    read goes unused. Tried the authors' way in the simulator on the
 *    recorded xz, sort and sqlite3 strings: it read 8 to 110 times as
 *    many pages, at lower accuracy, and covered more only on sqlite3.
 */
#include "api/prefetch.h"

#define LEAP_HISTORY	32

struct leap_state {
	int delta[LEAP_HISTORY];	/* a ring, @head the next to write */
	unsigned long prev;		/* the last fault's index */
	unsigned int head;
	unsigned int nr;		/* deltas in the ring */
	unsigned int seen;		/* @prev is a fault's */
	unsigned int last;		/* the last window */
};

/* The delta of the @i-th most recent fault (0: the last). */
static int leap_delta(const struct leap_state *s, unsigned int i)
{
	return s->delta[(s->head + LEAP_HISTORY - 1 - i) % LEAP_HISTORY];
}

/* A strict majority of the last @w deltas, or 0 if there is none. */
static int leap_majority(const struct leap_state *s, unsigned int w)
{
	int cand = leap_delta(s, 0);
	unsigned int i, votes = 1;

	for (i = 1; i < w; i++) {
		if (leap_delta(s, i) == cand) {
			votes++;
		} else if (!--votes) {
			cand = leap_delta(s, i);
			votes = 1;
		}
	}
	for (i = 0, votes = 0; i < w; i++)
		votes += leap_delta(s, i) == cand;
	return votes > w / 2 ? cand : 0;
}

static int leap_trend(const struct leap_state *s)
{
	unsigned int w;
	int d = 0;

	for (w = LEAP_HISTORY / 4; !d && w <= s->nr; w *= 2)
		d = leap_majority(s, w);
	return d;
}

static void leap_log(struct leap_state *s, unsigned long index)
{
	long d = (long)(index - s->prev);

	if (s->seen) {
		/* Deltas beyond an int's range are no trend anyone follows. */
		s->delta[s->head] = d > INT_MAX || d < -INT_MAX ? 0 : d;
		s->head = (s->head + 1) % LEAP_HISTORY;
		if (s->nr < LEAP_HISTORY)
			s->nr++;
	}
	s->prev = index;
	s->seen = 1;
}

static unsigned int leap_fault(void *state,
			       const struct swaplab_prefetch_fault *pf,
			       unsigned long *pages, unsigned int max)
{
	struct leap_state *s = state;
	bool next = s->seen && pf->index == s->prev + 1;
	unsigned int win = swaplab_prefetch_hit_window(pf->hits);
	int d;

	leap_log(s, pf->index);
	d = leap_trend(s);
	if (!d) {
		/* No trend: the adaptive rule, forward. */
		d = 1;
		if (!pf->hits)
			win = next ? 2 : 1;
	}
	/* Never below half the last window, never above the configured. */
	win = max(win, s->last / 2);
	win = min_t(unsigned int, win, max_t(unsigned int, pf->window, 1) + 1);
	s->last = win;
	return swaplab_prefetch_run(pf, d, min(win - 1, max), pages);
}

static void leap_hit(void *state, unsigned long index)
{
	leap_log(state, index);
}

SWAPLAB_PREFETCH_STATE_FITS(struct leap_state);

struct swaplab_prefetch_ops swaplab_prefetch_leap = {
	.name		= "leap",
	.state_size	= sizeof(struct leap_state),
	.fault		= leap_fault,
	.hit		= leap_hit,
};
