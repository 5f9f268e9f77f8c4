// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab frame allocation selftests: the allocation knob, local
 * replacement (a process at its allocation evicts only its own pages)
 * against global replacement, the equal split of the budget, what cannot
 * be local, and every byte intact throughout. Run as root with the module
 * loaded, a swap file attached and debugfs mounted (swaplab.sh does all
 * three).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET	256
/* The page daemon's working high watermark at that budget: 1/32 of it. */
#define HIGH	(BUDGET / 32)

/* The allocation column of process @id; -2 if it has no row. */
static long alloc_of(unsigned long id)
{
	struct procs_row r;

	return proc_by_id(id, &r) ? r.alloc : -2;
}

/* The allocation column of the process with pid @pid; -2 if none. */
static long alloc_of_pid(pid_t pid)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64);

	for (int i = 0; i < n; i++)
		if (rows[i].pid == pid)
			return rows[i].alloc;
	return -2;
}

/* The faults column of process @id; -1 if it has no row. */
static long faults_of(unsigned long id)
{
	struct procs_row r;

	return proc_by_id(id, &r) ? (long)r.faults : -1;
}

/*
 * In a child: a region of its own, @pages pages written with a pattern
 * and read back twice. Exit status 0 if every byte came back.
 */
static void scan_child(size_t pages, uint64_t seed)
{
	int fd;
	uint8_t *m = map_new(&fd, pages);

	if (m == MAP_FAILED)
		_exit(2);
	fill_pages(m, 0, pages, seed);
	if (check_pages(m, 0, pages, seed, 0) ||
	    check_pages(m, 0, pages, seed, 1))
		_exit(3);
	_exit(0);
}

/* Run scan_child() in a child and wait for it: its exit status. */
static int scan(size_t pages, uint64_t seed)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		scan_child(pages, seed);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

FIXTURE(alloc) {
	char frames[32];
	char policy[32];
	char allocation[16];
	char allocator[32];
	char daemon[16];
	char tau[16], upper[8], lower[8];
};

FIXTURE_SETUP(alloc)
{
	struct procs_row rows[64];

	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, access(SWAPLAB_DEVICE, F_OK)) TH_LOG("module not loaded");
	ASSERT_LE(0, read_procs(rows, 64))
		TH_LOG("%s missing or not version 3: debugfs unmounted?", PROCS);
	ASSERT_LE(16 * BUDGET, read_stat("swap_slots_total"));
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, read_knob("allocation", self->allocation,
			       sizeof(self->allocation)));
	ASSERT_EQ(0, read_knob("daemon", self->daemon, sizeof(self->daemon)));
	ASSERT_EQ(0, read_knob("allocator", self->allocator,
			       sizeof(self->allocator)));
	ASSERT_EQ(0, read_knob("ws_tau", self->tau, sizeof(self->tau)));
	ASSERT_EQ(0, read_knob("pff_upper", self->upper, sizeof(self->upper)));
	ASSERT_EQ(0, read_knob("pff_lower", self->lower, sizeof(self->lower)));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
}

FIXTURE_TEARDOWN(alloc)
{
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, wait_stat("procs", 0));
	put_knob_back("allocation", self->allocation);
	put_knob_back("allocator", self->allocator);
	put_knob_back("policy", self->policy);
	put_knob_back("daemon", self->daemon);
	put_knob_back("ws_tau", self->tau);
	/* Lower first: it must stay below the upper. */
	if (self->lower[0] && self->upper[0]) {
		write_knob("pff_lower", "0");
		write_knob("pff_upper", self->upper);
		write_knob("pff_lower", self->lower);
	}
	put_knob_back("frames", self->frames);
}

