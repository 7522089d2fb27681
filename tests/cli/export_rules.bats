#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# contrib/: the alert rules and systemd units for `edrdiag export`. The rules are valid for
# promtool, their unit tests pass, and a threshold moved a little fails those tests (so each
# quiet case sits just under its threshold); every metric they read is a family the real
# export emits. The units pass systemd-analyze; their ExecStart lines, run by the binary
# under test with the units' capability set, write a textfile that node_exporter serves whole
# and serve /metrics, both as promtool accepts them, also on a read-only file system; every
# system call the export makes passes their SystemCallFilter; and `cmake --install` puts them
# among the examples, nowhere systemd looks.
#
# The live tests need root; elsewhere they skip and say why, as do the tests whose tool
# (promtool, systemd-analyze, strace, setpriv) is not installed.

load helper
load prom

CONTRIB=$TOP/contrib
RULES=$CONTRIB/prometheus/edrdiag-alerts.yml
RULE_TESTS=$CONTRIB/prometheus/edrdiag-alerts.test.yml
TIMER_UNIT=$CONTRIB/systemd/edrdiag-export.service
HTTP_UNIT=$CONTRIB/systemd/edrdiag-export-http.service
UNITS=("$TIMER_UNIT" "$CONTRIB/systemd/edrdiag-export.timer" "$HTTP_UNIT")
# the paths the units name, replaced by the test's own
UNIT_BINARY=/usr/sbin/edrdiag
UNIT_TEXTFILE_DIR=/var/lib/prometheus/node-exporter
UNIT_LISTEN=127.0.0.1:9475

setup() {
	BG_PIDS=()
}

# Whatever a test started is stopped, even when it failed half-way.
teardown() {
	stop_bg
}

# unit_value FILE KEY: the value of KEY= in a unit file (the last one, as systemd takes it)
unit_value() {
	sed -nE "s/^$2=(.*)$/\\1/p" "$1" | tail -1
}

# unit_argv FILE DIR_OR_LISTEN ARGS: the unit's ExecStart as an array in ARGV, with the
# binary under test, the textfile directory or listen address replaced by $2, and
# $EDRDIAG_EXPORT_ARGS by the words of $3 (the units' drop-in for the agent)
unit_argv() {
	local w extra

	read -r -a extra <<<"$3"
	ARGV=()
	for w in $(unit_value "$1" ExecStart); do
		# shellcheck disable=SC2016 # the unit's own text, $ and all
		case $w in
		"$UNIT_BINARY") ARGV+=("$EDRDIAG") ;;
		"$UNIT_TEXTFILE_DIR" | "$UNIT_LISTEN") ARGV+=("$2") ;;
		'$EDRDIAG_EXPORT_ARGS') ARGV+=("${extra[@]}") ;;
		*) ARGV+=("$w") ;;
		esac
	done
	[ "${#ARGV[@]}" -gt 2 ] || fail "no ExecStart in $1"
}

