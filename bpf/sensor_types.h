/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SENSOR_TYPES_H
#define EDRDIAG_SENSOR_TYPES_H

/*
 * The few kernel types the sensor reads, declared by hand instead of a generated
 * vmlinux.h. preserve_access_index makes every field access a CO-RE relocation: libbpf
 * rewrites the offsets against the running kernel's BTF at load time, so only the
 * names and types matter here, never the layout. A few dozen lines replace a 3-5 MB
 * header that would have to be pinned per kernel and architecture, and the build needs
 * no BTF on the build machine.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>

#define __VMLINUX_H__ /* bpf_tracing.h: use the kernel's pt_regs field names */

typedef int pid_t;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
};

struct linux_binprm {
	const char *filename;
};

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/* the record of sched/sched_process_exec, as its format file describes it */
struct trace_event_raw_sched_process_exec {
	struct trace_entry ent;
	__u32 __data_loc_filename;
	pid_t pid;
	pid_t old_pid;
	char __data[0];
};

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#else
#error "the kprobe fallback declares pt_regs for x86_64 only"
#endif

#pragma clang attribute pop

#endif