/* global by default; bad values get EINVAL and change nothing. */
TEST_F(alloc, knob)
{
	char buf[16];

	EXPECT_STREQ("global", self->allocation);
	EXPECT_EQ(-EINVAL, write_knob("allocation", "Local"));
	EXPECT_EQ(-EINVAL, write_knob("allocation", "\n"));
	EXPECT_EQ(-EINVAL, write_knob("allocation", "local global"));
	ASSERT_EQ(0, read_knob("allocation", buf, sizeof(buf)));
	EXPECT_STREQ("global", buf);
	ASSERT_EQ(0, write_knob("allocation", "local"));
	ASSERT_EQ(0, read_knob("allocation", buf, sizeof(buf)));
	EXPECT_STREQ("local", buf);
	/* Writing the mode in force changes nothing, and succeeds. */
	EXPECT_EQ(0, write_knob("allocation", "local"));
	EXPECT_EQ(-EINVAL, write_knob("allocation", "2"));
	ASSERT_EQ(0, read_knob("allocation", buf, sizeof(buf)));
	EXPECT_STREQ("local", buf);
	ASSERT_EQ(0, write_knob("allocation", "global"));
}

/* equal by default, then proportional; an unknown name changes nothing. */
TEST_F(alloc, allocator_knob)
{
	char buf[64];

	EXPECT_STREQ("equal", self->allocator);
	ASSERT_EQ(0, read_knob("available_allocators", buf, sizeof(buf)));
	EXPECT_STREQ("equal proportional ws pff", buf);
	EXPECT_EQ(-EINVAL, write_knob("allocator", "ws2"));
	EXPECT_EQ(-EINVAL, write_knob("allocator", "equal proportional"));
	ASSERT_EQ(0, read_knob("allocator", buf, sizeof(buf)));
	EXPECT_STREQ("equal", buf);
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	ASSERT_EQ(0, read_knob("allocator", buf, sizeof(buf)));
	EXPECT_STREQ("proportional", buf);
	EXPECT_EQ(-EINVAL, write_knob("allocator", "\n"));
	ASSERT_EQ(0, read_knob("allocator", buf, sizeof(buf)));
	EXPECT_STREQ("proportional", buf);
}

/*
 * In a child: a region of its own, @pages pages written with a pattern;
 * then say so on @ready and wait to be killed.
 */
static void writer_child(int ready, size_t pages, uint64_t seed)
{
	char one = 1;
	uint8_t *m;
	int fd;

	m = map_new(&fd, pages);
	if (m == MAP_FAILED)
		_exit(1);
	fill_pages(m, 0, pages, seed);
	if (write(ready, &one, 1) != 1)
		_exit(1);
	pause();
	_exit(2);
}

/* Select the allocator in force again: a decision, from the figures now. */
static int decide_now(void)
{
	return write_knob("allocator", "proportional");
}

/*
 * proportional shares by the pages each process holds: a process that
 * wrote three times as many pages gets three times the frames, equal
 * gives both the same, and the extent mapped is not what counts: a
 * second mapping further into the region, never touched, changes
 * nothing.
 */
TEST_F(alloc, proportional_by_size)
{
	const size_t small = 64;
	int fd, ready, status;
	struct procs_row r;
	unsigned long me;
	uint8_t *m, *m2;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	m = map_new(&fd, 3 * small);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	fill_pages(m, 0, 3 * small, 1);
	ASSERT_TRUE(proc_by_id(me, &r));
	EXPECT_EQ(3 * small, r.mapped);
	EXPECT_EQ(BUDGET - HIGH, r.alloc);

	/* It starts at one frame, and writes 64 pages through it. */
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0)
		writer_child(ready, small, 2);
	ASSERT_EQ(0, decide_now());
	/* 192:64 of 248 frames: 186 and 62. */
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, alloc_of(me));
	EXPECT_EQ((BUDGET - HIGH) / 4, alloc_of_pid(pid));
	ASSERT_EQ(0, write_knob("allocator", "equal"));
	EXPECT_EQ((BUDGET - HIGH) / 2, alloc_of(me));
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, alloc_of(me));
	/* A second mapping further into the region, never touched. */
	m2 = mmap(NULL, small * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fd, 5 * small * page_size);
	ASSERT_NE(MAP_FAILED, m2);
	ASSERT_EQ(0, decide_now());
	ASSERT_TRUE(proc_by_id(me, &r));
	EXPECT_EQ(6 * small, r.mapped);
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, r.alloc);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(1, wait_stat("procs", 1));
	EXPECT_EQ(BUDGET - HIGH, alloc_of(me));
	EXPECT_EQ(0, check_pages(m, 0, 3 * small, 1, 0));
	munmap(m2, small * page_size);
	munmap(m, 3 * small * page_size);
	close(fd);
}

