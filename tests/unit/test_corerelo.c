// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * corerelo: objects made here byte by byte (an ELF with .BTF, .BTF.ext and a symbol table,
 * the BTF written with libbpf's writer) resolved against target BTFs made the same way:
 * flavours, anonymous members, two-level paths, enums, type existence, and the closest member
 * at the level that is missing; damaged objects (truncated .BTF.ext, record counts past the
 * end, type ids out of range, access strings with garbage or huge indexes, typedef loops,
 * every byte flipped); and, where tests/bpfcorpus was built ($CORPUS), compiled objects
 * against this kernel's BTF.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "btfread.h"
#include "check.h"
#include "corerelo.h"
#include "util.h"

/* ---- an ELF builder: sections appended as blobs, then the headers ---- */

struct sec {
	const char *name;
	uint32_t type, link;
	const void *data;
	size_t len;
};

static void w16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void w32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void w64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint64_t rd64le(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Sections 1..n (0 is the null section), then .shstrtab as the last. */
static unsigned char *mkelf(const struct sec *s, size_t n, size_t *len)
{
	char shstr[512] = "";
	size_t shlen = 1, names[16], off = 64, i, total, shoff;
	unsigned char *e;

	for (i = 0; i < n; i++) {
		names[i] = shlen;
		memcpy(shstr + shlen, s[i].name, strlen(s[i].name) + 1);
		shlen += strlen(s[i].name) + 1;
		off += s[i].len;
	}
	names[n] = shlen;
	memcpy(shstr + shlen, ".shstrtab", 10);
	shlen += 10;
	off += shlen;
	shoff = (off + 7) & ~(size_t)7;
	total = shoff + (n + 2) * 64;
	e = calloc(1, total);
	memcpy(e, "\177ELF\2\1\1", 7);
	w16(e + 16, 1);	  /* ET_REL */
	w16(e + 18, 247); /* EM_BPF */
	w64(e + 0x28, shoff);
	w16(e + 0x34, 64);
	w16(e + 0x3a, 64);
	w16(e + 0x3c, (uint16_t)(n + 2));
	w16(e + 0x3e, (uint16_t)(n + 1));
	for (off = 64, i = 0; i <= n; i++) {
		unsigned char *h = e + shoff + (i + 1) * 64;
		const void *d = i < n ? s[i].data : shstr;
		size_t l = i < n ? s[i].len : shlen;

		memcpy(e + off, d, l);
		w32(h, (uint32_t)names[i]);
		w32(h + 4, i < n ? s[i].type : 3);
		w64(h + 24, off);
		w64(h + 32, l);
		w32(h + 40, i < n ? s[i].link : 0);
		off += l;
	}
	*len = total;
	return e;
}

/* ---- BTF ---- */

static unsigned char *raw(struct btf *b, size_t *len)
{
	__u32 n = 0;
	const void *r = btf__raw_data(b, &n);
	unsigned char *d = util_xmalloc(n);

	memcpy(d, r, n);
	*len = n;
	return d;
}

/* The object's local types. Ids: 1 int, 2 task_struct___x, 3 ptr, 4 sched_entity, 5 enum,
 * 6 typedef loop a, 7 typedef loop b, 8 anon union, 9 array of int */
static struct btf *local_btf(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);  /* 1 */
	btf__add_struct(b, "task_struct___x", 32);  /* 2 */
	btf__add_field(b, "tgid", 1, 0, 0);	    /* 0 */
	btf__add_field(b, "real_parent", 3, 64, 0); /* 1 */
	btf__add_field(b, "se", 4, 128, 0);	    /* 2 */
	btf__add_field(b, "", 8, 192, 0);	    /* 3: anonymous union */
	btf__add_field(b, "cpus", 9, 224, 0);	    /* 4 */
	btf__add_ptr(b, 2);			    /* 3 */
	btf__add_struct(b, "sched_entity", 8);	    /* 4 */
	btf__add_field(b, "vruntimex", 1, 0, 0);    /* 0 */
	btf__add_enum(b, "pid_type", 4);	    /* 5 */
	btf__add_enum_value(b, "PIDTYPE_PID", 0);
	btf__add_enum_value(b, "PIDTYPE_TGIDD", 1);
	btf__add_typedef(b, "loop_a", 7);    /* 6 */
	btf__add_typedef(b, "loop_b", 6);    /* 7 */
	btf__add_union(b, "", 4);	     /* 8 */
	btf__add_field(b, "flags", 1, 0, 0); /* 0 */
	btf__add_array(b, 1, 1, 4);	     /* 9 */
	return b;
}

