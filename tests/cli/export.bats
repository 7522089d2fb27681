#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# export: the exposition text is well formed by construction (one HELP and TYPE per family,
# every sample under its family), the window gauges count exactly the runs a test drove, the
# program names are the full ones bpftool shows, the checks are check-kernel's own, the
# textfile is replaced atomically, --listen answers only GET /metrics, and every bad input is
# one line and exit 2 with nothing written. The live tests need root; the "usage:" ones run
# anywhere. export_live.bats has the Prometheus, node_exporter and bpftool agreement tests.

load helper

KNOB=/proc/sys/kernel/bpf_stats_enabled

setup() {
	[[ "$BATS_TEST_DESCRIPTION" == usage:* ]] || require_root
	BG_PIDS=()
	KNOB_SAVED=
	[ "$(id -u)" -ne 0 ] || [ ! -w "$KNOB" ] || KNOB_SAVED=$(cat "$KNOB")
}

teardown() {
	stop_bg
	[ -z "$KNOB_SAVED" ] || echo "$KNOB_SAVED" >"$KNOB"
}

# Start `export --listen 127.0.0.1:0 ARGS`; sets EX_PID and EX_URL once it listens.
start_listen() {
	local err=$BATS_TEST_TMPDIR/listen.err _
	"$EDRDIAG" export --listen 127.0.0.1:0 "$@" 2>"$err" &
	EX_PID=$!
	BG_PIDS+=("$EX_PID")
	for _ in $(seq 200); do
		grep -q 'listening on' "$err" && break
		kill -0 "$EX_PID" 2>/dev/null || { fail "export exited: $(cat "$err")"; return; }
		sleep 0.05
	done
	EX_URL=$(grep -o 'http://[^ ]*/metrics' "$err") || fail "not listening in 10 s: $(cat "$err")"
}

# The processes holding a BPF_ENABLE_STATS handle (pid comm), one a line
stats_holders() {
	local p
	for p in /proc/[0-9]*; do
		find "$p/fd" -mindepth 1 -maxdepth 1 -lname 'anon_inode:bpf-stats' 2>/dev/null |
			grep -q . && echo "${p#/proc/} $(cat "$p/comm" 2>/dev/null)"
	done
	return 0
}

# The value of the one sample of family $1 whose labels contain $2 (a literal 'k="v"').
sample() {
	grep -F "$2" | awk -v f="$1" '$1 ~ "^" f "[{ ]" || $1 == f { print $NF }' | head -1
}

# The exposition text on stdin is well formed as export promises: every sample belongs to the
# family of the # TYPE before it, each family is declared once, with its HELP just before.
well_formed() {
	awk '
		/^# HELP / { help = $3; next }
		/^# TYPE / {
			if ($3 != help) { print "TYPE without its HELP: " $3; bad = 1 }
			if (seen[$3]++) { print "family declared twice: " $3; bad = 1 }
			fam = $3; next
		}
		/^#/ { print "unexpected comment: " $0; bad = 1; next }
		{
			name = $1; sub(/\{.*/, "", name)
			if (name != fam) { print "sample outside its family: " $0; bad = 1 }
			if ($0 !~ / [-+0-9.eENaInf]+$/) { print "bad value: " $0; bad = 1 }
			n++
		}
		END { if (!n) { print "no sample"; bad = 1 } exit bad }'
}

EXPORT_BAD=(
	"--window abc|--window 'abc'"
	"--window -1|--window '-1'"
	"--window 3601|--window '3601'"
	"--window 0.05|--window '0.05'"
	"--listen abc|--listen 'abc'"
	"--listen 70000|--listen '70000'"
	"--listen 127.0.0.1:|--listen '127.0.0.1:'"
	"--listen 1.2.3:80|--listen '1.2.3:80'"
	"--listen example.org:80|--listen 'example.org:80'"
	"--checks-every 5|--checks-every is for --listen"
	"--listen 127.0.0.1:0 --window 1|--window is for a one-shot export"
	"--listen 127.0.0.1:0 --checks-every 0|--checks-every '0'"
	"--textfile /tmp --listen 127.0.0.1:0|--textfile and --listen"
	"--agent -3|--agent '-3'"
	"--agent name_longer_than_15|--agent 'name_longer_than_15'"
	"extra|export takes no argument"
)

