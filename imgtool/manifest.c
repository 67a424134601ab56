/* SPDX-License-Identifier: BSD-2-Clause */
/* manifest.c - read partition.yaml: libyaml builds the document tree, a
 * strict typed walk turns it into struct manifest. See manifest.h.
 */
#include "manifest.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <yaml.h>

/* Limits against hostile input. libyaml shares an anchored node between all
 * its aliases, so a small file can stand for a huge tree ("billion laughs"),
 * and an alias inside its own anchor makes a cycle. */
#define MAX_VALUES 100000u
#define MAX_DEPTH 64u
#define MAX_ITEMS 4096u

struct ctx {
	struct manifest *m;
	yaml_document_t *doc;
	struct diags *d;
};

/* A mapping's known keys, sorted into slots by scan_map(). */
struct slot {
	yaml_node_t *key, *val;
};

/* --- numbers -------------------------------------------------------------- */

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int parse_hex(const char *s, uint64_t *out, const char **why)
{
	uint64_t v = 0;
	const char *p = s;
	int dv;

	for (; (dv = digit_value(*p)) >= 0; p++) {
		if (v >> 60) {
			*why = "out of range";
			return -1;
		}
		v = v << 4 | (uint64_t)dv;
	}
	if (p == s) {
		*why = "no digits after '0x'";
		return -1;
	}
	if (*p) {
		*why = "trailing characters";
		return -1;
	}
	*out = v;
	return 0;
}

static unsigned suffix_shift(const char *s)
{
	static const char units[] = "KMGT";
	const char *u = s[0] ? strchr(units, s[0]) : NULL;

	if (!u || s[1])
		return 0;
	return 10 * (unsigned)(u - units + 1);
}

/* Decimal digits, then at most one binary-multiple suffix. */
static int parse_dec(const char *s, uint64_t *out, const char **why)
{
	uint64_t v = 0;
	unsigned shift = 0;

	/* YAML 1.1 reads 010 as octal; refuse to guess. */
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		*why = "leading zeros are not allowed";
		return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned dv = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - dv) / 10) {
			*why = "out of range";
			return -1;
		}
		v = v * 10 + dv;
	}
	if (*s && !(shift = suffix_shift(s))) {
		*why = "trailing characters";
		return -1;
	}
	if (v > UINT64_MAX >> shift) {
		*why = "out of range";
		return -1;
	}
	*out = v << shift;
	return 0;
}

