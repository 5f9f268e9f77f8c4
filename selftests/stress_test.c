// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab stress test with verification, after mm's uffd-stress.
 *
 * Writer threads in several processes write per-page counters and
 * checksums into one named region eight times the frame budget, while a
 * controller thread in the parent changes the policy, the watermarks,
 * the budget, readahead (and leap with its window), the admission batch,
 * the daemon switch and the compressed tier (its algorithm and its cap)
 * under them every few hundred milliseconds. Half the pages' bodies
 * compress, half do not.
 * Every page has exactly one owner (writer) at a time, and the owner
 * keeps, in its own private memory, the counter it last wrote there: the
 * content of every page is known exactly.
 *
 * - A write stores a header (magic, page index, counter, writer, a
 *   sequence number, a checksum) and a body derived from index and
 *   counter.
 * - Owners check random pages of theirs against their shadow as they go,
 *   some just after SWAPLAB_IOC_PREFETCH; some they drop with
 *   SWAPLAB_IOC_DISCARD, check that they read as zeroes and write again.
 * - Writers read random pages of others and check that they are
 *   consistent (header, checksum, body), not which counter they hold;
 *   the sequence number, odd while a write is in progress, tells a page
 *   caught in the middle of a write (skipped) from a corrupt one.
 * - Every few seconds ownership rotates to the next writer, which may be
 *   in another process: all writers stop at a barrier, publish their
 *   shadows in shared memory, take over their new pages and check every
 *   one of them.
 * - At the end every owner checks all its pages, and the parent checks
 *   every page once more through its own mapping.
 *
 * The parent creates the region with SWAPLAB_IOC_ATTACH under a unique
 * name and maps it before forking: odd-numbered children drop what they
 * inherited, open /dev/swaplab and attach by name; even-numbered ones use
 * the mapping inherited from fork. Once the region is closed everywhere,
 * resident frames, swap slots and regions must be back to their values
 * before. Knobs the test changes are put back at exit, also after a
 * failure, a signal or the watchdog.
 *
 * Prints TAP-style "ok - stress: ..." and "not ok - stress: ..." lines;
 * exits 0 on success, 1 on any mismatch, unexpected errno, dead child or
 * leak, 4 (kselftest skip) when it cannot run.
 *
 * Usage: stress_test [--seconds N] [--threads N] [--procs N] [--seed N]
 *		      [--frames N]
 * SWAPLAB_STRESS_SECONDS sets the default of --seconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "swaplab_util.h"

#define STRESS_MAGIC	0x5357534c53545253ull
#define HDR_WORDS	8		/* header words at the start of a page */
#define MAX_PROCS	16
#define MAX_THREADS	16
#define MAX_WRITERS	(MAX_PROCS * MAX_THREADS)
#define SHOW_MAX	5		/* mismatches printed per writer */
#define FACTOR		8		/* region size in budgets */

/* Header words. W_SEQ is 2 * counter, odd while a write is in progress. */
enum { W_MAGIC, W_INDEX, W_COUNTER, W_WRITER, W_SEQ, W_CSUM, W_TAG, W_PAD };

/* What one writer did; in shared memory, summed by the parent. */
struct writer_stats {
	unsigned long long writes;
	unsigned long long own_checks;
	unsigned long long foreign_reads;
	unsigned long long torn;		/* foreign reads that met a write: skipped */
	unsigned long long prefetches;
	unsigned long long discards;
	unsigned long long ioctl_errors;
	unsigned long long handoff_checks;
	unsigned long long final_checks;
	unsigned long long mismatches;
	unsigned long long shown;
};

/* A barrier for threads of several processes, left when @abort is set. */
struct xbarrier {
	unsigned int count;
	unsigned int gen;
};

/* Shared by every process: MAP_SHARED | MAP_ANONYMOUS. */
struct shared {
	unsigned int round_req;	/* controller: the round writers should be in */
	unsigned int stopping;	/* controller: that round change is the end */
	unsigned int round;	/* round_req and stopping as the last writer */
	unsigned int stop;	/* to reach the barrier saw them: all agree */
	unsigned int abort;	/* a process failed: leave every barrier */
	unsigned int handoffs;	/* changes of owner done */
	uint64_t t_started;	/* ms: every page written once */
	uint64_t t_round;	/* ms: the last change of owner was done */
	uint64_t t_stopping;	/* ms: the end of the stress phase */
	uint64_t region_id[MAX_PROCS];
	struct xbarrier bar;
	struct writer_stats ws[MAX_WRITERS];
	uint64_t shadow[];	/* published counter << 16 | writer, per page */
};

/* One writer thread; everything here is private to it. */
struct writer {
	int id;			/* 0 .. nr_writers - 1 */
	int fd;
	uint8_t *map;
	uint64_t rng;
	unsigned int round;
	size_t class;		/* the pages it owns: see class_page() */
	size_t n;
	uint64_t *shadow;	/* counter << 16 | writer, per page owned */
	uint64_t *buf;		/* a copy of the page being checked */
	struct writer_stats *st;
	pthread_t thread;
	bool started;
};

static unsigned long opt_seconds = 75, opt_threads = 3, opt_procs = 3;
static unsigned long opt_frames = 1024;
static uint64_t seed;
static size_t nr_pages, words;
static int nr_writers;
static size_t *perm;		/* perm[i]: the page at position i */
static size_t *pos;		/* pos[page]: its position in perm */
static struct shared *sh;
static char region_name[SWAPLAB_NAME_MAX];
static pid_t parent_pid;
static unsigned int watchdog;	/* s */
static pid_t children[MAX_PROCS];
static int nr_children;
static uint8_t *cur_map;	/* this process's mapping of the region */

/* The knobs the test changes, their values before, and whether saved. */
static const char * const knob_names[] = {
	"daemon", "policy", "readahead", "frames", "watermark_high",
	"watermark_low", "admit_batch", "prefetch_window", "compress",
	"compress_pool_max", "page_buffering", "readahead_async",
};

#define NR_KNOBS	ARRAY_SIZE(knob_names)

static char saved[NR_KNOBS][64];
static int knobs_saved;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line on stdout in one write(), so that processes do not interleave. */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0 && write(STDOUT_FILENO, buf, n) < 0)
		return;
}