# unit_caps FILE [DROP]: the unit's CapabilityBoundingSet as setpriv(1) spells it, without
# the capability DROP (e.g. sys_ptrace) when given
unit_caps() {
	local c caps=-all

	for c in $(unit_value "$1" CapabilityBoundingSet); do
		c=${c#CAP_}
		c=${c,,}
		[ "$c" = "${2:-}" ] || caps+=",+$c"
	done
	echo "$caps"
}

# as_unit FILE COMMAND...: run COMMAND as root holding the unit's capabilities and no other
# (systemd's CapabilityBoundingSet=, NoNewPrivileges=)
as_unit() {
	local caps

	caps=$(unit_caps "$1")
	shift
	setpriv --bounding-set "$caps" --inh-caps=-all --no-new-privs "$@"
}

need_setpriv() {
	command -v setpriv >/dev/null || skip "setpriv(1) not installed (util-linux)"
}

# Start loadprogs (2 programs) as a stand-in agent; sets LP_PID and LP_IDS.
start_agent() {
	local out=$BATS_TEST_TMPDIR/loadprogs.out _

	[ -x "$TOOLS/loadprogs" ] || fail "$TOOLS/loadprogs not built"
	"$TOOLS/loadprogs" 2 >"$out" 2>&1 &
	LP_PID=$!
	BG_PIDS+=("$LP_PID")
	for _ in $(seq 100); do
		grep -q '^ready' "$out" && break
		kill -0 "$LP_PID" 2>/dev/null || fail "loadprogs exited: $(cat "$out")"
		sleep 0.05
	done
	grep -q '^ready' "$out" || fail "loadprogs not ready in 5 s"
	LP_IDS=$(sed -n 's/^ready *//p' "$out")
}

# assert_promtool_metrics FILE: promtool check metrics finds nothing to say about FILE
assert_promtool_metrics() {
	local out

	out=$("$(prom_tool promtool)" check metrics <"$1" 2>&1) ||
		fail "promtool check metrics rejects $1: $out"
	[ -z "$out" ] || fail "promtool check metrics warns about $1: $out"
}

# The syscalls allowed by a SystemCallFilter= allow list, one a line: its groups expanded
# as this host's systemd defines them (systemd-analyze syscall-filter).
allowed_syscalls() {
	local defs=$BATS_TEST_TMPDIR/syscall-groups

	systemd-analyze syscall-filter --no-pager |
		awk '/^@/ { g = $1; next } /^ +#/ { next } /^ +[@a-z0-9_]/ && g { print g, $1 }' >"$defs"
	awk -v want="$*" '
		{ m[$1] = m[$1] " " $2 }
		END {
			n = split(want, todo, " ")
			while (n > 0) {
				w = todo[n--]
				if (w in seen) continue
				seen[w] = 1
				if (w ~ /^@/) { k = split(m[w], sub_, " "); for (i = 1; i <= k; i++) todo[++n] = sub_[i] }
				else print w
			}
		}' "$defs" | sort -u
}

# The names of the system calls in an strace -f log
traced_syscalls() {
	sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' "$1" | sort -u
}

@test "rules: promtool check rules: valid, no lint, no warning" {
	local n

	require_prom_tool promtool
	n=$(grep -cE '^ *- (alert|record): ' "$RULES")
	[ "$n" -ge 7 ] || fail "only $n rules in $RULES"
	run --separate-stderr "$(prom_tool promtool)" check rules --lint=all --lint-fatal "$RULES"
	assert_success
	assert_output "Checking $RULES"$'\n'"  SUCCESS: $n rules found"
	[ -z "$stderr" ] || fail "promtool said on stderr: $stderr"
}

@test "rules: promtool test rules: every alert fires in its tests, and they all pass" {
	local alert

	require_prom_tool promtool
	cd "$(dirname "$RULE_TESTS")"
	run "$(prom_tool promtool)" test rules "$(basename "$RULE_TESTS")"
	assert_success
	assert_output --partial "SUCCESS"
	# the alerts the guide asks for, each with a test that expects it to fire
	for alert in EdrAgentCpuHigh EdrAgentRssHigh EdrAgentDown EdrEventDropsHigh \
		EdrCheckFailing EdrExportStale EdrExportAbsent; do
		grep -qE "^ +- alert: $alert$" "$RULES" || fail "no alert $alert in $RULES"
		python3 - "$RULE_TESTS" "$alert" <<-'EOF' || fail "no test in $RULE_TESTS expects $alert to fire"
			import sys, yaml
			doc = yaml.safe_load(open(sys.argv[1]))
			sys.exit(not any(t.get("alertname") == sys.argv[2] and t.get("exp_alerts")
			                 for g in doc["tests"] for t in g.get("alert_rule_test", [])))
		EOF
	done
}

# Each mutation moves one threshold, window or label just past the data of a quiet or firing
# case: the tests must then fail. A mutation that no longer changes the file fails too.
@test "rules: the tests bite: a threshold, for: or grouping moved a little fails them" {
	local d=$BATS_TEST_TMPDIR/mutant m out rc
	local mutations=(
		's/rate15m > 0\.05$/rate15m > 0.0485/'                   # the 0.049 agent fires
		's/rate15m > 0\.05$/rate15m > 0.0515/'                   # the 0.051 agent does not
		's/(rate(edrdiag_last_run_timestamp_seconds\[15m\]) > 0)/((rate(edrdiag_last_run_timestamp_seconds[15m]) > 0) ^ 0)/' # plain rate
		's/> 200 \* 1024 \* 1024$/>= 200 * 1024 * 1024/'          # exactly 200 MiB fires
		's/> 200 \* 1024 \* 1024$/> 201 * 1024 * 1024/'
		'/edrdiag_agent_up == 0/{n;s/for: 5m/for: 2m/}'           # a restart fires
		's/ratio_rate15m > 0\.01$/ratio_rate15m > 0.009/'        # 0.95% fires
		's/ratio_rate15m > 0\.01$/ratio_rate15m > 0.0106/'       # 1.05% does not
		's/sum by (instance, job) (/sum by (instance, job, cpu) (/g' # per CPU, not per instance
		's/status=~"fail|error"/status="fail"/'                  # error does not fire
		's/status=~"fail|error"/status=~"fail|error|warn"/'      # warn fires
		's/\[1d\]) > 900$/[1d]) >= 900/'                         # 900 s fires
		's/\[1d\]) > 900$/[1d]) > 960/'
		's/max_over_time(edrdiag_last_run_timestamp_seconds\[1d\])/edrdiag_last_run_timestamp_seconds/' # vanished: quiet
		's/for: 15m$/for: 13m/'                                  # absent fires early
		's/for: 15m$/for: 17m/'
	)

	require_prom_tool promtool
	mkdir -p "$d"
	cp "$RULE_TESTS" "$d/"
	for m in "${mutations[@]}"; do
		sed "$m" "$RULES" >"$d/edrdiag-alerts.yml"
		! cmp -s "$RULES" "$d/edrdiag-alerts.yml" || fail "mutation '$m' changes nothing in $RULES"
		rc=0
		out=$(cd "$d" && "$(prom_tool promtool)" test rules edrdiag-alerts.test.yml 2>&1) || rc=$?
		[ "$rc" -ne 0 ] || fail "the rule tests still pass with '$m'"
		# failed as tests, not as a broken file
		grep -q "FAILED" <<<"$out" || fail "'$m': promtool failed otherwise: $out"
	done
}

@test "rules: every metric the rules and their tests read is a family edrdiag export emits" {
	local out=$BATS_TEST_TMPDIR/export.prom used missing name type

	require_root
	require_prom_tool promtool
	# this shell as the agent: the agent families are there
	run --separate-stderr "$EDRDIAG" export --window 0.2 --agent $$
	assert_success
	printf '%s\n' "$output" >"$out"
	assert_promtool_metrics "$out"
	used=$(cat "$RULES" "$RULE_TESTS" | grep -oE '\bedrdiag_[a-z0-9_]+' | sort -u)
	[ -n "$used" ] || fail "no edrdiag_ metric in the rules"
	missing=$(comm -23 <(echo "$used") <(sed -nE 's/^# TYPE ([a-z0-9_]+) .*/\1/p' "$out" | sort -u))
	[ -z "$missing" ] || fail "the rules use metrics edrdiag export does not emit: $missing"
	# rate() is for counters; the one gauge the rules rate is the collections' own clock,
	# which only moves forward
	while read -r name; do
		type=$(sed -nE "s/^# TYPE $name ([a-z]+)$/\\1/p" "$out")
		[ "$type" = counter ] || [ "$name" = edrdiag_last_run_timestamp_seconds ] ||
			fail "the rules take rate() of $name, a $type"
	done < <(grep -oE 'rate\(edrdiag_[a-z0-9_]+' "$RULES" | sed 's/^rate(//' | sort -u)
}

@test "export: with the agent not running, the textfile export still says so (EdrAgentDown can fire)" {
	local d=$BATS_TEST_TMPDIR/textfile

	require_root
	mkdir -p "$d"
	# the units' documented way: the agent by name; no process has this one
	run --separate-stderr "$EDRDIAG" export --textfile "$d" --window 0.1 --no-checks \
		--agent "edr-gone-$$"
	[ "$status" -eq 0 ] ||
		fail "export --agent NAME exits $status when the agent is not running ($stderr): the timer's textfile is not rewritten, so EdrAgentDown cannot fire (EdrExportStale fires 900 s later instead)"
	grep -qE '^edrdiag_agent_up(\{.*\})? 0$' "$d/edrdiag.prom" ||
		fail "no edrdiag_agent_up 0 in the textfile: $(grep agent_up "$d/edrdiag.prom")"
}

@test "systemd: the units pass systemd-analyze verify" {
	local d=$BATS_TEST_TMPDIR/units u

	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
	mkdir -p "$d"
	# verify wants the ExecStart program to exist: the binary under test
	for u in "${UNITS[@]}"; do
		sed "s#$UNIT_BINARY#$EDRDIAG#" "$u" >"$d/$(basename "$u")"
	done
	cd "$d"
	run systemd-analyze verify --man=no "${UNITS[@]##*/}"
	assert_success
	assert_output ""
}

@test "systemd: every man page the units name is in man/" {
	local page n=0

	while read -r page; do
		n=$((n + 1))
		page=${page#man:}
		page=${page%(8)}
		[ -f "$TOP/man/$page.8" ] || fail "the units name man:$page(8), which man/ lacks"
	done < <(sed -nE 's/^Documentation=//p' "${UNITS[@]}" | grep -oE 'man:[a-z-]+\(8\)')
	[ "$n" -gt 0 ] || fail "the units name no man page"
}

@test "systemd: the timer runs every 5 minutes, spread and persistent" {
	local cal times

	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
	cal=$(unit_value "$CONTRIB/systemd/edrdiag-export.timer" OnCalendar)
	times=$(systemd-analyze calendar --iterations=3 "$cal" |
		sed -nE 's/.*(Next elapse|Iter\. #[0-9]+): ... ([0-9-]+ [0-9:]+) .*/\2/p')
	[ "$(wc -l <<<"$times")" -eq 3 ] || fail "systemd-analyze calendar '$cal': $times"
	python3 - "$times" <<-'EOF' || fail "'$cal' does not elapse every 5 minutes: $times"
		import sys, datetime
		t = [datetime.datetime.strptime(l, "%Y-%m-%d %H:%M:%S") for l in sys.argv[1].splitlines()]
		sys.exit(any((b - a).total_seconds() != 300 for a, b in zip(t, t[1:])))
	EOF
	[ "$(unit_value "$CONTRIB/systemd/edrdiag-export.timer" Persistent)" = true ] || fail "not Persistent"
	[ -n "$(unit_value "$CONTRIB/systemd/edrdiag-export.timer" RandomizedDelaySec)" ] ||
		fail "no RandomizedDelaySec"
	[ "$(unit_value "$TIMER_UNIT" Type)" = oneshot ] || fail "the timer's service is not Type=oneshot"
}

@test "systemd: edrdiag-export.service's ExecStart, with its capabilities only, writes a textfile promtool accepts" {
	local d=$BATS_TEST_TMPDIR/textfile id

	require_root
	need_setpriv
	require_prom_tool promtool
	start_agent
	mkdir -p "$d"
	# as installed: no agent
	unit_argv "$TIMER_UNIT" "$d" ""
	run --separate-stderr as_unit "$TIMER_UNIT" "${ARGV[@]}"
	assert_success
	assert_output ""
	assert_promtool_metrics "$d/edrdiag.prom"
	! grep -q '^edrdiag_agent_up' "$d/edrdiag.prom" || fail "agent metrics without --agent"
	# with the drop-in the units document
	unit_argv "$TIMER_UNIT" "$d" "--agent $LP_PID"
	run --separate-stderr as_unit "$TIMER_UNIT" "${ARGV[@]}"
	assert_success
	assert_output ""
	[ "$(stat -c %a "$d/edrdiag.prom")" = 644 ] || fail "mode $(stat -c %a "$d/edrdiag.prom"), not 644"
	[ -z "$(find "$d" -name '.edrdiag.prom.*')" ] || fail "temporary files left: $(ls -a "$d")"
	assert_promtool_metrics "$d/edrdiag.prom"
	grep -qE "^edrdiag_agent_up\{pid=\"$LP_PID\",comm=\"loadprogs\"\} 1$" "$d/edrdiag.prom" ||
		fail "the agent is not up in the textfile: $(grep agent_up "$d/edrdiag.prom")"
	# the unit's capabilities are enough to see which programs the agent holds
	for id in $LP_IDS; do
		grep -qE "^edrdiag_bpf_prog_memlock_bytes\{id=\"$id\",.*,owner=\"loadprogs\"\} [0-9]+$" "$d/edrdiag.prom" ||
			fail "program $id not owned by the agent: $(grep "id=\"$id\"" "$d/edrdiag.prom" | head -3)"
	done
}

@test "systemd: node_exporter's textfile collector serves the unit's file, every sample, without error" {
	local d=$BATS_TEST_TMPDIR/textfile port log=$BATS_TEST_TMPDIR/node.log body=$BATS_TEST_TMPDIR/node.prom
	local pid n_file n_served _

	require_root
	need_setpriv
	require_prom_tool prometheus-node-exporter
	command -v curl >/dev/null || skip "curl not installed"
	start_agent
	mkdir -p "$d"
	unit_argv "$TIMER_UNIT" "$d" "--agent $LP_PID"
	as_unit "$TIMER_UNIT" "${ARGV[@]}" || fail "the unit's export failed"
	port=$(free_port)
	"$(prom_tool prometheus-node-exporter)" --web.listen-address="127.0.0.1:$port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$d" >"$log" 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	for _ in $(seq 200); do
		curl -s --max-time 5 -o "$body" "http://127.0.0.1:$port/metrics" && break
		kill -0 "$pid" 2>/dev/null || fail "node_exporter exited: $(cat "$log")"
		sleep 0.05
	done
	[ -s "$body" ] || fail "node_exporter did not answer in 10 s: $(cat "$log")"
	grep -qE '^node_textfile_scrape_error 0$' "$body" ||
		fail "node_exporter could not read edrdiag.prom: $(grep -i textfile "$log" "$body" | head -5)"
	n_file=$(grep -cE '^edrdiag_' "$d/edrdiag.prom")
	n_served=$(grep -cE '^edrdiag_' "$body")
	[ "$n_file" -gt 0 ] && [ "$n_served" -eq "$n_file" ] ||
		fail "edrdiag.prom has $n_file samples, node_exporter serves $n_served"
}

# The units' file system without systemd: every mount read-only in a private mount namespace
# (ProtectSystem=strict, ProtectKernelTunables=: /, /usr, /sys, tracefs, /proc) but the
# textfile directory (ReadWritePaths=).
@test "systemd: the export works in the units' read-only file system, its checks as on the open one" {
	local open=$BATS_TEST_TMPDIR/open ro=$BATS_TEST_TMPDIR/ro

	require_root
	need_setpriv
	command -v unshare >/dev/null || skip "unshare(1) not installed (util-linux)"
	mkdir -p "$open" "$ro"
	unit_argv "$TIMER_UNIT" "$open" ""
	as_unit "$TIMER_UNIT" "${ARGV[@]}" || fail "the unit's export failed"
	unit_argv "$TIMER_UNIT" "$ro" ""
	# shellcheck disable=SC2016 # the inner shell's own variables
	run --separate-stderr unshare -m --propagation private bash -c '
		rw=$1 caps=$2
		shift 2
		mount --bind "$rw" "$rw" || exit 99
		while read -r mp; do
			[ "$mp" = "$rw" ] || mount -o remount,bind,ro "$mp" 2>/dev/null
		done < <(awk "{ print \$5 }" /proc/self/mountinfo)
		touch /usr/.edrdiag-rw-test 2>/dev/null && { rm -f /usr/.edrdiag-rw-test; exit 98; }
		exec setpriv --bounding-set "$caps" --inh-caps=-all --no-new-privs "$@"' \
		_ "$ro" "$(unit_caps "$TIMER_UNIT")" "${ARGV[@]}"
	[ "$status" -ne 99 ] || fail "could not bind $ro"
	[ "$status" -ne 98 ] || fail "/usr still writable: the namespace is not read-only"
	assert_success
	[ -s "$ro/edrdiag.prom" ] || fail "no edrdiag.prom written in the read-only namespace"
	grep -q '^edrdiag_check_status' "$ro/edrdiag.prom" || fail "no checks in the read-only export"
	diff <(grep '^edrdiag_check_status' "$open/edrdiag.prom" | sort) \
		<(grep '^edrdiag_check_status' "$ro/edrdiag.prom" | sort) ||
		fail "the checks differ on a read-only file system"
}

@test "systemd: CAP_SYS_PTRACE is one the units need: without it the agent's programs lose their owner" {
	local d=$BATS_TEST_TMPDIR/textfile id

	require_root
	need_setpriv
	start_agent
	mkdir -p "$d"
	unit_argv "$TIMER_UNIT" "$d" "--agent $LP_PID"
	run --separate-stderr setpriv --bounding-set "$(unit_caps "$TIMER_UNIT" sys_ptrace)" \
		--inh-caps=-all --no-new-privs "${ARGV[@]}"
	assert_success
	for id in $LP_IDS; do
		grep -qE "^edrdiag_bpf_prog_memlock_bytes\{id=\"$id\",.*,owner=\"\"\} [0-9]+$" "$d/edrdiag.prom" ||
			fail "program $id still has an owner without CAP_SYS_PTRACE: the unit may drop it: $(grep "id=\"$id\"" "$d/edrdiag.prom" | head -3)"
	done
}

