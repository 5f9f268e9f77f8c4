// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab paging selftests: data integrity under pressure for every
 * policy, dirty tracking, direct I/O, the daemon and its watermarks,
 * direct reclaim, reference-bit harvesting, mlock, slot reuse and the
 * paging knobs. They need a backing store (swaplab.sh attaches one) and
 * run as root; each skips when the module or the store is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET		256		/* frames used by these tests */
/* The textbook policies, at least, are registered. */
#define NR_POLICIES	5

static long long meminfo_kib(const char *key)
{
	char line[128];
	long long val = -1;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			val = atoll(line + len + 1);
	fclose(f);
	return val;
}

static uint8_t *map_region(int fd, size_t pages)
{
	void *map = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);

	return map == MAP_FAILED ? NULL : map;
}

/* Knobs saved by every fixture and restored after each test. */
struct saved_knobs {
	char frames[32];
	char policy[32];
	char daemon[8];
	char readahead[8];
	char page_buffering[8];
};

static void save_knobs(struct saved_knobs *k)
{
	read_knob("frames", k->frames, sizeof(k->frames));
	read_knob("policy", k->policy, sizeof(k->policy));
	read_knob("daemon", k->daemon, sizeof(k->daemon));
	read_knob("readahead", k->readahead, sizeof(k->readahead));
	read_knob("page_buffering", k->page_buffering,
		  sizeof(k->page_buffering));
}

static void restore_knobs(const struct saved_knobs *k)
{
	write_knob("page_buffering", k->page_buffering);
	write_knob("readahead", k->readahead);
	write_knob("daemon", k->daemon);
	write_knob("policy", k->policy);
	write_knob("frames", k->frames);
}

/* Why these tests cannot run here, or NULL: module and a store for 16x. */
static const char *missing_store(void)
{
	if (access(SWAPLAB_DEVICE, F_OK))
		return SWAPLAB_DEVICE " missing: module not loaded";
	if (read_stat("swap_slots_total") < 20 * BUDGET)
		return "no backing store of 20x the budget";
	return NULL;
}

FIXTURE(paging) {
	int fd;
	struct saved_knobs saved;
};

FIXTURE_VARIANT(paging) {
	const char *policy;
};

FIXTURE_VARIANT_ADD(paging, aging) { .policy = "aging" };
FIXTURE_VARIANT_ADD(paging, clock) { .policy = "clock" };
FIXTURE_VARIANT_ADD(paging, fifo) { .policy = "fifo" };
FIXTURE_VARIANT_ADD(paging, random) { .policy = "random" };
FIXTURE_VARIANT_ADD(paging, wsclock) { .policy = "wsclock" };

FIXTURE_SETUP(paging)
{
	const char *missing = missing_store();

	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	if (missing)
		SKIP(return, "%s", missing);
	save_knobs(&self->saved);
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("policy", variant->policy));
	ASSERT_EQ(0, write_knob("daemon", "1"));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(paging)
{
	if (self->fd >= 0) {
		close(self->fd);
		restore_knobs(&self->saved);
	}
}

/* Write a region 4x the budget, read it back in three orders. */
TEST_F_TIMEOUT(paging, integrity_4x, 300)
{
	size_t n = 4 * BUDGET;
	long long ev0 = read_stat("evictions"), in0 = read_stat("swap_ins");
	uint8_t *map = map_region(self->fd, n);

	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 1);
	EXPECT_EQ(0, check_pages(map, 0, n, 1, 0));
	EXPECT_EQ(0, check_pages(map, 0, n, 1, 1));
	EXPECT_EQ(0, check_pages(map, 0, n, 1, 0));
	EXPECT_LT(ev0 + n, read_stat("evictions"));
	EXPECT_LT(in0, read_stat("swap_ins"));
	EXPECT_GE(BUDGET, read_stat("resident"));
	munmap(map, n * page_size);
}

