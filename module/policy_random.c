// SPDX-License-Identifier: GPL-2.0
/*
 * Random replacement: evict a resident page chosen uniformly at random.
 * The baseline every other policy should beat. Choosing walks the list,
 * O(resident pages) per victim: simple, and cheap next to the page-out.
 */
#include "policy.h"

struct random_state {
	struct list_head frames;
	unsigned long nr;
};

static int random_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;

	INIT_LIST_HEAD(&s->frames);
	return 0;
}

static void random_admit(void *state, struct swaplab_frame *f,
			 enum swaplab_admit_reason why,
			 struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;

	list_add_tail(&f->lru, &s->frames);
	s->nr++;
}

static void random_remove(void *state, struct swaplab_frame *f)
{
	struct random_state *s = state;

	list_del_init(&f->lru);
	s->nr--;
}

static struct swaplab_frame *random_victim(void *state,
					   struct swaplab_policy_ctx *ctx)
{
	struct random_state *s = state;
	struct swaplab_frame *f;
	unsigned long k;

	if (!s->nr)
		return NULL;
	k = swaplab_policy_random_u32() % s->nr;
	list_for_each_entry(f, &s->frames, lru)
		if (!k--)
			return f;
	return NULL;
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
