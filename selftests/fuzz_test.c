// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab fuzz tests: every sysfs knob and every ioctl driven with random
 * and boundary input, and mappings of random shape put through random
 * touches, mprotect, madvise, mremap, partial munmap and fork; and the
 * files the device hands out, named regions' (SWAPLAB_IOC_ATTACH) and the
 * pager's (SWAPLAB_IOC_PAGER_ATTACH), driven with their own structures,
 * half plausible, half garbage. Seeded and bounded: SWAPLAB_FUZZ_SEED
 * (default 1), SWAPLAB_FUZZ_ITERS (default 300 a test) and, for the
 * region and pager files, SWAPLAB_FUZZ_FILE_ITERS (default 30: a few
 * seconds in the suite; `make fuzz` runs them longer). The kernel must
 * stay up with no report in its log (the VM runner checks), every error
 * must be one the documentation lists, a refused knob write must change
 * nothing, and nothing may be left behind: regions, frames and slots
 * return to their values before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
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

static uint64_t fuzz_state;

/* The shared PRNG (userspace/common.h), on the fuzzer's own state. */
static uint64_t rnd(void)
{
	return prng_next(&fuzz_state);
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/*
 * A test's sequence, from the seed and the test's salt. Mixed: splitmix64
 * steps its state by the constant the seed is multiplied by, so seed
 * N + 1's plain product would give seed N's sequence one number on.
 */
static void fuzz_seed(int salt)
{
	fuzz_state = mix64(env_ul("SWAPLAB_FUZZ_SEED", 1) *
			   0x9E3779B97F4A7C15ull + salt);
}

static bool errno_in(int err, const int *list)
{
	for (; *list; list++)
		if (err == *list)
			return true;
	return false;
}

/* A random knob value: boundary numbers, suffixes, junk, long strings. */
static void random_value(char *buf, size_t size)
{
	static const char * const fixed[] = {
		"", "\n", "0", "1", "2", "15", "16", "17", "-1", "4095", "4096",
		"4097", "65535", "65536", "4294967295", "4294967296",
		"18446744073709551615", "18446744073709551616", "1K", "4K", "1M",
		"64M", "1G", "1T", "0x10", " 64", "64 ", "64\n\n", "6 4", "1e3",
		"aging", "clock", "fifo", "random", "wsclock", "mru", "nosuch",
		"aging\n", "none",
	};
	size_t n;

	switch (rnd() % 4) {
	case 0:
		snprintf(buf, size, "%s", fixed[rnd() % ARRAY_SIZE(fixed)]);
		break;
	case 1:
		snprintf(buf, size, "%llu", (unsigned long long)(rnd() >> (rnd() % 64)));
		break;
	case 2:	/* random bytes, NUL-free */
		n = rnd() % (size - 1);
		for (size_t i = 0; i < n; i++)
			buf[i] = 1 + rnd() % 255;
		buf[n] = '\0';
		break;
	default:
		snprintf(buf, size, "%llu%c", (unsigned long long)(rnd() % 100000),
			 " KMGTkmg\n"[rnd() % 9]);
	}
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, knobs, 600)
{
	static const char * const knobs[] = {
		"frames", "watermark_low", "watermark_high", "region_max",
		"policy", "policies/aging/bits", "aging_interval_ms",
		"policies/wsclock/tau_ms", "shadow_max", "daemon", "readahead",
		"swapfile_size", "encrypt", "checksum", "fault_latency",
		"admit_batch", "fault_around", "readahead_async",
		"page_buffering", "prefetcher",
		"prefetch_window",
		"compress", "compress_pool_max",
	};
	/* ENOENT: compress names no algorithm the kernel has. */
	static const int allowed[] = { EINVAL, EBUSY, ENOENT, 0 };
	char saved[ARRAY_SIZE(knobs)][64], before[256], after[256], val[300];
	unsigned long iters = env_ul("SWAPLAB_FUZZ_ITERS", 300);
	unsigned long ok = 0, refused = 0;

	if (access(SWAPLAB_SYSFS, F_OK))
		SKIP(return, "module not loaded");
	fuzz_seed(1);
	for (size_t k = 0; k < ARRAY_SIZE(knobs); k++)
		ASSERT_EQ(0, read_knob(knobs[k], saved[k], sizeof(saved[k])));

	for (unsigned long i = 0; i < 10 * iters; i++) {
		const char *knob = knobs[rnd() % ARRAY_SIZE(knobs)];
		int err;

		random_value(val, sizeof(val));
		ASSERT_EQ(0, read_knob(knob, before, sizeof(before)));
		err = write_knob(knob, val);
		ASSERT_EQ(0, read_knob(knob, after, sizeof(after)));
		if (!err) {
			ok++;
			continue;
		}
		refused++;
		EXPECT_TRUE(errno_in(-err, allowed))
			TH_LOG("%s <- '%s': errno %d", knob, val, -err);
		/* Watermarks move with frames; others must not change. */
		EXPECT_STREQ(before, after)
			TH_LOG("%s <- '%s' refused but changed", knob, val);
	}
	TH_LOG("%lu knob writes: %lu taken, %lu refused", ok + refused, ok,
	       refused);
	/* frames first: it resets the watermarks. */
	for (size_t k = 0; k < ARRAY_SIZE(knobs); k++)
		write_knob(knobs[k], saved[k]);
	write_knob("watermark_high", saved[2]);
	write_knob("watermark_low", saved[1]);
	for (size_t k = 0; k < ARRAY_SIZE(knobs); k++) {
		ASSERT_EQ(0, read_knob(knobs[k], after, sizeof(after)));
		EXPECT_STREQ(saved[k], after) TH_LOG("%s not restored", knobs[k]);
	}
}

TEST_F_TIMEOUT(fuzz, ioctls, 600)
{
	static const int allowed[] = {
		/* The ioctl table of Documentation/admin-guide/swaplab/regions.rst */
		ENOTTY, EFAULT, EINVAL, ENOENT, EEXIST, EACCES, EMFILE, EBADF,
		EOVERFLOW, ENOSPC, EIO, ENOMEM, EPERM, 0,
	};
	static const unsigned long cmds[] = {
		SWAPLAB_IOC_REGION_INFO, SWAPLAB_IOC_ATTACH, SWAPLAB_IOC_PIN,
		SWAPLAB_IOC_UNPIN, SWAPLAB_IOC_PREFETCH, SWAPLAB_IOC_DISCARD,
	};
	unsigned long iters = env_ul("SWAPLAB_FUZZ_ITERS", 300);
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	unsigned long calls = 0, failed = 0;
	uint8_t buf[256];

	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	fuzz_seed(2);
	for (unsigned long i = 0; i < iters; i++) {
		int fd = open(SWAPLAB_DEVICE, rnd() % 4 ? O_RDWR : O_RDONLY);
		uint8_t *map = NULL;
		size_t len = (1 + rnd() % 64) * page_size;

		ASSERT_LE(0, fd);
		if (rnd() % 2) {
			map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
			if (map == MAP_FAILED)
				map = NULL;
		}
		for (int j = 0; j < 8; j++) {
			unsigned long cmd;
			void *arg;
			int ret;

			switch (rnd() % 4) {
			case 0:		/* any command of ours, any size */
				cmd = _IOC(rnd() % 4, SWAPLAB_IOC_MAGIC,
					   rnd() % 16, rnd() % 256);
				break;
			case 1:		/* anything at all */
				cmd = (unsigned long)rnd();
				break;
			default:
				cmd = cmds[rnd() % ARRAY_SIZE(cmds)];
			}
			for (size_t b = 0; b < sizeof(buf); b++)
				buf[b] = rnd();
			if (rnd() % 3 == 0) {	/* a plausible range */
				struct swaplab_range *r = (void *)buf;

				r->offset = (rnd() % 80) * page_size;
				r->length = (rnd() % 80) * page_size;
			} else if (rnd() % 3 == 0) {	/* a plausible attach */
				struct swaplab_attach *at = (void *)buf;

				at->name[rnd() % sizeof(at->name)] = '\0';
				at->size = (rnd() % 64) * page_size;
				at->mode &= 0777;
			}
			switch (rnd() % 6) {
			case 0:
				arg = NULL;
				break;
			case 1:
				arg = (void *)(uintptr_t)rnd();
				break;
			default:
				arg = buf;
			}
			ret = ioctl(fd, cmd, arg);
			calls++;
			/* A successful ATTACH returns a new descriptor. */
			if (ret > 0)
				close(ret);
			if (ret < 0) {
				failed++;
				EXPECT_TRUE(errno_in(errno, allowed))
					TH_LOG("ioctl %#lx: errno %d", cmd, errno);
			}
		}
		if (map)
			munmap(map, len);
		close(fd);
	}
	TH_LOG("%lu ioctls, %lu refused", calls, failed);
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(0, read_stat("pinned"));
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/*
 * One random operation on a mapping; runs in a child (SIGBUS, SIGSEGV). A
 * length that is not a whole number of pages maps the last page whole.
 */
static void mapping_op(uint8_t *map, size_t len)
{
	size_t pages = (len + page_size - 1) / page_size;
	size_t first = rnd() % pages, n = 1 + rnd() % (pages - first);
	uint8_t *at = map + first * page_size;
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE,
	};
	static const int advice[] = {
		MADV_DONTNEED, MADV_WILLNEED, MADV_COLD, MADV_PAGEOUT,
		MADV_DONTFORK, MADV_DOFORK, MADV_SEQUENTIAL, MADV_RANDOM,
		MADV_NORMAL, MADV_REMOVE, MADV_FREE,
	};
	pid_t pid;

	switch (rnd() % 8) {
	case 0:
	case 1:
		for (size_t p = 0; p < n; p++)
			at[p * page_size + rnd() % page_size] = rnd();
		break;
	case 2:
		for (size_t p = 0; p < n; p++)
			(void)__atomic_load_n(at + p * page_size,
					      __ATOMIC_RELAXED);
		break;
	case 3:
		mprotect(at, n * page_size, prots[rnd() % ARRAY_SIZE(prots)]);
		break;
	case 4:
		madvise(at, n * page_size, advice[rnd() % ARRAY_SIZE(advice)]);
		break;
	case 5:
		munmap(at, n * page_size);
		break;
	case 6:
		mremap(at, n * page_size, (1 + rnd() % 64) * page_size,
		       rnd() % 2 ? MREMAP_MAYMOVE : 0);
		break;
	default:
		pid = fork();
		if (pid == 0) {
			for (size_t p = 0; p < n; p++)
				at[p * page_size] ^= 1;
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

TEST_F_TIMEOUT(fuzz, mappings, 600)
{
	static const int allowed[] = {
		EINVAL, ENOMEM, EACCES, EOPNOTSUPP, EOVERFLOW, 0,
	};
	static const int map_prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
	};
	unsigned long iters = env_ul("SWAPLAB_FUZZ_ITERS", 300);
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	long long slots0 = read_stat("swap_slots_used");
	unsigned long maps = 0, refused = 0, signalled = 0;
	char frames[32];

	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, read_knob("frames", frames, sizeof(frames)));
	/* A small budget, so that the mappings page. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + 64));
	fuzz_seed(3);
	for (unsigned long i = 0; i < iters; i++) {
		size_t len = (1 + rnd() % 256) * page_size;
		off_t off = (rnd() % 8 ? rnd() % 64 * page_size : rnd() % 65536);
		int prot = map_prots[rnd() % ARRAY_SIZE(map_prots)];
		int flags = rnd() % 8 ? MAP_SHARED : MAP_PRIVATE;
		int fd = open(SWAPLAB_DEVICE, O_RDWR), status;
		uint8_t *map;
		pid_t pid;

		ASSERT_LE(0, fd);
		if (rnd() % 8 == 0)
			len = rnd() % (1 << 20);	/* any length at all */
		map = mmap(NULL, len, prot, flags, fd, off);
		if (map == MAP_FAILED) {
			refused++;
			EXPECT_TRUE(errno_in(errno, allowed))
				TH_LOG("mmap len %zu off %lld prot %d flags %d: errno %d",
				       len, (long long)off, prot, flags, errno);
			close(fd);
			continue;
		}
		maps++;
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct sigaction sa = { .sa_handler = on_fault };
			/* static: it must keep its value across siglongjmp() */
			static int j;

			/* A bad access ends one operation, not the child. */
			sigaction(SIGSEGV, &sa, NULL);
			sigaction(SIGBUS, &sa, NULL);
			j = 0;
			sigsetjmp(fault_jmp, 1);
			while (j < 16) {
				j++;
				mapping_op(map, len);
			}
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		/* Faults are caught; only a kill would end it early. */
		if (WIFSIGNALED(status)) {
			signalled++;
			EXPECT_TRUE(WTERMSIG(status) == SIGBUS ||
				    WTERMSIG(status) == SIGSEGV)
				TH_LOG("child killed by signal %d", WTERMSIG(status));
		}
		munmap(map, len);
		close(fd);
	}
	TH_LOG("%lu mappings (%lu refused) with 16 operations each; %lu children killed",
	       maps, refused, signalled);
	EXPECT_EQ(0, write_knob("frames", frames));
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
}

/* A guarded access: a fault that raises SIGBUS or SIGSEGV is survived. */
static bool touch_page(uint8_t *at, bool write)
{
	struct sigaction sa = { .sa_handler = on_fault }, obus, osegv;
	bool ok = true;

	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	if (sigsetjmp(fault_jmp, 1))
		ok = false;
	else if (write)
		__atomic_store_n(at, (uint8_t)rnd(), __ATOMIC_RELAXED);
	else
		(void)__atomic_load_n(at, __ATOMIC_RELAXED);
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return ok;
}

/* A region name from a small set, so that attaches meet. */
static void region_name(char *name, size_t size)
{
	snprintf(name, size, "fuzz-%u", (unsigned int)(rnd() % 4));
}

/* An argument pointer: mostly @buf, sometimes NULL or garbage. */
static void *arg_ptr(void *buf)
{
	switch (rnd() % 10) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)rnd();
	default:
		return buf;
	}
}

