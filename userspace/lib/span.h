/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How long some work took, key by key: a span opens for a key (a page's
 * number) when the work begins and closes when it ends, one sample of
 * microseconds each, and the samples give the median and the 90th
 * percentile. `swaplab dsm serve` times in them the faults it answers
 * and the messages of its peers.
 */
#ifndef SWAPLAB_LIB_SPAN_H
#define SWAPLAB_LIB_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most samples a span keeps; its count goes on past it. */
#define SPAN_SAMPLES	(1024 * 1024)

/**
 * struct span - the open clocks of @keys keys, and the samples
 * @since: each key's start, ns of CLOCK_MONOTONIC; 0 while none is open
 * @us: the samples kept, microseconds
 * @keys: how many keys
 * @n: how many spans closed
 * @kept: how many samples @us holds (at most SPAN_SAMPLES)
 * @cap: how many it has room for
 */
struct span {
	int64_t *since;
	uint32_t *us;
	size_t keys, n, kept, cap;
};

int span_init(struct span *sp, size_t keys);
void span_free(struct span *sp);
void span_open(struct span *sp, size_t key);
void span_close(struct span *sp, size_t key);
void span_drop(struct span *sp, size_t key);
void span_move(struct span *from, struct span *to, size_t key);
bool span_quantiles(struct span *sp, uint32_t *p50, uint32_t *p90);

#endif
