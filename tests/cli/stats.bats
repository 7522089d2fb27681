#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# stats: the run-time figures are bpftool's exactly, kernel.bpf_stats_enabled is left as it was
# found whichever way stats ends, --agent sees exactly what a process holds, the agent's limits
# decide the exit status, and bad input is exit 2. The live tests need root; elsewhere they
# skip and say why. The "usage:" tests only parse options and run anywhere.
#
# Other BPF programs (another test run, a benchmark) may be loaded at the same time: objects are
# compared by id, and only those the test created itself.

load helper

KNOB=/proc/sys/kernel/bpf_stats_enabled
# jq: two reals equal to the 9 significant digits edrdiag prints
# shellcheck disable=SC2016 # jq's own $variables
NEAR='def near($a; $b): (($a - $b) | fabs) <= 1e-7 * ([1, ($b | fabs)] | max);'

setup() {
	[[ "$BATS_TEST_DESCRIPTION" == usage:* || "$BATS_TEST_DESCRIPTION" == unprivileged* ]] ||
		require_root
	# the helpers built beside the binary under test
	STORM=$TOOLS/execstorm
	LOADPROGS=$TOOLS/loadprogs
	BG_PIDS=()
	STORM_PGID=
	KNOB_SAVED=
	[ "$(id -u)" -ne 0 ] || [ ! -w "$KNOB" ] || KNOB_SAVED=$(cat "$KNOB")
}

# Whatever a test started is stopped, and the knob is put back as the test found it: a test
# that fails half-way must not leave stats on or a process running into the next one.
teardown() {
	local p
	[ -z "$STORM_PGID" ] || kill -TERM -- -"$STORM_PGID" 2>/dev/null || true
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	[ -z "$STORM_PGID" ] || wait "$STORM_PGID" 2>/dev/null || true
	[ -z "$KNOB_SAVED" ] || echo "$KNOB_SAVED" >"$KNOB"
}

need_bpftool() {
	command -v bpftool >/dev/null || skip "bpftool not installed: no oracle to compare with"
}

need_tools() {
	[ -x "$LOADPROGS" ] || fail "$LOADPROGS not built"
	[ -x "$STORM" ] || fail "$STORM not built"
}

# Start run-sensor in the background until killed; sets SENSOR_PID and SENSOR_PROG.
start_sensor() {
	local err=$BATS_TEST_TMPDIR/sensor.err _
	"$EDRDIAG" -v run-sensor --duration 300 >/dev/null 2>"$err" &
	SENSOR_PID=$!
	BG_PIDS+=("$SENSOR_PID")
	for _ in $(seq 100); do
		grep -qs "sensor attached" "$err" && break
		kill -0 "$SENSOR_PID" 2>/dev/null || { fail "run-sensor exited: $(cat "$err")"; return; }
		sleep 0.05
	done
	SENSOR_PROG=$(sed -nE 's/.*sensor attached .*\(prog id ([0-9]+)\).*/\1/p' "$err")
	[ -n "$SENSOR_PROG" ] || fail "run-sensor did not attach: $(cat "$err")"
}

# An endless exec storm in its own process group (its workers die with it in teardown).
start_storm() {
	setsid "$STORM" 100000000 1 >/dev/null 2>&1 &
	STORM_PGID=$!
}

stop_storm() {
	kill -TERM -- -"$STORM_PGID" 2>/dev/null || true
	wait "$STORM_PGID" 2>/dev/null || true
	STORM_PGID=
}

