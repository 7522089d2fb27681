// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Host facts for the support bundle: taint, LSMs, container, BPF program holders. See
 * hostinfo.h. Everything read here comes from the live host's /proc and /sys.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfobj.h"
#include "bpfstats.h"
#include "hostinfo.h"
#include "i18n.h"
#include "sysroot.h"
#include "text.h"
#include "util.h"

/* Documentation/admin-guide/tainted-kernels.rst, bit by bit; the JSON keeps the English,
 * report.md translates it */
static const struct {
	char flag;
	const char *meaning;
} taints[] = {
	{ 'P', N_("proprietary module loaded") },
	{ 'F', N_("module force-loaded") },
	{ 'S', N_("kernel running on an out-of-spec system") },
	{ 'R', N_("module force-unloaded") },
	{ 'M', N_("processor reported a machine check exception") },
	{ 'B', N_("bad page referenced or unexpected page flags") },
	{ 'U', N_("taint requested by user space") },
	{ 'D', N_("kernel died recently (oops or BUG)") },
	{ 'A', N_("ACPI table overridden by the user") },
	{ 'W', N_("kernel issued a warning") },
	{ 'C', N_("staging driver loaded") },
	{ 'I', N_("workaround for a platform firmware bug applied") },
	{ 'O', N_("externally-built (out-of-tree) module loaded") },
	{ 'E', N_("unsigned module loaded") },
	{ 'L', N_("soft lockup occurred") },
	{ 'K', N_("kernel live-patched") },
	{ 'X', N_("auxiliary taint (distribution-defined)") },
	{ 'T', N_("kernel built with struct randomization") },
	{ 'N', N_("an in-kernel test has been run") },
};

json_t *hostinfo_taint_json(unsigned long long tainted)
{
	json_t *a = json_array();
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		char flag[2] = "?";
		const char *meaning = "a bit this edrdiag does not know";

		if (!(tainted & (1ULL << bit)))
			continue;
		if (bit < ARRAY_SIZE(taints)) {
			flag[0] = taints[bit].flag;
			meaning = taints[bit].meaning;
		}
		json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "bit", (int)bit, "flag", flag,
						   "meaning", meaning));
	}
	return a;
}

json_t *hostinfo_lsm_json(const char **why)
{
	char *data, *p, *tok, *save = NULL;
	json_t *a;
	size_t len;
	int e;

	e = sysroot_read("/sys/kernel/security/lsm", 4096, &data, &len);
	if (e) {
		*why = e == -ENOENT ? "/sys/kernel/security/lsm absent (securityfs not mounted?)"
				    : sysroot_error("/sys/kernel/security/lsm", e);
		return NULL;
	}
	a = json_array();
	for (p = data; (tok = strtok_r(p, ",\n", &save)); p = NULL)
		json_array_append_new(a, text_json(tok));
	free(data);
	return a;
}

/*
 * The first line of path, or "" (absent, unreadable, or not a regular file: a FIFO planted
 * there is refused, never waited on).
 */
static void first_line(const char *path, char *buf, size_t len)
{
	char *data;
	size_t n;

	buf[0] = '\0';
	if (sysroot_read(path, 4096, &data, &n))
		return;
	snprintf(buf, len, "%.*s", (int)strcspn(data, "\n"), data);
	free(data);
}

/* pid 1's cgroup names a container runtime: which one */
static const char *cgroup_runtime(const char *cg)
{
	static const struct {
		const char *needle, *kind;
	} rt[] = {
		{ "kubepods", "kubernetes" },
		{ "docker", "docker" },
		{ "libpod", "podman" },
		{ "containerd", "containerd" },
		{ "crio", "cri-o" },
		{ "lxc", "lxc" },
		{ "machine.slice/systemd-nspawn", "systemd-nspawn" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rt); i++)
		if (strstr(cg, rt[i].needle))
			return rt[i].kind;
	return NULL;
}

