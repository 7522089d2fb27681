#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# collect-report under faults: a killed run leaves no process an item started (a grandchild
# that called setsid() included) and no archive or temporary; a name clash is refused before
# collecting; a summary that cannot be written takes the archive back (exit 3: no archive);
# every item's status is honest.

# bats sets $stderr (run --separate-stderr); the bash -c scripts take their $0 and $1
# shellcheck disable=SC2154,SC2016

load helper

setup() {
	OUT=$BATS_TEST_TMPDIR/out
	BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$OUT" "$BIN"
	# a number no other process has in its command line: sleep takes it as seconds
	MARK="987654.$$$RANDOM"
	RUN_PID=
}

teardown() {
	local p
	# only what this test started: the run, then anything still bearing the marker
	if [ -n "$RUN_PID" ]; then
		kill -9 "$RUN_PID" 2>/dev/null || true
	fi
	for p in $(marked); do
		kill -9 "$p" 2>/dev/null || true
	done
}

# The pids of live processes whose command line holds $MARK.
marked() {
	local f p
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}
		p=${p%/cmdline}
		[ "$p" = "$$" ] && continue
		if tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "$MARK"; then
			# a zombie is dead already: only its parent has not reaped it yet
			grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null || echo "$p"
		fi
	done
}

# A fake dmesg first in PATH: it starts a grandchild that leaves the session (setsid) and
# sleeps, then hangs itself.
fake_hung_dmesg() {
	cat >"$BIN/dmesg" <<EOF
#!/bin/sh
setsid sleep $MARK </dev/null >/dev/null 2>&1 &
echo "fake dmesg, grandchild \$!"
exec sleep $MARK
EOF
	chmod 755 "$BIN/dmesg"
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, or fail.
wait_for() {
	local n=$(($1 * 20))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.05
	done
}

has_marked() { [ -n "$(marked)" ]; }
no_marked() { [ -z "$(marked)" ]; }

# Start collect-report in the background with the fake dmesg; sets RUN_PID.
start_run() {
	PATH="$BIN:$PATH" "$EDRDIAG" collect-report --output "$OUT" "$@" \
		>"$BATS_TEST_TMPDIR/stdout" 2>"$BATS_TEST_TMPDIR/stderr" &
	RUN_PID=$!
}

# kill_run SIGNAL: once the fake dmesg's tree is up, signal the run; its whole tree ends.
kill_run() {
	wait_for 20 has_marked || fail "the fake dmesg never started: $(cat "$BATS_TEST_TMPDIR/stderr")"
	kill "-$1" "$RUN_PID"
	wait "$RUN_PID" || true
	RUN_PID=
	wait_for 5 no_marked || fail "still running 5 s after $1: $(marked | tr '\n' ' ')"
}

@test "faults: SIGKILL mid-run: no process an item started survives, setsid grandchild included" {
	fake_hung_dmesg
	start_run --timeout 60
	kill_run KILL
	# and no archive: the run never got to write one
	assert_equal "$(ls -A "$OUT")" ""
}

@test "faults: SIGTERM mid-run: the same, and no archive" {
	fake_hung_dmesg
	start_run --timeout 60
	kill_run TERM
	assert_equal "$(ls -A "$OUT")" ""
}

@test "faults: an item's own timeout ends its whole tree and says timed_out" {
	fake_hung_dmesg
	SECONDS=0
	PATH="$BIN:$PATH" run --separate-stderr "$EDRDIAG" collect-report --output "$OUT" \
		--timeout 1 --json
	assert_success
	[ "$SECONDS" -lt 20 ] || fail "took $SECONDS s"
	no_marked || fail "still running after the run: $(marked | tr '\n' ' ')"
	assert_equal "$(jq -r '.not_collected[] | select(.path == "commands/dmesg.txt") | .status' \
		<<<"$output")" timed_out
	assert_equal "$(jq -r '.statuses.timed_out' <<<"$output")" 1
	# its output up to the timeout is kept, and the manifest says the same
	tar xzf "$OUT"/*.tar.gz -C "$BATS_TEST_TMPDIR"
	run jq -r '.items[] | select(.path == "commands/dmesg.txt") |
		"\(.status) \(.stored) \(.collected) \(.exit_status)"' "$BATS_TEST_TMPDIR"/edrdiag-report-*/manifest.json
	assert_output "timed_out true false 137"
	grep -q "fake dmesg, grandchild" "$BATS_TEST_TMPDIR"/edrdiag-report-*/commands/dmesg.txt
}

@test "faults: failed and denied commands are counted and listed, not called collected" {
	printf '#!/bin/sh\necho "dmesg: read kernel buffer failed: Operation not permitted"\nexit 1\n' \
		>"$BIN/dmesg"
	printf '#!/bin/sh\necho "uname: something broke" >&2\nexit 2\n' >"$BIN/uname"
	chmod 755 "$BIN/dmesg" "$BIN/uname"
	PATH="$BIN:$PATH" run --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --json
	assert_success
	assert_one_json
	run jq -r '.not_collected[] | select(.path == "commands/dmesg.txt" or
		.path == "commands/uname-a.txt") | "\(.path) \(.status) \(.exit_status) \(.stderr)"' \
		<<<"$output"
	assert_line "commands/dmesg.txt denied 1 dmesg: read kernel buffer failed: Operation not permitted"
	assert_line "commands/uname-a.txt failed 2 uname: something broke"
	# the manifest: every item's status is one of ours, "collected" is that status, "stored"
	# is whether its bytes are there; the failed ones are stored, with their stderr line
	tar xzf "$OUT"/*.tar.gz -C "$BATS_TEST_TMPDIR"
	jq -e '.containment == "keeper" and all(.items[];
		(.status | IN("collected", "failed", "denied", "missing_tool", "timed_out",
			"skipped", "absent")) and
		(.collected == (.status == "collected")) and (.stored == (.bytes != null)) and
		(.stored == (.sha256 != null)))' "$BATS_TEST_TMPDIR"/edrdiag-report-*/manifest.json \
		>/dev/null || fail "manifest: $(cat "$BATS_TEST_TMPDIR"/edrdiag-report-*/manifest.json)"
	run jq -r '.items[] | select(.path == "commands/dmesg.txt") | "\(.stored) \(.stderr)"' \
		"$BATS_TEST_TMPDIR"/edrdiag-report-*/manifest.json
	assert_output "true dmesg: read kernel buffer failed: Operation not permitted"
	rm -rf "$BATS_TEST_TMPDIR"/edrdiag-report-*
	# the plain summary: counts per status, and the list with why
	rm -f "$OUT"/*
	PATH="$BIN:$PATH" run --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	assert_success
	assert_line --regexp '^[0-9]+ items: [0-9]+ collected.*, [0-9]+ failed, [0-9]+ denied'
	assert_line --regexp '^  denied +commands/dmesg\.txt: exit status 1: dmesg: read kernel buffer failed: Operation not permitted$'
	assert_line --regexp '^  failed +commands/uname-a\.txt: exit status 2: uname: something broke$'
}

@test "faults: as uid 65534, what failed is denied or failed and the rerun command is given" {
	[ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ] ||
		skip "kernel.dmesg_restrict is not 1: dmesg is not denied to uid 65534 here"
	local dir
	dir=$(mktemp -d /tmp/edrdiag-faults.XXXXXX)
	chmod 1777 "$dir"
	unprivileged collect-report --output "$dir" --agent-version "1.2 beta"
	local out=$output rc=$status
	rm -rf "$dir"
	assert_equal "$rc" 0
	output=$out
	assert_line --regexp '^[0-9]+ items: .*[0-9]+ denied'
	assert_line --regexp '^  denied +commands/dmesg\.txt: exit status [0-9]+: .*'
	# the same command line again, as given (the binary's path too), each word quoted as needed
	assert_line --regexp "To collect them: sudo [^ ]*/edrdiag collect-report --output $dir --agent-version '1\\.2 beta'\$"
	refute_line --partial "Collected "
}

