/* SPDX-License-Identifier: BSD-2-Clause */
/* dts_text.c - a blob as DTS source text (see dts_text.h, dts_split.h).
 *
 * The printer only has to be faithful, not pretty: its output compiled with
 * dtc gives back the same blob. Writing it here, rather than running
 * `dtc -O dts` once per node, keeps a 256-node split in milliseconds.
 */
#include "dts_split.h"
#include "dts_text.h"

#include <libfdt.h>

void sb_tabs(struct sbuf *b, int n)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	for (; n > 16; n -= 16)
		sb_put(b, tabs, 16);
	sb_put(b, tabs, (size_t)(n > 0 ? n : 0));
}

void sb_hex(struct sbuf *b, uint64_t x)
{
	char buf[18], *p = buf + sizeof(buf);
	do {
		*--p = "0123456789abcdef"[x & 0xf];
		x >>= 4;
	} while (x);
	*--p = 'x';
	*--p = '0';
	sb_put(b, p, (size_t)(buf + sizeof(buf) - p));
}


void dts_text_string(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sb_putc(b, '"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\') {
			char esc[2] = {'\\', (char)*c};
			sb_put(b, esc, 2);
		} else if (*c < 0x20 || *c > 0x7e) {
			char esc[4] = {'\\', 'x', hex[*c >> 4], hex[*c & 0xf]};
			sb_put(b, esc, 4);
		} else {
			sb_putc(b, (char)*c);
		}
	}
	sb_putc(b, '"');
}

/* A non-empty list of non-empty, printable, NUL-terminated strings. */
static bool is_strings(const unsigned char *v, int len)
{
	if (len <= 0 || v[0] == '\0' || v[len - 1] != '\0')
		return false;
	for (int i = 0; i < len; i++) {
		if (v[i] == '\0') {
			if (i + 1 < len && v[i + 1] == '\0')
				return false;
		} else if (v[i] < 0x20 || v[i] > 0x7e) {
			return false;
		}
	}
	return true;
}

void dts_text_value(struct sbuf *b, const void *v, int len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = v;
	if (is_strings(p, len)) {
		for (int i = 0; i < len; i += (int)strlen((const char *)p + i) + 1) {
			if (i)
				sb_put(b, ", ", 2);
			dts_text_string(b, (const char *)p + i);
		}
	} else if (len % 4 == 0) {
		sb_putc(b, '<');
		for (int i = 0; i < len; i += 4) {
			if (i)
				sb_putc(b, ' ');
			sb_hex(b, fdt32_ld((const fdt32_t *)(p + i)));
		}
		sb_putc(b, '>');
	} else {
		sb_putc(b, '[');
		for (int i = 0; i < len; i++) {
			char x[3] = {' ', hex[p[i] >> 4], hex[p[i] & 0xf]};
			sb_put(b, i ? x : x + 1, i ? 3 : 2);
		}
		sb_putc(b, ']');
	}
}

void dts_text_prop(struct sbuf *b, int depth, const char *name, const void *v, int len)
{
	sb_tabs(b, depth);
	sb_puts(b, name);
	if (len > 0) {
		sb_put(b, " = ", 3);
		dts_text_value(b, v, len);
	}
	sb_put(b, ";\n", 2);
}

#define ALIGN4(x) (((size_t)(x) + 3) & ~(size_t)3)

/* The tags in order, without libfdt's per-byte checks: the tree is one
 * fdt_check_full() passed, or one dts-split just built. */
void dts_text_tree(struct sbuf *b, const void *fdt)
{
	const char *base = (const char *)fdt + fdt_off_dt_struct(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	size_t off = 0, end = fdt_size_dt_struct(fdt);
	int depth = 0;

	sb_puts(b, "/dts-v1/;\n\n");
	int nrsv = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < nrsv; i++) {
		uint64_t addr, size;
		if (fdt_get_mem_rsv(fdt, i, &addr, &size) == 0) {
			sb_puts(b, "/memreserve/ ");
			sb_hex(b, addr);
			sb_putc(b, ' ');
			sb_hex(b, size);
			sb_put(b, ";\n", 2);
		}
	}
	if (nrsv > 0)
		sb_putc(b, '\n');
	while (off + 4 <= end) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(base + off));
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = base + off;
			size_t len = strlen(name);
			if (depth)
				sb_putc(b, '\n');
			sb_tabs(b, depth++);
			sb_put(b, depth > 1 ? name : "/", depth > 1 ? len : 1);
			sb_put(b, " {\n", 3);
			off += ALIGN4(len + 1);
		} else if (tag == FDT_PROP) {
			const struct fdt_property *pr = (const struct fdt_property *)(base + off - 4);
			int len = (int)fdt32_ld(&pr->len);
			dts_text_prop(b, depth, strings + fdt32_ld(&pr->nameoff), pr->data, len);
			off += 8 + ALIGN4(len);
		} else if (tag == FDT_END_NODE) {
			sb_tabs(b, --depth);
			sb_put(b, "};\n", 3);
		} else if (tag != FDT_NOP) {
			break;
		}
	}
}

int dts_split_to_dts(const void *dtb, size_t size, char **text, struct diags *d)
{
	*text = NULL;
	int rc = size >= sizeof(struct fdt_header) ? fdt_check_header(dtb) : -FDT_ERR_TRUNCATED;
	if (!rc && fdt_totalsize(dtb) > size)
		rc = -FDT_ERR_TRUNCATED;
	if (!rc)
		rc = fdt_check_full(dtb, size);
	if (rc) {
		diag_error(d, NULL, NULL, "cannot print a device tree: %s", fdt_strerror(rc));
		return -1;
	}
	struct sbuf b = {0};
	dts_text_tree(&b, dtb);
	*text = b.s;
	return 0;
}
