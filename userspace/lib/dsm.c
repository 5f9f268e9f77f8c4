// SPDX-License-Identifier: GPL-2.0
/*
 * Ivy's write-invalidate protocol with the fixed distributed manager (Li
 * and Hudak, "Memory coherence in shared virtual memory systems", ACM
 * TOCS 7(4), 1989), one node of it. Each page has a manager, page mod
 * nodes, which knows its owner and serves one request for it at a time;
 * the owner holds the page and the copyset, the nodes with read copies.
 *
 *  - A read fault on a page this node has no access to asks the manager
 *    (READ_REQ), which forwards to the owner (FWD_READ); the owner makes
 *    its own copy read-only (CLEAN), adds the reader to the copyset and
 *    sends the page (PAGE); the reader maps it read-only and tells the
 *    manager (CONFIRM), which serves the next request.
 *  - A write fault asks for ownership (WRITE_REQ, FWD_WRITE); the owner
 *    drops its copy (FLUSH) and sends the page with the copyset (PAGE
 *    with DSM_PAGE_OWNER); the new owner invalidates every other copy
 *    (INVALIDATE, INV_ACK), and only then maps the page writable and
 *    confirms. An owner with a read copy that writes invalidates alone.
 *
 * So a page has one writer or any readers, never both, and every copy a
 * node reads is the last one written (sequential consistency). A node's
 * access to a page is its right; the kernel's mapping never gives more:
 * pages are supplied read-only unless the node may write, and taken back
 * (FLUSH, CLEAN) before the node's access is lowered.
 *
 * The kernel asks once for a page (DATA_REQUEST) and once for write
 * access (DATA_UNLOCK); it does not say whether a missing page is wanted
 * for writing, so a write to a page not here asks twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dsm.h"

/* The kernel's request waiting on a page, if any. */
enum { KREQ_NONE, KREQ_DATA, KREQ_UNLOCK };

/* What this node asked the page's manager for, if anything. */
enum { ASK_NONE, ASK_READ, ASK_WRITE };

/* A request waiting at a manager for the one it serves to be confirmed. */
struct dsm_wait {
	struct dsm_wait *next;
	uint8_t type;		/* DSM_READ_REQ or DSM_WRITE_REQ */
	uint16_t requester;
};

struct dsm_page {
	uint8_t access;		/* enum dsm_access */
	bool owner;
	uint8_t kreq;		/* KREQ_*: what the kernel waits for */
	uint8_t asked;		/* ASK_*: what the manager was asked */
	uint64_t seq;		/* @kreq's number */
	uint64_t copyset;	/* owner: the readers */
	uint64_t acks;		/* new owner: invalidations not acknowledged */
	/* The manager's part, on the page's manager alone: */
	uint16_t mgr_owner;
	bool mgr_busy;
	struct dsm_wait *head, *tail;
};

/* A message to this node itself, handled after the call that sent it. */
struct dsm_self {
	struct dsm_self *next;
	struct dsm_msg m;
};

struct dsm_node {
	unsigned int id, nodes;
	uint64_t pages;
	size_t page_size;
	const struct dsm_ops *ops;
	void *ctx;
	struct dsm_page *page;
	uint8_t *copy;		/* the node's copy of each page */
	uint8_t *scratch;	/* contents of a copy dropped */
	struct dsm_self *self_head, *self_tail;
	bool draining;
};

static const char *const msg_names[] = {
	[DSM_READ_REQ] = "READ_REQ", [DSM_WRITE_REQ] = "WRITE_REQ",
	[DSM_FWD_READ] = "FWD_READ", [DSM_FWD_WRITE] = "FWD_WRITE",
	[DSM_PAGE] = "PAGE", [DSM_INVALIDATE] = "INVALIDATE",
	[DSM_INV_ACK] = "INV_ACK", [DSM_CONFIRM] = "CONFIRM",
};

/**
 * dsm_msg_name() - a message type's name
 * @type: &enum dsm_msg_type
 *
 * Return: the name, or "?" for a type out of range.
 */
const char *dsm_msg_name(unsigned int type)
{
	return type && type <= DSM_MSG_MAX ? msg_names[type] : "?";
}

