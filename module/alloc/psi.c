// SPDX-License-Identifier: GPL-2.0
/*
 * Pressure stall information for swaplab: how long tasks wait for
 * swaplab's frames and I/O, shown as /proc/pressure/memory shows the
 * kernel's (kernel/sched/psi.c, Documentation/accounting/psi.rst).
 *
 * A task stalls from swaplab_psi_stall_begin() to swaplab_psi_stall_end():
 * the fault path brackets each of its waits with them (a free frame,
 * direct reclaim and its writes, the read of the faulting page, its
 * decompression, the external pager's answer, the lock of a page under
 * I/O). Two states are timed, as PSI times them:
 *
 *  - some: at least one task is stalled;
 *  - full: every active group has a stalled task.
 *
 * PSI's full means that every non-idle task is stalled. swaplab sees only
 * the tasks that fault on it, and only when they stall, so it counts
 * groups instead of tasks (a group is the tasks that fault on one
 * process's regions: struct swaplab_proc's): a group is active while
 * it has a stalled task, or when it had activity (a stall began or ended,
 * a fault touched it) in the current averaging period or the one before,
 * so for 2 to 4 seconds after; and not while swaplab_psi_set_active() has
 * it out. So full is "no active group is making progress", at the
 * resolution of a period, and an approximation: a task that computes
 * without faulting, in a process with another task stalled, does not keep
 * full from counting, as it would for PSI.
 *
 * The totals are in nanoseconds (shown in microseconds). The averages
 * are PSI's: at the end of each 2 s period, the share of it spent in the
 * state, in percent, is folded into three exponentially decaying
 * averages with calc_load() and PSI's factors for 10, 60 and 300 s.
 * There is no timer: every change, read and touch first accounts the
 * time since the last one, and folds the periods that ended meanwhile,
 * those in one unchanged state at once with a fixed-point power of the
 * factor (calc_load_n() is not exported).
 *
 * A leaf: it calls nothing of the module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/math64.h>
#include <linux/sched/loadavg.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include "alloc/psi.h"

/* The averaging period, and PSI's decay factors for it (fixed point). */
#define SWAPLAB_PSI_PERIOD	(2 * NSEC_PER_SEC)
#define SWAPLAB_PSI_EXP_10S	1677	/* 1/exp(2s/10s) */
#define SWAPLAB_PSI_EXP_60S	1981	/* 1/exp(2s/60s) */
#define SWAPLAB_PSI_EXP_300S	2034	/* 1/exp(2s/300s) */

enum { SWAPLAB_PSI_SOME, SWAPLAB_PSI_FULL, SWAPLAB_PSI_NR };

static const unsigned long swaplab_psi_exp[3] = {
	SWAPLAB_PSI_EXP_10S, SWAPLAB_PSI_EXP_60S, SWAPLAB_PSI_EXP_300S,
};

/*
 * swaplab_psi_lock protects swaplab_psi and every group's fields. It is
 * taken alone, from faults (possibly under a page lock) and from reads
 * of the pressure file; nothing is taken or called under it.
 */
static DEFINE_SPINLOCK(swaplab_psi_lock);

/**
 * struct swaplab_psi_state - the stall clock
 * @last: the time accounted up to, in ns (ktime_get_ns())
 * @period_end: the end of the current averaging period
 * @seq: the number of the current period
 * @nr_tasks: tasks stalled now, in every group
 * @nr_full: active groups with a stalled task
 * @nr_idle: active groups with none, by the parity of their period
 *	(the current one's and the one before's)
 * @total: ns spent in each state
 * @busy: ns in which an active group had a stalled task (some, less the
 *	waits of the groups set inactive): the pressure of the processes
 *	meant to run, for load control
 * @now: ns spent in each state in the current period
 * @avg: each state's averages over 10, 60 and 300 s, in percent as
 *	fixed point (FIXED_1 is 1%)
 */
