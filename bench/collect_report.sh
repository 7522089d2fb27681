#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Time `edrdiag collect-report` against `sos report --batch --only-plugins ebpf,kernel`
# (Debian package sosreport) in one run, idle and with a pinned 1M-entry hash map loaded,
# and print wall time and archive size side by side, with issue 5's targets: at most half
# of sos's idle time, and no growth with the map (both with the shortest agent window,
# 0.25 s: the collection itself), and issue 12's: the default 3 s agent window runs
# alongside the collection, not after it. sos missing: its rows say so and the bench goes on. The map and every archive are removed on exit.
# Usage: bench/collect_report.sh [RUNS]   (as root, after scripts/setup.sh; RUNS default 3)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs=${1:-3}
edrdiag=${EDRDIAG:-build/edrdiag}
mkmaps=build/tests/tools/mkmaps
entries=1000000

positive "$runs" "bench/collect_report.sh [RUNS]   (RUNS a positive number)"
need_root "loads a BPF map; sos needs root"
need_built "$edrdiag" "$mkmaps"
grep -qs ' /sys/fs/bpf bpf ' /proc/mounts || die "no bpffs at /sys/fs/bpf (scripts/setup.sh)"
sos=$(command -v sos || true)
[ -n "$sos" ] || echo "collect_report.sh: sos missing (apt-get install sosreport): its rows are skipped" >&2

# State the EXIT trap undoes: the pinned map and the temp dir of archives.
pindir=/sys/fs/bpf/edrdiag-bench-$$
tmp=
cleanup() {
	rm -rf "$pindir" 2>/dev/null || true
	[ -z "$tmp" ] || rm -rf "$tmp"
}
# a Ctrl-C ends the run: the old trap cleaned up and then went on benchmarking
on_exit cleanup
tmp=$(mktemp -d /tmp/edrdiag-bench-report.XXXXXX)

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# median of the numbers on stdin
median() {
	sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }'
}

# run_edrdiag LABEL [OPTION...]: RUNS runs; prints "median_ms bytes sum_ms", sum_ms being
# what the items' own durations (manifest.json) add up to in the last run: one after the
# other, a run would take at least that long
run_edrdiag() {
	local dir i t0 t1 times=() bytes=0 sum=0 label=$1

	shift
	for ((i = 0; i < runs; i++)); do
		dir=$tmp/edrdiag-$label-$i
		mkdir -p "$dir"
		t0=$(now_ms)
		"$edrdiag" collect-report --output "$dir" "$@" >/dev/null
		t1=$(now_ms)
		times+=($((t1 - t0)))
		bytes=$(stat -c %s "$dir"/edrdiag-report-*.tar.gz)
		sum=$(tar -xOzf "$dir"/edrdiag-report-*.tar.gz --wildcards '*/manifest.json' |
			jq '[.items[].duration_s] | add * 1000 | floor')
		rm -rf "$dir"
	done
	echo "$(printf '%s\n' "${times[@]}" | median) $bytes $sum"
}

run_sos() {
	local dir i t0 t1 times=() bytes=0 f

	[ -n "$sos" ] || {
		echo "- -"
		return
	}
	for ((i = 0; i < runs; i++)); do
		dir=$tmp/sos-$1-$i
		mkdir -p "$dir"
		t0=$(now_ms)
		"$sos" report --batch --quiet --only-plugins ebpf,kernel --tmp-dir "$dir" \
			>"$tmp/sos.log" 2>&1 || {
			echo "collect_report.sh: sos failed: $(tail -3 "$tmp/sos.log")" >&2
			echo "- -"
			return
		}
		t1=$(now_ms)
		times+=($((t1 - t0)))
		f=$(find "$dir" -maxdepth 1 -name 'sosreport-*.tar.[gx]z' | head -1)
		bytes=$([ -n "$f" ] && stat -c %s "$f" || echo 0)
		rm -rf "$dir"
	done
	echo "$(printf '%s\n' "${times[@]}" | median) $bytes"
}

# The default run measures the agent and the programs over a 3 s window alongside the rest;
# the shortest window (0.25 s) shows what the collection itself costs.
window=3
echo "collect_report.sh: $runs run(s) each; median wall time"
read -r w_idle_ms w_idle_b w_sum_ms < <(run_edrdiag window --agent-window "$window")
read -r e_idle_ms e_idle_b _ < <(run_edrdiag idle --agent-window 0.25)
read -r s_idle_ms s_idle_b < <(run_sos idle)
"$mkmaps" "$pindir" --big "$entries" >/dev/null
read -r e_big_ms e_big_b _ < <(run_edrdiag big --agent-window 0.25)
read -r s_big_ms s_big_b < <(run_sos big)

printf '\n%-34s %10s %12s\n' "" "time (ms)" "archive (B)"
printf '%-34s %10s %12s\n' "edrdiag, ${window} s agent window, idle" "$w_idle_ms" "$w_idle_b"
printf '%-34s %10s %12s\n' "edrdiag collect-report, idle" "$e_idle_ms" "$e_idle_b"
printf '%-34s %10s %12s\n' "sos report (ebpf,kernel), idle" "$s_idle_ms" "$s_idle_b"
printf '%-34s %10s %12s\n' "edrdiag collect-report, 1M map" "$e_big_ms" "$e_big_b"
printf '%-34s %10s %12s\n' "sos report (ebpf,kernel), 1M map" "$s_big_ms" "$s_big_b"
echo
# alongside, not after: the window run takes the window plus little more
over=$((w_idle_ms - window * 1000))
verdict=$([ "$w_idle_ms" -lt "$w_sum_ms" ] && echo met || echo MISSED)
echo "target: the ${window} s window runs alongside the rest: the items' durations add up to ${w_sum_ms} ms, the run took ${w_idle_ms} ms (${over} ms over the window): $verdict"
if [ "$s_idle_ms" != - ]; then
	verdict=$([ $((e_idle_ms * 2)) -le "$s_idle_ms" ] && echo met || echo MISSED)
	echo "target: idle time <= 1/2 of sos's ($((s_idle_ms / 2)) ms): $verdict"
fi
# "no growth": within 20% (+ 1 KB) of the idle archive; the time mostly follows the host
grow=$((e_big_b - e_idle_b))
verdict=$([ "$grow" -le $((e_idle_b / 5 + 1024)) ] && echo met || echo MISSED)
echo "target: no archive growth with the map (${grow} B): $verdict"
