// SPDX-License-Identifier: GPL-2.0
/*
 * Page data from the external pager (Mach's data_request, data_supply and
 * data_return): a pager attached with SWAPLAB_PAGER_DATA claims a region,
 * takes its dirty pages as they leave memory and supplies them at the
 * faults. Every byte comes back; the pager keeps the pages, not the swap
 * store; a clean page it has a copy of leaves with no copy at all; bad
 * answers fail with their errno; a stopped pager makes a fault fail with
 * SIGBUS after the timeout, and serve again once it runs; a killed one
 * loses only the pages it alone held (SIGBUS, counted), which a discard
 * makes read as zeroes again, and none it left in the kernel's buffers,
 * even with no store to take them, which the next pager cannot TAKE; a
 * page whose DATA_RETURN finds the pager's ring full goes to the store at
 * once. A fault waiting for the pager holds only its VMA's lock where the
 * kernel has per-VMA locks (6.7 on), so that mmap() in the same process
 * goes on meanwhile. Reclaim runs in the faulting thread (daemon=0)
 * under FIFO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET		64
#define PAGES		256	/* the region: 4x the budget */
#define SEED		0x5eed

/* What the pager child did, in memory it shares with the test. */
struct served {
	long takes;		/* TAKEs that succeeded */
	long supplies;		/* SUPPLYs that succeeded */
	long stale;		/* TAKEs or SUPPLYs answered ESRCH */
	long missing;		/* DATA_REQUESTs for a page it did not hold */
	long kept;		/* DATA_KEPT events */
	long discards;		/* DATA_DISCARD events */
	long gone;		/* REGION_GONE events */
	long errors;		/* other failures */
	int bad_answers[4];	/* garbage mode: errno of each bad SUPPLY */
	int bad_takes[3];	/* and of each bad TAKE */
	bool drain;		/* PEEK mode: move the head from now on */
	bool drained;		/* PEEK mode: it has moved the head */
	bool held[PAGES];	/* pages it holds a copy of */
	long nr_returns;	/* IGNORE mode: DATA_RETURNs heard */
	struct swaplab_pager_event returns[PAGES];	/* and what they said */
};

static struct served *served;

/*
 * How the pager child answers. PEEK reads and answers every event but
 * never moves the ring's head, so that its ring of the fewest places a
 * data pager may have fills up and the kernel drops what follows. IGNORE
 * reads every event and records the DATA_RETURNs, but never TAKEs: the
 * pages stay in the kernel's buffers.
 */
enum mode { SERVE, SERVE_GARBAGE_FIRST, PEEK, IGNORE };

/*
 * The data timeout of tests that check what the pager serves, not how
 * long a fault waits: long enough that a host shared with other guests
 * never turns a slow answer into SIGBUS.
 */
#define SERVE_TIMEOUT_MS	10000

/* A data pager's ring: 4 times the places kept for page data events. */
#define PEEK_ENTRIES	256

static int attach_data(int dev, __u32 timeout_ms, __u32 entries, void **ring,
		       size_t *bytes)
{
	struct swaplab_pager_attach at = {
		.entries = entries, .flags = SWAPLAB_PAGER_DATA,
		.data_timeout_ms = timeout_ms,
	};
	int fd = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &at);

	if (fd < 0)
		return -1;
	*bytes = at.ring_bytes;
	*ring = mmap(NULL, *bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*ring == MAP_FAILED) {
		close(fd);
		return -1;
	}
	return fd;
}

static void count(long *what)
{
	__atomic_add_fetch(what, 1, __ATOMIC_RELAXED);
}

static long seen(long *what)
{
	return __atomic_load_n(what, __ATOMIC_RELAXED);
}

/*
 * Garbage mode: @cmd (SUPPLY or TAKE) with @d's right number for another
 * page, a buffer the kernel cannot read or write, and a number nothing
 * has; each one's errno (0 if it passed) in @err.
 */
static void try_bad_answers(int fd, unsigned long cmd,
			    const struct swaplab_pager_data *d, int err[3])
{
	struct swaplab_pager_data bad = *d;

	bad.index = d->index + 1;
	err[0] = ioctl(fd, cmd, &bad) ? errno : 0;
	bad = *d;
	bad.buf = 8;
	err[1] = ioctl(fd, cmd, &bad) ? errno : 0;
	bad = *d;
	bad.seq = d->seq + (1ull << 31);
	err[2] = ioctl(fd, cmd, &bad) ? errno : 0;
}

/* The pager's answer to a DATA_REQUEST, bad ones first in garbage mode. */
static void supply(int fd, const struct swaplab_pager_event *e,
		   uint8_t *store, enum mode mode)
{
	struct swaplab_pager_data d = {
		.region = e->region, .index = e->index, .seq = e->arg,
		.buf = (uintptr_t)(store + e->index * page_size),
	};

	if (e->index >= PAGES || !served->held[e->index]) {
		count(&served->missing);
		return;
	}
	if (mode == SERVE_GARBAGE_FIRST && !served->bad_answers[0]) {
		struct swaplab_pager_data bad = d;

		try_bad_answers(fd, SWAPLAB_PAGER_IOC_SUPPLY, &d,
				served->bad_answers);
		/* No request has a number past 32 bits. */
		bad.seq = d.seq | (1ull << 32);
		served->bad_answers[3] = ioctl(fd, SWAPLAB_PAGER_IOC_SUPPLY,
					       &bad) ? errno : 0;
	}
	if (!ioctl(fd, SWAPLAB_PAGER_IOC_SUPPLY, &d))
		count(&served->supplies);
	else if (errno == ESRCH)
		count(&served->stale);
	else
		count(&served->errors);
}

