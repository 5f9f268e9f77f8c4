// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab compressed tier selftests (module/store/compress.c): the knobs
 * compress and compress_pool_max, a round trip through each of lz4,
 * lzo-rle and zstd with pages that compress, pages that do not and pages
 * of one repeated word, the pool's cap and the write-back of its oldest
 * entries (with checksums and encryption on the way to the store), a
 * change of algorithm while pages are in the pool and under a writer, and
 * the pool's entries freed by DISCARD and by the region's release, and
 * pages read ahead from the pool. Run as
 * root with the module loaded and a swap file attached (swaplab.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET	256
#define NPAGES	(4 * BUDGET)

/*
 * Page @p's word @j, by kind (p % 4): 0, text-like, a 256-byte run of
 * small values repeated (compresses well); 1, random words (do not
 * compress); 2, zeroes; 3, one word repeated, not zero.
 */
static uint64_t tier_word(size_t p, size_t j, uint64_t seed)
{
	switch (p % 4) {
	case 0:
		return mix64(pattern(p, j % 32, seed)) & 0x3f3f3f3f3f3f3f3full;
	case 1:
		return mix64(pattern(p, j, seed));
	case 2:
		return 0;
	default:
		return pattern(p, 0, seed) | 1;
	}
}

static void tier_fill(uint8_t *map, size_t n, uint64_t seed)
{
	for (size_t p = 0; p < n; p++) {
		uint64_t *w = (uint64_t *)PAGE_AT(map, p);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = tier_word(p, j, seed);
	}
}

/*
 * Words of the first @n pages that differ from what tier_fill() wrote.
 * The barrier makes it read memory at every call: the compiler would
 * otherwise take two calls in a row for one (a pure function), and the
 * second pass would fault nothing in.
 */
static size_t tier_check(const uint8_t *map, size_t n, uint64_t seed)
{
	size_t bad = 0;

	__asm__ __volatile__("" : : : "memory");
	for (size_t p = 0; p < n; p++) {
		const uint64_t *w = (const uint64_t *)PAGE_AT(map, p);

		for (size_t j = 0; j < page_size / 8; j++)
			bad += w[j] != tier_word(p, j, seed);
	}
	return bad;
}

/* Is the kernel's crypto API able to give @alg? (/proc/crypto) */
static int have_alg(const char *alg)
{
	char line[256], want[128];
	FILE *f = fopen("/proc/crypto", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "name         : %s\n", alg);
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, want);
	fclose(f);
	return found;
}

FIXTURE(tier) {
	int fd;
	char frames[32];
	char compress[64];
	char pool_max[32];
	char checksum[16];
	char encrypt[16];
	char prefetcher[32];
	uint8_t *map;
};

FIXTURE_SETUP(tier)
{
	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	self->map = MAP_FAILED;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	if (read_stat("swap_slots_total") < 2 * NPAGES)
		SKIP(return, "no backing store of %d pages", 2 * NPAGES);
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("compress", self->compress,
			       sizeof(self->compress)));
	ASSERT_EQ(0, read_knob("compress_pool_max", self->pool_max,
			       sizeof(self->pool_max)));
	ASSERT_EQ(0, read_knob("checksum", self->checksum,
			       sizeof(self->checksum)));
	ASSERT_EQ(0, read_knob("encrypt", self->encrypt,
			       sizeof(self->encrypt)));
	ASSERT_EQ(0, read_knob("prefetcher", self->prefetcher,
			       sizeof(self->prefetcher)));
	ASSERT_EQ(0, write_knob("frames", "256"));
	/* Every page the tests read is a fault of its own, but where said. */
	ASSERT_EQ(0, write_knob("prefetcher", "none"));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NPAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
}

/*
 * Wait up to 30 s for the store to have no slot in use; return those
 * still in use. A region goes with its last reference, which reclaim
 * holds while it writes the region's pages out, so the slots of the test
 * before can outlive its process for as long as that write takes
 * (seconds on a debug kernel); checksum and encrypt change only with no
 * slot in use (EBUSY).
 */
static long long wait_store_idle(void)
{
	return wait_stat_ms("swap_slots_used", 0, 30000);
}

FIXTURE_TEARDOWN(tier)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, NPAGES * page_size);
	if (self->fd < 0)
		return;
	close(self->fd);
	write_knob("compress", self->compress);
	write_knob("compress_pool_max", self->pool_max);
	wait_store_idle();
	write_knob("checksum", self->checksum);
	write_knob("encrypt", self->encrypt);
	write_knob("prefetcher", self->prefetcher);
	write_knob("frames", self->frames);
}

