// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dynlib.h"

int dynlib_load(struct dynlib *lib, const struct dynlib_sym *syms, size_t n, char *err,
		size_t errlen)
{
	char first[256] = "";
	size_t i;

	for (i = 0; lib->sonames[i] && !lib->handle; i++) {
		lib->handle = dlopen(lib->sonames[i], RTLD_NOW | RTLD_LOCAL);
		/* the first name's reason: the later ones are fallbacks (a dev symlink) */
		if (!lib->handle && !i)
			snprintf(first, sizeof(first), "%s", dlerror());
	}
	if (!lib->handle) {
		snprintf(err, errlen, "cannot load %s (apt-get install %s): %s", lib->sonames[0],
			 lib->package, first);
		return -ENOENT;
	}
	for (i = 0; i < n; i++) {
		/* POSIX's way to store what dlsym returns into a function pointer */
		*syms[i].slot = dlsym(lib->handle, syms[i].name);
		if (!*syms[i].slot) {
			snprintf(err, errlen, "%s lacks %s", lib->sonames[0], syms[i].name);
			return -ENOENT;
		}
	}
	return 0;
}
