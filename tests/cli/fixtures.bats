#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check-kernel and check-tracepoints against the fixture sysroots in tests/fixtures/ (see its
# README.md): hosts we don't have, seen through --root. Each test copies its fixture to
# $BATS_TEST_TMPDIR (sysroot), so it may change it, and BTF is generated there by mkbtf.

load helper
load ../tools/sysroot

# The statuses of all findings whose id starts with a prefix, one per line.
statuses_with_prefix() {
	printf '%s' "$output" | jq -r --arg p "$1" \
		'.results[] | select(.id | startswith($p)) | .status'
}

assert_status() {
	assert_equal "$(status_of "$1")" "$2"
}

assert_overall() {
	assert_equal "$(printf '%s' "$output" | jq -r .status)" "$1"
}

# Ids of findings that are neither pass nor skip.
not_passing() {
	printf '%s' "$output" | jq -r '.results[] | select(.status != "pass" and .status != "skip") | .id'
}

KCONFIG_IDS=(CONFIG_BPF CONFIG_BPF_SYSCALL CONFIG_BPF_EVENTS CONFIG_TRACEPOINTS CONFIG_PERF_EVENTS
	CONFIG_BPF_JIT CONFIG_HAVE_EBPF_JIT CONFIG_DEBUG_INFO_BTF CONFIG_KPROBES CONFIG_KPROBE_EVENTS
	CONFIG_FTRACE CONFIG_DEBUG_FS)

# Each kconfig.* finding the command promises, with the given status.
assert_kconfig_all() {
	local o

	for o in "${KCONFIG_IDS[@]}"; do
		assert_equal "kconfig.$o $(status_of "kconfig.$o")" "kconfig.$o $1"
	done
}

TRACEPOINTS=(sched/sched_process_exec sched/sched_process_fork sched/sched_process_exit
	syscalls/sys_enter_execve)

# ---------------------------------------------------------------------------------------
# check-kernel

@test "check-kernel healthy-6x: every check passes, only the live-only ones skip" {
	sysroot healthy-6x
	run_json 0 check-kernel
	assert_overall pass
	assert_equal "$(not_passing)" ""
	assert_kconfig_all pass
	for id in kernel.release host.distro sysctl.unprivileged_bpf_disabled \
		sysctl.bpf_jit_enable btf.vmlinux fs.bpffs kernel.lockdown; do
		assert_equal "$id $(status_of $id)" "$id pass"
	done
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel.release')" 6.18.4-200.fc43.x86_64
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.source')" \
		/boot/config-6.18.4-200.fc43.x86_64
	assert_equal "$(printf '%s' "$output" | jq -r '.live')" false
	assert_equal "$(printf '%s' "$output" | jq -r '.root')" "$ROOT"
	assert_equal "$(printf '%s' "$output" | jq '.summary.fail + .summary.warn + .summary.error')" 0
}

@test "check-kernel --root: priv.capabilities, probe.tracepoint, probe.ringbuf skip on every fixture" {
	local f

	for f in healthy-6x no-btf unpriv-2 lockdown-confidentiality no-config config-gz-only \
		old-kernel-4.19 too-old-3.10; do
		sysroot "$f"
		run --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" --json
		assert_one_json
		for id in priv.capabilities probe.tracepoint probe.ringbuf; do
			assert_equal "$f $id $(status_of $id)" "$f $id skip"
		done
		# the live process's capabilities are not the fixture host's, and a fixture holds
		# no check-kernel run of its host's to replay
		assert_equal "$f $(field_of priv.capabilities detail | grep -c 'not of the host')" \
			"$f 1"
	done
}

@test "check-kernel healthy-6x as committed (no vmlinux beside .keep): btf.vmlinux warns of the contradiction" {
	ROOT=$FIXTURES/healthy-6x
	[ ! -e "$ROOT/sys/kernel/btf/vmlinux" ] || fail "the committed fixture must not carry vmlinux"
	run_json 0 check-kernel
	assert_overall warn
	assert_status btf.vmlinux warn
	assert_equal "$(not_passing)" btf.vmlinux
	field_of btf.vmlinux detail | grep -q 'contradiction: CONFIG_DEBUG_INFO_BTF=y' ||
		fail "detail does not name the contradiction: $(field_of btf.vmlinux detail)"
}

