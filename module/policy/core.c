// SPDX-License-Identifier: GPL-2.0
/*
 * The policy core: the current policy, and the frame lists. Every
 * resident, unpinned frame is either admitted to the current policy (the
 * list of admitted frames, in admission order) or parked outside it
 * (mlocked, or held by another user). Reclaim isolates victims from the
 * policy and puts back, or parks, those it could not evict; pinning takes
 * a frame out for good. This is the one file that calls the current
 * policy's callbacks: admit, access, forget, victim, tick, init and
 * resize, and the re-admission of every frame when the policy changes.
 * (Selection, in policy.c, allocates a policy's state and calls release()
 * once it is no longer current.) It also keeps the budget's eviction
 * counter, the clock that refault distances are measured by (shadow.c),
 * and the list of processes that have regions: under allocation=local,
 * each with its own state of the policy and the share that share.c
 * decides for it, which this file gives and tells the state of.
 *
 * Admission batches, as the kernel's per-CPU folio batches in front of its
 * LRU: a fault hands its frame to its CPU's batch, under that batch's
 * spinlock alone, and the batch goes to the policy, under the mutex, once
 * it holds admit_batch frames; so faults on different CPUs take the mutex
 * once every admit_batch faults instead of every time. A drain merges all
 * the CPUs' batches by a sequence number each admission takes when it is
 * queued, so that a thread that moved to another CPU meanwhile still has
 * its admissions handed over in the order of its faults. A frame in a
 * batch is PENDING: not admitted yet, so never a victim. Every other call
 * into the policy (isolation, a tick, a switch, a resize) first drains
 * every CPU's batch, and so does the removal of a pending frame; reclaim
 * and the aging work drain them before they harvest reference bits,
 * because a policy may consume a frame's bit when it admits it (aging
 * counts the fault's reference there): admitted after the harvest, it
 * would take the harvested bit for the fault's, and the tick would not see
 * it. So the policy sees the admissions in the order the faults queued
 * them, before it is asked anything. With one faulting thread it sees the
 * same calls in the same order as with admit_batch=0 (every admission
 * under the mutex at once), which is what the simulator models. A policy
 * with access() (record mode) sees every reference in order: its
 * admissions are never batched.
 *
 * A frame reclaim isolates, or that is pinned or parked, keeps its
 * private area: it comes back with %SWAPLAB_ADMIT_RETURN, and its
 * eviction reaches the policy's evicted(). A frame that was out of the
 * policy while another one was selected (its @policy_gen is old) comes
 * back as a new one, with %SWAPLAB_ADMIT_SWITCH, and its eviction leaves
 * an empty record.
 *
 * Locking: swaplab_policy_mutex protects the current policy, its state,
 * the lists of admitted and parked frames and every callback into a
 * policy, the selection generation, the eviction counter and the stamp
 * of the last switch. It is taken with page locks held (the fault path
 * admits a locked page) but never the other way round: reclaim isolates
 * frames under the mutex and locks their pages after dropping it. When a
 * policy's victim() answers %SWAPLAB_VICTIM_RESCAN, isolation harvests
 * reference bits, which takes swaplab_regions_mutex inside this one, and
 * unparking reads a region's VMAs under its i_mmap_rwsem; nothing takes
 * them the other way round. Both are reclaim's rmap walks (harvest.c),
 * which reclaim hands to swaplab_core_isolate(): this file calls
 * nothing above it. A batch's spinlock protects its entries and is taken
 * alone, or inside the mutex, never the other way round; nothing sleeps
 * under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "api/alloc.h"
#include "policy/core.h"
#include "alloc/frames.h"
#include "api/policy.h"
#include "alloc/proc.h"
#include "api/region.h"
#include "alloc/share.h"
#include "lib/stat.h"
#include "lib/trace.h"

/* The current policy, its state, both lists, every policy callback. */
static DEFINE_MUTEX(swaplab_policy_mutex);
static struct swaplab_policy_ops *swaplab_policy_cur;	/* under the mutex */
/*
 * A copy of swaplab_policy_cur->flags, written under the mutex with
 * WRITE_ONCE(), for the readers that do not take it (reclaim's harvest
 * decision, the aging work): they must never dereference the ops, which
 * belong to a module that can be unloaded once it is no longer current.
 */
static unsigned int swaplab_policy_flags;
/* Has the current policy an access() callback? Written as the flags. */
static bool swaplab_policy_wants_access;
static void *swaplab_policy_state;			/* under the mutex */
static LIST_HEAD(swaplab_policy_frames);		/* under the mutex */
/*
 * Frames of pages reclaim cannot take, mlocked or held by another user,
 * kept out of the policy; under the mutex.
 */
static LIST_HEAD(swaplab_policy_parked);
static unsigned long swaplab_policy_nr_parked;	/* under the mutex */

/*
 * allocation=local: every process that has regions has its own state of
 * the current policy (swaplab_proc.pstate), holding its frames, and its
 * allocation; a fault at its allocation evicts one of its own pages.
 * Written under the mutex with WRITE_ONCE(), read lock-free by faults.
 */
static bool swaplab_policy_local;
/*
 * The processes that have regions, in the order they got their first;
 * their count; and the isolations so far, which stamp the processes an
 * isolation found without a victim. Under the mutex.
 */
static LIST_HEAD(swaplab_core_procs);
static unsigned int swaplab_core_procs_nr;
static unsigned long swaplab_core_isolations;

/*
 * Which selection the current policy is: bumped at every switch, so that
 * a frame out of the policy knows whether its private area is still the
 * current policy's (swaplab_frame.policy_gen). Under the mutex.
 */
static unsigned int swaplab_policy_selection;
/*
 * Pages evicted from the budget so far, and the count at the last switch:
 * a shadow entry stamped before it holds another policy's record. Written
 * under the mutex with WRITE_ONCE(), read with READ_ONCE().
 */
static unsigned long swaplab_policy_evictions;
static unsigned long swaplab_policy_switched_at;

/*
 * The aging clock's state, which tick.c's due rule reads: frames admitted
 * since the last tick, and the jiffies of the last tick. Written under the
 * mutex with WRITE_ONCE(), read with READ_ONCE().
 */
static unsigned long swaplab_admitted_since_tick;
static unsigned long swaplab_last_tick;

/* One admission waiting in a CPU's batch. */
struct swaplab_admit_ent {
	struct swaplab_frame *f;
	struct swaplab_refault refault;
	unsigned long seq;		/* order of the admissions queued */
	ktime_t stamp;			/* when the fault made it resident */
	enum swaplab_admit_reason why;
};

/*
 * A CPU's admission batch. Faults append under @lock and publish an
 * entry with a release store of @nr; a drain, under the policy mutex,
 * reads the entries below @nr (an acquire load) and advances @next
 * without the lock, and gives the room back under it once it has
 * taken all of them. An entry is rewritten only after that.
 */
struct swaplab_admit_batch {
	spinlock_t lock;		/* appending; @nr and @next reset */
	unsigned int nr;		/* entries queued */
	unsigned int next;		/* the first not yet drained */
	struct swaplab_admit_ent ent[SWAPLAB_ADMIT_BATCH_MAX];
};

