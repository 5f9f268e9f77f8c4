/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /dev/swaplab misc device (chardev.c).
 */
#ifndef _SWAPLAB_CHARDEV_H
#define _SWAPLAB_CHARDEV_H

#include <linux/types.h>

int swaplab_chardev_init(umode_t mode);
void swaplab_chardev_exit(void);

#endif /* _SWAPLAB_CHARDEV_H */
