// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-kernel: can this host run the sensor? Guide sections 1.1, 4.1 and 4.2 as checks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../src/caps.h"
#include "../src/finding.h"
#include "../src/kconfig.h"
#include "../src/manifest.h"
#include "../src/osrelease.h"
#include "../src/output.h"
#include "../src/probe.h"
#include "../src/sysroot.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

static struct {
	const char *kernel_config;
} opts;

enum { OPT_KERNEL_CONFIG = 'k' };

static const struct option longopts[] = {
	{ "kernel-config", required_argument, NULL, OPT_KERNEL_CONFIG },
	{ 0 },
};

/* Thresholds, stated in edrdiag-check-kernel(8). */
#define MIN_TRACEPOINT_KVER util_kver(4, 7, 0)	/* BPF_PROG_TYPE_TRACEPOINT */
#define MIN_RINGBUF_KVER    util_kver(5, 8, 0)	/* BPF_MAP_TYPE_RINGBUF, CAP_BPF */
#define MIN_MEMCG_KVER	    util_kver(5, 11, 0) /* BPF memory charged to memcg, not memlock */

struct kopt {
	const char *name;
	bool required;
	const char *why;
	const char *old_name; /* the option's name in older kernels, or NULL */
};

static const struct kopt kopts[] = {
	{ "CONFIG_BPF", true, "the BPF core" },
	{ "CONFIG_BPF_SYSCALL", true, "the bpf() system call: without it there is no eBPF at all" },
	{ "CONFIG_BPF_EVENTS", true, "BPF programs on tracepoints and kprobes" },
	{ "CONFIG_TRACEPOINTS", true, "static tracepoints such as sched/sched_process_exec" },
	{ "CONFIG_PERF_EVENTS", true, "perf events: tracepoint attachment and the perf buffer" },
	{ "CONFIG_BPF_JIT", false, "the JIT: without it programs run in the slower interpreter" },
	{ "CONFIG_HAVE_EBPF_JIT", false, "an eBPF JIT exists for this architecture" },
	{ "CONFIG_DEBUG_INFO_BTF", false,
	  "kernel BTF for CO-RE: without it the sensor needs BTF shipped for this kernel" },
	{ "CONFIG_KPROBES", false, "kprobes: the sensor's last-resort attach fallback" },
	{ "CONFIG_KPROBE_EVENTS", false,
	  "kprobe events, which the kprobe fallback attaches through",
	  "CONFIG_KPROBE_EVENT" /* before 4.11 */ },
	{ "CONFIG_FTRACE", false, "the tracing framework behind tracefs" },
	{ "CONFIG_DEBUG_FS", false, "debugfs, where the guide's /sys/kernel/debug/tracing lives" },
};

/* What the checks share: the kernel, its config, the mount table. */
struct ctx {
	struct report r;
	char release[256];
	long kver;
	bool kver_known;
	struct kconfig kc;
	bool have_config;
	bool config_from_host; /* found on the host, not given with --kernel-config */
	char config_source[PATH_MAX];
	struct mount_table mounts;
	bool have_mounts;
	bool can_trace; /* effective caps allow loading tracing programs */
	char missing_caps[128];
};

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_KERNEL_CONFIG:
		opts.kernel_config = arg;
		return 0;
	}
	return EXIT_USAGE;
}

static const char *errname(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "E?";
}

