/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The knobs under /sys/kernel/swaplab/ (sysfs.c).
 */
#ifndef _SWAPLAB_SYSFS_H
#define _SWAPLAB_SYSFS_H

#include <linux/types.h>

int swaplab_sysfs_parse_size(const char *buf, u64 *bytes);
int swaplab_sysfs_init(void);
void swaplab_sysfs_exit(void);

#endif /* _SWAPLAB_SYSFS_H */
