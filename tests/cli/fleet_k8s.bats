#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# contrib/kubernetes: the manifests hold what they promise (yamllint, and the JSON Schema of
# the fields the DaemonSet relies on, which an edit widening privileges fails), and the
# image built with podman from build/ judges this host, run with the DaemonSet's own mounts
# and capabilities (read from the manifest by podman-args.py), as a host run does.
#
# podman runs here without systemd or overlayfs: vfs storage and the cgroupfs manager, in a
# storage of the suite's own under its temporary directory (removed with it); runc when crun
# refuses the host's hybrid cgroup layout. The containers start no server: they read files.

load helper

K8S=$TOP/contrib/kubernetes
DS=$K8S/edrdiag-daemonset.yaml
JOB=$K8S/edrdiag-collect-job.yaml
# the suite's own storage holds it alone: a fixed tag
TAG=localhost/edrdiag-fleet-test:bats

# the podman command, with the suite's own storage: PODMAN[@]
podman_cmd() {
	local store=$BATS_FILE_TMPDIR/podman
	PODMAN=(podman --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
		--root "$store/root" --runroot "$store/run" --tmpdir "$store/tmp")
	[ -z "${RUNTIME:-}" ] || PODMAN+=(--runtime "$RUNTIME")
}

# podman run's rlimits: podman raises nofile and nproc to 1048576 by default, which a
# root without CAP_SYS_RESOURCE (this VM's) may not; ask for the limits the caller has
ulimits() {
	local nproc
	nproc=$(ulimit -Hu)
	[ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096
	printf '%s\n' --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit "nproc=$nproc:$nproc"
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	command -v podman >/dev/null || return 0
	[ -x "$EDRDIAG" ] || return 0
	mkdir -p "$BATS_FILE_TMPDIR/podman/tmp"
	local rt log=$BATS_FILE_TMPDIR/podman.log
	export PODMAN_WHY="" RUNTIME=""
	podman_cmd
	env PODMAN="${PODMAN[*]}" timeout 120 "$K8S/build-image.sh" -b "$(dirname "$EDRDIAG")" \
		-t "$TAG" >"$log" 2>&1 || {
		PODMAN_WHY="build-image.sh failed: $(tail -n 1 "$log")"
		return 0
	}
	# the first runtime that runs a container of the image here
	for rt in crun runc; do
		command -v "$rt" >/dev/null || continue
		RUNTIME=$rt
		podman_cmd
		# shellcheck disable=SC2046
		if timeout 60 "${PODMAN[@]}" run --pull=never --rm --network none --cap-drop all \
			$(ulimits) "$TAG" --version >>"$log" 2>&1; then
			export RUNTIME
			return 0
		fi
	done
	RUNTIME=""
	PODMAN_WHY="podman cannot run a container here (crun, runc): $(tail -n 1 "$log")"
}

teardown_file() {
	[ "$(id -u)" -eq 0 ] && command -v podman >/dev/null || return 0
	podman_cmd
	timeout 60 "${PODMAN[@]}" rm --all --force >/dev/null 2>&1 || true
	timeout 60 "${PODMAN[@]}" rmi --force "$TAG" >/dev/null 2>&1 || true
	# vfs layers are plain directories, some read-only: make sure they go with the tmpdir
	chmod -R u+w "$BATS_FILE_TMPDIR/podman" 2>/dev/null || true
	rm -rf "$BATS_FILE_TMPDIR/podman"
}

require_podman() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (uid $(id -u)): rootful podman, the host's files mounted"
	command -v podman >/dev/null || skip "podman not installed (scripts/setup.sh installs it)"
	[ -n "${RUNTIME:-}" ] || skip "${PODMAN_WHY:-podman cannot run containers here}"
	podman_cmd
}

# the verdicts of a JSON document on stdin: "id status", one a line, in report order
verdicts() {
	jq -r '.results[] | "\(.id) \(.status)"'
}

# run_container NAME: run the DaemonSet's container NAME as the manifest says (its mounts,
# capabilities, security context, host namespaces, args), with the image under test;
# stdout in $BATS_TEST_TMPDIR/NAME.container.json, exit status in $crc
run_container() {
	local args=() line image=1 opts=() cmd=()
	mapfile -t args < <("$K8S/podman-args.py" "$DS" "$1")
	[ "${#args[@]}" -gt 3 ] || fail "podman-args.py: nothing for $1"
	for line in "${args[@]}"; do
		if [ "$line" = -- ]; then
			image=0
		elif [ "$image" -eq 1 ]; then
			opts+=("$line")
		else
			cmd+=("$line")
		fi
	done
	# the last option is the manifest's image: the one just built stands for it
	unset 'opts[${#opts[@]}-1]'
	crc=0
	# shellcheck disable=SC2046
	timeout 120 "${PODMAN[@]}" run --pull=never --rm $(ulimits) "${opts[@]}" "$TAG" "${cmd[@]}" \
		>"$BATS_TEST_TMPDIR/$1.container.json" 2>"$BATS_TEST_TMPDIR/$1.container.err" || crc=$?
}

