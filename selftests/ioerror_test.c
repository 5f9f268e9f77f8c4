// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab selftests: a failing swap device. The store is a device-mapper
 * device over SWAPLAB_BLOCKDEV (a spare disk, overwritten) whose table the
 * tests switch between "linear" (healthy), "error" (every I/O fails) and
 * dm-flakey's drop_writes (writes vanish, reporting success).
 *
 *  - a failed page-in gives the faulting process SIGBUS and nothing else;
 *    once the device is healthy the same page reads back intact;
 *  - a failed page-out leaves the page resident and dirty: nothing is
 *    lost, and it goes out once the device is healthy;
 *  - the log gets a rate-limited message, not one per error;
 *  - another region with frames to spare keeps working meanwhile;
 *  - a device that drops writes is caught by the slot checksums: SIGBUS,
 *    never stale data;
 *  - a device that stalls (suspended) leaves faults waiting for a frame;
 *    a waiter killed inside a system call (read(2) into the region) dies
 *    at once, and every frame comes back once the device resumes.
 *
 * Needs dmsetup and root; skips without SWAPLAB_BLOCKDEV.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
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

#define DM_NAME		"swaplab-faulty"
#define DM_PATH		"/dev/mapper/" DM_NAME
#define NR_PAGES	256
#define NR_FRAMES	64

enum dm_state { DM_HEALTHY, DM_ERROR, DM_DROP_WRITES };

/* Run a shell command quietly; its exit status. */
static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Count kernel log lines containing @needle. */
static long dmesg_count(const char *needle)
{
	char line[512];
	long n = 0;
	FILE *f = popen("dmesg", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, needle);
	pclose(f);
	return n;
}

FIXTURE(ioerror) {
	const char *dev;
	long long sectors;
	char saved_swapfile[256], frames[32], policy[32];
	char readahead[16], readahead_async[8], window[16];
	int created;
	int fd;
	uint8_t *map;
};

/* Load the dm table for @state; suspend and resume around it. */
static int dm_set(FIXTURE_DATA(ioerror) *self, enum dm_state state)
{
	static const char * const table[] = {
		[DM_HEALTHY] = "linear %s 0",
		/* flakey: up 0 s, down 3600 s: always down, writes dropped */
		[DM_DROP_WRITES] = "flakey %s 0 0 3600 1 drop_writes",
		[DM_ERROR] = "error",
	};
	char target[256];

	snprintf(target, sizeof(target), table[state], self->dev);
	if (run("dmsetup suspend --noudevsync %s", DM_NAME) ||
	    run("dmsetup load %s --table '0 %lld %s'", DM_NAME, self->sectors,
		target))
		return -1;
	return run("dmsetup resume --noudevsync %s", DM_NAME);
}

FIXTURE_SETUP(ioerror)
{
	char path[256];
	FILE *f;

	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	self->map = MAP_FAILED;
	self->saved_swapfile[0] = '\0';
	self->created = 0;
	self->dev = getenv("SWAPLAB_BLOCKDEV");
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	if (!self->dev || access(self->dev, F_OK))
		SKIP(return, "no spare disk: set SWAPLAB_BLOCKDEV");
	if (run("dmsetup version >/dev/null 2>&1"))
		SKIP(return, "no dmsetup");
	snprintf(path, sizeof(path), "/sys/class/block/%s/size",
		 strrchr(self->dev, '/') + 1);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%lld", &self->sectors));
	fclose(f);

	setenv("DM_DISABLE_UDEV", "1", 1);
	run("dmsetup remove --noudevsync " DM_NAME " 2>/dev/null");
	ASSERT_EQ(0, run("dmsetup create --noudevsync " DM_NAME
			 " --table '0 %lld linear %s 0'", self->sectors,
			 self->dev));
	self->created = 1;
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("swapfile", self->saved_swapfile,
			       sizeof(self->saved_swapfile)));
	ASSERT_EQ(0, write_knob("swapfile", DM_PATH));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, read_knob("readahead", self->readahead,
			       sizeof(self->readahead)));
	ASSERT_EQ(0, read_knob("readahead_async", self->readahead_async,
			       sizeof(self->readahead_async)));
	/* A number written to readahead sets the window too. */
	ASSERT_EQ(0, read_knob("prefetch_window", self->window,
			       sizeof(self->window)));
	/* FIFO: the first pages written are the first to go out. */
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, write_knob_ll("frames",
				   read_stat("resident") + NR_FRAMES));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(ioerror)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, NR_PAGES * page_size);
	if (self->fd >= 0)
		close(self->fd);
	if (!self->created)
		return;
	dm_set(self, DM_HEALTHY);
	wait_stat("regions", 0);
	write_knob("frames", self->frames);
	write_knob("policy", self->policy);
	write_knob("prefetch_window", self->window);
	write_knob("readahead", self->readahead);
	write_knob("readahead_async", self->readahead_async);
	if (self->saved_swapfile[0])
		write_knob("swapfile", self->saved_swapfile);
	else
		write_knob("swapfile", "none");
	run("dmsetup remove --noudevsync " DM_NAME " 2>/dev/null");
}

