// SPDX-License-Identifier: GPL-2.0
/*
 * The external pager's channel: attaching (who may, one at a time, bad
 * arguments), the ring it maps, and the events the "pager" policy puts
 * there: admissions with their reason, the refault's record and distance,
 * removals, evictions, selection, the reference bits and harvests the
 * pager asks for; a full ring drops and counts; poll() wakes; with no
 * pager the policy still pages; garbage answers are skipped and the
 * kernel chooses, and the pager is ejected; a stopped pager costs one
 * timeout and is ejected, a resumed one is heard again once selected
 * again, a killed one leaves the default policy in its place; a wait for
 * a pager that goes ends with it, and never counts against the next one.
 * Reclaim runs in the faulting thread (daemon=0), so what is evicted
 * follows from the access order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET		64
#define NOBODY		65534
/* The policy an ejected pager leaves in its place (module/api/policy.h). */
#define SWAPLAB_DEFAULT_POLICY	"gen"

struct pager {
	int fd;
	size_t bytes;
	struct swaplab_pager_ring *ring;
	struct swaplab_pager_event *ev;
};

/*
 * Attach through @dev, woken at @wakeup events unread, and map the ring;
 * 0 or -errno (nothing is kept).
 */
static int pager_open_wakeup(int dev, __u32 entries, __u32 wakeup,
			     struct pager *p)
{
	struct swaplab_pager_attach at = {
		.entries = entries, .wakeup = wakeup,
	};

	p->fd = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &at);
	if (p->fd < 0)
		return -errno;
	p->bytes = at.ring_bytes;
	p->ring = mmap(NULL, p->bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		       p->fd, 0);
	if (p->ring == MAP_FAILED) {
		close(p->fd);
		return -EIO;
	}
	p->ev = (void *)((char *)p->ring + SWAPLAB_PAGER_RING_EVENTS);
	return 0;
}

/* The same, woken at every event. */
static int pager_open(int dev, __u32 entries, struct pager *p)
{
	return pager_open_wakeup(dev, entries, 0, p);
}

/*
 * The kernel writes the ring behind the compiler's back: read its words
 * with atomic loads, or a load may be reused across a page fault.
 */
static __u64 ring_head(const struct pager *p)
{
	return __atomic_load_n(&p->ring->head, __ATOMIC_ACQUIRE);
}

static __u64 ring_tail(const struct pager *p)
{
	return __atomic_load_n(&p->ring->tail, __ATOMIC_ACQUIRE);
}

static __u64 ring_lost(const struct pager *p)
{
	return __atomic_load_n(&p->ring->lost, __ATOMIC_ACQUIRE);
}

static void pager_close(struct pager *p)
{
	munmap(p->ring, p->bytes);
	close(p->fd);
}

/*
 * Copy up to @max events from the ring, leaving them in it: @next is the
 * head past them, for pager_consume().
 */
static size_t pager_peek(struct pager *p, struct swaplab_pager_event *out,
			 size_t max, uint64_t *next)
{
	uint64_t head = ring_head(p);
	uint64_t tail = ring_tail(p);
	size_t n = 0;

	while (head != tail && n < max)
		out[n++] = p->ev[head++ & p->ring->mask];
	*next = head;
	return n;
}

/* The events read are consumed: the kernel may write over them. */
static void pager_consume(struct pager *p, uint64_t next)
{
	__atomic_store_n(&p->ring->head, next, __ATOMIC_RELEASE);
}

/* Take up to @max events from the ring. */
static size_t pager_read(struct pager *p, struct swaplab_pager_event *out,
			 size_t max)
{
	uint64_t next;
	size_t n = pager_peek(p, out, max, &next);

	pager_consume(p, next);
	return n;
}

/* A new region's @n pages, mapped shared (@fdp: its file); NULL if not. */
static uint8_t *new_region(size_t n, int *fdp)
{
	uint8_t *map;

	*fdp = open(SWAPLAB_DEVICE, O_RDWR);
	if (*fdp < 0)
		return NULL;
	map = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   *fdp, 0);
	if (map == MAP_FAILED) {
		close(*fdp);
		return NULL;
	}
	return map;
}

static uint64_t region_id(int fd)
{
	struct swaplab_region_info info = { };

	ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info);
	return info.id;
}

/*
 * What a test pager answers when the kernel wants victims: the newest
 * pages, pages that do not exist, or a request for a harvest of the
 * reference bits whenever the WANT allows one (else the newest pages).
 * ANSWER_HOLD is ANSWER_NEWEST, but the second WANT is held (see
 * struct pager_seen) until the test says or HOLD_MAX_S pass;
 * ANSWER_HOLD_FIRST holds the first. While it holds, it reads no event.
 * ANSWER_FOREIGN names the newest pages of the other processes than the
 * one the WANT names, tagged with the one it names. ANSWER_SLOW names
 * the newest page only, SLOW_MS after it read the WANT; ANSWER_ONE names
 * it at once.
 */
enum answer {
	ANSWER_NEWEST, ANSWER_GARBAGE, ANSWER_RESCAN, ANSWER_HOLD,
	ANSWER_HOLD_FIRST, ANSWER_FOREIGN, ANSWER_SLOW, ANSWER_ONE,
};

#define HOLD_MAX_S	8
#define SLOW_MS		600

/* What the test pager saw, in memory it shares with the test. */
struct pager_seen {
	long referenced;	/* REFERENCED events */
	long wants;		/* WANTs answered */
	long want_events;	/* WANTs read, answered or not */
	long may_rescan;	/* of them with SWAPLAB_PAGER_WANT_MAY_RESCAN */
	long rescans;		/* SWAPLAB_PAGER_RESCANs sent, succeeded */
	/* ANSWER_HOLD*: the first answer's pages; the held WANT's fate */
	struct swaplab_pager_page first[64];
	long nr_first;
	long held;		/* 1 once the WANT to hold is held */
	long go;		/* set by the test: answer it now */
	long released;		/* 1: answered when told; 2: after HOLD_MAX_S */
	long want_proc;		/* the @proc of the last WANT */
	long proc_selects;	/* SELECTs of a process's state */
	long other_proc;	/* set by a test's child: its process */
	long empty_wants;	/* WANTs answered with nothing: no page known */
	long max_poll_ms;	/* the longest wait in poll() */
	long max_work_ms;	/* the longest time acting on one read */
	long max_late_ms;	/* a ticker's longest oversleep */
};

static struct pager_seen *seen;

/* Read what the pager child saw so far. */
static long seen_read(long *what)
{
	return __atomic_load_n(what, __ATOMIC_ACQUIRE);
}

#define PAGER_PAGES	4096

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Raise @what to @ms if it is less. */
static void seen_max(long *what, long ms)
{
	if (ms > __atomic_load_n(what, __ATOMIC_RELAXED))
		__atomic_store_n(what, ms, __ATOMIC_RELAXED);
}

/*
 * A child that sleeps 20 ms again and again and keeps its longest
 * oversleep in seen->max_late_ms: how long the whole machine stood
 * still (a guest under emulation whose host was busy elsewhere), which
 * no process in it could have helped. Its pid.
 */
static pid_t start_ticker(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	for (;;) {
		double t0 = now_s();

		usleep(20000);
		seen_max(&seen->max_late_ms, (now_s() - t0) * 1000 - 20);
	}
}

/*
 * ANSWER_HOLD's second WANT: say so, and wait for the test's go or
 * HOLD_MAX_S, whichever comes first; record which.
 */
static void hold_want(void)
{
	double end = now_s() + HOLD_MAX_S;
	long how = 2;

	__atomic_store_n(&seen->held, 1, __ATOMIC_RELEASE);
	while (now_s() < end) {
		if (__atomic_load_n(&seen->go, __ATOMIC_ACQUIRE)) {
			how = 1;
			break;
		}
		usleep(1000);
	}
	__atomic_store_n(&seen->released, how, __ATOMIC_RELEASE);
}

/* Has the pager child held its WANT within 60 s? */
static bool pager_held(void)
{
	for (double end = now_s() + 60; now_s() < end;) {
		if (__atomic_load_n(&seen->held, __ATOMIC_ACQUIRE))
			return true;
		usleep(1000);
	}
	return __atomic_load_n(&seen->held, __ATOMIC_ACQUIRE);
}

/*
 * A pager in a child process: attach, tell the parent (a byte on @ready),
 * then follow the events, keeping the resident pages in admission order
 * (afresh at each SELECT), and answer each WANT as @how says: the newest pages first (MRU, which
 * FIFO is not), or pages that do not exist. Runs until killed.
 */
