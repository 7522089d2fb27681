#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Build and run every test, in four stages:
#   hygiene    the tree is clang-formatted, scripts are shellcheck-clean, cppcheck finds
#              nothing (one test each)
#   plain      gcc build, warnings are errors: C unit tests (CTest) and the bats suites
#   sanitize   clang build with AddressSanitizer, LeakSanitizer and UBSan: the same unit
#              and bats suites again (live BPF tests included); any sanitizer report fails
#   fuzz       every libFuzzer target for FUZZ_SECONDS (default 10) on its seed corpus
# Ends with one line "N passed, N failed, N skipped" over all stages; exits non-zero when
# anything failed. Options: --quick (the plain stage only), --no-fuzz, --no-sanitize.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
quick=0 fuzz=1 sanitize=1
for arg in "$@"; do
	case "$arg" in
	--quick) quick=1 ;;
	--no-fuzz) fuzz=0 ;;
	--no-sanitize) sanitize=0 ;;
	-h | --help)
		sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "test.sh: unknown option '$arg'" >&2
		exit 2
		;;
	esac
done

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
passed=0 failed=0 skipped=0
summary=()

# note STAGE PASS FAIL SKIP: add a stage's counts to the totals
note() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	skipped=$((skipped + $4))
	summary+=("$1: $2 passed, $3 failed, $4 skipped")
}

# check NAME COMMAND...: one hygiene test, its output shown only when it fails
check() {
	local name=$1
	shift
	if "$@" >"$logdir/check.log" 2>&1; then
		echo "ok - $name"
		note "$name" 1 0 0
	else
		echo "not ok - $name"
		sed 's/^/#   /' "$logdir/check.log" | head -40
		note "$name" 0 1 0
	fi
}

# nonempty ARRAY COMMAND...: run COMMAND unless the file list ARRAY is empty, which must
# fail (clang-format given no file reads stdin, and passes)
nonempty() {
	local -n list=$1
	shift
	[ "${#list[@]}" -gt 0 ] || {
		echo "no files found: run from the top of the source tree"
		return 1
	}
	"$@"
}

# build DIR LABEL CMAKE-ARGS...: configure and build; a failure counts as one failed test
build() {
	local dir=$1 label=$2
	shift 2
	if cmake -S . -B "$dir" -DEDRDIAG_WERROR=ON "$@" >"$logdir/build.log" 2>&1 &&
		cmake --build "$dir" -j"$(nproc)" >>"$logdir/build.log" 2>&1; then
		return 0
	fi
	cat "$logdir/build.log"
	echo "not ok - $label build failed"
	note "$label build" 0 1 0
	return 1
}

# unit DIR LABEL: CTest in DIR; each unit binary prints TAP, so its cases are counted
unit() {
	local dir=$1 label=$2 rc p f
	echo "== $label: unit tests (ctest)"
	ctest --test-dir "$dir" --output-on-failure -V >"$logdir/unit.log" 2>&1
	rc=$?
	grep -E '^[0-9]+: (not )?ok [0-9]+ ' "$logdir/unit.log" | sed -E 's/^[0-9]+: //'
	grep -E '^[0-9]+: #   ' "$logdir/unit.log" | sed -E 's/^[0-9]+: //'
	p=$(grep -cE '^[0-9]+: ok [0-9]+ ' "$logdir/unit.log")
	f=$(grep -cE '^[0-9]+: not ok [0-9]+ ' "$logdir/unit.log")
	# a binary that crashed prints no "not ok": count it from ctest's own verdict
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		tail -20 "$logdir/unit.log"
		f=1
	fi
	note "$label unit" "$p" "$f" 0
}

