/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_CMD_H
#define EDRDIAG_CMD_H

#include "../src/cliopt.h"
#include "../src/finding.h"
#include "../src/tracefs.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit codes, documented in edrdiag(8) (DESIGN.md 5). */
enum {
	EXIT_PASS = 0,	 /* all checks pass (warnings allowed unless --strict) */
	EXIT_FAILED = 1, /* at least one check failed */
	EXIT_USAGE = 2,	 /* usage error or bad input */
	EXIT_ENV = 3,	 /* environment: missing privilege, BPF unavailable, write failure */
};

/* Dispatcher-checked preconditions (git's RUN_SETUP idea). */
enum {
	CMD_NEEDS_BPF = 1 << 0, /* needs CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN: exit 3 if not */
	CMD_LIVE_ONLY = 1 << 1, /* meaningless under --root: usage error */
	CMD_ONE_ARG = 1 << 2,	/* takes one positional argument (fleet-summary's DIR) */
};

/*
 * One host path a command reads. HOST_FILE: a file, of which only the first limit bytes
 * are needed when limit > 0. HOST_DIR: a directory looked at, never read: collect-report
 * records what the host says of it (absent, permission denied), as a replay must see it.
 */
enum host_kind { HOST_FILE, HOST_DIR };
typedef void (*host_want_fn)(const char *host_path, enum host_kind kind, size_t limit, void *arg);

/*
 * One subcommand. Options are parsed by the dispatcher together with the global ones;
 * parse_opt gets each of the command's own (key = the option's val) and returns 0 or
 * EXIT_USAGE after reporting with p_err.
 */
struct cmd {
	const char *name;
	const char *summary;	   /* one line, for `edrdiag help` */
	const char *synopsis;	   /* "[--kernel-config FILE]" */
	const struct cliopt *opts; /* getopt's, -h's and completion's one source; {0} ends it */
	int (*parse_opt)(int key, const char *arg);
	/* options that conflict, checked after parsing and before any privilege check */
	int (*check_opts)(void);
	int (*run)(int argc, char **argv);
	unsigned int flags;
	const char *args_hint; /* said when a positional argument is given; none is taken */
	/*
	 * Every host path run() reads on a live host, given to want() through the same lists
	 * run() reads from, so that collect-report collects exactly what a replay under --root
	 * reads (DESIGN.md 3). NULL when the command reads no host file a replay needs.
	 */
	void (*host_files)(host_want_fn want, void *arg);
};

/* The command table (cmd/main.c), for collect-report. */
const struct cmd *const *cmd_table(size_t *n);

/* Global options, set by the dispatcher before run(). */
struct global_opts {
	bool strict;
	bool verbose;
};

extern struct global_opts global;

extern const struct cmd cmd_check_kernel;
extern const struct cmd cmd_check_tracepoints;
extern const struct cmd cmd_check_object;
extern const struct cmd cmd_run_sensor;
extern const struct cmd cmd_stats;
extern const struct cmd cmd_map_dump;
extern const struct cmd cmd_collect_report;
extern const struct cmd cmd_export;
extern const struct cmd cmd_fleet_summary;

/* Parse a decimal option value in [min, max]; p_err naming the option on failure. */
int opt_parse_range(const char *opt, const char *arg, unsigned long min, unsigned long max,
		    unsigned long *out);
/* A decimal written as digits with at most one dot (no sign, exponent or space): 0 or -EINVAL. */
int opt_decimal(const char *arg, double *out);
/* Parse seconds written as digits with at most one dot (0.5, 3) in [min, max]; p_err too. */
int opt_parse_seconds(const char *opt, const char *arg, double min, double max, double *out);

/* --agent PID|NAME (stats, export): the argument, and the pid when it is a number */
struct agent_opt {
	const char *arg; /* NULL: not given */
	pid_t pid;
};
/* Parse --agent's argument; p_err and EXIT_USAGE when it is neither a pid nor a comm. */
int agent_opt_parse(struct agent_opt *a, const char *arg);
/*
 * The agent's pid (a thread's id stands for its process): 0, EXIT_USAGE when no such live
 * process or a name that is ambiguous, EXIT_ENV when /proc cannot be read; p_err says which.
 */
int agent_opt_resolve(const struct agent_opt *a, pid_t self, pid_t *pid);

/*
 * The host facts a sample needs (clock ticks, online CPUs) and tracefs where
 * check-tracepoints finds it (a standard place, else a mount; NULL when none), into cfg;
 * loc holds the tracefs path cfg points at.
 */
struct bpfsample_cfg;
void cmd_sample_host(struct bpfsample_cfg *cfg, struct tracefs_location *loc);

/* A BPF object listing or lookup that failed: p_err ("what: why", CAP_SYS_ADMIN for EPERM). */
int cmd_bpf_err(const char *what, int err);

/*
 * The checks of check-kernel and check-tracepoints into r (initialised by the caller), as
 * the commands run them with their default options, for export. 0, or an exit code.
 */
int check_kernel_gather(struct report *r);
int check_tracepoints_gather(struct report *r);
/* A check command's run(): gather its report, print it, exit by it. */
int cmd_report(int (*gather)(struct report *r));

#endif
