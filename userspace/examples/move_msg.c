// SPDX-License-Identifier: GPL-2.0
/*
 * move_msg: a message passed by moving pages (SWAPLAB_IOC_MOVE), using
 * nothing but the module's uapi header. It is the example of
 * Documentation/admin-guide/swaplab/move.rst.
 *
 *	move_msg [MESSAGE]
 *
 * The receiver (the parent) creates a named region, its mailbox, and
 * forks the sender. The sender writes MESSAGE (default: "hello, by
 * moving pages") into its own region, moves the pages that hold it to
 * the mailbox, checks that its own pages now read as zeroes and says so
 * down a pipe. The receiver then prints the message. The mailbox goes
 * when the last file and mapping of it do; the name goes with it.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <swaplab.h>

#define BOX_SIZE	(1024 * 1024)	/* the mailbox's size limit */

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

	if (argc > 2 || len > BOX_SIZE)
		errx(2, "usage: move_msg [MESSAGE], MESSAGE under %d bytes",
		     BOX_SIZE);

	/* The receiver: a mailbox with a name no other run uses. */
	snprintf(at.name, sizeof(at.name), "move_msg.%d", (int)getpid());
	dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		err(1, "open %s", SWAPLAB_DEVICE);
	box = ioctl(dev, SWAPLAB_IOC_ATTACH, &at);
	if (box < 0)
		err(1, "SWAPLAB_IOC_ATTACH %s", at.name);
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
