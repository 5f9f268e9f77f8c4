/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locked memory, charged to its user's RLIMIT_MEMLOCK (memlock.c).
 */
#ifndef _SWAPLAB_MEMLOCK_H
#define _SWAPLAB_MEMLOCK_H

struct user_struct;

int swaplab_memlock_charge(unsigned long nr, struct user_struct **userp);
void swaplab_memlock_uncharge(struct user_struct *user, unsigned long nr);

#endif /* _SWAPLAB_MEMLOCK_H */