@test "systemd: edrdiag-export-http.service's ExecStart, with its capabilities only, serves /metrics and stops on SIGTERM" {
	local port err=$BATS_TEST_TMPDIR/http.err body=$BATS_TEST_TMPDIR/metrics pid rc id _

	require_root
	need_setpriv
	require_prom_tool promtool
	command -v curl >/dev/null || skip "curl not installed"
	start_agent
	port=$(free_port)
	unit_argv "$HTTP_UNIT" "127.0.0.1:$port" "--agent $LP_PID"
	# setpriv itself in the background, not a function's subshell: $! is the exporter
	setpriv --bounding-set "$(unit_caps "$HTTP_UNIT")" --inh-caps=-all --no-new-privs \
		"${ARGV[@]}" >/dev/null 2>"$err" &
	pid=$!
	BG_PIDS+=("$pid")
	for _ in $(seq 200); do
		grep -qsF "listening on http://127.0.0.1:$port/metrics" "$err" && break
		kill -0 "$pid" 2>/dev/null || fail "export --listen exited: $(cat "$err")"
		sleep 0.05
	done
	grep -qF "listening on http://127.0.0.1:$port/metrics" "$err" || fail "not listening in 10 s: $(cat "$err")"
	curl -sS --max-time 20 -o "$body" "http://127.0.0.1:$port/metrics" || fail "GET /metrics failed"
	assert_promtool_metrics "$body"
	# the listen mode's counters, for the agent's programs
	for id in $LP_IDS; do
		grep -qE "^edrdiag_bpf_prog_runs_total\{id=\"$id\",.*,owner=\"loadprogs\"\} [0-9]+$" "$body" ||
			fail "no run counter of the agent's program $id: $(grep "id=\"$id\"" "$body" | head -3)"
	done
	[ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 404 ] ||
		fail "/ is not a 404"
	kill -TERM "$pid"
	rc=0
	timeout 10 tail --pid="$pid" -f /dev/null || fail "still running 10 s after SIGTERM"
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "exit $rc after SIGTERM: $(cat "$err")"
}