/* The target: task_struct with tgid, real_parent, se {vruntime}, an anonymous struct holding
 * flags; pid_type with PIDTYPE_PID and PIDTYPE_TGID; no cpus array but "cpus_mask" (an int). */
static struct btf *target_btf(void)
{
	struct btf *b = btf__new_empty();

	btf__add_int(b, "int", 4, BTF_INT_SIGNED); /* 1 */
	btf__add_struct(b, "sched_entity", 16);	   /* 2 */
	btf__add_field(b, "load", 1, 0, 0);
	btf__add_field(b, "vruntime", 1, 64, 0);
	btf__add_struct(b, "", 4); /* 3: anonymous */
	btf__add_field(b, "flags", 1, 0, 0);
	btf__add_struct(b, "task_struct", 64); /* 4 */
	btf__add_field(b, "state", 1, 0, 0);
	btf__add_field(b, "", 3, 32, 0); /* flags at byte 4, through it */
	btf__add_field(b, "tgid", 1, 64, 0);
	btf__add_field(b, "real_parent", 5, 128, 0);
	btf__add_field(b, "se", 2, 192, 0);
	btf__add_field(b, "cpus_mask", 1, 320, 0);
	btf__add_ptr(b, 4);		 /* 5 */
	btf__add_enum(b, "pid_type", 4); /* 6 */
	btf__add_enum_value(b, "PIDTYPE_PID", 0);
	btf__add_enum_value(b, "PIDTYPE_TGID", 1);
	return b;
}

struct relo {
	uint32_t insn_off, type_id;
	const char *access;
	uint32_t kind;
};

/* An object with one program "prog" of 16 instructions in section "tp/x", and relos. */
static unsigned char *mkobj(const struct relo *r, size_t n, size_t *len, int damage)
{
	struct btf *b = local_btf();
	unsigned char *btf, ext[2048], sym[3 * 24], *e;
	char strtab[32] = "\0prog\0";
	uint32_t sec_off = (uint32_t)btf__add_str(b, "tp/x"), pos;
	size_t blen, i;
	uint32_t acc[32];

	for (i = 0; i < n; i++)
		acc[i] = (uint32_t)btf__add_str(b, r[i].access);
	btf = raw(b, &blen);
	memset(ext, 0, sizeof(ext));
	w16(ext, 0xeb9f);
	ext[2] = 1;
	w32(ext + 4, 32);
	pos = 32;
	w32(ext + pos, 16);
	w32(ext + pos + 4, sec_off);
	w32(ext + pos + 8, (uint32_t)n + (damage == 1 ? 1000 : 0));
	pos += 12;
	for (i = 0; i < n; i++, pos += 16) {
		w32(ext + pos, r[i].insn_off);
		w32(ext + pos + 4, r[i].type_id);
		w32(ext + pos + 8, acc[i]);
		w32(ext + pos + 12, r[i].kind);
	}
	w32(ext + 24, 0);
	w32(ext + 28, pos - 32);
	memset(sym, 0, sizeof(sym));
	w32(sym + 24, 1);
	sym[24 + 4] = 0x12;   /* global func */
	w16(sym + 24 + 6, 1); /* section 1: tp/x */
	w64(sym + 24 + 8, 0);
	w64(sym + 24 + 16, 16 * 8);
	{
		static unsigned char insns[16 * 8];
		struct sec s[] = {
			{ "tp/x", 1, 0, insns, sizeof(insns) },
			{ ".BTF", 1, 0, btf, blen },
			{ ".BTF.ext", 1, 0, ext, damage == 2 ? 6 : pos },
			{ ".symtab", 2, 5, sym, 2 * 24 },
			{ ".strtab", 3, 0, strtab, 6 },
		};

		e = mkelf(s, 5, len);
	}
	free(btf);
	btf__free(b);
	return e;
}

