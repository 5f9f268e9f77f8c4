// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab bench: run a workload on a /dev/swaplab region and verify every
 * page. seq and rand write every page once and read it back pass after
 * pass; the reference-string workloads (see `swaplab gen`) and a trace
 * from a file are replayed by replay.c, each reference checking and
 * rewriting its page; a trace of several processes by a child each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "lib/common.h"
#include "lib/debugfs.h"
#include "lib/pagemap.h"
#include "lib/replay.h"
#include "sim/sim.h"
#include "lib/strmap.h"
#include "lib/sysfs.h"
#include "lib/trace.h"
#include "lib/workload.h"

static void usage_bench(FILE *f)
{
	fprintf(f,
		"usage: swaplab bench seq|rand [--size SIZE] [--passes N] [--seed N]\n"
		"       swaplab bench zipf|loop|shift|hotcold [--size SIZE] [--refs N]\n"
		"                     [--seed N] [--theta T]\n"
		"       swaplab bench trace FILE [TRACE OPTIONS] [--file-dir DIR]\n"
		"  zipf, loop, shift, hotcold and trace also take\n"
		"       [--resize AT:FRAMES[,AT:FRAMES...]]\n"
		"  seq    write every page in order, then read and verify each pass\n"
		"  rand   the same in a random (seeded) page order\n"
		"  zipf, loop, shift, hotcold: see `swaplab gen`; each reference\n"
		"         checks and rewrites its page (default 4 references a page)\n"
		"  trace  replay a reference string from a file, like the workloads\n"
		"         above; TRACE OPTIONS (--format and the options that go\n"
		"         with it) as in `swaplab sim --help`. A trace of several\n"
		"         processes (P:PAGE, --proc-col) forks a child a process,\n"
		"         each mapping its own region (its largest page + 1) before\n"
		"         any reference; the references are made in the trace's\n"
		"         order, a token passed between the children, and a child\n"
		"         unmaps and closes its region after its last. Prints each\n"
		"         process's faults (major and zero-fill) below the total.\n"
		"  --resize: write FRAMES to the frames knob before reference AT\n"
		"         (the first is 0), as `swaplab sim --resize` models; the\n"
		"         knob's value is put back after the run\n"
		"  --file-dir DIR: trace only: the pages of files of a string (f,\n"
		"         x) are a region of a new file made in DIR (default: the\n"
		"         swap file's directory), on a file system that does\n"
		"         direct I/O, after the anonymous pages\n");
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
 * The current policy's own counts (its file stats) on one line in @buf,
 * read at the end of the measured part, before the verification's
 * faults reach the policy; empty for a policy that keeps none.
 */
static void bench_policy_stats(char *buf, size_t size)
{
	char policy[64], path[256];
	size_t n;

	buf[0] = '\0';
	if (knob_read("policy", policy, sizeof(policy)))
		return;
	snprintf(path, sizeof(path), "%s/policies/%s/stats", SWAPLAB_SYSFS,
		 policy);
	if (read_file(path, buf, size)) {
		buf[0] = '\0';
		return;
	}
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
	n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
}

/*
 * Replay @refs on a new region, verifying every page (replay.c), and
 * print what it took. @resize: the budget's changes (--resize), or NULL;
 * the frames knob is put back afterwards.
 */
static int bench_replay(const char *name, const unsigned long *refs,
			size_t nrefs, unsigned long npages,
			const uint8_t *kinds, const char *file_dir,
			const struct sim_config *resize)
{
	struct replay r = { .refs = refs, .nrefs = nrefs, .npages = npages };
	struct bench_resize br = { .cfg = resize };
	long page_size = sysconf(_SC_PAGESIZE);
	struct stat_set before, after;
	struct rusage ru0, ru1;
	char frames[32], pstats[1024];
	struct pagemap bm;
	uint8_t *map;
	int err;

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
	err = pagemap_map(&bm, npages, kinds, file_dir, false);
	if (err) {
		replay_free(&r);
		return err;
	}
	map = bm.map;
	read_stats(&before);
	getrusage(RUSAGE_SELF, &ru0);
	replay_run(&r, map, REPLAY_TIME_FAULTS);
	getrusage(RUSAGE_SELF, &ru1);
	read_stats(&after);
	bench_policy_stats(pstats, sizeof(pstats));
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
	if (bm.nfile) {
		printf("  file pages     %lu of %lu: %" PRIu64 " read from the file, ",
		       bm.nfile, npages,
		       stat_value(&after, "file_reads") - stat_value(&before, "file_reads"));
		printf("%" PRIu64 " written back, %" PRIu64 " dropped clean, %" PRIu64 " stored\n",
		       stat_value(&after, "file_writes") - stat_value(&before, "file_writes"),
		       stat_value(&after, "file_dropped") - stat_value(&before, "file_dropped"),
		       stat_value(&after, "file_stored") - stat_value(&before, "file_stored"));
	}
	if (pstats[0])
		printf("  policy stats   %s\n", pstats);
	printf("  verified       %zu references and %lu pages, %" PRIu64 " mismatches\n",
	       nrefs, npages, r.mismatches);
	bench_metadata();
	pagemap_unmap(&bm);
	replay_free(&r);
	return r.mismatches || br.err ? 1 : 0;
}

/*
 * A trace of several processes: a child a process, each with its own
 * region, the references made strictly in the trace's order by passing
 * a token from child to child through pipes.
 */

/**
 * struct bench_proc - one process of such a replay, in its child
 * @id: its number in the trace
 * @size: the pages it maps: its largest page number plus one
 * @refs: its references, in its own page numbers
 * @nrefs: how many
 * @turn: the first of each run of its references with no other's between
 * @next: to whom the token goes after each run: a child's index, or the
 *	number of children for the parent
 * @nturns: how many runs
 * @in: the read end of its token pipe
 */
struct bench_proc {
	unsigned int id;
	unsigned long size;
	unsigned long *refs;
	size_t nrefs;
	size_t *turn;
	unsigned int *next;
	size_t nturns;
	int in;
};

/* What a child counted, in memory it shares with the parent. */
struct bench_proc_result {
	uint64_t major, zero, mismatches;
	int err;
};

/* A child's run: the token pipes' write ends, its turn, its counts. */
struct bench_child {
	struct bench_proc *bp;
	const int *out;
	size_t k;
	struct stat_set at;
	struct bench_proc_result *res;
};

/* Wait for the token on @fd; 0, or -1 if the pipe closed. */
static int bench_token_wait(int fd)
{
	char c;
	ssize_t n;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

static void bench_token_pass(int fd)
{
	char c = 't';

	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/*
 * The module's faults since @c->at, the start of the child's turn, to
 * its account: only the child holding the token makes references, so
 * the counters' change in its turn is its own.
 */
static void bench_child_count(struct bench_child *c)
{
	struct stat_set now;

	if (read_stats(&now)) {
		c->res->err = 1;
		return;
	}
	c->res->major += stat_value(&now, "major_faults") -
			 stat_value(&c->at, "major_faults");
	c->res->zero += stat_value(&now, "zero_fills") -
			stat_value(&c->at, "zero_fills");
}

/*
 * Before the child's reference @t, the first of a run: the previous
 * run's faults counted and the token passed on, then the token awaited.
 * Returns the first reference of the next run.
 */
static size_t bench_child_turn(struct replay *r, size_t t)
{
	struct bench_child *c = r->at_arg;
	struct bench_proc *bp = c->bp;

	if (t) {
		bench_child_count(c);
		bench_token_pass(c->out[bp->next[c->k]]);
		c->k++;
	}
	if (bench_token_wait(bp->in) || read_stats(&c->at))
		_exit(1);
	return c->k + 1 < bp->nturns ? bp->turn[c->k + 1] : r->nrefs;
}

/*
 * A child: its region made and mapped in its turn at the start; its
 * references, turn by turn; after its last, its region unmapped and
 * closed before the token goes on. The content of each page is checked
 * at each reference (not at the end: that would fault pages in).
 */
static void bench_child_run(struct bench_proc *bp, unsigned int i,
			    unsigned int n, const int *out,
			    struct bench_proc_result *res)
{
	long page_size = sysconf(_SC_PAGESIZE);
	struct replay r = {
		.refs = bp->refs, .nrefs = bp->nrefs, .npages = bp->size,
		.at = bench_child_turn, .at_ref = 0,
	};
	struct bench_child c = { .bp = bp, .out = out, .res = res };
	uint8_t *map;
	int fd;

	r.at_arg = &c;
	if (replay_prepare(&r) || bench_token_wait(bp->in))
		_exit(1);
	map = region_map(bp->size * page_size, &fd);
	/* The next child makes its region; the last hands over to the parent. */
	bench_token_pass(out[i + 1 < n ? i + 1 : n]);
	if (!map)
		_exit(1);
	replay_run(&r, map, REPLAY_TIME_NONE);
	bench_child_count(&c);
	res->mismatches = r.mismatches;
	munmap(map, bp->size * page_size);
	close(fd);
	bench_token_pass(out[bp->next[bp->nturns - 1]]);
	_exit(res->err);
}

/*
 * Split the string into the processes' own: each one's references in its
 * page numbers (@local), its runs and to whom each hands the token.
 * Returns the number of processes that make references, or -1.
 */
static int bench_procs_split(const unsigned long *refs, const uint16_t *of,
			     size_t nrefs, const unsigned long *local,
			     unsigned int nprocs, struct bench_proc **out)
{
	unsigned int *index = malloc(nprocs * sizeof(*index));
	struct bench_proc *bp;
	unsigned int n = 0;
	size_t t;

	bp = calloc(nprocs, sizeof(*bp));
	if (!index || !bp)
		goto nomem;
	for (unsigned int p = 0; p < nprocs; p++)
		index[p] = UINT_MAX;
	for (t = 0; t < nrefs; t++)
		index[of[t]] = 0;
	/* In the order of their numbers, as the simulator lists them. */
	for (unsigned int p = 0; p < nprocs; p++)
		if (index[p] != UINT_MAX) {
			index[p] = n;
			bp[n++].id = p;
		}
	for (t = 0; t < nrefs; t++) {
		struct bench_proc *b = &bp[index[of[t]]];

		b->nrefs++;
		if (!t || of[t] != of[t - 1])
			b->nturns++;
		if (local[refs[t]] + 1 > b->size)
			b->size = local[refs[t]] + 1;
	}
	for (unsigned int k = 0; k < n; k++) {
		bp[k].refs = malloc(bp[k].nrefs * sizeof(*bp[k].refs));
		bp[k].turn = malloc(bp[k].nturns * sizeof(*bp[k].turn));
		bp[k].next = malloc(bp[k].nturns * sizeof(*bp[k].next));
		if (!bp[k].refs || !bp[k].turn || !bp[k].next)
			goto nomem;
		bp[k].nrefs = 0;
		bp[k].nturns = 0;
	}
	for (t = 0; t < nrefs; t++) {
		struct bench_proc *b = &bp[index[of[t]]];

		if (!t || of[t] != of[t - 1]) {
			if (t)
				bp[index[of[t - 1]]].next[bp[index[of[t - 1]]].nturns - 1] =
					index[of[t]];
			b->turn[b->nturns++] = b->nrefs;
		}
		b->refs[b->nrefs++] = local[refs[t]];
	}
	bp[index[of[nrefs - 1]]].next[bp[index[of[nrefs - 1]]].nturns - 1] = n;
	free(index);
	*out = bp;
	return n;
nomem:
	for (unsigned int k = 0; bp && k < nprocs; k++) {
		free(bp[k].refs);
		free(bp[k].turn);
		free(bp[k].next);
	}
	free(bp);
	free(index);
	return -1;
}

/*
 * Wait for the token on @fd while the children run; -1 if one of them
 * ended before handing it on (then all are killed).
 */
static int bench_procs_wait(int fd, const pid_t *pid, unsigned int n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		if (poll(&pfd, 1, 200) > 0)
			return bench_token_wait(fd);
		for (unsigned int k = 0; k < n; k++) {
			siginfo_t si = { .si_pid = 0 };

			/* Looked at, not reaped: the caller reaps them all. */
			if (waitid(P_PID, pid[k], &si,
				   WEXITED | WNOHANG | WNOWAIT) || !si.si_pid ||
			    (si.si_code == CLD_EXITED && !si.si_status))
				continue;
			for (unsigned int j = 0; j < n; j++)
				if (j != k)
					kill(pid[j], SIGKILL);
			fprintf(stderr, "swaplab: bench: process %u's child ended before its turn was done\n",
				k);
			return -1;
		}
	}
}

/*
 * Replay @refs, made by the processes @of, a child a process (see above),
 * and print the module's faults, in all and each process's.
 */
static int bench_procs(const char *name, const unsigned long *refs,
		       const uint16_t *of, size_t nrefs,
		       const unsigned long *local, unsigned int nprocs)
{
	long page_size = sysconf(_SC_PAGESIZE);
	struct bench_proc_result *res = MAP_FAILED;
	struct stat_set before, after;
	uint64_t mismatches = 0, pages = 0;
	struct bench_proc *bp = NULL;
	int *out = NULL, *in = NULL;
	pid_t *pid = NULL;
	int n, rc = 1, status, first = 0;
	double t0 = 0, t1 = 0;

	n = bench_procs_split(refs, of, nrefs, local, nprocs, &bp);
	if (n < 0)
		goto nomem;
	out = malloc((n + 1) * sizeof(*out));
	in = malloc((n + 1) * sizeof(*in));
	pid = calloc(n, sizeof(*pid));
	res = mmap(NULL, n * sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!out || !in || !pid || res == MAP_FAILED)
		goto nomem;
	memset(res, 0, n * sizeof(*res));
	for (int k = 0; k <= n; k++) {
		int fds[2];

		if (pipe(fds)) {
			perror("swaplab: pipe");
			goto out;
		}
		in[k] = fds[0];
		out[k] = fds[1];
		if (k < n)
			bp[k].in = fds[0];
	}
	for (int k = 0; k < n; k++) {
		pages += bp[k].size;
		if (bp[k].id == of[0])
			first = k;
	}
	fflush(stdout);
	fflush(stderr);
	for (int k = 0; k < n; k++) {
		pid[k] = fork();
		if (pid[k] < 0) {
			perror("swaplab: fork");
			for (int j = 0; j < k; j++)
				kill(pid[j], SIGKILL);
			for (int j = 0; j < k; j++)
				waitpid(pid[j], NULL, 0);
			goto out;
		}
		if (!pid[k])
			bench_child_run(&bp[k], k, n, out, &res[k]);
	}
	/* The regions made in turn, then the references from the first. */
	bench_token_pass(out[0]);
	if (bench_procs_wait(in[n], pid, n) == 0) {
		read_stats(&before);
		t0 = replay_now();
		bench_token_pass(out[first]);
		if (bench_procs_wait(in[n], pid, n) == 0)
			rc = 0;
		t1 = replay_now();
		read_stats(&after);
	}
	for (int k = 0; k < n; k++) {
		if (waitpid(pid[k], &status, 0) != pid[k] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) || res[k].err)
			rc = 1;
		mismatches += res[k].mismatches;
	}
	if (rc) {
		fprintf(stderr, "swaplab: bench %s: a process's replay failed\n",
			name);
		goto out;
	}
	printf("bench %s: %zu references by %d processes to %" PRIu64 " pages (%" PRIu64 " KiB) in %.3f s\n",
	       name, nrefs, n, pages, pages * page_size >> 10, t1 - t0);
	printf("  faults         %" PRIu64 " swaplab: %" PRIu64 " major, %" PRIu64 " zero-fill\n",
	       stat_value(&after, "faults") - stat_value(&before, "faults"),
	       stat_value(&after, "major_faults") - stat_value(&before, "major_faults"),
	       stat_value(&after, "zero_fills") - stat_value(&before, "zero_fills"));
	for (int k = 0; k < n; k++) {
		char who[32];

		snprintf(who, sizeof(who), "process %u", bp[k].id);
		printf("  %-14s %" PRIu64 " faults: %" PRIu64 " major, %" PRIu64 " zero-fill; %zu references to %lu pages\n",
		       who, res[k].major + res[k].zero, res[k].major,
		       res[k].zero, bp[k].nrefs, bp[k].size);
	}
	printf("  verified       %zu references, %" PRIu64 " mismatches\n",
	       nrefs, mismatches);
	rc = mismatches ? 1 : 0;
	goto out;
nomem:
	perror("swaplab: bench");
out:
	for (int k = 0; in && out && k <= n; k++) {
		close(in[k]);
		close(out[k]);
	}
	if (res != MAP_FAILED)
		munmap(res, n * sizeof(*res));
	for (int k = 0; bp && k < n; k++) {
		free(bp[k].refs);
		free(bp[k].turn);
		free(bp[k].next);
	}
	free(bp);
	free(pid);
	free(in);
	free(out);
	return rc;
}

/*
 * Replay a reference string from a file, as bench_replay() does; one of
 * several processes, a child a process (bench_procs()).
 */
static int bench_trace(const char *path, const struct trace_spec *spec,
		       const char *file_dir, const struct sim_config *resize)
{
	unsigned long *refs, npages, *local;
	unsigned int nprocs;
	uint8_t *kinds;
	uint16_t *of;
	size_t nrefs;
	int rc;

	if (trace_read_procs((char * const *)&path, 1, 0, spec, &refs, &of,
			     &nrefs, &npages, &nprocs, &local, &kinds))
		return 1;
	if (!of) {
		rc = bench_replay(path, refs, nrefs, npages, kinds, file_dir,
				  resize);
	} else if (kinds) {
		fprintf(stderr, "swaplab: bench: pages of files in a trace of one process only\n");
		rc = 2;
	} else if (resize->nresize) {
		fprintf(stderr, "swaplab: --resize: a trace of one process only\n");
		rc = 2;
	} else {
		rc = bench_procs(path, refs, of, nrefs, local, nprocs);
	}
	free(kinds);
	free(local);
	free(of);
	strmap_free(refs);
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
		{ "file-dir", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(bench_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	uint64_t size = 16 << 20, seed = 1, mismatches = 0, pages, *order;
	struct workload wl = { .theta = 0.99 };
	struct sim_config resize = { .nresize = 0 };
	long page_size = sysconf(_SC_PAGESIZE);
	const char *file_dir = NULL;
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
		case 'F':
			file_dir = optarg;
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
						       file_dir, &resize);
	}
	if (optind != argc - 1 || passes < 1 || spec.set || file_dir) {
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
						      wl.pages, NULL, NULL,
						      &resize);
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
