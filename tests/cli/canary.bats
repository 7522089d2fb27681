#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# collect-report leaks nothing: secrets planted in the kernel log, a mount source, a process
# environment, a config file under /etc and a user's home reach no member of the bundle, with
# or without --redact; with --redact the host's name, its domain, its addresses and the user
# names reach none either, and the redacted bundle replays to the same verdicts.
# Root only (/dev/kmsg, mount); everything planted is removed in teardown. Lines written to
# the kernel log cannot be taken back: they say "edrdiag-canary" and hold made-up values.

load helper

# The credentials: none may appear in any bundle, --redact or not.
SECRETS=(CANARYKMSGPW1 CANARYKMSGURL2 CANARYKMSGTOK3 CANARYMNT4 CANARYENV5 CANARYETC6
	CANARYHOME7)
# The identity planted: none may appear with --redact. The domain is the UTS namespace's
# own (a FQDN host name there), so that nothing else on the machine holds it.
FQDN=canaryhost-q7z.canary-corp.test
IDENTITY=(canaryhost-q7z canary-corp canaryuser 10.77.1. 010.077. 0x0a4d01 52-54-00-77
	5254.0077 52:54:00:77 2001:db8:77 )

setup() {
	require_root
	[ -w /dev/kmsg ] || skip "/dev/kmsg not writable: cannot plant a kernel log line"
	command -v unshare >/dev/null || skip "unshare(1) not installed"
	OUT=$BATS_TEST_TMPDIR/out
	mkdir -p "$OUT"
	# a kernel log line: every credential form and every notation of an address
	printf '<4>edrdiag-canary: password=%s via https://admin:%s@repo.canary-corp.test/x ' \
		CANARYKMSGPW1 CANARYKMSGURL2 >/dev/kmsg
	printf '<4>edrdiag-canary: Authorization: Bearer %s from 10.77.1.2 010.077.001.003 ' \
		CANARYKMSGTOK3 >/dev/kmsg
	printf '<4>edrdiag-canary: 10.77.1.4 as 0x0a4d0104 mac 52-54-00-77-cd-ee 5254.0077.cdef ' \
		>/dev/kmsg
	printf '<4>edrdiag-canary: 52:54:00:77:ab:01 2001:db8:77::5 db.canary-corp.test %s ' \
		"$FQDN" >/dev/kmsg
	printf '<4>edrdiag-canary: canary-corp.test /home/canaryuser user canaryuser\n' >/dev/kmsg
	# a mount whose source holds a password, as /proc/mounts shows it
	MNT=$BATS_TEST_TMPDIR/mnt
	mkdir -p "$MNT"
	mount -t tmpfs -o size=64k "https://admin:CANARYMNT4@x" "$MNT"
	# a process with a secret in its environment
	env EDRDIAG_CANARY_PW=CANARYENV5 sleep 120 &
	CANARY_PID=$!
	# a config file under /etc, and a user's home
	CONF=/etc/edrdiag-canary-$$.conf
	printf 'password=CANARYETC6\n' >"$CONF"
	CANARY_HOME=$BATS_TEST_TMPDIR/home/canaryuser
	mkdir -p "$CANARY_HOME"
	printf 'machine x login canaryuser password CANARYHOME7\n' >"$CANARY_HOME/.netrc"
}

teardown() {
	if [ -n "${MNT:-}" ] && mountpoint -q "$MNT"; then
		umount "$MNT"
	fi
	if [ -n "${CANARY_PID:-}" ]; then
		kill "$CANARY_PID" 2>/dev/null || true
		wait "$CANARY_PID" 2>/dev/null || true
	fi
	if [ -n "${CONF:-}" ]; then
		rm -f "$CONF"
	fi
}

# collect DIR [ARGS...]: collect-report --json into DIR, as canaryuser's sudo, under the
# FQDN host name of a UTS namespace of its own; the bundle unpacked in DIR/x, its tree in
# $ROOT, the JSON summary in DIR/summary.json.
collect() {
	local dir=$1
	shift
	mkdir -p "$dir/x"
	# shellcheck disable=SC2016 # expanded by the inner sh
	run -0 --separate-stderr env HOME="$CANARY_HOME" SUDO_USER="${SUDO_AS:-canaryuser}" \
		EDRDIAG_REPORT_TIME=20261130T120000Z unshare --uts sh -c \
		'hostname "$1" && shift && exec "$@"' sh "$FQDN" \
		"$EDRDIAG" collect-report --json --output "$dir" "$@"
	printf '%s\n' "$output" >"$dir/summary.json"
	tar xzf "$dir"/edrdiag-report-*.tar.gz -C "$dir/x"
	ROOT=$(find "$dir/x" -mindepth 1 -maxdepth 1 -type d)
	[ -f "$ROOT/manifest.json" ] || fail "no manifest.json in $dir"
}

# absent DIR WORD...: no member (file names included), no byte of the decompressed archive
# and not the JSON summary holds any WORD.
absent() {
	local dir=$1 w
	shift
	for w in "$@"; do
		! grep -rqF -- "$w" "$dir/x" "$dir/summary.json" ||
			fail "'$w' found in: $(grep -rlF -- "$w" "$dir/x" "$dir/summary.json")"
		! tar tzf "$dir"/edrdiag-report-*.tar.gz | grep -qF -- "$w" ||
			fail "'$w' in a member's name"
		! zcat "$dir"/edrdiag-report-*.tar.gz | grep -aqF -- "$w" ||
			fail "'$w' found in the archive"
	done
}

# "id status" of every finding a replay of the bundle at $1 gives for check $2.
verdicts() {
	"$EDRDIAG" "$2" --root "$1" --json | jq -r '.results[] | "\(.id) \(.status)"'
}

