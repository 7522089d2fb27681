// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * map-dump: list the BPF maps of this host like `bpftool map show`, with the processes that
 * hold them, or dump one map's entries like `bpftool map dump` (guide 2.2, 3.2), but with
 * batch lookups: seconds become a fraction of a second on a map of a million entries, and
 * memory stays flat however large the map.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdarg.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "../src/bpfobj.h"
#include "../src/i18n.h"
#include "../src/jsonw.h"
#include "../src/mapdump.h"
#include "../src/output.h"
#include "../src/text.h"
#include "../src/util.h"
#include "cmd.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

/* stdout's buffer: a 1M-entry dump is hundreds of MB, written in large blocks */
#define OUT_BUF	     (1u << 20)
#define NAME_MAX_BPF 15 /* the kernel keeps 15 characters of an object name */

enum {
	OPT_ID = 0x300,
	OPT_NAME,
	OPT_PINNED,
	OPT_LIMIT,
	OPT_COUNT_ONLY,
	OPT_NO_BATCH,
};

static const struct cliopt options[] = {
	{ "id", 0, OPT_ID, CLIOPT_REQUIRED, "N",
	  N_("dump the map with this id (without --id, --name or --pinned: list every map)") },
	{ "name", 0, OPT_NAME, CLIOPT_REQUIRED, "NAME",
	  N_("dump the map with this name (it must be the only one)") },
	{ "pinned", 0, OPT_PINNED, CLIOPT_REQUIRED, "PATH",
	  N_("dump the map pinned at PATH on a bpffs"), CLIOPT_COMPLETE_FILE },
	{ "limit", 0, OPT_LIMIT, CLIOPT_REQUIRED, "N", N_("stop after N entries") },
	{ "count-only", 0, OPT_COUNT_ONLY, CLIOPT_NONE, NULL,
	  N_("print how many entries the map has, not the entries") },
	{ "no-batch", 0, OPT_NO_BATCH, CLIOPT_NONE, NULL,
	  N_("read key by key, as bpftool does, instead of in batches") },
	{ 0 },
};

static struct {
	int selectors; /* how many of --id, --name, --pinned were given */
	__u32 id;
	const char *name, *pinned;
	unsigned long limit;
	bool count_only, no_batch;
} opts;