/*
 * Mapping much and touching nothing takes no one's frames: another
 * process maps 8 regions of 1 GiB each and touches one page of each;
 * this one writes 128 pages. Its share covers them all, and once it has
 * read them back, reading them twice more takes no fault. By the extent
 * mapped, its share would be one frame, and every read would fault.
 */
TEST_F(alloc, proportional_ignores_untouched_mappings)
{
	const size_t pages = 128, regions = 8;
	const size_t big = (1UL << 30) / page_size;
	int fd, ready, status;
	unsigned long me;
	long before;
	uint8_t *m;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char one = 1;

		for (size_t i = 0; i < regions; i++) {
			int cfd;
			uint8_t *c = map_new(&cfd, big);

			if (c == MAP_FAILED)
				_exit(1);
			c[0] = 1;
		}
		if (write(ready, &one, 1) != 1)
			_exit(1);
		pause();
		_exit(2);
	}
	m = map_new(&fd, pages);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	fill_pages(m, 0, pages, 3);
	ASSERT_EQ(0, decide_now());
	TH_LOG("shares: %ld for %zu pages written, %ld for %zu GiB mapped",
	       alloc_of(me), pages, alloc_of_pid(pid), regions);
	/* 128:8 of 248 frames: 233 and 14. */
	EXPECT_EQ((long)((BUDGET - HIGH) * pages / (pages + regions)),
		  alloc_of(me));
	EXPECT_EQ((long)((BUDGET - HIGH) * regions / (pages + regions)),
		  alloc_of_pid(pid));
	EXPECT_EQ(0, check_pages(m, 0, pages, 3, 0));
	before = faults_of(me);
	EXPECT_EQ(0, check_pages(m, 0, pages, 3, 0));
	EXPECT_EQ(0, check_pages(m, 0, pages, 3, 1));
	EXPECT_EQ(before, faults_of(me))
		TH_LOG("%ld faults on pages its share covers",
		       faults_of(me) - before);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	munmap(m, pages * page_size);
	close(fd);
}

/*
 * proportional by weight: two processes that hold as many pages; one's
 * weight set to 300 gets three times the other's frames, and equal
 * ignores the weights. Bad weights, and a read-only file, change
 * nothing.
 */
TEST_F(alloc, proportional_by_weight)
{
	const size_t size = 64;
	int fd, ro, ready, status;
	__u32 w;
	unsigned long me;
	struct procs_row r;
	uint8_t *m;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	m = map_new(&fd, size);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	fill_pages(m, 0, size, 4);
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0)
		writer_child(ready, size, 5);
	ASSERT_EQ(0, decide_now());
	EXPECT_EQ((BUDGET - HIGH) / 2, alloc_of(me));
	ASSERT_TRUE(proc_by_id(me, &r));
	EXPECT_EQ(SWAPLAB_WEIGHT_DEFAULT, r.weight);
	w = 300;
	ASSERT_EQ(0, ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &w));
	/* 300:100 of 248 frames: 186 and 62. */
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, alloc_of(me));
	ASSERT_EQ(0, write_knob("allocator", "equal"));
	EXPECT_EQ((BUDGET - HIGH) / 2, alloc_of(me));
	ASSERT_EQ(0, write_knob("allocator", "proportional"));
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, alloc_of(me));

	w = 0;
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &w));
	EXPECT_EQ(EINVAL, errno);
	w = SWAPLAB_WEIGHT_MAX + 1;
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, &w));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_IOC_SET_WEIGHT, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* A read-only file of the same process's: no writing its weight. */
	ro = open(SWAPLAB_DEVICE, O_RDONLY);
	ASSERT_LE(0, ro);
	w = 100;
	EXPECT_EQ(-1, ioctl(ro, SWAPLAB_IOC_SET_WEIGHT, &w));
	EXPECT_EQ(EBADF, errno);
	close(ro);
	ASSERT_TRUE(proc_by_id(me, &r));
	EXPECT_EQ(300, r.weight);
	EXPECT_EQ((BUDGET - HIGH) * 3 / 4, r.alloc);

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(1, wait_stat("procs", 1));
	munmap(m, size * page_size);
	close(fd);
}

