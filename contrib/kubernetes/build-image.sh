#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Build the edrdiag container image from the project's build (build/edrdiag), with podman,
# without a registry: FROM scratch plus the binary, the shared libraries it loads and the
# dynamic loader.
#
#   contrib/kubernetes/build-image.sh [-b BUILD_DIR] [-t TAG]
#
# PODMAN may hold the podman command with global options, for hosts without systemd or
# overlayfs: PODMAN="podman --storage-driver vfs --cgroup-manager cgroupfs".
# The tag defaults to localhost/edrdiag:VERSION (the binary's --version); push it to the
# cluster's registry, or `podman save | ctr -n k8s.io images import -` on each node.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
tag=
while getopts b:t:h opt; do
	case $opt in
	b) build=$(cd "$OPTARG" && pwd) ;;
	t) tag=$OPTARG ;;
	h)
		sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) exit 2 ;;
	esac
done
bin=$build/edrdiag
if [ ! -x "$bin" ]; then
	echo "build-image.sh: no $bin: build edrdiag first (scripts/setup.sh)" >&2
	exit 2
fi
read -r -a podman <<<"${PODMAN:-podman}"
if [ -z "$tag" ]; then
	version=$("$bin" --version | awk 'NR == 1 { print $2 }')
	tag=localhost/edrdiag:${version:-dev}
fi

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
root=$ctx/rootfs
mkdir -p "$root/usr/bin" "$root/usr/share/edrdiag/schemas" "$root/tmp"
chmod 1777 "$root/tmp"
install -m 0755 "$bin" "$root/usr/bin/edrdiag"
cp "$top"/schemas/*.schema.json "$root/usr/share/edrdiag/schemas/"

# every library ldd resolves, and the loader, under their own paths (the binary's PT_INTERP
# and the loader's search path find them there); symlinks resolved to the files. The
# libraries edrdiag opens at run time (collect-report's libarchive, export --listen's
# libmicrohttpd: src/dynlib.h) have no NEEDED entry: found by soname, with their own.
libs() {
	local so path
	ldd "$bin"
	for so in libarchive.so.13 libmicrohttpd.so.12; do
		path=$(ldconfig -p | awk -v so="$so" '$1 == so { print $NF; exit }')
		if [ -z "$path" ]; then
			echo "build-image.sh: $so not installed (scripts/setup.sh): the image's" \
				"collect-report and export --listen open it" >&2
			return 1
		fi
		printf '\t%s => %s (0x0)\n' "$so" "$path"
		ldd "$path"
	done
}
list=$(libs) || exit 2
awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' <<<"$list" | sort -u |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
# an empty /host: the DaemonSet mounts the node there, read-only
mkdir -p "$root/host"

cp "$here/Containerfile" "$ctx/Containerfile"
"${podman[@]}" build --network none --pull=never -f "$ctx/Containerfile" -t "$tag" "$ctx" >&2
echo "$tag"
