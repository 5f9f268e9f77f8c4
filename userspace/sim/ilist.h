/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Doubly linked lists of page ids, for the simulator's exact policies:
 * a page is on at most one list of a set; links live in arrays indexed
 * by page id, so every operation is O(1) and nothing is allocated per
 * reference. The head of a list is its most recent end.
 */
#ifndef SWAPLAB_ILIST_H
#define SWAPLAB_ILIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/hugetab.h"

/* No page: page ids are below it. */
#define ILIST_NONE	((size_t)UINT32_MAX)

/**
 * struct ilink - a page's links, together so that a move reads one place
 * @prev: towards the head (ILIST_NONE at the head)
 * @next: towards the tail (ILIST_NONE at the tail)
 * @on: the list it is on (a caller's number), or 0 for none
 */
struct ilink {
	uint32_t prev;
	uint32_t next;
	unsigned char on;
};

/**
 * struct ilinks - the links of every page, shared by a set of lists
 * @link: each page's, indexed by page id
 */
struct ilinks {
	struct ilink *link;
};

/**
 * struct ilist - one list
 * @head: its most recent page, or ILIST_NONE
 * @tail: its least recent page, or ILIST_NONE
 * @n: how many pages it holds
 * @id: the number its pages' links hold in @on (not 0)
 */
struct ilist {
	size_t head;
	size_t tail;
	size_t n;
	unsigned char id;
};

/*
 * Links for @npages pages, none on a list; 0, or -1 without memory or
 * for ILIST_NONE pages or more.
 */
static inline int ilinks_init(struct ilinks *l, size_t npages)
{
	l->link = npages < ILIST_NONE ?
		  hugetab_calloc(npages ? npages : 1, sizeof(*l->link)) : NULL;
	return l->link ? 0 : -1;
}

static inline void ilinks_free(struct ilinks *l)
{
	free(l->link);
}

/* The list page @p is on (its id), or 0 for none. */
static inline unsigned char ilist_on(const struct ilinks *l, size_t p)
{
	return l->link[p].on;
}

static inline void ilist_init(struct ilist *q, unsigned char id)
{
	q->head = ILIST_NONE;
	q->tail = ILIST_NONE;
	q->n = 0;
	q->id = id;
}

/* Take page @p off @q, which it is on. */
static inline void ilist_del(struct ilinks *l, struct ilist *q, size_t p)
{
	struct ilink *k = &l->link[p];

	if (k->prev != ILIST_NONE)
		l->link[k->prev].next = k->next;
	else
		q->head = k->next;
	if (k->next != ILIST_NONE)
		l->link[k->next].prev = k->prev;
	else
		q->tail = k->prev;
	k->on = 0;
	q->n--;
}

/* Put page @p, on no list, at the head (most recent end) of @q. */
static inline void ilist_push(struct ilinks *l, struct ilist *q, size_t p)
{
	struct ilink *k = &l->link[p];

	k->prev = ILIST_NONE;
	k->next = q->head;
	if (q->head != ILIST_NONE)
		l->link[q->head].prev = p;
	else
		q->tail = p;
	q->head = p;
	k->on = q->id;
	q->n++;
}

/* Take the tail (least recent) page off @q; ILIST_NONE if it is empty. */
static inline size_t ilist_pop(struct ilinks *l, struct ilist *q)
{
	size_t p = q->tail;

	if (p != ILIST_NONE)
		ilist_del(l, q, p);
	return p;
}

/* Is page @p on @q? */
static inline bool ilist_has(const struct ilinks *l, const struct ilist *q,
			     size_t p)
{
	return l->link[p].on == q->id;
}

#endif /* SWAPLAB_ILIST_H */
