#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Time `edrdiag check-kernel --json` against `bpftool feature probe` in the same run and
# print the ratio (target: edrdiag at most 1/5 of bpftool's time).
# Usage: bench/check_kernel.sh [RUNS]   (default 20; run as root so both probe bpf())
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-20}
edrdiag=${EDRDIAG:-build/edrdiag}

[ -x "$edrdiag" ] || { echo "check_kernel.sh: build first (scripts/setup.sh)" >&2; exit 2; }
command -v bpftool >/dev/null || { echo "check_kernel.sh: bpftool not installed" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || echo "check_kernel.sh: warning: not root, both tools probe less" >&2

now() { date +%s%N; }

# one warm-up each (page cache, dynamic loader), then interleaved runs
"$edrdiag" check-kernel --json >/dev/null || true
bpftool feature probe >/dev/null 2>&1 || true
e_total=0 b_total=0 e_min='' b_min=''
for _ in $(seq "$runs"); do
	t0=$(now)
	"$edrdiag" check-kernel --json >/dev/null || true
	t1=$(now)
	bpftool feature probe >/dev/null 2>&1 || true
	t2=$(now)
	e=$((t1 - t0)) b=$((t2 - t1))
	e_total=$((e_total + e)) b_total=$((b_total + b))
	[ -z "$e_min" ] || [ "$e" -lt "$e_min" ] && e_min=$e
	[ -z "$b_min" ] || [ "$b" -lt "$b_min" ] && b_min=$b
done

awk -v r="$runs" -v et="$e_total" -v bt="$b_total" -v em="$e_min" -v bm="$b_min" 'BEGIN {
	printf "%-34s %6s %10s %10s\n", "command", "runs", "mean ms", "min ms"
	printf "%-34s %6d %10.2f %10.2f\n", "edrdiag check-kernel --json", r, et / r / 1e6, em / 1e6
	printf "%-34s %6d %10.2f %10.2f\n", "bpftool feature probe", r, bt / r / 1e6, bm / 1e6
	ratio = et / bt
	printf "ratio edrdiag/bpftool (mean): %.3f (1/%.0f); target <= 0.200: %s\n", ratio,
		1 / ratio, ratio <= 0.2 ? "met" : "NOT met"
}'
