// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading collect-report's manifest.json back, and the root.bundle check built on it. The
 * manifest comes from a customer's machine and passes through mail and ticket systems, so
 * the parser treats it as hostile: every member is type-checked, every path is confined to
 * the bundle, and nothing it holds is printed unscrubbed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "finding.h"
#include "manifest.h"
#include "sha256.h"
#include "sysroot.h"
#include "text.h"
#include "target.h"
#include "util.h"

/* Longest path accepted: PATH_MAX less the NUL, so that it can be opened at all. */
#define PATH_LEN_MAX 4095

/*
 * An error message ends up in a finding, printed on a terminal and put in JSON: it must be
 * printable ASCII. jansson quotes the offending input in its own messages, and snprintf may
 * cut a UTF-8 sequence in two, so the whole message is scrubbed at the end.
 */
static void ascii_scrub(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

/* C0 controls, DEL, and C1 controls (U+0080..U+009F, "\xc2\x80".."\xc2\x9f" in UTF-8). */
static size_t control_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (c < 0x20 || c == 0x7f)
		return 1;
	if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
		return 2;
	return 0;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (control_len(s))
			return true;
	return false;
}

/* Up to 64 bytes of s, for an error message; the caller scrubs. */
static const char *clip(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, "%.64s%s", s, strlen(s) > 64 ? "..." : "");
	return buf;
}

/* A path inside the bundle: relative, made of plain names, never climbing out. */
static int check_path(const char *where, const char *p, size_t len, char *err, size_t errlen)
{
	bool odd = false;
	const char *c, *e;
	char q[80];

	if (!len) {
		i18n_set_err(err, errlen, "%s: empty", where);
		return -EINVAL;
	}
	if (strlen(p) != len) {
		i18n_set_err(err, errlen, "%s: contains a NUL byte", where);
		return -EINVAL;
	}
	if (len > PATH_LEN_MAX) {
		i18n_set_err(err, errlen, "%s: longer than %d bytes", where, PATH_LEN_MAX);
		return -EINVAL;
	}
	if (has_control(p)) {
		i18n_set_err(err, errlen, "%s: contains a control character", where);
		return -EINVAL;
	}
	if (p[0] == '/') {
		i18n_set_err(err, errlen, "%s '%s': absolute, expected a path inside the bundle",
			     where, clip(p, q, sizeof(q)));
		return -EINVAL;
	}
	for (c = p; c; c = *e ? e + 1 : NULL) {
		e = strchrnul(c, '/');
		if (e - c == 2 && c[0] == '.' && c[1] == '.') {
			i18n_set_err(err, errlen, "%s '%s': escapes the bundle", where,
				     clip(p, q, sizeof(q)));
			return -EINVAL;
		}
		if (e == c || (e - c == 1 && c[0] == '.'))
			odd = true;
	}
	if (odd) {
		i18n_set_err(err, errlen,
			     "%s '%s': not a plain relative path (a '.' or empty component)", where,
			     clip(p, q, sizeof(q)));
		return -EINVAL;
	}
	return 0;
}

static int check_sha256(const char *where, const char *s, char *err, size_t errlen)
{
	bool upper = false;
	size_t i;

	for (i = 0; s[i]; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))
			continue;
		if (s[i] >= 'A' && s[i] <= 'F') {
			upper = true;
			continue;
		}
		break;
	}
	if (i != 64 || s[i]) {
		i18n_set_err(err, errlen, "%s: not 64 hex digits", where);
		return -EINVAL;
	}
	/* bundle_hash() writes lowercase: anything else was not written by edrdiag */
	if (upper) {
		i18n_set_err(err, errlen, "%s: not 64 hex digits in lowercase", where);
		return -EINVAL;
	}
	return 0;
}

/*
 * A member an item cannot do without: a string (JSON_STRING), true or false (JSON_TRUE) or
 * a non-negative integer (JSON_INTEGER). NULL, with err set, when it is missing or not one.
 */
static json_t *required(json_t *o, const char *where, const char *key, json_type type, char *err,
			size_t errlen)
{
	json_t *v = json_object_get(o, key);
	char what[64];

	snprintf(what, sizeof(what), "%s%s", where, key);
	if (!v)
		i18n_set_err(err, errlen, "%s: missing", what);
	else if (type == JSON_STRING && !json_is_string(v))
		i18n_set_err(err, errlen, "%s: not a string", what);
	else if (type == JSON_TRUE && !json_is_boolean(v))
		i18n_set_err(err, errlen, "%s%s: not true or false", where, key);
	else if (type == JSON_INTEGER && (!json_is_integer(v) || json_integer_value(v) < 0))
		i18n_set_err(err, errlen, "%s%s: not a non-negative integer", where, key);
	else
		return v;
	return NULL;
}

