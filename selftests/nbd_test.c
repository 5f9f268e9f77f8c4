// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab over the network block device: the store is /dev/nbd0,
 * attached by Debian's nbd-client to an nbd-server that this test runs
 * on the loopback address, exporting a file on the scratch disk. The
 * server forks a process for each connection, as it does by default;
 * "the server" below is the process that serves the device's connection,
 * which the tests kill or stop (SIGSTOP), and a new connection gets a new
 * one, on the same file. The listening server is started once, for all
 * the tests: it makes its TLS parameters when it starts, which takes 1
 * to 40 s under TCG.
 *
 *  - round_trip: pages go out through nbd and come back intact, seen in
 *    the nbd device's own I/O counters;
 *  - server_killed: the server dies; faults on pages only the store held
 *    get SIGBUS at once, resident pages still read and write, nothing
 *    hangs; a new server process on the same file and `swaplab nbd
 *    reconnect` bring every page back, those that got SIGBUS included;
 *  - server_stalled: the server is stopped (SIGSTOP); a fault on a page
 *    it holds gets SIGBUS within the nbd timeout, while faults on
 *    resident pages go on meanwhile; after it is resumed, a new
 *    connection brings every page back;
 *  - stalled_fault_holds_up_no_thread: the same stall in one thread of
 *    a process while another thread faults on a resident page (at once)
 *    and takes the mmap lock for writing (within the nbd timeout);
 *  - pageout_fails_while_server_dead: with the server dead, page-outs
 *    fail; the pages stay resident and dirty, a program that needs
 *    frames gets SIGBUS instead of waiting, and once the server is back
 *    every page holds what was last written to it;
 *  - bad_reconnects_change_nothing: a reconnect to a missing export, to
 *    no server, or of a live connection fails and the store still pages;
 *  - watch_reconnects_by_itself: `swaplab nbd watch` reconnects when the
 *    server can serve the export again, with nobody asking;
 *  - stalled_writeback_holds_up_no_release: with the compressed tier
 *    on, a write-back of the pool's oldest pages waits for a stopped
 *    server while the region they belong to is released, at once; when
 *    the server resumes, the write-back finds them gone and gives its
 *    slots back.
 *
 * Run as root with the module loaded (swaplab.sh), nbd-server and
 * swaplab on PATH, and the kernel's nbd module loaded.
 * SWAPLAB_NBD_DIR: where the exported file, the server's configuration
 * and its pid file go (default /var/tmp).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "swaplab_util.h"

#define BUDGET		256
#define NPAGES		(4 * BUDGET)
/* The stall tests' pages, each read on its own (no readahead). */
#define STALL_PAGES	(2 * BUDGET)
#define NBD_DEV		"/dev/nbd0"
#define NBD_PORT	"10809"
#define NBD_EXPORT	"swaplab"
/* The same file exported under another name, and a name not exported. */
#define NBD_EXPORT2	"other"
#define NBD_MISSING	"missing"
/*
 * The same file once more, through a link that watch_reconnects_by_itself
 * makes: until then the server fails to open it, and closes the
 * connection of whoever asks.
 */
#define NBD_LATER	"later"
#define NBD_BYTES	(32 << 20)
/* nbd's request timeout, given to nbd-client (-t), in seconds. */
#define NBD_TIMEOUT	4
/* How much later than the timeout a SIGBUS may come (TCG, a busy host). */
#define NBD_SLACK	6

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run a shell command quietly; its exit status, or -1. */
static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Reads and writes completed by the nbd device (its block stat). */
static int nbd_ios(long long *rd, long long *wr)
{
	char buf[256];
	long long v[5];
	int fd = open("/sys/block/nbd0/stat", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%lld %lld %lld %lld %lld", &v[0], &v[1], &v[2],
		   &v[3], &v[4]) != 5)
		return -1;
	*rd = v[0];
	*wr = v[4];
	return 0;
}

FIXTURE(nbd) {
	char dir[200];
	char file[256];
	char later[256];
	char conf[256];
	char pidfile[256];
	char frames[32];
	struct saved_store store;
	bool stored;
	char compress[64];
	char pool_max[32];
	char policy[32];
	char readahead[16];
	bool tier;
	pid_t child[2];
	pid_t server;
	int fd;
	uint8_t *map;
};

/* Where the exported file, the server's configuration and pid file go. */
static void nbd_dir(char *dir, size_t size)
{
	const char *env = getenv("SWAPLAB_NBD_DIR");
	/* Absolute: the server works from / once it is a daemon. */
	char *real = realpath(env ? env : "/var/tmp", NULL);

	snprintf(dir, size, "%s", real ? real : env ? env : "/var/tmp");
	free(real);
}

/*
 * Is the server listening? (/proc/net/tcp, not a connection: that would
 * cost the server a process.)
 */
static bool port_open(const char *port)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/net/tcp", "r");
	bool found = false;

	if (!f)
		return false;
	/* 127.0.0.1, the port, in the kernel's hex; state 0A is LISTEN. */
	snprintf(want, sizeof(want), "0100007F:%04X 00000000:0000 0A",
		 atoi(port));
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want);
	fclose(f);
	return found;
}

/*
 * Process @pid: 'R', 'S', 'T'... as /proc says, or 0 once it is gone. A
 * zombie left with no thread running is gone: its sockets are closed.
 * @ppid, if not NULL, gets its parent.
 */
