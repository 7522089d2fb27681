#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The main commands under valgrind's memcheck: no invalid read or write, no use of an
# uninitialised value, no leak (definite, indirect or possible), on the paths users take,
# live (as root) and on fixtures. Each run is short: the file takes under a minute.
#
# What memcheck can check here (valgrind 3.19, libbpf 1.1, Linux 6.x). Valgrind models bpf()
# command by command (PRE and POST of sys_bpf in coregrind/m_syswrap/syswrap-linux.c):
#  - Modelled: MAP_CREATE, MAP_LOOKUP_ELEM, MAP_GET_NEXT_KEY, PROG_LOAD, BTF_LOAD,
#    OBJ_GET_INFO_BY_FD (the info struct), PROG/MAP_GET_NEXT_ID, *_GET_FD_BY_ID,
#    RAW_TRACEPOINT_OPEN: check-kernel's probes, the sensor's load and a key-by-key map dump
#    are checked in full.
#  - Not modelled at all ("WARNING: unhandled eBPF command N" on stderr, no error):
#    MAP_LOOKUP_BATCH (24), LINK_CREATE (28), LINK_GET_FD_BY_ID (30), LINK_GET_NEXT_ID (31),
#    ENABLE_STATS (32), PROG_BIND_MAP (35). Only LOOKUP_BATCH matters: the keys and values the
#    kernel writes stay "uninitialised" to memcheck, so a batch dump is run with
#    --undef-value-errors=no (invalid accesses and leaks are still checked).
#  - Modelled in part: after OBJ_GET_INFO_BY_FD only the info struct is marked written, not
#    the arrays the kernel fills through pointers in it: a program's map_ids (stats) and a
#    BTF object's data (btf__load_from_kernel_by_id, for a map dump with BTF). Those runs,
#    too, go without undefined-value checks; stats is also run in full on one program
#    without maps, whose map_ids array stays empty.
#  - Wrong about what the kernel reads: valgrind checks attr fields past the size passed to
#    bpf(), and key_size bytes at a NULL first key of MAP_GET_NEXT_KEY. valgrind.supp holds
#    the false positives this causes in libbpf's calls, each explained; none is an error in
#    edrdiag's own memory.
# Around bpf(): collect-report runs its own checks as /proc/self/exe, which under valgrind
# is valgrind's tool binary ("You cannot run '/proc/self/exe' directly"): those items are
# recorded as failed, and their commands are checked here on their own. Valgrind runs
# execveat(2) as an execve(2) of the path it resolves, so the kernel records another file
# name for the self-test's execveat and fexecve canaries: the self-test runs one canary,
# which uses execve(2).

load helper
load hoststate
load ../tools/sysroot

SUPP=$BATS_TEST_DIRNAME/valgrind.supp
MKMAPS=$TOOLS/mkmaps
LOADPROGS=$TOOLS/loadprogs

setup_file() {
	host_state_save
}

setup() {
	command -v valgrind >/dev/null || skip "valgrind not installed: no memory checks to run"
	# AddressSanitizer's shadow memory and valgrind's cannot share a process: the sanitizer
	# checks that build itself, and the plain build is the one run under valgrind
	if [ -n "${EDRDIAG_SANITIZED:-}" ] || grep -q __asan_init "$EDRDIAG"; then
		skip "$EDRDIAG is a sanitizer build: valgrind cannot run it"
	fi
	VGLOG=$BATS_TEST_TMPDIR/valgrind.log
	MAPDIR=
	LP_PID=
	declare -gA ID=()
}

teardown() {
	local kind _ left
	if [ -n "$LP_PID" ]; then
		kill -TERM "$LP_PID" 2>/dev/null || true
		wait "$LP_PID" 2>/dev/null || true
	fi
	[ -n "$MAPDIR" ] || return 0
	rm -rf "$MAPDIR"
	# unpinned and held by nobody, the maps are freed (after an RCU grace period)
	for _ in $(seq 20); do
		left=
		for kind in "${!ID[@]}"; do
			[ "$kind" = prog ] && continue
			! bpftool map show id "${ID[$kind]}" >/dev/null 2>&1 || left+=" $kind"
		done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	fail "maps still there after the test:$left"
}