/* The same at 16x, rewriting half the pages between passes. */
TEST_F_TIMEOUT(paging, integrity_16x, 300)
{
	size_t n = 16 * BUDGET;
	uint8_t *map = map_region(self->fd, n);

	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 2);
	EXPECT_EQ(0, check_pages(map, 0, n, 2, 1));
	fill_pages(map, 0, n / 2, 3);
	EXPECT_EQ(0, check_pages(map, 0, n / 2, 3, 1));
	EXPECT_EQ(0, check_pages(PAGE_AT(map, n / 2), n / 2, n / 2, 2, 0));
	munmap(map, n * page_size);
}

struct worker {
	uint8_t *map;
	size_t first, n;
	uint64_t seed;
	size_t bad;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	uint8_t *at = PAGE_AT(w->map, w->first);

	fill_pages(at, w->first, w->n, w->seed);
	w->bad = check_pages(at, w->first, w->n, w->seed, 1);
	w->bad += check_pages(at, w->first, w->n, w->seed, 0);
	return NULL;
}

/* Two processes of two threads each write and check their quarters. */
TEST_F_TIMEOUT(paging, fork_and_threads, 300)
{
	size_t n = 4 * BUDGET, q = n / 4;
	struct worker w[2];
	pthread_t t[2];
	uint8_t *map = map_region(self->fd, n);
	int status, child;
	pid_t pid;

	ASSERT_NE(NULL, map);
	pid = fork();
	ASSERT_LE(0, pid);
	child = pid == 0;
	for (int i = 0; i < 2; i++) {
		w[i] = (struct worker){ map, (2 * child + i) * q, q, 7 };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_fn, &w[i]));
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	if (child)
		_exit(w[0].bad || w[1].bad);
	EXPECT_EQ(0, w[0].bad);
	EXPECT_EQ(0, w[1].bad);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	/* The parent sees the child's half too. */
	EXPECT_EQ(0, check_pages(map, 0, n, 7, 1));
	munmap(map, n * page_size);
}

/* Pages only read since they came in are evicted without a write. */
TEST_F_TIMEOUT(paging, read_pass_writes_nothing, 300)
{
	size_t n = 4 * BUDGET;
	long long out0, clean0;
	struct blk_stat b0, b1;
	uint8_t *map = map_region(self->fd, n);

	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 4);
	/*
	 * Push every dirty page out: a read pass through the smallest budget
	 * leaves none of them resident, whatever the policy.
	 */
	ASSERT_EQ(0, write_knob("frames", "16"));
	EXPECT_EQ(0, check_pages(map, 0, n, 4, 0));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	out0 = read_stat("swap_outs");
	clean0 = read_stat("clean_evictions");
	ASSERT_EQ(0, store_blk_stat(&b0));
	EXPECT_EQ(0, check_pages(map, 0, n, 4, 1));
	EXPECT_EQ(0, check_pages(map, 0, n, 4, 0));
	ASSERT_EQ(0, store_blk_stat(&b1));
	EXPECT_EQ(out0, read_stat("swap_outs"));
	EXPECT_LT(clean0 + n, read_stat("clean_evictions"));
	/*
	 * The block layer's own view: the passes read at least every page
	 * once and wrote next to nothing (a journal commit of the file
	 * system may land meanwhile; one dirty pass writes n * 8 sectors).
	 */
	TH_LOG("two read passes over %zu pages: the store's device read %llu sectors, wrote %llu",
	       n, b1.rd_sectors - b0.rd_sectors, b1.wr_sectors - b0.wr_sectors);
	EXPECT_LE(n * (page_size / 512), b1.rd_sectors - b0.rd_sectors);
	EXPECT_GT(n / 8, b1.wr_sectors - b0.wr_sectors);
	munmap(map, n * page_size);
}

/*
 * A sequential dirty scan goes out in batches: a batch's dirty pages get
 * a run of slots and one write. swaplab counts a write per swap_out_ios
 * and a page per swap_outs; the block layer counts the requests that
 * reached the device. Both must show writes of many pages, not one I/O
 * a page.
 */
