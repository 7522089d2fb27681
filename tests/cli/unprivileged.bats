#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The unprivileged sweep: every command of the table run by a user without capabilities
# (uid 65534 through setpriv: helper.bash's unprivileged). A command that needs BPF privilege
# exits 3 before doing anything, in one line naming the missing capabilities; the others work
# and say in their findings (or collect-report's manifest) what the missing privilege kept
# from them; verdicts read from a --root tree do not depend on who reads it (edrdiag(8), EXIT
# STATUS and SYSROOT). The commands are read from `edrdiag help`, and each must have an
# expectation below: a new command fails this suite until someone says what it does without
# privilege.

load helper
load hoststate
load ../tools/sysroot

# What each command of the table does without privilege, and whether it reads only the live
# host:
#   bpf   CMD_NEEDS_BPF in its struct cmd: exit 3 before anything, one line naming what misses
#   runs  works, reporting what it could not see
#   live  CMD_LIVE_ONLY: --root DIR (other than /) is a usage error, before the privilege check
#   dir   reads a results tree given as its argument, no host file and no BPF: the same
#         verdicts for any reader of the tree (fleet.bats)
#   obj   takes a BPF object as its argument: opens it and reports its facts, every load
#         refused with perm.no-capability, exit 3 (checkobject.bats); under --root it loads
#         nothing and needs no privilege (report.bats)
declare -gA EXPECT=(
	[check-kernel]=runs
	[check-tracepoints]=runs
	[run-sensor]="bpf live"
	[stats]="bpf live"
	[map-dump]="bpf live"
	[collect-report]="runs live"
	[export]="bpf live"
	[fleet-summary]=dir
	[check-object]=obj
)

# Commands that exist today: a parsing mistake that reads fewer cannot make the sweep vacuous.
KNOWN=(check-kernel check-tracepoints run-sensor stats map-dump collect-report export
	fleet-summary check-object)

# The one line a command that needs BPF privilege prints (caps_can_trace names what misses).
NEEDS_BPF_RE='needs BPF privilege: missing [A-Z_, ()]*(CAP_BPF|CAP_PERFMON|CAP_SYS_ADMIN)'

setup_file() {
	host_state_save
}

setup() {
	mapfile -t CMDS < <(help_commands)
	# Where the commands run: a directory uid 65534 may write, so that a file one of them
	# leaves (collect-report writes in the current directory by default) is seen here.
	WORK=$(mktemp -d /tmp/edrdiag-unpriv-wd.XXXXXX)
	chmod 755 "$WORK"
	[ "$(id -u)" -ne 0 ] || chown 65534:65534 "$WORK"
	# world-readable copies of fixtures and configs: the checkout may be root-only
	UROOT=$(mktemp -d /tmp/edrdiag-unpriv-root.XXXXXX)
	chmod 755 "$UROOT"
	cd "$WORK" || fail "cannot enter $WORK"
	# whom unprivileged() runs as
	UNPRIV_UID=$(id -u)
	[ "$UNPRIV_UID" -ne 0 ] || UNPRIV_UID=65534
}

teardown() {
	cd / || true
	rm -rf "$WORK" "$UROOT"
}

# cmds_of WORD: the commands of `edrdiag help` whose expectation has WORD, into CMDS_OF; never
# none.
cmds_of() {
	local c
	CMDS_OF=()
	for c in "${CMDS[@]}"; do
		[[ " ${EXPECT[$c]:-} " != *" $1 "* ]] || CMDS_OF+=("$c")
	done
	[ "${#CMDS_OF[@]}" -gt 0 ] || fail "no command of 'edrdiag help' is expected to be '$1'"
}

# The working directory is as empty as the command found it.
assert_nothing_written() {
	local left
	left=$(find "$WORK" -mindepth 1)
	[ -z "$left" ] || fail "$1 left files behind: $left"
}

# [id, status] of every finding in the JSON document on $output, except those in $1 (a regex).
verdicts() {
	printf '%s' "$output" |
		jq -c --arg skip "${1:-^$}" '[.results[] | select(.id | test($skip) | not) | [.id, .status]]'
}

# A copy of fixture $1 that uid 65534 can read (the checkout keeps some fixture files
# root-only, as they were copied from a live tracefs), with BTF as tests/tools/sysroot.bash
# generates it; sets FIX.
readable_fixture() {
	FIX=$UROOT/$1
	cp -R "$FIXTURES/$1" "$FIX" || fail "cannot copy fixture $1"
	if [ -d "$FIX/sys/kernel/btf" ]; then
		mkbtf_to "$FIX"
	fi
	chmod -R a+rX "$FIX"
}

