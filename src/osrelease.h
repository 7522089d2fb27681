/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_OSRELEASE_H
#define EDRDIAG_OSRELEASE_H

#include <stddef.h>

/*
 * Look up KEY in os-release(5) text: KEY=value, KEY="value" or KEY='value', with \"
 * escapes inside double quotes. Returns 0 and the value in out, or -ENOENT.
 */
int osrelease_get(const char *text, const char *key, char *out, size_t len);

#endif
