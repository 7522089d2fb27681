#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# stats with many programs loaded: N trivial programs (default 500) held by
# build/tests/tools/loadprogs, then `edrdiag stats --interval 1 --count 1 --json` and
# `bpftool -j prog show` timed in turn, RUNS times each (default 5), interleaved. Prints the
# median wall time (for stats also minus its 1 s window: the cost of reading), user+sys CPU
# and peak RSS of each, side by side.
# Usage: bench/stats.sh [N [RUNS]]   (as root, after scripts/setup.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
n=${1:-500}
runs=${2:-5}
edrdiag=${EDRDIAG:-build/edrdiag}
loadprogs=$(dirname "$edrdiag")/tests/tools/loadprogs # built beside the binary
window=1

positive "$n" "bench/stats.sh [N [RUNS]]   (N programs, RUNS runs each)"
positive "$runs" "bench/stats.sh [N [RUNS]]   (N programs, RUNS runs each)"
need_root "loads BPF programs"
need_built "$edrdiag" "$loadprogs"
need_cmd bpftool jq
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) missing: it measures CPU and peak RSS"
stats_knob=/proc/sys/kernel/bpf_stats_enabled
[ -r "$stats_knob" ] || die "$stats_knob missing: this kernel has no BPF run-time statistics"

# State the EXIT trap undoes: the programs' holder, the stats knob as found, the temp dir.
# stats restores the knob itself; this is for a run cut short while stats is in its window.
stats_saved=$(cat "$stats_knob")
holder=
tmp=

cleanup() {
	local rc=$?

	trap - EXIT INT TERM HUP
	if [ -n "$holder" ]; then
		kill -TERM "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
	fi
	[ "$(cat "$stats_knob")" = "$stats_saved" ] || echo "$stats_saved" >"$stats_knob" ||
		echo "stats.sh: could not restore $stats_knob to $stats_saved" >&2
	[ -z "$tmp" ] || rm -rf "$tmp"
	exit "$rc"
}
on_exit cleanup

tmp=$(mktemp -d /tmp/bench_stats.XXXXXX)
"$loadprogs" "$n" >"$tmp/loadprogs.out" 2>&1 &
holder=$!
for ((i = 0; i < 600; i++)); do
	grep -qs "^ready" "$tmp/loadprogs.out" && break
	kill -0 "$holder" 2>/dev/null || die "loadprogs exited: $(cat "$tmp/loadprogs.out")"
	sleep 0.05
done
grep -q '^ready' "$tmp/loadprogs.out" || die "loadprogs not ready after 30 s"
total=$(bpftool -j prog show | jq length)
echo "stats.sh: $n programs loaded by loadprogs (pid $holder), $total on the host;" \
	"$runs runs of each tool, interleaved (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2

# One run of a command: "wall_s user_s sys_s maxrss_kb" appended to $tmp/NAME.runs, and
# the number of programs it listed checked against the host's. Wall and CPU come from bash's
# time (rusage of the child, to the millisecond; GNU time prints CPU in 10 ms steps), peak
# RSS from GNU time, which runs inside it: its own start-up (about 1 ms) is in the figures.
measure() {
	local name=$1 count rc=0 TIMEFORMAT='%3R %3U %3S'
	shift

	{ time /usr/bin/time -f '%M' -o "$tmp/$name.rss" "$@" >"$tmp/$name.out" \
		2>"$tmp/$name.err"; } 2>"$tmp/$name.time" || rc=$?
	[ "$rc" -eq 0 ] || die "$name exited $rc: $(head -c 500 "$tmp/$name.err")"
	case "$name" in
	edrdiag) count=$(jq '.programs | length' "$tmp/$name.out") ;;
	bpftool) count=$(jq length "$tmp/$name.out") ;;
	esac
	[ "$count" -ge "$n" ] || die "$name listed $count programs, fewer than the $n loaded"
	echo "$(cat "$tmp/$name.time") $(tail -n 1 "$tmp/$name.rss")" >>"$tmp/$name.runs"
}

for ((r = 0; r < runs; r++)); do
	measure edrdiag "$edrdiag" --json stats --interval "$window" --count 1
	measure bpftool bpftool -j prog show
done

mode=$(jq -r .stats_mode "$tmp/edrdiag.out")
# the median of column $2 of file $1
median() {
	sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
row() {
	local f=$tmp/$2.runs wall cpu rss
	wall=$(median "$f" 1)
	cpu=$(awk '{ print $2 + $3 }' "$f" | sort -g | awk '{ v[NR] = $1 } END {
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	rss=$(median "$f" 4)
	awk -v l="$1" -v w="$wall" -v win="$3" -v c="$cpu" -v m="$rss" 'BEGIN {
		printf "%-44s %8.3f %12s %10.3f %9.1f\n", l, w,
			win == "" ? "-" : sprintf("%.3f", w - win), c, m / 1024 }'
}
printf "%-44s %8s %12s %10s %9s\n" "tool (median of $runs)" "wall s" "minus window" \
	"CPU s" "peak RSS"
printf "%-44s %8s %12s %10s %9s\n" "" "" "" "user+sys" "MB"
row "edrdiag stats --interval $window --count 1 --json" edrdiag "$window"
row "bpftool -j prog show" bpftool ""
printf "\n%d programs on the host; stats' run-time statistics: %s. Wall and CPU from bash's\n" \
	"$total" "$mode"
printf "time, peak RSS from GNU time (whose ~1 ms is included); MB = 1024 KiB. stats also reads\n"
printf "every map, link and process's fds (holders) at the end of its window; bpftool prog show\n"
printf "reads the programs only.\n"
