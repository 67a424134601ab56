/* SPDX-License-Identifier: BSD-2-Clause */
/* kernel_base.c - read a node's device tree at build time and write what the
 * demo kernel must know before it runs, the way seL4's build does with its
 * hardware_gen.py: where the kernel loads, which RAM it owns, where its
 * console is.
 *
 * usage: kernel_base [--layout window|fixed] [--expect-base ADDR]
 *                    NODE.dtb OUT.h OUT.ld
 *
 * The physical base is the lowest RAM (every node with device_type
 * "memory") that is not a /reserved-memory child marked no-map, aligned up
 * to 2 MiB. OUT.h gets the RAM (as /memory says it), the usable RAM (minus
 * no-map) and the console's physical address (the PL011 that /chosen
 * stdout-path names); OUT.ld gets KERNEL_PADDR and KERNEL_VBASE for
 * linker/kernel.ld. Files are only rewritten when their text changes, so
 * the build that runs this stays incremental.
 *
 * Exit 0, or 1 with one `kernel_base: FILE: error: ...` line.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UART_HOST_TABLE
#include "mkimg_uart.h"

#define ALIGN_2M 0x200000ull
#define MAX_REGIONS 8
/* seL4's AArch64 kernel window (non-hypervisor build). */
#define PPTR_BASE 0xffffff8000000000ull      /* 2^64 - 2^39 */
#define PPTR_TOP 0xffffffffc0000000ull       /* 2^64 - 2^30 */
#define KERNEL_ELF_FIXED 0xffffffffc0000000ull /* seL4 master's KERNEL_ELF_BASE */

struct range {
	uint64_t base, size;
};

struct ranges {
	struct range v[64];
	size_t n;
};

static const char *dtb_path = "kernel_base";

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "kernel_base: %s: error: ", dtb_path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open: %s", strerror(errno));
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf || ferror(f))
		die("cannot read: %s", buf ? strerror(errno) : "out of memory");
	fclose(f);
	*size = n;
	return buf;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* Append every (address, size) pair of `node`'s reg, read with its
 * parent's #address-cells and #size-cells. */
static void add_reg(const void *fdt, int node, struct ranges *out)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return;
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		die("%s: unsupported #address-cells %d / #size-cells %d", fdt_get_name(fdt, parent, NULL), ac, sc);
	int step = (ac + sc) * 4;
	for (int off = 0; off + step <= len; off += step) {
		const fdt32_t *p = reg + off / 4;
		if (out->n == sizeof(out->v) / sizeof(out->v[0]))
			die("too many memory ranges");
		out->v[out->n++] = (struct range){read_cells(p, ac), read_cells(p + ac, sc)};
	}
}

/* `addr`, an address on `node`'s parent bus, as the cpu sees it: through
 * every `ranges` above it (an empty or absent one maps 1:1, as mkimg's
 * planner takes it). A Raspberry Pi's UART says 0x7e215040 on its bus. */
static uint64_t cpu_address(const void *fdt, int node, uint64_t addr)
{
	for (int bus = fdt_parent_offset(fdt, node); bus > 0; bus = fdt_parent_offset(fdt, bus)) {
		int up = fdt_parent_offset(fdt, bus), len;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r || len <= 0 || up < 0)
			continue;
		int cac = fdt_address_cells(fdt, bus), pac = fdt_address_cells(fdt, up), csc = fdt_size_cells(fdt, bus);
		if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 1 || csc > 2)
			die("%s: 'ranges' with cells mkimg cannot read", fdt_get_name(fdt, bus, NULL));
		int step = (cac + pac + csc) * 4;
		bool found = false;
		for (int off = 0; !found && off + step <= len; off += step) {
			const fdt32_t *p = r + off / 4;
			uint64_t child = read_cells(p, cac), parent = read_cells(p + cac, pac), size = read_cells(p + cac + pac, csc);
			if (addr >= child && addr - child < size)
				addr = parent + (addr - child), found = true;
		}
		if (!found)
			die("%s: 0x%" PRIx64 " lies outside its bus's 'ranges'", fdt_get_name(fdt, node, NULL), addr);
	}
	return addr;
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* Sort by base and merge ranges that touch or overlap. */
static void normalize(struct ranges *r)
{
	size_t out = 0;
	qsort(r->v, r->n, sizeof(r->v[0]), range_cmp);
	for (size_t i = 0; i < r->n; i++) {
		if (!r->v[i].size)
			continue;
		if (out && r->v[i].base <= r->v[out - 1].base + r->v[out - 1].size) {
			uint64_t end = r->v[i].base + r->v[i].size;
			if (end > r->v[out - 1].base + r->v[out - 1].size)
				r->v[out - 1].size = end - r->v[out - 1].base;
			continue;
		}
		r->v[out++] = r->v[i];
	}
	r->n = out;
}

