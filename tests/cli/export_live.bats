#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# export, live (issue 13): what Prometheus' own tools make of `edrdiag export` on this host.
# promtool finds no error and no warning in any mode, hostile process names included;
# node_exporter's textfile collector reads the --textfile file; a Prometheus server scrapes
# --listen and node_exporter and sees a driven program run; the run counts and run times are
# bpftool's over the same window; and kernel.bpf_stats_enabled is left as found in every mode,
# a --listen exporter killed with SIGKILL included.
#
# Every test needs root (bpf(), BPF_ENABLE_STATS); without it each skips and says why. The
# servers bind 127.0.0.1 on ports the kernel picked, every wait is bounded, and teardown kills
# whatever the test started, even when it failed half-way. Other BPF programs (another test
# run, a benchmark) may be loaded at the same time: objects are found by the ids of the
# programs and maps this test's loadprogs holds.

load helper
load prom

KNOB=/proc/sys/kernel/bpf_stats_enabled
# loadprogs' comm, 15 bytes as the kernel keeps them: a quote, a backslash, a newline, a byte
# that is not UTF-8, and what would pass for more labels if it were written raw
EVIL=$'evil"\\\n\xff{x="1"}'
# A label holding EVIL (owner, the agent's comm) as export writes it (src/promtext.h):
# edrdiag's printable form (the newline and the stray byte as the text \x0a and \xff, the
# backslash doubled), then escaped for the format: one line, valid UTF-8, the whole name in
# one label value, and no byte of it lost
EVIL_PRINTABLE='"evil\"\\\\\\x0a\\xff{x=\"1\"}"'
# ... and the value a scraper reads back from it
EVIL_PRINTABLE_VALUE='evil"\\\x0a\xff{x="1"}'

setup() {
	require_root
	LOADPROGS=$TOOLS/loadprogs
	[ -x "$LOADPROGS" ] || fail "$LOADPROGS not built"
	BG_PIDS=()
	KNOB_SAVED=
	if [ -w "$KNOB" ]; then
		KNOB_SAVED=$(cat "$KNOB")
		# the state each test finds: off, as on a host nobody measures
		echo 0 >"$KNOB"
	fi
}

# Whatever a test started is stopped, and the knob is put back as it was before the test: a
# test that fails half-way must leave no server, no loadprogs and no stats switched on.
teardown() {
	stop_bg
	[ -z "$KNOB_SAVED" ] || echo "$KNOB_SAVED" >"$KNOB"
}

need_bpftool() {
	command -v bpftool >/dev/null || skip "bpftool not installed: no oracle to compare with"
}

# Start loadprogs (two programs, a hash map of 64 with 10 keys) named $EVIL.
start_evil() {
	start_loadprogs 2 --hash 64 10 --comm "$EVIL"
	[ "$(cat /proc/"$LP_PID"/comm)" = "$EVIL" ] ||
		fail "comm not set: $(od -c /proc/"$LP_PID"/comm)"
	[ -n "$LP_MAP" ] || fail "loadprogs holds no map"
}

# drive N: make loadprogs run its programs N times over (SIGUSR1; each round is waited for, 5 s
# at most): the programs run then and only then
drive() {
	local i before _
	for ((i = 0; i < $1; i++)); do
		before=$(grep -c '^ran' "$LP_OUT" || true)
		kill -USR1 "$LP_PID"
		for _ in $(seq 100); do
			[ "$(grep -c '^ran' "$LP_OUT" || true)" -gt "$before" ] && break
			sleep 0.05
		done
		[ "$(grep -c '^ran' "$LP_OUT" || true)" -gt "$before" ] ||
			{ fail "loadprogs did not run its programs in 5 s"; return; }
	done
}

