#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# collect-report: the bundle from this machine unpacks, matches its manifest and replays the
# live verdicts offline; hung and missing commands are recorded without stalling the run;
# planted secrets never reach the bundle; write failures leave nothing behind.

load helper

setup() {
	OUT=$BATS_TEST_TMPDIR/out
	mkdir -p "$OUT"
}

teardown() {
	if [ -n "${MNT:-}" ]; then
		umount "$MNT" 2>/dev/null || true
	fi
	if [ -n "${CANARY_PID:-}" ]; then
		kill "$CANARY_PID" 2>/dev/null || true
	fi
	rm -f /root/.ssh/edrdiag_canary_key
	if [ -n "${UNIT:-}" ]; then
		rm -f "/etc/systemd/system/$UNIT"
	fi
	if [ -n "${UNPRIV_OUT:-}" ]; then
		rm -rf "$UNPRIV_OUT"
	fi
}

# The one archive in $OUT, unpacked into $OUT/x; sets BUNDLE (archive) and ROOT (its tree).
unpack() {
	local n

	n=$(find "$OUT" -maxdepth 1 -name 'edrdiag-report-*.tar.gz' | wc -l)
	[ "$n" -eq 1 ] || fail "expected one archive in $OUT, found $n: $(ls -A "$OUT")"
	BUNDLE=$(find "$OUT" -maxdepth 1 -name 'edrdiag-report-*.tar.gz')
	mkdir -p "$OUT/x"
	tar xzf "$BUNDLE" -C "$OUT/x"
	ROOT=$(find "$OUT/x" -mindepth 1 -maxdepth 1 -type d)
	[ -f "$ROOT/manifest.json" ] || fail "no manifest.json in $BUNDLE"
}

# One manifest member of the item at a bundle path.
item() {
	jq -r --arg p "$1" --arg k "$2" '.items[] | select(.path == $p) | .[$k]' \
		"$ROOT/manifest.json"
}

# "id status" for every finding of a check that is not live-only, nor the replay's own
# root.bundle (see root_bundle.bats).
replayable() {
	"$EDRDIAG" "$@" --json | jq -r '.results[] | select(.id != "priv.capabilities" and
		.id != "root.bundle" and (.id | startswith("probe.") | not)) | "\(.id) \(.status)"'
}

