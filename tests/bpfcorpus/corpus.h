/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What every corpus program includes: the sensor's hand-written kernel types (CO-RE, no
 * vmlinux.h; bpf/sensor_types.h), libbpf's BPF-side headers, and a macro for inline
 * assembly bodies, which is how a mistake clang would optimise away reaches the verifier.
 */
#ifndef EDRDIAG_CORPUS_H
#define EDRDIAG_CORPUS_H

#include "sensor_types.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#endif
