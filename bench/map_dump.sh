#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Dump a pinned hash map of N entries (default 1000000; u32 key, 64-byte value) with
# `edrdiag map-dump` and with `bpftool map dump`, JSON against JSON and plain against plain,
# each writing a file, interleaved in one run; print the median wall time and peak RSS side
# by side, check that the outputs agree, and mark the targets of issue 4 (JSON dump at most
# 1/10 of bpftool's time, RSS <= 16 MB). The map is removed on every exit.
# Usage: bench/map_dump.sh [N [RUNS]]   (as root, after scripts/setup.sh; RUNS default 3)
# MAP_DUMP_BTF=1 gives the map BTF, so that both tools also render each value ("formatted").
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
n=${1:-1000000}
runs=${2:-3}
edrdiag=${EDRDIAG:-build/edrdiag}
mkmaps=build/tests/tools/mkmaps
timer=/usr/bin/time

positive "$n" "bench/map_dump.sh [N [RUNS]]   (positive numbers)"
positive "$runs" "bench/map_dump.sh [N [RUNS]]   (positive numbers)"
need_root "creates and reads a BPF map"
need_built "$edrdiag" "$mkmaps"
need_cmd bpftool
[ -x "$timer" ] || die "$timer missing: GNU time measures the peak RSS (apt-get install time)"
grep -qs ' /sys/fs/bpf bpf ' /proc/mounts || die "no bpffs at /sys/fs/bpf (scripts/setup.sh)"

# State the EXIT trap undoes: the pinned map and the temp dir of outputs.
pindir=/sys/fs/bpf/edrdiag-bench-$$
tmp=

cleanup() {
	local rc=$?

	trap - EXIT INT TERM HUP
	# unpinned and held by no one, the kernel frees the map
	rm -rf "$pindir"
	[ ! -e "$pindir" ] || echo "map_dump.sh: could not remove $pindir" >&2
	[ -z "$tmp" ] || rm -rf "$tmp"
	exit "$rc"
}
on_exit cleanup

tmp=$(mktemp -d "${TMPDIR:-/tmp}/map_dump.XXXXXX")
btf_opt=
[ -z "${MAP_DUMP_BTF:-}" ] || btf_opt=--btf
t0=$(date +%s%N)
"$mkmaps" "$pindir" --big "$n" $btf_opt >"$tmp/mkmaps.out"
id=$(awk '$1 == "big" { print $2 }' "$tmp/mkmaps.out")
[ -n "$id" ] || die "mkmaps printed no map id: $(cat "$tmp/mkmaps.out")"
t1=$(date +%s%N)
count=$("$edrdiag" map-dump --id "$id" --count-only)
[ "$count" -eq "$n" ] || die "map $id has $count entries, not $n"
echo "map_dump.sh: map $id: $n entries (u32 key, 64-byte value${btf_opt:+, with BTF})," \
	"filled in $(((t1 - t0) / 1000000)) ms; $runs runs of each, interleaved" \
	"(load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2

# One run of one tool: wall seconds and peak RSS (KiB) appended to $tmp/NAME.runs. Each run
# writes a new file, so that every run pays for the same page-cache allocation.
measure() {
	local name=$1 out=$tmp/$1.out
	shift

	rm -f "$out"
	# wall time to the nanosecond here (GNU time's %e has 10 ms steps), peak RSS from it
	t_start=$(date +%s%N)
	"$timer" -f '%M' -o "$tmp/$name.time" "$@" >"$out" ||
		die "$name failed: $(tail -n 3 "$tmp/$name.time")"
	t_end=$(date +%s%N)
	echo "$(((t_end - t_start) / 1000000)) $(tail -n 1 "$tmp/$name.time")" |
		awk '{ printf "%.3f %d\n", $1 / 1000, $2 }' >>"$tmp/$name.runs"
}

for ((i = 1; i <= runs; i++)); do
	measure ed_json "$edrdiag" --json map-dump --id "$id"
	measure bt_json bpftool --json map dump id "$id"
	measure ed_plain "$edrdiag" map-dump --id "$id"
	measure bt_plain bpftool map dump id "$id"
done

# The outputs agree: the plain dumps byte for byte; the JSON entries byte for byte, found in
# edrdiag's document after "entries": (bpftool's document is only the entries and "\n").
same_plain=no
cmp -s "$tmp/ed_plain.out" "$tmp/bt_plain.out" && same_plain=yes
# with BTF, bpftool's plain dump is its BTF rendering, edrdiag's stays hex
[ -z "$btf_opt" ] || same_plain="n/a (bpftool prints the BTF rendering)"
same_json=no
off=$(head -c 4096 "$tmp/ed_json.out" | grep -bo '"entries":' | head -n 1 | cut -d: -f1)
bt_size=$(stat -c %s "$tmp/bt_json.out")
if [ -n "$off" ] && cmp -s -n $((bt_size - 1)) -i $((off + 10)):0 "$tmp/ed_json.out" \
	"$tmp/bt_json.out"; then
	same_json=yes
fi

# median of the wall times, max of the RSS, output size
stats() {
	sort -n "$tmp/$1.runs" | awk -v f="$(stat -c %s "$tmp/$1.out")" '
		{ t[NR] = $1; if ($2 > m) m = $2 }
		END {
			med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%s %s %s %.1f %.0f\n", med, t[1], t[NR], m / 1024, f / 1048576
		}'
}

t2=$(date +%s%N)
awk -v runs="$runs" -v ej="$(stats ed_json)" -v bj="$(stats bt_json)" -v ep="$(stats ed_plain)" \
	-v bp="$(stats bt_plain)" -v sj="$same_json" -v sp="$same_plain" \
	-v secs="$(((t2 - t0) / 1000000))" '
function row(label, s) {
	split(s, v, " ")
	printf "%-28s %5d %9.3f %7.3f %7.3f %9.1f %8d\n", label, runs, v[1], v[2], v[3], v[4], v[5]
}
function mark(ok) { return ok ? "met" : "NOT met" }
BEGIN {
	printf "%-28s %5s %9s %7s %7s %9s %8s\n", "command (output to a file)", "runs", "median s",
		"min s", "max s", "peak RSS", "output"
	printf "%-28s %5s %9s %7s %7s %9s %8s\n", "", "", "", "", "", "MB", "MB"
	row("edrdiag map-dump --json", ej)
	row("bpftool --json map dump", bj)
	row("edrdiag map-dump", ep)
	row("bpftool map dump", bp)
	split(ej, e, " "); split(bj, b, " "); split(ep, f, " "); split(bp, c, " ")
	rj = e[1] / b[1]; rp = f[1] / c[1]
	printf "\nratio edrdiag/bpftool (median): JSON %.3f (1/%.1f), plain %.3f (1/%.1f)\n",
		rj, 1 / rj, rp, 1 / rp
	printf "target JSON <= 0.100 of bpftool: %s; ", mark(rj <= 0.1)
	printf "peak RSS <= 16 MB: %s (JSON %.1f MB, plain %.1f MB)\n",
		mark(e[4] <= 16 && f[4] <= 16), e[4], f[4]
	printf "outputs agree with bpftool: JSON entries %s, plain %s\n", sj, sp
	printf "MB = 1048576 bytes; peak RSS from GNU time (%%M). Script took %.1f s.\n",
		secs / 1000
}'
