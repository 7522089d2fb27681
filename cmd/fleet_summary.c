// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * edrdiag fleet-summary: one verdict for a fleet, from the per-host results an engine
 * (Ansible's fetch, a Kubernetes job) left in DIR/<host>/. Every byte there is hostile: a
 * host's directory name, its files, the members of its bundles. Files are opened
 * relative to their directory without following a symlink, read under a size cap, parsed
 * by jansson; bundles are read in memory through libarchive (opened at run time, as
 * src/bundle.c does for writing) and a member's name is only compared, never a path.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/bundle.h"
#include "../src/fleet.h"
#include "../src/i18n.h"
#include "../src/output.h"
#include "../src/util.h"
#include "cmd.h"

/* Caps: what one host, one file, one bundle may cost. */
#define MAX_HOSTS	   100000
#define MAX_HOST_FILES	   256
#define MAX_JSON_BYTES	   (8u << 20)
#define MAX_STATUS_BYTES   64
#define MAX_BUNDLE_BYTES   (512u << 20)
#define MAX_BUNDLE_ENTRIES 20000
/* the members' sizes together: what skipping them costs in decompression (a gzip bomb) */
#define MAX_BUNDLE_UNPACKED (1ull << 30)
#define MAX_INVENTORY	    (16u << 20)

enum {
	OPT_INVENTORY = 0x200,
	OPT_SINCE,
	OPT_FORMAT,
};

static const struct cliopt options[] = {
	{ "inventory", 0, OPT_INVENTORY, CLIOPT_REQUIRED, "FILE",
	  N_("the hosts expected, one name a line: a host without a result is counted missing "
	     "(default: the directories of DIR)"),
	  CLIOPT_COMPLETE_FILE },
	{ "since", 0, OPT_SINCE, CLIOPT_REQUIRED, "PREVIOUS.json",
	  N_("compare with an earlier fleet-summary --json: hosts newly failing, recovered, "
	     "appeared, disappeared"),
	  CLIOPT_COMPLETE_FILE },
	{ "format", 0, OPT_FORMAT, CLIOPT_REQUIRED, "plain|csv|markdown",
	  N_("the rendering on stdout (default plain; --json gives the JSON document)"),
	  CLIOPT_COMPLETE_WORDS, "plain csv markdown" },
	{ 0 },
};

enum fmt { FMT_PLAIN, FMT_CSV, FMT_MARKDOWN };

static struct {
	const char *inventory, *since;
	enum fmt format;
	bool format_given;
} opts;

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_INVENTORY:
		opts.inventory = arg;
		return 0;
	case OPT_SINCE:
		opts.since = arg;
		return 0;
	case OPT_FORMAT:
		opts.format_given = true;
		if (!strcmp(arg, "plain"))
			opts.format = FMT_PLAIN;
		else if (!strcmp(arg, "csv"))
			opts.format = FMT_CSV;
		else if (!strcmp(arg, "markdown"))
			opts.format = FMT_MARKDOWN;
		else {
			p_err("--format '%s': plain, csv or markdown", arg);
			return EXIT_USAGE;
		}
		return 0;
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	if (output.json && opts.format_given && opts.format != FMT_PLAIN) {
		p_err("--json and --format %s: choose one",
		      opts.format == FMT_CSV ? "csv" : "markdown");
		return EXIT_USAGE;
	}
	return 0;
}

/* ---- libarchive, for reading ---- */

/* clang-format off */
#define LA_READ_FUNCS(X)                        \
	X(archive_read_new)                     \
	X(archive_read_support_filter_gzip)     \
	X(archive_read_support_format_tar)      \
	X(archive_read_open_fd)                 \
	X(archive_read_next_header)             \
	X(archive_read_data)                    \
	X(archive_read_free)                    \
	X(archive_error_string)                 \
	X(archive_entry_pathname)               \
	X(archive_entry_filetype)               \
	X(archive_entry_size)
/* clang-format on */

static struct {
#define X(f) __typeof__(&f) f;
	LA_READ_FUNCS(X)
#undef X
} lar;

/* 0, or -ENOENT with why in err (the library is opened once; looking up again is cheap) */
static int archive_read_load(char *err, size_t errlen)
{
#define X(f) { #f, (void **)&lar.f },
	static const struct dynlib_sym syms[] = { LA_READ_FUNCS(X) };
#undef X

	return bundle_libarchive_load(syms, ARRAY_SIZE(syms), err, errlen);
}

