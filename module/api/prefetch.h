/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The prefetcher interface.
 *
 * A prefetcher decides, at a major fault, which other pages of the same
 * region to read with the faulting one. Like a replacement policy
 * (policy.h) it is plain C that calls nothing of the kernel's, so the same
 * file compiles into the module and into the userspace simulator, where
 * its accuracy and coverage can be measured on any reference string.
 *
 * A prefetcher names pages by their index in the region; the core keeps
 * the mechanism: it reads only pages whose copy is in the store, into free
 * frames only (prefetching never waits or reclaims), and admits them to
 * the replacement policy as read ahead, unreferenced. The first use of a
 * page read ahead is a hit; a page evicted before any use is a miss.
 *
 * Each region has its own state for the selected prefetcher, zeroed when
 * the region is made and when the prefetcher changes. The core serialises
 * the calls for one region.
 */
#ifndef _SWAPLAB_PREFETCH_H
#define _SWAPLAB_PREFETCH_H

#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/types.h>
#else
#include <assert.h>
#include <limits.h>

#include "policy_shim.h"
#endif

#define SWAPLAB_PREFETCH_NAME_MAX	16
/* The most pages one fault may prefetch: one I/O of 1 MiB with its own. */
#define SWAPLAB_PREFETCH_MAX		255
/* Bytes of per-region state a prefetcher may ask for. */
#define SWAPLAB_PREFETCH_STATE_MAX	192

/**
 * struct swaplab_prefetch_fault - a major fault, as a prefetcher sees it
 * @index: the faulting page's index in its region
 * @nr_pages: the region's size in pages: indices at or above it are not
 *	pages
 * @hits: pages read ahead in this region that were used since the
 *	region's previous major fault
 * @window: the configured window in pages: the size of a fixed window,
 *	and the largest window of a prefetcher that sizes its own by hits
 *	and has a limit of its own
 */
struct swaplab_prefetch_fault {
	unsigned long index;
	unsigned long nr_pages;
	unsigned int hits;
	unsigned int window;
};

/**
 * struct swaplab_prefetch_ops - a prefetcher
 * @name: its name, as written to the prefetcher knob
 * @state_size: bytes of state per region, at most
 *	%SWAPLAB_PREFETCH_STATE_MAX
 * @fault: a major fault at @pf->index (every one, even with @max 0, so
 *	that a prefetcher with a history sees them all): write to @pages
 *	the indices of up to @max other pages of the region to read with it, most wanted
 *	first, none twice, none equal to @pf->index, all below
 *	@pf->nr_pages; return how many. The core skips those it cannot
 *	read (not in the store, already resident). Never sleeps.
 * @hit: optional: the first use of a page read ahead in the region, at
 *	@index: a fault avoided, which a prefetcher that learns from every
 *	fault there would have been wants to see. Not called for pages the
 *	core maps as it reads them (fault-around), whose first use it does
 *	not see.
 */
struct swaplab_prefetch_ops {
	const char *name;
	unsigned int state_size;
	unsigned int (*fault)(void *state,
			      const struct swaplab_prefetch_fault *pf,
			      unsigned long *pages, unsigned int max);
	void (*hit)(void *state, unsigned long index);
};

/* In each prefetcher's file: its state fits a region's. */
#define SWAPLAB_PREFETCH_STATE_FITS(type) \
	static_assert(sizeof(type) <= SWAPLAB_PREFETCH_STATE_MAX)

extern struct swaplab_prefetch_ops swaplab_prefetch_none;
extern struct swaplab_prefetch_ops swaplab_prefetch_window;
extern struct swaplab_prefetch_ops swaplab_prefetch_adaptive;
extern struct swaplab_prefetch_ops swaplab_prefetch_leap;

/**
 * swaplab_prefetch_hit_window() - the window pages used earn
 * @hits: pages read ahead that were used since the last major fault
 *
 * The kernel's swap readahead rule (__swapin_nr_pages()): hits + 2
 * rounded up to a power of two, at least 4.
 *
 * Return: the window, the faulting page counted, at most
 * %SWAPLAB_PREFETCH_MAX + 1.
 */
static inline unsigned int swaplab_prefetch_hit_window(unsigned int hits)
{
	unsigned int win = 4;

	while (win < hits + 2 && win <= SWAPLAB_PREFETCH_MAX)
		win <<= 1;
	return win;
}

/**
 * swaplab_prefetch_run() - the pages at a constant stride from a fault
 * @pf: the fault
 * @stride: pages between two of them (negative: backwards), not 0
 * @nr: how many are wanted
 * @pages: where they go
 *
 * Return: how many were written: up to @nr, stopping at either end of
 * the region.
 */
static inline unsigned int
swaplab_prefetch_run(const struct swaplab_prefetch_fault *pf, long stride,
		     unsigned int nr, unsigned long *pages)
{
	unsigned long index = pf->index;
	unsigned int n;

	for (n = 0; n < nr; n++) {
		if (stride < 0 ? index < (unsigned long)-stride :
				 pf->nr_pages - index <= (unsigned long)stride)
			break;
		index += stride;
		pages[n] = index;
	}
	return n;
}

#ifdef __KERNEL__
/*
 * Selection, the knobs and the fault path's calls (prefetch.c), as the
 * rest of the module makes them. The names: each prefetcher's ops is
 * swaplab_prefetch_<name>, in prefetch_<name>.c; every other
 * swaplab_prefetch_*() is prefetch.c's, or an inline helper above.
 */
struct swaplab_region;

/* The readahead knob's names for adaptive and leap (not numbers of pages). */
#define SWAPLAB_READAHEAD_AUTO	UINT_MAX
#define SWAPLAB_READAHEAD_LEAP	(UINT_MAX - 1)
/* The configured window's default: the kernel's page-cluster 3. */
#define SWAPLAB_PREFETCH_WINDOW_DEFAULT	8

int swaplab_prefetch_select(const char *name);
const char *swaplab_prefetch_name(void);
ssize_t swaplab_prefetch_list(char *buf);
unsigned int swaplab_prefetch_get_window_size(void);
int swaplab_prefetch_set_window_size(unsigned int pages);
bool swaplab_prefetch_off(void);
unsigned int swaplab_prefetch_readahead(void);
int swaplab_prefetch_set_readahead(unsigned int pages);
int swaplab_prefetch_stat(char *buf, int len);
void swaplab_prefetch_issued(struct swaplab_region *region, unsigned int nr);
void swaplab_prefetch_region_init(struct swaplab_region *region);
unsigned int swaplab_prefetch_ask(struct swaplab_region *region,
				  pgoff_t index, unsigned long *pages,
				  unsigned int max);
void swaplab_prefetch_hit(struct swaplab_region *region, pgoff_t index,
			  unsigned int used);
#endif /* __KERNEL__ */

#endif /* _SWAPLAB_PREFETCH_H */
