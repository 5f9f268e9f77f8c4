/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the swaplab selftests: counters and knobs in sysfs,
 * and a per-page data pattern to write and verify.
 */
#ifndef SWAPLAB_SELFTEST_UTIL_H
#define SWAPLAB_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>
#include <lib/common.h>	/* userspace/lib/common.h: the PRNG and the page pattern */

/* Experimental figures, no ABI: module/debugfs.c. */
#define SWAPLAB_DEBUGFS	"/sys/kernel/debug/swaplab"

/* Set by each fixture's setup. */
static long page_size;

/* The address of page @p of a mapping that starts at page 0. */
#define PAGE_AT(map, p)	((map) + (size_t)(p) * page_size)

/*
 * The value of the "name value" line @name of file @path, or, with a NULL
 * @name, the number a one-value file holds; -1 if none.
 */
static inline long long read_name_value(const char *path, const char *name)
{
	char line[256], key[128];
	long long val, found = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!name)
			found = strtoll(line, NULL, 10);
		else if (sscanf(line, "%127s %lld", key, &val) == 2 &&
			 !strcmp(key, name))
			found = val;
	fclose(f);
	return found;
}

/* One counter from the stat file; -1 if it is missing. */
static inline long long read_stat(const char *name)
{
	return read_name_value(SWAPLAB_SYSFS "/stat", name);
}

/* Wait up to @ms milliseconds for a counter to reach @want; its last value. */
static inline long long wait_stat_ms(const char *name, long long want, int ms)
{
	long long val = read_stat(name);

	for (int i = 0; i < ms / 10 && val != want; i++) {
		usleep(10000);
		val = read_stat(name);
	}
	return val;
}

/* Wait up to two seconds for a counter to reach @want; its last value. */
static inline long long wait_stat(const char *name, long long want)
{
	return wait_stat_ms(name, want, 2000);
}

/* A knob as text, without its newline; 0 or -errno. */
static inline int read_knob(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline long long read_knob_ll(const char *name)
{
	char buf[64];

	return read_knob(name, buf, sizeof(buf)) ? -1 : atoll(buf);
}

/* Write a string to a file; 0 or the negative errno. */
static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Write a knob; 0 or the negative errno the kernel returned. */
static inline int write_knob(const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, name);
	return write_file(path, val);
}

/* Write back a knob's value saved by read_knob(), if one was. */
static inline void put_knob_back(const char *name, const char *saved)
{
	if (saved[0])
		write_knob(name, saved);
}

static inline int write_knob_ll(const char *name, long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	return write_knob(name, buf);
}

/* The block layer's own counters for one device (/sys/block/DEV/stat). */
struct blk_stat {
	unsigned long long rd_ios, rd_sectors, wr_ios, wr_sectors, in_flight;
};

/*
 * The device that holds the attached store: the file system's device for
 * a swap file, the device itself for a raw one. 0, or -1 without a store.
 */
static inline int store_dev(dev_t *dev)
{
	char path[256];
	struct stat st;

	if (read_knob("swapfile", path, sizeof(path)) || !path[0] ||
	    stat(path, &st))
		return -1;
	*dev = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	return 0;
}

/* Its counters (store_dev()'s device): 0, or -1 without a stat file. */
static inline int store_blk_stat(struct blk_stat *b)
{
	char path[256], line[256];
	unsigned long long v[9];
	dev_t dev;
	FILE *f;
	int n;

	if (store_dev(&dev))
		return -1;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/stat",
		 major(dev), minor(dev));
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fgets(line, sizeof(line), f) ?
	    sscanf(line, "%llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8]) : 0;
	fclose(f);
	if (n != 9)
		return -1;
	b->rd_ios = v[0];
	b->rd_sectors = v[2];
	b->wr_ios = v[4];
	b->wr_sectors = v[6];
	b->in_flight = v[8];
	return 0;
}

/* The store device's largest request, in KiB (queue/max_sectors_kb); -1. */
static inline long long store_max_sectors_kb(void)
{
	char path[256], line[64];
	long long kb = -1;
	dev_t dev;
	FILE *f;

	if (store_dev(&dev))
		return -1;
	/* A partition's queue is its disk's: the link's ../queue. */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/max_sectors_kb",
		 major(dev), minor(dev));
	f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof(path),
			 "/sys/dev/block/%u:%u/../queue/max_sectors_kb",
			 major(dev), minor(dev));
		f = fopen(path, "r");
	}
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		kb = atoll(line);
	fclose(f);
	return kb;
}