static pid_t start_pager(int dev, enum answer how)
{
	static struct swaplab_pager_page res[PAGER_PAGES], ans[64];
	static __u32 resproc[PAGER_PAGES];
	static struct swaplab_pager_event ev[4096];
	struct pager p;
	int ready;
	char c = 0;
	pid_t pid;

	pid = fork_ready(&ready);
	if (pid)
		return pid;
	/*
	 * Woken only by a WANT (or 256 events), and polling for longer than
	 * the tests' 5 s timeout: a WANT that did not wake it would time
	 * out.
	 */
	c = !pager_open_wakeup(dev, SWAPLAB_PAGER_ENTRIES_MAX, 256, &p);
	if (write(ready, &c, 1) != 1 || !c)
		_exit(1);
	for (size_t nres = 0;;) {
		struct pollfd pfd = { .fd = p.fd, .events = POLLIN };
		double t0 = now_s(), t1;
		uint64_t next;
		size_t n;

		poll(&pfd, 1, 10000);
		t1 = now_s();
		seen_max(&seen->max_poll_ms, (t1 - t0) * 1000);
		/*
		 * The head moves past the events only once they are acted
		 * on: the kernel judges an answer by the head when it is
		 * given, so one given in the middle must not claim the
		 * REMOVEs after it as read.
		 */
		n = pager_peek(&p, ev, ARRAY_SIZE(ev), &next);
		for (size_t i = 0; i < n; i++) {
			struct swaplab_pager_page pg = {
				ev[i].region, ev[i].index
			};
			struct swaplab_pager_victims v = {
				.pages = (uintptr_t)ans, .proc = ev[i].proc,
			};
			size_t j, k;

			switch (ev[i].type) {
			case SWAPLAB_PAGER_SELECT:
				/* A process's own comes after the budget's. */
				if (ev[i].proc)
					__atomic_add_fetch(&seen->proc_selects, 1,
							   __ATOMIC_RELAXED);
				else
					nres = 0;
				break;
			case SWAPLAB_PAGER_ADMIT:
				if (nres < PAGER_PAGES) {
					resproc[nres] = ev[i].proc;
					res[nres++] = pg;
				}
				break;
			case SWAPLAB_PAGER_REMOVE:
				for (j = 0; j < nres; j++)
					if (res[j].region == pg.region &&
					    res[j].index == pg.index)
						break;
				if (j < nres) {
					memmove(&res[j], &res[j + 1],
						(nres - j - 1) * sizeof(*res));
					memmove(&resproc[j], &resproc[j + 1],
						(nres - j - 1) * sizeof(*resproc));
					nres--;
				}
				break;
			case SWAPLAB_PAGER_REFERENCED:
				__atomic_add_fetch(&seen->referenced, 1,
						   __ATOMIC_RELAXED);
				break;
			case SWAPLAB_PAGER_WANT:
				__atomic_add_fetch(&seen->want_events, 1,
						   __ATOMIC_RELAXED);
				/* Later WANTs of a batch answered already. */
				if (i + 1 < n && ev[i + 1].type == ev[i].type)
					break;
				__atomic_add_fetch(&seen->wants, 1,
						   __ATOMIC_RELAXED);
				__atomic_store_n(&seen->want_proc, ev[i].proc,
						 __ATOMIC_RELAXED);
				if (ev[i].reason & SWAPLAB_PAGER_WANT_MAY_RESCAN)
					__atomic_add_fetch(&seen->may_rescan, 1,
							   __ATOMIC_RELAXED);
				if ((how == ANSWER_HOLD && seen->wants == 2) ||
				    (how == ANSWER_HOLD_FIRST && seen->wants == 1))
					hold_want();
				if (how == ANSWER_RESCAN &&
				    ev[i].reason & SWAPLAB_PAGER_WANT_MAY_RESCAN) {
					v.flags = SWAPLAB_PAGER_RESCAN;
					if (!ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v))
						__atomic_add_fetch(&seen->rescans, 1,
								   __ATOMIC_RELAXED);
					break;
				}
				j = 0;
				for (k = nres; how == ANSWER_FOREIGN && k-- > 0 &&
				     j < ARRAY_SIZE(ans) && j < ev[i].arg;)
					if (resproc[k] != ev[i].proc)
						ans[j++] = res[k];
				for (; how != ANSWER_FOREIGN &&
				     j < ARRAY_SIZE(ans); j++) {
					if (j >= ev[i].arg)
						break;
					if (how == ANSWER_GARBAGE)
						ans[j] = (struct swaplab_pager_page){
							~0ull - j, j };
					else if (j < nres)
						ans[j] = res[nres - 1 - j];
					else
						break;
				}
				v.nr = j;
				if (!j)
					__atomic_add_fetch(&seen->empty_wants, 1,
							   __ATOMIC_RELAXED);
				if (how == ANSWER_SLOW || how == ANSWER_ONE)
					v.nr = j ? 1 : 0;
				if (how == ANSWER_SLOW)
					usleep(SLOW_MS * 1000);
				if ((how == ANSWER_HOLD ||
				     how == ANSWER_HOLD_FIRST) &&
				    seen->wants == 1) {
					memcpy(seen->first, ans, j * sizeof(*ans));
					__atomic_store_n(&seen->nr_first, j,
							 __ATOMIC_RELEASE);
				}
				if (v.nr)
					ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v);
				break;
			}
		}
		pager_consume(&p, next);
		seen_max(&seen->max_work_ms, (now_s() - t1) * 1000);
	}
}

static void stop_pager(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Set the pager policy's timeout, start a pager child answering as @how
 * says, and select the pager policy: the pager's pid, or -1.
 */
static pid_t pager_child(int dev, enum answer how, const char *timeout_ms)
{
	pid_t pid;

	if (write_knob("policies/pager/timeout_ms", timeout_ms))
		return -1;
	if (!seen) {
		seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (seen == MAP_FAILED) {
			seen = NULL;
			return -1;
		}
	}
	memset(seen, 0, sizeof(*seen));
	pid = start_pager(dev, how);
	if (pid > 0 && write_knob("policy", "pager")) {
		stop_pager(pid);
		return -1;
	}
	return pid;
}

/*
 * The current policy, in @now, once it is not "pager" (an ejection is a
 * work item's, which runs a moment later), or after 10 s.
 */
static void policy_after_ejection(char *now, size_t size)
{
	double end = now_s() + 10;

	do {
		if (read_knob("policy", now, size))
			now[0] = 0;
		if (strcmp(now, "pager"))
			return;
		usleep(10000);
	} while (now_s() < end);
}

/* @pfd set to wait for @p's events. */
static struct pollfd *pfd_of(struct pollfd *pfd, const struct pager *p)
{
	*pfd = (struct pollfd){ .fd = p->fd, .events = POLLIN };
	return pfd;
}

/* Major faults of this process while it reads a byte of each page. */
static long read_majflt(const uint8_t *map, size_t first, size_t n)
{
	struct rusage before, after;
	unsigned long sum = 0;

	getrusage(RUSAGE_SELF, &before);
	for (size_t i = first; i < first + n; i++)
		sum += __atomic_load_n(&map[i * page_size], __ATOMIC_RELAXED);
	getrusage(RUSAGE_SELF, &after);
	return after.ru_majflt - before.ru_majflt + (sum & 0);
}

FIXTURE(pager) {
	char frames[32], policy[32], daemon[8], timeout[16], readahead[8];
	int dev;
	struct stat node;
	struct swaplab_pager_event *ev;
	size_t nr_ev;
};

FIXTURE_SETUP(pager)
{
	page_size = sysconf(_SC_PAGESIZE);
	self->dev = -1;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	if (read_stat("swap_slots_total") < 8 * BUDGET)
		SKIP(return, "no backing store of 8x the budget");
	ASSERT_EQ(0, stat(SWAPLAB_DEVICE, &self->node));
	read_knob("frames", self->frames, sizeof(self->frames));
	read_knob("policy", self->policy, sizeof(self->policy));
	read_knob("daemon", self->daemon, sizeof(self->daemon));
	ASSERT_EQ(0, read_knob("policies/pager/timeout_ms", self->timeout,
			       sizeof(self->timeout)));
	read_knob("readahead", self->readahead, sizeof(self->readahead));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	ASSERT_EQ(0, write_knob("daemon", "0"));
	/* Demand paging, so that faults can be compared one for one. */
	ASSERT_EQ(0, write_knob("readahead", "0"));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	self->nr_ev = SWAPLAB_PAGER_ENTRIES_MAX;
	self->ev = calloc(self->nr_ev, sizeof(*self->ev));
	ASSERT_NE(NULL, self->ev);
	self->dev = open(SWAPLAB_DEVICE, O_RDWR);
	ASSERT_LE(0, self->dev);
}

FIXTURE_TEARDOWN(pager)
{
	if (self->dev < 0)
		return;
	close(self->dev);
	free(self->ev);
	if (chown(SWAPLAB_DEVICE, self->node.st_uid, self->node.st_gid))
		TH_LOG("could not give %s back to its owner", SWAPLAB_DEVICE);
	write_knob("policy", self->policy);
	write_knob("policies/pager/timeout_ms", self->timeout);
	write_knob("readahead", self->readahead);
	write_knob("daemon", self->daemon);
	write_knob("frames", self->frames);
}

/* Bad arguments fail with their errno, and a pager can attach after. */
TEST_F_TIMEOUT(pager, attach_errors, 120)
{
	const struct swaplab_pager_attach bad[] = {
		{ .entries = 63 },
		{ .entries = 100 },
		{ .entries = SWAPLAB_PAGER_ENTRIES_MIN / 2 },
		{ .entries = SWAPLAB_PAGER_ENTRIES_MAX * 2 },
		{ .flags = 0x8 },	/* unknown */
		{ .reserved = 1 },
		{ .pad = 1 },
		{ .wakeup = SWAPLAB_PAGER_ENTRIES_DEF + 1 },
	};
	struct swaplab_pager_attach at;
	struct pager p, q;
	struct rlimit lim;
	void *m;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		at = bad[i];
		EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
		EXPECT_EQ(EINVAL, errno) TH_LOG("case %zu", i);
	}
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, NULL));
	EXPECT_EQ(EFAULT, errno);

	/*
	 * Failures after the pager is made, before its descriptor is
	 * installed: the ring's size cannot be copied out (the argument is
	 * in a read-only page), or no descriptor is free. Each fails with
	 * its errno, and the pager it made is gone: another may attach.
	 */
	m = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	memset(m, 0, sizeof(at));
	ASSERT_EQ(0, mprotect(m, page_size, PROT_READ));
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, m));
	EXPECT_EQ(EFAULT, errno);
	munmap(m, page_size);
	EXPECT_EQ(0, no_free_fd(&lim));
	at = (struct swaplab_pager_attach){ 0 };
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &at));
	EXPECT_EQ(EMFILE, errno);
	EXPECT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));

	ASSERT_EQ(0, pager_open(self->dev, 0, &p));
	EXPECT_EQ(SWAPLAB_PAGER_ENTRIES_DEF - 1, p.ring->mask);
	EXPECT_EQ(0, ring_tail(&p));
	EXPECT_EQ(0, ring_lost(&p));
	/* One pager at a time. */
	EXPECT_EQ(-EBUSY, pager_open(self->dev, 0, &q));
	/* The ring is shared, whole and at offset 0. */
	m = mmap(NULL, p.bytes, PROT_READ, MAP_PRIVATE, p.fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	m = mmap(NULL, p.bytes - page_size, PROT_READ, MAP_SHARED, p.fd, 0);
	EXPECT_EQ(MAP_FAILED, m);
	m = mmap(NULL, p.bytes, PROT_READ, MAP_SHARED, p.fd, page_size);
	EXPECT_EQ(MAP_FAILED, m);
	pager_close(&p);
	/* Its file released, the pager is gone: another may attach. */
	ASSERT_EQ(0, pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MIN, &q));
	EXPECT_EQ(SWAPLAB_PAGER_ENTRIES_MIN - 1, q.ring->mask);
	pager_close(&q);
}

