// SPDX-License-Identifier: GPL-2.0
/*
 * Swap encryption: what goes to the backing store is AES-XTS ciphertext
 * under a key made at random when encryption is switched on and kept
 * only in kernel memory, as OpenBSD encrypts its swap. The XTS tweak is
 * the slot number, so two slots holding the same page differ on disk, and
 * a key that dies with the module (or with encrypt=0) leaves the swap file
 * unreadable: nothing from it is ever read back without being written
 * first under the current key.
 *
 * Pages are encrypted into bounce pages for a write, since a page whose
 * write fails stays in use, and decrypted in place after a read, before
 * anybody maps them. The cipher is a synchronous one (the crypto API's
 * sync_skcipher), so a request lives on the stack and no allocation is
 * needed on the swap paths.
 *
 * Locking: @lock in &struct swaplab_crypt serialises writers over the
 * bounce pages, held from encryption until the write has completed.
 * Decryption needs no lock (the tfm is only read).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/skcipher.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "store/crypt.h"

/* AES-256 in XTS mode takes two 256-bit keys. */
#define SWAPLAB_CRYPT_KEY_SIZE	64

/**
 * struct swaplab_crypt - the cipher of one attached store
 * @tfm: xts(aes), keyed at creation
 * @lock: protects @bounce while an encrypted write is in flight
 * @bounce: ciphertext of the pages being written
 */
struct swaplab_crypt {
	struct crypto_sync_skcipher *tfm;
	struct mutex lock;		/* protects bounce */
	struct page *bounce[SWAPLAB_CRYPT_BATCH];
};

/**
 * swaplab_crypt_create() - a cipher with a fresh random key
 *
 * The key is drawn from get_random_bytes() and wiped from the stack once
 * the tfm holds it.
 *
 * Context: process context, sleeps.
 * Return: the cipher, or an ERR_PTR (-ENOENT when the kernel has no
 * xts(aes), -ENOMEM).
 */
struct swaplab_crypt *swaplab_crypt_create(void)
{
	u8 key[SWAPLAB_CRYPT_KEY_SIZE];
	struct swaplab_crypt *c;
	unsigned int i;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	mutex_init(&c->lock);

	c->tfm = crypto_alloc_sync_skcipher("xts(aes)", 0, 0);
	if (IS_ERR(c->tfm)) {
		err = PTR_ERR(c->tfm);
		c->tfm = NULL;
		goto fail;
	}
	get_random_bytes(key, sizeof(key));
	err = crypto_sync_skcipher_setkey(c->tfm, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	if (err)
		goto fail;

	for (i = 0; i < SWAPLAB_CRYPT_BATCH; i++) {
		c->bounce[i] = alloc_page(GFP_KERNEL);
		if (!c->bounce[i]) {
			err = -ENOMEM;
			goto fail;
		}
	}
	pr_info("swap encryption: %s\n",
		crypto_skcipher_driver_name(&c->tfm->base));
	return c;

fail:
	swaplab_crypt_destroy(c);
	return ERR_PTR(err);
}

/**
 * swaplab_crypt_bytes() - the memory a cipher takes, as swaplab allocated it
 * @c: the cipher, or NULL
 *
 * The descriptor and its bounce pages; not what the crypto API allocates
 * for the transform itself (its key schedules, a few hundred bytes).
 *
 * Return: bytes, 0 for NULL.
 */
size_t swaplab_crypt_bytes(const struct swaplab_crypt *c)
{
	return c ? sizeof(*c) + SWAPLAB_CRYPT_BATCH * PAGE_SIZE : 0;
}

/**
 * swaplab_crypt_destroy() - free a cipher and forget its key
 * @c: a cipher from swaplab_crypt_create(), or NULL
 *
 * Context: process context; no write is using @c.
 */
void swaplab_crypt_destroy(struct swaplab_crypt *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < SWAPLAB_CRYPT_BATCH; i++)
		if (c->bounce[i])
			__free_page(c->bounce[i]);
	if (c->tfm)
		crypto_free_sync_skcipher(c->tfm);	/* zeroes the key */
	mutex_destroy(&c->lock);
	kfree(c);
}

/* Encrypt or decrypt one page from @src to @dst for @slot. */
static int swaplab_crypt_page(struct swaplab_crypt *c, struct page *src,
			      struct page *dst, unsigned long slot,
			      bool encrypt)
{
	SYNC_SKCIPHER_REQUEST_ON_STACK(req, c->tfm);
	struct scatterlist sg_src, sg_dst;
	__le64 iv[2] = { cpu_to_le64(slot), 0 };
	int err;

	sg_init_table(&sg_src, 1);
	sg_set_page(&sg_src, src, PAGE_SIZE, 0);
	sg_init_table(&sg_dst, 1);
	sg_set_page(&sg_dst, dst, PAGE_SIZE, 0);

	skcipher_request_set_sync_tfm(req, c->tfm);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &sg_src, &sg_dst, PAGE_SIZE, iv);
	err = encrypt ? crypto_skcipher_encrypt(req) :
			crypto_skcipher_decrypt(req);
	skcipher_request_zero(req);
	return err;
}

/**
 * swaplab_crypt_encrypt() - encrypt pages for a write to a run of slots
 * @c: the store's cipher
 * @pages: the plaintext pages, left unchanged
 * @nr: how many, at most %SWAPLAB_CRYPT_BATCH
 * @slot: the slot of @pages[0]; page i is encrypted for @slot + i
 * @out: receives the bounce pages holding the ciphertext
 *
 * On success the caller owns @out until it calls swaplab_crypt_done():
 * write them, then release them.
 *
 * Context: process context, sleeps.
 * Return: 0, or the cipher's error (nothing to release then).
 */
int swaplab_crypt_encrypt(struct swaplab_crypt *c, struct page **pages,
			  unsigned int nr, unsigned long slot,
			  struct page **out)
{
	unsigned int i;
	int err;

	mutex_lock(&c->lock);
	for (i = 0; i < nr; i++) {
		err = swaplab_crypt_page(c, pages[i], c->bounce[i], slot + i,
					 true);
		if (err) {
			mutex_unlock(&c->lock);
			return err;
		}
		out[i] = c->bounce[i];
	}
	return 0;
}

/**
 * swaplab_crypt_done() - release the bounce pages after a write
 * @c: the cipher swaplab_crypt_encrypt() succeeded with
 */
void swaplab_crypt_done(struct swaplab_crypt *c)
{
	mutex_unlock(&c->lock);
}

/**
 * swaplab_crypt_decrypt() - decrypt a page read from a slot, in place
 * @c: the store's cipher
 * @page: the page read, not yet mapped by anybody
 * @slot: the slot it was read from
 *
 * Context: process context.
 * Return: 0 or the cipher's error.
 */
int swaplab_crypt_decrypt(struct swaplab_crypt *c, struct page *page,
			  unsigned long slot)
{
	return swaplab_crypt_page(c, page, page, slot, false);
}
