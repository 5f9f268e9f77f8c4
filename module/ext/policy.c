// SPDX-License-Identifier: GPL-2.0
/*
 * The policy registry and selection.
 *
 * Modelled on net/ipv4/tcp_cong.c: policies register into an RCU list,
 * are checked for their required callbacks, are looked up by name, and the
 * selected one holds a reference on its module. One policy is current;
 * it sees every resident, unpinned frame (core.c makes every call into
 * it).
 *
 * Each registered policy has a directory, /sys/kernel/swaplab/policies/
 * <name>/, with a file per knob the policy owns, its refault counters,
 * and, for a policy that keeps counts of its own, stats.
 *
 * Locking: swaplab_policy_list_mutex serialises registry writers and the
 * policies' sysfs directories; readers walk the list under RCU. Selection
 * hands the new policy to core.c, which switches under its policy mutex.
 * swaplab_policy_select_mutex makes a selection one step, from the
 * lookup by name to the release of the policy replaced, and retiring a
 * policy another: a policy without a module (an eBPF one, whose memory
 * goes when it is retired) cannot be retired between its lookup and its
 * switch. Order: select mutex, then list mutex or policy mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "policy/core.h"
#include "api/policy.h"
#include "ext/policy.h"
#include "alloc/share.h"
#include "mm/tick.h"

/* Registry writers, and every policy's @kobj and swaplab_policies_kobj. */
static DEFINE_MUTEX(swaplab_policy_list_mutex);
/* A selection, lookup to release; retiring a policy. */
static DEFINE_MUTEX(swaplab_policy_select_mutex);
static LIST_HEAD(swaplab_policy_list);
/* /sys/kernel/swaplab/policies/, once sysfs is up; NULL before. */
static struct kobject *swaplab_policies_kobj;

/*
 * A policy's sysfs directory: one attribute per knob, then its refault
 * counters. Freed by the kobject's release.
 */
struct swaplab_policy_dir {
	struct kobject kobj;
	struct swaplab_policy_ops *ops;
	struct kobj_attribute knob_attr[SWAPLAB_POLICY_KNOBS_MAX];
	struct attribute *attrs[SWAPLAB_POLICY_KNOBS_MAX + 4];
	struct attribute_group group;
};

static struct swaplab_policy_dir *to_dir(struct kobject *kobj)
{
	return container_of(kobj, struct swaplab_policy_dir, kobj);
}

static ssize_t knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct swaplab_policy_dir *d = to_dir(kobj);

	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(d->ops->knobs[attr - d->knob_attr].val));
}

static ssize_t knob_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct swaplab_policy_dir *d = to_dir(kobj);
	struct swaplab_policy_knob *k = &d->ops->knobs[attr - d->knob_attr];
	unsigned int val;

	if (kstrtouint(buf, 10, &val) || val < k->min || val > k->max)
		return -EINVAL;
	WRITE_ONCE(k->val, val);
	return count;
}

static ssize_t refaults_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	/* Counted at admission: hand over what the batches hold first. */
	swaplab_core_drain();
	return sysfs_emit(buf, "%lu\n", READ_ONCE(to_dir(kobj)->ops->nr_refaults));
}

static ssize_t predicted_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	swaplab_core_drain();
	return sysfs_emit(buf, "%lu\n",
			  READ_ONCE(to_dir(kobj)->ops->nr_predicted));
}

/* Its own counts, "name value" a line; only while it is current. */
static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct swaplab_policy_stat st[SWAPLAB_POLICY_STATS_MAX];
	int i, n = swaplab_core_stats(to_dir(kobj)->ops, st);
	ssize_t len = 0;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%s %llu\n", st[i].name,
				     st[i].value);
	return len;
}

static struct kobj_attribute refaults_attr = __ATTR_RO(refaults);
static struct kobj_attribute stats_attr = __ATTR_RO(stats);
static struct kobj_attribute predicted_attr = __ATTR_RO(predicted);

static void swaplab_policy_dir_release(struct kobject *kobj)
{
	kfree(to_dir(kobj));
}

static const struct kobj_type swaplab_policy_dir_ktype = {
	.release	= swaplab_policy_dir_release,
	.sysfs_ops	= &kobj_sysfs_ops,
};

