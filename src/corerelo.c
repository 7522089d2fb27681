// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * CO-RE relocation records of a BPF object, checked against a target BTF: see corerelo.h.
 * Written from the formats' descriptions (Documentation/bpf/btf.rst, .BTF.ext; the ELF
 * specification) and libbpf's documented matching rules; no libbpf code.
 *
 * .BTF.ext: a header (magic 0xeb9f, version 1, flags, hdr_len, then offset/length pairs of
 * func_info, line_info and, when hdr_len >= 32, core_relo, each relative to the header's end).
 * The core_relo subsection: a record size, then per ELF section {name offset in .BTF's
 * strings, record count, records}; a record is {insn_off (bytes), type_id, access_str_off,
 * kind}.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corerelo.h"
#include "i18n.h"

#define SHT_NOBITS_  8
#define SHT_SYMTAB_  2
#define STT_FUNC_    2
#define ANON_DEPTH   8	    /* anonymous struct/union members followed inside each other */
#define MAX_SYMS     65536u /* symbols looked at per record */
#define CLOSEST_NAME 63

static const char *const kind_names[] = {
	"byte_off",	  "byte_sz",	   "field_exists",   "signed",	    "lshift_u64",
	"rshift_u64",	  "type_id_local", "type_id_target", "type_exists", "type_size",
	"enumval_exists", "enumval_value", "type_matches",
};

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Append s to buf (size len), non-printable bytes as '?', truncating. */
static void put(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	for (; s && *s && n + 1 < len; s++)
		buf[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	buf[n] = '\0';
}

static void putf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void putf(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* ELF */

struct elf {
	const unsigned char *d;
	size_t len;
	uint64_t shoff;
	unsigned int shnum;
	uint64_t str_off, str_size; /* section name strings */
};

struct shdr {
	uint32_t name, type, link, info;
	uint64_t off, size;
};

static int sec_hdr(const struct elf *e, unsigned int i, struct shdr *s)
{
	const unsigned char *h;

	if (i >= e->shnum)
		return -EINVAL;
	h = e->d + e->shoff + (uint64_t)i * 64;
	s->name = rd32(h);
	s->type = rd32(h + 4);
	s->off = rd64(h + 24);
	s->size = rd64(h + 32);
	s->link = rd32(h + 40);
	s->info = rd32(h + 44);
	if (s->type == SHT_NOBITS_)
		s->size = 0;
	/* inside the file: both terms checked against len first, so the sum cannot wrap */
	if (s->off > e->len || s->size > e->len - s->off)
		return -EINVAL;
	return 0;
}

static int elf_open(struct elf *e, const void *data, size_t len)
{
	const unsigned char *p = data;
	struct shdr s;
	unsigned int strndx;

	memset(e, 0, sizeof(*e));
	if (!p || len < 64 || memcmp(p, "\177ELF", 4) || p[4] != 2 || p[5] != 1)
		return -EINVAL;
	e->d = p;
	e->len = len;
	e->shoff = rd64(p + 0x28);
	e->shnum = rd16(p + 0x3c);
	strndx = rd16(p + 0x3e);
	if (rd16(p + 0x3a) != 64 || !e->shnum || e->shoff > len ||
	    (uint64_t)e->shnum * 64 > len - e->shoff)
		return -EINVAL;
	if (sec_hdr(e, strndx, &s))
		return -EINVAL;
	e->str_off = s.off;
	e->str_size = s.size;
	return 0;
}

/* The name of section s, or NULL when it does not end inside the string section. */
static const char *sec_name(const struct elf *e, const struct shdr *s)
{
	const char *n;

	if (s->name >= e->str_size)
		return NULL;
	n = (const char *)e->d + e->str_off + s->name;
	return memchr(n, '\0', e->str_size - s->name) ? n : NULL;
}

static int find_sec(const struct elf *e, const char *name, unsigned int *idx, struct shdr *s)
{
	unsigned int i;
	const char *n;

	for (i = 0; i < e->shnum; i++) {
		if (sec_hdr(e, i, s))
			continue;
		n = sec_name(e, s);
		if (n && !strcmp(n, name)) {
			*idx = i;
			return 0;
		}
	}
	return -ENOENT;
}

int corerelo_elf_section(const void *data, size_t len, const char *name, size_t *off, size_t *size)
{
	struct elf e;
	struct shdr s;
	unsigned int i;
	int r = elf_open(&e, data, len);

	if (r)
		return r;
	r = find_sec(&e, name, &i, &s);
	if (r)
		return r;
	*off = (size_t)s.off;
	*size = (size_t)s.size;
	return 0;
}

/* Symbol k of the symbol table: 0, or -EINVAL when past it. */
static int sym_at(const struct elf *e, const struct shdr *sym, uint64_t k, const unsigned char **s)
{
	if (k >= sym->size / 24 || k >= MAX_SYMS)
		return -EINVAL;
	*s = e->d + sym->off + k * 24;
	return 0;
}

/* Calls: which functions a program reaches (its subprograms, where clang put CO-RE reads) */

struct fn {
	unsigned int sec;
	uint64_t start, size;
	char name[64];
};

/* The function symbol named name (by_name) or covering byte off of section sec. */
static int find_fn(const struct elf *e, const char *name, unsigned int sec, uint64_t off,
		   struct fn *f)
{
	struct shdr sym, str;
	unsigned int idx;
	const unsigned char *s;
	uint64_t k;

	if (find_sec(e, ".symtab", &idx, &sym) || sym.type != SHT_SYMTAB_ ||
	    sec_hdr(e, sym.link, &str))
		return -ENOENT;
	for (k = 0; !sym_at(e, &sym, k, &s); k++) {
		uint64_t v = rd64(s + 8), sz = rd64(s + 16);
		uint32_t nm = rd32(s);
		const char *p;
		size_t max;

		if ((s[4] & 0xf) != STT_FUNC_ || nm >= str.size)
			continue;
		p = (const char *)e->d + str.off + nm;
		max = (size_t)(str.size - nm);
		if (name ? strnlen(p, max) == max || strcmp(p, name)
			 : rd16(s + 6) != sec || off < v || off - v >= sz)
			continue;
		f->sec = rd16(s + 6);
		f->start = v;
		f->size = sz;
		f->name[0] = '\0';
		strncat(f->name, p,
			strnlen(p, max) < sizeof(f->name) - 1 ? strnlen(p, max)
							      : sizeof(f->name) - 1);
		return 0;
	}
	return -ENOENT;
}

/*
 * The function symbol of section idx covering byte insn_off: its name, printable ASCII, in
 * out; its start in *start. "" and 0 when no symbol covers it.
 */
static void func_at(const struct elf *e, unsigned int idx, uint64_t insn_off, char *out,
		    size_t outlen, uint64_t *start)
{
	struct fn f;
	size_t i = 0;

	*start = 0;
	if (!find_fn(e, NULL, idx, insn_off, &f)) {
		for (; i + 1 < outlen && f.name[i]; i++)
			out[i] = (f.name[i] >= 0x20 && f.name[i] < 0x7f) ? f.name[i] : '?';
		*start = f.start;
	}
	out[i] = '\0';
}

/*
 * The symbol the ELF relocation at byte off of section sec names: 0, -ENOENT when there is
 * no relocation there, -EINVAL when there is one but its symbol is not in the table.
 */
static int reloc_sym(const struct elf *e, unsigned int sec, uint64_t off, const unsigned char **s)
{
	struct shdr rel, sym;
	unsigned int i, idx;
	uint64_t k, n;

	for (i = 0; i < e->shnum; i++) {
		if (sec_hdr(e, i, &rel) || rel.type != 9 /* SHT_REL */ || rel.info != sec)
			continue;
		if (find_sec(e, ".symtab", &idx, &sym) || sym.type != SHT_SYMTAB_)
			return -EINVAL;
		n = rel.size / 16;
		for (k = 0; k < n && k < MAX_SYMS; k++) {
			const unsigned char *r = e->d + rel.off + k * 16;

			if (rd64(r) == off)
				return sym_at(e, &sym, rd64(r + 8) >> 32, s) ? -EINVAL : 0;
		}
	}
	return -ENOENT;
}

/* Where the call at byte off of section sec goes: through its ELF relocation, if any. */
static int call_target(const struct elf *e, unsigned int sec, uint64_t off, int32_t imm,
		       unsigned int *tsec, uint64_t *toff)
{
	const unsigned char *s;
	int64_t t;
	int r = reloc_sym(e, sec, off, &s);

	if (r == -EINVAL)
		return -ENOENT;
	if (!r) {
		*tsec = rd16(s + 6);
		t = (int64_t)rd64(s + 8) + ((int64_t)imm + 1) * 8;
		if (t < 0)
			return -ENOENT;
		*toff = (uint64_t)t;
		return 0;
	}
	/* no relocation: a call inside the section, relative to the next instruction */
	t = (int64_t)off + ((int64_t)imm + 1) * 8;
	if (t < 0)
		return -ENOENT;
	*tsec = sec;
	*toff = (uint64_t)t;
	return 0;
}

/*
 * The functions func reaches by BPF-to-BPF calls, func first, into fns (at most max + 1):
 * their number, 0 when func is not a function of the object.
 */
static size_t reach(const struct elf *e, const char *func, struct fn *fns, size_t max)
{
	struct shdr sh;
	size_t n = 1, w, j;
	uint64_t off;

	if (find_fn(e, func, 0, 0, &fns[0]))
		return 0;
	for (w = 0; w < n; w++) {
		const struct fn *f = &fns[w];

		if (sec_hdr(e, f->sec, &sh) || f->start > sh.size || f->size > sh.size - f->start)
			continue;
		for (off = f->start; off + 8 <= f->start + f->size; off += 8) {
			const unsigned char *insn = e->d + sh.off + off;
			unsigned int tsec;
			uint64_t toff;
			struct fn c;

			/* BPF_JMP | BPF_CALL with src_reg BPF_PSEUDO_CALL: a call of a function */
			if (insn[0] != 0x85 || insn[1] >> 4 != 1 ||
			    call_target(e, f->sec, off, (int32_t)rd32(insn + 4), &tsec, &toff) ||
			    find_fn(e, NULL, tsec, toff, &c))
				continue;
			for (j = 0; j < n && strcmp(fns[j].name, c.name); j++)
				;
			if (j == n && n < max + 1)
				fns[n++] = c;
		}
	}
	return n;
}

size_t corerelo_callees(const void *elf, size_t len, const char *func, char (*names)[64],
			size_t max)
{
	struct fn fns[CORERELO_MAX_CALLEES + 1];
	struct elf e;
	size_t n, w;

	if (max > CORERELO_MAX_CALLEES)
		max = CORERELO_MAX_CALLEES;
	if (elf_open(&e, elf, len))
		return 0;
	n = reach(&e, func, fns, max);
	for (w = 1; w < n; w++)
		memcpy(names[w - 1], fns[w].name, sizeof(names[0]));
	return n ? n - 1 : 0;
}

size_t corerelo_kfuncs(const void *elf, size_t len, const char *func, struct corerelo_kfunc *out,
		       size_t max)
{
	struct fn fns[CORERELO_MAX_CALLEES + 1];
	struct shdr sh, sym, str;
	struct elf e;
	unsigned int idx;
	size_t n, w, k = 0, j;
	uint64_t off;

	if (elf_open(&e, elf, len) || find_sec(&e, ".symtab", &idx, &sym) ||
	    sym.type != SHT_SYMTAB_ || sec_hdr(&e, sym.link, &str))
		return 0;
	n = reach(&e, func, fns, CORERELO_MAX_CALLEES);
	for (w = 0; w < n; w++) {
		const struct fn *f = &fns[w];

		if (sec_hdr(&e, f->sec, &sh) || f->start > sh.size || f->size > sh.size - f->start)
			continue;
		for (off = f->start; off + 8 <= f->start + f->size && k < max; off += 8) {
			const unsigned char *insn = e.d + sh.off + off, *s;
			uint32_t nm;
			size_t l;

			/* a call through a relocation naming an undefined symbol: an extern (kfunc)
			 */
			if (insn[0] != 0x85 || insn[1] >> 4 == 0 ||
			    reloc_sym(&e, f->sec, off, &s) || rd16(s + 6) != 0 /* SHN_UNDEF */)
				continue;
			nm = rd32(s);
			if (nm >= str.size)
				continue;
			l = strnlen((const char *)e.d + str.off + nm, (size_t)(str.size - nm));
			/* a C identifier, or not a kfunc's name (the object is any bytes) */
			if (!l || l >= sizeof(out[0].name) ||
			    strspn((const char *)e.d + str.off + nm,
				   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				   "_") != l)
				continue;
			memcpy(out[k].name, e.d + str.off + nm, l);
			out[k].name[l] = '\0';
			out[k].weak = s[4] >> 4 == 2; /* STB_WEAK */
			for (j = 0; j < k && strcmp(out[j].name, out[k].name); j++)
				;
			if (j == k)
				k++;
		}
	}
	return k;
}

/* Types */

static const char *kind_word(unsigned int kind)
{
	switch (kind) {
	case BTFREAD_KIND_STRUCT:
		return "struct ";
	case BTFREAD_KIND_UNION:
		return "union ";
	case BTFREAD_KIND_ENUM:
	case BTFREAD_KIND_ENUM64:
		return "enum ";
	case BTFREAD_KIND_TYPEDEF:
		return "typedef ";
	default:
		return "";
	}
}

static bool composite(unsigned int kind)
{
	return kind == BTFREAD_KIND_STRUCT || kind == BTFREAD_KIND_UNION;
}

/*
 * Member `name` of struct/union id, looked for through anonymous members (libbpf's rule):
 * its type and bit offset from id's start. 0 or -ENOENT.
 */
static int find_member(const struct btfread *b, unsigned int id, const char *name, int depth,
		       unsigned int *type, uint64_t *bit_off)
{
	struct btfread_type t;
	const char *mn;
	unsigned int i, mt, mo, sub;

	if (depth > ANON_DEPTH || btfread_type(b, id, &t) || !composite(t.kind))
		return -ENOENT;
	for (i = 0; i < t.vlen; i++) {
		if (btfread_member_at(b, id, i, &mn, &mt, &mo))
			return -ENOENT;
		if (*mn) {
			if (!strcmp(mn, name)) {
				*type = mt;
				*bit_off = mo;
				return 0;
			}
			continue;
		}
		sub = btfread_skip_mods(b, mt);
		if (!find_member(b, sub, name, depth + 1, type, bit_off)) {
			*bit_off += mo;
			return 0;
		}
	}
	return -ENOENT;
}

static size_t name_score(const char *a, const char *b);

/* The closest by name_score() of id's member names (through anonymous members). */
static void closest_member(const struct btfread *b, unsigned int id, const char *name, int depth,
			   const char **best, size_t *bestd)
{
	struct btfread_type t;
	const char *mn;
	unsigned int i, mt, mo;
	size_t d;

	if (depth > ANON_DEPTH || btfread_type(b, id, &t) || !composite(t.kind))
		return;
	for (i = 0; i < t.vlen; i++) {
		if (btfread_member_at(b, id, i, &mn, &mt, &mo))
			return;
		if (!*mn) {
			closest_member(b, btfread_skip_mods(b, mt), name, depth + 1, best, bestd);
			continue;
		}
		d = name_score(name, mn);
		if (d < *bestd) {
			*bestd = d;
			*best = mn;
		}
	}
}

/*
 * How far apart two names are: 1 when the shorter, of 3 bytes or more, is how the longer
 * starts (cpus, cpus_mask: a renamed-by-suffix field), else their edit distance.
 */
static size_t name_score(const char *a, const char *b)
{
	size_t la = strnlen(a, CLOSEST_NAME), lb = strnlen(b, CLOSEST_NAME);
	size_t shorter = la < lb ? la : lb;

	if (la != lb && shorter >= 3 && !strncmp(a, b, shorter))
		return 1;
	return corerelo_distance(a, b);
}

/* Close enough to suggest: a score of at most half the longer name's length. */
static bool close_enough(const char *a, const char *b, size_t d)
{
	size_t la = strnlen(a, CLOSEST_NAME), lb = strnlen(b, CLOSEST_NAME);

	return d && 2 * d <= (la > lb ? la : lb);
}

size_t corerelo_distance(const char *a, const char *b)
{
	size_t la = strnlen(a, CLOSEST_NAME), lb = strnlen(b, CLOSEST_NAME), i, j;
	size_t row[CLOSEST_NAME + 1], prev, tmp, best;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* Unresolved: the target has no type of the root's kind and name (ess bytes, the flavour cut). */
static void root_absent(struct corerelo_rec *r, unsigned int kind, const char *name, size_t ess)
{
	size_t i;

	r->resolved = 0;
	r->root_absent = true;
	snprintf(r->missing, sizeof(r->missing), "%s%.*s", kind_word(kind),
		 (int)(ess < 150 ? ess : 150), name);
	for (i = 0; r->missing[i]; i++)
		if (r->missing[i] < 0x20 || r->missing[i] >= 0x7f)
			r->missing[i] = '?';
}

/* One step of a local access path. */
struct step {
	const char *name; /* member name; NULL: an array index; "" an anonymous member */
	unsigned int idx;
};

/* Parse "N:N:...", at most CORERELO_MAX_ACC indexes, each below 2^32. */
static int parse_access(const char *s, unsigned int *acc, size_t *n)
{
	uint64_t v;

	*n = 0;
	for (;;) {
		if (*s < '0' || *s > '9' || *n == CORERELO_MAX_ACC)
			return -EINVAL;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > UINT32_MAX)
				return -EINVAL;
		}
		acc[(*n)++] = (unsigned int)v;
		if (!*s)
			return 0;
		if (*s++ != ':')
			return -EINVAL;
	}
}

/* A field relocation: walk the local path, then every target candidate along it. */
static void field_relo(const struct btfread *lb, const struct btfread *tb, unsigned int root,
		       const unsigned int *acc, size_t nacc, struct corerelo_rec *r)
{
	struct step steps[CORERELO_MAX_ACC];
	struct btfread_type rt, t;
	unsigned int cur = root, cand, i, mt, mo, elem, nel;
	size_t ns = 0, k, ess, best_depth = 0;
	bool any = false, offset_known = acc[0] == 0;
	char prefix[256];

	if (btfread_type(lb, root, &rt)) {
		snprintf(r->missing, sizeof(r->missing), "damaged: no root type");
		return;
	}
	/* the local path, named */
	put(r->access, sizeof(r->access), rt.name);
	if (acc[0])
		putf(r->access, sizeof(r->access), "[%u]", acc[0]);
	for (k = 1; k < nacc; k++) {
		cur = btfread_skip_mods(lb, cur);
		if (btfread_type(lb, cur, &t))
			goto bad;
		if (composite(t.kind)) {
			if (acc[k] >= t.vlen ||
			    btfread_member_at(lb, cur, acc[k], &steps[ns].name, &mt, &mo))
				goto bad;
			if (*steps[ns].name) {
				put(r->access, sizeof(r->access), ".");
				put(r->access, sizeof(r->access), steps[ns].name);
			}
			cur = mt;
		} else if (t.kind == BTFREAD_KIND_ARRAY) {
			if (btfread_array(lb, cur, &elem, &nel))
				goto bad;
			steps[ns].name = NULL;
			putf(r->access, sizeof(r->access), "[%u]", acc[k]);
			offset_known &= acc[k] == 0;
			cur = elem;
		} else {
			goto bad;
		}
		steps[ns++].idx = acc[k];
	}
	if (!tb) {
		r->resolved = -1;
		return;
	}
	if (!*rt.name) {
		r->resolved = -1;
		snprintf(r->missing, sizeof(r->missing), "not checked: anonymous root type");
		return;
	}
	ess = btfread_essential_len(rt.name);
	for (cand = 0; (cand = btfread_find_essential(tb, rt.name, ess, rt.kind, cand));) {
		unsigned int tcur = cand;
		uint64_t bits = 0;
		const char *failed = NULL, *best = NULL;
		size_t bestd = SIZE_MAX;

		any = true;
		for (k = 0; k < ns; k++) {
			if (steps[k].name && !*steps[k].name)
				continue; /* anonymous locally: the target's is found through it */
			tcur = btfread_skip_mods(tb, tcur);
			if (steps[k].name) {
				uint64_t off;

				if (find_member(tb, tcur, steps[k].name, 0, &mt, &off)) {
					failed = steps[k].name;
					closest_member(tb, tcur, failed, 0, &best, &bestd);
					break;
				}
				bits += off;
				tcur = mt;
			} else {
				if (btfread_array(tb, tcur, &elem, &nel)) {
					failed = "[]";
					break;
				}
				tcur = elem;
			}
		}
		if (!failed) {
			r->resolved = 1;
			r->missing[0] = r->closest[0] = '\0';
			r->target_off = offset_known ? (unsigned int)(bits / 8) : UINT_MAX;
			return;
		}
		/* the candidate that went deepest says what is missing */
		if (k + 1 > best_depth) {
			best_depth = k + 1;
			prefix[0] = '\0';
			put(prefix, sizeof(prefix), kind_word(rt.kind));
			strncat(prefix, rt.name, ess < 100 ? ess : 100);
			for (i = 0; i < k; i++) {
				if (steps[i].name && !*steps[i].name)
					continue;
				if (steps[i].name) {
					put(prefix, sizeof(prefix), ".");
					put(prefix, sizeof(prefix), steps[i].name);
				} else {
					putf(prefix, sizeof(prefix), "[%u]", steps[i].idx);
				}
			}
			r->missing[0] = r->closest[0] = '\0';
			put(r->missing, sizeof(r->missing), prefix);
			if (strcmp(failed, "[]")) {
				put(r->missing, sizeof(r->missing), ".");
				put(r->missing, sizeof(r->missing), failed);
			} else {
				put(r->missing, sizeof(r->missing),
				    " (not an array in the target)");
			}
			if (best && close_enough(failed, best, bestd)) {
				put(r->closest, sizeof(r->closest), prefix);
				put(r->closest, sizeof(r->closest), ".");
				put(r->closest, sizeof(r->closest), best);
			}
		}
	}
	if (any)
		r->resolved = 0;
	else
		root_absent(r, rt.kind, rt.name, ess);
	return;
bad:
	r->resolved = -1;
	snprintf(r->missing, sizeof(r->missing),
		 "not checked: access index %zu does not fit the object's own types", k);
}

/* A type relocation: a type of the same kind and name (flavour ignored) in the target. */
static void type_relo(const struct btfread *lb, const struct btfread *tb, unsigned int root,
		      unsigned int kind, struct corerelo_rec *r)
{
	struct btfread_type rt;
	size_t ess;

	if (btfread_type(lb, root, &rt)) {
		r->resolved = -1;
		return;
	}
	put(r->access, sizeof(r->access), rt.name);
	if (kind == 6) { /* type_id_local: the object's own id, nothing to look up */
		r->resolved = 1;
		return;
	}
	if (kind == 12 || !tb || !*rt.name) {
		r->resolved = -1;
		snprintf(r->missing, sizeof(r->missing), "not checked: %s",
			 kind == 12 ? "type_matches compares layouts, not modelled here"
			 : !tb	    ? "no target BTF"
				    : "anonymous type");
		return;
	}
	ess = btfread_essential_len(rt.name);
	if (btfread_find_essential(tb, rt.name, ess, rt.kind, 0)) {
		r->resolved = 1;
		return;
	}
	root_absent(r, rt.kind, rt.name, ess);
}

/* An enumerator relocation: enumerator acc[0] of the local enum, by name in the target's. */
static void enum_relo(const struct btfread *lb, const struct btfread *tb, unsigned int root,
		      const unsigned int *acc, size_t nacc, struct corerelo_rec *r)
{
	struct btfread_type rt;
	const char *en, *tn, *best = NULL;
	unsigned int id, cand, i;
	size_t ess, d, bestd = SIZE_MAX;
	bool any = false; /* the target has an enum of that name */
	int kk;

	id = btfread_skip_mods(lb, root);
	if (btfread_type(lb, id, &rt) || nacc != 1 ||
	    btfread_enumerator_at(lb, id, acc[0], &en, NULL)) {
		r->resolved = -1;
		snprintf(r->missing, sizeof(r->missing),
			 "not checked: the access does not name an enumerator");
		return;
	}
	put(r->access, sizeof(r->access), rt.name);
	put(r->access, sizeof(r->access), "::");
	put(r->access, sizeof(r->access), en);
	if (!tb || !*rt.name) {
		r->resolved = -1;
		return;
	}
	ess = btfread_essential_len(rt.name);
	for (kk = 0; kk < 2; kk++) {
		unsigned int k = kk ? BTFREAD_KIND_ENUM64 : BTFREAD_KIND_ENUM;
		struct btfread_type tt;

		for (cand = 0; (cand = btfread_find_essential(tb, rt.name, ess, k, cand));) {
			any = true;
			if (btfread_type(tb, cand, &tt))
				break;
			for (i = 0; i < tt.vlen; i++) {
				if (btfread_enumerator_at(tb, cand, i, &tn, NULL))
					break;
				if (!strcmp(tn, en)) {
					r->resolved = 1;
					return;
				}
				d = name_score(en, tn);
				if (d < bestd) {
					bestd = d;
					best = tn;
				}
			}
		}
	}
	r->resolved = 0;
	r->root_absent = !any;
	put(r->missing, sizeof(r->missing), "enum ");
	put(r->missing, sizeof(r->missing), rt.name);
	put(r->missing, sizeof(r->missing), "::");
	put(r->missing, sizeof(r->missing), en);
	if (best && close_enough(en, best, bestd)) {
		put(r->closest, sizeof(r->closest), "enum ");
		put(r->closest, sizeof(r->closest), rt.name);
		put(r->closest, sizeof(r->closest), "::");
		put(r->closest, sizeof(r->closest), best);
	}
}

static void resolve(const struct btfread *lb, const struct btfread *tb, uint32_t type_id,
		    uint32_t acc_off, struct corerelo_rec *r)
{
	unsigned int acc[CORERELO_MAX_ACC];
	struct btfread_type rt;
	const char *as = btfread_string(lb, acc_off);
	size_t nacc = 0;

	r->resolved = -1;
	r->kind_name = r->kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[r->kind]
									    : "unknown";
	if (btfread_type(lb, type_id, &rt)) {
		snprintf(r->missing, sizeof(r->missing),
			 "not checked: type id %u is not one of the object's %zu types", type_id,
			 btfread_nr_types(lb));
		return;
	}
	put(r->type, sizeof(r->type), kind_word(rt.kind));
	put(r->type, sizeof(r->type), *rt.name ? rt.name : "(anonymous)");
	if (!as || parse_access(as, acc, &nacc)) {
		put(r->access, sizeof(r->access), as ? as : "");
		snprintf(r->missing, sizeof(r->missing), "not checked: %s",
			 as ? "the access string is not N:N:... (at most 64 indexes)"
			    : "the access string's offset is past the object's strings");
		return;
	}
	if (r->kind <= 5)
		field_relo(lb, tb, btfread_skip_mods(lb, type_id), acc, nacc, r);
	else if (r->kind <= 9 || r->kind == 12)
		type_relo(lb, tb, type_id, r->kind, r);
	else if (r->kind <= 11)
		enum_relo(lb, tb, type_id, acc, nacc, r);
	else
		snprintf(r->missing, sizeof(r->missing), "not checked: kind %u is not modelled",
			 r->kind);
	r->poisons =
		r->resolved == 0 && r->kind != 2 && r->kind != 8 && r->kind != 10 && r->kind != 12;
}

int corerelo_open_btf(const void *data, size_t len, struct btfread **b, char *err, size_t errlen)
{
	size_t off, size;
	int r;

	*b = NULL;
	if (len >= 4 && !memcmp(data, "\177ELF", 4)) {
		r = corerelo_elf_section(data, len, ".BTF", &off, &size);
		if (r) {
			i18n_set_err(err, errlen, "%s",
				     r == -ENOENT ? "an ELF file without a .BTF section"
						  : "a damaged or non-64-bit ELF file");
			return -EINVAL;
		}
		return btfread_open((const unsigned char *)data + off, size, b, err, errlen);
	}
	return btfread_open(data, len, b, err, errlen);
}

void corerelo_free(struct corerelo_list *l)
{
	free(l->recs);
	memset(l, 0, sizeof(*l));
}

int corerelo_read(const void *elf, size_t len, const struct btfread *target,
		  struct corerelo_list *out, char *err, size_t errlen)
{
	const unsigned char *x;
	struct btfread *lb = NULL;
	struct shdr ext, sh;
	struct elf e;
	unsigned int ext_idx, sec_idx;
	uint64_t start, end, pos, nrec, k, hdr_len;
	uint32_t rec_size;
	size_t cap = 0;
	char why[160];
	int ret;

	memset(out, 0, sizeof(*out));
	if (elf_open(&e, elf, len)) {
		i18n_set_err(err, errlen,
			     "not a 64-bit little-endian ELF, or its section headers lie "
			     "outside the file");
		return -EINVAL;
	}
	if (find_sec(&e, ".BTF.ext", &ext_idx, &ext) || !ext.size)
		return 0;
	if (find_sec(&e, ".BTF", &sec_idx, &sh)) {
		i18n_set_err(err, errlen, ".BTF.ext without .BTF");
		return -EINVAL;
	}
	ret = btfread_open(e.d + sh.off, (size_t)sh.size, &lb, why, sizeof(why));
	if (ret) {
		i18n_set_err(err, errlen, "the object's .BTF: %s", why);
		return ret;
	}
	x = e.d + ext.off;
	if (ext.size < 8 || rd16(x) != 0xeb9f || x[2] != 1) {
		i18n_set_err(err, errlen,
			     ".BTF.ext: bad header (magic, version, or shorter than 8 bytes)");
		ret = -EINVAL;
		goto out;
	}
	hdr_len = rd32(x + 4);
	if (hdr_len > ext.size) {
		i18n_set_err(err, errlen, ".BTF.ext: header length %llu past its %llu bytes",
			     (unsigned long long)hdr_len, (unsigned long long)ext.size);
		ret = -EINVAL;
		goto out;
	}
	if (hdr_len < 32) /* no core_relo subsection: an older compiler */
		goto out;
	start = hdr_len + rd32(x + 24);
	end = start + rd32(x + 28);
	if (start == end)
		goto out;
	if (end > ext.size || end - start < 4) {
		i18n_set_err(err, errlen, ".BTF.ext: core_relo at %llu..%llu past its %llu bytes",
			     (unsigned long long)start, (unsigned long long)end,
			     (unsigned long long)ext.size);
		ret = -EINVAL;
		goto out;
	}
	rec_size = rd32(x + start);
	if (rec_size < 16 || rec_size > 1024) {
		i18n_set_err(err, errlen, ".BTF.ext: core_relo record size %u (16 expected)",
			     rec_size);
		ret = -EINVAL;
		goto out;
	}
	for (pos = start + 4; pos < end;) {
		const char *sname;
		unsigned int idx;
		struct shdr ps;

		if (end - pos < 8) {
			i18n_set_err(err, errlen, ".BTF.ext: core_relo section header cut at %llu",
				     (unsigned long long)pos);
			ret = -EINVAL;
			goto out;
		}
		sname = btfread_string(lb, rd32(x + pos));
		nrec = rd32(x + pos + 4);
		pos += 8;
		if (!sname || nrec > (end - pos) / rec_size) {
			i18n_set_err(err, errlen, ".BTF.ext: core_relo %s at %llu",
				     sname ? "records run past the subsection"
					   : "section name offset past the strings",
				     (unsigned long long)pos);
			ret = -EINVAL;
			goto out;
		}
		if (find_sec(&e, sname, &idx, &ps))
			idx = UINT_MAX;
		for (k = 0; k < nrec; k++, pos += rec_size) {
			struct corerelo_rec *r;
			uint64_t fstart;
			uint32_t insn_off = rd32(x + pos);

			if (out->nr == CORERELO_MAX) {
				out->dropped++;
				continue;
			}
			if (out->nr == cap) {
				/* grown by doubling: CORERELO_MAX bounds it at about 5 MiB */
				size_t ncap = cap ? 2 * cap : 64;
				struct corerelo_rec *nr = realloc(out->recs, ncap * sizeof(*nr));

				if (!nr) {
					i18n_set_err(err, errlen, "out of memory");
					ret = -ENOMEM;
					goto out;
				}
				out->recs = nr;
				cap = ncap;
			}
			r = &out->recs[out->nr];
			memset(r, 0, sizeof(*r));
			out->nr++;
			put(r->section, sizeof(r->section), sname);
			r->kind = rd32(x + pos + 12);
			func_at(&e, idx, insn_off, r->func, sizeof(r->func), &fstart);
			r->insn = (unsigned int)((insn_off - (r->func[0] ? fstart : 0)) / 8);
			resolve(lb, target, rd32(x + pos + 4), rd32(x + pos + 8), r);
		}
	}
out:
	btfread_free(lb);
	if (ret)
		corerelo_free(out);
	return ret;
}
