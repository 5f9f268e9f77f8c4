// SPDX-License-Identifier: GPL-2.0
/*
 * Replaying a reference string on a mapping, with verification.
 *
 * Each reference reads its page's stamp (the number of earlier references
 * to the page, mixed with the page number), checks it, and writes the
 * next one: a read and a write, so evicted pages are dirty and a lost
 * write is caught. A read-only replay writes every page once first and
 * then only reads and checks. The time of each reference, fault included, gives the
 * latency percentiles.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lib/common.h"
#include "lib/replay.h"
#include "lib/trace.h"

double replay_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The stamp of page @page after its @n-th reference: the page pattern's
 * first word under seed @n; 0 before any.
 */
static uint64_t stamp(uint64_t page, uint64_t n)
{
	return n ? pattern(page, 0, n) : 0;
}

int replay_prepare(struct replay *r)
{
	r->seen = calloc(r->npages, sizeof(*r->seen));
	r->lat = calloc(r->nrefs ? r->nrefs : 1, sizeof(*r->lat));
	if (!r->seen || !r->lat) {
		replay_free(r);
		return -ENOMEM;
	}
	/* Touch them now, so that their faults are not the replay's. */
	memset(r->seen, 0, r->npages * sizeof(*r->seen));
	memset(r->lat, 0, r->nrefs * sizeof(*r->lat));
	return 0;
}

void replay_free(struct replay *r)
{
	free(r->seen);
	free(r->lat);
	r->seen = NULL;
	r->lat = NULL;
}

void replay_fill(struct replay *r, uint8_t *map)
{
	long page_size = sysconf(_SC_PAGESIZE);

	for (unsigned long p = 0; p < r->npages; p++) {
		r->seen[p] = 1;
		*(uint64_t *)(map + p * page_size) = stamp(p, 1);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void replay_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

void replay_run(struct replay *r, uint8_t *map, enum replay_timing timing)
{
	long page_size = sysconf(_SC_PAGESIZE);
	bool per_fault = timing == REPLAY_TIME_FAULTS;
	size_t nfault = 0;
	double t0;

	r->mismatches = 0;
	t0 = replay_now();
	for (size_t t = 0; t < r->nrefs; t++) {
		unsigned long p = r->refs[t];
		uint64_t *w = (uint64_t *)(map + p * page_size);
		long m0;
		double a;

		if (r->at && t == r->at_ref)
			r->at_ref = r->at(r, t);
		m0 = per_fault ? majflt() : 0;
		a = timing != REPLAY_TIME_NONE ? replay_now() : 0;
		if (*w != stamp(p, r->seen[p]))
			r->mismatches++;
		if (!r->readonly ||
		    (r->write_anon &&
		     (!r->kinds || r->kinds[p] == TRACE_KIND_ANON)))
			*w = stamp(p, ++r->seen[p]);
		if (timing == REPLAY_TIME_NONE)
			continue;
		a = replay_now() - a;
		/* Faulting references first, the others after them. */
		if (per_fault && majflt() != m0) {
			r->lat[t] = r->lat[nfault];
			r->lat[nfault++] = a;
		} else {
			r->lat[t] = a;
		}
	}
	r->elapsed = replay_now() - t0;

	r->major_refs = nfault;
	r->fault_p50 = 0;
	r->fault_p99 = 0;
	r->p50 = 0;
	r->p99 = 0;
	r->max = 0;
	if (timing == REPLAY_TIME_NONE || !r->nrefs)
		return;
	if (nfault) {
		replay_sort(r->lat, nfault);
		r->fault_p50 = r->lat[nfault / 2];
		r->fault_p99 = r->lat[nfault * 99 / 100];
	}
	replay_sort(r->lat, r->nrefs);
	r->p50 = r->lat[r->nrefs / 2];
	r->p99 = r->lat[r->nrefs * 99 / 100];
	r->max = r->lat[r->nrefs - 1];
}

void replay_verify(struct replay *r, uint8_t *map)
{
	long page_size = sysconf(_SC_PAGESIZE);

	for (unsigned long p = 0; p < r->npages; p++)
		if (*(uint64_t *)(map + p * page_size) != stamp(p, r->seen[p]))
			r->mismatches++;
}