/* Run @fn(@self) in a child; the signal that killed it, or -status. */
static int in_child(void (*fn)(FIXTURE_DATA(ioerror) *, size_t *),
		    FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		fn(self, progress);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1000;
	return WIFSIGNALED(status) ? WTERMSIG(status) : -WEXITSTATUS(status);
}

static void read_page0(FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	_exit(check_pages(self->map, 0, 1, 31, 0) ? 1 : 0);
}

/* Write the region's pages in order, counting them in *@progress. */
static void write_all(FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	for (size_t p = 0; p < NR_PAGES; p++) {
		fill_pages(PAGE_AT(self->map, p), p, 1, 32);
		__atomic_store_n(progress, p + 1, __ATOMIC_RELEASE);
	}
}

/* Read every page; exit 1 at the first that holds wrong data. */
static void read_all(FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	for (size_t p = 0; p < NR_PAGES; p++) {
		if (check_pages(PAGE_AT(self->map, p), p, 1, 33, 0))
			_exit(1);
		__atomic_store_n(progress, p + 1, __ATOMIC_RELEASE);
	}
}

/*
 * The device fails while page 0 is out: reading it gives SIGBUS, counted
 * in io_errors and sigbus; another region with frames of its own keeps
 * working; with the device back, page 0 and every other page read back.
 */
TEST_F_TIMEOUT(ioerror, page_in_error, 300)
{
	long long io0, bus0;
	uint8_t *other;
	int fd, bad;

	fill_pages(self->map, 0, NR_PAGES, 31);
	ASSERT_EQ(0, dm_set(self, DM_ERROR));
	io0 = read_stat("io_errors");
	bus0 = read_stat("sigbus");
	EXPECT_EQ(SIGBUS, in_child(read_page0, self, NULL));
	EXPECT_LE(1, read_stat("io_errors") - io0);
	EXPECT_LE(1, read_stat("sigbus") - bus0);

	/* Another region, given frames of its own, works meanwhile. */
	ASSERT_EQ(0, write_knob_ll("frames", read_stat("resident") + 64));
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	other = mmap(NULL, 32 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, 0);
	ASSERT_NE(MAP_FAILED, other);
	fill_pages(other, 0, 32, 34);
	EXPECT_EQ(0, check_pages(other, 0, 32, 34, 1));
	munmap(other, 32 * page_size);
	close(fd);

	ASSERT_EQ(0, dm_set(self, DM_HEALTHY));
	bad = check_pages(self->map, 0, NR_PAGES, 31, 1);
	EXPECT_EQ(0, bad);
	TH_LOG("io_errors +%lld, sigbus +%lld", read_stat("io_errors") - io0,
	       read_stat("sigbus") - bus0);
}

/*
 * An asynchronous readahead read that fails: its pages go back to their
 * slots, nothing is lost and nobody gets SIGBUS; once the device is back,
 * each is read by its own fault. Page 0's major fault reads pages 0 to 15
 * (a fixed window of 15); the device then fails, and the use of page 1
 * starts the asynchronous read of pages 16 to 30.
 */
