#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Render the example reports from their inputs, the Chinese ones through gettext:
#   docs/examples/render.sh [BUILDDIR]        (an absolute path; default: the tree's build)
# report-input[.NAME].json -> report[.NAME].en.md and report[.NAME].zh.md. The test
# report_md_examples fails when a committed example differs from what this writes.
set -eu
cd "$(dirname "$0")"
build=${1:-../../build}
tool=$build/tests/tools/report_md_render
locale=$build/tests/unit/locale
[ -x "$tool" ] || { echo "render.sh: $tool missing: build first" >&2; exit 2; }
[ -d "$locale" ] || { echo "render.sh: $locale missing: msgfmt not found at build?" >&2; exit 2; }
for input in report-input*.json; do
	name=${input#report-input}
	out=report${name%.json}
	LANGUAGE='' "$tool" "$input" >"$out.en.md.tmp"
	LANGUAGE=zh_CN "$tool" "$input" "$locale" >"$out.zh.md.tmp"
	mv "$out.en.md.tmp" "$out.en.md"
	mv "$out.zh.md.tmp" "$out.zh.md"
done
