// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * promtext: the Prometheus exposition text export writes. Families are grouped whatever
 * order the samples come in, each under one HELP and one TYPE; names follow Prometheus'
 * rules; a label value of any bytes stays on its line and inside its quotes; numbers are
 * exact. Each case compares the whole text written.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "promtext.h"
#include "strbuf.h"

/* the text p writes, as a fresh string */
static char *written(struct prom *p)
{
	struct strbuf b = { 0 };
	char *s;

	prom_write(p, &b);
	s = strdup(b.p ? strbuf_cstr(&b) : "");
	strbuf_free(&b);
	return s;
}

static void test_grouped_once(void)
{
	static const char *const l[] = { "id", NULL };
	struct prom p = { 0 };
	struct prom_family *a, *b, *empty;
	char *s;

	a = prom_family(&p, "x_runs_total", PROM_COUNTER, "Runs.", l);
	b = prom_family(&p, "x_bytes", PROM_GAUGE, "Bytes.", l);
	empty = prom_family(&p, "x_unused", PROM_GAUGE, "Never sampled.", NULL);
	(void)empty;
	/* interleaved, as a loop over objects adds them */
	prom_sample_u64(a, (const char *[]){ "1" }, 10);
	prom_sample_u64(b, (const char *[]){ "1" }, 4096);
	prom_sample_u64(a, (const char *[]){ "2" }, 18446744073709551615ULL);
	prom_sample(b, (const char *[]){ "2" }, 0.5);
	s = written(&p);
	CHECK_STR(s, "# HELP x_runs_total Runs.\n"
		     "# TYPE x_runs_total counter\n"
		     "x_runs_total{id=\"1\"} 10\n"
		     "x_runs_total{id=\"2\"} 18446744073709551615\n"
		     "# HELP x_bytes Bytes.\n"
		     "# TYPE x_bytes gauge\n"
		     "x_bytes{id=\"1\"} 4096\n"
		     "x_bytes{id=\"2\"} 0.5\n");
	free(s);
	prom_free(&p);
}

static void test_label_values_hostile(void)
{
	static const char *const l[] = { "owner", NULL };
	struct prom p = { 0 };
	struct prom_family *f;
	char *s;

	f = prom_family(&p, "x_up", PROM_GAUGE, "Up.", l);
	/* a quote, a backslash, a newline, a byte that is not UTF-8, a brace: one line each */
	prom_sample(f, (const char *[]){ "ev\"il\\\n\xff{x=\"1\"}" }, 1);
	prom_sample(f, (const char *[]){ "\xe5\xae\x89\xe5\x85\xa8" }, 1); /* UTF-8 kept */
	prom_sample(f, (const char *[]){ NULL }, 1);
	s = written(&p);
	CHECK_STR(s, "# HELP x_up Up.\n"
		     "# TYPE x_up gauge\n"
		     "x_up{owner=\"ev\\\"il\\\\\\\\\\\\x0a\\\\xff{x=\\\"1\\\"}\"} 1\n"
		     "x_up{owner=\"\xe5\xae\x89\xe5\x85\xa8\"} 1\n"
		     "x_up{owner=\"\"} 1\n");
	free(s);
	prom_free(&p);
}

static void test_numbers(void)
{
	struct prom p = { 0 };
	struct prom_family *f;
	char *s;

	f = prom_family(&p, "x_seconds", PROM_GAUGE, "Help with a \\ and a\nnewline.", NULL);
	prom_sample(f, NULL, 1796058511.10684);
	prom_sample(f, NULL, 9007199254740991.0); /* 2^53 - 1: an integer, exact */
	prom_sample(f, NULL, 1e300);
	prom_sample(f, NULL, -0.25);
	prom_sample(f, NULL, NAN);
	prom_sample(f, NULL, INFINITY);
	prom_sample(f, NULL, -INFINITY);
	s = written(&p);
	CHECK_STR(s, "# HELP x_seconds Help with a \\\\ and a\\nnewline.\n"
		     "# TYPE x_seconds gauge\n"
		     "x_seconds 1796058511.10684\n"
		     "x_seconds 9007199254740991\n"
		     "x_seconds 1e+300\n"
		     "x_seconds -0.25\n"
		     "x_seconds NaN\n"
		     "x_seconds +Inf\n"
		     "x_seconds -Inf\n");
	free(s);
	prom_free(&p);
}

static void test_names(void)
{
	CHECK(prom_name_valid("edrdiag_bpf_prog_runs_total"));
	CHECK(prom_name_valid("_x"));
	CHECK(prom_name_valid("X9"));
	CHECK(!prom_name_valid(""));
	CHECK(!prom_name_valid("9x"));
	CHECK(!prom_name_valid("a.b")); /* falco#3241 */
	CHECK(!prom_name_valid("a-b"));
	CHECK(!prom_name_valid("a:b")); /* for recording rules, not exporters */
	CHECK(!prom_name_valid("__name__"));
	CHECK(!prom_name_valid("caf\xc3\xa9"));
}

int main(void)
{
	RUN(test_grouped_once);
	RUN(test_label_values_hostile);
	RUN(test_numbers);
	RUN(test_names);
	return check_finish();
}