TEST_F_TIMEOUT(ioerror, async_readahead_error, 300)
{
	long long io0, as0, bus0;

	ASSERT_EQ(0, write_knob("readahead", "0"));
	fill_pages(self->map, 0, NR_PAGES, 36);
	/* Room for every page: no eviction from here on. */
	ASSERT_EQ(0, write_knob_ll("frames",
				   read_stat("resident") + 2 * NR_PAGES));
	ASSERT_EQ(0, write_knob("readahead", "15"));
	ASSERT_EQ(0, write_knob("readahead_async", "1"));
	EXPECT_EQ(0, check_pages(self->map, 0, 1, 36, 0));
	ASSERT_EQ(0, dm_set(self, DM_ERROR));
	io0 = read_stat("io_errors");
	as0 = read_stat("readahead_async");
	bus0 = read_stat("sigbus");
	EXPECT_EQ(0, check_pages(PAGE_AT(self->map, 1), 1, 1, 36, 0));
	for (int i = 0; i < 500 && read_stat("io_errors") == io0; i++)
		usleep(10000);
	EXPECT_EQ(15, read_stat("readahead_async") - as0);
	EXPECT_LE(1, read_stat("io_errors") - io0);
	ASSERT_EQ(0, dm_set(self, DM_HEALTHY));
	EXPECT_EQ(0, check_pages(self->map, 0, NR_PAGES, 36, 0));
	EXPECT_EQ(0, read_stat("sigbus") - bus0);
	TH_LOG("asynchronous readahead of %lld pages, io_errors +%lld",
	       read_stat("readahead_async") - as0,
	       read_stat("io_errors") - io0);
}

/*
 * Every page-out fails: the writer gets SIGBUS once no frame can be
 * freed, but every page it wrote stays resident and dirty, none in swap;
 * the log holds fewer messages than errors. With the device healthy the
 * pages go out on the next pressure and all read back.
 */
TEST_F_TIMEOUT(ioerror, page_out_error, 300)
{
	struct swaplab_region_info info;
	long long io0, outs0, msgs0, io, msgs;
	size_t *done;

	done = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	*done = 0;
	ASSERT_EQ(0, dm_set(self, DM_ERROR));
	io0 = read_stat("io_errors");
	msgs0 = dmesg_count("page-out of");
	EXPECT_EQ(SIGBUS, in_child(write_all, self, done));
	io = read_stat("io_errors") - io0;
	msgs = dmesg_count("page-out of") - msgs0;
	TH_LOG("wrote %zu pages before SIGBUS; io_errors +%lld, %lld log lines",
	       *done, io, msgs);
	EXPECT_LE(NR_FRAMES / 2, *done);
	EXPECT_GE(NR_FRAMES, *done);
	EXPECT_LE(1, io);
	EXPECT_LE(1, msgs);
	EXPECT_GE(io, msgs);
	/* pr_err_ratelimited(): at most 10 lines in 5 s. */
	if (io > 10)
		EXPECT_GT(io, msgs);
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, &info));
	EXPECT_EQ(0, info.swapped);
	EXPECT_EQ(*done, info.resident);
	EXPECT_EQ(0, read_stat("swap_slots_used"));

	/* Healthy again: the kept pages go out and come back intact. */
	ASSERT_EQ(0, dm_set(self, DM_HEALTHY));
	outs0 = read_stat("swap_outs");
	fill_pages(PAGE_AT(self->map, *done), *done, NR_PAGES - *done, 32);
	EXPECT_LE(*done, read_stat("swap_outs") - outs0);
	EXPECT_EQ(0, check_pages(self->map, 0, NR_PAGES, 32, 1));
	munmap(done, page_size);
}

/*
 * A device that drops writes and reports success: the checksums catch
 * the stale slots. A reader gets SIGBUS; no page ever reads back wrong.
 */