/*
 * Who may attach: not an unprivileged user (the events show everyone's
 * page references), unless the device is theirs; and then the ring counts
 * against their RLIMIT_MEMLOCK.
 */
TEST_F_TIMEOUT(pager, attach_needs_privilege, 120)
{
	for (int owner = 0; owner < 2; owner++) {
		int status;
		pid_t pid;

		if (owner)
			ASSERT_EQ(0, chown(SWAPLAB_DEVICE, NOBODY, NOBODY));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			/* An unprivileged user can lower the soft limit and
			 * raise it again, up to the hard one.
			 */
			struct rlimit none = { 0, 1 << 16 };
			struct rlimit page = { 4096, 1 << 16 };
			struct rlimit more = { 1 << 16, 1 << 16 };
			struct pager p;

			if (setresgid(NOBODY, NOBODY, NOBODY) ||
			    setresuid(NOBODY, NOBODY, NOBODY))
				_exit(10);
			if (!owner)
				_exit(pager_open(self->dev, 0, &p) == -EPERM ?
				      0 : 11);
			/* As mlock(): EPERM with no limit, ENOMEM past it. */
			if (setrlimit(RLIMIT_MEMLOCK, &none))
				_exit(12);
			if (pager_open(self->dev, 0, &p) != -EPERM)
				_exit(13);
			if (setrlimit(RLIMIT_MEMLOCK, &page))
				_exit(14);
			if (pager_open(self->dev, 0, &p) != -ENOMEM)
				_exit(15);
			if (setrlimit(RLIMIT_MEMLOCK, &more))
				_exit(16);
			if (pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MIN, &p))
				_exit(17);
			pager_close(&p);
			/* A closed pager gave its page back: one page is room
			 * for one ring of 64 events, again and again.
			 */
			if (setrlimit(RLIMIT_MEMLOCK, &page))
				_exit(18);
			for (int i = 0; i < 4; i++) {
				if (pager_open(self->dev,
					       SWAPLAB_PAGER_ENTRIES_MIN, &p))
					_exit(19);
				pager_close(&p);
			}
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("owner %d", owner);
	}
}

/*
 * Who may attach is decided against the device node, never against a
 * region's file: a named region's file (SWAPLAB_IOC_ATTACH) is on an
 * inode its creator owns, and refuses SWAPLAB_IOC_PAGER_ATTACH with
 * ENOTTY for everyone, root included. The node's owner may attach, but
 * not as the default data pager, which keeps every user's new regions
 * (CAP_SYS_ADMIN only).
 */
TEST_F_TIMEOUT(pager, attach_only_through_the_node, 120)
{
	struct swaplab_pager_attach all = {
		.flags = SWAPLAB_PAGER_DATA | SWAPLAB_PAGER_DATA_ALL,
		.entries = 4 * 64,
	};
	struct swaplab_attach at = {
		.name = "pager-test-own", .flags = SWAPLAB_ATTACH_CREATE,
	};
	int status, rfd, pfd;
	pid_t pid;

	/* Root: a region's file is not the node, whoever asks. */
	rfd = ioctl(self->dev, SWAPLAB_IOC_ATTACH, &at);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(-1, ioctl(rfd, SWAPLAB_IOC_PAGER_ATTACH, &all));
	EXPECT_EQ(ENOTTY, errno);
	close(rfd);

	/* The node shared with a group, as the admin guide has it. */
	ASSERT_EQ(0, chown(SWAPLAB_DEVICE, 0, NOBODY));
	ASSERT_EQ(0, chmod(SWAPLAB_DEVICE, 0660));
	for (int owner = 0; owner < 2; owner++) {
		if (owner)
			ASSERT_EQ(0, chown(SWAPLAB_DEVICE, NOBODY, NOBODY));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct rlimit more = { 1 << 20, 1 << 20 };
			struct swaplab_pager_attach a = all;
			/* A member of the node's group, or its owner. */
			uid_t uid = owner ? NOBODY : NOBODY - 1;
			gid_t grp = NOBODY;
			int dev, fd;

			setrlimit(RLIMIT_MEMLOCK, &more);
			if (setgroups(1, &grp) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid))
				_exit(10);
			dev = open(SWAPLAB_DEVICE, O_RDWR);
			if (dev < 0)
				_exit(11);
			fd = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
			if (fd < 0)
				_exit(12);
			/* Its own region's file: not the node. */
			a = all;
			if (ioctl(fd, SWAPLAB_IOC_PAGER_ATTACH, &a) != -1 ||
			    errno != ENOTTY)
				_exit(13);
			a = (struct swaplab_pager_attach){ 0 };
			if (ioctl(fd, SWAPLAB_IOC_PAGER_ATTACH, &a) != -1 ||
			    errno != ENOTTY)
				_exit(14);
			/* The default data pager: CAP_SYS_ADMIN only. */
			a = all;
			if (ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &a) != -1 ||
			    errno != EPERM)
				_exit(15);
			/* A pager of events: the node's owner only. */
			a = (struct swaplab_pager_attach){ 0 };
			pfd = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, &a);
			if (owner ? pfd < 0 : pfd != -1 || errno != EPERM)
				_exit(16);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("owner %d", owner);
	}
	EXPECT_EQ(0, chmod(SWAPLAB_DEVICE, self->node.st_mode & 07777));
	/* Root still attaches as the default data pager, through the node. */
	pfd = ioctl(self->dev, SWAPLAB_IOC_PAGER_ATTACH, &all);
	EXPECT_LE(0, pfd);
	if (pfd >= 0)
		close(pfd);
}

/*
 * Six processes, each with a region of twice the budget that it fills
 * and checks eight times over (its pattern from @seed): the reclaimers
 * of the tests of shared answers. Each must read back what it wrote.
 */
