// SPDX-License-Identifier: GPL-2.0
/*
 * Spatial sampling of a reference string, for fast fault-rate curves
 * (`swaplab sim --curve --sample R`).
 *
 * SHARDS (Waldspurger et al., FAST 2015) keeps the references to a page
 * when a hash of the page's number falls below a threshold: a fixed
 * fraction R of the pages, with every reference each of them gets, so
 * that the reuse pattern of each kept page is whole. Miniature
 * simulation (Waldspurger et al., ATC 2017) then runs any policy, not
 * only LRU, on that sub-string with the cache scaled by the same
 * fraction, and reads its fault rate as the full cache's.
 *
 * The rate is a floor, not a promise, in two ways, both after the
 * fixed-size variant of SHARDS: a sample of fewer than a floor of pages
 * (@min_pages) is grown by taking the pages with the next smallest
 * hashes, since a miniature cache of a few pages no longer behaves like
 * the full one; and the cache is scaled by the fraction of the pages
 * actually taken, not the nominal rate, so that it holds the same share
 * of the sampled pages as the full cache holds of all of them.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/sim_sample.h"

/*
 * The page's hash: a 64-bit finaliser (splitmix64's), which spreads
 * neighbouring page numbers uniformly; its top 32 bits are compared with
 * the threshold. Deterministic, so that a curve can be made again.
 */
static uint32_t sample_hash(unsigned long page)
{
	uint64_t z = (uint64_t)page + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/*
 * The @k-th smallest (from 0) of @v[0..@n), @k < @n: counted by the top
 * 16 bits, then sorted within the one bucket that holds it. @v is
 * reordered.
 */
static int sample_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t sample_select(uint32_t *v, size_t n, size_t k)
{
	size_t *count = calloc(1 << 16, sizeof(*count));
	size_t below = 0, m = 0;
	uint32_t top;

	if (!count) {
		qsort(v, n, sizeof(*v), sample_cmp);
		return v[k];
	}
	for (size_t i = 0; i < n; i++)
		count[v[i] >> 16]++;
	for (top = 0; below + count[top] <= k; top++)
		below += count[top];
	free(count);
	for (size_t i = 0; i < n; i++)
		if (v[i] >> 16 == top)
			v[m++] = v[i];
	qsort(v, m, sizeof(*v), sample_cmp);
	return v[k - below];
}

/**
 * sim_sample() - the references of a spatial sample of the pages
 * @refs: the string, page numbers below @npages
 * @nrefs: its length
 * @npages: the bound on its page numbers
 * @kinds: the kind of each page, or NULL: every page is anonymous
 * @rate: the fraction of the pages to take, in (0, 1]
 * @min_pages: take at least this many pages (all of them if fewer)
 * @s: out: the sample, its pages renumbered from 0 in order of first
 *	reference, their kinds with them, or, when every page is taken, the
 *	string as it is; sim_sample_free() frees it
 *
 * Return: 0, or -1 when out of memory.
 */
int sim_sample(const unsigned long *refs, size_t nrefs, unsigned long npages,
	       const uint8_t *kinds, double rate, unsigned long min_pages,
	       struct sim_sample *s)
{
	uint64_t limit = rate >= 1.0 ? 1ULL << 32 :
			 (uint64_t)(rate * 4294967296.0);
	unsigned long *id = malloc((npages ? npages : 1) * sizeof(*id));
	uint32_t *h = NULL;
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	if (!id)
		return -1;
	memset(id, 0xff, (npages ? npages : 1) * sizeof(*id));
	/* The distinct pages and their hashes. */
	for (size_t t = 0; t < nrefs; t++) {
		if (id[refs[t]] != ~0UL)
			continue;
		id[refs[t]] = 0;
		s->pages++;
	}
	if (s->pages > min_pages && limit < 1ULL << 32) {
		h = malloc(s->pages * sizeof(*h));
		if (!h)
			goto nomem;
		for (unsigned long p = 0; p < npages; p++)
			if (!id[p])
				h[n++] = sample_hash(p);
		/* Hashes at or below the min_pages-th smallest are taken. */
		if (min_pages) {
			uint32_t kth = sample_select(h, n, min_pages - 1);

			if (limit <= kth)
				limit = (uint64_t)kth + 1;
		}
		free(h);
	} else {
		limit = 1ULL << 32;
	}
	s->limit = limit;
	s->refs = malloc((nrefs ? nrefs : 1) * sizeof(*s->refs));
	if (!s->refs)
		goto nomem;
	/* Every page: the string as it is, its page numbers kept. */
	if (limit == 1ULL << 32) {
		memcpy(s->refs, refs, nrefs * sizeof(*refs));
		s->nrefs = nrefs;
		s->npages = s->pages;
		s->bound = npages;
		free(id);
		return 0;
	}
	if (kinds) {
		s->kinds = malloc(s->pages ? s->pages : 1);
		if (!s->kinds)
			goto nomem;
	}
	for (unsigned long p = 0; p < npages; p++)
		if (!id[p])
			id[p] = sample_hash(p) < limit ? ~1UL : ~0UL;
	for (size_t t = 0; t < nrefs; t++) {
		unsigned long *p = &id[refs[t]];

		if (*p == ~0UL)
			continue;
		if (*p == ~1UL) {
			*p = s->npages++;
			if (kinds)
				s->kinds[*p] = kinds[refs[t]];
		}
		s->refs[s->nrefs++] = *p;
	}
	s->bound = s->npages;
	free(id);
	return 0;
nomem:
	free(id);
	sim_sample_free(s);
	return -1;
}

/**
 * sim_sample_free() - free what sim_sample() made
 * @s: the sample
 */
void sim_sample_free(struct sim_sample *s)
{
	free(s->refs);
	free(s->kinds);
	s->refs = NULL;
	s->kinds = NULL;
}