struct swaplab_psi_state {
	u64 last;
	u64 period_end;
	u64 seq;
	unsigned int nr_tasks;
	unsigned int nr_full;
	unsigned int nr_idle[2];
	u64 total[SWAPLAB_PSI_NR];
	u64 busy;
	u64 now[SWAPLAB_PSI_NR];
	unsigned long avg[SWAPLAB_PSI_NR][3];
};

static struct swaplab_psi_state swaplab_psi;

/* Is every active group stalled? At least one must be. */
static bool swaplab_psi_full(void)
{
	const struct swaplab_psi_state *s = &swaplab_psi;

	return s->nr_full && !s->nr_idle[0] && !s->nr_idle[1];
}

/* Account the time up to @until to the states as they are. */
static void swaplab_psi_account(u64 until)
{
	struct swaplab_psi_state *s = &swaplab_psi;
	u64 delta = until - s->last;

	s->last = until;
	if (!s->nr_tasks)
		return;
	if (s->nr_full)
		s->busy += delta;
	s->total[SWAPLAB_PSI_SOME] += delta;
	s->now[SWAPLAB_PSI_SOME] += delta;
	if (swaplab_psi_full()) {
		s->total[SWAPLAB_PSI_FULL] += delta;
		s->now[SWAPLAB_PSI_FULL] += delta;
	}
}

/*
 * @x to the power @n, both fixed point with FSHIFT bits, rounded at each
 * product: the factor that decays an average over @n periods.
 */
static unsigned long swaplab_psi_pow(unsigned long x, u64 n)
{
	unsigned long result = FIXED_1;

	while (n && result) {
		if (n & 1)
			result = (result * x + FIXED_1 / 2) >> FSHIFT;
		n >>= 1;
		x = (x * x + FIXED_1 / 2) >> FSHIFT;
	}
	return result;
}

/*
 * Fold @n periods into the averages, each state having spent @time[state]
 * ns of each of them stalled: avg = avg * e^n + sample * (1 - e^n).
 */
static void swaplab_psi_fold(const u64 *time, u64 n)
{
	struct swaplab_psi_state *s = &swaplab_psi;
	unsigned long pct, exp;
	int st, w;

	for (st = 0; st < SWAPLAB_PSI_NR; st++) {
		/* Whole percents, as PSI samples them. */
		pct = div_u64(time[st] * 100, SWAPLAB_PSI_PERIOD) * FIXED_1;
		for (w = 0; w < 3; w++) {
			exp = swaplab_psi_exp[w];
			if (n > 1)
				exp = swaplab_psi_pow(exp, n);
			s->avg[st][w] = calc_load(s->avg[st][w], exp, pct);
		}
	}
}

/*
 * Bring the clock to @now: account the time since the last change, and
 * fold every period that ended. A period's end retires the groups whose
 * activity was two periods ago; once none is left, the state cannot
 * change until the next call, and the remaining whole periods are folded
 * at once.
 */
static void swaplab_psi_advance(u64 now)
{
	struct swaplab_psi_state *s = &swaplab_psi;
	u64 n, t[SWAPLAB_PSI_NR];

	while (now >= s->period_end) {
		swaplab_psi_account(s->period_end);
		swaplab_psi_fold(s->now, 1);
		s->now[SWAPLAB_PSI_SOME] = 0;
		s->now[SWAPLAB_PSI_FULL] = 0;
		s->seq++;
		s->nr_idle[s->seq & 1] = 0;
		s->period_end += SWAPLAB_PSI_PERIOD;
		if (s->nr_idle[0] || s->nr_idle[1] || now < s->period_end)
			continue;

		n = div64_u64(now - s->last, SWAPLAB_PSI_PERIOD);
		t[SWAPLAB_PSI_SOME] = s->nr_tasks ? SWAPLAB_PSI_PERIOD : 0;
		t[SWAPLAB_PSI_FULL] = swaplab_psi_full() ? SWAPLAB_PSI_PERIOD : 0;
		s->total[SWAPLAB_PSI_SOME] += n * t[SWAPLAB_PSI_SOME];
		s->total[SWAPLAB_PSI_FULL] += n * t[SWAPLAB_PSI_FULL];
		if (s->nr_full)
			s->busy += n * SWAPLAB_PSI_PERIOD;
		swaplab_psi_fold(t, n);
		s->seq += n;
		s->last += n * SWAPLAB_PSI_PERIOD;
		s->period_end += n * SWAPLAB_PSI_PERIOD;
	}
	swaplab_psi_account(now);
}