TEST_F_TIMEOUT(paging, sequential_writes_batched, 300)
{
	size_t n = 4 * BUDGET;
	long long outs, ios;
	struct blk_stat b0, b1;
	unsigned long long wr_ios, wr_sectors;
	uint8_t *map = map_region(self->fd, n);

	ASSERT_NE(NULL, map);
	outs = read_stat("swap_outs");
	ios = read_stat("swap_out_ios");
	ASSERT_EQ(0, store_blk_stat(&b0));
	fill_pages(map, 0, n, 30);
	fill_pages(map, 0, n, 31);
	/*
	 * swaplab's counts first, the device's once what they count has
	 * completed: the daemon may still be writing, and a write it
	 * submits later only adds to the device's side.
	 */
	outs = read_stat("swap_outs") - outs;
	ios = read_stat("swap_out_ios") - ios;
	ASSERT_EQ(0, store_blk_stat_idle(&b1));
	wr_ios = b1.wr_ios - b0.wr_ios;
	wr_sectors = b1.wr_sectors - b0.wr_sectors;
	TH_LOG("two dirty passes over %zu pages: %lld pages out in %lld writes; the device: %llu sectors in %llu requests",
	       n, outs, ios, wr_sectors, wr_ios);
	ASSERT_LT(0, ios);
	ASSERT_LT(0, wr_ios);
	/* At least n - BUDGET pages had to leave, twice over. */
	EXPECT_LE(2 * (n - BUDGET), outs);
	EXPECT_LE(outs * (page_size / 512), wr_sectors);
	/* 8 pages a write on average at the least; batches are up to 32. */
	EXPECT_LE(8 * ios, outs);
	EXPECT_LE(8 * wr_ios, wr_sectors / (page_size / 512));
	EXPECT_EQ(0, check_pages(map, 0, n, 31, 0));
	munmap(map, n * page_size);
}

/* With daemon=0 the faulting thread reclaims and nothing wakes swaplabd. */
TEST_F_TIMEOUT(paging, direct_reclaim, 300)
{
	size_t n = 4 * BUDGET;
	long long dr0, wake0;
	uint8_t *map = map_region(self->fd, n);

	ASSERT_NE(NULL, map);
	ASSERT_EQ(0, write_knob("daemon", "0"));
	dr0 = read_stat("direct_reclaims");
	wake0 = read_stat("daemon_wakeups");
	fill_pages(map, 0, n, 5);
	EXPECT_EQ(0, check_pages(map, 0, n, 5, 1));
	EXPECT_LT(dr0, read_stat("direct_reclaims"));
	EXPECT_EQ(wake0, read_stat("daemon_wakeups"));
	munmap(map, n * page_size);
}

FIXTURE(engine) {
	struct saved_knobs saved;
	int ready;
};

FIXTURE_SETUP(engine)
{
	const char *missing = missing_store();

	page_size = sysconf(_SC_PAGESIZE);
	self->ready = 0;
	if (missing)
		SKIP(return, "%s", missing);
	save_knobs(&self->saved);
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("daemon", "1"));
	/*
	 * Demand paging: the engine's tests count the major faults of
	 * policies, and a page read ahead, or one page buffering kept,
	 * would hide a miss.
	 */
	ASSERT_EQ(0, write_knob("readahead", "0"));
	ASSERT_EQ(0, write_knob("page_buffering", "0"));
	self->ready = 1;
}

FIXTURE_TEARDOWN(engine)
{
	if (self->ready)
		restore_knobs(&self->saved);
}

/*
 * Switch the policy every 50 ms, through every registered one, while a
 * workload pages: frames isolated, parked or pinned across a switch come
 * back to a policy that never saw them.
 */
TEST_F_TIMEOUT(engine, policy_switch_under_load, 300)
{
	size_t n = 4 * BUDGET;
	int fd = open(SWAPLAB_DEVICE, O_RDWR), status, nr = 0;
	char avail[512], *all[32], *save = NULL, *name;
	uint8_t *map;
	pid_t pid;

	ASSERT_EQ(0, read_knob("available_policies", avail, sizeof(avail)));
	for (name = strtok_r(avail, " ", &save); name && nr < 32;
	     name = strtok_r(NULL, " ", &save))
		all[nr++] = name;
	ASSERT_LE(NR_POLICIES, nr);
	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (int i = 0; ; i++) {
			if (write_knob("policy", all[i % nr]))
				_exit(1);
			usleep(50000);
		}
	}
	fill_pages(map, 0, n, 6);
	for (int pass = 0; pass < 3; pass++)
		EXPECT_EQ(0, check_pages(map, 0, n, 6, pass & 1));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("switcher failed to write policy");
	munmap(map, n * page_size);
	close(fd);
}

