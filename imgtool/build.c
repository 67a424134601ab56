/* SPDX-License-Identifier: BSD-2-Clause */
/* build.c - see build.h.
 *
 * The shape: collect one job per artifact to build, check its inputs,
 * write its script and the Ninja file (each only when its text changes, so
 * that Ninja and the scripts see stable timestamps), run Ninja, and turn
 * the events the scripts write into this run's event pipe ("start N what",
 * "done N what built|uptodate", "fail N what") into progress lines and
 * errors, as they come: mkimg sleeps in read() until one does, or until
 * the pipe's end (Ninja and every script gone), never polling.
 *
 * No manifest string and no path reaches a shell as text: Ninja runs in
 * OUT/build (-C), so its file names only fixed relative paths
 * ("node0/kernel.sh", "../node0/Kernel.0.elf"); every value a script uses
 * is one single-quoted shell word (sb_sh); the event pipe, which is this
 * run's own, comes through the environment (MKIMG_PROGRESS=/dev/fd/N).
 */
#define _GNU_SOURCE /* realpath, pipe2, prctl */
#include "build.h"

#include "locate.h"
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* One word for sh: 'it'\''s' */
static void sb_sh(struct sbuf *b, const char *s)
{
	sb_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(b, "'\\''");
		else
			sb_putc(b, *s);
	}
	sb_putc(b, '\'');
}

enum what { KERNEL, ROOT_TASK };
/* The artifact's manifest key, which also names its files and folders
 * under OUT/build/node<N>/; and its name in messages. */
static const char *const what_name[] = {"kernel", "rootserver"};
static const char *const what_prose[] = {"kernel", "root task"};
/* What the inner build makes, and the name the result gets beside the
 * node's tree (the payload's member names, after the talk). */
static const char *const made_name[] = {"kernel.elf", "rootserver.elf"};
static const char *const out_fmt[] = {"Kernel.%u.elf", "capdl.%u.img"};

struct job {
	const struct plan_node *n;
	size_t index;                   /* in plan order */
	enum what what;
	const struct plan_artifact *a;
	char *src, *dir, *script, *log, *out; /* absolute */
	char *stable;                   /* the node's tree as the project sees it */
	char *shown_log;                /* as the user named the output folder */
	double started;
};

