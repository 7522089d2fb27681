// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-object's engine: see bpfobject.h. Every byte of the object is hostile: names and
 * sections are kept as libbpf gives them and escaped where they are shown (text.h).
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfobject.h"
#include "btfsubset.h"
#include "btfread.h"
#include "caps.h"
#include "corerelo.h"
#include "sig.h"
#include "strbuf.h"
#include "tracefs.h"
#include "util.h"

#define LOG_START    (1u << 20)
#define LIBBPF_CAP   (1u << 20) /* libbpf's own messages kept per load */
#define LICENSE_MAX  128
#define ELF_HDR_SIZE 64

/* libbpf's messages, captured while one open or load runs */
static struct strbuf cap;

/* libbpf hands its own format strings over: the attribute tells the compiler so */
__attribute__((format(printf, 2, 0))) static int cap_print(enum libbpf_print_level level,
							   const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (cap.len + (size_t)n < LIBBPF_CAP)
		strbuf_put(&cap, line, (size_t)n);
	return 0;
}

static libbpf_print_fn_t cap_begin(void)
{
	cap.len = 0;
	return libbpf_set_print(cap_print);
}

static char *cap_end(libbpf_print_fn_t prev, size_t *len)
{
	char *s;

	libbpf_set_print(prev);
	s = util_xmalloc(cap.len + 1);
	memcpy(s, cap.p ? cap.p : "", cap.len);
	s[cap.len] = '\0';
	if (len)
		*len = cap.len;
	return s;
}

/*
 * The kernel BTF and the target's (--btf, else the kernel's), each opened on first use with
 * edrdiag's own reader, which checks every offset of a file that may come from a customer:
 * an object whose programs need no BTF target, no kfunc, no helper name past the table and
 * no CO-RE listing never reads the 5.5 MB. The reader does not copy: 1.2 ms for the kernel's,
 * where libbpf's btf__new() took 3.6 (a copy, and its own indexes).
 */
static struct btfread *vmlinux_br, *target_br;
static const char *target_path; /* --btf (or the bundle's), NULL for the running kernel's */
static bool offline;		/* --root: the target is not this host: nothing probed here */
static bool vmlinux_tried;
static const void *vmlinux_raw; /* its bytes, mapped or read (NULL: neither) */
static size_t vmlinux_raw_len;
static char *target_data; /* --btf's bytes */
static char vmlinux_why[200], target_why[256];

#define VMLINUX_BTF	"/sys/kernel/btf/vmlinux"
#define VMLINUX_BTF_CAP (256u << 20)

/*
 * The kernel's BTF mapped read-only where the kernel allows it (6.16+: a private, read-only
 * mapping of the kernel's own copy, no 5.5 MB read 4 KiB at a time through sysfs), else read.
 */
static void *map_vmlinux(size_t *len)
{
	struct stat st;
	void *p = MAP_FAILED;
	int fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= VMLINUX_BTF_CAP)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return p;
}

static const struct btfread *vmlinux(void)
{
	char why[160];

	char *data;
	int e;

	if (vmlinux_tried)
		return vmlinux_br;
	vmlinux_tried = true;
	vmlinux_raw = map_vmlinux(&vmlinux_raw_len);
	if (!vmlinux_raw) {
		e = util_read_file(VMLINUX_BTF, VMLINUX_BTF_CAP, &data, &vmlinux_raw_len);
		if (e) {
			snprintf(vmlinux_why, sizeof(vmlinux_why), "%s: %s", VMLINUX_BTF,
				 strerror(-e));
			return NULL;
		}
		vmlinux_raw = data;
	}
	if (btfread_open(vmlinux_raw, vmlinux_raw_len, &vmlinux_br, why, sizeof(why)))
		snprintf(vmlinux_why, sizeof(vmlinux_why), "%s: %s", VMLINUX_BTF, why);
	return vmlinux_br;
}

static const struct btfread *target(void);

int bpfobject_set_target_bytes(const char *label, char *data, size_t n, char *err, size_t len)
{
	int e;

	target_path = label;
	target_data = data;
	e = corerelo_open_btf(target_data, n, &target_br, err, len);
	if (e) {
		snprintf(target_why, sizeof(target_why), "%.100s: %.150s", label, err);
		free(target_data);
		target_data = NULL;
	}
	return e;
}

void bpfobject_set_target_unavailable(const char *label, const char *why)
{
	target_path = label;
	target_br = NULL;
	snprintf(target_why, sizeof(target_why), "%.100s: %.150s", label, why);
}

