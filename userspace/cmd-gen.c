// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab gen: print a reference string, one page number a line, from
 * workload.c's seeded generators; the input of `swaplab sim` and of
 * `swaplab bench trace`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "workload.h"

static void usage_gen(FILE *f)
{
	fprintf(f,
		"usage: swaplab gen seq|rand|zipf|loop|shift|hotcold --pages N\n"
		"                   [--refs N] [--seed N] [--theta T]\n"
		"  Prints a reference string, one page number a line, for sim\n"
		"  and bench trace. Default: 4 references a page, seed 1,\n"
		"  theta 0.99.\n");
}

int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "refs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'r' },
		{ "theta", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct workload wl = { .seed = 1, .theta = 0.99 };
	unsigned long *refs;
	bool bad = false;
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
	wl.name = argv[optind];
	wl.refs = wl.refs ? wl.refs : 4 * wl.pages;
	err = workload_generate(&wl, &refs);
	if (err) {
		fprintf(stderr, "swaplab: gen %s: %s\n", wl.name, strerror(-err));
		return err == -EINVAL ? 2 : 1;
	}
	for (size_t t = 0; t < wl.refs; t++)
		printf("%lu\n", refs[t]);
	free(refs);
	return 0;
}