# vg [--no-undef] [--full] ARGS...: `run` edrdiag ARGS under memcheck, its report in $VGLOG.
# --no-undef: no undefined-value errors, for the bpf() commands valgrind does not model (see
# the head of this file); invalid accesses and leaks are still errors.
# --full: edrdiag's standard output is /dev/full, a full disk.
vg() {
	local undef=yes full=false
	while :; do
		case $1 in
		--no-undef) undef=no ;;
		--full) full=true ;;
		*) break ;;
		esac
		shift
	done
	VG_ARGS="$*"
	: >"$VGLOG"
	set -- valgrind --quiet --error-exitcode=99 --track-origins=no \
		--leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --undef-value-errors="$undef" \
		--suppressions="$SUPP" --log-file="$VGLOG" "$EDRDIAG" "$@"
	if $full; then
		VG_ARGS+=" >/dev/full"
		run --separate-stderr sh -c '"$@" >/dev/full' sh "$@"
	else
		run --separate-stderr "$@"
	fi
}

# valgrind found nothing in the last vg, and edrdiag exited with one of the statuses given.
# Valgrind's own log, errors prefixed "==PID== ", is printed when it did find something.
assert_vg() {
	local ok=false s
	if [ "$status" -eq 99 ] || grep -qE '^==[0-9]+== ' "$VGLOG" ||
		grep -qE 'Invalid (read|write|free)|uninitialised|(definitely|indirectly|possibly) lost' "$VGLOG"; then
		echo "valgrind's log of edrdiag $VG_ARGS:"
		cat "$VGLOG"
		fail "valgrind reported errors (exit $status) for: edrdiag $VG_ARGS"
	fi
	for s in "$@"; do
		[ "$status" -ne "$s" ] || ok=true
	done
	$ok || fail "edrdiag $VG_ARGS: exit $status, expected $* (stderr: $stderr)"
}

# Create the test maps of tests/tools/mkmaps under a bpffs directory of this test; sets ID[kind].
make_maps() {
	local kind id out
	command -v bpftool >/dev/null || skip "bpftool not installed: cannot check the maps are freed"
	[ -x "$MKMAPS" ] || fail "no $MKMAPS: build first (cmake --build build)"
	TAG=vg$((RANDOM % 1000))
	MAPDIR=/sys/fs/bpf/edrdiag-vg-$$-$BATS_TEST_NUMBER
	out=$("$MKMAPS" "$MAPDIR" --tag "$TAG") || fail "mkmaps failed: $out"
	while read -r kind id; do
		[ -n "$id" ] && ID[$kind]=$id
	done <<<"$out"
	if [ -z "${ID[nobtf]:-}" ] || [ -z "${ID[hash]:-}" ]; then
		fail "mkmaps printed no ids: $out"
	fi
}

# A plain and a gzip kernel config: the distro ones beside the checkout, or the fixtures'.
kernel_configs() {
	KCONFIG=$DISTRO_CONFIGS/debian-12-6.1.config
	[ -r "$KCONFIG" ] || KCONFIG=$FIXTURES/healthy-6x/boot/config-6.18.4-200.fc43.x86_64
	KCONFIG_GZ=$DISTRO_CONFIGS/debian-12-6.1.config.gz
	[ -r "$KCONFIG_GZ" ] || KCONFIG_GZ=$FIXTURES/config-gz-only/proc/config.gz
}

@test "valgrind: check-kernel live, plain and --json; its bpf() probes run under valgrind" {
	require_root
	vg check-kernel
	assert_vg 0 1
	[[ $output == *"check-kernel: "* ]] || fail "no summary line: $output"
	vg --json check-kernel
	assert_vg 0 1
	assert_one_json
	# the live probes loaded a program and created a ring buffer under valgrind
	assert_equal "$(status_of probe.tracepoint)" pass
	assert_equal "$(status_of probe.ringbuf)" pass
}

