// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/btf.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfjson.h"
#include "jsonw.h"
#include "text.h"
#include "util.h"

/* Nesting deeper than this in BTF is not a map value: a loop in a corrupt BTF. */
#define BTF_MAX_DEPTH 64

static const char hexdig[] = "0123456789abcdef";

/*
 * The members of each struct or union as JSON keys ("name"), escaped the first time the
 * type is rendered rather than once per entry: a million entries repeat the same names.
 */
struct btfjson_names {
	__u32 ntypes;
	void **by_type; /* per type id: NULL, or struct mname[vlen] followed by the text */
};

struct mname {
	__u32 off, len; /* in the text after the array */
};

struct btfjson_names *btfjson_names_new(const struct btf *btf)
{
	struct btfjson_names *c = util_xmalloc(sizeof(*c));

	c->ntypes = btf__type_cnt(btf);
	c->by_type = util_xmalloc(c->ntypes * sizeof(*c->by_type));
	memset(c->by_type, 0, c->ntypes * sizeof(*c->by_type));
	return c;
}

void btfjson_names_free(struct btfjson_names *c)
{
	__u32 i;

	if (!c)
		return;
	for (i = 0; i < c->ntypes; i++)
		free(c->by_type[i]);
	free(c->by_type);
	free(c);
}

struct render {
	struct jsonw *w;
	const struct btf *btf;
	struct btfjson_names *names; /* NULL: escape every name as it comes */
	const unsigned char *end;    /* of the data: nothing is read past it */
	int err;
};

static void render(struct render *r, __u32 id, unsigned int bit_off, const unsigned char *data,
		   int depth);

static void put_null(struct render *r)
{
	jsonw_null(r->w);
	r->err = -EINVAL;
}

/*
 * nr_bits at bit_off (< 8) of data, as a "0x..." string: how bpftool shows bit-fields and
 * 128-bit integers. Little-endian bit numbering, as on the hosts BPF runs on (x86, arm64).
 */
static void put_bits(struct render *r, unsigned int nr_bits, unsigned int bit_off,
		     const unsigned char *data)
{
	unsigned int nbytes = (bit_off + nr_bits + 7) / 8, i;
	unsigned __int128 v = 0;
	char tmp[40], *p = tmp + sizeof(tmp);

	if (nbytes > 16 || data + nbytes > r->end || !nr_bits) {
		put_null(r);
		return;
	}
	for (i = nbytes; i-- > 0;)
		v = v << 8 | data[i];
	v >>= bit_off;
	if (nr_bits < 128)
		v &= ((unsigned __int128)1 << nr_bits) - 1;
	/* "0x" and the hex digits without leading zeros, written backwards */
	*--p = '"';
	do {
		*--p = hexdig[(unsigned int)v & 15];
		v >>= 4;
	} while (v);
	p -= 3;
	memcpy(p, "\"0x", 3);
	strbuf_put(jsonw_value_raw(r->w), p, (size_t)(tmp + sizeof(tmp) - p));
}

static unsigned long long load_uint(const unsigned char *p, unsigned int size)
{
	unsigned long long v = 0;

	/* memcpy: map data has no alignment guarantee (a 3-byte key before a u64) */
	memcpy(&v, p, size);
	return v;
}

static long long load_sint(const unsigned char *p, unsigned int size)
{
	unsigned long long v = load_uint(p, size);
	unsigned int shift = 64 - 8 * size;

	return (long long)(v << shift) >> shift;
}

static void render_int(struct render *r, const struct btf_type *t, unsigned int bit_off,
		       const unsigned char *data)
{
	unsigned int bits = btf_int_bits(t), off = btf_int_offset(t);
	__u8 enc = btf_int_encoding(t);

	if (bit_off || off || bits % 8 || bits == 128) {
		off += bit_off;
		put_bits(r, bits, off % 8, data + off / 8);
		return;
	}
	if (data + bits / 8 > r->end) {
		put_null(r);
		return;
	}
	switch (enc) {
	case 0:
	case BTF_INT_SIGNED:
		if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
			put_bits(r, bits, 0, data);
		else if (enc)
			jsonw_s64(r->w, load_sint(data, bits / 8));
		else
			jsonw_u64(r->w, load_uint(data, bits / 8));
		return;
	case BTF_INT_CHAR:
		if (data[0] >= 0x20 && data[0] < 0x7f) {
			jsonw_strn(r->w, (const char *)data, 1);
		} else {
			/* bpftool's form for any other byte, UTF-8 or not */
			char tmp[] = "\"\\u00xx\"";

			tmp[5] = hexdig[data[0] >> 4];
			tmp[6] = hexdig[data[0] & 15];
			strbuf_put(jsonw_value_raw(r->w), tmp, 8);
		}
		return;
	case BTF_INT_BOOL:
		jsonw_bool(r->w, data[0]);
		return;
	}
	put_null(r);
}

