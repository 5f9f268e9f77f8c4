/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one pseudo-random generator and the one page pattern of swaplab's
 * userspace: header-only, plain C with <stdint.h> types and nothing else,
 * so that selftests/ can include it too and both sides write and expect
 * the very same values.
 */
#ifndef SWAPLAB_COMMON_H
#define SWAPLAB_COMMON_H

#include <stdint.h>

/* splitmix64's finalizer: mixes the 64 bits of @x, one to one. */
static inline uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/*
 * splitmix64: the next number of the sequence that *@state (the seed, at
 * first) stands for. Small, seeded, repeatable: the same seed gives the
 * same sequence, on every machine.
 */
static inline uint64_t prng_next(uint64_t *state)
{
	return mix64(*state += 0x9E3779B97F4A7C15ull);
}

/* The next number as a double in [0, 1), from its top 53 bits. */
static inline double prng_unit(uint64_t *state)
{
	return (prng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* The value word @word of page @page holds under @seed. */
static inline uint64_t pattern(uint64_t page, uint64_t word, uint64_t seed)
{
	return ((page + 1) * 0x9E3779B97F4A7C15ull) ^ (word << 40) ^ seed;
}

#endif /* SWAPLAB_COMMON_H */
