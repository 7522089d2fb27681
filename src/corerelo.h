/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_CORERELO_H
#define EDRDIAG_CORERELO_H

#include <stdbool.h>
#include <stddef.h>

#include "btfread.h"

/*
 * The CO-RE relocations of a BPF object, read from its ELF (the .BTF.ext section's core_relo
 * records, the .BTF they point into, the symbol table that says which function each record
 * is in) and checked against a target BTF by name, the way libbpf matches them (flavour
 * suffixes "___x" ignored, through anonymous struct/union members). Pure and bounded: every
 * offset, count, index and type id from the object is checked; no libbpf.
 *
 * What "resolved" means: the local access path exists in the target by names and shapes
 * (struct/union members, array indexes). The field's type compatibility (int sizes,
 * signedness) is not compared, and kinds not modelled (type_matches, unknown ones) are
 * "not checked" (resolved -1). libbpf's own verdict stays the verdict.
 *
 * The closest member offered where a step is missing is the one at THAT level (through
 * anonymous members) with the lowest score: 1 when one name starts the other (3 bytes or
 * more), else the edit distance; offered only when the score is at most half the longer
 * name's length, so an unrelated name is not suggested.
 */

#define CORERELO_MAX	  4096 /* records kept per object; the rest are counted */
#define CORERELO_MAX_ACC  64   /* indexes in one access string */
#define CORERELO_FILE_MAX (256u << 20)

struct corerelo_rec {
	char func[64];	   /* the function (program) it is in, "" when no symbol covers it */
	char section[128]; /* the ELF section */
	unsigned int insn; /* instruction index inside the function */
	unsigned int kind;
	const char *kind_name;	 /* "byte_off", "type_exists", ..., "unknown" */
	char type[160];		 /* the local root type: "struct task_struct" */
	char access[256];	 /* "task_struct.real_parent.tgid", or the raw "0:1:2" */
	int resolved;		 /* 1, 0, or -1 not checked */
	bool poisons;		 /* unresolved and not an *_exists kind: libbpf poisons the insn */
	char missing[256];	 /* the first step the target lacks: "struct task_struct.pidd" */
	char closest[256];	 /* the target's closest member at that level, or "" */
	bool root_absent;	 /* unresolved because the target has no type of the root's name */
	unsigned int target_off; /* field kinds, resolved: byte offset in the target */
};

struct corerelo_list {
	struct corerelo_rec *recs;
	size_t nr;
	size_t dropped; /* records past CORERELO_MAX */
};

/*
 * The byte range of section `name` in the 64-bit little-endian ELF at data, bounded by len.
 * 0, -ENOENT (no such section) or -EINVAL (not such an ELF, headers out of bounds).
 */
int corerelo_elf_section(const void *data, size_t len, const char *name, size_t *off, size_t *size);

/*
 * Read every CO-RE relocation of the object elf (len bytes) and resolve it against target
 * (NULL: each is "not checked"). 0 (an object without .BTF.ext or without core_relo records
 * gives an empty list), or -EINVAL / -ENOMEM with a one-line reason in err. Free with
 * corerelo_free() on success and failure.
 */
int corerelo_read(const void *elf, size_t len, const struct btfread *target,
		  struct corerelo_list *out, char *err, size_t errlen);
void corerelo_free(struct corerelo_list *l);

/*
 * Raw BTF, or the .BTF section of an ELF (what --btf accepts), opened with btfread. 0 or
 * -errno with a reason in err. *b points into data: keep data until btfread_free(*b).
 */
int corerelo_open_btf(const void *data, size_t len, struct btfread **b, char *err, size_t errlen);

/*
 * The functions the function func reaches by BPF-to-BPF calls (its subprograms, followed
 * through the ELF's relocations and transitively), at most max (and CORERELO_MAX_CALLEES)
 * names into names. A relocation in a subprogram belongs to every program that calls it.
 */
#define CORERELO_MAX_CALLEES 256
size_t corerelo_callees(const void *elf, size_t len, const char *func, char (*names)[64],
			size_t max);

/*
 * The kfuncs the function func and its subprograms call: calls whose ELF relocation names an
 * undefined symbol (before libbpf loads the object they are "call -1"), each once, at most
 * max, with whether the object declares it __weak. Names of 64 bytes or more are skipped.
 */
struct corerelo_kfunc {
	char name[64];
	bool weak;
};
size_t corerelo_kfuncs(const void *elf, size_t len, const char *func, struct corerelo_kfunc *out,
		       size_t max);

/* Levenshtein distance of two names, at most 63 bytes of each compared. */
size_t corerelo_distance(const char *a, const char *b);

#endif