# compare_root_unprivileged CMD: for every fixture, `CMD --root` gives the same exit status and
# the same [id, status] list as root and as uid 65534.
compare_root_unprivileged() {
	local cmd=$1 dir name n=0 want wrc
	require_root
	for dir in "$FIXTURES"/*/; do
		name=$(basename "$dir")
		readable_fixture "$name"
		run --separate-stderr "$EDRDIAG" --json --root "$FIX" "$cmd"
		assert_one_json
		want=$(verdicts)
		wrc=$status
		[ "$want" != "[]" ] || fail "$cmd --root $name: no finding as root"
		unprivileged --json --root "$FIX" "$cmd"
		assert_one_json
		assert_equal "$name: exit $status $(verdicts)" "$name: exit $wrc $want"
		n=$((n + 1))
	done
	[ "$n" -ge 10 ] || fail "only $n fixtures under $FIXTURES"
}

@test "the commands of 'edrdiag help' are the known ones, each with an expectation here" {
	local c
	[ "${#CMDS[@]}" -gt 0 ] || fail "no command read from 'edrdiag help'"
	for c in "${KNOWN[@]}"; do
		printf '%s\n' "${CMDS[@]}" | grep -qx -- "$c" ||
			fail "'edrdiag help' does not list $c (read: ${CMDS[*]})"
	done
	for c in "${CMDS[@]}"; do
		[ -n "${EXPECT[$c]:-}" ] ||
			fail "$c: no expectation in $BATS_TEST_FILENAME: say what it does without privilege"
	done
	for c in "${!EXPECT[@]}"; do
		printf '%s\n' "${CMDS[@]}" | grep -qx -- "$c" ||
			fail "an expectation for $c, which 'edrdiag help' does not list"
	done
}

# The names of the struct cmd in cmd/*.c whose .flags have flag $1, one a line, sorted.
flagged_in_source() {
	awk -v flag="$1" '/^const struct cmd cmd_/ { inb = 1; name = ""; has = 0 }
		inb && /\.name = "/ { match($0, /"[^"]+"/); name = substr($0, RSTART + 1, RLENGTH - 2) }
		inb && /\.flags =/ && index($0, flag) { has = 1 }
		inb && /^};/ { if (has) print name; inb = 0 }' "$TOP"/cmd/*.c | sort
}

@test "the expectations here are the table's flags in cmd/: CMD_NEEDS_BPF, CMD_LIVE_ONLY" {
	local src
	cmds_of bpf
	src=$(flagged_in_source CMD_NEEDS_BPF)
	[ -n "$src" ] || fail "no CMD_NEEDS_BPF command found in $TOP/cmd/*.c"
	assert_equal "$(printf '%s\n' "${CMDS_OF[@]}" | sort)" "$src"
	cmds_of live
	src=$(flagged_in_source CMD_LIVE_ONLY)
	[ -n "$src" ] || fail "no CMD_LIVE_ONLY command found in $TOP/cmd/*.c"
	assert_equal "$(printf '%s\n' "${CMDS_OF[@]}" | sort)" "$src"
}

@test "unprivileged: a command that needs BPF privilege exits 3, one line naming the capabilities" {
	local c
	cmds_of bpf
	for c in "${CMDS_OF[@]}"; do
		unprivileged "$c"
		[ "$status" -eq 3 ] || fail "$c: exit $status, expected 3 (stderr: $stderr)"
		[ -z "$output" ] || fail "$c: something on stdout: $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "$c: not one line on stderr: $stderr"
		[[ $stderr =~ ^edrdiag:\ $c\ $NEEDS_BPF_RE ]] || fail "$c: $stderr"
		assert_nothing_written "$c"
	done
}

@test "unprivileged --json: a command that needs BPF privilege prints only the error document" {
	local c
	cmds_of bpf
	for c in "${CMDS_OF[@]}"; do
		unprivileged --json "$c"
		if [ "$c" = export ]; then
			# its output is the Prometheus text, never JSON: a usage error, which
			# comes before the privilege check as every usage error does
			[ "$status" -eq 2 ] || fail "$c: exit $status, expected 2"
			assert_error_doc usage "^export writes the Prometheus text format"
			continue
		fi
		[ "$status" -eq 3 ] || fail "$c: exit $status, expected 3"
		# nothing that could pass for a report: the error alone, naming what is missing
		assert_error_doc privilege "^$c $NEEDS_BPF_RE"
		[ -z "$stderr" ] || fail "$c --json: stderr not empty: $stderr"
		assert_nothing_written "$c"
	done
}

@test "unprivileged: usage errors come before the privilege check: exit 2 for every command" {
	local c
	[ "${#CMDS[@]}" -gt 0 ] || fail "no command read from 'edrdiag help'"
	for c in "${CMDS[@]}"; do
		unprivileged "$c" --no-such-option
		[ "$status" -eq 2 ] || fail "$c --no-such-option: exit $status, expected 2"
		[ -z "$output" ] || fail "$c: something on stdout: $output"
		assert_equal "$stderr" "edrdiag: unknown option '--no-such-option' for '$c'"
		unprivileged "$c" stray-argument
		[ "$status" -eq 2 ] || fail "$c stray-argument: exit $status, expected 2"
		assert_nothing_written "$c"
	done
}

@test "unprivileged: --root is a usage error for a live-only command, before the privilege check" {
	local c
	cmds_of live
	for c in "${CMDS_OF[@]}"; do
		unprivileged --root "$UROOT" "$c"
		[ "$status" -eq 2 ] || fail "$c --root: exit $status, expected 2 (stderr: $stderr)"
		assert_equal "$stderr" "edrdiag: $c reads the running kernel: --root does not apply"
		[ -z "$output" ] || fail "$c: something on stdout: $output"
		assert_nothing_written "$c"
	done
}

@test "unprivileged: -h, --help and 'help CMD' print each command's usage, exit 0" {
	local c form
	[ "${#CMDS[@]}" -gt 0 ] || fail "no command read from 'edrdiag help'"
	for c in "${CMDS[@]}"; do
		for form in "$c -h" "$c --help" "help $c"; do
			# shellcheck disable=SC2086 # the form is words
			unprivileged $form
			[ "$status" -eq 0 ] || fail "$form: exit $status: $stderr"
			[[ ${lines[0]} == "Usage: edrdiag $c "* ]] || fail "$form: ${lines[0]}"
			[[ $output == *"See edrdiag-$c(8)."* ]] || fail "$form: no man page named"
			[ -z "$stderr" ] || fail "$form: stderr: $stderr"
		done
	done
	assert_nothing_written "help"
}

@test "unprivileged: help and --version exit 0" {
	local c re
	unprivileged help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	for c in "${KNOWN[@]}"; do
		[[ $output == *"  $c "* ]] || fail "help does not list $c"
	done
	unprivileged --version
	[ "$status" -eq 0 ]
	re='^edrdiag [0-9]+\.[0-9]+\.[0-9]+ \(libbpf v?[0-9]'
	[[ $output =~ $re ]] || fail "$output"
}

@test "unprivileged --json: a command that works without privilege gives its report, no error" {
	local c
	cmds_of runs
	for c in "${CMDS_OF[@]}"; do
		unprivileged --json "$c"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "$c: exit $status: $stderr"
		assert_one_json
		printf '%s' "$output" | jq -e --arg c "$c" '.command == $c and (has("error") | not)' \
			>/dev/null || fail "$c: $output"
		# the exit status is the report's (edrdiag(8), EXIT STATUS); collect-report has none
		case $(printf '%s' "$output" | jq -r '.status // "none"') in
		pass | warn) [ "$status" -eq 0 ] || fail "$c: report passes, exit $status" ;;
		fail) [ "$status" -eq 1 ] || fail "$c: report fails, exit $status" ;;
		none) [ "$status" -eq 0 ] || fail "$c: exit $status" ;;
		*) fail "$c: status $(printf '%s' "$output" | jq .status)" ;;
		esac
	done
}

@test "unprivileged check-kernel: priv.capabilities warns naming what is missing, probes skip" {
	unprivileged --json check-kernel
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "exit $status: $stderr"
	assert_one_json
	assert_equal "$(status_of priv.capabilities)" warn
	printf '%s' "$output" | jq -e '.results[] | select(.id == "priv.capabilities") |
		(.detail | test("uid [0-9]+, effective capabilities 0: missing .*CAP_(BPF|PERFMON|SYS_ADMIN)"))
		and (.remedy | test("as root"))' >/dev/null || fail "$output"
	assert_equal "$(status_of probe.tracepoint)" skip
	assert_equal "$(status_of probe.ringbuf)" skip
	# the plain report says the same, in its table
	unprivileged check-kernel
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	[[ $output =~ WARN\ +priv.capabilities ]] || fail "$output"
	[[ $output == *"missing CAP_"* ]] || fail "$output"
	[[ $output =~ SKIP\ +probe.tracepoint ]] || fail "$output"
	assert_nothing_written check-kernel
}

@test "unprivileged check-kernel --kernel-config FILE, plain and gzip: root's kconfig verdicts" {
	local f cfg n want
	require_root
	for f in "$DISTRO_CONFIGS/debian-12-6.1.config" \
		"$DISTRO_CONFIGS/debian-12-6.1.config.gz"; do
		cp "$f" "$UROOT/" || fail "no $f"
	done
	chmod 644 "$UROOT"/*
	for cfg in "$UROOT/debian-12-6.1.config" "$UROOT/debian-12-6.1.config.gz"; do
		run --separate-stderr "$EDRDIAG" --json check-kernel --kernel-config "$cfg"
		assert_one_json
		# the capabilities and the live probes are the caller's own, and differ
		want=$(verdicts '^(priv\.|probe\.)')
		n=$(printf '%s' "$output" | jq '[.results[] | select(.id | startswith("kconfig."))] | length')
		[ "$n" -ge 12 ] || fail "$cfg: only $n kconfig findings as root"
		unprivileged --json check-kernel --kernel-config "$cfg"
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "$cfg: exit $status: $stderr"
		assert_one_json
		assert_equal "$(verdicts '^(priv\.|probe\.)')" "$want"
		printf '%s' "$output" | jq -e --arg f "$cfg" '.results[] |
			select(.id == "kconfig.CONFIG_BPF_SYSCALL") | .detail | contains($f)' >/dev/null ||
			fail "$cfg: the finding does not name the file read"
	done
}

@test "unprivileged check-kernel --root FIXTURE: root's verdicts and exit status, every fixture" {
	compare_root_unprivileged check-kernel
}

@test "unprivileged check-tracepoints --root FIXTURE: root's verdicts and exit status, every fixture" {
	compare_root_unprivileged check-tracepoints
}

@test "unprivileged check-tracepoints, root-only tracefs: fs.tracefs 'not readable', exit 1" {
	local tp
	grep -qE '^[^ ]+ [^ ]+ (tracefs|debugfs) ' /proc/mounts || skip "neither tracefs nor debugfs mounted"
	# documented in edrdiag-check-tracepoints(8): a standard place exists but cannot be read
	unprivileged --json check-tracepoints
	if [ "$(status_of fs.tracefs)" = pass ]; then
		skip "tracefs is readable by uid $UNPRIV_UID here: the root-only case cannot happen"
	fi
	[ "$status" -eq 1 ] || fail "exit $status: $stderr"
	assert_one_json
	printf '%s' "$output" | jq -e '.results[0] | .id == "fs.tracefs" and .status == "fail" and
		.title == "tracefs is mounted but not readable" and
		(.detail | test("is not readable by uid [0-9]+")) and (.remedy | test("as root"))' \
		>/dev/null || fail "$(printf '%s' "$output" | jq -c '.results[0]')"
	printf '%s' "$output" | jq -e '.tracing.tracefs == null' >/dev/null
	for tp in $(printf '%s' "$output" | jq -r '.results[] | select(.id | startswith("tracepoint.")) | .id'); do
		assert_equal "$tp $(status_of "$tp")" "$tp skip"
	done
	[ -n "${tp:-}" ] || fail "no tracepoint finding"
	unprivileged check-tracepoints
	[ "$status" -eq 1 ]
	[[ $output =~ FAIL\ +fs.tracefs\ +tracefs\ is\ mounted\ but\ not\ readable ]] || fail "$output"
	[[ $output != *"not mounted"* ]] || fail "says not mounted: $output"
}

@test "unprivileged collect-report: the bundle is written; what needed privilege is recorded" {
	local bundle root why p
	unprivileged --json collect-report --timeout 3
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	assert_one_json
	bundle=$(find "$WORK" -maxdepth 1 -name 'edrdiag-report-*.tar.gz')
	[ "$(grep -c . <<<"$bundle")" -eq 1 ] || fail "expected one archive in $WORK: $bundle"
	assert_equal "$(stat -c '%a %u' "$bundle")" "600 $UNPRIV_UID"
	mkdir "$WORK/x"
	tar xzf "$bundle" -C "$WORK/x"
	root=$(find "$WORK/x" -mindepth 1 -maxdepth 1 -type d)
	item() {
		jq -r --arg p "$1" --arg k "$2" '.items[] | select(.path == $p) | .[$k]' \
			"$root/manifest.json"
	}
	# edrdiag's own privileged commands: run, refused with 3, their error kept
	for p in commands/edrdiag-map-list.json commands/edrdiag-stats.json; do
		assert_equal "$p $(item "$p" exit_status)" "$p 3"
		jq -e --arg re "$NEEDS_BPF_RE" '.error.message | test($re)' "$root/$p" >/dev/null ||
			fail "$p: $(cat "$root/$p")"
	done
	# its checks ran, and say what the missing privilege hid
	jq -e '.results[] | select(.id == "priv.capabilities") | .status == "warn"' \
		"$root/commands/edrdiag-check-kernel.json" >/dev/null
	if command -v bpftool >/dev/null; then
		[ "$(item commands/bpftool-prog-list.json exit_status)" != 0 ] ||
			fail "bpftool prog list succeeded without privilege?"
	fi
	# tracefs that uid 65534 cannot read is "permission denied", not "absent"
	if [ "$(item sys/kernel/tracing collected)" = false ]; then
		why=$(item sys/kernel/tracing why)
		[[ $why == "permission denied: "* ]] || fail "tracefs: $why"
		printf '%s' "$output" | jq -e --arg w "$why" \
			'.not_collected | any(.path == "sys/kernel/tracing" and .why == $w)' >/dev/null
	fi
	assert_equal "$(item commands/uname-a.txt exit_status)" 0
}

@test "unprivileged collect-report into a directory it cannot write: exit 3, nothing left" {
	local ro=$UROOT/ro
	mkdir "$ro"
	chmod 555 "$ro"
	unprivileged collect-report --output "$ro"
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "$stderr"
	[[ $stderr == "edrdiag: "*"$ro"* ]] || fail "$stderr"
	[ -z "$(find "$ro" -mindepth 1)" ] || fail "left in $ro: $(ls -A "$ro")"
	assert_nothing_written collect-report
}

@test "unprivileged collect-report --dry-run and --template print, and write nothing" {
	unprivileged collect-report --dry-run
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[[ ${lines[0]} == "Would collect "*" items (nothing written):" ]] || fail "${lines[0]}"
	unprivileged collect-report --template
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[[ ${lines[0]} == "# "* ]] || fail "${lines[0]}"
	assert_nothing_written collect-report
}

@test "the unprivileged sweep leaves the host as it found it" {
	assert_host_unchanged
}

@test "unprivileged check-object OBJ: facts reported, each load refused with perm.no-capability, exit 3" {
	command -v clang >/dev/null || skip "clang not installed"
	local inc
	inc=/usr/include/$(gcc -print-multiarch 2>/dev/null || uname -m)-linux-gnu
	[ -d "$inc" ] || inc=/usr/include/$(uname -m)-linux-gnu
	printf '%s\n' '#include <linux/bpf.h>' '#include <bpf/bpf_helpers.h>' \
		'SEC("tracepoint/sched/sched_process_exec") int tp(void *c) { return 0; }' \
		'char L[] SEC("license") = "GPL";' >"$UROOT/p.bpf.c"
	clang -O2 -target bpf -I"$inc" -c "$UROOT/p.bpf.c" -o "$UROOT/p.bpf.o"
	chmod 644 "$UROOT/p.bpf.o"
	unprivileged --json check-object "$UROOT/p.bpf.o"
	[ "$status" -eq 3 ] || fail "exit $status: $stderr"
	assert_one_json
	printf '%s' "$output" | jq -e '(has("error") | not) and .status == "fail" and
		(.programs[0] | .name == "tp" and .stage == "permission" and
			.cause == "perm.no-capability" and .errno == 1 and (.remedy | test("root"))) and
		(.results[] | select(.id == "program.tp") | .detail | test("missing .*CAP_"))' \
		>/dev/null || fail "$output"
	assert_nothing_written check-object
	# under --root the target is the tree: nothing to load, no privilege needed, and the
	# verdict is not "permission" (the stored run is not there: judged by the tree alone)
	unprivileged --json --root "$UROOT" check-object "$UROOT/p.bpf.o"
	[ "$status" -le 1 ] || fail "exit $status under --root: $stderr"
	assert_one_json
	printf '%s' "$output" | jq -e '.target.kind == "bundle" and
		(.programs[0] | .judged == "static" and .verdict == "skip")' >/dev/null || fail "$output"
	assert_nothing_written check-object
}
