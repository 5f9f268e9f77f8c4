// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab selftests: /dev/swaplab mappings, regions, the frame budget and
 * the sysfs knobs. Run as root with the module loaded (swaplab.sh does
 * both); every test skips when /dev/swaplab is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

/* Run @fn in a child; return the signal that killed it, or 0. */
static int child_signal(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void touch_byte(void *addr)
{
	__atomic_store_n((uint8_t *)addr, 1, __ATOMIC_RELAXED);
}

FIXTURE(swaplab) {
	int fd;
	char saved_frames[32];
	char saved_region_max[32];
	struct saved_store store;
};

FIXTURE_SETUP(swaplab)
{
	page_size = sysconf(_SC_PAGESIZE);
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (self->fd < 0 && (errno == ENOENT || errno == ENODEV))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, read_knob("frames", self->saved_frames,
			       sizeof(self->saved_frames)));
	ASSERT_EQ(0, read_knob("region_max", self->saved_region_max,
			       sizeof(self->saved_region_max)));
	ASSERT_EQ(0, save_store(&self->store));
}

FIXTURE_TEARDOWN(swaplab)
{
	if (self->fd >= 0)
		close(self->fd);
	write_knob("frames", self->saved_frames);
	write_knob("region_max", self->saved_region_max);
	if (self->store.size[0] && restore_store(&self->store))
		TH_LOG("could not put the store back: %s", self->store.path);
}

/* Fresh pages read as zeroes, each one zero-filled exactly once. */
TEST_F(swaplab, zero_fill)
{
	size_t n = 64, len = n * page_size;
	long long zf0 = read_stat("zero_fills");
	uint8_t *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, count_nonzero(map, len));
	/* A second read pass finds the frames already there. */
	EXPECT_EQ(0, count_nonzero(map, len));
	EXPECT_EQ(n, read_stat("zero_fills") - zf0);
	munmap(map, len);
}

/* Data written survives munmap and is seen again by a later mmap window. */
TEST_F(swaplab, write_then_read)
{
	size_t n = 64, len = n * page_size;
	uint8_t *map, *win;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	fill_pages(map, 0, n, 0);
	EXPECT_EQ(0, check_pages(map, 0, n, 0, 0));
	ASSERT_EQ(0, munmap(map, len));

	/* Map pages 16..47 again, as fio's mmap engine remaps windows. */
	win = mmap(NULL, 32 * page_size, PROT_READ, MAP_SHARED, self->fd,
		   16 * page_size);
	ASSERT_NE(MAP_FAILED, win);
	EXPECT_EQ(0, check_pages(win, 16, 32, 0, 0));
	munmap(win, 32 * page_size);
}

/* Two mappings of one open file share pages; two opens do not. */
TEST_F(swaplab, mappings_share_opens_isolate)
{
	size_t n = 16, len = n * page_size;
	uint8_t *a, *b, *other;
	int fd2;

	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	ASSERT_NE(a, b);
	fill_pages(a, 0, n, 0);
	EXPECT_EQ(0, check_pages(b, 0, n, 0, 0));

	fd2 = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd2);
	other = mmap(NULL, len, PROT_READ, MAP_SHARED, fd2, 0);
	ASSERT_NE(MAP_FAILED, other);
	EXPECT_EQ(0, count_nonzero(other, len));
	munmap(other, len);
	close(fd2);
	munmap(a, len);
	munmap(b, len);
}

/* A forked child sees the parent's pages and the parent sees its writes. */
TEST_F(swaplab, fork_shares)
{
	size_t n = 32, len = n * page_size;
	uint8_t *map;
	int status;
	pid_t pid;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	fill_pages(map, 0, n / 2, 0);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (check_pages(map, 0, n / 2, 0, 0))
			_exit(1);
		fill_pages(PAGE_AT(map, n / 2), n / 2, n / 2, 0);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child saw wrong data");
	EXPECT_EQ(0, check_pages(map, 0, n, 0, 0));
	munmap(map, len);
}

