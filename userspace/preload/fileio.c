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
#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "preload/preload.h"

#define EXPORT __attribute__((visibility("default")))

static struct {
	ssize_t (*read)(int fd, void *buf, size_t n);
	ssize_t (*pread)(int fd, void *buf, size_t n, off_t off);
	ssize_t (*preadv2)(int fd, const struct iovec *iov, int cnt,
			   off_t off, int flags);
	ssize_t (*write)(int fd, const void *buf, size_t n);
	ssize_t (*pwrite)(int fd, const void *buf, size_t n, off_t off);
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
	io.preadv2 = dlsym(RTLD_NEXT, "preadv64v2");
	io.write = dlsym(RTLD_NEXT, "write");
	io.pwrite = dlsym(RTLD_NEXT, "pwrite64");
	io.pwritev2 = dlsym(RTLD_NEXT, "pwritev64v2");
	io.fsync = dlsym(RTLD_NEXT, "fsync");
	io.fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

static inline void io_init(void)
{
	pthread_once(&io_once, io_resolve);
}

EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t r;

	io_init();
	r = io.read(fd, buf, n);
	if (r > 0)
		preload_file_read(fd, -1, buf, r);
	return r;
}

EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	ssize_t r;

	io_init();
	r = io.pread(fd, buf, n, off);
	if (r > 0)
		preload_file_read(fd, off, buf, r);
	return r;
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

/*
 * A vectored read of @r bytes from @off (-1: before the position): each
 * buffer in turn, as a read of its own range.
 */
static void read_vec(int fd, const struct iovec *iov, int cnt, off_t off,
		     ssize_t r)
{
	if (off < 0) {
		off = lseek(fd, 0, SEEK_CUR);
		if (off < r)
			return;
		off -= r;
	}
	for (int i = 0; i < cnt && r > 0; i++) {
		size_t n = iov[i].iov_len < (size_t)r ? iov[i].iov_len :
							(size_t)r;

		preload_file_read(fd, off, iov[i].iov_base, n);
		off += n;
		r -= n;
	}
}

EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int cnt, off_t off,
		       int flags)
{
	int err;
	ssize_t r;

	io_init();
	r = io.preadv2(fd, iov, cnt, off, flags);
	err = errno;
	if (r > 0)
		read_vec(fd, iov, cnt, off < 0 ? -1 : off, r);
	errno = err;
	return r;
}

EXPORT ssize_t preadv64v2(int fd, const struct iovec *iov, int cnt,
			  off_t off, int flags)
{
	return preadv2(fd, iov, cnt, off, flags);
}

/*
 * preadv() and pwritev() are preadv2() and pwritev2() with no flags,
 * but for a negative offset, which they refuse where those two take -1
 * for the descriptor's position.
 */
static bool bad_offset(off_t off)
{
	if (off >= 0)
		return false;
	errno = EINVAL;
	return true;
}

EXPORT ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return bad_offset(off) ? -1 : preadv2(fd, iov, cnt, off, 0);
}

EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return preadv(fd, iov, cnt, off);
}

/* At the descriptor's position: preadv2()'s offset -1. */
EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return preadv2(fd, iov, cnt, -1, 0);
}

EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	ssize_t r;

	io_init();
	r = io.write(fd, buf, n);
	if (r > 0)
		preload_file_written(fd, -1, r);
	return r;
}

EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	ssize_t r;

	io_init();
	r = io.pwrite(fd, buf, n, off);
	if (r > 0)
		preload_file_written(fd, off, r);
	return r;
}

EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	return pwrite(fd, buf, n, off);
}

/* An offset of -1 writes at the file's position, as writev() does. */
EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off,
			int flags)
{
	ssize_t r;

	io_init();
	r = io.pwritev2(fd, iov, cnt, off, flags);
	if (r > 0)
		preload_file_written(fd, flags & RWF_APPEND ? -2 :
				     off < 0 ? -1 : off, r);
	return r;
}

EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt,
			   off_t off, int flags)
{
	return pwritev2(fd, iov, cnt, off, flags);
}

EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return pwritev2(fd, iov, cnt, -1, 0);
}

EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return bad_offset(off) ? -1 : pwritev2(fd, iov, cnt, off, 0);
}

EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return pwritev(fd, iov, cnt, off);
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
