// SPDX-License-Identifier: GPL-2.0
/*
 * The file I/O calls that must see a shared mapping of the same file,
 * and be seen by it, for fileio_test.sh: it runs this program as it is
 * and under `swaplab run`, where the library serves the mapping from a
 * region of the file and hands the program's own I/O on to it
 * (userspace/preload/fileio.c). The stock kernel's page cache is the
 * model: both runs must print the same lines.
 *
 *	fileio_prog FILE
 *
 * FILE is made afresh: 2 MiB and 100 bytes of a pattern, mapped shared
 * for 4 MiB (the pages past the end are valid once the file reaches
 * them); the page that holds the end is read first, so that the appends
 * land in a resident page. Each line is one case and a checksum of the
 * bytes it reads:
 *  - write() and pwrite() on an O_APPEND descriptor (both write at the
 *    end, whatever the offset) and pwritev2(RWF_APPEND), read through the
 *    mapping where the file grew;
 *  - writev() at the descriptor's offset, read through the mapping;
 *  - bytes stored through the mapping, read back by readv(), preadv(),
 *    preadv2() and read() into a fixed array (read() becomes
 *    __read_chk() with _FORTIFY_SOURCE), and pread() (__pread_chk());
 *  - a second file, FILE.2, mapped read-only, made writable by
 *    mprotect(), bytes stored through it read back by pread();
 *  - pwrite() from a SIGALRM handler while the program writes with
 *    pwrite() in a loop: it must finish (no deadlock in the library).
 * Exits 0 when every call succeeded, 1 otherwise.
 */
#define _GNU_SOURCE
/* read() and pread() into arrays become __read_chk() and __pread_chk(). */
#undef _FORTIFY_SOURCE
#define _FORTIFY_SOURCE 2
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define FILE_SIZE	(2 << 20)
#define MAP_SIZE	(4 << 20)
#define CHUNK		4096
/* The file ends this far into a page, which the mapping holds resident. */
#define TAIL		100

static int failed;
static int handler_writes;
static int alarm_fd;
/* Not static: its value is unknown to the compiler, as fortify needs. */
size_t fileio_count = CHUNK;

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAILED: %s\n", what);
		failed = 1;
	}
}

static void case_line(const char *name, const void *p, size_t n)
{
	printf("%s %016llx\n", name, (unsigned long long)fnv(p, n));
}

static void on_alarm(int sig)
{
	char b = 'h';

	(void)sig;
	if (pwrite(alarm_fd, &b, 1, 3 * CHUNK + 1) == 1)
		__atomic_add_fetch(&handler_writes, 1, __ATOMIC_RELAXED);
}

