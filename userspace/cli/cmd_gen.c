// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab gen: print a reference string, one page number a line, from
 * workload.c's seeded generators; the input of `swaplab sim` and of
 * `swaplab bench trace`. With --procs, several processes' strings mixed
 * round-robin, each reference P:PAGE (trace.c's process column). With
 * --format oracle, libCacheSim's oracleGeneral records (oracle.c), for
 * libCacheSim and for `swaplab sim --format oracle` alike.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "lib/common.h"
#include "lib/oracle.h"
#include "lib/trace.h"
#include "lib/workload.h"

static void usage_gen(FILE *f)
{
	fprintf(f,
		"usage: swaplab gen seq|rand|zipf|loop|shift|hotcold --pages N\n"
		"                   [--refs N] [--seed N] [--theta T]\n"
		"                   [--procs N --quantum Q] [--format pages|oracle]\n"
		"                   [--sparse]\n"
		"  Prints a reference string, one page number a line, for sim\n"
		"  and bench trace. Default: 4 references a page, seed 1,\n"
		"  theta 0.99.\n"
		"  --format oracle: libCacheSim's oracleGeneral binary records\n"
		"  instead (each page an object of 4096 bytes, with the index of\n"
		"  its next reference), to a file or a pipe, not a terminal; one\n"
		"  process only.\n"
		"  --procs N: N processes (1..%d), each with a string of its\n"
		"  own (--pages and --refs each; process i's seed is the seed\n"
		"  plus i), mixed Q references of each in turn (--quantum Q),\n"
		"  one P:PAGE a line, page PAGE of process P, for sim.\n"
		"  --sparse: each page number scattered over 64 bits, one to one\n"
		"  (splitmix64's finalizer), as a real trace's object ids are;\n"
		"  the same string otherwise.\n",
		TRACE_MAX_PROCS);
}

/* A decimal number in 1..@max, all of @s, into *@v; false if not. */
static bool gen_count(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *v && *v <= max;
}

/*
 * Page @page's number as written: itself, or scattered (--sparse); + 1,
 * as the finalizer leaves 0 where it is.
 */
static unsigned long gen_id(unsigned long page, bool sparse)
{
	return sparse ? mix64(page + 1) : page;
}

/*
 * Print @nprocs strings of @refs references each, @wl's workload with
 * seeds @wl->seed, @wl->seed + 1..., mixed @quantum references of each
 * in turn, as P:PAGE. Returns 0 or a negative errno.
 */
static int gen_procs(struct workload *wl, unsigned long nprocs,
		     unsigned long quantum, bool sparse)
{
	unsigned long **refs = calloc(nprocs, sizeof(*refs));
	uint64_t seed = wl->seed;
	int err = refs ? 0 : -ENOMEM;

	for (unsigned long p = 0; !err && p < nprocs; p++) {
		wl->seed = seed + p;
		err = workload_generate(wl, &refs[p]);
	}
	wl->seed = seed;
	for (size_t t = 0; !err && t < wl->refs; t += quantum)
		for (unsigned long p = 0; p < nprocs; p++)
			for (size_t k = t; k < t + quantum && k < wl->refs; k++)
				printf("%lu:%lu\n", p, gen_id(refs[p][k], sparse));
	for (unsigned long p = 0; refs && p < nprocs; p++)
		free(refs[p]);
	free(refs);
	return err;
}

int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "refs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'r' },
		{ "theta", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'P' },
		{ "quantum", required_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'f' },
		{ "sparse", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct workload wl = { .seed = 1, .theta = 0.99 };
	unsigned long *refs, nprocs = 1, quantum = 0;
	bool bad = false, oracle = false, sparse = false;
	int opt, err;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			wl.pages = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			wl.refs = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			wl.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			wl.theta = strtod(optarg, NULL);
			break;
		case 'P':
		case 'q':
			if (!gen_count(optarg, opt == 'P' ? TRACE_MAX_PROCS :
				       ULONG_MAX, opt == 'P' ? &nprocs : &quantum)) {
				fprintf(stderr, "swaplab: --%s %s: not a number 1..%lu\n",
					opt == 'P' ? "procs" : "quantum", optarg,
					opt == 'P' ? (unsigned long)TRACE_MAX_PROCS :
					ULONG_MAX);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "pages") && strcmp(optarg, "oracle")) {
				fprintf(stderr, "swaplab: gen: --format %s: pages or oracle\n",
					optarg);
				return 2;
			}
			oracle = !strcmp(optarg, "oracle");
			break;
		case 's':
			sparse = true;
			break;
		case 'h':
			usage_gen(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind != argc - 1) {
		usage_gen(stderr);
		return 2;
	}
	if (nprocs > 1 && !quantum) {
		fprintf(stderr, "swaplab: gen: --procs needs --quantum, the references of each in turn\n");
		return 2;
	}
	if (nprocs == 1 && quantum) {
		fprintf(stderr, "swaplab: gen: --quantum mixes several processes (--procs)\n");
		return 2;
	}
	if (oracle && nprocs > 1) {
		fprintf(stderr, "swaplab: gen: --format oracle has no process column: one process only\n");
		return 2;
	}
	if (oracle && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "swaplab: gen: --format oracle writes binary records: to a file or a pipe\n");
		return 2;
	}
	wl.name = argv[optind];
	wl.refs = wl.refs ? wl.refs : 4 * wl.pages;
	if (nprocs > 1) {
		err = gen_procs(&wl, nprocs, quantum, sparse);
		if (err) {
			fprintf(stderr, "swaplab: gen %s: %s\n", wl.name,
				strerror(-err));
			return err == -EINVAL ? 2 : 1;
		}
		return 0;
	}
	err = workload_generate(&wl, &refs);
	if (err) {
		fprintf(stderr, "swaplab: gen %s: %s\n", wl.name, strerror(-err));
		return err == -EINVAL ? 2 : 1;
	}
	for (size_t t = 0; sparse && t < wl.refs; t++)
		refs[t] = gen_id(refs[t], true);
	if (oracle) {
		err = oracle_write(stdout, refs, wl.refs);
		if (err)
			fprintf(stderr, "swaplab: gen %s: %s\n", wl.name,
				strerror(-err));
		free(refs);
		return err ? 1 : 0;
	}
	for (size_t t = 0; t < wl.refs; t++)
		printf("%lu\n", refs[t]);
	free(refs);
	return 0;
}
