/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pressure stall information (psi.c): the time tasks wait for swaplab's
 * frames and I/O, in /proc/pressure/memory's format.
 */
#ifndef _SWAPLAB_PSI_H
#define _SWAPLAB_PSI_H

#include <linux/types.h>

/**
 * struct swaplab_psi_group - the tasks whose stalls count as one for full
 * @nr_stalled: its tasks stalled now
 * @inactive: swaplab_psi_set_active() took it out of the count for full
 * @counted: it is in the count of active groups with no task stalled
 * @period: the averaging period of its last activity
 * @touch_until: the end of @period in ns: a touch before it has nothing
 *	to record (READ_ONCE() by swaplab_psi_touch())
 *
 * Opaque to callers: they embed it, pass it to swaplab_psi_group_init()
 * and swaplab_psi_group_exit(), and name it when a task stalls. Fields
 * under swaplab_psi_lock (psi.c).
 */
struct swaplab_psi_group {
	unsigned int nr_stalled;
	bool inactive;
	bool counted;
	u64 period;
	u64 touch_until;
};

/**
 * struct swaplab_psi_stall - one task's wait, on the waiter's stack
 * @group: the group the task stalls in; NULL when not stalled
 */
struct swaplab_psi_stall {
	struct swaplab_psi_group *group;
};

void swaplab_psi_group_init(struct swaplab_psi_group *group);
void swaplab_psi_group_exit(struct swaplab_psi_group *group);
void swaplab_psi_stall_begin(struct swaplab_psi_stall *stall,
			     struct swaplab_psi_group *group);
void swaplab_psi_stall_end(struct swaplab_psi_stall *stall);
void swaplab_psi_touch(struct swaplab_psi_group *group);
void swaplab_psi_set_active(struct swaplab_psi_group *group, bool active);
int swaplab_psi_show(char *buf);
unsigned int swaplab_psi_full_avg10(void);
void swaplab_psi_totals(u64 *busy, u64 *full);

#endif /* _SWAPLAB_PSI_H */
