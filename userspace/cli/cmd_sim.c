// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab sim: replay a reference string through the simulator (sim.c):
 * the module's own policies, exact LRU, ARC and LIRS, and Belady's OPT;
 * a table of faults and fault rates. With --prefetcher, the module's
 * policies with the module's prefetchers, and each prefetcher's accuracy
 * and coverage. With --curve, the fault-rate curve: every policy's faults
 * at several memory sizes, each a percentage of the distinct pages; with
 * --sample, from a spatial sample of the pages (sim_sample.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/alloc.h"
#include "cli/cmd.h"
#include "lib/json.h"
#include "api/policy.h"
#include "api/prefetch.h"
#include "sim/sim.h"
#include "sim/sim_jobs.h"
#include "sim/sim_sample.h"
#include "lib/strmap.h"
#include "lib/sysfs.h"
#include "lib/trace.h"

/* --knob NAME=VALUE: a value for the policy knob of that name. */
static int sim_knob_parse(struct sim_config *cfg, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct sim_knob *k;
	char *end;

	if (cfg->nknobs == SIM_KNOBS_MAX || !eq || eq == arg ||
	    (size_t)(eq - arg) >= sizeof(k->name) || !eq[1]) {
		fprintf(stderr, "swaplab: --knob %s: expected NAME=VALUE (at most %d)\n",
			arg, SIM_KNOBS_MAX);
		return -1;
	}
	k = &cfg->knobs[cfg->nknobs];
	errno = 0;
	k->val = strtoul(eq + 1, &end, 10);
	if (errno || *end || eq[1] == '-') {
		fprintf(stderr, "swaplab: --knob %s: not a number\n", arg);
		return -1;
	}
	memcpy(k->name, arg, eq - arg);
	k->name[eq - arg] = '\0';
	cfg->nknobs++;
	return 0;
}

/* A decimal number in @lo..@hi, all of @s; 0, or -1. */
static int sim_uint(const char *s, unsigned int lo, unsigned int hi,
		    unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* @policy is "all" or one the simulator has. */
static bool sim_policy_known(const char *policy)
{
	for (const char *const *p = sim_policies; *p; p++)
		if (!strcmp(policy, *p))
			return true;
	return !strcmp(policy, "all");
}

/* The swappiness, for a header, when the string has pages of files. */
static void sim_swappiness_note(const struct sim_config *cfg)
{
	if (cfg->kinds)
		printf("; swappiness %u", cfg->swappiness);
}

/* --curve: at most this many sizes */
#define SIM_CURVE_MAX	16
/* --jobs: threads at most. */
#define SIM_JOBS_MAX	256

/* --curve P[,P...]: percentages 1..100, in @pct; how many, or -1. */
static int sim_curve_parse(const char *arg, unsigned int *pct)
{
	const char *s = arg;
	int n = 0;

	for (;;) {
		char num[8];
		size_t len = strcspn(s, ",");

		if (n == SIM_CURVE_MAX || !len || len >= sizeof(num))
			break;
		memcpy(num, s, len);
		num[len] = '\0';
		if (sim_uint(num, 1, 100, &pct[n]))
			break;
		n++;
		if (!s[len])
			return n;
		s += len + 1;
	}
	fprintf(stderr, "swaplab: --curve %s: expected up to %d percentages, 1..100, comma-separated\n",
		arg, SIM_CURVE_MAX);
	return -1;
}

/*
 * A list of replays being made, for sim_jobs_run(): room for @cap, @n
 * made so far.
 */
struct sim_list {
	struct sim_job *job;
	size_t n;
	size_t cap;
};

/* Room for @cap replays; 0, or 1 with a message. */
static int sim_list_init(struct sim_list *l, size_t cap)
{
	l->job = calloc(cap ? cap : 1, sizeof(*l->job));
	l->n = 0;
	l->cap = cap;
	if (l->job)
		return 0;
	fprintf(stderr, "swaplab: sim: out of memory\n");
	return 1;
}

/* One more: @policy with @cfg; 0, or 1 with a message. */
static int sim_list_add(struct sim_list *l, const char *policy,
			const struct sim_config *cfg)
{
	if (l->n < l->cap && !sim_job_init(&l->job[l->n], policy, cfg)) {
		l->n++;
		return 0;
	}
	fprintf(stderr, "swaplab: sim: out of memory\n");
	return 1;
}

static void sim_list_free(struct sim_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		sim_job_free(&l->job[i]);
	free(l->job);
}

/* How many names @names holds, up to its NULL. */
static size_t sim_count(const char *const *names)
{
	size_t n = 0;

	while (names[n])
		n++;
	return n;
}

/*
 * --sample-min's default: a sample of fewer pages is grown to this many.
 * The error of a sample's fault rate comes mostly from the hot pages it
 * happens to take or leave; with half as many, a zipf string's rates at
 * 5% of its pages stray from the exact ones by more than 0.01.
 */
#define SIM_SAMPLE_MIN_PAGES	16384

/* --sample R: a rate in (0, 1]; 0, or -1. */
static int sim_rate(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0.0 && v <= 1.0))
		return -1;
	*out = v;
	return 0;
}

/*
 * sim_curve()'s report: a policy's row, a size at a time; with a sample,
 * each count scaled by @scale, the pages of the string over those of the
 * sample.
 */
struct sim_curve_out {
	int npct;
	int status;
	double scale;
};

static void sim_curve_report(struct sim_job *j, size_t i, void *arg)
{
	struct sim_curve_out *o = arg;
	int col = i % o->npct;

	if (!col)
		printf("%-8s", j->policy);
	if (j->faults < 0) {
		fprintf(stderr, "swaplab: sim %s at %zu frames failed\n",
			j->policy, j->cfg.frames);
		o->status = 1;
		printf(" %12s", "failed");
	} else {
		printf(" %12.0f", j->faults * o->scale);
	}
	if (col == o->npct - 1)
		putchar('\n');
}

