// SPDX-License-Identifier: GPL-2.0
/*
 * Replacement policies in eBPF: the swaplab_ops struct_ops type
 * (uapi/swaplab_bpf.h), and the policy each attached program becomes.
 *
 * Attaching a swaplab_ops map (a BPF link, or the map alone) registers a
 * policy under the program's name, selectable like any other; detaching
 * it unregisters the policy, and switches to the default first if it is
 * current. The map holds a reference on this module, so rmmod is refused
 * while a program is attached.
 *
 * The policy is a shim, as the external pager's is: it keeps the frames
 * in admission order itself, tells the program each event with the
 * page's identity, and asks it for victims. Every page the program names
 * is checked to be resident and in the policy (else bpf_invalid, and the
 * program is asked again, a few times); a program that names none, or
 * answers later than the policy's knob timeout_us, gets the oldest frame
 * chosen for it (bpf_fallback, bpf_timeouts). One that answers late
 * three times in a row, or names only pages that cannot be taken, is
 * also ejected, as sched_ext disables a scheduler that misbehaves: the
 * default policy takes its place (bpf_ejections), from a work item,
 * since the victim() that misbehaved runs inside reclaim, where no policy
 * can be selected. The program stays attached and selectable. A BPF program cannot be
 * stopped once it runs, but the verifier bounds it; the timeout bounds
 * what a slow victim() costs the fault path to one answer. The other
 * callbacks are bounded by the verifier alone.
 *
 * Locking: every call into a program is made under the policy mutex
 * (core.c), and &swaplab_bpf_policy.prog is cleared under it when the
 * program detaches, so no call reaches a detached program; the reason for
 * an ejection to come is under it too. Detaching
 * then retires the policy (policy.c), which no selection can interleave
 * with, so the policy is freed only once no selection holds it.
 * swaplab_bpf_mutex protects the list of attached policies.
 *
 * Built only where the kernel can register struct_ops from a module
 * (module/Kbuild); compat.h gives the rest a "not supported" answer.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "lib/compat.h"
#include "policy/core.h"
#include "api/policy.h"
#include "ext/policy.h"
#include "mm/region.h"
#include "lib/stat.h"
#include "uapi/swaplab.h"
#include "uapi/swaplab_bpf.h"

/* Times a victim() call may name an invalid page before the fallback. */
#define SWAPLAB_BPF_TRIES	8
/*
 * Late answers in a row before the program is ejected: one may be the
 * host's doing (an interrupt, a vCPU preempted under emulation), not the
 * program's. CI saw one past 10 ms in a run of thousands, on a busy host.
 */
#define SWAPLAB_BPF_LATE_MAX	3

/**
 * struct swaplab_bpf_policy - an attached program, as a policy
 * @ops: the policy registered under the program's name
 * @prog: the map's callbacks; NULL once detached (under the policy mutex)
 * @kref: one for the registration, one for each selection's state, one
 *	for an ejection scheduled
 * @node: in swaplab_bpf_policies
 * @eject: puts the default policy in this one's place
 * @eject_why: why, for the log; NULL if no ejection is scheduled (under
 *	the policy mutex)
 */
struct swaplab_bpf_policy {
	struct swaplab_policy_ops ops;
	struct swaplab_ops *prog;
	struct kref kref;
	struct list_head node;
	struct work_struct eject;
	const char *eject_why;
};

/*
 * A selection's state: of the whole budget, or under allocation=local of
 * one process (@proc), with that process's queue. Only the budget's holds
 * a reference on @bp: a process's state is freed before it (the core
 * frees those of a selection before it releases the budget's).
 */
struct swaplab_bpf_state {
	struct swaplab_bpf_policy *bp;
	struct list_head queue;		/* admission order: the fallback's */
	unsigned int late;		/* late answers in a row */
	bool proc;
};

/*
 * The state whose victim() is running, for the queue kfuncs; set and
 * read under the policy mutex, NULL outside victim().
 */
static struct swaplab_bpf_state *swaplab_bpf_in_victim;

static DEFINE_MUTEX(swaplab_bpf_mutex);
static LIST_HEAD(swaplab_bpf_policies);
/* The module's BTF, from the struct_ops init(): its programs' kfuncs. */
static const struct btf *swaplab_bpf_btf;
static bool swaplab_bpf_registered;

