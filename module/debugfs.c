// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/swaplab/: experimental figures with no ABI promise
 * (as zswap_debugfs_init() does), in versioned multi-column files:
 *
 * regions        one row per region: its size, pages and faults, the
 *                kernel memory its bookkeeping takes, and its process
 * procs          one row per process that regions are charged to: its
 *                regions, frames and faults
 * fault_latency  a histogram of the fault handler's time per fault kind
 * metadata       the kernel memory all of swaplab's bookkeeping takes
 * refault_distance  a histogram of refault distances (shadow.c)
 *
 * and the test hooks (read-write, root only) reclaim_unmap_delay_ms, see
 * swaplab_reclaim_set_unmap_delay(), file_read_delay_ms, see
 * swaplab_file_set_read_delay(), and region_id_next.
 *
 * Each file starts with "version N" and a header line naming the
 * columns; a change of columns bumps N. Documentation/admin-guide/
 * swaplab/knobs.rst describes them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>

#include "debugfs.h"
#include "lib/latency.h"
#include "pager/pagerdata.h"
#include "alloc/proc.h"
#include "mm/file.h"
#include "mm/reclaim.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "store/swap.h"

static struct dentry *swaplab_debugfs_root;

/* Bytes of bookkeeping @region takes: itself, its table, its frames. */
static u64 swaplab_region_bytes(struct swaplab_region *region,
				unsigned long nodes)
{
	return sizeof(*region) + (u64)nodes * sizeof(struct xa_node) +
	       (u64)atomic_long_read(&region->nr_resident) *
	       swaplab_region_frame_size();
}

/*
 * A region's name as one column: "-" for none, and every byte that is
 * not a graphic character, or is a backslash, as \ooo (octal).
 */
static void swaplab_seq_name(struct seq_file *m, const char *name)
{
	const char *p;

	if (!*name)
		seq_putc(m, '-');
	for (p = name; *p; p++) {
		if (isgraph(*p) && *p != '\\')
			seq_putc(m, *p);
		else
			seq_printf(m, "\\%03o", (unsigned char)*p);
	}
}

static void swaplab_regions_row(struct swaplab_region *region, void *arg)
{
	unsigned long nodes = swaplab_region_xa_nodes(region);
	struct seq_file *m = arg;

	seq_printf(m, "%llu ", region->id);
	swaplab_seq_name(m, region->name);
	seq_printf(m, " %llu %ld %ld %ld %ld %ld %lu %llu %u\n",
		   (u64)region->max_pages << PAGE_SHIFT,
		   atomic_long_read(&region->nr_resident),
		   atomic_long_read(&region->nr_swapped),
		   atomic_long_read(&region->nr_pinned),
		   atomic_long_read(&region->nr_faults),
		   atomic_long_read(&region->nr_major),
		   nodes, swaplab_region_bytes(region, nodes),
		   region->proc->id);
}