/**
 * dsm_manager() - the node that manages a page
 * @n: a node
 * @index: the page
 *
 * Return: @index mod the number of nodes.
 */
unsigned int dsm_manager(const struct dsm_node *n, uint64_t index)
{
	return index % n->nodes;
}

static uint8_t *copy_of(struct dsm_node *n, uint64_t index)
{
	return n->copy + index * n->page_size;
}

static void note(struct dsm_node *n, uint64_t index, const char *what)
{
	char line[160];

	if (!n->ops->log)
		return;
	snprintf(line, sizeof(line), "node %u page %llu: %s", n->id,
		 (unsigned long long)index, what);
	n->ops->log(n->ctx, line);
}

static void set_access(struct dsm_node *n, uint64_t index, uint8_t access)
{
	static const char *const names[] = { "nil", "read", "write" };
	char what[64];

	if (n->page[index].access == access)
		return;
	snprintf(what, sizeof(what), "access %s -> %s",
		 names[n->page[index].access], names[access]);
	n->page[index].access = access;
	note(n, index, what);
}

/*
 * Send @type about @index to node @to, with @data for DSM_PAGE; to this
 * node itself through its own queue, handled once the current call is
 * done. A peer that is gone is not an error here: what waits on it times
 * out in the kernel.
 */
static void post(struct dsm_node *n, unsigned int to, uint8_t type,
		 uint64_t index, uint16_t requester, uint8_t flags,
		 uint64_t copyset, const void *data)
{
	struct dsm_msg m = {
		.type = type, .flags = flags, .from = n->id,
		.requester = requester, .index = index, .copyset = copyset,
	};
	struct dsm_self *s;

	if (to != n->id) {
		if (n->ops->send(n->ctx, to, &m, data))
			note(n, index, "a message to a peer that is gone");
		return;
	}
	/* Only requests and confirmations go to oneself: no page. */
	s = malloc(sizeof(*s));
	if (!s) {
		note(n, index, "out of memory for a message to itself");
		return;
	}
	s->next = NULL;
	s->m = m;
	if (n->self_tail)
		n->self_tail->next = s;
	else
		n->self_head = s;
	n->self_tail = s;
}

/**
 * dsm_node_new() - one node's engine
 * @id: this node, 0 to @nodes - 1
 * @nodes: how many, 1 to %DSM_NODES_MAX
 * @pages: the shared region's pages
 * @page_size: bytes a page
 * @ops: how it acts
 * @ctx: handed to @ops
 *
 * Each page starts owned, with write access, by its manager, and reads
 * as zeroes. The caller flushes every page of the node's region before
 * it serves (so that every first touch asks).
 *
 * Return: the node, or NULL (errno EINVAL, ENOMEM).
 */