/*
 * A frame's page as a program names it. Every region id fits beside a
 * 40-bit index: region.c hands them out up to %SWAPLAB_REGION_ID_MAX.
 */
static u64 swaplab_bpf_page(const struct swaplab_frame *f)
{
	BUILD_BUG_ON(SWAPLAB_REGION_ID_MAX >> (64 - SWAPLAB_BPF_INDEX_BITS));
	return SWAPLAB_BPF_PAGE(f->region_id, f->index);
}

static void swaplab_bpf_free(struct kref *kref)
{
	kfree(container_of(kref, struct swaplab_bpf_policy, kref));
}

/* The program, while attached; called under the policy mutex. */
static struct swaplab_ops *swaplab_bpf_prog(struct swaplab_bpf_state *s)
{
	swaplab_core_assert_held();
	return s->bp->prog;
}

static int swaplab_bpf_policy_init(void *state,
				   const struct swaplab_policy_ctx *ctx)
{
	struct swaplab_bpf_state *s = state;
	struct swaplab_ops *prog;

	s->bp = container_of(ctx->ops, struct swaplab_bpf_policy, ops);
	INIT_LIST_HEAD(&s->queue);
	s->proc = ctx->proc;
	prog = swaplab_bpf_prog(s);
	/* Detached between the lookup by name and now. */
	if (!prog)
		return -ENOENT;
	/* The program hears of the whole budget only. */
	if (s->proc)
		return 0;
	if (prog->init && prog->init(ctx->nr_frames))
		return -EINVAL;
	kref_get(&s->bp->kref);
	return 0;
}

static void swaplab_bpf_policy_release(void *state)
{
	struct swaplab_bpf_state *s = state;

	kref_put(&s->bp->kref, swaplab_bpf_free);
}

static void swaplab_bpf_admit(void *state, struct swaplab_frame *f,
			      enum swaplab_admit_reason why,
			      struct swaplab_policy_ctx *ctx)
{
	struct swaplab_bpf_state *s = state;
	struct swaplab_ops *prog = swaplab_bpf_prog(s);
	const struct swaplab_refault *r = ctx->refault;

	list_add_tail(&f->lru, &s->queue);
	if (prog && prog->admit)
		prog->admit(swaplab_bpf_page(f), why, r ? r->record : 0,
			    r ? r->distance : 0);
}

static void swaplab_bpf_access(void *state, struct swaplab_frame *f,
			       const struct swaplab_policy_ctx *ctx)
{
	struct swaplab_ops *prog = swaplab_bpf_prog(state);

	if (prog && prog->access)
		prog->access(swaplab_bpf_page(f));
}

static void swaplab_bpf_remove(void *state, struct swaplab_frame *f)
{
	struct swaplab_ops *prog = swaplab_bpf_prog(state);

	list_del_init(&f->lru);
	if (prog && prog->remove)
		prog->remove(swaplab_bpf_page(f));
}

static unsigned int swaplab_bpf_evicted(void *state, struct swaplab_frame *f,
					const struct swaplab_policy_ctx *ctx)
{
	struct swaplab_ops *prog = swaplab_bpf_prog(state);
	u32 record;

	if (!prog || !prog->evicted)
		return 0;
	record = prog->evicted(swaplab_bpf_page(f));
	if (record <= SWAPLAB_RECORD_MAX)
		return record;
	swaplab_count_event(SWAPLAB_BPF_INVALID);
	return 0;
}

/*
 * The frame of @page, if it is admitted and in @s: under allocation=local
 * another process's frame is in another state's queue.
 */
static struct swaplab_frame *swaplab_bpf_frame(struct swaplab_bpf_state *s,
					       u64 page, bool *foreign)
{
	struct swaplab_frame *f;

	f = swaplab_region_admitted_frame(SWAPLAB_BPF_REGION(page),
					  SWAPLAB_BPF_INDEX(page));
	*foreign = f && swaplab_core_frame_state(f) != s;
	return *foreign ? NULL : f;
}

/*
 * The frame at the head of the queue, if it is @page: checked for free,
 * being in the policy's queue, as a program on the queue names it.
 */
static struct swaplab_frame *swaplab_bpf_queue_head(struct swaplab_bpf_state *s,
						    u64 page)
{
	struct swaplab_frame *f;

	if (list_empty(&s->queue))
		return NULL;
	f = list_first_entry(&s->queue, struct swaplab_frame, lru);
	return swaplab_bpf_page(f) == page ? f : NULL;
}

