// SPDX-License-Identifier: GPL-2.0
/*
 * FIFO replacement: evict the page that has been resident longest,
 * whatever its use. Easy to build and prone to Belady's anomaly: on the
 * string 1 2 3 4 1 2 5 1 2 3 4 5 it faults 9 times with 3 frames and 10
 * times with 4 (Tanenbaum, Modern Operating Systems, 3.4.3).
 */
#include "api/policy.h"

struct fifo_state {
	struct list_head queue;		/* oldest first */
};

static int fifo_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct fifo_state *s = state;

	INIT_LIST_HEAD(&s->queue);
	return 0;
}

static void fifo_admit(void *state, struct swaplab_frame *f,
		       enum swaplab_admit_reason why,
		       struct swaplab_policy_ctx *ctx)
{
	struct fifo_state *s = state;

	list_add_tail(&f->lru, &s->queue);
}

static void fifo_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
}

static struct swaplab_frame *fifo_victim(void *state,
					 struct swaplab_policy_ctx *ctx)
{
	struct fifo_state *s = state;

	return list_first_entry_or_null(&s->queue, struct swaplab_frame, lru);
}

struct swaplab_policy_ops swaplab_policy_fifo = {
	.admit		= fifo_admit,
	.remove		= fifo_remove,
	.victim		= fifo_victim,
	.init		= fifo_init,
	.state_size	= sizeof(struct fifo_state),
	.name		= "fifo",
	.flags		= SWAPLAB_POLICY_NO_REFS,
};
