// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "finding.h"
#include "i18n.h"
#include "sysroot.h"
#include "target.h"
#include "text.h"
#include "util.h"

/* A collected edrdiag JSON document is a few KiB: past this it is not one. */
#define COLLECTED_MAX (1u << 20)
/*
 * check-object's lists every CO-RE relocation of every program (up to 4096 each): as large
 * as collect-report's default per-item cap allows.
 */
#define COLLECTED_OBJECT_MAX (16u << 20)

static struct target t = { .kind = TARGET_LIVE };

/*
 * commands/edrdiag-<command>.json, loaded on first use: [0] check-kernel, [1] the other.
 * Only once the manifest has matched it (target_set_verified): a tree without a manifest,
 * or one whose copy was edited, holds no verdict of the host's.
 */
static struct {
	const char *command;
	json_t *doc;
	bool loaded, verified;
} collected[2] = { { "check-kernel" }, { "check-tracepoints" } };

/*
 * commands/check-object-NAME.json (collect-report --object) the manifest matched, at most
 * MAX_OBJECT_DOCS: check-object --root finds the one for its object by the object's sha256.
 */
#define MAX_OBJECT_DOCS 16
static char *object_paths[MAX_OBJECT_DOCS];
static size_t nr_object_paths;
static json_t *object_doc; /* the one found, kept for the run */

void target_reset(void)
{
	size_t i;

	for (i = 0; i < nr_object_paths; i++)
		free(object_paths[i]);
	nr_object_paths = 0;
	json_decref(object_doc);
	object_doc = NULL;
	free(t.source);
	free(t.bundle_name);
	free(t.collected_at);
	free(t.collected_uid);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 2; i++) {
		json_decref(collected[i].doc);
		collected[i].doc = NULL;
		collected[i].loaded = false;
		collected[i].verified = false;
	}
}

void target_init(void)
{
	target_reset();
	if (sysroot_is_live()) {
		t.kind = TARGET_LIVE;
		t.source = util_xstrdup("this host");
	} else {
		t.kind = TARGET_BUNDLE;
		t.source = util_xstrdup(sysroot_dir());
	}
	/* unreadable or refused: the release stays unknown, and a refusal is remembered */
	target_read_release();
}

void target_use_kconfig(const char *path)
{
	t.kind = TARGET_KCONFIG;
	free(t.source);
	t.source = util_xstrdup(path);
	/* the host's release is not the config's: unknown until its header is read */
	target_set_release("", "");
}

const struct target *target_get(void)
{
	return &t;
}

const char *target_kind_str(enum target_kind kind)
{
	switch (kind) {
	case TARGET_LIVE:
		return "live";
	case TARGET_BUNDLE:
		return "bundle";
	case TARGET_KCONFIG:
		return "kconfig";
	}
	return "?";
}

void target_set_release(const char *release, const char *from)
{
	snprintf(t.release, sizeof(t.release), "%s", release ? release : "");
	snprintf(t.release_from, sizeof(t.release_from), "%s", from ? from : "");
	t.release_is_name = *t.release && util_release_is_name(t.release);
}

int target_read_release(void)
{
	char rel[256];
	struct utsname u;
	int err;

	err = sysroot_read_line(TARGET_OSRELEASE_PATH, rel, sizeof(rel));
	if (err && t.kind == TARGET_LIVE && uname(&u) == 0) {
		target_set_release(u.release, N_("uname(2)"));
		return 0;
	}
	if (err) {
		target_set_release("", "");
		return err;
	}
	target_set_release(rel, TARGET_OSRELEASE_PATH);
	/*
	 * "6.1.0/../../../tmp/x" joined into /boot/config-<release> would leave the root. The
	 * live host's own release is not a path into a hostile tree: only skipped as one.
	 */
	if (!t.release_is_name && *rel && t.kind == TARGET_BUNDLE)
		sysroot_refuse(TARGET_OSRELEASE_PATH, -SYSROOT_EBADVALUE,
			       "refused as a path component: the release is not a plain name "
			       "(letters, digits and ._+~- only, at most 64)");
	return 0;
}

void target_set_bundle(const char *name, const char *collected_at, const char *uid)
{
	free(t.bundle_name);
	free(t.collected_at);
	free(t.collected_uid);
	t.bundle_name = name ? util_xstrdup(name) : NULL;
	t.collected_at = collected_at ? util_xstrdup(collected_at) : NULL;
	t.collected_uid = uid ? util_xstrdup(uid) : NULL;
}

json_t *target_json(void)
{
	json_t *j = json_object();

	json_object_set_new(j, "kind", json_string(target_kind_str(t.kind)));
	json_object_set_new(j, "release", *t.release ? text_json(t.release) : json_null());
	json_object_set_new(j, "release_from",
			    *t.release_from ? json_string(t.release_from) : json_null());
	json_object_set_new(j, "source", text_json(t.source ? t.source : ""));
	if (t.kind == TARGET_BUNDLE) {
		json_object_set_new(j, "bundle", text_json(t.bundle_name));
		json_object_set_new(j, "collected_at", text_json(t.collected_at));
		json_object_set_new(j, "collected_uid", text_json(t.collected_uid));
	}
	return j;
}

char *target_line(void)
{
	const char *rel = *t.release ? t.release : _("unknown");
	char *line, *when;

	switch (t.kind) {
	case TARGET_KCONFIG:
		return util_fmt(_("target: kernel config %s, kernel %s%s%s%s"), t.source, rel,
				*t.release_from ? _(" (from ") : "",
				*t.release_from ? _(t.release_from) : "",
				*t.release_from ? ")" : "");
	case TARGET_BUNDLE:
		when = t.collected_at ? util_fmt(_(", collected %s"), t.collected_at)
				      : util_xstrdup("");
		line = util_fmt(_("target: %s %s%s, kernel %s"),
				t.bundle_name ? _("bundle") : _("tree"), t.source, when, rel);
		free(when);
		return line;
	case TARGET_LIVE:
		break;
	}
	return util_fmt(_("target: live host, kernel %s"), rel);
}

