// SPDX-License-Identifier: GPL-2.0
/*
 * The program's own read(), write() and fsync() of files that
 * libswaplab-preload.so serves mappings of (preload.c). A mapping of a
 * file served from /dev/swaplab is a region with pages of its own, not
 * the file's page cache, so what the program writes with write() would
 * not show through its mapping, nor what it wrote through a writable
 * mapping in what it reads with read(). Each call here makes the real
 * one, then hands the range to preload.c, which reads the bytes written
 * back into every served mapping of the file, or copies a writable
 * mapping's bytes over those read; fsync() and fdatasync() write the
 * writable mappings back first. A program with no served mapping of a
 * file pays one atomic load a call.
 *
 * Only this process's calls: another process's writes to the file, and
 * this one's through calls not here (sendfile(), copy_file_range(),
 * splice(), io_uring, stdio's own buffered writes inside glibc) do not
 * reach the mappings. Documentation/admin-guide/swaplab/run.rst says so.
 * A positioned write to a descriptor open with O_APPEND, or pwritev2()
 * with RWF_APPEND, wrote at the file's end, and is read back from there.
 * A call from a signal handler that interrupted the library while it
 * held its lock does nothing more than the real call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "preload/preload.h"

#define EXPORT __attribute__((visibility("default")))

/*
 * The next definitions. Each call here makes its own real call, so that
 * the kernel sees the system calls it would see without the library (a
 * seccomp filter may allow readv and not preadv2).
 */
static struct {
	ssize_t (*read)(int fd, void *buf, size_t n);
	ssize_t (*pread)(int fd, void *buf, size_t n, off_t off);
	ssize_t (*readv)(int fd, const struct iovec *iov, int cnt);
	ssize_t (*preadv)(int fd, const struct iovec *iov, int cnt, off_t off);
	ssize_t (*preadv2)(int fd, const struct iovec *iov, int cnt,
			   off_t off, int flags);
	ssize_t (*write)(int fd, const void *buf, size_t n);
	ssize_t (*pwrite)(int fd, const void *buf, size_t n, off_t off);
	ssize_t (*writev)(int fd, const struct iovec *iov, int cnt);
	ssize_t (*pwritev)(int fd, const struct iovec *iov, int cnt,
			   off_t off);
	ssize_t (*pwritev2)(int fd, const struct iovec *iov, int cnt,
			    off_t off, int flags);
	int (*fsync)(int fd);
	int (*fdatasync)(int fd);
} io;

static pthread_once_t io_once = PTHREAD_ONCE_INIT;

static void io_resolve(void)
{
	io.read = dlsym(RTLD_NEXT, "read");
	io.pread = dlsym(RTLD_NEXT, "pread64");
	io.readv = dlsym(RTLD_NEXT, "readv");
	io.preadv = dlsym(RTLD_NEXT, "preadv64");
	io.preadv2 = dlsym(RTLD_NEXT, "preadv64v2");
	io.write = dlsym(RTLD_NEXT, "write");
	io.pwrite = dlsym(RTLD_NEXT, "pwrite64");
	io.writev = dlsym(RTLD_NEXT, "writev");
	io.pwritev = dlsym(RTLD_NEXT, "pwritev64");
	io.pwritev2 = dlsym(RTLD_NEXT, "pwritev64v2");
	io.fsync = dlsym(RTLD_NEXT, "fsync");
	io.fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

static inline void io_init(void)
{
	pthread_once(&io_once, io_resolve);
}

/*
 * After a read of @r bytes into @buf from @off (-1: before the
 * position): the bytes of the file's writable served mappings over them.
 */
static ssize_t did_read(int fd, off_t off, void *buf, ssize_t r)
{
	if (r > 0)
		preload_file_read(fd, off, buf, r);
	return r;
}

/* After a write of @r bytes at @off (-1: the position, -2: the end). */
static ssize_t did_write(int fd, off_t off, ssize_t r)
{
	if (r > 0)
		preload_file_written(fd, off, r);
	return r;
}

/*
 * After a vectored read of @r bytes from @off (-1: before the position):
 * each buffer in turn, as a read of its own range; errno kept.
 */
static ssize_t did_read_vec(int fd, const struct iovec *iov, int cnt,
			    off_t off, ssize_t r)
{
	int err = errno;
	ssize_t left = r;

	if (off < 0 && left > 0) {
		off = lseek(fd, 0, SEEK_CUR);
		left = off < r ? 0 : left;
		off -= r;
	}
	for (int i = 0; i < cnt && left > 0; i++) {
		size_t n = iov[i].iov_len < (size_t)left ? iov[i].iov_len :
							   (size_t)left;

		preload_file_read(fd, off, iov[i].iov_base, n);
		off += n;
		left -= n;
	}
	errno = err;
	return r;
}

EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	io_init();
	return did_read(fd, -1, buf, io.read(fd, buf, n));
}

EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	io_init();
	return did_read(fd, off, buf, io.pread(fd, buf, n, off));
}

EXPORT ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
	return pread(fd, buf, n, off);
}

/* _FORTIFY_SOURCE's checked reads, which glibc makes without read(). */
EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	if (n > buflen)
		abort();
	return read(fd, buf, n);
}

EXPORT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off,
			   size_t buflen)
{
	if (n > buflen)
		abort();
	return pread(fd, buf, n, off);
}

EXPORT ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off,
			     size_t buflen)
{
	return __pread_chk(fd, buf, n, off, buflen);
}

EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	io_init();
	return did_read_vec(fd, iov, cnt, -1, io.readv(fd, iov, cnt));
}

EXPORT ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	io_init();
	return did_read_vec(fd, iov, cnt, off, io.preadv(fd, iov, cnt, off));
}

EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return preadv(fd, iov, cnt, off);
}

/* An offset of -1 reads at the file's position, as readv() does. */
EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int cnt, off_t off,
		       int flags)
{
	io_init();
	return did_read_vec(fd, iov, cnt, off < 0 ? -1 : off,
			    io.preadv2(fd, iov, cnt, off, flags));
}

EXPORT ssize_t preadv64v2(int fd, const struct iovec *iov, int cnt,
			  off_t off, int flags)
{
	return preadv2(fd, iov, cnt, off, flags);
}

EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	io_init();
	return did_write(fd, -1, io.write(fd, buf, n));
}

EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	io_init();
	return did_write(fd, off, io.pwrite(fd, buf, n, off));
}

EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	return pwrite(fd, buf, n, off);
}

EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	io_init();
	return did_write(fd, -1, io.writev(fd, iov, cnt));
}

EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	io_init();
	return did_write(fd, off, io.pwritev(fd, iov, cnt, off));
}

EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return pwritev(fd, iov, cnt, off);
}

/* An offset of -1 writes at the file's position, as writev() does. */
EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off,
			int flags)
{
	io_init();
	return did_write(fd, flags & RWF_APPEND ? -2 : off < 0 ? -1 : off,
			 io.pwritev2(fd, iov, cnt, off, flags));
}

EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt,
			   off_t off, int flags)
{
	return pwritev2(fd, iov, cnt, off, flags);
}

EXPORT int fsync(int fd)
{
	io_init();
	if (preload_file_sync(fd))
		return -1;
	return io.fsync(fd);
}

EXPORT int fdatasync(int fd)
{
	io_init();
	if (preload_file_sync(fd))
		return -1;
	return io.fdatasync(fd);
}
