/* SPDX-License-Identifier: GPL-2.0 */
/* The trace simulator behind `swaplab sim`. */
#ifndef SWAPLAB_SIM_H
#define SWAPLAB_SIM_H

#include <stddef.h>

/**
 * struct sim_config - how to replay a reference string
 * @frames: frames of memory
 * @batch: pages evicted at once when memory is full (1: textbook; 32:
 *	like swaplab's direct reclaim)
 * @tick: references between aging ticks (0: never)
 * @tau: WSClock's window, in references
 * @aging_bits: aging counter width, 1 to 8
 */
struct sim_config {
	size_t frames;
	size_t batch;
	size_t tick;
	size_t tau;
	unsigned int aging_bits;
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

long sim_arc(const unsigned long *refs, size_t nrefs, unsigned long npages,
	     size_t frames);
long sim_lirs(const unsigned long *refs, size_t nrefs, unsigned long npages,
	      size_t frames);

#endif /* SWAPLAB_SIM_H */
