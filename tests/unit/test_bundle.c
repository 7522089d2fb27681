// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* collect-report's pure parts: SHA-256, redaction, the manifest, the filled template. */
#include <stdlib.h>

#include "bundle.h"
#include "check.h"
#include "redact.h"
#include "report_md.h"
#include "sha256.h"

static void sha256_vectors(void)
{
	/* FIPS 180-4 examples and NIST's long message, plus block-boundary lengths */
	/* clang-format off */
	static const struct {
		const char *in;
		const char *hex;
	} cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	/* clang-format on */
	char hex[65];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sha256_hex(cases[i].in, strlen(cases[i].in), hex);
		CHECK_STR(hex, cases[i].hex);
	}
}

static void sha256_million_a(void)
{
	unsigned char d[32];
	struct sha256 s;
	char chunk[1000], hex[65];
	int i;

	/* a million 'a' fed in odd-sized pieces: the buffering across calls is what's tested */
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&s);
	for (i = 0; i < 1000; i++) {
		sha256_update(&s, chunk, 333);
		sha256_update(&s, chunk, 667);
	}
	sha256_final(&s, d);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static char *red(struct redact *r, const char *in)
{
	size_t n;

	return redact_text(r, in, strlen(in), &n);
}

static void redaction_rules(void)
{
	/* clang-format off */
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Linux web01 6.1.0 #1", "Linux host-2 6.1.0 #1" },
		{ "WEB01.example.com up", "host-1 up" },
		{ "kvm web01x vmweb01", "kvm web01x vmweb01" },
		{ "from 10.1.2.3 and 10.1.2.3, then 192.168.0.1.", "from ip-1 and ip-1, then ip-2." },
		{ "lo 127.0.0.1 any 0.0.0.0 ver 1.2.3.4.5 6.18.44", "lo 127.0.0.1 any 0.0.0.0 ver "
								     "1.2.3.4.5 6.18.44" },
		{ "inet6 fe80::1ff:fe23:4567:890a/64 lo ::1", "inet6 ip-3/64 lo ::1" },
		{ "[2001:db8::7]:22 at 12:34:56", "[ip-4]:22 at 12:34:56" },
		{ "ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff", "ether mac-1 brd ff:ff:ff:ff:ff:ff" },
		{ "/home/alice/x alice_b alice", "/home/user-1/x alice_b user-1" },
		{ "sched:sched_process_exec", "sched:sched_process_exec" },
	};
	/* clang-format on */
	struct redact r;
	size_t i;

	redact_init(&r);
	redact_add_word(&r, REDACT_HOST, "web01.example.com");
	redact_add_word(&r, REDACT_HOST, "web01");
	redact_add_word(&r, REDACT_USER, "alice");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *o = red(&r, cases[i].in);

		CHECK_STR(o, cases[i].out);
		free(o);
	}
	CHECK_INT(r.count[REDACT_HOST], 2);
	CHECK_INT(r.count[REDACT_IPV4], 3);
	CHECK_INT(r.count[REDACT_IPV6], 2);
	CHECK_INT(r.count[REDACT_MAC], 1);
	CHECK_INT(r.count[REDACT_USER], 2);
	redact_free(&r);
}

