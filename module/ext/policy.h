/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy registry and selection (policy.c), as the rest of the
 * module calls them; a policy module calls only what api/policy.h
 * declares.
 */
#ifndef _SWAPLAB_EXT_POLICY_H
#define _SWAPLAB_EXT_POLICY_H

#include <linux/types.h>

struct kobject;
struct swaplab_policy_ops;

int swaplab_policy_init(struct swaplab_policy_ops **builtin, int nr);
void swaplab_policy_exit(struct swaplab_policy_ops **builtin, int nr);
int swaplab_policy_set(const char *name);
int swaplab_policy_set_local(bool local);
void swaplab_policy_retire(struct swaplab_policy_ops *ops);
bool swaplab_policy_leave(struct swaplab_policy_ops *ops);
int swaplab_policy_sysfs_init(struct kobject *parent);
void swaplab_policy_sysfs_exit(void);
ssize_t swaplab_policy_show_current(char *buf);
ssize_t swaplab_policy_show_available(char *buf);

#endif /* _SWAPLAB_EXT_POLICY_H */
