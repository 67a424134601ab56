/* SPDX-License-Identifier: BSD-2-Clause */
/* plan_json.c - a plan from its JSON form (see plan_json.h), with jansson.
 *
 * jansson keeps no position per value, so messages name the value by its
 * place in the document ("nodes[1].memory[0].base") after the file name.
 */
#include "plan_json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>

struct jctx {
	struct plan_json *pj;
	struct plan_board *pb; /* the plan's copy of the board */
	struct diags *d;
	struct mk_loc loc; /* the file */
};

static void jerr(struct jctx *c, const char *check, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void jerr(struct jctx *c, const char *check, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(c->d, DIAG_ERROR, &c->loc, check, fmt, ap);
	va_end(ap);
}

/* A number: a JSON integer >= 0, or a string in hex ("0x...") or decimal. */
static bool get_u64(struct jctx *c, const json_t *v, const char *what, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
		char *end;
		errno = 0;
		/* base 0 would read "010" as octal */
		unsigned long long x = strtoull(hex ? s + 2 : s, &end, hex ? 16 : 10);
		if (isxdigit((unsigned char)s[hex ? 2 : 0]) && (hex || isdigit((unsigned char)s[0])) && !*end && !errno) {
			*out = x;
			return true;
		}
	}
	jerr(c, "plan-json", "%s: expected a number or a hex string such as \"0x40000000\"", what);
	return false;
}

static bool get_uint(struct jctx *c, const json_t *v, const char *what, unsigned *out)
{
	uint64_t x;
	if (!get_u64(c, v, what, &x))
		return false;
	if (x > UINT32_MAX) {
		jerr(c, "plan-json", "%s: %" PRIu64 " is too large", what, x);
		return false;
	}
	*out = (unsigned)x;
	return true;
}

/* obj[key] of the given type; NULL if absent (an error when `required`)
 * or of another type (always an error). */
static json_t *field(struct jctx *c, const json_t *obj, const char *key, json_type type, bool required,
		     const char *where)
{
	static const char *const type_name[] = {"an object", "an array", "a string", "an integer",
						"a number", "true", "false", "null"};
	json_t *v = json_object_get(obj, key);
	if (!v || (json_is_null(v) && !required && type != JSON_NULL)) {
		if (required)
			jerr(c, "plan-json", "%s: missing key '%s'", where, key);
		return NULL;
	}
	if (json_typeof(v) != type) {
		jerr(c, "plan-json", "%s.%s: expected %s", where, key, type_name[type]);
		return NULL;
	}
	return v;
}

static void get_ranges(struct jctx *c, const json_t *arr, const char *where, struct mk_range **v, size_t *n)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		char what[160], wb[192], ws[192];
		const json_t *b = json_object_get(x, "base"), *s = json_object_get(x, "size");
		struct mk_range r;
		snprintf(what, sizeof(what), "%s[%zu]", where, i);
		snprintf(wb, sizeof(wb), "%s.base", what);
		snprintf(ws, sizeof(ws), "%s.size", what);
		if (!json_is_object(x) || !b || !s)
			jerr(c, "plan-json", "%s: expected an object {\"base\", \"size\"}", what);
		else if (get_u64(c, b, wb, &r.base) && get_u64(c, s, ws, &r.size))
			*VEC_PUSH(*v, *n) = r;
	}
}

/* ------------------------------------------------------------ pools */

