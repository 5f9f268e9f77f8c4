// SPDX-License-Identifier: GPL-2.0
/*
 * move_msg: messages passed by moving pages (SWAPLAB_IOC_MOVE), using
 * nothing but the module's uapi header. It is the example of
 * Documentation/admin-guide/swaplab/move.rst.
 *
 *	move_msg [MESSAGE]
 *	move_msg -x ROUNDS
 *
 * The receiver (the parent) creates a named region, its mailbox, and
 * forks the sender. The sender writes MESSAGE (default: "hello, by
 * moving pages") into its own region, moves the pages that hold it to
 * the mailbox, checks that its own pages now read as zeroes and says so
 * down a pipe. The receiver then prints the message. The mailbox goes
 * when the last file and mapping of it do; the name goes with it.
 *
 * With -x, the parent and the child play ping-pong through a mailbox of
 * one page, ROUNDS times, by exchanging pages (SWAPLAB_MOVE_EXCHANGE):
 * each writes its message into its own page and exchanges that page with
 * the mailbox's, so that the mailbox holds the message and the writer's
 * page holds what the mailbox held, which the writer overwrites with its
 * next message. No page is emptied, none is filled with zeroes, and no
 * byte is copied. Each side prints the message it finds in the mailbox.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#define BOX_SIZE	(1024 * 1024)	/* the mailbox's size limit */
#define MSG_SIZE	64		/* a ping or a pong, with its NUL */

/*
 * The receiver's mailbox: a region named after this process, made as @at
 * says (its size, flags and mode), through a file of the device left open
 * in *@dev. Its descriptor, open for reading and writing.
 */
static int open_mailbox(struct swaplab_attach *at, int *dev)
{
	int box;

	snprintf(at->name, sizeof(at->name), "move_msg.%d", (int)getpid());
	*dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (*dev < 0)
		err(1, "open %s", SWAPLAB_DEVICE);
	box = ioctl(*dev, SWAPLAB_IOC_ATTACH, at);
	if (box < 0)
		err(1, "SWAPLAB_IOC_ATTACH %s", at->name);
	return box;
}

/* The sender: the mailbox by its name, the message in its own region. */
static void send_message(const char *name, const char *msg, size_t len,
			 int tell)
{
	struct swaplab_attach at = { .flags = SWAPLAB_ATTACH_CLOEXEC };
	struct swaplab_move mv = { .length = len };
	int dev, box;
	char *out;
	size_t i;

	snprintf(at.name, sizeof(at.name), "%s", name);
	dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		err(1, "sender: open %s", SWAPLAB_DEVICE);
	box = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	if (box < 0)
		err(1, "sender: SWAPLAB_IOC_ATTACH %s", name);
	out = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dev, 0);
	if (out == MAP_FAILED)
		err(1, "sender: mmap");
	memcpy(out, msg, strlen(msg) + 1);

	/* From offset 0 of this file's region to offset 0 of the mailbox. */
	mv.dst_fd = box;
	if (ioctl(dev, SWAPLAB_IOC_MOVE, &mv))
		err(1, "sender: SWAPLAB_IOC_MOVE (%llu of %zu bytes moved)",
		    (unsigned long long)mv.done, len);

	/* The pages are the mailbox's now: here they read as zeroes. */
	for (i = 0; i < len; i++)
		if (out[i])
			errx(1, "sender: byte %zu reads %#x after the move",
			     i, (unsigned char)out[i]);

	if (write(tell, &len, sizeof(len)) != sizeof(len))
		err(1, "sender: write to the pipe");
	if (munmap(out, len) || close(box) || close(dev))
		err(1, "sender: munmap or close");
}

/* Wait for the other side's turn to end; false if it is gone. */
static bool wait_turn(int from)
{
	char c;

	return read(from, &c, 1) == 1;
}

static void end_turn(int to, const char *who)
{
	if (write(to, "", 1) != 1)
		err(1, "%s: write to the pipe", who);
}

/*
 * One side of the ping-pong: @box is the mailbox, @first whether this
 * side plays first. Each turn this side finds the other's message in the
 * mailbox (but the first side on its first turn), prints it, writes its
 * own into its page and exchanges its page with the mailbox's. Its page
 * then holds what the mailbox held: the message it just read.
 */
