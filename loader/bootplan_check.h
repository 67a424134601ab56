/* SPDX-License-Identifier: BSD-2-Clause */
/* bootplan_check.h - the loader's checks of a boot plan, as plain functions
 * that read memory and decide: compiled into the loader (loader.c), into
 * mkimgcore (pack.c checks every plan it writes, image.c every plan it
 * inspects) and into the host fuzz harness (tests/fuzz).
 *
 * Freestanding: no libc, no allocation, no printing. A problem is reported
 * through the caller's `fail` callback, once, with a format the loader's log
 * understands (%s a string, %x and %u a uint64_t in hex or decimal, %n a
 * NUL-padded name of at most 32 bytes); the function then returns -1. The
 * loader's callback never returns.
 *
 * What is checked, in the order the loader needs it:
 *   bp_find      the payload starts with the plan's CPIO member; magic,
 *                version and size; every byte read lies in `avail`
 *   bp_plan_sum  the plan's SHA-256 (the caller compares it)
 *   bp_arrays    its arrays lie inside it, past its header, apart
 *   bp_check     the image runs where the plan says, on its cpu; every
 *                array, member, op, map and table area lies where it must;
 *                and no node can reach another's RAM: node RAM regions are
 *                disjoint and clear of the loader, and each node's writes,
 *                maps, DTB, root task and spin-table release address lie
 *                in its own RAM (maps: or in the loader's region) or, for
 *                the release address, in no one's; every pool to zero is
 *                whole pages of the board's RAM, no node's and not the
 *                loader's.
 */
#ifndef MKIMG_BOOTPLAN_CHECK_H
#define MKIMG_BOOTPLAN_CHECK_H

#include "bootplan.h"
#include "sha256.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Where the plan is checked: the loader's own facts, or the host's view
 * of an image. */
struct bp_env {
	uint64_t image_base;    /* where the image's first byte is */
	uint64_t loader_size;   /* the loader block; the payload follows it */
	uint64_t payload_avail; /* bytes readable from the payload's first byte */
	uint64_t mpidr;         /* affinity fields of the cpu running the loader */
	uint64_t el;            /* the loader's exception level; 0: not known (host) */
};

/* The plan and its arrays, once checked. */
struct bp_plan {
	const struct bp_header *h;
	const struct bp_member *members;
	const struct bp_node *nodes;
	const struct bp_op *ops;
	const struct bp_map *maps;
	const struct bp_pool *pools;
};

typedef void (*bp_fail_fn)(void *ctx, const char *fmt, va_list ap);

/* Whether n bytes at a and b are equal (the loader has no memcmp). */
int bp_same(const void *a, const void *b, size_t n);

/* The plan in the payload at `payload` (env->payload_avail bytes): its
 * CPIO member, magic, version and size. Sets pl->h. Returns 0 or -1. */
int bp_find(const void *payload, const struct bp_env *env, struct bp_plan *pl, bp_fail_fn fail, void *ctx);
/* SHA-256 of bytes [0, 32) and [64, h->size) of the plan: all of it but
 * the hash itself. */
void bp_plan_sum(const struct bp_header *h, uint8_t out[SHA256_BYTES]);
/* The plan's five arrays, checked to lie inside it (bp_find must have
 * passed); sets them. Returns 0 or -1. bp_check() starts with this. */
int bp_arrays(struct bp_plan *pl, bp_fail_fn fail, void *ctx);
/* Everything else about pl->h (bp_find must have passed); sets the arrays.
 * Returns 0 or -1. */
int bp_check(struct bp_plan *pl, const struct bp_env *env, bp_fail_fn fail, void *ctx);

#endif
