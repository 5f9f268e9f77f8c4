// SPDX-License-Identifier: GPL-2.0
/*
 * Exact LRU as a policy of the v2 interface, for `swaplab pager`, the one
 * place it can run: it needs every reference, and the kernel sees a
 * reference only when it faults. Each admission and each access() (a
 * fault on a resident page, the pager's ACCESS event) moves the page to
 * the front; the victim is the page at the back. With record mode's
 * window of 1 on the command's regions, every change of page faults, and
 * the order is exactly the order of last use (repeated references to one
 * page change nothing). In the kernel, without record mode, it would be
 * LRU of the faults only: it is not one of the module's policies.
 */
#include "api/policy.h"
#include "sim/sim.h"

struct lru_state {
	struct list_head list;		/* most recently used first */
};

static int lru_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct lru_state *s = state;

	INIT_LIST_HEAD(&s->list);
	return 0;
}

static void lru_admit(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx)
{
	struct lru_state *s = state;

	list_add(&f->lru, &s->list);
}

static void lru_access(void *state, struct swaplab_frame *f,
		       const struct swaplab_policy_ctx *ctx)
{
	struct lru_state *s = state;

	list_move(&f->lru, &s->list);
}

static void lru_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
}

static struct swaplab_frame *lru_victim(void *state,
					struct swaplab_policy_ctx *ctx)
{
	struct lru_state *s = state;

	if (list_empty(&s->list))
		return NULL;
	return list_entry(s->list.prev, struct swaplab_frame, lru);
}

struct swaplab_policy_ops sim_pager_lru = {
	.admit		= lru_admit,
	.access		= lru_access,
	.remove		= lru_remove,
	.victim		= lru_victim,
	.init		= lru_init,
	.state_size	= sizeof(struct lru_state),
	.name		= "lru",
};