@test "valgrind: check-kernel --root on fixtures" {
	vg --json --root "$FIXTURES/healthy-6x" check-kernel
	assert_vg 0
	assert_one_json
	assert_equal "$(status_of kernel.release)" pass
	vg --root "$FIXTURES/too-old-3.10" check-kernel
	assert_vg 1
	vg --root "$FIXTURES/no-config" --json check-kernel
	assert_vg 0
}

@test "valgrind: check-kernel --kernel-config, plain text and gzip" {
	kernel_configs
	vg --json check-kernel --kernel-config "$KCONFIG"
	assert_vg 0 1
	assert_one_json
	assert_equal "$(status_of kconfig.CONFIG_BPF_SYSCALL)" pass
	vg --json check-kernel --kernel-config "$KCONFIG_GZ"
	assert_vg 0 1
	assert_one_json
	assert_equal "$(status_of kconfig.CONFIG_BPF_SYSCALL)" pass
}

@test "valgrind: check-tracepoints live, with the BTF cross-check" {
	require_root
	vg --json check-tracepoints
	assert_vg 0
	assert_one_json
	assert_equal "$(status_of fs.tracefs)" pass
	assert_equal "$(status_of tracepoint.sched/sched_process_exec.format)" pass
}

@test "valgrind: check-tracepoints --root on fixtures, with generated BTF" {
	sysroot healthy-6x
	vg --json --root "$ROOT" check-tracepoints
	assert_vg 0
	assert_one_json
	printf '%s' "$output" | jq -e '.tracepoints[0].btf_checked == true' >/dev/null ||
		fail "offsets not cross-checked with BTF: $(printf '%s' "$output" | jq -c '.tracepoints[0]')"
	vg --root "$FIXTURES/bad-format" check-tracepoints
	assert_vg 1
	vg --root "$FIXTURES/no-tracefs" check-tracepoints
	assert_vg 1
}

@test "valgrind: stats --interval 0.1 of one program, undefined values checked too" {
	local out=$BATS_TEST_TMPDIR/loadprogs.out _ id
	require_root
	[ -x "$LOADPROGS" ] || fail "no $LOADPROGS: build first"
	# a program without maps: its map_ids array, filled by the kernel, stays empty
	"$LOADPROGS" 1 >"$out" 2>&1 &
	LP_PID=$!
	for _ in $(seq 50); do
		grep -q '^ready' "$out" && break
		sleep 0.1
	done
	id=$(awk '/^ready/ { print $2 }' "$out")
	[ -n "$id" ] || fail "loadprogs not ready: $(cat "$out")"
	vg --json stats --interval 0.1 --id "$id"
	assert_vg 0
	assert_one_json
	printf '%s' "$output" | jq -e --argjson id "$id" '.programs | length == 1 and .[0].id == $id' \
		>/dev/null || fail "$output"
	vg stats --interval 0.1 --id "$id"
	assert_vg 0
}

@test "valgrind: stats --interval 0.1 over every program (no undefined-value checks: map_ids)" {
	require_root
	vg --no-undef stats --interval 0.1
	assert_vg 0 1
	vg --no-undef --json stats --interval 0.1 --count 2
	assert_vg 0 1
	[ "${#lines[@]}" -eq 2 ] || fail "expected two samples: $output"
}

@test "valgrind: map-dump lists the maps, plain and --json" {
	require_root
	make_maps
	vg map-dump
	assert_vg 0
	[[ $output == *"md${TAG}_nobtf"* ]] || fail "the test maps are not listed: $output"
	vg --json map-dump
	assert_vg 0
	assert_one_json
}

@test "valgrind: map-dump of a small map key by key, undefined values checked too" {
	require_root
	make_maps
	vg --json map-dump --id "${ID[nobtf]}" --no-batch
	assert_vg 0
	assert_one_json
	printf '%s' "$output" | jq -e '.method == "iterate" and .count > 0 and
		(.entries | length) == .count' >/dev/null || fail "$output"
	vg map-dump --id "${ID[nobtf]}" --no-batch --limit 3
	assert_vg 0
	vg --json map-dump --id "${ID[tail]}" --count-only --no-batch
	assert_vg 0
}

