// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab pager: run one of the simulator's replacement policies as the
 * module's external pager, the textbook's user-level pager (Mach's
 * design): the same policy source runs in the kernel, in the simulator,
 * and here.
 *
 *	swaplab pager --policy fifo -- swaplab bench trace loop.trace
 *
 * attaches as the pager (SWAPLAB_IOC_PAGER_ATTACH), selects the "pager"
 * policy, runs the command, and meanwhile keeps the policy up to date
 * from the ring of events: an admission calls admit() on a frame of its
 * own for the page (with the page's record and the kernel's refault
 * distance at a refault), a removal remove(), an eviction evicted(),
 * whose record the pager keeps for the page's refault. Each WANT is
 * answered with the policy's victim()s (SWAPLAB_PAGER_IOC_VICTIMS),
 * removed from the policy as they are named, as the kernel's reclaim
 * removes what it isolates. Without a command it serves until SIGINT or
 * SIGTERM. The knobs it changed are put back on the way out.
 *
 * The reference bits: before each WANT the kernel sends the pages its
 * harvest found used (REFERENCED), whose bits the pager sets on its own
 * frames, where the policy reads and clears them. A policy with tick()
 * (aging) is ticked by the pager at a WANT once an eighth of the frames
 * (at least 32) were admitted since the last tick, as the simulator
 * does and as the module's reclaim does; not by time, as the module's
 * aging work also does, so that what the pager does never depends on it.
 * A victim() that answers SWAPLAB_VICTIM_RESCAN (a clock's hand went
 * round) is passed on as SWAPLAB_PAGER_RESCAN, in the same call as the
 * victims before it, when the WANT allowed it: the kernel harvests again
 * and sends the fresh bits with its next WANT. So with daemon=0 the
 * module faults exactly as under the built-in policy, for clock as for
 * fifo; a policy that ages by time (wsclock) reads the pager's clock, not
 * the kernel's. --policy lru is exact LRU (pager_lru.c), with every
 * reference seen as an ADMIT or ACCESS through record mode.
 *
 * Under allocation=local the kernel keeps a policy state a process and
 * asks for victims among one process's pages: its SELECT, RESIZE and
 * WANT events name the process, and so do its pages' events. The pager
 * keeps a state of the policy for each (struct ustate), as the simulator
 * does under local, and answers a WANT from the state it names, tagging
 * the answer with it (swaplab_pager_victims.proc).
 *
 * --data makes it the default pager (SWAPLAB_PAGER_DATA_ALL): it keeps,
 * in its own memory, the pages of every region made while it runs, by
 * any process but its own. It takes each dirty page leaving memory
 * (DATA_RETURN: SWAPLAB_PAGER_IOC_TAKE), supplies it at the fault
 * (DATA_REQUEST: SWAPLAB_PAGER_IOC_SUPPLY), and frees its copy when told
 * (DATA_DISCARD, REGION_GONE). With --policy as well, it is the whole of
 * Mach's external pager: policy and store.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/child.h"
#include "cli/cmd.h"
#include "lib/knobs.h"
#include "api/policy.h"
#include "sim/sim.h"
#include "lib/pager_ring.h"
#include "lib/sysfs.h"

#define PAGER_HASH	65536u

static long page_size;

/* A page the pager has heard of, with the frame its policy orders. */
struct ppage {
	struct swaplab_frame f;
	struct ppage *next;		/* hash chain */
	uint32_t proc;			/* the state it was admitted to */
	bool in_policy;			/* admitted and not removed */
	bool shadow;			/* evicted, @record kept */
	unsigned char record;
	void *data;			/* --data: the page's copy, or NULL */
};

/*
 * A policy state: the whole budget's (@proc 0), or under allocation=local
 * one process's, as the kernel's SELECT events make them.
 */
struct ustate {
	uint32_t proc;
	void *state;
	unsigned long nr_frames;	/* the budget, or the allocation */
	bool selected;			/* init() called */
};

