// SPDX-License-Identifier: GPL-2.0
/*
 * The DSM protocol engine (userspace/lib/dsm.c) alone, on the host, with
 * its actions recorded instead of done: a message a node could not have
 * been sent now is refused before anything changes, and never reaches the
 * kernel as a page; a take-back the kernel refuses (a pinned page) leaves
 * the node as it was, answering nothing, until dsm_retry() finds the page
 * given back.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lib/dsm.h"

#define PAGE	64
#define PAGES	4

/* What the engine did through its ops. */
struct rec {
	int supplies, unlocks, locks, sends;
	int lock_ret;		/* what the next take-back returns */
	struct dsm_msg last;	/* the last message sent */
	uint8_t supplied[PAGE];	/* the last page supplied */
	uint8_t sent[PAGE];	/* the last page sent */
};

static int rec_supply(void *ctx, uint64_t index, uint64_t seq,
		      const void *data, bool rdonly)
{
	struct rec *r = ctx;

	(void)index, (void)seq, (void)rdonly;
	memcpy(r->supplied, data, PAGE);
	r->supplies++;
	return 0;
}

static int rec_unlock(void *ctx, uint64_t index, uint64_t seq,
		      const void *data)
{
	struct rec *r = ctx;

	(void)index, (void)seq, (void)data;
	r->unlocks++;
	return 0;
}

static int rec_lock(void *ctx, enum dsm_lock_op op, uint64_t index, void *buf)
{
	struct rec *r = ctx;

	(void)op, (void)index, (void)buf;
	r->locks++;
	return r->lock_ret;
}

static int rec_send(void *ctx, unsigned int to, const struct dsm_msg *m,
		    const void *data)
{
	struct rec *r = ctx;

	(void)to;
	r->last = *m;
	if (data)
		memcpy(r->sent, data, PAGE);
	r->sends++;
	return 0;
}

static const struct dsm_ops rec_ops = {
	.supply = rec_supply, .unlock = rec_unlock, .lock = rec_lock,
	.send = rec_send,
};

static struct dsm_msg msg(uint8_t type, uint16_t from, uint16_t requester,
			  uint64_t index, uint8_t flags)
{
	struct dsm_msg m = {
		.type = type, .from = from, .requester = requester,
		.index = index, .flags = flags,
	};

	return m;
}

/* A message, whether a page comes with it, the error due, and what it is. */
#define BAD(type_, from_, req_, index_, flags_, page_, err_, what_)	\
	{ { .type = (type_), .from = (from_), .requester = (req_),	\
	    .index = (index_), .flags = (flags_) }, (page_), (err_), (what_) }

/*
 * Node 0 of two, the fixed manager: it owns and manages pages 0 and 2,
 * node 1 pages 1 and 3; it has asked for nothing. Each message below is
 * one it could not have been sent now; none may change a page's access,
 * call the kernel or send anything, and a page in one must not become
 * the page's contents.
 */
TEST(unexpected_messages_change_nothing)
{
	static const struct {
		struct dsm_msg m;
		bool page;
		int err;
		const char *what;
	} bad[] = {
		BAD(0, 1, 1, 0, 0, false, -EINVAL, "type 0"),
		BAD(DSM_MSG_MAX + 1, 1, 1, 0, 0, false, -EINVAL,
		    "a type past the last"),
		BAD(DSM_READ_REQ, 2, 2, 0, 0, false, -EINVAL,
		    "from a node past the last"),
		BAD(DSM_READ_REQ, 1, 1, PAGES, 0, false, -EINVAL,
		    "a page past the region"),
		BAD(DSM_READ_REQ, 1, 1, 0, 2, false, -EINVAL, "an unknown flag"),
		BAD(DSM_READ_REQ, 1, 1, 0, 0, true, -EINVAL,
		    "a request with a page"),
		BAD(DSM_PAGE, 1, 0, 1, 0, false, -EINVAL,
		    "a page without its data"),
		BAD(DSM_PAGE, 1, 0, 1, 0, true, -EPROTO, "a page not asked for"),
		BAD(DSM_PAGE, 1, 0, 1, DSM_PAGE_OWNER, true, -EPROTO,
		    "ownership not asked for"),
		BAD(DSM_PAGE, 1, 1, 1, 0, true, -EPROTO,
		    "a page for another node"),
		BAD(DSM_READ_REQ, 1, 1, 1, 0, false, -EPROTO,
		    "a request to a node that does not manage the page"),
		BAD(DSM_WRITE_REQ, 1, 0, 0, 0, false, -EPROTO,
		    "a request on another's behalf"),
		BAD(DSM_FWD_WRITE, 1, 1, 0, 0, false, -EPROTO,
		    "a forward from a node not the manager"),
		BAD(DSM_CONFIRM, 1, 1, 0, 0, false, -EPROTO,
		    "a confirmation of nothing served"),
		BAD(DSM_INVALIDATE, 1, 1, 0, 0, false, -EPROTO,
		    "an invalidation of a page it owns"),
		BAD(DSM_INV_ACK, 1, 0, 0, 0, false, -EPROTO,
		    "an acknowledgment not waited for"),
	};
	struct rec r = { 0 };
	struct dsm_node *n;
	uint8_t junk[PAGE];

	n = dsm_node_new(0, 2, PAGES, PAGE, DSM_MGR_FIXED, &rec_ops, &r);
	ASSERT_NE(NULL, n);
	memset(junk, 0xee, sizeof(junk));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(bad[i].err, dsm_on_msg(n, &bad[i].m,
						 bad[i].page ? junk : NULL)) {
			TH_LOG("%s", bad[i].what);
		}
		for (uint64_t p = 0; p < PAGES; p++) {
			EXPECT_EQ(p % 2 ? DSM_NIL : DSM_WRITE, dsm_access(n, p)) {
				TH_LOG("%s: page %llu's access", bad[i].what,
				       (unsigned long long)p);
			}
		}
	}
	EXPECT_EQ(0, r.supplies + r.unlocks + r.locks + r.sends);
	/* Page 0 is still its own zeroes: the junk reached no copy. */
	ASSERT_EQ(0, dsm_on_request(n, 0, 1));
	ASSERT_EQ(1, r.supplies);
	for (int b = 0; b < PAGE; b++)
		ASSERT_EQ(0, r.supplied[b]);
	dsm_node_free(n);
}

