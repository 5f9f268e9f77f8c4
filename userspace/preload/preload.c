// SPDX-License-Identifier: GPL-2.0
/*
 * libswaplab-preload.so: an unmodified program's large anonymous memory,
 * served from /dev/swaplab, so that swaplab's budget and policy page it.
 *
 *	LD_PRELOAD=libswaplab-preload.so xz -9 big.file
 *	swaplab run --budget 32M -- xz -9 big.file	(sets the knobs too)
 *
 * Three doors lead a program's memory here:
 *
 *  - malloc(), calloc(), realloc(), reallocarray(), memalign(),
 *    posix_memalign(), aligned_alloc(), valloc() and pvalloc() of at
 *    least the threshold (SWAPLAB_PRELOAD_MIN, default 1 MiB) get a
 *    region of their own; smaller requests go to glibc's allocator
 *    (__libc_malloc and friends), brk heap and arenas as usual. glibc's
 *    malloc maps its large blocks with an internal mmap that no preload
 *    can interpose, which is why the malloc family itself is replaced
 *    (glibc documents that as supported) rather than mmap alone.
 *  - mmap() of anonymous memory of at least the threshold, private or
 *    shared, becomes a MAP_SHARED mapping of a fresh region. Left to the
 *    kernel: MAP_GROWSDOWN, MAP_HUGETLB, MAP_STACK (a thread stack shared
 *    with a forked child would be fatal) and PROT_NONE reservations (a
 *    reservation of many GiB would be a sparse region that fork must
 *    copy); memory committed into a reservation with mmap(MAP_FIXED) is
 *    served.
 *  - mmap(MAP_SHARED) of a regular file, of at least the threshold,
 *    becomes a mapping of a region of that file (SWAPLAB_IOC_FILE), with
 *    a second, writable mapping of the region beside it (the alias),
 *    through which the program's own write()s of the file are read back
 *    into the region (fileio.c). A file the module refuses is mapped by
 *    the kernel. A private mapping of a file is the kernel's: the copy
 *    at fork() below would not give the child the file's bytes.
 *
 * Every served mapping is a region of its own: open(), REGION_INFO for
 * its size limit, mmap(MAP_SHARED), close(); the region lives as long as
 * its mapping. The library keeps a registry of them (address, length,
 * region and offset) to keep private-anonymous semantics where a shared
 * mapping of a device differs:
 *
 *  - fork(): a private mapping is copied into a new region in the child
 *    (a pthread_atfork handler) while the forking thread waits, so parent
 *    and child no longer share it; pages that read as zero are not
 *    written, so the copy stays sparse, but every page of the mapping is
 *    read. SWAPLAB_PRELOAD_FORK=share skips the copy: faster, but parent
 *    and child then see each other's writes. vfork() and posix_spawn()
 *    share memory anyway and are not affected.
 *  - madvise(MADV_DONTNEED or MADV_REMOVE) on a private mapping must
 *    leave zeroes: the range gets a fresh region (the old pages stay in
 *    the old region until all of it is unmapped). MADV_FREE is accepted
 *    and does nothing; MADV_WIPEONFORK is honoured at fork.
 *  - mremap() grows a mapping in place up to its region's size limit
 *    (region_max when it was opened) and short of offsets of the region
 *    another mapping uses. Where it cannot, or the range was cut in
 *    pieces (MADV_DONTNEED, MAP_FIXED), a move that is allowed copies into
 *    a new region, and growth in place fails with ENOMEM, as the kernel's
 *    does when it cannot grow; shared memory is never copied (ENOMEM).
 *    Offsets used before and given back are zeroed as they are mapped
 *    again. MREMAP_DONTUNMAP is refused (EINVAL).
 *
 * Pages of a served mapping that the program gives back in part (munmap
 * of a piece, a shrinking mremap) stay in their region, evicted when cold
 * but not freed, until every mapping of the region is gone.
 *
 * Without a usable device (no module, no permission, no memory) the
 * real anonymous mmap serves, with one warning when
 * SWAPLAB_PRELOAD_VERBOSE is set, which also prints the figures at exit.
 * SWAPLAB_PRELOAD_DEVICE names another device to open (/dev/zero tests
 * the library without the module). SWAPLAB_PRELOAD_RECORD=N puts every
 * region in record mode with a window of N pages (SWAPLAB_IOC_RECORD),
 * for `swaplab record`, and SWAPLAB_PRELOAD_RECORD_TAG=T (1 to
 * SWAPLAB_RECORD_TAG_MAX) stamps T on their swaplab_fault events.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <swaplab.h>

#include "preload/preload.h"
#include "lib/sysfs.h"

#define EXPORT __attribute__((visibility("default")))

/* registry entry flags */
#define SERVED_SHARED	0x1	/* the program asked for MAP_SHARED */
#define SERVED_MALLOC	0x2	/* a malloc block: a header before the data */
#define SERVED_WIPE	0x4	/* MADV_WIPEONFORK: the child gets zeroes */
#define SERVED_FILE	0x8	/* a shared mapping of a regular file */
#define SERVED_WROTE	0x10	/* SERVED_FILE made writable by mprotect() */

/**
 * struct served - one mapping of a region made by this library
 * @start: first byte
 * @len: bytes, a multiple of the page size
 * @region: the region's id (REGION_INFO)
 * @off: the region offset @start maps
 * @size: the region's size limit in bytes
 * @hwm: end of the region offsets ever mapped, for every entry of the
 *	region alike: offsets below it may hold old data
 * @flags: SERVED_*
 * @prot: SERVED_FILE: the protection the program asked for
 * @dev: SERVED_FILE: the file's device and inode, which the program's
 *	own read() and write() of it are matched by (fileio.c)
 * @ino: see @dev
 * @foff: SERVED_FILE: the byte of the file that @start maps
 * @alias: SERVED_FILE: the whole region mapped again, readable and
 *	writable, by every entry of the region alike; 0 if the region is
 *	not writable (the file was not open for writing)
 * @file_fd: SERVED_FILE: the library's own descriptor of the file
 *	(file_fd_of()), for the read-back and a new region when the
 *	mapping grows
 */
struct served {
	uintptr_t start;
	size_t len;
	uint64_t region;
	uint64_t off;
	uint64_t size;
	uint64_t hwm;
	unsigned int flags;
	int prot;
	uint64_t dev;
	uint64_t ino;
	uint64_t foff;
	uintptr_t alias;
	int file_fd;
};

/*
 * The registry: an array in memory of its own (never malloc), guarded by
 * reg_lock, which is also held across the system calls that change a
 * served mapping and across fork(), so that a forked child sees every
 * served mapping in it.
 */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct served *reg;
static size_t reg_n, reg_cap;

/*
 * This thread holds reg_lock, or is taking or letting go of it: the
 * program's read() and write() from a signal handler that interrupted
 * it, or from another library's fork handler, must not take it again
 * (fileio.c's calls then do nothing). Counted up before the lock is
 * taken and down after it is let go, so that a signal between the two
 * finds it set, and a handler that takes the lock in that gap leaves it
 * as it found it; the fences keep the compiler from moving the count
 * past the calls.
 */
static __thread int reg_depth;

static void reg_take(void)
{
	reg_depth++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_lock(&reg_lock);
}

static void reg_drop(void)
{
	pthread_mutex_unlock(&reg_lock);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	reg_depth--;
}

/* A malloc block's header, in the 64 bytes before the address returned. */
#define HDR 64
struct block {
	uint64_t magic;		/* block_secret ^ the user address */
	uint64_t user_off;	/* user address - mapping start */
	uint64_t map_len;	/* bytes mapped */
	uint64_t reserved[5];
};

