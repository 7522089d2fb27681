#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check-kernel --kernel-config FILE with the real distribution configs in
# $SHARED_FIXTURES/kconfig/ (see its README.md), on the healthy fixture host and on the live
# one; and --kernel-config given something that is not a config.

load helper
load ../tools/sysroot

KCONFIG=$SHARED_FIXTURES/kconfig

REQUIRED=(CONFIG_BPF CONFIG_BPF_SYSCALL CONFIG_BPF_EVENTS CONFIG_TRACEPOINTS CONFIG_PERF_EVENTS)
RECOMMENDED=(CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_DEBUG_INFO_BTF CONFIG_KPROBES
	CONFIG_KPROBE_EVENTS CONFIG_FTRACE CONFIG_DEBUG_FS)

setup() {
	# a host whose own findings all pass, so what remains comes from the config given
	sysroot healthy-6x
}

need_shared() {
	[ -d "$KCONFIG" ] ||
		skip "no $KCONFIG: the distribution configs are not beside the repository"
}

# run_config RC FILE [ARGS...]: check-kernel --root <healthy> --kernel-config FILE --json.
run_config() {
	local rc=$1 file=$2

	shift 2
	run -"$rc" --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" --kernel-config "$file" \
		--json "$@"
	assert_one_json
	# the file given is the one used, and it says so
	assert_equal "$(jq -r .kernel_config.source <<<"$output")" "$file"
	assert_equal "$(jq -r .kernel_config.user_given <<<"$output")" true
}

# expect STATUS OPTION...: each kconfig.OPTION has STATUS.
expect() {
	local st=$1 o

	shift
	for o in "$@"; do
		assert_equal "kconfig.$o $(status_of "kconfig.$o")" "kconfig.$o $st"
	done
}

kconfig_title() {
	jq -r --arg id "kconfig.$1" '.results[] | select(.id == $id) | .title' <<<"$output"
}

# The kconfig.* findings alone, to compare two runs.
kconfig_results() {
	jq -c '[.results[] | select(.id | startswith("kconfig.")) | {id, status, title}]' <<<"$output"
}

@test "upstream-defconfig-5.4: CONFIG_BPF_SYSCALL is not set, kconfig.CONFIG_BPF_SYSCALL fails, exit 1" {
	need_shared
	run_config 1 "$KCONFIG/upstream-defconfig-5.4.config"
	assert_equal "$(jq -r .status <<<"$output")" fail
	expect fail CONFIG_BPF_SYSCALL
	[[ $(kconfig_title CONFIG_BPF_SYSCALL) == *"is not set"* ]] || fail "$(kconfig_title CONFIG_BPF_SYSCALL)"
	# BPF_EVENTS depends on BPF_SYSCALL: not even a line for it
	expect fail CONFIG_BPF_EVENTS
	[[ $(kconfig_title CONFIG_BPF_EVENTS) == *"absent"* ]] || fail "$(kconfig_title CONFIG_BPF_EVENTS)"
	expect pass CONFIG_BPF CONFIG_TRACEPOINTS CONFIG_PERF_EVENTS
	expect warn CONFIG_BPF_JIT CONFIG_DEBUG_INFO_BTF
	# only the config fails: the host is the healthy one
	assert_equal "$(jq -r '[.results[] | select(.status == "fail") | .id] | join(" ")' <<<"$output")" \
		"kconfig.CONFIG_BPF_SYSCALL kconfig.CONFIG_BPF_EVENTS"
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 5.4.293
}

@test "debian-12-6.1: every kconfig item passes, exit 0" {
	need_shared
	run_config 0 "$KCONFIG/debian-12-6.1.config"
	expect pass "${REQUIRED[@]}" "${RECOMMENDED[@]}"
	assert_equal "$(jq -r .status <<<"$output")" pass
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 6.1.129
}

@test "debian-12-6.1.config.gz: read through gzip, the same findings as the plain file" {
	need_shared
	run_config 0 "$KCONFIG/debian-12-6.1.config.gz"
	expect pass "${REQUIRED[@]}" "${RECOMMENDED[@]}"
	gz=$(kconfig_results)
	run_config 0 "$KCONFIG/debian-12-6.1.config"
	# titles name the option, not the file: the .gz and the plain file read the same
	assert_equal "$gz" "$(kconfig_results)"
	[ "$(jq length <<<"$gz")" -eq 12 ]
}

@test "ubuntu-22.04-5.15: the required items pass, exit 0" {
	need_shared
	run_config 0 "$KCONFIG/ubuntu-22.04-5.15.config"
	expect pass "${REQUIRED[@]}"
	expect pass "${RECOMMENDED[@]}"
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 5.15.0-25-generic
}

@test "sles-12-sp5-4.12: no CONFIG_DEBUG_INFO_BTF (4.12 predates it): warn, exit 0" {
	need_shared
	run_config 0 "$KCONFIG/sles-12-sp5-4.12.config"
	expect warn CONFIG_DEBUG_INFO_BTF
	[[ $(kconfig_title CONFIG_DEBUG_INFO_BTF) == *"absent from the config"* ]] ||
		fail "$(kconfig_title CONFIG_DEBUG_INFO_BTF)"
	expect pass "${REQUIRED[@]}" CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_KPROBES \
		CONFIG_KPROBE_EVENTS
	assert_equal "$(jq -r .status <<<"$output")" warn
}