/* Swap traffic does not go through the page cache. */
TEST_F_TIMEOUT(engine, no_page_cache_growth, 300)
{
	size_t n = 8 * BUDGET;
	long long cached0, out0, outs;
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	uint8_t *map;

	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	cached0 = meminfo_kib("Cached");
	out0 = read_stat("swap_outs");
	fill_pages(map, 0, n, 8);
	fill_pages(map, 0, n, 9);
	EXPECT_EQ(0, check_pages(map, 0, n, 9, 1));
	outs = read_stat("swap_outs") - out0;
	EXPECT_LT(n, outs);
	EXPECT_GT(1024, meminfo_kib("Cached") - cached0)
		TH_LOG("Cached grew from %lld to %lld KiB over %lld KiB of page-out",
		       cached0, meminfo_kib("Cached"), outs * page_size / 1024);
	munmap(map, n * page_size);
	close(fd);
}

/* Once pressure stops, free frames settle between the watermarks. */
TEST_F_TIMEOUT(engine, watermarks_settle, 300)
{
	size_t n = 4 * BUDGET;
	long long wake0 = read_stat("daemon_wakeups"), low, high, free;
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	uint8_t *map;

	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 10);
	low = read_knob_ll("watermark_low");
	/* Wait, up to ten seconds, for the daemon to finish its last batch. */
	for (int i = 0; i < 1000 && read_stat("free_frames") < low; i++)
		usleep(10000);
	usleep(100000);
	high = read_knob_ll("watermark_high");
	free = read_stat("free_frames");
	EXPECT_LE(low, free);
	/* One batch of 32 may overshoot the high watermark. */
	EXPECT_GE(high + 32, free);
	EXPECT_LT(wake0, read_stat("daemon_wakeups"));
	munmap(map, n * page_size);
	close(fd);
}

/* The major faults this process has taken so far. */
static long majflt_now(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_majflt;
}

#define HOT_PAGES	32
#define HOT_EVERY	16
#define COLD_PASSES	6

/*
 * A hot set against a cold scan twice the budget, under @policy, in one
 * process, with direct reclaim (daemon=0) and the aging clock ticking
 * only by pages faulted in (aging_interval_ms 0), so that the
 * order of every reference, reclaim and tick is the same at every run:
 * the hot set is written, then the scan writes one byte of each cold
 * page, COLD_PASSES times over, and reads every hot page again after
 * every HOT_EVERY cold pages, the textbook's case of a set touched
 * within every interval. Return the major faults the hot set took
 * (those taken during its reads) after the first pass, or -1.
 */
static long hot_cold_run(const char *policy)
{
	size_t hot = HOT_PAGES, n = hot + 2 * BUDGET;
	long majflt = 0, first = 0, before;
	uint8_t *map = NULL;
	int fd;

	if (write_knob("policy", policy) || write_knob("daemon", "0"))
		return -1;
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (fd < 0)
		return -1;
	map = map_region(fd, n);
	if (!map)
		goto fail;
	fill_pages(map, 0, hot, 11);
	for (int pass = 0; pass < COLD_PASSES; pass++) {
		long at = majflt;

		for (size_t p = hot; p < n; p++) {
			map[p * page_size] = pass;
			if ((p - hot) % HOT_EVERY != HOT_EVERY - 1)
				continue;
			before = majflt_now();
			for (size_t h = 0; h < hot; h++)
				(void)__atomic_load_n(PAGE_AT(map, h),
						      __ATOMIC_RELAXED);
			majflt += majflt_now() - before;
		}
		printf("# %s: pass %d: %ld hot-set major faults\n", policy,
		       pass, majflt - at);
		if (!pass)
			first = majflt;
	}
	if (check_pages(map, 0, hot, 11, 0))
		goto fail;
	munmap(map, n * page_size);
	close(fd);
	return majflt - first;
fail:
	if (map)
		munmap(map, n * page_size);
	close(fd);
	return -1;
}