static void check_release(struct ctx *c)
{
	struct report *r = &c->r;
	int ma, mi, pa, err;
	struct utsname u;

	err = sysroot_read_line("/proc/sys/kernel/osrelease", c->release, sizeof(c->release));
	if (err && sysroot_is_live() && uname(&u) == 0) {
		snprintf(c->release, sizeof(c->release), "%s", u.release);
		err = 0;
	}
	if (err) {
		report_add(r, "kernel.release", ST_SKIP, "4.1", "kernel release unknown", NULL,
			   "cannot read /proc/sys/kernel/osrelease: %s", strerror(-err));
		c->release[0] = '\0';
		return;
	}
	if (util_parse_release(c->release, &ma, &mi, &pa)) {
		report_add(r, "kernel.release", ST_ERROR, "4.1", "kernel release does not parse",
			   NULL, "osrelease is '%s'", c->release);
		return;
	}
	c->kver = util_kver(ma, mi, pa);
	c->kver_known = true;
	if (c->kver < MIN_TRACEPOINT_KVER)
		report_add(
			r, "kernel.release", ST_FAIL, "4.1",
			"kernel too old: no BPF programs on tracepoints before 4.7",
			"upgrade to a kernel >= 5.8 (>= 4.7 at the very least)",
			"running %s; the sensor attaches to sched/sched_process_exec, which needs "
			"BPF_PROG_TYPE_TRACEPOINT (4.7)",
			c->release);
	else if (c->kver < MIN_RINGBUF_KVER)
		report_add(r, "kernel.release", ST_WARN, "4.1",
			   "kernel older than 5.8: no BPF ring buffer",
			   "upgrade to a kernel >= 5.8 for the ring buffer and CAP_BPF",
			   "running %s; the sensor will use its perf buffer fallback (per-CPU "
			   "buffers, more memory, events may arrive out of order)",
			   c->release);
	else
		report_add(r, "kernel.release", ST_PASS, "4.1", "kernel supports the sensor", NULL,
			   "running %s (>= 5.8: tracepoint programs, BPF ring buffer, CAP_BPF)",
			   c->release);
}

static void check_distro(struct ctx *c, json_t *kernel)
{
	static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
	char pretty[256] = "", id[64] = "", ver[64] = "";
	char *text = NULL;
	size_t i;
	int err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(paths) && err; i++)
		err = sysroot_read(paths[i], &text, NULL);
	if (err) {
		report_add(&c->r, "host.distro", ST_SKIP, "4.2", "distribution unknown", NULL,
			   "no readable /etc/os-release or /usr/lib/os-release (%s)",
			   strerror(-err));
		return;
	}
	if (osrelease_get(text, "PRETTY_NAME", pretty, sizeof(pretty)))
		osrelease_get(text, "NAME", pretty, sizeof(pretty));
	osrelease_get(text, "ID", id, sizeof(id));
	osrelease_get(text, "VERSION_ID", ver, sizeof(ver));
	free(text);
	report_add(&c->r, "host.distro", ST_PASS, "4.2", *pretty ? pretty : "distribution unnamed",
		   NULL, "from %s: ID=%s VERSION_ID=%s", paths[i - 1], *id ? id : "?",
		   *ver ? ver : "?");
	json_object_set_new(kernel, "distro", json_string(pretty));
	json_object_set_new(kernel, "distro_id", json_string(id));
	json_object_set_new(kernel, "distro_version", json_string(ver));
}

/* Where a host keeps its config: prefix + release + suffix (no release when suffix is NULL). */
struct config_path {
	const char *prefix, *suffix;
};

static const struct config_path config_paths[] = {
	{ "/boot/config-", "" },
	{ "/proc/config.gz", NULL },
	{ "/lib/modules/", "/config" },
};

/*
 * Find the config: the user's file, or the host's own in bpftool's order. A user file
 * that cannot be used is bad input (exit 2); a host without one is only "unknown".
 */
static int load_config(struct ctx *c, json_t *jc)
{
	json_t *tried = json_array();
	char err[256];
	int ret;

	json_object_set_new(jc, "tried", tried);
	if (opts.kernel_config) {
		ret = kconfig_load(opts.kernel_config, &c->kc, err, sizeof(err));
		if (ret) {
			p_err("--kernel-config '%s': %s", opts.kernel_config,
			      ret == -EINVAL ? err : strerror(-ret));
			return EXIT_USAGE;
		}
		c->have_config = true;
		snprintf(c->config_source, sizeof(c->config_source), "%s", opts.kernel_config);
		json_array_append_new(tried, json_pack("{s:s, s:s}", "path", opts.kernel_config,
						       "result", "used"));
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(config_paths) && !c->have_config; i++) {
		const struct config_path *cp = &config_paths[i];
		char host[PATH_MAX], disk[PATH_MAX];

		if (cp->suffix && !*c->release)
			continue;
		snprintf(host, sizeof(host), "%s%s%s", cp->prefix, cp->suffix ? c->release : "",
			 cp->suffix ? cp->suffix : "");
		ret = kconfig_load(sysroot_path(disk, sizeof(disk), host), &c->kc, err,
				   sizeof(err));
		json_array_append_new(tried, json_pack("{s:s, s:s}", "path", host, "result",
						       !ret		? "used"
						       : ret == -ENOENT ? "absent"
									: err));
		if (!ret) {
			c->have_config = true;
			c->config_from_host = true;
			snprintf(c->config_source, sizeof(c->config_source), "%s", host);
		}
	}
	return 0;
}

