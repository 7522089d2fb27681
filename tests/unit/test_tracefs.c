// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The tracefs format parser, the layout expectations, /proc/mounts and tracepoint names. */
#include <errno.h>

#include "check.h"
#include "tracefs.h"

/* events/sched/sched_process_exec/format, as Linux 6.18 prints it */
static const char exec_format[] =
	"name: sched_process_exec\n"
	"ID: 365\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"filename=%s pid=%d old_pid=%d\", __get_str(filename), REC->pid, "
	"REC->old_pid\n";

static void parses_real_exec_format(void)
{
	const struct tp_field *f;
	struct tp_format fmt;
	char err[128];

	CHECK_INT(tp_format_parse(exec_format, &fmt, err, sizeof(err)), 0);
	CHECK_STR(fmt.name, "sched_process_exec");
	CHECK_INT(fmt.id, 365);
	CHECK_INT(fmt.nr_fields, 7);
	f = tp_format_field(&fmt, "filename");
	CHECK(f && f->data_loc && f->size == 4 && f->offset == 8 && !f->is_signed);
	if (f)
		CHECK_STR(f->type, "char[]");
	f = tp_format_field(&fmt, "old_pid");
	CHECK(f && !f->data_loc && f->size == 4 && f->offset == 16 && f->is_signed);
	if (f)
		CHECK_STR(f->type, "pid_t");
	f = tp_format_field(&fmt, "common_pid");
	CHECK(f && f->common);
	CHECK(tp_format_field(&fmt, "ppid") == NULL);
	tp_format_free(&fmt);
}

static void arrays_and_pointers(void)
{
	const char text[] = "name: x\nID: 1\nformat:\n"
			    "\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
			    "\tfield:const char *const * argv;\toffset:24;\tsize:8;\tsigned:0;\n";
	const struct tp_field *f;
	struct tp_format fmt;
	char err[128];

	CHECK_INT(tp_format_parse(text, &fmt, err, sizeof(err)), 0);
	f = tp_format_field(&fmt, "comm");
	CHECK(f && f->size == 16);
	if (f)
		CHECK_STR(f->type, "char[16]");
	f = tp_format_field(&fmt, "argv");
	if (f)
		CHECK_STR(f->type, "const char *const *");
	CHECK(f != NULL);
	tp_format_free(&fmt);
}

static void old_format_without_signed(void)
{
	/* before 2.6.35 format files had no "signed:" attribute */
	const char text[] = "name: old\nID: 7\nformat:\n"
			    "\tfield:int pid;\toffset:12;\tsize:4;\n";
	struct tp_format fmt;
	char err[128];

	CHECK_INT(tp_format_parse(text, &fmt, err, sizeof(err)), 0);
	CHECK_INT(fmt.nr_fields, 1);
	tp_format_free(&fmt);
}

struct bad_case {
	const char *text;
	const char *needle; /* expected in the error */
};

static const struct bad_case bad[] = {
	{ "ID: 1\nformat:\n\tfield:int pid;\toffset:1;\tsize:4;\tsigned:1;\n", "no 'name:'" },
	{ "name: x\nID: 1\nformat:\n", "no field" },
	{ "name: x\nID: abc\nformat:\n", "line 2: bad ID" },
	{ "name: x\nformat:\n\tfield:int pid\toffset:1;\tsize:4;\n", "line 3" },
	{ "name: x\nformat:\n\tfield:int pid;\toffset:x;\tsize:4;\tsigned:1;\n",
	  "offset and size" },
	{ "name: x\nformat:\n\tfield:int pid;\toffset:4;\tsigned:1;\n", "offset and size" },
	{ "name: x\nformat:\n\tfield:int pid;\toffset:4;\tsize:4;\tsigned:7;\n", "signed" },
	{ "name: x\nformat:\n\tfield:pid;\toffset:4;\tsize:4;\tsigned:1;\n", "declaration" },
	{ "name: x\nformat:\n\tfield:int pi-d;\toffset:4;\tsize:4;\tsigned:1;\n", "declaration" },
	{ "name: x\n\tfield:int pid;\toffset:4;\tsize:4;\tsigned:1;\n", "before 'format:'" },
	{ "name: x\nformat:\n\tfield:int pid;\toffset:4;\tsize:4;\tsigned:1;\ngarbage here\n",
	  "line 4: unexpected" },
	{ "", "no 'name:'" },
};

static void malformed_formats_are_errors(void)
{
	struct tp_format fmt;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[160] = "";
		int ret = tp_format_parse(bad[i].text, &fmt, err, sizeof(err));

		CHECK_INT(ret, -EINVAL);
		if (!strstr(err, bad[i].needle))
			printf("#   case %zu: error '%s' lacks '%s'\n", i, err, bad[i].needle);
		CHECK(strstr(err, bad[i].needle) != NULL);
	}
}

