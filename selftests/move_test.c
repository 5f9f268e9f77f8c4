// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab SWAPLAB_IOC_MOVE selftests (module/mm/move.c): pages change
 * regions with no byte copied. Every byte arrives, for pages resident,
 * in the store, in page buffering's pool and in the compressed tier; the
 * source reads as zeroes; a resident page is mapped at its new place with
 * no I/O; bad ranges and refused pages change nothing; a move that races
 * with faults, or with switches of the policy and the allocation mode,
 * loses nothing, and one killed leaks no frame or slot. An exchange
 * (SWAPLAB_MOVE_EXCHANGE) swaps both ranges, whatever they hold, refuses
 * what a move refuses on either side, and, raced by readers or killed at
 * any page, leaves every pair of pages either exchanged or not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

/* The budget; the regions that page out are four times as large. */
#define BUDGET	256
#define BIG	(4 * BUDGET)
/* The most pairs an exchange swaps at once: SWAPLAB_MOVE_RUN, move.rst. */
#define MOVE_RUN	64

/*
 * Move @pages pages from page @soff of @src's region to page @doff of
 * @dst's: 0 or -errno; *@done is the ioctl's report, in pages.
 */
static int move_flags(int src, int dst, size_t soff, size_t doff,
		      size_t pages, uint32_t flags, uint64_t *done)
{
	struct swaplab_move mv = {
		.dst_fd = dst,
		.flags = flags,
		.src_offset = soff * page_size,
		.dst_offset = doff * page_size,
		.length = pages * page_size,
		.done = UINT64_MAX,
	};
	int rc = ioctl(src, SWAPLAB_IOC_MOVE, &mv);

	if (done)
		*done = mv.done == UINT64_MAX ? UINT64_MAX :
			mv.done / page_size;
	return rc ? -errno : 0;
}

static int move_pages(int src, int dst, size_t soff, size_t doff,
		      size_t pages, uint64_t *done)
{
	return move_flags(src, dst, soff, doff, pages, 0, done);
}

/* As move_pages(), the two ranges exchanged. */
static int exchange_pages(int src, int dst, size_t soff, size_t doff,
			  size_t pages, uint64_t *done)
{
	return move_flags(src, dst, soff, doff, pages, SWAPLAB_MOVE_EXCHANGE,
			  done);
}

/*
 * Map two new regions: *@s, of @sn pages (its file *@sfd), and *@d, of
 * @dn pages (*@dfd). 0, or -1 with neither left open.
 */
static int map_pair(int *sfd, uint8_t **s, size_t sn, int *dfd, uint8_t **d,
		    size_t dn)
{
	*s = map_new(sfd, sn);
	if (*s == MAP_FAILED)
		return -1;
	*d = map_new(dfd, dn);
	if (*d != MAP_FAILED)
		return 0;
	munmap(*s, sn * page_size);
	close(*sfd);
	return -1;
}

/* Let go of what map_pair() made. */
static void unmap_pair(int sfd, uint8_t *s, size_t sn, int dfd, uint8_t *d,
		       size_t dn)
{
	munmap(s, sn * page_size);
	munmap(d, dn * page_size);
	close(sfd);
	close(dfd);
}

static struct swaplab_region_info info_of(int fd)
{
	struct swaplab_region_info info;

	memset(&info, 0xff, sizeof(info));
	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info))
		memset(&info, 0xff, sizeof(info));
	return info;
}

/* Wait up to 2 s for the page daemon to be done with its last wakeup. */
static void settle(void)
{
	long long last = -1, now;

	for (int i = 0; i < 40; i++) {
		now = read_stat("evictions");
		if (now == last)
			return;
		last = now;
		usleep(50000);
	}
}

/* Read the byte at @p, so that its page is faulted in if it is not. */
static void touch(const uint8_t *p)
{
	uint8_t v = *p;

	__asm__ __volatile__("" : : "r"(v) : "memory");
}

FIXTURE(move) {
	char frames[32];
	char compress[64];
	char prefetcher[32];
	char page_buffering[8];
	char policy[64];
	char allocation[16];
	char map_at_move[8];
	long long slots, resident;
};

FIXTURE_SETUP(move)
{
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, access(SWAPLAB_DEVICE, F_OK)) TH_LOG("module not loaded");
	ASSERT_LE(4 * BIG, read_stat("swap_slots_total"));
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("compress", self->compress,
			       sizeof(self->compress)));
	ASSERT_EQ(0, read_knob("prefetcher", self->prefetcher,
			       sizeof(self->prefetcher)));
	ASSERT_EQ(0, read_knob("page_buffering", self->page_buffering,
			       sizeof(self->page_buffering)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, read_knob("allocation", self->allocation,
			       sizeof(self->allocation)));
	ASSERT_EQ(0, read_knob("map_at_move", self->map_at_move,
			       sizeof(self->map_at_move)));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	/* Every page read is a fault of its own. */
	ASSERT_EQ(0, write_knob("prefetcher", "none"));
	self->slots = read_stat("swap_slots_used");
	self->resident = read_stat("resident");
}

/* Every frame and slot the tests took is back once their regions go. */
FIXTURE_TEARDOWN(move)
{
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(self->slots, wait_stat("swap_slots_used", self->slots));
	EXPECT_EQ(self->resident, wait_stat("resident", self->resident));
	put_knob_back("compress", self->compress);
	put_knob_back("prefetcher", self->prefetcher);
	put_knob_back("page_buffering", self->page_buffering);
	put_knob_back("policy", self->policy);
	put_knob_back("allocation", self->allocation);
	put_knob_back("map_at_move", self->map_at_move);
	put_knob_back("frames", self->frames);
}

/*
 * Resident pages move with their frames: the destination reads them with
 * no fault that reads or zero-fills, the source reads zeroes.
 */
TEST_F(move, resident_pages_move_with_their_frames)
{
	const size_t n = 32;
	long long moved, res, major, zero;
	struct swaplab_region_info si, di;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, 2 * n));
	fill_pages(s, 0, n, 1);
	moved = read_stat("moved_pages");
	res = read_stat("moved_resident");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, n / 2, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ((long long)n, read_stat("moved_pages") - moved);
	EXPECT_EQ((long long)n, read_stat("moved_resident") - res);
	si = info_of(sfd);
	di = info_of(dfd);
	EXPECT_EQ(0, si.resident);
	EXPECT_EQ(n, di.resident);

	major = read_stat("major_faults");
	zero = read_stat("zero_fills");
	EXPECT_EQ(0, check_pages(d + n / 2 * page_size, 0, n, 1, 0));
	EXPECT_EQ(major, read_stat("major_faults"));
	EXPECT_EQ(zero, read_stat("zero_fills"));
	EXPECT_EQ(0, count_nonzero(s, n * page_size));
	EXPECT_EQ(0, count_nonzero(d, n / 2 * page_size));
	unmap_pair(sfd, s, n, dfd, d, 2 * n);
}

/*
 * Pages out of memory move with their slots (or page buffering's copy,
 * which follows the slot): no slot is taken or freed by the move, every
 * byte arrives, and the destination reads them back from the store.
 */
TEST_F_TIMEOUT(move, swapped_pages_move_with_their_slots, 300)
{
	long long moved, res, slots;
	struct swaplab_region_info si, di;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;
	long majflt;

	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, 2);
	settle();
	si = info_of(sfd);
	ASSERT_LT(si.resident, BIG);
	ASSERT_EQ(BIG, si.resident + si.swapped)
		TH_LOG("%llu resident, %llu swapped", si.resident, si.swapped);
	moved = read_stat("moved_pages");
	res = read_stat("moved_resident");
	slots = read_stat("swap_slots_used");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, BIG, &done));
	EXPECT_EQ(BIG, done);
	EXPECT_EQ(slots, read_stat("swap_slots_used"));
	EXPECT_EQ(BIG, read_stat("moved_pages") - moved);
	EXPECT_GT(BIG, read_stat("moved_resident") - res);
	di = info_of(dfd);
	EXPECT_EQ(BIG, di.resident + di.swapped);
	si = info_of(sfd);
	EXPECT_EQ(0, si.resident + si.swapped);

	majflt = child_check_majflt(d, 0, BIG, 2);
	EXPECT_LT(0, majflt) TH_LOG("the destination read wrong bytes");
	EXPECT_EQ(0, count_nonzero(s, BIG * page_size));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * Pages page buffering holds (evicted with a slot, waiting in free
 * frames) move with their slots, and the pool's copy follows: read at
 * the destination from the last page down, so that the most recently
 * evicted are read before other faults take their frames, some come
 * back from the pool with no I/O, and every byte is right.
 */
