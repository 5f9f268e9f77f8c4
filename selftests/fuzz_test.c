// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab fuzz tests: every sysfs knob and every ioctl driven with random
 * and boundary input, and mappings of random shape put through random
 * touches, mprotect, madvise, mremap, partial munmap and fork; and the
 * files the device hands out, named regions' (SWAPLAB_IOC_ATTACH) and the
 * pager's (SWAPLAB_IOC_PAGER_ATTACH), driven with their own structures,
 * half plausible, half garbage. SWAPLAB_IOC_MOVE between regions whose
 * every page the test knows, with descriptors of every kind, garbage
 * fields, pinned and mlocked pages, a claimed region and signals
 * mid-move: each page is checked after each batch against what the
 * moves reported done. The allocation knobs, load control and the
 * processes' weights written while children page and check their pages,
 * and so are the policy and the built-in policies' knobs.
 * Seeded and bounded: SWAPLAB_FUZZ_SEED (default 1), SWAPLAB_FUZZ_ITERS
 * (default 300 a test) and, for the region and pager files, the moves
 * and the allocation and policy knobs, SWAPLAB_FUZZ_FILE_ITERS (default 30: a few
 * seconds each in the suite; `make fuzz` runs them longer). The kernel
 * must stay up with no report in its log (the VM runner checks), every
 * error must be one the documentation lists, a refused knob write must
 * change nothing, and nothing may be left behind: regions, frames and
 * slots return to their values before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
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

static uint64_t fuzz_state;

/* The shared PRNG (userspace/lib/common.h), on the fuzzer's own state. */
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
 * the events answered with SUPPLY (read-only or not), TAKE, UNLOCK and
 * VICTIMS whose fields are mostly the events' own, sometimes off by a
 * little or anything at all; pages taken back with PAGER_LOCK now and
 * then, its arguments as plausible, or not; then closed in a random
 * order, the child perhaps killed in a fault.
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
	/* Room for the most pages a PAGER_LOCK may take back. */
	uint8_t *page, *lockbuf, lockstatus[SWAPLAB_PAGER_LOCK_MAX];
	pid_t child;

	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	lockbuf = mmap(NULL, SWAPLAB_PAGER_LOCK_MAX * page_size,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, lockbuf);
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
				if (rnd() % 2)
					d.flags |= SWAPLAB_PAGER_SUPPLY_RDONLY;
				cmd = SWAPLAB_PAGER_IOC_SUPPLY;
				break;
			case SWAPLAB_PAGER_DATA_UNLOCK:
				if (rnd() % 8 == 0)
					continue;	/* left to time out */
				if (rnd() % 2)
					d.buf = 0;	/* keep its contents */
				cmd = SWAPLAB_PAGER_IOC_UNLOCK;
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
		/* Now and then pages taken back, as the pager or not. */
		if (rnd() % 4 == 0) {
			struct swaplab_pager_lock lk = {
				.pager_fd = rnd() % 8 ? pfd : dev,
				.op = 1 + rnd() % 3, .index = rnd() % 64,
				.nr = 1 + rnd() % 4,
				.buf = (uintptr_t)lockbuf,
				.status = (uintptr_t)lockstatus,
			};

			if (lk.op == SWAPLAB_PAGER_LOCK_PROTECT)
				lk.buf = 0;
			if (rnd() % 8 == 0) {
				switch (rnd() % 5) {
				case 0:
					lk.op = rnd();
					break;
				case 1:
					lk.nr = rnd() % 2 ? rnd() % 300 : rnd();
					break;
				case 2:
					lk.index = rnd() % 2 ? 60 + rnd() % 8 : rnd();
					break;
				case 3:
					lk.buf = rnd() % 2 ? 0 : rnd();
					break;
				default:
					lk.status = rnd() % 2 ? 0 : rnd();
				}
			}
			ret = ioctl(rfd, SWAPLAB_IOC_PAGER_LOCK, arg_ptr(&lk));
			(*calls)++;
			if (ret < 0) {
				(*refused)++;
				EXPECT_TRUE(errno_in(errno, allowed))
					TH_LOG("PAGER_LOCK: errno %d", errno);
			}
		}
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
	munmap(lockbuf, SWAPLAB_PAGER_LOCK_MAX * page_size);
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

/*
 * The moves test's pages: word 0 is the page's tag, a number no other
 * page written has had, the rest a pattern of it; tag 0 is a page of
 * zeroes. A page found at the wrong place names, in word 0, the page it
 * came from.
 */
#define MOVE_SEED	0x6d6f7665ull

static void write_tagged(uint8_t *at, uint64_t tag)
{
	uint64_t *w = (uint64_t *)at;

	for (size_t j = 1; j < page_size / 8; j++)
		w[j] = pattern(tag, j, MOVE_SEED);
	w[0] = tag;
}

/* Whether the page at @at holds @tag's data (zeroes for 0); its word 0. */
static bool check_tagged(const uint8_t *at, uint64_t tag, uint64_t *found)
{
	const uint64_t *w = (const uint64_t *)at;

	*found = w[0];
	if (w[0] != tag)
		return false;
	for (size_t j = 1; j < page_size / 8; j++)
		if (w[j] != (tag ? pattern(tag, j, MOVE_SEED) : 0))
			return false;
	return true;
}

/*
 * The regions moves go between: MV_ANON anonymous ones (an open of the
 * device, mapped) and MV_NAMED named ones (SWAPLAB_IOC_ATTACH, mapped,
 * also opened read-only and write-only), then one claimed by a data
 * pager and a write-only open of the device (the sink), neither mapped.
 * Each page's state is kept: the tag it holds, whether it may hold a
 * page of zeroes (read, pinned, mlocked: such a page may refuse a move
 * into it), its pins and whether it is mlocked.
 */
#define MV_ANON		3
#define MV_NAMED	3
#define MV_MAPPED	(MV_ANON + MV_NAMED)
#define MV_CLAIMED	MV_MAPPED
#define MV_SINK		(MV_MAPPED + 1)
#define MV_REGIONS	(MV_MAPPED + 2)
#define MV_PAGES	64
/* The signal rounds' two regions: larger than the budget, so most move in slots. */
#define MV_SIG_PAGES	192
/* The most pages pinned at once: far from the 16-frame floor. */
#define MV_PINS_MAX	8

struct mv_region {
	int fd, ro, wo;
	uint8_t *map;
	size_t pages;
	uint64_t tag[MV_PAGES];
	uint8_t held[MV_PAGES], pins[MV_PAGES], locked[MV_PAGES];
};

/* A descriptor a MOVE is given, as source or destination. */
struct mv_fd {
	int fd;
	int region;		/* its region's index; -1: none of ours */
	bool swaplab;		/* a file of /dev/swaplab */
	bool open;		/* open at all */
	bool rd, wr;
};

enum { MV_BADF = 1, MV_INVAL = 2, MV_BUSY = 4, MV_EXIST = 8 };

struct mv_stats {
	unsigned long calls, refused, moved, stopped, pins, locks;
	unsigned long rounds, killed, usr1, sig_moves;
};

struct mv_ctx {
	struct mv_region r[MV_REGIONS];
	struct mv_fd fds[32];
	int nfds;
	int pager, pipefd[2], ro_dev;
	size_t pinned;
	uint64_t next_tag;
	struct mv_stats st;
};

static void mv_add_fd(struct mv_ctx *c, int fd, int region, bool swaplab,
		      bool open, bool rd, bool wr)
{
	c->fds[c->nfds++] = (struct mv_fd){
		.fd = fd, .region = region, .swaplab = swaplab, .open = open,
		.rd = rd, .wr = wr,
	};
}

/* A descriptor of a mapped region open for reading and writing. */
static struct mv_fd mv_rw(struct mv_ctx *c, int k)
{
	return (struct mv_fd){
		.fd = c->r[k].fd, .region = k, .swaplab = true, .open = true,
		.rd = true, .wr = true,
	};
}

static int mv_bits_errno(unsigned int bits, int err)
{
	return (err == EBADF && (bits & MV_BADF)) ||
	       (err == EINVAL && (bits & MV_INVAL)) ||
	       (err == EBUSY && (bits & MV_BUSY)) ||
	       (err == EEXIST && (bits & MV_EXIST));
}

