// SPDX-License-Identifier: GPL-2.0
/*
 * Ivy's write-invalidate protocol with the fixed or the dynamic distributed
 * manager (Li and Hudak, "Memory coherence in shared virtual memory
 * systems", ACM TOCS 7(4), 1989), one node of it. Each page has a manager, page mod
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
 * With the dynamic distributed manager there is no manager: each node
 * keeps a probable owner of each page, and a request goes to it. A node
 * that is not the owner forwards the request to its own probable owner,
 * and, for a write request, takes the requester as the probable owner
 * from then on, since it is about to be. A node whose own request for
 * the page is not yet served (or, as owner, whose invalidations are not
 * all acknowledged) keeps the requests that reach it until it is, as the
 * page lock of Li and Hudak does, and then serves or forwards them: the
 * owner serialises the requests, and no CONFIRM is needed. Once its
 * own request is served, a node holds the requests it kept until the
 * caller releases them (dsm_release()), as Ivy's fault handler holds the
 * page's lock until the faulting instruction has run again: served at
 * once, a request would take the page back before the faulting process
 * could use it, and under contention no node would get on. A node learns
 * the owner from the page it is sent and from an invalidation. A read
 * copy can still be on its way when the next owner's invalidation
 * arrives (they travel on different connections): the node acknowledges
 * at once and drops the copy when it comes, then asks again.
 *
 * The kernel asks once for a page (DATA_REQUEST) and once for write
 * access (DATA_UNLOCK); it does not say whether a missing page is wanted
 * for writing, so a write to a page not here asks twice.
 *
 * The kernel may refuse to take a page back: it does not flush a page
 * that is pinned (SWAPLAB_IOC_PIN, or for direct I/O). Until it has the
 * page back, a node does nothing that needs it: an owner keeps the page
 * and its ownership and does not answer the request, a reader keeps its
 * copy and does not acknowledge the invalidation. The caller tries again
 * (dsm_retry()) while dsm_pending() says so; meanwhile the fault waiting
 * on the other node times out in its kernel, and the requests that come
 * for the page wait as they would behind any other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dsm.h"
#include "lib/fifo.h"

/* The kernel's request waiting on a page, if any. */
enum { KREQ_NONE, KREQ_DATA, KREQ_UNLOCK };

/* What this node asked the page's manager for, if anything. */
enum { ASK_NONE, ASK_READ, ASK_WRITE };

/* What waits for the kernel to give a page back, if anything. */
enum { PEND_NONE, PEND_READ, PEND_WRITE, PEND_ACK };

/*
 * A request waiting at a manager for the one it serves to be confirmed,
 * or (dynamic) at a node for its own request to be served.
 */
struct dsm_wait {
	struct fifo_link link;
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
	/*
	 * PEND_*: a copy for @pend_to (READ), the page for it (WRITE), or
	 * its invalidation's acknowledgment (ACK), once the kernel gives the
	 * page back.
	 */
	uint8_t pend;
	uint16_t pend_to;
	/* The manager's part, on the page's manager alone (fixed): */
	uint16_t mgr_owner;
	bool mgr_busy;
	/*
	 * Dynamic: the probable owner; a copy on its way is stale; the
	 * requests kept are held until released.
	 */
	uint16_t prob;
	bool stale, hold;
	/* Requests waiting: at the manager (fixed), at this node (dynamic). */
	struct fifo waits;	/* of struct dsm_wait */
};

/* A message to this node itself, handled after the call that sent it. */
struct dsm_self {
	struct fifo_link link;
	struct dsm_msg m;
};

