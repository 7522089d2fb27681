// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fleet: per-host documents (built here in memory, in the shape edrdiag writes) folded into
 * verdicts, counts, causes and the change since an earlier summary.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fleet.h"
#include "util.h"

/* a check's document: command, overall status, and findings "id:status:title;..." */
static json_t *doc(const char *cmd, const char *status, const char *findings, const char *release,
		   const char *distro)
{
	json_t *d = json_pack("{s:s, s:s, s:[]}", "command", cmd, "status", status, "results");
	char *dup = util_xstrdup(findings ? findings : ""), *save = NULL, *tok;

	for (tok = strtok_r(dup, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *id = tok, *st = strchr(id, ':'), *title;

		*st++ = '\0';
		title = strchr(st, ':');
		*title++ = '\0';
		json_array_append_new(json_object_get(d, "results"),
				      json_pack("{s:s, s:s, s:s}", "id", id, "status", st, "title",
						title));
	}
	free(dup);
	if (release)
		json_object_set_new(d, "kernel",
				    json_pack("{s:s, s:s}", "release", release, "distro", distro));
	return d;
}

static void add(struct fleet *f, const char *host, json_t *d)
{
	fleet_add_doc(fleet_host(f, host), d, "x.json");
	json_decref(d);
}

static const struct fleet_host *host_of(const struct fleet *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nhosts; i++)
		if (!strcmp(f->hosts[i].name, name))
			return &f->hosts[i];
	return NULL;
}

static void test_verdicts(void)
{
	struct fleet f;
	json_t *err = json_pack("{s:s, s:{s:s, s:s}}", "command", "check-kernel", "error", "code",
				"bad_input", "message", "--root 'x': No such file");

	fleet_init(&f, "results", NULL);
	add(&f, "pass1", doc("check-kernel", "pass", "a:pass:A", "6.1.0", "Debian 12"));
	add(&f, "warn1", doc("check-kernel", "warn", "a:warn:A", "6.1.0", "Debian 12"));
	add(&f, "fail1",
	    doc("check-kernel", "fail", "btf.vmlinux:fail:no BTF", "4.18.0-305", "RHEL"));
	add(&f, "fail1", doc("check-tracepoints", "pass", NULL, NULL, NULL));
	fleet_add_doc(fleet_host(&f, "err1"), err, "e.json");
	fleet_host(&f, "env1")->exit_status = 3;
	fleet_host(&f, "none1");
	fleet_finish(&f);
	CHECK_INT(f.nhosts, 6);
	CHECK_STR(f.hosts[0].name, "env1"); /* sorted */
	CHECK_INT(host_of(&f, "pass1")->verdict, FLEET_PASS);
	CHECK_INT(host_of(&f, "warn1")->verdict, FLEET_WARN);
	CHECK_INT(host_of(&f, "fail1")->verdict, FLEET_FAIL);
	CHECK_INT(host_of(&f, "err1")->verdict, FLEET_ERROR_DOC);
	CHECK_INT(host_of(&f, "env1")->verdict, FLEET_ENVIRONMENT);
	CHECK_INT(host_of(&f, "none1")->verdict, FLEET_NO_RESULT);
	CHECK_STR(host_of(&f, "fail1")->release, "4.18.0-305");
	CHECK_INT(f.expected, 6);
	CHECK_INT(f.with_result, 3);
	CHECK_INT(f.counts[FLEET_CHECK_KERNEL][FLEET_CELL_FAIL], 1);
	CHECK_INT(f.counts[FLEET_CHECK_KERNEL][FLEET_CELL_NONE], 3);
	CHECK_INT(f.counts[FLEET_CHECK_TRACEPOINTS][FLEET_CELL_PASS], 1);
	CHECK_INT(fleet_exit_code(&f), 1);
	json_decref(err);
	fleet_free(&f);
	check_done("verdicts: pass, warn, fail, error document, exit 3, nothing");
}

