// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab top: a live view of swaplab's counters, a line every interval:
 * faults, swap traffic and evictions per second, resident frames, the
 * free frames against the watermarks, and the policy.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/replay.h"
#include "lib/sysfs.h"

/* Counter @name's increase from @prev to @cur, per second of @dt. */
static double rate(const struct stat_set *prev, const struct stat_set *cur,
		   const char *name, double dt)
{
	return (stat_value(cur, name) - stat_value(prev, name)) / dt;
}

static void usage_top(FILE *f)
{
	fprintf(f,
		"usage: swaplab top [--interval MS] [--count N]\n");
}

/*
 * A live view: every interval, the rates of the busiest counters and the
 * free frames against the watermarks. --count N stops after N lines.
 */
int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned long count = 0, interval_ms = 1000;
	struct stat_set prev, cur;
	bool bad = false;
	double t0, t1;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			interval_ms = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			count = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage_top(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind != argc || !interval_ms) {
		usage_top(stderr);
		return 2;
	}
	if (need_module() || read_stats(&prev))
		return 1;
	t0 = replay_now();
	printf("%8s %9s %9s %9s %9s %9s  %-18s %s\n", "faults/s", "major/s",
	       "in MiB/s", "out MiB/s", "evict/s", "resident",
	       "free (low-high)", "policy");
	for (unsigned long n = 0; !count || n < count; n++) {
		char policy[32] = "", path[256];
		double dt;

		usleep(interval_ms * 1000);
		if (read_stats(&cur))
			return 1;
		t1 = replay_now();
		dt = t1 - t0;
		snprintf(path, sizeof(path), "%s/policy", SWAPLAB_SYSFS);
		read_file(path, policy, sizeof(policy));
		policy[strcspn(policy, "\n")] = '\0';
		printf("%8.0f %9.0f %9.2f %9.2f %9.0f %9" PRIu64 "  %6" PRIu64 " (%lu-%lu)%*s %s\n",
		       rate(&prev, &cur, "faults", dt),
		       rate(&prev, &cur, "major_faults", dt),
		       rate(&prev, &cur, "swap_ins", dt) * page_size / (1 << 20),
		       rate(&prev, &cur, "swap_outs", dt) * page_size / (1 << 20),
		       rate(&prev, &cur, "evictions", dt),
		       stat_value(&cur, "resident"),
		       stat_value(&cur, "free_frames"),
		       knob_ulong("watermark_low"), knob_ulong("watermark_high"),
		       2, "", policy);
		fflush(stdout);
		prev = cur;
		t0 = t1;
	}
	return 0;
}