/* sim_curve()'s header: the sizes, and what the counts are. */
static void sim_curve_header(const unsigned int *pct, int npct,
			     const size_t *frames, size_t nrefs,
			     unsigned long d, const struct sim_config *cfg,
			     const struct sim_sample *s, double rate)
{
	printf("%-8s", "policy");
	for (int i = 0; i < npct; i++) {
		char col[32];

		snprintf(col, sizeof(col), "%u%%:%zu", pct[i], frames[i]);
		printf(" %12s", col);
	}
	printf("   (%zu references, %lu pages, batch %zu", nrefs, d, cfg->batch);
	sim_swappiness_note(cfg);
	printf("; faults at each size, percent of the pages:frames)\n");
	if (s)
		printf("# sample at rate %g: %lu of %lu pages (%.4f), %zu of %zu references; each count is the sample's faults times %.2f\n",
		       rate, s->npages, d, d ? (double)s->npages / d : 0.0,
		       s->nrefs, nrefs, s->npages ? (double)d / s->npages : 0.0);
}

/*
 * --curve: @policy (or every one) at each of the @npct sizes @pct, in
 * percent of the distinct pages (at least 4 frames). Each size ticks
 * every @tick references, or by default every frames, as without it.
 *
 * With a @rate, a miniature simulation of each: the references of a
 * spatial sample of the pages (sim_sample(), at least @min_pages),
 * through a memory of the same percentage of the sampled pages, its
 * batch, tick and time scaled alike, its faults scaled up by the pages
 * left out.
 */
static int sim_curve(const char *policy, const unsigned int *pct, int npct,
		     const unsigned long *refs, size_t nrefs,
		     unsigned long npages, struct sim_config *cfg, size_t tick,
		     unsigned int jobs, double rate, unsigned long min_pages)
{
	unsigned long d = sim_distinct(refs, nrefs, npages);
	struct sim_curve_out out = { .npct = npct, .scale = 1.0 };
	size_t frames[SIM_CURVE_MAX], batch = cfg->batch;
	struct sim_sample s = { 0 };
	const uint8_t *kinds = cfg->kinds;
	double ratio = 1.0;
	struct sim_list l;
	int err = 0;

	if (!d && nrefs) {
		fprintf(stderr, "swaplab: sim: out of memory\n");
		return 1;
	}
	for (int i = 0; i < npct; i++)
		frames[i] = d * pct[i] / 100 < 4 ? 4 : d * pct[i] / 100;
	if (rate) {
		if (sim_sample(refs, nrefs, npages, kinds, rate, min_pages,
			       &s)) {
			fprintf(stderr, "swaplab: sim: out of memory\n");
			return 1;
		}
		if (s.nrefs)
			ratio = (double)nrefs / s.nrefs;
		/*
		 * Faults scale by the pages taken (SHARDS_adj): references
		 * missing from the sample against its share of the pages
		 * are those of the hot pages it happened to leave out,
		 * hits; time and tick scale by the references.
		 */
		out.scale = s.npages ? (double)d / s.npages : 1.0;
		cfg->ref_us = 1000.0 * ratio;
	}
	if (sim_list_init(&l, sim_count(sim_policies) * npct)) {
		sim_sample_free(&s);
		return 1;
	}
	sim_curve_header(pct, npct, frames, nrefs, d, cfg, rate ? &s : NULL,
			 rate);
	/* A sample's pages are renumbered, and their kinds with them. */
	if (s.kinds)
		cfg->kinds = s.kinds;
	for (const char *const *p = sim_policies; *p && !err; p++) {
		if (strcmp(policy, "all") && strcmp(policy, *p))
			continue;
		for (int i = 0; i < npct && !err; i++) {
			size_t f = frames[i];

			if (rate) {
				f = s.npages * pct[i] / 100 < 4 ? 4 :
				    s.npages * pct[i] / 100;
				cfg->batch = batch * f / frames[i];
				if (!cfg->batch)
					cfg->batch = 1;
			}
			cfg->frames = f;
			cfg->tick = f;
			if (tick)
				cfg->tick = tick / ratio < 1 ? 1 : tick / ratio;
			err = sim_list_add(&l, *p, cfg);
		}
	}
	cfg->kinds = kinds;
	if (err) {
		sim_list_free(&l);
		sim_sample_free(&s);
		return 1;
	}
	if (rate)
		sim_jobs_run(l.job, l.n, jobs, s.refs, s.nrefs, s.bound,
			     sim_curve_report, &out);
	else
		sim_jobs_run(l.job, l.n, jobs, refs, nrefs, npages,
			     sim_curve_report, &out);
	sim_list_free(&l);
	sim_sample_free(&s);
	return out.status;
}