/*
 * The external pager's policy keeps a state a process under local, as
 * the built-in ones do: it is selected under local, and allocation made
 * local and global again while it is current.
 */
TEST_F(alloc, pager_policy_in_both_modes)
{
	char buf[32];

	ASSERT_EQ(0, write_knob("policy", "pager"));
	EXPECT_EQ(0, write_knob("allocation", "local"));
	ASSERT_EQ(0, read_knob("allocation", buf, sizeof(buf)));
	EXPECT_STREQ("local", buf);
	EXPECT_EQ(0, write_knob("allocation", "global"));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, write_knob("allocation", "local"));
	EXPECT_EQ(0, write_knob("policy", "pager"));
	ASSERT_EQ(0, read_knob("policy", buf, sizeof(buf)));
	EXPECT_STREQ("pager", buf);
	ASSERT_EQ(0, write_knob("policy", "fifo"));
}

/*
 * A child that opens a region of its own and maps @pages pages of it
 * (none: maps nothing), tells the parent, and waits to be killed.
 */
static void holder_child(int ready, size_t pages)
{
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	char one = 1;

	if (fd < 0 ||
	    (pages && mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0) == MAP_FAILED) ||
	    write(ready, &one, 1) != 1)
		_exit(1);
	pause();
	_exit(2);
}

/*
 * Under local the budget, less the daemon's high watermark, is split
 * equally among the processes that map pages of their regions, and
 * again when one comes or goes; one that holds a region open and maps
 * nothing takes no share. Under global no process has an allocation.
 */
TEST_F(alloc, equal_split)
{
	int fd, ready, status;
	unsigned long me;
	uint8_t *m;
	pid_t pid;

	m = map_new(&fd, 4);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	EXPECT_EQ(-1, alloc_of(me));
	ASSERT_EQ(0, write_knob("allocation", "local"));
	EXPECT_EQ(BUDGET - HIGH, alloc_of(me));

	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0)
		holder_child(ready, 0);
	EXPECT_EQ(2, read_stat("procs"));
	EXPECT_EQ(BUDGET - HIGH, alloc_of(me))
		TH_LOG("a process that maps nothing took a share");
	EXPECT_EQ(1, alloc_of_pid(pid));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(1, wait_stat("procs", 1));

	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0)
		holder_child(ready, 1);
	EXPECT_EQ((BUDGET - HIGH) / 2, alloc_of(me));
	EXPECT_EQ((BUDGET - HIGH) / 2, alloc_of_pid(pid));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(1, wait_stat("procs", 1));
	EXPECT_EQ(BUDGET - HIGH, alloc_of(me));

	/* The budget changes: the shares follow. */
	ASSERT_EQ(0, write_knob_ll("frames", 2 * BUDGET));
	EXPECT_EQ(2 * BUDGET - 2 * HIGH, alloc_of(me));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("allocation", "global"));
	EXPECT_EQ(-1, alloc_of(me));
	munmap(m, 4 * page_size);
	close(fd);
}

