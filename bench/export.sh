#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# export with many programs loaded: N trivial programs (default 500) held by
# build/tests/tools/loadprogs, then
#  1. one-shot: `edrdiag export --textfile DIR` with --window 1 and 0.1 (and 0.1 --no-checks)
#     beside `bpftool prog show -j`, RUNS times each (default 5), interleaved: median wall
#     time, wall minus the window (the cost), user+sys CPU and peak RSS;
#  2. listen: SCRAPES scrapes (default 1000) of `edrdiag export --listen 127.0.0.1:PORT
#     --no-checks`, then of the same with the checks on (--checks-every 300, the default,
#     then 1), by a python3 client on one keep-alive connection: first scrape, p50, p99, max,
#     the server's CPU per scrape and peak RSS; the same for the peer, node_exporter
#     serving export's file with its textfile collector (alone, and with its default
#     collectors), when it is in PROM_TOOLS (default .tools/prom/usr/bin) or PATH;
#  3. the cost of BPF run-time statistics per program run, off vs on
#     (build/tests/tools/statscost, STATS_ROUNDS rounds, default 11), once nobody else holds
#     them on (waits up to STATS_WAIT seconds, default 120, naming the holders).
# Usage: bench/export.sh [N [RUNS [SCRAPES]]]   (as root, after scripts/setup.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
usage="bench/export.sh [N [RUNS [SCRAPES]]]   (N programs, RUNS one-shot runs, SCRAPES scrapes)"
n=${1:-500}
runs=${2:-5}
scrapes=${3:-1000}
stats_rounds=${STATS_ROUNDS:-11}
stats_wait=${STATS_WAIT:-120}
edrdiag=${EDRDIAG:-build/edrdiag}
tools=$(dirname "$edrdiag")/tests/tools # built beside the binary
loadprogs=$tools/loadprogs
statscost=$tools/statscost

positive "$n" "$usage"
positive "$runs" "$usage"
positive "$scrapes" "$usage"
positive "$stats_rounds" "STATS_ROUNDS=ROUNDS $usage"
positive "$stats_wait" "STATS_WAIT=SECONDS $usage"
need_root "loads BPF programs"
need_built "$edrdiag" "$loadprogs" "$statscost"
need_cmd bpftool jq python3 timeout
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) missing: it measures peak RSS"
"$edrdiag" help 2>&1 | grep -qw export || die "$edrdiag has no export subcommand"
stats_knob=/proc/sys/kernel/bpf_stats_enabled
[ -r "$stats_knob" ] || die "$stats_knob missing: this kernel has no BPF run-time statistics"
clk_tck=$(getconf CLK_TCK)

# State the EXIT trap undoes: the programs' holder, a listening export, the stats knob as
# found, the temp dir. Only a one-shot export touches the knob, on kernels before 5.8, and
# restores it itself; the trap restores it only for a run cut short during one (others on
# a shared host may change it meanwhile: theirs to restore).
stats_saved=$(cat "$stats_knob")
knob_at_risk=
holder=
server=
tmp=

# stop_server: SIGTERM, SIGKILL after 10 s; its exit status in server_rc
stop_server() {
	local i

	server_rc=
	[ -n "$server" ] || return 0
	kill -TERM "$server" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$server" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$server" 2>/dev/null; then
		echo "$me: export --listen ($server) ignored SIGTERM for 10 s: killing it" >&2
		kill -KILL "$server" 2>/dev/null || true
	fi
	server_rc=0
	wait "$server" 2>/dev/null || server_rc=$?
	server=
}

cleanup() {
	local rc=$?

	trap - EXIT INT TERM HUP
	stop_server
	if [ -n "$holder" ]; then
		kill -TERM "$holder" 2>/dev/null || true
		wait "$holder" 2>/dev/null || true
	fi
	[ -z "$knob_at_risk" ] || [ "$(cat "$stats_knob")" = "$stats_saved" ] ||
		echo "$stats_saved" >"$stats_knob" ||
		echo "$me: could not restore $stats_knob to $stats_saved" >&2
	[ -z "$tmp" ] || rm -rf "$tmp"
	exit "$rc"
}
on_exit cleanup

tmp=$(mktemp -d /tmp/bench_export.XXXXXX)
mkdir "$tmp/textfile"
"$loadprogs" "$n" >"$tmp/loadprogs.out" 2>&1 &
holder=$!
for ((i = 0; i < 600; i++)); do
	grep -qs "^ready" "$tmp/loadprogs.out" && break
	kill -0 "$holder" 2>/dev/null || die "loadprogs exited: $(cat "$tmp/loadprogs.out")"
	sleep 0.05