# run_cnt and run_time_ns of program $1 as bpftool shows them ("0 0" while never counted)
bpftool_counts() {
	bpftool -j prog show id "$1" | jq -r '"\(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# The pids of the processes holding a BPF_ENABLE_STATS file (the kernel counts run time while
# one is open)
stats_holders() {
	find /proc/[0-9]*/fd -maxdepth 1 -lname 'anon_inode:bpf-stats' 2>/dev/null |
		cut -d/ -f3 | sort -un
}

# holds_stats PID: PID has a BPF_ENABLE_STATS file open
holds_stats() {
	find /proc/"$1"/fd -maxdepth 1 -lname 'anon_inode:bpf-stats' 2>/dev/null | grep -q .
}

# wait_stats_held PID: wait until PID holds a BPF_ENABLE_STATS file (10 s at most)
wait_stats_held() {
	local _
	for _ in $(seq 200); do
		holds_stats "$1" && return 0
		kill -0 "$1" 2>/dev/null || { fail "export exited before switching stats on"; return; }
		sleep 0.05
	done
	fail "export did not switch BPF run-time stats on (BPF_ENABLE_STATS) in 10 s"
}

# wait_exit PID SECONDS: wait for the background process PID to end, at most SECONDS; its
# exit status in WAIT_RC
wait_exit() {
	local _ state
	for _ in $(seq $(($2 * 20))); do
		state=$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -c1)
		if [ -z "$state" ] || [ "$state" = Z ]; then
			break
		fi
		sleep 0.05
	done
	if [ -n "$state" ] && [ "$state" != Z ]; then
		fail "pid $1 still running after $2 s"
		return
	fi
	WAIT_RC=0
	wait "$1" || WAIT_RC=$?
}

# assert_knob VALUE WHEN: kernel.bpf_stats_enabled is VALUE
assert_knob() {
	[ "$(cat "$KNOB")" = "$1" ] || fail "kernel.bpf_stats_enabled is $(cat "$KNOB") $2, was $1"
}

# assert_stats_off ID: the kernel counts no run of program ID now (driven once, bpftool's
# run_cnt stays). Only provable when no other process holds BPF_ENABLE_STATS (another test
# run, a benchmark): else it is said, and only the sysctl was checked.
assert_stats_off() {
	local others before after
	others=$(stats_holders | tr '\n' ' ')
	if [ -n "$others" ]; then
		echo "# other processes hold BPF_ENABLE_STATS (pids $others): run counting not checked" >&3
		return 0
	fi
	before=$(bpftool_counts "$1")
	drive 1
	after=$(bpftool_counts "$1")
	[ "$before" = "$after" ] ||
		fail "run-time stats still on after export: run_cnt/run_time_ns $before -> $after"
}

# need_promtool: PROMTOOL, or skip naming what to run
need_promtool() {
	require_prom_tool promtool
	PROMTOOL=$(prom_tool promtool)
}

# assert_promtool_clean FILE WHAT: promtool check metrics says nothing and exits 0 on FILE, and
# FILE is an export (an empty one would pass)
assert_promtool_clean() {
	local out rc=0
	grep -q '^edrdiag_build_info{' "$1" || fail "$2: no edrdiag_build_info: $(head -c 2000 "$1")"
	out=$("$PROMTOOL" check metrics <"$1" 2>&1) || rc=$?
	if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
		fail "promtool check metrics on $2: exit $rc: $out"
	fi
}

# samples FILE FAMILY ID: the sample lines of FAMILY for the object of id ID
samples() {
	grep -E "^$2\{(.*,)?id=\"$3\"[,}]" "$1" || true
}

# value FILE FAMILY ID: the value of FAMILY's one sample for id ID ("" when not one sample)
value() {
	local s
	s=$(samples "$@")
	if [ -n "$s" ] && [ "$(wc -l <<<"$s")" -eq 1 ]; then
		awk '{print $NF}' <<<"$s"
	fi
}

# assert_value FILE FAMILY ID WANT: FAMILY's sample for id ID is WANT
assert_value() {
	local v
	v=$(value "$1" "$2" "$3")
	[ "$v" = "$4" ] || fail "$2{id=\"$3\"} is '$v', expected $4: $(samples "$1" "$2" "$3")"
}