/*
 * Under each allocator, a process that opens its region (one frame, no
 * share) and then maps a page of it gets its first share as a newcomer
 * does, more than the one frame; the others' shares are set again with
 * it among them, so that together they hold no more than there is.
 */
TEST_F(alloc, first_share_at_first_mapping)
{
	char avail[64], *save = NULL, *name;
	int fd, ready, status, nr = 0;
	long mine, its;
	unsigned long me;
	uint8_t *m;
	pid_t pid;

	ASSERT_EQ(0, read_knob("available_allocators", avail, sizeof(avail)));
	m = map_new(&fd, 4);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	ASSERT_EQ(0, write_knob("allocation", "local"));
	for (name = strtok_r(avail, " ", &save); name;
	     name = strtok_r(NULL, " ", &save), nr++) {
		ASSERT_EQ(0, write_knob("allocator", name));
		pid = fork_ready(&ready);
		ASSERT_LE(0, pid);
		if (pid == 0)
			holder_child(ready, 1);
		mine = alloc_of(me);
		its = alloc_of_pid(pid);
		TH_LOG("%s: first share %ld, the other's %ld", name, its,
		       mine);
		EXPECT_LT(1, its)
			TH_LOG("its one frame was taken for a share given");
		EXPECT_LT(0, mine);
		EXPECT_GE(BUDGET - HIGH, mine + its);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(1, wait_stat("procs", 1));
	}
	EXPECT_LE(4, nr);
	ASSERT_EQ(0, write_knob("allocation", "global"));
	munmap(m, 4 * page_size);
	close(fd);
}

/*
 * The classic case for local replacement, with fifo: a process holds a
 * small hot set; another scans four budgets' worth; then the first
 * touches its set again. Under global the scan evicted the hot pages
 * (they were the oldest): each faults again. Under local the scanner
 * replaced its own pages only: the hot set takes no fault. The bytes
 * of both come back whole either way.
 */
static void hot_and_scan(struct __test_metadata *_metadata,
			 const char *allocation, bool hot_kept)
{
	const size_t hot = BUDGET / 4;
	unsigned long me;
	long before, after;
	uint8_t *m;
	int fd;

	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, write_knob("allocation", allocation));
	m = map_new(&fd, hot);
	ASSERT_NE(MAP_FAILED, m);
	me = region_owner(fd);
	fill_pages(m, 0, hot, 7);
	before = faults_of(me);
	EXPECT_EQ((long)hot, before);
	EXPECT_EQ(0, scan(4 * BUDGET, 8)) TH_LOG("the scanner lost bytes");
	EXPECT_EQ(0, check_pages(m, 0, hot, 7, 0));
	after = faults_of(me);
	if (hot_kept) {
		EXPECT_EQ(before, after)
			TH_LOG("%s: the scan took %ld of the hot pages",
			       allocation, after - before);
	} else {
		EXPECT_LE(before + (long)hot / 2, after)
			TH_LOG("%s: the scan left the hot set (%ld faults)",
			       allocation, after - before);
	}
	munmap(m, hot * page_size);
	close(fd);
}

TEST_F(alloc, global_scan_takes_hot_set)
{
	hot_and_scan(_metadata, "global", false);
}

TEST_F(alloc, local_scan_keeps_hot_set)
{
	hot_and_scan(_metadata, "local", true);
	EXPECT_LT(0, read_stat("local_reclaims"));
}

/*
 * A fault at the allocation replaces its process's own pages, with the
 * daemon on and off: the process never holds much more than its
 * allocation, and every byte comes back.
 */
