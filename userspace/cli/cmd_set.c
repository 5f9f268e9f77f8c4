// SPDX-License-Identifier: GPL-2.0
/*
 * swaplab set KEY=VALUE...: write knobs of /sys/kernel/swaplab, and say
 * in words why the kernel refused one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <swaplab.h>

#include "cli/cmd.h"
#include "lib/sysfs.h"

int cmd_set(int argc, char **argv)
{
	static const char usage[] = "usage: swaplab set KEY=VALUE...\n";
	char path[256];
	int status = 0;

	if (argc == 2 && is_help(argv[1])) {
		printf("%s", usage);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	if (need_module())
		return 1;
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		ssize_t len;
		int fd;

		if (!eq || eq == argv[i] || strchr(argv[i], '/')) {
			fprintf(stderr, "swaplab: '%s' is not KEY=VALUE\n",
				argv[i]);
			status = 2;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%.*s", SWAPLAB_SYSFS,
			 (int)(eq - argv[i]), argv[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			fprintf(stderr, "swaplab: %.*s: %s\n",
				(int)(eq - argv[i]), argv[i], strerror(errno));
			status = 1;
			continue;
		}
		len = strlen(eq + 1);
		if (write(fd, eq + 1, len) != len) {
			fprintf(stderr, "swaplab: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
		close(fd);
	}
	return status;
}
