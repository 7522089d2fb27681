// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procstat.h"
#include "sysroot.h"

/* A decimal field at *p; moves *p past it and the blanks after it. */
static int next_ull(const char **p, unsigned long long *v)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	*v = strtoull(*p, &end, 10);
	if (errno)
		return -EINVAL;
	*p = end;
	while (**p == ' ')
		(*p)++;
	return 0;
}

/* Skip one blank-separated field (some, such as nice or tty_nr, may be negative). */
static int skip_field(const char **p)
{
	if (!**p || **p == ' ' || **p == '\n')
		return -EINVAL;
	while (**p && **p != ' ' && **p != '\n')
		(*p)++;
	while (**p == ' ')
		(*p)++;
	return 0;
}

int procstat_parse_stat(const char *text, struct procstat_stat *st)
{
	const char *open, *close, *p;
	unsigned long long v;
	size_t n;
	int field;

	memset(st, 0, sizeof(*st));
	/* the comm is whatever lies between the first '(' and the last ')': it may hold both */
	open = strchr(text, '(');
	close = strrchr(text, ')');
	if (!open || !close || close < open || close[1] != ' ')
		return -EINVAL;
	p = text;
	if (next_ull(&p, &v) || p != open || v == 0 || v > INT_MAX)
		return -EINVAL;
	st->pid = (pid_t)v;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	p = close + 2;
	if (!isalpha((unsigned char)*p) || p[1] != ' ')
		return -EINVAL;
	st->state = *p;
	p += 2;
	/* fields 4 (ppid) to 22 (starttime) */
	for (field = 4; field <= 22; field++) {
		bool want = field == 14 || field == 15 || field == 20 || field == 22;

		if (!want) {
			if (skip_field(&p))
				return -EINVAL;
			continue;
		}
		if (next_ull(&p, &v))
			return -EINVAL;
		if (field == 14)
			st->utime = v;
		else if (field == 15)
			st->stime = v;
		else if (field == 20)
			st->num_threads = (long)v;
		else
			st->starttime = v;
	}
	return 0;
}

/* "VmRSS:\t  1234 kB" -> 1234 */
static long long status_num(const char *line)
{
	return strtoll(line, NULL, 10);
}

int procstat_parse_status(const char *text, struct procstat_status *st)
{
	const char *p = text;

	memset(st, 0, sizeof(*st));
	st->tgid = st->vm_rss_kb = st->vm_size_kb = st->vm_hwm_kb = st->threads = -1;
	while (p && *p) {
		const char *colon = strchr(p, ':'), *nl = strchr(p, '\n');
		size_t klen;

		if (!colon || (nl && colon > nl))
			goto next;
		klen = (size_t)(colon - p);
		if (klen == 4 && !strncmp(p, "Name", 4)) {
			const char *v = colon + 1;
			size_t n;

			while (*v == '\t' || *v == ' ')
				v++;
			n = nl ? (size_t)(nl - v) : strlen(v);
			if (n >= sizeof(st->name))
				n = sizeof(st->name) - 1;
			memcpy(st->name, v, n);
			st->name[n] = '\0';
		} else if (klen == 4 && !strncmp(p, "Tgid", 4)) {
			st->tgid = status_num(colon + 1);
		} else if (klen == 5 && !strncmp(p, "VmRSS", 5)) {
			st->vm_rss_kb = status_num(colon + 1);
		} else if (klen == 6 && !strncmp(p, "VmSize", 6)) {
			st->vm_size_kb = status_num(colon + 1);
		} else if (klen == 5 && !strncmp(p, "VmHWM", 5)) {
			st->vm_hwm_kb = status_num(colon + 1);
		} else if (klen == 7 && !strncmp(p, "Threads", 7)) {
			st->threads = status_num(colon + 1);
		}
	next:
		p = nl ? nl + 1 : NULL;
	}
	return st->name[0] && st->tgid > 0 ? 0 : -EINVAL;
}

int procstat_read(pid_t pid, struct procstat_sample *s)
{
	char path[64], *text;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	err = sysroot_read(path, SYSROOT_LINE_CAP, &text, NULL);
	if (err)
		return err == -ENOENT ? -ESRCH : err;
	err = procstat_parse_stat(text, &s->stat);
	free(text);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	err = sysroot_read(path, SYSROOT_LINE_CAP, &text, NULL);
	if (err)
		return err == -ENOENT ? -ESRCH : err;
	err = procstat_parse_status(text, &s->status);
	free(text);
	return err;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int procstat_find_by_name(const char *name, pid_t skip, pid_t *pids, size_t max)
{
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	dir = sysroot_opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		char path[300], comm[128];
		long pid;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		pid = strtol(d->d_name, NULL, 10);
		if (pid <= 0 || pid > INT_MAX || (pid_t)pid == skip)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		/* a process that exits meanwhile is simply not a match */
		if (sysroot_read_line(path, comm, sizeof(comm)) || strcmp(comm, name))
			continue;
		if (n < max)
			pids[n] = (pid_t)pid;
		n++;
	}
	closedir(dir);
	qsort(pids, n < max ? n : max, sizeof(*pids), cmp_pid);
	return n > INT_MAX ? INT_MAX : (int)n;
}

double procstat_cpu_pct(unsigned long long ticks, double window_s, long clk_tck)
{
	if (window_s <= 0 || clk_tck <= 0)
		return 0.0;
	return (double)ticks / (double)clk_tck / window_s * 100.0;
}