/*
 * store_blk_stat() once no request is in flight (up to 5 s): the block
 * layer counts a request when it completes, swaplab when it submits.
 */
static inline int store_blk_stat_idle(struct blk_stat *b)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (store_blk_stat(b))
			return -1;
		if (!b->in_flight)
			return 0;
		usleep(10000);
	}
	return 0;
}

/* The backing store as a fixture found it: the path ("" for none). */
struct saved_store {
	char path[256];
	char size[32];
};

static inline int save_store(struct saved_store *s)
{
	return read_knob("swapfile", s->path, sizeof(s->path)) ?:
	       read_knob("swapfile_size", s->size, sizeof(s->size));
}

/*
 * Put the store back as saved, for a fixture's teardown: a test that
 * detaches it and fails half-way must not leave the tests after it with
 * no store (they would skip, or fail for the wrong reason). The store
 * changes only while no region exists. 0, or -errno from the knobs.
 */
static inline int restore_store(const struct saved_store *s)
{
	char path[sizeof(s->path)], size[sizeof(s->size)];
	int err;

	err = read_knob("swapfile", path, sizeof(path)) ?:
	      read_knob("swapfile_size", size, sizeof(size));
	if (err)
		return err;
	if (!strcmp(path, s->path) && !strcmp(size, s->size))
		return 0;
	wait_stat("regions", 0);
	if (path[0]) {
		err = write_knob("swapfile", "none");
		if (err)
			return err;
	}
	err = write_knob("swapfile_size", s->size);
	if (!err && s->path[0])
		err = write_knob("swapfile", s->path);
	return err;
}

/*
 * Fork a child that says when it is ready: in the child, 0, with *@ready
 * the descriptor to write one byte to (1 if it is ready, else 0); in the
 * parent, the child's pid once it said 1, or -1 (a child that said
 * otherwise, or nothing, is killed and reaped). The child dies with the
 * parent: a test that dies of a signal leaves no helper (a pager holding
 * the module) behind.
 */
static inline pid_t fork_ready(int *ready)
{
	pid_t parent = getpid();
	int pipefd[2];
	char c = 0;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		close(pipefd[0]);
		*ready = pipefd[1];
		return 0;
	}
	close(pipefd[1]);
	if (pid > 0 && read(pipefd[0], &c, 1) != 1)
		c = 0;
	close(pipefd[0]);
	if (pid > 0 && c != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return c == 1 ? pid : -1;
}

/* Map @pages pages of a new region of this process; MAP_FAILED on error. */
static inline uint8_t *map_new(int *fd, size_t pages)
{
	uint8_t *m;

	*fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (*fd < 0)
		return MAP_FAILED;
	m = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 *fd, 0);
	if (m == MAP_FAILED)
		close(*fd);
	return m;
}

/* Write region pages [first, first + n) at @at, the address of @first. */
static inline void fill_pages(uint8_t *at, size_t first, size_t n,
			      uint64_t seed)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t *w = (uint64_t *)(at + i * page_size);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = pattern(first + i, j, seed);
	}
}

/*
 * Words of region pages [first, first + n) at @at that differ from the
 * pattern; pages visited in order, or in a seeded shuffle when @shuffled.
 */
static inline size_t check_pages(const uint8_t *at, size_t first, size_t n,
				 uint64_t seed, int shuffled)
{
	size_t bad = 0, *order = malloc(n * sizeof(*order));
	uint64_t state = seed;

	if (!order)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; shuffled && i > 0; i--) {
		size_t j = prng_next(&state) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		const uint64_t *w =
			(const uint64_t *)(at + order[i] * page_size);

		for (size_t j = 0; j < page_size / 8; j++)
			bad += w[j] != pattern(first + order[i], j, seed);
	}
	free(order);
	return bad;
}

/*
 * Pages that compress (the compressed tier keeps them): region page @p is
 * its first COMPRESSIBLE_RUN words of the pattern, a 64-byte run,
 * repeated through the page. A page's first words are those fill_pages()
 * would write, so a scan of the store for a page's start finds either.
 */
#define COMPRESSIBLE_RUN	8

/* Write compressible region pages [first, first + n) at @at, @first's. */
static inline void fill_pages_compressible(uint8_t *at, size_t first,
					   size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t *w = (uint64_t *)(at + i * page_size);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = pattern(first + i, j % COMPRESSIBLE_RUN, seed);
	}
}

