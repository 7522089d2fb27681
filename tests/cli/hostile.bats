#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A bundle is hostile input: a customer's tarball, replayed with --root on an engineer's
# machine. Each test plants one trap of ../shared/reviews/hostile-input-2026-11.md in a copy of
# a real bundle from this machine (the manifest recomputed, as an attacker would, where the
# trap needs it), then replays check-kernel and check-tracepoints, with openat2 and with the
# walk by hand that kernels before 5.6 get. Every replay must end within 10 s, peak at 64 MB,
# print one valid JSON document whose summary counts its results, print no byte of a file
# outside the root, and name what it refused.

load helper

setup_file() {
	local out=$BATS_FILE_TMPDIR/out archive

	mkdir -p "$out" "$BATS_FILE_TMPDIR/x"
	"$EDRDIAG" collect-report --timeout 5 --output "$out" >/dev/null 2>&1 || return 1
	archive=$(find "$out" -maxdepth 1 -name 'edrdiag-report-*.tar.gz')
	tar xzf "$archive" -C "$BATS_FILE_TMPDIR/x"
}

setup() {
	local orig

	orig=$(find "$BATS_FILE_TMPDIR/x" -mindepth 1 -maxdepth 1 -type d)
	ROOT=$BATS_TEST_TMPDIR/bundle
	cp -a "$orig" "$ROOT"
	# the engineer's own secrets, beside the root: no byte of them may be printed
	OUTSIDE=$BATS_TEST_TMPDIR/engineer
	mkdir -p "$OUTSIDE/proc/sys/kernel"
	CANARY="CANARY-$RANDOM$RANDOM"
	echo "root:$CANARY:20228:0:99999:7:::" >"$OUTSIDE/shadow"
	echo "$CANARY" >"$OUTSIDE/proc/sys/kernel/osrelease"
	printf 'CONFIG_BPF=%s\nCONFIG_BPF_SYSCALL=y\n' "$CANARY" >"$OUTSIDE/x.config"
}

# remanifest: recompute every collected item's size and sha256, as an attacker would, so
# that root.bundle does not flag the edit and only the traps themselves are in play.
remanifest() {
	local m=$ROOT/manifest.json p sum bytes
	cp "$m" "$BATS_TEST_TMPDIR/m.json"
	while read -r p; do
		if [ ! -f "$ROOT/$p" ] || [ -L "$ROOT/$p" ]; then
			continue
		fi
		bytes=$(stat -c %s "$ROOT/$p")
		# a sparse giant is announced, not hashed: the attacker cannot hash 1 TB either
		if [ "$bytes" -gt $((64 << 20)) ]; then
			sum=$(printf '%064d' 0)
		else
			sum=$(sha256sum "$ROOT/$p" | cut -d' ' -f1)
		fi
		jq --arg p "$p" --arg s "$sum" --argjson b "$bytes" \
			'(.items[] | select(.path == $p)) |= (.bytes = $b | .sha256 = $s)' \
			"$BATS_TEST_TMPDIR/m.json" >"$BATS_TEST_TMPDIR/m2.json"
		mv "$BATS_TEST_TMPDIR/m2.json" "$BATS_TEST_TMPDIR/m.json"
	done < <(jq -r '.items[] | select(.collected) | .path' "$m")
	cp "$BATS_TEST_TMPDIR/m.json" "$m"
}

# add_item PATH: list a file planted in the tree as collected (then remanifest).
add_item() {
	jq --arg p "$1" '.items += [{"path": $p, "kind": "file", "collected": true, "bytes": 0,
		"sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]' \
		"$ROOT/manifest.json" >"$BATS_TEST_TMPDIR/m.json"
	mv "$BATS_TEST_TMPDIR/m.json" "$ROOT/manifest.json"
}

