// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <ctype.h>
#include <ifaddrs.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "redact.h"
#include "strbuf.h"
#include "sysroot.h"
#include "util.h"

static const char *const names[REDACT_NR] = { "hostname", "username", "mac",	"ipv6",
					      "ipv4",	  "domain",   "secret", "url_userinfo",
					      "bearer",	  "cut" };

/* Bounds that keep one match, and so the whole pass, linear in the text. */
#define KEY_MAX	  64   /* a key=value key longer than this is not looked at */
#define VALUE_MAX 4096 /* a secret value: the rest past this is left (a key's value) */
#define AUTH_MAX  2048 /* a URL's scheme://authority */
#define CUT_MAX	  512  /* the last word of a cut item */

const char *redact_rule_name(enum redact_rule rule)
{
	return rule < REDACT_NR ? names[rule] : "?";
}

void redact_init(struct redact *r)
{
	memset(r, 0, sizeof(*r));
}

void redact_set_identity(struct redact *r, bool on)
{
	r->identity = on;
}

void redact_free(struct redact *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->v[i].value);
		free(r->v[i].placeholder);
	}
	free(r->v);
	free(r->slot);
	memset(r, 0, sizeof(*r));
}

/* ---- the values seen, and their placeholders ---- */

/* Rules that share a numbering and a namespace: an address is an address. */
static int class_of(enum redact_rule rule)
{
	switch (rule) {
	case REDACT_HOST:
	case REDACT_USER:
	case REDACT_DOMAIN:
		return 0;
	case REDACT_IPV4:
	case REDACT_IPV6:
		return 1;
	case REDACT_MAC:
		return 2;
	default:
		return 3;
	}
}

static bool nocase(enum redact_rule rule)
{
	return rule == REDACT_HOST || rule == REDACT_DOMAIN;
}

