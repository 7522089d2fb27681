/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_DYNLIB_H
#define EDRDIAG_DYNLIB_H

#include <stddef.h>

/*
 * A library opened at run time by the one command that needs it, not linked into the binary:
 * its dependencies, and their constructors, would cost every other command at start (libarchive
 * brought 3 MB of resident size; libmicrohttpd brings GnuTLS, whose start-up work made
 * edrdiag --version 2.3 ms instead of 1.15).
 */
struct dynlib {
	const char *const *sonames; /* tried in order, NULL-terminated */
	const char *package;	    /* the Debian package to install, for the error */
	void *handle;		    /* opened once; never closed */
};

/* One function to look up, and where its address goes. */
struct dynlib_sym {
	const char *name;
	void **slot;
};

/*
 * Open lib (once) and look up the n functions of syms in it: 0, or -ENOENT with why (and
 * the package to install) in err.
 */
int dynlib_load(struct dynlib *lib, const struct dynlib_sym *syms, size_t n, char *err,
		size_t errlen);

#endif
