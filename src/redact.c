// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact.h"
#include "strbuf.h"
#include "util.h"

static const char *const names[REDACT_NR] = { "hostname", "username", "mac", "ipv6", "ipv4" };

const char *redact_rule_name(enum redact_rule rule)
{
	return names[rule];
}

void redact_init(struct redact *r)
{
	memset(r, 0, sizeof(*r));
}

void redact_free(struct redact *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->v[i].value);
		free(r->v[i].placeholder);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* IPv4 and IPv6 share one numbering: an address is an address. */
static const char *prefix_of(enum redact_rule rule, unsigned int **next, struct redact *r)
{
	switch (rule) {
	case REDACT_HOST:
		*next = &r->next[REDACT_HOST];
		return "host";
	case REDACT_USER:
		*next = &r->next[REDACT_USER];
		return "user";
	case REDACT_MAC:
		*next = &r->next[REDACT_MAC];
		return "mac";
	default:
		*next = &r->next[REDACT_IPV4];
		return "ip";
	}
}

static struct redact_value *lookup(struct redact *r, enum redact_rule rule, const char *s, size_t n,
				   bool add)
{
	unsigned int *next;
	const char *prefix;
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (strlen(r->v[i].value) == n && !strncasecmp(r->v[i].value, s, n) &&
		    (r->v[i].rule == rule || (r->v[i].rule >= REDACT_IPV6 && rule >= REDACT_IPV6)))
			return &r->v[i];
	if (!add)
		return NULL;
	if (r->nr == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = util_xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	prefix = prefix_of(rule, &next, r);
	r->v[r->nr].value = strndup(s, n);
	r->v[r->nr].placeholder = util_fmt("%s-%u", prefix, ++*next);
	r->v[r->nr].rule = rule;
	if (!r->v[r->nr].value)
		abort();
	return &r->v[r->nr++];
}

void redact_add_word(struct redact *r, enum redact_rule rule, const char *word)
{
	if (word && *word)
		lookup(r, rule, word, strlen(word), true);
}

/* grep -w's idea of a word character: what a word must not touch on either side */
static bool wordc(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool hexc(char c)
{
	return isxdigit((unsigned char)c);
}

static size_t match_mac(const char *s, size_t n)
{
	size_t i;

	if (n < 17)
		return 0;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !hexc(s[i]))
			return 0;
	if (n > 17 && (wordc(s[17]) || s[17] == ':'))
		return 0;
	/* all-zero and broadcast identify nothing */
	if (!strncmp(s, "00:00:00:00:00:00", 17) || !strncasecmp(s, "ff:ff:ff:ff:ff:ff", 17))
		return 0;
	return 17;
}

static bool keep_ip(const char *a)
{
	/* loopback, unspecified and broadcast are the same on every host */
	return !strcmp(a, "::") || !strcmp(a, "::1") || !strcmp(a, "0.0.0.0") ||
	       util_startswith(a, "127.") || !strcmp(a, "255.255.255.255");
}

static size_t match_ipv6(const char *s, size_t n)
{
	unsigned char buf[16];
	char tok[64];
	size_t i, colons = 0;

	for (i = 0; i < n && i < sizeof(tok) - 1 && (hexc(s[i]) || s[i] == ':' || s[i] == '.'); i++)
		colons += s[i] == ':';
	/* a trailing '.' or ':' ends a sentence, it is not part of the address */
	while (i && (s[i - 1] == '.' || (s[i - 1] == ':' && !(i >= 2 && s[i - 2] == ':'))))
		i--;
	if (colons < 2 || (i < n && wordc(s[i])))
		return 0;
	memcpy(tok, s, i);
	tok[i] = '\0';
	if (inet_pton(AF_INET6, tok, buf) != 1 || keep_ip(tok))
		return 0;
	return i;
}

static size_t match_ipv4(const char *s, size_t n)
{
	struct in_addr a;
	char tok[16];
	size_t i, dots = 0;

	for (i = 0; i < n && i < sizeof(tok) - 1 && (isdigit((unsigned char)s[i]) || s[i] == '.');
	     i++)
		dots += s[i] == '.';
	while (i && s[i - 1] == '.') {
		i--;
		dots--;
	}
	/* 1.2.3.4.5 is a version, not an address; neither is 1.2.3.4abc */
	if (dots != 3 || (i < n && (wordc(s[i]) || (s[i] == '.' && i + 1 < n &&
						    isdigit((unsigned char)s[i + 1])))))
		return 0;
	memcpy(tok, s, i);
	tok[i] = '\0';
	if (inet_pton(AF_INET, tok, &a) != 1 || keep_ip(tok))
		return 0;
	return i;
}

static size_t match_word(struct redact *r, const char *s, size_t n, struct redact_value **hit)
{
	size_t i, best = 0;

	for (i = 0; i < r->nr; i++) {
		size_t l = strlen(r->v[i].value);

		if (r->v[i].rule > REDACT_USER || l > n || l <= best)
			continue;
		if ((r->v[i].rule == REDACT_HOST ? strncasecmp(s, r->v[i].value, l)
						 : strncmp(s, r->v[i].value, l)) ||
		    (l < n && wordc(s[l])))
			continue;
		best = l;
		*hit = &r->v[i];
	}
	return best;
}

char *redact_text(struct redact *r, const char *text, size_t len, size_t *out_len)
{
	struct strbuf b = { 0 };
	size_t i = 0, run = 0;

	while (i < len) {
		struct redact_value *v = NULL;
		enum redact_rule rule = REDACT_NR;
		size_t m = 0;

		/* only at the start of a word: "kvm" does not hold the host "vm" */
		if (i == 0 ||
		    !(wordc(text[i - 1]) || text[i - 1] == ':' ||
		      (text[i - 1] == '.' && i >= 2 && isdigit((unsigned char)text[i - 2])))) {
			if ((m = match_mac(text + i, len - i)))
				rule = REDACT_MAC;
			else if ((m = match_ipv6(text + i, len - i)))
				rule = REDACT_IPV6;
			else if ((m = match_ipv4(text + i, len - i)))
				rule = REDACT_IPV4;
			else if ((m = match_word(r, text + i, len - i, &v)))
				rule = v->rule;
		}
		if (!m) {
			i++;
			run++;
			continue;
		}
		strbuf_put(&b, text + i - run, run);
		run = 0;
		if (!v)
			v = lookup(r, rule, text + i, m, true);
		strbuf_put(&b, v->placeholder, strlen(v->placeholder));
		r->count[rule]++;
		i += m;
	}
	strbuf_put(&b, text + i - run, run);
	*out_len = b.len;
	return strbuf_cstr(&b);
}
