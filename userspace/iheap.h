/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary min-heaps of page ids by a key, for the simulator's exact OPT:
 * a page is in at most one heap of a set; its place lives in an array
 * indexed by page id, so a page's key can change where it is, and every
 * operation is O(log n) with nothing allocated per reference. Keys are
 * compared alone: the order among pages of equal keys is the heap's.
 */
#ifndef SWAPLAB_IHEAP_H
#define SWAPLAB_IHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/**
 * struct iplaces - the places of every page, shared by a set of heaps
 * @at: a page's place in its heap plus one, or 0 for none
 * @key: a page's key, the caller's: a heap's least is its top
 */
struct iplaces {
	size_t *at;
	const size_t *key;
};

/**
 * struct iheap - one heap
 * @page: its pages, @page[0] the one with the least key
 * @n: how many it holds
 */
struct iheap {
	size_t *page;
	size_t n;
};

/* Places for @npages pages by @key, none in a heap; 0, or -1. */
static inline int iplaces_init(struct iplaces *h, size_t npages,
			       const size_t *key)
{
	h->at = calloc(npages ? npages : 1, sizeof(*h->at));
	h->key = key;
	return h->at ? 0 : -1;
}

static inline void iplaces_free(struct iplaces *h)
{
	free(h->at);
}

/* An empty heap of room for @max pages; 0, or -1 without memory. */
static inline int iheap_init(struct iheap *q, size_t max)
{
	q->page = malloc((max ? max : 1) * sizeof(*q->page));
	q->n = 0;
	return q->page ? 0 : -1;
}

static inline void iheap_free(struct iheap *q)
{
	free(q->page);
}

static inline void iheap_put(struct iplaces *h, struct iheap *q, size_t i,
			     size_t p)
{
	q->page[i] = p;
	h->at[p] = i + 1;
}

/* Move the page at @i towards the top while its parent's key is larger. */
static inline void iheap_up(struct iplaces *h, struct iheap *q, size_t i)
{
	size_t p = q->page[i], k = h->key[p], up;

	for (; i; i = up) {
		up = (i - 1) / 2;
		if (h->key[q->page[up]] <= k)
			break;
		iheap_put(h, q, i, q->page[up]);
	}
	iheap_put(h, q, i, p);
}

/* Move the page at @i down while a child's key is smaller. */
static inline void iheap_down(struct iplaces *h, struct iheap *q, size_t i)
{
	size_t p = q->page[i], k = h->key[p], c;

	for (; (c = 2 * i + 1) < q->n; i = c) {
		if (c + 1 < q->n && h->key[q->page[c + 1]] < h->key[q->page[c]])
			c++;
		if (h->key[q->page[c]] >= k)
			break;
		iheap_put(h, q, i, q->page[c]);
	}
	iheap_put(h, q, i, p);
}

/* Put page @p, in no heap, into @q, which has room for it. */
static inline void iheap_push(struct iplaces *h, struct iheap *q, size_t p)
{
	q->page[q->n++] = p;
	iheap_up(h, q, q->n - 1);
}

/* Page @p of @q has a new key: its place follows it. */
static inline void iheap_fix(struct iplaces *h, struct iheap *q, size_t p)
{
	iheap_up(h, q, h->at[p] - 1);
	iheap_down(h, q, h->at[p] - 1);
}

/* Take page @p, which is in @q, out of it. */
static inline void iheap_del(struct iplaces *h, struct iheap *q, size_t p)
{
	size_t i = h->at[p] - 1, last = q->page[--q->n];

	h->at[p] = 0;
	if (i == q->n)
		return;
	iheap_put(h, q, i, last);
	iheap_fix(h, q, last);
}

/* Take the page of the least key out of @q, not empty, and return it. */
static inline size_t iheap_pop(struct iplaces *h, struct iheap *q)
{
	size_t p = q->page[0];

	iheap_del(h, q, p);
	return p;
}

/* Is page @p in a heap of the set? */
static inline bool iheap_has(const struct iplaces *h, size_t p)
{
	return h->at[p];
}

#endif /* SWAPLAB_IHEAP_H */