#define FILE_SLOTS	8

/*
 * Named regions' files: attached, re-attached through one another,
 * mapped, touched, put through every ioctl of a region file with
 * plausible and random arguments (ranges, record windows and tags,
 * pager claims with any descriptor), closed with their mappings alive,
 * in random order.
 */
TEST_F_TIMEOUT(fuzz, region_files, 600)
{
	static const int allowed[] = {
		/* The ioctl table of Documentation/admin-guide/swaplab/regions.rst */
		ENOTTY, EFAULT, EINVAL, ENOENT, EEXIST, EACCES, EMFILE, EBADF,
		EOVERFLOW, ENOSPC, EIO, ENOMEM, EPERM, EBUSY, 0,
	};
	static const unsigned long ranges[] = {
		SWAPLAB_IOC_PIN, SWAPLAB_IOC_UNPIN, SWAPLAB_IOC_PREFETCH,
		SWAPLAB_IOC_DISCARD,
	};
	unsigned long iters = env_ul("SWAPLAB_FUZZ_FILE_ITERS", 30);
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	unsigned long calls = 0, refused = 0, attached = 0, faults = 0;
	int fds[FILE_SLOTS];
	uint8_t *maps[FILE_SLOTS];
	size_t lens[FILE_SLOTS];
	uint8_t buf[256];
	char frames[32];

	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, read_knob("frames", frames, sizeof(frames)));
	/* A small budget: pins meet the 16-frame floor, touches page. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + 64));
	for (int k = 0; k < FILE_SLOTS; k++) {
		fds[k] = -1;
		maps[k] = NULL;
	}
	fuzz_seed(4);
	for (unsigned long i = 0; i < iters; i++) {
		int dev = open(SWAPLAB_DEVICE, rnd() % 4 ? O_RDWR : O_RDONLY);

		ASSERT_LE(0, dev);
		for (int j = 0; j < 16; j++) {
			int k = rnd() % FILE_SLOTS, other = rnd() % FILE_SLOTS;
			int fd = fds[k] >= 0 ? fds[k] : dev;
			struct swaplab_attach *at = (void *)buf;
			struct swaplab_range *r = (void *)buf;
			unsigned long cmd = 0;
			uint32_t u32;
			int32_t s32;
			void *arg = buf;
			int ret;

			for (size_t b = 0; b < sizeof(buf); b++)
				buf[b] = rnd();
			switch (rnd() % 12) {
			case 0:
			case 1:		/* attach, through the device or a region */
				if (rnd() % 8) {
					memset(at, 0, sizeof(*at));
					region_name(at->name, sizeof(at->name));
					at->size = (rnd() % 65) * page_size;
					at->flags = rnd() % 8;
					at->mode = rnd() % 4 ? 0 : rnd() & 0777;
				}
				if (rnd() % 2 && fds[other] >= 0)
					fd = fds[other];
				cmd = SWAPLAB_IOC_ATTACH;
				arg = arg_ptr(buf);
				break;
			case 2:		/* map it */
				if (fds[k] < 0 || maps[k])
					continue;
				lens[k] = (1 + rnd() % 64) * page_size;
				maps[k] = mmap(NULL, lens[k], rnd() % 4 ?
					       PROT_READ | PROT_WRITE : PROT_READ,
					       rnd() % 8 ? MAP_SHARED : MAP_PRIVATE,
					       fds[k], (rnd() % 4) * page_size);
				if (maps[k] == MAP_FAILED)
					maps[k] = NULL;
				continue;
			case 3:		/* touch it */
				if (!maps[k])
					continue;
				for (int t = 0; t < 8; t++)
					faults += !touch_page(maps[k] + rnd() % lens[k],
							      rnd() % 2);
				continue;
			case 4:
			case 5:		/* a range ioctl, mostly plausible */
				if (rnd() % 4) {
					r->offset = (rnd() % 80) * page_size;
					r->length = (rnd() % 20) * page_size;
				}
				cmd = ranges[rnd() % ARRAY_SIZE(ranges)];
				arg = arg_ptr(buf);
				break;
			case 6:
				cmd = SWAPLAB_IOC_REGION_INFO;
				arg = arg_ptr(buf);
				break;
			case 7:		/* record: a window, perhaps a tag */
				u32 = rnd() % 4 ? rnd() % (SWAPLAB_RECORD_WINDOW_MAX + 2) : rnd();
				if (rnd() % 2)
					u32 |= (rnd() % 1000) << SWAPLAB_RECORD_TAG_SHIFT;
				memcpy(buf, &u32, sizeof(u32));
				cmd = SWAPLAB_IOC_RECORD;
				arg = arg_ptr(buf);
				break;
			case 8:		/* a claim, with any descriptor */
				switch (rnd() % 4) {
				case 0:
					s32 = dev;
					break;
				case 1:
					s32 = fds[other];
					break;
				case 2:
					s32 = -1;
					break;
				default:
					s32 = rnd();
				}
				memcpy(buf, &s32, sizeof(s32));
				cmd = SWAPLAB_IOC_PAGER_CLAIM;
				arg = arg_ptr(buf);
				break;
			case 9:		/* any command of ours, any size */
				cmd = _IOC(rnd() % 4, SWAPLAB_IOC_MAGIC,
					   rnd() % 48, rnd() % 256);
				arg = arg_ptr(buf);
				break;
			case 10:	/* close, the mapping left */
				if (fds[k] >= 0)
					close(fds[k]);
				fds[k] = -1;
				continue;
			default:
				if (maps[k])
					munmap(maps[k], lens[k]);
				maps[k] = NULL;
				continue;
			}
			ret = ioctl(fd, cmd, arg);
			calls++;
			if (ret < 0) {
				refused++;
				EXPECT_TRUE(errno_in(errno, allowed))
					TH_LOG("region ioctl %#lx: errno %d", cmd, errno);
			} else if (cmd == SWAPLAB_IOC_ATTACH) {
				attached++;
				if (fds[k] >= 0)
					close(fds[k]);
				fds[k] = ret;
			}
		}
		close(dev);
	}
	for (int k = 0; k < FILE_SLOTS; k++) {
		if (maps[k])
			munmap(maps[k], lens[k]);
		if (fds[k] >= 0)
			close(fds[k]);
	}
	TH_LOG("region files: %lu ioctls, %lu refused, %lu attaches, %lu faulting touches",
	       calls, refused, attached, faults);
	EXPECT_EQ(0, write_knob("frames", frames));
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(0, read_stat("pinned"));
}