/* IGNORE mode: note a DATA_RETURN, and TAKE nothing. */
static void heard_return(const struct swaplab_pager_event *e)
{
	long n = served->nr_returns;

	if (n == PAGES)
		return;
	served->returns[n] = *e;
	__atomic_store_n(&served->nr_returns, n + 1, __ATOMIC_RELEASE);
}

static void take(int fd, const struct swaplab_pager_event *e, uint8_t *store,
		 enum mode mode)
{
	struct swaplab_pager_data d = {
		.region = e->region, .index = e->index, .seq = e->arg,
		.buf = (uintptr_t)(store + e->index * page_size),
	};

	if (e->index >= PAGES) {
		count(&served->errors);
		return;
	}
	/*
	 * Garbage mode, the first TAKE: the right number for another page,
	 * a buffer the kernel cannot write, a number no buffer has. Each
	 * fails and leaves the page in its buffer for the good TAKE after.
	 */
	if (mode == SERVE_GARBAGE_FIRST && !served->bad_takes[0])
		try_bad_answers(fd, SWAPLAB_PAGER_IOC_TAKE, &d,
				served->bad_takes);
	if (!ioctl(fd, SWAPLAB_PAGER_IOC_TAKE, &d)) {
		served->held[e->index] = true;
		count(&served->takes);
	} else if (errno == ESRCH) {
		count(&served->stale);
	} else {
		count(&served->errors);
	}
}

/*
 * A pager in a child process: attach as a data pager, claim the region
 * behind @region_fd, tell the parent (a byte on a pipe), then keep the
 * region's pages in its own memory until killed.
 */
static pid_t start_pager(int dev, int region_fd, __u32 timeout_ms,
			 enum mode mode)
{
	static struct swaplab_pager_event ev[1024];
	struct swaplab_pager_ring *ring;
	uint64_t next = 0;
	int ready, fd;
	uint8_t *store;
	size_t bytes;
	char c = 0;
	pid_t pid;

	memset(served, 0, sizeof(*served));
	pid = fork_ready(&ready);
	if (pid)
		return pid;
	store = malloc(PAGES * page_size);
	fd = attach_data(dev, timeout_ms, mode == PEEK ? PEEK_ENTRIES : 1024,
			 (void **)&ring, &bytes);
	c = store && fd >= 0 &&
	    !ioctl(region_fd, SWAPLAB_IOC_PAGER_CLAIM, &fd);
	if (write(ready, &c, 1) != 1 || !c)
		_exit(1);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t head, tail;
		size_t n = 0;

		if (mode == PEEK && !__atomic_load_n(&served->drain,
						     __ATOMIC_ACQUIRE)) {
			/* poll() says POLLIN for as long as the head stays. */
			usleep(10 * 1000);
			head = next;
		} else if (mode == PEEK) {
			__atomic_store_n(&ring->head, next, __ATOMIC_RELEASE);
			__atomic_store_n(&served->drained, true,
					 __ATOMIC_RELEASE);
			mode = SERVE;
			continue;
		} else {
			poll(&pfd, 1, 1000);
			head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
		}
		tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
		while (head != tail && n < ARRAY_SIZE(ev))
			ev[n++] = ((struct swaplab_pager_event *)
				   ((char *)ring + SWAPLAB_PAGER_RING_EVENTS))
				  [head++ & ring->mask];
		if (mode == PEEK)
			next = head;
		else
			__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
		for (size_t i = 0; i < n; i++) {
			switch (ev[i].type) {
			case SWAPLAB_PAGER_DATA_RETURN:
				if (mode != IGNORE)
					take(fd, &ev[i], store, mode);
				else
					heard_return(&ev[i]);
				break;
			case SWAPLAB_PAGER_DATA_REQUEST:
				supply(fd, &ev[i], store, mode);
				break;
			case SWAPLAB_PAGER_DATA_KEPT:
				count(&served->kept);
				break;
			case SWAPLAB_PAGER_DATA_DISCARD:
				if (ev[i].index < PAGES)
					served->held[ev[i].index] = false;
				count(&served->discards);
				break;
			case SWAPLAB_PAGER_REGION_GONE:
				count(&served->gone);
				break;
			}
		}
	}
}

static void stop_pager(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * After a sequential fill under FIFO only the last BUDGET pages are
 * resident: the first of the others that the pager holds; -1 if none.
 */
static long held_page(void)
{
	for (long i = 0; i < PAGES - BUDGET; i++)
		if (served->held[i])
			return i;
	return -1;
}

/*
 * Wait, up to 10 s, until the pager has taken pages and takes no more (the
 * buffers are empty); how many it took. The rest went to the store.
 */
static long settle_takes(void)
{
	long prev = -1;

	for (int i = 0; i < 50; i++) {
		long now = seen(&served->takes);

		if (now && now == prev)
			break;
		prev = now;
		usleep(200 * 1000);
	}
	return seen(&served->takes);
}

/*
 * Wait, up to 5 s, until the pager's count of @what equals the kernel's
 * count @stat less @base. The pager counts an answer after its ioctl
 * returns, and the kernel may count it (and wake the fault that waits for
 * it) before that: the last answer of a pass can be counted by the kernel
 * and not yet by the pager. A difference that lasts is the kernel's.
 */
static void settle_count(long *what, const char *stat, long long base)
{
	for (int i = 0; i < 25 && seen(what) != read_stat(stat) - base; i++)
		usleep(200 * 1000);
}

/* debugfs metadata's pager_buffer_bytes: pages waiting in buffers; -1. */
static long long buffered_bytes(void)
{
	FILE *f = fopen("/sys/kernel/debug/swaplab/metadata", "r");
	long long val = -1, v;
	char name[64];

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &v) == 2)
		if (!strcmp(name, "pager_buffer_bytes"))
			val = v;
	fclose(f);
	return val;
}

