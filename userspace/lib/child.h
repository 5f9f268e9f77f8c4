/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a command as a child: fork, exec, wait, its resource usage and
 * swaplab's counters around it, optionally with libswaplab-preload.so and
 * in a cgroup; shared by `swaplab run` and `swaplab compare --cmd`.
 */
#ifndef SWAPLAB_CHILD_H
#define SWAPLAB_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "lib/sysfs.h"

/**
 * struct child_spec - a command to run, and how
 * @argv: the command and its arguments, NULL-terminated
 * @preload: path of libswaplab-preload.so to put first in LD_PRELOAD, or
 *	NULL to run the command as it is
 * @env: more NAME=VALUE settings for the command, NULL-terminated, or NULL
 * @cgroup: a cgroup v2 directory the command runs in, or NULL
 * @capture: read the command's standard output through a pipe, for its
 *	size and checksum
 * @out_fd: with @capture, where the output is copied to; -1 for nowhere
 */
struct child_spec {
	char **argv;
	const char *preload;
	char **env;
	const char *cgroup;
	bool capture;
	int out_fd;
};

/**
 * struct child_lib - the library's figures, added up over the processes
 * @procs: processes that reported (at exit; not those that left by _exit)
 * @maps: mappings served (mmap and malloc)
 * @mallocs: of them, malloc blocks
 * @total: bytes served in all
 * @peak: the largest of the processes' peaks, in bytes
 * @fallbacks: requests that fell back to anonymous memory
 * @forks: forked children that copied their private served memory
 * @files: of @maps, shared mappings of files
 * @file_refreshes: the program's writes to a file it maps that were read
 *	back into the mapping
 * @text: text mappings moved onto regions of their files (--text)
 */
struct child_lib {
	unsigned long procs, maps, mallocs, fallbacks, forks, files;
	unsigned long file_refreshes, text;
	uint64_t total, peak;
};

/**
 * struct child_result - what running the command gave
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
struct child_result {
	int status;
	double elapsed;
	struct rusage ru;
	struct stat_set before, after;
	uint64_t peak_resident;
	uint64_t out_bytes, out_hash;
	struct child_lib lib;
};

/*
 * The library to preload, absolute and allocated: @lib, or else the one
 * beside this program or in ../lib/swaplab/; NULL, with a message, if
 * there is none.
 */
char *child_lib_path(const char *lib);
/*
 * For a command to run on swaplab memory: check that the module is
 * loaded, and set @spec's preload library (@lib, or the default) and
 * @cmd. 0, or -1 with a message.
 */
int child_preload_setup(struct child_spec *spec, const char *lib, char **cmd);
/* Run @spec to its end; 0, or -1 if it could not be started. */
int child_run_command(const struct child_spec *spec, struct child_result *res);
/* The shell's way of saying how a command ended: its code, or 128+sig. */
int child_exit_code(int status);

#endif /* SWAPLAB_CHILD_H */