struct upager {
	struct pager_ring pr;
	struct swaplab_policy_ops *ops;
	/* [0]: the whole budget's; its @selected: "pager" is selected */
	struct ustate *st;
	size_t nr_st, max_st;		/* states in use, places */
	uint64_t procs;			/* process states made */
	struct swaplab_policy_ctx ctx;
	struct ppage *hash[PAGER_HASH];
	bool done;			/* atomic builtins: main thread sets it */
	/* Set (atomic builtins) before the policy it found is put back. */
	bool restoring;
	/* DESELECTs before that: an ejection, or somebody else's choice */
	uint64_t deselected;
	int err;
	uint64_t events, answered, wants, rescans, referenced, accesses;
	uint64_t desync, admitted;
	/* --data: what it did, and the pages it holds now and at most */
	uint64_t taken, supplied, kept, discarded, stale, missing;
	uint64_t held, held_max;
};

static struct ppage *ppage_get(struct upager *u, uint64_t region,
			       uint64_t index, bool create)
{
	uint64_t h = (region * 0x9e3779b97f4a7c15ull ^ index) *
		     0xbf58476d1ce4e5b9ull;
	struct ppage **b = &u->hash[h >> 48 & (PAGER_HASH - 1)], *p;

	for (p = *b; p; p = p->next)
		if (p->f.region_id == region && p->f.index == index)
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		u->err = ENOMEM;
		return NULL;
	}
	p->f.region_id = region;
	p->f.index = index;
	p->next = *b;
	*b = p;
	return p;
}

/* The state for @proc (0: the whole budget's); NULL if there is none. */
static struct ustate *ustate_get(struct upager *u, uint32_t proc, bool create)
{
	struct ustate *st;

	for (size_t i = 0; i < u->nr_st; i++)
		if (u->st[i].proc == proc)
			return &u->st[i];
	if (!create)
		return NULL;
	if (u->nr_st == u->max_st) {
		size_t max = u->max_st ? 2 * u->max_st : 8;

		st = realloc(u->st, max * sizeof(*st));
		if (!st) {
			u->err = ENOMEM;
			return NULL;
		}
		u->st = st;
		u->max_st = max;
	}
	st = &u->st[u->nr_st];
	*st = (struct ustate){ .proc = proc };
	st->state = calloc(1, u->ops->state_size ? u->ops->state_size : 1);
	if (!st->state) {
		u->err = ENOMEM;
		return NULL;
	}
	u->nr_st++;
	return st;
}

/* Every process's state goes (without release(), as in the kernel). */
static void ustate_drop_procs(struct upager *u)
{
	for (size_t i = 1; i < u->nr_st; i++)
		free(u->st[i].state);
	u->nr_st = u->nr_st ? 1 : 0;
}

/* The state of an event about a page: selected, or NULL. */
static struct ustate *ustate_of(struct upager *u, uint32_t proc)
{
	struct ustate *st = ustate_get(u, proc, false);

	if (!st || !st->selected)
		return NULL;
	u->ctx.nr_frames = st->nr_frames;
	u->ctx.proc = proc;
	return st;
}

static void pager_ctx_now(struct upager *u)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	u->ctx.now_us = ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
	u->ctx.refault = NULL;
	u->ctx.may_rescan = false;
	u->ctx.may_wait = false;
	/* The events carry no kind of page: every page is anonymous here. */
	u->ctx.swappiness = SWAPLAB_SWAPPINESS_DEFAULT;
}

/*
 * SELECT: a fresh policy state for a budget of @frames: the whole
 * budget's (@proc 0), which starts everything over, or, after it, one
 * process's under allocation=local, with its allocation.
 */
static void pager_select(struct upager *u, uint32_t proc, uint64_t frames)
{
	struct ustate *st = ustate_get(u, 0, false);

	if (!proc) {
		if (st->selected && u->ops->release)
			u->ops->release(st->state);
		ustate_drop_procs(u);
	} else {
		if (!st->selected)
			return;
		st = ustate_get(u, proc, true);
		if (!st)
			return;
		u->procs++;
	}
	for (size_t i = 0; i < PAGER_HASH; i++)
		for (struct ppage *p = u->hash[i]; p; p = p->next)
			if (!proc || p->proc == proc)
				p->in_policy = false;
	memset(st->state, 0, u->ops->state_size ? u->ops->state_size : 1);
	st->nr_frames = frames;
	u->ctx.nr_frames = frames;
	u->ctx.proc = proc;
	st->selected = !u->ops->init || !u->ops->init(st->state, &u->ctx);
	if (!st->selected)
		u->err = ENOMEM;
}

