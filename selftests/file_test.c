// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab regions of files (SWAPLAB_IOC_FILE, module/mm/file.c): a page
 * is read from its file at its first fault and after it left memory
 * clean, with no write; a shared region's dirty pages reach the file when
 * they are evicted, at msync(MS_SYNC) and when the region goes, each
 * written once; a private region's stay its own; a page past the end of
 * the file gets SIGBUS; a mapping can do nothing the file's descriptor
 * could not; bad files and ranges are refused and make nothing.
 *
 * The files are made beside the store's swap file (the swapfile knob),
 * on a file system that does direct I/O.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

/* The budget, and the pages of a file that pages through it. */
#define BUDGET	64
#define BIG	(4 * BUDGET)

/* A new region of @len bytes of @fd from @off: its descriptor, or -errno. */
static int file_region(int fd, uint64_t off, uint64_t len, uint32_t flags)
{
	struct swaplab_file_map fm = {
		.fd = fd, .flags = flags, .offset = off, .length = len,
	};
	int dev = open(SWAPLAB_DEVICE, O_RDWR), r;

	if (dev < 0)
		return -errno;
	r = ioctl(dev, SWAPLAB_IOC_FILE, &fm);
	if (r < 0)
		r = -errno;
	close(dev);
	return r;
}

/*
 * Map a new region of @fd's first @pages pages, its descriptor in *@rfd:
 * the mapping, or MAP_FAILED (and *@rfd the region's -errno, or closed).
 */
static uint8_t *map_file(int fd, size_t pages, uint32_t flags, int prot,
			 int *rfd)
{
	uint8_t *m;

	*rfd = file_region(fd, 0, pages * page_size, flags);
	if (*rfd < 0)
		return MAP_FAILED;
	m = mmap(NULL, pages * page_size, prot, MAP_SHARED, *rfd, 0);
	if (m == MAP_FAILED)
		close(*rfd);
	return m;
}

/* The directory of the store's swap file, in @dir; 0 or -1. */
static int store_dir(char *dir, size_t size)
{
	char path[PATH_MAX];

	if (read_knob("swapfile", path, sizeof(path)) || !path[0])
		return -1;
	snprintf(dir, size, "%s", dirname(path));
	return 0;
}

/*
 * A new file of @pages pages of the pattern of @seed (region page p is
 * the file's page p), plus @tail bytes of the next page's pattern, on the
 * store's file system, unlinked; its descriptor open with @mode, or -1.
 */
static int pattern_file(const char *dir, size_t pages, size_t tail,
			uint64_t seed, int mode)
{
	uint8_t *buf = malloc(page_size);
	char path[PATH_MAX];
	int fd, ro;

	snprintf(path, sizeof(path), "%s/swaplab-file-test.XXXXXX", dir);
	fd = buf ? mkstemp(path) : -1;
	if (fd < 0) {
		free(buf);
		return -1;
	}
	for (size_t p = 0; p <= pages; p++) {
		size_t n = p < pages ? page_size : tail;

		fill_pages(buf, p, 1, seed);
		if (n && pwrite(fd, buf, n, (off_t)p * page_size) != (ssize_t)n)
			goto fail;
	}
	free(buf);
	if (fsync(fd))
		goto fail_fd;
	ro = open(path, mode);
	unlink(path);
	close(fd);
	return ro;
fail:
	free(buf);
fail_fd:
	unlink(path);
	close(fd);
	return -1;
}

/* Words of the file's pages [first, first + n) that differ from @seed's. */
static size_t check_file(int fd, size_t first, size_t n, uint64_t seed)
{
	uint8_t *buf = malloc(page_size);
	size_t bad = 0;

	if (!buf)
		return SIZE_MAX;
	for (size_t p = first; p < first + n; p++) {
		if (pread(fd, buf, page_size, (off_t)p * page_size) !=
		    (ssize_t)page_size) {
			bad += page_size / 8;
			continue;
		}
		bad += check_pages(buf, p, 1, seed, 0);
	}
	free(buf);
	return bad;
}

/* Do the file's pages [a, a + n) hold what its pages [b, b + n) hold? */
static bool file_ranges_equal(int fd, size_t a, size_t b, size_t n)
{
	uint8_t *x = malloc(page_size), *y = malloc(page_size);
	bool same = x && y;

	for (size_t p = 0; same && p < n; p++)
		same = pread(fd, x, page_size, (a + p) * page_size) ==
		       page_size &&
		       pread(fd, y, page_size, (b + p) * page_size) ==
		       page_size &&
		       !memcmp(x, y, page_size);
	free(x);
	free(y);
	return same;
}

/* A new sparse file of @pages pages, unlinked, open read-write; or -1. */
static int sparse_file(const char *dir, size_t pages)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/swaplab-file-test.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(fd, (off_t)pages * page_size)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Nonzero bytes in the file's pages [first, first + n); SIZE_MAX on error. */
static size_t file_nonzero(int fd, size_t first, size_t n)
{
	uint8_t *buf = malloc(page_size);
	size_t bad = 0;

	if (!buf)
		return SIZE_MAX;
	for (size_t p = first; p < first + n; p++) {
		if (pread(fd, buf, page_size, (off_t)p * page_size) !=
		    (ssize_t)page_size) {
			bad = SIZE_MAX;
			break;
		}
		bad += count_nonzero(buf, page_size);
	}
	free(buf);
	return bad;
}

/* How many of the file's first @n pages are @seed's pattern. */
static size_t file_pages_of(int fd, size_t n, uint64_t seed)
{
	size_t same = 0;

	for (size_t p = 0; p < n; p++)
		same += !check_file(fd, p, 1, seed);
	return same;
}

/* Does reading the byte at @p end a child with SIGBUS? */
static bool read_sigbus(const uint8_t *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		(void)__atomic_load_n(p, __ATOMIC_RELAXED);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS;
}

FIXTURE(file) {
	char frames[32];
	char prefetcher[32];
	char dir[1024];
	long long slots, resident;
};

FIXTURE_SETUP(file)
{
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, access(SWAPLAB_DEVICE, F_OK)) TH_LOG("module not loaded");
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, store_dir(self->dir, sizeof(self->dir)))
		TH_LOG("no swap file: the files go beside it");
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("prefetcher", self->prefetcher,
			       sizeof(self->prefetcher)));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("prefetcher", "none"));
	self->slots = read_stat("swap_slots_used");
	self->resident = read_stat("resident");
}

