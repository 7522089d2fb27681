#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Foreign bytes (a bundle's files under --root, process names, exec'd file names, arguments)
# never reach a terminal raw, and never make JSON drop a string: plain output shows control
# characters and invalid UTF-8 as \xNN, JSON keeps every finding and member (invalid UTF-8 as
# the text \xNN). The live tests need root; elsewhere they skip and say why.

load helper
load ../tools/sysroot

LOADPROGS=$TOOLS/loadprogs

# An OSC window title and a screen clear: what a hostile os-release puts in PRETTY_NAME.
EVIL=$'\e]0;PWNED\a\e[2J'
EVIL_SHOWN='\x1b]0;PWNED\x07\x1b[2J'

# A process name with an OSC, a BEL, a byte that is not UTF-8 and a C1 CSI (U+009B): 12 of
# the 15 bytes a comm holds. How a terminal sees it, and the string JSON holds.
COMM=$'ed\e]0;X\a\xffy\xc2\x9b'
COMM_SHOWN='ed\x1b]0;X\x07\xffy\xc2\x9b'
COMM_JSON=$'ed\e]0;X\a\\xffy\xc2\x9b'

setup() {
	LP_PID=
	SENSOR_PID=
}

teardown() {
	local pid
	for pid in $LP_PID $SENSOR_PID; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

# Fail when file $1 holds a byte a terminal must not get raw from us: a C0 control other
# than newline, DEL, a C1 control (0xc2 0x80..0x9f), or a byte that is not valid UTF-8.
assert_terminal_safe() {
	local what=$2 hits
	if hits=$(LC_ALL=C grep -naE $'[\x01-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"); then
		fail "$what: raw control bytes reach the terminal: $(printf '%s' "$hits" | od -c | head -5)"
		return
	fi
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 ||
		fail "$what: not valid UTF-8: $(od -c "$1" | head -5)"
}

# Fail unless file $1 is valid UTF-8 throughout and jq reads it (jq alone would replace
# invalid bytes rather than refuse them).
assert_valid_json_text() {
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 ||
		{ fail "not valid UTF-8: $(od -c "$1" | head -5)"; return; }
	jq -e . "$1" >/dev/null || fail "not JSON: $(head -c 300 "$1")"
}

# The sum of the summary's counts equals the number of results: no finding was dropped.
assert_results_complete() {
	printf '%s' "$output" | jq -e '(.results | length) == (.summary | add)' >/dev/null ||
		fail "results and summary disagree: $(printf '%s' "$output" |
			jq -c '{n: (.results | length), summary}')"
}

# Start loadprogs (a program and a filled hash map) renamed to $COMM; sets LP_PID.
start_holder() {
	local out=$BATS_TEST_TMPDIR/loadprogs.out _
	[ -x "$LOADPROGS" ] || { fail "no $LOADPROGS: build first (cmake --build build)"; return; }
	"$LOADPROGS" 1 --hash 8 2 --comm "$COMM" >"$out" 2>&1 &
	LP_PID=$!
	for _ in $(seq 100); do
		grep -q '^ready' "$out" && break
		kill -0 "$LP_PID" 2>/dev/null || { fail "loadprogs exited: $(cat "$out")"; return; }
		sleep 0.05
	done
	grep -q '^ready' "$out" || { fail "loadprogs not ready in 5 s"; return; }
	[ "$(cat "/proc/$LP_PID/comm")" = "$COMM" ] || fail "comm not set: $(od -c "/proc/$LP_PID/comm")"
}

@test "check-kernel --root: escapes in a bundle's PRETTY_NAME reach no terminal raw" {
	sysroot healthy-6x
	sed -i '/^PRETTY_NAME=/d' "$ROOT/etc/os-release"
	printf 'PRETTY_NAME="%s"\n' "$EVIL" >>"$ROOT/etc/os-release"
	run -0 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT" -v
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out"
	printf '%s' "$stderr" >"$BATS_TEST_TMPDIR/err"
	assert_terminal_safe "$BATS_TEST_TMPDIR/out" stdout
	assert_terminal_safe "$BATS_TEST_TMPDIR/err" stderr
	assert_line --partial "host.distro"
	assert_output --partial "$EVIL_SHOWN"
	# JSON keeps the text exactly (jansson writes the controls as \u001b, \u0007)
	run_json 0 check-kernel
	[ "$(field_of host.distro title)" = "$EVIL" ]
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/json"
	assert_terminal_safe "$BATS_TEST_TMPDIR/json" "--json"
}

@test "check-kernel --root --json: invalid UTF-8 in a bundle drops no finding" {
	sysroot healthy-6x
	sed -i '/^PRETTY_NAME=/d' "$ROOT/etc/os-release"
	printf 'PRETTY_NAME="Deb\xe9ian"\n' >>"$ROOT/etc/os-release"
	grep -qx 'CONFIG_BPF=y' "$ROOT"/boot/config-* || fail "fixture has no CONFIG_BPF=y"
	LC_ALL=C sed -i $'s/^CONFIG_BPF=y$/CONFIG_BPF=\xff/' "$ROOT"/boot/config-*
	run_json 1 check-kernel
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/json"
	assert_valid_json_text "$BATS_TEST_TMPDIR/json"
	assert_results_complete
	printf '%s' "$output" | jq -e '.status == "fail" and .summary.fail >= 1'
	# the failing finding is there, its byte readable as \xff
	[ "$(status_of kconfig.CONFIG_BPF)" = fail ]
	[[ "$(field_of kconfig.CONFIG_BPF title)" == *'\xff'* ]]
	[[ "$(field_of host.distro title)" == *'Deb\xe9ian'* ]]
	# and plain output shows both escaped
	run -1 --separate-stderr "$EDRDIAG" check-kernel --root "$ROOT"
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_terminal_safe "$BATS_TEST_TMPDIR/out" stdout
	assert_output --partial 'CONFIG_BPF=\xff'
	assert_output --partial 'Deb\xe9ian'
}

@test "usage error --json quoting a non-UTF-8 argument: one JSON document with the error, exit 2" {
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel $'--x\xff'
	assert_one_json
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/json"
	assert_valid_json_text "$BATS_TEST_TMPDIR/json"
	printf '%s' "$output" | jq -e '.error.message | contains("--x\\xff")'
	# plain: the message on stderr, the argument's escape sequence and byte escaped
	run -2 --separate-stderr "$EDRDIAG" check-kernel $'--x\e[2J\xff'
	printf '%s' "$stderr" >"$BATS_TEST_TMPDIR/err"
	assert_terminal_safe "$BATS_TEST_TMPDIR/err" stderr
	[[ "$stderr" == *"unknown option '--x\\x1b[2J\\xff'"* ]] || fail "stderr: $stderr"
}

@test "map-dump: a holder's comm with escapes and a non-UTF-8 byte, plain and JSON" {
	require_root
	start_holder
	run -0 --separate-stderr "$EDRDIAG" map-dump
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_terminal_safe "$BATS_TEST_TMPDIR/out" "map-dump"
	assert_line --partial "$COMM_SHOWN($LP_PID)"
	run -0 --separate-stderr "$EDRDIAG" --json map-dump
	assert_one_json
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/json"
	assert_valid_json_text "$BATS_TEST_TMPDIR/json"
	# the map loadprogs holds lists it, comm escaped, not an empty holders list
	printf '%s' "$output" | jq -e --argjson p "$LP_PID" --arg c "$COMM_JSON" \
		'[.maps[] | select(.name == "ldp_hash") | .holders[] | select(.pid == $p)] ==
		 [{"pid": $p, "comm": $c}]' ||
		fail "holder missing: $(printf '%s' "$output" | jq -c '.maps[] | select(.name == "ldp_hash")')"
}

@test "stats --agent PID: an agent's comm with escapes and a non-UTF-8 byte, plain and JSON" {
	require_root
	start_holder
	run -0 --separate-stderr "$EDRDIAG" stats --agent "$LP_PID" --interval 0.2
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_terminal_safe "$BATS_TEST_TMPDIR/out" "stats"
	assert_line --partial "agent $LP_PID ($COMM_SHOWN): CPU"
	assert_line --partial "$COMM_SHOWN($LP_PID)"
	assert_line --regexp "agent\\.cpu +agent $LP_PID \\(.*\\) used"
	run -0 --separate-stderr "$EDRDIAG" --json stats --agent "$LP_PID" --interval 0.2
	assert_one_json
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/json"
	assert_valid_json_text "$BATS_TEST_TMPDIR/json"
	assert_results_complete
	[ "$(status_of agent.cpu)" = pass ] || fail "agent.cpu: '$(status_of agent.cpu)'"
	[[ "$(field_of agent.cpu title)" == "agent $LP_PID ($COMM_JSON) used "* ]] ||
		fail "agent.cpu title: $(field_of agent.cpu title | od -c | head -3)"
	printf '%s' "$output" | jq -e --arg c "$COMM_JSON" --argjson p "$LP_PID" \
		'.agent.comm == $c and ([.maps[].holders[] | select(.pid == $p) | .comm] | unique) == [$c]'
}

@test "run-sensor: a file name with C1, DEL and bytes not UTF-8, plain and JSON" {
	require_root
	local dir=$BATS_TEST_TMPDIR f1 f2 _ i mode
	# the C1 CSI and DEL the review found, a byte that is not UTF-8, and a UTF-16 surrogate
	f1=$dir/$'tx\xc2\x9b2J\x7f\xff'
	f2=$dir/$'ty\xed\xa0\x80'
	cp "$(type -P true)" "$f1"
	cp "$(type -P true)" "$f2"
	"$f1" || fail "cannot exec a copy of true in $dir"
	for mode in plain json; do
		local args=(-v run-sensor --duration 2)
		[ "$mode" = plain ] || args=(-v --json run-sensor --duration 2)
		"$EDRDIAG" "${args[@]}" >"$dir/$mode.out" 2>"$dir/$mode.err" &
		SENSOR_PID=$!
		for _ in $(seq 100); do
			grep -qs "sensor attached" "$dir/$mode.err" && break
			kill -0 "$SENSOR_PID" 2>/dev/null || break
			sleep 0.05
		done
		grep -q "sensor attached" "$dir/$mode.err" ||
			{ fail "run-sensor did not attach: $(grep -v '^libbpf: ' "$dir/$mode.err")"; return; }
		for i in 1 2 3; do
			"$f1"
			"$f2"
		done
		wait "$SENSOR_PID" || fail "run-sensor exited $?: $(grep -v '^libbpf: ' "$dir/$mode.err")"
		SENSOR_PID=
	done

	# plain: no raw C1, DEL or invalid byte in the events or the summary; both escaped
	assert_terminal_safe "$dir/plain.out" "run-sensor stdout"
	assert_terminal_safe "$dir/plain.err" "run-sensor stderr"
	run grep -aF "$dir/"'tx\xc2\x9b2J\x7f\xff' "$dir/plain.out"
	[ "${#lines[@]}" -eq 3 ] || fail "expected 3 events of the C1 file, got: $output"
	assert_line --partial ' tx\xc2\x9b2J\x7f\xff '
	run grep -acF "$dir/"'ty\xed\xa0\x80' "$dir/plain.out"
	[ "$output" -eq 3 ] || fail "expected 3 events of the surrogate file, got $output"

	# JSON: valid UTF-8 throughout, no raw control byte, each byte as man run-sensor says:
	# C1 and DEL as their \u escapes, a byte that is not UTF-8 as \u00XX (its value)
	assert_valid_json_text "$dir/json.out"
	assert_terminal_safe "$dir/json.out" "run-sensor --json"
	run jq -r --arg f "$dir/"$'tx\xc2\x9b2J\x7f\xc3\xbf' --arg c $'tx\xc2\x9b2J\x7f\xc3\xbf' \
		'select(.event == "exec" and .filename == $f and .comm == $c) | .pid' "$dir/json.out"
	[ "${#lines[@]}" -eq 3 ] || fail "expected 3 events of the C1 file: $output"
	run jq -r --arg f "$dir/"$'ty\xc3\xad\xc2\xa0\xc2\x80' \
		'select(.event == "exec" and .filename == $f) | .pid' "$dir/json.out"
	[ "${#lines[@]}" -eq 3 ] || fail "expected 3 events of the surrogate file: $output"
	grep -qF '\u009b2J\u007f\u00ff' "$dir/json.out" || fail "C1, DEL, 0xff not as \\u escapes"
}
