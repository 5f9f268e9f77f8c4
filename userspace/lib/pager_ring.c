// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching as the external pager of /dev/swaplab and mapping its ring of
 * events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/pager_ring.h"

/**
 * pager_ring_attach() - attach to /dev/swaplab as a pager, map its ring
 * @pr: filled on success; @pr->fd is -1 and @pr->ring NULL on failure
 * @at: the request (entries, flags, wake-up, data timeout); the module
 *	fills its @ring_bytes
 * @who: what error messages on stderr start with ("swaplab pager")
 *
 * The device is opened for the call alone: the pager's file keeps the
 * attachment.
 *
 * Return: 0, or -1 with errno set and the reason printed.
 */
int pager_ring_attach(struct pager_ring *pr, struct swaplab_pager_attach *at,
		      const char *who)
{
	int dev = open(SWAPLAB_DEVICE, O_RDWR | O_CLOEXEC), err;

	pr->fd = -1;
	pr->ring = NULL;
	if (dev < 0) {
		err = errno;
		fprintf(stderr, "%s: %s: %s\n", who, SWAPLAB_DEVICE,
			strerror(err));
		errno = err;
		return -1;
	}
	pr->fd = ioctl(dev, SWAPLAB_IOC_PAGER_ATTACH, at);
	err = errno;
	close(dev);
	if (pr->fd < 0) {
		fprintf(stderr, "%s: attaching as the pager: %s%s\n", who,
			strerror(err), err == EBUSY ?
			" (another pager is attached)" : "");
		errno = err;
		return -1;
	}
	pr->bytes = at->ring_bytes;
	pr->ring = mmap(NULL, pr->bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
			pr->fd, 0);
	if (pr->ring == MAP_FAILED) {
		err = errno;
		fprintf(stderr, "%s: mapping the ring: %s\n", who,
			strerror(err));
		pr->ring = NULL;
		close(pr->fd);
		pr->fd = -1;
		errno = err;
		return -1;
	}
	pr->ev = (void *)((char *)pr->ring + SWAPLAB_PAGER_RING_EVENTS);
	return 0;
}

/**
 * pager_ring_detach() - unmap the ring and close the pager's file
 * @pr: attached by pager_ring_attach(), or failed there (nothing to do)
 *
 * The module detaches the pager when its last reference goes.
 */
void pager_ring_detach(struct pager_ring *pr)
{
	if (pr->ring)
		munmap(pr->ring, pr->bytes);
	if (pr->fd >= 0)
		close(pr->fd);
	pr->ring = NULL;
	pr->fd = -1;
}