# run_cnt and run_time_ns of program $1 as bpftool shows them ("0 0" while never counted)
bpftool_counts() {
	bpftool -j prog show id "$1" | jq -r '"\(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# Wait until the stats run with stderr in $1 says its window is open; fail if pid $2 died.
wait_measuring() {
	local _
	for _ in $(seq 100); do
		grep -qs "edrdiag: measuring" "$1" && return 0
		kill -0 "$2" 2>/dev/null || { fail "stats exited early: $(cat "$1")"; return; }
		sleep 0.05
	done
	fail "stats did not start measuring in 5 s: $(cat "$1")"
}

# ids from one kind of line ("prog_id" or "map_id") of every fdinfo of process $1, as JSON
fdinfo_ids() {
	grep -hE "^$2:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -n -u | jq -sc .
}

# Bad values, each "ARGS|what the one-line error must contain". They fail before the privilege
# check, so they are usage errors for anyone; a trailing --interval keeps a check that stopped
# working from running long as root.
STATS_BAD=(
	"--id abc|--id 'abc'"
	"--id 0|--id '0'"
	"--id -5|--id '-5'"
	"--id 4294967296|--id '4294967296'"
	"--interval 0|--interval '0'"
	"--interval abc|--interval 'abc'"
	"--interval -1|--interval '-1'"
	"--interval 1e3|--interval '1e3'"
	"--interval inf|--interval 'inf'"
	"--interval 0.05|--interval '0.05'"
	"--interval 1.2.3|--interval '1.2.3'"
	"--count 0|--count '0'"
	"--count x|--count 'x'"
	"--max-cpu -1|--max-cpu '-1'"
	"--max-cpu 0|--max-cpu '0'"
	"--max-cpu abc|--max-cpu 'abc'"
	"--max-rss 0 --agent 1|--max-rss '0'"
	"--max-rss 10|--max-rss is the agent's limit"
	"--name abcdefghijklmnop|--name 'abcdefghijklmnop'"
	"--type bogus|--type 'bogus'"
	"--agent 0|--agent '0'"
	"--agent abcdefghijklmnop|--agent 'abcdefghijklmnop'"
	"extra|'extra'"
)

@test "usage: stats bad option values: exit 2, one line naming the option" {
	local c args want
	for c in "${STATS_BAD[@]}"; do
		IFS='|' read -r args want <<<"$c"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" stats $args --interval 0.1
		[ -z "$output" ] || fail "stdout for '$args': $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "not one line for '$args': $stderr"
		[[ "$stderr" == *"$want"* ]] || fail "'$args': '$stderr' does not name $want"
	done
	run -2 --separate-stderr "$EDRDIAG" stats --name "" --interval 0.1
	[[ "$stderr" == *"--name ''"* ]]
	run -2 --separate-stderr "$EDRDIAG" stats --agent "" --interval 0.1
	[[ "$stderr" == *"--agent ''"* ]]
	run -2 --separate-stderr "$EDRDIAG" stats --interval
	[[ "$stderr" == *"'--interval' needs a value"* ]]
	# a redrawn screen is no document: --watch with --json (or --pretty) is refused
	for args in "--watch --json" "--pretty --watch"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" stats $args --interval 0.1
		assert_one_json
		printf '%s' "$output" | jq -e '.error.message | test("--watch .*--count N")'
		[ -z "$stderr" ]
	done
}

@test "usage: stats bad option values with --json: one JSON error document, empty stderr" {
	local c args want
	for c in "${STATS_BAD[@]}"; do
		IFS='|' read -r args want <<<"$c"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" --json stats $args --interval 0.1
		assert_one_json
		printf '%s' "$output" | jq -e --arg w "$want" '.error.message | contains($w)' >/dev/null ||
			fail "'$args': $output does not name $want"
		[ -z "$stderr" ] || fail "stderr for '$args': $stderr"
	done
}

@test "usage: stats reads the running kernel: --root is a usage error (exit 2)" {
	run -2 --separate-stderr "$EDRDIAG" --root /tmp stats
	[ -z "$output" ]
	[[ "$stderr" == *"stats reads the running kernel: --root does not apply"* ]]
}

@test "stats --id, --name, --agent naming nothing: exit 2, one line naming the input" {
	local dead args
	start_loadprogs 1 --hash 8 1
	sleep 0 &
	dead=$!
	wait "$dead"
	for args in "--id 99999999|--id '99999999': no BPF program with this id" \
		"--name no_such_prog|--name 'no_such_prog': no BPF program has this name" \
		"--agent $dead|--agent '$dead': no process with pid $dead" \
		"--agent no-such-proc9|--agent 'no-such-proc9': no process named" \
		"--id $LP_IDS --id 99999998|--id '99999998'"; do
		IFS='|' read -r a want <<<"$args"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" stats $a --interval 0.1
		[ -z "$output" ] || fail "stdout for '$a': $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "not one line for '$a': $stderr"
		[[ "$stderr" == *"$want"* ]] || fail "'$a': '$stderr' does not say $want"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" stats $a --interval 0.1 --json
		assert_one_json
		printf '%s' "$output" | jq -e --arg w "$want" '.error.message | contains($w)' >/dev/null ||
			fail "'$a' --json: $output"
		[ -z "$stderr" ] || fail "stderr for '$a' --json: $stderr"
	done
	# an id of the wrong kind: a map's id says so
	local map
	map=$(bpftool -j map list 2>/dev/null | jq -r '.[] | select(.name == "ldp_hash") | .id' |
		head -1)
	if [ -n "$map" ] && ! bpftool prog show id "$map" >/dev/null 2>&1; then
		run -2 --separate-stderr "$EDRDIAG" stats --id "$map" --interval 0.1
		[[ "$stderr" == *"--id '$map': no BPF program with this id (it is a map's"* ]]
	fi
}

@test "stats --agent NAME: exact comm; several processes of that name is an error listing them" {
	local dir=$BATS_TEST_TMPDIR name p1 p2
	name=edrst$$x$RANDOM
	name=${name:0:15}
	ln -s "$(type -P sleep)" "$dir/$name"
	"$dir/$name" 300 &
	p1=$!
	BG_PIDS+=("$p1")
	run -0 --separate-stderr "$EDRDIAG" stats --agent "$name" --interval 0.1 --json
	assert_one_json
	printf '%s' "$output" | jq -e --argjson p "$p1" '.agent.pid == $p and .agent.running'
	# a prefix is not the name
	run -2 --separate-stderr "$EDRDIAG" stats --agent "${name:0:10}" --interval 0.1
	[[ "$stderr" == *"no process named"* ]]
	"$dir/$name" 300 &
	p2=$!
	BG_PIDS+=("$p2")
	run -2 --separate-stderr "$EDRDIAG" stats --agent "$name" --interval 0.1
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"--agent '$name': 2 processes are named '$name' (pids "* ]]
	[[ "$stderr" == *"$p1"* && "$stderr" == *"$p2"* && "$stderr" == *"give the pid"* ]]
	# the pid settles it
	run -0 --separate-stderr "$EDRDIAG" stats --agent "$p2" --interval 0.1 --json
	assert_one_json
	printf '%s' "$output" | jq -e --argjson p "$p2" '.agent.pid == $p'
}