/*
 * Fill the region a little at a time, waiting after each step until the
 * pager has taken every page in a buffer: reclaim never waits for the
 * pager, so a pager slower than the fill (a loaded host) would leave
 * pages to the store; paced, every dirty page that leaves goes to it.
 */
static void fill_paced(uint8_t *map, uint64_t seed)
{
	for (size_t p = 0; p < PAGES; p += 16) {
		fill_pages(PAGE_AT(map, p), p, 16, seed);
		for (int i = 0; i < 500 && buffered_bytes(); i++)
			usleep(10 * 1000);
	}
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * Read page @p at @map: 0 if it reads as the pattern, 1 if it is all
 * zeroes, 2 for SIGBUS, 3 for anything else.
 */
static int probe(const uint8_t *map, size_t p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_jmp, 1))
		ret = 2;
	else if (!check_pages(PAGE_AT(map, p), p, 1, SEED, 0))
		ret = 0;
	else
		ret = count_nonzero(PAGE_AT(map, p), page_size) ? 3 : 1;
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

FIXTURE(pagerdata) {
	char frames[32], policy[32], daemon[8], readahead[8];
	char saved_swapfile[256];	/* the store to attach again, or "" */
	long long used0;
	int dev, region_fd;
	uint8_t *map;
	pid_t pager;			/* a pager child to kill, or 0 */
	bool ready;			/* set up: the teardown restores */
};

FIXTURE_SETUP(pagerdata)
{
	page_size = sysconf(_SC_PAGESIZE);
	self->dev = -1;
	self->saved_swapfile[0] = '\0';
	self->pager = 0;
	self->ready = false;
	self->region_fd = -1;
	self->map = MAP_FAILED;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	read_knob("frames", self->frames, sizeof(self->frames));
	read_knob("policy", self->policy, sizeof(self->policy));
	read_knob("daemon", self->daemon, sizeof(self->daemon));
	read_knob("readahead", self->readahead, sizeof(self->readahead));
	self->ready = true;
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("daemon", "0"));
	/* Demand paging: the page counts below assume one page a fault. */
	ASSERT_EQ(0, write_knob("readahead", "0"));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	if (!served) {
		served = mmap(NULL, sizeof(*served), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, served);
	}
	self->dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev);
	self->region_fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->region_fd);
	self->map = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->region_fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	self->used0 = read_stat("swap_slots_used");
}

FIXTURE_TEARDOWN(pagerdata)
{
	if (!self->ready)
		return;
	if (self->pager > 0)
		stop_pager(self->pager);
	if (self->map != MAP_FAILED)
		munmap(self->map, PAGES * page_size);
	if (self->region_fd >= 0)
		close(self->region_fd);
	if (self->dev >= 0)
		close(self->dev);
	/* No region is left: the store may change. */
	if (self->saved_swapfile[0])
		write_knob("swapfile", self->saved_swapfile);
	write_knob("policy", self->policy);
	write_knob("readahead", self->readahead);
	write_knob("daemon", self->daemon);
	write_knob("frames", self->frames);
}

/* Bad claims and bad answers fail with their errno and change nothing. */
TEST_F_TIMEOUT(pagerdata, claim_and_answer_errors, 120)
{
	struct swaplab_pager_attach at = { .flags = SWAPLAB_PAGER_DATA };
	struct swaplab_pager_data d = { .buf = (uintptr_t)self->map };
	int ro, wo, fd, null = open("/dev/null", O_RDONLY);
	size_t bytes;
	void *ring;

	/* A data pager's ring has room for its reserve; a timeout needs it. */
	at.entries = 64;
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
	EXPECT_EQ(EINVAL, errno);
	at = (struct swaplab_pager_attach){ .data_timeout_ms = 100 };
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
	EXPECT_EQ(EINVAL, errno);
	at = (struct swaplab_pager_attach){
		.flags = SWAPLAB_PAGER_DATA,
		.data_timeout_ms = SWAPLAB_PAGER_DATA_TIMEOUT_MAX + 1,
	};
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
	EXPECT_EQ(EINVAL, errno);
	/* The default pager keeps data. */
	at = (struct swaplab_pager_attach){ .flags = SWAPLAB_PAGER_DATA_ALL };
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
	EXPECT_EQ(EINVAL, errno);

	/* A pager that keeps no data claims nothing and supplies nothing. */
	at = (struct swaplab_pager_attach){ 0 };
	fd = ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &fd));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_PAGER_IOC_SUPPLY, &d));
	EXPECT_EQ(EINVAL, errno);
	close(fd);

	fd = attach_data(self->dev, 0, 1024, &ring, &bytes);
	ASSERT_LE(0, fd);
	/* Not a pager's descriptor; a region opened read-only. */
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &null));
	EXPECT_EQ(EBADF, errno);
	ro = open(SWAPLAB_DEVICE, O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-1, ioctl(ro, SWAPLAB_IOC_PAGER_CLAIM, &fd));
	EXPECT_EQ(EBADF, errno);
	close(ro);
	/*
	 * Nor write-only: the pager would be handed pages the file cannot
	 * read, as those of a mailbox region (mode 0622) attached by a user
	 * who may only write it.
	 */
	wo = open(SWAPLAB_DEVICE, O_WRONLY);
	ASSERT_LE(0, wo);
	EXPECT_EQ(-1, ioctl(wo, SWAPLAB_IOC_PAGER_CLAIM, &fd));
	EXPECT_EQ(EBADF, errno);
	close(wo);
	EXPECT_EQ(0, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &fd));
	EXPECT_EQ(-1, ioctl(self->region_fd, SWAPLAB_IOC_PAGER_CLAIM, &fd));
	EXPECT_EQ(EBUSY, errno);

	/* Answers to nothing: no request, no page in a buffer. */
	d.seq = 12345;
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_PAGER_IOC_SUPPLY, &d));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_PAGER_IOC_TAKE, &d));
	EXPECT_EQ(ESRCH, errno);
	d.reserved = 1;
	EXPECT_EQ(-1, ioctl(fd, SWAPLAB_PAGER_IOC_TAKE, &d));
	EXPECT_EQ(EINVAL, errno);
	munmap(ring, bytes);
	close(fd);
	close(null);

	/* The claim ended with its pager: the region pages as any other. */
	fill_pages(self->map, 0, PAGES, SEED);
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 0));
	EXPECT_LE(PAGES - BUDGET, read_stat("swap_slots_used") - self->used0);
}

