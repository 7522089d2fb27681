// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * edrdiag: diagnose the eBPF sensor of an EDR agent.
 *
 * The dispatcher: global options, the one command table, option parsing shared by every
 * command, precondition flags, and the final check that stdout was really written.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "../src/caps.h"
#include "../src/cliopt.h"
#include "../src/i18n.h"
#include "../src/jsonw.h"
#include "../src/output.h"
#include "../src/sig.h"
#include "../src/sysroot.h"
#include "../src/target.h"
#include "../src/util.h"
#include "cmd.h"

#ifndef EDRDIAG_VERSION
#define EDRDIAG_VERSION "0.0.0"
#endif

struct global_opts global;

/* The only list of commands: help, completion and the -h test sweep iterate it. */
static const struct cmd *const commands[] = {
	&cmd_check_kernel, &cmd_check_tracepoints, &cmd_run_sensor,
	&cmd_stats,	   &cmd_map_dump,	   &cmd_collect_report,
	&cmd_export,	   &cmd_fleet_summary,	   &cmd_check_object,
};

enum {
	OPT_ROOT = 0x100,
	OPT_STRICT,
	OPT_NO_COLOR,
	OPT_LANG,
};

/* Width of the help text: options wrap at this column. */
#define HELP_WIDTH 90

/* The options of edrdiag itself, before or after the command word. */
static const struct cliopt global_options[] = {
	{ "json", 'j', 'j', CLIOPT_NONE, NULL,
	  N_("print one JSON document on stdout (errors included)") },
	{ "pretty", 'p', 'p', CLIOPT_NONE, NULL, N_("indented JSON (implies --json)") },
	{ "root", 0, OPT_ROOT, CLIOPT_REQUIRED, "DIR",
	  N_("judge the host in DIR (an unpacked collect-report bundle, or a fixture tree), read "
	     "as hostile: nothing leads out of it; live-only checks replay the verdicts the "
	     "bundle collected, else skip"),
	  CLIOPT_COMPLETE_DIR },
	{ "strict", 0, OPT_STRICT, CLIOPT_NONE, NULL, N_("count warnings as failures (exit 1)") },
	{ "verbose", 'v', 'v', CLIOPT_NONE, NULL,
	  N_("explain passing checks too; show libbpf's own log") },
	{ "no-color", 0, OPT_NO_COLOR, CLIOPT_NONE, NULL,
	  N_("no colour (also: NO_COLOR set, or stdout not a terminal)") },
	{ "lang", 0, OPT_LANG, CLIOPT_REQUIRED, "en|zh",
	  N_("language of the messages, English or Chinese (default: from LC_ALL, LC_MESSAGES, "
	     "LANG); JSON ids, keys and statuses are never translated"),
	  CLIOPT_COMPLETE_WORDS, "en zh" },
	{ "help", 'h', 'h', CLIOPT_NONE, NULL, N_("show this help") },
	{ "version", 'V', 'V', CLIOPT_NONE, NULL, N_("show the version") },
	{ 0 },
};

static const char main_usage[] = "edrdiag [global options] <command> [options]";
static const char main_summary[] = N_("Diagnose the eBPF sensor of an EDR agent on this host.");

/* The dispatcher's own commands, after the table's. */
static const struct {
	const char *name, *args, *summary;
} meta_commands[] = {
	{ "help", "[command]", N_("show help for a command") },
	{ "completion", "bash", N_("print the bash completion script") },
};

