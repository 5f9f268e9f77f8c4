/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replacement-policy interface.
 *
 * A policy is plain C over this header: it keeps resident frames in its own
 * order and names a victim when the core asks. It calls nothing of the
 * kernel's, so the same source files can be compiled into a userspace
 * simulator. The core (core.c) serialises every call with one mutex.
 *
 * Version 2, modelled on tcp_congestion_ops and its events: the core
 * tells the policy what happened to a page and keeps the mechanism.
 *  - admit() with a reason: new, refault (with the page's non-resident
 *    record and refault distance), readahead, return, switch;
 *  - eviction in two steps: remove() when reclaim takes a frame, keeping
 *    its private area for a return; evicted() once the page is gone,
 *    whose small record the core keeps in the page's shadow entry, as
 *    mm/workingset.c keeps its eviction cookie;
 *  - the budget in every call, and resize() when it changes;
 *  - knobs the policy owns, shown in sysfs under its name.
 */
#ifndef _SWAPLAB_POLICY_H
#define _SWAPLAB_POLICY_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/types.h>
#else
/* The userspace simulator's list.h, bitops and types (userspace/sim/). */
#include "policy_shim.h"
#endif

struct kobject;
struct module;
struct page;
struct swaplab_region;
struct user_struct;

#define SWAPLAB_POLICY_NAME_MAX	16
/* Knobs a policy may own, under /sys/kernel/swaplab/policies/<name>/. */
#define SWAPLAB_POLICY_KNOBS_MAX	6

/* Bits of swaplab_frame.flags */
enum {
	SWAPLAB_FRAME_REFERENCED,	/* referenced since the bit was cleared */
	SWAPLAB_FRAME_ADMITTED,		/* in the policy (core use) */
	SWAPLAB_FRAME_PINNED,		/* never evicted (core use) */
	SWAPLAB_FRAME_ISOLATED,		/* taken by reclaim (core use) */
	SWAPLAB_FRAME_PARKED,		/* mlocked or held, kept out (core) */
	SWAPLAB_FRAME_DISCARDED,	/* discarded while isolated (core) */
	SWAPLAB_FRAME_READAHEAD,	/* read ahead, not yet faulted on (core) */
	SWAPLAB_FRAME_PAGER_COPY,	/* the pager holds a copy (core use) */
	SWAPLAB_FRAME_PENDING,		/* in an admission batch (core use) */
	SWAPLAB_FRAME_RA_ASYNC,		/* its use starts readahead (core) */
	SWAPLAB_FRAME_WS_REF,		/* referenced, for the ws estimate */
	/*
	 * The policy samples the page (adapt): the core sets SAMPLE_REF
	 * with every reference bit it sets, and only the policy clears it.
	 */
	SWAPLAB_FRAME_SAMPLED,
	SWAPLAB_FRAME_SAMPLE_REF,
	SWAPLAB_FRAME_WRITEBACK,	/* a copy is being written to its file */
	/*
	 * The kind of page, set by the core before the frame's first
	 * admit() and never changed while it is resident (see
	 * swaplab_frame_is_file()).
	 */
	SWAPLAB_FRAME_FILE,
	SWAPLAB_FRAME_EXEC,
	/*
	 * Past its file's end at a truncation that found its page locked:
	 * whoever locks it next empties it (core use; mm/filewatch.c).
	 */
	SWAPLAB_FRAME_CUT,
	/*
	 * Supplied or taken back read-only by the data pager: a write waits
	 * for its UNLOCK (core use; pager/pagerdata.c).
	 */
	SWAPLAB_FRAME_PAGER_RDONLY,
	/*
	 * SWAPLAB_IOC_PAGER_LOCK works on the page: a fault that asks the
	 * pager meanwhile faults again (core use; set and cleared in
	 * mm/coherence.c, tested in pager/pagerdata.c).
	 */
	SWAPLAB_FRAME_PAGER_LOCKING,
};

/* The bits of swaplab_frame.flags that give the kind of page. */
#define SWAPLAB_FRAME_KIND_MASK	(BIT(SWAPLAB_FRAME_FILE) | BIT(SWAPLAB_FRAME_EXEC))