/* ---- documents ---- */

/*
 * A document from its bytes: one JSON value, or, for a stream (run-sensor's events and
 * summary, stats --count), its last line. NULL when neither parses.
 */
static json_t *parse_doc(const char *data, size_t len)
{
	const size_t flags = JSON_REJECT_DUPLICATES;
	json_t *j = json_loadb(data, len, flags, NULL);
	size_t end = len, start;

	if (j)
		return j;
	while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && data[start - 1] != '\n'; start--)
		;
	if (start == 0)
		return NULL;
	return json_loadb(data + start, end - start, flags, NULL);
}

static void add_doc(struct fleet_host *h, const char *data, size_t len, const char *source)
{
	json_t *doc = parse_doc(data, len);

	if (!doc) {
		fleet_problem(h, "%s: not JSON", source);
		return;
	}
	fleet_add_doc(h, doc, source);
	json_decref(doc);
}

/* the check documents a collect-report bundle holds: <top>/commands/edrdiag-<x>.json */
static bool bundle_member_wanted(const char *name)
{
	static const char *const wanted[] = {
		"commands/edrdiag-check-kernel.json",
		"commands/edrdiag-check-tracepoints.json",
		"commands/edrdiag-self-test.json",
		"commands/edrdiag-stats.json",
	};
	const char *slash = strchr(name, '/');
	size_t i;

	if (!slash || slash == name)
		return false;
	for (i = 0; i < ARRAY_SIZE(wanted); i++)
		if (!strcmp(slash + 1, wanted[i]))
			return true;
	return false;
}

/* a member name that would lead out of an unpacked tree: absolute, or with a ".." part */
static bool member_unsafe(const char *name)
{
	const char *p = name;

	if (*name == '/')
		return true;
	while (p) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return true;
		p = strchr(p, '/');
		if (p)
			p++;
	}
	return false;
}