/* FNV-1a of the lower-cased bytes: host names match in any case, so they hash alike */
static uint64_t hash_of(int cls, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)cls;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)tolower((unsigned char)s[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static bool same(const struct redact_value *v, int cls, const char *s, size_t n)
{
	if (class_of(v->rule) != cls || strlen(v->value) != n)
		return false;
	return nocase(v->rule) ? !strncasecmp(v->value, s, n) : !memcmp(v->value, s, n);
}

static struct redact_value *find(const struct redact *r, int cls, const char *s, size_t n,
				 uint64_t h)
{
	size_t mask = r->nslot - 1, k;

	if (!r->nslot)
		return NULL;
	for (k = h & mask; r->slot[k]; k = (k + 1) & mask)
		if (same(&r->v[r->slot[k] - 1], cls, s, n))
			return &r->v[r->slot[k] - 1];
	return NULL;
}

static void index_value(struct redact *r, size_t idx)
{
	const struct redact_value *v = &r->v[idx];
	uint64_t h = hash_of(class_of(v->rule), v->value, strlen(v->value));
	size_t mask = r->nslot - 1, k;

	for (k = h & mask; r->slot[k]; k = (k + 1) & mask)
		;
	r->slot[k] = idx + 1;
}

static void grow_index(struct redact *r)
{
	size_t i;

	free(r->slot);
	r->nslot = r->nslot ? 2 * r->nslot : 64;
	r->slot = util_xmalloc(r->nslot * sizeof(*r->slot));
	memset(r->slot, 0, r->nslot * sizeof(*r->slot));
	for (i = 0; i < r->nr; i++)
		index_value(r, i);
}

static char *placeholder(struct redact *r, enum redact_rule rule)
{
	switch (class_of(rule)) {
	case 0:
		return util_fmt("%s-%u",
				rule == REDACT_HOST   ? "host"
				: rule == REDACT_USER ? "user"
						      : "domain",
				++r->next[rule]);
	case 1:
		return util_fmt("ip-%u", ++r->next[REDACT_IPV4]);
	case 2:
		return util_fmt("mac-%u", ++r->next[REDACT_MAC]);
	default:
		return util_fmt("<redacted:secret-%u>", ++r->next[REDACT_SECRET]);
	}
}

static struct redact_value *lookup(struct redact *r, enum redact_rule rule, const char *s, size_t n,
				   bool add)
{
	int cls = class_of(rule);
	uint64_t h = hash_of(cls, s, n);
	struct redact_value *v = find(r, cls, s, n, h);

	if (v || !add)
		return v;
	if (r->nr == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = util_xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	v = &r->v[r->nr];
	/* as strndup: up to n bytes, or to a NUL */
	v->value = util_fmt("%.*s", (int)n, s);
	v->placeholder = placeholder(r, rule);
	v->rule = rule;
	r->nr++;
	if (2 * r->nr > r->nslot)
		grow_index(r);
	else
		index_value(r, r->nr - 1);
	return v;
}

/* ---- recognising the forms ---- */

/* grep -w's idea of a word character: what a word must not touch on either side */
static bool wordc(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* what a key or a host name is made of: a secret's key starts where none of these is */
static bool keyc(char c)
{
	return wordc(c) || c == '-' || c == '.';
}

static bool hexc(char c)
{
	return isxdigit((unsigned char)c);
}

static bool digitc(char c)
{
	return isdigit((unsigned char)c);
}

static bool keep_ip(const char *a)
{
	/* loopback, unspecified and broadcast are the same on every host */
	return !strcmp(a, "::") || !strcmp(a, "::1") || !strcmp(a, "0.0.0.0") ||
	       util_startswith(a, "127.") || !strcmp(a, "255.255.255.255");
}

static int hexval(char c)
{
	return digitc(c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/*
 * A MAC address in colon (52:54:00:ab:cd:ee), dash (52-54-00-ab-cd-ee) or Cisco dot
 * (5254.00ab.cdef) notation, written canonical (lower case, colons) into out[18].
 */
static size_t match_mac(const char *s, size_t n, char *out)
{
	unsigned char b[6];
	size_t i, len;
	char sep = n > 2 ? s[2] : 0;

	if (n >= 17 && (sep == ':' || sep == '-')) {
		for (i = 0; i < 17; i++)
			if (i % 3 == 2 ? s[i] != sep : !hexc(s[i]))
				return 0;
		for (i = 0; i < 6; i++)
			b[i] = (unsigned char)(hexval(s[3 * i]) << 4 | hexval(s[3 * i + 1]));
		len = 17;
	} else if (n >= 14 && s[4] == '.' && s[9] == '.') {
		sep = '.';
		for (i = 0; i < 14; i++)
			if (i % 5 == 4 ? s[i] != '.' : !hexc(s[i]))
				return 0;
		for (i = 0; i < 6; i++) {
			size_t k = (i / 2) * 5 + (i % 2) * 2;

			b[i] = (unsigned char)(hexval(s[k]) << 4 | hexval(s[k + 1]));
		}
		len = 14;
	} else {
		return 0;
	}
	/* part of something longer: a 20-byte InfiniBand address, a dotted version */
	if (n > len && (wordc(s[len]) || (s[len] == sep && n > len + 1 && hexc(s[len + 1]))))
		return 0;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	/* all-zero and broadcast identify nothing */
	if (!strcmp(out, "00:00:00:00:00:00") || !strcmp(out, "ff:ff:ff:ff:ff:ff"))
		return 0;
	return len;
}

static size_t match_ipv6(const char *s, size_t n, char *out, size_t outlen)
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
	if (inet_pton(AF_INET6, tok, buf) != 1 ||
	    !inet_ntop(AF_INET6, buf, out, (socklen_t)outlen) || keep_ip(out))
		return 0;
	return i;
}

/* Dotted IPv4, zero-padded or not (010.001.002.003 is 10.1.2.3), canonical in out[16]. */
static size_t match_ipv4(const char *s, size_t n, char *out)
{
	unsigned int part[4];
	size_t i = 0, g, d;

	for (g = 0; g < 4; g++) {
		if (g) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		part[g] = 0;
		for (d = 0; d < 3 && i < n && digitc(s[i]); d++, i++)
			part[g] = part[g] * 10 + (unsigned int)(s[i] - '0');
		if (!d || part[g] > 255)
			return 0;
	}
	/* 1.2.3.4.5 is a version, not an address; neither is 1.2.3.4abc nor 1.2.3.4567 */
	if (i < n && (wordc(s[i]) || (s[i] == '.' && i + 1 < n && digitc(s[i + 1]))))
		return 0;
	snprintf(out, 16, "%u.%u.%u.%u", part[0], part[1], part[2], part[3]);
	return keep_ip(out) ? 0 : i;
}

/*
 * An IPv4 address in hex, 0x0a010203 or, as /proc/net/tcp writes it, 0302010A: only one
 * already known to be an address of this bundle or host, since eight hex digits are just
 * as often a flag word or a pointer.
 */
static size_t match_hex_ipv4(const struct redact *r, const char *s, size_t n,
			     struct redact_value **hit)
{
	size_t p = n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0, i;
	uint32_t be = 0, le;
	char a[16];
	int k;

	if (n < p + 8 || (n > p + 8 && wordc(s[p + 8])))
		return 0;
	for (i = 0; i < 8; i++) {
		if (!hexc(s[p + i]))
			return 0;
		be = be << 4 | (uint32_t)hexval(s[p + i]);
	}
	le = __builtin_bswap32(be);
	for (k = 0; k < (p ? 1 : 2); k++) {
		uint32_t v = k ? le : be;

		snprintf(a, sizeof(a), "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255,
			 v & 255);
		*hit = find(r, 1, a, strlen(a), hash_of(1, a, strlen(a)));
		if (*hit)
			return p + 8;
	}
	return 0;
}

/* The longest host, domain or user word at s that stands alone. */
static size_t match_word(const struct redact *r, const char *s, size_t n, struct redact_value **hit)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i, best = 0;

	for (i = 0; i < n && i < r->longest_word && keyc(s[i]); i++) {
		struct redact_value *v;

		h ^= (unsigned char)tolower((unsigned char)s[i]);
		h *= 1099511628211ULL;
		if (!wordc(s[i]) || (i + 1 < n && wordc(s[i + 1])))
			continue;
		v = find(r, 0, s, i + 1, h);
		if (v) {
			best = i + 1;
			*hit = v;
		}
	}
	return best;
}

/* ---- credentials ---- */

static bool in_list(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncasecmp(w, *list, n))
			return true;
	return false;
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);

	return n >= l && !strncasecmp(w + n - l, suffix, l);
}

/* The rest of a key from i is an id: "_id", "-id", ".id" or camelCase "Id" (session_id). */
static bool id_rest(const char *k, size_t i, size_t n)
{
	if (n - i == 3 && strchr("_-.", k[i]))
		return !strncasecmp(k + i + 1, "id", 2);
	return n - i == 2 && !strncmp(k + i, "Id", 2);
}

/*
 * Does the key name a secret? Its parts (split at '_', '-', '.' and camelCase) are
 * looked at: db_password, X-Auth-Token, apiKey, client.secret. *weak says the key is one
 * whose plain number is no secret ("pass": 3 in a count of findings).
 */
static bool secret_key(const char *k, size_t n, bool *weak)
{
	static const char *const strong[] = {
		"password",   "passwd",	     "passphrase", "secret",	"secrets",
		"token",      "tokens",	     "apikey",	   "secretkey", "privatekey",
		"credential", "credentials", "cookie",	   "cookies",	"authorization",
		"sessionid",  "jwt",	     "psk",	   NULL,
	};
	static const char *const weak_words[] = { "pwd", "pass", "auth", "session", NULL };
	static const char *const key_owner[] = { "api",	       "access",  "secret", "private",
						 "encryption", "signing", "master", "auth",
						 "client",     "ssh",	  NULL };
	static const char *const suffixes[] = { "password", "passwd", "token", "secret", NULL };
	size_t s = 0, i, prev_s = 0, prev_n = 0;
	const char *const *suf;

	/* CONFIG_SECURITY_..._TOKEN=y is the kernel's configuration, not a credential */
	if (n >= 7 && !strncmp(k, "CONFIG_", 7))
		return false;
	*weak = false;
	for (i = 1; i <= n; i++) {
		bool end = i == n || k[i] == '_' || k[i] == '-' || k[i] == '.' ||
			   (islower((unsigned char)k[i - 1]) && isupper((unsigned char)k[i]));
		size_t len;

		if (!end)
			continue;
		len = i - s;
		if (len && in_list(k + s, len, strong))
			return true;
		/* a weak word names the key only at its end: dbus-session-bus is no session */
		if (len && in_list(k + s, len, weak_words) && (i == n || id_rest(k, i, n))) {
			*weak = true;
			return true;
		}
		if (len == 3 && !strncasecmp(k + s, "key", 3) && prev_n &&
		    in_list(k + prev_s, prev_n, key_owner))
			return true;
		for (suf = suffixes; len && *suf; suf++)
			if (ends_with(k + s, len, *suf))
				return true;
		prev_s = s;
		prev_n = len;
		s = i < n && !isupper((unsigned char)k[i]) ? i + 1 : i;
	}
	return false;
}

/*
 * A value that is no secret: empty, a printf conversion, a mask, already a placeholder;
 * with weak, a number or a boolean (a weak key's, or a JSON key's bare value).
 */
static bool not_a_secret(const char *v, size_t n, bool weak)
{
	size_t i;

	if (!n || v[0] == '%' || (n >= 9 && !strncmp(v, "<redacted", 9)) ||
	    (n == 5 && !strncmp(v, "<cut>", 5)) || (n == 4 && !strncmp(v, "null", 4)) ||
	    (n == 6 && !strncmp(v, "(null)", 6)))
		return true;
	for (i = 0; i < n && v[i] == '*'; i++)
		;
	if (i == n)
		return true;
	if (weak) {
		for (i = 0; i < n && (digitc(v[i]) || v[i] == '-' || v[i] == '.'); i++)
			;
		return i == n || (n == 4 && !strncmp(v, "true", 4)) ||
		       (n == 5 && !strncmp(v, "false", 5));
	}
	return false;
}

/* The end of an unquoted value: mount options stop at ',', a query string at '&'. */
static bool value_end(char c)
{
	return isspace((unsigned char)c) || strchr(",;&\"'<>(){}[]", c) || !c;
}

/* "Bearer ", "Basic ": an Authorization value's scheme, kept; the credential after it is not */
static size_t auth_scheme(const char *s, size_t n)
{
	static const char *const schemes[] = { "bearer",    "basic", "digest", "token",
					       "negotiate", "ntlm",  NULL };
	size_t i;

	for (i = 0; i < n && i < 10 && isalpha((unsigned char)s[i]); i++)
		;
	if (!i || i >= n || s[i] != ' ' || !in_list(s, i, schemes))
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* A match: text [at, at + keep) stays, [at + keep, at + len) becomes v's placeholder. */
struct hit {
	size_t keep, len;
	struct redact_value *v;
	enum redact_rule rule;
};

/* key=value, key: value, "key": "value", key => 'value' */
static bool match_secret(struct redact *r, const char *s, size_t n, struct hit *h)
{
	size_t k, j, vs, ve;
	bool weak, json = false;
	char q = 0;

	for (k = 0; k < n && k <= KEY_MAX && keyc(s[k]); k++)
		;
	if (!k || k > KEY_MAX || !secret_key(s, k, &weak))
		return false;
	j = k;
	/* "key": a JSON (or quoted) key, whose bare value is a number, true, false or null */
	if (j < n && (s[j] == '"' || s[j] == '\'')) {
		json = true;
		j++;
	}
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	/* a command line's option and its argument: --password hunter2 */
	if (s[0] == '-' && !weak && j > k && j < n && s[j] != '=' && s[j] != ':' && s[j] != '-')
		j--;
	else if (j >= n || (s[j] != '=' && s[j] != ':'))
		return false;
	/*
	 * "key: value" takes a blank after the colon unless the key was quoted (JSON):
	 * python3-jwt:amd64 is a package, password://x and token::x are something else
	 */
	if (s[j] == ':' && !json && (j + 1 >= n || (s[j + 1] != ' ' && s[j + 1] != '\t')))
		return false;
	j++;
	if (j < n && s[j] == '>')
		j++;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j < n && (s[j] == '"' || s[j] == '\''))
		q = s[j++];
	vs = j;
	vs += auth_scheme(s + vs, n - vs);
	for (ve = vs; ve < n && ve - vs < VALUE_MAX && s[ve] != '\n'; ve++) {
		if (q ? s[ve] == q : value_end(s[ve]))
			break;
		/* a JSON string's escaped quote is part of it */
		if (q && s[ve] == '\\' && ve + 1 < n && s[ve + 1] != '\n')
			ve++;
	}
	if (not_a_secret(s + vs, ve - vs, weak || (json && !q)))
		return false;
	h->keep = vs;
	h->len = ve;
	h->rule = REDACT_SECRET;
	h->v = lookup(r, REDACT_SECRET, s + vs, ve - vs, true);
	return true;
}

/*
 * A PEM private key: its body goes, the BEGIN and END lines stay. Without its END line
 * (cut at the size cap) everything after BEGIN goes.
 */
static bool match_pem(struct redact *r, const char *s, size_t n, struct hit *h)
{
	const char *nl, *end;
	size_t b;

	if (n < 16 || memcmp(s, "-----BEGIN ", 11))
		return false;
	nl = memchr(s, '\n', n < 128 ? n : 128);
	if (!nl || !memmem(s, (size_t)(nl - s), "PRIVATE KEY-----", 16))
		return false;
	b = (size_t)(nl + 1 - s);
	end = memmem(nl, n - b + 1, "-----END ", 9);
	h->keep = b;
	h->len = end ? (size_t)(end - s) : n;
	h->rule = REDACT_SECRET;
	/* the body is not kept, not even to tell two keys apart: all share one placeholder */
	h->v = lookup(r, REDACT_SECRET, "-----PEM PRIVATE KEY-----", 25, true);
	return true;
}

/* scheme://user:password@host: the userinfo goes, the scheme and the host stay */
static bool match_userinfo(struct redact *r, const char *s, size_t n, struct hit *h)
{
	size_t i, a, at = 0;

	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; i < n && i < 32 && (isalnum((unsigned char)s[i]) || strchr("+.-", s[i])); i++)
		;
	if (n - i < 3 || memcmp(s + i, "://", 3))
		return false;
	a = i + 3;
	for (i = a; i < n && i - a < AUTH_MAX && !value_end(s[i]) && !strchr("/?#", s[i]); i++)
		if (s[i] == '@')
			at = i;
	if (at <= a)
		return false;
	h->keep = a;
	h->len = at;
	h->rule = REDACT_USERINFO;
	h->v = lookup(r, REDACT_USERINFO, s + a, at - a, true);
	return true;
}

/* "Bearer eyJhbGciOi...": a token, not the word in "the bearer of" */
static bool match_bearer(struct redact *r, const char *s, size_t n, struct hit *h)
{
	size_t i, t, digits = 0;

	if (n < 8 || strncasecmp(s, "bearer", 6) || (s[6] != ' ' && s[6] != '\t'))
		return false;
	for (t = 6; t < n && (s[t] == ' ' || s[t] == '\t'); t++)
		;
	for (i = t; i < n && i - t < VALUE_MAX &&
		    (isalnum((unsigned char)s[i]) || strchr("-._~+/=", s[i]));
	     i++)
		digits += !isalpha((unsigned char)s[i]);
	if (i - t < 8 || (!digits && i - t < 16))
		return false;
	h->keep = t;
	h->len = i;
	h->rule = REDACT_BEARER;
	h->v = lookup(r, REDACT_BEARER, s + t, i - t, true);
	return true;
}

/* ---- the pass ---- */

static bool identity_start(const char *t, size_t i)
{
	char p = i ? t[i - 1] : ' ';

	return !(wordc(p) || (p == '.' && i >= 2 && digitc(t[i - 2])));
}

static bool match_identity(struct redact *r, const char *s, size_t n, bool joined, struct hit *h)
{
	char canon[INET6_ADDRSTRLEN + 1];
	struct redact_value *v = NULL;
	size_t m;

	h->keep = 0;
	/* a MAC or an IPv6 address is not the tail of a longer run of joined hex groups */
	if (!joined && (m = match_mac(s, n, canon))) {
		h->rule = REDACT_MAC;
	} else if (!joined && (m = match_ipv6(s, n, canon, sizeof(canon)))) {
		h->rule = REDACT_IPV6;
	} else if ((m = match_ipv4(s, n, canon))) {
		h->rule = REDACT_IPV4;
	} else if ((m = match_hex_ipv4(r, s, n, &v))) {
		h->rule = REDACT_IPV4;
	} else if ((m = match_word(r, s, n, &v))) {
		h->rule = v->rule;
	} else {
		return false;
	}
	h->len = m;
	h->v = v ? v : lookup(r, h->rule, canon, strlen(canon), true);
	return true;
}

/* Append text [0, len) to b, credentials scrubbed, and identity too when ident. */
static void scrub(struct redact *r, struct strbuf *b, const char *t, size_t len, bool ident)
{
	size_t i = 0, flushed = 0;
	struct hit h;

	while (i < len) {
		bool found = false;

		if (!i || !keyc(t[i - 1]))
			found = match_pem(r, t + i, len - i, &h) ||
				match_userinfo(r, t + i, len - i, &h) ||
				match_secret(r, t + i, len - i, &h) ||
				match_bearer(r, t + i, len - i, &h);
		if (!found && ident && identity_start(t, i))
			found = match_identity(r, t + i, len - i,
					       i >= 2 && strchr(":-.", t[i - 1]) && hexc(t[i - 2]),
					       &h);
		if (!found) {
			i++;
			continue;
		}
		strbuf_put(b, t + flushed, i + h.keep - flushed);
		strbuf_put(b, h.v->placeholder, strlen(h.v->placeholder));
		r->count[h.rule]++;
		i += h.len;
		flushed = i;
	}
	strbuf_put(b, t + flushed, len - flushed);
}

void redact_add_word(struct redact *r, enum redact_rule rule, const char *word)
{
	char canon[INET6_ADDRSTRLEN + 1];
	size_t n = word ? strlen(word) : 0;

	if (!n)
		return;
	r->identity = true;
	if (rule == REDACT_IPV4 || rule == REDACT_IPV6 || rule == REDACT_MAC) {
		/* an address is looked up canonical: add it the same way */
		if (!((rule == REDACT_MAC && match_mac(word, n, canon) == n) ||
		      (rule == REDACT_IPV6 && match_ipv6(word, n, canon, sizeof(canon)) == n) ||
		      (rule == REDACT_IPV4 && match_ipv4(word, n, canon) == n)))
			return;
		lookup(r, rule, canon, strlen(canon), true);
		return;
	}
	if (class_of(rule))
		return;
	lookup(r, rule, word, n, true);
	if (n > r->longest_word)
		r->longest_word = n;
}

void redact_learn(struct redact *r, const char *t, size_t len)
{
	char canon[16];
	size_t i, m;

	if (!r->identity)
		return;
	for (i = 0; i < len; i++) {
		if (!identity_start(t, i) || !digitc(t[i]))
			continue;
		m = match_ipv4(t + i, len - i, canon);
		if (m) {
			lookup(r, REDACT_IPV4, canon, strlen(canon), true);
			i += m - 1;
		}
	}
}

bool redact_is_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len) ||
	       (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b);
}