/*
 * Aging and clock keep a hot set resident through a cold scan because
 * they see its reference bits; FIFO evicts it every time round. Fails
 * if the accessed bits are not harvested.
 *
 * The run is the same every time (hot_cold_run()), so the bounds are
 * what the policies' rules give, not figures from past runs. The first
 * pass is a warm-up: until a tick or a lap of the hand has sorted the
 * hot pages from the cold, all are alike, and clock's first reclaim
 * finds every bit set and takes the oldest, the hot set. After it:
 * - aging and clock: no hot-set major fault. A hot page is read again
 *   within HOT_EVERY faults, less than the pages faulted in between two
 *   ticks (an eighth of the budget), so every tick shifts a set bit into
 *   its counter and clock's hand finds its bit set at every visit, while
 *   a cold page is touched once a pass, its bit cleared by the first
 *   tick or visit after its fault;
 * - FIFO: a hot page leaves when BUDGET pages have come in after it at
 *   most, so the set is evicted, and read back, at least once every
 *   BUDGET + HOT_PAGES faults: with 2 * BUDGET cold faults a pass, at
 *   least (COLD_PASSES - 1) * 2 * BUDGET / (BUDGET + HOT_PAGES) times
 *   over the passes counted, less one for the cycle under way at the
 *   start.
 */
TEST_F_TIMEOUT(engine, reference_bits_protect_hot_set, 300)
{
	const long cycles = (COLD_PASSES - 1) * 2 * BUDGET /
			    (BUDGET + HOT_PAGES) - 1;
	long aging, clock, fifo;
	char interval[16];

	ASSERT_EQ(0, read_knob("aging_interval_ms", interval, sizeof(interval)));
	ASSERT_EQ(0, write_knob("aging_interval_ms", "0"));
	aging = hot_cold_run("aging");
	clock = hot_cold_run("clock");
	fifo = hot_cold_run("fifo");
	write_knob("aging_interval_ms", interval);

	TH_LOG("hot-set major faults after the first pass: aging %ld, clock %ld, fifo %ld (at least %ld)",
	       aging, clock, fifo, cycles * HOT_PAGES);
	ASSERT_LE(0, aging);
	ASSERT_LE(0, clock);
	ASSERT_LE(0, fifo);
	EXPECT_EQ(0, aging);
	EXPECT_EQ(0, clock);
	EXPECT_LE(cycles * HOT_PAGES, fifo);
}

/*
 * mlock()ed pages are never evicted, even after another mlocked mapping
 * of them goes away (which clears PG_mlocked on these non-LRU pages).
 */
/*
 * aging_interval_ms 0 takes time out of the aging clock: with aging's
 * pages resident and nothing faulting, an interval of 10 ms ticks again
 * and again, and 0 never (the work that ticks between reclaims stops),
 * until an interval is set again.
 */
TEST_F_TIMEOUT(engine, aging_interval_zero_ticks_only_by_paging, 60)
{
	const size_t n = BUDGET / 2;
	long long t0, t1, t2, t3;
	char interval[16];
	uint8_t *map;
	int fd;

	ASSERT_EQ(0, read_knob("aging_interval_ms", interval, sizeof(interval)));
	ASSERT_EQ(0, write_knob("policy", "aging"));
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 3);
	ASSERT_EQ(0, write_knob("aging_interval_ms", "10"));
	t0 = read_stat("aging_ticks");
	usleep(500 * 1000);
	t1 = read_stat("aging_ticks");
	ASSERT_EQ(0, write_knob("aging_interval_ms", "0"));
	usleep(100 * 1000);	/* a work item already queued may still run */
	t2 = read_stat("aging_ticks");
	usleep(1000 * 1000);
	t3 = read_stat("aging_ticks");
	write_knob("aging_interval_ms", interval);
	TH_LOG("aging ticks: %lld in 0.5 s at 10 ms, %lld in 1 s at 0",
	       t1 - t0, t3 - t2);
	EXPECT_LE(t0 + 2, t1);
	EXPECT_EQ(t2, t3);
	EXPECT_EQ(0, check_pages(map, 0, n, 3, 1));
	munmap(map, n * page_size);
	close(fd);
}