/* Every frame and slot the tests took is back once their regions go. */
FIXTURE_TEARDOWN(file)
{
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(self->slots, wait_stat("swap_slots_used", self->slots));
	EXPECT_EQ(self->resident, wait_stat("resident", self->resident));
	put_knob_back("frames", self->frames);
	put_knob_back("prefetcher", self->prefetcher);
}

/* Bad files, ranges and flags: a clear errno, and no region made. */
TEST_F(file, bad_input_makes_nothing)
{
	int fd = pattern_file(self->dir, 4, 0, 1, O_RDONLY);
	int wo = pattern_file(self->dir, 4, 0, 1, O_WRONLY);
	int dir = open(self->dir, O_RDONLY | O_DIRECTORY);
	int sysfs = open(SWAPLAB_SYSFS "/frames", O_RDONLY);
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);
	struct swaplab_file_map fm = { .fd = fd, .length = page_size };
	size_t len = 4 * page_size;
	int pipefd[2], dev;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, wo);
	ASSERT_LE(0, dir);
	ASSERT_LE(0, sysfs);
	ASSERT_LE(0, sock);
	ASSERT_EQ(0, pipe(pipefd));

	EXPECT_EQ(-EBADF, file_region(-1, 0, len, 0));
	EXPECT_EQ(-EBADF, file_region(INT_MAX, 0, len, 0));
	EXPECT_EQ(-EACCES, file_region(wo, 0, len, 0));
	EXPECT_EQ(-ENODEV, file_region(dir, 0, len, 0));
	EXPECT_EQ(-ENODEV, file_region(pipefd[0], 0, len, 0));
	EXPECT_EQ(-ENODEV, file_region(sock, 0, len, 0));
	/* A regular file whose file system does no direct I/O. */
	EXPECT_EQ(-EINVAL, file_region(sysfs, 0, page_size, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, 1, len, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, page_size / 2, len, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, 0, len + 1, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, 0, 0, 0));
	/* At or past the end of the file. */
	EXPECT_EQ(-EINVAL, file_region(fd, len, page_size, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, 8 * len, page_size, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, UINT64_MAX & ~(page_size - 1UL),
				       page_size, 0));
	EXPECT_EQ(-EINVAL, file_region(fd, page_size,
				       UINT64_MAX & ~(page_size - 1UL), 0));
	EXPECT_EQ(-EINVAL, file_region(fd, 0, len, 0x80));

	dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, dev);
	fm.reserved[1] = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(dev, SWAPLAB_IOC_FILE, &fm));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(dev, SWAPLAB_IOC_FILE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Only the device's own open holds a region. */
	EXPECT_EQ(1, read_stat("regions"));
	close(dev);

	close(pipefd[0]);
	close(pipefd[1]);
	close(sock);
	close(sysfs);
	close(dir);
	close(wo);
	close(fd);
}

/*
 * Pages come from the file, and leave clean with no write and no slot:
 * through a quarter of their number of frames, read twice, every page is
 * read from the file each time it comes back.
 */
TEST_F(file, clean_pages_are_read_again_from_the_file)
{
	int fd = pattern_file(self->dir, BIG, 0, 7, O_RDONLY);
	long long reads, writes, slots;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, 0, PROT_READ, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	reads = read_stat("file_reads");
	writes = read_stat("file_writes");
	slots = read_stat("swap_slots_used");
	for (int round = 0; round < 2; round++)
		EXPECT_EQ(0, check_pages(m, 0, BIG, 7, round));
	/* At least every page once, and each evicted one again. */
	EXPECT_LE(2 * BIG - BUDGET, read_stat("file_reads") - reads);
	EXPECT_GE(2 * BIG, read_stat("file_reads") - reads);
	/* Clean pages are dropped: not written, and given no slot. */
	EXPECT_EQ(0, read_stat("file_writes") - writes);
	EXPECT_EQ(slots, read_stat("swap_slots_used"));
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, read_stat("file_writes") - writes);
	close(fd);
}

/*
 * A region can start anywhere in the file, and the page that holds the
 * file's end reads as zeroes past it; the next page is past the end and
 * faults with SIGBUS, as a mapping of the file itself does.
 */
TEST_F(file, offset_and_end_of_file)
{
	size_t tail = page_size / 2 + 8;
	int fd = pattern_file(self->dir, 5, tail, 3, O_RDONLY);
	uint8_t *m, *last;
	int rfd;

	ASSERT_LE(0, fd);
	rfd = file_region(fd, 2 * page_size, 8 * page_size, 0);
	ASSERT_LE(0, rfd);
	m = mmap(NULL, 8 * page_size, PROT_READ, MAP_SHARED, rfd, 0);
	ASSERT_NE(MAP_FAILED, m);
	/* Region page p is the file's page p + 2. */
	for (size_t p = 0; p < 3; p++)
		EXPECT_EQ(0, check_pages(PAGE_AT(m, p), p + 2, 1, 3, 0));
	/* The file's page 5: its first bytes, then zeroes. */
	last = malloc(page_size);
	ASSERT_NE(NULL, last);
	fill_pages(last, 5, 1, 3);
	EXPECT_EQ(0, memcmp(PAGE_AT(m, 3), last, tail));
	for (size_t i = tail; i < (size_t)page_size; i++)
		if (PAGE_AT(m, 3)[i]) {
			EXPECT_EQ(0, PAGE_AT(m, 3)[i]) TH_LOG("byte %zu", i);
			break;
		}
	free(last);
	EXPECT_TRUE(read_sigbus(PAGE_AT(m, 4)));
	EXPECT_TRUE(read_sigbus(PAGE_AT(m, 7)));
	munmap(m, 8 * page_size);
	close(rfd);
	close(fd);
}

/*
 * A shared region's dirty pages reach the file: those evicted when they
 * leave, the rest when the region goes; each page written once.
 */
