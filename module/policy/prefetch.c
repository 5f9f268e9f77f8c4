// SPDX-License-Identifier: GPL-2.0
/*
 * The prefetchers: the registry of the built-in ones (prefetch_*.c, also
 * built into the simulator), the selection by name, the window knob, and
 * each region's state for the selected one.
 *
 * A major fault asks the selected prefetcher which pages to read with its
 * own (swaplab_prefetch_ask(), from fault.c); the first use of a page
 * read ahead is reported back (swaplab_prefetch_hit()). A region keeps
 * the state of the prefetcher it last asked, under its own spinlock, and
 * starts it afresh when the selection has changed since.
 *
 * The readahead knob of before is kept as another way to say the same:
 * auto is adaptive, 0 is none, a number N is window with a window of N.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "api/prefetch.h"
#include "api/region.h"

static const struct swaplab_prefetch_ops * const swaplab_prefetchers[] = {
	&swaplab_prefetch_none,
	&swaplab_prefetch_window,
	&swaplab_prefetch_adaptive,
	&swaplab_prefetch_leap,
};

/*
 * Pages each prefetcher had read, and of those the ones used; by place in
 * swaplab_prefetchers[]. A hit counts for the prefetcher that the page's
 * region last asked, which read it unless the selection changed between
 * the read and the use.
 */
static atomic_long_t swaplab_prefetch_nr_issued[ARRAY_SIZE(swaplab_prefetchers)];
static atomic_long_t swaplab_prefetch_nr_hits[ARRAY_SIZE(swaplab_prefetchers)];

/* The selected prefetcher; READ_ONCE()/WRITE_ONCE(), never NULL. */
static const struct swaplab_prefetch_ops *swaplab_prefetch_cur =
	&swaplab_prefetch_adaptive;
/* The configured window; READ_ONCE()/WRITE_ONCE(). */
static unsigned int swaplab_prefetch_win = SWAPLAB_PREFETCH_WINDOW_DEFAULT;

/**
 * swaplab_prefetch_select() - select a prefetcher by name
 * @name: its name; a trailing newline is ignored
 *
 * Regions start the new one afresh at their next major fault.
 *
 * Return: 0, or -EINVAL for a name that is not one.
 */
int swaplab_prefetch_select(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swaplab_prefetchers); i++) {
		if (sysfs_streq(name, swaplab_prefetchers[i]->name)) {
			WRITE_ONCE(swaplab_prefetch_cur, swaplab_prefetchers[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * swaplab_prefetch_name() - the selected prefetcher's name
 *
 * Return: the name.
 */
const char *swaplab_prefetch_name(void)
{
	return READ_ONCE(swaplab_prefetch_cur)->name;
}

/**
 * swaplab_prefetch_list() - the prefetchers' names, for a sysfs file
 * @buf: a sysfs page
 *
 * Return: bytes written: the names separated by spaces, then a newline.
 */
ssize_t swaplab_prefetch_list(char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swaplab_prefetchers); i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
				     swaplab_prefetchers[i]->name);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/* A prefetcher's place in swaplab_prefetchers[]. */
static unsigned int swaplab_prefetch_id(const struct swaplab_prefetch_ops *ops)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swaplab_prefetchers) - 1; i++)
		if (swaplab_prefetchers[i] == ops)
			break;
	return i;
}

/**
 * swaplab_prefetch_stat() - each prefetcher's counters, for the stat file
 * @buf: a sysfs page
 * @len: bytes already in it
 *
 * Return: @len with the lines added: prefetch_<name>_issued, the pages it
 * had read, and prefetch_<name>_hits, those used before their eviction.
 */
int swaplab_prefetch_stat(char *buf, int len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swaplab_prefetchers); i++) {
		const char *name = swaplab_prefetchers[i]->name;

		len += sysfs_emit_at(buf, len, "prefetch_%s_issued %ld\n", name,
				     atomic_long_read(&swaplab_prefetch_nr_issued[i]));
		len += sysfs_emit_at(buf, len, "prefetch_%s_hits %ld\n", name,
				     atomic_long_read(&swaplab_prefetch_nr_hits[i]));
	}
	return len;
}

/**
 * swaplab_prefetch_issued() - count pages read ahead for a region
 * @region: the region, whose prefetcher was just asked
 * @nr: the pages read
 */
void swaplab_prefetch_issued(struct swaplab_region *region, unsigned int nr)
{
	const struct swaplab_prefetch_ops *ops = READ_ONCE(region->pf_ops);

	if (ops && nr)
		atomic_long_add(nr, &swaplab_prefetch_nr_issued[swaplab_prefetch_id(ops)]);
}

/**
 * swaplab_prefetch_get_window_size() - the configured window
 *
 * Return: pages: the window of "window", the largest of "leap".
 */
unsigned int swaplab_prefetch_get_window_size(void)
{
	return READ_ONCE(swaplab_prefetch_win);
}

/**
 * swaplab_prefetch_set_window_size() - set the configured window
 * @pages: 1 to %SWAPLAB_PREFETCH_MAX
 *
 * Return: 0, or -EINVAL out of range.
 */
int swaplab_prefetch_set_window_size(unsigned int pages)
{
	if (!pages || pages > SWAPLAB_PREFETCH_MAX)
		return -EINVAL;
	WRITE_ONCE(swaplab_prefetch_win, pages);
	return 0;
}

/**
 * swaplab_prefetch_off() - whether the selected prefetcher reads nothing
 *
 * Return: true for none, whose faults need no room for pages to read.
 */
