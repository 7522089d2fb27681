# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# cmake -DIN=data/bpf-causes.txt -DOUT=bpf-causes.c -P data/bpf-causes.cmake: the catalogue
# of known causes as a C array (bytes in hex, whatever they are), so that the binary needs
# no file at run time. src/bpfcause.c parses it.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT}.tmp "/* generated from data/bpf-causes.txt by data/bpf-causes.cmake */\n#include <stddef.h>\nextern const char bpfcause_data[];\nextern const size_t bpfcause_data_len;\nconst char bpfcause_data[] = {\n${body}0x00};\nconst size_t bpfcause_data_len = ${len};\n")
file(RENAME ${OUT}.tmp ${OUT})