static int parse_opt(int key, const char *arg)
{
	unsigned long v;
	int ret;

	switch (key) {
	case OPT_ID:
		opts.selectors++;
		ret = opt_parse_range("--id", arg, 1, UINT32_MAX, &v);
		opts.id = (__u32)v;
		return ret;
	case OPT_NAME:
		opts.selectors++;
		if (!*arg) {
			p_err("--name '': expected a map name");
			return EXIT_USAGE;
		}
		opts.name = arg;
		return 0;
	case OPT_PINNED:
		opts.selectors++;
		if (!*arg) {
			p_err("--pinned '': expected the path of a pinned map");
			return EXIT_USAGE;
		}
		opts.pinned = arg;
		return 0;
	case OPT_LIMIT:
		return opt_parse_range("--limit", arg, 1, UINT32_MAX, &opts.limit);
	case OPT_COUNT_ONLY:
		opts.count_only = true;
		return 0;
	case OPT_NO_BATCH:
		opts.no_batch = true;
		return 0;
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	if (opts.selectors > 1) {
		p_err("--id, --name and --pinned each choose the map to dump: give only one, once");
		return EXIT_USAGE;
	}
	if (!opts.selectors && (opts.limit || opts.count_only || opts.no_batch)) {
		p_err("%s applies to a dump: choose the map with --id, --name or --pinned",
		      opts.limit	? "--limit"
		      : opts.count_only ? "--count-only"
					: "--no-batch");
		return EXIT_USAGE;
	}
	if (opts.count_only && opts.limit) {
		p_err("--count-only counts every entry: it cannot be combined with --limit");
		return EXIT_USAGE;
	}
	return 0;
}

/* --- map metadata --- */

static json_t *meta_json(const struct mapdump_meta *m, const struct bpfobj_holders *hs)
{
	const struct bpf_map_info *i = &m->info;
	const char *type = bpfobj_map_type_name(i->type);
	const struct bpfobj_holder **h;
	json_t *o;
	size_t n;

	/* all of them: an agent's forked workers each hold its maps */
	n = bpfobj_holders_of(hs, BPFOBJ_MAP, i->id, getpid(), NULL, 0);
	h = util_xmalloc((n ? n : 1) * sizeof(*h));
	bpfobj_holders_of(hs, BPFOBJ_MAP, i->id, getpid(), h, n);
	/* a type bpftool has no name for is its number, as bpftool shows it */
	o = json_pack("{s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:b, s:b, s:o}", "id",
		      (json_int_t)i->id, "type",
		      strcmp(type, "unknown") ? json_string(type) : json_integer(i->type), "name",
		      text_json(i->name), "flags", (json_int_t)i->map_flags, "key_size",
		      (json_int_t)i->key_size, "value_size", (json_int_t)i->value_size,
		      "max_entries", (json_int_t)i->max_entries, "memlock", (json_int_t)m->memlock,
		      "btf_id", i->btf_id ? json_integer(i->btf_id) : json_null(), "frozen",
		      m->frozen, "dumpable", m->dumpable, "holders", bpfobj_holders_json(h, n));
	free(h);
	return o;
}

static void table_print(const struct mapdump_meta *m, size_t nr, const struct bpfobj_holders *hs)
{
	int wid = 2, wtype = 4, wname = 4;
	char *name;
	size_t k;

	for (k = 0; k < nr; k++) {
		char tmp[16];
		int n = snprintf(tmp, sizeof(tmp), "%u", m[k].info.id);
		int l = (int)strlen(bpfobj_map_type_name(m[k].info.type));

		wid = n > wid ? n : wid;
		wtype = l > wtype ? l : wtype;
		name = text_printable(m[k].info.name);
		l = (int)strlen(name);
		wname = l > wname ? l : wname;
		free(name);
	}
	printf("%-*s  %-*s  %-*s  %-6s %5s %6s %11s %8s %6s  %s\n", wid, "ID", wtype, "TYPE", wname,
	       "NAME", "FLAGS", "KEY", "VALUE", "MAX_ENTRIES", "MEMLOCK", "BTF", "HOLDERS");
	for (k = 0; k < nr; k++) {
		const struct bpf_map_info *i = &m[k].info;
		const struct bpfobj_holder *h[BPFOBJ_HOLDERS_SHOWN];
		char mem[16], btf[16], flags[16], hold[256];
		size_t n;

		util_human_size(mem, sizeof(mem), m[k].memlock);
		snprintf(btf, sizeof(btf), i->btf_id ? "%u" : "-", i->btf_id);
		snprintf(flags, sizeof(flags), "0x%x", i->map_flags);
		name = text_printable(*i->name ? i->name : "-");
		n = bpfobj_holders_of(hs, BPFOBJ_MAP, i->id, getpid(), h, ARRAY_SIZE(h));
		printf("%-*u  %-*s  %-*s  %-6s %5u %6u %11u %8s %6s  %s\n", wid, i->id, wtype,
		       bpfobj_map_type_name(i->type), wname, name, flags, i->key_size,
		       i->value_size, i->max_entries, mem, btf,
		       bpfobj_holders_text(h, n, hold, sizeof(hold)));
		free(name);
	}
}

static int list_maps(void)
{
	struct bpfobj_holders hs = {};
	struct mapdump_meta *m = NULL;
	size_t n = 0, k, nr = 0;
	__u32 *ids = NULL;
	int err, ret = EXIT_PASS;

	/* /proc unreadable: no holders shown, the maps still are */
	bpfobj_holders_scan(&hs, 0);
	err = bpfobj_ids(BPFOBJ_MAP, &ids, &n);
	if (err) {
		p_err("cannot list BPF maps: %s", strerror(-err));
		ret = EXIT_ENV;
		goto out;
	}
	m = util_xmalloc((n ? n : 1) * sizeof(*m));
	for (k = 0; k < n; k++) {
		int fd = bpfobj_fd_by_id(BPFOBJ_MAP, ids[k]);

		if (fd == -ENOENT)
			continue; /* freed since it was listed */
		if (fd < 0) {
			p_err("cannot open map %u: %s", ids[k], strerror(-fd));
			ret = EXIT_ENV;
			goto out;
		}
		err = mapdump_meta_read(fd, &m[nr]);
		close(fd);
		if (err) {
			p_err("cannot read map %u: %s", ids[k], strerror(-err));
			ret = EXIT_ENV;
			goto out;
		}
		nr++;
	}
	if (output.json) {
		struct jsonw *w = output_doc_begin("map-dump");

		jsonw_key(w, "maps");
		jsonw_begin_array(w);
		for (k = 0; k < nr; k++) {
			json_t *o = meta_json(&m[k], &hs);

			jsonw_value(w, o);
			json_decref(o);
		}
		jsonw_end_array(w);
		output_doc_end();
	} else {
		table_print(m, nr, &hs);
	}
out:
	bpfobj_holders_free(&hs);
	free(m);
	free(ids);
	return ret;
}

/* --- choosing the map --- */

static int open_by_id(__u32 id, int *fdp)
{
	int fd = bpfobj_fd_by_id(BPFOBJ_MAP, id), pfd;

	if (fd >= 0) {
		*fdp = fd;
		return 0;
	}
	if (fd != -ENOENT) {
		p_err("--id %u: cannot open map: %s", id, strerror(-fd));
		return EXIT_ENV;
	}
	/* ids are per kind: a program's id is a common mix-up, worth saying */
	pfd = bpfobj_fd_by_id(BPFOBJ_PROG, id);
	if (pfd >= 0)
		close(pfd);
	p_err_code(OUTPUT_ERR_BAD_INPUT, "--id %u: no such map%s", id,
		   pfd >= 0 ? _(" (a BPF program has this id; map-dump reads maps)") : "");
	return EXIT_USAGE;
}

static bool name_matches(const char *have, const char *want)
{
	size_t n = strlen(want);

	/* a longer name given: compare what the kernel kept of it */
	return n > NAME_MAX_BPF ? !strncmp(have, want, NAME_MAX_BPF) && !have[NAME_MAX_BPF]
				: !strcmp(have, want);
}

static int open_by_name(const char *name, int *fdp)
{
	__u32 *ids = NULL, match[8];
	size_t n = 0, k, nmatch = 0;
	char list[128] = "";
	int err;

	err = bpfobj_ids(BPFOBJ_MAP, &ids, &n);
	if (err) {
		p_err("cannot list BPF maps: %s", strerror(-err));
		return EXIT_ENV;
	}
	for (k = 0; k < n; k++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpfobj_fd_by_id(BPFOBJ_MAP, ids[k]);

		if (fd < 0)
			continue;
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (err || !name_matches(info.name, name))
			continue;
		if (nmatch < ARRAY_SIZE(match))
			match[nmatch] = ids[k];
		nmatch++;
	}
	free(ids);
	if (!nmatch) {
		p_err_code(
			OUTPUT_ERR_BAD_INPUT,
			"--name '%s': no map has this name (run 'edrdiag map-dump' for the list)",
			name);
		return EXIT_USAGE;
	}
	if (nmatch > 1) {
		for (k = 0; k < nmatch && k < ARRAY_SIZE(match); k++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%u",
				 k ? ", " : "", match[k]);
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--name '%s': %zu maps have this name (ids %s%s): choose one with --id",
			   name, nmatch, list, nmatch > ARRAY_SIZE(match) ? _(", ...") : "");
		return EXIT_USAGE;
	}
	return open_by_id(match[0], fdp);
}

