// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A bounds-checked reader of raw BTF, written from the format's description
 * (Documentation/bpf/btf.rst): a 24-byte header, then a type section of records made of
 * 32-bit words, then a string section of NUL-terminated names.
 *
 * The file may come from a customer's bundle, so open() checks everything the lookups later
 * rely on, once: the sections lie inside the buffer, every record is complete and of a known
 * kind, every name offset points into a string section that ends with a NUL (so any name
 * read from it ends inside it), every type id a record refers to exists. The lookups then
 * only need to bound what open() cannot: the length of typedef chains (a loop is valid
 * structure) and the arithmetic of sizes.
 *
 * Words are read with memcpy: the caller's buffer need not be aligned, and the compiler
 * turns each into one load.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "btfread.h"

#define BTF_MAGIC   0xeb9f
#define HDR_LEN_MIN 24
#define REC_LEN	    12 /* name_off, info, size or type: every record starts so */
#define MAX_DEPTH   32 /* typedef/qualifier/array steps when resolving a size */

/* The kinds, as numbered by the format (BTF_KIND_* in linux/btf.h). */
enum {
	K_UNKN,
	K_INT,
	K_PTR,
	K_ARRAY,
	K_STRUCT,
	K_UNION,
	K_ENUM,
	K_FWD,
	K_TYPEDEF,
	K_VOLATILE,
	K_CONST,
	K_RESTRICT,
	K_FUNC,
	K_FUNC_PROTO,
	K_VAR,
	K_DATASEC,
	K_FLOAT,
	K_DECL_TAG,
	K_TYPE_TAG,
	K_ENUM64,
	K_NR,
};

struct btfread {
	const unsigned char *types; /* the type section */
	const char *strs;	    /* the string section: strs[0] and strs[strs_len - 1] are NUL */
	uint32_t types_len, strs_len;
	uint32_t nr;	     /* type records: ids 1..nr */
	uint32_t *off;	     /* off[id]: where record id starts in types; off[0] unused */
	unsigned char *copy; /* the byte-swapped copy, or NULL when types points at the caller's */
};

static inline uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t rd16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static inline unsigned int info_kind(uint32_t info)
{
	return (info >> 24) & 0x1f;
}

static inline unsigned int info_vlen(uint32_t info)
{
	return info & 0xffff;
}

static inline bool info_kflag(uint32_t info)
{
	return info >> 31;
}

int btfread_header(const void *data, size_t len, struct btfread_header *h, char *err, size_t errlen)
{
	const unsigned char *p = data;
	uint64_t type_end, str_end;
	uint32_t w[5];
	uint16_t magic;
	int i;

	memset(h, 0, sizeof(*h));
	if (!p || len < HDR_LEN_MIN) {
		i18n_set_err(err, errlen, "%zu bytes: shorter than the %d-byte BTF header",
			     p ? len : 0, HDR_LEN_MIN);
		return -EINVAL;
	}
	magic = rd16(p);
	if (magic == BTF_MAGIC) {
		h->swapped = false;
	} else if (magic == (uint16_t)(BTF_MAGIC >> 8 | (BTF_MAGIC & 0xff) << 8)) {
		h->swapped = true;
	} else {
		i18n_set_err(err, errlen, "bad magic 0x%02x%02x: not BTF (0xeb9f)", p[0], p[1]);
		return -EINVAL;
	}
	h->version = p[2];
	h->flags = p[3];
	for (i = 0; i < 5; i++) {
		w[i] = rd32(p + 4 + 4 * i);
		if (h->swapped)
			w[i] = swap32(w[i]);
	}
	h->hdr_len = w[0];
	h->type_off = w[1];
	h->type_len = w[2];
	h->str_off = w[3];
	h->str_len = w[4];
	if (h->version != 1) {
		i18n_set_err(err, errlen, "BTF version %u: only version 1 is known", h->version);
		return -EINVAL;
	}
	if (h->hdr_len < HDR_LEN_MIN) {
		i18n_set_err(err, errlen, "BTF header length %u: shorter than %d", h->hdr_len,
			     HDR_LEN_MIN);
		return -EINVAL;
	}
	/* 64-bit sums: each term is below 2^32, so none wraps */
	type_end = (uint64_t)h->type_off + h->type_len;
	str_end = (uint64_t)h->str_off + h->str_len;
	h->total = (size_t)(h->hdr_len + (type_end > str_end ? type_end : str_end));
	return 0;
}

