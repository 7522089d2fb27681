// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mkbtf: write a small raw BTF file holding struct trace_event_raw_sched_process_exec,
 * enum bpf_prog_type and enum bpf_map_type, as /sys/kernel/btf/vmlinux would describe them,
 * for fixture sysroots.
 *
 *   mkbtf [--no-ringbuf] OUT [FILENAME_OFF PID_OFF OLD_PID_OFF]
 *
 * check-tracepoints cross-checks the offsets in a tracepoint's format file against this
 * struct (default offsets 8 12 16, a 6.x kernel's layout); giving other offsets here makes a
 * BTF that disagrees with the format file, so the tests can see the mismatch reported without
 * a kernel that has one. check-kernel only looks at the file's existence and magic, which
 * this satisfies too.
 *
 * The enums are what a check asks the kernel's BTF for a feature: bpf_prog_type holds the
 * first program types (BPF_PROG_TYPE_TRACEPOINT = 5) and bpf_map_type every map type of a
 * 6.1 kernel, BPF_MAP_TYPE_RINGBUF = 27 among them. --no-ringbuf stops bpf_map_type before
 * RINGBUF, at BPF_MAP_TYPE_STRUCT_OPS = 26, as a kernel before 5.8 has it: no BPF ring
 * buffer, so a sensor must fall back to the perf buffer.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OFF 4096

/* The UAPI's names and values (linux/bpf.h), spelled here: the build host's may be older. */
static const char *const prog_types[] = {
	"BPF_PROG_TYPE_UNSPEC",	   "BPF_PROG_TYPE_SOCKET_FILTER", "BPF_PROG_TYPE_KPROBE",
	"BPF_PROG_TYPE_SCHED_CLS", "BPF_PROG_TYPE_SCHED_ACT",	  "BPF_PROG_TYPE_TRACEPOINT",
	"BPF_PROG_TYPE_XDP",	   "BPF_PROG_TYPE_PERF_EVENT",
};

static const char *const map_types[] = {
	"BPF_MAP_TYPE_UNSPEC",
	"BPF_MAP_TYPE_HASH",
	"BPF_MAP_TYPE_ARRAY",
	"BPF_MAP_TYPE_PROG_ARRAY",
	"BPF_MAP_TYPE_PERF_EVENT_ARRAY",
	"BPF_MAP_TYPE_PERCPU_HASH",
	"BPF_MAP_TYPE_PERCPU_ARRAY",
	"BPF_MAP_TYPE_STACK_TRACE",
	"BPF_MAP_TYPE_CGROUP_ARRAY",
	"BPF_MAP_TYPE_LRU_HASH",
	"BPF_MAP_TYPE_LRU_PERCPU_HASH",
	"BPF_MAP_TYPE_LPM_TRIE",
	"BPF_MAP_TYPE_ARRAY_OF_MAPS",
	"BPF_MAP_TYPE_HASH_OF_MAPS",
	"BPF_MAP_TYPE_DEVMAP",
	"BPF_MAP_TYPE_SOCKMAP",
	"BPF_MAP_TYPE_CPUMAP",
	"BPF_MAP_TYPE_XSKMAP",
	"BPF_MAP_TYPE_SOCKHASH",
	"BPF_MAP_TYPE_CGROUP_STORAGE",
	"BPF_MAP_TYPE_REUSEPORT_SOCKARRAY",
	"BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE",
	"BPF_MAP_TYPE_QUEUE",
	"BPF_MAP_TYPE_STACK",
	"BPF_MAP_TYPE_SK_STORAGE",
	"BPF_MAP_TYPE_DEVMAP_HASH",
	"BPF_MAP_TYPE_STRUCT_OPS", /* 26: the last before 5.8 */
	"BPF_MAP_TYPE_RINGBUF",	   /* 27: 5.8 */
	"BPF_MAP_TYPE_INODE_STORAGE",
	"BPF_MAP_TYPE_TASK_STORAGE",
	"BPF_MAP_TYPE_BLOOM_FILTER",
	"BPF_MAP_TYPE_USER_RINGBUF",
};

#define MAP_TYPE_RINGBUF 27

static int parse_off(const char *what, const char *arg, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	/* the first 8 bytes are struct trace_entry, the header of every event */
	if (!*arg || *end || errno || v < 8 || v > MAX_OFF) {
		fprintf(stderr, "mkbtf: %s '%s': expected a byte offset from 8 to %d\n", what, arg,
			MAX_OFF);
		return -EINVAL;
	}
	*out = (int)v;
	return 0;
}

/* Each add returns a type id (> 0) or a negative error; keep the first error. */
static int chk(int id, int *err)
{
	if (id < 0 && !*err)
		*err = id;
	return id;
}

/* An unsigned 4-byte enum named name holding names[0..n) with values 0..n-1. */
static void add_enum(struct btf *btf, const char *name, const char *const *names, size_t n,
		     int *err)
{
	size_t i;

	chk(btf__add_enum(btf, name, 4), err);
	for (i = 0; i < n && !*err; i++)
		chk(btf__add_enum_value(btf, names[i], (__s64)i), err);
}

static struct btf *build(int filename_off, int pid_off, int old_pid_off, bool ringbuf)
{
	int t_ushort, t_uchar, t_int, t_uint, t_char, t_u32, t_pid, t_entry, t_data;
	int end, err = 0;
	struct btf *btf;

	btf = btf__new_empty();
	if (!btf)
		return NULL;

	/* base types and typedefs spelled as in the kernel's own BTF */
	t_ushort = chk(btf__add_int(btf, "short unsigned int", 2, 0), &err);
	t_uchar = chk(btf__add_int(btf, "unsigned char", 1, 0), &err);
	t_int = chk(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), &err);
	t_uint = chk(btf__add_int(btf, "unsigned int", 4, 0), &err);
	t_char = chk(btf__add_int(btf, "char", 1, BTF_INT_CHAR), &err);
	t_u32 = chk(btf__add_typedef(btf, "u32", t_uint), &err);
	t_pid = chk(btf__add_typedef(btf, "pid_t", t_int), &err);
	if (err)
		goto fail;

	/* struct trace_entry: common_type, common_flags, common_preempt_count, common_pid */
	t_entry = chk(btf__add_struct(btf, "trace_entry", 8), &err);
	chk(btf__add_field(btf, "type", t_ushort, 0, 0), &err);
	chk(btf__add_field(btf, "flags", t_uchar, 16, 0), &err);
	chk(btf__add_field(btf, "preempt_count", t_uchar, 24, 0), &err);
	chk(btf__add_field(btf, "pid", t_int, 32, 0), &err);
	/* char __data[0]: where the event's dynamic strings start */
	t_data = chk(btf__add_array(btf, t_int, t_char, 0), &err);
	if (err)
		goto fail;

	end = filename_off;
	if (pid_off > end)
		end = pid_off;
	if (old_pid_off > end)
		end = old_pid_off;
	end += 4;
	chk(btf__add_struct(btf, "trace_event_raw_sched_process_exec", (__u32)end), &err);
	chk(btf__add_field(btf, "ent", t_entry, 0, 0), &err);
	chk(btf__add_field(btf, "__data_loc_filename", t_u32, (__u32)filename_off * 8, 0), &err);
	chk(btf__add_field(btf, "pid", t_pid, (__u32)pid_off * 8, 0), &err);
	chk(btf__add_field(btf, "old_pid", t_pid, (__u32)old_pid_off * 8, 0), &err);
	chk(btf__add_field(btf, "__data", t_data, (__u32)end * 8, 0), &err);

	add_enum(btf, "bpf_prog_type", prog_types, sizeof(prog_types) / sizeof(prog_types[0]),
		 &err);
	add_enum(btf, "bpf_map_type", map_types,
		 ringbuf ? sizeof(map_types) / sizeof(map_types[0]) : MAP_TYPE_RINGBUF, &err);
	if (!err)
		return btf;
fail:
	fprintf(stderr, "mkbtf: cannot build BTF: %s\n", strerror(-err));
	btf__free(btf);
	errno = -err;
	return NULL;
}

