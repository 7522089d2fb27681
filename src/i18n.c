// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

/* The installed catalogues (CMake's CMAKE_INSTALL_FULL_LOCALEDIR). */
#ifndef EDRDIAG_LOCALEDIR
#define EDRDIAG_LOCALEDIR "/usr/local/share/locale"
#endif

/* The catalogue's name under a locale directory. */
#define MO_PATH "/zh_CN/LC_MESSAGES/" I18N_DOMAIN ".mo"

static enum i18n_lang cur = I18N_EN;

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* "zh", "zh_CN.UTF-8", "zh_TW": Chinese; anything else English. */
static enum i18n_lang lang_of(const char *v)
{
	return v && !strncmp(v, "zh", 2) ? I18N_ZH : I18N_EN;
}

static bool is_c_locale(const char *v)
{
	return !strcmp(v, "C") || !strcmp(v, "POSIX") || !strncmp(v, "C.", 2);
}

/* What the environment asks for, in the order POSIX and GNU gettext give it. */
static enum i18n_lang lang_from_env(void)
{
	const char *own = env("EDRDIAG_LANG"), *loc;

	if (own)
		return lang_of(own);
	loc = env("LC_ALL");
	if (!loc)
		loc = env("LC_MESSAGES");
	if (!loc)
		loc = env("LANG");
	if (!loc || is_c_locale(loc))
		return I18N_EN; /* gettext ignores LANGUAGE under the C locale */
	/* LANGUAGE is a list, "zh_CN:en": its first entry is the one wanted */
	return env("LANGUAGE") ? lang_of(env("LANGUAGE")) : lang_of(loc);
}

static bool has_catalogue(const char *dir)
{
	char path[PATH_MAX];

	return snprintf(path, sizeof(path), "%s" MO_PATH, dir) < (int)sizeof(path) &&
	       access(path, R_OK) == 0;
}

/*
 * Where the Chinese catalogue is: $EDRDIAG_LOCALEDIR (tests); beside the binary, locale/ (a
 * build tree: build/locale) or ../share/locale (an installed one, wherever its prefix: the
 * .deb's /usr/sbin/edrdiag was built for /usr/local); the configured share/locale. NULL when
 * none holds it.
 */
static const char *find_localedir(void)
{
	static const char *const beside[] = { "/locale", "/../share/locale" };
	static char dir[PATH_MAX];
	const char *e = env("EDRDIAG_LOCALEDIR");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	size_t i;

	if (e)
		return has_catalogue(e) ? e : NULL;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (i = 0; slash && i < sizeof(beside) / sizeof(beside[0]); i++)
			if (snprintf(dir, sizeof(dir), "%s%s", exe, beside[i]) < (int)sizeof(dir) &&
			    has_catalogue(dir))
				return dir;
	}
	return has_catalogue(EDRDIAG_LOCALEDIR) ? EDRDIAG_LOCALEDIR : NULL;
}

/*
 * The zh_CN locale is often not generated (locale -a: C, C.utf8, POSIX), so Chinese does not
 * come from setlocale(): LC_MESSAGES is set to a UTF-8 locale that exists, which makes gettext
 * honour LANGUAGE (it ignores it under "C"), and LANGUAGE names the catalogue. English is
 * LC_MESSAGES "C": gettext then returns every msgid whatever LANGUAGE holds.
 */
static void apply(enum i18n_lang lang, bool warn)
{
	static const char *const utf8[] = { "C.UTF-8", "C.utf8", "zh_CN.UTF-8", "en_US.UTF-8" };
	const char *dir = lang == I18N_ZH ? find_localedir() : NULL;
	static bool warned;
	size_t i;

	if (lang == I18N_ZH && !dir) {
		/* once: --lang is seen before the options are parsed, and again by the parser */
		if (warn && !warned) {
			warned = true;
			fprintf(stderr,
				"edrdiag: warning: the Chinese message catalogue (%s) was "
				"not found: English\n",
				I18N_DOMAIN ".mo");
		}
		lang = I18N_EN;
	}
	cur = lang;
	setenv("EDRDIAG_LANG", lang == I18N_ZH ? "zh" : "en", 1);
	if (lang == I18N_EN) {
		setlocale(LC_MESSAGES, "C");
		setlocale(LC_CTYPE, "C");
		textdomain(I18N_DOMAIN); /* a change of language: gettext drops its cache */
		return;
	}
	/*
	 * LC_CTYPE too: the C library's own messages (strerror) come from its catalogue in
	 * the same language, and under "C" their Chinese would be converted to ASCII "?".
	 */
	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
		if (setlocale(LC_MESSAGES, utf8[i])) {
			setlocale(LC_CTYPE, utf8[i]);
			break;
		}
	setenv("LANGUAGE", "zh_CN", 1);
	bindtextdomain(I18N_DOMAIN, dir);
	/* the catalogue's UTF-8 as it is, whatever LC_CTYPE says (it stays "C") */
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}

int i18n_set_lang(const char *lang)
{
	if (strcmp(lang, "en") && strcmp(lang, "zh"))
		return -EINVAL;
	apply(lang_of(lang), true);
	return 0;
}

int i18n_init(const char *lang_opt)
{
	if (lang_opt)
		return i18n_set_lang(lang_opt);
	apply(lang_from_env(), false);
	return 0;
}

enum i18n_lang i18n_lang(void)
{
	return cur;
}

const char *i18n_env(void)
{
	return cur == I18N_ZH ? "EDRDIAG_LANG=zh" : "EDRDIAG_LANG=en";
}

int i18n_width(const char *s)
{
	return i18n_width_n(s, strlen(s));
}

int i18n_width_n(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	int w = 0;

	while (p < end && *p) {
		/*
		 * By the lead byte of its UTF-8: U+3000..U+FFFF (CJK, its punctuation, fullwidth
		 * forms; lead 0xe3..0xef) and four-byte ones (CJK extensions, emoji) are two
		 * columns; the rest one (U+2000..U+2FFF, general punctuation and arrows, too).
		 */
		w += *p >= 0xe3 ? 2 : 1;
		/* then its continuation bytes: a truncated sequence stops at the end */
		for (p++; p < end && (*p & 0xc0) == 0x80; p++)
			;
	}
	return w;
}

bool i18n_is_wide(const char *s)
{
	return (unsigned char)*s >= 0xe3;
}

void i18n_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	if (!fmt) {
		err[0] = '\0';
		return;
	}
	va_start(ap, fmt);
	vsnprintf(err, errlen, gettext(fmt), ap); /* shown to the user: translated */
	va_end(ap);
}