@test "check-kernel: a vmlinux without the BTF magic fails btf.vmlinux" {
	sysroot healthy-6x
	printf 'ELF not BTF' >"$ROOT/sys/kernel/btf/vmlinux"
	run_json 1 check-kernel
	assert_status btf.vmlinux fail
	assert_equal "$(not_passing)" btf.vmlinux
	field_of btf.vmlinux detail | grep -q '11 bytes: shorter than the 24-byte BTF header'
	# an empty file is not BTF either, and no privilege would make it so
	: >"$ROOT/sys/kernel/btf/vmlinux"
	run_json 1 check-kernel
	assert_status btf.vmlinux fail
	field_of btf.vmlinux detail | grep -q ': 0 bytes: shorter than the 24-byte BTF header'
	assert_equal "$(field_of btf.vmlinux remedy)" null
	# long enough, but another magic
	head -c 4096 /dev/zero >"$ROOT/sys/kernel/btf/vmlinux"
	run_json 1 check-kernel
	field_of btf.vmlinux detail | grep -q 'bad magic 0x0000: not BTF (0xeb9f)' ||
		fail "$(field_of btf.vmlinux detail)"
}

@test "check-kernel no-btf: CONFIG_DEBUG_INFO_BTF and btf.vmlinux warn, without a contradiction" {
	sysroot no-btf
	[ ! -e "$ROOT/sys/kernel/btf" ]
	run_json 0 check-kernel
	assert_overall warn
	assert_status kconfig.CONFIG_DEBUG_INFO_BTF warn
	assert_status btf.vmlinux warn
	assert_equal "$(not_passing | sort | tr '\n' ' ')" "btf.vmlinux kconfig.CONFIG_DEBUG_INFO_BTF "
	assert_equal "$(field_of btf.vmlinux detail | grep -c contradiction)" 0
	field_of btf.vmlinux remedy | grep -q 'BTFHub'
	# no lockdown LSM built in: the config says so, the missing file is not a question
	assert_status kernel.lockdown pass
	field_of kernel.lockdown detail | grep -q 'CONFIG_SECURITY_LOCKDOWN_LSM is not set'
}

@test "check-kernel unpriv-2: the sysctl passes and the finding says not to set it to 0" {
	sysroot unpriv-2
	run_json 0 check-kernel
	assert_overall pass
	assert_status sysctl.unprivileged_bpf_disabled pass
	assert_equal "$(field_of sysctl.unprivileged_bpf_disabled remedy)" null
	field_of sysctl.unprivileged_bpf_disabled detail | grep -q 'do not set it to 0' ||
		fail "detail: $(field_of sysctl.unprivileged_bpf_disabled detail)"
	# nothing anywhere tells the user to lower it
	run jq -r '.results[].remedy // empty' <<<"$output"
	refute_output --regexp 'unprivileged_bpf_disabled *= *0|echo 0'
}

@test "check-kernel: unprivileged_bpf_disabled=0 warns and the remedy raises it to 2" {
	sysroot unpriv-2
	echo 0 >"$ROOT/proc/sys/kernel/unprivileged_bpf_disabled"
	run_json 0 check-kernel
	assert_overall warn
	assert_status sysctl.unprivileged_bpf_disabled warn
	field_of sysctl.unprivileged_bpf_disabled remedy | grep -q 'unprivileged_bpf_disabled=2'
}

@test "check-kernel lockdown-confidentiality: kernel.lockdown fails with a remedy" {
	sysroot lockdown-confidentiality
	run_json 1 check-kernel
	assert_overall fail
	assert_status kernel.lockdown fail
	assert_equal "$(not_passing)" kernel.lockdown
	field_of kernel.lockdown remedy | grep -q 'lockdown=integrity' ||
		fail "remedy: $(field_of kernel.lockdown remedy)"
}

@test "check-kernel: lockdown=integrity passes (only confidentiality blocks the sensor)" {
	sysroot lockdown-confidentiality
	echo 'none [integrity] confidentiality' >"$ROOT/sys/kernel/security/lockdown"
	run_json 0 check-kernel
	assert_status kernel.lockdown pass
	field_of kernel.lockdown title | grep -q integrity
}