static char *tried_list(json_t *jc)
{
	json_t *tried = json_object_get(jc, "tried"), *t;
	char *s = util_xstrdup(""), *n;
	size_t i;

	json_array_foreach (tried, i, t) {
		n = util_fmt("%s%s%s: %s", s, i ? ", " : "",
			     json_string_value(json_object_get(t, "path")),
			     json_string_value(json_object_get(t, "result")));
		free(s);
		s = n;
	}
	return s;
}

static void check_kconfig(struct ctx *c, json_t *jc)
{
	json_t *jopts = json_object();
	char id[96], title[160];
	char *tried = NULL;
	size_t i;

	json_object_set_new(jc, "options", jopts);
	if (!c->have_config)
		tried = tried_list(jc);
	for (i = 0; i < ARRAY_SIZE(kopts); i++) {
		const struct kopt *o = &kopts[i];
		const struct kconfig_entry *e =
			c->have_config ? kconfig_get(&c->kc, o->name) : NULL;
		enum kconfig_state st;
		char as[96] = "";

		if (!e && o->old_name && c->have_config) {
			e = kconfig_get(&c->kc, o->old_name);
			if (e)
				snprintf(as, sizeof(as), ", as %s (its name before 4.11)",
					 o->old_name);
		}
		st = e ? e->state : KCONFIG_ABSENT;
		enum status s;
		char *remedy;

		snprintf(id, sizeof(id), "kconfig.%s", o->name);
		if (!c->have_config) {
			snprintf(title, sizeof(title), "%s unknown: no kernel config readable",
				 o->name);
			report_add(&c->r, id, ST_SKIP, "4.2", title,
				   "pass one with --kernel-config FILE, or load the configs module "
				   "(modprobe configs) for /proc/config.gz",
				   "tried %s", tried);
			json_object_set_new(jopts, o->name,
					    json_pack("{s:s, s:n}", "state", "unknown", "value"));
			continue;
		}
		json_object_set_new(jopts, o->name,
				    json_pack("{s:s, s:o}", "state",
					      st >= KCONFIG_YES ? "set" : "missing", "value",
					      e && e->value ? json_string(e->value) : json_null()));
		if (st == KCONFIG_YES) {
			snprintf(title, sizeof(title), "%s=y", o->name);
			report_add(&c->r, id, ST_PASS, "4.2", title, NULL, "%s (in %s%s)", o->why,
				   c->config_source, as);
			continue;
		}
		s = o->required ? ST_FAIL : ST_WARN;
		remedy = util_fmt("use a kernel built with %s=y", o->name);
		if (st == KCONFIG_MODULE)
			snprintf(title, sizeof(title), "%s=m: built as a module, not built in",
				 o->name);
		else if (st == KCONFIG_VALUE)
			snprintf(title, sizeof(title), "%s=%s: not 'y'", o->name, e->value);
		else
			snprintf(title, sizeof(title), "%s missing (%s)", o->name,
				 st == KCONFIG_NOT_SET ? "is not set" : "absent from the config");
		report_add(&c->r, id, s, "4.2", title, remedy, "%s; %s in %s%s", o->why,
			   o->required ? "required" : "recommended", c->config_source, as);
		free(remedy);
	}
	free(tried);
}

static void read_mounts(struct ctx *c)
{
	char *text;

	if (sysroot_read("/proc/mounts", &text, NULL) == 0) {
		mounts_parse(text, &c->mounts);
		c->have_mounts = true;
		free(text);
	}
}

