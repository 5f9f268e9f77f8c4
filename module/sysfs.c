// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/swaplab/: tuning knobs, the stat file and the pressure file.
 *
 * One ASCII value per file, except two. stat holds "name value" lines
 * like /proc/vmstat so that a tool reads every counter in one go;
 * pressure holds the two lines of /proc/pressure/memory (some and full)
 * so that tools written for PSI read it as they read the kernel's. Every
 * store rejects bad input with -EINVAL and leaves the value unchanged.
 * Each knob's value lives in the file of the concern it tunes; this file
 * only parses and prints.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "lib/compat.h"
#include "store/compress.h"
#include "policy/core.h"
#include "store/csum.h"
#include "mm/fault.h"
#include "alloc/frames.h"
#include "lib/latency.h"
#include "mm/loadctl.h"
#include "mm/move.h"
#include "store/pagebuf.h"
#include "api/policy.h"
#include "ext/policy.h"
#include "api/prefetch.h"
#include "alloc/proc.h"
#include "alloc/psi.h"
#include "mm/region.h"
#include "store/shadow.h"
#include "alloc/share.h"
#include "lib/stat.h"
#include "store/swap.h"
#include "sysfs.h"
#include "mm/tick.h"

static struct kobject *swaplab_kobj;
/* Serialises stores that check one knob against another. */
static DEFINE_MUTEX(swaplab_knob_mutex);

/**
 * swaplab_sysfs_parse_size() - parse a size in bytes
 * @buf: a decimal number with an optional K, M or G suffix (powers of
 *	1024) and an optional trailing newline
 * @bytes: the result
 *
 * Return: 0, or -EINVAL for anything else, overflow included.
 */
int swaplab_sysfs_parse_size(const char *buf, u64 *bytes)
{
	char num[32];
	unsigned int shift = 0;
	size_t len;
	u64 val;

	len = strcspn(buf, "\n");
	if (!len || len >= sizeof(num) || (buf[len] && strcmp(buf + len, "\n")))
		return -EINVAL;
	memcpy(num, buf, len);
	num[len] = '\0';

	switch (num[len - 1]) {
	case 'G': case 'g':
		shift += 10;
		fallthrough;
	case 'M': case 'm':
		shift += 10;
		fallthrough;
	case 'K': case 'k':
		shift += 10;
		num[len - 1] = '\0';
		break;
	}

	if (kstrtou64(num, 10, &val) || val > (U64_MAX >> shift))
		return -EINVAL;
	*bytes = val << shift;
	return 0;
}

/* Store a size knob: parse it, then let @set validate and apply it. */
static ssize_t swaplab_size_store(const char *buf, size_t count,
				  int (*set)(u64 bytes))
{
	u64 bytes;
	int err;

	err = swaplab_sysfs_parse_size(buf, &bytes);
	if (!err)
		err = set(bytes);
	return err ? err : count;
}

static int swaplab_parse_ulong(const char *buf, unsigned long *val)
{
	return kstrtoul(buf, 10, val) ? -EINVAL : 0;
}

static ssize_t frames_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%lu\n", swaplab_frames_budget());
}

static ssize_t frames_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long frames;
	int err;

	err = swaplab_parse_ulong(buf, &frames);
	if (err)
		return err;
	mutex_lock(&swaplab_knob_mutex);
	/*
	 * The admissions still queued were faulted in under the old budget:
	 * the policy hears them with that budget in their context, as the
	 * simulator's --resize has it, and resize() after them.
	 */
	swaplab_core_drain();
	err = swaplab_frames_set_budget(frames);
	if (!err)
		swaplab_core_resize();
	mutex_unlock(&swaplab_knob_mutex);
	return err ? err : count;
}

static ssize_t watermark_show(char *buf, bool high)
{
	return sysfs_emit(buf, "%lu\n", swaplab_frames_watermark(high));
}

static ssize_t watermark_store(const char *buf, size_t count, bool high)
{
	unsigned long val, low, hi;
	int err;

	err = swaplab_parse_ulong(buf, &val);
	if (err)
		return err;
	mutex_lock(&swaplab_knob_mutex);
	low = high ? swaplab_frames_watermark(false) : val;
	hi = high ? val : swaplab_frames_watermark(true);
	err = swaplab_frames_set_watermarks(low, hi);
	mutex_unlock(&swaplab_knob_mutex);
	return err ? err : count;
}