/* One string member, formatted. */
static void str_field_fmt(struct jsonw *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void str_field_fmt(struct jsonw *w, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = util_vfmt(fmt, ap);
	va_end(ap);
	jsonw_str_field(w, key, v);
	free(v);
}

static void usage_main(void)
{
	struct jsonw *w;
	size_t i;

	if (!output.json) {
		printf(_("Usage: %s\n\n%s\n\nCommands:\n"), main_usage, _(main_summary));
		for (i = 0; i < ARRAY_SIZE(commands); i++)
			printf("  %-20s %s\n", commands[i]->name, _(commands[i]->summary));
		for (i = 0; i < ARRAY_SIZE(meta_commands); i++) {
			char *word =
				util_fmt("%s %s", meta_commands[i].name, meta_commands[i].args);

			printf("  %-20s %s\n", word, _(meta_commands[i].summary));
			free(word);
		}
		printf(_("\nGlobal options:\n"));
		cliopt_print(stdout, global_options, HELP_WIDTH);
		fputs(_("\nExit status: 0 pass (warnings allowed), 1 a check failed, 2 usage or "
			"bad "
			"input,\n3 environment error (privilege, BPF unavailable, write failure).\n"
			"See edrdiag(8) and edrdiag-<command>(8).\n"),
		      stdout);
		return;
	}
	w = output_doc_begin("help");
	jsonw_key(w, "topic");
	jsonw_null(w);
	jsonw_str_field(w, "usage", main_usage);
	jsonw_str_field(w, "summary", _(main_summary));
	jsonw_key(w, "commands");
	jsonw_begin_array(w);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		jsonw_begin_object(w);
		jsonw_str_field(w, "name", commands[i]->name);
		jsonw_str_field(w, "summary", _(commands[i]->summary));
		str_field_fmt(w, "usage", "edrdiag %s %s[global options]", commands[i]->name,
			      commands[i]->synopsis);
		jsonw_end_object(w);
	}
	for (i = 0; i < ARRAY_SIZE(meta_commands); i++) {
		jsonw_begin_object(w);
		jsonw_str_field(w, "name", meta_commands[i].name);
		jsonw_str_field(w, "summary", _(meta_commands[i].summary));
		str_field_fmt(w, "usage", "edrdiag %s %s", meta_commands[i].name,
			      meta_commands[i].args);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	cliopt_json(w, "global_options", global_options);
	jsonw_str_field(w, "man", "edrdiag(8)");
	output_doc_end();
}

static void usage_cmd(const struct cmd *c)
{
	struct jsonw *w;

	if (!output.json) {
		printf(_("Usage: edrdiag %s %s[global options]\n\n%s.\n"), c->name, c->synopsis,
		       _(c->summary));
		if (c->opts && c->opts->name) {
			printf(_("\nOptions:\n"));
			cliopt_print(stdout, c->opts, HELP_WIDTH);
		}
		printf(_("\nGlobal options:\n"));
		cliopt_print(stdout, global_options, HELP_WIDTH);
		printf(_("\nSee edrdiag-%s(8).\n"), c->name);
		return;
	}
	w = output_doc_begin("help");
	jsonw_str_field(w, "topic", c->name);
	str_field_fmt(w, "usage", "edrdiag %s %s[global options]", c->name, c->synopsis);
	jsonw_str_field(w, "summary", _(c->summary));
	cliopt_json(w, "options", c->opts);
	cliopt_json(w, "global_options", global_options);
	str_field_fmt(w, "man", "edrdiag-%s(8)", c->name);
	output_doc_end();
}

const struct cmd *const *cmd_table(size_t *n)
{
	*n = ARRAY_SIZE(commands);
	return commands;
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

int cmd_report(int (*gather)(struct report *r))
{
	struct report r;
	int ret;

	ret = gather(&r);
	if (ret)
		return ret;
	output_report(&r);
	ret = report_exit_code(&r);
	report_free(&r);
	return ret;
}

int opt_parse_range(const char *opt, const char *arg, unsigned long min, unsigned long max,
		    unsigned long *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	/* digits only: strtoul would take " 5" and "+5" too */
	if (arg[0] < '0' || arg[0] > '9' || *end || errno || v < min || v > max) {
		p_err("%s '%s': expected a number from %lu to %lu", opt, arg, min, max);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

int opt_decimal(const char *arg, double *out)
{
	bool digits = false, dot = false;
	const char *p;

	/* digits and one dot: strtod would take " 1", "+1", "1e3", "inf" and "0x1p3" too */
	for (p = arg; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits = true;
		else if (*p == '.' && !dot)
			dot = true;
		else
			return -EINVAL;
	}
	if (!digits)
		return -EINVAL;
	*out = strtod(arg, NULL);
	return isfinite(*out) ? 0 : -EINVAL;
}

int opt_parse_seconds(const char *opt, const char *arg, double min, double max, double *out)
{
	double v;

	if (opt_decimal(arg, &v) || v < min || v > max) {
		p_err("%s '%s': expected seconds from %g to %g (such as 1 or 0.5)", opt, arg, min,
		      max);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

/* libbpf hands its own format strings over: the attribute tells the compiler so */
__attribute__((format(printf, 2, 0))) static int libbpf_print(enum libbpf_print_level level,
							      const char *fmt, va_list ap)
{
	/* warnings and notes; libbpf's debug trace (every relocation) would drown them */
	if (!global.verbose || level == LIBBPF_DEBUG)
		return 0;
	/* libbpf prefixes its own lines with "libbpf: " */
	return vfprintf(stderr, fmt, ap);
}

/*
 * JSON mode must hold from the very first error, even one about an option that comes
 * before --json on the line, so the output flags are looked at before parsing; and so
 * must the language (--lang), that the first error is in it.
 */
static void prescan(int argc, char **argv, bool *json, bool *pretty, bool *no_color, bool *verbose,
		    const char **lang)
{
	const struct cliopt *const tables[] = { global_options };
	const struct cliopt *o;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "--json"))
			*json = true;
		else if (!strcmp(a, "--pretty"))
			*pretty = true;
		else if (!strcmp(a, "--no-color"))
			*no_color = true;
		else if (!strcmp(a, "--verbose"))
			*verbose = true;
		else if (!strcmp(a, "--lang") && i + 1 < argc)
			*lang = argv[++i];
		else if (!strncmp(a, "--lang=", 7))
			*lang = a + 7;
		else if (a[0] == '-' && a[1] != '-' && a[1]) {
			/* a cluster of short flags such as -jv; stop at one taking a value */
			for (a++; *a && (o = cliopt_by_key(tables, 1, *a)) && o->short_name == *a &&
				  o->arg == CLIOPT_NONE;
			     a++) {
				*json |= *a == 'j';
				*pretty |= *a == 'p';
				*verbose |= *a == 'v';
			}
		}
	}
}

/*
 * Index of the command word: the first argument that is neither an option nor the value of
 * a global option (--root DIR).
 */
static int find_cmd_word(int argc, char **argv)
{
	const struct cliopt *const tables[] = { global_options };
	const struct cliopt *o;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return i + 1 < argc ? i + 1 : 0;
		if (a[0] != '-' || !a[1])
			return i;
		if (a[1] == '-' && !strchr(a, '='))
			o = cliopt_by_name(tables, 1, a + 2, strlen(a + 2));
		else if (a[1] != '-' && !a[2])
			o = cliopt_by_key(tables, 1, a[1]);
		else
			continue;
		if (o && o->arg == CLIOPT_REQUIRED)
			i++;
	}
	return 0;
}

/*
 * An option getopt refused ('?'): unknown, or a flag given a value (--json=1). Said by the
 * option's own name, not by the key getopt fills in.
 */
static void bad_option(const struct cliopt *const *tables, size_t n, const char *arg, int key,
		       const struct cmd *c)
{
	const char *eq = strchr(arg, '=');
	const struct cliopt *o;

	if (arg[0] == '-' && arg[1] == '-' && eq) {
		o = cliopt_by_name(tables, n, arg + 2, (size_t)(eq - arg - 2));
		if (o && o->arg == CLIOPT_NONE) {
			p_err("option '--%s' takes no value ('%s' given)", o->name, arg);
			return;
		}
	}
	/* whole sentences, not pieces: a translation orders its words as its language does */
	if (key > 0 && key < 128 && arg[0] == '-' && arg[1] != '-') {
		if (c)
			p_err("unknown option '-%c' for '%s'", key, c->name);
		else
			p_err("unknown option '-%c'", key);
	} else if (c) {
		p_err("unknown option '%s' for '%s'", arg, c->name);
	} else {
		p_err("unknown option '%s'", arg);
	}
}

/* --version: "edrdiag V (libbpf L)", or {"version": V, "libbpf": L}. */
static void print_version(void)
{
	struct jsonw *w;

	output_command("version");
	if (!output.json) {
		printf("edrdiag %s (libbpf %s)\n", EDRDIAG_VERSION, libbpf_version_string());
		return;
	}
	w = output_doc_begin("version");
	jsonw_str_field(w, "version", EDRDIAG_VERSION);
	jsonw_str_field(w, "libbpf", libbpf_version_string());
	output_doc_end();
}

static int run_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage_main();
		return EXIT_PASS;
	}
	if (argc > 2) {
		p_err("help takes one command ('%s' given after '%s')", argv[2], argv[1]);
		return EXIT_USAGE;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		p_err("unknown command '%s' (see 'edrdiag help')", argv[1]);
		return EXIT_USAGE;
	}
	usage_cmd(c);
	return EXIT_PASS;
}

