// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Small pure helpers: release numbers, os-release, fdinfo, capabilities, the result model.
 */
#include <errno.h>

#include "bpfobj.h"
#include "caps.h"
#include "check.h"
#include "finding.h"
#include "osrelease.h"
#include "util.h"

static void release_numbers(void)
{
	/* clang-format off */
	static const struct {
		const char *s;
		int ret, ma, mi, pa;
	} cases[] = {
		{ "6.1.0-18-amd64", 0, 6, 1, 0 },
		{ "5.15.0-91-generic", 0, 5, 15, 0 },
		{ "3.10.0-1160.el7.x86_64", 0, 3, 10, 0 },
		{ "6.18.44-fc-v669", 0, 6, 18, 44 },
		{ "4.19", 0, 4, 19, 0 },
		{ "6.8.0-rc3+", 0, 6, 8, 0 },
		{ "garbage", -EINVAL, 0, 0, 0 },
		{ "", -EINVAL, 0, 0, 0 },
		{ "6", -EINVAL, 0, 0, 0 },
		{ "4.9.337", 0, 4, 9, 337 },
		{ "2147483647.0", 0, 2147483647, 0, 0 },
		/* sscanf("%d") took these: a sign, blanks, and numbers past INT_MAX wrapped */
		{ "4294967302.1", -EINVAL, 0, 0, 0 },
		{ "6.4294967297.3", -EINVAL, 0, 0, 0 },
		{ "6.1.99999999999", -EINVAL, 0, 0, 0 },
		{ " 6.1", -EINVAL, 0, 0, 0 },
		{ "+6.1", -EINVAL, 0, 0, 0 },
		{ "6. 1", -EINVAL, 0, 0, 0 },
		{ "6.-0", -EINVAL, 0, 0, 0 },
		{ "6.1.-3", 0, 6, 1, 0 },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ma = 0, mi = 0, pa = 0;

		CHECK_INT(util_parse_release(cases[i].s, &ma, &mi, &pa), cases[i].ret);
		if (!cases[i].ret) {
			CHECK_INT(ma, cases[i].ma);
			CHECK_INT(mi, cases[i].mi);
			CHECK_INT(pa, cases[i].pa);
		}
	}
	CHECK(util_kver(4, 7, 0) < util_kver(4, 19, 300));
	CHECK(util_kver(5, 7, 999) < util_kver(5, 8, 0));
}

