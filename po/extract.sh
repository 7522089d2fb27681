#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Extract every user-facing string of edrdiag into a .pot: po/extract.sh OUT.pot
#
# The one list of what is translatable: the keywords below name the functions whose
# arguments are user-facing text (they translate them inside: output.c, finding.c), so that
# both `cmake --build build --target update-po` and the completeness test
# (tests/i18n-complete.sh) see the same msgids. Every src/*.c and cmd/*.c is scanned: a new
# file needs no list to be updated.
#
# xgettext takes one argument per keyword, and report_add() has three translatable ones
# (title, remedy, detail format): one pass per argument, the passes merged by msgcat.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: po/extract.sh OUT.pot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$top"
files=$(printf '%s\n' src/*.c cmd/*.c | LC_ALL=C sort)

# xgettext [keyword options]: one pass, into $tmp/$n.pot; "" (an empty detail) is no msgid,
# and its warning is noise
n=0
pass() {
	n=$((n + 1))
	# shellcheck disable=SC2086 # $files: names without spaces (src/*.c, cmd/*.c)
	xgettext --language=C --from-code=UTF-8 --package-name=edrdiag --sort-by-file \
		--add-comments=TRANSLATORS: --no-wrap --force-po "$@" \
		--output="$tmp/$n.pot" $files 2>"$tmp/$n.err" || {
		cat "$tmp/$n.err" >&2
		exit 1
	}
	grep -v -e 'Empty msgid' -e 'returns the header entry' -e 'meta information, not' \
		"$tmp/$n.err" >&2 || true
}

pass --keyword=_ --keyword=N_ \
	--keyword=p_err:1 --flag=p_err:1:c-format \
	--keyword=p_err_code:2 --flag=p_err_code:2:c-format \
	--keyword=report_add:5 \
	--keyword=finding_append:2 --flag=finding_append:2:c-format \
	--keyword=finding_set_title:2 --flag=finding_set_title:2:c-format \
	--keyword=finding_set_remedy:2 \
	--keyword=note:2 --flag=note:2:c-format \
	--keyword=decide:4 --flag=decide:4:c-format \
	--keyword=sysroot_refuse:3 --flag=sysroot_refuse:3:c-format \
	--keyword=i18n_set_err:3 --flag=i18n_set_err:3:c-format
pass --keyword= --keyword=report_add:6
pass --keyword= --keyword=report_add:7 --flag=report_add:7:c-format
msgcat --use-first --sort-by-file --no-wrap -o "$out" "$tmp"/1.pot "$tmp"/2.pot "$tmp"/3.pot