static void usage_sim(FILE *f)
{
	fprintf(f,
		"usage: swaplab sim TRACE [TRACE... --quantum Q]\n"
		"                   --frames N|--curve P[,P...] [--policy NAME|all]\n"
		"                   [--sample R [--sample-min PAGES]]\n"
		"                   [--batch N] [--json] [--stats] [--jobs N]\n"
		"                   [--tick N] [--knob NAME=VALUE]...\n"
		"                   [--prefetcher NAME|all] [--window N]\n"
		"                   [--page-buffering] [--resize AT:FRAMES[,AT:FRAMES...]]\n"
		"                   [--no-fault-bit]\n"
		"                   [--allocation global|local]\n"
		"                   [--allocator equal|proportional|ws|pff]\n"
		"                   [--ws-tau N] [--pff-upper N] [--pff-lower N]\n"
		"                   [--ws-report FILE]\n"
		"                   [--load-control [--lc-period REFS] [--lc-max PERIODS]]\n"
		"                   [--swappiness N]\n"
		"                   [--format pages|csv|msr|lbn] [--offset-col N]\n"
		"                   [--size-col N] [--type-col N] [--proc-col N]\n"
		"                   [--offset-unit BYTES] [--size-unit BYTES]\n"
		"                   [--page-size BYTES] [--reads-only]\n"
		"  Replays TRACE ('-' for stdin) through the module's policy code,\n"
		"  exact LRU, ARC and LIRS (every reference) and Belady's OPT.\n"
		"  Processes: a trace's references may be several processes' (P:PAGE,\n"
		"  or --proc-col N), or several TRACEs are mixed round-robin, Q\n"
		"  references of each in turn (--quantum Q), the TRACEs being\n"
		"  processes 0, 1, 2... Their pages are different pages, sharing\n"
		"  the frames and the policy; a process leaves after its last reference, and its pages\n"
		"  are freed, as at exit. Below each policy's row, one a process:\n"
		"  its faults, fault rate, major faults (faults on pages it had\n"
		"  referenced before) and references. The module's policies, lru\n"
		"  and opt only; not with --curve or --prefetcher.\n"
		"  --allocation local: as the module's allocation=local: each process\n"
		"  has its own state of the policy and a share of the frames less\n"
		"  the module's default high watermark (the header says how many),\n"
		"  set by --allocator: equal (the default), proportional to the\n"
		"  pages it holds (those it has faulted in), ws (its working set, the\n"
		"  pages it referenced in the last --ws-tau N of its virtual time,\n"
		"  default 1024) or pff (an eighth more above --pff-upper faults\n"
		"  per thousand pages it referenced, an eighth less below\n"
		"  --pff-lower; defaults 100 and 10). Every process's region is made\n"
		"  at the start, shares set again when one leaves; proportional, ws\n"
		"  and pff decide again at every tick (not with lru or opt). A fault\n"
		"  at its share evicts clamp(share/8,\n"
		"  1, batch) of its own pages (the module's rule with --batch 32),\n"
		"  or goes over it if none can go;\n"
		"  with no frame free, a batch goes from the process furthest over\n"
		"  its share (else with most frames). lru and opt replace within\n"
		"  each share too (not under ws and pff). The module's policies, lru\n"
		"  and opt; not with --curve, --prefetcher, --page-buffering or\n"
		"  --resize. Each process's row then ends with its allocation, its\n"
		"  working-set estimate at its last tick and the ticks it saw.\n"
		"  --load-control: under local with ws or pff, the module's load\n"
		"  control (load_control=1, load_control_psi=0) by its own rules:\n"
		"  every --lc-period REFS references made (default: --tick), when\n"
		"  the allocator finds thrashing, one process is deactivated (of\n"
		"  those not activated in the last half of the bound, the most\n"
		"  frames): its pages are reclaimed first and its references are\n"
		"  deferred; when calm and its working set fits, the one deactivated\n"
		"  longest ago comes back, at the latest after --lc-max PERIODS\n"
		"  (default 20), and makes its references from where it stopped.\n"
		"  Adds deactivations, activations, periods deactivated and the\n"
		"  longest spell to each process's row, the first three to the total.\n"
		"  --ws-report FILE: under local, at every tick a line a process:\n"
		"  tick, process, virtual time, working-set estimate, and the exact\n"
		"  working set in the same time (its pages last referenced within\n"
		"  the window, resident or not); one policy at a time.\n"
		"  --json: the table as a JSON object, each policy with an array of\n"
		"  its processes (one for a trace of one process).\n"
		"  --stats: below a module policy's row, the counts of its own it\n"
		"  keeps (a line 'stats NAME VALUE...', or \"stats\" in JSON), as\n"
		"  its sysfs file stats shows them; under --allocation global.\n"
		"  --batch: pages evicted at once when memory is full (swaplab's\n"
		"  direct reclaim takes 32);\n"
		"  --tick: references per aging tick, the module's aging clock\n"
		"  (default: frames); reclaim also ticks once frames/8 pages have\n"
		"  been faulted in since the last tick, as the module's does;\n"
		"  --knob: a policy knob, as in /sys/kernel/swaplab/policies/\n"
		"  <policy>/ (e.g. bits=4, tau_ms=500); time counts references.\n"
		"  The module's policies also print their refaults (faults on\n"
		"  pages evicted before) and how many their history predicted.\n"
		"  A trace's pages of files (words ending with f or x) add a\n"
		"  column, file: each policy's faults on them.\n"
		"  --swappiness N: the module's knob swappiness, 0..200 (default\n"
		"  60), as vm.swappiness weighs a refault: one of a page of a file\n"
		"  costs N, an anonymous one 200 - N; for the policies with a\n"
		"  notion of the kind of page (gen), the others ignore it. The\n"
		"  header names it when the trace has pages of files.\n"
		"  --prefetcher: none, window, adaptive, leap or all: the module's\n"
		"  policies only, each with the module's prefetcher code: a fault\n"
		"  also reads the pages it names that were evicted before, into\n"
		"  free frames only (so the batch defaults to 32 here; with 1 no\n"
		"  frame is ever free); prints pages read ahead (issued), those\n"
		"  used (hits), accuracy (hits/issued) and coverage (hits over\n"
		"  hits + refaults: the faults avoided over the faults on pages\n"
		"  in the store there would have been; first touches, which no\n"
		"  prefetcher can avoid, do not count); --window N: the window\n"
		"  of window, the largest of leap (1..255, default 8).\n"
		"  --page-buffering: as the module's knob: an evicted page waits\n"
		"  in a pool while its frame is free, and a reference to it there\n"
		"  is no fault (module policies only; counted in a last column,\n"
		"  buffered). With --batch 1 no frame is ever free.\n"
		"  --no-fault-bit: the access that faults a page in leaves its\n"
		"  reference bit clear, as the textbook's clock loads a page (in\n"
		"  the module it restarts once the page is mapped and sets the\n"
		"  bit); not with --allocation local.\n"
		"  --resize: change the budget to FRAMES before reference AT (the\n"
		"  first is 0), as writing the module's frames knob does: the\n"
		"  policy's resize() hears it, and the next fault that finds\n"
		"  memory full evicts batch after batch until a frame is free;\n"
		"  --frames is the budget at the start. The module's policies,\n"
		"  LRU and OPT only (ARC and LIRS size their lists once).\n"
		"  --curve: the fault-rate curve in place of --frames: the faults\n"
		"  of each policy at each memory size, given as percentages of\n"
		"  the distinct pages the trace touches (1..100, at most 16, e.g.\n"
		"  1,5,15,30; at least 4 frames), one row a policy.\n"
		"  --sample R: with --curve, each size from a miniature simulation\n"
		"  (SHARDS): the references to a fraction R (0 < R <= 1) of the\n"
		"  pages, chosen by a hash of the page, through memory of the same\n"
		"  percentage of the pages taken, the batch, --tick and time scaled\n"
		"  alike; each count is the sample's faults times the pages of the\n"
		"  trace over those of the sample. A sample of fewer than\n"
		"  --sample-min PAGES pages (default %d; 0: none) takes the pages\n"
		"  with the next smallest hashes until it has them.\n"
		"  --jobs N: replays at once, each on a thread of its own (default:\n"
		"  the cores online; 1..%d). The string is read once; the output is\n"
		"  the same, in the same order, whatever N.\n",
		SIM_SAMPLE_MIN_PAGES, SIM_JOBS_MAX);
	trace_usage(f);
}

