/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_REPORT_MD_H
#define EDRDIAG_REPORT_MD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * The troubleshooting guide's bug-report template (section 8.2), filled with what a machine
 * can know; what only a person knows (symptoms, steps, expectations, what was tried) stays
 * a prompt. Every conclusion names the bundle member it was drawn from, and an item that
 * failed never yields one: the report says it is not available, and why.
 *
 * Every string goes through gettext (i18n.h): the language is the process's, chosen by
 * LANG/LC_MESSAGES or --lang before rendering. Everything that comes from the bundle (check
 * documents, log lines, names) is hostile: made printable and Markdown-inert here.
 */

/*
 * One bundle item as the manifest records it. "collected" with a non-zero exit status is a
 * command that wrote its output and exited non-zero: right for edrdiag's check commands
 * (exit 1: a check failed), but a kernel log collected so is not believed. failed, denied,
 * missing_tool and timed_out are listed under Error messages; skipped and absent are not.
 */
struct report_md_item {
	const char *path;   /* in the bundle: "commands/dmesg.txt" */
	const char *source; /* the command as run ("dmesg"), or NULL: the path names it */
	const char *status; /* collected, failed, denied, missing_tool, timed_out,
			     * skipped or absent (the manifest's words) */
	int exit_status;    /* commands: exit code, 128 + signal; -1: not run, a file */
	const char *stderr_first_line; /* or NULL */
	const char *why;	       /* why it was not collected (skipped, denied ...), or NULL */
};

/* The check documents the Diagnosis is drawn from. */
enum report_doc {
	REPORT_DOC_CHECK_KERNEL,      /* edrdiag --json check-kernel */
	REPORT_DOC_CHECK_TRACEPOINTS, /* edrdiag --json check-tracepoints */
	REPORT_DOC_STATS,	      /* edrdiag --json stats --agent ...: the agent's verdicts */
	REPORT_DOC_SELFTEST,	      /* run-sensor --json --self-test: its final summary object */
	REPORT_DOC_NR,
};

struct report_md_doc {
	const char *path;   /* its item in the bundle; NULL: not part of this bundle at all */
	const json_t *json; /* the parsed document; NULL when not available (the item says why) */
};

/* An object given with collect-report --object: check-object's document on it. */
struct report_md_object {
	const char *name;   /* its base name, as stored */
	const char *path;   /* the check-object document's item in the bundle */
	const json_t *json; /* the parsed document; NULL when not available (the item says why) */
};

/* Programs listed per object at most; the rest are counted. */
#define REPORT_MD_MAX_OBJECT_PROGS 8

struct report_md_info {
	const char *os;		 /* PRETTY_NAME, or NULL */
	const char *kernel;	 /* release, or NULL */
	const char *uname;	 /* uname -a, or NULL */
	const char *agent;	 /* agent version / identity, or NULL */
	const char *agent_found; /* how the agent was found ("given with --agent", "likely
				  * agent: the process holding BPF programs 12, 14"), or NULL */
	struct report_md_doc docs[REPORT_DOC_NR];
	/*
	 * edrdiag-host.json (hostinfo.h): taint, LSMs, container, BPF program holders; NULL
	 * when not collected (--template). Its strings are the host's: hostile.
	 */
	const json_t *host;
	/* Text items read for error lines; each path's status is looked up in items. */
	const char *kernel_log; /* dmesg or journalctl -k text, or NULL: not collected */
	const char *log_source; /* its path in the bundle */
	const char *sensor_log; /* run-sensor --self-test's stderr (the verifier's words) */
	const char *sensor_log_source;
	/* every item of the manifest; NULL: unknown (--template), the texts are taken as read */
	const struct report_md_item *items;
	size_t nr_items;
	unsigned int euid;	  /* the collecting process's; 0 (root) unless told */
	const char *missing_caps; /* "CAP_BPF, CAP_PERFMON (or CAP_SYS_ADMIN)", or NULL/"" */
	const char *const *argv;  /* the command line given, NULL-ended, to rerun with sudo */
	const char *bundle_name;  /* the archive's name, or NULL (--template) */
	const struct report_md_object *objects; /* --object: each object's verdict */
	size_t nr_objects;
};

/* Lines kept per error source (kernel log, sensor log, items): the rest are counted. */
#define REPORT_MD_MAX_LOG_LINES 20
/* Bytes kept of one line: a longer one is cut, at a character boundary. */
#define REPORT_MD_MAX_LINE 300

/* The filled template as a heap string (Markdown, valid UTF-8). */
char *report_md_render(const struct report_md_info *in);

/*
 * Is this log line (len bytes, no newline) a real BPF-related error: a load or attach
 * failure, verifier output, a BPF/BTF/JIT kernel error? Informational lines ("LSM support
 * for eBPF active", "bpf: JIT enabled") are not.
 */
bool report_md_is_error_line(const char *line, size_t len);

/* argv as one shell command line prefixed with sudo, each word quoted where it must be. */
char *report_md_rerun(const char *const *argv);

#endif