TEST_F(file, shared_writes_reach_the_file)
{
	int fd = pattern_file(self->dir, BIG, 0, 5, O_RDWR);
	long long writes, stored, slots;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	writes = read_stat("file_writes");
	stored = read_stat("file_stored");
	slots = read_stat("swap_slots_used");
	/* Read first (from the file), then written: a write-notify each. */
	EXPECT_EQ(0, check_pages(m, 0, BUDGET, 5, 0));
	fill_pages(m, 0, BIG, 6);
	/*
	 * The evicted ones, at least all but a budget, are in the file, and
	 * none took a slot: no one held the file's lock or cached it.
	 */
	EXPECT_LE(BIG - BUDGET, read_stat("file_writes") - writes);
	EXPECT_EQ(0, read_stat("file_stored") - stored);
	EXPECT_EQ(slots, read_stat("swap_slots_used"));
	EXPECT_LE(BIG - BUDGET, file_pages_of(fd, BIG, 6));
	EXPECT_EQ(0, check_pages(m, 0, BIG, 6, 1));
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 6));
	/*
	 * Written once each: a clean page that comes back is not written.
	 * (A page evicted while it was being filled is written twice: a
	 * few at most.)
	 */
	EXPECT_LE(BIG, read_stat("file_writes") - writes);
	EXPECT_GE(BIG + 8, read_stat("file_writes") - writes);
	close(fd);
}

/*
 * msync(MS_SYNC) writes back the dirty resident pages and leaves them
 * resident; a page written again after it is dirty again, and only it.
 */
TEST_F(file, msync_writes_back_what_is_dirty)
{
	size_t n = BUDGET / 2;
	int fd = pattern_file(self->dir, n, 0, 8, O_RDWR);
	long long writes;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, n, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	writes = read_stat("file_writes");
	fill_pages(m, 0, n, 9);
	EXPECT_EQ(0, read_stat("file_writes") - writes);
	EXPECT_EQ(0, msync(m, n * page_size, MS_SYNC));
	EXPECT_EQ(n, read_stat("file_writes") - writes);
	EXPECT_EQ(0, check_file(fd, 0, n, 9));
	/* Nothing dirty: nothing written. */
	EXPECT_EQ(0, msync(m, n * page_size, MS_SYNC));
	EXPECT_EQ(n, read_stat("file_writes") - writes);
	/* One page written again, through its old mapping or a new one. */
	fill_pages(PAGE_AT(m, 3), 3, 1, 10);
	EXPECT_EQ(0, fsync(rfd));
	EXPECT_EQ(n + 1, read_stat("file_writes") - writes);
	EXPECT_EQ(0, check_file(fd, 3, 1, 10));
	EXPECT_EQ(0, check_file(fd, 4, n - 4, 9));
	EXPECT_EQ(n, (size_t)read_stat("resident") - self->resident);
	munmap(m, n * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(n + 1, read_stat("file_writes") - writes);
	close(fd);
}

/*
 * A private region's written pages are its own: they page through the
 * store, and the file never changes, even from a read-only descriptor
 * (which gives a writable private mapping, as mmap() of the file does).
 */
TEST_F(file, private_writes_stay_private)
{
	int fd = pattern_file(self->dir, BIG, 0, 11, O_RDONLY);
	long long writes;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, SWAPLAB_FILE_PRIVATE, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	writes = read_stat("file_writes");
	/* Half written; the other half read, and read again from the file. */
	fill_pages(m, 0, BIG / 2, 12);
	EXPECT_EQ(0, check_pages(PAGE_AT(m, BIG / 2), BIG / 2, BIG / 2, 11, 0));
	EXPECT_LT(self->slots, read_stat("swap_slots_used"));
	EXPECT_EQ(0, check_pages(m, 0, BIG / 2, 12, 1));
	EXPECT_EQ(0, check_pages(PAGE_AT(m, BIG / 2), BIG / 2, BIG / 2, 11, 1));
	/* A discard drops a written page: it reads as the file again. */
	struct swaplab_range r = { .offset = 0, .length = page_size };

	EXPECT_EQ(0, ioctl(rfd, SWAPLAB_IOC_DISCARD, &r));
	EXPECT_EQ(0, check_pages(m, 0, 1, 11, 0));
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, read_stat("file_writes") - writes);
	EXPECT_EQ(0, check_file(fd, 0, BIG, 11));
	close(fd);
}

/*
 * A mapping can do nothing the file's descriptor could not: a shared
 * region of a file not open for writing is read-only, mmap() and
 * mprotect() both refused (EACCES); a file opened O_APPEND still gets
 * its pages back where they came from.
 */