static int swaplab_regions_show(struct seq_file *m, void *v)
{
	seq_puts(m, "version 2\n");
	seq_puts(m, "id name size resident swapped pinned faults major_faults xa_nodes metadata_bytes proc\n");
	swaplab_region_for_each(swaplab_regions_row, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaplab_regions);

/*
 * A process's pid is the reader's view of it: 0 when the process lies
 * outside the reader's pid namespace.
 */
static void swaplab_procs_row(struct swaplab_proc *p, void *arg)
{
	struct seq_file *m = arg;

	unsigned long alloc = READ_ONCE(p->alloc);

	seq_printf(m, "%u %d %s %ld %ld %ld %ld %ld ", p->id,
		   swaplab_proc_pid(p),
		   swaplab_proc_exited(p) ? "exited" :
		   READ_ONCE(p->lc_off) ? "inactive" : "live",
		   atomic_long_read(&p->nr_regions),
		   atomic_long_read(&p->charged),
		   atomic_long_read(&p->nr_faults),
		   atomic_long_read(&p->nr_major),
		   atomic_long_read(&p->mapped));
	if (alloc == ULONG_MAX)
		seq_puts(m, "-");
	else
		seq_printf(m, "%lu", alloc);
	/* Load control's figures, read without its lock: a moment old. */
	seq_printf(m, " %lu %llu %llu", READ_ONCE(p->lc_deacts),
		   div_u64(READ_ONCE(p->lc_off_ns), NSEC_PER_MSEC),
		   div_u64(READ_ONCE(p->lc_max_ns), NSEC_PER_MSEC));
	/* The working-set estimate and fault rate of the last tick. */
	seq_printf(m, " %lu %u %u\n", READ_ONCE(p->ws_pages),
		   READ_ONCE(p->pff_rate), READ_ONCE(p->weight));
}

static int swaplab_procs_show(struct seq_file *m, void *v)
{
	seq_puts(m, "version 3\n");
	seq_puts(m, "id pid state regions charged faults major_faults mapped alloc deactivations deactivated_ms max_deactivated_ms ws fault_rate weight\n");
	swaplab_proc_for_each(swaplab_procs_row, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaplab_procs);

static int swaplab_fault_latency_show(struct seq_file *m, void *v)
{
	unsigned int b, k;

	seq_puts(m, "version 1\n");
	seq_puts(m, "low_ns minor zero major\n");
	for (b = 0; b < SWAPLAB_LAT_BUCKETS; b++) {
		u64 n[SWAPLAB_LAT_KINDS];
		bool any = false;

		for (k = 0; k < SWAPLAB_LAT_KINDS; k++) {
			n[k] = swaplab_latency_read(k, b);
			any |= n[k];
		}
		if (any)
			seq_printf(m, "%llu %llu %llu %llu\n",
				   swaplab_latency_bucket_low(b),
				   n[0], n[1], n[2]);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaplab_fault_latency);

struct swaplab_metadata {
	u64 nodes;
	u64 regions;
	u64 pages;
	u64 frames;
};

static void swaplab_metadata_add(struct swaplab_region *region, void *arg)
{
	struct swaplab_metadata *md = arg;

	md->nodes += swaplab_region_xa_nodes(region);
	md->regions++;
	md->pages += atomic_long_read(&region->nr_resident) +
		     atomic_long_read(&region->nr_swapped);
	md->frames += atomic_long_read(&region->nr_resident);
}

static int swaplab_metadata_show(struct seq_file *m, void *v)
{
	struct swaplab_metadata md = {};
	struct swaplab_swap_metadata st;
	u64 table, frames, regions, store, pager;

	swaplab_region_for_each(swaplab_metadata_add, &md);
	swaplab_swap_metadata(&st);
	table = md.nodes * sizeof(struct xa_node);
	frames = md.frames * swaplab_region_frame_size();
	regions = md.regions * swaplab_region_size();
	store = st.slot_map_bytes + st.csum_bytes + st.extent_bytes +
		st.crypt_bytes;
	pager = (u64)swaplab_pagerdata_buffers() * PAGE_SIZE;

	seq_puts(m, "version 2\n");
	seq_printf(m, "pages %llu\n", md.pages);
	seq_printf(m, "xa_nodes %llu\n", md.nodes);
	seq_printf(m, "xa_node_bytes %llu\n", table);
	seq_printf(m, "frame_descriptor_bytes %llu\n", frames);
	seq_printf(m, "region_bytes %llu\n", regions);
	seq_printf(m, "shadow_entries %lu\n", swaplab_shadow_count());
	seq_printf(m, "store_slots %lu\n", st.slots);
	seq_printf(m, "slot_map_bytes %zu\n", st.slot_map_bytes);
	seq_printf(m, "slot_csum_bytes %zu\n", st.csum_bytes);
	seq_printf(m, "extent_bytes %zu\n", st.extent_bytes);
	seq_printf(m, "crypt_bytes %zu\n", st.crypt_bytes);
	seq_printf(m, "store_bytes %llu\n", store);
	seq_printf(m, "pager_buffer_bytes %llu\n", pager);
	seq_printf(m, "total_bytes %llu\n",
		   table + frames + regions + store + pager);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaplab_metadata);

/*
 * Refaults by distance, in evictions: a row per power of two, [low,
 * high); the last row is open-ended.
 */
static int swaplab_refault_distance_show(struct seq_file *m, void *v)
{
	unsigned int b;

	seq_puts(m, "version 1\n");
	seq_puts(m, "distance_low distance_high refaults\n");
	for (b = 0; b < SWAPLAB_SHADOW_DIST_BUCKETS; b++) {
		u64 low = b ? 1ULL << (b - 1) : 0, high = 1ULL << b;

		if (b == SWAPLAB_SHADOW_DIST_BUCKETS - 1)
			seq_printf(m, "%llu - %llu\n", low,
				   swaplab_shadow_distance_read(b));
		else
			seq_printf(m, "%llu %llu %llu\n", low, high,
				   swaplab_shadow_distance_read(b));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(swaplab_refault_distance);

static int swaplab_unmap_delay_get(void *data, u64 *val)
{
	*val = swaplab_reclaim_unmap_delay();
	return 0;
}

static int swaplab_unmap_delay_set(void *data, u64 val)
{
	return swaplab_reclaim_set_unmap_delay(val);
}
DEFINE_DEBUGFS_ATTRIBUTE(swaplab_unmap_delay_fops, swaplab_unmap_delay_get,
			 swaplab_unmap_delay_set, "%llu\n");

static int swaplab_file_delay_get(void *data, u64 *val)
{
	*val = swaplab_file_read_delay();
	return 0;
}

static int swaplab_file_delay_set(void *data, u64 val)
{
	return swaplab_file_set_read_delay(val);
}
DEFINE_DEBUGFS_ATTRIBUTE(swaplab_file_delay_fops, swaplab_file_delay_get,
			 swaplab_file_delay_set, "%llu\n");

static int swaplab_region_id_next_get(void *data, u64 *val)
{
	*val = swaplab_region_id_next();
	return 0;
}

static int swaplab_region_id_next_set(void *data, u64 val)
{
	return swaplab_region_set_id_next(val);
}
DEFINE_DEBUGFS_ATTRIBUTE(swaplab_region_id_next_fops,
			 swaplab_region_id_next_get,
			 swaplab_region_id_next_set, "%llu\n");

/**
 * swaplab_debugfs_init() - create /sys/kernel/debug/swaplab/
 *
 * Failure is not an error (debugfs may be off): the files are missing.
 *
 * Context: module init.
 */
void swaplab_debugfs_init(void)
{
	swaplab_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("regions", 0400, swaplab_debugfs_root, NULL,
			    &swaplab_regions_fops);
	debugfs_create_file("procs", 0400, swaplab_debugfs_root, NULL,
			    &swaplab_procs_fops);
	debugfs_create_file("fault_latency", 0400, swaplab_debugfs_root,
			    NULL, &swaplab_fault_latency_fops);
	debugfs_create_file("metadata", 0400, swaplab_debugfs_root, NULL,
			    &swaplab_metadata_fops);
	debugfs_create_file("refault_distance", 0400, swaplab_debugfs_root,
			    NULL, &swaplab_refault_distance_fops);
	debugfs_create_file_unsafe("reclaim_unmap_delay_ms", 0600,
				   swaplab_debugfs_root, NULL,
				   &swaplab_unmap_delay_fops);
	debugfs_create_file_unsafe("file_read_delay_ms", 0600,
				   swaplab_debugfs_root, NULL,
				   &swaplab_file_delay_fops);
	debugfs_create_file_unsafe("region_id_next", 0600,
				   swaplab_debugfs_root, NULL,
				   &swaplab_region_id_next_fops);
}

/**
 * swaplab_debugfs_exit() - remove /sys/kernel/debug/swaplab/
 *
 * Context: module exit, after the last region is gone.
 */
void swaplab_debugfs_exit(void)
{
	debugfs_remove_recursive(swaplab_debugfs_root);
}