/* Async-signal-safe output for the signal handlers. */
static void raw_say(const char *a, const char *b, long num)
{
	char buf[256], digits[24];
	size_t len = 0;
	int d = 0;

	for (const char *s = a; *s && len < 200; s++)
		buf[len++] = *s;
	if (num >= 0) {
		do {
			digits[d++] = '0' + num % 10;
			num /= 10;
		} while (num);
		while (d)
			buf[len++] = digits[--d];
	}
	for (const char *s = b; *s && len < 254; s++)
		buf[len++] = *s;
	buf[len++] = '\n';
	if (write(STDOUT_FILENO, buf, len) < 0)
		return;
}

static void raw_write_knob(const char *name, const char *val)
{
	char path[128];
	size_t len = strlen(SWAPLAB_SYSFS "/");
	int fd;

	memcpy(path, SWAPLAB_SYSFS "/", len);
	for (const char *s = name; *s && len < sizeof(path) - 1; s++)
		path[len++] = *s;
	path[len] = '\0';
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		raw_say("# stress: could not restore ", name, -1);
	close(fd);
}

/*
 * Put the knobs back, async-signal-safe: frames resets the watermarks to
 * their defaults (low 2 or more, high 4 or more), from where low = 1,
 * then high, then low are valid in this order whatever the saved values.
 */
static void restore_knobs(void)
{
	if (!knobs_saved || getpid() != parent_pid)
		return;
	knobs_saved = 0;
	raw_write_knob("daemon", saved[0]);
	raw_write_knob("policy", saved[1]);
	raw_write_knob("readahead", saved[2]);
	raw_write_knob("frames", saved[3]);
	raw_write_knob("watermark_low", "1");
	raw_write_knob("watermark_high", saved[4]);
	raw_write_knob("watermark_low", saved[5]);
	raw_write_knob("admit_batch", saved[6]);
	raw_write_knob("prefetch_window", saved[7]);
	raw_write_knob("compress", saved[8]);
	raw_write_knob("compress_pool_max", saved[9]);
	raw_write_knob("page_buffering", saved[10]);
	raw_write_knob("readahead_async", saved[11]);
}

/* Copy a sysfs file to stdout as one "# " line, async-signal-safe. */
static void raw_dump(const char *label, const char *path)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = i == n - 1 ? '\0' : ' ';
	buf[n] = '\0';
	raw_say(label, buf, -1);
}

/* The state of the module when something went wrong, for the report. */
static void raw_dump_state(void)
{
	raw_dump("# stress: stat: ", SWAPLAB_SYSFS "/stat");
	raw_dump("# stress: frames ", SWAPLAB_SYSFS "/frames");
	raw_dump("# stress: watermark_low ", SWAPLAB_SYSFS "/watermark_low");
	raw_dump("# stress: watermark_high ", SWAPLAB_SYSFS "/watermark_high");
	raw_dump("# stress: daemon ", SWAPLAB_SYSFS "/daemon");
	raw_dump("# stress: policy ", SWAPLAB_SYSFS "/policy");
	raw_dump("# stress: readahead ", SWAPLAB_SYSFS "/readahead");
}

static void kill_children(void)
{
	for (int i = 0; i < nr_children; i++)
		if (children[i] > 0)
			kill(children[i], SIGKILL);
}

/*
 * A fatal signal, a signal to stop or the watchdog: say where a fault
 * hit and in what state the module was; in the parent, kill the children
 * and put the knobs back before exiting.
 */
static void on_fatal(int sig, siginfo_t *si, void *uc)
{
	uint8_t *addr = si->si_addr;

	if (sh)
		__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
	raw_say("# stress: pid ", "", getpid());
	raw_say("# stress: signal ", "", sig);
	if ((sig == SIGBUS || sig == SIGSEGV) && cur_map && addr >= cur_map &&
	    addr < cur_map + nr_pages * page_size)
		raw_say("# stress: at region page ", "",
			(addr - cur_map) / page_size);
	raw_dump_state();
	if (getpid() != parent_pid)
		_exit(2);
	kill_children();
	restore_knobs();
	if (sig == SIGALRM)
		raw_say("not ok - stress: watchdog: still running after ",
			" s; children killed, knobs restored", watchdog);
	else
		raw_say("not ok - stress: killed by signal ",
			"; children killed, knobs restored", sig);
	_exit(KSFT_FAIL);
}

static void handle_signals(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_fatal,
		.sa_flags = SA_SIGINFO,
	};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

/* The shared PRNG (userspace/lib/common.h, through swaplab_util.h). */
static inline uint64_t rnd(uint64_t *state)
{
	return prng_next(state);
}

/*
 * The body of a page: word @j is body_word(body_base(index, counter), j),
 * a function of the page, the counter and the seed alone.
 */
static inline uint64_t body_base(uint64_t index, uint64_t counter)
{
	return mix64(seed ^ (index << 32) ^ (counter * 0x9E3779B97F4A7C15ull));
}

/*
 * Half the bodies (by the base's low bit) repeat a run of 16 words, so
 * that the compressed tier keeps them; the rest do not compress.
 */
static inline uint64_t body_word(uint64_t base, size_t j)
{
	return mix64(base + (base & 1 ? j % 16 : j));
}