static uint64_t block_secret;
static size_t page_size = 4096;
static size_t threshold = 1 << 20;
static bool verbose, fork_share;
/*
 * SWAPLAB_PRELOAD_RECORD and _TAG: record mode's window for every region
 * (0: off), and above SWAPLAB_RECORD_TAG_SHIFT the tag of its events.
 */
static __u32 record_arg;
static const char *device = SWAPLAB_DEVICE;
static const char *report;	/* SWAPLAB_PRELOAD_REPORT: a file to append to */
static int device_dead;		/* the device cannot be opened: stop trying */
static int init_state;		/* 0 not yet, 1 under way, 2 done */
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

/* The next definitions of the functions this library replaces. */
static struct {
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off);
	int (*munmap)(void *addr, size_t len);
	void *(*mremap)(void *old, size_t old_len, size_t new_len, int flags,
			...);
	int (*madvise)(void *addr, size_t len, int advice);
	size_t (*usable)(void *ptr);
} real;

/* Figures for SWAPLAB_PRELOAD_VERBOSE, updated with atomic builtins. */
static struct {
	unsigned long maps, mallocs, fallbacks, forks, fork_pages;
	unsigned long bytes, peak, total, files, file_refreshes, text;
} st;

/*
 * SWAPLAB_PRELOAD_FILES=0 leaves mappings of files to the kernel; and
 * the number of registry entries that map a file, which the program's
 * read() and write() look at before anything else (fileio.c).
 */
static bool serve_files = true;
static unsigned long file_entries;

#define st_add(field, v) __atomic_add_fetch(&st.field, (v), __ATOMIC_RELAXED)
#define st_get(field) __atomic_load_n(&st.field, __ATOMIC_RELAXED)

/* Fail an mmap-like call with @err. */
static void *map_fail(int err)
{
	errno = err;
	return MAP_FAILED;
}

static size_t page_up(size_t n)
{
	return (n + page_size - 1) & ~(page_size - 1);
}

/*
 * Print a line to standard error as it was when the program started (a
 * copy of it, taken when verbose: programs such as xz close theirs before
 * they exit), without malloc; errno is kept.
 */
static int say_fd = STDERR_FILENO;

static void say_to(int fd, const char *fmt, ...)
{
	char buf[512];
	int err = errno, n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (n > 0 && syscall(SYS_write, fd, buf, n) < 0)
		n = 0;
	errno = err;
}

#define say(...) say_to(say_fd, __VA_ARGS__)

static void resolve_real(void)
{
	real.mmap = dlsym(RTLD_NEXT, "mmap");
	real.munmap = dlsym(RTLD_NEXT, "munmap");
	real.mremap = dlsym(RTLD_NEXT, "mremap");
	real.madvise = dlsym(RTLD_NEXT, "madvise");
	real.usable = dlsym(RTLD_NEXT, "malloc_usable_size");
}

/*
 * The real calls. Until dlsym() has answered (a call from inside dlsym,
 * or from another library's constructor before ours), the system call.
 */
static void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	if (real.mmap)
		return real.mmap(addr, len, prot, flags, fd, off);
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

static int sys_munmap(void *addr, size_t len)
{
	if (real.munmap)
		return real.munmap(addr, len);
	return syscall(SYS_munmap, addr, len);
}

static void *sys_mremap(void *old, size_t old_len, size_t new_len, int flags,
			void *new_addr)
{
	if (real.mremap)
		return real.mremap(old, old_len, new_len, flags, new_addr);
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags,
			       new_addr);
}

static int sys_madvise(void *addr, size_t len, int advice)
{
	if (real.madvise)
		return real.madvise(addr, len, advice);
	return syscall(SYS_madvise, addr, len, advice);
}

static void fork_prepare(void);
static void fork_parent(void);
static void fork_child(void);

/*
 * Settings from the environment, once; a call made while it runs (from
 * dlsym or pthread_atfork) proceeds with the defaults.
 */