TEST_F_TIMEOUT(move, buffered_pages_move_with_their_slots, 300)
{
	long long hits, pooled;
	struct swaplab_region_info di;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;
	size_t bad = 0;

	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, write_knob("page_buffering", "1"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, 4);
	settle();
	pooled = read_stat("page_buffer_pages");
	ASSERT_LT(0, pooled) TH_LOG("no page waits in the pool");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, BIG, &done));
	EXPECT_EQ(BIG, done);
	di = info_of(dfd);
	EXPECT_EQ(BIG, di.resident + di.swapped);
	hits = read_stat("page_buffer_hits");
	for (size_t p = BIG; p-- > 0;)
		bad += check_pages(d + p * page_size, p, 1, 4, 0);
	EXPECT_EQ(0, bad) TH_LOG("the destination read wrong bytes");
	EXPECT_LT(0, read_stat("page_buffer_hits") - hits)
		TH_LOG("%lld pages were in the pool; none came back from it",
		       pooled);
	EXPECT_EQ(0, count_nonzero(s, BIG * page_size));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * Pages in the compressed tier move with their entries: the pool holds
 * as many pages after the move as before, and they decompress at their
 * new place.
 */
TEST_F_TIMEOUT(move, compressed_pages_move_with_their_entries, 300)
{
	long long pool, moved;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages_compressible(s, 0, BIG, 3);
	settle();
	pool = read_stat("compress_pool_pages");
	ASSERT_LT(BUDGET, pool);
	moved = read_stat("moved_pages");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, BIG, &done));
	EXPECT_EQ(BIG, done);
	EXPECT_EQ(BIG, read_stat("moved_pages") - moved);
	EXPECT_EQ(pool, read_stat("compress_pool_pages"));
	EXPECT_EQ(0, check_pages_compressible(d, 0, BIG, 3));
	EXPECT_EQ(0, count_nonzero(s, BIG * page_size));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * In a child: create the named region @name of @pages pages, map it
 * read-only, so that it counts in the split, and read its pages from
 * @from on (a frame each; none when @from is @pages); then say so on
 * @ready and wait to be killed.
 */