static void check_unpriv_sysctl(struct ctx *c)
{
	const char *id = "sysctl.unprivileged_bpf_disabled";
	char v[32];
	int err;

	err = sysroot_read_line("/proc/sys/kernel/unprivileged_bpf_disabled", v, sizeof(v));
	if (err) {
		report_add(&c->r, id, ST_SKIP, "1.1", "unprivileged_bpf_disabled not readable",
			   NULL,
			   "/proc/sys/kernel/unprivileged_bpf_disabled: %s (absent before 4.4 or "
			   "without CONFIG_BPF_SYSCALL)",
			   strerror(-err));
		return;
	}
	/* The agent loads BPF with privilege: the value matters for security, not for it. */
	if (!strcmp(v, "0"))
		report_add(&c->r, id, ST_WARN, "1.1", "unprivileged BPF is enabled (0)",
			   "sysctl -w kernel.unprivileged_bpf_disabled=2 (persist it in "
			   "/etc/sysctl.d/)",
			   "any user may load BPF programs; the agent runs privileged and does not "
			   "need this, and it widens the attack surface");
	else if (!strcmp(v, "1") || !strcmp(v, "2"))
		report_add(
			&c->r, id, ST_PASS, "1.1",
			v[0] == '1' ? "unprivileged BPF disabled (1: until reboot)"
				    : "unprivileged BPF disabled (2: an admin may re-enable it)",
			NULL,
			"value %s; the agent runs as root or with CAP_BPF+CAP_PERFMON, so this "
			"does not stop it; do not set it to 0 to make the agent load (the guide's "
			"'echo 0 > unprivileged_bpf_disabled' fixes nothing and opens BPF to "
			"every user)",
			v);
	else
		report_add(&c->r, id, ST_WARN, "1.1",
			   "unprivileged_bpf_disabled has an unknown value", NULL,
			   "value '%s' (expected 0, 1 or 2)", v);
}

static void check_jit_sysctl(struct ctx *c)
{
	const char *id = "sysctl.bpf_jit_enable";
	bool always_on = kconfig_state(&c->kc, "CONFIG_BPF_JIT_ALWAYS_ON") == KCONFIG_YES;
	const char *fix = "sysctl -w net.core.bpf_jit_enable=1";
	char v[32];
	int err;

	err = sysroot_read_line("/proc/sys/net/core/bpf_jit_enable", v, sizeof(v));
	if (err == -ENOENT)
		report_add(&c->r, id, ST_WARN, "4.2", "no BPF JIT: programs run interpreted",
			   "use a kernel built with CONFIG_BPF_JIT=y",
			   "/proc/sys/net/core/bpf_jit_enable is absent (CONFIG_BPF_JIT off)");
	else if (err)
		report_add(&c->r, id, ST_SKIP, "4.2", "bpf_jit_enable not readable", NULL,
			   "/proc/sys/net/core/bpf_jit_enable: %s", strerror(-err));
	else if (!strcmp(v, "1"))
		report_add(&c->r, id, ST_PASS, "4.2", "BPF JIT enabled", NULL, "value 1%s",
			   always_on ? " (CONFIG_BPF_JIT_ALWAYS_ON: cannot be turned off)" : "");
	else if (!strcmp(v, "2"))
		report_add(&c->r, id, ST_WARN, "4.2", "BPF JIT in debug mode (2)", fix,
			   "every JIT image is written to the kernel log");
	else if (!strcmp(v, "0"))
		report_add(&c->r, id, ST_WARN, "4.2",
			   "BPF JIT disabled (0): programs run interpreted", fix,
			   "the interpreter is several times slower: more CPU per event");
	else
		report_add(&c->r, id, ST_WARN, "4.2", "bpf_jit_enable has an unknown value", NULL,
			   "value '%s'", v);
}

static void check_caps(struct ctx *c)
{
	const char *id = "priv.capabilities";
	uint64_t caps;
	int err;

	if (!sysroot_is_live()) {
		report_add(&c->r, id, ST_SKIP, "1.1", "capabilities not checked under --root", NULL,
			   "they are those of the process running edrdiag, not of %s",
			   sysroot_dir());
		return;
	}
	err = caps_effective(&caps);
	if (err) {
		report_add(&c->r, id, ST_ERROR, "1.1", "cannot read capabilities", NULL,
			   "capget: %s", strerror(-err));
		return;
	}
	c->can_trace = caps_can_trace(caps, c->kver_known ? c->kver : MIN_RINGBUF_KVER,
				      c->missing_caps, sizeof(c->missing_caps));
	if (c->can_trace)
		report_add(&c->r, id, ST_PASS, "1.1", "privileged for BPF tracing", NULL,
			   "effective %s (uid %u)",
			   caps_has(caps, CAP_SYS_ADMIN) ? "CAP_SYS_ADMIN"
							 : "CAP_BPF + CAP_PERFMON",
			   (unsigned int)geteuid());
	else
		report_add(&c->r, id, ST_WARN, "1.1",
			   "edrdiag lacks BPF privilege: live probes skipped",
			   "run edrdiag as root (sudo); the agent itself needs the same",
			   "uid %u, effective capabilities %#llx: missing %s",
			   (unsigned int)geteuid(), (unsigned long long)caps, c->missing_caps);
}