static struct swaplab_admit_batch __percpu *swaplab_admit_batches;
/*
 * The order of all queued admissions: a thread that moves to another CPU
 * leaves older entries in the first one's batch, and a drain merges the
 * batches by it, so that one thread's admissions reach the policy in
 * the order of its faults. One shared counter a fault, no lock.
 */
static atomic_long_t swaplab_admit_seq = ATOMIC_LONG_INIT(0);
/* Frames a batch holds before it goes to the policy; 0: no batching. */
static unsigned int swaplab_admit_batch_size = SWAPLAB_ADMIT_BATCH_DEFAULT;
/* The knob swappiness, as every callback is told it (api/policy.h). */
static unsigned int swaplab_swappiness = SWAPLAB_SWAPPINESS_DEFAULT;

/*
 * What every callback is told: the time, the budget, @ops' knobs, the
 * relative cost of the kinds of page.
 */
static void swaplab_policy_ctx(struct swaplab_policy_ctx *ctx,
			       const struct swaplab_policy_ops *ops)
{
	int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = ops;
	ctx->now_us = ktime_to_us(ktime_get());
	ctx->nr_frames = swaplab_frames_budget();
	for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX; i++)
		ctx->knob[i] = READ_ONCE(ops->knobs[i].val);
	ctx->swappiness = READ_ONCE(swaplab_swappiness);
}

/*
 * The frames a process's state may hold: its allocation under local,
 * the budget under global.
 */
static unsigned long swaplab_core_frames_of(struct swaplab_proc *p)
{
	unsigned long budget = swaplab_frames_budget();

	return swaplab_policy_local ? min(READ_ONCE(p->alloc), budget) : budget;
}

/* The state that holds @p's frames: its own under local. */
static void *swaplab_core_state_of(struct swaplab_proc *p)
{
	lockdep_assert_held(&swaplab_policy_mutex);
	return swaplab_policy_local ? p->pstate : swaplab_policy_state;
}

/* The state that holds @f, with @ctx set for it. */
static void *swaplab_core_state(struct swaplab_frame *f,
				struct swaplab_policy_ctx *ctx)
{
	struct swaplab_proc *p = f->region->proc;

	ctx->nr_frames = swaplab_core_frames_of(p);
	return swaplab_core_state_of(p);
}

static void __swaplab_core_admit(struct swaplab_frame *f,
				 enum swaplab_admit_reason why,
				 struct swaplab_policy_ctx *ctx)
{
	lockdep_assert_held(&swaplab_policy_mutex);
	/* A private area another policy left is no use to this one. */
	if (why == SWAPLAB_ADMIT_RETURN && f->policy_gen != swaplab_policy_selection)
		why = SWAPLAB_ADMIT_SWITCH;
	if (why != SWAPLAB_ADMIT_RETURN) {
		INIT_LIST_HEAD(&f->lru);
		memset(f->pdata, 0, sizeof(f->pdata));
		f->ptag = 0;
	}
	set_bit(SWAPLAB_FRAME_ADMITTED, &f->flags);
	list_add_tail(&f->all, &swaplab_policy_frames);
	ctx->predicted = false;
	swaplab_policy_cur->admit(swaplab_core_state(f, ctx), f, why, ctx);
}

/*
 * Admit @f, which became resident at @stamp: the policy's
 * admit(), then the counters of refaults and of frames since the last
 * tick.
 */
static void swaplab_core_admit_one(struct swaplab_frame *f,
				   enum swaplab_admit_reason why,
				   const struct swaplab_refault *refault,
				   ktime_t stamp)
{
	struct swaplab_policy_ops *ops = swaplab_policy_cur;
	struct swaplab_policy_ctx ctx;

	lockdep_assert_held(&swaplab_policy_mutex);
	swaplab_policy_ctx(&ctx, ops);
	ctx.now_us = ktime_to_us(stamp);
	if (why == SWAPLAB_ADMIT_REFAULT)
		ctx.refault = refault;
	__swaplab_core_admit(f, why, &ctx);
	if (why == SWAPLAB_ADMIT_REFAULT && refault->in_ws) {
		swaplab_alloc_ws_refault(&f->region->proc->ws,
					 refault->distance,
					 swaplab_policy_evictions);
	}
	if (why == SWAPLAB_ADMIT_REFAULT) {
		WRITE_ONCE(ops->nr_refaults, ops->nr_refaults + 1);
		swaplab_count_event(SWAPLAB_REFAULTS);
		if (ctx.predicted) {
			WRITE_ONCE(ops->nr_predicted, ops->nr_predicted + 1);
			swaplab_count_event(SWAPLAB_REFAULTS_PREDICTED);
		}
	}
	WRITE_ONCE(swaplab_admitted_since_tick,
		   swaplab_admitted_since_tick + 1);
}

/* The batch whose next entry was queued first, or NULL if all are empty. */
static struct swaplab_admit_batch *swaplab_admit_oldest(void)
{
	struct swaplab_admit_batch *b, *oldest = NULL;
	int cpu;

	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(swaplab_admit_batches, cpu);
		/* Pairs with the append's release: the entries below are whole. */
		if (b->next < smp_load_acquire(&b->nr) &&
		    (!oldest || (long)(b->ent[b->next].seq -
				       oldest->ent[oldest->next].seq) < 0))
			oldest = b;
	}
	return oldest;
}

/*
 * Hand every CPU's batch to the policy, merged in the order the
 * admissions were queued, before it is asked anything. Faults may queue
 * more meanwhile (they are admitted too); a frame in a batch stays
 * valid, as only a removal under the mutex could free it.
 */
static void swaplab_admit_drain(void)
{
	struct swaplab_admit_batch *b;
	struct swaplab_admit_ent e;
	bool any = false;
	int cpu;

	lockdep_assert_held(&swaplab_policy_mutex);
	while ((b = swaplab_admit_oldest())) {
		e = b->ent[b->next];
		/* Read without the lock by swaplab_core_admitted(). */
		WRITE_ONCE(b->next, b->next + 1);
		clear_bit(SWAPLAB_FRAME_PENDING, &e.f->flags);
		swaplab_core_admit_one(e.f, e.why, &e.refault, e.stamp);
		any = true;
	}
	if (!any)
		return;
	swaplab_count_event(SWAPLAB_ADMIT_DRAINS);
	/* The room, back, in each batch taken to its end. */
	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(swaplab_admit_batches, cpu);
		if (!b->next)
			continue;
		spin_lock(&b->lock);
		if (b->next == b->nr) {
			WRITE_ONCE(b->nr, 0);
			WRITE_ONCE(b->next, 0);
		}
		spin_unlock(&b->lock);
	}
}