@test "check-kernel no-config: every kconfig.* skips, and they alone do not fail the run" {
	sysroot no-config
	run_json 0 check-kernel
	assert_kconfig_all skip
	assert_equal "$(statuses_with_prefix kconfig. | sort -u)" skip
	refute [ "$(printf '%s' "$output" | jq -r .status)" = fail ]
	assert_equal "$(not_passing)" ""
	field_of kconfig.CONFIG_BPF_SYSCALL remedy | grep -q -- '--kernel-config'
	# the detail lists every place looked at
	field_of kconfig.CONFIG_BPF detail | grep -q '/boot/config-6.18.4-custom: absent'
	field_of kconfig.CONFIG_BPF detail | grep -q '/proc/config.gz: absent'
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.source')" null
	assert_equal "$(printf '%s' "$output" | jq -r '[.kernel_config.options[].state] | unique | join(",")')" \
		unknown
}

@test "check-kernel no-config with /lib/modules/<release>/config: found there" {
	sysroot no-config
	mkdir -p "$ROOT/lib/modules/6.18.4-custom"
	cp "$FIXTURES/healthy-6x/boot/config-6.18.4-200.fc43.x86_64" \
		"$ROOT/lib/modules/6.18.4-custom/config"
	run_json 0 check-kernel
	assert_kconfig_all pass
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.source')" \
		/lib/modules/6.18.4-custom/config
}

@test "check-kernel config-gz-only: /proc/config.gz is read" {
	sysroot config-gz-only
	run_json 0 check-kernel
	assert_overall pass
	assert_kconfig_all pass
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.source')" /proc/config.gz
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.version')" 6.18.4-arch1
	assert_equal "$(printf '%s' "$output" | jq -r '.kernel_config.tried[0].result')" absent
}

@test "check-kernel: a truncated /proc/config.gz on the host leaves kconfig.* unknown, saying why" {
	sysroot config-gz-only
	head -c 100 "$FIXTURES/config-gz-only/proc/config.gz" >"$ROOT/proc/config.gz"
	run_json 0 check-kernel
	assert_kconfig_all skip
	field_of kconfig.CONFIG_BPF detail | grep -q '/proc/config.gz: truncated gzip' ||
		fail "detail: $(field_of kconfig.CONFIG_BPF detail)"
}

@test "check-kernel old-kernel-4.19: kernel.release warns (no ring buffer), exit 0" {
	sysroot old-kernel-4.19
	run_json 0 check-kernel
	assert_overall warn
	assert_status kernel.release warn
	field_of kernel.release title | grep -q 'perf buffer'
	# no BTF, no probe: a guess from the release, said to be one
	field_of kernel.release detail | grep -q 'ring buffer: no: 4.19 < 5.8, .*(a release-number guess)'
	assert_equal "$(jq -r .kernel.features.ringbuf.evidence <<<"$output")" release
	assert_equal "$(statuses_with_prefix kconfig.CONFIG_BPF | sort -u)" pass
	assert_equal "$(printf '%s' "$output" | jq -r .strict)" false
}

@test "check-kernel --strict old-kernel-4.19: the warnings fail the run, exit 1" {
	sysroot old-kernel-4.19
	run_json 1 --strict check-kernel
	assert_overall fail
	assert_equal "$(printf '%s' "$output" | jq -r .strict)" true
	# the findings themselves stay warnings; only the verdict changes
	assert_status kernel.release warn
	assert_equal "$(printf '%s' "$output" | jq '.summary.fail')" 0
}

@test "check-kernel --strict healthy-6x: nothing to warn about, still exit 0" {
	sysroot healthy-6x
	run_json 0 check-kernel --strict
	assert_overall pass
}

@test "check-kernel too-old-3.10: kernel.release fails, exit 1" {
	sysroot too-old-3.10
	run_json 1 check-kernel
	assert_overall fail
	assert_status kernel.release fail
	field_of kernel.release remedy | grep -q '5.8'
	# no such sysctl before 4.4: unknown, not a failure
	assert_status sysctl.unprivileged_bpf_disabled skip
	assert_equal "$(printf '%s' "$output" | jq '[.results[] | select(.status == "fail")] | length')" 1
}

