/* SPDX-License-Identifier: GPL-2.0 */
/* Reference-string generators shared by `swaplab gen` and `swaplab bench`. */
#ifndef SWAPLAB_WORKLOAD_H
#define SWAPLAB_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct workload - what to generate
 * @name: seq, rand, zipf, loop, shift or hotcold
 * @pages: pages the string ranges over
 * @refs: references to generate
 * @seed: seed of the generator; the same seed gives the same string
 * @theta: zipf's skew (0.99 by default)
 */
struct workload {
	const char *name;
	unsigned long pages;
	size_t refs;
	uint64_t seed;
	double theta;
};

extern const char * const workload_names[];

/* Fill *@out with @w->refs page numbers; 0, -EINVAL or -ENOMEM. */
int workload_generate(const struct workload *w, unsigned long **out);

#endif /* SWAPLAB_WORKLOAD_H */
