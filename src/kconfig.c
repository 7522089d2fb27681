// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "i18n.h"
#include "kconfig.h"
#include "sysroot.h"
#include "util.h"

static int gunzip(const unsigned char *in, size_t len, char **out, size_t *outlen, char *err,
		  size_t errlen)
{
	size_t cap = len < KCONFIG_MAX_BYTES / 8 ? len * 6 + 4096 : KCONFIG_MAX_BYTES + 1, n = 0;
	bool bomb = false;
	z_stream zs = { 0 };
	char *buf;
	int ret;

	/* 16 + MAX_WBITS: expect a gzip header; concatenated members are handled below */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		snprintf(err, errlen, _("cannot initialise zlib"));
		return -ENOMEM;
	}
	buf = util_xmalloc(cap);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)len;
	for (;;) {
		if (cap - n < 4096 || n > KCONFIG_MAX_BYTES) {
			/* a 64 KiB member can inflate to gigabytes: stop at the cap */
			if (n > KCONFIG_MAX_BYTES || cap > KCONFIG_MAX_BYTES) {
				bomb = true;
				break;
			}
			cap = cap * 2 > KCONFIG_MAX_BYTES ? KCONFIG_MAX_BYTES + 4097 : cap * 2;
			buf = util_xrealloc(buf, cap);
		}
		zs.next_out = (unsigned char *)buf + n;
		zs.avail_out = (uInt)(cap - n - 1);
		ret = inflate(&zs, Z_NO_FLUSH);
		n = (size_t)(zs.next_out - (unsigned char *)buf);
		if (ret == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			inflateReset(&zs);
			continue;
		}
		if (ret == Z_BUF_ERROR && zs.avail_in == 0) {
			snprintf(err, errlen, _("truncated gzip data (ends after %zu bytes)"), len);
			break;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			snprintf(err, errlen, _("corrupt gzip data: %s"),
				 zs.msg ? zs.msg : "inflate failed");
			break;
		}
	}
	inflateEnd(&zs);
	/* stopped at the cap, or the last buffer holds a little more than it: past it is past it */
	if (bomb || n > KCONFIG_MAX_BYTES) {
		snprintf(err, errlen, _("gzip data expands past %u MiB: not a kernel config"),
			 KCONFIG_MAX_BYTES >> 20);
		bomb = true;
	}
	if (bomb || ret != Z_STREAM_END) {
		free(buf);
		return bomb ? -EFBIG : -EINVAL;
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kconfig_entry *)a)->name,
		      ((const struct kconfig_entry *)b)->name);
}

/* By name, then by line, so that the last assignment of a name sorts last. */
static int entry_cmp_line(const void *a, const void *b)
{
	const struct kconfig_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* name and value point into the parsed text, which the kconfig keeps: no copy per entry */
static void add(struct kconfig *kc, size_t *cap, unsigned int lineno, char *name, char *value)
{
	struct kconfig_entry *e;

	if (kc->nr == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		kc->entries = util_xrealloc(kc->entries, *cap * sizeof(*kc->entries));
	}
	e = &kc->entries[kc->nr++];
	e->line = lineno;
	e->name = name;
	e->value = value;
	if (!value)
		e->state = KCONFIG_NOT_SET;
	else if (!strcmp(value, "y"))
		e->state = KCONFIG_YES;
	else if (!strcmp(value, "m"))
		e->state = KCONFIG_MODULE;
	else
		e->state = KCONFIG_VALUE;
}

static size_t name_len(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	return n;
}

static void parse_line(struct kconfig *kc, size_t *cap, unsigned int lineno, char *line)
{
	size_t n;
	int a, b, c;

	util_rstrip(line);
	if (!*line)
		return;
	if (line[0] == '#') {
		/* "# CONFIG_FOO is not set" */
		if (util_startswith(line, "# CONFIG_")) {
			n = name_len(line + 2);
			if (!strcmp(line + 2 + n, " is not set")) {
				line[2 + n] = '\0';
				add(kc, cap, lineno, line + 2, NULL);
				return;
			}
		}
		/* "# Linux/x86 6.1.76 Kernel Configuration" */
		if (!kc->version) {
			char *p = strstr(line, " Kernel Configuration");
			char *v = strchr(line, ' ');

			v = v ? strchr(v + 1, ' ') : NULL;
			if (p && v && v < p && !util_parse_release(v + 1, &a, &b, &c)) {
				*p = '\0';
				kc->version = v + 1;
			}
		}
		return;
	}
	if (util_startswith(line, "CONFIG_")) {
		n = name_len(line);
		if (line[n] == '=') {
			line[n] = '\0';
			add(kc, cap, lineno, line, line + n + 1);
			return;
		}
	}
	kc->garbage++;
}

int kconfig_parse(const void *data, size_t len, struct kconfig *kc, char *err, size_t errlen)
{
	const unsigned char *in = data;
	char *text = NULL, *line, *next;
	size_t tlen, cap = 0, i, j;
	unsigned int lineno = 0;
	int ret;

	memset(kc, 0, sizeof(*kc));
	if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		ret = gunzip(in, len, &text, &tlen, err, errlen);
		if (ret)
			return ret;
	} else {
		if (len > KCONFIG_MAX_BYTES) {
			snprintf(err, errlen, _("%zu bytes, over %u MiB: not a kernel config"), len,
				 KCONFIG_MAX_BYTES >> 20);
			return -EFBIG;
		}
		text = util_xmalloc(len + 1);
		memcpy(text, in, len);
		text[len] = '\0';
		tlen = len;
	}
	if (memchr(text, '\0', tlen)) {
		snprintf(err, errlen, _("binary data, not a kernel config"));
		free(text);
		return -EINVAL;
	}
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		parse_line(kc, &cap, ++lineno, line);
	}
	kc->text = text;
	if (!kc->nr) {
		snprintf(err, errlen, _("no CONFIG_ lines: not a kernel config"));
		kconfig_free(kc);
		return -EINVAL;
	}
	qsort(kc->entries, kc->nr, sizeof(*kc->entries), entry_cmp_line);
	/* a later line wins, as when Kconfig reads a config: keep the last of equal names */
	for (i = 0, j = 0; i < kc->nr; i++) {
		if (i + 1 < kc->nr && !strcmp(kc->entries[i].name, kc->entries[i + 1].name))
			continue;
		kc->entries[j++] = kc->entries[i];
	}
	kc->nr = j;
	return 0;
}