struct dsm_node *dsm_node_new(unsigned int id, unsigned int nodes,
			      uint64_t pages, size_t page_size,
			      const struct dsm_ops *ops, void *ctx)
{
	struct dsm_node *n;

	if (!nodes || nodes > DSM_NODES_MAX || id >= nodes || !pages ||
	    !page_size || pages > SIZE_MAX / page_size) {
		errno = EINVAL;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->id = id;
	n->nodes = nodes;
	n->pages = pages;
	n->page_size = page_size;
	n->ops = ops;
	n->ctx = ctx;
	n->page = calloc(pages, sizeof(*n->page));
	n->copy = calloc(pages, page_size);
	n->scratch = malloc(page_size);
	if (!n->page || !n->copy || !n->scratch) {
		dsm_node_free(n);
		errno = ENOMEM;
		return NULL;
	}
	for (uint64_t p = 0; p < pages; p++) {
		struct dsm_page *pg = &n->page[p];

		pg->mgr_owner = p % nodes;
		if (pg->mgr_owner == id) {
			pg->owner = true;
			pg->access = DSM_WRITE;
		}
	}
	return n;
}

/**
 * dsm_node_free() - free a node's engine
 * @n: the node, or NULL
 */
void dsm_node_free(struct dsm_node *n)
{
	if (!n)
		return;
	for (uint64_t p = 0; n->page && p < n->pages; p++) {
		while (n->page[p].head) {
			struct dsm_wait *w = n->page[p].head;

			n->page[p].head = w->next;
			free(w);
		}
	}
	while (n->self_head) {
		struct dsm_self *s = n->self_head;

		n->self_head = s->next;
		free(s);
	}
	free(n->page);
	free(n->copy);
	free(n->scratch);
	free(n);
}

/**
 * dsm_access() - this node's access to a page
 * @n: the node
 * @index: the page, below the region's pages
 *
 * Return: &enum dsm_access.
 */
enum dsm_access dsm_access(const struct dsm_node *n, uint64_t index)
{
	return n->page[index].access;
}

static void drain_self(struct dsm_node *n);

static void ask(struct dsm_node *n, uint64_t index, uint8_t what)
{
	n->page[index].asked = what;
	post(n, dsm_manager(n, index),
	     what == ASK_READ ? DSM_READ_REQ : DSM_WRITE_REQ, index, n->id, 0,
	     0, NULL);
}

/*
 * Answer what the kernel waits for on @index, as far as this node's
 * access allows; ask the manager for more if that is not enough.
 */
static void complete(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];

	switch (pg->kreq) {
	case KREQ_DATA:
		if (pg->access == DSM_NIL)
			break;
		/* ESRCH: the fault went (a timeout, a signal): no matter. */
		n->ops->supply(n->ctx, index, pg->seq, copy_of(n, index),
			       pg->access != DSM_WRITE);
		pg->kreq = KREQ_NONE;
		break;
	case KREQ_UNLOCK:
		if (pg->access == DSM_WRITE) {
			/* Its read-only page is this copy: keep it. */
			n->ops->unlock(n->ctx, index, pg->seq, NULL);
			pg->kreq = KREQ_NONE;
		} else if (pg->asked == ASK_NONE) {
			ask(n, index, ASK_WRITE);
		}
		break;
	}
}

/**
 * dsm_on_request() - the kernel's DATA_REQUEST: a fault needs the page
 * @n: the node
 * @index: the page
 * @seq: the request's number, for SUPPLY
 *
 * Served at once from this node's copy if it has access, else asked of
 * the page's manager.
 *
 * Return: 0, or -EINVAL for a page out of the region.
 */
int dsm_on_request(struct dsm_node *n, uint64_t index, uint64_t seq)
{
	struct dsm_page *pg;

	if (index >= n->pages)
		return -EINVAL;
	pg = &n->page[index];
	pg->kreq = KREQ_DATA;
	pg->seq = seq;
	if (pg->access != DSM_NIL)
		complete(n, index);
	else if (pg->asked == ASK_NONE)
		ask(n, index, ASK_READ);
	drain_self(n);
	return 0;
}

/**
 * dsm_on_unlock() - the kernel's DATA_UNLOCK: a write to a page this node
 *	has read-only
 * @n: the node
 * @index: the page
 * @seq: the request's number, for UNLOCK
 *
 * Return: 0, or -EINVAL for a page out of the region.
 */
int dsm_on_unlock(struct dsm_node *n, uint64_t index, uint64_t seq)
{
	struct dsm_page *pg;

	if (index >= n->pages)
		return -EINVAL;
	pg = &n->page[index];
	pg->kreq = KREQ_UNLOCK;
	pg->seq = seq;
	complete(n, index);
	drain_self(n);
	return 0;
}

/**
 * dsm_on_return() - the kernel evicted a page it wrote (DATA_RETURN),
 *	and the caller took it
 * @n: the node
 * @index: the page
 * @data: its contents
 *
 * This node's copy is the page now, until the next fault asks for it.
 */
void dsm_on_return(struct dsm_node *n, uint64_t index, const void *data)
{
	if (index < n->pages)
		memcpy(copy_of(n, index), data, n->page_size);
}

