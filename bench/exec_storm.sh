#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Exec storm: N execs (default 100000) from 2 workers, flat out or at --rate R execs/s in all,
# traced once by `edrdiag run-sensor` and once by libbpf-tools execsnoop, each writing its
# output to a file, in one run. Prints side by side the events each captured, drops, tracer
# CPU (over the storm, per second of wall time and per 100k events), peak RSS and BPF ns per
# exec, plus run-sensor's delivery latency at the same rate and for one exec after 10 s of
# quiet, against the targets of issues 3 and 15.
# With --idle SEC there is no storm: each tracer runs SEC s on the quiet host, and the script
# reports its CPU and the voluntary context switches of its main (reader) thread.
# Usage: bench/exec_storm.sh [--rate R | --idle SEC] [N]   (as root, after scripts/setup.sh)
# EXEC_STORM_NO_TIME=1 reads CPU and RSS from /proc even when /usr/bin/time is there.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
usage="bench/exec_storm.sh [--rate R | --idle SEC] [N]   (N a positive number of execs)"
rate=0
idle=
while [ $# -gt 0 ]; do
	case "$1" in
	--rate) [ $# -ge 2 ] || die "$usage"; rate=$2; shift 2 ;;
	--rate=*) rate=${1#--rate=}; shift ;;
	--idle) [ $# -ge 2 ] || die "$usage"; idle=$2; shift 2 ;;
	--idle=*) idle=${1#--idle=}; shift ;;
	-*) die "$usage" ;;
	*) break ;;
	esac
done
n=${1:-100000}
edrdiag=${EDRDIAG:-build/edrdiag}
storm=build/tests/tools/execstorm
workers=2

positive "$n" "$usage"
[[ $rate =~ ^[0-9]+$ ]] || die "$usage   (R execs/s, 0 = flat out)"
[ -z "$idle" ] || positive "$idle" "$usage   (SEC a positive number of seconds)"
need_root "loads BPF programs, sets kernel.bpf_stats_enabled"
need_built "$edrdiag" "$storm"
execsnoop=$(command -v execsnoop || true)
[ -n "$execsnoop" ] || [ ! -x /usr/sbin/execsnoop ] || execsnoop=/usr/sbin/execsnoop
[ -n "$execsnoop" ] || die "execsnoop missing: install libbpf-tools (scripts/setup.sh)"
need_cmd bpftool jq perl
command -v setsid >/dev/null || die "setsid missing (util-linux)"
stats_knob=/proc/sys/kernel/bpf_stats_enabled
[ -w "$stats_knob" ] || die "$stats_knob not writable: cannot measure BPF run time"

# GNU time reports the tracer's whole life; without it, /proc just before the SIGINT
timer=
[ -n "${EXEC_STORM_NO_TIME:-}" ] || ! command -v /usr/bin/time >/dev/null || timer=/usr/bin/time
clk_tck=$(getconf CLK_TCK)

# State the EXIT trap undoes: the saved stats knob, a running storm or tracer, the temp dir.
stats_saved=$(cat "$stats_knob")
storm_pgid=
waiter=
tracer_pid=
tmp=

# Stop the tracer: SIGINT (both print their summary and unload), SIGKILL after 10 s.
stop_tracer() {
	local i

	[ -n "$waiter" ] || return 0
	[ -z "$tracer_pid" ] || kill -INT "$tracer_pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$waiter" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$waiter" 2>/dev/null; then
		echo "exec_storm.sh: tracer $tracer_pid ignored SIGINT for 10 s: killing it" >&2
		kill -KILL "${tracer_pid:-$waiter}" 2>/dev/null || true
	fi
	wait "$waiter" 2>/dev/null || true
	waiter=
	tracer_pid=
}

