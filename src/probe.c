// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "i18n.h"

int probe_tracepoint_prog(char *log, size_t loglen)
{
	/* r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (__u32)loglen,
		    .log_level = 0);
	int fd;

	if (log && loglen)
		log[0] = '\0';
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "edrdiag_probe", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), &opts);
	if (fd < 0)
		return fd < -1 ? fd : -errno;
	close(fd);
	return 0;
}

int probe_ringbuf(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "edrdiag_probe", 0, 0,
			    (__u32)(page > 0 ? page : 4096), NULL);
	if (fd < 0)
		return fd < -1 ? fd : -errno;
	close(fd);
	return 0;
}

const char *probe_explain(int err, const char *what)
{
	bool ringbuf = !strcmp(what, "ringbuf");

	switch (-err) {
	case 0:
		return _("works");
	case EPERM:
		return _(
			"bpf() refused the caller: missing CAP_BPF/CAP_PERFMON or CAP_SYS_ADMIN, a "
			"seccomp or LSM policy (containers often block bpf()), or on kernels "
			"before "
			"5.11 a low RLIMIT_MEMLOCK");
	case EACCES:
		return _("the verifier or an LSM rejected the program");
	case ENOSYS:
		return _("the kernel has no bpf() system call (CONFIG_BPF_SYSCALL is off)");
	case EINVAL:
		return ringbuf ? _("the kernel has no BPF ring buffer (needs 5.8): the sensor must "
				   "use "
				   "its perf buffer fallback")
			       : _("the kernel does not support tracepoint programs "
				   "(CONFIG_BPF_EVENTS "
				   "off, or too old)");
	case E2BIG:
		return _("the kernel rejected the attributes as too big: kernel too old for this "
			 "libbpf?");
	case ENOMEM:
		return _("out of locked memory: raise RLIMIT_MEMLOCK (ulimit -l) on kernels before "
			 "5.11");
	}
	return _("unexpected error from bpf()");
}
