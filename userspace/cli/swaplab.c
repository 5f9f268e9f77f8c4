// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab: look at and drive the swaplab module from the command line.
 *
 * main() only finds the command in the table below and runs it; each
 * command is a file of its own, cli/cmd_NAME.c, as perf's builtin-*.c.
 * Below them, the simulator (sim/) and the helpers they share (lib/):
 * knobs.c (save and restore), stock.c (the stock kernel's setup),
 * child.c (running a command), replay.c, workload.c, trace.c,
 * debugfs.c, json.c, and sysfs.c at the bottom; common.h holds the PRNG
 * and the page pattern.
 */
#include <stdio.h>
#include <string.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/sysfs.h"

/**
 * struct command - a line of the command table
 * @name: what follows "swaplab"
 * @fn: runs it, given argv from the command's name on
 * @args: its main arguments, for the usage line
 * @help: what it does, in one line
 */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

static const struct command commands[] = {
	{ "status", cmd_status, "[--json]", "knobs and counters" },
	{ "top", cmd_top, "", "live rates: faults, swap I/O, evictions" },
	{ "set", cmd_set, "KEY=VALUE...", "write knobs in " SWAPLAB_SYSFS },
	{ "bench", cmd_bench, "WORKLOAD",
	  "run a workload on " SWAPLAB_DEVICE " and verify it" },
	{ "compare", cmd_compare, "WORKLOAD|--cmd",
	  "a string or a command on swaplab and the stock kernel" },
	{ "run", cmd_run, "-- COMMAND",
	  "run a command with its large allocations on swaplab" },
	{ "record", cmd_record, "-- COMMAND",
	  "write a command's page reference string, for sim" },
	{ "micro", cmd_micro, "fault|metadata|rawread|anon|hog",
	  "microbenchmarks against the stock kernel" },
	{ "msg", cmd_msg, "[--sizes LIST] [--via LIST]",
	  "pass messages by moving pages and by copying" },
	{ "thrash", cmd_thrash, "[--system global|local|stock] [--procs N]",
	  "N processes' working sets under one budget: thrashing" },
	{ "pager", cmd_pager, "--policy NAME [-- COMMAND]",
	  "be the external pager, running a simulator policy" },
	{ "dsm", cmd_dsm, "sim [--nodes N]",
	  "distributed shared memory: the protocol, simulated" },
	{ "policy", cmd_policy, "load FILE.bpf.o|unload NAME|list",
	  "load or unload a replacement policy in eBPF" },
	{ "nbd", cmd_nbd, "connect|reconnect|disconnect ...",
	  "attach a network block device, or reconnect its store" },
	{ "sim", cmd_sim, "TRACE", "replay a reference string through the policies" },
	{ "gen", cmd_gen, "WORKLOAD", "print a reference string" },
};

static void print_usage(FILE *f)
{
	char line[64];

	fprintf(f, "usage: swaplab COMMAND [ARGS]\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		snprintf(line, sizeof(line), "%s %s", commands[i].name,
			 commands[i].args);
		fprintf(f, "  %-19s %s\n", line, commands[i].help);
	}
	fprintf(f, "'swaplab COMMAND --help' prints a command's usage.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (is_help(argv[1])) {
		print_usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	print_usage(stderr);
	return 2;
}
