# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# bpf_skeleton(NAME SOURCE DEPENDS...): compile SOURCE with clang -target bpf (CO-RE:
# -g for BTF, __TARGET_ARCH_<arch>) into NAME.bpf.o, generate NAME.skel.h with
# `bpftool gen skeleton`, and provide an INTERFACE target NAME_skel whose include
# directory holds the skeleton. Both are build products, never committed.

find_program(BPF_CLANG NAMES clang clang-16 clang-15 clang-14 REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)

# bpf/sensor_types.h declares x86_64's pt_regs for the kprobe fallback; another
# architecture needs its own declaration there first
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|amd64")
  set(BPF_TARGET_ARCH x86)
else()
  message(FATAL_ERROR "bpf: the sensor is built for x86_64 only, not ${CMAKE_SYSTEM_PROCESSOR}")
endif()

# the multiarch include dir (asm/types.h) that a -target bpf compile does not search itself
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
  OUTPUT_VARIABLE BPF_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)

function(bpf_skeleton name source)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/bpf)
  set(obj ${out}/${name}.bpf.o)
  set(skel ${out}/${name}.skel.h)
  set(incs -I${CMAKE_CURRENT_SOURCE_DIR}/bpf)
  if(BPF_MULTIARCH)
    list(APPEND incs -idirafter /usr/include/${BPF_MULTIARCH})
  endif()
  add_custom_command(OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND ${BPF_CLANG} -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_${BPF_TARGET_ARCH}
            ${incs} -c ${source} -o ${obj}
    DEPENDS ${source} ${ARGN}
    COMMENT "BPF ${name}.bpf.o"
    VERBATIM)
  add_custom_command(OUTPUT ${skel}
    COMMAND ${BPFTOOL} gen skeleton ${obj} name ${name} > ${skel}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${skel}.tmp ${skel}
    DEPENDS ${obj}
    COMMENT "skeleton ${name}.skel.h"
    VERBATIM)
  add_custom_target(${name}_skel_gen DEPENDS ${skel})
  add_library(${name}_skel INTERFACE)
  target_include_directories(${name}_skel INTERFACE ${out})
  add_dependencies(${name}_skel ${name}_skel_gen)
endfunction()
