/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `swaplab run`: an unmodified command with its large allocations served
 * by /dev/swaplab through libswaplab-preload.so; shared with `swaplab
 * compare --cmd`.
 */
#ifndef SWAPLAB_RUN_H
#define SWAPLAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "sysfs.h"

/**
 * struct run_spec - a command to run, and how
 * @argv: the command and its arguments, NULL-terminated
 * @preload: path of libswaplab-preload.so to put first in LD_PRELOAD, or
 *	NULL to run the command as it is
 * @env: more NAME=VALUE settings for the command, NULL-terminated, or NULL
 * @cgroup: a cgroup v2 directory the command runs in, or NULL
 * @capture: read the command's standard output through a pipe, for its
 *	size and checksum
 * @out_fd: with @capture, where the output is copied to; -1 for nowhere
 */
struct run_spec {
	char **argv;
	const char *preload;
	char **env;
	const char *cgroup;
	bool capture;
	int out_fd;
};

/**
 * struct run_lib - the library's figures, added up over the processes
 * @procs: processes that reported (at exit; not those that left by _exit)
 * @maps: mappings served (mmap and malloc)
 * @mallocs: of them, malloc blocks
 * @total: bytes served in all
 * @peak: the largest of the processes' peaks, in bytes
 * @fallbacks: requests that fell back to anonymous memory
 * @forks: forked children that copied their private served memory
 */
struct run_lib {
	unsigned long procs, maps, mallocs, fallbacks, forks;
	uint64_t total, peak;
};

/**
 * struct run_result - what running the command gave
 * @status: its wait status; -1 if it could not be started
 * @elapsed: seconds from fork to exit
 * @ru: its resource usage and that of the children it waited for
 * @before: swaplab's counters before (no lines without the module)
 * @after: and after
 * @peak_resident: the most frames resident seen, sampled every 50 ms
 * @out_bytes: with capture, bytes of standard output
 * @out_hash: with capture, their FNV-1a 64-bit hash
 * @lib: the library's figures (with a preload)
 */
struct run_result {
	int status;
	double elapsed;
	struct rusage ru;
	struct stat_set before, after;
	uint64_t peak_resident;
	uint64_t out_bytes, out_hash;
	struct run_lib lib;
};

/*
 * The library to preload, absolute and allocated: @lib, or else the one
 * beside this program or in ../lib/swaplab/; NULL, with a message, if
 * there is none.
 */
char *run_lib(const char *lib);
/*
 * Set frames (0: leave it), the policy (NULL: leave it) and region_max
 * (0: leave it); 0, or -1 with a message.
 */
int run_set_knobs(uint64_t frames, const char *policy, uint64_t region_max);
/* Run @spec to its end; 0, or -1 if it could not be started. */
int run_command(const struct run_spec *spec, struct run_result *res);
/* The shell's way of saying how a command ended: its code, or 128+sig. */
int run_exit_code(int status);

int cmd_run(int argc, char **argv);

/*
 * glibc's own allocator, which it exports for a replacement malloc to
 * fall back on: libswaplab-preload.so (preload.c) serves small requests
 * with it.
 */
void *__libc_malloc(size_t size);
void __libc_free(void *ptr);
void *__libc_calloc(size_t nmemb, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t align, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);

#endif /* SWAPLAB_RUN_H */