cleanup() {
	local rc=$? i

	trap - EXIT INT TERM HUP
	if [ -n "$storm_pgid" ]; then
		kill -TERM -- -"$storm_pgid" 2>/dev/null || true
		wait "$storm_pgid" 2>/dev/null || true
		# its workers outlive it briefly; they and their last execs are in its group
		for ((i = 0; i < 50; i++)); do
			kill -0 -- -"$storm_pgid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	stop_tracer
	echo "$stats_saved" >"$stats_knob" || echo "exec_storm.sh: could not restore $stats_knob to" \
		"$stats_saved" >&2
	[ -z "$tmp" ] || rm -rf "$tmp"
	exit "$rc"
}
on_exit cleanup

tmp=$(mktemp -d /tmp/exec_storm.XXXXXX)
# a name no other process execs: the storm's events are told apart by it (comm <= 15 chars)
prog=$tmp/edrdiag-storm
ln -s "$(readlink -f /bin/true)" "$prog"

# Wait until the tracer can see execs; returns non-zero if it exited first or took 30 s.
wait_ready() {
	local name=$1 i wchan

	for ((i = 0; i < 600; i++)); do
		kill -0 "$waiter" 2>/dev/null || return 1
		[ -n "$tracer_pid" ] || tracer_pid=$(cat "$tmp/$name.pid" 2>/dev/null || true)
		case "$name" in
		edrdiag)
			# printed once the program is attached and the ring buffer is open
			grep -q 'sensor attached' "$tmp/$name.err" && return 0
			;;
		execsnoop)
			# Its header comes after attach and perf buffer set-up, but stdout to a
			# file is block-buffered: it reaches the file only 4 KiB later. So also
			# accept the tracer blocked in epoll_wait(), which is its poll loop.
			grep -q '^PCOMM' "$tmp/$name.out" && return 0
			if [ -n "$tracer_pid" ]; then
				wchan=$(cat "/proc/$tracer_pid/wchan" 2>/dev/null || true)
				[[ $wchan != *epoll* ]] || return 0
			fi
			;;
		esac
		sleep 0.05
	done
	return 1
}

# The BPF programs a process holds (prog fds and links both name theirs in fdinfo).
prog_ids() {
	local f

	for f in /proc/"$1"/fdinfo/*; do
		sed -n 's/^prog_id:[[:space:]]*//p' "$f" 2>/dev/null || true
	done | sort -un | jq -sc .
}