@test "oracle: run_cnt and run_time_ns totals are bpftool's, and the window's share of them" {
	need_bpftool
	need_tools
	echo 0 >"$KNOB"
	start_sensor
	start_storm
	sleep 0.3
	# stats are off: the counters are frozen where the last measurement left them
	read -r before_cnt before_ns <<<"$(bpftool_counts "$SENSOR_PROG")"
	run -0 --separate-stderr "$EDRDIAG" stats --json --id "$SENSOR_PROG" --interval 1
	# read right after, while the storm still execs: the counters must not have moved, since
	# stats switched them off before its last reading and nothing else has them on
	read -r after_cnt after_ns <<<"$(bpftool_counts "$SENSOR_PROG")"
	stop_storm
	assert_one_json
	[ "$(cat "$KNOB")" = 0 ]
	printf '%s' "$output" | jq -e '.stats_mode == "enable_stats" and (.programs | length) == 1'
	printf '%s' "$output" | jq -e --argjson id "$SENSOR_PROG" '.programs[0].id == $id and
		.programs[0].name == "edr_exec_tp" and .programs[0].type == "tracepoint"'
	printf '%s' "$output" | jq -e --argjson c "$after_cnt" --argjson n "$after_ns" \
		'.programs[0].run_cnt_total == $c and .programs[0].run_time_ns_total == $n' ||
		fail "totals differ from bpftool's run_cnt $after_cnt run_time_ns $after_ns"
	# the window's counts: what the window added (runs between switching on and the first
	# reading belong to no window)
	printf '%s' "$output" | jq -e --argjson b "$before_cnt" --argjson a "$after_cnt" \
		'.programs[0].run_cnt > 100 and .programs[0].run_cnt <= $a - $b'
	printf '%s' "$output" | jq -e --argjson b "$before_ns" --argjson a "$after_ns" \
		'.programs[0].run_time_ns > 0 and .programs[0].run_time_ns <= $a - $b'
	# the derived figures follow from the counts and the window
	printf '%s' "$output" | jq -e --argjson cpus "$(nproc)" "$NEAR"'
		.programs[0] as $p | .window_s as $w |
		near($p.ns_per_run; $p.run_time_ns / $p.run_cnt) and
		near($p.runs_per_s; $p.run_cnt / $w) and
		near($p.cpu_pct_of_core; $p.run_time_ns / 1e9 / $w * 100) and
		near($p.cpu_pct_of_host; $p.cpu_pct_of_core / $cpus) and
		$w >= 1 and $w < 1.5 and .host_cpus == $cpus'
	# the attach point, the tag and the memlock are the kernel's
	printf '%s' "$output" | jq -e '.programs[0].attach[0].point == "tracepoint:sched_process_exec"'
	bpftool -j prog show id "$SENSOR_PROG" >"$BATS_TEST_TMPDIR/prog.json"
	printf '%s' "$output" | jq -e --slurpfile b "$BATS_TEST_TMPDIR/prog.json" \
		'.programs[0].tag == $b[0].tag and .programs[0].memlock == $b[0].bytes_memlock and
		 (.programs[0].map_ids | sort) == ($b[0].map_ids | sort)'
}

