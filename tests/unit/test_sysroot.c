// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The hostile-root reader: the resolving walk against imaginary trees, then a real tree
 * with every trap a bundle can hold (links out, link loops, a FIFO, a device, a sparse
 * 100 GB file, a file past the cap), read with openat2 and with the walk by hand, and the
 * manifest's "not collected" answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check.h"
#include "sysroot.h"
#include "util.h"

/* ---- the walk, against a tree in a table ---- */

struct node {
	const char *path, *target;
	int kind;
};

static const struct node tree[] = {
	{ "etc", NULL, SYSROOT_NODE_DIR },
	{ "etc/os-release", "../usr/lib/os-release", SYSROOT_NODE_LINK },
	{ "etc/abs", "/etc/shadow", SYSROOT_NODE_LINK },
	{ "etc/up", "../../../tmp/x", SYSROOT_NODE_LINK },
	{ "etc/loop", "loop", SYSROOT_NODE_LINK },
	{ "etc/usr", "../usr", SYSROOT_NODE_LINK },
	{ "usr", NULL, SYSROOT_NODE_DIR },
	{ "usr/lib", NULL, SYSROOT_NODE_DIR },
	{ "usr/lib/os-release", NULL, SYSROOT_NODE_OTHER },
	{ "proc", "/proc", SYSROOT_NODE_LINK },
};

static int lookup(void *ctx, const char *rel, char *buf, size_t size)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < ARRAY_SIZE(tree); i++) {
		if (strcmp(tree[i].path, rel))
			continue;
		if (tree[i].target)
			snprintf(buf, size, "%s", tree[i].target);
		return tree[i].kind;
	}
	return -ENOENT;
}

static void walk_table(void)
{
	/* clang-format off */
	static const struct {
		const char *path;
		int ret;
		const char *out;
	} cases[] = {
		{ "/", 0, "" },
		{ "/usr/lib/os-release", 0, "usr/lib/os-release" },
		{ "//usr/./lib//os-release", 0, "usr/lib/os-release" },
		{ "/etc/os-release", 0, "usr/lib/os-release" },          /* a link inside the tree */
		{ "/etc/usr/lib", 0, "usr/lib" },
		{ "/usr/lib/../lib/os-release", 0, "usr/lib/os-release" },
		{ "/etc/abs", -EXDEV, "" },                               /* absolute: the engineer's */
		{ "/etc/up", -EXDEV, "" },                                /* climbs out */
		{ "/../etc/os-release", -EXDEV, "" },
		{ "/proc/mounts", -EXDEV, "" },                           /* proc -> /proc */
		{ "/etc/loop", -ELOOP, "" },
		{ "/usr/lib/os-release/x", -ENOTDIR, "" },
		{ "/usr/lib/os-release/", -ENOTDIR, "" },
		{ "/nothing/here", -ENOENT, "" },
	};
	/* clang-format on */
	char out[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = sysroot_walk(cases[i].path, lookup, NULL, out, sizeof(out));

		if (ret != cases[i].ret || strcmp(out, cases[i].out))
			printf("#   case %zu: %s\n", i, cases[i].path);
		CHECK_INT(ret, cases[i].ret);
		CHECK_STR(out, cases[i].out);
	}
	/* a result that does not fit */
	CHECK_INT(sysroot_walk("/usr/lib/os-release", lookup, NULL, out, 8), -ENAMETOOLONG);
}

/* ---- a real tree ---- */

static char root[64], outside[96];

static void mk(const char *path)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, path);
	mkdir(p, 0755);
}

static void ln(const char *target, const char *path)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, path);
	CHECK_INT(symlink(target, p), 0);
}