/* Checksum of a page: every word but the sequence and the checksum. */
static uint64_t page_csum(const uint64_t *w)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t j = 0; j < words; j++) {
		if (j == W_SEQ || j == W_CSUM)
			continue;
		h ^= w[j];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

/* Ownership: position i of perm belongs to class i % nr_writers. */
static inline size_t class_page(size_t class, size_t k)
{
	return perm[class + k * nr_writers];
}

static inline size_t class_size(size_t class)
{
	return (nr_pages - class + nr_writers - 1) / nr_writers;
}

/* Writer @id owns class (id - round) mod nr_writers in @round. */
static inline size_t class_of(int id, unsigned int round)
{
	return ((size_t)id + nr_writers - round % nr_writers) % nr_writers;
}

static inline int owner_of(size_t page, unsigned int round)
{
	return (pos[page] % nr_writers + round) % nr_writers;
}

static inline uint64_t *page_words(uint8_t *map, size_t page)
{
	return (uint64_t *)PAGE_AT(map, page);
}

/*
 * Write page @k of @w's class with the next counter. The sequence word
 * goes odd first and even last, so that a reader can tell a page caught
 * in the middle of a write.
 */
static void write_page(struct writer *w, size_t k)
{
	size_t page = class_page(w->class, k);
	uint64_t *pg = page_words(w->map, page), *b = w->buf;
	uint64_t counter = (w->shadow[k] >> 16) + 1;
	uint64_t base = body_base(page, counter);

	__atomic_store_n(&pg[W_SEQ], 2 * counter - 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	b[W_MAGIC] = STRESS_MAGIC;
	b[W_INDEX] = page;
	b[W_COUNTER] = counter;
	b[W_WRITER] = w->id;
	b[W_TAG] = seed;
	b[W_PAD] = 0;
	for (size_t j = HDR_WORDS; j < words; j++)
		b[j] = body_word(base, j);
	b[W_CSUM] = page_csum(b);
	for (size_t j = 0; j < words; j++)
		if (j != W_SEQ)
			__atomic_store_n(&pg[j], b[j], __ATOMIC_RELAXED);
	__atomic_store_n(&pg[W_SEQ], 2 * counter, __ATOMIC_RELEASE);
	w->shadow[k] = counter << 16 | w->id;
	w->st->writes++;
}

/* Copy a page word by word; return its sequence word before the copy. */
static uint64_t copy_page(uint8_t *map, size_t page, uint64_t *b)
{
	uint64_t *pg = page_words(map, page);
	uint64_t seq = __atomic_load_n(&pg[W_SEQ], __ATOMIC_ACQUIRE);

	for (size_t j = 0; j < words; j++)
		b[j] = __atomic_load_n(&pg[j], __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return seq;
}

static bool all_zero(const uint64_t *b)
{
	for (size_t j = 0; j < words; j++)
		if (b[j])
			return false;
	return true;
}

/*
 * Why the copy @b of @page is wrong, or NULL. @want is the shadow value
 * (counter << 16 | writer) the page must hold, 0 to check consistency
 * only.
 */
static const char *check_copy(const uint64_t *b, size_t page, uint64_t want)
{
	uint64_t counter = b[W_COUNTER], base;

	if (b[W_MAGIC] != STRESS_MAGIC)
		return all_zero(b) ? "zero page" : "bad magic";
	if (b[W_INDEX] != page)
		return "another page's content";
	if (b[W_TAG] != seed)
		return "another run's content";
	if (!counter || b[W_SEQ] != 2 * counter)
		return "half-written (sequence odd or not its counter's)";
	if (b[W_WRITER] >= (uint64_t)nr_writers)
		return "bad writer id";
	if (b[W_CSUM] != page_csum(b))
		return "bad checksum";
	base = body_base(page, counter);
	for (size_t j = HDR_WORDS; j < words; j++)
		if (b[j] != body_word(base, j))
			return "body does not match its counter";
	if (want && counter < want >> 16)
		return "stale: an older write's content";
	if (want && (counter != want >> 16 || b[W_WRITER] != (want & 0xffff)))
		return "not the last write (counter or writer)";
	return NULL;
}

static void report_bad(struct writer_stats *st, int who, const char *when,
		       size_t page, const uint64_t *b, uint64_t want,
		       const char *why)
{
	st->mismatches++;
	if (st->shown++ >= SHOW_MAX)
		return;
	say("# stress: %s check by writer %d (pid %d): page %zu: %s; holds counter %llu writer %llu index %llu seq %llu, expected counter %llu writer %llu\n",
	    when, who, getpid(), page, why,
	    (unsigned long long)b[W_COUNTER], (unsigned long long)b[W_WRITER],
	    (unsigned long long)b[W_INDEX], (unsigned long long)b[W_SEQ],
	    (unsigned long long)want >> 16, (unsigned long long)want & 0xffff);
}

/* Check page @k of @w's class against the shadow. */
static void check_own(struct writer *w, size_t k, const char *when)
{
	size_t page = class_page(w->class, k);
	const char *why;

	copy_page(w->map, page, w->buf);
	why = check_copy(w->buf, page, w->shadow[k]);
	if (why)
		report_bad(w->st, w->id, when, page, w->buf, w->shadow[k], why);
}

/* Read a page that another writer owns and may be writing right now. */
static void read_foreign(struct writer *w, size_t page)
{
	uint64_t *pg = page_words(w->map, page);
	uint64_t seq = copy_page(w->map, page, w->buf);
	const char *why;

	w->st->foreign_reads++;
	/* Odd: a write in progress; 0: discarded, to be written again. */
	if ((seq & 1) || !seq ||
	    seq != __atomic_load_n(&pg[W_SEQ], __ATOMIC_RELAXED)) {
		w->st->torn++;
		return;
	}
	why = check_copy(w->buf, page, 0);
	if (why)
		report_bad(w->st, w->id, "foreign", page, w->buf, 0, why);
}

/*
 * Wait for every writer. The last to arrive takes a snapshot of the
 * controller's request when @snapshot, so that all writers act on the
 * same one. False if the run is aborted.
 */
static bool barrier_wait(bool snapshot)
{
	struct xbarrier *b = &sh->bar;
	unsigned int gen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) ==
	    (unsigned int)nr_writers) {
		if (snapshot) {
			sh->stop = __atomic_load_n(&sh->stopping,
						   __ATOMIC_ACQUIRE);
			sh->round = __atomic_load_n(&sh->round_req,
						    __ATOMIC_ACQUIRE);
			sh->handoffs += !sh->stop;
		}
		__atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->gen, gen + 1, __ATOMIC_RELEASE);
		return true;
	}
	while (__atomic_load_n(&b->gen, __ATOMIC_ACQUIRE) == gen) {
		if (__atomic_load_n(&sh->abort, __ATOMIC_RELAXED))
			return false;
		usleep(500);
	}
	return true;
}

/*
 * A change of round: every writer publishes its shadow, takes over its
 * next class of pages and checks each one. At the end, each checks its
 * pages one last time instead. 1 at the end, 0 to go on, -1 on abort.
 */
