// SPDX-License-Identifier: GPL-2.0
/*
 * Coherence through the external pager, the half of Mach's interface that
 * distributed shared memory stands on: a page supplied read-only is read
 * without asking again and written only once the pager grants it
 * (DATA_UNLOCK, SWAPLAB_PAGER_IOC_UNLOCK), with the contents the pager
 * gives; the pager takes pages back (SWAPLAB_IOC_PAGER_LOCK): flush, and
 * the next touch asks it again, even of a page never touched; clean, and
 * it has the written contents and the page is read-only; protect. A grant
 * that does not come in time is SIGBUS; a write waiting for a grant when
 * the pager takes the page back faults again instead of waiting; a pager
 * that goes lets it go on. Two processes that add to one counter while the
 * pager takes the page back and gives it again, over and over, end at
 * the exact sum: no write lost or seen twice.
 *
 * The test process is the pager; its children touch the pages (a pager's
 * own faults on pages only it holds get SIGBUS, pager_self).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define PAGES		48
#define SEED_A		0xa11ce
#define SEED_B		0xb0b
#define SEED_C		0xc0ffee
/* A data timeout that a loaded host never turns into SIGBUS. */
#define LONG_MS		10000
/* The child's exit status when a write got SIGBUS. */
#define GOT_SIGBUS	42

FIXTURE(coherence) {
	char frames[32], readahead[8], policy[32], daemon[8];
	int dev, region_fd, pager;
	uint8_t *map;
	struct swaplab_pager_ring *ring;
	size_t ring_bytes;
	uint64_t region, max_pages;
	uint8_t *copy;			/* the pager's copy of each page */
	bool ready;
};

/* Attach as the data pager with data timeout @ms, claim the region. */
static int attach(FIXTURE_DATA(coherence) *self, unsigned int ms)
{
	struct swaplab_pager_attach at = {
		.entries = 1024, .flags = SWAPLAB_PAGER_DATA,
		.data_timeout_ms = ms,
	};

	self->pager = ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at);
	if (self->pager < 0)
		return -1;
	self->ring_bytes = at.ring_bytes;
	self->ring = mmap(NULL, at.ring_bytes, PROT_READ | PROT_WRITE,
			  MAP_SHARED, self->pager, 0);
	if (self->ring == MAP_FAILED)
		return -1;
	return ioctl(self->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &self->pager);
}

static void detach(FIXTURE_DATA(coherence) *self)
{
	if (self->ring && self->ring != MAP_FAILED)
		munmap(self->ring, self->ring_bytes);
	self->ring = NULL;
	if (self->pager >= 0)
		close(self->pager);
	self->pager = -1;
}

FIXTURE_SETUP(coherence)
{
	struct swaplab_region_info info;

	page_size = sysconf(_SC_PAGESIZE);
	self->ready = false;
	self->dev = -1;
	self->region_fd = -1;
	self->pager = -1;
	self->map = MAP_FAILED;
	self->ring = NULL;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	read_knob("frames", self->frames, sizeof(self->frames));
	read_knob("readahead", self->readahead, sizeof(self->readahead));
	read_knob("policy", self->policy, sizeof(self->policy));
	read_knob("daemon", self->daemon, sizeof(self->daemon));
	self->ready = true;
	/*
	 * Room for every page: nothing is evicted, only taken back, but
	 * where a test evicts on purpose (FIFO, in the faulting thread).
	 */
	ASSERT_EQ(0, write_knob_ll("frames", 4 * PAGES));
	ASSERT_EQ(0, write_knob("readahead", "0"));
	ASSERT_EQ(0, write_knob("daemon", "0"));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	self->copy = calloc(PAGES, page_size);
	ASSERT_NE(NULL, self->copy);
	self->dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev);
	self->region_fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->region_fd);
	self->map = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->region_fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	ASSERT_EQ(0, ioctl(self->region_fd, SWAPLAB_IOC_REGION_INFO, &info));
	self->region = info.id;
	self->max_pages = info.size / page_size;
}

FIXTURE_TEARDOWN(coherence)
{
	if (!self->ready)
		return;
	detach(self);
	if (self->map != MAP_FAILED)
		munmap(self->map, PAGES * page_size);
	if (self->region_fd >= 0)
		close(self->region_fd);
	if (self->dev >= 0)
		close(self->dev);
	free(self->copy);
	write_knob("policy", self->policy);
	write_knob("daemon", self->daemon);
	write_knob("readahead", self->readahead);
	write_knob("frames", self->frames);
}

