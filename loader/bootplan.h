/* SPDX-License-Identifier: BSD-2-Clause */
/* bootplan.h - the boot plan: every decision the host made, for the loader
 * to obey. Shared by the host (imgtool/pack.c writes it, imgtool/image.c
 * reads it) and the loader (loader.c, start.S).
 *
 * The image the packer writes, loaded at `image_base`:
 *
 *   [0, loader_size)        the loader (start.S header first, see LDR_*)
 *   [loader_size, ...)      the payload, a CPIO newc archive whose first
 *                           member, "bootplan", holds this plan; then
 *                           Kernel.N.elf, capdl.N.img, kernel.N.dtb per node
 *   [image_size, region_end) scratch the loader's page tables go in
 *
 * The plan is one header, then five arrays (members, nodes, ops, maps,
 * pools) at the offsets the header names. Every field is little-endian, naturally
 * aligned and fixed-width; there are no pointers, only physical addresses
 * and offsets, so the same bytes mean the same on the host and the board.
 * The hash covers the whole plan except the hash itself; each member's hash
 * covers its data in the payload.
 */
#ifndef MKIMG_BOOTPLAN_H
#define MKIMG_BOOTPLAN_H

#define BP_MAGIC 0x4e414c50544f4f42 /* "BOOTPLAN" read as a little-endian u64 */
#define BP_VERSION 4 /* 2: the pools the loader zeroes; 3: the console's kind; 4: a node's boot protocol */
#define BP_MEMBER "bootplan" /* the plan's name in the payload; its data lands 8-aligned */
#define BP_PLAN_OFFSET 120  /* its data, from the payload's start: the CPIO header (110) and name, 4-aligned */

/* The loader's own header, its first 64 bytes (start.S): an arm64 Linux
 * Image header, so that U-Boot's booti and QEMU's -kernel accept the raw
 * image. code0 branches over it. The packer fills the Image fields:
 * text_offset is the loader base's distance from the first RAM bank's start
 * rounded up to 2 MiB, and flags bit 3 is clear, so that booti moves the
 * image to exactly the loader base from wherever it was loaded; image_size
 * is the image's size, page aligned. mkimg's own fields sit in
 * the header's reserved words: a magic, the loader's size (code, data and
 * stack, page aligned: where the payload starts) and the plan version it
 * reads. The packer reads them from the loader ELF; the host reads them to
 * find the payload. */
#define LDR_MAGIC 0x52444c474d494b4d /* "MKIMGLDR" */
#define LDR_HDR_TEXT_OFFSET 8 /* u64 */
#define LDR_HDR_IMAGE_SIZE 16 /* u64 */
#define LDR_HDR_FLAGS 24      /* u64: LDR_IMAGE_FLAGS */
#define LDR_HDR_MAGIC 32
#define LDR_HDR_SIZE 40
#define LDR_HDR_VERSION 48 /* u32: the BP_VERSION it understands */
#define LDR_HDR_ARM64_MAGIC 56 /* "ARM\x64" */
#define LDR_HDR_BYTES 64
#define LDR_ARM64_MAGIC 0x644d5241u /* "ARM\x64" read as a little-endian u32 */
#define LDR_IMAGE_FLAGS 0x2 /* little-endian, 4 KiB pages, base relative to the start of RAM */
/* Where booti puts such an image: this, of the first RAM bank's start,
 * plus text_offset (pack.c writes it, image.c checks it). */
#define LDR_BOOTI_RAM(ram_base) (((ram_base) + BP_BLOCK - 1ull) & ~(BP_BLOCK - 1ull))

#define BP_PAGE 0x1000
#define BP_BLOCK 0x200000 /* every map is made of 2 MiB blocks */
/* bp_map.attr: the block-descriptor bits a map may set, those the packer
 * writes: AttrIndx (4:2), AP[1] (6), SH (9:8), AF (10), PXN (53), UXN (54).
 * Never the type (1:0) nor the output address (47:12); bp_check refuses
 * any other bit. */
#define BP_MAP_ATTR_MASK 0x006000000000075cull
/* A block descriptor holds output addresses below 2^48 (4 KiB granule):
 * every map's [pa, pa + size) lies below this. */
#define BP_MAP_PA_END 0x1000000000000ull

/* psci: the conduit of PSCI calls */
#define BP_PSCI_NONE 0
#define BP_PSCI_SMC 1
#define BP_PSCI_HVC 2

/* bp_node.start: how the node's cpu starts */
#define BP_START_SELF 0 /* the loader's own cpu: entered last */
#define BP_START_PSCI 1 /* PSCI CPU_ON */
#define BP_START_SPIN 2 /* spin table: write the entry to release_addr, sev */

/* bp_node.boot: how the node's kernel is entered */
#define BP_BOOT_SEL4 0  /* at EL1, MMU on with the node's tables, x0..x5 = regs (seL4's elfloader's contract) */
#define BP_BOOT_LINUX 1 /* arm64 Linux: at the loader's EL, MMU and D-cache off, x0 = the DTB (regs[4]),
			 * x1..x3 = 0, at entry = kernel_base, a physical address in the node's RAM */