json_t *hostinfo_container_json(void)
{
	json_t *ev = json_array();
	const char *kind = NULL, *k;
	char line[256], *cg = NULL;
	size_t n;

	first_line("/run/systemd/container", line, sizeof(line));
	if (line[0]) {
		kind = "systemd-detected";
		json_array_append_new(ev,
				      json_pack("{s:s, s:o}", "fact", "/run/systemd/container says",
						"value", text_json(line)));
	}
	if (!access("/.dockerenv", F_OK)) {
		kind = "docker";
		json_array_append_new(ev, json_pack("{s:s}", "fact", "/.dockerenv exists"));
	}
	if (!access("/run/.containerenv", F_OK)) {
		kind = "podman";
		json_array_append_new(ev, json_pack("{s:s}", "fact", "/run/.containerenv exists"));
	}
	if (!sysroot_read("/proc/1/cgroup", 65536, &cg, &n)) {
		k = cgroup_runtime(cg);
		if (k) {
			kind = kind ? kind : k;
			json_array_append_new(ev, json_pack("{s:s, s:s}", "fact",
							    "pid 1's cgroup names a runtime",
							    "value", k));
		}
		free(cg);
	}
	/* a user namespace maps a slice of ids; the initial one maps them all */
	first_line("/proc/self/uid_map", line, sizeof(line));
	if (line[0] && !strstr(line, "4294967295")) {
		kind = kind ? kind : "user-namespace";
		json_array_append_new(ev, json_pack("{s:s, s:o}", "fact",
						    "in a user namespace: /proc/self/uid_map is",
						    "value", text_json(line)));
	}
	return json_pack("{s:b, s:s?, s:o}", "container", kind != NULL, "kind", kind, "evidence",
			 ev);
}

/*
 * Processes of BPF-based security and observability products, by the comm they run as
 * (15 characters at most, as the kernel keeps it). A product here is not a fault: it is a
 * second user of the same hooks and budgets, which the engineer must know about.
 */
static const struct {
	const char *comm, *product;
} products[] = {
	{ "falco", "Falco" },
	{ "tetragon", "Tetragon" },
	{ "tracee", "Tracee" },
	{ "cilium-agent", "Cilium" },
	{ "kubearmor", "KubeArmor" },
	{ "system-probe", "Datadog" },
	{ "security-agent", "Datadog" },
	{ "falcon-sensor", "CrowdStrike Falcon" },
	{ "falcond", "CrowdStrike Falcon" },
	{ "s1-agent", "SentinelOne" },
	{ "sentinelone", "SentinelOne" },
	{ "elastic-endpoi", "Elastic Defend" },
	{ "auditbeat", "Elastic Auditbeat" },
	{ "sysdig", "Sysdig" },
	{ "dragent", "Sysdig" },
	{ "wdavdaemon", "Microsoft Defender" },
	{ "mdatp", "Microsoft Defender" },
	{ "ds_agent", "Trend Micro Deep Security" },
	{ "sophos", "Sophos" },
	{ "cbagentd", "Carbon Black" },
	{ "osqueryd", "osquery" },
	{ "wazuh", "Wazuh" },
	{ "bpftrace", "bpftrace" },
	{ "pixie", "Pixie" },
	{ "deepflow", "DeepFlow" },
};

const char *hostinfo_product_of(const char *comm)
{
	char low[16];
	size_t i, n;

	for (i = 0; i < sizeof(low) - 1 && comm[i]; i++)
		low[i] = (char)tolower((unsigned char)comm[i]);
	low[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(products); i++) {
		n = strlen(products[i].comm);
		/* the name, or the name then a separator: "falco" but not "falcon" */
		if (!strncmp(low, products[i].comm, n) &&
		    (!low[n] || low[n] == '-' || low[n] == '_' || low[n] == '.'))
			return products[i].product;
	}
	return NULL;
}

static bool tracing_type(__u32 type)
{
	switch (type) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_TRACING:
	case BPF_PROG_TYPE_LSM:
		return true;
	default:
		return false;
	}
}

