/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds sysroot_walk() (the resolver used under --root where the kernel has no openat2) an
 * imaginary tree and a path to resolve. The input is lines: "d PATH" a directory, "f PATH" a
 * file, "l PATH TARGET" a symbolic link; the last line is the path. Whatever the tree and
 * the path, a resolved path must be canonical (no "", "." or ".." component: it cannot
 * climb out of the root) and must name what the tree holds, through directories only.
 */
#include <errno.h>

#include "fuzz.h"
#include "sysroot.h"

#define MAX_NODES 64

struct node {
	const char *path, *target;
	int kind;
};

struct tree {
	struct node n[MAX_NODES];
	size_t nr;
};

static const struct node *find(const struct tree *t, const char *rel)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->n[i].path, rel))
			return &t->n[i];
	return NULL;
}

static int lookup(void *ctx, const char *rel, char *buf, size_t size)
{
	const struct node *n = find(ctx, rel);

	if (!n)
		return -ENOENT;
	if (n->kind == SYSROOT_NODE_LINK) {
		if (strlen(n->target) >= size)
			return -ENAMETOOLONG;
		strcpy(buf, n->target);
	}
	return n->kind;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *line, *next, *path = NULL, out[4096], *c, *e;
	struct tree t = { .nr = 0 };
	const struct node *n;
	int ret;

	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!next) {
			path = line; /* the last line */
			break;
		}
		if (t.nr == MAX_NODES || strlen(line) < 3 || line[1] != ' ')
			continue;
		t.n[t.nr].path = line + 2;
		t.n[t.nr].target = "";
		if (line[0] == 'd') {
			t.n[t.nr++].kind = SYSROOT_NODE_DIR;
		} else if (line[0] == 'f') {
			t.n[t.nr++].kind = SYSROOT_NODE_OTHER;
		} else if (line[0] == 'l' && (c = strchr(line + 2, ' '))) {
			*c = '\0';
			t.n[t.nr].target = c + 1;
			t.n[t.nr++].kind = SYSROOT_NODE_LINK;
		}
	}
	ret = sysroot_walk(path ? path : "", lookup, &t, out, sizeof(out));
	if (ret) {
		FUZZ_ASSERT(ret < 0 && out[0] == '\0');
	} else {
		FUZZ_ASSERT(strlen(out) < sizeof(out));
		/* canonical, and every component a directory of the tree but perhaps the last */
		for (c = out; *c; c = *e ? e + 1 : e) {
			char save;

			e = strchrnul(c, '/');
			FUZZ_ASSERT(e > c);
			FUZZ_ASSERT(!(e - c == 1 && c[0] == '.'));
			FUZZ_ASSERT(!(e - c == 2 && c[0] == '.' && c[1] == '.'));
			save = *e;
			*e = '\0';
			n = find(&t, out);
			FUZZ_ASSERT(n && n->kind != SYSROOT_NODE_LINK);
			FUZZ_ASSERT(!save || n->kind == SYSROOT_NODE_DIR);
			*e = save;
		}
	}
	free(text);
	return 0;
}