int main(int argc, char **argv)
{
	int filename_off = 8, pid_off = 12, old_pid_off = 16, ret = 1;
	struct btf *btf = NULL;
	bool ringbuf = true;
	const void *data;
	FILE *out = NULL;
	__u32 size;

	if (argc > 1 && !strcmp(argv[1], "--no-ringbuf")) {
		ringbuf = false;
		argv++;
		argc--;
	}
	if ((argc != 2 && argc != 5) || argv[1][0] == '-') {
		fprintf(stderr,
			"usage: mkbtf [--no-ringbuf] OUT [FILENAME_OFF PID_OFF OLD_PID_OFF]\n"
			"write raw BTF with struct trace_event_raw_sched_process_exec "
			"(default offsets 8 12 16),\n"
			"enum bpf_prog_type and enum bpf_map_type (without "
			"BPF_MAP_TYPE_RINGBUF: --no-ringbuf)\n");
		return 2;
	}
	if (argc == 5 && (parse_off("FILENAME_OFF", argv[2], &filename_off) ||
			  parse_off("PID_OFF", argv[3], &pid_off) ||
			  parse_off("OLD_PID_OFF", argv[4], &old_pid_off)))
		return 2;

	btf = build(filename_off, pid_off, old_pid_off, ringbuf);
	if (!btf)
		goto out;
	data = btf__raw_data(btf, &size);
	if (!data) {
		fprintf(stderr, "mkbtf: cannot serialise BTF: %s\n", strerror(errno));
		goto out;
	}
	out = fopen(argv[1], "wb");
	if (!out) {
		fprintf(stderr, "mkbtf: %s: %s\n", argv[1], strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, size, out) != size) {
		fprintf(stderr, "mkbtf: %s: write failed: %s\n", argv[1], strerror(errno));
		goto out;
	}
	ret = 0;
out:
	/* a full disk shows up at close, not at fwrite */
	if (out && fclose(out) && !ret) {
		fprintf(stderr, "mkbtf: %s: %s\n", argv[1], strerror(errno));
		ret = 1;
	}
	btf__free(btf);
	return ret;
}
