#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check-kernel --kernel-config FILE: the config is the target. With the real distribution
# configs in tests/fixtures/kconfig/ (see tests/fixtures/README.md): kernel.release judges the
# config's own release, the distribution is guessed from the config, what only a running
# kernel can tell is skipped with the reason, and the exit code is the config's, whatever the
# host edrdiag runs on. With --root, the config replaces the tree's own. And --kernel-config
# given something that is not a config.

load helper
load ../tools/sysroot

KCONFIG=$DISTRO_CONFIGS

setup() {
	# a tree for the --root cases and the bad-input ones
	sysroot healthy-6x
}

REQUIRED=(CONFIG_BPF CONFIG_BPF_SYSCALL CONFIG_BPF_EVENTS CONFIG_TRACEPOINTS CONFIG_PERF_EVENTS)
RECOMMENDED=(CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_DEBUG_INFO_BTF CONFIG_KPROBES
	CONFIG_KPROBE_EVENTS CONFIG_FTRACE CONFIG_DEBUG_FS)
# what only a running kernel (or a bundle of one) can tell
LIVE_ONLY=(sysctl.unprivileged_bpf_disabled sysctl.bpf_jit_enable priv.capabilities btf.vmlinux
	fs.bpffs probe.tracepoint probe.ringbuf)