static void run_reclaimers(struct __test_metadata *_metadata, int seed)
{
	const int nproc = 6, passes = 8;
	size_t n = 2 * BUDGET;
	pid_t pids[6];
	int status;

	for (int i = 0; i < nproc; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			uint8_t *map;
			int fd;

			map = new_region(n, &fd);
			if (!map)
				_exit(10);
			for (int pass = 0; pass < passes; pass++) {
				fill_pages(map, 0, n, seed + i + pass);
				if (check_pages(map, 0, n, seed + i + pass, 1))
					_exit(11);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < nproc; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("reclaimer %d", i);
	}
}

/*
 * Reclaimers share the pager's answers: one woken by answers that another
 * took first has not waited in vain, and an answer naming a page another
 * reclaimer took first is stale, not wrong. A pager that answers the
 * WANTs it reads together with one call, with six processes reclaiming
 * at the same time in their own faults (daemon=0) under a 10 s timeout,
 * is never counted late nor ejected, and every page reads back. Some
 * WANTs are served by an answer to another (the pager read more WANTs
 * than it answered), and some answers are stale.
 */
TEST_F_TIMEOUT(pager, shared_answers_are_not_timeouts, 600)
{
	long long timeouts0 = read_stat("pager_timeouts");
	long long ejections0 = read_stat("pager_ejections");
	long long answers0 = read_stat("pager_answers");
	long long stale0 = read_stat("pager_stale");
	long long lost0 = read_stat("pager_events_lost");
	pid_t pager, ticker;
	char now[32], tmo[16];
	double t0 = now_s();

	pager = pager_child(self->dev, ANSWER_NEWEST, "10000");
	ASSERT_LT(0, pager);
	ticker = start_ticker();
	ASSERT_LT(0, ticker);
	run_reclaimers(_metadata, 50);
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("%lld victims named by the pager, %lld stale; %ld WANTs read, %ld answered, %ld with no page known; %lld timeouts, policy %s",
	       read_stat("pager_answers") - answers0,
	       read_stat("pager_stale") - stale0,
	       seen_read(&seen->want_events), seen_read(&seen->wants),
	       seen_read(&seen->empty_wants),
	       read_stat("pager_timeouts") - timeouts0, now);
	stop_pager(ticker);
	ASSERT_EQ(0, read_knob("policies/pager/timeout_ms", tmo, sizeof(tmo)));
	TH_LOG("events lost %lld; the pager's longest poll %ld ms, longest work %ld ms; the machine stood still %ld ms at most; %.1f s in all, timeout_ms %s",
	       read_stat("pager_events_lost") - lost0,
	       seen_read(&seen->max_poll_ms), seen_read(&seen->max_work_ms),
	       seen_read(&seen->max_late_ms), now_s() - t0, tmo);
	EXPECT_LT(answers0, read_stat("pager_answers"));
	EXPECT_LT(seen_read(&seen->wants), seen_read(&seen->want_events))
		TH_LOG("no WANT was served by another's answer");
	EXPECT_LT(stale0, read_stat("pager_stale"));
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_EQ(ejections0, read_stat("pager_ejections"));
	EXPECT_STREQ("pager", now);
	stop_pager(pager);
}

/*
 * An answer that came before a reclaimer's WANT and that another
 * reclaimer took while the first was waking is an answer, not a
 * timeout. The pager answers every WANT at once with one page, so its
 * answer is often queued while a reclaimer sends the REFERENCED events
 * and WANT that follow the empty queue it found, and the queue is empty
 * again after one pop: six reclaimers race for those single answers.
 * None may be counted a timeout, and the pager stays.
 */
TEST_F_TIMEOUT(pager, an_answer_another_took_is_not_a_timeout, 600)
{
	long long timeouts0 = read_stat("pager_timeouts");
	long long ejections0 = read_stat("pager_ejections");
	long long answers0 = read_stat("pager_answers");
	char now[32];
	double t0 = now_s();
	pid_t pager;

	pager = pager_child(self->dev, ANSWER_ONE, "10000");
	ASSERT_LT(0, pager);
	run_reclaimers(_metadata, 70);
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("%lld victims named by the pager; %ld WANTs read, %ld answered; %lld timeouts, policy %s; %.1f s",
	       read_stat("pager_answers") - answers0,
	       seen_read(&seen->want_events), seen_read(&seen->wants),
	       read_stat("pager_timeouts") - timeouts0, now, now_s() - t0);
	EXPECT_LT(answers0 + 100, read_stat("pager_answers"));
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_EQ(ejections0, read_stat("pager_ejections"));
	EXPECT_STREQ("pager", now);
	stop_pager(pager);
}

/*
 * The timeout bounds a batch of victims, not each WANT: a pager that
 * answers every WANT just in time, one page at a time, would otherwise
 * hold a batch for eight waits. This one answers each WANT SLOW_MS after
 * it reads it, with one page, under a timeout of 1000 ms: one fault that
 * reclaims a batch (of up to 32) sends it two WANTs, the first answered
 * in time and the second cut short at the batch's bound, not eight; the
 * pager is neither counted late nor ejected, and every page reads back.
 */
TEST_F_TIMEOUT(pager, slow_answers_hold_a_batch_at_most_the_timeout, 300)
{
	long long timeouts0 = read_stat("pager_timeouts");
	long long ejections0 = read_stat("pager_ejections");
	long w0, wants, last;
	uint8_t *map;
	char now[32];
	pid_t pager;
	int fd;

	pager = pager_child(self->dev, ANSWER_SLOW, "1000");
	ASSERT_LT(0, pager);
	map = new_region(BUDGET + 1, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, BUDGET, 61);
	/* Whatever filling the budget asked is answered and read. */
	for (last = -1; last != seen_read(&seen->want_events);
	     usleep(3 * SLOW_MS * 1000))
		last = seen_read(&seen->want_events);
	w0 = seen_read(&seen->want_events);
	fill_pages(map + BUDGET * page_size, BUDGET, 1, 61);
	usleep(3 * SLOW_MS * 1000);
	wants = seen_read(&seen->want_events) - w0;
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("one fault that reclaims: %ld WANTs, %lld timeouts, policy %s",
	       wants, read_stat("pager_timeouts") - timeouts0, now);
	EXPECT_LE(1, wants);
	EXPECT_GE(2, wants);
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_EQ(ejections0, read_stat("pager_ejections"));
	EXPECT_STREQ("pager", now);
	EXPECT_EQ(0, check_pages(map, 0, BUDGET + 1, 61, 1));
	stop_pager(pager);
	munmap(map, (BUDGET + 1) * page_size);
	close(fd);
}

/*
 * A pager names the pages it last heard of: the newest, here those of a
 * region released between the WANT it read and its answer. Those answers
 * are stale, not wrong (pager_stale): the pager had not read the
 * region's REMOVE events. They count as skipped, never against the
 * pager, which stays; its next answer serves, and every page reads back.
 */
TEST_F_TIMEOUT(pager, answers_for_a_region_gone_are_stale, 300)
{
	long long stale0 = read_stat("pager_stale");
	long long invalid0 = read_stat("pager_invalid");
	long long ejections0 = read_stat("pager_ejections");
	size_t half = BUDGET / 2, n = 2 * BUDGET;
	long long stale, invalid;
	uint8_t *gone, *map;
	long nr, named = 0;
	int fd, fd_gone, status;
	char now[32];
	uint64_t id;
	pid_t pager, pid;

	pager = pager_child(self->dev, ANSWER_HOLD_FIRST, "10000");
	ASSERT_LT(0, pager);
	/* The budget full, the region to go newest: nothing reclaimed yet. */
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, half, 71);
	gone = new_region(half, &fd_gone);
	ASSERT_NE(NULL, gone);
	fill_pages(gone, 0, half, 72);
	id = region_id(fd_gone);
	/* Another process's faults ask the pager; the test is free. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* The test's close must release the region. */
		munmap(gone, half * page_size);
		close(fd_gone);
		fill_pages(map + half * page_size, half, n - half, 71);
		_exit(check_pages(map, 0, n, 71, 1) ? 1 : 0);
	}
	ASSERT_TRUE(pager_held())
		TH_LOG("the reclaimer never asked the pager");
	munmap(gone, half * page_size);
	close(fd_gone);
	__atomic_store_n(&seen->go, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	nr = seen_read(&seen->nr_first);
	for (long i = 0; i < nr; i++)
		named += seen->first[i].region == id;
	stale = read_stat("pager_stale") - stale0;
	invalid = read_stat("pager_invalid") - invalid0;
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("the held answer named %ld pages, %ld of the region gone; %lld answers stale, %lld skipped; policy %s",
	       nr, named, stale, invalid, now);
	EXPECT_EQ(1, seen_read(&seen->released));
	EXPECT_LT(0, named);
	EXPECT_LE(named, stale);
	EXPECT_EQ(invalid, stale);
	EXPECT_EQ(ejections0, read_stat("pager_ejections"));
	EXPECT_STREQ("pager", now);
	EXPECT_EQ(0, check_pages(map, 0, n, 71, 1));
	stop_pager(pager);
	munmap(map, n * page_size);
	close(fd);
}

/*
 * A daemon pass takes several batches of victims and holds them all
 * locked until it unmaps them together. A pager that is slow, but in
 * time, must not keep the first batch locked while the pass waits for its
 * second answer: a fault on one of those pages would wait on the pager
 * too. Here the daemon (watermarks 256/512 of 1024 frames) wakes for a
 * region of 800 pages; the pager names its first batch at once and holds
 * its second WANT. The test then faults on the first batch's pages
 * through a second mapping of the region, and tells the pager to answer
 * once it has them. If those faults waited for the pager, the pager
 * answers only after HOLD_MAX_S, below the 10 s timeout_ms.
 */