done
grep -q '^ready' "$tmp/loadprogs.out" || die "loadprogs not ready after 30 s"
# the ids of the programs loaded, one a line, sorted as text: every tool must list them all
grep '^ready' "$tmp/loadprogs.out" | tr ' ' '\n' | grep -v ready | sort >"$tmp/ids"
total=$(bpftool -j prog show | jq length)
echo "$me: $n programs loaded by loadprogs (pid $holder), $total on the host;" \
	"load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# the median of column $2 of file $1
median() {
	sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- 1. one-shot ----------------------------------------------------------------------------

# missing IDS_FILE: how many ids of $tmp/ids are not in IDS_FILE (sorted as text)
missing() {
	comm -23 "$tmp/ids" "$1" | wc -l
}

# One run of a command: "wall_s user_s sys_s maxrss_kb" appended to $tmp/NAME.runs. Wall and
# CPU from bash's time (the child's rusage, to the millisecond), peak RSS from GNU time
# (-f '%e %M'), which runs inside it: its own start-up (about 1 ms) is in the figures.
# export's file is checked: written, mode 0644, no temp file left, nothing on stdout, a
# window sample for every program loaded.
measure() {
	local name=$1 count rc=0 prom=$tmp/textfile/edrdiag.prom TIMEFORMAT='%3R %3U %3S'
	shift

	rm -f "$prom"
	[ "$name" = bpftool ] || knob_at_risk=1
	{ time /usr/bin/time -f '%e %M' -o "$tmp/$name.gnutime" "$@" >"$tmp/$name.out" \
		2>"$tmp/$name.err"; } 2>"$tmp/$name.time" || rc=$?
	knob_at_risk=
	[ "$rc" -eq 0 ] || die "$name exited $rc: $(head -c 500 "$tmp/$name.err")"
	case "$name" in
	bpftool) jq '.[].id' "$tmp/$name.out" | sort -u >"$tmp/$name.ids" ;;
	*)
		[ -f "$prom" ] || die "$name wrote no $prom"
		[ "$(stat -c %a "$prom")" = 644 ] || die "$name: $prom has mode $(stat -c %a "$prom")"
		[ ! -s "$tmp/$name.out" ] || die "$name wrote to stdout: $(head -c 200 "$tmp/$name.out")"
		! compgen -G "$tmp/textfile/.edrdiag.prom.*" >/dev/null ||
			die "$name left a temp file: $(ls -a "$tmp/textfile")"
		sed -n 's/^edrdiag_bpf_prog_window_runs{id="\([0-9]*\)".*/\1/p' "$prom" |
			sort -u >"$tmp/$name.ids"
		cp "$prom" "$tmp/$name.prom"
		;;
	esac
	count=$(missing "$tmp/$name.ids")
	[ "$count" -eq 0 ] || die "$name left out $count of the $n programs loaded"
	echo "$(cat "$tmp/$name.time") $(tail -n 1 "$tmp/$name.gnutime" | cut -d' ' -f2)" \
		>>"$tmp/$name.runs"
}

for ((r = 0; r < runs; r++)); do
	measure w1 "$edrdiag" export --textfile "$tmp/textfile" --window 1
	measure w01 "$edrdiag" export --textfile "$tmp/textfile" --window 0.1
	measure w01nc "$edrdiag" export --textfile "$tmp/textfile" --window 0.1 --no-checks
	measure bpftool bpftool prog show -j
done

row() {
	local f=$tmp/$2.runs wall cpu rss
	wall=$(median "$f" 1)
	cpu=$(awk '{ print $2 + $3 }' "$f" | sort -g | awk '{ v[NR] = $1 } END {
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	rss=$(median "$f" 4)
	awk -v l="$1" -v w="$wall" -v win="$3" -v c="$cpu" -v m="$rss" 'BEGIN {
		printf "%-56s %8.3f %12s %10.3f %9.1f\n", l, w,
			win == "" ? "-" : sprintf("%.3f", w - win), c, m / 1024 }'
}
echo "1. one-shot export, $n programs loaded ($total on the host)"
printf "%-56s %8s %12s %10s %9s\n" "tool (median of $runs)" "wall s" "minus window" \
	"CPU s" "peak RSS"