/* The long options of a table, space-separated, after a space. */
/*
 * Is o a command's option that a global one of the same name shadows (collect-report's
 * --lang)? getopt matches the global one, and the completion offers it once.
 */
static bool shadowed(const struct cliopt *o, const struct cliopt *table)
{
	const struct cliopt *const tables[] = { global_options };

	return table != global_options && cliopt_by_name(tables, 1, o->name, strlen(o->name));
}

static void print_longopts(FILE *f, const struct cliopt *o)
{
	const struct cliopt *t = o;

	for (; o && o->name; o++)
		if (!shadowed(o, t))
			fprintf(f, " --%s", o->name);
}

/* One `case "$cmd $prev"` arm for an option taking a value: how to complete the value. */
static void print_value_arm(FILE *f, const char *cmd, const struct cliopt *o)
{
	/* "*" is any command: a glob, so it stays outside the quotes */
	if (!strcmp(cmd, "*"))
		fprintf(f, "\t*\" --%s\"", o->name);
	else
		fprintf(f, "\t\"%s --%s\"", cmd, o->name);
	if (o->short_name)
		fprintf(f, " | %s%s -%c\"", strcmp(cmd, "*") ? "\"" : "*\"",
			strcmp(cmd, "*") ? cmd : "", o->short_name);
	switch (o->complete) {
	case CLIOPT_COMPLETE_DIR:
		fprintf(f, ")\n\t\tmapfile -t COMPREPLY < <(compgen -d -- \"$cur\")\n\t\t;;\n");
		break;
	case CLIOPT_COMPLETE_FILE:
		fprintf(f, ")\n\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n\t\t;;\n");
		break;
	case CLIOPT_COMPLETE_WORDS:
		fprintf(f, ")\n\t\tmapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")\n\t\t;;\n",
			o->words);
		break;
	case CLIOPT_COMPLETE_NONE:
		fprintf(f, ")\n\t\t;; # %s: nothing to offer\n", o->value ? o->value : "a value");
		break;
	}
}