/* Take @group out of the count of active groups with no task stalled. */
static void swaplab_psi_uncount(struct swaplab_psi_group *group)
{
	struct swaplab_psi_state *s = &swaplab_psi;

	if (!group->counted)
		return;
	/* Two periods on, its count was dropped with its period. */
	if (group->period + 1 >= s->seq)
		s->nr_idle[group->period & 1]--;
	group->counted = false;
}

/* Record activity of @group now: active for this period and the next. */
static void swaplab_psi_stamp(struct swaplab_psi_group *group)
{
	struct swaplab_psi_state *s = &swaplab_psi;

	swaplab_psi_uncount(group);
	group->period = s->seq;
	WRITE_ONCE(group->touch_until, s->period_end);
	if (!group->nr_stalled && !group->inactive) {
		s->nr_idle[s->seq & 1]++;
		group->counted = true;
	}
}

/**
 * swaplab_psi_group_init() - set up a group of tasks
 * @group: the group, embedded in its owner
 *
 * The group counts for full once it has activity.
 *
 * Context: any.
 */
void swaplab_psi_group_init(struct swaplab_psi_group *group)
{
	*group = (struct swaplab_psi_group){ };
}

/**
 * swaplab_psi_group_exit() - take a group out of the count
 * @group: the group; none of its tasks is stalled
 *
 * Context: process context; takes swaplab_psi_lock.
 */
void swaplab_psi_group_exit(struct swaplab_psi_group *group)
{
	u64 now = ktime_get_ns();

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	WARN_ON_ONCE(group->nr_stalled);
	swaplab_psi_uncount(group);
	spin_unlock(&swaplab_psi_lock);
}

/**
 * swaplab_psi_stall_begin() - a task starts to wait for swaplab
 * @stall: the wait, on the waiter's stack
 * @group: the group the task belongs to
 *
 * Context: process context; takes swaplab_psi_lock (no other lock of the
 * module is needed or taken; a page lock may be held).
 */
void swaplab_psi_stall_begin(struct swaplab_psi_stall *stall,
			     struct swaplab_psi_group *group)
{
	struct swaplab_psi_state *s = &swaplab_psi;
	u64 now = ktime_get_ns();

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	s->nr_tasks++;
	if (!group->nr_stalled++ && !group->inactive)
		s->nr_full++;
	swaplab_psi_stamp(group);
	spin_unlock(&swaplab_psi_lock);
	stall->group = group;
}

/**
 * swaplab_psi_stall_end() - the wait begun with @stall is over
 * @stall: the wait; nothing happens if it was not begun
 *
 * Context: process context; takes swaplab_psi_lock.
 */
void swaplab_psi_stall_end(struct swaplab_psi_stall *stall)
{
	struct swaplab_psi_group *group = stall->group;
	struct swaplab_psi_state *s = &swaplab_psi;
	u64 now;

	if (!group)
		return;
	stall->group = NULL;
	now = ktime_get_ns();
	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	s->nr_tasks--;
	if (!--group->nr_stalled && !group->inactive)
		s->nr_full--;
	swaplab_psi_stamp(group);
	spin_unlock(&swaplab_psi_lock);
}

/**
 * swaplab_psi_touch() - a group's task made progress (it faulted)
 * @group: the group
 *
 * Keeps @group active, so that full does not count while it runs. Only
 * the first touch of each averaging period takes the lock.
 *
 * Context: any process context; may take swaplab_psi_lock.
 */
