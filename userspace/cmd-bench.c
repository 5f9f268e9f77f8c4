// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab bench: run a workload on a /dev/swaplab region and verify every
 * page. seq and rand write every page once and read it back pass after
 * pass; the reference-string workloads (see `swaplab gen`) and a trace
 * from a file are replayed by replay.c, each reference checking and
 * rewriting its page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmd.h"
#include "common.h"
#include "debugfs.h"
#include "replay.h"
#include "sim.h"
#include "sysfs.h"
#include "trace.h"
#include "workload.h"

static void usage_bench(FILE *f)
{
	fprintf(f,
		"usage: swaplab bench seq|rand [--size SIZE] [--passes N] [--seed N]\n"
		"       swaplab bench zipf|loop|shift|hotcold [--size SIZE] [--refs N]\n"
		"                     [--seed N] [--theta T]\n"
		"       swaplab bench trace FILE [TRACE OPTIONS]\n"
		"  zipf, loop, shift, hotcold and trace also take\n"
		"       [--resize AT:FRAMES[,AT:FRAMES...]]\n"
		"  seq    write every page in order, then read and verify each pass\n"
		"  rand   the same in a random (seeded) page order\n"
		"  zipf, loop, shift, hotcold: see `swaplab gen`; each reference\n"
		"         checks and rewrites its page (default 4 references a page)\n"
		"  trace  replay a reference string from a file, like the workloads\n"
		"         above; TRACE OPTIONS (--format and the options that go\n"
		"         with it) as in `swaplab sim --help`\n"
		"  --resize: write FRAMES to the frames knob before reference AT\n"
		"         (the first is 0), as `swaplab sim --resize` models; the\n"
		"         knob's value is put back after the run\n");
}

/* Print the debugfs metadata per page of region, if debugfs is there. */
static void bench_metadata(void)
{
	struct stat_set md;
	uint64_t pages;

	if (debugfs_metadata(&md))
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

/* --resize during a replay: the changes, the next one, the first error. */
struct bench_resize {
	const struct sim_config *cfg;
	int next;
	int err;
};

/* Before reference @t: write the frames knob; the next reference to stop at. */
static size_t bench_resize_at(struct replay *r, size_t t)
{
	struct bench_resize *br = r->at_arg;
	const struct sim_resize *rs = &br->cfg->resize[br->next];
	char val[32];
	int err;

	snprintf(val, sizeof(val), "%zu", rs->frames);
	err = knob_write("frames", val);
	if (err && !br->err) {
		fprintf(stderr, "swaplab: --resize: frames %s before reference %zu: %s\n",
			val, t, strerror(-err));
		br->err = err;
	}
	if (++br->next == br->cfg->nresize)
		return r->nrefs;
	return br->cfg->resize[br->next].at;
}

/*
 * Replay @refs on a new region, verifying every page (replay.c), and
 * print what it took. @resize: the budget's changes (--resize), or NULL;
 * the frames knob is put back afterwards.
 */
static int bench_replay(const char *name, const unsigned long *refs,
			size_t nrefs, unsigned long npages,
			const struct sim_config *resize)
{
	struct replay r = { .refs = refs, .nrefs = nrefs, .npages = npages };
	struct bench_resize br = { .cfg = resize };
	long page_size = sysconf(_SC_PAGESIZE);
	struct stat_set before, after;
	struct rusage ru0, ru1;
	char frames[32];
	uint8_t *map;
	int fd;

	if (resize && resize->nresize) {
		if (knob_read("frames", frames, sizeof(frames))) {
			fprintf(stderr, "swaplab: cannot read the frames knob\n");
			return 1;
		}
		r.at = bench_resize_at;
		r.at_ref = resize->resize[0].at;
		r.at_arg = &br;
	}
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
	replay_run(&r, map, REPLAY_TIME_FAULTS);
	getrusage(RUSAGE_SELF, &ru1);
	read_stats(&after);
	replay_verify(&r, map);
	if (r.at && knob_write("frames", frames) && !br.err) {
		fprintf(stderr, "swaplab: --resize: cannot put frames back to %s\n",
			frames);
		br.err = -EIO;
	}

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
	printf("  major faults   p50 %.1f us, p99 %.1f us, over the %" PRIu64 " references that took one\n",
	       r.fault_p50 * 1e6, r.fault_p99 * 1e6, r.major_refs);
	printf("  verified       %zu references and %lu pages, %" PRIu64 " mismatches\n",
	       nrefs, npages, r.mismatches);
	bench_metadata();
	munmap(map, npages * page_size);
	close(fd);
	replay_free(&r);
	return r.mismatches || br.err ? 1 : 0;
}

/* Replay a reference string from a file, as bench_replay() does. */
static int bench_trace(const char *path, const struct trace_spec *spec,
		       const struct sim_config *resize)
{
	unsigned long *refs, npages;
	size_t nrefs;
	int rc;

	if (trace_read(path, spec, &refs, &nrefs, &npages))
		return 1;
	rc = bench_replay(path, refs, nrefs, npages, resize);
	free(refs);
	return rc;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option bench_opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "passes", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'r' },
		{ "refs", required_argument, NULL, 'n' },
		{ "theta", required_argument, NULL, 't' },
		{ "resize", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(bench_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	uint64_t size = 16 << 20, seed = 1, mismatches = 0, pages, *order;
	struct workload wl = { .theta = 0.99 };
	struct sim_config resize = { .nresize = 0 };
	long page_size = sysconf(_SC_PAGESIZE);
	struct stat_set before, after;
	struct rusage ru0, ru1;
	const char *workload;
	int passes = 2, opt, fd, err;
	double t0, t1;
	uint8_t *map;

	trace_options(opts, bench_opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
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
		case 'R':
			if (sim_resize_parse(&resize, optarg))
				return 2;
			break;
		case 'h':
			usage_bench(stdout);
			return 0;
		default:
			err = trace_option(&spec, opt, optarg);
			if (!err)
				break;
			if (err == -ENOENT)
				usage_bench(stderr);
			return 2;
		}
	}
	if (optind == argc - 2 && !strcmp(argv[optind], "trace")) {
		if (trace_spec_check(&spec))
			return 2;
		return need_module() ? 1 : bench_trace(argv[optind + 1], &spec,
						       &resize);
	}
	if (optind != argc - 1 || passes < 1 || spec.set) {
		usage_bench(stderr);
		return 2;
	}
	workload = argv[optind];
	if (resize.nresize &&
	    (!strcmp(workload, "seq") || !strcmp(workload, "rand"))) {
		fprintf(stderr, "swaplab: --resize: a reference-string workload or a trace only\n");
		usage_bench(stderr);
		return 2;
	}
	if (strcmp(workload, "seq") && strcmp(workload, "rand")) {
		unsigned long *refs;
		int rc;

		wl.name = workload;
		wl.pages = (size + sysconf(_SC_PAGESIZE) - 1) / sysconf(_SC_PAGESIZE);
		wl.refs = wl.refs ? wl.refs : 4 * wl.pages;
		wl.seed = seed;
		err = workload_generate(&wl, &refs);
		if (err) {
			if (err == -EINVAL)
				usage_bench(stderr);
			else
				fprintf(stderr, "swaplab: %s\n", strerror(-err));
			return err == -EINVAL ? 2 : 1;
		}
		rc = need_module() ? 1 : bench_replay(workload, refs, wl.refs,
						      wl.pages, &resize);
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