/* The next event in the ring, waiting up to @ms; false if none came. */
static bool next_event(FIXTURE_DATA(coherence) *self,
		       struct swaplab_pager_event *ev, int ms)
{
	struct swaplab_pager_ring *r = self->ring;
	uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);

	if (head == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = self->pager, .events = POLLIN };

		if (poll(&pfd, 1, ms) <= 0 ||
		    head == __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE))
			return false;
	}
	*ev = ((struct swaplab_pager_event *)
	       ((char *)r + SWAPLAB_PAGER_RING_EVENTS))[head & r->mask];
	__atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
	return true;
}

/*
 * Wait up to @ms for an event of @type about page @index; the others that
 * come first are the pager's to ignore here (none is expected: nothing is
 * evicted). False if it did not come.
 */
static bool wait_event(FIXTURE_DATA(coherence) *self, uint16_t type,
		       uint64_t index, int ms, struct swaplab_pager_event *ev)
{
	for (int waited = 0; waited < ms; waited += 100)
		while (next_event(self, ev, 100))
			if (ev->type == type && ev->index == index &&
			    ev->region == self->region)
				return true;
	return false;
}

/*
 * No event about page @index of the region comes within @ms (others, such
 * as REGION_GONE of another region, are passed over).
 */
static bool quiet(FIXTURE_DATA(coherence) *self, uint64_t index, int ms)
{
	struct swaplab_pager_event ev;

	while (next_event(self, &ev, ms))
		if (ev.region == self->region && ev.index == index)
			return false;
	return true;
}

/* Page @p of the pager's copy. */
static uint8_t *copy_of(FIXTURE_DATA(coherence) *self, size_t p)
{
	return PAGE_AT(self->copy, p);
}

static int supply(FIXTURE_DATA(coherence) *self,
		  const struct swaplab_pager_event *ev, const void *buf,
		  bool rdonly)
{
	struct swaplab_pager_data d = {
		.region = ev->region, .index = ev->index, .seq = ev->arg,
		.buf = (uintptr_t)buf,
		.flags = rdonly ? SWAPLAB_PAGER_SUPPLY_RDONLY : 0,
	};

	return ioctl(self->pager, SWAPLAB_PAGER_IOC_SUPPLY, &d);
}

static int unlock(FIXTURE_DATA(coherence) *self,
		  const struct swaplab_pager_event *ev, const void *buf)
{
	struct swaplab_pager_data d = {
		.region = ev->region, .index = ev->index, .seq = ev->arg,
		.buf = (uintptr_t)buf,
	};

	return ioctl(self->pager, SWAPLAB_PAGER_IOC_UNLOCK, &d);
}

/*
 * SWAPLAB_IOC_PAGER_LOCK @op on pages [@index, @index + @nr): contents to
 * the pager's copy, statuses to @status; the call's result, *@done set.
 */
static int lock_pages(FIXTURE_DATA(coherence) *self, unsigned int op,
		      uint64_t index, uint32_t nr, uint8_t *status,
		      uint32_t *done)
{
	struct swaplab_pager_lock lk = {
		.pager_fd = self->pager, .op = op, .index = index, .nr = nr,
		.buf = op == SWAPLAB_PAGER_LOCK_PROTECT ? 0 :
		       (uintptr_t)copy_of(self, index),
		.status = (uintptr_t)status, .done = 12345,
	};
	int ret = ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk);

	if (done)
		*done = lk.done;
	return ret;
}

/* One page's status after @op on it alone; -1 if the call failed. */
static int lock_one(FIXTURE_DATA(coherence) *self, unsigned int op,
		    uint64_t index)
{
	uint8_t status = 0xff;
	uint32_t done;

	if (lock_pages(self, op, index, 1, &status, &done) || done != 1)
		return -1;
	return status;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * In a child, dead with the test: read page @p (its first word, which
 * must be @seed's pattern, or anything for a 0 @seed), then write @byte
 * at offset @off of it, then check the page: @after's pattern but @byte
 * at @off (0: not checked). Exit 0 if all held, GOT_SIGBUS at SIGBUS, 1
 * otherwise.
 */
static pid_t touch(FIXTURE_DATA(coherence) *self, size_t p, uint64_t seed,
		   size_t off, uint8_t byte, uint64_t after)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	uint8_t *at = PAGE_AT(self->map, p);
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The pager's file would keep the pager attached for the child. */
	if (self->pager >= 0)
		close(self->pager);
	close(self->dev);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1))
		_exit(GOT_SIGBUS);
	if (seed && __atomic_load_n((uint64_t *)at, __ATOMIC_RELAXED) !=
		    pattern(p, 0, seed))
		_exit(1);
	__atomic_store_n(&at[off], byte, __ATOMIC_RELAXED);
	if (after) {
		uint8_t *want = malloc(page_size);

		if (!want)
			_exit(1);
		fill_pages(want, p, 1, after);
		want[off] = byte;
		if (memcmp(at, want, page_size))
			_exit(1);
	}
	_exit(0);
}

