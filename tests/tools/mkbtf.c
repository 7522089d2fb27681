// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mkbtf: write a small raw BTF file holding struct trace_event_raw_sched_process_exec, as
 * /sys/kernel/btf/vmlinux would describe it, for fixture sysroots.
 *
 *   mkbtf OUT [FILENAME_OFF PID_OFF OLD_PID_OFF]     (default 8 12 16, this kernel's layout)
 *
 * check-tracepoints cross-checks the offsets in a tracepoint's format file against this
 * struct; giving other offsets here makes a BTF that disagrees with the format file, so the
 * tests can see the mismatch reported without a kernel that has one. check-kernel only looks
 * at the file's existence and magic, which this satisfies too.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OFF 4096

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

static struct btf *build(int filename_off, int pid_off, int old_pid_off)
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
	const void *data;
	FILE *out = NULL;
	__u32 size;

	if (argc != 2 && argc != 5) {
		fprintf(stderr, "usage: mkbtf OUT [FILENAME_OFF PID_OFF OLD_PID_OFF]\n"
				"write raw BTF with struct trace_event_raw_sched_process_exec "
				"(default offsets 8 12 16)\n");
		return 2;
	}
	if (argc == 5 && (parse_off("FILENAME_OFF", argv[2], &filename_off) ||
			  parse_off("PID_OFF", argv[3], &pid_off) ||
			  parse_off("OLD_PID_OFF", argv[4], &old_pid_off)))
		return 2;

	btf = build(filename_off, pid_off, old_pid_off);
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
