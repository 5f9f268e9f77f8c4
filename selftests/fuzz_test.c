// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab fuzz tests: every sysfs knob and every ioctl driven with random
 * and boundary input, and mappings of random shape put through random
 * touches, mprotect, madvise, mremap, partial munmap and fork. Seeded and
 * bounded: SWAPLAB_FUZZ_SEED (default 1) and SWAPLAB_FUZZ_ITERS (default
 * 300 a test). The kernel must stay up with no report in its log (the VM
 * runner checks), every error must be one the documentation lists, a
 * refused knob write must change nothing, and nothing may be left behind:
 * regions, frames and slots return to their values before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

static void fuzz_seed(int salt)
{
	fuzz_state = env_ul("SWAPLAB_FUZZ_SEED", 1) * 0x9E3779B97F4A7C15ull +
		     salt;
	if (!fuzz_state)
		fuzz_state = 1;
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
		/* The ioctl table of Documentation/admin-guide/swaplab.rst */
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

/* One random operation on a mapping; runs in a child (SIGBUS, SIGSEGV). */
static void mapping_op(uint8_t *map, size_t len)
{
	size_t pages = len / page_size;
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

TEST_HARNESS_MAIN
