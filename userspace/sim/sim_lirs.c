// SPDX-License-Identifier: GPL-2.0
/*
 * Exact LIRS, driven by every reference: S. Jiang and X. Zhang, "LIRS: An
 * Efficient Low Inter-reference Recency Set Replacement Policy to Improve
 * Buffer Cache Performance", SIGMETRICS 2002, section 3.
 *
 * Pages of low inter-reference recency (LIR) keep most of the frames;
 * the rest, L_hirs of them, hold high-IRR (HIR) pages in queue Q, which
 * is where victims come from. Stack S orders pages by recency, down to
 * its lowest LIR page (pruning keeps one at the bottom); an HIR page
 * referenced again while still in S has a smaller recency than that LIR
 * page and takes its place. The module sees reference bits, not each
 * hit, and so can only run LIRS's clock form (CLOCK-Pro); this is the
 * yardstick for it. Departures from the paper: L_hirs is 1% of the
 * frames, at least 1, as the paper suggests; S is not bounded (the
 * paper's exact algorithm), so it may remember every page of the
 * string; pages are evicted one at a time whatever the simulator's
 * --batch; with a single frame there is nothing to choose, and every
 * change of page is a fault.
 */
#include "sim/ilist.h"
#include "sim/sim.h"
#include "lib/strmap.h"

enum lirs_state { LIRS_NONE, LIRS_LIR, LIRS_HIR, LIRS_HIR_GONE };

struct lirs {
	struct ilinks sl, ql;	/* the links of S and of Q */
	struct ilist s, q;
	unsigned char *state;
	size_t nlir;
};

/* Stack pruning: drop HIR pages from the bottom of S down to a LIR one. */
static void lirs_prune(struct lirs *l)
{
	while (l->s.tail != ILIST_NONE && l->state[l->s.tail] != LIRS_LIR) {
		size_t y = ilist_pop(&l->sl, &l->s);

		if (l->state[y] == LIRS_HIR_GONE)
			l->state[y] = LIRS_NONE;
	}
}

/* @x becomes LIR at the top of S; S's bottom LIR page goes to Q's end. */
static void lirs_promote(struct lirs *l, size_t x)
{
	size_t y;

	if (ilist_has(&l->sl, &l->s, x))
		ilist_del(&l->sl, &l->s, x);
	ilist_push(&l->sl, &l->s, x);
	l->state[x] = LIRS_LIR;
	y = ilist_pop(&l->sl, &l->s);
	l->state[y] = LIRS_HIR;
	ilist_push(&l->ql, &l->q, y);
	lirs_prune(l);
}

/**
 * sim_lirs() - replay a reference string through exact LIRS
 * @refs: page ids below @npages
 * @nrefs: how many
 * @npages: distinct pages
 * @frames: the cache size
 * @kinds: the kind of each page (lib/trace.h's enum trace_kind), or NULL:
 *	every page is anonymous
 * @file_faults: if not NULL, where the faults on pages of files are added
 *
 * Return: the number of faults, or -1 without memory.
 */
long sim_lirs(const unsigned long *refs, size_t nrefs, unsigned long npages,
	      size_t frames, const uint8_t *kinds,
	      unsigned long *file_faults)
{
	size_t hirs = frames / 100 ? frames / 100 : 1;
	size_t lirs_max = frames - hirs, nres = 0;
	struct lirs l = { .state = calloc(npages, 1) };
	long faults = -1;

	if (ilinks_init(&l.sl, npages) || ilinks_init(&l.ql, npages) ||
	    !l.state)
		goto out;
	ilist_init(&l.s, 1);
	ilist_init(&l.q, 1);
	faults = 0;
	for (size_t t = 0, done = 0; t < nrefs; t++) {
		size_t x = refs[t];

		/* refs[t - 1] is read below. */
		done = strmap_pass(refs, done, (t ? t - 1 : 0) * sizeof(*refs));
		if (frames == 1) {
			if (t && refs[t - 1] == x)
				continue;
			faults++;
			sim_file_fault(kinds, file_faults, x);
			continue;
		}
		switch (l.state[x]) {
		case LIRS_LIR:
			ilist_del(&l.sl, &l.s, x);
			ilist_push(&l.sl, &l.s, x);
			lirs_prune(&l);
			continue;
		case LIRS_HIR:
			if (ilist_has(&l.sl, &l.s, x)) {
				ilist_del(&l.ql, &l.q, x);
				lirs_promote(&l, x);
			} else {
				ilist_push(&l.sl, &l.s, x);
				ilist_del(&l.ql, &l.q, x);
				ilist_push(&l.ql, &l.q, x);
			}
			continue;
		}
		faults++;
		sim_file_fault(kinds, file_faults, x);
		if (nres == frames) {
			size_t v = ilist_pop(&l.ql, &l.q);

			l.state[v] = ilist_has(&l.sl, &l.s, v) ?
				     LIRS_HIR_GONE : LIRS_NONE;
			nres--;
		}
		nres++;
		if (l.nlir < lirs_max) {
			/* Warming up: the first pages are LIR. */
			if (ilist_has(&l.sl, &l.s, x))
				ilist_del(&l.sl, &l.s, x);
			ilist_push(&l.sl, &l.s, x);
			l.state[x] = LIRS_LIR;
			l.nlir++;
		} else if (l.state[x] == LIRS_HIR_GONE) {
			lirs_promote(&l, x);
		} else {
			l.state[x] = LIRS_HIR;
			ilist_push(&l.sl, &l.s, x);
			ilist_push(&l.ql, &l.q, x);
		}
	}
out:
	ilinks_free(&l.sl);
	ilinks_free(&l.ql);
	free(l.state);
	return faults;
}
