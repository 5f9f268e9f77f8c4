// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab selftests: what the swap store holds. A slot changed under the
 * module is caught by its checksum and turns into SIGBUS, not into wrong
 * data; with encrypt=1 no plaintext reaches the file; a slot is never
 * read before it is written, so one region never sees another's bytes;
 * all of this holds for pages written back from the compressed tier.
 *
 * The tests read the swap file directly (O_DIRECT: the module's bios
 * bypass the page cache) and damage it through the device under its file
 * system, so they skip when the store is not a regular file.
 * Run as root with the module loaded (swaplab.sh does both).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define NR_PAGES	256	/* the region: 1 MiB */
#define NR_FRAMES	64	/* the budget: a quarter of it */
#define MARK_BYTES	64	/* a page's first words identify it on disk */
#define CHUNK		(1 << 20)

/* Expected first bytes of region page @page under @seed. */
static void marker(uint64_t page, uint64_t seed, uint64_t *w)
{
	for (size_t j = 0; j < MARK_BYTES / 8; j++)
		w[j] = pattern(page, j, seed);
}

/* What walk_store_pages() calls with each page of the store. */
struct store_walk {
	void (*page)(struct store_walk *w, long page, const uint8_t *data);
};

/*
 * Read the whole store with O_DIRECT (the module's bios bypass the page
 * cache) and call @w's page() for each of its pages, numbered from the
 * file's start: 0, or -1 when the file cannot be read.
 */
static int walk_store_pages(const char *path, struct store_walk *w)
{
	long off = 0;
	uint8_t *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign((void **)&buf, 4096, CHUNK)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((n = pread(fd, buf, CHUNK, off)) > 0) {
		for (ssize_t b = 0; b < n; b += page_size)
			w->page(w, (off + b) / page_size, buf + b);
		off += n;
	}
	free(buf);
	close(fd);
	return n < 0 ? -1 : 0;
}

struct marker_scan {
	struct store_walk walk;	/* first: the callback's pointer is ours */
	uint64_t marks[NR_PAGES][MARK_BYTES / 8];
	long found;
	long slot0;
};

static void marker_page(struct store_walk *w, long page, const uint8_t *data)
{
	struct marker_scan *m = (struct marker_scan *)w;

	for (size_t p = 0; p < NR_PAGES; p++) {
		if (memcmp(data, m->marks[p], MARK_BYTES))
			continue;
		m->found++;
		if (p == 0)
			m->slot0 = page;
	}
}

/*
 * Scan the store for the markers of pages [0, NR_PAGES) under @seed: the
 * number of slots holding one, and in *@slot0 the slot holding page 0's
 * (-1 if none).
 */
static long scan_store(const char *path, uint64_t seed, long *slot0)
{
	static struct marker_scan m;

	m.walk.page = marker_page;
	m.found = 0;
	m.slot0 = -1;
	for (size_t p = 0; p < NR_PAGES; p++)
		marker(p, seed, m.marks[p]);
	if (walk_store_pages(path, &m.walk))
		return -1;
	*slot0 = m.slot0;
	return m.found;
}

/*
 * Where byte @off of file @fd lies on its device (FIEMAP): the device
 * byte offset, with in *@len how many of the @want bytes from @off on
 * follow it contiguously; -1 if unmapped.
 */
static off_t device_offset(int fd, off_t off, off_t want, off_t *len)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[1];
	} m;
	struct fiemap_extent *fe = &m.fe[0];

	memset(&m, 0, sizeof(m));
	m.fm.fm_start = off;
	m.fm.fm_length = want;
	m.fm.fm_flags = FIEMAP_FLAG_SYNC;
	m.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &m) || m.fm.fm_mapped_extents != 1 ||
	    fe->fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_ENCODED |
			    FIEMAP_EXTENT_UNWRITTEN) ||
	    fe->fe_logical > (uint64_t)off ||
	    fe->fe_logical + fe->fe_length <= (uint64_t)off)
		return -1;
	*len = fe->fe_logical + fe->fe_length - off;
	if (*len > want)
		*len = want;
	return fe->fe_physical + (off - fe->fe_logical);
}

