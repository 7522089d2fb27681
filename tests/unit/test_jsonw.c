// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON writer: jansson's own output is the oracle (compact and JSON_INDENT(2), members in
 * order, reals as JSON_REAL_PRECISION(9)), bytes that are not UTF-8 are escaped, and a misuse
 * stops the program.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "jsonw.h"
#include "strbuf.h"
#include "util.h"

static const char *const docs[] = {
	"{}",
	"[]",
	"null",
	"\"a\"",
	"{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{},\"e\":[],\"f\":true,\"g\":false}",
	"[[[]],[{}],{\"x\":[1,-2,9223372036854775807,-9223372036854775808]}]",
	/* one string on two lines: the parentheses tell clang it is meant */
	("{\"s\":\"tab\\t nl\\n quote\\\" back\\\\ nul\\u0000 \\u00e9 \\u4e2d \\ud83d\\ude00 "
	 "ctl\\u001f\"}"),
	"{\"r\":[0.5,2.0,1e300,-3.25,123456789.0,0.1,1.5e-07]}",
	"{\"z\":{\"y\":{\"x\":{\"w\":[{\"v\":[]}]}}}}",
};

/* \u001F and \u001f are one character: jansson writes upper case hex, text.h lower */
static void lower_hex(char *s)
{
	for (; (s = strstr(s, "\\u")); s += 2)
		for (int i = 2; i < 6 && s[i]; i++)
			s[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
}

/* write v through jsonw, compact or pretty; a fresh heap string */
static char *through(const json_t *v, bool pretty)
{
	struct strbuf sb = { 0 };
	struct jsonw w;
	char *s;

	jsonw_init(&w, &sb, pretty);
	jsonw_value(&w, v);
	CHECK(jsonw_done(&w));
	s = strdup(strbuf_cstr(&sb));
	strbuf_free(&sb);
	return s;
}

static void same_as_jansson(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docs); i++) {
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		char *a, *b;

		CHECK(v != NULL);
		if (!v)
			continue;
		a = through(v, false);
		b = json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_COMPACT |
					  JSON_REAL_PRECISION(9));
		lower_hex(b);
		if (strcmp(a, b))
			printf("#   compact %zu:\n#   %s\n#   %s\n", i, a, b);
		CHECK_STR(a, b);
		free(a);
		free(b);
		a = through(v, true);
		b = json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_INDENT(2) |
					  JSON_REAL_PRECISION(9));
		lower_hex(b);
		if (strcmp(a, b))
			printf("#   pretty %zu:\n%s\n%s\n", i, a, b);
		CHECK_STR(a, b);
		free(a);
		free(b);
		json_decref(v);
	}
}

static void by_hand(void)
{
	struct strbuf sb = { 0 };
	struct jsonw w;
	json_t *back;

	jsonw_init(&w, &sb, false);
	jsonw_begin_object(&w);
	jsonw_str_field(&w, "comm", "x\xffy\x1b");
	jsonw_u64_field(&w, "n", 9007199254740993ull);
	jsonw_s64_field(&w, "m", -5);
	jsonw_bool_field(&w, "b", true);
	jsonw_str_field(&w, "none", NULL);
	jsonw_key(&w, "r");
	jsonw_real(&w, 0.0 / 0.0);
	jsonw_key(&w, "a");
	jsonw_begin_array(&w);
	jsonw_strn(&w, "ab\0c", 4);
	jsonw_end_array(&w);
	jsonw_end_object(&w);
	CHECK(jsonw_done(&w));
	CHECK_STR(strbuf_cstr(&sb), "{\"comm\":\"x\\u00ffy\\u001b\",\"n\":9007199254740993,"
				    "\"m\":-5,\"b\":true,\"none\":null,\"r\":null,"
				    "\"a\":[\"ab\\u0000c\"]}");
	/* and it is JSON a strict reader takes */
	back = json_loads(strbuf_cstr(&sb), JSON_ALLOW_NUL, NULL);
	CHECK(back != NULL);
	json_decref(back);
	strbuf_free(&sb);
	/* the whole u64 range: jansson cannot hold it, the writer can */
	jsonw_init(&w, &sb, false);
	jsonw_u64(&w, 18446744073709551615ull);
	CHECK_STR(strbuf_cstr(&sb), "18446744073709551615");
	strbuf_free(&sb);
}

/* a misuse aborts: a value where a key is due, an end out of place, a second document */
static void misuse_aborts(void)
{
	int i, st;

	for (i = 0; i < 3; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			struct strbuf sb = { 0 };
			struct jsonw w;

			/* the bug message is expected: not on the test's output */
			if (!freopen("/dev/null", "w", stderr))
				_exit(2);
			jsonw_init(&w, &sb, false);
			if (i == 0) {
				jsonw_begin_object(&w);
				jsonw_u64(&w, 1);
			} else if (i == 1) {
				jsonw_end_array(&w);
			} else {
				jsonw_null(&w);
				jsonw_null(&w);
			}
			_exit(0);
		}
		CHECK(pid > 0);
		CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	}
}

int main(void)
{
	RUN(same_as_jansson);
	RUN(by_hand);
	RUN(misuse_aborts);
	return check_finish();
}