/**
 * struct swaplab_frame - one page of a region that holds a frame
 * @lru: the current policy's list linkage; initialised by the core before
 *	every admit() but a %SWAPLAB_ADMIT_RETURN
 * @pdata: the policy's private area: use swaplab_frame_priv(). Zeroed by
 *	the core before every admit() but a %SWAPLAB_ADMIT_RETURN, which
 *	finds it as the policy left it at remove().
 * @flags: %SWAPLAB_FRAME_* bits, changed with atomic bitops
 * @all: the core's list of admitted frames, in admission order
 * @region: the region the page belongs to
 * @region_id: the region's id: with @index, the page's stable identity,
 *	which a policy may key its own history by
 * @index: the page's index in @region
 * @page: the page
 * @slot: swap slot holding a valid copy of the page, or %SWAPLAB_NO_SLOT
 * @pins: pin count (under the page lock)
 * @policy_gen: while the frame is out of the policy (isolated, parked,
 *	pinned), which selection of a policy @pdata belongs to (core use)
 * @pin_user: while @pins is not 0, the user whose RLIMIT_MEMLOCK the pin
 *	is charged to, with a reference (under the page lock)
 * @ws_stamp: its process's virtual time when the page was last seen
 *	referenced, for the working-set estimate (core use: alloc.h)
 * @ptag: a word the policy keeps beside @pdata, zeroed with it: which of
 *	its parts holds the frame, for a policy made of others (adapt)
 */
struct swaplab_frame {
	struct list_head lru;
	unsigned long pdata[2];
	unsigned long flags;
	struct list_head all;
	struct swaplab_region *region;
	u64 region_id;
	unsigned long index;
	struct page *page;
	unsigned long slot;
	unsigned int pins;
	unsigned int policy_gen;
	struct user_struct *pin_user;
	unsigned int ws_stamp;
	unsigned int ptag;
};

#define SWAPLAB_NO_SLOT		(~0UL)

/* Bytes of a frame's private area: swaplab_frame_priv(). */
#define SWAPLAB_FRAME_PRIV_SIZE	sizeof(((struct swaplab_frame *)0)->pdata)

/**
 * swaplab_frame_priv() - a frame's policy-private area, checked
 * @f: the frame
 * @type: the policy's per-frame type; a build error if it does not fit
 *	in %SWAPLAB_FRAME_PRIV_SIZE bytes
 *
 * Return: a pointer to the area as @type.
 */
#define swaplab_frame_priv(f, type)					\
	({								\
		BUILD_BUG_ON(sizeof(type) > SWAPLAB_FRAME_PRIV_SIZE);	\
		(type *)(f)->pdata;					\
	})

/**
 * swaplab_frame_referenced() - the core's mark of a reference on a frame
 * @f: the frame
 *
 * Sets the reference bit, and SAMPLE_REF if the policy samples the page.
 */
static inline void swaplab_frame_referenced(struct swaplab_frame *f)
{
	set_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
	if (test_bit(SWAPLAB_FRAME_SAMPLED, &f->flags))
		set_bit(SWAPLAB_FRAME_SAMPLE_REF, &f->flags);
}

/**
 * swaplab_frame_is_file() - is the frame's page a file's?
 * @f: the frame
 *
 * A page of a file (a region of SWAPLAB_IOC_FILE, shared, or private and
 * not written since it was read from the file) has a clean copy in its
 * file: evicting it clean costs no write, and it comes back with a read
 * of the file. Every other page is anonymous: it is zeroes at first, and
 * once written it goes to swaplab's store and comes back from there. A
 * private page written while resident stays a file's until it is
 * evicted; it comes back anonymous.
 *
 * Return: true for a page of a file.
 */
static inline bool swaplab_frame_is_file(const struct swaplab_frame *f)
{
	return test_bit(SWAPLAB_FRAME_FILE, &f->flags);
}

/**
 * swaplab_frame_is_exec() - is the frame's page mapped for execution?
 * @f: the frame
 *
 * Return: true if its region was mapped with PROT_EXEC (program text,
 * when it is a file's) before the page came in.
 */
static inline bool swaplab_frame_is_exec(const struct swaplab_frame *f)
{
	return test_bit(SWAPLAB_FRAME_EXEC, &f->flags);
}

/**
 * swaplab_frame_test_clear_referenced() - consume a frame's reference bit
 * @f: the frame
 *
 * The core sets the bit on every fault and when it harvests the hardware
 * accessed bits of the page's PTEs.
 *
 * Return: true if the page was referenced since the last call.
 */
