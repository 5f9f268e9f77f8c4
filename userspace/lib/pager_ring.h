/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pager's side of /dev/swaplab: attaching as the external pager and
 * mapping the ring of events the module writes (uapi swaplab.h,
 * SWAPLAB_IOC_PAGER_ATTACH). Shared by `swaplab pager` and
 * `swaplab dsm serve`.
 */
#ifndef SWAPLAB_PAGER_RING_H
#define SWAPLAB_PAGER_RING_H

#include <stddef.h>

#include <swaplab.h>

/**
 * struct pager_ring - an attached pager and its mapped ring
 * @fd: the pager's file (SWAPLAB_IOC_PAGER_ATTACH)
 * @ring: the ring's header, mapped
 * @ev: its events, @ring->mask + 1 of them
 * @bytes: the size of the mapping
 */
struct pager_ring {
	int fd;
	struct swaplab_pager_ring *ring;
	struct swaplab_pager_event *ev;
	size_t bytes;
};

int pager_ring_attach(struct pager_ring *pr, struct swaplab_pager_attach *at,
		      const char *who);
void pager_ring_detach(struct pager_ring *pr);

#endif /* SWAPLAB_PAGER_RING_H */
