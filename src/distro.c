// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distro.h"
#include "i18n.h"
#include "kconfig.h"
#include "osrelease.h"
#include "sysroot.h"
#include "util.h"

/* An os-release is a few hundred bytes; this is generous. */
#define OSRELEASE_MAX (64u << 10)

const char *const distro_osrelease_paths[DISTRO_NR_PATHS] = { "/etc/os-release",
							      "/usr/lib/os-release" };

/* os-release IDs (or ID_LIKE words) and the family they belong to */
static const struct {
	const char *id, *family;
} families[] = {
	{ "debian", "debian" }, { "ubuntu", "debian" }, { "rhel", "rhel" },
	{ "centos", "rhel" },	{ "rocky", "rhel" },	{ "almalinux", "rhel" },
	{ "ol", "rhel" },	{ "amzn", "rhel" },	{ "fedora", "fedora" },
	{ "sles", "suse" },	{ "opensuse", "suse" }, { "suse", "suse" },
	{ "arch", "arch" },
};

static const char *family_of(const char *id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcmp(families[i].id, id) ||
		    (util_startswith(id, families[i].id) && id[strlen(families[i].id)] == '-'))
			return families[i].family;
	return NULL;
}

void distro_from_osrelease(const char *text, const char *path, struct distro *d)
{
	char like[128] = "", *w, *save = NULL;
	const char *fam;

	memset(d, 0, sizeof(*d));
	if (osrelease_get(text, "PRETTY_NAME", d->name, sizeof(d->name)))
		osrelease_get(text, "NAME", d->name, sizeof(d->name));
	osrelease_get(text, "ID", d->id, sizeof(d->id));
	osrelease_get(text, "VERSION_ID", d->version, sizeof(d->version));
	osrelease_get(text, "ID_LIKE", like, sizeof(like));
	snprintf(d->from, sizeof(d->from), "%s", path);
	fam = family_of(d->id);
	for (w = strtok_r(like, " ", &save); w && !fam; w = strtok_r(NULL, " ", &save))
		fam = family_of(w);
	snprintf(d->family, sizeof(d->family), "%s", fam ? fam : "");
}

int distro_read(struct distro *d, char *path, size_t pathlen)
{
	char *text = NULL;
	size_t i;
	int err = -ENOENT;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < DISTRO_NR_PATHS && err; i++) {
		err = sysroot_read(distro_osrelease_paths[i], OSRELEASE_MAX, &text, NULL);
		snprintf(path, pathlen, "%s", distro_osrelease_paths[i]);
		/* the second is the fallback for a missing first, not for a refused one */
		if (err && err != -ENOENT)
			break;
	}
	if (err)
		return err;
	distro_from_osrelease(text, path, d);
	free(text);
	return 0;
}

/* "...el8..." as a word of the release: ".el8.", ".el8_4.", "el8uek" */
static int el_version(const char *release)
{
	const char *p = release;

	while ((p = strstr(p, ".el"))) {
		p += 3;
		if (*p >= '5' && *p <= '9' && (p[1] < '0' || p[1] > '9'))
			return *p - '0';
	}
	return 0;
}

static void set(struct distro *d, const char *id, const char *family, const char *version,
		const char *name, const char *from)
{
	snprintf(d->id, sizeof(d->id), "%s", id);
	snprintf(d->family, sizeof(d->family), "%s", family);
	snprintf(d->version, sizeof(d->version), "%s", version);
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->from, sizeof(d->from), "%s", from);
	d->guess = true;
}

static bool config_says(const struct kconfig *kc, const char *opt, const char *word)
{
	const struct kconfig_entry *e = kc ? kconfig_get(kc, opt) : NULL;

	return e && e->value && strstr(e->value, word);
}