static void os_release(void)
{
	const char text[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
			    "NAME='Debian GNU/Linux'\n"
			    "VERSION_ID=\"12\"\n"
			    "ID=debian\n"
			    "QUOTED=\"a \\\"b\\\" c\"\n"
			    "PRETTY=wrong\n";
	char v[64];

	CHECK_INT(osrelease_get(text, "PRETTY_NAME", v, sizeof(v)), 0);
	CHECK_STR(v, "Debian GNU/Linux 12 (bookworm)");
	CHECK_INT(osrelease_get(text, "NAME", v, sizeof(v)), 0);
	CHECK_STR(v, "Debian GNU/Linux");
	CHECK_INT(osrelease_get(text, "ID", v, sizeof(v)), 0);
	CHECK_STR(v, "debian");
	CHECK_INT(osrelease_get(text, "QUOTED", v, sizeof(v)), 0);
	CHECK_STR(v, "a \"b\" c");
	CHECK_INT(osrelease_get(text, "VERSION_CODENAME", v, sizeof(v)), -ENOENT);
	CHECK_INT(osrelease_get(text, "PRETTY_NAME", v, 7), 0);
	CHECK_STR(v, "Debian");
}

static void fdinfo_values(void)
{
	/* a map's fdinfo as 6.1 writes it */
	const char map[] = "pos:\t0\n"
			   "flags:\t02000002\n"
			   "mnt_id:\t15\n"
			   "ino:\t1057\n"
			   "map_type:\t1\n"
			   "key_size:\t4\n"
			   "value_size:\t8\n"
			   "max_entries:\t16\n"
			   "map_flags:\t0x0\n"
			   "map_extra:\t0x0\n"
			   "memlock:\t4096\n"
			   "map_id:\t41\n"
			   "frozen:\t0\n";
	unsigned long long v = 7;

	CHECK_INT(bpfobj_fdinfo_parse(map, "memlock", &v), 0);
	CHECK_INT(v, 4096);
	CHECK_INT(bpfobj_fdinfo_parse(map, "map_id", &v), 0);
	CHECK_INT(v, 41);
	CHECK_INT(bpfobj_fdinfo_parse(map, "frozen", &v), 0);
	CHECK_INT(v, 0);
	/* "id" is not "map_id", and a key must start its line */
	CHECK_INT(bpfobj_fdinfo_parse(map, "id", &v), -ENOENT);
	CHECK_INT(bpfobj_fdinfo_parse("pos:\t0 map_id:\t3\n", "map_id", &v), -ENOENT);
	CHECK_INT(bpfobj_fdinfo_parse("", "memlock", &v), -ENOENT);
	/* hex is not a decimal number; neither is an empty value nor one that overflows */
	v = 7;
	CHECK_INT(bpfobj_fdinfo_parse(map, "map_flags", &v), -EINVAL);
	CHECK_INT(bpfobj_fdinfo_parse("memlock:\n", "memlock", &v), -EINVAL);
	CHECK_INT(bpfobj_fdinfo_parse("memlock:\t-1\n", "memlock", &v), -EINVAL);
	CHECK_INT(bpfobj_fdinfo_parse("memlock:\t18446744073709551616\n", "memlock", &v), -EINVAL);
	CHECK_INT(v, 7);
	/* the last line may lack its newline; the first of two equal keys counts */
	CHECK_INT(bpfobj_fdinfo_parse("prog_id:\t12", "prog_id", &v), 0);
	CHECK_INT(v, 12);
	CHECK_INT(bpfobj_fdinfo_parse("link_id: 5 \nlink_id:\t6\n", "link_id", &v), 0);
	CHECK_INT(v, 5);
}

static void capabilities(void)
{
	const uint64_t admin = 1ull << CAP_SYS_ADMIN;
	const uint64_t bpf_perfmon = 1ull << CAP_BPF | 1ull << CAP_PERFMON;
	char missing[128] = "";

	CHECK(caps_can_trace(admin, util_kver(4, 19, 0), missing, sizeof(missing)));
	CHECK(caps_can_trace(bpf_perfmon, util_kver(5, 8, 0), missing, sizeof(missing)));
	CHECK(!caps_can_trace(bpf_perfmon, util_kver(5, 4, 0), missing, sizeof(missing)));
	CHECK(strstr(missing, "CAP_SYS_ADMIN") != NULL);
	CHECK(!caps_can_trace(1ull << CAP_BPF, util_kver(6, 1, 0), missing, sizeof(missing)));
	CHECK(strstr(missing, "CAP_PERFMON") && !strstr(missing, "CAP_BPF,"));
	CHECK(!caps_can_trace(0, util_kver(6, 1, 0), missing, sizeof(missing)));
	CHECK(strstr(missing, "CAP_BPF, CAP_PERFMON") != NULL);
}

static void report_verdicts(void)
{
	struct report r;

	report_init(&r, "test");
	report_add(&r, "a", ST_PASS, "1.1", "ok", NULL, "%s", "");
	report_add(&r, "b", ST_SKIP, "1.1", "skipped", NULL, "why %d", 1);
	CHECK_INT(report_status(&r), ST_PASS);
	CHECK_INT(report_exit_code(&r), 0);
	report_add(&r, "c", ST_WARN, "1.1", "hmm", "do x", "%s", "");
	CHECK_INT(report_status(&r), ST_WARN);
	CHECK_INT(report_exit_code(&r), 0);
	r.strict = true;
	CHECK_INT(report_status(&r), ST_FAIL);
	CHECK_INT(report_exit_code(&r), 1);
	r.strict = false;
	report_add(&r, "d", ST_ERROR, "1.1", "broke", NULL, "%s", "");
	CHECK_INT(report_status(&r), ST_FAIL);
	CHECK_INT(report_count(&r, ST_WARN), 1);
	CHECK_STR(report_find(&r, "b")->detail, "why 1");
	finding_append(&r.f[1], "and %s", "more");
	CHECK_STR(report_find(&r, "b")->detail, "why 1; and more");
	CHECK(report_find(&r, "zz") == NULL);
	report_free(&r);
}

int main(void)
{
	RUN(release_numbers);
	RUN(os_release);
	RUN(fdinfo_values);
	RUN(capabilities);
	RUN(report_verdicts);
	return check_finish();
}
