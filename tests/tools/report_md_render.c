// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * report_md_render INPUT.json [LOCALEDIR]: report.md from a JSON description of what
 * report_md_render() is given, for the examples in docs/examples/ and for looking at a
 * report without collecting a bundle. With LOCALEDIR, the text domain edrdiag-report-test is
 * bound there and LANGUAGE (zh_CN, say) picks the catalogue.
 *
 * INPUT: {"os", "kernel", "uname", "agent", "agent_found", "euid", "missing_caps",
 *         "argv": [...], "bundle_name",
 *         "docs": {"check-kernel"|"check-tracepoints"|"stats"|"self-test":
 *                  {"path": "...", "json": {...} | null}},
 *         "kernel_log": {"path", "text"}, "sensor_log": {"path", "text"},
 *         "items": [{"path", "source", "status", "exit_status", "stderr_first_line", "why"}]}
 */
#include <jansson.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_md.h"

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int main(int argc, char **argv)
{
	static const char *const docs[REPORT_DOC_NR] = { "check-kernel", "check-tracepoints",
							 "stats", "self-test" };
	struct report_md_info in = { 0 };
	struct report_md_item *items = NULL;
	const char **args = NULL;
	json_error_t err;
	json_t *j, *v, *o;
	size_t i, n;
	char *md;
	int k;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: report_md_render INPUT.json [LOCALEDIR]\n");
		return 2;
	}
	j = json_load_file(argv[1], 0, &err);
	if (!json_is_object(j)) {
		fprintf(stderr, "report_md_render: %s: %s (line %d)\n", argv[1],
			j ? "not an object" : err.text, err.line);
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8");
	if (argc == 3) {
		bindtextdomain("edrdiag-report-test", argv[2]);
		bind_textdomain_codeset("edrdiag-report-test", "UTF-8");
		textdomain("edrdiag-report-test");
	}
	in.os = str(j, "os");
	in.kernel = str(j, "kernel");
	in.uname = str(j, "uname");
	in.agent = str(j, "agent");
	in.agent_found = str(j, "agent_found");
	in.euid = (unsigned int)json_integer_value(json_object_get(j, "euid"));
	in.missing_caps = str(j, "missing_caps");
	in.bundle_name = str(j, "bundle_name");
	for (k = 0; k < REPORT_DOC_NR; k++) {
		o = json_object_get(json_object_get(j, "docs"), docs[k]);
		in.docs[k].path = str(o, "path");
		in.docs[k].json = json_object_get(o, "json");
		if (json_is_null(in.docs[k].json))
			in.docs[k].json = NULL;
	}
	o = json_object_get(j, "kernel_log");
	in.log_source = str(o, "path");
	in.kernel_log = str(o, "text");
	o = json_object_get(j, "sensor_log");
	in.sensor_log_source = str(o, "path");
	in.sensor_log = str(o, "text");
	o = json_object_get(j, "argv");
	if (json_is_array(o)) {
		args = calloc(json_array_size(o) + 1, sizeof(*args));
		json_array_foreach (o, i, v)
			args[i] = json_string_value(v);
		in.argv = args;
	}
	o = json_object_get(j, "items");
	n = json_array_size(o);
	items = calloc(n + 1, sizeof(*items));
	if (!items || (json_is_array(json_object_get(j, "argv")) && !args))
		return 3;
	json_array_foreach (o, i, v) {
		json_t *x = json_object_get(v, "exit_status");

		items[i] = (struct report_md_item){ str(v, "path"),
						    str(v, "source"),
						    str(v, "status"),
						    json_is_integer(x) ? (int)json_integer_value(x)
								       : -1,
						    str(v, "stderr_first_line"),
						    str(v, "why") };
	}
	if (json_is_array(o)) {
		in.items = items;
		in.nr_items = n;
	}
	md = report_md_render(&in);
	fputs(md, stdout);
	free(md);
	free(items);
	free(args);
	json_decref(j);
	return fflush(stdout) || ferror(stdout) ? 3 : 0;
}