/* Processes faulting the same pages at once get one frame per page. */
TEST_F(swaplab, concurrent_faults)
{
	size_t n = 256, len = n * page_size;
	long long res0 = read_stat("resident");
	struct swaplab_region_info info;
	pid_t pids[4];
	uint8_t *map;
	int status;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (int c = 0; c < 4; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (pids[c] == 0) {
			/* Even children walk up, odd ones down. */
			for (size_t i = 0; i < n; i++) {
				size_t p = c & 1 ? n - 1 - i : i;

				__atomic_fetch_add((uint64_t *)(map + p * page_size),
						   1, __ATOMIC_RELAXED);
			}
			_exit(0);
		}
	}
	for (int c = 0; c < 4; c++) {
		ASSERT_EQ(pids[c], waitpid(pids[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	for (size_t p = 0; p < n; p++)
		EXPECT_EQ(4, *(uint64_t *)(map + p * page_size));
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, &info));
	EXPECT_EQ(n, info.resident);
	EXPECT_EQ(n, read_stat("resident") - res0);
	munmap(map, len);
}

TEST_F(swaplab, map_private_refused)
{
	void *map;

	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		   self->fd, 0);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EOPNOTSUPP, errno);
}

/* mmap() past the region's size limit is refused with EINVAL. */
TEST_F(swaplab, out_of_range_offset)
{
	struct swaplab_region_info info;
	void *map;

	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, &info));
	ASSERT_LT(0, info.size);

	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->fd, info.size);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);

	map = mmap(NULL, 2 * page_size, PROT_READ, MAP_SHARED, self->fd,
		   info.size - page_size);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);

	map = mmap(NULL, info.size + page_size, PROT_READ, MAP_SHARED,
		   self->fd, 0);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EINVAL, errno);

	/* The last page itself is fine. */
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, info.size - page_size);
	ASSERT_NE(MAP_FAILED, map);
	touch_byte(map);
	munmap(map, page_size);
}

/* A mapping grown by mremap() past the region's end gets SIGBUS there. */
TEST_F(swaplab, sigbus_beyond_region)
{
	long long sigbus0;
	uint8_t *map;
	int fd;

	ASSERT_EQ(0, write_knob("region_max", "16K"));
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	map = mremap(map, 4 * page_size, 8 * page_size, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, map);

	sigbus0 = read_stat("sigbus");
	EXPECT_EQ(0, child_signal(touch_byte, map + 3 * page_size));
	EXPECT_EQ(SIGBUS, child_signal(touch_byte, map + 4 * page_size));
	EXPECT_EQ(1, read_stat("sigbus") - sigbus0);
	munmap(map, 8 * page_size);
	close(fd);
}

/* Moving a mapping keeps its data: pages belong to the region. */
TEST_F(swaplab, mremap_move_keeps_data)
{
	size_t n = 8, len = n * page_size;
	uint8_t *map, *hole, *moved;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	fill_pages(map, 0, n, 0);
	hole = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	moved = mremap(map, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, moved);
	EXPECT_EQ(0, check_pages(moved, 0, n, 0, 0));
	munmap(moved, len);
}

TEST_F(swaplab, mlock_munlock)
{
	size_t n = 8, len = n * page_size;
	uint8_t *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mlock(map, len));
	fill_pages(map, 0, n, 0);
	EXPECT_EQ(0, check_pages(map, 0, n, 0, 0));
	ASSERT_EQ(0, munlock(map, len));
	EXPECT_EQ(0, check_pages(map, 0, n, 0, 0));
	munmap(map, len);
}

/*
 * Adjacent mappings of one file that the kernel merges into one VMA
 * (6.12 merges even with vm_ops) still free the region on close.
 */
