/* SPDX-License-Identifier: BSD-2-Clause */
/* split_blob.c - one node's tree as a blob, with libfdt's sequential-write
 * API: the board's nodes and properties as the decisions say, and the nodes
 * the split adds, with property names folded to one copy each.
 */
#include "split_internal.h"

#include <limits.h>

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint32_t *names_find(const struct names *t, const char *name)
{
	size_t i = fnv1a(name) & (t->cap - 1);
	while (t->slot[i] && strcmp(t->tab + t->slot[i] - 1, name))
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static void names_rehash(struct names *t)
{
	uint32_t *old = t->slot;
	size_t n = t->cap;
	t->cap = n ? n * 2 : 64;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	for (size_t i = 0; i < n; i++)
		if (old[i])
			*names_find(t, t->tab + old[i] - 1) = old[i];
	free(old);
}

/* The offset of `name` in the new block, adding it on first use. */
static uint32_t names_add(struct names *t, const char *name)
{
	uint32_t *x = names_find(t, name);
	if (*x)
		return *x - 1;
	size_t len = strlen(name) + 1;
	if (t->n + len > t->tab_cap) {
		t->tab_cap = (t->n + len) * 2;
		t->tab = xrealloc(t->tab, t->tab_cap);
	}
	memcpy(t->tab + t->n, name, len);
	*x = (uint32_t)t->n + 1;
	t->n += len;
	if (++t->used * 2 > t->cap)
		names_rehash(t);
	return (uint32_t)(t->n - len);
}

static void names_note(struct names *t, const char *name)
{
	size_t h = (size_t)(((uintptr_t)name * 0x9e3779b97f4a7c15ull) >> 56);
	if (t->cache[h].p != name) {
		t->cache[h].p = name;
		t->cache[h].off = names_add(t, name);
	}
	if (t->n_order == t->cap_order) {
		t->cap_order = t->cap_order ? t->cap_order * 2 : 1024;
		t->order = xrealloc(t->order, t->cap_order * sizeof(*t->order));
	}
	t->order[t->n_order++] = t->cache[h].off;
}

static void names_reset(struct names *t)
{
	if (!t->slot)
		names_rehash(t);
	memset(t->slot, 0, t->cap * sizeof(*t->slot));
	memset(t->cache, 0, sizeof(t->cache));
	t->used = t->n = t->n_order = 0;
}

static void names_free(struct names *t)
{
	free(t->slot);
	free(t->tab);
	free(t->order);
}

#define ALIGN4(x) (((size_t)(x) + 3) & ~(size_t)3)

/* Point every property at its name in the folded block, which replaces the
 * old one. The tree is the one just written: its tags need no checks. */
static int fold_strings(void *fdt, const struct names *t)
{
	char *base = (char *)fdt + fdt_off_dt_struct(fdt);
	size_t off = 0, end = fdt_size_dt_struct(fdt), k = 0;
	while (off + 4 <= end) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(base + off));
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			off += ALIGN4(strlen(base + off) + 1);
		} else if (tag == FDT_PROP) {
			struct fdt_property *pr = (struct fdt_property *)(base + off - 4);
			if (k == t->n_order)
				return -FDT_ERR_INTERNAL;
			pr->nameoff = cpu_to_fdt32(t->order[k++]);
			off += 8 + ALIGN4(fdt32_ld(&pr->len));
		} else if (tag == FDT_END) {
			break;
		}
	}
	if (k != t->n_order || t->n > fdt_size_dt_strings(fdt))
		return -FDT_ERR_INTERNAL;
	memcpy((char *)fdt + fdt_off_dt_strings(fdt), t->tab, t->n);
	fdt_set_size_dt_strings(fdt, (uint32_t)t->n);
	fdt_set_totalsize(fdt, fdt_off_dt_strings(fdt) + (uint32_t)t->n);
	return 0;
}

/* After -FDT_ERR_NOSPACE, give the tree twice the room (fdt_resize keeps
 * a tree under construction valid, in place or moved) and say to retry. */
static bool grow(struct emit *e)
{
	if (e->err != -FDT_ERR_NOSPACE || e->size > INT_MAX / 2)
		return false;
	size_t size = e->size * 2;
	void *buf = size <= e->cap ? e->fdt : xmalloc(size);
	int rc = fdt_resize(e->fdt, buf, (int)size);
	if (rc) {
		if (buf != e->fdt)
			free(buf);
		e->err = rc;
		return false;
	}
	if (buf != e->fdt) {
		free(e->fdt);
		e->fdt = buf;
		e->cap = size;
	}
	/* libfdt never writes the padding after names and values: it counts
	 * on fdt_create having cleared the buffer. Clear the new room too, or
	 * the blob would carry whatever the memory held. */
	size_t head = fdt_off_dt_struct(buf) + fdt_size_dt_struct(buf);
	memset((char *)buf + head, 0, size - head - fdt_size_dt_strings(buf));
	e->size = size;
	e->err = 0;
	return true;
}

/* One sequential-write call, growing the buffer as often as it needs; the
 * first error sticks and turns every later call into nothing. */
#define SW(e, call)                                                            \
	do {                                                                   \
		while (!(e)->err && ((e)->err = (call)) != 0 && grow(e))      \
			;                                                      \
	} while (0)