struct ctx {
	const struct plan *p;
	const struct build_options *o;
	const char *data, *cmake, *ninja;
	char *out, *shown;              /* absolute, and as given */
	struct job *jobs;
	size_t n_jobs;
	unsigned jobs_max;
	char events[512];               /* a partial event line from the pipe */
	size_t events_len;
	struct diags *d;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Write `len` bytes to `path` unless it already holds exactly them. */
static int write_if_changed(const char *path, const void *text, size_t len, struct diags *d)
{
	FILE *f = fopen(path, "rb");
	if (f) {
		char *old = xmalloc(len + 1);
		size_t got = fread(old, 1, len + 1, f);
		bool same = got == len && !memcmp(old, text, len);
		free(old);
		fclose(f);
		if (same)
			return 0;
	}
	struct output o = {0};
	struct mk_loc loc = {.file = path};
	if (!(f = output_open(&o, path))) {
		diag_error(d, &loc, NULL, "cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	fwrite(text, 1, len, f);
	return output_commit(&o, d);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *node_file(const struct ctx *c, unsigned id, const char *name)
{
	return xasprintf("%s/node%u/%s", c->out, id, name);
}

static bool is_sel4(const struct plan_artifact *a)
{
	return a->kind == PLAN_ART_BUILD && a->build && !strcmp(a->build, "sel4");
}

/* Where a `build: sel4` kernel's build leaves libsel4's CMake package. */
static char *sel4_package_dir(const struct ctx *c, unsigned id)
{
	return xasprintf("%s/build/node%u/kernel/mkimg-sel4", c->out, id);
}

static bool has_option(const struct plan_artifact *a, const char *key)
{
	for (size_t i = 0; i < a->n_options; i++)
		if (!strcmp(a->options[i].key, key))
			return true;
	return false;
}

static const char *option(const struct plan_artifact *a, const char *key, const char *dflt)
{
	for (size_t i = 0; i < a->n_options; i++)
		if (!strcmp(a->options[i].key, key))
			return a->options[i].value;
	return dflt;
}

/* -DKEY=VALUE, unless the manifest's options name KEY themselves. */
static void define(struct sbuf *b, const struct plan_artifact *a, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void define(struct sbuf *b, const struct plan_artifact *a, const char *key, const char *fmt, ...)
{
	if (has_option(a, key))
		return;
	va_list ap;
	va_start(ap, fmt);
	char *v = xvasprintf(fmt, ap);
	va_end(ap);
	char *arg = xasprintf("-D%s=%s", key, v);
	sb_printf(b, " \\\n\t\t");
	sb_sh(b, arg);
	free(arg);
	free(v);
}

/* Paths the compiler would write into objects (__FILE__, debug info) as
 * fixed names, so that the same sources give the same bytes wherever they
 * and the output folder are: mkimg's data folder, the output folder (build
 * folders, the node's tree), the project's source. The last matching map
 * wins, so the more specific folders come after the data folder that may
 * hold them. */
static void define_prefix_maps(struct sbuf *b, const struct ctx *c, const struct job *j)
{
	/* CMake puts these flags into shell command lines as they are (and
	 * its try_compile splits them again): each map is one word with every
	 * byte but [A-Za-z0-9/._-] escaped by a backslash, so a folder may hold
	 * spaces and shell characters. */
	struct sbuf maps = {0};
	const char *from[] = {c->data, c->out, j->src}, *to[] = {"/mkimg", "/out", "/src"};
	for (size_t i = 0; i < 3; i++) {
		sb_printf(&maps, "%s-ffile-prefix-map=", i ? " " : "");
		for (const char *p = from[i]; *p; p++) {
			if (!strchr("/._-", *p) && !isalnum((unsigned char)*p))
				sb_putc(&maps, '\\');
			sb_putc(&maps, *p);
		}
		sb_printf(&maps, "=%s", to[i]);
	}
	define(b, j->a, "CMAKE_C_FLAGS", "%s", maps.s);
	define(b, j->a, "CMAKE_ASM_FLAGS", "%s", maps.s);
	free(maps.s);
}

/* A compiler launcher (ccache, distcc, icecc) from CMake's own environment
 * variables, for every node's build: it becomes part of the configuration
 * (the script), so changing it configures again. A manifest's option of
 * the same name wins. */
static void define_launchers(struct sbuf *b, const struct plan_artifact *a)
{
	static const char *const vars[] = {"CMAKE_C_COMPILER_LAUNCHER", "CMAKE_CXX_COMPILER_LAUNCHER"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			define(b, a, vars[i], "%s", v);
	}
}

/* The node's values for a generic CMake project (see build.h). */
static void cmake_defines(struct sbuf *b, const struct ctx *c, const struct job *j)
{
	const struct plan_node *n = j->n;
	const struct plan_artifact *a = j->a;
	struct sbuf list = {0};
	char *dtb = xasprintf("%s/kernel.dtb", j->stable), *dts = xasprintf("%s/kernel.dts", j->stable);
	char *ovl = xasprintf("%s/kernel-overlay.dts", j->stable);

	define(b, a, "CMAKE_TOOLCHAIN_FILE", "%s/cmake/aarch64-toolchain.cmake", c->data);
	define_prefix_maps(b, c, j);
	define_launchers(b, a);
	define(b, a, "MKIMG_DATA_DIR", "%s", c->data);
	define(b, a, "MKIMG_NODE_ID", "%u", n->id);
	define(b, a, "MKIMG_NODE_INDEX", "%zu", j->index);
	define(b, a, "MKIMG_NODE_COUNT", "%zu", c->p->n_nodes);
	define(b, a, "MKIMG_NODE_DTB", "%s", dtb);
	define(b, a, "MKIMG_NODE_DTS", "%s", dts);
	define(b, a, "MKIMG_NODE_OVERLAY", "%s", ovl);
	if (j->what == ROOT_TASK && is_sel4(&n->kernel)) {
		char *pkg = sel4_package_dir(c, n->id);
		define(b, a, "MKIMG_KERNEL", "%s", "sel4");
		define(b, a, "MKIMG_SEL4_DIR", "%s", pkg);
		free(pkg);
	}
	if (n->n_memory) {
		define(b, a, "MKIMG_RAM_BASE", "0x%" PRIx64, n->memory[0].base);
		define(b, a, "MKIMG_RAM_SIZE", "0x%" PRIx64, n->memory[0].size);
	}
	sb_put(&list, "", 0); /* "" for none */
	for (size_t i = 0; i < n->n_memory; i++)
		sb_printf(&list, "%s0x%" PRIx64 ":0x%" PRIx64, i ? ";" : "", n->memory[i].base, n->memory[i].size);
	define(b, a, "MKIMG_RAM", "%s", list.s);
	list.n = 0;
	sb_put(&list, "", 0); /* "" for none */
	for (size_t i = 0; i < n->n_sgis; i++)
		sb_printf(&list, "%s%u:%u:%u", i ? ";" : "", n->sgis[i].sgi, n->sgis[i].from, n->sgis[i].to);
	define(b, a, "MKIMG_CHANNELS", "%s", list.s);
	list.n = 0;
	sb_put(&list, "", 0); /* "" for none */
	for (size_t i = 0; i < n->n_pools; i++) {
		const struct plan_pool *pool = &c->p->pools[n->pools[i]];
		sb_printf(&list, "%s%s:0x%" PRIx64 ":0x%" PRIx64, i ? ";" : "", pool->name, pool->r.base, pool->r.size);
	}
	define(b, a, "MKIMG_POOLS", "%s", list.s);
	free(list.s);
	free(dtb), free(dts), free(ovl);
}

/* seL4's own build (see build.h). */
static void sel4_defines(struct sbuf *b, const struct ctx *c, const struct job *j)
{
	const struct plan_artifact *a = j->a;
	const char *platform = option(a, "KernelPlatform", "qemu-arm-virt");
	char *ovl = xasprintf("%s/kernel-overlay.dts", j->stable);

	define(b, a, "MKIMG_SEL4_SOURCE", "%s", j->src);
	define(b, a, "CMAKE_TOOLCHAIN_FILE", "%s/gcc.cmake", j->src);
	/* seL4's tools/flags.cmake appends its flags to CMAKE_C_FLAGS, and its
	 * debug build keeps __FILE__ (its sources, OUT/build/... generated
	 * headers) in .rodata: without the maps its bytes depend on folders. */
	define_prefix_maps(b, c, j);
	define_launchers(b, a);
	define(b, a, "CROSS_COMPILER_PREFIX", "%s", "aarch64-linux-gnu-");
	define(b, a, "KernelPlatform", "%s", platform);
	define(b, a, "KernelSel4Arch", "%s", "aarch64");
	if (!has_option(a, "KernelCustomDTS"))
		define(b, a, "KernelCustomDTSOverlay", "%s", ovl);
	if (!strcmp(platform, "qemu-arm-virt")) {
		define(b, a, "QEMU_DTB", "%s/build/board.dtb", c->out);
		define(b, a, "QEMU_GIC_VERSION", "%u", c->p->board.gic_version ? c->p->board.gic_version : 2);
	}
	/* What the manifest asked for, kept apart from the values seL4 may
	 * force, so cmake/sel4-node can say which options it did not take. */
	struct sbuf names = {0};
	sb_put(&names, "", 0); /* "" for none */
	for (size_t i = 0; i < a->n_options; i++) {
		sb_printf(&names, "%s%s", i ? ";" : "", a->options[i].key);
		char *key = xasprintf("MKIMG_REQUESTED_%s", a->options[i].key);
		define(b, a, key, "%s", a->options[i].value);
		free(key);
	}
	define(b, a, "MKIMG_REQUESTED", "%s", names.s);
	free(names.s);
	free(ovl);
}

/* What every script does once its variables and configure() are set. */
static const char script_tail[] =
	"# The project sees the node's tree in $stable, copied only when it changed:\n"
	"# mkimg writes $tree anew on every run.\n"
	"sync_tree() {\n"
	"\tmkdir -p \"$stable\" || return 1\n"
	"\tfor f in kernel.dtb kernel.dts kernel-overlay.dts; do\n"
	"\t\t[ -f \"$tree/$f\" ] || continue\n"
	"\t\tcmp -s \"$tree/$f\" \"$stable/$f\" ||\n"
	"\t\t\t{ cp \"$tree/$f\" \"$stable/$f.tmp\" && mv \"$stable/$f.tmp\" \"$stable/$f\"; } || return 1\n"
	"\tdone\n"
	"}\n\n"
	"# Configure again when this script (the configuration) or the node's tree\n"
	"# changed since the last configure.\n"
	"needs_configure() {\n"
	"\t[ -f \"$dir/CMakeCache.txt\" ] && [ -f \"$dir/mkimg-configured\" ] &&\n"
	"\t\tcmp -s \"$0\" \"$dir/mkimg-configured\" || return 0\n"
	"\tfor f in \"$stable\"/*; do\n"
	"\t\t[ \"$f\" -nt \"$dir/mkimg-configured\" ] && return 0\n"
	"\tdone\n"
	"\treturn 1\n"
	"}\n\n"
	"build() {\n"
	"\tsync_tree || return 1\n"
	"\tif needs_configure; then configure && cp \"$0\" \"$dir/mkimg-configured\" || return 1; fi\n"
	"\t# Ninja itself (the generator): cmake --build around it costs more than it.\n"
	"\t\"$ninja\" -C \"$dir\" -j \"$jobs\" ${target:+\"$target\"} || return 1\n"
	"\t[ -f \"$made\" ] || { echo \"mkimg: the build made no '$made'\"; return 1; }\n"
	"\t# Copied only when it changed, so its timestamp says when it last did;\n"
	"\t# not even compared when ninja did nothing and the last copy is on\n"
	"\t# record (its stamp goes before a copy and comes after it).\n"
	"\tif [ -f \"$out\" ] && [ -f \"$dir/mkimg-copied\" ] && grep -q '^ninja: no work to do' \"$log\"; then\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\trm -f \"$dir/mkimg-copied\"\n"
	"\tcmp -s \"$made\" \"$out\" || { cp \"$made\" \"$out.tmp\" && mv \"$out.tmp\" \"$out\"; } || return 1\n"
	"\t: >\"$dir/mkimg-copied\"\n"
	"}\n\n"
	"# Events for mkimg, which reads them as they come.\n"
	"echo \"start $id $what\" >>\"$progress\"\n"
	"if build >\"$log\" 2>&1; then\n"
	"\tif grep -q '^ninja: no work to do' \"$log\"; then r=uptodate; else r=built; fi\n"
	"\techo \"done $id $what $r\" >>\"$progress\"\n"
	"else\n"
	"\techo \"fail $id $what\" >>\"$progress\"\n"
	"\texit 1\n"
	"fi\n";

static void sb_var(struct sbuf *b, const char *name, const char *value)
{
	sb_printf(b, "%s=", name);
	sb_sh(b, value);
	sb_printf(b, "\n");
}

static char *script_text(const struct ctx *c, const struct job *j)
{
	struct sbuf b = {0};
	bool sel4 = !strcmp(j->a->build, "sel4");
	char id[16], *tree = xasprintf("%s/node%u", c->out, j->n->id);
	/* seL4 is built through mkimg's own project, which adds libsel4. */
	char *project = sel4 ? xasprintf("%s/cmake/sel4-node", c->data) : xstrdup(j->src);
	char *made = sel4 ? xasprintf("%s/kernel/kernel.elf", j->dir) : xasprintf("%s/%s", j->dir, made_name[j->what]);

	snprintf(id, sizeof(id), "%u", j->n->id);
	sb_printf(&b, "#!/bin/sh\n# Generated by mkimg: build node %s's %s (build: %s) in its own folder.\n"
		   "# Everything it prints goes to its log. Run it again by hand to see a failure anew.\nset -u\n",
	       id, what_name[j->what], j->a->build);
	sb_var(&b, "id", id), sb_var(&b, "what", what_name[j->what]);
	sb_var(&b, "src", j->src), sb_var(&b, "dir", j->dir), sb_var(&b, "tree", tree);
	sb_var(&b, "stable", j->stable), sb_var(&b, "project", project);
	sb_var(&b, "made", made), sb_var(&b, "out", j->out), sb_var(&b, "log", j->log);
	sb_var(&b, "cmake", c->cmake), sb_var(&b, "ninja", c->ninja);
	sb_var(&b, "target", sel4 ? "mkimg-node" : "");
	/* Not part of the configuration: another -j or run must not configure
	 * anew. Run by hand, the events go nowhere. */
	sb_printf(&b, "jobs=${1:-1}\nprogress=${MKIMG_PROGRESS:-/dev/null}\n");
	sb_printf(&b, "\n# A changed configuration starts from a fresh cache.\nconfigure() {\n"
		   "\t[ -f \"$dir/mkimg-configured\" ] && cmp -s \"$0\" \"$dir/mkimg-configured\" ||"
		   " rm -f \"$dir/CMakeCache.txt\"\n\trm -f \"$dir/mkimg-options.txt\"\n\t\"$cmake\" -S \"$project\" -B \"$dir\" -G Ninja");
	if (sel4)
		sel4_defines(&b, c, j);
	else
		cmake_defines(&b, c, j);
	for (size_t i = 0; i < j->a->n_options; i++) {
		char *arg = xasprintf("-D%s=%s", j->a->options[i].key, j->a->options[i].value);
		sb_printf(&b, " \\\n\t\t");
		sb_sh(&b, arg);
		free(arg);
	}
	sb_printf(&b, "\n}\n\n%s", script_tail);
	free(tree), free(made), free(project);
	return b.s;
}

/* The Ninja file, read in OUT/build: only fixed relative names, no data. */
static char *ninja_text(const struct ctx *c)
{
	struct sbuf b = {0};
	sb_printf(&b, "# Generated by mkimg: one edge per node artifact. `ninja -C` this folder to run them again.\n"
		   "ninja_required_version = 1.3\n# Jobs for each inner build.\njobs = %u\n\n"
		   "# Each edge always runs; it is cheap when its node has nothing to do.\n"
		   "rule node\n  command = sh $script $jobs\n  description = node $id $what\n  restat = 1\n\n"
		   "build always: phony\n\n", c->jobs_max);
	for (size_t i = 0; i < c->n_jobs; i++) {
		const struct job *j = &c->jobs[i];
		unsigned id = j->n->id;
		const char *w = what_name[j->what];
		char *out = xasprintf(out_fmt[j->what], id);
		/* A root task of seL4 is built against its node's libsel4, which
		 * the kernel's build makes: after it. */
		char *after = j->what == ROOT_TASK && is_sel4(&j->n->kernel) ? xasprintf(" ../node%u/Kernel.%u.elf", id, id)
									     : xstrdup("");
		sb_printf(&b, "build ../node%u/%s: node node%u/%s.sh | always%s\n  script = node%u/%s.sh\n"
			   "  id = %u\n  what = %s\n", id, out, id, w, after, id, w, id, w);
		free(after);
		free(out);
	}
	return b.s;
}

/* CMake cannot configure or build in a folder whose path holds one of
 * these (measured with CMake 3.25 and Ninja: ';' splits lists, '[' ']'
 * stop the splitting, '"' '\\' '#' '$' break its generated files, and '|'
 * is Ninja syntax it does not escape), nor a control character. */
static const char cmake_bad[] = ";\"\\#$|[]";

/* The first byte of `path` CMake cannot carry, or 0. */
static char cmake_unsafe(const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr(cmake_bad, *p))
			return (char)*p;
	return 0;
}

static void cmake_unsafe_error(struct diags *d, const struct mk_loc *loc, unsigned id, const char *what,
			       const char *path, char bad, const char *fix)
{
	char shown[2] = {bad, 0}; /* a control character is escaped as every message is */
	diag_error(d, loc, NULL, "node %u: cannot build in %s '%s': it holds '%s', and CMake cannot use a path "
		   "with any of %s or a control character; %s", id, what, path, shown, cmake_bad, fix);
}

/* A build section's own inputs: a kernel for seL4's build, a source folder
 * (its real path in `real`) that CMake can use. */
static bool build_ok(struct diags *d, const struct plan_node *n, enum what what, const struct plan_artifact *a,
		     char real[PATH_MAX])
{
	if (what == ROOT_TASK && a->build && !strcmp(a->build, "sel4")) {
		diag_error(d, &a->build_loc, NULL, "node %u: 'build: sel4' builds a kernel, not a root task; "
			   "use 'build: cmake'", n->id);
		return false;
	}
	if (a->source && !strncmp(a->source, "${", 2)) { /* manifest.c left it: its variable is not set */
		size_t len = strcspn(a->source + 2, "}");
		diag_error(d, &a->source_loc, NULL, "node %u: %s source '%s': the environment variable %.*s is not set; "
			   "set it to the folder (e.g. your seL4 checkout) and run again", n->id, what_prose[what],
			   a->source, (int)len, a->source + 2);
		return false;
	}
	if (!a->source || !realpath(a->source, real) || !is_dir(real)) {
		diag_error(d, &a->source_loc, NULL, "node %u: %s source '%s' is not a folder", n->id,
			   what_prose[what], a->source ? a->source : "");
		return false;
	}
	char bad = cmake_unsafe(real);
	if (bad) {
		cmake_unsafe_error(d, &a->source_loc, n->id, "the source folder", real, bad,
				   "move or link the sources to another folder");
		return false;
	}
	if (what == KERNEL && is_sel4(a)) {
		static const char *const marks[] = {"configs/seL4Config.cmake", "libsel4/CMakeLists.txt", "gcc.cmake"};
		for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
			char *mark = xasprintf("%s/%s", real, marks[i]);
			bool ok = is_file(mark);
			free(mark);
			if (!ok) {
				diag_error(d, &a->source_loc, "sel4-source", "node %u: kernel source '%s' is not a seL4 "
					   "checkout: it has no '%s'; give 'source:' a clone of "
					   "https://github.com/seL4/seL4", n->id, a->source, marks[i]);
				return false;
			}
		}
	}
	return true;
}

/* A file artifact is used as it is; it must exist. */
static bool file_ok(struct diags *d, const struct plan_node *n, enum what what, const struct plan_artifact *a)
{
	struct stat st = {0};
	const char *prose = n->os == PLAN_OS_LINUX ? (what == KERNEL ? "Linux image" : "initrd") : what_prose[what];
	if (!strncmp(a->path, "${", 2)) { /* kept as written: the variable is not set (manifest.c) */
		diag_error(d, &a->path_loc, NULL, "node %u: %s '%s': set the environment variable it starts with",
			   n->id, prose, a->path);
		return false;
	}
	if (stat(a->path, &st) < 0) {
		diag_error(d, &a->path_loc, NULL, "node %u: %s '%s': %s", n->id, prose, a->path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(d, &a->path_loc, NULL, "node %u: %s '%s' is %s, not a regular file", n->id, prose, a->path,
			   file_kind(st.st_mode));
		return false;
	}
	return true;
}

/* Check a build section's inputs and add its job. */
static void add_job(struct ctx *c, size_t index, enum what what, const struct plan_artifact *a)
{
	const struct plan_node *n = &c->p->nodes[index];
	char real[PATH_MAX];
	if (!build_ok(c->d, n, what, a, real))
		return;
	char *dtb = node_file(c, n->id, "kernel.dtb");
	if (!is_file(dtb)) {
		diag_error(c->d, &a->loc, NULL, "node %u: '%s' is missing: dts-split writes the node's tree first",
			   n->id, dtb);
		free(dtb);
		return;
	}
	free(dtb);
	struct job *j = VEC_PUSH(c->jobs, c->n_jobs);
	char *name = xasprintf(out_fmt[what], n->id);
	*j = (struct job){
		.n = n, .index = index, .what = what, .a = a, .src = xstrdup(real),
		.dir = xasprintf("%s/build/node%u/%s", c->out, n->id, what_name[what]),
		.script = xasprintf("%s/build/node%u/%s.sh", c->out, n->id, what_name[what]),
		.log = xasprintf("%s/build/node%u/%s.log", c->out, n->id, what_name[what]),
		.stable = xasprintf("%s/build/node%u/%s-tree", c->out, n->id, what_name[what]),
		.out = node_file(c, n->id, name),
		.shown_log = xasprintf("%s/build/node%u/%s.log", c->shown, n->id, what_name[what]),
	};
	free(name);
}

static void collect(struct ctx *c, struct node_artifacts *out)
{
	for (size_t i = 0; i < c->p->n_nodes; i++) {
		const struct plan_node *n = &c->p->nodes[i];
		const struct plan_artifact *arts[] = {&n->kernel, &n->root_task};
		char **paths[] = {&out[i].kernel, &out[i].root_task};
		out[i].id = n->id;
		for (enum what w = KERNEL; w <= ROOT_TASK; w++) {
			if (arts[w]->kind == PLAN_ART_FILE && file_ok(c->d, n, w, arts[w]))
				*paths[w] = xstrdup(arts[w]->path);
			else if (arts[w]->kind == PLAN_ART_BUILD)
				add_job(c, i, w, arts[w]);
		}
	}
}

int build_check_inputs(const struct plan *p, const char *outdir, struct diags *d)
{
	unsigned errors = d->errors;
	char real[PATH_MAX], cwd[PATH_MAX];
	/* the output folder as CMake will see it (it may not exist yet) */
	char *out = outdir[0] == '/' || !getcwd(cwd, sizeof(cwd)) ? xstrdup(outdir) : xasprintf("%s/%s", cwd, outdir);
	char out_bad = cmake_unsafe(out);
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct plan_node *n = &p->nodes[i];
		const struct plan_artifact *arts[] = {&n->kernel, &n->root_task};
		for (enum what w = KERNEL; w <= ROOT_TASK; w++) {
			if (arts[w]->kind == PLAN_ART_NONE && n->os == PLAN_OS_LINUX) {
				continue; /* a Linux node without an initrd */
			} else if (arts[w]->kind == PLAN_ART_NONE) {
				diag_error(d, &n->loc, NULL, "node %u has no %s: give it '%s:' with a file or a build "
					   "section", n->id, what_prose[w], what_name[w]);
			} else if (arts[w]->kind == PLAN_ART_FILE) {
				file_ok(d, n, w, arts[w]);
			} else if (arts[w]->kind == PLAN_ART_BUILD && build_ok(d, n, w, arts[w], real) && out_bad) {
				cmake_unsafe_error(d, &arts[w]->loc, n->id, "the output folder", outdir, out_bad,
						   "choose another output folder (-o)");
				out_bad = 0; /* once */
			}
		}
	}
	free(out);
	return d->errors > errors ? -1 : 0;
}

/* Folders, scripts, the board's tree for seL4, the Ninja file. */
static int prepare(struct ctx *c)
{
	bool sel4 = false;
	for (size_t i = 0; i < c->n_jobs; i++) {
		struct job *j = &c->jobs[i];
		sel4 |= !strcmp(j->a->build, "sel4");
		if (make_dirs(j->dir) < 0) {
			struct mk_loc loc = {.file = j->dir};
			diag_error(c->d, &loc, NULL, "cannot create '%s': %s", j->dir, strerror(errno));
			return -1;
		}
		char *text = script_text(c, j);
		int r = write_if_changed(j->script, text, strlen(text), c->d);
		free(text);
		if (r < 0)
			return -1;
	}
	char *path = xasprintf("%s/build/board.dtb", c->out);
	int r = sel4 ? write_if_changed(path, c->p->board.fdt, c->p->board.fdt_size, c->d) : 0;
	free(path);
	if (r < 0)
		return -1;
	char *text = ninja_text(c);
	path = xasprintf("%s/build/build.ninja", c->out);
	r = write_if_changed(path, text, strlen(text), c->d);
	free(text);
	free(path);
	return r < 0 ? -1 : 0;
}

static struct job *find_job(struct ctx *c, unsigned id, const char *what)
{
	for (size_t i = 0; i < c->n_jobs; i++)
		if (c->jobs[i].n->id == id && !strcmp(what_name[c->jobs[i].what], what))
			return &c->jobs[i];
	return NULL;
}

/* The first line of a failed build's log that reports an error (gcc's
 * "error:", CMake's "CMake Error", Python's "...Error:"), as a hint. CMake
 * puts its message on the indented lines after "CMake Error at F:N (message):":
 * up to three of them (blank lines skipped) join it. */
static void note_first_error(struct ctx *c, const struct job *j)
{
	FILE *f = fopen(j->log, "r");
	char line[512];
	struct mk_loc loc = {.file = j->shown_log};
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "error:") && !strstr(line, "Error:") && !strstr(line, "CMake Error"))
			continue;
		struct sbuf msg = {0};
		line[strcspn(line, "\r\n")] = '\0';
		sb_puts(&msg, line);
		bool more = strstr(line, "CMake Error") && line[0] && line[strlen(line) - 1] == ':';
		for (int k = 0; more && k < 3 && fgets(line, sizeof(line), f);) {
			line[strcspn(line, "\r\n")] = '\0';
			if (!line[0])
				continue; /* CMake puts blank lines between paragraphs */
			if (strncmp(line, "  ", 2))
				break;
			sb_printf(&msg, " %s", line + strspn(line, " "));
			k++;
		}
		diag_add(c->d, DIAG_NOTE, &loc, NULL, "%s", msg.s);
		free(msg.s);
		break;
	}
	if (f)
		fclose(f);
}