@test "stats already on: measured with a handle of its own, left on, and said to be on" {
	need_bpftool
	need_tools
	start_sensor
	echo 1 >"$KNOB"
	start_storm
	run -0 --separate-stderr "$EDRDIAG" stats --json --id "$SENSOR_PROG" --interval 0.5
	assert_one_json
	stop_storm
	[ "$(cat "$KNOB")" = 1 ]
	printf '%s' "$output" | jq -e '.stats_mode == "enable_stats" and .programs[0].run_cnt > 0'
	[ "$(status_of stats.runtime)" = pass ]
	printf '%s' "$output" | jq -e '.results[] | select(.id == "stats.runtime") | .detail |
		test("already \\(left as it is\\)")'
	# on before the run: perhaps left behind by a killed tool, so it is said
	[ "$(status_of stats.sysctl)" = warn ]
	# the counters go on (bpftool's own exec is one more run): never below stats' reading
	read -r cnt _ <<<"$(bpftool_counts "$SENSOR_PROG")"
	printf '%s' "$output" | jq -e '.programs[0].run_cnt_total <= $c' --argjson c "$cnt"
	# off before the run: no such warning
	echo 0 >"$KNOB"
	run -0 --separate-stderr "$EDRDIAG" stats --json --id "$SENSOR_PROG" --interval 0.2
	[ -z "$(status_of stats.sysctl)" ] || fail "stats.sysctl with the sysctl off"
}

@test "the sysctl switched off mid-window does not stop the count: stats holds its own handle" {
	need_tools
	start_loadprogs 1 --runs 1000
	echo 1 >"$KNOB"
	local pid
	"$EDRDIAG" -v stats --json --id "$LP_IDS" --interval 2 >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_measuring "$BATS_TEST_TMPDIR/err" "$pid"
	kill -USR1 "$LP_PID"
	sleep 0.3
	# whoever set it switches it off: stats trusting it counted the first 1000 runs only
	echo 0 >"$KNOB"
	kill -USR1 "$LP_PID"
	wait "$pid"
	jq -e '.stats_mode == "enable_stats" and .programs[0].run_cnt == 2000' \
		"$BATS_TEST_TMPDIR/out" >/dev/null ||
		fail "$(jq -c '{stats_mode, run_cnt: .programs[0].run_cnt}' "$BATS_TEST_TMPDIR/out")"
	[ "$(cat "$KNOB")" = 0 ]
}

@test "stats --agent PID lists exactly the programs and maps that process holds" {
	need_bpftool
	need_tools
	start_sensor
	local progs maps
	progs=$(fdinfo_ids "$SENSOR_PID" prog_id)
	maps=$(fdinfo_ids "$SENSOR_PID" map_id)
	[ "$progs" = "[$SENSOR_PROG]" ] || fail "fdinfo of the sensor names programs $progs"
	[ "$(jq length <<<"$maps")" -ge 3 ]
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$SENSOR_PID" --interval 0.3
	assert_one_json
	printf '%s' "$output" | jq -e --argjson p "$progs" --argjson m "$maps" \
		'.agent.prog_ids == $p and ([.programs[].id] | sort) == $p and
		 .agent.map_ids == $m and ([.maps[].id] | sort) == $m' ||
		fail "expected programs $progs and maps $maps"
	# each of them is held by the sensor
	printf '%s' "$output" | jq -e --argjson pid "$SENSOR_PID" \
		'all(.programs[], .maps[]; any(.holders[]; .pid == $pid))'
	printf '%s' "$output" | jq -e --argjson pid "$SENSOR_PID" \
		'.agent.pid == $pid and .agent.comm == "edrdiag" and .agent.threads >= 1 and
		 .agent.vm_rss_kb > 0 and .agent.vm_size_kb >= .agent.vm_rss_kb'
	# the memory figures are the process's own, from /proc/PID/status
	local rss
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SENSOR_PID/status")
	printf '%s' "$output" | jq -e --argjson r "$rss" '(.agent.vm_rss_kb - $r | fabs) < 1024'
	[ "$(status_of agent.cpu)" = pass ]
	[ "$(status_of agent.rss)" = pass ]
	# the ring buffer is read without consuming: its fill is known
	printf '%s' "$output" | jq -e '.maps[] | select(.type == "ringbuf") |
		.pending_bytes >= 0 and .fill_pct >= 0 and .max_entries == 1048576'
}