@test "usage: each bad option is one line naming it, exit 2" {
	local c args want
	for c in "${EXPORT_BAD[@]}"; do
		args=${c%%|*} want=${c#*|}
		# shellcheck disable=SC2086 # the arguments are words
		run --separate-stderr "$EDRDIAG" export $args
		[ "$status" -eq 2 ] || fail "export $args: exit $status, want 2 ($stderr)"
		[ -z "$output" ] || fail "export $args wrote to stdout: $output"
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "export $args: not one line: $stderr"
		[[ "$stderr" == *"$want"* ]] || fail "export $args: '$stderr' does not say '$want'"
	done
}

@test "usage: --json is refused as a usage error document, nothing else on stdout" {
	run --separate-stderr "$EDRDIAG" --json export
	assert_equal "$status" 2
	assert_error_doc usage "--json does not apply"
}

@test "usage: export is listed by help and its -h shows every option" {
	run "$EDRDIAG" help
	assert_success
	assert_output --partial "export"
	run "$EDRDIAG" export -h
	assert_success
	for o in --textfile --listen --window --agent --no-checks --checks-every; do
		assert_output --partial -- "$o"
	done
}

@test "stdout: well formed, the window counts exactly the runs driven in it, stats as found" {
	local out=$BATS_TEST_TMPDIR/e.prom id before
	before=$(cat "$KNOB")
	start_loadprogs 2 --runs 1000
	"$EDRDIAG" export --window 3 --no-checks >"$out" &
	BG_PIDS+=($!)
	sleep 1
	kill -USR1 "$LP_PID"
	wait "${BG_PIDS[-1]}"
	well_formed <"$out" || fail "not well formed"
	for id in $LP_IDS; do
		assert_equal "$(sample edrdiag_bpf_prog_window_runs "id=\"$id\"" <"$out")" 1000
		# run time is real: more than 0 for a thousand runs
		run awk -v v="$(sample edrdiag_bpf_prog_window_run_seconds "id=\"$id\"" <"$out")" \
			'BEGIN { exit !(v > 0) }'
		assert_success
		grep -F "id=\"$id\"" "$out" | grep -q 'owner="loadprogs"' || fail "owner of $id not loadprogs"
	done
	assert_equal "$(sample edrdiag_bpf_stats_mode 'mode="enable_stats"' <"$out")" 1
	# no cumulative counter from a one-shot window
	run grep -c '^edrdiag_bpf_prog_runs_total' "$out"
	assert_output 0
	assert_equal "$(cat "$KNOB")" "$before"
}

@test "names: the full name from BTF, as bpftool shows it, not the kernel's 15 characters" {
	command -v bpftool >/dev/null || skip "bpftool not installed: no oracle to compare with"
	local out=$BATS_TEST_TMPDIR/e.prom id full
	start_loadprogs 1 --btf-name edr_handle_sched_process_exec
	id=${LP_IDS%% *}
	"$EDRDIAG" export --window 0 --no-checks >"$out"
	full=$(bpftool prog show id "$id" -j | jq -r .name)
	assert_equal "$full" edr_handle_sched_process_exec_0
	grep -F "id=\"$id\"" "$out" | grep -qF "name=\"$full\"" ||
		fail "no sample of $id named $full: $(grep -F "id=\"$id\"" "$out" | head -2)"
}

@test "checks: the same ids and statuses as check-kernel --json says" {
	local out=$BATS_TEST_TMPDIR/e.prom want got
	"$EDRDIAG" export --window 0 >"$out"
	want=$("$EDRDIAG" check-kernel --json | jq -r '.results[] | "\(.id) \(.status)"' | sort)
	got=$(grep '^edrdiag_check_status{command="check-kernel"' "$out" | awk '$NF == 1' |
		sed -E 's/.*,id="([^"]*)",status="([a-z]*)".*/\1 \2/' | sort)
	[ -n "$want" ] || fail "check-kernel gave no finding"
	assert_equal "$got" "$want"
	# a state set: exactly one status is 1 per check
	run bash -c "grep '^edrdiag_check_status{command=\"check-kernel\"' '$out' | awk '\$NF == 1' | wc -l"
	assert_output "$(printf '%s\n' "$want" | wc -l)"
	"$EDRDIAG" export --window 0 --no-checks >"$out"
	run grep -c '^edrdiag_check' "$out"
	assert_output 0
}

