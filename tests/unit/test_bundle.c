// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* collect-report's pure parts: SHA-256, redaction, the manifest, the filled template. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "check.h"
#include "manifest.h"
#include "redact.h"
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
	CHECK(it && it->status == BUNDLE_TIMED_OUT && it->exit_status == 128 + SIGKILL);
	CHECK(it && !strcmp(it->data, "out\n"));
	it = bundle_find(&b, "commands/sh.txt.stderr");
	CHECK(it && !strcmp(it->data, "err\n"));
	it = bundle_add_command(&b, missing, "commands/x.txt", true);
	CHECK(!it->collected && strstr(it->why, "missing binary"));
	CHECK_INT(it->status, BUNDLE_MISSING_TOOL);
	bundle_free(&b);
}

/* Exit codes and stderr, told apart: success, failure, permission, edrdiag's own 1. */
static void command_status(void)
{
	char *ok[] = { "/bin/sh", "-c", "echo fine", NULL };
	char *bad[] = { "/bin/sh", "-c", "echo partial; printf 'tool: broke\\nmore\\n' >&2; exit 2",
			NULL };
	char *perm[] = { "/bin/sh", "-c",
			 "echo 'dmesg: read failed: Operation not permitted'; exit 1", NULL };
	char *bpftool[] = { "/bin/sh", "-c",
			    "printf '[{\"error\":\"can\\047t get next program: Operation not "
			    "permitted\"}]\\n'; exit 255",
			    NULL };
	const struct bundle_item *it;
	size_t n[BUNDLE_STATUS_NR];
	struct bundle b;

	bundle_init(&b, 5, 1 << 20, 60);
	it = bundle_add_command(&b, ok, "ok", false);
	CHECK_INT(it->status, BUNDLE_COLLECTED);
	CHECK_INT(it->exit_status, 0);
	CHECK(!it->stderr_line && !it->why);
	it = bundle_add_command(&b, bad, "bad", false);
	CHECK_INT(it->status, BUNDLE_FAILED);
	CHECK_INT(it->exit_status, 2);
	CHECK(it->collected && !strcmp(it->data, "partial\n"));
	CHECK_STR(it->stderr_line, "tool: broke");
	CHECK_STR(it->why, "exit status 2: tool: broke");
	CHECK(bundle_find(&b, "bad.stderr") && bundle_find(&b, "bad.stderr")->collected);
	it = bundle_add_command(&b, perm, "perm", true);
	CHECK_INT(it->status, BUNDLE_DENIED);
	CHECK_STR(it->stderr_line, "dmesg: read failed: Operation not permitted");
	it = bundle_add_command(&b, bpftool, "bpftool", false);
	CHECK_INT(it->status, BUNDLE_DENIED);
	CHECK_STR(it->stderr_line, "can't get next program: Operation not permitted");
	bundle_count(&b, n);
	CHECK_INT(n[BUNDLE_COLLECTED], 2); /* ok, bad.stderr */
	CHECK_INT(n[BUNDLE_FAILED], 1);
	CHECK_INT(n[BUNDLE_DENIED], 2);
	bundle_free(&b);
}

/* The run's deadline skips what comes after it; an item's own timeout outranks the bundle's. */
static void command_own_timeout(void)
{
	char *slow[] = { "/bin/sh", "-c", "sleep 0.6; echo done", NULL };
	const struct bundle_item *it;
	struct bundle b;

	bundle_init(&b, 0.2, 1 << 20, 60);
	it = bundle_run_command(&b, slow, "bounded", 0, 0);
	CHECK_INT(it->status, BUNDLE_TIMED_OUT);
	it = bundle_run_command(&b, slow, "window", 0, 3);
	CHECK_INT(it->status, BUNDLE_COLLECTED);
	CHECK_STR(it->data, "done\n");
	b.deadline = bundle_now() - 1;
	it = bundle_run_command(&b, slow, "late", 0, 3);
	CHECK_INT(it->status, BUNDLE_SKIPPED);
	CHECK(!it->collected);
	bundle_free(&b);
}

static int progress_calls;

