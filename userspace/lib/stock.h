/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Setting up the stock kernel for a comparison with swaplab: a memory
 * cgroup, swap, the choice of LRU or MGLRU (lru_gen); and undoing it.
 */
#ifndef SWAPLAB_STOCK_H
#define SWAPLAB_STOCK_H

#include <stdint.h>

#define STOCK_CGROUP_ROOT	"/sys/fs/cgroup"
#define STOCK_CGROUP		STOCK_CGROUP_ROOT "/swaplab-compare"
#define STOCK_LRU_GEN		"/sys/kernel/mm/lru_gen/enabled"
#define STOCK_SWAPPINESS	"/proc/sys/vm/swappiness"

/*
 * Save lru_gen's setting, for stock_lru_gen_set() and stock_restore();
 * returns it (without the newline), or NULL if the kernel has no MGLRU.
 */
const char *stock_lru_gen_save(void);
/* The setting saved, or NULL (no MGLRU, or not saved). */
const char *stock_lru_gen(void);
/* Write lru_gen (nothing without a saved setting); 0 or -errno. */
int stock_lru_gen_set(const char *setting);
/*
 * Write vm.swappiness, which memory cgroups of cgroup v2 reclaim by,
 * saving the old value for stock_restore() first; 0 or -errno.
 */
int stock_swappiness_set(unsigned int val);
/*
 * Make the cgroup STOCK_CGROUP, turning on the memory controller if it
 * is off; 0, or -1 with a message.
 */
int stock_cgroup(void);
/*
 * Give the stock kernel swap: nothing to do if some is active; else make
 * @path a swap file of @bytes and swapon() it. 0, or -1 with a message.
 */
int stock_swap(const char *path, uint64_t bytes, long page_size);
/* OOM kills in STOCK_CGROUP so far (memory.events); -1 if unknown. */
long stock_oom_kills(void);
/* A line of /proc/vmstat; 0 if it is missing. */
uint64_t stock_vmstat(const char *name);
/*
 * Bytes that pages and kernel objects hold charged to STOCK_CGROUP now
 * (memory.stat's anon, file and kernel): memory.current less what the
 * CPUs have precharged and not used yet. 0, or -1 where memory.stat has
 * no "kernel" line (before 5.18).
 */
int stock_cgroup_charged(uint64_t *bytes);
/*
 * Undo what the functions above changed: lru_gen, vm.swappiness, the
 * cgroup, the memory controller, the swap file. Async-signal-safe, as knobs_restore().
 */
void stock_restore(void);

#endif /* SWAPLAB_STOCK_H */