int parse_u64(const char *s, uint64_t *out, const char **why)
{
	const char *ignored;

	if (!why)
		why = &ignored;
	*why = NULL;
	if (!s || *s < '0' || *s > '9') {
		*why = "not a number";
		return -1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_hex(s + 2, out, why);
	return parse_dec(s, out, why);
}

/* --- messages and locations ----------------------------------------------- */

static struct mk_loc loc_of(const struct ctx *c, const yaml_node_t *n)
{
	return (struct mk_loc){
		.file = c->m->path,
		.line = (unsigned)n->start_mark.line + 1,
		.col = (unsigned)n->start_mark.column + 1,
	};
}

static void err(struct ctx *c, const yaml_node_t *at, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void err(struct ctx *c, const yaml_node_t *at, const char *check, const char *fmt, ...)
{
	struct mk_loc loc = at ? loc_of(c, at) : (struct mk_loc){.file = c->m->path};
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(c->d, DIAG_ERROR, &loc, check, fmt, ap);
	va_end(ap);
}

/* User text for a one-line message: control characters become '?' and long
 * text is cut (on a UTF-8 character boundary). */
static const char *show(char buf[48], const char *s)
{
	size_t n = 0;

	for (; s[n] && n < 40; n++)
		buf[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
	if (s[n]) {
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* --- typed scalars -------------------------------------------------------- */

static yaml_node_t *node_at(const struct ctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

static const char *text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return n->data.scalar.length == 0;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!strcmp(text(n), nulls[i]))
			return true;
	return false;
}

/* A scalar with a real value, or false after an error. */
static bool check_scalar(struct ctx *c, yaml_node_t *n, const char *label, const char *kind)
{
	if (n->type != YAML_SCALAR_NODE) {
		err(c, n, "type", "%s must be %s", label, kind);
		return false;
	}
	if (is_null(n)) {
		err(c, n, "type", "%s has no value", label);
		return false;
	}
	if (strlen(text(n)) != n->data.scalar.length) {
		err(c, n, "type", "%s contains a NUL character", label);
		return false;
	}
	return true;
}

static void get_u64(struct ctx *c, yaml_node_t *n, const char *label, struct mf_u64 *out)
{
	const char *why;
	char buf[48];
	uint64_t v;

	if (!check_scalar(c, n, label, "a number"))
		return;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		err(c, n, "type", "%s must be a number, not a quoted string", label);
		return;
	}
	if (parse_u64(text(n), &v, &why)) {
		err(c, n, "number", "%s is not a valid number '%s': %s", label, show(buf, text(n)),
		    why);
		return;
	}
	*out = (struct mf_u64){.v = v, .set = true, .loc = loc_of(c, n)};
}

static void get_bool(struct ctx *c, yaml_node_t *n, const char *label, struct mf_bool *out)
{
	static const char *const words[2][3] = {{"false", "False", "FALSE"}, {"true", "True", "TRUE"}};
	char buf[48];

	if (!check_scalar(c, n, label, "true or false"))
		return;
	for (int v = 0; v < 2; v++)
		for (int i = 0; i < 3; i++)
			if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !strcmp(text(n), words[v][i])) {
				*out = (struct mf_bool){.v = v, .set = true, .loc = loc_of(c, n)};
				return;
			}
	err(c, n, "type", "%s must be true or false, not '%s'", label, show(buf, text(n)));
}

static void get_str(struct ctx *c, yaml_node_t *n, const char *label, struct mf_str *out)
{
	if (!check_scalar(c, n, label, "a string"))
		return;
	free(out->s);
	out->s = xstrdup(text(n));
	out->loc = loc_of(c, n);
}

/* A name that becomes a folder (out/NAME), a file and CMake list item, a
 * device-tree label and the boot plan's 32-byte name field: a letter or
 * digit, then letters, digits, '.', '_' and '-', at most MF_NAME_MAX bytes. */
static void get_name(struct ctx *c, yaml_node_t *n, const char *label, struct mf_str *out)
{
	get_str(c, n, label, out);
	if (!out->s)
		return;
	const char *s = out->s;
	size_t len = strlen(s), bad = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
	char buf[48];
	if (len == 0 || len > MF_NAME_MAX || bad < len || !isalnum((unsigned char)s[0]))
		err(c, n, "name", "%s must be up to %u letters, digits, '.', '_' or '-', starting with a letter "
			   "or digit, not '%s'", label, MF_NAME_MAX, show(buf, s));
}

static void get_path(struct ctx *c, yaml_node_t *n, const char *label, struct mf_str *out)
{
	const char *dir = c->m->dir;
	char *rel;

	get_str(c, n, label, out);
	/* a manifest in the working directory keeps its paths as written */
	if (!out->s || out->s[0] == '/' || !strcmp(dir, "."))
		return;
	rel = out->s;
	out->s = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel);
	free(rel);
}

/* --- mappings and sequences ----------------------------------------------- */


static void unknown_key(struct ctx *c, yaml_node_t *key, const char *what, const char *const keys[])
{
	const char *k = text(key), *best = NULL;
	unsigned best_d = ~0u;
	char buf[48], list[256] = "";

	for (size_t i = 0; keys[i]; i++) {
		unsigned dist = (unsigned)edit_distance(k, keys[i]);
		if (dist < best_d) {
			best_d = dist;
			best = keys[i];
		}
	}
	/* A close match is worth suggesting; replacing most of a short key
	 * is not a typo. */
	if (best && (best_d <= 2 || best_d <= strlen(k) / 3) && best_d < strlen(best)) {
		err(c, key, "unknown-key", "unknown key '%s' in %s; did you mean '%s'?",
		    show(buf, k), what, best);
		return;
	}
	for (size_t i = 0; keys[i]; i++) {
		if (i)
			strcat(list, ", ");
		strcat(list, keys[i]);
	}
	err(c, key, "unknown-key", "unknown key '%s' in %s; expected one of: %s", show(buf, k),
	    what, list);
}

/* Report a key seen before in the same mapping; true if it was. */
static bool duplicate_key(struct ctx *c, yaml_node_t *key, yaml_node_t *first)
{
	char buf[48];

	if (!first)
		return false;
	err(c, key, "duplicate-key", "duplicate key '%s' (first at line %u)", show(buf, text(key)),
	    (unsigned)first->start_mark.line + 1);
	return true;
}

static bool string_key(struct ctx *c, yaml_node_t *key, const char *what)
{
	if (key->type == YAML_SCALAR_NODE)
		return true;
	err(c, key, "type", "keys in %s must be strings", what);
	return false;
}

/* Sort the pairs of mapping `map` into `slots` (one per name in the
 * NULL-terminated `keys`). Returns false if `map` is not a mapping. */
static bool scan_map(struct ctx *c, yaml_node_t *map, const char *what, const char *const keys[],
		     struct slot *slots)
{
	size_t nkeys = 0;

	while (keys[nkeys])
		nkeys++;
	memset(slots, 0, nkeys * sizeof(*slots));
	if (map->type != YAML_MAPPING_NODE) {
		err(c, map, "type", "%s must be a mapping", what);
		return false;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *key = node_at(c, p->key);
		size_t i = 0;

		if (!string_key(c, key, what))
			continue;
		while (i < nkeys && strcmp(keys[i], text(key)))
			i++;
		if (i == nkeys)
			unknown_key(c, key, what, keys);
		else if (!duplicate_key(c, key, slots[i].key))
			slots[i] = (struct slot){key, node_at(c, p->value)};
	}
	return true;
}

/* The value of `key` in mapping `n`, looked up before the walk so that
 * messages can name the thing they are about ("node 3"). */
static yaml_node_t *peek(struct ctx *c, yaml_node_t *n, const char *key)
{
	if (n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(c, p->key);
		if (k->type == YAML_SCALAR_NODE && !strcmp(text(k), key))
			return node_at(c, p->value);
	}
	return NULL;
}

static bool require(struct ctx *c, yaml_node_t *map, const char *what, const struct slot *s,
		    const char *key)
{
	if (s->val)
		return true;
	err(c, map, "missing-key", "%s has no '%s'", what, key);
	return false;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* The items of sequence `n` (the value of `key`), or NULL after an error. */
static yaml_node_item_t *seq_items(struct ctx *c, yaml_node_t *n, const char *key, const char *kind,
				   size_t *count)
{
	*count = 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		err(c, n, "type", "'%s' must be %s", key, kind);
		return NULL;
	}
	*count = seq_len(n);
	if (*count > MAX_ITEMS) {
		err(c, n, "yaml-limits", "too many entries in '%s' (more than %u)", key, MAX_ITEMS);
		*count = 0;
		return NULL;
	}
	return n->data.sequence.items.start;
}

static void get_u64_seq(struct ctx *c, yaml_node_t *n, const char *key, struct mf_u64 **v,
			size_t *nv)
{
	size_t count;
	yaml_node_item_t *it = seq_items(c, n, key, "a sequence of numbers", &count);
	char *label = xasprintf("'%s' entry", key);

	for (size_t i = 0; i < count; i++) {
		struct mf_u64 x = {0};
		get_u64(c, node_at(c, it[i]), label, &x);
		if (x.set)
			*VEC_PUSH(*v, *nv) = x;
	}
	free(label);
}

/* --- the schema ----------------------------------------------------------- */

static void walk_region(struct ctx *c, yaml_node_t *n, struct mf_region **v, size_t *nv);

static void walk_platform(struct ctx *c, yaml_node_t *n)
{
	enum { P_DTB, P_DTS, P_SPIS, P_MEMORY, P_PSCI };
	static const char *const keys[] = {"dtb", "dts", "spis", "memory", "psci", NULL};
	struct slot s[5];
	struct manifest *m = c->m;

	if (!scan_map(c, n, "platform", keys, s))
		return;
	if (s[P_DTB].val && s[P_DTS].val)
		err(c, s[P_DTS].key, "platform",
		    "platform has both 'dtb' and 'dts'; give only one");
	else if (!s[P_DTB].val && !s[P_DTS].val)
		err(c, n, "platform", "platform has neither 'dtb' nor 'dts'");
	if (s[P_DTB].val)
		get_path(c, s[P_DTB].val, "'dtb'", &m->dtb);
	if (s[P_DTS].val)
		get_path(c, s[P_DTS].val, "'dts'", &m->dts);
	if (s[P_SPIS].val)
		get_u64(c, s[P_SPIS].val, "'spis'", &m->gic_spis);
	if (s[P_PSCI].val) {
		get_str(c, s[P_PSCI].val, "'psci'", &m->psci);
		if (m->psci.s && strcmp(m->psci.s, "smc") && strcmp(m->psci.s, "hvc"))
			err(c, s[P_PSCI].val, "type", "the platform's 'psci' is \"smc\" or \"hvc\", not '%s'",
			    show((char[48]){0}, m->psci.s));
	}
	if (s[P_MEMORY].val) {
		size_t count;
		yaml_node_t *mem = s[P_MEMORY].val;
		yaml_node_item_t *it = seq_items(c, mem, "memory", "a sequence of {base, size} regions", &count);
		m->board_mem_loc = loc_of(c, mem);
		if (it && !count)
			err(c, mem, "type", "the platform's 'memory' has no regions");
		for (size_t i = 0; i < count; i++)
			walk_region(c, node_at(c, it[i]), &m->board_mem, &m->n_board_mem);
	}
}

static void walk_loader(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"base", "size", "bootloader", NULL};
	struct slot s[3];

	c->m->loader_loc = loc_of(c, n);
	if (!scan_map(c, n, "loader", keys, s))
		return;
	if (s[0].val)
		get_u64(c, s[0].val, "'base'", &c->m->loader_base);
	if (s[1].val)
		get_u64(c, s[1].val, "'size'", &c->m->loader_size);
	if (s[2].val)
		walk_region(c, s[2].val, &c->m->bootloader, &c->m->n_bootloader);
}

