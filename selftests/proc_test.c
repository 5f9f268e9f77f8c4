// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab process selftests: every region is charged to the thread group
 * that created it, and debugfs's procs table shows, per process, its
 * regions, the frames they hold and the faults taken on them, whoever
 * took them. Run as root with the module loaded, a swap file attached
 * and debugfs mounted (swaplab.sh does all three).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET	256
/* How many rows show pid @pid. */
static int rows_of_pid(long pid)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64), k = 0;

	for (int i = 0; i < n; i++)
		k += rows[i].pid == pid;
	return k;
}

/*
 * The faults column of region @id in debugfs's regions table; -1 if
 * there is no such row.
 */
static long region_faults(unsigned long id)
{
	char line[1024], name[256];
	unsigned long rid, size, res, sw, pin, faults;
	long found = -1;
	FILE *f = fopen(SWAPLAB_DEBUGFS "/regions", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lu %255s %lu %lu %lu %lu %lu", &rid, name,
			   &size, &res, &sw, &pin, &faults) == 7 && rid == id)
			found = faults;
	fclose(f);
	return found;
}

/* Write one byte into each of @n pages from @first. */
static void touch(uint8_t *map, size_t first, size_t n)
{
	for (size_t p = first; p < first + n; p++)
		PAGE_AT(map, p)[0] = (uint8_t)p;
}

/* Attach to named region @name, creating it with @create: the fd or -errno. */
static int attach_name(int fd, const char *name, bool create)
{
	struct swaplab_attach at = {
		.flags = create ? SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL : 0,
	};
	int nfd;

	snprintf(at.name, sizeof(at.name), "%s", name);
	nfd = ioctl(fd, SWAPLAB_IOC_ATTACH, &at);
	return nfd < 0 ? -errno : nfd;
}

FIXTURE(proc) {
	int fd;
	uint8_t *map;
	size_t pages;
	char frames[32];
};

FIXTURE_SETUP(proc)
{
	struct procs_row rows[64];

	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	self->map = MAP_FAILED;
	self->pages = 4 * BUDGET;
	ASSERT_EQ(0, access(SWAPLAB_DEVICE, F_OK)) TH_LOG("module not loaded");
	ASSERT_LE(0, read_procs(rows, 64))
		TH_LOG("%s missing or not version 3: debugfs unmounted?", PROCS);
	ASSERT_LE(4 * BUDGET, read_stat("swap_slots_total"));
	/* No region is left by an earlier test. */
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_stat("procs"));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, self->pages * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(proc)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, self->pages * page_size);
	if (self->fd >= 0)
		close(self->fd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, wait_stat("procs", 0));
	if (self->frames[0])
		write_knob("frames", self->frames);
}

/* One open: one row, with this pid, the region's faults and frames. */
TEST_F(proc, opener_has_a_row)
{
	unsigned long id = region_owner(self->fd);
	struct procs_row r;

	ASSERT_NE(0, id);
	touch(self->map, 0, 16);
	ASSERT_TRUE(proc_by_id(id, &r));
	EXPECT_EQ(getpid(), r.pid);
	EXPECT_STREQ("live", r.state);
	EXPECT_EQ(1, r.regions);
	EXPECT_EQ(16, r.faults);
	EXPECT_EQ(0, r.major);
	EXPECT_EQ(16, r.charged);
	EXPECT_EQ(1, read_stat("procs"));
}

/* Two opens in one thread group: one row, two regions. */
TEST_F(proc, two_opens_one_row)
{
	int fd2 = open(SWAPLAB_DEVICE, O_RDWR);
	struct procs_row r;

	ASSERT_LE(0, fd2);
	EXPECT_EQ(region_owner(self->fd), region_owner(fd2));
	EXPECT_EQ(1, rows_of_pid(getpid()));
	ASSERT_TRUE(proc_by_id(region_owner(fd2), &r));
	EXPECT_EQ(2, r.regions);
	close(fd2);
	ASSERT_TRUE(proc_by_id(region_owner(self->fd), &r));
	EXPECT_EQ(1, r.regions);
}