/* Bad values are refused with EINVAL or ENOENT and change nothing. */
TEST_F(tier, knobs)
{
	char buf[128], longname[200];

	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, read_knob("compress", buf, sizeof(buf)));
	EXPECT_STREQ("off", buf);
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, read_knob("compress", buf, sizeof(buf)));
	EXPECT_STREQ("lz4", buf);
	EXPECT_EQ(-ENOENT, write_knob("compress", "nosuchalgorithm"));
	EXPECT_EQ(-EINVAL, write_knob("compress", "\n"));
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_EQ(-EINVAL, write_knob("compress", longname));
	ASSERT_EQ(0, read_knob("compress", buf, sizeof(buf)));
	EXPECT_STREQ("lz4", buf);

	ASSERT_EQ(0, write_knob("compress_pool_max", "1M"));
	EXPECT_EQ(1 << 20, read_knob_ll("compress_pool_max"));
	EXPECT_EQ(-EINVAL, write_knob("compress_pool_max", "x"));
	EXPECT_EQ(-EINVAL, write_knob("compress_pool_max", "-1"));
	EXPECT_EQ(-EINVAL, write_knob("compress_pool_max", "1000000G"));
	EXPECT_EQ(1 << 20, read_knob_ll("compress_pool_max"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "0"));
	EXPECT_EQ(0, read_knob_ll("compress_pool_max"));

	static const char * const stats[] = {
		"compress_stored", "compress_rejected", "same_filled",
		"compress_writeback", "compress_hits", "compress_pool_bytes",
		"compress_pool_pages", "compress_same_pages",
	};
	for (size_t k = 0; k < ARRAY_SIZE(stats); k++) {
		const char *name = stats[k];

		EXPECT_LE(0, read_stat(name))
			TH_LOG("stat has no %s", name);
	}
	ASSERT_EQ(0, write_knob("compress", "off"));
}

/*
 * Each algorithm in turn, the pool big enough for every page: pages that
 * compress are stored and come back from the pool, those that do not go
 * to the store, those of one word take no pool space, and every word
 * reads back, also after the algorithm changed (each entry is read with
 * its own). With the tier off, no page is stored.
 */
TEST_F_TIMEOUT(tier, round_trip, 300)
{
	static const char * const algs[] = { "lz4", "lzo-rle", "zstd", "off" };
	long long stored;

	ASSERT_EQ(0, write_knob("compress_pool_max", "16M"));
	for (size_t a = 0; a + 1 < ARRAY_SIZE(algs); a++) {
		long long st0, rj0, sf0, hi0, wb0, so0, bytes, pages;

		ASSERT_EQ(0, write_knob("compress", algs[a]))
			TH_LOG("%s: %s in /proc/crypto", algs[a],
			       have_alg(algs[a]) ? "listed" : "not listed");
		st0 = read_stat("compress_stored");
		rj0 = read_stat("compress_rejected");
		sf0 = read_stat("same_filled");
		hi0 = read_stat("compress_hits");
		wb0 = read_stat("compress_writeback");
		so0 = read_stat("swap_outs");
		tier_fill(self->map, NPAGES, 60 + a);
		tier_fill(self->map, NPAGES, 60 + a);
		bytes = read_stat("compress_pool_bytes");
		pages = read_stat("compress_pool_pages");
		ASSERT_EQ(0, write_knob("compress", algs[a + 1]));
		/*
		 * Twice: the second pass reads pages that left the pool in
		 * the first, untouched since, and were evicted again.
		 */
		EXPECT_EQ(0, tier_check(self->map, NPAGES, 60 + a));
		EXPECT_EQ(0, tier_check(self->map, NPAGES, 60 + a));
		TH_LOG("%s: %lld stored, %lld rejected, %lld same-filled, %lld hits, %lld swap-outs; %lld pages in %lld bytes",
		       algs[a], read_stat("compress_stored") - st0,
		       read_stat("compress_rejected") - rj0,
		       read_stat("same_filled") - sf0,
		       read_stat("compress_hits") - hi0,
		       read_stat("swap_outs") - so0, pages, bytes);
		/* Of 4 x 1024 pages written and read, 3/4 went out each time. */
		EXPECT_LE(NPAGES / 4, read_stat("compress_stored") - st0);
		EXPECT_LE(NPAGES / 4, read_stat("compress_rejected") - rj0);
		EXPECT_LE(NPAGES / 2, read_stat("same_filled") - sf0);
		EXPECT_LE(NPAGES / 4, read_stat("compress_hits") - hi0);
		EXPECT_LE(NPAGES / 4, read_stat("swap_outs") - so0);
		EXPECT_EQ(0, read_stat("compress_writeback") - wb0);
		/* Text pages take a quarter of a page or less, with headers. */
		EXPECT_LT(0, pages);
		EXPECT_GE(pages * page_size / 4, bytes);
		/* A cap of 0 writes the pool back. */
		ASSERT_EQ(0, write_knob("compress_pool_max", "0"));
		EXPECT_EQ(0, read_stat("compress_pool_pages"));
		EXPECT_EQ(0, read_stat("compress_pool_bytes"));
		ASSERT_EQ(0, write_knob("compress_pool_max", "16M"));
	}
	stored = read_stat("compress_stored");
	tier_fill(self->map, NPAGES, 69);
	tier_fill(self->map, NPAGES, 69);
	EXPECT_EQ(0, tier_check(self->map, NPAGES, 69));
	EXPECT_EQ(stored, read_stat("compress_stored"));
	EXPECT_EQ(0, read_stat("compress_pool_pages"));
}

