#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Languages: every user-facing string in English or Chinese through the gettext catalogue
# (po/zh_CN.po, built into locale/ beside the binary). Chosen by --lang, else by LC_ALL,
# LC_MESSAGES, LANG (and LANGUAGE under a non-C locale), even on a host without a generated
# zh_CN locale (this one: locale -a lists C, C.utf8, POSIX). JSON ids, keys and statuses
# never change with the language; its human text does. A config fixture is the target, so
# that the verdicts do not depend on the host the suite runs on.
#
# helper.bash pins the other suites to LC_ALL=C; here each test sets the locale it means,
# with env -u so that nothing of the caller's leaks in.

load helper

CONFIG=$DISTRO_CONFIGS/oracle-7-rhck-3.10.config

# lang_env VAR=VALUE... -- CMD...: CMD with only the locale variables given
lang_env() {
	env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE -u EDRDIAG_LANG "$@"
}

# Is there a byte of a CJK character (UTF-8 lead bytes 0xe3..0xe9) in $1?
has_cjk() {
	LC_ALL=C grep -q $'[\xe3-\xe9]' <<<"$1"
}

setup() {
	[ -f "$(dirname "$EDRDIAG")/locale/zh_CN/LC_MESSAGES/edrdiag.mo" ] ||
		fail "no catalogue beside $EDRDIAG: the build makes locale/zh_CN/LC_MESSAGES/edrdiag.mo"
}

@test "i18n: LANG=zh_CN.UTF-8 gives Chinese titles, details, remedies and summary" {
	run -0 lang_env LANG=zh_CN.UTF-8 "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	assert_line --partial '目标：内核配置'
	# a title, its detail, its remedy with the guide's section, the verdict words
	assert_line --regexp '^警告 +kconfig\.CONFIG_DEBUG_INFO_BTF +缺少 CONFIG_DEBUG_INFO_BTF（配置中不存在）$'
	assert_line --partial '用于 CO-RE 的内核 BTF：没有它，传感器需要随附此内核的 BTF；建议启用'
	assert_line --partial '修复：随代理提供此内核的 BTF（BTFHub）'
	assert_line --partial '[指南 4.2]'
	assert_line --regexp '^跳过 +probe\.tracepoint +实时探测：无法从内核配置得知$'
	assert_line 'check-kernel: 警告 （通过 13，警告 2，失败 0，跳过 7，错误 0）'
	refute_output --partial 'fix:'
	refute_output --partial 'not known from a kernel config'
}

