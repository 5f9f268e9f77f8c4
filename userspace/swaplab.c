// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab: look at and drive the swaplab module from the command line.
 *
 *   swaplab status [--json]     knobs and counters
 *   swaplab top                 live rates of faults, swap I/O, evictions
 *   swaplab set KEY=VALUE...    write knobs, with the kernel's error in words
 *   swaplab bench WORKLOAD      run a workload on /dev/swaplab and verify it
 *   swaplab compare WORKLOAD    the same reference string on swaplab and on
 *                               the stock kernel in a memory cgroup
 *   swaplab run -- COMMAND      an unmodified command, its large
 *                               allocations paged within swaplab's budget
 *   swaplab micro TEST          one mechanism against the stock kernel's
 *   swaplab sim TRACE           replay a reference string through the
 *                               policies, exact LRU and OPT
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <swaplab.h>

#include "common.h"
#include "compare.h"
#include "micro.h"
#include "replay.h"
#include "run.h"
#include "sysfs.h"
#include "sim.h"
#include "workload.h"

static const char * const knobs[] = {
	"frames", "watermark_low", "watermark_high", "policy",
	"available_policies", "aging_bits", "aging_interval_ms",
	"wsclock_tau_ms", "daemon", "readahead", "swapfile", "swapfile_size",
	"region_max", "encrypt", "checksum",
};

static int need_module(void)
{
	if (access(SWAPLAB_SYSFS, F_OK)) {
		fprintf(stderr, "swaplab: module not loaded (no %s)\n",
			SWAPLAB_SYSFS);
		return -1;
	}
	return 0;
}

/* Print @str as a JSON string, escaping what JSON requires. */
static void json_string(const char *str)
{
	putchar('"');
	for (; *str; str++) {
		unsigned char c = *str;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* A knob's value: a JSON number when it is one, else a string. */
static void json_value(const char *val)
{
	char *end;

	if (*val && (strtoull(val, &end, 10), !*end) && isdigit((unsigned char)*val))
		printf("%s", val);
	else
		json_string(val);
}

#define SWAPLAB_DEBUGFS "/sys/kernel/debug/swaplab"

/* Open a debugfs table and check its version line; NULL if unusable. */
static FILE *debugfs_open(const char *name, int version)
{
	char path[256], line[64];
	int v;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_DEBUGFS, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "version %d", &v) != 1 || v != version) {
		fclose(f);
		return NULL;
	}
	return f;
}

#define LAT_KINDS 3
static const char * const lat_kinds[LAT_KINDS] = { "minor", "zero", "major" };

/**
 * struct latency - the fault handler's latency histogram of one kind
 * @n: buckets read
 * @low: each bucket's lower bound, in ns
 * @count: faults in each bucket
 * @total: faults in all buckets
 */
struct latency {
	int n;
	uint64_t low[256];
	uint64_t count[256];
	uint64_t total;
};

static int read_latency(struct latency lat[LAT_KINDS])
{
	char line[256];
	FILE *f = debugfs_open("fault_latency", 1);

	memset(lat, 0, sizeof(*lat) * LAT_KINDS);
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {	/* the column names */
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		uint64_t low, c[LAT_KINDS];

		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &low, &c[0], &c[1], &c[2]) != 4)
			continue;
		for (int k = 0; k < LAT_KINDS; k++) {
			struct latency *l = &lat[k];

			if (!c[k] || l->n == (int)ARRAY_SIZE(l->low))
				continue;
			l->low[l->n] = low;
			l->count[l->n++] = c[k];
			l->total += c[k];
		}
	}
	fclose(f);
	return 0;
}

/*
 * The latency below which a fraction @q of the faults fall: the middle
 * of the bucket that holds it. A bucket is a quarter of an octave wide,
 * so the figure is within 12% of the truth.
 */