static inline bool swaplab_frame_test_clear_referenced(struct swaplab_frame *f)
{
	return test_and_clear_bit(SWAPLAB_FRAME_REFERENCED, &f->flags);
}

/**
 * enum swaplab_admit_reason - why a frame is handed to admit()
 * @SWAPLAB_ADMIT_NEW: a page faulted in with no history: first touch, or
 *	its shadow entry was dropped
 * @SWAPLAB_ADMIT_REFAULT: a page evicted before and faulted in again;
 *	&swaplab_policy_ctx.refault says when it left and what evicted()
 *	returned for it
 * @SWAPLAB_ADMIT_READAHEAD: read in by readahead, not yet referenced
 * @SWAPLAB_ADMIT_RETURN: back after remove() without an eviction: reclaim
 *	could not evict it, it was unpinned or unparked, or its page moved
 *	(%SWAPLAB_IOC_MOVE) and comes back at its new place, @region_id and
 *	@index changed. Its private area is as the policy left it.
 * @SWAPLAB_ADMIT_SWITCH: the policy was just selected and is told about
 *	every resident frame, in admission order; or, under
 *	allocation=local, a frame whose page moved from another process's
 *	state
 */
enum swaplab_admit_reason {
	SWAPLAB_ADMIT_NEW,
	SWAPLAB_ADMIT_REFAULT,
	SWAPLAB_ADMIT_READAHEAD,
	SWAPLAB_ADMIT_RETURN,
	SWAPLAB_ADMIT_SWITCH,
};

/* The non-resident record: the largest value evicted() may return. */
#define SWAPLAB_RECORD_MAX	255

/**
 * struct swaplab_refault - what the core remembers of an evicted page
 * @distance: evictions from the budget between the page's eviction and
 *	this refault, as mm/workingset.c measures it: had memory been
 *	larger by this many frames, the page would still be resident under
 *	LRU. Exact below 2^21 evictions.
 * @record: what the policy's evicted() returned for the page, 0 if the
 *	policy that evicted it was not the current one
 * @in_ws: the page left within its process's working-set window, and the
 *	estimate counted it (core use: alloc.h)
 */
struct swaplab_refault {
	unsigned long distance;
	unsigned int record;
	bool in_ws;
};

/*
 * A ghost queue kept as a clock over records, for policies that remember
 * a bounded number of evicted ids (2Q's A1out, S3-FIFO's G). Each id that
 * enters the queue is stamped with the clock's quantum, 1..254; a quantum
 * is 1/64 of the queue's capacity. At refault the core's exact distance
 * tells whether the stamp could have wrapped; if not, the stamp's age in
 * quanta says whether the id would still be in the queue.
 */
#define SWAPLAB_GHOST_QUANTA	64
#define SWAPLAB_GHOST_STAMPS	254

/**
 * struct swaplab_ghost_clock - a ghost queue's clock
 * @quanta: whole quanta of ids entered
 * @fill: ids entered into the current quantum
 */
struct swaplab_ghost_clock {
	unsigned long quanta;
	unsigned long fill;
};

/* The ids in one quantum of a ghost queue of @size ids. */
static inline unsigned long swaplab_ghost_quantum(unsigned long size)
{
	unsigned long nq = min_t(unsigned long, size, SWAPLAB_GHOST_QUANTA);

	return nq ? (size + nq - 1) / nq : 1;
}

/**
 * swaplab_ghost_enter() - stamp an id entering a ghost queue
 * @c: the queue's clock
 * @size: the queue's capacity in ids, not 0
 *
 * Return: the record for evicted() to return: the current stamp.
 */
static inline unsigned int swaplab_ghost_enter(struct swaplab_ghost_clock *c,
					       unsigned long size)
{
	unsigned int record = 1 + c->quanta % SWAPLAB_GHOST_STAMPS;

	if (++c->fill >= swaplab_ghost_quantum(size)) {
		c->fill = 0;
		c->quanta++;
	}
	return record;
}

/**
 * swaplab_ghost_holds() - was a refaulting id still in a ghost queue?
 * @c: the queue's clock
 * @size: the queue's capacity in ids
 * @r: the refault, whose record swaplab_ghost_enter() gave
 *
 * Return: true if no more than @size ids entered the queue after this
 * one, to the quantum; false if unknown or too old.
 */