TEST_F(file, permissions_follow_the_descriptor)
{
	int ro = pattern_file(self->dir, 4, 0, 13, O_RDONLY);
	int ap = pattern_file(self->dir, 4, 0, 13, O_RDWR | O_APPEND);
	struct stat st;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, ro);
	ASSERT_LE(0, ap);
	rfd = file_region(ro, 0, 4 * page_size, 0);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(O_RDONLY, fcntl(rfd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, rfd, 0));
	EXPECT_EQ(EACCES, errno);
	m = mmap(NULL, 4 * page_size, PROT_READ, MAP_SHARED, rfd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(-1, mprotect(m, 4 * page_size, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, check_pages(m, 0, 4, 13, 0));
	/* Not movable, not claimable, not discardable while shared. */
	struct swaplab_range r = { .offset = 0, .length = page_size };

	EXPECT_EQ(-1, ioctl(rfd, SWAPLAB_IOC_DISCARD, &r));
	EXPECT_EQ(EBADF, errno);
	munmap(m, 4 * page_size);
	close(rfd);

	rfd = file_region(ap, 0, 4 * page_size, 0);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(O_RDWR, fcntl(rfd, F_GETFL) & O_ACCMODE);
	m = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 rfd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(-1, ioctl(rfd, SWAPLAB_IOC_DISCARD, &r));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* A page of a file stays where it is in the file. */
	int afd;
	uint8_t *a = map_new(&afd, 1);
	struct swaplab_move mv = {
		.dst_fd = rfd, .src_offset = 0, .dst_offset = 0,
		.length = page_size,
	};

	ASSERT_NE(MAP_FAILED, a);
	a[0] = 1;
	EXPECT_EQ(-1, ioctl(afd, SWAPLAB_IOC_MOVE, &mv));
	EXPECT_EQ(EOPNOTSUPP, errno);
	mv.dst_fd = afd;
	EXPECT_EQ(-1, ioctl(rfd, SWAPLAB_IOC_MOVE, &mv));
	EXPECT_EQ(EOPNOTSUPP, errno);
	munmap(a, page_size);
	close(afd);
	fill_pages(PAGE_AT(m, 1), 1, 1, 14);
	EXPECT_EQ(0, msync(m, 4 * page_size, MS_SYNC));
	EXPECT_EQ(0, fstat(ap, &st));
	EXPECT_EQ(4 * page_size, st.st_size);
	EXPECT_EQ(0, check_file(ap, 1, 1, 14));
	EXPECT_EQ(0, check_file(ap, 0, 1, 13));
	munmap(m, 4 * page_size);
	close(rfd);
	close(ap);
	close(ro);
}

/*
 * An append-only file (chattr +a), open for reading and appending, gives
 * no shared region, whose write-backs would rewrite it (EACCES, as mmap()
 * of it): only a private one, or a shared one of a read-only descriptor.
 */
TEST_F(file, append_only_file_gets_no_shared_writable_region)
{
	int fd = pattern_file(self->dir, 2, 0, 26, O_RDONLY);
	char path[64];
	int flags, ap, rfd;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	flags |= FS_APPEND_FL;
	ASSERT_EQ(0, ioctl(fd, FS_IOC_SETFLAGS, &flags));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ap = open(path, O_RDWR | O_APPEND);
	ASSERT_LE(0, ap);
	EXPECT_EQ(-EACCES, file_region(ap, 0, 2 * page_size, 0));
	rfd = file_region(ap, 0, 2 * page_size, SWAPLAB_FILE_PRIVATE);
	EXPECT_LE(0, rfd);
	close(rfd);
	rfd = file_region(fd, 0, 2 * page_size, 0);
	EXPECT_LE(0, rfd);
	close(rfd);
	flags &= ~FS_APPEND_FL;
	EXPECT_EQ(0, ioctl(fd, FS_IOC_SETFLAGS, &flags));
	close(ap);
	close(fd);
}

/*
 * A file opened O_DIRECT, whose last page holds its end at no block's
 * end: that page's write-back writes the bytes before the end, not a
 * whole block, and the file keeps its size.
 */
TEST_F(file, odirect_descriptor_tail_page)
{
	size_t tail = 100;
	int fd = pattern_file(self->dir, 1, tail, 27, O_RDWR);
	uint8_t *m, *want = malloc(page_size), *got = malloc(page_size);
	char path[64];
	struct stat st;
	int dfd, rfd;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, got);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	dfd = open(path, O_RDWR | O_DIRECT);
	ASSERT_LE(0, dfd);
	m = map_file(dfd, 2, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	fill_pages(want, 1, 1, 28);
	memcpy(PAGE_AT(m, 1), want, tail);
	EXPECT_EQ(0, msync(m, 2 * page_size, MS_SYNC));
	EXPECT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(page_size + tail, st.st_size);
	EXPECT_EQ(tail, pread(fd, got, page_size, page_size));
	EXPECT_EQ(0, memcmp(got, want, tail));
	munmap(m, 2 * page_size);
	close(rfd);
	close(dfd);
	free(got);
	free(want);
	close(fd);
}

/*
 * PROT_EXEC follows the file's mount: refused (EPERM) for a file reached
 * through a noexec mount, and mprotect() cannot add it (EACCES).
 */
TEST_F(file, exec_follows_the_mount)
{
	char nx[1100], path[1200];
	int fd = pattern_file(self->dir, 2, 0, 15, O_RDWR);
	uint8_t *m;
	int rfd, nfd;

	ASSERT_LE(0, fd);
	snprintf(nx, sizeof(nx), "%s/swaplab-noexec.XXXXXX", self->dir);
	ASSERT_NE(NULL, mkdtemp(nx));
	ASSERT_EQ(0, unshare(CLONE_NEWNS)) TH_LOG("a mount namespace of its own");
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount(self->dir, nx, NULL, MS_BIND, NULL));
	ASSERT_EQ(0, mount(NULL, nx, NULL,
			   MS_REMOUNT | MS_BIND | MS_NOEXEC, NULL));
	snprintf(path, sizeof(path), "%s/swaplab-file-exec", nx);
	nfd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(1, write(nfd, "x", 1));
	ASSERT_EQ(0, ftruncate(nfd, page_size));

	rfd = file_region(nfd, 0, page_size, 0);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page_size, PROT_READ | PROT_EXEC,
				   MAP_SHARED, rfd, 0));
	EXPECT_EQ(EPERM, errno);
	m = mmap(NULL, page_size, PROT_READ, MAP_SHARED, rfd, 0);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ('x', m[0]);
	EXPECT_EQ(-1, mprotect(m, page_size, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(m, page_size);
	close(rfd);

	/* The same kind of file on a mount that allows it. */
	rfd = file_region(fd, 0, page_size, 0);
	ASSERT_LE(0, rfd);
	m = mmap(NULL, page_size, PROT_READ | PROT_EXEC, MAP_SHARED, rfd, 0);
	EXPECT_NE(MAP_FAILED, m) TH_LOG("PROT_EXEC: %s", strerror(errno));
	if (m != MAP_FAILED)
		munmap(m, page_size);
	close(rfd);

	close(nfd);
	unlink(path);
	umount(nx);
	rmdir(nx);
	close(fd);
}

/*
 * A program killed while it writes a shared region: every page it had
 * finished writing is in the file afterwards, every page it had not
 * begun is as it was, and only the page it was writing may hold both.
 * Into a written file (its write-backs go to the file at eviction) and
 * into a sparse one (they go to the store, and home at the region's end).
 */
static void killed_writer(struct __test_metadata *_metadata,
			  FIXTURE_DATA(file) *self, bool sparse)
{
	int fd = sparse ? sparse_file(self->dir, BIG) :
			  pattern_file(self->dir, BIG, 0, 16, O_RDWR);
	uint64_t *done;
	struct timespec ts;
	uint64_t d;
	pid_t pid;

	ASSERT_LE(0, fd);
	done = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, done);
	__atomic_store_n(done, 0, __ATOMIC_RELAXED);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int rfd;
		uint8_t *m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);

		if (m == MAP_FAILED)
			_exit(2);
		for (size_t p = 0; p < BIG; p++) {
			fill_pages(PAGE_AT(m, p), p, 1, 17);
			__atomic_store_n(done, p + 1, __ATOMIC_RELEASE);
		}
		pause();
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/*
	 * In the middle of the writes, once pages are being evicted and
	 * written back: past the budget, by a number of pages that changes
	 * from run to run, and a few microseconds into the next.
	 */
	d = BUDGET + ts.tv_nsec % (BIG - BUDGET - 1);
	for (int i = 0; i < 20000 && __atomic_load_n(done, __ATOMIC_ACQUIRE) < d;
	     i++)
		usleep(500);
	usleep(ts.tv_nsec % 200);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	d = __atomic_load_n(done, __ATOMIC_ACQUIRE);
	EXPECT_EQ(0, wait_stat("regions", 0));
	TH_LOG("killed after %llu of %d pages", (unsigned long long)d, BIG);
	EXPECT_LT(BUDGET, d);
	EXPECT_EQ(0, check_file(fd, 0, d, 17));
	/* Not begun: the hole's zeroes, or the old pattern. */
	if (d + 1 < BIG)
		EXPECT_EQ(0, sparse ? file_nonzero(fd, d + 1, BIG - d - 1) :
			     check_file(fd, d + 1, BIG - d - 1, 16));
	munmap(done, page_size);
	close(fd);
}

