#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Live tests of map-dump, with bpftool's JSON as the oracle: tests/tools/mkmaps creates
# populated maps (hash, array, per-CPU hash and array, LRU hash, with BTF; a hash without BTF;
# a .bss-like array; a ring buffer; a program and a prog array) and pins them under a
# directory of its own on bpffs, and every test that made them removes them and checks that
# nothing is left. They need root and bpftool; elsewhere they skip and say why.
#
# Other BPF objects (another test run, a benchmark) may exist at the same time: the test
# maps are found by id, or by a name carrying a random tag, never by position or count.

load helper

MKMAPS=$TOOLS/mkmaps

# A run killed outright (SIGKILL: its teardown never ran) leaves its pins; a later run
# removes those of a suite whose process is gone (edrdiag-test-PID-N), never a live one's.
setup_file() {
	local d pid
	[ "$(id -u)" -eq 0 ] || return 0
	for d in /sys/fs/bpf/edrdiag-test-*-*; do
		[ -d "$d" ] || continue
		pid=${d#/sys/fs/bpf/edrdiag-test-}
		pid=${pid%%-*}
		case $pid in '' | *[!0-9]*) continue ;; esac
		kill -0 "$pid" 2>/dev/null || rm -rf "$d"
	done
}

setup() {
	MAPDIR=
	HOLDER_PID=
	CHURN_PID=
	declare -gA ID=()
	# the unprivileged tests and usage errors need no privilege
	case "$BATS_TEST_DESCRIPTION" in
	unprivileged* | usage*) return ;;
	esac
	require_root
	command -v bpftool >/dev/null || skip "bpftool not installed: it is the oracle"
	[ -x "$MKMAPS" ] || fail "no $MKMAPS: build first (cmake --build build)"
}

teardown() {
	local kind

	local pid
	for pid in $HOLDER_PID $CHURN_PID; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" || true
	done
	[ -n "$MAPDIR" ] || return 0
	rm -rf "$MAPDIR"
	# nothing left pinned, and with no pin and no holder the kernel has freed the maps
	[ ! -e "$MAPDIR" ] || fail "$MAPDIR still exists"
	for kind in "${!ID[@]}"; do
		if [ "$kind" = prog ]; then
			! bpftool prog show id "${ID[$kind]}" >/dev/null 2>&1 ||
				fail "program ${ID[$kind]} still loaded after the test"
		else
			! bpftool map show id "${ID[$kind]}" >/dev/null 2>&1 ||
				fail "map ${ID[$kind]} ($kind) still exists after the test"
		fi
	done
}

# Create the test maps (mkmaps' own options follow) and read their ids into ID[kind].
make_maps() {
	local kind id out

	TAG=$(printf '%05d' $(((RANDOM * 32768 + RANDOM) % 100000)))
	MAPDIR=/sys/fs/bpf/edrdiag-test-$$-$BATS_TEST_NUMBER
	out=$("$MKMAPS" "$MAPDIR" --tag "$TAG" "$@") || fail "mkmaps failed: $out"
	while read -r kind id; do
		[ -n "$id" ] && ID[$kind]=$id
	done <<<"$out"
	[ -n "${ID[hash]:-}${ID[big]:-}" ] || fail "mkmaps printed no ids: $out"
}

# The entries of a dump as a set: every member the two tools share, sorted.
ED_SET='[.entries[] | {key, value, values, formatted}] | sort'
BT_SET='[.[] | {key, value, values, formatted}] | sort'

# map-dump --json --id ID [options] and `bpftool -j map dump id ID` give the same entries.
# Prints map-dump's document on success.
oracle() {
	local id=$1 bt ed n
	shift
	bt=$(bpftool -j map dump id "$id" | jq -S "$BT_SET") ||
		fail "bpftool map dump id $id failed"
	n=$(jq length <<<"$bt")
	[ "$n" -gt 0 ] || fail "bpftool found no entries in map $id: nothing to compare"
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "$id" "$@"
	assert_one_json
	ed=$(jq -S "$ED_SET" <<<"$output")
	if [ "$ed" != "$bt" ]; then
		diff <(jq -c '.[]' <<<"$bt") <(jq -c '.[]' <<<"$ed") | head -20
		fail "map $id: map-dump $* differs from bpftool (< bpftool, > map-dump)"
	fi
	[ "$(jq .count <<<"$output")" -eq "$n" ] ||
		fail "count is not $n: $(jq .count <<<"$output")"
}