/* An optional string member: absent and null are NULL, anything but a string is an error. */
static int opt_string(json_t *o, const char *key, const char *where, char **out, char *err,
		      size_t errlen)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		i18n_set_err(err, errlen, "%s%s: not a string", where, key);
		return -EINVAL;
	}
	*out = util_xstrdup(json_string_value(v));
	text_scrub(*out); /* jansson checked the UTF-8: only controls are left to go */
	return 0;
}

/* An optional boolean member: absent and null are false. */
static int opt_bool(json_t *o, const char *key, const char *where, bool *out, char *err,
		    size_t errlen)
{
	json_t *v = json_object_get(o, key);

	*out = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		i18n_set_err(err, errlen, "%s%s: not true or false", where, key);
		return -EINVAL;
	}
	*out = json_is_true(v);
	return 0;
}

/* "errno": "EACCES": what the host said of an item not collected; absent or null is 0. */
static int opt_errno(json_t *o, const char *where, int *out, char *err, size_t errlen)
{
	static const int known[] = { ENOENT, ENOTDIR, EACCES, EPERM, EIO, ETIMEDOUT };
	json_t *v = json_object_get(o, "errno");
	const char *name;
	size_t i;

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	name = json_string_value(v);
	for (i = 0; name && i < ARRAY_SIZE(known); i++) {
		if (!strcmp(strerrorname_np(known[i]), name)) {
			*out = -known[i];
			return 0;
		}
	}
	i18n_set_err(err, errlen,
		     "%serrno: not one of ENOENT, ENOTDIR, EACCES, EPERM, EIO, ETIMEDOUT", where);
	return -EINVAL;
}

/*
 * An older manifest said "collected" of any command that ran: a non-zero exit (but 1 of
 * edrdiag's own, a check that failed in a valid document) is a failure all the same.
 */
static bool old_failed(const struct manifest_item *it)
{
	bool own = it->source && util_startswith(it->source, "/proc/self/exe ");

	return it->kind && !strcmp(it->kind, "command") && it->exit_status > 0 &&
	       !(own && it->exit_status == 1);
}

/* The item's "status", or for an older manifest without it, what its members imply. */
static int parse_status(json_t *o, const char *where, struct manifest_item *it, char *err,
			size_t errlen)
{
	static const char *const names[] = { "collected", "failed",  "denied", "missing_tool",
					     "timed_out", "skipped", "absent" };
	json_t *v = json_object_get(o, "status"), *x = json_object_get(o, "exit_status");
	size_t i;

	it->exit_status = json_is_integer(x) && json_integer_value(x) >= 0 &&
					  json_integer_value(x) <= 255 + 128
				  ? (int)json_integer_value(x)
				  : -1;
	if (v) {
		/* a pointer to our own constant: nothing from the bundle is kept but its choice */
		for (i = 0; json_is_string(v) && i < ARRAY_SIZE(names); i++) {
			if (!strcmp(json_string_value(v), names[i])) {
				it->status = names[i];
				return 0;
			}
		}
		i18n_set_err(
			err, errlen,
			"%sstatus: not one of collected, failed, denied, missing_tool, timed_out, "
			"skipped, absent",
			where);
		return -EINVAL;
	}
	if (it->timed_out)
		it->status = "timed_out";
	else if (it->collected && old_failed(it))
		it->status = "failed";
	else if (it->collected)
		it->status = "collected";
	else if (it->err == -ENOENT || it->err == -ENOTDIR)
		it->status = "absent";
	else if (it->err == -EACCES || it->err == -EPERM)
		it->status = "denied";
	else if (it->why && util_startswith(it->why, "missing binary"))
		it->status = "missing_tool";
	else
		it->status = "skipped";
	return 0;
}