# cli LABEL: the bats suites against $EDRDIAG (exported by the caller)
cli() {
	local label=$1 p s f plan missing
	echo "== $label: cli tests (bats, $EDRDIAG)"
	bats --tap tests/cli/ | tee "$logdir/bats.log"
	p=$(grep -E '^ok ' "$logdir/bats.log" | grep -vc ' # skip')
	s=$(grep -cE '^ok .* # skip' "$logdir/bats.log")
	f=$(grep -cE '^not ok ' "$logdir/bats.log")
	plan=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$logdir/bats.log" | head -1)
	# tests that never reported (bats itself died) are failures too
	missing=$((${plan:-0} - p - s - f))
	[ "$missing" -gt 0 ] && f=$((f + missing))
	note "$label cli" "$p" "$f" "$s"
}

if [ "$quick" -eq 0 ]; then
	echo "== hygiene"
	# the sources, not git's index: a tarball or a fresh machine without git has no index
	mapfile -t c_files < <(find src cmd bpf tests -name '*.[ch]' | sort)
	mapfile -t sh_files < <(find scripts bench tests .ci \( -name '*.sh' -o -name '*.bash' \
		-o -path .ci/run \) -type f | sort)
	check "clang-format: the tree is formatted (.clang-format)" \
		nonempty c_files clang-format --dry-run --Werror "${c_files[@]}"
	check "shellcheck: scripts" nonempty sh_files shellcheck -x "${sh_files[@]}"
	check "shellcheck: bats suites" shellcheck -x -s bash -e SC2030,SC2031,SC2034,SC2154 \
		tests/cli/*.bats
	# warnings that point at bugs (not style), every file, unknown macros not guessed at
	check "cppcheck: src, cmd, tests" cppcheck --quiet --error-exitcode=1 \
		--enable=warning,portability,performance --inline-suppr \
		--suppress=missingIncludeSystem --library=scripts/cppcheck.cfg -D__x86_64__ \
		-I src src cmd tests/unit tests/tools tests/fuzz
fi

if build build plain; then
	export EDRDIAG=$PWD/build/edrdiag
	unit build plain
	cli plain
fi

if [ "$quick" -eq 0 ] && [ "$sanitize" -eq 1 ] &&
	build build-asan sanitize -DCMAKE_C_COMPILER=clang -DEDRDIAG_SANITIZE=ON; then
	# Reports go to files, one per process, so that none is lost in a test that looks
	# only at the exit status; the directory is world-writable for the unprivileged runs.
	sanlog=$(mktemp -d /tmp/edrdiag-san.XXXXXX)
	chmod 1777 "$sanlog"
	export ASAN_OPTIONS="log_path=$sanlog/asan:detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
	export UBSAN_OPTIONS="log_path=$sanlog/ubsan:print_stacktrace=1:halt_on_error=1"
	export EDRDIAG=$PWD/build-asan/edrdiag EDRDIAG_SANITIZED=1
	unit build-asan sanitize
	cli sanitize
	unset ASAN_OPTIONS UBSAN_OPTIONS EDRDIAG_SANITIZED
	reports=$(find "$sanlog" -type f | wc -l)
	if [ "$reports" -eq 0 ]; then
		echo "ok - sanitize: no sanitizer report"
		note "sanitize reports" 1 0 0
	else
		echo "not ok - sanitize: $reports sanitizer report(s)"
		find "$sanlog" -type f -exec sh -c 'echo "# $1:"; sed "s/^/#   /" "$1" | head -60' sh {} \;
		note "sanitize reports" 0 1 0
	fi
	rm -rf "$sanlog"
fi

if [ "$quick" -eq 0 ] && [ "$fuzz" -eq 1 ]; then
	echo "== fuzz (${FUZZ_SECONDS:-10} s a target)"
	bench/fuzz.sh -t "${FUZZ_SECONDS:-10}" | tee "$logdir/fuzz.log"
	p=$(grep -cE '^ok ' "$logdir/fuzz.log")
	f=$(grep -cE '^not ok ' "$logdir/fuzz.log")
	# fuzz.sh that died before its targets ran reports nothing: that is a failure
	grep -qE '^fuzz: [0-9]+ targets' "$logdir/fuzz.log" || f=$((f + 1))
	note fuzz "$p" "$f" 0
fi

for line in "${summary[@]}"; do
	echo "$line"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
