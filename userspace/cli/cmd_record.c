// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab record: write the page reference string of an unmodified
 * program.
 *
 *	swaplab record -o xz.trace -- xz -9 -k big.file
 *
 * runs the command as `swaplab run` does, with its large allocations on
 * /dev/swaplab through libswaplab-preload.so, and every region in record
 * mode (SWAPLAB_IOC_RECORD): a region keeps only its last --window
 * faulted pages mapped, so that any other touch of a page faults. Every
 * region the command and its children make carries our pid as its tag,
 * and each fault on one is read from the swaplab_fault tracepoint, in a
 * trace instance of our own filtered on that tag, and written as one page
 * number a line: the region's id times 2^40 plus the page's index, which
 * `swaplab sim` and `bench trace` read as they are. (A filter on the tag
 * rather than set_event_pid: following pids hooks the scheduler's
 * tracepoints, and under qemu TCG taking those hooks out again has
 * crashed the guest.) With --format oracle the string is kept in memory
 * instead, 8 bytes a reference, and written at the end as libCacheSim's
 * oracleGeneral records (oracle.c), each with its next access.
 *
 * What it can see: references to the served memory (allocations of at
 * least --min, and large anonymous mmaps), not the stack, small mallocs,
 * the program's code or files; and a reference only when the page is
 * not among the last --window pages of its region to fault. A policy that
 * depends only on the order of distinct-page references, with at least
 * --window frames, sees the string the program made. An event lost from
 * the trace buffer fails the recording (raise --buffer).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/child.h"
#include "cli/cmd.h"
#include "lib/knobs.h"
#include "lib/oracle.h"
#include "lib/sysfs.h"

#define RECORD_REGION_SHIFT	40

static const char * const tracefs_roots[] = {
	"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
};

struct recorder {
	char dir[256];		/* our trace instance */
	int pipe_fd;
	FILE *out;
	bool done;		/* atomic builtins: the reader thread reads it */
	int err;		/* errno of a failed write, or 0 */
	uint64_t refs, minor, zero, major;
	char partial[512];	/* a line split between reads */
	size_t npartial;
	bool oracle;		/* keep the string for oracle records */
	uint64_t *pages;	/* it, when kept */
	size_t npages;
	size_t cap;
};

/* Keep page @p of the string; false without memory. */
static bool record_keep(struct recorder *r, uint64_t p)
{
	if (r->npages == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 65536;
		uint64_t *more = realloc(r->pages, cap * sizeof(*more));

		if (!more)
			return false;
		r->pages = more;
		r->cap = cap;
	}
	r->pages[r->npages++] = p;
	return true;
}

/* Write @val to the instance's file @name; 0 or -errno. */
static int inst_write(const struct recorder *r, const char *name,
		      const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	return write_file(path, val);
}

/*
 * The letter a page of kind @type (the event's field type) carries in
 * the string: f for a file's, x for program text, none for anonymous.
 */
static const char *record_kind_letter(const char *type)
{
	if (!strcmp(type, "file"))
		return "f";
	if (!strcmp(type, "text"))
		return "x";
	return "";
}

/*
 * One line of trace_pipe: "... swaplab_fault: region=R index=I kind=K
 * type=T".
 */
static void record_line(struct recorder *r, const char *line)
{
	unsigned long long region, index;
	const char *p = strstr(line, "swaplab_fault: region=");
	char kind[16], type[16] = "anon";

	if (!p || sscanf(p, "swaplab_fault: region=%llu index=%llu kind=%15s type=%15s",
			 &region, &index, kind, type) < 3)
		return;
	if (!strcmp(kind, "sigbus"))
		return;
	r->minor += !strcmp(kind, "minor");
	r->zero += !strcmp(kind, "zero");
	r->major += !strcmp(kind, "major");
	r->refs++;
	if (r->oracle) {
		if (!record_keep(r, region << RECORD_REGION_SHIFT | index) &&
		    !r->err)
			r->err = ENOMEM;
	} else if (fprintf(r->out, "%llu%s\n",
			   region << RECORD_REGION_SHIFT | index,
			   record_kind_letter(type)) < 0 && !r->err) {
		r->err = errno;
	}
}