static void pager_admit(struct upager *u, const struct swaplab_pager_event *e)
{
	static const enum swaplab_admit_reason why[] = {
		[SWAPLAB_PAGER_NEW] = SWAPLAB_ADMIT_NEW,
		[SWAPLAB_PAGER_REFAULT] = SWAPLAB_ADMIT_REFAULT,
		[SWAPLAB_PAGER_READAHEAD] = SWAPLAB_ADMIT_READAHEAD,
		[SWAPLAB_PAGER_RETURN] = SWAPLAB_ADMIT_RETURN,
		[SWAPLAB_PAGER_SWITCH] = SWAPLAB_ADMIT_SWITCH,
	};
	struct ustate *st = ustate_of(u, e->proc);
	struct ppage *p = ppage_get(u, e->region, e->index, true);
	struct swaplab_refault refault;
	enum swaplab_admit_reason r;

	if (!p || !st)
		return;
	if (p->in_policy || e->reason >= ARRAY_SIZE(why)) {
		/* Events were lost: never list a frame twice. */
		u->desync++;
		return;
	}
	r = why[e->reason];
	if (r != SWAPLAB_ADMIT_RETURN) {
		uint64_t region = p->f.region_id, index = p->f.index;

		memset(&p->f, 0, sizeof(p->f));
		p->f.region_id = region;
		p->f.index = index;
	}
	INIT_LIST_HEAD(&p->f.lru);
	if (r == SWAPLAB_ADMIT_REFAULT) {
		refault.distance = e->arg;
		refault.record = p->shadow ? p->record : e->record;
		u->ctx.refault = &refault;
	}
	/*
	 * The fault's reference comes as REFERENCED before the next WANT,
	 * with the kernel's frame's bit (which a readahead page lacks).
	 */
	u->ops->admit(st->state, &p->f, r, &u->ctx);
	u->admitted++;
	u->ctx.refault = NULL;
	p->in_policy = true;
	p->proc = e->proc;
	p->shadow = false;
}

/*
 * The aging tick, once an eighth of the budget (at least 32 frames) was
 * admitted since the last: for every state at once, then
 * tick_referenced() for each page whose bit is set, as the kernel ticks.
 */
static void pager_tick(struct upager *u)
{
	unsigned long frames = u->st[0].nr_frames;

	if (!u->ops->tick || u->admitted < (frames / 8 > 32 ? frames / 8 : 32))
		return;
	for (size_t i = 0; i < u->nr_st; i++) {
		/* Under local the whole budget's state holds no frame. */
		if (!u->st[i].selected || (i == 0 && u->nr_st > 1))
			continue;
		u->ctx.nr_frames = u->st[i].nr_frames;
		u->ctx.proc = u->st[i].proc;
		u->ops->tick(u->st[i].state, &u->ctx);
	}
	/* Then each page in the policy whose bit is set, as the core does. */
	for (size_t h = 0; u->ops->tick_referenced && h < PAGER_HASH; h++)
		for (struct ppage *p = u->hash[h]; p; p = p->next) {
			struct ustate *st;

			if (!p->in_policy ||
			    !test_bit(SWAPLAB_FRAME_REFERENCED, &p->f.flags))
				continue;
			st = ustate_of(u, p->proc);
			if (st)
				u->ops->tick_referenced(st->state, &p->f,
							&u->ctx);
		}
	u->admitted = 0;
}

/*
 * WANT: name up to @nr victims among the pages of the state @proc,
 * removing each from the policy; a victim() that asks for fresh bits,
 * when @may_rescan, ends the answer with a request for them.
 */
