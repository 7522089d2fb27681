/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BTFREAD_H
#define EDRDIAG_BTFREAD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A small reader of raw kernel BTF (/sys/kernel/btf/vmlinux), for files from a support bundle:
 * every offset, count and type id is checked before it is used, so a hostile file is refused
 * with a reason, never read past, and never makes a lookup loop. It answers the few questions
 * the checks ask (where is member M of struct S, what is enumerator E of enum N) without
 * libbpf's parser, which trusts the name offsets of the file it reads.
 *
 * Base BTF only: split BTF (a module's, whose ids continue vmlinux's) is refused, its type
 * ids being out of range. Pure: no I/O, no printing; callers read the file (with a size cap).
 */

/* The fixed 24-byte header, in host byte order. */
struct btfread_header {
	unsigned int version, flags, hdr_len, type_off, type_len, str_off, str_len;
	bool swapped; /* the file's byte order is not the host's */
	size_t total; /* the file size the header claims: hdr_len + end of the furthest section */
};

/*
 * Validate only the header at data: magic 0xeB9F in either byte order, version 1,
 * hdr_len >= 24. Needs len >= 24 but nothing past the header, so it also judges a copy of
 * just the first bytes (what a support bundle may store). Returns 0 or -EINVAL with a
 * one-line reason in err (printable ASCII).
 */
int btfread_header(const void *data, size_t len, struct btfread_header *h, char *err,
		   size_t errlen);

struct btfread;

/*
 * Parse and validate raw BTF of len bytes: the header (no flags set), both sections inside
 * the buffer and apart from each other (64-bit arithmetic: no u32 wrap-around), the type
 * section 4-byte aligned, the string section starting and ending with NUL, every type record
 * complete and of a known kind (0..19), at most BTFREAD_MAX_TYPES of them, every name offset
 * inside the string section, every referenced type id in range. One pass records where each
 * type starts, so lookups by id are O(1).
 *
 * Native-endian data is NOT copied: *out points into data, which the caller must keep alive
 * and unchanged until btfread_free(). Big-endian data (on a little-endian host, and the
 * reverse) is byte-swapped into a copy *out owns. Memory: the copy when swapped, plus 4 bytes
 * per type (at most a third of the type section).
 *
 * Returns 0, -EINVAL with a one-line reason in err (printable ASCII, no text from the file),
 * or -ENOMEM. *out is NULL on error.
 */
int btfread_open(const void *data, size_t len, struct btfread **out, char *err, size_t errlen);
void btfread_free(struct btfread *b);

/* The kernel's own limit on the number of types (BTF_MAX_TYPE). */
#define BTFREAD_MAX_TYPES 0xfffffu

/* Number of type records; valid type ids are 1..btfread_nr_types() (0 is void). */
size_t btfread_nr_types(const struct btfread *b);

/*
 * Size in bytes of the first struct named sname. Returns 0 or -ENOENT (no such struct).
 */
int btfread_struct_size(const struct btfread *b, const char *sname, unsigned int *size);

/*
 * Byte offset and size of member `member` of the first struct named sname. The size is the
 * member's type's, following typedef, const, volatile, restrict and type tags (at most 32
 * steps, so a loop ends), multiplying array dimensions (past INT_MAX is an error); a pointer
 * is 8 bytes. For a bitfield, offset is the byte holding its first bit and size that of its
 * declared integer or enum type.
 *
 * On success the member lies inside the struct: offset + size <= the struct's size, except
 * that a bitfield's type (at most 16 bytes) may reach past the end; its bits never do.
 * Returns 0, -ENOENT (no such struct), -ESRCH (no such member) or -EINVAL (the member's size
 * cannot be resolved: void, a function, a loop, an overflow; or it lies outside the struct).
 */
int btfread_member(const struct btfread *b, const char *sname, const char *member, int *offset,
		   int *size);

/*
 * Value of enumerator `name` in the first enum (ENUM or ENUM64) named enum_name. Values are
 * signed or unsigned as the enum's kind_flag says; an unsigned 64-bit value above LLONG_MAX
 * is returned as its two's complement bit pattern. Returns 0, -ENOENT (no such enum) or
 * -ESRCH (no such enumerator).
 */
int btfread_enumerator(const struct btfread *b, const char *enum_name, const char *name,
		       long long *value);

#endif