/* Move @n pages of the model from @s at @sp to @d at @dp. */
static void mv_model_move(struct mv_region *s, uint64_t sp,
			  struct mv_region *d, uint64_t dp, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		d->tag[dp + i] = s->tag[sp + i];
		d->held[dp + i] = s->held[sp + i] || s->tag[sp + i];
		s->tag[sp + i] = 0;
		s->held[sp + i] = 0;
	}
}

/* A byte offset for a MOVE: mostly a page of @pages, else anything. */
static uint64_t mv_offset(size_t pages)
{
	switch (rnd() % 16) {
	case 0:
		return rnd();
	case 1:		/* unaligned */
		return (rnd() % (pages + 1)) * page_size + 1 + rnd() % (page_size - 1);
	case 2:		/* wraps with any length */
		return -(uint64_t)page_size * (1 + rnd() % 4);
	case 3:		/* the end, or just past */
		return (pages + rnd() % 2) * page_size;
	default:
		return (rnd() % pages) * page_size;
	}
}

static uint64_t mv_length(size_t pages)
{
	switch (rnd() % 16) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:		/* unaligned */
		return (1 + rnd() % 8) * page_size - 1 - rnd() % (page_size - 1);
	case 3:		/* huge, aligned */
		return (rnd() | 1ull << 63) & ~(uint64_t)(page_size - 1);
	case 4:		/* the whole region, or one page more */
		return (pages + rnd() % 2) * page_size;
	default:
		return (1 + rnd() % 8) * page_size;
	}
}

/*
 * Ranges a move can take: from a page with data, to a run of as many
 * pages that hold none, if one is found; else left as they are.
 */
static void mv_plausible(const struct mv_region *s, const struct mv_region *d,
			 struct swaplab_move *mv)
{
	size_t sp = rnd() % s->pages, n = 1 + rnd() % 8, dp, run;

	for (size_t i = 0; i < s->pages && !s->tag[sp]; i++)
		sp = (sp + 1) % s->pages;
	if (n > s->pages - sp)
		n = s->pages - sp;
	if (n > d->pages)
		return;
	dp = rnd() % (d->pages - n + 1);
	for (size_t i = 0; i <= d->pages - n; i++) {
		for (run = 0; run < n; run++)
			if (d->tag[dp + run] || d->held[dp + run] ||
			    (s == d && sp < dp + n && dp < sp + n))
				break;
		if (run == n) {
			mv->src_offset = sp * page_size;
			mv->dst_offset = dp * page_size;
			mv->length = n * page_size;
			return;
		}
		dp = (dp + 1) % (d->pages - n + 1);
	}
}

/*
 * One MOVE, with random and garbage arguments, its result checked against
 * what the model says applies, and the model updated by what it reports
 * done.
 */
static void mv_one(struct __test_metadata *_metadata, struct mv_ctx *c)
{
	struct mv_fd src, dst;
	struct mv_region *s = NULL, *d = NULL;
	struct swaplab_move mv = { 0 };
	unsigned int must = 0, maybe = 0;
	uint64_t sp = 0, dp = 0, n = 0;
	bool range_ok, null;
	int ret, err;

	/* Mostly a mapped region's own file; else any descriptor. */
	if (rnd() % 8)
		src = mv_rw(c, rnd() % MV_MAPPED);
	else
		src = c->fds[rnd() % c->nfds];
	switch (rnd() % 16) {
	case 0:
	case 1:		/* the same region */
		dst = src.region >= 0 && src.region < MV_MAPPED ?
		      mv_rw(c, src.region) : src;
		break;
	case 2:
	case 3:
	case 4:
		dst = c->fds[rnd() % c->nfds];
		break;
	case 5:		/* a named region's write-only file */
		dst = mv_rw(c, MV_ANON + rnd() % MV_NAMED);
		dst.fd = c->r[dst.region].wo;
		dst.rd = false;
		break;
	default:
		dst = mv_rw(c, rnd() % MV_MAPPED);
	}
	if (src.region >= 0)
		s = &c->r[src.region];
	if (dst.region >= 0)
		d = &c->r[dst.region];
	mv.dst_fd = dst.fd;
	mv.flags = rnd() % 16 ? 0 : rnd() % 2 ? 1u << (rnd() % 32) : rnd();
	mv.src_offset = mv_offset(s ? s->pages : 16);
	mv.dst_offset = mv_offset(d ? d->pages : 16);
	mv.length = mv_length(s ? s->pages : 16);
	if (s && d && rnd() % 3)
		mv_plausible(s, d, &mv);
	mv.done = rnd() | 1;	/* must be written back */

	/* What applies, by the documentation's list. */
	if (src.swaplab && (!src.rd || !src.wr))
		must |= MV_BADF;
	if (!dst.open)
		must |= MV_BADF;
	else if (!dst.swaplab)
		must |= MV_INVAL;
	else if (!dst.wr)
		must |= MV_BADF;
	range_ok = s && d && !mv.flags && mv.length &&
		   !((mv.src_offset | mv.dst_offset | mv.length) % page_size);
	if (range_ok) {
		sp = mv.src_offset / page_size;
		dp = mv.dst_offset / page_size;
		n = mv.length / page_size;
		range_ok = sp < s->pages && n <= s->pages - sp &&
			   dp < d->pages && n <= d->pages - dp &&
			   !(s == d && sp < dp + n && dp < sp + n);
	}
	if (!range_ok) {
		must |= MV_INVAL;
	} else {
		if (src.region == MV_CLAIMED || dst.region == MV_CLAIMED)
			must |= MV_BUSY;
		for (uint64_t i = 0; i < n; i++) {
			if (s->pins[sp + i] || s->locked[sp + i])
				must |= MV_BUSY;
			if (d->tag[dp + i])
				must |= MV_EXIST;
			else if (d->held[dp + i])
				maybe |= MV_EXIST;
		}
	}

	null = rnd() % 32 == 0;
	ret = ioctl(src.fd, SWAPLAB_IOC_MOVE, null ? NULL : &mv);
	err = errno;
	c->st.calls++;
	if (ret)
		c->st.refused++;
	if (!src.swaplab) {
		/* Not our ioctl: a closed descriptor, a pipe, the pager's file. */
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(src.open ? ENOTTY : EBADF, err)
			TH_LOG("MOVE on fd %d (not a region's): errno %d", src.fd, err);
		return;
	}
	if (null) {
		/* Nothing read, nothing done, nothing written back. */
		EXPECT_TRUE(ret && err == EFAULT)
			TH_LOG("MOVE with no argument: %d, errno %d", ret, err);
		return;
	}
	if (must) {
		EXPECT_EQ(-1, ret) TH_LOG("MOVE succeeded where %#x applies", must);
		EXPECT_TRUE(ret && mv_bits_errno(must | maybe, err))
			TH_LOG("MOVE: errno %d where %#x applies (src fd %d, dst fd %d, flags %#x, %#llx -> %#llx, %#llx bytes)",
			       err, must, src.fd, dst.fd, mv.flags,
			       (unsigned long long)mv.src_offset,
			       (unsigned long long)mv.dst_offset,
			       (unsigned long long)mv.length);
		EXPECT_EQ(0, mv.done) TH_LOG("a refused MOVE reports %llu done",
					     (unsigned long long)mv.done);
		return;
	}
	if (!ret) {
		EXPECT_EQ(mv.length, mv.done);
		if (mv.done != mv.length)
			return;
	} else {
		/*
		 * A page held elsewhere past the wait, or no memory: the move
		 * stops there; or a page of zeroes in the destination.
		 */
		EXPECT_TRUE(err == EBUSY || err == ENOMEM ||
			    (err == EEXIST && (maybe & MV_EXIST)))
			TH_LOG("MOVE of %llu pages: errno %d", (unsigned long long)n, err);
		EXPECT_EQ(0, mv.done % page_size);
		EXPECT_GE(mv.length, mv.done);
		if (mv.done % page_size || mv.done > mv.length)
			return;
		if (err == EEXIST) {
			EXPECT_EQ(0, mv.done);
			if (mv.done)
				return;
		}
		if (mv.done < mv.length)
			c->st.stopped++;
	}
	for (uint64_t i = 0; i < mv.done / page_size; i++)
		c->st.moved += s->tag[sp + i] != 0;
	mv_model_move(s, sp, d, dp, mv.done / page_size);
}