TEST_F(file, killed_writer_loses_no_finished_page)
{
	killed_writer(_metadata, self, false);
}

TEST_F(file, killed_writer_of_a_sparse_file_loses_no_finished_page)
{
	long long stored = read_stat("file_stored");

	killed_writer(_metadata, self, true);
	EXPECT_LT(0, read_stat("file_stored") - stored);
}

/*
 * The rule for others' read() and write() of the file (the admin guide's
 * regions page): a write is seen by the region at the page's next read
 * from the file, not by a page in memory; a read sees what the region
 * last wrote back, all of it after msync().
 */
TEST_F(file, others_reads_and_writes_follow_the_rule)
{
	int fd = pattern_file(self->dir, 4, 0, 20, O_RDWR);
	uint8_t *buf = malloc(page_size);
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, buf);
	m = map_file(fd, 4, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(0, check_pages(m, 0, 1, 20, 0));
	/* Pages 0 (in memory) and 1 (never read) change in the file. */
	for (size_t p = 0; p < 2; p++) {
		fill_pages(buf, p, 1, 21);
		ASSERT_EQ(page_size, pwrite(fd, buf, page_size, p * page_size));
	}
	EXPECT_EQ(0, check_pages(m, 0, 1, 20, 0));
	EXPECT_EQ(0, check_pages(PAGE_AT(m, 1), 1, 1, 21, 0));
	/* The region's write reaches a reader at msync(). */
	fill_pages(PAGE_AT(m, 2), 2, 1, 22);
	EXPECT_EQ(0, check_file(fd, 2, 1, 20));
	EXPECT_EQ(0, msync(m, 4 * page_size, MS_SYNC));
	EXPECT_EQ(0, check_file(fd, 2, 1, 22));
	/* Page 0 was not written: msync() leaves the file's new bytes. */
	EXPECT_EQ(0, check_file(fd, 0, 1, 21));
	munmap(m, 4 * page_size);
	close(rfd);
	free(buf);
	close(fd);
}

/*
 * A file that shrinks while its pages are mapped: from the moment the
 * truncation returns, a page past the new end faults with SIGBUS, and
 * the page that holds the end reads as zeroes past it; grown again, the
 * file's new bytes are zeroes, and so are the region's, written private
 * pages included: no byte of the old contents is seen again.
 */
TEST_F(file, truncate_while_mapped)
{
	uint32_t kinds[] = { 0, SWAPLAB_FILE_PRIVATE };

	for (int k = 0; k < 2; k++) {
		int fd = pattern_file(self->dir, 4, 0, 23, O_RDWR);
		size_t half = page_size / 2;
		uint8_t *m;
		int rfd;

		ASSERT_LE(0, fd);
		m = map_file(fd, 4, kinds[k], PROT_READ | PROT_WRITE, &rfd);
		ASSERT_NE(MAP_FAILED, m);
		EXPECT_EQ(0, check_pages(m, 0, 4, 23, 0));
		/* A private region's own page, in memory. */
		fill_pages(PAGE_AT(m, 3), 3, 1, 24);
		ASSERT_EQ(0, ftruncate(fd, page_size + half));
		EXPECT_TRUE(read_sigbus(PAGE_AT(m, 2)));
		EXPECT_TRUE(read_sigbus(PAGE_AT(m, 3)));
		EXPECT_EQ(0, check_pages(m, 0, 1, 23, 0));
		for (size_t i = half; i < (size_t)page_size; i++)
			if (PAGE_AT(m, 1)[i]) {
				EXPECT_EQ(0, PAGE_AT(m, 1)[i]) TH_LOG("byte %zu", i);
				break;
			}
		ASSERT_EQ(0, ftruncate(fd, 4 * page_size));
		for (size_t p = 2; p < 4; p++)
			for (size_t i = 0; i < (size_t)page_size; i++)
				if (PAGE_AT(m, p)[i]) {
					EXPECT_EQ(0, PAGE_AT(m, p)[i])
						TH_LOG("%s: page %zu byte %zu",
						       k ? "private" : "shared", p, i);
					break;
				}
		munmap(m, 4 * page_size);
		close(rfd);
		close(fd);
	}
}

/* The fault hook's delay (module/mm/file.c), ms; 0 turns it off. */
#define READ_DELAY	SWAPLAB_DEBUGFS "/file_read_delay_ms"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A fault holds a page locked while the file is cut below it and grown
 * again: the truncation cannot lock the page, so it marks it, and the
 * fault empties it before it maps it. The page then reads as the file
 * grown again, zeroes, never as the old bytes. The debugfs hook holds
 * the fault for a second after its read; the times show that the cut
 * and the growth came inside the fault.
 */