static int handoff(struct writer *w)
{
	if (!barrier_wait(true))
		return -1;
	for (size_t k = 0; sh->stop && k < w->n; k++) {
		check_own(w, k, "final");
		w->st->final_checks++;
	}
	for (size_t k = 0; k < w->n; k++)
		sh->shadow[class_page(w->class, k)] = w->shadow[k];
	if (!barrier_wait(false))
		return -1;
	if (sh->stop)
		return 1;
	w->round = sh->round;
	w->class = class_of(w->id, w->round);
	w->n = class_size(w->class);
	for (size_t k = 0; k < w->n; k++) {
		w->shadow[k] = sh->shadow[class_page(w->class, k)];
		check_own(w, k, "handoff");
		w->st->handoff_checks++;
	}
	return 0;
}

/* An ioctl on page @page of the region; 0 or the negative errno. */
static int page_ioctl(struct writer *w, unsigned long cmd, size_t page)
{
	struct swaplab_range r = {
		.offset = page * page_size,
		.length = page_size,
	};

	return ioctl(w->fd, cmd, &r) ? -errno : 0;
}

static void ioctl_failed(struct writer *w, const char *what, int err)
{
	w->st->ioctl_errors++;
	say("# stress: writer %d (pid %d): %s: %s\n", w->id, getpid(), what,
	    strerror(-err));
}

/*
 * Read page @k in ahead of its check (SWAPLAB_IOC_PREFETCH). ENOSPC, no
 * frame to be had, is allowed while the budget shrinks.
 */
static void prefetch_own(struct writer *w, size_t k)
{
	int err = page_ioctl(w, SWAPLAB_IOC_PREFETCH, class_page(w->class, k));

	if (err && err != -ENOSPC)
		ioctl_failed(w, "PREFETCH", err);
	w->st->prefetches++;
	check_own(w, k, "prefetched");
	w->st->own_checks++;
}

/* Drop page @k (SWAPLAB_IOC_DISCARD): it must read as zeroes; rewrite it. */
static void discard_own(struct writer *w, size_t k)
{
	size_t page = class_page(w->class, k);
	int err = page_ioctl(w, SWAPLAB_IOC_DISCARD, page);

	w->st->discards++;
	if (err) {
		ioctl_failed(w, "DISCARD", err);
		return;
	}
	copy_page(w->map, page, w->buf);
	if (!all_zero(w->buf))
		report_bad(w->st, w->id, "discarded", page, w->buf, 0,
			   "not zero after DISCARD");
	write_page(w, k);
}

/*
 * One step of the workload, out of 100: 60 writes, half of them to a
 * hot eighth of the writer's pages so that the policies have something
 * to tell apart; 18 checks of its own pages; 18 reads of others'; 2
 * prefetches and 2 discards of its own pages.
 */
static void one_op(struct writer *w)
{
	uint64_t r = rnd(&w->rng);
	size_t k = (r >> 8) % w->n, page;

	switch (r % 100) {
	case 0 ... 29:
		write_page(w, (r >> 8) % (w->n / 8 + 1));
		break;
	case 30 ... 59:
		write_page(w, k);
		break;
	case 60 ... 77:
		check_own(w, k, "owner");
		w->st->own_checks++;
		break;
	case 78 ... 95:
		page = (r >> 8) % nr_pages;
		if (owner_of(page, w->round) != w->id) {
			read_foreign(w, page);
			break;
		}
		check_own(w, pos[page] / nr_writers, "owner");
		w->st->own_checks++;
		break;
	case 96 ... 97:
		prefetch_own(w, k);
		break;
	default:
		discard_own(w, k);
	}
}

static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	void *ret = NULL;
	int end = 0;

	w->round = 0;
	w->class = class_of(w->id, 0);
	w->n = class_size(w->class);
	for (size_t k = 0; k < w->n; k++) {
		w->shadow[k] = (uint64_t)w->id;		/* counter 0 */
		write_page(w, k);
	}
	if (!barrier_wait(false)) {
		ret = arg;
		goto out;
	}
	if (w->id == 0) {
		sh->t_started = now_ms();
		__atomic_store_n(&sh->t_round, sh->t_started, __ATOMIC_RELEASE);
	}
	while (!end) {
		if (__atomic_load_n(&sh->round_req, __ATOMIC_ACQUIRE) !=
		    w->round) {
			end = handoff(w);
			if (end < 0)
				ret = arg;
			else if (!end && w->id == 0)
				__atomic_store_n(&sh->t_round, now_ms(),
						 __ATOMIC_RELEASE);
			continue;
		}
		if (__atomic_load_n(&sh->abort, __ATOMIC_RELAXED)) {
			ret = arg;
			break;
		}
		one_op(w);
	}
out:
	return ret;
}

/* Start this process's writer threads, numbered from proc * threads. */
static int start_writers(struct writer *ws, int proc, int fd, uint8_t *map)
{
	size_t most = nr_pages / nr_writers + 1;

	for (unsigned long t = 0; t < opt_threads; t++) {
		struct writer *w = &ws[t];

		w->id = proc * opt_threads + t;
		w->fd = fd;
		w->map = map;
		w->rng = mix64(seed + w->id + 1) | 1;
		w->st = &sh->ws[w->id];
		w->shadow = calloc(most, sizeof(*w->shadow));
		w->buf = malloc(page_size);
		if (!w->shadow || !w->buf)
			return -ENOMEM;
		errno = pthread_create(&w->thread, NULL, writer_fn, w);
		if (errno)
			return -errno;
		w->started = true;
	}
	return 0;
}

/* Join them: the number that failed (an abort, not a mismatch). */
static int join_writers(struct writer *ws)
{
	int failed = 0;

	for (unsigned long t = 0; t < opt_threads; t++) {
		void *ret = NULL;

		if (ws[t].started)
			pthread_join(ws[t].thread, &ret);
		failed += !!ret;
		free(ws[t].shadow);
		free(ws[t].buf);
	}
	return failed;
}

static int attach(int fd, uint32_t flags)
{
	struct swaplab_attach at = {
		.size = nr_pages * page_size,
		.flags = flags,
		.mode = 0600,
	};
	int nfd;

	memcpy(at.name, region_name, sizeof(at.name));
	/* The named region comes as a new file: put it at @fd's number. */
	nfd = ioctl(fd, SWAPLAB_IOC_ATTACH, &at);
	if (nfd < 0 || dup2(nfd, fd) < 0)
		return -errno;
	close(nfd);
	return 0;
}

