/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Distributed shared memory, the protocol engine of `swaplab dsm`: Li and
 * Hudak's write-invalidate protocol (Ivy) with the fixed or the dynamic
 * distributed manager, for one node. It is a state machine with no I/O
 * of its own: the caller hands it what the kernel said (a page asked
 * for, write access asked for, a page evicted) and what the peers sent,
 * and it acts through struct dsm_ops: the data pager's ioctls, and
 * messages to peers.
 * `swaplab dsm sim` runs it on simulated nodes; `swaplab dsm` on a real
 * one, over TCP. Documentation/admin-guide/swaplab/dsm.rst.
 */
#ifndef SWAPLAB_LIB_DSM_H
#define SWAPLAB_LIB_DSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DSM_NODES_MAX	64	/* a copyset is a 64-bit mask */

/*
 * How a node finds a page's owner. Fixed: through the page's manager,
 * page number mod nodes, which serves one request at a time. Dynamic:
 * each node's probable owner of the page, which the request follows
 * until it reaches the owner.
 */
enum dsm_manager_kind { DSM_MGR_FIXED = 0, DSM_MGR_DYNAMIC = 1 };

/*
 * Messages between nodes. A request goes to the page's manager (fixed),
 * or along the probable owners (dynamic).
 */
enum dsm_msg_type {
	DSM_READ_REQ = 1,	/* a read copy for @requester */
	DSM_WRITE_REQ,		/* ownership for @requester */
	DSM_FWD_READ,		/* manager to owner: send @requester a copy */
	DSM_FWD_WRITE,		/* manager to owner: hand @requester the page */
	DSM_PAGE,		/* owner to requester: the page, with data */
	DSM_INVALIDATE,		/* new owner to a reader: drop your copy */
	DSM_INV_ACK,		/* reader to new owner: dropped */
	DSM_CONFIRM,		/* requester to manager: served, next please */
	DSM_MSG_MAX = DSM_CONFIRM,
};

/* dsm_msg.flags, on DSM_PAGE: ownership comes with it (@copyset too). */
#define DSM_PAGE_OWNER	0x1

/**
 * struct dsm_msg - one message; DSM_PAGE carries the page after it
 * @type: &enum dsm_msg_type
 * @flags: %DSM_PAGE_OWNER or 0
 * @from: the sender
 * @requester: the node the request is for
 * @index: the page
 * @copyset: DSM_PAGE with %DSM_PAGE_OWNER: the readers to invalidate
 */
struct dsm_msg {
	uint8_t type;
	uint8_t flags;
	uint16_t from;
	uint16_t requester;
	uint16_t pad;
	uint64_t index;
	uint64_t copyset;
};

/* The data pager's take-back operations, as the kernel's. */
enum dsm_lock_op { DSM_FLUSH = 1, DSM_CLEAN = 2 };

/* What a take-back found, as the kernel's status byte. */
enum dsm_lock_status { DSM_ABSENT = 0, DSM_UNCHANGED = 1, DSM_WRITTEN = 2 };

/**
 * struct dsm_ops - how the engine acts on its node
 * @supply: answer the kernel's DATA_REQUEST @seq for page @index with
 *	@data, read-only or not; the kernel's errno or 0
 * @unlock: answer its DATA_UNLOCK @seq, the page's contents @data
 * @lock: take page @index back (&enum dsm_lock_op); its contents go to
 *	@buf if it was written; the status (&enum dsm_lock_status) or a
 *	negative errno (-EBUSY: the page is pinned), which changes nothing
 *	and is tried again (dsm_retry())
 * @send: send @m (and @data, a page, for DSM_PAGE) to node @to; 0 or a
 *	negative errno (the peer is gone)
 * @log: a line about a change of a page's access, or NULL
 */
struct dsm_ops {
	int (*supply)(void *ctx, uint64_t index, uint64_t seq,
		      const void *data, bool rdonly);
	int (*unlock)(void *ctx, uint64_t index, uint64_t seq,
		      const void *data);
	int (*lock)(void *ctx, enum dsm_lock_op op, uint64_t index, void *buf);
	int (*send)(void *ctx, unsigned int to, const struct dsm_msg *m,
		    const void *data);
	void (*log)(void *ctx, const char *line);
};

/* A node's access to a page. */
enum dsm_access { DSM_NIL, DSM_READ, DSM_WRITE };

struct dsm_node;

struct dsm_node *dsm_node_new(unsigned int id, unsigned int nodes,
			      uint64_t pages, size_t page_size,
			      enum dsm_manager_kind manager,
			      const struct dsm_ops *ops, void *ctx);
void dsm_node_free(struct dsm_node *n);
int dsm_on_request(struct dsm_node *n, uint64_t index, uint64_t seq);
int dsm_on_unlock(struct dsm_node *n, uint64_t index, uint64_t seq);
void dsm_on_return(struct dsm_node *n, uint64_t index, const void *data);
int dsm_on_msg(struct dsm_node *n, const struct dsm_msg *m,
	       const void *data);
bool dsm_held(const struct dsm_node *n);
void dsm_release(struct dsm_node *n);
bool dsm_pending(const struct dsm_node *n);
void dsm_retry(struct dsm_node *n);
enum dsm_access dsm_access(const struct dsm_node *n, uint64_t index);
unsigned int dsm_manager(const struct dsm_node *n, uint64_t index);
const char *dsm_manager_name(enum dsm_manager_kind manager);
int dsm_parse_manager(const char *name, enum dsm_manager_kind *manager);
const char *dsm_msg_name(unsigned int type);

#endif /* SWAPLAB_LIB_DSM_H */
