#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# check-object against veristat (issue 16) on the same objects: the project's corpus of BPF
# programs (tests/bpfcorpus, built by the project's build). Per program, the verdicts of both
# tools side by side; the share of failures each explains (a catalogue cause for check-object;
# veristat prints a verdict and counts, never a cause); and the time of each over the whole
# corpus, one process per object for both, RUNS rounds interleaved, median wall and CPU.
# Usage: bench/check_object.sh [RUNS]   (as root, after scripts/setup.sh; RUNS default 5)
#
# veristat comes from Debian's linux-source-6.1 (installed if its tarball is missing): only
# tools/testing/selftests/bpf/veristat.c and tools/include are unpacked, into
# ${XDG_CACHE_HOME:-/var/cache}/edrdiag-bench, and built against the system's libbpf-dev
# (1.1.2: the 6.1 veristat needs nothing newer). Not run in CI.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
runs=${1:-5}
edrdiag=${EDRDIAG:-build/edrdiag}
corpus=build/tests/bpfcorpus
cache=${XDG_CACHE_HOME:-/var/cache}/edrdiag-bench
veristat=$cache/veristat
timer=/usr/bin/time

positive "$runs" "bench/check_object.sh [RUNS]   (a positive number)"
need_root "loads BPF programs"
need_built "$edrdiag"
need_cmd jq cc
[ -x "$timer" ] || die "$timer missing (apt-get install time)"
mapfile -t objs < <(find "$corpus" -maxdepth 1 -name '*.bpf.o' | sort)
[ "${#objs[@]}" -gt 0 ] || die "no objects in $corpus: build first (scripts/setup.sh)"

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
on_exit cleanup

build_veristat() {
	local tar top
	tar=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' | sort | tail -1)
	if [ -z "$tar" ]; then
		apt-get -o DPkg::Lock::Timeout=900 install -y -q linux-source-6.1 >&2 ||
			die "cannot install linux-source-6.1"
		tar=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' | sort | tail -1)
	fi
	[ -n "$tar" ] || die "no /usr/src/linux-source-*.tar.xz"
	top=$(basename "$tar" .tar.xz)
	mkdir -p "$cache"
	tar -C "$cache" -xJf "$tar" --wildcards "$top/tools/testing/selftests/bpf/veristat.c" \
		"$top/tools/include/*"
	cc -O2 -I"$cache/$top/tools/include" -o "$veristat" \
		"$cache/$top/tools/testing/selftests/bpf/veristat.c" -lbpf -lelf -lz ||
		die "veristat did not build against this libbpf"
	echo "$me: built $veristat from $tar" >&2
}
[ -x "$veristat" ] || build_veristat

