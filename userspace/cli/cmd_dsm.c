// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab dsm: distributed shared memory through the external pager.
 *
 *   swaplab dsm sim   the protocol (lib/dsm.c, Ivy's write-invalidate
 *                     with the fixed or the dynamic distributed
 *                     manager) on simulated
 *                     nodes, on a seeded random schedule of reads,
 *                     writes, messages and evictions, each step checked
 *                     against what the protocol promises (sim/dsm_sim.c)
 *   swaplab dsm serve the same protocol on this machine, for a named
 *                     region, with its peers over TCP (dsm_serve.c)
 *
 * sim's result is one line of name=value pairs a run: the steps, reads and
 * writes checked, the kernel's requests, the messages of each type, and
 * "ok" or the first promise broken, with where; exit 1 if any run broke
 * one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "lib/dsm.h"
#include "sim/dsm_sim.h"

static void usage_dsm(FILE *f)
{
	usage_dsm_serve(f);
	fprintf(f,
		"usage: swaplab dsm sim [--nodes N] [--pages N] [--ops N] [--writes PCT]\n"
		"                       [--evict PCT] [--pin PCT] [--seed N] [--runs N]\n"
		"                       [--manager fixed|dynamic] [--log FILE]\n"
		"  the DSM protocol on simulated nodes, every step checked: one writer\n"
		"  or many readers a page, every read the last write (defaults: 3 nodes,\n"
		"  8 pages, 2000 reads and writes a node, 30%% writes, evictions at 5%%\n"
		"  of the steps, no pins, seed 1, 1 run, the fixed manager; --pin PCT:\n"
		"  pages pinned or let go at PCT%% of the steps, which FLUSH refuses;\n"
		"  --runs N: seeds from --seed on)\n");
}

static int parse_u64(const char *arg, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 10);
	return errno || end == arg || *end || *v < min || *v > max ||
	       arg[0] == '-';
}

static int dsm_sim(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "pages", required_argument, NULL, 'p' },
		{ "ops", required_argument, NULL, 'o' },
		{ "writes", required_argument, NULL, 'w' },
		{ "evict", required_argument, NULL, 'e' },
		{ "pin", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "manager", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct dsm_sim_config cfg = {
		.nodes = 3, .pages = 8, .ops = 2000, .write_pct = 30,
		.evict_pct = 5, .seed = 1,
	};
	struct dsm_sim_result res;
	const char *log = NULL;
	uint64_t v, runs = 1;
	unsigned int failed = 0;
	bool bad = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			bad |= parse_u64(optarg, 1, DSM_NODES_MAX, &v);
			cfg.nodes = v;
			break;
		case 'p':
			bad |= parse_u64(optarg, 1, 1u << 20, &cfg.pages);
			break;
		case 'o':
			bad |= parse_u64(optarg, 1, 1ull << 32, &cfg.ops);
			break;
		case 'w':
			bad |= parse_u64(optarg, 0, 100, &v);
			cfg.write_pct = v;
			break;
		case 'e':
			bad |= parse_u64(optarg, 0, 100, &v);
			cfg.evict_pct = v;
			break;
		case 'P':
			bad |= parse_u64(optarg, 0, 100, &v);
			cfg.pin_pct = v;
			break;
		case 's':
			bad |= parse_u64(optarg, 0, UINT64_MAX, &cfg.seed);
			break;
		case 'r':
			bad |= parse_u64(optarg, 1, 1u << 20, &runs);
			break;
		case 'l':
			log = optarg;
			break;
		case 'm':
			bad |= dsm_parse_manager(optarg, &cfg.manager) != 0;
			break;
		case 'h':
			usage_dsm(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind != argc) {
		usage_dsm(stderr);
		return 2;
	}
	if (log) {
		cfg.log = fopen(log, "w");
		if (!cfg.log) {
			fprintf(stderr, "swaplab dsm sim: %s: %s\n", log,
				strerror(errno));
			return 1;
		}
	}
	for (uint64_t r = 0; r < runs; r++, cfg.seed++) {
		int rc = dsm_sim_run(&cfg, &res);

		if (rc < 0) {
			fprintf(stderr, "swaplab dsm sim: %s\n", strerror(-rc));
			failed++;
			break;
		}
		printf("manager=%s nodes=%u pages=%" PRIu64 " seed=%" PRIu64
		       " steps=%" PRIu64 " reads=%" PRIu64 " writes=%" PRIu64
		       " requests=%" PRIu64 " evictions=%" PRIu64
		       " pins=%" PRIu64 " refused=%" PRIu64,
		       dsm_manager_name(cfg.manager), cfg.nodes, cfg.pages,
		       cfg.seed, res.steps, res.reads,
		       res.writes, res.faults, res.evictions, res.pins,
		       res.refused);
		for (unsigned int t = 1; t <= DSM_MSG_MAX; t++)
			printf(" %s=%" PRIu64, dsm_msg_name(t), res.msgs[t]);
		if (rc) {
			printf(" broken: %s\n", res.violation);
			failed++;
		} else {
			printf(" ok\n");
		}
	}
	if (cfg.log)
		fclose(cfg.log);
	return failed ? 1 : 0;
}

int cmd_dsm(int argc, char **argv)
{
	if (argc >= 2 && is_help(argv[1])) {
		usage_dsm(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "sim"))
		return dsm_sim(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "serve"))
		return dsm_serve(argc - 1, argv + 1);
	usage_dsm(stderr);
	return 2;
}