# host_root_run COMMAND: the same build on the host, under --root of a tree holding the
# same host paths at the same places as the container's /host (bind mounts, in a mount
# namespace of its own that goes with the process); stdout in COMMAND.host.json, exit
# status in $hrc
host_root_run() {
	local tree=$BATS_TEST_TMPDIR/tree script="" src dst line
	while read -r line; do
		case $line in --volume=*) ;; *) continue ;; esac
		line=${line#--volume=}
		src=${line%%:*}
		dst=${line#*:}
		dst=${dst%:ro}
		case $dst in /host/*) ;; *) continue ;; esac
		if [ -d "$src" ]; then
			mkdir -p "$tree$dst"
		else
			mkdir -p "$(dirname "$tree$dst")"
			: >"$tree$dst"
		fi
		script+="mount --rbind '$src' '$tree$dst' && mount -o remount,bind,ro '$tree$dst' && "
	done < <("$K8S/podman-args.py" "$DS" "$1")
	[ -n "$script" ] || fail "no host mounts in the DaemonSet's $1"
	hrc=0
	timeout 120 unshare --mount --propagation private sh -c \
		"${script}exec '$EDRDIAG' --no-color --json --root '$tree/host' $1" \
		>"$BATS_TEST_TMPDIR/$1.host.json" 2>"$BATS_TEST_TMPDIR/$1.host.err" || hrc=$?
}

@test "fleet_k8s: the manifests pass yamllint" {
	command -v yamllint >/dev/null || skip "yamllint not installed (scripts/setup.sh installs it)"
	run yamllint --strict -c "$K8S/.yamllint" "$DS" "$JOB" "$K8S/.yamllint"
	assert_success
	assert_output ""
}

@test "fleet_k8s: the manifests hold what the schema asks, and a widened DaemonSet fails it" {
	run --separate-stderr "$K8S/check-manifests.py" "$DS" "$JOB"
	assert_success
	assert_output ""
	# the oracle can fail: each edit that widens privileges is caught, by what it broke
	sed 's/privileged: false/privileged: true/' "$DS" >"$BATS_TEST_TMPDIR/priv.yaml"
	sed '0,/readOnly: true}/s//readOnly: false}/' "$DS" >"$BATS_TEST_TMPDIR/rw.yaml"
	sed 's/drop: \[ALL\]/drop: [NET_RAW]/' "$DS" >"$BATS_TEST_TMPDIR/drop.yaml"
	sed 's/--root, \/host,/--root, \/,/' "$DS" >"$BATS_TEST_TMPDIR/root.yaml"
	sed 's/SYS_PTRACE\]/SYS_PTRACE, NET_ADMIN]/' "$DS" >"$BATS_TEST_TMPDIR/caps.yaml"
	sed 's/path: \/proc, type/path: \/tmp, type/' "$DS" >"$BATS_TEST_TMPDIR/proc.yaml"
	local f want
	for f in priv:privileged rw:readOnly drop:drop root:args caps:add proc:/host/proc; do
		want=${f#*:}
		run "$K8S/check-manifests.py" "$BATS_TEST_TMPDIR/${f%%:*}.yaml"
		assert_failure 1
		assert_output --partial "$want"
	done
	sed 's/nodeName: NODE_NAME/nodeName: ""/' "$JOB" >"$BATS_TEST_TMPDIR/job.yaml"
	run "$K8S/check-manifests.py" "$BATS_TEST_TMPDIR/job.yaml"
	assert_failure 1
	assert_output --partial nodeName
}

@test "fleet_k8s: the image holds nothing but the build: edrdiag, its libraries, the loader" {
	require_podman
	run timeout 60 "${PODMAN[@]}" image inspect --format '{{.Config.Entrypoint}}' "$TAG"
	assert_success
	assert_output "[/usr/bin/edrdiag]"
	# the binary in the image is this build's, byte for byte
	local id
	# shellcheck disable=SC2046
	id=$(timeout 60 "${PODMAN[@]}" create --pull=never $(ulimits) --network none "$TAG")
	timeout 60 "${PODMAN[@]}" cp "$id:/usr/bin/edrdiag" "$BATS_TEST_TMPDIR/edrdiag.img"
	timeout 60 "${PODMAN[@]}" rm "$id" >/dev/null
	cmp "$EDRDIAG" "$BATS_TEST_TMPDIR/edrdiag.img"
	# no shell: the image runs edrdiag and nothing else
	# shellcheck disable=SC2046
	run -127 timeout 60 "${PODMAN[@]}" run --pull=never --rm $(ulimits) --network none --entrypoint /bin/sh "$TAG" -c true
}

@test "fleet_k8s: check-kernel in the image, as the DaemonSet runs it, judges as a host run" {
	require_podman
	run_container check-kernel
	host_root_run check-kernel
	[ "$crc" -eq "$hrc" ] || fail "exit $crc in the container, $hrc on the host: $(cat "$BATS_TEST_TMPDIR/check-kernel.container.err")"
	[ "$crc" -le 1 ] || fail "container exit $crc: $(cat "$BATS_TEST_TMPDIR/check-kernel.container.err")"
	validate_json <"$BATS_TEST_TMPDIR/check-kernel.container.json"
	verdicts <"$BATS_TEST_TMPDIR/check-kernel.container.json" >"$BATS_TEST_TMPDIR/c"
	verdicts <"$BATS_TEST_TMPDIR/check-kernel.host.json" >"$BATS_TEST_TMPDIR/h"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/c")" -ge 10 ] || fail "too few findings: $(cat "$BATS_TEST_TMPDIR/c")"
	run diff -u "$BATS_TEST_TMPDIR/h" "$BATS_TEST_TMPDIR/c"
	assert_success
	# and against the live run: only what --root cannot judge differs (the capabilities
	# and the live probes skip; the kprobes options lean on the probes' answer)
	"$EDRDIAG" --no-color --json check-kernel | verdicts >"$BATS_TEST_TMPDIR/l" || true
	run diff "$BATS_TEST_TMPDIR/l" "$BATS_TEST_TMPDIR/c"
	local line
	for line in "${lines[@]}"; do
		case $line in
		[\<\>]\ priv.capabilities\ * | [\<\>]\ probe.*) ;;
		[\<\>]\ kconfig.CONFIG_KPROBES\ * | [\<\>]\ kconfig.CONFIG_KPROBE_EVENTS\ *) ;;
		[\<\>]\ *) fail "differs from the live run: $line" ;;
		esac
	done
	# the file checks a node needs the DaemonSet's mounts for did pass through them
	grep -qx 'sysctl.bpf_jit_enable pass' "$BATS_TEST_TMPDIR/l" &&
		{ grep -qx 'sysctl.bpf_jit_enable pass' "$BATS_TEST_TMPDIR/c" || fail "bpf_jit_enable: hostNetwork?"; }
	grep -qx 'fs.bpffs pass' "$BATS_TEST_TMPDIR/l" &&
		{ grep -qx 'fs.bpffs pass' "$BATS_TEST_TMPDIR/c" || fail "fs.bpffs: the /sys/fs/bpf mount?"; }
	true
}

@test "fleet_k8s: check-tracepoints in the image, as the DaemonSet runs it, judges as a host run" {
	require_podman
	run_container check-tracepoints
	host_root_run check-tracepoints
	[ "$crc" -eq "$hrc" ] || fail "exit $crc in the container, $hrc on the host: $(cat "$BATS_TEST_TMPDIR/check-tracepoints.container.err")"
	[ "$crc" -le 1 ] || fail "container exit $crc: $(cat "$BATS_TEST_TMPDIR/check-tracepoints.container.err")"
	validate_json <"$BATS_TEST_TMPDIR/check-tracepoints.container.json"
	verdicts <"$BATS_TEST_TMPDIR/check-tracepoints.container.json" >"$BATS_TEST_TMPDIR/c"
	verdicts <"$BATS_TEST_TMPDIR/check-tracepoints.host.json" >"$BATS_TEST_TMPDIR/h"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/c")" -ge 3 ] || fail "too few findings: $(cat "$BATS_TEST_TMPDIR/c")"
	run diff -u "$BATS_TEST_TMPDIR/h" "$BATS_TEST_TMPDIR/c"
	assert_success
	# tracepoints are files: the live run says the same
	"$EDRDIAG" --no-color --json check-tracepoints | verdicts >"$BATS_TEST_TMPDIR/l" || true
	run diff -u "$BATS_TEST_TMPDIR/l" "$BATS_TEST_TMPDIR/c"
	assert_success
}

@test "fleet_k8s: the image's export --listen opens libmicrohttpd, which the binary does not link" {
	require_podman
	# inside the container's own network namespace (--network none): its loopback only.
	# SIGINT after 6 s: podman passes it on and export stops as it does on a node.
	# shellcheck disable=SC2046
	run timeout -s INT 6 "${PODMAN[@]}" run --pull=never --rm $(ulimits) --network none \
		--cap-drop all --cap-add CAP_BPF,CAP_PERFMON "$TAG" --no-color export \
		--listen 127.0.0.1:9475 --no-checks
	[[ $output == *"listening on http://127.0.0.1:9475/metrics"* ]] ||
		fail "export --listen did not serve in the image: $output"
	[[ $output != *"cannot load"* ]] || fail "$output"
}
