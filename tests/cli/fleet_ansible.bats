#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# contrib/ansible (issue 14), for real: ansible-playbook (Debian's ansible-core) drives the
# edrdiag role over SSH to 23 hosts served by sshd instances this file starts on 127.0.0.N:
# 20 judged as different hosts (each its own --root fixture tree, some shared, one the live
# kernel), one where nothing listens (unreachable), one without edrdiag (install disabled,
# no binary), and one whose run exits 3 (edrdiag run unprivileged through setpriv, asked for
# the self-test that needs BPF privilege: refused before any bpf() call). The playbook runs
# twice: the second run changes nothing. The fetched tree is checked host by host against a
# direct run of edrdiag on the same fixture, and fleet-summary's JSON against the same.
#
# Needs root (sshd, root login by key). The sshds bind 127.0.0.N only, on a port found free;
# they, and ssh's control masters, are stopped by teardown_file even when a test failed.
# Every host shares this machine's filesystem: each gets its own prefix and work directory
# under the suite's temporary directory. The playbook runs once per suite, in setup_file,
# each run bounded by `timeout`.

load helper

NHOSTS=20
# ansible-playbook's forks: every host at once (the bench measures forks=10)
FORKS=25

# The fixtures the judged hosts model, in turn (some hosts share one); "" is the live kernel.
HOST_ROOTS=(healthy-6x no-btf no-tracefs lockdown-confidentiality too-old-3.10 old-kernel-4.19
	unpriv-2 no-config config-gz-only no-exec-tracepoint bad-format layout-mismatch
	debugfs-only "" healthy-6x no-btf too-old-3.10 no-tracefs lockdown-confidentiality
	old-kernel-4.19)

# free_port: a port nothing listens on, on any address of 127.0.0.0/8 nor the wildcard
free_port() {
	local p
	for p in 2222 $(seq 22220 22299); do
		ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
	return 1
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	command -v ansible-playbook >/dev/null || return 0
	[ -x /usr/sbin/sshd ] || return 0
	local i n name root
	# outside bats' private (0700) temporary directory: the exit-3 host runs edrdiag as
	# nobody, who must reach its binary
	W=$(mktemp -d /tmp/fleet-ansible.XXXXXX)
	chmod 0755 "$W"
	echo "$W" >"$BATS_FILE_TMPDIR/w"
	mkdir -p "$W/ctl" "$W/hosts" "$W/ansible" "$W/remote-tmp"
	echo -n >"$W/sshd.pids"
	PORT=$(free_port) || { echo "no free port" >"$W/setup.err"; return 0; }
	# sshd's privilege separation directory (Debian's unit makes it at boot)
	mkdir -p /run/sshd && chmod 0755 /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" -C fleet-host
	ssh-keygen -q -t ed25519 -N '' -f "$W/id" -C fleet-controller
	cp "$W/id.pub" "$W/authorized_keys"
	chmod 600 "$W/authorized_keys"
	{
		echo "[edrdiag]"
		for ((i = 0; i < NHOSTS + 2; i++)); do
			n=$((i + 2))
			name=$(printf 'host%02d' "$n")
			if ((i < NHOSTS)); then
				root=${HOST_ROOTS[i]}
				echo "$name ansible_host=127.0.0.$n edrdiag_root=${root:+$FIXTURES/$root}"
				echo "$name ${root:-live}" >>"$W/roots"
			elif ((i == NHOSTS)); then
				# no edrdiag: nothing installed, nothing in its prefix
				echo "noedrdiag ansible_host=127.0.0.$n edrdiag_install=false"
				name=noedrdiag
			else
				# exit 3: run as nobody, self-test asked (needs BPF privilege)
				echo "exit3 ansible_host=127.0.0.$n edrdiag_unprivileged=true edrdiag_self_test=true edrdiag_root=$FIXTURES/healthy-6x"
				name=exit3
			fi
			start_sshd "$n" "$name"
		done
		# nothing listens there: the sshds above took .2 to .$((NHOSTS + 3))
		echo "unreachable ansible_host=127.0.0.$((NHOSTS + 4))"
		echo
		echo "[edrdiag:vars]"
		echo "ansible_port=$PORT"
		echo "ansible_user=root"
		echo "ansible_ssh_private_key_file=$W/id"
		echo "ansible_python_interpreter=/usr/bin/python3"
		echo "edrdiag_binary=$EDRDIAG"
		echo "edrdiag_prefix=$W/hosts/{{ inventory_hostname }}"
		echo "edrdiag_bindir=$W/hosts/{{ inventory_hostname }}/bin"
		echo "edrdiag_remote_dir=$W/hosts/{{ inventory_hostname }}/work"
	} >"$W/inventory.ini"
	wait_sshds || return 0
	run_playbook 1
	run_playbook 2
}