# replay COMMAND [ARGS]: COMMAND --root $ROOT --json, with openat2 and with the walk by
# hand; each bounded in time, measured, and checked. Leaves the last run's $output.
replay() {
	local cmd=$1 walk rss
	shift
	for walk in 0 1; do
		run --separate-stderr env EDRDIAG_NO_OPENAT2=$walk timeout -k 1 10 \
			/usr/bin/time -f '%e %M' -o "$BATS_TEST_TMPDIR/rss" \
			"$EDRDIAG" "$cmd" --root "$ROOT" --json "$@"
		if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
			fail "$cmd (walk $walk) did not end within 10 s"
		fi
		[ "$status" -le 3 ] || fail "$cmd (walk $walk) died: exit $status: $stderr"
		assert_one_json
		rss=$(tail -n 1 "$BATS_TEST_TMPDIR/rss" | cut -d' ' -f2)
		[ "$rss" -le 65536 ] || fail "$cmd (walk $walk): peak RSS $rss KB, over 64 MB"
		# HOSTILE_FIGURES=FILE: each replay's seconds and peak RSS, for the record
		if [ -n "${HOSTILE_FIGURES:-}" ]; then
			printf '%s\t%s\twalk=%s\t%s\n' "$BATS_TEST_DESCRIPTION" "$cmd" "$walk" \
				"$(tail -n 1 "$BATS_TEST_TMPDIR/rss")" >>"$HOSTILE_FIGURES"
		fi
		if grep -q "$CANARY" <<<"$output$stderr"; then
			fail "$cmd (walk $walk) printed a file from outside the root"
		fi
		jq -e '(.results | length) == (.summary | add)' <<<"$output" >/dev/null ||
			fail "$cmd (walk $walk): summary does not count the results"
	done
}

# refused PATH WORDS: root.refused fails and names PATH with WORDS in its reason.
refused() {
	assert_equal "$(status_of root.refused)" fail
	jq -e --arg p "$1" --arg w "$2" '.refused[] | select(.path == $p and (.why | contains($w)))' \
		<<<"$output" >/dev/null || fail "not refused: $1 ($2): $(jq -c .refused <<<"$output")"
	[[ $(field_of root.refused detail) == *"$1: "*"$2"* ]] ||
		fail "root.refused does not name $1: $(field_of root.refused detail)"
}

@test "hostile: a link to the engineer's /etc/shadow is refused, never read" {
	ln -sf "$OUTSIDE/shadow" "$ROOT/sys/kernel/security/lockdown"
	replay check-kernel
	refused /sys/kernel/security/lockdown "leads out of the root"
	assert_equal "$(status_of kernel.lockdown)" skip
	# even with the manifest gone, nothing is read through it
	rm "$ROOT/manifest.json"
	replay check-kernel
	refused /sys/kernel/security/lockdown "leads out of the root"
}

@test "hostile: proc -> /proc (the engineer's own host) is refused, not replayed" {
	rm -rf "$ROOT/proc"
	ln -s /proc "$ROOT/proc"
	replay check-kernel
	refused /proc/sys/kernel/osrelease "leads out of the root"
	# the release is unknown, not the live one; the features rest on the run collected on
	# the host (its probes), which the manifest vouches for
	assert_equal "$(jq -r .target.release <<<"$output")" null
	[[ $(field_of kernel.release detail) == "release unknown; judged by stronger evidence;"* ]] ||
		fail "$(field_of kernel.release detail)"
	assert_equal "$(jq -r .kernel.features.ringbuf.evidence <<<"$output")" collected
	replay check-tracepoints
	refused /proc/mounts "leads out of the root"
	# a relative link that climbs out is the same
	rm "$ROOT/proc"
	ln -s "../../../../../../../../../../$OUTSIDE/proc" "$ROOT/proc"
	replay check-kernel
	refused /proc/sys/kernel/osrelease "leads out of the root"
}

@test "hostile: a release of '6.1.0/../../..' never becomes a path" {
	local rel
	rm -f "$ROOT"/boot/config-* "$ROOT/proc/config.gz"
	# from the root's boot/ to the engineer's x.config
	rel="6.1.0/../../../../../../../../../..$OUTSIDE/x"
	mkdir -p "$ROOT/boot/config-6.1.0"
	printf '%s\n' "$rel" >"$ROOT/proc/sys/kernel/osrelease"
	ln -s "$OUTSIDE/x.config" "$OUTSIDE/x" 2>/dev/null || true
	remanifest
	replay check-kernel
	refused /proc/sys/kernel/osrelease "not a plain name"
	# the config was not looked for under that name
	jq -e '.kernel_config.tried | map(.path) | all(startswith("/boot/config-") | not)' \
		<<<"$output" >/dev/null || fail "tried: $(jq -c .kernel_config.tried <<<"$output")"
}

@test "hostile: a tracefs mount point in proc/mounts never leads to the engineer's tracefs" {
	rm -rf "$ROOT/sys/kernel/tracing" "$ROOT/sys/kernel/debug"
	printf 'nodev /../../../../../../../../sys/kernel/tracing tracefs rw 0 0\n' \
		>"$ROOT/proc/mounts"
	jq '.items |= map(select(.path | startswith("sys/kernel/tracing") or startswith("sys/kernel/debug") | not))' \
		"$ROOT/manifest.json" >"$BATS_TEST_TMPDIR/m.json"
	mv "$BATS_TEST_TMPDIR/m.json" "$ROOT/manifest.json"
	remanifest
	replay check-tracepoints
	refused /proc/mounts "tracefs mount point"
	assert_equal "$(jq -r .tracing.tracefs <<<"$output")" null
	assert_equal "$(status_of fs.tracefs)" fail
	assert_equal "$(status_of tracepoint.sched/sched_process_exec)" skip
}