/**
 * swaplab_core_access() - a fault found a frame's page resident
 * @f: the frame; its page is locked by the caller
 *
 * Tells a policy with an access() callback, if @f is admitted to it: the
 * reference was seen by a fault, as every reference is in record mode.
 * Any other policy costs nothing here, not even the mutex.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_access(struct swaplab_frame *f)
{
	struct swaplab_policy_ctx ctx;

	if (!READ_ONCE(swaplab_policy_wants_access))
		return;
	mutex_lock(&swaplab_policy_mutex);
	if (swaplab_policy_cur->access &&
	    test_bit(SWAPLAB_FRAME_ADMITTED, &f->flags)) {
		swaplab_policy_ctx(&ctx, swaplab_policy_cur);
		swaplab_policy_cur->access(swaplab_core_state(f, &ctx), f, &ctx);
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/* Take @f out of the policy, or off the parked list, keeping its area. */
static bool __swaplab_core_remove(struct swaplab_frame *f)
{
	lockdep_assert_held(&swaplab_policy_mutex);
	/*
	 * Still in a batch: admit it first, so that the policy sees its
	 * admission and removal in order. Its page is locked, or its region
	 * dying: no fault can queue it meanwhile.
	 */
	if (test_bit(SWAPLAB_FRAME_PENDING, &f->flags))
		swaplab_admit_drain();
	/* A parked frame was removed when reclaim isolated it. */
	if (test_and_clear_bit(SWAPLAB_FRAME_PARKED, &f->flags)) {
		list_del_init(&f->lru);
		swaplab_policy_nr_parked--;
		return true;
	}
	if (!test_and_clear_bit(SWAPLAB_FRAME_ADMITTED, &f->flags))
		return false;
	f->policy_gen = swaplab_policy_selection;
	list_del_init(&f->all);
	swaplab_policy_cur->remove(swaplab_core_state_of(f->region->proc), f);
	return true;
}

