// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab sim: replay a reference string through the simulator (sim.c):
 * the module's own policies, exact LRU, ARC and LIRS, and Belady's OPT;
 * a table of faults and fault rates. With --prefetcher, the module's
 * policies with the module's prefetchers, and each prefetcher's accuracy
 * and coverage. With --curve, the fault-rate curve: every policy's faults
 * at several memory sizes, each a percentage of the distinct pages.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "prefetch.h"
#include "sim.h"
#include "sysfs.h"
#include "trace.h"

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

/* --curve: at most this many sizes */
#define SIM_CURVE_MAX	16

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
 * --curve: @policy (or every one) at each of the @npct sizes @pct, in
 * percent of the distinct pages (at least 4 frames). Each size ticks
 * every @tick references, or by default every frames, as without it.
 */
static int sim_curve(const char *policy, const unsigned int *pct, int npct,
		     const unsigned long *refs, size_t nrefs,
		     unsigned long npages, struct sim_config *cfg, size_t tick)
{
	unsigned long d = sim_distinct(refs, nrefs, npages);
	size_t frames[SIM_CURVE_MAX];
	int status = 0;

	if (!d && nrefs) {
		fprintf(stderr, "swaplab: sim: out of memory\n");
		return 1;
	}
	printf("%-8s", "policy");
	for (int i = 0; i < npct; i++) {
		char col[32];

		frames[i] = d * pct[i] / 100 < 4 ? 4 : d * pct[i] / 100;
		snprintf(col, sizeof(col), "%u%%:%zu", pct[i], frames[i]);
		printf(" %12s", col);
	}
	printf("   (%zu references, %lu pages, batch %zu; faults at each size, percent of the pages:frames)\n",
	       nrefs, d, cfg->batch);
	for (const char *const *p = sim_policies; *p; p++) {
		if (strcmp(policy, "all") && strcmp(policy, *p))
			continue;
		printf("%-8s", *p);
		for (int i = 0; i < npct; i++) {
			long faults;

			cfg->frames = frames[i];
			cfg->tick = tick ? tick : frames[i];
			faults = sim_run(*p, refs, nrefs, npages, cfg);
			if (faults < 0) {
				fprintf(stderr, "swaplab: sim %s at %zu frames failed\n",
					*p, frames[i]);
				status = 1;
				printf(" %12s", "failed");
				continue;
			}
			printf(" %12ld", faults);
		}
		putchar('\n');
	}
	return status;
}

static void usage_sim(FILE *f)
{
	fprintf(f,
		"usage: swaplab sim TRACE --frames N|--curve P[,P...] [--policy NAME|all]\n"
		"                   [--batch N]\n"
		"                   [--tick N] [--knob NAME=VALUE]...\n"
		"                   [--prefetcher NAME|all] [--window N]\n"
		"                   [--page-buffering] [--resize AT:FRAMES[,AT:FRAMES...]]\n"
		"                   [--format pages|csv|msr|lbn] [--offset-col N]\n"
		"                   [--size-col N] [--type-col N] [--offset-unit BYTES]\n"
		"                   [--size-unit BYTES] [--page-size BYTES] [--reads-only]\n"
		"  Replays TRACE ('-' for stdin) through the module's policy code,\n"
		"  exact LRU, ARC and LIRS (every reference) and Belady's OPT.\n"
		"  --batch: pages evicted at once when memory is full (swaplab's\n"
		"  direct reclaim takes 32);\n"
		"  --tick: references per aging tick, the module's aging clock\n"
		"  (default: frames); reclaim also ticks once frames/8 pages have\n"
		"  been faulted in since the last tick, as the module's does;\n"
		"  --knob: a policy knob, as in /sys/kernel/swaplab/policies/\n"
		"  <policy>/ (e.g. bits=4, tau_ms=500); time counts references.\n"
		"  The module's policies also print their refaults (faults on\n"
		"  pages evicted before) and how many their history predicted.\n"
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
		"  --resize: change the budget to FRAMES before reference AT (the\n"
		"  first is 0), as writing the module's frames knob does: the\n"
		"  policy's resize() hears it, and the next fault that finds\n"
		"  memory full evicts batch after batch until a frame is free;\n"
		"  --frames is the budget at the start. The module's policies,\n"
		"  LRU and OPT only (ARC and LIRS size their lists once).\n"
		"  --curve: the fault-rate curve in place of --frames: the faults\n"
		"  of each policy at each memory size, given as percentages of\n"
		"  the distinct pages the trace touches (1..100, at most 16, e.g.\n"
		"  1,5,15,30; at least 4 frames), one row a policy.\n");
	trace_usage(f);
}

/*
 * --prefetcher: each of the module's policies named by @policy with each
 * prefetcher named by @prefetcher ("all": every one).
 */