static void play(int box, int rounds, bool first, int from, int to)
{
	const char *who = first ? "ping" : "pong";
	struct swaplab_move xc = { .dst_fd = box,
				   .flags = SWAPLAB_MOVE_EXCHANGE };
	long page = sysconf(_SC_PAGESIZE);
	char *mine, *mailbox, seen[MSG_SIZE] = "";
	int dev, r;

	/* This side's own page: the first page of a region of its own. */
	dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		err(1, "%s: open %s", who, SWAPLAB_DEVICE);
	mine = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, dev, 0);
	mailbox = mmap(NULL, page, PROT_READ, MAP_SHARED, box, 0);
	if (mine == MAP_FAILED || mailbox == MAP_FAILED)
		err(1, "%s: mmap", who);
	xc.length = page;

	for (r = 1; r <= rounds; r++) {
		if (!first || r > 1) {
			if (!wait_turn(from))
				errx(1, "%s: the other side stopped", who);
			memcpy(seen, mailbox, MSG_SIZE);
			seen[MSG_SIZE - 1] = 0;
			if (printf("%s\n", seen) < 0 || fflush(stdout))
				err(1, "%s: stdout", who);
		}
		/* Over whatever the page got back from the mailbox. */
		snprintf(mine, MSG_SIZE, "%s %d", who, r);
		if (ioctl(dev, SWAPLAB_IOC_MOVE, &xc))
			err(1, "%s: SWAPLAB_IOC_MOVE, exchange", who);
		/* The page now holds what the mailbox held. */
		if (strncmp(mine, seen, MSG_SIZE))
			errx(1, "%s: the page came back with \"%.*s\", not \"%s\"",
			     who, MSG_SIZE, mine, seen);
		end_turn(to, who);
	}
	/* The first side reads the last answer. */
	if (first) {
		if (!wait_turn(from))
			errx(1, "%s: the other side stopped", who);
		if (printf("%.*s\n", MSG_SIZE, mailbox) < 0 || fflush(stdout))
			err(1, "%s: stdout", who);
	}
	if (munmap(mine, page) || munmap(mailbox, page) || close(dev))
		err(1, "%s: munmap or close", who);
}

/* move_msg -x ROUNDS: the ping-pong, the parent first. */
static int ping_pong(int rounds)
{
	struct swaplab_attach at = {
		.size = sysconf(_SC_PAGESIZE),
		.flags = SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL |
			 SWAPLAB_ATTACH_CLOEXEC,
		.mode = 0600,
	};
	int dev, box, ping[2], pong[2], status;
	pid_t pid;

	box = open_mailbox(&at, &dev);
	if (close(dev) || pipe(ping) || pipe(pong))
		err(1, "close or pipe");

	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		/* The child keeps the mailbox's descriptor, opened for both. */
		if (close(ping[1]) || close(pong[0]))
			err(1, "pong: close");
		play(box, rounds, false, ping[0], pong[1]);
		exit(0);
	}
	if (close(ping[0]) || close(pong[1]))
		err(1, "close");
	play(box, rounds, true, pong[0], ping[1]);
	if (waitpid(pid, &status, 0) != pid)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the other side failed (status %#x)", status);
	if (close(box))
		err(1, "close");
	return 0;
}

int main(int argc, char **argv)
{
	const char *msg = argc > 1 ? argv[1] : "hello, by moving pages";
	long page = sysconf(_SC_PAGESIZE);
	/* The pages the message and its NUL take. */
	size_t len = (strlen(msg) + page) / page * page;
	struct swaplab_attach at = {
		.size = BOX_SIZE,
		.flags = SWAPLAB_ATTACH_CREATE | SWAPLAB_ATTACH_EXCL |
			 SWAPLAB_ATTACH_CLOEXEC,
		.mode = 0600,
	};
	int dev, box, pipefd[2], status;
	size_t got;
	char *in;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "-x") && atoi(argv[2]) > 0 &&
	    atoi(argv[2]) < 1000000)
		return ping_pong(atoi(argv[2]));
	if (argc > 2 || len > BOX_SIZE || (argc == 2 && argv[1][0] == '-'))
		errx(2, "usage: move_msg [MESSAGE], MESSAGE under %d bytes;\n"
		     "       move_msg -x ROUNDS, ROUNDS from 1 to 999999",
		     BOX_SIZE);

	/* The receiver: a mailbox with a name no other run uses. */
	box = open_mailbox(&at, &dev);
	if (pipe(pipefd))
		err(1, "pipe");

	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		/* Nothing of the receiver's but the mailbox's name. */
		if (close(box) || close(dev) || close(pipefd[0]))
			err(1, "sender: close");
		send_message(at.name, msg, len, pipefd[1]);
		exit(0);
	}
	if (close(pipefd[1]))
		err(1, "close");

	/*
	 * Mapped, not touched: a page the receiver faulted in would make
	 * the move fail with EEXIST.
	 */
	in = mmap(NULL, BOX_SIZE, PROT_READ, MAP_SHARED, box, 0);
	if (in == MAP_FAILED)
		err(1, "mmap");
	if (read(pipefd[0], &got, sizeof(got)) != sizeof(got))
		errx(1, "the sender stopped before it sent the message");
	if (printf("%.*s\n", (int)got, in) < 0 || fflush(stdout))
		err(1, "stdout");

	if (waitpid(pid, &status, 0) != pid)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "the sender failed (status %#x)", status);
	if (munmap(in, BOX_SIZE) || close(box) || close(dev))
		err(1, "munmap or close");
	return 0;
}