/*
 * Words of compressible region pages [first, first + n) at @at that
 * differ from what fill_pages_compressible() wrote. The barrier makes it
 * read memory at every call (a second call would otherwise be folded
 * into the first, and fault nothing in).
 */
static inline size_t check_pages_compressible(const uint8_t *at,
					      size_t first, size_t n,
					      uint64_t seed)
{
	size_t bad = 0;

	__asm__ __volatile__("" : : : "memory");
	for (size_t i = 0; i < n; i++) {
		const uint64_t *w = (const uint64_t *)(at + i * page_size);

		for (size_t j = 0; j < page_size / 8; j++)
			bad += w[j] != pattern(first + i, j % COMPRESSIBLE_RUN,
					       seed);
	}
	return bad;
}

/*
 * Check region pages [first, first + n) at @at from a forked child, which
 * starts with no PTEs of its own, so that every page it reads is a fault.
 * Return the child's major faults (pages that had to be read from swap),
 * or -1 if it read wrong data or failed.
 */
static inline long child_check_majflt(const uint8_t *at, size_t first,
				      size_t n, uint64_t seed)
{
	struct rusage ru;
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(!!check_pages(at, first, n, seed, 0));
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return ru.ru_majflt;
}

static inline size_t count_nonzero(const uint8_t *at, size_t len)
{
	size_t bad = 0;

	for (size_t i = 0; i < len; i++)
		bad += at[i] != 0;
	return bad;
}

/*
 * Lower RLIMIT_NOFILE to the lowest free descriptor, so that no new one
 * can be had (EMFILE), saving the limit in @saved for setrlimit() to put
 * back: 0 or -1.
 */
static inline int no_free_fd(struct rlimit *saved)
{
	struct rlimit lim;
	int fd;

	if (getrlimit(RLIMIT_NOFILE, saved))
		return -1;
	fd = dup(0);
	if (fd < 0)
		return -1;
	close(fd);
	lim = *saved;
	lim.rlim_cur = fd;
	return setrlimit(RLIMIT_NOFILE, &lim);
}

/* The processes regions are charged to: debugfs's procs table. */
#define PROCS	SWAPLAB_DEBUGFS "/procs"
/* Its header line, version 3. */
#define PROCS_HEADER \
	"id pid state regions charged faults major_faults mapped alloc deactivations deactivated_ms max_deactivated_ms ws fault_rate weight\n"

/* A row of debugfs's procs table (module/debugfs.c); @alloc -1: none. */
struct procs_row {
	unsigned long id, regions, charged, faults, major, mapped;
	unsigned long deacts, deact_ms, max_deact_ms, ws, fault_rate, weight;
	long pid, alloc;
	char state[16];
};

/*
 * Read the procs table into @rows (up to @max); the number of rows, or -1
 * if the file is missing or not version 3 with its header.
 */
static inline int read_procs(struct procs_row *rows, int max)
{
	char line[256];
	int n = 0;
	FILE *f = fopen(PROCS, "r");

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "version 3\n") ||
	    !fgets(line, sizeof(line), f) ||
	    strcmp(line, PROCS_HEADER)) {
		fclose(f);
		return -1;
	}
	while (n < max && fgets(line, sizeof(line), f)) {
		struct procs_row *r = &rows[n];
		char alloc[32];

		if (sscanf(line, "%lu %ld %15s %lu %lu %lu %lu %lu %31s %lu %lu %lu %lu %lu %lu",
			   &r->id, &r->pid, r->state, &r->regions, &r->charged,
			   &r->faults, &r->major, &r->mapped, alloc, &r->deacts,
			   &r->deact_ms, &r->max_deact_ms, &r->ws,
			   &r->fault_rate, &r->weight) != 15) {
			fclose(f);
			return -1;
		}
		r->alloc = strcmp(alloc, "-") ? atol(alloc) : -1;
		n++;
	}
	fclose(f);
	return n;
}

/* The row of process @id; false if there is none. */
static inline bool proc_by_id(unsigned long id, struct procs_row *out)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64);

	for (int i = 0; i < n; i++)
		if (rows[i].id == id) {
			*out = rows[i];
			return true;
		}
	return false;
}

/* The process a region's file is charged to; 0 on error. */
static inline unsigned long region_owner(int fd)
{
	struct swaplab_region_info info = { };

	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info))
		return 0;
	return info.owner;
}

/* A region's id; 0 on error. */
static inline unsigned long region_of(int fd)
{
	struct swaplab_region_info info = { };

	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info))
		return 0;
	return info.id;
}

#endif /* SWAPLAB_SELFTEST_UTIL_H */