/*
 * In a child that lives on: write @byte at offset i of page @p, one
 * write a step, each step after a byte on @go from the test, each one
 * told on @done; the mapping it wrote through stays. Exit as touch().
 */
static pid_t writer(FIXTURE_DATA(coherence) *self, size_t p, uint8_t byte,
		    int steps, int go, int done)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	uint8_t *at = PAGE_AT(self->map, p);
	pid_t pid = fork();
	char c;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (self->pager >= 0)
		close(self->pager);
	close(self->dev);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1))
		_exit(GOT_SIGBUS);
	for (int i = 0; i < steps; i++) {
		if (read(go, &c, 1) != 1)
			_exit(1);
		__atomic_store_n(&at[i], byte, __ATOMIC_RELAXED);
		if (write(done, &c, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

/* The exit status of child @pid, GOT_SIGBUS for SIGBUS, -1 otherwise. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Is child @pid still running after @ms? (It waits for the pager.) */
static bool still_running(pid_t pid, int ms)
{
	usleep(ms * 1000);
	return waitpid(pid, NULL, WNOHANG) == 0;
}

/*
 * A page supplied read-only reads with no second request; its first write
 * waits for DATA_UNLOCK's answer and takes the contents the pager gives
 * (or keeps its own, for an UNLOCK without a buffer); later writes ask
 * nothing. A page supplied writable is written with no DATA_UNLOCK.
 */
TEST_F_TIMEOUT(coherence, read_only_until_the_pager_grants_a_write, 120)
{
	long long unlocks0 = read_stat("pager_unlocks");
	uint8_t *want = malloc(page_size);
	struct swaplab_pager_event ev;
	uint8_t status[PAGES];
	uint32_t done;
	pid_t pid;

	ASSERT_EQ(0, attach(self, LONG_MS));
	/* Every page is the pager's: the first touch of each asks it. */
	ASSERT_EQ(0, lock_pages(self, SWAPLAB_PAGER_LOCK_FLUSH, 0, PAGES,
				status, &done));
	EXPECT_EQ(PAGES, done);
	for (int i = 0; i < PAGES; i++)
		EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT, status[i]);

	/* Page 3: read-only, the write granted with new contents. */
	fill_pages(copy_of(self, 3), 3, 1, SEED_A);
	pid = touch(self, 3, SEED_A, 100, 0xab, SEED_B);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 3, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 3), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 3, LONG_MS,
			       &ev));
	/* The write waits for the answer, and only that. */
	EXPECT_TRUE(still_running(pid, 200));
	fill_pages(copy_of(self, 3), 3, 1, SEED_B);
	EXPECT_EQ(0, unlock(self, &ev, copy_of(self, 3)));
	EXPECT_EQ(0, reap(pid));
	/* The same answer again is too late. */
	EXPECT_EQ(-1, unlock(self, &ev, NULL));
	EXPECT_EQ(ESRCH, errno);

	/* Written now: its next write asks nothing. */
	pid = touch(self, 3, SEED_B, 200, 0xcd, 0);
	EXPECT_EQ(0, reap(pid));
	EXPECT_TRUE(quiet(self, 3, 200));

	/* Page 4: read-only, the write granted as it is. */
	fill_pages(copy_of(self, 4), 4, 1, SEED_A);
	pid = touch(self, 4, SEED_A, 7, 0x11, SEED_A);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 4, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 4), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 4, LONG_MS,
			       &ev));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));

	/* Page 5: supplied writable, written with no DATA_UNLOCK. */
	fill_pages(copy_of(self, 5), 5, 1, SEED_A);
	pid = touch(self, 5, SEED_A, 9, 0x22, SEED_A);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 5, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 5), false));
	EXPECT_EQ(0, reap(pid));
	EXPECT_TRUE(quiet(self, 5, 200));

	EXPECT_EQ(2, read_stat("pager_unlocks") - unlocks0);
	/* What the pager takes back is what was written. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 3));
	EXPECT_EQ(0xab, copy_of(self, 3)[100]);
	EXPECT_EQ(0xcd, copy_of(self, 3)[200]);
	fill_pages(want, 3, 1, SEED_B);
	want[100] = 0xab;
	want[200] = 0xcd;
	EXPECT_EQ(0, memcmp(want, copy_of(self, 3), page_size));
	free(want);
}

/*
 * Clean hands the written contents over and makes the page read-only;
 * clean again finds it unwritten; protect makes it read-only and hands
 * nothing; flush drops it, and the next touch asks the pager, also for a
 * page never touched here.
 */