/* Read what trace_pipe has; false once it is empty and we are done. */
static bool record_drain(struct recorder *r, int timeout_ms)
{
	char buf[65536];
	struct pollfd pfd = { .fd = r->pipe_fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
	n = read(r->pipe_fd, buf, sizeof(buf));
	if (n <= 0)
		return !__atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (r->npartial < sizeof(r->partial) - 1)
				r->partial[r->npartial++] = buf[i];
			continue;
		}
		r->partial[r->npartial] = '\0';
		record_line(r, r->partial);
		r->npartial = 0;
	}
	return true;
}

static void *record_reader(void *arg)
{
	struct recorder *r = arg;

	while (record_drain(r, 100))
		;
	return NULL;
}

/* Events the instance's buffer lost on every CPU; -1 if unreadable. */
static long long record_lost(const struct recorder *r)
{
	long long lost = 0;
	char path[512], line[128];

	for (int cpu = 0;; cpu++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", r->dir,
			 cpu);
		f = fopen(path, "r");
		if (!f)
			return cpu ? lost : -1;
		while (fgets(line, sizeof(line), f)) {
			long long v;

			if (sscanf(line, "overrun: %lld", &v) == 1 ||
			    sscanf(line, "dropped events: %lld", &v) == 1)
				lost += v;
		}
		fclose(f);
	}
}

/*
 * Remove the trace instances of recorders that died without removing
 * theirs (SIGKILL, a crash): an instance holds its buffers until removed.
 * Each is named after its recorder's pid; one whose pid no longer exists
 * is stale. (A pid reused since is taken as alive: its instance stays.)
 */
static void record_reap_stale(const char *root)
{
	char path[320];
	struct dirent *de;
	DIR *d;
	int pid;

	snprintf(path, sizeof(path), "%s/instances", root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char end;

		if (sscanf(de->d_name, "swaplab-record-%d%c", &pid, &end) != 1 ||
		    pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/instances/%s", root,
			 de->d_name);
		if (rmdir(path))
			fprintf(stderr, "swaplab record: could not remove the stale %s: %s\n",
				path, strerror(errno));
		else
			fprintf(stderr, "swaplab record: removed %s, left by a recorder that was killed\n",
				path);
	}
	closedir(d);
}

/*
 * Make the trace instance @dir without the record-cmd option. An
 * instance takes the top level's options when it is made, and cannot
 * change this one itself; with it on, enabling an event hooks the
 * scheduler's switch and wakeup tracepoints to record task names, which
 * patches code every CPU is running, twice a recording (under qemu's TCG
 * that patching has crashed guests: "Oops: int3"), and costs every
 * context switch meanwhile. A recording needs no task names, so the top
 * level's option is off while the instance is made, and put back at
 * once. Two recorders starting together only put back what they found:
 * one that finds it off leaves it alone.
 */
static int record_mkdir(const char *root, const char *dir)
{
	char opt[320], val[8] = "";
	bool was_on;
	int err;

	snprintf(opt, sizeof(opt), "%s/options/record-cmd", root);
	was_on = !read_file(opt, val, sizeof(val)) && val[0] == '1' &&
		 !write_file(opt, "0");
	err = mkdir(dir, 0700) ? errno : 0;
	if (was_on && write_file(opt, "1"))
		fprintf(stderr, "swaplab record: could not turn %s back on\n",
			opt);
	errno = err;
	return err ? -1 : 0;
}

