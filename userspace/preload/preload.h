/* SPDX-License-Identifier: GPL-2.0 */
/* What libswaplab-preload.so (preload.c) takes from glibc. */
#ifndef SWAPLAB_PRELOAD_H
#define SWAPLAB_PRELOAD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * glibc's own allocator, which it exports for a replacement malloc to
 * fall back on: libswaplab-preload.so (preload.c) serves small requests
 * with it.
 */
void *__libc_malloc(size_t size);
void __libc_free(void *ptr);
void *__libc_calloc(size_t nmemb, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t align, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);

/*
 * The program's own I/O on files it may map, which fileio.c hands to
 * preload.c's served mappings of those files.
 */
void preload_file_written(int fd, off_t off, size_t len);
void preload_file_read(int fd, off_t off, void *buf, size_t len);
int preload_file_sync(int fd);

/* The process's text from regions of its files (text.c). */
unsigned long preload_text_move(const char *device);

#endif /* SWAPLAB_PRELOAD_H */