static inline bool swaplab_ghost_holds(const struct swaplab_ghost_clock *c,
				       unsigned long size,
				       const struct swaplab_refault *r)
{
	unsigned long q = swaplab_ghost_quantum(size);
	unsigned long age;

	if (!r->record || r->record > SWAPLAB_GHOST_STAMPS || !size)
		return false;
	/* No more than @distance ids entered since: is the age exact? */
	if (r->distance / q >= SWAPLAB_GHOST_STAMPS - 1)
		return false;
	age = (c->quanta + SWAPLAB_GHOST_STAMPS - (r->record - 1)) %
	      SWAPLAB_GHOST_STAMPS;
	return age * q <= size;
}

/**
 * struct swaplab_policy_ctx - what the core tells a policy on each call
 * @now_us: time in microseconds, for policies that age by time (WSClock);
 *	fine enough that two events a policy sees rarely share a stamp
 * @nr_frames: the frame budget: the most frames the policy can hold
 * @refault: in admit() with %SWAPLAB_ADMIT_REFAULT, the page's record;
 *	else NULL
 * @knob: the values of the policy's knobs (&swaplab_policy_ops.knobs)
 * @may_rescan: in victim(): the policy may answer %SWAPLAB_VICTIM_RESCAN.
 *	False once the core has refreshed the bits for this batch often
 *	enough: then victim() must name a frame if it holds one.
 * @may_wait: in victim(): the policy may answer %SWAPLAB_VICTIM_WAIT.
 *	False once the core has waited for this batch often enough, or when
 *	the caller cannot wait: then victim() must name a frame if it holds
 *	one.
 * @nr_wanted: in victim(): victims the batch still wants, this one too
 * @wait_since: out, in victim() with %SWAPLAB_VICTIM_WAIT: what the core
 *	hands its wait, so that the wait knows an answer came after the
 *	request even when another waiter took it (the external pager's
 *	count of answers when it was asked)
 * @wait_ms: out, in victim() with %SWAPLAB_VICTIM_WAIT: the most the core
 *	waits for it, in milliseconds; each request carries its own, so
 *	that a later one with another cannot shorten or lengthen it
 * @predicted: out, in admit() with %SWAPLAB_ADMIT_REFAULT: the policy's
 *	history foresaw this refault (the page was on a ghost list, or its
 *	record said it was hot); counted per policy
 * @proc: in init() and resize(): the state is one process's, under
 *	allocation=local; false for the state of the whole budget
 * @proc_id: with @proc, in the module: the process's number (proc.h), for
 *	a policy that names it outside (the external pager); 0 otherwise
 * @swappiness: the relative cost of bringing back an anonymous page and a
 *	file's page, as Linux's vm.swappiness weighs them: 0 to 200, a file
 *	refault costing @swappiness and an anonymous one 200 - @swappiness
 *	(100: alike; 0: anonymous pages go only when no file page is left).
 *	The knob swappiness; a policy with no notion of the kind of page
 *	ignores it.
 * @ops: the policy called, for code registered as more than one policy
 *	(each eBPF policy is one &swaplab_policy_ops around the same
 *	callbacks); NULL in the simulator
 */
struct swaplab_policy_ctx {
	const struct swaplab_policy_ops *ops;
	u64 now_us;
	unsigned long nr_frames;
	const struct swaplab_refault *refault;
	unsigned int knob[SWAPLAB_POLICY_KNOBS_MAX];
	unsigned int nr_wanted;
	u64 wait_since;
	unsigned int wait_ms;
	bool may_rescan;
	bool may_wait;
	bool predicted;
	bool proc;
	unsigned int proc_id;
	unsigned int swappiness;
};

/* The knob swappiness: its range and default, those of vm.swappiness. */
#define SWAPLAB_SWAPPINESS_MAX		200
#define SWAPLAB_SWAPPINESS_DEFAULT	60

/**
 * struct swaplab_policy_knob - a tunable a policy owns
 * @name: its file name under /sys/kernel/swaplab/policies/<policy>/
 * @min: smallest value accepted
 * @max: largest value accepted
 * @def: value at registration
 * @val: current value (core use: read it from &swaplab_policy_ctx.knob)
 */
struct swaplab_policy_knob {
	const char *name;
	unsigned int min;
	unsigned int max;
	unsigned int def;
	unsigned int val;
};

/*
 * victim()'s answer when its hand has gone round once and the reference
 * bits should be harvested before it goes on: the core harvests and asks
 * again. Hardware would have set the bits of pages in use by then.
 */
