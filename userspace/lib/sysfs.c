// SPDX-License-Identifier: GPL-2.0
/* Reading and writing swaplab's sysfs files; opening a region. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/sysfs.h"

int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

int read_stats(struct stat_set *s)
{
	char buf[8192], *line, *save;
	int err;

	s->n = 0;
	err = read_file(SWAPLAB_SYSFS "/stat", buf, sizeof(buf));
	if (err)
		return err;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* More counters than this build knows room for: say so. */
		if (s->n == MAX_STATS)
			return -EOVERFLOW;
		if (sscanf(line, "%31s %" SCNu64, s->name[s->n],
			   &s->value[s->n]) == 2)
			s->n++;
	}
	return 0;
}

uint64_t stat_value(const struct stat_set *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->value[i];
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		fallthrough;
	case 'M': case 'm':
		v <<= 10;
		fallthrough;
	case 'K': case 'k':
		v <<= 10;
		end++;
		break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* Read a numeric knob; 0 if it cannot be read. */
unsigned long knob_ulong(const char *name)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, name);
	return read_file(path, buf, sizeof(buf)) ? 0 : strtoul(buf, NULL, 10);
}

/*
 * Record mode for a region of ours, as libswaplab-preload.so sets it:
 * SWAPLAB_PRELOAD_RECORD=N is the window (1 to 16), with the tag of
 * SWAPLAB_PRELOAD_RECORD_TAG. 0 if not asked for or set, else -1 with a
 * message.
 */
static int region_record(int fd)
{
	const char *s = getenv("SWAPLAB_PRELOAD_RECORD");
	uint64_t win, tag = 0;
	__u32 arg;

	if (!s || !*s)
		return 0;
	if (parse_size(s, &win) || !win || win > SWAPLAB_RECORD_WINDOW_MAX) {
		fprintf(stderr, "swaplab: SWAPLAB_PRELOAD_RECORD=%s: a window of 1 to %d pages\n",
			s, SWAPLAB_RECORD_WINDOW_MAX);
		return -1;
	}
	s = getenv("SWAPLAB_PRELOAD_RECORD_TAG");
	if (s && *s && (parse_size(s, &tag) || tag > SWAPLAB_RECORD_TAG_MAX)) {
		fprintf(stderr, "swaplab: SWAPLAB_PRELOAD_RECORD_TAG=%s: out of range\n", s);
		return -1;
	}
	arg = win | (__u32)tag << SWAPLAB_RECORD_TAG_SHIFT;
	if (ioctl(fd, SWAPLAB_IOC_RECORD, &arg)) {
		perror("swaplab: record mode");
		return -1;
	}
	return 0;
}

/*
 * Open /dev/swaplab and map @bytes of the new region, in record mode if
 * the environment asks for it; NULL on error.
 */
/* Map region @fd, in record mode if asked, as region_map_at() does. */
static uint8_t *region_fd_map(int fd, void *addr, uint64_t bytes, int prot,
			      int *fdp)
{
	uint8_t *map;

	if (region_record(fd)) {
		close(fd);
		return NULL;
	}
	map = mmap(addr, bytes, prot, MAP_SHARED | (addr ? MAP_FIXED : 0),
		   fd, 0);
	if (map == MAP_FAILED) {
		perror("swaplab: mmap");
		close(fd);
		return NULL;
	}
	*fdp = fd;
	return map;
}

uint8_t *region_map_at(void *addr, uint64_t bytes, int *fdp)
{
	int fd;

	fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (fd < 0) {
		perror("swaplab: " SWAPLAB_DEVICE);
		return NULL;
	}
	return region_fd_map(fd, addr, bytes, PROT_READ | PROT_WRITE, fdp);
}

uint8_t *region_map(uint64_t bytes, int *fdp)
{
	return region_map_at(NULL, bytes, fdp);
}

/* Write @bytes of zeroes to @fd and sync it; 0 or -errno. */
static int zero_file(int fd, uint64_t bytes)
{
	static const char zero[65536];
	uint64_t done = 0;

	while (done < bytes) {
		size_t n = bytes - done < sizeof(zero) ? bytes - done :
							 sizeof(zero);
		ssize_t w = pwrite(fd, zero, n, (off_t)done);

		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		done += w;
	}
	return fsync(fd) ? -errno : 0;
}

int zero_file_in(const char *dir, uint64_t bytes)
{
	char path[PATH_MAX], store[PATH_MAX];
	int fd, err;

	if (!dir) {
		char *slash;

		if (knob_read("swapfile", store, sizeof(store)) || !store[0]) {
			fprintf(stderr, "swaplab: no swap file to put the mapped file beside: name a directory (--file-dir)\n");
			return -1;
		}
		slash = strrchr(store, '/');
		if (slash)
			*slash = '\0';
		dir = slash && store[0] ? store : slash ? "/" : ".";
	}
	if (snprintf(path, sizeof(path), "%s/swaplab-mapped.XXXXXX", dir) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "swaplab: %s: %s\n", dir, strerror(ENAMETOOLONG));
		return -1;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(errno));
		return -1;
	}
	unlink(path);
	err = zero_file(fd, bytes);
	if (err) {
		fprintf(stderr, "swaplab: %s: %s\n", path, strerror(-err));
		close(fd);
		return -1;
	}
	return fd;
}

uint8_t *file_region_map_at(void *addr, uint64_t bytes, const char *dir,
			    bool exec, int *fdp)
{
	struct swaplab_file_map fm = { .length = bytes };
	int fd, dev, rfd, err = 0;

	fd = zero_file_in(dir, bytes);
	if (fd < 0)
		return NULL;
	dev = open(SWAPLAB_DEVICE, O_RDWR);
	if (dev < 0)
		err = -errno;
	fm.fd = fd;
	rfd = err ? -1 : ioctl(dev, SWAPLAB_IOC_FILE, &fm);
	if (!err && rfd < 0)
		err = -errno;
	if (dev >= 0)
		close(dev);
	close(fd);
	if (err) {
		fprintf(stderr, "swaplab: a region of a file: %s\n",
			strerror(-err));
		return NULL;
	}
	return region_fd_map(rfd, addr, bytes,
			     PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0),
			     fdp);
}

int write_file(const char *path, const char *val)
{
	ssize_t len = strlen(val), n;
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n != len)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

int knob_read(const char *name, char *buf, size_t size)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, name);
	err = read_file(path, buf, size);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

int knob_write(const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", SWAPLAB_SYSFS, name);
	return write_file(path, val);
}

int need_module(void)
{
	if (access(SWAPLAB_SYSFS, F_OK)) {
		fprintf(stderr, "swaplab: module not loaded (no %s)\n",
			SWAPLAB_SYSFS);
		return -1;
	}
	return 0;
}
