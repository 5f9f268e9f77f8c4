// SPDX-License-Identifier: GPL-2.0
/*
 * Working-set allocation (Denning): each process gets its working set,
 * the pages it referenced in the last ws_tau of its virtual time, and the
 * frames no working set needs are shared equally. When the working sets
 * add up to more than there is, each gets the same fraction of its own:
 * the processes then thrash, which is load control's signal to
 * deactivate one (loadctl.c).
 *
 * The estimate, also here, is what the reference bits harvests read make
 * of W(t, tau): the core stamps a page with its process's virtual time
 * at each tick that finds it referenced, counts the resident pages
 * stamped within the window, and keeps, in a ring of the last ticks,
 * the pages evicted while still within it. A ring entry leaves the count
 * when the window passes its time; a page faulted back in leaves it at
 * once, since it is resident again (from the newest entry no later than
 * its eviction: which entry it was counted in is not kept), unless its
 * refault distance says its entry has gone already.
 */
#include "api/alloc.h"

/* Is a time within the last @tau of the clock @now? */
static bool ws_in_window(unsigned int now, unsigned int stamp,
			 unsigned long tau)
{
	return (unsigned int)(now - stamp) < tau;
}

static unsigned int ws_slot(const struct swaplab_ws_est *e, unsigned int i)
{
	return (e->head + SWAPLAB_WS_RING - i) % SWAPLAB_WS_RING;
}

/**
 * swaplab_alloc_ws_advance() - a tick: move the process's clock on
 * @e: its estimate
 * @refs: its pages seen referenced since the last tick
 * @tau: the window, in pages referenced (1 to 2^31)
 * @clock: the eviction clock now
 *
 * Opens the ring entry of this tick, forgets the evicted pages the window
 * has passed, and starts the count of resident pages in the window over:
 * swaplab_alloc_ws_frame() is called next for each of its frames.
 */
void swaplab_alloc_ws_advance(struct swaplab_ws_est *e, unsigned long refs,
			      unsigned long tau, unsigned long clock)
{
	unsigned int oldest, next;

	e->vtime += refs;
	if (e->nr == SWAPLAB_WS_RING) {
		/* Full: the oldest entry's pages join the next one's. */
		oldest = ws_slot(e, e->nr - 1);
		next = ws_slot(e, e->nr - 2);
		e->ring_count[next] += e->ring_count[oldest];
		e->nr--;
	}
	if (e->nr)
		e->head = (e->head + 1) % SWAPLAB_WS_RING;
	e->ring_vtime[e->head] = (unsigned int)e->vtime;
	e->ring_count[e->head] = 0;
	e->ring_clock[e->head] = (unsigned int)clock;
	e->nr++;
	while (e->nr > 1) {
		oldest = ws_slot(e, e->nr - 1);
		if (ws_in_window((unsigned int)e->vtime, e->ring_vtime[oldest],
				 tau))
			break;
		e->evicted -= e->ring_count[oldest];
		e->nr--;
	}
	e->resident = 0;
}

/**
 * swaplab_alloc_ws_frame() - count one of the process's resident frames
 * @e: its estimate, just advanced
 * @f: the frame: stamped now if it was referenced since the last tick
 * @tau: the window
 */
void swaplab_alloc_ws_frame(struct swaplab_ws_est *e, struct swaplab_frame *f,
			    unsigned long tau)
{
	if (test_and_clear_bit(SWAPLAB_FRAME_WS_REF, &f->flags))
		f->ws_stamp = (unsigned int)e->vtime;
	if (ws_in_window((unsigned int)e->vtime, f->ws_stamp, tau))
		e->resident++;
}

/**
 * swaplab_alloc_ws_evicted() - one of the process's pages left memory
 * @e: its estimate
 * @f: the page's frame, with its stamp
 * @tau: the window
 *
 * A page within the window stays in the working set: it is counted in the
 * entry of the tick that last saw it referenced (or the oldest the ring
 * keeps, if older), until the window passes it.
 *
 * Return: true if the page is counted: its refault then takes it out
 * again (swaplab_alloc_ws_refault()).
 */
bool swaplab_alloc_ws_evicted(struct swaplab_ws_est *e,
			      const struct swaplab_frame *f, unsigned long tau)
{
	unsigned int stamp = f->ws_stamp, age, i, slot = e->head;

	if (test_bit(SWAPLAB_FRAME_WS_REF, &f->flags))
		stamp = (unsigned int)e->vtime;
	if (!ws_in_window((unsigned int)e->vtime, stamp, tau))
		return false;
	if (!e->nr) {
		/* No tick yet: an entry from the start of time. */
		e->ring_vtime[e->head] = (unsigned int)e->vtime;
		e->ring_count[e->head] = 0;
		e->ring_clock[e->head] = 0;
		e->nr = 1;
	}
	/* The oldest entry not older than the stamp: the stamp's own. */
	age = (unsigned int)e->vtime - stamp;
	for (i = 0; i < e->nr; i++) {
		if ((unsigned int)e->vtime - e->ring_vtime[ws_slot(e, i)] > age)
			break;
		slot = ws_slot(e, i);
	}
	e->ring_count[slot]++;
	e->evicted++;
	return true;
}

/**
 * swaplab_alloc_ws_refault() - one of the process's pages faulted back in
 * @e: its estimate
 * @distance: evictions from the budget since the page's (its refault
 *	distance)
 * @clock: the eviction clock now
 *
 * For a page the estimate counted at its eviction: it is resident again,
 * and counted as such from the next tick. The entry it was counted in is
 * not kept, but it is the entry of a tick no later than its eviction: one
 * page leaves the newest such entry that has one. A page evicted before
 * the oldest tick the ring keeps has left the count with its entry, and
 * nothing changes.
 */
void swaplab_alloc_ws_refault(struct swaplab_ws_est *e, unsigned long distance,
			      unsigned long clock)
{
	unsigned int i, slot;

	if (!e->evicted)
		return;
	for (i = 0; i < e->nr; i++) {
		slot = ws_slot(e, i);
		/* The first tick at or before the eviction, and older ones. */
		if ((unsigned int)((unsigned int)clock - e->ring_clock[slot]) <
		    distance)
			continue;
		if (e->ring_count[slot]) {
			e->ring_count[slot]--;
			e->evicted--;
			return;
		}
	}
}

/*
 * Each its working set, and an equal part of what no working set needs;
 * if they need more than there is, each the same fraction of its own.
 * Before any estimate, equal shares.
 */
static unsigned long ws_share(const struct swaplab_alloc_proc *p,
			      struct swaplab_alloc_total *t)
{
	unsigned long share;

	if (!t->nr)
		return t->avail ? t->avail : 1;
	if (t->ws > t->avail)
		return swaplab_alloc_part(t->avail, p->ws, t->ws);
	share = p->ws + (t->avail - t->ws) / t->nr;
	return share ? share : 1;
}

const struct swaplab_allocator_ops swaplab_alloc_ws = {
	.name	= "ws",
	.flags	= SWAPLAB_ALLOC_DECIDES,
	.share	= ws_share,
};