int bpfobject_set_target(const char *btf_path, char *err, size_t len)
{
	char *data;
	size_t n;
	int e;

	target_path = btf_path;
	if (!btf_path)
		return 0;
	/* util_read_file: a regular file (a FIFO is refused, never waited on), size capped */
	e = util_read_file(btf_path, VMLINUX_BTF_CAP, &data, &n);
	if (e) {
		snprintf(err, len, "%s", strerror(-e));
		return e;
	}
	return bpfobject_set_target_bytes(btf_path, data, n, err, len);
}

void bpfobject_set_offline(bool on)
{
	offline = on;
}

bool bpfobject_target_is_subset(void)
{
	static const struct btfread *asked; /* the target last asked about, and its answer */
	static bool subset;
	const struct btfread *t = target();
	struct btfread_type ty;
	size_t id, n;

	if (!t || t == asked)
		return t && subset;
	asked = t;
	subset = true;
	if (btfread_find(t, BTFSUBSET_MARKER, BTFREAD_KIND_STRUCT))
		return subset;
	/* a bundle's subset from before the marker: no function at all (a kernel has 50,000) */
	n = btfread_nr_types(t);
	for (id = 1; id <= n && subset; id++)
		if (!btfread_type(t, (unsigned int)id, &ty) && ty.kind == BTFREAD_KIND_FUNC)
			subset = false;
	return subset;
}

/*
 * The first enumerator of value value, its name starting with prefix, in t's enum enum_name:
 * 1 (its name in *name), 0 there is none, -1 t is NULL or has no such enum.
 */
static int enum_find_value(const struct btfread *t, const char *enum_name, long long value,
			   const char *prefix, const char **name)
{
	struct btfread_type ty;
	unsigned int id = t ? btfread_find(t, enum_name, BTFREAD_KIND_ENUM) : 0, i;
	long long v;

	if (!id || btfread_type(t, id, &ty))
		return -1;
	for (i = 0; i < ty.vlen; i++)
		if (!btfread_enumerator_at(t, id, i, name, &v) && v == value &&
		    util_startswith(*name, prefix))
			return 1;
	return 0;
}

/*
 * Offline (--root), what the target kernel offers is read from its BTF's enums, not probed
 * here: 1 the enum names the value, 0 it does not, -1 the target BTF has no such enum.
 */
static int target_enum_has(const char *enum_name, long long value)
{
	const char *n;

	return enum_find_value(target(), enum_name, value, "", &n);
}

const struct btfread *bpfobject_target(char *why, size_t len)
{
	const struct btfread *t = target_path ? target_br : vmlinux();

	if (!t)
		snprintf(why, len, "%s",
			 target_path && target_why[0]	  ? target_why
			 : !target_path && vmlinux_why[0] ? vmlinux_why
							  : "no target BTF");
	return t;
}

/* The BTF the programs' attach targets, kfuncs and CO-RE relocations are checked against. */
static const struct btfread *target(void)
{
	char why[8];

	return bpfobject_target(why, sizeof(why));
}

/* The helpers this build's uapi header knows, by id; the kernel's BTF names later ones. */
#define HELPER_NAME(x) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[__BPF_FUNC_MAX_ID] = { __BPF_FUNC_MAPPER(HELPER_NAME) };
#undef HELPER_NAME

static void helper_name(int id, char *buf, size_t len)
{
	const struct btfread *vb;
	const char *n;

	if (id > 0 && id < __BPF_FUNC_MAX_ID && helper_names[id]) {
		snprintf(buf, len, "%s", helper_names[id]);
		return;
	}
	snprintf(buf, len, "#%d", id);
	vb = id <= 0 ? NULL : offline ? target() : vmlinux();
	if (enum_find_value(vb, "bpf_func_id", id, "BPF_FUNC_", &n) == 1)
		snprintf(buf, len, "bpf_%s", n + 9);
}

/* May this process probe the kernel's features? libbpf's probes say "no" when refused. */
static bool can_probe(void)
{
	static int can = -1;
	char missing[64];

	if (can < 0)
		can = caps_can_trace_here(missing, sizeof(missing));
	return can;
}

/*
 * The helpers a program calls, from its instructions, each once. Its kfunc calls are still
 * "call -1" before libbpf loads it: scan_externs() names them from the ELF's relocations.
 */