@test "kernel.bpf_stats_enabled is left as found (0 and 1) when SIGINT or SIGTERM ends the window" {
	need_tools
	start_loadprogs 1
	local mode init sig pid during want_during want_mode rc
	for mode in enable_stats sysctl; do
		for init in 0 1; do
			for sig in INT TERM; do
				echo "$init" >"$KNOB"
				if [ "$mode" = sysctl ]; then
					EDRDIAG_STATS_SYSCTL=1 "$EDRDIAG" -v stats --json --id "$LP_IDS" \
						--interval 60 >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
				else
					"$EDRDIAG" -v stats --json --id "$LP_IDS" --interval 60 \
						>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
				fi
				pid=$!
				BG_PIDS+=("$pid")
				wait_measuring "$BATS_TEST_TMPDIR/err" "$pid"
				during=$(cat "$KNOB")
				# the sysctl fallback switches it on; BPF_ENABLE_STATS never touches it,
				# and holds its own handle even when the sysctl is on already
				want_during=$init
				want_mode=$mode
				if [ "$mode" = sysctl ] && [ "$init" = 1 ]; then
					want_mode=already_on
				elif [ "$mode" = sysctl ]; then
					want_during=1
				fi
				[ "$during" = "$want_during" ] ||
					fail "$mode, found $init: $during during the window"
				kill -"$sig" "$pid"
				rc=0
				wait "$pid" || rc=$?
				[ "$rc" -eq 0 ] || fail "$mode, found $init, SIG$sig: exit $rc: $(cat "$BATS_TEST_TMPDIR/err")"
				[ "$(cat "$KNOB")" = "$init" ] ||
					fail "$mode, found $init, SIG$sig: left at $(cat "$KNOB")"
				jq -e --arg s "SIG$sig" --arg m "$want_mode" \
					'.stopped_by == $s and .stats_mode == $m and .window_s < 30' \
					"$BATS_TEST_TMPDIR/out" >/dev/null ||
					fail "$mode, found $init, SIG$sig: $(cat "$BATS_TEST_TMPDIR/out")"
			done
		done
	done
}

@test "SIGKILL in the window: the kernel switches BPF_ENABLE_STATS off with the fd" {
	need_bpftool
	need_tools
	echo 0 >"$KNOB"
	start_sensor
	start_storm
	local pid c1 c2 c3
	"$EDRDIAG" -v stats --json --id "$SENSOR_PROG" --interval 60 >/dev/null \
		2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_measuring "$BATS_TEST_TMPDIR/err" "$pid"
	# while stats holds the fd the counters move ...
	read -r c1 _ <<<"$(bpftool_counts "$SENSOR_PROG")"
	sleep 0.3
	read -r c2 _ <<<"$(bpftool_counts "$SENSOR_PROG")"
	[ "$c2" -gt "$c1" ] || fail "run_cnt did not move while stats ran ($c1, $c2)"
	kill -KILL "$pid"
	wait "$pid" || true
	# ... and stop with it, though the storm goes on
	read -r c2 _ <<<"$(bpftool_counts "$SENSOR_PROG")"
	sleep 0.3
	read -r c3 _ <<<"$(bpftool_counts "$SENSOR_PROG")"
	stop_storm
	[ "$c3" -eq "$c2" ] || fail "run_cnt still moves after SIGKILL ($c2, $c3)"
	[ "$(cat "$KNOB")" = 0 ]
}

@test "stats --count 3 --json: three documents, one a line, samples 1 to 3" {
	need_tools
	start_loadprogs 2
	run -0 --separate-stderr "$EDRDIAG" stats --json --count 3 --interval 0.2 --agent "$LP_PID"
	assert_json_lines
	[ "${#lines[@]}" -eq 3 ]
	printf '%s\n' "$output" | jq -se 'length == 3 and ([.[].sample] == [1, 2, 3]) and
		all(.[]; .command == "stats" and .status == "pass" and (.programs | length) == 2 and
		    .window_s >= 0.2 and .window_s < 0.5 and (.results | length) == 8)'
	[ -z "$stderr" ]
	# --pretty: the same documents, indented
	run -0 --separate-stderr "$EDRDIAG" stats --pretty --count 2 --interval 0.1 --agent "$LP_PID"
	printf '%s' "$output" | validate_json
	[ "${#lines[@]}" -gt 20 ]
	printf '%s\n' "$output" | jq -se 'length == 2 and ([.[].sample] == [1, 2])'
}