static char proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], line[256], state = 0;
	int threads = 0, parent = 0, found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (found < 3 && fgets(line, sizeof(line), f))
		found += sscanf(line, "State: %c", &state) == 1 ||
			 sscanf(line, "PPid: %d", &parent) == 1 ||
			 sscanf(line, "Threads: %d", &threads) == 1;
	fclose(f);
	if (ppid)
		*ppid = parent;
	return (state == 'Z' && threads <= 1) || state == 'X' ? 0 : state;
}

/* Wait up to five seconds for every process of @pids to be gone. */
static void procs_wait_gone(const pid_t *pids, int n)
{
	for (int i = 0, t = 0; i < n && t < 500; t++) {
		while (i < n && !proc_state(pids[i], NULL))
			i++;
		if (i < n)
			usleep(10000);
	}
}

/* The nbd-server that @pidfile names, if it runs; else -1. */
static pid_t server_pid(const char *pidfile)
{
	char path[64], comm[32] = "";
	FILE *f = fopen(pidfile, "r");
	int pid = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &pid) != 1 || pid <= 0)
		pid = -1;
	fclose(f);
	if (pid < 0 || !proc_state(pid, NULL))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return strcmp(comm, "nbd-server\n") ? -1 : pid;
}

/*
 * Send @sig to each process that @server forked to serve a connection;
 * how many there were (up to @max), their pids in @pids.
 */
