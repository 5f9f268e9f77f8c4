// SPDX-License-Identifier: GPL-2.0
/*
 * Spans: the time of some work, key by key, and its median and 90th
 * percentile (lib/span.h).
 */
#include <stdlib.h>
#include <time.h>

#include "lib/span.h"

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/**
 * span_init() - no clock open, no sample, for @keys keys
 * @sp: the span
 * @keys: how many keys (0 to @keys - 1)
 *
 * Return: 0, or -1 out of memory.
 */
int span_init(struct span *sp, size_t keys)
{
	*sp = (struct span){ .keys = keys };
	sp->since = calloc(keys ? keys : 1, sizeof(*sp->since));
	return sp->since ? 0 : -1;
}

/**
 * span_free() - free what span_init() and the samples took
 * @sp: the span, initialised or zeroed
 */
void span_free(struct span *sp)
{
	free(sp->since);
	free(sp->us);
	*sp = (struct span){ 0 };
}

/**
 * span_open() - the work for @key begins, unless it began already
 * @sp: the span
 * @key: the key; one out of range is ignored
 */
void span_open(struct span *sp, size_t key)
{
	if (key < sp->keys && !sp->since[key])
		sp->since[key] = now_ns();
}

/**
 * span_close() - the work for @key ends: a sample, if its clock was open
 * @sp: the span
 * @key: the key; one out of range is ignored
 *
 * Past SPAN_SAMPLES samples, or out of memory, the span is counted but
 * not kept.
 */
void span_close(struct span *sp, size_t key)
{
	int64_t us;

	if (key >= sp->keys || !sp->since[key])
		return;
	us = (now_ns() - sp->since[key]) / 1000;
	sp->since[key] = 0;
	sp->n++;
	if (sp->kept == sp->cap && sp->cap < SPAN_SAMPLES) {
		size_t cap = sp->cap ? 2 * sp->cap : 1024;
		uint32_t *grown = realloc(sp->us, cap * sizeof(*sp->us));

		if (!grown)
			return;
		sp->us = grown;
		sp->cap = cap;
	}
	if (sp->kept < sp->cap)
		sp->us[sp->kept++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/**
 * span_drop() - the work for @key ends with no sample (handed on, or gone)
 * @sp: the span
 * @key: the key; one out of range is ignored
 */
void span_drop(struct span *sp, size_t key)
{
	if (key < sp->keys)
		sp->since[key] = 0;
}

/**
 * span_move() - @key's open clock goes on in another span
 * @from: the span it is open in
 * @to: the span it goes on in, of as many keys or more
 * @key: the key; one out of range is ignored
 */
void span_move(struct span *from, struct span *to, size_t key)
{
	if (key >= from->keys || key >= to->keys)
		return;
	to->since[key] = from->since[key];
	from->since[key] = 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/**
 * span_quantiles() - the median and the 90th percentile of the samples
 * @sp: the span (its samples get sorted)
 * @p50: the median, microseconds
 * @p90: the 90th percentile
 *
 * Return: false if there is no sample (@p50 and @p90 unset).
 */
bool span_quantiles(struct span *sp, uint32_t *p50, uint32_t *p90)
{
	if (!sp->kept)
		return false;
	qsort(sp->us, sp->kept, sizeof(*sp->us), cmp_u32);
	*p50 = sp->us[(sp->kept - 1) / 2];
	*p90 = sp->us[(sp->kept * 9 - 1) / 10];
	return true;
}
