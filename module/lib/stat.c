// SPDX-License-Identifier: GPL-2.0
/*
 * Event counters, per CPU like the kernel's vm_event_states, summed when
 * read. Names are ABI (Documentation/ABI/testing/sysfs-kernel-swaplab):
 * only ever add to them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/percpu.h>

#include "lib/stat.h"

DEFINE_PER_CPU(struct swaplab_stat_cpu, swaplab_stat_cpu);

static const char * const swaplab_stat_names[NR_SWAPLAB_STAT_ITEMS] = {
	[SWAPLAB_FAULTS]		= "faults",
	[SWAPLAB_MAJOR_FAULTS]		= "major_faults",
	[SWAPLAB_ZERO_FILLS]		= "zero_fills",
	[SWAPLAB_SWAP_INS]		= "swap_ins",
	[SWAPLAB_SWAP_OUTS]		= "swap_outs",
	[SWAPLAB_EVICTIONS]		= "evictions",
	[SWAPLAB_CLEAN_EVICTIONS]	= "clean_evictions",
	[SWAPLAB_DAEMON_WAKEUPS]	= "daemon_wakeups",
	[SWAPLAB_DIRECT_RECLAIMS]	= "direct_reclaims",
	[SWAPLAB_ALLOC_STALLS]		= "alloc_stalls",
	[SWAPLAB_IO_ERRORS]		= "io_errors",
	[SWAPLAB_SIGBUS]		= "sigbus",
	[SWAPLAB_AGING_SCANNED]		= "aging_scanned",
	[SWAPLAB_SWAP_OUT_IOS]		= "swap_out_ios",
	[SWAPLAB_TLB_FLUSHES]		= "tlb_flushes",
	[SWAPLAB_AGING_TICKS]		= "aging_ticks",
	[SWAPLAB_READAHEAD_HITS]	= "readahead_hits",
	[SWAPLAB_READAHEAD_PAGES]	= "readahead_pages",
	[SWAPLAB_READAHEAD_MISSES]	= "readahead_misses",
	[SWAPLAB_SWAP_FULL]		= "swap_full",
	[SWAPLAB_CSUM_ERRORS]		= "csum_errors",
	[SWAPLAB_HELD_PARKED]		= "held_parked",
	[SWAPLAB_FAULTS_KILLED]		= "faults_killed",
	[SWAPLAB_WRITE_NOTIFY]		= "write_notify",
	[SWAPLAB_REFAULTS]		= "refaults",
	[SWAPLAB_REFAULTS_PREDICTED]	= "refaults_predicted",
	[SWAPLAB_ADMIT_BATCHED]		= "admit_batched",
	[SWAPLAB_ADMIT_DRAINS]		= "admit_drains",
	[SWAPLAB_SHADOWS_DROPPED]	= "shadows_dropped",
	[SWAPLAB_PAGER_EVENTS]		= "pager_events",
	[SWAPLAB_PAGER_EVENTS_LOST]	= "pager_events_lost",
	[SWAPLAB_PAGER_FALLBACK]	= "pager_fallback",
	[SWAPLAB_PAGER_ANSWERS]		= "pager_answers",
	[SWAPLAB_PAGER_INVALID]		= "pager_invalid",
	[SWAPLAB_PAGER_STALE]		= "pager_stale",
	[SWAPLAB_PAGER_TIMEOUTS]	= "pager_timeouts",
	[SWAPLAB_PAGER_SELF]		= "pager_self",
	[SWAPLAB_PAGER_EJECTIONS]	= "pager_ejections",
	[SWAPLAB_PAGER_DATA_IN]		= "pager_data_in",
	[SWAPLAB_PAGER_DATA_OUT]	= "pager_data_out",
	[SWAPLAB_PAGER_DATA_CLEAN]	= "pager_data_kept",
	[SWAPLAB_PAGER_DATA_FULL]	= "pager_data_full",
	[SWAPLAB_PAGER_DATA_TIMEOUTS]	= "pager_data_timeouts",
	[SWAPLAB_PAGER_DATA_STALE]	= "pager_data_stale",
	[SWAPLAB_PAGER_DATA_FLUSHED]	= "pager_data_flushed",
	[SWAPLAB_PAGER_LOST]		= "pager_lost",
	[SWAPLAB_PAGER_UNLOCKS]		= "pager_unlocks",
	[SWAPLAB_PAGER_UNLOCK_TIMEOUTS]	= "pager_unlock_timeouts",
	[SWAPLAB_PAGER_LOCKED]		= "pager_locked",
	[SWAPLAB_BPF_ANSWERS]		= "bpf_answers",
	[SWAPLAB_BPF_INVALID]		= "bpf_invalid",
	[SWAPLAB_BPF_FALLBACK]		= "bpf_fallback",
	[SWAPLAB_BPF_TIMEOUTS]		= "bpf_timeouts",
	[SWAPLAB_BPF_EJECTIONS]		= "bpf_ejections",
	[SWAPLAB_BPF_FOREIGN]		= "bpf_foreign",
	[SWAPLAB_READAHEAD_MAPPED]	= "readahead_mapped",
	[SWAPLAB_COMPRESS_STORED]	= "compress_stored",
	[SWAPLAB_COMPRESS_REJECTED]	= "compress_rejected",
	[SWAPLAB_SAME_FILLED]		= "same_filled",
	[SWAPLAB_COMPRESS_WRITEBACK]	= "compress_writeback",
	[SWAPLAB_COMPRESS_HITS]		= "compress_hits",
	[SWAPLAB_PAGEBUF_HITS]		= "page_buffer_hits",
	[SWAPLAB_PAGEBUF_DROPS]		= "page_buffer_drops",
	[SWAPLAB_RECLAIM_UNMAPS]	= "reclaim_unmaps",
	[SWAPLAB_READAHEAD_ASYNC]	= "readahead_async",
	[SWAPLAB_LOCAL_RECLAIMS]	= "local_reclaims",
	[SWAPLAB_ALLOC_OVERRUNS]	= "alloc_overruns",
	[SWAPLAB_LC_DEACTIVATIONS]	= "lc_deactivations",
	[SWAPLAB_LC_ACTIVATIONS]	= "lc_activations",
	[SWAPLAB_LC_FORCED]		= "lc_forced",
	[SWAPLAB_LC_FAULT_WAITS]	= "lc_fault_waits",
	[SWAPLAB_LC_HELD]		= "lc_held",
	[SWAPLAB_MOVED_PAGES]		= "moved_pages",
	[SWAPLAB_MOVED_RESIDENT]	= "moved_resident",
	[SWAPLAB_FILE_READS]		= "file_reads",
	[SWAPLAB_FILE_WRITES]		= "file_writes",
	[SWAPLAB_FILE_DROPPED]		= "file_dropped",
	[SWAPLAB_FILE_CACHED_READS]	= "file_cached_reads",
	[SWAPLAB_FILE_STORED]		= "file_stored",
	[SWAPLAB_MOVED_MAPPED]		= "moved_mapped",
	[SWAPLAB_MOVE_NS]		= "move_ns",
	[SWAPLAB_MOVE_UNMAP_NS]		= "move_unmap_ns",
	[SWAPLAB_MOVE_MAP_NS]		= "move_map_ns",
	[SWAPLAB_MOVE_RUNS]		= "move_runs",
};

/**
 * swaplab_stat_read() - sum one counter over all CPUs
 * @item: which counter
 *
 * Context: any. The sum is not atomic with respect to concurrent events.
 * Return: the number of events counted since the module was loaded.
 */
unsigned long swaplab_stat_read(enum swaplab_stat_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(swaplab_stat_cpu, cpu).count[item];
	return sum;
}

/**
 * swaplab_stat_name() - the name a counter has in the stat file
 * @item: which counter
 *
 * Return: a static string.
 */
const char *swaplab_stat_name(enum swaplab_stat_item item)
{
	return swaplab_stat_names[item];
}
