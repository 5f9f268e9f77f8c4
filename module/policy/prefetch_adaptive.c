// SPDX-License-Identifier: GPL-2.0
/*
 * adaptive: the kernel's own swap readahead rule (__swapin_nr_pages() in
 * mm/swap_state.c), kept per region as the kernel keeps it per VMA. At
 * each major fault, the pages read ahead that were used since the last
 * one (hits) size the next window, which counts the faulting page:
 *  - none used: 2 if this fault is next to the last one (a sequential
 *    reader that outran its window), else 1 (no readahead);
 *  - otherwise hits + 2 rounded up to a power of two, at least 4;
 *  - at most %SWAPLAB_PREFETCH_MAX + 1, and never below half the last
 *    window, so that one random fault in a stream does not close it.
 * A window wholly used doubles, one half used stays, an unused one halves.
 *
 * Departures from the kernel's: the window only reads forward, the pages
 * after the faulting one, where the kernel's VMA readahead centres it or
 * turns it backward; and its limit is 1 MiB (one I/O), not page-cluster.
 */
#include "api/prefetch.h"

struct adaptive_state {
	unsigned long prev;	/* the last major fault's index */
	unsigned int last;	/* the last window, faulting page counted */
	unsigned int seen;	/* @prev is a fault's (the state starts zeroed) */
};

static unsigned int adaptive_fault(void *state,
				   const struct swaplab_prefetch_fault *pf,
				   unsigned long *pages, unsigned int max)
{
	struct adaptive_state *s = state;
	unsigned int win;

	if (!pf->hits)
		win = s->seen && (pf->index == s->prev + 1 ||
				  pf->index + 1 == s->prev) ? 2 : 1;
	else
		win = swaplab_prefetch_hit_window(pf->hits);
	win = max(win, s->last / 2);
	s->last = win;
	s->prev = pf->index;
	s->seen = 1;
	return swaplab_prefetch_run(pf, 1, min(win - 1, max), pages);
}

SWAPLAB_PREFETCH_STATE_FITS(struct adaptive_state);

struct swaplab_prefetch_ops swaplab_prefetch_adaptive = {
	.name		= "adaptive",
	.state_size	= sizeof(struct adaptive_state),
	.fault		= adaptive_fault,
};
