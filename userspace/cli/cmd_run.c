// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab run: run an unmodified command with its large allocations on
 * /dev/swaplab.
 *
 *	swaplab run --budget 32M -- xz -9 big.file
 *
 * sets frames to the budget (and the policy, and raises region_max so
 * that a served mapping may grow by mremap()), runs the command with
 * libswaplab-preload.so in LD_PRELOAD, waits for it, prints what it cost
 * and puts every knob back, also when interrupted (the signal is passed
 * on to the command first). It exits with the command's status.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/child.h"
#include "cli/cmd.h"
#include "lib/knobs.h"
#include "lib/sysfs.h"

static uint64_t delta(const struct child_result *res, const char *name)
{
	return stat_value(&res->after, name) - stat_value(&res->before, name);
}

/* The summary on standard error. */
static void print_summary(const char *cmd, const struct child_result *res,
			  uint64_t frames, const char *policy)
{
	double page_mib = sysconf(_SC_PAGESIZE) / 1048576.0;
	int st = res->status;

	fprintf(stderr, "swaplab run: %s %s %d after %.2f s (budget %" PRIu64
		" frames = %.1f MiB, policy %s)\n", cmd,
		WIFSIGNALED(st) ? "killed by signal" : "exited",
		WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), res->elapsed,
		frames, frames * page_mib, policy);
	fprintf(stderr, "swaplab run: swaplab major_faults=%" PRIu64
		" zero_fills=%" PRIu64 " evictions=%" PRIu64 " swap_ins=%" PRIu64
		" swap_outs=%" PRIu64 " peak_resident=%" PRIu64 "\n",
		delta(res, "major_faults"), delta(res, "zero_fills"),
		delta(res, "evictions"), delta(res, "swap_ins"),
		delta(res, "swap_outs"), res->peak_resident);
	fprintf(stderr, "swaplab run: command majflt=%ld minflt=%ld maxrss_kib=%ld\n",
		res->ru.ru_majflt, res->ru.ru_minflt, res->ru.ru_maxrss);
	if (!res->lib.procs) {
		fprintf(stderr, "swaplab run: library: no report (a static program, or it left with _exit)\n");
		return;
	}
	fprintf(stderr, "swaplab run: library processes=%lu served=%lu malloc=%lu files=%lu served_mib=%.1f peak_mib=%.1f fallbacks=%lu fork_copies=%lu file_refreshes=%lu text=%lu\n",
		res->lib.procs, res->lib.maps, res->lib.mallocs,
		res->lib.files, res->lib.total / 1048576.0,
		res->lib.peak / 1048576.0, res->lib.fallbacks, res->lib.forks,
		res->lib.file_refreshes, res->lib.text);
}

static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: swaplab run [--budget SIZE] [--policy NAME] [--region-max SIZE]\n"
		"                   [--min SIZE] [--lib PATH] [--verbose] [--text]\n"
		"                   -- COMMAND [ARG...]\n"
		"  Runs COMMAND with libswaplab-preload.so: its anonymous mmaps and\n"
		"  malloc blocks of at least --min (default 1M) are regions of\n"
		"  " SWAPLAB_DEVICE ", paged within frames = --budget. Prints the\n"
		"  cost to stderr, restores the knobs, exits with COMMAND's status.\n"
		"  --region-max: size limit of the regions (default 64G), so that\n"
		"                realloc and mremap can grow them\n"
		"  --lib: the library (default: beside swaplab, or ../lib/swaplab/)\n"
		"  --verbose: the library reports each process's figures at exit\n"
		"  --text: the program's and its libraries' text is paged from\n"
		"          regions of their files too\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "policy", required_argument, NULL, 'p' },
		{ "region-max", required_argument, NULL, 'r' },
		{ "min", required_argument, NULL, 'm' },
		{ "lib", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t budget = 0, region_max = 64ull << 30, min = 0;
	char min_env[64] = "", policy_now[32] = "?";
	char *env[4] = { NULL };
	const char *policy = NULL, *lib = NULL;
	struct child_spec spec = { .out_fd = -1, .env = env };
	struct child_result res;
	long page = sysconf(_SC_PAGESIZE);
	bool bad = false, verbose = false, text = false;
	int opt, n = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bad |= parse_size(optarg, &budget) || budget < 16 * (uint64_t)page;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'r':
			bad |= parse_size(optarg, &region_max) || !region_max;
			break;
		case 'm':
			bad |= parse_size(optarg, &min) || min < (uint64_t)page;
			break;
		case 'l':
			lib = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 't':
			text = true;
			break;
		case 'h':
			usage_run(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind >= argc) {
		usage_run(stderr);
		return 2;
	}
	if (child_preload_setup(&spec, lib, argv + optind))
		return 1;
	if (min) {
		snprintf(min_env, sizeof(min_env), "SWAPLAB_PRELOAD_MIN=%" PRIu64,
			 min);
		env[n++] = min_env;
	}
	if (verbose)
		env[n++] = "SWAPLAB_PRELOAD_VERBOSE=1";
	if (text)
		env[n++] = "SWAPLAB_PRELOAD_TEXT=1";

	knobs_save();
	knobs_catch_signals();
	if (knobs_set(budget / page, policy, region_max)) {
		knobs_restore();
		free((char *)spec.preload);
		return 1;
	}
	knob_read("policy", policy_now, sizeof(policy_now));
	if (child_run_command(&spec, &res)) {
		knobs_restore();
		free((char *)spec.preload);
		return 127;
	}
	knobs_restore();
	print_summary(spec.argv[0], &res, budget ? budget / page :
		      knob_ulong("frames"), policy_now);
	if (knobs_stop_signal())
		fprintf(stderr, "swaplab run: stopped by signal %d; knobs restored\n",
			knobs_stop_signal());
	free((char *)spec.preload);
	return child_exit_code(res.status);
}