# start_sshd N NAME: an sshd on 127.0.0.N:$PORT only, root by key only, in the background
start_sshd() {
	cat >"$W/sshd.$1.conf" <<-CONF
		ListenAddress 127.0.0.$1:$PORT
		HostKey $W/hostkey
		PidFile none
		AuthorizedKeysFile $W/authorized_keys
		PermitRootLogin prohibit-password
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		StrictModes no
		MaxStartups 100
		Subsystem sftp /usr/lib/openssh/sftp-server
	CONF
	/usr/sbin/sshd -D -e -f "$W/sshd.$1.conf" 2>>"$W/sshd.$1.log" </dev/null &
	echo "$!" >>"$W/sshd.pids"
}

# wait_sshds: every sshd listens (5 s at most)
wait_sshds() {
	local _ want=$((NHOSTS + 2)) have
	for _ in $(seq 100); do
		have=$(ss -Hltn "sport = :$PORT" | grep -c '127\.0\.0\.' || true)
		[ "$have" -ge "$want" ] && return 0
		sleep 0.05
	done
	echo "only $have of $want sshd listening on port $PORT" >"$W/setup.err"
	return 1
}

# run_playbook K: the playbook's K-th run, its output in $W/run.K and its status in
# $W/run.K.rc (120 s at most)
run_playbook() {
	local rc=0 t0
	t0=$(date +%s.%N)
	ANSIBLE_CONFIG=$TOP/contrib/ansible/ansible.cfg \
		ANSIBLE_HOME=$W/ansible ANSIBLE_LOCAL_TEMP=$W/ansible/tmp \
		ANSIBLE_REMOTE_TMP=$W/remote-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$W/ctl \
		ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False \
		ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5" \
		LC_ALL=C.UTF-8 PATH=$(dirname "$EDRDIAG"):$PATH \
		timeout 120 ansible-playbook -i "$W/inventory.ini" "$TOP/contrib/ansible/site.yml" \
		-f "$FORKS" -e edrdiag_results_dir="$W/results" \
		>"$W/run.$1" 2>&1 || rc=$?
	echo "$rc" >"$W/run.$1.rc"
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$W/run.$1.seconds"
}

