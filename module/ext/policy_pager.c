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
 * wrong, and so is one given before the pager read of the release of
 * the region it names (pager_stale). With none queued, the policy sends the
 * pages whose reference bits are set (REFERENCED, consuming the bits),
 * then WANT, and answers %SWAPLAB_VICTIM_WAIT: reclaim waits, without the
 * policy mutex, up to the knob timeout_ms (for the batch's waits
 * together) and asks again. A pager that
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
 * Under allocation=local each process has a state of its own, which the
 * core asks for victims among that process's pages only: every event
 * names the state it is for (the process's number, 0 for the whole
 * budget's), its WANT too, and the pager answers it with that number
 * (swaplab_pager_victims.proc). Only that process's reclaim takes those
 * answers, and an answer naming another process's page is wrong, as one
 * naming no page is. So the pager keeps one policy state a process, as
 * the simulator does under local.
 *
 * It lives in the module only: it calls the kernel (the ring), which the
 * policies the simulator shares must not.
 */
#include "pager/pager.h"
#include "api/policy.h"
#include "ext/policy.h"
#include "alloc/proc.h"
#include "mm/region.h"
#include "lib/stat.h"
#include "uapi/swaplab.h"

struct pager_state {
	struct list_head queue;		/* oldest first: the fallback's order */
	unsigned long invalid;		/* wrong answers since the last good */
	u32 proc;			/* the process's number, or 0 */
};

/*
 * The whole budget's states of this policy, made and released by
 * selections only, under policy.c's select mutex. A selection makes the
 * new before it releases the old, so a selection of "pager" again, or of
 * the allocation mode with "pager" current, has two for a moment.
 * DESELECT goes only when the last goes: the pager, told SELECT already,
 * must not drop its new picture for the old one's end.
 */
static unsigned int pager_selections;

static void pager_send(const struct pager_state *s,
		       const struct swaplab_frame *f, u16 type, u8 reason,
		       u8 record, u64 arg)
{
	struct swaplab_pager_event ev = {
		.region = f ? f->region_id : 0,
		.index = f ? f->index : 0,
		.arg = arg,
		.type = type,
		.reason = reason,
		.record = record,
		.proc = s ? s->proc : 0,
	};

	swaplab_pager_emit(&ev);
}

static int pager_init(void *state, const struct swaplab_policy_ctx *ctx)
{
	struct pager_state *s = state;

	INIT_LIST_HEAD(&s->queue);
	s->proc = ctx->proc ? ctx->proc_id : 0;
	if (!s->proc)
		pager_selections++;
	pager_send(s, NULL, SWAPLAB_PAGER_SELECT, 0, 0, ctx->nr_frames);
	return 0;
}

/* Only the whole budget's state is released (policy.h). */
static void pager_release(void *state)
{
	if (!--pager_selections)
		pager_send(state, NULL, SWAPLAB_PAGER_DESELECT, 0, 0, 0);
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
	pager_send(s, f, SWAPLAB_PAGER_ADMIT, reasons[why],
		   why == SWAPLAB_ADMIT_REFAULT && r ? r->record : 0,
		   why == SWAPLAB_ADMIT_REFAULT && r ? r->distance : 0);
}

static void pager_access(void *state, struct swaplab_frame *f,
			 const struct swaplab_policy_ctx *ctx)
{
	pager_send(state, f, SWAPLAB_PAGER_ACCESS, 0, 0, 0);
}

static void pager_remove(void *state, struct swaplab_frame *f)
{
	list_del_init(&f->lru);
	pager_send(state, f, SWAPLAB_PAGER_REMOVE, 0, 0, 0);
}

static unsigned int pager_evicted(void *state, struct swaplab_frame *f,
				  const struct swaplab_policy_ctx *ctx)
{
	pager_send(state, f, SWAPLAB_PAGER_EVICTED, 0, 0, 0);
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
			pager_send(s, f, SWAPLAB_PAGER_REFERENCED, 0, 0, 0);
}

static struct swaplab_frame *pager_victim(void *state,
					  struct swaplab_policy_ctx *ctx)
{
	struct pager_state *s = state;
	struct swaplab_pager_page pg;
	struct swaplab_frame *f;
	bool foreign, unread;

	while (swaplab_pager_pop(s->proc, &pg, &unread)) {
		f = swaplab_region_admitted_frame(pg.region, pg.index);
		/* Under local, only a page of this process's is an answer. */
		foreign = f && s->proc && f->region->proc->id != s->proc;
		if (f && !foreign) {
			swaplab_count_event(SWAPLAB_PAGER_ANSWERS);
			s->invalid = 0;
			return f;
		}
		swaplab_count_event(SWAPLAB_PAGER_INVALID);
		/*
		 * A page of a live region is only stale: another reclaimer
		 * took it, or it left memory before the pager heard. So is
		 * a page of a region released before the pager read of it.
		 * Only an answer that names no page at all, or another
		 * process's, is wrong.
		 */
		if (!foreign && (swaplab_region_has_page(pg.region, pg.index) ||
				 (unread && pg.region &&
				  pg.region <= SWAPLAB_REGION_ID_MAX)))
			swaplab_count_event(SWAPLAB_PAGER_STALE);
		else
			s->invalid++;
	}
	if (list_empty(&s->queue))
		return NULL;
	/* Its answers are taken: now the harvest it asked for, if allowed. */
	if (swaplab_pager_take_rescan(s->proc) && ctx->may_rescan)
		return SWAPLAB_VICTIM_RESCAN;
	if (ctx->may_wait) {
		/* The bits only to a pager that will answer; they keep. */
		if (swaplab_pager_ready())
			pager_send_referenced(s);
		/*
		 * WANT also counts the pager's own faults, and reaches a
		 * stalled pager now and then.
		 */
		if (swaplab_pager_want(s->proc, ctx->nr_wanted,
				       ctx->may_rescan, &ctx->wait_since)) {
			ctx->wait_ms = ctx->knob[0];
			return SWAPLAB_VICTIM_WAIT;
		}
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
	pager_send(state, NULL, SWAPLAB_PAGER_RESIZE, 0, 0, ctx->nr_frames);
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
	.knobs		= {
		/* How long reclaim waits for the pager's answer. */
		{ .name = "timeout_ms", .min = 1, .max = 10000, .def = 100 },
	},
	.name		= "pager",
};