static void scan_calls(struct bpfobject_prog *p, const struct bpf_program *prog)
{
	const struct bpf_insn *insn = bpf_program__insns(prog);
	enum bpf_prog_type type = bpf_program__type(prog);
	size_t n = bpf_program__insn_cnt(prog), i, k;

	p->nr_insns = n;
	p->straight = insn != NULL;
	for (i = 0; insn && i < n; i++) {
		__u8 cls = BPF_CLASS(insn[i].code), op = BPF_OP(insn[i].code);
		int r;

		/* a backward jump (a loop: ja's 32-bit form keeps its offset in imm) */
		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT &&
		    (insn[i].off < 0 || (cls == BPF_JMP32 && op == BPF_JA && insn[i].imm < 0)))
			p->straight = false;
		/* a callback's address (bpf_loop, for_each_map_elem): a subprogram */
		if (insn[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insn[i].src_reg == BPF_PSEUDO_FUNC)
			p->straight = false;
		if (insn[i].code != (BPF_JMP | BPF_CALL))
			continue;
		/* a subprogram or a kfunc: read_elf() tells them apart through the relocations */
		if (insn[i].src_reg != 0)
			continue;
		for (k = 0; k < p->nr_calls; k++)
			if (p->calls[k].id == insn[i].imm)
				break;
		if (k < p->nr_calls)
			continue;
		p->calls = util_xrealloc(p->calls, (p->nr_calls + 1) * sizeof(*p->calls));
		memset(&p->calls[k], 0, sizeof(p->calls[k]));
		p->calls[k].id = insn[i].imm;
		/* unprivileged, a probe fails for want of privilege: unknown, not "no" */
		if (offline)
			r = target_enum_has("bpf_func_id", insn[i].imm);
		else
			r = can_probe()
				    ? libbpf_probe_bpf_helper(type, (enum bpf_func_id)insn[i].imm,
							      NULL)
				    : -EPERM;
		p->calls[k].supported = r < 0 ? -1 : r > 0;
		helper_name(insn[i].imm, p->calls[k].name, sizeof(p->calls[k].name));
		p->nr_calls++;
	}
}

/*
 * Is name a function of a loaded module's BTF (/sys/kernel/btf/MODULE, split on vmlinux)?
 * Asked only for a kfunc the kernel's own BTF lacks.
 */
static bool in_module_btf(const char *name)
{
	libbpf_print_fn_t prev;
	struct dirent *de;
	struct btf *base = NULL;
	bool found = false;
	DIR *d;

	d = opendir("/sys/kernel/btf");
	if (!d)
		return false;
	prev = libbpf_set_print(NULL);
	while (!found && (de = readdir(d))) {
		char path[300];
		struct btf *m;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		/* a module's BTF is split on the kernel's: libbpf's parser, once there is one */
		if (!base)
			base = btf__load_vmlinux_btf();
		if (!base)
			break;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", de->d_name);
		m = btf__parse_split(path, base);
		if (!m)
			continue;
		found = btf__find_by_name_kind(m, name, BTF_KIND_FUNC) > 0;
		btf__free(m);
	}
	btf__free(base);
	libbpf_set_print(prev);
	closedir(d);
	return found;
}

