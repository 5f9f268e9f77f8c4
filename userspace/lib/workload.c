// SPDX-License-Identifier: GPL-2.0
/*
 * Reference-string generators. Each is seeded and deterministic, so that
 * the simulator and the module can be given the very same string.
 *
 *   seq      pages 0..N-1 in order, over and over
 *   rand     uniform
 *   zipf     rank r drawn with probability ~ 1/r^theta; ranks are mapped to
 *            pages by a seeded permutation, so hot pages are scattered
 *   loop     the same as seq; pick N a little above the budget, where LRU
 *            and FIFO fault on every reference
 *   shift    a working set of N/4 pages, uniform within it, that moves by
 *            N/8 pages in each of eight phases
 *   hotcold  every other reference to a hot set of N/10 pages (uniform),
 *            the rest a sequential scan of the cold pages
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/workload.h"

const char * const workload_names[] = {
	"seq", "rand", "zipf", "loop", "shift", "hotcold", NULL,
};

static int gen_zipf(const struct workload *w, unsigned long *r, uint64_t *s)
{
	double *cdf = malloc(w->pages * sizeof(*cdf)), sum = 0;
	unsigned long *perm = malloc(w->pages * sizeof(*perm));

	if (!cdf || !perm) {
		free(cdf);
		free(perm);
		return -ENOMEM;
	}
	for (unsigned long i = 0; i < w->pages; i++) {
		sum += 1.0 / pow(i + 1, w->theta);
		cdf[i] = sum;
		perm[i] = i;
	}
	for (unsigned long i = w->pages - 1; i > 0; i--) {
		unsigned long j = prng_next(s) % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t t = 0; t < w->refs; t++) {
		double u = prng_unit(s) * sum;
		unsigned long lo = 0, hi = w->pages - 1;

		while (lo < hi) {
			unsigned long mid = lo + (hi - lo) / 2;

			if (cdf[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		r[t] = perm[lo];
	}
	free(cdf);
	free(perm);
	return 0;
}

int workload_generate(const struct workload *w, unsigned long **out)
{
	unsigned long n = w->pages, *r;
	uint64_t s = w->seed;
	int err = 0;

	if (!n || !w->refs || !(w->theta > 0 && w->theta < 10))
		return -EINVAL;
	r = malloc(w->refs * sizeof(*r));
	if (!r)
		return -ENOMEM;

	if (!strcmp(w->name, "seq") || !strcmp(w->name, "loop")) {
		for (size_t t = 0; t < w->refs; t++)
			r[t] = t % n;
	} else if (!strcmp(w->name, "rand")) {
		for (size_t t = 0; t < w->refs; t++)
			r[t] = prng_next(&s) % n;
	} else if (!strcmp(w->name, "zipf")) {
		err = gen_zipf(w, r, &s);
	} else if (!strcmp(w->name, "shift")) {
		unsigned long set = n / 4 ? n / 4 : 1, step = n / 8;
		size_t phase = (w->refs + 7) / 8;

		for (size_t t = 0; t < w->refs; t++)
			r[t] = (t / phase * step + prng_next(&s) % set) % n;
	} else if (!strcmp(w->name, "hotcold")) {
		unsigned long hot = n / 10 ? n / 10 : 1, cold = n - hot;
		unsigned long scan = 0;

		for (size_t t = 0; t < w->refs; t++)
			r[t] = t % 2 || !cold ? prng_next(&s) % hot :
				hot + scan++ % cold;
	} else {
		err = -EINVAL;
	}
	if (err) {
		free(r);
		return err;
	}
	*out = r;
	return 0;
}
