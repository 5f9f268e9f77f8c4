/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libCacheSim's oracleGeneral trace format (oracle.c writes it, trace.c
 * reads it): one 24-byte record a request, little-endian and packed:
 *
 *	u32 clock_time;		when, in seconds
 *	u64 obj_id;		the object: here, a page
 *	u32 obj_size;		its size in bytes
 *	s64 next_access_vtime;	the index of the next request to the
 *				object, -1 if none
 *
 * The format of the public traces researchers share, and the one
 * libCacheSim's cachesim reads fastest; its Belady reads the next access
 * from the record. swaplab reads the object ids alone, and computes the
 * next uses itself.
 */
#ifndef SWAPLAB_ORACLE_H
#define SWAPLAB_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ORACLE_RECORD		24
/* Where a record holds the object id. */
#define ORACLE_OBJ_ID		4

/* The object id of the record at @rec. */
static inline uint64_t oracle_obj_id(const unsigned char *rec)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | rec[ORACLE_OBJ_ID + i];
	return v;
}

int oracle_write(FILE *out, const uint64_t *refs, size_t nrefs);

#endif /* SWAPLAB_ORACLE_H */