/*
 * A pool of 32 KiB: its oldest entries are written back to make room,
 * through the store's checksums (and encryption where the kernel has
 * xts(aes)), and never exceed the cap; a cap lowered to 0 writes all back.
 */
TEST_F_TIMEOUT(tier, pool_cap_writes_back, 300)
{
	long long wb0, cs0, bytes, used;

	used = wait_store_idle();
	ASSERT_EQ(0, used) TH_LOG("%lld slots still in use after 30 s", used);
	ASSERT_EQ(0, write_knob("checksum", "1"));
	if (write_knob("encrypt", "1"))
		TH_LOG("encrypt=1 refused: written back unencrypted");
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "32K"));
	wb0 = read_stat("compress_writeback");
	cs0 = read_stat("csum_errors");
	tier_fill(self->map, NPAGES, 70);
	tier_fill(self->map, NPAGES, 70);
	bytes = read_stat("compress_pool_bytes");
	EXPECT_GE(32 * 1024, bytes);
	EXPECT_LT(0, read_stat("compress_pool_pages"));
	TH_LOG("%lld written back, %lld bytes in the pool",
	       read_stat("compress_writeback") - wb0, bytes);
	EXPECT_LT(NPAGES / 4, read_stat("compress_writeback") - wb0);
	EXPECT_EQ(0, tier_check(self->map, NPAGES, 70));

	tier_fill(self->map, NPAGES, 71);
	ASSERT_EQ(0, write_knob("compress_pool_max", "0"));
	EXPECT_EQ(0, read_stat("compress_pool_pages"));
	EXPECT_EQ(0, read_stat("compress_pool_bytes"));
	EXPECT_EQ(0, tier_check(self->map, NPAGES, 71));
	EXPECT_EQ(0, read_stat("csum_errors") - cs0);
}

/*
 * DISCARD frees a page's pool entry (it reads as zeroes), and closing the
 * region frees all the others, same-filled ones too.
 */
TEST_F_TIMEOUT(tier, discard_and_close_free_the_pool, 300)
{
	struct swaplab_range r = { 0, NPAGES / 2 * page_size };
	long long before;

	ASSERT_EQ(0, write_knob("compress", "zstd"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "16M"));
	tier_fill(self->map, NPAGES, 80);
	tier_fill(self->map, NPAGES, 80);
	before = read_stat("compress_pool_pages");
	EXPECT_LT(0, before);
	EXPECT_LT(0, read_stat("compress_same_pages"));
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_DISCARD, &r));
	EXPECT_GT(before, read_stat("compress_pool_pages"));
	EXPECT_EQ(0, count_nonzero(self->map, NPAGES / 2 * page_size));
	munmap(self->map, NPAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	/* Reclaim may hold the region a moment longer (see region.c). */
	for (int i = 0; i < 50 && read_stat("regions"); i++)
		usleep(100000);
	ASSERT_EQ(0, read_stat("regions"));
	EXPECT_EQ(0, read_stat("compress_pool_pages"));
	EXPECT_EQ(0, read_stat("compress_pool_bytes"));
	EXPECT_EQ(0, read_stat("compress_same_pages"));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
}

/*
 * The algorithm changes under a writer that rewrites and checks every
 * page, round after round, the pool small enough to be written back:
 * at least twice through the four settings, counted, while it pages.
 */
