/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arrays as long as a trace, kept in a file rather than in the process's
 * memory: the reference string and OPT's next uses (strmap.c).
 */
#ifndef SWAPLAB_STRMAP_H
#define SWAPLAB_STRMAP_H

#include <stddef.h>

/* Bytes a pass goes on between two drops (strmap_pass()). */
#define STRMAP_STEP	(4UL << 20)

/*
 * An array of @size bytes, unset, that strmap_realloc() grows in place;
 * in a file of its own where one can be made, else in memory. NULL
 * without memory.
 */
void *strmap_alloc(size_t size);

/*
 * @p (strmap_alloc(), or NULL for a new one) made @size bytes, its start
 * unmoved for an array in a file; NULL without memory, @p then as it was.
 */
void *strmap_realloc(void *p, size_t size);

/*
 * Write @len bytes of @buf at byte @off of @p, within its size: for an
 * array in a file, through the file (no page of the mapping faults in);
 * 0, or -errno.
 */
int strmap_write(void *p, size_t off, const void *buf, size_t len);

/*
 * Read @len bytes at byte @off of @p into @buf: for an array in a file,
 * through the file (no page of the mapping faults in); 0, or -errno.
 */
int strmap_read(const void *p, size_t off, void *buf, size_t len);

/* Free @p, from strmap_alloc() (NULL: nothing). */
void strmap_free(void *p);

/*
 * Bytes @from to @to of @p are not needed soon: out of the process's
 * memory, whole pages of them, still in the file for a later read. Does
 * nothing for an array in memory.
 */
void strmap_drop(const void *p, size_t from, size_t to);

/*
 * A pass through @p has dropped bytes below @done and reached @at: drop
 * them up to @at every STRMAP_STEP bytes. Returns the new @done.
 */
static inline size_t strmap_pass(const void *p, size_t done, size_t at)
{
	if (at - done < STRMAP_STEP)
		return done;
	strmap_drop(p, done, at);
	return at;
}

#endif /* SWAPLAB_STRMAP_H */
