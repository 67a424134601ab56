/* SPDX-License-Identifier: BSD-2-Clause */
/* manifest.h - the partition manifest (partition.yaml), read with libyaml
 * into typed values that keep their source location.
 *
 * The reader is strict: unknown keys (with the nearest known key suggested),
 * duplicate keys, wrong types, numbers with trailing junk or out of range
 * are errors. Anchors and aliases are resolved by libyaml's document loader.
 * Numbers are hex (0x...), decimal, or decimal with a K, M, G or T suffix
 * (binary multiples); leading zeros (YAML 1.1 octal) and underscores are
 * refused.
 *
 * Paths in the manifest are relative to the manifest's own folder; the
 * reader stores them resolved (dir + "/" + path) unless they are absolute.
 */
#ifndef MKIMG_MANIFEST_H
#define MKIMG_MANIFEST_H

/* The longest manifest or pool name, in bytes (the boot plan holds 32). */
#define MF_NAME_MAX 31u

#include "util.h"

struct mf_u64 {
	uint64_t v;
	bool set;
	struct mk_loc loc;
};

struct mf_str {
	char *s; /* NULL when absent */
	struct mk_loc loc;
};

/* `true` or `false` (YAML 1.2's core spellings: also True, TRUE, ...). */
struct mf_bool {
	bool v;
	bool set;
	struct mk_loc loc;
};

/* An explicit region: `{base: 0x40000000, size: 256M}`. */
struct mf_region {
	struct mf_u64 base, size;
	struct mk_loc loc;
};

/* What a node runs: a file already built (`kernel: path`), or a build
 * section (`kernel: {build: sel4|cmake, source: dir, options: {K: V}}`).
 * Issue "per-node builds" fills in the build side; the plan only records. */
enum mf_artifact_kind { MF_ART_NONE, MF_ART_FILE, MF_ART_BUILD };
struct mf_option {
	char *key, *value;
	struct mk_loc loc;
};
struct mf_artifact {
	enum mf_artifact_kind kind;
	struct mf_str path;   /* MF_ART_FILE: the file */
	struct mf_str build;  /* MF_ART_BUILD: "sel4" or "cmake" */
	struct mf_str source; /* MF_ART_BUILD: source folder */
	struct mf_option *options;
	size_t n_options;
	struct mk_loc loc;
};

/* A node that runs Linux: `linux: {image: FILE, initrd: FILE, bootargs: TEXT}`
 * (initrd and bootargs optional). */
struct mf_linux {
	bool set;
	struct mf_str image, initrd, bootargs;
	struct mk_loc loc;
};

struct mf_node {
	struct mf_u64 id;
	struct mk_loc loc; /* the node's mapping */
	struct mf_u64 *cpus;
	size_t n_cpus;
	bool cpus_set;
	/* memory: either a size (size-only placement) or explicit regions */
	struct mf_u64 mem_size;
	struct mf_region *mem;
	size_t n_mem;
	struct mk_loc mem_loc;
	struct mf_str *devices;
	size_t n_devices;
	struct mf_artifact kernel, root_task; /* `kernel:`, `rootserver:` */
	struct mf_linux linux_os;             /* `linux:`, instead of both */
};

struct mf_pool {
	struct mf_str name;
	struct mf_u64 base, size; /* base optional */
	struct mf_bool keep;      /* optional: the loader leaves its contents (default: zeroed) */
	struct mf_u64 *nodes;
	size_t n_nodes;
	struct mk_loc loc;
};

struct mf_channel {
	struct mf_u64 from, to;
	struct mf_u64 sgi; /* optional: a fixed SGI number */
	struct mk_loc loc;
};

struct manifest {
	char *path; /* as given */
	char *dir;  /* folder holding it, for relative paths */
	struct mf_str name;
	struct mf_str dtb, dts; /* exactly one is set (platform.dtb / platform.dts) */
	struct mf_u64 gic_spis;  /* platform.spis: optional, the GIC's SPI count */
	/* platform.memory: optional, the board's RAM as {base, size} regions;
	 * when given it replaces the tree's /memory (which boot loaders often
	 * fill in only at boot) */
	struct mf_region *board_mem;
	size_t n_board_mem;
	struct mk_loc board_mem_loc;
	struct mf_str psci;      /* platform.psci: optional, "smc" or "hvc": the PSCI conduit firmware
				  * adds to the tree at boot, for a tree without a usable /psci */
	struct mf_str console;   /* optional shared debug console (a DT path) */
	struct mf_u64 loader_base, loader_size; /* optional `loader: {base, size}` */
	struct mf_region *bootloader;           /* optional `loader: {bootloader: {base, size}}`: at most one */
	size_t n_bootloader;
	struct mf_str fit_key, fit_algo;        /* optional `fit: {key, algo}`: sign elfloader.itb */
	struct mk_loc loader_loc;
	struct mf_pool *pools;
	size_t n_pools;
	struct mf_node *nodes;
	size_t n_nodes;
	struct mf_channel *channels;
	size_t n_channels;
	struct mk_loc loc; /* the document's top */
};

/* Read and type-check `path`. `*m` is zeroed first. Returns 0, or -1 with
 * errors in `d` (the manifest may then be partly filled; free it all the
 * same). */
int manifest_load(struct manifest *m, const char *path, struct diags *d);
/* The same from a buffer; `path` names it in messages and anchors relative
 * paths. */
int manifest_parse(struct manifest *m, const char *path, const char *buf, size_t len, struct diags *d);
void manifest_free(struct manifest *m);

/* Parse a manifest number ("256M", "4096", "0x1000", "1G"; not "0x4000_0000"
 * or "010"). Returns 0, or -1 with a reason in *why (which may be NULL). */
int parse_u64(const char *s, uint64_t *out, const char **why);

#endif
