#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The command line: help on every command, usage errors, exit codes, JSON errors, colour.

load helper

@test "help lists the commands of the table" {
	run -0 "$EDRDIAG" help
	assert_output --partial "check-kernel"
	assert_output --partial "check-tracepoints"
	[ "$(help_commands | wc -l)" -ge 2 ]
}

@test "-h and --help print the main usage and exit 0" {
	run -0 "$EDRDIAG" -h
	assert_output --partial "Usage: edrdiag"
	run -0 "$EDRDIAG" --help
	assert_output --partial "Global options:"
}

@test "every command has -h, --help and 'help <cmd>' with its options" {
	local c
	for c in $(help_commands); do
		run -0 "$EDRDIAG" "$c" -h
		assert_output --partial "Usage: edrdiag $c"
		assert_output --partial "--json"
		run -0 "$EDRDIAG" "$c" --help
		assert_output --partial "Usage: edrdiag $c"
		run -0 "$EDRDIAG" help "$c"
		assert_output --partial "Usage: edrdiag $c"
	done
}

@test "check-kernel -h names --kernel-config; check-tracepoints -h names --tracepoint" {
	run -0 "$EDRDIAG" check-kernel -h
	assert_output --partial "--kernel-config FILE"
	run -0 "$EDRDIAG" check-tracepoints -h
	assert_output --partial "--tracepoint"
}

@test "--version prints the version" {
	run -0 "$EDRDIAG" --version
	assert_output --regexp '^edrdiag [0-9]+\.[0-9]+\.[0-9]+ \(libbpf '
}

@test "no command: one-line error, exit 2" {
	run -2 --separate-stderr "$EDRDIAG"
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"no command"* ]]
}

@test "unknown command: one-line error naming it, exit 2" {
	run -2 --separate-stderr "$EDRDIAG" check-kernal
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"'check-kernal'"* ]]
	run -2 --separate-stderr "$EDRDIAG" help frobnicate
	[[ "$stderr" == *"'frobnicate'"* ]]
}

@test "command names match exactly, not by prefix" {
	run -2 --separate-stderr "$EDRDIAG" check
	[[ "$stderr" == *"unknown command 'check'"* ]]
}

@test "unknown options, before or after the command: exit 2 naming the option" {
	run -2 --separate-stderr "$EDRDIAG" --bogus check-kernel
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"'--bogus'"* ]]
	run -2 --separate-stderr "$EDRDIAG" check-kernel --tracepoint sched/x
	[[ "$stderr" == *"'--tracepoint'"* ]]
	run -2 --separate-stderr "$EDRDIAG" check-tracepoints -x
	[[ "$stderr" == *"'-x'"* ]]
	[ -z "$output" ]
}

@test "lax edges: a flag given a value, a number with a blank, help with two words: exit 2" {
	run -2 --separate-stderr "$EDRDIAG" --json=1 check-kernel
	assert_equal "$stderr" "edrdiag: option '--json' takes no value ('--json=1' given)"
	run -2 --separate-stderr "$EDRDIAG" check-kernel --no-color=x
	assert_equal "$stderr" "edrdiag: option '--no-color' takes no value ('--no-color=x' given)"
	run -2 --separate-stderr "$EDRDIAG" map-dump --id ' 5'
	assert_equal "$stderr" "edrdiag: --id ' 5': expected a number from 1 to 4294967295"
	run -2 --separate-stderr "$EDRDIAG" map-dump --id +5
	run -2 --separate-stderr "$EDRDIAG" help check-kernel extra
	assert_equal "$stderr" "edrdiag: help takes one command ('extra' given after 'check-kernel')"
	# a global option's value is not the command word, whatever the option
	run -2 --separate-stderr "$EDRDIAG" --root "$BATS_TEST_TMPDIR" stats
	[[ $stderr == *"stats reads the running kernel: --root does not apply"* ]] || fail "$stderr"
}

@test "an option without its value: exit 2" {
	run -2 --separate-stderr "$EDRDIAG" check-kernel --kernel-config
	[[ "$stderr" == *"'--kernel-config' needs a value"* ]]
	run -2 --separate-stderr "$EDRDIAG" check-kernel --root
	[[ "$stderr" == *"--root"* ]]
}