static int parse_item(json_t *o, size_t i, struct manifest_item *it, char *err, size_t errlen)
{
	char where[48], what[64];
	json_t *v;
	int ret;

	snprintf(where, sizeof(where), "items[%zu].", i);
	it->bytes = -1;
	if (!json_is_object(o)) {
		i18n_set_err(err, errlen, "items[%zu]: not an object", i);
		return -EINVAL;
	}

	v = required(o, where, "path", JSON_STRING, err, errlen);
	if (!v)
		return -EINVAL;
	snprintf(what, sizeof(what), "%spath", where);
	ret = check_path(what, json_string_value(v), json_string_length(v), err, errlen);
	if (ret)
		return ret;
	it->path = util_xstrdup(json_string_value(v));

	v = required(o, where, "collected", JSON_TRUE, err, errlen);
	if (!v)
		return -EINVAL;
	it->collected = json_is_true(v);
	/*
	 * Since statuses, "collected" is whether it is the answer, and "stored" whether its
	 * bytes are here all the same (a failed command's output). Stored implies collected
	 * unless the status says otherwise: an edit that sets "collected" false on a
	 * collected item means not stored.
	 */
	v = json_object_get(o, "stored");
	if (v && !json_is_boolean(v)) {
		i18n_set_err(err, errlen, "%sstored: not true or false", where);
		return -EINVAL;
	}
	if (json_is_true(v) && !it->collected && json_is_string(json_object_get(o, "status")) &&
	    strcmp(json_string_value(json_object_get(o, "status")), "collected"))
		it->collected = true;

	/* size and digest only mean something for what was stored; otherwise they are null */
	if (it->collected) {
		v = required(o, where, "bytes", JSON_INTEGER, err, errlen);
		if (!v)
			return -EINVAL;
		it->bytes = json_integer_value(v);

		v = required(o, where, "sha256", JSON_STRING, err, errlen);
		if (!v)
			return -EINVAL;
		snprintf(what, sizeof(what), "%ssha256", where);
		ret = check_sha256(what, json_string_value(v), err, errlen);
		if (ret)
			return ret;
		memcpy(it->sha256, json_string_value(v), sizeof(it->sha256));
	}

	ret = opt_string(o, "why", where, &it->why, err, errlen);
	if (!ret)
		ret = opt_string(o, "source", where, &it->source, err, errlen);
	if (!ret)
		ret = opt_string(o, "kind", where, &it->kind, err, errlen);
	if (!ret)
		ret = opt_bool(o, "truncated", where, &it->truncated, err, errlen);
	if (!ret)
		ret = opt_bool(o, "timed_out", where, &it->timed_out, err, errlen);
	if (!ret)
		ret = opt_errno(o, where, &it->err, err, errlen);
	if (!ret)
		ret = parse_status(o, where, it, err, errlen);
	return ret;
}

static int cmp_item_path(const void *a, const void *b)
{
	const struct manifest_item *x = *(const struct manifest_item *const *)a;
	const struct manifest_item *y = *(const struct manifest_item *const *)b;

	return strcmp(x->path, y->path);
}

/* One file per path: two items at one path cannot both describe what is stored there. */
static int check_duplicates(const struct manifest *m, char *err, size_t errlen)
{
	struct manifest_item **sorted;
	size_t i, a, b;
	char q[80];
	int ret = 0;

	if (m->nr < 2)
		return 0;
	sorted = util_xmalloc(m->nr * sizeof(*sorted));
	for (i = 0; i < m->nr; i++)
		sorted[i] = &m->items[i];
	qsort(sorted, m->nr, sizeof(*sorted), cmp_item_path);
	for (i = 1; i < m->nr; i++) {
		if (strcmp(sorted[i - 1]->path, sorted[i]->path))
			continue;
		a = (size_t)(sorted[i - 1] - m->items);
		b = (size_t)(sorted[i] - m->items);
		i18n_set_err(err, errlen, "items[%zu].path '%s': listed twice (also items[%zu])",
			     a > b ? a : b, clip(sorted[i]->path, q, sizeof(q)), a < b ? a : b);
		ret = -EINVAL;
		break;
	}
	free(sorted);
	return ret;
}

void manifest_free(struct manifest *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nr && m->items; i++) {
		free(m->items[i].path);
		free(m->items[i].why);
		free(m->items[i].source);
		free(m->items[i].kind);
	}
	free(m->items);
	free(m->edrdiag);
	free(m->name);
	free(m->collected_at);
	free(m->uid);
	memset(m, 0, sizeof(*m));
}