static struct btfread *target(unsigned char **keep)
{
	struct btf *b = target_btf();
	struct btfread *t = NULL;
	size_t len;
	char why[128];

	*keep = raw(b, &len);
	btf__free(b);
	CHECK(btfread_open(*keep, len, &t, why, sizeof(why)) == 0);
	return t;
}

static void resolved_paths(void)
{
	static const struct relo r[] = {
		{ 8, 2, "0:0", 0 },    /* task_struct___x.tgid: flavour ignored */
		{ 16, 2, "0:1", 0 },   /* real_parent */
		{ 24, 2, "0:3:0", 0 }, /* the anonymous union's flags: through the target's anon */
		{ 32, 2, "0:2:0", 0 }, /* se.vruntimex: missing at the second level */
		{ 40, 2, "0:4:1", 0 }, /* cpus[1]: the target's cpus is absent */
		{ 48, 2, "0:2:0", 2 }, /* field_exists of a missing field: does not poison */
		{ 56, 5, "1", 10 },    /* PIDTYPE_TGIDD: missing, closest PIDTYPE_TGID */
		{ 64, 5, "0", 11 },    /* PIDTYPE_PID */
		{ 72, 4, "0", 8 },     /* type_exists sched_entity */
		{ 80, 2, "0", 12 },    /* type_matches: not checked */
		{ 88, 2, "0", 77 },    /* unknown kind */
	};
	unsigned char *tk, *obj;
	struct btfread *t = target(&tk);
	struct corerelo_list l;
	char why[200] = "";
	size_t len;

	obj = mkobj(r, sizeof(r) / sizeof(r[0]), &len, 0);
	CHECK_INT(corerelo_read(obj, len, t, &l, why, sizeof(why)), 0);
	CHECK_INT(l.nr, 11);
	if (l.nr == 11) {
		CHECK_STR(l.recs[0].func, "prog");
		CHECK_STR(l.recs[0].section, "tp/x");
		CHECK_INT(l.recs[0].insn, 1);
		CHECK_STR(l.recs[0].kind_name, "byte_off");
		CHECK_STR(l.recs[0].type, "struct task_struct___x");
		CHECK_STR(l.recs[0].access, "task_struct___x.tgid");
		CHECK_INT(l.recs[0].resolved, 1);
		CHECK_INT(l.recs[0].target_off, 8);
		CHECK_INT(l.recs[1].resolved, 1);
		CHECK_INT(l.recs[1].target_off, 16);
		CHECK_STR(l.recs[2].access, "task_struct___x.flags");
		CHECK_INT(l.recs[2].resolved, 1);
		CHECK_INT(l.recs[2].target_off, 4);
		CHECK_STR(l.recs[3].access, "task_struct___x.se.vruntimex");
		CHECK_INT(l.recs[3].resolved, 0);
		CHECK(l.recs[3].poisons);
		CHECK_STR(l.recs[3].missing, "struct task_struct.se.vruntimex");
		CHECK(!l.recs[3].root_absent); /* the target has the struct: a member misses */
		CHECK_STR(l.recs[3].closest, "struct task_struct.se.vruntime");
		CHECK_STR(l.recs[4].access, "task_struct___x.cpus[1]");
		CHECK_INT(l.recs[4].resolved, 0);
		CHECK_STR(l.recs[4].missing, "struct task_struct.cpus");
		CHECK_STR(l.recs[4].closest, "struct task_struct.cpus_mask");
		CHECK_INT(l.recs[5].resolved, 0);
		CHECK(!l.recs[5].poisons);
		CHECK_STR(l.recs[6].access, "pid_type::PIDTYPE_TGIDD");
		CHECK_INT(l.recs[6].resolved, 0);
		CHECK(!l.recs[6].poisons);
		CHECK_STR(l.recs[6].missing, "enum pid_type::PIDTYPE_TGIDD");
		CHECK(!l.recs[6].root_absent);
		CHECK_STR(l.recs[6].closest, "enum pid_type::PIDTYPE_TGID");
		CHECK_INT(l.recs[7].resolved, 1);
		CHECK_INT(l.recs[8].resolved, 1);
		CHECK_INT(l.recs[9].resolved, -1);
		CHECK(strstr(l.recs[9].missing, "not checked") != NULL);
		CHECK_INT(l.recs[10].resolved, -1);
		CHECK_STR(l.recs[10].kind_name, "unknown");
	}
	corerelo_free(&l);
	/* without a target: listed, nothing checked */
	CHECK_INT(corerelo_read(obj, len, NULL, &l, why, sizeof(why)), 0);
	CHECK_INT(l.nr, 11);
	CHECK_INT(l.nr ? l.recs[0].resolved : 9, -1);
	corerelo_free(&l);
	free(obj);
	btfread_free(t);
	free(tk);
}

