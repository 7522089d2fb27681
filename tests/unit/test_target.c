// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The target and what is decided about it: BPF features from each kind of evidence, the
 * distribution from os-release or guessed from a kernel, the remedies said to its readers,
 * and the collected verdicts a bundle carries.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpffeature.h"
#include "check.h"
#include "distro.h"
#include "kconfig.h"
#include "sysroot.h"
#include "target.h"
#include "util.h"

static void features_by_release(void)
{
	/* clang-format off */
	static const struct {
		const char *release;
		int tp, rb; /* 1 yes, 0 no, -1 unknown */
	} cases[] = {
		{ "6.1.0-18-amd64", 1, 1 },
		{ "5.8.0", 1, 1 },
		{ "5.7.19", 1, 0 },
		{ "4.19.0-27-amd64", 1, 0 },
		{ "4.6.7", 0, 0 },
		/* RHEL 8 rebased BPF on 5.x: its 4.18 says nothing */
		{ "4.18.0-553.el8_10.x86_64", 1, -1 },
		/* RHEL 7.6+ brought 4.x eBPF tracing back; the ring buffer is 5.8, past that */
		{ "3.10.0-1160.119.1.el7.x86_64", -1, 0 },
		{ "3.10.0-940.el7.x86_64", -1, 0 },
		/* before 7.6: no eBPF tracing at all */
		{ "3.10.0-693.el7.x86_64", 0, 0 },
		{ "", -1, -1 },
		{ "garbage", -1, -1 },
	};
	/* clang-format on */
	struct feature_verdict v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		feature_by_release(FEATURE_TRACEPOINT_PROG, cases[i].release, &v);
		if (v.present != cases[i].tp)
			printf("#   %s: tracepoint_prog %d\n", cases[i].release, v.present);
		CHECK_INT(v.present, cases[i].tp);
		feature_by_release(FEATURE_RINGBUF, cases[i].release, &v);
		if (v.present != cases[i].rb)
			printf("#   %s: ringbuf %d\n", cases[i].release, v.present);
		CHECK_INT(v.present, cases[i].rb);
		/* a decision from the number is said to be a guess */
		if (v.present >= 0)
			CHECK(strstr(v.why, "a release-number guess"));
	}
}

static void features_by_config(void)
{
	static const char modern[] = "# CONFIG_BPF_PRELOAD is not set\nCONFIG_BPF=y\n";
	static const char backport[] = "CONFIG_BPF=y\nCONFIG_BPF_UNPRIV_DEFAULT_OFF=y\n";
	static const char btf52[] = "CONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n";
	struct feature_verdict v = { .present = -1 };
	struct kconfig kc;
	char err[128];

	/* an option that exists only in 5.10+ sources, even unset */
	CHECK_INT(kconfig_parse(modern, strlen(modern), &kc, err, sizeof(err)), 0);
	CHECK(feature_by_config(FEATURE_RINGBUF, &kc, &v));
	CHECK_INT(v.present, 1);
	CHECK_INT(v.evidence, EVIDENCE_CONFIG);
	CHECK(strstr(v.why, "CONFIG_BPF_PRELOAD"));
	kconfig_free(&kc);
	/* a security knob backported alone proves nothing */
	v.present = -1;
	CHECK_INT(kconfig_parse(backport, strlen(backport), &kc, err, sizeof(err)), 0);
	CHECK(!feature_by_config(FEATURE_RINGBUF, &kc, &v));
	CHECK(!feature_by_config(FEATURE_TRACEPOINT_PROG, &kc, &v));
	CHECK_INT(v.present, -1);
	kconfig_free(&kc);
	/* BTF (5.2) is newer than tracepoint programs (4.7), older than the ring buffer */
	CHECK_INT(kconfig_parse(btf52, strlen(btf52), &kc, err, sizeof(err)), 0);
	CHECK(feature_by_config(FEATURE_TRACEPOINT_PROG, &kc, &v));
	CHECK(!feature_by_config(FEATURE_RINGBUF, &kc, &v));
	kconfig_free(&kc);
	CHECK(!feature_by_config(FEATURE_RINGBUF, NULL, &v));
}