/* A power of two in the ring's range, or something near it. */
static uint32_t ring_entries(void)
{
	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:
		return SWAPLAB_PAGER_ENTRIES_MIN - 1 + rnd() % 3;
	case 3:
		return SWAPLAB_PAGER_ENTRIES_MAX << (rnd() % 2);
	default:
		return SWAPLAB_PAGER_ENTRIES_MIN << (rnd() % 5);
	}
}

/*
 * One pager's life: attached with random and plausible arguments, its
 * ring mapped (or not, or wrongly), a region claimed (or not), the
 * "pager" policy selected (or not), while a child pages that region;
 * the events answered with SUPPLY, TAKE and VICTIMS whose fields are
 * mostly the events' own, sometimes off by a little or anything at all;
 * then closed in a random order, the child perhaps killed in a fault.
 */
static void pager_round(struct __test_metadata *_metadata,
			unsigned long *calls, unsigned long *refused,
			unsigned long *events)
{
	static const int allowed[] = {
		ENOTTY, EFAULT, EINVAL, EBUSY, EPERM, ENOMEM, ESRCH, EBADF,
		EACCES, ENOENT, EEXIST, ENOSPC, EIO, 0,
	};
	struct swaplab_pager_attach at = { 0 };
	struct swaplab_pager_page pages[SWAPLAB_PAGER_VICTIMS_MAX];
	struct swaplab_pager_ring *ring = NULL;
	struct swaplab_attach ra = { 0 };
	size_t ring_len = 0, npages = 0;
	/*
	 * The next event to read, the test's own: the head it writes to the
	 * ring is sometimes a lie, which it must not read back.
	 */
	uint64_t seen = 0;
	int dev, pfd, rfd, status, ring_prot;
	uint8_t *page;
	pid_t child;

	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, dev);
	at.entries = ring_entries();
	at.flags = rnd() % 4 ? rnd() % 8 : rnd();
	at.wakeup = rnd() % 4 ? rnd() % 8 : rnd();
	if (at.flags & SWAPLAB_PAGER_DATA)
		at.data_timeout_ms = rnd() % 4 ? 1 + rnd() % 50 : rnd() % 70000;
	else if (rnd() % 8 == 0)
		at.data_timeout_ms = rnd();
	if (rnd() % 8 == 0)
		at.pad = rnd();
	if (rnd() % 8 == 0)
		at.reserved = rnd();
	pfd = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, arg_ptr(&at));
	(*calls)++;
	if (pfd < 0) {
		(*refused)++;
		EXPECT_TRUE(errno_in(errno, allowed))
			TH_LOG("pager attach: errno %d", errno);
		goto out_dev;
	}
	/* The ring: mostly as documented, sometimes not. */
	ring_len = at.ring_bytes;
	if (rnd() % 8 == 0)
		ring_len = (1 + rnd() % 4) * page_size;
	ring_prot = rnd() % 8 ? PROT_READ | PROT_WRITE : PROT_READ;
	ring = mmap(NULL, ring_len, ring_prot,
		    rnd() % 8 ? MAP_SHARED : MAP_PRIVATE, pfd,
		    rnd() % 8 ? 0 : page_size);
	if (ring == MAP_FAILED)
		ring = NULL;

	/* A region, claimed by this pager perhaps. */
	snprintf(ra.name, sizeof(ra.name), "fuzz-pager");
	ra.flags = SWAPLAB_ATTACH_CREATE;
	ra.size = 64 * page_size;
	rfd = ioctl(dev, SWAPLAB_IOC_ATTACH, &ra);
	ASSERT_LE(0, rfd);
	if (rnd() % 2) {
		int32_t claim = rnd() % 8 ? pfd : dev;

		if (ioctl(rfd, SWAPLAB_IOC_PAGER_CLAIM, arg_ptr(&claim))) {
			(*refused)++;
			EXPECT_TRUE(errno_in(errno, allowed))
				TH_LOG("pager claim: errno %d", errno);
		}
		(*calls)++;
	}
	if (rnd() % 2)
		write_knob("policy", "pager");

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		uint8_t *map;

		/* The pager file would keep the pager attached for the child. */
		close(pfd);
		close(dev);
		map = mmap(NULL, ra.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   rfd, 0);
		if (map == MAP_FAILED)
			_exit(0);
		for (int t = 0; t < 400; t++)
			touch_page(map + (rnd() % 64) * page_size +
				   rnd() % page_size, rnd() % 2);
		_exit(0);
	}

	for (int round = 0; round < 64; round++) {
		struct pollfd pl = { .fd = pfd, .events = POLLIN };
		struct swaplab_pager_data d;
		struct swaplab_pager_victims v;
		unsigned long cmd;
		uint64_t head, tail;
		int ret;

		poll(&pl, 1, 10);
		if (!ring || !(pl.revents & POLLIN)) {
			if (rnd() % 4)
				continue;
			head = 0;
			tail = 0;
		} else {
			tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
			/* Events overwritten since (a ring full) are skipped. */
			if (tail - seen > (uint64_t)ring->mask + 1)
				seen = tail - ring->mask - 1;
			head = seen;
			seen = tail;
		}
		for (; head != tail; head++) {
			struct swaplab_pager_event *ev = (void *)
				((char *)ring + SWAPLAB_PAGER_RING_EVENTS +
				 (head & ring->mask) * sizeof(*ev));

			(*events)++;
			memset(&d, 0, sizeof(d));
			d.region = ev->region;
			d.index = ev->index;
			d.seq = ev->arg;
			d.buf = (uintptr_t)page;
			if (rnd() % 8 == 0) {	/* a little off, or garbage */
				switch (rnd() % 6) {
				case 0:
					d.region++;
					break;
				case 1:
					d.index += rnd() % 3;
					break;
				case 2:
					d.seq = rnd();
					break;
				case 3:
					d.buf = rnd() % 2 ? 0 : rnd();
					break;
				case 4:
					d.reserved = rnd();
					break;
				default:
					d.index = rnd();
				}
			}
			switch (ev->type) {
			case SWAPLAB_PAGER_ADMIT:
				if (npages < ARRAY_SIZE(pages)) {
					pages[npages].region = ev->region;
					pages[npages].index = ev->index;
					npages++;
				}
				continue;
			case SWAPLAB_PAGER_DATA_REQUEST:
				if (rnd() % 8 == 0)
					continue;	/* left to time out */
				cmd = SWAPLAB_PAGER_IOC_SUPPLY;
				break;
			case SWAPLAB_PAGER_DATA_RETURN:
				if (rnd() % 8 == 0)
					continue;
				cmd = SWAPLAB_PAGER_IOC_TAKE;
				break;
			case SWAPLAB_PAGER_WANT:
				memset(&v, 0, sizeof(v));
				v.pages = (uintptr_t)pages;
				v.nr = npages ? 1 + rnd() % npages : 0;
				v.flags = rnd() % 2 ? SWAPLAB_PAGER_RESCAN : 0;
				if (rnd() % 8 == 0) {
					v.nr = rnd() % 8 ? rnd() % 300 : rnd();
					v.flags = rnd();
					v.pages = rnd() % 2 ? 0 : rnd();
					v.proc = rnd() % 2 ? rnd() % 4 : rnd();
				}
				ret = ioctl(pfd, SWAPLAB_PAGER_IOC_VICTIMS, &v);
				(*calls)++;
				if (ret < 0) {
					(*refused)++;
					EXPECT_TRUE(errno_in(errno, allowed))
						TH_LOG("VICTIMS: errno %d", errno);
				}
				continue;
			default:
				continue;
			}
			ret = ioctl(pfd, cmd, rnd() % 16 ? (void *)&d : arg_ptr(&d));
			(*calls)++;
			if (ret < 0) {
				(*refused)++;
				EXPECT_TRUE(errno_in(errno, allowed))
					TH_LOG("pager ioctl %#lx: errno %d", cmd, errno);
			}
		}
		if (!ring || !(ring_prot & PROT_WRITE))
			;	/* a pager that never says what it read */
		else if (rnd() % 16)
			__atomic_store_n(&ring->head, tail, __ATOMIC_RELEASE);
		else if (rnd() % 2)
			ring->head = rnd();	/* a pager that lies */
		/* Now and then a command of ours, any size, on the pager file. */
		if (rnd() % 4 == 0) {
			uint8_t buf[256];

			for (size_t b = 0; b < sizeof(buf); b++)
				buf[b] = rnd();
			cmd = _IOC(rnd() % 4, SWAPLAB_IOC_MAGIC, rnd() % 48,
				   rnd() % 256);
			ret = ioctl(rnd() % 2 ? pfd : rfd, cmd, arg_ptr(buf));
			(*calls)++;
			if (ret < 0) {
				(*refused)++;
				EXPECT_TRUE(errno_in(errno, allowed))
					TH_LOG("ioctl %#lx: errno %d", cmd, errno);
			} else if (ret > 0 && (_IOC_NR(cmd) == _IOC_NR(SWAPLAB_IOC_ATTACH) ||
					       _IOC_NR(cmd) == _IOC_NR(SWAPLAB_IOC_PAGER_ATTACH))) {
				close(ret);
			}
		}
		if (rnd() % 32 == 0)
			break;
	}
	/*
	 * The child is killed wherever it is (a fault waiting for the
	 * pager, perhaps), or the pager goes first, failing the faults that
	 * wait for it, and the child runs to its end; the files close in a
	 * random order.
	 */
	if (rnd() % 2) {
		kill(child, SIGKILL);
		ASSERT_EQ(child, waitpid(child, &status, 0));
	}
	switch (rnd() % 3) {
	case 0:
		close(pfd);
		if (ring)
			munmap(ring, ring_len);
		close(rfd);
		break;
	case 1:
		close(rfd);
		if (ring)
			munmap(ring, ring_len);
		close(pfd);
		break;
	default:
		if (ring)
			munmap(ring, ring_len);
		close(pfd);
		close(rfd);
	}
	if (waitpid(child, &status, 0) != child)
		ASSERT_EQ(ECHILD, errno);