TEST_F(alloc, own_replacement_keeps_bytes)
{
	const size_t pages = 3 * BUDGET;
	struct procs_row r;
	int fd, round;
	uint8_t *m;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	m = map_new(&fd, pages);
	ASSERT_NE(MAP_FAILED, m);
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, write_knob("daemon", round ? "0" : "1"));
		fill_pages(m, 0, pages, 11 + round);
		EXPECT_EQ(0, check_pages(m, 0, pages, 11 + round, 1));
		ASSERT_TRUE(proc_by_id(region_owner(fd), &r));
		EXPECT_EQ(BUDGET - HIGH, r.alloc);
		EXPECT_GE((long)r.alloc, (long)r.charged);
		EXPECT_LT(pages * (round + 1), r.faults);
	}
	EXPECT_EQ(0, scan(2 * BUDGET, 12)) TH_LOG("a second process lost bytes");
	munmap(m, pages * page_size);
	close(fd);
}

/*
 * Pages pinned to the whole allocation leave nothing of its own for a
 * fault to evict: the process goes over its allocation rather than get
 * SIGBUS, and alloc_overruns counts it. (A second process halves the
 * allocation: pins must leave part of the budget unpinned.)
 */
TEST_F(alloc, overrun_when_all_pinned)
{
	long long overruns = read_stat("alloc_overruns");
	size_t alloc = (BUDGET - HIGH) / 2;
	struct swaplab_range rg;
	int fd, ready, status;
	uint8_t *m;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0)
		holder_child(ready, 1);
	/* Four more pages than the allocation: the budget has room. */
	m = map_new(&fd, alloc + 4);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ((long)alloc, alloc_of(region_owner(fd)));
	rg.offset = 0;
	rg.length = alloc * page_size;
	ASSERT_EQ(0, ioctl(fd, SWAPLAB_IOC_PIN, &rg)) TH_LOG("pin: %m");
	fill_pages(m, 0, alloc + 4, 13);
	EXPECT_EQ(0, check_pages(m, 0, alloc + 4, 13, 0));
	EXPECT_LT(overruns, read_stat("alloc_overruns"));
	ASSERT_EQ(0, ioctl(fd, SWAPLAB_IOC_UNPIN, &rg));
	munmap(m, (alloc + 4) * page_size);
	close(fd);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

/*
 * The mode the procs table shows for the processes @pid[0] and @pid[1]:
 * 'g' if each listed has no allocation (global), 'l' if each has one
 * (local), 0 if neither is listed, '?' if they differ. Only a process
 * with pages mapped is looked at: one that has not mapped its region
 * yet, or has unmapped it on its way out, may be off the list the mode
 * is set on.
 */
static char mode_of(const pid_t *pid)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64);
	char mode = 0, m;

	for (int i = 0; i < n; i++) {
		if ((rows[i].pid != pid[0] && rows[i].pid != pid[1]) ||
		    !strcmp(rows[i].state, "exited") || !rows[i].mapped)
			continue;
		m = rows[i].alloc == -1 ? 'g' : rows[i].alloc > 0 ? 'l' : '?';
		mode = mode && mode != m ? '?' : m;
	}
	return mode;
}

/*
 * The mode flips every 20 ms while two processes page and verify: every
 * byte comes back, and nothing is left behind. Each flip is the module's,
 * not only the knob's: after it the procs table gives the processes an
 * allocation under local and none under global, the mode it shows
 * changes at least four times while they page, and local replacement
 * runs (local_reclaims).
 */
