/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_HOSTINFO_H
#define EDRDIAG_HOSTINFO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Facts about the live host that no check judges but a support engineer asks for (guide 2,
 * 3, 5): the kernel's taint decoded, the active LSMs, whether edrdiag runs in a container,
 * and who holds BPF programs (the likely agent, and other BPF-based security products that
 * may compete with it). Gathering only: no verdicts, no printing. Every string that comes
 * from another process (a comm, a program name) is stored as text_json keeps it.
 */

/* kernel.tainted, bit by bit: [{"bit", "flag", "meaning"}]; unknown bits say so. */
json_t *hostinfo_taint_json(unsigned long long tainted);

/*
 * The LSMs /sys/kernel/security/lsm lists, in order, as a JSON array; NULL with *why set
 * (a static string or strerror) when the file cannot be read.
 */
json_t *hostinfo_lsm_json(const char **why);

/*
 * Is this process in a container? {"container": true|false, "kind": "docker"|...|null,
 * "evidence": ["..."]}: each piece of evidence is a fact read (a marker file, pid 1's
 * cgroup, a user namespace map), so that the engineer can weigh it.
 */
json_t *hostinfo_container_json(void);

/* A process holding BPF programs. */
struct hostinfo_holder {
	pid_t pid;
	char comm[16];
	size_t progs;	     /* programs it holds */
	size_t tracing;	     /* of them, tracing ones (tracepoint, kprobe, tracing, lsm...) */
	const char *product; /* a known security product's name, or NULL */
	json_t *prog_names;  /* ["name (type)"], at most HOSTINFO_NAMES_MAX */
};

#define HOSTINFO_NAMES_MAX 16

struct hostinfo_bpf {
	struct hostinfo_holder *h;
	size_t nr;
	size_t progs;  /* programs on the host */
	size_t unheld; /* of them, held by no process (pinned, or attached by a link) */
	int err;       /* 0, or -errno of listing the programs (EPERM without privilege) */
};

/*
 * Who holds which BPF programs, skipping process self (edrdiag's own fds are only there to
 * read). Sorted by tracing programs held, most first, then pid. 0 or -errno (also in b->err).
 */
int hostinfo_bpf_scan(struct hostinfo_bpf *b, pid_t self);
void hostinfo_bpf_free(struct hostinfo_bpf *b);

/*
 * The likely agent: the process holding the most tracing BPF programs that is not a known
 * other product's, nor systemd. NULL when none holds any.
 */
const struct hostinfo_holder *hostinfo_likely_agent(const struct hostinfo_bpf *b);

/* The known security product whose process may be named comm (matched as a word), or NULL. */
const char *hostinfo_product_of(const char *comm);

/* The scan as JSON: {"programs", "unheld", "holders": [{pid, comm, product, programs...}]}. */
json_t *hostinfo_bpf_json(const struct hostinfo_bpf *b);

#endif