/* bp_op.kind */
#define BP_OP_COPY 1
#define BP_OP_ZERO 2

/* bp_header.flags: facts for `mkimg run` */
#define BP_FLAG_VIRT 1 /* QEMU virt with virtualization=on (the loader starts at EL2) */

/* Offsets of struct bp_node fields that start.S reads. */
#define BP_NODE_MPIDR 16
#define BP_NODE_ENTRY 64
#define BP_NODE_REGS 72
#define BP_NODE_TTBR0 120
#define BP_NODE_TTBR1 128
#define BP_NODE_MAIR 144
#define BP_NODE_TCR 152
#define BP_NODE_SCTLR 160
#define BP_NODE_HCR 168
#define BP_NODE_CNTHCTL 176
#define BP_NODE_CPTR 184
#define BP_NODE_ICC_SRE 192
#define BP_NODE_BOOT 216
#define BP_NODE_BYTES 224

/* Offsets of struct bp_header fields that start.S reads. */
#define BP_HDR_NODES_OFF 168
#define BP_HDR_NODES_COUNT 172

#ifndef __ASSEMBLER__
#include <stdint.h>

struct bp_header {
	uint64_t magic;           /* BP_MAGIC */
	uint32_t version;         /* BP_VERSION */
	uint32_t size;            /* bytes of the plan, this header included */
	uint64_t console;         /* the loader's log's UART (console_kind), or 0: silent */
	uint64_t console_check;   /* ~console, so the loader may print before it checked the hash */
	uint8_t sha256[32];       /* SHA-256 of bytes [0, 32) then [64, size) */
	uint64_t image_base;      /* physical address of the image's first byte */
	uint64_t image_size;      /* loader + payload: the bytes of elfloader.bin */
	uint64_t region_end;      /* the loader's RAM region is [image_base, region_end) */
	uint64_t primary_mpidr;   /* the cpu the loader must run on */
	uint64_t copy_tables;     /* the copy phase's page tables: [copy_tables, copy_tables_end), */
	uint64_t copy_tables_end; /* the root first */
	uint64_t mair;            /* the copy phase's MAIR (EL2 or EL1) */
	uint64_t tcr_el1;         /* copy phase at EL1; IPS (34:32) is filled in from ID_AA64MMFR0 */
	uint64_t tcr_el2;         /* copy phase at EL2; PS (18:16) likewise */
	uint64_t sctlr_el1;       /* copy phase at EL1: MMU and caches on */
	uint64_t sctlr_el2;       /* copy phase at EL2: MMU and caches on */
	uint32_t psci;            /* BP_PSCI_* */
	uint32_t gic_version;     /* 2 or 3 */
	uint32_t members_off, members_count;
	uint32_t nodes_off, nodes_count; /* in boot order, the loader's own node last */
	uint32_t ops_off, ops_count;
	uint32_t maps_off, maps_count;
	uint32_t pools_off, pools_count; /* the shared pools to zero before any kernel runs */
	uint32_t copy_maps_first[2]; /* the copy phase's maps: [0] when the loader */
	uint32_t copy_maps_count[2]; /* runs at EL1, [1] at EL2 (AP[1] is RES1 there) */
	/* Facts for the host tools (inspect, run); the loader reads only the
	 * RAM, which every pool must lie in. */
	uint64_t ram_base, ram_size; /* the board's RAM spans [ram_base, ram_base + ram_size), gaps included */
	uint32_t cpus;               /* cpus on the board */
	uint32_t flags;              /* BP_FLAG_* */
	char name[32];               /* the plan's name, NUL padded */
	char machine[16];            /* QEMU machine ("virt"), or "" */
	char cpu[24];                /* QEMU cpu model ("cortex-a53") */
	/* The console's UART (include/mkimg_uart.h): its kind, and a 16550's
	 * reg-shift and access width; an unknown kind prints nothing. */
	uint32_t console_kind;
	uint8_t console_shift, console_width, console_pad[2];
};

/* One payload member (not the plan itself). */
struct bp_member {
	uint64_t offset;   /* of its data, from the image's first byte */
	uint64_t size;
	uint8_t sha256[32];
	char name[32];     /* its CPIO name: "Kernel.0.elf", NUL padded */
};