int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = NULL, *items;
	size_t i;
	int ret;

	memset(m, 0, sizeof(*m));
	i18n_set_err(err, errlen, NULL);
	if (!text && len) {
		i18n_set_err(err, errlen, "no text");
		return -EINVAL;
	}
	if (len > MANIFEST_MAX_BYTES) {
		i18n_set_err(err, errlen, "%zu bytes, more than the %u edrdiag writes at most", len,
			     MANIFEST_MAX_BYTES);
		ret = -EINVAL;
		goto out;
	}
	/* duplicate keys: which of two "sha256" members is the real one? */
	doc = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		i18n_set_err(err, errlen, "not JSON: line %d column %d: %s", jerr.line, jerr.column,
			     jerr.text);
		ret = -EINVAL;
		goto out;
	}
	if (!json_is_object(doc)) {
		i18n_set_err(err, errlen, "not a JSON object at the top");
		ret = -EINVAL;
		goto out;
	}
	ret = opt_string(doc, "edrdiag", "", &m->edrdiag, err, errlen);
	if (!ret)
		ret = opt_string(doc, "name", "", &m->name, err, errlen);
	if (!ret)
		ret = opt_string(doc, "collected_at", "", &m->collected_at, err, errlen);
	if (!ret)
		ret = opt_string(doc, "uid", "", &m->uid, err, errlen);
	if (ret)
		goto out;
	items = json_object_get(doc, "items");
	if (!items) {
		i18n_set_err(err, errlen, "items: missing");
		ret = -EINVAL;
		goto out;
	}
	if (!json_is_array(items)) {
		i18n_set_err(err, errlen, "items: not an array");
		ret = -EINVAL;
		goto out;
	}
	if (json_array_size(items) > MANIFEST_MAX_ITEMS) {
		i18n_set_err(err, errlen, "items: %zu, more than the %d edrdiag writes at most",
			     json_array_size(items), MANIFEST_MAX_ITEMS);
		ret = -EINVAL;
		goto out;
	}
	m->nr = json_array_size(items);
	/* zeroed: manifest_free() frees the members of every item, parsed or not */
	m->items = util_xmalloc(m->nr * sizeof(*m->items));
	memset(m->items, 0, m->nr * sizeof(*m->items));
	for (i = 0; i < m->nr && !ret; i++)
		ret = parse_item(json_array_get(items, i), i, &m->items[i], err, errlen);
	if (!ret)
		ret = check_duplicates(m, err, errlen);
out:
	json_decref(doc);
	if (ret) {
		manifest_free(m);
		/*
		 * the message quotes a manifest's bytes, clipped (maybe mid-character): nothing
		 * of them reaches a terminal raw, and a translation keeps its characters
		 */
		if (err && errlen)
			text_scrub(err);
	}
	return ret;
}

/*
 * The check. What follows reads the tree under --root without following symbolic links:
 * edrdiag's archives hold regular files only, so a link is an edit, and following one could
 * hash a file of the engineer's own machine (proc -> /proc) as if it were the customer's.
 */

#define ID	    "root.bundle"
#define GUIDE	    "8.1"
#define NAMES_SHOWN 8	   /* names in a detail; the JSON member has them all */
#define WALK_MAX    100000 /* entries looked at for added files: a bundle has ~40 */
#define WALK_DEPTH  32	   /* host paths are at most ~8 deep */
#define PLURAL(n)   ((n) == 1 ? "" : "s")
struct verify {
	const struct manifest *m;
	int rootfd;
	const char **paths; /* collected items' paths, sorted */
	size_t npaths;
	size_t matched;
	json_t *changed;       /* [{"path", "problem"}] */
	json_t *added;	       /* ["path"]: in the tree, not collected per the manifest */
	json_t *not_collected; /* [{"path", "why", "replayed"}] */
	json_t *partial;       /* ["path"]: replayed files stored in part */
	json_t *unverified;    /* [{"path", "problem"}]: too big to hash here */
	unsigned long long hashed;
	size_t walked;
	bool walk_cut;
};

/*
 * Hashing costs about 5 ms per MiB: a sparse 1 TB member (a few KB in the tarball) must not
 * tie the replay up for hours. No file a check reads comes near the per-item cap.
 */
#define VERIFY_MAX_ITEM	 (64ull << 20)
#define VERIFY_MAX_TOTAL (256ull << 20)

static bool listed(const struct verify *v, const char *path)
{
	return v->npaths && bsearch(&path, v->paths, v->npaths, sizeof(*v->paths), util_str_cmp);
}