/*
 * --prefetcher: each of the module's policies named by @policy with each
 * prefetcher named by @prefetcher ("all": every one).
 */
/* sim_prefetch_table()'s report: a row. */
static void sim_prefetch_report(struct sim_job *j, size_t i, void *arg)
{
	const struct sim_stats *st = &j->stats;
	size_t nrefs = *(const size_t *)arg;

	(void)i;

	if (j->faults < 0) {
		fprintf(stderr, "swaplab: sim %s with %s failed\n",
			j->policy, j->cfg.prefetch->name);
		return;
	}
	printf("%-8s %-10s %10ld %7.2f%% %10lu %10lu %7.2f%% %7.2f%%\n",
	       j->policy, j->cfg.prefetch->name, j->faults,
	       nrefs ? 100.0 * j->faults / nrefs : 0.0,
	       st->prefetch_issued, st->prefetch_hits,
	       st->prefetch_issued ?
	       100.0 * st->prefetch_hits / st->prefetch_issued : 0.0,
	       st->prefetch_hits + st->refaults ?
	       100.0 * st->prefetch_hits /
	       (st->prefetch_hits + st->refaults) : 0.0);
}

static int sim_prefetch_table(const char *policy, const char *prefetcher,
			      const unsigned long *refs, size_t nrefs,
			      unsigned long npages, struct sim_config *cfg,
			      unsigned int jobs)
{
	int status = 0;
	struct sim_list l;

	if (sim_list_init(&l, sim_count(sim_policies) *
			      sim_count(sim_prefetchers)))
		return 1;
	printf("%-8s %-10s %10s %8s %10s %10s %8s %8s",
	       "policy", "prefetcher", "faults", "rate", "issued", "hits",
	       "accuracy", "coverage");
	printf("   (%zu references, %lu pages, %zu frames, batch %zu, window %u",
	       nrefs, npages, cfg->frames, cfg->batch, cfg->window);
	sim_swappiness_note(cfg);
	printf(")\n");
	for (const char *const *p = sim_policies; *p; p++) {
		if (!sim_is_module_policy(*p) ||
		    (strcmp(policy, "all") && strcmp(policy, *p)))
			continue;
		for (const char *const *q = sim_prefetchers; *q; q++) {
			if (strcmp(prefetcher, "all") && strcmp(prefetcher, *q))
				continue;
			cfg->prefetch = sim_prefetch_ops(*q);
			if (sim_list_add(&l, *p, cfg)) {
				sim_list_free(&l);
				cfg->prefetch = NULL;
				return 1;
			}
		}
	}
	cfg->prefetch = NULL;
	sim_jobs_run(l.job, l.n, jobs, refs, nrefs, npages,
		     sim_prefetch_report, &nrefs);
	for (size_t i = 0; i < l.n; i++)
		if (l.job[i].faults < 0)
			status = 1;
	sim_list_free(&l);
	return status;
}

/**
 * struct sim_table - what the table says of a string
 * @refs: the string
 * @nrefs: its length
 * @npages: its ids are below this
 * @sp: its processes when more than one makes references, else NULL
 * @nproc: how many make references
 * @proc: the one that does, when @sp is NULL
 * @distinct: its distinct pages, when @sp is NULL
 * @kinds: the kind of each page (lib/trace.h's enum trace_kind); NULL
 *	when every page is anonymous, and the table has no column file
 * @json: a JSON object rather than the table
 * @stats: each module policy's own counts below its row
 */
struct sim_table {
	const unsigned long *refs;
	size_t nrefs;
	unsigned long npages;
	const struct sim_procs *sp;
	unsigned int nproc;
	unsigned int proc;
	unsigned long distinct;
	uint8_t *kinds;
	bool json;
	bool stats;
};

/* The header of the table, or the opening of the JSON object. */
static void sim_table_head(const struct sim_table *tb,
			   const struct sim_config *cfg)
{
	if (tb->json) {
		printf("{\n  \"references\": %zu,\n  \"pages\": %lu,\n  \"processes\": %u,\n  \"frames\": %zu,\n  \"batch\": %zu,\n",
		       tb->nrefs, tb->npages, tb->nproc,
		       cfg->frames, cfg->batch);
		if (cfg->allocator) {
			printf("  \"allocation\": \"local\",\n  \"shared\": %lu,\n  \"allocator\": ",
			       sim_local_avail(cfg->frames));
			json_string(cfg->allocator->name);
			printf(",\n");
		}
		if (cfg->load_control)
			printf("  \"load_control\": { \"period\": %zu, \"max\": %u },\n",
			       cfg->lc_period, cfg->lc_max);
		if (tb->kinds)
			printf("  \"swappiness\": %u,\n", cfg->swappiness);
		printf("  \"policies\": [");
		return;
	}
	printf("%-8s %10s %8s", "policy", "faults", "rate");
	if (tb->kinds)
		printf(" %10s", "file");
	printf(" %10s %10s", "refaults", "predicted");
	if (cfg->page_buffering)
		printf(" %10s", "buffered");
	if (cfg->load_control)
		printf(" %8s %8s %8s", "deacts", "acts", "off");
	printf("   (%zu references, %lu pages, ", tb->nrefs, tb->npages);
	if (tb->sp)
		printf("%u processes, ", tb->nproc);
	printf("%zu frames, batch %zu", cfg->frames, cfg->batch);
	sim_swappiness_note(cfg);
	if (cfg->allocator)
		printf("; local: %lu frames shared, %s",
		       sim_local_avail(cfg->frames), cfg->allocator->name);
	if (cfg->load_control)
		printf("; load control every %zu references, at most %u periods",
		       cfg->lc_period, cfg->lc_max);
	for (int i = 0; i < cfg->nresize; i++)
		printf("%s %zu:%zu", i ? "," : "; resized at", cfg->resize[i].at,
		       cfg->resize[i].frames);
	if (tb->sp)
		printf("; below each policy a row a process: faults, rate, major faults, references%s%s",
		       cfg->allocator ? ", allocation, working set, ticks" : "",
		       cfg->load_control ?
		       ", deactivations, activations, periods deactivated, longest" : "");
	printf(")\n");
}