# run_cnt and run_time_ns of the programs in $1 (a JSON array of ids), as JSON.
prog_stats() {
	bpftool -j prog show | jq -c --argjson ids "$1" \
		'[.[] | select(.id as $i | $ids | index($i)) |
		  {id, name, run_cnt: (.run_cnt // 0), run_time_ns: (.run_time_ns // 0)}]'
}

# User+sys seconds and VmHWM (KiB) of a live process, from /proc.
proc_usage() {
	local pid=$1 stat rest hwm

	stat=$(cat "/proc/$pid/stat")
	rest=${stat##*) }
	# shellcheck disable=SC2086 # split the fields after "(comm) "
	set -- $rest
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	awk -v u="${12}" -v s="${13}" -v hz="$clk_tck" -v m="$hwm" \
		'BEGIN { printf "%.2f %.2f %d\n", u / hz, s / hz, m }'
}

# CPU seconds of a live process (all its threads): the scheduler's run time in ns from
# /proc/PID/task/*/schedstat, or user+sys from /proc/PID/stat (10 ms ticks) without schedstat.
proc_cpu() {
	local stat rest f ns=0 v

	for f in /proc/"$1"/task/*/schedstat; do
		read -r v _ <"$f" 2>/dev/null || { ns=; break; }
		ns=$((ns + v))
	done
	if [ -n "$ns" ]; then
		awk -v n="$ns" 'BEGIN { printf "%.3f\n", n / 1e9 }'
		return
	fi
	stat=$(cat "/proc/$1/stat")
	rest=${stat##*) }
	# shellcheck disable=SC2086 # split the fields after "(comm) "
	set -- $rest
	awk -v u="${12}" -v s="${13}" -v hz="$clk_tck" 'BEGIN { printf "%.2f\n", (u + s) / hz }'
}

now_ns() { date +%s%N; }

# Start a tracer in the background, its output in $tmp/NAME.out and .err; sets waiter and
# tracer_pid once it can see execs.
start_tracer() {
	local name=$1
	shift

	: >"$tmp/$name.out"
	: >"$tmp/$name.err"
	# sh writes the pid the tracer will have, then becomes it
	# shellcheck disable=SC2016 # $$ and $@ are for sh
	if [ -n "$timer" ]; then
		"$timer" -f '%U %S %M %e' -o "$tmp/$name.time" \
			sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/$name.pid" "$@" \
			>"$tmp/$name.out" 2>"$tmp/$name.err" &
	else
		sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/$name.pid" "$@" \
			>"$tmp/$name.out" 2>"$tmp/$name.err" &
	fi
	waiter=$!
	tracer_pid=
	if ! wait_ready "$name"; then
		echo "exec_storm.sh: $name did not start (30 s); its stderr:" >&2
		sed 's/^/  /' "$tmp/$name.err" >&2
		exit 1
	fi
}

# Run time of all threads (ns, q_ns), voluntary switches of the main thread (q_vcs) of
# process $1, and the lines in file $2 (q_lines), with shell builtins only: no fork, no exec,
# which would be an event for the tracers to wake for.
sample_quiet() {
	local f v line lines

	q_ns=0
	for f in /proc/"$1"/task/*/schedstat; do
		read -r v _ <"$f"
		q_ns=$((q_ns + v))
	done
	while read -r line; do
		case $line in voluntary_ctxt_switches:*) q_vcs=${line##*[[:space:]]} ;; esac
	done <"/proc/$1/task/$1/status"
	mapfile -t lines <"$2"
	q_lines=${#lines[@]}
}

# One tracer on the quiet host for $idle s, the script itself making no exec meanwhile.
# Writes $tmp/NAME.result: CPU s over the window, voluntary switches of its main thread over
# it, their count since it started, and the lines it printed in the window (edrdiag prints
# and flushes each exec as it reads it: the execs other programs made meanwhile).
measure_idle() {
	local name=$1 c0 v0 l0 never nfd
	shift

	start_tracer "$name" "$@"
	never=$tmp/never
	[ -p "$never" ] || mkfifo "$never"
	exec {nfd}<>"$never"
	read -r -t 1 -u "$nfd" || true # past the start-up
	sample_quiet "$tracer_pid" "$tmp/$name.out"
	c0=$q_ns v0=$q_vcs l0=$q_lines
	read -r -t "$idle" -u "$nfd" || true
	sample_quiet "$tracer_pid" "$tmp/$name.out"
	exec {nfd}>&-
	stop_tracer
	echo "$(((q_ns - c0) / 1000000)) $((q_vcs - v0)) $q_vcs $((q_lines - l0))" >"$tmp/$name.result"
}

# One tracer through the storm. Writes $tmp/NAME.result: captured, drops, user s, sys s,
# peak RSS KiB, whole-life wall s, CPU s over the storm and its drain, their wall s, BPF ns
# per exec, BPF runs, program names.
measure() {
	local name=$1 before after usage startup drops captured bpf u s m e runs names storm_rc=0
	local c0 c1 t0 t1
	shift

	start_tracer "$name" "$@"

	# what loading and verifying cost it, apart from the storm (from /proc, so coarse)
	startup=$(proc_usage "$tracer_pid" | awk '{ print $1 + $2 }')

	# BPF stats on for the storm only; the figures are the storm's deltas
	echo 1 >"$stats_knob"
	before=$(prog_stats "$(prog_ids "$tracer_pid")")
	c0=$(proc_cpu "$tracer_pid")
	t0=$(now_ns)
	# its own session, so an interrupted run can stop it and its workers as a group
	setsid "$storm" --rate "$rate" "$n" "$workers" "$prog" >"$tmp/$name.storm" 2>&1 &
	storm_pgid=$!
	wait "$storm_pgid" || storm_rc=$?
	storm_pgid=
	[ "$storm_rc" -eq 0 ] || echo "exec_storm.sh: warning: $name run: the storm exited" \
		"$storm_rc: $(cat "$tmp/$name.storm")" >&2
	sleep 1 # the tail drains: edrdiag's batches every 40 ms, execsnoop polls every 100 ms
	after=$(prog_stats "$(prog_ids "$tracer_pid")")
	c1=$(proc_cpu "$tracer_pid")
	t1=$(now_ns)
	echo "$stats_saved" >"$stats_knob"
	[ -n "$timer" ] || usage="$(proc_usage "$tracer_pid") $(((t1 - t0) / 1000000000))"
	stop_tracer
	[ -z "$timer" ] || usage=$(tail -n 1 "$tmp/$name.time")

	# the storm's execs: lines with its comm and its program as the file (edrdiag: TIME PID
	# PPID UID COMM FILENAME) or as argv[0] (execsnoop: PCOMM PID PPID RET ARGS); the
	# storm's own exec line has the program's path too, but later in its arguments
	case "$name" in
	edrdiag) fields='5 6' ;;
	execsnoop) fields='1 5' ;;
	esac
	captured=$(awk -v c="${prog##*/}" -v p="$prog" -v f="$fields" \
		'BEGIN { split(f, i, " ") } $(i[1]) == c && $(i[2]) == p { n++ } END { print n + 0 }' \
		"$tmp/$name.out")
	case "$name" in
	edrdiag)
		# counted in the kernel; the plain summary is on stderr, with the detail
		# line "X dropped in the kernel (...); Y perf records lost" when not 0
		drops=$(awk '$2 == "sensor.drops" {
				if (/no event dropped/) { print 0; exit }
				getline; n = 0; found = 0
				for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n += $i; found = 1 }
				print found ? n : "?"; exit
			}' "$tmp/$name.err")
		[ -n "$drops" ] || drops="?"
		;;
	execsnoop)
		# "Lost N events on CPU #C!" from its perf buffer, else what did not show up
		drops=$(awk '/^Lost [0-9]+ events/ { n += $2; found = 1 }
			END { print found ? n : "" }' "$tmp/$name.err")
		[ -n "$drops" ] || drops="$((n - captured))*"
		;;
	esac
	# ns per exec over the storm: run time of all its programs / runs of one of them
	bpf=$(jq -rn --argjson b "$before" --argjson a "$after" '
		[$a[] as $x | ($b[] | select(.id == $x.id)) as $y |
		 {n: ($x.run_cnt - $y.run_cnt), t: ($x.run_time_ns - $y.run_time_ns), name: $x.name}]
		| (map(.n) | max // 0) as $n | (map(.t) | add // 0) as $t
		| "\(if $n > 0 then $t / $n | round else "?" end) \($n) \(map(.name) | join(","))"')
	read -r u s m e <<<"$usage"
	echo "$captured $drops $u $s $m $e $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", b - a }') $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $bpf" \
		>"$tmp/$name.result"
	read -r _ runs names <<<"$bpf"
	echo "exec_storm.sh: $name: $(cat "$tmp/$name.storm"); ${startup} s CPU before the" \
		"storm (load); BPF programs $names ran $runs times" >&2
}

# run-sensor's delivery latency: the kernel's ts_ns of each exec against the CLOCK_MONOTONIC
# time its JSON line reached a reader on the other end of a pipe, with the default reorder
# window and no stdbuf: what a program reading its output gets. First one exec after
# 10 s of quiet, then (unless idle) the storm again at the same rate, at most 30000 execs.
# Writes $tmp/latency.result: the quiet exec's latency us, the storm's p99 us and count.
measure_latency() {
	local ready=$tmp/edrdiag-ready quiet=$tmp/edrdiag-quiet ln=$n i q p99

	[ "$ln" -le 30000 ] || ln=30000
	ln -s "$(readlink -f /bin/true)" "$ready"
	ln -s "$(readlink -f /bin/true)" "$quiet"
	: >"$tmp/lat.txt"
	# shellcheck disable=SC2016 # $$ and $@ are for sh
	sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/lat.pid" \
		"$edrdiag" --json run-sensor 2>"$tmp/lat.err" |
		perl -MTime::HiRes=clock_gettime,CLOCK_MONOTONIC -ne '
			BEGIN { $| = 1 }
			my $t = clock_gettime(CLOCK_MONOTONIC);
			printf "%s %.0f\n", $2, $t * 1e9 - $1
				if /"ts_ns":(\d+).*"filename":"([^"]*)"/' >"$tmp/lat.txt" &
	waiter=$!
	tracer_pid=
	# ready once an exec of ours comes through
	for ((i = 0; i < 300; i++)); do
		[ -n "$tracer_pid" ] || tracer_pid=$(cat "$tmp/lat.pid" 2>/dev/null || true)
		"$ready"
		grep -q "^$ready " "$tmp/lat.txt" && break
		kill -0 "$waiter" 2>/dev/null || die "run-sensor (latency run) exited: $(cat "$tmp/lat.err")"
		sleep 0.1
	done
	grep -q "^$ready " "$tmp/lat.txt" || die "run-sensor (latency run) saw no exec in 30 s"
	sleep 10
	"$quiet"
	for ((i = 0; i < 50; i++)); do
		grep -q "^$quiet " "$tmp/lat.txt" && break
		sleep 0.1
	done
	q=$(awk -v p="$quiet" '$1 == p { printf "%.0f", $2 / 1000; exit }' "$tmp/lat.txt")
	p99=
	if [ -z "$idle" ]; then
		setsid "$storm" --rate "$rate" "$ln" "$workers" "$prog" >"$tmp/lat.storm" 2>&1 &
		storm_pgid=$!
		wait "$storm_pgid" || true
		storm_pgid=
		sleep 1
		p99=$(awk -v p="$prog" '$1 == p { print $2 }' "$tmp/lat.txt" | sort -n |
			awk '{ v[NR] = $1 } END { if (NR) { k = int(NR * 0.99); if (k < NR * 0.99) k++
				printf "%.0f %d %.0f", v[k] / 1000, NR, v[NR] / 1000 } }')
	fi
	stop_tracer
	echo "${q:-?} ${p99:-? 0 ?}" >"$tmp/latency.result"
}