/* Does directory dir hold a collected file? Paths under "dir/" sort right after it. */
static bool holds_listed(const struct verify *v, const char *dir)
{
	size_t lo = 0, hi = v->npaths, n = strlen(dir);
	char *prefix = util_fmt("%s/", dir);
	bool ret;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v->paths[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ret = lo < v->npaths && !strncmp(v->paths[lo], prefix, n + 1);
	free(prefix);
	return ret;
}

/*
 * A check reads the host path "/" + path: commands/ and report.md are never replayed, and
 * neither is a sample (trace_pipe) stored under commands/.
 */
static bool replayed(const struct manifest_item *it)
{
	if (it->kind && (!strcmp(it->kind, "command") || !strcmp(it->kind, "generated")))
		return false;
	return !util_startswith(it->path, "commands/") && strcmp(it->path, "report.md");
}

/* Absent from the host: the replay sees the same absence, so nothing is lost. */
static bool absent_on_host(const struct manifest_item *it)
{
	return it->why && util_startswith(it->why, "absent on this host");
}

/*
 * Open path under the root, one component at a time, refusing symbolic links (-ELOOP).
 * A file that is not regular is not opened (*irregular): a FIFO would block, and a device
 * node could act on open.
 */
static int open_beneath(int rootfd, const char *path, bool *irregular)
{
	char buf[PATH_LEN_MAX + 1], *p = buf, *slash;
	int dfd = rootfd, fd, e;
	struct stat st;

	*irregular = false;
	snprintf(buf, sizeof(buf), "%s", path);
	while ((slash = strchr(p, '/'))) {
		*slash = '\0';
		fd = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		if (dfd != rootfd)
			close(dfd);
		if (fd < 0)
			return -e;
		dfd = fd;
		p = slash + 1;
	}
	if (fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW)) {
		fd = -errno;
	} else if (S_ISLNK(st.st_mode)) {
		fd = -ELOOP;
	} else if (!S_ISREG(st.st_mode)) {
		*irregular = true;
		fd = -EINVAL;
	} else {
		fd = openat(dfd, p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	}
	if (dfd != rootfd)
		close(dfd);
	return fd;
}

/*
 * NULL when the stored file is the one collected, else what differs. A file too big to hash
 * within the caps is not read: *unverified says so, and the result is why.
 */
static char *verify_item(struct verify *v, const struct manifest_item *it, bool *unverified)
{
	unsigned char buf[65536], digest[32];
	char hex[65];
	struct sha256 s;
	long long total = 0;
	bool irregular;
	struct stat st;
	ssize_t n;
	int fd, i;

	*unverified = false;
	fd = open_beneath(v->rootfd, it->path, &irregular);
	if (irregular)
		return util_xstrdup(_("not a regular file"));
	if (fd == -ENOENT || fd == -ENOTDIR)
		return util_xstrdup("missing");
	if (fd == -ELOOP)
		return util_xstrdup(_("a symbolic link where a file was collected"));
	if (fd < 0)
		return util_fmt(_("cannot be read: %s"), strerror(-fd));
	if (fstat(fd, &st) == 0 && st.st_size != it->bytes) {
		close(fd);
		return util_fmt("%lld bytes, collected %lld", (long long)st.st_size, it->bytes);
	}
	if ((unsigned long long)it->bytes > VERIFY_MAX_ITEM ||
	    v->hashed + (unsigned long long)it->bytes > VERIFY_MAX_TOTAL) {
		close(fd);
		*unverified = true;
		return util_fmt("%lld bytes: not hashed, past the %llu MiB a replay hashes per "
				"file or %llu MiB in all",
				it->bytes, VERIFY_MAX_ITEM >> 20, VERIFY_MAX_TOTAL >> 20);
	}
	v->hashed += (unsigned long long)it->bytes;
	sha256_init(&s);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sha256_update(&s, buf, (size_t)n);
		total += n;
		/* grown since fstat: never past what was announced */
		if (total > it->bytes)
			break;
	}
	if (n < 0) {
		char *e = util_fmt(_("cannot be read: %s"), strerror(errno));

		close(fd);
		return e;
	}
	close(fd);
	sha256_final(&s, digest);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	if (total != it->bytes)
		return util_fmt("%lld bytes, collected %lld", total, it->bytes);
	if (strcmp(hex, it->sha256))
		return util_xstrdup(_("sha256 differs"));
	return NULL;
}

/* A name from the tree (suffix "/" for a directory) in the added list: printable ASCII only. */
static void note_added(struct verify *v, const char *rel, const char *name, const char *suffix)
{
	char *s = rel ? util_fmt("%s/%s%s", rel, name, suffix) : util_fmt("%s%s", name, suffix);

	ascii_scrub(s);
	json_array_append_new(v->added, json_string(s));
	free(s);
}

