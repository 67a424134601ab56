/* SPDX-License-Identifier: BSD-2-Clause */
/* image.c - see image.h. */
#include "image.h"
#include "pack.h"

#define UART_HOST_TABLE
#include "mkimg_uart.h"
#include "output.h"
#include "sha256_host.h"

#include <elf.h>
#include <errno.h>
#include <poll.h>
#include <regex.h>
#include <inttypes.h>
#include <libfdt.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CPIO_HEADER 110
#define CPIO_ALIGN(n) (((n) + 3) & ~(uint64_t)3)
_Static_assert(BP_PLAN_OFFSET == CPIO_ALIGN(CPIO_HEADER + sizeof(BP_MEMBER)), "the plan's place in the payload");

bool image_probe(const char *path)
{
	uint8_t head[LDR_HDR_BYTES] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	uint64_t magic;
	memcpy(&magic, head + LDR_HDR_MAGIC, 8);
	bool uimage = n >= 4 && fdt32_ld((const fdt32_t *)head) == UIMAGE_MAGIC;
	bool fit = n >= 4 && fdt32_ld((const fdt32_t *)head) == FDT_MAGIC; /* a FIT, or a tree: image_parse tells */
	return (n >= SELFMAG && !memcmp(head, ELFMAG, SELFMAG)) || (n == sizeof(head) && magic == LDR_MAGIC) || uimage ||
	       fit;
}


/* The console's kind as include/mkimg_uart.h names it. */
static const char *console_kind_name(const struct bp_header *h)
{
	return h->console_kind < UART_KINDS ? uart_kind_names[h->console_kind] : "unknown";
}

static int bad_image(struct diags *d, const char *path, const char *msg)
{
	struct mk_loc loc = {.file = path};
	diag_error(d, &loc, "image", "%s", msg);
	return -1;
}

/* An image node of a FIT: its data, and its hash-1 checked (SHA-256);
 * *node is its offset. */
static const void *fit_data(struct image *im, const void *fit, const char *name, int *node, int *len,
			    struct diags *d)
{
	char path[64];
	snprintf(path, sizeof(path), "/images/%s", name);
	*node = fdt_path_offset(fit, path);
	const void *data = *node >= 0 ? fdt_getprop(fit, *node, "data", len) : NULL;
	if (!data) {
		bad_image(d, im->path, "the FIT has no image with data that its configuration names");
		return NULL;
	}
	int hash = fdt_subnode_offset(fit, *node, "hash-1"), vlen = 0;
	const char *algo = hash >= 0 ? fdt_getprop(fit, hash, "algo", NULL) : NULL;
	const uint8_t *value = hash >= 0 ? fdt_getprop(fit, hash, "value", &vlen) : NULL;
	uint8_t sum[SHA256_BYTES];
	if (!algo || strcmp(algo, "sha256") || !value || vlen != SHA256_BYTES) {
		bad_image(d, im->path, "a FIT image without its SHA-256 hash node");
		return NULL;
	}
	sha256_host(data, (size_t)*len, sum);
	if (memcmp(sum, value, SHA256_BYTES)) {
		struct mk_loc loc = {.file = im->path};
		diag_error(d, &loc, "image", "the FIT image '%s' does not match its SHA-256 hash: the image is damaged",
			   name);
		return NULL;
	}
	return data;
}

/* U-Boot's FIT (pack.c writes it): the default configuration's kernel, an
 * uncompressed arm64 image whose hash matches, and its tree's hash; the
 * image is the kernel's data (copied: a property is only 4-aligned), at its
 * load address. */
static int fit_image(struct image *im, struct diags *d)
{
	const void *fit = im->file;
	if (fdt_check_header(fit) || fdt_totalsize(fit) > im->file_size)
		return bad_image(d, im->path, "a damaged FIT: its device tree header does not hold");
	int confs = fdt_path_offset(fit, "/configurations");
	const char *def = confs >= 0 ? fdt_getprop(fit, confs, "default", NULL) : NULL;
	int conf = def ? fdt_subnode_offset(fit, confs, def) : -1;
	const char *kernel = conf >= 0 ? fdt_getprop(fit, conf, "kernel", NULL) : NULL;
	const char *tree = conf >= 0 ? fdt_getprop(fit, conf, "fdt", NULL) : NULL;
	if (!kernel)
		return bad_image(d, im->path, "the FIT has no default configuration with a kernel");
	int node, tnode, len = 0, tlen = 0, alen = 0;
	const uint8_t *data = fit_data(im, fit, kernel, &node, &len, d);
	if (!data || (tree && !fit_data(im, fit, tree, &tnode, &tlen, d)))
		return -1;
	const char *type = fdt_getprop(fit, node, "type", NULL), *arch = fdt_getprop(fit, node, "arch", NULL);
	const char *comp = fdt_getprop(fit, node, "compression", NULL);
	const fdt32_t *load = fdt_getprop(fit, node, "load", &alen);
	if (!type || strcmp(type, "kernel") || !arch || strcmp(arch, "arm64") || !comp || strcmp(comp, "none") ||
	    !load || (alen != 4 && alen != 8))
		return bad_image(d, im->path, "the FIT's kernel is not an uncompressed arm64 kernel with a load address");
	im->base = alen == 8 ? (uint64_t)fdt32_ld(load) << 32 | fdt32_ld(load + 1) : fdt32_ld(load);
	im->own = xmalloc((size_t)len ? (size_t)len : 1);
	memcpy(im->own, data, (size_t)len);
	im->bytes = im->own;
	im->size = (size_t)len;
	return 0;
}

/* The image inside elfloader.elf: its one PT_LOAD with file bytes. */
static int elf_image(struct image *im, struct diags *d)
{
	Elf64_Ehdr eh;
	if (im->file_size < sizeof(eh))
		return bad_image(d, im->path, "truncated ELF header");
	memcpy(&eh, im->file, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_AARCH64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		return bad_image(d, im->path, "not a 64-bit AArch64 ELF image");
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint64_t at = eh.e_phoff + (uint64_t)i * sizeof(ph);
		if (at > im->file_size || im->file_size - at < sizeof(ph))
			return bad_image(d, im->path, "truncated program headers");
		memcpy(&ph, im->file + at, sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_filesz == 0)
			continue;
		if (ph.p_offset > im->file_size || ph.p_filesz > im->file_size - ph.p_offset)
			return bad_image(d, im->path, "its segment lies outside the file");
		im->bytes = im->file + ph.p_offset;
		im->size = ph.p_filesz;
		im->base = ph.p_paddr;
		return 0;
	}
	return bad_image(d, im->path, "no loadable segment");
}