# assert_owner_escaped FILE FAMILY ID: FAMILY's sample for id ID carries the owner $EVIL,
# escaped
assert_owner_escaped() {
	local s
	s=$(samples "$1" "$2" "$3")
	[ -n "$s" ] || fail "no $2 sample for id $3 in $1"
	[[ "$s" == *"owner=$EVIL_PRINTABLE"* ]] ||
		fail "$2{id=\"$3\"}: owner not escaped as expected: $(printf '%s' "$s" | od -c | head -20)"
}

# assert_evil_export FILE WHAT: FILE is promtool-clean and names loadprogs' programs and map
# with the hostile owner escaped; valid UTF-8 throughout
assert_evil_export() {
	local id s
	assert_promtool_clean "$1" "$2"
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null || fail "$2: not valid UTF-8"
	for id in $LP_IDS; do
		assert_owner_escaped "$1" edrdiag_bpf_prog_memlock_bytes "$id"
	done
	assert_owner_escaped "$1" edrdiag_bpf_map_memlock_bytes "$LP_MAP"
	assert_value "$1" edrdiag_bpf_map_entries "$LP_MAP" 10
	assert_value "$1" edrdiag_bpf_map_capacity "$LP_MAP" 64
	# loadprogs is the agent (--agent): its comm label too
	s=$(grep -E "^edrdiag_agent_up\{(.*,)?pid=\"$LP_PID\"[,}]" "$1" || true)
	[[ "$s" == *"comm=$EVIL_PRINTABLE"*" 1" ]] ||
		fail "$2: edrdiag_agent_up for $LP_PID: $(printf '%s' "$s" | od -c | head -20)"
	# the kernel has BPF_ENABLE_STATS (5.8+): that is how the counts were on
	grep -qx 'edrdiag_bpf_stats_mode{mode="enable_stats"} 1' "$1" ||
		fail "$2: not edrdiag_bpf_stats_mode{mode=\"enable_stats\"} 1: $(grep bpf_stats "$1")"
	grep -qx 'edrdiag_bpf_stats_enabled 1' "$1" || fail "$2: $(grep bpf_stats_enabled "$1")"
}

# assert_window FILE SECONDS: edrdiag_window_seconds is the window measured, SECONDS or a
# little more
assert_window() {
	local w
	w=$(sed -n 's/^edrdiag_window_seconds //p' "$1")
	awk -v w="$w" -v s="$2" 'BEGIN { exit !(w != "" && w >= s && w < s + 0.5) }' ||
		fail "edrdiag_window_seconds '$w' for a window of $2 s"
}

# assert_one_shot FILE: the window's families (of 0.2 s), not the listener's counters
assert_one_shot() {
	local id
	assert_window "$1" 0.2
	for id in $LP_IDS; do
		assert_value "$1" edrdiag_bpf_prog_window_runs "$id" 0
	done
	! grep -q '^edrdiag_bpf_prog_runs_total' "$1" || fail "a one-shot export has runs_total"
}

# start_listen [ARGS...]: edrdiag export --listen 127.0.0.1:PORT ARGS in the background; once it
# says it listens (10 s at most) sets EXP_PID, EXP_ADDR, EXP_URL, EXP_ERR
start_listen() {
	local port _
	port=$(free_port)
	EXP_ERR=$BATS_TEST_TMPDIR/listen.$port.err
	"$EDRDIAG" export --listen "127.0.0.1:$port" "$@" >"$BATS_TEST_TMPDIR/listen.$port.out" \
		2>"$EXP_ERR" &
	EXP_PID=$!
	BG_PIDS+=("$EXP_PID")
	EXP_ADDR=127.0.0.1:$port
	EXP_URL=http://$EXP_ADDR/metrics
	for _ in $(seq 200); do
		grep -qsF "listening on $EXP_URL" "$EXP_ERR" && return 0
		kill -0 "$EXP_PID" 2>/dev/null || { fail "export --listen exited: $(cat "$EXP_ERR")"; return; }
		sleep 0.05
	done
	fail "export --listen did not say 'listening on $EXP_URL' in 10 s: $(cat "$EXP_ERR")"
}