/*
 * The size in bytes of the record of a known kind at p, whose first REC_LEN bytes are
 * there, or 0 when it runs past the avail bytes left.
 */
static size_t rec_size(const unsigned char *p, size_t avail)
{
	uint32_t info = rd32(p + 4);
	size_t vlen = info_vlen(info), extra;

	switch (info_kind(info)) {
	case K_INT:
	case K_VAR:
	case K_DECL_TAG:
		extra = 4;
		break;
	case K_ARRAY:
		extra = 12;
		break;
	case K_STRUCT:
	case K_UNION:
	case K_DATASEC:
	case K_ENUM64:
		extra = vlen * 12;
		break;
	case K_ENUM:
	case K_FUNC_PROTO:
		extra = vlen * 8;
		break;
	default: /* UNKN, PTR, FWD, TYPEDEF, qualifiers, FUNC, FLOAT, TYPE_TAG */
		extra = 0;
		break;
	}
	/* vlen < 2^16 and at most 12 bytes per entry: no overflow */
	if (avail - REC_LEN < extra)
		return 0;
	return REC_LEN + extra;
}

/* Checks name offset v of type id, or of its what-th member, enumerator, ... (what_nr). */
static int check_name(const struct btfread *b, uint32_t id, uint32_t v, const char *what,
		      unsigned int what_nr, char *err, size_t errlen)
{
	if (v < b->strs_len)
		return 0;
	if (what)
		i18n_set_err(err, errlen,
			     "type %u, %s %u: name offset %u past the %u-byte string section", id,
			     what, what_nr, v, b->strs_len);
	else
		i18n_set_err(err, errlen, "type %u: name offset %u past the %u-byte string section",
			     id, v, b->strs_len);
	return -EINVAL;
}

/*
 * The largest type id the records refer to, and the first record referring to it: one
 * comparison with the number of types, known only at the end of the walk, checks them all.
 */
struct refs {
	uint32_t max, from;
};

static inline void ref(struct refs *r, uint32_t id, uint32_t to)
{
	if (to > r->max) {
		r->max = to;
		r->from = id;
	}
}

/* Names and type references of the whole record id at t. */
static int check_record(const struct btfread *b, uint32_t id, const unsigned char *t,
			struct refs *r, char *err, size_t errlen)
{
	uint32_t info = rd32(t + 4), i, vlen = info_vlen(info);
	const unsigned char *v = t + REC_LEN;

	if (check_name(b, id, rd32(t), NULL, 0, err, errlen))
		return -EINVAL;
	switch (info_kind(info)) {
	case K_PTR:
	case K_TYPEDEF:
	case K_VOLATILE:
	case K_CONST:
	case K_RESTRICT:
	case K_FUNC:
	case K_VAR:
	case K_DECL_TAG:
	case K_TYPE_TAG:
		ref(r, id, rd32(t + 8));
		break;
	case K_ARRAY: /* element type, index type */
		ref(r, id, rd32(v));
		ref(r, id, rd32(v + 4));
		break;
	case K_STRUCT:
	case K_UNION: /* name_off, type, offset */
		for (i = 0; i < vlen; i++, v += 12) {
			if (check_name(b, id, rd32(v), "member", i, err, errlen))
				return -EINVAL;
			ref(r, id, rd32(v + 4));
		}
		break;
	case K_ENUM:   /* name_off, val */
	case K_ENUM64: /* name_off, lo32, hi32 */
		for (i = 0; i < vlen; i++, v += info_kind(info) == K_ENUM ? 8 : 12)
			if (check_name(b, id, rd32(v), "enumerator", i, err, errlen))
				return -EINVAL;
		break;
	case K_FUNC_PROTO: /* the return type; then name_off, type per parameter */
		ref(r, id, rd32(t + 8));
		for (i = 0; i < vlen; i++, v += 8) {
			if (check_name(b, id, rd32(v), "parameter", i, err, errlen))
				return -EINVAL;
			ref(r, id, rd32(v + 4));
		}
		break;
	case K_DATASEC: /* type, offset, size */
		for (i = 0; i < vlen; i++, v += 12)
			ref(r, id, rd32(v));
		break;
	default:
		break;
	}
	return 0;
}