/* One touch, range call, pin or lock on a mapped region. */
static void mv_touch(struct __test_metadata *_metadata, struct mv_ctx *c)
{
	int k = rnd() % MV_MAPPED;
	struct mv_region *r = &c->r[k];
	size_t p = rnd() % r->pages, n;
	struct swaplab_range range = {
		.offset = p * page_size, .length = page_size,
	};
	uint8_t *at = r->map + p * page_size;
	uint64_t found;

	switch (rnd() % 8) {
	case 0:
	case 1:		/* write a new page */
		r->tag[p] = ++c->next_tag;
		r->held[p] = 1;
		write_tagged(at, r->tag[p]);
		break;
	case 2:
	case 3:		/* read one, which makes a page of zeroes of a hole */
		EXPECT_TRUE(check_tagged(at, r->tag[p], &found))
			TH_LOG("region %d page %zu: tag %llu, found %llu", k, p,
			       (unsigned long long)r->tag[p],
			       (unsigned long long)found);
		r->held[p] = 1;
		break;
	case 4:		/* discard a few pages, none mlocked */
		n = 1 + rnd() % (r->pages - p < 8 ? r->pages - p : 8);
		for (size_t i = 0; i < n; i++)
			if (r->locked[p + i])
				return;
		range.length = n * page_size;
		EXPECT_EQ(0, ioctl(r->fd, SWAPLAB_IOC_DISCARD, &range))
			TH_LOG("DISCARD: errno %d", errno);
		for (size_t i = 0; i < n; i++) {
			c->pinned -= r->pins[p + i];
			r->tag[p + i] = 0;
			r->held[p + i] = 0;
			r->pins[p + i] = 0;
		}
		break;
	case 5:		/* pin one, or unpin */
		if (r->pins[p] && rnd() % 2) {
			EXPECT_EQ(0, ioctl(r->fd, SWAPLAB_IOC_UNPIN, &range));
			r->pins[p]--;
			c->pinned--;
			break;
		}
		if (c->pinned >= MV_PINS_MAX)
			break;
		r->held[p] = 1;
		if (!ioctl(r->fd, SWAPLAB_IOC_PIN, &range)) {
			r->pins[p]++;
			c->pinned++;
			c->st.pins++;
		}
		break;
	default:	/* mlock one, or munlock */
		if (r->locked[p]) {
			EXPECT_EQ(0, munlock(at, page_size));
			r->locked[p] = 0;
			break;
		}
		r->held[p] = 1;
		if (!mlock(at, page_size)) {
			r->locked[p] = 1;
			c->st.locks++;
		}
	}
}

/*
 * Whether REGION_INFO on @fd counts @data pages (resident or swapped) and
 * @pinned pinned, within a second; *@info holds the last answer.
 */
static bool mv_info_is(int fd, uint64_t data, uint64_t pinned,
		       struct swaplab_region_info *info)
{
	/* A page being evicted may count in neither for a moment. */
	for (int i = 0; i < 100; i++) {
		memset(info, 0, sizeof(*info));
		if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, info))
			return false;
		if (info->resident + info->swapped == data &&
		    info->pinned == pinned)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * After a batch: every pin and lock let go, every page of every mapped
 * region checked against the model (what moved is at its destination,
 * what left reads as zeroes, the rest as it was), the pages of zeroes
 * discarded (so that they are holes again), and each region's counts of
 * pages those the model has.
 */
static void mv_settle(struct __test_metadata *_metadata, struct mv_ctx *c)
{
	struct swaplab_range range;
	struct swaplab_region_info info;

	for (int k = 0; k < MV_REGIONS; k++) {
		struct mv_region *r = &c->r[k];
		size_t bad = 0, first = SIZE_MAX, data = 0;
		uint64_t found = 0, first_found = 0;

		for (size_t p = 0; p < r->pages; p++) {
			range.offset = p * page_size;
			range.length = page_size;
			for (; r->pins[p]; r->pins[p]--)
				EXPECT_EQ(0, ioctl(r->fd, SWAPLAB_IOC_UNPIN, &range));
			if (r->locked[p])
				EXPECT_EQ(0, munlock(r->map + p * page_size,
						     page_size));
			r->locked[p] = 0;
			data += r->tag[p] != 0;
			if (!r->map)
				continue;
			if (!check_tagged(r->map + p * page_size, r->tag[p],
					  &found) && !bad++) {
				first = p;
				first_found = found;
			}
		}
		EXPECT_EQ(0, bad)
			TH_LOG("region %d: %zu pages wrong; page %zu holds tag %llu, not %llu",
			       k, bad, first, (unsigned long long)first_found,
			       (unsigned long long)r->tag[first]);
		/* Holes again: every run of pages of zeroes discarded. */
		for (size_t p = 0; k != MV_CLAIMED && p < r->pages;) {
			size_t n = 0;

			while (p + n < r->pages && !r->tag[p + n])
				n++;
			if (n) {
				range.offset = p * page_size;
				range.length = n * page_size;
				EXPECT_EQ(0, ioctl(k == MV_SINK ? r->wo : r->fd,
						   SWAPLAB_IOC_DISCARD, &range));
				memset(r->held + p, 0, n);
			}
			p += n + 1;
		}
		EXPECT_TRUE(mv_info_is(k == MV_SINK ? r->wo : r->fd, data, 0,
				       &info))
			TH_LOG("region %d: %llu resident, %llu swapped, %llu pinned; the model has %zu pages",
			       k, (unsigned long long)info.resident,
			       (unsigned long long)info.swapped,
			       (unsigned long long)info.pinned, data);
		/* The sink is emptied: what moved there cannot be read. */
		if (k == MV_SINK && data) {
			range.offset = 0;
			range.length = r->pages * page_size;
			EXPECT_EQ(0, ioctl(r->wo, SWAPLAB_IOC_DISCARD, &range));
			memset(r->tag, 0, sizeof(r->tag));
		}
	}
	c->pinned = 0;
}

/*
 * The signal round's mover's log, in memory it shares with the test: how
 * far it is (@at, stored whole after each call), its calls, the SIGUSR1
 * it caught, the moves that stopped at a busy page, and the result that
 * ended it, if one did.
 */
struct mv_sig_log {
	uint64_t at;		/* direction << 32 | pages done in it */
	uint32_t calls, usr1, busy;
	int32_t bad_errno;
	uint64_t bad_done;
	int stop;
};

static struct mv_sig_log *mv_log;

static void mv_on_usr1(int sig)
{
	__atomic_add_fetch(&mv_log->usr1, 1, __ATOMIC_RELAXED);
}

/*
 * The signal round's mover, a child: all of @a to @b, then back, again
 * from where it stopped when a page was busy, until told to stop,
 * logging each call; a result the documentation does not allow (an
 * EINTR for a signal that is not fatal, a done that is not a whole
 * number of pages of the range) ends it with status 2.
 */
static void mv_mover(int afd, int bfd, const sigset_t *mask)
{
	struct sigaction sa = { .sa_handler = mv_on_usr1 };
	uint64_t dir = 0, pos = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
	sigprocmask(SIG_SETMASK, mask, NULL);
	while (!__atomic_load_n(&mv_log->stop, __ATOMIC_RELAXED) &&
	       mv_log->calls < 10000) {
		struct swaplab_move mv = {
			.dst_fd = dir ? afd : bfd,
			.src_offset = pos * page_size,
			.dst_offset = pos * page_size,
			.length = (MV_SIG_PAGES - pos) * page_size,
			.done = UINT64_MAX,
		};
		int ret = ioctl(dir ? bfd : afd, SWAPLAB_IOC_MOVE, &mv);

		mv_log->calls++;
		if ((ret && errno != EBUSY && errno != ENOMEM) ||
		    mv.done > mv.length || mv.done % page_size ||
		    (!ret && mv.done != mv.length)) {
			mv_log->bad_errno = ret ? errno : 0;
			mv_log->bad_done = mv.done;
			_exit(2);
		}
		if (ret)
			mv_log->busy++;
		pos += mv.done / page_size;
		if (pos == MV_SIG_PAGES) {
			dir ^= 1;
			pos = 0;
		}
		__atomic_store_n(&mv_log->at, dir << 32 | pos, __ATOMIC_RELEASE);
	}
	_exit(0);
}