@test "agent: its CPU time and resident memory; one not running is up 0; an ambiguous name exit 2" {
	local out=$BATS_TEST_TMPDIR/e.prom rss
	start_loadprogs 1
	"$EDRDIAG" export --window 0 --no-checks --agent "$LP_PID" >"$out"
	rss=$(awk '/^VmRSS:/ { print $2 * 1024 }' /proc/"$LP_PID"/status)
	assert_equal "$(sample edrdiag_agent_up "pid=\"$LP_PID\"" <"$out")" 1
	assert_equal "$(sample edrdiag_agent_resident_memory_bytes "pid=\"$LP_PID\"" <"$out")" "$rss"
	grep -q "^edrdiag_agent_cpu_seconds_total{pid=\"$LP_PID\",comm=\"loadprogs\"} " "$out" ||
		fail "no CPU time of the agent"
	# an agent down at start is what the metrics are for: up 0 (a timer's textfile alerts
	# on it), the rest exported all the same, and a note on stderr
	kill -KILL "$LP_PID"
	wait "$LP_PID" 2>/dev/null || true
	run --separate-stderr "$EDRDIAG" export --window 0 --no-checks --agent "$LP_PID"
	assert_success
	[[ "$stderr" == *"--agent '$LP_PID': not running"* ]] || fail "$stderr"
	assert_equal "$(sample edrdiag_agent_up "pid=\"$LP_PID\"" <<<"$output")" 0
	grep -q '^edrdiag_build_info' <<<"$output" || fail "the rest not exported"
	run --separate-stderr "$EDRDIAG" export --window 0 --no-checks --agent edr_no_such
	assert_success
	assert_equal "$(sample edrdiag_agent_up 'pid="",comm="edr_no_such"' <<<"$output")" 0
	# a name two processes have is a mistake of the command line: exit 2, naming both
	start_loadprogs 1 --comm edrtwin
	start_loadprogs 1 --comm edrtwin
	run --separate-stderr "$EDRDIAG" export --window 0 --no-checks --agent edrtwin
	assert_equal "$status" 2
	[[ "$stderr" == *"2 processes are named 'edrtwin'"* ]] || fail "$stderr"
	[ -z "$output" ] || fail "wrote metrics: $output"
}

@test "textfile: replaced atomically, mode 0644, no temporary file left" {
	local dir=$BATS_TEST_TMPDIR/tf ino
	mkdir "$dir"
	echo stale >"$dir/edrdiag.prom"
	ino=$(stat -c %i "$dir/edrdiag.prom")
	run --separate-stderr "$EDRDIAG" export --textfile "$dir" --window 0.2 --no-checks
	assert_success
	[ -z "$output" ] || fail "wrote to stdout: $output"
	well_formed <"$dir/edrdiag.prom" || fail "not well formed"
	assert_equal "$(stat -c %a "$dir/edrdiag.prom")" 644
	# a rename over it, not a rewrite in place: a reader holding the old file sees it whole
	[ "$(stat -c %i "$dir/edrdiag.prom")" != "$ino" ] || fail "rewritten in place"
	assert_equal "$(find "$dir" -mindepth 1 | wc -l)" 1
}

@test "textfile: a missing directory or a file is exit 2, and nothing is written" {
	local f=$BATS_TEST_TMPDIR/plain
	echo x >"$f"
	run --separate-stderr "$EDRDIAG" export --textfile "$BATS_TEST_TMPDIR/none" --window 0
	assert_equal "$status" 2
	[[ "$stderr" == *"--textfile '$BATS_TEST_TMPDIR/none'"* ]] || fail "$stderr"
	[ ! -e "$BATS_TEST_TMPDIR/none" ] || fail "created the directory"
	run --separate-stderr "$EDRDIAG" export --textfile "$f" --window 0
	assert_equal "$status" 2
	[[ "$stderr" == *"not a directory"* ]] || fail "$stderr"
	assert_equal "$(cat "$f")" x
}

