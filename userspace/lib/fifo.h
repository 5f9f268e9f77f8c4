/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A first-in, first-out queue of structures linked through a struct
 * fifo_link inside each, header-only: the engine of distributed shared
 * memory keeps its waiting requests and its messages to itself in them,
 * and its simulator its channels and kernel events. A zeroed struct fifo
 * is an empty queue; the queue owns no memory.
 */
#ifndef SWAPLAB_FIFO_H
#define SWAPLAB_FIFO_H

#include <stdbool.h>
#include <stddef.h>

struct fifo_link {
	struct fifo_link *next;
};

struct fifo {
	struct fifo_link *head, *tail;
};

/* The structure of type @type whose member @member is @link. */
#define fifo_entry(link, type, member) \
	((type *)((char *)(link) - offsetof(type, member)))

static inline bool fifo_empty(const struct fifo *q)
{
	return !q->head;
}

/* Put @l at the end of @q. */
static inline void fifo_push(struct fifo *q, struct fifo_link *l)
{
	l->next = NULL;
	if (q->tail)
		q->tail->next = l;
	else
		q->head = l;
	q->tail = l;
}

/* The first of @q, taken off; NULL if @q is empty. */
static inline struct fifo_link *fifo_pop(struct fifo *q)
{
	struct fifo_link *l = q->head;

	if (l) {
		q->head = l->next;
		if (!q->head)
			q->tail = NULL;
	}
	return l;
}

#endif /* SWAPLAB_FIFO_H */