static ssize_t watermark_low_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return watermark_show(buf, false);
}

static ssize_t watermark_low_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return watermark_store(buf, count, false);
}

static ssize_t watermark_high_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return watermark_show(buf, true);
}

static ssize_t watermark_high_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	return watermark_store(buf, count, true);
}

static ssize_t region_max_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", swaplab_region_max());
}

static ssize_t region_max_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	return swaplab_size_store(buf, count, swaplab_region_set_max);
}

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return swaplab_policy_show_current(buf);
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	int err = swaplab_policy_set(buf);

	return err ? err : count;
}

/*
 * allocation: "global" (one policy state, any process's page a victim)
 * or "local" (a state and an allocation per process).
 */
static ssize_t allocation_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", swaplab_core_local() ? "local" : "global");
}

static ssize_t allocation_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	int err;

	if (sysfs_streq(buf, "global"))
		err = swaplab_policy_set_local(false);
	else if (sysfs_streq(buf, "local"))
		err = swaplab_policy_set_local(true);
	else
		err = -EINVAL;
	return err ? err : count;
}

/* allocator: how local allocation shares the budget; one of alloc_list.h. */
static ssize_t allocator_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return swaplab_share_show_allocators(buf, false);
}

static ssize_t allocator_store(struct kobject *kobj,
			       struct kobj_attribute *attr, const char *buf,
			       size_t count)
{
	int err = swaplab_core_set_allocator(buf);

	if (err)
		return err;
	/* proportional, ws and pff decide at ticks of the aging clock. */
	if (swaplab_share_decides())
		swaplab_tick_start();
	return count;
}

static ssize_t available_allocators_show(struct kobject *kobj,
					 struct kobj_attribute *attr,
					 char *buf)
{
	return swaplab_share_show_allocators(buf, true);
}

static ssize_t available_policies_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return swaplab_policy_show_available(buf);
}

static ssize_t prefetcher_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", swaplab_prefetch_name());
}

static ssize_t prefetcher_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	int err = swaplab_prefetch_select(buf);

	return err ? err : count;
}

static ssize_t available_prefetchers_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	return swaplab_prefetch_list(buf);
}

static ssize_t compress_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return swaplab_compress_show(buf);
}

static ssize_t compress_store(struct kobject *kobj,
			      struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	int err = swaplab_compress_select(buf);

	return err ? err : count;
}

static ssize_t compress_pool_max_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", swaplab_compress_pool_max());
}

static ssize_t compress_pool_max_store(struct kobject *kobj,
				       struct kobj_attribute *attr,
				       const char *buf, size_t count)
{
	u64 bytes;
	int err = swaplab_sysfs_parse_size(buf, &bytes);

	if (!err)
		err = swaplab_compress_set_pool_max(bytes);
	return err ? err : count;
}

static ssize_t bpf_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return swaplab_bpf_show(buf);
}

/* Store a decimal knob through @set, which checks its range. */
static ssize_t uint_store(const char *buf, size_t count,
			  int (*set)(unsigned int val))
{
	unsigned int val;
	int err;

	if (kstrtouint(buf, 10, &val))
		return -EINVAL;
	err = set(val);
	return err ? err : count;
}

static ssize_t aging_interval_ms_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_tick_interval_ms());
}

static ssize_t aging_interval_ms_store(struct kobject *kobj,
				       struct kobj_attribute *attr,
				       const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_tick_set_interval_ms);
}

static ssize_t swappiness_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_core_swappiness());
}

static ssize_t swappiness_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_core_set_swappiness);
}

static ssize_t prefetch_window_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_prefetch_get_window_size());
}

static ssize_t prefetch_window_store(struct kobject *kobj,
				     struct kobj_attribute *attr,
				     const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_prefetch_set_window_size);
}

static ssize_t admit_batch_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_core_admit_batch());
}

static ssize_t admit_batch_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_core_set_admit_batch);
}

static ssize_t readahead_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	unsigned int pages = swaplab_prefetch_readahead();

	if (pages == SWAPLAB_READAHEAD_AUTO)
		return sysfs_emit(buf, "auto\n");
	if (pages == SWAPLAB_READAHEAD_LEAP)
		return sysfs_emit(buf, "leap\n");
	return sysfs_emit(buf, "%u\n", pages);
}

