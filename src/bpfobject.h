/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFOBJECT_H
#define EDRDIAG_BPFOBJECT_H
#include <stdbool.h>
#include <stddef.h>

/*
 * check-object's engine (issue 16): a BPF ELF object opened with libbpf, its static facts
 * (programs, maps, helpers, attach targets), and each program loaded alone with the verifier
 * log on, then closed: nothing is left loaded, nothing is pinned, nothing stays attached.
 */

/* The largest verifier log kept: the buffer grows on ENOSPC up to this. */
#define BPFOBJECT_LOG_MAX (64u << 20)

/* A call in a program: a helper (its id) or a kfunc (its id in the target BTF, -1 absent). */
struct bpfobject_call {
	int id;
	bool kfunc;
	/*
	 * helper: 1 this kernel offers it for the type, 0 not, -1 unknown (no privilege);
	 * kfunc: 1 the target BTF has the function (whether the type may call it, the verifier
	 * says), 0 not, -1 no target BTF
	 */
	int supported;
	bool weak;     /* kfunc: declared __weak (the program may test it is there) */
	char name[64]; /* "bpf_map_lookup_elem" (helper), "bpf_task_release" (kfunc), or "#N" */
};

struct bpfobject_map {
	char *name;
	const char *type; /* libbpf_bpf_map_type_str, or "unknown" */
	int supported;	  /* 1 this kernel has the type, 0 not, -1 unknown (no privilege) */
	bool pin_asked;	  /* the object asks for it to be pinned (never done here) */
};

enum bpfobject_verdict {
	BPFOBJECT_PASS,
	BPFOBJECT_FAIL,
	BPFOBJECT_SKIP, /* not loaded (another --program was asked) */
};

struct bpfobject_prog {
	char *name;
	char *section;
	const char *type;	 /* "tracepoint", "kprobe", ... */
	const char *attach_type; /* expected attach type, or "" */
	char *target;		 /* "sched/sched_process_exec", "do_unlinkat", or NULL */
	const char *mechanism;	 /* "tracepoint", "kprobe", "btf" (fentry...), "raw_tracepoint" */
	size_t nr_insns;
	bool straight; /* no backward jump, no subprogram call: verified in about nr_insns steps */
	struct bpfobject_call *calls;
	size_t nr_calls;

	enum bpfobject_verdict verdict;
	const char *stage; /* failing stage: "open", "relocation", "load", "permission", "attach" */
	int err;	   /* positive errno of the failing step, 0 */
	char *log;	   /* the verifier log (kernel), NULL when none */
	size_t log_len;
	size_t log_size;  /* the verifier log buffer the last load had (grown on ENOSPC) */
	char *libbpf_log; /* libbpf's own messages during the load */
	size_t libbpf_log_len;
	const char *cause_hint; /* a cause edrdiag found itself (attach stage, permission) */
	char attach_note[512];	/* what the attach-stage check found */
	char core_missing[256]; /* the CO-RE relocation libbpf could not resolve, or "" */
	char core_closest[512]; /* what the target has instead (closest member by name), or "" */
	long verified_insns;	/* from bpf_prog_info when it loaded, else -1 */
	bool attached;		/* --attach: it attached and was detached */
};

struct bpfobject {
	char *path;
	char *license;
	char *kversion;
	struct bpfobject_prog *progs;
	size_t nr_progs;
	struct bpfobject_map *maps;
	size_t nr_maps;
	char *open_log; /* libbpf's messages of the open */
	const char *btf_path;
};

/*
 * Open path (with btf_path as the target BTF when not NULL: bpfobject_set_target) and fill
 * the static facts. 0, or -errno with a one-line reason in err (not an ELF, truncated, no
 * programs, a btf_path that is no BTF).
 */
int bpfobject_open(struct bpfobject *o, const char *path, const char *btf_path, char *err,
		   size_t len);
/*
 * Load each program alone (only: just that one, NULL: all), check its attach stage, and
 * with attach, attach tracing programs for a moment. Never fails as a whole: each program
 * gets its verdict. Returns the number of programs that failed.
 */
size_t bpfobject_check(struct bpfobject *o, const char *only, bool attach);
void bpfobject_free(struct bpfobject *o);
struct btfread;
/*
 * The target BTF: the file btf_path (raw BTF, or an ELF with .BTF such as pahole -J output),
 * read whole (a regular file, at most 256 MiB) and validated by edrdiag's reader before
 * libbpf sees it; NULL: the running kernel's. 0, or -errno with a one-line reason in err.
 */
int bpfobject_set_target(const char *btf_path, char *err, size_t len);
/* The same from bytes read elsewhere (a bundle's file: label names it); takes data. */
int bpfobject_set_target_bytes(const char *label, char *data, size_t n, char *err, size_t len);
/* No target BTF, for why (a bundle without one): never the running kernel's instead. */
void bpfobject_set_target_unavailable(const char *label, const char *why);
/*
 * Offline (check-object --root): the target is not this host, so nothing is probed here;
 * helpers and map types are judged by the target BTF's enums, kfuncs by its functions.
 */
void bpfobject_set_offline(bool on);
/* The target BTF is a bundle's subset (btfsubset.h): a type missing from it is not known. */
bool bpfobject_target_is_subset(void);
/*
 * The target BTF, opened once and kept for the process's life (check-object's CO-RE listing
 * reads the same), or NULL with why.
 */
const struct btfread *bpfobject_target(char *why, size_t len);

#endif