static void fdt_begin(struct emit *e, const char *name)
{
	SW(e, fdt_begin_node(e->fdt, name));
}

static void fdt_prop(struct emit *e, const char *name, const void *v, int len)
{
	SW(e, fdt_property(e->fdt, name, v, len));
	if (!e->err)
		names_note(e->names, name);
}

static void fdt_end(struct emit *e)
{
	SW(e, fdt_end_node(e->fdt));
}

static void blob_props(const struct split *s, struct emit *e, int idx)
{
	const struct bnode *x = &s->b->v[idx];
	bool had_status = false;
	for (int k = 0; k < x->n_props; k++) {
		const struct bprop *bp = &s->b->props[x->prop + k];
		const char *name = bp->name;
		const void *v = bp->val;
		int len = bp->len;
		if (x->kind == BK_CHOSEN) {
			enum cedit ce = chosen_edit(s, name, &v, &len);
			if (ce == CE_DROP)
				continue;
		} else if (s->act[idx] == ACT_DISABLE && bp->status) {
			v = "disabled";
			len = sizeof("disabled");
			had_status = true;
		}
		e->prop(e, name, v, len);
	}
	if (s->act[idx] == ACT_DISABLE && !had_status)
		e_str(e, "status", "disabled");
	if (x->kind == BK_CHOSEN)
		gen_chosen_added(s, e);
}

static void blob_node(const struct split *s, struct emit *e, int idx);

/* The root's children: the memory node takes the place of the board's
 * first, /reserved-memory (when new) follows it, /chosen (when new) ends. */
static void blob_children(const struct split *s, struct emit *e, int idx)
{
	const struct board *b = s->b;
	if (idx == 0 && b->first_mem < 0) {
		gen_memory(s, e);
		if (b->rsv < 0)
			gen_rsv_new(s, e);
	}
	for (int c = idx + 1; c < b->v[idx].end && !e->err; c = b->v[c].end) {
		if (c == b->first_mem) {
			gen_memory(s, e);
			if (b->rsv < 0)
				gen_rsv_new(s, e);
		}
		if (s->act[c] != ACT_DROP)
			blob_node(s, e, c);
	}
	if (idx == 0 && b->chosen < 0) {
		e->begin(e, "chosen");
		gen_chosen_added(s, e);
		gen_mkimg(s, e);
		e->end(e);
	}
}

static void blob_node(const struct split *s, struct emit *e, int idx)
{
	const struct bnode *x = &s->b->v[idx];
	e->begin(e, x->name);
	blob_props(s, e, idx);
	blob_children(s, e, idx);
	if (x->kind == BK_RSV && idx == s->b->rsv)
		gen_rsv_children(s, e);
	if (x->kind == BK_CHOSEN && idx == s->b->chosen)
		gen_mkimg(s, e);
	e->end(e);
}

void work_free(struct work *w)
{
	free(w->buf);
	names_free(&w->names);
}

int build_blob(const struct split *s, struct work *w, void **dtb, size_t *size, struct diags *d)
{
	const void *fdt = s->b->fdt;
	struct emit e = {fdt_begin, fdt_prop, fdt_end, w->buf, 0, w->cap, 0, &w->names, NULL, 0};
	/* the last tree's size, or the board's with room for what is added */
	e.size = w->need ? w->need + w->need / 8 : fdt_totalsize(fdt) + 128 * (s->n_rc + s->n_ch);
	e.size = e.size < 4096 ? 4096 : e.size > INT_MAX ? INT_MAX : e.size;
	if (e.cap < e.size) {
		free(e.fdt);
		e.fdt = xmalloc(e.size);
		e.cap = e.size;
	}
	names_reset(&w->names);
	SW(&e, fdt_create_with_flags(e.fdt, (int)e.size, FDT_CREATE_FLAG_NO_NAME_DEDUP));
	int nrsv = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < nrsv && !e.err; i++) {
		uint64_t base, sz;
		e.err = fdt_get_mem_rsv(fdt, i, &base, &sz);
		SW(&e, fdt_add_reservemap_entry(e.fdt, base, sz));
	}
	SW(&e, fdt_finish_reservemap(e.fdt));
	blob_node(s, &e, 0);
	SW(&e, fdt_finish(e.fdt));
	w->buf = e.fdt; /* grow() may have moved it */
	w->cap = e.cap;
	w->need = e.err ? 0 : fdt_totalsize(e.fdt);
	if (!e.err)
		e.err = fold_strings(e.fdt, &w->names);
	if (e.err) {
		struct mk_loc loc = {.file = s->b->file};
		diag_error(d, &loc, NULL, "cannot build the device tree of node %u: %s", s->n->id, fdt_strerror(e.err));
		return -1;
	}
	/* The tree is booted on the node's first cpu: say so in the header,
	 * as that cpu's `reg` (its MPIDR's low word). */
	fdt_set_boot_cpuid_phys(e.fdt, (uint32_t)s->n->cpus[0].mpidr);
	*size = fdt_totalsize(e.fdt);
	*dtb = memcpy(xmalloc(*size), e.fdt, *size);
	return 0;
}