static void features_by_probe(void)
{
	struct feature_verdict v = { .present = -1 };

	CHECK(feature_by_probe(FEATURE_RINGBUF, 0, &v));
	CHECK_INT(v.present, 1);
	CHECK_INT(v.evidence, EVIDENCE_PROBE);
	CHECK(feature_by_probe(FEATURE_RINGBUF, -EINVAL, &v));
	CHECK_INT(v.present, 0);
	/* no privilege says nothing of the kernel */
	v.present = -1;
	CHECK(!feature_by_probe(FEATURE_RINGBUF, -EPERM, &v));
	CHECK_INT(v.present, -1);
}

static void features_by_collected(void)
{
	json_t *fresh = json_loads("{\"kernel\": {\"features\": {\"ringbuf\": {\"present\": true,"
				   " \"evidence\": \"btf\"}, \"tracepoint_prog\": {\"present\":"
				   " false, \"evidence\": \"release\"}}}, \"results\": []}",
				   0, NULL);
	json_t *old = json_loads("{\"results\": [{\"id\": \"probe.ringbuf\", \"status\": \"warn\"},"
				 " {\"id\": \"probe.tracepoint\", \"status\": \"fail\"}]}",
				 0, NULL);
	struct feature_verdict v = { .present = -1 };

	CHECK(feature_by_collected(FEATURE_RINGBUF, fresh, "2026-11-30T10:00:00Z", &v));
	CHECK_INT(v.present, 1);
	/* the host's BTF is BTF, not a probe: it proves no load on the host */
	CHECK_INT(v.evidence, EVIDENCE_BTF);
	CHECK(strstr(v.why, "collected 2026-11-30T10:00:00Z") && strstr(v.why, "kernel BTF"));
	/* the host's own guess is no better than ours: not taken */
	CHECK(!feature_by_collected(FEATURE_TRACEPOINT_PROG, fresh, NULL, &v));
	/* a bundle from before kernel.features: its probe findings */
	CHECK(feature_by_collected(FEATURE_RINGBUF, old, NULL, &v));
	CHECK_INT(v.present, 0);
	/* a failed load may be privilege: not a verdict on the feature */
	CHECK(!feature_by_collected(FEATURE_TRACEPOINT_PROG, old, NULL, &v));
	CHECK(!feature_by_collected(FEATURE_RINGBUF, NULL, NULL, &v));
	json_decref(fresh);
	json_decref(old);
}

static void distro_guesses(void)
{
	static const char suse[] = "CONFIG_SUSE_KERNEL=y\nCONFIG_SUSE_PRODUCT_SLE=y\n"
				   "CONFIG_SUSE_VERSION=12\nCONFIG_SUSE_PATCHLEVEL=5\n";
	static const char ubuntu[] =
		"CONFIG_CC_VERSION_TEXT=\"gcc (Ubuntu 11.2.0-19ubuntu1) 11\"\n";
	static const char plain[] = "CONFIG_BPF=y\n";
	struct distro d;
	struct kconfig kc;
	char err[128];

	CHECK(distro_from_kernel("3.10.0-1160.el7.x86_64", NULL, &d));
	CHECK_STR(d.family, "rhel");
	CHECK_STR(d.version, "7");
	CHECK(d.guess);
	CHECK(distro_from_kernel("5.15.0-300.163.18.el8uek.x86_64", NULL, &d));
	CHECK_STR(d.id, "ol");
	CHECK_INT(kconfig_parse(suse, strlen(suse), &kc, err, sizeof(err)), 0);
	CHECK(distro_from_kernel("4.12.14-122.250-default", &kc, &d));
	CHECK_STR(d.name, "SUSE Linux Enterprise 12 SP5");
	CHECK_STR(d.family, "suse");
	kconfig_free(&kc);
	CHECK_INT(kconfig_parse(ubuntu, strlen(ubuntu), &kc, err, sizeof(err)), 0);
	CHECK(distro_from_kernel("5.15.0-25-generic", &kc, &d));
	CHECK_STR(d.id, "ubuntu");
	kconfig_free(&kc);
	CHECK_INT(kconfig_parse(plain, strlen(plain), &kc, err, sizeof(err)), 0);
	CHECK(!distro_from_kernel("5.4.293", &kc, &d));
	kconfig_free(&kc);
}