static void parse_pools(struct jctx *c, const json_t *arr)
{
	struct plan *p = &c->pj->plan;
	size_t i;
	json_t *x;
	p->pools = xcalloc(json_array_size(arr), sizeof(*p->pools));
	json_array_foreach(arr, i, x) {
		char what[64];
		snprintf(what, sizeof(what), "shared_pools[%zu]", i);
		if (!json_is_object(x)) {
			jerr(c, "plan-json", "%s: expected an object", what);
			continue;
		}
		json_t *name = field(c, x, "name", JSON_STRING, true, what);
		json_t *base = json_object_get(x, "base"), *size = json_object_get(x, "size");
		json_t *nodes = field(c, x, "nodes", JSON_ARRAY, false, what);
		json_t *keep = json_object_get(x, "keep"); /* optional; only the loader acts on it */
		if (keep && !json_is_boolean(keep))
			jerr(c, "plan-json", "%s.keep: expected true or false", what);
		if (!name)
			continue;
		struct plan_pool pp = {.name = xstrdup(json_string_value(name)), .keep = json_is_true(keep), .loc = c->loc};
		char w[96];
		snprintf(w, sizeof(w), "%s.base", what);
		if (!base || !size) {
			jerr(c, "plan-json", "%s: needs \"base\" and \"size\"", what);
			free(pp.name);
			continue;
		}
		if (!get_u64(c, base, w, &pp.r.base)) {
			free(pp.name);
			continue;
		}
		snprintf(w, sizeof(w), "%s.size", what);
		if (!get_u64(c, size, w, &pp.r.size)) {
			free(pp.name);
			continue;
		}
		for (size_t j = 0; j < p->n_pools; j++)
			if (!strcmp(p->pools[j].name, pp.name))
				jerr(c, "pool-duplicate", "%s: shared pool '%s' given twice", what, pp.name);
		size_t k;
		json_t *id;
		json_array_foreach(nodes, k, id) {
			snprintf(w, sizeof(w), "%s.nodes[%zu]", what, k);
			unsigned u;
			if (get_uint(c, id, w, &u))
				*VEC_PUSH(pp.nodes, pp.n_nodes) = u;
		}
		sort(pp.nodes, pp.n_nodes, sizeof(*pp.nodes), cmp_uint);
		p->pools[p->n_pools++] = pp;
	}
	/* the planner's order: by name; nodes refer to pools by index */
	sort(p->pools, p->n_pools, sizeof(*p->pools), plan_cmp_pool);
}

static void parse_channels(struct jctx *c, const json_t *arr)
{
	struct plan *p = &c->pj->plan;
	size_t i;
	json_t *x;
	p->channels = xcalloc(json_array_size(arr), sizeof(*p->channels));
	json_array_foreach(arr, i, x) {
		char what[64], w[80];
		struct plan_sgi g;
		snprintf(what, sizeof(what), "channels[%zu]", i);
		if (!json_is_object(x)) {
			jerr(c, "plan-json", "%s: expected an object {\"sgi\", \"from\", \"to\"}", what);
			continue;
		}
		json_t *sgi = json_object_get(x, "sgi"), *from = json_object_get(x, "from"), *to = json_object_get(x, "to");
		if (!sgi || !from || !to) {
			jerr(c, "plan-json", "%s: needs \"sgi\", \"from\" and \"to\"", what);
			continue;
		}
		snprintf(w, sizeof(w), "%s.sgi", what);
		bool ok = get_uint(c, sgi, w, &g.sgi);
		snprintf(w, sizeof(w), "%s.from", what);
		ok &= get_uint(c, from, w, &g.from);
		snprintf(w, sizeof(w), "%s.to", what);
		ok &= get_uint(c, to, w, &g.to);
		if (ok)
			p->channels[p->n_channels++] = g;
	}
}

/* ------------------------------------------------------------ nodes */

static void node_cpus(struct jctx *c, struct plan_node *n, const json_t *arr, const char *where)
{
	const struct plan_board *pb = c->pb;
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		char what[96], w[112];
		snprintf(what, sizeof(what), "%s.cpus[%zu]", where, i);
		/* {"index": 1, "mpidr": "0x1"} as mkimg writes it, or just 1 */
		const json_t *idx = json_is_object(x) ? json_object_get(x, "index") : x;
		const json_t *mpidr = json_is_object(x) ? json_object_get(x, "mpidr") : NULL;
		unsigned index;
		snprintf(w, sizeof(w), "%s.index", what);
		if (!idx) {
			jerr(c, "plan-json", "%s: missing key 'index'", what);
			continue;
		}
		if (!get_uint(c, idx, json_is_object(x) ? w : what, &index))
			continue;
		if (index >= pb->n_cpus) {
			jerr(c, "cpu-range", "node %u: cpu %u does not exist; '%s' has %zu cpus", n->id, index, pb->path,
			     pb->n_cpus);
			continue;
		}
		const struct plan_board_cpu *pc = &pb->cpus[index];
		uint64_t m;
		snprintf(w, sizeof(w), "%s.mpidr", what);
		if (mpidr && get_u64(c, mpidr, w, &m) && m != pc->mpidr)
			jerr(c, "cpu-mpidr",
			     "node %u: cpu %u has mpidr 0x%" PRIx64 " in the plan but 0x%" PRIx64
			     " in '%s'; was the plan made for another board?",
			     n->id, index, m, pc->mpidr, pb->path);
		*VEC_PUSH(n->cpus, n->n_cpus) = (struct plan_cpu){index, pc->mpidr, pc->enable};
	}
}

