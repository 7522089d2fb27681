#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Replay reproduces the host: a bundle collected on this machine, replayed with --root,
# gives check-kernel and check-tracepoints the same status, finding by finding, as the live
# run by the same user; once collected as root, once as uid 65534 without capabilities (who
# may not read tracefs: the replay must say "not readable", as the host did, not "absent").
# The live-only findings replay as the verdicts collected on the host, said to be that.

load helper

# statuses FILE: "id status" per finding of a JSON document, but the replay's own
# (root.bundle, root.refused), sorted.
statuses() {
	jq -r '.results[] | select(.id | startswith("root.") | not) | "\(.id) \(.status)"' "$1" |
		sort
}

# as_nobody CMD...: run edrdiag as uid 65534 without capabilities, from a world-readable copy.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$WORK/bin/edrdiag" "$@"
}

# uid 65534 must reach the bundles and the binary: a world-searchable directory of our own,
# not bats' (whose parents may be 0700)
WORK=/tmp/edrdiag-replay-bats

setup_file() {
	local d

	[ "$(id -u)" -eq 0 ] || return 0
	rm -rf "$WORK"
	mkdir -p "$WORK/root" "$WORK/nobody" "$WORK/bin"
	chmod 755 "$WORK" "$WORK/bin"
	chmod 777 "$WORK/nobody"
	install -m 755 "$EDRDIAG" "$WORK/bin/edrdiag"
	"$EDRDIAG" collect-report --output "$WORK/root" >/dev/null 2>&1 || return 1
	(cd / && as_nobody collect-report --output "$WORK/nobody" >/dev/null 2>&1) || return 1
	for d in root nobody; do
		mkdir -p "$WORK/$d/x"
		tar xzf "$WORK/$d"/edrdiag-report-*.tar.gz -C "$WORK/$d/x"
	done
	# the live runs, by the same users, right after the collection
	for c in check-kernel check-tracepoints; do
		"$EDRDIAG" "$c" --json >"$WORK/live-root-$c.json" 2>/dev/null || true
		(cd / && as_nobody "$c" --json >"$WORK/live-nobody-$c.json" 2>/dev/null) || true
	done
}

teardown_file() {
	rm -rf "$WORK"
}

bundle_of() {
	find "$WORK/$1/x" -mindepth 1 -maxdepth 1 -type d
}

# same USER COMMAND: the replay of USER's bundle equals USER's live run, finding by finding.
same() {
	local who=$1 c=$2 root
	root=$(bundle_of "$who")
	"$EDRDIAG" "$c" --root "$root" --json >"$BATS_TEST_TMPDIR/replay.json" 2>/dev/null || true
	jq -e . "$BATS_TEST_TMPDIR/replay.json" >/dev/null || fail "replay: not JSON"
	validate_json <"$WORK/live-$who-$c.json"
	validate_json <"$BATS_TEST_TMPDIR/replay.json"
	diff <(statuses "$WORK/live-$who-$c.json") \
		<(statuses "$BATS_TEST_TMPDIR/replay.json") ||
		fail "$c: the replay of the $who bundle differs from the live run (above)"
	[ "$(statuses "$BATS_TEST_TMPDIR/replay.json" | wc -l)" -ge 4 ] || fail "too few findings"
	jq -e '.target.kind == "bundle"' "$BATS_TEST_TMPDIR/replay.json" >/dev/null
}

@test "replay of a bundle collected as root: check-kernel as the live run, finding by finding" {
	require_root
	same root check-kernel
	# the live-only findings are the host's, collected, with when and by whom
	jq -e '.results[] | select(.id == "probe.ringbuf") |
		(.title | endswith("(collected on the host)")) and
		(.detail | test("as the host.s own edrdiag found it at 20[0-9-]+T[0-9:]+Z; run by uid 0"))' \
		"$BATS_TEST_TMPDIR/replay.json" >/dev/null ||
		fail "$(jq -c '.results[] | select(.id == "probe.ringbuf")' "$BATS_TEST_TMPDIR/replay.json")"
	# the features rest on the probe collected on the host
	jq -e '.kernel.features.ringbuf.evidence == "collected"' "$BATS_TEST_TMPDIR/replay.json"
}

@test "replay of a bundle collected as root: check-tracepoints as the live run" {
	require_root
	same root check-tracepoints
}

@test "replay of a bundle collected as uid 65534: check-kernel as uid 65534's live run" {
	require_root
	same nobody check-kernel
	jq -e '.results[] | select(.id == "priv.capabilities") | .status == "warn"' \
		"$BATS_TEST_TMPDIR/replay.json" >/dev/null
}

@test "replay of a bundle collected as uid 65534: tracefs not readable, as the host said" {
	require_root
	same nobody check-tracepoints
	jq -e '.results[] | select(.id == "fs.tracefs") | .status == "fail" and
		.title == "tracefs is mounted but not readable" and
		(.detail | contains("not readable by the user who collected the bundle, uid 65534"))' \
		"$BATS_TEST_TMPDIR/replay.json" >/dev/null ||
		fail "$(jq -c '.results[] | select(.id == "fs.tracefs")' "$BATS_TEST_TMPDIR/replay.json")"
	# the bundle says why it lacks tracefs: denied, not absent
	jq -e '.items[] | select(.path == "sys/kernel/tracing/events") |
		.collected == false and .errno == "EACCES"' "$(bundle_of nobody)/manifest.json" >/dev/null
}

@test "replay: every path a replay looks at was collected, or the manifest says why not" {
	require_root
	command -v strace >/dev/null || skip "strace not installed"
	local root c rel bad=0
	for who in root nobody; do
		root=$(bundle_of "$who")
		for c in check-kernel check-tracepoints; do
			# every path resolved beneath the root, as the kernel was asked for it;
			# LeakSanitizer cannot work under ptrace: a sanitizer build runs without it
			ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
				strace -f -y -qq -e trace=openat2 -o "$BATS_TEST_TMPDIR/trace" \
				"$EDRDIAG" "$c" --root "$root" --json >/dev/null 2>&1 || true
			grep -o "openat2([0-9]*<$root>, \"[^\"]*\"" "$BATS_TEST_TMPDIR/trace" |
				sed 's/.*, "//; s/"$//' | sort -u >"$BATS_TEST_TMPDIR/paths"
			[ -s "$BATS_TEST_TMPDIR/paths" ] || fail "$c: no openat2 seen"
			while read -r rel; do
				# an item, a directory above items, or what a replay reads of the bundle
				# itself (its manifest, the host's own edrdiag runs)
				jq -e --arg p "$rel" 'any(.items[].path; . == $p or startswith($p + "/"))
					or $p == "." or $p == "manifest.json"' "$root/manifest.json" \
					>/dev/null && continue
				echo "# $who $c read $rel, which the bundle neither holds nor explains"
				bad=1
			done <"$BATS_TEST_TMPDIR/paths"
		done
	done
	[ "$bad" -eq 0 ]
}