/*
 * Under local, process @p's allocation, estimate and ticks, and its load
 * control counts, in JSON.
 */
static void sim_json_end(const struct sim_config *cfg, unsigned int p)
{
	const struct sim_proc_end *e = cfg->proc_end ? &cfg->proc_end[p] : NULL;

	if (e)
		printf(", \"alloc\": %lu, \"ws\": %lu, \"ticks\": %lu",
		       e->alloc, e->ws, e->ticks);
	if (e && cfg->load_control)
		printf(", \"deactivations\": %lu, \"activations\": %lu, \"periods_deactivated\": %lu, \"longest\": %lu",
		       e->deacts, e->acts, e->off, e->longest);
}

/* With load control, the counts of every process added up. */
static struct sim_proc_end sim_lc_total(const struct sim_table *tb,
					const struct sim_config *cfg)
{
	struct sim_proc_end sum = { 0 };
	unsigned int n = tb->sp ? tb->sp->n : 1;

	for (unsigned int p = 0; cfg->load_control && p < n; p++) {
		sum.deacts += cfg->proc_end[p].deacts;
		sum.acts += cfg->proc_end[p].acts;
		sum.off += cfg->proc_end[p].off;
	}
	return sum;
}

/*
 * A policy's row, then one a process if there are several; or its JSON
 * object, with an array of its processes (one if there is one). A
 * process's major faults are its faults but its first touches.
 */
static void sim_table_row(const struct sim_table *tb,
			  const struct sim_config *cfg, const char *policy,
			  long faults, bool first)
{
	const struct sim_procs *sp = tb->sp;
	const struct sim_stats *st = cfg->stats;
	bool mod = sim_is_module_policy(policy);
	struct sim_proc_end lc = sim_lc_total(tb, cfg);

	if (!tb->json) {
		printf("%-8s %10ld %7.2f%%", policy, faults,
		       tb->nrefs ? 100.0 * faults / tb->nrefs : 0.0);
		if (tb->kinds)
			printf(" %10lu", st->file_faults);
		if (mod) {
			printf(" %10lu %10lu", st->refaults, st->predicted);
			if (cfg->page_buffering)
				printf(" %10lu", st->buffered);
		}
		if (cfg->load_control)
			printf(" %8lu %8lu %8lu", lc.deacts, lc.acts, lc.off);
		putchar('\n');
		if (tb->stats && mod && st->npolicy) {
			printf("stats   ");
			for (unsigned int i = 0; i < st->npolicy; i++)
				printf(" %s %llu", st->policy[i].name,
				       st->policy[i].value);
			putchar('\n');
		}
		for (unsigned int p = 0; sp && p < sp->n; p++) {
			unsigned long f = cfg->proc_faults[p];
			char name[16];

			if (!sp->refs[p])
				continue;
			snprintf(name, sizeof(name), "  p%u", p);
			printf("%-8s %10lu %7.2f%%", name, f,
			       sp->refs[p] ? 100.0 * f / sp->refs[p] : 0.0);
			/* No count of its own under the column file. */
			if (tb->kinds)
				printf(" %10s", "");
			printf(" %10lu %10zu", f - sp->pages[p], sp->refs[p]);
			if (cfg->proc_end)
				printf(" %10lu %10lu %8lu",
				       cfg->proc_end[p].alloc,
				       cfg->proc_end[p].ws,
				       cfg->proc_end[p].ticks);
			if (cfg->load_control)
				printf(" %8lu %8lu %8lu %8lu",
				       cfg->proc_end[p].deacts,
				       cfg->proc_end[p].acts,
				       cfg->proc_end[p].off,
				       cfg->proc_end[p].longest);
			putchar('\n');
		}
		return;
	}
	printf("%s\n    { \"policy\": ", first ? "" : ",");
	json_string(policy);
	printf(", \"faults\": %ld", faults);
	if (tb->kinds)
		printf(", \"file_faults\": %lu", st->file_faults);
	if (mod) {
		printf(", \"refaults\": %lu, \"predicted\": %lu",
		       st->refaults, st->predicted);
		if (cfg->page_buffering)
			printf(", \"buffered\": %lu", st->buffered);
		for (unsigned int i = 0; tb->stats && i < st->npolicy; i++) {
			printf("%s", i ? ", " : ", \"stats\": { ");
			json_string(st->policy[i].name);
			printf(": %llu%s", st->policy[i].value,
			       i + 1 == st->npolicy ? " }" : "");
		}
	}
	if (cfg->load_control)
		printf(", \"deactivations\": %lu, \"activations\": %lu, \"periods_deactivated\": %lu",
		       lc.deacts, lc.acts, lc.off);
	printf(",\n      \"processes\": [");
	if (!sp) {
		printf(" { \"process\": %u, \"references\": %zu, \"pages\": %lu, \"faults\": %ld, \"major\": %ld",
		       tb->proc, tb->nrefs, tb->distinct, faults,
		       faults - (long)tb->distinct);
		sim_json_end(cfg, 0);
		printf(" } ]");
	}
	for (unsigned int p = 0, n = 0; sp && p < sp->n; p++) {
		if (!sp->refs[p])
			continue;
		printf("%s\n        { \"process\": %u, \"references\": %zu, \"pages\": %lu, \"faults\": %lu, \"major\": %lu",
		       n++ ? "," : "", p, sp->refs[p], sp->pages[p],
		       cfg->proc_faults[p],
		       cfg->proc_faults[p] - sp->pages[p]);
		sim_json_end(cfg, p);
		printf(" }");
	}
	printf("%s }", sp ? " ]" : "");
}