@test "stray arguments: exit 2" {
	run -2 --separate-stderr "$EDRDIAG" check-kernel extra
	[[ "$stderr" == *"'extra'"* ]]
	run -2 --separate-stderr "$EDRDIAG" check-tracepoints sched/sched_process_exec
	[[ "$stderr" == *"--tracepoint"* ]]
}

@test "--root that does not exist, or is a file: exit 2 naming it" {
	run -2 --separate-stderr "$EDRDIAG" --root /nonexistent/sysroot check-kernel
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"'/nonexistent/sysroot'"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr "$EDRDIAG" check-tracepoints --root /etc/hostname
	[[ "$stderr" == *"'/etc/hostname'"* ]]
	# an unset variable must not quietly turn into the live host
	run -2 --separate-stderr "$EDRDIAG" check-kernel --root ""
	[[ "$stderr" == *"--root '': empty path"* ]]
}

@test "--tracepoint without a slash or with odd characters: exit 2" {
	local bad
	for bad in sched_process_exec sched/ /exec 'sched/a b' '../../etc/passwd' 'a/b/c'; do
		run -2 --separate-stderr "$EDRDIAG" check-tracepoints --tracepoint "$bad"
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ "$stderr" == *"--tracepoint '$bad'"* ]]
		[ -z "$output" ]
	done
}

@test "with --json an error is one JSON document on stdout and nothing on stderr" {
	local args
	for args in "--json check-kernal|usage" "check-kernel --bogus --json|usage" \
		"--json --root /nonexistent check-kernel|bad_input" \
		"-j check-tracepoints --tracepoint nope|usage" \
		"check-kernel --kernel-config / -p|bad_input"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" ${args%|*}
		assert_error_doc "${args#*|}"
		[ -z "$stderr" ]
	done
}

@test "a failed write to stdout is an error (exit 3), not a success" {
	[ -w /dev/full ] || skip "no /dev/full on this host"
	run -3 --separate-stderr bash -c "'$EDRDIAG' help >/dev/full"
	[[ "$stderr" == *"cannot write output"* ]]
	run -3 --separate-stderr bash -c "'$EDRDIAG' check-kernel --json >/dev/full"
	[[ "$stderr" == *"cannot write output"* ]]
}

@test "-p prints indented JSON, -j compact: both one document" {
	run -0 "$EDRDIAG" help
	run --separate-stderr "$EDRDIAG" check-kernel -p
	assert_one_json
	[ "${#lines[@]}" -gt 10 ]
	run --separate-stderr "$EDRDIAG" check-kernel -j
	assert_one_json
	[ "${#lines[@]}" -eq 1 ]
}

# colour only on a terminal, and never with NO_COLOR or --no-color
@test "colour on a tty; none with NO_COLOR, --no-color, or a pipe" {
	command -v script >/dev/null || skip "script(1) not installed: cannot fake a terminal"
	local esc=$'\033['
	# the caller's TERM may be "dumb" (CI, editors), which rightly turns colour off
	export TERM=xterm
	run script -qec "'$EDRDIAG' check-kernel" /dev/null
	[[ "$output" == *"$esc"* ]]
	run script -qec "NO_COLOR=1 '$EDRDIAG' check-kernel" /dev/null
	[[ "$output" != *"$esc"* ]]
	run script -qec "'$EDRDIAG' --no-color check-kernel" /dev/null
	[[ "$output" != *"$esc"* ]]
	run "$EDRDIAG" check-kernel
	[[ "$output" != *"$esc"* ]]
	run script -qec "TERM=dumb '$EDRDIAG' check-kernel" /dev/null
	[[ "$output" != *"$esc"* ]]
}