@test "valgrind: map-dump in batches and with BTF (no undefined-value checks: unmodelled)" {
	require_root
	make_maps
	vg --no-undef --json map-dump --id "${ID[nobtf]}"
	assert_vg 0
	printf '%s' "$output" | jq -e '.method == "batch" and .count > 0' >/dev/null || fail "$output"
	vg --no-undef --json map-dump --id "${ID[hash]}"
	assert_vg 0
	printf '%s' "$output" | jq -e '.entries[0].formatted != null' >/dev/null ||
		fail "no BTF-formatted value: $(printf '%s' "$output" | jq -c '.entries[0]')"
	vg --no-undef map-dump --id "${ID[pcpu]}"
	assert_vg 0
	vg --no-undef --json map-dump --pinned "$MAPDIR/ring"
	assert_vg 0
}

@test "valgrind: collect-report into a temporary directory" {
	local out=$BATS_TEST_TMPDIR/out
	mkdir "$out"
	vg --json collect-report --output "$out" --timeout 3
	assert_vg 0
	assert_one_json
	[ "$(find "$out" -maxdepth 1 -name 'edrdiag-report-*.tar.gz' | wc -l)" -eq 1 ] ||
		fail "no archive in $out: $(ls -A "$out")"
	vg collect-report --dry-run
	assert_vg 0
	vg collect-report --template
	assert_vg 0
}

@test "valgrind: run-sensor for a second" {
	require_root
	vg run-sensor --duration 1
	assert_vg 0
	[[ $stderr == *"sensor attached with"* ]] || fail "$stderr"
}

@test "valgrind: run-sensor --attach kprobe fails, its cause classified, nothing leaked" {
	require_root
	[ -e /sys/bus/event_source/devices/kprobe ] && skip "this kernel has kprobes"
	vg --json run-sensor --attach kprobe
	assert_vg 3
	printf '%s' "$output" | jq -e '.attempts[0].cause == "attach.kprobes-unavailable"' \
		>/dev/null || fail "$output"
}

@test "valgrind: collect-report --object, and a bad --object" {
	local obj
	obj=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus}/ok_exec_sensor.bpf.o
	[ -f "$obj" ] || skip "the corpus is not built"
	vg collect-report --dry-run --object "$obj"
	assert_vg 0
	vg collect-report --dry-run --object /nonexistent
	assert_vg 2
}

@test "valgrind: run-sensor --self-test with one canary (execve)" {
	require_root
	vg --json run-sensor --self-test=1 --duration 10
	assert_vg 0
	tail -n 1 <<<"$output" | jq -e '.status == "pass"' >/dev/null || fail "$output"
}

@test "valgrind: error paths free what they took (usage, bad input, a full stdout)" {
	kernel_configs
	vg check-kernel --kernel-config /nonexistent
	assert_vg 2
	vg check-kernel --kernel-config /bin/true
	assert_vg 2
	vg --json check-tracepoints --root "$FIXTURES/healthy-6x" --tracepoint sched/no_such_event
	assert_vg 2
	vg --json map-dump --id 0
	assert_vg 2
	vg run-sensor --buffer-size 12345
	assert_vg 2
	vg stats --interval 0
	assert_vg 2
	vg collect-report --lang fr
	assert_vg 2
	vg --root /nonexistent check-kernel
	assert_vg 2
	[ -w /dev/full ] || skip "no /dev/full to fill"
	vg --full --json check-kernel --kernel-config "$KCONFIG"
	assert_vg 3
	[[ $stderr == *"cannot write output"* ]] || fail "$stderr"
	vg --full --root "$FIXTURES/healthy-6x" check-tracepoints
	assert_vg 3
}

@test "the valgrind runs leave the host as they found it" {
	assert_host_unchanged
}