static void test_all_pass(void)
{
	struct fleet f;

	fleet_init(&f, "results", NULL);
	add(&f, "a", doc("check-kernel", "pass", NULL, "6.1.0", "Debian 12"));
	add(&f, "b", doc("check-kernel", "warn", "x:warn:X", "6.1.0", "Debian 12"));
	fleet_finish(&f);
	CHECK_INT(fleet_exit_code(&f), 0);
	fleet_free(&f);
	check_done("warnings only: exit 0");
}

static void test_causes(void)
{
	struct fleet f;
	const char *hosts[] = { "h3", "h1", "h2", "h4" };
	size_t i;

	fleet_init(&f, "results", NULL);
	for (i = 0; i < 3; i++)
		add(&f, hosts[i],
		    doc("check-kernel", "fail", "btf.vmlinux:fail:no BTF;k:pass:K", "4.18.0-305",
			"RHEL 8.4"));
	add(&f, "h4",
	    doc("check-kernel", "fail", "kernel.lockdown:fail:lockdown", "6.1", "Debian"));
	fleet_finish(&f);
	CHECK_INT(f.ngroups, 2);
	CHECK_STR(f.groups[0].cause->id, "btf.vmlinux"); /* most hosts first */
	CHECK_INT(f.groups[0].nhosts, 3);
	CHECK_STR(f.groups[0].hosts[0]->name, "h1");
	CHECK_STR(f.groups[0].hosts[2]->name, "h3");
	CHECK_STR(f.groups[1].cause->id, "kernel.lockdown");
	fleet_free(&f);
	check_done("causes grouped, most hosts first, hosts sorted");
}

static void test_first_doc_wins(void)
{
	struct fleet f;

	fleet_init(&f, "results", NULL);
	add(&f, "a", doc("check-kernel", "pass", NULL, "6.1.0", "Debian 12"));
	add(&f, "a", doc("check-kernel", "fail", "x:fail:X", "3.10", "CentOS"));
	fleet_finish(&f);
	CHECK_INT(f.hosts[0].verdict, FLEET_PASS);
	CHECK_STR(f.hosts[0].release, "6.1.0");
	fleet_free(&f);
	check_done("a second document of the same check is ignored");
}

static void test_bad_docs(void)
{
	struct fleet f;
	json_t *nocmd = json_pack("{s:s}", "status", "pass");
	json_t *other =
		json_pack("{s:s, s:s, s:[]}", "command", "map-dump", "status", "pass", "results");
	json_t *badst =
		json_pack("{s:s, s:s, s:[]}", "command", "check-kernel", "status", "ok", "results");
	struct fleet_host *h;

	fleet_init(&f, "results", NULL);
	h = fleet_host(&f, "a");
	CHECK_INT(fleet_add_doc(h, nocmd, "1.json"), -22);
	CHECK_INT(fleet_add_doc(h, other, "2.json"), -22);
	CHECK_INT(fleet_add_doc(h, badst, "3.json"), -22);
	CHECK_INT(h->nproblems, 3);
	fleet_finish(&f);
	CHECK_INT(f.hosts[0].verdict, FLEET_NO_RESULT);
	json_decref(nocmd);
	json_decref(other);
	json_decref(badst);
	fleet_free(&f);
	check_done("documents that are not a check's: problems, no result");
}

static void test_hostile_names(void)
{
	struct fleet f;
	json_t *j;
	char *s;

	fleet_init(&f, "res\x1b[31m", NULL);
	add(&f, "evil\n\x1b]0;x\x07",
	    doc("check-kernel", "fail", "a\tb:fail:t\x1b[2J", "6\n", "d"));
	fleet_finish(&f);
	CHECK_STR(f.hosts[0].name, "evil\\x0a\\x1b]0;x\\x07");
	CHECK_STR(f.hosts[0].release, "6\\x0a");
	CHECK_STR(f.groups[0].cause->title, "t\\x1b[2J");
	CHECK_STR(f.source, "res\\x1b[31m");
	j = fleet_json(&f);
	s = json_dumps(j, JSON_COMPACT);
	CHECK(!strchr(s, '\x1b'));
	free(s);
	json_decref(j);
	fleet_free(&f);
	check_done("hosts' names and strings made printable");
}