/* Open the block device holding file @fd's file system. */
static int open_device_of(int fd)
{
	char uevent[64], line[128], dev[160] = "";
	struct stat st;
	FILE *f;

	if (fstat(fd, &st))
		return -1;
	snprintf(uevent, sizeof(uevent), "/sys/dev/block/%u:%u/uevent",
		 major(st.st_dev), minor(st.st_dev));
	f = fopen(uevent, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "DEVNAME=", 8))
			snprintf(dev, sizeof(dev), "/dev/%s", line + 8);
	}
	fclose(f);
	return dev[0] ? open(dev, O_RDWR | O_DIRECT) : -1;
}

/*
 * Flip one byte in each page of slot @slot (a page of the file), or of
 * every slot when @slot is -1 (every page but the header page, which
 * holds no slot), on the device under the swap file. The module marks its swap
 * file S_SWAPFILE, so nobody can write the file itself (ETXTBSY, checked
 * here): damage comes from below the file system, as from a bad disk.
 */
static int damage_store(struct __test_metadata *_metadata, const char *path,
			long slot)
{
	off_t off, end, len, phys = 0;
	struct stat st;
	uint8_t *buf;
	int fd, dfd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) ||
	    posix_memalign((void **)&buf, 4096, CHUNK)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dfd = open(path, O_WRONLY);
	if (dfd >= 0) {
		EXPECT_EQ(-1, pwrite(dfd, buf, 1, 0));
		EXPECT_EQ(ETXTBSY, errno);
		close(dfd);
	}
	dfd = open_device_of(fd);
	if (dfd < 0) {
		TH_LOG("cannot open the device under %s: %s", path,
		       strerror(errno));
		phys = -1;
	}
	off = slot < 0 ? page_size : slot * page_size;
	end = slot < 0 ? st.st_size : off + page_size;
	while (phys >= 0 && off < end) {
		phys = device_offset(fd, off, end - off, &len);
		if (phys < 0)
			break;
		if (len > CHUNK)
			len = CHUNK;
		if (pread(dfd, buf, len, phys) != len) {
			phys = -1;
			break;
		}
		for (off_t b = 0; b < len; b += page_size)
			buf[b + 100] ^= 0x5a;
		if (pwrite(dfd, buf, len, phys) != len)
			phys = -1;
		off += len;
	}
	if (dfd >= 0)
		close(dfd);
	free(buf);
	close(fd);
	return phys < 0 ? -1 : 0;
}

/* In a child, read page 0; the signal that killed it, or 0. */
static int child_reads_page0(const uint8_t *map, uint64_t seed, int *bad)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(check_pages(map, 0, 1, seed, 0) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	*bad = WIFEXITED(status) && WEXITSTATUS(status);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

FIXTURE(integrity) {
	int fd;
	uint8_t *map;
	char swapfile[256];
	char frames[32], policy[32], encrypt[8], checksum[8], daemon[8];
	char compress[64], pool_max[32];
	struct saved_store store;
	uint64_t seed;
};

/*
 * The patterns of one run: the swap file keeps what earlier tests wrote
 * in slots since freed, so a scan must not find a small seed's pattern
 * another test used.
 */
#define SEED(n)	(self->seed + (n))

FIXTURE_SETUP(integrity)
{
	struct stat st;

	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	self->map = MAP_FAILED;
	self->seed = (uint64_t)getpid() << 40 ^ (uint64_t)time(NULL) << 8;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	ASSERT_EQ(0, read_knob("swapfile", self->swapfile,
			       sizeof(self->swapfile)));
	if (stat(self->swapfile, &st) || !S_ISREG(st.st_mode))
		SKIP(return, "the store is not a regular file");
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, read_knob("encrypt", self->encrypt,
			       sizeof(self->encrypt)));
	ASSERT_EQ(0, read_knob("checksum", self->checksum,
			       sizeof(self->checksum)));
	ASSERT_EQ(0, read_knob("daemon", self->daemon, sizeof(self->daemon)));
	ASSERT_EQ(0, read_knob("compress", self->compress,
			       sizeof(self->compress)));
	ASSERT_EQ(0, read_knob("compress_pool_max", self->pool_max,
			       sizeof(self->pool_max)));
	ASSERT_EQ(0, save_store(&self->store));
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, wait_stat("swap_slots_used", 0));
	/* FIFO: the first pages written are the first to go out. */
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, write_knob_ll("frames",
				   read_stat("resident") + NR_FRAMES));
}