/* Byte-swap the header's words and every word of the type section, in the copy. */
static void swap_copy(unsigned char *c, const struct btfread_header *h)
{
	unsigned char *p, *end;
	uint32_t v;

	for (p = c + 4; p < c + HDR_LEN_MIN; p += 4) {
		v = swap32(rd32(p));
		memcpy(p, &v, 4);
	}
	p = c + h->hdr_len + h->type_off;
	end = p + h->type_len;
	for (; p < end; p += 4) {
		v = swap32(rd32(p));
		memcpy(p, &v, 4);
	}
}

/* The sections in the buffer, apart; strings framed by NULs. */
static int check_layout(const struct btfread_header *h, size_t len, char *err, size_t errlen)
{
	/* 64-bit sums: each term is below 2^32, so none wraps as u32 arithmetic would */
	uint64_t type_end = (uint64_t)h->type_off + h->type_len;
	uint64_t str_end = (uint64_t)h->str_off + h->str_len;
	uint64_t body;

	if (h->flags) {
		i18n_set_err(err, errlen, "BTF header flags 0x%x: none are defined", h->flags);
		return -EINVAL;
	}
	if (h->hdr_len > len) {
		i18n_set_err(err, errlen, "BTF header length %u: past the end of the %zu-byte file",
			     h->hdr_len, len);
		return -EINVAL;
	}
	body = (uint64_t)len - h->hdr_len;
	if (type_end > body) {
		i18n_set_err(
			err, errlen,
			"type section at %u + %u: past the end of the %llu bytes after the header",
			h->type_off, h->type_len, (unsigned long long)body);
		return -EINVAL;
	}
	if (str_end > body) {
		i18n_set_err(err, errlen,
			     "string section at %u + %u: past the end of the %llu bytes after the "
			     "header",
			     h->str_off, h->str_len, (unsigned long long)body);
		return -EINVAL;
	}
	if (h->type_len && h->str_len && h->type_off < str_end && h->str_off < type_end) {
		i18n_set_err(err, errlen,
			     "type section at %u + %u overlaps string section at %u + %u",
			     h->type_off, h->type_len, h->str_off, h->str_len);
		return -EINVAL;
	}
	if (h->type_off % 4 || h->type_len % 4) {
		i18n_set_err(err, errlen, "type section at %u + %u: not aligned to 4 bytes",
			     h->type_off, h->type_len);
		return -EINVAL;
	}
	if (!h->str_len) {
		i18n_set_err(err, errlen, "empty string section");
		return -EINVAL;
	}
	return 0;
}

