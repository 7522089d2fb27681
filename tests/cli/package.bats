#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Install and packaging: `cmake --install` lays out the binary, the man pages, the bash
# completion and the JSON schemas; CPack's .deb installs with dpkg into a scratch root (the
# host's own package database copied in, so dependencies are checked against what is really
# installed) and works there: `edrdiag --version`, `man edrdiag`, the binary's JSON against
# the installed schemas. Nothing is installed on the host itself.

load helper

BUILD=$(dirname "$EDRDIAG")

setup_file() {
	local tmp deb

	command -v cpack >/dev/null && command -v dpkg-shlibdeps >/dev/null &&
		command -v file >/dev/null || return 0
	[ -f "$BUILD/CPackConfig.cmake" ] || return 0
	tmp=$(mktemp -d "${BATS_FILE_TMPDIR}/cpack.XXXXXX")
	cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 || {
		sed "s/^/# /" "$tmp/cpack.log" >&3
		return 1
	}
	deb=$(find "$tmp" -maxdepth 1 -name 'edrdiag_*.deb')
	echo "$deb" >"$BATS_FILE_TMPDIR/deb"
}

setup() {
	command -v cpack >/dev/null || skip "cpack (cmake) is not installed"
	command -v dpkg-shlibdeps >/dev/null ||
		skip "dpkg-shlibdeps (dpkg-dev) is not installed: cpack cannot compute Depends"
	command -v file >/dev/null || skip "file(1) is not installed: cpack's DEB generator needs it"
	[ -f "$BUILD/CPackConfig.cmake" ] || skip "no CPackConfig.cmake in $BUILD: configure with cmake first"
	DEB=$(cat "$BATS_FILE_TMPDIR/deb")
	[ -f "$DEB" ] || fail "cpack made no edrdiag_*.deb"
}

# A scratch root with dpkg's database: the host's status file, or an empty one.
scratch_root() {
	local r=$1 status=$2

	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers"
	if [ "$status" = host ]; then
		cp /var/lib/dpkg/status "$r/var/lib/dpkg/status"
	else
		: >"$r/var/lib/dpkg/status"
	fi
}

# The package owning a library file: dpkg knows it under one spelling of its path, which
# on a merged-/usr system may be the /lib or the /usr/lib one, of the link or its target.
lib_package() {
	local p c

	for p in "$1" "$(readlink -f "$1")"; do
		for c in "$p" "${p#/usr}" "/usr$p"; do
			dpkg -S "$c" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
		done
	done
	return 0
}

