// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* hostinfo (taint, products, likely agent) and btfsubset (the replay's BTF) */
#include <bpf/btf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/btfread.h"
#include "../../src/btfsubset.h"
#include "../../src/hostinfo.h"
#include "../../src/util.h"
#include "check.h"

#define HOST_BTF "/sys/kernel/btf/vmlinux"

static void taint_decoded_bit_by_bit(void)
{
	/* O (12) and E (13): what an out-of-tree agent module sets; bit 40: unknown */
	json_t *a = hostinfo_taint_json((1ULL << 12) | (1ULL << 13) | (1ULL << 40));

	CHECK_INT(json_array_size(a), 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(a, 0), "flag")), "O");
	CHECK_STR(json_string_value(json_object_get(json_array_get(a, 1), "flag")), "E");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(a, 2), "bit")), 40);
	CHECK_STR(json_string_value(json_object_get(json_array_get(a, 2), "flag")), "?");
	json_decref(a);
	a = hostinfo_taint_json(0);
	CHECK_INT(json_array_size(a), 0);
	json_decref(a);
}

static void products_by_comm(void)
{
	CHECK_STR(hostinfo_product_of("falco"), "Falco");
	CHECK_STR(hostinfo_product_of("Falco-driver"), "Falco");
	/* a prefix is not a name: falcon is not falco */
	CHECK(hostinfo_product_of("falconx") == NULL);
	CHECK_STR(hostinfo_product_of("falcon-sensor"), "CrowdStrike Falcon");
	CHECK_STR(hostinfo_product_of("system-probe"), "Datadog");
	CHECK(hostinfo_product_of("edr-agent") == NULL);
	CHECK(hostinfo_product_of("") == NULL);
}

static void likely_agent_skips_products_and_systemd(void)
{
	struct hostinfo_holder h[] = {
		{ .pid = 1, .comm = "systemd", .progs = 9, .tracing = 9 },
		{ .pid = 50, .comm = "falco", .progs = 8, .tracing = 8, .product = "Falco" },
		{ .pid = 70, .comm = "edr-agent", .progs = 3, .tracing = 3 },
		{ .pid = 80, .comm = "cgroupd", .progs = 5, .tracing = 0 },
	};
	struct hostinfo_bpf b = { .h = h, .nr = ARRAY_SIZE(h) };
	const struct hostinfo_holder *a = hostinfo_likely_agent(&b);

	CHECK(a != NULL);
	CHECK_INT(a ? a->pid : 0, 70);
	b.nr = 2;
	CHECK(hostinfo_likely_agent(&b) == NULL);
}

/* a scan that could not list the programs says why, and nothing else */
static void bpf_json_of_a_refused_scan(void)
{
	struct hostinfo_bpf b = { .err = -EPERM };
	json_t *j = hostinfo_bpf_json(&b);

	CHECK_STR(json_string_value(json_object_get(j, "error")), "EPERM");
	CHECK(json_object_get(j, "holders") == NULL);
	json_decref(j);
}

/* what check-tracepoints reads, answered alike by the subset and the whole BTF */
static void btf_subset_answers_like_the_kernel(void)
{
	static const char *const members[] = { "pid", "old_pid", "__data_loc_filename" };
	struct btfread *full = NULL, *sub = NULL;
	char *data, err[128];
	void *raw = NULL;
	size_t len, rlen = 0, i;
	long long v1, v2;
	struct btf *btf;
	int n, o1, s1, o2, s2;

	CHECK_INT(util_read_file(HOST_BTF, 64u << 20, &data, &len), 0);
	btf = btf__parse_raw(HOST_BTF);
	CHECK(btf != NULL);
	n = btf ? btfsubset_build(btf, NULL, 0, &raw, &rlen) : -1;
	CHECK(n > 0);
	/* a small share of the kernel's types: pointers are not followed */
	CHECK(btf && (size_t)n < btf__type_cnt(btf) / 10);
	CHECK(rlen > 0 && rlen < len / 5);
	CHECK_INT(btfread_open(data, len, &full, err, sizeof(err)), 0);
	CHECK_INT(btfread_open(raw, rlen, &sub, err, sizeof(err)), 0);
	for (i = 0; full && sub && i < ARRAY_SIZE(members); i++) {
		CHECK_INT(btfread_member(full, "trace_event_raw_sched_process_exec", members[i],
					 &o1, &s1),
			  0);
		CHECK_INT(btfread_member(sub, "trace_event_raw_sched_process_exec", members[i], &o2,
					 &s2),
			  0);
		CHECK_INT(o2, o1);
		CHECK_INT(s2, s1);
	}
	/* a common CO-RE root is kept whole (its members at the kernel's offsets), an extra
	 * root is kept only when asked for, and the file says it is a subset */
	if (full && sub) {
		CHECK_INT(btfread_member(full, "task_struct", "tgid", &o1, &s1), 0);
		CHECK_INT(btfread_member(sub, "task_struct", "tgid", &o2, &s2), 0);
		CHECK_INT(o2, o1);
		CHECK(btfread_find(sub, BTFSUBSET_MARKER, BTFREAD_KIND_STRUCT) != 0);
		CHECK(btfread_find(full, BTFSUBSET_MARKER, BTFREAD_KIND_STRUCT) == 0);
		CHECK(btfread_find(sub, "bpf_prog_aux", BTFREAD_KIND_STRUCT) == 0);
	}
	if (btf) {
		static const char *const extra[] = { "bpf_prog_aux" };
		struct btfread *sub2 = NULL;
		void *raw2 = NULL;
		size_t rlen2 = 0;

		CHECK(btfsubset_build(btf, extra, 1, &raw2, &rlen2) > n);
		CHECK_INT(btfread_open(raw2, rlen2, &sub2, err, sizeof(err)), 0);
		CHECK(sub2 && btfread_find(sub2, "bpf_prog_aux", BTFREAD_KIND_STRUCT) != 0);
		btfread_free(sub2);
		free(raw2);
	}
	if (full && sub) {
		CHECK_INT(btfread_enumerator(sub, "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT", &v2),
			  0);
		CHECK_INT(btfread_enumerator(full, "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT",
					     &v1),
			  0);
		CHECK(v1 == v2);
		/* not kept: a struct no replay reads */
		CHECK_INT(btfread_struct_size(sub, "bpf_prog_aux", (unsigned int *)&o1), -ENOENT);
	}
	btfread_free(full);
	btfread_free(sub);
	btf__free(btf);
	free(raw);
	free(data);
}

int main(void)
{
	RUN(taint_decoded_bit_by_bit);
	RUN(products_by_comm);
	RUN(likely_agent_skips_products_and_systemd);
	RUN(bpf_json_of_a_refused_scan);
	if (access(HOST_BTF, R_OK))
		check_skip("btf_subset_answers_like_the_kernel", "no readable " HOST_BTF);
	else
		RUN(btf_subset_answers_like_the_kernel);
	return check_finish();
}