# oracle, with batch lookups and key by key; $2 is the method batch lookups should use
oracle_both() {
	local id=$1 method=$2

	oracle "$id"
	[ "$(jq -r .method <<<"$output")" = "$method" ]
	oracle "$id" --no-batch
	[ "$(jq -r .method <<<"$output")" = iterate ]
}

@test "map-dump --json: the hash map's entries are bpftool's, with formatted BTF" {
	make_maps
	oracle_both "${ID[hash]}" batch
	# every kind the formatter renders is there, so the comparison covers it
	jq -e '.entries | map(.formatted) | length == 100 and
	       (map(.value.comm | type) | unique == ["array", "string"]) and
	       (map(.value.kind | type) | unique == ["number", "string"]) and
	       (.[0].value | has("un") and has("prio") and has("ptr") and has("ok"))' <<<"$output"
}

@test "map-dump --json: the array map's entries are bpftool's, zeroed slots included" {
	make_maps
	oracle_both "${ID[array]}" batch
	[ "$(jq '.entries | length' <<<"$output")" -eq 16 ]
	jq -e '[.entries[].formatted.value.name] | index("slot3") and index("")' <<<"$output"
}

@test "map-dump --json: the per-CPU hash map's entries are bpftool's, one value per CPU" {
	local ncpu
	make_maps
	oracle_both "${ID[pcpu]}" batch
	ncpu=$(bpftool -j map dump id "${ID[pcpu]}" | jq '.[0].values | length')
	[ "$ncpu" -ge 1 ]
	jq -e --argjson n "$ncpu" '.entries | all(.values | length == $n) and
	       all(.formatted.values | length == $n) and all(has("value") | not)' <<<"$output"
}

@test "map-dump --json: the LRU hash map's entries are bpftool's, struct keys formatted" {
	make_maps
	oracle_both "${ID[lru]}" batch
	jq -e '.entries | length == 50 and all(.formatted.key | has("pid") and has("tid"))' \
		<<<"$output"
}

@test "map-dump --json: per-CPU array, no BTF, a .bss section and a prog array are bpftool's" {
	make_maps
	oracle_both "${ID[parr]}" batch
	oracle_both "${ID[nobtf]}" batch
	jq -e 'all(.entries[]; has("formatted") | not)' <<<"$output"
	oracle_both "${ID[bss]}" batch
	jq -e '.entries[0].formatted.value[".bss"] == [{"verbosity": 3}, {"drops": 17}]' \
		<<<"$output"
	# no batch lookups for prog arrays: key by key; the value is the program's id
	oracle "${ID[tail]}"
	[ "$(jq -r .method <<<"$output")" = iterate ]
	jq -e --argjson p "${ID[prog]}" '.entries[0].value | map(.[2:] | explode |
		map(if . >= 97 then . - 87 else . - 48 end) | .[0] * 16 + .[1]) |
		.[0] + .[1] * 256 + .[2] * 65536 == $p' <<<"$output"
}

@test "map-dump: the plain dump of a map without BTF is bpftool's plain dump" {
	local ncpu
	make_maps
	run -0 --separate-stderr "$EDRDIAG" map-dump --pinned "$MAPDIR/nobtf"
	[ "${lines[-1]}" = "Found 30 elements" ]
	diff <(bpftool map dump id "${ID[nobtf]}" | sort) <(printf '%s\n' "$output" | sort)
	# per-CPU values: bpftool's "key:" line, then one "value (CPU NN):" line per CPU (bpftool
	# itself prints the BTF rendering instead for a map with BTF: nothing to diff against)
	ncpu=$(bpftool -j map dump id "${ID[parr]}" | jq '.[0].values | length')
	run -0 --separate-stderr "$EDRDIAG" map-dump --id "${ID[parr]}"
	[ "$(grep -c '^key:$' <<<"$output")" -eq 8 ]
	[ "$(grep -cE '^value \(CPU [0-9]{2}\): ([0-9a-f]{2} ){3}[0-9a-f]{2}$' <<<"$output")" -eq \
		$((8 * ncpu)) ]
	assert_line --index 2 "value (CPU 00): 00 00 c0 ab"
	[ "${lines[-1]}" = "Found 8 elements" ]
}

