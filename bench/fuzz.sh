#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Build the libFuzzer targets of tests/fuzz/ (clang, ASan + UBSan, -DEDRDIAG_FUZZ=ON) in
# BUILDDIR (default build-fuzz) and run each TARGET (default: all; "kconfig" or
# "fuzz_kconfig") for SECONDS (-t, default 60) or RUNS executions (-n), on a temporary copy
# of its seeds in tests/fuzz/corpus/NAME/, with tests/fuzz/dict/NAME.dict when there is
# one. A crash, a leak, undefined behaviour, an input slower than 5 s or a run past 2 GiB
# is a failure; libFuzzer keeps the input under BUILDDIR/artifacts/fuzz_NAME/ and its log
# is BUILDDIR/logs/fuzz_NAME.log. Prints one TAP line per target, then a summary line:
#   ok N fuzz_NAME: EXECS execs in SECS s (EXECS/S/s), cov EDGES, corpus INPUTS
#   not ok N fuzz_NAME: crash|leak|ub|timeout|oom|assert|... -- artifact PATH
#   fuzz: N targets, N ok, N failed
# Exits 1 when a target failed, 2 on a usage error. The seeds in the repository are only read.
# Usage: bench/fuzz.sh [-t SECONDS | -n RUNS] [-B BUILDDIR] [TARGET...]
set -euo pipefail

caller=$PWD
cd "$(dirname "$0")/.."
usage="usage: bench/fuzz.sh [-t SECONDS | -n RUNS] [-B BUILDDIR] [TARGET...]"
secs=
runs=
builddir=build-fuzz

die() {
	echo "fuzz.sh: $*" >&2
	exit 2
}

# A positive decimal number, or a usage error naming the option.
number() {
	case "$2" in
	'' | *[!0-9]* | 0*) die "$1 '$2': expected a positive number ($usage)" ;;
	esac
}

while getopts ':t:n:B:' opt; do
	case "$opt" in
	t) number -t "$OPTARG" && secs=$OPTARG ;;
	n) number -n "$OPTARG" && runs=$OPTARG ;;
	B)
		case "$OPTARG" in
		'') die "-B: empty build directory ($usage)" ;;
		/*) builddir=$OPTARG ;;
		*) builddir=$caller/$OPTARG ;; # as the caller named it, not from the repo
		esac
		;;
	:) die "-$OPTARG needs a value ($usage)" ;;
	*) die "unknown option -$OPTARG ($usage)" ;;
	esac
done
shift $((OPTIND - 1))
[ -z "$secs" ] || [ -z "$runs" ] || die "-t and -n exclude each other ($usage)"
[ -n "$secs$runs" ] || secs=60

# Every target has tests/fuzz/fuzz_NAME.c (tests/fuzz/CMakeLists.txt builds the same list).
all=()
for f in tests/fuzz/fuzz_*.c; do
	f=${f##*/fuzz_}
	all+=("${f%.c}")
done
targets=()
for t in "$@"; do
	t=${t#fuzz_}
	[ -f "tests/fuzz/fuzz_$t.c" ] || die "unknown target '$t' (targets: ${all[*]})"
	targets+=("$t")
done
[ "${#targets[@]}" -gt 0 ] || targets=("${all[@]}")
command -v clang >/dev/null || die "clang missing: libFuzzer needs it (apt-get install clang)"

# Longest input per target: a little above its real files, so that runs stay fast.
max_len() {
	case "$1" in
	release | options) echo 256 ;;
	redact) echo 512 ;;
	procstat_stat | trace_cpu_stats | fdinfo) echo 1024 ;;
	osrelease | procstat_status | report_md) echo 2048 ;;
	mounts | kconfig) echo 4096 ;;
	kconfig_gz | tp_format) echo 8192 ;;
	*) echo 16384 ;;
	esac
}

tmp=$(mktemp -d /tmp/bench_fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$builddir/logs"

if ! { CC=clang cmake -S . -B "$builddir" -DEDRDIAG_FUZZ=ON -DEDRDIAG_WERROR=ON \
	-DEDRDIAG_TESTS=OFF &&
	cmake --build "$builddir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"; } \
	>"$builddir/logs/build.log" 2>&1; then
	echo "Bail out! build failed, see $builddir/logs/build.log"
	grep -m 10 -E 'error|Error' "$builddir/logs/build.log" | sed 's/^/# /'
	exit 1
fi

echo "1..${#targets[@]}"
n=0
ok=0
failed=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin=$builddir/tests/fuzz/fuzz_$t
	log=$builddir/logs/fuzz_$t.log
	art=$builddir/artifacts/fuzz_$t/
	corpus=$tmp/corpus/$t
	mkdir -p "$art" "$corpus"
	[ ! -d "tests/fuzz/corpus/$t" ] || cp -R "tests/fuzz/corpus/$t/." "$corpus/"
	args=(-timeout=5 -rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1
		-artifact_prefix="$art")
	[ ! -f "tests/fuzz/dict/$t.dict" ] || args+=(-dict="tests/fuzz/dict/$t.dict")
	if [ -n "$runs" ]; then
		args+=(-runs="$runs")
	else
		args+=(-max_total_time="$secs")
	fi
	rc=0
	"$bin" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?

	# "Done 10000000 runs in 412 second(s)"; "#10000000 DONE cov: 312 ft: 1480 corp: 95/..."
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
	if [ "$rc" -eq 0 ] && [ -n "$done_line" ]; then
		execs=$(awk '{ print $2 }' <<<"$done_line")
		s=$(awk '{ print $5 }' <<<"$done_line")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{ print $2 }')
		corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -n 1 | awk '{ print $2 }')
		rate=$(awk -v e="$execs" -v s="$s" 'BEGIN { printf "%d", (s > 0 ? e / s : e) }')
		echo "ok $n fuzz_$t: $execs execs in $s s ($rate/s), cov ${cov:-0}, corpus ${corp:-0}"
		ok=$((ok + 1))
		continue
	fi
	if grep -q 'ERROR: LeakSanitizer' "$log"; then
		kind=leak
	elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then
		kind=timeout
	elif grep -qE 'ERROR: libFuzzer: out-of-memory|ERROR: libFuzzer: malloc' "$log"; then
		kind=oom
	elif grep -q 'FUZZ_ASSERT' "$log"; then
		kind=assert
	elif grep -q 'runtime error:' "$log"; then
		kind=ub
	elif grep -qE 'ERROR: AddressSanitizer: [a-z-]+' "$log"; then
		kind="crash ($(grep -m 1 -oE 'ERROR: AddressSanitizer: [a-z-]+' "$log" | cut -d' ' -f3))"
	elif grep -q 'deadly signal' "$log"; then
		kind=crash
	else
		kind="exit $rc"
	fi
	artifact=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -n 1)
	echo "not ok $n fuzz_$t: $kind -- artifact ${artifact:-none}"
	echo "# log: $log"
	# the report from its first line: the sanitizer's, libFuzzer's or the target's own
	awk '/==[0-9]+==ERROR|runtime error:|FUZZ_ASSERT|ERROR: libFuzzer/ { on = 1 }
		on && shown < 12 { print "# " $0; shown++ }' "$log"
	failed=$((failed + 1))
done
echo "fuzz: $n targets, $ok ok, $failed failed"
[ "$failed" -eq 0 ]
