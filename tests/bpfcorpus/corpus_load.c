// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * corpus_load: open, load and (with --attach) attach-then-detach the programs of one corpus
 * object, for tests/bpfcorpus/verify.sh. Nothing is pinned; everything is closed before exit.
 *
 *   corpus_load [--uid UID] [--attach] OBJ
 *
 * --uid drops to UID (and its own gid) with no capabilities before opening the object.
 * Prints what libbpf printed (its warnings and the verifier log it quotes), then one last
 * line, the verdict:
 *   verdict load
 *   verdict fail stage=STAGE errno=N
 * STAGE is open, relocation, load, attach or permission, judged from the step that failed
 * and what libbpf said. Exit 0 for load, 1 for fail, 2 for bad usage.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* everything libbpf printed at warning/info level (with the verifier logs it quotes); a
 * too-complex program's log is tens of megabytes, so it is kept up to LOG_MAX and then only
 * counted */
#define LOG_MAX (64u << 20)
static char *logbuf;
static size_t loglen, logcap, logdropped;

/* libbpf hands its own format strings over: the attribute tells the compiler so */
__attribute__((format(printf, 2, 0))) static int print_fn(enum libbpf_print_level level,
							  const char *fmt, va_list ap)
{
	char *line = NULL;
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vasprintf(&line, fmt, ap); /* one call may carry a whole verifier log */
	if (n <= 0) {
		free(line);
		return n;
	}
	if (loglen + n + 1 > logcap) {
		size_t cap = logcap ? logcap : 1 << 16;
		char *p = NULL;

		while (cap < loglen + n + 1)
			cap *= 2;
		if (cap > LOG_MAX || !(p = realloc(logbuf, cap))) {
			logdropped += n;
			free(line);
			return n;
		}
		logbuf = p;
		logcap = cap;
	}
	memcpy(logbuf + loglen, line, n);
	loglen += n;
	logbuf[loglen] = 0;
	free(line);
	return n;
}

static int has(const char *s)
{
	return logbuf && strstr(logbuf, s) != NULL;
}

/* the stage a failed bpf_object__load stopped at, from what libbpf said on the way */
static const char *load_stage(int err, int uid)
{
	if (uid != 0 && err == EPERM)
		return "permission";
	if (has("failed to find kernel BTF type ID"))
		return "attach";
	if (has("missing BPF prog type")) /* the section name; libbpf 1.1 says so at load */
		return "open";
	if (has("failed to resolve CO-RE relocation") || has("relo #"))
		return "relocation";
	if (has("-- BEGIN PROG LOAD LOG --") || has("-- BEGIN DUMP LOG ---"))
		return "load";
	if (has("failed to create map") || has("failed to create"))
		return "load";
	if (has("relo #") || has("extern") || has("CO-RE") || has("failed to relocate"))
		return "relocation";
	if (err == EPERM) /* refused by the kernel without a verifier log: LSM/lockdown/arch */
		return "attach";
	return "load";
}

static void print_log(void)
{
	if (logbuf)
		fputs(logbuf, stdout);
	if (logdropped)
		printf("corpus_load: %zu more bytes of log not kept\n", logdropped);
}

static int fail(const char *stage, int err)
{
	print_log();
	printf("verdict fail stage=%s errno=%d\n", stage, err);
	return 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	const char *path = NULL;
	int attach = 0, uid = 0, err, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--attach")) {
			attach = 1;
		} else if (!strcmp(argv[i], "--uid") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v <= 0 || v > 65535) {
				fprintf(stderr, "corpus_load: --uid wants 1..65535, not '%s'\n",
					argv[i]);
				return 2;
			}
			uid = (int)v;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: corpus_load [--uid UID] [--attach] OBJ\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: corpus_load [--uid UID] [--attach] OBJ\n");
		return 2;
	}
	if (uid && (setgroups(0, NULL) || setgid(uid) || setuid(uid))) {
		fprintf(stderr, "corpus_load: cannot become uid %d: %s\n", uid, strerror(errno));
		return 2;
	}
	libbpf_set_print(print_fn);

	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return fail("open", errno);
	err = bpf_object__load(obj);
	if (err) {
		err = -err;
		bpf_object__close(obj);
		return fail(load_stage(err, uid), err);
	}
	if (attach) {
		bpf_object__for_each_program (prog, obj) {
			struct bpf_link *link = bpf_program__attach(prog);
			if (!link) {
				err = errno;
				if (err == EOPNOTSUPP) /* socket, xdp: no attach point in the
							  section name */
					continue;
				bpf_object__close(obj);
				return fail(uid && err == EPERM ? "permission" : "attach", err);
			}
			bpf_link__destroy(link);
		}
	}
	bpf_object__close(obj);
	print_log();
	printf("verdict load\n");
	return 0;
}