@test "map-dump lists the maps as bpftool map show does: id, type, name, sizes, btf_id" {
	local ours theirs kind
	make_maps
	run -0 --separate-stderr "$EDRDIAG" --json map-dump
	assert_one_json
	ours=$(jq -S --arg p "md${TAG}_" '[.maps[] | select(.name | startswith($p)) |
		{id, type, name, flags, key_size, value_size, max_entries, btf_id, memlock}] |
		sort_by(.id)' <<<"$output")
	# one `map show id` per map: bpftool 7.1's listing of all maps carries the btf_id of the
	# map before over to a map without BTF
	theirs=$(for kind in "${!ID[@]}"; do
		[ "$kind" = prog ] || bpftool -j map show id "${ID[$kind]}"
	done | jq -S -s '[.[] | {id, type, name, flags, key_size: .bytes_key,
		value_size: .bytes_value, max_entries, btf_id: (.btf_id // null),
		memlock: .bytes_memlock}] | sort_by(.id)')
	[ "$(jq length <<<"$theirs")" -eq 11 ] ||
		fail "bpftool shows $(jq length <<<"$theirs") test maps"
	[ "$ours" = "$theirs" ] || fail "list differs: ours $ours; bpftool's $theirs"
	# the holders member is there for every map, and only the ring buffer is not dumpable
	jq -e --arg p "md${TAG}_" '[.maps[] | select(.name | startswith($p))] |
		all(.holders == []) and (map(select(.dumpable | not) | .name) == [$p + "ring"])' \
		<<<"$output"
}

@test "map-dump: the plain list is a table with a header and one row per map" {
	make_maps
	run -0 --separate-stderr "$EDRDIAG" map-dump
	[[ "${lines[0]}" == "ID "*"TYPE "*"NAME "*"FLAGS "*"KEY "*"VALUE "*"MAX_ENTRIES "* ]]
	[[ "${lines[0]}" == *" MEMLOCK "*"BTF "*"HOLDERS" ]]
	assert_line --regexp \
		"^${ID[hash]} +hash +md${TAG}_hash +0x0 +4 +64 +1024 +[0-9.]+[BKM] +[0-9]+ +-\$"
	assert_line --regexp "^${ID[ring]} +ringbuf +md${TAG}_ring +0x0 +0 +0 +16384 .* - +-\$"
}

@test "map-dump names the processes holding a map, with pid and comm" {
	local out=$BATS_TEST_TMPDIR/holder.out _
	TAG=$(printf '%05d' $((RANDOM % 100000)))
	MAPDIR=/sys/fs/bpf/edrdiag-test-$$-$BATS_TEST_NUMBER
	"$MKMAPS" "$MAPDIR" --tag "$TAG" --hold >"$out" &
	HOLDER_PID=$!
	for _ in $(seq 100); do
		grep -qx holding "$out" && break
		sleep 0.05
	done
	grep -qx holding "$out" || fail "mkmaps --hold did not start: $(cat "$out")"
	local kind id
	ID[hash]=$(awk '$1 == "hash" { print $2 }' "$out")
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --pinned "$MAPDIR/hash" --count-only
	assert_one_json
	jq -e --argjson pid "$HOLDER_PID" '.map.holders == [{"pid": $pid, "comm": "mkmaps"}]' \
		<<<"$output"
	run -0 --separate-stderr "$EDRDIAG" map-dump
	assert_line --regexp "^${ID[hash]} .* mkmaps\\($HOLDER_PID\\)\$"
	# the holder gone, the maps are only pinned: no holders
	kill -TERM "$HOLDER_PID"
	wait "$HOLDER_PID" || true
	HOLDER_PID=
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "${ID[hash]}" --count-only
	assert_one_json
	jq -e '.map.holders == []' <<<"$output"
	while read -r kind id; do
		[ -n "$id" ] && ID[$kind]=$id
	done < <(grep -v holding "$out")
}

@test "map-dump --name and --pinned choose the same map as --id" {
	make_maps
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --name "md${TAG}_hash"
	assert_one_json
	[ "$(jq .map.id <<<"$output")" -eq "${ID[hash]}" ]
	[ "$(jq .count <<<"$output")" -eq 100 ]
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --pinned "$MAPDIR/lru"
	assert_one_json
	[ "$(jq .map.id <<<"$output")" -eq "${ID[lru]}" ]
	[ "$(jq .count <<<"$output")" -eq 50 ]
}