/*
 * The program did not decide: have it ejected, for @why. Under the policy
 * mutex, in reclaim.
 */
static void swaplab_bpf_eject(struct swaplab_bpf_policy *bp, const char *why)
{
	swaplab_core_assert_held();
	if (bp->eject_why)
		return;
	bp->eject_why = why;
	kref_get(&bp->kref);
	if (!schedule_work(&bp->eject))
		kref_put(&bp->kref, swaplab_bpf_free);
}

static void swaplab_bpf_eject_fn(struct work_struct *work)
{
	struct swaplab_bpf_policy *bp =
		container_of(work, struct swaplab_bpf_policy, eject);
	const char *why;

	swaplab_core_lock();
	why = bp->eject_why;
	bp->eject_why = NULL;
	swaplab_core_unlock();
	if (swaplab_policy_leave(&bp->ops)) {
		swaplab_count_event(SWAPLAB_BPF_EJECTIONS);
		pr_info_ratelimited("eBPF policy %s %s: policy %s in its place\n",
				    bp->ops.name, why, SWAPLAB_DEFAULT_POLICY);
	}
	kref_put(&bp->kref, swaplab_bpf_free);
}

static struct swaplab_frame *swaplab_bpf_victim(void *state,
						struct swaplab_policy_ctx *ctx)
{
	struct swaplab_bpf_state *s = state;
	struct swaplab_ops *prog = swaplab_bpf_prog(s);
	u64 limit = (u64)ctx->knob[0] * NSEC_PER_USEC;
	const char *why = "named no page that could be taken";
	struct swaplab_frame *f;
	bool foreign = false;
	u64 page, start;
	int tries;

	if (list_empty(&s->queue))
		return NULL;
	for (tries = 0; prog && tries < SWAPLAB_BPF_TRIES; tries++) {
		start = local_clock();
		swaplab_bpf_in_victim = s;
		page = prog->victim(ctx->may_rescan);
		swaplab_bpf_in_victim = NULL;
		if (local_clock() - start > limit) {
			swaplab_count_event(SWAPLAB_BPF_TIMEOUTS);
			why = ++s->late < SWAPLAB_BPF_LATE_MAX ? NULL :
			      "answered too late, three times in a row";
			break;
		}
		s->late = 0;
		/* The choice left to the shim, as a bounded scan may. */
		if (page == SWAPLAB_BPF_NONE) {
			why = NULL;
			break;
		}
		if (page == SWAPLAB_BPF_RESCAN && ctx->may_rescan)
			return SWAPLAB_VICTIM_RESCAN;
		f = swaplab_bpf_queue_head(s, page);
		if (!f)
			f = swaplab_bpf_frame(s, page, &foreign);
		if (f) {
			swaplab_count_event(SWAPLAB_BPF_ANSWERS);
			return f;
		}
		/*
		 * Another process's page, under local: a program that
		 * says it answers per process missed swaplab_bpf_page_wanted();
		 * the shim chooses, and the program stays.
		 */
		if (foreign) {
			swaplab_count_event(SWAPLAB_BPF_FOREIGN);
			why = NULL;
			break;
		}
		swaplab_count_event(SWAPLAB_BPF_INVALID);
	}
	if (prog && why)
		swaplab_bpf_eject(s->bp, why);
	swaplab_count_event(SWAPLAB_BPF_FALLBACK);
	return list_first_entry(&s->queue, struct swaplab_frame, lru);
}

static void swaplab_bpf_resize(void *state,
			       const struct swaplab_policy_ctx *ctx)
{
	struct swaplab_ops *prog = swaplab_bpf_prog(state);

	/* The program hears of the whole budget only. */
	if (prog && prog->resize && !ctx->proc)
		prog->resize(ctx->nr_frames);
}

static const struct swaplab_policy_ops swaplab_bpf_template = {
	.admit		= swaplab_bpf_admit,
	.remove		= swaplab_bpf_remove,
	.victim		= swaplab_bpf_victim,
	.evicted	= swaplab_bpf_evicted,
	.init		= swaplab_bpf_policy_init,
	.resize		= swaplab_bpf_resize,
	.release	= swaplab_bpf_policy_release,
	.state_size	= sizeof(struct swaplab_bpf_state),
	.knobs		= {
		/* How long one victim() call may take before it is ignored. */
		{ .name = "timeout_us", .min = 1, .max = 1000000,
		  .def = 10000 },
	},
};