static double latency_quantile(const struct latency *l, double q)
{
	uint64_t want = (uint64_t)(q * l->total), seen = 0;

	for (int i = 0; i < l->n; i++) {
		seen += l->count[i];
		if (seen > want || i == l->n - 1) {
			uint64_t low = l->low[i], width = 1;

			if (low >= 4) {
				int msb = 63 - __builtin_clzll(low);

				width = 1ull << (msb - 2);
			}
			return low + width / 2.0;
		}
	}
	return 0;
}

/**
 * struct region_row - a row of the debugfs regions table
 */
struct region_row {
	uint64_t id, size, resident, swapped, pinned, faults, major, nodes;
	uint64_t bytes;
	char name[4 * SWAPLAB_NAME_MAX];	/* escaped: 4 characters a byte */
};

/* Read up to @max rows; the number read, or -1 without debugfs. */
static int read_regions(struct region_row *rows, int max)
{
	FILE *f = debugfs_open("regions", 1);
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	while (n < max && fgets(line, sizeof(line), f)) {
		struct region_row *r = &rows[n];

		if (sscanf(line, "%" SCNu64 " %255s %" SCNu64 " %" SCNu64 " %"
			   SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %"
			   SCNu64 " %" SCNu64, &r->id, r->name, &r->size,
			   &r->resident, &r->swapped, &r->pinned, &r->faults,
			   &r->major, &r->nodes, &r->bytes) == 10)
			n++;
	}
	fclose(f);
	return n;
}

/* The debugfs metadata file's lines, by name; -1 without debugfs. */
static int read_metadata(struct stat_set *s)
{
	FILE *f = debugfs_open("metadata", 1);
	char line[128];

	s->n = 0;
	if (!f)
		return -1;
	while (s->n < MAX_STATS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %" SCNu64, s->name[s->n],
			   &s->value[s->n]) == 2)
			s->n++;
	fclose(f);
	return 0;
}

#define MAX_REGIONS 64