/* `fit: {key, algo}`: the private key that signs elfloader.itb's
 * configuration (mkimage's naming: DIR/NAME.key, NAME becomes the
 * signature's key-name-hint) and the algorithm, "sha256,rsa2048" by
 * default (as the key's size says; pack.c checks). */
static void walk_fit(struct ctx *c, yaml_node_t *n)
{
	static const char *const keys[] = {"key", "algo", NULL};
	struct slot s[2];
	struct manifest *m = c->m;
	if (!scan_map(c, n, "fit", keys, s))
		return;
	if (require(c, n, "fit", &s[0], "key")) {
		get_path(c, s[0].val, "'key'", &m->fit_key);
		const char *k = m->fit_key.s, *base = k ? strrchr(k, '/') : NULL;
		base = base ? base + 1 : k;
		size_t len = base ? strlen(base) : 0;
		if (k && (len <= 4 || strcmp(base + len - 4, ".key") || strspn(base, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len))
			err(c, s[0].val, "fit-key", "the FIT's signing key must be a file named NAME.key (letters, digits, "
			    "'.', '_', '-'), as mkimage finds it: NAME becomes the signature's key-name-hint");
	}
	if (s[1].val) {
		get_str(c, s[1].val, "'algo'", &m->fit_algo);
		static const char *const algos[] = {"sha1,rsa2048", "sha256,rsa2048", "sha256,rsa3072", "sha256,rsa4096",
						    "sha384,rsa4096", "sha512,rsa4096", NULL};
		bool known = false;
		for (int i = 0; algos[i] && m->fit_algo.s; i++)
			known |= !strcmp(algos[i], m->fit_algo.s);
		if (m->fit_algo.s && !known)
			err(c, s[1].val, "fit-key", "the FIT's signing algorithm '%s' is not one U-Boot verifies: "
			    "sha256,rsa2048 (default), sha256,rsa3072, sha256,rsa4096, sha384,rsa4096, sha512,rsa4096 "
			    "or sha1,rsa2048", show((char[48]){0}, m->fit_algo.s));
	}
}

static void walk_pool(struct ctx *c, yaml_node_t *n)
{
	enum { S_NAME, S_SIZE, S_BASE, S_NODES, S_KEEP };
	static const char *const keys[] = {"name", "size", "base", "nodes", "keep", NULL};
	struct mf_pool *p = VEC_PUSH(c->m->pools, c->m->n_pools);
	yaml_node_t *name = peek(c, n, "name");
	struct slot s[5];
	char what[80], buf[48];

	p->loc = loc_of(c, n);
	if (name && name->type == YAML_SCALAR_NODE && !is_null(name))
		snprintf(what, sizeof(what), "shared pool '%s'", show(buf, text(name)));
	else
		snprintf(what, sizeof(what), "shared pool");
	if (!scan_map(c, n, what, keys, s))
		return;
	if (require(c, n, what, &s[S_NAME], "name"))
		get_name(c, s[S_NAME].val, "'name'", &p->name);
	if (require(c, n, what, &s[S_SIZE], "size"))
		get_u64(c, s[S_SIZE].val, "'size'", &p->size);
	if (s[S_BASE].val)
		get_u64(c, s[S_BASE].val, "'base'", &p->base);
	if (require(c, n, what, &s[S_NODES], "nodes")) {
		get_u64_seq(c, s[S_NODES].val, "nodes", &p->nodes, &p->n_nodes);
		if (s[S_NODES].val->type == YAML_SEQUENCE_NODE && !seq_len(s[S_NODES].val))
			err(c, s[S_NODES].val, "pool-no-nodes", "%s has no member nodes: list at least one in 'nodes'",
			    what);
	}
	if (s[S_KEEP].val)
		get_bool(c, s[S_KEEP].val, "'keep'", &p->keep);
}

/* An option's value as the build gets it: a path written "./X" or "../X"
 * is the manifest's, like 'source', and absolute, since the build runs in
 * a folder of its own. */
static char *option_value(struct ctx *c, const char *v)
{
	const char *dir = c->m->dir;
	char cwd[PATH_MAX];
	if (strncmp(v, "./", 2) && strncmp(v, "../", 3))
		return xstrdup(v);
	if (dir[0] == '/')
		return xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", v);
	if (!getcwd(cwd, sizeof(cwd)))
		return xstrdup(v);
	return strcmp(dir, ".") ? xasprintf("%s/%s/%s", cwd, dir, v) : xasprintf("%s/%s", cwd, v);
}

static void walk_options(struct ctx *c, yaml_node_t *n, struct mf_artifact *a)
{
	char buf[48];

	if (n->type != YAML_MAPPING_NODE) {
		err(c, n, "type", "'options' must be a mapping of names to values");
		return;
	}
	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start > MAX_ITEMS) {
		err(c, n, "yaml-limits", "too many entries in 'options' (more than %u)", MAX_ITEMS);
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *key = node_at(c, p->key), *val = node_at(c, p->value);
		size_t i = 0;

		if (!string_key(c, key, "options"))
			continue;
		while (i < a->n_options && strcmp(a->options[i].key, text(key)))
			i++;
		if (i < a->n_options) {
			err(c, key, "duplicate-key", "duplicate key '%s' (first at line %u)",
			    show(buf, text(key)), a->options[i].loc.line);
			continue;
		}
		if (val->type != YAML_SCALAR_NODE) {
			err(c, val, "type", "option '%s' must be a single value",
			    show(buf, text(key)));
			continue;
		}
		const char *k = text(key);
		if (!(isalpha((unsigned char)k[0]) || k[0] == '_') ||
		    strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != strlen(k)) {
			err(c, key, "option-name", "option '%s' is not a CMake variable name: use letters, digits "
			    "and '_', not starting with a digit", show(buf, k));
			continue;
		}
		*VEC_PUSH(a->options, a->n_options) = (struct mf_option){
			.key = xstrdup(k),
			.value = option_value(c, is_null(val) ? "" : text(val)),
			.loc = loc_of(c, key),
		};
	}
}