TEST_F(alloc, flips_under_load)
{
	struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	int i, status, left = 2, flips = 0, changes = 0, wrong = 0;
	long long reclaims = read_stat("local_reclaims");
	const char *mode;
	char seen, last = 0;
	pid_t pid[2];

	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			int fd;
			uint8_t *m = map_new(&fd, 2 * BUDGET);

			if (m == MAP_FAILED)
				_exit(2);
			for (int r = 0; r < 3; r++) {
				fill_pages(m, 0, 2 * BUDGET, 20 + r + i);
				if (check_pages(m, 0, 2 * BUDGET, 20 + r + i, 1))
					_exit(3);
			}
			_exit(0);
		}
	}
	while (left) {
		if (waitpid(-1, &status, WNOHANG) > 0) {
			EXPECT_EQ(0, status);
			left--;
			continue;
		}
		mode = flips++ % 2 ? "global" : "local";
		ASSERT_EQ(0, write_knob("allocation", mode));
		seen = mode_of(pid);
		if (seen) {
			wrong += seen != mode[0];
			changes += last && seen != last;
			last = seen;
		}
		nanosleep(&ts, NULL);
	}
	TH_LOG("%d flips; the procs table showed the mode change %d times",
	       flips, changes);
	EXPECT_EQ(0, wrong)
		TH_LOG("%d flips left an allocation unlike the mode", wrong);
	EXPECT_LE(4, changes);
	EXPECT_LT(reclaims, read_stat("local_reclaims"))
		TH_LOG("no process replaced its own pages under local");
}

/* ws_tau and pff's thresholds: defaults; bad values change nothing. */
TEST_F(alloc, ws_pff_knobs)
{
	EXPECT_STREQ("1024", self->tau);
	EXPECT_STREQ("100", self->upper);
	EXPECT_STREQ("10", self->lower);
	EXPECT_EQ(-EINVAL, write_knob("ws_tau", "0"));
	EXPECT_EQ(-EINVAL, write_knob("ws_tau", "2147483649"));
	EXPECT_EQ(-EINVAL, write_knob("ws_tau", "x"));
	EXPECT_EQ(1024, read_knob_ll("ws_tau"));
	EXPECT_EQ(0, write_knob("ws_tau", "2147483648"));
	EXPECT_EQ(0, write_knob("ws_tau", "512"));
	EXPECT_EQ(512, read_knob_ll("ws_tau"));
	/* The lower threshold stays below the upper. */
	EXPECT_EQ(-EINVAL, write_knob("pff_lower", "100"));
	EXPECT_EQ(-EINVAL, write_knob("pff_upper", "10"));
	EXPECT_EQ(-EINVAL, write_knob("pff_upper", "1001"));
	EXPECT_EQ(100, read_knob_ll("pff_upper"));
	EXPECT_EQ(10, read_knob_ll("pff_lower"));
	EXPECT_EQ(0, write_knob("pff_upper", "1000"));
	EXPECT_EQ(0, write_knob("pff_lower", "999"));
	EXPECT_EQ(999, read_knob_ll("pff_lower"));
	EXPECT_EQ(0, write_knob("pff_lower", "0"));
}

/*
 * A child: a region of @pages pages, each written, then its first @hot
 * pages read @secs seconds over and over, then checked. Tells @ready once
 * it has written them; exit status 0 if every byte came back.
 */
static void loop_child(int ready, size_t pages, size_t hot, double secs,
		       uint64_t seed)
{
	struct timespec t0, t;
	char one = 1;
	int fd;
	uint8_t *m = map_new(&fd, pages);
	uint64_t sum = 0;

	if (m == MAP_FAILED)
		_exit(2);
	fill_pages(m, 0, pages, seed);
	if (write(ready, &one, 1) != 1)
		_exit(4);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (size_t p = 0; p < hot; p++)
			sum += m[p * page_size + 8];
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	/* The reads are the point: their sum must be made. */
	__asm__ __volatile__("" : : "r"(sum));
	_exit(check_pages(m, 0, pages, seed, 0) ? 3 : 0);
}

/*
 * fifo under local with @allocator, and a child that loops over 8 pages
 * of its own for @secs seconds (loop_child()): its pid, or -1.
 */
static pid_t local_beside_loop(const char *allocator, double secs,
			       uint64_t seed)
{
	int ready;
	pid_t pid;

	if (write_knob("policy", "fifo") ||
	    write_knob("allocator", allocator) ||
	    write_knob("allocation", "local"))
		return -1;
	pid = fork_ready(&ready);
	if (pid == 0)
		loop_child(ready, 8, 8, secs, seed);
	return pid;
}