/*
 * An owner asked for its page by the other node, whose take-back the
 * kernel refuses: nothing is sent and the node keeps write access until a
 * retry finds the page given back; then the page goes, with ownership and
 * its contents.
 */
TEST(refused_hand_over_waits)
{
	struct rec r = { .lock_ret = -EBUSY };
	struct dsm_msg m = msg(DSM_WRITE_REQ, 1, 1, 0, 0);
	struct dsm_node *n;

	n = dsm_node_new(0, 2, PAGES, PAGE, DSM_MGR_FIXED, &rec_ops, &r);
	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, dsm_on_msg(n, &m, NULL));
	EXPECT_EQ(1, r.locks);
	EXPECT_EQ(0, r.sends);
	EXPECT_EQ(DSM_WRITE, dsm_access(n, 0));
	EXPECT_TRUE(dsm_pending(n));
	/* Still pinned. */
	dsm_retry(n);
	EXPECT_EQ(2, r.locks);
	EXPECT_EQ(0, r.sends);
	EXPECT_TRUE(dsm_pending(n));
	/* Let go: the page goes to node 1 with ownership. */
	r.lock_ret = DSM_UNCHANGED;
	dsm_retry(n);
	EXPECT_FALSE(dsm_pending(n));
	ASSERT_EQ(1, r.sends);
	EXPECT_EQ(DSM_PAGE, r.last.type);
	EXPECT_EQ(DSM_PAGE_OWNER, r.last.flags);
	EXPECT_EQ(1, r.last.requester);
	EXPECT_EQ(DSM_NIL, dsm_access(n, 0));
	dsm_node_free(n);
}

/*
 * A reader whose copy the kernel will not flush: no acknowledgment, and
 * its read access stays, until a retry finds the copy gone.
 */
TEST(refused_invalidation_waits)
{
	struct rec r = { .lock_ret = DSM_UNCHANGED };
	struct dsm_msg m;
	struct dsm_node *n;
	uint8_t page[PAGE];

	/* Node 1 reads page 0, node 0's: asks its manager, gets a copy. */
	n = dsm_node_new(1, 2, PAGES, PAGE, DSM_MGR_FIXED, &rec_ops, &r);
	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, dsm_on_request(n, 0, 1));
	ASSERT_EQ(1, r.sends);
	ASSERT_EQ(DSM_READ_REQ, r.last.type);
	memset(page, 0x5a, sizeof(page));
	m = msg(DSM_PAGE, 0, 1, 0, 0);
	ASSERT_EQ(0, dsm_on_msg(n, &m, page));
	ASSERT_EQ(DSM_READ, dsm_access(n, 0));
	ASSERT_EQ(1, r.supplies);
	EXPECT_EQ(0x5a, r.supplied[0]);
	ASSERT_EQ(DSM_CONFIRM, r.last.type);
	/* Node 0 writes: the invalidation, refused for a pin. */
	r.sends = 0;
	r.lock_ret = -EBUSY;
	m = msg(DSM_INVALIDATE, 0, 0, 0, 0);
	ASSERT_EQ(0, dsm_on_msg(n, &m, NULL));
	EXPECT_EQ(0, r.sends);
	EXPECT_EQ(DSM_READ, dsm_access(n, 0));
	EXPECT_TRUE(dsm_pending(n));
	dsm_retry(n);
	EXPECT_EQ(0, r.sends);
	r.lock_ret = DSM_UNCHANGED;
	dsm_retry(n);
	EXPECT_FALSE(dsm_pending(n));
	ASSERT_EQ(1, r.sends);
	EXPECT_EQ(DSM_INV_ACK, r.last.type);
	EXPECT_EQ(DSM_NIL, dsm_access(n, 0));
	dsm_node_free(n);
}

TEST_HARNESS_MAIN
