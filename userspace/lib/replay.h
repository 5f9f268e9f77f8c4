/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replaying a reference string on a mapping, with verification: shared
 * by `swaplab bench` (a /dev/swaplab region) and `swaplab compare` (a
 * region, or anonymous memory under the stock kernel).
 */
#ifndef SWAPLAB_REPLAY_H
#define SWAPLAB_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct replay - a replay's inputs, scratch and results
 * @refs: the reference string (page numbers below @npages)
 * @nrefs: its length
 * @npages: pages the string ranges over
 * @seen: scratch, @npages counters (replay_prepare() allocates it)
 * @lat: scratch, @nrefs latencies (replay_prepare() allocates it)
 * @readonly: references only read and check their page (after
 *	replay_fill()), so that evicted pages are clean
 * @write_anon: with @readonly, references to anonymous pages write them
 *	all the same: only the pages of files are read
 * @kinds: the kind of each of the @npages pages (TRACE_KIND_*, trace.h),
 *	or NULL when all are anonymous
 * @elapsed: seconds the references took
 * @p50: median latency of one reference, seconds
 * @p99: 99th percentile latency
 * @max: the largest
 * @fault_p50: median latency of the references that took a major fault,
 *	when replay_run() was asked to tell them apart; else 0
 * @fault_p99: their 99th percentile (same condition)
 * @major_refs: references that took a major fault (same condition)
 * @mismatches: pages whose content was wrong, during the string or in
 *	the final check of every page (replay_verify())
 * @at: if not NULL, called by replay_run() before reference @at_ref, out
 *	of its timing; it returns the next reference to be called before
 *	(@nrefs or more: none)
 * @at_ref: see @at
 * @at_arg: for @at
 */
struct replay {
	const unsigned long *refs;
	size_t nrefs;
	unsigned long npages;
	uint64_t *seen;
	double *lat;
	int readonly;
	bool write_anon;
	const uint8_t *kinds;
	double elapsed;
	double p50, p99, max;
	double fault_p50, fault_p99;
	uint64_t major_refs;
	uint64_t mismatches;
	size_t (*at)(struct replay *r, size_t t);
	size_t at_ref;
	void *at_arg;
};

/* Allocate and touch the scratch arrays; 0 or -ENOMEM. */
int replay_prepare(struct replay *r);

/* What replay_run() times, besides the whole string. */
enum replay_timing {
	REPLAY_TIME_NONE,	/* nothing more: the least overhead */
	REPLAY_TIME_REFS,	/* each reference (p50, p99, max) */
	REPLAY_TIME_FAULTS,	/* and the ones that faulted (fault_p50, p99) */
};

/*
 * Replay on @map (@npages pages, zero at the start, or filled by
 * replay_fill()): each reference checks its page's stamp and writes the
 * next (or only checks, when @r->readonly, but for anonymous pages with
 * @r->write_anon). REPLAY_TIME_FAULTS reads the
 * process's major fault count around each reference, to time the
 * faulting ones alone (two more system calls a reference).
 */
void replay_run(struct replay *r, uint8_t *map, enum replay_timing timing);

/* After replay_run(): check every page, adding to @r->mismatches. */
void replay_verify(struct replay *r, uint8_t *map);

/* Write every page's first stamp, untimed: the setup of a read-only run. */
void replay_fill(struct replay *r, uint8_t *map);

void replay_free(struct replay *r);

/* Seconds on CLOCK_MONOTONIC. */
double replay_now(void);

/* Sort @n doubles in increasing order. */
void replay_sort(double *v, size_t n);

#endif /* SWAPLAB_REPLAY_H */
