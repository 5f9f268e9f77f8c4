// SPDX-License-Identifier: GPL-2.0
/*
 * Arrays as long as a trace, kept in a file rather than in the process's
 * memory. The reference string (8 bytes a reference) and OPT's next uses
 * (4) grow with the trace, where everything else the simulator keeps
 * grows with its distinct pages. Each such array is a shared mapping of
 * an unlinked file in $TMPDIR (default /var/tmp), mapped into a range of
 * address space reserved at the start, so that it grows without moving.
 * A pass that goes through the array drops what it has passed
 * (strmap_pass()): those pages leave the process's memory, and stay in
 * the page cache, or on disk once the kernel writes them back, for the
 * next pass to read again. So a replay's peak memory does not grow with
 * the string, and a string larger than the machine's memory can be
 * replayed.
 *
 * Where no file can be made, the array is in memory, as malloc() gives
 * it, and dropping does nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/strmap.h"

/* Address space reserved for each array in a file: 1 TiB. */
#define STRMAP_RESERVE	(1024ULL * 1024 * 1024 * 1024)
/* Arrays in files at once; more are in memory. */
#define STRMAP_MAX	64
/*
 * The file grows by this much at least. Its blocks come as pages are
 * written: nothing is allocated ahead, which on a tmpfs would be memory.
 */
#define STRMAP_GROW	(1024UL * 1024)

/**
 * struct strmap - an array in a file
 * @base: its start, that of the range reserved
 * @fd: the file, unlinked
 * @mapped: bytes of the file mapped, from @base
 */
struct strmap {
	char *base;
	int fd;
	size_t mapped;
};

/*
 * The arrays in files, @strmap_lock held to change or search them (the
 * simulator's replays run on threads; each array is grown by one only).
 */
static struct strmap strmaps[STRMAP_MAX];
static pthread_mutex_t strmap_lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry of @p, or NULL for an array in memory; @strmap_lock held. */
static struct strmap *strmap_find(const void *p)
{
	for (int i = 0; p && i < STRMAP_MAX; i++)
		if (strmaps[i].base == p)
			return &strmaps[i];
	return NULL;
}

/* Map the file of @m up to @size bytes at least; 0 or -errno. */
static int strmap_map(struct strmap *m, size_t size)
{
	size_t want = size > m->mapped + STRMAP_GROW ?
		      size : m->mapped + STRMAP_GROW;
	long page = sysconf(_SC_PAGESIZE);

	want = (want + page - 1) / page * page;
	if (want > STRMAP_RESERVE)
		return -E2BIG;
	if (ftruncate(m->fd, want))
		return -errno;
	if (mmap(m->base + m->mapped, want - m->mapped, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, m->fd, m->mapped) == MAP_FAILED)
		return -errno;
	m->mapped = want;
	return 0;
}

/* A new array in a file, of @size bytes; NULL if none can be made. */
static void *strmap_new(size_t size)
{
	const char *dir = getenv("TMPDIR");
	struct strmap *m = NULL, new = { .fd = -1 };
	void *base;

	new.fd = open(dir && *dir ? dir : "/var/tmp", O_TMPFILE | O_RDWR, 0600);
	if (new.fd < 0)
		return NULL;
	base = mmap(NULL, STRMAP_RESERVE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		close(new.fd);
		return NULL;
	}
	new.base = base;
	if (strmap_map(&new, size ? size : 1)) {
		munmap(base, STRMAP_RESERVE);
		close(new.fd);
		return NULL;
	}
	pthread_mutex_lock(&strmap_lock);
	for (int i = 0; !m && i < STRMAP_MAX; i++)
		if (!strmaps[i].base)
			m = &strmaps[i];
	if (m)
		*m = new;
	pthread_mutex_unlock(&strmap_lock);
	if (!m) {
		munmap(base, STRMAP_RESERVE);
		close(new.fd);
		return NULL;
	}
	return base;
}

/**
 * strmap_alloc() - an array as long as a trace
 * @size: its bytes
 *
 * Return: the array, unset, in a file of its own where one can be made,
 * else in memory; NULL without memory.
 */