FIXTURE_TEARDOWN(integrity)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, NR_PAGES * page_size);
	if (self->fd >= 0)
		close(self->fd);
	wait_stat("regions", 0);
	if (self->daemon[0])
		write_knob("daemon", self->daemon);
	if (self->store.size[0] && restore_store(&self->store))
		TH_LOG("could not put the store back: %s", self->store.path);
	if (self->compress[0]) {
		write_knob("compress", self->compress);
		write_knob("compress_pool_max", self->pool_max);
	}
	write_knob("encrypt", self->encrypt);
	write_knob("checksum", self->checksum);
	write_knob("policy", self->policy);
	write_knob("frames", self->frames);
}

/*
 * Switch the store's encryption and checksums, then map a region and
 * write NR_PAGES pages through the NR_FRAMES budget: page 0 and most
 * others end up in swap slots only.
 */
static int fill_region(struct __test_metadata *_metadata,
		       FIXTURE_DATA(integrity) *self, const char *encrypt,
		       const char *checksum, uint64_t seed)
{
	struct swaplab_region_info info;

	ASSERT_EQ(0, write_knob("encrypt", encrypt));
	ASSERT_EQ(0, write_knob("checksum", checksum));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	fill_pages(self->map, 0, NR_PAGES, seed);
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_REGION_INFO, &info));
	ASSERT_LE(NR_PAGES - NR_FRAMES, info.swapped);
	return 0;
}

/*
 * Plain swap: page 0's bytes are in the file (the scan can find them);
 * one byte changed there is caught by the checksum, the reader gets
 * SIGBUS, csum_errors says why, and every other page reads back intact.
 * Whichever crc32c implementation the module measured faster at load
 * (checksum_driver) is the one that must catch it.
 */
TEST_F(integrity, checksum_catches_corruption)
{
	long long csum0, sigbus0;
	char driver[32];
	long slot;
	int bad;

	ASSERT_EQ(0, read_knob("checksum_driver", driver, sizeof(driver)));
	EXPECT_TRUE(!strcmp(driver, "generic") || !strcmp(driver, "library"))
		TH_LOG("checksum_driver: %s", driver);
	EXPECT_EQ(-EACCES, write_knob("checksum_driver", "library"));

	fill_region(_metadata, self, "0", "1", SEED(21));
	ASSERT_LE(1, scan_store(self->swapfile, SEED(21), &slot));
	ASSERT_LE(0, slot);
	ASSERT_EQ(0, damage_store(_metadata, self->swapfile, slot));

	csum0 = read_stat("csum_errors");
	sigbus0 = read_stat("sigbus");
	EXPECT_EQ(SIGBUS, child_reads_page0(self->map, SEED(21), &bad));
	EXPECT_LE(1, read_stat("csum_errors") - csum0);
	EXPECT_LE(1, read_stat("sigbus") - sigbus0);
	EXPECT_EQ(0, check_pages(PAGE_AT(self->map, 1), 1, NR_PAGES - 1, SEED(21),
				 1));
	TH_LOG("slot %ld damaged: csum_errors +%lld (crc32c: %s)", slot,
	       read_stat("csum_errors") - csum0, driver);
}

/*
 * The control: with checksum=0 the same damage reaches the reader as
 * one wrong word, silently. This is what the checksum is for.
 */
TEST_F(integrity, checksum_off_misses_corruption)
{
	long long csum0;
	long slot;
	int bad = 0;

	fill_region(_metadata, self, "0", "0", SEED(22));
	ASSERT_LE(1, scan_store(self->swapfile, SEED(22), &slot));
	ASSERT_LE(0, slot);
	ASSERT_EQ(0, damage_store(_metadata, self->swapfile, slot));

	csum0 = read_stat("csum_errors");
	EXPECT_EQ(0, child_reads_page0(self->map, SEED(22), &bad));
	EXPECT_EQ(1, bad);
	EXPECT_EQ(1, check_pages(self->map, 0, 1, SEED(22), 0));
	EXPECT_EQ(0, read_stat("csum_errors") - csum0);
}

/*
 * encrypt=1: no page's bytes can be found in the file, and every page
 * still reads back (decrypted) intact, twice round the store.
 */
TEST_F(integrity, encrypted_store_has_no_plaintext)
{
	long long outs0 = read_stat("swap_outs");
	long slot;

	fill_region(_metadata, self, "1", "1", SEED(23));
	EXPECT_LE(NR_PAGES - NR_FRAMES, read_stat("swap_outs") - outs0);
	EXPECT_EQ(0, scan_store(self->swapfile, SEED(23), &slot));
	EXPECT_EQ(0, check_pages(self->map, 0, NR_PAGES, SEED(23), 1));
	fill_pages(self->map, 0, NR_PAGES, SEED(24));
	EXPECT_EQ(0, scan_store(self->swapfile, SEED(24), &slot));
	EXPECT_EQ(0, check_pages(self->map, 0, NR_PAGES, SEED(24), 0));
}