int btfread_open(const void *data, size_t len, struct btfread **out, char *err, size_t errlen)
{
	struct refs refs = { 0, 0 };
	struct btfread_header h;
	const unsigned char *base;
	struct btfread *b;
	size_t pos, n, max;
	unsigned int kind;
	uint32_t id;
	int ret;

	*out = NULL;
	ret = btfread_header(data, len, &h, err, errlen);
	if (ret)
		return ret;
	ret = check_layout(&h, len, err, errlen);
	if (ret)
		return ret;

	b = calloc(1, sizeof(*b));
	if (!b)
		goto nomem;
	base = data;
	if (h.swapped) {
		b->copy = malloc(len);
		if (!b->copy)
			goto nomem;
		memcpy(b->copy, data, len);
		swap_copy(b->copy, &h);
		base = b->copy;
	}
	b->types = base + h.hdr_len + h.type_off;
	b->types_len = h.type_len;
	b->strs = (const char *)base + h.hdr_len + h.str_off;
	b->strs_len = h.str_len;
	if (b->strs[0] || b->strs[b->strs_len - 1]) {
		i18n_set_err(err, errlen, "string section does not %s with a NUL byte",
			     b->strs[0] ? "start" : "end");
		ret = -EINVAL;
		goto fail;
	}

	/* every record is at least 12 bytes: this bounds the index by a third of the section */
	max = b->types_len / REC_LEN;
	if (max > BTFREAD_MAX_TYPES)
		max = BTFREAD_MAX_TYPES;
	b->off = malloc((max + 1) * sizeof(*b->off));
	if (!b->off)
		goto nomem;
	b->off[0] = 0;
	for (pos = 0, id = 0; pos < b->types_len; pos += n) {
		n = 0;
		if (b->types_len - pos >= REC_LEN) {
			kind = info_kind(rd32(b->types + pos + 4));
			if (kind >= K_NR) {
				i18n_set_err(err, errlen, "type %u at offset %zu: unknown kind %u",
					     id + 1, pos, kind);
				ret = -EINVAL;
				goto fail;
			}
			n = rec_size(b->types + pos, b->types_len - pos);
		}
		if (!n) {
			i18n_set_err(
				err, errlen,
				"type %u at offset %zu: record runs past the %u-byte type section",
				id + 1, pos, b->types_len);
			ret = -EINVAL;
			goto fail;
		}
		if (id == max) {
			i18n_set_err(err, errlen, "more than %u types", (unsigned int)max);
			ret = -EINVAL;
			goto fail;
		}
		b->off[++id] = (uint32_t)pos;
		ret = check_record(b, id, b->types + pos, &refs, err, errlen);
		if (ret)
			goto fail;
	}
	b->nr = id;
	if (refs.max > b->nr) {
		i18n_set_err(err, errlen, "type %u: refers to type %u, past the last type %u",
			     refs.from, refs.max, b->nr);
		ret = -EINVAL;
		goto fail;
	}
	*out = b;
	return 0;
nomem:
	i18n_set_err(err, errlen, "out of memory reading %zu bytes of BTF", len);
	ret = -ENOMEM;
fail:
	btfread_free(b);
	return ret;
}

void btfread_free(struct btfread *b)
{
	if (!b)
		return;
	free(b->off);
	free(b->copy);
	free(b);
}

size_t btfread_nr_types(const struct btfread *b)
{
	return b->nr;
}

static inline const unsigned char *type_at(const struct btfread *b, uint32_t id)
{
	return b->types + b->off[id];
}

/* Name offsets were checked by open(), and the section ends with a NUL. */
static inline const char *name_at(const struct btfread *b, uint32_t name_off)
{
	return b->strs + name_off;
}

/* The first type of kind k1 or k2 named name, or 0. */
static uint32_t find(const struct btfread *b, const char *name, unsigned int k1, unsigned int k2)
{
	const unsigned char *t;
	unsigned int k;
	uint32_t id;

	if (!name)
		return 0;
	for (id = 1; id <= b->nr; id++) {
		t = type_at(b, id);
		k = info_kind(rd32(t + 4));
		if ((k == k1 || k == k2) && !strcmp(name_at(b, rd32(t)), name))
			return id;
	}
	return 0;
}

int btfread_struct_size(const struct btfread *b, const char *sname, unsigned int *size)
{
	uint32_t id = find(b, sname, K_STRUCT, K_STRUCT);

	if (!id)
		return -ENOENT;
	*size = rd32(type_at(b, id) + 8);
	return 0;
}

/* What a member's type resolves to. */
struct resolved {
	uint32_t size;	   /* bytes, at most INT_MAX */
	unsigned int kind; /* of the innermost type: K_INT, K_STRUCT, ... */
	uint64_t bits;	   /* K_INT: bit offset + bits of its encoding; else size * 8 */
	bool array;	   /* an array of it */
};

/*
 * Size of type id: through typedefs, qualifiers and type tags, times array dimensions. At
 * most MAX_DEPTH steps in all, so a loop (which open() cannot see: every id in it exists)
 * ends in an error.
 */