/**
 * swaplab_core_admit() - hand a frame that became resident to the policy
 * @f: the frame; its page is locked by the caller
 * @why: %SWAPLAB_ADMIT_NEW, %SWAPLAB_ADMIT_REFAULT or
 *	%SWAPLAB_ADMIT_READAHEAD
 * @refault: for %SWAPLAB_ADMIT_REFAULT, the page's non-resident record
 *	(swaplab_shadow_refault()); else NULL
 *
 * A refault is counted, and counted as predicted if the policy says its
 * history foresaw it.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_admit(struct swaplab_frame *f,
			enum swaplab_admit_reason why,
			const struct swaplab_refault *refault)
{
	unsigned int size = READ_ONCE(swaplab_admit_batch_size);
	struct swaplab_admit_batch *b;
	struct swaplab_admit_ent *e;
	bool full;

	if (size && !READ_ONCE(swaplab_policy_wants_access)) {
		/* Any CPU's batch will do, if the task moves now. */
		b = raw_cpu_ptr(swaplab_admit_batches);
		spin_lock(&b->lock);
		/* Full while being drained: admit at once, below. */
		if (b->nr < SWAPLAB_ADMIT_BATCH_MAX) {
			e = &b->ent[b->nr];
			e->f = f;
			e->why = why;
			e->seq = atomic_long_inc_return(&swaplab_admit_seq);
			e->stamp = ktime_get();
			if (why == SWAPLAB_ADMIT_REFAULT)
				e->refault = *refault;
			set_bit(SWAPLAB_FRAME_PENDING, &f->flags);
			/*
			 * Publishes the entry to a drain, which takes no
			 * lock: pairs with its acquire of @nr.
			 */
			smp_store_release(&b->nr, b->nr + 1);
			full = b->nr - READ_ONCE(b->next) >= size;
			spin_unlock(&b->lock);
			swaplab_count_event(SWAPLAB_ADMIT_BATCHED);
			if (full) {
				mutex_lock(&swaplab_policy_mutex);
				swaplab_admit_drain();
				mutex_unlock(&swaplab_policy_mutex);
			}
			return;
		}
		spin_unlock(&b->lock);
	}
	/* After what is queued, to keep the order. */
	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	swaplab_core_admit_one(f, why, refault, ktime_get());
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_drain() - hand every CPU's admission batch to the policy
 *
 * For reclaim and the aging work, before they harvest reference bits
 * (aging's admit() consumes the fault's bit: a frame admitted after a
 * harvest would consume the harvested one), and for the readers of the
 * refault counters, which are kept at admission.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_drain(void)
{
	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_admit_batch() - the size of the admission batches
 *
 * Return: frames a CPU's batch holds before it goes to the policy; 0 if
 * every admission goes to it at once.
 */
unsigned int swaplab_core_admit_batch(void)
{
	return READ_ONCE(swaplab_admit_batch_size);
}

/**
 * swaplab_core_set_admit_batch() - change the size of the admission batches
 * @size: 0 (no batching) to %SWAPLAB_ADMIT_BATCH_MAX
 *
 * What the batches hold goes to the policy now.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, or -EINVAL if @size is out of range (nothing changes).
 */
int swaplab_core_set_admit_batch(unsigned int size)
{
	if (size > SWAPLAB_ADMIT_BATCH_MAX)
		return -EINVAL;
	mutex_lock(&swaplab_policy_mutex);
	WRITE_ONCE(swaplab_admit_batch_size, size);
	swaplab_admit_drain();
	mutex_unlock(&swaplab_policy_mutex);
	return 0;
}

/**
 * swaplab_core_swappiness() - the relative cost of the kinds of page
 *
 * Return: the knob swappiness, 0 to %SWAPLAB_SWAPPINESS_MAX.
 */
unsigned int swaplab_core_swappiness(void)
{
	return READ_ONCE(swaplab_swappiness);
}

/**
 * swaplab_core_set_swappiness() - change the relative cost of the kinds
 * @val: 0 to %SWAPLAB_SWAPPINESS_MAX: a file refault costs @val, an
 *	anonymous one %SWAPLAB_SWAPPINESS_MAX - @val
 *
 * The admissions the batches hold go to the policy first, and the calls
 * after the change are told the new value.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, or -EINVAL if @val is out of range (nothing changes).
 */
int swaplab_core_set_swappiness(unsigned int val)
{
	if (val > SWAPLAB_SWAPPINESS_MAX)
		return -EINVAL;
	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	WRITE_ONCE(swaplab_swappiness, val);
	mutex_unlock(&swaplab_policy_mutex);
	return 0;
}

/**
 * swaplab_core_forget() - take a frame away from the policy for good
 * @f: the frame, whose page is being freed; nothing happens if it is
 *	neither admitted nor parked
 *
 * Context: process context; takes the policy mutex.
 * Return: true if the frame was admitted or parked.
 */
bool swaplab_core_forget(struct swaplab_frame *f)
{
	bool was;

	mutex_lock(&swaplab_policy_mutex);
	was = __swaplab_core_remove(f);
	mutex_unlock(&swaplab_policy_mutex);
	return was;
}

/**
 * swaplab_core_evicted() - a frame reclaim isolated has left memory
 * @f: the frame, still isolated, its page unmapped and locked
 * @record: set to the policy's record for the page (0 if it keeps none,
 *	or if another policy was selected since @f was isolated)
 * @in_ws: set when the page's process's working-set estimate counts it
 *	among the pages evicted within the window
 *
 * Counts the eviction on the budget's eviction counter.
 *
 * Context: process context; takes the policy mutex.
 * Return: the counter's value before this eviction: the page's eviction
 * stamp.
 */
unsigned long swaplab_core_evicted(struct swaplab_frame *f,
				   unsigned int *record, bool *in_ws)
{
	struct swaplab_policy_ops *ops;
	struct swaplab_policy_ctx ctx;
	unsigned long stamp;

	*record = 0;
	mutex_lock(&swaplab_policy_mutex);
	ops = swaplab_policy_cur;
	if (ops->evicted && f->policy_gen == swaplab_policy_selection) {
		swaplab_policy_ctx(&ctx, ops);
		*record = min_t(unsigned int,
				ops->evicted(swaplab_core_state(f, &ctx), f,
					     &ctx),
				SWAPLAB_RECORD_MAX);
	}
	*in_ws = swaplab_alloc_ws_evicted(&f->region->proc->ws, f,
					  swaplab_share_ws_tau());
	stamp = swaplab_policy_evictions;
	WRITE_ONCE(swaplab_policy_evictions, stamp + 1);
	mutex_unlock(&swaplab_policy_mutex);
	return stamp;
}

/**
 * swaplab_core_frame_state() - the state of the current policy that holds a frame
 * @f: a frame admitted to the current policy
 *
 * Context: under the policy mutex.
 * Return: the state of @f's process under allocation=local, that of the
 * whole budget otherwise.
 */
void *swaplab_core_frame_state(const struct swaplab_frame *f)
{
	return swaplab_core_state_of(f->region->proc);
}

/**
 * swaplab_core_assert_held() - check that the policy mutex is held
 *
 * For code outside this file that relies on it (a frame admitted to the
 * policy is not freed while the mutex is held).
 */
void swaplab_core_assert_held(void)
{
	lockdep_assert_held(&swaplab_policy_mutex);
}

/**
 * swaplab_core_lock() - take the policy mutex
 *
 * For code outside this file that must shut out every policy call for a
 * moment (an eBPF program detaching): while it is held no callback runs.
 *
 * Context: process context; not under the policy mutex.
 */
void swaplab_core_lock(void)
{
	mutex_lock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_unlock() - release what swaplab_core_lock() took
 */
void swaplab_core_unlock(void)
{
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_is_current() - is a policy the current one?
 * @ops: the policy
 *
 * Return: true if @ops is selected now; it may change right after, unless
 * the caller holds the policy mutex.
 */
bool swaplab_core_is_current(const struct swaplab_policy_ops *ops)
{
	return READ_ONCE(swaplab_policy_cur) == ops;
}

/**
 * swaplab_core_eviction_clock() - the budget's eviction counter
 * @switched_at: set to its value when the current policy was selected
 *
 * Context: any; lock-free.
 * Return: pages evicted so far.
 */
unsigned long swaplab_core_eviction_clock(unsigned long *switched_at)
{
	*switched_at = READ_ONCE(swaplab_policy_switched_at);
	return READ_ONCE(swaplab_policy_evictions);
}

/*
 * Give frames whose pages are no longer mlocked or held by another user
 * (@unevictable, reclaim's rmap check) back to the policy. At most
 * a batch is looked at per call, the rest rotated to the front next time,
 * so that the work under the mutex stays bounded however much is mlocked;
 * but when the policy has no frame at all, the whole list, once: else
 * reclaim could give up (and faults get SIGBUS) with a released frame
 * still parked behind more held ones than its retries look at.
 */
static void swaplab_core_unpark(struct swaplab_policy_ctx *ctx,
				bool (*unevictable)(struct swaplab_frame *f))
{
	unsigned long n, limit = SWAPLAB_RECLAIM_BATCH;
	struct swaplab_frame *f;

	lockdep_assert_held(&swaplab_policy_mutex);
	if (list_empty(&swaplab_policy_frames))
		limit = swaplab_policy_nr_parked;
	for (n = 0; n < limit; n++) {
		f = list_first_entry_or_null(&swaplab_policy_parked,
					     struct swaplab_frame, lru);
		if (!f)
			break;
		if (unevictable(f)) {
			list_move_tail(&f->lru, &swaplab_policy_parked);
			continue;
		}
		clear_bit(SWAPLAB_FRAME_PARKED, &f->flags);
		list_del_init(&f->lru);
		swaplab_policy_nr_parked--;
		__swaplab_core_admit(f, SWAPLAB_ADMIT_RETURN, ctx);
	}
}

/*
 * Under local, the process the page daemon and direct reclaim take from:
 * the one furthest over its allocation, or with the most frames if none
 * is over; of those not already found without a victim by isolation
 * @stamp. NULL if none is left.
 */
static struct swaplab_proc *swaplab_core_pick(unsigned long stamp)
{
	struct swaplab_proc *p, *best = NULL;
	long over, best_over = 0;

	lockdep_assert_held(&swaplab_policy_mutex);
	list_for_each_entry(p, &swaplab_core_procs, core_node) {
		if (p->core_tried == stamp)
			continue;
		over = atomic_long_read(&p->charged) -
		       (long)min_t(unsigned long, READ_ONCE(p->alloc), LONG_MAX);
		if (over <= 0)
			over = atomic_long_read(&p->charged) - LONG_MAX;
		/* A process load control deactivated gives its frames first. */
		if (READ_ONCE(p->lc_off))
			over = LONG_MAX / 2 + atomic_long_read(&p->charged);
		if (!best || over > best_over) {
			best = p;
			best_over = over;
		}
	}
	return best;
}

/**
 * swaplab_core_park() - keep isolated, unevictable frames out of the policy
 * @list: frames of mlocked or held pages, linked by their @lru; emptied
 *
 * Like the kernel's unevictable list: a policy that kept naming them would
 * fill whole batches with pages reclaim cannot take. They go back to the
 * policy, at the next isolation, once their pages are no longer mlocked
 * or held.
 * The caller then drops the references swaplab_core_isolate() took.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_park(struct list_head *list)
{
	struct swaplab_frame *f, *tmp;

	mutex_lock(&swaplab_policy_mutex);
	list_for_each_entry_safe(f, tmp, list, lru) {
		clear_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		if (test_bit(SWAPLAB_FRAME_PINNED, &f->flags)) {
			list_del_init(&f->lru);
			continue;
		}
		set_bit(SWAPLAB_FRAME_PARKED, &f->flags);
		list_move_tail(&f->lru, &swaplab_policy_parked);
		swaplab_policy_nr_parked++;
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/*
 * The most a batch's next wait may last, in ms: the policy's timeout @ms
 * bounds all of one batch's waits together (@end, set at the @first),
 * not each, so that a pager that answers each WANT just in time, a page
 * at a time, cannot hold a batch SWAPLAB_POLICY_WAITS times as long.
 * 0 when the batch's time is out.
 */
static unsigned int swaplab_core_wait_left(unsigned int ms,
					   unsigned long *end, bool first)
{
	long left;

	if (first) {
		*end = jiffies + msecs_to_jiffies(ms);
		return ms;
	}
	left = (long)(*end - jiffies);
	return left > 0 ? min(ms, jiffies_to_msecs(left)) : 0;
}

/**
 * swaplab_core_isolate() - take victims from the policy
 * @list: where the victims go, linked by their @lru
 * @nr: how many to take at most
 * @from: under allocation=local, the process whose pages to take (a fault
 *	at its allocation replaces its own pages), held by the caller; NULL
 *	to take from whichever process is furthest over its allocation, or
 *	has the most frames if none is over, going on to the next when one
 *	has no victim. Ignored under global.
 * @refresh: brings every frame's reference bit up to date, when the
 *	policy's victim() answers %SWAPLAB_VICTIM_RESCAN: reclaim's harvest
 * @wait: waits, a bounded time, for the answer a policy that answered
 *	%SWAPLAB_VICTIM_WAIT waits for, given the policy's
 *	&swaplab_policy_ctx.wait_since, the most to wait, and whether that
 *	is the policy's whole timeout: 0 once it came, else an error code
 *	(none in time, a fatal signal, nobody to wait for), after which the
 *	policy is not let wait again for this batch. NULL when the caller
 *	must not wait (it holds pages locked): then that answer ends the
 *	batch, with the victims taken so far; the policy's request stands,
 *	and its answer serves a later batch.
 * @unevictable: is a parked frame's page still mlocked or held by
 *	another user? Frames it clears first go back to the policy.
 *
 * Each victim leaves the policy (remove(), its private area kept) and
 * comes with a reference on its page and on its region. A victim of a
 * region already being freed is dropped from the policy and left to the
 * region's release.
 *
 * @refresh and @unevictable are reclaim's rmap walks, which this file sits
 * below; both are called under the policy mutex, and may sleep. @wait is
 * called without it: the policy, and its state, may have changed when it
 * returns.
 *
 * Context: process context; takes the policy mutex.
 * Return: the number of victims on @list.
 */
unsigned int swaplab_core_isolate(struct list_head *list, unsigned int nr,
				  struct swaplab_proc *from,
				  void (*refresh)(void),
				  int (*wait)(u64 since, unsigned int ms,
					      bool full),
				  bool (*unevictable)(struct swaplab_frame *f))
{
	unsigned int n = 0, rescans = 0, waits = 0;
	struct swaplab_policy_ctx ctx;
	struct swaplab_proc *p = NULL;
	struct swaplab_frame *f;
	unsigned long stamp;
	unsigned long wait_end = 0;
	void *state;
	unsigned int ms;
	u64 since;
	int err;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	swaplab_core_unpark(&ctx, unevictable);
	stamp = ++swaplab_core_isolations;
	while (n < nr) {
		ctx.nr_frames = swaplab_frames_budget();
		state = swaplab_policy_state;
		if (swaplab_policy_local) {
			/* Asked afresh: a wait may have dropped the mutex. */
			p = from ?: swaplab_core_pick(stamp);
			if (!p)
				break;
			ctx.nr_frames = swaplab_core_frames_of(p);
			state = p->pstate;
		}
		ctx.may_rescan = rescans < SWAPLAB_POLICY_RESCANS;
		ctx.may_wait = waits < SWAPLAB_POLICY_WAITS;
		ctx.nr_wanted = nr - n;
		f = swaplab_policy_cur->victim(state, &ctx);
		if (f == SWAPLAB_VICTIM_RESCAN) {
			if (WARN_ON_ONCE(!ctx.may_rescan))
				break;
			/* Lock order: policy mutex, then regions mutex. */
			refresh();
			rescans++;
			continue;
		}
		if (f == SWAPLAB_VICTIM_WAIT) {
			if (WARN_ON_ONCE(!ctx.may_wait) || !wait)
				break;
			/*
			 * Never wait on anyone with the mutex held: the
			 * victims taken so far are isolated, and the
			 * policy is asked afresh after.
			 */
			since = ctx.wait_since;
			ms = swaplab_core_wait_left(ctx.wait_ms, &wait_end,
						    !waits);
			if (!ms) {
				/* The batch's time is out: no more waits. */
				waits = SWAPLAB_POLICY_WAITS;
				continue;
			}
			mutex_unlock(&swaplab_policy_mutex);
			err = wait(since, ms, ms == ctx.wait_ms);
			mutex_lock(&swaplab_policy_mutex);
			swaplab_policy_ctx(&ctx, swaplab_policy_cur);
			/*
			 * No answer in time, none to wait for, or a fatal
			 * signal: the policy must decide itself now.
			 */
			waits = err ? SWAPLAB_POLICY_WAITS : waits + 1;
			continue;
		}
		if (!f && p && !from) {
			/* Nothing of this one's to take: the next process. */
			p->core_tried = stamp;
			continue;
		}
		if (!f)
			break;
		if (WARN_ON_ONCE(!__swaplab_core_remove(f)))
			break;
		if (!kref_get_unless_zero(&f->region->kref))
			continue;
		get_page(f->page);
		set_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		list_add_tail(&f->lru, list);
		n++;
	}
	mutex_unlock(&swaplab_policy_mutex);
	return n;
}

/**
 * swaplab_core_putback() - return isolated frames that were not evicted
 * @list: the frames, linked by their @lru; emptied
 *
 * The caller still holds, and then drops, the references that
 * swaplab_core_isolate() took.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_putback(struct list_head *list)
{
	struct swaplab_policy_ctx ctx;
	struct swaplab_frame *f, *tmp;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	list_for_each_entry_safe(f, tmp, list, lru) {
		list_del_init(&f->lru);
		clear_bit(SWAPLAB_FRAME_ISOLATED, &f->flags);
		/* Pinned while isolated: it stays out until unpinned. */
		if (!test_bit(SWAPLAB_FRAME_PINNED, &f->flags))
			__swaplab_core_admit(f, SWAPLAB_ADMIT_RETURN, &ctx);
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_pin() - take a frame out of the policy for good
 * @f: the frame; its page is locked by the caller
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_pin(struct swaplab_frame *f)
{
	mutex_lock(&swaplab_policy_mutex);
	set_bit(SWAPLAB_FRAME_PINNED, &f->flags);
	__swaplab_core_remove(f);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_unpin() - give a pinned frame back to the policy
 * @f: the frame; its page is locked by the caller
 *
 * A frame reclaim still holds isolated is admitted by its putback.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_unpin(struct swaplab_frame *f)
{
	struct swaplab_policy_ctx ctx;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	clear_bit(SWAPLAB_FRAME_PINNED, &f->flags);
	if (!test_bit(SWAPLAB_FRAME_ISOLATED, &f->flags) &&
	    !test_bit(SWAPLAB_FRAME_ADMITTED, &f->flags) &&
	    !test_bit(SWAPLAB_FRAME_PARKED, &f->flags))
		__swaplab_core_admit(f, SWAPLAB_ADMIT_RETURN, &ctx);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_take_frames() - take frames away for good unless reclaim
 *	has one
 * @f: the frames; their pages are locked by the caller
 * @n: how many
 *
 * All of them, or none, under one hold of the policy mutex: the two
 * pages of an exchange (move.c) leave the policy together.
 *
 * Context: process context; takes the policy mutex.
 * Return: true if the caller may free or move the frames; false, none
 * taken, if reclaim holds one isolated (and will find its page changed).
 */
bool swaplab_core_take_frames(struct swaplab_frame **f, unsigned int n)
{
	unsigned int i;
	bool ok = true;

	mutex_lock(&swaplab_policy_mutex);
	for (i = 0; i < n; i++)
		ok &= !test_bit(SWAPLAB_FRAME_ISOLATED, &f[i]->flags);
	for (i = 0; ok && i < n; i++)
		__swaplab_core_remove(f[i]);
	mutex_unlock(&swaplab_policy_mutex);
	return ok;
}

/**
 * swaplab_core_take() - take a frame away for good unless reclaim has it
 * @f: the frame; its page is locked by the caller
 *
 * Context: process context; takes the policy mutex.
 * Return: true if the caller may free the frame; false if reclaim holds it
 * isolated (and will find its page changed).
 */
bool swaplab_core_take(struct swaplab_frame *f)
{
	return swaplab_core_take_frames(&f, 1);
}

/**
 * swaplab_core_return_frames() - give back frames taken with
 *	swaplab_core_take_frames()
 * @f: the frames; their pages are locked by the caller. Each may have
 *	moved meanwhile (move.c): another region, index, and process.
 * @from: for each, the process whose page it was when it was taken
 * @n: how many
 *
 * A move is a removal and an admission. In the state it left (allocation
 * global, or the same process) a frame comes back as
 * %SWAPLAB_ADMIT_RETURN, with its private area as the policy left it;
 * in another process's state as %SWAPLAB_ADMIT_SWITCH, a resident frame
 * that state never saw. All under one hold of the policy mutex.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_return_frames(struct swaplab_frame **f,
				struct swaplab_proc **from, unsigned int n)
{
	struct swaplab_policy_ctx ctx;
	unsigned int i;
	bool same;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	for (i = 0; i < n; i++) {
		same = !swaplab_policy_local || f[i]->region->proc == from[i];
		__swaplab_core_admit(f[i], same ? SWAPLAB_ADMIT_RETURN :
						  SWAPLAB_ADMIT_SWITCH, &ctx);
	}
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_return() - give back a frame taken with swaplab_core_take()
 * @f: the frame; its page is locked by the caller
 * @from: the process whose page it was when it was taken
 *
 * As swaplab_core_return_frames(), for one.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_return(struct swaplab_frame *f, struct swaplab_proc *from)
{
	swaplab_core_return_frames(&f, &from, 1);
}

/* Tell @p's state, under local, that its allocation changed. */
static void swaplab_core_resize_proc(struct swaplab_proc *p,
				     struct swaplab_policy_ctx *ctx)
{
	struct swaplab_policy_ops *ops = swaplab_policy_cur;

	lockdep_assert_held(&swaplab_policy_mutex);
	if (!swaplab_policy_local || !ops->resize)
		return;
	ctx->nr_frames = swaplab_core_frames_of(p);
	ctx->proc = true;
	ctx->proc_id = p->id;
	ops->resize(p->pstate, ctx);
}

/*
 * Under local, give each active process that has come to count since its
 * allocation was given (a mapping of one of its regions reached a page)
 * its first share, as swaplab_core_proc_sync() gives a process it lists:
 * one at a time, each from totals that hold the shares of those before
 * it, so that the decision that follows sets the others' shares with it
 * among them.
 */
static void swaplab_core_count_new(void)
{
	struct swaplab_policy_ctx ctx;
	struct swaplab_alloc_total t;
	struct swaplab_proc *p;
	unsigned long share;
	bool counted;

	lockdep_assert_held(&swaplab_policy_mutex);
	if (!swaplab_policy_local)
		return;
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	list_for_each_entry(p, &swaplab_core_procs, core_node) {
		if (!swaplab_share_came_to_count(p))
			continue;
		swaplab_share_totals(&t, &swaplab_core_procs, NULL);
		share = swaplab_share_of(true, p, &t, &counted);
		if (swaplab_share_give(p, share, counted))
			swaplab_core_resize_proc(p, &ctx);
	}
}

/*
 * Give every process its share, those that have just come to count their
 * first, and tell the states of those whose allocation changed
 * (resize()); the verdict on thrashing is taken again (share.c).
 */
static void __swaplab_core_rebalance(void)
{
	struct swaplab_policy_ctx ctx;
	struct swaplab_alloc_total t;
	struct swaplab_proc *p;
	unsigned long share;
	bool counted;

	lockdep_assert_held(&swaplab_policy_mutex);
	swaplab_core_count_new();
	swaplab_share_totals(&t, &swaplab_core_procs, NULL);
	swaplab_share_judge(swaplab_policy_local, &swaplab_core_procs, &t);
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	list_for_each_entry(p, &swaplab_core_procs, core_node) {
		share = swaplab_share_of(swaplab_policy_local, p, &t, &counted);
		if (swaplab_share_give(p, share, counted))
			swaplab_core_resize_proc(p, &ctx);
	}
}

/**
 * swaplab_core_tick() - age the current policy, if a tick is due
 * @due: the rule that says whether one is (tick.c's); asked again here,
 *	under the mutex, so that two callers do not both tick
 *
 * Calls the policy's tick() if it has one, with every process's state
 * under local, then its tick_referenced() for each frame whose reference
 * bit is set (a walk of the admitted frames: the harvest marks frames but
 * keeps no list of them); moves the working-set estimates on; under local
 * with an allocator that decides at ticks (ws, pff), gives every process
 * its share again. Then starts the aging clock over: the time of the last
 * tick and the count of frames admitted since.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_tick(bool (*due)(void))
{
	struct swaplab_policy_ops *ops;
	struct swaplab_policy_ctx ctx;
	struct swaplab_frame *f;
	struct swaplab_proc *p;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	ops = swaplab_policy_cur;
	swaplab_policy_ctx(&ctx, ops);
	if (!(ops->tick || swaplab_share_decides()) || !due())
		goto unlock;
	if (ops->tick && !swaplab_policy_local)
		ops->tick(swaplab_policy_state, &ctx);
	else if (ops->tick)
		list_for_each_entry(p, &swaplab_core_procs, core_node) {
			ctx.nr_frames = swaplab_core_frames_of(p);
			ops->tick(p->pstate, &ctx);
		}
	if (ops->tick_referenced)
		list_for_each_entry(f, &swaplab_policy_frames, all)
			if (test_bit(SWAPLAB_FRAME_REFERENCED, &f->flags))
				ops->tick_referenced(swaplab_core_state(f, &ctx),
						     f, &ctx);
	swaplab_share_ws_tick(&swaplab_core_procs, &swaplab_policy_frames,
			      swaplab_policy_evictions);
	if (swaplab_share_decides())
		__swaplab_core_rebalance();
	WRITE_ONCE(swaplab_last_tick, jiffies);
	WRITE_ONCE(swaplab_admitted_since_tick, 0);
	swaplab_count_event(SWAPLAB_AGING_TICKS);
unlock:
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_last_tick() - when the current policy last aged
 *
 * Context: any; lock-free.
 * Return: the jiffies of its last tick, or of its selection if it has not
 * ticked yet.
 */
unsigned long swaplab_core_last_tick(void)
{
	return READ_ONCE(swaplab_last_tick);
}

/**
 * swaplab_core_admitted() - frames admitted since the last tick
 *
 * Context: any; lock-free.
 * Return: the count, faults and readahead alike, with those still waiting
 * in a CPU's batch.
 */
unsigned long swaplab_core_admitted(void)
{
	unsigned long n = READ_ONCE(swaplab_admitted_since_tick);
	struct swaplab_admit_batch *b;
	unsigned int queued, next;
	int cpu;

	for_each_possible_cpu(cpu) {
		b = per_cpu_ptr(swaplab_admit_batches, cpu);
		queued = READ_ONCE(b->nr);
		next = READ_ONCE(b->next);
		/* Both may be reset between the two reads. */
		if (queued > next)
			n += queued - next;
	}
	return n;
}

/**
 * swaplab_core_policy_flags() - the current policy's flags
 *
 * A copy, for readers that do not take the policy mutex: they must not
 * dereference the ops of a policy that may stop being current.
 *
 * Context: any; lock-free.
 * Return: %SWAPLAB_POLICY_* flags.
 */
unsigned int swaplab_core_policy_flags(void)
{
	return READ_ONCE(swaplab_policy_flags);
}

/**
 * swaplab_core_rebalance() - set every process's share again
 *
 * For a change the core does not see itself: a process's size (a
 * mapping reached further into a region).
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_rebalance(void)
{
	mutex_lock(&swaplab_policy_mutex);
	__swaplab_core_rebalance();
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_set_allocator() - select the allocator by name
 * @name: one of alloc_list.h's (a trailing newline is ignored)
 *
 * Under local, every process's share is set again at once.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, or -EINVAL for an unknown name (nothing changes).
 */
int swaplab_core_set_allocator(const char *name)
{
	const struct swaplab_allocator_ops *a = swaplab_share_find(name);

	if (!a)
		return -EINVAL;
	mutex_lock(&swaplab_policy_mutex);
	swaplab_share_select(a, swaplab_policy_local);
	__swaplab_core_rebalance();
	mutex_unlock(&swaplab_policy_mutex);
	return 0;
}

/**
 * swaplab_core_over_total() - frames processes hold beyond their allocations
 *
 * For the page daemon, which evicts them (reclaim takes first from the
 * process furthest over). At 0 the wish to trim is dropped.
 *
 * Context: process context; takes the policy mutex.
 * Return: the frames, added up over the processes; 0 under global.
 */
unsigned long swaplab_core_over_total(void)
{
	unsigned long over;

	mutex_lock(&swaplab_policy_mutex);
	over = swaplab_share_over(swaplab_policy_local, &swaplab_core_procs);
	mutex_unlock(&swaplab_policy_mutex);
	return over;
}

/**
 * swaplab_core_switch() - make a policy current, live
 * @sel: the policy, its states and the allocation mode. The caller's
 *	reference on @sel->ops' module passes to the lists. @sel->pstates
 *	holds @sel->nr zeroed states of @sel->ops.state_size bytes under
 *	local (NULLs under global); on return it holds what the caller
 *	frees (kvfree(): release() is for the state of the whole budget
 *	only): the old
 *	policy's per-process states and the unused new ones.
 * @old: set to the policy replaced, NULL the first time
 * @old_state: set to the global state of the policy replaced
 *
 * Calls the new policy's init(), for its global state and, under local,
 * for each process's, then hands it every admitted frame in admission
 * order (%SWAPLAB_ADMIT_SWITCH), each to its process's state under local;
 * the aging clock starts now. Frames out of the policy (isolated, parked,
 * pinned) come back to it as new ones.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0; -EAGAIN if more processes have regions than @sel->nr, or
 * init()'s error: then nothing changed. On success the module reference
 * of *@old and *@old_state pass to the caller.
 */
int swaplab_core_switch(struct swaplab_core_sel *sel,
			struct swaplab_policy_ops **old, void **old_state)
{
	struct swaplab_policy_ops *ops = sel->ops;
	struct swaplab_policy_ctx ctx;
	struct swaplab_alloc_total t;
	struct swaplab_frame *f;
	struct swaplab_proc *p;
	unsigned long share;
	unsigned int i;
	bool counted;
	void *tmp;
	int err = 0;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	if (swaplab_core_procs_nr > sel->nr) {
		err = -EAGAIN;
		goto unlock;
	}
	swaplab_core_count_new();
	swaplab_policy_ctx(&ctx, ops);
	if (ops->init)
		err = ops->init(sel->state, &ctx);
	if (err)
		goto unlock;
	swaplab_share_totals(&t, &swaplab_core_procs, NULL);
	i = 0;
	list_for_each_entry(p, &swaplab_core_procs, core_node) {
		if (!sel->local || !ops->init)
			break;
		ctx.nr_frames = min(swaplab_share_of(true, p, &t, &counted),
				    swaplab_frames_budget());
		ctx.proc = true;
		ctx.proc_id = p->id;
		err = ops->init(sel->pstates[i++], &ctx);
		if (err)
			goto unlock;
	}
	*old = swaplab_policy_cur;
	*old_state = swaplab_policy_state;
	WRITE_ONCE(swaplab_policy_cur, ops);
	WRITE_ONCE(swaplab_policy_flags, ops->flags);
	WRITE_ONCE(swaplab_policy_wants_access, !!ops->access);
	/* The aging clock starts now: its time and its count of frames. */
	WRITE_ONCE(swaplab_last_tick, jiffies);
	WRITE_ONCE(swaplab_admitted_since_tick, 0);
	WRITE_ONCE(swaplab_policy_switched_at, swaplab_policy_evictions);
	WRITE_ONCE(swaplab_policy_local, sel->local);
	swaplab_share_select(NULL, sel->local);
	/* What load control reads is of this mode now. */
	swaplab_share_judge(sel->local, &swaplab_core_procs, &t);
	swaplab_policy_selection++;
	swaplab_policy_state = sel->state;
	/* Each process its new state; the old ones go back to the caller. */
	i = 0;
	list_for_each_entry(p, &swaplab_core_procs, core_node) {
		tmp = p->pstate;
		p->pstate = sel->local ? sel->pstates[i] : NULL;
		sel->pstates[i++] = tmp;
		share = swaplab_share_of(sel->local, p, &t, &counted);
		swaplab_share_give(p, share, counted);
	}
	list_for_each_entry(f, &swaplab_policy_frames, all) {
		INIT_LIST_HEAD(&f->lru);
		memset(f->pdata, 0, sizeof(f->pdata));
		f->ptag = 0;
		ctx.predicted = false;
		ops->admit(swaplab_core_state(f, &ctx), f,
			   SWAPLAB_ADMIT_SWITCH, &ctx);
	}
unlock:
	mutex_unlock(&swaplab_policy_mutex);
	return err;
}

/**
 * swaplab_core_nr_procs() - processes that have regions now
 *
 * For the selection, which allocates a state for each under local.
 *
 * Context: any; lock-free (it may change right after).
 * Return: the count.
 */
unsigned int swaplab_core_nr_procs(void)
{
	return READ_ONCE(swaplab_core_procs_nr);
}

/**
 * swaplab_core_local() - is allocation local?
 *
 * Context: any; lock-free (it may change right after, unless the caller
 * holds the policy select mutex, under which every switch runs).
 * Return: true under allocation=local.
 */
bool swaplab_core_local(void)
{
	return READ_ONCE(swaplab_policy_local);
}

/**
 * swaplab_core_proc_sync() - list or unlist a process by its regions
 * @p: the process, held by the caller, whose count of regions the
 *	caller has just raised or lowered
 *
 * A process is in the core's list, with its own state of the policy under
 * local, while it has regions. Called after every change of the count,
 * so that the last call sees the last count, whatever the order the
 * calls took the mutex in. The shares of every process are set again.
 *
 * Context: process context, may sleep; takes the policy mutex. Not under
 * swaplab_regions_mutex (the policy mutex is taken outside it).
 * Return: 0; -ENOMEM if no state could be had for a process to list, or
 * the policy's init() error: then the process is not listed.
 */
int swaplab_core_proc_sync(struct swaplab_proc *p)
{
	void *state = NULL, *gone = NULL;
	struct swaplab_policy_ops *ops;
	struct swaplab_policy_ctx ctx;
	struct swaplab_alloc_total t;
	unsigned long ctx_share;
	unsigned int size = 0;
	bool counted;
	int err = 0;

retry:
	mutex_lock(&swaplab_policy_mutex);
	ops = swaplab_policy_cur;
	if (atomic_long_read(&p->nr_regions) && list_empty(&p->core_node)) {
		if (swaplab_policy_local) {
			/* Allocated outside the mutex, for this policy. */
			if (!state || size != (ops->state_size ?: 1)) {
				size = ops->state_size ?: 1;
				mutex_unlock(&swaplab_policy_mutex);
				kvfree(state);
				state = kvzalloc(size, GFP_KERNEL_ACCOUNT);
				if (!state)
					return -ENOMEM;
				goto retry;
			}
			swaplab_share_totals(&t, &swaplab_core_procs, p);
			ctx_share = swaplab_share_of(true, p, &t, &counted);
			swaplab_policy_ctx(&ctx, ops);
			ctx.nr_frames = min(ctx_share, swaplab_frames_budget());
			ctx.proc = true;
			ctx.proc_id = p->id;
			if (ops->init)
				err = ops->init(state, &ctx);
			if (err)
				goto unlock;
			p->pstate = state;
			state = NULL;
			/* Its state is made for it: no resize() below. */
			swaplab_share_give(p, ctx_share, counted);
		}
		list_add_tail(&p->core_node, &swaplab_core_procs);
		WRITE_ONCE(swaplab_core_procs_nr, swaplab_core_procs_nr + 1);
		__swaplab_core_rebalance();
	} else if (!atomic_long_read(&p->nr_regions) &&
		   !list_empty(&p->core_node)) {
		WARN_ON_ONCE(atomic_long_read(&p->charged));
		list_del_init(&p->core_node);
		WRITE_ONCE(swaplab_core_procs_nr, swaplab_core_procs_nr - 1);
		gone = p->pstate;
		p->pstate = NULL;
		p->core_counted = false;
		WRITE_ONCE(p->alloc, ULONG_MAX);
		__swaplab_core_rebalance();
	}
unlock:
	mutex_unlock(&swaplab_policy_mutex);
	kvfree(state);
	kvfree(gone);
	return err;
}

/**
 * swaplab_core_resize() - tell the current policy the budget changed
 *
 * Under local, every process's allocation is set again, and the states
 * whose allocation changed are told.
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_resize(void)
{
	struct swaplab_policy_ctx ctx;

	mutex_lock(&swaplab_policy_mutex);
	swaplab_admit_drain();
	swaplab_policy_ctx(&ctx, swaplab_policy_cur);
	if (swaplab_policy_cur->resize)
		swaplab_policy_cur->resize(swaplab_policy_state, &ctx);
	/* Under local the shares follow the budget. */
	__swaplab_core_rebalance();
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_detach() - take the current policy away at module exit
 * @state: set to its state
 *
 * Context: module exit; no frame is left and nothing calls the policy.
 * Return: the policy; its module reference and @state pass to the caller.
 */
struct swaplab_policy_ops *swaplab_core_detach(void **state)
{
	struct swaplab_policy_ops *ops = swaplab_policy_cur;
	int cpu;

	WARN_ON_ONCE(!list_empty(&swaplab_policy_frames));
	WARN_ON_ONCE(!list_empty(&swaplab_policy_parked));
	for_each_possible_cpu(cpu)
		WARN_ON_ONCE(per_cpu_ptr(swaplab_admit_batches, cpu)->nr !=
			     per_cpu_ptr(swaplab_admit_batches, cpu)->next);
	*state = swaplab_policy_state;
	swaplab_policy_cur = NULL;
	swaplab_policy_state = NULL;
	return ops;
}

/**
 * swaplab_core_init() - allocate the admission batches
 *
 * Hands share.c the policy mutex, which its decisions run under.
 *
 * Context: module init, before the first policy is selected.
 * Return: 0 or -ENOMEM.
 */
int swaplab_core_init(void)
{
	int cpu;

	swaplab_share_init(&swaplab_policy_mutex);
	swaplab_admit_batches = alloc_percpu(struct swaplab_admit_batch);
	if (!swaplab_admit_batches)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(swaplab_admit_batches, cpu)->lock);
	return 0;
}

/**
 * swaplab_core_exit() - free the admission batches
 *
 * Context: module exit, or init failing; no policy is current.
 */
void swaplab_core_exit(void)
{
	free_percpu(swaplab_admit_batches);
	swaplab_admit_batches = NULL;
}

/**
 * swaplab_core_policy_name() - copy the current policy's name
 * @name: a buffer of %SWAPLAB_POLICY_NAME_MAX bytes
 *
 * Context: process context; takes the policy mutex.
 */
void swaplab_core_policy_name(char *name)
{
	mutex_lock(&swaplab_policy_mutex);
	strscpy(name, swaplab_policy_cur->name, SWAPLAB_POLICY_NAME_MAX);
	mutex_unlock(&swaplab_policy_mutex);
}

/**
 * swaplab_core_stats() - a policy's own counts, if it is current
 * @ops: the policy
 * @out: where they go, %SWAPLAB_POLICY_STATS_MAX of them at most
 *
 * Context: process context; takes the policy mutex.
 * Return: how many; -ENODATA if @ops is not the current policy or keeps a
 * state a process (allocation=local), -EOPNOTSUPP if it has no stats().
 */
int swaplab_core_stats(const struct swaplab_policy_ops *ops,
		       struct swaplab_policy_stat *out)
{
	int n = -EOPNOTSUPP;

	if (!ops->stats)
		return n;
	mutex_lock(&swaplab_policy_mutex);
	if (swaplab_policy_cur != ops || swaplab_policy_local) {
		n = -ENODATA;
	} else {
		swaplab_admit_drain();
		n = min_t(unsigned int, SWAPLAB_POLICY_STATS_MAX,
			  ops->stats(swaplab_policy_state, out,
				     SWAPLAB_POLICY_STATS_MAX));
	}
	mutex_unlock(&swaplab_policy_mutex);
	return n;
}

/**
 * swaplab_policy_random_u32() - a random number for policies
 *
 * The policy interface's (api/policy.h); the simulator defines its own.
 *
 * Return: 32 random bits.
 */
unsigned int swaplab_policy_random_u32(void)
{
	return get_random_u32();
}
EXPORT_SYMBOL_GPL(swaplab_policy_random_u32);