/* encrypt=1: damaged ciphertext is caught before it is decrypted. */
TEST_F(integrity, encrypted_corruption_caught)
{
	long long csum0;
	int bad;

	fill_region(_metadata, self, "1", "1", SEED(25));
	ASSERT_EQ(0, damage_store(_metadata, self->swapfile, -1));
	csum0 = read_stat("csum_errors");
	EXPECT_EQ(SIGBUS, child_reads_page0(self->map, SEED(25), &bad));
	EXPECT_LE(1, read_stat("csum_errors") - csum0);
}

/*
 * Pages that compress, each its marker repeated (COMPRESSIBLE_RUN words,
 * MARK_BYTES): they go to the compressed tier, whose pool is kept small, so most of
 * them reach the store by the pool's write-back rather than by reclaim's
 * own page-out. FIFO sends page 0 first, so it is written back first.
 */
static void fill_tier_region(struct __test_metadata *_metadata,
			     FIXTURE_DATA(integrity) *self,
			     const char *encrypt, uint64_t seed)
{
	long long wb0 = read_stat("compress_writeback");

	ASSERT_EQ(0, write_knob("encrypt", encrypt));
	ASSERT_EQ(0, write_knob("checksum", "1"));
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "8K"));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	fill_pages_compressible(self->map, 0, NR_PAGES, seed);
	TH_LOG("%lld pages written back from the pool",
	       read_stat("compress_writeback") - wb0);
	ASSERT_LE(NR_PAGES / 4, read_stat("compress_writeback") - wb0);
}

/*
 * The compressed tier's write-back goes through the store's checksums:
 * page 0, written back from the pool, is found in the file; one byte of
 * it changed there turns its fault into SIGBUS (csum_errors), and every
 * other page reads back intact.
 */
TEST_F(integrity, pool_writeback_checksummed)
{
	long long csum0;
	long slot;
	int bad;

	fill_tier_region(_metadata, self, "0", SEED(31));
	ASSERT_LE(1, scan_store(self->swapfile, SEED(31), &slot));
	ASSERT_LE(0, slot);
	ASSERT_EQ(0, damage_store(_metadata, self->swapfile, slot));
	csum0 = read_stat("csum_errors");
	EXPECT_EQ(SIGBUS, child_reads_page0(self->map, SEED(31), &bad));
	EXPECT_LE(1, read_stat("csum_errors") - csum0);
	EXPECT_EQ(0, check_pages_compressible(PAGE_AT(self->map, 1), 1,
					      NR_PAGES - 1, SEED(31)));
}

/*
 * And through its encryption: with encrypt=1 no page written back from
 * the pool can be found in the file, every page reads back, and damaged
 * ciphertext is caught.
 */
TEST_F(integrity, pool_writeback_encrypted)
{
	long long csum0;
	long slot;
	int bad;

	fill_tier_region(_metadata, self, "1", SEED(32));
	EXPECT_EQ(0, scan_store(self->swapfile, SEED(32), &slot));
	EXPECT_EQ(0, check_pages_compressible(self->map, 0, NR_PAGES,
					      SEED(32)));
	/* Read first, page 0 has left the frames first again, clean. */
	ASSERT_EQ(0, damage_store(_metadata, self->swapfile, -1));
	csum0 = read_stat("csum_errors");
	EXPECT_EQ(SIGBUS, child_reads_page0(self->map, SEED(32), &bad));
	EXPECT_LE(1, read_stat("csum_errors") - csum0);
}

/*
 * Slots are never read before they are written: a region that follows
 * one whose pages filled (and left) the slots reads zeroes, faulted as
 * zero fills; its own pages then go through those slots intact.
 */
TEST_F(integrity, reused_slots_never_leak)
{
	long long zero0;
	uint8_t *map;
	int fd;

	fill_region(_metadata, self, "0", "1", SEED(26));
	munmap(self->map, NR_PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("swap_slots_used", 0));

	fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, fd);
	map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	zero0 = read_stat("zero_fills");
	EXPECT_EQ(0, count_nonzero(map, NR_PAGES * page_size));
	EXPECT_EQ(NR_PAGES, read_stat("zero_fills") - zero0);
	fill_pages(map, 0, NR_PAGES, SEED(27));
	EXPECT_EQ(0, check_pages(map, 0, NR_PAGES, SEED(27), 1));
	munmap(map, NR_PAGES * page_size);
	close(fd);
}