TEST_F(file, truncate_and_grow_while_a_fault_holds_the_page)
{
	uint32_t kinds[] = { 0, SWAPLAB_FILE_PRIVATE };

	for (int k = 0; k < 2; k++) {
		int fd = pattern_file(self->dir, 4, 0, 26, O_RDWR);
		/* [1] fault start, [2] fault end, [3] old bytes; ready after */
		double *t;
		int *ready;
		double cut0, cut1;
		uint8_t *m;
		int rfd, status;
		pid_t pid;

		ASSERT_LE(0, fd);
		m = map_file(fd, 4, kinds[k], PROT_READ, &rfd);
		ASSERT_NE(MAP_FAILED, m);
		t = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, t);
		memset(t, 0, page_size);
		ready = (int *)&t[4];
		ASSERT_EQ(0, write_file(READ_DELAY, "1000"));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			size_t nz = 0;

			__atomic_store_n(ready, 1, __ATOMIC_RELEASE);
			t[1] = now_s();
			/* The first touch of page 3: a read from the file. */
			for (size_t i = 0; i < (size_t)page_size; i++)
				nz += PAGE_AT(m, 3)[i] != 0;
			t[2] = now_s();
			t[3] = nz;
			_exit(0);
		}
		while (!__atomic_load_n(ready, __ATOMIC_ACQUIRE))
			usleep(1000);
		usleep(200 * 1000);
		cut0 = now_s();
		ASSERT_EQ(0, ftruncate(fd, page_size));
		ASSERT_EQ(0, ftruncate(fd, 4 * page_size));
		cut1 = now_s();
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, write_file(READ_DELAY, "0"));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* The cut and the growth inside the fault, or the test says nothing. */
		EXPECT_LT(t[1], cut0);
		EXPECT_LT(cut1, t[2]) TH_LOG("the fault ended %.3f s after the growth",
					     t[2] - cut1);
		EXPECT_EQ(0, t[3]) TH_LOG("%s: %.0f bytes of page 3 are the old ones",
					  k ? "private" : "shared", t[3]);
		/* And to this process, through the page the fault mapped. */
		for (size_t i = 0; i < (size_t)page_size; i++)
			if (PAGE_AT(m, 3)[i]) {
				EXPECT_EQ(0, PAGE_AT(m, 3)[i]) TH_LOG("byte %zu", i);
				break;
			}
		munmap(t, page_size);
		munmap(m, 4 * page_size);
		close(rfd);
		close(fd);
	}
}

/* The reclaim hook's delay (module/mm/reclaim.c), ms; 0 turns it off. */
#define UNMAP_DELAY	SWAPLAB_DEBUGFS "/reclaim_unmap_delay_ms"

/*
 * Reclaim holds dirty pages of a shared region locked, about to evict
 * them, while the file is cut below them and grown again: the truncation
 * marks them, and reclaim drops them instead of writing their old bytes
 * back into the file grown again. The debugfs hook holds swaplabd's
 * batch a second between its check and its unmap; fifo makes the file's
 * pages, written first, the batch; evictions that do not move across
 * the cut show that it came inside the batch.
 */
TEST_F(file, truncate_and_grow_while_reclaim_holds_dirty_pages)
{
	int fd = pattern_file(self->dir, 4, 0, 27, O_RDWR);
	long long ev0, ev1, ev2;
	char policy[64];
	uint8_t *m, *anon;
	int rfd, afd;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_knob("policy", policy, sizeof(policy)));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	m = map_file(fd, 4, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	/* The file's four pages dirty, then others: 36 resident. */
	fill_pages(m, 0, 4, 28);
	anon = map_new(&afd, 32);
	ASSERT_NE(MAP_FAILED, anon);
	fill_pages(anon, 0, 32, 29);
	ASSERT_EQ(36, read_stat("resident"));
	ASSERT_EQ(0, write_file(UNMAP_DELAY, "1000"));
	ev0 = read_stat("evictions");
	/* swaplabd evicts, its first batch the file's pages, in the hook. */
	ASSERT_EQ(0, write_knob_ll("frames", 20));
	usleep(300 * 1000);
	ev1 = read_stat("evictions");
	ASSERT_EQ(0, ftruncate(fd, page_size));
	ASSERT_EQ(0, ftruncate(fd, 4 * page_size));
	usleep(3000 * 1000);
	ev2 = read_stat("evictions");
	EXPECT_EQ(0, write_file(UNMAP_DELAY, "0"));
	/* The cut inside the batch: nothing evicted before it, some after. */
	EXPECT_EQ(ev0, ev1);
	EXPECT_LT(ev1, ev2);
	/* Page 0 is the region's; pages 1 to 3 are the file grown again. */
	EXPECT_EQ(0, check_pages(m, 0, 1, 28, 0));
	EXPECT_EQ(0, file_nonzero(fd, 1, 3)) TH_LOG("the old bytes came back to the file");
	EXPECT_EQ(0, count_nonzero(PAGE_AT(m, 1), 3 * page_size));
	put_knob_back("policy", policy);
	munmap(anon, 32 * page_size);
	close(afd);
	munmap(m, 4 * page_size);
	close(rfd);
	close(fd);
}

/*
 * Wait, up to ten seconds, for a count of reads to pass @from by @more:
 * true if it did.
 */
static bool reads_after(const uint64_t *count, uint64_t from, uint64_t more)
{
	for (int i = 0; i < 100000; i++) {
		if (__atomic_load_n(count, __ATOMIC_RELAXED) >= from + more)
			return true;
		usleep(100);
	}
	return false;
}

static sigjmp_buf bus_jump;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jump, 1);
}

/*
 * Faults race truncations: a reader goes round the pages past the half
 * of a file while the file is cut to half and grown again, many times,
 * through a budget that evicts. Once the first truncation has returned,
 * no read may see the old contents past the half (the file grown again
 * holds zeroes there).
 */