TEST_F_TIMEOUT(coherence, clean_protect_and_flush, 120)
{
	long long locked0 = read_stat("pager_locked");
	uint8_t *want = calloc(1, page_size);
	struct swaplab_pager_event ev;
	pid_t pid;

	ASSERT_EQ(0, attach(self, LONG_MS));
	/* Page 6 never touched: its first touch zero-fills, no pager. */
	pid = touch(self, 6, 0, 0, 0x33, 0);
	EXPECT_EQ(0, reap(pid));
	EXPECT_TRUE(quiet(self, 6, 200));

	/* Written whole, then cleaned: the pager has it, read-only. */
	memset(copy_of(self, 6), 0, page_size);
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 6));
	EXPECT_EQ(0x33, copy_of(self, 6)[0]);
	EXPECT_EQ(1, count_nonzero(copy_of(self, 6), page_size));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_CLEAN_PAGE,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 6));
	pid = touch(self, 6, 0, 1, 0x44, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 6, LONG_MS,
			       &ev));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));

	/* Protect: read-only again, written, and nothing handed over. */
	memset(copy_of(self, 6), 0x77, page_size);
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_PROTECT, 6));
	EXPECT_EQ(0x77, copy_of(self, 6)[0]);
	pid = touch(self, 6, 0, 2, 0x55, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 6, LONG_MS,
			       &ev));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));

	/* Flush: every write since is handed over, and the page goes. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 6));
	want[0] = 0x33;
	want[1] = 0x44;
	want[2] = 0x55;
	EXPECT_EQ(0, memcmp(want, copy_of(self, 6), page_size));
	/* It is the pager's now: the next touch asks for it. */
	pid = touch(self, 6, 0, 3, 0x66, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 6, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 6), false));
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 6));
	want[3] = 0x66;
	EXPECT_EQ(0, memcmp(want, copy_of(self, 6), page_size));
	/* Flushed again with no copy here: nothing to hand over. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 6));

	/*
	 * Page 12, written by a process whose mapping stays: clean, then
	 * protect, then flush take its write access away there too.
	 */
	{
		int go[2], done[2];
		char c = 0;

		ASSERT_EQ(0, pipe(go));
		ASSERT_EQ(0, pipe(done));
		pid = writer(self, 12, 0xc1, 4, go[0], done[1]);
		ASSERT_EQ(1, write(go[1], &c, 1));
		ASSERT_EQ(1, read(done[0], &c, 1));
		EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
			  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 12));
		ASSERT_EQ(1, write(go[1], &c, 1));
		ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 12,
				       LONG_MS, &ev));
		EXPECT_EQ(0, unlock(self, &ev, NULL));
		ASSERT_EQ(1, read(done[0], &c, 1));
		EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
			  lock_one(self, SWAPLAB_PAGER_LOCK_PROTECT, 12));
		ASSERT_EQ(1, write(go[1], &c, 1));
		ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 12,
				       LONG_MS, &ev));
		EXPECT_EQ(0, unlock(self, &ev, NULL));
		ASSERT_EQ(1, read(done[0], &c, 1));
		EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
			  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 12));
		ASSERT_EQ(1, write(go[1], &c, 1));
		ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 12,
				       LONG_MS, &ev));
		ASSERT_EQ(0, supply(self, &ev, copy_of(self, 12), false));
		ASSERT_EQ(1, read(done[0], &c, 1));
		EXPECT_EQ(0, reap(pid));
		EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
			  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 12));
		for (int i = 0; i < 4; i++)
			EXPECT_EQ(0xc1, copy_of(self, 12)[i]);
		close(go[0]);
		close(go[1]);
		close(done[0]);
		close(done[1]);
	}

	/* Page 9, never touched, flushed: its first touch asks too. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 9));
	fill_pages(copy_of(self, 9), 9, 1, SEED_C);
	pid = touch(self, 9, SEED_C, 0, 0x99, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 9, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 9), false));
	EXPECT_EQ(0, reap(pid));
	/* Clean and protect find no page where none is. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 10));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_PROTECT, 10));
	/* Nine calls found a page: page 6's five, page 12's four. */
	EXPECT_EQ(9, read_stat("pager_locked") - locked0);
	free(want);
}