static ssize_t readahead_store(struct kobject *kobj,
			       struct kobj_attribute *attr,
			       const char *buf, size_t count)
{
	unsigned int val;

	/* "auto", "leap" or a number of pages (never the numbers for those). */
	if (sysfs_streq(buf, "auto"))
		val = SWAPLAB_READAHEAD_AUTO;
	else if (sysfs_streq(buf, "leap"))
		val = SWAPLAB_READAHEAD_LEAP;
	else if (kstrtouint(buf, 10, &val) || val > SWAPLAB_PREFETCH_MAX)
		return -EINVAL;
	if (swaplab_prefetch_set_readahead(val))
		return -EINVAL;
	return count;
}

/* A 0/1 knob's value; -EINVAL for anything else. */
static int switch_parse(const char *buf, bool *on)
{
	unsigned int val;

	if (kstrtouint(buf, 10, &val) || val > 1)
		return -EINVAL;
	*on = val;
	return 0;
}

/* A 0/1 knob whose setter never refuses. */
static ssize_t switch_store(const char *buf, size_t count,
			    void (*set)(bool on))
{
	bool on;

	if (switch_parse(buf, &on))
		return -EINVAL;
	set(on);
	return count;
}

static ssize_t daemon_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_frames_daemon_enabled());
}

static ssize_t daemon_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_frames_daemon_enable);
}

/* ws_tau: the working-set window, in pages referenced (alloc.h). */
static ssize_t ws_tau_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%lu\n", swaplab_share_ws_tau());
}

static ssize_t ws_tau_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_share_set_ws_tau);
}

/*
 * pff_upper, pff_lower: the pff allocator's thresholds, per mille; one
 * pair of handlers, told apart by the file's name.
 */
static bool pff_is_upper(const struct kobj_attribute *attr)
{
	return !strcmp(attr->attr.name, "pff_upper");
}

static ssize_t pff_threshold_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	unsigned int upper, lower;

	swaplab_share_pff(&upper, &lower);
	return sysfs_emit(buf, "%u\n", pff_is_upper(attr) ? upper : lower);
}

static ssize_t pff_threshold_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	unsigned int val;
	int err;

	if (kstrtouint(buf, 10, &val))
		return -EINVAL;
	err = swaplab_share_set_pff(pff_is_upper(attr), val);
	return err ? err : count;
}

static ssize_t load_control_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_loadctl_enabled());
}

static ssize_t load_control_store(struct kobject *kobj,
				  struct kobj_attribute *attr, const char *buf,
				  size_t count)
{
	bool on;

	if (switch_parse(buf, &on))
		return -EINVAL;
	return swaplab_loadctl_set(on) ?: count;
}

static ssize_t load_control_max_ms_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_loadctl_max_ms());
}

static ssize_t load_control_max_ms_store(struct kobject *kobj,
					 struct kobj_attribute *attr,
					 const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_loadctl_set_max_ms);
}

static ssize_t load_control_psi_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", swaplab_loadctl_psi());
}

static ssize_t load_control_psi_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	return uint_store(buf, count, swaplab_loadctl_set_psi);
}

static ssize_t swapfile_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return swaplab_swap_show(buf);
}

static ssize_t swapfile_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	int err;

	mutex_lock(&swaplab_knob_mutex);
	err = swaplab_region_count() ? -EBUSY : swaplab_swap_attach(buf);
	mutex_unlock(&swaplab_knob_mutex);
	return err ? err : count;
}

/* A 0/1 switch of the backing store; its setter says when it may change. */
static ssize_t swap_switch_store(const char *buf, size_t count,
				 int (*set)(bool on))
{
	bool on;
	int err;

	if (switch_parse(buf, &on))
		return -EINVAL;
	err = set(on);
	return err ? err : count;
}

static ssize_t encrypt_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_swap_encrypt_get());
}

static ssize_t encrypt_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	return swap_switch_store(buf, count, swaplab_swap_encrypt_set);
}

static ssize_t checksum_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_swap_checksum_get());
}

static ssize_t checksum_store(struct kobject *kobj,
			      struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	return swap_switch_store(buf, count, swaplab_swap_checksum_set);
}

static ssize_t swapfile_size_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", swaplab_swap_size_get());
}

static ssize_t swapfile_size_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return swaplab_size_store(buf, count, swaplab_swap_size_set);
}

static ssize_t shadow_max_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", swaplab_shadow_max());
}

