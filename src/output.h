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
 * Stable error codes: the "code" of a JSON error, {"error": {"code": C, "message": M}},
 * documented in edrdiag(8). Scripts branch on the code, never on the message.
 */
enum output_err {
	OUTPUT_ERR_AUTO,	/* from the exit status: 2 is "usage", any other "environment" */
	OUTPUT_ERR_USAGE,	/* "usage": a bad option, argument or value (exit 2) */
	OUTPUT_ERR_BAD_INPUT,	/* "bad_input": a file or value given that cannot be used (2) */
	OUTPUT_ERR_PRIVILEGE,	/* "privilege": a missing capability (exit 3) */
	OUTPUT_ERR_ENVIRONMENT, /* "environment": BPF unavailable, anything else (exit 3) */
};

/*
 * The one error reporter. Plain: "edrdiag: msg" on stderr. JSON: the first error becomes
 * the "error" member of the invocation's one document: of the document being written, or
 * last written, when there is one (run-sensor's summary keeps its attempts), else of an
 * error document output_finish() writes; any later error goes to stderr. The message may
 * quote anything (an argument, a file's content): it is made safe for JSON and for the
 * terminal here (text.h), so callers need not. p_err() leaves the code to the exit status.
 */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_err_code(enum output_err code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The code's name: "usage", "bad_input", ...; OUTPUT_ERR_AUTO resolved by exit_code. */
const char *output_err_name(enum output_err code, int exit_code);

/*
 * The command this invocation runs ("check-kernel", "help", ...; NULL while unknown): the
 * "command" of the error document when no other document is written.
 */
void output_command(const char *command);

/*
 * End of the invocation, with its exit status: close the document still held (adding the
 * error, if one was reported), or write the error document when no document was written.
 * In JSON mode this is what makes stdout hold exactly one document.
 */
void output_finish(int exit_code);

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
 * "target" is there once the dispatcher has set the target (target_init): help, version,
 * completion and an error before that have none. OUTPUT_SCHEMA is the shape's version: it
 * changes whenever a document's shape does, and schemas/ holds one JSON Schema per document
 * (schemas/README.md). In JSON mode stdout carries exactly one document per invocation, or
 * NDJSON where a command documents a stream (run-sensor's events, stats --count).
 */
#define OUTPUT_SCHEMA 1

struct jsonw;
/*
 * Begin a streamed document: the head is written; add the members with the writer, then
 * output_doc_end(). Between the two, output_doc_flush() writes what is built so far (a
 * long stream: map-dump's entries) so that memory stays bounded.
 *
 * output_doc_end() writes the document but holds its closing brace back until the next
 * document begins or output_finish(): an error reported after the document (a clean-up
 * that fails) still becomes its "error" member, and stdout still holds one document. A
 * second document makes a stream (output_doc_stream).
 */
struct jsonw *output_doc_begin(const char *command);
void output_doc_flush(void);
void output_doc_end(void);
/* A whole document: the head, then the members of members (an object), in order. */
void output_doc(const char *command, const json_t *members);
/*
 * A stream of documents, one a line (stats --count N): each is written whole at its
 * output_doc_end(), so that a reader gets every line as soon as it is made; an error after
 * the last one is a document of its own, the stream's last line. A second document begun
 * switches to this by itself, after holding the first one back; a command that streams
 * says so before its first, so that no line waits for the next.
 */
void output_doc_stream(void);

/* Render a report: the plain table or one JSON document. */
void output_report(const struct report *r);
/* The same, to f (run-sensor prints its plain summary on stderr, after the events). */
void output_report_to(FILE *f, const struct report *r);

/*
 * Flush stdout; returns 0 or -errno: a full disk is an error, not a success. A reader that
 * went away (the pipe closed: `| head -1`) is not: 0 (sig.h's SIGPIPE policy).
 */
int output_flush(void);

#endif
