#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# fleet-summary over N synthetic host results (default 10000): copies of the real documents
# of tests/fixtures/fleet/results, with varied kernel releases and statuses, one host in 50
# with a collect-report bundle, one in 100 without a result, one in 200 with exit 3. Times
# each format (wall, peak RSS through /usr/bin/time) and checks that two runs of each are
# byte-identical; cpu s is user + system time, the figure a loaded machine disturbs least.
# Needs no privilege.
# Usage: bench/fleet_summary.sh [N [RUNS]]   (from anywhere; RUNS per format, default 3)
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh

n=${1:-10000}
runs=${2:-3}
positive "$n" "$me [N [RUNS]]"
positive "$runs" "$me [N [RUNS]]"
edrdiag=${EDRDIAG:-build/edrdiag}
need_built "$edrdiag"
need_cmd jq python3
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"

tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
on_exit cleanup

src=tests/fixtures/fleet/results
# the generator: real documents, their release and status varied host by host
t0=$(date +%s%N)
python3 - "$src" "$tmp/results" "$n" <<'PY'
import json, os, shutil, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ck = {h: json.load(open(os.path.join(src, h, "check-kernel.json")))
      for h in ("web01", "web02", "db01", "lock01", "old01")}
ct = {h: json.load(open(os.path.join(src, h, "check-tracepoints.json")))
      for h in ("web01", "web02")}
bundle = [f for f in os.listdir(os.path.join(src, "bundle01")) if f.endswith(".tar.gz")][0]
releases = ["4.18.0-%d.el8.x86_64" % (305 + i) for i in range(20)] + \
           ["5.15.0-%d-generic" % (80 + i) for i in range(20)] + \
           ["6.1.0-%d-amd64" % (10 + i) for i in range(20)]
os.makedirs(dst)
for i in range(n):
    h = os.path.join(dst, "host%05d.example.net" % i)
    os.makedirs(h)
    if i % 100 == 99:
        continue                                    # unreachable: nothing fetched
    if i % 200 == 7:
        open(os.path.join(h, "exit-status"), "w").write("3\n")
        continue
    if i % 50 == 3:
        shutil.copy(os.path.join(src, "bundle01", bundle), h)
        continue
    k = json.loads(json.dumps(ck[list(ck)[i % len(ck)]]))
    k["kernel"]["release"] = releases[i % len(releases)]
    k["target"]["release"] = k["kernel"]["release"]
    json.dump(k, open(os.path.join(h, "check-kernel.json"), "w"))
    json.dump(ct[list(ct)[(i // 7) % len(ct)]], open(os.path.join(h, "check-tracepoints.json"), "w"))
    open(os.path.join(h, "exit-status"), "w").write("1\n" if k["status"] == "fail" else "0\n")
PY
t1=$(date +%s%N)
size=$(du -sm "$tmp/results" | cut -f1)
echo "generated $n hosts ($size MB) in $(((t1 - t0) / 1000000)) ms"

printf '%-10s %5s %10s %10s %10s %12s %10s\n' format runs "mean s" "max s" "cpu s" "peak RSS MB" \
	identical
for f in plain json csv markdown; do
	args=(fleet-summary --format "$f" "$tmp/results")
	[ "$f" = json ] && args=(--json fleet-summary "$tmp/results")
	total=0 max=0 cpu=0 rss=0 same=yes
	for r in $(seq "$runs"); do
		rc=0
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$edrdiag" "${args[@]}" >"$tmp/out.$r" || rc=$?
		[ "$rc" -le 1 ] || die "$f: exit $rc"
		# the last line: /usr/bin/time says "Command exited with non-zero status 1" first
		read -r wall kb usr sys < <(tail -n 1 "$tmp/time")
		total=$(awk -v a="$total" -v b="$wall" 'BEGIN { print a + b }')
		cpu=$(awk -v a="$cpu" -v u="$usr" -v s="$sys" 'BEGIN { print a + u + s }')
		max=$(awk -v a="$max" -v b="$wall" 'BEGIN { print (b > a ? b : a) }')
		[ "$kb" -gt "$rss" ] && rss=$kb
		if [ "$r" -gt 1 ] && ! cmp -s "$tmp/out.1" "$tmp/out.$r"; then
			same=NO
		fi
	done
	[ "$f" = json ] && jq -r '"  (json: \(.expected) expected, \(.with_result) with a result, \(.causes | length) causes, \(.verdicts))"' "$tmp/out.1" >"$tmp/note"
	printf '%-10s %5d %10.3f %10.3f %10.3f %12.1f %10s\n' "$f" "$runs" \
		"$(awk -v t="$total" -v r="$runs" 'BEGIN { print t / r }')" "$max" \
		"$(awk -v t="$cpu" -v r="$runs" 'BEGIN { print t / r }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$same"
	[ "$same" = yes ] || die "$f: two runs differ"
done
cat "$tmp/note"