# stop_listen [SIGNAL]: SIGTERM (or SIGNAL), then it exits 0 within 10 s
stop_listen() {
	kill -"${1:-TERM}" "$EXP_PID"
	wait_exit "$EXP_PID" 10
	[ "$WAIT_RC" -eq 0 ] ||
		fail "export --listen exit $WAIT_RC after SIG${1:-TERM}: $(cat "$EXP_ERR")"
}

# fetch URL FILE: GET URL into FILE (10 s at most); the HTTP status in HTTP_CODE
fetch() {
	HTTP_CODE=$(curl -sS --max-time 10 -o "$2" -w '%{http_code}' "$1") ||
		fail "GET $1 failed (HTTP '$HTTP_CODE')"
}

# wait_http URL PID WHAT: URL answers 200 within 15 s while PID runs
wait_http() {
	local _
	for _ in $(seq 150); do
		curl -fsS --max-time 1 -o /dev/null "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || { fail "$3 exited: $(tail -5 "$BATS_TEST_TMPDIR/$3.log")"; return; }
		sleep 0.1
	done
	fail "$3 does not answer $1 in 15 s: $(tail -5 "$BATS_TEST_TMPDIR/$3.log")"
}

# start_node_exporter DIR: node_exporter with only its textfile collector, reading DIR; sets
# NE_PORT
start_node_exporter() {
	local pid
	require_prom_tool prometheus-node-exporter
	NE_PORT=$(free_port)
	"$(prom_tool prometheus-node-exporter)" --web.listen-address="127.0.0.1:$NE_PORT" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$1" >"$BATS_TEST_TMPDIR/node_exporter.log" 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	wait_http "http://127.0.0.1:$NE_PORT/metrics" "$pid" node_exporter
}

@test "export to stdout: promtool finds no error and no warning, hostile owner and comm escaped" {
	need_promtool
	start_evil
	run -0 --separate-stderr "$EDRDIAG" export --window 0.2 --agent "$LP_PID"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.prom"
	assert_evil_export "$BATS_TEST_TMPDIR/out.prom" stdout
	assert_one_shot "$BATS_TEST_TMPDIR/out.prom"
	assert_knob 0 "after export"
}

@test "export --textfile: the file alone, 0644, no temp left; promtool clean, owner escaped" {
	local dir=$BATS_TEST_TMPDIR/textfile
	need_promtool
	mkdir "$dir"
	start_evil
	run -0 --separate-stderr "$EDRDIAG" export --textfile "$dir" --window 0.2 --agent "$LP_PID"
	[ -z "$output" ] || fail "stdout with --textfile: $output"
	[ "$(ls -A "$dir")" = edrdiag.prom ] || fail "in $dir: $(ls -A "$dir")"
	[ "$(stat -c %a "$dir/edrdiag.prom")" = 644 ]
	assert_evil_export "$dir/edrdiag.prom" "--textfile"
	assert_one_shot "$dir/edrdiag.prom"
	assert_knob 0 "after export --textfile"
}

@test "export --listen: GET /metrics promtool clean with a hostile owner, other paths 404" {
	need_promtool
	start_evil
	start_listen --agent "$LP_PID"
	fetch "$EXP_URL" "$BATS_TEST_TMPDIR/m1.prom"
	[ "$HTTP_CODE" = 200 ] || fail "GET /metrics: HTTP $HTTP_CODE"
	assert_evil_export "$BATS_TEST_TMPDIR/m1.prom" "--listen"
	# the listener's counters, not a window's gauges
	local id
	for id in $LP_IDS; do
		[ -n "$(value "$BATS_TEST_TMPDIR/m1.prom" edrdiag_bpf_prog_runs_total "$id")" ] ||
			fail "no edrdiag_bpf_prog_runs_total for $id"
	done
	! grep -qE '^edrdiag_(window_seconds|bpf_prog_window_)' "$BATS_TEST_TMPDIR/m1.prom" ||
		fail "--listen serves window gauges"
	# a second scrape is as clean as the first
	fetch "$EXP_URL" "$BATS_TEST_TMPDIR/m2.prom"
	assert_evil_export "$BATS_TEST_TMPDIR/m2.prom" "--listen, second scrape"
	fetch "${EXP_URL%/metrics}/other" "$BATS_TEST_TMPDIR/other"
	[ "$HTTP_CODE" = 404 ] || fail "GET /other: HTTP $HTTP_CODE"
	fetch "${EXP_URL%/metrics}/" "$BATS_TEST_TMPDIR/other"
	[ "$HTTP_CODE" = 404 ] || fail "GET /: HTTP $HTTP_CODE"
	holds_stats "$EXP_PID" || fail "export --listen holds no BPF_ENABLE_STATS file"
	assert_knob 0 "while export --listen runs"
	stop_listen
	assert_knob 0 "after export --listen"
}