static int sim_prefetch_table(const char *policy, const char *prefetcher,
			      const unsigned long *refs, size_t nrefs,
			      unsigned long npages, struct sim_config *cfg)
{
	struct sim_stats *st = cfg->stats;
	int status = 0;

	printf("%-8s %-10s %10s %8s %10s %10s %8s %8s",
	       "policy", "prefetcher", "faults", "rate", "issued", "hits",
	       "accuracy", "coverage");
	printf("   (%zu references, %lu pages, %zu frames, batch %zu, window %u)\n",
	       nrefs, npages, cfg->frames, cfg->batch, cfg->window);
	for (const char *const *p = sim_policies; *p; p++) {
		if (!sim_is_module_policy(*p) ||
		    (strcmp(policy, "all") && strcmp(policy, *p)))
			continue;
		for (const char *const *q = sim_prefetchers; *q; q++) {
			long faults;

			if (strcmp(prefetcher, "all") && strcmp(prefetcher, *q))
				continue;
			memset(st, 0, sizeof(*st));
			cfg->prefetch = sim_prefetch_ops(*q);
			faults = sim_run(*p, refs, nrefs, npages, cfg);
			if (faults < 0) {
				fprintf(stderr, "swaplab: sim %s with %s failed\n",
					*p, *q);
				status = 1;
				continue;
			}
			printf("%-8s %-10s %10ld %7.2f%% %10lu %10lu %7.2f%% %7.2f%%\n",
			       *p, *q, faults, nrefs ? 100.0 * faults / nrefs : 0.0,
			       st->prefetch_issued, st->prefetch_hits,
			       st->prefetch_issued ?
			       100.0 * st->prefetch_hits / st->prefetch_issued : 0.0,
			       st->prefetch_hits + st->refaults ?
			       100.0 * st->prefetch_hits /
			       (st->prefetch_hits + st->refaults) : 0.0);
		}
	}
	cfg->prefetch = NULL;
	return status;
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
		{ "curve", required_argument, NULL, 'c' },
		{ "resize", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(sim_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	struct sim_stats stats;
	struct sim_config cfg = { .stats = &stats, .window = 8 };
	const char *policy = "all", *prefetcher = NULL;
	unsigned int pct[SIM_CURVE_MAX];
	unsigned long *refs, npages;
	size_t nrefs;
	int opt, err, status = 0, npct = 0;
	unsigned int num;

	trace_options(opts, sim_opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
		case 'b':
		case 't':
			if (sim_uint(optarg, 1, INT_MAX, &num)) {
				fprintf(stderr, "swaplab: --%s %s: not a number 1..%d\n",
					opt == 'f' ? "frames" : opt == 'b' ? "batch" : "tick",
					optarg, INT_MAX);
				return 2;
			}
			if (opt == 'f')
				cfg.frames = num;
			else if (opt == 'b')
				cfg.batch = num;
			else
				cfg.tick = num;
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
		case 'c':
			npct = sim_curve_parse(optarg, pct);
			if (npct < 0)
				return 2;
			break;
		case 'R':
			if (sim_resize_parse(&cfg, optarg))
				return 2;
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
	if (optind != argc - 1 || !cfg.frames == !npct) {
		usage_sim(stderr);
		return 2;
	}
	if (npct && (prefetcher || cfg.nresize)) {
		fprintf(stderr, "swaplab: --curve and --%s: one at a time\n",
			prefetcher ? "prefetcher" : "resize");
		return 2;
	}
	if (cfg.nresize && strcmp(policy, "all") && sim_policy_known(policy) &&
	    !sim_resizable(policy)) {
		fprintf(stderr, "swaplab: --resize: %s sizes its lists once; the module's policies, lru and opt can be resized\n",
			policy);
		return 2;
	}
	if (trace_spec_check(&spec))
		return 2;
	if (npct && !sim_policy_known(policy)) {
		fprintf(stderr, "swaplab: unknown policy '%s'\n", policy);
		return 2;
	}
	if (npct) {
		size_t tick = cfg.tick;

		if (trace_read(argv[optind], &spec, &refs, &nrefs, &npages))
			return 1;
		status = sim_curve(policy, pct, npct, refs, nrefs, npages, &cfg,
				   tick);
		free(refs);
		return status;
	}
	if (!cfg.tick)
		cfg.tick = cfg.frames;
	if (prefetcher && strcmp(policy, "all") && !sim_is_module_policy(policy)) {
		fprintf(stderr, "swaplab: --prefetcher: '%s' is not one of the module's policies\n",
			policy);
		return 2;
	}
	if (trace_read(argv[optind], &spec, &refs, &nrefs, &npages))
		return 1;
	if (prefetcher) {
		status = sim_prefetch_table(policy, prefetcher, refs, nrefs,
					    npages, &cfg);
		free(refs);
		return status;
	}
	printf("%-8s %10s %8s %10s %10s", "policy", "faults", "rate",
	       "refaults", "predicted");
	if (cfg.page_buffering)
		printf(" %10s", "buffered");
	printf("   (%zu references, %lu pages, %zu frames, batch %zu",
	       nrefs, npages, cfg.frames, cfg.batch);
	for (int i = 0; i < cfg.nresize; i++)
		printf("%s %zu:%zu", i ? "," : "; resized at", cfg.resize[i].at,
		       cfg.resize[i].frames);
	printf(")\n");
	for (const char *const *p = sim_policies; *p; p++) {
		long faults;

		if (strcmp(policy, "all") && strcmp(policy, *p))
			continue;
		/* ARC and LIRS cannot be resized: left out of "all". */
		if (cfg.nresize && !sim_resizable(*p))
			continue;
		memset(&stats, 0, sizeof(stats));
		faults = sim_run(*p, refs, nrefs, npages, &cfg);
		if (faults < 0) {
			fprintf(stderr, "swaplab: sim %s failed\n", *p);
			status = 1;
			continue;
		}
		printf("%-8s %10ld %7.2f%%", *p, faults,
		       nrefs ? 100.0 * faults / nrefs : 0.0);
		if (sim_is_module_policy(*p)) {
			printf(" %10lu %10lu", stats.refaults, stats.predicted);
			if (cfg.page_buffering)
				printf(" %10lu", stats.buffered);
		}
		putchar('\n');
	}
	if (!sim_policy_known(policy)) {
		fprintf(stderr, "swaplab: unknown policy '%s'\n", policy);
		status = 2;
	}
	free(refs);
	return status;
}
