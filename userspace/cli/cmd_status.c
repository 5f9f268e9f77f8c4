// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab status [--json]: the knobs of /sys/kernel/swaplab, the
 * counters of its stat file and, when debugfs is mounted, the regions,
 * the processes they are charged to, the fault handler's latency
 * percentiles and the metadata's size.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/debugfs.h"
#include "lib/json.h"
#include "lib/sysfs.h"

static const char * const knobs[] = {
	"frames", "watermark_low", "watermark_high", "policy", "allocation",
	"allocator", "available_allocators",
	"available_policies", "aging_interval_ms", "swappiness", "shadow_max",
	"daemon",
	"admit_batch", "readahead", "prefetcher", "available_prefetchers",
	"prefetch_window", "compress", "compress_pool_max", "swapfile",
	"swapfile_size", "region_max",
	"encrypt", "checksum", "checksum_driver", "fault_latency", "fault_around",
	"readahead_async", "page_buffering",
};

static const char * const lat_kinds[LAT_KINDS] = { "minor", "zero", "major" };

#define MAX_REGIONS 64
#define MAX_PROCS 64

/* The per-process table, as text. */
static void status_procs_text(void)
{
	struct proc_row rows[MAX_PROCS];
	int n = debugfs_procs(rows, MAX_PROCS);

	if (n < 0)
		return;
	printf("processes:\n  %4s %8s %-8s %7s %9s %9s %9s %6s %10s %10s %6s\n",
	       "id", "pid", "state", "regions", "charged", "alloc", "ws",
	       "rate", "faults", "major", "deacts");
	for (int i = 0; i < n; i++) {
		char alloc[24] = "-";

		if (rows[i].alloc >= 0)
			snprintf(alloc, sizeof(alloc), "%" PRId64, rows[i].alloc);
		printf("  %4" PRIu64 " %8" PRId64 " %-8s %7" PRIu64 " %9" PRIu64
		       " %9s %9" PRIu64 " %5.1f%% %10" PRIu64 " %10" PRIu64
		       " %6" PRIu64 "\n",
		       rows[i].id, rows[i].pid, rows[i].state, rows[i].regions,
		       rows[i].charged, alloc, rows[i].ws,
		       rows[i].fault_rate / 10.0, rows[i].faults, rows[i].major,
		       rows[i].deacts);
	}
}

/* The per-process table, as a JSON member. */
static void status_procs_json(void)
{
	struct proc_row rows[MAX_PROCS];
	int n = debugfs_procs(rows, MAX_PROCS);

	if (n < 0)
		return;
	printf(",\n  \"procs\": [");
	for (int i = 0; i < n; i++)
		printf("%s\n    {\"id\": %" PRIu64 ", \"pid\": %" PRId64
		       ", \"state\": \"%s\", \"regions\": %" PRIu64
		       ", \"charged\": %" PRIu64 ", \"mapped\": %" PRIu64
		       ", \"alloc\": %" PRId64 ", \"ws\": %" PRIu64
		       ", \"fault_rate_permille\": %" PRIu64
		       ", \"faults\": %" PRIu64 ", \"major_faults\": %" PRIu64
		       ", \"deactivations\": %" PRIu64
		       ", \"deactivated_ms\": %" PRIu64 ", \"weight\": %" PRIu64 "}",
		       i ? "," : "", rows[i].id, rows[i].pid, rows[i].state,
		       rows[i].regions, rows[i].charged, rows[i].mapped,
		       rows[i].alloc, rows[i].ws, rows[i].fault_rate,
		       rows[i].faults, rows[i].major, rows[i].deacts,
		       rows[i].deact_ms, rows[i].weight);
	printf("%s]", n > 0 ? "\n  " : "");
}

/*
 * The per-region and per-process tables, latency percentiles and
 * metadata, as text.
 */
