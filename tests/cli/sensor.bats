#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Live tests of run-sensor: the reference exec sensor really loads, sees execs with the right
# pid, ppid and filename, counts and reconciles what it drops, stops cleanly on a signal, and
# leaves nothing loaded, attached or pinned. They need root; elsewhere they skip and say why.
#
# Other sensors (a benchmark, another test run) may be loaded at the same time: BPF objects
# are compared by id, never by name or count alone.

load helper

setup() {
	# the unprivileged tests drop root themselves, or run as they are
	[[ "$BATS_TEST_DESCRIPTION" == unprivileged* ]] || require_root
	STORM=$TOOLS/execstorm
	SENSOR_PID=
}

# a test that failed half-way must not leave its sensor running into the next one
teardown() {
	if [ -n "$SENSOR_PID" ]; then
		kill -KILL "$SENSOR_PID" 2>/dev/null || true
		wait "$SENSOR_PID" 2>/dev/null || true
	fi
}

need_bpftool() {
	command -v bpftool >/dev/null || skip "bpftool not installed: cannot list BPF objects"
}

# Start run-sensor in the background (stdout to $1, stderr to $2, then its options) and wait
# until it says it is attached (in JSON mode only -v says so). Sets SENSOR_PID, SENSOR_ERR and
# SENSOR_PROG (the program id it reports).
start_sensor() {
	local out=$1 err=$2 _
	shift 2
	"$EDRDIAG" -v run-sensor "$@" >"$out" 2>"$err" &
	SENSOR_PID=$!
	SENSOR_ERR=$err
	for _ in $(seq 100); do
		grep -qs "sensor attached" "$err" && break
		kill -0 "$SENSOR_PID" 2>/dev/null ||
			{ fail "run-sensor exited before attaching: $(grep -v '^libbpf: ' "$err")"; return; }
		sleep 0.05
	done
	grep -q "sensor attached" "$err" || { fail "run-sensor did not attach within 5 s"; return; }
	SENSOR_PROG=$(sed -nE 's/.*sensor attached .*\(prog id ([0-9]+)\).*/\1/p' "$err")
	[ -n "$SENSOR_PROG" ] || fail "no prog id in: $(grep 'sensor attached' "$err")"
}

# Wait up to $1 seconds for the sensor to exit; its exit status goes in SENSOR_RC. A sensor
# that does not stop (a signal ignored, a deadline missed) is killed and the test fails,
# rather than hanging the suite.
wait_sensor() {
	local _ state
	for _ in $(seq $(($1 * 20))); do
		state=$(awk '{print $3}' "/proc/$SENSOR_PID/stat" 2>/dev/null) || break
		[ "$state" = Z ] && break
		sleep 0.05
	done
	if [ "$state" != Z ] && kill -0 "$SENSOR_PID" 2>/dev/null; then
		kill -KILL "$SENSOR_PID"
		wait "$SENSOR_PID" || true
		SENSOR_PID=
		fail "run-sensor still running after $1 s: $(grep -v '^libbpf: ' "$SENSOR_ERR")"
		return
	fi
	SENSOR_RC=0
	wait "$SENSOR_PID" || SENSOR_RC=$?
	SENSOR_PID=
}

# "prog ID NAME", "map ID NAME", "link ID prog=PROG": every BPF object on the host, sorted
bpf_objects() {
	{
		bpftool -j prog list | jq -r '.[] | "prog \(.id) \(.name // "-")"'
		bpftool -j map list | jq -r '.[] | "map \(.id) \(.name // "-")"'
		bpftool -j link list | jq -r '.[] | "link \(.id) prog=\(.prog_id // "-")"'
	} | sort
}

# The objects of the sensor whose program is $1: the program, its maps, its links ("kind id").
sensor_objects() {
	echo "prog $1"
	bpftool -j prog show id "$1" | jq -r '.map_ids[] | "map \(.)"'
	bpftool -j link list | jq -r --argjson p "$1" '.[] | select(.prog_id == $p) | "link \(.id)"'
}

# Succeeds once none of the objects listed in file $1 ("kind id") exists any more; the kernel
# may free them a moment after the last fd closes.
wait_objects_gone() {
	local _ left
	for _ in $(seq 40); do
		left=$(bpf_objects | awk '{print $1, $2}' | grep -Fxf "$1") || return 0
		sleep 0.05
	done
	echo "still loaded: $left"
	return 1
}