/*
 * Dirty pages go to the pager, not to the store, and come back at the
 * faults, every byte; a clean page the pager has a copy of leaves with
 * no write at all (DATA_KEPT) and comes back from the pager again.
 */
TEST_F_TIMEOUT(pagerdata, pages_go_to_the_pager_and_back, 600)
{
	long long out0 = read_stat("pager_data_out");
	long long in0 = read_stat("pager_data_in");
	long long kept0 = read_stat("pager_data_kept");
	long long lost0 = read_stat("pager_lost");
	long long outs0 = read_stat("swap_outs");
	long long full0 = read_stat("pager_data_full");
	pid_t pid;

	pid = start_pager(self->dev, self->region_fd, SERVE_TIMEOUT_MS, SERVE);
	ASSERT_LT(0, pid);
	fill_paced(self->map, SEED);
	/* Every dirty page that left went to the pager, none to the store. */
	EXPECT_EQ(full0, read_stat("pager_data_full"));
	/* Twice: the second pass faults every page back from the pager. */
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 0));
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 1));
	settle_count(&served->takes, "pager_data_out", out0);
	settle_count(&served->supplies, "pager_data_in", in0);
	settle_count(&served->kept, "pager_data_kept", kept0);
	TH_LOG("pager took %ld, supplied %ld, stale %ld; %lld pages written to the store; kept clean %lld",
	       seen(&served->takes), seen(&served->supplies),
	       seen(&served->stale), read_stat("swap_outs") - outs0,
	       read_stat("pager_data_kept") - kept0);
	EXPECT_EQ(0, seen(&served->missing));
	EXPECT_EQ(0, seen(&served->errors));
	EXPECT_EQ(seen(&served->takes), read_stat("pager_data_out") - out0);
	EXPECT_EQ(seen(&served->supplies), read_stat("pager_data_in") - in0);
	/* Most pages went to the pager: the store took at most the rest. */
	EXPECT_LE(PAGES - BUDGET, seen(&served->takes));
	EXPECT_LE(PAGES - BUDGET, seen(&served->supplies));
	EXPECT_GT(seen(&served->takes), read_stat("swap_outs") - outs0);
	/* Pages read and never written leave with no copy made. */
	EXPECT_LT(0, read_stat("pager_data_kept") - kept0);
	EXPECT_EQ(seen(&served->kept), read_stat("pager_data_kept") - kept0);
	EXPECT_EQ(lost0, read_stat("pager_lost"));
	stop_pager(pid);
}

/*
 * Wrong answers to a request, and wrong TAKEs of a page in a buffer, fail
 * with their errno and change nothing; the right one serves.
 */
TEST_F_TIMEOUT(pagerdata, wrong_answers_fail, 600)
{
	long long stale0 = read_stat("pager_data_stale");
	pid_t pid;

	pid = start_pager(self->dev, self->region_fd, SERVE_TIMEOUT_MS,
			  SERVE_GARBAGE_FIRST);
	ASSERT_LT(0, pid);
	fill_pages(self->map, 0, PAGES, SEED);
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 0));
	EXPECT_EQ(EINVAL, served->bad_answers[0]);	/* another page */
	EXPECT_EQ(EFAULT, served->bad_answers[1]);	/* a bad buffer */
	EXPECT_EQ(ESRCH, served->bad_answers[2]);	/* no such request */
	EXPECT_EQ(ESRCH, served->bad_answers[3]);	/* past 32 bits */
	EXPECT_EQ(EINVAL, served->bad_takes[0]);	/* another page */
	EXPECT_EQ(EFAULT, served->bad_takes[1]);	/* a bad buffer */
	EXPECT_EQ(ESRCH, served->bad_takes[2]);	/* no such buffer */
	EXPECT_LE(5, read_stat("pager_data_stale") - stale0);
	EXPECT_EQ(0, seen(&served->errors));
	stop_pager(pid);
}