static bool str_or_null(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return !v || json_is_null(v) || json_is_string(v);
}

/* What edrdiag writes: {"command": C, "results": [{"id": s, "status": s, ...}]}. */
static bool doc_valid(json_t *doc, const char *command)
{
	static const char *const statuses[] = { "pass", "warn", "fail", "skip", "error" };
	const char *cmd = json_string_value(json_object_get(doc, "command"));
	json_t *results, *r;
	size_t i, k;

	if (!json_is_object(doc) || !cmd || strcmp(cmd, command))
		return false;
	results = json_object_get(doc, "results");
	if (!json_is_array(results))
		return false;
	json_array_foreach (results, i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));

		if (!json_is_object(r) || !json_is_string(json_object_get(r, "id")) || !st)
			return false;
		for (k = 0; k < ARRAY_SIZE(statuses) && strcmp(st, statuses[k]); k++)
			;
		if (k == ARRAY_SIZE(statuses) || !str_or_null(r, "title") ||
		    !str_or_null(r, "detail") || !str_or_null(r, "remedy") ||
		    !str_or_null(r, "guide"))
			return false;
	}
	return true;
}

void target_set_verified(const char *path)
{
	char want[96];
	size_t i;

	if (util_startswith(path, "commands/check-object-") && strlen(path) < 200 &&
	    !strcmp(path + strlen(path) - 5, ".json") && nr_object_paths < MAX_OBJECT_DOCS)
		object_paths[nr_object_paths++] = util_xstrdup(path);
	for (i = 0; i < ARRAY_SIZE(collected); i++) {
		snprintf(want, sizeof(want), "commands/edrdiag-%s.json", collected[i].command);
		if (!strcmp(path, want))
			collected[i].verified = true;
	}
}

/*
 * The document edrdiag command wrote, at path in the bundle (at most cap bytes), or NULL:
 * unreadable, or refused when it is not what edrdiag writes (doc_valid).
 */
static json_t *load_collected(const char *path, size_t cap, const char *command)
{
	char *text;
	size_t len;
	json_t *doc;

	if (sysroot_read(path, cap, &text, &len))
		return NULL;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	if (doc && doc_valid(doc, command))
		return doc;
	json_decref(doc);
	sysroot_refuse(path, -SYSROOT_EBADVALUE, "refused: not the JSON document edrdiag %s writes",
		       command);
	return NULL;
}

json_t *target_collected_doc(const char *command)
{
	char path[96];
	size_t i;

	if (t.kind != TARGET_BUNDLE)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(collected) && strcmp(collected[i].command, command); i++)
		;
	if (i == ARRAY_SIZE(collected))
		return NULL;
	if (collected[i].loaded || !collected[i].verified)
		return collected[i].doc;
	collected[i].loaded = true;
	snprintf(path, sizeof(path), "/commands/edrdiag-%s.json", command);
	collected[i].doc = load_collected(path, COLLECTED_MAX, command);
	return collected[i].doc;
}

json_t *target_collected_object(const char *sha256)
{
	size_t i;

	if (t.kind != TARGET_BUNDLE || !sha256)
		return NULL;
	for (i = 0; i < nr_object_paths && !object_doc; i++) {
		char *path = util_fmt("/%s", object_paths[i]);
		json_t *doc = load_collected(path, COLLECTED_OBJECT_MAX, "check-object");
		const char *sum = json_string_value(json_object_get(doc, "sha256"));

		if (json_is_array(json_object_get(doc, "programs")) && sum && !strcmp(sum, sha256))
			object_doc = doc;
		else
			json_decref(doc);
		free(path);
	}
	return object_doc;
}

json_t *target_collected(const char *command, const char *id)
{
	json_t *doc = target_collected_doc(command), *r;
	size_t i;

	if (!doc)
		return NULL;
	json_array_foreach (json_object_get(doc, "results"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "id")), id))
			return r;
	return NULL;
}

void target_report_refusals(struct report *r)
{
	const struct sysroot_refusal *rf;
	json_t *list;
	struct finding *f;
	size_t n, i;
	char *title;

	rf = sysroot_refusals(&n);
	/* a config alone reads nothing through the sysroot: nothing of this host to say */
	if (!n || t.kind == TARGET_KCONFIG)
		return;
	list = json_array();
	if (t.kind == TARGET_LIVE)
		title = util_fmt(_("%zu host file%s refused"), n, n == 1 ? "" : "s");
	else
		title = util_fmt(_("%zu path%s of %s refused as unsafe"), n, n == 1 ? "" : "s",
				 t.bundle_name ? _("the bundle") : _("the tree"));
	f = report_add(
		r, "root.refused", t.kind == TARGET_LIVE ? ST_WARN : ST_FAIL, "8.1", title,
		t.kind == TARGET_LIVE
			? NULL
			: _("do not trust this tree: ask for the archive again (edrdiag "
			    "collect-report on the host) and unpack it afresh; the checks that "
			    "read these paths say nothing of the host"),
		NULL);
	for (i = 0; i < n; i++) {
		finding_append(f, "%s: %s", rf[i].path, rf[i].why);
		json_array_append_new(list, json_pack("{s:o, s:o}", "path", text_json(rf[i].path),
						      "why", text_json(rf[i].why)));
	}
	json_object_set_new(r->extra, "refused", list);
	free(title);
}
