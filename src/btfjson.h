/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BTFJSON_H
#define EDRDIAG_BTFJSON_H

#include <linux/types.h>
#include <stddef.h>

/*
 * Map data rendered from its BTF as JSON, in the form of bpftool's BTF dumper (the
 * "formatted" member of `bpftool -j map dump`), on a jsonw writer: map-dump renders a
 * million entries with it, so it writes straight into the writer's buffer and escapes the
 * names of struct members once per type, not once per entry. Nothing here prints.
 */

struct btf;
struct jsonw;
struct btfjson_names;

/* A cache of the escaped member names of btf's structs and unions, filled as they come. */
struct btfjson_names *btfjson_names_new(const struct btf *btf);
void btfjson_names_free(struct btfjson_names *names);

/*
 * Write size bytes at data as type_id of btf, one JSON value: integers as numbers (bit-fields
 * and 128-bit ones as "0x..." strings), chars as one-character strings, char arrays holding a
 * C string as strings, structs and unions as objects, arrays as arrays, enums by name (a
 * number when no enumerator matches), pointers as integers, typedefs and modifiers by what
 * they name. names (from btfjson_names_new for this btf) may be NULL. The value is always
 * valid JSON: what cannot be rendered (a forward declaration, data shorter than the type,
 * nesting deeper than JSON or BTF allow) is null, and -EINVAL is returned; else 0.
 */
int btfjson_write(struct jsonw *w, const struct btf *btf, struct btfjson_names *names,
		  __u32 type_id, const void *data, size_t size);

#endif