TEST_F_TIMEOUT(pager, slow_pager_holds_no_locked_pages, 300)
{
	long long timeouts0 = read_stat("pager_timeouts");
	size_t n = 800, mapped = 0;
	uint8_t *map, *again;
	uint64_t id;
	pid_t pager;
	long nr;
	int fd;

	ASSERT_EQ(0, write_knob("frames", "1024"));
	ASSERT_EQ(0, write_knob("watermark_high", "512"));
	ASSERT_EQ(0, write_knob("watermark_low", "256"));
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	again = mmap(NULL, n * page_size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, again);
	id = region_id(fd);
	pager = pager_child(self->dev, ANSWER_HOLD, "10000");
	ASSERT_LT(0, pager);
	ASSERT_EQ(0, write_knob("daemon", "1"));
	fill_pages(map, 0, n, 61);
	ASSERT_TRUE(pager_held())
		TH_LOG("the daemon's pass never asked the pager twice");
	nr = __atomic_load_n(&seen->nr_first, __ATOMIC_ACQUIRE);
	ASSERT_LT(0, nr);
	for (long i = 0; i < nr; i++) {
		if (seen->first[i].region != id || seen->first[i].index >= n)
			continue;
		EXPECT_EQ(0, check_pages(again + seen->first[i].index * page_size,
					 seen->first[i].index, 1, 61, 0));
		mapped++;
	}
	__atomic_store_n(&seen->go, 1, __ATOMIC_RELEASE);
	for (double end = now_s() + 2 * HOLD_MAX_S; now_s() < end;) {
		if (__atomic_load_n(&seen->released, __ATOMIC_ACQUIRE))
			break;
		usleep(1000);
	}
	TH_LOG("the pager's first answer named %ld pages, %zu of this region; its second WANT was answered %s",
	       nr, mapped, seen->released == 1 ? "when the test had read them" :
	       seen->released == 2 ? "only after it was held for HOLD_MAX_S" :
	       "never");
	EXPECT_LT(0, mapped);
	EXPECT_EQ(1, seen->released);
	EXPECT_EQ(0, check_pages(map, 0, n, 61, 0));
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	stop_pager(pager);
	ASSERT_EQ(0, write_knob("daemon", "0"));
	munmap(again, n * page_size);
	munmap(map, n * page_size);
	close(fd);
}

/*
 * The events of a region written through the budget under the pager
 * policy, then a refault of its first page: every page admitted new, in
 * order; every page reclaim took out evicted; the refault with the
 * distance FIFO implies; the data intact. The test is the pager itself:
 * its own faults never wait on it, and are counted (pager_self).
 */
TEST_F_TIMEOUT(pager, events_of_a_region, 300)
{
	size_t n = 4 * BUDGET, got, admitted = 0, evicted = 0, removed = 0;
	long long events0 = read_stat("pager_events");
	long long fallback0 = read_stat("pager_fallback");
	long long self0 = read_stat("pager_self");
	long long timeouts0 = read_stat("pager_timeouts");
	const struct swaplab_pager_event *e, *refault = NULL;
	bool in_order = true, selected = false;
	struct pager p;
	uint64_t id;
	uint8_t *map;
	int fd;

	ASSERT_EQ(0, pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MAX, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	id = region_id(fd);
	fill_pages(map, 0, n, 41);
	/* Page 0 left first; reading it is a refault. */
	EXPECT_EQ(0, check_pages(map, 0, 1, 41, 0));

	got = pager_read(&p, self->ev, self->nr_ev);
	for (size_t i = 0; i < got; i++) {
		e = &self->ev[i];
		if (e->type == SWAPLAB_PAGER_SELECT && !admitted) {
			selected = true;
			EXPECT_EQ(BUDGET, e->arg);
		}
		if (e->region != id)
			continue;
		switch (e->type) {
		case SWAPLAB_PAGER_ADMIT:
			if (e->reason == SWAPLAB_PAGER_NEW) {
				in_order &= e->index == admitted;
				admitted++;
			} else if (e->reason == SWAPLAB_PAGER_REFAULT &&
				   e->index == 0) {
				refault = e;
			}
			break;
		case SWAPLAB_PAGER_REMOVE:
			removed++;
			break;
		case SWAPLAB_PAGER_EVICTED:
			evicted++;
			break;
		}
	}
	TH_LOG("%zu events: %zu admitted new, %zu removed, %zu evicted",
	       got, admitted, removed, evicted);
	EXPECT_TRUE(selected);
	EXPECT_EQ(n, admitted);
	EXPECT_TRUE(in_order);
	EXPECT_LE(n - BUDGET, evicted);
	EXPECT_LE(evicted, removed);
	ASSERT_NE(NULL, refault);
	/* FIFO: the pages evicted after page 0 are about n - BUDGET. */
	TH_LOG("refault of page 0: distance %llu, record %u",
	       (unsigned long long)refault->arg, refault->record);
	EXPECT_LE((n - BUDGET) / 2, refault->arg);
	EXPECT_GE(n, refault->arg);
	EXPECT_EQ(0, ring_lost(&p));
	EXPECT_LE(events0 + (long long)got, read_stat("pager_events"));
	EXPECT_LT(fallback0, read_stat("pager_fallback"));
	/* This process is the pager: its faults never wait on it. */
	EXPECT_LT(self0, read_stat("pager_self"));
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_EQ(0, check_pages(map, 0, n, 41, 1));

	/* Selecting another policy is an event too. */
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	got = pager_read(&p, self->ev, self->nr_ev);
	EXPECT_LE(1, got);
	if (got)
		EXPECT_EQ(SWAPLAB_PAGER_DESELECT, self->ev[got - 1].type);
	munmap(map, n * page_size);
	close(fd);
	pager_close(&p);
}

/* Admissions of @reason for @region's pages below @below, in @ev[0, n). */
static size_t count_admits(const struct swaplab_pager_event *ev, size_t n,
			   uint64_t region, uint8_t reason, uint64_t below)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ev[i].type == SWAPLAB_PAGER_ADMIT && ev[i].region == region &&
		     ev[i].reason == reason && ev[i].index < below;
	return c;
}

/*
 * The reasons of admission besides NEW and REFAULT: the pages resident
 * when "pager" is selected come as SWITCH; a page pinned and unpinned
 * leaves (REMOVE) and comes back as RETURN, not evicted; pages read ahead
 * come as READAHEAD. Each page's contents survive all of it. A change of
 * the budget is a RESIZE event with the new budget.
 */
