// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The manifest reader: what bundle_manifest() writes reads back, every malformed manifest is
 * refused with an error naming the member at fault, and the root.bundle check tells a bundle
 * as collected from one changed since.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "check.h"
#include "finding.h"
#include "manifest.h"
#include "sha256.h"
#include "sysroot.h"
#include "text.h"
#include "util.h"

#define SHA_ABC	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* A one-item manifest with that item's members as given. */
#define ONE(item) "{\"items\": [" item "]}"
#define OK_ITEM                                                                                  \
	"{\"path\": \"proc/version\", \"collected\": true, \"bytes\": 3, \"sha256\": \"" SHA_ABC \
	"\"}"

static int parse(const char *text, struct manifest *m, char *err, size_t errlen)
{
	return manifest_parse(text, strlen(text), m, err, errlen);
}

static void valid_manifests(void)
{
	/* clang-format off */
	static const struct {
		const char *text;
		size_t nr;
		const char *path0;	/* first item's path, or NULL */
		long long bytes0;
		const char *why0;
	} cases[] = {
		{ "{\"items\": []}", 0, NULL, 0, NULL },
		{ ONE(OK_ITEM), 1, "proc/version", 3, NULL },
		/* not collected: bytes and sha256 are null, or absent, and not looked at */
		{ ONE("{\"path\": \"sys/kernel/btf/vmlinux\", \"collected\": false, \"bytes\": null,"
		      " \"sha256\": null, \"why\": \"permission denied\"}"),
		  1, "sys/kernel/btf/vmlinux", -1, "permission denied" },
		{ ONE("{\"path\": \"commands/x.json\", \"collected\": false, \"sha256\": \"nope\","
		      " \"bytes\": -4}"),
		  1, "commands/x.json", -1, NULL },
		/* a newer edrdiag's members, at the top and in items, are accepted */
		{ "{\"format\": 2, \"items\": [{\"path\": \"a\", \"collected\": true, \"bytes\": 0,"
		  " \"sha256\": \"" SHA_EMPTY "\", \"mode\": \"0644\", \"why\": null}],"
		  " \"signature\": {\"alg\": \"x\"}}",
		  1, "a", 0, NULL },
		/* names with dots that are not "." or ".." components */
		{ ONE("{\"path\": \"etc/.hidden/..x/x..\", \"collected\": false}"),
		  1, "etc/.hidden/..x/x..", -1, NULL },
		{ ONE("{\"path\": \"\\u00e9t\\u00e9/x\", \"collected\": false}"),
		  1, "\xc3\xa9t\xc3\xa9/x", -1, NULL },
		{ "{\"items\": [{\"path\": \"a\", \"collected\": false},"
		  " {\"path\": \"a/b\", \"collected\": false}, {\"path\": \"b\", \"collected\": false}]}",
		  3, "a", -1, NULL },
		{ " \n\t{\"items\":[" OK_ITEM "]} \n", 1, "proc/version", 3, NULL },
	};
	/* clang-format on */
	struct manifest m;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int failed = check_case_failed;

		check_case_failed = 0;
		err[0] = 'x';
		CHECK_INT(parse(cases[i].text, &m, err, sizeof(err)), 0);
		CHECK_STR(err, "");
		CHECK_INT(m.nr, cases[i].nr);
		if (cases[i].path0 && m.nr) {
			CHECK_STR(m.items[0].path, cases[i].path0);
			CHECK_INT(m.items[0].bytes, cases[i].bytes0);
			if (cases[i].why0)
				CHECK_STR(m.items[0].why, cases[i].why0);
			else
				CHECK(!m.items[0].why);
			if (!m.items[0].collected)
				CHECK_STR(m.items[0].sha256, "");
		}
		if (check_case_failed)
			printf("#   case %zu: %s\n#   error: %s\n", i, cases[i].text, err);
		check_case_failed |= failed;
		manifest_free(&m);
	}
}

