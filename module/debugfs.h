/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Experimental figures under debugfs, no ABI (debugfs.c).
 */
#ifndef _SWAPLAB_DEBUGFS_H
#define _SWAPLAB_DEBUGFS_H

void swaplab_debugfs_init(void);
void swaplab_debugfs_exit(void);

#endif /* _SWAPLAB_DEBUGFS_H */
