// SPDX-License-Identifier: GPL-2.0
/*
 * The "pager" policy: the kernel's half of the external pager (pager.c).
 * While it is selected, every event a policy sees goes to the attached
 * pager's ring: the selection itself, each admission with its reason
 * (with the non-resident record and refault distance at a refault), each
 * fault on a page already resident (ACCESS: with record mode's window of
 * 1, every reference, which exact LRU needs), each removal and eviction,
 * and changes of the budget. The page is named by its stable identity,
 * region id and index.
 *
 * Victims: the pager's answers (SWAPLAB_PAGER_IOC_VICTIMS), oldest first,
 * each checked to name a page still resident here (else counted in
 * pager_invalid and skipped). Reclaimers share the answers, and the
 * pager hears of a page's eviction after the fact: an answer that names
 * a live region's page that is not in the policy now is stale, not
 * wrong. With none queued, the policy sends the
 * pages whose reference bits are set (REFERENCED, consuming the bits),
 * then WANT, and answers %SWAPLAB_VICTIM_WAIT: reclaim waits, without the
 * policy mutex, up to the knob timeout_ms and asks again. A pager that
 * asked for a harvest (%SWAPLAB_PAGER_RESCAN) gets
 * %SWAPLAB_VICTIM_RESCAN answered for it once its victims are taken, and
 * the fresh bits before the next WANT: so a clock in the pager sees the
 * bits at the same moments as one in the kernel. It has no tick(): with
 * one, the kernel's aging work would harvest the bits by the clock, and
 * what the pager sees would depend on time (the pager ticks its policy
 * itself, counting admissions). When it may not wait (no pager, a
 * stalled one, the pager's own fault, or the core's waits for this batch
 * spent) it chooses itself, first in first out, and counts each such
 * victim in pager_fallback. A pager that answered too late, or whose
 * answers since its last good one named no page of any region, is
 * ejected (pager.c): the default policy takes this one's place.
 *
 * It lives in the module only: it calls the kernel (the ring), which the
 * policies the simulator shares must not.
 */
#include "pager.h"
#include "policy.h"
#include "region.h"
#include "stat.h"
#include "uapi/swaplab.h"

struct pager_state {
	struct list_head queue;		/* oldest first: the fallback's order */
	unsigned long invalid;		/* wrong answers since the last good */
};

static void pager_send(const struct swaplab_frame *f, u16 type, u8 reason,
		       u8 record, u64 arg)
{
	struct swaplab_pager_event ev = {
		.region = f ? f->region_id : 0,
		.index = f ? f->index : 0,
		.arg = arg,
		.type = type,
		.reason = reason,
		.record = record,
	};

	swaplab_pager_emit(&ev);
}

static int pager_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct pager_state *s = state;

	INIT_LIST_HEAD(&s->queue);
	pager_send(NULL, SWAPLAB_PAGER_SELECT, 0, 0, ctx->nr_frames);
	return 0;
}

static void pager_release(void *state)
{
	pager_send(NULL, SWAPLAB_PAGER_DESELECT, 0, 0, 0);
}

static void pager_admit(void *state, struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			struct swaplab_policy_ctx *ctx)
{
	static const u8 reasons[] = {
		[SWAPLAB_ADMIT_NEW]		= SWAPLAB_PAGER_NEW,
		[SWAPLAB_ADMIT_REFAULT]		= SWAPLAB_PAGER_REFAULT,
		[SWAPLAB_ADMIT_READAHEAD]	= SWAPLAB_PAGER_READAHEAD,
		[SWAPLAB_ADMIT_RETURN]		= SWAPLAB_PAGER_RETURN,
		[SWAPLAB_ADMIT_SWITCH]		= SWAPLAB_PAGER_SWITCH,
	};
	struct pager_state *s = state;
	const struct swaplab_refault *r = ctx->refault;

	list_add_tail(&f->lru, &s->queue);
	pager_send(f, SWAPLAB_PAGER_ADMIT, reasons[why],
		   why == SWAPLAB_ADMIT_REFAULT && r ? r->record : 0,
		   why == SWAPLAB_ADMIT_REFAULT && r ? r->distance : 0);
}

