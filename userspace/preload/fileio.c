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
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "preload/preload.h"

#define EXPORT __attribute__((visibility("default")))

static struct {
	ssize_t (*read)(int fd, void *buf, size_t n);
	ssize_t (*pread)(int fd, void *buf, size_t n, off_t off);
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

EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	ssize_t r;

	io_init();
	r = io.writev(fd, iov, cnt);
	if (r > 0)
		preload_file_written(fd, -1, r);
	return r;
}

EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	ssize_t r;

	io_init();
	r = io.pwritev(fd, iov, cnt, off);
	if (r > 0)
		preload_file_written(fd, off, r);
	return r;
}

EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return pwritev(fd, iov, cnt, off);
}

/* An offset of -1 writes at the file's position, as writev() does. */
EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off,
			int flags)
{
	ssize_t r;

	io_init();
	r = io.pwritev2(fd, iov, cnt, off, flags);
	if (r > 0)
		preload_file_written(fd, off < 0 ? -1 : off, r);
	return r;
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