static int server_signal(pid_t server, int sig, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && n < max && (e = readdir(d))) {
		pid_t pid = atoi(e->d_name), ppid = 0;

		if (pid > 0 && proc_state(pid, &ppid) && ppid == server) {
			kill(pid, sig);
			pids[n++] = pid;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * The server's end of the device's connection dies: the processes that
 * serve connections are killed, and are gone on return. The server
 * itself stays, listening: a new connection gets a new process, on the
 * same file.
 */
static void server_kill(pid_t server)
{
	pid_t pids[16];
	int n;

	if (server <= 0)
		return;
	/* Stopped ones too: SIGKILL needs no SIGCONT. */
	n = server_signal(server, SIGKILL, pids, 16);
	procs_wait_gone(pids, n);
}

/*
 * The server and all it serves die. It is stopped first, so that it
 * forks no new process meanwhile.
 */
static void server_stop(pid_t server)
{
	if (server <= 0)
		return;
	kill(server, SIGSTOP);
	server_kill(server);
	kill(server, SIGKILL);
	procs_wait_gone(&server, 1);
}

/*
 * Does a connection to the server on @port get its greeting within
 * @seconds? The process it forks for the connection ends as it closes.
 */
static bool server_answers(const char *port, int seconds)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(atoi(port)),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { .tv_sec = seconds };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char magic[8];
	bool ok;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ok = !connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	     recv(fd, magic, sizeof(magic), MSG_WAITALL) == sizeof(magic) &&
	     !memcmp(magic, "NBDMAGIC", sizeof(magic));
	close(fd);
	return ok;
}

/*
 * Start nbd-server on @conf: it becomes a daemon, writes @pidfile,
 * listens on @port, makes its TLS parameters, and only then answers. Its
 * pid once it answers, or -1.
 */
static pid_t server_start(const char *conf, const char *port,
			  const char *pidfile)
{
	pid_t pid, server = -1;
	int status;

	unlink(pidfile);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		execlp("nbd-server", "nbd-server", "-C", conf, "-p", pidfile,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	for (int i = 0; server < 0 && i < 100; i++) {
		usleep(50000);
		if (port_open(port))
			server = server_pid(pidfile);
	}
	/* Under TCG, on a host busy with other guests: up to two minutes. */
	if (server > 0 && server_answers(port, 120) &&
	    server_pid(pidfile) == server)
		return server;
	server_stop(server);
	return -1;
}

/*
 * The server, shared by the tests: the one a test before left running,
 * if it answers, or a new one. Each test's process is a new one: the
 * server is a daemon, found by its pid file.
 */
static pid_t server_get(const char *conf, const char *pidfile)
{
	pid_t server = server_pid(pidfile);

	if (server > 0 && port_open(NBD_PORT) &&
	    server_answers(NBD_PORT, 30))
		return server;
	server_stop(server);
	return server_start(conf, NBD_PORT, pidfile);
}

/*
 * At the program's start and end: no server left running, and no
 * exported file (the first test's is blank).
 */
static void nbd_cleanup(void)
{
	char dir[200], path[256];

	nbd_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/swaplab-nbd.pid", dir);
	server_stop(server_pid(path));
	unlink(path);
	snprintf(path, sizeof(path), "%s/swaplab-nbd.img", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/swaplab-nbd-later.img", dir);
	unlink(path);
}

FIXTURE_SETUP(nbd)
{
	FILE *f;
	int fd;

	page_size = sysconf(_SC_PAGESIZE);
	self->fd = -1;
	self->server = -1;
	self->map = MAP_FAILED;
	self->stored = false;
	self->tier = false;
	self->readahead[0] = '\0';
	self->child[0] = -1;
	self->child[1] = -1;
	if (access(SWAPLAB_DEVICE, F_OK))
		SKIP(return, "%s missing: module not loaded", SWAPLAB_DEVICE);
	if (access(NBD_DEV, F_OK))
		SKIP(return, "%s missing: the nbd module is not loaded", NBD_DEV);
	if (run("{ command -v nbd-server && command -v nbd-client &&\n"
		"command -v swaplab; } >/dev/null"))
		SKIP(return, "nbd-server, nbd-client or swaplab not on PATH");
	nbd_dir(self->dir, sizeof(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/swaplab-nbd.img",
		 self->dir);
	snprintf(self->later, sizeof(self->later), "%s/swaplab-nbd-later.img",
		 self->dir);
	snprintf(self->conf, sizeof(self->conf), "%s/swaplab-nbd.conf",
		 self->dir);
	snprintf(self->pidfile, sizeof(self->pidfile), "%s/swaplab-nbd.pid",
		 self->dir);
	/*
	 * A blank file for the first test: the store writes its header on a
	 * blank device. The tests after find it: a device is blank if its
	 * first MiB reads as zeroes, a page at a time, a second under TCG.
	 */
	fd = open(self->file, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, NBD_BYTES));
	close(fd);
	/* The device's export, another of the same file, and the later one. */
	f = fopen(self->conf, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "[generic]\nlistenaddr = 127.0.0.1\nport = %s\n", NBD_PORT);
	fprintf(f, "[%s]\nexportname = %s\n[%s]\nexportname = %s\n",
		NBD_EXPORT, self->file, NBD_EXPORT2, self->file);
	fprintf(f, "[%s]\nexportname = %s\n", NBD_LATER, self->later);
	fclose(f);
	run("ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up");
	self->server = server_get(self->conf, self->pidfile);
	ASSERT_LT(0, self->server);
	ASSERT_EQ(0, run("nbd-client 127.0.0.1 %s %s -N %s -b 4096 -t %d >/dev/null 2>&1",
			 NBD_PORT, NBD_DEV, NBD_EXPORT, NBD_TIMEOUT));
	ASSERT_EQ(0, read_knob("frames", self->frames, sizeof(self->frames)));
	ASSERT_EQ(0, read_knob("readahead", self->readahead,
			       sizeof(self->readahead)));
	ASSERT_EQ(0, save_store(&self->store));
	self->stored = true;
	wait_stat("regions", 0);
	if (self->store.path[0])
		ASSERT_EQ(0, write_knob("swapfile", "none"));
	ASSERT_EQ(0, write_knob("swapfile", NBD_DEV));
	ASSERT_EQ(0, write_knob("frames", "256"));
	/* Not for the programs run later: they would hold the region. */
	self->fd = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->map = mmap(NULL, NPAGES * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(nbd)
{
	/* A test that stopped early leaves its children holding regions. */
	for (int i = 0; i < 2; i++) {
		if (self->child[i] > 0) {
			kill(self->child[i], SIGKILL);
			waitpid(self->child[i], NULL, 0);
		}
	}
	if (self->map != MAP_FAILED)
		munmap(self->map, NPAGES * page_size);
	if (self->fd >= 0)
		close(self->fd);
	if (self->readahead[0])
		write_knob("readahead", self->readahead);
	if (self->tier) {
		write_knob("compress", self->compress);
		write_knob("compress_pool_max", self->pool_max);
		write_knob("policy", self->policy);
	}
	if (self->stored) {
		int err;

		/*
		 * With its region gone, the store comes off nbd0: the region
		 * is freed by the page daemon if it was writing at the close,
		 * and its slots a moment after it leaves the count.
		 */
		for (int i = 0; i < 10 && (wait_stat("regions", 0) ||
					   wait_stat("swap_slots_used", 0)); i++)
			;
		err = restore_store(&self->store);
		if (err)
			fprintf(stderr, "# nbd: the store was not put back: %s (regions %lld, slots %lld)\n",
				strerror(-err), read_stat("regions"),
				read_stat("swap_slots_used"));
		write_knob("frames", self->frames);
	}
	run("nbd-client -d %s >/dev/null 2>&1", NBD_DEV);
	/* The server and its file stay for the next test; main() ends them. */
	server_kill(self->server);
	unlink(self->later);
	unlink(self->conf);
}

/*
 * Fill the first @n pages, then read them all once more in order, so
 * that the pages out on the store are clean copies of what is resident
 * or not: after it the last BUDGET-odd pages are resident and clean, the
 * rest only on the store.
 */
static void nbd_fill(struct __test_metadata *_metadata, uint8_t *map,
		     size_t n, uint64_t seed)
{
	fill_pages(map, 0, n, seed);
	ASSERT_EQ(0, check_pages(map, 0, n, seed, 0));
}

/* Is region page @p resident (mincore)? */
static bool resident(uint8_t *map, size_t p)
{
	unsigned char v = 0;

	return !mincore(PAGE_AT(map, p), page_size, &v) && (v & 1);
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * In a child (the parent's PTEs stay as they were): read pages
 * [first, first + n) of @map, each checked against the pattern. The
 * child's report, through @pipefd: pages that got SIGBUS, pages read
 * wrong, and the longest a fault took until its SIGBUS, in ms; and the
 * pages tried.
 */
struct probe {
	long sigbus;
	long bad;
	long slowest_ms;
	long pages;
	long done;
};

/* The child's place and tally in probe_pages(), kept over siglongjmp(). */
static size_t probe_at;
static double probe_t0;
static struct probe tally;

/*
 * The parent's side: the child @pid's report of @size bytes through
 * @pipefd into @out, and its end: 0, or -1 unless all came and the child
 * exited 0.
 */
static int child_report(pid_t pid, int pipefd[2], void *out, size_t size)
{
	int status;

	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], out, size) != (ssize_t)size) {
		close(pipefd[0]);
		return -1;
	}
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

/*
 * The child's side: each page of [first, first + n) of @map read and
 * checked against @seed, or written with it if @fill, counting SIGBUS,
 * until @max_sigbus of them if not 0; then the report, on @fd, and the
 * child's exit.
 */
static void probe_child(uint8_t *map, size_t first, size_t n, uint64_t seed,
			bool fill, long max_sigbus, int fd)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGBUS, &sa, NULL);
	memset(&tally, 0, sizeof(tally));
	for (probe_at = 0; probe_at < n &&
	     (!max_sigbus || tally.sigbus < max_sigbus); probe_at++) {
		uint8_t *page = PAGE_AT(map, first + probe_at);

		probe_t0 = now_s();
		if (sigsetjmp(bus_jmp, 1)) {
			long ms = (now_s() - probe_t0) * 1000;

			tally.sigbus++;
			if (ms > tally.slowest_ms)
				tally.slowest_ms = ms;
			continue;
		}
		if (fill)
			fill_pages(page, first + probe_at, 1, seed);
		else
			tally.bad += !!check_pages(page, first + probe_at, 1,
						   seed, 0);
	}
	tally.pages = probe_at;
	tally.done = 1;
	_exit(write(fd, &tally, sizeof(tally)) != sizeof(tally));
}

static int probe_pages(uint8_t *map, size_t first, size_t n, uint64_t seed,
		       struct probe *out)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0)
		probe_child(map, first, n, seed, false, 0, pipefd[1]);
	return child_report(pid, pipefd, out, sizeof(*out));
}

/*
 * Reads, or writes, the nbd device has in flight (its inflight file); -1
 * if unread.
 */
static long nbd_in_flight(bool writes)
{
	long rd, wr;
	FILE *f = fopen("/sys/block/nbd0/inflight", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%ld %ld", &rd, &wr);
	fclose(f);
	return n != 2 ? -1 : writes ? wr : rd;
}

/*
 * Wait, up to the nbd timeout, for a read to be in flight: a fault that
 * waits for the stopped server.
 */
static void nbd_wait_read(void)
{
	double t0 = now_s();

	while (nbd_in_flight(false) <= 0 && now_s() - t0 < NBD_TIMEOUT)
		usleep(10000);
}

/*
 * In a child: map a new region of @n pages and write each once, as a
 * program that needs frames does, until @max_sigbus faults got SIGBUS.
 * The report as probe_pages() gives it.
 */
static int touch_new_pages(size_t n, long max_sigbus, struct probe *out)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		uint8_t *map = MAP_FAILED;
		int fd = open(SWAPLAB_DEVICE, O_RDWR);

		if (fd >= 0)
			map = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			_exit(1);
		probe_child(map, 0, n, 9, true, max_sigbus, pipefd[1]);
	}
	return child_report(pid, pipefd, out, sizeof(*out));
}