@test "node_exporter's textfile collector reads export --textfile: no scrape error" {
	local dir=$BATS_TEST_TMPDIR/textfile
	mkdir "$dir"
	start_evil
	run -0 --separate-stderr "$EDRDIAG" export --textfile "$dir" --window 0.2
	start_node_exporter "$dir"
	fetch "http://127.0.0.1:$NE_PORT/metrics" "$BATS_TEST_TMPDIR/node.prom"
	[ "$HTTP_CODE" = 200 ]
	grep -qx 'node_textfile_scrape_error 0' "$BATS_TEST_TMPDIR/node.prom" ||
		fail "$(grep -E 'textfile_scrape_error' "$BATS_TEST_TMPDIR/node.prom");
$(grep -i textfile "$BATS_TEST_TMPDIR/node_exporter.log")"
	grep -qF "node_textfile_mtime_seconds{file=\"$dir/edrdiag.prom\"}" \
		"$BATS_TEST_TMPDIR/node.prom" || fail "node_exporter did not read $dir/edrdiag.prom"
	grep -q '^edrdiag_build_info{' "$BATS_TEST_TMPDIR/node.prom" ||
		fail "no edrdiag_build_info through node_exporter"
	# what node_exporter parsed and wrote again is what edrdiag wrote: values and the owner
	assert_value "$BATS_TEST_TMPDIR/node.prom" edrdiag_bpf_map_entries "$LP_MAP" 10
	assert_value "$BATS_TEST_TMPDIR/node.prom" edrdiag_bpf_map_capacity "$LP_MAP" 64
	assert_owner_escaped "$BATS_TEST_TMPDIR/node.prom" edrdiag_bpf_map_memlock_bytes "$LP_MAP"
	assert_knob 0 "after export --textfile"
	# the file is replaced whole (rename): scrapes while exports rewrite it never read half a file
	local writer i
	(for i in $(seq 15); do
		"$EDRDIAG" export --textfile "$dir" --window 0.1 --no-checks || exit 1
	done) >"$BATS_TEST_TMPDIR/writer.out" 2>&1 &
	writer=$!
	BG_PIDS+=("$writer")
	for i in $(seq 40); do
		fetch "http://127.0.0.1:$NE_PORT/metrics" "$BATS_TEST_TMPDIR/node.prom"
		grep -qx 'node_textfile_scrape_error 0' "$BATS_TEST_TMPDIR/node.prom" ||
			fail "scrape $i while export rewrites the file: $(grep textfile_scrape_error \
				"$BATS_TEST_TMPDIR/node.prom"); $(grep 'level=error' \
				"$BATS_TEST_TMPDIR/node_exporter.log" | tail -2)"
		grep -q '^edrdiag_build_info{' "$BATS_TEST_TMPDIR/node.prom" ||
			fail "scrape $i while export rewrites the file: no edrdiag_build_info"
		kill -0 "$writer" 2>/dev/null || break
		sleep 0.05
	done
	wait_exit "$writer" 30
	[ "$WAIT_RC" -eq 0 ] || fail "export --textfile in a loop: $(cat "$BATS_TEST_TMPDIR/writer.out")"
	[ "$(ls -A "$dir")" = edrdiag.prom ] || fail "in $dir: $(ls -A "$dir")"
}