bool swaplab_prefetch_off(void)
{
	return READ_ONCE(swaplab_prefetch_cur) == &swaplab_prefetch_none;
}

/**
 * swaplab_prefetch_readahead() - the readahead knob: the selection, said
 *	the old way
 *
 * Return: %SWAPLAB_READAHEAD_AUTO for adaptive, 0 for none, the window
 * for window, %SWAPLAB_READAHEAD_LEAP for leap.
 */
unsigned int swaplab_prefetch_readahead(void)
{
	const struct swaplab_prefetch_ops *cur = READ_ONCE(swaplab_prefetch_cur);

	if (cur == &swaplab_prefetch_adaptive)
		return SWAPLAB_READAHEAD_AUTO;
	if (cur == &swaplab_prefetch_leap)
		return SWAPLAB_READAHEAD_LEAP;
	if (cur == &swaplab_prefetch_window)
		return swaplab_prefetch_get_window_size();
	return 0;
}

/**
 * swaplab_prefetch_set_readahead() - set the readahead knob
 * @pages: %SWAPLAB_READAHEAD_AUTO (adaptive), %SWAPLAB_READAHEAD_LEAP
 *	(leap), 0 (none), or a window of 1 to %SWAPLAB_PREFETCH_MAX pages
 *	(window, of that size)
 *
 * Return: 0, or -EINVAL for any other number.
 */
int swaplab_prefetch_set_readahead(unsigned int pages)
{
	const struct swaplab_prefetch_ops *ops = &swaplab_prefetch_window;

	if (pages == SWAPLAB_READAHEAD_AUTO)
		ops = &swaplab_prefetch_adaptive;
	else if (pages == SWAPLAB_READAHEAD_LEAP)
		ops = &swaplab_prefetch_leap;
	else if (!pages)
		ops = &swaplab_prefetch_none;
	else if (swaplab_prefetch_set_window_size(pages))
		return -EINVAL;
	WRITE_ONCE(swaplab_prefetch_cur, ops);
	return 0;
}

/**
 * swaplab_prefetch_region_init() - a new region's prefetcher state
 * @region: the region, being made
 */
void swaplab_prefetch_region_init(struct swaplab_region *region)
{
	spin_lock_init(&region->pf_lock);
	region->pf_ops = NULL;
	atomic_set(&region->ra_hits, 0);
}

/* The region's state for the selected prefetcher, afresh if it changed. */
static const struct swaplab_prefetch_ops *
swaplab_prefetch_state(struct swaplab_region *region)
{
	const struct swaplab_prefetch_ops *ops = READ_ONCE(swaplab_prefetch_cur);

	lockdep_assert_held(&region->pf_lock);
	if (region->pf_ops != ops) {
		memset(region->pf_state, 0, sizeof(region->pf_state));
		/* The hits were the last one's pages: not this one's to use. */
		atomic_set(&region->ra_hits, 0);
		WRITE_ONCE(region->pf_ops, ops);
	}
	return ops;
}

/**
 * swaplab_prefetch_ask() - which pages a major fault should read with its own
 * @region: the region
 * @index: the faulting page's index
 * @pages: where the indices go
 * @max: at most this many (free frames): asked even with 0, so that the
 *	prefetcher sees every major fault
 *
 * Hands the prefetcher the hits since the region's last major fault.
 *
 * Context: any; takes the region's prefetcher spinlock.
 * Return: how many indices were written to @pages: each below the
 * region's size, none equal to @index.
 */
unsigned int swaplab_prefetch_ask(struct swaplab_region *region,
				  pgoff_t index, unsigned long *pages,
				  unsigned int max)
{
	struct swaplab_prefetch_fault pf = {
		.index = index,
		.nr_pages = region->max_pages,
		.window = swaplab_prefetch_get_window_size(),
	};
	const struct swaplab_prefetch_ops *ops;
	unsigned int n, i, kept = 0;

	max = min_t(unsigned int, max, SWAPLAB_PREFETCH_MAX);
	spin_lock(&region->pf_lock);
	ops = swaplab_prefetch_state(region);
	pf.hits = atomic_xchg(&region->ra_hits, 0);
	n = ops->fault(region->pf_state, &pf, pages, max);
	spin_unlock(&region->pf_lock);
	/* Trust no prefetcher with the region's bounds. */
	for (i = 0; i < min(n, max); i++)
		if (pages[i] < region->max_pages && pages[i] != index)
			pages[kept++] = pages[i];
	return kept;
}

/**
 * swaplab_prefetch_hit() - the first use of a page read ahead
 * @region: the region
 * @index: the page's index
 * @used: pages read ahead this use stands for (fault-around maps pages
 *	whose own first use is not seen)
 *
 * Context: any; takes the region's prefetcher spinlock.
 */
void swaplab_prefetch_hit(struct swaplab_region *region, pgoff_t index,
			  unsigned int used)
{
	const struct swaplab_prefetch_ops *ops;

	atomic_add(used, &region->ra_hits);
	spin_lock(&region->pf_lock);
	/* The prefetcher that read it: the region's, if still selected. */
	ops = region->pf_ops;
	if (ops) {
		atomic_long_add(used, &swaplab_prefetch_nr_hits[swaplab_prefetch_id(ops)]);
		if (ops == READ_ONCE(swaplab_prefetch_cur) && ops->hit)
			ops->hit(region->pf_state, index);
	}
	spin_unlock(&region->pf_lock);
}

/* The per-region state must hold the largest prefetcher's. */
static_assert(sizeof_field(struct swaplab_region, pf_state) ==
	      SWAPLAB_PREFETCH_STATE_MAX);