TEST_F_TIMEOUT(engine, mlocked_pages_stay, 300)
{
	size_t locked = 32, n = 4 * BUDGET;
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	uint8_t *map, *other;

	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	other = map_region(fd, locked);
	ASSERT_NE(NULL, other);
	ASSERT_EQ(0, mlock(map, locked * page_size));
	ASSERT_EQ(0, mlock(other, locked * page_size));
	fill_pages(map, 0, n, 12);
	ASSERT_EQ(0, munmap(other, locked * page_size));
	fill_pages(PAGE_AT(map, locked), locked, n - locked, 13);
	EXPECT_EQ(0, check_pages(PAGE_AT(map, locked), locked, n - locked,
				 13, 1));
	EXPECT_EQ(0, child_check_majflt(map, 0, locked, 12));
	munlock(map, locked * page_size);
	munmap(map, n * page_size);
	close(fd);
}

/* Slots are freed with their region; reused slots never leak old data. */
TEST_F_TIMEOUT(engine, slots_freed_and_never_leak, 300)
{
	size_t n = 4 * BUDGET;
	long long slots0 = read_stat("swap_slots_used");
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	uint8_t *map;
	size_t nonzero = 0;

	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 13);
	EXPECT_LT(slots0, read_stat("swap_slots_used"));
	munmap(map, n * page_size);
	close(fd);
	/* Reclaim may hold the region for the rest of its batch. */
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));

	/* A new region reuses those slots: its untouched pages read zero. */
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	for (size_t p = 0; p < n; p += 2)
		map[p * page_size] = 1;
	for (size_t p = 0; p < n; p++)
		for (size_t i = !(p % 2); i < (size_t)page_size; i++)
			nonzero += map[p * page_size + i] != 0;
	EXPECT_EQ(0, nonzero);
	munmap(map, n * page_size);
	close(fd);
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
}

/*
 * SIGKILL while faults wait: processes of four threads each page a
 * region 4x the budget (I/O, frame waits, reclaim) and are killed at
 * random moments, with the daemon and with direct reclaim. Each dies;
 * no region, frame or slot is left behind.
 */
static void *kill_worker(void *arg)
{
	uint8_t *map = arg;
	uint64_t state = (uintptr_t)&state;

	for (;;) {
		state = state * 6364136223846793005ull + 1442695040888963407ull;
		map[(state >> 33) % (4 * BUDGET) * page_size] ^= 1;
	}
	return NULL;
}

TEST_F_TIMEOUT(engine, killed_while_faulting, 300)
{
	long long res0 = read_stat("resident");
	long long slots0 = read_stat("swap_slots_used");
	uint64_t seed = 1;

	for (int round = 0; round < 8; round++) {
		int status;
		pid_t pid;

		ASSERT_EQ(0, write_knob("daemon", round & 1 ? "0" : "1"));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd = open(SWAPLAB_DEVICE, O_RDWR);
			uint8_t *map = fd < 0 ? NULL : map_region(fd, 4 * BUDGET);
			pthread_t t[3];

			if (!map)
				_exit(1);
			for (int i = 0; i < 3; i++)
				pthread_create(&t[i], NULL, kill_worker, map);
			kill_worker(map);
		}
		usleep(100000 + prng_next(&seed) % 400000);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("round %d: the worker exited with %d", round,
			       status);
		EXPECT_EQ(0, wait_stat("regions", 0));
		EXPECT_EQ(res0, wait_stat("resident", res0));
		EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
	}
	EXPECT_EQ(0, write_knob("daemon", "1"));
}

