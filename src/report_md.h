/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_REPORT_MD_H
#define EDRDIAG_REPORT_MD_H

#include <jansson.h>

/*
 * The troubleshooting guide's bug-report template (section 8.2), filled with what a machine
 * can know; what only a person knows (steps, expectations, what was tried) stays a prompt.
 */
enum report_lang { REPORT_EN, REPORT_ZH };

struct report_md_info {
	enum report_lang lang;
	const char *os;		 /* PRETTY_NAME, or NULL */
	const char *kernel;	 /* release, or NULL */
	const char *uname;	 /* uname -a, or NULL */
	const char *agent;	 /* agent version / identity, or NULL */
	const json_t *checks[4]; /* check-* JSON documents ({"command", "results"}), NULL-ended */
	const char *kernel_log;	 /* dmesg or journalctl -k text, or NULL */
	const char *log_source;	 /* its path in the bundle */
	const char *bundle_name; /* the archive's name, or NULL (--template) */
};

/* Kernel log lines kept as error messages at most. */
#define REPORT_MD_MAX_LOG_LINES 20

/* The filled template as a heap string (Markdown). */
char *report_md_render(const struct report_md_info *in);

#endif