@test "cmake --install: binary in sbin, every man page gzipped, the completion, the schemas" {
	local d=$BATS_TEST_TMPDIR/inst page

	DESTDIR=$d run cmake --install "$BUILD" --prefix /usr
	assert_success
	[ -x "$d/usr/sbin/edrdiag" ] || fail "no usr/sbin/edrdiag"
	for page in "$TOP"/man/*.8; do
		[ -f "$d/usr/share/man/man8/$(basename "$page").gz" ] ||
			fail "$(basename "$page") not installed as usr/share/man/man8/$(basename "$page").gz"
		zcat "$d/usr/share/man/man8/$(basename "$page").gz" | cmp -s - "$page" ||
			fail "installed $(basename "$page") differs from man/"
	done
	[ -f "$d/usr/share/bash-completion/completions/edrdiag" ] || fail "no bash completion"
	# the JSON contract's schemas, as edrdiag(8) names them
	for page in "$TOP"/schemas/*.schema.json "$TOP"/schemas/README.md; do
		cmp -s "$page" "$d/usr/share/edrdiag/schemas/$(basename "$page")" ||
			fail "$(basename "$page") not installed in usr/share/edrdiag/schemas"
	done
}

@test "deb: Depends names every linked library's package, and the dlopen()ed libarchive13 and libmicrohttpd12" {
	local depends lib path pkg

	depends=$(dpkg-deb -f "$DEB" Depends)
	[ -n "$depends" ] || fail "the .deb has no Depends"
	# collect-report opens libarchive at run time: no NEEDED entry shows it
	grep -qE '(^|, )libarchive13( |,|$)' <<<"$depends" || fail "Depends lacks libarchive13: $depends"
	# export --listen opens libmicrohttpd at run time, likewise
	grep -qE '(^|, )libmicrohttpd12( |,|$)' <<<"$depends" ||
		fail "Depends lacks libmicrohttpd12: $depends"
	! readelf -d "$EDRDIAG" | grep -q 'NEEDED.*libmicrohttpd' ||
		fail "libmicrohttpd is linked: its GnuTLS start-up would cost every command"
	for lib in $(readelf -d "$EDRDIAG" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p'); do
		case $lib in
		libasan* | libubsan* | ld-linux*) continue ;;
		esac
		path=$(ldd "$EDRDIAG" | awk -v l="$lib" '$1 == l { print $3 }')
		[ -n "$path" ] || fail "$lib: not resolved by ldd"
		pkg=$(lib_package "$path")
		[ -n "$pkg" ] || fail "$lib ($path) belongs to no package"
		grep -qE "(^|, )$pkg( |,|$)" <<<"$depends" || fail "$lib is in $pkg, not in Depends: $depends"
	done
	[ "$(dpkg-deb -f "$DEB" Package)" = edrdiag ] || fail "package name"
	[ "$(dpkg-deb -f "$DEB" Section)" = admin ] || fail "section"
}

@test "deb: installs with dpkg into a scratch root; --version, man and the schemas work there" {
	local r=$BATS_TEST_TMPDIR/root version

	scratch_root "$r" host
	run dpkg --root="$r" --log=/dev/null -i "$DEB"
	assert_success
	run dpkg --root="$r" -s edrdiag
	assert_line 'Status: install ok installed'
	[ -x "$r/usr/sbin/edrdiag" ] || fail "dpkg did not install usr/sbin/edrdiag"
	version=$(sed -nE 's/^project\(edrdiag VERSION ([0-9.]+).*/\1/p' "$TOP/CMakeLists.txt")
	run "$r/usr/sbin/edrdiag" --version
	assert_success
	assert_output --regexp "^edrdiag $version "
	run env MANPATH="$r/usr/share/man" MANWIDTH=80 man -P cat edrdiag
	assert_success
	assert_output --partial "edrdiag - diagnose"
	run env MANPATH="$r/usr/share/man" MANWIDTH=80 man -P cat edrdiag-check-kernel
	assert_success
	assert_output --partial "edrdiag-check-kernel - "
	"$r/usr/sbin/edrdiag" completion bash | cmp -s - "$r/usr/share/bash-completion/completions/edrdiag" ||
		fail "the installed completion is not what the installed binary generates"
	# the installed binary's documents are valid against the installed schemas
	"$r/usr/sbin/edrdiag" --json help check-kernel |
		"$VALIDATE_JSON" --quiet --schemas "$r/usr/share/edrdiag/schemas" ||
		fail "the installed binary's help is not valid against the installed schemas"
	"$r/usr/sbin/edrdiag" --json check-kernel --bogus |
		"$VALIDATE_JSON" --quiet --schemas "$r/usr/share/edrdiag/schemas" ||
		fail "the installed binary's error is not valid against the installed schemas"
	run dpkg --root="$r" --log=/dev/null -r edrdiag
	assert_success
	[ ! -e "$r/usr/sbin/edrdiag" ] || fail "dpkg -r left usr/sbin/edrdiag"
}

@test "deb: dpkg refuses it where its dependencies are not installed" {
	local r=$BATS_TEST_TMPDIR/empty

	scratch_root "$r" empty
	run dpkg --root="$r" --log=/dev/null -i "$DEB"
	assert_failure
	assert_output --partial "edrdiag depends on libbpf1"
	assert_output --partial "edrdiag depends on libarchive13"
}