static int open_pinned(const char *path, int *fdp)
{
	struct statfs sfs;
	struct stat st;
	int fd, kind;

	if (stat(path, &st)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--pinned '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	if (statfs(path, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--pinned '%s': not on a BPF filesystem (bpffs): maps are pinned under "
			   "/sys/fs/bpf",
			   path);
		return EXIT_USAGE;
	}
	if (S_ISDIR(st.st_mode)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--pinned '%s': a directory, not a pinned map",
			   path);
		return EXIT_USAGE;
	}
	fd = bpf_obj_get(path);
	if (fd < 0) {
		int err = errno;

		p_err_code(OUTPUT_ERR_BAD_INPUT, "--pinned '%s': %s", path, strerror(err));
		return err == EPERM || err == EACCES ? EXIT_ENV : EXIT_USAGE;
	}
	kind = bpfobj_fd_kind(fd);
	if (kind != BPFOBJ_MAP) {
		close(fd);
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--pinned '%s': %s", path,
			   kind == BPFOBJ_PROG	 ? _("a pinned BPF program, not a map")
			   : kind == BPFOBJ_LINK ? _("a pinned BPF link, not a map")
						 : _("not a pinned BPF map"));
		return EXIT_USAGE;
	}
	*fdp = fd;
	return 0;
}

