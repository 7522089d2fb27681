#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Redaction's cost on big items: a dmesg-like text of 4 and 16 MiB (one distinct IPv4, MAC,
# user name and token= per line) redacted as collect-report redacts an item, credentials
# only (every run) and with identity (--redact), by build/tests/tools/redact_text. Prints
# bytes, seconds, MiB/s and values replaced; target (issue 12): linear time, i.e. 16 MiB
# takes at most 4 x 1.5 the time of 4 MiB. The text is removed on exit.
# Usage: bench/redact.sh   (after scripts/setup.sh; needs no root)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
tool=${EDRDIAG:-build/edrdiag}
tool=$(dirname "$tool")/tests/tools/redact_text # built beside the binary
need_built "$tool"

tmp=
cleanup() {
	[ -z "$tmp" ] || rm -rf "$tmp"
}
on_exit cleanup
tmp=$(mktemp -d /tmp/edrdiag-bench-redact.XXXXXX)

# text MIB FILE: MIB MiB of kernel-log-like lines
text() {
	awk -v max=$(($1 << 20)) 'BEGIN {
		for (i = 0; n < max; i++) {
			l = sprintf("[%6d.000000] martian source 10.%d.%d.%d from 52:54:00:%02x:%02x:%02x user%d token=t%d",
				i, int(i / 65536) % 256, int(i / 256) % 256, i % 256, i % 256,
				int(i / 256) % 256, int(i / 65536) % 256, i % 3000, i)
			print l
			n += length(l) + 1
		}
	}' >"$2"
}

text 4 "$tmp/4"
text 16 "$tmp/16"
printf '%-28s %10s %9s %8s %9s\n' "" bytes seconds "MiB/s" values
declare -A secs
for mode in credentials identity; do
	for m in 4 16; do
		read -r bytes s values < <("$tool" "$tmp/$m" "$([ $mode = identity ] && echo identity)")
		secs[$mode$m]=$s
		printf '%-28s %10s %9s %8s %9s\n' "$mode, $m MiB" "$bytes" "$s" \
			"$(awk -v b="$bytes" -v s="$s" 'BEGIN { printf "%.1f", (s > 0 ? b / 1048576 / s : 0) }')" \
			"$values"
	done
done
for mode in credentials identity; do
	verdict=$(awk -v a="${secs[${mode}4]}" -v b="${secs[${mode}16]}" \
		'BEGIN { print (b <= a * 4 * 1.5 + 0.05) ? "met" : "MISSED" }')
	echo "target: $mode, 16 MiB at most 6 x the time of 4 MiB (linear): $verdict"
done