@test "Prometheus scrapes export --listen and node_exporter: both up, a driven program's run rate" {
	require_prom_tool prometheus
	local dir=$BATS_TEST_TMPDIR/textfile prom_port pid id deadline r rate=0 up_e=0 up_n=0 _
	mkdir "$dir"
	start_evil
	id=${LP_IDS%% *}
	run -0 --separate-stderr "$EDRDIAG" export --textfile "$dir" --window 0.2
	start_node_exporter "$dir"
	start_listen
	# the run counts move because this exporter holds the stats on, whoever else does
	holds_stats "$EXP_PID" || fail "export --listen holds no BPF_ENABLE_STATS file"
	prom_port=$(free_port)
	cat >"$BATS_TEST_TMPDIR/prometheus.yml" <<-EOF
		global:
		  scrape_interval: 1s
		  scrape_timeout: 1s
		scrape_configs:
		  - job_name: edrdiag
		    static_configs:
		      - targets: ['$EXP_ADDR']
		  - job_name: node
		    static_configs:
		      - targets: ['127.0.0.1:$NE_PORT']
	EOF
	"$(prom_tool prometheus)" --config.file="$BATS_TEST_TMPDIR/prometheus.yml" \
		--storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
		--web.listen-address="127.0.0.1:$prom_port" >"$BATS_TEST_TMPDIR/prometheus.log" 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	wait_http "http://127.0.0.1:$prom_port/-/ready" "$pid" prometheus
	# promql QUERY: the result vector of an instant query
	promql() {
		curl -sS --max-time 5 -G --data-urlencode "query=$1" \
			"http://127.0.0.1:$prom_port/api/v1/query" | jq -c '.data.result'
	}
	# run the programs while Prometheus scrapes (its first scrape comes within ~6 s), until
	# it sees them run and both targets up: 45 s at most
	deadline=$((SECONDS + 45))
	while [ "$SECONDS" -lt "$deadline" ]; do
		for _ in 1 2 3 4 5; do
			kill -USR1 "$LP_PID"
			sleep 0.2
		done
		r=$(promql "rate(edrdiag_bpf_prog_runs_total{job=\"edrdiag\",id=\"$id\"}[10s])")
		rate=$(jq -r '.[0].value[1] // 0' <<<"$r")
		up_e=$(promql 'up{job="edrdiag"}' | jq -r '.[0].value[1] // 0')
		up_n=$(promql 'up{job="node"}' | jq -r '.[0].value[1] // 0')
		if [ "$up_e" = 1 ] && [ "$up_n" = 1 ] && awk -v r="$rate" 'BEGIN { exit !(r > 0) }'; then
			break
		fi
	done
	[ "$up_e" = 1 ] || fail "up{job=\"edrdiag\"} is $up_e: $(promql 'up');
$(grep -i 'scrape' "$BATS_TEST_TMPDIR/prometheus.log" | tail -3)"
	[ "$up_n" = 1 ] || fail "up{job=\"node\"} is $up_n: $(promql 'up')"
	awk -v r="$rate" 'BEGIN { exit !(r > 0) }' ||
		fail "rate of edrdiag_bpf_prog_runs_total{id=\"$id\"} is $rate after 45 s:
$(promql "edrdiag_bpf_prog_runs_total{id=\"$id\"}[10s]")"
	# the exposition Prometheus parsed: the owner read back whole, from both targets
	r=$(promql "edrdiag_bpf_prog_memlock_bytes{id=\"$id\"}")
	jq -e --arg a "$EVIL_PRINTABLE_VALUE" \
		'length == 2 and all(.[]; .metric.owner == $a)' <<<"$r" ||
		fail "owner as Prometheus read it: $r"
	r=$(promql 'edrdiag_build_info{job="node"}')
	jq -e 'length == 1' <<<"$r" || fail "node job's edrdiag_build_info: $r"
	assert_knob 0 "while export --listen runs"
	stop_listen
	assert_knob 0 "after export --listen"
}