static void build_tree(void)
{
	char p[256];
	int fd;

	snprintf(root, sizeof(root), "/tmp/edrdiag-test-sysroot.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	mk("etc");
	mk("usr");
	mk("usr/lib");
	mk("proc");
	mk("proc/sys");
	mk("proc/sys/kernel");
	mk("sys");
	mk("sys/kernel");
	mk("sys/kernel/security");
	check_put(root, "usr/lib/os-release", "ID=debian\n");
	ln("../usr/lib/os-release", "etc/os-release");
	check_put(root, "proc/sys/kernel/osrelease", "6.1.0\n");
	/* a secret of the engineer's, outside the root */
	snprintf(outside, sizeof(outside), "%s.secret", root);
	fd = open(outside, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK_INT(write(fd, "CANARY\n", 7), 7);
		close(fd);
	}
	ln(outside, "sys/kernel/security/lockdown");
	ln("../../../../../../../../../../..", "proc/up");
	ln("loop", "proc/loop");
	snprintf(p, sizeof(p), "%s/proc/mounts", root);
	CHECK_INT(mkfifo(p, 0600), 0);
	/* 100 GB that cost nothing on disk */
	snprintf(p, sizeof(p), "%s/etc/big", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && ftruncate(fd, 100LL << 30) == 0);
	if (fd >= 0)
		close(fd);
	check_put(root, "proc/sys/kernel/twelve", "123456789012");
	/* a device node: only root may make one */
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/zero", root);
	if (geteuid() == 0)
		CHECK_INT(mknod(p, S_IFCHR | 0644, makedev(1, 5)), 0);
}

static void reads_in_root(void)
{
	char buf[64], *data = NULL;
	struct stat st;
	size_t n, len;
	int err;

	CHECK_INT(sysroot_set(root), 0);
	CHECK(!sysroot_is_live());
	/* a link inside the tree is followed */
	CHECK_INT(sysroot_read_line("/etc/os-release", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "ID=debian");
	CHECK_INT(sysroot_read_line("/proc/sys/kernel/osrelease", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "6.1.0");
	/* the engineer's own file is never read */
	err = sysroot_read("/sys/kernel/security/lockdown", 4096, &data, &len);
	CHECK_INT(err, -EXDEV);
	CHECK(sysroot_is_refusal(err));
	CHECK(strstr(sysroot_error("/sys/kernel/security/lockdown", err), "leads out"));
	CHECK_INT(sysroot_stat("/proc/up/etc/passwd", &st), -EXDEV);
	CHECK_INT(sysroot_read("/proc/loop", 4096, &data, &len), -ELOOP);
	/* a FIFO neither blocks nor is opened */
	err = sysroot_read("/proc/mounts", 4096, &data, &len);
	CHECK_INT(err, -SYSROOT_EIRREGULAR);
	CHECK(strstr(sysroot_error("/proc/mounts", err), "a FIFO"));
	/* a sparse 100 GB file is refused by its size, before any read */
	err = sysroot_read("/etc/big", 65536, &data, &len);
	CHECK_INT(err, -SYSROOT_ETOOBIG);
	CHECK(strstr(sysroot_error("/etc/big", err), "107374182400 bytes"));
	CHECK_INT(sysroot_read("/proc/sys/kernel/twelve", 11, &data, &len), -SYSROOT_ETOOBIG);
	CHECK_INT(sysroot_read("/proc/sys/kernel/twelve", 12, &data, &len), 0);
	CHECK_INT(len, 12);
	free(data);
	if (geteuid() == 0)
		CHECK_INT(sysroot_read("/proc/sys/kernel/zero", 4096, &data, &len),
			  -SYSROOT_EIRREGULAR);
	CHECK_INT(sysroot_read("/etc", 4096, &data, &len), -EISDIR);
	CHECK_INT(sysroot_read("/nothing", 4096, &data, &len), -ENOENT);
	CHECK(!sysroot_is_refusal(-ENOENT));
	/* each refusal named once, in order */
	{
		const struct sysroot_refusal *r = sysroot_refusals(&n);

		CHECK(n >= 5);
		CHECK(n > 0 && !strcmp(r[0].path, "/sys/kernel/security/lockdown"));
	}
	CHECK(sysroot_isdir("/usr/lib"));
	CHECK(!sysroot_isdir("/etc/os-release"));
	/* readlink sees the link itself, never follows it */
	CHECK_INT(sysroot_readlink("/etc/os-release", buf, sizeof(buf)),
		  (int)strlen("../usr/lib/os-release"));
	sysroot_set(NULL);
	/* a new root forgets the old one's refusals */
	sysroot_refusals(&n);
	CHECK_INT(n, 0);
}

static void reads_in_root_by_walk(void)
{
	/* the same, on a kernel without openat2 */
	setenv("EDRDIAG_NO_OPENAT2", "1", 1);
	reads_in_root();
	unsetenv("EDRDIAG_NO_OPENAT2");
}

static void not_collected(void)
{
	struct stat st;
	char *data;
	size_t len;
	int err, nc;

	CHECK_INT(sysroot_set(root), 0);
	sysroot_not_collected("/sys/kernel/tracing", -EACCES,
			      "permission denied: tracefs is root-only by default");
	sysroot_not_collected("/proc/sys/kernel/unprivileged_bpf_disabled", -SYSROOT_ENOTCOLLECTED,
			      "not collected: the run's deadline");
	/* what the host said, for the path and what lies under it */
	CHECK_INT(sysroot_stat("/sys/kernel/tracing/events", &st), -EACCES);
	CHECK_INT(sysroot_stat("/sys/kernel/tracing", &st), -EACCES);
	CHECK_INT(sysroot_stat("/sys/kernel/tracingX", &st), -ENOENT);
	err = sysroot_read("/proc/sys/kernel/unprivileged_bpf_disabled", 4096, &data, &len);
	CHECK_INT(err, -SYSROOT_ENOTCOLLECTED);
	CHECK(strstr(sysroot_error("/proc/sys/kernel/unprivileged_bpf_disabled", err),
		     "the bundle's manifest: not collected: the run's deadline"));
	CHECK(sysroot_not_collected_why("/sys/kernel/tracing/events/sched", &nc) != NULL);
	CHECK_INT(nc, -EACCES);
	sysroot_set(NULL);
	/* the live host has no manifest */
	CHECK(sysroot_not_collected_why("/sys/kernel/tracing", &nc) == NULL);
}

static void release_names(void)
{
	CHECK(util_release_is_name("6.1.0-18-amd64"));
	CHECK(util_release_is_name("3.10.0-1160.119.1.0.5.el7.x86_64"));
	CHECK(util_release_is_name("6.8.0-rc3+"));
	CHECK(!util_release_is_name("6.1.0/../../../tmp/x"));
	CHECK(!util_release_is_name(".."));
	CHECK(!util_release_is_name(""));
	CHECK(!util_release_is_name("6.1 0"));
	CHECK(!util_release_is_name("6.1\x1b[2J"));
	CHECK(!util_release_is_name(
		"6.1.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

int main(void)
{
	char cmd[128];
	int ret;

	RUN(walk_table);
	build_tree();
	RUN(reads_in_root);
	RUN(reads_in_root_by_walk);
	RUN(not_collected);
	RUN(release_names);
	ret = check_finish();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, outside);
	if (system(cmd))
		ret = 1;
	return ret;
}