TEST_F(swaplab, merged_mappings_free_region)
{
	long long regions0 = read_stat("regions");
	uint8_t *map, *next;
	int fd;

	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page_size, page_size));
	next = mmap(map + page_size, page_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_FIXED, fd, page_size);
	ASSERT_EQ(map + page_size, next);
	fill_pages(map, 0, 2, 0);
	EXPECT_EQ(0, check_pages(map, 0, 2, 0, 0));
	EXPECT_EQ(regions0 + 1, read_stat("regions"));
	munmap(map, 2 * page_size);
	close(fd);
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
}

/* A read-only open maps read-only; writable shared mappings are refused. */
TEST_F(swaplab, read_only_open)
{
	uint8_t *map;
	int fd;

	fd = open(SWAPLAB_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(EACCES, errno);
	map = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(0, count_nonzero(map, page_size));
	munmap(map, page_size);
	close(fd);
}

static void open_as_nobody(void *arg)
{
	int *err = arg;

	if (setgid(65534) || setuid(65534)) {
		*err = -1;
		return;
	}
	*err = open(SWAPLAB_DEVICE, O_RDWR) < 0 ? errno : 0;
	if (*err == EACCES)
		*err = open(SWAPLAB_DEVICE, O_RDONLY) < 0 ? errno : 0;
}

/*
 * /dev/swaplab is 0600 root by default (swaplab.sh loads the module with
 * no dev_mode=): another user cannot open it at all.
 */
TEST_F(swaplab, device_mode_0600)
{
	struct stat st;
	int *err;

	ASSERT_EQ(0, stat(SWAPLAB_DEVICE, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	err = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, err);
	*err = -2;
	EXPECT_EQ(0, child_signal(open_as_nobody, err));
	EXPECT_EQ(EACCES, *err);
	munmap(err, page_size);
}

TEST_F(swaplab, ioctl_errors)
{
	struct swaplab_region_info info;

	EXPECT_EQ(-1, ioctl(self->fd, _IO(SWAPLAB_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, &info));
	EXPECT_LT(0, info.id);
	EXPECT_EQ(0, info.resident);
}

/* Frames are taken from the budget and all given back on close. */
TEST_F(swaplab, frames_returned_on_close)
{
	size_t n = 100, len = n * page_size;
	long long res0 = read_stat("resident"), free0 = read_stat("free_frames");
	uint8_t *map;
	int fd;

	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	fill_pages(map, 0, n, 0);
	EXPECT_EQ(n, read_stat("resident") - res0);
	EXPECT_EQ(n, free0 - read_stat("free_frames"));

	/* The mapping keeps the region alive after close(). */
	close(fd);
	EXPECT_EQ(n, read_stat("resident") - res0);
	EXPECT_EQ(0, check_pages(map, 0, n, 0, 0));
	munmap(map, len);
	EXPECT_EQ(res0, read_stat("resident"));
	EXPECT_EQ(free0, read_stat("free_frames"));
}

/*
 * Without a backing store, dirty pages cannot be evicted: once the budget
 * is used up a fault gets SIGBUS rather than more memory than the budget.
 */
TEST_F(swaplab, budget_enforced_without_swap)
{
	long long res0 = read_stat("resident"), sigbus0;
	char frames[32], swapfile[256];
	uint8_t *map;
	int fd;

	/* The store can only be detached while no region exists. */
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", swapfile, sizeof(swapfile)));
	ASSERT_EQ(0, write_knob("swapfile", "none"));

	snprintf(frames, sizeof(frames), "%lld", res0 + 16);
	ASSERT_EQ(0, write_knob("frames", frames));
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 17 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (int i = 0; i < 16; i++)
		touch_byte(map + i * page_size);
	sigbus0 = read_stat("sigbus");
	EXPECT_EQ(SIGBUS, child_signal(touch_byte, map + 16 * page_size));
	EXPECT_EQ(1, read_stat("sigbus") - sigbus0);
	munmap(map, 17 * page_size);
	close(fd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	if (swapfile[0])
		EXPECT_EQ(0, write_knob("swapfile", swapfile));
}

/* A child's work for swap_full_keeps_data: fill pages until it dies. */
struct fill_job {
	uint8_t *map;
	size_t pages;
	size_t *done;		/* pages filled, in a shared page */
};

static void fill_until_killed(void *arg)
{
	struct fill_job *job = arg;

	for (size_t p = 0; p < job->pages; p++) {
		fill_pages(PAGE_AT(job->map, p), p, 1, 7);
		__atomic_store_n(job->done, p + 1, __ATOMIC_RELAXED);
	}
}

/*
 * A full store (15 slots) under a budget of 32 frames: the writer of 80
 * pages gets SIGBUS once no dirty page can go out, and swap_full says
 * why; nothing it wrote is lost (with frames again, every page reads
 * back), and every slot comes back when the region goes.
 */
TEST_F(swaplab, swap_full_keeps_data)
{
	char frames[32], swapfile[256], size[32], small[300];
	long long res0, sigbus0, full0;
	struct fill_job job;
	size_t done;
	uint8_t *map;
	int fd;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", swapfile, sizeof(swapfile)));
	ASSERT_EQ(0, read_knob("swapfile_size", size, sizeof(size)));
	if (swapfile[0] != '/')
		SKIP(return, "no swap file attached");
	snprintf(small, sizeof(small), "%s.small", swapfile);
	unlink(small);
	ASSERT_EQ(0, write_knob("swapfile", "none"));
	ASSERT_EQ(0, write_knob("swapfile_size", "64K"));
	ASSERT_EQ(0, write_knob("swapfile", small));
	/* 16 pages, the first of them the store's header. */
	ASSERT_EQ(15, read_stat("swap_slots_total"));

	res0 = read_stat("resident");
	snprintf(frames, sizeof(frames), "%lld", res0 + 32);
	ASSERT_EQ(0, write_knob("frames", frames));
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 80 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	job.map = map;
	job.pages = 80;
	job.done = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)job.done);
	*job.done = 0;

	sigbus0 = read_stat("sigbus");
	full0 = read_stat("swap_full");
	EXPECT_EQ(SIGBUS, child_signal(fill_until_killed, &job));
	done = *job.done;
	TH_LOG("filled %zu pages before SIGBUS; swap_full +%lld", done,
	       read_stat("swap_full") - full0);
	/* 32 frames and 15 slots, less the daemon's free reserve. */
	EXPECT_LE(28, done);
	EXPECT_GE(48, done);
	EXPECT_LE(1, read_stat("sigbus") - sigbus0);
	EXPECT_LE(1, read_stat("swap_full") - full0);
	/* The pages beyond the budget went out; they fill the store. */
	EXPECT_LE((long long)done - 32, read_stat("swap_slots_used"));
	EXPECT_GE(15, read_stat("swap_slots_used"));

	/* Frames again: every page written reads back, the rest as zero. */
	snprintf(frames, sizeof(frames), "%lld", res0 + 160);
	ASSERT_EQ(0, write_knob("frames", frames));
	EXPECT_EQ(0, check_pages(map, 0, done, 7, 0));
	EXPECT_EQ(0, count_nonzero(PAGE_AT(map, done),
				   (80 - done) * page_size));

	munmap(map, 80 * page_size);
	munmap((void *)job.done, page_size);
	close(fd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, read_stat("swap_slots_used"));
	EXPECT_EQ(0, write_knob("swapfile", "none"));
	unlink(small);
	EXPECT_EQ(0, write_knob("swapfile_size", size));
	EXPECT_EQ(0, write_knob("swapfile", swapfile));
}

/* A swap file of @pages pages with mkswap's header (version 1). */
static int make_swap_file(const char *path, unsigned int pages)
{
	uint8_t *page = calloc(1, page_size);
	uint32_t *hdr = (uint32_t *)(page + 1024);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !page) {
		free(page);
		return -1;
	}
	for (unsigned int i = 0; i < pages && !err; i++) {
		if (i == 1)
			memset(page, 0, page_size);
		if (i == 0) {
			hdr[0] = 1;		/* version */
			hdr[1] = pages - 1;	/* last_page */
			memcpy(page + page_size - 10, "SWAPSPACE2", 10);
		}
		err = pwrite(fd, page, page_size, i * page_size) != page_size;
	}
	if (fsync(fd))
		err = 1;
	close(fd);
	free(page);
	return err ? -1 : 0;
}

/*
 * While attached, the swap file belongs to swaplab as an active swap
 * file belongs to swapon: its blocks are written by bios, so nobody may
 * write it, shrink it, fallocate it or unlink it, and stock swapon
 * refuses it. A file the stock kernel swaps to is refused in turn.
 * Attaching the attached file again changes nothing; detached, it is an
 * ordinary file again.
 */
TEST_F(swaplab, store_file_pinned)
{
	char swapfile[256], other[300], now[256];
	struct stat st, st2;
	int fd;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", swapfile, sizeof(swapfile)));
	if (stat(swapfile, &st) || !S_ISREG(st.st_mode))
		SKIP(return, "the store is not a regular file");

	fd = open(swapfile, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, "x", 1, 0));
	EXPECT_EQ(ETXTBSY, errno);
	EXPECT_EQ(-1, ftruncate(fd, st.st_size / 2));
	EXPECT_EQ(ETXTBSY, errno);
	EXPECT_EQ(-1, fallocate(fd, 0, st.st_size, page_size));
	EXPECT_EQ(ETXTBSY, errno);
	close(fd);
	EXPECT_EQ(-1, unlink(swapfile));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, swapon(swapfile, 0));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, stat(swapfile, &st2));
	EXPECT_EQ(st.st_size, st2.st_size);

	EXPECT_EQ(0, write_knob("swapfile", swapfile));
	snprintf(other, sizeof(other), "%s.kswap", swapfile);
	ASSERT_EQ(0, make_swap_file(other, 16));
	ASSERT_EQ(0, swapon(other, 0));
	EXPECT_EQ(-EBUSY, write_knob("swapfile", other));
	EXPECT_EQ(0, swapoff(other));
	EXPECT_EQ(0, unlink(other));
	ASSERT_EQ(0, read_knob("swapfile", now, sizeof(now)));
	EXPECT_STREQ(swapfile, now);

	ASSERT_EQ(0, write_knob("swapfile", "none"));
	fd = open(swapfile, O_WRONLY);
	EXPECT_LE(0, fd);
	EXPECT_EQ(1, pwrite(fd, "", 1, 0));
	close(fd);
	EXPECT_EQ(0, write_knob("swapfile", swapfile));
	/* Page 0 is the header, not a slot. */
	EXPECT_EQ(read_stat("swap_slots_total"), st.st_size / page_size - 1);
}