/*
 * The error is exactly want; or, where want has a '*', starts with what is before it and
 * holds what is after it (jansson's own words follow its position, which is its business).
 */
static bool err_matches(const char *err, const char *want)
{
	const char *star = strchr(want, '*');

	if (!star)
		return !strcmp(err, want);
	return !strncmp(err, want, (size_t)(star - want)) && strstr(err, star + 1);
}

static void invalid_manifests(void)
{
	/* clang-format off */
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "", "not JSON: line 1 column *'[' or '{' expected" },
		{ "{\"items\": [}", "not JSON: line 1 column *unexpected token near '}'" },
		{ "{\"items\": []}\n{}", "not JSON: line 2 column *end of file expected" },
		{ "[]", "not a JSON object at the top" },
		{ "{}", "items: missing" },
		{ "{\"items\": {}}", "items: not an array" },
		{ "{\"items\": [], \"items\": []}",
		  "not JSON: line 1 column *duplicate object key near '\"items\"'" },
		{ "{\"items\": [], \"name\": 7}", "name: not a string" },
		{ "{\"items\": [], \"edrdiag\": [\"0.1\"]}", "edrdiag: not a string" },
		{ ONE("3"), "items[0]: not an object" },
		{ "{\"items\": [" OK_ITEM ", null]}", "items[1]: not an object" },
		{ ONE("{\"collected\": false}"), "items[0].path: missing" },
		{ ONE("{\"path\": 1, \"collected\": false}"), "items[0].path: not a string" },
		{ ONE("{\"path\": \"\", \"collected\": false}"), "items[0].path: empty" },
		{ ONE("{\"path\": \"/etc/x\", \"collected\": false}"),
		  "items[0].path '/etc/x': absolute, expected a path inside the bundle" },
		{ ONE("{\"path\": \"../etc/x\", \"collected\": false}"),
		  "items[0].path '../etc/x': escapes the bundle" },
		{ ONE("{\"path\": \"etc/../../x\", \"collected\": false}"),
		  "items[0].path 'etc/../../x': escapes the bundle" },
		{ ONE("{\"path\": \"etc/..\", \"collected\": false}"),
		  "items[0].path 'etc/..': escapes the bundle" },
		{ ONE("{\"path\": \"./etc/x\", \"collected\": false}"),
		  "items[0].path './etc/x': not a plain relative path (a '.' or empty component)" },
		{ ONE("{\"path\": \"etc//x\", \"collected\": false}"),
		  "items[0].path 'etc//x': not a plain relative path (a '.' or empty component)" },
		{ ONE("{\"path\": \"etc/x/\", \"collected\": false}"),
		  "items[0].path 'etc/x/': not a plain relative path (a '.' or empty component)" },
		{ ONE("{\"path\": \"etc/\\u001b[2Jx\", \"collected\": false}"),
		  "items[0].path: contains a control character" },
		{ ONE("{\"path\": \"etc/\\u009bx\", \"collected\": false}"),
		  "items[0].path: contains a control character" },
		{ ONE("{\"path\": \"etc/\\u0000x\", \"collected\": false}"),
		  "not JSON: line 1 column *\\u0000 is not allowed" },
		{ ONE("{\"path\": \"a\"}"), "items[0].collected: missing" },
		{ ONE("{\"path\": \"a\", \"collected\": 1}"), "items[0].collected: not true or false" },
		{ ONE("{\"path\": \"a\", \"collected\": \"true\"}"),
		  "items[0].collected: not true or false" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"sha256\": \"" SHA_ABC "\"}"),
		  "items[0].bytes: missing" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": -1, \"sha256\": \"" SHA_ABC "\"}"),
		  "items[0].bytes: not a non-negative integer" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3.0, \"sha256\": \"" SHA_ABC "\"}"),
		  "items[0].bytes: not a non-negative integer" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": \"3\", \"sha256\": \"" SHA_ABC "\"}"),
		  "items[0].bytes: not a non-negative integer" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": null, \"sha256\": \"" SHA_ABC "\"}"),
		  "items[0].bytes: not a non-negative integer" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 99999999999999999999}"),
		  "not JSON: line 1 column *too big integer" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3}"), "items[0].sha256: missing" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3, \"sha256\": null}"),
		  "items[0].sha256: not a string" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3, \"sha256\": \"abc\"}"),
		  "items[0].sha256: not 64 hex digits" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3, \"sha256\": \"" SHA_ABC "0\"}"),
		  "items[0].sha256: not 64 hex digits" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3, \"sha256\": "
		      "\"ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}"),
		  "items[0].sha256: not 64 hex digits" },
		{ ONE("{\"path\": \"a\", \"collected\": true, \"bytes\": 3, \"sha256\": "
		      "\"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD\"}"),
		  "items[0].sha256: not 64 hex digits in lowercase" },
		{ ONE("{\"path\": \"a\", \"collected\": false, \"why\": 13}"),
		  "items[0].why: not a string" },
		{ ONE("{\"path\": \"a\", \"collected\": false, \"kind\": {}}"),
		  "items[0].kind: not a string" },
		{ ONE("{\"path\": \"a\", \"collected\": false, \"truncated\": \"no\"}"),
		  "items[0].truncated: not true or false" },
		{ ONE("{\"path\": \"a\", \"collected\": false, \"path\": \"b\"}"),
		  "not JSON: line 1 column *duplicate object key near '\"path\"'" },
		{ "{\"items\": [{\"path\": \"b\", \"collected\": false}, " OK_ITEM ","
		  " {\"path\": \"b\", \"collected\": false}]}",
		  "items[2].path 'b': listed twice (also items[0])" },
		/* the fourth item: the index names the one at fault */
		{ "{\"items\": [" OK_ITEM ", {\"path\": \"b\", \"collected\": false},"
		  " {\"path\": \"c\", \"collected\": false},"
		  " {\"path\": \"d\", \"collected\": true, \"bytes\": 1, \"sha256\": \"x\"}]}",
		  "items[3].sha256: not 64 hex digits" },
	};
	/* clang-format on */
	struct manifest m;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int failed = check_case_failed;

		check_case_failed = 0;
		memset(&m, 0xa5, sizeof(m));
		CHECK_INT(parse(cases[i].text, &m, err, sizeof(err)), -EINVAL);
		CHECK(err_matches(err, cases[i].err));
		/* left empty: manifest_free() on it is harmless, nothing leaks */
		CHECK(!m.items && !m.nr && !m.name && !m.edrdiag);
		if (check_case_failed)
			printf("#   case %zu: %s\n#   error: %s\n", i, cases[i].text, err);
		check_case_failed |= failed;
		manifest_free(&m);
	}
}

