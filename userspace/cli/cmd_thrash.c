// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab thrash: the textbook's thrashing experiment. N processes, each
 * with a working set of W pages of its own and a fixed amount of work
 * (R references, uniformly at random within its set), start together
 * under one memory budget B; as N*W grows past B the processes fault
 * more and throughput falls. Run once per system:
 *
 *   global  swaplab, allocation=global: one policy state, any process's
 *           page a victim of any fault
 *   local   swaplab, allocation=local with the allocator given: each
 *           process replaced within its own share
 *   stock   the stock kernel: the same processes on anonymous memory in
 *           one memory cgroup with memory.max = B, swapping to its swap
 *           (lru_gen as given, where the kernel has MGLRU)
 *
 * The processes take turns on one processor, Q references a turn, given
 * by a dispatcher over pipes: the textbook's multiprogrammed processor
 * with its quantum made explicit, so that the processes' working sets
 * compete for the whole run whatever the number of CPUs and however fast
 * each runs (under emulation a process's whole work may fit in one time
 * slice). A process that waits in the kernel (state D: a page being
 * read, a frame, load control) loses the turn to the next one ready, as
 * a processor runs another process while one waits for I/O.
 * Each reference reads its page's first word, checks it against the
 * value this process last wrote there, and writes a new one; at the end
 * every page is checked once more. The result is one line of
 * name=value pairs (time, throughput, faults, pages found wrong), then
 * one line per process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "lib/common.h"
#include "lib/knobs.h"
#include "lib/stock.h"
#include "lib/sysfs.h"

#define THRASH_PROCS_MAX	64

/* What a process reports to the parent when it is done. */
struct thrash_report {
	double elapsed;		/* seconds from the start to its last check */
	long majflt, minflt;
	uint64_t bad;		/* references and final checks that failed */
	int err;		/* 0, or the errno that stopped it */
};

struct thrash {
	const char *system;	/* global, local or stock */
	const char *allocator;
	const char *policy;
	const char *lru;	/* stock: lru_gen's setting, or NULL */
	const char *swapfile;
	bool load_control;	/* swaplab: load_control=1 */
	unsigned int procs;
	unsigned int quantum;	/* references a turn */
	uint64_t ws;		/* pages a process */
	uint64_t refs;		/* references a process */
	uint64_t budget;	/* pages */
	uint64_t seed;
	long page_size;
};

static void usage_thrash(FILE *f)
{
	fprintf(f,
		"usage: swaplab thrash [--system global|local|stock] [--procs N]\n"
		"                      [--ws SIZE] [--refs N] [--budget SIZE]\n"
		"                      [--allocator NAME] [--policy NAME] [--lru y|n]\n"
		"                      [--swapfile FILE] [--quantum Q] [--seed N]\n"
		"                      [--load-control]\n"
		"  N processes (default 4, at most 64) start together, each with a\n"
		"  working set of SIZE of its own (default a third of the budget)\n"
		"  and N references (default 8 a page of the set), at random\n"
		"  within it, each checking and rewriting its page; under a\n"
		"  budget of SIZE (default: the frames knob). They take turns, Q\n"
		"  references a turn (default 256), one at a time; one that waits\n"
		"  in the kernel loses its turn to the next.\n"
		"  global: swaplab, allocation=global; local (default): swaplab,\n"
		"  allocation=local with --allocator (default equal); stock: the\n"
		"  stock kernel, anonymous memory in a memory cgroup with\n"
		"  memory.max = budget, lru_gen set to --lru where it exists,\n"
		"  swapping to its swap (--swapfile FILE is made if it has none).\n"
		"  --policy: swaplab's replacement policy (default: as set).\n"
		"  --load-control: swaplab's load control on (off otherwise).\n"
		"  Prints: system procs ws_pages budget_pages refs time_s refs_per_s\n"
		"  majflt minflt bad, then a line per process. Knobs, lru_gen and\n"
		"  the cgroup are put back after the run. Exits 1 if a run failed\n"
		"  or a page was wrong, 3 if the stock kernel's memory cgroup\n"
		"  OOM-killed a process (a finding: no throughput; the first line\n"
		"  ends in oom-killed).\n");
}

