// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* report.md: the template filled with the right things, and nothing concluded from a failure. */
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "report_md.h"
#include "text.h"
#include "util.h"

static json_t *doc(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	if (!j) {
		printf("# bad test JSON: %s\n", text);
		abort();
	}
	return j;
}

/* where needle first occurs in hay, or -1: for ordering checks */
static long pos(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	return p ? p - hay : -1;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* the whole report is valid UTF-8 and holds no control byte but newlines */
static bool clean_utf8(const char *s)
{
	size_t n = strlen(s), i = 0, l;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 && ch != '\n')
			return false;
		l = text_utf8_len((const unsigned char *)s + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

#define CK_DOC                                                                                  \
	"{\"command\":\"check-kernel\",\"results\":["                                           \
	"{\"id\":\"kconfig.CONFIG_KPROBES\",\"status\":\"warn\",\"title\":\"CONFIG_KPROBES "    \
	"missing\",\"detail\":\"kprobes fallback\",\"remedy\":\"nothing to "                    \
	"do\",\"guide\":\"4.2\"},"                                                              \
	"{\"id\":\"kernel.release\",\"status\":\"pass\",\"title\":\"fine\",\"guide\":\"4.1\"}," \
	"{\"id\":\"sysctl.unprivileged_bpf_disabled\",\"status\":\"fail\",\"title\":\"bpf "     \
	"disabled\",\"detail\":\"value 2\",\"remedy\":\"sysctl -w x=0\",\"guide\":\"1.1\"},"    \
	"{\"id\":\"btf.vmlinux\",\"status\":\"error\",\"title\":\"cannot read BTF\","           \
	"\"guide\":\"4.1\"}]}"

#define TP_DOC                                                                                     \
	"{\"command\":\"check-tracepoints\",\"results\":["                                         \
	"{\"id\":\"fs.tracefs\",\"status\":\"warn\",\"title\":\"tracefs odd\",\"guide\":\"1.2\"}," \
	"{\"id\":\"tracepoint.sched/sched_process_exec\",\"status\":\"fail\",\"title\":\"no "      \
	"exec tracepoint\",\"remedy\":\"mount tracefs\",\"guide\":\"1.2\"}]}"

/* Symptoms stay the customer's; findings go to the Diagnosis, fail before error before warn. */
static void diagnosis_worst_first(void)
{
	json_t *ck = doc(CK_DOC), *tp = doc(TP_DOC);
	struct report_md_info in = { .os = "Debian" };
	long a, b, c, d, e;
	char *md;

	in.docs[REPORT_DOC_CHECK_KERNEL] =
		(struct report_md_doc){ "commands/edrdiag-check-kernel.json", ck };
	in.docs[REPORT_DOC_CHECK_TRACEPOINTS] =
		(struct report_md_doc){ "commands/edrdiag-check-tracepoints.json", tp };
	md = report_md_render(&in);
	CHECK(strstr(md, "- Symptoms: <"));
	/* no finding above the Diagnosis heading */
	CHECK(pos(md, "CONFIG_KPROBES") > pos(md, "**Diagnosis (edrdiag):**"));
	a = pos(md, "`sysctl.unprivileged_bpf_disabled`");
	b = pos(md, "`tracepoint.sched/sched_process_exec`");
	c = pos(md, "`btf.vmlinux`");
	d = pos(md, "`kconfig.CONFIG_KPROBES`");
	e = pos(md, "`fs.tracefs`");
	CHECK(a > 0 && a < b && b < c && c < d && d < e);
	CHECK(strstr(md,
		     "- **[fail]** `sysctl.unprivileged_bpf_disabled` (check-kernel): bpf "
		     "disabled (guide 1.1)\n  - Observed: value 2\n  - Remedy: sysctl -w x=0\n"));
	CHECK(strstr(md, "- **[warn]** `fs.tracefs` (check-tracepoints): tracefs odd (guide 1.2)"));
	CHECK(!strstr(md, "kernel.release"));
	CHECK(strstr(md, "- Documents read: check-kernel (`commands/edrdiag-check-kernel.json`), "
			 "check-tracepoints (`commands/edrdiag-check-tracepoints.json`)\n"));
	/* stats and the self-test were not given: said so, not judged */
	CHECK(strstr(md, "- Not available, so not judged:\n  - stats: not part of this bundle\n"
			 "  - run-sensor --self-test: not part of this bundle\n"));
	CHECK(!strstr(md, "No failing or warning"));
	/* no log, no self-test, no manifest: the empty list says so */
	CHECK(strstr(md, "- Error messages:\n  - nothing to read them from: no kernel log, "
			 "self-test or item list was given\n"));
	free(md);
	json_decref(ck);
	json_decref(tp);
}

/* Real kernel log lines, each with the verdict a support engineer would give it. */
static void error_line_classifier(void)
{
	static const struct {
		const char *line;
		bool error;
	} t[] = {
		{ "[    0.123456] LSM support for eBPF active", false },
		{ "[    1.000000] bpf: JIT enabled", false },
		{ "Nov 30 12:00:01 host kernel: LSM support for eBPF active", false },
		{ "[    0.5] Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on",
		  false },
		{ "audit: type=1334 audit(1700000000.1:42): prog-id=42 op=LOAD", false },
		{ "[  524.9] test_btfread[14808]: segfault at 55 ip 0 sp 0 error 4 in test_btfread",
		  false },
		{ "clocksource: timekeeping watchdog: jitter failed", false },
		{ "libbpf: prog 'x': failed to load: -13", true },
		{ "R1 invalid mem access 'scalar'", true },
		{ "[   12.5] R0 !read_ok", true },
		{ "[    3.2] BPF: Invalid name", true },
		{ "[    3.3] BPF:\t Invalid type_id", true },
		{ "kernel: audit: type=1400 apparmor=\"DENIED\" operation=\"bpf\" profile=\"x\"",
		  true },
		{ "[    9.9] failed to validate module [nf_tables] BTF: -22", true },
		{ "libbpf: failed to find valid kernel BTF", true },
		{ "bpf_jit: cannot allocate memory for the image", true },
		{ "edrdiag: verifier log (last lines; -v for all):", false },
		{ "audit: type=1400 audit(1.2:3): avc:  denied  { prog_load } for  pid=1 "
		  "comm=\"a\" "
		  "tclass=bpf permissive=0",
		  true },
		{ "Lockdown: edr-agent: use of bpf to read kernel RAM is restricted; see man "
		  "kernel_lockdown.7",
		  true },
		{ "WARNING: CPU: 1 PID: 812 at kernel/bpf/verifier.c:1234 do_check+0x1/0x2", true },
		{ "bpf_debug: tracing enabled", false },
		{ "Lockdown: systemd: /dev/mem,kmem,port is restricted", false },
		{ "", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (report_md_is_error_line(t[i].line, strlen(t[i].line)) != t[i].error) {
			printf("#   \"%s\": expected %s\n", t[i].line,
			       t[i].error ? "error" : "not");
			CHECK(0);
		}
}

/* Only the real errors of a collected kernel log reach Error messages. */
static void kernel_log_errors(void)
{
	const struct report_md_item items[] = {
		{ "commands/dmesg.txt", "dmesg", "collected", 0, NULL, NULL },
	};
	struct report_md_info in = {
		.kernel_log = "[0.1] LSM support for eBPF active\n[1.0] bpf: JIT enabled\n"
			      "[2.0] BPF: Invalid name\n[3.0] eth0: link up\n"
			      "[4.0] libbpf: prog 'x': failed to load: -13",
		.log_source = "commands/dmesg.txt",
		.items = items,
		.nr_items = ARRAY_SIZE(items),
	};
	char *md = report_md_render(&in);

	CHECK(strstr(md, "  - Kernel log (`commands/dmesg.txt`): 2 BPF-related error lines\n\n"
			 "    ```text\n    [2.0] BPF: Invalid name\n"
			 "    [4.0] libbpf: prog 'x': failed to load: -13\n    ```\n"));
	CHECK(!strstr(md, "LSM support"));
	CHECK(!strstr(md, "JIT enabled"));
	CHECK(!strstr(md, "eth0"));
	free(md);
	in.kernel_log = "[0.1] LSM support for eBPF active\n";
	md = report_md_render(&in);
	CHECK(strstr(md,
		     "  - Kernel log (`commands/dmesg.txt`): no BPF-related error in 1 line\n"));
	free(md);
	/* journalctl -k without the right to read the journal: exit 0, nothing written */
	in.kernel_log = "\n";
	in.euid = 65534;
	md = report_md_render(&in);
	CHECK(strstr(md, "  - Kernel log (`commands/dmesg.txt`): empty: nothing can be concluded "
			 "from it\n"));
	CHECK(strstr(md, "> - the kernel log (guide 6.1): collected empty\n"));
	CHECK(!strstr(md, "no BPF-related error"));
	free(md);
}

/* A dmesg that failed says why; it never reads as "no error in the kernel log". */
static void failed_log_no_conclusion(void)
{
	const struct report_md_item items[] = {
		{ "commands/dmesg.txt", "dmesg", "failed", 1,
		  "dmesg: read kernel buffer failed: Operation not permitted", NULL },
	};
	struct report_md_info in = {
		/* the old collector stored stderr as the item's text: it must not be read */
		.kernel_log = "dmesg: read kernel buffer failed: Operation not permitted\n",
		.log_source = "commands/dmesg.txt",
		.items = items,
		.nr_items = ARRAY_SIZE(items),
	};
	char *md = report_md_render(&in);

	CHECK(strstr(md,
		     "  - Kernel log not available: `dmesg` failed (exit 1): dmesg: read kernel "
		     "buffer failed: Operation not permitted\n"));
	CHECK(strstr(md,
		     "  - edrdiag could not collect 1 item:\n    - `commands/dmesg.txt`: `dmesg` "
		     "failed (exit 1): dmesg: read kernel buffer failed: Operation not "
		     "permitted\n"));
	CHECK(!strstr(md, "no BPF-related error"));
	CHECK(!strstr(md, "```text"));
	free(md);
	/* collected, but its command exited 1: not believed either */
	struct report_md_item odd = { "commands/dmesg.txt", "dmesg", "collected", 1, NULL, NULL };

	in.items = &odd;
	md = report_md_render(&in);
	CHECK(strstr(md, "Kernel log not available: `dmesg` collected, but its command failed "
			 "(exit 1)"));
	CHECK(!strstr(md, "no BPF-related error"));
	free(md);
}

/* A check document that failed or is missing is not judged, and the report says why. */
static void missing_documents(void)
{
	const struct report_md_item items[] = {
		{ "commands/edrdiag-stats.json", "edrdiag --json stats", "failed", 3, NULL, NULL },
		{ "commands/edrdiag-selftest.json", NULL, "skipped", -1, NULL,
		  "not privileged: the self-test loads a BPF program" },
	};
	json_t *st = doc("{\"command\":\"stats\",\"error\":{\"code\":\"privilege\",\"message\":"
			 "\"stats needs BPF privilege: missing CAP_BPF\"}}");
	struct report_md_info in = { .items = items, .nr_items = ARRAY_SIZE(items) };
	char *md;

	in.docs[REPORT_DOC_STATS] = (struct report_md_doc){ "commands/edrdiag-stats.json", st };
	in.docs[REPORT_DOC_SELFTEST] = (struct report_md_doc){ "commands/edrdiag-selftest.json" };
	md = report_md_render(&in);
	CHECK(strstr(md, "- No check document could be read: nothing is judged here.\n"));
	CHECK(!strstr(md, "No failing or warning"));
	CHECK(strstr(md, "  - stats: stats needs BPF privilege: missing CAP\\_BPF\n") ||
	      strstr(md, "  - stats: stats needs BPF privilege: missing CAP_BPF\n"));
	CHECK(strstr(md,
		     "  - run-sensor --self-test: `commands/edrdiag-selftest.json` skipped: not "
		     "privileged: the self-test loads a BPF program\n"));
	CHECK(strstr(md, "  - check-kernel: not part of this bundle\n"));
	/* a skipped item is not an error; a failed one is */
	CHECK(strstr(md,
		     "  - edrdiag could not collect 1 item:\n    - `commands/edrdiag-stats.json`: "
		     "`edrdiag --json stats` failed (exit 3)\n- Related logs"));
	free(md);
	json_decref(st);
}

/* Not root: a banner first, naming what cannot be answered and the command to rerun. */
static void nonroot_banner(void)
{
	static const char *const argv[] = { "edrdiag",	"collect-report", "--agent", "my agent",
					    "--output", "/tmp/out",	  "--lang",  "zh",
					    NULL };
	const struct report_md_item items[] = {
		{ "commands/dmesg.txt", "dmesg", "failed", 1, "read kernel buffer failed", NULL },
		{ "commands/uname-a.txt", "uname -a", "collected", 0, NULL, NULL },
		{ "commands/bpftool-prog-list.json", "bpftool --json prog list", "failed", 255,
		  "Error: can't get next program: Operation not permitted", NULL },
	};
	json_t *ck = doc("{\"command\":\"check-kernel\",\"results\":[{\"id\":\"probe.ringbuf\","
			 "\"status\":\"skip\",\"title\":\"live probe skipped\"}]}");
	struct report_md_info in = {
		.euid = 65534,
		.missing_caps = "CAP_BPF, CAP_PERFMON (or CAP_SYS_ADMIN)",
		.argv = argv,
		.agent = "no process 'my agent' running",
		.log_source = "commands/dmesg.txt",
		.items = items,
		.nr_items = ARRAY_SIZE(items),
	};
	char *md;

	in.docs[REPORT_DOC_CHECK_KERNEL] = (struct report_md_doc){ "c.json", ck };
	in.docs[REPORT_DOC_STATS] = (struct report_md_doc){ "commands/edrdiag-stats.json" };
	in.docs[REPORT_DOC_SELFTEST] = (struct report_md_doc){ "commands/edrdiag-selftest.json" };
	md = report_md_render(&in);
	CHECK(pos(md, "> **Collected without full privilege** (uid 65534; missing CAP\\_BPF, "
		      "CAP\\_PERFMON (or CAP\\_SYS\\_ADMIN)).") < 0); /* underscores stay plain */
	CHECK(pos(md, "> **Collected without full privilege** (uid 65534; missing CAP_BPF, "
		      "CAP_PERFMON (or CAP_SYS_ADMIN)). This bundle cannot answer:\n") > 0);
	CHECK(pos(md, "> **Collected") < pos(md, "**Environment:**"));
	CHECK(strstr(md, "> - the kernel log (guide 6.1): `dmesg` failed (exit 1): read kernel "
			 "buffer failed\n"));
	CHECK(strstr(md, "> - which BPF programs, maps and links are loaded (bpftool): `bpftool "
			 "--json prog list` failed (exit 255): Error: can't get next program: "
			 "Operation not permitted\n"));
	CHECK(strstr(md, "> - live probes of the kernel's BPF features (guide 4.1)"));
	CHECK(strstr(md, "> - the run-time cost of BPF programs and maps"));
	CHECK(strstr(md, "> - the agent's CPU and memory (guide 3.1, 3.2)"));
	CHECK(strstr(md, "> - whether a BPF sensor loads, attaches and sees execs here"));
	CHECK(strstr(md, ">\n> Rerun as root for a complete bundle: `sudo edrdiag collect-report "
			 "--agent 'my agent' --output /tmp/out --lang zh`\n"));
	free(md);
	/* root with every capability: no banner */
	in.euid = 0;
	in.missing_caps = "";
	md = report_md_render(&in);
	CHECK(!strstr(md, "Collected without full privilege"));
	CHECK(!strstr(md, "sudo"));
	free(md);
	/* root without CAP_BPF (a container): the banner again */
	in.missing_caps = "CAP_BPF";
	md = report_md_render(&in);
	CHECK(strstr(md, "(uid 0; missing CAP_BPF). This bundle cannot answer:"));
	CHECK(strstr(md, "> Rerun where root has these capabilities"));
	CHECK(!strstr(md, "sudo"));
	free(md);
	json_decref(ck);
}

static void rerun_quoting(void)
{
	static const char *const a[] = { "/usr/sbin/edrdiag", "collect-report",
					 "--agent-version",   "it's 1.0",
					 "--agent",	      "",
					 "--redact",	      NULL };
	char *s = report_md_rerun(a);

	CHECK_STR(s, "sudo /usr/sbin/edrdiag collect-report --agent-version 'it'\\''s 1.0' "
		     "--agent '' --redact");
	free(s);
	s = report_md_rerun(NULL);
	CHECK_STR(s, "sudo edrdiag collect-report");
	free(s);
}

/* Every cap counts what it left out; the kernel log keeps its latest lines. */
static void capping(void)
{
	struct report_md_item items[30];
	char log[4096] = "", line[64], *md;
	json_t *ck = json_pack("{s:s, s:[]}", "command", "check-kernel", "results");
	struct report_md_info in = { .kernel_log = log, .log_source = "commands/dmesg.txt" };
	size_t i;

	for (i = 0; i < 30; i++) {
		snprintf(line, sizeof(line), "[%zu.0] BPF: Invalid name %02zu\n", i, i);
		strcat(log, line);
	}
	for (i = 0; i < 60; i++) {
		char id[32];

		snprintf(id, sizeof(id), "x.f%02zu", i);
		json_array_append_new(json_object_get(ck, "results"),
				      json_pack("{s:s, s:s, s:s}", "id", id, "status",
						i % 2 ? "warn" : "fail", "title", "t"));
	}
	for (i = 0; i < 30; i++)
		items[i] = (struct report_md_item){ i ? "commands/x.txt" : "commands/dmesg.txt",
						    NULL,
						    i ? "denied" : "collected",
						    -1,
						    NULL,
						    "Permission denied" };
	in.items = items;
	in.nr_items = 30;
	in.docs[REPORT_DOC_CHECK_KERNEL] = (struct report_md_doc){ "ck.json", ck };
	md = report_md_render(&in);
	CHECK(strstr(md, "30 BPF-related error lines"));
	CHECK(!strstr(md, "Invalid name 09\n"));
	CHECK(strstr(md, "Invalid name 10\n"));
	CHECK(strstr(md, "Invalid name 29\n"));
	CHECK(strstr(md, "    ```\n\n    ... 10 more left out\n"));
	CHECK_INT(count(md, "- **[fail]**"), 30);
	CHECK_INT(count(md, "- **[warn]**"), 20);
	CHECK(strstr(md, "- ... 10 more left out\n"));
	/* the 30 fails first, so it is 10 warnings that were left out */
	CHECK(strstr(md, "`x.f58`") && !strstr(md, "`x.f59`") && strstr(md, "`x.f39`") &&
	      !strstr(md, "`x.f41`"));
	CHECK(strstr(md, "  - edrdiag could not collect 29 items:\n"));
	CHECK_INT(count(md, "    - `commands/x.txt` was denied: Permission denied\n"), 20);
	CHECK(strstr(md, "    - ... 9 more left out\n"));
	free(md);
	json_decref(ck);
}

/* The self-test's failed attempts and the verifier's words are error messages. */
static void selftest_errors(void)
{
	json_t *rs =
		doc("{\"command\":\"run-sensor\",\"error\":{\"code\":\"environment\","
		    "\"message\":\"no attach method worked\"},\"attempts\":["
		    "{\"method\":\"tracepoint\",\"stage\":\"load\",\"errno\":13,\"error\":\"x\","
		    "\"reason\":\"load failed: EACCES (Permission denied): permission denied\"},"
		    "{\"method\":\"kprobe\",\"stage\":\"attach\",\"errno\":0,\"error\":\"\","
		    "\"reason\":\"attached\"}]}");
	const struct report_md_item items[] = {
		{ "commands/edrdiag-selftest.json.stderr", NULL, "collected", -1, NULL, NULL },
	};
	struct report_md_info in = {
		.sensor_log =
			"edrdiag: verifier log (last lines; -v for all):\n0: (79) r1 = *(u64 "
			"*)(r1 +0)\nR1 invalid mem access 'scalar'\nprocessed 2 insns\n"
			"0: (b7) r0 = 0\n; return 0;\ninvalid indirect read from stack R2 off -8\n"
			"1: (95) exit\nR0 leaks addr as return value\nprocessed 9 insns (limit "
			"1000000)\n",
		.sensor_log_source = "commands/edrdiag-selftest.json.stderr",
		.items = items,
		.nr_items = ARRAY_SIZE(items),
	};
	char *md;

	in.docs[REPORT_DOC_SELFTEST] =
		(struct report_md_doc){ "commands/edrdiag-selftest.json", rs };
	md = report_md_render(&in);
	CHECK(strstr(md,
		     "  - BPF program load/attach failure (run-sensor --self-test): tracepoint: "
		     "load failed: EACCES (Permission denied): permission denied\n"));
	CHECK(!strstr(md, "kprobe: attached"));
	CHECK(strstr(md, "  - run-sensor --self-test: no attach method worked\n"));
	CHECK(strstr(
		md,
		"3 BPF-related error lines\n\n    ```text\n    R1 invalid mem access "
		"'scalar'\n    invalid indirect read from stack R2 off -8\n    R0 leaks addr as "
		"return value\n    ```\n"));
	CHECK(!strstr(md, "processed 2 insns"));
	free(md);
	/* run-sensor ends in an error and still has its verdicts: they are judged */
	json_object_set_new(rs, "results",
			    json_pack("[{s:s, s:s, s:s, s:s}]", "id", "sensor.attach", "status",
				      "fail", "title", "no attach method worked", "guide", "1.2"));
	md = report_md_render(&in);
	CHECK(strstr(md, "- **[fail]** `sensor.attach` (run-sensor --self-test): no attach method "
			 "worked (guide 1.2)\n"));
	CHECK(strstr(md, "- Documents read: run-sensor --self-test "
			 "(`commands/edrdiag-selftest.json`) (ended in an error: no attach method "
			 "worked)\n"));
	CHECK(strstr(md, "tracepoint: load failed: EACCES"));
	free(md);
	json_decref(rs);
}

static void agent_usage(void)
{
	json_t *st =
		doc("{\"command\":\"stats\",\"window_s\":5.0,\"results\":[{\"id\":\"agent.rss\","
		    "\"status\":\"fail\",\"title\":\"agent RSS 300 MB\",\"guide\":\"3.2\"}],"
		    "\"agent\":{\"pid\":42,\"running\":true,\"cpu_pct_of_core\":0.4,"
		    "\"vm_rss_kb\":307200,\"max_cpu_pct\":5,\"max_rss_mb\":200}}");
	struct report_md_info in = { .agent = "4.2 (process /opt/a, pid 42)",
				     .agent_found = "likely agent: the process holding BPF "
						    "programs 12, 14" };
	char *md;

	in.docs[REPORT_DOC_STATS] = (struct report_md_doc){ "commands/edrdiag-stats.json", st };
	md = report_md_render(&in);
	CHECK(strstr(md,
		     "- Agent version: 4.2 (process /opt/a, pid 42)\n  - How the agent was "
		     "found: likely agent: the process holding BPF programs 12, 14\n  - Agent CPU "
		     "and memory: 0.40% of one CPU, RSS 300.0 MB, over 5.00 s (limits 5%, 200 "
		     "MB)\n"));
	CHECK(strstr(md, "- **[fail]** `agent.rss` (stats): agent RSS 300 MB (guide 3.2)"));
	free(md);
	json_object_set_new(st, "agent", json_pack("{s:i, s:b}", "pid", 42, "running", 0));
	md = report_md_render(&in);
	CHECK(strstr(md, "Agent CPU and memory: not measured: process 42 was not running\n"));
	free(md);
	json_decref(st);
}

/* edrdiag-host.json: taint decoded, LSMs, container, other BPF users without the agent */
static void host_facts(void)
{
	json_t *host =
		doc("{\"tainted\":{\"value\":12288,\"flags\":[{\"bit\":12,\"flag\":\"O\","
		    "\"meaning\":\"externally-built (out-of-tree) module loaded\"},{\"bit\":13,"
		    "\"flag\":\"E\",\"meaning\":\"unsigned module loaded\"}]},"
		    "\"lsm\":[\"lockdown\",\"bpf\"],"
		    "\"container\":{\"container\":true,\"kind\":\"docker\",\"evidence\":[]},"
		    "\"bpf\":{\"programs\":12,\"unheld\":0,\"holders\":["
		    "{\"pid\":42,\"comm\":\"edr-agent\",\"product\":null,\"programs\":3,"
		    "\"tracing_programs\":3,\"program_names\":[]},"
		    "{\"pid\":50,\"comm\":\"falco*\",\"product\":\"Falco\",\"programs\":9,"
		    "\"tracing_programs\":8,\"program_names\":[]}]},"
		    "\"agent\":{\"given\":null,\"found_by\":\"x\",\"pid\":42}}");
	struct report_md_info in = { .host = host };
	char *md = report_md_render(&in);

	CHECK(strstr(md, "- Kernel taint: 12288 (O: externally-built (out-of-tree) module "
			 "loaded; E: unsigned module loaded)\n"));
	CHECK(strstr(md, "- Active LSMs: lockdown, bpf\n"));
	CHECK(strstr(md, "- edrdiag ran in a container: docker"));
	/* the agent is not its own competitor; a comm's markup is made inert */
	CHECK(strstr(md, "  - Falco: falco\\* (pid 50): 9 BPF programs, 8 of them tracing\n"));
	CHECK(!strstr(md, "edr-agent"));
	free(md);
	/* --template: no host facts, no such lines */
	in.host = NULL;
	md = report_md_render(&in);
	CHECK(!strstr(md, "Kernel taint") && !strstr(md, "Active LSMs"));
	free(md);
	json_decref(host);
}

/*
 * Hostile bytes from a bundle: no markup, no broken fence, valid UTF-8 whatever came in.
 * (Documents are JSON, valid UTF-8 by jansson's rules; the log is raw bytes.)
 */
static void hostile_text(void)
{
	json_t *ck = json_pack("{s:s, s:[{s:s, s:s, s:s, s:s, s:s}]}", "command", "check-kernel",
			       "results", "id", "a`b", "status", "fail", "title",
			       "[click](http://evil) <script>x</script>\nline2 \xc2\x85", "remedy",
			       "*bold* & `code`", "guide", "4.2\n# heading");
	struct report_md_info in = {
		.os = "<img src=x>",
		.agent = "a\x1b[31mred",
		.kernel_log = "BPF: Invalid ```\n~~~\nbpf: error \xc3\x28 \t tab\n",
		.log_source = "commands/dmesg.txt",
	};
	char *md;

	in.docs[REPORT_DOC_CHECK_KERNEL] = (struct report_md_doc){ "ck.json", ck };
	md = report_md_render(&in);
	CHECK(clean_utf8(md));
	CHECK(!strstr(md, "<script>"));
	CHECK(strstr(md, "- Operating system: \\<img src=x\\>\n"));
	CHECK(!strstr(md, "[click]("));
	CHECK(strstr(md, "\\[click\\](http://evil) \\<script\\>"));
	CHECK(strstr(md, "`` a`b `` (check-kernel)"));
	CHECK(strstr(md, "\\*bold\\* \\& \\`code\\`"));
	CHECK(!strstr(md, "\n# heading"));
	CHECK(strstr(md, "line2 \\xc2\\x85 "));
	CHECK(strstr(md, "a\\x1b\\[31mred"));
	/* the fence opens once and closes once: the log's backticks cannot close it */
	CHECK_INT(count(md, "```"), 2);
	CHECK(strstr(md, "    BPF: Invalid '''\n"));
	CHECK(strstr(md, "bpf: error \\xc3( \\x09 tab"));
	free(md);
	json_decref(ck);
}

/*
 * collect-report --object: each object's verdict and each refused program's cause; an object
 * whose document is missing says why; program names and causes are the object's: hostile.
 */
static void objects(void)
{
	json_t *good = doc("{\"command\": \"check-object\", \"status\": \"pass\", \"results\": [],"
			   " \"programs\": [{\"name\": \"on_exec\", \"verdict\": \"pass\"}]}");
	json_t *bad = doc("{\"command\": \"check-object\", \"status\": \"fail\", \"results\": [],"
			  " \"programs\": [{\"name\": \"x`<b>\", \"verdict\": \"fail\","
			  " \"cause\": \"verifier.null-check-missing\", \"stage\": \"load\"},"
			  " {\"name\": \"y\", \"verdict\": \"skip\"}]}");
	struct report_md_item items[] = {
		{ "commands/check-object-c.o.json", "check-object c.o", "timed_out", -1, NULL,
		  NULL },
	};
	struct report_md_object objs[] = {
		{ "a.o", "commands/check-object-a.o.json", good },
		{ "b.o", "commands/check-object-b.o.json", bad },
		{ "c.o", "commands/check-object-c.o.json", NULL },
	};
	struct report_md_info in = {
		.objects = objs, .nr_objects = 3, .items = items, .nr_items = 1
	};
	char *md = report_md_render(&in);

	CHECK(strstr(md, "- BPF object `a.o`: check-object says it loads here "
			 "(`commands/check-object-a.o.json`)\n  - program `on_exec`: pass\n"));
	CHECK(strstr(md, "- BPF object `b.o`: check-object says it does not load here"));
	CHECK(strstr(md, "  - program `` x`<b> ``: fail, cause `verifier.null-check-missing`, "
			 "stage load\n  - program `y`: skip\n"));
	CHECK(strstr(md, "- BPF object `c.o`: no verdict (`check-object c.o` timed out)\n"));
	/* after the findings, in the Diagnosis */
	CHECK(pos(md, "BPF object") > pos(md, "Diagnosis (edrdiag)"));
	CHECK(clean_utf8(md));
	free(md);
	json_decref(good);
	json_decref(bad);
}

/* A line longer than the cap is cut at a character boundary, never inside one. */
static void long_line_cut(void)
{
	char log[2 * REPORT_MD_MAX_LINE], *md;
	struct report_md_info in = { .kernel_log = log };
	size_t i;

	strcpy(log, "BPF: Invalid ");
	for (i = strlen(log); i + 3 < sizeof(log) - 1; i += 3)
		memcpy(log + i, "\xe4\xb8\xad", 3); /* 中 */
	log[i] = '\0';
	md = report_md_render(&in);
	CHECK(clean_utf8(md));
	CHECK(strstr(md, "\xe4\xb8\xad...\n"));
	free(md);
}

/*
 * The Chinese report through gettext, from po/zh_CN.po compiled by
 * msgfmt at build time: every heading in the guide's wording, no English heading left.
 */
static void chinese_catalogue(void)
{
	const char *dir = getenv("REPORT_MO_DIR");
	json_t *ck = doc(CK_DOC);
	struct report_md_info in = { .euid = 1000, .kernel_log = "[1] bpf: JIT enabled\n" };
	static const char *const zh[] = {
		"# eBPF 传感器问题报告",
		"**环境信息:**",
		"- 操作系统: ",
		"- 内核版本: ",
		"- Agent 版本: <",
		"**问题描述:**",
		"- 症状: <",
		"- 重现步骤: <",
		"- 预期行为: <",
		"- 实际行为: <",
		"**诊断结果 (edrdiag):**",
		"**日志和错误信息:**",
		"- 错误消息:",
		"- 相关日志: ",
		"**已尝试的解决方案:**",
		"(指南 1.1)",
		"- **[失败]** `sysctl.unprivileged_bpf_disabled`",
		"  - 解决方案: sysctl -w x=0",
		"> **收集时权限不足** (uid 1000)。",
		"`sudo edrdiag collect-report`",
		"1 行中没有与 BPF 相关的错误",
	};
	static const char *const en[] = {
		"Environment", "Symptoms",	 "guide",
		"Remedy",      "Error messages", "not part of this bundle"
	};
	char *md;
	size_t i;

	if (!dir) {
		check_skip("chinese_catalogue",
			   "REPORT_MO_DIR not set (msgfmt not found at build)");
		json_decref(ck);
		return;
	}
	in.docs[REPORT_DOC_CHECK_KERNEL] = (struct report_md_doc){ "ck.json", ck };
	/* C.UTF-8 is on every glibc host; LANGUAGE picks the catalogue without a zh locale */
	setenv("LANGUAGE", "zh_CN", 1);
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		check_skip("chinese_catalogue", "no C.UTF-8 locale");
		json_decref(ck);
		return;
	}
	bindtextdomain("edrdiag-report-test", dir);
	bind_textdomain_codeset("edrdiag-report-test", "UTF-8");
	textdomain("edrdiag-report-test");
	md = report_md_render(&in);
	for (i = 0; i < ARRAY_SIZE(zh); i++)
		if (!strstr(md, zh[i])) {
			printf("#   missing: %s\n", zh[i]);
			CHECK(0);
		}
	for (i = 0; i < ARRAY_SIZE(en); i++)
		if (strstr(md, en[i])) {
			printf("#   English left: %s\n", en[i]);
			CHECK(0);
		}
	/* ids, titles from the documents and paths stay as they are */
	CHECK(strstr(md, "`kconfig.CONFIG_KPROBES` (check-kernel): CONFIG_KPROBES missing"));
	CHECK(clean_utf8(md));
	free(md);
	setlocale(LC_ALL, "C");
	unsetenv("LANGUAGE");
	json_decref(ck);
	check_done("chinese_catalogue");
}

int main(void)
{
	RUN(diagnosis_worst_first);
	RUN(error_line_classifier);
	RUN(kernel_log_errors);
	RUN(failed_log_no_conclusion);
	RUN(missing_documents);
	RUN(nonroot_banner);
	RUN(rerun_quoting);
	RUN(capping);
	RUN(selftest_errors);
	RUN(agent_usage);
	RUN(host_facts);
	RUN(hostile_text);
	RUN(objects);
	RUN(long_line_cut);
	chinese_catalogue();
	return check_finish();
}