TEST_F_TIMEOUT(pager, admit_reasons, 300)
{
	size_t n = 4 * BUDGET, res = BUDGET / 2, got, removed = 0, evicted = 0;
	struct swaplab_range pin = { 0, 4 * page_size };
	uint64_t sizes[3];
	size_t nr_sizes = 0;
	struct pager p;
	uint64_t id;
	uint8_t *map;
	int fd;

	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	id = region_id(fd);
	/* Under fifo: half the budget resident, nothing evicted. */
	fill_pages(map, 0, res, 45);
	ASSERT_EQ(0, pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MAX, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	got = pager_read(&p, self->ev, self->nr_ev);
	EXPECT_EQ(res, count_admits(self->ev, got, id, SWAPLAB_PAGER_SWITCH, res));
	EXPECT_EQ(0, count_admits(self->ev, got, id, SWAPLAB_PAGER_NEW, n));

	ASSERT_EQ(0, ioctl(fd, SWAPLAB_IOC_PIN, &pin));
	ASSERT_EQ(0, ioctl(fd, SWAPLAB_IOC_UNPIN, &pin));
	got = pager_read(&p, self->ev, self->nr_ev);
	for (size_t i = 0; i < got; i++) {
		removed += self->ev[i].type == SWAPLAB_PAGER_REMOVE &&
			   self->ev[i].region == id && self->ev[i].index < 4;
		evicted += self->ev[i].type == SWAPLAB_PAGER_EVICTED;
	}
	EXPECT_EQ(4, removed);
	EXPECT_EQ(4, count_admits(self->ev, got, id, SWAPLAB_PAGER_RETURN, 4));
	EXPECT_EQ(0, evicted);

	/*
	 * Fill the rest (4x the budget: the first pages leave, by FIFO as
	 * this process is its own pager), then read it all in order with a
	 * window of 8: the pages read with each fault come as READAHEAD.
	 */
	fill_pages(map + res * page_size, res, n - res, 45);
	ASSERT_EQ(0, write_knob("readahead", "8"));
	EXPECT_EQ(0, check_pages(map, 0, n, 45, 0));
	got = pager_read(&p, self->ev, self->nr_ev);
	TH_LOG("%zu events after the read: %zu admitted as read ahead", got,
	       count_admits(self->ev, got, id, SWAPLAB_PAGER_READAHEAD, n));
	EXPECT_LT(n / 8, count_admits(self->ev, got, id, SWAPLAB_PAGER_READAHEAD, n));

	/* A change of budget reaches the policy's resize(): RESIZE events. */
	ASSERT_EQ(0, write_knob_ll("frames", 2 * BUDGET));
	ASSERT_EQ(0, write_knob_ll("frames", BUDGET));
	got = pager_read(&p, self->ev, self->nr_ev);
	for (size_t i = 0; i < got; i++)
		if (self->ev[i].type == SWAPLAB_PAGER_RESIZE && nr_sizes < 3)
			sizes[nr_sizes++] = self->ev[i].arg;
	ASSERT_EQ(2, nr_sizes);
	EXPECT_EQ(2 * BUDGET, sizes[0]);
	EXPECT_EQ(BUDGET, sizes[1]);
	EXPECT_EQ(0, ring_lost(&p));
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	munmap(map, n * page_size);
	close(fd);
	pager_close(&p);
}

/* The places of a ring kept for WANT, SELECT and DESELECT (pager.rst). */
#define CTL_RESERVE	16

/*
 * A ring the pager does not read fills, but for the places kept for
 * WANT, SELECT and DESELECT: the kernel drops what does not fit, counts
 * it in the ring and in stat, and never waits; once the pager reads,
 * events flow again.
 */
TEST_F_TIMEOUT(pager, full_ring_drops_and_counts, 300)
{
	size_t n = 4 * BUDGET, got, unread;
	long long lost0 = read_stat("pager_events_lost");
	struct pager p;
	uint64_t tail;
	uint8_t *map;
	int fd;

	ASSERT_EQ(0, pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MIN, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	map = new_region(n + 8, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 42);
	/* Full but for the places kept for WANT, SELECT and DESELECT. */
	unread = ring_tail(&p) - ring_head(&p);
	EXPECT_LE(SWAPLAB_PAGER_ENTRIES_MIN - CTL_RESERVE, unread);
	EXPECT_GE(SWAPLAB_PAGER_ENTRIES_MIN, unread);
	EXPECT_LT(0, ring_lost(&p));
	EXPECT_EQ(lost0 + (long long)ring_lost(&p),
		  read_stat("pager_events_lost"));
	got = pager_read(&p, self->ev, self->nr_ev);
	EXPECT_EQ(unread, got);
	tail = ring_tail(&p);
	lost0 = ring_lost(&p);
	fill_pages(map + n * page_size, n, 8, 42);
	TH_LOG("tail %llu -> %llu, head %llu, lost %llu -> %llu, events %lld",
	       (unsigned long long)tail, (unsigned long long)ring_tail(&p),
	       (unsigned long long)ring_head(&p),
	       (unsigned long long)lost0, (unsigned long long)ring_lost(&p),
	       read_stat("pager_events"));
	EXPECT_LT(tail, ring_tail(&p));
	EXPECT_EQ(0, check_pages(map, 0, n + 8, 42, 0));
	munmap(map, (n + 8) * page_size);
	close(fd);
	pager_close(&p);
}

/*
 * The place of the first WANT among @p's unread events, once one is there,
 * reading none of them; -1 if none comes within @secs.
 */
static long long wait_want(struct pager *p, struct swaplab_pager_event *ev,
			   size_t max, double secs)
{
	for (double end = now_s() + secs; now_s() < end; usleep(10000)) {
		uint64_t next;
		size_t n = pager_peek(p, ev, max, &next);

		for (size_t i = 0; i < n; i++)
			if (ev[i].type == SWAPLAB_PAGER_WANT)
				return i;
	}
	return -1;
}

/*
 * A ring full of other events still takes a WANT: its last CTL_RESERVE
 * places are kept for WANT, SELECT and DESELECT. A child fills the
 * budget and 8 pages more through a pager of the smallest ring that
 * reads nothing until a WANT is in it: the ADMITs past the first places
 * are dropped (lost), and the WANT of the fault that reclaims is there
 * after them. The pager then serves as any does, answering with the
 * pages it heard were admitted; the child ends with every page intact,
 * and the pager is neither late nor ejected. Without the reserve the
 * WANT is dropped with the rest, and reclaim waits its whole timeout
 * for an answer to a WANT the pager never saw.
 */
TEST_F_TIMEOUT(pager, want_is_not_crowded_out_of_a_full_ring, 300)
{
	long long timeouts0 = read_stat("pager_timeouts");
	long long ejections0 = read_stat("pager_ejections");
	struct swaplab_pager_page res[2 * BUDGET + 8], seen = { 0 };
	long long lost = -1, want = -1;
	size_t nres = 0, answered = 0, guessed = 0;
	struct pager p;
	char now[32];
	int status;
	pid_t pid;

	ASSERT_EQ(0, write_knob("policies/pager/timeout_ms", "10000"));
	ASSERT_EQ(0, pager_open(self->dev, SWAPLAB_PAGER_ENTRIES_MIN, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint8_t *map;
		int fd;

		map = new_region(BUDGET + 8, &fd);
		if (!map)
			_exit(10);
		fill_pages(map, 0, BUDGET + 8, 77);
		_exit(check_pages(map, 0, BUDGET + 8, 77, 0) ? 11 : 0);
	}
	/* Nothing read until a WANT is in the ring, for 20 s at most. */
	want = wait_want(&p, self->ev, self->nr_ev, 20);
	lost = ring_lost(&p);
	TH_LOG("the first WANT at place %lld of the ring, %lld events lost before it",
	       want, lost);
	EXPECT_LE(SWAPLAB_PAGER_ENTRIES_MIN - CTL_RESERVE - 1, want);
	EXPECT_LT(0, lost);
	/* Then serve, with the pages heard of, until the child is done. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		uint64_t next;
		size_t n = pager_peek(&p, self->ev, self->nr_ev, &next);

		for (size_t i = 0; i < n; i++) {
			struct swaplab_pager_event *e = &self->ev[i];
			struct swaplab_pager_victims v = {
				.pages = (uintptr_t)res, .proc = e->proc,
			};
			size_t j;

			switch (e->type) {
			case SWAPLAB_PAGER_ADMIT:
				if (nres < ARRAY_SIZE(res))
					res[nres++] = (struct swaplab_pager_page){
						e->region, e->index };
				break;
			case SWAPLAB_PAGER_REMOVE:
				for (j = 0; j < nres; j++)
					if (res[j].region == e->region &&
					    res[j].index == e->index)
						break;
				if (j < nres)
					res[j] = res[--nres];
				break;
			case SWAPLAB_PAGER_WANT:
				/*
				 * All it heard of left, and the ring lost the
				 * rest: the child's first pages, most of which
				 * its budget holds, as a pager that lost track
				 * would guess.
				 */
				if (!nres && seen.region) {
					for (j = 0; j < e->arg && j < BUDGET; j++)
						res[j] = (struct swaplab_pager_page){
							seen.region, j };
					nres = j;
					guessed++;
				}
				v.nr = e->arg < nres ? e->arg : nres;
				if (v.nr &&
				    !ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v))
					answered++;
				break;
			}
			if (e->type == SWAPLAB_PAGER_ADMIT)
				seen.region = e->region;
		}
		pager_consume(&p, next);
		usleep(1000);
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("%zu WANTs answered, %zu with guessed pages; %lld timeouts, policy %s",
	       answered, guessed,
	       read_stat("pager_timeouts") - timeouts0, now);
	EXPECT_LT(0, answered);
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_EQ(ejections0, read_stat("pager_ejections"));
	EXPECT_STREQ("pager", now);
	pager_close(&p);
}

/*
 * A child spinning on CPU @cpu at a real-time priority for @ms, so that
 * nothing else runs there: its pid once it spins, or -1.
 */
static pid_t spin_on_cpu(int cpu, int ms)
{
	struct sched_param sp = { .sched_priority = 10 };
	cpu_set_t cpus;
	double end;
	int ready;
	char c = 1;
	pid_t pid;

	pid = fork_ready(&ready);
	if (pid)
		return pid;
	/* Holding no file of the parent's: a pager's goes when it closes. */
	if (close_range(3, ready - 1, 0) || close_range(ready + 1, ~0U, 0))
		c = 0;
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) ||
	    sched_setscheduler(0, SCHED_FIFO, &sp))
		c = 0;
	end = now_s() + ms / 1000.0;
	if (write(ready, &c, 1) != 1 || !c)
		_exit(1);
	while (now_s() < end)
		;
	_exit(0);
}

/*
 * A wait for an answer belongs to the pager its WANT went to: when that
 * pager goes, the wait ends, and a pager attached after it is never
 * judged late by a WANT it was never sent. A reclaimer on the second CPU
 * waits for a pager that reads but does not answer; a real-time spinner
 * keeps it off that CPU while the pager closes and another, which
 * answers, takes its place. Run again, the reclaimer asks the new pager:
 * no timeout, no ejection, and its pages read back.
 */