@test "canary: the planted secrets are in the kernel log and the mounts, so the test means something" {
	dmesg | grep -qF CANARYKMSGPW1 || skip "dmesg does not show /dev/kmsg lines here"
	grep -qF CANARYMNT4 /proc/mounts || fail "the mount source is not in /proc/mounts"
}

@test "canary: without --redact no planted credential reaches the bundle" {
	collect "$OUT/plain"
	# the planted lines are in the bundle: otherwise the test below proves nothing
	grep -qF edrdiag-canary "$ROOT/commands/dmesg.txt" ||
		skip "dmesg.txt holds no planted line (kernel log not readable here)"
	jq -e 'has("redactions")' "$ROOT/manifest.json" >/dev/null ||
		skip "this build scrubs only with --redact: collect-report's run() must call bundle_redact() on every run (integration of issue 12)"
	absent "$OUT/plain" "${SECRETS[@]}"
	grep -qF 'password=<redacted:secret-' "$ROOT/commands/dmesg.txt" ||
		fail "the key was not kept: $(grep -F edrdiag-canary "$ROOT/commands/dmesg.txt")"
	grep -qF 'https://<redacted:secret-' "$ROOT/proc/mounts" ||
		fail "mount source: $(grep -F tmpfs "$ROOT/proc/mounts")"
	# identity is the user's choice: without --redact the addresses stay
	grep -qF 10.77.1.2 "$ROOT/commands/dmesg.txt" || fail "an address was redacted"
	[ "$(jq '.redactions.secret + .redactions.url_userinfo' "$ROOT/manifest.json")" -ge 3 ] ||
		fail "not counted: $(jq -c .redactions "$ROOT/manifest.json")"
}

@test "canary: with --redact neither credentials nor the host's identity reach the bundle" {
	local a
	collect "$OUT/red" --redact
	grep -qF edrdiag-canary "$ROOT/commands/dmesg.txt" ||
		skip "dmesg.txt holds no planted line (kernel log not readable here)"
	absent "$OUT/red" "${SECRETS[@]}" "${IDENTITY[@]}"
	# the host's own addresses, whatever this machine has
	for a in $(hostname -I 2>/dev/null); do
		case $a in 127.* | ::1) continue ;; esac
		absent "$OUT/red" "$a"
	done
	# the placeholders are what replaced them, one per value across the bundle
	grep -qF 'db.domain-' "$ROOT/commands/dmesg.txt" ||
		fail "domain: $(grep -F edrdiag-canary "$ROOT/commands/dmesg.txt")"
	jq -e '.redactions | .hostname >= 1 and .domain >= 2 and .ipv4 >= 4 and .mac >= 3 and
		.ipv6 >= 1 and .username >= 2 and .secret >= 2 and .url_userinfo >= 2' \
		"$ROOT/manifest.json" >/dev/null ||
		fail "counts: $(jq -c .redactions "$ROOT/manifest.json")"
	# counts only: no value in the manifest's redactions
	jq -e '.redactions | to_entries | all(.value | type == "number")' \
		"$ROOT/manifest.json" >/dev/null || fail "redactions hold values"
}

@test "canary: a redacted bundle replays to the same verdicts, even with a user named as the distribution" {
	local id c
	id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
	[ -n "$id" ] || skip "no ID in /etc/os-release"
	collect "$OUT/plain"
	PLAIN=$ROOT
	# the bug this guards: SUDO_USER=debian turned os-release's ID=debian into ID=user-2
	SUDO_AS=$id collect "$OUT/red" --redact
	grep -qx "ID=\"\\?$id\"\\?" "$ROOT/etc/os-release" ||
		fail "os-release's ID changed: $(grep '^ID=' "$ROOT/etc/os-release")"
	for c in check-kernel check-tracepoints; do
		[ "$(verdicts "$ROOT" "$c")" = "$(verdicts "$PLAIN" "$c")" ] ||
			fail "$c: $(diff <(verdicts "$PLAIN" "$c") <(verdicts "$ROOT" "$c"))"
		[ -n "$(verdicts "$ROOT" "$c")" ] || fail "$c gave no findings"
	done
}

@test "canary: an item cut at --max-item-size loses its cut last word, not a half address" {
	local p last n=0
	collect "$OUT/cut" --redact --max-item-size 4096
	while read -r p; do
		[ -f "$ROOT/$p" ] || continue
		# binary items are stored whole (gzip, NUL bytes): not text, not redacted
		grep -qaxF 'binary: not redacted' <(jq -r --arg p "$p" \
			'.items[] | select(.path == $p) | .note // ""' "$ROOT/manifest.json") && continue
		n=$((n + 1))
		# the end is <cut>, or a blank or punctuation that the cap fell after
		[ "$(tail -c 5 "$ROOT/$p")" = "<cut>" ] && continue
		last=$(tail -c 1 "$ROOT/$p" | od -An -tx1 | tr -d ' \n')
		case $last in
		0a | 20 | 09 | 0d | 22 | 27 | 2c | 3b | 28 | 29 | 5b | 5d | 7b | 7d | 3c | 3e | 3d) ;;
		*) fail "$p ends in a cut word: $(tail -c 40 "$ROOT/$p")" ;;
		esac
	done < <(jq -r '.items[] | select(.truncated) | .path' "$ROOT/manifest.json")
	[ "$n" -ge 1 ] || skip "no text item reached 4096 bytes on this host"
	[ "$(jq '.redactions.cut' "$ROOT/manifest.json")" -ge 1 ] ||
		fail "no cut counted: $(jq -c .redactions "$ROOT/manifest.json")"
}