/* The whole of file @path, in a buffer of *@len bytes; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	*len = st.st_size;
	if (buf && pread(fd, buf, st.st_size, 0) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

/* Write @len bytes of @byte (or of text, when @byte < 0) to a new @path. */
static int make_file(const char *path, size_t len, int byte)
{
	char *buf = malloc(len);
	int fd, err;

	if (!buf)
		return -1;
	for (size_t i = 0; i < len; i++)
		buf[i] = byte < 0 ? "precious data\n"[i % 14] : byte;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	err = fd < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd);
	if (fd >= 0)
		close(fd);
	free(buf);
	return err ? -1 : 0;
}

/*
 * swaplab never overwrites a file it did not make: an existing file
 * without a store header (one of text, one of zeroes, as swapon refuses
 * a file without mkswap's signature) is refused with EEXIST, byte for
 * byte as it was and not left claimed, and the store does not change. A
 * file swaplab creates ends page 0 with its header, "SWAPLAB!" last.
 */
TEST_F(swaplab, store_refuses_foreign_file)
{
	char swapfile[256], path[300], now[256], size[32];
	static const int fill[] = { -1, 0 };
	char *before, *after, *made;
	size_t len0, len1;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", swapfile, sizeof(swapfile)));
	if (swapfile[0] != '/')
		SKIP(return, "no swap file attached");
	snprintf(path, sizeof(path), "%s.foreign", swapfile);
	for (size_t i = 0; i < ARRAY_SIZE(fill); i++) {
		ASSERT_EQ(0, make_file(path, 256 << 10, fill[i]));
		before = slurp(path, &len0);
		ASSERT_NE(NULL, before);
		EXPECT_EQ(-EEXIST, write_knob("swapfile", path))
			TH_LOG("a file of %s was taken",
			       fill[i] ? "text" : "zeroes");
		ASSERT_EQ(0, read_knob("swapfile", now, sizeof(now)));
		EXPECT_STREQ(swapfile, now);
		after = slurp(path, &len1);
		ASSERT_NE(NULL, after);
		EXPECT_EQ(len0, len1);
		EXPECT_EQ(0, memcmp(before, after, len0 < len1 ? len0 : len1))
			TH_LOG("the refused file was changed");
		free(before);
		free(after);
		/* Not left marked as a swap file: it can be removed. */
		EXPECT_EQ(0, unlink(path));
	}

	/* A file swaplab makes carries the header, and is taken again. */
	ASSERT_EQ(0, read_knob("swapfile_size", size, sizeof(size)));
	ASSERT_EQ(0, write_knob("swapfile_size", "64K"));
	EXPECT_EQ(0, write_knob("swapfile", path));
	EXPECT_EQ(0, write_knob("swapfile", "none"));
	made = slurp(path, &len1);
	ASSERT_NE(NULL, made);
	EXPECT_EQ(64 << 10, len1);
	EXPECT_EQ(0, memcmp(made + page_size - 8, "SWAPLAB!", 8));
	free(made);
	EXPECT_EQ(0, write_knob("swapfile", path));
	EXPECT_EQ(15, read_stat("swap_slots_total"));
	EXPECT_EQ(0, write_knob("swapfile_size", size));
	EXPECT_EQ(0, write_knob("swapfile", swapfile));
	EXPECT_EQ(0, unlink(path));
}

