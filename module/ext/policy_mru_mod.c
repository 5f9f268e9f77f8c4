// SPDX-License-Identifier: GPL-2.0
/*
 * MRU replacement as a module of its own: evict the page brought in most
 * recently. It is the right policy for a loop slightly larger than
 * memory, where LRU and FIFO evict exactly the page needed next, and the
 * wrong one almost everywhere else.
 *
 * It is here to show the registry at work: a separate module registers a
 * policy with swaplab_policy_register(), users select it by name, and
 * while it is selected swaplab holds a reference on this module, so that
 * it cannot be unloaded from under the frames it orders.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "api/policy.h"

struct mru_state {
	struct list_head stack;		/* most recent first */
};

static int mru_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct mru_state *s = state;

	INIT_LIST_HEAD(&s->stack);
	return 0;
}

static void mru_admit(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx)
{
	struct mru_state *s = state;

	list_add(&f->lru, &s->stack);
}

static void mru_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
}

static struct swaplab_frame *mru_victim(void *state,
					struct swaplab_policy_ctx *ctx)
{
	struct mru_state *s = state;

	return list_first_entry_or_null(&s->stack, struct swaplab_frame, lru);
}

static struct swaplab_policy_ops mru_ops __read_mostly = {
	.admit		= mru_admit,
	.remove		= mru_remove,
	.victim		= mru_victim,
	.init		= mru_init,
	.state_size	= sizeof(struct mru_state),
	.name		= "mru",
	.owner		= THIS_MODULE,
};

static int __init mru_register(void)
{
	return swaplab_policy_register(&mru_ops);
}

static void __exit mru_unregister(void)
{
	swaplab_policy_unregister(&mru_ops);
}

module_init(mru_register);
module_exit(mru_unregister);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The swaplab developers");
MODULE_DESCRIPTION("MRU replacement policy for swaplab, as a separate module");