static void node_devices(struct jctx *c, struct plan_node *n, const json_t *arr, const char *where)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (!json_is_string(x)) {
			jerr(c, "plan-json", "%s.devices[%zu]: expected a device-tree path", where, i);
			continue;
		}
		const struct plan_device *dev = plan_find_device(c->pb, json_string_value(x));
		if (!dev) {
			jerr(c, "device-unknown", "node %u: device '%s' is not in '%s'", n->id, json_string_value(x),
			     c->pb->path);
			continue;
		}
		*VEC_PUSH(n->devices, n->n_devices) = dev->path;
	}
	sort(n->devices, n->n_devices, sizeof(*n->devices), cmp_str);
}

static void node_pools(struct jctx *c, struct plan_node *n, const json_t *arr, const char *where)
{
	const struct plan *p = &c->pj->plan;
	size_t i;
	json_t *x;
	if (!arr) {
		for (size_t k = 0; k < p->n_pools; k++)
			for (size_t j = 0; j < p->pools[k].n_nodes; j++)
				if (p->pools[k].nodes[j] == n->id)
					*VEC_PUSH(n->pools, n->n_pools) = k;
		return;
	}
	json_array_foreach(arr, i, x) {
		size_t k = 0;
		if (!json_is_string(x)) {
			jerr(c, "plan-json", "%s.shared_pools[%zu]: expected a pool name", where, i);
			continue;
		}
		while (k < p->n_pools && strcmp(p->pools[k].name, json_string_value(x)))
			k++;
		if (k == p->n_pools)
			jerr(c, "pool-unknown", "node %u: shared pool '%s' is not in 'shared_pools'", n->id,
			     json_string_value(x));
		else
			*VEC_PUSH(n->pools, n->n_pools) = k;
	}
}

static void node_sgis(struct jctx *c, struct plan_node *n, const json_t *arr, const char *where)
{
	const struct plan *p = &c->pj->plan;
	if (!arr) {
		for (size_t i = 0; i < p->n_channels; i++)
			if (p->channels[i].from == n->id || p->channels[i].to == n->id)
				*VEC_PUSH(n->sgis, n->n_sgis) = p->channels[i];
	} else {
		size_t i;
		json_t *x;
		json_array_foreach(arr, i, x) {
			char what[96], w[112];
			struct plan_sgi g;
			snprintf(what, sizeof(what), "%s.sgis[%zu]", where, i);
			const json_t *sgi = json_object_get(x, "sgi"), *from = json_object_get(x, "from"),
				     *to = json_object_get(x, "to");
			if (!json_is_object(x) || !sgi || !from || !to) {
				jerr(c, "plan-json", "%s: expected an object {\"sgi\", \"from\", \"to\"}", what);
				continue;
			}
			snprintf(w, sizeof(w), "%s.sgi", what);
			bool ok = get_uint(c, sgi, w, &g.sgi);
			snprintf(w, sizeof(w), "%s.from", what);
			ok &= get_uint(c, from, w, &g.from);
			snprintf(w, sizeof(w), "%s.to", what);
			ok &= get_uint(c, to, w, &g.to);
			if (ok)
				*VEC_PUSH(n->sgis, n->n_sgis) = g;
		}
	}
	sort(n->sgis, n->n_sgis, sizeof(*n->sgis), plan_cmp_sgi);
}

