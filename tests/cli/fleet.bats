#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# fleet-summary over results trees: tests/fixtures/fleet/results (real documents of the
# fixture sysroots, see its make.sh) and trees made here, hostile ones included.

load helper

FLEET=$FIXTURES/fleet

setup() {
	T=$(mktemp -d)
}

teardown() {
	rm -rf "$T"
}

# the verdict of host $1 in the JSON on $output
verdict_of() {
	printf '%s' "$output" | jq -r --arg h "$1" '.hosts[] | select(.name == $h) | .verdict'
}

@test "fleet-summary: the fixture fleet, plain: matrix, counts, causes, hosts apart" {
	run -1 --separate-stderr "$EDRDIAG" fleet-summary "$FLEET/results"
	assert_line --partial "7 of 10 expected hosts gave a result (coverage 70.0%)"
	assert_line --regexp '^db01 +fail +fail +- +- +- +3\.10\.0-693\.el7\.x86_64 / CentOS Linux 7'
	assert_line --regexp '^web02 +fail +warn +fail '
	assert_line --regexp '^  check-kernel +0 +4 +3 +0 +0 +3$'
	assert_line "  fail kernel.release (check-kernel): kernel too old: no BPF programs on tracepoints: 2"
	assert_line "    hosts: db01, db02"
	assert_line --regexp '^  env01 +environment +exit 3'
	assert_line --regexp '^  unreach01 +no_result +no edrdiag document'
	assert_line --regexp "^  err01 +error +error: --root"
	assert_line "Verdict: 0 pass, 2 warn, 5 fail, 3 without a result"
}

@test "fleet-summary --json: valid, and what each host of the fixture fleet gives" {
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$FLEET/results"
	assert_one_json
	assert_equal "$(verdict_of web01)" warn
	assert_equal "$(verdict_of web02)" fail
	assert_equal "$(verdict_of db02)" fail # recognised by "command", not by its file name
	assert_equal "$(verdict_of bundle01)" fail
	assert_equal "$(verdict_of err01)" error
	assert_equal "$(verdict_of env01)" environment
	assert_equal "$(verdict_of unreach01)" no_result
	jq -e '.expected == 10 and .with_result == 7 and .coverage == 0.7 and .status == "fail"
		and ([.no_result[].name] == ["env01", "err01", "unreach01"])
		and (.causes[0] | .id == "kernel.release" and .count == 2
			and .releases == [{"value": "3.10.0-693.el7.x86_64", "hosts": 2}])
		and (.checks[0] | .name == "check-kernel" and .counts.fail == 3)' \
		<<<"$output" >/dev/null || fail "$output"
}

@test "fleet-summary reads a bundle in memory, to the verdicts of the documents inside" {
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$FLEET/results"
	local ck ct
	ck=$("$EDRDIAG" --json check-kernel --root "$FIXTURES/unpriv-2" | jq -r .status) || true
	ct=$("$EDRDIAG" --json check-tracepoints --root "$FIXTURES/bad-format" | jq -r .status) || true
	jq -e --arg ck "$ck" --arg ct "$ct" '.hosts[] | select(.name == "bundle01") |
		.checks["check-kernel"] == $ck and .checks["check-tracepoints"] == $ct' \
		<<<"$output" >/dev/null || fail "bundle01 is not $ck/$ct: $output"
}

@test "fleet-summary --inventory: a host with no directory is missing, coverage over the list" {
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary --inventory "$FLEET/inventory" \
		"$FLEET/results"
	assert_one_json
	assert_equal "$(verdict_of gone01)" no_result
	jq -e '.expected == 11 and .with_result == 7 and
		(.no_result[] | select(.name == "gone01") | .reason | test("no directory"))' \
		<<<"$output" >/dev/null || fail "$output"
	# a host outside the inventory is shown, not counted
	printf 'web01\nold01\n' >"$T/inv"
	run -0 --separate-stderr "$EDRDIAG" --json fleet-summary --inventory "$T/inv" "$FLEET/results"
	assert_one_json
	jq -e '.expected == 2 and .with_result == 2 and .status == "warn" and
		(.hosts[] | select(.name == "db01") | .expected == false)' <<<"$output" >/dev/null ||
		fail "$output"
}