/*
 * Signals mid-move: a child moves two regions' pages there and back,
 * whole ranges, while this sends it SIGUSR1 (it has a handler) at random
 * moments, then SIGKILL, or asks it to stop. SIGUSR1 must not end a
 * move (only a fatal signal does). After: every page is at one place or
 * the other, never both, never lost; the pages at the destination of the
 * last move are a prefix of the range, the rest at its source; a move
 * that returned reported exactly how far it went (the child stopped:
 * the prefix is what it logged), and a killed one went on from there.
 */
static void mv_signal_round(struct __test_metadata *_metadata,
			    struct mv_ctx *c, int afd, uint8_t *a, int bfd,
			    uint8_t *b)
{
	uint64_t base = c->next_tag + 1, at, dir, pos, found;
	struct swaplab_range all = {
		.offset = 0, .length = MV_SIG_PAGES * page_size,
	};
	size_t k = 0, bad = 0, p;
	bool killed = rnd() % 2, reaped = false;
	sigset_t usr1, old;
	int status, signals = 2 + rnd() % 12;
	pid_t pid;

	c->next_tag += MV_SIG_PAGES;
	for (p = 0; p < MV_SIG_PAGES; p++)
		write_tagged(a + p * page_size, base + p);
	memset(mv_log, 0, sizeof(*mv_log));
	/* Blocked until the child has its handler. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	pid = fork();
	if (pid == 0)
		mv_mover(afd, bfd, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ASSERT_LE(0, pid);
	for (int i = 0; i < signals; i++) {
		usleep(rnd() % 4000);
		kill(pid, SIGUSR1);
	}
	usleep(rnd() % 4000);
	if (killed)
		kill(pid, SIGKILL);
	else
		__atomic_store_n(&mv_log->stop, 1, __ATOMIC_RELAXED);
	/* A move of MV_SIG_PAGES ends in well under a minute. */
	for (int i = 0; i < 600 && !reaped; i++) {
		reaped = waitpid(pid, &status, WNOHANG) == pid;
		if (!reaped)
			usleep(100000);
	}
	if (!reaped) {
		EXPECT_TRUE(0) TH_LOG("the mover did not end within 60 s");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	c->st.rounds++;
	c->st.killed += killed;
	c->st.usr1 += mv_log->usr1;
	c->st.sig_moves += mv_log->calls;
	if (killed) {
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("mover: status %#x; a MOVE returned errno %d, done %llu",
			       status, mv_log->bad_errno,
			       (unsigned long long)mv_log->bad_done);
	} else {
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("mover: status %#x; a MOVE returned errno %d, done %llu",
			       status, mv_log->bad_errno,
			       (unsigned long long)mv_log->bad_done);
	}

	at = __atomic_load_n(&mv_log->at, __ATOMIC_ACQUIRE);
	dir = at >> 32;
	pos = at & 0xffffffff;
	/* Each page at one place; those at the last move's destination first. */
	for (p = 0; p < MV_SIG_PAGES; p++) {
		uint8_t *from = (dir ? b : a) + p * page_size;
		uint8_t *to = (dir ? a : b) + p * page_size;
		bool there = check_tagged(to, base + p, &found) &&
			     check_tagged(from, 0, &found);
		bool here = check_tagged(from, base + p, &found) &&
			    check_tagged(to, 0, &found);

		if (there && k == p)
			k++;
		else if (!here)
			bad++;
	}
	EXPECT_EQ(0, bad) TH_LOG("%zu pages lost, doubled or out of order after %u moves",
				 bad, mv_log->calls);
	if (killed) {
		EXPECT_LE(pos, k) TH_LOG("%zu pages moved, the log says %llu",
					 k, (unsigned long long)pos);
	} else {
		EXPECT_EQ(pos, k) TH_LOG("%zu pages moved, the log says %llu",
					 k, (unsigned long long)pos);
	}
	EXPECT_EQ(0, ioctl(afd, SWAPLAB_IOC_DISCARD, &all));
	EXPECT_EQ(0, ioctl(bfd, SWAPLAB_IOC_DISCARD, &all));
}

/* A region of @pages pages: an open of the device, with region_max set so. */
static int mv_open_anon(size_t pages, int flags)
{
	write_knob_ll("region_max", pages * page_size);
	return open(SWAPLAB_DEVICE, flags);
}

/* The named region @name of @pages pages, created, through @dev. */
static int mv_attach(int dev, const char *name, size_t pages, bool create)
{
	struct swaplab_attach at = {
		.size = create ? pages * page_size : 0,
		.flags = create ? SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL : 0,
		.mode = 0600,
	};

	snprintf(at.name, sizeof(at.name), "%s", name);
	return ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
}

/*
 * SWAPLAB_IOC_MOVE between regions whose every page the test knows:
 * random moves both ways and within one region (overlapping too), from
 * and to descriptors of every kind (closed, a pipe, read-only and
 * write-only files, the pager's file, a claimed region), with fields
 * unaligned, huge, wrapping, zero or garbage, among writes, reads,
 * discards, pins and mlocks; after each batch every page is checked;
 * every few batches a round of signals mid-move.
 */
TEST_F_TIMEOUT(fuzz, moves, 600)
{
	unsigned long iters = env_ul("SWAPLAB_FUZZ_FILE_ITERS", 30);
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	long long slots0 = read_stat("swap_slots_used");
	struct swaplab_pager_attach pat = {
		.flags = SWAPLAB_PAGER_DATA, .data_timeout_ms = 10,
	};
	char frames[32], region_max[32], name[64];
	int dev, dev_ro, dev_wo, sig_a, sig_b, closed;
	uint8_t *sa, *sb;
	struct mv_ctx *c;
	int32_t claim;

	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	c = calloc(1, sizeof(*c));
	ASSERT_NE(NULL, c);
	mv_log = mmap(NULL, sizeof(*mv_log), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mv_log);
	ASSERT_EQ(0, read_knob("frames", frames, sizeof(frames)));
	ASSERT_EQ(0, read_knob("region_max", region_max, sizeof(region_max)));
	/* A small budget: regions page, moves take slots as well as frames. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + 128));
	fuzz_seed(6);

	dev = open(SWAPLAB_DEVICE, O_RDWR);
	dev_ro = open(SWAPLAB_DEVICE, O_RDONLY);
	dev_wo = open(SWAPLAB_DEVICE, O_WRONLY);
	ASSERT_LE(0, dev);
	ASSERT_LE(0, dev_ro);
	ASSERT_LE(0, dev_wo);
	for (int k = 0; k < MV_REGIONS; k++) {
		struct mv_region *r = &c->r[k];

		r->pages = 16 + rnd() % (MV_PAGES - 15);
		r->ro = -1;
		r->wo = -1;
		if (k < MV_ANON) {
			r->fd = mv_open_anon(r->pages, O_RDWR);
		} else if (k == MV_SINK) {
			r->fd = -1;
			r->wo = mv_open_anon(r->pages, O_WRONLY);
			ASSERT_LE(0, r->wo);
			mv_add_fd(c, r->wo, k, true, true, false, true);
			continue;
		} else {
			snprintf(name, sizeof(name), "fuzz-move.%d.%d",
				 (int)getpid(), k);
			r->fd = mv_attach(dev, name, r->pages, true);
			if (k != MV_CLAIMED) {
				r->ro = mv_attach(dev_ro, name, 0, false);
				r->wo = mv_attach(dev_wo, name, 0, false);
				ASSERT_LE(0, r->ro);
				ASSERT_LE(0, r->wo);
				mv_add_fd(c, r->ro, k, true, true, true, false);
				mv_add_fd(c, r->wo, k, true, true, false, true);
			}
		}
		ASSERT_LE(0, r->fd) TH_LOG("region %d: errno %d", k, errno);
		if (k == MV_CLAIMED)
			continue;
		mv_add_fd(c, r->fd, k, true, true, true, true);
		r->map = mmap(NULL, r->pages * page_size,
			      PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
		ASSERT_NE(MAP_FAILED, r->map);
		for (size_t p = 0; p < r->pages; p++) {
			if (rnd() % 4)
				continue;
			r->tag[p] = ++c->next_tag;
			r->held[p] = 1;
			write_tagged(r->map + p * page_size, r->tag[p]);
		}
	}
	/* A region a data pager keeps: every move to or from it is EBUSY. */
	c->pager = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &pat);
	claim = c->pager;
	if (c->pager >= 0 &&
	    !ioctl(c->r[MV_CLAIMED].fd, SWAPLAB_IOC_PAGER_CLAIM, &claim))
		mv_add_fd(c, c->r[MV_CLAIMED].fd, MV_CLAIMED, true, true, true,
			  true);
	else
		TH_LOG("no claimed region: pager attach or claim, errno %d", errno);
	if (c->pager >= 0)
		mv_add_fd(c, c->pager, -1, false, true, false, false);
	/* Not a region's: a pipe's ends, the device opened read-only. */
	ASSERT_EQ(0, pipe(c->pipefd));
	mv_add_fd(c, c->pipefd[0], -1, false, true, true, false);
	mv_add_fd(c, c->pipefd[1], -1, false, true, false, true);
	c->ro_dev = mv_open_anon(16, O_RDONLY);
	ASSERT_LE(0, c->ro_dev);
	mv_add_fd(c, c->ro_dev, -1, true, true, true, false);

	/* The signal rounds' regions. */
	sig_a = mv_open_anon(MV_SIG_PAGES, O_RDWR);
	sig_b = mv_open_anon(MV_SIG_PAGES, O_RDWR);
	ASSERT_LE(0, sig_a);
	ASSERT_LE(0, sig_b);
	sa = mmap(NULL, MV_SIG_PAGES * page_size, PROT_READ | PROT_WRITE,
		  MAP_SHARED, sig_a, 0);
	sb = mmap(NULL, MV_SIG_PAGES * page_size, PROT_READ | PROT_WRITE,
		  MAP_SHARED, sig_b, 0);
	ASSERT_NE(MAP_FAILED, sa);
	ASSERT_NE(MAP_FAILED, sb);
	ASSERT_EQ(0, write_knob("region_max", region_max));
	/* Descriptors that are not open; no file is opened after. */
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	mv_add_fd(c, closed, -1, false, false, false, false);
	mv_add_fd(c, -1, -1, false, false, false, false);
	mv_add_fd(c, 0x3ffffff0, -1, false, false, false, false);

	for (unsigned long i = 0; i < iters; i++) {
		for (int j = 0; j < 24; j++) {
			if (rnd() % 2)
				mv_one(_metadata, c);
			else
				mv_touch(_metadata, c);
		}
		mv_settle(_metadata, c);
		if (i % 3 == 2)
			mv_signal_round(_metadata, c, sig_a, sa, sig_b, sb);
	}
	TH_LOG("moves: %lu calls, %lu refused, %lu stopped short, %lu pages moved; %lu pins, %lu mlocks; %lu signal rounds (%lu killed), %lu SIGUSR1, %lu moves",
	       c->st.calls, c->st.refused, c->st.stopped, c->st.moved,
	       c->st.pins, c->st.locks, c->st.rounds, c->st.killed,
	       c->st.usr1, c->st.sig_moves);

	munmap(sa, MV_SIG_PAGES * page_size);
	munmap(sb, MV_SIG_PAGES * page_size);
	close(sig_a);
	close(sig_b);
	for (int k = 0; k < MV_REGIONS; k++) {
		struct mv_region *r = &c->r[k];

		if (r->map)
			munmap(r->map, r->pages * page_size);
		if (r->fd >= 0)
			close(r->fd);
		if (r->ro >= 0)
			close(r->ro);
		if (r->wo >= 0)
			close(r->wo);
	}
	if (c->pager >= 0)
		close(c->pager);
	close(c->pipefd[0]);
	close(c->pipefd[1]);
	close(c->ro_dev);
	close(dev);
	close(dev_ro);
	close(dev_wo);
	munmap(mv_log, sizeof(*mv_log));
	free(c);
	EXPECT_EQ(0, write_knob("frames", frames));
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
	EXPECT_EQ(0, read_stat("pinned"));
}

