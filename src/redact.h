/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_REDACT_H
#define EDRDIAG_REDACT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * What collect-report scrubs from the text it stores, in two tiers:
 *
 * - credentials, always (with or without --redact): the value of key=value / key: value
 *   forms whose key names a secret (db_password=, X-Auth-Token:, "api_key": ...), the
 *   userinfo of a URL (https://admin:PW@host/) and bearer tokens. The key, the scheme and
 *   the host stay, so the reader knows what was there: password=<redacted:secret-1>.
 *
 * - identity, when asked (--redact, or as soon as a host or user name is added): host and
 *   domain names, IPv4 (dotted, zero-padded, and the hex forms of an address seen in the
 *   bundle or held by the host), IPv6, MAC addresses (colon, dash and Cisco dot forms) and
 *   user names, each replaced with a placeholder that stays the same across every file of
 *   one bundle (the second address seen is ip-2 in dmesg and in bpftool's output alike),
 *   so the bundle still reads as one story.
 *
 * One pass over the text, with a hash table of the values seen: linear in the text.
 */
enum redact_rule {
	REDACT_HOST,	 /* the host name (and its first label): host-N */
	REDACT_USER,	 /* user names: user-N */
	REDACT_MAC,	 /* MAC addresses, any notation: mac-N */
	REDACT_IPV6,	 /* IPv6 addresses (inet_pton decides): ip-N */
	REDACT_IPV4,	 /* IPv4 addresses, dotted or hex: ip-N */
	REDACT_DOMAIN,	 /* the host's DNS domain, alone or ending a name: domain-N */
	REDACT_SECRET,	 /* the value of a key that names a secret: <redacted:secret-N> */
	REDACT_USERINFO, /* user:password@ of a URL: <redacted:secret-N>@ */
	REDACT_BEARER,	 /* "Bearer TOKEN": <redacted:secret-N> */
	REDACT_CUT,	 /* the last word of an item cut at its size cap: <cut> */
	REDACT_NR,
};

struct redact_value {
	char *value; /* canonical: an address in one notation, a MAC lower-case with colons */
	char *placeholder;
	enum redact_rule rule;
};

struct redact {
	struct redact_value *v; /* the words to replace (host, users) and the values seen */
	size_t nr, cap;
	size_t *slot; /* hash index into v: index + 1, 0 when empty */
	size_t nslot;
	size_t longest_word;	      /* of the host, domain and user words: bounds a match */
	bool identity;		      /* hide identity too, not only credentials */
	unsigned int next[REDACT_NR]; /* the last placeholder number handed out, per prefix */
	size_t count[REDACT_NR];      /* replacements made, per rule: the manifest says these */
};

/* Credentials only, until redact_set_identity() or redact_add_word(). */
void redact_init(struct redact *r);
void redact_free(struct redact *r);
void redact_set_identity(struct redact *r, bool on);

/*
 * A word to replace wherever it stands alone (case-insensitive for host and domain names);
 * turns identity redaction on. An address (REDACT_IPV4/IPV6/MAC) is stored canonical, so
 * that its other notations (hex, zero-padded) are recognised.
 */
void redact_add_word(struct redact *r, enum redact_rule rule, const char *word);

/*
 * Read text for addresses without changing it or counting anything, so that a hex form
 * met in an earlier file is known to be an address seen in a later one.
 */
void redact_learn(struct redact *r, const char *text, size_t len);

/* Data that is not text (a NUL byte, gzip's magic): stored whole, never redacted. */
bool redact_is_binary(const char *data, size_t len);

/* Redact len bytes of text; returns a new heap buffer and its length in *out_len. */
char *redact_text(struct redact *r, const char *text, size_t len, size_t *out_len);

/*
 * Redact one stored item, by its path in the bundle: what a replay parses keeps its
 * identity (os-release's ID and VERSION_ID, sysctl values, tracefs formats, the kernel
 * config, the type and mount point of a filesystem replay looks for), credentials go
 * everywhere. With cut (the item stopped at its size cap), its last word, which may be
 * half an address or half a secret, is replaced with <cut>.
 */
char *redact_item(struct redact *r, const char *path, const char *text, size_t len, bool cut,
		  size_t *out_len);

/*
 * The host's identity, for --redact: its name node (uname), the name's first label and
 * its domain, the domains of resolv.conf's "search" and "domain" lines, the names of the
 * hosts line that names node, and the addresses of its interfaces. Domains that name no
 * one (localdomain, local, lan, ...) are left. Turns identity redaction on.
 * redact_add_host_files() is the same with the two files' text given (either may be NULL).
 */
void redact_add_host(struct redact *r, const char *node);
void redact_add_host_files(struct redact *r, const char *node, const char *resolv,
			   const char *hosts);

/*
 * Redact the strings of a JSON document in place, its keys and its structure untouched:
 * the manifest, whose "path" values (listed in keep, NULL-terminated; keep may be NULL)
 * must stay the names of the archive's members, whatever host or user name they hold.
 * A string the redaction would leave as invalid UTF-8 is left as it was.
 */
void redact_json(struct redact *r, json_t *doc, const char *const *keep);

/* The manifest's name of a rule: "hostname", "ipv4", "secret", ... */
const char *redact_rule_name(enum redact_rule rule);

#endif
