// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The kernel config parser: plain and gzip text, every line shape a config has. */
#include <errno.h>
#include <zlib.h>

#include "check.h"
#include "kconfig.h"
#include "util.h"

static const char sample[] = "#\n"
			     "# Automatically generated file; DO NOT EDIT.\n"
			     "# Linux/x86 6.1.76 Kernel Configuration\n"
			     "#\n"
			     "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
			     "CONFIG_BPF=y\n"
			     "CONFIG_BPF_SYSCALL=y\n"
			     "CONFIG_BPF_JIT=y\n"
			     "# CONFIG_KPROBES is not set\n"
			     "CONFIG_NF_TABLES=m\n"
			     "CONFIG_HZ=250\n"
			     "CONFIG_ILLEGAL_POINTER_VALUE=0xdead000000000000\n"
			     "\n"
			     "# end of General setup\n";

/* gzip-compress with zlib, as /proc/config.gz is. */
static unsigned char *gz(const char *text, size_t len, size_t *outlen)
{
	unsigned char *out = util_xmalloc(len + 1024);
	z_stream zs = { 0 };

	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)(len + 1024);
	deflate(&zs, Z_FINISH);
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return out;
}

struct state_case {
	const char *name;
	enum kconfig_state state;
	const char *value;
};

static const struct state_case sample_states[] = {
	{ "CONFIG_BPF", KCONFIG_YES, "y" },
	{ "CONFIG_BPF_JIT", KCONFIG_YES, "y" },
	{ "CONFIG_KPROBES", KCONFIG_NOT_SET, NULL },
	{ "CONFIG_NF_TABLES", KCONFIG_MODULE, "m" },
	{ "CONFIG_HZ", KCONFIG_VALUE, "250" },
	{ "CONFIG_CC_VERSION_TEXT", KCONFIG_VALUE, "\"gcc (Debian 12.2.0-14) 12.2.0\"" },
	{ "CONFIG_ILLEGAL_POINTER_VALUE", KCONFIG_VALUE, "0xdead000000000000" },
	{ "CONFIG_DEBUG_INFO_BTF", KCONFIG_ABSENT, NULL },
	{ "CONFIG_BP", KCONFIG_ABSENT, NULL }, /* a prefix of a real name is not a match */
};

static void check_sample(const struct kconfig *kc)
{
	size_t i;

	for (i = 0; i < sizeof(sample_states) / sizeof(sample_states[0]); i++) {
		const struct state_case *c = &sample_states[i];
		const struct kconfig_entry *e = kconfig_get(kc, c->name);

		CHECK_INT(kconfig_state(kc, c->name), c->state);
		if (c->value) {
			CHECK(e != NULL);
			if (e)
				CHECK_STR(e->value, c->value);
		} else if (e) {
			CHECK(e->value == NULL);
		}
	}
	CHECK_STR(kc->version, "6.1.76");
	CHECK_INT(kc->garbage, 0);
}

static void plain_text(void)
{
	struct kconfig kc;
	char err[128];

	CHECK_INT(kconfig_parse(sample, sizeof(sample) - 1, &kc, err, sizeof(err)), 0);
	check_sample(&kc);
	CHECK_INT(kc.nr, 8);
	kconfig_free(&kc);
}

static void gzip_text(void)
{
	struct kconfig kc;
	unsigned char *z;
	size_t zlen;
	char err[128];

	z = gz(sample, sizeof(sample) - 1, &zlen);
	CHECK_INT(kconfig_parse(z, zlen, &kc, err, sizeof(err)), 0);
	check_sample(&kc);
	kconfig_free(&kc);
	free(z);
}

static void crlf_lines(void)
{
	const char text[] = "CONFIG_BPF=y\r\n# CONFIG_KPROBES is not set\r\nCONFIG_HZ=100\r\n";
	struct kconfig kc;
	char err[128];

	CHECK_INT(kconfig_parse(text, sizeof(text) - 1, &kc, err, sizeof(err)), 0);
	CHECK_INT(kconfig_state(&kc, "CONFIG_BPF"), KCONFIG_YES);
	CHECK_INT(kconfig_state(&kc, "CONFIG_KPROBES"), KCONFIG_NOT_SET);
	CHECK_STR(kconfig_get(&kc, "CONFIG_HZ")->value, "100");
	kconfig_free(&kc);
}

static void garbage_lines_are_counted_not_fatal(void)
{
	const char text[] = "CONFIG_BPF=y\n"
			    "this is not a config line\n"
			    "CONFIG_NO_EQUALS\n"
			    "BPF=y\n"
			    "  CONFIG_INDENTED=y\n"
			    "# CONFIG_ALMOST is not set really\n"
			    "CONFIG_BPF_SYSCALL=y"; /* no final newline */
	struct kconfig kc;
	char err[128];

	CHECK_INT(kconfig_parse(text, sizeof(text) - 1, &kc, err, sizeof(err)), 0);
	CHECK_INT(kc.garbage, 4);
	CHECK_INT(kconfig_state(&kc, "CONFIG_BPF"), KCONFIG_YES);
	CHECK_INT(kconfig_state(&kc, "CONFIG_BPF_SYSCALL"), KCONFIG_YES);
	CHECK_INT(kconfig_state(&kc, "CONFIG_ALMOST"), KCONFIG_ABSENT);
	CHECK_INT(kconfig_state(&kc, "CONFIG_INDENTED"), KCONFIG_ABSENT);
	kconfig_free(&kc);
}