int main(int argc, char **argv)
{
	static char pat[CHUNK], buf[CHUNK], a[CHUNK / 2], b[CHUNK / 2];
	char path2[4096];
	unsigned char *m2;
	int fd2;
	struct iovec iov[2];
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	unsigned char *m;
	int fd, afd;
	off_t end;
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: fileio_prog FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	for (int i = 0; i < CHUNK; i++)
		pat[i] = 'a' + i % 26;
	for (off_t o = 0; o < FILE_SIZE; o += CHUNK)
		check(pwrite(fd, pat, CHUNK, o) == CHUNK, "fill");
	check(pwrite(fd, pat, TAIL, FILE_SIZE) == TAIL, "fill the tail");
	m = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	case_line("mapped", m, FILE_SIZE + TAIL);

	/* O_APPEND: write() and pwrite() at 0 both land at the end. */
	afd = open(argv[1], O_WRONLY | O_APPEND);
	check(afd >= 0, "open O_APPEND");
	memset(buf, 'A', CHUNK);
	check(write(afd, buf, CHUNK) == CHUNK, "append write");
	memset(buf, 'P', CHUNK);
	check(pwrite(afd, buf, CHUNK, 0) == CHUNK, "append pwrite");
	memset(buf, 'R', CHUNK);
	iov[0] = (struct iovec){ buf, CHUNK };
	check(pwritev2(fd, iov, 1, 0, RWF_APPEND) == CHUNK, "pwritev2 RWF_APPEND");
	end = lseek(fd, 0, SEEK_END);
	check(end == FILE_SIZE + TAIL + 3 * CHUNK, "size after the appends");
	case_line("append", m + FILE_SIZE, TAIL + 3 * CHUNK);
	case_line("append-start", m, CHUNK);

	/* writev() at the descriptor's offset. */
	memset(a, 'V', sizeof(a));
	memset(b, 'W', sizeof(b));
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ b, sizeof(b) };
	check(lseek(fd, 2 * CHUNK + 100, SEEK_SET) == 2 * CHUNK + 100, "lseek");
	check(writev(fd, iov, 2) == CHUNK, "writev");
	case_line("writev", m + 2 * CHUNK, 2 * CHUNK);

	/* Stores through the mapping, read by every kind of read. */
	memset(m + 4 * CHUNK, 'M', CHUNK);
	memset(m + 5 * CHUNK + 7, 'N', CHUNK);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	check(lseek(fd, 4 * CHUNK + 1000, SEEK_SET) == 4 * CHUNK + 1000, "lseek");
	check(readv(fd, iov, 2) == CHUNK, "readv");
	case_line("readv", a, sizeof(a));
	case_line("readv2", b, sizeof(b));
	memset(a, 0, sizeof(a));
	check(preadv(fd, iov, 1, 5 * CHUNK) == sizeof(a), "preadv");
	case_line("preadv", a, sizeof(a));
	memset(a, 0, sizeof(a));
	check(preadv2(fd, iov, 1, 5 * CHUNK + 2048, 0) == sizeof(a), "preadv2");
	case_line("preadv2", a, sizeof(a));
	/* A count the compiler cannot know: the fortified calls. */
	n = fileio_count;
	memset(buf, 0, sizeof(buf));
	check(lseek(fd, 5 * CHUNK, SEEK_SET) == 5 * CHUNK, "lseek");
	check(read(fd, buf, n) == (ssize_t)n, "read");
	case_line("read", buf, n);
	memset(buf, 0, sizeof(buf));
	check(pread(fd, buf, n, 4 * CHUNK + 3) == (ssize_t)n, "pread");
	case_line("pread", buf, n);

	/* A read-only mapping made writable: reads see its stores. */
	snprintf(path2, sizeof(path2), "%s.2", argv[1]);
	fd2 = open(path2, O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd2 >= 0, "open FILE.2");
	check(ftruncate(fd2, FILE_SIZE / 2) == 0, "size FILE.2");
	m2 = mmap(NULL, FILE_SIZE / 2, PROT_READ, MAP_SHARED, fd2, 0);
	check(m2 != MAP_FAILED, "mmap FILE.2");
	check(mprotect(m2, FILE_SIZE / 2, PROT_READ | PROT_WRITE) == 0,
	      "mprotect");
	memset(m2 + 7 * CHUNK, 'Q', CHUNK);
	memset(buf, 0, sizeof(buf));
	check(pread(fd2, buf, n, 7 * CHUNK + 5) == (ssize_t)n, "pread FILE.2");
	case_line("mprotect", buf, n);
	check(munmap(m2, FILE_SIZE / 2) == 0, "munmap FILE.2");
	close(fd2);

	/* pwrite() in a signal handler while the program is in pwrite(). */
	alarm_fd = fd;
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 20000 &&
	     __atomic_load_n(&handler_writes, __ATOMIC_RELAXED) < 50; i++) {
		char c = 'l';

		check(pwrite(fd, &c, 1, 3 * CHUNK) == 1, "pwrite in the loop");
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("signal %s\n", __atomic_load_n(&handler_writes, __ATOMIC_RELAXED) ?
	       "handled" : "not-handled");

	close(afd);
	check(munmap(m, MAP_SIZE) == 0, "munmap");
	close(fd);
	return failed;
}