@test "check-kernel CentOS 7.6+ (3.10.0-1160.el7): the release says nothing of BPF, kernel.release warns" {
	sysroot too-old-3.10
	# RHEL 7.6 (3.10.0-940) brought eBPF tracing back from 4.x kernels
	echo 3.10.0-1160.119.1.el7.x86_64 >"$ROOT/proc/sys/kernel/osrelease"
	mv "$ROOT"/boot/config-* "$ROOT/boot/config-3.10.0-1160.119.1.el7.x86_64"
	run_json 0 check-kernel
	assert_status kernel.release warn
	field_of kernel.release title | grep -q 'not known for this kernel'
	field_of kernel.release detail | grep -q 'RHEL 7.6 and later kernels' ||
		fail "$(field_of kernel.release detail)"
	assert_equal "$(jq -c .kernel.features.tracepoint_prog.present <<<"$output")" null
	# the ring buffer came long after what RHEL 7 carries: a guess, but a firm one
	assert_equal "$(jq -c .kernel.features.ringbuf.present <<<"$output")" false
}

@test "check-kernel RHEL 8 (4.18.0-553.el8): the kernel's BTF, not the release, decides the ring buffer" {
	sysroot old-kernel-4.19
	echo 4.18.0-553.el8_10.x86_64 >"$ROOT/proc/sys/kernel/osrelease"
	# without BTF: not "no ring buffer" (RHEL 8 rebased BPF), but not known
	run_json 0 check-kernel
	assert_status kernel.release warn
	field_of kernel.release title | grep -q 'ring buffer: not known'
	assert_equal "$(jq -c .kernel.features.ringbuf.present <<<"$output")" null
	# its BTF has BPF_MAP_TYPE_RINGBUF: the ring buffer is there, whatever 4.18 says
	mkbtf_to "$ROOT"
	run_json 0 check-kernel
	assert_status kernel.release pass
	assert_equal "$(jq -c '.kernel.features.ringbuf | [.present, .evidence]' <<<"$output")" \
		'[true,"btf"]'
	field_of kernel.release detail | grep -q "BTF has BPF_MAP_TYPE_RINGBUF in enum bpf_map_type"
	# a BTF whose enum lacks it: no ring buffer, by the strongest evidence there is
	"$MKBTF" --no-ringbuf "$ROOT/sys/kernel/btf/vmlinux" || fail "mkbtf --no-ringbuf"
	run_json 0 check-kernel
	assert_status kernel.release warn
	assert_equal "$(jq -c '.kernel.features.ringbuf | [.present, .evidence]' <<<"$output")" \
		'[false,"btf"]'
}

@test "check-kernel plain output (lockdown-confidentiality): every finding id, the remedy and a summary line" {
	sysroot lockdown-confidentiality
	run --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" --json
	assert_one_json
	ids=$(printf '%s' "$output" | jq -r '.results[].id')
	run -1 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT"
	for id in $ids; do
		assert_line --regexp "^(PASS|WARN|FAIL|SKIP|ERROR) +${id//./\\.} "
	done
	assert_line --regexp '^FAIL +kernel\.lockdown +'
	assert_line --regexp 'fix: .*lockdown=integrity'
	assert_line --regexp '^check-kernel: FAIL +\([0-9]+ pass, [0-9]+ warn, 1 fail, 3 skip, 0 error\)$'
	# not a terminal: no colour
	refute_output --partial $'\033['
	refute_output --partial '{'
}

# ---------------------------------------------------------------------------------------
# check-tracepoints

@test "check-tracepoints healthy-6x: tracefs, every tracepoint and format pass; offsets agree with BTF" {
	sysroot healthy-6x
	run_json 0 check-tracepoints
	assert_overall pass
	assert_equal "$(not_passing)" ""
	assert_status fs.tracefs pass
	assert_status fs.debugfs pass
	for tp in "${TRACEPOINTS[@]}"; do
		assert_equal "$tp $(status_of "tracepoint.$tp")" "$tp pass"
		assert_equal "$tp $(status_of "tracepoint.$tp.format")" "$tp pass"
	done
	assert_equal "$(printf '%s' "$output" | jq -r .tracing.tracefs)" /sys/kernel/tracing
	field_of tracepoint.sched/sched_process_exec.format detail |
		grep -q '3 offsets agree with BTF struct trace_event_raw_sched_process_exec' ||
		fail "detail: $(field_of tracepoint.sched/sched_process_exec.format detail)"
	field_of tracepoint.sched/sched_process_exec.format title | grep -q 'filename@8, pid@12, old_pid@16'
	assert_equal "$(printf '%s' "$output" |
		jq -r '.tracepoints[] | select(.name == "sched/sched_process_exec") | "\(.id) \(.btf_checked)"')" \
		"365 true"
}