void swaplab_psi_touch(struct swaplab_psi_group *group)
{
	u64 now = ktime_get_ns();

	if (now < READ_ONCE(group->touch_until))
		return;
	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	swaplab_psi_stamp(group);
	spin_unlock(&swaplab_psi_lock);
}

/**
 * swaplab_psi_set_active() - count a group for full, or stop counting it
 * @group: the group
 * @active: false to leave it out of full (a process that is not meant to
 *	run, such as one load control deactivated), true to count it again
 *	(as from activity now)
 *
 * Its stalled tasks still count for some.
 *
 * Context: process context; takes swaplab_psi_lock.
 */
void swaplab_psi_set_active(struct swaplab_psi_group *group, bool active)
{
	struct swaplab_psi_state *s = &swaplab_psi;
	u64 now = ktime_get_ns();

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	if (group->inactive == active) {
		if (group->nr_stalled && active)
			s->nr_full++;
		else if (group->nr_stalled)
			s->nr_full--;
		group->inactive = !active;
		if (active)
			swaplab_psi_stamp(group);
		else
			swaplab_psi_uncount(group);
	}
	spin_unlock(&swaplab_psi_lock);
}

/**
 * swaplab_psi_show() - print the pressure file
 * @buf: a sysfs buffer
 *
 * Two lines, some and full, in /proc/pressure/memory's format: the
 * averages over 10, 60 and 300 s in percent, the total in microseconds.
 *
 * Context: process context; takes swaplab_psi_lock.
 * Return: the length printed.
 */
int swaplab_psi_show(char *buf)
{
	unsigned long avg[SWAPLAB_PSI_NR][3];
	u64 total[SWAPLAB_PSI_NR];
	u64 now = ktime_get_ns();
	int st, len = 0;

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	memcpy(avg, swaplab_psi.avg, sizeof(avg));
	memcpy(total, swaplab_psi.total, sizeof(total));
	spin_unlock(&swaplab_psi_lock);

	for (st = 0; st < SWAPLAB_PSI_NR; st++)
		len += sysfs_emit_at(buf, len,
				     "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu\n",
				     st == SWAPLAB_PSI_FULL ? "full" : "some",
				     LOAD_INT(avg[st][0]), LOAD_FRAC(avg[st][0]),
				     LOAD_INT(avg[st][1]), LOAD_FRAC(avg[st][1]),
				     LOAD_INT(avg[st][2]), LOAD_FRAC(avg[st][2]),
				     div_u64(total[st], NSEC_PER_USEC));
	return len;
}

/**
 * swaplab_psi_totals() - the totals so far
 * @busy: set to the ns some active group had a task stalled, since load,
 *	up to now: some, less the time only inactive groups were stalled
 * @full: set to the ns every active group was
 *
 * The waits of a group set inactive count for some, but not for @busy:
 * load control, which set it inactive, looks for the pressure on the
 * others.
 *
 * Context: process context; takes swaplab_psi_lock.
 */
void swaplab_psi_totals(u64 *busy, u64 *full)
{
	u64 now = ktime_get_ns();

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	*busy = swaplab_psi.busy;
	*full = swaplab_psi.total[SWAPLAB_PSI_FULL];
	spin_unlock(&swaplab_psi_lock);
}

/**
 * swaplab_psi_full_avg10() - the full average over 10 s
 *
 * Context: process context; takes swaplab_psi_lock.
 * Return: the share of time every active group was stalled, in whole
 * percent, 0 to 100.
 */
unsigned int swaplab_psi_full_avg10(void)
{
	u64 now = ktime_get_ns();
	unsigned long avg;

	spin_lock(&swaplab_psi_lock);
	swaplab_psi_advance(now);
	avg = swaplab_psi.avg[SWAPLAB_PSI_FULL][0];
	spin_unlock(&swaplab_psi_lock);
	return LOAD_INT(avg);
}