static int resolve(const struct btfread *b, uint32_t id, struct resolved *r)
{
	uint64_t mult = 1, size;
	const unsigned char *t;
	uint32_t info, enc;
	int depth;

	memset(r, 0, sizeof(*r));
	for (depth = 0; depth < MAX_DEPTH; depth++) {
		if (!id || id > b->nr)
			return -EINVAL; /* void has no size; open() checked the rest */
		t = type_at(b, id);
		info = rd32(t + 4);
		r->kind = info_kind(info);
		switch (r->kind) {
		case K_INT:
			enc = rd32(t + REC_LEN);
			r->bits = ((enc >> 16) & 0xff) + (enc & 0xff);
			/* fall through */
		case K_STRUCT:
		case K_UNION:
		case K_ENUM:
		case K_ENUM64:
		case K_FLOAT:
			size = rd32(t + 8);
			goto sized;
		case K_PTR:
			size = 8;
			goto sized;
		case K_TYPEDEF:
		case K_VOLATILE:
		case K_CONST:
		case K_RESTRICT:
		case K_TYPE_TAG:
			id = rd32(t + 8);
			break;
		case K_ARRAY:
			/* mult stays <= INT_MAX + 1 (saturated), so this product fits 64 bits */
			mult *= rd32(t + REC_LEN + 8);
			if (mult > (uint64_t)INT_MAX + 1)
				mult = (uint64_t)INT_MAX + 1;
			r->array = true;
			id = rd32(t + REC_LEN);
			break;
		default: /* FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG, UNKN: no member size */
			return -EINVAL;
		}
	}
	return -EINVAL;
sized:
	/* both factors are below 2^32 (mult saturated at 2^31): no 64-bit overflow */
	size *= mult;
	if (size > INT_MAX)
		return -EINVAL;
	r->size = (uint32_t)size;
	if (r->kind != K_INT || r->array || r->bits > (uint64_t)r->size * 8)
		r->bits = (uint64_t)r->size * 8;
	return 0;
}

int btfread_member(const struct btfread *b, const char *sname, const char *member, int *offset,
		   int *size)
{
	uint32_t id, info, i, vlen, m_off, bit_off, ssize;
	uint64_t nbits, tbits;
	const unsigned char *t, *m;
	struct resolved r;
	bool bitfield;

	id = find(b, sname, K_STRUCT, K_STRUCT);
	if (!id)
		return -ENOENT;
	if (!member)
		return -ESRCH;
	t = type_at(b, id);
	info = rd32(t + 4);
	ssize = rd32(t + 8);
	vlen = info_vlen(info);
	for (i = 0, m = t + REC_LEN; i < vlen; i++, m += 12)
		if (!strcmp(name_at(b, rd32(m)), member))
			break;
	if (i == vlen)
		return -ESRCH;

	if (resolve(b, rd32(m + 4), &r))
		return -EINVAL;
	m_off = rd32(m + 8);
	/* with kind_flag, the top 8 bits are a bitfield's width and the rest its bit offset */
	bit_off = info_kflag(info) ? m_off & 0xffffff : m_off;
	nbits = info_kflag(info) ? m_off >> 24 : 0;
	/* without it, an old-style bitfield is an int narrower than its size, or unaligned */
	tbits = (uint64_t)r.size * 8;
	bitfield = nbits || r.bits < tbits || bit_off % 8;
	if (bitfield) {
		if ((r.kind != K_INT && r.kind != K_ENUM && r.kind != K_ENUM64) || r.array ||
		    !r.size || r.size > 16)
			return -EINVAL;
		if (!nbits)
			nbits = r.bits;
		if (!nbits || nbits > tbits)
			return -EINVAL;
	} else {
		nbits = tbits;
	}
	/* bit_off < 2^32, nbits < 2^35: the sum fits 64 bits */
	if ((uint64_t)bit_off + nbits > (uint64_t)ssize * 8)
		return -EINVAL;
	*offset = (int)(bit_off / 8);
	*size = (int)r.size;
	return 0;
}

/* The value of the enumerator record at e: signed or unsigned as kflag says. */
static long long enum_value(bool is64, bool kflag, const unsigned char *e)
{
	uint64_t v = is64 ? (uint64_t)rd32(e + 8) << 32 | rd32(e + 4) : rd32(e + 4);
	long long out;

	/* a signed 32-bit value (kind_flag): extend its sign to 64 bits */
	if (!is64 && kflag && (v & 0x80000000u))
		v |= 0xffffffff00000000ull;
	/* the bit pattern, as the header says, without an implementation-defined cast */
	memcpy(&out, &v, sizeof(out));
	return out;
}