/*
 * A new connection for the device, served by a new process of the server
 * on the same file: the one that served the old one, if any is left
 * (stopped), is killed first. A handshake can take over the client's
 * 30 s on a host busy with other guests: it tries for a minute.
 */
static int nbd_recover(struct _test_data_nbd *self)
{
	server_kill(self->server);
	return run("swaplab nbd reconnect 127.0.0.1 %s %s %s --wait 60",
		   NBD_PORT, NBD_EXPORT, NBD_DEV) ? -1 : 0;
}

TEST_F_TIMEOUT(nbd, round_trip, 300)
{
	long long rd0, wr0, rd1, wr1, maj0;

	ASSERT_EQ(0, nbd_ios(&rd0, &wr0));
	maj0 = read_stat("major_faults");
	nbd_fill(_metadata, self->map, NPAGES, 1);
	ASSERT_EQ(0, check_pages(self->map, 0, NPAGES, 1, 1));
	ASSERT_EQ(0, nbd_ios(&rd1, &wr1));
	TH_LOG("%lld major faults; nbd0: %lld reads, %lld writes",
	       read_stat("major_faults") - maj0, rd1 - rd0, wr1 - wr0);
	EXPECT_LT(BUDGET, read_stat("major_faults") - maj0);
	/* The pages went through nbd, not somewhere else. */
	EXPECT_LT(0, wr1 - wr0);
	EXPECT_LT(0, rd1 - rd0);
}

TEST_F_TIMEOUT(nbd, server_killed, 300)
{
	long long err0 = read_stat("io_errors");
	size_t out = 0, in = 0, p;
	struct probe r;
	double t0;

	nbd_fill(_metadata, self->map, NPAGES, 2);
	for (p = 0; p < NPAGES; p++)
		resident(self->map, p) ? in++ : out++;
	ASSERT_LT(0, out);
	ASSERT_LT(0, in);
	server_kill(self->server);

	/* Every page: the store's get SIGBUS at once, the others read. */
	t0 = now_s();
	ASSERT_EQ(0, probe_pages(self->map, 0, NPAGES, 2, &r));
	TH_LOG("server dead: %zu pages out, %zu resident: %ld SIGBUS (slowest %ld ms), %ld read wrong, %.1f s in all",
	       out, in, r.sigbus, r.slowest_ms, r.bad, now_s() - t0);
	EXPECT_LT(0, r.sigbus);
	EXPECT_EQ(0, r.bad);
	EXPECT_GE((NBD_TIMEOUT + NBD_SLACK) * 1000, r.slowest_ms);
	EXPECT_LT(err0, read_stat("io_errors"));

	/* The resident pages take new writes; nothing waits for nbd. */
	for (p = 0; p < NPAGES; p++)
		if (resident(self->map, p))
			fill_pages(PAGE_AT(self->map, p), p, 1, 3);

	/* The server comes back: every page is there, written or not. */
	ASSERT_EQ(0, nbd_recover(self));
	for (p = 0; p < NPAGES; p++) {
		uint64_t want = 2;
		const uint64_t *w = (const uint64_t *)PAGE_AT(self->map, p);

		/* Which seed the page holds: its first word tells. */
		if (w[0] == pattern(p, 0, 3))
			want = 3;
		EXPECT_EQ(0, check_pages(PAGE_AT(self->map, p), p, 1, want,
					 0));
	}
}

