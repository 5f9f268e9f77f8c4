// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab load control selftests: when processes thrash, load control
 * deactivates one, its faults wait, and it comes back within the bound;
 * SIGKILL ends a waiting process at once; switching load control off
 * reactivates everyone; every byte comes back throughout. Run as root
 * with the module loaded, a swap file attached and debugfs mounted
 * (swaplab.sh does all three).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET	256
#define WS	200		/* pages a process: three of them overcommit */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Set by SIGUSR1: a worker with no count of references stops. Atomic
 * builtins, so that the handler's store is seen by the loop.
 */
static int worker_stop;

static void worker_on_usr1(int sig)
{
	__atomic_store_n(&worker_stop, 1, __ATOMIC_RELAXED);
}

/*
 * In a child: a region of WS pages, each page's first word a value the
 * child knows, @refs references at random (0: until SIGUSR1), each
 * checking and rewriting its page; then its own row's longest spell
 * deactivated must be within @bound_ms (negative: it was never
 * deactivated). Exit status 0 if all held.
 */
/* Microseconds a worker sleeps after first touching each page: 0, none. */
static unsigned int touch_us;

static void worker(uint64_t seed, long refs, long bound_ms)
{
	uint64_t version[WS] = { 0 }, state = seed;
	struct procs_row r;
	uint8_t *m;
	int fd;

	fd = open(SWAPLAB_DEVICE, O_RDWR);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, WS * page_size,
				       PROT_READ | PROT_WRITE, MAP_SHARED,
				       fd, 0);
	if (m == MAP_FAILED)
		_exit(2);
	for (long p = 0; p < WS; p++) {
		*(uint64_t *)PAGE_AT(m, p) = seed << 32 | p;
		if (touch_us)
			usleep(touch_us);
	}
	for (long k = 0;
	     refs ? k < refs : !__atomic_load_n(&worker_stop, __ATOMIC_RELAXED);
	     k++) {
		long p = prng_next(&state) % WS;
		uint64_t *w = (uint64_t *)PAGE_AT(m, p);

		if (*w != (seed << 32 | p) + (version[p] << 16))
			_exit(3);
		*w = (seed << 32 | p) + (++version[p] << 16);
	}
	for (long p = 0; p < WS; p++)
		if (*(uint64_t *)PAGE_AT(m, p) != (seed << 32 | p) + (version[p] << 16))
			_exit(3);
	if (!proc_by_id(region_owner(fd), &r))
		_exit(4);
	if (bound_ms < 0)
		_exit(r.deacts ? 5 : 0);
	_exit((long)r.max_deact_ms <= bound_ms ? 0 : 5);
}

/*
 * Fork @n workers; their pids in @pid. Each has its SIGUSR1 handler from
 * the fork on: a worker may be told to stop before it has run a line (a
 * process held at its first fault is deactivated at once). A worker dies
 * with the test that forked it, however the test ends: one left running
 * would hold its regions, and the output pipe the suite reads to its end.
 */
static void start(pid_t *pid, int n, long refs, long bound_ms)
{
	pid_t test = getpid();

	signal(SIGUSR1, worker_on_usr1);
	for (int i = 0; i < n; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != test)
				_exit(6);
			worker(100 + i, refs, bound_ms);
		}
	}
	signal(SIGUSR1, SIG_DFL);
}

/* Wait for the workers in @pid (0: none there): each must exit 0. */
static void reap(struct __test_metadata *_metadata, pid_t *pid)
{
	int status;

	for (int i = 0; i < 3; i++) {
		if (!pid[i])
			continue;
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		pid[i] = 0;
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status))
			TH_LOG("worker %d: 3 lost bytes, 5 over the bound, 6 no parent", i);
	}
}

/* Tell the workers in @pid, started with no count, to stop; reap. */
static void stop_and_reap(struct __test_metadata *_metadata, pid_t *pid)
{
	for (int i = 0; i < 3; i++)
		if (pid[i])
			kill(pid[i], SIGUSR1);
	reap(_metadata, pid);
}

