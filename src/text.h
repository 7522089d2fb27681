/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_TEXT_H
#define EDRDIAG_TEXT_H

#include <jansson.h>
#include <stddef.h>

/*
 * Foreign text, made safe to show: the bytes edrdiag prints come from hostile places (a
 * customer's bundle under --root, process names, exec'd file names, the command line). The
 * one place where they are made safe for a terminal and for JSON, whichever command prints
 * them.
 *
 * "Valid UTF-8" is what RFC 3629 and jansson accept: no overlong form, no surrogate
 * (U+D800..U+DFFF), nothing past U+10FFFF.
 */

/*
 * A JSON string holding s, whatever its bytes: never NULL (json_null() when s is NULL).
 * Valid UTF-8 is kept as is; each byte that is not part of valid UTF-8 becomes the four
 * characters \xNN (lowercase hex), so nothing is dropped and the byte can still be read.
 */
json_t *text_json(const char *s);

/*
 * s made safe to print on a terminal, as a fresh heap string (util_xmalloc; the caller frees):
 * C0 controls (tab and newline included), DEL, C1 controls (U+0080..U+009F in UTF-8) and bytes
 * that are not valid UTF-8 are written as \xNN, one per byte; a backslash as \\; printable
 * ASCII and valid non-control UTF-8 are kept. NULL gives "(null)".
 */
char *text_printable(const char *s);

/*
 * s (NUL-terminated) scrubbed in place for a terminal: each C0 control (tab and newline
 * included), DEL, C1 control and byte that is not valid UTF-8 becomes '?'; the rest, a
 * translated message's characters included, stays. A string it leaves unchanged is clean.
 */
void text_scrub(char *s);

/* Length of the valid UTF-8 sequence at s (n bytes readable, n > 0), or 0 when there is none. */
size_t text_utf8_len(const unsigned char *s, size_t n);

/*
 * text_printable's rules for s (n bytes, NULs included, each as \x00) written at dst, which
 * needs TEXT_PRINTABLE_MAX(n) bytes. No NUL is added; returns the end of what was written.
 */
#define TEXT_PRINTABLE_MAX(n) (4 * (n))
char *text_printable_escape(char *dst, const char *s, size_t n);

/*
 * s (n bytes) as a JSON string literal with its quotes, for JSON written by hand (the event
 * stream of run-sensor, the entries of map-dump): quotes and backslashes escaped, C0 controls
 * as \n, \t or \u00XX, DEL and C1 controls as \u007f..\u009f (the same characters, but no
 * raw control byte reaches a terminal showing the stream), and each byte that is not valid
 * UTF-8 as \u00XX, the byte's value, as those commands' man pages promise. The result is
 * always valid JSON. dst needs TEXT_JSON_MAX(n) bytes; returns the end of what was written.
 */
#define TEXT_JSON_MAX(n) (6 * (n) + 2)
char *text_json_escape(char *dst, const char *s, size_t n);

#endif