/* Create @ops' directory, if the parent exists yet. */
static int swaplab_policy_dir_add(struct swaplab_policy_ops *ops)
{
	struct swaplab_policy_dir *d;
	int i, n = 0, err;

	lockdep_assert_held(&swaplab_policy_list_mutex);
	if (!swaplab_policies_kobj)
		return 0;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->ops = ops;
	for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX && ops->knobs[i].name; i++) {
		struct kobj_attribute *a = &d->knob_attr[i];

		sysfs_attr_init(&a->attr);
		a->attr.name = ops->knobs[i].name;
		a->attr.mode = 0644;
		a->show = knob_show;
		a->store = knob_store;
		d->attrs[n++] = &a->attr;
	}
	d->attrs[n++] = &refaults_attr.attr;
	d->attrs[n++] = &predicted_attr.attr;
	if (ops->stats)
		d->attrs[n++] = &stats_attr.attr;
	d->group.attrs = d->attrs;
	err = kobject_init_and_add(&d->kobj, &swaplab_policy_dir_ktype,
				   swaplab_policies_kobj, "%s", ops->name);
	if (!err)
		err = sysfs_create_group(&d->kobj, &d->group);
	if (err) {
		kobject_put(&d->kobj);
		return err;
	}
	ops->kobj = &d->kobj;
	return 0;
}

static void swaplab_policy_dir_del(struct swaplab_policy_ops *ops)
{
	lockdep_assert_held(&swaplab_policy_list_mutex);
	if (!ops->kobj)
		return;
	/* Gone from sysfs now, stores included: @ops may be freed after. */
	kobject_del(ops->kobj);
	kobject_put(ops->kobj);
	ops->kobj = NULL;
}

/* Knobs must have names up to the first unnamed one, and sane ranges. */
static bool swaplab_policy_knobs_valid(struct swaplab_policy_ops *ops)
{
	bool end = false;
	int i;

	for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX; i++) {
		struct swaplab_policy_knob *k = &ops->knobs[i];

		if (!k->name) {
			end = true;
			continue;
		}
		if (end || k->min > k->max || k->def < k->min ||
		    k->def > k->max)
			return false;
	}
	return true;
}

static struct swaplab_policy_ops *swaplab_policy_find(const char *name)
{
	struct swaplab_policy_ops *ops;

	list_for_each_entry_rcu(ops, &swaplab_policy_list, list,
				lockdep_is_held(&swaplab_policy_list_mutex))
		if (sysfs_streq(name, ops->name))
			return ops;
	return NULL;
}

/**
 * swaplab_policy_register() - make a policy selectable by name
 * @ops: the policy; its required callbacks must be set
 *
 * Its knobs start at their defaults, and its directory appears under
 * /sys/kernel/swaplab/policies/.
 *
 * Context: process context.
 * Return: 0, -EINVAL if a required callback or the name is missing or a
 * knob is malformed, -EEXIST if a policy of that name is registered,
 * -ENOMEM.
 */