/*
 * Files and directories in the tree that the manifest does not account for: what replay
 * reads there did not come from the host. Regular files at the top are the engineer's own
 * (notes, a copy of the archive): no check reads a host path without a directory.
 */
static void walk(struct verify *v, int dfd, const char *rel, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *path;
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++v->walked > WALK_MAX) {
			v->walk_cut = true;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		path = rel ? util_fmt("%s/%s", rel, de->d_name) : util_xstrdup(de->d_name);
		if (S_ISDIR(st.st_mode) && holds_listed(v, path)) {
			fd = depth < WALK_DEPTH
				     ? openat(dirfd(d), de->d_name,
					      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				     : -1;
			if (depth >= WALK_DEPTH)
				v->walk_cut = true;
			if (fd >= 0)
				walk(v, fd, path, depth + 1);
		} else if (S_ISDIR(st.st_mode)) {
			/* an added directory (an events/ tree, say) counts once, not per file */
			note_added(v, rel, de->d_name, "/");
		} else if (!(depth == 0 && S_ISREG(st.st_mode)) && !listed(v, path)) {
			note_added(v, rel, de->d_name, "");
		}
		free(path);
	}
	closedir(d);
}

/* "a, b (why), c and 4 more": the first NAMES_SHOWN of arr, paths or {path, problem}. */
static char *name_list(json_t *arr, bool with_problem)
{
	char *s = util_xstrdup(""), *n;
	size_t i, nr = json_array_size(arr);
	json_t *e;

	json_array_foreach (arr, i, e) {
		if (i == NAMES_SHOWN) {
			n = util_fmt("%s and %zu more", s, nr - i);
			free(s);
			return n;
		}
		if (with_problem)
			n = util_fmt("%s%s%s (%s)", s, i ? ", " : "",
				     json_string_value(json_object_get(e, "path")),
				     json_string_value(json_object_get(e, "problem")));
		else
			n = util_fmt("%s%s%s", s, i ? ", " : "", json_string_value(e));
		free(s);
		s = n;
	}
	return s;
}

/* The not-collected items: host paths for what a check would read, bundle paths else. */
static char *missing_list(json_t *arr, bool want_replayed)
{
	char *s = util_xstrdup(""), *n;
	size_t i, shown = 0, nr = 0;
	json_t *e;

	json_array_foreach (arr, i, e) {
		const char *why = json_string_value(json_object_get(e, "why"));
		bool rep = json_is_true(json_object_get(e, "replayed"));

		/* an absence is replayed as it was: nothing to say of it */
		if (rep != want_replayed || (rep && json_is_true(json_object_get(e, "absent"))))
			continue;
		nr++;
		if (shown == NAMES_SHOWN)
			continue;
		n = util_fmt("%s%s%s%s (%s)", s, shown ? ", " : "", rep ? "/" : "",
			     json_string_value(json_object_get(e, "path")),
			     why ? why : "no reason given");
		free(s);
		s = n;
		shown++;
	}
	if (nr > shown) {
		n = util_fmt("%s and %zu more", s, nr - shown);
		free(s);
		s = n;
	}
	return nr ? s : (free(s), NULL);
}