@test "stats --watch redraws the screen on a terminal, and only there" {
	command -v script >/dev/null || skip "script(1) not installed: cannot fake a terminal"
	need_tools
	start_loadprogs 1
	local clear=$'\033[H\033[2J'
	run -0 script -qec "'$EDRDIAG' stats --watch --count 2 --interval 0.2 --id $LP_IDS" /dev/null
	[ "$(grep -o $'\033\\[H\033\\[2J' <<<"$output" | wc -l)" -eq 2 ] || fail "no 2 redraws: $output"
	[[ "$output" == *"ldp_0"* ]]
	# on a pipe: the tables one after the other, no escape sequence
	run -0 --separate-stderr "$EDRDIAG" stats --watch --count 2 --interval 0.2 --id "$LP_IDS"
	[[ "$output" != *"$clear"* ]]
	[ "$(grep -c '^stats: sample' <<<"$output")" -eq 2 ]
}

@test "stats --watch runs until SIGINT, then exits 0 with a last table" {
	need_tools
	start_loadprogs 1
	local pid rc=0
	"$EDRDIAG" -v stats --watch --interval 0.1 --id "$LP_IDS" >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_measuring "$BATS_TEST_TMPDIR/err" "$pid"
	sleep 0.5
	kill -INT "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(grep -c '^stats: sample' "$BATS_TEST_TMPDIR/out")" -ge 3 ]
	tail -n 1 "$BATS_TEST_TMPDIR/out" | grep -q '^stats: PASS'
}

@test "stats plain: CPU shares labelled as of one CPU and of the host" {
	need_tools
	start_loadprogs 1
	run -0 --separate-stderr "$EDRDIAG" stats --id "$LP_IDS" --interval 0.1
	[[ "$output" == *"%CORE: share of one CPU; %HOST: share of all $(nproc) CPUs"* ]]
	[[ "$output" == *"ldp_0"*"socket_filter"* || "$output" == *"socket_filter"*"ldp_0"* ]]
	[[ "$output" == *"stats: PASS"* ]]
	grep -qE '^PASS +bpf.cpu +BPF programs used [0-9.]+% of one CPU \([0-9.]+% of the host\)' \
		<<<"$output"
}

@test "the agent's limits: --max-cpu and --max-rss decide agent.cpu, agent.rss and the exit status" {
	local busy idle
	bash -c 'while :; do :; done' &
	busy=$!
	BG_PIDS+=("$busy")
	sleep 300 &
	idle=$!
	BG_PIDS+=("$idle")
	# a process spinning on one CPU: above any small limit, below an impossible one
	run -1 --separate-stderr "$EDRDIAG" stats --json --agent "$busy" --interval 0.5 --max-cpu 0.0001
	assert_one_json
	[ "$(status_of agent.cpu)" = fail ]
	printf '%s' "$output" | jq -e '.status == "fail" and .agent.cpu_pct_of_core > 20 and
		.agent.max_cpu_pct == 0.0001'
	printf '%s' "$output" | jq -e '.results[] | select(.id == "agent.cpu") |
		.guide == "3.1" and (.remedy | test("filter early")) and (.title | test("above the limit"))'
	printf '%s' "$output" | jq -e --argjson n "$(nproc)" \
		"$NEAR"'near(.agent.cpu_pct_of_host; .agent.cpu_pct_of_core / $n)'
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$busy" --interval 0.5 --max-cpu 100000
	assert_one_json
	[ "$(status_of agent.cpu)" = pass ]
	# the default limit is the guide's 5%
	run -1 --separate-stderr "$EDRDIAG" stats --agent "$busy" --interval 0.5
	grep -qE '^FAIL +agent.cpu +agent [0-9]+ \(bash\) used [0-9.]+% of one CPU' <<<"$output"
	[[ "$output" == *"limit 5% of one CPU"* ]]
	# an idle process passes both, and a 1 MB RSS limit fails it
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$idle" --interval 0.3
	assert_one_json
	[ "$(status_of agent.cpu)" = pass ]
	[ "$(status_of agent.rss)" = pass ]
	printf '%s' "$output" | jq -e '.agent.max_rss_mb == 200 and .agent.max_cpu_pct == 5'
	run -1 --separate-stderr "$EDRDIAG" stats --json --agent "$busy" --interval 0.2 \
		--max-cpu 100000 --max-rss 1
	assert_one_json
	[ "$(status_of agent.rss)" = fail ]
	[ "$(status_of agent.cpu)" = pass ]
	printf '%s' "$output" | jq -e '.results[] | select(.id == "agent.rss") | .guide == "3.2" and
		(.remedy | test("max_entries"))'
}