out_dev:
	close(dev);
	munmap(page, page_size);
}

TEST_F_TIMEOUT(fuzz, pager_files, 600)
{
	unsigned long iters = env_ul("SWAPLAB_FUZZ_FILE_ITERS", 30) / 3 + 1;
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	unsigned long calls = 0, refused = 0, events = 0;
	char frames[32], policy[32], timeout[16];

	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, read_knob("frames", frames, sizeof(frames)));
	ASSERT_EQ(0, read_knob("policy", policy, sizeof(policy)));
	ASSERT_EQ(0, read_knob("policies/pager/timeout_ms", timeout,
			       sizeof(timeout)));
	/* A small budget, so that the child's touches page. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + 32));
	/* A pager that does not answer holds reclaim this long. */
	ASSERT_EQ(0, write_knob("policies/pager/timeout_ms", "10"));
	fuzz_seed(5);
	for (unsigned long i = 0; i < iters; i++) {
		pager_round(_metadata, &calls, &refused, &events);
		/* An ejected pager leaves another policy; select ours. */
		write_knob("policy", policy);
	}
	TH_LOG("pager files: %lu rounds, %lu ioctls, %lu refused, %lu events read",
	       iters, calls, refused, events);
	EXPECT_EQ(0, write_knob("policies/pager/timeout_ms", timeout));
	EXPECT_EQ(0, write_knob("policy", policy));
	EXPECT_EQ(0, write_knob("frames", frames));
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(0, read_stat("pinned"));
}

TEST_HARNESS_MAIN