/* The planner's `reserved`: board RAM minus the node's memory and pools. */
static void node_reserved(struct jctx *c, struct plan_node *n)
{
	const struct plan *p = &c->pj->plan;
	struct mk_range *mem = xcalloc(n->n_memory, sizeof(*mem)), *pools = xcalloc(p->n_pools, sizeof(*pools)),
			*not_mine;
	if (n->n_memory) /* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(mem, n->memory, n->n_memory * sizeof(*mem));
	size_t nm = ranges_normalize(mem, n->n_memory);
	for (size_t i = 0; i < p->n_pools; i++)
		pools[i] = p->pools[i].r;
	size_t np = ranges_normalize(pools, p->n_pools);
	size_t k = ranges_subtract(c->pb->ram, c->pb->n_ram, mem, nm, &not_mine);
	n->n_reserved = ranges_subtract(not_mine, k, pools, np, &n->reserved);
	free(not_mine);
	free(mem);
	free(pools);
}

static void parse_node(struct jctx *c, const json_t *x, size_t i)
{
	struct plan *p = &c->pj->plan;
	char where[32];
	snprintf(where, sizeof(where), "nodes[%zu]", i);
	if (!json_is_object(x)) {
		jerr(c, "plan-json", "%s: expected an object", where);
		return;
	}
	json_t *id = json_object_get(x, "id");
	json_t *cpus = field(c, x, "cpus", JSON_ARRAY, true, where);
	json_t *memory = field(c, x, "memory", JSON_ARRAY, true, where);
	json_t *reserved = field(c, x, "reserved", JSON_ARRAY, false, where);
	json_t *pools = field(c, x, "shared_pools", JSON_ARRAY, false, where);
	json_t *devices = field(c, x, "devices", JSON_ARRAY, false, where);
	json_t *sgis = field(c, x, "sgis", JSON_ARRAY, false, where);
	json_t *lx = field(c, x, "linux", JSON_OBJECT, false, where);
	char w[48];
	snprintf(w, sizeof(w), "%s.id", where);
	unsigned nid;
	if (!id) {
		jerr(c, "plan-json", "%s: missing key 'id'", where);
		return;
	}
	if (!get_uint(c, id, w, &nid))
		return;
	if (plan_node_by_id(p, nid)) {
		jerr(c, "node-duplicate", "%s: node id %u given twice", where, nid);
		return;
	}
	struct plan_node *n = &p->nodes[p->n_nodes++];
	n->id = nid;
	n->loc = c->loc;
	if (cpus)
		node_cpus(c, n, cpus, where);
	snprintf(w, sizeof(w), "%s.memory", where);
	if (memory)
		get_ranges(c, memory, w, &n->memory, &n->n_memory);
	/* plan.h: ascending, the first is where the kernel goes */
	sort(n->memory, n->n_memory, sizeof(*n->memory), cmp_range);
	if (reserved) {
		snprintf(w, sizeof(w), "%s.reserved", where);
		get_ranges(c, reserved, w, &n->reserved, &n->n_reserved);
	} else {
		node_reserved(c, n);
	}
	node_pools(c, n, pools, where);
	if (devices)
		node_devices(c, n, devices, where);
	node_sgis(c, n, sgis, where);
	if (lx) {
		/* what a split needs of a Linux node: that it is one, its command line */
		snprintf(w, sizeof(w), "%s.linux", where);
		json_t *args = field(c, lx, "bootargs", JSON_STRING, false, w);
		n->os = PLAN_OS_LINUX;
		n->bootargs = args ? xstrdup(json_string_value(args)) : NULL;
	}
}

