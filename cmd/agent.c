// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What `stats` and `export` share: the --agent PID|NAME option, resolved to one live
 * process; the host facts a sample needs (clock ticks, CPUs, where tracefs is); and the
 * message for a BPF object listing that failed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../src/bpfsample.h"
#include "../src/i18n.h"
#include "../src/output.h"
#include "../src/procstat.h"
#include "cmd.h"

#define MAX_AGENT_PIDS 16 /* pids listed when --agent NAME is ambiguous */

int agent_opt_parse(struct agent_opt *a, const char *arg)
{
	unsigned long v;

	a->pid = 0;
	if (*arg >= '0' && *arg <= '9') {
		if (opt_parse_range("--agent", arg, 1, 4194304, &v))
			return EXIT_USAGE;
		a->pid = (pid_t)v;
	} else if (!*arg || *arg == '-' || strlen(arg) > 15) {
		/* a leading dash is a negative number or an option gone astray, not a name */
		p_err("--agent '%s': expected a pid, or a process name of 1 to 15 characters (its "
		      "comm, as ps -o comm shows it)",
		      arg);
		return EXIT_USAGE;
	}
	a->arg = arg;
	return 0;
}

/* --agent NAME: the one process of that comm, else bad input naming the pids */
static int agent_by_name(const struct agent_opt *a, pid_t self, pid_t *pid)
{
	pid_t pids[MAX_AGENT_PIDS];
	char list[MAX_AGENT_PIDS * 12] = "";
	size_t o = 0;
	int n, i;

	n = procstat_find_by_name(a->arg, self, pids, MAX_AGENT_PIDS);
	if (n < 0) {
		p_err("--agent '%s': cannot list processes: %s", a->arg, strerror(-n));
		return EXIT_ENV;
	}
	if (n == 0) {
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--agent '%s': no process named '%s' (its comm, as ps -o comm shows it)",
			   a->arg, a->arg);
		return EXIT_USAGE;
	}
	if (n > 1) {
		for (i = 0; i < n && i < MAX_AGENT_PIDS; i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%d", i ? ", " : "",
					      (int)pids[i]);
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--agent '%s': %d processes are named '%s' (pids %s%s): give the pid",
			   a->arg, n, a->arg, list, n > MAX_AGENT_PIDS ? ", ..." : "");
		return EXIT_USAGE;
	}
	*pid = pids[0];
	return 0;
}

int agent_opt_resolve(const struct agent_opt *a, pid_t self, pid_t *pid)
{
	struct procstat_sample s;
	int err;

	*pid = a->pid;
	if (!a->pid) {
		err = agent_by_name(a, self, pid);
		if (err)
			return err;
	}
	err = procstat_read(*pid, &s);
	if (err == -ESRCH || (!err && s.stat.state == 'Z') || (!err && s.stat.state == 'X')) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--agent '%s': no process with pid %d%s", a->arg,
			   (int)*pid, err ? "" : _(" (it has exited)"));
		return EXIT_USAGE;
	}
	if (err) {
		p_err("--agent '%s': cannot read /proc/%d: %s", a->arg, (int)*pid, strerror(-err));
		return EXIT_ENV;
	}
	/* a thread id stands for its process: CPU and memory are the process's */
	if (s.status.tgid > 0 && s.status.tgid != *pid)
		*pid = (pid_t)s.status.tgid;
	return 0;
}

void cmd_sample_host(struct bpfsample_cfg *cfg, struct tracefs_location *loc)
{
	struct mount_table mt;

	cfg->clk_tck = sysconf(_SC_CLK_TCK);
	cfg->ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cfg->ncpus < 1)
		cfg->ncpus = 1;
	/* the mount table only when the standard places fail: it is all tracefs_locate adds */
	tracefs_locate(NULL, loc);
	if (!loc->dir[0] && !mounts_read(&mt)) {
		tracefs_locate(&mt, loc);
		mounts_free(&mt);
	}
	cfg->tracing = loc->dir[0] ? loc->dir : NULL;
}

int cmd_bpf_err(const char *what, int err)
{
	p_err("%s: %s%s", _(what), strerror(-err),
	      err == -EPERM ? _(" -- reading BPF objects by id needs CAP_SYS_ADMIN; run it as root")
			    : "");
	return EXIT_ENV;
}