/* What seL4 did with the options the manifest asked for: the lines
 * "name<TAB>asked<TAB>took<TAB>why" cmake/sel4-node writes when it
 * configures, each a warning at the option's line. */
static void report_sel4_options(struct ctx *c, const struct job *j)
{
	char *path = xasprintf("%s/mkimg-options.txt", j->dir);
	FILE *f = fopen(path, "r");
	char line[1024];
	for (unsigned n = 0; f && n < 256 && fgets(line, sizeof(line), f); n++) {
		line[strcspn(line, "\r\n")] = '\0';
		char *name = line, *asked = strchr(name, '\t'), *took = asked ? strchr(asked + 1, '\t') : NULL;
		char *why = took ? strchr(took + 1, '\t') : NULL;
		if (!why)
			continue;
		*asked++ = *took++ = *why++ = '\0';
		const struct mk_loc *loc = &j->a->build_loc;
		for (size_t i = 0; i < j->a->n_options; i++)
			if (!strcmp(j->a->options[i].key, name))
				loc = &j->a->options[i].loc;
		if (*took)
			diag_warn(c->d, loc, "sel4-option", "node %u: seL4 option %s: asked %s, seL4 set %s: %s",
				  j->n->id, name, asked, took, why);
		else
			diag_warn(c->d, loc, "sel4-option", "node %u: seL4 did not take option '%s' (asked %s): %s",
				  j->n->id, name, asked, why);
	}
	if (f)
		fclose(f);
	free(path);
}