/* The check documents of one bundle, read in memory. 0, or EXIT_ENV (no libarchive). */
static int read_bundle(struct fleet_host *h, int fd, const char *fname)
{
	char why[256];
	struct archive *a;
	struct archive_entry *e;
	unsigned long long unpacked = 0;
	size_t entries = 0;
	int r, unsafe = 0;

	if (archive_read_load(why, sizeof(why))) {
		p_err_code(OUTPUT_ERR_ENVIRONMENT, "%s", why);
		return EXIT_ENV;
	}
	a = lar.archive_read_new();
	lar.archive_read_support_filter_gzip(a);
	lar.archive_read_support_format_tar(a);
	if (lar.archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		fleet_problem(h, "%s: not a tar.gz: %s", fname, lar.archive_error_string(a));
		lar.archive_read_free(a);
		return 0;
	}
	while ((r = lar.archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		const char *name = lar.archive_entry_pathname(e);
		la_int64_t size = lar.archive_entry_size(e);
		char *buf, *src;
		la_ssize_t got;
		size_t len = 0;

		if (++entries > MAX_BUNDLE_ENTRIES) {
			fleet_problem(h, "%s: more than %d members: the rest not read", fname,
				      MAX_BUNDLE_ENTRIES);
			break;
		}
		if (size > 0)
			unpacked += (unsigned long long)size;
		if (unpacked > MAX_BUNDLE_UNPACKED) {
			fleet_problem(
				h, "%s: members larger than %llu bytes together: the rest not read",
				fname, MAX_BUNDLE_UNPACKED);
			break;
		}
		if (!name)
			continue;
		if (member_unsafe(name)) {
			unsafe++;
			continue;
		}
		if (!bundle_member_wanted(name) || lar.archive_entry_filetype(e) != AE_IFREG)
			continue;
		src = util_fmt("%s:%s", fname, name);
		if (size < 0 || size > (la_int64_t)MAX_JSON_BYTES) {
			fleet_problem(h, "%s: larger than %u bytes: not read", src, MAX_JSON_BYTES);
			free(src);
			continue;
		}
		buf = util_xmalloc((size_t)size + 1);
		while (len < (size_t)size &&
		       (got = lar.archive_read_data(a, buf + len, (size_t)size - len)) > 0)
			len += (size_t)got;
		buf[len] = '\0';
		if (len != (size_t)size)
			fleet_problem(h, "%s: truncated member", src);
		else
			add_doc(h, buf, len, src);
		free(buf);
		free(src);
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN &&
	    entries <= MAX_BUNDLE_ENTRIES && unpacked <= MAX_BUNDLE_UNPACKED)
		fleet_problem(h, "%s: damaged archive: %s", fname, lar.archive_error_string(a));
	if (unsafe)
		fleet_problem(h, "%s: %d member(s) with a name leading out of the bundle: refused",
			      fname, unsafe);
	lar.archive_read_free(a);
	return 0;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

enum file_kind { FILE_OTHER, FILE_JSON, FILE_STATUS, FILE_BUNDLE };

static enum file_kind kind_of(const char *name)
{
	if (!strcmp(name, "exit-status"))
		return FILE_STATUS;
	if (has_suffix(name, ".json"))
		return FILE_JSON;
	if (has_suffix(name, ".tar.gz") || has_suffix(name, ".tgz"))
		return FILE_BUNDLE;
	return FILE_OTHER;
}

/*
 * The names of dfd's entries, sorted ("." and ".." left out), at most max; NULL on error.
 * Takes dfd over.
 */
static char **list_dir(int dfd, size_t max, size_t *n, bool *more)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	*more = false;
	if (!d) {
		close(dfd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == max) {
			*more = true;
			break;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			v = util_xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = util_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), util_str_cmp);
	return v ? v : util_xmalloc(sizeof(*v));
}

/* One host's directory: loose documents first, then bundles (the first of a check wins). */
static int read_host(struct fleet_host *h, int hfd)
{
	size_t n, i;
	bool more;
	char **names = list_dir(dup(hfd), MAX_HOST_FILES, &n, &more);
	int pass, ret = 0;

	if (!names) {
		fleet_problem(h, "cannot list the directory: %s", strerror(errno));
		return 0;
	}
	if (more)
		fleet_problem(h, "more than %d files: the rest not read", MAX_HOST_FILES);
	for (pass = 0; pass < 2 && !ret; pass++) {
		for (i = 0; i < n && !ret; i++) {
			enum file_kind k = kind_of(names[i]);
			struct stat st;
			char *data = NULL;
			size_t len;
			int fd, err;

			if (k == FILE_OTHER || (pass == 0) != (k != FILE_BUNDLE))
				continue;
			/* a FIFO or a device is never opened, a symlink never followed */
			if (fstatat(hfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISREG(st.st_mode)) {
				fleet_problem(h, "%s: %s", names[i],
					      S_ISLNK(st.st_mode)
						      ? "a symlink: refused, not followed"
						      : "not a regular file: refused");
				continue;
			}
			fd = openat(hfd, names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0) {
				fleet_problem(h, "%s: %s", names[i],
					      errno == ELOOP ? "a symlink: refused, not followed"
							     : strerror(errno));
				continue;
			}
			if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
				fleet_problem(h, "%s: not a regular file: refused", names[i]);
				close(fd);
				continue;
			}
			if (k == FILE_BUNDLE) {
				if ((unsigned long long)st.st_size > MAX_BUNDLE_BYTES)
					fleet_problem(h, "%s: larger than %u bytes: not read",
						      names[i], MAX_BUNDLE_BYTES);
				else
					ret = read_bundle(h, fd, names[i]);
				close(fd);
				continue;
			}
			err = util_read_fd(fd, (size_t)st.st_size,
					   k == FILE_STATUS ? MAX_STATUS_BYTES : MAX_JSON_BYTES,
					   &data, &len);
			close(fd);
			if (err) {
				fleet_problem(h, "%s: %s", names[i],
					      err == -EFBIG ? "too large: not read"
							    : strerror(-err));
				continue;
			}
			if (k == FILE_STATUS) {
				if (fleet_parse_exit_status(data, len, &h->exit_status))
					fleet_problem(h, "exit-status: not a number 0..255");
			} else {
				add_doc(h, data, len, names[i]);
			}
			free(data);
		}
	}
	util_strv_free(names, n);
	return ret;
}

static int read_tree(struct fleet *f, const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t n, i;
	bool more;
	char **names;
	int ret = 0;

	if (dfd < 0) {
		int e = errno;

		p_err_code(e == ENOENT || e == ENOTDIR ? OUTPUT_ERR_BAD_INPUT
						       : OUTPUT_ERR_ENVIRONMENT,
			   "results directory '%s': %s", dir, strerror(e));
		return e == ENOENT || e == ENOTDIR ? EXIT_USAGE : EXIT_ENV;
	}
	names = list_dir(dup(dfd), MAX_HOSTS, &n, &more);
	if (!names) {
		p_err_code(OUTPUT_ERR_ENVIRONMENT, "results directory '%s': %s", dir,
			   strerror(errno));
		close(dfd);
		return EXIT_ENV;
	}
	if (more) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "results directory '%s': more than %d hosts", dir,
			   MAX_HOSTS);
		ret = EXIT_USAGE;
	}
	for (i = 0; i < n && !ret; i++) {
		struct fleet_host *h;
		struct stat st;
		int hfd;

		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!S_ISLNK(st.st_mode) && !S_ISDIR(st.st_mode))
			continue; /* a file beside the hosts: an earlier summary, a log */
		h = fleet_host(f, names[i]);
		h->dir = true;
		if (S_ISLNK(st.st_mode)) {
			fleet_problem(h,
				      "the host's directory is a symlink: refused, not followed");
			continue;
		}
		hfd = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (hfd < 0) {
			fleet_problem(h, "cannot open the directory: %s", strerror(errno));
			continue;
		}
		ret = read_host(h, hfd);
		close(hfd);
	}
	util_strv_free(names, n);
	close(dfd);
	return ret;
}