/* A kfunc call of p, once: supported when the target BTF has a function of that name. */
static void add_kfunc(struct bpfobject_prog *p, const char *name, bool weak)
{
	const struct btfread *tb = target();
	struct bpfobject_call *c;
	unsigned int id;
	size_t k;

	for (k = 0; k < p->nr_calls; k++)
		if (p->calls[k].kfunc && !strcmp(p->calls[k].name, name))
			return;
	p->calls = util_xrealloc(p->calls, (p->nr_calls + 1) * sizeof(*p->calls));
	c = &p->calls[p->nr_calls++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->kfunc = true;
	c->weak = weak;
	id = tb ? btfread_find(tb, name, BTFREAD_KIND_FUNC) : 0;
	c->id = id ? (int)id : -1;
	c->supported = tb ? id > 0 : -1;
	if (!id && tb && offline && bpfobject_target_is_subset())
		c->supported = -1; /* the bundle's subset keeps no function */
	else if (!id && tb && !target_path && in_module_btf(name))
		c->supported = 1; /* a loaded module's (libbpf looks there too) */
}

/* Where the section says the program attaches, and by which mechanism. */
static void parse_section(struct bpfobject_prog *p)
{
	static const struct {
		const char *prefix, *mechanism, *btf_prefix;
	} kinds[] = {
		{ "tracepoint/", "tracepoint", NULL },
		{ "tp/", "tracepoint", NULL },
		{ "kprobe/", "kprobe", NULL },
		{ "kretprobe/", "kprobe", NULL },
		{ "ksyscall/", "kprobe", NULL },
		{ "kretsyscall/", "kprobe", NULL },
		{ "fentry/", "btf", "" },
		{ "fexit/", "btf", "" },
		{ "fmod_ret/", "btf", "" },
		{ "fentry.s/", "btf", "" },
		{ "fexit.s/", "btf", "" },
		{ "lsm/", "btf", "bpf_lsm_" },
		{ "lsm.s/", "btf", "bpf_lsm_" },
		{ "tp_btf/", "btf", "btf_trace_" },
		{ "raw_tp/", "raw_tracepoint", "btf_trace_" },
		{ "raw_tracepoint/", "raw_tracepoint", "btf_trace_" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (util_startswith(p->section, kinds[i].prefix) &&
		    p->section[strlen(kinds[i].prefix)] != '\0') {
			p->mechanism = kinds[i].mechanism;
			p->target = util_xstrdup(p->section + strlen(kinds[i].prefix));
			return;
		}
}

static bool kprobes_available(void)
{
	struct tracefs_location loc;
	char path[sizeof(loc.dir) + 16];

	if (!access("/sys/bus/event_source/devices/kprobe", F_OK))
		return true;
	tracefs_locate(NULL, &loc);
	snprintf(path, sizeof(path), "%s/kprobe_events", loc.dir);
	return loc.dir[0] && !access(path, F_OK);
}

/* The attach stage, checked without attaching: false (with cause_hint) when it cannot. */
static bool attach_possible(struct bpfobject_prog *p)
{
	unsigned int kind = BTFREAD_KIND_FUNC;
	const struct btfread *tb;
	const char *prefix = "";
	char name[256];

	if (!p->mechanism)
		return true;
	if (!strcmp(p->mechanism, "tracepoint")) {
		struct tracefs_location loc;
		char path[sizeof(loc.dir) + 512];
		struct stat st;

		tracefs_locate(NULL, &loc);
		if (!loc.dir[0]) {
			snprintf(p->attach_note, sizeof(p->attach_note),
				 "tracefs not found: the tracepoint was not checked");
			return true;
		}
		snprintf(path, sizeof(path), "%s/events/%s", loc.dir, p->target);
		if (!strchr(p->target, '/') || strstr(p->target, "..") || stat(path, &st) ||
		    !S_ISDIR(st.st_mode)) {
			snprintf(p->attach_note, sizeof(p->attach_note),
				 "no tracepoint: %.*s is absent", 400, path);
			p->cause_hint = "attach.tracepoint-missing";
			return false;
		}
		snprintf(p->attach_note, sizeof(p->attach_note), "tracepoint present: %.*s", 400,
			 path);
		return true;
	}
	if (!strcmp(p->mechanism, "kprobe")) {
		if (!kprobes_available()) {
			snprintf(p->attach_note, sizeof(p->attach_note),
				 "kprobes unavailable: no /sys/bus/event_source/devices/kprobe, no "
				 "kprobe_events (CONFIG_KPROBES off)");
			p->cause_hint = "attach.kprobes-unavailable";
			return false;
		}
		snprintf(p->attach_note, sizeof(p->attach_note), "kprobes available");
		return true;
	}
	/* btf and raw_tracepoint: the target's BTF entry */
	if (util_startswith(p->section, "lsm")) {
		prefix = "bpf_lsm_";
	} else if (util_startswith(p->section, "tp_btf/") ||
		   util_startswith(p->section, "raw_tp")) {
		prefix = "btf_trace_";
		kind = BTFREAD_KIND_TYPEDEF;
	}
	snprintf(name, sizeof(name), "%s%s", prefix, p->target);
	tb = target();
	if (!tb) {
		snprintf(p->attach_note, sizeof(p->attach_note),
			 "no kernel BTF: target %.*s not checked", 200, name);
		return true;
	}
	if (!btfread_find(tb, name, kind)) {
		snprintf(p->attach_note, sizeof(p->attach_note), "the kernel BTF has no %s %.*s",
			 kind == BTFREAD_KIND_FUNC ? "function" : "typedef", 200, name);
		p->cause_hint = !strcmp(p->mechanism, "raw_tracepoint")
					? "attach.tracepoint-missing"
					: "attach.btf-target-missing";
		return false;
	}
	snprintf(p->attach_note, sizeof(p->attach_note), "BTF target present: %.*s", 200, name);
	return true;
}

/*
 * What libbpf keeps to itself, read with the CO-RE reader's bounded ELF parser (corerelo.h):
 * the "license" section, each program's kfunc calls (still "call -1" before libbpf loads
 * it), and whether it calls a subprogram (then it is not straight).
 */
static void read_elf(struct bpfobject *o)
{
	struct corerelo_kfunc kf[64];
	char(*callees)[64] = util_xmalloc(CORERELO_MAX_CALLEES * sizeof(*callees));
	size_t len, off, size, i, k, n;
	char *data;

	if (util_read_file(o->path, CORERELO_FILE_MAX, &data, &len)) {
		free(callees);
		return;
	}
	if (!corerelo_elf_section(data, len, "license", &off, &size) && size) {
		n = strnlen(data + off, size < LICENSE_MAX ? size : LICENSE_MAX);
		o->license = util_xmalloc(n + 1);
		memcpy(o->license, data + off, n);
		o->license[n] = '\0';
	}
	for (i = 0; i < o->nr_progs; i++) {
		struct bpfobject_prog *p = &o->progs[i];

		if (corerelo_callees(data, len, p->name, callees, CORERELO_MAX_CALLEES))
			p->straight = false;
		n = corerelo_kfuncs(data, len, p->name, kf, sizeof(kf) / sizeof(kf[0]));
		for (k = 0; k < n; k++)
			add_kfunc(p, kf[k].name, kf[k].weak);
	}
	free(callees);
	free(data);
}

/* Is it a BPF ELF at all? 0, or -errno with the reason: before libbpf's own words. */
static int precheck(const char *path, char *err, size_t len)
{
	unsigned char h[ELF_HDR_SIZE];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, len, "%s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, len, "not a regular file");
		return -EINVAL;
	}
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n < 4 || memcmp(h, "\177ELF", 4)) {
		snprintf(err, len, "not an ELF file");
		return -ENOEXEC;
	}
	if (n < ELF_HDR_SIZE || h[4] != 2 /* ELFCLASS64 */) {
		snprintf(err, len, "truncated or not a 64-bit ELF header");
		return -ENOEXEC;
	}
	/* e_machine, little- or big-endian by e_ident[EI_DATA] */
	if ((h[5] == 1 ? (h[18] | h[19] << 8) : (h[19] | h[18] << 8)) != 247 /* EM_BPF */) {
		snprintf(err, len, "an ELF file, but not a BPF object (e_machine is not EM_BPF)");
		return -ENOEXEC;
	}
	return 0;
}

/* The last line libbpf wrote (its error; the ones before are often warnings), printable. */
static void last_line(const char *log, char *out, size_t len)
{
	const char *end = log + strlen(log), *start;
	size_t i, n;

	while (end > log && end[-1] == '\n')
		end--;
	start = end;
	while (start > log && start[-1] != '\n')
		start--;
	if (!strncmp(start, "libbpf: ", 8))
		start += 8;
	n = (size_t)(end - start);
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		out[i] = (start[i] >= 0x20 && start[i] < 0x7f) ? start[i] : '?';
	out[n] = '\0';
}

/*
 * libbpf's ELF and BTF parsing is not hardened against a crafted object: libbpf 1.1 reads out
 * of bounds on some damaged files (found by tests/cli/checkobject.bats). An object is
 * customer input, so it is first opened in a child: if that dies of a signal, the object is
 * refused with one line and the parent never parses it. Opening is deterministic, so an
 * object the child opened is then opened in the parent.
 */
static int open_in_child(const char *path, const char *btf_path, char *err, size_t len)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 0; /* no child to spare: open it here, as libbpf's users all do */
	if (pid == 0) {
		LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf_path);
		struct bpf_object *obj;

		libbpf_set_print(NULL);
		obj = bpf_object__open_file(path, &oo);
		bpf_object__close(obj);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFSIGNALED(status)) {
		char sig[16];

		snprintf(err, len, "malformed: libbpf crashed (%s) parsing it",
			 sig_name(WTERMSIG(status), sig, sizeof(sig)));
		return -EINVAL;
	}
	return 0;
}

