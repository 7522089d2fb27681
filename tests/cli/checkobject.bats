#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check-object (edrdiag-check-object(8)): real loads on this kernel of small objects compiled
# here from inline sources; the failing stage, errno and cause of each; --log on a log this
# kernel really wrote; bad input; and nothing left loaded or pinned. Every program and map is
# named co_*, so that what another user of this host loads meanwhile is not mistaken for ours.

load helper

setup_file() {
	command -v clang >/dev/null || return 0
	local inc d=$BATS_FILE_TMPDIR
	inc=/usr/include/$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	cat >"$d/co.bpf.c" <<'SRC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} co_counts SEC(".maps");
SEC("tracepoint/sched/sched_process_exec")
int co_ok(void *ctx) { int k = 0; long *v = bpf_map_lookup_elem(&co_counts, &k); if (v) *v += 1; return 0; }
SEC("tracepoint/sched/sched_process_fork")
int co_nullchk(void *ctx) { int k = 0; long *v = bpf_map_lookup_elem(&co_counts, &k); *v += 1; return 0; }
SEC("tracepoint/sched/co_no_such_event")
int co_tp_missing(void *ctx) { return 0; }
SEC("kprobe/do_unlinkat")
int co_kprobe(void *ctx) { return 0; }
SEC("fentry/do_unlinkat")
int co_fentry(void *ctx) { return 0; }
SEC("fentry/co_no_such_function")
int co_fentry_missing(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
SRC
	clang -O2 -g -target bpf -I"$inc" -c "$d/co.bpf.c" -o "$d/co.bpf.o"
	# CO-RE: reads a field no kernel has (old_pid misspelt), and one every target BTF here has
	cat >"$d/core.bpf.c" <<'SRC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct trace_event_raw_sched_process_exec { int pid; int old_pidd; } __attribute__((preserve_access_index));
SEC("tracepoint/sched/sched_process_exec")
int co_core(struct trace_event_raw_sched_process_exec *ctx) { return BPF_CORE_READ(ctx, old_pidd) + BPF_CORE_READ(ctx, pid); }
char LICENSE[] SEC("license") = "GPL";
SRC
	clang -O2 -g -target bpf -I"$inc" -c "$d/core.bpf.c" -o "$d/core.bpf.o"
	# CO-RE: a nested read (two pointer hops, BPF_CORE_READ(t, real_parent, tgid)) and a
	# member of an embedded struct (se.vruntime: a two-level access path)
	cat >"$d/nested.bpf.c" <<'SRC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
struct sched_entity { unsigned long long vruntime; } __attribute__((preserve_access_index));
struct task_struct { int tgid; struct task_struct *real_parent; struct sched_entity se; } __attribute__((preserve_access_index));
SEC("tracepoint/sched/sched_process_exec")
int co_nested(void *ctx) { struct task_struct *t = (void *)bpf_get_current_task(); return BPF_CORE_READ(t, real_parent, tgid) + BPF_CORE_READ(t, se.vruntime); }
static __noinline int co_ptgid(struct task_struct *t) { return BPF_CORE_READ(t, real_parent, tgid); }
SEC("tracepoint/sched/sched_process_fork")
int co_calls(void *ctx) { return co_ptgid((void *)bpf_get_current_task()); }
char LICENSE[] SEC("license") = "GPL";
SRC
	clang -O2 -g -target bpf -I"$inc" -c "$d/nested.bpf.c" -o "$d/nested.bpf.o"
}

setup() {
	command -v clang >/dev/null || skip "clang not installed: cannot compile the objects"
	OBJ=$BATS_FILE_TMPDIR/co.bpf.o
	[ -s "$OBJ" ] || fail "the test object did not compile"
}

# jq on one program of the JSON in $output: prog NAME FILTER
prog() {
	printf '%s' "$output" | jq -e --arg n "$1" ".programs[] | select(.name == \$n) | $2" \
		>/dev/null || fail "program $1: not $2: $(printf '%s' "$output" |
			jq -c --arg n "$1" '.programs[] | select(.name == $n) | del(.log_tail, .libbpf_log)')"
}