/*
 * A symbolic link as the last component of the path is refused (ELOOP),
 * even to a store (follow_symlinks=0, the default): a link planted in a
 * directory others can write must not point swaplab at somebody's file.
 */
TEST_F(swaplab, store_refuses_symlink)
{
	char swapfile[256], link[300], now[256];

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", swapfile, sizeof(swapfile)));
	if (swapfile[0] != '/')
		SKIP(return, "no swap file attached");
	snprintf(link, sizeof(link), "%s.link", swapfile);
	unlink(link);
	ASSERT_EQ(0, symlink(swapfile, link));
	/* To the store attached now, and to one detached. */
	EXPECT_EQ(-ELOOP, write_knob("swapfile", link));
	ASSERT_EQ(0, read_knob("swapfile", now, sizeof(now)));
	EXPECT_STREQ(swapfile, now);
	ASSERT_EQ(0, write_knob("swapfile", "none"));
	EXPECT_EQ(-ELOOP, write_knob("swapfile", link));
	ASSERT_EQ(0, read_knob("swapfile", now, sizeof(now)));
	EXPECT_STREQ("", now);
	EXPECT_EQ(0, write_knob("swapfile", swapfile));
	EXPECT_EQ(0, unlink(link));
}

/*
 * A swap file must be on a file system whose blocks bmap() can map: one
 * on tmpfs is refused with EINVAL, the store stays as it was, and the
 * refused file is not left marked as a swap file (it can be removed).
 */