@test "hostile: a FIFO where a file was collected neither hangs nor is opened" {
	rm "$ROOT/proc/mounts"
	mkfifo "$ROOT/proc/mounts"
	replay check-kernel
	refused /proc/mounts "a FIFO, not a regular file"
	assert_equal "$(status_of fs.bpffs)" skip
	replay check-tracepoints
	refused /proc/mounts "a FIFO"
}

@test "hostile: a device node where a file was collected is never opened" {
	require_root
	rm "$ROOT/proc/mounts" "$ROOT/proc/sys/kernel/osrelease"
	# /dev/zero would never end, /dev/tty would take the terminal
	mknod "$ROOT/proc/mounts" c 1 5
	ln -s /dev/tty "$ROOT/proc/sys/kernel/osrelease"
	replay check-kernel
	refused /proc/mounts "a character device, not a regular file"
	refused /proc/sys/kernel/osrelease "leads out of the root"
}

@test "hostile: a sparse 100 GB os-release is refused by its size, and the JSON is whole" {
	local f
	f=$(jq -r '.items[] | select(.collected and (.path | endswith("os-release"))) | .path' \
		"$ROOT/manifest.json" | head -n 1)
	[ -n "$f" ] || fail "no os-release collected"
	truncate -s 100G "$ROOT/$f"
	remanifest
	replay check-kernel
	refused "/$f" "107374182400 bytes, over the"
	assert_equal "$(status_of host.distro)" skip
}

@test "hostile: a 60 MB proc/mounts is refused before it costs memory" {
	yes 'a b c' | head -c 60000000 >"$ROOT/proc/mounts"
	remanifest
	replay check-kernel
	refused /proc/mounts "60000000 bytes, over the"
	replay check-tracepoints
	refused /proc/mounts "over the"
}

@test "hostile: a config.gz that inflates to 300 MB stops at the cap" {
	rm -f "$ROOT"/boot/config-*
	yes CONFIG_A=y | head -c 300000000 | gzip -9 >"$ROOT/proc/config.gz"
	# a bomb: 300 MB in under 600 KB
	[ "$(stat -c %s "$ROOT/proc/config.gz")" -lt 600000 ]
	jq '.items |= map(select(.path | startswith("boot/config-") | not))' "$ROOT/manifest.json" \
		>"$BATS_TEST_TMPDIR/m.json"
	mv "$BATS_TEST_TMPDIR/m.json" "$ROOT/manifest.json"
	grep -q '"proc/config.gz"' "$ROOT/manifest.json" || add_item proc/config.gz
	remanifest
	replay check-kernel
	assert_equal "$(status_of kconfig.CONFIG_BPF)" skip
	[[ $(field_of kconfig.CONFIG_BPF detail) == *"/proc/config.gz: gzip data expands past 4 MiB"* ]] ||
		fail "$(field_of kconfig.CONFIG_BPF detail)"
}

@test "hostile: a 46 MB manifest of 600,000 items is refused by its size" {
	python3 - "$ROOT/manifest.json" <<-'EOF'
		import json, sys
		items = [{"path": "x/%d" % i, "collected": False, "why": "w" * 20} for i in range(600000)]
		json.dump({"name": "n", "items": items}, open(sys.argv[1], "w"))
	EOF
	[ "$(stat -c %s "$ROOT/manifest.json")" -gt 40000000 ]
	replay check-kernel
	assert_equal "$(status_of root.bundle)" fail
	[[ $(field_of root.bundle detail) == *"more than the 1048576 edrdiag writes at most"* ]] ||
		fail "$(field_of root.bundle detail)"
	# within the size, too many items is refused as well
	python3 - "$ROOT/manifest.json" <<-'EOF'
		import json, sys
		items = [{"path": "x%d" % i, "collected": False} for i in range(20000)]
		json.dump({"name": "n", "items": items}, open(sys.argv[1], "w"))
	EOF
	replay check-tracepoints
	[[ $(field_of root.bundle detail) == *"items: 20000, more than the 10000"* ]] ||
		fail "$(field_of root.bundle detail)"
}