/*
 * A child: odd ones open the device and attach by name, even ones keep
 * the mapping they inherited. Exit 0, or 1 if something failed.
 */
static void child_main(int proc, int fd, uint8_t *map)
{
	struct writer ws[MAX_THREADS] = {};
	struct swaplab_region_info info;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent_pid)
		_exit(1);
	if (proc % 2) {
		munmap(map, nr_pages * page_size);
		close(fd);
		fd = open(SWAPLAB_DEVICE, O_RDWR);
		if (fd < 0) {
			say("# stress: child %d: open: %s\n", proc, strerror(errno));
			_exit(1);
		}
		err = attach(fd, 0);
		if (err) {
			say("# stress: child %d: attach '%s': %s\n", proc,
			    region_name, strerror(-err));
			_exit(1);
		}
		map = mmap(NULL, nr_pages * page_size, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			say("# stress: child %d: mmap: %s\n", proc, strerror(errno));
			_exit(1);
		}
	}
	cur_map = map;
	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info)) {
		say("# stress: child %d: REGION_INFO: %s\n", proc, strerror(errno));
		_exit(1);
	}
	sh->region_id[proc] = info.id;
	err = start_writers(ws, proc, fd, map);
	if (err) {
		say("# stress: child %d: writers: %s\n", proc, strerror(-err));
		__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
		_exit(1);
	}
	_exit(join_writers(ws) ? 1 : 0);
}

/* The controller's state: what it changed, and how often. */
struct controller {
	pthread_t thread;
	uint64_t rng;
	char policies[16][32];
	int nr_policies, next_policy;
	unsigned long budget;
#define NR_CHANGES 7
	/*
	 * policy frames watermarks daemon-or-page_buffering admit_batch
	 * readahead compress
	 */
	unsigned long changes[NR_CHANGES];
	int errors;
	int done;
};

static void ctl_write(struct controller *c, const char *knob, long long val,
		      const char *str)
{
	char buf[32];
	int err;

	if (!str) {
		snprintf(buf, sizeof(buf), "%lld", val);
		str = buf;
	}
	err = write_knob(knob, str);
	if (err) {
		c->errors++;
		say("# stress: writing %s to %s: %s\n", str, knob, strerror(-err));
	}
}

/*
 * Change one knob at random. Watermarks: 1 <= low < high <= frames at
 * every step, so low goes first when it is below the current high, high
 * first otherwise. Writing frames resets the watermarks.
 */
static void change_knob(struct controller *c)
{
	static const char * const compressors[] = {
		"off", "lz4", "zstd", "lzo-rle",
	};
	int what = rnd(&c->rng) % NR_CHANGES;
	long long frames, high, low, cur_high;

	switch (what) {
	case 0:
		c->next_policy = (c->next_policy + 1) % c->nr_policies;
		ctl_write(c, "policy", 0, c->policies[c->next_policy]);
		break;
	case 1:
		frames = c->budget / 4 +
			 rnd(&c->rng) % (c->budget - c->budget / 4 + 1);
		ctl_write(c, "frames", frames, NULL);
		break;
	case 2:
		frames = read_knob_ll("frames");
		if (frames < 16)
			frames = c->budget;
		high = 4 + rnd(&c->rng) % (frames / 8 > 4 ? frames / 8 - 3 : 1);
		low = 1 + rnd(&c->rng) % (high - 1);
		cur_high = read_knob_ll("watermark_high");
		if (low < cur_high) {
			ctl_write(c, "watermark_low", low, NULL);
			ctl_write(c, "watermark_high", high, NULL);
		} else {
			ctl_write(c, "watermark_high", high, NULL);
			ctl_write(c, "watermark_low", low, NULL);
		}
		break;
	case 3:
		/* Page buffering's pool empties when it goes off. */
		if (rnd(&c->rng) % 2)
			ctl_write(c, "daemon", read_knob_ll("daemon") ? 0 : 1,
				  NULL);
		else
			ctl_write(c, "page_buffering",
				  read_knob_ll("page_buffering") ? 0 : 1, NULL);
		break;
	case 4:
		/* Unbatched, a batch of one, or any other size. */
		switch (rnd(&c->rng) % 3) {
		case 0:
			ctl_write(c, "admit_batch", 0, NULL);
			break;
		case 1:
			ctl_write(c, "admit_batch", 1, NULL);
			break;
		default:
			ctl_write(c, "admit_batch", 2 + rnd(&c->rng) % 30, NULL);
		}
		break;
	case 6:
		/*
		 * The compressed tier: off, or an algorithm (the pages in
		 * the pool keep theirs), in a pool from none to 1 MiB.
		 */
		ctl_write(c, "compress_pool_max",
			  (long long)(rnd(&c->rng) % 5) * 256 * 1024, NULL);
		ctl_write(c, "compress", 0, compressors[rnd(&c->rng) % 4]);
		break;
	default:
		/*
		 * Off, the adaptive window, leap with a window of its own
		 * (each region's prefetcher state is started afresh at its
		 * next fault), or a fixed window; asynchronous readahead
		 * on or off.
		 */
		ctl_write(c, "readahead_async", rnd(&c->rng) % 2, NULL);
		switch (rnd(&c->rng) % 5) {
		case 0:
		case 1:
			ctl_write(c, "readahead", 0, NULL);
			break;
		case 2:
			ctl_write(c, "readahead", 0, "auto");
			break;
		case 3:
			ctl_write(c, "prefetch_window", 1 + rnd(&c->rng) % 255,
				  NULL);
			ctl_write(c, "prefetcher", 0, "leap");
			break;
		default:
			ctl_write(c, "readahead", rnd(&c->rng) % 256, NULL);
		}
	}
	c->changes[what]++;
}

/* Sleep @ms in small steps; false if the run was aborted meanwhile. */
static bool nap(unsigned int ms)
{
	for (unsigned int t = 0; t < ms; t += 10) {
		if (__atomic_load_n(&sh->abort, __ATOMIC_RELAXED))
			return false;
		usleep(10000);
	}
	return true;
}