/*
 * The allocation knobs' test: children that page through regions of their
 * own, each page's words a pattern of the page and the number of times
 * the child rewrote it, checked at every reference.
 */
#define AK_CHILDREN	3
#define AK_PAGES	96

struct ak_child {
	uint64_t refs;
	uint32_t ready, bad;
	uint64_t bad_page;
};

struct ak_shared {
	int stop;
	struct ak_child child[AK_CHILDREN];
};

static uint64_t ak_word(uint64_t seed, uint32_t version, size_t p, size_t j)
{
	return pattern(p, j, seed ^ (uint64_t)version << 32);
}

static void ak_fill(uint8_t *at, uint64_t seed, uint32_t version, size_t p)
{
	uint64_t *w = (uint64_t *)at;

	for (size_t j = 0; j < page_size / 8; j++)
		w[j] = ak_word(seed, version, p, j);
}

static bool ak_check(const uint8_t *at, uint64_t seed, uint32_t version,
		     size_t p)
{
	const uint64_t *w = (const uint64_t *)at;

	for (size_t j = 0; j < page_size / 8; j++)
		if (w[j] != ak_word(seed, version, p, j))
			return false;
	return true;
}

/*
 * A child: creates the named region @name, fills it, then references its
 * pages at random, checking each and rewriting half of them, until told
 * to stop; then checks every page. Exit status 0, 1 for a wrong page,
 * 3 if it could not set up.
 */
static void ak_child_run(struct ak_shared *sh, int i, const char *name,
			 uint64_t seed)
{
	struct ak_child *me = &sh->child[i];
	struct swaplab_attach at = {
		.size = AK_PAGES * page_size, .mode = 0600,
		.flags = SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL,
	};
	uint32_t version[AK_PAGES] = { 0 };
	uint64_t state = seed;
	uint8_t *m;
	int dev, fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* No child outlives the test's own time limit. */
	alarm(550);
	snprintf(at.name, sizeof(at.name), "%s", name);
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	fd = dev < 0 ? -1 : ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, AK_PAGES * page_size,
				       PROT_READ | PROT_WRITE, MAP_SHARED,
				       fd, 0);
	if (m == MAP_FAILED)
		_exit(3);
	for (size_t p = 0; p < AK_PAGES; p++)
		ak_fill(m + p * page_size, seed, 0, p);
	__atomic_store_n(&me->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		size_t p = prng_next(&state) % AK_PAGES;

		if (!ak_check(m + p * page_size, seed, version[p], p)) {
			me->bad_page = p;
			__atomic_store_n(&me->bad, 1, __ATOMIC_RELEASE);
			_exit(1);
		}
		if (prng_next(&state) % 2)
			ak_fill(m + p * page_size, seed, ++version[p], p);
		__atomic_add_fetch(&me->refs, 1, __ATOMIC_RELAXED);
	}
	for (size_t p = 0; p < AK_PAGES; p++) {
		if (!ak_check(m + p * page_size, seed, version[p], p)) {
			me->bad_page = p;
			__atomic_store_n(&me->bad, 1, __ATOMIC_RELEASE);
			_exit(1);
		}
	}
	_exit(0);
}

/*
 * Child @i forked to run ak_child_run() on region @name, waited for (up
 * to 60 s) until it has written its pages: its pid, or -1 if fork failed.
 */
static pid_t ak_child_start(struct ak_shared *sh, int i, const char *name,
			    uint64_t seed)
{
	pid_t pid = fork();

	if (pid == 0)
		ak_child_run(sh, i, name, seed);
	for (int t = 0; pid > 0 && t < 600 &&
	     !__atomic_load_n(&sh->child[i].ready, __ATOMIC_ACQUIRE); t++)
		usleep(100000);
	return pid;
}

/* Whether every child references a page (or found one wrong) within 30 s. */
static bool ak_live(struct ak_shared *sh)
{
	uint64_t refs0[AK_CHILDREN];
	bool live = false;

	for (int c = 0; c < AK_CHILDREN; c++)
		refs0[c] = __atomic_load_n(&sh->child[c].refs, __ATOMIC_RELAXED);
	for (int t = 0; t < 300 && !live; t++) {
		live = true;
		for (int c = 0; c < AK_CHILDREN; c++)
			live &= sh->child[c].bad ||
				__atomic_load_n(&sh->child[c].refs,
						__ATOMIC_RELAXED) > refs0[c];
		if (!live)
			usleep(100000);
	}
	return live;
}

/*
 * The children stopped and reaped: each must exit 0 within 60 s, its
 * pages all as it wrote them (killed if it does not end).
 */
