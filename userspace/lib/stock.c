// SPDX-License-Identifier: GPL-2.0
/*
 * The stock kernel's side of `swaplab compare`: anonymous memory in a
 * cgroup v2 whose memory.max is the budget, swapping to a swap file,
 * with the classic LRU or with MGLRU; and stock_restore(), which puts
 * the machine back with async-signal-safe calls only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <unistd.h>

#include "lib/stock.h"
#include "lib/sysfs.h"

/* Whatever was changed for the stock kernel, to put back at the end. */
static struct {
	char lru_gen[32];
	bool have_lru_gen;
	char swappiness[32];
	bool have_swappiness;
	char swapfile[4096];
	bool swap_on;
	bool cgroup;		/* made STOCK_CGROUP */
	bool memory_on;		/* turned on the memory controller */
} saved;

const char *stock_lru_gen_save(void)
{
	saved.have_lru_gen = !read_file(STOCK_LRU_GEN, saved.lru_gen,
					sizeof(saved.lru_gen));
	saved.lru_gen[strcspn(saved.lru_gen, "\n")] = '\0';
	return stock_lru_gen();
}

const char *stock_lru_gen(void)
{
	return saved.have_lru_gen ? saved.lru_gen : NULL;
}

int stock_lru_gen_set(const char *setting)
{
	return saved.have_lru_gen ? write_file(STOCK_LRU_GEN, setting) : 0;
}

int stock_swappiness_set(unsigned int val)
{
	char v[16];

	if (!saved.have_swappiness) {
		int err = read_file(STOCK_SWAPPINESS, saved.swappiness,
				    sizeof(saved.swappiness));

		if (err)
			return err;
		saved.swappiness[strcspn(saved.swappiness, "\n")] = '\0';
		saved.have_swappiness = true;
	}
	snprintf(v, sizeof(v), "%u", val);
	return write_file(STOCK_SWAPPINESS, v);
}

/* OOM kills in the comparison's cgroup so far (memory.events). */
long stock_oom_kills(void)
{
	char buf[1024], *p;

	if (read_file(STOCK_CGROUP "/memory.events", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "oom_kill ");
	return p ? strtol(p + 9, NULL, 10) : -1;
}

uint64_t stock_vmstat(const char *name)
{
	char line[128], key[64];
	uint64_t v, found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %" SCNu64, key, &v) == 2 &&
		    !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

int stock_cgroup_charged(uint64_t *bytes)
{
	static const char * const keys[] = { "anon", "file", "kernel" };
	char line[128], key[64];
	unsigned int found = 0;
	uint64_t v, sum = 0;
	FILE *f = fopen(STOCK_CGROUP "/memory.stat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %" SCNu64, key, &v) != 2)
			continue;
		for (unsigned int i = 0; i < ARRAY_SIZE(keys); i++) {
			if (!strcmp(key, keys[i])) {
				sum += v;
				found |= 1u << i;
			}
		}
	}
	fclose(f);
	if (found != (1u << ARRAY_SIZE(keys)) - 1)
		return -1;
	*bytes = sum;
	return 0;
}

/* The swap header mkswap writes: version 1, no bad pages, no label. */
static int write_swap_header(int fd, uint64_t bytes, long page_size)
{
	uint8_t *page = calloc(1, page_size);
	uint32_t *info;
	int err = 0;

	if (!page)
		return -ENOMEM;
	info = (uint32_t *)(page + 1024);
	info[0] = 1;					/* version */
	info[1] = bytes / page_size - 1;		/* last_page */
	memcpy(page + page_size - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, page, page_size, 0) != page_size)
		err = -errno;
	free(page);
	return err;
}

int stock_swap(const char *path, uint64_t bytes, long page_size)
{
	char buf[4096];
	int fd, err;

	if (!read_file("/proc/swaps", buf, sizeof(buf)) && strchr(buf, '\n') &&
	    strchr(strchr(buf, '\n') + 1, '\n'))
		return 0;
	if (!path) {
		fprintf(stderr, "swaplab: compare: the stock kernel has no swap: give --swapfile PATH\n");
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		fprintf(stderr, "swaplab: compare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Written, not fallocated: swapon wants every block allocated. */
	memset(buf, 0, sizeof(buf));
	err = 0;
	for (uint64_t off = 0; off < bytes && !err; off += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			err = -errno;
	if (!err)
		err = write_swap_header(fd, bytes, page_size);
	if (!err && fsync(fd))
		err = -errno;
	close(fd);
	if (!err && swapon(path, 0))
		err = -errno;
	if (err) {
		fprintf(stderr, "swaplab: compare: swap file %s: %s\n", path,
			strerror(-err));
		unlink(path);
		return -1;
	}
	snprintf(saved.swapfile, sizeof(saved.swapfile), "%s", path);
	saved.swap_on = true;
	return 0;
}

int stock_cgroup(void)
{
	char buf[256];

	if (read_file(STOCK_CGROUP_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory")) {
		fprintf(stderr, "swaplab: compare: no cgroup v2 memory controller at %s\n",
			STOCK_CGROUP_ROOT);
		return -1;
	}
	if (read_file(STOCK_CGROUP_ROOT "/cgroup.subtree_control", buf,
		      sizeof(buf)))
		buf[0] = '\0';
	saved.memory_on = !strstr(buf, "memory");
	if (saved.memory_on &&
	    write_file(STOCK_CGROUP_ROOT "/cgroup.subtree_control", "+memory")) {
		saved.memory_on = false;
		fprintf(stderr, "swaplab: compare: cannot enable the memory controller\n");
		return -1;
	}
	/* Someone else's cgroup of that name is not ours to use or remove. */
	if (mkdir(STOCK_CGROUP, 0755)) {
		fprintf(stderr, "swaplab: compare: cannot make %s: %s\n",
			STOCK_CGROUP, strerror(errno));
		return -1;
	}
	saved.cgroup = true;
	write_file(STOCK_CGROUP "/memory.swap.max", "max");
	return 0;
}

void stock_restore(void)
{
	int err = errno;

	if (saved.have_lru_gen)
		write_file(STOCK_LRU_GEN, saved.lru_gen);
	if (saved.have_swappiness)
		write_file(STOCK_SWAPPINESS, saved.swappiness);
	if (saved.cgroup)
		rmdir(STOCK_CGROUP);
	if (saved.memory_on)
		write_file(STOCK_CGROUP_ROOT "/cgroup.subtree_control", "-memory");
	if (saved.swap_on) {
		swapoff(saved.swapfile);
		unlink(saved.swapfile);
	}
	errno = err;
}