# Verdicts. veristat: one CSV row per program it could open; none when the object does not
# open. check-object: one entry per program with verdict, cause and stage.
: >"$tmp/table"
for o in "${objs[@]}"; do
	b=${o##*/}
	"$veristat" -o csv "$o" >"$tmp/v.csv" 2>"$tmp/v.err" || true
	"$edrdiag" check-object --json "$o" >"$tmp/c.json" 2>/dev/null || true
	jq -r --arg b "$b" '.programs[]? | [$b, .name, .verdict, (.cause // "-"),
		(.stage // "-")] | @tsv' "$tmp/c.json" >"$tmp/c.tsv"
	if [ ! -s "$tmp/c.tsv" ]; then
		# refused as a whole (malformed, no programs): one row for the object
		printf '%s\t*\tfail\t%s\t%s\n' "$b" \
			"$(jq -r '[.findings[]? | select(.cause?) | .cause][0] // "-"' "$tmp/c.json")" \
			open >"$tmp/c.tsv"
	fi
	while IFS=$'\t' read -r _ prog cv cause stage; do
		vv=$(awk -F, -v p="$prog" 'NR > 1 && ($2 == p || p == "*") { print $3; exit }' \
			"$tmp/v.csv")
		[ -n "$vv" ] || vv="not-opened"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$prog" "$vv" "$cv" "$cause" "$stage" \
			>>"$tmp/table"
	done <"$tmp/c.tsv"
done

printf '%-32s %-22s %-11s %-6s %-32s %s\n' object program veristat check cause stage
while IFS=$'\t' read -r b prog vv cv cause stage; do
	printf '%-32s %-22s %-11s %-6s %-32s %s\n' "$b" "$prog" "$vv" "$cv" "$cause" "$stage"
done <"$tmp/table"

# Agreement: veristat judges open and load only. A program check-object fails at the attach
# stage (it loads, but cannot attach here) is not a disagreement: veristat does not judge it.
awk -F'\t' '
	{ n++ }
	$4 == "fail" { cfail++; if ($5 != "-" && $5 != "unrecognised") explained++ }
	$4 == "fail" && $6 == "attach" && $3 == "success" { attach++; next }
	($3 == "success" && $4 == "pass") || ($3 != "success" && $4 == "fail") { agree++; next }
	{ disagree++; list = list "  " $1 " " $2 ": veristat " $3 ", check-object " $4 "\n" }
	END {
		printf "\nprograms %d: verdicts agree %d, attach-stage failures veristat does not judge %d, disagree %d\n",
			n, agree, attach, disagree
		if (disagree) printf "%s", list
		printf "failures explained: check-object %d of %d (%.0f%%), veristat 0 of %d (it gives no cause)\n",
			explained, cfail, cfail ? 100 * explained / cfail : 0, cfail
	}' "$tmp/table"

# Time: each tool once per object, over the whole corpus; RUNS rounds, A/B interleaved.
round() {
	local o
	for o in "${objs[@]}"; do
		"$@" "$o" >/dev/null 2>&1 || true
	done
}
for ((i = 0; i < runs; i++)); do
	"$timer" -f '%e %U %S' -o "$tmp/t" bash -c "$(declare -p objs); $(declare -f round);
		round \"\$@\"" _ "$veristat"
	awk '{ print $1, $2 + $3 }' "$tmp/t" >>"$tmp/veristat.t"
	"$timer" -f '%e %U %S' -o "$tmp/t" bash -c "$(declare -p objs); $(declare -f round);
		round \"\$@\"" _ "$edrdiag" check-object --json
	awk '{ print $1, $2 + $3 }' "$tmp/t" >>"$tmp/check.t"
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
vw=$(median "$tmp/veristat.t" 1) vc=$(median "$tmp/veristat.t" 2)
cw=$(median "$tmp/check.t" 1) cc=$(median "$tmp/check.t" 2)
printf '\n%d objects, %d rounds, median over the corpus:\n' "${#objs[@]}" "$runs"
printf '  veristat      wall %6.2f s  CPU %6.2f s\n' "$vw" "$vc"
printf '  check-object  wall %6.2f s  CPU %6.2f s\n' "$cw" "$cc"
awk -v cw="$cw" -v vw="$vw" -v cc="$cc" -v vc="$vc" 'BEGIN {
	printf "  check-object / veristat: wall %.2fx, CPU %.2fx (target <= 1.2x: %s)\n",
		cw / vw, cc / vc, cw / vw <= 1.2 ? "met" : "NOT met" }'

# Per object (wall, median of RUNS, interleaved): the corpus's total is dominated by the
# too-complex program, where both tools spend 0.25 s in the verifier; the rest shows the
# per-object overhead (start-up, the child that opens the object first, the explanation).
usec() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; echo $((${EPOCHREALTIME/./} - ${s/./})); }
: >"$tmp/per"
for o in "${objs[@]}"; do
	: >"$tmp/pv"
	: >"$tmp/pc"
	for ((i = 0; i < runs; i++)); do
		usec "$veristat" "$o" >>"$tmp/pv"
		usec "$edrdiag" check-object --json "$o" >>"$tmp/pc"
	done
	printf '%s %s %s\n' "${o##*/}" "$(median "$tmp/pv" 1)" "$(median "$tmp/pc" 1)" >>"$tmp/per"
done
printf '\nper object, wall median in ms (the 5 with the largest difference):\n'
awk '{ printf "  %-32s veristat %7.1f  check-object %7.1f  %+6.1f\n", $1, $2 / 1000, $3 / 1000,
	($3 - $2) / 1000 }' "$tmp/per" | sort -k6 -g -r | head -5
sort -k2 -n "$tmp/per" | awk '{ v[NR] = $2; c[NR] = $3; n[NR] = $1; tv += $2; tc += $3 }
	END { printf "  sum of medians: veristat %.2f s, check-object %.2f s (%.2fx); without %s: %.3f s, %.3f s (%.2fx)\n",
		tv / 1e6, tc / 1e6, tc / tv, n[NR], (tv - v[NR]) / 1e6, (tc - c[NR]) / 1e6,
		(tc - c[NR]) / (tv - v[NR]) }'