/*
 * ws: a process that uses 96 pages next to one that uses 8 gets its
 * working set, and the estimate the status files show is that set,
 * within a tenth; equal would give each half. Then its set grows to 160
 * pages, more than half the budget, and its allocation grows with it.
 */
TEST_F(alloc, ws_follows_the_working_set)
{
	struct procs_row r;
	int status;
	unsigned long big;
	pid_t small, pid;
	uint8_t *m;
	int fd;
	uint64_t sum = 0;

	ASSERT_EQ(0, write_knob("ws_tau", "512"));
	small = local_beside_loop("ws", 6, 7);
	ASSERT_LT(0, small);

	m = map_new(&fd, 160);
	ASSERT_NE(MAP_FAILED, m);
	big = region_owner(fd);
	fill_pages(m, 0, 160, 9);
	for (int phase = 0; phase < 2; phase++) {
		size_t hot = phase ? 160 : 96;
		time_t end = time(NULL) + 2;

		while (time(NULL) <= end)
			for (size_t p = 0; p < hot; p++)
				sum += m[p * page_size + 8];
		ASSERT_TRUE(proc_by_id(big, &r));
		TH_LOG("set %zu: ws %lu, alloc %ld, rate %lu per mille",
		       hot, r.ws, r.alloc, r.fault_rate);
		EXPECT_LE(hot * 9 / 10, r.ws);
		EXPECT_GE(hot * 11 / 10, r.ws);
		EXPECT_LE((long)hot, r.alloc);
	}
	__asm__ __volatile__("" : : "r"(sum));
	EXPECT_EQ(0, check_pages(m, 0, 160, 9, 0));
	pid = waitpid(small, &status, 0);
	EXPECT_EQ(small, pid);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	munmap(m, 160 * page_size);
	close(fd);
}

/*
 * pff: a process that references 200 pages at random under fifo, with
 * less than half the budget, faults on most references: above the upper
 * threshold, it grows; one that touches 8 pages and never faults is
 * below the lower and shrinks. (Random, so that readahead does not turn
 * the faults into hits.) Their bytes come back whole.
 */
TEST_F(alloc, pff_grows_and_shrinks)
{
	long start_alloc, quiet_start, quiet_alloc;
	struct procs_row r;
	int status;
	unsigned long scanner;
	uint64_t state = 5;
	pid_t quiet;
	uint8_t *m;
	int fd;
	uint64_t sum = 0;
	time_t end;

	quiet = local_beside_loop("pff", 5, 11);
	ASSERT_LT(0, quiet);

	m = map_new(&fd, 200);
	ASSERT_NE(MAP_FAILED, m);
	scanner = region_owner(fd);
	start_alloc = alloc_of(scanner);
	quiet_start = alloc_of_pid(quiet);
	TH_LOG("start: scanner %ld, quiet %ld", start_alloc, quiet_start);
	EXPECT_LT(0, start_alloc);
	EXPECT_GE(BUDGET - HIGH, start_alloc + quiet_start);
	fill_pages(m, 0, 200, 13);
	end = time(NULL) + 3;
	while (time(NULL) <= end)
		sum += m[prng_next(&state) % 200 * page_size + 8];
	__asm__ __volatile__("" : : "r"(sum));
	ASSERT_TRUE(proc_by_id(scanner, &r));
	quiet_alloc = alloc_of_pid(quiet);
	TH_LOG("end: scanner %ld, rate %lu per mille; quiet %ld", r.alloc,
	       r.fault_rate, quiet_alloc);
	EXPECT_LT(start_alloc, r.alloc);
	EXPECT_LT(0, quiet_alloc);
	EXPECT_GT(quiet_start, quiet_alloc);
	EXPECT_EQ(0, check_pages(m, 0, 200, 13, 0));
	EXPECT_EQ(quiet, waitpid(quiet, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	munmap(m, 200 * page_size);
	close(fd);
}

TEST_HARNESS_MAIN
