/* SPDX-License-Identifier: GPL-2.0 */
/* bpf atoms: reusing a loaded program by its tag (bpf_reuse.c). */
#ifndef CLICKUPCTL_BPF_REUSE_H
#define CLICKUPCTL_BPF_REUSE_H

#include <bpf/libbpf.h>

/*
 * A descriptor of a loaded socket filter with prog's tag and name, when
 * prog (opened from the object at path, not loaded) would be submitted
 * unchanged; -1 when there is none or it cannot be told.
 */
int bpf_reuse_find(const char *path, const struct bpf_program *prog);

#endif