static void ak_reap(struct __test_metadata *_metadata, struct ak_shared *sh,
		    const pid_t *pids)
{
	int status;

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (int c = 0; c < AK_CHILDREN; c++) {
		pid_t got = 0;

		for (int t = 0; t < 600 && got != pids[c]; t++) {
			got = waitpid(pids[c], &status, WNOHANG);
			if (got != pids[c])
				usleep(100000);
		}
		EXPECT_EQ(pids[c], got) TH_LOG("child %d still running after 60 s", c);
		if (got != pids[c]) {
			kill(pids[c], SIGKILL);
			waitpid(pids[c], &status, 0);
			continue;
		}
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("child %d: status %#x; page %llu wrong", c, status,
			       sh->child[c].bad ? (unsigned long long)sh->child[c].bad_page : 0ull);
	}
}

/*
 * A decimal knob's value as the kernel's kstrtoul(buf, 10) and
 * kstrtouint(buf, 10) read it: an optional '+', digits, an optional
 * newline, nothing else, and no more than @max. False for anything else.
 */
static bool ak_parse(const char *s, unsigned long long max,
		     unsigned long long *val)
{
	unsigned long long v = 0;
	const char *d;

	if (*s == '+')
		s++;
	for (d = s; *d >= '0' && *d <= '9'; d++) {
		if (v > (ULLONG_MAX - (*d - '0')) / 10)
			return false;
		v = v * 10 + (*d - '0');
	}
	if (d == s || (*d == '\n' ? d[1] : *d) || v > max)
		return false;
	*val = v;
	return true;
}

/* Whether @s names @name, as sysfs_streq() has it (a newline may end it). */
static bool ak_names(const char *s, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(s, name, n) && (!s[n] || !strcmp(s + n, "\n"));
}

/* The frames of the machine, the largest budget (totalram_pages()). */
static unsigned long long ak_totalram(void)
{
	long long kb = read_name_value("/proc/meminfo", "MemTotal:");

	return kb < 0 ? 0 : kb / (page_size / 1024);
}

#define AK_KNOBS	10

/* The knobs, their ranges (decimal ones) and those of their values tried. */
static const struct {
	const char *name;
	unsigned long long min, max;	/* max 0: a name knob */
} ak_knobs[AK_KNOBS] = {
	{ "allocation" },
	{ "allocator" },
	{ "load_control", 0, 1 },
	{ "load_control_max_ms", 100, 60000 },
	{ "load_control_psi", 0, 100 },
	{ "ws_tau", 1, 1ull << 31 },
	{ "pff_upper", 0, 1000 },
	{ "pff_lower", 0, 1000 },
	{ "aging_interval_ms", 10, 60000 },
	{ "frames", 16, 0 },	/* max: the machine's RAM, at run time */
};

/* A value for knob @k: a name, a boundary, a number in range, or junk. */
static void ak_value(int k, unsigned long long max,
		     const char * const *names, int nnames,
		     unsigned long long frames_base, char *buf, size_t size)
{
	unsigned long long min = ak_knobs[k].min, v;

	if (!ak_knobs[k].max && k != AK_KNOBS - 1) {
		switch (rnd() % 6) {
		case 0:
			random_value(buf, size);
			return;
		case 1:		/* a near miss */
			snprintf(buf, size, "%s%s", names[rnd() % nnames],
				 rnd() % 2 ? " " : "\n\n");
			return;
		case 2:
			snprintf(buf, size, "%s\n", names[rnd() % nnames]);
			return;
		default:
			snprintf(buf, size, "%s", names[rnd() % nnames]);
			return;
		}
	}
	switch (rnd() % 10) {
	case 0:
		v = min - 1;	/* -1 as an unsigned for 0 */
		break;
	case 1:
		v = min;
		break;
	case 2:
		v = max;
		break;
	case 3:
		v = max + 1;
		break;
	case 4:
		random_value(buf, size);
		return;
	case 5:		/* a number in range, dressed */
		v = min + rnd() % (max - min + 1);
		snprintf(buf, size, "%s%llu%s", rnd() % 2 ? "+" : " ", v,
			 rnd() % 2 ? "\n" : "x");
		return;
	default:
		/* The budget: near what the children need, so they page. */
		if (k == AK_KNOBS - 1)
			v = frames_base + rnd() % 256;
		else
			v = min + rnd() % (max - min + 1);
	}
	if (v == ULLONG_MAX)
		snprintf(buf, size, "-1");
	else
		snprintf(buf, size, "%llu%s", v, rnd() % 4 ? "" : "\n");
}

/* The procs rows of the processes the files @fds are charged to. */
static int ak_rows(const int *fds, int n, struct procs_row *rows)
{
	for (int i = 0; i < n; i++)
		if (!proc_by_id(region_owner(fds[i]), &rows[i]))
			return -1;
	return 0;
}

/*
 * The allocation knobs (allocation, allocator, load_control and its
 * bound and pressure share, ws_tau, pff_upper and pff_lower,
 * aging_interval_ms, frames) and the processes' weights
 * (SWAPLAB_IOC_SET_WEIGHT) written with boundary, valid and invalid
 * values, and the read-only pressure file written and read, while
 * children page through regions three times the budget:
 * a refused write changes nothing, a valid one reads back as written
 * (allocation and weights also in debugfs's procs), every child's pages
 * stay as it wrote them, no child is deactivated longer than the bound,
 * and all are running again once load control is off.
 */