/*
 * A stopped pager: a fault on a page it holds fails with SIGBUS after the
 * pager's timeout, counted; the page is not lost, and is served once the
 * pager runs again.
 */
TEST_F_TIMEOUT(pagerdata, stopped_pager_times_out, 600)
{
	long long timeouts0 = read_stat("pager_data_timeouts");
	struct timespec t0, t1;
	double waited;
	long page;
	pid_t pid;

	pid = start_pager(self->dev, self->region_fd, 300, SERVE);
	ASSERT_LT(0, pid);
	fill_pages(self->map, 0, PAGES, SEED);
	EXPECT_LT(0, settle_takes());
	page = held_page();
	ASSERT_LE(0, page);
	kill(pid, SIGSTOP);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(2, probe(self->map, page));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	TH_LOG("page %ld: SIGBUS after %.2f s", page, waited);
	EXPECT_LE(0.25, waited);
	EXPECT_EQ(1, read_stat("pager_data_timeouts") - timeouts0);
	kill(pid, SIGCONT);
	EXPECT_EQ(0, probe(self->map, page));
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 0));
	stop_pager(pid);
}

struct waiter {
	const uint8_t *map;
	long page;
	pid_t tid;
	int probed;		/* probe()'s answer, once it returned */
	bool done;
};

static void *wait_fault(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	w->probed = probe(w->map, w->page);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* The state letter of thread @tid of this process, '?' if unknown. */
static char thread_state(pid_t tid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Per-VMA locks for page faults: Linux 6.7 and later (x86). */
static bool kernel_has_vma_locked_faults(void)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 7);
}

/*
 * A fault that waits (here for a stopped pager) holds only the lock of
 * its VMA where the kernel takes faults under per-VMA locks: another
 * thread's mmap(), which takes the mmap lock for writing, returns while
 * the fault still waits (the thread still asleep in it, state D). That
 * needs the mapping to have ->map_pages (vma.c): without it, 6.7 and
 * later retry every fault under the mmap lock, and mmap() waits out the
 * pager's timeout. Kernels without
 * per-VMA locks take every fault under the mmap lock: there mmap() must
 * wait for the fault, which is what this checks on them.
 */
TEST_F_TIMEOUT(pagerdata, waiting_fault_holds_only_its_vma, 600)
{
	bool vma_locks = kernel_has_vma_locked_faults();
	struct waiter w = { .map = self->map };
	pthread_t thread;
	bool waiting_at_mmap;
	pid_t pid, tid;
	void *other;
	char state = '?';

	pid = start_pager(self->dev, self->region_fd, 3000, SERVE);
	ASSERT_LT(0, pid);
	fill_pages(self->map, 0, PAGES, SEED);
	EXPECT_LT(0, settle_takes());
	w.page = held_page();
	ASSERT_LE(0, w.page);
	kill(pid, SIGSTOP);
	ASSERT_EQ(0, pthread_create(&thread, NULL, wait_fault, &w));
	/* Until the thread sleeps in the fault, waiting for the pager. */
	for (int i = 0; i < 2000 && state != 'D'; i++) {
		tid = __atomic_load_n(&w.tid, __ATOMIC_ACQUIRE);
		state = tid ? thread_state(tid) : '?';
		if (state != 'D')
			usleep(1000);
	}
	EXPECT_EQ('D', state);
	other = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/*
	 * Still asleep in the fault, or not: a fault under the mmap lock
	 * lets mmap() in only once it has returned (its SIGBUS may not
	 * have reached the thread's handler yet, so the flag alone would
	 * not tell).
	 */
	state = thread_state(tid);
	waiting_at_mmap = state == 'D' &&
			  !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE);
	EXPECT_NE(MAP_FAILED, other);
	TH_LOG("mmap() returned %s the fault on page %ld ended (thread state %c; kernel %s per-VMA locks)",
	       waiting_at_mmap ? "before" : "after", w.page, state,
	       vma_locks ? "with" : "without");
	EXPECT_EQ(vma_locks, waiting_at_mmap);
	pthread_join(thread, NULL);
	EXPECT_EQ(2, w.probed);		/* the pager's timeout: SIGBUS */
	kill(pid, SIGCONT);
	EXPECT_EQ(0, probe(self->map, w.page));
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED, 0));
	munmap(other, page_size);
	stop_pager(pid);
}

/*
 * A killed pager: pages only it held get SIGBUS, counted, and a discard
 * makes them read as zeroes; every other page (resident, or written to
 * the store from a buffer when the pager went) reads back intact.
 */
TEST_F_TIMEOUT(pagerdata, killed_pager_loses_only_its_pages, 600)
{
	long long lost0 = read_stat("pager_lost");
	size_t ok = 0, bus = 0, other = 0, again = 0;
	struct swaplab_range all = { 0, PAGES * page_size };
	pid_t pid;

	pid = start_pager(self->dev, self->region_fd, 0, SERVE);
	ASSERT_LT(0, pid);
	fill_pages(self->map, 0, PAGES, SEED);
	EXPECT_LT(0, settle_takes());
	stop_pager(pid);
	for (size_t p = 0; p < PAGES; p++) {
		int r = probe(self->map, p);

		ok += r == 0;
		bus += r == 2;
		other += r == 1 || r == 3;
	}
	TH_LOG("%zu pages intact, %zu lost with the pager", ok, bus);
	EXPECT_EQ(0, other);
	EXPECT_LT(0, bus);
	EXPECT_LE(BUDGET, ok);
	EXPECT_EQ(bus, read_stat("pager_lost") - lost0);
	/* Again: lost stays lost, intact stays intact. */
	for (size_t p = 0; p < PAGES; p++)
		again += probe(self->map, p) == 2;
	EXPECT_EQ(bus, again);
	EXPECT_EQ(2 * bus, read_stat("pager_lost") - lost0);
	/* A discard clears the loss: zeroes, no SIGBUS. */
	ASSERT_EQ(0, ioctl(self->region_fd, SWAPLAB_IOC_DISCARD, &all));
	for (size_t p = 0; p < PAGES; p++)
		EXPECT_EQ(1, probe(self->map, p));
	EXPECT_EQ(2 * bus, read_stat("pager_lost") - lost0);
}