# Nothing of ours is loaded or pinned: no program, map or pin named co_*.
assert_nothing_left() {
	local left
	if command -v bpftool >/dev/null; then
		left=$({
			bpftool -j prog list | jq -r '.[] | .name // empty'
			bpftool -j map list | jq -r '.[] | .name // empty'
		} | grep '^co_' || true)
		[ -z "$left" ] || fail "left loaded: $left"
	fi
	[ ! -e /sys/fs/bpf/co_counts ] || fail "co_counts pinned on the host's bpffs"
}

@test "check-object: a program that loads passes; its helper and map are reported" {
	require_root
	run -0 --separate-stderr "$EDRDIAG" --json check-object "$OBJ" --program co_ok
	assert_one_json
	prog co_ok '.verdict == "pass" and .type == "tracepoint" and .mechanism == "tracepoint" and
		.target == "sched/sched_process_exec" and .cause == null and .stage == null and
		(.calls[] | select(.name == "bpf_map_lookup_elem") | .supported == true and .kfunc == false) and
		.attach_check == "tracepoint present: /sys/kernel/tracing/events/sched/sched_process_exec" and
		.log_bytes > 0 and .stats.insns_processed > 0'
	prog co_nullchk '.verdict == "skip"'
	printf '%s' "$output" | jq -e '.object.license == "GPL" and
		(.maps[] | select(.name == "co_counts") | .type == "hash" and .supported and .pin_asked) and
		(.results[] | select(.id == "program.co_ok") | .status == "pass")' >/dev/null ||
		fail "$output"
	assert_nothing_left
}

@test "check-object: the verifier's refusal is the load stage, with errno and the log" {
	require_root
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$OBJ" --program co_nullchk
	assert_one_json
	prog co_nullchk '.verdict == "fail" and .stage == "load" and .errno == 13 and
		.errno_name == "EACCES" and .cause == "verifier.null-check-missing" and
		.insn != null and .source != null and (.remedy | length > 0) and
		.log_bytes > 0 and (.log_tail | test("map_value_or_null"))'
	printf '%s' "$output" | jq -e '.status == "fail" and (.results[] |
		select(.id == "program.co_nullchk") | .status == "fail" and
		(.detail | test("stage load; errno EACCES")))' >/dev/null || fail "$output"
	run -1 --separate-stderr "$EDRDIAG" check-object "$OBJ" --program co_nullchk
	assert_output --partial "refused at the load stage"
	assert_nothing_left
}

@test "check-object: the attach stage, checked without attaching: missing tracepoint and fentry target" {
	require_root
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$OBJ"
	assert_one_json
	prog co_tp_missing '.verdict == "fail" and .stage == "attach" and
		.cause == "attach.tracepoint-missing" and (.attach_check | test("co_no_such_event is absent"))'
	prog co_fentry_missing '.verdict == "fail" and .stage == "attach" and
		.cause == "attach.btf-target-missing"'
	prog co_ok '.verdict == "pass"'
	assert_nothing_left
}

@test "check-object: kprobes and fentry as this host has them" {
	require_root
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$OBJ"
	assert_one_json
	if [ -e /sys/bus/event_source/devices/kprobe ] ||
		[ -e /sys/kernel/tracing/kprobe_events ]; then
		prog co_kprobe '.verdict == "pass"'
	else
		prog co_kprobe '.verdict == "fail" and .stage == "attach" and
			.cause == "attach.kprobes-unavailable" and (.remedy | test("CONFIG_KPROBES"))'
	fi
	# this host refuses fentry with EPERM; another may load it
	prog co_fentry '.verdict == "pass" or (.stage == "attach" and .cause == "attach.fentry-refused" and .errno == 1)'
	assert_nothing_left
}

@test "check-object --attach: a tracepoint program is attached and detached" {
	require_root
	run -0 --separate-stderr "$EDRDIAG" --json check-object "$OBJ" --program co_ok --attach
	assert_one_json
	prog co_ok '.verdict == "pass" and .attached'
	assert_nothing_left
}