static void parse_top(struct jctx *c, const json_t *root)
{
	struct plan *p = &c->pj->plan;
	if (!json_is_object(root)) {
		jerr(c, "plan-json", "expected a plan object (from 'mkimg plan --format json')");
		return;
	}
	json_t *name = field(c, root, "name", JSON_STRING, false, "plan");
	json_t *console = field(c, root, "console", JSON_STRING, false, "plan");
	json_t *loader = field(c, root, "loader", JSON_OBJECT, false, "plan");
	json_t *pools = field(c, root, "shared_pools", JSON_ARRAY, false, "plan");
	json_t *channels = field(c, root, "channels", JSON_ARRAY, false, "plan");
	json_t *nodes = field(c, root, "nodes", JSON_ARRAY, true, "plan");

	p->name = xstrdup(name ? json_string_value(name) : "");
	/* The board's RAM as the plan used it (the manifest may have given
	 * it); else the tree's own. */
	json_t *platform = field(c, root, "platform", JSON_OBJECT, false, "plan");
	json_t *ram = platform ? field(c, platform, "memory", JSON_ARRAY, false, "plan.platform") : NULL;
	if (ram) {
		struct mk_range *v = NULL;
		size_t n = 0;
		get_ranges(c, ram, "plan.platform.memory", &v, &n);
		free(c->pb->ram), free(c->pb->usable);
		c->pb->ram = v;
		c->pb->n_ram = ranges_normalize(v, n);
		c->pb->n_usable = ranges_subtract(c->pb->ram, c->pb->n_ram, c->pb->reserved, c->pb->n_reserved,
						  &c->pb->usable);
	}
	if (!c->pb->n_ram)
		jerr(c, "board-memory", "neither the plan nor the board's tree '%s' states the board's RAM (%s)",
		     c->pb->path, c->pb->no_ram ? c->pb->no_ram : "no /memory");
	if (console) {
		const struct plan_device *dev = plan_find_device(c->pb, json_string_value(console));
		if (!dev)
			jerr(c, "device-unknown", "console '%s' is not a device in '%s'", json_string_value(console),
			     c->pb->path);
		else
			p->console = dev->path;
	}
	if (loader) {
		json_t *b = json_object_get(loader, "base"), *s = json_object_get(loader, "size");
		if (b && s)
			(void)(get_u64(c, b, "loader.base", &p->loader.base) && get_u64(c, s, "loader.size", &p->loader.size));
	}
	if (pools)
		parse_pools(c, pools);
	if (channels)
		parse_channels(c, channels);
	if (!nodes)
		return;
	if (!json_array_size(nodes))
		jerr(c, "plan-json", "plan.nodes: no nodes");
	p->nodes = xcalloc(json_array_size(nodes), sizeof(*p->nodes));
	size_t i;
	json_t *x;
	json_array_foreach(nodes, i, x)
		parse_node(c, x, i);
	sort(p->nodes, p->n_nodes, sizeof(*p->nodes), plan_cmp_node);

	for (size_t k = 0; k < p->n_pools; k++)
		for (size_t j = 0; j < p->pools[k].n_nodes; j++)
			if (!plan_node_by_id(p, p->pools[k].nodes[j]))
				jerr(c, "pool-node-unknown", "shared pool '%s' lists node %u, which does not exist",
				     p->pools[k].name, p->pools[k].nodes[j]);
}

int plan_json_parse(struct plan_json *pj, const char *path, const char *text, size_t len,
		    const struct platform *pf, struct diags *d)
{
	*pj = (struct plan_json){0};
	struct jctx c = {pj, &pj->plan.board, d, {.file = NULL}};
	unsigned errors = d->errors;
	plan_board_copy(&pj->plan.board, pf);
	pj->plan.manifest = xstrdup(path); /* the plan's locations name it */
	c.loc.file = pj->plan.manifest;

	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		struct mk_loc loc = {.file = c.loc.file, .line = (unsigned)(err.line > 0 ? err.line : 0),
				     .col = (unsigned)(err.column > 0 ? err.column : 1)};
		diag_error(d, &loc, "plan-json", "malformed plan JSON: %s", err.text);
		return -1;
	}
	parse_top(&c, root);
	json_decref(root);
	if (d->errors == errors)
		plan_check_board_use(&pj->plan, d);
	return d->errors > errors ? -1 : 0;
}

int plan_json_load(struct plan_json *pj, const char *path, const struct platform *pf, struct diags *d)
{
	bool in = !strcmp(path, "-");
	uint8_t *buf;
	size_t n;
	*pj = (struct plan_json){0};
	if (input_read(path, IN_PLAN_JSON, NULL, &buf, &n, d) < 0)
		return -1;
	int rc = plan_json_parse(pj, in ? "<stdin>" : path, (const char *)buf, n, pf, d);
	free(buf);
	return rc;
}

void plan_json_free(struct plan_json *pj)
{
	plan_free(&pj->plan);
	*pj = (struct plan_json){0};
}
