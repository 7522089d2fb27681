#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Live tests on the running kernel: real bpf() probes, real tracefs. They need root;
# elsewhere they skip and say why.

load helper

setup() {
	require_root
}

tracing_dir() {
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$d/events" ] && { echo "$d"; return 0; }
	done
	return 1
}

@test "live check-kernel: one JSON document, exit 0, probes pass" {
	run -0 --separate-stderr "$EDRDIAG" check-kernel --json
	assert_one_json
	printf '%s' "$output" | jq -e '.command == "check-kernel" and .live == true'
	printf '%s' "$output" | jq -e '.status == "pass" or .status == "warn"'
	[ "$(status_of probe.tracepoint)" = pass ]
	[ "$(status_of probe.ringbuf)" = pass ]
	[ "$(status_of priv.capabilities)" = pass ]
	[ "$(status_of kernel.release)" = pass ]
	# every required option passes on this kernel
	for o in BPF BPF_SYSCALL BPF_EVENTS TRACEPOINTS PERF_EVENTS; do
		[ "$(status_of kconfig.CONFIG_$o)" = pass ]
	done
}

@test "live check-kernel: the release is the running kernel's" {
	run -0 --separate-stderr "$EDRDIAG" check-kernel --json
	assert_one_json
	[ "$(printf '%s' "$output" | jq -r .kernel.release)" = "$(uname -r)" ]
}

@test "live check-kernel: a missing kprobe fallback is no concern where the tracepoint path is proven" {
	require_root
	local cfg
	if [ -r "/boot/config-$(uname -r)" ]; then cfg=$(cat "/boot/config-$(uname -r)")
	elif [ -r /proc/config.gz ]; then cfg=$(zcat /proc/config.gz)
	else skip "no readable kernel config on this host"; fi
	grep -qx 'CONFIG_KPROBES=y' <<<"$cfg" && skip "this kernel has CONFIG_KPROBES=y"
	run -0 --separate-stderr "$EDRDIAG" check-kernel --json
	assert_one_json
	printf '%s' "$output" | jq -e '.kernel_config.options.CONFIG_KPROBES.state == "missing"'
	# root: the probe loads a tracepoint program and sched_process_exec is there
	assert_equal "$(status_of probe.tracepoint)" pass
	assert_equal "$(status_of kconfig.CONFIG_KPROBES)" pass
	assert_equal "$(status_of kconfig.CONFIG_KPROBE_EVENTS)" pass
	[[ $(field_of kconfig.CONFIG_KPROBES title) == *"not needed here" ]] ||
		fail "$(field_of kconfig.CONFIG_KPROBES title)"
	[[ $(field_of kconfig.CONFIG_KPROBES detail) == *"tracepoint programs load (live probe)"* ]] ||
		fail "$(field_of kconfig.CONFIG_KPROBES detail)"
	# so a healthy host passes --strict
	run -0 --separate-stderr "$EDRDIAG" check-kernel --json --strict
	assert_one_json
	printf '%s' "$output" | jq -e '.status == "pass" and .strict == true'
	# without privilege nothing proves the path: the missing fallback is a warning again,
	# whose remedy says when it does not matter
	unprivileged check-kernel --json
	assert_one_json
	assert_equal "$(status_of kconfig.CONFIG_KPROBES)" warn
	[[ $(field_of kconfig.CONFIG_KPROBES remedy) == "only the tracepoint path's fallback"* ]] ||
		fail "$(field_of kconfig.CONFIG_KPROBES remedy)"
	unprivileged check-kernel --json --strict
	assert_one_json
	assert_equal "$status" 1
}

@test "live check-kernel leaves no BPF program or map behind" {
	command -v bpftool >/dev/null || skip "bpftool not installed"
	require_root
	# its own objects, by name: the host's other programs come and go (other tests, other
	# tools), so host-wide counts would race with them
	ours() {
		bpftool -j prog list | jq '[.[] | select(.name == "edrdiag_probe")] | length'
		bpftool -j map list | jq '[.[] | select(.name == "edrdiag_probe")] | length'
	}
	assert_equal "$(ours | tr '\n' ' ')" "0 0 "
	run -0 --separate-stderr "$EDRDIAG" check-kernel --json
	# the probes did run, and loaded what they were to load
	assert_equal "$(status_of probe.tracepoint) $(status_of probe.ringbuf)" "pass pass"
	assert_equal "$(ours | tr '\n' ' ')" "0 0 "
}

