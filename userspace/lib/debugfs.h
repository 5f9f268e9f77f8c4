/* SPDX-License-Identifier: GPL-2.0 */
/* Reading swaplab's debugfs tables: regions, processes, fault latency, metadata. */
#ifndef SWAPLAB_DEBUGFS_H
#define SWAPLAB_DEBUGFS_H

#include <stdint.h>

#include <swaplab.h>

#include "lib/sysfs.h"

#define SWAPLAB_DEBUGFS "/sys/kernel/debug/swaplab"

/* The kinds of fault timed: minor, zero-fill, major. */
#define LAT_KINDS 3

/**
 * struct latency - the fault handler's latency histogram of one kind
 * @n: buckets read
 * @low: each bucket's lower bound, in ns
 * @count: faults in each bucket
 * @total: faults in all buckets
 */
struct latency {
	int n;
	uint64_t low[256];
	uint64_t count[256];
	uint64_t total;
};

/* Read the fault latency histograms, one a kind; 0, or -1 without debugfs. */
int debugfs_latency(struct latency lat[LAT_KINDS]);
/*
 * The latency below which a fraction @q of the faults fall: the middle
 * of the bucket that holds it. A bucket is a quarter of an octave wide,
 * so the figure is within 12% of the truth.
 */
double latency_quantile(const struct latency *l, double q);

/**
 * struct region_row - a row of the debugfs regions table
 */
struct region_row {
	uint64_t id, size, resident, swapped, pinned, faults, major, nodes;
	uint64_t bytes;
	uint64_t proc;		/* 0 from a module without the column */
	char name[4 * SWAPLAB_NAME_MAX];	/* escaped: 4 characters a byte */
};

/* Read up to @max rows; the number read, or -1 without debugfs. */
int debugfs_regions(struct region_row *rows, int max);

/**
 * struct proc_row - a row of the debugfs procs table: a process that
 * regions are charged to
 */
struct proc_row {
	uint64_t id, regions, charged, faults, major, mapped;
	int64_t pid;		/* 0: outside the reader's pid namespace */
	int64_t alloc;		/* frames it may hold; -1: no limit (global) */
	uint64_t deacts;	/* times load control deactivated it */
	uint64_t deact_ms;	/* time it spent deactivated */
	uint64_t ws;		/* working-set estimate, pages */
	uint64_t fault_rate;	/* faults per 1000 pages referenced */
	uint64_t weight;	/* 100 by default (SWAPLAB_IOC_SET_WEIGHT) */
	char state[16];		/* live, inactive or exited */
};

/* Read up to @max rows; the number read, or -1 without the table. */
int debugfs_procs(struct proc_row *rows, int max);
/* The debugfs metadata file's lines, by name; -1 without debugfs. */
int debugfs_metadata(struct stat_set *s);

#endif /* SWAPLAB_DEBUGFS_H */
