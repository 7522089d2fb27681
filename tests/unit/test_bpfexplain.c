// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bpfexplain_resolve: the one rule check-object and run-sensor name a failure by. What the
 * caller found itself outranks the log at the attach and permission stages only; a hint
 * the catalogue lacks still gets a remedy; nothing known is "unrecognised", with a remedy.
 */
#include <errno.h>
#include <string.h>

#include "bpfcause.h"
#include "bpfexplain.h"
#include "check.h"

static void classify(const char *log, int err, const char *stage, struct bpfcause_match *m)
{
	bpfcause_classify(log, strlen(log), err, stage, m);
}

static const char verifier_log[] = "0: R1=ctx() R10=fp0\n"
				   "; return *v; @ x.c:12\n"
				   "3: (61) r0 = *(u32 *)(r0 +0)\n"
				   "R0 invalid mem access 'map_value_or_null'\n"
				   "processed 4 insns (limit 1000000) max_states_per_insn 0 "
				   "total_states 0 peak_states 0 mark_read 0\n";

static void log_cause_kept(void)
{
	struct bpfcause_match m;
	struct bpfexplain x;

	classify(verifier_log, EACCES, "load", &m);
	CHECK(m.cause != NULL);
	/* at the load stage a hint does not outrank what the verifier said */
	bpfexplain_resolve(&m, "perm.no-capability", "load", &x);
	CHECK_STR(x.id, "verifier.null-check-missing");
	CHECK(x.cause == bpfcause_find("verifier.null-check-missing"));
	CHECK_STR(x.remedy, x.cause->remedy);
	CHECK_STR(x.title, x.cause->title);
	bpfcause_match_free(&m);
}

static void hint_outranks_at_attach(void)
{
	struct bpfcause_match m;
	struct bpfexplain x;

	classify(verifier_log, ENOENT, "attach", &m);
	bpfexplain_resolve(&m, "attach.kprobes-unavailable", "attach", &x);
	CHECK_STR(x.id, "attach.kprobes-unavailable");
	CHECK(x.cause == bpfcause_find("attach.kprobes-unavailable"));
	CHECK(m.cause == NULL);
	CHECK_STR(x.remedy, x.cause->remedy);
	bpfcause_match_free(&m);
}

static void nothing_known(void)
{
	struct bpfcause_match m;
	struct bpfexplain x;

	classify("something else entirely\n", 0, NULL, &m);
	bpfexplain_resolve(&m, NULL, NULL, &x);
	CHECK_STR(x.id, "unrecognised");
	CHECK(x.cause == NULL && x.title == NULL);
	CHECK(x.remedy != NULL && strstr(x.remedy, "1.1") != NULL);
	bpfcause_match_free(&m);
	/* a hint the catalogue lacks: its id, and no catalogue entry */
	classify("", 0, "attach", &m);
	bpfexplain_resolve(&m, "attach.no-such-cause", "attach", &x);
	CHECK_STR(x.id, "attach.no-such-cause");
	CHECK(x.cause == NULL && x.remedy != NULL);
	bpfcause_match_free(&m);
}

int main(void)
{
	RUN(log_cause_kept);
	RUN(hint_outranks_at_attach);
	RUN(nothing_known);
	return check_finish();
}