static void check_btf(struct ctx *c)
{
	const char *id = "btf.vmlinux", *path = "/sys/kernel/btf/vmlinux";
	enum kconfig_state st = kconfig_state(&c->kc, "CONFIG_DEBUG_INFO_BTF");
	unsigned char magic[2] = { 0 };
	char disk[PATH_MAX];
	struct stat sb;
	struct finding *f;
	size_t n;
	FILE *fp;
	int err;

	err = sysroot_stat(path, &sb);
	if (err) {
		f = report_add(&c->r, id, ST_WARN, "4.1",
			       "no kernel BTF at /sys/kernel/btf/vmlinux",
			       "use a kernel with CONFIG_DEBUG_INFO_BTF=y, or ship BTF for this "
			       "kernel with the agent (BTFHub)",
			       "%s: %s; CO-RE programs need BTF to relocate against", path,
			       strerror(-err));
		if (c->config_from_host && st == KCONFIG_YES)
			finding_append(f,
				       "contradiction: CONFIG_DEBUG_INFO_BTF=y in %s, yet the file "
				       "is missing (sysfs not mounted? kernel before 5.4?)",
				       c->config_source);
		return;
	}
	fp = fopen(sysroot_path(disk, sizeof(disk), path), "rb");
	if (!fp) {
		report_add(&c->r, id, ST_WARN, "4.1", "kernel BTF present but not readable",
			   errno == EACCES ? "run edrdiag as root" : NULL, "%s: %s", path,
			   strerror(errno));
		return;
	}
	n = fread(magic, 1, 2, fp);
	fclose(fp);
	/* BTF_MAGIC 0xeB9F, little- or big-endian */
	if (n != 2 ||
	    !((magic[0] == 0x9f && magic[1] == 0xeb) || (magic[0] == 0xeb && magic[1] == 0x9f))) {
		report_add(&c->r, id, ST_FAIL, "4.1", "kernel BTF is not BTF", NULL,
			   "%s (%lld bytes) does not start with the BTF magic 0xeb9f", path,
			   (long long)sb.st_size);
		return;
	}
	f = report_add(&c->r, id, ST_PASS, "4.1", "kernel BTF available (CO-RE works)", NULL,
		       "%s, %lld bytes", path, (long long)sb.st_size);
	if (c->config_from_host && st != KCONFIG_YES)
		finding_append(f,
			       "note: %s says CONFIG_DEBUG_INFO_BTF is %s: the config may not "
			       "belong to the running kernel",
			       c->config_source, kconfig_state_str(st));
}

static void check_bpffs(struct ctx *c)
{
	const struct mount_entry *m;
	const char *id = "fs.bpffs";

	if (!c->have_mounts) {
		report_add(&c->r, id, ST_SKIP, "4.1", "bpffs state unknown", NULL,
			   "/proc/mounts not readable");
		return;
	}
	m = mounts_find(&c->mounts, "bpf", "/sys/fs/bpf");
	if (!m)
		m = mounts_find(&c->mounts, "bpf", NULL);
	if (m && !strcmp(m->target, "/sys/fs/bpf"))
		report_add(&c->r, id, ST_PASS, "4.1", "bpffs mounted at /sys/fs/bpf", NULL, "%s %s",
			   m->fstype, m->options);
	else if (m)
		report_add(&c->r, id, ST_WARN, "4.1", "bpffs mounted, but not at /sys/fs/bpf",
			   "mount -t bpf bpf /sys/fs/bpf",
			   "mounted at %s; tools and agents pin under /sys/fs/bpf", m->target);
	else
		report_add(
			&c->r, id, ST_WARN, "4.1", "bpffs not mounted at /sys/fs/bpf",
			"mount -t bpf bpf /sys/fs/bpf",
			"no 'bpf' filesystem in /proc/mounts: maps and programs cannot be pinned");
}