/* The loader's message (bootplan_check.h's format) as text. */
static char *loader_text(const char *fmt, va_list ap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return xstrdup(fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			fputc(*fmt, f);
			continue;
		}
		switch (*++fmt) {
		case 's':
			fputs(va_arg(ap, const char *), f);
			break;
		case 'x':
			fprintf(f, "0x%" PRIx64, va_arg(ap, uint64_t));
			break;
		case 'u':
			fprintf(f, "%" PRIu64, va_arg(ap, uint64_t));
			break;
		case 'n':
			fprintf(f, "%.32s", va_arg(ap, const char *));
			break;
		default:
			fprintf(f, "%%%c", *fmt);
		}
	}
	fclose(f);
	return text;
}

struct refusal {
	struct diags *d;
	const char *path, *prefix;
};

static void refused(void *ctx, const char *fmt, va_list ap)
{
	const struct refusal *r = ctx;
	struct mk_loc loc = {.file = r->path};
	char *msg = loader_text(fmt, ap);
	diag_error(r->d, &loc, "image", "%s%s", r->prefix, msg);
	free(msg);
}

int image_check_plan(const void *payload, const struct bp_env *env, const char *path, const char *prefix,
		     struct diags *d)
{
	struct refusal r = {d, path, prefix};
	struct bp_plan pl;
	return bp_find(payload, env, &pl, refused, &r) || bp_check(&pl, env, refused, &r) ? -1 : 0;
}

/* U-Boot's legacy header (pack.c writes it): both CRCs, the size, an ARM64
 * kernel without compression; the image is its data, at its load address. */
static int uimage_image(struct image *im, struct diags *d)
{
	uint8_t h[UIMAGE_HEADER];
	memcpy(h, im->file, sizeof(h));
	uint32_t hcrc = fdt32_ld((const fdt32_t *)(h + 4)), size = fdt32_ld((const fdt32_t *)(h + 12));
	memset(h + 4, 0, 4);
	if (crc32_ieee(0, h, sizeof(h)) != hcrc)
		return bad_image(d, im->path, "the uImage header's CRC does not match: the header is damaged");
	if (size > im->file_size - UIMAGE_HEADER)
		return bad_image(d, im->path, "the uImage header says more data than the file holds");
	if (crc32_ieee(0, im->file + UIMAGE_HEADER, size) != fdt32_ld((const fdt32_t *)(h + 24)))
		return bad_image(d, im->path, "the uImage data's CRC does not match: the image is damaged");
	if (h[29] != 22 || h[30] != 2 || h[31] != 0)
		return bad_image(d, im->path, "the uImage is not an uncompressed ARM64 kernel image");
	im->bytes = im->file + UIMAGE_HEADER;
	im->size = size;
	im->base = fdt32_ld((const fdt32_t *)(h + 16));
	return 0;
}

int image_parse(struct image *im, const char *path, uint8_t *buf, size_t size, struct diags *d)
{
	*im = (struct image){.path = xstrdup(path), .file = buf, .file_size = size};
	im->elf = im->file_size >= SELFMAG && !memcmp(im->file, ELFMAG, SELFMAG);
	im->uimage = im->file_size >= UIMAGE_HEADER && fdt32_ld((const fdt32_t *)(im->file)) == UIMAGE_MAGIC;
	im->fit = im->file_size >= sizeof(struct fdt_header) && fdt_magic(im->file) == FDT_MAGIC;
	if (im->elf) {
		if (elf_image(im, d) < 0)
			return -1;
	} else if (im->uimage) {
		if (uimage_image(im, d) < 0)
			return -1;
	} else if (im->fit) {
		if (fit_image(im, d) < 0)
			return -1;
	} else {
		im->bytes = im->file;
		im->size = im->file_size;
	}
	uint64_t magic = 0;
	if (im->size >= LDR_HDR_BYTES) {
		memcpy(&magic, im->bytes + LDR_HDR_MAGIC, 8);
		memcpy(&im->loader_size, im->bytes + LDR_HDR_SIZE, 8);
		memcpy(&im->text_offset, im->bytes + LDR_HDR_TEXT_OFFSET, 8);
		memcpy(&im->image_size, im->bytes + LDR_HDR_IMAGE_SIZE, 8);
		memcpy(&im->image_flags, im->bytes + LDR_HDR_FLAGS, 8);
	}
	if (magic != LDR_MAGIC)
		return bad_image(d, path, "no mkimg loader at the image's first byte");
	if (im->loader_size > im->size || im->size - im->loader_size < BP_PLAN_OFFSET + sizeof(struct bp_header))
		return bad_image(d, path, "no payload after the loader");
	const uint8_t *cpio = im->bytes + im->loader_size;
	if (memcmp(cpio, "070701", 6) || memcmp(cpio + CPIO_HEADER, BP_MEMBER, sizeof(BP_MEMBER)))
		return bad_image(d, path, "the payload does not start with the boot plan");
	/* The plan is read in place: malloc aligns the file, pack.c the plan
	 * in it (whole pages of loader, the ELF's data at a page). */
	if ((uintptr_t)(cpio + BP_PLAN_OFFSET) % 8)
		return bad_image(d, path, "the boot plan is not 8-byte aligned in the image");
	const struct bp_header *h = (const void *)(cpio + BP_PLAN_OFFSET);
	if (h->magic != BP_MAGIC)
		return bad_image(d, path, "the boot plan has a bad magic");
	if (h->version != BP_VERSION) {
		struct mk_loc loc = {.file = path};
		diag_error(d, &loc, "image", "boot plan version %u; this mkimg reads version %u", h->version, BP_VERSION);
		return -1;
	}
	struct refusal r = {d, path, ""};
	im->pl.h = h;
	if (h->size < sizeof(*h) || h->size > im->size - im->loader_size - BP_PLAN_OFFSET)
		return bad_image(d, path, "the boot plan's size does not fit the image");
	if (bp_arrays(&im->pl, refused, &r) < 0)
		return -1;
	if ((im->uimage || im->fit) && im->base != h->image_base) {
		struct mk_loc loc = {.file = path};
		diag_error(d, &loc, "image", "the %s loads at 0x%" PRIx64 ", but its boot plan at 0x%" PRIx64,
			   im->uimage ? "uImage" : "FIT", im->base, h->image_base);
		return -1;
	}
	if (!im->elf)
		im->base = h->image_base;
	/* The arm64 Image header pack.c wrote: booti puts the image at the
	 * first RAM bank's start, rounded up to 2 MiB, plus text_offset. A
	 * header whose fields say another place is reported, not refused:
	 * only booti reads it. */
	uint64_t ram0 = LDR_BOOTI_RAM(h->ram_base);
	im->booti_ok = im->image_size && im->image_flags == LDR_IMAGE_FLAGS && h->image_base >= ram0 &&
		       im->text_offset == h->image_base - ram0 && im->image_size >= im->size;
	return 0;
}