static void manifest_json(void)
{
	struct bundle b;
	struct redact r;
	json_t *m, *it;
	const char *s;

	bundle_init(&b, 5, 1 << 20, 60);
	redact_init(&r);
	bundle_add_data(&b, "test", "report.md", "abc", 3);
	bundle_add_missing(&b, BUNDLE_COMMAND, "bpftool -j prog list",
			   "commands/bpftool-prog-list.json", "missing binary: bpftool not found");
	r.count[REDACT_IPV4] = 7;
	bundle_hash(&b);
	m = bundle_manifest(&b, &r);
	CHECK_INT(json_array_size(json_object_get(m, "items")), 2);
	it = json_array_get(json_object_get(m, "items"), 0);
	CHECK_STR(json_string_value(json_object_get(it, "sha256")),
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(json_integer_value(json_object_get(it, "bytes")), 3);
	CHECK(json_is_true(json_object_get(it, "collected")));
	it = json_array_get(json_object_get(m, "items"), 1);
	CHECK(json_is_false(json_object_get(it, "collected")));
	CHECK(json_is_null(json_object_get(it, "sha256")));
	s = json_string_value(json_object_get(it, "why"));
	CHECK(s && strstr(s, "missing binary"));
	CHECK_INT(json_integer_value(json_object_get(json_object_get(m, "redactions"), "ipv4")), 7);
	json_decref(m);
	redact_free(&r);
	bundle_free(&b);
}

static void redact_skips_binary(void)
{
	static const char gz[] = "\x1f\x8b vm 10.0.0.1", nul[] = "vm\0 10.0.0.1";
	const struct bundle_item *it;
	struct bundle b;
	struct redact r;

	bundle_init(&b, 5, 1 << 20, 60);
	redact_init(&r);
	redact_add_word(&r, REDACT_HOST, "vm");
	bundle_add_data(&b, "t", "proc/config.gz", gz, sizeof(gz) - 1);
	bundle_add_data(&b, "t", "bin", nul, sizeof(nul) - 1);
	bundle_add_data(&b, "t", "text", "vm 10.0.0.1", 11);
	bundle_redact(&b, &r);
	it = bundle_find(&b, "proc/config.gz");
	CHECK(it->len == sizeof(gz) - 1 && !memcmp(it->data, gz, it->len));
	CHECK_STR(it->note, "binary: not redacted");
	it = bundle_find(&b, "bin");
	CHECK(it->len == sizeof(nul) - 1 && !memcmp(it->data, nul, it->len));
	CHECK_STR(bundle_find(&b, "text")->data, "host-1 ip-1");
	CHECK_INT(r.count[REDACT_HOST], 1);
	redact_free(&r);
	bundle_free(&b);
}

static void command_timeout(void)
{
	char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; sleep 30", NULL };
	char *missing[] = { "edrdiag-no-such-binary", NULL };
	const struct bundle_item *it;
	struct bundle b;
	double t0;

	bundle_init(&b, 1, 1 << 20, 60);
	t0 = bundle_now();
	bundle_add_command(&b, argv, "commands/sh.txt", false);
	CHECK(bundle_now() - t0 < 3);
	it = bundle_find(&b, "commands/sh.txt");
	CHECK(it && it->timed_out && it->collected);
	CHECK(it && !strcmp(it->data, "out\n"));
	it = bundle_find(&b, "commands/sh.txt.stderr");
	CHECK(it && !strcmp(it->data, "err\n"));
	it = bundle_add_command(&b, missing, "commands/x.txt", true);
	CHECK(!it->collected && strstr(it->why, "missing binary"));
	bundle_free(&b);
}

static void template_sections(void)
{
	static const char *const en[] = { "**Environment:**", "**Problem description:**",
					  "**Logs and error messages:**",
					  "**Solutions already tried:**", "Steps to reproduce" };
	static const char *const zh[] = {
		"**环境信息:**",	 "**问题描述:**", "**日志和错误信息:**",
		"**已尝试的解决方案:**", "重现步骤",	  "Agent 版本"
	};
	json_t *ck = json_loads("{\"command\":\"check-kernel\",\"results\":[{\"id\":\"a.b\","
				"\"status\":\"fail\",\"title\":\"broken\",\"guide\":\"1.1\"}]}",
				0, NULL);
	struct report_md_info in = { .os = "Debian",
				     .kernel = "6.1.0",
				     .kernel_log = "x\n[1] bpf: oops\ny\n",
				     .checks = { ck } };
	char *md;
	size_t i;

	md = report_md_render(&in);
	for (i = 0; i < sizeof(en) / sizeof(en[0]); i++)
		CHECK(strstr(md, en[i]));
	CHECK(strstr(md, "[fail] check-kernel `a.b`: broken"));
	CHECK(strstr(md, "[1] bpf: oops"));
	CHECK(!strstr(md, "\ny\n"));
	free(md);
	in.lang = REPORT_ZH;
	md = report_md_render(&in);
	for (i = 0; i < sizeof(zh) / sizeof(zh[0]); i++)
		CHECK(strstr(md, zh[i]));
	free(md);
	json_decref(ck);
}

int main(void)
{
	RUN(sha256_vectors);
	RUN(sha256_million_a);
	RUN(redaction_rules);
	RUN(manifest_json);
	RUN(redact_skips_binary);
	RUN(command_timeout);
	RUN(template_sections);
	return check_finish();
}