/* A path written "${NAME}/rest" starts at the folder the environment
 * variable NAME names (NAME: [A-Z_][A-Z0-9_]*), so that a manifest can name
 * a checkout or file that is on each user's machine elsewhere, e.g. seL4 or
 * a Linux kernel. `label` is the key, quoted. */
static void expand_env(struct ctx *c, yaml_node_t *n, const char *label, struct mf_str *src)
{
	const char *v = text(n), *close = strchr(v, '}');
	char name[64], buf[48];
	if (!src->s || strncmp(v, "${", 2))
		return;
	size_t len = close ? (size_t)(close - v - 2) : 0;
	if (!close || !len || len >= sizeof(name) || strspn(v + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != len ||
	    isdigit((unsigned char)v[2]) || (close[1] && close[1] != '/')) {
		err(c, n, "type", "%s '%s': only '${NAME}' or '${NAME}/...' may start it, NAME of capital "
		    "letters, digits and '_'", label, show(buf, v));
		return;
	}
	memcpy(name, v + 2, len);
	name[len] = '\0';
	const char *value = getenv(name);
	free(src->s);
	/* Unset: kept as written; only a build needs the folder, and it says
	 * so (build.c), while plan, check and split work without it. */
	src->s = value && *value ? xasprintf("%s%s", value, close + 1) : xstrdup(v);
}

static void walk_artifact(struct ctx *c, yaml_node_t *n, const char *what, struct mf_artifact *a)
{
	enum { A_BUILD, A_SOURCE, A_OPTIONS };
	static const char *const keys[] = {"build", "source", "options", NULL};
	struct slot s[3];
	char label[32], buf[48];

	a->loc = loc_of(c, n);
	snprintf(label, sizeof(label), "'%s'", what);
	if (n->type == YAML_SCALAR_NODE) {
		get_path(c, n, label, &a->path);
		if (a->path.s)
			a->kind = MF_ART_FILE;
		return;
	}
	if (n->type != YAML_MAPPING_NODE) {
		err(c, n, "type", "'%s' must be a file path or a mapping with 'build' and 'source'",
		    what);
		return;
	}
	a->kind = MF_ART_BUILD;
	scan_map(c, n, what, keys, s);
	if (require(c, n, what, &s[A_BUILD], "build")) {
		get_str(c, s[A_BUILD].val, "'build'", &a->build);
		if (a->build.s && strcmp(a->build.s, "sel4") && strcmp(a->build.s, "cmake"))
			err(c, s[A_BUILD].val, "type",
			    "'build' must be 'sel4' or 'cmake', not '%s'", show(buf, a->build.s));
	}
	if (require(c, n, what, &s[A_SOURCE], "source")) {
		get_path(c, s[A_SOURCE].val, "'source'", &a->source);
		expand_env(c, s[A_SOURCE].val, "'source'", &a->source);
	}
	if (s[A_OPTIONS].val)
		walk_options(c, s[A_OPTIONS].val, a);
}

static void walk_linux(struct ctx *c, yaml_node_t *n, struct mf_linux *lx)
{
	enum { L_IMAGE, L_INITRD, L_BOOTARGS };
	static const char *const keys[] = {"image", "initrd", "bootargs", NULL};
	struct slot s[3];

	lx->set = true;
	lx->loc = loc_of(c, n);
	if (!scan_map(c, n, "linux", keys, s))
		return;
	if (require(c, n, "linux", &s[L_IMAGE], "image")) {
		get_path(c, s[L_IMAGE].val, "'image'", &lx->image);
		expand_env(c, s[L_IMAGE].val, "'image'", &lx->image);
	}
	if (s[L_INITRD].val) {
		get_path(c, s[L_INITRD].val, "'initrd'", &lx->initrd);
		expand_env(c, s[L_INITRD].val, "'initrd'", &lx->initrd);
	}
	if (s[L_BOOTARGS].val)
		get_str(c, s[L_BOOTARGS].val, "'bootargs'", &lx->bootargs);
}

static void walk_region(struct ctx *c, yaml_node_t *n, struct mf_region **v, size_t *nv)
{
	static const char *const keys[] = {"base", "size", NULL};
	struct mf_region *r = VEC_PUSH(*v, *nv);
	struct slot s[2];

	r->loc = loc_of(c, n);
	if (!scan_map(c, n, "memory region", keys, s))
		return;
	if (require(c, n, "memory region", &s[0], "base"))
		get_u64(c, s[0].val, "'base'", &r->base);
	if (require(c, n, "memory region", &s[1], "size"))
		get_u64(c, s[1].val, "'size'", &r->size);
}

static void walk_memory(struct ctx *c, yaml_node_t *n, struct mf_node *node)
{
	yaml_node_item_t *it;
	size_t count;

	node->mem_loc = loc_of(c, n);
	if (n->type == YAML_SCALAR_NODE) {
		get_u64(c, n, "'memory'", &node->mem_size);
		return;
	}
	it = seq_items(c, n, "memory", "a size or a sequence of {base, size} regions", &count);
	if (it && !count)
		err(c, n, "type", "'memory' has no regions");
	for (size_t i = 0; i < count; i++)
		walk_region(c, node_at(c, it[i]), &node->mem, &node->n_mem);
}

static void walk_devices(struct ctx *c, yaml_node_t *n, struct mf_node *node)
{
	size_t count;
	yaml_node_item_t *it =
		seq_items(c, n, "devices", "a sequence of device-tree paths", &count);

	for (size_t i = 0; i < count; i++) {
		struct mf_str str = {0};
		get_str(c, node_at(c, it[i]), "'devices' entry", &str);
		if (str.s)
			*VEC_PUSH(node->devices, node->n_devices) = str;
	}
}

/* "node 3" when the node's id is readable, else "node". */
static void node_name(struct ctx *c, yaml_node_t *n, char what[32])
{
	yaml_node_t *id = peek(c, n, "id");
	const char *why;
	uint64_t v;

	if (id && id->type == YAML_SCALAR_NODE && !parse_u64(text(id), &v, &why))
		snprintf(what, 32, "node %llu", (unsigned long long)v);
	else
		strcpy(what, "node");
}

static void walk_node(struct ctx *c, yaml_node_t *n)
{
	enum { N_ID, N_CPUS, N_MEMORY, N_DEVICES, N_KERNEL, N_ROOT_TASK, N_LINUX };
	static const char *const keys[] = {
		"id", "cpus", "memory", "devices", "kernel", "rootserver", "linux", NULL,
	};
	struct mf_node *node = VEC_PUSH(c->m->nodes, c->m->n_nodes);
	struct slot s[7];
	char what[32];

	node->loc = loc_of(c, n);
	node_name(c, n, what);
	if (!scan_map(c, n, what, keys, s))
		return;
	if (require(c, n, what, &s[N_ID], "id"))
		get_u64(c, s[N_ID].val, "'id'", &node->id);
	if (s[N_CPUS].val) {
		node->cpus_set = true;
		get_u64_seq(c, s[N_CPUS].val, "cpus", &node->cpus, &node->n_cpus);
	}
	if (require(c, n, what, &s[N_MEMORY], "memory"))
		walk_memory(c, s[N_MEMORY].val, node);
	if (s[N_DEVICES].val)
		walk_devices(c, s[N_DEVICES].val, node);
	if (s[N_KERNEL].val)
		walk_artifact(c, s[N_KERNEL].val, "kernel", &node->kernel);
	if (s[N_ROOT_TASK].val)
		walk_artifact(c, s[N_ROOT_TASK].val, "rootserver", &node->root_task);
	if (s[N_LINUX].val) {
		walk_linux(c, s[N_LINUX].val, &node->linux_os);
		if (s[N_KERNEL].val || s[N_ROOT_TASK].val)
			err(c, s[N_KERNEL].val ? s[N_KERNEL].key : s[N_ROOT_TASK].key, "linux-node",
			    "%s runs Linux ('linux:'), so it has no '%s': its kernel is the Image, its first program the "
			    "initrd", what, s[N_KERNEL].val ? "kernel" : "rootserver");
	}
}

static void walk_channel(struct ctx *c, yaml_node_t *n)
{
	enum { C_FROM, C_TO, C_SGI };
	static const char *const keys[] = {"from", "to", "sgi", NULL};
	struct mf_channel *ch = VEC_PUSH(c->m->channels, c->m->n_channels);
	struct slot s[3];

	ch->loc = loc_of(c, n);
	if (!scan_map(c, n, "channel", keys, s))
		return;
	if (require(c, n, "channel", &s[C_FROM], "from"))
		get_u64(c, s[C_FROM].val, "'from'", &ch->from);
	if (require(c, n, "channel", &s[C_TO], "to"))
		get_u64(c, s[C_TO].val, "'to'", &ch->to);
	if (s[C_SGI].val)
		get_u64(c, s[C_SGI].val, "'sgi'", &ch->sgi);
}

static void walk_each(struct ctx *c, yaml_node_t *n, const char *key,
		      void (*fn)(struct ctx *, yaml_node_t *))
{
	size_t count;
	yaml_node_item_t *it = seq_items(c, n, key, "a sequence of mappings", &count);

	for (size_t i = 0; i < count; i++)
		fn(c, node_at(c, it[i]));
}

static void walk_top(struct ctx *c, yaml_node_t *root)
{
	enum { T_NAME, T_PLATFORM, T_CONSOLE, T_LOADER, T_POOLS, T_NODES, T_CHANNELS, T_FIT };
	static const char *const keys[] = {
		"name", "platform", "console", "loader", "shared_pools", "nodes", "channels", "fit", NULL,
	};
	struct slot s[8];
	struct manifest *m = c->m;

	m->loc = loc_of(c, root);
	if (!scan_map(c, root, "manifest", keys, s))
		return;
	if (require(c, root, "manifest", &s[T_NAME], "name"))
		get_name(c, s[T_NAME].val, "'name'", &m->name);
	if (require(c, root, "manifest", &s[T_PLATFORM], "platform"))
		walk_platform(c, s[T_PLATFORM].val);
	if (s[T_CONSOLE].val)
		get_str(c, s[T_CONSOLE].val, "'console'", &m->console);
	if (s[T_LOADER].val)
		walk_loader(c, s[T_LOADER].val);
	if (s[T_POOLS].val)
		walk_each(c, s[T_POOLS].val, "shared_pools", walk_pool);
	if (require(c, root, "manifest", &s[T_NODES], "nodes")) {
		yaml_node_t *nodes = s[T_NODES].val;

		walk_each(c, nodes, "nodes", walk_node);
		if (nodes->type == YAML_SEQUENCE_NODE && !seq_len(nodes))
			err(c, nodes, "type", "'nodes' must not be empty");
	}
	if (s[T_CHANNELS].val)
		walk_each(c, s[T_CHANNELS].val, "channels", walk_channel);
	if (s[T_FIT].val)
		walk_fit(c, s[T_FIT].val);
}

/* --- size and depth guard ------------------------------------------------- */

/* Per document node: how many levels of collections it holds and how many
 * values it expands to. Memoized, so shared (aliased) nodes cost nothing
 * extra: the check is linear in the document however much the aliases
 * multiply it. */
struct shape {
	unsigned height;     /* 0 for a scalar */
	unsigned count;      /* saturates just above MAX_VALUES */
	unsigned char state; /* 0 unseen, 1 being measured, 2 done */
};

static bool measure(struct ctx *c, struct shape *memo, int index, unsigned above);

static bool measure_child(struct ctx *c, struct shape *memo, struct shape *s, int child,
			  unsigned above)
{
	const struct shape *cs = &memo[child - 1];

	if (!measure(c, memo, child, above))
		return false;
	if (cs->height + 1 > s->height)
		s->height = cs->height + 1;
	s->count += cs->count;
	if (s->count > MAX_VALUES)
		s->count = MAX_VALUES + 1;
	return true;
}

static bool too_deep(struct ctx *c, yaml_node_t *n)
{
	err(c, n, "yaml-limits", "nested too deeply (more than %u levels)", MAX_DEPTH);
	return false;
}

/* `above` counts the collections around node `index`. */
static bool measure(struct ctx *c, struct shape *memo, int index, unsigned above)
{
	yaml_node_t *n = node_at(c, index);
	struct shape *s = &memo[index - 1];
	bool ok = true;

	if (s->state == 2)
		return above + s->height <= MAX_DEPTH || too_deep(c, n);
	if (s->state == 1) {
		err(c, n, "yaml-limits", "nested too deeply (an alias refers to its own anchor)");
		return false;
	}
	if (n->type == YAML_SCALAR_NODE) {
		*s = (struct shape){.count = 1, .state = 2};
		return true;
	}
	if (above >= MAX_DEPTH)
		return too_deep(c, n);
	*s = (struct shape){.height = 1, .count = 1, .state = 1};
	if (n->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *i = n->data.sequence.items.start;
		for (; ok && i < n->data.sequence.items.top; i++)
			ok = measure_child(c, memo, s, *i, above + 1);
	} else {
		yaml_node_pair_t *p = n->data.mapping.pairs.start;
		for (; ok && p < n->data.mapping.pairs.top; p++)
			ok = measure_child(c, memo, s, p->key, above + 1) &&
			     measure_child(c, memo, s, p->value, above + 1);
	}
	s->state = 2;
	return ok;
}

static bool within_limits(struct ctx *c, yaml_node_t *root)
{
	size_t n = (size_t)(c->doc->nodes.top - c->doc->nodes.start);
	struct shape *memo = xcalloc(n, sizeof(*memo));
	bool ok = measure(c, memo, 1, 0);

	if (ok && memo[0].count > MAX_VALUES) {
		err(c, root, "yaml-limits",
		    "manifest too large (more than %u values after alias expansion)", MAX_VALUES);
		ok = false;
	}
	free(memo);
	return ok;
}

/* --- libyaml -------------------------------------------------------------- */

/* Reader errors (bad UTF-8, control characters) carry a byte offset only. */
static struct mk_loc offset_loc(const struct ctx *c, const char *buf, size_t len, size_t off)
{
	struct mk_loc loc = {.file = c->m->path, .line = 1, .col = 1};

	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			loc.line++;
			loc.col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			loc.col++;
		}
	}
	return loc;
}

