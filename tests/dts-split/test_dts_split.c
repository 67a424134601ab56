/* SPDX-License-Identifier: BSD-2-Clause */
/* test_dts_split.c - the dts-split library through its API: a plan without
 * a manifest (rebuilt from JSON), read back with libfdt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "dts_split.h"
#include "plan_json.h"
#include "platform.h"

#include <dirent.h>
#include <libfdt.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOARD MKIMG_SOURCE_DIR "/tests/boards/split/gicv3-banks.dts"
#define PLAN MKIMG_SOURCE_DIR "/tests/boards/split/gicv3-banks.plan.json"

struct fixture {
	struct platform pf;
	struct plan_json pj;
	struct diags d;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (platform_load(&f->pf, BOARD, &f->d) < 0 || plan_json_load(&f->pj, PLAN, &f->pf, &f->d) < 0) {
		diag_print(stderr, &f->d);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	plan_json_free(&f->pj);
	platform_free(&f->pf);
	diags_free(&f->d);
	free(f);
	return 0;
}

static bool has_check(const struct diags *d, const char *check)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].check && !strcmp(d->v[i].check, check))
			return true;
	return false;
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
	int off = fdt_path_offset(fdt, path);
	return off < 0 ? NULL : fdt_getprop(fdt, off, prop, NULL);
}

static uint32_t u32(const void *fdt, const char *path, const char *prop)
{
	int len, off = fdt_path_offset(fdt, path);
	assert_true(off >= 0);
	const fdt32_t *v = fdt_getprop(fdt, off, prop, &len);
	assert_non_null(v);
	assert_int_equal(len, 4);
	return fdt32_ld(v);
}

/* The DT spec wants the padding after names and values zero; libfdt leaves
 * it to whoever gave it the buffer (the test runs with MALLOC_PERTURB_). */
static bool padding_zero(const void *fdt)
{
	int off = 0, next, tag;
	while ((tag = fdt_next_tag(fdt, off, &next)) != FDT_END && next >= 0) {
		const char *p = fdt_offset_ptr(fdt, off, next - off);
		int used = 4;
		if (tag == FDT_BEGIN_NODE)
			used += (int)strlen(p + 4) + 1;
		else if (tag == FDT_PROP)
			used += 8 + (int)fdt32_ld((const fdt32_t *)(p + 4));
		for (int i = used; i < next - off; i++)
			if (p[i])
				return false;
		off = next;
	}
	return true;
}