int bpfobject_open(struct bpfobject *o, const char *path, const char *btf_path, char *err,
		   size_t len)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = btf_path);
	libbpf_print_fn_t prev;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	struct utsname u;
	int e;

	memset(o, 0, sizeof(*o));
	e = precheck(path, err, len);
	if (!e)
		e = open_in_child(path, btf_path, err, len);
	if (e)
		return e;
	o->path = util_xstrdup(path);
	o->btf_path = btf_path;
	if (!uname(&u))
		o->kversion = util_xstrdup(u.release);
	if (btf_path && btf_path != target_path) {
		e = bpfobject_set_target(btf_path, err, len);
		if (e)
			return e;
	}
	prev = cap_begin();
	obj = bpf_object__open_file(path, &oo);
	e = obj ? 0 : -errno;
	o->open_log = cap_end(prev, NULL);
	if (!obj) {
		char line[200];

		char why[128];

		last_line(o->open_log, line, sizeof(line));
		libbpf_strerror(e, why, sizeof(why));
		snprintf(err, len, "libbpf cannot open it (%s)%s%s", why, line[0] ? ": " : "",
			 line);
		return e ? e : -EINVAL;
	}
	bpf_object__for_each_program (prog, obj) {
		struct bpfobject_prog *p;
		enum bpf_attach_type at = bpf_program__expected_attach_type(prog);
		const char *s;

		o->progs = util_xrealloc(o->progs, (o->nr_progs + 1) * sizeof(*o->progs));
		p = &o->progs[o->nr_progs++];
		memset(p, 0, sizeof(*p));
		p->name = util_xstrdup(bpf_program__name(prog));
		p->section = util_xstrdup(bpf_program__section_name(prog));
		s = libbpf_bpf_prog_type_str(bpf_program__type(prog));
		p->type = s ? s : "unknown";
		s = at ? libbpf_bpf_attach_type_str(at) : NULL;
		p->attach_type = s ? s : "";
		p->verified_insns = -1;
		parse_section(p);
		scan_calls(p, prog);
	}
	bpf_object__for_each_map (map, obj) {
		struct bpfobject_map *m;
		const char *s;
		int r;

		o->maps = util_xrealloc(o->maps, (o->nr_maps + 1) * sizeof(*o->maps));
		m = &o->maps[o->nr_maps++];
		m->name = util_xstrdup(bpf_map__name(map));
		s = libbpf_bpf_map_type_str(bpf_map__type(map));
		m->type = s ? s : "unknown";
		if (offline)
			r = target_enum_has("bpf_map_type", bpf_map__type(map));
		else
			r = can_probe() ? libbpf_probe_bpf_map_type(bpf_map__type(map), NULL)
					: -EPERM;
		m->supported = r < 0 ? -1 : r > 0;
		m->pin_asked = bpf_map__pin_path(map) != NULL;
	}
	bpf_object__close(obj);
	if (!o->nr_progs) {
		snprintf(err, len, "the object holds no BPF program");
		return -ENOENT;
	}
	read_elf(o);
	return 0;
}