@test "collect-report: bad input is a usage error (exit 2)" {
	run -2 --separate-stderr "$EDRDIAG" collect-report --timeout 0
	assert_equal "$stderr" "edrdiag: --timeout '0': expected a number from 1 to 3600"
	run -2 --separate-stderr "$EDRDIAG" collect-report --output /nonexistent
	[[ $stderr == *"--output '/nonexistent'"* ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" collect-report --lang fr
	[[ $stderr == *"expected en or zh"* ]] || fail "$stderr"
	run -2 --separate-stderr "$EDRDIAG" collect-report --root /tmp
	run -2 --separate-stderr "$EDRDIAG" collect-report --template --dry-run
	run -2 --separate-stderr "$EDRDIAG" --json collect-report --max-item-size 10
	assert_one_json
}

@test "collect-report: --dry-run lists the items and writes nothing" {
	cd "$OUT"
	run -0 --separate-stderr "$EDRDIAG" collect-report --dry-run
	assert_output --partial "proc/version"
	assert_output --partial "commands/journalctl-k.txt"
	assert_output --partial "bpftool -j prog list"
	[ -z "$(ls -A "$OUT")" ] || fail "--dry-run wrote: $(ls -A "$OUT")"
	run -0 --separate-stderr "$EDRDIAG" --json collect-report --dry-run
	assert_one_json
	[ "$(jq '.items | length' <<<"$output")" -gt 20 ] || fail "$output"
}

@test "collect-report: the bundle unpacks and every manifest size and sha256 matches" {
	require_root
	run -0 --separate-stderr "$EDRDIAG" --json collect-report --output "$OUT"
	assert_one_json
	assert_equal "$(jq -r .command <<<"$output")" collect-report
	unpack
	assert_equal "$(jq -r .path <<<"$output")" "$BUNDLE"
	[ "$(stat -c %a "$BUNDLE")" = 600 ] || fail "mode $(stat -c %a "$BUNDLE"), expected 600"
	[ -z "$(find "$OUT" -maxdepth 1 -name '.*' -type f)" ] || fail "temporary file left"
	local path bytes sum n=0
	while IFS=$'\t' read -r path bytes sum; do
		[ -f "$ROOT/$path" ] || fail "$path in the manifest, not in the bundle"
		assert_equal "$path $(stat -c %s "$ROOT/$path")" "$path $bytes"
		assert_equal "$path $(sha256sum "$ROOT/$path" | cut -d' ' -f1)" "$path $sum"
		n=$((n + 1))
	done < <(jq -r '.items[] | select(.collected) | [.path, .bytes, .sha256] | @tsv' \
		"$ROOT/manifest.json")
	[ "$n" -ge 20 ] || fail "only $n items collected"
	# and nothing in the bundle that the manifest does not list (the manifest itself aside)
	n=$(find "$ROOT" -type f ! -name manifest.json | wc -l)
	assert_equal "$n files" "$(jq '[.items[] | select(.collected)] | length' \
		"$ROOT/manifest.json") files"
	for f in report.md proc/version etc/os-release commands/uname-a.txt \
		commands/edrdiag-check-kernel.json; do
		[ -s "$ROOT/$f" ] || fail "$f missing or empty"
	done
	jq -e . "$ROOT/commands/edrdiag-check-kernel.json" >/dev/null || fail "not JSON"
	# edrdiag's own runs in the bundle hold to the JSON contract too
	for f in "$ROOT"/commands/edrdiag-*.json; do
		validate_json <"$f"
	done
}

@test "collect-report: check-kernel and check-tracepoints --root <bundle> replay the live host" {
	require_root
	run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	unpack
	local live replay
	for c in check-kernel check-tracepoints; do
		live=$(replayable "$c")
		replay=$(replayable "$c" --root "$ROOT")
		[ -n "$live" ] || fail "$c gave no findings"
		[ "$live" = "$replay" ] || fail "$c differs: $(diff <(echo "$live") <(echo "$replay"))"
	done
}

@test "collect-report: a hung journalctl is killed at --timeout and recorded; the run goes on" {
	require_root
	local stub=$BATS_TEST_TMPDIR/stub start end
	mkdir -p "$stub"
	printf '#!/bin/sh\necho started\nexec sleep 37.25\n' >"$stub/journalctl"
	chmod 755 "$stub/journalctl"
	start=$(date +%s%N)
	PATH=$stub:$PATH run -0 --separate-stderr "$EDRDIAG" collect-report --timeout 2 \
		--output "$OUT"
	end=$(date +%s%N)
	unpack
	assert_equal "$(item commands/journalctl-k.txt timed_out)" true
	assert_equal "$(item commands/journalctl-k.txt exit_status)" 137
	assert_equal "$(cat "$ROOT/commands/journalctl-k.txt")" started
	# 2 s for the stub, 0.25 s for the stats window, the rest well under a second
	[ $(((end - start) / 1000000)) -lt 4500 ] ||
		fail "run took $(((end - start) / 1000000)) ms with a 2 s timeout"
	! pgrep -f 'sleep 37.25' >/dev/null || fail "the stub's sleep survived"
}

@test "collect-report: a missing bpftool is recorded as missing, the rest collected" {
	require_root
	local bin=$BATS_TEST_TMPDIR/bin f
	mkdir -p "$bin"
	# every command of the usual PATH but bpftool
	for f in /usr/local/sbin/* /usr/local/bin/* /usr/sbin/* /usr/bin/* /sbin/* /bin/*; do
		[ -x "$f" ] && [ "$(basename "$f")" != bpftool ] || continue
		[ -e "$bin/$(basename "$f")" ] || ln -s "$f" "$bin/$(basename "$f")"
	done
	PATH=$bin run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	unpack
	for p in bpftool-prog-list bpftool-map-list bpftool-feature-probe; do
		assert_equal "$p $(item "commands/$p.json" collected)" "$p false"
		[[ $(item "commands/$p.json" why) == "missing binary"* ]] ||
			fail "$p: $(item "commands/$p.json" why)"
		[ ! -e "$ROOT/commands/$p.json" ] || fail "$p stored"
	done
	assert_equal "$(item commands/uname-a.txt exit_status)" 0
}

@test "collect-report: planted secrets and, with --redact, the host name are in no file" {
	require_root
	command -v unshare >/dev/null || skip "unshare(1) not installed"
	local key_token=EDRDIAGKEYCANARY7731 env_token=secret-XYZ-5521 host=canaryhost-q7z
	mkdir -p /root/.ssh
	printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
		"$key_token" >/root/.ssh/edrdiag_canary_key
	env EDRDIAG_CANARY=$env_token sleep 30 &
	CANARY_PID=$!
	# a host name of its own, in a UTS namespace, so the test knows nothing else holds it
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 --separate-stderr unshare --uts sh -c \
		'hostname "$1" && shift && exec "$@"' sh "$host" \
		"$EDRDIAG" collect-report --redact --output "$OUT"
	unpack
	[[ $(basename "$BUNDLE") == edrdiag-report-host-1-* ]] || fail "name: $BUNDLE"
	grep -q host-1 "$ROOT/commands/uname-a.txt" || fail "uname not redacted: $(cat \
		"$ROOT/commands/uname-a.txt")"
	for t in "$key_token" "$env_token" "$host" "OPENSSH PRIVATE KEY"; do
		! grep -rqiF -- "$t" "$OUT/x" || fail "'$t' found in: $(grep -rliF -- "$t" "$OUT/x")"
		! zgrep -aqiF -- "$t" "$BUNDLE" || fail "'$t' found in the archive"
	done
	# binary items are not redacted: replay still reads config.gz
	[ "$(replayable check-kernel --root "$ROOT")" = "$(replayable check-kernel)" ] ||
		fail "a redacted bundle does not replay check-kernel"
	[ "$(jq '.redactions.hostname' "$ROOT/manifest.json")" -ge 1 ] ||
		fail "no hostname redaction counted: $(jq -c .redactions "$ROOT/manifest.json")"
}

@test "collect-report: an unwritable output directory is exit 3 with nothing left" {
	require_root
	MNT=$OUT
	mount -t tmpfs -o ro,size=64k tmpfs "$MNT"
	run -3 --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	[ "$(wc -l <<<"$stderr")" -eq 1 ] || fail "not one line: $stderr"
	[[ $stderr == "edrdiag: cannot write to $OUT: Read-only file system" ]] || fail "$stderr"
	[ -z "$(ls -A "$OUT")" ] || fail "left: $(ls -A "$OUT")"
}

@test "collect-report: a full filesystem is exit 3 and no partial archive is left" {
	require_root
	MNT=$OUT
	mount -t tmpfs -o size=16k tmpfs "$MNT"
	run -3 --separate-stderr "$EDRDIAG" --json collect-report --output "$OUT"
	assert_one_json
	[[ $(jq -r .error.message <<<"$output") == *"No space left on device"* ]] || fail "$output"
	[ -z "$(ls -A "$OUT")" ] || fail "left: $(ls -A "$OUT")"
}

@test "collect-report: an existing file of the same name is not overwritten" {
	require_root
	local name
	export EDRDIAG_REPORT_TIME=20260101T000000Z
	run -0 --separate-stderr "$EDRDIAG" --json collect-report --output "$OUT"
	assert_one_json
	name=$(jq -r .path <<<"$output")
	[[ $name == *-20260101T000000Z.tar.gz ]] || fail "$name"
	echo precious >"$name"
	run -3 --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	[[ $stderr == *"exists; not overwritten"* ]] || fail "$stderr"
	assert_equal "$(cat "$name")" precious
	assert_equal "$(find "$OUT" -mindepth 1 -maxdepth 1 | wc -l)" 1
	EDRDIAG_REPORT_TIME=garbage run -2 --separate-stderr "$EDRDIAG" collect-report \
		--output "$OUT"
}

@test "collect-report: report.md has every section of the guide's 8.2 template, en and zh" {
	local s
	run -0 --separate-stderr "$EDRDIAG" collect-report --template --agent-version 4.2.0
	for s in '**Environment:**' '- Operating system: ' '- Kernel version: ' \
		'- Agent version: 4.2.0' '**Problem description:**' '- Symptoms:' \
		'- Steps to reproduce: <' '- Expected behaviour: <' '- Actual behaviour: <' \
		'**Logs and error messages:**' '- Error messages:' '- Related logs: ' \
		'**Solutions already tried:**'; do
		assert_output --partial "$s"
	done
	run -0 --separate-stderr "$EDRDIAG" collect-report --template --lang zh
	for s in '**环境信息:**' '- 操作系统: ' '- 内核版本: ' '- Agent 版本: ' '**问题描述:**' \
		'- 症状:' '- 重现步骤: <' '- 预期行为: <' '- 实际行为: <' '**日志和错误信息:**' \
		'- 错误消息:' '- 相关日志: ' '**已尝试的解决方案:**'; do
		assert_output --partial "$s"
	done
	refute_output --partial "Environment"
	[ -z "$(ls -A "$OUT")" ] || fail "--template wrote a file"
}

@test "collect-report: --agent names the agent by pid and executable, never its arguments" {
	sleep 29.75 &
	CANARY_PID=$!
	run -0 --separate-stderr "$EDRDIAG" collect-report --template --agent "$CANARY_PID" \
		--agent-version 9.8.7
	local exe
	exe=$(readlink "/proc/$CANARY_PID/exe")
	assert_output --partial "- Agent version: 9.8.7 (process $exe, pid $CANARY_PID)"
	assert_output --partial "  - How the agent was found: given with --agent"
	refute_output --partial "29.75"
	run -0 --separate-stderr "$EDRDIAG" collect-report --template --agent no-such-agent-x
	assert_output --partial "- Agent version: no process 'no-such-agent-x' running"
}

@test "collect-report: the agent window, the self-test and the host facts answer the guide" {
	require_root
	# the likely agent: the only process holding a tracing BPF program
	"$EDRDIAG" run-sensor --duration 60 >/dev/null 2>&1 &
	CANARY_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do
		grep -qs 'prog_id' /proc/"$CANARY_PID"/fdinfo/* && break
		sleep 0.1
	done
	run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --agent-window 1
	unpack
	assert_equal "$(jq -r .agent.pid "$ROOT/commands/edrdiag-stats.json")" "$CANARY_PID"
	jq -e '.window_s >= 0.9 and .window_s < 2' "$ROOT/commands/edrdiag-stats.json" ||
		fail "window: $(jq .window_s "$ROOT/commands/edrdiag-stats.json")"
	jq -e --argjson p "$CANARY_PID" '.agent.pid == $p and
		(.agent.found_by | startswith("likely agent: edrdiag (pid"))' "$ROOT/edrdiag-host.json" ||
		fail "$(jq -c .agent "$ROOT/edrdiag-host.json")"
	jq -e --argjson p "$CANARY_PID" '.bpf.holders[0].pid == $p and
		(.bpf.holders[0].program_names | index("edr_exec_tp (tracepoint)"))' \
		"$ROOT/edrdiag-host.json" || fail "$(jq -c .bpf "$ROOT/edrdiag-host.json")"
	assert_equal "$(jq .tainted.value "$ROOT/edrdiag-host.json")" "$(cat /proc/sys/kernel/tainted)"
	if [ -r /sys/kernel/security/lsm ]; then
		assert_equal "$(jq -r '.lsm | join(",")' "$ROOT/edrdiag-host.json")" \
			"$(cat /sys/kernel/security/lsm)"
	fi
	assert_equal "$(jq -r .status "$ROOT/commands/edrdiag-self-test.json")" pass
	for f in proc/cmdline proc/sys/kernel/kptr_restrict proc/sys/net/core/bpf_jit_harden \
		commands/bpftool-link-list.json; do
		[ -n "$(item "$f" path)" ] || fail "$f not in the manifest"
	done
	# the BTF subset lets a replay cross-check the tracepoint's offsets offline
	"$EDRDIAG" --root "$ROOT" --json check-tracepoints | jq -e '.results[] |
		select(.id == "tracepoint.sched/sched_process_exec.format") |
		.detail | test("offsets agree with BTF")' || fail "no BTF cross-check in the replay"
}

@test "collect-report: --agent UNIT finds the unit's journal; --agent-window is bounded" {
	require_root
	UNIT=edrdiag-bats-$$.service
	printf '[Service]\nExecStart=/bin/true\n' >"/etc/systemd/system/$UNIT"
	run -0 --separate-stderr "$EDRDIAG" collect-report --dry-run --agent "${UNIT%.service}"
	assert_output --partial "journalctl -u $UNIT -b --no-pager -q -n 5000"
	# half the deadline at most: the rest of the collection must fit
	run -0 --separate-stderr "$EDRDIAG" collect-report --dry-run --deadline 4 --agent-window 60
	# a process of the host that holds tracing programs is taken for the agent (--agent PID)
	assert_line --regexp "stats --json --interval 2( --agent [0-9]+)?$"
	run -2 --separate-stderr "$EDRDIAG" collect-report --agent-window 0.1
	assert_equal "$stderr" "edrdiag: --agent-window '0.1': expected seconds from 0.25 to 60 (such as 1 or 0.5)"
}

@test "collect-report: without BPF privilege it still writes a bundle, recording failures" {
	require_root
	command -v setpriv >/dev/null || skip "setpriv(1) not installed"
	# a directory uid 65534 can reach and write: not under the test's root-only tmpdir
	OUT=$(mktemp -d /tmp/edrdiag-report.XXXXXX)
	UNPRIV_OUT=$OUT
	chmod 755 "$OUT"
	chown 65534:65534 "$OUT"
	unprivileged collect-report --output "$OUT" --timeout 3
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	unpack
	assert_equal "$(item commands/uname-a.txt exit_status)" 0
	[ "$(item commands/bpftool-prog-list.json exit_status)" != 0 ] ||
		fail "bpftool prog list succeeded without privilege?"
	assert_equal "$(item commands/edrdiag-self-test.json status)" skipped
	[[ $(item commands/edrdiag-self-test.json why) == "loading the sensor needs "* ]] ||
		fail "self-test: $(item commands/edrdiag-self-test.json why)"
	# the summary and report.md say which items failed and why, and how to rerun
	assert_equal "$(item commands/dmesg.txt status)" denied
	assert_equal "$(item commands/edrdiag-stats.json status)" denied
	assert_output --partial "denied       commands/dmesg.txt: exit status 1: "
	assert_output --partial "To collect them: sudo "
	local md=$ROOT/report.md
	grep -qF '**Collected without full privilege** (uid 65534' "$md" || fail "no banner: $(head -5 "$md")"
	# shellcheck disable=SC2016 # backquotes of Markdown, not of the shell
	grep -qF 'Kernel log not available: `dmesg` was denied' "$md" || fail "$(grep -i 'kernel log' "$md")"
	! grep -qi 'no BPF-related error' "$md" || fail "a conclusion drawn from a denied kernel log"
	grep -qF "Rerun as root for a complete bundle: \`sudo " "$md" || fail "no rerun command"
	# shellcheck disable=SC2016 # backquotes of Markdown, not of the shell
	grep -qF '`commands/edrdiag-stats.json`: `/proc/self/exe --no-color stats' "$md" ||
		fail "the denied stats item is not listed under the errors"
}

# The corpus's objects (tests/bpfcorpus), built next to the binary.
corpus_obj() {
	local f=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus}/$1.bpf.o
	[ -f "$f" ] || skip "the corpus is not built ($f)"
	printf '%s' "$f"
}

@test "collect-report --object: check-object's verdict, the object and its sha256 are in the bundle" {
	require_root
	local good bad doc want
	good=$(corpus_obj ok_exec_sensor)
	bad=$(corpus_obj v_null_check_missing)
	run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --object "$good" \
		--object "$bad"
	unpack
	for o in "$good" "$bad"; do
		doc=$ROOT/commands/check-object-$(basename "$o").json
		[ -s "$doc" ] || fail "no $doc: $(ls "$ROOT/commands")"
		validate_json <"$doc"
		# the same object: its digest and size, in the document, the manifest and the copy
		want=$(sha256sum "$o" | cut -d' ' -f1)
		assert_equal "$(jq -r .sha256 "$doc") $(jq -r .size "$doc")" "$want $(stat -c %s "$o")"
		assert_equal "$(item "objects/$(basename "$o")" sha256)" "$want"
		assert_equal "$(item "objects/$(basename "$o")" bytes)" "$(stat -c %s "$o")"
		cmp "$o" "$ROOT/objects/$(basename "$o")"
	done
	jq -e '.status == "pass" and ([.programs[] | .verdict] | all(. == "pass"))' \
		"$ROOT/commands/check-object-$(basename "$good").json"
	jq -e '.status == "fail" and (.programs[0] | .verdict == "fail" and
		.cause == "verifier.null-check-missing" and .stage == "load")' \
		"$ROOT/commands/check-object-$(basename "$bad").json"
	# the template gives each object's verdict and cause
	grep -F "BPF object \`$(basename "$good")\`: check-object says it loads here" "$ROOT/report.md"
	grep -F "BPF object \`$(basename "$bad")\`: check-object says it does not load here" \
		"$ROOT/report.md"
	# shellcheck disable=SC2016 # the backticks are Markdown's
	grep -F 'fail, cause `verifier.null-check-missing`, stage load' "$ROOT/report.md"
}

# check-object --root DIR --json OBJ into $output (exit status checked by the caller's run)
prog_of() {
	printf '%s' "$output" | jq -c --arg n "$1" '.programs[] | select(.name == $n)'
}

@test "check-object --root: the bundle's stored verdict for that very object, else what its BTF says" {
	require_root
	command -v clang >/dev/null || skip "clang not installed: cannot compile the objects"
	local core good bad inc aux log
	core=$(corpus_obj l_core_relo)
	good=$(corpus_obj ok_exec_sensor)
	bad=$(corpus_obj v_null_check_missing)
	inc=/usr/include/$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	# reads a struct no bundle keeps unless an --object names it
	printf '%s\n' '#include <linux/bpf.h>' '#include <bpf/bpf_helpers.h>' \
		'#include <bpf/bpf_core_read.h>' \
		'struct bpf_prog_aux { unsigned int id; } __attribute__((preserve_access_index));' \
		'SEC("tracepoint/sched/sched_process_exec")' \
		'int co_aux(void *c) { return BPF_CORE_READ((struct bpf_prog_aux *)c, id); }' \
		'char L[] SEC("license") = "GPL";' >"$BATS_TEST_TMPDIR/aux.bpf.c"
	clang -O2 -g -target bpf -I"$inc" -c "$BATS_TEST_TMPDIR/aux.bpf.c" -o "$BATS_TEST_TMPDIR/aux.bpf.o"
	aux=$BATS_TEST_TMPDIR/aux.bpf.o
	# a bundle without the aux object, then one with it
	run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --object "$core" \
		--object "$good" --object "$bad"
	unpack

	# the very objects: the verdicts the host's check-object recorded, nothing loaded here
	log=$BATS_TEST_TMPDIR/strace.log
	run -1 --separate-stderr under_strace -f -qq -e trace=bpf -o "$log" "$EDRDIAG" --json --root "$ROOT" \
		check-object "$bad"
	assert_one_json
	! grep -q 'BPF_PROG_LOAD.*prog_name="no_null_check' "$log" || fail "loaded under --root"
	prog_of no_null_check | jq -e '.judged == "stored" and .verdict == "fail" and
		.cause == "verifier.null-check-missing" and .stage == "load" and .errno == 13' >/dev/null ||
		fail "$(prog_of no_null_check)"
	printf '%s' "$output" | jq -e '.target.kind == "bundle" and
		(.results[] | select(.id == "root.bundle") | .status == "pass")' >/dev/null || fail "$output"
	run -0 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$good"
	assert_one_json
	prog_of on_exec | jq -e '.judged == "stored" and .verdict == "pass"' >/dev/null ||
		fail "$(prog_of on_exec)"
	run -1 --separate-stderr "$EDRDIAG" --root "$ROOT" check-object "$core"
	[[ $output == *"on the target, as collected: refused at the relocation stage"* ]] || fail "$output"

	# the same object changed by one byte: not the one stored, so judged by the bundle's BTF:
	# the relocation it lacks fails it, one that resolves leaves the verdict to the target
	cp "$core" "$BATS_TEST_TMPDIR/core2.o"
	printf 'x' >>"$BATS_TEST_TMPDIR/core2.o"
	run -1 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$BATS_TEST_TMPDIR/core2.o"
	assert_one_json
	prog_of missing_field | jq -e '.judged == "static" and .verdict == "fail" and
		.cause == "libbpf.core-relo" and .stage == "relocation" and
		.core[0].resolved == false and .core[0].missing == "struct task_struct.nosuch"' >/dev/null ||
		fail "$(prog_of missing_field)"
	cp "$good" "$BATS_TEST_TMPDIR/good2.o"
	printf 'x' >>"$BATS_TEST_TMPDIR/good2.o"
	run -0 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$BATS_TEST_TMPDIR/good2.o"
	assert_one_json
	prog_of on_exec | jq -e '.judged == "static" and .verdict == "skip" and (.core | length) > 0 and
		([.core[] | .resolved] | all(. == true))' >/dev/null || fail "$(prog_of on_exec)"
	# a root type the subset does not hold: not checked, never "missing"
	run -0 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$aux"
	assert_one_json
	prog_of co_aux | jq -e '.verdict == "skip" and .core[0].resolved == null and
		(.core[0].missing | startswith("not checked: the bundle'"'"'s BTF subset does not hold struct bpf_prog_aux"))' \
		>/dev/null || fail "$(prog_of co_aux)"
	# --attach attaches on this host: refused under --root
	run -2 --separate-stderr "$EDRDIAG" --root "$ROOT" check-object --attach "$good"
	[[ $stderr == *"--attach attaches on this host: not under --root"* ]] || fail "$stderr"

	# an edited stored verdict no longer matches the manifest: not taken, and the bundle fails
	sed -i 's/"verdict": *"fail"/"verdict": "pass"/' "$ROOT/commands/check-object-$(basename "$bad").json"
	run -1 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$bad"
	assert_one_json
	prog_of no_null_check | jq -e '.judged == "static" and .verdict == "skip"' >/dev/null ||
		fail "$(prog_of no_null_check)"
	printf '%s' "$output" | jq -e '.results[] | select(.id == "root.bundle") | .status == "fail"' \
		>/dev/null || fail "$output"

	# a hostile BTF in the bundle (a name offset past its strings): refused with the reason,
	# every relocation "not checked", nothing read past the file
	python3 - "$ROOT/sys/kernel/btf/vmlinux" <<'PY'
import struct, sys
types = struct.pack('<III', 9999, 4 << 24, 0)  # STRUCT, vlen 0, name_off 9999
strs = b'\0'
hdr = struct.pack('<HBBIIIII', 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
open(sys.argv[1], 'wb').write(hdr + types + strs)
PY
	run -1 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$BATS_TEST_TMPDIR/good2.o"
	assert_one_json
	printf '%s' "$output" | jq -e '(.core_error | test("the bundle.s /sys/kernel/btf/vmlinux: ")) and
		(.programs[0] | .verdict == "skip" and ([.core[] | .resolved] | all(. == null)))' \
		>/dev/null || fail "$(printf '%s' "$output" | jq -c '{core_error, p: .programs[0].core[0]}')"

	# a FIFO where the BTF was: refused (never read, never waited on), said as a refusal
	rm "$ROOT/sys/kernel/btf/vmlinux"
	mkfifo "$ROOT/sys/kernel/btf/vmlinux"
	run -1 --separate-stderr timeout 20 "$EDRDIAG" --json --root "$ROOT" check-object \
		"$BATS_TEST_TMPDIR/good2.o"
	assert_one_json
	printf '%s' "$output" | jq -e '(.core_error | test("FIFO")) and
		(.results[] | select(.id == "root.refused") | .status == "fail")' >/dev/null ||
		fail "$(printf '%s' "$output" | jq -c '{core_error, r: [.results[] | .id]}')"

	# a bundle collected with --object aux keeps bpf_prog_aux: it resolves there
	rm -rf "$OUT"
	mkdir -p "$OUT"
	run -0 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --object "$aux"
	unpack
	cp "$aux" "$BATS_TEST_TMPDIR/aux2.o"
	printf 'x' >>"$BATS_TEST_TMPDIR/aux2.o"
	run -0 --separate-stderr "$EDRDIAG" --json --root "$ROOT" check-object "$BATS_TEST_TMPDIR/aux2.o"
	prog_of co_aux | jq -e '.judged == "static" and .core[0].resolved == true' >/dev/null ||
		fail "$(prog_of co_aux)"
}

@test "collect-report --object: --dry-run lists the check and the copy" {
	local good
	good=$(corpus_obj ok_exec_sensor)
	cd "$OUT"
	run -0 --separate-stderr "$EDRDIAG" collect-report --dry-run --object "$good"
	assert_output --partial "commands/check-object-ok_exec_sensor.bpf.o.json"
	assert_output --partial "objects/ok_exec_sensor.bpf.o"
	[ -z "$(ls -A "$OUT")" ] || fail "--dry-run wrote: $(ls -A "$OUT")"
}

@test "collect-report --object: a missing, empty or non-regular object is exit 2, one line, no bundle" {
	local good fifo=$BATS_TEST_TMPDIR/fifo empty=$BATS_TEST_TMPDIR/empty.o
	good=$(corpus_obj ok_exec_sensor)
	mkfifo "$fifo"
	: >"$empty"
	for bad in /nonexistent/x.o "$BATS_TEST_TMPDIR" "$fifo" "$empty" /dev/null; do
		run -2 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" \
			--object "$good" --object "$bad"
		[[ $stderr == "edrdiag: --object '$bad': "* ]] || fail "$bad: $stderr"
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "$bad: not one line: $stderr"
		[ -z "$output" ] || fail "$bad: $output"
		[ -z "$(ls -A "$OUT")" ] || fail "$bad: left $(ls -A "$OUT")"
	done
	# at most four
	run -2 --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --object "$good" \
		--object "$good" --object "$good" --object "$good" --object "$good"
	assert_equal "$stderr" "edrdiag: --object: at most 4 objects"
	[ -z "$(ls -A "$OUT")" ] || fail "left $(ls -A "$OUT")"
	# JSON: the error document
	run -2 --separate-stderr "$EDRDIAG" --json collect-report --output "$OUT" --object /nonexistent
	assert_one_json
	[ -z "$(ls -A "$OUT")" ] || fail "left $(ls -A "$OUT")"
}
