// SPDX-License-Identifier: GPL-2.0
/*
 * Running a command as a child and measuring it: fork, exec (with
 * libswaplab-preload.so in LD_PRELOAD and in a cgroup, if asked), wait
 * while sampling swaplab's resident frames and reading its output, then
 * its resource usage and the library's report. A stop signal caught by
 * knobs_catch_signals() is passed on to the command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/child.h"
#include "lib/knobs.h"
#include "lib/replay.h"

#define LIB_NAME	"libswaplab-preload.so"
#define SAMPLE_MS	50

char *child_lib_path(const char *lib)
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

int child_preload_setup(struct child_spec *spec, const char *lib, char **cmd)
{
	if (access(SWAPLAB_SYSFS, F_OK) || access(SWAPLAB_DEVICE, F_OK)) {
		fprintf(stderr, "swaplab: module not loaded (no %s)\n",
			SWAPLAB_DEVICE);
		return -1;
	}
	spec->preload = child_lib_path(lib);
	if (!spec->preload)
		return -1;
	spec->argv = cmd;
	return 0;
}

int child_exit_code(int status)
{
	if (status < 0)
		return 127;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Add up the lines the library's processes appended to @path. */
static void read_lib_report(const char *path, struct child_lib *lib)
{
	unsigned long maps, mallocs, fallbacks, forks, pages, files, refreshes;
	unsigned long text;
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
			   " peak=%" SCNu64
			   " fallbacks=%lu forks=%lu fork_pages=%lu files=%lu file_refreshes=%lu text=%lu",
			   &pid, &maps, &mallocs, &total, &peak, &fallbacks,
			   &forks, &pages, &files, &refreshes, &text) != 11)
			continue;
		lib->text += text;
		lib->procs++;
		lib->maps += maps + mallocs + files;
		lib->files += files;
		lib->file_refreshes += refreshes;
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
static void child_exec(const struct child_spec *spec, const char *report,
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
static bool drain(int fd, const struct child_spec *spec, struct child_result *res)
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

static void sample_resident(struct child_result *res)
{
	struct stat_set s;
	uint64_t r;

	if (read_stats(&s))
		return;
	r = stat_value(&s, "resident");
	if (r > res->peak_resident)
		res->peak_resident = r;
}

int child_run_command(const struct child_spec *spec, struct child_result *res)
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
		sig = knobs_stop_signal();
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
