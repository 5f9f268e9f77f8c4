/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a file that may be zstd-compressed (zfile.c): the first bytes
 * tell, and a compressed file reads as what it holds.
 */
#ifndef SWAPLAB_ZFILE_H
#define SWAPLAB_ZFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct zfile_state;

/**
 * struct zfile - a file open for reading
 * @f: the stream to read: the file's bytes, decompressed if it is a zstd
 *	file
 * @compressed: it is
 * @why: once a read failed, what went wrong, naming the place in the file
 * @st: the decompression's state (zfile.c)
 */
struct zfile {
	FILE *f;
	bool compressed;
	char why[160];
	struct zfile_state *st;
};

int zfile_open(struct zfile *z, const char *path);
int zfile_close(struct zfile *z);

#endif /* SWAPLAB_ZFILE_H */