# The sensor's object names: programs edr_*, maps events/counters/scratch/<obj>.rodata.
OURS='^(prog [0-9]+ edr_|map [0-9]+ (events|counters|scratch|sensor_b\..*)$|link )'

# Succeeds when no object of a sensor's kind that appeared since file $1 (bpf_objects) is
# orphaned: every new one must still be held open by a live process (another sensor running
# at the same time). A leak is an object nobody holds; it does not go away by itself.
no_orphans_since() {
	local _ new held orphans
	for _ in $(seq 20); do
		new=$(bpf_objects | comm -13 "$1" - | grep -E "$OURS" | awk '{print $1, $2}')
		[ -z "$new" ] && return 0
		held=$(grep -hE '^(prog|map|link)_id:' /proc/[0-9]*/fdinfo/* 2>/dev/null |
			sed -E 's/_id:[[:space:]]*/ /' | sort -u)
		orphans=$(grep -Fxvf <(printf '%s\n' "$held") <<<"$new") || return 0
		sleep 0.1
	done
	echo "BPF objects left behind, held by no process: $orphans"
	return 1
}

bpffs_entries() {
	find /sys/fs/bpf -mindepth 1 2>/dev/null | sort
}

# Each line of file $1 is one JSON object; event lines are exec events; the last is the summary.
# Returns at the first broken rule, so it also works under `run` (no errexit there).
assert_ndjson() {
	local n
	n=$(wc -l <"$1")
	[ "$n" -ge 1 ] || { fail "no output"; return; }
	jq -e . "$1" >/dev/null || { fail "not a stream of JSON documents"; return; }
	# one object per line: as many documents as lines
	[ "$(jq -c . "$1" | wc -l)" -eq "$n" ] ||
		{ fail "a document spans lines, or a line holds two"; return; }
	jq -se 'all(.[]; type == "object")' "$1" >/dev/null || { fail "a line is not an object"; return; }
	jq -se '.[:-1] | all(.[]; .event == "exec")' "$1" >/dev/null ||
		{ fail "a line before the summary is not an exec event"; return; }
	tail -n 1 "$1" | jq -e '.command == "run-sensor" and (has("event") | not)' >/dev/null ||
		fail "the last line is not run-sensor's summary"
	# each line against its schema: the events', and the summary's
	assert_json_lines "$1"
}

@test "run-sensor --self-test passes with the ring buffer (the CI smoke check)" {
	run -0 --separate-stderr "$EDRDIAG" run-sensor --self-test --transport ringbuf
	[[ "$stderr" == *"sensor attached with tracepoint, ringbuf transport"* ]]
	[[ "$stderr" == *"100 of 100 canary execs seen correctly"* ]]
	[[ "$stderr" == *"run-sensor: PASS"* ]]
	[ -z "$output" ] # no event lines in a self-test
}

@test "run-sensor --self-test passes with the perf buffer" {
	run -0 --separate-stderr "$EDRDIAG" run-sensor --self-test=50 --transport perfbuf --json
	assert_one_json
	printf '%s' "$output" | jq -e '.status == "pass" and .stats.transport == "perfbuf"'
	printf '%s' "$output" | jq -e '.selftest.seen == 50 and .selftest.missed == 0'
	printf '%s' "$output" | jq -e '.stats.reconciled == true and .stats.dropped == 0'
	[ "$(status_of sensor.transport)" = pass ]
	[ -z "$stderr" ]
}

@test "run-sensor --self-test passes attached as a raw tracepoint" {
	run -0 --separate-stderr "$EDRDIAG" run-sensor --self-test=50 --attach raw-tracepoint --json
	assert_one_json
	printf '%s' "$output" | jq -e '.status == "pass" and .stats.attach == "raw-tracepoint"'
	printf '%s' "$output" | jq -e '[.attempts[].method] == ["raw-tracepoint"]'
	printf '%s' "$output" | jq -e '.selftest.seen == 50 and .selftest.wrong_filename == 0'
	[ "$(status_of selftest.seen)" = pass ]
}

@test "run-sensor --self-test=20 --json: one object per line, ending with the summary" {
	run -0 --separate-stderr "$EDRDIAG" run-sensor --self-test=20 --json
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_ndjson "$BATS_TEST_TMPDIR/out"
	tail -n 1 "$BATS_TEST_TMPDIR/out" | jq -e '.selftest.seen == 20 and .selftest.execs == 20'
	tail -n 1 "$BATS_TEST_TMPDIR/out" | jq -e '.selftest.problems == [] and .selftest.failed_execs == 0'
	# the self-test checks execve, execveat and fexecve against edrdiag's own pid as ppid
	tail -n 1 "$BATS_TEST_TMPDIR/out" |
		jq -e '.results[] | select(.id == "selftest.seen") | .detail | test("execve, execveat and fexecve")'
	tail -n 1 "$BATS_TEST_TMPDIR/out" | jq -e '.selftest.latency_p50_us > 0'
}

@test "run-sensor --json --duration sees a burst of known execs with their pid, ppid and filename" {
	local dir=$BATS_TEST_TMPDIR link name pids=() p me=$BASHPID
	# a name no other process execs, short enough to be the whole comm
	name=edr$$x$RANDOM
	link=$dir/$name
	ln -s "$(type -P true)" "$link"
	start_sensor "$dir/out" "$dir/err" --json --duration 2
	for p in $(seq 20); do
		"$link" &
		pids+=("$!")
	done
	wait "${pids[@]}"
	wait_sensor 10
	[ "$SENSOR_RC" -eq 0 ] || fail "run-sensor exited $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
	assert_ndjson "$dir/out"
	# exactly our execs carry that filename, each once, each with the right identity
	jq -c --arg f "$link" 'select(.event == "exec" and .filename == $f)' "$dir/out" >"$dir/ours"
	[ "$(wc -l <"$dir/ours")" -eq 20 ] || fail "$(wc -l <"$dir/ours") of 20 execs seen"
	for p in "${pids[@]}"; do
		jq -se --argjson p "$p" --argjson pp "$me" --arg c "$name" \
			'[.[] | select(.pid == $p)] | length == 1 and (.[0] | .tgid == $p and
			 .ppid == $pp and .old_pid == $p and .uid == 0 and .comm == $c and .flags == [])' \
			"$dir/ours" >/dev/null ||
			fail "pid $p not seen as expected (ppid $me): $(grep "\"pid\":$p," "$dir/ours")"
	done
	tail -n 1 "$dir/out" | jq -e '.stats.received >= 20 and .stats.reconciled == true'
	tail -n 1 "$dir/out" | jq -e '.stats.duration_s >= 1.9 and .stats.duration_s < 3'
}