#define SWAPLAB_VICTIM_RESCAN	((struct swaplab_frame *)1UL)
/*
 * victim()'s answer when someone outside the policy decides (the external
 * pager) and has not answered yet: the core drops its locks, waits a
 * bounded time for the answer, and asks again.
 */
#define SWAPLAB_VICTIM_WAIT	((struct swaplab_frame *)2UL)
/*
 * The most times the core refreshes the bits for one batch of victims;
 * after that, &swaplab_policy_ctx.may_rescan is false.
 */
#define SWAPLAB_POLICY_RESCANS	4
/*
 * The most times the core waits for one batch of victims: four, and one
 * more for each refresh the one waited for may ask for in between.
 */
#define SWAPLAB_POLICY_WAITS	(SWAPLAB_POLICY_RESCANS + 4)

/* swaplab_policy_ops.flags */
#define SWAPLAB_POLICY_TICK	0x1	/* wants tick() every aging_interval_ms */
/*
 * Reads reference bits in tick() only (needs SWAPLAB_POLICY_TICK): reclaim
 * harvests them only when a tick is due, not before every batch.
 */
#define SWAPLAB_POLICY_REFS_AT_TICK	0x2
/* Never reads reference bits: reclaim does not harvest them at all. */
#define SWAPLAB_POLICY_NO_REFS		0x4
/*
 * Keeps one order of all processes' pages and cannot name a victim among
 * one process's: refuses allocation=local (-EOPNOTSUPP).
 */
#define SWAPLAB_POLICY_GLOBAL_ONLY	0x8

/**
 * struct swaplab_policy_stat - one of a policy's own counts
 * @name: what it counts, one word
 * @value: the count
 */
struct swaplab_policy_stat {
	const char *name;
	unsigned long long value;
};

/* The most counts a policy's stats() gives. */
#define SWAPLAB_POLICY_STATS_MAX	16

/**
 * struct swaplab_policy_ops - a replacement policy
 * @admit: (required) a frame becomes resident in the policy, for the
 *	reason given
 * @access: (optional) a fault found a frame's page resident: a
 *	reference the core saw, besides the bit it set. Only faults are
 *	seen (a mapped page is used without one), so this is every
 *	reference only in record mode (SWAPLAB_IOC_RECORD with a window of
 *	1). A policy with it costs the policy mutex on such faults.
 * @remove: (required) take a frame off the policy's lists: reclaim
 *	isolated it, or it is pinned, parked or freed. Its private area is
 *	kept: the frame comes back with %SWAPLAB_ADMIT_RETURN, or leaves
 *	for good (evicted() is called if its page was evicted).
 * @victim: (required) name the frame to evict next; it stays admitted
 *	until the core calls @remove. NULL when the policy holds no frame;
 *	%SWAPLAB_VICTIM_RESCAN (only if &swaplab_policy_ctx.may_rescan) to
 *	have the reference bits refreshed first.
 * @evicted: (optional) a frame removed earlier has really left memory;
 *	return the record (0 to %SWAPLAB_RECORD_MAX) the core keeps in the
 *	page's shadow entry and hands back at its refault. 0 if not set.
 * @tick: (optional) periodic call, every aging_interval_ms, after the core
 *	harvested the reference bits (needs %SWAPLAB_POLICY_TICK)
 * @tick_referenced: (optional) at a tick, after every state's tick(): once
 *	for each admitted frame whose reference bit is set, with the state
 *	that holds it, in no given order. For a policy whose tick reads
 *	each frame's bit on its own, whatever the other frames' (s3fifo):
 *	it reads it here instead of walking its lists in tick(), and the
 *	core, which learns of each reference, visits only the frames
 *	referenced since the last tick where it can (the simulator does).
 *	Needs %SWAPLAB_POLICY_TICK.
 * @init: (optional) set up @state_size bytes of zeroed state, for a budget
 *	of &swaplab_policy_ctx.nr_frames
 * @resize: (optional) the frame budget changed to
 *	&swaplab_policy_ctx.nr_frames (under allocation=local, the
 *	allocation of the process the state is for)
 * @release: (optional) tear the state down; called for the state of the
 *	whole budget only, not for the states of processes under local (see
 *	&swaplab_policy_ctx.proc)
 * @stats: (optional) the state's own counts, for what the policy decides
 *	that no other count shows: up to @max of them in @out, always in
 *	the same order, and how many. Read for the state of the whole
 *	budget: the module's sysfs file stats, the simulator's --stats.
 * @state_size: bytes of per-policy state the core allocates
 * @knobs: the policy's tunables, ended by one without a name; their values
 *	reach every callback in &swaplab_policy_ctx.knob, in this order
 * @name: the name users select it by
 * @owner: module that provides it; NULL for the built-in ones
 * @list: registry linkage (core use)
 * @kobj: the policy's sysfs directory (core use)
 * @nr_refaults: refaults admitted while the policy was current (core use)
 * @nr_predicted: those its admit() said its history foresaw (core use)
 * @flags: %SWAPLAB_POLICY_*
 *
 * Every callback runs under the core's policy mutex; @state is the
 * policy's state. A callback must not sleep or call into the kernel, so
 * that the same source compiles into the userspace simulator. The core
 * harvests reference bits itself, before it asks for victims and again
 * when a policy answers %SWAPLAB_VICTIM_RESCAN.
 *
 * Under allocation=local the core keeps one state per process (the
 * thread group a region is charged to) and the policy needs nothing
 * more: each callback about a frame gets the state of the frame's
 * process, victim() the state of the process whose page is wanted,
 * tick() comes once per state, init() and resize() give the process's
 * allocation in &swaplab_policy_ctx.nr_frames (with
 * &swaplab_policy_ctx.proc set), and a state never sees another process's
 * frames. Such states are freed without release(). A policy that cannot
 * answer for one process (%SWAPLAB_POLICY_GLOBAL_ONLY) cannot be selected
 * while allocation is local, nor allocation made local while it is
 * current (-EOPNOTSUPP).
 */
