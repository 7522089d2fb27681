/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_CHECK_H
#define EDRDIAG_CHECK_H

/*
 * A small TAP producer for the table-driven unit tests: one "ok N - name" line per case,
 * and a non-zero exit when any case failed, which is what CTest looks at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int check_n, check_failed, check_case_failed;

#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_case_failed = 1;                                              \
		}                                                                           \
	} while (0)

#define CHECK_INT(a, b)                                                                          \
	do {                                                                                     \
		long long _a = (long long)(a), _b = (long long)(b);                              \
		if (_a != _b) {                                                                  \
			printf("#   %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
			       _a, _b);                                                          \
			check_case_failed = 1;                                                   \
		}                                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                                          \
	do {                                                                                     \
		const char *_a = (a), *_b = (b);                                                 \
		if (!_a || !_b || strcmp(_a, _b)) {                                              \
			printf("#   %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
			       #a, _a ? _a : "(null)", _b ? _b : "(null)");                      \
			check_case_failed = 1;                                                   \
		}                                                                                \
	} while (0)

/* Report the case that just ran. */
static inline void check_done(const char *name)
{
	check_n++;
	printf("%sok %d - %s\n", check_case_failed ? "not " : "", check_n, name);
	check_failed += check_case_failed;
	check_case_failed = 0;
}

/* Report a case that cannot run here, saying why (TAP's "# skip" directive). */
static inline void check_skip(const char *name, const char *why)
{
	check_n++;
	printf("ok %d - %s # skip %s\n", check_n, name, why);
	check_case_failed = 0;
}

#define RUN(fn)                  \
	do {                     \
		fn();            \
		check_done(#fn); \
	} while (0)

/*
 * Write text to root/rel, making the directories on the way: a fixture tree built by a
 * test. A failure to write fails the case.
 */
static inline void check_put(const char *root, const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		CHECK(fclose(f) == 0);
	}
}

static inline int check_finish(void)
{
	printf("1..%d\n# %d passed, %d failed\n", check_n, check_n - check_failed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