/*
 * `edrdiag completion bash`: the completion script, written from the option tables (each
 * option, its value's kind and choices) so that it cannot fall behind them.
 * Self-contained, COMP_WORDS and compgen only: minimal hosts lack bash-completion.
 */
static int run_completion(int argc, char **argv)
{
	const struct cliopt *o;
	char *script = NULL;
	size_t i, len = 0;
	struct jsonw *w;
	FILE *f = stdout;

	if (argc != 2 || strcmp(argv[1], "bash")) {
		if (argc > 1)
			p_err("completion: expected 'bash' (got '%s')", argv[1]);
		else
			p_err("completion: expected 'bash'");
		return EXIT_USAGE;
	}
	/* in JSON mode the script is a member: written to memory first */
	if (output.json) {
		f = open_memstream(&script, &len);
		if (!f) {
			p_err("completion: %s", strerror(errno));
			return EXIT_ENV;
		}
	}
	fprintf(f,
		"# bash completion for edrdiag(8) %s, generated by `edrdiag completion bash`\n"
		"_edrdiag()\n{\n"
		"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
		"\tlocal cmd='' i opts words=''\n\tCOMPREPLY=()\n"
		"\t# the command word: the first word that is neither an option nor the value of "
		"a global option\n"
		"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
		"\t\tcase ${COMP_WORDS[i]} in\n",
		EDRDIAG_VERSION);
	for (o = global_options; o->name; o++)
		if (o->arg == CLIOPT_REQUIRED) {
			fprintf(f, "\t\t--%s", o->name);
			if (o->short_name)
				fprintf(f, " | -%c", o->short_name);
			fprintf(f, ") ((i++)) ;;\n");
		}
	fprintf(f, "\t\t-*) ;;\n\t\t*)\n\t\t\tcmd=${COMP_WORDS[i]}\n\t\t\tbreak\n\t\t\t;;\n"
		   "\t\tesac\n\tdone\n\tcase \"$cmd $prev\" in\n");
	for (o = global_options; o->name; o++)
		if (o->arg == CLIOPT_REQUIRED)
			print_value_arm(f, "*", o);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		for (o = commands[i]->opts; o && o->name; o++)
			if (o->arg == CLIOPT_REQUIRED && !shadowed(o, commands[i]->opts))
				print_value_arm(f, commands[i]->name, o);
	fprintf(f, "\t*)\n\t\topts='");
	print_longopts(f, global_options);
	fprintf(f, "'\n\t\tcase $cmd in\n\t\t'')\n\t\t\twords='help completion");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, " %s", commands[i]->name);
	fprintf(f, "'\n\t\t\t;;\n\t\thelp)\n\t\t\twords='");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "%s%s", i ? " " : "", commands[i]->name);
	fprintf(f, "'\n\t\t\t;;\n\t\tcompletion) words=bash ;;\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		fprintf(f, "\t\t%s)\n\t\t\topts+='", commands[i]->name);
		print_longopts(f, commands[i]->opts);
		fprintf(f, "'\n\t\t\t;;\n");
	}
	fprintf(f, "\t\tesac\n"
		   "\t\tif [[ $cur == -* ]]; then\n"
		   "\t\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
		   "\t\telse\n"
		   "\t\t\tmapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
		   "\t\tfi\n\t\t;;\n\tesac\n}\ncomplete -F _edrdiag edrdiag\n");
	if (f == stdout)
		return EXIT_PASS;
	fclose(f);
	w = output_doc_begin("completion");
	jsonw_str_field(w, "shell", "bash");
	jsonw_key(w, "script");
	jsonw_strn(w, script, len);
	output_doc_end();
	free(script);
	return EXIT_PASS;
}