/* One event line from a script. */
static void event(struct ctx *c, const char *line)
{
	char kind[8], what[16], result[16] = "";
	unsigned id;
	if (sscanf(line, "%7s %u %15s %15s", kind, &id, what, result) < 3)
		return;
	struct job *j = find_job(c, id, what);
	FILE *f = c->o->progress;
	if (!j)
		return;
	const char *shown = what_prose[j->what];
	if (!strcmp(kind, "start")) {
		j->started = now();
		if (f && !c->o->progress_ends_only)
			fprintf(f, "build: node %u %s: started\n", id, shown);
	} else if (!strcmp(kind, "done")) {
		if (f && !strcmp(result, "uptodate"))
			fprintf(f, "build: node %u %s: up to date\n", id, shown);
		else if (f)
			fprintf(f, "build: node %u %s: built (%.1f s)\n", id, shown, now() - j->started);
	} else if (!strcmp(kind, "fail")) {
		if (f)
			fprintf(f, "build: node %u %s: FAILED, see %s\n", id, shown, j->shown_log);
		diag_error(c->d, &j->a->loc, NULL, "node %u: the %s build failed; its log is '%s'", id, shown,
			   j->shown_log);
		note_first_error(c, j);
	}
	if (f)
		fflush(f);
}

/* Take the whole lines of `n` new bytes from the event pipe. A line
 * longer than the buffer is not an event: it is dropped. */