/* out = a minus every range of b (both normalized). */
static void subtract(const struct ranges *a, const struct ranges *b, struct ranges *out)
{
	out->n = 0;
	for (size_t i = 0; i < a->n; i++) {
		uint64_t cur = a->v[i].base, end = cur + a->v[i].size;
		for (size_t j = 0; j < b->n && cur < end; j++) {
			uint64_t bb = b->v[j].base, be = bb + b->v[j].size;
			if (be <= cur || bb >= end)
				continue;
			if (bb > cur)
				out->v[out->n++] = (struct range){cur, bb - cur};
			cur = be > cur ? be : cur;
		}
		if (cur < end)
			out->v[out->n++] = (struct range){cur, end - cur};
	}
}

static void find_memory(const void *fdt, struct ranges *ram)
{
	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (type && !strcmp(type, "memory"))
			add_reg(fdt, node, ram);
	}
	normalize(ram);
	if (!ram->n)
		die("no memory: the tree has no node with device_type \"memory\" and a reg");
}

/* What seL4 keeps out of its own memory: /reserved-memory children with
 * no-map (other reserved regions are still RAM the kernel may use). */
static void find_no_map(const void *fdt, struct ranges *rsv)
{
	int parent = fdt_path_offset(fdt, "/reserved-memory"), child;
	if (parent < 0)
		return;
	fdt_for_each_subnode(child, fdt, parent) {
		if (fdt_getprop(fdt, child, "no-map", NULL))
			add_reg(fdt, child, rsv);
	}
	normalize(rsv);
}

struct console {
	uint64_t base;
	uint32_t kind, shift, width;
};

/* The UART kind of `node`, as mkimg's packer picks the loader's. */
static uint32_t uart_kind(const void *fdt, int node)
{
	int len = 0;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);
	return uart_kind_of(c, len);
}

static uint32_t u32_prop(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
	return v && len == 4 ? fdt32_to_cpu(*v) : dflt;
}

/* The console: /chosen stdout-path ("path-or-alias[:options]"), a UART of
 * include/mkimg_uart.h; another one is a warning and a silent kernel. */
static struct console find_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (!path || len < 2)
		die("no /chosen stdout-path: the demo kernel prints its line on that console");
	const char *colon = memchr(path, ':', (size_t)len);
	int n = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
	int node = fdt_path_offset_namelen(fdt, path, n);
	if (node < 0)
		die("stdout-path '%.*s' names no node", n, path);
	struct ranges reg = {0};
	add_reg(fdt, node, &reg);
	if (!reg.n)
		die("stdout-path '%.*s' has no reg", n, path);
	struct console con = {cpu_address(fdt, node, reg.v[0].base), uart_kind(fdt, node), 0, 4};
	if (con.kind == UART_NS16550)
		con.shift = u32_prop(fdt, node, "reg-shift", 0), con.width = u32_prop(fdt, node, "reg-io-width", 1);
	if (uart_make(con.base, con.kind, con.shift, con.width).kind == UART_NONE) {
		fprintf(stderr, "kernel_base: warning: stdout-path '%.*s' is a UART the demo kernel has no driver for: "
			"it runs silently\n", n, path);
		con.kind = UART_NONE;
	}
	return con;
}