/* The pid of a process load control deactivated, waiting up to @s s. */
static pid_t wait_inactive(double s)
{
	double end = now_s() + s;

	while (now_s() < end) {
		struct procs_row rows[64];
		int n = read_procs(rows, 64);

		for (int i = 0; i < n; i++)
			if (!strcmp(rows[i].state, "inactive"))
				return rows[i].pid;
		usleep(20000);
	}
	return -1;
}

/*
 * Load control on under local ws and fifo, by the ws allocator's measure
 * alone (no pressure measure), with a bound of @max_ms. Return: 0, or -1
 * if a knob could not be set.
 */
static int ws_load_control(const char *max_ms)
{
	return write_knob("allocation", "global") ||
	       write_knob("policy", "fifo") ||
	       write_knob("allocator", "ws") ||
	       write_knob("allocation", "local") ||
	       write_knob("load_control_psi", "0") ||
	       write_knob("load_control_max_ms", max_ms) ||
	       write_knob("load_control", "1") ? -1 : 0;
}

/*
 * Load control on with a bound of a minute, by the ws allocator's measure
 * alone, and three workers in @pid that work until told (so that the
 * deactivation cannot come too late): the pid of the first deactivated,
 * within 20 s; -1 if none was, or the knobs could not be set. The two
 * left working leave less room than its working set: it stays
 * deactivated until they stop, or the bound.
 */
static pid_t start_until_inactive(pid_t *pid)
{
	if (ws_load_control("60000"))
		return -1;
	start(pid, 3, 0, 60000);
	return wait_inactive(20);
}

/* The row of the process with pid @pid into @r; false if it has none. */
static bool row_of_pid(pid_t pid, struct procs_row *r)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64);

	for (int i = 0; i < n; i++)
		if (rows[i].pid == pid) {
			*r = rows[i];
			return true;
		}
	return false;
}

FIXTURE(lc) {
	char frames[32];
	char lc[8], max_ms[16], psi[8];
	char allocation[16], allocator[32], policy[32];
	pid_t pid[3];
};