@test "hostile: a sparse 1 TB member is announced in the manifest, and not hashed" {
	mkdir -p "$ROOT/proc/junk"
	truncate -s 1T "$ROOT/proc/junk/big"
	add_item proc/junk/big
	remanifest
	replay check-kernel
	assert_equal "$(status_of root.bundle)" warn
	jq -e '.bundle.unverified[] | select(.path == "proc/junk/big" and (.problem | contains("not hashed")))' \
		<<<"$output" >/dev/null || fail "unverified: $(jq -c .bundle.unverified <<<"$output")"
}

@test "hostile: 300 mutants of a BTF file never crash check-tracepoints" {
	local i rc
	"$TOOLS/mkbtf" "$BATS_TEST_TMPDIR/vmlinux" || fail "mkbtf"
	python3 - "$BATS_TEST_TMPDIR/vmlinux" "$BATS_TEST_TMPDIR/mutants" <<-'EOF'
		import os, random, sys
		data = open(sys.argv[1], "rb").read()
		os.makedirs(sys.argv[2])
		rng = random.Random(20261130)
		for i in range(300):
		    b = bytearray(data)
		    for _ in range(rng.randint(1, 8)):
		        pos = rng.randrange(24, len(b))
		        b[pos] = rng.randrange(256) if rng.random() < 0.7 else 0xff
		    open(os.path.join(sys.argv[2], "%03d" % i), "wb").write(b)
	EOF
	for i in "$BATS_TEST_TMPDIR"/mutants/*; do
		cp "$i" "$ROOT/sys/kernel/btf/vmlinux"
		rc=0
		timeout 10 "$EDRDIAG" check-tracepoints --root "$ROOT" --json >"$BATS_TEST_TMPDIR/out" \
			2>/dev/null || rc=$?
		[ "$rc" -le 1 ] || fail "mutant $(basename "$i"): exit $rc"
		jq -e .results "$BATS_TEST_TMPDIR/out" >/dev/null || fail "mutant $(basename "$i"): not JSON"
		cat "$BATS_TEST_TMPDIR/out" >>"$BATS_TEST_TMPDIR/all"
	done
	# every mutant's document against the schema, in one run of the validator
	validate_json --lines <"$BATS_TEST_TMPDIR/all"
	# the measured run, on the last one
	replay check-tracepoints
}

@test "hostile: terminal escapes from the bundle are shown escaped, never sent raw" {
	local f
	f=$(jq -r '.items[] | select(.collected and (.path | endswith("os-release"))) | .path' \
		"$ROOT/manifest.json" | head -n 1)
	printf 'PRETTY_NAME="\e]0;PWNED\a\e[2J\e[32mALL GOOD\e[0m"\nID=debian\n' >"$ROOT/$f"
	printf '6.1.0-\e[2J\n' >"$ROOT/proc/sys/kernel/osrelease"
	remanifest
	run --separate-stderr "$EDRDIAG" --no-color check-kernel --root "$ROOT"
	if printf '%s' "$output" | grep -q $'[\x1b\x07]'; then
		fail "raw ESC or BEL in the plain output"
	fi
	assert_output --partial '\x1b]0;PWNED\x07\x1b[2J'
	replay check-kernel
	assert_equal "$(field_of host.distro title)" $'\e]0;PWNED\a\e[2J\e[32mALL GOOD\e[0m'
}

@test "hostile: text that is not UTF-8 is kept in --json, never dropped" {
	local f
	f=$(jq -r '.items[] | select(.collected and (.path | endswith("os-release"))) | .path' \
		"$ROOT/manifest.json" | head -n 1)
	printf 'PRETTY_NAME="Deb\xe9ian"\nID=debian\n' >"$ROOT/$f"
	rm -f "$ROOT"/boot/config-*
	printf 'CONFIG_BPF=\xff\n' | gzip >"$ROOT/proc/config.gz"
	grep -q '"proc/config.gz"' "$ROOT/manifest.json" || add_item proc/config.gz
	remanifest
	replay check-kernel
	assert_equal "$(field_of host.distro title)" 'Deb\xe9ian'
	assert_equal "$(jq -r .kernel.distro <<<"$output")" 'Deb\xe9ian'
	# the failing finding is there to be read
	assert_equal "$(status_of kconfig.CONFIG_BPF)" fail
	[[ $(field_of kconfig.CONFIG_BPF title) == 'CONFIG_BPF=\xff: not '* ]] ||
		fail "$(field_of kconfig.CONFIG_BPF title)"
}

@test "hostile: a usage error quoting bytes that are not UTF-8 is still one JSON document" {
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel $'--x\xff'
	assert_one_json
	[[ $(jq -r .error.message <<<"$output") == *'--x\xff'* ]] || fail "$output"
	run -2 --separate-stderr "$EDRDIAG" --json check-kernel --root $'/nonexistent/\xff'
	assert_one_json
}