static void add_finding(struct report *r, struct verify *v)
{
	size_t nchanged = json_array_size(v->changed), nadded = json_array_size(v->added);
	size_t npartial = json_array_size(v->partial), nlost = 0, i;
	size_t nunverified = json_array_size(v->unverified);
	const char *name = v->m->name ? v->m->name : "(unnamed)";
	const char *ver = v->m->edrdiag ? v->m->edrdiag : "?";
	char *title, *lost, *cmds, *list;
	struct finding *f;
	json_t *e;

	/* what the host had and the bundle lacks: absences are replayed faithfully */
	json_array_foreach (v->not_collected, i, e)
		nlost += json_is_true(json_object_get(e, "replayed")) &&
			 !json_is_true(json_object_get(e, "absent"));
	lost = missing_list(v->not_collected, true);
	cmds = missing_list(v->not_collected, false);

	if (nchanged || nadded) {
		if (!nadded)
			title = util_fmt(
				_("bundle %s was changed after collection: %zu of %zu files "
				  "differ"),
				name, nchanged, v->npaths);
		else if (!nchanged)
			title = util_fmt(
				_("bundle %s was changed after collection: %zu file%s added"), name,
				nadded, PLURAL(nadded));
		else
			title = util_fmt(
				_("bundle %s was changed after collection: %zu of %zu files "
				  "differ, %zu added"),
				name, nchanged, v->npaths, nadded);
		f = report_add(
			r, ID, ST_FAIL, GUIDE, title,
			_("ask the customer for the archive again and unpack it afresh: what "
			  "the checks say about the files named here is not the host's"),
			NULL);
		if (nchanged) {
			list = name_list(v->changed, true);
			finding_append(f, "changed since collection: %s", list);
			free(list);
		}
		if (nadded) {
			list = name_list(v->added, false);
			finding_append(f, "in the tree, not collected per the manifest: %s", list);
			free(list);
		}
		finding_append(f, "%zu file%s match the manifest", v->matched, PLURAL(v->matched));
	} else if (nunverified) {
		title = util_fmt(_("bundle %s from edrdiag %s: %zu file%s match the manifest; %zu "
				   "not verified"),
				 name, ver, v->matched, PLURAL(v->matched), nunverified);
		f = report_add(r, ID, ST_WARN, GUIDE, title,
			       "edrdiag's bundles hold no file this big with the default "
			       "--max-item-size: ask how the bundle was made",
			       NULL);
	} else if (nlost || npartial) {
		title = util_fmt("bundle %s from edrdiag %s: %zu file%s match the manifest; %zu "
				 "host file%s not collected in full",
				 name, ver, v->matched, PLURAL(v->matched), nlost + npartial,
				 PLURAL(nlost + npartial));
		f = report_add(r, ID, ST_WARN, GUIDE, title,
			       "collect the bundle again as root (with a longer --timeout or "
			       "--deadline if items timed out)",
			       "checks that read the files named here say what the host said of "
			       "them (permission denied), or that they were not collected; they "
			       "say nothing more of the host");
	} else {
		title = util_fmt("bundle %s from edrdiag %s: %zu file%s match the manifest", name,
				 ver, v->matched, PLURAL(v->matched));
		f = report_add(r, ID, ST_PASS, GUIDE, title, NULL,
			       "every collected file is under %s with the size and sha256 the "
			       "manifest gives, and nothing was added",
			       sysroot_dir());
	}
	if (nunverified) {
		list = name_list(v->unverified, true);
		finding_append(f, "not verified: %s", list);
		free(list);
	}
	if (lost)
		finding_append(f, "not collected on the host: %s", lost);
	if (npartial) {
		list = name_list(v->partial, false);
		finding_append(f, "stored in part (size cap or timeout): %s", list);
		free(list);
	}
	if (cmds)
		finding_append(f, "not collected, not replayed: %s", cmds);
	if (v->walk_cut)
		finding_append(f,
			       "the search for added files stopped after %d entries or %d levels",
			       WALK_MAX, WALK_DEPTH);
	free(title);
	free(lost);
	free(cmds);
}

/* The host's error for an item not collected: the manifest's errno, else its words. */
static int host_error(const struct manifest_item *it)
{
	if (it->err)
		return it->err;
	if (absent_on_host(it))
		return -ENOENT;
	if (it->why && util_startswith(it->why, "permission denied"))
		return -EACCES;
	return -SYSROOT_ENOTCOLLECTED;
}

/* "edrdiag-report-HOST-20261130T102900Z" -> "2026-11-30T10:29:00Z", for older manifests. */
static char *time_from_name(const char *name)
{
	const char *p = name ? strrchr(name, '-') : NULL;
	size_t i;

	if (!p || strlen(++p) != 16 || p[8] != 'T' || p[15] != 'Z')
		return NULL;
	for (i = 0; i < 15; i++)
		if (i != 8 && (p[i] < '0' || p[i] > '9'))
			return NULL;
	return util_fmt("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", p, p + 4, p + 6, p + 9, p + 11, p + 13);
}

