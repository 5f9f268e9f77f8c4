/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary min-heaps of page ids by a key, for the simulator's exact OPT:
 * a page is in at most one heap of a set; its place lives in an array
 * indexed by page id, so a page's key can change where it is, and every
 * operation is O(log n) with nothing allocated per reference. Each entry
 * holds its key beside its page, so that a comparison reads the heap's
 * own array, whose top levels stay in cache, and not a table indexed by
 * page. Keys are compared alone: the order among pages of equal keys is
 * the heap's.
 */
#ifndef SWAPLAB_IHEAP_H
#define SWAPLAB_IHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/hugetab.h"

/**
 * struct iplaces - the places of every page, shared by a set of heaps
 * @at: a page's place in its heap plus one, or 0 for none
 */
struct iplaces {
	uint32_t *at;
};

/**
 * struct ient - a page in a heap
 * @key: its key: the heap's least is its top
 * @page: the page
 */
struct ient {
	size_t key;
	size_t page;
};

/**
 * struct iheap - one heap
 * @e: its entries, @e[0] the one with the least key
 * @n: how many it holds
 */
struct iheap {
	struct ient *e;
	size_t n;
};

/*
 * Places for @npages pages, none in a heap; 0, or -1 without memory or
 * when a heap could hold 2^32 - 1 pages or more.
 */
static inline int iplaces_init(struct iplaces *h, size_t npages)
{
	h->at = npages < UINT32_MAX ?
		hugetab_calloc(npages ? npages : 1, sizeof(*h->at)) : NULL;
	return h->at ? 0 : -1;
}

static inline void iplaces_free(struct iplaces *h)
{
	free(h->at);
}

/* An empty heap of room for @max pages; 0, or -1 without memory. */
static inline int iheap_init(struct iheap *q, size_t max)
{
	q->e = malloc((max ? max : 1) * sizeof(*q->e));
	q->n = 0;
	return q->e ? 0 : -1;
}

static inline void iheap_free(struct iheap *q)
{
	free(q->e);
}

static inline void iheap_put(struct iplaces *h, struct iheap *q, size_t i,
			     struct ient e)
{
	q->e[i] = e;
	h->at[e.page] = i + 1;
}

/* Move entry @e, for place @i, up while a parent's key is larger. */
static inline void iheap_up(struct iplaces *h, struct iheap *q, size_t i,
			    struct ient e)
{
	size_t up;

	for (; i; i = up) {
		up = (i - 1) / 2;
		if (q->e[up].key <= e.key)
			break;
		iheap_put(h, q, i, q->e[up]);
	}
	iheap_put(h, q, i, e);
}

/* Move entry @e, for place @i, down while a child's key is smaller. */
static inline void iheap_down(struct iplaces *h, struct iheap *q, size_t i,
			      struct ient e)
{
	size_t c;

	for (; (c = 2 * i + 1) < q->n; i = c) {
		if (c + 1 < q->n && q->e[c + 1].key < q->e[c].key)
			c++;
		if (q->e[c].key >= e.key)
			break;
		iheap_put(h, q, i, q->e[c]);
	}
	iheap_put(h, q, i, e);
}

/* Entry @e takes place @i: up or down, where its key belongs. */
static inline void iheap_place(struct iplaces *h, struct iheap *q, size_t i,
			       struct ient e)
{
	if (i && q->e[(i - 1) / 2].key > e.key)
		iheap_up(h, q, i, e);
	else
		iheap_down(h, q, i, e);
}

/* Put page @p, in no heap, into @q, which has room for it, with @key. */
static inline void iheap_push(struct iplaces *h, struct iheap *q, size_t p,
			      size_t key)
{
	iheap_up(h, q, q->n++, (struct ient){ .key = key, .page = p });
}

/* Page @p of @q has a new key, @key: its place follows it. */
static inline void iheap_fix(struct iplaces *h, struct iheap *q, size_t p,
			     size_t key)
{
	iheap_place(h, q, h->at[p] - 1, (struct ient){ .key = key, .page = p });
}

/* Take page @p, which is in @q, out of it. */
static inline void iheap_del(struct iplaces *h, struct iheap *q, size_t p)
{
	size_t i = h->at[p] - 1;
	struct ient last = q->e[--q->n];

	h->at[p] = 0;
	if (i != q->n)
		iheap_place(h, q, i, last);
}

/* Take the page of the least key out of @q, not empty, and return it. */
static inline size_t iheap_pop(struct iplaces *h, struct iheap *q)
{
	size_t p = q->e[0].page;

	iheap_del(h, q, p);
	return p;
}

/* Is page @p in a heap of the set? */
static inline bool iheap_has(const struct iplaces *h, size_t p)
{
	return h->at[p];
}

#endif /* SWAPLAB_IHEAP_H */