TEST_F(swaplab, store_needs_bmap)
{
	char dir[] = "/tmp/swaplab-tmpfs-XXXXXX", path[64], before[256];
	char now[256], size[32];

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", before, sizeof(before)));
	ASSERT_EQ(0, read_knob("swapfile_size", size, sizeof(size)));
	ASSERT_NE(NULL, mkdtemp(dir));
	if (mount("tmpfs", dir, "tmpfs", 0, "size=1m")) {
		rmdir(dir);
		SKIP(return, "cannot mount tmpfs: %s", strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/swap", dir);
	ASSERT_EQ(0, write_knob("swapfile_size", "64K"));
	EXPECT_EQ(-EINVAL, write_knob("swapfile", path));
	EXPECT_EQ(0, write_knob("swapfile_size", size));
	ASSERT_EQ(0, read_knob("swapfile", now, sizeof(now)));
	EXPECT_STREQ(before, now);
	EXPECT_EQ(0, unlink(path));
	EXPECT_EQ(0, umount(dir));
	EXPECT_EQ(0, rmdir(dir));
}

/* Every knob refuses bad input with EINVAL and keeps its value. */
TEST_F(swaplab, knobs_reject_bad_input)
{
	static const char * const bad_frames[] = {
		"\n", "abc", "-1", "0", "15", "12abc", " 64",
		"99999999999999999999999", "18446744073709551616",
		"1e6", "0x", "64 64",
	};
	static const char * const bad_region_max[] = {
		"\n", "0", "4095", "4097", "-4096", "1T", "4K4K",
		"17592186044417K", "99999999999999999999999G", "K", "4 K",
		"2199023255552",
	};
	char before[32], after[32];

	ASSERT_EQ(0, read_knob("frames", before, sizeof(before)));
	for (size_t i = 0; i < ARRAY_SIZE(bad_frames); i++) {
		EXPECT_EQ(-EINVAL, write_knob("frames", bad_frames[i]))
			TH_LOG("frames accepted '%s'", bad_frames[i]);
		ASSERT_EQ(0, read_knob("frames", after, sizeof(after)));
		EXPECT_STREQ(before, after);
	}
	ASSERT_EQ(0, read_knob("region_max", before, sizeof(before)));
	for (size_t i = 0; i < ARRAY_SIZE(bad_region_max); i++) {
		EXPECT_EQ(-EINVAL, write_knob("region_max", bad_region_max[i]))
			TH_LOG("region_max accepted '%s'", bad_region_max[i]);
		ASSERT_EQ(0, read_knob("region_max", after, sizeof(after)));
		EXPECT_STREQ(before, after);
	}

	/* A zero-byte write never reaches the store: it changes nothing. */
	EXPECT_EQ(0, write_knob("region_max", ""));
	ASSERT_EQ(0, read_knob("region_max", after, sizeof(after)));
	EXPECT_STREQ(before, after);

	/* Good values, with and without a suffix and newline. */
	EXPECT_EQ(0, write_knob("region_max", "64M\n"));
	ASSERT_EQ(0, read_knob("region_max", after, sizeof(after)));
	EXPECT_STREQ("67108864", after);
	EXPECT_EQ(0, write_knob("frames", "1024\n"));
	ASSERT_EQ(0, read_knob("frames", after, sizeof(after)));
	EXPECT_STREQ("1024", after);
	EXPECT_EQ(-EACCES, write_knob("stat", "0"));
}

/* rmmod is refused while a mapping exists, even with the file closed. */
TEST_F(swaplab, rmmod_refused_while_mapped)
{
	uint8_t *map;

	map = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	close(self->fd);
	self->fd = -1;
	touch_byte(map);

	EXPECT_EQ(-1, syscall(SYS_delete_module, "swaplab", O_NONBLOCK));
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_EQ(0, access(SWAPLAB_DEVICE, F_OK));
	munmap(map, page_size);
}

TEST_HARNESS_MAIN