/* The per-region table, latency percentiles and metadata, as text. */
static void status_debugfs_text(void)
{
	struct region_row rows[MAX_REGIONS];
	struct latency lat[LAT_KINDS];
	struct stat_set md;
	int n = read_regions(rows, MAX_REGIONS);

	if (n < 0) {
		printf("(no %s: mount debugfs for regions, latency and metadata)\n",
		       SWAPLAB_DEBUGFS);
		return;
	}
	printf("regions:\n  %4s %-16s %10s %9s %9s %7s %10s %10s %10s\n",
	       "id", "name", "size KiB", "resident", "swapped", "pinned",
	       "faults", "major", "meta B");
	for (int i = 0; i < n; i++)
		printf("  %4" PRIu64 " %-16s %10" PRIu64 " %9" PRIu64 " %9" PRIu64
		       " %7" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
		       rows[i].id, rows[i].name, rows[i].size >> 10,
		       rows[i].resident, rows[i].swapped, rows[i].pinned,
		       rows[i].faults, rows[i].major, rows[i].bytes);
	if (!read_latency(lat)) {
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
	if (!read_metadata(&md)) {
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
	int n = read_regions(rows, MAX_REGIONS);

	printf(",\n  \"regions\": [");
	for (int i = 0; i < n; i++) {
		printf("%s\n    {\"id\": %" PRIu64 ", \"name\": ", i ? "," : "",
		       rows[i].id);
		json_string(rows[i].name);
		printf(", \"size\": %" PRIu64 ", \"resident\": %" PRIu64
		       ", \"swapped\": %" PRIu64 ", \"pinned\": %" PRIu64
		       ", \"faults\": %" PRIu64 ", \"major_faults\": %" PRIu64
		       ", \"metadata_bytes\": %" PRIu64 "}",
		       rows[i].size, rows[i].resident, rows[i].swapped,
		       rows[i].pinned, rows[i].faults, rows[i].major,
		       rows[i].bytes);
	}
	printf("%s]", n > 0 ? "\n  " : "");
	if (!read_latency(lat)) {
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
	if (!read_metadata(&md)) {
		printf(",\n  \"metadata\": {");
		for (int i = 0; i < md.n; i++) {
			printf("%s\n    ", i ? "," : "");
			json_string(md.name[i]);
			printf(": %" PRIu64, md.value[i]);
		}
		printf("\n  }");
	}
}

static int cmd_status(int argc, char **argv)
{
	bool json = argc == 2 && !strcmp(argv[1], "--json");
	char buf[PATH_MAX], path[256];
	struct stat_set s;

	if (argc > 1 && !json) {
		fprintf(stderr, "usage: swaplab status [--json]\n");
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

static int cmd_set(int argc, char **argv)
{
	char path[256];
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: swaplab set KEY=VALUE...\n");
		return 2;
	}
	if (need_module())
		return 1;
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		ssize_t len;
		int fd;

		if (!eq || eq == argv[i] || strchr(argv[i], '/')) {
			fprintf(stderr, "swaplab: '%s' is not KEY=VALUE\n",
				argv[i]);
			status = 2;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%.*s", SWAPLAB_SYSFS,
			 (int)(eq - argv[i]), argv[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			fprintf(stderr, "swaplab: %.*s: %s\n",
				(int)(eq - argv[i]), argv[i], strerror(errno));
			status = 1;
			continue;
		}
		len = strlen(eq + 1);
		if (write(fd, eq + 1, len) != len) {
			fprintf(stderr, "swaplab: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
		close(fd);
	}
	return status;
}

/*
 * A live view: every interval, the rates of the busiest counters and the
 * free frames against the watermarks. --count N stops after N lines.
 */
static int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	long page_size = sysconf(_SC_PAGESIZE);
	unsigned long count = 0, interval_ms = 1000;
	struct stat_set prev, cur;
	bool bad = false;
	double t0, t1;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			interval_ms = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			count = strtoul(optarg, NULL, 10);
			break;
		default:
			bad = true;
		}
	}
	if (bad || optind != argc || !interval_ms) {
		fprintf(stderr, "usage: swaplab top [--interval MS] [--count N]\n");
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
#define RATE(name) ((stat_value(&cur, name) - stat_value(&prev, name)) / dt)
		snprintf(path, sizeof(path), "%s/policy", SWAPLAB_SYSFS);
		read_file(path, policy, sizeof(policy));
		policy[strcspn(policy, "\n")] = '\0';
		printf("%8.0f %9.0f %9.2f %9.2f %9.0f %9" PRIu64 "  %6" PRIu64 " (%lu-%lu)%*s %s\n",
		       RATE("faults"), RATE("major_faults"),
		       RATE("swap_ins") * page_size / (1 << 20),
		       RATE("swap_outs") * page_size / (1 << 20),
		       RATE("evictions"), stat_value(&cur, "resident"),
		       stat_value(&cur, "free_frames"),
		       knob_ulong("watermark_low"), knob_ulong("watermark_high"),
		       2, "", policy);
#undef RATE
		fflush(stdout);
		prev = cur;
		t0 = t1;
	}
	return 0;
}

static void usage_bench(void)
{
	fprintf(stderr,
		"usage: swaplab bench seq|rand [--size SIZE] [--passes N] [--seed N]\n"
		"       swaplab bench zipf|loop|shift|hotcold [--size SIZE] [--refs N]\n"
		"                     [--seed N] [--theta T]\n"
		"       swaplab bench trace FILE\n"
		"  seq    write every page in order, then read and verify each pass\n"
		"  rand   the same in a random (seeded) page order\n"
		"  zipf, loop, shift, hotcold: see `swaplab gen`; each reference\n"
		"         checks and rewrites its page (default 4 references a page)\n"
		"  trace  replay a reference string (page numbers) from a file,\n"
		"         like the workloads above\n");
}

/* Print the debugfs metadata per page of region, if debugfs is there. */
static void bench_metadata(void)
{
	struct stat_set md;
	uint64_t pages;

	if (read_metadata(&md))
		return;
	pages = stat_value(&md, "pages");
	if (pages)
		printf("  metadata       %" PRIu64 " bytes for %" PRIu64 " pages, %.2f bytes per page (table %.2f, frames %.2f)\n",
		       stat_value(&md, "total_bytes"), pages,
		       (double)stat_value(&md, "total_bytes") / pages,
		       (double)(stat_value(&md, "total_bytes") -
				stat_value(&md, "frame_descriptor_bytes")) / pages,
		       (double)stat_value(&md, "frame_descriptor_bytes") / pages);
}

/*
 * Replay @refs on a new region, verifying every page (replay.c), and
 * print what it took.
 */
static int bench_replay(const char *name, const unsigned long *refs,
			size_t nrefs, unsigned long npages)
{
	struct replay r = { .refs = refs, .nrefs = nrefs, .npages = npages };
	long page_size = sysconf(_SC_PAGESIZE);
	struct stat_set before, after;
	struct rusage ru0, ru1;
	uint8_t *map;
	int fd;

	if (replay_prepare(&r)) {
		perror("swaplab: malloc");
		return 1;
	}
	map = region_map(npages * page_size, &fd);
	if (!map) {
		replay_free(&r);
		return 1;
	}
	read_stats(&before);
	getrusage(RUSAGE_SELF, &ru0);
	replay_run(&r, map, REPLAY_TIME_REFS);
	getrusage(RUSAGE_SELF, &ru1);
	read_stats(&after);
	replay_verify(&r, map);

	printf("bench %s: %zu references to %lu pages (%lu KiB) in %.3f s\n",
	       name, nrefs, npages, npages * page_size >> 10, r.elapsed);
	printf("  faults         %" PRIu64 " swaplab: %" PRIu64 " major, %" PRIu64 " zero-fill; process: %ld major, %ld minor\n",
	       stat_value(&after, "faults") - stat_value(&before, "faults"),
	       stat_value(&after, "major_faults") - stat_value(&before, "major_faults"),
	       stat_value(&after, "zero_fills") - stat_value(&before, "zero_fills"),
	       ru1.ru_majflt - ru0.ru_majflt, ru1.ru_minflt - ru0.ru_minflt);
	printf("  swap I/O       %" PRIu64 " KiB in, %" PRIu64 " KiB out\n",
	       (stat_value(&after, "swap_ins") - stat_value(&before, "swap_ins")) *
	       page_size >> 10,
	       (stat_value(&after, "swap_outs") - stat_value(&before, "swap_outs")) *
	       page_size >> 10);
	printf("  latency        p50 %.1f us, p99 %.1f us, max %.1f us\n",
	       r.p50 * 1e6, r.p99 * 1e6, r.max * 1e6);
	printf("  verified       %zu references and %lu pages, %" PRIu64 " mismatches\n",
	       nrefs, npages, r.mismatches);
	bench_metadata();
	munmap(map, npages * page_size);
	close(fd);
	replay_free(&r);
	return r.mismatches ? 1 : 0;
}

/* Replay a reference string from a file, as bench_replay() does. */
static int bench_trace(const char *path)
{
	unsigned long *refs, npages;
	size_t nrefs;
	int err, rc;

	err = sim_read_trace(path, &refs, &nrefs, &npages);
	if (err) {
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
		return 1;
	}
	if (!nrefs) {
		fprintf(stderr, "swaplab: %s: no references\n", path);
		free(refs);
		return 1;
	}
	rc = bench_replay(path, refs, nrefs, npages);
	free(refs);
	return rc;
}

static int cmd_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "passes", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'r' },
		{ "refs", required_argument, NULL, 'n' },
		{ "theta", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t size = 16 << 20, seed = 1, mismatches = 0, pages, *order;
	struct workload wl = { .theta = 0.99 };
	long page_size = sysconf(_SC_PAGESIZE);
	struct stat_set before, after;
	struct rusage ru0, ru1;
	const char *workload;
	int passes = 2, opt, fd;
	double t0, t1;
	uint8_t *map;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (parse_size(optarg, &size) || !size) {
				fprintf(stderr, "swaplab: bad size '%s'\n", optarg);
				return 2;
			}
			break;
		case 'p':
			passes = atoi(optarg);
			break;
		case 'r':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			wl.refs = strtoull(optarg, NULL, 0);
			break;
		case 't':
			wl.theta = strtod(optarg, NULL);
			break;
		default:
			usage_bench();
			return 2;
		}
	}
	if (optind == argc - 2 && !strcmp(argv[optind], "trace"))
		return need_module() ? 1 : bench_trace(argv[optind + 1]);
	if (optind != argc - 1 || passes < 1) {
		usage_bench();
		return 2;
	}
	workload = argv[optind];
	if (strcmp(workload, "seq") && strcmp(workload, "rand")) {
		unsigned long *refs;
		int err, rc;

		wl.name = workload;
		wl.pages = (size + sysconf(_SC_PAGESIZE) - 1) / sysconf(_SC_PAGESIZE);
		wl.refs = wl.refs ? wl.refs : 4 * wl.pages;
		wl.seed = seed;
		err = workload_generate(&wl, &refs);
		if (err) {
			if (err == -EINVAL)
				usage_bench();
			else
				fprintf(stderr, "swaplab: %s\n", strerror(-err));
			return err == -EINVAL ? 2 : 1;
		}
		rc = need_module() ? 1 : bench_replay(workload, refs, wl.refs,
						      wl.pages);
		free(refs);
		return rc;
	}
	if (need_module())
		return 1;

	size = (size + page_size - 1) & ~(uint64_t)(page_size - 1);
	pages = size / page_size;
	order = malloc(pages * sizeof(*order));
	if (!order) {
		perror("swaplab: malloc");
		return 1;
	}
	for (uint64_t i = 0; i < pages; i++)
		order[i] = i;
	if (!strcmp(workload, "rand")) {
		uint64_t state = seed;

		for (uint64_t i = pages - 1; i > 0; i--) {
			uint64_t j = prng_next(&state) % (i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	}

	map = region_map(size, &fd);
	if (!map) {
		free(order);
		return 1;
	}

	read_stats(&before);
	getrusage(RUSAGE_SELF, &ru0);
	t0 = replay_now();
	for (int pass = 0; pass <= passes; pass++) {
		for (uint64_t k = 0; k < pages; k++) {
			uint64_t p = order[k];
			uint64_t *w = (uint64_t *)(map + p * page_size);

			for (uint64_t j = 0; j < (uint64_t)page_size / 8; j++) {
				if (pass == 0)
					w[j] = pattern(p, j, seed);
				else if (w[j] != pattern(p, j, seed))
					mismatches++;
			}
		}
	}
	t1 = replay_now();
	getrusage(RUSAGE_SELF, &ru1);
	read_stats(&after);

	printf("bench %s: %" PRIu64 " pages (%" PRIu64 " KiB), 1 write + %d verify passes\n",
	       workload, pages, size >> 10, passes);
	printf("  elapsed        %.3f s (%.1f MiB/s)\n", t1 - t0,
	       (double)size * (passes + 1) / (1 << 20) / (t1 - t0));
	printf("  faults         %" PRIu64 " swaplab, %ld minor, %ld major\n",
	       stat_value(&after, "faults") - stat_value(&before, "faults"),
	       ru1.ru_minflt - ru0.ru_minflt, ru1.ru_majflt - ru0.ru_majflt);
	printf("  zero_fills     %" PRIu64 "\n",
	       stat_value(&after, "zero_fills") - stat_value(&before, "zero_fills"));
	printf("  verified       %" PRIu64 " pages, %" PRIu64 " mismatched words\n",
	       pages * passes, mismatches);
	bench_metadata();

	munmap(map, size);
	close(fd);
	free(order);
	return mismatches ? 1 : 0;
}

static int cmd_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "refs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'r' },
		{ "theta", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct workload wl = { .seed = 1, .theta = 0.99 };
	unsigned long *refs;
	bool bad = false;
	int opt, err;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
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
		default:
			bad = true;
		}
	}
	if (bad || optind != argc - 1) {
		fprintf(stderr,
			"usage: swaplab gen seq|rand|zipf|loop|shift|hotcold --pages N\n"
			"                   [--refs N] [--seed N] [--theta T]\n"
			"  Prints a reference string, one page number a line, for sim\n"
			"  and bench trace. Default: 4 references a page, seed 1,\n"
			"  theta 0.99.\n");
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

static void usage_sim(void)
{
	fprintf(stderr,
		"usage: swaplab sim TRACE --frames N [--policy NAME|all] [--batch N]\n"
		"                   [--tick N] [--tau N] [--aging-bits N]\n"
		"  Replays TRACE (page numbers; '-' for stdin) through the module's\n"
		"  policy code, exact LRU and Belady's OPT. --batch: pages evicted at\n"
		"  once when memory is full (swaplab's direct reclaim takes 32);\n"
		"  --tick: references per aging tick (it also ticks after frames/8\n"
		"  faults, as the module does); --tau: WSClock window, in\n"
		"  references.\n");
}

static int cmd_sim(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'f' },
		{ "policy", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "tick", required_argument, NULL, 't' },
		{ "tau", required_argument, NULL, 'w' },
		{ "aging-bits", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_config cfg = { .batch = 1, .aging_bits = 8 };
	const char *policy = "all";
	unsigned long *refs, npages;
	size_t nrefs;
	int opt, err, status = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
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
		case 'w':
			cfg.tau = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			cfg.aging_bits = strtoul(optarg, NULL, 10);
			break;
		default:
			usage_sim();
			return 2;
		}
	}
	if (optind != argc - 1 || !cfg.frames || !cfg.batch) {
		usage_sim();
		return 2;
	}
	if (!cfg.tick)
		cfg.tick = cfg.frames;
	if (!cfg.tau)
		cfg.tau = cfg.frames;
	err = sim_read_trace(argv[optind], &refs, &nrefs, &npages);
	if (err) {
		fprintf(stderr, "swaplab: %s: %s\n", argv[optind],
			strerror(-err));
		return 1;
	}
	printf("%-8s %10s %8s   (%zu references, %lu pages, %zu frames, batch %zu)\n",
	       "policy", "faults", "rate", nrefs, npages, cfg.frames, cfg.batch);
	for (const char *const *p = sim_policies; *p; p++) {
		long faults;

		if (strcmp(policy, "all") && strcmp(policy, *p))
			continue;
		faults = sim_run(*p, refs, nrefs, npages, &cfg);
		if (faults < 0) {
			fprintf(stderr, "swaplab: sim %s failed\n", *p);
			status = 1;
			continue;
		}
		printf("%-8s %10ld %7.2f%%\n", *p, faults,
		       nrefs ? 100.0 * faults / nrefs : 0.0);
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

static void print_usage(void)
{
	fprintf(stderr,
		"usage: swaplab COMMAND [ARGS]\n"
		"  status [--json]     knobs and counters\n"
		"  top                 live rates: faults, swap I/O, evictions\n"
		"  set KEY=VALUE...    write knobs in " SWAPLAB_SYSFS "\n"
		"  bench WORKLOAD      run a workload on " SWAPLAB_DEVICE " and verify it\n"
		"  compare WORKLOAD    the same string on swaplab and the stock kernel\n"
		"  compare --cmd -- COMMAND  a command on swaplab and the stock kernel\n"
		"  run -- COMMAND      run a command with its large allocations on swaplab\n"
		"  micro fault|rawread|anon  microbenchmarks against the stock kernel\n"
		"  sim TRACE           replay a reference string through the policies\n"
		"  gen WORKLOAD        print a reference string\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage();
		return 2;
	}
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc - 1, argv + 1);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 1, argv + 1);
	if (!strcmp(argv[1], "top"))
		return cmd_top(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bench"))
		return cmd_bench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "micro"))
		return cmd_micro(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "sim"))
		return cmd_sim(argc - 1, argv + 1);
	if (!strcmp(argv[1], "gen"))
		return cmd_gen(argc - 1, argv + 1);
	print_usage();
	return 2;
}