static void exec_layout_expectations(void)
{
	const struct tp_expect *e;
	struct tp_format fmt;
	char err[128], why[256];
	size_t n, i;

	e = tp_expectations("sched/sched_process_exec", &n);
	CHECK_INT(n, 3);
	CHECK_INT(tp_format_parse(exec_format, &fmt, err, sizeof(err)), 0);
	for (i = 0; e && i < n; i++) {
		const struct tp_field *f = tp_format_field(&fmt, e[i].field);

		CHECK(f && tp_expect_check(&e[i], f, why, sizeof(why)));
	}
	/* pid turned unsigned, and filename a plain array: both must be refused */
	fmt.fields[5].is_signed = false;
	CHECK(!tp_expect_check(&e[1], tp_format_field(&fmt, "pid"), why, sizeof(why)));
	CHECK(strstr(why, "unsigned") != NULL);
	fmt.fields[4].data_loc = false;
	CHECK(!tp_expect_check(&e[0], tp_format_field(&fmt, "filename"), why, sizeof(why)));
	CHECK(strstr(why, "__data_loc") != NULL);
	fmt.fields[6].size = 8;
	CHECK(!tp_expect_check(&e[2], tp_format_field(&fmt, "old_pid"), why, sizeof(why)));
	tp_format_free(&fmt);
	CHECK(tp_expectations("sched/sched_switch", &n) == NULL && n == 0);
	e = tp_expectations("syscalls/sys_enter_execve", &n);
	CHECK(e && n == 1 && e->kind == TP_POINTER);
}

static void mounts_table(void)
{
	const char text[] = "proc /proc proc rw,relatime 0 0\n"
			    "nodev /sys/kernel/tracing tracefs rw,relatime 0 0\n"
			    "none /sys/kernel/debug debugfs rw 0 0\n"
			    "bpf /sys/fs/bpf bpf rw,relatime 0 0\n"
			    "tmpfs /mnt/with\\040space tmpfs rw 0 0\n"
			    "short line\n"
			    "bpf /sys/fs/bpf bpf ro 0 0\n";
	const struct mount_entry *m;
	struct mount_table mt;

	mounts_parse(text, &mt);
	CHECK_INT(mt.nr, 6);
	m = mounts_find(&mt, "tracefs", NULL);
	CHECK(m && !strcmp(m->target, "/sys/kernel/tracing"));
	CHECK(mounts_find(&mt, "tmpfs", "/mnt/with space") != NULL);
	/* the later of two mounts on one place is the visible one */
	m = mounts_find(&mt, "bpf", "/sys/fs/bpf");
	CHECK(m && !strcmp(m->options, "ro"));
	CHECK(mounts_find(&mt, "securityfs", NULL) == NULL);
	mounts_free(&mt);
}

static void tracepoint_names(void)
{
	CHECK(tp_name_valid("sched/sched_process_exec"));
	CHECK(tp_name_valid("syscalls/sys_enter_execve"));
	CHECK(!tp_name_valid("sched_process_exec"));
	CHECK(!tp_name_valid("sched/"));
	CHECK(!tp_name_valid("/sched_process_exec"));
	CHECK(!tp_name_valid("sched/a/b"));
	CHECK(!tp_name_valid("../../etc/passwd"));
	CHECK(!tp_name_valid("sched/sched process"));
}

/* available_events: whole lines only, first and last line included */
static void available_events(void)
{
	static const char text[] = "sched:sched_process_exec\n"
				   "sched:sched_process_exec_x\n"
				   "xsched:sched_wakeup\n"
				   "syscalls:sys_enter_execve";

	CHECK(tp_available_lists(text, "sched", "sched_process_exec"));
	CHECK(tp_available_lists(text, "syscalls", "sys_enter_execve"));
	CHECK(!tp_available_lists(text, "sched", "sched_process"));
	CHECK(!tp_available_lists(text, "sched", "sched_wakeup"));
	CHECK(!tp_available_lists(text, "syscalls", "sys_enter"));
	CHECK(!tp_available_lists("", "sched", "sched_process_exec"));
	CHECK(!tp_available_lists(NULL, "sched", "sched_process_exec"));
}

int main(void)
{
	RUN(parses_real_exec_format);
	RUN(arrays_and_pointers);
	RUN(old_format_without_signed);
	RUN(malformed_formats_are_errors);
	RUN(exec_layout_expectations);
	RUN(mounts_table);
	RUN(tracepoint_names);
	RUN(available_events);
	return check_finish();
}