static void status_debugfs_text(void)
{
	struct region_row rows[MAX_REGIONS];
	struct latency lat[LAT_KINDS];
	struct stat_set md;
	int n = debugfs_regions(rows, MAX_REGIONS);

	if (n < 0) {
		printf("(no %s: mount debugfs for regions, latency and metadata)\n",
		       SWAPLAB_DEBUGFS);
		return;
	}
	printf("regions:\n  %4s %-16s %10s %9s %9s %7s %10s %10s %10s %4s\n",
	       "id", "name", "size KiB", "resident", "swapped", "pinned",
	       "faults", "major", "meta B", "proc");
	for (int i = 0; i < n; i++)
		printf("  %4" PRIu64 " %-16s %10" PRIu64 " %9" PRIu64 " %9" PRIu64
		       " %7" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
		       " %4" PRIu64 "\n",
		       rows[i].id, rows[i].name, rows[i].size >> 10,
		       rows[i].resident, rows[i].swapped, rows[i].pinned,
		       rows[i].faults, rows[i].major, rows[i].bytes,
		       rows[i].proc);
	status_procs_text();
	if (!debugfs_latency(lat)) {
		if (!knob_ulong("fault_latency"))
			printf("fault handler latency: faults are not timed while fault_latency is 0%s\n",
			       lat[0].total + lat[1].total + lat[2].total ?
			       "; these are from when it was 1" : "");
		printf("fault handler latency (us):\n  %-6s %10s %9s %9s %9s %9s\n",
		       "kind", "faults", "p50", "p90", "p99", "p99.9");
		for (int k = 0; k < LAT_KINDS; k++)
			printf("  %-6s %10" PRIu64 " %9.2f %9.2f %9.2f %9.2f\n",
			       lat_kinds[k], lat[k].total,
			       latency_quantile(&lat[k], 0.5) / 1e3,
			       latency_quantile(&lat[k], 0.9) / 1e3,
			       latency_quantile(&lat[k], 0.99) / 1e3,
			       latency_quantile(&lat[k], 0.999) / 1e3);
	}
	if (!debugfs_metadata(&md)) {
		uint64_t pages = stat_value(&md, "pages");
		uint64_t total = stat_value(&md, "total_bytes");

		printf("metadata: %" PRIu64 " bytes for %" PRIu64 " pages in regions",
		       total, pages);
		if (pages)
			printf(" (%.2f bytes/page)", (double)total / pages);
		printf("\n");
	}
}

static void status_debugfs_json(void)
{
	struct region_row rows[MAX_REGIONS];
	struct latency lat[LAT_KINDS];
	struct stat_set md;
	int n = debugfs_regions(rows, MAX_REGIONS);

	printf(",\n  \"regions\": [");
	for (int i = 0; i < n; i++) {
		printf("%s\n    {\"id\": %" PRIu64 ", \"name\": ", i ? "," : "",
		       rows[i].id);
		json_string(rows[i].name);
		printf(", \"size\": %" PRIu64 ", \"resident\": %" PRIu64
		       ", \"swapped\": %" PRIu64 ", \"pinned\": %" PRIu64
		       ", \"faults\": %" PRIu64 ", \"major_faults\": %" PRIu64
		       ", \"metadata_bytes\": %" PRIu64 ", \"proc\": %" PRIu64 "}",
		       rows[i].size, rows[i].resident, rows[i].swapped,
		       rows[i].pinned, rows[i].faults, rows[i].major,
		       rows[i].bytes, rows[i].proc);
	}
	printf("%s]", n > 0 ? "\n  " : "");
	status_procs_json();
	if (!debugfs_latency(lat)) {
		printf(",\n  \"fault_latency_ns\": {");
		for (int k = 0; k < LAT_KINDS; k++)
			printf("%s\n    \"%s\": {\"faults\": %" PRIu64
			       ", \"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f, \"p99.9\": %.0f}",
			       k ? "," : "", lat_kinds[k], lat[k].total,
			       latency_quantile(&lat[k], 0.5),
			       latency_quantile(&lat[k], 0.9),
			       latency_quantile(&lat[k], 0.99),
			       latency_quantile(&lat[k], 0.999));
		printf("\n  }");
	}
	if (!debugfs_metadata(&md)) {
		printf(",\n  \"metadata\": {");
		for (int i = 0; i < md.n; i++) {
			printf("%s\n    ", i ? "," : "");
			json_string(md.name[i]);
			printf(": %" PRIu64, md.value[i]);
		}
		printf("\n  }");
	}
}

int cmd_status(int argc, char **argv)
{
	static const char usage[] = "usage: swaplab status [--json]\n";
	bool json = argc == 2 && !strcmp(argv[1], "--json");
	char buf[PATH_MAX], path[256];
	struct stat_set s;

	if (argc == 2 && is_help(argv[1])) {
		printf("%s", usage);
		return 0;
	}
	if (argc > 1 && !json) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (need_module())
		return 1;
	if (read_stats(&s)) {
		perror("swaplab: stat");
		return 1;
	}
	printf(json ? "{\n  \"knobs\": {" : "knobs (%s):\n", SWAPLAB_SYSFS);
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, knobs[i]);
		if (read_file(path, buf, sizeof(buf)))
			buf[0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (!json) {
			printf("  %-20s %s\n", knobs[i], buf[0] ? buf : "?");
			continue;
		}
		printf("%s\n    ", i ? "," : "");
		json_string(knobs[i]);
		printf(": ");
		json_value(buf);
	}
	printf(json ? "\n  },\n  \"counters\": {" : "counters:\n");
	for (int i = 0; i < s.n; i++) {
		if (!json) {
			printf("  %-20s %" PRIu64 "\n", s.name[i], s.value[i]);
			continue;
		}
		printf("%s\n    ", i ? "," : "");
		json_string(s.name[i]);
		printf(": %" PRIu64, s.value[i]);
	}
	if (json) {
		printf("\n  }");
		status_debugfs_json();
		printf("\n}\n");
	} else {
		status_debugfs_text();
	}
	return 0;
}