static void preload_init(void)
{
	const uint64_t *rnd;
	const char *s;
	int zero = 0;
	uint64_t v;

	if (!__atomic_compare_exchange_n(&init_state, &zero, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	page_size = sysconf(_SC_PAGESIZE);
	rnd = (const uint64_t *)getauxval(AT_RANDOM);
	block_secret = (rnd ? rnd[1] : 0) ^ 0x73776170206c6162ull;
	s = getenv("SWAPLAB_PRELOAD_MIN");
	if (s && !parse_size(s, &v) && v >= page_size)
		threshold = v;
	s = getenv("SWAPLAB_PRELOAD_VERBOSE");
	verbose = s && *s && strcmp(s, "0");
	if (verbose)
		say_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 64);
	report = getenv("SWAPLAB_PRELOAD_REPORT");
	s = getenv("SWAPLAB_PRELOAD_FORK");
	fork_share = s && !strcmp(s, "share");
	s = getenv("SWAPLAB_PRELOAD_FILES");
	serve_files = !s || strcmp(s, "0");
	s = getenv("SWAPLAB_PRELOAD_DEVICE");
	if (s && *s)
		device = s;
	s = getenv("SWAPLAB_PRELOAD_TEXT");
	if (s && !strcmp(s, "1"))
		st_add(text, preload_text_move(device));
	s = getenv("SWAPLAB_PRELOAD_RECORD");
	if (s && !parse_size(s, &v) && v <= SWAPLAB_RECORD_WINDOW_MAX)
		record_arg = v;
	s = getenv("SWAPLAB_PRELOAD_RECORD_TAG");
	if (record_arg && s && !parse_size(s, &v) &&
	    v <= SWAPLAB_RECORD_TAG_MAX)
		record_arg |= (__u32)v << SWAPLAB_RECORD_TAG_SHIFT;
	pthread_once(&real_once, resolve_real);
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	__atomic_store_n(&init_state, 2, __ATOMIC_RELEASE);
}

__attribute__((constructor))
static void preload_ctor(void)
{
	preload_init();
}

static inline void ensure_init(void)
{
	if (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == 0)
		preload_init();
}

/*
 * At exit (not _exit), the figures: in words on standard error when
 * verbose, and as one line of name=value pairs appended to the file
 * SWAPLAB_PRELOAD_REPORT names, for `swaplab run` to add up.
 */
__attribute__((destructor))
static void preload_report(void)
{
	int fd;

	/* A process that asked for nothing large keeps quiet. */
	if (verbose && st_get(maps) + st_get(mallocs) + st_get(fallbacks) +
	    st_get(files) + st_get(text))
		say("swaplab-preload: pid %d: served %lu mappings (%lu malloc blocks, %lu of files), %.1f MiB in all, peak %.1f MiB at once; %lu fell back; %lu forks copied %lu pages; %lu text mappings moved\n",
		    getpid(), st_get(maps) + st_get(mallocs) + st_get(files),
		    st_get(mallocs), st_get(files), st_get(total) / 1048576.0,
		    st_get(peak) / 1048576.0, st_get(fallbacks), st_get(forks),
		    st_get(fork_pages), st_get(text));
	if (!report)
		return;
	fd = open(report, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;
	say_to(fd, "pid=%d maps=%lu mallocs=%lu total=%lu peak=%lu fallbacks=%lu forks=%lu fork_pages=%lu files=%lu file_refreshes=%lu text=%lu\n",
	       getpid(), st_get(maps), st_get(mallocs), st_get(total),
	       st_get(peak), st_get(fallbacks), st_get(forks),
	       st_get(fork_pages), st_get(files), st_get(file_refreshes),
	       st_get(text));
	close(fd);
}

static void account(long bytes)
{
	unsigned long now = st_add(bytes, bytes), peak = st_get(peak);

	if (bytes > 0)
		st_add(total, bytes);
	while (now > peak &&
	       !__atomic_compare_exchange_n(&st.peak, &peak, now, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Open a fresh region; -1 (errno set) if it cannot be had. */
static int region_open(struct swaplab_region_info *info)
{
	int fd, err;

	if (__atomic_load_n(&device_dead, __ATOMIC_RELAXED)) {
		errno = ENODEV;
		return -1;
	}
	fd = open(device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		/* Out of files is passing; anything else is for good. */
		if (err != EMFILE && err != ENFILE && err != ENOMEM &&
		    !__atomic_exchange_n(&device_dead, 1, __ATOMIC_RELAXED) &&
		    verbose)
			say("swaplab-preload: %s: %s; anonymous memory instead\n",
			    device, strerror(err));
		errno = err;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, info)) {
		/* Not swaplab (a test device): no growth, one region each. */
		static uint64_t fake_id;

		info->id = __atomic_add_fetch(&fake_id, 1, __ATOMIC_RELAXED) |
			   1ull << 63;
		info->size = 0;
		return fd;
	}
	/* For `swaplab record`: make every change of page a fault. */
	if (record_arg &&
	    ioctl(fd, SWAPLAB_IOC_RECORD, &record_arg) && verbose)
		say("swaplab-preload: record mode: %s\n", strerror(errno));
	return fd;
}

/* The registry; callers hold reg_lock. */
static int reg_insert(const struct served *e)
{
	if (reg_n == reg_cap) {
		size_t cap = reg_cap ? 2 * reg_cap : 256;
		struct served *n;

		n = sys_mmap(NULL, cap * sizeof(*n), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (n == MAP_FAILED)
			return -1;
		if (reg) {
			memcpy(n, reg, reg_n * sizeof(*n));
			sys_munmap(reg, reg_cap * sizeof(*n));
		}
		reg = n;
		reg_cap = cap;
	}
	reg[reg_n++] = *e;
	if (e->flags & SERVED_FILE)
		__atomic_add_fetch(&file_entries, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * The region of the entry mremap_one() has out of the registry while it
 * forgets what the move replaced: other pieces of that region are not
 * its last. 0: none (region ids start at 1).
 */
static uint64_t reg_moving;

/*
 * Drop entry @i. Unless the entry goes back in at once (@moving), the
 * last entry of a region of a file lets go of the region's alias.
 */
static void reg_remove(size_t i, bool moving)
{
	struct served e = reg[i];

	reg[i] = reg[--reg_n];
	if (!(e.flags & SERVED_FILE))
		return;
	__atomic_sub_fetch(&file_entries, 1, __ATOMIC_RELAXED);
	if (moving || e.region == reg_moving)
		return;
	for (size_t k = 0; k < reg_n; k++)
		if (reg[k].region == e.region)
			return;
	if (e.alias)
		sys_munmap((void *)e.alias, e.size);
}

static bool overlaps(const struct served *e, uintptr_t lo, uintptr_t hi)
{
	return e->start < hi && lo < e->start + e->len;
}

/* The entry holding @addr, or NULL. */
static struct served *reg_find(uintptr_t addr)
{
	for (size_t i = 0; i < reg_n; i++)
		if (overlaps(&reg[i], addr, addr + 1))
			return &reg[i];
	return NULL;
}

static bool reg_any(uintptr_t lo, uintptr_t hi)
{
	for (size_t i = 0; i < reg_n; i++)
		if (overlaps(&reg[i], lo, hi))
			return true;
	return false;
}

/* Cut the entry holding @at, if any, in two there. */
static int reg_split(uintptr_t at)
{
	struct served *e = reg_find(at), right;

	if (!e || e->start == at)
		return 0;
	right = *e;
	right.start = at;
	right.len = e->start + e->len - at;
	right.off = e->off + (at - e->start);
	right.foff = e->foff + (at - e->start);
	e->len = at - e->start;
	return reg_insert(&right);
}

/* The range [lo, hi) is no longer served: forget what of it is here. */
static void reg_forget(uintptr_t lo, uintptr_t hi)
{
	if (!reg_any(lo, hi))
		return;
	reg_split(lo);
	reg_split(hi);
	for (size_t i = 0; i < reg_n;) {
		if (overlaps(&reg[i], lo, hi)) {
			account(-(long)reg[i].len);
			reg_remove(i, false);
		} else {
			i++;
		}
	}
}

/* Record that @region's offsets below @hwm have been mapped. */
static void reg_raise_hwm(uint64_t region, uint64_t hwm)
{
	for (size_t i = 0; i < reg_n; i++)
		if (reg[i].region == region && reg[i].hwm < hwm)
			reg[i].hwm = hwm;
}

/*
 * Map @len bytes of a fresh region at @addr (with MAP_FIXED and friends
 * from @flags) and record it. MAP_FAILED, errno set, if the region
 * cannot be had; the caller falls back to anonymous memory. Called with
 * reg_lock held.
 */
static void *serve_locked(void *addr, size_t len, int prot, int flags,
			  unsigned int eflags)
{
	struct swaplab_region_info info;
	struct served e = { 0 };
	void *p;
	int fd;

	fd = region_open(&info);
	if (fd < 0)
		return MAP_FAILED;
	if (info.size && len > info.size) {
		close(fd);
		return map_fail(EFBIG);
	}
	p = sys_mmap(addr, len, prot, flags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return p;
	reg_forget((uintptr_t)p, (uintptr_t)p + len);
	e.start = (uintptr_t)p;
	e.len = len;
	e.region = info.id;
	e.size = info.size ? info.size : len;
	e.hwm = len;
	e.flags = eflags;
	if (reg_insert(&e)) {
		sys_munmap(p, len);
		return map_fail(ENOMEM);
	}
	account(len);
	return p;
}

/*
 * The library's own descriptors of the files it maps, one a file, kept
 * open until the process ends or execs: closing any descriptor of a
 * file drops every POSIX lock the process holds on it (fcntl(F_SETLK),
 * which SQLite takes), so none is ever closed. Numbered from 64 up, away
 * from the low numbers programs expect to get. Under reg_lock.
 */
#define FILE_FDS_MAX	64

static struct {
	uint64_t dev, ino;
	int fd;
} file_fds[FILE_FDS_MAX];
static unsigned int nfile_fds;

/* A descriptor of @fd's file (@sb) of the library's own; -1 if none. */
static int file_fd_of(int fd, const struct stat *sb)
{
	unsigned int i;
	int own;

	for (i = 0; i < nfile_fds; i++)
		if (file_fds[i].dev == (uint64_t)sb->st_dev &&
		    file_fds[i].ino == (uint64_t)sb->st_ino)
			return file_fds[i].fd;
	if (nfile_fds == FILE_FDS_MAX)
		return -1;
	own = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	if (own < 0)
		return -1;
	file_fds[nfile_fds].dev = sb->st_dev;
	file_fds[nfile_fds].ino = sb->st_ino;
	file_fds[nfile_fds++].fd = own;
	return own;
}

/*
 * Map @len bytes of a region of the file @fd from byte @off, at @addr
 * (with MAP_FIXED and friends from @flags), and record it, as
 * serve_locked() does for anonymous memory. The region is mapped a
 * second time, readable and writable, if the file allows it: the alias
 * through which the program's own write()s reach the region (fileio.c).
 * MAP_FAILED, errno set, if the module refuses the file (tmpfs, a file
 * system without direct I/O: EINVAL), or the file is open for writing
 * and its alias cannot be had (the program's writes would not reach the
 * mapping); the caller falls back to the kernel's mapping. Called with
 * reg_lock held.
 */
static void *serve_file_locked(void *addr, size_t len, int prot, int flags,
			       int fd, off_t off, const struct stat *sb)
{
	struct swaplab_file_map fm = {
		.fd = fd, .flags = SWAPLAB_FILE_CLOEXEC, .offset = off,
		.length = len,
	};
	struct swaplab_region_info info = { 0 };
	struct served e = { 0 };
	int dev, rfd, ffd, err;
	void *p, *alias;

	if (__atomic_load_n(&device_dead, __ATOMIC_RELAXED))
		return map_fail(ENODEV);
	dev = open(device, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return MAP_FAILED;
	rfd = ioctl(dev, SWAPLAB_IOC_FILE, &fm);
	err = errno;
	close(dev);
	if (rfd < 0)
		return map_fail(err);
	ffd = file_fd_of(fd, sb);
	if (ffd < 0 || ioctl(rfd, SWAPLAB_IOC_REGION_INFO, &info)) {
		close(rfd);
		return map_fail(ffd < 0 ? EMFILE : ENODEV);
	}
	if (record_arg &&
	    ioctl(rfd, SWAPLAB_IOC_RECORD, &record_arg) && verbose)
		say("swaplab-preload: record mode: %s\n", strerror(errno));
	alias = sys_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	if (alias == MAP_FAILED && (fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY) {
		err = errno;
		close(rfd);
		return map_fail(err);
	}
	p = sys_mmap(addr, len, prot, (flags & ~MAP_TYPE) | MAP_SHARED, rfd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		close(rfd);
		if (alias != MAP_FAILED)
			sys_munmap(alias, len);
		return map_fail(err);
	}
	close(rfd);
	reg_forget((uintptr_t)p, (uintptr_t)p + len);
	e.start = (uintptr_t)p;
	e.len = len;
	e.region = info.id;
	e.size = len;
	e.hwm = len;
	e.flags = SERVED_SHARED | SERVED_FILE;
	e.prot = prot;
	e.dev = sb->st_dev;
	e.ino = sb->st_ino;
	e.foff = off;
	e.alias = alias == MAP_FAILED ? 0 : (uintptr_t)alias;
	e.file_fd = ffd;
	if (reg_insert(&e)) {
		sys_munmap(p, len);
		if (e.alias)
			sys_munmap(alias, len);
		return map_fail(ENOMEM);
	}
	account(len);
	st_add(files, 1);
	return p;
}

/*
 * A shared mapping of a regular file that the library serves: at least
 * the threshold, readable or writable, at a page-aligned offset.
 */
static bool want_file(size_t len, int prot, int flags, int fd, off_t off,
		      struct stat *sb)
{
	int type = flags & MAP_TYPE;

	return serve_files && fd >= 0 && !(flags & MAP_ANONYMOUS) &&
	       (type == MAP_SHARED || type == MAP_SHARED_VALIDATE) &&
	       len >= threshold && prot != PROT_NONE && off >= 0 &&
	       !(off & (page_size - 1)) &&
	       !(flags & (MAP_GROWSDOWN | MAP_HUGETLB | MAP_STACK)) &&
	       !__atomic_load_n(&device_dead, __ATOMIC_RELAXED) &&
	       !fstat(fd, sb) && S_ISREG(sb->st_mode);
}

/* The mapping flags for a region standing in for anonymous memory. */
static int region_flags(int flags)
{
	int type = flags & MAP_TYPE;

	flags &= ~(MAP_TYPE | MAP_ANONYMOUS | MAP_NORESERVE);
	return flags | (type == MAP_SHARED_VALIDATE ? MAP_SHARED_VALIDATE :
			MAP_SHARED);
}

static bool want_mmap(size_t len, int prot, int flags)
{
	return (flags & MAP_ANONYMOUS) && len >= threshold &&
	       prot != PROT_NONE &&
	       !(flags & (MAP_GROWSDOWN | MAP_HUGETLB | MAP_STACK)) &&
	       !__atomic_load_n(&device_dead, __ATOMIC_RELAXED);
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	int err = errno;
	struct stat sb;
	void *p;

	ensure_init();
	reg_take();
	if (want_mmap(len, prot, flags)) {
		int type = flags & MAP_TYPE;

		p = serve_locked(addr, page_up(len), prot, region_flags(flags),
				 type == MAP_PRIVATE ? 0 : SERVED_SHARED);
		if (p != MAP_FAILED) {
			reg_drop();
			st_add(maps, 1);
			errno = err;
			return p;
		}
		st_add(fallbacks, 1);
		errno = err;
	} else if (want_file(len, prot, flags, fd, off, &sb)) {
		p = serve_file_locked(addr, page_up(len), prot, flags, fd, off,
				      &sb);
		if (p != MAP_FAILED) {
			reg_drop();
			errno = err;
			return p;
		}
		st_add(fallbacks, 1);
		errno = err;
	}
	p = sys_mmap(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED)
		reg_forget((uintptr_t)p, (uintptr_t)p + page_up(len));
	reg_drop();
	return p;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

/*
 * mprotect() calls that made memory writable, and how many of them the
 * served mappings of files were last looked at after (under reg_lock).
 */
static unsigned long prot_changes, prot_seen;
static void file_writable_locked(void);

/*
 * The served mappings of the file open as @fd, for the program's own
 * I/O on it (fileio.c): each calls @fn on every entry of the file with
 * an alias, under reg_lock. False, with nothing done, when no mapping of
 * a file is served or @fd is not a regular file; errno is kept.
 */
static bool file_each(int fd, void (*fn)(struct served *e, void *arg),
		      void *arg)
{
	int err = errno;
	struct stat sb;

	if (!__atomic_load_n(&file_entries, __ATOMIC_RELAXED) || reg_depth)
		return false;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		errno = err;
		return false;
	}
	reg_take();
	file_writable_locked();
	for (size_t i = 0; i < reg_n; i++)
		if ((reg[i].flags & SERVED_FILE) && reg[i].alias &&
		    reg[i].dev == (uint64_t)sb.st_dev &&
		    reg[i].ino == (uint64_t)sb.st_ino)
			fn(&reg[i], arg);
	reg_drop();
	errno = err;
	return true;
}

/* A range of a file: [off, off + len). */
struct file_range {
	uint64_t off;
	uint64_t len;
	void *buf;
};

/*
 * The part of @r that entry @e maps: its first byte's address in the
 * region's alias and its length (0: none).
 */
static size_t file_overlap(const struct served *e, const struct file_range *r,
			   char **at, uint64_t *from)
{
	uint64_t lo = r->off > e->foff ? r->off : e->foff;
	uint64_t hi = r->off + r->len < e->foff + e->len ?
		      r->off + r->len : e->foff + e->len;

	if (lo >= hi)
		return 0;
	*at = (char *)e->alias + e->off + (lo - e->foff);
	*from = lo;
	return hi - lo;
}

/* Read the file's bytes of @arg's range into @e's region, as they are now. */
static void file_refresh(struct served *e, void *arg)
{
	uint64_t from;
	char *at;
	size_t n = file_overlap(e, arg, &at, &from);

	while (n) {
		/* The system call: not fileio.c's pread(), which locks. */
		ssize_t got = syscall(SYS_pread64, e->file_fd, at, n,
				      (off_t)from);

		if (got <= 0)
			break;
		st_add(file_refreshes, 1);
		at += got;
		from += got;
		n -= got;
	}
}

/* Copy what @e's region holds of @arg's range over the buffer read. */
static void file_overlay(struct served *e, void *arg)
{
	struct file_range *r = arg;
	uint64_t from;
	char *at;
	size_t n;

	if (!(e->prot & PROT_WRITE) && !(e->flags & SERVED_WROTE))
		return;
	n = file_overlap(e, r, &at, &from);
	if (n)
		memcpy((char *)r->buf + (from - r->off), at, n);
}

/* Write what @e's region holds back to the file. */
static void file_writeback(struct served *e, void *arg)
{
	int *err = arg;

	if (((e->prot & PROT_WRITE) || (e->flags & SERVED_WROTE)) &&
	    msync((void *)e->alias, e->size, MS_SYNC) && !*err)
		*err = errno;
}

/*
 * The range of a read or write of @len bytes from @off of @fd (-1: the
 * @len bytes before @fd's position; -2: the last @len bytes of the file,
 * where an append wrote) into @r; false if there is nothing to do: no
 * mapping of a file served, or no position. A positioned write to a
 * descriptor open with O_APPEND wrote at the end, as Linux does.
 */
static bool file_range(int fd, off_t off, size_t len, struct file_range *r,
		       bool write)
{
	int err = errno;

	if (!len || !__atomic_load_n(&file_entries, __ATOMIC_RELAXED))
		return false;
	if (write && off >= 0 && (fcntl(fd, F_GETFL) & O_APPEND))
		off = -2;
	if (off == -2) {
		struct stat sb;

		off = fstat(fd, &sb) ? -1 : sb.st_size;
		errno = err;
		if (off < (off_t)len)
			return false;
		off -= len;
	} else if (off < 0) {
		off = lseek(fd, 0, SEEK_CUR);
		errno = err;
		if (off < (off_t)len)
			return false;
		off -= len;
	}
	r->off = off;
	r->len = len;
	return true;
}

/**
 * preload_file_written() - the program wrote to a file it may map
 * @fd: the descriptor it wrote with
 * @off: the first byte written; -1: the bytes before @fd's position;
 *	-2: the file's last bytes (an append)
 * @len: how many it wrote
 *
 * Every served mapping of the file reads the bytes back from the file
 * into its region, so that the program sees its own write() through its
 * mapping, as through the page cache.
 */
void preload_file_written(int fd, off_t off, size_t len)
{
	struct file_range r = { 0 };

	if (file_range(fd, off, len, &r, true))
		file_each(fd, file_refresh, &r);
}

/**
 * preload_file_read() - the program read from a file it may map
 * @fd: the descriptor it read with
 * @off: the first byte read; -1: the bytes before @fd's position
 * @buf: where they are
 * @len: how many it read
 *
 * A writable served mapping of the file may hold bytes the file has not
 * yet: they are copied over the buffer, as the page cache would have
 * given them.
 */
void preload_file_read(int fd, off_t off, void *buf, size_t len)
{
	struct file_range r = { .buf = buf };

	if (file_range(fd, off, len, &r, false))
		file_each(fd, file_overlay, &r);
}

/**
 * preload_file_sync() - the program asks for a file it may map to be
 *	made durable
 * @fd: its descriptor
 *
 * The writable served mappings of the file write their regions' dirty
 * pages back first (msync), as fsync() writes back the page cache.
 *
 * Return: 0, or the first msync() error (errno set).
 */
int preload_file_sync(int fd)
{
	int err = 0;

	file_each(fd, file_writeback, &err);
	if (err)
		errno = err;
	return err ? -1 : 0;
}

static int munmap_locked(uintptr_t addr, size_t len)
{
	int ret = sys_munmap((void *)addr, len);

	if (!ret)
		reg_forget(addr, addr + page_up(len));
	return ret;
}

EXPORT int munmap(void *addr, size_t len)
{
	int ret;

	ensure_init();
	reg_take();
	ret = munmap_locked((uintptr_t)addr, len);
	reg_drop();
	return ret;
}

struct vma {
	uintptr_t start, end;
	int prot;
};

/* "/dev/swaplab", or "/dev/zero (deleted)" for a shared mapping of it. */
static bool is_device(const char *path)
{
	size_t n = strlen(device);

	return path && !strncmp(path, device, n) &&
	       (!path[n] || path[n] == ' ');
}

/*
 * Read /proc/self/maps once and call @fn on each of the mappings of the
 * device (or, with @any, of all mappings) that overlap [lo, hi), clipped
 * to it. Without malloc: the child of a fork uses it too. @fn must not
 * change mappings, since that confuses the reading: callers that do
 * collect first and act after (maps_read()). -1 if the file cannot be
 * opened.
 */
static int maps_scan(uintptr_t lo, uintptr_t hi, bool any,
		     void (*fn)(const struct vma *v, void *arg), void *arg)
{
	char buf[4096 + 512], *line, *nl;
	size_t have = 0;
	ssize_t r;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		r = syscall(SYS_read, fd, buf + have, sizeof(buf) - 1 - have);
		if (r <= 0)
			break;
		have += r;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			unsigned long s, e;
			char perm[8], *path;
			struct vma v;

			*nl = '\0';
			path = strchr(line, '/');
			if (sscanf(line, "%lx-%lx %7s", &s, &e, perm) == 3 &&
			    (any || is_device(path)) && s < hi && lo < e) {
				v.start = s > lo ? s : lo;
				v.end = e < hi ? e : hi;
				v.prot = (perm[0] == 'r' ? PROT_READ : 0) |
					 (perm[1] == 'w' ? PROT_WRITE : 0) |
					 (perm[2] == 'x' ? PROT_EXEC : 0);
				fn(&v, arg);
			}
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line too long to be ours */
	}
	close(fd);
	return 0;
}

struct vma_list {
	struct vma *out;
	int n, max;
};

static void vma_collect(const struct vma *v, void *arg)
{
	struct vma_list *l = arg;

	if (l->n < l->max)
		l->out[l->n++] = *v;
}

/*
 * The mappings maps_scan() finds, into @out (at most @max); their number,
 * or -1.
 */
static int maps_read(uintptr_t lo, uintptr_t hi, struct vma *out, int max,
		     bool any)
{
	struct vma_list l = { .out = out, .max = max };

	if (maps_scan(lo, hi, any, vma_collect, &l))
		return -1;
	return l.n;
}

#define MAX_VMAS 256

/* A writable mapping: the served mappings of files it overlaps wrote. */
static void file_wrote(const struct vma *v, void *arg)
{
	(void)arg;
	if (!(v->prot & PROT_WRITE))
		return;
	for (size_t i = 0; i < reg_n; i++) {
		struct served *e = &reg[i];

		if ((e->flags & SERVED_FILE) && e->start < v->end &&
		    v->start < e->start + e->len)
			e->flags |= SERVED_WROTE;
	}
}

/*
 * After mprotect() made memory writable, the served mappings of files
 * that are writable now, in part or whole, count as writable from then
 * on (SERVED_WROTE): the program's reads of the file take their bytes,
 * and fsync() writes them back first. One reading of /proc/self/maps
 * over the span of the mappings not yet known to be writable. Called
 * with reg_lock held.
 */
static void file_writable_locked(void)
{
	unsigned long changes = __atomic_load_n(&prot_changes, __ATOMIC_ACQUIRE);
	uintptr_t lo = UINTPTR_MAX, hi = 0;

	if (changes == prot_seen)
		return;
	prot_seen = changes;
	for (size_t i = 0; i < reg_n; i++) {
		struct served *e = &reg[i];

		if (!(e->flags & SERVED_FILE) || (e->prot & PROT_WRITE) ||
		    (e->flags & SERVED_WROTE))
			continue;
		if (e->start < lo)
			lo = e->start;
		if (e->start + e->len > hi)
			hi = e->start + e->len;
	}
	if (lo < hi)
		maps_scan(lo, hi, true, file_wrote, NULL);
}

/*
 * Give [lo, hi) of served memory fresh zero pages: a new region mapped
 * over it with the protection each piece has now, or anonymous memory if
 * none can be had. Called with reg_lock held.
 */
static int zero_range(uintptr_t lo, uintptr_t hi, unsigned int eflags)
{
	struct vma v[MAX_VMAS];
	int n = maps_read(lo, hi, v, MAX_VMAS, false);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		size_t len = v[i].end - v[i].start;
		void *p;

		p = serve_locked((void *)v[i].start, len, v[i].prot,
				 MAP_SHARED | MAP_FIXED, eflags);
		if (p == MAP_FAILED) {
			p = sys_mmap((void *)v[i].start, len, v[i].prot,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				     -1, 0);
			if (p == MAP_FAILED)
				return -1;
			reg_forget(v[i].start, v[i].end);
		}
	}
	return 0;
}

/*
 * madvise() on a range that holds served memory, piece by piece: the
 * served private pieces as private anonymous memory would behave, the
 * rest by the kernel. Called with reg_lock held.
 */
static int madvise_served(uintptr_t lo, uintptr_t hi, int advice)
{
	uintptr_t at = lo;
	int ret = 0;

	if (reg_split(lo) || reg_split(hi))
		return -1;
	while (at < hi && !ret) {
		struct served *e = reg_find(at);
		uintptr_t end = hi;

		if (!e) {
			/* Up to the next served entry: the kernel's. */
			for (size_t i = 0; i < reg_n; i++)
				if (reg[i].start > at && reg[i].start < end)
					end = reg[i].start;
			ret = sys_madvise((void *)at, end - at, advice);
			at = end;
			continue;
		}
		end = e->start + e->len;
		if (e->flags & SERVED_SHARED) {
			ret = sys_madvise((void *)at, end - at, advice);
		} else if (advice == MADV_DONTNEED || advice == MADV_REMOVE) {
			ret = zero_range(at, end, e->flags & SERVED_WIPE);
		} else if (advice == MADV_WIPEONFORK) {
			e->flags |= SERVED_WIPE;
		} else if (advice == MADV_KEEPONFORK) {
			e->flags &= ~SERVED_WIPE;
		} else if (advice != MADV_FREE) {
			/* MADV_FREE may keep the data: done. */
			ret = sys_madvise((void *)at, end - at, advice);
		}
		at = end;
	}
	return ret;
}

EXPORT int madvise(void *addr, size_t len, int advice)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + page_up(len);
	int ret;

	ensure_init();
	reg_take();
	if (lo & (page_size - 1) || hi < lo || !reg_any(lo, hi)) {
		reg_drop();
		return sys_madvise(addr, len, advice);
	}
	ret = madvise_served(lo, hi, advice);
	reg_drop();
	return ret;
}

/*
 * mprotect() that makes memory writable while mappings of files are
 * served: counted, with no lock (a signal handler may call it), so that
 * the next use of those mappings (file_each()) looks at their
 * protections again.
 */
EXPORT int mprotect(void *addr, size_t len, int prot)
{
	int ret = syscall(SYS_mprotect, addr, len, prot);

	if (!ret && (prot & PROT_WRITE) &&
	    __atomic_load_n(&file_entries, __ATOMIC_RELAXED))
		__atomic_add_fetch(&prot_changes, 1, __ATOMIC_RELEASE);
	return ret;
}

/* Write zeroes over [lo, hi) of served memory, whatever its protection. */
static void clear_range(uintptr_t lo, uintptr_t hi)
{
	struct vma v[MAX_VMAS];
	int n = maps_read(lo, hi, v, MAX_VMAS, false);

	for (int i = 0; i < n; i++) {
		size_t len = v[i].end - v[i].start;

		if (!(v[i].prot & PROT_WRITE))
			mprotect((void *)v[i].start, len, PROT_READ | PROT_WRITE);
		memset((void *)v[i].start, 0, len);
		if (!(v[i].prot & PROT_WRITE))
			mprotect((void *)v[i].start, len, v[i].prot);
	}
}

/*
 * mremap() of one registry entry @e, all of it: the kernel moves or grows
 * the mapping of the region. Growth must stay inside the region's limit
 * and off offsets another mapping of it uses (ENOMEM otherwise), and
 * offsets used before are zeroed.
 */
static void *mremap_one(struct served *e, size_t new_len, int flags,
			void *new_addr)
{
	uint64_t grow_lo = e->off + e->len, grow_hi = e->off + new_len;
	size_t old_len = e->len;
	struct served moved;
	void *p;

	if (new_len > old_len) {
		if (grow_hi > e->size)
			return map_fail(ENOMEM);
		for (size_t i = 0; i < reg_n; i++)
			if (&reg[i] != e && reg[i].region == e->region &&
			    reg[i].off < grow_hi &&
			    grow_lo < reg[i].off + reg[i].len)
				return map_fail(ENOMEM);
	}
	p = sys_mremap((void *)e->start, old_len, new_len, flags, new_addr);
	if (p == MAP_FAILED)
		return p;
	moved = *e;
	reg_remove(e - reg, true);
	account(-(long)moved.len);
	reg_moving = moved.region;
	reg_forget((uintptr_t)p, (uintptr_t)p + new_len);
	reg_moving = 0;
	moved.start = (uintptr_t)p;
	moved.len = new_len;
	if (reg_insert(&moved))
		return map_fail(ENOMEM);
	account(new_len);
	if (new_len > old_len && grow_lo < moved.hwm) {
		/* Offsets given back earlier still hold their data. */
		uint64_t end = grow_hi < moved.hwm ? grow_hi : moved.hwm;

		clear_range((uintptr_t)p + old_len,
			    (uintptr_t)p + old_len + (end - grow_lo));
	}
	reg_raise_hwm(moved.region, grow_hi);
	return p;
}

/*
 * Move [old, old + old_len) by copying it into a new mapping, where the
 * kernel cannot: it spans several mappings (MADV_DONTNEED or MAP_FIXED
 * cut it), or its region cannot grow. Not for shared memory, which a
 * copy would no longer share.
 */
static void *mremap_copy(uintptr_t old, size_t old_len, size_t new_len,
			 int flags, void *new_addr)
{
	uintptr_t dst = flags & MREMAP_FIXED ? (uintptr_t)new_addr : 0;
	struct vma v[MAX_VMAS];
	int n, fixed = dst ? MAP_FIXED : 0;
	char *p;

	for (size_t i = 0; i < reg_n; i++)
		if (overlaps(&reg[i], old, old + old_len) &&
		    reg[i].flags & SERVED_SHARED)
			return map_fail(ENOMEM);
	n = maps_read(old, old + old_len, v, MAX_VMAS, true);
	if (n <= 0 || n == MAX_VMAS)
		return map_fail(ENOMEM);
	/* A hole: the kernel's answer for it. */
	for (int i = 0; i < n; i++)
		if (v[i].start != (i ? v[i - 1].end : old))
			return map_fail(EFAULT);
	if (v[n - 1].end != old + old_len)
		return map_fail(EFAULT);
	if (dst && dst < old + old_len && old < dst + new_len)
		return map_fail(EINVAL);
	p = serve_locked((void *)dst, new_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | fixed, 0);
	if (p == MAP_FAILED)
		p = sys_mmap((void *)dst, new_len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | fixed, -1, 0);
	if (p == MAP_FAILED)
		return p;
	for (int i = 0; i < n; i++) {
		size_t off = v[i].start - old, len = v[i].end - v[i].start;

		if (off >= new_len)
			break;
		if (len > new_len - off)
			len = new_len - off;
		if (!(v[i].prot & PROT_READ))
			mprotect((void *)v[i].start, len, PROT_READ);
		memcpy(p + off, (void *)v[i].start, len);
		mprotect(p + off, len, v[i].prot);
	}
	if (new_len > old_len)
		mprotect(p + old_len, new_len - old_len, v[n - 1].prot);
	sys_munmap((void *)old, old_len);
	reg_forget(old, old + old_len);
	return p;
}

/*
 * mremap() of a served mapping of a file, all of it (@e). Shrinking and
 * moving are the kernel's; growth, which MREMAP_MAYMOVE must allow,
 * maps a new region of the file's longer range, once the old one's
 * pages are written back so that the new one reads them from the file,
 * and unmaps the old.
 */
static void *mremap_file(struct served *e, size_t new_len, int flags,
			 void *new_addr)
{
	struct served old = *e;
	struct stat sb;
	void *p;

	if (new_len <= old.len || !(flags & MREMAP_MAYMOVE))
		return new_len <= old.len ?
		       mremap_one(e, new_len, flags, new_addr) :
		       map_fail(ENOMEM);
	if (flags & MREMAP_FIXED &&
	    (uintptr_t)new_addr < old.start + old.len &&
	    old.start < (uintptr_t)new_addr + new_len)
		return map_fail(EINVAL);
	if (old.alias && msync((void *)old.alias, old.size, MS_SYNC))
		return MAP_FAILED;
	if (fstat(old.file_fd, &sb))
		return MAP_FAILED;
	p = serve_file_locked(flags & MREMAP_FIXED ? new_addr : NULL, new_len,
			      old.prot, MAP_SHARED |
			      (flags & MREMAP_FIXED ? MAP_FIXED : 0),
			      old.file_fd, old.foff, &sb);
	if (p != MAP_FAILED)
		munmap_locked(old.start, old.len);
	return p;
}

/*
 * mremap() of a range that holds served memory; called with reg_lock
 * held. A single served mapping moves with the kernel; a range cut in
 * pieces shrinks, or grows its last piece in place, and otherwise, if it
 * may move, is copied.
 */
static void *mremap_served(uintptr_t old, size_t old_len, size_t new_len,
			   int flags, void *new_addr)
{
	struct served *e;
	void *p;

	old_len = page_up(old_len);
	new_len = page_up(new_len);
	/* Not for a device: a duplicate of private memory, DONTUNMAP. */
	if (!old_len || !new_len || (flags & MREMAP_DONTUNMAP))
		return map_fail(EINVAL);
	if (reg_split(old) || reg_split(old + old_len))
		return map_fail(ENOMEM);
	e = reg_find(old);
	if (e && e->start == old && e->len == old_len &&
	    (e->flags & SERVED_FILE))
		return mremap_file(e, new_len, flags, new_addr);
	if (e && e->start == old && e->len == old_len) {
		p = mremap_one(e, new_len, flags, new_addr);
		if (p != MAP_FAILED || errno != ENOMEM ||
		    !(flags & MREMAP_MAYMOVE))
			return p;
		return mremap_copy(old, old_len, new_len, flags, new_addr);
	}
	if (!(flags & MREMAP_FIXED)) {
		if (new_len <= old_len) {
			munmap_locked(old + new_len, old_len - new_len);
			return (void *)old;
		}
		e = reg_find(old + old_len - 1);
		if (e && mremap_one(e, e->len + new_len - old_len, 0, NULL) !=
			 MAP_FAILED)
			return (void *)old;
		if (!(flags & MREMAP_MAYMOVE))
			return map_fail(ENOMEM);
	}
	return mremap_copy(old, old_len, new_len, flags, new_addr);
}

EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL, *p;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	ensure_init();
	reg_take();
	if (reg_any((uintptr_t)old, (uintptr_t)old + page_up(old_len ?: 1)) &&
	    !((uintptr_t)old & (page_size - 1))) {
		p = mremap_served((uintptr_t)old, old_len, new_len, flags,
				  new_addr);
	} else {
		p = sys_mremap(old, old_len, new_len, flags, new_addr);
		if (p != MAP_FAILED)
			reg_forget((uintptr_t)p, (uintptr_t)p + page_up(new_len));
	}
	reg_drop();
	return p;
}

/*
 * The malloc family. A block of at least the threshold is a region of
 * its own, its header in the 64 bytes before the address returned, which
 * is 64-aligned; free() reads the header only behind 64-aligned
 * addresses, where it is mapped for glibc's blocks too (glibc's header
 * is in the 16 bytes before them, in the same page or the one before),
 * and believes it only when the registry agrees.
 */
static void *big_alloc(size_t size, size_t align)
{
	size_t len, user_off;
	struct block *b;
	uintptr_t base;
	void *p;

	if (align < HDR)
		align = HDR;
	if (size > SIZE_MAX / 2 - align - page_size)
		return NULL;
	len = page_up(size + align + (align > page_size ? HDR : 0));
	reg_take();
	p = serve_locked(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 SERVED_MALLOC);
	reg_drop();
	if (p == MAP_FAILED) {
		st_add(fallbacks, 1);
		return NULL;
	}
	st_add(mallocs, 1);
	base = (uintptr_t)p;
	user_off = ((base + HDR + align - 1) & ~(uintptr_t)(align - 1)) - base;
	b = (struct block *)(base + user_off - HDR);
	b->user_off = user_off;
	b->map_len = len;
	b->magic = block_secret ^ (base + user_off);
	return (void *)(base + user_off);
}

/* The header of @ptr if it is one of ours, else NULL. */
static struct block *big_block(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	struct block *b;
	struct served *e;

	if (!p || p & (HDR - 1))
		return NULL;
	b = (struct block *)(p - HDR);
	if (b->magic != (block_secret ^ p) || b->user_off > b->map_len)
		return NULL;
	reg_take();
	e = reg_find(p - b->user_off);
	if (!e || e->start != p - b->user_off || !(e->flags & SERVED_MALLOC))
		b = NULL;
	reg_drop();
	return b;
}

static void big_free(struct block *b, void *ptr)
{
	uintptr_t base = (uintptr_t)ptr - b->user_off;
	size_t len = b->map_len;

	b->magic = 0;
	reg_take();
	sys_munmap((void *)base, len);
	reg_forget(base, base + len);
	reg_drop();
}

static size_t big_usable(const struct block *b)
{
	return b->map_len - b->user_off;
}

/* Can glibc's allocator serve this request, or is it ours to try? */
static bool small(size_t size)
{
	ensure_init();
	return size < threshold ||
	       __atomic_load_n(&device_dead, __ATOMIC_RELAXED);
}

EXPORT void *malloc(size_t size)
{
	int err = errno;
	void *p;

	if (small(size))
		return __libc_malloc(size);
	p = big_alloc(size, 0);
	errno = err;
	return p ?: __libc_malloc(size);
}

EXPORT void free(void *ptr)
{
	struct block *b;
	int err;

	if (!ptr)
		return;
	b = big_block(ptr);
	if (!b) {
		__libc_free(ptr);
		return;
	}
	err = errno;
	big_free(b, ptr);
	errno = err;
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	size_t bytes;
	int err = errno;
	void *p;

	if (__builtin_mul_overflow(nmemb, size, &bytes) || small(bytes))
		return __libc_calloc(nmemb, size);
	/* A fresh region reads as zeroes: nothing to clear. */
	p = big_alloc(bytes, 0);
	errno = err;
	return p ?: __libc_calloc(nmemb, size);
}

/* Grow or shrink one of our blocks; NULL (the block intact) on failure. */
static void *big_realloc(struct block *b, void *ptr, size_t size)
{
	size_t user_off = b->user_off, len = b->map_len;
	size_t need = page_up(user_off + size);
	uintptr_t base = (uintptr_t)ptr - user_off;
	struct served *e;
	void *p;

	if (size < threshold) {
		p = __libc_malloc(size);
		if (p) {
			memcpy(p, ptr, size);
			big_free(b, ptr);
		}
		return p;
	}
	if (need <= len)
		return ptr;
	reg_take();
	e = reg_find(base);
	p = MAP_FAILED;
	if (e && need <= e->size)
		p = sys_mremap((void *)base, len, need, MREMAP_MAYMOVE, NULL);
	if (p != MAP_FAILED) {
		/* Still the only mapping of its region: just move the entry. */
		e->start = (uintptr_t)p;
		e->len = need;
		if (e->hwm < need)
			e->hwm = need;
		account(need - len);
		/* The header moved with the mapping; @b is gone. */
		b = (struct block *)((uintptr_t)p + user_off - HDR);
		b->map_len = need;
		b->magic = block_secret ^ ((uintptr_t)p + user_off);
		reg_drop();
		return (char *)p + user_off;
	}
	reg_drop();
	p = big_alloc(size, 0);
	if (!p)
		p = __libc_malloc(size);
	if (p) {
		memcpy(p, ptr, big_usable(b));
		big_free(b, ptr);
	}
	return p;
}

EXPORT void *realloc(void *ptr, size_t size)
{
	struct block *b;
	size_t old;
	int err;
	void *p;

	if (!ptr)
		return malloc(size);
	b = big_block(ptr);
	err = errno;
	if (b) {
		if (!size) {
			big_free(b, ptr);
			return NULL;
		}
		p = big_realloc(b, ptr, size);
		if (p)
			errno = err;
		else
			errno = ENOMEM;
		return p;
	}
	if (small(size) || !real.usable)
		return __libc_realloc(ptr, size);
	p = big_alloc(size, 0);
	if (!p)
		return __libc_realloc(ptr, size);
	old = real.usable(ptr);
	memcpy(p, ptr, old < size ? old : size);
	__libc_free(ptr);
	errno = err;
	return p;
}

EXPORT void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(nmemb, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, bytes);
}

/* memalign() and friends; @align already checked by the callers. */
static void *aligned(size_t align, size_t size)
{
	int err = errno;
	void *p;

	if (small(size) || align > (1 << 20))
		return __libc_memalign(align, size);
	p = big_alloc(size, align);
	errno = err;
	return p ?: __libc_memalign(align, size);
}

EXPORT void *memalign(size_t align, size_t size)
{
	/* glibc rounds a non-power of two up to one. */
	if (align & (align - 1))
		return __libc_memalign(align, size);
	return aligned(align, size);
}

EXPORT void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

/* POSIX has it return the error number rather than set errno. */
EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	int err = errno, ret = EINVAL;
	void *p;

	if (!align || align % sizeof(void *) || align & (align - 1))
		return ret;
	p = aligned(align, size);
	errno = err;
	ret = ENOMEM;
	if (!p)
		return ret;
	*out = p;
	return 0;
}

EXPORT void *valloc(size_t size)
{
	ensure_init();
	return aligned(page_size, size);
}

EXPORT void *pvalloc(size_t size)
{
	ensure_init();
	if (size > SIZE_MAX - page_size) {
		errno = ENOMEM;
		return NULL;
	}
	return aligned(page_size, page_up(size ?: 1));
}

EXPORT size_t malloc_usable_size(void *ptr)
{
	struct block *b = big_block(ptr);

	if (b)
		return big_usable(b);
	ensure_init();
	return real.usable && ptr ? real.usable(ptr) : 0;
}

/*
 * fork(): with reg_lock held across it, the child sees the registry as
 * the mappings are. The forking thread then waits, in fork_parent(), for
 * the child to close the pipe once it has its copies.
 */
static int fork_pipe[2] = { -1, -1 };

static void fork_prepare(void)
{
	bool private = false;

	reg_take();
	for (size_t i = 0; i < reg_n && !fork_share; i++)
		private |= !(reg[i].flags & SERVED_SHARED);
	if (!private || pipe2(fork_pipe, O_CLOEXEC)) {
		fork_pipe[0] = -1;
		fork_pipe[1] = -1;
	}
}

static void fork_parent(void)
{
	char c;

	if (fork_pipe[0] >= 0) {
		int err = errno;

		close(fork_pipe[1]);
		while (syscall(SYS_read, fork_pipe[0], &c, 1) < 0 && errno == EINTR)
			;
		close(fork_pipe[0]);
		errno = err;
	}
	reg_drop();
}

/* Copy @src's pages that are not all zero to @dst; count them. */
static unsigned long copy_sparse(char *dst, const char *src, size_t len)
{
	unsigned long pages = 0;

	for (size_t off = 0; off < len; off += page_size) {
		const uint64_t *w = (const uint64_t *)(src + off);
		size_t i, n = page_size / sizeof(*w);

		for (i = 0; i < n && !w[i]; i++)
			;
		if (i < n) {
			memcpy(dst + off, src + off, page_size);
			pages++;
		}
	}
	return pages;
}

/*
 * In the child: a private copy, in a new region, of every private served
 * mapping (zeroes for MADV_WIPEONFORK), moved over the original with
 * mremap() so that the addresses stay. What cannot be copied stays
 * shared, with a warning when verbose.
 */
static void fork_copy_one(const struct served *e, const struct vma *v)
{
	size_t len = v->end - v->start;
	struct swaplab_region_info info;
	unsigned long pages = 0;
	char *p;
	int fd;

	fd = region_open(&info);
	p = sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
		     fd >= 0 ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS,
		     fd, 0);
	if (fd >= 0)
		close(fd);
	if (p == MAP_FAILED) {
		if (verbose)
			say("swaplab-preload: fork: cannot copy %zu bytes at %#lx: %s; shared with the parent\n",
			    len, (unsigned long)v->start, strerror(errno));
		return;
	}
	if (!(e->flags & SERVED_WIPE)) {
		if (!(v->prot & PROT_READ))
			mprotect((void *)v->start, len, PROT_READ);
		pages = copy_sparse(p, (const char *)v->start, len);
	}
	mprotect(p, len, v->prot);
	if (sys_mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		       (void *)v->start) == MAP_FAILED) {
		sys_munmap(p, len);
		return;
	}
	st_add(fork_pages, pages);
}

static void fork_child(void)
{
	struct vma v[MAX_VMAS];

	if (fork_pipe[0] >= 0) {
		close(fork_pipe[0]);
		for (size_t i = 0; i < reg_n; i++) {
			const struct served *e = &reg[i];
			int n;

			if (e->flags & SERVED_SHARED)
				continue;
			n = maps_read(e->start, e->start + e->len, v, MAX_VMAS,
				      false);
			for (int k = 0; k < n; k++)
				fork_copy_one(e, &v[k]);
		}
		st_add(forks, 1);
		close(fork_pipe[1]);
		/* The copies are new regions: offsets from 0, as mapped. */
		for (size_t i = 0; i < reg_n; i++) {
			if (reg[i].flags & SERVED_SHARED)
				continue;
			reg[i].region = ~(uint64_t)i;
			reg[i].off = 0;
			reg[i].size = reg[i].len;
			reg[i].hwm = reg[i].len;
		}
	}
	reg_drop();
}
