// SPDX-License-Identifier: GPL-2.0
/*
 * The policy registry and selection.
 *
 * Modelled on net/ipv4/tcp_cong.c: policies register into an RCU list,
 * are checked for their required callbacks, are looked up by name, and the
 * selected one holds a reference on its module. One policy is current;
 * it sees every resident, unpinned frame (lists.c makes every call into
 * it).
 *
 * Locking: swaplab_policy_list_lock (spinlock) serialises registry
 * writers; readers walk the list under RCU. Selection hands the new
 * policy to lists.c, which switches under its policy mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "policy.h"
#include "swaplab.h"

static DEFINE_SPINLOCK(swaplab_policy_list_lock);
static LIST_HEAD(swaplab_policy_list);

/**
 * swaplab_policy_random() - a random number for policies
 *
 * Return: 32 random bits.
 */
unsigned int swaplab_policy_random(void)
{
	return get_random_u32();
}
EXPORT_SYMBOL_GPL(swaplab_policy_random);

static struct swaplab_policy_ops *swaplab_policy_find(const char *name)
{
	struct swaplab_policy_ops *ops;

	list_for_each_entry_rcu(ops, &swaplab_policy_list, list,
				lockdep_is_held(&swaplab_policy_list_lock))
		if (sysfs_streq(name, ops->name))
			return ops;
	return NULL;
}

/**
 * swaplab_policy_register() - make a policy selectable by name
 * @ops: the policy; its required callbacks must be set
 *
 * Context: process context.
 * Return: 0, -EINVAL if a required callback or the name is missing,
 * -EEXIST if a policy of that name is registered.
 */
int swaplab_policy_register(struct swaplab_policy_ops *ops)
{
	int err = 0;

	if (!ops->admit || !ops->forget || !ops->victim || !ops->name[0] ||
	    (ops->flags & SWAPLAB_POLICY_TICK && !ops->tick) ||
	    (ops->flags & SWAPLAB_POLICY_REFS_AT_TICK &&
	     !(ops->flags & SWAPLAB_POLICY_TICK))) {
		pr_err("policy %s does not implement required ops\n",
		       ops->name);
		return -EINVAL;
	}

	spin_lock(&swaplab_policy_list_lock);
	if (swaplab_policy_find(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &swaplab_policy_list);
	spin_unlock(&swaplab_policy_list_lock);
	return err;
}
EXPORT_SYMBOL_GPL(swaplab_policy_register);

/**
 * swaplab_policy_unregister() - remove a policy from the registry
 * @ops: a registered policy; not the current one (selection holds a
 *	reference on its module, so its module cannot be unloading)
 *
 * Context: process context, sleeps in synchronize_rcu().
 */
void swaplab_policy_unregister(struct swaplab_policy_ops *ops)
{
	spin_lock(&swaplab_policy_list_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&swaplab_policy_list_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(swaplab_policy_unregister);

/**
 * swaplab_policy_set() - make a registered policy current, live
 * @name: the policy's name (a trailing newline is ignored)
 *
 * Every admitted frame is handed to the new policy in admission order.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, -EINVAL for an unknown name (nothing changes), -ENOMEM.
 */
int swaplab_policy_set(const char *name)
{
	struct swaplab_policy_ops *ops, *old;
	void *state, *old_state;
	int err;

	rcu_read_lock();
	ops = swaplab_policy_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return -EINVAL;

	state = kvzalloc(ops->state_size ?: 1, GFP_KERNEL);
	if (!state) {
		err = -ENOMEM;
		goto put_module;
	}
	if (ops->init) {
		err = ops->init(state);
		if (err)
			goto free_state;
	}

	old = swaplab_policy_switch(ops, state, &old_state);

	if (old) {
		if (old->release)
			old->release(old_state);
		kvfree(old_state);
		module_put(old->owner);
	}
	if (ops->flags & SWAPLAB_POLICY_TICK)
		swaplab_tick_start();
	return 0;

free_state:
	kvfree(state);
put_module:
	module_put(ops->owner);
	return err;
}

/**
 * swaplab_policy_show_current() - print the current policy's name
 * @buf: a sysfs buffer
 *
 * Return: bytes written.
 */
ssize_t swaplab_policy_show_current(char *buf)
{
	char name[SWAPLAB_POLICY_NAME_MAX];

	swaplab_policy_name(name);
	return sysfs_emit(buf, "%s\n", name);
}

/**
 * swaplab_policy_show_available() - print every registered policy's name
 * @buf: a sysfs buffer
 *
 * Return: bytes written: the names separated by spaces, then a newline.
 */
ssize_t swaplab_policy_show_available(char *buf)
{
	struct swaplab_policy_ops *ops;
	ssize_t len = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(ops, &swaplab_policy_list, list)
		len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
				     ops->name);
	rcu_read_unlock();
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/**
 * swaplab_policy_init() - register the built-in policies, select aging
 * @builtin: the built-in policies (main.c lists them: the registry calls
 *	into no policy file by name)
 * @nr: how many; one of them is aging
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_policy_init(struct swaplab_policy_ops **builtin, int nr)
{
	int i, err;

	for (i = 0; i < nr; i++) {
		err = swaplab_policy_register(builtin[i]);
		if (err)
			goto unregister;
	}
	err = swaplab_policy_set("aging");
	if (err)
		goto unregister;
	return 0;

unregister:
	while (--i >= 0)
		swaplab_policy_unregister(builtin[i]);
	return err;
}

/**
 * swaplab_policy_exit() - drop the current policy and the built-in ones
 * @builtin: the built-in policies, as given to swaplab_policy_init()
 * @nr: how many
 *
 * Context: module exit, after swaplab_tick_exit(); no frame is left.
 */
void swaplab_policy_exit(struct swaplab_policy_ops **builtin, int nr)
{
	struct swaplab_policy_ops *ops;
	void *state;
	int i;

	ops = swaplab_policy_detach(&state);
	if (ops->release)
		ops->release(state);
	kvfree(state);
	module_put(ops->owner);
	for (i = nr - 1; i >= 0; i--)
		swaplab_policy_unregister(builtin[i]);
}
