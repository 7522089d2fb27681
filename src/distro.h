/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_DISTRO_H
#define EDRDIAG_DISTRO_H

#include <stdbool.h>
#include <stddef.h>

struct kconfig;

/*
 * Which distribution a target runs, from its os-release(5), or guessed from a kernel's own
 * release and config when that is all there is (--kernel-config): for the findings' words,
 * and for remedies a reader can act on ("install linux-image-amd64", not "rebuild the
 * kernel").
 */
struct distro {
	char id[32];	  /* os-release ID ("debian", "rhel", "ol", "sles"), "" unknown */
	char family[16];  /* "debian", "rhel", "suse", "fedora", "arch", "" unknown */
	char name[128];	  /* PRETTY_NAME, or the hint's name */
	char version[32]; /* VERSION_ID, "" unknown */
	char from[192];	  /* where it was read, or what the guess rests on */
	bool guess;	  /* from the kernel, not from os-release */
};

/* Where a host names its distribution, in os-release(5)'s order. */
#define DISTRO_NR_PATHS 2
extern const char *const distro_osrelease_paths[DISTRO_NR_PATHS];

/* Read the first os-release of the target (through sysroot.h). 0 or the read's error. */
int distro_read(struct distro *d, char *path, size_t pathlen);
/* Fill d from os-release text read at path. */
void distro_from_osrelease(const char *text, const char *path, struct distro *d);
/*
 * Guess from a kernel release ("3.10.0-1160.el7.x86_64", "5.15.0-25-generic") and its
 * config (kc may be NULL): true when something names the distribution.
 */
bool distro_from_kernel(const char *release, const struct kconfig *kc, struct distro *d);

/*
 * A distribution kernel whose BPF comes from a far newer upstream than its release says
 * (RHEL 8: 4.18 with BPF rebased to 5.x), so that a release-number guess says nothing of
 * the BPF features upstream gained up to *upto (a util_kver number). Writes who backports
 * into why.
 */
bool distro_backports_bpf(const char *release, long *upto, char *why, size_t len);

/*
 * What a reader of this distribution does to get a kernel with a standard configuration:
 * "install the distribution's standard kernel (apt install linux-image-amd64)".
 */
const char *distro_kernel_remedy(const struct distro *d);

#endif
