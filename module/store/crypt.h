/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encryption of what is written to the store (crypt.c).
 */
#ifndef _SWAPLAB_CRYPT_H
#define _SWAPLAB_CRYPT_H

#include <linux/types.h>

struct page;
struct swaplab_crypt;

/* Pages a cipher encrypts at once, into its bounce pages (128 KiB). */
#define SWAPLAB_CRYPT_BATCH	32
struct swaplab_crypt *swaplab_crypt_create(void);
void swaplab_crypt_destroy(struct swaplab_crypt *c);
size_t swaplab_crypt_bytes(const struct swaplab_crypt *c);
int swaplab_crypt_encrypt(struct swaplab_crypt *c, struct page **pages,
			  unsigned int nr, unsigned long slot,
			  struct page **out);
void swaplab_crypt_done(struct swaplab_crypt *c);
int swaplab_crypt_decrypt(struct swaplab_crypt *c, struct page *page,
			  unsigned long slot);

#endif /* _SWAPLAB_CRYPT_H */
