/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_I18N_H
#define EDRDIAG_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * User-facing text in English and Chinese through gettext (po/). _() translates a literal
 * where it is used; N_() only marks one for extraction (tables), to be translated with _()
 * where it is printed. JSON ids, keys and status values are never translated; the human
 * text of a JSON document (titles, details, remedies, error messages, help) follows the
 * language, as on the terminal: a program reads ids and statuses, a person the rest.
 *
 * The central emitters translate their own format strings: p_err()/p_err_code()
 * (output.c) and report_add()/finding_*() (finding.c): their call sites pass English
 * literals, and po/extract.sh knows them as keywords.
 */
#define _(s)  gettext(s)
#define N_(s) (s)

#define I18N_DOMAIN "edrdiag"

enum i18n_lang { I18N_EN, I18N_ZH };

/*
 * Choose the language before anything is printed: lang_opt (--lang: "en" or "zh"; NULL
 * when not given) beats EDRDIAG_LANG (what a parent edrdiag chose for its children), then
 * the locale's own order: LC_ALL, LC_MESSAGES, LANG (the first non-empty), and LANGUAGE
 * when that locale is not C/POSIX, as GNU gettext does. A value beginning with "zh" is
 * Chinese, anything else English. Only LC_MESSAGES and LC_CTYPE (UTF-8, for the C
 * library's own messages) are set, never LC_NUMERIC: a number in JSON keeps its '.'. The
 * choice is exported in EDRDIAG_LANG so that every edrdiag a run starts (collect-report's
 * /proc/self/exe) speaks the same language.
 *
 * The catalogue: $EDRDIAG_LOCALEDIR, else locale/ or ../share/locale beside the binary
 * (a build tree, an installed package), else the configured share/locale. None found:
 * English, with a one-line warning on stderr when Chinese was asked for with --lang.
 *
 * Returns 0, or -EINVAL when lang_opt is neither "en" nor "zh" (nothing changed).
 */
int i18n_init(const char *lang_opt);

/*
 * A parser's one-line error into the caller's buffer: fmt (an English literal, extracted by
 * po/extract.sh) translated, then formatted. fmt NULL clears it ("" is no error); err NULL
 * or errlen 0 asks for no text.
 */
void i18n_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a command's own --lang (collect-report): 0 or -EINVAL. */
int i18n_set_lang(const char *lang);

/* The language in effect. */
enum i18n_lang i18n_lang(void);

/*
 * "EDRDIAG_LANG=zh" or "EDRDIAG_LANG=en": the entry for the environment of an edrdiag a
 * run starts with an environment of its own (bundle.c's fixed envp, LC_ALL=C), so that it
 * speaks the run's language; EDRDIAG_LANG beats LC_ALL. A static string.
 */
const char *i18n_env(void);

/* The columns text takes on a terminal: a CJK character is two (aligning tables). */
int i18n_width(const char *s);
/* The same for the first n bytes of s. */
int i18n_width_n(const char *s, size_t n);
/* Does s begin with a wide (CJK) character, which a line may break before or after? */
bool i18n_is_wide(const char *s);

#endif
