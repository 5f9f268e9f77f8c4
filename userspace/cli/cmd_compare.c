// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab compare: replay one reference string, in one run, on
 *
 *  - /dev/swaplab, with frames = the budget, under each chosen policy;
 *  - the stock kernel: anonymous memory in a cgroup v2 whose memory.max
 *    is the budget (plus what the replaying process had already charged
 *    before it mapped the memory), swapping to a swap file, once with
 *    the classic LRU and once with MGLRU (lru_gen) where the kernel has
 *    it;
 *  - the simulator's exact LRU and OPT at the same number of frames,
 *    which give the floor no policy can beat;
 *
 * and print a table with ratio columns against the stock kernel's own
 * default. Each run is a fresh child process; its major faults are the
 * kernel's count for it over the string alone (getrusage), the same
 * measure on both sides, and so is the CPU time per major fault: the
 * child's own (getrusage) and its reclaimer's (/proc/PID/schedstat of
 * swaplabd or kswapd0 over the same span).
 * --stock-nolimit leaves memory.max off for the stock runs: the pressure
 * must then come from outside (a memory hog), and the stock kernel
 * reclaims in kswapd, as swaplab does in swaplabd.
 * --curve repeats the runs at several budgets (the fault-rate curve);
 * --plot writes the data, a gnuplot script and, when gnuplot is there,
 * PNG plots (plot.c).
 *
 * compare --cmd runs a command instead of a string: once with its large
 * allocations on swaplab (as `swaplab run`), once as it is in the memory
 * cgroup; see compare_cmd().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#include "lib/child.h"
#include "cli/cmd.h"
#include "lib/knobs.h"
#include "lib/pagemap.h"
#include "lib/plot.h"
#include "api/policy.h"
#include "lib/replay.h"
#include "sim/sim.h"
#include "lib/stock.h"
#include "lib/strmap.h"
#include "lib/sysfs.h"
#include "lib/trace.h"
#include "lib/workload.h"

#define MAX_SYSTEMS	16
#define MAX_BUDGETS	16

enum system_kind { SYS_SWAPLAB, SYS_STOCK, SYS_SIM };

/*
 * The readahead of both sides, under the header: with readahead, a page
 * read ahead and then used is not a major fault, so swaplab's and the
 * stock kernel's major faults can fall below the simulator's misses.
 */
static void print_readahead(void)
{
	static const char note[] =
		" (a page read ahead, then used, is no major fault: not a miss)";
	char ra[16] = "?", pc[16] = "?";

	knob_read("readahead", ra, sizeof(ra));
	read_file("/proc/sys/vm/page-cluster", pc, sizeof(pc));
	ra[strcspn(ra, "\n")] = '\0';
	pc[strcspn(pc, "\n")] = '\0';
	printf("  readahead: swaplab %s, stock page-cluster %s%s\n", ra, pc,
	       strcmp(ra, "0") || strcmp(pc, "0") ? note : "");
}

/**
 * struct result - one run of the string on one system at one budget
 * @ok: the run completed
 * @oom: a stock run the memory cgroup's OOM killer ended: a result about
 *	the stock kernel, not a failure of the comparison
 * @elapsed: seconds for the string
 * @p50: median reference latency, seconds
 * @p99: 99th percentile
 * @fault_p50: median latency of references that took a major fault
 * @cpu: the child's user and system CPU time over the string, seconds
 * @rcl_cpu: the reclaimer thread's CPU time over the same span, seconds
 *	(swaplabd or kswapd0; whatever else it reclaimed for meanwhile)
 * @majflt: the child's major faults (the simulator's faults for SYS_SIM)
 * @minflt: its minor faults
 * @swap_in: pages read from swap during the run
 * @swap_out: pages written to swap during the run
 * @mismatches: pages read back wrong
 */
struct result {
	bool ok;
	bool oom;
	double elapsed, p50, p99, fault_p50, cpu, rcl_cpu;
	long majflt, minflt;
	uint64_t swap_in, swap_out;
	uint64_t mismatches;
};

/**
 * struct system - one column of the comparison
 * @kind: swaplab, the stock kernel, or the simulator
 * @name: how the table names it
 * @setting: the policy (swaplab, simulator) or "y"/"n" for lru_gen
 * @res: a result per budget
 */
struct system {
	enum system_kind kind;
	char name[32];
	char setting[16];
	struct result res[MAX_BUDGETS];
};

/**
 * struct compare - the whole comparison
 * @wl: the workload generated
 * @refs: the reference string
 * @page_size: bytes in a page
 * @budget: frames of the main budget
 * @budgets: every budget, in frames; budgets[0] is the main one
 * @nbudgets: how many
 * @sys: the systems compared
 * @nsys: how many
 * @ref_sys: the system the ratios are taken against, or -1
 * @interval_ms: time series sampling interval
 * @distinct: pages the string touches: the simulator's first-touch
 *	faults, which are minor (zero-fill) on both real systems
 * @readonly: fill every page first, then only read (clean evictions)
 * @write_anon: with @readonly, anonymous pages are written all the same
 *	(--readonly-files)
 * @nolimit: no memory.max for the stock runs (outside pressure)
 * @throughput: time the string only, not each reference
 * @plot: file name prefix for --plot, or NULL
 * @series: the open time series file of the current run, or NULL
 * @kinds: a trace's kind of each page (trace.h), NULL if all anonymous
 * @nfile: pages of files among the string's
 * @file_dir: where the pages of files are a file (--file-dir; NULL:
 *	beside swaplab's swap file)
 * @swappiness: --swappiness, for both sides and the simulator; -1: the
 *	knob and vm.swappiness as they are, the simulator at the default
 */