/* The value process @seed's page @p holds after its version @v. */
static inline uint64_t thrash_word(uint64_t seed, uint64_t p, uint64_t v)
{
	return (seed * 0x9e3779b97f4a7c15ull) ^ (p << 20) ^ v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The dispatcher's messages back: a process's index when its turn ends,
 * with THRASH_FINISHED when it has done all its work.
 */
#define THRASH_FINISHED		0x80

/* Wait for a turn on @go; false when the dispatcher is gone. */
static bool thrash_turn(int go)
{
	char c;

	return read(go, &c, 1) == 1;
}

static bool thrash_yield(int back, unsigned int i, bool finished)
{
	unsigned char c = i | (finished ? THRASH_FINISHED : 0);

	return write(back, &c, 1) == 1;
}

/*
 * One process: map its set, say it is ready on @ready, wait for the
 * start on @start, do its work a turn at a time (@go, @back), and report
 * on @out. Never returns.
 */
static void thrash_child(const struct thrash *t, unsigned int i, int ready,
			 int start, int out, int go, int back)
{
	struct thrash_report r = { 0 };
	uint64_t seed = t->seed + i, state = seed, *version;
	size_t bytes = t->ws * t->page_size;
	struct rusage ru;
	uint8_t *m;
	double t0;
	char c = 1;
	int fd = -1;

	version = calloc(t->ws, sizeof(*version));
	if (strcmp(t->system, "stock")) {
		m = region_map(bytes, &fd);
		if (!m)
			m = MAP_FAILED;
	} else {
		m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED)
			madvise(m, bytes, MADV_NOHUGEPAGE);
	}
	if (!version || m == MAP_FAILED) {
		r.err = errno ? errno : ENOMEM;
		c = 0;
	}
	/* The start is the parent closing @start: end of file. */
	if (write(ready, &c, 1) != 1 || !c || read(start, &c, 1) < 0)
		_exit(1);

	t0 = now_s();
	/* First touches, references, final checks: a quantum a turn. */
	for (uint64_t k = 0; k < 2 * t->ws + t->refs; k++) {
		uint64_t p, *w;

		if (k % t->quantum == 0) {
			if (k && !thrash_yield(back, i, false))
				_exit(1);
			if (!thrash_turn(go))
				_exit(1);
		}
		if (k < t->ws) {
			p = k;
			version[p] = 0;
		} else if (k < t->ws + t->refs) {
			p = prng_next(&state) % t->ws;
			r.bad += *(uint64_t *)(m + p * t->page_size) !=
				 thrash_word(seed, p, version[p]);
			version[p]++;
		} else {
			p = k - t->ws - t->refs;
			r.bad += *(uint64_t *)(m + p * t->page_size) !=
				 thrash_word(seed, p, version[p]);
			continue;
		}
		w = (uint64_t *)(m + p * t->page_size);
		*w = thrash_word(seed, p, version[p]);
	}
	r.elapsed = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	r.majflt = ru.ru_majflt;
	r.minflt = ru.ru_minflt;
	if (write(out, &r, sizeof(r)) != sizeof(r) ||
	    !thrash_yield(back, i, true))
		_exit(1);
	_exit(0);
}

/*
 * Has process @pid left the processor: waiting in the kernel (state D:
 * a page, a frame), or dead (Z, or gone)?
 */
static bool thrash_off_cpu(pid_t pid)
{
	char path[64], buf[256], *end;
	FILE *f;
	bool off = true;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f)) {
		end = strrchr(buf, ')');
		off = !end || end[1] != ' ' || strchr("DZX", end[2]);
	}
	fclose(f);
	return off;
}

/*
 * The dispatcher: one processor. It gives the turn to the first process
 * ready; a process gives it back after its quantum, or loses it while it
 * waits in the kernel (for a page or a frame), as a processor runs
 * another process while one waits for I/O; it is ready again when its
 * turn ends. Return: 0 when every process finished, -1 if one died.
 */