/* A target without the struct: the missing thing is the type itself, flavour stripped. */
static void missing_root(void)
{
	static const struct relo r[] = { { 0, 2, "0:0", 0 }, { 0, 4, "0", 8 } };
	struct btf *b = btf__new_empty();
	unsigned char *tk, *obj;
	struct btfread *t = NULL;
	struct corerelo_list l;
	char why[200];
	size_t len, tl;

	btf__add_int(b, "int", 4, 0);
	tk = raw(b, &tl);
	btf__free(b);
	CHECK(btfread_open(tk, tl, &t, why, sizeof(why)) == 0);
	obj = mkobj(r, 2, &len, 0);
	CHECK_INT(corerelo_read(obj, len, t, &l, why, sizeof(why)), 0);
	CHECK_INT(l.nr, 2);
	if (l.nr == 2) {
		CHECK_STR(l.recs[0].missing, "struct task_struct");
		CHECK_INT(l.recs[0].resolved, 0);
		CHECK(l.recs[0].root_absent); /* the whole root type: a subset may have left it out
					       */
		CHECK_STR(l.recs[1].missing, "struct sched_entity");
		CHECK(l.recs[1].root_absent);
		CHECK(!l.recs[1].poisons);
	}
	corerelo_free(&l);
	free(obj);
	btfread_free(t);
	free(tk);
}

/* Hostile records: each is listed as not checked, with the reason; nothing read outside. */
static void hostile_records(void)
{
	static const struct relo r[] = {
		{ 0, 999, "0:0", 0 },	      /* type id out of range */
		{ 0, 2, "0:x", 0 },	      /* garbage */
		{ 0, 2, "0:99999999999", 0 }, /* past 2^32 */
		{ 0, 2, "0:7", 0 },	      /* past vlen */
		{ 0, 2, "", 0 },	      /* empty */
		{ 0, 6, "0:0", 0 },	      /* typedef loop as root */
		{ 0, 2,
		  "0:1:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:"
		  "0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0",
		  0 },			       /* 66 indexes */
		{ 0, 2, "0:4:4294967295", 0 }, /* huge array index */
		{ 4096, 2, "0:0", 0 },	       /* outside every function */
	};
	unsigned char *tk, *obj;
	struct btfread *t = target(&tk);
	struct corerelo_list l;
	char why[200] = "";
	size_t len, i;

	obj = mkobj(r, sizeof(r) / sizeof(r[0]), &len, 0);
	CHECK_INT(corerelo_read(obj, len, t, &l, why, sizeof(why)), 0);
	CHECK_INT(l.nr, 9);
	for (i = 0; i < l.nr && i < 7; i++) {
		CHECK_INT(l.recs[i].resolved, -1);
		CHECK(!l.recs[i].poisons);
	}
	if (l.nr == 9) {
		CHECK(strstr(l.recs[0].missing, "type id 999") != NULL);
		CHECK(strstr(l.recs[1].missing, "access string") != NULL);
		/* an array index is not bounded by libbpf either: the path still resolves */
		CHECK_INT(l.recs[7].resolved, 0);
		CHECK_STR(l.recs[8].func, "");
		CHECK_INT(l.recs[8].insn, 512);
	}
	corerelo_free(&l);
	free(obj);
	btfread_free(t);
	free(tk);
}