/* One node: its cpu, where its kernel goes, and how it is entered. */
struct bp_node {
	uint32_t id;
	uint32_t cpu;            /* index among /cpus */
	uint32_t start;          /* BP_START_* */
	uint32_t el;             /* the kernel's exception level: 1 (BP_BOOT_LINUX: 2, or 1 if the loader runs there) */
	uint64_t mpidr;          /* affinity fields: PSCI target, and how a started cpu finds its node */
	uint64_t release_addr;   /* BP_START_SPIN: cpu-release-addr */
	uint64_t ram_base;       /* the node's first RAM region: every op writes inside */
	uint64_t ram_end;
	uint64_t kernel_base;    /* the kernel's physical range */
	uint64_t kernel_end;
	uint64_t entry;          /* the kernel's virtual entry point (BP_BOOT_LINUX: physical) */
	uint64_t regs[6];        /* x0..x5: user image start, end, pv_offset, entry, DTB, DTB size
				  * (BP_BOOT_LINUX: initrd start, end, 0, 0, DTB, DTB size) */
	uint64_t ttbr0;          /* page-table roots, the first two pages of the node's table */
	uint64_t ttbr1;          /* area [ttbr0, tables_end); the rest is allocated in order */
	uint64_t tables_end;
	uint64_t mair_el1;
	uint64_t tcr_el1;        /* IPS (34:32) is filled in from ID_AA64MMFR0 */
	uint64_t sctlr_el1;      /* MMU and caches on */
	uint64_t hcr_el2;        /* EL2 state, written when the loader runs at EL2 */
	uint64_t cnthctl_el2;
	uint64_t cptr_el2;
	uint64_t icc_sre_el2;    /* 0: leave alone (no GICv3 system registers) */
	uint32_t ops_first, ops_count;
	uint32_t maps_first, maps_count;
	uint32_t boot;           /* BP_BOOT_* */
	uint32_t reserved;
};

/* Copy `size` bytes of a member, or zero `size` bytes, at physical `dst`. */
struct bp_op {
	uint32_t kind;   /* BP_OP_* */
	uint32_t member; /* BP_OP_COPY: index into the members */
	uint64_t src;    /* BP_OP_COPY: offset in the member's data */
	uint64_t dst;
	uint64_t size;
};

/* A shared pool the loader zeroes (its manifest entry has no `keep: true`):
 * page aligned, in the board's RAM, apart from every node's RAM and the
 * loader's region. The copy phase maps it (the 2 MiB blocks around it). */
struct bp_pool {
	uint64_t base, size;
	char name[32]; /* the manifest's name, NUL padded */
};

/* Map [va, va + size) to [pa, pa + size) with 2 MiB block descriptors. */
struct bp_map {
	uint64_t va, pa, size;
	uint64_t attr; /* descriptor bits besides address and type: AttrIndx, AP, SH, AF, PXN, UXN (BP_MAP_ATTR_MASK) */
	uint32_t root; /* node maps: 0 = TTBR0, 1 = TTBR1; copy-phase maps: 0 */
	uint32_t reserved;
};

#define BP_ASSERT_OFFSET(type, field, off) _Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field)
BP_ASSERT_OFFSET(struct bp_header, sha256, 32);
BP_ASSERT_OFFSET(struct bp_header, image_base, 64);
BP_ASSERT_OFFSET(struct bp_header, nodes_off, BP_HDR_NODES_OFF);
BP_ASSERT_OFFSET(struct bp_header, nodes_count, BP_HDR_NODES_COUNT);
BP_ASSERT_OFFSET(struct bp_node, mpidr, BP_NODE_MPIDR);
BP_ASSERT_OFFSET(struct bp_node, entry, BP_NODE_ENTRY);
BP_ASSERT_OFFSET(struct bp_node, regs, BP_NODE_REGS);
BP_ASSERT_OFFSET(struct bp_node, ttbr0, BP_NODE_TTBR0);
BP_ASSERT_OFFSET(struct bp_node, ttbr1, BP_NODE_TTBR1);
BP_ASSERT_OFFSET(struct bp_node, mair_el1, BP_NODE_MAIR);
BP_ASSERT_OFFSET(struct bp_node, tcr_el1, BP_NODE_TCR);
BP_ASSERT_OFFSET(struct bp_node, sctlr_el1, BP_NODE_SCTLR);
BP_ASSERT_OFFSET(struct bp_node, hcr_el2, BP_NODE_HCR);
BP_ASSERT_OFFSET(struct bp_node, cnthctl_el2, BP_NODE_CNTHCTL);
BP_ASSERT_OFFSET(struct bp_node, cptr_el2, BP_NODE_CPTR);
BP_ASSERT_OFFSET(struct bp_node, icc_sre_el2, BP_NODE_ICC_SRE);
BP_ASSERT_OFFSET(struct bp_node, boot, BP_NODE_BOOT);
_Static_assert(sizeof(struct bp_node) == BP_NODE_BYTES, "struct bp_node size");
_Static_assert(sizeof(struct bp_header) % 8 == 0, "struct bp_header size");
_Static_assert(sizeof(struct bp_member) % 8 == 0, "struct bp_member size");
_Static_assert(sizeof(struct bp_op) % 8 == 0, "struct bp_op size");
_Static_assert(sizeof(struct bp_map) % 8 == 0, "struct bp_map size");
_Static_assert(sizeof(struct bp_pool) % 8 == 0, "struct bp_pool size");
_Static_assert((BP_MAP_ATTR_MASK & 0x0000fffffffff003ull) == 0, "attributes: no address or type bit");
#endif

#endif