static int thrash_dispatch(const struct thrash *t, const pid_t *pid,
			   int *go, int back)
{
	unsigned int queue[THRASH_PROCS_MAX], head = 0, nq = 0, finished = 0;
	int cpu = -1;
	struct pollfd pfd = { .fd = back, .events = POLLIN };
	unsigned char c;

	for (unsigned int i = 0; i < t->procs; i++)
		queue[nq++] = i;
	while (finished < t->procs) {
		if (cpu < 0 && nq) {
			cpu = queue[head];
			head = (head + 1) % THRASH_PROCS_MAX;
			nq--;
			if (write(go[cpu], "", 1) != 1)
				return -1;
		}
		if (poll(&pfd, 1, cpu >= 0 ? 2 : 1000) < 0 && errno != EINTR)
			return -1;
		if (!(pfd.revents & (POLLIN | POLLHUP))) {
			/* Its turn stalls in the kernel: the next one runs. */
			if (cpu >= 0 && thrash_off_cpu(pid[cpu]))
				cpu = -1;
			continue;
		}
		/* End of file: every process has gone, not all finished. */
		if (read(back, &c, 1) != 1)
			return -1;
		if ((c & ~THRASH_FINISHED) == cpu)
			cpu = -1;
		if (c & THRASH_FINISHED) {
			finished++;
			continue;
		}
		queue[(head + nq++) % THRASH_PROCS_MAX] = c;
	}
	return 0;
}

/* Set up the system under test; 0, or -1 with a message. */
static int thrash_setup(const struct thrash *t)
{
	char val[32];

	if (!strcmp(t->system, "stock")) {
		snprintf(val, sizeof(val), "%" PRIu64, t->budget * t->page_size);
		if (stock_cgroup() ||
		    stock_swap(t->swapfile, 4 * t->procs * t->ws * t->page_size,
			       t->page_size))
			return -1;
		if (t->lru && stock_lru_gen_save() && stock_lru_gen_set(t->lru)) {
			fprintf(stderr, "swaplab: thrash: cannot set " STOCK_LRU_GEN "\n");
			return -1;
		}
		if (write_file(STOCK_CGROUP "/memory.max", val)) {
			fprintf(stderr, "swaplab: thrash: cannot set memory.max\n");
			return -1;
		}
		return 0;
	}
	if (need_module())
		return -1;
	knobs_save();
	snprintf(val, sizeof(val), "%" PRIu64, t->budget);
	if (knobs_set(t->budget, NULL, 0))
		return -1;
	/* global first, so that any policy may be selected. */
	if (knob_write("allocation", "global") ||
	    knob_write("load_control", t->load_control ? "1" : "0") ||
	    (t->policy && knob_write("policy", t->policy)) ||
	    (!strcmp(t->system, "local") &&
	     (knob_write("allocator", t->allocator) ||
	      knob_write("allocation", "local")))) {
		fprintf(stderr, "swaplab: thrash: cannot set up %s (policy %s, allocator %s)\n",
			t->system, t->policy ? t->policy : "as set", t->allocator);
		return -1;
	}
	return 0;
}

/* Run the processes; the exit status of the command. */
/*
 * The stock side's watchdog: once its memory cgroup has OOM-killed a
 * process, the run is a finding, and the others may be left in the
 * cgroup's reclaim for good (seen on 6.1 under TCG), where the dispatcher
 * would wait on them for ever. THRASH_OOM_GRACE seconds after the first
 * kill, the cgroup's processes are killed (cgroup.kill: a fatal signal
 * ends a wait in reclaim), and the run ends as oom-killed.
 */
#define THRASH_OOM_GRACE	60

struct thrash_watch {
	long oom0;
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	bool done;
};

