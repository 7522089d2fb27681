#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# verify.sh: load every corpus object on this kernel and check the outcome against the
# header of its source (README.md):
#     // expect: load                         it loads (and its tracing programs attach)
#     // expect: fail CAUSE-ID STAGE          it fails, at STAGE
#     // log: TEXT                           (fail) a line of the log that must contain TEXT
#     // unprivileged: fail CAUSE-ID STAGE    optional: run again as uid 65534
#     // unprivileged-log: TEXT               (with unprivileged) as log:, for that run
# the header is the file's first lines of this form, "// expect:" first.
# Each object goes through corpus_load (open, load, attach for a moment, detach, close:
# nothing stays loaded, nothing is pinned, so no bpffs directory is used). Prints one row per
# run: program, expected and actual verdict/stage, errno, and the log line that says why; a
# run matches when verdict, stage and the log: text all agree. Exit 0 if every row matches,
# 1 on any mismatch, 2 on bad usage or a malformed header, 77 if not root (CTest: skipped).
#
#   verify.sh [--objects DIR] [--loader PATH] [--sources DIR] [--save-logs DIR] [NAME...]
#
# --objects: the compiled *.bpf.o (default build/tests/bpfcorpus), --loader: corpus_load
# (default DIR/corpus_load), --sources: the *.bpf.c with the headers (default: beside this
# script), --save-logs: write each failing run's log to DIR/NAME.log (a log over 2000 lines
# keeps its first and last 1000, with one line in between saying how many were left out).
# NAMEs limit the run to those programs (file names without .bpf.c).
set -u

here=$(cd "$(dirname "$0")" && pwd)
objects=$here/../../build/tests/bpfcorpus
sources=$here
loader=
savelogs=
names=()

die() {
	echo "verify.sh: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--objects) [ $# -ge 2 ] || die "--objects needs a directory"; objects=$2; shift 2 ;;
	--loader) [ $# -ge 2 ] || die "--loader needs a path"; loader=$2; shift 2 ;;
	--sources) [ $# -ge 2 ] || die "--sources needs a directory"; sources=$2; shift 2 ;;
	--save-logs) [ $# -ge 2 ] || die "--save-logs needs a directory"; savelogs=$2; shift 2 ;;
	-h | --help) sed -n '3,22p' "$0"; exit 0 ;;
	-*) die "unknown option '$1'" ;;
	*) names+=("$1"); shift ;;
	esac
done
[ -n "$loader" ] || loader=$objects/corpus_load
[ -d "$objects" ] || die "no objects directory '$objects' (build first)"
[ -x "$loader" ] || die "no loader '$loader' (build the corpus_load target)"
[ -d "$sources" ] || die "no sources directory '$sources'"
[ -z "$savelogs" ] || [ -d "$savelogs" ] || die "no log directory '$savelogs'"
if [ "$(id -u)" -ne 0 ]; then
	echo "verify.sh: needs root (uid $(id -u)): it loads BPF programs" >&2
	exit 77
fi

work=$(mktemp -d /tmp/edrdiag-corpus.XXXXXX) || die "cannot make a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

stages='open|relocation|load|attach|permission'
idre='^(verifier|libbpf|attach|perm)\.[a-z0-9-]+$'

# check_expect FILE TEXT: TEXT is "load" or "fail ID STAGE"; prints it back normalised
check_expect() {
	local f=$1 verdict id stage extra
	read -r verdict id stage extra <<<"$2"
	case $verdict in
	load) [ -z "$id" ] || die "$f: 'load' takes nothing after it: '$2'" ;;
	fail)
		[[ $id =~ $idre ]] || die "$f: '$id' is not a cause id (category.name)"
		[[ $stage =~ ^($stages)$ ]] || die "$f: stage '$stage' is not one of ${stages//|/, }"
		[ -z "$extra" ] || die "$f: unexpected '$extra' after the stage"
		;;
	*) die "$f: expect 'load' or 'fail CAUSE STAGE', not '$2'" ;;
	esac
	echo "$verdict $id $stage"
}

# why OUT: the log line that names the failure: the verifier's last word before its
# statistics, else libbpf's last specific complaint
why() {
	local out=$1 line
	line=$(sed -n '/-- BEGIN PROG LOAD LOG --/,/-- END PROG LOAD LOG --/p' "$out" |
		grep -v -e '-- \(BEGIN\|END\) PROG LOAD LOG --' -e '^processed [0-9]* insns' \
			-e '^verification time' -e '^stack depth' -e '^$' | tail -n 1)
	if [ -z "$line" ]; then
		line=$(grep '^libbpf: ' "$out" | grep -v -e 'failed to load object' \
			-e 'failed to load: -' -e 'failed to prepare load attributes' \
			-e 'BPF program load failed' | tail -n 1)
	fi
	printf '%s' "${line:0:110}" | LC_ALL=C tr -c '[:print:]' '?'
}

