// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a file that may be zstd-compressed. A zstd file starts with
 * the frame magic (28 b5 2f fd) or with a skippable frame's (50 2a 4d 18
 * to 5f 2a 4d 18), as pzstd's does: it puts one before each frame, the
 * size of that frame. One that does is read through a stream (glibc's
 * fopencookie()) that decompresses as it is read, frame after frame,
 * skippable frames skipped, in memory bounded by its buffers, so a
 * reader of the plain file reads the compressed one unchanged. A corrupt
 * frame, a skippable one followed by bytes that are no frame, or a file
 * that ends inside a frame, is a read error: the stream's error flag is set,
 * and @why names the byte of the compressed file where decompression
 * stopped. A file that is not compressed is read as it is: put back to
 * its start if it can be, or, a pipe, through a stream that first gives
 * back the bytes looked at.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zstd.h>

#include "lib/zfile.h"

/**
 * struct zfile_state - a file being read
 * @z: its zfile, for @why
 * @raw: the file itself
 * @ds: the decompression, NULL when the file is not compressed
 * @in: the compressed bytes read and not yet decompressed
 * @buf: room for them
 * @cap: its size
 * @at: the compressed bytes before those of @buf
 * @left: ZSTD_decompressStream()'s last answer: 0 at a frame's end
 * @head: the first bytes of the file, looked at to tell its kind
 * @nhead: how many there are
 * @given: how many of them a plain stream has given back
 */
struct zfile_state {
	struct zfile *z;
	FILE *raw;
	ZSTD_DStream *ds;
	ZSTD_inBuffer in;
	unsigned char *buf;
	size_t cap;
	unsigned long long at;
	size_t left;
	unsigned char head[4];
	size_t nhead;
	size_t given;
};

/* A read failed: say why, and fail the read with EIO. */
static ssize_t zfile_fail(struct zfile_state *s, const char *what,
			  unsigned long long at)
{
	snprintf(s->z->why, sizeof(s->z->why), "%s, at byte %llu", what, at);
	errno = EIO;
	return -1;
}

/*
 * Do the first four bytes of a file, @head, open a zstd frame or a
 * skippable one? The streaming decompressor skips the latter.
 */
static bool zfile_magic(const unsigned char *head)
{
	unsigned int magic = head[0] | head[1] << 8 | head[2] << 16 |
			     (unsigned int)head[3] << 24;

	return magic == ZSTD_MAGICNUMBER ||
	       (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

static ssize_t zfile_zread(void *cookie, char *out, size_t size)
{
	struct zfile_state *s = cookie;
	ZSTD_outBuffer ob = { out, size, 0 };
	size_t n, r;

	while (!ob.pos) {
		if (s->in.pos == s->in.size) {
			s->at += s->in.size;
			n = fread(s->buf, 1, s->cap, s->raw);
			if (!n && ferror(s->raw))
				return zfile_fail(s, strerror(errno), s->at);
			if (!n && s->left)
				return zfile_fail(s, "zstd: the file ends inside a frame",
						  s->at);
			if (!n)
				return 0;
			s->in = (ZSTD_inBuffer){ s->buf, n, 0 };
		}
		r = ZSTD_decompressStream(s->ds, &ob, &s->in);
		if (ZSTD_isError(r)) {
			char what[96];

			snprintf(what, sizeof(what), "zstd: %s",
				 ZSTD_getErrorName(r));
			return zfile_fail(s, what, s->at + s->in.pos);
		}
		s->left = r;
	}
	return ob.pos;
}

static ssize_t zfile_pread(void *cookie, char *out, size_t size)
{
	struct zfile_state *s = cookie;
	size_t n;

	if (s->given < s->nhead) {
		n = s->nhead - s->given < size ? s->nhead - s->given : size;
		memcpy(out, s->head + s->given, n);
		s->given += n;
		return n;
	}
	n = fread(out, 1, size, s->raw);
	if (!n && ferror(s->raw))
		return zfile_fail(s, strerror(errno), 0);
	return n;
}

static void zfile_free(struct zfile_state *s)
{
	if (s->raw && s->raw != stdin)
		fclose(s->raw);
	ZSTD_freeDStream(s->ds);
	free(s->buf);
	free(s);
}

static int zfile_cclose(void *cookie)
{
	zfile_free(cookie);
	return 0;
}

/**
 * zfile_open() - open a file for reading, compressed or not
 * @z: set up to read it (@z->f)
 * @path: the file, or "-" for standard input
 *
 * Return: 0, or a negative errno (nothing to close).
 */
int zfile_open(struct zfile *z, const char *path)
{
	cookie_io_functions_t io = { .close = zfile_cclose };
	struct zfile_state *s = calloc(1, sizeof(*s));
	int err;

	memset(z, 0, sizeof(*z));
	if (!s)
		return -ENOMEM;
	s->z = z;
	s->raw = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!s->raw) {
		err = -errno;
		free(s);
		return err;
	}
	s->nhead = fread(s->head, 1, sizeof(s->head), s->raw);
	if (ferror(s->raw)) {
		err = -errno;
		goto fail;
	}
	z->compressed = s->nhead == 4 && zfile_magic(s->head);
	/* Plain, and put back to its start: read as it is. */
	if (!z->compressed && !fseek(s->raw, 0, SEEK_SET)) {
		z->f = s->raw;
		z->st = s;
		return 0;
	}
	io.read = zfile_pread;
	if (z->compressed) {
		s->cap = ZSTD_DStreamInSize();
		s->buf = malloc(s->cap);
		s->ds = ZSTD_createDStream();
		err = -ENOMEM;
		if (!s->buf || !s->ds || ZSTD_isError(ZSTD_initDStream(s->ds)))
			goto fail;
		memcpy(s->buf, s->head, s->nhead);
		s->in = (ZSTD_inBuffer){ s->buf, s->nhead, 0 };
		io.read = zfile_zread;
	}
	z->f = fopencookie(s, "r", io);
	err = -ENOMEM;
	if (!z->f)
		goto fail;
	setvbuf(z->f, NULL, _IOFBF, 1 << 16);
	z->st = s;
	return 0;
fail:
	zfile_free(s);
	return err;
}

/**
 * zfile_close() - close a file zfile_open() opened
 * @z: the file
 *
 * Return: 0, or -EIO if a read failed (@z->why says why).
 */
int zfile_close(struct zfile *z)
{
	int err = ferror(z->f) ? -EIO : 0;

	if (err && !z->why[0])
		snprintf(z->why, sizeof(z->why), "%s", strerror(EIO));
	if (z->f == z->st->raw)
		zfile_free(z->st);
	else
		fclose(z->f);
	z->f = NULL;
	z->st = NULL;
	return err;
}