TEST_F(file, faults_race_truncation)
{
	size_t n = 2 * BUDGET;
	int fd = pattern_file(self->dir, n, 0, 25, O_RDWR);
	uint64_t *shared;
	int rfd, status;
	uint8_t *m;
	pid_t pid;

	ASSERT_LE(0, fd);
	m = map_file(fd, n, 0, PROT_READ, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	shared = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	/*
	 * [0]: truncated once; [1]: stop; [2]: stale reads; [3]: reads,
	 * those that got SIGBUS included.
	 */
	memset(shared, 0, page_size);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_sigbus };

		sigaction(SIGBUS, &sa, NULL);
		while (!__atomic_load_n(&shared[1], __ATOMIC_ACQUIRE)) {
			for (size_t p = n / 2; p < n; p++) {
				uint64_t t, v;

				/* A read that faulted with SIGBUS counts too. */
				if (sigsetjmp(bus_jump, 1)) {
					__atomic_add_fetch(&shared[3], 1,
							   __ATOMIC_RELAXED);
					continue;
				}
				t = __atomic_load_n(&shared[0], __ATOMIC_ACQUIRE);
				v = __atomic_load_n((uint64_t *)PAGE_AT(m, p),
						    __ATOMIC_RELAXED);
				if (t && v == pattern(p, 0, 25))
					__atomic_add_fetch(&shared[2], 1,
							   __ATOMIC_RELAXED);
				__atomic_add_fetch(&shared[3], 1,
						   __ATOMIC_RELAXED);
			}
		}
		_exit(0);
	}
	/*
	 * Let it read the old contents, then cut and grow, each time after
	 * it has gone round the pages at least once more (however slow the
	 * machine): the reads meet the cuts at every point of their round.
	 */
	EXPECT_TRUE(reads_after(&shared[3], 0, n));
	for (int round = 0; round < 50; round++) {
		uint64_t r = __atomic_load_n(&shared[3], __ATOMIC_RELAXED);

		ASSERT_EQ(0, ftruncate(fd, n / 2 * page_size));
		__atomic_store_n(&shared[0], 1, __ATOMIC_RELEASE);
		EXPECT_TRUE(reads_after(&shared[3], r, n / 2 + round));
		ASSERT_EQ(0, ftruncate(fd, n * page_size));
		EXPECT_TRUE(reads_after(&shared[3], r, n + round));
	}
	__atomic_store_n(&shared[1], 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	TH_LOG("%llu reads past the half", (unsigned long long)shared[3]);
	/* The first round's n, then n + round for each of the 50. */
	EXPECT_LE(n + 50 * n + 49 * 50 / 2, shared[3]);
	EXPECT_EQ(0, shared[2]);
	munmap(shared, page_size);
	munmap(m, n * page_size);
	close(rfd);
	close(fd);
}

/*
 * Writers race reclaim, fork and switches of the policy and of the
 * allocation mode: two forked children write a shared region of a file
 * of four budgets, each its half, round after round, while a third
 * switches through every policy registered (available_policies) and the
 * allocation between global and local. After the last round and the
 * region's end, the file holds every page's last round.
 */