save_log() {
	local out=$1 dest=$2 n
	n=$(grep -c '' "$out")
	if [ "$n" -gt 2000 ]; then
		{
			head -n 1000 "$out"
			echo "[verify.sh: $((n - 2000)) lines left out]"
			tail -n 1000 "$out"
		} >"$dest"
	else
		cp "$out" "$dest"
	fi
}

rows=0 bad=0 fails=0 loads=0

run() { # run NAME OBJ EXPECT-LINE LOG-TEXT [--uid N]
	local name=$1 obj=$2 expect=$3 logtext=$4 verdict id stage got gstage gerrno out mark
	shift 4
	read -r verdict id stage <<<"$expect"
	out=$work/$name.out
	"$loader" --attach "$@" "$obj" >"$out" 2>&1
	local last
	last=$(tail -n 1 "$out")
	got=- gstage=- gerrno=-
	if [ "$last" = "verdict load" ]; then
		got=load
	elif [[ $last =~ ^verdict\ fail\ stage=([a-z]+)\ errno=([0-9]+)$ ]]; then
		got=fail gstage=${BASH_REMATCH[1]} gerrno=${BASH_REMATCH[2]}
	else
		got=error
	fi
	mark=
	if [ "$got" != "$verdict" ] || { [ "$verdict" = fail ] && [ "$gstage" != "$stage" ]; }; then
		mark='  <-- MISMATCH'
	elif [ -n "$logtext" ] && ! grep -qF -- "$logtext" "$out"; then
		mark="  <-- MISMATCH: no log line has '$logtext'"
	fi
	[ -z "$mark" ] || bad=$((bad + 1))
	[ "$rows" -gt 0 ] ||
		printf '%-24s %-6s %-11s %-6s %-11s %-5s %s\n' PROGRAM EXPECT STAGE GOT STAGE ERRNO WHY
	rows=$((rows + 1))
	[ "$got" = fail ] && fails=$((fails + 1))
	[ "$got" = load ] && loads=$((loads + 1))
	printf '%-24s %-6s %-11s %-6s %-11s %-5s %s%s\n' "$name" "$verdict" "${stage:--}" \
		"$got" "$gstage" "$gerrno" "$(why "$out")" "$mark"
	if [ -n "$savelogs" ] && [ "$got" = fail ]; then
		head -n -1 "$out" >"$out.log"
		save_log "$out.log" "$savelogs/$name.log"
	fi
}

if [ ${#names[@]} -eq 0 ]; then
	for src in "$sources"/*.bpf.c; do
		[ -e "$src" ] || die "no *.bpf.c in '$sources'"
		n=${src##*/}
		names+=("${n%.bpf.c}")
	done
fi

for name in "${names[@]}"; do
	src=$sources/$name.bpf.c
	obj=$objects/$name.bpf.o
	[ -f "$src" ] || die "no source '$src'"
	[ -f "$obj" ] || die "no object '$obj' (build first)"
	expect='' log='' uexpect='' ulog='' lineno=0
	while IFS= read -r line; do
		lineno=$((lineno + 1))
		[[ $line =~ ^//\ ([a-z-]+):\ (.*)$ ]] || break
		key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		[ $lineno -eq 1 ] || [ "$key" != expect ] || die "$src: a second 'expect:'"
		case $key in
		expect) expect=$(check_expect "$name.bpf.c" "$val") || exit 2 ;;
		log) log=$val ;;
		unprivileged) uexpect=$(check_expect "$name.bpf.c" "$val") || exit 2 ;;
		unprivileged-log) ulog=$val ;;
		*) die "$src: unknown header key '$key'" ;;
		esac
		[ -n "$expect" ] || die "$src: line 1 is not '// expect: ...'"
	done <"$src"
	[ -n "$expect" ] || die "$src: line 1 is not '// expect: ...'"
	case $expect in fail*) [ -n "$log" ] || die "$src: a failing program needs a '// log:' line" ;; esac
	[ -z "$ulog" ] || [ -n "$uexpect" ] || die "$src: 'unprivileged-log:' without 'unprivileged:'"
	run "$name" "$obj" "$expect" "$log"
	[ -z "$uexpect" ] || run "$name@65534" "$obj" "$uexpect" "$ulog" --uid 65534
done

echo "$rows runs: $fails failed, $loads loaded, $bad not as expected"
[ "$bad" -eq 0 ]