/* The manager serves a request for @index, or queues it. */
static void mgr_request(struct dsm_node *n, uint64_t index, uint8_t type,
			uint16_t requester)
{
	struct dsm_page *pg = &n->page[index];

	if (pg->mgr_busy) {
		struct dsm_wait *w = malloc(sizeof(*w));

		if (!w) {
			note(n, index, "out of memory for a request: dropped");
			return;
		}
		w->next = NULL;
		w->type = type;
		w->requester = requester;
		if (pg->tail)
			pg->tail->next = w;
		else
			pg->head = w;
		pg->tail = w;
		return;
	}
	pg->mgr_busy = true;
	post(n, pg->mgr_owner,
	     type == DSM_READ_REQ ? DSM_FWD_READ : DSM_FWD_WRITE, index,
	     requester, 0, 0, NULL);
	if (type == DSM_WRITE_REQ)
		pg->mgr_owner = requester;
}

static void mgr_confirm(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];
	struct dsm_wait *w = pg->head;

	pg->mgr_busy = false;
	if (!w)
		return;
	pg->head = w->next;
	if (!pg->head)
		pg->tail = NULL;
	mgr_request(n, index, w->type, w->requester);
	free(w);
}

/* Take @index back from the kernel: its contents into this node's copy. */
static void take_back(struct dsm_node *n, uint64_t index, enum dsm_lock_op op)
{
	int st = n->ops->lock(n->ctx, op, index, n->scratch);

	if (st == DSM_WRITTEN)
		memcpy(copy_of(n, index), n->scratch, n->page_size);
	else if (st < 0)
		note(n, index, "taking the page back failed");
}

/* The owner shares @index with @reader: its own copy turns read-only. */
static void owner_read(struct dsm_node *n, uint64_t index, uint16_t reader)
{
	struct dsm_page *pg = &n->page[index];

	if (pg->access == DSM_WRITE) {
		take_back(n, index, DSM_CLEAN);
		set_access(n, index, DSM_READ);
	}
	pg->copyset |= 1ull << reader;
	post(n, reader, DSM_PAGE, index, reader, 0, 0, copy_of(n, index));
}

static void finish_write(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];

	pg->copyset = 0;
	pg->asked = ASK_NONE;
	set_access(n, index, DSM_WRITE);
	post(n, dsm_manager(n, index), DSM_CONFIRM, index, n->id, 0, 0,
	     NULL);
	complete(n, index);
}

/* Invalidate every copy in @readers; write once all say so. */
static void invalidate(struct dsm_node *n, uint64_t index, uint64_t readers)
{
	struct dsm_page *pg = &n->page[index];

	readers &= ~(1ull << n->id);
	pg->acks = readers;
	if (!readers) {
		finish_write(n, index);
		return;
	}
	for (unsigned int i = 0; i < n->nodes; i++)
		if (readers & (1ull << i))
			post(n, i, DSM_INVALIDATE, index, n->id, 0, 0, NULL);
}

/* The owner hands @index to @writer, or, if it is the writer, writes. */
static void owner_write(struct dsm_node *n, uint64_t index, uint16_t writer)
{
	struct dsm_page *pg = &n->page[index];
	uint64_t readers = pg->copyset;

	if (writer == n->id) {
		invalidate(n, index, readers);
		return;
	}
	take_back(n, index, DSM_FLUSH);
	set_access(n, index, DSM_NIL);
	pg->owner = false;
	pg->copyset = 0;
	post(n, writer, DSM_PAGE, index, writer, DSM_PAGE_OWNER, readers,
	     copy_of(n, index));
}

/* The page arrived: a read copy, or the page with its ownership. */
static void got_page(struct dsm_node *n, const struct dsm_msg *m,
		     const void *data)
{
	struct dsm_page *pg = &n->page[m->index];

	memcpy(copy_of(n, m->index), data, n->page_size);
	if (!(m->flags & DSM_PAGE_OWNER)) {
		set_access(n, m->index, DSM_READ);
		pg->asked = ASK_NONE;
		post(n, dsm_manager(n, m->index), DSM_CONFIRM, m->index, n->id,
		     0, 0, NULL);
		complete(n, m->index);
		return;
	}
	pg->owner = true;
	note(n, m->index, "owner");
	invalidate(n, m->index, m->copyset);
}

static void dropped_copy(struct dsm_node *n, const struct dsm_msg *m)
{
	take_back(n, m->index, DSM_FLUSH);
	set_access(n, m->index, DSM_NIL);
	post(n, m->from, DSM_INV_ACK, m->index, m->from, 0, 0, NULL);
}