TEST_F_TIMEOUT(file, writers_race_policy_switches, 300)
{
	char avail[512], saved_policy[64], saved_alloc[16], *names[32];
	char *save = NULL, *name;
	int fd = pattern_file(self->dir, BIG, 0, 30, O_RDWR);
	unsigned long *switches;
	pid_t writer[2], switcher;
	int rfd, status, nr = 0;
	uint8_t *m;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_knob("policy", saved_policy, sizeof(saved_policy)));
	ASSERT_EQ(0, read_knob("allocation", saved_alloc, sizeof(saved_alloc)));
	ASSERT_EQ(0, read_knob("available_policies", avail, sizeof(avail)));
	for (name = strtok_r(avail, " ", &save); name && nr < 32;
	     name = strtok_r(NULL, " ", &save))
		names[nr++] = name;
	ASSERT_LE(2, nr);
	switches = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, switches);
	*switches = 0;
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);

	switcher = fork();
	ASSERT_LE(0, switcher);
	if (switcher == 0) {
		for (unsigned int i = 0;; i++) {
			const char *mode = i & 1 ? "local" : "global";

			if (write_knob("policy", names[i % nr]) ||
			    write_knob("allocation", mode))
				_exit(1);
			__atomic_add_fetch(switches, 1, __ATOMIC_RELAXED);
			usleep(2000);
		}
	}
	for (int w = 0; w < 2; w++) {
		writer[w] = fork();
		ASSERT_LE(0, writer[w]);
		if (writer[w] == 0) {
			size_t first = w * BIG / 2;

			for (uint64_t round = 1; round <= 8; round++)
				fill_pages(PAGE_AT(m, first), first, BIG / 2,
					   100 + round);
			_exit(check_pages(PAGE_AT(m, first), first, BIG / 2,
					  108, 0) ? 2 : 0);
		}
	}
	for (int w = 0; w < 2; w++) {
		ASSERT_EQ(writer[w], waitpid(writer[w], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("writer %d: status %#x", w, status);
	}
	kill(switcher, SIGKILL);
	ASSERT_EQ(switcher, waitpid(switcher, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("a knob write failed");
	TH_LOG("%lu switches while they wrote", *switches);
	EXPECT_LE(2, *switches);
	EXPECT_EQ(0, write_knob("allocation", saved_alloc));
	EXPECT_EQ(0, write_knob("policy", saved_policy));
	EXPECT_EQ(0, check_pages(m, 0, BIG, 108, 1));
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 108));
	munmap(switches, page_size);
	close(fd);
}

/*
 * The module cannot go while a region holds a file: not while the
 * region's descriptor is open, nor while only a mapping of it is left.
 */
TEST_F(file, rmmod_refused_while_a_region_holds_a_file)
{
	int fd = pattern_file(self->dir, 2, 0, 31, O_RDONLY);
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, 2, 0, PROT_READ, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	errno = 0;
	EXPECT_EQ(-1, syscall(__NR_delete_module, "swaplab", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(rfd);
	errno = 0;
	EXPECT_EQ(-1, syscall(__NR_delete_module, "swaplab", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(0, check_pages(m, 0, 2, 31, 0));
	munmap(m, 2 * page_size);
	close(fd);
}

/*
 * A region of a file as the buffer of I/O on that same file: write() and
 * O_DIRECT read() and write() hold the file's lock while they fault on
 * the region, and the faults read the file and evict its dirty pages.
 * None waits for the lock its own task holds: each call completes, and
 * moves the bytes it should. The dirty pages whose write-back would have
 * waited go to the store, and reach the file when the region goes.
 */
TEST_F(file, io_on_its_own_file_through_the_region)
{
	int fd = pattern_file(self->dir, 3 * BIG, 0, 40, O_RDWR);
	size_t len = BIG * page_size;
	char daemon[8], path[64];
	long long stored;
	uint8_t *m;
	int rfd, dfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	/* Pages never read, read by the faults of a write() of the file. */
	EXPECT_EQ((ssize_t)len, pwrite(fd, m, len, len));
	EXPECT_TRUE(file_ranges_equal(fd, 0, BIG, BIG));

	/*
	 * The frames all dirty pages of the file: the write()'s faults on
	 * the rest evict them while the write() holds the file's lock (the
	 * faults' own reclaim: no page daemon).
	 */
	ASSERT_EQ(0, read_knob("daemon", daemon, sizeof(daemon)));
	ASSERT_EQ(0, write_knob("daemon", "0"));
	fill_pages(m, 0, BIG, 41);
	fill_pages(PAGE_AT(m, BIG - BUDGET), BIG - BUDGET, BUDGET, 42);
	stored = read_stat("file_stored");
	EXPECT_EQ((ssize_t)(len - BUDGET * page_size),
		  pwrite(fd, m, len - BUDGET * page_size, 2 * len));
	EXPECT_LT(0, read_stat("file_stored") - stored);
	put_knob_back("daemon", daemon);

	/* O_DIRECT, both ways, the region the buffer. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	dfd = open(path, O_RDWR | O_DIRECT);
	ASSERT_LE(0, dfd);
	EXPECT_EQ((ssize_t)(BUDGET * page_size),
		  pwrite(dfd, PAGE_AT(m, BIG - BUDGET), BUDGET * page_size,
			 2 * len + (BIG - BUDGET) * page_size));
	EXPECT_EQ((ssize_t)(BUDGET * page_size),
		  pread(dfd, m, BUDGET * page_size, len));
	close(dfd);

	munmap(m, len);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	/* Region page p: 40's pattern of p, then 41's, 42's at the end. */
	EXPECT_EQ(0, check_file(fd, BUDGET, BIG - 2 * BUDGET, 41));
	EXPECT_EQ(0, check_file(fd, BIG - BUDGET, BUDGET, 42));
	EXPECT_TRUE(file_ranges_equal(fd, 0, BIG, BUDGET));
	EXPECT_TRUE(file_ranges_equal(fd, BUDGET, 2 * BIG + BUDGET,
				      BIG - 2 * BUDGET));
	EXPECT_TRUE(file_ranges_equal(fd, BIG - BUDGET, 3 * BIG - BUDGET,
				      BUDGET));
	close(fd);
}

/*
 * Pages whose write-back at eviction would wait (here, into the holes of
 * a sparse file, which a direct write must allocate) go to the store, and
 * reach the file at msync() and when the region goes, and leave no slot.
 */
TEST_F(file, pages_stored_at_eviction_reach_the_file)
{
	int fd = sparse_file(self->dir, BIG);
	long long stored, writes;
	uint8_t *m;
	int rfd;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	stored = read_stat("file_stored");
	writes = read_stat("file_writes");
	fill_pages(m, 0, BIG, 43);
	EXPECT_LE(BIG - BUDGET, read_stat("file_stored") - stored);
	EXPECT_LT(self->slots, read_stat("swap_slots_used"));
	EXPECT_EQ(0, msync(m, BIG * page_size, MS_SYNC));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 43));
	EXPECT_EQ(BIG, read_stat("file_writes") - writes);
	EXPECT_EQ(self->slots, read_stat("swap_slots_used"));

	/* Written again, into allocated blocks now, with no msync(). */
	fill_pages(m, 0, BIG, 44);
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 44));

	/* And into holes again, the region's last page stored at its end. */
	ASSERT_EQ(0, ftruncate(fd, 0));
	ASSERT_EQ(0, ftruncate(fd, BIG * page_size));
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	fill_pages(m, 0, BIG, 45);
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 45));
	close(fd);
}

/*
 * msync() while another task write()s the file from the region: the
 * write() holds the file's lock and faults on the pages msync() writes
 * back. Neither waits for the other for good, and the file ends with
 * the region's last contents.
 */
TEST_F_TIMEOUT(file, msync_races_writes_from_the_region, 120)
{
	int fd = pattern_file(self->dir, 2 * BUDGET, 0, 46, O_RDWR);
	size_t n = BUDGET / 2;
	struct timespec t0, t;
	int status, rfd;
	long syncs = 0;
	uint8_t *m;
	pid_t pid;

	ASSERT_LE(0, fd);
	m = map_file(fd, n, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (long i = 0;; i++) {
			size_t p = i % n;

			m[p * page_size + 8]++;
			if (pwrite(fd, PAGE_AT(m, p), page_size,
				   (BUDGET + p) * page_size) != page_size)
				_exit(1);
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec >= 3)
				_exit(0);
		}
	}
	do {
		EXPECT_EQ(0, msync(m, n * page_size, MS_SYNC));
		syncs++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 3);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	TH_LOG("%ld msyncs", syncs);
	EXPECT_EQ(0, msync(m, n * page_size, MS_SYNC));
	EXPECT_TRUE(file_ranges_equal(fd, 0, BUDGET, n));
	munmap(m, n * page_size);
	close(rfd);
	close(fd);
}

/* A forked child shares the region: its writes reach the parent's view. */
TEST_F(file, fork_shares_the_pages)
{
	int fd = pattern_file(self->dir, BIG, 0, 18, O_RDWR);
	int status, rfd;
	uint8_t *m;
	pid_t pid;

	ASSERT_LE(0, fd);
	m = map_file(fd, BIG, 0, PROT_READ | PROT_WRITE, &rfd);
	ASSERT_NE(MAP_FAILED, m);
	EXPECT_EQ(0, check_pages(m, 0, BIG / 2, 18, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fill_pages(m, 0, BIG, 19);
		_exit(check_pages(m, 0, BIG, 19, 1) ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, check_pages(m, 0, BIG, 19, 1));
	munmap(m, BIG * page_size);
	close(rfd);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, check_file(fd, 0, BIG, 19));
	close(fd);
}

TEST_HARNESS_MAIN