@test "check-object --log: a log this kernel wrote gets the cause its load got; nothing is loaded" {
	require_root
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$OBJ" --program co_nullchk
	printf '%s' "$output" | jq -r '.programs[] | select(.name == "co_nullchk") | .log_tail' \
		>"$BATS_TEST_TMPDIR/v.log"
	local cause
	cause=$(printf '%s' "$output" | jq -r '.programs[] | select(.name == "co_nullchk") | .cause')
	run -1 --separate-stderr "$EDRDIAG" --json check-object --log "$BATS_TEST_TMPDIR/v.log"
	assert_one_json
	printf '%s' "$output" | jq -e --arg c "$cause" '.log.cause == $c and
		.log.bytes > 0 and (has("programs") | not) and
		(.results[0] | .id == "log.explained" and .status == "fail")' >/dev/null || fail "$output"
	# with the object: its facts, nothing loaded
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$OBJ" --log "$BATS_TEST_TMPDIR/v.log"
	assert_one_json
	printf '%s' "$output" | jq -e '.log.cause and (.maps | length == 1)' >/dev/null || fail "$output"
	assert_nothing_left
}

@test "check-object: a long program's verdict comes from one load at log level 4; a failing one's trace keeps its end" {
	require_root
	local inc
	inc=/usr/include/$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	# one path of ~210,000 instructions: a level-1 trace would overflow 1 MiB (ENOSPC); the
	# second program then writes through a scalar, which the verifier refuses at the end
	printf '%s\n' '#include <linux/bpf.h>' '#include <bpf/bpf_helpers.h>' \
		'SEC("tracepoint/sched/sched_process_exec")' \
		'int co_biglog(void *c) { unsigned long s = 0; for (int i = 0; i < 30000; i++) s += i ^ (s >> 3); return s & 1; }' \
		'SEC("tracepoint/sched/sched_process_exec")' \
		'int co_bigfail(void *c) { unsigned long s = 0; for (int i = 0; i < 30000; i++) s += i ^ (s >> 3); *(volatile unsigned long *)(s | 8) = 1; return 0; }' \
		'char L[] SEC("license") = "GPL";' >"$BATS_TEST_TMPDIR/big.bpf.c"
	clang -O2 -target bpf -I"$inc" -c "$BATS_TEST_TMPDIR/big.bpf.c" -o "$BATS_TEST_TMPDIR/big.bpf.o"
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$BATS_TEST_TMPDIR/big.bpf.o"
	assert_one_json
	# passes, with the statistics, and no trace was asked for: the buffer never grew
	prog co_biglog '.verdict == "pass" and .log_buffer == 1048576 and .stats.insns_processed > 100000'
	# the failing one: its errno is the verifier's (not the trace's ENOSPC) and its cause is
	# read from the trace's end, which a 6.4+ kernel keeps; an older one grows the buffer
	prog co_bigfail '.verdict == "fail" and .stage == "load" and .errno_name != "ENOSPC" and
		.cause == "verifier.invalid-mem-access" and .insn != null'
	if [ "$(printf '%s\n' "$(uname -r)" 6.4 | sort -V | head -1)" = 6.4 ]; then
		prog co_bigfail '.log_buffer == 1048576'
	else
		prog co_bigfail '.log_buffer > 1048576'
	fi
	assert_nothing_left
}

# strace's count of NAME's loads (BPF_PROG_LOAD, name cut at 15 bytes) and of the kernel
# BTF's opens in a check-object of OBJ: "LOADS OPENS"
load_counts() {
	local log=$BATS_TEST_TMPDIR/strace.log
	under_strace -f -qq -e trace=bpf,openat -s 64 -o "$log" "$EDRDIAG" --json check-object "$2" \
		>/dev/null 2>&1 || true
	printf '%s %s\n' "$(grep -c "BPF_PROG_LOAD.*prog_name=\"${1:0:15}" "$log")" \
		"$(grep -c '"/sys/kernel/btf/vmlinux"' "$log")"
}