static struct hostinfo_holder *holder_get(struct hostinfo_bpf *b, const struct bpfobj_holder *o)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		if (b->h[i].pid == o->pid)
			return &b->h[i];
	b->h = util_xrealloc(b->h, (b->nr + 1) * sizeof(*b->h));
	memset(&b->h[b->nr], 0, sizeof(*b->h));
	b->h[b->nr].pid = o->pid;
	snprintf(b->h[b->nr].comm, sizeof(b->h[b->nr].comm), "%s", o->comm);
	b->h[b->nr].product = hostinfo_product_of(o->comm);
	b->h[b->nr].prog_names = json_array();
	return &b->h[b->nr++];
}

static int by_weight(const void *x, const void *y)
{
	const struct hostinfo_holder *a = x, *b = y;

	if (a->tracing != b->tracing)
		return a->tracing > b->tracing ? -1 : 1;
	if (a->progs != b->progs)
		return a->progs > b->progs ? -1 : 1;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

int hostinfo_bpf_scan(struct hostinfo_bpf *b, pid_t self)
{
	const struct bpfobj_holder *who[64];
	struct bpfobj_holders hs = { 0 };
	struct bpfstats_prog p;
	__u32 *ids = NULL;
	size_t n = 0, i, j, k;
	int e;

	memset(b, 0, sizeof(*b));
	e = bpfobj_ids(BPFOBJ_PROG, &ids, &n);
	if (!e)
		e = bpfobj_holders_scan(&hs, 0);
	if (e) {
		free(ids);
		return b->err = e;
	}
	for (i = 0; i < n; i++) {
		if (bpfstats_prog_read(ids[i], 0, &p))
			continue; /* gone meanwhile */
		b->progs++;
		k = bpfobj_holders_of(&hs, BPFOBJ_PROG, ids[i], self, who, ARRAY_SIZE(who));
		if (!k)
			b->unheld++;
		for (j = 0; j < k && j < ARRAY_SIZE(who); j++) {
			struct hostinfo_holder *h = holder_get(b, who[j]);
			char *s;

			h->progs++;
			h->tracing += tracing_type(p.type);
			if (json_array_size(h->prog_names) >= HOSTINFO_NAMES_MAX)
				continue;
			s = util_fmt("%s (%s)", p.name[0] ? p.name : "-",
				     bpfobj_prog_type_name(p.type));
			json_array_append_new(h->prog_names, text_json(s));
			free(s);
		}
		bpfstats_prog_free(&p);
	}
	if (b->nr)
		qsort(b->h, b->nr, sizeof(*b->h), by_weight);
	bpfobj_holders_free(&hs);
	free(ids);
	return 0;
}

void hostinfo_bpf_free(struct hostinfo_bpf *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		json_decref(b->h[i].prog_names);
	free(b->h);
	memset(b, 0, sizeof(*b));
}

const struct hostinfo_holder *hostinfo_likely_agent(const struct hostinfo_bpf *b)
{
	size_t i;

	/* sorted by tracing programs held: the first that is neither a known product nor init */
	for (i = 0; i < b->nr; i++)
		if (b->h[i].tracing && !b->h[i].product && b->h[i].pid != 1 &&
		    !util_startswith(b->h[i].comm, "systemd"))
			return &b->h[i];
	return NULL;
}

json_t *hostinfo_bpf_json(const struct hostinfo_bpf *b)
{
	json_t *hs;
	size_t i;

	if (b->err)
		return json_pack("{s:s}", "error", util_errname(b->err));
	hs = json_array();
	for (i = 0; i < b->nr; i++) {
		const struct hostinfo_holder *h = &b->h[i];

		json_array_append_new(
			hs, json_pack("{s:i, s:o, s:s?, s:I, s:I, s:O}", "pid", (int)h->pid, "comm",
				      text_json(h->comm), "product", h->product, "programs",
				      (json_int_t)h->progs, "tracing_programs",
				      (json_int_t)h->tracing, "program_names", h->prog_names));
	}
	return json_pack("{s:I, s:I, s:o}", "programs", (json_int_t)b->progs, "unheld",
			 (json_int_t)b->unheld, "holders", hs);
}
