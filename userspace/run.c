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
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#include "compare.h"
#include "replay.h"
#include "run.h"

#define LIB_NAME	"libswaplab-preload.so"
#define SAMPLE_MS	50

char *run_lib(const char *lib)
{
	char path[PATH_MAX], exe[PATH_MAX - 64], *slash, *abs;
	ssize_t n;

	if (lib)
		goto found;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* Beside the program (the build tree), or PREFIX/lib/swaplab. */
		snprintf(path, sizeof(path), "%s/" LIB_NAME, exe);
		lib = path;
		if (slash && !access(path, R_OK))
			goto found;
		snprintf(path, sizeof(path), "%s/../lib/swaplab/" LIB_NAME, exe);
		if (slash && !access(path, R_OK))
			goto found;
	}
	fprintf(stderr, "swaplab: no " LIB_NAME " beside swaplab (give --lib PATH)\n");
	return NULL;

found:
	/* Absolute: the command may change its directory. */
	abs = realpath(lib, NULL);
	if (!abs)
		fprintf(stderr, "swaplab: %s: %s\n", lib, strerror(errno));
	return abs;
}

static int set_knob(const char *name, const char *val)
{
	int err = knob_write(name, val);

	if (err)
		fprintf(stderr, "swaplab: %s=%s: %s\n", name, val,
			strerror(-err));
	return err;
}

int run_set_knobs(uint64_t frames, const char *policy, uint64_t region_max)
{
	char f[32], r[32];

	snprintf(f, sizeof(f), "%" PRIu64, frames);
	snprintf(r, sizeof(r), "%" PRIu64, region_max);
	if ((frames && set_knob("frames", f)) ||
	    (policy && set_knob("policy", policy)) ||
	    (region_max && set_knob("region_max", r)))
		return -1;
	return 0;
}

int run_exit_code(int status)
{
	if (status < 0)
		return 127;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Add up the lines the library's processes appended to @path. */
static void read_lib_report(const char *path, struct run_lib *lib)
{
	unsigned long maps, mallocs, fallbacks, forks, pages;
	uint64_t total, peak;
	char line[512];
	FILE *f;
	int pid;

	memset(lib, 0, sizeof(*lib));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "pid=%d maps=%lu mallocs=%lu total=%" SCNu64
			   " peak=%" SCNu64 " fallbacks=%lu forks=%lu fork_pages=%lu",
			   &pid, &maps, &mallocs, &total, &peak, &fallbacks,
			   &forks, &pages) != 8)
			continue;
		lib->procs++;
		lib->maps += maps + mallocs;
		lib->mallocs += mallocs;
		lib->total += total;
		lib->fallbacks += fallbacks;
		lib->forks += forks;
		if (peak > lib->peak)
			lib->peak = peak;
	}
	fclose(f);
}