int image_open(struct image *im, const char *path, struct diags *d)
{
	uint8_t *buf;
	size_t size;
	if (input_read(path, IN_IMAGE, NULL, &buf, &size, d) < 0) {
		*im = (struct image){.path = xstrdup(path)};
		return -1;
	}
	return image_parse(im, path, buf, size, d);
}

void image_close(struct image *im)
{
	free(im->path);
	free(im->file);
	free(im->own);
	*im = (struct image){0};
}

static uint64_t hex8(const uint8_t *p)
{
	char s[9];
	memcpy(s, p, 8);
	s[8] = '\0';
	char *end;
	uint64_t v = strtoull(s, &end, 16);
	return *end ? ~0ull : v;
}

/* The CPIO archive and the plan must agree member by member. */
static void verify_cpio(const struct image *im, struct diags *d)
{
	const struct bp_header *h = im->pl.h;
	const struct bp_member *m = im->pl.members;
	struct mk_loc loc = {.file = im->path};
	uint64_t at = im->loader_size;
	for (uint32_t i = 0; i <= h->members_count + 1; i++) {
		if (at > im->size || im->size - at < CPIO_HEADER || memcmp(im->bytes + at, "070701", 6)) {
			diag_error(d, &loc, "image", "payload: CPIO header %u is missing or damaged", i);
			return;
		}
		uint64_t size = hex8(im->bytes + at + 6 + 8 * 6), namesize = hex8(im->bytes + at + 6 + 8 * 11);
		const char *name = (const char *)im->bytes + at + CPIO_HEADER;
		uint64_t data = CPIO_ALIGN(at + CPIO_HEADER + namesize);
		if (namesize == 0 || namesize > 256 || data > im->size || size > im->size - data ||
		    name[namesize - 1] != '\0') {
			diag_error(d, &loc, "image", "payload: CPIO header %u is damaged", i);
			return;
		}
		if (i == h->members_count + 1) {
			if (strcmp(name, "TRAILER!!!"))
				diag_error(d, &loc, "image", "payload: '%s' where the CPIO trailer should be", name);
			return;
		}
		const char *want = i == 0 ? BP_MEMBER : m[i - 1].name;
		uint64_t want_size = i == 0 ? h->size : m[i - 1].size, want_at = i == 0 ? data : m[i - 1].offset;
		if (strncmp(name, want, 32) || size < want_size || data != want_at)
			diag_error(d, &loc, "image", "payload: CPIO member %u is '%s' (%" PRIu64 " bytes at 0x%" PRIx64
				   "), the plan says '%.32s' (%" PRIu64 " bytes at 0x%" PRIx64 ")",
				   i, name, size, data, want, want_size, want_at);
		at = CPIO_ALIGN(data + size);
	}
}

/* What the loader would decide, where the image says it loads. */
static void verify_loader_checks(const struct image *im, struct diags *d)
{
	const struct bp_header *h = im->pl.h;
	struct bp_env env = {
		.image_base = im->base,
		.loader_size = im->loader_size,
		.payload_avail = im->size - im->loader_size,
		.mpidr = h->primary_mpidr,
	};
	image_check_plan(im->bytes + im->loader_size, &env, im->path, "the loader would refuse it: ", d);
}

int image_verify(const struct image *im, struct diags *d)
{
	const struct bp_header *h = im->pl.h;
	struct mk_loc loc = {.file = im->path};
	unsigned errors = d->errors;
	uint8_t sum[SHA256_BYTES];
	bp_plan_sum(h, sum);
	bool plan_ok = !memcmp(sum, h->sha256, SHA256_BYTES);
	if (!plan_ok)
		diag_error(d, &loc, "image", "boot plan: SHA-256 mismatch: the image is damaged");
	const struct bp_member *m = im->pl.members;
	for (uint32_t i = 0; i < h->members_count; i++) {
		if (m[i].offset > im->size || m[i].size > im->size - m[i].offset) {
			diag_error(d, &loc, "image", "%.32s lies outside the image", m[i].name);
			continue;
		}
		sha256_host(im->bytes + m[i].offset, m[i].size, sum);
		if (memcmp(sum, m[i].sha256, SHA256_BYTES))
			diag_error(d, &loc, "image", "%.32s: SHA-256 mismatch: the payload is damaged", m[i].name);
	}
	if (h->image_size != im->size || h->image_base != im->base)
		diag_error(d, &loc, "image", "the plan expects %" PRIu64 " bytes at 0x%" PRIx64 ", the image has %zu at 0x%" PRIx64,
			   h->image_size, h->image_base, im->size, im->base);
	/* a damaged plan's names and offsets mean nothing */
	if (plan_ok) {
		verify_cpio(im, d);
		verify_loader_checks(im, d);
	}
	return d->errors == errors ? 0 : -1;
}

/* ---------------------------------------------------------------- inspect */