static void test_exit_status(void)
{
	int v = -1;

	CHECK_INT(fleet_parse_exit_status("3\n", 2, &v), 0);
	CHECK_INT(v, 3);
	CHECK_INT(fleet_parse_exit_status(" 0 ", 3, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(fleet_parse_exit_status("256", 3, &v), -22);
	CHECK_INT(fleet_parse_exit_status("", 0, &v), -22);
	CHECK_INT(fleet_parse_exit_status("1 2", 3, &v), -22);
	CHECK_INT(fleet_parse_exit_status("-1", 2, &v), -22);
	CHECK_INT(fleet_parse_exit_status("1\0", 2, &v), -22);
	check_done("exit-status: one number 0..255");
}

static void test_since(void)
{
	struct fleet f;
	const char *why = NULL;
	json_t *prev = json_loads("{\"command\": \"fleet-summary\", \"hosts\": ["
				  "{\"name\": \"a\", \"verdict\": \"pass\", \"expected\": true},"
				  "{\"name\": \"b\", \"verdict\": \"fail\", \"expected\": true},"
				  "{\"name\": \"gone\", \"verdict\": \"pass\", \"expected\": true},"
				  "{\"name\": \"c\", \"verdict\": \"fail\", \"expected\": true}]}",
				  0, NULL);
	json_t *bad = json_pack("{s:s}", "command", "check-kernel");

	fleet_init(&f, "results", NULL);
	add(&f, "a", doc("check-kernel", "fail", "x:fail:X", "6.1", "D"));
	add(&f, "b", doc("check-kernel", "pass", NULL, "6.1", "D"));
	add(&f, "c", doc("check-kernel", "fail", "x:fail:X", "6.1", "D"));
	add(&f, "new", doc("check-kernel", "pass", NULL, "6.1", "D"));
	fleet_finish(&f);
	CHECK_INT(fleet_since(&f, bad, "p.json", &why), -22);
	CHECK(why != NULL);
	CHECK_INT(fleet_since(&f, prev, "p.json", &why), 0);
	CHECK_INT(f.since->nnew, 1);
	CHECK_STR(f.since->newly_failing[0], "a");
	CHECK_INT(f.since->nrec, 1);
	CHECK_STR(f.since->recovered[0], "b");
	CHECK_INT(f.since->napp, 1);
	CHECK_STR(f.since->appeared[0], "new");
	CHECK_INT(f.since->ndis, 1);
	CHECK_STR(f.since->disappeared[0], "gone");
	json_decref(prev);
	json_decref(bad);
	fleet_free(&f);
	check_done("--since: newly failing, recovered, appeared, disappeared");
}

static void test_inventory_coverage(void)
{
	struct fleet f;

	fleet_init(&f, "results", "inv");
	add(&f, "a", doc("check-kernel", "pass", NULL, "6.1", "D"));
	add(&f, "stray", doc("check-kernel", "fail", "x:fail:X", "6.1", "D"));
	fleet_host(&f, "stray")->expected = false;
	fleet_host(&f, "missing");
	fleet_finish(&f);
	CHECK_INT(f.expected, 2);
	CHECK_INT(f.with_result, 1);
	CHECK_INT(f.ngroups, 0); /* a host outside the inventory is shown, not counted */
	CHECK_INT(fleet_exit_code(&f), 1);
	fleet_free(&f);
	check_done("coverage over the inventory's hosts");
}

static void test_many_hosts(void)
{
	struct fleet f;
	char name[32];
	int i;

	fleet_init(&f, "results", NULL);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "h%05d", (i * 7919) % 5000);
		fleet_host(&f, name);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "h%05d", i);
		fleet_host(&f, name);
	}
	CHECK_INT(f.nhosts, 5000);
	fleet_finish(&f);
	CHECK_STR(f.hosts[4999].name, "h04999");
	fleet_free(&f);
	check_done("5000 hosts: each name once (the index)");
}

int main(void)
{
	test_verdicts();
	test_all_pass();
	test_causes();
	test_first_doc_wins();
	test_bad_docs();
	test_hostile_names();
	test_exit_status();
	test_since();
	test_inventory_coverage();
	test_many_hosts();
	printf("1..%d\n", check_n);
	return check_failed ? 1 : 0;
}