char *redact_text(struct redact *r, const char *text, size_t len, size_t *out_len)
{
	struct strbuf b = { 0 };

	scrub(r, &b, text, len, r->identity);
	*out_len = b.len;
	return strbuf_cstr(&b);
}

/* ---- what replay parses: per path ---- */

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The kernel's own files that replay parses and that say nothing of the host's identity. */
static bool identity_free(const char *path)
{
	static const char *const tracefs[] = { "sys/kernel/tracing/", "sys/kernel/debug/tracing/",
					       NULL };
	static const char *const event_files[] = { "format", "id", "enable", "filter", NULL };
	const char *base = base_of(path);
	const char *const *p;

	/* sysctl values (the kernel's release among them), but not the host's own names */
	if (util_startswith(path, "proc/sys/"))
		return strcmp(base, "hostname") && strcmp(base, "domainname");
	/* module names are the kernel's: a host called kvm must not rename the kvm module */
	if (!strcmp(path, "proc/modules"))
		return true;
	if (util_startswith(path, "sys/kernel/security/") ||
	    util_startswith(path, "boot/config-") || util_startswith(path, "proc/config") ||
	    util_startswith(path, "sys/kernel/btf/"))
		return true;
	for (p = tracefs; *p; p++)
		if (util_startswith(path, *p))
			return strcmp(base, "trace") && strcmp(base, "trace_pipe");
	/* a tracefs mounted elsewhere: its events' formats */
	return strstr(path, "/events/") && in_list(base, strlen(base), event_files);
}