/*
 * The start of both stall tests: the first STALL_PAGES pages filled with
 * seed 4 (demand paging only: a page read ahead is in a frame but not
 * mapped, and would pass for a page out in the store; each page is a
 * read, so only twice the budget), the first page out in @out and the
 * first resident one in @in, that one pinned through @pin (the stalled
 * fault's frame must come from another page), and the server stopped.
 * 0, or -1 with the failure reported.
 */
static int stall_server(struct __test_metadata *_metadata,
			FIXTURE_DATA(nbd) *self, size_t *out, size_t *in,
			struct swaplab_range *pin)
{
	pid_t stopped[16];
	size_t p;

	*out = *in = STALL_PAGES;
	EXPECT_EQ(0, write_knob("readahead", "0"))
		return -1;
	nbd_fill(_metadata, self->map, STALL_PAGES, 4);
	for (p = 0; p < STALL_PAGES; p++) {
		if (resident(self->map, p)) {
			if (*in == STALL_PAGES)
				*in = p;
		} else if (*out == STALL_PAGES) {
			*out = p;
		}
	}
	EXPECT_GT(STALL_PAGES, *out)
		return -1;
	EXPECT_GT(STALL_PAGES, *in)
		return -1;
	pin->offset = *in * page_size;
	pin->length = page_size;
	EXPECT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_PIN, pin))
		return -1;
	EXPECT_LT(0, server_signal(self->server, SIGSTOP, stopped, 16))
		return -1;
	return 0;
}

/*
 * The end of both stall tests, on a new connection: words wrong in the
 * pages that stall_server() filled, read with the readahead as it was
 * (fewer requests; demand paging is for the stall), or -1 if it cannot
 * be put back.
 */
static long stall_check(struct _test_data_nbd *self)
{
	if (write_knob("readahead", self->readahead))
		return -1;
	return check_pages(self->map, 0, STALL_PAGES, 4, 0);
}

TEST_F_TIMEOUT(nbd, server_stalled, 300)
{
	size_t first_out, first_in;
	struct swaplab_range pin;
	struct probe stalled, res;
	double t0, took;
	pid_t pid;
	int pipefd[2];

	ASSERT_EQ(0, stall_server(_metadata, self, &first_out, &first_in,
				  &pin));

	/*
	 * One fault on a page the stopped server holds, in a child, while
	 * the parent reads a resident page from another child: that one
	 * must not wait for nbd.
	 */
	ASSERT_EQ(0, pipe(pipefd));
	t0 = now_s();
	pid = fork();
	if (pid == 0) {
		struct probe r;

		close(pipefd[0]);
		_exit(probe_pages(self->map, first_out, 1, 4, &r) ||
		      write(pipefd[1], &r, sizeof(r)) != sizeof(r));
	}
	ASSERT_LT(0, pid);
	/* Not held open in the probe's own child below. */
	close(pipefd[1]);
	pipefd[1] = -1;
	nbd_wait_read();
	ASSERT_EQ(0, probe_pages(self->map, first_in, 1, 4, &res));
	took = now_s() - t0;
	EXPECT_EQ(0, res.sigbus);
	EXPECT_EQ(0, res.bad);
	EXPECT_GT(NBD_TIMEOUT, took);
	ASSERT_EQ(0, child_report(pid, pipefd, &stalled, sizeof(stalled)));
	TH_LOG("server stopped: the fault on page %zu got %ld SIGBUS after %ld ms; a resident page read meanwhile",
	       first_out, stalled.sigbus, stalled.slowest_ms);
	EXPECT_EQ(1, stalled.sigbus);
	EXPECT_LE((NBD_TIMEOUT - 1) * 1000, stalled.slowest_ms);
	EXPECT_GE((NBD_TIMEOUT + NBD_SLACK) * 1000, stalled.slowest_ms);

	/* Resumed, and its connection given up: a new one, every page. */
	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_UNPIN, &pin));
	ASSERT_EQ(0, nbd_recover(self));
	EXPECT_EQ(0, stall_check(self));
}

/* Thread A's side of a stalled fault, and thread B's, in one process. */
struct stall_report {
	long a_sigbus;
	long a_bad;		/* words wrong, had A's read returned */
	long a_ms;
	long b_read_ms;
	long b_faults;		/* B's minor faults on its read */
	long b_bad;
	long b_map_ms;
	long a_waiting;		/* A still in its fault when B's read ended */
	long done;
};

static __thread sigjmp_buf thread_jmp;
static uint8_t *stall_map;
static size_t stall_page;
static int stall_a_done;	/* __atomic: A sets it, B reads it */
static struct stall_report stall;

static void on_thread_sigbus(int sig)
{
	siglongjmp(thread_jmp, 1);
}

