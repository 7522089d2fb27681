#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The JSON contract (edrdiag(8)): with --json every invocation prints one document (help,
# version and completion included), each valid against its schema in schemas/; an error is
# {"code", "message"} with a stable code; --pretty indents every document. The other suites
# validate every document they produce (helper.bash's assert_one_json); this one checks
# the contract's own rules, and that the validation does catch a change of shape.

load helper
load ../tools/sysroot

# The long options named at the start of a help text's option lines, sorted.
long_options() {
	grep -E '^ {2,6}-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

@test "--json help, -h, --help: one document listing the table's commands and the global options" {
	local expected
	run -0 --separate-stderr "$EDRDIAG" --json help
	assert_one_json
	[ -z "$stderr" ]
	expected=$( (help_commands; echo help; echo completion) | tr '\n' ' ')
	assert_equal "$(jq -r '[.commands[].name] | join(" ")' <<<"$output") " "$expected"
	jq -e '.topic == null and .man == "edrdiag(8)" and
		all(.commands[]; .name as $n | .summary != "" and (.usage | startswith("edrdiag " + $n)))' \
		<<<"$output" >/dev/null || fail "$output"
	assert_equal "$(jq -r '.global_options[].name' <<<"$output" | sort)" \
		"$("$EDRDIAG" help | sed -n '/^Global options:/,/^$/p' | long_options)"
	# the table's facts: -j is --json's short name, --root takes a DIR
	jq -e '.global_options[] | select(.name == "--json") | .short == "-j" and
		.argument == "none" and .value == null' <<<"$output" >/dev/null
	jq -e '.global_options[] | select(.name == "--root") | .short == null and
		.argument == "required" and .value == "DIR" and (.help | test("hostile"))' \
		<<<"$output" >/dev/null
	local doc=$output
	run -0 --separate-stderr "$EDRDIAG" -h --json
	assert_equal "$output" "$doc"
	run -0 --separate-stderr "$EDRDIAG" --help -j
	assert_equal "$output" "$doc"
}

@test "--json help CMD and --json CMD -h: the same one document, with every option -h shows" {
	local c doc
	for c in $(help_commands); do
		run -0 --separate-stderr "$EDRDIAG" --json help "$c"
		assert_one_json
		doc=$output
		jq -e --arg c "$c" '.topic == $c and .man == "edrdiag-\($c)(8)" and
			(.usage | startswith("edrdiag \($c) ")) and
			all(.options[]; .help != "" and ((.argument == "none") == (.value == null)))' \
			<<<"$doc" >/dev/null || fail "$c: $doc"
		run -0 --separate-stderr "$EDRDIAG" --json "$c" -h
		assert_equal "$output" "$doc"
		run -0 --separate-stderr "$EDRDIAG" "$c" --help --pretty
		assert_one_json
		assert_equal "$(jq -c . <<<"$output")" "$doc"
		assert_equal "$c $(jq -r '.options[].name, .global_options[].name' <<<"$doc" | sort -u)" \
			"$c $("$EDRDIAG" "$c" -h | long_options)"
	done
	# an option's value and help as its help line gives them, continuation lines joined
	run -0 --separate-stderr "$EDRDIAG" --json help run-sensor
	jq -e '.options[] | select(.name == "--self-test") | .argument == "optional" and
		.value == "N" and (.help | test("execve, execveat and fexecve; pass only"))' \
		<<<"$output" >/dev/null || fail "$output"
	run -0 --separate-stderr "$EDRDIAG" --json help check-kernel
	jq -e '.options == [{"name": "--kernel-config", "short": "-k", "argument": "required",
		"value": "FILE", "help": "judge this kernel config (plain or gzip): alone, the config is the target; with --root, it replaces the tree\u0027s own config",
		"choices": null}]' \
		<<<"$output" >/dev/null || fail "$output"
	# the values an option takes, where they are a list: the ones completion offers
	run -0 --separate-stderr "$EDRDIAG" --json help run-sensor
	jq -e '.options[] | select(.name == "--attach") | .choices ==
		["auto", "tracepoint", "raw-tracepoint", "kprobe"]' <<<"$output" >/dev/null ||
		fail "$output"
	# another option's help that mentions --name is not --name's line
	run -0 --separate-stderr "$EDRDIAG" --json help map-dump
	jq -e '.options[] | select(.name == "--name") | .value == "NAME"' <<<"$output" >/dev/null ||
		fail "$output"
}

@test "--json --version: one document with the versions the plain line gives" {
	local plain
	plain=$("$EDRDIAG" --version)
	run -0 --separate-stderr "$EDRDIAG" --json --version
	assert_one_json
	[ -z "$stderr" ]
	assert_equal "$(jq -r '"edrdiag \(.version) (libbpf \(.libbpf))"' <<<"$output")" "$plain"
	jq -e '.command == "version" and .edrdiag.version == .version and (has("target") | not)' \
		<<<"$output" >/dev/null
	run -0 --separate-stderr "$EDRDIAG" check-kernel -V --pretty
	assert_one_json
}

@test "--json completion bash: one document holding the script the plain mode prints" {
	run -0 --separate-stderr "$EDRDIAG" --json completion bash
	assert_one_json
	[ -z "$stderr" ]
	jq -e '.command == "completion" and .shell == "bash"' <<<"$output" >/dev/null
	diff <(jq -j .script <<<"$output") <("$EDRDIAG" completion bash) ||
		fail "the script in the document differs from the plain one"
}