int swaplab_policy_register(struct swaplab_policy_ops *ops)
{
	int i, err = 0;

	if (!ops->admit || !ops->remove || !ops->victim || !ops->name[0] ||
	    (ops->flags & SWAPLAB_POLICY_TICK && !ops->tick) ||
	    (ops->flags & SWAPLAB_POLICY_REFS_AT_TICK &&
	     !(ops->flags & SWAPLAB_POLICY_TICK)) ||
	    !swaplab_policy_knobs_valid(ops)) {
		pr_err("policy %s does not implement required ops\n",
		       ops->name);
		return -EINVAL;
	}
	for (i = 0; i < SWAPLAB_POLICY_KNOBS_MAX; i++)
		ops->knobs[i].val = ops->knobs[i].def;
	ops->nr_refaults = 0;
	ops->nr_predicted = 0;
	ops->kobj = NULL;

	mutex_lock(&swaplab_policy_list_mutex);
	if (swaplab_policy_find(ops->name))
		err = -EEXIST;
	else
		err = swaplab_policy_dir_add(ops);
	if (!err)
		list_add_tail_rcu(&ops->list, &swaplab_policy_list);
	mutex_unlock(&swaplab_policy_list_mutex);
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
	mutex_lock(&swaplab_policy_list_mutex);
	list_del_rcu(&ops->list);
	swaplab_policy_dir_del(ops);
	mutex_unlock(&swaplab_policy_list_mutex);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(swaplab_policy_unregister);

/*
 * Free what a selection leaves: @n states (kvfree(): release() is for
 * the state of the whole budget only) and their array.
 */
static void swaplab_policy_free_pstates(void **pstates, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		kvfree(pstates[i]);
	kvfree(pstates);
}

/*
 * Make policy @name current, with one state per process if @local.
 * Under the select mutex.
 */
static int __swaplab_policy_select(const char *name, bool local)
{
	struct swaplab_core_sel sel = { .local = local };
	struct swaplab_policy_ops *ops, *old;
	struct module *owner;
	void *old_state;
	unsigned int i;
	int err;

	lockdep_assert_held(&swaplab_policy_select_mutex);
	rcu_read_lock();
	ops = swaplab_policy_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return -EINVAL;
	if (local && (ops->flags & SWAPLAB_POLICY_GLOBAL_ONLY)) {
		err = -EOPNOTSUPP;
		goto put_module;
	}
	sel.ops = ops;
	sel.state = kvzalloc(ops->state_size ?: 1, GFP_KERNEL);
	if (!sel.state) {
		err = -ENOMEM;
		goto put_module;
	}
	do {
		/* Room for the processes now, and a few more to come. */
		sel.nr = swaplab_core_nr_procs() + 4;
		sel.pstates = kvcalloc(sel.nr, sizeof(void *), GFP_KERNEL);
		err = sel.pstates ? 0 : -ENOMEM;
		for (i = 0; !err && local && i < sel.nr; i++) {
			sel.pstates[i] = kvzalloc(ops->state_size ?: 1,
						  GFP_KERNEL_ACCOUNT);
			if (!sel.pstates[i])
				err = -ENOMEM;
		}
		if (!err)
			err = swaplab_core_switch(&sel, &old, &old_state);
		if (sel.pstates)
			swaplab_policy_free_pstates(sel.pstates, sel.nr);
	} while (err == -EAGAIN);
	if (err)
		goto free_state;

	if (old) {
		/* release() may free @old (a retired eBPF policy). */
		owner = old->owner;
		if (old->release)
			old->release(old_state);
		kvfree(old_state);
		module_put(owner);
	}
	if ((ops->flags & SWAPLAB_POLICY_TICK) || swaplab_share_decides())
		swaplab_tick_start();
	return 0;

free_state:
	kvfree(sel.state);
put_module:
	module_put(ops->owner);
	return err;
}

/* swaplab_policy_set(), under the select mutex. */
static int __swaplab_policy_set(const char *name)
{
	return __swaplab_policy_select(name, swaplab_core_local());
}

/**
 * swaplab_policy_set() - make a registered policy current, live
 * @name: the policy's name (a trailing newline is ignored)
 *
 * Every admitted frame is handed to the new policy in admission order.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0, -EINVAL for an unknown name (nothing changes), -EOPNOTSUPP
 * for a policy that cannot be local while allocation is local, -ENOMEM,
 * or the policy's init() error.
 */
int swaplab_policy_set(const char *name)
{
	int err;

	mutex_lock(&swaplab_policy_select_mutex);
	err = __swaplab_policy_set(name);
	mutex_unlock(&swaplab_policy_select_mutex);
	return err;
}

/**
 * swaplab_policy_set_local() - switch between global and local allocation
 * @local: true for allocation=local
 *
 * Selects the current policy again, in the new mode: one state for all
 * processes, or one per process, and every admitted frame handed to it
 * in admission order, as a selection does. Its history starts over.
 *
 * Context: process context; takes the policy mutex.
 * Return: 0 (also when the mode is already @local: nothing changes);
 * -EOPNOTSUPP when the current policy cannot be local
 * (%SWAPLAB_POLICY_GLOBAL_ONLY: an eBPF program that keeps one order of
 * its own); -ENOMEM, or the
 * policy's init() error. On error nothing changes.
 */
int swaplab_policy_set_local(bool local)
{
	char name[SWAPLAB_POLICY_NAME_MAX];
	int err = 0;

	mutex_lock(&swaplab_policy_select_mutex);
	if (swaplab_core_local() != local) {
		swaplab_core_policy_name(name);
		err = __swaplab_policy_select(name, local);
	}
	mutex_unlock(&swaplab_policy_select_mutex);
	return err;
}

/*
 * If @ops is current, select the default policy in its place, or fifo
 * (whose state is too small to fail) if the default cannot be. Under the
 * select mutex. Return: true if @ops was current and is no longer.
 */
static bool __swaplab_policy_leave(struct swaplab_policy_ops *ops)
{
	lockdep_assert_held(&swaplab_policy_select_mutex);
	if (!swaplab_core_is_current(ops))
		return false;
	if (__swaplab_policy_set(SWAPLAB_DEFAULT_POLICY) &&
	    __swaplab_policy_set("fifo")) {
		pr_warn("policy %s still current: no memory to leave it\n",
			ops->name);
		return false;
	}
	return true;
}

/**
 * swaplab_policy_retire() - unregister a policy, leaving it if current
 * @ops: a registered policy with no module to hold (an eBPF one)
 *
 * After it returns no selection can find @ops; if it was current the
 * default policy is selected in its place, or fifo (whose state is too
 * small to fail) if the default cannot be. Only if both fail does @ops
 * stay current, until the next selection; its release() then comes last.
 *
 * Context: process context; sleeps.
 */
void swaplab_policy_retire(struct swaplab_policy_ops *ops)
{
	mutex_lock(&swaplab_policy_select_mutex);
	swaplab_policy_unregister(ops);
	__swaplab_policy_leave(ops);
	mutex_unlock(&swaplab_policy_select_mutex);
}

/**
 * swaplab_policy_leave() - give way to the default policy, if current
 * @ops: a registered policy whose decisions can no longer be made (the
 *	pager policy, when its pager goes away)
 *
 * As swaplab_policy_retire(), but @ops stays registered and selectable.
 *
 * Context: process context; sleeps.
 * Return: true if @ops was current and the default (or fifo) now is.
 */
bool swaplab_policy_leave(struct swaplab_policy_ops *ops)
{
	bool left;

	mutex_lock(&swaplab_policy_select_mutex);
	left = __swaplab_policy_leave(ops);
	mutex_unlock(&swaplab_policy_select_mutex);
	return left;
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

	swaplab_core_policy_name(name);
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
 * swaplab_policy_init() - register the built-in policies, select gen
 * @builtin: the built-in policies (main.c lists them: the registry calls
 *	into no policy file by name)
 * @nr: how many; one of them is gen, the default: generations, an aging
 *	algorithm (the project's design asks for one) that also uses the
 *	refault distance
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_policy_init(struct swaplab_policy_ops **builtin, int nr)
{
	int i, err;

	err = swaplab_core_init();
	if (err)
		return err;
	for (i = 0; i < nr; i++) {
		err = swaplab_policy_register(builtin[i]);
		if (err)
			goto unregister;
	}
	err = swaplab_policy_set(SWAPLAB_DEFAULT_POLICY);
	if (err)
		goto unregister;
	return 0;

unregister:
	while (--i >= 0)
		swaplab_policy_unregister(builtin[i]);
	swaplab_core_exit();
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
	struct module *owner;
	void *state;
	int i;

	ops = swaplab_core_detach(&state);
	owner = ops->owner;
	if (ops->release)
		ops->release(state);
	kvfree(state);
	module_put(owner);
	for (i = nr - 1; i >= 0; i--)
		swaplab_policy_unregister(builtin[i]);
	swaplab_core_exit();
}

/**
 * swaplab_policy_sysfs_init() - create /sys/kernel/swaplab/policies/
 * @parent: /sys/kernel/swaplab/
 *
 * Every policy registered so far gets its directory now, later ones at
 * registration.
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int swaplab_policy_sysfs_init(struct kobject *parent)
{
	struct swaplab_policy_ops *ops;
	int err = 0;

	mutex_lock(&swaplab_policy_list_mutex);
	swaplab_policies_kobj = kobject_create_and_add("policies", parent);
	if (!swaplab_policies_kobj)
		err = -ENOMEM;
	list_for_each_entry(ops, &swaplab_policy_list, list) {
		if (err)
			break;
		err = swaplab_policy_dir_add(ops);
	}
	mutex_unlock(&swaplab_policy_list_mutex);
	if (err)
		swaplab_policy_sysfs_exit();
	return err;
}

/**
 * swaplab_policy_sysfs_exit() - remove /sys/kernel/swaplab/policies/
 *
 * Context: module exit, or a failed swaplab_policy_sysfs_init().
 */
void swaplab_policy_sysfs_exit(void)
{
	struct swaplab_policy_ops *ops;

	mutex_lock(&swaplab_policy_list_mutex);
	list_for_each_entry(ops, &swaplab_policy_list, list)
		swaplab_policy_dir_del(ops);
	kobject_put(swaplab_policies_kobj);
	swaplab_policies_kobj = NULL;
	mutex_unlock(&swaplab_policy_list_mutex);
}
