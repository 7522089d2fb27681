/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_KCONFIG_H
#define EDRDIAG_KCONFIG_H

#include <stddef.h>

/* What a kernel config says of one option. */
enum kconfig_state {
	KCONFIG_ABSENT,	 /* no line for it: the option does not exist in this kernel */
	KCONFIG_NOT_SET, /* "# CONFIG_X is not set" */
	KCONFIG_YES,	 /* =y */
	KCONFIG_MODULE,	 /* =m */
	KCONFIG_VALUE,	 /* a string or number */
};

struct kconfig_entry {
	const char *name;  /* "CONFIG_BPF" (in the kconfig's text) */
	const char *value; /* "y", "m", "\"str\"", "0x10"; NULL when not set */
	enum kconfig_state state;
	unsigned int line; /* 1-based line in the config text */
};

struct kconfig {
	struct kconfig_entry *entries; /* sorted by name once parsed */
	size_t nr;
	size_t garbage; /* lines that were neither options nor comments */
	const char
		*version; /* "6.1.76" from the "# Linux/x86 6.1.76 Kernel Configuration" header */
	char *text;	  /* the text parsed in place: the entries point into it */
};

/*
 * The largest config accepted, as a file and once decompressed: a distribution's is ~300 KiB.
 * Past it the text is not a config, and parsing it would cost memory in proportion.
 */
#define KCONFIG_MAX_BYTES (4u << 20)
#define KCONFIG_PATH_MAX  4096

/*
 * Parse a kernel config held in memory, plain text or gzip (as /proc/config.gz).
 * Returns 0, -EFBIG when the text or what its gzip expands to is past KCONFIG_MAX_BYTES,
 * or -EINVAL with a reason in err: binary data, truncated or corrupt gzip, no CONFIG_ line
 * at all. Never prints.
 */
int kconfig_parse(const void *data, size_t len, struct kconfig *kc, char *err, size_t errlen);

/* Read and parse a file the user named; -errno for I/O errors (err says which), as
 * kconfig_parse otherwise (a file past KCONFIG_MAX_BYTES is -EINVAL). */
int kconfig_load(const char *path, struct kconfig *kc, char *err, size_t errlen);

/*
 * Read and parse a host file through sysroot.h (under --root: inside the root, capped).
 * Past the cap, as a file or once decompressed, it is refused (sysroot_refuse) with
 * -SYSROOT_ETOOBIG.
 */
int kconfig_read_host(const char *host_path, struct kconfig *kc, char *err, size_t errlen);

/*
 * Where a host keeps the config of its running kernel, in the order bpftool looks:
 * /boot/config-RELEASE, /proc/config.gz, /lib/modules/RELEASE/config. The release is used
 * only when it is a plain name (util_release_is_name). Returns how many were written.
 * check-kernel reads these, and collect-report collects the same.
 */
size_t kconfig_host_paths(const char *release, char paths[][KCONFIG_PATH_MAX], size_t max);

const struct kconfig_entry *kconfig_get(const struct kconfig *kc, const char *name);
enum kconfig_state kconfig_state(const struct kconfig *kc, const char *name);
const char *kconfig_state_str(enum kconfig_state st);

void kconfig_free(struct kconfig *kc);

#endif