@test "faults: SIGKILL during the write leaves no file (O_TMPFILE)" {
	EDRDIAG_TEST_WRITE_DELAY_MS=200 "$EDRDIAG" collect-report --output "$OUT" \
		>/dev/null 2>"$BATS_TEST_TMPDIR/stderr" &
	RUN_PID=$!
	# writing: an open file in $OUT that has no name
	writing() {
		local f
		for f in "/proc/$RUN_PID"/fd/*; do
			[[ $(readlink "$f" 2>/dev/null) == "$OUT/"* ]] && return 0
		done
		return 1
	}
	wait_for 30 writing || fail "never saw the write begin"
	kill -9 "$RUN_PID"
	wait "$RUN_PID" || true
	RUN_PID=
	assert_equal "$(ls -A "$OUT")" ""
}

@test "faults: without O_TMPFILE, a SIGKILL's hidden temporary is removed by the next run" {
	EDRDIAG_TEST_NO_TMPFILE=1 EDRDIAG_TEST_WRITE_DELAY_MS=200 \
		EDRDIAG_REPORT_TIME=20261130T101010Z "$EDRDIAG" collect-report --output "$OUT" \
		>/dev/null 2>"$BATS_TEST_TMPDIR/stderr" &
	RUN_PID=$!
	local pid=$RUN_PID
	temp() { compgen -G "$OUT/.edrdiag-report-*.tar.gz.$pid.*" >/dev/null; }
	wait_for 30 temp || fail "never saw the temporary: $(ls -A "$OUT")"
	kill -9 "$RUN_PID"
	wait "$RUN_PID" || true
	RUN_PID=
	# left behind, and the name it would have had is free
	temp || fail "the fallback left nothing: $(ls -A "$OUT")"
	run --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	assert_success
	run ls -A "$OUT"
	assert_equal "${#lines[@]}" 1
	assert_output --regexp '^edrdiag-report-.*\.tar\.gz$'
}

@test "faults: a name clash is refused before collecting, in one line, exit 3" {
	export EDRDIAG_REPORT_TIME=20261130T101010Z
	run --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	assert_success
	# a second run must not even start its items
	printf '#!/bin/sh\ntouch "%s"\n' "$BATS_TEST_TMPDIR/dmesg-ran" >"$BIN/dmesg"
	chmod 755 "$BIN/dmesg"
	PATH="$BIN:$PATH" run --separate-stderr "$EDRDIAG" collect-report --output "$OUT"
	assert_failure 3
	assert_equal "$output" ""
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ $stderr == "edrdiag: $OUT/edrdiag-report-"*"-20261130T101010Z.tar.gz: exists; not overwritten" ]] ||
		fail "stderr: $stderr"
	[ ! -e "$BATS_TEST_TMPDIR/dmesg-ran" ] || fail "the second run collected before refusing"
	# in JSON: the error document, code environment
	PATH="$BIN:$PATH" run --separate-stderr "$EDRDIAG" collect-report --output "$OUT" --json
	assert_failure 3
	assert_error_doc environment "exists; not overwritten"
	[ ! -e "$BATS_TEST_TMPDIR/dmesg-ran" ] || fail "the JSON run collected before refusing"
	run ls -A "$OUT"
	assert_equal "${#lines[@]}" 1
}

@test "faults: a reader that goes away is no failure: exit 0, the archive kept" {
	run --separate-stderr bash -c '"$0" collect-report --output "$1" | true
		echo "rc=${PIPESTATUS[0]}"' "$EDRDIAG" "$OUT"
	assert_success
	assert_output "rc=0"
	run ls -A "$OUT"
	assert_output --regexp '^edrdiag-report-.*\.tar\.gz$'
}

@test "faults: stdout that cannot be written: exit 3 and no archive, as the man page says" {
	run --separate-stderr bash -c '"$0" collect-report --output "$1" >/dev/full' \
		"$EDRDIAG" "$OUT"
	assert_failure 3
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ $stderr == *"cannot write the summary: No space left on device;"*"removed" ]] ||
		fail "stderr: $stderr"
	assert_equal "$(ls -A "$OUT")" ""
	run --separate-stderr bash -c '"$0" collect-report --json --output "$1" >/dev/full' \
		"$EDRDIAG" "$OUT"
	assert_failure 3
	[[ $stderr == *"No space left on device"* ]] || fail "stderr: $stderr"
	assert_equal "$(ls -A "$OUT")" ""
}

@test "faults: a FIFO in place of a host fact (pid 1's cgroup, the LSM list, /etc/hosts) is refused, never waited on" {
	require_root
	command -v unshare >/dev/null || skip "no unshare (util-linux): cannot plant a FIFO over /proc"
	local fifo=$BATS_TEST_TMPDIR/fifo archive
	mkfifo "$fifo"
	# a writer that holds the FIFO open and never writes: a reader would wait for ever
	sleep "$MARK" >"$fifo" 2>/dev/null 3>&- &
	RUN_PID=$!
	# in a mount namespace of its own, so that the host's files are never covered
	# (--redact reads /etc/hosts and /etc/resolv.conf for the host's names)
	run timeout 60 unshare -m bash -c 'mount --bind "$1" /proc/1/cgroup &&
		mount --bind "$1" /sys/kernel/security/lsm && mount --bind "$1" /etc/hosts || exit 77
		exec "$2" collect-report --redact --timeout 5 --output "$3"' _ "$fifo" "$EDRDIAG" "$OUT"
	[ "$status" -ne 77 ] || skip "cannot bind-mount over /proc/1/cgroup, the LSM list or /etc/hosts"
	# 124: timeout killed it, waiting on the FIFO
	assert_equal "$status" 0
	archive=$(find "$OUT" -maxdepth 1 -name 'edrdiag-report-*.tar.gz')
	[ -n "$archive" ] || fail "no archive: $output"
	tar xzf "$archive" -C "$OUT" --wildcards '*/edrdiag-host.json'
	jq -e '.lsm.error | startswith("refused: a FIFO")' "$OUT"/*/edrdiag-host.json >/dev/null ||
		fail "lsm: $(jq -c .lsm "$OUT"/*/edrdiag-host.json)"
}