/* The child's side: environment, cgroup, standard output, exec. */
static void child_exec(const struct run_spec *spec, const char *report,
		       int out)
{
	char buf[PATH_MAX + 4096];

	if (spec->cgroup) {
		snprintf(buf, sizeof(buf), "%s/cgroup.procs", spec->cgroup);
		if (write_file(buf, "0")) {
			fprintf(stderr, "swaplab: cannot join %s\n", spec->cgroup);
			_exit(126);
		}
	}
	if (spec->preload) {
		const char *old = getenv("LD_PRELOAD");

		snprintf(buf, sizeof(buf), "%s%s%s", spec->preload,
			 old && *old ? ":" : "", old ? old : "");
		setenv("LD_PRELOAD", buf, 1);
		setenv("SWAPLAB_PRELOAD_REPORT", report, 1);
	}
	for (char **e = spec->env; e && *e; e++)
		putenv(*e);
	if (out >= 0 && dup2(out, STDOUT_FILENO) < 0)
		_exit(126);
	execvp(spec->argv[0], spec->argv);
	fprintf(stderr, "swaplab: %s: %s\n", spec->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* FNV-1a, 64 bits: a checksum of the output, not a secure hash. */
static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* Read what the pipe has; false at its end. */
static bool drain(int fd, const struct run_spec *spec, struct run_result *res)
{
	unsigned char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (!n)
		return false;
	res->out_bytes += n;
	res->out_hash = fnv1a(res->out_hash, buf, n);
	if (spec->out_fd >= 0 && write(spec->out_fd, buf, n) != n)
		fprintf(stderr, "swaplab: writing the output: %s\n",
			strerror(errno));
	return true;
}

static void sample_resident(struct run_result *res)
{
	struct stat_set s;
	uint64_t r;

	if (read_stats(&s))
		return;
	r = stat_value(&s, "resident");
	if (r > res->peak_resident)
		res->peak_resident = r;
}

int run_command(const struct run_spec *spec, struct run_result *res)
{
	char report[] = "/tmp/swaplab-run.XXXXXX";
	int pfd[2] = { -1, -1 }, rfd, sig, forwarded = 0;
	double t0, last = 0;
	bool open_pipe;
	pid_t pid, r;

	memset(res, 0, sizeof(*res));
	res->status = -1;
	res->out_hash = 0xcbf29ce484222325ull;
	rfd = mkstemp(report);
	if (rfd < 0) {
		perror("swaplab: report file");
		return -1;
	}
	close(rfd);
	if (spec->capture && pipe2(pfd, O_CLOEXEC)) {
		perror("swaplab: pipe");
		unlink(report);
		return -1;
	}
	read_stats(&res->before);
	fflush(NULL);
	t0 = replay_now();
	pid = fork();
	if (pid < 0) {
		perror("swaplab: fork");
		if (spec->capture) {
			close(pfd[0]);
			close(pfd[1]);
		}
		unlink(report);
		return -1;
	}
	if (!pid)
		child_exec(spec, report, pfd[1]);
	if (spec->capture)
		close(pfd[1]);
	open_pipe = spec->capture;

	/*
	 * Wait, sampling the resident frames; pass a signal that asked us to
	 * stop on to the command, once, and go on waiting for it to end.
	 */
	for (;;) {
		r = wait4(pid, &res->status, WNOHANG, &res->ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("swaplab: wait");
			break;
		}
		sig = compare_stop_signal();
		if (sig && !forwarded) {
			kill(pid, sig);
			forwarded = 1;
		}
		if (replay_now() - last >= SAMPLE_MS / 1000.0) {
			sample_resident(res);
			last = replay_now();
		}
		if (open_pipe) {
			struct pollfd p = { .fd = pfd[0], .events = POLLIN };

			if (poll(&p, 1, SAMPLE_MS) > 0)
				open_pipe = drain(pfd[0], spec, res);
		} else {
			poll(NULL, 0, SAMPLE_MS);
		}
	}
	res->elapsed = replay_now() - t0;
	/* What is left in the pipe, up to its end. */
	while (open_pipe)
		open_pipe = drain(pfd[0], spec, res);
	if (spec->capture)
		close(pfd[0]);
	read_stats(&res->after);
	sample_resident(res);
	read_lib_report(report, &res->lib);
	unlink(report);
	return 0;
}

static uint64_t delta(const struct run_result *res, const char *name)
{
	return stat_value(&res->after, name) - stat_value(&res->before, name);
}

/* The summary on standard error. */
static void print_summary(const char *cmd, const struct run_result *res,
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
	fprintf(stderr, "swaplab run: library processes=%lu served=%lu malloc=%lu served_mib=%.1f peak_mib=%.1f fallbacks=%lu fork_copies=%lu\n",
		res->lib.procs, res->lib.maps, res->lib.mallocs,
		res->lib.total / 1048576.0, res->lib.peak / 1048576.0,
		res->lib.fallbacks, res->lib.forks);
}

static void usage_run(void)
{
	fprintf(stderr,
		"usage: swaplab run [--budget SIZE] [--policy NAME] [--region-max SIZE]\n"
		"                   [--min SIZE] [--lib PATH] [--verbose] -- COMMAND [ARG...]\n"
		"  Runs COMMAND with libswaplab-preload.so: its anonymous mmaps and\n"
		"  malloc blocks of at least --min (default 1M) are regions of\n"
		"  " SWAPLAB_DEVICE ", paged within frames = --budget. Prints the\n"
		"  cost to stderr, restores the knobs, exits with COMMAND's status.\n"
		"  --region-max: size limit of the regions (default 64G), so that\n"
		"                realloc and mremap can grow them\n"
		"  --lib: the library (default: beside swaplab, or ../lib/swaplab/)\n"
		"  --verbose: the library reports each process's figures at exit\n");
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
		{ NULL, 0, NULL, 0 },
	};
	uint64_t budget = 0, region_max = 64ull << 30, min = 0;
	char min_env[64] = "", policy_now[32] = "?";
	char *env[3] = { NULL };
	const char *policy = NULL, *lib = NULL;
	struct run_spec spec = { .out_fd = -1, .env = env };
	struct run_result res;
	long page = sysconf(_SC_PAGESIZE);
	bool bad = false, verbose = false;
	int opt, n = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
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
		default:
			bad = true;
		}
	}
	if (bad || optind >= argc) {
		usage_run();
		return 2;
	}
	if (access(SWAPLAB_SYSFS, F_OK) || access(SWAPLAB_DEVICE, F_OK)) {
		fprintf(stderr, "swaplab: module not loaded (no %s)\n",
			SWAPLAB_DEVICE);
		return 1;
	}
	spec.preload = run_lib(lib);
	if (!spec.preload)
		return 1;
	spec.argv = argv + optind;
	if (min) {
		snprintf(min_env, sizeof(min_env), "SWAPLAB_PRELOAD_MIN=%" PRIu64,
			 min);
		env[n++] = min_env;
	}
	if (verbose)
		env[n++] = "SWAPLAB_PRELOAD_VERBOSE=1";

	compare_save_knobs();
	compare_catch_signals();
	if (run_set_knobs(budget / page, policy, region_max)) {
		compare_restore();
		free((char *)spec.preload);
		return 1;
	}
	knob_read("policy", policy_now, sizeof(policy_now));
	if (run_command(&spec, &res)) {
		compare_restore();
		free((char *)spec.preload);
		return 127;
	}
	compare_restore();
	print_summary(spec.argv[0], &res, budget ? budget / page :
		      knob_ulong("frames"), policy_now);
	if (compare_stop_signal())
		fprintf(stderr, "swaplab run: stopped by signal %d; knobs restored\n",
			compare_stop_signal());
	free((char *)spec.preload);
	return run_exit_code(res.status);
}