@test "check-tracepoints: BTF puts pid at 20, the format at 12: .format fails naming both" {
	sysroot healthy-6x
	mkbtf_to "$ROOT" 8 20 16
	run_json 1 check-tracepoints
	assert_overall fail
	assert_status tracepoint.sched/sched_process_exec.format fail
	assert_equal "$(not_passing)" tracepoint.sched/sched_process_exec.format
	detail=$(field_of tracepoint.sched/sched_process_exec.format detail)
	[[ $detail == *"offset mismatch for pid: format says 12, BTF trace_event_raw_sched_process_exec says 20"* ]] ||
		fail "detail: $detail"
	[[ $detail != *"filename"* && $detail != *"old_pid"* ]] || fail "only pid differs: $detail"
	# the format file is the kernel's truth: the remedy points at the BTF, not the sensor
	assert_equal "$(field_of tracepoint.sched/sched_process_exec.format title)" \
		"format and kernel BTF disagree on the layout"
	field_of tracepoint.sched/sched_process_exec.format remedy | grep -q '/sys/kernel/btf/vmlinux belongs to the running kernel'
	refute [ "$(field_of tracepoint.sched/sched_process_exec.format remedy)" = null ]
}

@test "check-tracepoints: BTF disagreeing on every field reports each" {
	sysroot healthy-6x
	mkbtf_to "$ROOT" 16 8 12
	run_json 1 check-tracepoints
	detail=$(field_of tracepoint.sched/sched_process_exec.format detail)
	[[ $detail == *"mismatch for filename: format says 8, "*"says 16"* ]] || fail "detail: $detail"
	[[ $detail == *"mismatch for pid: format says 12, "*"says 8"* ]] || fail "detail: $detail"
	[[ $detail == *"mismatch for old_pid: format says 16, "*"says 12"* ]] || fail "detail: $detail"
}

@test "check-tracepoints healthy-6x as committed: no BTF, offsets said not cross-checked" {
	ROOT=$FIXTURES/healthy-6x
	run_json 0 check-tracepoints
	assert_overall pass
	field_of tracepoint.sched/sched_process_exec.format detail |
		grep -q 'offsets not cross-checked: /sys/kernel/btf/vmlinux: absent'
}

@test "check-tracepoints: an unparsable vmlinux is reported, not fatal" {
	sysroot healthy-6x
	printf 'garbage, not BTF' >"$ROOT/sys/kernel/btf/vmlinux"
	run_json 0 check-tracepoints
	assert_status tracepoint.sched/sched_process_exec.format pass
	field_of tracepoint.sched/sched_process_exec.format detail |
		grep -q 'offsets not cross-checked: /sys/kernel/btf/vmlinux'
}

@test "check-tracepoints no-tracefs: fs.tracefs fails with 'mount -t tracefs', tracepoints skip" {
	sysroot no-tracefs
	run_json 1 check-tracepoints
	assert_overall fail
	assert_status fs.tracefs fail
	field_of fs.tracefs remedy | grep -q 'mount -t tracefs' ||
		fail "remedy: $(field_of fs.tracefs remedy)"
	assert_status fs.debugfs warn
	for tp in "${TRACEPOINTS[@]}"; do
		assert_equal "$tp $(status_of "tracepoint.$tp")" "$tp skip"
		assert_equal "$tp $(status_of "tracepoint.$tp.format")" "$tp skip"
	done
	assert_equal "$(statuses_with_prefix tracepoint. | sort -u)" skip
	assert_equal "$(printf '%s' "$output" | jq -r .tracing.tracefs)" null
}

@test "check-tracepoints no-exec-tracepoint: that tracepoint fails, its format skips, the rest pass" {
	sysroot no-exec-tracepoint
	run_json 1 check-tracepoints
	assert_overall fail
	assert_status tracepoint.sched/sched_process_exec fail
	assert_status tracepoint.sched/sched_process_exec.format skip
	assert_equal "$(not_passing)" tracepoint.sched/sched_process_exec
	field_of tracepoint.sched/sched_process_exec detail |
		grep -q 'no /sys/kernel/tracing/events/sched/sched_process_exec'
	assert_equal "$(field_of tracepoint.sched/sched_process_exec detail | grep -c available_events)" 0
}

