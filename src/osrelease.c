// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>

#include "osrelease.h"

int osrelease_get(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *line = text;

	if (!len)
		return -EINVAL;
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *v;
		size_t n = 0;
		char quote = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		v = line + klen + 1;
		if (*v == '"' || *v == '\'')
			quote = *v++;
		for (; *v && *v != '\n' && *v != '\r' && n + 1 < len; v++) {
			if (quote && *v == quote)
				break;
			if (quote == '"' && *v == '\\' && v[1] && v[1] != '\n')
				v++;
			out[n++] = *v;
		}
		out[n] = '\0';
		return 0;
	}
	return -ENOENT;
}
