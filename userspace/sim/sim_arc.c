// SPDX-License-Identifier: GPL-2.0
/*
 * Exact ARC, driven by every reference: N. Megiddo and D. S. Modha, "ARC:
 * A Self-Tuning, Low Overhead Replacement Cache", FAST 2003, Fig. 4.
 *
 * T1 holds pages referenced once since they came in, T2 pages referenced
 * again; B1 and B2 remember the pages last evicted from each (ghosts, no
 * frame). A ghost hit in B1 says T1 was too small and grows its target
 * p; one in B2 shrinks it. The module sees reference bits, not each hit,
 * and so can only run ARC's clock form (CAR); this is the yardstick for
 * it. Departures from the paper: none in the algorithm; p is a double,
 * as the paper's adaptation steps are ratios; pages are evicted one at a
 * time whatever the simulator's --batch.
 */
#include "sim/ilist.h"
#include "sim/sim.h"
#include "lib/strmap.h"

enum { ARC_T1 = 1, ARC_T2, ARC_B1, ARC_B2 };

struct arc {
	struct ilinks l;
	struct ilist t1, t2, b1, b2;
	double p;
	size_t c;
};

/* Evict the LRU page of T1 or of T2 into its ghost list (REPLACE). */
static void arc_replace(struct arc *a, bool in_b2)
{
	bool from_t1 = a->t1.n &&
		       ((in_b2 && (double)a->t1.n == a->p) ||
			(double)a->t1.n > a->p);
	size_t v;

	if (!a->t2.n)
		from_t1 = true;
	v = ilist_pop(&a->l, from_t1 ? &a->t1 : &a->t2);
	ilist_push(&a->l, from_t1 ? &a->b1 : &a->b2, v);
}

/**
 * sim_arc() - replay a reference string through exact ARC
 * @refs: page ids below @npages
 * @nrefs: how many
 * @npages: distinct pages
 * @frames: the cache size, c
 * @kinds: the kind of each page (lib/trace.h's enum trace_kind), or NULL:
 *	every page is anonymous
 * @file_faults: if not NULL, where the faults on pages of files are added
 *
 * Return: the number of faults, or -1 without memory.
 */
long sim_arc(const unsigned long *refs, size_t nrefs, unsigned long npages,
	     size_t frames, const uint8_t *kinds,
	     unsigned long *file_faults)
{
	struct arc a = { .c = frames };
	long faults = 0;

	if (ilinks_init(&a.l, npages)) {
		ilinks_free(&a.l);
		return -1;
	}
	ilist_init(&a.t1, ARC_T1);
	ilist_init(&a.t2, ARC_T2);
	ilist_init(&a.b1, ARC_B1);
	ilist_init(&a.b2, ARC_B2);
	for (size_t t = 0, done = 0; t < nrefs; t++) {
		size_t x = refs[t];
		double delta;

		done = strmap_pass(refs, done, t * sizeof(*refs));
		switch (ilist_on(&a.l, x)) {
		case ARC_T1:
		case ARC_T2:	/* Case I: a hit */
			ilist_del(&a.l, ilist_on(&a.l, x) == ARC_T1 ? &a.t1 : &a.t2, x);
			ilist_push(&a.l, &a.t2, x);
			continue;
		case ARC_B1:	/* Case II: T1 should have been larger */
			delta = a.b1.n >= a.b2.n ? 1 : (double)a.b2.n / a.b1.n;
			a.p = a.p + delta < a.c ? a.p + delta : a.c;
			arc_replace(&a, false);
			ilist_del(&a.l, &a.b1, x);
			ilist_push(&a.l, &a.t2, x);
			break;
		case ARC_B2:	/* Case III: T2 should have been larger */
			delta = a.b2.n >= a.b1.n ? 1 : (double)a.b1.n / a.b2.n;
			a.p = a.p - delta > 0 ? a.p - delta : 0;
			arc_replace(&a, true);
			ilist_del(&a.l, &a.b2, x);
			ilist_push(&a.l, &a.t2, x);
			break;
		default:	/* Case IV: a page never seen, or forgotten */
			if (a.t1.n + a.b1.n == a.c) {
				if (a.t1.n < a.c) {
					ilist_pop(&a.l, &a.b1);
					arc_replace(&a, false);
				} else {
					ilist_pop(&a.l, &a.t1);
				}
			} else if (a.t1.n + a.t2.n + a.b1.n + a.b2.n >= a.c) {
				if (a.t1.n + a.t2.n + a.b1.n + a.b2.n == 2 * a.c)
					ilist_pop(&a.l, &a.b2);
				arc_replace(&a, false);
			}
			ilist_push(&a.l, &a.t1, x);
			break;
		}
		faults++;
		sim_file_fault(kinds, file_faults, x);
	}
	ilinks_free(&a.l);
	return faults;
}
