#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# root.bundle: check-kernel and check-tracepoints --root <unpacked bundle> verify the tree
# against its manifest.json before replaying it. A bundle as collected passes; a changed,
# removed or added file fails and is named, and so is a damaged manifest; an item the host
# did not give is reported as such; a plain sysroot (no manifest) gets no finding.

load helper

# One real bundle from this machine for the whole file; each test changes its own copy.
setup_file() {
	local out=$BATS_FILE_TMPDIR/out archive

	mkdir -p "$out" "$BATS_FILE_TMPDIR/x"
	"$EDRDIAG" collect-report --timeout 5 --output "$out" >/dev/null 2>&1 ||
		return 1
	archive=$(find "$out" -maxdepth 1 -name 'edrdiag-report-*.tar.gz')
	tar xzf "$archive" -C "$BATS_FILE_TMPDIR/x"
}

setup() {
	local orig

	orig=$(find "$BATS_FILE_TMPDIR/x" -mindepth 1 -maxdepth 1 -type d)
	[ -f "$orig/manifest.json" ] || fail "no manifest.json in the collected bundle"
	ROOT=$BATS_TEST_TMPDIR/$(basename "$orig")
	cp -a "$orig" "$ROOT"
}

# One member of the root.bundle finding in the JSON on $output.
bundle_field() {
	field_of root.bundle "$1"
}

# The exit status of a command's replay with the manifest out of the way: what the host's
# own verdicts give, so that a test can tell the bundle's part in the status.
host_rc() {
	local rc=0

	mv "$ROOT/manifest.json" "$BATS_TEST_TMPDIR/manifest.json"
	"$EDRDIAG" "$@" --root "$ROOT" >/dev/null 2>&1 || rc=$?
	mv "$BATS_TEST_TMPDIR/manifest.json" "$ROOT/manifest.json"
	echo "$rc"
}

# Collected items of the manifest, bundle paths, one a line.
collected() {
	jq -r '.items[] | select(.collected) | .path' "$ROOT/manifest.json"
}

@test "root.bundle: a bundle as collected passes, first, in JSON and plain output" {
	# as root every host file is readable: nothing the replay reads is left out
	require_root
	local n name ver rc c
	n=$(collected | wc -l)
	name=$(jq -r .name "$ROOT/manifest.json")
	ver=$(jq -r .edrdiag "$ROOT/manifest.json")
	[ "$n" -ge 20 ] || fail "only $n items collected"
	for c in check-kernel check-tracepoints; do
		rc=$(host_rc "$c")
		run_json "$rc" "$c"
		assert_equal "$(status_of root.bundle)" pass
		assert_equal "$(bundle_field title)" \
			"bundle $name from edrdiag $ver: $n files match the manifest"
		assert_equal "$(jq -r '.results[0].id' <<<"$output")" root.bundle
		assert_equal "$(bundle_field guide)" 8.1
		assert_equal "$(jq -c '[.bundle.name, .bundle.matched, .bundle.changed,
			.bundle.added]' <<<"$output")" "[\"$name\",$n,[],[]]"
		run -"$rc" --separate-stderr "$EDRDIAG" --no-color "$c" --root "$ROOT"
		assert_line --regexp "^PASS +root\.bundle +bundle $name from edrdiag"
	done
}

@test "root.bundle: one byte changed in a collected file fails, naming the file" {
	local size
	size=$(stat -c %s "$ROOT/proc/version")
	[ "$size" -gt 10 ] || fail "proc/version has $size bytes"
	# same size, one byte different: only the digest can tell
	printf 'X' | dd of="$ROOT/proc/version" bs=1 seek=5 conv=notrunc status=none
	assert_equal "$(stat -c %s "$ROOT/proc/version")" "$size"
	run_json 1 check-kernel
	assert_equal "$(status_of root.bundle)" fail
	assert_equal "$(jq -r .status <<<"$output")" fail
	[[ $(bundle_field title) == *"was changed after collection: 1 of "*" files differ" ]] ||
		fail "title: $(bundle_field title)"
	[[ $(bundle_field detail) == "changed since collection: proc/version (sha256 differs)"* ]] ||
		fail "detail: $(bundle_field detail)"
	assert_equal "$(jq -c .bundle.changed <<<"$output")" \
		'[{"path":"proc/version","problem":"sha256 differs"}]'
	# the replay goes on: the host's checks are all there
	[ -n "$(status_of kernel.release)" ] || fail "no kernel.release after root.bundle"
	run -1 --separate-stderr "$EDRDIAG" --no-color check-tracepoints --root "$ROOT"
	assert_line --regexp '^FAIL +root\.bundle +bundle .* was changed after collection'
	assert_line --partial 'proc/version (sha256 differs)'
}

@test "root.bundle: a collected file removed, or grown, fails" {
	local gone
	gone=$(collected | grep -m1 '^etc/\|^usr/lib/') || fail "no os-release collected"
	rm "$ROOT/$gone"
	echo more >>"$ROOT/proc/mounts"
	run_json 1 check-kernel
	assert_equal "$(status_of root.bundle)" fail
	[[ $(bundle_field detail) == *"$gone (missing)"* ]] || fail "$(bundle_field detail)"
	[[ $(bundle_field detail) == *"proc/mounts ("*" bytes, collected "* ]] ||
		fail "$(bundle_field detail)"
	assert_equal "$(jq '.bundle.changed | length' <<<"$output")" 2
}