static void pager_access(void *state, struct swaplab_frame *f,
			 const struct swaplab_policy_ctx *ctx)
{
	pager_send(f, SWAPLAB_PAGER_ACCESS, 0, 0, 0);
}

static void pager_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
	pager_send(f, SWAPLAB_PAGER_REMOVE, 0, 0, 0);
}

static unsigned int pager_evicted(void *state, struct swaplab_frame *f,
				  const struct swaplab_policy_ctx *ctx)
{
	pager_send(f, SWAPLAB_PAGER_EVICTED, 0, 0, 0);
	return 0;
}

/*
 * Hand the pager the reference bits reclaim's harvest (and the faults)
 * set since the last time: a REFERENCED event for each page used. The
 * bits are consumed here, and so live on in the pager's picture only.
 */
static void pager_send_referenced(struct pager_state *s)
{
	struct swaplab_frame *f;

	list_for_each_entry(f, &s->queue, lru)
		if (swaplab_frame_test_clear_referenced(f))
			pager_send(f, SWAPLAB_PAGER_REFERENCED, 0, 0, 0);
}

static struct swaplab_frame *pager_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct pager_state *s = state;
	struct swaplab_pager_page pg;
	struct swaplab_frame *f;

	while (swaplab_pager_pop(&pg)) {
		f = swaplab_region_admitted_frame(pg.region, pg.index);
		if (f) {
			swaplab_count_event(SWAPLAB_PAGER_ANSWERS);
			s->invalid = 0;
			return f;
		}
		swaplab_count_event(SWAPLAB_PAGER_INVALID);
		/*
		 * A page of a live region is only stale: another reclaimer
		 * took it, or it left memory before the pager heard. Only
		 * an answer that names no page at all is wrong.
		 */
		if (!swaplab_region_has_page(pg.region, pg.index))
			s->invalid++;
	}
	if (list_empty(&s->queue))
		return NULL;
	/* Its answers are taken: now the harvest it asked for, if allowed. */
	if (swaplab_pager_take_rescan() && ctx->may_rescan)
		return SWAPLAB_VICTIM_RESCAN;
	if (ctx->may_wait) {
		/* The bits only to a pager that will answer; they keep. */
		if (swaplab_pager_ready())
			pager_send_referenced(s);
		/*
		 * WANT also counts the pager's own faults, and reaches a
		 * stalled pager now and then.
		 */
		if (swaplab_pager_want(ctx->nr_wanted, ctx->knob[0],
				       ctx->may_rescan, &ctx->wait_since))
			return SWAPLAB_VICTIM_WAIT;
	}
	/*
	 * A pager that would be waited for, whose answers since its last
	 * good one were all bad, goes.
	 */
	if (s->invalid && swaplab_pager_ready()) {
		swaplab_pager_eject_invalid();
		s->invalid = 0;
	}
	swaplab_count_event(SWAPLAB_PAGER_FALLBACK);
	return list_first_entry(&s->queue, struct swaplab_frame, lru);
}

static void pager_resize(void *state, const struct swaplab_policy_ctx *ctx)
{
	pager_send(NULL, SWAPLAB_PAGER_RESIZE, 0, 0, ctx->nr_frames);
}

struct swaplab_policy_ops swaplab_policy_pager = {
	.admit		= pager_admit,
	.access		= pager_access,
	.remove		= pager_remove,
	.victim		= pager_victim,
	.evicted	= pager_evicted,
	.init		= pager_init,
	.resize		= pager_resize,
	.release	= pager_release,
	.state_size	= sizeof(struct pager_state),
	/* Its protocol names no process: it answers for the whole budget. */
	.flags		= SWAPLAB_POLICY_GLOBAL_ONLY,
	.knobs		= {
		/* How long reclaim waits for the pager's answer. */
		{ .name = "timeout_ms", .min = 1, .max = 10000, .def = 100 },
	},
	.name		= "pager",
};
