/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables a replay reads at random, an entry a page or a frame: the
 * simulator's page states, the trace reader's page numbers. Past a few
 * MiB, most lookups miss in the TLB as well as in the cache when the
 * table is in 4 KiB pages; in transparent huge pages (2 MiB) a few dozen
 * TLB entries cover it. Where the system gives huge pages only on
 * request (transparent_hugepage/enabled at madvise, Debian's default),
 * these ask; elsewhere the request changes nothing.
 */
#ifndef SWAPLAB_HUGETAB_H
#define SWAPLAB_HUGETAB_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGETAB_PAGE	(2UL << 20)

/*
 * Ask for huge pages over the whole 2 MiB pages within [@p, @p +
 * @bytes), before they are first written: a page already in memory
 * stays as it is.
 */
static inline void hugetab_advise(void *p, size_t bytes)
{
	uintptr_t start = ((uintptr_t)p + HUGETAB_PAGE - 1) & ~(HUGETAB_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + bytes) & ~(HUGETAB_PAGE - 1);

	if (p && end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/* calloc(@n, @size), on huge pages where it is large enough. */
static inline void *hugetab_calloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	hugetab_advise(p, n * size);
	return p;
}

#endif /* SWAPLAB_HUGETAB_H */