TEST_F_TIMEOUT(pager, a_wait_ends_with_its_pager, 120)
{
	long long timeouts0 = read_stat("pager_timeouts");
	pid_t pid, spinner, pager;
	cpu_set_t cpus;
	struct pager p;
	double t0, took;
	char now[32];
	int status;

	ASSERT_LE(2, sysconf(_SC_NPROCESSORS_ONLN));
	/* The test, and the pagers it starts, on the first CPU. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpus), &cpus));
	ASSERT_EQ(0, write_knob("policies/pager/timeout_ms", "10000"));
	ASSERT_EQ(0, pager_open(self->dev, 0, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint8_t *map;
		int fd;

		close(p.fd);
		CPU_ZERO(&cpus);
		CPU_SET(1, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus))
			_exit(9);
		map = new_region(BUDGET + 8, &fd);
		if (!map)
			_exit(10);
		fill_pages(map, 0, BUDGET + 8, 78);
		_exit(check_pages(map, 0, BUDGET + 8, 78, 0) ? 11 : 0);
	}
	ASSERT_LE(0, wait_want(&p, self->ev, self->nr_ev, 20));
	spinner = spin_on_cpu(1, 1500);
	ASSERT_LT(0, spinner);
	t0 = now_s();
	pager_close(&p);
	pager = pager_child(self->dev, ANSWER_NEWEST, "10000");
	took = now_s() - t0;
	ASSERT_LT(0, pager);
	ASSERT_EQ(spinner, waitpid(spinner, &status, 0));
	EXPECT_EQ(0, status);
	TH_LOG("the pager replaced in %.0f ms, while the reclaimer could not run for 1500",
	       took * 1000);
	/* Else the reclaimer may have run between the pagers. */
	ASSERT_GT(1.2, took);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	TH_LOG("%lld timeouts, policy %s",
	       read_stat("pager_timeouts") - timeouts0, now);
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_STREQ("pager", now);
	stop_pager(pager);
}

/* A child that faults in one page of a new region in 0.2 s: its pid. */
static pid_t fault_one_page_soon(void)
{
	pid_t pid = fork();
	uint8_t *map;
	int fd;

	if (pid)
		return pid;
	usleep(200 * 1000);
	map = new_region(1, &fd);
	if (!map)
		_exit(1);
	map[0] = 1;
	_exit(0);
}