/* Lowering frames under load shrinks the resident set to the budget. */
TEST_F_TIMEOUT(engine, budget_shrinks_under_load, 300)
{
	size_t n = 2 * BUDGET;
	int fd = open(SWAPLAB_DEVICE, O_RDWR);
	uint8_t *map;

	ASSERT_LE(0, fd);
	map = map_region(fd, n);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, BUDGET - 16, 14);
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET / 4));
	/* The daemon writes the surplus out; give it up to ten seconds. */
	for (int i = 0; i < 1000 && read_stat("resident") > BUDGET / 4; i++)
		usleep(10000);
	EXPECT_GE(BUDGET / 4, read_stat("resident"));
	EXPECT_EQ(0, check_pages(map, 0, BUDGET - 16, 14, 1));
	EXPECT_GE(BUDGET / 4, read_stat("resident"));
	munmap(map, n * page_size);
	close(fd);
}

/* Every paging knob refuses bad input with EINVAL and keeps its value. */
TEST_F_TIMEOUT(engine, knobs_reject_bad_input, 300)
{
	static const struct { const char *knob, *val; } bad[] = {
		{ "watermark_low", "0" },
		{ "watermark_low", "-1" },
		{ "watermark_low", "abc" },
		{ "watermark_high", "1" },
		{ "watermark_high", "257" },
		{ "watermark_high", "99999999999999999999" },
		{ "policy", "lru" },
		{ "policy", "\n" },
		{ "policy", "aging clock" },
		{ "policies/aging/bits", "0" },
		{ "policies/aging/bits", "9" },
		{ "policies/aging/bits", "4x" },
		{ "aging_interval_ms", "5" },
		{ "aging_interval_ms", "9" },
		{ "aging_interval_ms", "60001" },
		{ "policies/wsclock/tau_ms", "0" },
		{ "policies/wsclock/tau_ms", "3600001" },
		{ "shadow_max", "4294967297" },
		{ "shadow_max", "-1" },
		{ "readahead", "256" },
		{ "readahead", "4294967295" },
		{ "readahead", "-1" },
		{ "readahead", "autox" },
		{ "daemon", "2" },
		{ "daemon", "-1" },
		{ "daemon", "yes" },
		{ "swapfile_size", "1000" },
		{ "swapfile_size", "4K" },
		{ "swapfile_size", "2T" },
		{ "swapfile_size", "64Q" },
		{ "frames", "1" },
	};
	char before[64], after[64];
	int fd;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, read_knob(bad[i].knob, before, sizeof(before)));
		EXPECT_EQ(-EINVAL, write_knob(bad[i].knob, bad[i].val))
			TH_LOG("%s accepted '%s'", bad[i].knob, bad[i].val);
		ASSERT_EQ(0, read_knob(bad[i].knob, after, sizeof(after)));
		EXPECT_STREQ(before, after);
	}

	/* low >= high is refused from either side. */
	ASSERT_EQ(0, write_knob("watermark_high", "16"));
	ASSERT_EQ(0, write_knob("watermark_low", "8"));
	EXPECT_EQ(-EINVAL, write_knob("watermark_low", "16"));
	EXPECT_EQ(-EINVAL, write_knob("watermark_high", "8"));
	EXPECT_EQ(8, read_knob_ll("watermark_low"));
	EXPECT_EQ(16, read_knob_ll("watermark_high"));

	/* The store cannot change under a region. */
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_knob("swapfile", before, sizeof(before)));
	EXPECT_EQ(-EBUSY, write_knob("swapfile", "none"));
	ASSERT_EQ(0, read_knob("swapfile", after, sizeof(after)));
	EXPECT_STREQ(before, after);
	close(fd);
	/* Reclaim may still hold an earlier test's region for a moment. */
	ASSERT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(-ENOENT, write_knob("swapfile", "/nonexistent/dir/swap"));
	EXPECT_EQ(-EINVAL, write_knob("swapfile", "/dev/null"));
	ASSERT_EQ(0, read_knob("swapfile", after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

TEST_HARNESS_MAIN