/* A SHA-256 as 64 hex digits. */
static const char *sum_hex(char out[2 * SHA256_BYTES + 1], const uint8_t s[SHA256_BYTES])
{
	for (int i = 0; i < SHA256_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", s[i]);
	return out;
}

static void put_sum(FILE *f, const uint8_t s[SHA256_BYTES])
{
	char hex[2 * SHA256_BYTES + 1];
	fputs(sum_hex(hex, s), f);
}

static const char *start_name(const struct bp_header *h, const struct bp_node *n)
{
	if (n->start == BP_START_SELF)
		return "the loader's cpu";
	if (n->start == BP_START_SPIN)
		return "spin-table";
	return h->psci == BP_PSCI_HVC ? "psci-hvc" : "psci-smc";
}

/* The ops and maps a node names, clipped to the plan's lists (a plan
 * that fails its checks is still listed). */
static uint32_t clip(uint32_t first, uint32_t count, uint32_t total)
{
	return first > total ? 0 : count > total - first ? total - first : count;
}

static void inspect_node(FILE *f, const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	fprintf(f, "node %u: cpu %u (mpidr 0x%" PRIx64 ") via %s", n->id, n->cpu, n->mpidr, start_name(h, n));
	if (n->start == BP_START_SPIN)
		fprintf(f, " at 0x%" PRIx64, n->release_addr);
	fprintf(f, ", RAM [0x%" PRIx64 ", 0x%" PRIx64 ")\n", n->ram_base, n->ram_end);
	if (n->boot == BP_BOOT_LINUX) {
		fprintf(f, "  linux   [0x%" PRIx64 ", 0x%" PRIx64 ")  entry 0x%" PRIx64 " (EL%u, or EL1 when the loader "
			"runs there; MMU off, x0 = the DTB)\n", n->kernel_base, n->kernel_end, n->entry, n->el);
		fprintf(f, "  dtb     [0x%" PRIx64 ", 0x%" PRIx64 ")\n", n->regs[4], n->regs[4] + n->regs[5]);
		fprintf(f, "  initrd  [0x%" PRIx64 ", 0x%" PRIx64 ")\n", n->regs[0], n->regs[1]);
	} else {
		fprintf(f, "  kernel  [0x%" PRIx64 ", 0x%" PRIx64 ")  entry 0x%" PRIx64 " (EL%u)\n", n->kernel_base,
			n->kernel_end, n->entry, n->el);
		fprintf(f, "  dtb     [0x%" PRIx64 ", 0x%" PRIx64 ")\n", n->regs[4], n->regs[4] + n->regs[5]);
		fprintf(f, "  user    [0x%" PRIx64 ", 0x%" PRIx64 ")  entry 0x%" PRIx64 "  pv_offset 0x%" PRIx64 "\n",
			n->regs[0], n->regs[1], n->regs[3], n->regs[2]);
	}
	fprintf(f, "  x0..x5  0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 "\n",
		n->regs[0], n->regs[1], n->regs[2], n->regs[3], n->regs[4], n->regs[5]);
	fprintf(f, "  tables  [0x%" PRIx64 ", 0x%" PRIx64 ")  ttbr0 0x%" PRIx64 " ttbr1 0x%" PRIx64 "\n", n->ttbr0,
		n->tables_end, n->ttbr0, n->ttbr1);
	const struct bp_op *op = pl->ops + (n->ops_first <= h->ops_count ? n->ops_first : 0);
	for (uint32_t i = 0; i < clip(n->ops_first, n->ops_count, h->ops_count); i++, op++) {
		if (op->kind == BP_OP_COPY && op->member < h->members_count)
			fprintf(f, "  copy    [0x%" PRIx64 ", 0x%" PRIx64 ")  from %.32s+0x%" PRIx64 "\n", op->dst,
				op->dst + op->size, pl->members[op->member].name, op->src);
		else
			fprintf(f, "  zero    [0x%" PRIx64 ", 0x%" PRIx64 ")\n", op->dst, op->dst + op->size);
	}
}

/* A NUL-padded name field of the image (someone else's bytes) as escaped
 * text, padded with spaces to `width` columns. */
static void put_name(FILE *f, const char *field, size_t size, int width)
{
	struct sbuf b = {0};
	char *s = xasprintf("%.*s", (int)size, field);
	sb_escaped(&b, s);
	fprintf(f, "%-*s", width, b.s);
	free(s);
	free(b.s);
}

static void inspect_print(FILE *f, const struct image *im)
{
	const struct bp_header *h = im->pl.h;
	char s[32];
	fputs("image ", f);
	fput_escaped(f, im->path);
	fprintf(f, ": %s, %zu bytes at 0x%" PRIx64 " (loader %" PRIu64 ", payload %" PRIu64 ")\n",
		im->elf ? "ELF" : im->uimage ? "uImage" : im->fit ? "FIT" : "raw", im->size, im->base, im->loader_size, (uint64_t)im->size - im->loader_size);
	fputs("plan '", f);
	put_name(f, h->name, sizeof(h->name), 0);
	fprintf(f, "': boot plan version %u, %u bytes, sha256 ", h->version, h->size);
	put_sum(f, h->sha256);
	/* the names are NUL-padded, not always NUL-terminated */
	fputs("\nboard: ", f);
	if (h->machine[0])
		put_name(f, h->machine, sizeof(h->machine), 0);
	else
		fputs("(not QEMU virt)", f);
	fprintf(f, "%s, %u x ", h->flags & BP_FLAG_VIRT ? " (virtualization=on)" : "", h->cpus);
	put_name(f, h->cpu, sizeof(h->cpu), 0);
	fprintf(f, ", %s RAM at 0x%" PRIx64 ", GICv%u, PSCI %s, console %s 0x%" PRIx64, fmt_size(s, h->ram_size),
		h->ram_base, h->gic_version, h->psci == BP_PSCI_SMC ? "smc" : h->psci == BP_PSCI_HVC ? "hvc" : "none",
		console_kind_name(h), h->console);
	if (h->console_kind == UART_NS16550)
		fprintf(f, " (reg-shift %u, %u-byte access)", h->console_shift, h->console_width);
	fputc('\n', f);
	fprintf(f, "loader region [0x%" PRIx64 ", 0x%" PRIx64 "), copy-phase tables [0x%" PRIx64 ", 0x%" PRIx64 ")\n",
		h->image_base, h->region_end, h->copy_tables, h->copy_tables_end);
	if (im->booti_ok)
		fprintf(f, "booti: text_offset 0x%" PRIx64 ", image_size 0x%" PRIx64 ": U-Boot moves it to 0x%" PRIx64
			" from wherever it was loaded\n", im->text_offset, im->image_size, h->image_base);
	else
		fprintf(f, "booti: the Image header (text_offset 0x%" PRIx64 ", image_size 0x%" PRIx64 ", flags 0x%" PRIx64
			") does not place it at 0x%" PRIx64 ": boot it with bootm\n", im->text_offset, im->image_size,
			im->image_flags, h->image_base);
	for (uint32_t i = 0; i < h->pools_count; i++) {
		const struct bp_pool *p = &im->pl.pools[i];
		fputs("pool '", f);
		put_name(f, p->name, sizeof(p->name), 0);
		fprintf(f, "' [0x%" PRIx64 ", 0x%" PRIx64 ") %s: zeroed before any kernel runs\n", p->base,
			p->base + p->size, fmt_size(s, p->size));
	}
	fprintf(f, "payload:\n  %-14s %10u  at 0x%" PRIx64 "\n", BP_MEMBER, h->size,
		(uint64_t)((const uint8_t *)h - im->bytes));
	const struct bp_member *m = im->pl.members;
	for (uint32_t i = 0; i < h->members_count; i++) {
		fputs("  ", f);
		put_name(f, m[i].name, sizeof(m[i].name), 14);
		fprintf(f, " %10" PRIu64 "  at 0x%" PRIx64 "  sha256 ", m[i].size, m[i].offset);
		put_sum(f, m[i].sha256);
		fputc('\n', f);
	}
	fprintf(f, "boot order:");
	for (uint32_t i = 0; i < h->nodes_count; i++)
		fprintf(f, "%s node %u", i ? "," : "", im->pl.nodes[i].id);
	fputc('\n', f);
	for (uint32_t i = 0; i < h->nodes_count; i++)
		inspect_node(f, &im->pl, &im->pl.nodes[i]);
}

/* ---------------------------------------------------------------- JSON */

/* A NUL-padded name of at most `n` bytes as a JSON string; bytes that are
 * not printable ASCII (a damaged image's) become '?'. */
static json_t *json_name(const char *name, size_t n)
{
	char buf[33];
	size_t i = 0;
	for (; i < n && i < sizeof(buf) - 1 && name[i]; i++)
		buf[i] = name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

static json_t *json_sum(const uint8_t s[SHA256_BYTES])
{
	char hex[2 * SHA256_BYTES + 1];
	return json_string(sum_hex(hex, s));
}

static json_t *json_ops(const struct bp_plan *pl, const struct bp_node *n)
{
	const struct bp_header *h = pl->h;
	uint32_t count = clip(n->ops_first, n->ops_count, h->ops_count);
	json_t *a = json_array();
	for (uint32_t i = 0; i < count; i++) {
		const struct bp_op *op = &pl->ops[n->ops_first + i];
		bool copy = op->kind == BP_OP_COPY && op->member < h->members_count;
		json_t *o = json_pack("{s:s, s:o, s:o}", "kind", copy ? "copy" : op->kind == BP_OP_ZERO ? "zero" : "bad",
				      "dst", json_hex(op->dst), "size", json_hex(op->size));
		if (copy) {
			json_object_set_new(o, "member", json_name(pl->members[op->member].name, 32));
			json_object_set_new(o, "src", json_hex(op->src));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_maps(const struct bp_plan *pl, uint32_t first, uint32_t count)
{
	count = clip(first, count, pl->h->maps_count);
	json_t *a = json_array();
	for (uint32_t i = 0; i < count; i++) {
		const struct bp_map *m = &pl->maps[first + i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:I}", "va", json_hex(m->va), "pa", json_hex(m->pa),
						   "size", json_hex(m->size), "attr", json_hex(m->attr), "root",
						   (json_int_t)m->root));
	}
	return a;
}

static json_t *json_node(const struct bp_plan *pl, const struct bp_node *n)
{
	static const char *const reg_names[6] = {"user_start", "user_end", "pv_offset", "user_entry", "dtb", "dtb_size"};
	json_t *regs = json_object();
	for (int i = 0; i < 6; i++)
		json_object_set_new(regs, reg_names[i], json_hex(n->regs[i]));
	return json_pack("{s:I, s:s, s:I, s:o, s:s, s:o, s:{s:o, s:o}, s:{s:o, s:o, s:o}, s:I, s:o, s:{s:o, s:o, s:o}, s:o, "
			 "s:o}",
			 "id", (json_int_t)n->id, "boot", n->boot == BP_BOOT_LINUX ? "linux" : n->boot == BP_BOOT_SEL4 ? "sel4"
			 : "bad", "cpu", (json_int_t)n->cpu, "mpidr", json_hex(n->mpidr), "start",
			 n->start == BP_START_SELF ? "self" : n->start == BP_START_SPIN ? "spin-table"
			 : n->start == BP_START_PSCI ? "psci" : "bad",
			 "release_addr", json_hex(n->release_addr),
			 "ram", "base", json_hex(n->ram_base), "end", json_hex(n->ram_end),
			 "kernel", "base", json_hex(n->kernel_base), "end", json_hex(n->kernel_end), "entry", json_hex(n->entry),
			 "el", (json_int_t)n->el, "regs", regs,
			 "tables", "ttbr0", json_hex(n->ttbr0), "ttbr1", json_hex(n->ttbr1), "end", json_hex(n->tables_end),
			 "ops", json_ops(pl, n), "maps", json_maps(pl, n->maps_first, n->maps_count));
}

static void inspect_json(FILE *f, const struct image *im, bool verified)
{
	const struct bp_header *h = im->pl.h;
	json_t *doc = json_object(), *a;
	json_object_set_new(doc, "image", json_text(im->path));
	json_object_set_new(doc, "format", json_string(im->elf ? "elf" : im->uimage ? "uimage" : im->fit ? "fit" : "raw"));
	json_object_set_new(doc, "base", json_hex(im->base));
	json_object_set_new(doc, "size", json_integer((json_int_t)im->size));
	json_object_set_new(doc, "loader_size", json_integer((json_int_t)im->loader_size));
	json_object_set_new(doc, "booti", json_pack("{s:o, s:o, s:o, s:b}", "text_offset", json_hex(im->text_offset),
						    "image_size", json_hex(im->image_size), "flags",
						    json_hex(im->image_flags), "places_at_base", im->booti_ok));
	json_object_set_new(doc, "plan", json_pack("{s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:s, s:I, s:I, s:o, s:s, s:I}",
		"name", json_name(h->name, sizeof(h->name)), "offset", (json_int_t)((const uint8_t *)h - im->bytes),
		"version", (json_int_t)h->version, "size", (json_int_t)h->size, "sha256", json_sum(h->sha256),
		"image_base", json_hex(h->image_base), "region_end", json_hex(h->region_end), "console",
		json_hex(h->console), "console_kind", console_kind_name(h), "console_shift", (json_int_t)h->console_shift,
		"console_width", (json_int_t)h->console_width, "primary_mpidr", json_hex(h->primary_mpidr), "psci",
		h->psci == BP_PSCI_SMC ? "smc" : h->psci == BP_PSCI_HVC ? "hvc" : "none", "gic_version",
		(json_int_t)h->gic_version));
	json_object_set_new(doc, "copy_maps", json_pack("{s:o, s:o}",
		"el1", json_maps(&im->pl, h->copy_maps_first[0], h->copy_maps_count[0]),
		"el2", json_maps(&im->pl, h->copy_maps_first[1], h->copy_maps_count[1])));
	json_object_set_new(doc, "pools", a = json_array());
	for (uint32_t i = 0; i < h->pools_count; i++) {
		const struct bp_pool *p = &im->pl.pools[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "name", json_name(p->name, sizeof(p->name)), "base",
						   json_hex(p->base), "size", json_hex(p->size)));
	}
	json_object_set_new(doc, "members", a = json_array());
	for (uint32_t i = 0; i < h->members_count; i++) {
		const struct bp_member *m = &im->pl.members[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:I, s:o}", "name", json_name(m->name, sizeof(m->name)),
						   "offset", json_hex(m->offset), "size", (json_int_t)m->size, "sha256",
						   json_sum(m->sha256)));
	}
	json_object_set_new(doc, "nodes", a = json_array());
	for (uint32_t i = 0; i < h->nodes_count; i++)
		json_array_append_new(a, json_node(&im->pl, &im->pl.nodes[i]));
	json_object_set_new(doc, "verified", json_boolean(verified));
	static const char *const lines[] = {"members", "nodes", NULL};
	json_print_lines(f, doc, lines, NULL);
	json_decref(doc);
}