/*
 * Change a knob every 150 to 450 ms; ask for the next round of ownership
 * round_ms after the last change of owner was done (counted from then, so
 * that writers on a slow machine still get round_ms of work between the
 * checks of a change); after opt_seconds ask the writers to end, and keep
 * changing knobs under their last checks until told to stop.
 */
static void *controller_fn(void *arg)
{
	struct controller *c = arg;
	uint64_t start = now_ms(), round_ms, t_round, asked = 0;

	round_ms = opt_seconds * 1000 / 6;
	if (round_ms < 2000)
		round_ms = 2000;
	if (round_ms > 15000)
		round_ms = 15000;
	while (now_ms() - start < opt_seconds * 1000) {
		if (!nap(150 + rnd(&c->rng) % 300))
			return NULL;
		change_knob(c);
		t_round = __atomic_load_n(&sh->t_round, __ATOMIC_ACQUIRE);
		if (t_round && t_round != asked &&
		    now_ms() >= t_round + round_ms) {
			asked = t_round;
			__atomic_add_fetch(&sh->round_req, 1, __ATOMIC_RELEASE);
		}
	}
	sh->t_stopping = now_ms();
	__atomic_store_n(&sh->stopping, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&sh->round_req, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
		if (!nap(150 + rnd(&c->rng) % 300))
			return NULL;
		change_knob(c);
	}
	return NULL;
}

static int read_policies(struct controller *c)
{
	char buf[512], *save = NULL, *tok;

	if (read_knob("available_policies", buf, sizeof(buf)))
		return -1;
	for (tok = strtok_r(buf, " ", &save); tok && c->nr_policies < 16;
	     tok = strtok_r(NULL, " ", &save))
		snprintf(c->policies[c->nr_policies++], sizeof(c->policies[0]),
			 "%s", tok);
	return c->nr_policies ? 0 : -1;
}

/* The counters the report is made of. */
static const char * const stat_names[] = {
	"faults", "major_faults", "evictions", "swap_outs", "swap_ins",
	"alloc_stalls", "direct_reclaims", "daemon_wakeups", "sigbus",
	"io_errors", "swap_full", "admit_batched", "admit_drains",
	"compress_stored", "compress_hits", "compress_writeback",
	"page_buffer_hits",
};

#define NR_STATS	ARRAY_SIZE(stat_names)

static void read_stats(long long *v)
{
	for (size_t i = 0; i < NR_STATS; i++)
		v[i] = read_stat(stat_names[i]);
}