int btfread_enumerator(const struct btfread *b, const char *enum_name, const char *name,
		       long long *value)
{
	uint32_t id = find(b, enum_name, K_ENUM, K_ENUM64), i;
	const char *n;

	if (!id)
		return -ENOENT;
	for (i = 0; name && !btfread_enumerator_at(b, id, i, &n, NULL); i++)
		if (!strcmp(n, name))
			return btfread_enumerator_at(b, id, i, &n, value);
	return -ESRCH;
}

int btfread_type(const struct btfread *b, unsigned int id, struct btfread_type *t)
{
	const unsigned char *r;
	uint32_t info;

	if (!id || id > b->nr)
		return -EINVAL;
	r = type_at(b, id);
	info = rd32(r + 4);
	t->kind = info_kind(info);
	t->vlen = info_vlen(info);
	t->kflag = info_kflag(info);
	t->name = name_at(b, rd32(r));
	t->size_type = rd32(r + 8);
	return 0;
}

int btfread_member_at(const struct btfread *b, unsigned int id, unsigned int i, const char **name,
		      unsigned int *type, unsigned int *bit_off)
{
	struct btfread_type t;
	const unsigned char *m;
	uint32_t off;

	if (btfread_type(b, id, &t) || (t.kind != K_STRUCT && t.kind != K_UNION) || i >= t.vlen)
		return -EINVAL;
	/* open() checked the record is complete: vlen members of 12 bytes */
	m = type_at(b, id) + REC_LEN + (size_t)i * 12;
	*name = name_at(b, rd32(m));
	*type = rd32(m + 4);
	off = rd32(m + 8);
	*bit_off = t.kflag ? off & 0xffffff : off;
	return 0;
}

int btfread_enumerator_at(const struct btfread *b, unsigned int id, unsigned int i,
			  const char **name, long long *value)
{
	const unsigned char *e;
	struct btfread_type t;

	if (btfread_type(b, id, &t) || (t.kind != K_ENUM && t.kind != K_ENUM64) || i >= t.vlen)
		return -EINVAL;
	e = type_at(b, id) + REC_LEN + (size_t)i * (t.kind == K_ENUM ? 8 : 12);
	*name = name_at(b, rd32(e));
	if (value)
		*value = enum_value(t.kind == K_ENUM64, t.kflag, e);
	return 0;
}

unsigned int btfread_find(const struct btfread *b, const char *name, unsigned int kind)
{
	return find(b, name, kind, kind);
}

int btfread_array(const struct btfread *b, unsigned int id, unsigned int *elem,
		  unsigned int *nelems)
{
	struct btfread_type t;
	const unsigned char *a;

	if (btfread_type(b, id, &t) || t.kind != K_ARRAY)
		return -EINVAL;
	a = type_at(b, id) + REC_LEN;
	*elem = rd32(a);
	*nelems = rd32(a + 8);
	return 0;
}

unsigned int btfread_skip_mods(const struct btfread *b, unsigned int id)
{
	struct btfread_type t;
	int depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		if (btfread_type(b, id, &t))
			return 0;
		switch (t.kind) {
		case K_TYPEDEF:
		case K_VOLATILE:
		case K_CONST:
		case K_RESTRICT:
		case K_TYPE_TAG:
			id = t.size_type;
			break;
		default:
			return id;
		}
	}
	return 0;
}

size_t btfread_essential_len(const char *name)
{
	size_t n = strlen(name), i;

	/* "x___y": a non-underscore, exactly three underscores, a non-underscore; the last one */
	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (name[i] != '_' && !strncmp(name + i + 1, "___", 3) && name[i + 4] != '_')
			return i + 1;
	return n;
}

unsigned int btfread_find_essential(const struct btfread *b, const char *ess, size_t n,
				    unsigned int kind, unsigned int after)
{
	const unsigned char *t;
	const char *name;
	uint32_t id;

	for (id = after + 1; id <= b->nr && id > after; id++) {
		t = type_at(b, id);
		if (info_kind(rd32(t + 4)) != kind)
			continue;
		name = name_at(b, rd32(t));
		if (!strncmp(name, ess, n) && btfread_essential_len(name) == n)
			return id;
	}
	return 0;
}

const char *btfread_string(const struct btfread *b, unsigned int off)
{
	/* the section ends with a NUL: a string starting inside it ends inside it */
	return off < b->strs_len ? b->strs + off : NULL;
}
