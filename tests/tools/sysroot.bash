# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Fixture sysroots for the bats suites: copy one to the test's own directory (so a test may
# change it) and give it the BTF its kernel would have. Load after helper.bash.
# ROOT is for the .bats files that load this:
# shellcheck disable=SC2034

MKBTF=${MKBTF:-$TOOLS/mkbtf}

# mkbtf_to DIR [--no-ringbuf] [FILENAME_OFF PID_OFF OLD_PID_OFF]: write
# DIR/sys/kernel/btf/vmlinux (--no-ringbuf: a kernel before 5.8, without BPF_MAP_TYPE_RINGBUF).
mkbtf_to() {
	local dir=$1 opts=()
	shift
	if [ "${1-}" = --no-ringbuf ]; then
		opts=(--no-ringbuf)
		shift
	fi
	[ -x "$MKBTF" ] || fail "$MKBTF not built: cmake --build build (target mkbtf)"
	mkdir -p "$dir/sys/kernel/btf"
	"$MKBTF" "${opts[@]}" "$dir/sys/kernel/btf/vmlinux" "$@" || fail "mkbtf ${opts[*]} $* failed"
}

# sysroot NAME: copy tests/fixtures/NAME to $BATS_TEST_TMPDIR/NAME and set ROOT to the copy.
# A fixture with a sys/kernel/btf/ directory models a kernel with BTF: vmlinux is generated
# with the kernel's own offsets for sched_process_exec (8 12 16).
sysroot() {
	local src=$FIXTURES/$1 dst=$BATS_TEST_TMPDIR/$1

	ROOT=
	[ -d "$src" ] || fail "no fixture $src"
	rm -rf "$dst"
	cp -R "$src" "$dst" || fail "cannot copy $src"
	if [ -d "$dst/sys/kernel/btf" ]; then
		mkbtf_to "$dst"
	fi
	ROOT=$dst
}