static void count_progress(const struct bundle_item *it, void *arg)
{
	(void)it;
	(void)arg;
	progress_calls++;
}

/* Background jobs run alongside the rest and land in the order started. */
static void jobs_concurrent(void)
{
	char *a[] = { "/bin/sh", "-c", "sleep 0.5; echo a", NULL };
	char *bb[] = { "/bin/sh", "-c", "sleep 0.3; echo b >&2; echo b", NULL };
	char *c[] = { "/bin/sh", "-c", "sleep 0.5; echo c", NULL };
	char *hang[] = { "/bin/sh", "-c", "echo h; sleep 30", NULL };
	struct bundle b;
	double t0;

	bundle_init(&b, 5, 1 << 20, 60);
	b.progress = count_progress;
	progress_calls = 0;
	t0 = bundle_now();
	CHECK(bundle_start_command(&b, a, "a", BUNDLE_MERGE, 0) != NULL);
	CHECK(bundle_start_command(&b, bb, "b", 0, 0) != NULL);
	CHECK(bundle_start_command(&b, hang, "hang", BUNDLE_MERGE, 0.8) != NULL);
	bundle_add_command(&b, c, "c", true);
	bundle_add_data(&b, "t", "d", "x", 1);
	bundle_wait_jobs(&b);
	/* one after the other would be 2.1 s or more */
	CHECK(bundle_now() - t0 < 1.6);
	CHECK_INT(b.nr, 6);
	if (b.nr == 6) {
		CHECK_STR(b.items[0].path, "c");
		CHECK_STR(b.items[1].path, "d");
		CHECK_STR(b.items[2].path, "a");
		CHECK_STR(b.items[3].path, "b");
		CHECK_STR(b.items[4].path, "b.stderr");
		CHECK_STR(b.items[5].path, "hang");
		CHECK_STR(b.items[2].data, "a\n");
		CHECK_STR(b.items[4].data, "b\n");
		CHECK_INT(b.items[5].status, BUNDLE_TIMED_OUT);
		CHECK_STR(b.items[5].data, "h\n");
	}
	/* a, b, hang, c, d: the stderr item is no progress step of its own */
	CHECK_INT(progress_calls, 5);
	CHECK(!b.jobs);
	bundle_free(&b);
}

/* A job that writes more than a pipe holds is served while a file is sampled for seconds. */
static void jobs_served_while_sampling(void)
{
	char *big[] = { "/bin/sh", "-c", "head -c 300000 /dev/zero", NULL };
	char fifo[] = "/tmp/test_bundle_fifo.XXXXXX";
	const struct bundle_item *it;
	struct bundle b;
	int fd;

	fd = mkstemp(fifo);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	unlink(fifo);
	CHECK(mkfifo(fifo, 0600) == 0);
	/* a writer end held open, so that the sample waits its whole window */
	fd = open(fifo, O_RDWR | O_NONBLOCK);
	bundle_init(&b, 5, 1 << 20, 60);
	CHECK(bundle_start_command(&b, big, "big", BUNDLE_MERGE, 0) != NULL);
	bundle_add_file(&b, fifo, "sampled", 1.0, 0);
	bundle_wait_jobs(&b);
	it = bundle_find(&b, "big");
	CHECK(it && it->status == BUNDLE_COLLECTED && it->len == 300000);
	/* not held up until the sample ended */
	CHECK(it && it->duration < 0.8);
	if (fd >= 0)
		close(fd);
	unlink(fifo);
	bundle_free(&b);
}

static bool alive(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool zombie = false;

	if (kill(pid, 0))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		zombie = p[2] == 'Z';
	fclose(f);
	return !zombie;
}