static void pager_answer(struct upager *u, uint32_t proc, uint64_t nr,
			 bool may_rescan)
{
	struct swaplab_pager_page pages[SWAPLAB_PAGER_VICTIMS_MAX];
	struct swaplab_pager_victims v = {
		.pages = (uintptr_t)pages, .proc = proc,
	};
	bool rescan = false;
	struct ustate *st;

	u->wants++;
	pager_tick(u);
	st = ustate_of(u, proc);
	if (!st) {
		/* Events were lost: the kernel chooses (pager_fallback). */
		u->desync++;
		return;
	}
	u->ctx.may_rescan = may_rescan;
	while (v.nr < nr && v.nr < SWAPLAB_PAGER_VICTIMS_MAX) {
		struct swaplab_frame *f = u->ops->victim(st->state, &u->ctx);
		struct ppage *p;

		if (f == SWAPLAB_VICTIM_RESCAN && may_rescan) {
			rescan = true;
			break;
		}
		if (!f || f == SWAPLAB_VICTIM_RESCAN ||
		    f == SWAPLAB_VICTIM_WAIT)
			break;
		p = (struct ppage *)((char *)f - offsetof(struct ppage, f));
		u->ops->remove(st->state, f);
		p->in_policy = false;
		pages[v.nr].region = f->region_id;
		pages[v.nr].index = f->index;
		v.nr++;
	}
	u->ctx.may_rescan = false;
	/* The victims and the harvest after them in one call. */
	if (rescan)
		v.flags = SWAPLAB_PAGER_RESCAN;
	if ((v.nr || rescan) && ioctl(u->pr.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v)) {
		u->err = errno;
		return;
	}
	u->answered += v.queued;
	u->rescans += rescan && v.queued == v.nr;
}

/* Forget a page's copy. */
static void pager_data_drop(struct upager *u, struct ppage *p)
{
	if (p && p->data) {
		free(p->data);
		p->data = NULL;
		u->held--;
		u->discarded++;
	}
}

/* DATA_RETURN: take the page; from now on ours is its only copy. */
static void pager_data_take(struct upager *u,
			    const struct swaplab_pager_event *e)
{
	struct ppage *p = ppage_get(u, e->region, e->index, true);
	struct swaplab_pager_data d = {
		.region = e->region, .index = e->index, .seq = e->arg,
	};
	void *buf;

	if (!p)
		return;
	buf = p->data ? p->data : malloc(page_size);
	if (!buf) {
		u->err = ENOMEM;	/* the page waits in the kernel's buffer */
		return;
	}
	d.buf = (uintptr_t)buf;
	if (ioctl(u->pr.fd, SWAPLAB_PAGER_IOC_TAKE, &d)) {
		/* ESRCH: a fault took it back first. */
		if (errno != ESRCH)
			u->err = errno;
		u->stale++;
		if (buf != p->data)
			free(buf);
		return;
	}
	if (!p->data) {
		p->data = buf;
		if (++u->held > u->held_max)
			u->held_max = u->held;
	}
	u->taken++;
}

/* DATA_REQUEST: a fault waits for the page. */
static void pager_data_supply(struct upager *u,
			      const struct swaplab_pager_event *e)
{
	struct ppage *p = ppage_get(u, e->region, e->index, false);
	struct swaplab_pager_data d = {
		.region = e->region, .index = e->index, .seq = e->arg,
	};

	if (!p || !p->data) {
		/* Not ours (lost from a full ring?): the fault times out. */
		u->missing++;
		return;
	}
	d.buf = (uintptr_t)p->data;
	if (!ioctl(u->pr.fd, SWAPLAB_PAGER_IOC_SUPPLY, &d))
		u->supplied++;
	else if (errno == ESRCH)
		u->stale++;	/* the fault gave up waiting */
	else
		u->err = errno;
}

/* REGION_GONE: every copy of the region goes. */
static void pager_data_region_gone(struct upager *u, uint64_t region)
{
	for (size_t i = 0; i < PAGER_HASH; i++)
		for (struct ppage *p = u->hash[i]; p; p = p->next)
			if (p->f.region_id == region)
				pager_data_drop(u, p);
}

/* The page data events; false for any other. */
static bool pager_data_event(struct upager *u,
			     const struct swaplab_pager_event *e)
{
	switch (e->type) {
	case SWAPLAB_PAGER_DATA_RETURN:
		pager_data_take(u, e);
		return true;
	case SWAPLAB_PAGER_DATA_REQUEST:
		pager_data_supply(u, e);
		return true;
	case SWAPLAB_PAGER_DATA_KEPT:
		u->kept++;
		return true;
	case SWAPLAB_PAGER_DATA_DISCARD:
		pager_data_drop(u, ppage_get(u, e->region, e->index, false));
		return true;
	case SWAPLAB_PAGER_REGION_GONE:
		pager_data_region_gone(u, e->region);
		return true;
	}
	return false;
}