@test "systemd: every system call the export makes passes the units' SystemCallFilter" {
	local d=$BATS_TEST_TMPDIR/textfile log=$BATS_TEST_TMPDIR/strace.log err=$BATS_TEST_TMPDIR/http.err
	local allowed denied filter u port spid epid _

	require_root
	need_setpriv
	command -v strace >/dev/null || skip "strace not installed"
	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed: no group definitions"
	command -v curl >/dev/null || skip "curl not installed"
	[ -z "${EDRDIAG_SANITIZED:-}" ] && ! ldd "$EDRDIAG" | grep -q libasan ||
		skip "a sanitizer build: its runtime's system calls are not the export's"
	start_agent
	mkdir -p "$d"
	for u in "$TIMER_UNIT" "$HTTP_UNIT"; do
		filter=$(unit_value "$u" SystemCallFilter)
		[ "$filter" = "$(unit_value "$TIMER_UNIT" SystemCallFilter)" ] ||
			fail "the units' filters differ: the test runs the textfile mode against both"
	done
	[[ "$filter" != "~"* ]] || fail "the test expects an allow list: $filter"
	allowed=$(allowed_syscalls "$filter")
	[ "$(wc -l <<<"$allowed")" -gt 100 ] || fail "the allow list '$filter' expands to: $allowed"
	# the textfile mode
	unit_argv "$TIMER_UNIT" "$d" "--agent $LP_PID"
	as_unit "$TIMER_UNIT" strace -f -qq -o "$log" "${ARGV[@]}" || fail "the traced export failed"
	grep -q '^[0-9]* *bpf(' "$log" || fail "no bpf() in the trace: not the export that ran?"
	denied=$(comm -23 <(traced_syscalls "$log") <(echo "$allowed"))
	[ -z "$denied" ] || fail "the textfile export calls what '$filter' denies: $denied"

	# the listen mode: bound, one scrape, SIGTERM (to the exporter: strace then ends)
	port=$(free_port)
	unit_argv "$HTTP_UNIT" "127.0.0.1:$port" "--agent $LP_PID"
	setpriv --bounding-set "$(unit_caps "$HTTP_UNIT")" --inh-caps=-all --no-new-privs \
		strace -f -qq -o "$log.http" "${ARGV[@]}" >/dev/null 2>"$err" &
	spid=$!
	BG_PIDS+=("$spid")
	for _ in $(seq 400); do
		grep -qsF "listening on http://127.0.0.1:$port/metrics" "$err" && break
		kill -0 "$spid" 2>/dev/null || fail "traced export --listen exited: $(cat "$err")"
		sleep 0.05
	done
	grep -qsF "listening on http://127.0.0.1:$port/metrics" "$err" || fail "not listening in 20 s: $(cat "$err")"
	epid=$(pgrep -P "$spid")
	[ -n "$epid" ] || fail "no exporter under strace $spid"
	BG_PIDS+=("$epid")
	curl -sS --max-time 30 -o /dev/null "http://127.0.0.1:$port/metrics" || fail "GET /metrics failed"
	kill -TERM "$epid"
	timeout 20 tail --pid="$spid" -f /dev/null || fail "still running 20 s after SIGTERM"
	grep -q '^[0-9]* *accept' "$log.http" || fail "no accept in the trace of the listen mode"
	denied=$(comm -23 <(traced_syscalls "$log.http") <(echo "$allowed"))
	[ -z "$denied" ] || fail "the listen mode calls what '$filter' denies: $denied"
}