/* A grandchild that left the process group and the session ends with its item. */
static void setsid_grandchild(void)
{
	char *argv[] = { "/bin/sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!",
			 NULL };
	char *hung[] = { "/bin/sh", "-c",
			 "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!; sleep 300", NULL };
	const struct bundle_item *it;
	struct bundle b;
	pid_t pid;

	bundle_init(&b, 0.5, 1 << 20, 60);
	/* the command exits at once, leaving the grandchild behind */
	it = bundle_add_command(&b, argv, "quick", true);
	pid = (pid_t)atoi(it->data);
	CHECK(pid > 0);
	CHECK_INT(it->status, BUNDLE_COLLECTED);
	CHECK(pid > 0 && !alive(pid));
	/* the command hangs and is killed at its timeout, the escaped grandchild with it */
	it = bundle_add_command(&b, hung, "hung", true);
	pid = (pid_t)atoi(it->data);
	CHECK_INT(it->status, BUNDLE_TIMED_OUT);
	CHECK(pid > 0 && !alive(pid));
	bundle_free(&b);
}

/* A job never waited for ends with the bundle (an error path), its tree with it. */
static void jobs_freed_unwaited(void)
{
	char *argv[] = { "/bin/sh", "-c", "echo $$; sleep 300", NULL };
	struct bundle_job *j;
	struct bundle b;
	double t0;

	bundle_init(&b, 30, 1 << 20, 60);
	j = bundle_start_command(&b, argv, "x", BUNDLE_MERGE, 0);
	CHECK(j != NULL);
	usleep(100000);
	t0 = bundle_now();
	bundle_free(&b);
	CHECK(bundle_now() - t0 < 2.5);
}

/* The status names are the manifest's, and a manifest reads back the same. */
static void manifest_status_roundtrip(void)
{
	char *bad[] = { "/bin/sh", "-c", "echo oops >&2; exit 3", NULL };
	struct manifest m;
	struct bundle b;
	json_t *j;
	char *text, err[256];

	bundle_init(&b, 5, 1 << 20, 60);
	bundle_add_data(&b, "t", "report.md", "abc", 3);
	bundle_add_command(&b, bad, "commands/bad.txt", false);
	bundle_add_absent(&b, "/nonexistent", "nonexistent", -ENOENT);
	bundle_add_absent(&b, "/secret", "secret", -EACCES);
	bundle_add_status(&b, BUNDLE_COMMAND, "run-sensor", "commands/self-test.json",
			  BUNDLE_SKIPPED, "not privileged");
	bundle_hash(&b);
	j = bundle_manifest(&b, NULL);
	CHECK_STR(json_string_value(json_object_get(j, "containment")), "keeper");
	text = json_dumps(j, 0);
	CHECK(manifest_parse(text, strlen(text), &m, err, sizeof(err)) == 0);
	CHECK_INT(m.nr, 6);
	if (m.nr == 6) {
		CHECK_STR(m.items[0].status, "collected");
		CHECK_STR(m.items[1].status, "failed");
		CHECK(m.items[1].collected); /* stored: its output is in the bundle */
		CHECK_INT(m.items[1].exit_status, 3);
		CHECK_STR(m.items[2].path, "commands/bad.txt.stderr");
		CHECK_STR(m.items[3].status, "absent");
		CHECK_STR(m.items[4].status, "denied");
		CHECK_STR(m.items[5].status, "skipped");
	}
	json_decref(j);
	manifest_free(&m);
	/* an older manifest, without "status": a command that exited non-zero failed */
	static const char old[] =
		"{\"items\": [{\"path\": \"commands/dmesg.txt\", \"kind\": \"command\", "
		"\"source\": \"dmesg\", \"collected\": true, \"bytes\": 0, \"exit_status\": 1, "
		"\"sha256\": "
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}, "
		"{\"path\": \"commands/ck.json\", \"kind\": \"command\", "
		"\"source\": \"/proc/self/exe --no-color check-kernel --json\", \"collected\": "
		"true, \"bytes\": 0, \"exit_status\": 1, \"sha256\": "
		"\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}, "
		"{\"path\": \"x\", \"collected\": false, \"errno\": \"EACCES\"}]}";
	CHECK(manifest_parse(old, sizeof(old) - 1, &m, err, sizeof(err)) == 0);
	if (m.nr == 3) {
		CHECK_STR(m.items[0].status, "failed");
		CHECK_STR(m.items[1].status, "collected");
		CHECK_STR(m.items[2].status, "denied");
	}
	manifest_free(&m);
	/* a status that is not one of ours is bad input */
	static const char unknown[] = "{\"items\": [{\"path\": \"x\", \"collected\": false, "
				      "\"status\": \"rm -rf\"}]}";
	CHECK(manifest_parse(unknown, sizeof(unknown) - 1, &m, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "items[0].status: not one of") != NULL);
	free(text);
	bundle_free(&b);
}