t_start=$(date +%s%N)
if [ -n "$idle" ]; then
	echo "exec_storm.sh: idle: each tracer $idle s on the quiet host (load: $(cut -d' ' \
		-f1-3 /proc/loadavg))" >&2
	measure_idle edrdiag "$edrdiag" run-sensor
	measure_idle execsnoop "$execsnoop"
	measure_latency
	t_end=$(date +%s%N)
	awk -v sec="$idle" -v secs="$(((t_end - t_start) / 1000000))" \
		-v e="$(cat "$tmp/edrdiag.result")" -v x="$(cat "$tmp/execsnoop.result")" \
		-v l="$(cat "$tmp/latency.result")" '
	function mark(ok) { return ok ? "met" : "NOT met" }
	BEGIN {
		printf "%-20s %12s %16s %16s\n", "tracer", "CPU s", "voluntary cs", "voluntary cs"
		printf "%-20s %12s %16s %16s\n", "", "over " sec " s", "over " sec " s", "since start"
		split(x, v, " "); printf "%-20s %12.3f %16d %16d\n", "execsnoop", v[1] / 1000, v[2], v[3]
		split(e, v, " "); printf "%-20s %12.3f %16d %16d\n", "edrdiag run-sensor", v[1] / 1000, v[2], v[3]
		printf "%-20s %12s %16s\n", "  target (issue 15)", "<= 0.01", "<= 10"
		printf "%-20s %12s %16s\n", "  edrdiag", mark(v[1] / 1000 <= 0.01), mark(v[2] <= 10)
		printf "\nexecs on the host in edrdiag'"'"'s window (other programs; the script made none): %d\n", v[4]
		split(l, q, " ")
		printf "\nrun-sensor: first exec after 10 s of quiet delivered in %s us (target <= 5000 us: %s)\n",
			q[1], q[1] == "?" ? "?" : mark(q[1] <= 5000)
		printf "CPU: run time of all its threads (/proc/PID/task/*/schedstat) over the window, 1 s after start; " \
			"switches: main thread (/proc/PID/task/PID/status). Script took %.1f s.\n", secs / 1000
	}'
	exit 0