/*
 * --lang: the language of this run and of every edrdiag it starts (i18n.h). A command with
 * a --lang of its own (collect-report: report.md's language) is given the value too, since
 * the global option, first in getopt's table, is the one getopt matches.
 */
static int set_lang(const struct cmd *c, const char *lang)
{
	const struct cliopt *const tables[] = { c ? c->opts : NULL };
	const struct cliopt *o = cliopt_by_name(tables, 1, "lang", 4);

	if (i18n_set_lang(lang)) {
		p_err("--lang '%s': expected en or zh", lang);
		return EXIT_USAGE;
	}
	return o && o->key != OPT_LANG ? c->parse_opt(o->key, lang) : 0;
}

static int dispatch(int argc, char **argv)
{
	bool json = false, pretty = false, no_color = false, verbose = false, help = false;
	const char *root = NULL, *word, *lang = NULL;
	const struct cmd *c = NULL;
	const struct cliopt *tables[2];
	struct option *longopts;
	char shortopts[64];
	size_t ntables = 0;
	char **pos;
	int npos = 0, wi, opt, ret;

	prescan(argc, argv, &json, &pretty, &no_color, &verbose, &lang);
	output_init(json, pretty, no_color, verbose);
	/* a bad --lang is reported in the language of the environment, by the parser below */
	if (!lang || i18n_init(lang))
		i18n_init(NULL);

	wi = find_cmd_word(argc, argv);
	word = wi ? argv[wi] : NULL;
	if (word && strcmp(word, "help") && strcmp(word, "completion")) {
		c = find_cmd(word);
		if (!c) {
			p_err("unknown command '%s' (see 'edrdiag help')", word);
			return EXIT_USAGE;
		}
	}
	/* the command an error document names: none while there is no command word */
	output_command(c ? c->name : word);

	tables[ntables++] = global_options;
	if (c)
		tables[ntables++] = c->opts;
	longopts = cliopt_getopt(tables, ntables, shortopts, sizeof(shortopts));
	pos = util_xmalloc(sizeof(*pos) * (size_t)(argc + 1));
	opterr = 0;
	ret = EXIT_PASS;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *bad = argv[optind - 1];

		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			print_version();
			ret = -1;
			goto out;
		case OPT_ROOT:
			root = optarg;
			break;
		case OPT_STRICT:
			global.strict = true;
			break;
		case OPT_NO_COLOR:
			no_color = true;
			break;
		case OPT_LANG:
			ret = set_lang(c, optarg);
			if (ret)
				goto out;
			break;
		case ':':
			p_err("option '%s' needs a value", bad);
			ret = EXIT_USAGE;
			goto out;
		case '?':
			bad_option(tables, ntables, bad, optopt, c);
			ret = EXIT_USAGE;
			goto out;
		default:
			ret = c->parse_opt(opt, optarg);
			if (ret)
				goto out;
		}
	}
	/* collect positional arguments after getopt's permutation; the command word is first */
	for (; optind < argc; optind++)
		pos[npos++] = argv[optind];
	pos[npos] = NULL;
	global.verbose = verbose;
	output_init(json, pretty, no_color, verbose);

	if (!word) {
		if (help) {
			output_command("help");
			usage_main();
			ret = -1;
		} else {
			p_err("no command given (see 'edrdiag help')");
			ret = EXIT_USAGE;
		}
		goto out;
	}
	if (!c) {
		ret = strcmp(word, "help") ? run_completion(npos, pos) : run_help(npos, pos);
		ret = ret ? ret : -1;
		goto out;
	}
	if (help) {
		output_command("help");
		usage_cmd(c);
		ret = -1;
		goto out;
	}
	/* every usage error is reported before the privilege check: exit 2, not 3 */
	if ((c->flags & CMD_ONE_ARG) && npos > 2) {
		p_err("%s takes one argument ('%s' is one too many)%s%s", c->name, pos[2],
		      c->args_hint ? "; " : "", c->args_hint ? _(c->args_hint) : "");
		ret = EXIT_USAGE;
		goto out;
	}
	if (!(c->flags & CMD_ONE_ARG) && npos > 1) {
		p_err("%s takes no arguments ('%s' given)%s%s", c->name, pos[1],
		      c->args_hint ? "; " : "", c->args_hint ? _(c->args_hint) : "");
		ret = EXIT_USAGE;
		goto out;
	}
	if (c->check_opts) {
		ret = c->check_opts();
		if (ret)
			goto out;
	}
	if (root) {
		int err = sysroot_set(root);

		if (err) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "--root '%s': %s", root,
				   err == -EINVAL ? "empty path" : strerror(-err));
			ret = EXIT_USAGE;
			goto out;
		}
	}
	target_init();
	if ((c->flags & CMD_LIVE_ONLY) && !sysroot_is_live()) {
		p_err("%s reads the running kernel: --root does not apply", c->name);
		ret = EXIT_USAGE;
		goto out;
	}
	if (c->flags & CMD_NEEDS_BPF) {
		char missing[128];

		if (!caps_can_trace_here(missing, sizeof(missing))) {
			p_err_code(OUTPUT_ERR_PRIVILEGE,
				   "%s needs BPF privilege: missing %s; run it as root", c->name,
				   missing);
			ret = EXIT_ENV;
			goto out;
		}
	}
	libbpf_set_print(libbpf_print);
	ret = c->run(npos, pos);
out:
	free(longopts);
	free(pos);
	return ret;
}

int main(int argc, char **argv)
{
	int ret, err;

	/* a closed pipe is seen as EPIPE on the write, not as death by SIGPIPE (sig.h) */
	sig_ignore_pipe();
	ret = dispatch(argc, argv);
	if (ret < 0)
		ret = EXIT_PASS; /* help or version printed */
	/* in JSON mode: the one document, closed, or the error document */
	output_finish(ret);
	err = output_flush();
	if (err) {
		/* stdout is gone: the message can only go to stderr */
		fprintf(stderr, _("edrdiag: cannot write output: %s\n"), strerror(-err));
		return EXIT_ENV;
	}
	return ret;
}