static void later_assignment_wins(void)
{
	const char text[] =
		"CONFIG_KPROBES=y\n# CONFIG_KPROBES is not set\nCONFIG_A=1\nCONFIG_A=2\n";
	struct kconfig kc;
	char err[128];

	CHECK_INT(kconfig_parse(text, sizeof(text) - 1, &kc, err, sizeof(err)), 0);
	CHECK_INT(kconfig_state(&kc, "CONFIG_KPROBES"), KCONFIG_NOT_SET);
	CHECK_STR(kconfig_get(&kc, "CONFIG_A")->value, "2");
	CHECK_INT(kc.nr, 2);
	kconfig_free(&kc);
}

static void truncated_gzip_is_an_error(void)
{
	struct kconfig kc;
	unsigned char *z;
	size_t zlen;
	char err[128] = "";

	z = gz(sample, sizeof(sample) - 1, &zlen);
	CHECK_INT(kconfig_parse(z, zlen / 2, &kc, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "truncated") != NULL);
	/* only the 8-byte trailer missing: the data is all there but unverified */
	CHECK_INT(kconfig_parse(z, zlen - 4, &kc, err, sizeof(err)), -EINVAL);
	free(z);
}

static void corrupt_gzip_is_an_error(void)
{
	struct kconfig kc;
	unsigned char *z;
	size_t zlen;
	char err[128] = "";

	z = gz(sample, sizeof(sample) - 1, &zlen);
	z[zlen / 2] ^= 0xff;
	z[zlen / 2 + 1] ^= 0x55;
	CHECK_INT(kconfig_parse(z, zlen, &kc, err, sizeof(err)), -EINVAL);
	CHECK(*err != '\0');
	free(z);
}

/* A gzip bomb stops at the cap, whatever it would expand to; so does a text past it. */
static void past_the_cap(void)
{
	size_t big = KCONFIG_MAX_BYTES + 4096, zlen, i;
	char *text = malloc(big + 1), err[128] = "";
	struct kconfig kc;
	unsigned char *z;

	CHECK(text != NULL);
	if (!text)
		return;
	for (i = 0; i + 11 <= big; i += 11)
		memcpy(text + i, "CONFIG_A=y\n", 11);
	memset(text + i, '\n', big - i);
	text[big] = '\0';
	z = gz(text, big, &zlen);
	CHECK(zlen < big / 100);
	CHECK_INT(kconfig_parse(z, zlen, &kc, err, sizeof(err)), -EFBIG);
	CHECK(strstr(err, "expands past 4 MiB") != NULL);
	CHECK_INT(kconfig_parse(text, big, &kc, err, sizeof(err)), -EFBIG);
	/* just under the cap is a config like another */
	CHECK_INT(kconfig_parse(text, KCONFIG_MAX_BYTES - 11, &kc, err, sizeof(err)), 0);
	kconfig_free(&kc);
	free(z);
	free(text);
}

static void binary_is_rejected(void)
{
	const char bin[] = "\x7f"
			   "ELF\x02\x01\x01\0\0\0\0CONFIG_BPF=y\n";
	struct kconfig kc;
	char err[128] = "";

	CHECK_INT(kconfig_parse(bin, sizeof(bin) - 1, &kc, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "binary") != NULL);
}

static void no_config_lines_is_rejected(void)
{
	const char text[] = "hello\nworld\n";
	struct kconfig kc;
	char err[128] = "";

	CHECK_INT(kconfig_parse(text, sizeof(text) - 1, &kc, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "no CONFIG_") != NULL);
	CHECK_INT(kconfig_parse("", 0, &kc, err, sizeof(err)), -EINVAL);
}

static void missing_file_gives_errno(void)
{
	struct kconfig kc;
	char err[128] = "";

	CHECK_INT(kconfig_load("/nonexistent/config", &kc, err, sizeof(err)), -ENOENT);
	CHECK_INT(kconfig_load("/", &kc, err, sizeof(err)), -EISDIR);
}

static void state_names(void)
{
	CHECK_STR(kconfig_state_str(KCONFIG_YES), "y");
	CHECK_STR(kconfig_state_str(KCONFIG_MODULE), "m");
	CHECK_STR(kconfig_state_str(KCONFIG_NOT_SET), "not set");
	CHECK_STR(kconfig_state_str(KCONFIG_ABSENT), "absent");
}

int main(void)
{
	RUN(plain_text);
	RUN(gzip_text);
	RUN(crlf_lines);
	RUN(garbage_lines_are_counted_not_fatal);
	RUN(later_assignment_wins);
	RUN(truncated_gzip_is_an_error);
	RUN(corrupt_gzip_is_an_error);
	RUN(past_the_cap);
	RUN(binary_is_rejected);
	RUN(no_config_lines_is_rejected);
	RUN(missing_file_gives_errno);
	RUN(state_names);
	return check_finish();
}