printf "%-56s %8s %12s %10s %9s\n" "" "" "" "user+sys" "MB"
row "edrdiag export --textfile DIR --window 1" w1 1
row "edrdiag export --textfile DIR --window 0.1" w01 0.1
row "edrdiag export --textfile DIR --window 0.1 --no-checks" w01nc 0.1
row "bpftool prog show -j" bpftool ""
mode=$(grep '^edrdiag_bpf_stats_mode{.*} 1$' "$tmp/w1.prom" | sed 's/.*mode="\([^"]*\)".*/\1/')
printf "\nexport's run-time statistics: %s; its file: %s bytes, %s samples, %s families.\n" \
	"${mode:-?}" "$(stat -c %s "$tmp/w1.prom")" "$(grep -vc '^#' "$tmp/w1.prom")" \
	"$(grep -c '^# TYPE' "$tmp/w1.prom")"

# --- 2. listen ------------------------------------------------------------------------------

cat >"$tmp/scrape.py" <<'EOF'
# scrape.py HOST PORT COUNT IDS FAMILY: a first scrape timed apart, then COUNT scrapes of
# /metrics on one keep-alive HTTP/1.1 connection (reopened only if the server closes it).
# Every reply must be 200; the first and the last must have a FAMILY sample for each
# program id in the file IDS. Prints: first_ms p50_ms p99_ms max_ms connections bytes
import http.client, math, socket, sys, time

host, port, count, family = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[5]
with open(sys.argv[4]) as f:
    ids = set(f.read().split())

class Conn(http.client.HTTPConnection):
    opened = 0

    def connect(self):
        Conn.opened += 1
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

def check(body, which):
    prefix = (family + '{id="').encode()
    got = {l[len(prefix):].split(b'"')[0].decode() for l in body.split(b"\n") if l.startswith(prefix)}
    if not ids <= got:
        sys.exit(f"scrape.py: the {which} scrape has no {family} sample of {len(ids - got)} of the {len(ids)} programs loaded")

c = Conn(host, port, timeout=60)
lat = []
for i in range(count + 1):
    t0 = time.perf_counter()
    c.request("GET", "/metrics")
    r = c.getresponse()
    body = r.read()
    t = time.perf_counter() - t0
    if r.status != 200:
        sys.exit(f"scrape.py: scrape {i}: HTTP {r.status}")
    if i == 0:
        first = t
        check(body, "first")
    else:
        lat.append(t)
check(body, "last")
lat.sort()
q = lambda p: lat[max(0, math.ceil(p * len(lat)) - 1)] * 1e3
print(f"{first * 1e3:.2f} {q(0.50):.2f} {q(0.99):.2f} {lat[-1] * 1e3:.2f} {Conn.opened} {len(body)}")
EOF

# utime + stime of process $1, in clock ticks
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# serve LABEL FAMILY PORT CMD...: start the server CMD (listening on 127.0.0.1:PORT), wait
# (30 s at most) until it is ready (edrdiag: it says "listening on"; others: the port takes a
# connection), run the client (FAMILY: the family whose samples it checks), stop the
# server (edrdiag must exit 0), print a row
serve() {
	local label=$1 family=$2 port=$3 t0 t1 c0 c1 hwm out i ready=
	shift 3

	t0=$(date +%s%N)
	"$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
	server=$!
	for ((i = 0; i < 3000; i++)); do
		if [ "$1" = "$edrdiag" ]; then
			ready=$(grep -s "listening on http://127.0.0.1:$port/metrics" "$tmp/serve.err" ||
				true)
		elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			ready=y
		fi
		[ -z "$ready" ] || break
		kill -0 "$server" 2>/dev/null || die "$label exited: $(head -c 500 "$tmp/serve.err")"
		sleep 0.01
	done
	[ -n "$ready" ] || die "$label not listening after 30 s: $(head -c 500 "$tmp/serve.err")"
	t1=$(date +%s%N)
	c0=$(cpu_ticks "$server")
	out=$(timeout 900 python3 "$tmp/scrape.py" 127.0.0.1 "$port" "$scrapes" "$tmp/ids" "$family") ||
		die "client failed against $label (server: $(head -c 300 "$tmp/serve.err"))"
	c1=$(cpu_ticks "$server")
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server/status")
	stop_server
	[ "$1" != "$edrdiag" ] || [ "$server_rc" -eq 0 ] ||
		die "export --listen exited $server_rc on SIGTERM: $(head -c 300 "$tmp/serve.err")"
	# shellcheck disable=SC2086 # out is six numbers
	set -- $out
	awk -v l="$label" -v up="$(((t1 - t0) / 1000000))" -v f="$1" -v p50="$2" -v p99="$3" \
		-v max="$4" -v conn="$5" -v cpu="$(((c1 - c0) * 1000))" -v tck="$clk_tck" \
		-v k="$scrapes" -v hwm="$hwm" -v b="$6" 'BEGIN {
		printf "%-46s %6s %6.1f %6.2f %6.2f %6.1f %4d %9.2f %8.1f %8.1f\n", l, up, f, p50,
			p99, max, conn, cpu / tck / k, hwm / 1024, b / 1024 }'
}