@test "root.bundle: a file added to the tree, or a link in place of one, fails" {
	mkdir -p "$ROOT/boot"
	echo CONFIG_BPF=y >"$ROOT/boot/config-9.9.9"
	ln -sf /proc/version "$ROOT/proc/version"
	# the engineer's own notes at the top are not the host's files: not flagged
	echo "called the customer" >"$ROOT/notes.txt"
	run_json 1 check-kernel
	assert_equal "$(status_of root.bundle)" fail
	[[ $(bundle_field detail) == *"proc/version (a symbolic link where a file was collected)"* ]] ||
		fail "$(bundle_field detail)"
	jq -e '.bundle.added | index("boot/") or index("boot/config-9.9.9")' <<<"$output" \
		>/dev/null || fail "added: $(jq -c .bundle.added <<<"$output")"
	[[ $(bundle_field detail) != *notes.txt* ]] || fail "$(bundle_field detail)"
}

@test "root.bundle: a damaged manifest.json fails with the parse error; the replay goes on" {
	head -c 200 "$ROOT/manifest.json" >"$ROOT/m" && mv "$ROOT/m" "$ROOT/manifest.json"
	run_json 1 check-kernel
	assert_equal "$(status_of root.bundle)" fail
	assert_equal "$(bundle_field title)" "the bundle's manifest.json is damaged"
	[[ $(bundle_field detail) == "manifest.json: not JSON: line "*"; the bundle was damaged"* ]] ||
		fail "detail: $(bundle_field detail)"
	[ -n "$(status_of kernel.release)" ] || fail "the replay stopped at the manifest"
	assert_equal "$(jq .bundle <<<"$output")" null

	# valid JSON, not what edrdiag writes: the member at fault is named
	jq '.items[3].sha256 = "xyz"' "$BATS_FILE_TMPDIR"/x/*/manifest.json >"$ROOT/manifest.json"
	jq -e '.items[3].collected' "$ROOT/manifest.json" >/dev/null || skip "items[3] not collected"
	run_json 1 check-tracepoints
	[[ $(bundle_field detail) == "manifest.json: items[3].sha256: not 64 hex digits;"* ]] ||
		fail "detail: $(bundle_field detail)"
	jq '.items[0].path = "../../etc/passwd"' "$BATS_FILE_TMPDIR"/x/*/manifest.json \
		>"$ROOT/manifest.json"
	run_json 1 check-kernel
	[[ $(bundle_field detail) == "manifest.json: items[0].path '../../etc/passwd': escapes the bundle;"* ]] ||
		fail "detail: $(bundle_field detail)"
	# in Chinese the message keeps its words, and the quoted UTF-8 its characters: only
	# controls and bytes that are not UTF-8 become '?' (all of it did, before)
	jq '.items[0].path = "../é-passwd"' "$BATS_FILE_TMPDIR"/x/*/manifest.json \
		>"$ROOT/manifest.json"
	run_json 1 --lang zh check-kernel
	[[ $(bundle_field detail) == "manifest.json：items[0].path '../é-passwd'：跳出了诊断包；"* ]] ||
		fail "detail: $(bundle_field detail)"
	[[ $(bundle_field detail) != *"?"* ]] || fail "scrubbed: $(bundle_field detail)"
}

@test "root.bundle: no manifest.json (a plain sysroot) gives no finding" {
	rm "$ROOT/manifest.json"
	run_json "$(host_rc check-kernel)" check-kernel
	assert_equal "$(status_of root.bundle)" ""
	assert_equal "$(jq 'has("bundle")' <<<"$output")" false
	ROOT=$FIXTURES/healthy-6x
	run_json 0 check-tracepoints
	assert_equal "$(status_of root.bundle)" ""
	# and the live host has none either
	run --separate-stderr "$EDRDIAG" check-kernel --json
	assert_one_json
	assert_equal "$(status_of root.bundle)" ""
}

@test "root.bundle: a host file that was not collected is reported as such" {
	local rc
	# as if the customer's host had refused to give /proc/mounts
	jq '(.items[] | select(.path == "proc/mounts")) |= (.collected = false | .bytes = null |
		.sha256 = null | .why = "permission denied")' "$ROOT/manifest.json" >"$ROOT/m"
	mv "$ROOT/m" "$ROOT/manifest.json"
	rm "$ROOT/proc/mounts"
	rc=$(host_rc check-kernel)
	run_json "$rc" check-kernel
	assert_equal "$(status_of root.bundle)" warn
	[[ $(bundle_field title) == *"; 1 host file not collected in full" ]] ||
		fail "title: $(bundle_field title)"
	[[ $(bundle_field detail) == *"not collected on the host: /proc/mounts (permission denied)"* ]] ||
		fail "detail: $(bundle_field detail)"
	jq -e '.bundle.not_collected[] | select(.path == "proc/mounts" and
		.why == "permission denied" and .replayed)' <<<"$output" >/dev/null ||
		fail "not_collected: $(jq -c .bundle.not_collected <<<"$output")"
	# what reads it says the file is missing, which is the bundle's doing, not the host's
	assert_equal "$(status_of fs.bpffs)" skip
	# a warning: --strict makes it count
	run -1 --separate-stderr "$EDRDIAG" --strict check-kernel --root "$ROOT"
}
