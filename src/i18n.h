/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_I18N_H
#define EDRDIAG_I18N_H

#include <libintl.h>

/*
 * User-facing text in English and Chinese through gettext (po/). _() translates a literal
 * where it is used; N_() only marks one for extraction (tables), to be translated with _()
 * where it is printed. JSON ids, keys and status values are never translated.
 */
#define _(s)  gettext(s)
#define N_(s) (s)

#endif