static void take_events(struct ctx *c, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (c->events_len < sizeof(c->events) - 1)
				c->events[c->events_len++] = buf[i];
			continue;
		}
		c->events[c->events_len] = '\0';
		event(c, c->events);
		c->events_len = 0;
	}
}

/* Run Ninja in OUT/build, in a process group of its own (a signal to mkimg
 * stops the whole build: see output.h), its own output into
 * OUT/build/ninja.log, reading events from a pipe whose write end Ninja
 * and the scripts inherit, until the last of them closes it. Returns
 * Ninja's exit status, or -1 if it could not start. */
static int run_ninja(struct ctx *c)
{
	char *dir = xasprintf("%s/build", c->out), *log = xasprintf("%s/build/ninja.log", c->out);
	char jobs[16];
	snprintf(jobs, sizeof(jobs), "%u", c->jobs_max);
	char *argv[] = {(char *)c->ninja, "-C", dir, "-j", jobs, NULL};
	int events[2] = {-1, -1};
	if (pipe2(events, O_CLOEXEC) < 0) {
		diag_error(c->d, NULL, NULL, "cannot make a pipe: %s", strerror(errno));
		free(dir), free(log);
		return -1;
	}
	/* The write end for Ninja and the scripts: an fd above the standard
	 * ones that survives exec. */
	int wfd = fcntl(events[1], F_DUPFD, 10);
	close(events[1]);
	char *progress_env = xasprintf("MKIMG_PROGRESS=/dev/fd/%d", wfd);
	size_t n_env = 0;
	while (environ[n_env])
		n_env++;
	char **env = xcalloc(n_env + 2, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n_env; i++)
		if (strncmp(environ[i], "MKIMG_PROGRESS=", 15))
			env[k++] = environ[i];
	env[k] = progress_env;
	pid_t pid = -1;
	int status = -1, err = 0, report[2];

	/* fork, not posix_spawn: the child asks to be stopped with SIGTERM when
	 * mkimg dies, even by SIGKILL (PR_SET_PDEATHSIG), so no build outlives
	 * it; it reports a failed exec through a close-on-exec pipe. */
	pid_t parent = getpid();
	if (pipe2(report, O_CLOEXEC) < 0) {
		err = errno;
	} else if ((pid = fork()) < 0) {
		err = errno;
		close(report[0]);
		close(report[1]);
	} else if (pid == 0) {
		close(events[0]);
		int fd, e;
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127); /* mkimg died before the request took */
		if ((fd = open("/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0 ||
		    (fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
			e = errno;
		} else {
			environ = env;
			execvp(c->ninja, argv);
			e = errno;
		}
		ssize_t w = write(report[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	} else {
		setpgid(pid, pid); /* as the child does: whichever runs first */
		close(report[1]);
		close(wfd), wfd = -1; /* the pipe ends when the build's last holder exits */
		if (read(report[0], &err, sizeof(err)) != sizeof(err))
			err = 0; /* closed by the exec: Ninja runs */
		close(report[0]);
		if (err)
			waitpid(pid, NULL, 0);
	}
	if (err) {
		diag_error(c->d, NULL, NULL, "cannot run '%s': %s", c->ninja, strerror(err));
	} else {
		int st;
		pid_t r;
		char buf[4096];
		ssize_t got;
		output_child_group(pid);
		while ((got = read(events[0], buf, sizeof(buf))) != 0)
			if (got > 0)
				take_events(c, buf, (size_t)got);
			else if (errno != EINTR)
				break;
		while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
			;
		output_child_group(0);
		status = r == pid && WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	}
	if (wfd >= 0)
		close(wfd);
	close(events[0]);
	free(env);
	free(progress_env);
	free(dir);
	free(log);
	return status;
}

static void free_jobs(struct ctx *c)
{
	for (size_t i = 0; i < c->n_jobs; i++) {
		struct job *j = &c->jobs[i];
		free(j->src), free(j->dir), free(j->script), free(j->log), free(j->out), free(j->shown_log);
		free(j->stable);
	}
	free(c->jobs);
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* The absolute form of `dir`, which is created if need be. */
static char *absolute_dir(const char *dir, struct diags *d)
{
	char real[PATH_MAX];
	struct mk_loc loc = {.file = dir};
	if (make_dirs(dir) < 0 || !realpath(dir, real)) {
		diag_error(d, &loc, NULL, "cannot create '%s': %s", dir, strerror(errno));
		return NULL;
	}
	return xstrdup(real);
}

int build_nodes(const struct plan *p, const char *outdir, const struct build_options *o,
		struct node_artifacts *out, struct diags *d)
{
	static const struct build_options none = {0};
	struct ctx c = {.p = p, .o = o ? o : &none, .shown = (char *)outdir, .d = d};
	unsigned errors = d->errors;
	int ret = -1;

	char *tried = NULL;
	c.data = c.o->data_dir ? c.o->data_dir : locate_data_dir(&tried);
	c.cmake = c.o->cmake ? c.o->cmake : "cmake";
	c.ninja = c.o->ninja ? c.o->ninja : "ninja";
	c.jobs_max = c.o->jobs ? c.o->jobs : default_jobs();
	memset(out, 0, p->n_nodes * sizeof(*out));
	if (!(c.out = absolute_dir(outdir, d))) {
		free(tried);
		return -1;
	}
	collect(&c, out);
	if (d->errors > errors)
		goto done;
	ret = 0;
	if (c.n_jobs == 0)
		goto done;
	ret = -1;
	if (!c.data) {
		diag_error(d, NULL, NULL, "cannot find mkimg's data folder (its cmake/aarch64-toolchain.cmake) at '%s'; "
			   "set MKIMG_DATA_DIR", tried);
		goto done;
	}
	if (prepare(&c) < 0)
		goto done;
	int status = run_ninja(&c);
	for (size_t i = 0; i < c.n_jobs; i++)
		if (c.jobs[i].what == KERNEL && is_sel4(c.jobs[i].a))
			report_sel4_options(&c, &c.jobs[i]);
	if (status != 0 && d->errors == errors && status >= 0)
		diag_error(d, NULL, NULL, "the node builds failed; see '%s/build/ninja.log'", outdir);
	if (status != 0)
		goto done;
	for (size_t i = 0; i < c.n_jobs; i++) {
		const struct job *j = &c.jobs[i];
		char **slot = j->what == KERNEL ? &out[j->index].kernel : &out[j->index].root_task;
		*slot = xstrdup(j->out);
	}
	ret = 0;
done:
	free(tried);
	free_jobs(&c);
	free(c.out);
	return ret;
}

void node_artifacts_free(struct node_artifacts *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].kernel);
		free(a[i].root_task);
		a[i].kernel = a[i].root_task = NULL;
	}
}
