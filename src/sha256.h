/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SHA256_H
#define EDRDIAG_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256 (FIPS 180-4) for the bundle's manifest: libarchive does not expose one, and
 * OpenSSL would be a new dependency for a hundred lines.
 */
struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char buf[64];
	size_t used;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* One call: the lowercase hex digest of data into hex (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