struct compare {
	struct workload wl;
	unsigned long *refs;
	uint8_t *kinds;
	unsigned long nfile;
	const char *file_dir;
	int swappiness;
	long page_size;
	unsigned long budget;
	unsigned long budgets[MAX_BUDGETS];
	int nbudgets;
	struct system sys[MAX_SYSTEMS];
	int nsys;
	int ref_sys;
	unsigned long interval_ms;
	unsigned long distinct;
	bool readonly;
	bool write_anon;
	bool nolimit;
	bool throughput;
	const char *plot;
	FILE *series;
};

static void usage_compare(FILE *f)
{
	fprintf(f,
		"usage: swaplab compare WORKLOAD --budget SIZE [--size SIZE] [--refs N]\n"
		"                       [--seed N] [--theta T] [--policies LIST]\n"
		"                       [--stock lru,mglru|none] [--swapfile PATH]\n"
		"                       [--curve F,F,...] [--plot PREFIX] [--interval MS]\n"
		"                       [--readonly|--readonly-files] [--throughput]\n"
		"                       [--stock-nolimit]\n"
		"       swaplab compare trace FILE --budget SIZE [options] [TRACE OPTIONS]\n"
		"  Replays one reference string on /dev/swaplab (frames = budget) under\n"
		"  each policy (default " SWAPLAB_DEFAULT_POLICY ",aging,clock,fifo, the module's\n"
		"  default first) and on the stock kernel's anonymous memory in a\n"
		"  memory cgroup (memory.max = budget) with the classic LRU and with\n"
		"  MGLRU, plus the simulator's LRU and OPT.\n"
		"  --size: pages the string spans (default 4x the budget)\n"
		"  TRACE OPTIONS: --format and the options that go with it, as in\n"
		"               `swaplab sim --help`\n"
		"  --swapfile: swap file for the stock kernel when none is active\n"
		"  --curve: also run at these multiples of the budget\n"
		"  --plot: write PREFIX-*.dat, PREFIX.gp and, with gnuplot, PNGs\n"
		"  --readonly: write every page first, then references only read\n"
		"  --readonly-files: the same, but references to anonymous pages\n"
		"               write them: only a trace's pages of files are read\n"
		"  --throughput: time the whole string only (no latency columns)\n"
		"  --stock-nolimit: no memory.max on the stock side (the pressure\n"
		"               must come from outside, e.g. swaplab micro hog)\n"
		"  --swappiness N: swaplab's knob swappiness and the stock kernel's\n"
		"               vm.swappiness for the runs (0-200), put back after\n"
		"  --file-dir DIR: a trace's pages of files (f, x) are a file made in\n"
		"               DIR on both sides (default: beside swaplab's swap file)\n"
		"  cpu/flt and rcl/flt: us of CPU per major fault, of the process\n"
		"  and of its reclaimer (swaplabd, kswapd0) over the same span\n"
		"       swaplab compare --cmd --budget SIZE [options] -- COMMAND [ARG...]\n"
		"  Runs a command on swaplab and on the stock kernel (--cmd --help).\n");
}

/* Major and minor faults of process @pid so far, from /proc/PID/stat. */
static int proc_faults(pid_t pid, long *majflt)
{
	char path[64], buf[1024], *p;
	unsigned long minflt, cminflt, maj;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)))
		return -1;
	p = strrchr(buf, ')');
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lu %lu %lu",
			 &minflt, &cminflt, &maj) != 3)
		return -1;
	*majflt = maj;
	return 0;
}

/*
 * ns of CPU the kernel thread named @comm has run so far
 * (/proc/PID/schedstat), or -1 when there is none.
 */
static long long thread_cpu_ns(const char *comm)
{
	char path[300], buf[64];
	long long ns = -1;
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (read_file(path, buf, sizeof(buf)))
			continue;
		buf[strcspn(buf, "\n")] = 0;
		if (strcmp(buf, comm))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", e->d_name);
		if (!read_file(path, buf, sizeof(buf)))
			ns = strtoll(buf, NULL, 10);
		break;
	}
	if (d)
		closedir(d);
	return ns;
}