/* --- dumping --- */

/* What the JSON document says in its notes member; plain output says it on stderr. */
static void note(json_t *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(json_t *notes, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	/* like p_err: the format translated here, the call sites' literals are msgids */
	msg = util_vfmt(gettext(fmt), ap);
	va_end(ap);
	if (output.json)
		json_array_append_new(notes, text_json(msg));
	else
		fprintf(stderr, _("edrdiag: note: %s\n"), msg);
	free(msg);
}

/* The buffer of the document or of the plain lines, out on stdout; stops a dump on failure. */
static int flush_doc(void *arg)
{
	(void)arg;
	output_doc_flush();
	return ferror(stdout) ? -EIO : 0;
}

static int flush_plain(void *arg)
{
	struct strbuf *b = arg;

	if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len)
		return errno ? -errno : -EIO;
	b->len = 0;
	return 0;
}

/* The notes that a dump, finished or not, leaves. */
static void dump_notes(json_t *n, const struct mapdump *md, const struct mapdump_result *res)
{
	if (md->fallback_err)
		note(n, "batch lookup is not available for this map (%s): read key by key",
		     util_errname(md->fallback_err));
	if (md->btf_err)
		note(n, "the map's BTF (id %u) could not be read (%s): no formatted values",
		     md->info->btf_id, strerror(-md->btf_err));
	if (md->vanished)
		note(n, "%llu entries were deleted while the map was read, and are not shown",
		     md->vanished);
	if (md->changed)
		note(n,
		     "the map changed faster than it could be read: stopped after %llu keys; "
		     "entries may be missing or repeated",
		     md->visited);
	else if (md->repeated && !(opts.count_only && md->restarts))
		note(n,
		     "the map changed while it was read key by key: the walk went back to its "
		     "first key %llu time%s and saw %llu keys where the map holds at most %u, so "
		     "some entries may be repeated",
		     md->restarts, md->restarts == 1 ? "" : "s", md->visited,
		     md->info->max_entries);
	else if (md->restarts)
		note(n,
		     "the map changed while it was counted key by key: the walk went back to its "
		     "first key %llu time%s, and the count is of its last whole walk",
		     md->restarts, md->restarts == 1 ? "" : "s");
	if (res->errors)
		note(n, "%llu entries could not be read: their value is an error", res->errors);
	if (res->truncated)
		note(n, "stopped at --limit %lu: the map has more entries", opts.limit);
}

/* The members after the entries: the count and how it was read, the notes. */
static void dump_tail(struct jsonw *w, const struct mapdump *md, const struct mapdump_result *res,
		      const char *why, const json_t *notes)
{
	jsonw_key(w, "count");
	if (why)
		jsonw_null(w);
	else
		jsonw_u64(w, res->count);
	if (!opts.count_only) {
		jsonw_key(w, "limit");
		if (opts.limit)
			jsonw_u64(w, opts.limit);
		else
			jsonw_null(w);
		jsonw_bool_field(w, "truncated", res->truncated);
	}
	jsonw_str_field(w, "method",
			why			      ? NULL
			: md->method == MAPDUMP_BATCH ? "batch"
						      : "iterate");
	jsonw_u64_field(w, "vanished", md->vanished);
	jsonw_value_field(w, "notes", notes);
}

