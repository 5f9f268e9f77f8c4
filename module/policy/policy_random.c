// SPDX-License-Identifier: GPL-2.0
/*
 * Random replacement: evict a resident page chosen uniformly at random.
 * The baseline every other policy should beat.
 *
 * The resident frames are the nodes of a complete binary tree numbered
 * 1..nr in breadth-first order, as in an array heap: node i's children
 * are 2i and 2i + 1, and the bits of i below its highest say the way
 * from the root to it (0 left, 1 right). So the victim, node k for k
 * drawn uniformly in 1..nr, is found in O(log nr) steps, with nothing
 * allocated: a new frame becomes node nr + 1, and a frame that leaves
 * gives its place to node nr, the last. A frame's links to its children
 * are kept in its list links, which a policy owns while the frame is
 * admitted, and restored to an empty list when it leaves; its number and
 * its parent are its private area. A fault costs three walks from the
 * root: to the new node's parent, to the victim, and to the last node.
 */
#include "api/policy.h"

struct random_state {
	struct swaplab_frame *root;
	unsigned long nr;
};

/**
 * struct random_frame - a frame's node
 * @idx: its number, 1..nr
 * @parent: the frame whose child it is, NULL for the root
 */
struct random_frame {
	unsigned long idx;
	struct swaplab_frame *parent;
};

static struct random_frame *random_of(struct swaplab_frame *f)
{
	return swaplab_frame_priv(f, struct random_frame);
}

/* The child of @f on the left (@right false) or right, or NULL. */
static struct swaplab_frame *random_child(const struct swaplab_frame *f,
					  bool right)
{
	struct list_head *l = right ? f->lru.prev : f->lru.next;

	return l ? list_entry(l, struct swaplab_frame, lru) : NULL;
}

/* Make @c the child of @f on that side, and @f its parent. */
static void random_set_child(struct swaplab_frame *f, bool right,
			     struct swaplab_frame *c)
{
	struct list_head *l = c ? &c->lru : NULL;

	if (right)
		f->lru.prev = l;
	else
		f->lru.next = l;
	if (c)
		random_of(c)->parent = f;
}

/* Node @i (1..nr): from the root, the way its bits below the top say. */
static struct swaplab_frame *random_node(const struct random_state *s,
					 unsigned long i)
{
	struct swaplab_frame *f = s->root;
	int bit = fls_long(i) - 1;

	while (f && bit-- > 0)
		f = random_child(f, i & (1UL << bit));
	return f;
}

/*
 * Put @c in place @i, below @parent (NULL for the root, place 1): @c
 * NULL empties it.
 */
static void random_hang(struct random_state *s, struct swaplab_frame *parent,
			unsigned long i, struct swaplab_frame *c)
{
	if (!parent) {
		s->root = c;
		if (c)
			random_of(c)->parent = NULL;
	} else {
		random_set_child(parent, i & 1, c);
	}
}

static int random_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;

	s->root = NULL;
	s->nr = 0;
	return 0;
}

static void random_admit(void *state, struct swaplab_frame *f,
			 enum swaplab_admit_reason why,
			 struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;

	f->lru.next = NULL;
	f->lru.prev = NULL;
	random_of(f)->idx = ++s->nr;
	random_hang(s, s->nr > 1 ? random_node(s, s->nr / 2) : NULL, s->nr, f);
}

static void random_remove(void *state, struct swaplab_frame *f)
{
	struct random_state *s = state;
	struct random_frame *rf = random_of(f);
	struct swaplab_frame *last = random_node(s, s->nr);

	/* The last node leaves its place, then takes @f's. */
	random_hang(s, random_of(last)->parent, s->nr, NULL);
	s->nr--;
	if (last != f) {
		random_set_child(last, false, random_child(f, false));
		random_set_child(last, true, random_child(f, true));
		random_of(last)->idx = rf->idx;
		random_hang(s, rf->parent, rf->idx, last);
	}
	INIT_LIST_HEAD(&f->lru);
	rf->idx = 0;
	rf->parent = NULL;
}

static struct swaplab_frame *random_victim(void *state,
					   struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;

	if (!s->nr)
		return NULL;
	return random_node(s, swaplab_policy_random_u32() % s->nr + 1);
}

struct swaplab_policy_ops swaplab_policy_random = {
	.admit		= random_admit,
	.remove		= random_remove,
	.victim		= random_victim,
	.init		= random_init,
	.state_size	= sizeof(struct random_state),
	.name		= "random",
	.flags		= SWAPLAB_POLICY_NO_REFS,
};
