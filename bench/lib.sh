# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# What the bench scripts share: sourced (`. bench/lib.sh`) from the top of the tree.
# Errors name the script and exit 2; a signal ends a run through its EXIT trap.

me=${0##*/}

die() {
	echo "$me: $*" >&2
	exit 2
}

# positive VALUE USAGE: VALUE is a positive decimal number, or the usage is the error
positive() {
	case "$1" in
	'' | *[!0-9]* | 0*) die "usage: $2" ;;
	esac
}

# need_root WHY
need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root ($1)"
}

# need_built FILE...: binaries of this build
need_built() {
	local f
	for f in "$@"; do
		[ -x "$f" ] || die "$f missing: build first (scripts/setup.sh)"
	done
}

# need_cmd COMMAND...: tools scripts/setup.sh installs
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || die "$c missing (scripts/setup.sh)"
	done
}

# on_exit FUNCTION: run FUNCTION on every exit; INT, TERM and HUP exit with the shell's
# usual status (128 + signal) through it, rather than going on with the run
on_exit() {
	# shellcheck disable=SC2064 # the function's name is meant to be expanded now
	trap "$1" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
}