/*
 * A write the pager does not grant within its data timeout fails with
 * SIGBUS, counted, and the page keeps its contents.
 */
TEST_F_TIMEOUT(coherence, a_write_not_granted_in_time_gets_sigbus, 120)
{
	long long timeouts0 = read_stat("pager_unlock_timeouts");
	struct swaplab_pager_event ev;
	pid_t pid;

	ASSERT_EQ(0, attach(self, 1500));
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 2));
	fill_pages(copy_of(self, 2), 2, 1, SEED_A);
	pid = touch(self, 2, SEED_A, 5, 0x5a, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 2, 5000,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 2), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 2, 5000,
			       &ev));
	EXPECT_EQ(GOT_SIGBUS, reap(pid));
	EXPECT_EQ(1, read_stat("pager_unlock_timeouts") - timeouts0);
	EXPECT_EQ(-1, unlock(self, &ev, NULL));
	EXPECT_EQ(ESRCH, errno);
	memset(copy_of(self, 2), 0, page_size);
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_CLEAN_PAGE,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 2));
}

/*
 * The pager takes back a page whose write waits for its grant: the call
 * does not wait for the write (which holds the page), the write's
 * request is withdrawn (its UNLOCK fails), and the write faults again and
 * asks for the page anew. A page whose fault waits for the pager's SUPPLY
 * is absent, and the call does not wait for that fault either.
 */
TEST_F_TIMEOUT(coherence, taking_a_page_back_revokes_the_waiting_write, 120)
{
	struct swaplab_pager_event ev, old;
	pid_t pid;

	ASSERT_EQ(0, attach(self, LONG_MS));
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 4));
	fill_pages(copy_of(self, 4), 4, 1, SEED_A);
	pid = touch(self, 4, SEED_A, 64, 0x64, SEED_B);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 4, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 4), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 4, LONG_MS,
			       &old));
	/* Not written: the write waits. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_CLEAN_PAGE,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 4));
	EXPECT_EQ(-1, unlock(self, &old, NULL));
	EXPECT_EQ(ESRCH, errno);
	/* The write asks for the page again, and gets the new contents. */
	fill_pages(copy_of(self, 4), 4, 1, SEED_B);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 4, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 4), false));
	EXPECT_EQ(0, reap(pid));

	/*
	 * A page a fault waits for from the pager is not here yet: the call
	 * does not wait for that fault, which the pager then answers.
	 */
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 11));
	fill_pages(copy_of(self, 11), 11, 1, SEED_C);
	pid = touch(self, 11, SEED_C, 1, 0x01, SEED_C);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 11, LONG_MS,
			       &ev));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 11));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 11));
	EXPECT_EQ(0, supply(self, &ev, copy_of(self, 11), false));
	EXPECT_EQ(0, reap(pid));
}

/* A pager that goes while a write waits for it lets the write go on. */
TEST_F_TIMEOUT(coherence, a_pager_that_goes_lets_the_write_go_on, 120)
{
	long long unlocks0 = read_stat("pager_unlocks");
	struct swaplab_pager_event ev;
	pid_t pid;

	ASSERT_EQ(0, attach(self, LONG_MS));
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 8));
	fill_pages(copy_of(self, 8), 8, 1, SEED_A);
	pid = touch(self, 8, SEED_A, 8, 0x88, SEED_A);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 8, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 8), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 8, LONG_MS,
			       &ev));
	EXPECT_TRUE(still_running(pid, 200));
	detach(self);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(1, read_stat("pager_unlocks") - unlocks0);
	/* The page is the region's own again: written with no pager. */
	pid = touch(self, 8, SEED_A, 9, 0x89, 0);
	EXPECT_EQ(0, reap(pid));
}