@test "SIGINT stops run-sensor: exit 0, summary with stopped_by, nothing left loaded" {
	need_bpftool
	local dir=$BATS_TEST_TMPDIR
	bpf_objects >"$dir/before"
	start_sensor "$dir/out" "$dir/err" --json
	sensor_objects "$SENSOR_PROG" >"$dir/ours"
	# the program, its ring buffer and counters, and the tracepoint link really were there
	grep -qx "prog $SENSOR_PROG" "$dir/ours"
	[ "$(grep -c '^map ' "$dir/ours")" -ge 3 ]
	[ "$(grep -c '^link ' "$dir/ours")" -eq 1 ]
	bpftool -j prog show id "$SENSOR_PROG" | jq -e '.name == "edr_exec_tp"'
	kill -INT "$SENSOR_PID"
	wait_sensor 5
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC after SIGINT: $(grep -v '^libbpf: ' "$dir/err")"
	assert_ndjson "$dir/out"
	tail -n 1 "$dir/out" | jq -e '.stopped_by == "SIGINT" and .stats.reconciled == true'
	wait_objects_gone "$dir/ours"
	no_orphans_since "$dir/before"
}

# voluntary context switches of process $1's main thread (its reader)
vcsw() {
	awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/task/$1/status"
}

@test "run-sensor on a quiet host sleeps with no timer: a handful of wake-ups in 2 s" {
	local dir=$BATS_TEST_TMPDIR a b
	# only execs by a process that makes none: the BPF side drops every other exec before
	# the ring buffer, so the reader hears of nothing, whatever else runs on the host
	sleep 60 &
	local quiet=$!
	start_sensor "$dir/out" "$dir/err" --pid "$quiet"
	sleep 0.5
	a=$(vcsw "$SENSOR_PID")
	sleep 2
	b=$(vcsw "$SENSOR_PID")
	kill -INT "$SENSOR_PID"
	wait_sensor 5
	kill "$quiet"
	wait "$quiet" 2>/dev/null || true
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
	# a 20 ms poll timer made 100 here; the reader now sleeps until an event or a signal
	[ $((b - a)) -le 5 ] || fail "$((b - a)) voluntary context switches in 2 s of quiet"
}