static int dump_map(int fd)
{
	struct mapdump_result res = {};
	struct bpfobj_holders hs = {};
	json_t *notes = json_array();
	struct strbuf plain = {};
	struct mapdump_sink sink = { .sb = &plain, .flush = flush_plain, .arg = &plain };
	struct jsonw *w = NULL;
	json_t *head = NULL;
	const char *why;
	struct mapdump md;
	int err, ret = EXIT_PASS;
	bool listed = false, in_entries = false;

	err = mapdump_open(&md, fd, opts.no_batch ? MAPDUMP_NO_BATCH : 0);
	if (err) {
		p_err("cannot read map: %s", strerror(-err));
		ret = EXIT_ENV;
		goto out;
	}
	/* /proc unreadable: no holders shown, the maps still are */
	bpfobj_holders_scan(&hs, 0);
	why = mapdump_why_not(&md.meta);
	if (output.json) {
		w = output_doc_begin("map-dump");
		head = meta_json(&md.meta, &hs);
		jsonw_value_field(w, "map", head);
		if (!opts.count_only) {
			jsonw_key(w, "entries");
			jsonw_begin_array(w);
			in_entries = true;
		}
		sink = (struct mapdump_sink){ .w = w, .flush = flush_doc };
	} else if (global.verbose || why) {
		table_print(&md.meta, 1, &hs);
		listed = true;
	}

	if (why) {
		err = -EOPNOTSUPP;
	} else {
		err = mapdump_stream(&md,
				     opts.count_only ? MAPDUMP_COUNT
				     : output.json   ? MAPDUMP_JSON
						     : MAPDUMP_PLAIN,
				     &sink, opts.limit, &res);
		/* the kernel would not walk it: said like the known cases, not as a failure */
		if (err == -EOPNOTSUPP && !res.count)
			why = _("the kernel cannot list the keys of this map type");
	}
	if (why) {
		char msg[512];

		snprintf(msg, sizeof(msg), _("%s map %u cannot be dumped: %s"),
			 bpfobj_map_type_name(md.info->type), md.info->id, why);
		if (output.json)
			note(notes, "%s", msg);
		else
			printf(_("%snote: %s\n"), listed ? "\n" : "", msg);
		err = 0;
	}
	if (err && ferror(stdout))
		/* the dispatcher tells a reader gone (no error) from a failed write (exit 3) */
		goto out;
	dump_notes(notes, &md, &res);

	if (output.json) {
		if (in_entries)
			jsonw_end_array(w);
		in_entries = false;
		dump_tail(w, &md, &res, why, notes);
	} else if (!why && opts.count_only) {
		printf("%llu\n", res.count);
	} else if (!why) {
		/* bpftool's last line, so that plain dumps of the two compare */
		printf("Found %llu element%s\n", res.count, res.count != 1 ? "s" : "");
	}
	/* in JSON, the entries written already: the error is the document's last member */
	if (err) {
		p_err_code(OUTPUT_ERR_ENVIRONMENT, "reading map %u failed after %llu entries: %s",
			   md.info->id, res.count, strerror(-err));
		ret = EXIT_ENV;
	}
out:
	/* a document begun is ended, even after a failed write: nothing of it stays behind */
	if (w) {
		if (in_entries)
			jsonw_end_array(w);
		output_doc_end();
	}
	mapdump_close(&md);
	bpfobj_holders_free(&hs);
	json_decref(notes);
	json_decref(head);
	strbuf_free(&plain);
	return ret;
}

static int run(int argc, char **argv)
{
	static char outbuf[OUT_BUF];
	int fd = -1, ret;

	(void)argc;
	(void)argv;
	/* before any output: large blocks (given NULL, glibc would still allocate 4 KiB) */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!opts.selectors)
		return list_maps();
	if (opts.pinned)
		ret = open_pinned(opts.pinned, &fd);
	else if (opts.name)
		ret = open_by_name(opts.name, &fd);
	else
		ret = open_by_id(opts.id, &fd);
	if (ret)
		return ret;
	return dump_map(fd);
}

const struct cmd cmd_map_dump = {
	.name = "map-dump",
	.summary = N_("list the BPF maps and who holds them, or dump one map's entries"),
	.synopsis = "[--id N | --name NAME | --pinned PATH] [--limit N] [--count-only] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_NEEDS_BPF | CMD_LIVE_ONLY,
	.args_hint = N_("choose the map with --id N, --name NAME or --pinned PATH"),
};
