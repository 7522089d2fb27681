#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Set up a Debian 12 machine to build and test edrdiag, then build it.
#   1. install the build and test dependencies with apt (only those missing: idempotent)
#   2. mount the kernel's pseudo-filesystems a normal boot mounts (tracefs, debugfs,
#      securityfs, bpffs) when they are not: minimal VMs and containers often lack them,
#      and the live tests check this host, not a fixture
#   3. configure and build into build/
# Run as root (apt, mount). Options: --no-mount, --no-build.
set -euo pipefail

cd "$(dirname "$0")/.."

mount_fs=1
build=1
for arg in "$@"; do
	case "$arg" in
	--no-mount) mount_fs=0 ;;
	--no-build) build=0 ;;
	-h | --help)
		sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "setup.sh: unknown option '$arg'" >&2
		exit 2
		;;
	esac
done

# build: compiler, cmake, pkg-config, the libraries, clang + bpftool for the BPF sensor
# (bpftool generates its skeleton), and gettext (msgfmt builds the Chinese catalogue;
# xgettext, msgmerge and msgattrib update it and run its completeness test); test: bats,
# jq, man, strace, python3-jsonschema (the schemas/ check of every JSON document the suites
# produce); hardening: the sanitizer and libFuzzer runtimes (libclang-rt), llvm-symbolizer
# (llvm) for readable reports, valgrind, clang-format, shellcheck, cppcheck; packaging:
# dpkg-dev and file (CPack runs dpkg-shlibdeps for the .deb's Depends, and file to find the
# binaries); bench: libbpf-tools (execsnoop), time; export: libmicrohttpd-dev (the HTTP
# endpoint of `edrdiag export --listen`)
packages=(
	gcc make cmake pkg-config
	libbpf-dev libelf-dev libjansson-dev zlib1g-dev libarchive-dev
	clang bpftool gettext
	bats bats-assert bats-support jq man-db groff-base util-linux strace python3-jsonschema
	libclang-rt-14-dev llvm valgrind clang-format shellcheck cppcheck
	dpkg-dev file
	libbpf-tools time
	libmicrohttpd-dev
	# check-object: pahole (dwarves) makes the trimmed target BTF of the CO-RE failure test
	dwarves
	# fleet: contrib/ansible's test and bench drive loopback sshd instances they start
	# themselves (the package's own sshd is kept from starting, below), sos collect beside it
	ansible-core openssh-server sosreport
	# contrib/kubernetes: podman builds and runs the image (runc where crun refuses hybrid
	# cgroups); yamllint and python3-yaml check the playbooks and manifests
	podman runc yamllint python3-yaml
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: missing packages (${missing[*]}) and not root: run it as root" >&2
		exit 3
	fi
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# No service a package brings may start listening on this machine's addresses (sshd
	# on 0.0.0.0:22): policy-rc.d refuses every start during the install, and a unit the
	# install enabled is disabled again. The tests start their own servers on loopback.
	# (removed on any way out, an interrupted install included: it is the host's file)
	ours=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		ours=/usr/sbin/policy-rc.d
		trap 'rm -f "$ours"' EXIT
		printf '#!/bin/sh\nexit 101\n' >"$ours"
		chmod 755 "$ours"
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[ -z "$ours" ] || rm -f "$ours"
	trap - EXIT
	if [[ " ${missing[*]} " == *" openssh-server "* ]] && command -v systemctl >/dev/null; then
		systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
	fi
else
	echo "setup.sh: all ${#packages[@]} packages present"
fi

# Prometheus' own tools for the export tests and bench (promtool, prometheus, node_exporter):
# unpacked from Debian's packages into .tools/prom, never installed, since installing them
# starts services listening on every address. Only libc is needed to run them.
fetch_prom_tools() {
	local dir=.tools/prom pkgs=(prometheus prometheus-node-exporter) deb
	[ -x "$dir/usr/bin/promtool" ] && [ -x "$dir/usr/bin/prometheus-node-exporter" ] && return 0
	mkdir -p .tools/debs
	if ! (cd .tools/debs && apt-get download -qq "${pkgs[@]}" 2>/dev/null); then
		[ "$(id -u)" -eq 0 ] && apt-get update -qq
		(cd .tools/debs && apt-get download -qq "${pkgs[@]}")
	fi
	for deb in .tools/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir"
	done
	echo "setup.sh: Prometheus tools unpacked in $dir"
}
fetch_prom_tools

# fstype, mount point: what systemd mounts at boot
mount_if_missing() {
	local type=$1 dir=$2
	grep -q "^[^ ]* $dir $type " /proc/mounts && return 0
	grep -qw "$type" /proc/filesystems || {
		echo "setup.sh: kernel has no $type; not mounting $dir"
		return 0
	}
	[ -d "$dir" ] || return 0
	if mount -t "$type" "$type" "$dir" 2>/dev/null; then
		echo "setup.sh: mounted $type at $dir"
	else
		echo "setup.sh: could not mount $type at $dir (not root, or in a container?)"
	fi
}
if [ "$mount_fs" -eq 1 ] && [ "$(id -u)" -eq 0 ]; then
	mount_if_missing debugfs /sys/kernel/debug
	mount_if_missing tracefs /sys/kernel/tracing
	mount_if_missing securityfs /sys/kernel/security
	mount_if_missing bpf /sys/fs/bpf
fi

if [ "$build" -eq 1 ]; then
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDRDIAG_WERROR=ON >/dev/null
	cmake --build build -j"$(nproc)"
fi