/* --inventory: one host a line; blank lines and # comments skipped, blanks trimmed */
static int read_inventory(struct fleet *f, const char *path)
{
	char *data, *line, *next;
	size_t len, i, names = 0;
	int err = util_read_file(path, MAX_INVENTORY, &data, &len);

	if (err) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--inventory '%s': %s", path,
			   err == -EFBIG ? "too large" : strerror(-err));
		return EXIT_USAGE;
	}
	if (memchr(data, '\0', len)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--inventory '%s': a NUL byte: not a list of names", path);
		free(data);
		return EXIT_USAGE;
	}
	for (i = 0; i < f->nhosts; i++)
		f->hosts[i].expected = false;
	for (line = data; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		util_rstrip(line);
		if (!*line || *line == '#')
			continue;
		fleet_host(f, line)->expected = true;
		names++;
	}
	free(data);
	/* no host expected would make any tree a passing fleet (an empty file, a FIFO) */
	if (!names) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--inventory '%s': no host name in it", path);
		return EXIT_USAGE;
	}
	return 0;
}

static int read_since(struct fleet *f, const char *path)
{
	const char *why = NULL;
	char *data;
	size_t len;
	json_t *prev;
	int err = util_read_file(path, 64u << 20, &data, &len);

	if (err) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--since '%s': %s", path,
			   err == -EFBIG ? "too large" : strerror(-err));
		return EXIT_USAGE;
	}
	prev = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
	free(data);
	if (!prev || fleet_since(f, prev, path, &why)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--since '%s': %s", path, prev ? why : "not JSON");
		json_decref(prev);
		return EXIT_USAGE;
	}
	json_decref(prev);
	return 0;
}

static int run(int argc, char **argv)
{
	struct fleet f;
	int ret;

	if (argc < 2) {
		p_err("fleet-summary needs the results directory: edrdiag fleet-summary DIR");
		return EXIT_USAGE;
	}
	fleet_init(&f, argv[1], opts.inventory);
	ret = read_tree(&f, argv[1]);
	if (!ret && opts.inventory)
		ret = read_inventory(&f, opts.inventory);
	if (ret)
		goto out;
	fleet_finish(&f);
	if (opts.since) {
		ret = read_since(&f, opts.since);
		if (ret)
			goto out;
	}
	if (output.json) {
		json_t *m = fleet_json(&f);

		output_doc("fleet-summary", m);
		json_decref(m);
	} else if (opts.format == FMT_CSV) {
		fleet_print_csv(&f, stdout);
	} else if (opts.format == FMT_MARKDOWN) {
		fleet_print_markdown(&f, stdout);
	} else {
		fleet_print_plain(&f, stdout);
	}
	ret = fleet_exit_code(&f);
out:
	fleet_free(&f);
	return ret;
}

const struct cmd cmd_fleet_summary = {
	.name = "fleet-summary",
	.summary = N_("one verdict for many hosts: their fetched results, host by check"),
	.synopsis = "[--inventory FILE] [--since PREVIOUS.json] [--format plain|csv|markdown] DIR ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_ONE_ARG,
	.args_hint = N_("give one results directory"),
};