/* os-release: the keys the distribution check and report.md read stay as written */
static void scrub_osrelease(struct redact *r, struct strbuf *b, const char *t, size_t len)
{
	static const char *const kept[] = { "NAME",
					    "PRETTY_NAME",
					    "ID",
					    "ID_LIKE",
					    "VERSION_ID",
					    "VERSION",
					    "VERSION_CODENAME",
					    "UBUNTU_CODENAME",
					    NULL };
	const char *p = t, *end = t + len, *nl, *eq;

	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		eq = memchr(p, '=', (size_t)(nl - p));
		scrub(r, b, p, (size_t)(nl - p),
		      r->identity && !(eq && in_list(p, (size_t)(eq - p), kept)));
	}
}

/*
 * /proc/mounts: the source and the options are scrubbed; the type stays, and so does the
 * mount point of the filesystems replay looks for (tracefs, bpf, debugfs, securityfs).
 */
static void scrub_mounts(struct redact *r, struct strbuf *b, const char *t, size_t len)
{
	static const char *const looked_at[] = { "tracefs",    "debugfs", "bpf",
						 "securityfs", "sysfs",	  "proc",
						 "cgroup",     "cgroup2", NULL };
	const char *p = t, *end = t + len, *nl;

	for (; p < end; p = nl) {
		const char *f[4], *fe[4], *q = p;
		size_t nf = 0, k;
		bool keep_target;

		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		while (nf < 4 && q < nl) {
			f[nf] = q;
			while (q < nl && *q != ' ' && *q != '\n')
				q++;
			fe[nf++] = q;
			if (q < nl && *q == ' ')
				q++;
		}
		if (nf < 3) {
			scrub(r, b, p, (size_t)(nl - p), r->identity);
			continue;
		}
		keep_target = in_list(f[2], (size_t)(fe[2] - f[2]), looked_at);
		for (k = 0; k < nf; k++) {
			bool ident = r->identity && k != 2 && !(k == 1 && keep_target);

			scrub(r, b, f[k], (size_t)(fe[k] - f[k]), ident);
			strbuf_put(b, fe[k], (size_t)((k + 1 < nf ? f[k + 1] : fe[k]) - fe[k]));
		}
		scrub(r, b, fe[nf - 1], (size_t)(nl - fe[nf - 1]), r->identity);
	}
}