TEST_F_TIMEOUT(tier, switch_under_load, 300)
{
	static const char * const algs[] = { "zstd", "off", "lzo-rle", "lz4" };
	const int want = 2 * ARRAY_SIZE(algs);
	int status = 0, switches = 0, go[2], rounds;
	pid_t pid, w;

	ASSERT_EQ(0, write_knob("compress_pool_max", "256K"));
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	tier_fill(self->map, NPAGES, 90);
	ASSERT_EQ(0, pipe2(go, O_NONBLOCK));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;
		int round;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		/*
		 * At least 6 rounds, and on until the parent closes the
		 * pipe (EOF), having switched every algorithm in twice:
		 * the switches all come while this pages, however fast
		 * the machine. The exit status is the number of rounds.
		 */
		for (round = 0; round < 200; round++) {
			if (tier_check(self->map, NPAGES, 90 + round))
				_exit(255);
			tier_fill(self->map, NPAGES, 91 + round);
			if (round + 1 >= 6 && read(go[0], &c, 1) == 0)
				_exit(round + 1);
		}
		_exit(254);
	}
	close(go[0]);
	while ((w = waitpid(pid, &status, WNOHANG)) == 0) {
		const char *alg = algs[switches % ARRAY_SIZE(algs)];

		ASSERT_EQ(0, write_knob("compress", alg));
		if (++switches == want)
			close(go[1]);
		usleep(100000);
	}
	if (switches < want)
		close(go[1]);
	TH_LOG("%d switches of the algorithm while the child paged", switches);
	ASSERT_EQ(pid, w);
	ASSERT_TRUE(WIFEXITED(status));
	rounds = WEXITSTATUS(status);
	ASSERT_LE(6, rounds);
	ASSERT_GT(200, rounds);
	EXPECT_LE(want, switches);
	EXPECT_EQ(0, tier_check(self->map, NPAGES, 90 + rounds));
}

/*
 * Prefetching from the pool: a fault the pool serves is a major fault
 * the prefetcher sees, and the pages it names that are in the pool come
 * in with it, decompressed into free frames. Pages that all compress,
 * read in order: with window (8 pages) far fewer major faults than with
 * none, the pages read ahead counted, compress_hits counting the faults
 * alone, every word right.
 */
TEST_F_TIMEOUT(tier, pool_pages_read_ahead, 300)
{
	static const char * const pf[2] = { "none", "window" };
	long long maj[2] = { 0 }, maj0, ra0, ra, hits0, hits;
	char daemon[16];

	/*
	 * Read-ahead takes free frames only: with the daemon off, each
	 * fault that finds none reclaims a batch, and the pages after it
	 * get frames whatever the daemon's speed.
	 */
	ASSERT_EQ(0, read_knob("daemon", daemon, sizeof(daemon)));
	ASSERT_EQ(0, write_knob("daemon", "0"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "16M"));
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, write_knob("prefetch_window", "8"));
	/* Pages of kind 0 only (4 * p), text-like: each compresses. */
	for (size_t p = 0; p < NPAGES; p++) {
		uint64_t *w = (uint64_t *)PAGE_AT(self->map, p);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = tier_word(4 * p, j, 81);
	}
	for (int round = 0; round < 2; round++) {
		ASSERT_EQ(0, write_knob("prefetcher", pf[round]));
		maj0 = read_stat("major_faults");
		ra0 = read_stat("readahead_pages");
		hits0 = read_stat("compress_hits");
		for (size_t p = 0; p < NPAGES; p++) {
			const uint64_t *w = (const uint64_t *)PAGE_AT(self->map, p);
			size_t bad = 0;

			__asm__ __volatile__("" : : : "memory");
			for (size_t j = 0; j < page_size / 8; j++)
				bad += w[j] != tier_word(4 * p, j, 81);
			ASSERT_EQ(0, bad);
		}
		maj[round] = read_stat("major_faults") - maj0;
		ra = read_stat("readahead_pages") - ra0;
		hits = read_stat("compress_hits") - hits0;
		TH_LOG("prefetcher %s: %lld major faults, %lld served from the pool, %lld pages read ahead",
		       pf[round], maj[round], hits, ra);
		/* Faults the pool serves, or this measures the store. */
		EXPECT_LT(0, hits);
		EXPECT_LE(hits, maj[round]);
		EXPECT_EQ(round == 0, ra == 0);
	}
	/* Nine pages a fault at best; at least four. */
	EXPECT_LT(NPAGES / 2, maj[0]);
	EXPECT_GT(maj[0] / 4, maj[1]);
	EXPECT_LT(0, read_stat("prefetch_window_issued"));
	write_knob("daemon", daemon);
}

TEST_HARNESS_MAIN