/* sim_table()'s report: a policy's rows, or its JSON object. */
struct sim_table_out {
	const struct sim_table *tb;
	bool first;
	int status;
};

static void sim_table_report(struct sim_job *j, size_t i, void *arg)
{
	struct sim_table_out *o = arg;

	(void)i;

	if (j->faults < 0) {
		fprintf(stderr, "swaplab: sim %s failed\n", j->policy);
		o->status = 1;
		return;
	}
	sim_table_row(o->tb, &j->cfg, j->policy, j->faults, o->first);
	o->first = false;
}

/*
 * The table: each policy @policy names (or every one) on the string, a
 * row each, and with several processes a row a process below.
 */
static int sim_table(const struct sim_table *tb, const char *policy,
		     struct sim_config *cfg, unsigned int jobs)
{
	struct sim_table_out out = { .tb = tb, .first = true };
	struct sim_list l;

	if (sim_list_init(&l, sim_count(sim_policies)))
		return 1;
	sim_table_head(tb, cfg);
	for (const char *const *p = sim_policies; *p; p++) {
		if (strcmp(policy, "all") && strcmp(policy, *p))
			continue;
		/* ARC and LIRS cannot be resized: left out of "all". */
		if (cfg->nresize && !sim_resizable(*p))
			continue;
		/* Nor can they free a process's pages, or have a share. */
		if ((tb->sp || cfg->allocator) && !sim_multiproc(*p))
			continue;
		/* LRU and OPT have no ticks to decide at. */
		if (cfg->allocator && !sim_follows(*p, cfg->allocator))
			continue;
		if (sim_list_add(&l, *p, cfg)) {
			sim_list_free(&l);
			return 1;
		}
	}
	sim_jobs_run(l.job, l.n, jobs, tb->refs, tb->nrefs, tb->npages,
		     sim_table_report, &out);
	sim_list_free(&l);
	if (tb->json)
		printf("\n  ]\n}\n");
	return out.status;
}

/*
 * Read the traces @paths, mixed @quantum references a turn if several,
 * and fill @tb, the kinds of the pages among the rest, with @sp, for the
 * table; with @sizes, each process's size too (allocation=local).
 * Returns 0, or 1 with a message.
 */
static int sim_read(char * const *paths, unsigned int npaths,
		    size_t quantum, const struct trace_spec *spec,
		    struct sim_table *tb, struct sim_procs *sp, uint16_t **of,
		    bool need_distinct, bool sizes)
{
	unsigned long *refs;
	unsigned int nprocs;

	unsigned long *local = NULL;

	if (trace_read_procs(paths, npaths, quantum, spec, &refs, of,
			     &tb->nrefs, &tb->npages, &nprocs,
			     sizes ? &local : NULL, &tb->kinds))
		return 1;
	tb->refs = refs;
	tb->nproc = 1;
	/* Only a trace that names a process other than 0 has several. */
	if (nprocs > 1) {
		if (sim_procs_init(sp, refs, *of, tb->nrefs, tb->npages,
				   nprocs) ||
		    (local && sim_procs_size(sp, local)))
			goto nomem;
		tb->nproc = 0;
		for (unsigned int p = 0; p < nprocs; p++) {
			if (sp->refs[p]) {
				tb->nproc++;
				tb->proc = p;
			}
		}
		if (tb->nproc > 1)
			tb->sp = sp;
		else
			need_distinct = true;
	}
	if (need_distinct && !tb->sp) {
		tb->distinct = sim_distinct(refs, tb->nrefs, tb->npages);
		if (!tb->distinct)
			goto nomem;
	}
	free(local);
	return 0;
nomem:
	free(local);
	fprintf(stderr, "swaplab: sim: out of memory\n");
	return 1;
}