@test "export --window: the window's runs and run time are bpftool's deltas within 1%" {
	need_bpftool
	need_promtool
	start_loadprogs 2 --runs 1000
	local id pid out=$BATS_TEST_TMPDIR/window.prom b_cnt b_ns a_cnt a_ns runs secs
	declare -A before
	for id in $LP_IDS; do
		before[$id]=$(bpftool_counts "$id")
	done
	"$EDRDIAG" export --window 2 --no-checks >"$out" 2>"$BATS_TEST_TMPDIR/window.err" &
	pid=$!
	BG_PIDS+=("$pid")
	# run-time stats on: the window is open; its first reading follows at once
	wait_stats_held "$pid"
	sleep 0.4
	drive 3
	holds_stats "$pid" || fail "the window closed before the programs were driven: use a longer one"
	wait_exit "$pid" 15
	[ "$WAIT_RC" -eq 0 ] || fail "export --window 2 exit $WAIT_RC: $(cat "$BATS_TEST_TMPDIR/window.err")"
	assert_promtool_clean "$out" "--window 2"
	assert_window "$out" 2
	for id in $LP_IDS; do
		read -r b_cnt b_ns <<<"${before[$id]}"
		read -r a_cnt a_ns <<<"$(bpftool_counts "$id")"
		# the test's own check: bpftool counted the 3000 runs, all inside the window
		[ $((a_cnt - b_cnt)) -eq 3000 ] || fail "bpftool: prog $id ran $((a_cnt - b_cnt)) times"
		runs=$(value "$out" edrdiag_bpf_prog_window_runs "$id")
		secs=$(value "$out" edrdiag_bpf_prog_window_run_seconds "$id")
		if [ -z "$runs" ] || [ -z "$secs" ]; then
			fail "no window samples for $id: $(grep "id=\"$id\"" "$out")"
		fi
		awk -v e="$runs" -v b=$((a_cnt - b_cnt)) 'BEGIN { d = e - b; if (d < 0) d = -d;
			exit !(b > 0 && d <= 0.01 * b) }' ||
			fail "prog $id: window_runs $runs, bpftool's delta $((a_cnt - b_cnt))"
		awk -v e="$secs" -v b=$((a_ns - b_ns)) 'BEGIN { b /= 1e9; d = e - b; if (d < 0) d = -d;
			exit !(b > 0 && d <= 0.01 * b) }' ||
			fail "prog $id: window_run_seconds $secs, bpftool's delta $((a_ns - b_ns)) ns"
	done
	assert_knob 0 "after export --window 2"
	assert_stats_off "${LP_IDS%% *}"
}

@test "export --listen: the counters' deltas between two scrapes are bpftool's within 1%" {
	need_bpftool
	start_loadprogs 2 --runs 1000
	start_listen --no-checks
	holds_stats "$EXP_PID" || fail "export --listen holds no BPF_ENABLE_STATS file"
	local id m1=$BATS_TEST_TMPDIR/m1.prom m2=$BATS_TEST_TMPDIR/m2.prom b_cnt b_ns a_cnt a_ns
	local c1 c2 s1 s2
	declare -A before
	# stats are on for the listener's whole life: the programs run only when driven, so
	# bpftool read just before the first scrape and just after the second brackets them
	for id in $LP_IDS; do
		before[$id]=$(bpftool_counts "$id")
	done
	fetch "$EXP_URL" "$m1"
	drive 3
	fetch "$EXP_URL" "$m2"
	for id in $LP_IDS; do
		read -r b_cnt b_ns <<<"${before[$id]}"
		read -r a_cnt a_ns <<<"$(bpftool_counts "$id")"
		[ $((a_cnt - b_cnt)) -eq 3000 ] || fail "bpftool: prog $id ran $((a_cnt - b_cnt)) times"
		c1=$(value "$m1" edrdiag_bpf_prog_runs_total "$id")
		c2=$(value "$m2" edrdiag_bpf_prog_runs_total "$id")
		s1=$(value "$m1" edrdiag_bpf_prog_run_seconds_total "$id")
		s2=$(value "$m2" edrdiag_bpf_prog_run_seconds_total "$id")
		if [ -z "$c1" ] || [ -z "$c2" ] || [ -z "$s1" ] || [ -z "$s2" ]; then
			fail "prog $id: runs_total '$c1' '$c2', run_seconds_total '$s1' '$s2'"
		fi
		# the totals are the kernel's: as bpftool read them around each scrape
		[ "$c1" = "$b_cnt" ] || fail "prog $id: runs_total $c1 at the first scrape, bpftool $b_cnt"
		[ "$c2" = "$a_cnt" ] || fail "prog $id: runs_total $c2 at the second scrape, bpftool $a_cnt"
		awk -v e=$((c2 - c1)) -v b=$((a_cnt - b_cnt)) 'BEGIN { d = e - b; if (d < 0) d = -d;
			exit !(b > 0 && d <= 0.01 * b) }' ||
			fail "prog $id: runs_total went up $((c2 - c1)), bpftool's delta $((a_cnt - b_cnt))"
		awk -v e1="$s1" -v e2="$s2" -v b=$((a_ns - b_ns)) 'BEGIN { b /= 1e9; d = e2 - e1 - b;
			if (d < 0) d = -d; exit !(b > 0 && d <= 0.01 * b) }' ||
			fail "prog $id: run_seconds_total $s1 -> $s2, bpftool's delta $((a_ns - b_ns)) ns"
	done
	stop_listen
	assert_knob 0 "after export --listen"
	assert_stats_off "${LP_IDS%% *}"
}

