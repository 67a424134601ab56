/* SPDX-License-Identifier: BSD-2-Clause */
/* line.h - build one line of text in a fixed buffer (no printf here).
 * Text past the end is dropped; the line always stays terminated.
 */
#ifndef KERNEL_LINE_H
#define KERNEL_LINE_H

#include <stddef.h>
#include <stdint.h>

#define LINE_MAX_CHARS 320

struct line {
	char buf[LINE_MAX_CHARS];
	size_t len;
};

void line_char(struct line *l, char c);
void line_str(struct line *l, const char *s);
void line_hex(struct line *l, uint64_t v); /* 0x1f, no leading zeros */
void line_dec(struct line *l, uint64_t v);
/* " [0x40000000, 0x50000000)" */
void line_range(struct line *l, uint64_t base, uint64_t end);
/* " name=0x1f" */
void line_named_hex(struct line *l, const char *name, uint64_t v);

#endif