static void core_closest(struct bpfobject_prog *p);

/* The CO-RE relocation libbpf could not resolve: "struct task_struct.pid (0:2 @ offset 8)". */
static void core_missing(struct bpfobject_prog *p)
{
	const char *key = "failed to resolve CO-RE relocation ";
	/* libbpf rewrites the kernel's log in place, or says it in its own words */
	const char *at = p->log ? strstr(p->log, key) : NULL, *end;
	size_t n, i;

	p->core_missing[0] = '\0';
	if (!at && p->libbpf_log)
		at = strstr(p->libbpf_log, key);
	if (!at)
		return;
	at += strlen(key);
	end = strchr(at, '\n');
	n = end ? (size_t)(end - at) : strlen(at);
	if (n >= sizeof(p->core_missing))
		n = sizeof(p->core_missing) - 1;
	for (i = 0; i < n; i++)
		p->core_missing[i] = at[i] >= 0x20 && at[i] < 0x7f ? at[i] : '?';
	p->core_missing[n] = '\0';
	core_closest(p);
}

/*
 * For "struct NAME.FIELD ..." that did not resolve: the target BTF's member of NAME closest
 * to FIELD by name, or that the target has no such struct.
 */
static void core_closest(struct bpfobject_prog *p)
{
	char sname[128], field[128];
	const char *at = strstr(p->core_missing, "struct "), *best = NULL, *mn;
	const struct btfread *tb;
	struct btfread_type t;
	unsigned int id, i, mtype, moff;
	size_t n, d, bestd = (size_t)-1;

	p->core_closest[0] = '\0';
	tb = at ? target() : NULL;
	if (!tb)
		return;
	at += 7;
	n = strcspn(at, ". ");
	if (!n || n >= sizeof(sname) || at[n] != '.')
		return;
	memcpy(sname, at, n);
	sname[n] = '\0';
	/* libbpf matches task_struct___x with the target's task_struct: the flavour goes */
	sname[btfread_essential_len(sname)] = '\0';
	at += n + 1;
	n = strcspn(at, ". (");
	if (!n || n >= sizeof(field))
		return;
	memcpy(field, at, n);
	field[n] = '\0';
	id = btfread_find(tb, sname, BTFREAD_KIND_STRUCT);
	if (!id || btfread_type(tb, id, &t)) {
		snprintf(p->core_closest, sizeof(p->core_closest),
			 "the target BTF has no struct %s", sname);
		return;
	}
	for (i = 0; i < t.vlen; i++) {
		if (btfread_member_at(tb, id, i, &mn, &mtype, &moff) || !*mn)
			continue;
		d = corerelo_distance(field, mn);
		if (d < bestd) {
			bestd = d;
			best = mn;
		}
	}
	/* an unrelated name is no suggestion: at most half the longer name may differ */
	if (best &&
	    2 * bestd > (strlen(field) > strnlen(best, 63) ? strlen(field) : strnlen(best, 63)))
		best = NULL;
	if (best)
		snprintf(p->core_closest, sizeof(p->core_closest),
			 "the target's struct %s has no %s; closest by name: %s.%.64s", sname,
			 field, sname, best);
	else
		snprintf(p->core_closest, sizeof(p->core_closest),
			 "the target's struct %s has no member %s", sname, field);
}