/* Each bad call fails with its errno, and changes nothing. */
TEST_F_TIMEOUT(coherence, bad_calls_fail_and_change_nothing, 120)
{
	struct swaplab_pager_event ev;
	struct swaplab_pager_lock lk;
	struct swaplab_pager_data d;
	uint8_t status[PAGES];
	int other, ro, null;
	pid_t pid;

	/* No pager yet: the descriptor names none. */
	null = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, null);
	lk = (struct swaplab_pager_lock){
		.pager_fd = null, .op = SWAPLAB_PAGER_LOCK_FLUSH, .nr = 1,
		.buf = (uintptr_t)self->copy, .status = (uintptr_t)status,
	};
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EBADF, errno);
	lk.pager_fd = -1;
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EBADF, errno);
	close(null);

	ASSERT_EQ(0, attach(self, LONG_MS));
	/* A region it did not claim. */
	other = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, other);
	lk.pager_fd = self->pager;
	EXPECT_EQ(-1, ioctl(other, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EPERM, errno);
	close(other);
	/* A file not open for writing, before anything else. */
	ro = open(SWAPLAB_DEVICE, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-1, ioctl(ro, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EBADF, errno);
	close(ro);

	/* Bad arguments, each alone; the region ends at its size limit. */
	struct {
		uint32_t op, nr;
		uint64_t index, buf, reserved;
	} bad[] = {
		{ 0, 1, 0, 1, 0 },
		{ 4, 1, 0, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 0, 0, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, SWAPLAB_PAGER_LOCK_MAX + 1, 0, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 1, self->max_pages, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 2, self->max_pages - 1, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 1, UINT64_MAX, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 1, 0, 0, 0 },
		{ SWAPLAB_PAGER_LOCK_CLEAN, 1, 0, 0, 0 },
		{ SWAPLAB_PAGER_LOCK_PROTECT, 1, 0, 1, 0 },
		{ SWAPLAB_PAGER_LOCK_FLUSH, 1, 0, 1, 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		lk = (struct swaplab_pager_lock){
			.pager_fd = self->pager, .op = bad[i].op,
			.nr = bad[i].nr, .index = bad[i].index,
			.buf = bad[i].buf ? (uintptr_t)self->copy : 0,
			.status = (uintptr_t)status,
			.reserved = bad[i].reserved, .done = 7,
		};
		EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK,
				    &lk)) TH_LOG("bad[%zu]", i);
		EXPECT_EQ(EINVAL, errno) TH_LOG("bad[%zu]", i);
		EXPECT_EQ(0, lk.done) TH_LOG("bad[%zu]", i);
	}

	/*
	 * Page 1 written here, then flushed into a buffer the kernel cannot
	 * write: EFAULT, and the page stays, written, for the good call.
	 */
	pid = touch(self, 1, 0, 10, 0x10, 0);
	EXPECT_EQ(0, reap(pid));
	lk = (struct swaplab_pager_lock){
		.pager_fd = self->pager, .op = SWAPLAB_PAGER_LOCK_FLUSH,
		.nr = 1, .index = 1, .buf = 8, .status = (uintptr_t)status,
	};
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lk.done);
	/* Still here, unchanged: its write asks nothing. */
	pid = touch(self, 1, 0, 11, 0x11, 0);
	EXPECT_EQ(0, reap(pid));
	EXPECT_TRUE(quiet(self, 1, 100));
	/*
	 * A status the kernel cannot write: the page is taken back, its
	 * contents handed over, and counted in done, the call failing after.
	 */
	memset(copy_of(self, 1), 0, page_size);
	lk.buf = (uintptr_t)copy_of(self, 1);
	lk.status = 8;
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_LOCK, &lk));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(1, lk.done);
	EXPECT_EQ(0x10, copy_of(self, 1)[10]);
	EXPECT_EQ(0x11, copy_of(self, 1)[11]);
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 1));

	/* Answers that do not fit the request. */
	fill_pages(copy_of(self, 1), 1, 1, SEED_A);
	pid = touch(self, 1, SEED_A, 12, 0x12, SEED_A);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 1, LONG_MS,
			       &ev));
	d = (struct swaplab_pager_data){
		.region = ev.region, .index = ev.index, .seq = ev.arg,
		.buf = (uintptr_t)copy_of(self, 1), .flags = 2,
	};
	EXPECT_EQ(-1, ioctl(self->pager, SWAPLAB_PAGER_IOC_SUPPLY, &d));
	EXPECT_EQ(EINVAL, errno);
	/* An UNLOCK is no answer to a DATA_REQUEST. */
	EXPECT_EQ(-1, unlock(self, &ev, NULL));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 1), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 1, LONG_MS,
			       &ev));
	/* A SUPPLY is no answer to a DATA_UNLOCK; nor another page, flags. */
	EXPECT_EQ(-1, supply(self, &ev, copy_of(self, 1), false));
	EXPECT_EQ(EINVAL, errno);
	d = (struct swaplab_pager_data){
		.region = ev.region, .index = ev.index + 1, .seq = ev.arg,
	};
	EXPECT_EQ(-1, ioctl(self->pager, SWAPLAB_PAGER_IOC_UNLOCK, &d));
	EXPECT_EQ(EINVAL, errno);
	d.index = ev.index;
	d.flags = 1;
	EXPECT_EQ(-1, ioctl(self->pager, SWAPLAB_PAGER_IOC_UNLOCK, &d));
	EXPECT_EQ(EINVAL, errno);
	d.flags = 0;
	d.buf = 8;
	EXPECT_EQ(-1, ioctl(self->pager, SWAPLAB_PAGER_IOC_UNLOCK, &d));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(still_running(pid, 100));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));
}

