/* SPDX-License-Identifier: GPL-2.0 */
/* The trace simulator behind `swaplab sim`. */
#ifndef SWAPLAB_SIM_H
#define SWAPLAB_SIM_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_KNOBS_MAX	8

/**
 * struct sim_knob - a policy knob's value for a run
 * @name: the knob's name
 * @val: its value
 */
struct sim_knob {
	char name[32];
	unsigned int val;
};

/**
 * struct sim_stats - what a run of a module policy counted
 * @refaults: faults on pages evicted before
 * @predicted: those the policy's admit() said its history foresaw
 */
struct sim_stats {
	unsigned long refaults;
	unsigned long predicted;
};

/**
 * struct sim_config - how to replay a reference string
 * @frames: frames of memory
 * @batch: pages evicted at once when memory is full (1: textbook; 32:
 *	like swaplab's direct reclaim)
 * @tick: references between aging ticks (0: never)
 * @knobs: values for the policies' knobs, by name (as in
 *	/sys/kernel/swaplab/policies/<name>/); time is counted in references
 * @nknobs: how many
 * @stats: if not NULL, where the module policies' refault counts go
 */
struct sim_config {
	size_t frames;
	size_t batch;
	size_t tick;
	struct sim_knob knobs[SIM_KNOBS_MAX];
	int nknobs;
	struct sim_stats *stats;
};

/*
 * Names sim_run() knows: the module's policies, then the exact ones,
 * "lru", "arc", "lirs" and "opt".
 */
extern const char * const sim_policies[];

/*
 * Replay @refs (page numbers below @npages) under the named policy.
 * Returns the number of faults, or -1 for an unknown name or no memory.
 */
long sim_run(const char *policy, const unsigned long *refs, size_t nrefs,
	     unsigned long npages, const struct sim_config *cfg);

/* Is @name one of the module's own policies (not an exact one)? */
bool sim_is_module_policy(const char *name);

struct swaplab_policy_ops;
/* The module's own policy of that name, as compiled here, or NULL. */
struct swaplab_policy_ops *sim_policy_ops(const char *name);

/* Exact LRU, driven by access(), for `swaplab pager` (pager_lru.c). */
extern struct swaplab_policy_ops sim_pager_lru;

long sim_arc(const unsigned long *refs, size_t nrefs, unsigned long npages,
	     size_t frames);
long sim_lirs(const unsigned long *refs, size_t nrefs, unsigned long npages,
	      size_t frames);

#endif /* SWAPLAB_SIM_H */