static void test_blob(void **state)
{
	struct fixture *f = *state;
	struct plan *p = &f->pj.plan;
	void *dtb;
	size_t size;
	assert_null(p->manifest_dir); /* no manifest behind it */
	assert_int_equal(dts_split_node(p, &p->nodes[2], &dtb, &size, &f->d), 0);
	assert_int_equal(fdt_check_full(dtb, size), 0);
	assert_true(padding_zero(dtb));

	/* RAM: both ranges, in one node named after the first */
	int len, off = fdt_path_offset(dtb, "/memory@60000000");
	assert_true(off >= 0);
	const fdt32_t *reg = fdt_getprop(dtb, off, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(fdt32_ld(&reg[1]), 0x60000000);
	assert_int_equal(fdt32_ld(&reg[4]), 0x8);
	assert_int_equal(fdt32_ld(&reg[5]), 0xd0000000);
	assert_true(fdt_path_offset(dtb, "/memory@40000000") < 0);
	assert_true(fdt_path_offset(dtb, "/memory@880000000") < 0);

	/* cpus: its own, with its phandle, the cache it points at; no cpu-map */
	const void *board = f->pf.fdt;
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@1") >= 0);
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@0") < 0);
	assert_true(fdt_path_offset(dtb, "/cpus/cpu-map") < 0);
	assert_int_equal(fdt_get_phandle(dtb, fdt_path_offset(dtb, "/cpus/cpu@1")),
			 fdt_get_phandle(board, fdt_path_offset(board, "/cpus/cpu@1")));
	assert_int_equal(u32(dtb, "/cpus/cpu@1", "next-level-cache"),
			 fdt_get_phandle(dtb, fdt_path_offset(dtb, "/cpus/l2-cache")));
	assert_int_equal(fdt_boot_cpuid_phys(dtb), 0x1);

	/* devices: owned, bus with an owned... , foreign, already disabled */
	assert_null(str(dtb, "/soc@a000000/gpio@30000", "status"));
	assert_string_equal(str(dtb, "/soc@a000000/ethernet@40000", "status"), "disabled");
	assert_string_equal(str(dtb, "/soc@a000000/i2c@10000", "status"), "disabled");
	assert_string_equal(str(dtb, "/serial@9040000", "status"), "disabled");
	assert_null(str(dtb, "/serial@9000000", "status")); /* the console */
	assert_null(str(dtb, "/interrupt-controller@8000000/msi-controller@8080000", "status"));
	assert_null(str(dtb, "/pmu", "status"));

	/* /chosen */
	assert_string_equal(str(dtb, "/chosen", "stdout-path"), "/serial@9000000");
	assert_int_equal(u32(dtb, "/chosen", DTS_SPLIT_NODE_ID), 2);
	assert_int_equal(u32(dtb, "/chosen/mkimg/channel-0", "sgi"), 1);
	assert_string_equal(str(dtb, "/chosen/mkimg/channel-0", "direction"), "receive");
	assert_int_equal(u32(dtb, "/chosen/mkimg/channel-0", "peer"), 1);
	assert_int_equal(u32(dtb, "/chosen/mkimg/channel-0", "peer-cpu"), 2);
	assert_string_equal(str(dtb, "/chosen/mkimg/pool@8c0000000", "label"), "pair");
	assert_non_null(str(dtb, "/reserved-memory/pool@8c0000000", DTS_SPLIT_MEMBER));
	free(dtb);
}

/* Node 0 owns the rtc behind the i2c controller: the controller stays. */
static void test_bus_stays(void **state)
{
	struct fixture *f = *state;
	struct plan *p = &f->pj.plan;
	void *dtb;
	size_t size;
	assert_int_equal(dts_split_node(p, &p->nodes[0], &dtb, &size, &f->d), 0);
	assert_null(str(dtb, "/soc@a000000/i2c@10000", "status"));
	assert_null(str(dtb, "/soc@a000000/i2c@10000/rtc@68", "status"));
	assert_null(str(dtb, "/reserved-memory/pool@8c0000000", DTS_SPLIT_MEMBER));
	assert_non_null(str(dtb, "/reserved-memory/pool@8c0000000", "no-map"));
	free(dtb);
}

static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	struct plan *p = &f->pj.plan;
	void *a, *b;
	size_t na, nb;
	char *ta, *tb;
	assert_int_equal(dts_split_node(p, &p->nodes[1], &a, &na, &f->d), 0);
	assert_int_equal(dts_split_node(p, &p->nodes[1], &b, &nb, &f->d), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_int_equal(dts_split_overlay(p, &p->nodes[1], &ta, &f->d), 0);
	assert_int_equal(dts_split_overlay(p, &p->nodes[1], &tb, &f->d), 0);
	assert_string_equal(ta, tb);
	free(a);
	free(b);
	free(ta);
	free(tb);
}

static void test_overlay(void **state)
{
	struct fixture *f = *state;
	struct plan *p = &f->pj.plan;
	char *t;
	assert_int_equal(dts_split_overlay(p, &p->nodes[1], &t, &f->d), 0);
	assert_null(strstr(t, "/dts-v1/"));
	assert_non_null(strstr(t, "/delete-node/ memory@40000000;"));
	assert_non_null(strstr(t, "/delete-node/ cpu-map;"));
	assert_non_null(strstr(t, "&{/soc@a000000/gpio@30000} {\n\tstatus = \"disabled\";"));
	assert_null(strstr(t, "&{/soc@a000000/ethernet@40000}"));
	free(t);
}

static void test_memory_outside(void **state)
{
	struct fixture *f = *state;
	struct plan_node n = f->pj.plan.nodes[0];
	struct mk_range bad = {0x100000000ull, 0x200000};
	struct diags d = {0};
	void *dtb = (void *)1;
	size_t size = 1;
	n.memory = &bad;
	n.n_memory = 1;
	assert_int_equal(dts_split_node(&f->pj.plan, &n, &dtb, &size, &d), -1);
	assert_null(dtb);
	assert_int_equal(size, 0);
	assert_true(has_check(&d, "memory-outside-ram"));
	diags_free(&d);
}

static void test_device_unknown(void **state)
{
	struct fixture *f = *state;
	struct plan_node n = f->pj.plan.nodes[0];
	const char *devs[] = {"/soc@a000000/nope@1"};
	struct diags d = {0};
	char *t;
	n.devices = devs;
	n.n_devices = 1;
	assert_int_equal(dts_split_overlay(&f->pj.plan, &n, &t, &d), -1);
	assert_true(has_check(&d, "device-unknown"));
	assert_non_null(strstr(d.v[0].msg, "/soc@a000000/nope@1"));
	diags_free(&d);
}

static void test_to_dts(void **state)
{
	struct fixture *f = *state;
	struct diags d = {0};
	char *t;
	assert_int_equal(dts_split_to_dts(f->pf.fdt, 20, &t, &d), -1);
	assert_int_equal(d.errors, 1);
	assert_int_equal(dts_split_to_dts(f->pf.fdt, f->pf.fdt_size, &t, &d), 0);
	assert_non_null(strstr(t, "compatible = \"arm,pl011\", \"arm,primecell\";"));
	assert_non_null(strstr(t, "reg = <0x0 0x9000000 0x0 0x1000>;"));
	free(t);
	diags_free(&d);
}

static bool empty_dir(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	int n = 0;
	assert_non_null(dir);
	while ((e = readdir(dir)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dir);
	return n == 0;
}

/* A folder deep enough that kernel.dtb fits PATH_MAX and
 * kernel-overlay.dts does not: the write fails half-way and must take away
 * every file and folder it made. */
static void test_write_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct diags d = {0};
	char top[] = "/tmp/dts-split-test-XXXXXX";
	assert_non_null(mkdtemp(top));
	char *out = xstrdup(top);
	while (strlen(out) + strlen("/node0/kernel-overlay.dts") < 4096 - 1) {
		size_t room = 4096 - 1 - strlen("/node0/kernel.dtb") - strlen(out) - 1;
		char part[201];
		memset(part, 'd', sizeof(part) - 1);
		part[room < 200 ? room : 200] = '\0';
		char *next = xasprintf("%s/%s", out, part);
		free(out);
		out = next;
	}
	assert_true(strlen(out) + strlen("/node0/kernel.dtb") < 4096);
	assert_int_equal(dts_split_write(&f->pj.plan, out, &d), -1);
	assert_true(d.errors > 0);
	assert_true(empty_dir(top));
	rmdir(top);
	free(out);
	diags_free(&d);
}

static void test_write_dtb_only(void **state)
{
	struct fixture *f = *state;
	struct diags d = {0};
	struct dts_split_times t;
	char top[] = "/tmp/dts-split-test-XXXXXX";
	assert_non_null(mkdtemp(top));
	char *out = xasprintf("%s/a/b", top);
	assert_int_equal(dts_split_write_ex(&f->pj.plan, out, DTS_SPLIT_DTB_ONLY, &t, &d), 0);
	for (size_t i = 0; i < f->pj.plan.n_nodes; i++) {
		char *dtb = xasprintf("%s/node%u/kernel.dtb", out, f->pj.plan.nodes[i].id);
		char *dts = xasprintf("%s/node%u/kernel.dts", out, f->pj.plan.nodes[i].id);
		struct stat st;
		assert_int_equal(stat(dtb, &st), 0);
		assert_true(st.st_size > 0);
		assert_int_equal(stat(dts, &st), -1);
		unlink(dtb);
		*strrchr(dtb, '/') = '\0';
		rmdir(dtb);
		free(dtb);
		free(dts);
	}
	assert_true(t.dtb_ns > 0);
	assert_int_equal(t.text_ns, 0);
	rmdir(out);
	*strrchr(out, '/') = '\0';
	rmdir(out);
	assert_true(empty_dir(top));
	rmdir(top);
	free(out);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob),
		cmocka_unit_test(test_bus_stays),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_memory_outside),
		cmocka_unit_test(test_device_unknown),
		cmocka_unit_test(test_to_dts),
		cmocka_unit_test(test_write_rolls_back),
		cmocka_unit_test(test_write_dtb_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