/*
 * The kfuncs, for swaplab_ops programs only (swaplab_bpf_kfunc_filter());
 * declared in compat.h for sparse, as only BPF programs call them.
 */
__bpf_kfunc_start_defs();

/**
 * swaplab_bpf_test_clear_referenced() - consume a page's reference bit
 * @page: the page, SWAPLAB_BPF_PAGE(region, index)
 *
 * Context: a swaplab_ops callback (under the policy mutex); does not sleep.
 * Return: 1 if the page is resident in the policy and was referenced
 * since the bit was last consumed, else 0.
 */
__bpf_kfunc u32 swaplab_bpf_test_clear_referenced(u64 page)
{
	struct swaplab_frame *f;

	f = swaplab_region_admitted_frame(SWAPLAB_BPF_REGION(page),
					  SWAPLAB_BPF_INDEX(page));
	return f && swaplab_frame_test_clear_referenced(f);
}

/**
 * swaplab_bpf_queue_first() - the page at the head of the policy's queue
 *
 * The module keeps the policy's resident pages in a queue, in admission
 * order, new pages at the tail: as cache_ext's list kfuncs, a program
 * may take its order from it instead of keeping one of its own, and
 * change it with swaplab_bpf_queue_rotate().
 *
 * Context: a swaplab_ops victim() (under the policy mutex); does not
 * sleep.
 * Return: the page, or %SWAPLAB_BPF_NONE if the queue is empty or outside
 * victim().
 */
__bpf_kfunc u64 swaplab_bpf_queue_first(void)
{
	struct swaplab_bpf_state *s = swaplab_bpf_in_victim;
	struct swaplab_frame *f;

	swaplab_core_assert_held();
	if (!s || list_empty(&s->queue))
		return SWAPLAB_BPF_NONE;
	f = list_first_entry(&s->queue, struct swaplab_frame, lru);
	return swaplab_bpf_page(f);
}

/**
 * swaplab_bpf_queue_rotate() - move a page to the tail of the queue
 * @page: the page, SWAPLAB_BPF_PAGE(region, index)
 *
 * A second chance, as a clock gives a page whose reference bit is set.
 *
 * Context: a swaplab_ops victim() (under the policy mutex); does not
 * sleep.
 * Return: 1 if @page was resident in the policy and moved, else 0.
 */
__bpf_kfunc u32 swaplab_bpf_queue_rotate(u64 page)
{
	struct swaplab_bpf_state *s = swaplab_bpf_in_victim;
	struct swaplab_frame *f;
	bool foreign;

	swaplab_core_assert_held();
	if (!s)
		return 0;
	f = swaplab_bpf_frame(s, page, &foreign);
	if (!f)
		return 0;
	list_move_tail(&f->lru, &s->queue);
	return 1;
}

/**
 * swaplab_bpf_page_wanted() - may a page be victim()'s answer?
 * @page: the page, SWAPLAB_BPF_PAGE(region, index)
 *
 * Under allocation=local victim() is asked for a page of one process; a
 * program that keeps its own order (%SWAPLAB_BPF_LOCAL) skips the others'.
 *
 * Context: a swaplab_ops victim() (under the policy mutex); does not
 * sleep.
 * Return: 1 if @page is resident in the policy and, under local, of the
 * process whose page is wanted; else 0, and 0 outside victim().
 */
__bpf_kfunc u32 swaplab_bpf_page_wanted(u64 page)
{
	struct swaplab_bpf_state *s = swaplab_bpf_in_victim;
	bool foreign;

	swaplab_core_assert_held();
	return s && swaplab_bpf_frame(s, page, &foreign);
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(swaplab_bpf_kfunc_ids)
BTF_ID_FLAGS(func, swaplab_bpf_test_clear_referenced)
BTF_ID_FLAGS(func, swaplab_bpf_queue_first)
BTF_ID_FLAGS(func, swaplab_bpf_queue_rotate)
BTF_ID_FLAGS(func, swaplab_bpf_page_wanted)
BTF_KFUNCS_END(swaplab_bpf_kfunc_ids)

/* Only programs of this module's struct_ops call its kfuncs. */
static int swaplab_bpf_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	return prog->aux->attach_btf == swaplab_bpf_btf ? 0 : -EACCES;
}

