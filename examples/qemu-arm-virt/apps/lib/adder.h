/* SPDX-License-Identifier: BSD-2-Clause */
/* adder.h - what the Client and the Adder share: the talk's dataport `d`
 * (seL4SharedData), a shared pool both nodes are members of. Its name is
 * the manifest's; where it is, each root task learns from its boot info.
 * The pool is mapped uncached, so plain (volatile) accesses are seen by
 * the other core once the signal that follows them arrives.
 */
#ifndef ADDER_H
#define ADDER_H

#include <stdint.h>

#ifndef ADDER_POOL
#define ADDER_POOL "buf"
#endif
#define ADDER_MAX_VALUES 64

struct adder_buf {
	uint32_t count;  /* values to add, written by the client */
	uint32_t client; /* the client's node id, for the adder's log */
	uint64_t sum;    /* the answer, written by the adder */
	uint32_t values[ADDER_MAX_VALUES];
};

#endif