@test "oracle-7-rhck-3.10: every required option =y, no BTF option at all" {
	need_shared
	# grep the file for what it says, so the test states the config's facts, not the tool's
	for o in "${REQUIRED[@]}" CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_KPROBES CONFIG_FTRACE \
		CONFIG_DEBUG_FS; do
		grep -qx "$o=y" "$KCONFIG/oracle-7-rhck-3.10.config" || fail "$o is not =y in the file"
	done
	run -1 grep -q CONFIG_DEBUG_INFO_BTF "$KCONFIG/oracle-7-rhck-3.10.config"

	run_config 0 "$KCONFIG/oracle-7-rhck-3.10.config"
	expect pass "${REQUIRED[@]}" CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_KPROBES CONFIG_FTRACE \
		CONFIG_DEBUG_FS
	expect warn CONFIG_DEBUG_INFO_BTF
	# 3.10 spells it CONFIG_KPROBE_EVENT=y (renamed in 4.11): found under its old name
	grep -qx 'CONFIG_KPROBE_EVENT=y' "$KCONFIG/oracle-7-rhck-3.10.config"
	expect pass CONFIG_KPROBE_EVENTS
	jq -e '.results[] | select(.id == "kconfig.CONFIG_KPROBE_EVENTS") | .detail | test("as CONFIG_KPROBE_EVENT ")' <<<"$output"
	assert_equal "$(jq -r .status <<<"$output")" warn
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" \
		3.10.0-1160.119.1.0.5.el7.x86_64
}

@test "live host, no --root: --kernel-config upstream-defconfig-5.4 overrides the host's config, exit 1" {
	need_shared
	run -1 --separate-stderr "$EDRDIAG" check-kernel \
		--kernel-config "$KCONFIG/upstream-defconfig-5.4.config" --json
	assert_one_json
	assert_equal "$(jq -r .live <<<"$output")" true
	assert_equal "$(jq -r .kernel_config.source <<<"$output")" \
		"$KCONFIG/upstream-defconfig-5.4.config"
	expect fail CONFIG_BPF_SYSCALL
}

@test "live host, no --root: --kernel-config debian-12-6.1 makes every kconfig item pass" {
	need_shared
	run --separate-stderr "$EDRDIAG" check-kernel --kernel-config "$KCONFIG/debian-12-6.1.config" \
		--json
	assert_one_json
	assert_equal "$(jq -r .live <<<"$output")" true
	# whatever the live host's own config says (its CONFIG_KPROBES may be off), this one rules
	expect pass "${REQUIRED[@]}" "${RECOMMENDED[@]}"
}

# bad_config FILE WORD: --kernel-config FILE is bad input, in plain and in JSON mode.
bad_config() {
	local file=$1 word=$2

	run -2 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" --kernel-config "$file"
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == *"$file"* ]] || fail "stderr does not name $file: $stderr"
	[[ $stderr == *"$word"* ]] || fail "stderr does not say '$word': $stderr"

	run -2 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" --kernel-config "$file" --json
	assert_one_json
	assert_equal "$(jq -r 'keys | join(",")' <<<"$output")" error
	msg=$(jq -r .error <<<"$output")
	[[ $msg == *"$file"* ]] || fail "error does not name $file: $msg"
	[[ $msg == *"$word"* ]] || fail "error does not say '$word': $msg"
}

@test "--kernel-config DIR: exit 2, one line naming it" {
	bad_config "$BATS_TEST_TMPDIR" "directory"
}

@test "--kernel-config /bin/true (a binary): exit 2, one line naming it" {
	bad_config /bin/true "not a kernel config"
}

@test "--kernel-config truncated gzip: exit 2 at every cut, one line naming it" {
	local gz=$FIXTURES/config-gz-only/proc/config.gz size n

	size=$(stat -c %s "$gz")
	# in the magic, in the header, in the deflate data, in the 8-byte trailer
	for n in 2 9 100 $((size - 1)); do
		head -c "$n" "$gz" >"$BATS_TEST_TMPDIR/cut-$n.config.gz"
		bad_config "$BATS_TEST_TMPDIR/cut-$n.config.gz" "truncated"
	done
}

@test "--kernel-config truncated Debian config.gz: exit 2, one line naming it" {
	need_shared
	head -c 20000 "$KCONFIG/debian-12-6.1.config.gz" >"$BATS_TEST_TMPDIR/debian.config.gz"
	bad_config "$BATS_TEST_TMPDIR/debian.config.gz" "truncated"
}

@test "--kernel-config nonexistent file: exit 2, one line naming it" {
	bad_config "$BATS_TEST_TMPDIR/no-such.config" "No such file"
}

@test "--kernel-config empty file or text that is not a config: exit 2" {
	: >"$BATS_TEST_TMPDIR/empty.config"
	bad_config "$BATS_TEST_TMPDIR/empty.config" "not a kernel config"
	bad_config "$FIXTURES/healthy-6x/etc/os-release" "not a kernel config"
}
