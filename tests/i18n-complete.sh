#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Every user-facing string has a Chinese translation: tests/i18n-complete.sh [PO]
#
# The msgids are extracted from the sources as the catalogue's own update does (po/extract.sh,
# the one keyword list), merged with po/zh_CN.po (or PO), and each one that has no
# translation, or only a fuzzy one, is listed with where it is used: exit 1. msgfmt --check
# on the merged catalogue fails the same way, so a translation whose format specifiers do
# not match the source's (a %s lost, a %d for a %zu) is caught too. Run by ctest
# (i18n_complete); its output is TAP, one case, the details as "#   " lines.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
po=${1:-$top/po/zh_CN.po}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in xgettext msgmerge msgattrib msgfmt; do
	command -v "$tool" >/dev/null || {
		echo "i18n-complete: $tool not found (Debian package gettext)" >&2
		exit 2
	}
done

"$top/po/extract.sh" "$tmp/edrdiag.pot"
msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$po" "$tmp/edrdiag.pot"
: >"$tmp/report"
for kind in untranslated only-fuzzy; do
	msgattrib --$kind --no-obsolete --no-wrap -o "$tmp/$kind.po" "$tmp/merged.po"
	# msgattrib writes no file when nothing matches
	[ -s "$tmp/$kind.po" ] || continue
	# "where: msgid", one a line, a msgid of several lines ("" "Usage: %s\n" ...) joined;
	# "" alone is the header, or an empty detail passed to report_add: no string
	awk '/^#:/ { where = where substr($0, 4) " "; next }
	     /^msgid / { id = substr($0, 7); inid = 1; next }
	     /^"/ && inid { id = substr(id, 1, length(id) - 1) substr($0, 2); next }
	     /^msgstr/ || /^msgid_plural/ {
		if (inid && id != "\"\"") print where ": " id
		inid = 0; where = ""
	     }
	     /^$/ { where = "" }' "$tmp/$kind.po" >"$tmp/$kind.list"
	n=$(wc -l <"$tmp/$kind.list")
	if [ "$n" -gt 0 ]; then
		echo "$n string(s) without a Chinese translation ($kind) in $po:" >>"$tmp/report"
		cat "$tmp/$kind.list" >>"$tmp/report"
	fi
done
if ! msgfmt --check -o /dev/null "$tmp/merged.po" 2>"$tmp/check"; then
	echo "msgfmt --check fails:" >>"$tmp/report"
	cat "$tmp/check" >>"$tmp/report"
fi
total=$(($(grep -c '^msgid ' "$tmp/edrdiag.pot") - 1))
echo "1..1"
if [ -s "$tmp/report" ]; then
	echo "not ok 1 i18n-complete: every user-facing string has its Chinese ($total strings)"
	sed 's/^/#   /' "$tmp/report"
	exit 1
fi
echo "ok 1 i18n-complete: every user-facing string has its Chinese ($total strings)"