/*
 * A forked child's faults on its parent's region are the parent's: the
 * child has no row, and the parent's row counts them, with the page-outs
 * and page-ins they cause.
 */
TEST_F(proc, forked_child_faults_count_to_creator)
{
	unsigned long id = region_owner(self->fd);
	struct procs_row before, after;
	pid_t pid;
	int status;

	ASSERT_TRUE(proc_by_id(id, &before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Twice the budget, twice over: the second pass reads back. */
		touch(self->map, 0, 2 * BUDGET);
		touch(self->map, 0, 2 * BUDGET);
		_exit(rows_of_pid(getpid()) == 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status) TH_LOG("the child had a row of its own");
	ASSERT_TRUE(proc_by_id(id, &after));
	/* Its one region's faults, all of them, and they are many. */
	EXPECT_EQ(region_faults(region_of(self->fd)), (long)after.faults);
	EXPECT_LE(before.faults + 2 * BUDGET, after.faults);
	EXPECT_LT(before.major, after.major);
	EXPECT_EQ(1, read_stat("procs"));
}

/*
 * A region attached by name is its creator's: the attaching process
 * takes its faults on the creator's account, and its own row counts
 * only its own region.
 */
TEST_F(proc, attached_region_counts_to_creator)
{
	int named = attach_name(self->fd, "proc_test", true);
	unsigned long creator = region_owner(self->fd);
	struct procs_row before, after;
	int ready, status;
	pid_t pid;

	ASSERT_LE(0, named);
	EXPECT_EQ(creator, region_owner(named));
	ASSERT_TRUE(proc_by_id(creator, &before));

	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char one = 1;
		int fd = open(SWAPLAB_DEVICE, O_RDWR);
		int nfd = fd < 0 ? -1 : attach_name(fd, "proc_test", false);
		uint8_t *m;
		struct procs_row mine;

		if (write(ready, &one, 1) != 1 || nfd < 0)
			_exit(2);
		m = mmap(NULL, 64 * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, nfd, 0);
		if (m == MAP_FAILED)
			_exit(3);
		touch(m, 0, 64);
		/* Its own row: its anonymous region, none of the faults. */
		if (region_owner(nfd) != creator || region_owner(fd) == creator ||
		    !proc_by_id(region_owner(fd), &mine))
			_exit(4);
		_exit(mine.pid == getpid() && mine.regions == 1 &&
		      mine.faults == 0 && mine.charged == 0 ? 0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(proc_by_id(creator, &after));
	EXPECT_EQ(before.faults + 64, after.faults);
	EXPECT_EQ(before.charged + 64, after.charged);
	EXPECT_EQ(2, after.regions);
	close(named);
	EXPECT_EQ(1, wait_stat("procs", 1));
}

/*
 * A process whose creator exited lives on, "exited", while a region of
 * its lives; it goes with the last one.
 */
TEST_F(proc, row_goes_with_last_region)
{
	int ready, status, named;
	unsigned long id;
	struct procs_row r;
	pid_t pid;

	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char one = 1;
		int fd = open(SWAPLAB_DEVICE, O_RDWR);

		if (fd < 0 || attach_name(fd, "proc_test_gone", true) < 0)
			_exit(2);
		/* Ready once the name exists; then wait to be killed. */
		if (write(ready, &one, 1) != 1)
			_exit(3);
		pause();
		_exit(4);
	}
	named = attach_name(self->fd, "proc_test_gone", false);
	ASSERT_LE(0, named);
	id = region_owner(named);
	ASSERT_NE(region_owner(self->fd), id);
	ASSERT_TRUE(proc_by_id(id, &r));
	EXPECT_EQ(pid, r.pid);
	EXPECT_STREQ("live", r.state);
	EXPECT_EQ(2, read_stat("procs"));

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* Its anonymous region went with its file; the named one lives. */
	EXPECT_EQ(2, wait_stat("regions", 2));
	ASSERT_TRUE(proc_by_id(id, &r));
	EXPECT_STREQ("exited", r.state);
	EXPECT_EQ(1, r.regions);

	close(named);
	EXPECT_EQ(1, wait_stat("procs", 1));
	EXPECT_FALSE(proc_by_id(id, &r));
}

/* The sum of the charged column over every row; -1 without the table. */
static long long charged_sum(void)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64);
	long long sum = 0;

	if (n < 0)
		return -1;
	for (int k = 0; k < n; k++)
		sum += rows[k].charged;
	return sum;
}