/*
 * In a child, dead with the test: write page @p's first word, then every
 * page from @first to @last (zero-filled, never flushed): FIFO evicts
 * what came before, @p among the first. Exit as touch().
 */
static pid_t write_and_evict(FIXTURE_DATA(coherence) *self, size_t p,
			     size_t first, size_t last)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (self->pager >= 0)
		close(self->pager);
	close(self->dev);
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1))
		_exit(GOT_SIGBUS);
	if (p < PAGES)
		__atomic_store_n(PAGE_AT(self->map, p), 0x77, __ATOMIC_RELAXED);
	for (size_t i = first; i <= last; i++)
		__atomic_store_n(PAGE_AT(self->map, i), 1, __ATOMIC_RELAXED);
	_exit(0);
}

/*
 * A read-only page stays read-only out of memory: one the pager has a
 * copy of leaves clean and is asked for again (DATA_REQUEST), not
 * zero-filled nor mapped writable; one written and then protected goes
 * to the pager (DATA_RETURN) and, copied back from its buffer by the
 * next fault before the pager takes it, is still read-only: the write
 * asks (DATA_UNLOCK).
 */
TEST_F_TIMEOUT(coherence, a_read_only_page_stays_read_only_out_of_memory, 180)
{
	struct swaplab_pager_event ev;
	bool kept = false, returned = false;
	pid_t pid;

	ASSERT_EQ(0, attach(self, LONG_MS));
	ASSERT_EQ(0, write_knob_ll("frames", 16));
	/* Page 40: supplied read-only, then evicted, clean. */
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 40));
	fill_pages(copy_of(self, 40), 40, 1, SEED_A);
	pid = touch(self, 40, SEED_A, 0, 0x40, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 40, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 40), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 40, LONG_MS,
			       &ev));
	/* No grant: the pager takes it back clean instead. */
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_CLEAN_PAGE,
		  lock_one(self, SWAPLAB_PAGER_LOCK_CLEAN, 40));
	/* The write faults again, and asks again: granted. */
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 40, LONG_MS,
			       &ev));
	/* Not yet: first evict it, with the write waiting elsewhere... */
	kill(pid, SIGKILL);
	EXPECT_EQ(-1, reap(pid));
	pid = write_and_evict(self, PAGES, 0, 31);
	EXPECT_EQ(0, reap(pid));
	while (next_event(self, &ev, 200))
		kept |= ev.type == SWAPLAB_PAGER_DATA_KEPT && ev.index == 40;
	EXPECT_TRUE(kept);
	/* ...then its next write asks for the page: not zeroes, not mapped. */
	pid = touch(self, 40, SEED_A, 1, 0x41, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_REQUEST, 40, LONG_MS,
			       &ev));
	ASSERT_EQ(0, supply(self, &ev, copy_of(self, 40), true));
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 40, LONG_MS,
			       &ev));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));

	/* Page 41: written here, protected, evicted, not taken. */
	pid = touch(self, 41, 0, 0, 0x41, 0);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_PROTECT, 41));
	pid = write_and_evict(self, PAGES, 0, 31);
	EXPECT_EQ(0, reap(pid));
	while (next_event(self, &ev, 200))
		returned |= ev.type == SWAPLAB_PAGER_DATA_RETURN &&
			    ev.index == 41;
	EXPECT_TRUE(returned);
	/* Copied back from its buffer, read-only still: the write asks. */
	pid = touch(self, 41, 0, 1, 0x42, 0);
	ASSERT_TRUE(wait_event(self, SWAPLAB_PAGER_DATA_UNLOCK, 41, LONG_MS,
			       &ev));
	EXPECT_EQ(0, unlock(self, &ev, NULL));
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(SWAPLAB_PAGER_LOCK_WRITTEN,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, 41));
	EXPECT_EQ(0x41, copy_of(self, 41)[0]);
	EXPECT_EQ(0x42, copy_of(self, 41)[1]);
}

/* The counter's page: a word each child adds to. */
#define COUNTER_PAGE	7