@test "run-sensor asleep with no timer still stops at once on SIGINT, and wakes for an exec" {
	local dir=$BATS_TEST_TMPDIR
	mkdir "$dir/bin"
	ln -s "$(readlink -f /bin/true)" "$dir/bin/edrquietprobe"
	local a b c
	start_sensor "$dir/out" "$dir/err" --comm edrquietprobe
	sleep 1
	a=$(vcsw "$SENSOR_PID")
	sleep 0.5
	b=$(vcsw "$SENSOR_PID")
	# the exec wakes the reader, which had no timer to wake it
	"$dir/bin/edrquietprobe"
	sleep 0.5
	c=$(vcsw "$SENSOR_PID")
	[ "$b" -eq "$a" ] || fail "the reader woke $((b - a)) times in half a second of quiet"
	[ "$c" -gt "$b" ] || fail "the exec did not wake the reader"
	kill -INT "$SENSOR_PID"
	wait_sensor 2
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
	grep -q edrquietprobe "$dir/out" || fail "the exec was not printed: $(cat "$dir/out")"
}

# Wait up to $2 seconds for a line matching $1 in file $3; 0 when it came.
wait_line() {
	local _
	for _ in $(seq $(($2 * 20))); do
		grep -qs -- "$1" "$3" && return 0
		sleep 0.05
	done
	return 1
}

@test "run-sensor prints an exec on a quiet host at once, into a pipe, whatever its reorder window" {
	local dir=$BATS_TEST_TMPDIR
	mkdir "$dir/bin"
	ln -s "$(readlink -f /bin/true)" "$dir/bin/edrpipeprobe"
	# a 10 s window: only the ring read to its end may release the event before it ends;
	# a pipe: stdio's 4 KiB buffer would hold the line until exit but for the flush
	"$EDRDIAG" -v run-sensor --reorder-ms 10000 --comm edrpipeprobe 2>"$dir/err" |
		cat >"$dir/out" &
	local pipeline=$! _
	for _ in $(seq 100); do
		grep -qs "sensor attached" "$dir/err" && break
		sleep 0.05
	done
	grep -q "sensor attached" "$dir/err" || fail "run-sensor did not attach: $(cat "$dir/err")"
	SENSOR_PID=$(pgrep -f -- "--comm edrpipeprobe" | head -n 1)
	"$dir/bin/edrpipeprobe"
	wait_line edrpipeprobe 5 "$dir/out" ||
		fail "the exec did not reach the pipe within 5 s: $(cat "$dir/out")"
	kill -INT "$SENSOR_PID"
	wait "$pipeline"
	grep -q 'PASS *sensor.order' "$dir/err" || fail "$(grep sensor.order "$dir/err")"
}

@test "run-sensor --transport perfbuf holds an event for its reorder window: no point is safe there" {
	local dir=$BATS_TEST_TMPDIR
	mkdir "$dir/bin"
	ln -s "$(readlink -f /bin/true)" "$dir/bin/edrperfprobe"
	start_sensor "$dir/out" "$dir/err" --transport perfbuf --reorder-ms 3000 --comm edrperfprobe
	"$dir/bin/edrperfprobe"
	sleep 1
	! grep -q edrperfprobe "$dir/out" || fail "printed before its 3 s window ended"
	wait_line edrperfprobe 10 "$dir/out" || fail "not printed after its window"
	kill -INT "$SENSOR_PID"
	wait_sensor 5
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
}