/* Where the last word of a cut item starts: after the last space or punctuation. */
static size_t cut_start(const char *t, size_t len)
{
	size_t i = len;

	while (i && len - i < CUT_MAX && !isspace((unsigned char)t[i - 1]) &&
	       !strchr("\"',;()[]{}<>=", t[i - 1]))
		i--;
	return i;
}

char *redact_item(struct redact *r, const char *path, const char *text, size_t len, bool cut,
		  size_t *out_len)
{
	struct strbuf b = { 0 };
	const char *base = base_of(path);
	size_t n = cut ? cut_start(text, len) : len;

	if (!strcmp(base, "os-release"))
		scrub_osrelease(r, &b, text, n);
	else if (!strcmp(path, "proc/mounts") || !strcmp(path, "proc/self/mounts"))
		scrub_mounts(r, &b, text, n);
	else
		scrub(r, &b, text, n, r->identity && !identity_free(path));
	if (n < len) {
		STRBUF_LIT(&b, "<cut>");
		r->count[REDACT_CUT]++;
	}
	*out_len = b.len;
	return strbuf_cstr(&b);
}

/* ---- the host's own names and addresses ---- */

/* Domains that name no one: every host has them. */
static bool domain_says_nothing(const char *d)
{
	static const char *const none[] = { "localdomain", "local",	"lan", "home", "internal",
					    "localhost",   "home.arpa", "",    NULL };

	return in_list(d, strlen(d), none) || !strcmp(d, ".");
}