static ssize_t shadow_max_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	unsigned long val;
	int err;

	err = swaplab_parse_ulong(buf, &val);
	if (err)
		return err;
	err = swaplab_shadow_set_max(val);
	return err ? err : count;
}

static ssize_t checksum_driver_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", swaplab_csum_driver());
}

static ssize_t fault_around_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_fault_around());
}

static ssize_t fault_around_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_fault_set_around);
}

static ssize_t map_at_move_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_move_map());
}

static ssize_t map_at_move_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_move_set_map);
}

static ssize_t readahead_async_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_fault_readahead_async());
}

static ssize_t readahead_async_store(struct kobject *kobj,
				     struct kobj_attribute *attr,
				     const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_fault_set_readahead_async);
}

static ssize_t page_buffering_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_pagebuf_enabled());
}

static ssize_t page_buffering_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_pagebuf_enable);
}

static ssize_t fault_latency_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", swaplab_latency_enabled());
}

static ssize_t fault_latency_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return switch_store(buf, count, swaplab_latency_enable);
}

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	enum swaplab_stat_item item;
	int len = 0;

	/* The refault counters count admissions: hand over the batches. */
	swaplab_core_drain();
	for (item = 0; item < NR_SWAPLAB_STAT_ITEMS; item++)
		len += sysfs_emit_at(buf, len, "%s %lu\n",
				     swaplab_stat_name(item),
				     swaplab_stat_read(item));
	len += sysfs_emit_at(buf, len, "resident %lu\n", swaplab_frames_used());
	len += sysfs_emit_at(buf, len, "free_frames %lu\n",
			     swaplab_frames_free());
	len += sysfs_emit_at(buf, len, "pinned %lu\n", swaplab_frames_pinned());
	len += sysfs_emit_at(buf, len, "watermark_low_working %lu\n",
			     swaplab_frames_watermark_working(false));
	len += sysfs_emit_at(buf, len, "watermark_high_working %lu\n",
			     swaplab_frames_watermark_working(true));
	len += sysfs_emit_at(buf, len, "swap_slots_used %lu\n",
			     swaplab_swap_slots_in_use());
	len += sysfs_emit_at(buf, len, "swap_slots_total %lu\n",
			     swaplab_swap_slots_total());
	len += sysfs_emit_at(buf, len, "regions %lu\n", swaplab_region_count());
	len += sysfs_emit_at(buf, len, "procs %lu\n", swaplab_proc_count());
	len += sysfs_emit_at(buf, len, "shadows %lu\n", swaplab_shadow_count());
	len += sysfs_emit_at(buf, len, "page_buffer_pages %lu\n",
			     swaplab_pagebuf_pages());
	len = swaplab_compress_stat(buf, len);
	return swaplab_prefetch_stat(buf, len);
}

static ssize_t pressure_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return swaplab_psi_show(buf);
}

static struct kobj_attribute frames_attr = __ATTR_RW(frames);
static struct kobj_attribute watermark_low_attr = __ATTR_RW(watermark_low);
static struct kobj_attribute watermark_high_attr = __ATTR_RW(watermark_high);
static struct kobj_attribute region_max_attr = __ATTR_RW(region_max);
static struct kobj_attribute policy_attr = __ATTR_RW(policy);
static struct kobj_attribute allocation_attr = __ATTR_RW(allocation);
static struct kobj_attribute allocator_attr = __ATTR_RW(allocator);
static struct kobj_attribute ws_tau_attr = __ATTR_RW(ws_tau);
static struct kobj_attribute pff_upper_attr =
	__ATTR(pff_upper, 0644, pff_threshold_show, pff_threshold_store);
static struct kobj_attribute pff_lower_attr =
	__ATTR(pff_lower, 0644, pff_threshold_show, pff_threshold_store);
static struct kobj_attribute load_control_attr = __ATTR_RW(load_control);
static struct kobj_attribute load_control_max_ms_attr =
	__ATTR_RW(load_control_max_ms);
static struct kobj_attribute load_control_psi_attr =
	__ATTR_RW(load_control_psi);
static struct kobj_attribute available_allocators_attr =
	__ATTR_RO(available_allocators);
static struct kobj_attribute available_policies_attr =
	__ATTR_RO(available_policies);
static struct kobj_attribute bpf_attr = __ATTR_RO(bpf);
static struct kobj_attribute aging_interval_ms_attr =
	__ATTR_RW(aging_interval_ms);