@test "SIGTERM stops run-sensor: exit 0, summary on stderr, nothing left loaded" {
	need_bpftool
	local dir=$BATS_TEST_TMPDIR
	bpf_objects >"$dir/before"
	start_sensor "$dir/out" "$dir/err" --transport perfbuf
	sensor_objects "$SENSOR_PROG" >"$dir/ours"
	grep -q '^link ' "$dir/ours"
	kill -TERM "$SENSOR_PID"
	wait_sensor 5
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC after SIGTERM: $(grep -v '^libbpf: ' "$dir/err")"
	# plain mode: events on stdout under a header, the summary on stderr
	head -n 1 "$dir/out" | grep -q '^TIME  *PID  *PPID  *UID  *COMM  *FILENAME$'
	grep -q 'sensor.reconcile *seen = delivered + dropped holds' "$dir/err"
	grep -q '^run-sensor: PASS' "$dir/err"
	wait_objects_gone "$dir/ours"
	no_orphans_since "$dir/before"
	# and the same with --json: stopped_by names the signal
	start_sensor "$dir/out" "$dir/err" --json --transport perfbuf
	kill -TERM "$SENSOR_PID"
	wait_sensor 5
	[ "$SENSOR_RC" -eq 0 ] || fail "exit $SENSOR_RC after SIGTERM with --json"
	tail -n 1 "$dir/out" | jq -e '.stopped_by == "SIGTERM" and .stats.transport == "perfbuf"'
}

@test "after SIGKILL the kernel frees the sensor: nothing loaded, nothing pinned" {
	need_bpftool
	local dir=$BATS_TEST_TMPDIR
	bpf_objects >"$dir/before"
	bpffs_entries >"$dir/bpffs.before"
	start_sensor "$dir/out" "$dir/err" --json
	sensor_objects "$SENSOR_PROG" >"$dir/ours"
	[ "$(wc -l <"$dir/ours")" -ge 5 ]
	bpffs_entries | diff "$dir/bpffs.before" - # nothing pinned while it runs either
	kill -KILL "$SENSOR_PID"
	wait_sensor 5
	[ "$SENSOR_RC" -eq 137 ]
	wait_objects_gone "$dir/ours"
	no_orphans_since "$dir/before"
	bpffs_entries | diff "$dir/bpffs.before" -
}

@test "--attach kprobe fails with exit 3 on a kernel without kprobes, naming CONFIG_KPROBES" {
	[ -e /sys/bus/event_source/devices/kprobe ] && skip "this kernel has kprobes (kprobe PMU present)"
	need_bpftool
	bpf_objects >"$BATS_TEST_TMPDIR/before"
	run -3 --separate-stderr "$EDRDIAG" run-sensor --attach kprobe
	[ -z "$output" ]
	[[ "$stderr" == *"cannot run the sensor: kprobe: "*"kprobes are not available"*"CONFIG_KPROBES"* ]]
	[[ "$stderr" == *"FAIL   sensor.attach"* ]]
	# only the method asked for was tried
	[[ "$stderr" != *"tracepoint: "* ]]
	run -3 --separate-stderr "$EDRDIAG" run-sensor --attach kprobe --json
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | test("kprobes are not available.*CONFIG_KPROBES")'
	# the summary is still written, the error in it: the attempt says why it failed
	printf '%s' "$output" | jq -e '.command == "run-sensor" and .status == "fail" and
		.error.code == "environment" and (.attempts | length == 1) and
		.attempts[0].method == "kprobe" and (.attempts[0].reason | test("CONFIG_KPROBES")) and
		(.results[] | select(.id == "sensor.attach") | .status == "fail")'
	[ -z "$stderr" ]
	# the program loaded before the attach failed: it must not stay behind
	no_orphans_since "$BATS_TEST_TMPDIR/before"
}