@test "map-dump --limit stops after N entries and says there were more" {
	local all
	make_maps
	all=$(bpftool -j map dump id "${ID[hash]}" | jq -c '.[] | {key, value}')
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "${ID[hash]}" --limit 5
	assert_one_json
	jq -e '.count == 5 and (.entries | length) == 5 and .limit == 5 and .truncated and
	       (.notes | any(test("--limit 5")))' <<<"$output"
	# the five are entries of the map
	while read -r e; do
		grep -qxF "$e" <<<"$all" || fail "entry not in the map: $e"
	done < <(jq -c '.entries[] | {key, value}' <<<"$output")
	# a limit the map does not reach: everything, not truncated
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "${ID[hash]}" --limit 100
	assert_one_json
	jq -e '.count == 100 and (.truncated | not) and .notes == []' <<<"$output"
	# plain: three entries, bpftool's last line, the note on stderr
	run -0 --separate-stderr "$EDRDIAG" map-dump --id "${ID[nobtf]}" --limit 3
	[ "$(grep -c '^key: ' <<<"$output")" -eq 3 ]
	[ "${lines[-1]}" = "Found 3 elements" ]
	[[ "$stderr" == *"stopped at --limit 3"* ]]
}

@test "map-dump --count-only counts what bpftool dumps, without the entries" {
	local kind n
	make_maps
	for kind in hash array pcpu lru nobtf; do
		n=$(bpftool -j map dump id "${ID[$kind]}" | jq length)
		run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "${ID[$kind]}" --count-only
		assert_one_json
		jq -e --argjson n "$n" '.count == $n and (has("entries") | not)' <<<"$output" ||
			fail "$kind: $output"
		run -0 --separate-stderr "$EDRDIAG" map-dump --id "${ID[$kind]}" --count-only
		[ "$output" = "$n" ]
	done
}

@test "map-dump of a ring buffer gives its metadata and a note, not an error" {
	make_maps
	run -0 --separate-stderr "$EDRDIAG" --json map-dump --id "${ID[ring]}"
	assert_one_json
	jq -e --argjson id "${ID[ring]}" '.map.id == $id and .map.type == "ringbuf" and
	       (.map.dumpable | not) and .entries == [] and .count == null and
	       (.notes[0] | test("cannot be dumped: a ring buffer has no keys"))' <<<"$output"
	[ -z "$stderr" ]
	run -0 --separate-stderr "$EDRDIAG" map-dump --pinned "$MAPDIR/ring"
	assert_line --regexp "^${ID[ring]} +ringbuf +md${TAG}_ring "
	assert_line --partial "note: ringbuf map ${ID[ring]} cannot be dumped: a ring buffer"
}

@test "map-dump terminates with valid JSON while the hash map changes under it" {
	make_maps --big 20000
	# longer than any dump may take: killed by teardown
	"$MKMAPS" --churn "$MAPDIR/big" 120 &
	CHURN_PID=$!
	sleep 0.2
	for method in "" --no-batch "" --no-batch; do
		# shellcheck disable=SC2086 # no option is no word
		run -0 --separate-stderr timeout 20 "$EDRDIAG" --json map-dump --id "${ID[big]}" \
			$method
		assert_one_json
		# never more keys than a map can hold at once, plus the restart bound; more
		# entries than the map holds, or vanished ones, are said
		jq -e '.count > 0 and .count <= 2 * 20000 + 1024 and
		       (.count <= 20000 or (.notes | any(test("repeated")))) and
		       (.vanished == 0 or (.notes | any(test("deleted while"))))' <<<"$output" ||
			fail "map-dump $method: $(jq -c 'del(.entries, .map)' <<<"$output")"
	done
}

@test "map-dump to a full disk: exit 3, said on stderr, the dump and the list alike" {
	[ -w /dev/full ] || skip "no /dev/full on this host"
	make_maps
	run -3 --separate-stderr bash -c "'$EDRDIAG' --json map-dump --id ${ID[hash]} >/dev/full"
	[[ "$stderr" == *"cannot write output: No space left on device"* ]]
	run -3 --separate-stderr bash -c "'$EDRDIAG' map-dump --id ${ID[nobtf]} >/dev/full"
	[[ "$stderr" == *"cannot write output"* ]]
	run -3 --separate-stderr bash -c "'$EDRDIAG' map-dump >/dev/full"
	[[ "$stderr" == *"cannot write output"* ]]
}

@test "map-dump to a reader that goes away (| head): it stops, and that is no error" {
	make_maps --big 200000
	# SIGPIPE is ignored: the write says EPIPE, the dump stops there, the exit is 0
	run -0 --separate-stderr bash -c "'$EDRDIAG' --json map-dump --id ${ID[big]} | head -c 100 >/dev/null; echo \${PIPESTATUS[0]}"
	assert_output 0
	assert_equal "$stderr" ""
	run -0 --separate-stderr bash -c "'$EDRDIAG' map-dump --id ${ID[big]} | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
	assert_output 0
	assert_equal "$stderr" ""
}