static void damaged_ext(void)
{
	static const struct relo r[] = { { 0, 2, "0:0", 0 } };
	unsigned char *obj;
	struct corerelo_list l;
	char why[200] = "";
	size_t len;

	obj = mkobj(r, 1, &len, 1); /* count past the end */
	CHECK_INT(corerelo_read(obj, len, NULL, &l, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, "run past") != NULL);
	CHECK_INT(l.nr, 0);
	free(obj);
	obj = mkobj(r, 1, &len, 2); /* truncated to 6 bytes */
	CHECK_INT(corerelo_read(obj, len, NULL, &l, why, sizeof(why)), -EINVAL);
	CHECK(strstr(why, ".BTF.ext") != NULL);
	free(obj);
	/* not an ELF, and section headers past the end */
	CHECK_INT(corerelo_read("\177ELF", 4, NULL, &l, why, sizeof(why)), -EINVAL);
	obj = mkobj(r, 1, &len, 0);
	w64(obj + 0x28, len - 10);
	CHECK_INT(corerelo_read(obj, len, NULL, &l, why, sizeof(why)), -EINVAL);
	free(obj);
}

/* Every byte of a good object set to 0x00, 0xff and 0x80 in turn: no crash, no read past. */
static void every_byte(void)
{
	static const struct relo r[] = { { 8, 2, "0:2:0", 0 }, { 16, 5, "1", 10 } };
	unsigned char *tk, *obj, *copy;
	struct btfread *t = target(&tk);
	static const unsigned char vals[] = { 0x00, 0xff, 0x80 };
	struct corerelo_list l;
	char why[200];
	size_t len, i, v, ok = 0;

	obj = mkobj(r, 2, &len, 0);
	for (i = 0; i < len; i++)
		for (v = 0; v < sizeof(vals); v++) {
			copy = util_xmalloc(len); /* exact size: ASan sees any read past it */
			memcpy(copy, obj, len);
			copy[i] = vals[v];
			ok += corerelo_read(copy, len, t, &l, why, sizeof(why)) == 0;
			corerelo_free(&l);
			free(copy);
		}
	CHECK(ok > 0);
	free(obj);
	btfread_free(t);
	free(tk);
}

/* A call instruction: BPF_JMP | BPF_CALL, src_reg BPF_PSEUDO_CALL, imm. */
static void call_insn(unsigned char *p, int32_t imm)
{
	p[0] = 0x85;
	p[1] = 0x10;
	w32(p + 4, (uint32_t)imm);
}

static void symbol(unsigned char *s, uint32_t name, unsigned int type, uint16_t sec, uint64_t v,
		   uint64_t size)
{
	w32(s, name);
	s[4] = (unsigned char)(0x10 | type);
	w16(s + 6, sec);
	w64(s + 8, v);
	w64(s + 16, size);
}

/*
 * prog (section 1, 4 insns) calls sub in .text through an ELF relocation; sub calls sub2 in
 * .text directly (relative); sub2 calls sub again (a loop); lone in .text is never called;
 * a call past every function goes nowhere.
 */