void manifest_check_root(struct report *r)
{
	struct verify v = { .rootfd = -1 };
	struct manifest m = { 0 };
	char err[256], *text = NULL, *when;
	struct stat st;
	size_t len, i;
	int e, fd;

	if (sysroot_is_live())
		return;
	v.rootfd = open(sysroot_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v.rootfd < 0) {
		report_add(r, ID, ST_ERROR, GUIDE, "cannot open the bundle", NULL, "%s: %s",
			   sysroot_dir(), strerror(errno));
		return;
	}
	/* no manifest: a plain sysroot (a fixture, files copied by hand), nothing to verify */
	if (fstatat(v.rootfd, "manifest.json", &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno != ENOENT)
			report_add(r, ID, ST_ERROR, GUIDE, "cannot read the bundle's manifest.json",
				   NULL, "manifest.json: %s; the bundle's files were not verified",
				   strerror(errno));
		goto out;
	}
	/* edrdiag writes a regular file; a FIFO would block the read, a link leads elsewhere */
	if (!S_ISREG(st.st_mode)) {
		report_add(r, ID, ST_FAIL, GUIDE, "the bundle's manifest.json is not a file",
			   "ask the customer for the archive again and unpack it afresh",
			   "manifest.json is not a regular file: the bundle was edited after "
			   "collection and its files cannot be verified");
		goto out;
	}
	e = sysroot_read("/manifest.json", MANIFEST_MAX_BYTES, &text, &len);
	if (e == -SYSROOT_ETOOBIG) {
		report_add(
			r, ID, ST_FAIL, GUIDE, "the bundle's manifest.json is damaged",
			"ask the customer for the archive again and unpack it afresh",
			"manifest.json: %lld bytes, more than the %u edrdiag writes at most: not "
			"read; the bundle's files cannot be verified",
			(long long)st.st_size, MANIFEST_MAX_BYTES);
		goto out;
	}
	if (e) {
		report_add(r, ID, ST_ERROR, GUIDE, "cannot read the bundle's manifest.json", NULL,
			   "manifest.json: %s; the bundle's files were not verified",
			   sysroot_error("/manifest.json", e));
		goto out;
	}
	e = manifest_parse(text, len, &m, err, sizeof(err));
	free(text);
	if (e) {
		/* edrdiag never writes such a manifest: the bundle was damaged or edited */
		report_add(r, ID, ST_FAIL, GUIDE, "the bundle's manifest.json is damaged",
			   "ask the customer for the archive again and unpack it afresh",
			   "manifest.json: %s; the bundle was damaged or edited after collection "
			   "and its files cannot be verified: what the checks say may not be the "
			   "host's",
			   err);
		goto out;
	}
	when = m.collected_at ? util_xstrdup(m.collected_at) : time_from_name(m.name);
	target_set_bundle(m.name ? m.name : "(unnamed)", when, m.uid);
	free(when);

	v.m = &m;
	v.changed = json_array();
	v.added = json_array();
	v.not_collected = json_array();
	v.partial = json_array();
	v.unverified = json_array();
	v.paths = util_xmalloc((m.nr ? m.nr : 1) * sizeof(*v.paths));
	for (i = 0; i < m.nr; i++) {
		const struct manifest_item *it = &m.items[i];
		bool unverified;
		char *problem;

		if (!it->collected) {
			json_array_append_new(
				v.not_collected,
				json_pack("{s:s, s:o, s:b, s:b}", "path", it->path, "why",
					  it->why ? json_string(it->why) : json_null(), "replayed",
					  replayed(it), "absent", absent_on_host(it)));
			/* what a check reads there gets the host's answer, not "absent" */
			if (replayed(it)) {
				char *host = util_fmt("/%s", it->path);

				sysroot_not_collected(host, host_error(it), it->why);
				free(host);
			}
			continue;
		}
		v.paths[v.npaths++] = it->path;
		problem = verify_item(&v, it, &unverified);
		if (problem) {
			json_array_append_new(unverified ? v.unverified : v.changed,
					      json_pack("{s:s, s:s}", "path", it->path, "problem",
							problem));
			free(problem);
			continue;
		}
		v.matched++;
		/* a collected run of the host's, as collected: its verdicts may be replayed */
		target_set_verified(it->path);
		if (replayed(it) && (it->truncated || it->timed_out))
			json_array_append_new(v.partial, json_string(it->path));
	}
	qsort(v.paths, v.npaths, sizeof(*v.paths), util_str_cmp);
	fd = dup(v.rootfd);
	if (fd >= 0)
		walk(&v, fd, NULL, 0);

	add_finding(r, &v);
	json_object_set_new(
		r->extra, "bundle",
		json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o}", "name",
			  m.name ? json_string(m.name) : json_null(), "edrdiag",
			  m.edrdiag ? json_string(m.edrdiag) : json_null(), "collected_at",
			  target_get()->collected_at ? json_string(target_get()->collected_at)
						     : json_null(),
			  "matched", (json_int_t)v.matched, "changed", v.changed, "added", v.added,
			  "not_collected", v.not_collected, "partial", v.partial, "unverified",
			  v.unverified));
	/* the arrays now belong to the report ("o" above) */
	free(v.paths);
out:
	close(v.rootfd);
	manifest_free(&m);
}