TEST_F_TIMEOUT(ioerror, dropped_writes_caught, 300)
{
	long long csum0;
	size_t *done;
	int sig;

	done = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	if (read_knob_ll("checksum") != 1)
		SKIP(return, "checksum=0");
	/* Slots first hold other data, so a dropped write leaves it stale. */
	fill_pages(self->map, 0, NR_PAGES, 35);
	if (dm_set(self, DM_DROP_WRITES))
		SKIP(return, "no dm-flakey drop_writes");
	/*
	 * Rewrite in reverse: the resident pages first, then each fault
	 * evicts (FIFO) a page already rewritten, so that no page whose
	 * write was dropped is read here; the reader below meets them.
	 */
	for (size_t p = NR_PAGES; p-- > 0;)
		fill_pages(PAGE_AT(self->map, p), p, 1, 33);
	csum0 = read_stat("csum_errors");
	*done = 0;
	sig = in_child(read_all, self, done);
	TH_LOG("reader: signal/status %d after %zu pages; csum_errors +%lld",
	       sig, *done, read_stat("csum_errors") - csum0);
	EXPECT_EQ(SIGBUS, sig);
	EXPECT_LE(1, read_stat("csum_errors") - csum0);
	munmap(done, page_size);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Write every page but the last; blocks once no frame can be freed. */
static void write_but_last(FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	for (size_t p = 0; p + 1 < NR_PAGES; p++) {
		fill_pages(PAGE_AT(self->map, p), p, 1, 36);
		__atomic_store_n(progress, p + 1, __ATOMIC_RELEASE);
	}
	pause();
}

/*
 * read(2) from /dev/zero into the region's last page, which needs a
 * frame: the fault is taken in kernel mode, by the copy to user memory.
 */
static void read_into_last(FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	int fd = open("/dev/zero", O_RDONLY);

	__atomic_store_n(progress, 1, __ATOMIC_RELEASE);
	if (fd < 0 ||
	    read(fd, PAGE_AT(self->map, NR_PAGES - 1), page_size) < 0)
		_exit(2);
	_exit(0);
}

/* Fork @fn(@self); its pid. */
static pid_t start_child(void (*fn)(FIXTURE_DATA(ioerror) *, size_t *),
			 FIXTURE_DATA(ioerror) *self, size_t *progress)
{
	pid_t pid = fork();

	if (pid == 0) {
		fn(self, progress);
		_exit(0);
	}
	return pid;
}

/* Reap @pid within @limit seconds; the seconds it took, or -1. */
static double reap_within(pid_t pid, double limit)
{
	double t0 = now_s();
	int status;

	while (now_s() - t0 < limit) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return now_s() - t0;
		usleep(10000);
	}
	return -1;
}

/*
 * The store stalls (the dm device is suspended: I/O waits, it does not
 * fail): the daemon's page-out hangs, the budget fills with pages that
 * cannot go out, and the next fault waits for a frame. A process that
 * takes that fault inside read(2) and is then SIGKILLed must be gone
 * within 2 s: its fault answers the fatal signal instead of being
 * retried in place forever. Once the device resumes, nothing is lost and
 * every frame comes back.
 */
TEST_F_TIMEOUT(ioerror, killed_waiter_in_syscall, 300)
{
	long long killed0, stalls0;
	pid_t writer, reader;
	double took = -1;
	size_t *done;

	done = mmap(NULL, 2 * sizeof(*done), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	done[0] = 0;
	done[1] = 0;
	ASSERT_EQ(0, run("dmsetup suspend --noflush --noudevsync %s",
			 DM_NAME));
	killed0 = read_stat("faults_killed");
	writer = start_child(write_but_last, self, &done[0]);
	ASSERT_LT(0, writer);
	/* The writer stops when the budget is full and page-out hangs. */
	for (size_t last = ~0UL, i = 0; i < 50; i++) {
		sleep(1);
		if (__atomic_load_n(&done[0], __ATOMIC_ACQUIRE) == last)
			break;
		last = done[0];
	}
	TH_LOG("writer stalled after %zu of %d pages", done[0], NR_PAGES - 1);
	EXPECT_GT(NR_PAGES - 1, done[0]);
	EXPECT_EQ(0, read_stat("free_frames"));

	stalls0 = read_stat("alloc_stalls");
	reader = start_child(read_into_last, self, &done[1]);
	ASSERT_LT(0, reader);
	for (int i = 0; i < 500 && read_stat("alloc_stalls") == stalls0; i++)
		usleep(10000);
	usleep(500000);
	/* Still waiting for a frame: the wait is what is killed. */
	EXPECT_EQ(0, waitpid(reader, NULL, WNOHANG));
	EXPECT_LT(stalls0, read_stat("alloc_stalls"));
	kill(reader, SIGKILL);
	took = reap_within(reader, 5);
	TH_LOG("killed reader gone after %.3f s (-1: not within 5 s); faults_killed +%lld",
	       took, read_stat("faults_killed") - killed0);
	EXPECT_LE(0, took);
	EXPECT_GT(2, took);
	EXPECT_LE(1, read_stat("faults_killed") - killed0);

	/* Healthy again: the hung page-out completes and nothing is lost. */
	ASSERT_EQ(0, run("dmsetup resume --noudevsync %s", DM_NAME));
	if (took < 0)
		waitpid(reader, NULL, 0);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	EXPECT_EQ(0, check_pages(self->map, 0, done[0], 36, 1));
	munmap(self->map, NR_PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, wait_stat("resident", 0));
	EXPECT_EQ(read_knob_ll("frames"), read_stat("free_frames"));
	munmap(done, 2 * sizeof(*done));
}

TEST_HARNESS_MAIN
