/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz.h - what the libFuzzer harnesses share: the board every harness
 * plans against (the QEMU virt board of the examples, compiled from its DTS
 * once, at start), a fixed two-node plan on it, and a sink for output.
 *
 * Every harness is a libFuzzer target: LLVMFuzzerTestOneInput() feeds one
 * input to one reader of mkimg's and must never crash, leak or trip a
 * sanitizer, whatever the bytes. Library errors are expected; they go to
 * a struct diags that is thrown away.
 */
#ifndef MKIMG_FUZZ_H
#define MKIMG_FUZZ_H

#include "manifest.h"
#include "plan.h"
#include "platform.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The board, read once (the process exits if it cannot be). */
const struct platform *fuzz_board(void);
/* A plan on fuzz_board(): node 0 at 0x40000000 and node 1 at 0x50000000,
 * 256 MiB each, cpus 0 and 1 (what the seed kernels were linked for). */
const struct plan *fuzz_plan(void);
/* A one-node manifest (size-only RAM, default cpu) to plan on any board. */
const struct manifest *fuzz_manifest_one(void);
/* Everything dts-split makes of plan `p` (check, every node's tree, its DTS
 * text and overlay). Aborts if a tree it makes is not a valid blob or shows
 * RAM that is not the node's as memory: the partition's first promise. */
void fuzz_split(const struct plan *p, struct diags *d);
/* /dev/null, for emitters whose text does not matter. */
FILE *fuzz_sink(void);
/* A malloc'd copy of the input, for readers that take ownership or write. */
uint8_t *fuzz_copy(const uint8_t *data, size_t size);

#endif