static void check_lockdown(struct ctx *c)
{
	const char *id = "kernel.lockdown";
	char v[128], *open_b, *close_b;
	int err;

	err = sysroot_read_line("/sys/kernel/security/lockdown", v, sizeof(v));
	if (err) {
		bool securityfs = c->have_mounts &&
				  mounts_find(&c->mounts, "securityfs", "/sys/kernel/security");

		if (kconfig_state(&c->kc, "CONFIG_SECURITY_LOCKDOWN_LSM") == KCONFIG_NOT_SET)
			report_add(&c->r, id, ST_PASS, "1.1", "no lockdown LSM in this kernel",
				   NULL, "CONFIG_SECURITY_LOCKDOWN_LSM is not set in %s",
				   c->config_source);
		else if (c->have_mounts && !securityfs)
			report_add(&c->r, id, ST_SKIP, "1.1",
				   "lockdown state unknown: securityfs not mounted",
				   "mount -t securityfs securityfs /sys/kernel/security",
				   "/sys/kernel/security/lockdown: %s", strerror(-err));
		else if (err == -ENOENT && securityfs)
			report_add(&c->r, id, ST_PASS, "1.1", "no lockdown LSM active", NULL,
				   "securityfs is mounted and has no lockdown file");
		else
			report_add(&c->r, id, ST_SKIP, "1.1", "lockdown state unknown", NULL,
				   "/sys/kernel/security/lockdown: %s", strerror(-err));
		return;
	}
	/* "none [integrity] confidentiality": the bracketed word is the mode */
	open_b = strchr(v, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!open_b || !close_b) {
		report_add(&c->r, id, ST_ERROR, "1.1", "lockdown file does not parse", NULL,
			   "read '%s'", v);
		return;
	}
	*close_b = '\0';
	if (!strcmp(open_b + 1, "confidentiality"))
		report_add(
			&c->r, id, ST_FAIL, "1.1",
			"kernel lockdown=confidentiality blocks the sensor",
			"lockdown cannot be lowered at run time: boot with lockdown=integrity "
			"(kernel command line) or without Secure Boot's automatic lockdown",
			"confidentiality mode forbids bpf_probe_read_kernel() and other reads of "
			"kernel memory from BPF, so the sensor cannot read exec filenames or the "
			"parent task");
	else if (!strcmp(open_b + 1, "integrity"))
		report_add(
			&c->r, id, ST_PASS, "1.1", "lockdown=integrity: the sensor is not affected",
			NULL,
			"integrity mode blocks bpf_probe_write_user() and kernel writes, which the "
			"sensor does not use");
	else
		report_add(&c->r, id, ST_PASS, "1.1", "lockdown off", NULL, "mode '%s'",
			   open_b + 1);
}