@test "live check-tracepoints: exit 0, the exec layout equals the format file" {
	local dir
	dir=$(tracing_dir) || fail "tracefs is not mounted on this host (scripts/setup.sh mounts it)"
	run -0 --separate-stderr "$EDRDIAG" check-tracepoints --json
	assert_one_json
	printf '%s' "$output" | jq -e '.status == "pass"'
	[ "$(status_of fs.tracefs)" = pass ]
	[ "$(status_of tracepoint.sched/sched_process_exec.format)" = pass ]
	# the offsets reported are the ones in the kernel's own format file
	local f want got
	for f in filename pid old_pid; do
		want=$(grep -E "[ ]$f;" "$dir/events/sched/sched_process_exec/format" |
			sed -E 's/.*offset:([0-9]+);.*/\1/')
		got=$(printf '%s' "$output" | jq -r --arg f "$f" \
			'.tracepoints[] | select(.name == "sched/sched_process_exec") | .fields[] | select(.name == $f) | .offset')
		[ -n "$want" ] && [ "$want" = "$got" ]
	done
	# and the ID is the kernel's
	got=$(printf '%s' "$output" | jq -r '.tracepoints[0].id')
	[ "$got" = "$(cat "$dir/events/sched/sched_process_exec/id")" ]
}

@test "live check-tracepoints cross-checks BTF when the kernel has it" {
	[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux on this host"
	tracing_dir >/dev/null || fail "tracefs is not mounted on this host"
	run -0 --separate-stderr "$EDRDIAG" check-tracepoints --json
	assert_one_json
	printf '%s' "$output" | jq -e '.tracepoints[] | select(.name == "sched/sched_process_exec") | .btf_checked == true'
	printf '%s' "$output" | jq -e '.results[] | select(.id == "tracepoint.sched/sched_process_exec.format") | .detail | test("agree with BTF")'
}

@test "live check-tracepoints never changes tracing state" {
	local dir before after
	dir=$(tracing_dir) || fail "tracefs is not mounted on this host"
	snapshot() {
		cat "$dir/tracing_on" "$dir/events/sched/sched_process_exec/enable" \
			"$dir/events/sched/sched_process_fork/enable" "$dir/events/sched/enable" \
			"$dir/set_event" 2>/dev/null | md5sum
	}
	before=$(snapshot)
	run -0 "$EDRDIAG" check-tracepoints
	after=$(snapshot)
	[ "$before" = "$after" ]
}

@test "live check-tracepoints: an unknown --tracepoint is bad input (exit 2)" {
	tracing_dir >/dev/null || fail "tracefs is not mounted on this host"
	run -2 --separate-stderr "$EDRDIAG" check-tracepoints --tracepoint sched/no_such_event
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"'sched/no_such_event'"* ]]
	[ -z "$output" ]
	run -0 --separate-stderr "$EDRDIAG" check-tracepoints --json --tracepoint sched/sched_switch
	assert_one_json
	printf '%s' "$output" | jq -e '[.results[].id] == ["fs.tracefs","fs.debugfs","tracepoint.sched/sched_switch","tracepoint.sched/sched_switch.format"]'
}

@test "unprivileged check-kernel names the missing capabilities and skips the probes" {
	unprivileged check-kernel --json
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	assert_one_json
	[ "$(status_of priv.capabilities)" = warn ]
	printf '%s' "$output" | jq -e '.results[] | select(.id == "priv.capabilities") | .detail | test("CAP_BPF, CAP_PERFMON")'
	[ "$(status_of probe.tracepoint)" = skip ]
	[ "$(status_of probe.ringbuf)" = skip ]
}