TEST_F_TIMEOUT(fuzz, allocation_knobs, 600)
{
	static const int allowed[] = { EINVAL, EBUSY, EOPNOTSUPP, ENOMEM, 0 };
	static const int weight_allowed[] = { EINVAL, EBADF, EFAULT, EPERM, 0 };
	unsigned long iters = env_ul("SWAPLAB_FUZZ_FILE_ITERS", 30) * 10;
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	long long slots0 = read_stat("swap_slots_used");
	long long deacts0 = read_stat("lc_deactivations");
	char saved[AK_KNOBS][64], before[300], after[300], val[300];
	static const char * const alloc_names[] = { "global", "local" };
	char avail[256], *save = NULL, *tok;
	const char *anames[16];
	unsigned long writes = 0, refused = 0, weights = 0, wrefused = 0;
	unsigned long pressures = 0;
	unsigned long long totalram, max_ms_bound;
	int rw[AK_CHILDREN], ro[AK_CHILDREN], nalloc = 0;
	struct procs_row rows[AK_CHILDREN];
	pid_t pids[AK_CHILDREN];
	bool procs;
	struct ak_shared *sh;

	if (access(SWAPLAB_SYSFS, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	totalram = ak_totalram();
	ASSERT_LT(0, totalram);
	procs = !access(PROCS, R_OK);
	if (!procs)
		TH_LOG("no %s: weights and allocations not read back", PROCS);
	for (int k = 0; k < AK_KNOBS; k++) {
		ASSERT_EQ(0, read_knob(ak_knobs[k].name, saved[k],
				       sizeof(saved[k])));
	}
	max_ms_bound = strtoull(saved[3], NULL, 10);
	ASSERT_EQ(0, read_knob("available_allocators", avail, sizeof(avail)));
	for (tok = strtok_r(avail, " ", &save); tok && nalloc < 16;
	     tok = strtok_r(NULL, " ", &save))
		anames[nalloc++] = tok;
	ASSERT_LE(1, nalloc);
	/* The children's regions are three times the budget. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + AK_PAGES));
	fuzz_seed(7);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	for (int i = 0; i < AK_CHILDREN; i++) {
		char name[64];
		uint64_t seed = rnd();
		int dev;

		snprintf(name, sizeof(name), "fuzz-alloc.%d.%d", (int)getpid(), i);
		pids[i] = ak_child_start(sh, i, name, seed);
		ASSERT_LE(0, pids[i]);
		ASSERT_TRUE(sh->child[i].ready) TH_LOG("child %d not ready", i);
		/* Its region, read-write for its weight, and read-only. */
		dev = open(SWAPLAB_DEVICE, O_RDWR);
		ASSERT_LE(0, dev);
		rw[i] = mv_attach(dev, name, 0, false);
		close(dev);
		dev = open(SWAPLAB_DEVICE, O_RDONLY);
		ASSERT_LE(0, dev);
		ro[i] = mv_attach(dev, name, 0, false);
		close(dev);
		ASSERT_LE(0, rw[i]);
		ASSERT_LE(0, ro[i]);
	}

	for (unsigned long i = 0; i < iters; i++) {
		int k = rnd() % AK_KNOBS, err;
		unsigned long long v = 0, lo = 0, hi = 0;
		bool valid;

		if (rnd() % 32 == 0) {	/* pressure: read-only, two lines */
			long long some = -1, full = -1;
			FILE *f;

			err = write_knob("pressure", "some 150000 1000000");
			EXPECT_TRUE(err == -EACCES || err == -EPERM || err == -EIO)
				TH_LOG("pressure written: %d", err);
			f = fopen(SWAPLAB_SYSFS "/pressure", "r");
			ASSERT_NE(NULL, f);
			EXPECT_EQ(2, fscanf(f, "some avg10=%*f avg60=%*f avg300=%*f total=%lld\n"
					    "full avg10=%*f avg60=%*f avg300=%*f total=%lld",
					    &some, &full));
			EXPECT_GE(some, full);
			fclose(f);
			pressures++;
			continue;
		}
		if (rnd() % 8 == 0) {	/* a weight */
			int c = rnd() % AK_CHILDREN;
			static const uint32_t ws[] = {
				0, 1, 2, 50, 99, 100, 101, 5000,
				SWAPLAB_WEIGHT_MAX, SWAPLAB_WEIGHT_MAX + 1,
				UINT32_MAX,
			};
			uint32_t w = rnd() % 4 ? ws[rnd() % ARRAY_SIZE(ws)] : rnd();
			bool use_ro = rnd() % 8 == 0, null = rnd() % 16 == 0;
			unsigned int why = 0;
			struct procs_row r0 = { 0 }, r1;

			if (procs)
				ASSERT_TRUE(proc_by_id(region_owner(rw[c]), &r0));
			err = ioctl(use_ro ? ro[c] : rw[c], SWAPLAB_IOC_SET_WEIGHT,
				    null ? NULL : &w) ? errno : 0;
			weights++;
			why = (use_ro ? MV_BADF : 0) |
			      (!w || w > SWAPLAB_WEIGHT_MAX ? MV_INVAL : 0);
			if (err)
				wrefused++;
			EXPECT_TRUE(!err || errno_in(err, weight_allowed))
				TH_LOG("SET_WEIGHT %u: errno %d", w, err);
			if (null) {
				EXPECT_EQ(EFAULT, err);
			} else if (why) {
				EXPECT_TRUE(mv_bits_errno(why, err))
					TH_LOG("SET_WEIGHT %u%s: errno %d", w,
					       use_ro ? " (read-only)" : "", err);
			} else {
				EXPECT_EQ(0, err) TH_LOG("SET_WEIGHT %u: errno %d",
							 w, err);
			}
			if (procs) {
				ASSERT_TRUE(proc_by_id(region_owner(rw[c]), &r1));
				EXPECT_EQ(err ? r0.weight : w, r1.weight)
					TH_LOG("SET_WEIGHT %u: errno %d, weight %lu -> %lu",
					       w, err, r0.weight, r1.weight);
			}
			continue;
		}
		ak_value(k, k == AK_KNOBS - 1 ? totalram : ak_knobs[k].max,
			 k ? anames : alloc_names, k ? nalloc : 2,
			 res0 + 16, val, sizeof(val));
		ASSERT_EQ(0, read_knob(ak_knobs[k].name, before, sizeof(before)));
		if (!strcmp(ak_knobs[k].name, "pff_upper") ||
		    !strcmp(ak_knobs[k].name, "pff_lower")) {
			lo = read_knob_ll("pff_lower");
			hi = read_knob_ll("pff_upper");
		}
		/* What the documentation says of the value. */
		switch (k) {
		case 0:
			valid = ak_names(val, "global") || ak_names(val, "local");
			break;
		case 1:
			valid = false;
			for (int a = 0; a < nalloc; a++)
				valid |= ak_names(val, anames[a]);
			break;
		case 6:		/* pff_upper, above the lower */
			valid = ak_parse(val, 1000, &v) && v > lo;
			break;
		case 7:		/* pff_lower, below the upper */
			valid = ak_parse(val, 1000, &v) && v < hi;
			break;
		case AK_KNOBS - 1:
			valid = ak_parse(val, totalram, &v) && v >= 16;
			break;
		default:
			valid = ak_parse(val, ak_knobs[k].max, &v) &&
				v >= ak_knobs[k].min;
		}
		/* An empty write reaches no knob. */
		if (!*val)
			continue;
		err = write_knob(ak_knobs[k].name, val);
		ASSERT_EQ(0, read_knob(ak_knobs[k].name, after, sizeof(after)));
		writes++;
		if (err) {
			refused++;
			EXPECT_TRUE(errno_in(-err, allowed))
				TH_LOG("%s <- '%s': errno %d", ak_knobs[k].name, val, -err);
			EXPECT_FALSE(valid)
				TH_LOG("%s <- '%s' refused (errno %d)", ak_knobs[k].name,
				       val, -err);
			EXPECT_STREQ(before, after)
				TH_LOG("%s <- '%s' refused but changed", ak_knobs[k].name,
				       val);
		} else {
			char want[300];

			EXPECT_TRUE(valid)
				TH_LOG("%s <- '%s' taken", ak_knobs[k].name, val);
			if (k > 1)
				snprintf(want, sizeof(want), "%llu", v);
			else
				snprintf(want, sizeof(want), "%.*s",
					 (int)strcspn(val, "\n"), val);
			EXPECT_STREQ(want, after)
				TH_LOG("%s <- '%s' reads back '%s'", ak_knobs[k].name,
				       val, after);
			if (k == 3 && v > max_ms_bound)
				max_ms_bound = v;
		}
		/* Under global no process has an allocation; under local each has. */
		if (!err && k == 0 && procs) {
			bool local = !strcmp(after, "local");

			ASSERT_EQ(0, ak_rows(rw, AK_CHILDREN, rows));
			for (int c = 0; c < AK_CHILDREN; c++) {
				EXPECT_EQ(local, rows[c].alloc >= 0)
					TH_LOG("allocation %s: child %d's alloc %ld",
					       after, c, rows[c].alloc);
			}
		}
		usleep(rnd() % 2000);
	}

	/* Load control off lets every process back at once. */
	EXPECT_EQ(0, write_knob("load_control", "0"));
	EXPECT_EQ(0, write_knob("pff_lower", "0"));
	for (int k = 0; k < AK_KNOBS; k++) {
		EXPECT_EQ(0, write_knob(ak_knobs[k].name, saved[k]))
			TH_LOG("%s <- '%s' to put it back", ak_knobs[k].name,
			       saved[k]);
	}
	/* Every child runs again: each references a page within 30 s. */
	EXPECT_TRUE(ak_live(sh))
		TH_LOG("a child made no progress in 30 s with load control off");
	ak_reap(_metadata, sh, pids);
	/* No spell deactivated outlasted the longest bound in force, and then some. */
	if (procs) {
		ASSERT_EQ(0, ak_rows(rw, AK_CHILDREN, rows));
		for (int c = 0; c < AK_CHILDREN; c++) {
			EXPECT_GE(max_ms_bound + 5000, rows[c].max_deact_ms)
				TH_LOG("child %d deactivated %lu ms; the bound was at most %llu",
				       c, rows[c].max_deact_ms, max_ms_bound);
		}
	}
	TH_LOG("allocation knobs: %lu writes, %lu refused; %lu weights, %lu refused; %lu pressure reads; %llu references by %d children; %lld deactivations",
	       writes, refused, weights, wrefused, pressures,
	       (unsigned long long)(sh->child[0].refs + sh->child[1].refs +
				    sh->child[2].refs),
	       AK_CHILDREN, read_stat("lc_deactivations") - deacts0);
	for (int c = 0; c < AK_CHILDREN; c++) {
		close(rw[c]);
		close(ro[c]);
	}
	munmap(sh, sizeof(*sh));
	for (int k = 0; k < AK_KNOBS; k++) {
		ASSERT_EQ(0, read_knob(ak_knobs[k].name, after, sizeof(after)));
		EXPECT_STREQ(saved[k], after) TH_LOG("%s not put back", ak_knobs[k].name);
	}
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
}

/* The built-in policies' knobs and their documented ranges. */
static const struct {
	const char *policy, *name;
	unsigned long long min, max;
} pk_knobs[] = {
	{ "2q", "kin_pct", 1, 90 },
	{ "2q", "kout_pct", 0, 400 },
	{ "adapt", "mini_frames", 32, 256 },
	{ "adapt", "margin_pct", 0, 50 },
	{ "aging", "bits", 1, 8 },
	{ "aging", "fault_top", 0, 1 },
	{ "clockpro", "mc_min_pct", 0, 50 },
	{ "clockpro", "mc_late_ref", 0, 1 },
	{ "clockpro", "rescan", 0, 1 },
	{ "gen", "nr_gens", 2, 4 },
	{ "gen", "close_pct", 1, 1000 },
	{ "gen", "p_init_pct", 0, 100 },
	{ "lfu", "max_count", 1, 63 },
	{ "lfu", "remember", 0, 1 },
	{ "lfu", "second_chance", 0, 1 },
	{ "s3fifo", "small_pct", 1, 50 },
	{ "s3fifo", "ghost_pct", 0, 400 },
	{ "s3fifo", "tick_refs", 0, 1 },
	{ "s3fifo", "move_uses", 1, 3 },
	{ "s3fifo", "move_keeps", 0, 1 },
	{ "wsclock", "tau_ms", 1, 3600000 },
	{ "wsclock", "lap_oldest", 0, 1 },
	{ "wsclock", "lap_restart", 0, 1 },
};

#define PK_KNOBS	ARRAY_SIZE(pk_knobs)

/* A value for a knob of [@min, @max]: a boundary, one in range, or junk. */
static void pk_value(unsigned long long min, unsigned long long max,
		     char *buf, size_t size)
{
	static const char * const junk[] = {
		"", "-1", "+1", " 1", "1 ", "0x1", "1\n\n", "abc", "1a",
		"18446744073709551616", "99999999999999999999",
	};
	unsigned long long v;

	switch (rnd() % 6) {
	case 0:
		v = min ? min - 1 : max + 1;
		break;
	case 1:
		v = rnd() % 2 ? min : max;
		break;
	case 2:
		v = max + 1 + rnd() % 1000;
		break;
	case 3:
		snprintf(buf, size, "%s", junk[rnd() % ARRAY_SIZE(junk)]);
		return;
	default:
		v = min + rnd() % (max - min + 1);
	}
	snprintf(buf, size, rnd() % 4 ? "%llu" : "%llu\n", v);
}

/*
 * The built-in policies switched at random and their knobs (those that
 * switch a departure from the paper off among them, which keep state
 * across victim() calls) written with boundary, valid and invalid
 * values while children page through regions three times the budget:
 * a value in the documented range is taken and reads back, any other is
 * refused with EINVAL and changes nothing, every child's pages stay as
 * it wrote them, and every page, frame and slot comes back.
 */
TEST_F_TIMEOUT(fuzz, policy_knobs, 600)
{
	static const char * const policies[] = {
		"fifo", "clock", "wsclock", "aging", "s3fifo", "sieve", "2q",
		"car", "clockpro", "lfu", "gen", "random", "adapt",
	};
	unsigned long iters = env_ul("SWAPLAB_FUZZ_FILE_ITERS", 30) * 10;
	long long regions0 = read_stat("regions");
	long long res0 = read_stat("resident");
	long long slots0 = read_stat("swap_slots_used");
	char saved[PK_KNOBS][64], policy[64], frames[64];
	char path[128], before[64], after[64], val[64];
	unsigned long writes = 0, refused = 0, switches = 0;
	unsigned long long v;
	struct ak_shared *sh;
	pid_t pids[AK_CHILDREN];

	if (access(SWAPLAB_SYSFS, F_OK))
		SKIP(return, "module not loaded");
	page_size = sysconf(_SC_PAGESIZE);
	ASSERT_EQ(0, read_knob("policy", policy, sizeof(policy)));
	ASSERT_EQ(0, read_knob("frames", frames, sizeof(frames)));
	for (size_t k = 0; k < PK_KNOBS; k++) {
		snprintf(path, sizeof(path), "policies/%s/%s",
			 pk_knobs[k].policy, pk_knobs[k].name);
		ASSERT_EQ(0, read_knob(path, saved[k], sizeof(saved[k])))
			TH_LOG("%s: no such knob", path);
	}
	/* The children's regions are three times the budget. */
	ASSERT_EQ(0, write_knob_ll("frames", res0 + AK_PAGES));
	fuzz_seed(8);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	for (int i = 0; i < AK_CHILDREN; i++) {
		char name[64];
		uint64_t seed = rnd();

		snprintf(name, sizeof(name), "fuzz-pk.%d.%d", (int)getpid(), i);
		pids[i] = ak_child_start(sh, i, name, seed);
		ASSERT_LE(0, pids[i]);
		ASSERT_TRUE(sh->child[i].ready) TH_LOG("child %d not ready", i);
	}

	for (unsigned long i = 0; i < iters; i++) {
		size_t k = rnd() % PK_KNOBS;
		bool valid;
		int err;

		if (rnd() % 4 == 0) {
			const char *p = policies[rnd() % ARRAY_SIZE(policies)];

			EXPECT_EQ(0, write_knob("policy", p))
				TH_LOG("policy <- %s", p);
			switches++;
			continue;
		}
		pk_value(pk_knobs[k].min, pk_knobs[k].max, val, sizeof(val));
		/* An empty write reaches no knob. */
		if (!*val)
			continue;
		valid = ak_parse(val, pk_knobs[k].max, &v) &&
			v >= pk_knobs[k].min;
		snprintf(path, sizeof(path), "policies/%s/%s",
			 pk_knobs[k].policy, pk_knobs[k].name);
		ASSERT_EQ(0, read_knob(path, before, sizeof(before)));
		err = write_knob(path, val);
		ASSERT_EQ(0, read_knob(path, after, sizeof(after)));
		writes++;
		if (err) {
			refused++;
			EXPECT_EQ(-EINVAL, err)
				TH_LOG("%s <- '%s': errno %d", path, val, -err);
			EXPECT_FALSE(valid)
				TH_LOG("%s <- '%s' refused", path, val);
			EXPECT_STREQ(before, after)
				TH_LOG("%s <- '%s' refused but changed", path, val);
		} else {
			char want[32];

			EXPECT_TRUE(valid) TH_LOG("%s <- '%s' taken", path, val);
			snprintf(want, sizeof(want), "%llu", v);
			EXPECT_STREQ(want, after)
				TH_LOG("%s <- '%s' reads back '%s'", path, val,
				       after);
		}
		usleep(rnd() % 2000);
	}

	for (size_t k = 0; k < PK_KNOBS; k++) {
		snprintf(path, sizeof(path), "policies/%s/%s",
			 pk_knobs[k].policy, pk_knobs[k].name);
		EXPECT_EQ(0, write_knob(path, saved[k]))
			TH_LOG("%s <- '%s' to put it back", path, saved[k]);
	}
	EXPECT_EQ(0, write_knob("policy", policy));
	/* Every child still runs: each references a page within 30 s. */
	EXPECT_TRUE(ak_live(sh)) TH_LOG("a child made no progress in 30 s");
	ak_reap(_metadata, sh, pids);
	TH_LOG("policy knobs: %lu writes, %lu refused; %lu policy switches; %llu references by %d children",
	       writes, refused, switches,
	       (unsigned long long)(sh->child[0].refs + sh->child[1].refs +
				    sh->child[2].refs), AK_CHILDREN);
	munmap(sh, sizeof(*sh));
	EXPECT_EQ(0, write_knob("frames", frames));
	for (size_t k = 0; k < PK_KNOBS; k++) {
		snprintf(path, sizeof(path), "policies/%s/%s",
			 pk_knobs[k].policy, pk_knobs[k].name);
		ASSERT_EQ(0, read_knob(path, after, sizeof(after)));
		EXPECT_STREQ(saved[k], after) TH_LOG("%s not put back", path);
	}
	EXPECT_EQ(regions0, wait_stat("regions", regions0));
	EXPECT_EQ(res0, wait_stat("resident", res0));
	EXPECT_EQ(slots0, wait_stat("swap_slots_used", slots0));
}

TEST_HARNESS_MAIN
