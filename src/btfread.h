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

/* The largest kernel BTF file read from a bundle or a root (a kernel's is 5-10 MB). */
#define BTFREAD_FILE_MAX (16u << 20)

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

/*
 * Generic accessors, for walking types (CO-RE relocations, corerelo.h). Every id is checked:
 * an id out of range (or 0, void) gives -EINVAL / 0, never a read outside the file.
 */
enum {
	BTFREAD_KIND_INT = 1,
	BTFREAD_KIND_PTR = 2,
	BTFREAD_KIND_ARRAY = 3,
	BTFREAD_KIND_STRUCT = 4,
	BTFREAD_KIND_UNION = 5,
	BTFREAD_KIND_ENUM = 6,
	BTFREAD_KIND_FWD = 7,
	BTFREAD_KIND_TYPEDEF = 8,
	BTFREAD_KIND_FUNC = 12,
	BTFREAD_KIND_ENUM64 = 19,
};

struct btfread_type {
	unsigned int kind, vlen;
	bool kflag;
	const char *name;	/* "" when anonymous; ends inside the string section */
	unsigned int size_type; /* size (INT, STRUCT, UNION, ENUM...) or referred type id */
};

/* Type id's record. 0, or -EINVAL (id 0 or past the last type). */
int btfread_type(const struct btfread *b, unsigned int id, struct btfread_type *t);

/*
 * Member i of struct/union id: its name ("" anonymous), type id and bit offset (a bitfield's
 * width removed when the kind_flag is set). 0, or -EINVAL (not a struct/union, i >= vlen).
 */
int btfread_member_at(const struct btfread *b, unsigned int id, unsigned int i, const char **name,
		      unsigned int *type, unsigned int *bit_off);

/* Enumerator i of enum/enum64 id: its name and (value not NULL) its value. 0, or -EINVAL. */
int btfread_enumerator_at(const struct btfread *b, unsigned int id, unsigned int i,
			  const char **name, long long *value);

/* The first type of kind kind (BTFREAD_KIND_*) named name: its id, or 0 when there is none. */
unsigned int btfread_find(const struct btfread *b, const char *name, unsigned int kind);

/* Array id's element type and number of elements. 0, or -EINVAL (not an array). */
int btfread_array(const struct btfread *b, unsigned int id, unsigned int *elem,
		  unsigned int *nelems);

/*
 * Through typedefs, const, volatile, restrict and type tags (at most 32 steps, so a loop
 * ends): the id of the type underneath, or 0 (void, out of range, a loop).
 */
unsigned int btfread_skip_mods(const struct btfread *b, unsigned int id);

/*
 * The next type after id `after` (0: from the first) of kind `kind` whose name, with any
 * "___flavor" suffix removed, is the n bytes at ess. 0 when there is none.
 */
unsigned int btfread_find_essential(const struct btfread *b, const char *ess, size_t n,
				    unsigned int kind, unsigned int after);

/* The string at offset off of the string section, or NULL when off is past it. */
const char *btfread_string(const struct btfread *b, unsigned int off);

/* Length of name without its "___flavor" suffix (libbpf's rule: the last "x___y"). */
size_t btfread_essential_len(const char *name);

#endif