int image_inspect_buffer(FILE *f, const char *path, uint8_t *buf, size_t size, bool json, struct diags *d)
{
	struct image im;
	int ret = 1;
	if (image_parse(&im, path, buf, size, d) == 0) {
		bool ok = image_verify(&im, d) == 0;
		if (json) {
			inspect_json(f, &im, ok);
		} else {
			inspect_print(f, &im);
			if (ok)
				fprintf(f, "verified: the boot plan and %u members match their SHA-256\n",
					im.pl.h->members_count);
		}
		ret = ok ? 0 : 1;
	}
	image_close(&im);
	return ret;
}

int image_inspect(FILE *f, const char *path, bool json, struct diags *d)
{
	uint8_t *buf;
	size_t size;
	if (input_read(path, IN_IMAGE, NULL, &buf, &size, d) < 0)
		return 1;
	return image_inspect_buffer(f, path, buf, size, json, d);
}

/* ---------------------------------------------------------------- run */

static void print_quoted(FILE *f, char *const *argv)
{
	for (int i = 0; argv[i]; i++) {
		const char *a = argv[i];
		bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=,./:+@") == strlen(a);
		fputs(i ? " " : "", f);
		if (plain) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++)
			*a == '\'' ? fputs("'\\''", f) : fputc(*a, f);
		fputc('\'', f);
	}
	fputc('\n', f);
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Wait for QEMU; kill it at the deadline or when we are told to stop. */
static int wait_qemu(pid_t pid, unsigned timeout)
{
	struct timespec t0, now, nap = {0, 20 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool timed_out = false;
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return timed_out ? 124 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (stop_signal) {
			kill(pid, SIGTERM);
			stop_signal = 0;
		} else if (timeout && !timed_out && now.tv_sec - t0.tv_sec >= (time_t)timeout) {
			timed_out = true;
			kill(pid, SIGKILL);
		}
		nanosleep(&nap, NULL);
	}
}

