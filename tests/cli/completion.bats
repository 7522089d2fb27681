#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `edrdiag completion bash`: the script is valid bash, and what it completes is what the
# binary's own help says: every command, each command's options, the right kind of value.

load helper

setup() {
	SCRIPT=$BATS_TEST_TMPDIR/edrdiag.bash
	"$EDRDIAG" completion bash >"$SCRIPT" || fail "completion bash exited $?"
}

# Complete the words given (the last one is the word being completed); one reply a line.
complete_words() {
	# shellcheck disable=SC1090
	source "$SCRIPT"
	COMP_WORDS=(edrdiag "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_edrdiag
	[ "${#COMPREPLY[@]}" -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

# The long options a help text's option lines name, sorted.
long_options() {
	grep -E '^ +-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

@test "completion: the script is valid bash and registers _edrdiag for edrdiag" {
	run bash -n "$SCRIPT"
	assert_success
	run bash -c "source '$SCRIPT' && complete -p edrdiag"
	assert_success
	assert_output --partial "-F _edrdiag edrdiag"
	if command -v shellcheck >/dev/null; then
		run shellcheck -s bash "$SCRIPT"
		assert_success
	fi
}

@test "completion: the first word offers exactly the commands of 'edrdiag help'" {
	local expected

	expected=$( (help_commands; echo help; echo completion) | sort)
	[ "$(help_commands | wc -l)" -ge 6 ] || fail "commands not parsed from 'edrdiag help'"
	run complete_words ""
	assert_success
	assert_output "$expected"
	run complete_words check-t
	assert_output check-tracepoints
}

@test "completion: each command offers exactly the long options its -h shows" {
	local cmd expected

	for cmd in $(help_commands); do
		expected=$("$EDRDIAG" "$cmd" -h | long_options)
		[ -n "$expected" ] || fail "$cmd -h: no options parsed"
		run complete_words "$cmd" --
		assert_success
		[ "$output" = "$expected" ] ||
			fail "$cmd: completion offers"$'\n'"$output"$'\n'"but -h shows"$'\n'"$expected"
	done
}

@test "completion: global options before the command and --root's value are skipped" {
	run complete_words --json --root /tmp check-kernel --kernel
	assert_output --kernel-config
	run complete_words --root /tmp ""
	assert_line check-kernel
}

@test "completion: values: --root and export --textfile a directory, --kernel-config a file, --lang its choices" {
	local dir=$BATS_TEST_TMPDIR/vals

	mkdir -p "$dir/sub"
	: >"$dir/config-6.1"
	run complete_words --root "$dir/"
	assert_output "$dir/sub"
	run complete_words check-kernel --kernel-config "$dir/co"
	assert_output "$dir/config-6.1"
	run complete_words check-kernel -k "$dir/co"
	assert_output "$dir/config-6.1"
	run complete_words collect-report --lang ""
	assert_output $'en\nzh'
	# export --textfile: a directory, never a file
	run complete_words export --textfile "$dir/"
	assert_output "$dir/sub"
	# the choices the option table gives, which run-sensor's help used to keep to itself
	run complete_words run-sensor --attach ""
	assert_equal "$(sort <<<"$output" | tr '\n' ' ')" "auto kprobe raw-tracepoint tracepoint "
	run complete_words run-sensor --transport p
	assert_output perfbuf
	run complete_words check-tracepoints -t sched/sched_process_e
	assert_output $'sched/sched_process_exec\nsched/sched_process_exit'
	# a number: nothing to offer, and not the command's options either
	run complete_words stats --interval ""
	assert_output ""
}

@test "completion: a shell other than bash is a usage error (exit 2, one line)" {
	run --separate-stderr "$EDRDIAG" completion zsh
	[ "$status" -eq 2 ] || fail "exit $status"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$(wc -l <<<"$stderr")" -eq 1 ] || fail "stderr: $stderr"
	assert_equal "$stderr" "edrdiag: completion: expected 'bash' (got 'zsh')"
	run --separate-stderr "$EDRDIAG" completion
	[ "$status" -eq 2 ] || fail "exit $status"
}
