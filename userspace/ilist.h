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
#include <stdlib.h>

#define ILIST_NONE	((size_t)-1)

/**
 * struct ilinks - the links of every page, shared by a set of lists
 * @prev: towards the head (ILIST_NONE at the head)
 * @next: towards the tail (ILIST_NONE at the tail)
 * @on: the list a page is on (a caller's number), or 0 for none
 */
struct ilinks {
	size_t *prev;
	size_t *next;
	unsigned char *on;
};

/**
 * struct ilist - one list
 * @head: its most recent page, or ILIST_NONE
 * @tail: its least recent page, or ILIST_NONE
 * @n: how many pages it holds
 * @id: the number ilinks.on holds for its pages (not 0)
 */
struct ilist {
	size_t head;
	size_t tail;
	size_t n;
	unsigned char id;
};

/* Links for @npages pages, none on a list; 0, or -1 without memory. */
static inline int ilinks_init(struct ilinks *l, size_t npages)
{
	l->prev = malloc(npages * sizeof(*l->prev));
	l->next = malloc(npages * sizeof(*l->next));
	l->on = calloc(npages, 1);
	return l->prev && l->next && l->on ? 0 : -1;
}

static inline void ilinks_free(struct ilinks *l)
{
	free(l->prev);
	free(l->next);
	free(l->on);
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
	if (l->prev[p] != ILIST_NONE)
		l->next[l->prev[p]] = l->next[p];
	else
		q->head = l->next[p];
	if (l->next[p] != ILIST_NONE)
		l->prev[l->next[p]] = l->prev[p];
	else
		q->tail = l->prev[p];
	l->on[p] = 0;
	q->n--;
}

/* Put page @p, on no list, at the head (most recent end) of @q. */
static inline void ilist_push(struct ilinks *l, struct ilist *q, size_t p)
{
	l->prev[p] = ILIST_NONE;
	l->next[p] = q->head;
	if (q->head != ILIST_NONE)
		l->prev[q->head] = p;
	else
		q->tail = p;
	q->head = p;
	l->on[p] = q->id;
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
	return l->on[p] == q->id;
}

#endif /* SWAPLAB_ILIST_H */
