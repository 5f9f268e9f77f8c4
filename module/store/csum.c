// SPDX-License-Identifier: GPL-2.0
/*
 * Slot checksums: the crc32c of a page, computed by whichever of two
 * implementations is the faster on this machine, as measured at load time
 * (the way the kernel picks its xor and RAID-6 routines by timing them at
 * boot: crypto/xor.c, lib/raid6/algos.c).
 *
 * Both give the same crc32c:
 *  - "library": crc32c() from lib/, which uses the CPU's crc32 instruction
 *    where the kernel has code for it (crc32c-intel on x86);
 *  - "generic": the crypto API's table-driven "crc32c-generic", eight
 *    table lookups for eight bytes.
 * On hardware the instruction wins by an order of magnitude. Under an
 * emulator that has no fast path for it (qemu's TCG computes each crc32
 * instruction one bit at a time), the tables win by about as much: tens
 * of microseconds a page against a few.
 *
 * The choice is made once, at load, before any slot is written, and never
 * changes: the values are the same either way, so it is no part of what
 * is stored. The knob checksum_driver shows it; the kernel log shows the
 * times measured.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/crc32c.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/random.h>

#include "store/csum.h"

/* Rounds of the measurement; the fastest round of each counts. */
#define SWAPLAB_CSUM_ROUNDS	5
/* Pages checksummed in a round (the same page again and again). */
#define SWAPLAB_CSUM_PAGES	4

/*
 * The table-driven crc32c-generic when it was measured faster than the
 * library's crc32c(); else NULL. Set at load, read-only after.
 */
static struct crypto_shash *swaplab_csum_tfm;

/* crc32c-generic's crc32c of @len bytes at @addr, seeded with ~0. */
static u32 swaplab_csum_generic(struct crypto_shash *tfm, const void *addr,
				unsigned int len)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	__le32 out;

	desc->tfm = tfm;
	/* No key: the seed is ~0. The digest is the crc inverted, LE. */
	if (crypto_shash_digest(desc, addr, len, (u8 *)&out))
		return 0;	/* cannot fail for crc32c; 0 fails the check */
	return ~le32_to_cpu(out);
}

/* The time, in ns, of the fastest round of checksums of @addr. */
static u64 swaplab_csum_time(struct crypto_shash *tfm, const void *addr,
			     u32 *sum)
{
	u64 best = U64_MAX, t;
	int r, i;

	for (r = 0; r < SWAPLAB_CSUM_ROUNDS; r++) {
		t = ktime_get_ns();
		for (i = 0; i < SWAPLAB_CSUM_PAGES; i++)
			*sum = tfm ? swaplab_csum_generic(tfm, addr, PAGE_SIZE) :
				     crc32c(~0, addr, PAGE_SIZE);
		best = min(best, ktime_get_ns() - t);
	}
	return best / SWAPLAB_CSUM_PAGES;
}

/**
 * swaplab_csum_init() - pick the faster crc32c implementation
 *
 * Times the library's crc32c() and the crypto API's crc32c-generic over a
 * page of random bytes, and keeps crc32c-generic only if it is faster and
 * gives the same value. Without it (no memory, no such algorithm), the
 * library's: checksums never fail to be available.
 *
 * Context: module init, process context, sleeps.
 */
void swaplab_csum_init(void)
{
	struct crypto_shash *tfm;
	u64 lib_ns, gen_ns;
	u32 lib_sum, gen_sum;
	void *buf;

	buf = (void *)__get_free_page(GFP_KERNEL);
	if (!buf)
		return;
	get_random_bytes(buf, PAGE_SIZE);
	tfm = crypto_alloc_shash("crc32c-generic", 0, 0);
	if (IS_ERR(tfm)) {
		pr_info("checksums: library crc32c (crc32c-generic: %ld)\n",
			PTR_ERR(tfm));
		free_page((unsigned long)buf);
		return;
	}
	lib_ns = swaplab_csum_time(NULL, buf, &lib_sum);
	gen_ns = swaplab_csum_time(tfm, buf, &gen_sum);
	free_page((unsigned long)buf);
	if (gen_ns < lib_ns && gen_sum == lib_sum) {
		swaplab_csum_tfm = tfm;
	} else {
		if (gen_sum != lib_sum)
			pr_warn("crc32c-generic and crc32c() disagree: %08x, %08x\n",
				gen_sum, lib_sum);
		crypto_free_shash(tfm);
	}
	pr_info("checksums: %s crc32c (a page: library %llu ns, generic %llu ns)\n",
		swaplab_csum_driver(), lib_ns, gen_ns);
}

/**
 * swaplab_csum_exit() - free what swaplab_csum_init() kept
 *
 * Context: module exit; no checksum is being computed.
 */
void swaplab_csum_exit(void)
{
	if (swaplab_csum_tfm)
		crypto_free_shash(swaplab_csum_tfm);
	swaplab_csum_tfm = NULL;
}

/**
 * swaplab_csum_driver() - the implementation in use
 *
 * Return: "generic" or "library".
 */
const char *swaplab_csum_driver(void)
{
	return swaplab_csum_tfm ? "generic" : "library";
}

/**
 * swaplab_csum_page() - the crc32c of a page, seeded with ~0
 * @page: the page
 *
 * Context: any that may map a page (kmap_local_page()).
 * Return: crc32c(~0, contents, PAGE_SIZE), without the final inversion.
 */
u32 swaplab_csum_page(struct page *page)
{
	void *addr = kmap_local_page(page);
	u32 csum = swaplab_csum_tfm ?
		   swaplab_csum_generic(swaplab_csum_tfm, addr, PAGE_SIZE) :
		   crc32c(~0, addr, PAGE_SIZE);

	kunmap_local(addr);
	return csum;
}