/* What collect-report writes is what the reader accepts, item for item. */
static void reads_what_bundle_writes(void)
{
	struct manifest m;
	struct bundle b;
	char err[256], *text;
	json_t *doc;
	size_t i;

	bundle_init(&b, 5, 1 << 20, 60);
	bundle_add_data(&b, "/proc/version", "proc/version", "abc", 3);
	bundle_add_data(&b, "t", "etc/empty", "", 0);
	bundle_add_missing(&b, BUNDLE_FILE, "/sys/kernel/btf/vmlinux", "sys/kernel/btf/vmlinux",
			   "permission denied");
	bundle_add_missing(&b, BUNDLE_COMMAND, "bpftool -j prog list",
			   "commands/bpftool-prog-list.json", "missing binary: bpftool");
	bundle_hash(&b);
	doc = bundle_manifest(&b, NULL);
	json_object_set_new(doc, "edrdiag", json_string("0.1.0"));
	json_object_set_new(doc, "name", json_string("edrdiag-report-h-20260101T000000Z"));
	text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	CHECK_INT(parse(text, &m, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(m.nr, b.nr);
	CHECK_STR(m.edrdiag, "0.1.0");
	CHECK_STR(m.name, "edrdiag-report-h-20260101T000000Z");
	for (i = 0; i < m.nr && i < b.nr; i++) {
		CHECK_STR(m.items[i].path, b.items[i].path);
		CHECK_STR(m.items[i].source, b.items[i].source);
		CHECK_INT(m.items[i].collected, b.items[i].collected);
		CHECK_STR(m.items[i].sha256, b.items[i].collected ? b.items[i].sha256 : "");
		CHECK_INT(m.items[i].bytes, b.items[i].collected ? (long long)b.items[i].len : -1);
	}
	CHECK_STR(m.items[0].sha256, SHA_ABC);
	CHECK_STR(m.items[0].kind, "generated");
	CHECK_STR(m.items[2].why, "permission denied");
	CHECK_STR(m.items[2].kind, "file");
	CHECK_STR(m.items[3].kind, "command");
	manifest_free(&m);
	free(text);
	json_decref(doc);
	bundle_free(&b);
}

/* The text is len bytes, not a C string: nothing past len is read, a NUL inside is data. */
static void length_not_nul(void)
{
	static const char text[] = "{\"items\": []}GARBAGE";
	static const char nul[] = "{\"items\": []}\0{}";
	struct manifest m;
	char err[256];
	char *heap;

	CHECK_INT(manifest_parse(text, 13, &m, err, sizeof(err)), 0);
	manifest_free(&m);
	CHECK_INT(manifest_parse(text, sizeof(text) - 1, &m, err, sizeof(err)), -EINVAL);
	CHECK(!strncmp(err, "not JSON: line 1 column ", 24));
	CHECK_INT(manifest_parse(nul, sizeof(nul) - 1, &m, err, sizeof(err)), -EINVAL);
	CHECK(!strncmp(err, "not JSON: ", 10));
	/* exactly sized on the heap, so that a read past the end is a sanitizer report */
	heap = util_xmalloc(13);
	memcpy(heap, text, 13);
	CHECK_INT(manifest_parse(heap, 13, &m, err, sizeof(err)), 0);
	manifest_free(&m);
	free(heap);
	CHECK_INT(manifest_parse(NULL, 0, &m, err, sizeof(err)), -EINVAL);
	CHECK_INT(manifest_parse(NULL, 5, &m, err, sizeof(err)), -EINVAL);
}

/*
 * True when s holds no control and no broken UTF-8, told by text_printable (not by
 * text_scrub, which made the message): it keeps such a string as it is, a backslash doubled.
 */
static bool clean_text(const char *s)
{
	char *p = text_printable(s);
	const char *a = s, *b = p;
	bool same;

	while (*a && *b == *a && (*a != '\\' || *++b == '\\'))
		a++, b++;
	same = !*a && !*b;
	free(p);
	return same;
}

/* Messages hold no control or broken UTF-8 whatever the input; a short or absent buffer is fine. */
static void hostile_text(void)
{
	static const char bin[] = "{\"items\": [\x01\xff\xfe\x1b[31m]}";
	struct manifest m;
	char err[256], tiny[8];
	char *deep;
	size_t n = 100000;

	CHECK_INT(manifest_parse(bin, sizeof(bin) - 1, &m, err, sizeof(err)), -EINVAL);
	CHECK(clean_text(err));
	CHECK_INT(manifest_parse(bin, sizeof(bin) - 1, &m, tiny, sizeof(tiny)), -EINVAL);
	CHECK_STR(tiny, "not JSO");
	CHECK_INT(manifest_parse(bin, sizeof(bin) - 1, &m, NULL, 0), -EINVAL);
	CHECK_INT(parse(ONE("{\"path\": \"../x\", \"collected\": false}"), &m, NULL, 0), -EINVAL);

	/* nesting far past any stack: jansson's depth limit, not a crash */
	deep = util_xmalloc(2 * n + 1);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	CHECK_INT(manifest_parse(deep, 2 * n, &m, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "maximum parsing depth") != NULL);
	free(deep);

	/* a long path is clipped in the message, and one past PATH_MAX refused */
	deep = util_xmalloc(5000 + 64);
	strcpy(deep, "{\"items\": [{\"collected\": false, \"path\": \"../");
	n = strlen(deep);
	memset(deep + n, 'a', 4500);
	strcpy(deep + n + 4500, "\"}]}");
	CHECK_INT(parse(deep, &m, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "items[0].path: longer than 4095 bytes");
	memcpy(deep + n + 100, "\"}]}", 5);
	CHECK_INT(parse(deep, &m, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "...': escapes the bundle") && strlen(err) < 120);
	/* UTF-8 is kept; the clip at 64 bytes cuts a character, whose bytes become '?' */
	memcpy(deep + n, "\xc3\xa9", 2);
	CHECK_INT(parse(deep, &m, err, sizeof(err)), -EINVAL);
	CHECK(!strncmp(err, "items[0].path '../\xc3\xa9", 20) && clean_text(err));
	memset(deep + n, 'a', 2);
	memcpy(deep + n + 60, "\xc3\xa9\xc3\xa9", 4);
	CHECK_INT(parse(deep, &m, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "aa?...': escapes the bundle") && clean_text(err));
	free(deep);

	/* control characters in text shown to the engineer become '?' */
	CHECK_INT(parse("{\"name\": \"n\\u001b]0;pwned\\u0007\", \"items\": [{\"path\": \"a\","
			" \"collected\": false, \"why\": \"x\\ny\\u0085z\"}]}",
			&m, err, sizeof(err)),
		  0);
	CHECK_STR(m.name, "n?]0;pwned?");
	CHECK_STR(m.items[0].why, "x?y??z");
	manifest_free(&m);
	manifest_free(NULL);
}

/* A bundle-shaped tree under a temporary root, checked as check-kernel --root would. */
static char root[64];

static const struct finding *check_root(struct report *r)
{
	report_free(r);
	report_init(r, "test");
	CHECK_INT(sysroot_set(root), 0);
	manifest_check_root(r);
	sysroot_set(NULL);
	return report_find(r, "root.bundle");
}

static void check_root_tree(void)
{
	static const char manifest[] =
		"{\"name\": \"b1\", \"edrdiag\": \"0.1.0\", \"items\": ["
		"{\"path\": \"proc/version\", \"kind\": \"file\", \"collected\": true, \"bytes\": "
		"3,"
		" \"sha256\": \"" SHA_ABC "\"},"
		"{\"path\": \"proc/sys/kernel/osrelease\", \"kind\": \"file\", \"collected\": true,"
		" \"bytes\": 0, \"sha256\": \"" SHA_EMPTY "\"},"
		"{\"path\": \"sys/kernel/security/lockdown\", \"kind\": \"file\", \"collected\": "
		"false,"
		" \"why\": \"absent on this host\"},"
		"{\"path\": \"commands/bpftool.json\", \"kind\": \"command\", \"collected\": false,"
		" \"why\": \"missing binary: bpftool\"}]}";
	const struct finding *f;
	struct report r;
	char p[256], *cmd;

	snprintf(root, sizeof(root), "/tmp/edrdiag-test-manifest.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	report_init(&r, "test");

	/* no manifest: a plain sysroot, no finding */
	CHECK(check_root(&r) == NULL);
	CHECK(!json_object_get(r.extra, "bundle"));

	snprintf(p, sizeof(p), "%s/proc", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/proc/sys", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/proc/sys/kernel", root);
	mkdir(p, 0755);
	check_put(root, "proc/version", "abc");
	check_put(root, "proc/sys/kernel/osrelease", "");
	check_put(root, "manifest.json", manifest);
	check_put(root, "notes.txt",
		  "the engineer's own file at the top: not the host's, not flagged");
	f = check_root(&r);
	CHECK(f && f->status == ST_PASS);
	CHECK(f && !strcmp(f->title, "bundle b1 from edrdiag 0.1.0: 2 files match the manifest"));
	/* an absence is replayed as it was: nothing lost, nothing to say */
	CHECK(f && !strstr(f->detail, "lockdown"));
	CHECK(f && strstr(f->detail, "commands/bpftool.json (missing binary: bpftool)"));
	CHECK_INT(
		json_integer_value(json_object_get(json_object_get(r.extra, "bundle"), "matched")),
		2);

	/* one byte changed, same size */
	check_put(root, "proc/version", "abd");
	f = check_root(&r);
	CHECK(f && f->status == ST_FAIL);
	CHECK(f && strstr(f->detail, "proc/version (sha256 differs)"));
	CHECK_INT(report_exit_code(&r), 1);

	/* the file replaced by a link to the engineer's own machine */
	snprintf(p, sizeof(p), "%s/proc/version", root);
	unlink(p);
	CHECK_INT(symlink("/proc/version", p), 0);
	f = check_root(&r);
	CHECK(f && f->status == ST_FAIL);
	CHECK(f && strstr(f->detail, "proc/version (a symbolic link where a file was collected)"));
	unlink(p);
	f = check_root(&r);
	CHECK(f && strstr(f->detail, "proc/version (missing)"));
	check_put(root, "proc/version", "abc");

	/* a file and a directory the host did not have, added to the tree */
	check_put(root, "proc/sys/kernel/unprivileged_bpf_disabled", "0");
	snprintf(p, sizeof(p), "%s/boot", root);
	mkdir(p, 0755);
	f = check_root(&r);
	CHECK(f && f->status == ST_FAIL);
	CHECK(f && strstr(f->title, "2 files added"));
	CHECK(f && strstr(f->detail, "boot/"));
	CHECK(f && strstr(f->detail, "proc/sys/kernel/unprivileged_bpf_disabled"));
	rmdir(p);
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/unprivileged_bpf_disabled", root);
	unlink(p);

	/* not collected for want of permission: the replay lacks what the host had */
	check_put(root, "manifest.json",
		  "{\"items\": [{\"path\": \"sys/kernel/btf/vmlinux\", \"collected\": false,"
		  " \"why\": \"permission denied\"}, {\"path\": \"proc/version\", \"collected\": "
		  "true,"
		  " \"bytes\": 3, \"sha256\": \"" SHA_ABC
		  "\"}, {\"path\": \"proc/sys/kernel/osrelease\","
		  " \"collected\": true, \"bytes\": 0, \"sha256\": \"" SHA_EMPTY "\"}]}");
	f = check_root(&r);
	CHECK(f && f->status == ST_WARN);
	CHECK(f &&
	      strstr(f->detail,
		     "not collected on the host: /sys/kernel/btf/vmlinux (permission denied)"));
	CHECK_INT(report_exit_code(&r), 0);

	/* a damaged manifest: fail, with the parser's words */
	check_put(root, "manifest.json", "{\"items\": [");
	f = check_root(&r);
	CHECK(f && f->status == ST_FAIL);
	CHECK(f && strstr(f->detail, "manifest.json: not JSON: line 1 column 11"));

	/* a FIFO for a manifest fails at once instead of blocking the replay */
	snprintf(p, sizeof(p), "%s/manifest.json", root);
	unlink(p);
	CHECK_INT(mkfifo(p, 0600), 0);
	f = check_root(&r);
	CHECK(f && f->status == ST_FAIL && strstr(f->title, "not a file"));

	report_free(&r);
	cmd = util_fmt("rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	free(cmd);
}

int main(void)
{
	RUN(valid_manifests);
	RUN(invalid_manifests);
	RUN(reads_what_bundle_writes);
	RUN(length_not_nul);
	RUN(hostile_text);
	RUN(check_root_tree);
	return check_finish();
}