static void receiver_child(const char *name, size_t pages, size_t from,
			   int ready)
{
	struct swaplab_attach mk = {
		.size = pages * page_size, .mode = 0600,
		.flags = SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL,
	};
	unsigned int sum = 0;
	char one = 1;
	int dev, box;
	uint8_t *m;

	snprintf(mk.name, sizeof(mk.name), "%s", name);
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	box = dev < 0 ? -1 : ioctl(dev, SWAPLAB_IOC_ATTACH, &mk);
	m = box < 0 ? MAP_FAILED : mmap(NULL, pages * page_size, PROT_READ,
					MAP_SHARED, box, 0);
	if (m == MAP_FAILED)
		_exit(1);
	for (size_t i = from; i < pages; i++)
		sum += __atomic_load_n(&m[i * page_size], __ATOMIC_RELAXED);
	if (sum || write(ready, &one, 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

/*
 * Under allocation=local a resident page moved to a region of another
 * process counts in that process from then on: the frames charged to
 * the sender fall by the pages moved and the receiver's rise by as many
 * (the receiver created the named region, the sender attached to it).
 */
TEST_F(move, local_charge_follows_the_pages)
{
	const size_t n = 32;
	struct swaplab_attach at = {
		.flags = SWAPLAB_ATTACH_CLOEXEC,
	};
	struct procs_row me0, it0, me1, it1;
	unsigned long me, it;
	int sfd, dev, box, ready, status;
	uint64_t done;
	uint8_t *s;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	s = map_new(&sfd, n);
	ASSERT_NE(MAP_FAILED, s);
	fill_pages(s, 0, n, 6);
	me = region_owner(sfd);
	snprintf(at.name, sizeof(at.name), "move_test.%d", (int)getpid());
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	/* Mapped, so that it counts in the split; not touched. */
	if (pid == 0)
		receiver_child(at.name, n, n, ready);
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, dev);
	box = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	ASSERT_LE(0, box) TH_LOG("attach %s: %s", at.name, strerror(errno));
	it = region_owner(box);
	EXPECT_NE(me, it);
	ASSERT_TRUE(proc_by_id(me, &me0));
	ASSERT_TRUE(proc_by_id(it, &it0));

	EXPECT_EQ(0, move_pages(sfd, box, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	ASSERT_TRUE(proc_by_id(me, &me1));
	ASSERT_TRUE(proc_by_id(it, &it1));
	EXPECT_EQ(me0.charged - n, me1.charged)
		TH_LOG("sender: %lu frames before, %lu after", me0.charged,
		       me1.charged);
	EXPECT_EQ(it0.charged + n, it1.charged)
		TH_LOG("receiver: %lu frames before, %lu after", it0.charged,
		       it1.charged);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	munmap(s, n * page_size);
	close(box);
	close(dev);
	close(sfd);
}

/*
 * A region's frames count against its creator's process, whoever brings
 * them in, so a MOVE into another's region can take that process over
 * its allocation, as writing the same pages through a mapping of the
 * region would (Documentation/admin-guide/swaplab/move.rst,
 * "Accounting"): giving others write access to a region gives them a
 * share of its creator's frames to spend. Here the receiver reads 96 of
 * its pages, about its equal share of the budget, and 96 more move in:
 * it holds more than its allocation, until its faults or the daemon
 * evict; every byte reads back at the destination.
 */
TEST_F(move, move_can_take_the_receiver_over_its_allocation)
{
	const size_t n = 96;
	struct swaplab_attach at = { .flags = SWAPLAB_ATTACH_CLOEXEC };
	struct procs_row it0, it1;
	int sfd, dev, box, ready, status;
	uint8_t *s, *b;
	uint64_t done;
	pid_t pid;

	ASSERT_EQ(0, write_knob("allocation", "local"));
	snprintf(at.name, sizeof(at.name), "move_test.over.%d", (int)getpid());
	pid = fork_ready(&ready);
	ASSERT_LE(0, pid);
	/* Its own pages: the second half, a frame each. */
	if (pid == 0)
		receiver_child(at.name, 2 * n, n, ready);
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, dev);
	box = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	ASSERT_LE(0, box) TH_LOG("attach %s: %s", at.name, strerror(errno));
	s = map_new(&sfd, n);
	ASSERT_NE(MAP_FAILED, s);
	fill_pages(s, 0, n, 9);
	ASSERT_TRUE(proc_by_id(region_owner(box), &it0));
	EXPECT_EQ(0, move_pages(sfd, box, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	ASSERT_TRUE(proc_by_id(region_owner(box), &it1));
	TH_LOG("receiver: %lu frames of %ld allocated before, %lu after",
	       it0.charged, it0.alloc, it1.charged);
	EXPECT_LT(0, it1.alloc);
	EXPECT_LT((unsigned long)it1.alloc, it1.charged)
		TH_LOG("the move did not take the receiver over its allocation");
	b = mmap(NULL, n * page_size, PROT_READ, MAP_SHARED, box, 0);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_EQ(0, check_pages(b, 0, n, 9, 1));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	munmap(b, n * page_size);
	munmap(s, n * page_size);
	close(box);
	close(dev);
	close(sfd);
}

/* Within one region, to a range that does not overlap. */
TEST_F(move, within_one_region)
{
	const size_t n = 16;
	uint64_t done;
	uint8_t *m;
	int fd;

	m = map_new(&fd, 3 * n);
	ASSERT_NE(MAP_FAILED, m);
	fill_pages(m, 0, n, 4);
	ASSERT_EQ(0, move_pages(fd, fd, 0, 2 * n, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ(0, check_pages(m + 2 * n * page_size, 0, n, 4, 0));
	EXPECT_EQ(0, count_nonzero(m, 2 * n * page_size));
	munmap(m, 3 * n * page_size);
	close(fd);
}

/*
 * Bad ranges and descriptors get a clear errno, report nothing done, and
 * change nothing: the source keeps its bytes, the destination stays
 * empty.
 */
TEST_F(move, bad_input_changes_nothing)
{
	const size_t n = 8;
	struct swaplab_move mv;
	int sfd, dfd, ro, wo, pfd[2];
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 5);
	ro = open(SWAPLAB_DEVICE, O_RDONLY);
	ASSERT_LE(0, ro);
	wo = open(SWAPLAB_DEVICE, O_WRONLY);
	ASSERT_LE(0, wo);
	ASSERT_EQ(0, pipe(pfd));

	memset(&mv, 0, sizeof(mv));
	mv.dst_fd = dfd;
	mv.src_offset = 1;
	mv.length = page_size;
	EXPECT_EQ(-1, ioctl(sfd, SWAPLAB_IOC_MOVE, &mv));
	EXPECT_EQ(EINVAL, errno) TH_LOG("unaligned offset");
	EXPECT_EQ(0, mv.done);
	mv.src_offset = 0;
	mv.length = page_size + 1;
	EXPECT_EQ(-1, ioctl(sfd, SWAPLAB_IOC_MOVE, &mv));
	EXPECT_EQ(EINVAL, errno) TH_LOG("unaligned length");
	mv.length = page_size;
	mv.flags = SWAPLAB_MOVE_EXCHANGE << 1;
	EXPECT_EQ(-1, ioctl(sfd, SWAPLAB_IOC_MOVE, &mv));
	EXPECT_EQ(EINVAL, errno) TH_LOG("flags");

	EXPECT_EQ(-EINVAL, move_pages(sfd, dfd, 0, 0, 0, &done));
	EXPECT_EQ(0, done);
	/* Past the destination's end (the region size limit). */
	EXPECT_EQ(-EINVAL, move_pages(sfd, dfd, 0,
				      info_of(dfd).size / page_size, 1, &done));
	EXPECT_EQ(-EINVAL, move_pages(sfd, dfd, 0,
				      info_of(dfd).size / page_size - 1, 2,
				      &done));
	/* Past the source's end. */
	EXPECT_EQ(-EINVAL, move_pages(sfd, dfd,
				      info_of(sfd).size / page_size, 0, 1,
				      &done));
	/* Overlapping itself in one region. */
	EXPECT_EQ(-EINVAL, move_pages(sfd, sfd, 0, n / 2, n, &done));
	EXPECT_EQ(-EINVAL, move_pages(sfd, sfd, n / 2, 0, n, &done));
	/* Descriptors: none, not a region's, read-only either side. */
	EXPECT_EQ(-EBADF, move_pages(sfd, -1, 0, 0, n, &done));
	EXPECT_EQ(-EBADF, move_pages(sfd, 1000, 0, 0, n, &done));
	EXPECT_EQ(-EINVAL, move_pages(sfd, pfd[1], 0, 0, n, &done));
	EXPECT_EQ(-EBADF, move_pages(sfd, ro, 0, 0, n, &done));
	EXPECT_EQ(-EBADF, move_pages(ro, dfd, 0, 0, n, &done));
	/* A source that could not read its pages cannot move them. */
	EXPECT_EQ(-EBADF, move_pages(wo, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	/* An exchange gives the caller the destination's pages. */
	EXPECT_EQ(-EBADF, exchange_pages(sfd, wo, 0, 0, n, &done));
	EXPECT_EQ(0, done);

	EXPECT_EQ(0, check_pages(s, 0, n, 5, 0));
	EXPECT_EQ(0, info_of(dfd).resident);
	EXPECT_EQ(0, count_nonzero(d, n * page_size));
	close(pfd[0]);
	close(pfd[1]);
	close(ro);
	close(wo);
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * A destination that holds a page, anywhere in the range: EEXIST before
 * any page moves. A pinned or mlocked page in the source: EBUSY, the
 * same.
 */
TEST_F(move, refused_pages_change_nothing)
{
	const size_t n = 8;
	struct swaplab_range r = { .offset = 0 };
	uint64_t done;
	uint8_t *s, *d;
	int sfd, dfd;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 6);
	d[(n - 1) * page_size] = 1;

	EXPECT_EQ(-EEXIST, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(0, check_pages(s, 0, n, 6, 0));
	EXPECT_EQ(1, d[(n - 1) * page_size]);
	EXPECT_EQ(1, info_of(dfd).resident);

	/* The page with data discarded: the range is empty again. */
	r.offset = (n - 1) * page_size;
	r.length = page_size;
	ASSERT_EQ(0, ioctl(dfd, SWAPLAB_IOC_DISCARD, &r));

	r.offset = (n - 1) * page_size;
	ASSERT_EQ(0, ioctl(sfd, SWAPLAB_IOC_PIN, &r));
	EXPECT_EQ(-EBUSY, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(0, check_pages(s, 0, n, 6, 0));
	EXPECT_EQ(0, info_of(dfd).resident);
	ASSERT_EQ(0, ioctl(sfd, SWAPLAB_IOC_UNPIN, &r));

	/* mlock() keeps its pages where they are, as a pin does. */
	ASSERT_EQ(0, mlock(s + page_size, page_size));
	EXPECT_EQ(-EBUSY, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(0, info_of(dfd).resident);
	ASSERT_EQ(0, munlock(s + page_size, page_size));

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ(0, check_pages(d, 0, n, 6, 0));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/* Wait up to 2 s for the stat counter @name to pass @was; its value. */
static long long wait_past(const char *name, long long was)
{
	long long now = read_stat(name);

	for (int i = 0; i < 200 && now <= was; i++) {
		usleep(10000);
		now = read_stat(name);
	}
	return now;
}

/*
 * Moves race with a child that faults on the source all along, and with
 * reclaim (the regions are four budgets): whatever
 * the move reports done is at the destination, the rest is still at the
 * source, byte for byte. A move may give up on a page the child holds
 * (EBUSY); it is then tried again from where it stopped.
 *
 * One race, pages written with @seed: the faults that began while a move
 * ran, between the two reads of the stat's faults that bracket it (it
 * counts a fault as it begins, and no other task faults on swaplab
 * meanwhile); *@busy counts the moves that gave up on a busy page.
 */
static long long race_with_faults(struct __test_metadata *_metadata,
				  uint64_t seed, size_t *busy)
{
	size_t at = 0, tries = 0;
	long long before, raced = 0;
	int sfd, dfd, status, rc;
	uint64_t done;
	uint8_t *s, *d;
	pid_t pid;

	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, seed);
	before = read_stat("faults");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t state = 99, sum = 0;

		for (;;) {
			size_t p = prng_next(&state) % BIG;

			sum += s[p * page_size];
			/* Read memory each time round. */
			__asm__ __volatile__("" : : "r"(sum) : "memory");
		}
	}
	/* Most of the source is out of memory: the child's reads fault. */
	wait_past("faults", before);
	while (at < BIG && tries++ < 100) {
		before = read_stat("faults");
		rc = move_pages(sfd, dfd, at, at, BIG - at, &done);
		raced += read_stat("faults") - before;
		*busy += rc == -EBUSY;
		EXPECT_TRUE(rc == 0 || rc == -EBUSY)
			TH_LOG("move from page %zu: %s", at, strerror(-rc));
		EXPECT_GE(BIG - at, done);
		if (done > BIG - at)
			break;
		at += done;
		if (rc && rc != -EBUSY)
			break;
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(BIG, at);
	EXPECT_EQ(0, check_pages(d, 0, at, seed, 0))
		TH_LOG("a page moved is wrong at its destination");
	if (at < BIG)
		EXPECT_EQ(0, check_pages(s + at * page_size, at, BIG - at,
					 seed, 0))
			TH_LOG("a page not moved is wrong at its source");
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
	return raced;
}

/*
 * The race must run: the child has begun to fault (it is given up to
 * 2 s) before the first move, and a race in which no fault began during
 * a move (the moves can end before the child's next fault begins) is
 * run again, with new regions, up to eight times in all.
 */
TEST_F_TIMEOUT(move, races_with_faults_lose_nothing, 600)
{
	long long raced = 0;
	size_t busy = 0;
	int round;

	ASSERT_EQ(0, write_knob("compress", "off"));
	for (round = 0; round < 8 && !raced; round++)
		raced = race_with_faults(_metadata, 7 + round, &busy);
	TH_LOG("%d races, %zu moves gave up on a busy page; %lld faults in the last's moves",
	       round, busy, raced);
	EXPECT_LT(0, raced) TH_LOG("no fault began during a move");
}

/*
 * A fault that puts a page in the destination during a move ends the
 * move at that page (EEXIST, done up to it), whether the move met the
 * page when it looked at its run or while it held the run: the fault's
 * page is then in the table, where the move finds it, and no frame is
 * lost (the teardown counts them). A child faults the destination's last
 * page in and discards it, over and over, while the parent moves the
 * source there, and all but its last page back again; a move that finds
 * the page before it begins changes nothing (EEXIST, done 0). The race
 * must run: moves end at the child's page (two, in up to 4000).
 */
TEST_F_TIMEOUT(move, destination_faults_end_the_move, 600)
{
	const size_t n = BIG, rounds = 4000;
	struct swaplab_range r = { (n - 1) * page_size, page_size };
	size_t i, ended = 0, whole = 0;
	int sfd, dfd, status, rc;
	uint64_t done, back;
	uint8_t *s, *d;
	pid_t pid;

	/*
	 * A move long enough for the child's fault to come while it runs:
	 * sixteen runs, with the room for them (no reclaim).
	 */
	ASSERT_EQ(0, write_knob_ll("frames", 3 * n));
	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n - 1, 47);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/*
		 * The page stays away a moment after each discard, so that a
		 * move finds the place empty when it begins and meets the
		 * fault while it runs.
		 */
		for (;;) {
			touch(d + r.offset);
			ioctl(dfd, SWAPLAB_IOC_DISCARD, &r);
			usleep(200);
		}
	}
	for (i = 0; i < rounds && ended < 2; i++) {
		/* The source's last page holds data, so its move looks. */
		s[(n - 1) * page_size] = 1;
		rc = move_pages(sfd, dfd, 0, 0, n, &done);
		EXPECT_TRUE(rc == -EEXIST || rc == 0)
			TH_LOG("move %zu: %s", i, strerror(-rc));
		if (rc == -EEXIST && done) {
			EXPECT_EQ(n - 1, done);
			ended++;
		}
		whole += rc == 0;
		if (done > n)
			break;
		/* What moved left the source; nothing came to it. */
		EXPECT_EQ(n - done, info_of(sfd).resident + info_of(sfd).swapped);
		/* Back, all but the child's page. */
		done = done < n - 1 ? done : n - 1;
		if (done)
			ASSERT_EQ(0, move_pages(dfd, sfd, 0, 0, done, &back));
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	TH_LOG("%zu moves: %zu ended at the page a fault put in their way, %zu went whole",
	       i, ended, whole);
	EXPECT_LT(0, ended) TH_LOG("no move met a fault in its destination");
	EXPECT_EQ(0, check_pages(s, 0, n - 1, 47, 0));
	EXPECT_EQ(0, count_nonzero(d, (n - 1) * page_size));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * A page with history and no data (read as zeroes, then evicted: a
 * shadow with no slot) moves nothing, and its history goes with the
 * move: the source's next faults on such pages are no refaults.
 */
TEST_F_TIMEOUT(move, move_drops_history_without_data, 300)
{
	struct swaplab_region_info si;
	long long refaults, moved;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	ASSERT_EQ(0, count_nonzero(s, BIG * page_size));
	settle();
	si = info_of(sfd);
	ASSERT_LT(si.resident, BIG / 2);
	ASSERT_EQ(0, si.swapped);
	moved = read_stat("moved_pages");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, BIG, &done));
	EXPECT_EQ(BIG, done);
	EXPECT_EQ((long long)si.resident, read_stat("moved_pages") - moved);
	refaults = read_stat("refaults");
	EXPECT_EQ(0, count_nonzero(s, BIG * page_size));
	settle();
	EXPECT_EQ(refaults, read_stat("refaults"))
		TH_LOG("a source page kept its history");
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * Move (with @flags) a whole region from @sfd to @dfd, again from where it
 * stopped when a page was busy (EBUSY: a fault held it): 0, or the first
 * other -errno.
 */
static int move_all_flags(int sfd, int dfd, size_t pages, uint32_t flags)
{
	size_t at = 0, tries = 0;
	uint64_t done;
	int rc = 0;

	while (at < pages && tries++ < 100) {
		rc = move_flags(sfd, dfd, at, at, pages - at, flags, &done);
		if (done > pages - at)
			return -ERANGE;
		at += done;
		if (rc && rc != -EBUSY)
			return rc;
	}
	return at == pages ? 0 : rc ? rc : -EAGAIN;
}

static int move_all(int sfd, int dfd, size_t pages)
{
	return move_all_flags(sfd, dfd, pages, 0);
}

/*
 * Moves race with switches of the policy and of the allocation mode,
 * under reclaim: a region of four budgets moves there and back, eight
 * times at least, while a child switches the policy through every one
 * registered (available_policies) and the allocation between global and
 * local, and faults all along on a region of its own (a fault on the
 * destination would put a page there: EEXIST). Every byte arrives, and
 * the frames and slots come back (FIXTURE_TEARDOWN).
 *
 * The race must run: the child counts its switches (a policy and an
 * allocation mode each, both written without error and read back as
 * written, each unlike the one before) in memory shared with the test, which waits for the first
 * before it moves, and moves there and back again, up to 64 times in
 * all, until the child has made SWITCHES_WHILE_MOVING while it moved.
 */
#define SWITCHES_WHILE_MOVING	4

TEST_F_TIMEOUT(move, races_with_policy_switches_lose_nothing, 600)
{
	char avail[512], *names[32], *save = NULL, *name;
	int sfd, dfd, status, rc = 0, round, nr = 0;
	unsigned long *switches, start, end;
	uint8_t *s, *d;
	pid_t pid;

	ASSERT_EQ(0, read_knob("available_policies", avail, sizeof(avail)));
	for (name = strtok_r(avail, " ", &save); name && nr < 32;
	     name = strtok_r(NULL, " ", &save))
		names[nr++] = name;
	ASSERT_LE(2, nr);
	switches = mmap(NULL, sizeof(*switches), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, switches);
	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, 9);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint64_t state = 5;
		int ofd;
		uint8_t *o = map_new(&ofd, BUDGET);

		if (o == MAP_FAILED)
			_exit(1);
		for (unsigned int i = 0;; i++) {
			const char *mode = i & 1 ? "local" : "global";
			char now[64];

			if (write_knob("policy", names[i % nr]) ||
			    write_knob("allocation", mode) ||
			    read_knob("policy", now, sizeof(now)) ||
			    strcmp(now, names[i % nr]) ||
			    read_knob("allocation", now, sizeof(now)) ||
			    strcmp(now, mode))
				_exit(1);
			__atomic_add_fetch(switches, 1, __ATOMIC_RELAXED);
			for (int k = 0; k < 64; k++)
				o[(prng_next(&state) % BUDGET) * page_size] = k;
		}
	}
	for (int i = 0; i < 200 && !__atomic_load_n(switches, __ATOMIC_RELAXED);
	     i++)
		usleep(10000);
	start = __atomic_load_n(switches, __ATOMIC_RELAXED);
	end = start;
	/* An even number of moves, eight at least: the pages end at home. */
	for (round = 0; !rc && round < 64 &&
	     (round < 8 || round & 1 || end - start < SWITCHES_WHILE_MOVING);
	     round++) {
		rc = move_all(round & 1 ? dfd : sfd, round & 1 ? sfd : dfd,
			      BIG);
		end = __atomic_load_n(switches, __ATOMIC_RELAXED);
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	munmap(switches, sizeof(*switches));
	TH_LOG("%d moves; %lu switches before them, %lu while they ran",
	       round, start, end - start);
	EXPECT_LE(SWITCHES_WHILE_MOVING, end - start)
		TH_LOG("too few switches while the pages moved");
	EXPECT_EQ(0, rc) TH_LOG("round %d: %s", round - 1, strerror(-rc));
	EXPECT_TRUE(WIFSIGNALED(status))
		TH_LOG("a knob write failed, or did not read back");
	EXPECT_EQ(0, check_pages(s, 0, BIG, 9, 0))
		TH_LOG("a page is wrong after %d moves", round);
	EXPECT_EQ(0, count_nonzero(d, BIG * page_size));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * What a read of the source sees while its pages move away. Each word
 * the sender writes says who wrote it, in which round, and where: the
 * page and the word. Readers (two forked children through the mapping
 * they inherited, one through a mapping of its own) read every word of
 * the source's pages, again and again, while the test moves the source
 * to a destination of the same size, writes the receiver's own words
 * over every page that arrived, discards the destination and fills the
 * source again for the next round; the regions are two budgets, so
 * pages move from the store as well as from memory; and again with the
 * compressed tier and page buffering on, so that they move from both.
 *
 * Every word read must be zero or the sender's word for that page and
 * word, of some round: never the receiver's, never another page's. A
 * page read may mix zeroes and data: the move (or the fill) ran while
 * it was being read, a read of a page not being atomic against its
 * unmapping, as with a DISCARD by another process. Torn reads are
 * counted by kind: the data then zeroes (the page left during the
 * read) and any other mix (the fill ran during the read).
 */
#define TEAR_PAGES	(2 * BUDGET)
#define TEAR_READERS	3
#define TEAR_ROUNDS	8

#define SENDER_TAG	(1ULL << 63)
#define RECEIVER_TAG	(1ULL << 62)

static uint64_t tear_word(uint64_t tag, unsigned int round, size_t page,
			  size_t word)
{
	return tag | (uint64_t)round << 40 | (uint64_t)page << 16 | word;
}

static void tear_fill(uint8_t *m, uint64_t tag, unsigned int round)
{
	for (size_t p = 0; p < TEAR_PAGES; p++) {
		uint64_t *w = (uint64_t *)(m + p * page_size);

		for (size_t j = 0; j < page_size / 8; j++)
			w[j] = tear_word(tag, round, p, j);
	}
}

/* What a reader saw: pages read, the tears of each kind, wrong words. */
struct tear_counts {
	uint64_t reads, tear_left, tear_other, wrong;
	uint64_t first_wrong, first_page, first_word;
};

/* A reader: pass after pass over @m until killed, its counts in @out. */
static void tear_reader(const uint8_t *m, struct tear_counts *out)
{
	const size_t words = page_size / 8;

	for (;;) {
		for (size_t p = 0; p < TEAR_PAGES; p++) {
			const uint64_t *w = (const uint64_t *)(m + p * page_size);
			bool zero = false, data = false, zero_after = false;

			for (size_t j = 0; j < words; j++) {
				uint64_t v = __atomic_load_n(&w[j],
							     __ATOMIC_RELAXED);

				if (!v) {
					zero = true;
					continue;
				}
				zero_after |= zero;
				data = true;
				if ((v & ~(0xfffffULL << 40)) !=
				    tear_word(SENDER_TAG, 0, p, j)) {
					if (!out->wrong++) {
						out->first_wrong = v;
						out->first_page = p;
						out->first_word = j;
					}
				}
			}
			if (zero && data) {
				if (zero_after)
					out->tear_other++;
				else
					out->tear_left++;
			}
			__atomic_store_n(&out->reads, out->reads + 1,
					 __ATOMIC_RELAXED);
		}
	}
}

static void tear_run(struct __test_metadata *_metadata, const char *compress,
		     const char *buffering)
{
	const size_t bytes = TEAR_PAGES * page_size;
	struct tear_counts *counts, all = { 0 };
	pid_t pid[TEAR_READERS];
	struct swaplab_range r = { 0, bytes };
	int sfd, dfd, status, rc;
	unsigned int round;
	uint8_t *s, *d;

	ASSERT_EQ(0, write_knob("compress", compress));
	ASSERT_EQ(0, write_knob("page_buffering", buffering));
	counts = mmap(NULL, TEAR_READERS * sizeof(*counts),
		      PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, counts);
	memset(counts, 0, TEAR_READERS * sizeof(*counts));
	ASSERT_EQ(0, map_pair(&sfd, &s, TEAR_PAGES, &dfd, &d, TEAR_PAGES));
	tear_fill(s, SENDER_TAG, 0);
	for (int i = 0; i < TEAR_READERS; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			const uint8_t *m = s;

			/* The last reads through a mapping of its own. */
			if (i == TEAR_READERS - 1)
				m = mmap(NULL, bytes, PROT_READ, MAP_SHARED,
					 sfd, 0);
			if (m == MAP_FAILED)
				_exit(1);
			tear_reader(m, &counts[i]);
		}
	}
	/* Every reader has begun. */
	for (int i = 0; i < TEAR_READERS; i++)
		for (int t = 0; t < 400 &&
		     !__atomic_load_n(&counts[i].reads, __ATOMIC_RELAXED); t++)
			usleep(10000);
	for (round = 1; round <= TEAR_ROUNDS; round++) {
		rc = move_all(sfd, dfd, TEAR_PAGES);
		EXPECT_EQ(0, rc) TH_LOG("round %u: move: %s", round,
					strerror(-rc));
		if (rc)
			break;
		tear_fill(d, RECEIVER_TAG, round);
		ASSERT_EQ(0, ioctl(dfd, SWAPLAB_IOC_DISCARD, &r));
		tear_fill(s, SENDER_TAG, round);
	}
	for (int i = 0; i < TEAR_READERS; i++) {
		kill(pid[i], SIGKILL);
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		all.reads += counts[i].reads;
		all.tear_left += counts[i].tear_left;
		all.tear_other += counts[i].tear_other;
		all.wrong += counts[i].wrong;
		if (counts[i].wrong)
			TH_LOG("reader %d: word %#llx at page %llu, word %llu",
			       i, (unsigned long long)counts[i].first_wrong,
			       (unsigned long long)counts[i].first_page,
			       (unsigned long long)counts[i].first_word);
	}
	TH_LOG("compress %s, page buffering %s, %u rounds: %llu pages read, %llu torn as data then zeroes, %llu torn otherwise, %llu wrong words",
	       compress, buffering, round - 1, (unsigned long long)all.reads,
	       (unsigned long long)all.tear_left,
	       (unsigned long long)all.tear_other,
	       (unsigned long long)all.wrong);
	EXPECT_EQ(TEAR_ROUNDS, round - 1);
	EXPECT_LT(TEAR_ROUNDS * TEAR_PAGES, all.reads)
		TH_LOG("the readers hardly read");
	EXPECT_EQ(0, all.wrong)
		TH_LOG("a read saw a word that was neither zero nor the page's");
	munmap(counts, TEAR_READERS * sizeof(*counts));
	unmap_pair(sfd, s, TEAR_PAGES, dfd, d, TEAR_PAGES);
}

TEST_F_TIMEOUT(move, reads_during_moves_see_the_page_or_zeroes, 900)
{
	tear_run(_metadata, "off", "0");
	tear_run(_metadata, "lz4", "1");
}

/*
 * SIGKILL in the middle of a move of a region paged out: the mover dies
 * at once, and when its regions go every frame and slot is back
 * (FIXTURE_TEARDOWN checks them).
 */
TEST_F_TIMEOUT(move, sigkill_mid_move_leaks_nothing, 300)
{
	int ready, status;
	struct timespec t0, t1;
	pid_t pid;

	ASSERT_EQ(0, write_knob("compress", "off"));
	for (int round = 0; round < 4; round++) {
		pid = fork_ready(&ready);
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int sfd, dfd;
			uint8_t *s, *d;
			char one = 1;

			if (map_pair(&sfd, &s, BIG, &dfd, &d, BIG))
				_exit(1);
			fill_pages(s, 0, BIG, 8);
			if (write(ready, &one, 1) != 1)
				_exit(1);
			for (;;) {
				move_pages(sfd, dfd, 0, 0, BIG, NULL);
				move_pages(dfd, sfd, 0, 0, BIG, NULL);
			}
		}
		usleep(1000 * (1 + 7 * round));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_GT(2.0, t1.tv_sec - t0.tv_sec +
				       (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
}

/*
 * An exchange: the source's resident pages go to the destination with
 * their frames, and the destination's, half written and half never
 * touched, come to the source: the written half with their frames, the
 * rest as zeroes. Every page is read where it went with no fault that
 * reads or zero-fills but for the pages that went as zeroes.
 */
TEST_F(move, exchange_swaps_both_ranges)
{
	const size_t n = 32;
	long long moved, res, major, zero;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 11);
	fill_pages(d, 0, n / 2, 12);
	moved = read_stat("moved_pages");
	res = read_stat("moved_resident");

	ASSERT_EQ(0, exchange_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ((long long)(n + n / 2), read_stat("moved_pages") - moved);
	EXPECT_EQ((long long)(n + n / 2), read_stat("moved_resident") - res);
	EXPECT_EQ(n / 2, info_of(sfd).resident);
	EXPECT_EQ(n, info_of(dfd).resident);

	major = read_stat("major_faults");
	zero = read_stat("zero_fills");
	EXPECT_EQ(0, check_pages(d, 0, n, 11, 0));
	EXPECT_EQ(0, check_pages(s, 0, n / 2, 12, 0));
	EXPECT_EQ(major, read_stat("major_faults"));
	EXPECT_EQ(zero, read_stat("zero_fills"));
	EXPECT_EQ(0, count_nonzero(s + n / 2 * page_size, n / 2 * page_size));

	/* And back: each range as it was. */
	ASSERT_EQ(0, exchange_pages(dfd, sfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ(0, check_pages(s, 0, n, 11, 0));
	EXPECT_EQ(0, check_pages(d, 0, n / 2, 12, 0));
	EXPECT_EQ(0, count_nonzero(d + n / 2 * page_size, n / 2 * page_size));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * A move nothing holds up works a run of pages at a time too: 80
 * resident pages go in two runs (move_runs), and read back at the
 * destination, the source empty.
 */
TEST_F(move, move_works_by_runs)
{
	const size_t n = MOVE_RUN + 16;
	long long runs, moved;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 43);
	runs = read_stat("move_runs");
	moved = read_stat("moved_resident");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ(2, read_stat("move_runs") - runs);
	EXPECT_EQ((long long)n, read_stat("moved_resident") - moved);
	EXPECT_EQ(0, info_of(sfd).resident);
	EXPECT_EQ(0, check_pages(d, 0, n, 43, 0));
	EXPECT_EQ(0, count_nonzero(s, n * page_size));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * An exchange nothing holds up works a run of pairs at a time (up to
 * MOVE_RUN): 80 pairs of resident pages change places in two runs, each
 * with one hold of the policy mutex and of the tables' locks (move_runs),
 * not eighty; and every byte is where the exchange put it.
 */
TEST_F(move, exchange_works_by_runs)
{
	const size_t n = MOVE_RUN + 16;
	long long runs, moved;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 41);
	fill_pages(d, 0, n, 42);
	runs = read_stat("move_runs");
	moved = read_stat("moved_resident");

	ASSERT_EQ(0, exchange_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ(2, read_stat("move_runs") - runs);
	EXPECT_EQ((long long)(2 * n), read_stat("moved_resident") - moved);
	EXPECT_EQ(0, check_pages(d, 0, n, 41, 0));
	EXPECT_EQ(0, check_pages(s, 0, n, 42, 0));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * Both ranges paged out in part: each page's slot, or frame, goes to the
 * other side; no slot is taken or freed by the exchange, and every byte
 * is read back where it went.
 */
TEST_F_TIMEOUT(move, exchange_swapped_out_pages, 300)
{
	long long slots;
	struct swaplab_region_info si, di;
	int sfd, dfd;
	uint64_t done;
	uint8_t *s, *d;

	ASSERT_EQ(0, write_knob("compress", "off"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, 13);
	fill_pages(d, 0, BIG, 14);
	settle();
	si = info_of(sfd);
	di = info_of(dfd);
	ASSERT_EQ(2 * BIG, si.resident + si.swapped + di.resident + di.swapped);
	ASSERT_LT(0, si.swapped + di.swapped);
	slots = read_stat("swap_slots_used");

	ASSERT_EQ(0, exchange_pages(sfd, dfd, 0, 0, BIG, &done));
	EXPECT_EQ(BIG, done);
	EXPECT_EQ(slots, read_stat("swap_slots_used"));
	EXPECT_EQ(0, check_pages(d, 0, BIG, 13, 1));
	EXPECT_EQ(0, check_pages(s, 0, BIG, 14, 1));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * What a move refuses in the source, an exchange refuses on either side:
 * a pinned or mlocked page of the destination, before any page changes
 * places.
 */
TEST_F(move, exchange_refuses_on_both_sides)
{
	const size_t n = 8;
	struct swaplab_range r = { .offset = 0, .length = page_size };
	uint64_t done;
	uint8_t *s, *d;
	int sfd, dfd;

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 15);
	fill_pages(d, 0, n, 16);

	r.offset = (n - 1) * page_size;
	ASSERT_EQ(0, ioctl(dfd, SWAPLAB_IOC_PIN, &r));
	EXPECT_EQ(-EBUSY, exchange_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	ASSERT_EQ(0, ioctl(dfd, SWAPLAB_IOC_UNPIN, &r));

	ASSERT_EQ(0, mlock(d + page_size, page_size));
	EXPECT_EQ(-EBUSY, exchange_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(0, done);
	ASSERT_EQ(0, munlock(d + page_size, page_size));

	EXPECT_EQ(0, check_pages(s, 0, n, 15, 0));
	EXPECT_EQ(0, check_pages(d, 0, n, 16, 0));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * Page i of either range is pattern(i, seed a) or pattern(i, seed b), and
 * the two hold one each: the pair was exchanged, or not, as a whole.
 * Return: the pages where that fails.
 */
static size_t pairs_broken(const uint8_t *s, const uint8_t *d, size_t n,
			   uint64_t a, uint64_t b)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		bool sa = !check_pages(s + i * page_size, i, 1, a, 0);
		bool sb = !check_pages(s + i * page_size, i, 1, b, 0);
		bool da = !check_pages(d + i * page_size, i, 1, a, 0);
		bool db = !check_pages(d + i * page_size, i, 1, b, 0);

		bad += !((sa && db) || (sb && da));
	}
	return bad;
}

/*
 * A process that exchanges two ranges back and forth is killed at a
 * random moment: each pair of pages is exchanged or not, no page is lost
 * or seen twice, and no frame or slot leaks (FIXTURE_TEARDOWN).
 */
TEST_F_TIMEOUT(move, exchange_killed_keeps_every_pair, 300)
{
	int sfd, dfd, status;
	uint8_t *s, *d;
	pid_t pid;

	ASSERT_EQ(0, write_knob("compress", "off"));
	for (int round = 0; round < 4; round++) {
		ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
		fill_pages(s, 0, BIG, 17);
		fill_pages(d, 0, BIG, 18);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			for (;;)
				exchange_pages(sfd, dfd, 0, 0, BIG, NULL);
		}
		usleep(1000 * (1 + 7 * round));
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_EQ(0, pairs_broken(s, d, BIG, 17, 18));
		unmap_pair(sfd, s, BIG, dfd, d, BIG);
	}
}

/* Exchange two whole ranges of @pages, as move_all() moves them. */
static int exchange_all(int sfd, int dfd, size_t pages)
{
	return move_all_flags(sfd, dfd, pages, SWAPLAB_MOVE_EXCHANGE);
}

/*
 * Exchanges over and over while a child faults in, and discards, the
 * last page of each run of the destination: a fault that comes while an
 * exchange holds the place empty for its pair (the room for the entry
 * it brings) puts its page in the table, where the exchange finds it and
 * takes it in the pair; no frame is lost (the teardown counts them).
 * Every other page is where an even number of exchanges puts it back.
 */
TEST_F_TIMEOUT(move, exchange_meets_destination_faults, 600)
{
	const size_t n = 2 * MOVE_RUN, rounds = 1000;
	struct swaplab_range r[2] = {
		{ (MOVE_RUN - 1) * page_size, page_size },
		{ (n - 1) * page_size, page_size },
	};
	int sfd, dfd, status, k;
	long long faults;
	uint8_t *s, *d;
	pid_t pid[2];
	size_t i;

	/* Room for both ranges and the children's pages: no reclaim. */
	ASSERT_EQ(0, write_knob_ll("frames", 4 * n));
	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 45);
	fill_pages(d, 0, n, 46);
	for (k = 0; k < 2; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			for (;;) {
				touch(d + r[k].offset);
				ioctl(dfd, SWAPLAB_IOC_DISCARD, &r[k]);
			}
		}
	}
	faults = read_stat("faults");
	for (i = 0; i < rounds; i++) {
		int rc = exchange_all(sfd, dfd, n);

		if (rc) {
			EXPECT_EQ(0, rc) TH_LOG("exchange %zu", i);
			break;
		}
	}
	for (k = 0; k < 2; k++) {
		kill(pid[k], SIGKILL);
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
	}
	faults = read_stat("faults") - faults;
	TH_LOG("%zu exchanges, %lld faults meanwhile", i, faults);
	EXPECT_LT((long long)rounds / 10, faults) TH_LOG("the children hardly ran");
	for (i = 0; i < n; i++) {
		if (i == MOVE_RUN - 1 || i == n - 1)
			continue;
		EXPECT_EQ(0, check_pages(s + i * page_size, i, 1, 45, 0));
		EXPECT_EQ(0, check_pages(d + i * page_size, i, 1, 46, 0));
	}
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * Readers of both ranges while they are exchanged back and forth: a word
 * read is always one of the two patterns' words for its page, never a
 * third nor zero (both ranges hold data at every page throughout), and
 * at the end every pair is whole.
 */
TEST_F_TIMEOUT(move, exchange_races_with_readers, 300)
{
	const size_t n = 64, rounds = 200;
	int sfd, dfd, status;
	uint8_t *s, *d;
	pid_t pid[2];

	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 19);
	fill_pages(d, 0, n, 20);
	for (int k = 0; k < 2; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			const uint8_t *at = k ? d : s;
			uint64_t state = 21 + k;

			for (;;) {
				size_t i = prng_next(&state) % n;
				size_t w = prng_next(&state) % (page_size / 8);
				uint64_t v = __atomic_load_n((const uint64_t *)
							 (at + i * page_size) + w,
							 __ATOMIC_RELAXED);

				if (v != pattern(i, w, 19) &&
				    v != pattern(i, w, 20))
					_exit(1);
			}
		}
	}
	for (size_t r = 0; r < rounds; r++)
		ASSERT_EQ(0, exchange_all(sfd, dfd, n));
	for (int k = 0; k < 2; k++) {
		/* A reader that found a third value has exited 1. */
		EXPECT_EQ(0, waitpid(pid[k], &status, WNOHANG));
		kill(pid[k], SIGKILL);
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
	}
	EXPECT_EQ(0, pairs_broken(s, d, n, 19, 20));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * A reader of one range of an exchange, in a child: it maps the range
 * (with map_at_move on, a mapping the exchanges map pages into), reads a
 * word of a random page and checks that it is either pattern's for that
 * page, forks a child that does the same once and exits, and unmaps it
 * again, for ever. Exit 1 on a third value.
 */
static void exchange_reader(int fd, size_t n, uint64_t a, uint64_t b,
			    uint64_t state, unsigned long *loops)
{
	for (;; __atomic_add_fetch(loops, 1, __ATOMIC_RELAXED)) {
		const uint8_t *at = mmap(NULL, n * page_size, PROT_READ,
					 MAP_SHARED, fd, 0);
		pid_t pid;

		if (at == MAP_FAILED)
			_exit(1);
		for (int k = 0; k < 16; k++) {
			size_t i = prng_next(&state) % n;
			size_t w = prng_next(&state) % (page_size / 8);
			uint64_t v = __atomic_load_n((const uint64_t *)
						 (at + i * page_size) + w,
						 __ATOMIC_RELAXED);

			if (v != pattern(i, w, a) && v != pattern(i, w, b))
				_exit(1);
		}
		pid = fork();
		if (pid == 0) {
			size_t i = prng_next(&state) % n;
			uint64_t v = *(const uint64_t *)(at + i * page_size);

			_exit(v != pattern(i, 0, a) && v != pattern(i, 0, b));
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			_exit(1);
		if (munmap((void *)at, n * page_size))
			_exit(1);
	}
}

/* A count another process adds to. */
static unsigned long count_of(unsigned long *count)
{
	return __atomic_load_n(count, __ATOMIC_RELAXED);
}

/*
 * Exchanges of two ranges four times the budget, mapped at the move,
 * while reclaim pages both out and in, a child switches the policy, and
 * a reader of each range maps, reads, forks and unmaps it over and over:
 * no reader sees a third value, every pair is whole at the end, and
 * nothing leaks (FIXTURE_TEARDOWN). The race must run: the exchanges
 * start once every child has gone round once, and each child goes round
 * again, and pages are evicted, while they run.
 */
TEST_F_TIMEOUT(move, exchange_races_with_reclaim_switches_fork_munmap, 900)
{
	char avail[512], *names[32], *save = NULL, *name;
	int sfd, dfd, status, nr = 0, rc = 0;
	unsigned long *loops, before[3];
	long long evicted;
	uint8_t *s, *d;
	pid_t pid[3];

	ASSERT_EQ(0, read_knob("available_policies", avail, sizeof(avail)));
	for (name = strtok_r(avail, " ", &save); name && nr < 32;
	     name = strtok_r(NULL, " ", &save))
		names[nr++] = name;
	ASSERT_LE(2, nr);
	loops = mmap(NULL, 3 * sizeof(*loops), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, loops);
	ASSERT_EQ(0, write_knob("map_at_move", "1"));
	ASSERT_EQ(0, map_pair(&sfd, &s, BIG, &dfd, &d, BIG));
	fill_pages(s, 0, BIG, 32);
	fill_pages(d, 0, BIG, 33);
	for (int k = 0; k < 3; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0 && k < 2)
			exchange_reader(k ? dfd : sfd, BIG, 32, 33, 40 + k,
					&loops[k]);
		if (pid[k] == 0) {
			for (unsigned int i = 0;; i++) {
				if (write_knob("policy", names[i % nr]))
					_exit(1);
				__atomic_add_fetch(&loops[2], 1,
						   __ATOMIC_RELAXED);
				usleep(20000);
			}
		}
	}
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 500 && !count_of(&loops[k]); i++)
			usleep(10000);
		before[k] = count_of(&loops[k]);
	}
	evicted = read_stat("evictions");
	for (int r = 0; r < 6 && !rc; r++)
		rc = exchange_all(sfd, dfd, BIG);
	EXPECT_EQ(0, rc) TH_LOG("%s", strerror(-rc));
	evicted = read_stat("evictions") - evicted;
	TH_LOG("while the exchanges ran: %lu and %lu reader rounds, %lu policy switches, %lld evictions",
	       loops[0] - before[0], loops[1] - before[1],
	       loops[2] - before[2], evicted);
	for (int k = 0; k < 3; k++) {
		EXPECT_LT(before[k], count_of(&loops[k]))
			TH_LOG("child %d did not run with the exchanges", k);
	}
	EXPECT_LT(0, evicted);
	for (int k = 0; k < 3; k++) {
		/* A child that failed has exited 1. */
		EXPECT_EQ(0, waitpid(pid[k], &status, WNOHANG));
		kill(pid[k], SIGKILL);
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status));
	}
	EXPECT_EQ(0, pairs_broken(s, d, BIG, 32, 33));
	munmap(loops, 3 * sizeof(*loops));
	unmap_pair(sfd, s, BIG, dfd, d, BIG);
}

/*
 * Faults on swaplab's pages so far, in any process: every fault on a page
 * not mapped reaches the module's ->fault (its ->map_pages maps nothing).
 * Not this process's minor faults, which count its own stack and data
 * too: a child of the harness takes a copy-on-write fault on each page
 * of them it first writes, as many as the call depth reaches.
 */
static long long swaplab_faults(void)
{
	return read_stat("faults");
}

/*
 * With map_at_move: pages moved into a range are mapped there by the
 * move, in the writable mapping and in a read-only one made while the
 * knob was on, so reading them takes no fault; the read-only mapping
 * maps them read-only (a write through it is SIGSEGV, in a child); a
 * mapping made before the knob was on is left to its faults.
 */
TEST_F(move, map_at_move_maps_the_receiver)
{
	const size_t n = 16;
	long long mapped;
	uint8_t *s, *d, *ro, *old;
	int sfd, dfd, oldfd, status;
	uint64_t done;
	long long flt;
	pid_t pid;

	ASSERT_EQ(0, write_knob("map_at_move", "0"));
	old = map_new(&oldfd, n);
	ASSERT_NE(MAP_FAILED, old);
	ASSERT_EQ(0, write_knob("map_at_move", "1"));
	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	ro = mmap(NULL, n * page_size, PROT_READ, MAP_SHARED, dfd, 0);
	ASSERT_NE(MAP_FAILED, ro);
	fill_pages(s, 0, n, 23);
	mapped = read_stat("moved_mapped");

	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, n, &done));
	EXPECT_EQ(n, done);
	EXPECT_EQ((long long)(2 * n), read_stat("moved_mapped") - mapped);
	flt = swaplab_faults();
	EXPECT_EQ(0, check_pages(d, 0, n, 23, 0));
	EXPECT_EQ(0, check_pages(ro, 0, n, 23, 0));
	EXPECT_EQ(flt, swaplab_faults()) TH_LOG("a page moved in took a fault");

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ro[0] = 1;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	EXPECT_EQ(0, check_pages(d, 0, 1, 23, 0));

	/* The mapping made before the knob: its first touch maps. */
	fill_pages(s, 0, n, 24);
	mapped = read_stat("moved_mapped");
	ASSERT_EQ(0, move_pages(sfd, oldfd, 0, 0, n, &done));
	EXPECT_EQ(0, read_stat("moved_mapped") - mapped);
	flt = swaplab_faults();
	EXPECT_EQ(0, check_pages(old, 0, n, 24, 0));
	EXPECT_LE(flt + (long long)n, swaplab_faults());

	munmap(ro, n * page_size);
	munmap(old, n * page_size);
	close(oldfd);
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * An exchange with map_at_move: both ranges are mapped again at once,
 * each with the other's pages, and a ping-pong of messages reads and
 * writes them with no fault: the pages are dirty, so they are mapped
 * writable where the mapping is (no write-notify fault either), and the
 * bytes written go with them at the next exchange.
 */
TEST_F(move, exchange_maps_both_sides)
{
	const size_t n = 16;
	long long mapped, notify;
	int sfd, dfd;
	uint8_t *s, *d;
	long long flt;

	ASSERT_EQ(0, write_knob("map_at_move", "1"));
	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	fill_pages(s, 0, n, 25);
	fill_pages(d, 0, n, 26);
	mapped = read_stat("moved_mapped");
	ASSERT_EQ(0, exchange_pages(sfd, dfd, 0, 0, n, NULL));
	EXPECT_EQ((long long)(2 * n), read_stat("moved_mapped") - mapped);
	notify = read_stat("write_notify");
	flt = swaplab_faults();
	EXPECT_EQ(0, check_pages(d, 0, n, 25, 0));
	EXPECT_EQ(0, check_pages(s, 0, n, 26, 0));
	EXPECT_EQ(flt, swaplab_faults()) TH_LOG("an exchanged page took a fault");

	/* The sender's next message, over the pages it got back. */
	fill_pages(s, 0, n, 27);
	EXPECT_EQ(flt, swaplab_faults()) TH_LOG("a write to a dirty page took a fault");
	EXPECT_EQ(notify, read_stat("write_notify"));
	ASSERT_EQ(0, exchange_pages(sfd, dfd, 0, 0, n, NULL));
	EXPECT_EQ(0, check_pages(d, 0, n, 27, 0));
	EXPECT_EQ(0, check_pages(s, 0, n, 25, 0));
	unmap_pair(sfd, s, n, dfd, d, n);
}

/*
 * With map_at_move, a page that arrives clean (read, never written) is
 * mapped read-only even in a writable mapping: its first write there
 * takes the write-notify fault that marks it dirty, so that it is
 * written out when it is evicted and its bytes survive a trip through
 * the store.
 */
TEST_F_TIMEOUT(move, map_at_move_keeps_clean_pages_read_only, 300)
{
	const size_t n = 16;
	long long notify;
	int sfd, dfd, xfd;
	uint8_t *s, *d, *x;
	long long flt;

	ASSERT_EQ(0, write_knob("map_at_move", "1"));
	ASSERT_EQ(0, map_pair(&sfd, &s, n, &dfd, &d, n));
	/* Read faults: frames of zeroes, clean. */
	ASSERT_EQ(0, count_nonzero(s, n * page_size));
	ASSERT_EQ(0, move_pages(sfd, dfd, 0, 0, n, NULL));
	ASSERT_EQ(n, info_of(dfd).resident);

	notify = read_stat("write_notify");
	flt = swaplab_faults();
	EXPECT_EQ(0, count_nonzero(d, n * page_size));
	EXPECT_EQ(flt, swaplab_faults()) TH_LOG("a page moved in took a fault");
	fill_pages(d, 0, n, 28);
	EXPECT_EQ((long long)n, read_stat("write_notify") - notify)
		TH_LOG("a clean page was mapped writable");

	/* Pushed out by another region's pages, then read back. */
	x = map_new(&xfd, BIG);
	ASSERT_NE(MAP_FAILED, x);
	fill_pages(x, 0, BIG, 29);
	settle();
	ASSERT_GT(n, info_of(dfd).resident);
	EXPECT_EQ(0, check_pages(d, 0, n, 28, 0));
	munmap(x, BIG * page_size);
	close(xfd);
	unmap_pair(sfd, s, n, dfd, d, n);
}

TEST_HARNESS_MAIN