@test "check-object: the kernel BTF is read only when needed; a program is loaded again only for a trace it lacks" {
	require_root
	command -v strace >/dev/null || skip "strace not installed (scripts/setup.sh installs it)"
	local dir=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus}
	[ -d "$dir" ] || skip "corpus objects not built in $dir (BPFCORPUS_OBJ names them)"
	# a loop: verdict at level 4, then the trace of the failure. No CO-RE relocation, no BTF
	# attach target, helpers the build's table names: no kernel BTF (it was read for all)
	run load_counts spin "$dir/v_back_edge.bpf.o"
	assert_output "2 0"
	# short and straight: verdict and trace from one load at level 1|4 (were two)
	run load_counts scalar_map "$dir/v_helper_arg_type.bpf.o"
	assert_output "1 0"
	# fentry refused before the verifier ran: one load, libbpf's one BTF read (were 2 and 3)
	run load_counts on_commit_creds_fentry "$dir/a_fentry_refused.bpf.o"
	assert_output "1 1"
	# libbpf refused it (no such ksym): the kernel never saw it
	run load_counts read_missing "$dir/l_ksym_missing.bpf.o"
	assert_output "0 0"
	# CO-RE: libbpf's BTF read for its load, and the listing's (mapped where the kernel lets)
	run load_counts missing_field "$dir/l_core_relo.bpf.o"
	assert_output "1 2"
	# what the skipped work gave is still there
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/a_fentry_refused.bpf.o"
	prog on_commit_creds_fentry '.cause == "attach.fentry-refused" and .stage == "attach"'
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/v_back_edge.bpf.o"
	prog spin '.cause == "verifier.back-edge" and .insn != null'
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/v_helper_arg_type.bpf.o"
	prog scalar_map '.cause == "verifier.helper-arg-type" and .insn != null and .source != null and
		.stats.insns_processed > 0 and .calls[0].name == "bpf_map_lookup_elem"'
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/l_core_relo.bpf.o"
	prog missing_field '.cause == "libbpf.core-relo" and .insn != null and .source != null'
}