/*
 * The page of an event about one in the policy, and its state, or NULL:
 * an event of a state the pager does not have, or a page not admitted
 * to it (@in: in the policy now; else removed, for EVICTED).
 */
static struct ppage *pager_page(struct upager *u,
				const struct swaplab_pager_event *e, bool in,
				struct ustate **st)
{
	struct ppage *p = ppage_get(u, e->region, e->index, false);

	*st = ustate_of(u, e->proc);
	if (!p || !*st || p->in_policy != in || p->proc != e->proc)
		return NULL;
	return p;
}

static void pager_event(struct upager *u, const struct swaplab_pager_event *e)
{
	struct ustate *st;
	struct ppage *p;

	u->events++;
	if (pager_data_event(u, e))
		return;
	if (!u->ops)
		return;
	pager_ctx_now(u);
	if (e->type == SWAPLAB_PAGER_SELECT) {
		pager_select(u, e->proc, e->arg);
		return;
	}
	if (!u->st[0].selected)
		return;
	switch (e->type) {
	case SWAPLAB_PAGER_DESELECT:
		if (u->ops->release)
			u->ops->release(u->st[0].state);
		ustate_drop_procs(u);
		u->st[0].selected = false;
		if (!__atomic_load_n(&u->restoring, __ATOMIC_ACQUIRE))
			u->deselected++;
		break;
	case SWAPLAB_PAGER_ADMIT:
		pager_admit(u, e);
		break;
	case SWAPLAB_PAGER_REMOVE:
		p = pager_page(u, e, true, &st);
		if (p) {
			u->ops->remove(st->state, &p->f);
			p->in_policy = false;
		}
		break;
	case SWAPLAB_PAGER_EVICTED:
		p = pager_page(u, e, false, &st);
		if (p) {
			unsigned int rec = u->ops->evicted ?
				u->ops->evicted(st->state, &p->f, &u->ctx) : 0;

			p->record = rec > SWAPLAB_RECORD_MAX ?
				    SWAPLAB_RECORD_MAX : rec;
			p->shadow = true;
		}
		break;
	case SWAPLAB_PAGER_RESIZE:
		st = ustate_of(u, e->proc);
		if (!st)
			break;
		st->nr_frames = e->arg;
		u->ctx.nr_frames = e->arg;
		if (u->ops->resize)
			u->ops->resize(st->state, &u->ctx);
		break;
	case SWAPLAB_PAGER_REFERENCED:
		p = pager_page(u, e, true, &st);
		if (p) {
			set_bit(SWAPLAB_FRAME_REFERENCED, &p->f.flags);
			u->referenced++;
		}
		break;
	case SWAPLAB_PAGER_ACCESS:
		p = pager_page(u, e, true, &st);
		if (p && u->ops->access) {
			u->ops->access(st->state, &p->f, &u->ctx);
			u->accesses++;
		}
		break;
	case SWAPLAB_PAGER_WANT:
		pager_answer(u, e->proc, e->arg,
			     e->reason & SWAPLAB_PAGER_WANT_MAY_RESCAN);
		break;
	}
}

/* Handle what the ring holds; false once it is empty and we are done. */
static bool pager_drain(struct upager *u, int timeout_ms)
{
	struct pollfd pfd = { .fd = u->pr.fd, .events = POLLIN };
	uint64_t head, tail;

	poll(&pfd, 1, timeout_ms);
	head = __atomic_load_n(&u->pr.ring->head, __ATOMIC_ACQUIRE);
	tail = __atomic_load_n(&u->pr.ring->tail, __ATOMIC_ACQUIRE);
	if (head == tail)
		return !__atomic_load_n(&u->done, __ATOMIC_ACQUIRE);
	while (head != tail && !u->err)
		pager_event(u, &u->pr.ev[head++ & u->pr.ring->mask]);
	__atomic_store_n(&u->pr.ring->head, head, __ATOMIC_RELEASE);
	return !u->err;
}