@test "fleet-summary: exit 0 when every host passes or warns" {
	mkdir "$T/r"
	cp -r "$FLEET/results/web01" "$FLEET/results/old01" "$T/r/"
	run -0 "$EDRDIAG" fleet-summary "$T/r"
	assert_line "Verdict: 0 pass, 2 warn, 0 fail, 0 without a result"
}

@test "fleet-summary: byte-identical across runs, in every format" {
	local f
	for f in plain csv markdown json; do
		if [ "$f" = json ]; then
			"$EDRDIAG" --json fleet-summary "$FLEET/results" >"$T/a" || true
			"$EDRDIAG" --json fleet-summary "$FLEET/results" >"$T/b" || true
		else
			"$EDRDIAG" fleet-summary --format "$f" "$FLEET/results" >"$T/a" || true
			"$EDRDIAG" fleet-summary --format "$f" "$FLEET/results" >"$T/b" || true
		fi
		[ -s "$T/a" ] || fail "$f: nothing written"
		cmp "$T/a" "$T/b" || fail "$f: two runs differ"
	done
}

@test "fleet-summary --format csv and markdown: one row per host, cells escaped" {
	run -1 --separate-stderr "$EDRDIAG" fleet-summary --format csv "$FLEET/results"
	assert_line --index 0 "host,verdict,expected,check-kernel,check-tracepoints,run-sensor,stats,release,distro,causes,reason"
	assert_line 'db01,fail,yes,fail,,,,3.10.0-693.el7.x86_64,"CentOS Linux 7 (Core)",kernel.release,'
	[ "${#lines[@]}" -eq 11 ] || fail "expected 11 lines, got ${#lines[@]}"
	# a name a spreadsheet would take for a formula, one with a comma and a quote
	mkdir -p "$T/r/=cmd|calc" "$T/r/a,b\"c"
	run -1 --separate-stderr "$EDRDIAG" fleet-summary --format csv "$T/r"
	assert_line --partial "'=cmd|calc,no_result"
	assert_line --partial '"a,b""c",no_result'
	run -1 --separate-stderr "$EDRDIAG" fleet-summary --format markdown "$T/r"
	assert_line --partial '| =cmd\|calc | no_result |'
	run -1 --separate-stderr "$EDRDIAG" fleet-summary --format markdown "$FLEET/results"
	assert_line "| check-kernel | 0 | 4 | 3 | 0 | 0 | 3 |"
	assert_line --partial "| db01 | fail | fail | - | - | - |"
}

@test "fleet-summary --since: newly failing, recovered, appeared, disappeared" {
	mkdir "$T/r"
	cp -r "$FLEET/results/web01" "$FLEET/results/db01" "$FLEET/results/old01" "$T/r/"
	"$EDRDIAG" --json fleet-summary "$T/r" >"$T/prev.json" || true
	# web01 now fails, db01 recovered, old01 gone, lock01 new
	cp "$FLEET/results/db01/check-kernel.json" "$T/r/web01/check-kernel.json"
	cp "$FLEET/results/old01/check-kernel.json" "$T/r/db01/check-kernel.json"
	rm -r "$T/r/old01"
	cp -r "$FLEET/results/lock01" "$T/r/"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary --since "$T/prev.json" "$T/r"
	assert_one_json
	jq -e '.since | .newly_failing == ["web01"] and .recovered == ["db01"] and
		.appeared == ["lock01"] and .disappeared == ["old01"]' <<<"$output" >/dev/null ||
		fail "$output"
	run -1 --separate-stderr "$EDRDIAG" fleet-summary --since "$T/prev.json" "$T/r"
	assert_line "  newly failing   1: web01"
	assert_line "  disappeared     1: old01"
}

@test "fleet-summary: usage and bad input exit 2, with an error document" {
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary
	assert_error_doc usage "results directory"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/nonexistent"
	assert_error_doc bad_input "No such file"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary --format xml "$FLEET/results"
	assert_error_doc usage "plain, csv or markdown"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary --format csv "$FLEET/results"
	assert_error_doc usage "choose one"
	run -2 --separate-stderr "$EDRDIAG" fleet-summary "$FLEET/results" extra
	assert_equal "$stderr" "edrdiag: fleet-summary takes one argument ('extra' is one too many); give one results directory"
	echo '{"command": "check-kernel"}' >"$T/prev.json"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary --since "$T/prev.json" "$FLEET/results"
	assert_error_doc bad_input "not a fleet-summary"
	echo '{"command": "fleet-summ' >"$T/prev.json"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary --since "$T/prev.json" "$FLEET/results"
	assert_error_doc bad_input "not JSON"
	run -2 --separate-stderr "$EDRDIAG" --json fleet-summary --inventory "$T/none" "$FLEET/results"
	assert_error_doc bad_input "inventory"
}

