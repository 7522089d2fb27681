# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Shared set-up for the bats suites: the binary under test, fixtures, and skip rules.
# The variables are for the .bats files that load this, and bats itself sets $output:
# shellcheck disable=SC2034,SC2154

bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
EDRDIAG=${EDRDIAG:-$TOP/build/edrdiag}
# the test tools built beside the binary under test (a sanitizer build has its own)
TOOLS=$(dirname "$EDRDIAG")/tests/tools
FIXTURES=$TOP/tests/fixtures
# real distribution kernel configs (public data; see tests/fixtures/README.md)
DISTRO_CONFIGS=$FIXTURES/kconfig

# English, whatever the caller's locale: the suites compare messages (i18n.bats sets its own)
export LC_ALL=C
unset LANGUAGE LC_MESSAGES EDRDIAG_LANG EDRDIAG_LOCALEDIR

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

# The commands of the one command table, read through `edrdiag help`, one a line; the
# meta-commands "help" and "completion" are the dispatcher's own, not the table's.
help_commands() {
	"$EDRDIAG" help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
			       on && /^  [a-z]/ && $1 != "help" && $1 != "completion" { print $1 }'
}

# Live tests need root and a real bpf(): say why when they cannot run, never pass silently.
require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (uid $(id -u)): live kernel test"
}

# The JSON contract's oracle: every document is checked against its schema in schemas/
# (python3-jsonschema), so that a change of shape without a change of schema fails here.
VALIDATE_JSON=$TOP/tests/tools/validate-json

# validate_json [--lines]: the documents on stdin are each valid against their schema.
validate_json() {
	local out rc=0
	out=$("$VALIDATE_JSON" --quiet "$@" 2>&1) || rc=$?
	case $rc in
	0) ;;
	1) fail "JSON not valid against schemas/:"$'\n'"$out" ;;
	*) fail "validate-json could not run (exit $rc; python3-jsonschema installed?): $out" ;;
	esac
}

# Assert that $output is exactly one JSON document, valid against its schema.
assert_one_json() {
	local n
	n=$(printf '%s' "$output" | jq -n '[inputs] | length') || fail "stdout is not JSON: $output"
	[ "$n" -eq 1 ] || fail "expected one JSON document on stdout, got $n"
	printf '%s' "$output" | validate_json
}

# Assert that FILE (else $output) is a stream of JSON documents, one a line (NDJSON:
# run-sensor's events and summary, stats --count N), each valid against its schema.
assert_json_lines() {
	if [ -n "${1:-}" ]; then
		[ -s "$1" ] || fail "expected NDJSON in $1, got nothing"
		validate_json --lines <"$1"
	else
		[ -n "$output" ] || fail "expected NDJSON on stdout, got nothing"
		printf '%s' "$output" | validate_json --lines
	fi
}

# Assert that $output is one JSON error document (edrdiag(8), JSON contract): the head and
# "error" only, nothing that could pass for a report; with code $1 when given (usage,
# bad_input, privilege, environment), and a message matching the regex $2 when given.
assert_error_doc() {
	assert_one_json
	printf '%s' "$output" | jq -e --arg code "${1:-}" --arg re "${2:-}" '
		(keys - ["command", "edrdiag", "target", "error"] == []) and
		(.error | keys == ["code", "message"]) and (.error.message | length > 0) and
		($code == "" or .error.code == $code) and ($re == "" or (.error.message | test($re)))' \
		>/dev/null || fail "not an error document${1:+ of code $1}${2:+ matching /$2/}: $output"
}

# run_json RC COMMAND [ARGS...]: run edrdiag COMMAND --root $ROOT ARGS --json, expect exit RC
# and exactly one JSON document on stdout.
run_json() {
	local rc=$1

	shift
	run -"$rc" --separate-stderr "$EDRDIAG" "$@" --root "$ROOT" --json
	assert_one_json
}

# One member (detail, remedy, title) of a finding in the JSON on $output; "null" when null.
field_of() {
	printf '%s' "$output" | jq -r --arg id "$1" --arg k "$2" \
		'.results[] | select(.id == $id) | .[$k]'
}

# The status of one finding id in the JSON on $output.
status_of() {
	printf '%s' "$output" | jq -r --arg id "$1" '.results[] | select(.id == $id) | .status'
}

# Run edrdiag without privilege: as it is when not root, else as uid 65534 without
# capabilities. The checkout may sit in a directory that uid 65534 cannot enter: run a
# world-readable copy.
unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then
		grep -qE '^CapEff:[[:space:]]*0+$' /proc/self/status ||
			skip "not root, but with capabilities: cannot test the unprivileged case"
		run --separate-stderr "$EDRDIAG" "$@"
		return
	fi
	command -v setpriv >/dev/null || skip "setpriv(1) not installed"
	local copy
	copy=$(mktemp -d /tmp/edrdiag-unpriv.XXXXXX)
	chmod 755 "$copy"
	install -m 755 "$EDRDIAG" "$copy/edrdiag"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$copy/edrdiag" "$@"
	rm -rf "$copy"
}

# stop_bg: kill (SIGKILL) and reap every process a test put in BG_PIDS, for its teardown: a
# test that failed half-way leaves nothing running into the next one.
stop_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# start_loadprogs ARGS: start tests/tools/loadprogs ARGS in the background (killed by the suite's
# teardown through BG_PIDS); sets LP_PID, LP_IDS (its program ids), LP_OUT (its output) and
# LP_MAP (the lowest id of the maps it holds, if any).
start_loadprogs() {
	local _
	LP_OUT=$BATS_TEST_TMPDIR/loadprogs.$RANDOM
	"$TOOLS/loadprogs" "$@" >"$LP_OUT" 2>&1 &
	LP_PID=$!
	BG_PIDS+=("$LP_PID")
	for _ in $(seq 100); do
		grep -qs '^ready' "$LP_OUT" && break
		kill -0 "$LP_PID" 2>/dev/null || { fail "loadprogs exited: $(cat "$LP_OUT")"; return; }
		sleep 0.05
	done
	grep -q '^ready' "$LP_OUT" || { fail "loadprogs not ready in 5 s"; return; }
	LP_IDS=$(sed -n 's/^ready *//p' "$LP_OUT")
	LP_MAP=$(grep -h '^map_id:' /proc/"$LP_PID"/fdinfo/* 2>/dev/null | awk '{print $2}' |
		sort -un | head -1)
}

# under_strace CMD...: CMD traced by strace. A sanitizer build's leak checker cannot run
# under ptrace (it reports a fatal error of its own), so it is switched off for that process
# only; the address and undefined-behaviour checks stay on.
under_strace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}