/* A 64-bit FNV-1a hash of one page. */
static uint64_t page_hash(const uint8_t *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (long i = 0; i < page_size; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

struct slot_hashes {
	struct store_walk walk;	/* first: the callback's pointer is ours */
	uint64_t *h;
	long max;
	long nr;
	uint8_t *hdr;
};

static void hash_page(struct store_walk *w, long page, const uint8_t *data)
{
	struct slot_hashes *sh = (struct slot_hashes *)w;

	if (!page) {
		memcpy(sh->hdr, data, page_size);
		return;
	}
	if (page - 1 >= sh->max)
		return;
	sh->h[page - 1] = count_nonzero(data, page_size) ?
			  page_hash(data) : 0;
	sh->nr = page;
}

/*
 * Read the whole store: the hash of every slot's page into @h (slot n is
 * the file's page n + 1; 0 for a page of zeroes), up to @max slots, and
 * the header page into @hdr. Return the number of slots read, -1 on error.
 */
static long hash_slots(const char *path, uint64_t *h, long max, uint8_t *hdr)
{
	struct slot_hashes sh = {
		.walk.page = hash_page, .h = h, .max = max, .hdr = hdr,
	};

	return walk_store_pages(path, &sh.walk) ? -1 : sh.nr;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Of the slots a run wrote (their hash in @h differs from @before's),
 * those whose page equals another's; in *@written, how many it wrote.
 */
static long duplicate_slots(const uint64_t *before, const uint64_t *h,
			    long nr, long *written)
{
	uint64_t *s = malloc(nr * sizeof(*s));
	long dup = 0, n = 0;

	if (!s)
		return -1;
	for (long i = 0; i < nr; i++)
		if (h[i] != before[i])
			s[n++] = h[i];
	qsort(s, n, sizeof(*s), cmp_u64);
	for (long i = 1; i < n; i++)
		dup += s[i] == s[i - 1];
	free(s);
	*written = n;
	return dup;
}

/* Write the same page, page 0's pattern under @seed, to all @n pages. */
static void fill_same(uint8_t *map, size_t n, uint64_t seed)
{
	for (size_t p = 0; p < n; p++) {
		uint64_t *w = (uint64_t *)PAGE_AT(map, p);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = pattern(0, j, seed);
	}
}

#define MAX_SLOTS	(64L << 20 >> 12)

/*
 * encrypt=1: a page written to many slots is a different ciphertext in
 * each (the XTS tweak is the slot). The control, encrypt=0, finds the
 * duplicates this looks for: the same bytes in every slot.
 */
TEST_F(integrity, encrypted_same_page_differs_per_slot)
{
	static uint8_t hdr[4096];
	uint64_t *h0 = calloc(MAX_SLOTS, sizeof(*h0));
	uint64_t *h = calloc(MAX_SLOTS, sizeof(*h));
	long nr, dup_enc, dup_plain, w_enc, w_plain;

	ASSERT_NE(NULL, h0);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(0, write_knob("encrypt", "1"));
	nr = hash_slots(self->swapfile, h0, MAX_SLOTS, hdr);
	ASSERT_LT(0, nr);
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	fill_same(self->map, NR_PAGES, SEED(40));
	ASSERT_LE(NR_PAGES - NR_FRAMES, read_stat("swap_slots_used"));
	ASSERT_EQ(nr, hash_slots(self->swapfile, h, MAX_SLOTS, hdr));
	dup_enc = duplicate_slots(h0, h, nr, &w_enc);

	/* The control: the same under encrypt=0. */
	munmap(self->map, NR_PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, wait_stat("swap_slots_used", 0));
	ASSERT_EQ(0, write_knob("encrypt", "0"));
	memcpy(h0, h, nr * sizeof(*h));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	fill_same(self->map, NR_PAGES, SEED(41));
	ASSERT_EQ(nr, hash_slots(self->swapfile, h, MAX_SLOTS, hdr));
	dup_plain = duplicate_slots(h0, h, nr, &w_plain);
	TH_LOG("%d copies of one page: with encrypt=1, %ld of the %ld slots written repeat another; with encrypt=0, %ld of %ld",
	       NR_PAGES, dup_enc, w_enc, dup_plain, w_plain);
	EXPECT_LE(NR_PAGES - NR_FRAMES, w_enc);
	EXPECT_EQ(0, dup_enc);
	EXPECT_LE(NR_PAGES - NR_FRAMES - 1, dup_plain);
	free(h0);
	free(h);
}

/* Detach the store and attach it again: slots are allocated from 0. */
static int reattach(const char *path)
{
	return write_knob("swapfile", "none") ?: write_knob("swapfile", path);
}

/*
 * Write pages [0, NR_PAGES) under @seed into a new region with the store
 * just attached, one thread reclaiming (daemon=0) under FIFO, so that
 * every run puts the same page in the same slot; then read every slot's
 * hash into @h and close the region.
 */
static long write_run(struct __test_metadata *_metadata,
		      FIXTURE_DATA(integrity) *self, uint64_t seed,
		      uint64_t *h, uint8_t *hdr)
{
	long nr;

	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, reattach(self->swapfile));
	self->fd = open(SWAPLAB_DEVICE, O_RDWR);
	self->map = mmap(NULL, NR_PAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	if (self->map == MAP_FAILED)
		return -1;
	fill_pages(self->map, 0, NR_PAGES, seed);
	nr = hash_slots(self->swapfile, h, MAX_SLOTS, hdr);
	munmap(self->map, NR_PAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, wait_stat("swap_slots_used", 0));
	return nr;
}

/*
 * The bytes of the store's header page: the documented 16-byte header
 * at its end, zeroes before it. Anything else there (a key, say) fails.
 */
static int header_exact(const uint8_t *hdr)
{
	static const uint8_t tail[16] = {
		1, 0, 0, 0, 0x00, 0x10, 0, 0,
		'S', 'W', 'A', 'P', 'L', 'A', 'B', '!',
	};

	return !count_nonzero(hdr, page_size - 16) &&
	       !memcmp(hdr + page_size - 16, tail, 16);
}

/*
 * Would @key (AES-256-XTS, two 256-bit keys) decrypt @ct, the first 16
 * bytes of slot @slot, to @pt? The module's tweak is the slot number,
 * little-endian, in 16 bytes: what OpenSSL's XTS takes as its IV.
 */
static int key_decrypts(const uint8_t *key, long slot, const uint8_t *ct,
			const uint8_t *pt)
{
	uint8_t iv[16] = { 0 }, out[32];
	EVP_CIPHER_CTX *ctx;
	int len, ok;

	for (int i = 0; i < 8; i++)
		iv[i] = (uint64_t)slot >> (8 * i);
	if (!memcmp(key, key + 32, 32))
		return 0;	/* XTS refuses equal halves */
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return 0;
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_xts(), NULL, key, iv) &&
	     EVP_DecryptUpdate(ctx, out, &len, ct, 16) && len == 16 &&
	     !memcmp(out, pt, 16);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * encrypt=1 draws a new key each time it is switched on, and the key
 * never reaches the store:
 *  - the same pages written twice under one key, into the same slots
 *    (those the first run changed), are the same ciphertext (the
 *    control);
 *  - after encrypt=0 and encrypt=1, every one of those slots differs;
 *  - the header page is exactly the documented header, and no 64 bytes
 *    at any offset in it decrypt a slot's first block to its page.
 *
 * With SWAPLAB_CT_OUT set, one more run, of pages that are the same in
 * every process (LOAD_SEED), writes "slot hash" for every slot it wrote
 * to that file. swaplab.sh runs this test once on each of its two loads
 * of the module and checks that every slot's ciphertext differs between
 * them: a reload draws a new key.
 */
#define LOAD_SEED	0x10ad5eed10ad5eedULL
TEST_F(integrity, encrypted_new_key_no_key_on_disk)
{
	static uint8_t hdr[4096], first[16], ct[16];
	uint64_t *h0 = calloc(MAX_SLOTS, sizeof(*h0));
	uint64_t *h1 = calloc(MAX_SLOTS, sizeof(*h1));
	uint64_t *h2 = calloc(MAX_SLOTS, sizeof(*h2));
	uint64_t *h3 = calloc(MAX_SLOTS, sizeof(*h3));
	long nr, same = 0, changed = 0, written = 0, found = 0;
	int fd;

	ASSERT_NE(NULL, h0);
	ASSERT_NE(NULL, h1);
	ASSERT_NE(NULL, h2);
	ASSERT_NE(NULL, h3);
	ASSERT_EQ(0, write_knob("daemon", "0"));
	ASSERT_EQ(0, write_knob("encrypt", "1"));
	/* What earlier tests left in the slots, to tell this test's from. */
	nr = hash_slots(self->swapfile, h0, MAX_SLOTS, hdr);
	ASSERT_LT(0, nr);
	ASSERT_EQ(nr, write_run(_metadata, self, SEED(42), h1, hdr));
	ASSERT_EQ(nr, write_run(_metadata, self, SEED(42), h2, hdr));
	ASSERT_EQ(0, write_knob("encrypt", "0"));
	ASSERT_EQ(0, write_knob("encrypt", "1"));
	ASSERT_EQ(nr, write_run(_metadata, self, SEED(42), h3, hdr));

	for (long i = 0; i < nr; i++) {
		if (h1[i] == h0[i])
			continue;	/* not written by the first run */
		written++;
		same += h1[i] == h2[i];
		changed += h3[i] != h2[i];
	}
	TH_LOG("%ld slots written: %ld the same again under one key, %ld changed under a new key",
	       written, same, changed);
	EXPECT_LE(NR_PAGES - NR_FRAMES, written);
	EXPECT_EQ(written, same);
	EXPECT_EQ(written, changed);

	if (!header_exact(hdr)) {
		long i = 0;

		while (i < page_size - 16 && !hdr[i])
			i++;
		TH_LOG("header page: first byte not zero at %ld; last 16: %02x %02x %02x %02x %02x %02x %02x %02x %.8s",
		       i, hdr[page_size - 16], hdr[page_size - 15],
		       hdr[page_size - 14], hdr[page_size - 13],
		       hdr[page_size - 12], hdr[page_size - 11],
		       hdr[page_size - 10], hdr[page_size - 9],
		       (char *)hdr + page_size - 8);
	}
	EXPECT_TRUE(header_exact(hdr));
	/* Slot 0's first block, which holds page 0 (FIFO) under SEED(42). */
	fd = open(self->swapfile, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(16, pread(fd, ct, 16, page_size));
	close(fd);
	for (int j = 0; j < 2; j++) {
		uint64_t w = pattern(0, j, SEED(42));

		memcpy(first + 8 * j, &w, 8);
	}
	for (long off = 0; off + 64 <= page_size; off++)
		found += key_decrypts(hdr + off, 0, ct, first);
	EXPECT_EQ(0, found);

	if (getenv("SWAPLAB_CT_OUT")) {
		FILE *f = fopen(getenv("SWAPLAB_CT_OUT"), "w");
		long out = 0;

		ASSERT_NE(NULL, f);
		/* h1: every slot this run wrote differs from SEED(42)'s. */
		ASSERT_EQ(nr, write_run(_metadata, self, LOAD_SEED, h1, hdr));
		for (long i = 0; i < nr; i++)
			if (h1[i] != h3[i])
				out += fprintf(f, "%ld %016llx\n", i,
					       (unsigned long long)h1[i]) > 0;
		EXPECT_EQ(0, fclose(f));
		EXPECT_LE(NR_PAGES - NR_FRAMES, out);
	}
	free(h0);
	free(h1);
	free(h2);
	free(h3);
}

/*
 * The switches change only while no slot is in use (-EBUSY otherwise)
 * and take 0 or 1 (-EINVAL otherwise); a refused write changes nothing.
 */
TEST_F(integrity, switches_refuse_while_in_use)
{
	static const char * const bad[] = { "2", "-1", "x", "1 1", "01x" };
	char val[8];

	fill_region(_metadata, self, "0", "1", SEED(28));
	ASSERT_LT(0, read_stat("swap_slots_used"));
	EXPECT_EQ(-EBUSY, write_knob("encrypt", "1"));
	EXPECT_EQ(-EBUSY, write_knob("checksum", "0"));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, write_knob("encrypt", bad[i]));
		EXPECT_EQ(-EINVAL, write_knob("checksum", bad[i]));
	}
	ASSERT_EQ(0, read_knob("encrypt", val, sizeof(val)));
	EXPECT_STREQ("0", val);
	ASSERT_EQ(0, read_knob("checksum", val, sizeof(val)));
	EXPECT_STREQ("1", val);
	EXPECT_EQ(0, check_pages(self->map, 0, NR_PAGES, SEED(28), 0));
}

TEST_HARNESS_MAIN