int cmd_sim(int argc, char **argv)
{
	static const struct option sim_opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "tick", required_argument, NULL, 't' },
		{ "knob", required_argument, NULL, 'k' },
		{ "prefetcher", required_argument, NULL, 'P' },
		{ "window", required_argument, NULL, 'w' },
		{ "page-buffering", no_argument, NULL, 'B' },
		{ "no-fault-bit", no_argument, NULL, 'F' },
		{ "curve", required_argument, NULL, 'c' },
		{ "resize", required_argument, NULL, 'R' },
		{ "quantum", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 'X' },
		{ "allocation", required_argument, NULL, 'a' },
		{ "allocator", required_argument, NULL, 'A' },
		{ "ws-tau", required_argument, NULL, 'T' },
		{ "pff-upper", required_argument, NULL, 'U' },
		{ "pff-lower", required_argument, NULL, 'L' },
		{ "ws-report", required_argument, NULL, 'W' },
		{ "load-control", no_argument, NULL, 'C' },
		{ "lc-period", required_argument, NULL, 'E' },
		{ "lc-max", required_argument, NULL, 'M' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "sample", required_argument, NULL, 'S' },
		{ "sample-min", required_argument, NULL, 'm' },
		{ "swappiness", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(sim_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	struct sim_stats stats;
	struct sim_config cfg = {
		.stats = &stats, .window = 8, .ws_tau = SIM_WS_TAU_DEFAULT,
		.pff_upper = SIM_PFF_UPPER_DEFAULT,
		.pff_lower = SIM_PFF_LOWER_DEFAULT,
		.lc_max = SIM_LC_MAX_DEFAULT,
		.swappiness = SWAPLAB_SWAPPINESS_DEFAULT,
	};
	struct sim_table tb = { 0 };
	struct sim_procs sp = { 0 };
	const char *policy = "all", *prefetcher = NULL, *why = NULL;
	const char *allocation = "global", *allocator = NULL;
	const char *ws_report = NULL;
	bool ws_opts = false, lc_opts = false;
	unsigned int pct[SIM_CURVE_MAX], quantum = 0, ntraces;
	unsigned int jobs = sim_jobs_default();
	unsigned int sample_min = SIM_SAMPLE_MIN_PAGES;
	bool sample_opts = false;
	double rate = 0;
	uint16_t *of = NULL;
	int opt, err, status = 0, npct = 0;
	unsigned int num;

	trace_options(opts, sim_opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
		case 'b':
		case 't':
		case 'q':
			if (sim_uint(optarg, 1, INT_MAX, &num)) {
				fprintf(stderr, "swaplab: --%s %s: not a number 1..%d\n",
					opt == 'f' ? "frames" : opt == 'b' ? "batch" :
					opt == 't' ? "tick" : "quantum",
					optarg, INT_MAX);
				return 2;
			}
			if (opt == 'f')
				cfg.frames = num;
			else if (opt == 'b')
				cfg.batch = num;
			else if (opt == 't')
				cfg.tick = num;
			else
				quantum = num;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'k':
			if (sim_knob_parse(&cfg, optarg))
				return 2;
			break;
		case 'P':
			prefetcher = optarg;
			if (strcmp(optarg, "all") && !sim_prefetch_ops(optarg)) {
				fprintf(stderr, "swaplab: unknown prefetcher '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'w':
			if (sim_uint(optarg, 1, SWAPLAB_PREFETCH_MAX, &cfg.window)) {
				fprintf(stderr, "swaplab: --window %s: not 1..%d\n",
					optarg, SWAPLAB_PREFETCH_MAX);
				return 2;
			}
			break;
		case 'B':
			cfg.page_buffering = true;
			break;
		case 'F':
			cfg.no_fault_bit = true;
			break;
		case 'c':
			npct = sim_curve_parse(optarg, pct);
			if (npct < 0)
				return 2;
			break;
		case 'R':
			if (sim_resize_parse(&cfg, optarg))
				return 2;
			break;
		case 'j':
			tb.json = true;
			break;
		case 'X':
			tb.stats = true;
			break;
		case 'a':
			allocation = optarg;
			if (strcmp(optarg, "global") && strcmp(optarg, "local")) {
				fprintf(stderr, "swaplab: --allocation %s: global or local\n",
					optarg);
				return 2;
			}
			break;
		case 'A':
			allocator = optarg;
			if (!sim_allocator(optarg)) {
				fprintf(stderr, "swaplab: unknown allocator '%s'; the module's are:",
					optarg);
				for (const char *const *a = sim_allocators; *a; a++)
					fprintf(stderr, " %s", *a);
				fprintf(stderr, "\n");
				return 2;
			}
			break;
		case 'T':
			if (sim_uint(optarg, 1, SIM_WS_TAU_MAX, &num)) {
				fprintf(stderr, "swaplab: --ws-tau %s: not a number 1..%u\n",
					optarg, SIM_WS_TAU_MAX);
				return 2;
			}
			cfg.ws_tau = num;
			ws_opts = true;
			break;
		case 'U':
		case 'L':
			if (sim_uint(optarg, 0, 1000, opt == 'U' ? &cfg.pff_upper :
				     &cfg.pff_lower)) {
				fprintf(stderr, "swaplab: --pff-%s %s: not a number 0..1000 (per mille)\n",
					opt == 'U' ? "upper" : "lower", optarg);
				return 2;
			}
			ws_opts = true;
			break;
		case 'W':
			ws_report = optarg;
			ws_opts = true;
			break;
		case 'C':
			cfg.load_control = true;
			break;
		case 'E':
			if (sim_uint(optarg, 1, INT_MAX, &num)) {
				fprintf(stderr, "swaplab: --lc-period %s: not a number 1..%d (references)\n",
					optarg, INT_MAX);
				return 2;
			}
			cfg.lc_period = num;
			lc_opts = true;
			break;
		case 'M':
			if (sim_uint(optarg, SIM_LC_MAX_MIN, SIM_LC_MAX_MAX,
				     &cfg.lc_max)) {
				fprintf(stderr, "swaplab: --lc-max %s: not a number %d..%d (periods)\n",
					optarg, SIM_LC_MAX_MIN, SIM_LC_MAX_MAX);
				return 2;
			}
			lc_opts = true;
			break;
		case 'J':
			if (sim_uint(optarg, 1, SIM_JOBS_MAX, &jobs)) {
				fprintf(stderr, "swaplab: --jobs %s: not a number 1..%d\n",
					optarg, SIM_JOBS_MAX);
				return 2;
			}
			break;
		case 'S':
			if (sim_rate(optarg, &rate)) {
				fprintf(stderr, "swaplab: --sample %s: not a rate, 0 < R <= 1\n",
					optarg);
				return 2;
			}
			sample_opts = true;
			break;
		case 'm':
			if (sim_uint(optarg, 0, INT_MAX, &sample_min)) {
				fprintf(stderr, "swaplab: --sample-min %s: not a number 0..%d\n",
					optarg, INT_MAX);
				return 2;
			}
			sample_opts = true;
			break;
		case 'y':
			if (sim_uint(optarg, 0, SWAPLAB_SWAPPINESS_MAX,
				     &cfg.swappiness)) {
				fprintf(stderr, "swaplab: --swappiness %s: not a number 0..%d\n",
					optarg, SWAPLAB_SWAPPINESS_MAX);
				return 2;
			}
			break;
		case 'h':
			usage_sim(stdout);
			return 0;
		default:
			err = trace_option(&spec, opt, optarg);
			if (!err)
				break;
			if (err == -ENOENT)
				usage_sim(stderr);
			return 2;
		}
	}
	if (!cfg.batch)
		cfg.batch = prefetcher ? 32 : 1;
	if (optind >= argc || !cfg.frames == !npct) {
		usage_sim(stderr);
		return 2;
	}
	ntraces = argc - optind;
	if (sample_opts && (!npct || !rate)) {
		fprintf(stderr, "swaplab: --sample%s: %s\n",
			npct ? "-min" : "",
			npct ? "with --sample R" : "samples the pages of --curve");
		return 2;
	}
	if (npct && (prefetcher || cfg.nresize)) {
		fprintf(stderr, "swaplab: --curve and --%s: one at a time\n",
			prefetcher ? "prefetcher" : "resize");
		return 2;
	}
	if (tb.json && (npct || prefetcher)) {
		fprintf(stderr, "swaplab: --json and --%s: one at a time\n",
			npct ? "curve" : "prefetcher");
		return 2;
	}
	if (cfg.nresize && strcmp(policy, "all") && sim_policy_known(policy) &&
	    !sim_resizable(policy)) {
		fprintf(stderr, "swaplab: --resize: %s sizes its lists once; the module's policies, lru and opt can be resized\n",
			policy);
		return 2;
	}
	if (!strcmp(allocation, "local")) {
		cfg.allocator = sim_allocator(allocator ? allocator :
					      sim_allocators[0]);
		if (npct || prefetcher || cfg.nresize || cfg.page_buffering ||
		    cfg.no_fault_bit)
			why = npct ? "--curve" : prefetcher ? "--prefetcher" :
			      cfg.nresize ? "--resize" :
			      cfg.page_buffering ? "--page-buffering" :
			      "--no-fault-bit";
		else if (sim_policy_known(policy) && strcmp(policy, "all") &&
			 !sim_multiproc(policy))
			why = policy;
		if (why) {
			fprintf(stderr, "swaplab: --allocation local: not with %s (the module's policies, lru and opt, with a budget that stays, on demand paging)\n",
				why);
			return 2;
		}
	} else if (allocator) {
		fprintf(stderr, "swaplab: --allocator shares frames under --allocation local\n");
		return 2;
	} else if (ws_opts) {
		fprintf(stderr, "swaplab: --ws-tau, --pff-upper, --pff-lower and --ws-report: under --allocation local\n");
		return 2;
	}
	if (cfg.allocator && strcmp(policy, "all") &&
	    !sim_follows(policy, cfg.allocator)) {
		fprintf(stderr, "swaplab: --allocator %s decides at ticks, which %s does not have; the module's policies do\n",
			cfg.allocator->name, policy);
		return 2;
	}
	if (lc_opts && !cfg.load_control) {
		fprintf(stderr, "swaplab: --lc-period and --lc-max: with --load-control\n");
		return 2;
	}
	if (cfg.load_control && !sim_load_controls(cfg.allocator)) {
		fprintf(stderr, "swaplab: --load-control: under --allocation local with the ws or pff allocator, whose verdict on thrashing it reads\n");
		return 2;
	}
	if (cfg.load_control && strcmp(policy, "all") &&
	    sim_policy_known(policy) && !sim_is_module_policy(policy)) {
		fprintf(stderr, "swaplab: --load-control: %s is not one of the module's policies\n",
			policy);
		return 2;
	}
	if (cfg.pff_lower >= cfg.pff_upper) {
		fprintf(stderr, "swaplab: --pff-lower %u: below --pff-upper %u, as the module's pff_lower\n",
			cfg.pff_lower, cfg.pff_upper);
		return 2;
	}
	if (ws_report && !sim_is_module_policy(policy)) {
		fprintf(stderr, "swaplab: --ws-report: one of the module's policies, named by --policy\n");
		return 2;
	}
	if (ntraces > 1 && !quantum)
		why = "several traces need --quantum, the references of each in turn";
	else if (ntraces == 1 && quantum)
		why = "--quantum mixes several traces";
	else if (ntraces > 1 && spec.proc_col)
		why = "--proc-col reads one trace's processes; several traces are a process each";
	if (why) {
		fprintf(stderr, "swaplab: %s\n", why);
		return 2;
	}
	if (trace_spec_check(&spec) || sim_knobs_check(&cfg))
		return 2;
	if (!sim_policy_known(policy)) {
		fprintf(stderr, "swaplab: unknown policy '%s'\n", policy);
		return 2;
	}
	if (!npct && !cfg.tick)
		cfg.tick = cfg.frames;
	/* A period is the aging interval, as the module's defaults have it. */
	if (!cfg.lc_period)
		cfg.lc_period = cfg.tick;
	if (prefetcher && strcmp(policy, "all") && !sim_is_module_policy(policy)) {
		fprintf(stderr, "swaplab: --prefetcher: '%s' is not one of the module's policies\n",
			policy);
		return 2;
	}
	if (sim_read(argv + optind, ntraces, quantum, &spec, &tb, &sp, &of,
		     tb.json, cfg.allocator)) {
		status = 1;
		goto out;
	}
	cfg.kinds = tb.kinds;
	/*
	 * Several processes: each one's faults. Not with the curve and
	 * the prefetchers (one region's state), nor ARC and LIRS.
	 */
	if (tb.sp) {
		if (npct || prefetcher)
			why = npct ? "--curve" : "--prefetcher";
		else if (strcmp(policy, "all") && !sim_multiproc(policy))
			why = policy;
		if (why) {
			fprintf(stderr, "swaplab: %s: one process only, and the trace has %u; the module's policies, lru and opt run several\n",
				why, tb.nproc);
			status = 2;
			goto out;
		}
		cfg.procs = tb.sp;
		cfg.proc_faults = calloc(sp.n, sizeof(*cfg.proc_faults));
		if (!cfg.proc_faults) {
			fprintf(stderr, "swaplab: sim: out of memory\n");
			status = 1;
			goto out;
		}
	}
	if (cfg.allocator) {
		cfg.proc_end = calloc(tb.sp ? sp.n : 1, sizeof(*cfg.proc_end));
		if (!cfg.proc_end) {
			fprintf(stderr, "swaplab: sim: out of memory\n");
			status = 1;
			goto out;
		}
	}
	if (ws_report) {
		cfg.ws_report = fopen(ws_report, "w");
		if (!cfg.ws_report) {
			fprintf(stderr, "swaplab: %s: %s\n", ws_report,
				strerror(errno));
			status = 1;
			goto out;
		}
	}
	if (npct)
		status = sim_curve(policy, pct, npct, tb.refs, tb.nrefs,
				   tb.npages, &cfg, cfg.tick, jobs, rate,
				   sample_min);
	else if (prefetcher)
		status = sim_prefetch_table(policy, prefetcher, tb.refs,
					    tb.nrefs, tb.npages, &cfg, jobs);
	else
		status = sim_table(&tb, policy, &cfg, jobs);
out:
	if (cfg.ws_report && fclose(cfg.ws_report)) {
		fprintf(stderr, "swaplab: %s: %s\n", ws_report, strerror(errno));
		status = 1;
	}
	free(cfg.proc_end);
	free(cfg.proc_faults);
	sim_procs_free(&sp);
	free(of);
	free(tb.kinds);
	strmap_free((unsigned long *)tb.refs);
	return status;
}