fi

what="flat out"
[ "$rate" -eq 0 ] || what="at $rate/s"
echo "exec_storm.sh: $n execs from $workers workers $what, each tracer in turn (load: $(cut -d' ' \
	-f1-3 /proc/loadavg))" >&2
measure edrdiag "$edrdiag" run-sensor
measure execsnoop "$execsnoop"
measure_latency

t_end=$(date +%s%N)
src="GNU time (whole life of the tracer)"
[ -n "$timer" ] || src="/proc just before the SIGINT (exit not counted)"
awk -v n="$n" -v rate="$rate" -v l="$(cat "$tmp/latency.result")" -v src="$src" \
	-v secs="$(((t_end - t_start) / 1000000))" \
	-v e="$(cat "$tmp/edrdiag.result")" -v x="$(cat "$tmp/execsnoop.result")" '
function row(label, f, lat) {
	split(f, v, " ")
	cpu = v[7]
	per_s = v[8] > 0 ? cpu / v[8] : -1
	per_100k = v[1] > 0 ? cpu / v[1] * 100000 : -1
	printf "%-19s %7d/%-7d %7s %7.3f %8.4f %8.3f %7.2f %6.1f %7s %9s\n", label, v[1], n, v[2],
		cpu, per_s, per_100k, v[3] + v[4], v[5] / 1024, v[9], lat
	got_drops = v[2]; got_cpu = cpu; got_bpf = v[9]; got_rss = v[5] / 1024; got_100k = per_100k
}
function mark(ok) { return ok ? "met" : "NOT met" }
BEGIN {
	split(l, q, " "); p99 = q[2]
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "tracer", "captured/N", "lost",
		"CPU s", "CPU s", "CPU s", "life", "RSS", "BPF ns", "p99"
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "", "", "", "storm", "per s",
		"per 100k", "CPU s", "MB", "/exec", "latency"
	row("execsnoop", x, "n/a")
	xcpu = got_cpu; xbpf = got_bpf
	row("edrdiag run-sensor", e, p99 == "?" ? "?" : sprintf("%.2f ms", p99 / 1000))
	if (rate == 100) { ccpu = xcpu; cbpf = ""; tc = "<= execsnoop" }
	else { ccpu = xcpu / 10; cbpf = xbpf / 10; tc = "<= 1/10 xs" }
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "  target (issue 15)", "", "0", tc,
		"", "", "", "", cbpf == "" ? "" : "<= 1/10", "<= 50 ms"
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "  edrdiag", "",
		mark(got_drops == "0"), mark(got_cpu <= ccpu), "", "", "", "",
		cbpf == "" ? "" : mark(got_bpf != "?" && xbpf != "?" && got_bpf <= cbpf),
		p99 == "?" ? "?" : mark(p99 <= 50000)
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "  issue 3", "", "0", "",
		"", "<= 0.15", "", "<= 16", "<= 1000", ""
	printf "%-19s %15s %7s %7s %8s %8s %7s %6s %7s %9s\n", "  edrdiag", "",
		mark(got_drops == "0"), "", "", mark(got_100k >= 0 && got_100k <= 0.15), "",
		mark(got_rss <= 16), mark(got_bpf != "?" && got_bpf <= 1000), ""
	printf "\nrun-sensor latency run (%d execs at the same rate): p99 %s us, max %s us; " \
		"first exec after 10 s of quiet: %s us (target <= 5000 us: %s)\n", q[3], q[2], q[4], q[1],
		q[1] == "?" ? "?" : mark(q[1] <= 5000)
	printf "CPU s storm: run time of all its threads (/proc/PID/task/*/schedstat) from the storm start to the end of the 1 s " \
		"drain; per s: of that wall time. life CPU s and RSS from %s; MB = 1024 KiB. ", src
	if (x ~ /\*/)
		printf "* execsnoop reported no lost events: its drops are N - captured. "
	printf "Script took %.1f s.\n", secs / 1000
}'
