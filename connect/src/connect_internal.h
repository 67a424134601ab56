/* SPDX-License-Identifier: BSD-2-Clause */
/* connect_internal.h - what the kernel-independent part (common.c) and a
 * back end (demo.c, sel4.c) share. Not for root tasks.
 *
 * A back end's whole job: in mk_start() fill the tables below from what
 * its kernel passed (channel i of the table is channel i of the API, and
 * bit i of mk_wait()'s mask), then provide mk_signal(), mk_wait(),
 * mk_exit() and mk__write_line(). Lookups by name, peer or direction, the
 * line building and the checks of a channel number live in common.c, so
 * every back end answers them the same way.
 */
#ifndef MK_CONNECT_INTERNAL_H
#define MK_CONNECT_INTERNAL_H

#include "mk_connect.h"

/* 64: mk_wait()'s mask has one bit per channel. */
#define MK_MAX_CHANNELS 64
#define MK_MAX_POOLS 16

/* Filled by the back end's mk_start(), read-only after it. */
extern uint32_t mk__node_id;
extern struct mk_channel mk__ch[MK_MAX_CHANNELS];
extern unsigned mk__n_ch;
extern struct mk_pool mk__pool[MK_MAX_POOLS];
extern unsigned mk__n_pool;

/* The back end prints one finished line: `n` bytes at `s`, the last one
 * '\n' (and s[n] is NUL). Lines must reach the console whole. */
void mk__write_line(const char *s, size_t n);

/* From common.c, for the back ends. */
/* Is `ch` a channel of this node in `direction`? */
bool mk__is_channel(int ch, uint32_t direction);
/* Is `mask` non-empty and made of receive channels only? */
bool mk__is_receive_mask(uint64_t mask);
/* Copy a NUL-terminated name into a pool's name, cut to fit. */
void mk__set_name(char dst[MK_NAME_MAX], const char *src);

#endif