teardown_file() {
	local p
	W=$(cat "$BATS_FILE_TMPDIR/w" 2>/dev/null) || return 0
	[ -f "$W/sshd.pids" ] || { rm -rf "$W"; return 0; }
	while read -r p; do
		kill -KILL "$p" 2>/dev/null || true
	done <"$W/sshd.pids"
	# ssh's control masters, whose connections are gone with the servers
	for p in "$W"/ctl/*; do
		if [ -S "$p" ]; then ssh -o ControlPath="$p" -O exit dummy >/dev/null 2>&1 || true; fi
	done
	rm -rf "$W"
}

setup() {
	require_root
	command -v ansible-playbook >/dev/null || skip "ansible-playbook not installed (apt install ansible-core)"
	[ -x /usr/sbin/sshd ] || skip "sshd not installed (apt install openssh-server)"
	W=$(cat "$BATS_FILE_TMPDIR/w") || fail "setup_file did not run"
	[ ! -s "$W/setup.err" ] || fail "setup: $(cat "$W/setup.err")"
	[ -f "$W/run.2.rc" ] || fail "the playbook did not run"
	RESULTS=$W/results
	# the hosts judged on a fixture (or the live kernel), not the three odd ones
	mapfile -t JUDGED < <(awk '{ print $1 }' "$W/roots")
}

# recap HOST RUN: HOST's line of the PLAY RECAP of run RUN
recap() {
	grep -E "^$1 +:" "$W/run.$2" || echo "$1: no recap line"
}

# direct HOST COMMAND: what edrdiag gives run directly on HOST's fixture (JSON, keys sorted);
# sets DIRECT_RC
direct() {
	local root
	root=$(awk -v h="$1" '$1 == h { print $2 }' "$W/roots")
	DIRECT_RC=0
	if [ "$root" = live ]; then
		DIRECT_OUT=$("$EDRDIAG" "$2" --json) || DIRECT_RC=$?
	else
		DIRECT_OUT=$("$EDRDIAG" "$2" --json --root "$FIXTURES/$root") || DIRECT_RC=$?
	fi
	DIRECT_OUT=$(printf '%s' "$DIRECT_OUT" | jq -S .)
}

@test "fleet/ansible: the first run judges every reachable host and fails the three it should" {
	local h
	# ansible-playbook's status: 2 a host failed, 4 a host unreachable (bits of a mask)
	run cat "$W/run.1.rc"
	[[ "$output" =~ ^(2|4|6)$ ]] || fail "playbook exit $output: $(tail -40 "$W/run.1")"
	for h in "${JUDGED[@]}"; do
		run recap "$h" 1
		assert_output --regexp 'unreachable=0 +failed=0 '
	done
	run recap unreachable 1
	assert_output --regexp 'unreachable=1 '
	run recap noedrdiag 1
	assert_output --regexp 'failed=1 '
	run recap exit3 1
	assert_output --regexp 'failed=1 '
	run grep -c 'edrdiag could not judge this host: run-sensor-self-test exited' "$W/run.1"
	assert_output 1
	run grep -c "missing $W/hosts/noedrdiag/bin/edrdiag" "$W/run.1"
	assert_output --regexp '^[1-9]'
	run recap localhost 1
	assert_output --regexp 'failed=0 '
}

@test "fleet/ansible: the second run changes nothing" {
	local line
	run cat "$W/run.2.rc"
	[[ "$output" =~ ^(2|4|6)$ ]] || fail "playbook exit $output: $(tail -40 "$W/run.2")"
	run sed -n '/^PLAY RECAP/,$p' "$W/run.2"
	[ "$(printf '%s\n' "$output" | grep -c ' : ok=')" -eq $((NHOSTS + 4)) ] ||
		fail "not every host in the recap: $output"
	while read -r line; do
		[[ "$line" =~ changed=0\  ]] || fail "second run changed something: $line"
	done < <(printf '%s\n' "$output" | grep ' : ok=')
	echo "# playbook wall time: first run $(cat "$W/run.1.seconds") s, second $(cat "$W/run.2.seconds") s" >&3
	# and the first run did change things: the binaries were copied, results fetched
	grep -E '^host02 +:.* changed=[1-9]' "$W/run.1" || fail "first run changed nothing?"
}

@test "fleet/ansible: each host's fetched documents are what edrdiag gives on its fixture" {
	local h st worst
	for h in "${JUDGED[@]}"; do
		worst=0
		for c in check-kernel check-tracepoints; do
			[ -s "$RESULTS/$h/$c.json" ] || fail "$h: $c.json not fetched"
			direct "$h" "$c"
			run jq -S . "$RESULTS/$h/$c.json"
			assert_success
			[ "$output" = "$DIRECT_OUT" ] ||
				fail "$h: fetched $c.json differs from a direct run: $(diff <(echo "$output") <(echo "$DIRECT_OUT") | head -20)"
			((DIRECT_RC <= worst)) || worst=$DIRECT_RC
			validate_json <"$RESULTS/$h/$c.json"
		done
		st=$(cat "$RESULTS/$h/exit-status")
		[ "$st" = "$worst" ] || fail "$h: exit-status $st, direct runs gave $worst"
		[ ! -e "$RESULTS/$h/run-sensor-self-test.json" ] || fail "$h: a self-test nobody asked for"
	done
	# the hosts differ: at least one passes and one fails each check
	run cat "$RESULTS"/host*/exit-status
	assert_line 0
	assert_line 1
}