/* The run as a JUnit XML report: one test case per pattern, failed where
 * it was not seen, the console as the suite's system-out. */
static int write_junit(const char *path, const char *image, const struct run_opts *o, const bool *seen,
		       const char *why, double secs, const struct sbuf *console, struct diags *d)
{
	struct output out = {0};
	FILE *f = output_open(&out, path);
	struct mk_loc loc = {.file = path};
	if (!f) {
		diag_error(d, &loc, NULL, "cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	size_t failures = 0;
	for (size_t k = 0; k < o->n_expect; k++)
		failures += !seen[k];
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"mkimg run\" tests=\"%zu\" "
		   "failures=\"%zu\" errors=\"0\" time=\"%.3f\">\n", o->n_expect, failures, secs);
	for (size_t k = 0; k < o->n_expect; k++) {
		fputs("  <testcase classname=\"", f);
		xml_text(f, image, strlen(image));
		fputs("\" name=\"", f);
		xml_text(f, o->expect[k], strlen(o->expect[k]));
		fputs("\">", f);
		if (!seen[k]) {
			fputs("<failure message=\"", f);
			xml_text(f, why, strlen(why));
			fputs("\"/>", f);
		}
		fputs("</testcase>\n", f);
	}
	fputs("  <system-out>", f);
	xml_text(f, console->s ? console->s : "", console->n);
	fputs("</system-out>\n</testsuite>\n</testsuites>\n", f);
	return output_commit(&out, d);
}

/* QEMU's console, read from `fd` line by line until every pattern has
 * matched, a loader error, QEMU's end or the timeout (see run_opts). */
static int watch_console(FILE *f, int fd, pid_t pid, const struct run_opts *o, const struct mk_loc *loc,
			 struct diags *d)
{
	regex_t *re = xcalloc(o->n_expect, sizeof(*re));
	bool *seen = xcalloc(o->n_expect, sizeof(*seen));
	size_t n_seen = 0, n_re = 0;
	int ret = 1;
	for (; n_re < o->n_expect; n_re++)
		if (regcomp(&re[n_re], o->expect[n_re], REG_EXTENDED | REG_NOSUB)) {
			diag_error(d, NULL, NULL, "--expect '%s' is not a regular expression", o->expect[n_re]);
			goto out;
		}
	struct sbuf line = {0}, console = {0};
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *why = NULL;
	while (!why) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, 50);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (stop_signal) {
			why = "stopped by a signal";
			break;
		}
		if (o->timeout && (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 >=
					  (double)o->timeout) {
			why = "timed out";
			break;
		}
		if (r <= 0)
			continue;
		char buf[4096];
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got <= 0) {
			why = "QEMU ended";
			break;
		}
		fwrite(buf, 1, (size_t)got, f);
		fflush(f);
		if (o->junit && console.n < (1u << 20)) /* the report keeps the first MiB */
			sb_put(&console, buf, (size_t)got);
		for (ssize_t i = 0; i < got && !why; i++) {
			if (buf[i] != '\n') {
				if (line.n < 4096)
					sb_putc(&line, buf[i]);
				continue;
			}
			/* a serial line ends "\r\n": a pattern's $ is before the \r */
			if (line.n && line.s[line.n - 1] == '\r')
				line.s[--line.n] = '\0';
			const char *text = line.s ? line.s : "";
			if (strstr(text, "LDR|ERROR:"))
				why = "the loader refused the image";
			for (size_t k = 0; k < o->n_expect && !why; k++)
				if (!seen[k] && regexec(&re[k], text, 0, NULL, 0) == 0)
					seen[k] = true, n_seen++;
			line.n = 0;
			if (line.s)
				line.s[0] = '\0';
			if (n_seen == o->n_expect) {
				ret = 0;
				break;
			}
		}
		if (ret == 0)
			break;
	}
	free(line.s);
	if (o->junit) {
		double secs = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (write_junit(o->junit, loc->file, o, seen, why ? why : "QEMU ended", secs, &console, d) < 0)
			ret = 1;
	}
	free(console.s);
	if (ret) {
		struct sbuf miss = {0};
		for (size_t k = 0; k < o->n_expect; k++)
			if (!seen[k])
				sb_printf(&miss, "%s'%s'", miss.n ? ", " : "", o->expect[k]);
		/* a timeout is said as given (a late wake-up must not make 3 s read 4) */
		bool timeout = why && !strcmp(why, "timed out");
		diag_error(d, loc, NULL, "%s after %ld s; the console never showed %s", why ? why : "QEMU ended",
			   timeout ? (long)o->timeout : (long)(now.tv_sec - t0.tv_sec), miss.s ? miss.s : "(all seen)");
		free(miss.s);
	}
out:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (size_t k = 0; k < n_re; k++)
		regfree(&re[k]);
	free(re);
	free(seen);
	return ret;
}

/* The QEMU machines `run` boots, by the boot plan's machine name (pack.c's
 * board_facts): where the machine's RAM starts (what -m counts from),
 * whether it takes gic-version=, whether it models a sound device, and
 * whether its network is an added NIC (virt's needs a boot ROM a minimal
 * install lacks: none) or built in (the zcu102's GEMs: left on the default
 * network, since without a peer each one warns). */
static const struct qemu_board {
	const char *name;
	uint64_t ram_start;
	bool gic_option, audio, no_nic;
	const char *u_boot; /* Debian's U-Boot for the machine (u-boot-qemu), or NULL */
} qemu_boards[] = {
	{"virt", 0x40000000, true, false, true, "/usr/lib/u-boot/qemu_arm64/u-boot.bin"},
	{"xlnx-zcu102", 0, false, true, false, NULL},
};

/* Debian's qemu_arm64 U-Boot keeps its environment at the start of virt's
 * second flash (CONFIG_ENV_ADDR 0x4000000, CONFIG_ENV_SIZE 0x40000): a
 * CRC-32 of the rest, then "name=value" strings, each ending in a NUL, and
 * one NUL more. QEMU wants the whole 64 MiB flash in the file. */
#define UBOOT_ENV_SIZE 0x40000
#define VIRT_FLASH_SIZE (64u << 20)

/* A temporary flash file whose environment runs `bootcmd` at once, without
 * looking for a key to stop it (bootdelay -2: QEMU's stdin may hold any
 * byte). Returns
 * its path (to unlink), or NULL with errno. */
static char *u_boot_env(const char *bootcmd)
{
	uint8_t *env = xcalloc(UBOOT_ENV_SIZE, 1);
	int n = snprintf((char *)env + 4, UBOOT_ENV_SIZE - 4, "bootdelay=-2%cbootcmd=%s%c", 0, bootcmd, 0);
	if (n < 0 || n >= UBOOT_ENV_SIZE - 5) {
		free(env);
		errno = E2BIG;
		return NULL;
	}
	uint32_t crc = crc32_ieee(0, env + 4, UBOOT_ENV_SIZE - 4);
	memcpy(env, &crc, 4); /* little-endian, as the board stores it */
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mkimg-u-boot-env.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path), saved;
	if (fd < 0 || write(fd, env, UBOOT_ENV_SIZE) != UBOOT_ENV_SIZE || ftruncate(fd, VIRT_FLASH_SIZE) < 0) {
		saved = errno;
		if (fd >= 0)
			close(fd), unlink(path);
		free(path), free(env);
		errno = saved;
		return NULL;
	}
	close(fd);
	free(env);
	return path;
}

/* QEMU's option syntax: a comma in a file's name is written twice. */
static char *qemu_escape(const char *path)
{
	struct sbuf file = {0};
	sb_put(&file, "", 0);
	for (const char *c = path; *c; c++)
		sb_put(&file, c, *c == ',' ? 1 : 0), sb_putc(&file, *c);
	return file.s;
}

/* Whether a node's cpu is started by PSCI CPU_ON. */
static bool uses_psci(const struct bp_plan *pl)
{
	for (uint32_t i = 0; i < pl->h->nodes_count; i++)
		if (pl->nodes[i].start == BP_START_PSCI)
			return true;
	return false;
}