/*
 * Every frame is charged to exactly one process: the charges add up to
 * the frames in use, with two processes holding frames, and again once
 * one of them has paged three times the budget through.
 */
TEST_F(proc, charges_add_up_to_resident)
{
	long long resident = -1, sum = -2;
	struct procs_row mine;
	int ready, fd2;
	uint8_t *m2;
	pid_t pid;

	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A second process, holding a quarter of the budget. */
		int fd = open(SWAPLAB_DEVICE, O_RDWR);
		uint8_t *m = mmap(NULL, BUDGET / 4 * page_size,
				  PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		char one = 1;

		if (m == MAP_FAILED)
			_exit(1);
		touch(m, 0, BUDGET / 4);
		if (write(ready, &one, 1) != 1)
			_exit(2);
		pause();
		_exit(3);
	}
	fd2 = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd2);
	m2 = mmap(NULL, BUDGET * page_size, PROT_READ | PROT_WRITE,
		  MAP_SHARED, fd2, 0);
	ASSERT_NE(MAP_FAILED, m2);
	/*
	 * Another quarter, in two regions: half the budget in use, far from
	 * the watermarks, so nothing is evicted.
	 */
	touch(self->map, 0, BUDGET / 8);
	touch(m2, 0, BUDGET / 8);
	ASSERT_TRUE(proc_by_id(region_owner(fd2), &mine));
	EXPECT_EQ(BUDGET / 4, mine.charged);
	EXPECT_EQ(2, mine.regions);
	EXPECT_EQ(2, read_stat("procs"));
	EXPECT_EQ(BUDGET / 2, read_stat("resident"));
	EXPECT_EQ(BUDGET / 2, charged_sum());

	/* Paging: the daemon may still be freeing frames; read until steady. */
	touch(self->map, 0, 3 * BUDGET);
	for (int i = 0; i < 200 && resident != sum; i++) {
		usleep(10000);
		sum = charged_sum();
		resident = read_stat("resident");
	}
	EXPECT_EQ(resident, sum);
	ASSERT_TRUE(proc_by_id(region_owner(fd2), &mine));
	EXPECT_LT(0, mine.charged);
	EXPECT_LE(mine.charged, resident);
	EXPECT_EQ(1, rows_of_pid(pid));

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	munmap(m2, BUDGET * page_size);
	close(fd2);
}

/*
 * Pids are the reader's: a process in a new pid namespace reads its own
 * row with its pid there (1), and a row from outside as 0.
 */
TEST_F(proc, pid_in_readers_namespace)
{
	unsigned long outer = region_owner(self->fd);
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(10);
		inner = fork();
		if (inner == 0) {
			int fd = open(SWAPLAB_DEVICE, O_RDWR);
			struct procs_row r;

			if (fd < 0 || getpid() != 1)
				_exit(11);
			if (!proc_by_id(region_owner(fd), &r) || r.pid != 1)
				_exit(12);
			if (!proc_by_id(outer, &r) || r.pid != 0)
				_exit(13);
			_exit(0);
		}
		if (inner < 0 || waitpid(inner, &status, 0) != inner)
			_exit(14);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 15);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
