// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * loadprogs: load N trivial socket-filter programs (and, on request, a hash map filled to a
 * given count and a ring buffer filled to a given share) and hold them until killed, for the
 * stats tests and bench/stats.sh. Nothing is attached or pinned: the kernel frees it all
 * when the process exits, however it exits.
 *
 *   loadprogs N [--hash MAX FILLED] [--ringbuf BYTES PERCENT] [--runs R] [--comm NAME]
 *               [--btf-name NAME]
 *
 * Prints "ready PROG_ID..." (the ids of the N programs, ascending) on one line once all is in
 * place. Then each SIGUSR1 runs every one of the N programs R times (--runs, default 1) with
 * BPF_PROG_TEST_RUN and prints "ran R": a known number of runs, at a known moment, for the
 * run_cnt of a measurement window to be checked exactly. SIGINT or SIGTERM ends it.
 *
 * --comm NAME renames the process (prctl(PR_SET_NAME), as any process may): NAME's bytes,
 * escapes and bytes that are not UTF-8 included, are what edrdiag then shows as the holder's
 * comm, for the tests that no such byte reaches a terminal raw or drops out of JSON.
 *
 * --btf-name NAME gives the N programs BTF with func info naming their function NAME_i, of
 * which the kernel keeps only the first 15 characters as the program's name: the full name
 * is in the BTF, as for any program a modern loader (libbpf) loads.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static unsigned long number(const char *what, const char *arg, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v > max) {
		fprintf(stderr, "loadprogs: %s '%s': expected a number up to %lu\n", what, arg,
			max);
		exit(2);
	}
	return v;
}

/* BTF holding one static function `int NAME(void)`, loaded: its fd, and the function's id */
static int func_btf(const char *name, __u32 *func_id)
{
	struct btf *btf = btf__new_empty();
	int int_id, proto_id, id;

	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	proto_id = btf__add_func_proto(btf, int_id);
	id = btf__add_func(btf, name, BTF_FUNC_STATIC, proto_id);
	if (int_id < 0 || proto_id < 0 || id < 0 || btf__load_into_kernel(btf)) {
		fprintf(stderr, "loadprogs: BTF for %s: %s\n", name, strerror(errno));
		exit(1);
	}
	*func_id = (__u32)id;
	/* the fd outlives the object: a dup, since btf__free closes its own */
	id = dup(btf__fd(btf));
	btf__free(btf);
	return id;
}

static int load_named(const char *name, const char *btf_name, const struct bpf_insn *insns,
		      size_t n)
{
	char log[4096] = "";
	struct bpf_func_info fi = { 0 };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log), .log_level = 1);
	int fd, btf_fd = -1;

	if (btf_name) {
		btf_fd = func_btf(btf_name, &fi.type_id);
		o.prog_btf_fd = (__u32)btf_fd;
		o.func_info = &fi;
		o.func_info_cnt = 1;
		o.func_info_rec_size = sizeof(fi);
	}

	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, name, "GPL", insns, n, &o);
	if (fd < 0) {
		fprintf(stderr, "loadprogs: loading %s: %s\n%s", name, strerror(errno), log);
		exit(1);
	}
	if (btf_fd >= 0)
		close(btf_fd); /* the program holds its BTF */
	return fd;
}

static int load(const char *name, const struct bpf_insn *insns, size_t n)
{
	return load_named(name, NULL, insns, n);
}

static __u32 prog_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		perror("loadprogs: prog info");
		exit(1);
	}
	return info.id;
}

static void test_run(int fd, unsigned long runs)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = (int)runs);

	if (runs && bpf_prog_test_run_opts(fd, &o)) {
		perror("loadprogs: BPF_PROG_TEST_RUN");
		exit(1);
	}
}

