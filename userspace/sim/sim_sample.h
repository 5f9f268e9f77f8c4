/* SPDX-License-Identifier: GPL-2.0 */
/* Spatial sampling of a reference string (sim_sample.c). */
#ifndef SWAPLAB_SIM_SAMPLE_H
#define SWAPLAB_SIM_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct sim_sample - the references of a sample of the pages
 * @refs: the sampled pages' references, in order
 * @nrefs: how many
 * @npages: the pages taken
 * @bound: their numbers are below it: @npages when renumbered, the
 *	string's bound when every page is taken and none is
 * @pages: the distinct pages of the whole string
 * @limit: the hash threshold used: a page is taken when its 32-bit hash
 *	is below it (2^32: every page)
 * @kinds: the kind of each page taken, renumbered (lib/trace.h's enum
 *	trace_kind); NULL when the string's kinds were NULL or its pages
 *	are all taken, keeping their numbers (then the string's kinds hold)
 */
struct sim_sample {
	unsigned long *refs;
	size_t nrefs;
	unsigned long npages;
	unsigned long bound;
	unsigned long pages;
	uint64_t limit;
	uint8_t *kinds;
};

int sim_sample(const unsigned long *refs, size_t nrefs, unsigned long npages,
	       const uint8_t *kinds, double rate, unsigned long min_pages,
	       struct sim_sample *s);
void sim_sample_free(struct sim_sample *s);

#endif /* SWAPLAB_SIM_SAMPLE_H */
