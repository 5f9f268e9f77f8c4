/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters (stat.c), which the stat file shows.
 */
#ifndef _SWAPLAB_STAT_H
#define _SWAPLAB_STAT_H

#include <linux/percpu.h>

enum swaplab_stat_item {
	SWAPLAB_FAULTS,
	SWAPLAB_MAJOR_FAULTS,
	SWAPLAB_ZERO_FILLS,
	SWAPLAB_SWAP_INS,
	SWAPLAB_SWAP_OUTS,
	SWAPLAB_EVICTIONS,
	SWAPLAB_CLEAN_EVICTIONS,
	SWAPLAB_DAEMON_WAKEUPS,
	SWAPLAB_DIRECT_RECLAIMS,
	SWAPLAB_ALLOC_STALLS,
	SWAPLAB_IO_ERRORS,
	SWAPLAB_SIGBUS,
	SWAPLAB_AGING_SCANNED,
	SWAPLAB_SWAP_OUT_IOS,
	SWAPLAB_TLB_FLUSHES,
	SWAPLAB_AGING_TICKS,
	SWAPLAB_READAHEAD_HITS,
	SWAPLAB_READAHEAD_PAGES,
	SWAPLAB_READAHEAD_MISSES,
	SWAPLAB_SWAP_FULL,
	SWAPLAB_CSUM_ERRORS,
	SWAPLAB_HELD_PARKED,
	SWAPLAB_FAULTS_KILLED,
	SWAPLAB_WRITE_NOTIFY,
	SWAPLAB_REFAULTS,
	SWAPLAB_REFAULTS_PREDICTED,
	SWAPLAB_ADMIT_BATCHED,
	SWAPLAB_ADMIT_DRAINS,
	SWAPLAB_SHADOWS_DROPPED,
	SWAPLAB_PAGER_EVENTS,
	SWAPLAB_PAGER_EVENTS_LOST,
	SWAPLAB_PAGER_FALLBACK,
	SWAPLAB_PAGER_ANSWERS,
	SWAPLAB_PAGER_INVALID,
	SWAPLAB_PAGER_STALE,
	SWAPLAB_PAGER_TIMEOUTS,
	SWAPLAB_PAGER_SELF,
	SWAPLAB_PAGER_EJECTIONS,
	SWAPLAB_PAGER_DATA_IN,
	SWAPLAB_PAGER_DATA_OUT,
	SWAPLAB_PAGER_DATA_CLEAN,
	SWAPLAB_PAGER_DATA_FULL,
	SWAPLAB_PAGER_DATA_TIMEOUTS,
	SWAPLAB_PAGER_DATA_STALE,
	SWAPLAB_PAGER_DATA_FLUSHED,
	SWAPLAB_PAGER_LOST,
	SWAPLAB_BPF_ANSWERS,
	SWAPLAB_BPF_INVALID,
	SWAPLAB_BPF_FALLBACK,
	SWAPLAB_BPF_TIMEOUTS,
	SWAPLAB_BPF_EJECTIONS,
	SWAPLAB_BPF_FOREIGN,
	SWAPLAB_READAHEAD_MAPPED,
	SWAPLAB_COMPRESS_STORED,
	SWAPLAB_COMPRESS_REJECTED,
	SWAPLAB_SAME_FILLED,
	SWAPLAB_COMPRESS_WRITEBACK,
	SWAPLAB_COMPRESS_HITS,
	SWAPLAB_PAGEBUF_HITS,
	SWAPLAB_PAGEBUF_DROPS,
	SWAPLAB_RECLAIM_UNMAPS,
	SWAPLAB_READAHEAD_ASYNC,
	SWAPLAB_LOCAL_RECLAIMS,
	SWAPLAB_ALLOC_OVERRUNS,
	SWAPLAB_LC_DEACTIVATIONS,
	SWAPLAB_LC_ACTIVATIONS,
	SWAPLAB_LC_FORCED,
	SWAPLAB_LC_FAULT_WAITS,
	SWAPLAB_LC_HELD,
	SWAPLAB_MOVED_PAGES,
	SWAPLAB_MOVED_RESIDENT,
	NR_SWAPLAB_STAT_ITEMS
};

/**
 * struct swaplab_stat_cpu - one CPU's event counters
 * @count: one counter per &enum swaplab_stat_item, only ever incremented
 */
struct swaplab_stat_cpu {
	unsigned long count[NR_SWAPLAB_STAT_ITEMS];
};

DECLARE_PER_CPU(struct swaplab_stat_cpu, swaplab_stat_cpu);

/**
 * swaplab_count_event() - count one event
 * @item: which counter
 *
 * Context: any; lock-free (this_cpu_inc()).
 */
static inline void swaplab_count_event(enum swaplab_stat_item item)
{
	this_cpu_inc(swaplab_stat_cpu.count[item]);
}

/**
 * swaplab_count_events() - count several events
 * @item: which counter
 * @nr: how many
 *
 * Context: any; lock-free.
 */
static inline void swaplab_count_events(enum swaplab_stat_item item,
					unsigned long nr)
{
	this_cpu_add(swaplab_stat_cpu.count[item], nr);
}

unsigned long swaplab_stat_read(enum swaplab_stat_item item);
const char *swaplab_stat_name(enum swaplab_stat_item item);

#endif /* _SWAPLAB_STAT_H */
