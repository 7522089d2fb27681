/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_REDACT_H
#define EDRDIAG_REDACT_H

#include <stddef.h>

/*
 * collect-report --redact: replace what identifies a host or a person with placeholders
 * that stay the same across every file of one bundle (the second address seen is ip-2 in
 * dmesg and in bpftool's output alike), so the bundle still reads as one story.
 */
enum redact_rule {
	REDACT_HOST, /* the host name (and its first label): host-N */
	REDACT_USER, /* user names: user-N */
	REDACT_MAC,  /* 6-byte MAC addresses aa:bb:cc:dd:ee:ff: mac-N */
	REDACT_IPV6, /* IPv6 addresses (inet_pton decides): ip-N */
	REDACT_IPV4, /* dotted-quad IPv4 addresses: ip-N */
	REDACT_NR,
};

struct redact_value {
	char *value;
	char *placeholder;
	enum redact_rule rule;
};

struct redact {
	struct redact_value *v; /* the words to replace (host, users) and the addresses seen */
	size_t nr, cap;
	unsigned int next[REDACT_NR]; /* the last placeholder number handed out, per prefix */
	size_t count[REDACT_NR];      /* replacements made, per rule: the manifest says these */
};

void redact_init(struct redact *r);
void redact_free(struct redact *r);

/* A word to replace wherever it stands alone (case-insensitive for host names). */
void redact_add_word(struct redact *r, enum redact_rule rule, const char *word);

/* Redact len bytes of text; returns a new heap buffer and its length in *out_len. */
char *redact_text(struct redact *r, const char *text, size_t len, size_t *out_len);

const char *redact_rule_name(enum redact_rule rule);

#endif