/* Make our trace instance, tracing swaplab_fault on regions tagged @tag. */
static int record_setup(struct recorder *r, unsigned long buffer_kib,
			unsigned int tag)
{
	char val[320];
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(tracefs_roots); i++) {
		char ev[256];

		snprintf(ev, sizeof(ev), "%s/events/swaplab/swaplab_fault",
			 tracefs_roots[i]);
		if (!access(ev, F_OK))
			break;
	}
	if (i == (int)ARRAY_SIZE(tracefs_roots)) {
		fprintf(stderr, "swaplab record: no swaplab_fault tracepoint: mount tracefs on /sys/kernel/tracing, and load the module\n");
		return -1;
	}
	record_reap_stale(tracefs_roots[i]);
	snprintf(r->dir, sizeof(r->dir), "%s/instances/swaplab-record-%d",
		 tracefs_roots[i], (int)getpid());
	if (record_mkdir(tracefs_roots[i], r->dir)) {
		fprintf(stderr, "swaplab record: %s: %s\n", r->dir,
			strerror(errno));
		return -1;
	}
	snprintf(val, sizeof(val), "%lu", buffer_kib);
	if (inst_write(r, "buffer_size_kb", val)) {
		fprintf(stderr, "swaplab record: cannot size the trace buffer to %lu KiB a CPU\n",
			buffer_kib);
		return -1;
	}
	snprintf(val, sizeof(val), "tag == %u", tag);
	if (inst_write(r, "events/swaplab/swaplab_fault/filter", val)) {
		fprintf(stderr, "swaplab record: cannot filter swaplab_fault on its tag: is the module older than this command?\n");
		return -1;
	}
	if (inst_write(r, "events/swaplab/swaplab_fault/enable", "1") ||
	    inst_write(r, "tracing_on", "1")) {
		fprintf(stderr, "swaplab record: cannot enable the tracepoint\n");
		return -1;
	}
	snprintf(val, sizeof(val), "%s/trace_pipe", r->dir);
	r->pipe_fd = open(val, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->pipe_fd < 0) {
		fprintf(stderr, "swaplab record: %s: %s\n", val,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void record_teardown(struct recorder *r)
{
	if (r->pipe_fd >= 0)
		close(r->pipe_fd);
	r->pipe_fd = -1;
	if (!r->dir[0])
		return;
	inst_write(r, "events/swaplab/swaplab_fault/enable", "0");
	if (rmdir(r->dir))
		fprintf(stderr, "swaplab record: could not remove %s: %s\n",
			r->dir, strerror(errno));
	r->dir[0] = '\0';
}

/* Our regions' tag: our pid, which SWAPLAB_RECORD_TAG_MAX holds. */
static unsigned int record_tag(void)
{
	return (unsigned int)getpid() & SWAPLAB_RECORD_TAG_MAX;
}

static void usage_record(FILE *f)
{
	fprintf(f,
		"usage: swaplab record [-o FILE] [--window N] [--budget SIZE]\n"
		"                      [--min SIZE] [--buffer KIB] [--lib PATH]\n"
		"                      [--format pages|oracle] -- COMMAND [ARG...]\n"
		"  Runs COMMAND as `swaplab run` does and writes its page reference\n"
		"  string to FILE (default: standard output), one page a line\n"
		"  (region id * 2^40 + page index), for `swaplab sim`.\n"
		"  --format oracle: libCacheSim's oracleGeneral binary records\n"
		"            instead, written when COMMAND ends (the string is\n"
		"            kept in memory meanwhile), to a file (-o) or a pipe\n"
		"  --window: pages of a region left mapped, 1 to %d (default 4):\n"
		"            a touch of one of them is not seen\n"
		"  --budget: frames while recording (default: as they are)\n"
		"  --min: smallest allocation served (default 1M)\n"
		"  --buffer: trace buffer a CPU, KiB (default 65536); a lost\n"
		"            event fails the recording\n",
		SWAPLAB_RECORD_WINDOW_MAX);
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' },
		{ "budget", required_argument, NULL, 'b' },
		{ "min", required_argument, NULL, 'm' },
		{ "buffer", required_argument, NULL, 'k' },
		{ "lib", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder r = { .pipe_fd = -1 };
	uint64_t budget = 0, min = 0, window = 4, buffer_kib = 65536;
	char win_env[64], tag_env[64], min_env[64];
	char *env[4] = { win_env, tag_env, NULL, NULL };
	const char *out = NULL, *lib = NULL;
	struct child_spec spec = { .out_fd = -1, .env = env };
	struct child_result res;
	long page = sysconf(_SC_PAGESIZE);
	long long lost;
	pthread_t reader;
	bool bad = false;
	int opt, status = 1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+ho:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'w':
			bad |= parse_size(optarg, &window) || !window ||
			       window > SWAPLAB_RECORD_WINDOW_MAX;
			break;
		case 'b':
			bad |= parse_size(optarg, &budget) ||
			       budget < 16 * (uint64_t)page;
			break;
		case 'm':
			bad |= parse_size(optarg, &min) || min < (uint64_t)page;
			break;
		case 'k':
			bad |= parse_size(optarg, &buffer_kib) || !buffer_kib;
			break;
		case 'l':
			lib = optarg;
			break;
		case 'f':
			bad |= strcmp(optarg, "pages") && strcmp(optarg, "oracle");
			r.oracle = !strcmp(optarg, "oracle");
			break;
		case 'h':
			usage_record(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || optind >= argc) {
		usage_record(stderr);
		return 2;
	}
	if (r.oracle && !out && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "swaplab record: --format oracle writes binary records: to a file (-o) or a pipe\n");
		return 2;
	}
	if (child_preload_setup(&spec, lib, argv + optind))
		return 1;
	snprintf(win_env, sizeof(win_env), "SWAPLAB_PRELOAD_RECORD=%" PRIu64,
		 window);
	snprintf(tag_env, sizeof(tag_env), "SWAPLAB_PRELOAD_RECORD_TAG=%u",
		 record_tag());
	if (min) {
		snprintf(min_env, sizeof(min_env),
			 "SWAPLAB_PRELOAD_MIN=%" PRIu64, min);
		env[2] = min_env;
	}
	r.out = out ? fopen(out, "w") : stdout;
	if (!r.out) {
		fprintf(stderr, "swaplab record: %s: %s\n", out,
			strerror(errno));
		goto free_lib;
	}
	if (record_setup(&r, buffer_kib, record_tag()))
		goto teardown;
	knobs_save();
	knobs_catch_signals();
	if (knobs_set(budget / page, NULL, 64ull << 30))
		goto restore;
	if (pthread_create(&reader, NULL, record_reader, &r)) {
		fprintf(stderr, "swaplab record: no reader thread\n");
		goto restore;
	}
	if (child_run_command(&spec, &res)) {
		__atomic_store_n(&r.done, true, __ATOMIC_RELEASE);
		pthread_join(reader, NULL);
		status = 127;
		goto restore;
	}
	inst_write(&r, "tracing_on", "0");
	r.done = true;
	pthread_join(reader, NULL);
	/* What the last poll left behind. */
	while (record_drain(&r, 0))
		;
	lost = record_lost(&r);
	status = child_exit_code(res.status);
	fprintf(stderr, "swaplab record: %s: %" PRIu64 " references (%" PRIu64
		" minor, %" PRIu64 " zero-fill, %" PRIu64 " major), window %"
		PRIu64 ", %.2f s\n", spec.argv[0], r.refs, r.minor, r.zero,
		r.major, window, res.elapsed);
	if (lost) {
		fprintf(stderr, "swaplab record: %lld events %s: the string is incomplete; raise --buffer\n",
			lost, lost < 0 ? "unaccounted" : "lost");
		status = 1;
	} else if (r.err || fflush(r.out)) {
		fprintf(stderr, "swaplab record: writing the string: %s\n",
			strerror(r.err ? r.err : errno));
		status = 1;
	} else if (!r.refs) {
		fprintf(stderr, "swaplab record: no reference seen: did %s allocate at least --min on swaplab?\n",
			spec.argv[0]);
		status = 1;
	} else if (r.oracle) {
		int err = oracle_write(r.out, r.pages, r.npages);

		if (err) {
			fprintf(stderr, "swaplab record: writing the string: %s\n",
				strerror(-err));
			status = 1;
		}
	}
restore:
	knobs_restore();
teardown:
	record_teardown(&r);
	if (r.out && r.out != stdout)
		fclose(r.out);
	free(r.pages);
free_lib:
	free((char *)spec.preload);
	return status;
}