@test "fleet/ansible: the exit-3 host's error document and the host without edrdiag are fetched as such" {
	[ "$(cat "$RESULTS/exit3/exit-status")" = 3 ] || fail "exit3: exit-status $(cat "$RESULTS/exit3/exit-status")"
	run cat "$RESULTS/exit3/run-sensor-self-test.json"
	assert_error_doc privilege 'needs BPF privilege'
	# its checks ran (unprivileged, on a fixture): data as for any host
	run jq -r .status "$RESULTS/exit3/check-kernel.json"
	assert_output warn
	[ "$(cat "$RESULTS/noedrdiag/exit-status")" = 127 ] || fail "noedrdiag: exit-status not 127"
	run ls "$RESULTS/noedrdiag"
	assert_output exit-status
	[ ! -e "$W/hosts/noedrdiag/bin/edrdiag" ] || fail "edrdiag installed where install was off"
	[ ! -e "$RESULTS/unreachable" ] || fail "results for the unreachable host: $(ls -R "$RESULTS/unreachable")"
}

@test "fleet/ansible: fleet-summary lists the unreachable, no-edrdiag and exit-3 hosts apart, and counts right" {
	local h c want got
	[ -s "$W/results.summary.json" ] || fail "no results.summary.json: $(grep -A5 'Summarise' "$W/run.2" | tail -20)"
	run cat "$W/results.summary.json"
	assert_one_json
	S=$W/results.summary.json
	# verdict of each host
	run jq -r '.hosts[] | "\(.name) \(.verdict)"' "$S"
	assert_success
	assert_line 'unreachable no_result'
	assert_line 'noedrdiag no_result'
	assert_line 'exit3 environment'
	for h in "${JUDGED[@]}"; do
		case $(cat "$RESULTS/$h/exit-status") in
		0) want='(pass|warn)' ;;
		1) want=fail ;;
		*) want=error ;;
		esac
		assert_line --regexp "^$h $want\$"
	done
	# the three listed apart, and only they
	run jq -r '.no_result[] | "\(.name) \(.verdict)"' "$S"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sort)" "$(printf '%s\n' 'exit3 environment' 'noedrdiag no_result' 'unreachable no_result')"
	# per check, the counts by status are those of the fetched documents
	for c in check-kernel check-tracepoints; do
		for st in pass warn fail; do
			want=$(cat "$RESULTS"/host*/"$c.json" "$RESULTS/exit3/$c.json" |
				jq -s --arg s "$st" '[.[] | select(.status == $s)] | length')
			got=$(jq --arg c "$c" --arg s "$st" '.checks[] | select(.name == $c) | .counts[$s]' "$S")
			[ "$got" = "$want" ] || fail "$c $st: fleet-summary counts $got, the documents $want"
		done
	done
	# verdicts: as many failing hosts as hosts whose runs exited 1
	want=$(grep -lx 1 "$RESULTS"/host*/exit-status | wc -l)
	run jq .verdicts.fail "$S"
	assert_output "$want"
	# coverage: the 23 hosts of the inventory expected, the 20 judged with a result
	run jq -r '"\(.with_result)/\(.expected)"' "$S"
	assert_output "$NHOSTS/$((NHOSTS + 3))"
	# the plain table was printed by the playbook, the unreachable host in it
	grep -q 'unreachable' <(sed -n '/TASK \[Show the summary\]/,/^PLAY RECAP/p' "$W/run.2") ||
		fail "no summary table in the playbook's output"
}