@test "fleet-summary: hostile host names are printable in every format" {
	mkdir -p "$T/r"
	mkdir "$T/r/$(printf 'evil\033[31mred\033]0;title\007')" "$T/r/$(printf 'nl\nx')" \
		"$T/r/$(printf 'bad\xff\xfe')"
	cp "$FLEET/results/db01/check-kernel.json" "$T/r/$(printf 'nl\nx')/"
	local f out
	for f in plain csv markdown; do
		out=$("$EDRDIAG" fleet-summary --format "$f" "$T/r") || true
		if printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
			fail "$f: a control byte reached the output: $(printf '%s' "$out" | od -c | head)"
		fi
		printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\xff')" && fail "$f: invalid UTF-8 byte"
		if [ "$f" = markdown ]; then # and [ ] escaped for Markdown
			[[ $out == *'evil\x1b\[31mred\x1b\]0;title\x07'* ]] || fail "$f: $out"
		else
			[[ $out == *'evil\x1b[31mred\x1b]0;title\x07'* ]] || fail "$f: $out"
		fi
		[[ $out == *'nl\x0ax'* ]] || fail "$f: $out"
		[[ $out == *'bad\xff\xfe'* ]] || fail "$f: $out"
	done
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	assert_equal "$(verdict_of 'nl\x0ax')" fail
}

@test "fleet-summary: huge, truncated, non-JSON and foreign documents are refused, said why" {
	mkdir -p "$T/r/h"
	head -c 9000000 /dev/zero | tr '\0' ' ' >"$T/r/h/check-kernel.json"
	head -c 300 "$FLEET/results/db01/check-kernel.json" >"$T/r/h/check-tracepoints.json"
	printf '\x00\x01binary' >"$T/r/h/run-sensor-self-test.json"
	echo '{"command": "map-dump", "status": "pass", "results": []}' >"$T/r/h/stats.json"
	echo 'nine thousand' >"$T/r/h/exit-status"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	jq -e '.hosts[0] | .verdict == "no_result" and .exit_status == null and
		(.problems | length == 5) and
		(.problems | any(test("check-kernel.json: too large"))) and
		(.problems | any(test("check-tracepoints.json: not JSON"))) and
		(.problems | any(test("run-sensor-self-test.json: not JSON"))) and
		(.problems | any(test("map-dump"))) and
		(.problems | any(test("exit-status: not a number")))' <<<"$output" >/dev/null ||
		fail "$output"
}

@test "fleet-summary: a stream (NDJSON) counts by its last line, the summary" {
	mkdir -p "$T/r/h"
	{
		echo '{"event": "exec", "pid": 1}'
		jq -c '.command = "run-sensor"' "$FLEET/results/web01/check-tracepoints.json"
	} >"$T/r/h/run-sensor-self-test.json"
	run -0 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	jq -e '.hosts[0].checks["run-sensor"] == "pass"' <<<"$output" >/dev/null || fail "$output"
}

@test "fleet-summary: symlinks out of the tree are refused, never followed" {
	mkdir -p "$T/outside/secret" "$T/r/h"
	cp "$FLEET/results/db01/check-kernel.json" "$T/outside/secret/check-kernel.json"
	cp "$FLEET/results/db01/check-kernel.json" "$T/outside/doc.json"
	ln -s "$T/outside/secret" "$T/r/linked"
	ln -s "$T/outside/doc.json" "$T/r/h/check-kernel.json"
	cp "$FLEET/results/old01/check-kernel.json" "$T/r/h/zz.json"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	# followed, linked would fail and h would take the symlink's failing document
	jq -e '(.hosts[] | select(.name == "linked") | .verdict == "no_result" and
			(.problems[0] | test("symlink: refused")))
		and (.hosts[] | select(.name == "h") | .verdict == "warn" and
			(.problems[0] | test("check-kernel.json: a symlink")))' <<<"$output" >/dev/null ||
		fail "$output"
}