static char *scratch_dir(void)
{
	char tmpl[] = "/tmp/test_bundle.XXXXXX", *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static int count_entries(const char *dir)
{
	struct dirent *d;
	int n = 0;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp)))
		n += strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	if (dp)
		closedir(dp);
	return n;
}

static void touch(const char *dir, const char *name, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd >= 0) {
		fchmod(fd, mode);
		close(fd);
	}
}

static bool exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !access(path, F_OK);
}

/* Written with no temporary left; a clash refused; stale temporaries of dead runs removed. */
static void write_and_clean(void)
{
	char *dir = scratch_dir(), err[256], dead[128], live[128], other[128], notours[128];
	struct bundle b;
	pid_t pid;
	int st;

	CHECK(dir != NULL);
	if (!dir)
		return;
	bundle_init(&b, 5, 1 << 20, 60);
	bundle_add_data(&b, "t", "report.md", "abc", 3);
	CHECK_INT(bundle_write(&b, dir, "a.tar.gz", "a", err, sizeof(err)), 0);
	CHECK_INT(count_entries(dir), 1);
	CHECK_INT(bundle_write(&b, dir, "a.tar.gz", "a", err, sizeof(err)), -EEXIST);
	CHECK(strstr(err, "exists; not overwritten") != NULL);
	CHECK_INT(count_entries(dir), 1);
	/* the fallback without O_TMPFILE leaves nothing either */
	setenv("EDRDIAG_TEST_NO_TMPFILE", "1", 1);
	CHECK_INT(bundle_write(&b, dir, "b.tar.gz", "b", err, sizeof(err)), 0);
	unsetenv("EDRDIAG_TEST_NO_TMPFILE");
	CHECK_INT(count_entries(dir), 2);
	bundle_free(&b);

	/* a pid that is certainly dead: a child reaped */
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	snprintf(dead, sizeof(dead), ".edrdiag-report-h-20261130T101010Z.tar.gz.%d.AbC123",
		 (int)pid);
	snprintf(live, sizeof(live), ".edrdiag-report-h-20261130T101010Z.tar.gz.%d.AbC123",
		 (int)getppid());
	snprintf(other, sizeof(other), ".edrdiag-report-h-20261130T101011Z.tar.gz.%d.AbC123",
		 (int)pid);
	snprintf(notours, sizeof(notours), ".something-else.tar.gz.%d.AbC123", (int)pid);
	touch(dir, dead, 0600);
	touch(dir, live, 0600);
	touch(dir, other, 0644); /* not mkostemp's mode: not ours */
	touch(dir, notours, 0600);
	CHECK_INT(bundle_clean_stale(dir), 1);
	CHECK(!exists(dir, dead));
	CHECK(exists(dir, live));
	CHECK(exists(dir, other));
	CHECK(exists(dir, notours));
	/* leave the scratch directory empty for rmdir */
	{
		const char *names[] = { "a.tar.gz", "b.tar.gz", live, other, notours };
		char path[512];

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			unlink(path);
		}
	}
	CHECK(rmdir(dir) == 0);
	free(dir);
}

int main(void)
{
	RUN(sha256_vectors);
	RUN(sha256_million_a);
	RUN(redaction_rules);
	RUN(manifest_json);
	RUN(redact_skips_binary);
	RUN(command_timeout);
	RUN(command_status);
	RUN(command_own_timeout);
	RUN(jobs_concurrent);
	RUN(jobs_served_while_sampling);
	RUN(setsid_grandchild);
	RUN(jobs_freed_unwaited);
	RUN(manifest_status_roundtrip);
	RUN(write_and_clean);
	return check_finish();
}