@test "--pretty indents every document: collect-report --template, help" {
	local compact
	run -0 --separate-stderr "$EDRDIAG" --pretty collect-report --template
	assert_one_json
	[ "${#lines[@]}" -gt 10 ] || fail "not indented: $output"
	assert_equal "${lines[0]}" "{"
	assert_equal "${lines[1]}" '  "command": "collect-report",'
	[[ ${lines[2]} == '  "edrdiag": {' ]] || fail "${lines[2]}"
	jq -e '.template | test("^#")' <<<"$output" >/dev/null
	compact=$("$EDRDIAG" --json collect-report --template)
	assert_equal "$(jq -c 'keys' <<<"$compact")" "$(jq -c 'keys' <<<"$output")"
	[ "$(wc -l <<<"$compact")" -eq 1 ] || fail "--json is not compact"
	run -0 --separate-stderr "$EDRDIAG" --pretty help
	[ "${#lines[@]}" -gt 20 ]
	assert_equal "${lines[1]}" '  "command": "help",'
}

@test "error documents: the code says why; command and target once known; plain mode unchanged" {
	# usage: no command at all, then an unknown option; no target before it is set
	run -2 --separate-stderr "$EDRDIAG" --json
	assert_error_doc usage "no command given"
	jq -e '.command == null and (has("target") | not)' <<<"$output" >/dev/null
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel --bogus
	assert_error_doc usage "unknown option '--bogus' for 'check-kernel'"
	jq -e '.command == "check-kernel" and (has("target") | not)' <<<"$output" >/dev/null
	[ -z "$stderr" ]
	run -2 --separate-stderr "$EDRDIAG" --json completion zsh
	assert_error_doc usage "expected 'bash'"
	jq -e '.command == "completion"' <<<"$output" >/dev/null
	# bad input: files and names the user gave that cannot be used
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel --kernel-config "$BATS_TEST_TMPDIR/nope"
	assert_error_doc bad_input "--kernel-config '.*/nope': No such file or directory"
	# the config was to be the target: named so, its release not the host's
	jq -e '.target.kind == "kconfig" and .target.release == null' <<<"$output" >/dev/null ||
		fail "$output"
	printf 'not a kernel config\n' >"$BATS_TEST_TMPDIR/text"
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel --kernel-config "$BATS_TEST_TMPDIR/text"
	assert_error_doc bad_input "--kernel-config"
	run -2 --separate-stderr "$EDRDIAG" --json --root "$BATS_TEST_TMPDIR/nope" check-kernel
	assert_error_doc bad_input "--root"
	sysroot healthy-6x
	run -2 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-tracepoints \
		--tracepoint sched/no_such_event
	assert_error_doc bad_input "unknown tracepoint 'sched/no_such_event'"
	jq -e '.target.kind == "bundle"' <<<"$output" >/dev/null
	# plain mode: as before, one line on stderr and nothing on stdout
	run -2 --separate-stderr "$EDRDIAG" check-kernel --kernel-config "$BATS_TEST_TMPDIR/nope"
	[ -z "$output" ]
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "edrdiag: --kernel-config '"*"': No such file or directory" ]] || fail "$stderr"
}

@test "error documents: a missing privilege is code privilege, exit 3, the target named" {
	local c
	for c in stats map-dump run-sensor; do
		unprivileged --json "$c"
		assert_equal "$c $status" "$c 3"
		assert_error_doc privilege "^$c needs BPF privilege: missing"
		jq -e --arg c "$c" '.command == $c and .target.kind == "live"' <<<"$output" >/dev/null ||
			fail "$output"
		[ -z "$stderr" ] || fail "$c: $stderr"
	done
	# a usage error is still a usage error, and comes first
	unprivileged --json stats --interval 0
	assert_equal "$status" 2
	assert_error_doc usage "--interval"
}

@test "the validation catches a change of shape: a member added, removed, retyped or renamed" {
	local doc
	run -0 "$VALIDATE_JSON" --check-schemas
	sysroot healthy-6x
	doc=$("$EDRDIAG" check-kernel --root "$ROOT" --json) || true
	"$VALIDATE_JSON" --quiet <<<"$doc" || fail "the real document is not valid"
	local change
	for change in '.new_member = 1' 'del(.kernel_config)' '.live = "yes"' \
		'.results[0].status = "ok"' '.results[0] += {"severity": 1}' \
		'.kernel.features.ringbuf.evidence = "guess"' '.edrdiag.schema = 2' \
		'del(.edrdiag)' '.target.kind = "host"' '.summary.skipped = 0'; do
		run -1 --separate-stderr "$VALIDATE_JSON" < <(jq -c "$change" <<<"$doc")
		[[ $stderr == *"check-kernel.schema.json"* ]] || fail "$change: $stderr"
	done
	# the error document: the bare string of before, an unknown code, a member too many
	run -1 --separate-stderr "$VALIDATE_JSON" <<<'{"error": "x"}'
	doc=$("$EDRDIAG" --json check-kernel --bogus) || true
	"$VALIDATE_JSON" --quiet <<<"$doc"
	for change in '.error = "x"' '.error.code = "oops"' '.status = "fail"' '.error.hint = ""'; do
		run -1 --separate-stderr "$VALIDATE_JSON" < <(jq -c "$change" <<<"$doc")
	done
	# a stream: a run-sensor event with a member too many; a document over two lines
	run -1 --separate-stderr "$VALIDATE_JSON" <<<'{"event": "exec", "seq": 1}'
	run -1 --separate-stderr "$VALIDATE_JSON" --lines < <("$EDRDIAG" --pretty --version)
}