/* What the adders did, in memory the test shares with them (not the region's). */
struct adders {
	bool stop;
	uint64_t adds[2];
};

/*
 * Two processes add 1 to one word, atomically, each counting its adds,
 * while the pager takes the page back (flush, clean, protect) and gives
 * it again (SUPPLY read-only or not, UNLOCK with its copy or without) as
 * fast as it can, until at least 50 of its takings back found the page
 * written (the adders had it between two of them) and 200 were made:
 * the word ends at exactly the sum of the adds, in the pager's copy. A
 * write lost or applied twice would show.
 */
TEST_F_TIMEOUT(coherence, no_write_lost_or_doubled_while_pages_move, 300)
{
	uint64_t *word = (uint64_t *)PAGE_AT(self->map, COUNTER_PAGE);
	long lockops = 0, written = 0, answers = 0;
	/* Its copy is the page's but after a protect of a written page. */
	bool current = true;
	struct swaplab_pager_event ev;
	unsigned int rnd = 1;
	struct adders *ad;
	time_t deadline;
	pid_t pid[2];
	int running = 2;

	ad = mmap(NULL, sizeof(*ad), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ad);
	ASSERT_EQ(0, attach(self, LONG_MS));
	ASSERT_EQ(SWAPLAB_PAGER_LOCK_ABSENT,
		  lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, COUNTER_PAGE));
	for (int c = 0; c < 2; c++) {
		pid[c] = fork();
		ASSERT_LE(0, pid[c]);
		if (!pid[c]) {
			uint64_t n = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(self->pager);
			close(self->dev);
			while (!__atomic_load_n(&ad->stop, __ATOMIC_RELAXED)) {
				__atomic_add_fetch(word, 1, __ATOMIC_SEQ_CST);
				n++;
			}
			__atomic_store_n(&ad->adds[c], n, __ATOMIC_RELEASE);
			_exit(0);
		}
	}
	deadline = time(NULL) + 120;
	while (running) {
		uint8_t *page = copy_of(self, COUNTER_PAGE);
		unsigned int op;
		int status;

		/* Every answer waiting, then a taking back, and again. */
		while (next_event(self, &ev, 0)) {
			rnd = rnd * 1103515245 + 12345;
			ASSERT_EQ(COUNTER_PAGE, ev.index);
			if (ev.type == SWAPLAB_PAGER_DATA_REQUEST) {
				ASSERT_EQ(0, supply(self, &ev, page,
						    rnd & 0x100));
			} else if (ev.type == SWAPLAB_PAGER_DATA_UNLOCK) {
				/* ESRCH: taken back meanwhile, asked again. */
				ASSERT_TRUE(!unlock(self, &ev,
						    current && rnd & 0x200 ?
						    page : NULL) ||
					    errno == ESRCH);
			}
			answers++;
		}
		if ((written >= 50 && lockops >= 200) || time(NULL) > deadline)
			__atomic_store_n(&ad->stop, true, __ATOMIC_RELAXED);
		rnd = rnd * 1103515245 + 12345;
		op = 1 + (rnd >> 16) % 3;
		status = lock_one(self, op, COUNTER_PAGE);
		ASSERT_LE(0, status);
		if (op != SWAPLAB_PAGER_LOCK_PROTECT)
			current = true;
		else if (status == SWAPLAB_PAGER_LOCK_WRITTEN)
			current = false;
		if (!__atomic_load_n(&ad->stop, __ATOMIC_RELAXED)) {
			written += status == SWAPLAB_PAGER_LOCK_WRITTEN;
			lockops++;
		}
		for (int c = 0; c < 2; c++) {
			int st;

			if (pid[c] && waitpid(pid[c], &st, WNOHANG) == pid[c]) {
				ASSERT_TRUE(WIFEXITED(st));
				ASSERT_EQ(0, WEXITSTATUS(st));
				pid[c] = 0;
				running--;
			}
		}
	}
	/* Take it back a last time: the pager's copy holds the sum. */
	lock_one(self, SWAPLAB_PAGER_LOCK_FLUSH, COUNTER_PAGE);
	TH_LOG("%llu + %llu adds, %ld answers, %ld takings back, %ld of a written page",
	       (unsigned long long)ad->adds[0], (unsigned long long)ad->adds[1],
	       answers, lockops, written);
	EXPECT_EQ(ad->adds[0] + ad->adds[1],
		  *(uint64_t *)copy_of(self, COUNTER_PAGE));
	EXPECT_LE(50, written);
	munmap(ad, sizeof(*ad));
}

TEST_HARNESS_MAIN