static struct kobj_attribute swappiness_attr = __ATTR_RW(swappiness);
static struct kobj_attribute daemon_attr = __ATTR_RW(daemon);
static struct kobj_attribute admit_batch_attr = __ATTR_RW(admit_batch);
static struct kobj_attribute readahead_attr = __ATTR_RW(readahead);
static struct kobj_attribute prefetcher_attr = __ATTR_RW(prefetcher);
static struct kobj_attribute available_prefetchers_attr =
	__ATTR_RO(available_prefetchers);
static struct kobj_attribute prefetch_window_attr =
	__ATTR_RW(prefetch_window);
static struct kobj_attribute compress_attr = __ATTR_RW(compress);
static struct kobj_attribute compress_pool_max_attr =
	__ATTR_RW(compress_pool_max);
static struct kobj_attribute swapfile_attr = __ATTR_RW(swapfile);
static struct kobj_attribute swapfile_size_attr = __ATTR_RW(swapfile_size);
static struct kobj_attribute encrypt_attr = __ATTR_RW(encrypt);
static struct kobj_attribute checksum_attr = __ATTR_RW(checksum);
static struct kobj_attribute checksum_driver_attr =
	__ATTR_RO(checksum_driver);
static struct kobj_attribute fault_latency_attr = __ATTR_RW(fault_latency);
static struct kobj_attribute fault_around_attr = __ATTR_RW(fault_around);
static struct kobj_attribute map_at_move_attr = __ATTR_RW(map_at_move);
static struct kobj_attribute readahead_async_attr = __ATTR_RW(readahead_async);
static struct kobj_attribute page_buffering_attr = __ATTR_RW(page_buffering);
static struct kobj_attribute stat_attr = __ATTR_RO(stat);
static struct kobj_attribute pressure_attr = __ATTR_RO(pressure);
static struct kobj_attribute shadow_max_attr = __ATTR_RW(shadow_max);

static struct attribute *swaplab_attrs[] = {
	&frames_attr.attr,
	&watermark_low_attr.attr,
	&watermark_high_attr.attr,
	&region_max_attr.attr,
	&policy_attr.attr,
	&allocation_attr.attr,
	&allocator_attr.attr,
	&available_allocators_attr.attr,
	&ws_tau_attr.attr,
	&pff_upper_attr.attr,
	&pff_lower_attr.attr,
	&load_control_attr.attr,
	&load_control_max_ms_attr.attr,
	&load_control_psi_attr.attr,
	&available_policies_attr.attr,
	&bpf_attr.attr,
	&aging_interval_ms_attr.attr,
	&swappiness_attr.attr,
	&shadow_max_attr.attr,
	&daemon_attr.attr,
	&admit_batch_attr.attr,
	&readahead_attr.attr,
	&prefetcher_attr.attr,
	&available_prefetchers_attr.attr,
	&prefetch_window_attr.attr,
	&compress_attr.attr,
	&compress_pool_max_attr.attr,
	&swapfile_attr.attr,
	&swapfile_size_attr.attr,
	&encrypt_attr.attr,
	&checksum_attr.attr,
	&checksum_driver_attr.attr,
	&fault_latency_attr.attr,
	&fault_around_attr.attr,
	&map_at_move_attr.attr,
	&readahead_async_attr.attr,
	&page_buffering_attr.attr,
	&stat_attr.attr,
	&pressure_attr.attr,
	NULL,
};

static const struct attribute_group swaplab_attr_group = {
	.attrs = swaplab_attrs,
};

/**
 * swaplab_sysfs_init() - create /sys/kernel/swaplab/
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_sysfs_init(void)
{
	int err;

	swaplab_kobj = kobject_create_and_add("swaplab", kernel_kobj);
	if (!swaplab_kobj)
		return -ENOMEM;

	err = sysfs_create_group(swaplab_kobj, &swaplab_attr_group);
	if (err)
		goto put;
	err = swaplab_policy_sysfs_init(swaplab_kobj);
	if (err)
		goto put;
	return 0;
put:
	kobject_put(swaplab_kobj);
	return err;
}

/**
 * swaplab_sysfs_exit() - remove /sys/kernel/swaplab/
 *
 * Context: module exit.
 */
void swaplab_sysfs_exit(void)
{
	swaplab_policy_sysfs_exit();
	kobject_put(swaplab_kobj);
}
