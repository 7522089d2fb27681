#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Build (warnings are errors) and run every test: the C unit tests through CTest and the
# bats suites in tests/cli/. Ends with one line "N passed, N failed, N skipped" counting
# unit cases and bats tests together; exits non-zero when anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

cmake -S . -B build -DEDRDIAG_WERROR=ON >/dev/null || exit 1
cmake --build build -j"$(nproc)" >"$logdir/build.log" 2>&1 || {
	cat "$logdir/build.log"
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
}

echo "== unit tests (ctest)"
ctest --test-dir build --output-on-failure -V >"$logdir/unit.log" 2>&1
unit_rc=$?
# each unit binary prints TAP: count its cases, not just the binaries
grep -E '^[0-9]+: (not )?ok [0-9]+ ' "$logdir/unit.log" | sed -E 's/^[0-9]+: //'
grep -E '^[0-9]+: #   ' "$logdir/unit.log" | sed -E 's/^[0-9]+: //'
u_pass=$(grep -cE '^[0-9]+: ok [0-9]+ ' "$logdir/unit.log")
u_fail=$(grep -cE '^[0-9]+: not ok [0-9]+ ' "$logdir/unit.log")
# a binary that crashed prints no "not ok": count it from ctest's own verdict
if [ "$unit_rc" -ne 0 ] && [ "$u_fail" -eq 0 ]; then
	tail -20 "$logdir/unit.log"
	u_fail=1
fi

echo "== cli tests (bats)"
bats --tap tests/cli/ | tee "$logdir/bats.log"
b_pass=$(grep -E '^ok ' "$logdir/bats.log" | grep -vc ' # skip')
b_skip=$(grep -cE '^ok .* # skip' "$logdir/bats.log")
b_fail=$(grep -cE '^not ok ' "$logdir/bats.log")
b_plan=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$logdir/bats.log" | head -1)
# tests that never reported (bats itself died) are failures too
b_missing=$(( ${b_plan:-0} - b_pass - b_skip - b_fail ))
[ "$b_missing" -gt 0 ] && b_fail=$((b_fail + b_missing))

passed=$((u_pass + b_pass))
failed=$((u_fail + b_fail))
echo "unit: $u_pass passed, $u_fail failed; cli: $b_pass passed, $b_fail failed, $b_skip skipped"
echo "$passed passed, $failed failed, $b_skip skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