static void add_domain(struct redact *r, const char *d, size_t n)
{
	char buf[256];

	while (n && d[n - 1] == '.')
		n--;
	if (!n || n >= sizeof(buf))
		return;
	memcpy(buf, d, n);
	buf[n] = '\0';
	if (!domain_says_nothing(buf))
		redact_add_word(r, REDACT_DOMAIN, buf);
}

/* A name of this host: itself, its first label, and its domain on its own. */
static void add_host_name(struct redact *r, const char *name, size_t n)
{
	const char *dot = memchr(name, '.', n);
	char buf[256];

	/* localhost, localhost.localdomain: every host's */
	if (!n || n >= sizeof(buf) ||
	    ((dot ? (size_t)(dot - name) : n) == 9 && !strncasecmp(name, "localhost", 9)))
		return;
	memcpy(buf, name, n);
	buf[n] = '\0';
	redact_add_word(r, REDACT_HOST, buf);
	if (dot && dot > name) {
		buf[dot - name] = '\0';
		redact_add_word(r, REDACT_HOST, buf);
		add_domain(r, dot + 1, n - (size_t)(dot + 1 - name));
	}
}

static bool same_word(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !strncasecmp(w, s, n);
}

void redact_add_host_files(struct redact *r, const char *node, const char *resolv,
			   const char *hosts)
{
	const char *p, *nl, *w, *e;
	size_t short_len = strcspn(node, ".");

	add_host_name(r, node, strlen(node));
	/* resolv.conf: "search a.example.com example.com", "domain example.com" */
	for (p = resolv; p && *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		if (strncmp(p, "search", 6) && strncmp(p, "domain", 6))
			continue;
		if (p[6] != ' ' && p[6] != '\t')
			continue;
		for (w = p + 6; w < nl; w = e) {
			while (w < nl && isspace((unsigned char)*w))
				w++;
			for (e = w; e < nl && !isspace((unsigned char)*e); e++)
				;
			add_domain(r, w, (size_t)(e - w));
		}
	}
	/* hosts: the names on a line that names this host ("127.0.1.1 web01.example.com web01") */
	for (p = hosts; p && *p; p = *nl ? nl + 1 : nl) {
		const char *hash;
		bool ours = false;

		nl = strchrnul(p, '\n');
		hash = memchr(p, '#', (size_t)(nl - p));
		if (hash)
			nl = hash;
		for (int pass = 0; pass < 2; pass++) {
			w = p;
			/* the address first: skipped */
			while (w < nl && !isspace((unsigned char)*w))
				w++;
			for (; w < nl; w = e) {
				while (w < nl && isspace((unsigned char)*w))
					w++;
				for (e = w; e < nl && !isspace((unsigned char)*e); e++)
					;
				if (e == w)
					continue;
				if (!pass)
					ours |= same_word(w, (size_t)(e - w), node) ||
						((size_t)(e - w) > short_len &&
						 w[short_len] == '.' &&
						 !strncasecmp(w, node, short_len));
				else if (ours)
					add_host_name(r, w, (size_t)(e - w));
			}
			if (!ours)
				break;
		}
		if (hash)
			nl = strchrnul(hash, '\n');
	}
}