@test "i18n: the Chinese table stays aligned: details start under the titles" {
	local title detail

	run -0 lang_env LANG=zh_CN.UTF-8 "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	title=$(grep -m1 'kconfig.CONFIG_DEBUG_INFO_BTF' <<<"$output")
	detail=$(grep -m1 '用于 CO-RE' <<<"$output")
	# every label is two characters of two columns: the status column is 4 wide (English
	# pads to "ERROR"'s 5), then 2 spaces, the id column, 2 more: where the detail starts
	[[ $title =~ ^警告\ \ (kconfig[^ ]*\ +) ]] || fail "status column not 4 wide: $title"
	assert_equal "$(expr "$detail" : ' *')" $((4 + 2 + ${#BASH_REMATCH[1]}))
	# in English, 5 columns
	run -0 lang_env "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	title=$(grep -m1 'kconfig.CONFIG_DEBUG_INFO_BTF' <<<"$output")
	detail=$(grep -m1 'kernel BTF for CO-RE' <<<"$output")
	[[ $title =~ ^WARN\ \ \ (kconfig[^ ]*\ +) ]] || fail "status column not 5 wide: $title"
	assert_equal "$(expr "$detail" : ' *')" $((5 + 2 + ${#BASH_REMATCH[1]}))
}

@test "i18n: --lang zh is the same as LANG=zh_CN.UTF-8, and beats LC_ALL=C" {
	local zh

	run -0 lang_env LANG=zh_CN.UTF-8 "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	zh=$output
	run -0 lang_env LC_ALL=C "$EDRDIAG" --lang zh check-kernel --kernel-config "$CONFIG"
	assert_equal "$output" "$zh"
	# after the command word and as --lang=zh as well
	run -0 lang_env LC_ALL=C "$EDRDIAG" check-kernel --kernel-config "$CONFIG" --lang=zh
	assert_equal "$output" "$zh"
}

@test "i18n: --lang en stays English whatever LANG and LANGUAGE say" {
	run -0 lang_env LANG=zh_CN.UTF-8 LANGUAGE=zh_CN:en "$EDRDIAG" --lang en check-kernel \
		--kernel-config "$CONFIG"
	assert_line 'check-kernel: WARN  (13 pass, 2 warn, 0 fail, 7 skip, 0 error)'
	assert_line --partial 'fix: ship BTF for this kernel with the agent (BTFHub)'
	has_cjk "$output" && fail "Chinese in an --lang en run: $output"
	true
}

@test "i18n: the locale variables in POSIX order, LANGUAGE only under a non-C locale" {
	# LC_ALL beats LANG
	run -0 lang_env LC_ALL=C LANG=zh_CN.UTF-8 "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	has_cjk "$output" && fail "LC_ALL=C did not win over LANG: $output"
	# LC_MESSAGES beats LANG
	run -0 lang_env LANG=C LC_MESSAGES=zh_CN.UTF-8 "$EDRDIAG" check-kernel \
		--kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: 警告'
	# LANGUAGE under a non-C locale, as GNU gettext does; ignored under C
	run -0 lang_env LANG=en_US.UTF-8 LANGUAGE=zh_CN "$EDRDIAG" check-kernel \
		--kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: 警告'
	run -0 lang_env LANG=C LANGUAGE=zh_CN "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	has_cjk "$output" && fail "LANGUAGE honoured under LANG=C: $output"
	# nothing set: English
	run -0 lang_env "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: WARN'
}

@test "i18n: EDRDIAG_LANG, which a run exports for the edrdiag it starts, is honoured" {
	run -0 lang_env EDRDIAG_LANG=zh LANG=C "$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: 警告'
	run -0 lang_env EDRDIAG_LANG=en LANG=zh_CN.UTF-8 "$EDRDIAG" check-kernel \
		--kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: WARN'
}

@test "i18n: JSON keeps ids, keys, statuses and counts; only the human text is translated" {
	local en zh shape

	run -0 --separate-stderr lang_env "$EDRDIAG" --lang en check-kernel --json \
		--kernel-config "$CONFIG"
	assert_one_json
	en=$output
	run -0 --separate-stderr lang_env "$EDRDIAG" --lang zh check-kernel --json \
		--kernel-config "$CONFIG"
	assert_one_json
	zh=$output
	# every path (keys and array positions), the ids and statuses in order, the summary
	shape='[paths | map(tostring) | join(".")], [.results[] | [.id, .status, .guide]],
	       .status, .summary, .command'
	assert_equal "$(jq -c "$shape" <<<"$zh")" "$(jq -c "$shape" <<<"$en")"
	# and the text did change: the same finding's title, in each language
	assert_equal "$(jq -r '.results[] | select(.id == "kconfig.CONFIG_DEBUG_INFO_BTF") |
		.title' <<<"$zh")" '缺少 CONFIG_DEBUG_INFO_BTF（配置中不存在）'
	assert_equal "$(jq -r '.results[] | select(.id == "kconfig.CONFIG_DEBUG_INFO_BTF") |
		.title' <<<"$en")" 'CONFIG_DEBUG_INFO_BTF missing (absent from the config)'
}

@test "i18n: a JSON error keeps its code, its message follows the language" {
	run -2 --separate-stderr lang_env "$EDRDIAG" --lang zh --json check-kernel \
		--kernel-config /nonexistent/config
	assert_one_json
	assert_equal "$(jq -r .error.code <<<"$output")" bad_input
	assert_equal "$(jq -r .error.message <<<"$output")" \
		"--kernel-config '/nonexistent/config'：没有那个文件或目录"
}

@test "i18n: numbers in JSON keep their '.' under Chinese (LC_NUMERIC is never set)" {
	require_root
	run -0 --separate-stderr lang_env LANG=zh_CN.UTF-8 LC_NUMERIC=zh_CN.UTF-8 "$EDRDIAG" \
		stats --json --interval 0.2
	assert_one_json
	# a fraction, written as JSON: jq reads it as a number, and its text has a '.'
	assert_equal "$(jq -r '.window_s | type' <<<"$output")" number
	[[ $output =~ \"window_s\":\ ?0\.[0-9] ]] || fail "window_s not written with '.': $output"
}

@test "i18n: --lang with any other value is a one-line usage error (exit 2)" {
	run -2 --separate-stderr lang_env "$EDRDIAG" --lang xx check-kernel --kernel-config "$CONFIG"
	assert_output ''
	assert_equal "$stderr" "edrdiag: --lang 'xx': expected en or zh"
	run -2 --separate-stderr lang_env "$EDRDIAG" --lang
	assert_equal "$stderr" "edrdiag: option '--lang' needs a value"
	# said in the environment's language
	run -2 --separate-stderr lang_env LANG=zh_CN.UTF-8 "$EDRDIAG" --lang=fr help
	assert_equal "$stderr" "edrdiag: --lang 'fr'：应为 en 或 zh"
}

@test "i18n: help and a command's options in Chinese" {
	run -0 lang_env "$EDRDIAG" --lang zh help
	assert_line --partial '诊断此主机上 EDR 代理的 eBPF 传感器。'
	assert_line --regexp '^  -h, --help +显示本帮助$'
	assert_line --regexp '^  check-kernel +此主机能否运行传感器'
	run -0 lang_env LANG=zh_CN.UTF-8 "$EDRDIAG" map-dump -h
	assert_line --regexp '^      --limit N +在 N 个条目后停止$'
	# the JSON help: names and options as they are, the help text translated
	run -0 lang_env "$EDRDIAG" --lang zh --json help stats
	assert_equal "$(jq -r '.options[] | select(.name == "--count") | .argument' <<<"$output")" required
	assert_equal "$(jq -r '.options[] | select(.name == "--id") | .help' <<<"$output")" \
		'只看程序 ID（可重复）'
}

@test "i18n: no catalogue: English, with one warning only when --lang zh asked for Chinese" {
	run -0 --separate-stderr lang_env EDRDIAG_LOCALEDIR=/nonexistent "$EDRDIAG" --lang zh \
		check-kernel --kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: WARN'
	assert_equal "$stderr" \
		"edrdiag: warning: the Chinese message catalogue (edrdiag.mo) was not found: English"
	run -0 --separate-stderr lang_env EDRDIAG_LOCALEDIR=/nonexistent LANG=zh_CN.UTF-8 \
		"$EDRDIAG" check-kernel --kernel-config "$CONFIG"
	assert_line --partial 'check-kernel: WARN'
	assert_equal "$stderr" ''
}

@test "i18n: every user-facing string has its Chinese (tests/i18n-complete.sh)" {
	command -v xgettext >/dev/null || skip "xgettext not installed (apt-get install gettext)"
	run -0 "$TOP/tests/i18n-complete.sh"
	assert_line --regexp '^ok 1 i18n-complete: every user-facing string has its Chinese \([0-9]+ strings\)$'
}

@test "i18n: cmake --install puts the catalogue in share/locale, where the installed binary finds it" {
	local d=$BATS_TEST_TMPDIR/inst build

	build=$(dirname "$EDRDIAG")
	[ -f "$build/cmake_install.cmake" ] || skip "$build is not a cmake build tree"
	DESTDIR=$d run -0 cmake --install "$build" --prefix /usr
	[ -f "$d/usr/share/locale/zh_CN/LC_MESSAGES/edrdiag.mo" ] ||
		fail "no usr/share/locale/zh_CN/LC_MESSAGES/edrdiag.mo installed"
	# built for another prefix, it finds ../share/locale beside itself
	run -0 lang_env "$d/usr/sbin/edrdiag" --lang zh help
	assert_line --partial '显示本帮助'
}

@test "i18n: the Chinese option help wraps at 90 columns, CJK characters counted as two" {
	local cmd line w long=""

	# each command's -h: its options and the global ones (the command list is not wrapped)
	for cmd in $(help_commands); do
		while IFS= read -r line; do
			w=$(printf '%s\n' "$line" | LC_ALL=C.UTF-8 wc -L)
			[ "$w" -le 90 ] || long+="$cmd ($w columns): $line"$'\n'
		done < <(lang_env "$EDRDIAG" --lang zh "$cmd" -h | grep '^  ')
	done
	[ -z "$long" ] || fail "option help lines wider than 90 columns:"$'\n'"$long"
}