static void *thrash_watchdog(void *arg)
{
	struct thrash_watch *w = arg;
	struct timespec until;
	double killed_at = 0;

	pthread_mutex_lock(&w->lock);
	while (!w->done) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_cond_timedwait(&w->done_cv, &w->lock, &until);
		if (w->done)
			break;
		if (!killed_at && stock_oom_kills() > w->oom0)
			killed_at = now_s();
		if (killed_at && now_s() - killed_at >= THRASH_OOM_GRACE) {
			write_file(STOCK_CGROUP "/cgroup.kill", "1");
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int thrash_run(const struct thrash *t)
{
	struct thrash_report r[THRASH_PROCS_MAX] = { 0 }, sum = { 0 };
	int ready[2], start[2], back[2], out[THRASH_PROCS_MAX][2];
	int go[THRASH_PROCS_MAX][2], go_w[THRASH_PROCS_MAX];
	pid_t pid[THRASH_PROCS_MAX];
	long oom0 = strcmp(t->system, "stock") ? -1 : stock_oom_kills();
	struct thrash_watch watch = {
		.oom0 = oom0,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.done_cv = PTHREAD_COND_INITIALIZER,
	};
	pthread_t watchdog;
	bool watching;
	int status[THRASH_PROCS_MAX] = { 0 }, rc = 0;
	unsigned int i, j, started = 0;
	double t0, elapsed;
	bool oom;
	char c = 0;

	/*
	 * A process the stock kernel's memory cgroup OOM-killed leaves its
	 * turn's pipe with no reader: the write gets EPIPE, not the signal.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (pipe(ready) || pipe(start) || pipe(back))
		return 1;
	for (i = 0; i < t->procs; i++)
		if (pipe(go[i]))
			return 1;
	fflush(NULL);
	for (i = 0; i < t->procs; i++) {
		if (pipe(out[i]))
			break;
		pid[i] = fork();
		if (pid[i] < 0)
			break;
		if (pid[i] == 0) {
			/* Only its own turn's end: the others' are closed. */
			for (j = 0; j < t->procs; j++) {
				close(go[j][1]);
				if (j != i)
					close(go[j][0]);
			}
			close(start[1]);
			close(back[0]);
			signal(SIGPIPE, SIG_IGN);
			if (!strcmp(t->system, "stock") &&
			    write_file(STOCK_CGROUP "/cgroup.procs", "0"))
				_exit(1);
			thrash_child(t, i, ready[1], start[0], out[i][1],
				     go[i][0], back[1]);
		}
		close(out[i][1]);
		started++;
	}
	close(ready[1]);
	close(start[0]);
	close(back[1]);
	for (i = 0; i < t->procs; i++) {
		close(go[i][0]);
		go_w[i] = go[i][1];
	}
	watching = oom0 >= 0 &&
		   !pthread_create(&watchdog, NULL, thrash_watchdog, &watch);
	for (i = 0; i < started; i++)
		if (read(ready[0], &c, 1) != 1 || !c)
			rc = 1;
	if (started < t->procs)
		rc = 1;
	t0 = now_s();
	/* All go at once; the dispatcher gives the turns. */
	close(start[1]);
	if (!rc && thrash_dispatch(t, pid, go_w, back[0]))
		rc = 1;
	for (i = 0; i < t->procs; i++)
		close(go_w[i]);
	close(back[0]);
	for (i = 0; i < started; i++) {
		if (read(out[i][0], &r[i], sizeof(r[i])) != sizeof(r[i])) {
			r[i].err = EIO;
			rc = 1;
		}
		close(out[i][0]);
	}
	for (i = 0; i < started; i++)
		if (waitpid(pid[i], &status[i], 0) != pid[i] || status[i])
			rc = 1;
	if (watching) {
		pthread_mutex_lock(&watch.lock);
		watch.done = true;
		pthread_cond_signal(&watch.done_cv);
		pthread_mutex_unlock(&watch.lock);
		pthread_join(watchdog, NULL);
	}
	elapsed = now_s() - t0;
	/* The stock kernel's memory cgroup killed one: a finding. */
	oom = rc && oom0 >= 0 && stock_oom_kills() > oom0;
	close(ready[0]);
	for (i = 0; i < started; i++) {
		sum.majflt += r[i].majflt;
		sum.minflt += r[i].minflt;
		sum.bad += r[i].bad;
	}
	printf("system=%s%s%s%s procs=%u ws_pages=%" PRIu64 " budget_pages=%" PRIu64
	       " refs=%" PRIu64 " time_s=%.3f refs_per_s=%.0f majflt=%ld minflt=%ld bad=%" PRIu64 "%s\n",
	       t->system, strcmp(t->system, "local") ? "" : "-",
	       strcmp(t->system, "local") ? "" : t->allocator,
	       t->load_control ? "+lc" : "", t->procs,
	       t->ws, t->budget, t->refs, elapsed,
	       rc ? 0 : t->procs * (double)(t->refs + 2 * t->ws) / elapsed,
	       sum.majflt, sum.minflt, sum.bad,
	       oom ? " oom-killed" : rc ? " failed" : "");
	for (i = 0; i < started; i++) {
		bool killed = WIFSIGNALED(status[i]) &&
			      WTERMSIG(status[i]) == SIGKILL;

		printf("  proc=%u time_s=%.3f majflt=%ld minflt=%ld bad=%" PRIu64 "%s%s\n",
		       i, r[i].elapsed, r[i].majflt, r[i].minflt, r[i].bad,
		       killed ? " killed" : r[i].err ? " error=" : "",
		       killed ? "" : r[i].err ? strerror(r[i].err) : "");
	}
	if (sum.bad)
		return 1;
	return oom ? 3 : rc;
}

