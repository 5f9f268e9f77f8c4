/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and writing swaplab's sysfs files; opening a region. */
#ifndef SWAPLAB_SYSFS_H
#define SWAPLAB_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_STATS 128
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define fallthrough __attribute__((__fallthrough__))

/**
 * struct stat_set - "name value" lines, as in /sys/kernel/swaplab/stat
 * @n: lines read
 * @name: each line's name
 * @value: each line's value
 */
struct stat_set {
	int n;
	char name[MAX_STATS][32];
	uint64_t value[MAX_STATS];
};

/* Read a small file into @buf, NUL-terminated; 0 or -errno. */
int read_file(const char *path, char *buf, size_t size);
/* Write @val to @path; 0 or -errno (the kernel's refusal). */
int write_file(const char *path, const char *val);
/* Read /sys/kernel/swaplab/stat; 0 or -errno (-EOVERFLOW: over MAX_STATS). */
int read_stats(struct stat_set *s);
/* The value of line @name; 0 if there is none. */
uint64_t stat_value(const struct stat_set *s, const char *name);
/* A number with an optional K, M or G suffix; 0, or -1 if malformed. */
int parse_size(const char *s, uint64_t *out);
/* A numeric knob of /sys/kernel/swaplab; 0 if it cannot be read. */
unsigned long knob_ulong(const char *name);
/* Read knob @name into @buf without its newline; 0 or -errno. */
int knob_read(const char *name, char *buf, size_t size);
/* Write knob @name; 0 or -errno. */
int knob_write(const char *name, const char *val);
/* 0 if the module is loaded; else -1, with a message. */
int need_module(void);
/*
 * Open /dev/swaplab and map @bytes of a new region, in record mode if
 * SWAPLAB_PRELOAD_RECORD asks for it; NULL on error.
 */
uint8_t *region_map(uint64_t bytes, int *fdp);
/*
 * The same at @addr (MAP_FIXED, replacing what is there) when it is not
 * NULL.
 */
uint8_t *region_map_at(void *addr, uint64_t bytes, int *fdp);
/*
 * Map @bytes of a new region of a new file (SWAPLAB_IOC_FILE, shared),
 * as region_map_at() does: the file is made in @dir (NULL: the directory
 * of the store's swap file), written with zeroes, synced and unlinked; it
 * is mapped executable too if @exec. NULL on error, with a message.
 */
uint8_t *file_region_map_at(void *addr, uint64_t bytes, const char *dir,
			    bool exec, int *fdp);
/*
 * A new file of @bytes zeroes, synced and unlinked, in @dir (NULL: the
 * directory of the store's swap file): its descriptor, open for reading
 * and writing, or -1 with a message.
 */
int zero_file_in(const char *dir, uint64_t bytes);

#endif /* SWAPLAB_SYSFS_H */