static void yaml_error(struct ctx *c, const yaml_parser_t *p, const char *buf, size_t len)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	struct mk_loc loc = {
		.file = c->m->path,
		.line = (unsigned)p->problem_mark.line + 1,
		.col = (unsigned)p->problem_mark.column + 1,
	};

	if (p->error == YAML_MEMORY_ERROR) {
		diag_error(c->d, &loc, NULL, "out of memory while reading YAML");
	} else if (p->error == YAML_READER_ERROR) {
		loc = offset_loc(c, buf, len, p->problem_offset);
		if (p->problem_value >= 0)
			diag_error(c->d, &loc, "yaml-syntax", "%s (byte 0x%02x)", problem,
				   p->problem_value);
		else
			diag_error(c->d, &loc, "yaml-syntax", "%s", problem);
	} else if (p->context) {
		diag_error(c->d, &loc, "yaml-syntax", "%s (%s at line %u)", problem, p->context,
			   (unsigned)p->context_mark.line + 1);
	} else {
		diag_error(c->d, &loc, "yaml-syntax", "%s", problem);
	}
}

static bool is_empty_root(const yaml_node_t *root)
{
	return !root || (root->type == YAML_SCALAR_NODE &&
			 root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && is_null(root));
}

/* After the first document: anything but the end of the stream is wrong. */
static void check_stream_end(struct ctx *c, yaml_parser_t *p, const char *buf, size_t len)
{
	yaml_document_t next;

	if (!yaml_parser_load(p, &next)) {
		yaml_error(c, p, buf, len);
		return;
	}
	if (yaml_document_get_root_node(&next)) {
		struct mk_loc loc = {
			.file = c->m->path,
			.line = (unsigned)next.start_mark.line + 1,
			.col = (unsigned)next.start_mark.column + 1,
		};
		diag_error(c->d, &loc, "yaml-syntax", "more than one document");
	}
	yaml_document_delete(&next);
}