int cmd_thrash(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "system", required_argument, NULL, 'S' },
		{ "procs", required_argument, NULL, 'n' },
		{ "ws", required_argument, NULL, 'w' },
		{ "refs", required_argument, NULL, 'r' },
		{ "budget", required_argument, NULL, 'b' },
		{ "allocator", required_argument, NULL, 'a' },
		{ "policy", required_argument, NULL, 'p' },
		{ "lru", required_argument, NULL, 'l' },
		{ "swapfile", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "quantum", required_argument, NULL, 'q' },
		{ "load-control", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct thrash t = {
		.system = "local", .allocator = "equal", .procs = 4,
		.quantum = 256,
		.swapfile = "/var/tmp/swaplab-thrash.swap", .seed = 1,
		.page_size = sysconf(_SC_PAGESIZE),
	};
	uint64_t ws = 0, budget = 0, v;
	bool bad = false;
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			t.system = optarg;
			bad |= strcmp(optarg, "global") && strcmp(optarg, "local") &&
			       strcmp(optarg, "stock");
			break;
		case 'n':
			v = strtoull(optarg, &end, 10);
			bad |= *end || !v || v > THRASH_PROCS_MAX;
			t.procs = v;
			break;
		case 'w':
			bad |= parse_size(optarg, &ws) || !ws;
			break;
		case 'r':
			t.refs = strtoull(optarg, &end, 10);
			bad |= *end || !t.refs;
			break;
		case 'b':
			bad |= parse_size(optarg, &budget) || !budget;
			break;
		case 'a':
			t.allocator = optarg;
			break;
		case 'p':
			t.policy = optarg;
			break;
		case 'l':
			t.lru = optarg;
			break;
		case 'f':
			t.swapfile = optarg;
			break;
		case 's':
			t.seed = strtoull(optarg, &end, 10);
			bad |= *end;
			break;
		case 'q':
			v = strtoull(optarg, &end, 10);
			bad |= *end || !v || v > (1u << 30);
			t.quantum = v;
			break;
		case 'L':
			t.load_control = true;
			break;
		case 'h':
			usage_thrash(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	/* Load control is swaplab's: the stock kernel has none. */
	bad |= t.load_control && !strcmp(t.system, "stock");
	if (bad || optind != argc) {
		usage_thrash(stderr);
		return 2;
	}
	t.budget = budget ? budget / t.page_size : knob_ulong("frames");
	if (!t.budget) {
		fprintf(stderr, "swaplab: thrash: no budget: give --budget, or load the module\n");
		return 1;
	}
	t.ws = ws ? ws / t.page_size : t.budget / 3;
	if (!t.ws)
		t.ws = 1;
	if (!t.refs)
		t.refs = 8 * t.ws;

	knobs_catch_signals();
	rc = thrash_setup(&t) ? 1 : thrash_run(&t);
	knobs_restore();
	if (!strcmp(t.system, "stock"))
		stock_restore();
	return rc;
}