static void *pager_thread(void *arg)
{
	struct upager *u = arg;

	while (pager_drain(u, 100) && !knobs_stop_signal())
		;
	return NULL;
}

static int pager_attach(struct upager *u, uint32_t entries, bool data,
			uint32_t data_timeout_ms)
{
	/*
	 * Woken for a WANT or a page data event, or once half the ring
	 * waits: the events before a WANT are read with it, a batch a
	 * wake-up.
	 */
	struct swaplab_pager_attach at = {
		.entries = entries, .flags = SWAPLAB_PAGER_CLOEXEC,
		.wakeup = entries / 2,
	};

	if (data) {
		at.flags |= SWAPLAB_PAGER_DATA | SWAPLAB_PAGER_DATA_ALL;
		at.data_timeout_ms = data_timeout_ms;
	}
	return pager_ring_attach(&u->pr, &at, "swaplab pager");
}

static double tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

static void usage_pager(FILE *f)
{
	fprintf(f,
		"usage: swaplab pager [--policy NAME] [--data [--data-timeout MS]] [--entries N]\n"
		"                     [-- COMMAND [ARG...]]\n"
		"  Attaches as the module's external pager, selects the \"pager\"\n"
		"  policy and runs NAME, one of the simulator's policies, there:\n"
		"  it follows the events and names the victims. Runs COMMAND and\n"
		"  stops when it exits (its exit status), or serves until SIGINT or\n"
		"  SIGTERM. The kernel sends the pages' reference bits from its\n"
		"  harvests, and harvests again when the policy asks. NAME lru is\n"
		"  exact LRU, which needs every reference: it runs COMMAND with\n"
		"  SWAPLAB_PRELOAD_RECORD=1 (record mode for the regions of\n"
		"  swaplab run and swaplab bench) unless that is set. At exit it\n"
		"  prints what it saw and its own CPU time.\n"
		"  --data: also keep the pages, in its own memory, of every region\n"
		"  made while it runs (the default pager): dirty pages leaving\n"
		"  memory come to it, and it supplies them at the faults. If it\n"
		"  dies, those pages are lost: SIGBUS until discarded. --policy\n"
		"  or --data, or both.\n"
		"  --data-timeout: how long a fault waits for a page it asked the\n"
		"  pager for before it fails with SIGBUS, 1 to %d ms (default\n"
		"  %d; the page stays with the pager for the next try)\n"
		"  --entries: events the ring holds (default %d)\n",
		SWAPLAB_PAGER_DATA_TIMEOUT_MAX, SWAPLAB_PAGER_DATA_TIMEOUT_DEF,
		SWAPLAB_PAGER_ENTRIES_MAX);
}