@test "check-object --btf: a CO-RE relocation the target BTF cannot resolve names the struct and field" {
	require_root
	[ -x "$TOOLS/mkbtf" ] || fail "no $TOOLS/mkbtf: build the test tools"
	"$TOOLS/mkbtf" "$BATS_TEST_TMPDIR/mini.btf"
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$BATS_FILE_TMPDIR/core.bpf.o" \
		--btf "$BATS_TEST_TMPDIR/mini.btf"
	assert_one_json
	prog co_core '.verdict == "fail" and .stage == "relocation" and
		(.core_unresolved | test("struct trace_event_raw_sched_process_exec\\.old_pidd")) and
		(.core_closest | test("closest by name: trace_event_raw_sched_process_exec\\.old_pid$"))'
	printf '%s' "$output" | jq -e --arg b "$BATS_TEST_TMPDIR/mini.btf" '.object.btf == $b' \
		>/dev/null || fail "$output"
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --btf /etc/hostname
	[[ $stderr == *"--btf '/etc/hostname': not a BTF file"* ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --btf "$BATS_TEST_TMPDIR/none"
	[[ $stderr == *"--btf '$BATS_TEST_TMPDIR/none': No such file"* ]] || fail "$stderr"
	assert_nothing_left
}

@test "check-object: bad input is one line naming it, exit 2" {
	local d=$BATS_TEST_TMPDIR
	head -c 200 "$OBJ" >"$d/trunc.o"
	head -c 10 "$OBJ" >"$d/short.o"
	: >"$d/empty.o"
	printf 'not an object\n' >"$d/text.o"
	mkdir "$d/dir.o"
	truncate -s 65M "$d/huge.log"
	local -a cases=(
		"$d/missing.o|missing.o.*No such file"
		"$d/text.o|text.o.*not an ELF file"
		"$d/empty.o|empty.o.*not an ELF file"
		"$d/short.o|short.o.*(not an ELF|truncated)"
		"$d/trunc.o|trunc.o"
		"$d/dir.o|dir.o.*not a regular file"
		"/bin/sh|sh.*not a BPF object"
	)
	local c
	for c in "${cases[@]}"; do
		run -2 --separate-stderr "$EDRDIAG" check-object "${c%%|*}"
		[ -z "$output" ] || fail "${c%%|*}: stdout: $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "${c%%|*}: not one line: $stderr"
		[[ $stderr =~ ^edrdiag:\ .*${c#*|} ]] || fail "${c%%|*}: $stderr"
	done
	mkfifo "$d/fifo"
	: >"$d/empty.log"
	for c in "$d/missing.log|missing.log.*No such file" "$d/dir.o|dir.o.*directory" \
		"$d/huge.log|huge.log.*larger than 64 MiB" "$d/empty.log|empty.log.*empty" \
		"$d/fifo|fifo.*empty"; do
		run -2 --separate-stderr "$EDRDIAG" check-object --log "${c%%|*}"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "${c%%|*}: not one line: $stderr"
		[[ $stderr =~ ^edrdiag:\ --log\ .*${c#*|} ]] || fail "${c%%|*}: $stderr"
	done
	# libbpf opens --btf blocking: a FIFO with no writer must not hang it
	run -2 --separate-stderr timeout 10 "$EDRDIAG" check-object --btf "$d/fifo" "$OBJ"
	[[ $stderr == "edrdiag: --btf '$d/fifo': not a regular file" ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" check-object
	[[ $stderr == *"needs the object"* ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --program co_nope
	[[ $stderr == *"--program 'co_nope': no such program"* ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" --json check-object "$d/text.o"
	assert_error_doc bad_input "not an ELF file"
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --log "$d/missing.log" --attach
	[[ $stderr == *"--attach"* ]] || fail "$stderr"
}

@test "check-object: a damaged object never crashes it: a verdict or one line, exit 0-3" {
	local d=$BATS_TEST_TMPDIR size i off
	size=$(stat -c %s "$OBJ")
	for i in $(seq 1 40); do
		cp "$OBJ" "$d/bad.o"
		# a few bytes past the ELF header overwritten, at places that differ by run i
		for off in $(((i * 7919) % (size - 64) + 64)) $(((i * 104729) % (size - 64) + 64)) \
			$(((i * 1299709) % (size - 64) + 64)); do
			printf '\377\377\377\377' | dd of="$d/bad.o" bs=1 seek="$off" conv=notrunc status=none
		done
		[ $((i % 4)) -ne 0 ] || truncate -s $(((i * 31337) % size)) "$d/bad.o"
		run --separate-stderr "$EDRDIAG" check-object "$d/bad.o" --program co_ok
		[ "$status" -le 3 ] || fail "run $i: exit $status: $stderr"
		if [ "$status" -eq 2 ]; then
			[ "${#stderr_lines[@]}" -eq 1 ] || fail "run $i: not one line: $stderr"
			[[ $stderr == "edrdiag: '$d/bad.o': "* ]] || fail "run $i: $stderr"
		fi
	done
	assert_nothing_left
}

# The project's corpus (tests/bpfcorpus): each object's header says what it must give.
@test "check-object over the corpus: every failing program gets its cause and stage, every good one passes" {
	require_root
	local dir=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus} src name want got n=0 bad=
	[ -d "$dir" ] || skip "corpus objects not built in $dir (BPFCORPUS_OBJ names them)"
	for src in "$BATS_TEST_DIRNAME"/../bpfcorpus/*.bpf.c; do
		name=$(basename "$src" .bpf.c)
		want=$(sed -n 's|^// expect: ||p' "$src" | head -n 1)
		[ -n "$want" ] || { bad+=" $name(no header)"; continue; }
		got=$("$EDRDIAG" --json check-object "$dir/$name.bpf.o" 2>/dev/null | jq -r '
			[.programs[] | select(.verdict != "pass")] |
			if length == 0 then "load" else "fail \(.[0].cause) \(.[0].stage)" end') || true
		[ "$got" = "$want" ] || bad+=" $name(want '$want', got '$got')"
		n=$((n + 1))
	done
	[ "$n" -ge 35 ] || fail "only $n corpus programs"
	[ -z "$bad" ] || fail "not as the corpus says:$bad"
	assert_nothing_left
}

@test "check-object: every CO-RE relocation of a nested read is listed, each resolved on this kernel" {
	require_root
	[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux: CO-RE cannot load here"
	run -0 --separate-stderr "$EDRDIAG" --json check-object "$BATS_FILE_TMPDIR/nested.bpf.o"
	assert_one_json
	prog co_nested '.verdict == "pass" and (.core | length) == 3 and
		all(.core[]; .resolved == true and .missing == null and .kind == "byte_off" and
			.type == "struct task_struct") and
		([.core[].access] | sort) ==
			["task_struct.real_parent", "task_struct.se.vruntime", "task_struct.tgid"]'
	printf '%s' "$output" | jq -e '.core_error == null' >/dev/null || fail "$output"
	# a subprogram's relocations are its caller's, and only its caller's
	prog co_calls '.verdict == "pass" and (.core | length) == 2 and
		all(.core[]; .function == "co_ptgid" and .resolved == true)'
	prog co_nested 'all(.core[]; .function == "co_nested")'
	# a passing program's details show with --verbose: then every relocation, and the count
	run -0 --separate-stderr "$EDRDIAG" --verbose check-object "$BATS_FILE_TMPDIR/nested.bpf.o"
	[[ $output == *"3 CO-RE relocation(s): 3 resolved in the target BTF"* ]] || fail "$output"
	[[ $output == *"CO-RE byte_off of task_struct.se.vruntime (co_nested, insn "*"): resolved"* ]] ||
		fail "$output"
	assert_nothing_left
}

@test "check-object --btf: a pahole-made BTF of a trimmed task_struct names the missing field and its closest" {
	require_root
	command -v pahole >/dev/null || skip "pahole (dwarves) not installed: cannot make the trimmed BTF"
	command -v gcc >/dev/null || skip "gcc not installed: cannot compile the trimmed types"
	local d=$BATS_TEST_TMPDIR
	# this kernel's task_struct without tgid; tgid_nr is there instead
	cat >"$d/trim.c" <<'SRC'
struct sched_entity { unsigned long long vruntime; };
struct task_struct { int flags; int tgid_nr; struct task_struct *real_parent; struct sched_entity se; };
struct task_struct co_task;
SRC
	gcc -g -c "$d/trim.c" -o "$d/trim.o"
	pahole --btf_encode_detached="$d/trim.btf" "$d/trim.o"
	[ -s "$d/trim.btf" ] || fail "pahole wrote no BTF"
	run -1 --separate-stderr "$EDRDIAG" --json check-object --btf "$d/trim.btf" \
		"$BATS_FILE_TMPDIR/nested.bpf.o"
	assert_one_json
	prog co_nested '.verdict == "fail" and .stage == "relocation" and (.core | length) == 3 and
		([.core[] | select(.resolved == false)] | length) == 1 and
		(.core[] | select(.resolved == false) | .access == "task_struct.tgid" and
			.missing == "struct task_struct.tgid" and
			.closest == "struct task_struct.tgid_nr" and .poisons == true) and
		([.core[] | select(.resolved == true) | .access] | sort) ==
			["task_struct.real_parent", "task_struct.se.vruntime"]'
	run -1 --separate-stderr "$EDRDIAG" check-object --btf "$d/trim.btf" \
		"$BATS_FILE_TMPDIR/nested.bpf.o"
	[[ $output == *"CO-RE byte_off of task_struct.tgid (co_nested, insn "*"): the target lacks struct task_struct.tgid; closest: struct task_struct.tgid_nr"* ]] ||
		fail "$output"
	[[ $output == *"3 CO-RE relocation(s): 2 resolved in the target BTF"* ]] || fail "$output"
	# libbpf's own failing relocation, and the first-level closest, agree with the listing
	run -1 --separate-stderr "$EDRDIAG" --json check-object --btf "$d/trim.btf" \
		"$BATS_FILE_TMPDIR/nested.bpf.o" --program co_nested
	prog co_nested '(.core_unresolved | test("struct task_struct\\.tgid")) and
		(.core_closest | test("closest by name: task_struct\\.tgid_nr$"))'
	# an ELF with .BTF is a target too: the same answer from pahole -J's object
	cp "$d/trim.o" "$d/trimj.o"
	pahole -J "$d/trimj.o"
	run -1 --separate-stderr "$EDRDIAG" --json check-object --btf "$d/trimj.o" \
		"$BATS_FILE_TMPDIR/nested.bpf.o"
	prog co_nested '.core[] | select(.resolved == false) | .closest == "struct task_struct.tgid_nr"'
	assert_nothing_left
}

@test "check-object: the kfuncs a program calls are named from its relocations, and looked up in the target BTF" {
	require_root
	local dir=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus} d=$BATS_TEST_TMPDIR
	[ -d "$dir" ] || skip "corpus objects not built in $dir (BPFCORPUS_OBJ names them)"
	# before libbpf loads it, a kfunc call is "call -1": its name is its relocation's symbol
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/v_invalid_release.bpf.o"
	assert_one_json
	prog release_unacquired '[.calls[] | select(.kfunc)] == [.calls[] | select(.name == "bpf_task_release")] and
		(.calls[] | select(.kfunc) | .supported == true and .id > 0)'
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/l_kfunc_missing.bpf.o"
	prog call_missing '.calls == [{"name": "bpf_edrdiag_nosuch_kfunc", "id": -1, "kfunc": true, "supported": false}]'
	run -1 --separate-stderr "$EDRDIAG" check-object "$dir/l_kfunc_missing.bpf.o"
	[[ $output == *"kfunc bpf_edrdiag_nosuch_kfunc absent from the target BTF"* ]] || fail "$output"
	# against another kernel's BTF: one without the kfunc says so
	[ -x "$TOOLS/mkbtf" ] || fail "no $TOOLS/mkbtf: build the test tools"
	"$TOOLS/mkbtf" "$d/mini.btf"
	run -1 --separate-stderr "$EDRDIAG" --json check-object --btf "$d/mini.btf" "$dir/v_invalid_release.bpf.o"
	prog release_unacquired '.calls[] | select(.kfunc) | .name == "bpf_task_release" and .supported == false and .id == -1'
	assert_nothing_left
}

@test "check-object --btf: a BTF file is checked by edrdiag's reader before libbpf parses it" {
	local d=$BATS_TEST_TMPDIR
	# a well-formed header and one INT whose name offset points past the strings: libbpf
	# 1.1 accepts it; edrdiag's reader refuses it, and nothing is loaded with it
	python3 - "$d/bad.btf" <<'PY'
import struct, sys
types = struct.pack('<III', 9999, 1 << 24, 4) + struct.pack('<I', 32)  # INT, name_off 9999
strs = b'\0int\0'
hdr = struct.pack('<HBBIIIII', 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
open(sys.argv[1], 'wb').write(hdr + types + strs)
PY
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --btf "$d/bad.btf"
	[[ $stderr == "edrdiag: --btf '$d/bad.btf': not a BTF file (raw BTF or an ELF with .BTF)" ]] ||
		fail "$stderr"
	[ -z "$output" ] || fail "stdout: $output"
	# a directory: named as one
	run -2 --separate-stderr "$EDRDIAG" check-object "$OBJ" --btf "$d"
	[[ $stderr == *"--btf '$d': Is a directory"* ]] || fail "$stderr"
}

@test "check-object: a flavoured struct (task_struct___x) is looked up as the target's task_struct, and no unrelated closest is offered" {
	require_root
	local dir=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus}
	[ -f "$dir/l_core_relo.bpf.o" ] || skip "corpus objects not built in $dir (BPFCORPUS_OBJ names them)"
	run -1 --separate-stderr "$EDRDIAG" --json check-object "$dir/l_core_relo.bpf.o"
	assert_one_json
	prog missing_field '.core_closest == "the target'"'"'s struct task_struct has no member nosuch" and
		(.core | length) == 1 and .core[0].access == "task_struct___x.nosuch" and
		.core[0].resolved == false and .core[0].missing == "struct task_struct.nosuch" and
		.core[0].closest == null and .core[0].poisons == true'
	assert_nothing_left
}
