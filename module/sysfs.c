// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/swaplab/: tuning knobs and the stat file.
 *
 * One ASCII value per file, except stat, which holds "name value" lines
 * like /proc/vmstat so that a tool reads every counter in one go. Every
 * store rejects bad input with -EINVAL and leaves the value unchanged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "swaplab.h"

static struct kobject *swaplab_kobj;

/*
 * Parse a size in bytes with an optional K, M or G suffix (powers of
 * 1024) and an optional trailing newline. Overflow is an error.
 */
static int swaplab_parse_size(const char *buf, u64 *bytes)
{
	char num[32];
	unsigned int shift = 0;
	size_t len;
	u64 val;
	int err;

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

	err = kstrtou64(num, 10, &val);
	if (err)
		return -EINVAL;
	if (val > (U64_MAX >> shift))
		return -EINVAL;
	*bytes = val << shift;
	return 0;
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

	err = kstrtoul(buf, 10, &frames);
	if (err)
		return -EINVAL;
	err = swaplab_frames_set_budget(frames);
	return err ? err : count;
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
	u64 bytes;
	int err;

	err = swaplab_parse_size(buf, &bytes);
	if (!err)
		err = swaplab_region_set_max(bytes);
	return err ? err : count;
}

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	enum swaplab_stat_item item;
	int len = 0;

	for (item = 0; item < NR_SWAPLAB_STAT_ITEMS; item++)
		len += sysfs_emit_at(buf, len, "%s %lu\n",
				     swaplab_stat_name(item),
				     swaplab_stat_read(item));
	len += sysfs_emit_at(buf, len, "resident %lu\n", swaplab_frames_used());
	len += sysfs_emit_at(buf, len, "free_frames %lu\n",
			     swaplab_frames_free());
	len += sysfs_emit_at(buf, len, "regions %lu\n", swaplab_region_count());
	return len;
}

static struct kobj_attribute frames_attr = __ATTR_RW(frames);
static struct kobj_attribute region_max_attr = __ATTR_RW(region_max);
static struct kobj_attribute stat_attr = __ATTR_RO(stat);

static struct attribute *swaplab_attrs[] = {
	&frames_attr.attr,
	&region_max_attr.attr,
	&stat_attr.attr,
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
	if (err) {
		kobject_put(swaplab_kobj);
		return err;
	}
	return 0;
}

/**
 * swaplab_sysfs_exit() - remove /sys/kernel/swaplab/
 *
 * Context: module exit.
 */
void swaplab_sysfs_exit(void)
{
	kobject_put(swaplab_kobj);
}