/* poll() says when the ring has events, and wakes a pager waiting. */
TEST_F_TIMEOUT(pager, poll_wakes, 120)
{
	struct pager p;
	struct pollfd pfd;
	double t0, waited;
	int status;
	pid_t pid;

	ASSERT_EQ(0, pager_open(self->dev, 0, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	pager_read(&p, self->ev, self->nr_ev);
	EXPECT_EQ(0, poll(pfd_of(&pfd, &p), 1, 0));
	pid = fault_one_page_soon();
	ASSERT_LE(0, pid);
	EXPECT_EQ(1, poll(&pfd, 1, 20000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_LT(0, pager_read(&p, self->ev, self->nr_ev));
	pager_close(&p);

	/*
	 * Woken at 64 events unread: the one event of a page faulted in
	 * does not wake it, the poll runs to its time limit and then finds
	 * the event; a poll that starts with it unread returns at once.
	 */
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, pager_open_wakeup(self->dev, 0, 64, &p));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	pager_read(&p, self->ev, self->nr_ev);
	pid = fault_one_page_soon();
	ASSERT_LE(0, pid);
	t0 = now_s();
	EXPECT_EQ(1, poll(pfd_of(&pfd, &p), 1, 3000));
	waited = now_s() - t0;
	TH_LOG("one event with wakeup 64: poll returned after %.2f s", waited);
	EXPECT_LE(2.9, waited);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_LT(0, pager_read(&p, self->ev, self->nr_ev));
	pager_close(&p);
}

/*
 * A pager that answers with the newest pages (MRU) decides: after a
 * region of 4x the budget is written in order, its first pages are still
 * resident, where FIFO, the fallback, would have evicted them first.
 */
TEST_F_TIMEOUT(pager, victims_chosen_by_the_pager, 300)
{
	size_t n = 4 * BUDGET;
	long long answers0 = read_stat("pager_answers");
	long long fallback0 = read_stat("pager_fallback");
	long long timeouts0 = read_stat("pager_timeouts");
	long long answers, fallback;
	uint8_t *map;
	long majors;
	pid_t pid;
	int fd;

	pid = pager_child(self->dev, ANSWER_NEWEST, "5000");
	ASSERT_LT(0, pid);
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 44);
	majors = read_majflt(map, 0, BUDGET / 2);
	answers = read_stat("pager_answers") - answers0;
	fallback = read_stat("pager_fallback") - fallback0;
	TH_LOG("%lld victims from the pager, %lld by FIFO, %lld timeouts; %ld major faults reading the first %d pages",
	       answers, fallback, read_stat("pager_timeouts") - timeouts0,
	       majors, BUDGET / 2);
	EXPECT_LE((long long)(n - BUDGET) / 2, answers);
	EXPECT_GT(answers, 4 * fallback);
	EXPECT_GT(BUDGET / 8, majors);
	EXPECT_EQ(0, check_pages(map, 0, n, 44, 1));
	stop_pager(pid);
	munmap(map, n * page_size);
	close(fd);
}

/*
 * The reference bits reach the pager: each page the test wrote comes as
 * REFERENCED before a WANT. A pager that asks for a harvest whenever it
 * may is granted four a batch (the kernel's rescans), then the WANT says
 * it may not, and it names victims: nothing times out and nothing falls
 * back to FIFO, though each harvest costs a wait.
 */
TEST_F_TIMEOUT(pager, reference_bits_and_rescans, 300)
{
	size_t n = 4 * BUDGET;
	long long fallback0 = read_stat("pager_fallback");
	long long timeouts0 = read_stat("pager_timeouts");
	long long answers0 = read_stat("pager_answers");
	long referenced, wants, may_rescan, rescans;
	struct swaplab_pager_victims v = { };
	struct pager p;
	uint8_t *map;
	pid_t pid;
	int fd;

	pid = pager_child(self->dev, ANSWER_RESCAN, "5000");
	ASSERT_LT(0, pid);
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 47);
	EXPECT_EQ(0, check_pages(map, 0, n, 47, 1));
	/* The child has read every event before the last answer. */
	referenced = seen_read(&seen->referenced);
	wants = seen_read(&seen->wants);
	may_rescan = seen_read(&seen->may_rescan);
	rescans = seen_read(&seen->rescans);
	TH_LOG("%ld pages referenced, %ld WANTs, %ld of them allowing a rescan, %ld rescans; %lld victims named, %lld by FIFO, %lld timeouts",
	       referenced, wants, may_rescan, rescans,
	       read_stat("pager_answers") - answers0,
	       read_stat("pager_fallback") - fallback0,
	       read_stat("pager_timeouts") - timeouts0);
	EXPECT_LE((long)(n - 2 * BUDGET), referenced);
	EXPECT_LT(0, rescans);
	EXPECT_EQ(may_rescan, rescans);
	/* Four a batch; then a WANT that allows none, one or more. */
	EXPECT_EQ(0, may_rescan % 4);
	EXPECT_GE(4 * (wants - may_rescan), may_rescan);
	EXPECT_EQ(fallback0, read_stat("pager_fallback"));
	EXPECT_EQ(timeouts0, read_stat("pager_timeouts"));
	EXPECT_LT(answers0, read_stat("pager_answers"));
	stop_pager(pid);
	munmap(map, n * page_size);
	close(fd);

	/* A pager may ask any time, even with no victim; nothing breaks. */
	ASSERT_EQ(0, pager_open(self->dev, 0, &p));
	v.flags = SWAPLAB_PAGER_RESCAN;
	EXPECT_EQ(0, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(0, v.queued);
	pager_close(&p);
}

/*
 * Answers that name no page here are skipped and counted; the kernel
 * chooses for that batch, and the pager is ejected: the default policy
 * chooses the rest. Nothing is lost.
 */
TEST_F_TIMEOUT(pager, garbage_answers_are_skipped, 300)
{
	size_t n = 4 * BUDGET;
	long long invalid0 = read_stat("pager_invalid");
	long long answers0 = read_stat("pager_answers");
	long long fallback0 = read_stat("pager_fallback");
	long long ejections0 = read_stat("pager_ejections");
	long long fallback;
	char now[32];
	uint8_t *map;
	pid_t pid;
	int fd;

	pid = pager_child(self->dev, ANSWER_GARBAGE, "5000");
	ASSERT_LT(0, pid);
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 45);
	EXPECT_EQ(0, check_pages(map, 0, n, 45, 1));
	TH_LOG("%lld answers skipped", read_stat("pager_invalid") - invalid0);
	EXPECT_LE(invalid0 + 8, read_stat("pager_invalid"));
	EXPECT_EQ(answers0, read_stat("pager_answers"));
	policy_after_ejection(now, sizeof(now));
	EXPECT_STREQ(SWAPLAB_DEFAULT_POLICY, now);
	EXPECT_EQ(ejections0 + 1, read_stat("pager_ejections"));
	/* FIFO for the batch the garbage came in, the default after. */
	fallback = read_stat("pager_fallback") - fallback0;
	TH_LOG("%lld of %zu victims by FIFO before the ejection", fallback,
	       n - BUDGET);
	EXPECT_LE(1, fallback);
	EXPECT_GT((long long)(n - BUDGET) / 2, fallback);
	stop_pager(pid);
	/* It was ejected already: its end ejects nothing more. */
	EXPECT_EQ(ejections0 + 1, read_stat("pager_ejections"));
	munmap(map, n * page_size);
	close(fd);
}

/*
 * A stopped pager costs one timeout, and is ejected: the default policy
 * serves. Resumed and selected again, it is heard again; killed, it is
 * ejected at once, without a timeout. Nothing hangs, nothing is lost.
 */
TEST_F_TIMEOUT(pager, stopped_or_killed_pager_falls_back, 300)
{
	size_t n = 4 * BUDGET;
	long long timeouts0 = read_stat("pager_timeouts");
	long long fallback0 = read_stat("pager_fallback");
	long long ejections0 = read_stat("pager_ejections");
	long long answers1, timeouts2, fallback2, fallback;
	char now[32];
	uint8_t *map;
	pid_t pid;
	int fd;

	pid = pager_child(self->dev, ANSWER_NEWEST, "50");
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	map = new_region(3 * n, &fd);
	ASSERT_NE(NULL, map);
	/*
	 * Stopped: one wait times out, the kernel chooses for that batch,
	 * and the default policy for the rest.
	 */
	fill_pages(map, 0, n, 46);
	EXPECT_EQ(timeouts0 + 1, read_stat("pager_timeouts"));
	policy_after_ejection(now, sizeof(now));
	EXPECT_STREQ(SWAPLAB_DEFAULT_POLICY, now);
	EXPECT_EQ(ejections0 + 1, read_stat("pager_ejections"));
	fallback = read_stat("pager_fallback") - fallback0;
	TH_LOG("stopped: %lld of %zu victims by FIFO before the ejection",
	       fallback, n - BUDGET);
	EXPECT_GT((long long)(n - BUDGET) / 2, fallback);
	/*
	 * Resumed and selected again: it catches up, and its answers are
	 * taken again, with no new timeout.
	 */
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(0, write_knob("policy", "pager"));
	answers1 = read_stat("pager_answers");
	fill_pages(map + n * page_size, n, n, 46);
	TH_LOG("resumed: %lld victims named by the pager",
	       read_stat("pager_answers") - answers1);
	EXPECT_LT(answers1, read_stat("pager_answers"));
	EXPECT_EQ(timeouts0 + 1, read_stat("pager_timeouts"));
	/*
	 * Killed: the default policy takes the pager policy's place (its
	 * file is closed by the time the pager is reaped), and nothing
	 * waits for the pager or falls back in its name any more.
	 */
	stop_pager(pid);
	EXPECT_EQ(ejections0 + 2, read_stat("pager_ejections"));
	ASSERT_EQ(0, read_knob("policy", now, sizeof(now)));
	EXPECT_STRNE("pager", now);
	TH_LOG("killed: policy %s", now);
	timeouts2 = read_stat("pager_timeouts");
	fallback2 = read_stat("pager_fallback");
	fill_pages(map + 2 * n * page_size, 2 * n, n, 46);
	EXPECT_EQ(timeouts2, read_stat("pager_timeouts"));
	EXPECT_EQ(fallback2, read_stat("pager_fallback"));
	EXPECT_EQ(0, check_pages(map, 0, 3 * n, 46, 1));
	munmap(map, 3 * n * page_size);
	close(fd);
}

/*
 * Under allocation=local a WANT names the process whose pages are
 * wanted, and only its own pages are taken from the answers for it: a
 * pager that answers with another process's pages (tagged with the one
 * named) has them skipped as invalid, and ejected; the other process's
 * resident pages stay where they are, and every byte of both is intact.
 */
TEST_F_TIMEOUT(pager, local_answers_of_another_process_are_skipped, 300)
{
	size_t n = BUDGET / 4, m = 4 * BUDGET;
	long long invalid0 = read_stat("pager_invalid");
	long long ejections0 = read_stat("pager_ejections");
	char alloc[16], allocator[16], now[32];
	uint8_t *map, *other;
	long majors, owner_b;
	int fd, fd_b, status;
	pid_t pid, child;

	ASSERT_EQ(0, read_knob("allocation", alloc, sizeof(alloc)));
	ASSERT_EQ(0, read_knob("allocator", allocator, sizeof(allocator)));
	ASSERT_EQ(0, write_knob("allocator", "equal"));
	ASSERT_EQ(0, write_knob("allocation", "local"));
	pid = pager_child(self->dev, ANSWER_FOREIGN, "5000");
	ASSERT_LT(0, pid);
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 51);
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		other = new_region(m, &fd_b);
		if (!other)
			_exit(2);
		__atomic_store_n(&seen->other_proc, region_owner(fd_b),
				 __ATOMIC_RELEASE);
		fill_pages(other, 0, m, 52);
		_exit(check_pages(other, 0, m, 52, 1) ? 1 : 0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	owner_b = seen_read(&seen->other_proc);
	majors = read_majflt(map, 0, n);
	TH_LOG("process %lu's %zu pages: %ld major faults; WANTs %ld, the last for process %ld (the other: %ld), %ld process SELECTs, %lld answers invalid",
	       region_owner(fd), n, majors,
	       seen_read(&seen->wants), seen_read(&seen->want_proc), owner_b,
	       seen_read(&seen->proc_selects),
	       read_stat("pager_invalid") - invalid0);
	EXPECT_EQ(0, majors);
	EXPECT_LT(0, seen_read(&seen->wants));
	EXPECT_EQ(owner_b, seen_read(&seen->want_proc));
	EXPECT_LE(1, seen_read(&seen->proc_selects));
	EXPECT_LT(invalid0, read_stat("pager_invalid"));
	policy_after_ejection(now, sizeof(now));
	EXPECT_STRNE("pager", now);
	EXPECT_LT(ejections0, read_stat("pager_ejections"));
	EXPECT_EQ(0, check_pages(map, 0, n, 51, 1));
	stop_pager(pid);
	munmap(map, n * page_size);
	close(fd);
	write_knob("policy", "fifo");
	EXPECT_EQ(0, write_knob("allocation", alloc));
	EXPECT_EQ(0, write_knob("allocator", allocator));
}

/* SWAPLAB_PAGER_IOC_VICTIMS: bad arguments, and a queue that fills. */
TEST_F_TIMEOUT(pager, victims_ioctl_errors, 120)
{
	static struct swaplab_pager_page pages[SWAPLAB_PAGER_VICTIMS_MAX];
	struct swaplab_pager_victims v = { .pages = (uintptr_t)pages };
	unsigned int queued = 0;
	struct pager p;

	ASSERT_EQ(0, pager_open(self->dev, 0, &p));
	v.nr = 0;
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(EINVAL, errno);
	v.flags = 2;
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(EINVAL, errno);
	v.flags = SWAPLAB_PAGER_RESCAN;
	v.proc = SWAPLAB_PROC_MAX + 1;
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(EINVAL, errno);
	v.flags = 0;
	v.proc = 0;
	v.nr = SWAPLAB_PAGER_VICTIMS_MAX + 1;
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(EINVAL, errno);
	v.nr = 1;
	v.pages = 8;
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->dev, SWAPLAB_PAGER_IOC_VICTIMS, &v));
	EXPECT_EQ(ENOTTY, errno);
	/* The queue holds 1024 answers: the fifth call queues none. */
	v.pages = (uintptr_t)pages;
	v.nr = SWAPLAB_PAGER_VICTIMS_MAX;
	for (int i = 0; i < 5; i++) {
		v.queued = ~0u;
		ASSERT_EQ(0, ioctl(p.fd, SWAPLAB_PAGER_IOC_VICTIMS, &v));
		queued += v.queued;
	}
	EXPECT_EQ(1024, queued);
	EXPECT_EQ(0, v.queued);
	pager_close(&p);
}

/* With no pager attached, the pager policy pages on, first in first out. */
TEST_F_TIMEOUT(pager, pages_without_a_pager, 300)
{
	size_t n = 4 * BUDGET;
	long long fallback0 = read_stat("pager_fallback");
	long long events0 = read_stat("pager_events");
	uint8_t *map;
	int fd;

	ASSERT_EQ(0, write_knob("policy", "pager"));
	map = new_region(n, &fd);
	ASSERT_NE(NULL, map);
	fill_pages(map, 0, n, 43);
	EXPECT_EQ(0, check_pages(map, 0, n, 43, 1));
	EXPECT_LE(fallback0 + (long long)(n - BUDGET),
		  read_stat("pager_fallback"));
	EXPECT_EQ(events0, read_stat("pager_events"));
	munmap(map, n * page_size);
	close(fd);
}

TEST_HARNESS_MAIN