static void check_probes(struct ctx *c)
{
	bool syscall_y = kconfig_state(&c->kc, "CONFIG_BPF_SYSCALL") == KCONFIG_YES;
	char log[1024];
	struct finding *f;
	int err;

	if (!sysroot_is_live()) {
		report_add(&c->r, "probe.tracepoint", ST_SKIP, "1.1",
			   "live probe not run under --root", NULL,
			   "bpf() can only be asked on the running kernel");
		report_add(&c->r, "probe.ringbuf", ST_SKIP, "2.2",
			   "live probe not run under --root", NULL,
			   "bpf() can only be asked on the running kernel");
		return;
	}
	if (!c->can_trace) {
		report_add(&c->r, "probe.tracepoint", ST_SKIP, "1.1",
			   "live probe skipped: no BPF privilege", "run edrdiag as root",
			   "missing %s", c->missing_caps);
		report_add(&c->r, "probe.ringbuf", ST_SKIP, "2.2",
			   "live probe skipped: no BPF privilege", "run edrdiag as root",
			   "missing %s", c->missing_caps);
		return;
	}
	/* Before 5.11 BPF memory is charged to RLIMIT_MEMLOCK; libbpf raises it, so do we. */
	if (c->kver_known && c->kver < MIN_MEMCG_KVER) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		setrlimit(RLIMIT_MEMLOCK, &rl);
	}

	err = probe_tracepoint_prog(log, sizeof(log));
	if (!err) {
		f = report_add(&c->r, "probe.tracepoint", ST_PASS, "1.1",
			       "a tracepoint program loads on this kernel", NULL,
			       "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_TRACEPOINT) succeeded; program "
			       "unloaded at once");
		if (c->config_from_host && !syscall_y)
			finding_append(
				f,
				"contradiction: %s says CONFIG_BPF_SYSCALL is %s: the "
				"config does not belong to the running kernel",
				c->config_source,
				kconfig_state_str(kconfig_state(&c->kc, "CONFIG_BPF_SYSCALL")));
	} else {
		f = report_add(&c->r, "probe.tracepoint", ST_FAIL, "1.1",
			       "a tracepoint program does not load", NULL,
			       "bpf(BPF_PROG_LOAD): %s (%s): %s", errname(err), strerror(-err),
			       probe_explain(err, "prog"));
		if (*log)
			finding_append(f, "verifier: %s", util_rstrip(log));
		if (c->config_from_host && syscall_y && err == -EPERM)
			finding_append(f,
				       "contradiction: CONFIG_BPF_SYSCALL=y yet bpf() says EPERM "
				       "for a privileged caller: look for a seccomp profile, an "
				       "LSM policy or lockdown");
		finding_set_remedy(f, err == -EPERM
					      ? "run the agent as root; in a container "
						"grant CAP_BPF+CAP_PERFMON and allow bpf() "
						"in its seccomp profile"
					      : "use a kernel >= 5.8 with CONFIG_BPF_SYSCALL=y "
						"and CONFIG_BPF_EVENTS=y");
	}

	err = probe_ringbuf();
	if (!err)
		report_add(
			&c->r, "probe.ringbuf", ST_PASS, "2.2", "BPF ring buffer available", NULL,
			"bpf(BPF_MAP_CREATE, BPF_MAP_TYPE_RINGBUF) succeeded; map freed at once");
	else
		report_add(&c->r, "probe.ringbuf", err == -EINVAL ? ST_WARN : ST_FAIL, "2.2",
			   err == -EINVAL ? "no BPF ring buffer: perf buffer fallback"
					  : "a ring buffer map cannot be created",
			   err == -EINVAL ? "use a kernel >= 5.8 for the ring buffer" : NULL,
			   "bpf(BPF_MAP_CREATE): %s (%s): %s", errname(err), strerror(-err),
			   probe_explain(err, "ringbuf"));
}

static int run(int argc, char **argv)
{
	json_t *kernel = json_object(), *jc = json_object();
	struct ctx c;
	int ret;

	(void)argc;
	(void)argv;
	memset(&c, 0, sizeof(c));
	report_init(&c.r, "check-kernel");
	c.r.strict = global.strict;
	/* under --root: is the tree a support bundle, unchanged since it was collected? */
	manifest_check_root(&c.r);
	check_release(&c);
	json_object_set_new(kernel, "release", json_string(c.release));
	ret = load_config(&c, jc);
	if (ret)
		goto out;
	check_distro(&c, kernel);
	check_kconfig(&c, jc);
	read_mounts(&c);
	check_unpriv_sysctl(&c);
	check_jit_sysctl(&c);
	check_caps(&c);
	check_btf(&c);
	check_bpffs(&c);
	check_lockdown(&c);
	check_probes(&c);

	json_object_set_new(jc, "source",
			    c.have_config ? json_string(c.config_source) : json_null());
	json_object_set_new(jc, "user_given", json_boolean(opts.kernel_config != NULL));
	json_object_set_new(jc, "version", c.kc.version ? json_string(c.kc.version) : json_null());
	json_object_set_new(c.r.extra, "root", json_string(sysroot_dir()));
	json_object_set_new(c.r.extra, "live", json_boolean(sysroot_is_live()));
	json_object_set(c.r.extra, "kernel", kernel);
	json_object_set(c.r.extra, "kernel_config", jc);
	output_report(&c.r);
	ret = report_exit_code(&c.r);
out:
	json_decref(kernel);
	json_decref(jc);
	kconfig_free(&c.kc);
	mounts_free(&c.mounts);
	report_free(&c.r);
	return ret;
}

const struct cmd cmd_check_kernel = {
	.name = "check-kernel",
	.summary = "can this host run the sensor? kernel, config, sysctls, privilege, BTF",
	.synopsis = "[--kernel-config FILE] ",
	.options =
		"  -k, --kernel-config FILE  check this kernel config (plain or gzip) instead of\n"
		"                            /boot/config-$(uname -r) or /proc/config.gz\n",
	.shortopts = "k:",
	.longopts = longopts,
	.parse_opt = parse_opt,
	.run = run,
};