@test "an agent that exits during the window: agent.cpu error, exit 1" {
	local pid rc=0
	sleep 0.5 &
	pid=$!
	run -1 --separate-stderr "$EDRDIAG" stats --json --agent "$pid" --interval 1.5
	assert_one_json
	[ "$(status_of agent.cpu)" = error ]
	printf '%s' "$output" | jq -e '.agent.running == false'
	wait "$pid" || rc=$?
}

@test "hash map fill and ring buffer fill: warn at 90%, counted as bpftool counts" {
	need_bpftool
	need_tools
	start_loadprogs 1 --hash 100 95 --ringbuf 16384 95
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$LP_PID" --interval 0.1
	assert_one_json
	[ "$(status_of map.fill)" = warn ]
	[ "$(status_of ringbuf.fill)" = warn ]
	printf '%s' "$output" | jq -e '.status == "warn"'
	local hid rid
	hid=$(printf '%s' "$output" | jq -r '.maps[] | select(.name == "ldp_hash") | .id')
	rid=$(printf '%s' "$output" | jq -r '.maps[] | select(.name == "ldp_ring") | .id')
	[ "$(bpftool -j map dump id "$hid" | jq length)" -eq 95 ]
	printf '%s' "$output" | jq -e --argjson h "$hid" '.maps[] | select(.id == $h) |
		.entries == 95 and .max_entries == 100 and .fill_pct == 95'
	# 16384 * 95% / 16 = 972 records of 16 bytes (8 header, 8 data), none consumed
	printf '%s' "$output" | jq -e --argjson r "$rid" '.maps[] | select(.id == $r) |
		.pending_bytes == 972 * 16 and .max_entries == 16384 and .fill_pct > 90'
	printf '%s' "$output" | jq -e --argjson h "$hid" --argjson r "$rid" \
		'[.results[] | select(.id == "map.fill" or .id == "ringbuf.fill") | .detail] |
		 (.[0] | test("id \($h) \\(ldp_hash, hash\\): 95 of 100 entries")) and
		 (.[1] | test("id \($r) \\(ldp_ring\\): 15552 of 16384 bytes pending"))'
	# reading the ring buffer did not consume it
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$LP_PID" --interval 0.1
	assert_one_json
	printf '%s' "$output" | jq -e --argjson r "$rid" '.maps[] | select(.id == $r) |
		.pending_bytes == 972 * 16'
	# --strict: the warnings fail
	run -1 --separate-stderr "$EDRDIAG" --strict stats --json --agent "$LP_PID" --interval 0.1
	assert_one_json
	kill "$LP_PID"
	# below 90%: both pass
	start_loadprogs 1 --hash 100 89 --ringbuf 16384 50
	run -0 --separate-stderr "$EDRDIAG" stats --json --agent "$LP_PID" --interval 0.1
	assert_one_json
	[ "$(status_of map.fill)" = pass ]
	[ "$(status_of ringbuf.fill)" = pass ]
	printf '%s' "$output" | jq -e '.status == "pass"'
}

@test "filters: --id repeated, --name, --type select programs; their maps come along" {
	need_tools
	start_loadprogs 3 --hash 8 1
	local ids
	read -r -a ids <<<"$LP_IDS"
	run -0 --separate-stderr "$EDRDIAG" stats --json --id "${ids[2]}" --id "${ids[0]}" \
		--interval 0.1
	assert_one_json
	printf '%s' "$output" | jq -e --argjson a "${ids[0]}" --argjson b "${ids[2]}" \
		'[.programs[].id] == [$a, $b] and .maps == [] and .agent == null'
	run -0 --separate-stderr "$EDRDIAG" stats --json --name ldp_1 --agent "$LP_PID" --interval 0.1
	assert_one_json
	printf '%s' "$output" | jq -e --argjson a "${ids[1]}" '[.programs[].id] == [$a]'
	# the agent's maps are listed with --agent, whatever the program filters
	printf '%s' "$output" | jq -e '[.maps[].name] == ["ldp_hash"]'
	run -0 --separate-stderr "$EDRDIAG" stats --json --type socket_filter --agent "$LP_PID" \
		--interval 0.1
	assert_one_json
	printf '%s' "$output" | jq -e '(.programs | length) == 3 and
		all(.programs[]; .type == "socket_filter" and .attach == null)'
	run -0 --separate-stderr "$EDRDIAG" stats --json --type kprobe --agent "$LP_PID" --interval 0.1
	assert_one_json
	printf '%s' "$output" | jq -e '.programs == [] and .programs_total.run_cnt == 0'
	# the plain table says it is empty rather than printing nothing
	run -0 --separate-stderr "$EDRDIAG" stats --type kprobe --agent "$LP_PID" --interval 0.1
	[[ "$output" == *"(no program matches)"* ]]
}