void *strmap_alloc(size_t size)
{
	void *p = strmap_new(size);

	return p ? p : malloc(size ? size : 1);
}

/**
 * strmap_realloc() - grow or shrink an array of strmap_alloc()
 * @p: the array, or NULL for a new one
 * @size: its new bytes
 *
 * An array in a file keeps its start. Return: the array, or NULL without
 * memory, @p then as it was.
 */
void *strmap_realloc(void *p, size_t size)
{
	struct strmap *m;
	int err = 0;

	if (!p)
		return strmap_alloc(size);
	pthread_mutex_lock(&strmap_lock);
	m = strmap_find(p);
	if (m && size > m->mapped)
		err = strmap_map(m, size);
	pthread_mutex_unlock(&strmap_lock);
	if (m)
		return err ? NULL : p;
	return realloc(p, size ? size : 1);
}

/* The file of @p, or -1 for an array in memory. */
static int strmap_fd(const void *p)
{
	struct strmap *m;
	int fd = -1;

	pthread_mutex_lock(&strmap_lock);
	m = strmap_find(p);
	if (m)
		fd = m->fd;
	pthread_mutex_unlock(&strmap_lock);
	return fd;
}

/*
 * Write (@write) or read @len bytes of @buf at byte @off of file @fd,
 * whole: 0, or a negative errno (-EIO for a short end).
 */
static int strmap_io(int fd, void *buf, size_t len, size_t off, bool write)
{
	while (len) {
		ssize_t n = write ? pwrite(fd, buf, len, off) :
				    pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf = (char *)buf + n;
		off += n;
		len -= n;
	}
	return 0;
}

/**
 * strmap_write() - write part of an array of strmap_alloc()
 * @p: the array
 * @off: the byte to write from
 * @buf: what to write
 * @len: its bytes; @off + @len is within the array's size
 *
 * An array in a file is written through the file: a page written so
 * does not fault into the mapping, which a first write through it would,
 * one page at a time. Return: 0, or a negative errno.
 */
int strmap_write(void *p, size_t off, const void *buf, size_t len)
{
	int fd = strmap_fd(p);

	if (fd < 0) {
		memcpy((char *)p + off, buf, len);
		return 0;
	}
	return strmap_io(fd, (void *)buf, len, off, true);
}

/**
 * strmap_read() - read part of an array of strmap_alloc()
 * @p: the array
 * @off: the byte to read from
 * @buf: where to
 * @len: its bytes; @off + @len is within the array's size
 *
 * An array in a file is read through the file, as strmap_write() writes.
 * Return: 0, or a negative errno.
 */
int strmap_read(const void *p, size_t off, void *buf, size_t len)
{
	int fd = strmap_fd(p);

	if (fd < 0) {
		memcpy(buf, (const char *)p + off, len);
		return 0;
	}
	return strmap_io(fd, buf, len, off, false);
}

/**
 * strmap_free() - free an array of strmap_alloc()
 * @p: the array, or NULL
 */
void strmap_free(void *p)
{
	struct strmap *m, gone = { .fd = -1 };

	pthread_mutex_lock(&strmap_lock);
	m = strmap_find(p);
	if (m) {
		gone = *m;
		memset(m, 0, sizeof(*m));
	}
	pthread_mutex_unlock(&strmap_lock);
	if (!gone.base) {
		free(p);
		return;
	}
	munmap(gone.base, STRMAP_RESERVE);
	close(gone.fd);
}

/**
 * strmap_drop() - take part of an array out of the process's memory
 * @p: the array, of strmap_alloc()
 * @from: its first byte not needed soon
 * @to: the byte after the last
 *
 * The whole pages in that range leave the process's memory, their data
 * kept in the file. Does nothing for an array in memory.
 */
void strmap_drop(const void *p, size_t from, size_t to)
{
	long page = sysconf(_SC_PAGESIZE);
	bool in_file;

	pthread_mutex_lock(&strmap_lock);
	in_file = strmap_find(p);
	pthread_mutex_unlock(&strmap_lock);
	from = (from + page - 1) / page * page;
	to = to / page * page;
	if (in_file && from < to)
		madvise((char *)p + from, to - from, MADV_DONTNEED);
}
