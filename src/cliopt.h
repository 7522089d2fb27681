/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_CLIOPT_H
#define EDRDIAG_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct jsonw;

/*
 * One command-line option, the single source of what getopt accepts, what -h prints, what
 * --json help says and what the bash completion offers: nothing about an option is written
 * twice (the review's D1-D3: an OPT_* enum, a struct option[] and a help text per command).
 */
enum cliopt_arg {
	CLIOPT_NONE,	 /* a flag */
	CLIOPT_REQUIRED, /* --name VALUE or --name=VALUE */
	CLIOPT_OPTIONAL, /* --name or --name=VALUE */
};

enum cliopt_complete {
	CLIOPT_COMPLETE_NONE,  /* nothing to offer: a number, a name */
	CLIOPT_COMPLETE_FILE,  /* a path to a file */
	CLIOPT_COMPLETE_DIR,   /* a directory */
	CLIOPT_COMPLETE_WORDS, /* one of the words */
};

struct cliopt {
	const char *name;    /* "kernel-config"; NULL ends a table */
	char short_name;     /* 'k', or 0 */
	int key;	     /* what the parser gets: the short name, or a value > 255 */
	enum cliopt_arg arg; /* its value, if any */
	const char *value;   /* the value's name in the help: "FILE", "N" */
	const char *help;    /* one paragraph, wrapped where it is printed */
	enum cliopt_complete complete;
	const char *words; /* CLIOPT_COMPLETE_WORDS: "auto ringbuf perfbuf" */
};

/*
 * getopt_long's tables for the options of tables[0..n): the struct option array (with its
 * zero entry; the caller frees it) and the short options string (":" first, so that a
 * missing value is told from an unknown option) in shortopts.
 */
struct option *cliopt_getopt(const struct cliopt *const *tables, size_t n, char *shortopts,
			     size_t len);

/* The option of tables[0..n) with this long name or key; NULL when none. */
const struct cliopt *cliopt_by_name(const struct cliopt *const *tables, size_t n, const char *name,
				    size_t namelen);
const struct cliopt *cliopt_by_key(const struct cliopt *const *tables, size_t n, int key);

/*
 * The option's spelling for the help: "-k, --kernel-config FILE", "    --self-test[=N]".
 * A fresh heap string.
 */
char *cliopt_spelling(const struct cliopt *o);

/* The help of a table: one option a paragraph, the help column aligned, lines of at most
 * width columns (a word longer than a line is not cut). */
void cliopt_print(FILE *f, const struct cliopt *t, int width);

/* The table as a JSON array: {"name", "short", "argument", "value", "help", "choices"}. */
void cliopt_json(struct jsonw *w, const char *key, const struct cliopt *t);

#endif