int image_run(FILE *f, const char *path, const struct run_opts *o, struct diags *d)
{
	struct image im;
	if (image_open(&im, path, d) < 0) {
		image_close(&im);
		return -1;
	}
	const struct bp_header *h = im.pl.h;
	struct mk_loc loc = {.file = path};
	const struct qemu_board *qb = NULL;
	for (size_t i = 0; i < sizeof(qemu_boards) / sizeof(qemu_boards[0]); i++)
		if (!strncmp(h->machine, qemu_boards[i].name, sizeof(h->machine)) && h->machine[0])
			qb = &qemu_boards[i];
	if (!qb) {
		diag_error(d, &loc, "image", "its board is not one QEMU models (virt, xlnx-zcu102): boot it on the board");
		image_close(&im);
		return -1;
	}
	const char *u_boot = NULL;
	if (o && o->u_boot) {
		const char *env = getenv("MKIMG_U_BOOT");
		u_boot = env && *env ? env : qb->u_boot;
		if (!u_boot) {
			diag_error(d, &loc, "image", "no U-Boot for QEMU's %s is known: set MKIMG_U_BOOT to one", qb->name);
			image_close(&im);
			return -1;
		}
		if (access(u_boot, R_OK) != 0) {
			diag_error(d, &loc, "image", "cannot read U-Boot '%s': %s (Debian's is in package u-boot-qemu; "
				   "MKIMG_U_BOOT names another)", u_boot, strerror(errno));
			image_close(&im);
			return -1;
		}
		if (im.elf) {
			diag_error(d, &loc, "image", "U-Boot boots elfloader.bin (booti), elfloader.uimg or elfloader.itb "
				   "(bootm), not the ELF: run one of those of the same folder");
			image_close(&im);
			return -1;
		}
	} else if (im.uimage || im.fit) {
		diag_error(d, &loc, "image", "a %s is for U-Boot's bootm: add --u-boot, or run elfloader.elf or "
			   "elfloader.bin of the same folder", im.uimage ? "uImage" : "FIT");
		image_close(&im);
		return -1;
	}
	/* EL2 where the plan's PSCI conduit is smc: QEMU's virt answers smc
	 * only with virtualization on (it has no EL3 firmware), hvc only
	 * with it off. */
	bool el2 = o && o->el ? o->el == 2 : (h->flags & BP_FLAG_VIRT) != 0;
	if (o && o->el == 1 && h->psci == BP_PSCI_SMC && uses_psci(&im.pl))
		diag_warn(d, &loc, "image", "the plan's PSCI conduit is smc, which QEMU's %s answers only at EL2 "
			  "(there is no EL3 firmware): entered at EL1, the loader will stop at its first CPU_ON; give "
			  "the board tree (or the manifest's 'platform: {psci: hvc}') hvc, or run at EL2", qb->name);
	if (o && o->el == 2 && h->psci == BP_PSCI_HVC && uses_psci(&im.pl))
		diag_warn(d, &loc, "image", "the plan's PSCI conduit is hvc, which at EL2 the loader would call on "
			  "itself: QEMU's %s answers hvc only at EL1; run at EL1 or give the board smc", qb->name);
	char machine[96], smp[16], mem[32], device[4200];
	snprintf(machine, sizeof(machine), "%s,virtualization=%s", qb->name, el2 ? "on" : "off");
	if (qb->gic_option)
		snprintf(machine + strlen(machine), sizeof(machine) - strlen(machine), ",gic-version=%u", h->gic_version);
	snprintf(smp, sizeof(smp), "%u", h->cpus);
	snprintf(mem, sizeof(mem), "%" PRIu64 "M", (h->ram_base + h->ram_size - qb->ram_start) >> 20);
	char cpu[32];
	snprintf(cpu, sizeof(cpu), "%.24s", h->cpu);
	const char *qemu = o && o->qemu ? o->qemu : "qemu-system-aarch64";
	char *argv[32];
	int n = 0;
	char *env_path = NULL, *env_drive = NULL, *file = qemu_escape(path);
	argv[n++] = (char *)qemu;
	argv[n++] = "-machine", argv[n++] = machine;
	argv[n++] = "-cpu", argv[n++] = cpu;
	argv[n++] = "-smp", argv[n++] = smp;
	argv[n++] = "-m", argv[n++] = mem;
	argv[n++] = "-nographic";
	if (qb->audio) /* or QEMU probes every sound system for the board's DisplayPort audio */
		argv[n++] = "-audiodev", argv[n++] = "none,id=snd0";
	/* No network: nothing in an image uses one, and QEMU's default NIC
	 * needs a boot ROM (efi-virtio.rom) that a minimal install lacks. */
	if (qb->no_nic)
		argv[n++] = "-nic", argv[n++] = "none";
	if (u_boot) {
		/* U-Boot as the firmware, its environment in the second flash
		 * saying what to boot; the image put in RAM by QEMU's generic
		 * loader above the loader's region, where a user would load it
		 * (booti and bootm move it to the loader's base). */
		uint64_t stage = (h->region_end + BP_BLOCK - 1) & ~(uint64_t)(BP_BLOCK - 1);
		if (stage + im.file_size > h->ram_base + h->ram_size / 2) {
			diag_error(d, &loc, "image", "the image (%zu bytes) does not fit between the loader's region and "
				   "the upper half of RAM, where U-Boot relocates itself", im.file_size);
			free(file);
			image_close(&im);
			return -1;
		}
		char bootcmd[160];
		snprintf(bootcmd, sizeof(bootcmd), "echo mkimg: %s at 0x%" PRIx64 "; %s 0x%" PRIx64 "%s",
			 im.uimage ? "bootm of the uImage" : im.fit ? "bootm of the FIT" : "booti of the Image", stage,
			 im.uimage || im.fit ? "bootm" : "booti", stage, im.fit ? "" : " - ${fdtcontroladdr}");
		if (!(o && o->dry_run) && !(env_path = u_boot_env(bootcmd))) {
			diag_error(d, &loc, NULL, "cannot write U-Boot's environment: %s", strerror(errno));
			free(file);
			image_close(&im);
			return -1;
		}
		char *esc = env_path ? qemu_escape(env_path) : NULL;
		env_drive = xasprintf("if=pflash,unit=1,format=raw,file=%s", esc ? esc : "(a temporary file)");
		free(esc);
		argv[n++] = "-bios", argv[n++] = (char *)u_boot;
		if (o->dtb)
			argv[n++] = "-dtb", argv[n++] = (char *)o->dtb;
		argv[n++] = "-drive", argv[n++] = env_drive;
		snprintf(device, sizeof(device), "loader,file=%s,addr=0x%" PRIx64 ",force-raw=on", file, stage);
		argv[n++] = "-device", argv[n++] = device;
	} else if (im.elf) {
		argv[n++] = "-kernel", argv[n++] = (char *)path;
	} else {
		/* A raw image: QEMU's generic loader puts it at its base and
		 * starts cpu 0 there. */
		snprintf(device, sizeof(device), "loader,file=%s,addr=0x%" PRIx64 ",cpu-num=0", file, im.base);
		argv[n++] = "-device", argv[n++] = device;
	}
	free(file);
	/* With more vCPUs than host cpus, multi-threaded TCG lets a vCPU stall
	 * for whole host time slices, while the others spin on the console
	 * lock it holds; one thread running every vCPU in turn, the next one
	 * at each `yield` of a waiting kernel, keeps them moving. */
	long host_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (host_cpus > 0 && h->cpus > (unsigned long)host_cpus)
		argv[n++] = "-accel", argv[n++] = "tcg,thread=single";
	argv[n] = NULL;
	image_close(&im);
	print_quoted(f, argv);
	fflush(f);
	if (o && o->dry_run) {
		free(env_drive);
		return 0;
	}

	struct sigaction sa = {.sa_handler = on_signal}, old[3];
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	stop_signal = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	int console[2] = {-1, -1};
	bool watch = o && o->n_expect;
	if (watch && pipe(console) < 0) {
		diag_error(d, &loc, NULL, "cannot make a pipe: %s", strerror(errno));
		if (env_path)
			unlink(env_path);
		free(env_path), free(env_drive);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (watch) {
			dup2(console[1], 1);
			close(console[0]), close(console[1]);
		}
		execvp(qemu, argv);
		fprintf(stderr, "mkimg: cannot run '%s': %s\n", qemu, strerror(errno));
		_exit(127);
	}
	int ret;
	if (watch) {
		close(console[1]);
		ret = pid < 0 ? -1 : watch_console(f, console[0], pid, o, &loc, d);
		close(console[0]);
	} else {
		ret = pid < 0 ? -1 : wait_qemu(pid, o ? o->timeout : 0);
	}
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (ret < 0)
		diag_error(d, &loc, NULL, "cannot run '%s': %s", qemu, strerror(errno));
	if (env_path)
		unlink(env_path);
	free(env_path);
	free(env_drive);
	return ret;
}