/*
 * A pager whose ring is full never hears DATA_RETURN: those pages are
 * written from their buffers to the store at once (no buffer waits for a
 * TAKE that cannot come), and every byte reads back.
 */
TEST_F_TIMEOUT(pagerdata, unheard_pages_go_to_the_store, 600)
{
	long long lost0 = read_stat("pager_events_lost");
	long long flushed0 = read_stat("pager_data_flushed");
	long long full0 = read_stat("pager_data_full");
	struct swaplab_range all = { 0, PAGES * page_size };
	long long flushed, full;
	long takes;
	pid_t pid;

	pid = start_pager(self->dev, self->region_fd, 0, PEEK);
	ASSERT_LT(0, pid);
	/* Paced: every dirty page goes to it, a DATA_RETURN in its ring each. */
	fill_paced(self->map, SEED);
	takes = settle_takes();
	EXPECT_LE(PAGES - BUDGET, takes);
	EXPECT_EQ(full0, read_stat("pager_data_full"));
	EXPECT_EQ(0, read_stat("pager_events_lost") - lost0);
	/*
	 * Its copies discarded, the DATA_DISCARDs fill what is left of its
	 * ring; and every page discarded, none is asked of it.
	 */
	ASSERT_EQ(0, ioctl(self->region_fd, SWAPLAB_IOC_DISCARD, &all));
	fill_pages(self->map, 0, PAGES, SEED + 1);
	flushed = read_stat("pager_data_flushed") - flushed0;
	full = read_stat("pager_data_full") - full0;
	takes = seen(&served->takes) - takes;
	TH_LOG("second pass: pager took %ld, %lld pages written from buffers, %lld for want of one; %lld events lost; %lld bytes left in buffers",
	       takes, flushed, full, read_stat("pager_events_lost") - lost0,
	       buffered_bytes());
	EXPECT_LT(0, read_stat("pager_events_lost") - lost0);
	EXPECT_LT(0, flushed);
	/*
	 * Every dirty page of the second pass went to the pager, or to
	 * the store from its buffer at once, or for want of a buffer.
	 */
	EXPECT_LE(PAGES - BUDGET, takes + flushed + full);
	EXPECT_EQ(0, buffered_bytes());
	/*
	 * Reading its ring again, it serves the pages it took: once it has
	 * made room, as a DATA_REQUEST the ring cannot take fails the fault.
	 */
	__atomic_store_n(&served->drain, true, __ATOMIC_RELEASE);
	for (int i = 0; i < 500 && !__atomic_load_n(&served->drained,
						    __ATOMIC_ACQUIRE); i++)
		usleep(10 * 1000);
	ASSERT_TRUE(__atomic_load_n(&served->drained, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, check_pages(self->map, 0, PAGES, SEED + 1, 0));
	EXPECT_EQ(0, seen(&served->errors));
	stop_pager(pid);
}

/* Written with no store: BUDGET stay resident, the rest leave to buffers. */
#define KEPT_PAGES	(BUDGET + 48)

/*
 * Take the store away: the fixture's files closed (each is a region),
 * the store detached (the teardown attaches it again), new files in their
 * place. With no store, a page that leaves to a buffer has nowhere else
 * to go.
 */
static int detach_store(FIXTURE_DATA(pagerdata) *self)
{
	char path[sizeof(self->saved_swapfile)];
	int err = 0;

	munmap(self->map, PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->region_fd);
	self->region_fd = -1;
	close(self->dev);
	self->dev = -1;
	err = read_knob("swapfile", path, sizeof(path));
	if (err)
		return err;
	if (path[0] && strcmp(path, "none")) {
		/* The region's release may still be under way. */
		for (int i = 0; i < 200; i++) {
			err = write_knob("swapfile", "none");
			if (err != -EBUSY)
				break;
			usleep(10 * 1000);
		}
		if (err)
			return err;
		snprintf(self->saved_swapfile, sizeof(self->saved_swapfile), "%s",
			 path);
	}
	self->dev = open(SWAPLAB_DEVICE, O_RDWR);
	if (self->dev < 0)
		return -errno;
	self->region_fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (self->region_fd < 0)
		return -errno;
	self->map = mmap(NULL, PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->region_fd, 0);
	return self->map == MAP_FAILED ? -errno : 0;
}

/*
 * Wait, up to 5 s, until every page the IGNORE pager heard of waits in a
 * buffer; how many it heard of.
 */
static long settle_returns(void)
{
	long heard = 0;

	for (int i = 0; i < 500; i++) {
		heard = __atomic_load_n(&served->nr_returns, __ATOMIC_ACQUIRE);
		if (heard && buffered_bytes() == heard * (long long)page_size)
			break;
		usleep(10 * 1000);
	}
	return heard;
}

/*
 * With no store, a pager that never TAKEs hears of the pages written past
 * the budget, which wait in the kernel's buffers, and is killed: the
 * pages it heard of in *@heard, the bytes in buffers in *@buffered.
 */
static int kill_with_buffers(FIXTURE_DATA(pagerdata) *self, long *heard,
			     long long *buffered)
{
	int err = detach_store(self);

	if (err)
		return err;
	self->pager = start_pager(self->dev, self->region_fd, 0, IGNORE);
	if (self->pager <= 0)
		return -ECHILD;
	fill_pages(self->map, 0, KEPT_PAGES, SEED);
	*heard = settle_returns();
	*buffered = buffered_bytes();
	stop_pager(self->pager);
	self->pager = 0;
	return 0;
}

/* Read every page written: how many read whole, got SIGBUS, or wrong. */
static void probe_kept(const uint8_t *map, size_t *ok, size_t *bus,
		       size_t *other)
{
	*ok = *bus = *other = 0;
	for (size_t p = 0; p < KEPT_PAGES; p++) {
		int r = probe(map, p);

		*ok += r == 0;
		*bus += r == 2;
		*other += r == 1 || r == 3;
	}
}

/*
 * A pager that never TAKEs, no store: the pages it heard of wait in the
 * kernel's buffers. Killed, it loses none of them: each still has its
 * only copy in kernel memory, and every page reads back its bytes, with
 * no SIGBUS and nothing counted lost; the buffers empty as they do.
 */
TEST_F_TIMEOUT(pagerdata, killed_pager_keeps_buffered_pages, 120)
{
	long long lost0 = read_stat("pager_lost"), buffered, left;
	size_t ok, bus, other;
	long heard;

	ASSERT_EQ(0, kill_with_buffers(self, &heard, &buffered));
	/* Frames for every page: with no store, a dirty page cannot leave. */
	ASSERT_EQ(0, write_knob_ll("frames", PAGES));
	probe_kept(self->map, &ok, &bus, &other);
	left = buffered_bytes();
	TH_LOG("pager heard of %ld pages, %lld bytes in buffers; killed: %zu of %d pages intact, %zu SIGBUS, %zu wrong; pager_lost +%lld; %lld bytes in buffers after",
	       heard, buffered, ok, KEPT_PAGES, bus, other,
	       read_stat("pager_lost") - lost0, left);
	EXPECT_LT(0, heard);
	EXPECT_EQ(heard * (long long)page_size, buffered);
	EXPECT_EQ(KEPT_PAGES, ok);
	EXPECT_EQ(0, bus);
	EXPECT_EQ(0, other);
	EXPECT_EQ(lost0, read_stat("pager_lost"));
	EXPECT_EQ(0, left);
}

/*
 * The buffers are no store: a killed pager's pages wait in them, but a
 * fault that copies one back needs a frame, and with no store and every
 * frame holding a dirty page none can be freed. The first faults take
 * the frames the page daemon kept free; after them, such a fault gets
 * SIGBUS (counted in swap_full, as any fault that finds every frame
 * dirty with nowhere to write) and the page stays in its buffer, its
 * bytes whole: every page that got SIGBUS is still in a buffer, and
 * with frames for them all, every page reads back and the buffers
 * empty.
 */
TEST_F_TIMEOUT(pagerdata, killed_pager_buffers_wait_for_a_frame, 120)
{
	long long lost0 = read_stat("pager_lost"), full0, buffered, left;
	size_t ok, bus, other;
	long heard;

	ASSERT_EQ(0, kill_with_buffers(self, &heard, &buffered));
	full0 = read_stat("swap_full");
	probe_kept(self->map, &ok, &bus, &other);
	left = buffered_bytes();
	TH_LOG("pager heard of %ld pages, %lld bytes in buffers; killed, no store: %zu of %d pages read, %zu SIGBUS, %zu wrong; swap_full +%lld; %lld bytes in buffers after",
	       heard, buffered, ok, KEPT_PAGES, bus, other,
	       read_stat("swap_full") - full0, left);
	EXPECT_LT(0, heard);
	EXPECT_EQ(heard * (long long)page_size, buffered);
	EXPECT_LT(0, bus);
	EXPECT_GE((size_t)heard, bus);
	EXPECT_EQ(KEPT_PAGES, ok + bus);
	EXPECT_EQ(0, other);
	EXPECT_LT(full0, read_stat("swap_full"));
	EXPECT_EQ((long long)bus * page_size, left)
		TH_LOG("the pages that got SIGBUS are not those in buffers");
	EXPECT_EQ(lost0, read_stat("pager_lost"));

	/* Frames for every page: each comes back. */
	ASSERT_EQ(0, write_knob_ll("frames", PAGES));
	probe_kept(self->map, &ok, &bus, &other);
	EXPECT_EQ(KEPT_PAGES, ok);
	EXPECT_EQ(0, buffered_bytes());
	EXPECT_EQ(lost0, read_stat("pager_lost"));
}

/*
 * Pages a killed pager left in buffers are not the next data pager's: a
 * TAKE of one, with the very sequence number, region and index of its
 * DATA_RETURN, fails with ESRCH and moves nothing; the new pager hears no
 * DATA_RETURN of them, nor DATA_DISCARD when one is discarded. The owner
 * reads its pages back intact, and the region's release frees the
 * buffers of those it never read.
 */
TEST_F_TIMEOUT(pagerdata, new_pager_cannot_take_old_buffers, 120)
{
	long long lost0 = read_stat("pager_lost"), left = -1, before;
	long heard, taken = 0, refused = 0, errors = 0, returns = 0;
	long discards = 0, odd = -1;
	struct swaplab_range one;
	size_t ok = 0, read = 0;
	struct swaplab_pager_ring *ring;
	uint64_t tail;
	size_t bytes;
	void *buf;
	int fd;

	ASSERT_EQ(0, detach_store(self));
	self->pager = start_pager(self->dev, self->region_fd, 0, IGNORE);
	ASSERT_LT(0, self->pager);
	fill_pages(self->map, 0, KEPT_PAGES, SEED);
	heard = settle_returns();
	ASSERT_LT(0, heard);
	stop_pager(self->pager);
	self->pager = 0;

	/* Another data pager, of no region, here. */
	buf = malloc(page_size);
	ASSERT_NE(NULL, buf);
	fd = attach_data(self->dev, 0, 1024, (void **)&ring, &bytes);
	ASSERT_LE(0, fd);
	for (long i = 0; i < heard; i++) {
		struct swaplab_pager_data d = {
			.region = served->returns[i].region,
			.index = served->returns[i].index,
			.seq = served->returns[i].arg,
			.buf = (uintptr_t)buf,
		};

		if (!ioctl(fd, SWAPLAB_PAGER_IOC_TAKE, &d))
			taken++;
		else if (errno == ESRCH)
			refused++;
		else
			errors++;
		if (odd < 0 && d.index % 2)
			odd = d.index;
	}
	/* An odd page in a buffer discarded: the reads below are even. */
	ASSERT_LE(0, odd);
	one = (struct swaplab_range){ odd * page_size, page_size };
	ASSERT_EQ(0, ioctl(self->region_fd, SWAPLAB_IOC_DISCARD, &one));
	tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	for (uint64_t i = 0; i < tail; i++) {
		__u16 type = ((struct swaplab_pager_event *)
			      ((char *)ring + SWAPLAB_PAGER_RING_EVENTS))
			     [i & ring->mask].type;

		returns += type == SWAPLAB_PAGER_DATA_RETURN;
		discards += type == SWAPLAB_PAGER_DATA_DISCARD;
	}
	munmap(ring, bytes);
	close(fd);
	free(buf);

	ASSERT_EQ(0, write_knob_ll("frames", PAGES));
	for (size_t p = 0; p < KEPT_PAGES; p += 2) {
		ok += probe(self->map, p) == 0;
		read++;
	}
	before = buffered_bytes();
	munmap(self->map, PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->region_fd);
	self->region_fd = -1;
	for (int i = 0; i < 200 && left; i++) {
		left = buffered_bytes();
		if (left)
			usleep(10 * 1000);
	}
	TH_LOG("old pager heard of %ld pages; new pager: %ld taken, %ld refused with ESRCH, %ld other errors, %ld DATA_RETURNs and %ld DATA_DISCARDs heard; %zu of %zu pages read intact; pager_lost +%lld; %lld bytes in buffers before the region's end, %lld after",
	       heard, taken, refused, errors, returns, discards, ok, read,
	       read_stat("pager_lost") - lost0, before, left);
	EXPECT_EQ(0, taken);
	EXPECT_EQ(heard, refused);
	EXPECT_EQ(0, errors);
	EXPECT_EQ(0, returns);
	EXPECT_EQ(0, discards);
	EXPECT_EQ(read, ok);
	EXPECT_EQ(lost0, read_stat("pager_lost"));
	EXPECT_LT(0, before);
	EXPECT_EQ(0, left);
}

/*
 * The program again after an exec, as the pager: SWAPLAB_EXEC_PAGER names
 * the pager file it kept open. It makes a region and asks to claim it for
 * its own pager: a default pager must not have claimed it (the pager's
 * own regions are never its to keep), so the claim succeeds. Exits 0 if
 * it did, 1 with EBUSY (claimed already), 2 on any other failure.
 */
__attribute__((constructor)) static void exec_pager_probe(void)
{
	const char *env = getenv("SWAPLAB_EXEC_PAGER");
	int pfd, fd;

	if (!env)
		return;
	pfd = atoi(env);
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (fd < 0)
		_exit(2);
	if (!ioctl(fd, SWAPLAB_IOC_PAGER_CLAIM, &pfd))
		_exit(0);
	_exit(errno == EBUSY ? 1 : 2);
}

/*
 * A pager is its process, across an exec: the exec gives it a new mm but
 * keeps its pager file open. A default data pager that execs claims none
 * of the regions it makes afterwards, as before the exec.
 */
TEST_F_TIMEOUT(pagerdata, exec_keeps_the_pager_its_own, 120)
{
	struct swaplab_pager_attach at = {
		.entries = PEEK_ENTRIES,
		.flags = SWAPLAB_PAGER_DATA | SWAPLAB_PAGER_DATA_ALL,
	};
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char fdstr[16];
		int pfd = ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at);

		if (pfd < 0)
			_exit(3);
		snprintf(fdstr, sizeof(fdstr), "%d", pfd);
		setenv("SWAPLAB_EXEC_PAGER", fdstr, 1);
		execl("/proc/self/exe", "pagerdata_test", (char *)NULL);
		_exit(4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("after the exec: %s", WEXITSTATUS(status) == 1 ?
		       "the default pager claimed its own process's region" :
		       "the probe failed");
}

TEST_HARNESS_MAIN