/* bpftool's rule: a char array holding a NUL-terminated printable string is a string */
static bool str_array(const struct btf *btf, const struct btf_array *arr, const unsigned char *s,
		      const unsigned char *end)
{
	const struct btf_type *e = btf__type_by_id(btf, arr->type);
	__u32 i;

	if (!arr->nelems)
		return false;
	/* modifiers are looked through, typedefs are not: a typedef of char is not a string */
	while (e && btf_is_mod(e))
		e = btf__type_by_id(btf, e->type);
	if (!e || !btf_is_int(e) || e->size != 1)
		return false;
	if (btf_int_encoding(e) != BTF_INT_CHAR &&
	    strcmp(btf__name_by_offset(btf, e->name_off), "char"))
		return false;
	for (i = 0; i < arr->nelems && s + i < end; i++) {
		if (!s[i])
			return true;
		if (s[i] <= 0x1f || s[i] >= 0x7f)
			return false;
	}
	return false;
}

static void render_array(struct render *r, const struct btf_type *t, const unsigned char *data,
			 int depth)
{
	const struct btf_array *arr = btf_array(t);
	long long esz;
	__u32 i;

	if (str_array(r->btf, arr, data, r->end)) {
		jsonw_strn(r->w, (const char *)data, strnlen((const char *)data, arr->nelems));
		return;
	}
	esz = btf__resolve_size(r->btf, arr->type);
	if (esz < 0 || data + (size_t)esz * arr->nelems > r->end) {
		put_null(r);
		return;
	}
	jsonw_begin_array(r->w);
	for (i = 0; i < arr->nelems; i++)
		render(r, arr->type, 0, data + (size_t)esz * i, depth + 1);
	jsonw_end_array(r->w);
}

/* The name at name_off of btf, "" when there is none. */
static const char *name_of(const struct btf *btf, __u32 name_off)
{
	return btf__name_by_offset(btf, name_off) ?: "";
}

static void put_name(struct render *r, __u32 name_off)
{
	jsonw_key(r->w, name_of(r->btf, name_off));
}

/* The struct's escaped member names, built on first use; NULL without a cache. */
static const struct mname *member_names(struct render *r, __u32 id, const struct btf_type *t,
					const char **text)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, vlen = btf_vlen(t);
	struct mname *mn;
	size_t total = 0;
	char *p;

	if (!r->names || id >= r->names->ntypes)
		return NULL;
	if (!r->names->by_type[id]) {
		for (i = 0; i < vlen; i++)
			total += TEXT_JSON_MAX(strlen(name_of(r->btf, m[i].name_off)));
		mn = util_xmalloc(vlen * sizeof(*mn) + total + 1);
		p = (char *)(mn + vlen);
		for (i = 0, total = 0; i < vlen; i++) {
			const char *name = name_of(r->btf, m[i].name_off);
			char *end = text_json_escape(p + total, name, strlen(name));

			mn[i].off = (__u32)total;
			mn[i].len = (__u32)(end - (p + total));
			total += mn[i].len;
		}
		r->names->by_type[id] = mn;
	}
	mn = r->names->by_type[id];
	*text = (const char *)(mn + vlen);
	return mn;
}

static void render_struct(struct render *r, __u32 id, const struct btf_type *t,
			  const unsigned char *data, int depth)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, vlen = btf_vlen(t);
	const struct mname *mn;
	const char *text = NULL;

	mn = member_names(r, id, t, &text);
	jsonw_begin_object(r->w);
	for (i = 0; i < vlen; i++) {
		__u32 off = btf_member_bit_offset(t, i), bsz = btf_member_bitfield_size(t, i);

		if (mn)
			jsonw_key_raw(r->w, text + mn[i].off, mn[i].len);
		else
			put_name(r, m[i].name_off);
		if (bsz)
			put_bits(r, bsz, off % 8, data + off / 8);
		else
			render(r, m[i].type, off % 8, data + off / 8, depth + 1);
	}
	jsonw_end_object(r->w);
}