# run-sensor's bad values, each "ARGS|what the one-line error must contain". A trailing
# --duration 1 keeps a check that stopped working from running a sensor forever (as root).
RUN_SENSOR_BAD=(
	"--attach foo|--attach 'foo'"
	"--transport foo|--transport 'foo'"
	"--buffer-size 1000|--buffer-size '1000'"
	"--buffer-size 2|--buffer-size '2'"
	"--buffer-size 1G5|--buffer-size '1G5'"
	"--buffer-size -4096|--buffer-size '-4096'"
	"--duration 0|--duration '0'"
	"--duration abc|--duration 'abc'"
	"--count -1|--count '-1'"
	"--count 0|--count '0'"
	"--comm abcdefghijklmnop|--comm 'abcdefghijklmnop'"
	"--pid 0|--pid '0'"
	"--uid -1|--uid '-1'"
	"--self-test=0|--self-test '0'"
	"--self-test=abc|--self-test 'abc'"
)

@test "run-sensor bad option values: exit 2, one line naming the option" {
	local c args want
	for c in "${RUN_SENSOR_BAD[@]}"; do
		IFS='|' read -r args want <<<"$c"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" run-sensor $args --duration 1
		[ -z "$output" ] || fail "stdout for '$args': $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "not one line for '$args': $stderr"
		[[ "$stderr" == *"$want"* ]] || fail "'$args': '$stderr' does not name $want"
	done
	# an empty --comm is no filter at all: refused too
	run -2 --separate-stderr "$EDRDIAG" run-sensor --comm "" --duration 1
	[[ "$stderr" == *"--comm ''"* ]]
	run -2 --separate-stderr "$EDRDIAG" run-sensor --duration 1 --attach
	[[ "$stderr" == *"'--attach' needs a value"* ]]
}

@test "run-sensor bad option values with --json: one JSON error document, empty stderr" {
	local c args want
	for c in "${RUN_SENSOR_BAD[@]}"; do
		IFS='|' read -r args want <<<"$c"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" --json run-sensor $args --duration 1
		assert_one_json
		printf '%s' "$output" | jq -e --arg w "$want" '.error.message | contains($w)' >/dev/null ||
			fail "'$args': $output does not name $want"
		[ -z "$stderr" ] || fail "stderr for '$args': $stderr"
	done
}

@test "run-sensor reads the running kernel: --root is a usage error (exit 2)" {
	run -2 --separate-stderr "$EDRDIAG" --root /tmp run-sensor --duration 1
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"run-sensor reads the running kernel: --root does not apply"* ]]
	run -2 --separate-stderr "$EDRDIAG" --root /tmp run-sensor --json --duration 1
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | test("--root")'
	[ -z "$stderr" ]
}

# The dispatcher reports these before its privilege check, so they are usage errors for anyone.
@test "run-sensor: a stray argument, or --self-test with a filter: exit 2" {
	local args
	for args in "extra" "--self-test --pid 1" "--self-test=5 --uid 0" "--self-test --comm true"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" run-sensor $args --duration 1
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "not one line for '$args': $stderr"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" run-sensor $args --duration 1 --json
		assert_one_json
		printf '%s' "$output" | jq -e 'has("error")' >/dev/null
		[ -z "$stderr" ] || fail "stderr for '$args' --json: $stderr"
	done
	run -2 --separate-stderr "$EDRDIAG" run-sensor extra
	[[ "$stderr" == *"'extra'"* ]]
	# the count of --self-test goes after '=': say so to someone who wrote a space
	run -2 --separate-stderr "$EDRDIAG" run-sensor --self-test 5
	[[ "$stderr" == *"--self-test=N"* ]]
	run -2 --separate-stderr "$EDRDIAG" run-sensor --self-test --pid 1
	[[ "$stderr" == *"--self-test cannot be combined with --pid"* ]]
}

@test "run-sensor --buffer-size: a value that overflows is refused, not wrapped" {
	run -2 --separate-stderr "$EDRDIAG" run-sensor --buffer-size 17592186044417M --duration 1
	[[ "$stderr" == *"--buffer-size '17592186044417M'"* ]]
	run -2 --separate-stderr "$EDRDIAG" run-sensor --buffer-size 2G --duration 1
	[[ "$stderr" == *"--buffer-size '2G'"* ]]
}