static void callees(void)
{
	static unsigned char prog[4 * 8], text[8 * 8];
	unsigned char sym[6 * 24], rel[16], *e;
	static const char strtab[] = "\0prog\0sub\0sub2\0lone";
	char names[8][64];
	size_t len, n;

	memset(prog, 0, sizeof(prog));
	memset(text, 0, sizeof(text));
	memset(sym, 0, sizeof(sym));
	call_insn(prog + 8, -1);    /* insn 1: -> symbol sub (relocation) */
	call_insn(prog + 16, 1000); /* insn 2: relative, past the section: nowhere */
	call_insn(text + 0, 1);	    /* sub, insn 0: -> insn 2 = sub2 */
	call_insn(text + 16, -3);   /* sub2, insn 2: -> insn 0 = sub */
	symbol(sym + 24, 1, 2, 1, 0, sizeof(prog)); /* prog */
	symbol(sym + 48, 6, 2, 2, 0, 16);	    /* sub: .text insns 0-1 */
	symbol(sym + 72, 10, 2, 2, 16, 16);	    /* sub2: insns 2-3 */
	symbol(sym + 96, 15, 2, 2, 32, 32);	    /* lone: insns 4-7 */
	w64(rel, 8);
	w64(rel + 8, (uint64_t)2 << 32 | 10); /* symbol 2 (sub), R_BPF_64_32 */
	{
		struct sec s[] = {
			{ "tp/x", 1, 0, prog, sizeof(prog) },
			{ ".text", 1, 0, text, sizeof(text) },
			{ ".reltp/x", 9, 4, rel, sizeof(rel) },
			{ ".symtab", 2, 5, sym, 5 * 24 },
			{ ".strtab", 3, 0, strtab, sizeof(strtab) },
		};

		e = mkelf(s, 5, &len);
	}
	/* .reltp/x applies to section 1: sh_info */
	w32(e + rd64le(e + 0x28) + 3 * 64 + 44, 1);
	n = corerelo_callees(e, len, "prog", names, 8);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(names[0], "sub");
		CHECK_STR(names[1], "sub2");
	}
	CHECK_INT(corerelo_callees(e, len, "lone", names, 8), 0);
	CHECK_INT(corerelo_callees(e, len, "nosuch", names, 8), 0);
	CHECK_INT(corerelo_callees(e, len, "prog", names, 1), 1); /* at most max */
	CHECK_INT(corerelo_callees(e, 10, "prog", names, 8), 0);
	free(e);
}

/*
 * kfuncs: prog calls sub (defined, through a relocation), the weak kfunc bpf_k and an
 * undefined symbol whose name is no identifier; sub calls the kfunc bpf_k2. Both kfuncs are
 * prog's (sub's through the call), once each, bpf_k weak; the bad name is not one.
 */
static void kfuncs(void)
{
	static unsigned char prog[4 * 8], text[2 * 8];
	unsigned char sym[6 * 24], rel[3 * 16], rel2[16], *e;
	static const char strtab[] = "\0prog\0sub\0bpf_k\0bad\x01\0bpf_k2";
	struct corerelo_kfunc k[8];
	size_t len, n;

	memset(prog, 0, sizeof(prog));
	memset(text, 0, sizeof(text));
	memset(sym, 0, sizeof(sym));
	call_insn(prog + 0, -1);
	call_insn(prog + 8, -1);
	call_insn(prog + 16, -1);
	call_insn(text + 0, -1);
	symbol(sym + 24, 1, 2, 1, 0, sizeof(prog)); /* prog */
	symbol(sym + 48, 6, 2, 2, 0, sizeof(text)); /* sub */
	symbol(sym + 72, 10, 0, 0, 0, 0);	    /* bpf_k: undefined */
	sym[72 + 4] = 0x20;			    /* STB_WEAK, STT_NOTYPE */
	symbol(sym + 96, 16, 0, 0, 0, 0);	    /* "bad\x01": undefined */
	symbol(sym + 120, 21, 0, 0, 0, 0);	    /* bpf_k2: undefined */
	w64(rel, 0);
	w64(rel + 8, (uint64_t)2 << 32 | 10); /* insn 0 -> sub */
	w64(rel + 16, 8);
	w64(rel + 24, (uint64_t)3 << 32 | 10); /* insn 1 -> bpf_k */
	w64(rel + 32, 16);
	w64(rel + 40, (uint64_t)4 << 32 | 10); /* insn 2 -> bad name */
	w64(rel2, 0);
	w64(rel2 + 8, (uint64_t)5 << 32 | 10); /* sub's insn 0 -> bpf_k2 */
	{
		struct sec s[] = {
			{ "tp/x", 1, 0, prog, sizeof(prog) },
			{ ".text", 1, 0, text, sizeof(text) },
			{ ".reltp/x", 9, 5, rel, sizeof(rel) },
			{ ".rel.text", 9, 5, rel2, sizeof(rel2) },
			{ ".symtab", 2, 6, sym, sizeof(sym) },
			{ ".strtab", 3, 0, strtab, sizeof(strtab) },
		};

		e = mkelf(s, 6, &len);
	}
	/* sh_info: the section each relocation section applies to */
	w32(e + rd64le(e + 0x28) + 3 * 64 + 44, 1);
	w32(e + rd64le(e + 0x28) + 4 * 64 + 44, 2);
	n = corerelo_kfuncs(e, len, "prog", k, 8);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(k[0].name, "bpf_k");
		CHECK(k[0].weak);
		CHECK_STR(k[1].name, "bpf_k2");
		CHECK(!k[1].weak);
	}
	CHECK_INT(corerelo_kfuncs(e, len, "sub", k, 8), 1);
	CHECK_INT(corerelo_kfuncs(e, len, "prog", k, 1), 1); /* at most max */
	CHECK_INT(corerelo_kfuncs(e, len, "nosuch", k, 8), 0);
	CHECK_INT(corerelo_kfuncs(e, 10, "prog", k, 8), 0);
	free(e);
}

