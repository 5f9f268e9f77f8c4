/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading reference strings from files, for `swaplab sim`, `swaplab bench
 * trace` and `swaplab compare trace`.
 */
#ifndef SWAPLAB_TRACE_H
#define SWAPLAB_TRACE_H

#include <stddef.h>

int trace_read(const char *path, unsigned long **refs, size_t *nrefs,
	       unsigned long *npages);

#endif /* SWAPLAB_TRACE_H */