static unsigned long env_or(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void print_usage(const char *prog, int status)
{
	fprintf(stderr,
		"usage: %s [--seconds N] [--threads N] [--procs N] [--seed N] [--frames N]\n"
		"  --seconds  length of the stress phase (default 75, or $SWAPLAB_STRESS_SECONDS)\n"
		"  --threads  writer threads per process (default 3, at most %d)\n"
		"  --procs    processes, the parent included (default 3, at most %d)\n"
		"  --seed     seed of the workload (default: from the clock; printed)\n"
		"  --frames   frame budget during the test (default 1024); the region is %dx\n",
		prog, MAX_THREADS, MAX_PROCS, FACTOR);
	exit(status);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "procs", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'r' },
		{ "frames", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	opt_seconds = env_or("SWAPLAB_STRESS_SECONDS", opt_seconds);
	seed = (uint64_t)time(NULL) * 1000003 + getpid();
	while ((opt = getopt_long(argc, argv, "s:t:p:r:f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			opt_seconds = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt_threads = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			opt_procs = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			opt_frames = strtoul(optarg, NULL, 0);
			break;
		case 'h':
			print_usage(argv[0], 0);
			break;
		default:
			print_usage(argv[0], KSFT_FAIL);
		}
	}
	if (optind < argc || !opt_seconds || !opt_threads ||
	    opt_threads > MAX_THREADS || !opt_procs || opt_procs > MAX_PROCS ||
	    opt_frames < 64)
		print_usage(argv[0], KSFT_FAIL);
}

/* A seeded shuffle of the pages, and its inverse. */
static int make_perm(void)
{
	uint64_t state = mix64(seed) | 1;

	perm = malloc(nr_pages * sizeof(*perm));
	pos = malloc(nr_pages * sizeof(*pos));
	if (!perm || !pos)
		return -1;
	for (size_t i = 0; i < nr_pages; i++)
		perm[i] = i;
	for (size_t i = nr_pages - 1; i > 0; i--) {
		size_t j = rnd(&state) % (i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < nr_pages; i++)
		pos[perm[i]] = i;
	return 0;
}

static int skip(const char *why)
{
	say("ok - stress # SKIP %s\n", why);
	return KSFT_SKIP;
}

/* Wait up to five seconds for a counter to come back to @want. */
static long long settle(const char *name, long long want)
{
	long long v = read_stat(name);

	for (int i = 0; i < 500 && v != want; i++) {
		usleep(10000);
		v = read_stat(name);
	}
	return v;
}

static int report(bool ok, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say("%sok - stress: %s\n", ok ? "" : "not ", buf);
	return ok ? 0 : 1;
}

/*
 * Create the region under a unique name and map it: 0, or the negative
 * errno of the step that failed.
 */
static int create_region(int *fdp, uint8_t **mapp)
{
	struct swaplab_region_info info;
	int fd, err;

	snprintf(region_name, sizeof(region_name), "stress-%d-%llx",
		 getpid(), (unsigned long long)seed & 0xffffffff);
	fd = open(SWAPLAB_DEVICE, O_RDWR);
	if (fd < 0)
		return -errno;
	err = attach(fd, SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL);
	if (err)
		return err;
	*mapp = mmap(NULL, nr_pages * page_size, PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	if (*mapp == MAP_FAILED)
		return -errno;
	if (ioctl(fd, SWAPLAB_IOC_REGION_INFO, &info))
		return -errno;
	sh->region_id[0] = info.id;
	cur_map = *mapp;
	*fdp = fd;
	return 0;
}

/* Reap every child; one that fails aborts the run. Return how many did. */
static int reap_children(void)
{
	int reaped = 0, dead = 0, status;

	while (reaped < nr_children) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			say("# stress: waitpid: %s\n", strerror(errno));
			return nr_children - reaped + dead;
		}
		reaped++;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		dead++;
		__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
		if (WIFSIGNALED(status))
			say("# stress: child pid %d killed by signal %d\n", pid,
			    WTERMSIG(status));
		else
			say("# stress: child pid %d exited with status %d\n",
			    pid, WEXITSTATUS(status));
	}
	nr_children = 0;
	return dead;
}

/* Check every page through @map against the published shadows. */
static size_t parent_verify(uint8_t *map, struct writer_stats *st)
{
	uint64_t *b = malloc(page_size);
	size_t checked = 0;

	for (size_t page = 0; b && page < nr_pages; page++) {
		uint64_t want = sh->shadow[page];
		const char *why;

		if (__atomic_load_n(&sh->abort, __ATOMIC_RELAXED))
			break;
		copy_page(map, page, b);
		why = check_copy(b, page, want);
		if (why)
			report_bad(st, -1, "parent's final", page, b, want, why);
		checked++;
	}
	free(b);
	return checked;
}

static void sum_stats(struct writer_stats *tot, const struct writer_stats *parent)
{
	*tot = *parent;
	for (int i = 0; i < nr_writers; i++) {
		const struct writer_stats *st = &sh->ws[i];

		tot->writes += st->writes;
		tot->own_checks += st->own_checks;
		tot->foreign_reads += st->foreign_reads;
		tot->torn += st->torn;
		tot->prefetches += st->prefetches;
		tot->discards += st->discards;
		tot->ioctl_errors += st->ioctl_errors;
		tot->handoff_checks += st->handoff_checks;
		tot->final_checks += st->final_checks;
		tot->mismatches += st->mismatches;
	}
}

/* Are the knobs as they were before? Report each one that is not. */
static bool knobs_back(void)
{
	bool back = true;
	char now[64];

	for (size_t i = 0; i < NR_KNOBS; i++) {
		if (!read_knob(knob_names[i], now, sizeof(now)) &&
		    !strcmp(now, saved[i]))
			continue;
		report(false, "knob %s is '%s', was '%s'", knob_names[i], now,
		       saved[i]);
		back = false;
	}
	return back;
}

int main(int argc, char **argv)
{
	struct writer ws[MAX_THREADS] = {};
	struct writer_stats parent_stats = {}, tot;
	struct controller ctl = {};
	long long s0[NR_STATS], s1[NR_STATS];
	long long res0, slots0, regions0, res, slots, regions, zpages;
	uint64_t t0, t_verified, t_start, t_stop;
	unsigned long changes;
	int fd = -1, err, failed = 0, dead, ids_differ = 0;
	size_t parent_checks;
	uint8_t *map = NULL;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IONBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	words = page_size / sizeof(uint64_t);
	parent_pid = getpid();
	nr_writers = opt_procs * opt_threads;
	nr_pages = FACTOR * opt_frames;

	if (geteuid())
		return skip("needs root");
	if (access(SWAPLAB_DEVICE, F_OK) || read_stat("faults") < 0)
		return skip(SWAPLAB_DEVICE " missing: module not loaded");
	if (read_stat("swap_slots_total") - read_stat("swap_slots_used") <
	    (long long)nr_pages + 1024)
		return skip("no backing store with room for the region");
	if (read_knob_ll("region_max") < (long long)(nr_pages * page_size))
		return skip("region_max smaller than the region");
	sh = mmap(NULL, sizeof(*sh) + nr_pages * sizeof(uint64_t),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || make_perm())
		return report(false, "no memory");
	ctl.rng = mix64(seed ^ 0xc0ffee) | 1;
	ctl.budget = opt_frames;
	if (read_policies(&ctl))
		return report(false, "cannot read available_policies");
	for (size_t i = 0; i < NR_KNOBS; i++)
		if (read_knob(knob_names[i], saved[i], sizeof(saved[i])))
			return report(false, "cannot read knob %s",
				      knob_names[i]);

	say("# stress: seed %llu (--seed to repeat), %lu s, %lu processes x %lu threads, %lu frames\n",
	    (unsigned long long)seed, opt_seconds, opt_procs, opt_threads,
	    opt_frames);
	knobs_saved = 1;
	handle_signals();
	watchdog = opt_seconds * 2 + 300;
	alarm(watchdog);
	err = write_knob_ll("frames", opt_frames);
	if (err) {
		restore_knobs();
		return report(false, "frames=%lu: %s", opt_frames,
			      strerror(-err));
	}
	/* Page buffering starts on; the controller switches it later. */
	err = write_knob_ll("page_buffering", 1);
	if (err) {
		restore_knobs();
		return report(false, "page_buffering=1: %s", strerror(-err));
	}

	res0 = read_stat("resident");
	slots0 = read_stat("swap_slots_used");
	regions0 = read_stat("regions");
	read_stats(s0);
	t0 = now_ms();
	err = create_region(&fd, &map);
	if (err) {
		restore_knobs();
		return report(false, "create and map region '%s': %s",
			      region_name, strerror(-err));
	}

	/* Children first: fork before this process has threads. */
	for (unsigned long p = 1; p < opt_procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			failed |= report(false, "fork: %s", strerror(errno));
			__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
			break;
		}
		if (pid == 0)
			child_main(p, fd, map);
		children[nr_children++] = pid;
	}
	err = start_writers(ws, 0, fd, map);
	if (err) {
		failed |= report(false, "writer threads: %s", strerror(-err));
		__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
	}
	errno = pthread_create(&ctl.thread, NULL, controller_fn, &ctl);
	if (errno) {
		failed |= report(false, "controller thread: %s",
				 strerror(errno));
		__atomic_store_n(&sh->abort, 1, __ATOMIC_RELAXED);
		ctl.done = 1;
	}

	dead = reap_children();
	if (join_writers(ws))
		failed |= report(false, "writers in the parent gave up");
	t_stop = sh->t_stopping ? sh->t_stopping : now_ms();
	t_start = sh->t_started ? sh->t_started : t0;

	/* Every page once more, knobs still changing. */
	parent_checks = parent_verify(map, &parent_stats);
	if (!ctl.done) {
		__atomic_store_n(&ctl.done, 1, __ATOMIC_RELEASE);
		pthread_join(ctl.thread, NULL);
	}
	t_verified = now_ms();
	restore_knobs();
	munmap(map, nr_pages * page_size);
	close(fd);

	sum_stats(&tot, &parent_stats);
	for (unsigned long p = 1; p < opt_procs; p++)
		ids_differ += sh->region_id[p] != sh->region_id[0];
	regions = settle("regions", regions0);
	res = settle("resident", res0);
	slots = settle("swap_slots_used", slots0);
	read_stats(s1);
	for (size_t i = 0; i < NR_STATS; i++)
		s1[i] -= s0[i];
	changes = 0;
	for (size_t i = 0; i < NR_CHANGES; i++)
		changes += ctl.changes[i];

	say("# stress: %llu writes, %llu owner checks, %llu foreign reads (%llu skipped: met a write)\n",
	    tot.writes, tot.own_checks, tot.foreign_reads, tot.torn);
	say("# stress: %llu prefetches, %llu discards, %llu checks at %u changes of owner, %llu final owner checks, %zu parent checks\n",
	    tot.prefetches, tot.discards, tot.handoff_checks, sh->handoffs,
	    tot.final_checks, parent_checks);
	say("# stress: swaplab: %lld faults, %lld major, %lld evictions, %lld swap-outs, %lld swap-ins\n",
	    s1[0], s1[1], s1[2], s1[3], s1[4]);
	say("# stress: swaplab: %lld alloc stalls, %lld direct reclaims, %lld daemon wakeups, %lld swap_full\n",
	    s1[5], s1[6], s1[7], s1[10]);
	say("# stress: knob changes: %lu policy, %lu frames, %lu watermarks, %lu daemon or page_buffering, %lu admit_batch, %lu readahead, %lu compress\n",
	    ctl.changes[0], ctl.changes[1], ctl.changes[2], ctl.changes[3],
	    ctl.changes[4], ctl.changes[5], ctl.changes[6]);
	say("# stress: compressed tier: %lld pages stored, %lld faults served, %lld written back\n",
	    s1[13], s1[14], s1[15]);
	say("# stress: swaplab: %lld pages admitted through per-CPU batches, %lld batches drained\n",
	    s1[11], s1[12]);
	say("# stress: page buffering: %lld faults served from its pool\n",
	    s1[16]);
	say("# stress: %.1f s writing every page once, %.1f s of stress, %.1f s of final checks\n",
	    (t_start - t0) / 1000.0, (t_stop - t_start) / 1000.0,
	    (t_verified - t_stop) / 1000.0);

	failed |= report(!dead && !ids_differ,
			 "region '%s', %zu MiB (%dx a %lu-frame budget), in %lu processes (%lu attached by name, %lu by fork)%s",
			 region_name, nr_pages * page_size >> 20, FACTOR,
			 opt_frames, opt_procs, opt_procs / 2,
			 (opt_procs - 1) / 2, dead ? "; a child failed" :
			 ids_differ ? "; region ids differ" : "");
	failed |= report(!ctl.errors && !tot.ioctl_errors,
			 "%lu knob changes under load, %d refused; %llu ioctls failed",
			 changes, ctl.errors, tot.ioctl_errors);
	failed |= report(!s1[8] && !s1[9], "no SIGBUS, no I/O error (%lld, %lld)",
			 s1[8], s1[9]);
	/*
	 * A run that verified every page proves little unless the pages
	 * really went out and came back, every knob really changed and the
	 * region really changed hands.
	 */
	failed |= report(s1[2] > 0 && s1[3] > 0 && s1[4] > 0 &&
			 ctl.changes[0] && ctl.changes[1] && ctl.changes[2] &&
			 ctl.changes[3] && ctl.changes[4] && ctl.changes[5] &&
			 ctl.changes[6] && s1[13] > 0 && s1[14] > 0 &&
			 s1[15] > 0 && s1[16] > 0 &&
			 s1[11] > 0 && s1[12] > 0 && sh->handoffs &&
			 tot.handoff_checks && tot.foreign_reads,
			 "the stress happened: %lld evictions, %lld swap-outs, %lld swap-ins; knob changes %lu/%lu/%lu/%lu/%lu/%lu/%lu (policy/frames/watermarks/daemon or page_buffering/admit_batch/readahead/compress); %lld pages compressed, %lld served from the pool, %lld written back; %lld served by page buffering; %lld pages through admission batches in %lld drains; %u changes of owner, %llu checks at them; %llu foreign reads",
			 s1[2], s1[3], s1[4], ctl.changes[0], ctl.changes[1],
			 ctl.changes[2], ctl.changes[3], ctl.changes[4],
			 ctl.changes[5], ctl.changes[6], s1[13], s1[14],
			 s1[15], s1[16], s1[11], s1[12],
			 sh->handoffs, tot.handoff_checks, tot.foreign_reads);
	failed |= report(!tot.mismatches && parent_checks == nr_pages && !dead,
			 "%zu pages verified, %lu processes x %lu threads, %.0f s, %lld faults, %lld evictions, %llu mismatches, %lu knob changes",
			 parent_checks, opt_procs, opt_threads,
			 (t_verified - t0) / 1000.0, s1[0], s1[2],
			 tot.mismatches, changes);
	if (knobs_back())
		report(true, "knobs restored (frames %s, policy %s, watermarks %s/%s, daemon %s, readahead %s, admit_batch %s, prefetch_window %s, compress %s, compress_pool_max %s)",
		       saved[3], saved[1], saved[5], saved[4], saved[0],
		       saved[2], saved[6], saved[7], saved[8], saved[9]);
	else
		failed = 1;
	zpages = read_stat("compress_pool_pages") +
		 read_stat("compress_same_pages");
	failed |= report(res == res0 && slots == slots0 &&
			 regions == regions0 && !zpages,
			 "nothing left once closed: resident %lld, swap_slots_used %lld, regions %lld, pages in the compressed tier %lld (before: %lld, %lld, %lld, 0)",
			 res, slots, regions, zpages, res0, slots0, regions0);
	return failed ? KSFT_FAIL : KSFT_PASS;
}
