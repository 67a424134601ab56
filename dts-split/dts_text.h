/* SPDX-License-Identifier: BSD-2-Clause */
/* dts_text.h - printing device-tree values as DTS source (internal to
 * dts-split; dts_split_to_dts() in dts_split.h is the public face).
 *
 * Text goes into a growable buffer rather than through stdio: a 256-node
 * split prints some 20 MB of cells, and fprintf per cell was most of it.
 */
#ifndef MKIMG_DTS_TEXT_H
#define MKIMG_DTS_TEXT_H

#include "util.h"

/* Text goes into a `struct sbuf` (util.h). */
void sb_tabs(struct sbuf *b, int n);
/* "0x" and `x` in lowercase hex without leading zeros. */
void sb_hex(struct sbuf *b, uint64_t x);

/* A quoted DTS string: `"` and `\` escaped, other bytes outside printable
 * ASCII as \xNN. */
void dts_text_string(struct sbuf *b, const char *s);

/* A property value after `name = ` (without the `;`), chosen the way dtc
 * guesses: a list of printable strings as "a", "b"; whole cells as
 * <0x...>; anything else as [bytes]. `len` must be > 0. */
void dts_text_value(struct sbuf *b, const void *v, int len);

/* One `name = value;` or `name;` line, indented by `depth` tabs. */
void dts_text_prop(struct sbuf *b, int depth, const char *name, const void *v, int len);

/* A whole tree as DTS source. The blob must be sound: one that passed
 * fdt_check_full(), or one built by dts-split. */
void dts_text_tree(struct sbuf *b, const void *fdt);

#endif