@test "kernel.bpf_stats_enabled as found (0 or 1) after every mode, and after kill -9 of --listen" {
	need_bpftool
	[ -n "$KNOB_SAVED" ] || skip "$KNOB is not writable here"
	local knob dir=$BATS_TEST_TMPDIR/textfile before after id
	mkdir "$dir"
	start_loadprogs 1 --runs 100
	id=$LP_IDS
	for knob in 0 1; do
		echo "$knob" >"$KNOB"
		run -0 --separate-stderr "$EDRDIAG" export --window 0.2 --no-checks
		assert_knob "$knob" "after export (stdout)"
		grep -qx "edrdiag_bpf_stats_sysctl $knob" <<<"$output" ||
			fail "edrdiag_bpf_stats_sysctl: $(grep bpf_stats_sysctl <<<"$output")"
		run -0 --separate-stderr "$EDRDIAG" export --textfile "$dir" --window 0.2 --no-checks
		assert_knob "$knob" "after export --textfile"
		grep -qx "edrdiag_bpf_stats_sysctl $knob" "$dir/edrdiag.prom"
		start_listen --no-checks
		fetch "$EXP_URL" "$BATS_TEST_TMPDIR/m.prom"
		assert_knob "$knob" "while export --listen runs"
		grep -qx "edrdiag_bpf_stats_sysctl $knob" "$BATS_TEST_TMPDIR/m.prom"
		# SIGTERM or SIGINT: the same clean end
		if [ "$knob" = 0 ]; then stop_listen TERM; else stop_listen INT; fi
		assert_knob "$knob" "after export --listen"
	done
	echo 0 >"$KNOB"
	assert_stats_off "$id"
	# a listener killed with SIGKILL runs no clean-up: the kernel drops the stats with its fd
	start_listen --no-checks
	holds_stats "$EXP_PID" || fail "export --listen holds no BPF_ENABLE_STATS file"
	before=$(bpftool_counts "$id")
	drive 1
	after=$(bpftool_counts "$id")
	[ "${after%% *}" -eq $((${before%% *} + 100)) ] ||
		fail "stats not on under --listen with the sysctl off: run_cnt $before -> $after"
	fetch "$EXP_URL" "$BATS_TEST_TMPDIR/m.prom"
	[ "$HTTP_CODE" = 200 ]
	kill -KILL "$EXP_PID"
	wait_exit "$EXP_PID" 10
	[ "$WAIT_RC" -eq 137 ] || fail "exit $WAIT_RC after SIGKILL"
	assert_knob 0 "after kill -9 of export --listen"
	assert_stats_off "$id"
}