@test "fleet-summary: a bundle with ../ and absolute members: refused, nothing written" {
	mkdir -p "$T/r/h" "$T/cwd"
	python3 - "$T/r/h/evil.tar.gz" "$FLEET/results/db01/check-kernel.json" <<'EOF'
import io, sys, tarfile
doc = open(sys.argv[2], "rb").read()
with tarfile.open(sys.argv[1], "w:gz") as t:
    for name in ("../../escape/commands/edrdiag-check-kernel.json",
                 "/tmp/abs/commands/edrdiag-check-kernel.json",
                 "x/../commands/edrdiag-check-kernel.json"):
        i = tarfile.TarInfo(name)
        i.size = len(doc)
        t.addfile(i, io.BytesIO(doc))
    i = tarfile.TarInfo("top/commands/edrdiag-check-kernel.json")
    i.type = tarfile.SYMTYPE
    i.linkname = "/etc/passwd"
    t.addfile(i)
EOF
	cd "$T/cwd"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	jq -e '.hosts[0] | .verdict == "no_result" and
		(.problems | any(test("3 member\\(s\\) with a name leading out")))' \
		<<<"$output" >/dev/null || fail "$output"
	[ -z "$(find "$T" -name escape -o -name abs -o -name commands)" ] || fail "unpacked to disk"
	# a damaged (truncated) bundle and one that is not gzip at all
	head -c 200 "$FLEET/results/bundle01/"*.tar.gz >"$T/r/h/evil.tar.gz"
	echo "not a tar" >"$T/r/h/b.tgz"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	jq -e '.hosts[0].problems | length >= 2' <<<"$output" >/dev/null || fail "$output"
}

@test "fleet-summary: a FIFO is never opened; a gzip bomb stops at the unpacked cap" {
	mkdir -p "$T/r/h"
	mkfifo "$T/r/h/check-kernel.json"
	# two members of 600 MiB of zeros (8 MB packed): past the 1 GiB cap at the second
	python3 - "$T/r/h/b.tar.gz" <<'PY'
import sys, tarfile
class Zeros:
    def __init__(self, n): self.n = n
    def read(self, m=-1):
        m = self.n if m < 0 else min(m, self.n)
        self.n -= m
        return b"\0" * m
with tarfile.open(sys.argv[1], "w:gz", compresslevel=1) as t:
    for k in range(2):
        i = tarfile.TarInfo("top/zeros%d" % k)
        i.size = 600 << 20
        t.addfile(i, Zeros(i.size))
PY
	run -1 --separate-stderr timeout 60 "$EDRDIAG" --json fleet-summary "$T/r"
	assert_one_json
	jq -e '.hosts[0].problems == ["check-kernel.json: not a regular file: refused",
		"b.tar.gz: members larger than 1073741824 bytes together: the rest not read"]' \
		<<<"$output" >/dev/null || fail "$output"
}

@test "fleet-summary without privilege: the same document as root's, byte for byte" {
	require_root
	chmod 755 "$T"
	cp -r "$FLEET/results" "$T/r"
	chmod -R a+rX "$T/r"
	run -1 --separate-stderr "$EDRDIAG" --json fleet-summary "$T/r"
	local want=$output
	unprivileged --json fleet-summary "$T/r"
	assert_equal "$status" 1
	assert_one_json
	# the head's target is this host, seen by whoever runs it; the rest is the tree's
	assert_equal "$(jq -S 'del(.target)' <<<"$output")" "$(jq -S 'del(.target)' <<<"$want")"
}

@test "fleet-summary: an inventory with no host name (empty, comments only, a FIFO) is exit 2, not a passing fleet" {
	local d=$BATS_TEST_TMPDIR
	: >"$d/empty"
	printf '# nobody\n\n  \n' >"$d/comments"
	mkfifo "$d/fifo"
	for inv in "$d/empty" "$d/comments" "$d/fifo"; do
		run --separate-stderr timeout 10 "$EDRDIAG" fleet-summary --inventory "$inv" "$FLEET/results"
		[ "$status" -eq 2 ] || fail "$inv: exit $status, want 2 ($stderr)"
		[[ "$stderr" == *"--inventory '$inv': no host name in it"* ]] || fail "$inv: $stderr"
		[ -z "$output" ] || fail "$inv: wrote $output"
	done
}