/* Thread A: a read of the page the stopped server holds. */
static void *stall_thread(void *arg)
{
	double t0 = now_s();

	/* Kept, or the compiler may drop a read whose result is unused. */
	if (sigsetjmp(thread_jmp, 1))
		stall.a_sigbus++;
	else
		stall.a_bad = check_pages(PAGE_AT(stall_map, stall_page),
					  stall_page, 1, 4, 0);
	stall.a_ms = (now_s() - t0) * 1000;
	__atomic_store_n(&stall_a_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The child process: thread A faults on page @out, which only the
 * stopped server holds; once its read is in flight, thread B, the same
 * process and the same mm, reads page @in (resident, pinned, not yet mapped in
 * this child: a minor fault of its own) and then maps, writes and
 * unmaps an anonymous page, which takes the mm's mmap lock for writing.
 */
static void stall_child(uint8_t *map, size_t out, size_t in, int fd)
{
	struct sigaction sa = { .sa_handler = on_thread_sigbus };
	struct rusage ru;
	pthread_t a;
	uint8_t *anon;
	double t0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigaction(SIGBUS, &sa, NULL);
	/* Copied at fork in a VM_MIXEDMAP mapping (fault_around=1). */
	if (madvise(PAGE_AT(map, in), page_size, MADV_DONTNEED))
		_exit(1);
	stall_map = map;
	stall_page = out;
	if (pthread_create(&a, NULL, stall_thread, NULL))
		_exit(1);
	nbd_wait_read();
	getrusage(RUSAGE_THREAD, &ru);
	stall.b_faults = -ru.ru_minflt;
	t0 = now_s();
	if (sigsetjmp(thread_jmp, 1))
		stall.b_bad = -1;
	else
		stall.b_bad = check_pages(PAGE_AT(map, in), in, 1, 4, 0);
	stall.b_read_ms = (now_s() - t0) * 1000;
	getrusage(RUSAGE_THREAD, &ru);
	stall.b_faults += ru.ru_minflt;
	stall.a_waiting = !__atomic_load_n(&stall_a_done, __ATOMIC_ACQUIRE);
	t0 = now_s();
	anon = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		_exit(1);
	anon[0] = 1;
	munmap(anon, page_size);
	stall.b_map_ms = (now_s() - t0) * 1000;
	pthread_join(a, NULL);
	stall.done = 1;
	_exit(write(fd, &stall, sizeof(stall)) != sizeof(stall));
}

/*
 * A stalled fault holds up no other thread of its process on a page it
 * does not need: with the server stopped, one thread's fault on a page
 * the server holds waits out the nbd timeout and gets SIGBUS, while a
 * second thread's fault on a resident page returns at once, and its
 * mmap() and munmap() (the mmap lock for writing) finish within the nbd
 * timeout: nothing hangs. How long the latter waits is logged: the
 * fault holds the fault lock across its read (the mmap lock, or on 6.12
 * the VMA's own lock), so a writer of the mmap lock may wait for it.
 */
TEST_F_TIMEOUT(nbd, stalled_fault_holds_up_no_thread, 300)
{
	size_t first_out, first_in;
	struct stall_report r;
	struct swaplab_range pin;
	int pipefd[2];
	pid_t pid;

	ASSERT_EQ(0, stall_server(_metadata, self, &first_out, &first_in,
				  &pin));

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		stall_child(self->map, first_out, first_in, pipefd[1]);
	}
	memset(&r, 0, sizeof(r));
	EXPECT_EQ(0, child_report(pid, pipefd, &r, sizeof(r)));
	TH_LOG("server stopped: thread A's fault on page %zu got %ld SIGBUS after %ld ms; thread B read resident page %zu in %ld ms with %ld fault(s) (A %s waiting), then mmap+munmap took %ld ms",
	       first_out, r.a_sigbus, r.a_ms, first_in, r.b_read_ms,
	       r.b_faults, r.a_waiting ? "still" : "no longer", r.b_map_ms);
	EXPECT_EQ(1, r.done);
	EXPECT_EQ(1, r.a_sigbus);
	EXPECT_LE((NBD_TIMEOUT - 1) * 1000, r.a_ms);
	EXPECT_GE((NBD_TIMEOUT + NBD_SLACK) * 1000, r.a_ms);
	/* B ran while A waited, and its fault did not wait for A's. */
	EXPECT_EQ(1, r.a_waiting);
	EXPECT_EQ(0, r.b_bad);
	EXPECT_LE(1, r.b_faults);
	EXPECT_GT(1000, r.b_read_ms);
	EXPECT_GE((NBD_TIMEOUT + NBD_SLACK) * 1000, r.b_map_ms);

	ASSERT_EQ(0, ioctl(self->fd, SWAPLAB_IOC_UNPIN, &pin));
	ASSERT_EQ(0, nbd_recover(self));
	EXPECT_EQ(0, stall_check(self));
}

/*
 * A page-out that fails keeps its page. With the server dead, every
 * resident page is written, so that none can be dropped clean, and a
 * program that needs frames makes reclaim write them: every write fails,
 * the pages stay resident and dirty, and the program's faults get
 * SIGBUS (no frame can be freed) instead of waiting. Once the server is
 * back, every page holds what was last written to it, and page-outs
 * work again.
 */
TEST_F_TIMEOUT(nbd, pageout_fails_while_server_dead, 300)
{
	long long err0, outs0;
	size_t in = 0, dirty = 0, p;
	struct probe r;
	double t0;

	nbd_fill(_metadata, self->map, NPAGES, 6);
	server_kill(self->server);
	err0 = read_stat("io_errors");
	for (p = 0; p < NPAGES; p++) {
		if (resident(self->map, p)) {
			fill_pages(PAGE_AT(self->map, p), p, 1, 7);
			in++;
		}
	}
	ASSERT_LT(0, in);
	t0 = now_s();
	/*
	 * The free frames above the low watermark, then none: each fault
	 * then waits for the page daemon to give up (a quarter of a second
	 * under TCG), and gets SIGBUS; a few of them are enough.
	 */
	ASSERT_EQ(0, touch_new_pages(BUDGET / 4, 8, &r));
	TH_LOG("server dead, %zu resident pages written: a new region's first %ld pages got %ld SIGBUS (slowest %ld ms) in %.1f s; %lld I/O errors",
	       in, r.pages, r.sigbus, r.slowest_ms, now_s() - t0,
	       read_stat("io_errors") - err0);
	EXPECT_LT(0, r.sigbus);
	EXPECT_LT(err0, read_stat("io_errors"));
	EXPECT_GE((NBD_TIMEOUT + NBD_SLACK) * 1000, r.slowest_ms);

	/* Back: the pages written are all there, and go out again. */
	ASSERT_EQ(0, nbd_recover(self));
	outs0 = read_stat("swap_outs");
	for (p = 0; p < NPAGES; p++) {
		const uint64_t *w = (const uint64_t *)PAGE_AT(self->map, p);
		uint64_t want = 6;

		if (w[0] == pattern(p, 0, 7)) {
			want = 7;
			dirty++;
		}
		EXPECT_EQ(0, check_pages(PAGE_AT(self->map, p), p, 1, want,
					 0));
	}
	TH_LOG("server back: %zu of the %zu pages written hold it; %lld page-outs since",
	       dirty, in, read_stat("swap_outs") - outs0);
	EXPECT_EQ(in, dirty);
	EXPECT_LT(outs0, read_stat("swap_outs"));
}

/*
 * Reconnects that must fail change nothing: with the server's end of the
 * connection dead, to an export the server does not have and to a port
 * with no server; with the connection alive again, any reconnect, even
 * to the same file under another name (nothing to replace: the kernel's
 * reconfiguration would take the socket and do nothing). After them
 * every page reads.
 */
TEST_F_TIMEOUT(nbd, bad_reconnects_change_nothing, 300)
{
	struct probe r;

	nbd_fill(_metadata, self->map, NPAGES, 5);
	server_kill(self->server);
	EXPECT_EQ(1, run("swaplab nbd reconnect 127.0.0.1 %s %s %s 2>/dev/null",
			 NBD_PORT, NBD_MISSING, NBD_DEV));
	EXPECT_EQ(1, run("swaplab nbd reconnect 127.0.0.1 1 %s %s 2>/dev/null",
			 NBD_EXPORT, NBD_DEV));
	/* Still dead: a page only the store holds is out of reach. */
	ASSERT_EQ(0, probe_pages(self->map, 0, 1, 5, &r));
	EXPECT_EQ(1, r.sigbus);

	ASSERT_EQ(0, nbd_recover(self));
	EXPECT_EQ(1, run("swaplab nbd reconnect 127.0.0.1 %s %s %s 2>/dev/null",
			 NBD_PORT, NBD_EXPORT2, NBD_DEV));
	EXPECT_EQ(0, check_pages(self->map, 0, NPAGES, 5, 1));
}

/*
 * `swaplab nbd watch` gives the device a new connection by itself. It
 * watches for the export whose file is not there yet: the server killed,
 * the store's pages get SIGBUS, and each of the watcher's tries fails;
 * once the file is there (linked to the device's), the watcher
 * reconnects with nobody asking, and every page reads.
 */
TEST_F_TIMEOUT(nbd, watch_reconnects_by_itself, 300)
{
	size_t first_out = NPAGES, p;
	char log[256], line[256];
	struct probe r;
	pid_t watcher;
	int status, i;
	double t0;
	FILE *f;

	snprintf(log, sizeof(log), "%s/swaplab-nbd-watch.log", self->dir);
	watcher = fork();
	if (watcher == 0) {
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out, 1);
		dup2(out, 2);
		execlp("swaplab", "swaplab", "nbd", "watch", "127.0.0.1",
		       NBD_PORT, NBD_LATER, NBD_DEV, (char *)NULL);
		_exit(127);
	}
	ASSERT_LT(0, watcher);
	nbd_fill(_metadata, self->map, NPAGES, 6);
	for (p = 0; p < NPAGES && first_out == NPAGES; p++)
		if (!resident(self->map, p))
			first_out = p;
	ASSERT_GT(NPAGES, first_out);
	server_kill(self->server);
	ASSERT_EQ(0, probe_pages(self->map, first_out, 1, 6, &r));
	EXPECT_EQ(1, r.sigbus);

	t0 = now_s();
	ASSERT_EQ(0, link(self->file, self->later));
	for (i = 0; i < 600; i++) {
		ASSERT_EQ(0, probe_pages(self->map, first_out, 1, 6, &r));
		if (!r.sigbus)
			break;
		usleep(100000);
	}
	TH_LOG("the watcher's reconnect: page %zu read again %.1f s after the link",
	       first_out, now_s() - t0);
	EXPECT_EQ(0, r.sigbus);
	EXPECT_EQ(0, r.bad);
	if (!r.sigbus)
		EXPECT_EQ(0, check_pages(self->map, 0, NPAGES, 6, 0));
	kill(watcher, SIGTERM);
	ASSERT_EQ(watcher, waitpid(watcher, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	f = fopen(log, "r");
	while (f && fgets(line, sizeof(line), f))
		TH_LOG("watch: %s", strtok(line, "\n"));
	if (f)
		fclose(f);
	unlink(log);
}

/*
 * The compressed tier's write-back holds up no release. A second region,
 * in a child, fills the pool with its pages (the pool holds nothing
 * else: the fixture's pages do not compress). With the server stopped,
 * a writer's compressible pages make room in the full pool: the
 * write-back of the second region's oldest pages waits on nbd. The
 * second region is released meanwhile (munmap and close, the last
 * reference), and must not wait for that I/O. The server resumes before
 * the nbd timeout: the write-back completes, finds the entries gone,
 * and gives its slots back; every page of the fixture reads, and once
 * all is closed no slot and no pool page is left.
 */
TEST_F_TIMEOUT(nbd, stalled_writeback_holds_up_no_release, 300)
{
	const size_t nb = 2 * BUDGET, first_w = 2 * BUDGET, nw = 2 * BUDGET;
	long long err0 = read_stat("io_errors");
	int ready = -1, cmd[2], res[2], status, i;
	long resident_b = -1, close_ms = -1, inflight = 0;
	pid_t b, w, stopped[16];
	char c;

	ASSERT_EQ(0, read_knob("compress", self->compress,
			       sizeof(self->compress)));
	ASSERT_EQ(0, read_knob("compress_pool_max", self->pool_max,
			       sizeof(self->pool_max)));
	ASSERT_EQ(0, read_knob("policy", self->policy, sizeof(self->policy)));
	self->tier = true;
	/*
	 * FIFO: the fixture's pages push every one of the second region's
	 * out of the frames (the default policy kept a few in the suite),
	 * and the writer's evict the fixture's first.
	 */
	ASSERT_EQ(0, write_knob("policy", "fifo"));
	ASSERT_EQ(0, write_knob("compress", "lz4"));
	ASSERT_EQ(0, write_knob("compress_pool_max", "32768"));
	ASSERT_EQ(0, pipe(cmd));
	ASSERT_EQ(0, pipe(res));

	/* The second region: filled, then told to count or to go. */
	b = fork_ready(&ready);
	if (b == 0) {
		int fd = open(SWAPLAB_DEVICE, O_RDWR);
		uint8_t *map = fd < 0 ? MAP_FAILED :
			mmap(NULL, nb * page_size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, fd, 0);
		long v = 0;
		double t0;

		if (map == MAP_FAILED)
			_exit(1);
		fill_pages_compressible(map, 0, nb, 7);
		c = 1;
		if (write(ready, &c, 1) != 1)
			_exit(1);
		while (read(cmd[0], &c, 1) == 1 && c == 'r') {
			v = 0;
			for (size_t p = 0; p < nb; p++)
				v += resident(map, p);
			if (write(res[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		t0 = now_s();
		munmap(map, nb * page_size);
		close(fd);
		v = (now_s() - t0) * 1000;
		_exit(write(res[1], &v, sizeof(v)) != sizeof(v));
	}
	ASSERT_LT(0, b);
	self->child[0] = b;
	ASSERT_LT(0, read_stat("compress_pool_pages"));

	/*
	 * Pages that do not compress push the second region's out of the
	 * frames, into the pool, and are read back: the fixture's resident
	 * pages are clean. The writer's pages are never touched before: its
	 * faults read nothing from the stopped server.
	 */
	fill_pages(self->map, 0, first_w, 8);
	ASSERT_EQ(0, check_pages(self->map, 0, first_w, 8, 0));
	c = 'r';
	ASSERT_EQ(1, write(cmd[1], &c, 1));
	ASSERT_EQ(sizeof(resident_b), read(res[0], &resident_b,
					   sizeof(resident_b)));
	ASSERT_EQ(0, resident_b);

	ASSERT_LT(0, server_signal(self->server, SIGSTOP, stopped, 16));
	w = fork();
	if (w == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fill_pages_compressible(PAGE_AT(self->map, first_w), first_w,
					nw, 9);
		_exit(check_pages_compressible(PAGE_AT(self->map, first_w),
					       first_w, nw, 9) != 0);
	}
	ASSERT_LT(0, w);
	self->child[1] = w;
	/* Its own pages evicted, the writer's make room: a write waits. */
	for (i = 0; i < 300 && inflight <= 0; i++) {
		usleep(10000);
		inflight = nbd_in_flight(true);
	}
	c = 'c';
	ASSERT_EQ(1, write(cmd[1], &c, 1));
	ASSERT_EQ(sizeof(close_ms), read(res[0], &close_ms,
					 sizeof(close_ms)));
	server_signal(self->server, SIGCONT, stopped, 16);
	ASSERT_EQ(b, waitpid(b, &status, 0));
	self->child[0] = -1;
	ASSERT_EQ(w, waitpid(w, &status, 0));
	self->child[1] = -1;
	TH_LOG("%ld writes in flight to the stopped server after %d ms; the second region released in %ld ms; writer %s",
	       inflight, i * 10, close_ms,
	       WIFEXITED(status) && !WEXITSTATUS(status) ? "verified" : "failed");
	EXPECT_LT(0, inflight);
	EXPECT_GT(1000, close_ms);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Resumed within the timeout: the connection lived, nothing failed. */
	EXPECT_EQ(err0, read_stat("io_errors"));
	if (read_stat("io_errors") != err0)
		ASSERT_EQ(0, nbd_recover(self));
	EXPECT_EQ(0, check_pages(self->map, 0, first_w, 8, 0));
	EXPECT_EQ(0, check_pages_compressible(PAGE_AT(self->map, first_w),
					      first_w, nw, 9));

	munmap(self->map, NPAGES * page_size);
	self->map = MAP_FAILED;
	close(self->fd);
	self->fd = -1;
	close(cmd[0]);
	close(cmd[1]);
	close(res[0]);
	close(res[1]);
	for (i = 0; i < 10 && wait_stat("regions", 0); i++)
		;
	EXPECT_EQ(0, wait_stat("swap_slots_used", 0));
	EXPECT_EQ(0, wait_stat("compress_pool_pages", 0));
}

int main(int argc, char **argv)
{
	/* A server that a killed run left behind would hold the port. */
	nbd_cleanup();
	atexit(nbd_cleanup);
	return test_harness_run(argc, argv);
}