# a TCP port on 127.0.0.1 nobody listens on now (the kernel picks it)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo
echo "2. scrapes of /metrics, $n programs loaded ($(bpftool -j prog show | jq length) on the" \
	"host): $scrapes scrapes per server on one keep-alive connection (python3 http.client)"
printf "%-46s %6s %6s %6s %6s %6s %4s %9s %8s %8s\n" "server" "start" "first" "p50" "p99" \
	"max" "conn" "CPU" "peak RSS" "reply"
printf "%-46s %6s %6s %6s %6s %6s %4s %9s %8s %8s\n" "" "ms" "ms" "ms" "ms" "ms" "" \
	"ms/scrape" "MB" "KiB"
port=$(free_port)
serve "edrdiag export --listen --no-checks" edrdiag_bpf_prog_runs_total "$port" \
	"$edrdiag" export --listen "127.0.0.1:$port" --no-checks
port=$(free_port)
serve "edrdiag export --listen (checks every 300 s)" edrdiag_bpf_prog_runs_total "$port" \
	"$edrdiag" export --listen "127.0.0.1:$port"
# the checks are rerun by the first scrape after --checks-every: 1 s puts them in the tail
port=$(free_port)
serve "edrdiag export --listen --checks-every 1" edrdiag_bpf_prog_runs_total "$port" \
	"$edrdiag" export --listen "127.0.0.1:$port" --checks-every 1
# the peer: node_exporter serving export's file (textfile mode), and with its defaults
node_exporter=${PROM_TOOLS:-.tools/prom/usr/bin}/prometheus-node-exporter
[ -x "$node_exporter" ] || node_exporter=$(command -v prometheus-node-exporter || true)
if [ -n "$node_exporter" ]; then
	knob_at_risk=1
	"$edrdiag" export --textfile "$tmp/textfile" --window 1
	knob_at_risk=
	port=$(free_port)
	serve "node_exporter: textfile collector only" edrdiag_bpf_prog_window_runs "$port" \
		"$node_exporter" --web.listen-address="127.0.0.1:$port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$tmp/textfile"
	port=$(free_port)
	serve "node_exporter: defaults + textfile" edrdiag_bpf_prog_window_runs "$port" \
		"$node_exporter" --web.listen-address="127.0.0.1:$port" \
		--collector.textfile.directory="$tmp/textfile"
else
	echo "(node_exporter rows left out: prometheus-node-exporter not found in" \
		"${PROM_TOOLS:-.tools/prom/usr/bin} or PATH; scripts/setup.sh unpacks it)"
fi
printf "\nstart: until ready; first: the first scrape, not in p50/p99/max; conn: TCP connections\n"
printf "the client opened; CPU: the server's user+sys over the %d scrapes (clock ticks of\n" \
	"$scrapes"
printf "%d Hz); peak RSS: the server's VmHWM at the end; reply: the last body's size.\n" \
	"$clk_tck"

# --- 3. the cost of run-time statistics -----------------------------------------------------

# Who holds BPF run-time statistics on: the sysctl, and every process with a BPF_ENABLE_STATS
# fd (an anon inode named bpf-stats), as "pid comm" lines; nothing when they are off
stats_holders() {
	local f p

	[ "$(cat "$stats_knob")" = 0 ] || echo "kernel.bpf_stats_enabled=$(cat "$stats_knob")"
	for f in /proc/[0-9]*/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-stats ] || continue
		p=${f#/proc/}
		p=${p%%/*}
		echo "pid $p ($(cat "/proc/$p/comm" 2>/dev/null))"
	done | sort -u
}

echo
echo "3. BPF run-time statistics, off vs on (statscost, $stats_rounds rounds)"
# stats off can only be measured while nobody else has them on: wait for that (bounded)
for ((i = 0; i < stats_wait; i++)); do
	holders=$(stats_holders)
	[ -n "$holders" ] || break
	[ "$i" -gt 0 ] || echo "$me: run-time statistics are on (${holders//$'\n'/, }): waiting up to" \
		"$stats_wait s for them to be off" >&2
	sleep 1
done
"$statscost" --rounds "$stats_rounds" --wait 10 ||
	die "statscost failed (exit $?); stats held on by: $(stats_holders | paste -sd, -)"
