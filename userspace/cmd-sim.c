// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab sim: replay a reference string through the simulator (sim.c):
 * the module's own policies, exact LRU, ARC and LIRS, and Belady's OPT;
 * a table of faults and fault rates.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
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

static void usage_sim(FILE *f)
{
	fprintf(f,
		"usage: swaplab sim TRACE --frames N [--policy NAME|all] [--batch N]\n"
		"                   [--tick N] [--knob NAME=VALUE]...\n"
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
		"  pages evicted before) and how many their history predicted.\n");
	trace_usage(f);
}

int cmd_sim(int argc, char **argv)
{
	static const struct option sim_opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "tick", required_argument, NULL, 't' },
		{ "knob", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(sim_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	struct sim_stats stats;
	struct sim_config cfg = { .batch = 1, .stats = &stats };
	const char *policy = "all";
	unsigned long *refs, npages;
	size_t nrefs;
	int opt, err, status = 0;

	trace_options(opts, sim_opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			cfg.frames = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			policy = optarg;
			break;
		case 'b':
			cfg.batch = strtoul(optarg, NULL, 10);
			break;
		case 't':
			cfg.tick = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			if (sim_knob_parse(&cfg, optarg))
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
	if (optind != argc - 1 || !cfg.frames || !cfg.batch) {
		usage_sim(stderr);
		return 2;
	}
	if (trace_spec_check(&spec))
		return 2;
	if (!cfg.tick)
		cfg.tick = cfg.frames;
	if (trace_read(argv[optind], &spec, &refs, &nrefs, &npages))
		return 1;
	printf("%-8s %10s %8s %10s %10s   (%zu references, %lu pages, %zu frames, batch %zu)\n",
	       "policy", "faults", "rate", "refaults", "predicted", nrefs,
	       npages, cfg.frames, cfg.batch);
	for (const char *const *p = sim_policies; *p; p++) {
		long faults;

		if (strcmp(policy, "all") && strcmp(policy, *p))
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
		if (sim_is_module_policy(*p))
			printf(" %10lu %10lu", stats.refaults, stats.predicted);
		putchar('\n');
	}
	if (strcmp(policy, "all")) {
		bool known = false;

		for (const char *const *p = sim_policies; *p; p++)
			known |= !strcmp(policy, *p);
		if (!known) {
			fprintf(stderr, "swaplab: unknown policy '%s'\n", policy);
			status = 2;
		}
	}
	free(refs);
	return status;
}