bool distro_from_kernel(const char *release, const struct kconfig *kc, struct distro *d)
{
	char ver[4] = "";
	int el = el_version(release);

	memset(d, 0, sizeof(*d));
	if (el) {
		snprintf(ver, sizeof(ver), "%d", el);
		set(d, strstr(release, "uek") ? "ol" : "rhel", "rhel", ver, "", "");
		if (strstr(release, "uek"))
			snprintf(d->name, sizeof(d->name), "Oracle Linux %d (UEK)", el);
		else
			snprintf(d->name, sizeof(d->name),
				 "RHEL %d family (RHEL, CentOS, Rocky, Alma, Oracle Linux)", el);
		snprintf(d->from, sizeof(d->from), "\".el%d\" in the kernel release", el);
		return true;
	}
	if (kconfig_state(kc, "CONFIG_SUSE_KERNEL") == KCONFIG_YES) {
		const struct kconfig_entry *v = kconfig_get(kc, "CONFIG_SUSE_VERSION");
		const struct kconfig_entry *sp = kconfig_get(kc, "CONFIG_SUSE_PATCHLEVEL");
		bool sle = kconfig_state(kc, "CONFIG_SUSE_PRODUCT_SLE") == KCONFIG_YES;

		set(d, sle ? "sles" : "opensuse", "suse", v && v->value ? v->value : "", "",
		    "CONFIG_SUSE_KERNEL=y in the config");
		snprintf(d->name, sizeof(d->name), "%s%s%s%s%s",
			 sle ? "SUSE Linux Enterprise" : "openSUSE", v && v->value ? " " : "",
			 v && v->value ? v->value : "",
			 sp && sp->value && strcmp(sp->value, "0") ? " SP" : "",
			 sp && sp->value && strcmp(sp->value, "0") ? sp->value : "");
		return true;
	}
	if (config_says(kc, "CONFIG_CC_VERSION_TEXT", "Ubuntu") ||
	    config_says(kc, "CONFIG_SYSTEM_TRUSTED_KEYS", "canonical")) {
		set(d, "ubuntu", "debian", "", "Ubuntu",
		    "Ubuntu's compiler or certificates named in the config");
		return true;
	}
	if (config_says(kc, "CONFIG_CC_VERSION_TEXT", "Debian")) {
		set(d, "debian", "debian", "", "Debian", "Debian's compiler named in the config");
		return true;
	}
	if (strstr(release, ".fc")) {
		set(d, "fedora", "fedora", "", "Fedora", "\".fc\" in the kernel release");
		return true;
	}
	return false;
}

bool distro_backports_bpf(const char *release, long *upto, char *why, size_t len)
{
	const char *dash = strchr(release, '-');
	long build = dash ? strtol(dash + 1, NULL, 10) : 0;

	/* RHEL 7.6 (3.10.0-940) brought eBPF for tracing back from 4.x kernels */
	if (el_version(release) == 7 && util_startswith(release, "3.10.0-") && build >= 940) {
		snprintf(why, len,
			 _("RHEL 7.6 and later kernels (3.10.0-940 and up, .el7) carry eBPF for "
			   "tracing backported from 4.x kernels"));
		*upto = util_kver(4, 255, 0);
		return true;
	}
	/* RHEL 8 (and its rebuilds) rebased BPF onto 5.x upstream in its 4.18 kernel */
	if (el_version(release) == 8) {
		snprintf(why, len,
			 _("RHEL 8 kernels (.el8) carry a BPF subsystem rebased on far newer "
			   "upstream "
			   "kernels than 4.18"));
		*upto = LONG_MAX;
		return true;
	}
	return false;
}

const char *distro_kernel_remedy(const struct distro *d)
{
	const char *f = d ? d->family : "";

	if (d && !strcmp(d->id, "ubuntu"))
		return _("install Ubuntu's standard kernel (apt install linux-generic, or your "
			 "cloud's "
			 "linux-<flavour>) and boot it");
	if (!strcmp(f, "debian"))
		return _(
			"install Debian's standard kernel (apt install linux-image-amd64) and boot "
			"it");
	if (d && !strcmp(d->id, "ol"))
		return _("boot Oracle Linux's UEK or RHCK standard kernel (dnf install kernel-uek, "
			 "or "
			 "kernel)");
	if (!strcmp(f, "rhel") || !strcmp(f, "fedora"))
		return _("install the distribution's standard kernel (dnf install kernel) and boot "
			 "it");
	if (!strcmp(f, "suse"))
		return _("install SUSE's standard kernel (zypper install kernel-default) and boot "
			 "it");
	if (!strcmp(f, "arch"))
		return _("install Arch's standard kernel (pacman -S linux) and boot it");
	return _(
		"boot the distribution's standard kernel package; a custom kernel needs the option "
		"set to y in its config and a rebuild");
}