@test "the window's run_cnt is exact: 1000 test runs inside the window are 1000 runs" {
	need_tools
	start_loadprogs 2 --runs 1000
	local pid ids
	read -r -a ids <<<"$LP_IDS"
	# a program nothing runs: 0 runs, no time per run
	run -0 --separate-stderr "$EDRDIAG" stats --json --id "${ids[0]}" --interval 0.2
	assert_one_json
	printf '%s' "$output" | jq -e '.programs[0].run_cnt == 0 and .programs[0].ns_per_run == null and
		.programs[0].runs_per_s == 0 and .programs[0].cpu_pct_of_core == 0'
	# runs made inside the window, and only those, are the window's
	"$EDRDIAG" -v stats --json --id "${ids[0]}" --id "${ids[1]}" --interval 2 \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	BG_PIDS+=("$pid")
	wait_measuring "$BATS_TEST_TMPDIR/err" "$pid"
	kill -USR1 "$LP_PID"
	wait "$pid"
	jq -e '[.programs[].run_cnt] == [1000, 1000] and all(.programs[]; .run_time_ns > 0 and
		.ns_per_run > 0) and .programs_total.run_cnt == 2000' "$BATS_TEST_TMPDIR/out" ||
		fail "$(cat "$BATS_TEST_TMPDIR/out")"
}

@test "the trace member mirrors per_cpu/cpu*/stats of tracefs" {
	local dir
	for dir in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$dir/per_cpu" ] && break
	done
	[ -d "$dir/per_cpu" ] || skip "no tracefs per_cpu directory on this host"
	run -0 --separate-stderr "$EDRDIAG" stats --json --interval 0.1 --type kprobe
	assert_one_json
	printf '%s' "$output" | jq -e --arg d "$dir" --argjson n "$(find "$dir/per_cpu" -mindepth 1 -maxdepth 1 -name "cpu*" | wc -l)" \
		'.trace.dir == $d and (.trace.cpus | length) == $n'
	local want
	want=$(awk '/^overrun:/ {print $2}' "$dir/per_cpu/cpu0/stats")
	printf '%s' "$output" | jq -e --argjson w "$want" '.trace.cpus[0].cpu == 0 and
		.trace.cpus[0].overrun <= $w'
	[ "$(status_of trace.overrun)" = pass ]
}


@test "unprivileged stats exits 3 naming the missing capabilities, before touching anything" {
	unprivileged stats --interval 0.1
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"stats needs BPF privilege: missing CAP_BPF, CAP_PERFMON"* ]]
	unprivileged stats --json --agent 1
	[ "$status" -eq 3 ]
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | test("missing CAP_BPF, CAP_PERFMON")'
	[ -z "$stderr" ]
	# a bad value is still a usage error
	unprivileged stats --interval 0
	[ "$status" -eq 2 ]
}

@test "unprivileged but with CAP_BPF and CAP_PERFMON: exit 3 naming CAP_SYS_ADMIN, knob untouched" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to hand out CAP_BPF and CAP_PERFMON"
	command -v setpriv >/dev/null || skip "setpriv(1) not installed"
	local copy before
	before=$(cat "$KNOB")
	copy=$(mktemp -d /tmp/edrdiag-unpriv.XXXXXX)
	chmod 755 "$copy"
	install -m 755 "$EDRDIAG" "$copy/edrdiag"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon "$copy/edrdiag" stats \
		--interval 0.1
	local plain_status=$status plain_stderr=$stderr plain_output=$output
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon "$copy/edrdiag" --json stats \
		--id 1 --interval 0.1
	rm -rf "$copy"
	[ "$plain_status" -eq 3 ]
	[ -z "$plain_output" ]
	[[ "$plain_stderr" == *"needs CAP_SYS_ADMIN"* ]]
	[ "$status" -eq 3 ]
	assert_one_json
	printf '%s' "$output" | jq -e '.error.message | test("^--id .1.: .*needs CAP_SYS_ADMIN")'
	[ -z "$stderr" ]
	[ "$(cat "$KNOB")" = "$before" ]
}