static volatile sig_atomic_t run_request;

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		run_request = 1;
		return;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	/* r0 = 0; exit */
	const struct bpf_insn ret0[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	unsigned long n, hash_max = 0, hash_fill = 0, rb_bytes = 0, rb_pct = 0, runs = 1, i;
	const char *comm = NULL, *btf_name = NULL;
	char full[128];
	sigset_t usr1, old;
	int *fds, a, ring_fd = -1, hash_fd = -1;
	char name[16];

	if (argc < 2) {
		fprintf(stderr, "usage: loadprogs N [--hash MAX FILLED] [--ringbuf BYTES PERCENT] "
				"[--runs R] [--comm NAME] [--btf-name NAME]\n");
		return 2;
	}
	n = number("N", argv[1], 100000);
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "--hash") && a + 2 < argc) {
			hash_max = number("--hash MAX", argv[++a], 1u << 24);
			hash_fill = number("--hash FILLED", argv[++a], hash_max);
		} else if (!strcmp(argv[a], "--ringbuf") && a + 2 < argc) {
			rb_bytes = number("--ringbuf BYTES", argv[++a], 1u << 30);
			rb_pct = number("--ringbuf PERCENT", argv[++a], 100);
		} else if (!strcmp(argv[a], "--runs") && a + 1 < argc) {
			runs = number("--runs", argv[++a], 1u << 30);
			if (!runs)
				runs = 1;
		} else if (!strcmp(argv[a], "--comm") && a + 1 < argc) {
			comm = argv[++a];
		} else if (!strcmp(argv[a], "--btf-name") && a + 1 < argc) {
			btf_name = argv[++a];
		} else {
			fprintf(stderr, "loadprogs: unknown or incomplete option '%s'\n", argv[a]);
			return 2;
		}
	}
	/* the kernel keeps the first 15 bytes */
	if (comm && prctl(PR_SET_NAME, comm, 0, 0, 0)) {
		perror("loadprogs: prctl(PR_SET_NAME)");
		return 1;
	}
	/* SIGUSR1 is only taken inside sigsuspend(): none is lost between two requests */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGUSR1, on_signal);
	fds = calloc(n ? n : 1, sizeof(*fds));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "ldp_%lu", i);
		if (btf_name) {
			snprintf(full, sizeof(full), "%s_%lu", btf_name, i);
			/* what the kernel keeps of it: the first 15 characters */
			snprintf(name, sizeof(name), "%s", full);
		}
		fds[i] = load_named(name, btf_name ? full : NULL, ret0,
				    sizeof(ret0) / sizeof(ret0[0]));
	}
	if (hash_max) {
		hash_fd =
			bpf_map_create(BPF_MAP_TYPE_HASH, "ldp_hash", 4, 8, (__u32)hash_max, NULL);
		if (hash_fd < 0) {
			perror("loadprogs: hash map");
			return 1;
		}
		for (i = 0; i < hash_fill; i++) {
			__u32 k = (__u32)i;
			__u64 v = i;

			if (bpf_map_update_elem(hash_fd, &k, &v, BPF_NOEXIST)) {
				perror("loadprogs: hash map update");
				return 1;
			}
		}
	}
	if (rb_bytes) {
		/* *(u64 *)(r10 - 8) = 0; bpf_ringbuf_output(map, r10 - 8, 8, 0); r0 = 0 */
		struct bpf_insn out[] = {
			INSN(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0, -8, 0),
			INSN(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, 0),
			INSN(0, 0, 0, 0, 0),
			INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
			INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -8),
			INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 8),
			INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0),
			INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output),
			INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};
		int pfd;

		ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ldp_ring", 0, 0, (__u32)rb_bytes,
					 NULL);
		if (ring_fd < 0) {
			perror("loadprogs: ring buffer");
			return 1;
		}
		out[1].imm = ring_fd;
		pfd = load("ldp_ring", out, sizeof(out) / sizeof(out[0]));
		/* each record is an 8-byte header and 8 bytes of data; nobody consumes them */
		test_run(pfd, rb_bytes * rb_pct / 100 / 16);
	}
	printf("ready");
	for (i = 0; i < n; i++)
		printf(" %u", prog_id(fds[i]));
	printf("\n");
	fflush(stdout);
	for (;;) {
		sigsuspend(&old);
		if (!run_request)
			continue;
		run_request = 0;
		for (i = 0; i < n; i++)
			test_run(fds[i], runs);
		printf("ran %lu\n", runs);
		fflush(stdout);
	}
}