static bool mech_is(const struct bpfobject_prog *p, const char *m)
{
	return p->mechanism && !strcmp(p->mechanism, m);
}

/*
 * The verifier ran and said why: the shared log buffer may also hold the kernel's log of the
 * object's BTF (libbpf loads it with the same buffer), which says nothing of the program.
 */
static bool verifier_wrote(const char *log)
{
	return log && (strstr(log, "processed ") || strstr(log, "verification time"));
}

/* Which stage refused the load, from errno and libbpf's words. */
static const char *load_stage(struct bpfobject_prog *p, int err)
{
	const char *l = p->libbpf_log;
	bool kernel_saw = strstr(l, "BPF program load failed") || (p->log && p->log[0]);

	/* the object names no program type: libbpf 1.1 says so only when it loads */
	if (strstr(l, "missing BPF prog type") || strstr(l, "failed to guess program type"))
		return "open";
	/* libbpf poisons an unresolved CO-RE relocation, which the kernel then refuses */
	if (p->core_missing[0] || strstr(l, "no matching targets found"))
		return "relocation";
	if (strstr(l, "failed to find kernel BTF type ID of")) {
		p->cause_hint = "attach.btf-target-missing";
		return "attach";
	}
	/* refused before the verifier ran: with a verifier log, the verifier refused it */
	if ((err == EPERM || err == EACCES) && mech_is(p, "btf") && kernel_saw &&
	    !verifier_wrote(p->log) && geteuid() == 0) {
		p->cause_hint = "attach.fentry-refused";
		return "attach";
	}
	/* the verifier wrote its log: it refused the program (EACCES is its usual errno) */
	if (verifier_wrote(p->log))
		return "load";
	if (err == EPERM || err == EACCES) {
		char missing[64];

		if (!caps_can_trace_here(missing, sizeof(missing))) {
			p->cause_hint = "perm.no-capability";
			snprintf(p->attach_note, sizeof(p->attach_note), "missing %s", missing);
		}
		return "permission";
	}
	if (kernel_saw)
		return "load";
	if (strstr(l, "relo") || strstr(l, "extern") || strstr(l, "CO-RE") || strstr(l, "ksym"))
		return "relocation";
	return "load";
}

/*
 * A 6.4+ kernel keeps the end of a log that does not fit (where the error is), and fails
 * the load with ENOSPC; an older one keeps its start. 0 unknown (not 6.x or later).
 */
static bool log_keeps_tail(const struct bpfobject *o)
{
	unsigned int major = 0, minor = 0;

	if (!o->kversion || sscanf(o->kversion, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 4);
}

/*
 * Open the object again, keep only program idx, load it with the verifier log at level
 * into buf, and (attach) attach it for a moment. Returns 0 or -errno; libbpf's messages
 * replace p->libbpf_log. "open" failures set p->stage and return -errno with p->err set.
 */
static int load_once(struct bpfobject *o, size_t idx, bool attach, __u32 level, char *buf,
		     size_t size)
{
	struct bpfobject_prog *p = &o->progs[idx];
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->btf_path, .kernel_log_buf = buf,
		    .kernel_log_size = size, .kernel_log_level = level);
	struct bpf_program *prog, *mine = NULL;
	libbpf_print_fn_t prev;
	struct bpf_object *obj;
	struct bpf_map *map;
	size_t i = 0;
	int err;

	buf[0] = '\0';
	prev = cap_begin();
	obj = bpf_object__open_file(o->path, &oo);
	if (!obj) {
		err = -errno;
		p->stage = "open";
		goto out;
	}
	bpf_object__for_each_program (prog, obj) {
		bpf_program__set_autoload(prog, i == idx);
		if (i++ == idx)
			mine = prog;
	}
	/* never pin on the host's bpffs */
	bpf_object__for_each_map (map, obj)
		bpf_map__set_pin_path(map, NULL);
	err = bpf_object__load(obj);
	if (!err && mine) {
		struct bpf_prog_info info;
		__u32 ilen = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(bpf_program__fd(mine), &info, &ilen))
			p->verified_insns = info.verified_insns;
		if (attach && p->mechanism) {
			struct bpf_link *link = bpf_program__attach(mine);

			if (!link) {
				err = -errno;
				p->stage = "attach";
			} else {
				p->attached = true;
				bpf_link__destroy(link);
			}
		}
	}
	bpf_object__close(obj);
out:
	free(p->libbpf_log);
	p->libbpf_log = cap_end(prev, &p->libbpf_log_len);
	return err;
}

