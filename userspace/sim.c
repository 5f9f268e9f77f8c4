// SPDX-License-Identifier: GPL-2.0
/*
 * The trace simulator: replays a reference string through the module's
 * own policy files (compiled here against policy_shim.h), and through
 * exact LRU, ARC (sim_arc.c) and LIRS (sim_lirs.c), driven by every
 * reference, and Belady's OPT, the lower bound no policy can beat.
 *
 * It models what swaplab does on a fault: a resident page gets its
 * reference bit set (the hardware accessed bit the module harvests); a
 * missing page is a fault, evicts @batch victims when memory is full, and
 * is admitted with its reference bit set.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "policy.h"
#include "sim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char * const sim_policies[] = {
	"aging", "clock", "fifo", "random", "wsclock", "lru", "arc", "lirs",
	"opt", NULL,
};

static struct swaplab_policy_ops *sim_ops(const char *name)
{
	static struct swaplab_policy_ops * const all[] = {
		&swaplab_policy_aging, &swaplab_policy_clock,
		&swaplab_policy_fifo, &swaplab_policy_random_ops,
		&swaplab_policy_wsclock,
	};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

static uint64_t sim_seed = 1;

/*
 * policy_random.c's source of randomness: common.h's generator, seeded
 * for repeatable runs.
 */
unsigned int swaplab_policy_random(void)
{
	return (unsigned int)(prng_next(&sim_seed) >> 32);
}

/* Replay through one of the module's policies. */
static long sim_policy(struct swaplab_policy_ops *ops,
		       const unsigned long *refs, size_t nrefs,
		       unsigned long npages, const struct sim_config *cfg)
{
	struct swaplab_policy_ctx ctx = {
		.aging_bits = cfg->aging_bits,
		.tau_ms = cfg->tau,
	};
	struct swaplab_frame *f = calloc(npages, sizeof(*f));
	bool *resident = calloc(npages, sizeof(*resident));
	void *state = calloc(1, ops->state_size ? ops->state_size : 1);
	/* The module also ticks after an eighth of the frames faulted in. */
	size_t admitted = 0, fault_tick = cfg->frames / 8 > 32 ? cfg->frames / 8 : 32;
	size_t nres = 0;
	long faults = -1;

	if (!f || !resident || !state || (ops->init && ops->init(state)))
		goto out;
	faults = 0;
	sim_seed = 1;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long p = refs[t];

		bool full;

		ctx.now_ms = t;
		/* The module's aging clock, which ticks while nothing reclaims. */
		if (ops->tick && cfg->tick && t && !(t % cfg->tick)) {
			ops->tick(state, &ctx);
			admitted = 0;
		}
		if (resident[p]) {
			set_bit(SWAPLAB_FRAME_REFERENCED, &f[p].flags);
			continue;
		}
		faults++;
		full = nres >= cfg->frames;
		/*
		 * Reclaim ages the counters first when an eighth of the frames
		 * has been faulted in since the last tick, as the module's
		 * swaplab_reclaim_prepare() does: at a reclaim, not at
		 * the reference that made the count.
		 */
		if (full && ops->tick && admitted >= fault_tick) {
			ops->tick(state, &ctx);
			admitted = 0;
		}
		/* Memory full: evict a whole batch at once, as reclaim does. */
		for (size_t b = 0; full && b < cfg->batch && nres; b++) {
			struct swaplab_frame *v = ops->victim(state, &ctx);

			if (!v)
				break;
			ops->forget(state, v);
			resident[v->index] = false;
			nres--;
		}
		memset(&f[p], 0, sizeof(f[p]));
		INIT_LIST_HEAD(&f[p].lru);
		f[p].index = p;
		set_bit(SWAPLAB_FRAME_REFERENCED, &f[p].flags);
		ops->admit(state, &f[p], &ctx);
		/* The faulting access restarts and sets the accessed bit. */
		set_bit(SWAPLAB_FRAME_REFERENCED, &f[p].flags);
		admitted++;
		resident[p] = true;
		nres++;
	}
	if (ops->release)
		ops->release(state);
out:
	free(state);
	free(resident);
	free(f);
	return faults;
}

/* Exact LRU (@opt false) or Belady's OPT (@opt true). */
static long sim_exact(bool opt, const unsigned long *refs, size_t nrefs,
		      unsigned long npages, const struct sim_config *cfg)
{
	size_t *next = malloc(nrefs * sizeof(*next));
	size_t *seen = malloc(npages * sizeof(*seen));
	size_t *key = calloc(npages, sizeof(*key));
	/* Never more than @npages resident, however many frames. */
	size_t slots = cfg->frames < npages ? cfg->frames : npages;
	unsigned long *mem = malloc((slots ? slots : 1) * sizeof(*mem));
	bool *resident = calloc(npages, sizeof(*resident));
	size_t nres = 0;
	long faults = -1;

	if (!next || !seen || !key || !mem || !resident)
		goto out;
	/* next[t]: when refs[t] is next used (nrefs: never). */
	for (unsigned long p = 0; p < npages; p++)
		seen[p] = nrefs;
	for (size_t t = nrefs; t-- > 0;) {
		next[t] = seen[refs[t]];
		seen[refs[t]] = t;
	}
	faults = 0;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long p = refs[t];

		/* LRU evicts the smallest last use; OPT the farthest next use. */
		key[p] = opt ? nrefs - next[t] : t + 1;
		if (resident[p])
			continue;
		faults++;
		for (size_t b = 0, full = nres >= cfg->frames;
		     full && b < cfg->batch && nres; b++) {
			size_t v = 0;

			for (size_t i = 1; i < nres; i++)
				if (key[mem[i]] < key[mem[v]])
					v = i;
			resident[mem[v]] = false;
			mem[v] = mem[--nres];
		}
		mem[nres++] = p;
		resident[p] = true;
	}
out:
	free(resident);
	free(mem);
	free(key);
	free(seen);
	free(next);
	return faults;
}

long sim_run(const char *policy, const unsigned long *refs, size_t nrefs,
	     unsigned long npages, const struct sim_config *cfg)
{
	struct swaplab_policy_ops *ops = sim_ops(policy);

	if (!cfg->frames || !cfg->batch || cfg->aging_bits < 1 ||
	    cfg->aging_bits > 8)
		return -1;
	if (ops)
		return sim_policy(ops, refs, nrefs, npages, cfg);
	if (!strcmp(policy, "arc"))
		return sim_arc(refs, nrefs, npages, cfg->frames);
	if (!strcmp(policy, "lirs"))
		return sim_lirs(refs, nrefs, npages, cfg->frames);
	if (!strcmp(policy, "lru") || !strcmp(policy, "opt"))
		return sim_exact(!strcmp(policy, "opt"), refs, nrefs, npages,
				 cfg);
	return -1;
}