static void names(void)
{
	CHECK_INT(btfread_essential_len("task_struct___x"), 11);
	CHECK_INT(btfread_essential_len("task_struct"), 11);
	CHECK_INT(btfread_essential_len("___x"), 4);
	CHECK_INT(btfread_essential_len("a____b"), 6);
	CHECK_INT(btfread_essential_len("a___b___c"), 5);
	CHECK_INT(corerelo_distance("tgid", "tgid_nr"), 3);
	CHECK_INT(corerelo_distance("", "abc"), 3);
}

/* Compiled objects of tests/bpfcorpus against this kernel's BTF. */
static void corpus(void)
{
	const char *dir = getenv("CORPUS");
	char path[512], why[200], *obj = NULL, *vm = NULL;
	struct btfread *t = NULL;
	struct corerelo_list l;
	size_t len, vl, i, ok = 0;

	if (!dir || !*dir) {
		check_skip("corpus", "no $CORPUS (tests/bpfcorpus not built)");
		return;
	}
	if (util_read_file("/sys/kernel/btf/vmlinux", CORERELO_FILE_MAX, &vm, &vl)) {
		check_skip("corpus", "no /sys/kernel/btf/vmlinux");
		return;
	}
	CHECK(corerelo_open_btf(vm, vl, &t, why, sizeof(why)) == 0);
	snprintf(path, sizeof(path), "%s/ok_raw_tp_core.bpf.o", dir);
	if (util_read_file(path, CORERELO_FILE_MAX, &obj, &len)) {
		free(vm);
		btfread_free(t);
		check_skip("corpus", "ok_raw_tp_core.bpf.o not built");
		return;
	}
	CHECK_INT(corerelo_read(obj, len, t, &l, why, sizeof(why)), 0);
	CHECK(l.nr >= 2);
	for (i = 0; i < l.nr; i++) {
		CHECK_STR(l.recs[i].func, "raw_exec");
		ok += l.recs[i].resolved == 1;
	}
	CHECK_INT(ok, l.nr);
	corerelo_free(&l);
	free(obj);
	snprintf(path, sizeof(path), "%s/l_core_relo.bpf.o", dir);
	CHECK(util_read_file(path, CORERELO_FILE_MAX, &obj, &len) == 0);
	CHECK_INT(corerelo_read(obj, len, t, &l, why, sizeof(why)), 0);
	CHECK_INT(l.nr, 1);
	if (l.nr == 1) {
		CHECK_INT(l.recs[0].resolved, 0);
		CHECK_STR(l.recs[0].missing, "struct task_struct.nosuch");
	}
	corerelo_free(&l);
	free(obj);
	btfread_free(t);
	free(vm);
	check_done("corpus");
}

int main(void)
{
	RUN(names);
	RUN(resolved_paths);
	RUN(missing_root);
	RUN(hostile_records);
	RUN(damaged_ext);
	RUN(every_byte);
	RUN(callees);
	RUN(kfuncs);
	corpus();
	return check_finish();
}