/*
 * The verdict comes from a load at log level 4 (the verifier's messages and statistics,
 * not its instruction trace): as cheap as a load without a log. Only a program that fails
 * is loaded again at level 1|4 for the failing instruction and its source line; its
 * verdict and errno stay those of the first load. The trace's buffer grows x4 on ENOSPC,
 * except on a kernel that keeps a long log's end: there the end, with the error, is in.
 * A short straight program (no loop, no subprogram or callback, at most TRACE_FIRST_INSNS
 * instructions) is loaded once at level 1|4, verdict and trace together: level 1 keeps the
 * trace of the path being verified only (a path that reached its exit is dropped), and a
 * straight program's paths are at most as long as it is, so its trace stays far under
 * LOG_START. Should it not fit all the same, its verdict comes from a level-4 load.
 * (Before, every program was loaded at level 1|4, and a large one was verified up to four
 * times over while its log grew: 3 s for the corpus's too-complex program, veristat's 0.25.)
 */
#define TRACE_FIRST_INSNS 2048

static void load_one(struct bpfobject *o, size_t idx, bool attach)
{
	struct bpfobject_prog *p = &o->progs[idx];
	size_t size = LOG_START;
	__u32 level = p->straight && p->nr_insns <= TRACE_FIRST_INSNS ? 1 | 4 : 4;
	bool verdict = true; /* this load's errno is the verdict */
	int err = 0, first = 0;

	for (;;) {
		char *buf = util_xmalloc(size);

		err = load_once(o, idx, attach && verdict, level, buf, size);
		if (p->stage && !strcmp(p->stage, "open")) {
			p->err = -err;
			p->verdict = BPFOBJECT_FAIL;
			free(buf);
			return;
		}
		/* the trace asked with the verdict did not fit: the verdict from level 4 alone */
		if (verdict && level != 4 && err == -ENOSPC) {
			level = 4;
			p->stage = NULL;
			free(buf);
			continue;
		}
		/*
		 * failed: once more with the instruction trace, for the evidence. Only when the
		 * verifier ran (its statistics are in the log): a program libbpf refused before
		 * loading it (relocation, ksym, kfunc), or that the kernel refused before verifying
		 * it (fentry refused), has no trace to give. Not after E2BIG: the verifier gave up
		 * after a million instructions, a trace that long costs seconds and its last
		 * instruction is no cause; the statistics say it.
		 */
		if (verdict && level == 4 && err && err != -ENOSPC && err != -E2BIG &&
		    verifier_wrote(buf)) {
			first = err;
			verdict = false;
			level = 1 | 4;
			free(buf);
			continue;
		}
		if (err == -ENOSPC && size < BPFOBJECT_LOG_MAX &&
		    !(!verdict && log_keeps_tail(o))) {
			free(buf);
			size *= 4;
			continue;
		}
		if (first)
			err = first;
		free(p->log);
		p->log_len = strnlen(buf, size);
		p->log_size = size;
		p->log = buf;
		break;
	}
	core_missing(p);
	if (err) {
		p->err = err < 0 ? -err : EINVAL;
		p->verdict = BPFOBJECT_FAIL;
		if (!p->stage)
			p->stage = load_stage(p, p->err);
		else if (p->err == EPERM && mech_is(p, "btf"))
			p->cause_hint = "attach.fentry-refused";
		else if (mech_is(p, "kprobe") && !kprobes_available())
			p->cause_hint = "attach.kprobes-unavailable";
		return;
	}
	p->verdict = BPFOBJECT_PASS;
}

size_t bpfobject_check(struct bpfobject *o, const char *only, bool attach)
{
	size_t i, failed = 0;

	for (i = 0; i < o->nr_progs; i++) {
		struct bpfobject_prog *p = &o->progs[i];

		if (only && strcmp(p->name, only)) {
			p->verdict = BPFOBJECT_SKIP;
			continue;
		}
		load_one(o, i, attach);
		if (p->verdict == BPFOBJECT_PASS && !attach_possible(p)) {
			p->verdict = BPFOBJECT_FAIL;
			p->stage = "attach";
			p->err = ENOENT;
		} else if (p->verdict == BPFOBJECT_FAIL && !strcmp(p->stage, "load") &&
			   !p->attach_note[0]) {
			attach_possible(p); /* said beside the load's failure */
		}
		if (p->verdict == BPFOBJECT_FAIL)
			failed++;
	}
	return failed;
}

void bpfobject_free(struct bpfobject *o)
{
	size_t i;

	for (i = 0; i < o->nr_progs; i++) {
		struct bpfobject_prog *p = &o->progs[i];

		free(p->name);
		free(p->section);
		free(p->target);
		free(p->calls);
		free(p->log);
		free(p->libbpf_log);
	}
	for (i = 0; i < o->nr_maps; i++)
		free(o->maps[i].name);
	free(o->progs);
	free(o->maps);
	free(o->path);
	free(o->license);
	free(o->kversion);
	free(o->open_log);
	memset(o, 0, sizeof(*o));
}