struct dsm_node {
	unsigned int id, nodes;
	enum dsm_manager_kind manager;
	uint64_t pages;
	size_t page_size;
	const struct dsm_ops *ops;
	void *ctx;
	struct dsm_page *page;
	uint8_t *copy;		/* the node's copy of each page */
	uint8_t *scratch;	/* contents of a copy dropped */
	struct fifo self;	/* of struct dsm_self */
	bool draining;
	uint64_t *held;		/* dynamic: the pages held, @nheld of them */
	uint64_t nheld;
	uint64_t *pending;	/* pages with a PEND_*, @npending of them */
	uint64_t npending;
	bool retrying;		/* in dsm_retry(): a refusal again is not news */
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
 * dsm_manager_name() - a manager kind's name
 * @manager: &enum dsm_manager_kind
 *
 * Return: "fixed", "dynamic", or "?".
 */
const char *dsm_manager_name(enum dsm_manager_kind manager)
{
	switch (manager) {
	case DSM_MGR_FIXED:
		return "fixed";
	case DSM_MGR_DYNAMIC:
		return "dynamic";
	}
	return "?";
}

/**
 * dsm_parse_manager() - a manager kind from its name
 * @name: "fixed" or "dynamic"
 * @manager: set on success
 *
 * Return: 0, or -EINVAL for any other name.
 */
int dsm_parse_manager(const char *name, enum dsm_manager_kind *manager)
{
	if (!strcmp(name, "fixed"))
		*manager = DSM_MGR_FIXED;
	else if (!strcmp(name, "dynamic"))
		*manager = DSM_MGR_DYNAMIC;
	else
		return -EINVAL;
	return 0;
}

/**
 * dsm_manager() - the node that manages a page (the fixed manager)
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
	s->m = m;
	fifo_push(&n->self, &s->link);
}

/**
 * dsm_node_new() - one node's engine
 * @id: this node, 0 to @nodes - 1
 * @nodes: how many, 1 to %DSM_NODES_MAX
 * @pages: the shared region's pages
 * @page_size: bytes a page
 * @manager: how requests find a page's owner; every node the same
 * @ops: how it acts
 * @ctx: handed to @ops
 *
 * Each page starts owned, with write access, by node page mod @nodes
 * (its manager, with the fixed manager), and reads as zeroes. The
 * caller flushes every page of the node's region before it serves (so
 * that every first touch asks).
 *
 * Return: the node, or NULL (errno EINVAL, ENOMEM).
 */
struct dsm_node *dsm_node_new(unsigned int id, unsigned int nodes,
			      uint64_t pages, size_t page_size,
			      enum dsm_manager_kind manager,
			      const struct dsm_ops *ops, void *ctx)
{
	struct dsm_node *n;

	if (!nodes || nodes > DSM_NODES_MAX || id >= nodes || !pages ||
	    !page_size || pages > SIZE_MAX / page_size ||
	    (manager != DSM_MGR_FIXED && manager != DSM_MGR_DYNAMIC)) {
		errno = EINVAL;
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->id = id;
	n->nodes = nodes;
	n->manager = manager;
	n->pages = pages;
	n->page_size = page_size;
	n->ops = ops;
	n->ctx = ctx;
	n->page = calloc(pages, sizeof(*n->page));
	n->copy = calloc(pages, page_size);
	n->scratch = malloc(page_size);
	n->pending = calloc(pages, sizeof(*n->pending));
	if (manager == DSM_MGR_DYNAMIC)
		n->held = calloc(pages, sizeof(*n->held));
	if (!n->page || !n->copy || !n->scratch || !n->pending ||
	    (manager == DSM_MGR_DYNAMIC && !n->held)) {
		dsm_node_free(n);
		errno = ENOMEM;
		return NULL;
	}
	for (uint64_t p = 0; p < pages; p++) {
		struct dsm_page *pg = &n->page[p];

		pg->mgr_owner = p % nodes;
		pg->prob = p % nodes;
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
	struct fifo_link *l;

	if (!n)
		return;
	for (uint64_t p = 0; n->page && p < n->pages; p++)
		while ((l = fifo_pop(&n->page[p].waits)))
			free(fifo_entry(l, struct dsm_wait, link));
	while ((l = fifo_pop(&n->self)))
		free(fifo_entry(l, struct dsm_self, link));
	free(n->page);
	free(n->copy);
	free(n->scratch);
	free(n->held);
	free(n->pending);
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
static void owner_write(struct dsm_node *n, uint64_t index, uint16_t writer);
static void drop_copy(struct dsm_node *n, uint64_t index, uint16_t writer);

static bool dynamic(const struct dsm_node *n)
{
	return n->manager == DSM_MGR_DYNAMIC;
}

/*
 * Ask for a read copy or ownership: the manager (fixed), or the probable
 * owner (dynamic); an owner that wants to write (dynamic) has only its
 * readers to invalidate.
 */
static void ask(struct dsm_node *n, uint64_t index, uint8_t what)
{
	struct dsm_page *pg = &n->page[index];
	uint8_t type = what == ASK_READ ? DSM_READ_REQ : DSM_WRITE_REQ;

	pg->asked = what;
	if (!dynamic(n)) {
		post(n, dsm_manager(n, index), type, index, n->id, 0, 0, NULL);
		return;
	}
	if (pg->owner) {
		owner_write(n, index, n->id);
		return;
	}
	post(n, pg->prob, type, index, n->id, 0, 0, NULL);
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
		} else if (pg->asked == ASK_NONE && !pg->pend) {
			/* Not while the page waits to go: asked after. */
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

/* Keep a request for @index until it can be served, in order. */
static void wait_push(struct dsm_node *n, uint64_t index, uint8_t type,
		      uint16_t requester)
{
	struct dsm_page *pg = &n->page[index];
	struct dsm_wait *w = malloc(sizeof(*w));

	if (!w) {
		note(n, index, "out of memory for a request: dropped");
		return;
	}
	w->type = type;
	w->requester = requester;
	fifo_push(&pg->waits, &w->link);
}

/* The first request kept for @index, taken off; NULL if none. */
static struct dsm_wait *wait_pop(struct dsm_page *pg)
{
	struct fifo_link *l = fifo_pop(&pg->waits);

	return l ? fifo_entry(l, struct dsm_wait, link) : NULL;
}

/* The manager serves a request for @index, or queues it. */
static void mgr_request(struct dsm_node *n, uint64_t index, uint8_t type,
			uint16_t requester)
{
	struct dsm_page *pg = &n->page[index];

	if (pg->mgr_busy) {
		wait_push(n, index, type, requester);
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
	struct dsm_wait *w;

	pg->mgr_busy = false;
	w = wait_pop(pg);
	if (!w)
		return;
	mgr_request(n, index, w->type, w->requester);
	free(w);
}

/*
 * Take @index back from the kernel: its contents into this node's copy.
 * False if the kernel refused (a pinned page) or failed; then nothing
 * changed, and the caller leaves what needed it for dsm_retry().
 */
static bool take_back(struct dsm_node *n, uint64_t index, enum dsm_lock_op op)
{
	int st = n->ops->lock(n->ctx, op, index, n->scratch);

	if (st < 0)
		return false;
	if (st == DSM_WRITTEN)
		memcpy(copy_of(n, index), n->scratch, n->page_size);
	return true;
}

/*
 * The kernel would not give @index back: what needed it (@what, for node
 * @to) waits for dsm_retry().
 */
static void pend(struct dsm_node *n, uint64_t index, uint8_t what,
		 uint16_t to)
{
	struct dsm_page *pg = &n->page[index];

	if (!pg->pend)
		n->pending[n->npending++] = index;
	pg->pend = what;
	pg->pend_to = to;
	if (!n->retrying)
		note(n, index, "the kernel kept the page: tried again later");
}

/* The owner shares @index with @reader: its own copy turns read-only. */
static void owner_read(struct dsm_node *n, uint64_t index, uint16_t reader)
{
	struct dsm_page *pg = &n->page[index];

	if (pg->access == DSM_WRITE) {
		if (!take_back(n, index, DSM_CLEAN)) {
			pend(n, index, PEND_READ, reader);
			return;
		}
		set_access(n, index, DSM_READ);
	}
	pg->copyset |= 1ull << reader;
	post(n, reader, DSM_PAGE, index, reader, 0, 0, copy_of(n, index));
}

static void dyn_done(struct dsm_node *n, uint64_t index);

static void finish_write(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];

	pg->copyset = 0;
	pg->asked = ASK_NONE;
	set_access(n, index, DSM_WRITE);
	if (!dynamic(n))
		post(n, dsm_manager(n, index), DSM_CONFIRM, index, n->id, 0, 0,
		     NULL);
	complete(n, index);
	if (dynamic(n))
		dyn_done(n, index);
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
	if (!take_back(n, index, DSM_FLUSH)) {
		pend(n, index, PEND_WRITE, writer);
		return;
	}
	set_access(n, index, DSM_NIL);
	pg->owner = false;
	pg->copyset = 0;
	post(n, writer, DSM_PAGE, index, writer, DSM_PAGE_OWNER, readers,
	     copy_of(n, index));
}

/*
 * Dynamic: this node's own request, or its invalidations, are pending, or
 * the requests it kept are held.
 */
static bool dyn_busy(const struct dsm_page *pg)
{
	return pg->asked != ASK_NONE || pg->acks || pg->hold || pg->pend;
}

/*
 * Dynamic: a request for @index reached this node. Kept while this node
 * waits for its own; served if this node owns the page; else forwarded to
 * its probable owner, which, for a write, is the requester from now on.
 */
static void dyn_request(struct dsm_node *n, uint64_t index, uint8_t type,
			uint16_t requester)
{
	struct dsm_page *pg = &n->page[index];

	if (dyn_busy(pg)) {
		wait_push(n, index, type, requester);
		return;
	}
	if (pg->owner && type == DSM_READ_REQ) {
		owner_read(n, index, requester);
		return;
	}
	if (pg->owner)
		owner_write(n, index, requester);
	else
		post(n, pg->prob, type, index, requester, 0, 0, NULL);
	if (type == DSM_WRITE_REQ)
		pg->prob = requester;
}

/* Dynamic: the requests kept for @index, in order, while it can. */
static void dyn_serve_waiting(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];
	struct dsm_wait *w;

	while (!dyn_busy(pg) && (w = wait_pop(pg))) {
		dyn_request(n, index, w->type, w->requester);
		free(w);
	}
}

/*
 * Dynamic: this node's own request is done; hold the requests kept, and
 * those that come, until released.
 */
static void dyn_done(struct dsm_node *n, uint64_t index)
{
	struct dsm_page *pg = &n->page[index];

	if (pg->hold)
		return;
	pg->hold = true;
	n->held[n->nheld++] = index;
}

/**
 * dsm_held() - does a node hold requests (the dynamic manager)?
 * @n: the node
 *
 * Return: true if dsm_release() has requests to serve or forward.
 */
bool dsm_held(const struct dsm_node *n)
{
	return n->nheld;
}

/**
 * dsm_release() - serve or forward the requests a node holds
 * @n: the node
 *
 * The caller calls it once the kernel has had time to let the faulting
 * process use the page it was given (the server: a millisecond after
 * dsm_held() turns true); a request that comes before waits.
 */
void dsm_release(struct dsm_node *n)
{
	while (n->nheld) {
		uint64_t index = n->held[--n->nheld];

		n->page[index].hold = false;
		dyn_serve_waiting(n, index);
	}
	drain_self(n);
}

/**
 * dsm_pending() - does a node wait for the kernel to give a page back?
 * @n: the node
 *
 * Return: true if dsm_retry() has take-backs to try again.
 */
bool dsm_pending(const struct dsm_node *n)
{
	return n->npending;
}

/**
 * dsm_retry() - try again the take-backs the kernel refused
 * @n: the node
 *
 * Each page the kernel gives back now is handed on, shared, or its
 * invalidation acknowledged, as it would have been at first; a page still
 * held waits for the next call. The caller calls it every few
 * milliseconds while dsm_pending() says so.
 */
void dsm_retry(struct dsm_node *n)
{
	uint64_t nr = n->npending;

	/*
	 * Each page tried puts itself back at most once (pend()), at or
	 * before its own place in the list: none not yet tried is lost.
	 */
	n->npending = 0;
	n->retrying = true;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t index = n->pending[i];
		struct dsm_page *pg = &n->page[index];
		uint8_t what = pg->pend;

		pg->pend = PEND_NONE;
		if (what == PEND_READ)
			owner_read(n, index, pg->pend_to);
		else if (what == PEND_WRITE)
			owner_write(n, index, pg->pend_to);
		else
			drop_copy(n, index, pg->pend_to);
		if (pg->pend)
			continue;
		note(n, index, "the kernel gave the page back");
		complete(n, index);
		if (dynamic(n))
			dyn_serve_waiting(n, index);
	}
	n->retrying = false;
	drain_self(n);
}

/* The page arrived: a read copy, or the page with its ownership. */
static void got_page(struct dsm_node *n, const struct dsm_msg *m,
		     const void *data)
{
	struct dsm_page *pg = &n->page[m->index];

	if (!(m->flags & DSM_PAGE_OWNER)) {
		if (pg->stale) {
			/* Invalidated on its way: ask the new owner. */
			pg->stale = false;
			note(n, m->index, "a copy invalidated on its way: asking again");
			post(n, pg->prob, DSM_READ_REQ, m->index, n->id, 0, 0,
			     NULL);
			return;
		}
		memcpy(copy_of(n, m->index), data, n->page_size);
		set_access(n, m->index, DSM_READ);
		pg->asked = ASK_NONE;
		if (dynamic(n))
			pg->prob = m->from;
		else
			post(n, dsm_manager(n, m->index), DSM_CONFIRM, m->index,
			     n->id, 0, 0, NULL);
		complete(n, m->index);
		if (dynamic(n))
			dyn_done(n, m->index);
		return;
	}
	memcpy(copy_of(n, m->index), data, n->page_size);
	pg->owner = true;
	pg->prob = n->id;
	note(n, m->index, "owner");
	invalidate(n, m->index, m->copyset);
}

/* Drop the read copy of @index and tell @writer, once the kernel can. */
static void drop_copy(struct dsm_node *n, uint64_t index, uint16_t writer)
{
	if (!take_back(n, index, DSM_FLUSH)) {
		pend(n, index, PEND_ACK, writer);
		return;
	}
	set_access(n, index, DSM_NIL);
	post(n, writer, DSM_INV_ACK, index, writer, 0, 0, NULL);
}

static void dropped_copy(struct dsm_node *n, const struct dsm_msg *m)
{
	struct dsm_page *pg = &n->page[m->index];

	if (dynamic(n)) {
		/* A copy asked for and not here yet is the one invalidated. */
		if (pg->access == DSM_NIL && pg->asked == ASK_READ)
			pg->stale = true;
		pg->prob = m->from;
	}
	drop_copy(n, m->index, m->from);
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
		/* Dynamic: forwarded by anyone, for anyone but this node. */
		if (dynamic(n)) {
			if (m->requester == n->id || m->from == n->id)
				return -EPROTO;
			break;
		}
		/* Fixed: only the manager is asked, only by the requester. */
		if (dsm_manager(n, m->index) != n->id ||
		    m->requester != m->from)
			return -EPROTO;
		break;
	case DSM_CONFIRM:
		if (dynamic(n) || dsm_manager(n, m->index) != n->id ||
		    m->requester != m->from || !pg->mgr_busy)
			return -EPROTO;
		break;
	case DSM_FWD_READ:
	case DSM_FWD_WRITE:
		/* From the manager, to the owner. */
		if (dynamic(n) || m->from != dsm_manager(n, m->index) ||
		    !pg->owner)
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
		if (dynamic(n))
			dyn_request(n, m->index, m->type, m->requester);
		else
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
	struct fifo_link *l;

	if (n->draining)
		return;
	n->draining = true;
	while ((l = fifo_pop(&n->self))) {
		struct dsm_self *s = fifo_entry(l, struct dsm_self, link);

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