static double tv_sec(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/* Swap traffic so far, in pages, as the system concerned counts it. */
static void swap_counts(const struct system *s, uint64_t *in, uint64_t *out)
{
	struct stat_set st;

	if (s->kind == SYS_SWAPLAB) {
		read_stats(&st);
		*in = stat_value(&st, "swap_ins");
		*out = stat_value(&st, "swap_outs");
	} else {
		*in = stock_vmstat("pswpin");
		*out = stock_vmstat("pswpout");
	}
}

/*
 * The child's side of a run: join the cgroup (stock), prepare, map,
 * replay, send the result up the pipe.
 */
static void child_run(const struct compare *c, const struct system *s,
		      unsigned long budget, int fd)
{
	struct replay r = { .refs = c->refs, .nrefs = c->wl.refs,
			    .npages = c->wl.pages, .readonly = c->readonly,
			    .write_anon = c->write_anon, .kinds = c->kinds };
	struct result res = { 0 };
	struct rusage ru0, ru1;
	struct pagemap pm;
	char limit[64];
	uint64_t in0, out0;
	uint8_t *map;

	if (s->kind == SYS_STOCK && write_file(STOCK_CGROUP "/cgroup.procs", "0"))
		_exit(10);
	if (replay_prepare(&r))
		_exit(11);
	/*
	 * The replayer's own memory (its latency array alone is 8 bytes a
	 * reference: 3 MiB for 400000) must not be reclaimable: on the stock
	 * side it is charged to the cgroup, and the kernel would swap out
	 * its cold parts and give their room to the workload, which then has
	 * more than the budget (on 6.1 the classic LRU takes 43613 major
	 * faults on a recorded string through 256 frames, 56709 with the
	 * memory locked). Locked, the budget is the workload's alone, as
	 * swaplab's frames are. Both sides, alike.
	 * The workload's mapping comes after, so it is not locked.
	 */
	if (mlockall(MCL_CURRENT)) {
		fprintf(stderr, "swaplab: compare: mlockall: %s\n",
			strerror(errno));
		_exit(16);
	}
	/*
	 * The pages, before the budget: making the stock side's file
	 * writes it through the page cache, which it then drops.
	 */
	if (pagemap_map(&pm, c->wl.pages, c->kinds, c->file_dir,
			s->kind == SYS_STOCK))
		_exit(14);
	if (s->kind == SYS_STOCK) {
		uint64_t base, held;

		/*
		 * What this process has charged so far (its stack, heap and
		 * the scratch arrays) is not the workload's: the budget is
		 * on top of it.
		 */
		if (read_file(STOCK_CGROUP "/memory.current", limit, sizeof(limit)))
			_exit(12);
		base = strtoull(limit, NULL, 10);
		/*
		 * memory.current also counts the charges the CPUs took ahead
		 * (memcg charges in batches, up to 64 pages a CPU) and have not
		 * used yet: the workload's first pages would use them on top
		 * of the budget (27 pages more than 256). The charges
		 * pages and kernel objects really hold, where the kernel says.
		 */
		if (!stock_cgroup_charged(&held) && held < base)
			base = held;
		snprintf(limit, sizeof(limit), "%" PRIu64,
			 base + (uint64_t)budget * c->page_size);
		/*
		 * The untimed fill of --readonly dirties the whole region at
		 * full speed. Under memory.max the stock kernel OOM-kills the
		 * child when its swap writes fall behind (it does under TCG); so
		 * the fill runs under memory.high, which throttles instead,
		 * and memory.max takes over for the timed part.
		 */
		if (write_file(STOCK_CGROUP "/memory.max", "max") ||
		    write_file(STOCK_CGROUP "/memory.high", "max") ||
		    (!c->nolimit &&
		     write_file(c->readonly ? STOCK_CGROUP "/memory.high" :
					      STOCK_CGROUP "/memory.max", limit)))
			_exit(13);
	}
	map = pm.map;
	if (c->readonly) {
		replay_fill(&r, map);
		if (s->kind == SYS_STOCK && !c->nolimit &&
		    (write_file(STOCK_CGROUP "/memory.max", limit) ||
		     write_file(STOCK_CGROUP "/memory.high", "max")))
			_exit(13);
	}
	/* Tell the parent the timed part starts, for its time series. */
	if (write(fd, "", 1) != 1)
		_exit(15);
	swap_counts(s, &in0, &out0);
	getrusage(RUSAGE_SELF, &ru0);
	replay_run(&r, map, c->throughput ? REPLAY_TIME_NONE :
		   REPLAY_TIME_FAULTS);
	getrusage(RUSAGE_SELF, &ru1);
	swap_counts(s, &res.swap_in, &res.swap_out);
	/* The timed part is over: the time series ends here. */
	if (write(fd, "", 1) != 1)
		_exit(15);
	replay_verify(&r, map);
	res.ok = true;
	res.majflt = ru1.ru_majflt - ru0.ru_majflt;
	res.minflt = ru1.ru_minflt - ru0.ru_minflt;
	res.cpu = tv_sec(&ru1.ru_utime) + tv_sec(&ru1.ru_stime) -
		  tv_sec(&ru0.ru_utime) - tv_sec(&ru0.ru_stime);
	res.swap_in -= in0;
	res.swap_out -= out0;
	res.elapsed = r.elapsed;
	res.p50 = r.p50;
	res.p99 = r.p99;
	res.fault_p50 = r.fault_p50;
	res.mismatches = r.mismatches;
	if (write(fd, &res, sizeof(res)) != sizeof(res))
		_exit(15);
	_exit(0);
}

/* Run the string once on @s with @budget frames; fill @res. */
static int run_one(struct compare *c, struct system *s, unsigned long budget,
		   struct result *res)
{
	long maj, oom0 = s->kind == SYS_STOCK ? stock_oom_kills() : -1;
	const char *reclaimer = s->kind == SYS_SWAPLAB ? "swaplabd" : "kswapd0";
	long long rcl0 = -1, rcl1 = -1;
	char ready;
	int pfd[2], status;
	double t0;
	pid_t pid;
	ssize_t n;

	memset(res, 0, sizeof(*res));
	if (s->kind == SYS_SWAPLAB) {
		char val[32];
		int err;

		snprintf(val, sizeof(val), "%lu", budget);
		err = knob_write("frames", val);
		if (!err)
			err = knob_write("policy", s->setting);
		if (err) {
			fprintf(stderr, "swaplab: compare: %s frames=%s: %s\n",
				s->name, val, strerror(-err));
			return -1;
		}
	} else if (stock_lru_gen_set(s->setting)) {
		fprintf(stderr, "swaplab: compare: cannot set " STOCK_LRU_GEN "\n");
		return -1;
	}

	if (pipe(pfd))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(pfd[0]);
		child_run(c, s, budget, pfd[1]);
	}
	close(pfd[1]);

	/* Wait for the timed part, then sample the child's major faults. */
	n = read(pfd[0], &ready, 1);
	t0 = replay_now();
	rcl0 = thread_cpu_ns(reclaimer);
	if (n == 1 && c->series && !proc_faults(pid, &maj))
		fprintf(c->series, "0.000 %ld\n", maj);
	for (; n == 1;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };

		if (poll(&p, 1, c->interval_ms) != 0)
			break;
		if (c->series && !proc_faults(pid, &maj))
			fprintf(c->series, "%.3f %ld\n", replay_now() - t0, maj);
	}
	/* The end of the string, then the result after the final check. */
	if (n == 1)
		n = read(pfd[0], &ready, 1);
	rcl1 = thread_cpu_ns(reclaimer);
	if (n == 1 && c->series && !proc_faults(pid, &maj))
		fprintf(c->series, "%.3f %ld\n", replay_now() - t0, maj);
	if (n == 1)
		n = read(pfd[0], res, sizeof(*res));
	close(pfd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	res->rcl_cpu = rcl0 >= 0 && rcl1 >= rcl0 ? (rcl1 - rcl0) / 1e9 : 0;
	if (n != sizeof(*res) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		memset(res, 0, sizeof(*res));
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
		    oom0 >= 0 && stock_oom_kills() > oom0) {
			fprintf(stderr, "swaplab: compare: the stock kernel's memory cgroup OOM-killed %s\n",
				s->name);
			res->oom = true;
			return 0;
		}
		if (WIFSIGNALED(status))
			fprintf(stderr, "swaplab: compare: %s killed by signal %d%s\n",
				s->name, WTERMSIG(status),
				WTERMSIG(status) == SIGKILL ? " (OOM?)" : "");
		else
			fprintf(stderr, "swaplab: compare: %s failed (status %d)\n",
				s->name, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

/*
 * The stock kernel's swap file: as large as swaplab's own store, so both
 * have the same room (the stock kernel frees a page's swap slot on
 * swap-in once swap is half full, and must write it again at eviction),
 * and never smaller than the region plus 8 MiB.
 */
static uint64_t stock_swap_size(const struct compare *c)
{
	uint64_t bytes = c->wl.pages * c->page_size + (8 << 20);
	uint64_t swaplab = (uint64_t)knob_ulong("swapfile_size");

	return swaplab > bytes ? swaplab : bytes;
}

/* Put back what compare changed, swaplab's knobs first. */
static void restore(void)
{
	knobs_restore();
	stock_restore();
}

static void add_system(struct compare *c, enum system_kind kind,
		       const char *name, const char *setting)
{
	struct system *s = &c->sys[c->nsys++];

	s->kind = kind;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->setting, sizeof(s->setting), "%s", setting);
}

/* Parse the systems to compare; -1 on a bad list. */
static int parse_systems(struct compare *c, char *policies, char *stock)
{
	const char *lru_gen = stock_lru_gen();
	char *tok, *save, name[32];

	for (tok = strtok_r(policies, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (c->nsys >= MAX_SYSTEMS - 4 || strlen(tok) >= 16)
			return -1;
		snprintf(name, sizeof(name), "swaplab-%s", tok);
		add_system(c, SYS_SWAPLAB, name, tok);
	}
	c->ref_sys = -1;
	if (strcmp(stock, "none")) {
		for (tok = strtok_r(stock, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			bool mglru = !strcmp(tok, "mglru");

			if (!mglru && strcmp(tok, "lru"))
				return -1;
			if (mglru && !lru_gen) {
				fprintf(stderr, "swaplab: compare: no MGLRU here (" STOCK_LRU_GEN ")\n");
				continue;
			}
			/* The kernel's own default is the reference. */
			if (mglru == (lru_gen && strtoul(lru_gen, NULL, 0) != 0))
				c->ref_sys = c->nsys;
			add_system(c, SYS_STOCK, mglru ? "stock-mglru" : "stock-lru",
				   mglru ? "y" : "n");
		}
		if (c->ref_sys < 0 && c->nsys && c->sys[c->nsys - 1].kind == SYS_STOCK)
			c->ref_sys = c->nsys - 1;
	}
	add_system(c, SYS_SIM, "sim-lru", "lru");
	add_system(c, SYS_SIM, "sim-opt", "opt");
	return 0;
}

static int parse_curve(struct compare *c, char *list)
{
	char *tok, *save;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		double f = strtod(tok, NULL);

		if (f <= 0 || c->nbudgets >= MAX_BUDGETS)
			return -1;
		c->budgets[c->nbudgets++] = f * c->budget + 0.5;
	}
	return 0;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void print_table(const struct compare *c, int b)
{
	const struct system *ref = c->ref_sys >= 0 ? &c->sys[c->ref_sys] : NULL;
	unsigned long budget = c->budgets[b];
	double mib = (double)c->page_size / (1 << 20);

	printf("\nbudget %lu pages (%.1f MiB)%s%s\n", budget, budget * mib,
	       ref ? "; ratios against " : "", ref ? ref->name : "");
	printf("%-16s %9s %8s %9s %8s %8s %9s %8s %8s %7s %7s %7s %7s %6s\n",
	       "system", "major", "per ref", "elapsed s", "p50 us", "p99 us",
	       "fault p50", "in MiB", "out MiB", "x major", "x time",
	       "cpu/flt", "rcl/flt", "wrong");
	for (int i = 0; i < c->nsys; i++) {
		const struct system *s = &c->sys[i];
		const struct result *r = &s->res[b];

		if (!r->ok) {
			printf("%-16s %9s\n", s->name,
			       r->oom ? "oom-killed" : "failed");
			continue;
		}
		if (s->kind == SYS_SIM) {
			printf("%-16s %9ld %8.4f %9s %8s %8s %9s %8s %8s %7.2f %7s %7s %7s %6s\n",
			       s->name, r->majflt, ratio(r->majflt, c->wl.refs),
			       "-", "-", "-", "-", "-", "-",
			       ref && ref->res[b].ok ?
			       ratio(r->majflt, ref->res[b].majflt) : 0,
			       "-", "-", "-", "-");
			continue;
		}
		printf("%-16s %9ld %8.4f %9.3f %8.1f %8.1f %9.1f %8.1f %8.1f %7.2f %7.2f %7.1f %7.1f %6"
		       PRIu64 "\n", s->name, r->majflt, ratio(r->majflt, c->wl.refs),
		       r->elapsed, r->p50 * 1e6, r->p99 * 1e6,
		       r->fault_p50 * 1e6, r->swap_in * mib, r->swap_out * mib,
		       ref && ref->res[b].ok ? ratio(r->majflt, ref->res[b].majflt) : 0,
		       ref && ref->res[b].ok ? ratio(r->elapsed, ref->res[b].elapsed) : 0,
		       ratio(r->cpu * 1e6, r->majflt),
		       ratio(r->rcl_cpu * 1e6, r->majflt), r->mismatches);
	}
}

/* Hand what was measured to plot.c: the curve, the script, the PNGs. */
static int write_plots(const struct compare *c)
{
	struct plot_column cols[MAX_SYSTEMS];
	long majflt[MAX_SYSTEMS][MAX_BUDGETS];
	double mib[MAX_BUDGETS];
	double page_mib = (double)c->page_size / (1 << 20);
	struct plot p = {
		.prefix = c->plot,
		.workload = c->wl.name,
		.pages = c->wl.pages,
		.refs = c->wl.refs,
		.budget_mib = c->budget * page_mib,
		.budgets_mib = mib,
		.nbudgets = c->nbudgets,
		.cols = cols,
		.ncols = c->nsys,
	};

	for (int b = 0; b < c->nbudgets; b++)
		mib[b] = c->budgets[b] * page_mib;
	for (int i = 0; i < c->nsys; i++) {
		for (int b = 0; b < c->nbudgets; b++)
			majflt[i][b] = c->sys[i].res[b].ok ?
				       c->sys[i].res[b].majflt : -1;
		cols[i] = (struct plot_column){
			.name = c->sys[i].name,
			.series = c->sys[i].kind != SYS_SIM,
			.majflt = majflt[i],
		};
	}
	return plot_write(&p);
}

/**
 * struct cmd_row - one side of compare --cmd
 * @name: swaplab-POLICY or stock-lru/stock-mglru
 * @res: what running the command gave
 * @ran: it ran to its end
 * @oom: the memory cgroup's OOM killer ended it (stock)
 * @in: pages swapped in while it ran
 * @out: pages swapped out
 */
struct cmd_row {
	char name[48];
	struct child_result res;
	bool ran, oom;
	uint64_t in, out;
};

static void usage_cmd(FILE *f)
{
	fprintf(f,
		"usage: swaplab compare --cmd --budget SIZE [--policy NAME] [--swapfile PATH]\n"
		"                       [--stock-max SIZE] [--region-max SIZE] [--lib PATH]\n"
		"                       [--output DIR] -- COMMAND [ARG...]\n"
		"  Runs COMMAND twice: with its large allocations on " SWAPLAB_DEVICE "\n"
		"  (libswaplab-preload.so, frames = budget), and as it is on the stock\n"
		"  kernel in a memory cgroup (memory.max = budget, or --stock-max) with\n"
		"  swap; both outputs are checksummed (kept in DIR with --output).\n"
		"  Exits 1 if a side fails or the outputs differ.\n");
}

/* Empty the page cache, so that neither side starts with the other's. */
static void drop_page_cache(void)
{
	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
}

/* Run one side; @cgroup NULL for swaplab. 0, or -1 if it did not start. */
static int cmd_side(struct cmd_row *row, const struct child_spec *spec,
		    const char *outdir)
{
	char path[4096];
	struct child_spec s = *spec;
	uint64_t in0 = stock_vmstat("pswpin"), out0 = stock_vmstat("pswpout");
	long oom0 = s.cgroup ? stock_oom_kills() : -1;
	int err;

	s.out_fd = -1;
	if (outdir) {
		snprintf(path, sizeof(path), "%s/%s.out", outdir,
			 s.cgroup ? "stock" : "swaplab");
		s.out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				0644);
		if (s.out_fd < 0) {
			fprintf(stderr, "swaplab: compare: %s: %s\n", path,
				strerror(errno));
			return -1;
		}
	}
	drop_page_cache();
	err = child_run_command(&s, &row->res);
	if (s.out_fd >= 0)
		close(s.out_fd);
	if (err)
		return -1;
	row->ran = true;
	if (s.cgroup) {
		row->in = stock_vmstat("pswpin") - in0;
		row->out = stock_vmstat("pswpout") - out0;
		row->oom = WIFSIGNALED(row->res.status) &&
			   WTERMSIG(row->res.status) == SIGKILL && oom0 >= 0 &&
			   stock_oom_kills() > oom0;
	} else {
		row->in = stat_value(&row->res.after, "swap_ins") -
			  stat_value(&row->res.before, "swap_ins");
		row->out = stat_value(&row->res.after, "swap_outs") -
			   stat_value(&row->res.before, "swap_outs");
	}
	return 0;
}

static void print_cmd_table(struct cmd_row *rows, int n, char **argv,
			    uint64_t budget, uint64_t stock_max)
{
	double mib = sysconf(_SC_PAGESIZE) / 1048576.0;
	const struct cmd_row *ref = &rows[n - 1];

	printf("compare --cmd:");
	for (char **a = argv; *a; a++)
		printf(" %s", *a);
	printf("\nbudget %.1f MiB (swaplab frames), stock memory.max %.1f MiB; ratios against %s\n",
	       budget / 1048576.0, stock_max / 1048576.0, ref->name);
	printf("%-16s %9s %9s %9s %8s %8s %5s %12s %-16s %7s %7s\n",
	       "system", "elapsed s", "major", "minor", "in MiB", "out MiB",
	       "exit", "output bytes", "output fnv1a-64", "x time", "x major");
	for (int i = 0; i < n; i++) {
		const struct cmd_row *r = &rows[i];
		bool cmp = ref->ran && !ref->oom;

		if (!r->ran) {
			printf("%-16s %9s\n", r->name,
			       knobs_stop_signal() ? "stopped" : "failed");
			continue;
		}
		if (r->oom) {
			printf("%-16s %9.3f %9s\n", r->name, r->res.elapsed,
			       "oom-killed");
			continue;
		}
		printf("%-16s %9.3f %9ld %9ld %8.1f %8.1f %5d %12" PRIu64
		       " %016" PRIx64 " %7.2f %7.2f\n", r->name, r->res.elapsed,
		       r->res.ru.ru_majflt, r->res.ru.ru_minflt, r->in * mib,
		       r->out * mib, child_exit_code(r->res.status),
		       r->res.out_bytes, r->res.out_hash,
		       cmp ? ratio(r->res.elapsed, ref->res.elapsed) : 0,
		       cmp ? ratio(r->res.ru.ru_majflt, ref->res.ru.ru_majflt) : 0);
	}
}

/*
 * compare --cmd: the same command on swaplab, its large allocations
 * served by libswaplab-preload.so with frames = the budget, and on the
 * stock kernel as it is, in the memory cgroup with memory.max = the budget
 * (or --stock-max) and swap. Note the difference in what the budget
 * covers: swaplab's frames hold the served allocations only; memory.max
 * holds everything the command charges (its small allocations, stacks,
 * text and page cache too).
 */
static int compare_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "policy", required_argument, NULL, 'p' },
		{ "swapfile", required_argument, NULL, 'w' },
		{ "stock-max", required_argument, NULL, 'k' },
		{ "region-max", required_argument, NULL, 'r' },
		{ "lib", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t budget = 0, stock_max = 0, region_max = 64ull << 30, swap;
	const char *policy = NULL, *swapfile = NULL, *lib = NULL;
	const char *outdir = NULL;
	struct child_spec spec = { .capture = true };
	char *preload;
	struct cmd_row rows[2] = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	char val[32], lru_gen[32] = "";
	int opt, status = 0;
	bool bad = false;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bad |= parse_size(optarg, &budget) != 0;
			break;
		case 'p':
			policy = optarg;
			break;
		case 'w':
			swapfile = optarg;
			break;
		case 'k':
			bad |= parse_size(optarg, &stock_max) || !stock_max;
			break;
		case 'r':
			bad |= parse_size(optarg, &region_max) || !region_max;
			break;
		case 'l':
			lib = optarg;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'h':
			usage_cmd(stdout);
			return 0;
		default:
			bad = true;
		}
	}
	if (bad || budget < 16 * (uint64_t)page || optind >= argc) {
		usage_cmd(stderr);
		return 2;
	}
	spec.argv = argv + optind;
	if (!stock_max)
		stock_max = budget;
	if (access(SWAPLAB_DEVICE, F_OK)) {
		fprintf(stderr, "swaplab: compare: module not loaded\n");
		return 1;
	}
	preload = child_lib_path(lib);
	if (!preload)
		return 1;
	spec.preload = preload;
	read_file(STOCK_LRU_GEN, lru_gen, sizeof(lru_gen));

	knobs_save();
	knobs_catch_signals();
	if (knobs_set(budget / page, policy, region_max)) {
		restore();
		free(preload);
		return 1;
	}
	knob_read("policy", val, sizeof(val));
	snprintf(rows[0].name, sizeof(rows[0].name), "swaplab-%s", val);
	if (cmd_side(&rows[0], &spec, outdir))
		status = 1;

	snprintf(rows[1].name, sizeof(rows[1].name), "stock-%s",
		 strtoul(lru_gen, NULL, 0) ? "mglru" : "lru");
	swap = knob_ulong("swapfile_size");
	snprintf(val, sizeof(val), "%" PRIu64, stock_max);
	spec.preload = NULL;
	spec.cgroup = STOCK_CGROUP;
	if (!knobs_stop_signal() &&
	    (stock_cgroup() ||
	     stock_swap(swapfile, swap ? swap : 256 << 20, page) ||
	     write_file(STOCK_CGROUP "/memory.high", "max") ||
	     write_file(STOCK_CGROUP "/memory.max", val) ||
	     cmd_side(&rows[1], &spec, outdir)))
		status = 1;
	restore();

	print_cmd_table(rows, 2, spec.argv, budget, stock_max);
	for (int i = 0; i < 2; i++)
		if (!rows[i].ran || (!rows[i].oom && rows[i].res.status))
			status = 1;
	if (rows[0].ran && rows[1].ran && !rows[1].oom) {
		bool same = rows[0].res.out_bytes == rows[1].res.out_bytes &&
			    rows[0].res.out_hash == rows[1].res.out_hash;

		printf("output: %s\n", same ? "identical on both sides" :
		       "DIFFERS between the sides");
		if (!same)
			status = 1;
	}
	if (knobs_stop_signal()) {
		fprintf(stderr, "swaplab: compare: stopped by signal %d; machine restored\n",
			knobs_stop_signal());
		status = 1;
	}
	free(preload);
	return status;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option compare_opts[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' },
		{ "refs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'r' },
		{ "theta", required_argument, NULL, 't' },
		{ "policies", required_argument, NULL, 'p' },
		{ "stock", required_argument, NULL, 'k' },
		{ "swapfile", required_argument, NULL, 'w' },
		{ "curve", required_argument, NULL, 'c' },
		{ "plot", required_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'i' },
		{ "readonly", no_argument, NULL, 'R' },
		{ "readonly-files", no_argument, NULL, 'W' },
		{ "throughput", no_argument, NULL, 'T' },
		{ "stock-nolimit", no_argument, NULL, 'L' },
		{ "swappiness", required_argument, NULL, 'S' },
		{ "file-dir", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct option opts[ARRAY_SIZE(compare_opts) + TRACE_NR_OPTIONS];
	struct trace_spec spec = TRACE_SPEC_DEFAULT;
	char policies[256] = SWAPLAB_DEFAULT_POLICY ",aging,clock,fifo";
	char stock[64] = "lru,mglru";
	struct compare c = { .wl = { .seed = 1, .theta = 0.99 },
			     .interval_ms = 50, .swappiness = -1 };
	uint64_t budget = 0, size = 0;
	const char *swapfile = NULL, *trace = NULL;
	char *curve = NULL;
	int opt, status = 0;
	bool bad = false;

	if (argc > 1 && !strcmp(argv[1], "--cmd"))
		return compare_cmd(argc - 1, argv + 1);
	c.page_size = sysconf(_SC_PAGESIZE);
	trace_options(opts, compare_opts);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bad |= parse_size(optarg, &budget) != 0;
			break;
		case 's':
			bad |= parse_size(optarg, &size) != 0;
			break;
		case 'n':
			c.wl.refs = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			c.wl.seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			c.wl.theta = strtod(optarg, NULL);
			break;
		case 'p':
			snprintf(policies, sizeof(policies), "%s", optarg);
			break;
		case 'k':
			snprintf(stock, sizeof(stock), "%s", optarg);
			break;
		case 'w':
			swapfile = optarg;
			break;
		case 'c':
			curve = optarg;
			break;
		case 'o':
			c.plot = optarg;
			break;
		case 'i':
			c.interval_ms = strtoul(optarg, NULL, 0);
			break;
		case 'R':
			c.readonly = true;
			break;
		case 'W':
			c.readonly = true;
			c.write_anon = true;
			break;
		case 'T':
			c.throughput = true;
			break;
		case 'L':
			c.nolimit = true;
			break;
		case 'S': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			bad |= !*optarg || *end || *optarg == '-' ||
			       v > SWAPLAB_SWAPPINESS_MAX;
			c.swappiness = bad ? -1 : (int)v;
			break;
		}
		case 'F':
			c.file_dir = optarg;
			break;
		case 'h':
			usage_compare(stdout);
			return 0;
		default:
			bad |= trace_option(&spec, opt, optarg) != 0;
		}
	}
	if (optind == argc - 2 && !strcmp(argv[optind], "trace"))
		trace = argv[optind + 1];
	else if (optind != argc - 1)
		bad = true;
	/* The trace options go with a trace only, and with each other. */
	if (trace ? trace_spec_check(&spec) != 0 : spec.set != 0)
		bad = true;
	if (c.file_dir && !trace)
		bad = true;
	c.budget = budget / c.page_size;
	if (bad || !c.budget || !c.interval_ms) {
		usage_compare(stderr);
		return 2;
	}

	stock_lru_gen_save();
	c.budgets[c.nbudgets++] = c.budget;
	if (parse_systems(&c, policies, stock) ||
	    (curve && parse_curve(&c, curve))) {
		usage_compare(stderr);
		return 2;
	}

	if (trace) {
		if (trace_read(trace, &spec, &c.refs, &c.wl.refs,
			       &c.wl.pages, &c.kinds))
			return 1;
		c.wl.name = trace;
		for (unsigned long p = 0; c.kinds && p < c.wl.pages; p++)
			c.nfile += c.kinds[p] != TRACE_KIND_ANON;
	} else {
		int err;

		c.wl.name = argv[optind];
		c.wl.pages = size ? (size + c.page_size - 1) / c.page_size :
				    4 * c.budget;
		c.wl.refs = c.wl.refs ? c.wl.refs : 4 * c.wl.pages;
		err = workload_generate(&c.wl, &c.refs);
		if (err) {
			if (err == -EINVAL)
				usage_compare(stderr);
			else
				fprintf(stderr, "swaplab: %s\n", strerror(-err));
			return err == -EINVAL ? 2 : 1;
		}
	}

	c.distinct = sim_distinct(c.refs, c.wl.refs, c.wl.pages);
	knobs_catch_signals();
	for (int i = 0; i < c.nsys; i++) {
		if (c.sys[i].kind == SYS_SWAPLAB && access(SWAPLAB_DEVICE, F_OK)) {
			fprintf(stderr, "swaplab: compare: module not loaded\n");
			strmap_free(c.refs);
			free(c.kinds);
			return 1;
		}
		if (c.sys[i].kind == SYS_STOCK &&
		    (stock_cgroup() ||
		     stock_swap(swapfile, stock_swap_size(&c), c.page_size))) {
			restore();
			strmap_free(c.refs);
			free(c.kinds);
			return 1;
		}
		if (c.sys[i].kind == SYS_STOCK)
			break;
	}
	knobs_save();
	if (c.swappiness >= 0) {
		char v[16];
		int err;

		snprintf(v, sizeof(v), "%d", c.swappiness);
		err = access(SWAPLAB_DEVICE, F_OK) ? 0 : knob_write("swappiness", v);
		if (!err)
			err = stock_swappiness_set(c.swappiness);
		if (err) {
			fprintf(stderr, "swaplab: compare: swappiness %s: %s\n",
				v, strerror(-err));
			restore();
			strmap_free(c.refs);
			free(c.kinds);
			return 1;
		}
	}

	printf("compare %s: %lu pages (%.1f MiB), %zu references, seed %" PRIu64 "\n",
	       c.wl.name, c.wl.pages, c.wl.pages * (double)c.page_size / (1 << 20),
	       c.wl.refs, c.wl.seed);
	if (c.nfile || c.swappiness >= 0) {
		char sw[16] = "?", vm[16] = "?";

		knob_read("swappiness", sw, sizeof(sw));
		read_file(STOCK_SWAPPINESS, vm, sizeof(vm));
		vm[strcspn(vm, "\n")] = '\0';
		printf("  pages of files: %lu of %lu (the stock side's in its page cache, no readahead); swappiness: swaplab %s, stock %s\n",
		       c.nfile, c.wl.pages, sw, vm);
	}
	print_readahead();
	for (int b = 0; b < c.nbudgets && !knobs_stop_signal(); b++) {
		struct sim_config cfg = {
			.frames = c.budgets[b], .batch = 1, .kinds = c.kinds,
			.swappiness = c.swappiness >= 0 ? c.swappiness :
				      SWAPLAB_SWAPPINESS_DEFAULT,
		};

		for (int i = 0; i < c.nsys && !knobs_stop_signal(); i++) {
			struct system *s = &c.sys[i];

			c.series = NULL;
			if (s->kind == SYS_SIM) {
				long f = sim_run(s->setting, c.refs, c.wl.refs,
						 c.wl.pages, &cfg);

				/*
				 * Major faults only, as the kernel counts: a
				 * first touch of an anonymous page is a minor
				 * fault, unless --readonly wrote every page
				 * beforehand; a file's page is read at its
				 * first touch.
				 */
				s->res[b].ok = f >= 0;
				s->res[b].majflt = c.readonly ? f :
						   f - (long)(c.distinct - c.nfile);
				continue;
			}
			if (c.plot && b == 0)
				c.series = plot_series_open(c.plot, s->name);
			if (run_one(&c, s, c.budgets[b], &s->res[b]))
				status = 1;
			else
				s->res[b].ok = !s->res[b].oom;
			if (s->res[b].mismatches)
				status = 1;
			if (c.series)
				fclose(c.series);
		}
		if (!knobs_stop_signal())
			print_table(&c, b);
	}
	restore();
	if (knobs_stop_signal()) {
		fprintf(stderr, "swaplab: compare: stopped by signal %d; machine restored\n",
			knobs_stop_signal());
		strmap_free(c.refs);
		free(c.kinds);
		return 1;
	}
	if (c.plot && write_plots(&c))
		status = 1;
	strmap_free(c.refs);
	free(c.kinds);
	return status;
}