static void acked(struct dsm_node *n, const struct dsm_msg *m)
{
	struct dsm_page *pg = &n->page[m->index];
	uint64_t bit = 1ull << m->from;

	if (!(pg->acks & bit)) {
		note(n, m->index, "an acknowledgment not waited for");
		return;
	}
	pg->acks &= ~bit;
	if (!pg->acks)
		finish_write(n, m->index);
}

/*
 * Is @m a message this node can be sent now? Checked before anything
 * changes: a message that does not fit is the peer's error.
 */
static int check_msg(const struct dsm_node *n, const struct dsm_msg *m,
		     const void *data)
{
	bool carries_page = m->type == DSM_PAGE;
	const struct dsm_page *pg;

	if (m->type < DSM_READ_REQ || m->type > DSM_MSG_MAX ||
	    m->from >= n->nodes || m->requester >= n->nodes ||
	    m->index >= n->pages || m->flags & ~DSM_PAGE_OWNER ||
	    carries_page != !!data)
		return -EINVAL;
	pg = &n->page[m->index];
	switch (m->type) {
	case DSM_READ_REQ:
	case DSM_WRITE_REQ:
	case DSM_CONFIRM:
		/* Only the manager is asked, only by the requester itself. */
		if (dsm_manager(n, m->index) != n->id ||
		    m->requester != m->from)
			return -EPROTO;
		if (m->type == DSM_CONFIRM && !pg->mgr_busy)
			return -EPROTO;
		break;
	case DSM_FWD_READ:
	case DSM_FWD_WRITE:
		/* From the manager, to the owner. */
		if (m->from != dsm_manager(n, m->index) || !pg->owner)
			return -EPROTO;
		break;
	case DSM_PAGE:
		/* What this node asked for, from anyone but itself. */
		if (m->requester != n->id || m->from == n->id ||
		    pg->asked == ASK_NONE ||
		    ((m->flags & DSM_PAGE_OWNER) ? pg->asked != ASK_WRITE :
						   pg->asked != ASK_READ) ||
		    (n->nodes < 64 && m->copyset >> n->nodes))
			return -EPROTO;
		break;
	case DSM_INVALIDATE:
		if (pg->owner || m->from == n->id)
			return -EPROTO;
		break;
	case DSM_INV_ACK:
		if (!(pg->acks & (1ull << m->from)))
			return -EPROTO;
		break;
	}
	return 0;
}

static void handle(struct dsm_node *n, const struct dsm_msg *m,
		   const void *data)
{
	switch (m->type) {
	case DSM_READ_REQ:
	case DSM_WRITE_REQ:
		mgr_request(n, m->index, m->type, m->requester);
		break;
	case DSM_CONFIRM:
		mgr_confirm(n, m->index);
		break;
	case DSM_FWD_READ:
		owner_read(n, m->index, m->requester);
		break;
	case DSM_FWD_WRITE:
		owner_write(n, m->index, m->requester);
		break;
	case DSM_PAGE:
		got_page(n, m, data);
		break;
	case DSM_INVALIDATE:
		dropped_copy(n, m);
		break;
	case DSM_INV_ACK:
		acked(n, m);
		break;
	}
}

/* The messages this node sent itself, in order. */
static void drain_self(struct dsm_node *n)
{
	if (n->draining)
		return;
	n->draining = true;
	while (n->self_head) {
		struct dsm_self *s = n->self_head;

		n->self_head = s->next;
		if (!n->self_head)
			n->self_tail = NULL;
		handle(n, &s->m, NULL);
		free(s);
	}
	n->draining = false;
}

/**
 * dsm_on_msg() - a message from a peer
 * @n: the node
 * @m: the message
 * @data: the page, for DSM_PAGE; NULL otherwise
 *
 * A message that does not fit the protocol changes nothing.
 *
 * Return: 0; -EINVAL for a malformed message, -EPROTO for one this node
 * could not have been sent now (the caller closes that peer).
 */
int dsm_on_msg(struct dsm_node *n, const struct dsm_msg *m, const void *data)
{
	int err = check_msg(n, m, data);

	if (err)
		return err;
	handle(n, m, data);
	drain_self(n);
	return 0;
}