@test "listen: GET /metrics only, cumulative counters, stats held and dropped with the process" {
	local body=$BATS_TEST_TMPDIR/m.prom id before holders
	before=$(cat "$KNOB")
	start_loadprogs 1 --runs 500
	id=${LP_IDS%% *}
	start_listen --no-checks
	run curl -s -o /dev/null -w '%{http_code}' "${EX_URL%/metrics}/nothing"
	assert_output 404
	run curl -s -o /dev/null -w '%{http_code}' -X POST "$EX_URL"
	assert_output 405
	# the connection is kept alive between scrapes, as Prometheus keeps its own
	run curl -sv -o /dev/null -o /dev/null "$EX_URL" "$EX_URL"
	assert_success
	assert_output --partial "Re-using existing connection"
	curl -sf "$EX_URL" -o "$body"
	well_formed <"$body" || fail "not well formed"
	local c0 c1
	c0=$(sample edrdiag_bpf_prog_runs_total "id=\"$id\"" <"$body")
	kill -USR1 "$LP_PID"
	for _ in $(seq 50); do grep -q '^ran' "$LP_OUT" && break; sleep 0.1; done
	curl -sf "$EX_URL" -o "$body"
	c1=$(sample edrdiag_bpf_prog_runs_total "id=\"$id\"" <"$body")
	assert_equal "$((c1 - c0))" 500
	grep -q '^# TYPE edrdiag_bpf_prog_runs_total counter$' "$body" || fail "not a counter"
	run grep -c '^edrdiag_bpf_prog_window_runs' "$body"
	assert_output 0
	# the kernel drops the handle with the process, SIGKILL included
	kill -KILL "$EX_PID"
	wait "$EX_PID" 2>/dev/null || true
	assert_equal "$(cat "$KNOB")" "$before"
	[ "$before" -eq 0 ] || skip "kernel.bpf_stats_enabled was on: the runs count anyway"
	holders=$(stats_holders | paste -sd, -)
	[ -z "$holders" ] || skip "other processes hold BPF stats on ($holders): the runs count anyway"
	c0=$(bpftool prog show id "$id" -j | jq .run_cnt)
	kill -USR1 "$LP_PID"
	for _ in $(seq 50); do [ "$(grep -c '^ran' "$LP_OUT")" -ge 2 ] && break; sleep 0.1; done
	assert_equal "$(bpftool prog show id "$id" -j | jq .run_cnt)" "$c0"
}

@test "listen: SIGTERM ends it with exit 0; a port in use is exit 2 naming it" {
	local port
	start_listen --no-checks
	port=${EX_URL##*:}
	port=${port%%/*}
	run --separate-stderr "$EDRDIAG" export --listen "127.0.0.1:$port" --no-checks
	assert_equal "$status" 2
	[[ "$stderr" == *"--listen '127.0.0.1:$port': Address already in use"* ]] || fail "$stderr"
	kill -TERM "$EX_PID"
	local st=0
	wait "$EX_PID" || st=$?
	assert_equal "$st" 0
}

@test "listen: IPv6 loopback" {
	[ -e /proc/net/if_inet6 ] || skip "no IPv6 on this host"
	local err=$BATS_TEST_TMPDIR/v6.err url _
	"$EDRDIAG" export --listen '[::1]:0' --no-checks 2>"$err" &
	BG_PIDS+=($!)
	for _ in $(seq 100); do grep -q 'listening on' "$err" && break; sleep 0.05; done
	url=$(grep -o 'http://\[::1\]:[0-9]*/metrics' "$err") || fail "not listening: $(cat "$err")"
	run curl -sf -g "$url"
	assert_success
	assert_output --partial 'edrdiag_build_info{version="'
}

@test "listen: --agent NAME follows the agent across a restart; a gone agent is up 0" {
	local body=$BATS_TEST_TMPDIR/m.prom first
	start_loadprogs 1 --comm edrtestagent
	first=$LP_PID
	start_listen --no-checks --agent edrtestagent
	curl -sf "$EX_URL" -o "$body"
	assert_equal "$(sample edrdiag_agent_up "pid=\"$first\",comm=\"edrtestagent\"" <"$body")" 1
	kill -KILL "$first"
	wait "$first" 2>/dev/null || true
	curl -sf "$EX_URL" -o "$body"
	assert_equal "$(sample edrdiag_agent_up "pid=\"$first\",comm=\"edrtestagent\"" <"$body")" 0
	run grep -c '^edrdiag_agent_cpu_seconds_total' "$body"
	assert_output 0
	start_loadprogs 1 --comm edrtestagent
	curl -sf "$EX_URL" -o "$body"
	assert_equal "$(sample edrdiag_agent_up "pid=\"$LP_PID\",comm=\"edrtestagent\"" <"$body")" 1
	grep -q "^edrdiag_agent_cpu_seconds_total{pid=\"$LP_PID\"," "$body" || fail "no CPU of the new agent"
}