int kconfig_load(const char *path, struct kconfig *kc, char *err, size_t errlen)
{
	size_t len;
	char *data;
	int ret;

	ret = util_read_file(path, KCONFIG_MAX_BYTES, &data, &len);
	if (ret == -EFBIG) {
		snprintf(err, errlen, _("larger than %u MiB: not a kernel config"),
			 KCONFIG_MAX_BYTES >> 20);
		return -EINVAL;
	}
	if (ret) {
		snprintf(err, errlen, "%s", strerror(-ret));
		return ret;
	}
	ret = kconfig_parse(data, len, kc, err, errlen);
	free(data);
	/* too big is bad input like any other that is not a config */
	return ret == -EFBIG ? -EINVAL : ret;
}

int kconfig_read_host(const char *host_path, struct kconfig *kc, char *err, size_t errlen)
{
	size_t len;
	char *data;
	int ret;

	memset(kc, 0, sizeof(*kc));
	ret = sysroot_read(host_path, KCONFIG_MAX_BYTES, &data, &len);
	if (ret) {
		snprintf(err, errlen, "%s", sysroot_error(host_path, ret));
		return ret;
	}
	ret = kconfig_parse(data, len, kc, err, errlen);
	free(data);
	/* a bomb in a tree is refused like any file past its cap, and said so */
	if (ret == -EFBIG)
		return sysroot_refuse(host_path, -SYSROOT_ETOOBIG, "refused: %s", err);
	return ret;
}

size_t kconfig_host_paths(const char *release, char paths[][KCONFIG_PATH_MAX], size_t max)
{
	size_t n = 0;

	/* bpftool's order; the release is a path component only when it is a plain name */
	if (n < max && release && util_release_is_name(release))
		snprintf(paths[n++], KCONFIG_PATH_MAX, "/boot/config-%s", release);
	if (n < max)
		snprintf(paths[n++], KCONFIG_PATH_MAX, "/proc/config.gz");
	if (n < max && release && util_release_is_name(release))
		snprintf(paths[n++], KCONFIG_PATH_MAX, "/lib/modules/%s/config", release);
	return n;
}

const struct kconfig_entry *kconfig_get(const struct kconfig *kc, const char *name)
{
	struct kconfig_entry key = { .name = (char *)name };

	if (!kc || !kc->nr)
		return NULL;
	return bsearch(&key, kc->entries, kc->nr, sizeof(key), entry_cmp);
}

enum kconfig_state kconfig_state(const struct kconfig *kc, const char *name)
{
	const struct kconfig_entry *e = kconfig_get(kc, name);

	return e ? e->state : KCONFIG_ABSENT;
}

const char *kconfig_state_str(enum kconfig_state st)
{
	switch (st) {
	case KCONFIG_YES:
		return "y";
	case KCONFIG_MODULE:
		return "m";
	case KCONFIG_VALUE:
		return "value";
	case KCONFIG_NOT_SET:
		return "not set";
	case KCONFIG_ABSENT:
		break;
	}
	return "absent";
}

void kconfig_free(struct kconfig *kc)
{
	free(kc->entries);
	free(kc->text);
	memset(kc, 0, sizeof(*kc));
}
