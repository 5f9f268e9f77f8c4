// SPDX-License-Identifier: GPL-2.0
/*
 * Program text through swaplab: with SWAPLAB_PRELOAD_TEXT=1 (`swaplab run
 * --text`), at load the library maps every executable mapping of a file
 * that the process has (the program's text, the shared libraries', the
 * dynamic loader's) again from a private region of the same file
 * (SWAPLAB_IOC_FILE with SWAPLAB_FILE_PRIVATE), read-only and executable,
 * and moves it over the kernel's mapping with mremap(), so that the
 * addresses stay. The text then pages as the textbook has it: each page
 * read from the executable at its first touch, dropped without a write
 * under pressure and read back from the file, under swaplab's budget and
 * policy, as a page of program text (SWAPLAB_FRAME_FILE and
 * SWAPLAB_FRAME_EXEC).
 *
 * The bytes are the file's, so the code that runs during the move,
 * this library's and glibc's mmap() and mremap(), runs on from the new
 * mapping as from the old. A text mapping whose bytes are not the
 * file's, a library with text relocations (DT_TEXTREL, which Debian
 * builds none of), would break: it is not looked for. A file the module
 * refuses (tmpfs, an initramfs, a file system without direct I/O:
 * EINVAL), or one on a noexec mount, keeps the kernel's mapping, and so
 * does one whose path now names another file than the one mapped.
 * Libraries loaded later (dlopen()) are not moved.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <swaplab.h>

#include "preload/preload.h"

/* Executable mappings of files looked at, at most. */
#define TEXT_MAX	64

struct text_map {
	uintptr_t start, end;
	uint64_t off;
	unsigned int major, minor;
	uint64_t ino;
	char path[256];
};

/*
 * The executable private mappings of files in /proc/self/maps, into
 * @out; how many. Without malloc, and read whole before anything moves.
 */
static int text_find(struct text_map *out, int max)
{
	static char buf[65536];
	size_t have = 0;
	char *line, *next;
	int fd, n = 0;
	long r;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (have < sizeof(buf) - 1 &&
	       (r = syscall(SYS_read, fd, buf + have,
			    sizeof(buf) - 1 - have)) > 0)
		have += r;
	close(fd);
	buf[have] = '\0';
	for (line = buf; line && *line && n < max; line = next) {
		unsigned long start, end, off, ino;
		unsigned int major, minor;
		char perms[8], *path;
		int pos = 0;

		/* A line the buffer cut short names a path it cut too. */
		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &start, &end,
			   perms, &off, &major, &minor, &ino, &pos) != 7 ||
		    !pos)
			continue;
		path = line + pos;
		if (strcmp(perms, "r-xp") || path[0] != '/' ||
		    strlen(path) >= sizeof(out[n].path) ||
		    strstr(path, " (deleted)"))
			continue;
		out[n].start = start;
		out[n].end = end;
		out[n].off = off;
		out[n].major = major;
		out[n].minor = minor;
		out[n].ino = ino;
		memcpy(out[n].path, path, strlen(path) + 1);
		n++;
	}
	return n;
}

/* Move one text mapping onto a region of its file; true if it moved. */
static bool text_move(const struct text_map *t, const char *device)
{
	size_t len = t->end - t->start;
	struct swaplab_file_map fm = {
		.flags = SWAPLAB_FILE_PRIVATE | SWAPLAB_FILE_CLOEXEC,
		.offset = t->off, .length = len,
	};
	struct stat sb;
	int dev, rfd;
	void *p;

	fm.fd = open(t->path, O_RDONLY | O_CLOEXEC);
	if (fm.fd < 0)
		return false;
	/* The file mapped, not another that took its name since. */
	if (fstat(fm.fd, &sb) || sb.st_ino != t->ino ||
	    major(sb.st_dev) != t->major || minor(sb.st_dev) != t->minor) {
		close(fm.fd);
		return false;
	}
	dev = open(device, O_RDWR | O_CLOEXEC);
	rfd = dev < 0 ? -1 : ioctl(dev, SWAPLAB_IOC_FILE, &fm);
	if (dev >= 0)
		close(dev);
	close(fm.fd);
	if (rfd < 0)
		return false;
	p = (void *)syscall(SYS_mmap, NULL, len, PROT_READ | PROT_EXEC,
			    MAP_SHARED, rfd, 0);
	close(rfd);
	if (p == MAP_FAILED)
		return false;
	if ((void *)syscall(SYS_mremap, p, len, len,
			    MREMAP_MAYMOVE | MREMAP_FIXED,
			    (void *)t->start) == MAP_FAILED) {
		syscall(SYS_munmap, p, len);
		return false;
	}
	return true;
}

/**
 * preload_text_move() - serve the process's text from regions of files
 * @device: the device to open
 *
 * Return: the number of text mappings moved onto regions.
 */
unsigned long preload_text_move(const char *device)
{
	static struct text_map maps[TEXT_MAX];
	unsigned long moved = 0;
	int n = text_find(maps, TEXT_MAX);

	for (int i = 0; i < n; i++)
		moved += text_move(&maps[i], device);
	return moved;
}
