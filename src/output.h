/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_OUTPUT_H
#define EDRDIAG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "finding.h"

/* The only module that writes to stdout (DESIGN.md 4). */
struct output_opts {
	bool json;
	bool pretty;
	bool color;	   /* resolved: a tty, no NO_COLOR, no --no-color */
	bool color_stderr; /* the same rule, for stderr */
	bool verbose;
};

extern struct output_opts output;

/* Decide colour for stdout from the user's wish and the environment. */
void output_init(bool json, bool pretty, bool no_color, bool verbose);

/*
 * The one error reporter: in JSON mode the message becomes the {"error": ...} document
 * on stdout (only the first; later ones go to stderr), otherwise "edrdiag: msg" on stderr.
 * The message may quote anything (an argument, a file's content): it is made safe for JSON
 * and for the terminal here (text.h), so callers need not.
 */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True once p_err has written the JSON error document. */
bool output_error_printed(void);

/*
 * "target: ..." (target_line()), once per run, made printable: the first line of plain
 * output, so that no verdict is read without what it is about.
 */
void output_target_line(FILE *out);

/*
 * JSON documents: every one on stdout goes through here, with one writer (jsonw.h) and one
 * set of flags (compact, or indented with --pretty), and the same head:
 *
 *   {"command": C, "edrdiag": {"version": V, "schema": OUTPUT_SCHEMA}, "target": {...}, ...}
 *
 * OUTPUT_SCHEMA is the shape's version: it changes whenever a document's shape does, and
 * schemas/ holds one JSON Schema per document. In JSON mode stdout carries exactly one
 * document per invocation, or NDJSON where a command documents a stream (run-sensor).
 */
#define OUTPUT_SCHEMA 1

struct jsonw;
/*
 * Begin a streamed document: the head is written; add the members with the writer, then
 * output_doc_end(). Between the two, output_doc_flush() writes what is built so far (a
 * long stream: map-dump's entries) so that memory stays bounded.
 */
struct jsonw *output_doc_begin(const char *command);
void output_doc_flush(void);
void output_doc_end(void);
/* A whole document: the head, then the members of members (an object), in order. */
void output_doc(const char *command, const json_t *members);

/* Render a report: the plain table or one JSON document. */
void output_report(const struct report *r);
/* The same, to f (run-sensor prints its plain summary on stderr, after the events). */
void output_report_to(FILE *f, const struct report *r);

/* Flush stdout; returns 0 or -errno (a full disk or closed pipe is an error, not a success). */
int output_flush(void);

#endif