struct swaplab_policy_ops {
	void (*admit)(void *state, struct swaplab_frame *f,
		      enum swaplab_admit_reason why,
		      struct swaplab_policy_ctx *ctx);
	void (*access)(void *state, struct swaplab_frame *f,
		       const struct swaplab_policy_ctx *ctx);
	void (*remove)(void *state, struct swaplab_frame *f);
	struct swaplab_frame *(*victim)(void *state,
					struct swaplab_policy_ctx *ctx);
	unsigned int (*evicted)(void *state, struct swaplab_frame *f,
				const struct swaplab_policy_ctx *ctx);
	void (*tick)(void *state, const struct swaplab_policy_ctx *ctx);
	void (*tick_referenced)(void *state, struct swaplab_frame *f,
				const struct swaplab_policy_ctx *ctx);
	int (*init)(void *state, const struct swaplab_policy_ctx *ctx);
	void (*resize)(void *state, const struct swaplab_policy_ctx *ctx);
	void (*release)(void *state);
	unsigned int (*stats)(const void *state,
			      struct swaplab_policy_stat *out,
			      unsigned int max);
	unsigned int state_size;
	struct swaplab_policy_knob knobs[SWAPLAB_POLICY_KNOBS_MAX];

	char name[SWAPLAB_POLICY_NAME_MAX];
	struct module *owner;
	struct list_head list;
	struct kobject *kobj;
	unsigned long nr_refaults;
	unsigned long nr_predicted;
	unsigned int flags;
};

/*
 * The registry (ext/policy.c), as a policy module calls it, and the
 * random numbers a policy may draw (policy/core.c; the simulator has its
 * own). The names: each built-in policy's ops is swaplab_policy_<name>,
 * in policy/policy_<name>.c; every other swaplab_policy_*() is
 * ext/policy.c's, but swaplab_policy_random_u32().
 */
int swaplab_policy_register(struct swaplab_policy_ops *ops);
void swaplab_policy_unregister(struct swaplab_policy_ops *ops);
unsigned int swaplab_policy_random_u32(void);

/*
 * The built-in policies, each in its own file (policy_list.h), and the
 * external pager's (ext/policy_pager.c, module only), in one declaration.
 */
#define SWAPLAB_POLICY(name) swaplab_policy_##name,
extern struct swaplab_policy_ops
#include "api/policy_list.h"
	swaplab_policy_pager;
#undef SWAPLAB_POLICY

/*
 * The policy selected at load, and after an eBPF one detaches; the one
 * swaplab compare puts first.
 */
#define SWAPLAB_DEFAULT_POLICY	"gen"

#endif /* _SWAPLAB_POLICY_H */