FIXTURE_SETUP(lc)
{
	struct procs_row rows[64];

	page_size = sysconf(_SC_PAGESIZE);
	memset(self->pid, 0, sizeof(self->pid));
	ASSERT_EQ(0, access(SWAPLAB_DEVICE, F_OK)) TH_LOG("module not loaded");
	ASSERT_LE(0, read_procs(rows, 64))
		TH_LOG("%s missing or not version 3: debugfs unmounted?", PROCS);
	ASSERT_LE(16 * BUDGET, read_stat("swap_slots_total"));
	ASSERT_EQ(0, wait_stat("regions", 0));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("load_control", self->lc, sizeof(self->lc)));
	ASSERT_EQ(0, read_knob("load_control_max_ms", self->max_ms,
			       sizeof(self->max_ms)));
	ASSERT_EQ(0, read_knob("load_control_psi", self->psi, sizeof(self->psi)));
	ASSERT_EQ(0, read_knob("allocation", self->allocation,
			       sizeof(self->allocation)));
	ASSERT_EQ(0, read_knob("allocator", self->allocator,
			       sizeof(self->allocator)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
}

FIXTURE_TEARDOWN(lc)
{
	/* Workers a failed test left running. */
	for (int i = 0; i < 3; i++)
		if (self->pid[i] > 0 && !kill(self->pid[i], SIGKILL))
			waitpid(self->pid[i], NULL, 0);
	put_knob_back("load_control", self->lc);
	put_knob_back("load_control_max_ms", self->max_ms);
	put_knob_back("load_control_psi", self->psi);
	put_knob_back("allocation", self->allocation);
	put_knob_back("allocator", self->allocator);
	put_knob_back("policy", self->policy);
	EXPECT_EQ(0, wait_stat("regions", 0));
	EXPECT_EQ(0, wait_stat("procs", 0));
	put_knob_back("frames", self->frames);
}

/* Off by default; bad values get EINVAL and change nothing. */
TEST_F(lc, knobs)
{
	EXPECT_STREQ("0", self->lc);
	EXPECT_STREQ("2000", self->max_ms);
	EXPECT_STREQ("20", self->psi);
	EXPECT_EQ(-EINVAL, write_knob("load_control", "2"));
	EXPECT_EQ(-EINVAL, write_knob("load_control_max_ms", "99"));
	EXPECT_EQ(-EINVAL, write_knob("load_control_max_ms", "60001"));
	EXPECT_EQ(-EINVAL, write_knob("load_control_psi", "101"));
	EXPECT_EQ(-EINVAL, write_knob("load_control_psi", "-1"));
	EXPECT_EQ(0, read_knob_ll("load_control"));
	EXPECT_EQ(2000, read_knob_ll("load_control_max_ms"));
	EXPECT_EQ(20, read_knob_ll("load_control_psi"));
	/* 0: no pressure measure, only the allocator's. */
	EXPECT_EQ(0, write_knob("load_control_psi", "0"));
	EXPECT_EQ(0, read_knob_ll("load_control_psi"));
}

/*
 * Under the ws allocator, with the pressure measure off: three working
 * sets of WS pages do not fit in the budget, so load control deactivates
 * by the allocator's measure alone, and each process comes back and
 * finishes with its bytes whole.
 */
TEST_F(lc, ws_overcommit_deactivates)
{
	long long d0 = read_stat("lc_deactivations");
	pid_t *pid = self->pid;

	ASSERT_EQ(0, ws_load_control("500"));
	start(pid, 3, 6000, 500 + 500);
	reap(_metadata, pid);
	EXPECT_LT(d0, read_stat("lc_deactivations"));
	TH_LOG("%lld deactivations by the working sets",
	       read_stat("lc_deactivations") - d0);
}

/*
 * Admission: a newcomer counts the pages it maps until its estimate has
 * had one window to grow, and is held at its first fault if they do not
 * fit. Three workers fault their sets in slowly, a page every 2 ms
 * each, sets that overcommit the budget: at the first deactivation they
 * hold less than half of it (the estimate alone, which trails them,
 * finds them once they have filled it), and a process deactivated then
 * holds no frame at all (found at a tick instead, each has some). A
 * debug kernel on a loaded host takes over the harness's 30 s, hence the
 * longer limit.
 */
TEST_F_TIMEOUT(lc, newcomers_held_before_they_take_frames, 240)
{
	long long d0 = read_stat("lc_deactivations");
	long long h0 = read_stat("lc_held");
	struct procs_row rows[64];
	pid_t *pid = self->pid;
	unsigned long held = 0;
	bool empty = false;
	double end;
	int n;

	ASSERT_EQ(0, ws_load_control("500"));
	touch_us = 2000;
	start(pid, 3, 2000, 500 + 500);
	touch_us = 0;
	for (end = now_s() + 20; now_s() < end; usleep(2000))
		if (read_stat("lc_deactivations") > d0)
			break;
	n = read_procs(rows, 64);
	for (int i = 0; i < n; i++) {
		held += rows[i].charged;
		empty |= !strcmp(rows[i].state, "inactive") && !rows[i].charged;
	}
	reap(_metadata, pid);
	ASSERT_LT(d0, read_stat("lc_deactivations"));
	EXPECT_GT(BUDGET / 2, held);
	EXPECT_TRUE(empty);
	EXPECT_LT(h0, read_stat("lc_held"));
	TH_LOG("%lu frames of %d held at the first deactivation; %lld held at their first fault",
	       held, BUDGET, read_stat("lc_held") - h0);
}

/*
 * A process that maps far more than the budget, touches one page and
 * sleeps (it dies with the test): the pid, once it has touched its page;
 * -1 if it could not.
 */
static pid_t start_idle(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		size_t len = 64UL * BUDGET * page_size;
		int fd = open(SWAPLAB_DEVICE, O_RDWR);
		uint8_t *m;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		m = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ | PROT_WRITE,
					       MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			_exit(2);
		m[0] = 1;
		if (write(ready[1], "", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/*
 * An idle process holds no one. One that maps 64 times the budget,
 * touches a page and sleeps is quiet (no fault for a period): load
 * control counts the frame it holds, not its mapping, so a newcomer
 * whose set fits is let in at its first fault and never deactivated.
 * Then one process pages beside it, its set twice the budget: it is
 * not held at its first fault (nobody else works, so holding it
 * protects no one), and when the working sets overrun it is not the
 * one deactivated: the idle one goes first. Its workers page for as long
 * as the machine takes (a debug kernel on a loaded host: over a minute),
 * hence the longer limit.
 */
TEST_F_TIMEOUT(lc, idle_process_holds_no_one, 240)
{
	long long h0, d0;
	struct procs_row r;
	pid_t idle;
	int status;

	ASSERT_EQ(0, ws_load_control("2000"));
	idle = start_idle();
	ASSERT_LT(0, idle);
	/* Quiet: three periods of load control with no fault. */
	usleep(300 * 1000);
	h0 = read_stat("lc_held");
	d0 = read_stat("lc_deactivations");
	start(self->pid, 1, 4000, -1);
	reap(_metadata, self->pid);
	EXPECT_EQ(h0, read_stat("lc_held"))
		TH_LOG("a newcomer that fits was held");
	EXPECT_EQ(d0, read_stat("lc_deactivations"));
	ASSERT_EQ(0, write_knob_ll("frames", WS / 2));
	start(self->pid, 1, 4000, -1);
	reap(_metadata, self->pid);
	EXPECT_EQ(h0, read_stat("lc_held"))
		TH_LOG("the one process working was held at its first fault");
	ASSERT_TRUE(row_of_pid(idle, &r));
	EXPECT_LE(1, r.deacts)
		TH_LOG("the working sets overran, and the idle process stayed");
	TH_LOG("%lld held, %lld deactivated (the idle process %lu times) beside the idle process",
	       read_stat("lc_held") - h0, read_stat("lc_deactivations") - d0,
	       r.deacts);
	kill(idle, SIGKILL);
	ASSERT_EQ(idle, waitpid(idle, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
}

/* The periods of load control whose full share sets the threshold. */
#define SHARES	20

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The pressure file's full total, in microseconds; -1 if unreadable. */
static long long full_total_us(void)
{
	char line[128];
	long long total = -1;
	FILE *f = fopen("/sys/kernel/swaplab/pressure", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *t = strstr(line, "total=");

		if (!strncmp(line, "full ", 5) && t)
			total = strtoll(t + 6, NULL, 10);
	}
	fclose(f);
	return total;
}

/*
 * Three processes thrash, under global replacement, by the pressure
 * measure: load control deactivates one, and lets one back, within 20 s
 * of work; none stays deactivated longer than the bound and a margin for
 * scheduling, and every byte comes back. The workers work until told,
 * so that the thrashing lasts until both have been seen.
 *
 * The threshold comes from the thrashing itself, whatever the machine's
 * speed: the shares of twenty periods of load control (100 ms each) that
 * the pressure file counts as full while the three thrash with load
 * control off, their median halved (at least 1%). The share varies by an
 * order of magnitude between runs under TCG, and within a run a burst
 * (every process writing back at once) lifts the mean of two seconds
 * well above what most periods reach: load control deactivates on one
 * period at or above the threshold, which the median leaves to half of
 * them and more.
 */
TEST_F(lc, deactivates_and_reactivates)
{
	long long d0, a0, f0, f1;
	pid_t *pid = self->pid;
	long share[SHARES], on;
	double end, t0, t1;
	char psi[24];

	ASSERT_EQ(0, write_knob("load_control_max_ms", "500"));
	start(pid, 3, 0, 500 + 500);
	usleep(500000);
	f0 = full_total_us();
	t0 = now_s();
	for (int i = 0; i < SHARES; i++) {
		usleep(100000);
		f1 = full_total_us();
		t1 = now_s();
		ASSERT_LE(0, f0);
		ASSERT_LE(f0, f1);
		share[i] = (long)((f1 - f0) / ((t1 - t0) * 1e4));
		f0 = f1;
		t0 = t1;
	}
	qsort(share, SHARES, sizeof(share[0]), cmp_long);
	TH_LOG("full in 20 periods, load control off: %ld%% to %ld%%, median %ld%%",
	       share[0], share[SHARES - 1], share[SHARES / 2]);
	ASSERT_LE(1, share[SHARES / 2]) TH_LOG("the three do not thrash");
	snprintf(psi, sizeof(psi), "%ld", share[SHARES / 2] > 200 ? 100 :
		 share[SHARES / 2] > 1 ? share[SHARES / 2] / 2 : 1);
	ASSERT_EQ(0, write_knob("load_control_psi", psi));
	d0 = read_stat("lc_deactivations");
	a0 = read_stat("lc_activations");
	f0 = full_total_us();
	t0 = now_s();
	ASSERT_EQ(0, write_knob("load_control", "1"));
	for (end = now_s() + 20; now_s() < end; usleep(50000))
		if (read_stat("lc_deactivations") > d0 &&
		    read_stat("lc_activations") > a0)
			break;
	on = (long)((full_total_us() - f0) / ((now_s() - t0) * 1e4));
	stop_and_reap(_metadata, pid);
	EXPECT_LT(d0, read_stat("lc_deactivations"));
	EXPECT_LT(a0, read_stat("lc_activations"));
	TH_LOG("psi %s; full %ld%% with load control on; %lld deactivations, %lld faults waited",
	       psi, on, read_stat("lc_deactivations") - d0,
	       read_stat("lc_fault_waits"));
}

/*
 * Room returns before the bound: under ws, three working sets that do not
 * fit, with a bound of a minute. Once one is deactivated, the other two
 * are told to stop and exit; their room comes back, and the one
 * deactivated is let back by the rule, not by the bound (its own waits,
 * which the pressure file counts, do not keep the rest from being calm),
 * within seconds; then it finishes with its bytes whole.
 */
TEST_F(lc, comes_back_when_room_returns)
{
	long long f0 = read_stat("lc_forced");
	pid_t *pid = self->pid, victim;
	struct procs_row r;
	double t0;

	victim = start_until_inactive(pid);
	ASSERT_LT(0, victim)
		TH_LOG("load control not set, or no process deactivated in 20 s");
	/* Calm must be measured: the pressure measure on, at its default. */
	ASSERT_EQ(0, write_knob("load_control_psi", "20"));
	t0 = now_s();
	/* The others stop (one of them may be deactivated too, and wait). */
	for (int i = 0; i < 3; i++)
		if (pid[i] != victim)
			kill(pid[i], SIGUSR1);
	while (row_of_pid(victim, &r) && !strcmp(r.state, "inactive") &&
	       now_s() < t0 + 10)
		usleep(20000);
	EXPECT_STRNE("inactive", r.state);
	EXPECT_EQ(f0, read_stat("lc_forced"));
	TH_LOG("back %.1f s after the others were told to stop", now_s() - t0);
	stop_and_reap(_metadata, pid);
}

/* SIGKILL ends a process whose faults wait for it to be active. */
TEST_F(lc, sigkill_while_deactivated)
{
	pid_t *pid = self->pid, victim;
	struct procs_row r0, r1;
	int status, left = 3;
	double t0, end;

	victim = start_until_inactive(pid);
	ASSERT_LT(0, victim)
		TH_LOG("load control not set, or no process deactivated in 20 s");
	/*
	 * Its faults wait: it takes none in a spell deactivated of 300 ms
	 * (none at all if it was held at its first fault). While the
	 * estimates still grow, the rule may let a process back sooner: the
	 * test then looks at the next spell.
	 */
	for (end = now_s() + 20; ; ) {
		ASSERT_TRUE(row_of_pid(victim, &r0));
		usleep(300000);
		ASSERT_TRUE(row_of_pid(victim, &r1));
		if (!strcmp(r0.state, "inactive") &&
		    !strcmp(r1.state, "inactive") && r0.deacts == r1.deacts)
			break;
		ASSERT_LT(now_s(), end)
			TH_LOG("no spell deactivated of 300 ms in 20 s");
		victim = wait_inactive(end - now_s());
		ASSERT_LT(0, victim);
	}
	EXPECT_EQ(r0.faults, r1.faults);
	t0 = now_s();
	kill(victim, SIGKILL);
	ASSERT_EQ(victim, waitpid(victim, &status, 0));
	EXPECT_GT(1.0, now_s() - t0);
	EXPECT_TRUE(WIFSIGNALED(status));
	for (int i = 0; i < 3; i++) {
		if (pid[i] != victim) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
			left--;
		}
		pid[i] = 0;
	}
	EXPECT_EQ(1, left);
}

/*
 * Switching load control off reactivates every process at once, even
 * with a bound of a minute; they then finish with every byte.
 */
TEST_F(lc, off_reactivates_all)
{
	pid_t *pid = self->pid, victim;
	struct procs_row rows[64];
	int n, inactive = 0;
	double t0;

	victim = start_until_inactive(pid);
	ASSERT_LT(0, victim)
		TH_LOG("load control not set, or no process deactivated in 20 s");
	t0 = now_s();
	ASSERT_EQ(0, write_knob("load_control", "0"));
	EXPECT_GT(1.0, now_s() - t0);
	n = read_procs(rows, 64);
	for (int i = 0; i < n; i++)
		inactive += !strcmp(rows[i].state, "inactive");
	EXPECT_EQ(0, inactive);
	stop_and_reap(_metadata, pid);
}

/* The processes the procs table shows deactivated. */
static int inactive_count(void)
{
	struct procs_row rows[64];
	int n = read_procs(rows, 64), inactive = 0;

	for (int i = 0; i < n; i++)
		inactive += !strcmp(rows[i].state, "inactive");
	return inactive;
}

/*
 * load_control flips while three processes thrash under global
 * replacement, with every stall counted (load_control_psi 1): on for
 * 250 ms, more than a period of load control, then off for 50 ms, for
 * 3.5 s and 20 flips at least (on a slow machine the writes and reads
 * take time of their own), and then until load control has deactivated
 * a process, up to 20 s. Each flip is the module's, not only the knob's: right after a
 * write of 0 no process is left deactivated, and while on, load control
 * deactivated one at least.
 */
TEST_F(lc, flips_under_load)
{
	struct timespec on = { .tv_nsec = 250 * 1000 * 1000 };
	struct timespec off = { .tv_nsec = 50 * 1000 * 1000 };
	long long d0 = read_stat("lc_deactivations");
	int flips = 0, left = 0;
	pid_t *pid = self->pid;
	double t0, t;

	ASSERT_EQ(0, write_knob("load_control_max_ms", "300"));
	ASSERT_EQ(0, write_knob("load_control_psi", "1"));
	/* They work until told, while the knob flips. */
	start(pid, 3, 0, 300 + 500);
	for (t0 = now_s(); (t = now_s()) < t0 + 20; flips++) {
		bool going_off = flips % 2;

		ASSERT_EQ(0, write_knob("load_control", going_off ? "0" : "1"));
		if (going_off) {
			left += inactive_count() > 0;
			if (t >= t0 + 3.5 && flips >= 20 &&
			    read_stat("lc_deactivations") > d0)
				break;
		}
		nanosleep(going_off ? &off : &on, NULL);
	}
	stop_and_reap(_metadata, pid);
	TH_LOG("%d flips in %.1f s, %lld deactivations, %d writes of 0 that left one deactivated",
	       flips + 1, now_s() - t0, read_stat("lc_deactivations") - d0,
	       left);
	EXPECT_LE(20, flips);
	EXPECT_LT(d0, read_stat("lc_deactivations"))
		TH_LOG("load control never acted while on");
	EXPECT_EQ(0, left);
}

TEST_HARNESS_MAIN