@test "install: cmake --install puts the examples under share/doc/edrdiag/examples, nowhere systemd looks" {
	local d=$BATS_TEST_TMPDIR/inst ex f u prog

	command -v cmake >/dev/null || skip "cmake not installed"
	[ -f "$(dirname "$EDRDIAG")/cmake_install.cmake" ] || skip "no cmake build in $(dirname "$EDRDIAG")"
	DESTDIR=$d run cmake --install "$(dirname "$EDRDIAG")" --prefix /usr
	assert_success
	ex=$d/usr/share/doc/edrdiag/examples
	for f in README.md systemd/edrdiag-export.service systemd/edrdiag-export.timer \
		systemd/edrdiag-export-http.service prometheus/edrdiag-alerts.yml \
		prometheus/edrdiag-alerts.test.yml; do
		cmp -s "$CONTRIB/$f" "$ex/$f" || fail "contrib/$f not installed as $ex/$f"
	done
	# disabled: no unit anywhere systemd reads them
	u=$(find "$d" \( -name '*.service' -o -name '*.timer' \) ! -path "$ex/*")
	[ -z "$u" ] || fail "units installed outside the examples: $u"
	# the installed rules still pass their installed tests, side by side
	if prom_tool promtool >/dev/null; then
		(cd "$ex/prometheus" && "$(prom_tool promtool)" test rules edrdiag-alerts.test.yml >/dev/null) ||
			fail "the installed rule tests fail"
	fi
	# the units start the binary where the package puts it
	for u in "$TIMER_UNIT" "$HTTP_UNIT"; do
		prog=$(unit_value "$u" ExecStart | cut -d' ' -f1)
		[ -x "$d$prog" ] || fail "$(basename "$u") runs $prog, which the install does not have"
	done
}