@test "check-tracepoints: listed in available_events but no directory is said so" {
	sysroot no-exec-tracepoint
	echo sched:sched_process_exec >>"$ROOT/sys/kernel/tracing/available_events"
	run_json 1 check-tracepoints
	assert_status tracepoint.sched/sched_process_exec fail
	field_of tracepoint.sched/sched_process_exec detail | grep -q 'yet available_events lists it'
}

@test "check-tracepoints: a directory missing from available_events warns" {
	sysroot healthy-6x
	sed -i '/sched_process_fork/d' "$ROOT/sys/kernel/tracing/available_events"
	run_json 0 check-tracepoints
	assert_overall warn
	assert_status tracepoint.sched/sched_process_fork warn
	assert_equal "$(not_passing)" tracepoint.sched/sched_process_fork
}

@test "check-tracepoints bad-format: the .format finding fails and names the line" {
	sysroot bad-format
	run_json 1 check-tracepoints
	assert_overall fail
	assert_status tracepoint.sched/sched_process_exec pass
	assert_status tracepoint.sched/sched_process_exec.format fail
	assert_equal "$(not_passing)" tracepoint.sched/sched_process_exec.format
	detail=$(field_of tracepoint.sched/sched_process_exec.format detail)
	[[ $detail == *"sched_process_exec/format: line 10: "*"pid"* ]] || fail "detail: $detail"
}

@test "check-tracepoints layout-mismatch: unsigned pid and 8-byte old_pid fail the .format" {
	sysroot layout-mismatch
	run_json 1 check-tracepoints
	assert_overall fail
	assert_status tracepoint.sched/sched_process_exec.format fail
	assert_equal "$(not_passing)" tracepoint.sched/sched_process_exec.format
	detail=$(field_of tracepoint.sched/sched_process_exec.format detail)
	[[ $detail == *"pid is unsigned size 4, expected signed size 4"* ]] || fail "detail: $detail"
	[[ $detail == *"old_pid is signed size 8, expected signed size 4"* ]] || fail "detail: $detail"
	[[ $detail != *"filename"* ]] || fail "filename is as expected: $detail"
}

@test "check-tracepoints debugfs-only: tracefs found at /sys/kernel/debug/tracing" {
	sysroot debugfs-only
	run_json 0 check-tracepoints
	assert_overall pass
	assert_status fs.tracefs pass
	field_of fs.tracefs detail | grep -q '^/sys/kernel/debug/tracing .*reached through debugfs'
	assert_equal "$(printf '%s' "$output" | jq -r .tracing.tracefs)" /sys/kernel/debug/tracing
	field_of tracepoint.sched/sched_process_exec detail |
		grep -q '^/sys/kernel/debug/tracing/events/sched/sched_process_exec'
	assert_status tracepoint.sched/sched_process_exec.format pass
}

@test "check-tracepoints: tracefs mounted only outside the standard places warns and is used" {
	sysroot healthy-6x
	mkdir -p "$ROOT/mnt"
	mv "$ROOT/sys/kernel/tracing" "$ROOT/mnt/tracing"
	mkdir "$ROOT/sys/kernel/tracing"
	sed -i 's|^tracefs /sys/kernel/tracing |tracefs /mnt/tracing |' "$ROOT/proc/mounts"
	run_json 0 check-tracepoints
	assert_overall warn
	assert_status fs.tracefs warn
	field_of fs.tracefs remedy | grep -q 'mount -t tracefs'
	assert_equal "$(printf '%s' "$output" | jq -r .tracing.tracefs)" /mnt/tracing
	assert_status tracepoint.sched/sched_process_exec.format pass
}

@test "check-tracepoints --tracepoint on a fixture: only that one; an unknown one is bad input" {
	sysroot healthy-6x
	run_json 0 check-tracepoints --tracepoint sched/sched_process_exec
	assert_equal "$(statuses_with_prefix tracepoint. | wc -l)" 2
	run -2 --separate-stderr "$EDRDIAG" check-tracepoints --tracepoint sched/no_such_event \
		--root "$ROOT" --json
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | contains("sched/no_such_event")'
}