static void distro_osrelease_and_remedies(void)
{
	struct distro d;

	distro_from_osrelease("ID=rocky\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=9.3\n"
			      "PRETTY_NAME=\"Rocky Linux 9.3\"\n",
			      "/etc/os-release", &d);
	CHECK_STR(d.family, "rhel");
	CHECK_STR(d.name, "Rocky Linux 9.3");
	CHECK(!d.guess);
	CHECK(strstr(distro_kernel_remedy(&d), "dnf install kernel"));
	distro_from_osrelease("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", "x", &d);
	CHECK_STR(d.family, "debian");
	CHECK(strstr(distro_kernel_remedy(&d), "apt install linux-image-amd64"));
	distro_from_osrelease("ID=opensuse-leap\n", "x", &d);
	CHECK(strstr(distro_kernel_remedy(&d), "zypper install kernel-default"));
	/* nobody known: still something a reader can act on */
	CHECK(strstr(distro_kernel_remedy(NULL), "standard kernel"));
}

static char root[64];

static void collected_verdicts(void)
{
	char *line;
	json_t *j;

	snprintf(root, sizeof(root), "/tmp/edrdiag-test-target.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	check_put(root, "commands/edrdiag-check-kernel.json",
		  "{\"command\": \"check-kernel\", \"results\": [{\"id\": \"probe.ringbuf\", "
		  "\"status\":"
		  " \"pass\", \"title\": \"t\", \"detail\": null}]}");
	/* a document edrdiag does not write: a status of its own invention */
	check_put(root, "commands/edrdiag-check-tracepoints.json",
		  "{\"command\": \"check-tracepoints\", \"results\": [{\"id\": \"x\", \"status\": "
		  "\"ok\"}]}");
	CHECK_INT(sysroot_set(root), 0);
	target_init();
	CHECK_INT(target_get()->kind, TARGET_BUNDLE);
	target_set_bundle("edrdiag-report-h-20261130T100000Z", "2026-11-30T10:00:00Z", "0");
	/* not matched by a manifest: not the host's, whatever it says */
	CHECK(target_collected("check-kernel", "probe.ringbuf") == NULL);
	target_reset();
	target_init();
	target_set_verified("commands/edrdiag-check-kernel.json");
	target_set_verified("commands/edrdiag-check-tracepoints.json");
	target_set_bundle("edrdiag-report-h-20261130T100000Z", "2026-11-30T10:00:00Z", "0");
	j = target_collected("check-kernel", "probe.ringbuf");
	CHECK(j && !strcmp(json_string_value(json_object_get(j, "status")), "pass"));
	CHECK(target_collected("check-kernel", "probe.tracepoint") == NULL);
	CHECK(target_collected_doc("check-tracepoints") == NULL);
	line = target_line();
	CHECK(strstr(line, "target: bundle ") && strstr(line, "collected 2026-11-30T10:00:00Z"));
	free(line);
	j = target_json();
	CHECK_STR(json_string_value(json_object_get(j, "kind")), "bundle");
	CHECK(json_is_null(json_object_get(j, "release")));
	json_decref(j);
	/* a release that would climb out of /boot is kept for display, refused as a path */
	check_put(root, "proc/sys/kernel/osrelease", "6.1.0/../../../tmp/x\n");
	CHECK_INT(target_read_release(), 0);
	CHECK_STR(target_get()->release, "6.1.0/../../../tmp/x");
	CHECK(!target_get()->release_is_name);
	sysroot_set(NULL);
	target_init();
	CHECK_INT(target_get()->kind, TARGET_LIVE);
	target_use_kconfig("/x/config");
	/* the host's release is not the config's: unknown until the config's header says */
	CHECK_STR(target_get()->release, "");
	line = target_line();
	CHECK(strstr(line, "target: kernel config /x/config"));
	free(line);
	target_reset();
}

int main(void)
{
	char cmd[96];
	int ret;

	RUN(features_by_release);
	RUN(features_by_config);
	RUN(features_by_probe);
	RUN(features_by_collected);
	RUN(distro_guesses);
	RUN(distro_osrelease_and_remedies);
	RUN(collected_verdicts);
	ret = check_finish();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (*root && system(cmd))
		ret = 1;
	return ret;
}
