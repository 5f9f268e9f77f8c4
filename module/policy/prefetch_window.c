// SPDX-License-Identifier: GPL-2.0
/*
 * window: a fixed window, the pages after the faulting one, as many as
 * the configured window says (the readahead knob set to a number).
 */
#include "api/prefetch.h"

static unsigned int window_fault(void *state,
				 const struct swaplab_prefetch_fault *pf,
				 unsigned long *pages, unsigned int max)
{
	return swaplab_prefetch_run(pf, 1, min(pf->window, max), pages);
}

struct swaplab_prefetch_ops swaplab_prefetch_window = {
	.name	= "window",
	.fault	= window_fault,
};