@test "map-dump: bad input is a one-line error naming it, exit 2, one JSON document" {
	make_maps
	local args
	for args in "--id 99999999" "--id ${ID[prog]}" "--name nosuch-$TAG" "--name md${TAG}_twin_long_name" \
		"--pinned /tmp" "--pinned /sys/fs/bpf/nosuch-$TAG" "--pinned $MAPDIR/prog" \
		"--pinned $MAPDIR"; do
		# shellcheck disable=SC2086 # the words of one case
		run -2 --separate-stderr "$EDRDIAG" map-dump $args
		[ -z "$output" ] || fail "$args: stdout: $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "$args: $stderr"
		[[ "$stderr" == *"'${args#* }'"* || "$stderr" == *" ${args#* }:"* ]] ||
			fail "$args: the error does not name the input: $stderr"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" --json map-dump $args
		# a map that is not there, or not a map: the value given cannot be used
		assert_error_doc bad_input
	done
	run -2 --separate-stderr "$EDRDIAG" map-dump --id 99999999
	[[ "$stderr" == *"--id 99999999: no such map" ]]
	# a program's id is not a map's
	run -2 --separate-stderr "$EDRDIAG" map-dump --id "${ID[prog]}"
	[[ "$stderr" == *"no such map (a BPF program has this id"* ]]
	# two maps of one name: both ids listed
	# two maps of one name: both ids listed; the name given in full matches the 15
	# characters the kernel kept of it
	run -2 --separate-stderr "$EDRDIAG" map-dump --name "md${TAG}_twin_long_name"
	[[ "$stderr" == *"2 maps have this name (ids ${ID[twin1]}, ${ID[twin2]})"* ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --name "md${TAG}_twin_lo"
	[[ "$stderr" == *"2 maps have this name"* ]]
	# a name shorter than 15 characters is compared whole, not as a prefix
	run -2 --separate-stderr "$EDRDIAG" map-dump --name "md${TAG}_twin_l"
	[[ "$stderr" == *"no map has this name"* ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --pinned /tmp
	[[ "$stderr" == *"not on a BPF filesystem"* ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --pinned "$MAPDIR/prog"
	[[ "$stderr" == *"a pinned BPF program, not a map"* ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --pinned "/sys/fs/bpf/nosuch-$TAG"
	[[ "$stderr" == *"No such file or directory"* ]]
}

@test "usage errors of map-dump: exit 2 before any privilege check" {
	local args
	for args in "--id abc" "--id 0" "--id -1" "--id 4294967296" "--limit 0 --id 1" \
		"--limit abc --id 1" "--id 1 --name x" "--id 1 --pinned /x" "--id 1 --id 2" \
		"--limit 5" "--count-only" "--no-batch" "--count-only --limit 2 --id 1" \
		"--name=" "extra"; do
		# shellcheck disable=SC2086 # the words of one case
		run -2 --separate-stderr "$EDRDIAG" map-dump $args
		[ -z "$output" ] || fail "$args: stdout: $output"
		[ "${#stderr_lines[@]}" -eq 1 ] || fail "$args: $stderr"
		# shellcheck disable=SC2086
		run -2 --separate-stderr "$EDRDIAG" --json map-dump $args
		assert_error_doc usage
	done
	run -2 --separate-stderr "$EDRDIAG" map-dump --id abc
	[[ "$stderr" == *"--id 'abc': expected a number from 1 to 4294967295" ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --limit 0 --id 1
	[[ "$stderr" == *"--limit '0'"* ]]
	run -2 --separate-stderr "$EDRDIAG" map-dump --id 3 --name foo
	[[ "$stderr" == *"give only one"* ]]
	run -2 --separate-stderr "$EDRDIAG" --root /tmp map-dump
	[[ "$stderr" == *"map-dump reads the running kernel: --root does not apply"* ]]
}


@test "unprivileged map-dump exits 3 naming the missing capabilities" {
	unprivileged map-dump
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == *"map-dump needs BPF privilege: missing CAP_BPF, CAP_PERFMON"* ]]
	unprivileged map-dump --json --id 1
	[ "$status" -eq 3 ]
	assert_one_json
	jq -e '.error.message | test("missing CAP_BPF, CAP_PERFMON")' <<<"$output"
	# a usage error is still a usage error
	unprivileged map-dump --id abc
	[ "$status" -eq 2 ]
}
