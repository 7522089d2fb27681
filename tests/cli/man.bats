#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The man pages in man/: they render without a single groff warning, and they keep up with
# the binary. Every command `edrdiag help` lists has its page edrdiag-<command>(8), and every
# option `edrdiag <command> -h` prints is documented in that page, so that adding a command or
# an option without documenting it fails here rather than in a user's hands.

load helper

MANDIR=$TOP/man

setup() {
	command -v man >/dev/null ||
		skip "man (man-db) is not installed: cannot render the pages (apt-get install man-db)"
}

# Render a page as the project's check does; groff's warnings go to stderr.
render_checked() {
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$1"
}

# A page as plain text, one paragraph a line: wide enough that no option is broken across
# lines, whatever the page's hyphenation. Without -T and not on a tty, man strips bold and
# underline (unless MAN_KEEP_FORMATTING asks it not to).
render_text() {
	env -u MAN_KEEP_FORMATTING LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=1000 man -l "$1" 2>/dev/null
}

require_binary() {
	[ -x "$EDRDIAG" ] || fail "no binary at $EDRDIAG: build first (cmake --build build)"
}

# The options (short and long) on the option lines of a help text read from stdin.
help_options() {
	grep -E '^ +-' | grep -oE -- '(^|[ ,(])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,(]//' |
		sort -u
}

# Fail unless every option given is in the rendered page $1, as a whole word.
assert_options_documented() {
	local page=$1 text opt missing=""

	shift
	text=$(render_text "$page")
	[ -n "$text" ] || fail "$page renders to nothing"
	for opt in "$@"; do
		grep -qE -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|\$)" <<<"$text" ||
			missing="$missing $opt"
	done
	[ -z "$missing" ] || fail "$(basename "$page") does not document:$missing"
}

@test "man: every page renders with no groff warning" {
	local page n=0

	for page in "$MANDIR"/*.8; do
		[ -e "$page" ] || break
		run --separate-stderr render_checked "$page"
		[ "$status" -eq 0 ] || fail "$page: man exited $status: $stderr"
		[ -z "$stderr" ] || fail "$page: groff warnings:"$'\n'"$stderr"
		[ -n "$output" ] || fail "$page: rendered nothing"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ] || fail "expected edrdiag.8 and one page per command in $MANDIR, found $n"
}

@test "man: each page names itself in .TH and NAME" {
	local page name th

	for page in "$MANDIR"/*.8; do
		name=$(basename "$page" .8)
		th=$(grep -m1 '^\.TH ' "$page" | awk '{ print $2 }' | sed 's/\\-/-/g')
		[ "$th" = "${name^^}" ] || fail "$page: .TH says '$th', expected '${name^^}'"
		run lexgrog "$page"
		[ "$status" -eq 0 ] || fail "$page: no whatis entry: $output"
		[[ $output == *"\"$name - "* ]] || fail "$page: NAME is not '$name - ...': $output"
	done
}

@test "man: every command in 'edrdiag help' has its page, and edrdiag(8) lists it" {
	local cmds cmd text missing=""

	require_binary
	cmds=$(help_commands)
	[ -n "$cmds" ] || fail "no commands parsed from 'edrdiag help'"
	text=$(render_text "$MANDIR/edrdiag.8")
	for cmd in $cmds; do
		[ -f "$MANDIR/edrdiag-$cmd.8" ] || missing="$missing man/edrdiag-$cmd.8"
		grep -qE "(^| )$cmd( |\$)" <<<"$text" || missing="$missing $cmd(in edrdiag.8)"
		grep -qF "edrdiag-$cmd(8)" <<<"$text" || missing="$missing edrdiag-$cmd(8)(SEE ALSO)"
	done
	[ -z "$missing" ] || fail "missing:$missing"
}

@test "man: every edrdiag-<command>.8 is a command 'edrdiag help' lists" {
	local page cmd cmds stale=""

	require_binary
	cmds=$(help_commands)
	for page in "$MANDIR"/edrdiag-*.8; do
		[ -e "$page" ] || break
		cmd=$(basename "$page" .8)
		cmd=${cmd#edrdiag-}
		grep -qxF "$cmd" <<<"$cmds" || stale="$stale $(basename "$page")"
	done
	[ -z "$stale" ] || fail "pages for commands that do not exist:$stale"
}

@test "man: every global option of 'edrdiag help' is in edrdiag(8)" {
	local opts

	require_binary
	opts=$("$EDRDIAG" help | help_options)
	grep -qxF -- --json <<<"$opts" || fail "option lines not parsed from 'edrdiag help': $opts"
	# shellcheck disable=SC2086 # one option a word
	assert_options_documented "$MANDIR/edrdiag.8" $opts
}

@test "man: every option of 'edrdiag <command> -h' is in edrdiag-<command>(8)" {
	local cmd opts

	require_binary
	for cmd in $(help_commands); do
		[ -f "$MANDIR/edrdiag-$cmd.8" ] || fail "no man/edrdiag-$cmd.8"
		run "$EDRDIAG" "$cmd" -h
		[ "$status" -eq 0 ] || fail "edrdiag $cmd -h exited $status"
		opts=$(help_options <<<"$output")
		grep -qxF -- --json <<<"$opts" || fail "option lines not parsed from '$cmd -h': $opts"
		# shellcheck disable=SC2086 # one option a word
		assert_options_documented "$MANDIR/edrdiag-$cmd.8" $opts
	done
}

# Commands that write no JSON document of their own, only the error document: they have no
# schema, and must not grow one unnoticed. export writes the Prometheus text format.
NO_SCHEMA="export"

@test "man: each command's page names its JSON Schema, and edrdiag(8) names every schema" {
	local cmd schema text missing=""

	require_binary
	for cmd in $(help_commands); do
		if grep -qxF "$cmd" <<<"${NO_SCHEMA// /$'\n'}"; then
			[ ! -e "$TOP/schemas/$cmd.schema.json" ] ||
				missing="$missing $cmd.schema.json(listed in NO_SCHEMA)"
			continue
		fi
		render_text "$MANDIR/edrdiag-$cmd.8" | grep -qF "/usr/share/edrdiag/schemas/$cmd.schema.json" ||
			missing="$missing edrdiag-$cmd.8:$cmd.schema.json"
	done
	text=$(render_text "$MANDIR/edrdiag.8")
	for schema in "$TOP"/schemas/*.schema.json; do
		grep -qF "$(basename "$schema")" <<<"$text" || missing="$missing edrdiag.8:$(basename "$schema")"
	done
	[ -z "$missing" ] || fail "not named:$missing"
}
