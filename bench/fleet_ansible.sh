#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Wall time of contrib/ansible/site.yml over N loopback hosts (default 50) at forks=10: one
# sshd per host on 127.0.0.2.., root login by a key made here, every host judging its own
# fixture tree (tests/fixtures, in turn). Two runs: the first installs and fetches, the
# second (nothing changed) only reruns the checks. Beside them, in the same run, `sos collect`
# over the same hosts (sosreport, plugins kernel and ebpf: what bears on the sensor), or why
# it could not run.
# Usage: bench/fleet_ansible.sh [HOSTS] [FORKS]   (as root; ansible-core, openssh-server)
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

hosts=${1:-50}
forks=${2:-10}
positive "$hosts" "$me [HOSTS] [FORKS]"
positive "$forks" "$me [HOSTS] [FORKS]"
[ "$hosts" -le 250 ] || die "at most 250 hosts (127.0.0.2 to .251)"
edrdiag=$(realpath "${EDRDIAG:-build/edrdiag}")
need_root "sshd and root login by key"
need_built "$edrdiag"
need_cmd ansible-playbook ssh-keygen ss
[ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd missing (scripts/setup.sh installs openssh-server)"

W=$(mktemp -d /tmp/fleet-bench.XXXXXX)
chmod 0755 "$W"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	# ssh's control masters (ansible's in ctl/, sos collect's in its tmp dir, whose
	# socket sos has unlinked by then): their sessions in the sshds killed above end with
	# them. Found by their control path under this run's own temp dir, killed by pid.
	for p in /proc/[0-9]*; do
		case $(tr '\0' ' ' 2>/dev/null <"$p/cmdline") in
		"ssh: $W/"*) kill "${p#/proc/}" 2>/dev/null || true ;;
		esac
	done
	rm -rf "$W"
}
trap cleanup EXIT

port=
for p in 2222 $(seq 22220 22299); do
	ss -Hltn "sport = :$p" | grep -q . || { port=$p; break; }
done
[ -n "$port" ] || die "no free port"

mkdir -p /run/sshd "$W/ctl" "$W/ansible" "$W/remote-tmp"
chmod 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" -C fleet-host
ssh-keygen -q -t ed25519 -N '' -f "$W/id" -C fleet-controller
cp "$W/id.pub" "$W/authorized_keys"

roots=(healthy-6x no-btf no-tracefs lockdown-confidentiality too-old-3.10 old-kernel-4.19
	unpriv-2 no-config config-gz-only no-exec-tracepoint bad-format layout-mismatch
	debugfs-only)
{
	echo "[edrdiag]"
	for ((i = 0; i < hosts; i++)); do
		n=$((i + 2))
		printf 'host%03d ansible_host=127.0.0.%d edrdiag_root=%s\n' "$n" "$n" \
			"$PWD/tests/fixtures/${roots[i % ${#roots[@]}]}"
		cat >"$W/sshd.$n.conf" <<-CONF
			ListenAddress 127.0.0.$n:$port
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
		/usr/sbin/sshd -D -e -f "$W/sshd.$n.conf" 2>>"$W/sshd.log" </dev/null &
		pids+=("$!")
	done
	echo
	echo "[edrdiag:vars]"
	echo "ansible_port=$port"
	echo "ansible_user=root"
	echo "ansible_ssh_private_key_file=$W/id"
	echo "ansible_python_interpreter=/usr/bin/python3"
	echo "edrdiag_binary=$edrdiag"
	echo "edrdiag_bindir=$W/hosts/{{ inventory_hostname }}/bin"
	echo "edrdiag_remote_dir=$W/hosts/{{ inventory_hostname }}/work"
} >"$W/inventory.ini"

for _ in $(seq 200); do
	[ "$(ss -Hltn "sport = :$port" | grep -c '127\.0\.0\.')" -ge "$hosts" ] && break
	sleep 0.05
done
[ "$(ss -Hltn "sport = :$port" | grep -c '127\.0\.0\.')" -ge "$hosts" ] ||
	die "not every sshd listens on port $port: $(tail -5 "$W/sshd.log")"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# playbook K: one run, its output in $W/run.K; prints its wall time and recap totals
playbook() {
	local t0 t1 rc=0
	t0=$(now)
	ANSIBLE_CONFIG=$PWD/contrib/ansible/ansible.cfg \
		ANSIBLE_HOME=$W/ansible ANSIBLE_LOCAL_TEMP=$W/ansible/tmp \
		ANSIBLE_REMOTE_TMP=$W/remote-tmp ANSIBLE_SSH_CONTROL_PATH_DIR=$W/ctl \
		ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False \
		ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5" \
		LC_ALL=C.UTF-8 PATH=$(dirname "$edrdiag"):$PATH \
		timeout 1200 ansible-playbook -i "$W/inventory.ini" contrib/ansible/site.yml \
		-f "$forks" -e edrdiag_results_dir="$W/results" >"$W/run.$1" 2>&1 || rc=$?
	t1=$(now)
	awk -v k="$1" -v t="$(secs "$t0" "$t1")" -v rc="$rc" '
		/^PLAY RECAP/ { on = 1; next }
		on && / : ok=/ { n++; for (i = 3; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } }
		END { printf "playbook run %d: %6.1f s  exit %d  hosts %d  ok=%d changed=%d unreachable=%d failed=%d\n",
			k, t, rc, n, s["ok"], s["changed"], s["unreachable"], s["failed"] }' "$W/run.$1"
}

echo "hosts: $hosts sshd on 127.0.0.2-$((hosts + 1)):$port; forks: $forks; load before: $(cut -d' ' -f1-3 /proc/loadavg); CPUs: $(nproc)"
playbook 1
playbook 2
echo "fetched: $(find "$W/results" -name '*.json' | wc -l) documents from $(find "$W/results" -mindepth 1 -maxdepth 1 -type d | wc -l) hosts"

# sos collect over the same hosts, same key, same concurrency
if ! command -v sos >/dev/null; then
	echo "sos collect: not run: sosreport not installed"
	exit 0
fi
nodes=$(seq -s, -f '127.0.0.%g' 2 $((hosts + 1)))
mkdir -p "$W/sos"
t0=$(now)
rc=0
HOME=$W timeout 1800 sos collect --batch --no-local --nodes "$nodes" --ssh-port "$port" \
	--ssh-user root --ssh-key "$W/id" --jobs "$forks" --only-plugins kernel,ebpf \
	--tmp-dir "$W/sos" >"$W/sos.log" 2>&1 || rc=$?
t1=$(now)
archives=$(find "$W/sos" -name '*.tar*' | wc -l)
size=$(find "$W/sos" -name '*.tar*' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f MB", s / 1e6 }')
collected=$(grep -c 'Successfully collected sosreport' "$W/sos.log" || true)
failed=$(grep -ciE 'fail|error' "$W/sos.log" || true)
echo "sos collect: $(secs "$t0" "$t1") s  exit $rc  nodes collected $collected of $hosts" \
	" archives $archives ($size)  lines saying fail/error $failed"
if [ "$rc" -ne 0 ] || [ "$collected" -eq 0 ]; then
	echo "sos collect did not collect; its last words:"
	tail -15 "$W/sos.log" | sed 's/^/  /'
fi