@test "--attach kprobe: the failed attempt carries the catalogue's cause, as check-object names it" {
	[ -e /sys/bus/event_source/devices/kprobe ] && skip "this kernel has kprobes (kprobe PMU present)"
	local obj want
	obj=${BPFCORPUS_OBJ:-$(dirname "$EDRDIAG")/tests/bpfcorpus}/a_kprobe_unavailable.bpf.o
	[ -f "$obj" ] || skip "the corpus is not built (tests/bpfcorpus)"
	# the oracle: what check-object says of a kprobe program of the corpus on this host
	run "$EDRDIAG" check-object --json "$obj"
	want=$(printf '%s' "$output" | jq -r '.programs[0].cause')
	[ "$want" = attach.kprobes-unavailable ]
	run -3 --separate-stderr "$EDRDIAG" run-sensor --attach kprobe --json
	assert_one_json
	printf '%s' "$output" | jq -e --arg want "$want" '.attempts[0] |
		.cause == $want and .stage == "attach" and .errno > 0 and
		(.remedy | length > 0) and (.evidence | test("libbpf: .*kprobe"))'
	# the remedy is the catalogue's own, not a copy
	run "$EDRDIAG" check-object --json "$obj"
	local remedy
	remedy=$(printf '%s' "$output" | jq -r '.programs[0].remedy')
	run -3 --separate-stderr "$EDRDIAG" run-sensor --attach kprobe --json
	printf '%s' "$output" | jq -e --arg r "$remedy" '.attempts[0].remedy == $r'
	# plain: the finding and the one-line error name the cause
	run -3 --separate-stderr "$EDRDIAG" run-sensor --attach kprobe
	[[ "$stderr" == *"[cause $want]"* ]]
	[[ "$stderr" == *"kprobe: cause $want, stage attach, errno ENOENT"* ]]
	[[ "$stderr" == *"kprobe: remedy: "* ]]
	# the evidence is libbpf's own line, also printed as it came under -v
	[[ "$stderr" == *"kprobe: log: libbpf: "* ]]
	run -3 --separate-stderr "$EDRDIAG" -v run-sensor --attach kprobe
	[[ "$stderr" == *$'\n'"libbpf: "*"kprobe"* ]] || [[ "$stderr" == "libbpf: "*"kprobe"* ]]
}

@test "a method that attaches has no cause: null in JSON" {
	run --separate-stderr "$EDRDIAG" run-sensor --attach tracepoint --json --duration 1
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	printf '%s' "$output" | tail -n 1 | jq -e '.attempts[-1] |
		.method == "tracepoint" and .errno == 0 and .cause == null and .remedy == null and
		.evidence == null'
	printf '%s' "$output" | tail -n 1 | validate_json
}

@test "a tiny ring buffer under an exec burst: drops are counted and reconciled" {
	[ -x "$STORM" ] || fail "$STORM not built"
	local dir=$BATS_TEST_TMPDIR
	start_sensor "$dir/out" "$dir/err" --buffer-size 4096 --duration 4 --json
	# the reader stops; the kernel side keeps running and must count what does not fit
	kill -STOP "$SENSOR_PID"
	"$STORM" 300 2 || { kill -CONT "$SENSOR_PID"; fail "execstorm failed"; }
	kill -CONT "$SENSOR_PID"
	wait_sensor 10
	[ "$SENSOR_RC" -eq 0 ] || fail "run-sensor exited $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
	assert_ndjson "$dir/out"
	tail -n 1 "$dir/out" >"$dir/summary"
	output=$(cat "$dir/summary")
	jq -e '.stats.buffer_bytes == 4096 and .stats.transport == "ringbuf"' "$dir/summary"
	jq -e '.stats.dropped > 0 and .stats.reconciled == true' "$dir/summary"
	jq -e '.stats.kernel_seen == .stats.received + .stats.dropped' "$dir/summary"
	# every drop shows up as a missing sequence number, and only drops do
	jq -e '.stats.sequence_gaps <= .stats.dropped and .stats.invalid == 0' "$dir/summary"
	[ "$(status_of sensor.drops)" = warn ]
	[ "$(status_of sensor.reconcile)" = pass ]
	[ "$(status_of sensor.validation)" = pass ]
	jq -e '.status == "warn"' "$dir/summary"
	# the events that did arrive are listed, one line each, before the summary
	[ "$(grep -c '"event":"exec"' "$dir/out")" -eq "$(jq .stats.received "$dir/summary")" ]
}