static void render_enum(struct render *r, const struct btf_type *t, const unsigned char *data)
{
	__u16 i, vlen = btf_vlen(t);
	__u32 name_off;
	long long v;

	if ((t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8) ||
	    data + t->size > r->end) {
		put_null(r);
		return;
	}
	/* read signed, as bpftool does, whatever the enum's signedness */
	v = load_sint(data, t->size);
	for (i = 0; i < vlen; i++) {
		if (btf_is_enum(t) ? v == btf_enum(t)[i].val
				   : (unsigned long long)v == btf_enum64_value(&btf_enum64(t)[i]))
			break;
	}
	if (i == vlen) {
		jsonw_s64(r->w, v);
		return;
	}
	name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
	jsonw_str(r->w, name_of(r->btf, name_off));
}

static void render_float(struct render *r, const struct btf_type *t, const unsigned char *data)
{
	char tmp[40];
	double v;

	if (data + t->size > r->end || (t->size != 4 && t->size != 8)) {
		put_null(r);
		return;
	}
	if (t->size == 4) {
		float f;

		memcpy(&f, data, 4);
		v = f;
	} else {
		memcpy(&v, data, 8);
	}
	/* JSON has no NaN or infinity */
	if (!isfinite(v)) {
		jsonw_null(r->w);
		return;
	}
	/* all the digits of the type, as bpftool prints them (jsonw_real has jansson's 9) */
	snprintf(tmp, sizeof(tmp), "%.*g", t->size == 4 ? 9 : 17, v);
	strbuf_put(jsonw_value_raw(r->w), tmp, strlen(tmp));
}

static void render(struct render *r, __u32 id, unsigned int bit_off, const unsigned char *data,
		   int depth)
{
	const struct btf_type *t = btf__type_by_id(r->btf, id);

	/* the writer's nesting has a bound too: a value nested past it is null, no abort */
	if (!t || depth > BTF_MAX_DEPTH || data > r->end || r->w->depth >= JSONW_MAX_DEPTH - 2) {
		put_null(r);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		render_int(r, t, bit_off, data);
		break;
	case BTF_KIND_PTR:
		/* BPF pointers are 64-bit; bpftool shows them as unsigned numbers in JSON */
		if (data + 8 > r->end)
			put_null(r);
		else
			jsonw_u64(r->w, load_uint(data, 8));
		break;
	case BTF_KIND_ARRAY:
		render_array(r, t, data, depth);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		render_struct(r, id, t, data, depth);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		render_enum(r, t, data);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		render(r, t->type, bit_off, data, depth + 1);
		break;
	case BTF_KIND_VAR:
		/* a global of a program's .data/.bss/.rodata: {"name": value} */
		jsonw_begin_object(r->w);
		put_name(r, t->name_off);
		render(r, t->type, bit_off, data, depth + 1);
		jsonw_end_object(r->w);
		break;
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);
		__u16 i, vlen = btf_vlen(t);

		jsonw_begin_object(r->w);
		put_name(r, t->name_off);
		jsonw_begin_array(r->w);
		for (i = 0; i < vlen; i++)
			render(r, v[i].type, 0, data + v[i].offset, depth + 1);
		jsonw_end_array(r->w);
		jsonw_end_object(r->w);
		break;
	}
	case BTF_KIND_FLOAT:
		render_float(r, t, data);
		break;
	default:
		/* forward declarations, functions, tags: not the type of any data */
		put_null(r);
	}
}

int btfjson_write(struct jsonw *w, const struct btf *btf, struct btfjson_names *names,
		  __u32 type_id, const void *data, size_t size)
{
	struct render r = {
		.w = w, .btf = btf, .names = names, .end = (const unsigned char *)data + size
	};
	long long need = btf__resolve_size(btf, type_id);

	if (need < 0 || (size_t)need > size)
		put_null(&r);
	else
		render(&r, type_id, 0, data, 0);
	return r.err;
}