/* Write `text` to `path` unless the file already holds exactly that. */
static void write_if_changed(const char *path, const char *text)
{
	size_t len = strlen(text);
	FILE *f = fopen(path, "rb");
	if (f) {
		char *old = malloc(len + 1);
		size_t got = old ? fread(old, 1, len + 1, f) : 0;
		bool same = old && got == len && !memcmp(old, text, len);
		free(old);
		fclose(f);
		if (same)
			return;
	}
	char *tmp = malloc(strlen(path) + 5);
	if (!tmp)
		die("out of memory");
	sprintf(tmp, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write '%s': %s", path, strerror(errno));
	free(tmp);
}

/* How many GiB slots the window's 2 MiB blocks touch: the kernel keeps one
 * level-2 table per slot. */
static unsigned window_gibs(const struct ranges *avail)
{
	unsigned n = 0;
	uint64_t last = UINT64_MAX;
	for (size_t i = 0; i < avail->n; i++) {
		uint64_t lo = (avail->v[i].base + ALIGN_2M - 1) & ~(ALIGN_2M - 1);
		uint64_t hi = (avail->v[i].base + avail->v[i].size) & ~(ALIGN_2M - 1);
		for (uint64_t g = lo >> 30; lo < hi && g <= (hi - 1) >> 30; g++)
			if (g != last) {
				last = g;
				n++;
			}
	}
	return n ? n : 1;
}

static void emit_table(char **p, const char *name, const struct ranges *r)
{
	*p += sprintf(*p, "#define %s_COUNT %zu\n#define %s_INIT {", name, r->n, name);
	for (size_t i = 0; i < r->n; i++)
		*p += sprintf(*p, "%s{0x%" PRIx64 "ull, 0x%" PRIx64 "ull}", i ? ", " : "", r->v[i].base,
			      r->v[i].size);
	*p += sprintf(*p, "}\n");
}

int main(int argc, char **argv)
{
	const char *layout = "window";
	uint64_t expect = 0;
	bool have_expect = false;
	int i = 1;
	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--layout")) {
			layout = argv[i + 1];
		} else if (!strcmp(argv[i], "--expect-base")) {
			/* An empty value means "no expectation" (a standalone build). */
			have_expect = argv[i + 1][0] != '\0';
			expect = strtoull(argv[i + 1], NULL, 0);
		} else {
			break;
		}
	}
	if (argc - i != 3 || (strcmp(layout, "window") && strcmp(layout, "fixed"))) {
		fputs("usage: kernel_base [--layout window|fixed] [--expect-base ADDR] NODE.dtb OUT.h OUT.ld\n", stderr);
		return 2;
	}
	dtb_path = argv[i];
	size_t size;
	void *fdt = read_file(dtb_path, &size);
	int err = fdt_check_full(fdt, size);
	if (err)
		die("not a valid device tree blob: %s", fdt_strerror(err));

	struct ranges ram = {0}, rsv = {0}, avail = {0};
	find_memory(fdt, &ram);
	find_no_map(fdt, &rsv);
	subtract(&ram, &rsv, &avail);
	if (!avail.n)
		die("all memory is reserved no-map: no room for the kernel");
	if (ram.n > MAX_REGIONS || avail.n > MAX_REGIONS)
		die("more than %d memory ranges: the demo kernel keeps at most %d", MAX_REGIONS, MAX_REGIONS);
	uint64_t paddr = (avail.v[0].base + ALIGN_2M - 1) & ~(ALIGN_2M - 1);
	if (paddr >= avail.v[0].base + avail.v[0].size)
		die("the lowest usable RAM [0x%" PRIx64 ", +0x%" PRIx64 ") holds no 2 MiB boundary", avail.v[0].base,
		    avail.v[0].size);
	const struct range *last = &avail.v[avail.n - 1];
	if (last->base + last->size > PPTR_TOP - PPTR_BASE)
		die("RAM ends at 0x%" PRIx64 ", beyond seL4's kernel window (0x%" PRIx64 ")", last->base + last->size,
		    PPTR_TOP - PPTR_BASE);
	if (have_expect && paddr != expect)
		die("the kernel's physical base is 0x%" PRIx64 " but the plan expects 0x%" PRIx64
		    ": is this the right node's tree?", paddr, expect);
	uint64_t vbase = !strcmp(layout, "fixed") ? KERNEL_ELF_FIXED : PPTR_BASE + paddr;
	struct console console = find_console(fdt);

	char h[4096], *p = h;
	p += sprintf(p, "/* Generated by kernel_base from the node's device tree: do not edit. */\n"
			"#define KERNEL_PADDR 0x%" PRIx64 "ull\n#define KERNEL_VBASE 0x%" PRIx64 "ull\n"
			"#define KERNEL_UART_PADDR 0x%" PRIx64 "ull\n#define KERNEL_UART_KIND %uu\n"
			"#define KERNEL_UART_SHIFT %uu\n#define KERNEL_UART_WIDTH %uu\n#define KERNEL_WINDOW_GIBS %u\n",
		     paddr, vbase, console.base, console.kind, console.shift, console.width, window_gibs(&avail));
	emit_table(&p, "KERNEL_RAM", &ram);
	emit_table(&p, "KERNEL_AVAIL", &avail);
	write_if_changed(argv[i + 1], h);
	char ld[256];
	snprintf(ld, sizeof(ld), "/* Generated by kernel_base: do not edit. */\nKERNEL_PADDR = 0x%" PRIx64
		 ";\nKERNEL_VBASE = 0x%" PRIx64 ";\n", paddr, vbase);
	write_if_changed(argv[i + 2], ld);
	free(fdt);
	return 0;
}
