# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The host as a suite found it, and the check that the suite left it so: edrdiag keeps no
# program loaded, pins nothing and leaves kernel.bpf_stats_enabled as it was (edrdiag(8)).
# Load after helper.bash; call host_state_save from setup_file and assert_host_unchanged from
# the suite's last test.

STATS_KNOB=/proc/sys/kernel/bpf_stats_enabled

# The top-level entries of bpffs, one a line.
bpffs_top() {
	find /sys/fs/bpf -mindepth 1 -maxdepth 1 2>/dev/null | sort
}

host_state_save() {
	export HOST_STATE=$BATS_FILE_TMPDIR/host-state
	cat "$STATS_KNOB" >"$HOST_STATE.stats" 2>/dev/null || echo unreadable >"$HOST_STATE.stats"
	bpffs_top >"$HOST_STATE.pins"
}

# The ids of programs edrdiag loads (the sensor's edr_*, check-kernel's edrdiag_probe) that
# no live process holds: a leak, since nothing but a pin or a held fd keeps a program loaded.
# Another suite's sensor running meanwhile is held by its process and is not counted.
orphan_programs() {
	local ours held
	ours=$(bpftool -j prog show 2>/dev/null |
		jq -r '.[] | select((.name // "") | test("^(edr_|edrdiag_probe$)")) | .id')
	[ -n "$ours" ] || return 0
	held=$(grep -hE '^prog_id:' /proc/[0-9]*/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
	grep -Fxvf <(printf '%s\n' "$held") <<<"$ours" || true
}

assert_host_unchanged() {
	local _ orphans new
	[ -n "${HOST_STATE:-}" ] || fail "host_state_save was not called in setup_file"
	assert_equal "bpf_stats_enabled $(cat "$STATS_KNOB" 2>/dev/null || echo unreadable)" \
		"bpf_stats_enabled $(cat "$HOST_STATE.stats")"
	# bpffs: nothing new, but the directories other suites and benchmarks pin in and remove
	new=$(bpffs_top | comm -13 "$HOST_STATE.pins" - |
		grep -vE '^/sys/fs/bpf/edrdiag-(test|bench)-[0-9]' || true)
	[ -z "$new" ] || fail "pinned since the suite started: $new"
	command -v bpftool >/dev/null || skip "bpftool not installed: cannot list the loaded programs"
	# a program whose last holder has just exited is freed after an RCU grace period
	for _ in $(seq 30); do
		orphans=$(orphan_programs)
		[ -z "$orphans" ] && return 0
		sleep 0.1
	done
	fail "edrdiag's programs still loaded with no process holding them: ids $orphans"
}