void redact_add_host(struct redact *r, const char *node)
{
	char *resolv = NULL, *hosts = NULL;
	struct ifaddrs *ifa, *i;
	char a[INET6_ADDRSTRLEN];
	size_t n;

	/* regular files only: a FIFO there is refused, never waited on */
	if (sysroot_read("/etc/resolv.conf", 1 << 20, &resolv, &n))
		resolv = NULL;
	if (sysroot_read("/etc/hosts", 1 << 20, &hosts, &n))
		hosts = NULL;
	redact_add_host_files(r, node, resolv, hosts);
	free(resolv);
	free(hosts);
	/* the host's own addresses, so that their hex forms are known too */
	if (getifaddrs(&ifa))
		return;
	for (i = ifa; i; i = i->ifa_next) {
		const void *src = NULL;
		int fam = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;

		if (fam == AF_INET)
			src = &((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr;
		else if (fam == AF_INET6)
			src = &((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr;
		if (src && inet_ntop(fam, src, a, sizeof(a)))
			redact_add_word(r, fam == AF_INET ? REDACT_IPV4 : REDACT_IPV6, a);
	}
	freeifaddrs(ifa);
}

/* ---- a JSON document: its strings, not its structure ---- */

/* A string of the document redacted; NULL when that would leave it invalid UTF-8. */
static json_t *redacted(struct redact *r, const json_t *v)
{
	size_t n;
	char *red = redact_text(r, json_string_value(v), json_string_length(v), &n);
	json_t *s = json_stringn(red, n);

	free(red);
	return s;
}

static void json_walk(struct redact *r, json_t *j, const char *const *keep)
{
	const char *key;
	json_t *v, *s;
	size_t i;

	/* a string that would no longer be UTF-8 cannot be: it is left as it was */
	if (json_is_object(j)) {
		json_object_foreach (j, key, v) {
			if (!json_is_string(v))
				json_walk(r, v, keep);
			else if (!in_list(key, strlen(key), keep) && (s = redacted(r, v)))
				json_object_set_new(j, key, s);
		}
	} else if (json_is_array(j)) {
		json_array_foreach (j, i, v) {
			if (!json_is_string(v))
				json_walk(r, v, keep);
			else if ((s = redacted(r, v)))
				json_array_set_new(j, i, s);
		}
	}
}

void redact_json(struct redact *r, json_t *doc, const char *const *keep)
{
	static const char *const none[] = { NULL };

	json_walk(r, doc, keep ? keep : none);
}