@test "a tiny perf buffer under an exec burst: drops are counted and reconciled" {
	[ -x "$STORM" ] || fail "$STORM not built"
	local dir=$BATS_TEST_TMPDIR
	start_sensor "$dir/out" "$dir/err" --transport perfbuf --buffer-size 4096 --duration 4 --json
	kill -STOP "$SENSOR_PID"
	"$STORM" 300 2 || { kill -CONT "$SENSOR_PID"; fail "execstorm failed"; }
	kill -CONT "$SENSOR_PID"
	wait_sensor 10
	[ "$SENSOR_RC" -eq 0 ] || fail "run-sensor exited $SENSOR_RC: $(grep -v '^libbpf: ' "$dir/err")"
	tail -n 1 "$dir/out" >"$dir/summary"
	output=$(cat "$dir/summary")
	jq -e '.stats.transport == "perfbuf" and .stats.dropped > 0' "$dir/summary"
	jq -e '.stats.reconciled == true and .stats.kernel_seen == .stats.received + .stats.dropped' \
		"$dir/summary"
	[ "$(status_of sensor.drops)" = warn ]
	[ "$(status_of sensor.reconcile)" = pass ]
}

@test "run-sensor changes no tracing state and never turns BPF stats on" {
	local dir knob=/proc/sys/kernel/bpf_stats_enabled t
	for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$t/events" ] && { dir=$t; break; }
	done
	[ -n "$dir" ] || fail "tracefs is not mounted on this host (scripts/setup.sh mounts it)"
	snapshot() {
		cat "$dir/tracing_on" "$dir/current_tracer" "$dir/set_event" "$dir/uprobe_events" \
			"$dir/dynamic_events" "$dir/events/sched/sched_process_exec/enable" \
			"$dir/events/sched/enable" "$dir/kprobe_events" 2>/dev/null || true
		ls "$dir/instances"
		cat "$knob"
	}
	snapshot >"$BATS_TEST_TMPDIR/before"
	run -0 "$EDRDIAG" run-sensor --self-test=10
	snapshot | diff "$BATS_TEST_TMPDIR/before" -
	# and, whatever else runs on the host meanwhile: it writes to no tracing or sysctl file,
	# and never asks for BPF_ENABLE_STATS
	command -v strace >/dev/null || skip "strace not installed: only the snapshot was compared"
	# LeakSanitizer cannot work under ptrace: a sanitizer build is traced without it
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run -0 strace -f -qq -e trace=open,openat,bpf -o "$BATS_TEST_TMPDIR/trace" \
		"$EDRDIAG" run-sensor --self-test=10
	grep -q 'BPF_PROG_LOAD' "$BATS_TEST_TMPDIR/trace" # the trace did see the sensor
	run ! grep -E '"/(sys/kernel|proc/sys)/[^"]*", O_(WRONLY|RDWR)' "$BATS_TEST_TMPDIR/trace"
	run ! grep -E 'BPF_ENABLE_STATS' "$BATS_TEST_TMPDIR/trace"
}


@test "unprivileged run-sensor exits 3 naming the missing capabilities" {
	unprivileged run-sensor --self-test
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"run-sensor needs BPF privilege: missing CAP_BPF, CAP_PERFMON"* ]]
	unprivileged run-sensor --json
	[ "$status" -eq 3 ]
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | test("missing CAP_BPF, CAP_PERFMON")'
	[ -z "$stderr" ]
}

@test "unprivileged run-sensor: an option error is still a usage error (exit 2)" {
	unprivileged run-sensor --duration 0
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--duration '0'"* ]]
}

@test "unprivileged run-sensor: a stray argument or --self-test with a filter is a usage error" {
	unprivileged run-sensor extra
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'extra'"* ]]
	unprivileged run-sensor --self-test --pid 1
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cannot be combined"* ]]
}

@test "run-sensor to a reader that goes away (| head -1): it stops at once, exit 0, no SIGPIPE" {
	require_root
	local t0 rc
	# execs to report, from the background, for as long as the test could take
	(for _ in $(seq 400); do /bin/true; sleep 0.02; done) &
	local spawner=$!
	t0=$(date +%s)
	run -0 --separate-stderr bash -c "'$EDRDIAG' --json run-sensor --duration 30 | head -1; echo \"rc=\${PIPESTATUS[0]}\""
	kill "$spawner" 2>/dev/null || true
	wait "$spawner" 2>/dev/null || true
	[ $(($(date +%s) - t0)) -lt 20 ] || fail "it ran on after its reader went away"
	rc=$(tail -n 1 <<<"$output")
	# 141 would be death by SIGPIPE, outside the documented 0-3
	assert_equal "$rc" "rc=0"
	head -n 1 <<<"$output" >"$BATS_TEST_TMPDIR/first"
	assert_json_lines "$BATS_TEST_TMPDIR/first"
}