int cmd_pager(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "entries", required_argument, NULL, 'e' },
		{ "data", no_argument, NULL, 'd' },
		{ "data-timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t entries = SWAPLAB_PAGER_ENTRIES_MAX, data_ms = 0;
	struct child_spec spec = { .out_fd = -1 };
	struct child_result res;
	struct rusage ru;
	struct upager *u;
	pthread_t thread;
	const char *policy = NULL;
	bool bad = false, data = false;
	int opt, status = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			policy = optarg;
			break;
		case 'e':
			bad |= parse_size(optarg, &entries) ||
			       entries < SWAPLAB_PAGER_ENTRIES_MIN ||
			       entries > SWAPLAB_PAGER_ENTRIES_MAX ||
			       (entries & (entries - 1));
			break;
		case 'd':
			data = true;
			break;
		case 't':
			bad |= parse_size(optarg, &data_ms) || !data_ms ||
			       data_ms > SWAPLAB_PAGER_DATA_TIMEOUT_MAX;
			break;
		case 'h':
			usage_pager(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || (!policy && !data) || (data_ms && !data)) {
		usage_pager(stderr);
		return 2;
	}
	page_size = sysconf(_SC_PAGESIZE);
	u = calloc(1, sizeof(*u));
	if (!u)
		return 1;
	if (policy)
		u->ops = strcmp(policy, "lru") ? sim_policy_ops(policy) :
						 &sim_pager_lru;
	if (policy && !u->ops) {
		fprintf(stderr, "swaplab pager: no policy %s in the simulator\n",
			policy);
		free(u);
		return 2;
	}
	/*
	 * Exact LRU needs every reference: the command's regions in record
	 * mode, with a window of 1, unless it says otherwise.
	 */
	if (u->ops == &sim_pager_lru && !getenv("SWAPLAB_PRELOAD_RECORD") &&
	    setenv("SWAPLAB_PRELOAD_RECORD", "1", 0)) {
		free(u);
		return 1;
	}
	for (int i = 0; u->ops && i < SWAPLAB_POLICY_KNOBS_MAX; i++)
		u->ctx.knob[i] = u->ops->knobs[i].def;
	if ((u->ops && !ustate_get(u, 0, true)) || need_module() ||
	    pager_attach(u, entries, data, data_ms))
		goto out;
	/* Its own memory must not wait on itself. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "swaplab pager: mlockall: %s (going on)\n",
			strerror(errno));
	knobs_save();
	knobs_catch_signals();
	if (pthread_create(&thread, NULL, pager_thread, u)) {
		fprintf(stderr, "swaplab pager: no thread\n");
		goto restore;
	}
	if (u->ops && knobs_set(0, "pager", 0)) {
		__atomic_store_n(&u->done, true, __ATOMIC_RELEASE);
		pthread_join(thread, NULL);
		goto restore;
	}
	if (optind < argc) {
		spec.argv = argv + optind;
		status = child_run_command(&spec, &res) ? 127 :
			 child_exit_code(res.status);
	} else {
		while (!knobs_stop_signal())
			pause();
		status = 0;
	}
	/* Back to the policy before, then the last events. */
	__atomic_store_n(&u->restoring, true, __ATOMIC_RELEASE);
	knobs_restore();
	__atomic_store_n(&u->done, true, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	if (u->ops)
		fprintf(stderr, "swaplab pager: %s: %" PRIu64 " events, %" PRIu64
			" requests for victims, %" PRIu64 " victims named, %" PRIu64
			" pages referenced, %" PRIu64 " rescans, %" PRIu64
			" accesses, %" PRIu64 " process states, %llu events lost%s\n",
			policy, u->events, u->wants, u->answered, u->referenced,
			u->rescans, u->accesses, u->procs,
			(unsigned long long)u->pr.ring->lost,
			u->desync ? " (the policy lost track: raise --entries)" : "");
	if (u->ops && u->deselected)
		fprintf(stderr, "swaplab pager: the pager policy was deselected %" PRIu64
			" time(s) while it ran, by an ejection (see pager_ejections in stat and the kernel log) or by hand: the policy then current chose the victims\n",
			u->deselected);
	if (data)
		fprintf(stderr, "swaplab pager: data: %" PRIu64 " pages taken, %" PRIu64
			" supplied, %" PRIu64 " kept clean, %" PRIu64 " discarded, %" PRIu64
			" stale answers, %" PRIu64 " requests for pages not held, %" PRIu64
			" pages held at most (%" PRIu64 " KiB), %llu events lost\n",
			u->taken, u->supplied, u->kept, u->discarded, u->stale,
			u->missing, u->held_max, u->held_max * page_size / 1024,
			(unsigned long long)u->pr.ring->lost);
	if (!getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "swaplab pager: cpu %.3f s (%.3f user, %.3f system)\n",
			tv_s(&ru.ru_utime) + tv_s(&ru.ru_stime),
			tv_s(&ru.ru_utime), tv_s(&ru.ru_stime));
	if (u->err) {
		fprintf(stderr, "swaplab pager: %s\n", strerror(u->err));
		status = 1;
	}
	goto unmap;
restore:
	knobs_restore();
unmap:
	pager_ring_detach(&u->pr);
out:
	ustate_drop_procs(u);
	if (u->nr_st)
		free(u->st[0].state);
	free(u->st);
	for (size_t i = 0; i < PAGER_HASH; i++)
		while (u->hash[i]) {
			struct ppage *p = u->hash[i];

			u->hash[i] = p->next;
			free(p->data);
			free(p);
		}
	free(u);
	return status;
}