# run_config RC FILE [ARGS...]: check-kernel --kernel-config FILE --json, nothing else: the
# config is the target.
run_config() {
	local rc=$1 file=$2 id

	shift 2
	run -"$rc" --separate-stderr "$EDRDIAG" check-kernel --kernel-config "$file" --json "$@"
	assert_one_json
	# the file given is the one used, and it says so
	assert_equal "$(jq -r .kernel_config.source <<<"$output")" "$file"
	assert_equal "$(jq -r .kernel_config.user_given <<<"$output")" true
	assert_equal "$(jq -c '[.target.kind, .target.source]' <<<"$output")" "[\"kconfig\",\"$file\"]"
	assert_equal "$(jq -r .live <<<"$output")" false
	for id in "${LIVE_ONLY[@]}"; do
		assert_equal "$id $(status_of "$id")" "$id skip"
		[[ $(field_of "$id" detail) == "only the running kernel can tell: run edrdiag check-kernel on the host, or replay its bundle (--root)" ]] ||
			fail "$id: $(field_of "$id" detail)"
	done
	# and the release judged is the config's own
	assert_equal "$(jq -r .target.release <<<"$output")" "$(jq -r .kernel.release <<<"$output")"
	[[ $(field_of kernel.release detail) == "$(jq -r .target.release <<<"$output") (from the config's header"* ]] ||
		fail "kernel.release: $(field_of kernel.release detail)"
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

# [present, evidence] of a feature in kernel.features
feature() {
	jq -c --arg f "$1" '.kernel.features[$f] | [.present, .evidence]' <<<"$output"
}

@test "upstream-defconfig-5.4: CONFIG_BPF_SYSCALL is not set, kconfig.CONFIG_BPF_SYSCALL fails, exit 1" {
	run_config 1 "$KCONFIG/upstream-defconfig-5.4.config"
	assert_equal "$(jq -r .status <<<"$output")" fail
	expect fail CONFIG_BPF_SYSCALL
	[[ $(kconfig_title CONFIG_BPF_SYSCALL) == *"is not set"* ]] || fail "$(kconfig_title CONFIG_BPF_SYSCALL)"
	# BPF_EVENTS depends on BPF_SYSCALL: not even a line for it
	expect fail CONFIG_BPF_EVENTS
	[[ $(kconfig_title CONFIG_BPF_EVENTS) == *"absent"* ]] || fail "$(kconfig_title CONFIG_BPF_EVENTS)"
	expect pass CONFIG_BPF CONFIG_TRACEPOINTS CONFIG_PERF_EVENTS
	expect warn CONFIG_BPF_JIT CONFIG_DEBUG_INFO_BTF
	# the failures are the config's: nothing of the host edrdiag runs on
	assert_equal "$(jq -r '[.results[] | select(.status == "fail") | .id] | join(" ")' <<<"$output")" \
		"kconfig.CONFIG_BPF_SYSCALL kconfig.CONFIG_BPF_EVENTS"
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 5.4.293
	assert_equal "$(jq -r .target.release <<<"$output")" 5.4.293
	# 5.4 < 5.8: no ring buffer, a guess from the release, said to be one
	assert_equal "$(status_of kernel.release)" warn
	assert_equal "$(feature ringbuf)" '[false,"release"]'
	[[ $(field_of kernel.release detail) == *"(a release-number guess)"* ]] ||
		fail "$(field_of kernel.release detail)"
	# no lockdown LSM at all: the config tells that much
	assert_equal "$(status_of kernel.lockdown)" pass
	# nothing in a defconfig names a distribution
	assert_equal "$(status_of host.distro)" skip
}

@test "debian-12-6.1: every finding passes or skips, exit 0; its BPF is 5.11+ by its own config" {
	run_config 0 "$KCONFIG/debian-12-6.1.config"
	expect pass "${REQUIRED[@]}" "${RECOMMENDED[@]}"
	assert_equal "$(jq -r .status <<<"$output")" pass
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 6.1.129
	assert_equal "$(status_of kernel.release)" pass
	# the config knows CONFIG_DEBUG_INFO_BTF_MODULES (5.11): stronger than the release
	assert_equal "$(feature ringbuf)" '[true,"config"]'
	assert_equal "$(field_of host.distro title)" Debian
	[[ $(field_of host.distro detail) == "a hint, not a fact: guessed from Debian's compiler"* ]] ||
		fail "$(field_of host.distro detail)"
	# lockdown is possible (Secure Boot): up to the boot, not known from the config
	assert_equal "$(status_of kernel.lockdown)" skip
}

@test "debian-12-6.1.config.gz: read through gzip, the same findings as the plain file" {
	run_config 0 "$KCONFIG/debian-12-6.1.config.gz"
	expect pass "${REQUIRED[@]}" "${RECOMMENDED[@]}"
	gz=$(jq -c '[.results[] | select(.id | startswith("kconfig.") or . == "kernel.release") | {id, status, title}]' <<<"$output")
	run_config 0 "$KCONFIG/debian-12-6.1.config"
	# titles name the option, not the file: the .gz and the plain file read the same
	assert_equal "$gz" "$(jq -c '[.results[] | select(.id | startswith("kconfig.") or . == "kernel.release") | {id, status, title}]' <<<"$output")"
	# the twelve options and the release
	[ "$(jq length <<<"$gz")" -eq 13 ]
}

@test "ubuntu-22.04-5.15: everything passes, the distribution is guessed, exit 0" {
	run_config 0 "$KCONFIG/ubuntu-22.04-5.15.config"
	expect pass "${REQUIRED[@]}"
	expect pass "${RECOMMENDED[@]}"
	assert_equal "$(jq -r .kernel_config.version <<<"$output")" 5.15.0-25-generic
	assert_equal "$(jq -r .target.release <<<"$output")" 5.15.0-25-generic
	assert_equal "$(status_of kernel.release)" pass
	assert_equal "$(field_of host.distro title)" Ubuntu
	assert_equal "$(jq -r .kernel.distro_guessed <<<"$output")" true
}

@test "sles-12-sp5-4.12: 4.12 has no ring buffer and no BTF: warnings, exit 0; --strict fails" {
	run_config 0 "$KCONFIG/sles-12-sp5-4.12.config"
	expect warn CONFIG_DEBUG_INFO_BTF
	[[ $(kconfig_title CONFIG_DEBUG_INFO_BTF) == *"absent from the config"* ]] ||
		fail "$(kconfig_title CONFIG_DEBUG_INFO_BTF)"
	expect pass "${REQUIRED[@]}" CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_KPROBES \
		CONFIG_KPROBE_EVENTS
	assert_equal "$(jq -r .status <<<"$output")" warn
	# the header says 4.12.14; CONFIG_LOCALVERSION completes the release SUSE runs
	assert_equal "$(jq -r .target.release <<<"$output")" 4.12.14-122.250-default
	assert_equal "$(status_of kernel.release)" warn
	[[ $(field_of kernel.release title) == "no BPF ring buffer"* ]] ||
		fail "$(field_of kernel.release title)"
	# BPF_UNPRIV_DEFAULT_OFF (5.13) is there, backported alone: not taken for a 5.13 BPF
	grep -qx CONFIG_BPF_UNPRIV_DEFAULT_OFF=y "$KCONFIG/sles-12-sp5-4.12.config"
	assert_equal "$(feature ringbuf)" '[false,"release"]'
	assert_equal "$(field_of host.distro title)" "SUSE Linux Enterprise 12 SP5"
	# a remedy the reader can act on: SUSE's own kernel, not a rebuild
	[[ $(field_of kconfig.CONFIG_DEBUG_INFO_BTF remedy) == *"BTFHub"* ]] ||
		fail "$(field_of kconfig.CONFIG_DEBUG_INFO_BTF remedy)"
	run_config 1 "$KCONFIG/sles-12-sp5-4.12.config" --strict
}

@test "oracle-7-rhck-3.10: every required option =y; the release says nothing of RHEL 7's BPF" {
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
	# not "supports the sensor" (the live host's 6.x), nor "too old" by the number alone:
	# RHEL 7.6 and later carry eBPF tracing backported from 4.x
	assert_equal "$(status_of kernel.release)" warn
	[[ $(field_of kernel.release title) == *"not known for this kernel" ]] ||
		fail "$(field_of kernel.release title)"
	assert_equal "$(feature tracepoint_prog)" '[null,"release"]'
	[[ $(field_of host.distro title) == "RHEL 7 family"* ]] || fail "$(field_of host.distro title)"
	assert_equal "$(status_of kernel.lockdown)" pass
}

@test "every distribution config: the verdicts are the config's, whatever runs edrdiag" {
	local f rc a
	for f in "$KCONFIG"/*.config "$KCONFIG"/*.config.gz; do
		rc=0
		"$EDRDIAG" check-kernel --kernel-config "$f" >/dev/null 2>&1 || rc=$?
		a=$("$EDRDIAG" check-kernel --kernel-config "$f" --json | jq -c '[.status, [.results[] | {id, status, title}]]')
		[ "$rc" -le 1 ] || fail "$f: exit $rc"
		assert_equal "$f $(jq -r '.[0]' <<<"$a" | sed 's/pass/0/; s/warn/0/; s/fail/1/')" "$f $rc"
		# a user without privilege (no probe, no tracefs) is told exactly the same: nothing
		# of the machine edrdiag runs on enters a config's verdicts
		unprivileged check-kernel --kernel-config "$f" --json
		assert_one_json
		assert_equal "$(jq -c '[.status, [.results[] | {id, status, title}]]' <<<"$output")" "$a"
	done
}

@test "--kernel-config with --root: the config replaces the tree's own; the tree stays the target" {
	sysroot healthy-6x
	run -1 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" \
		--kernel-config "$KCONFIG/upstream-defconfig-5.4.config" --json
	assert_one_json
	assert_equal "$(jq -r .target.kind <<<"$output")" bundle
	assert_equal "$(jq -r .kernel_config.source <<<"$output")" "$KCONFIG/upstream-defconfig-5.4.config"
	# the tree's own release (6.18), not the config's
	assert_equal "$(jq -r .target.release <<<"$output")" "$(cat "$ROOT/proc/sys/kernel/osrelease")"
	expect fail CONFIG_BPF_SYSCALL
	assert_equal "$(status_of sysctl.unprivileged_bpf_disabled)" pass
}

@test "plain output names the target in one header line" {
	run -0 --separate-stderr "$EDRDIAG" --no-color check-kernel \
		--kernel-config "$KCONFIG/ubuntu-22.04-5.15.config"
	assert_equal "${lines[0]}" "target: kernel config $KCONFIG/ubuntu-22.04-5.15.config, kernel 5.15.0-25-generic (from the config's header)"
	[ "$(grep -c '^target: ' <<<"$output")" -eq 1 ]
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
	assert_error_doc bad_input
	msg=$(jq -r .error.message <<<"$output")
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