static void parse_buffer(struct manifest *m, const char *buf, size_t len, struct diags *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ctx c = {.m = m, .doc = &doc, .d = d};
	const char *nul;
	yaml_node_t *root;

	if (!yaml_parser_initialize(&parser)) {
		diag_error(d, &(struct mk_loc){.file = m->path}, NULL,
			   "cannot start the YAML parser");
		return;
	}
	/* libyaml would stop quietly at a NUL byte and ignore the rest. */
	nul = memchr(buf, '\0', len);
	if (nul) {
		struct mk_loc loc = offset_loc(&c, buf, len, (size_t)(nul - buf));
		diag_error(d, &loc, "yaml-syntax", "NUL byte in manifest");
		yaml_parser_delete(&parser);
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(&c, &parser, buf, len);
		yaml_parser_delete(&parser);
		return;
	}
	root = yaml_document_get_root_node(&doc);
	if (is_empty_root(root)) {
		diag_error(d, &(struct mk_loc){.file = m->path}, "yaml-syntax", "empty manifest");
	} else {
		if (within_limits(&c, root))
			walk_top(&c, root);
		check_stream_end(&c, &parser, buf, len);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

/* --- entry points --------------------------------------------------------- */

static void manifest_init(struct manifest *m, const char *path)
{
	const char *slash = strrchr(path, '/');

	*m = (struct manifest){0};
	m->path = xstrdup(path);
	if (!slash)
		m->dir = xstrdup(".");
	else if (slash == path)
		m->dir = xstrdup("/");
	else
		m->dir = xasprintf("%.*s", (int)(slash - path), path);
}

int manifest_parse(struct manifest *m, const char *path, const char *buf, size_t len,
		   struct diags *d)
{
	unsigned before = d->errors;

	manifest_init(m, path);
	parse_buffer(m, buf, len, d);
	return d->errors > before ? -1 : 0;
}

int manifest_load(struct manifest *m, const char *path, struct diags *d)
{
	unsigned before = d->errors;
	size_t len;
	uint8_t *buf;

	manifest_init(m, path);
	if (input_read(m->path, IN_MANIFEST, NULL, &buf, &len, d) == 0)
		parse_buffer(m, (const char *)buf, len, d);
	else
		buf = NULL;
	free(buf);
	return d->errors > before ? -1 : 0;
}

static void artifact_free(struct mf_artifact *a)
{
	free(a->path.s);
	free(a->build.s);
	free(a->source.s);
	for (size_t i = 0; i < a->n_options; i++) {
		free(a->options[i].key);
		free(a->options[i].value);
	}
	free(a->options);
}

static void node_free(struct mf_node *n)
{
	free(n->cpus);
	free(n->mem);
	for (size_t i = 0; i < n->n_devices; i++)
		free(n->devices[i].s);
	free(n->devices);
	artifact_free(&n->kernel);
	artifact_free(&n->root_task);
	free(n->linux_os.image.s);
	free(n->linux_os.initrd.s);
	free(n->linux_os.bootargs.s);
}

void manifest_free(struct manifest *m)
{
	free(m->path);
	free(m->dir);
	free(m->board_mem);
	free(m->bootloader);
	free(m->fit_key.s);
	free(m->fit_algo.s);
	free(m->psci.s);
	free(m->name.s);
	free(m->dtb.s);
	free(m->dts.s);
	free(m->console.s);
	for (size_t i = 0; i < m->n_pools; i++) {
		free(m->pools[i].name.s);
		free(m->pools[i].nodes);
	}
	free(m->pools);
	for (size_t i = 0; i < m->n_nodes; i++)
		node_free(&m->nodes[i]);
	free(m->nodes);
	free(m->channels);
	*m = (struct manifest){0};
}