static const struct btf_kfunc_id_set swaplab_bpf_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &swaplab_bpf_kfunc_ids,
	.filter	= swaplab_bpf_kfunc_filter,
};

/* The struct_ops type itself. */
static int swaplab_bpf_st_init(struct btf *btf)
{
	swaplab_bpf_btf = btf;
	return 0;
}

static bool swaplab_bpf_is_valid_access(int off, int size,
					enum bpf_access_type type,
					const struct bpf_prog *prog,
					struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_verifier_ops swaplab_bpf_verifier_ops = {
	.get_func_proto		= bpf_base_func_proto,
	.is_valid_access	= swaplab_bpf_is_valid_access,
};

/* A name users can type and sysfs can hold: a-z, 0-9 and _, NUL-ended. */
static bool swaplab_bpf_name_valid(const char *name)
{
	size_t len = strnlen(name, SWAPLAB_BPF_NAME_MAX);
	size_t i;

	if (!len || len == SWAPLAB_BPF_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_')
			return false;
	return true;
}

static int swaplab_bpf_init_member(const struct btf_type *t,
				   const struct btf_member *member,
				   void *kdata, const void *udata)
{
	const struct swaplab_ops *uops = udata;
	struct swaplab_ops *kops = kdata;
	u32 off = __btf_member_bit_offset(t, member) / 8;

	if (off == offsetof(struct swaplab_ops, flags)) {
		if (uops->flags & ~(SWAPLAB_BPF_NO_REFS | SWAPLAB_BPF_LOCAL))
			return -EINVAL;
		kops->flags = uops->flags;
		return 1;
	}
	if (off != offsetof(struct swaplab_ops, name))
		return 0;
	if (!swaplab_bpf_name_valid(uops->name))
		return -EINVAL;
	memcpy(kops->name, uops->name, sizeof(kops->name));
	return 1;
}

/* Callbacks run under a mutex in the fault path: none may sleep. */
static int swaplab_bpf_check_member(const struct btf_type *t,
				    const struct btf_member *member,
				    const struct bpf_prog *prog)
{
	return prog->sleepable ? -EINVAL : 0;
}

static int swaplab_bpf_validate(void *kdata)
{
	const struct swaplab_ops *ops = kdata;

	return ops->victim && swaplab_bpf_name_valid(ops->name) ? 0 : -EINVAL;
}

static int swaplab_bpf_reg(void *kdata, struct bpf_link *link)
{
	struct swaplab_ops *prog = kdata;
	struct swaplab_bpf_policy *bp;
	int err;

	bp = kzalloc(sizeof(*bp), GFP_KERNEL);
	if (!bp)
		return -ENOMEM;
	bp->ops = swaplab_bpf_template;
	if (prog->access)
		bp->ops.access = swaplab_bpf_access;
	/* No harvest of the accessed bits for a program that reads none. */
	if (prog->flags & SWAPLAB_BPF_NO_REFS)
		bp->ops.flags |= SWAPLAB_POLICY_NO_REFS;
	/* One order of its own, for all processes: refuses local. */
	if (!(prog->flags & SWAPLAB_BPF_LOCAL))
		bp->ops.flags |= SWAPLAB_POLICY_GLOBAL_ONLY;
	strscpy(bp->ops.name, prog->name, sizeof(bp->ops.name));
	bp->prog = prog;
	kref_init(&bp->kref);
	INIT_WORK(&bp->eject, swaplab_bpf_eject_fn);

	mutex_lock(&swaplab_bpf_mutex);
	err = swaplab_policy_register(&bp->ops);
	if (!err)
		list_add_tail(&bp->node, &swaplab_bpf_policies);
	mutex_unlock(&swaplab_bpf_mutex);
	if (err) {
		kfree(bp);
		return err;
	}
	pr_info("eBPF policy %s attached; swaplab cannot be removed until it is detached (swaplab policy unload %s)\n",
		prog->name, prog->name);
	return 0;
}

static void swaplab_bpf_unreg(void *kdata, struct bpf_link *link)
{
	struct swaplab_bpf_policy *bp, *found = NULL;

	mutex_lock(&swaplab_bpf_mutex);
	list_for_each_entry(bp, &swaplab_bpf_policies, node) {
		if (bp->prog == kdata) {
			found = bp;
			list_del(&bp->node);
			break;
		}
	}
	mutex_unlock(&swaplab_bpf_mutex);
	if (WARN_ON_ONCE(!found))
		return;
	/*
	 * No call reaches the program from now on: if the policy is current
	 * it chooses first in, first out, and a selection of it fails.
	 */
	swaplab_core_lock();
	found->prog = NULL;
	swaplab_core_unlock();
	/* Out of the registry, and the default in its place if current. */
	swaplab_policy_retire(&found->ops);
	/* An ejection to come has nothing left to do; the module may go. */
	if (cancel_work_sync(&found->eject))
		kref_put(&found->kref, swaplab_bpf_free);
	pr_info("eBPF policy %s detached\n", found->ops.name);
	kref_put(&found->kref, swaplab_bpf_free);
}

/* A stub for each callback: the types the verifier checks programs by. */
static int swaplab_bpf_stub_init(u64 nr_frames)
{
	return 0;
}

static void swaplab_bpf_stub_admit(u64 page, u32 why, u32 record,
				   u64 distance)
{
}

static void swaplab_bpf_stub_page(u64 page)
{
}

static u64 swaplab_bpf_stub_victim(u32 may_rescan)
{
	return SWAPLAB_BPF_NONE;
}

static u32 swaplab_bpf_stub_evicted(u64 page)
{
	return 0;
}

static void swaplab_bpf_stub_resize(u64 nr_frames)
{
}

static struct swaplab_ops swaplab_bpf_stubs = {
	.init		= swaplab_bpf_stub_init,
	.admit		= swaplab_bpf_stub_admit,
	.access		= swaplab_bpf_stub_page,
	.remove		= swaplab_bpf_stub_page,
	.victim		= swaplab_bpf_stub_victim,
	.evicted	= swaplab_bpf_stub_evicted,
	.resize		= swaplab_bpf_stub_resize,
};

static struct bpf_struct_ops swaplab_bpf_struct_ops = {
	.verifier_ops	= &swaplab_bpf_verifier_ops,
	.init		= swaplab_bpf_st_init,
	.check_member	= swaplab_bpf_check_member,
	.init_member	= swaplab_bpf_init_member,
	.validate	= swaplab_bpf_validate,
	.reg		= swaplab_bpf_reg,
	.unreg		= swaplab_bpf_unreg,
	.cfi_stubs	= &swaplab_bpf_stubs,
	.name		= "swaplab_ops",
	.owner		= THIS_MODULE,
};

/**
 * swaplab_bpf_init() - offer the swaplab_ops struct_ops type
 *
 * Called last in module init: the type cannot be unregistered, and a
 * program may attach as soon as it is registered. A failure leaves eBPF
 * policies unsupported, and says why in /sys/kernel/swaplab/bpf.
 *
 * Context: module init.
 */
void swaplab_bpf_init(void)
{
	int err;

	BUILD_BUG_ON(SWAPLAB_ADMIT_REFAULT - SWAPLAB_BPF_ADMIT_REFAULT);
	BUILD_BUG_ON(SWAPLAB_ADMIT_SWITCH - SWAPLAB_BPF_ADMIT_SWITCH);
	BUILD_BUG_ON(SWAPLAB_RECORD_MAX - SWAPLAB_BPF_RECORD_MAX);
	BUILD_BUG_ON(SWAPLAB_POLICY_NAME_MAX - SWAPLAB_BPF_NAME_MAX);
	err = register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS,
					&swaplab_bpf_kfunc_set);
	if (!err)
		err = register_bpf_struct_ops(&swaplab_bpf_struct_ops,
					      swaplab_ops);
	/* Without the module's BTF both return 0 and do nothing. */
	if (!err && !swaplab_bpf_btf)
		err = -ENOENT;
	if (err)
		pr_warn("eBPF policies unavailable: %d\n", err);
	swaplab_bpf_registered = !err;
}

/**
 * swaplab_bpf_show() - whether eBPF policies can be loaded, for sysfs
 * @buf: a sysfs buffer
 *
 * Return: bytes written: "supported", or why not.
 */
ssize_t swaplab_bpf_show(char *buf)
{
	if (!swaplab_bpf_registered)
		return sysfs_emit(buf, "unsupported: registration failed\n");
	return sysfs_emit(buf, "supported\n");
}
