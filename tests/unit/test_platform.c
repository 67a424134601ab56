/* SPDX-License-Identifier: BSD-2-Clause */
/* test_platform.c - platform.c against the shipped board trees, the test
 * boards in tests/boards, and bad trees built here (as DTS text compiled by
 * dtc, with libfdt's sequential-write API, or by damaging a good blob). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdlib.h>
#include <unistd.h>

#include "platform.h"

#ifndef MKIMG_SOURCE_DIR
#define MKIMG_SOURCE_DIR ".."
#endif

#define QEMU_DIR MKIMG_SOURCE_DIR "/examples/qemu-arm-virt/platforms/"
#define BOARDS_DIR MKIMG_SOURCE_DIR "/tests/boards/"

/* --- helpers ----------------------------------------------------------- */

/* Is there a diagnostic of `level` with `check` (NULL: any) whose node is
 * `node` (NULL: any) and whose message contains `text` (NULL: any)? */
static bool has_diag(const struct diags *d, enum diag_level level, const char *check, const char *node,
		     const char *text)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *x = &d->v[i];
		if (x->level != level)
			continue;
		if (check && (!x->check || strcmp(x->check, check)))
			continue;
		if (node && (!x->loc.node || strcmp(x->loc.node, node)))
			continue;
		if (text && !strstr(x->msg, text))
			continue;
		return true;
	}
	return false;
}

static bool has_error(const struct diags *d, const char *check, const char *node, const char *text)
{
	return has_diag(d, DIAG_ERROR, check, node, text);
}

static void show(const struct diags *d)
{
	if (d->n)
		diag_print(stderr, d);
}

static void load_ok(struct platform *p, const char *path)
{
	struct diags d = {0};
	int rc = platform_load(p, path, &d);
	show(&d);
	assert_int_equal(rc, 0);
	assert_int_equal(d.errors, 0);
	diags_free(&d);
}

static char *write_temp(const void *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/test_platform-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Compile DTS text and parse it; returns platform_load's result. */
static int load_dts(struct platform *p, struct diags *d, const char *src)
{
	char *path = write_temp(src, strlen(src));
	int rc = platform_load(p, path, d);
	unlink(path);
	free(path);
	return rc;
}

/* The blob of a board, compiled by platform_load. */
static void *board_blob(const char *path, size_t *size)
{
	struct platform p;
	load_ok(&p, path);
	void *blob = p.fdt;
	*size = p.fdt_size;
	p.fdt = NULL;
	platform_free(&p);
	return blob;
}

static int parse_copy(struct platform *p, struct diags *d, const void *blob, size_t size)
{
	void *copy = xmalloc(size);
	memcpy(copy, blob, size);
	return platform_parse(p, "damaged.dtb", copy, size, d);
}

static const struct pf_device *device(const struct platform *p, const char *path)
{
	const struct pf_device *dev = platform_find_device(p, path);
	if (!dev)
		fail_msg("no device '%s'", path);
	return dev;
}

static void assert_range(struct mk_range r, uint64_t base, uint64_t size)
{
	assert_int_equal(r.base, base);
	assert_int_equal(r.size, size);
}

static void assert_irq(const struct pf_irq *irq, unsigned id, enum pf_irq_type type, uint32_t flags)
{
	assert_int_equal(irq->irq, id);
	assert_int_equal(irq->type, type);
	assert_int_equal(irq->flags, flags);
}

/* A minimal good tree as text; the error tests below change one thing. */
#define DTS_HEAD                                                                                   \
	"/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;\n"
#define DTS_MEMORY "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x10000000>; };\n"
#define DTS_CPUS                                                                                   \
	"cpus { #address-cells = <1>; #size-cells = <0>;\n"                                        \
	"  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"psci\"; }; };\n"
#define DTS_PSCI "psci { compatible = \"arm,psci-1.0\"; method = \"smc\"; };\n"
#define DTS_GIC                                                                                    \
	"gic: intc@8000000 { compatible = \"arm,gic-400\"; interrupt-controller;\n"                \
	"  #interrupt-cells = <3>; reg = <0 0x8000000 0 0x1000>, <0 0x8010000 0 0x2000>; };\n"
#define DTS_TAIL "};\n"
#define DTS_GOOD DTS_HEAD DTS_MEMORY DTS_CPUS DTS_PSCI DTS_GIC

/* Load DTS text expected to fail with `check` at `node` (NULL: any). */
static void expect_error(const char *src, const char *check, const char *node, const char *text)
{
	struct platform p;
	struct diags d = {0};
	int rc = load_dts(&p, &d, src);
	if (rc == 0 || !has_error(&d, check, node, text)) {
		show(&d);
		fail_msg("expected error [%s] at %s containing '%s'", check ? check : "-", node ? node : "-",
			 text ? text : "");
	}
	/* A failed parse leaves nothing behind. */
	assert_null(p.fdt);
	assert_null(p.devices);
	platform_free(&p);
	diags_free(&d);
}

/* Load DTS text whose defect is in one cpu or device (or the bus above it):
 * it reads, with a warning [check] at `node`, and that cpu or a device
 * records the defect as its `problem` (the plan refuses a node using it).
 * With `problem` false only the warning is expected. */
static void expect_soft(const char *src, const char *check, const char *node, const char *text, bool problem)
{
	struct platform p;
	struct diags d = {0};
	int rc = load_dts(&p, &d, src);
	if (rc != 0 || !has_diag(&d, DIAG_WARNING, check, node, text)) {
		show(&d);
		fail_msg("expected a warning [%s] at %s containing '%s'", check, node ? node : "-", text);
	}
	bool found = false;
	for (size_t i = 0; i < p.n_cpus; i++)
		found |= p.cpus[i].problem && strstr(p.cpus[i].problem, text);
	for (size_t i = 0; i < p.n_devices; i++)
		found |= p.devices[i].problem && strstr(p.devices[i].problem, text);
	if (found != problem)
		fail_msg("the defect '%s' is %srecorded as a cpu's or device's problem", text, found ? "" : "not ");
	platform_free(&p);
	diags_free(&d);
}
#define expect_problem(src, check, node, text) expect_soft((src), (check), (node), (text), true)

/* --- the shipped QEMU trees -------------------------------------------- */

static void test_qemu_2cpu(void **state)
{
	(void)state;
	struct platform p;
	load_ok(&p, QEMU_DIR "qemu-arm-virt-2cpu-2g.dts");

	assert_string_equal(p.model, "linux,dummy-virt");
	assert_int_equal(p.n_ram, 1);
	assert_range(p.ram[0], 0x40000000, 0x80000000);
	assert_int_equal(p.n_reserved, 0);
	assert_int_equal(p.n_usable, 1);
	assert_range(p.usable[0], 0x40000000, 0x80000000);

	assert_int_equal(p.n_cpus, 2);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(p.cpus[i].index, i);
		assert_int_equal(p.cpus[i].mpidr, i);
		assert_int_equal(p.cpus[i].enable, PF_ENABLE_PSCI);
	}
	assert_string_equal(p.cpus[0].path, "/cpus/cpu@0");
	assert_string_equal(p.cpus[1].path, "/cpus/cpu@1");
	assert_int_equal(p.psci, PF_PSCI_SMC);

	assert_int_equal(p.gic.version, 2);
	assert_string_equal(p.gic.path, "/intc@8000000");
	assert_range(p.gic.dist, 0x08000000, 0x10000);
	assert_range(p.gic.cpuif, 0x08010000, 0x10000);
	assert_int_equal(p.gic.phandle, 0x8003);

	const struct pf_device *uart = device(&p, "/pl011@9000000");
	assert_string_equal(uart->compatible, "arm,pl011");
	assert_int_equal(uart->n_regs, 1);
	assert_range(uart->regs[0], 0x9000000, 0x1000);
	assert_int_equal(uart->n_irqs, 1);
	assert_irq(&uart->irqs[0], 33, PF_IRQ_SPI, 4);
	assert_false(uart->essential);
	assert_false(uart->disabled);

	const struct pf_device *timer = device(&p, "/timer");
	assert_true(timer->essential);
	assert_int_equal(timer->n_regs, 0);
	assert_int_equal(timer->n_irqs, 4);
	static const unsigned ppi[] = {29, 30, 27, 26};
	for (size_t i = 0; i < 4; i++)
		assert_irq(&timer->irqs[i], ppi[i], PF_IRQ_PPI, 0x304);

	/* PCIe INTA..INTD through 'interrupt-map' (16 entries): SPIs 3..6, once each */
	const struct pf_device *pcie = device(&p, "/pcie@10000000");
	assert_int_equal(pcie->n_irqs, 4);
	for (size_t i = 0; i < 4; i++)
		assert_irq(&pcie->irqs[i], 35 + (unsigned)i, PF_IRQ_SPI, 4);

	const struct pf_device *gic = device(&p, "/intc@8000000");
	assert_true(gic->essential);
	assert_int_equal(gic->n_regs, 4);
	assert_int_equal(gic->n_irqs, 1);
	assert_irq(&gic->irqs[0], 25, PF_IRQ_PPI, 4);
	assert_int_equal(gic->phandle, 0x8003);

	/* Under the GIC's empty `ranges`: identity. */
	const struct pf_device *v2m = device(&p, "/intc@8000000/v2m@8020000");
	assert_int_equal(v2m->n_regs, 1);
	assert_range(v2m->regs[0], 0x8020000, 0x1000);

	/* Not devices. */
	assert_null(platform_find_device(&p, "/"));
	assert_null(platform_find_device(&p, "/memory@40000000"));
	assert_null(platform_find_device(&p, "/cpus/cpu@0"));
	assert_null(platform_find_device(&p, "/psci"));
	assert_null(platform_find_device(&p, "/chosen"));
	assert_null(platform_find_device(&p, "/platform-bus@c000000"));
	assert_null(platform_find_device(&p, "/pl011"));

	/* The tree's order is kept. */
	assert_string_equal(p.devices[0].path, "/fw-cfg@9020000");
	assert_string_equal(p.devices[1].path, "/virtio_mmio@a000000");

	assert_non_null(p.fdt);
	assert_int_equal(p.fdt_size, fdt_totalsize(p.fdt));
	platform_free(&p);
	assert_null(p.fdt);
	assert_int_equal(p.n_devices, 0);
	platform_free(&p); /* twice is fine */
}

static void test_qemu_gicv3(void **state)
{
	(void)state;
	struct platform p;
	load_ok(&p, QEMU_DIR "qemu-arm-virt-4cpu-2g-gicv3.dts");
	assert_int_equal(p.gic.version, 3);
	assert_range(p.gic.dist, 0x08000000, 0x10000);
	assert_range(p.gic.cpuif, 0x080a0000, 0xf60000);
	assert_int_equal(p.n_cpus, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(p.cpus[i].mpidr, i);
	assert_true(device(&p, p.gic.path)->essential);
	platform_free(&p);
}

static void test_qemu_all_examples_load(void **state)
{
	(void)state;
	static const char *const names[] = {"qemu-arm-virt-4cpu-2g.dts", "qemu-arm-virt-8cpu-2g.dts"};
	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s%s", QEMU_DIR, names[i]);
		struct platform p;
		load_ok(&p, path);
		assert_int_equal(p.gic.version, 2);
		assert_int_equal(p.n_cpus, i ? 8 : 4);
		platform_free(&p);
		free(path);
	}
}

/* A DTB file is read as it is, without dtc. */
static void test_load_dtb_file(void **state)
{
	(void)state;
	size_t size;
	void *blob = board_blob(QEMU_DIR "qemu-arm-virt-2cpu-2g.dts", &size);
	char *path = write_temp(blob, size);
	struct platform p;
	load_ok(&p, path);
	assert_int_equal(p.n_cpus, 2);
	assert_int_equal(p.fdt_size, size);
	assert_memory_equal(p.fdt, blob, size);
	platform_free(&p);
	unlink(path);
	free(path);
	free(blob);
}

/* --- the test boards --------------------------------------------------- */

static void test_spin_table_gicv2(void **state)
{
	(void)state;
	struct platform p;
	load_ok(&p, BOARDS_DIR "spin-table-gicv2.dts");

	assert_int_equal(p.n_ram, 1);
	assert_range(p.ram[0], 0, 0x3b400000);
	assert_int_equal(p.n_reserved, 1);
	assert_range(p.reserved[0], 0, 0x80000);
	assert_int_equal(p.n_usable, 1);
	assert_range(p.usable[0], 0x80000, 0x3b400000 - 0x80000);

	assert_int_equal(p.psci, PF_PSCI_NONE);
	assert_int_equal(p.n_cpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(p.cpus[i].index, i);
		assert_int_equal(p.cpus[i].mpidr, i);
		assert_int_equal(p.cpus[i].enable, PF_ENABLE_SPIN_TABLE);
		assert_int_equal(p.cpus[i].release_addr, 0xd8 + 8 * i);
	}

	assert_int_equal(p.gic.version, 2);
	assert_range(p.gic.dist, 0x40041000, 0x1000);
	assert_range(p.gic.cpuif, 0x40042000, 0x2000);

	/* Bus address 0x7e201000 is CPU address 0x3f201000. */
	const struct pf_device *uart = device(&p, "/soc@7e000000/serial@7e201000");
	assert_int_equal(uart->n_regs, 1);
	assert_range(uart->regs[0], 0x3f201000, 0x200);
	assert_int_equal(uart->n_irqs, 1);
	assert_irq(&uart->irqs[0], 32 + 57, PF_IRQ_SPI, 4);

	/* The second `ranges` entry. */
	assert_range(device(&p, "/soc@7e000000/local-intc@40000000")->regs[0], 0x40000000, 0x100);

	/* interrupts-extended: the GIC's interrupt is kept, the GPIO's not. */
	const struct pf_device *mmc = device(&p, "/soc@7e000000/mmc@7e300000");
	assert_range(mmc->regs[0], 0x3f300000, 0x100);
	assert_int_equal(mmc->n_irqs, 1);
	assert_irq(&mmc->irqs[0], 32 + 62, PF_IRQ_SPI, 4);

	const struct pf_device *button = device(&p, "/soc@7e000000/button@7e400000");
	assert_int_equal(button->n_irqs, 0);
	assert_range(button->regs[0], 0x3f400000, 0x10);

	const struct pf_device *gpio = device(&p, "/soc@7e000000/gpio@7e200000");
	assert_int_equal(gpio->n_irqs, 2);
	assert_int_not_equal(gpio->phandle, 0);

	const struct pf_device *spi = device(&p, "/soc@7e000000/spi@7e204000");
	assert_true(spi->disabled);
	/* On an SPI bus: not memory-mapped. */
	assert_int_equal(device(&p, "/soc@7e000000/spi@7e204000/flash@0")->n_regs, 0);

	assert_true(device(&p, "/timer")->essential);
	assert_irq(&device(&p, "/timer")->irqs[0], 29, PF_IRQ_PPI, 0xf08);
	assert_true(device(&p, "/interrupt-controller@40041000")->essential);
	assert_null(platform_find_device(&p, "/reserved-memory/firmware@0"));
	assert_null(platform_find_device(&p, "/soc@7e000000"));
	platform_free(&p);
}

static void test_two_banks_gicv3(void **state)
{
	(void)state;
	struct platform p;
	load_ok(&p, BOARDS_DIR "two-banks-gicv3.dts");

	assert_int_equal(p.n_ram, 2);
	assert_range(p.ram[0], 0x80000000, 0x40000000);
	assert_range(p.ram[1], 0x880000000, 0x80000000);
	assert_int_equal(p.n_reserved, 1);
	assert_range(p.reserved[0], 0x80000000, 0x200000);
	assert_int_equal(p.n_usable, 2);
	assert_range(p.usable[0], 0x80200000, 0x40000000 - 0x200000);
	assert_range(p.usable[1], 0x880000000, 0x80000000);

	assert_int_equal(p.psci, PF_PSCI_HVC);
	assert_int_equal(p.n_cpus, 2);
	assert_int_equal(p.cpus[0].mpidr, 0);
	assert_int_equal(p.cpus[1].mpidr, 0x100);
	assert_string_equal(p.cpus[1].path, "/cpus/cpu@100");
	assert_int_equal(p.cpus[1].enable, PF_ENABLE_PSCI);

	assert_int_equal(p.gic.version, 3);
	assert_range(p.gic.dist, 0x2f000000, 0x10000);
	assert_range(p.gic.cpuif, 0x2f100000, 0x200000);
	assert_range(device(&p, "/interrupt-controller@2f000000/its@2f020000")->regs[0], 0x2f020000, 0x20000);
	assert_irq(&device(&p, "/serial@1c090000")->irqs[0], 37, PF_IRQ_SPI, 4);
	assert_null(platform_find_device(&p, "/cpus/cpu-map/cluster0/core0"));
	platform_free(&p);
}

/* --- bad trees --------------------------------------------------------- */

static void test_good_minimal(void **state)
{
	(void)state;
	struct platform p;
	struct diags d = {0};
	assert_int_equal(load_dts(&p, &d, DTS_GOOD DTS_TAIL), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(p.n_devices, 1);
	platform_free(&p);
	diags_free(&d);
}

static void test_truncated(void **state)
{
	(void)state;
	size_t size;
	void *blob = board_blob(QEMU_DIR "qemu-arm-virt-2cpu-2g.dts", &size);
	struct platform p;
	struct diags d = {0};
	assert_int_equal(parse_copy(&p, &d, blob, size / 2), -1);
	assert_true(has_error(&d, "dtb-corrupt", NULL, "truncated device tree: header says"));
	assert_string_equal(d.v[0].loc.file, "damaged.dtb");
	diags_free(&d);

	/* Shorter than the header, and shorter than the magic. */
	assert_int_equal(parse_copy(&p, &d, blob, 20), -1);
	assert_true(has_error(&d, "dtb-corrupt", NULL, "truncated"));
	assert_int_equal(parse_copy(&p, &d, blob, 2), -1);
	assert_int_equal(parse_copy(&p, &d, blob, 0), -1);
	assert_int_equal(d.errors, 3);
	diags_free(&d);
	free(blob);
}

static void test_bad_magic(void **state)
{
	(void)state;
	size_t size;
	unsigned char *blob = board_blob(QEMU_DIR "qemu-arm-virt-2cpu-2g.dts", &size);
	blob[0] ^= 0xff;
	struct platform p;
	struct diags d = {0};
	assert_int_equal(parse_copy(&p, &d, blob, size), -1);
	assert_true(has_error(&d, "dtb-corrupt", NULL, "bad magic"));
	diags_free(&d);
	free(blob);
}

static void test_corrupt_structure(void **state)
{
	(void)state;
	size_t size;
	unsigned char *blob = board_blob(QEMU_DIR "qemu-arm-virt-2cpu-2g.dts", &size);
	/* The first tag of the structure block must be FDT_BEGIN_NODE. */
	uint32_t off = fdt_off_dt_struct(blob);
	memcpy(blob + off, "\0\0\0\x09", 4);
	struct platform p;
	struct diags d = {0};
	assert_int_equal(parse_copy(&p, &d, blob, size), -1);
	assert_true(has_error(&d, "dtb-corrupt", NULL, "corrupt device tree"));
	diags_free(&d);
	free(blob);
}

static void test_not_dts(void **state)
{
	(void)state;
	struct platform p;
	struct diags d = {0};
	assert_int_equal(load_dts(&p, &d, "/dts-v1/;\n/ { oops\n"), -1);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(d.v[0].msg, "cannot compile '"));
	assert_non_null(strstr(d.v[0].msg, "' with dtc: "));
	/* dtc's own first line follows, not a blank */
	assert_true(strlen(strstr(d.v[0].msg, "with dtc: ")) > strlen("with dtc: "));
	diags_free(&d);

	assert_int_equal(platform_load(&p, "/nonexistent/board.dtb", &d), -1);
	assert_true(has_error(&d, NULL, NULL, "cannot open '/nonexistent/board.dtb'"));
	diags_free(&d);
}

static void test_no_dtc(void **state)
{
	(void)state;
	char *old = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", "/nonexistent", 1);
	struct platform p;
	struct diags d = {0};
	int rc = load_dts(&p, &d, DTS_GOOD DTS_TAIL);
	setenv("PATH", old, 1);
	free(old);
	assert_int_equal(rc, -1);
	assert_true(has_error(&d, NULL, NULL, "device-tree-compiler"));
	diags_free(&d);
}

/* A tree without RAM reads (the manifest may give it); it says why. */
static void expect_no_ram(const char *src, const char *why)
{
	struct platform p;
	struct diags d = {0};
	assert_int_equal(load_dts(&p, &d, src), 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(p.n_ram, 0);
	assert_non_null(p.no_ram);
	assert_non_null(strstr(p.no_ram, why));
	platform_free(&p);
	diags_free(&d);
}

static void test_no_memory(void **state)
{
	(void)state;
	expect_no_ram(DTS_HEAD DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL, "no /memory node with a 'reg'");
	/* A memory node without `reg` counts for nothing. */
	expect_no_ram(DTS_HEAD "memory@0 { device_type = \"memory\"; };\n" DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		      "no /memory node");
	/* A placeholder of size 0. */
	expect_no_ram(DTS_HEAD "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0>; };\n"
		      DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL, "every size is 0");
}

static void test_memory_bad_reg(void **state)
{
	(void)state;
	expect_error(DTS_HEAD "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0x10000000>; };\n"
		     DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-memory", "/memory@40000000", "not a multiple of 16");
	/* Not even whole cells. */
	expect_error(DTS_HEAD "memory@40000000 { device_type = \"memory\"; reg = [00 01 02]; };\n"
		     DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-memory", "/memory@40000000", NULL);
	/* #address-cells = 3 at the root cannot be decoded. */
	expect_error("/dts-v1/;\n/ { #address-cells = <3>; #size-cells = <2>; interrupt-parent = <&gic>;\n"
		     "memory@0 { device_type = \"memory\"; reg = <0 0 0 0 0x1000>; };\n" DTS_CPUS DTS_PSCI
		     "gic: intc { compatible = \"arm,gic-400\"; interrupt-controller; #interrupt-cells = <3>; };\n"
		     DTS_TAIL,
		     "dtb-memory", "/", "#address-cells 3");
}

static void test_memory_overflow(void **state)
{
	(void)state;
	expect_error(DTS_HEAD "memory@ffffffff00000000 { device_type = \"memory\";"
		     " reg = <0xffffffff 0 0x1 0>; };\n" DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-memory", "/memory@ffffffff00000000", "overflows 64 bits");
	expect_error(DTS_HEAD DTS_MEMORY "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
		     "  fw@0 { reg = <0xffffffff 0xffffffff 0 2>; }; };\n" DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-memory", "/reserved-memory/fw@0", "overflows 64 bits");
	expect_error("/dts-v1/;\n/memreserve/ 0xfffffffffffff000 0x2000;\n/ {\n#address-cells = <2>;"
		     " #size-cells = <2>; interrupt-parent = <&gic>;\n" DTS_MEMORY DTS_CPUS DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-memory", NULL, "/memreserve/ entry 0");
}

static void test_no_cpus(void **state)
{
	(void)state;
	expect_error(DTS_HEAD DTS_MEMORY DTS_PSCI DTS_GIC DTS_TAIL, "dtb-cpus", NULL, "no /cpus node");
	expect_error(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>; cpu-map { }; };\n"
		     DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus", "no cpu nodes");
}

static void test_bad_cpus(void **state)
{
	(void)state;
	/* psci without a /psci node: a warning for a cpu that must be started
	 * (the plan refuses a node on it, [cpu-enable]); none for the loader's */
#define TWO_CPUS                                                                                   \
	"cpus { #address-cells = <1>; #size-cells = <0>;\n"                                        \
	"  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"psci\"; };\n"             \
	"  cpu@1 { device_type = \"cpu\"; reg = <1>; enable-method = \"psci\"; }; };\n"
	expect_soft(DTS_HEAD DTS_MEMORY TWO_CPUS DTS_GIC DTS_TAIL, "dtb-cpus", "/cpus/cpu@1", "no /psci node", false);
#undef TWO_CPUS
	/* psci with a bad method */
	expect_soft(DTS_HEAD DTS_MEMORY DTS_CPUS "psci { compatible = \"arm,psci\"; method = \"svc\"; };\n"
		    DTS_GIC DTS_TAIL, "dtb-psci", "/psci", "\"svc\"", false);
	/* spin-table without a release address */
	expect_problem(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"spin-table\"; }; };\n"
		     DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus/cpu@0", "cpu-release-addr");
	/* a 32-bit release address */
	expect_problem(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"spin-table\";"
		     " cpu-release-addr = <0xd8>; }; };\n" DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus/cpu@0", "cpu-release-addr");
	/* no reg, a duplicate MPIDR, bits outside the affinity fields */
	expect_problem(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; enable-method = \"psci\"; }; };\n" DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus/cpu@0", "MPIDR");
	expect_problem(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"psci\"; };\n"
		     "  cpu@1 { device_type = \"cpu\"; reg = <0>; enable-method = \"psci\"; }; };\n"
		     DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus/cpu@1", "also the one of '/cpus/cpu@0'");
	expect_problem(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; reg = <0x80000000>; enable-method = \"psci\"; }; };\n"
		     DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus/cpu@0", "affinity");
	expect_error(DTS_HEAD DTS_MEMORY "cpus { #address-cells = <3>; #size-cells = <0>;\n"
		     "  cpu@0 { device_type = \"cpu\"; reg = <0 0 0>; enable-method = \"psci\"; }; };\n"
		     DTS_PSCI DTS_GIC DTS_TAIL,
		     "dtb-cpus", "/cpus", "#address-cells is 3");
}

static void test_unknown_enable_method_warns(void **state)
{
	(void)state;
	struct platform p;
	struct diags d = {0};
	assert_int_equal(load_dts(&p, &d, DTS_HEAD DTS_MEMORY "cpus { #address-cells = <1>; #size-cells = <0>;\n"
				  "  cpu@0 { device_type = \"cpu\"; reg = <0>; enable-method = \"brcm,smp\"; }; };\n"
				  DTS_GIC DTS_TAIL),
			 0);
	assert_true(has_diag(&d, DIAG_WARNING, "dtb-cpus", "/cpus/cpu@0", "brcm,smp"));
	assert_int_equal(p.cpus[0].enable, PF_ENABLE_NONE);
	platform_free(&p);
	diags_free(&d);
}

static void test_no_gic(void **state)
{
	(void)state;
	expect_error(DTS_HEAD DTS_MEMORY DTS_CPUS DTS_PSCI
		     "gic: intc@8000000 { compatible = \"arm,gic-500\"; interrupt-controller;"
		     " #interrupt-cells = <3>; reg = <0 0x8000000 0 0x1000>; };\n" DTS_TAIL,
		     "dtb-gic", NULL, "no GIC");
	/* Compatible, but not an interrupt-controller. */
	expect_error(DTS_HEAD DTS_MEMORY DTS_CPUS DTS_PSCI
		     "gic: intc@8000000 { compatible = \"arm,gic-400\"; #interrupt-cells = <3>;"
		     " reg = <0 0x8000000 0 0x1000>, <0 0x8010000 0 0x2000>; };\n" DTS_TAIL,
		     "dtb-gic", NULL, "no GIC");
	/* One `reg` entry is not enough. */
	expect_error(DTS_HEAD DTS_MEMORY DTS_CPUS DTS_PSCI
		     "gic: intc@8000000 { compatible = \"arm,gic-v3\"; interrupt-controller;"
		     " #interrupt-cells = <3>; reg = <0 0x8000000 0 0x1000>; };\n" DTS_TAIL,
		     "dtb-gic", "/intc@8000000", "redistributors");
	expect_error(DTS_HEAD DTS_MEMORY DTS_CPUS DTS_PSCI
		     "gic: intc@8000000 { compatible = \"arm,gic-400\"; interrupt-controller;"
		     " #interrupt-cells = <2>; reg = <0 0x8000000 0 0x1000>, <0 0x8010000 0 0x2000>; };\n" DTS_TAIL,
		     "dtb-gic", "/intc@8000000", "#interrupt-cells");
}

static void test_irq_parent_missing(void **state)
{
	(void)state;
	expect_problem(DTS_GOOD "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupt-parent = <0x4242>;"
			      " interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "<0x4242> does not resolve");
	/* The root's interrupt-parent dangles: every device says so. */
	expect_problem("/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>; interrupt-parent = <0x77>;\n"
		     DTS_MEMORY DTS_CPUS DTS_PSCI DTS_GIC
		     "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "does not resolve");
	/* No interrupt-parent anywhere. */
	expect_problem("/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>;\n" DTS_MEMORY DTS_CPUS DTS_PSCI
		     DTS_GIC "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "no interrupt parent");
	/* Pointing at a node that is no interrupt controller. */
	expect_problem(DTS_GOOD "clk: clock { #clock-cells = <0>; };\n"
			      "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupt-parent = <&clk>;"
			      " interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "'/clock' is not an interrupt controller");
}

static void test_irq_parent_cycle(void **state)
{
	(void)state;
	expect_problem(DTS_GOOD "a: a { interrupt-parent = <&b>; };\n"
			      "b: b { interrupt-parent = <&a>; };\n"
			      "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupt-parent = <&a>;"
			      " interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "cycle");
	/* A node that names itself. */
	expect_problem(DTS_GOOD "s: uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupt-parent = <&s>;"
			      " interrupts = <0 1 4>; };\n" DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "cycle");
}

static void test_bad_interrupts(void **state)
{
	(void)state;
	expect_problem(DTS_GOOD "uart@9000000 { reg = <0 0x9000000 0 0x1000>; interrupts = <0 988 4>; };\n"
			      DTS_TAIL,
		     "dtb-irq", "/uart@9000000", "SPI 988");
	expect_problem(DTS_GOOD "t { interrupts = <1 16 4>; };\n" DTS_TAIL, "dtb-irq", "/t", "PPI 16");
	expect_problem(DTS_GOOD "t { interrupts = <7 1 4>; };\n" DTS_TAIL, "dtb-irq", "/t", "type 7");
	expect_problem(DTS_GOOD "t { interrupts = <0 1 4 0 2>; };\n" DTS_TAIL, "dtb-irq", "/t", "not a multiple");
	expect_problem(DTS_GOOD "t { interrupts-extended = <&gic 0 1>; };\n" DTS_TAIL, "dtb-irq", "/t",
		     "ends inside");
	expect_problem(DTS_GOOD "t { interrupts-extended = <0x999 0 1 4>; };\n" DTS_TAIL, "dtb-irq", "/t",
		     "<0x999> in 'interrupts-extended' does not resolve");
	expect_problem(DTS_GOOD "t { interrupts-extended = [00 00]; };\n" DTS_TAIL, "dtb-irq", "/t", "whole cells");
	expect_problem(DTS_GOOD "c: c { interrupt-controller; };\n"
			      "t { interrupts-extended = <&c 1>; };\n" DTS_TAIL,
		     "dtb-irq", "/t", "has no #interrupt-cells");
}

static void test_bad_device_reg(void **state)
{
	(void)state;
	expect_problem(DTS_GOOD "uart@9000000 { reg = <0 0x9000000 0x1000>; };\n" DTS_TAIL, "dtb-reg",
		     "/uart@9000000", "not a multiple of 16");
	expect_problem(DTS_GOOD "bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0>;\n"
			      "  dev@0 { reg = <0 4>; }; };\n" DTS_TAIL,
		     "dtb-reg", "/bus", "'ranges' is 12 bytes");
	expect_problem(DTS_GOOD "bus { #address-cells = <1>; #size-cells = <1>;"
			      " ranges = <0 0xffffffff 0xfffffff0 0x100>;\n"
			      "  dev@0 { reg = <0x10 4>; }; };\n" DTS_TAIL,
		     "dtb-reg", "/bus", "beyond 64 bits");
	expect_problem(DTS_GOOD "bus { #address-cells = [00 00 00 01 00]; ranges; dev@0 { reg = <0 4>; }; };\n"
			      DTS_TAIL,
		     "dtb-reg", "/bus", "#address-cells");
}

/* Odd but legal trees: warnings or quietly no regs, never errors. */
static void test_odd_devices(void **state)
{
	(void)state;
	struct platform p;
	struct diags d = {0};
	int rc = load_dts(&p, &d,
			  DTS_GOOD "bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x10 0x100>;\n"
				   "  in@10 { reg = <0x10 4>; };\n"
				   "  out@200 { reg = <0x200 4>, <0x20 8>; }; };\n"
				   "i2c { #address-cells = <1>; #size-cells = <0>; eeprom@50 { reg = <0x50>; }; };\n"
				   "nomap { #address-cells = <1>; #size-cells = <1>; dev@0 { reg = <0 4>; }; };\n"
				   "pci { #address-cells = <3>; #size-cells = <2>; ranges;"
				   " dev@0 { reg = <0 0 0 0 4>; }; };\n"
				   "noterm { compatible = [61 62]; status = [64 69]; reg = <0 0x1000 0 0x10>; };\n"
				   "ext { interrupts = <2 5 4>; };\n"
				   "four { interrupts-extended = <&gic 0 3 4>; status = \"fail-x\"; };\n" DTS_TAIL);
	show(&d);
	assert_int_equal(rc, 0);
	/* The bus's window [0, 0x100) sits at 0x10 of the root. */
	assert_range(device(&p, "/bus/in@10")->regs[0], 0x20, 4);
	/* 0x200 lies outside that window: dropped with a warning. */
	const struct pf_device *out = device(&p, "/bus/out@200");
	assert_int_equal(out->n_regs, 1);
	assert_range(out->regs[0], 0x30, 8);
	assert_true(has_diag(&d, DIAG_WARNING, "dtb-reg", "/bus/out@200", "outside"));
	assert_int_equal(device(&p, "/i2c/eeprom@50")->n_regs, 0);
	assert_int_equal(device(&p, "/nomap/dev@0")->n_regs, 0);
	assert_int_equal(device(&p, "/pci/dev@0")->n_regs, 0);
	const struct pf_device *nt = device(&p, "/noterm");
	assert_null(nt->compatible);
	assert_false(nt->disabled);
	assert_int_equal(device(&p, "/ext")->n_irqs, 0);
	assert_true(has_diag(&d, DIAG_WARNING, "dtb-irq", "/ext", "extended SPI 5"));
	assert_true(device(&p, "/four")->disabled);
	assert_int_equal(device(&p, "/four")->irqs[0].irq, 35);
	assert_int_equal(d.errors, 0);
	platform_free(&p);
	diags_free(&d);
}

/* 40 nested buses: the climb to the root's interrupt-parent is no cycle,
 * and every level's `ranges` adds 0x100. */
static void test_deep_nesting(void **state)
{
	(void)state;
	enum { DEPTH = 40 };
	char *src = xstrdup(DTS_GOOD);
	char *want = xstrdup("");
	for (int i = 0; i < DEPTH; i++) {
		char *t = xasprintf("%sb@%d { #address-cells = <1>; #size-cells = <1>; ranges = <0 %s0x100 0x10000>;\n",
				    src, i, i ? "" : "0 ");
		free(src);
		src = t;
		t = xasprintf("%s/b@%d", want, i);
		free(want);
		want = t;
	}
	char *t = xasprintf("%sleaf@40 { reg = <0x40 4>; interrupts = <0 3 4>; };\n", src);
	free(src);
	src = t;
	for (int i = 0; i < DEPTH; i++) {
		t = xasprintf("%s};\n", src);
		free(src);
		src = t;
	}
	t = xasprintf("%s" DTS_TAIL, src);
	free(src);
	src = t;
	t = xasprintf("%s/leaf@40", want);
	free(want);
	want = t;

	struct platform p;
	struct diags d = {0};
	int rc = load_dts(&p, &d, src);
	show(&d);
	assert_int_equal(rc, 0);
	const struct pf_device *leaf = device(&p, want);
	assert_int_equal(leaf->n_regs, 1);
	assert_range(leaf->regs[0], 0x40 + DEPTH * 0x100, 4);
	assert_int_equal(leaf->n_irqs, 1);
	assert_int_equal(leaf->irqs[0].irq, 35);
	platform_free(&p);
	diags_free(&d);
	free(src);
	free(want);
}

/* --- a blob built with libfdt's sequential-write API ------------------- */

enum sw_variant { SW_GOOD, SW_NO_CPU_NODES, SW_MEMORY_REG_ODD, SW_GIC_ONLY_V3_KIN };

static void prop_cells(void *fdt, const char *name, const uint32_t *v, size_t n)
{
	fdt32_t be[8];
	for (size_t i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_property(fdt, name, be, (int)(n * 4)), 0);
}

#define CELLS(fdt, name, ...)                                                                      \
	prop_cells((fdt), (name), (const uint32_t[]){__VA_ARGS__},                                 \
		   sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

static void *sw_tree(enum sw_variant v, size_t *size)
{
	size_t cap = 4096;
	void *fdt = xmalloc(cap);
	assert_int_equal(fdt_create(fdt, (int)cap), 0);
	assert_int_equal(fdt_add_reservemap_entry(fdt, 0x40000000, 0x1000), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	CELLS(fdt, "#address-cells", 1);
	CELLS(fdt, "#size-cells", 1);
	CELLS(fdt, "interrupt-parent", 1);

	assert_int_equal(fdt_begin_node(fdt, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	if (v == SW_MEMORY_REG_ODD)
		CELLS(fdt, "reg", 0x40000000, 0x10000000, 0x50000000);
	else
		CELLS(fdt, "reg", 0x40000000, 0x10000000);
	assert_int_equal(fdt_end_node(fdt), 0);

	assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
	CELLS(fdt, "#address-cells", 1);
	CELLS(fdt, "#size-cells", 0);
	if (v != SW_NO_CPU_NODES) {
		assert_int_equal(fdt_begin_node(fdt, "cpu@0"), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
		CELLS(fdt, "reg", 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);

	assert_int_equal(fdt_begin_node(fdt, "intc@8000000"), 0);
	if (v == SW_GIC_ONLY_V3_KIN)
		assert_int_equal(fdt_property(fdt, "compatible", "arm,gic-v3-its", 15), 0);
	else
		assert_int_equal(fdt_property(fdt, "compatible", "arm,gic-v3\0x", 13), 0);
	assert_int_equal(fdt_property(fdt, "interrupt-controller", "", 0), 0);
	CELLS(fdt, "#interrupt-cells", 3);
	CELLS(fdt, "phandle", 1);
	CELLS(fdt, "reg", 0x8000000, 0x10000, 0x80a0000, 0x100000);
	assert_int_equal(fdt_end_node(fdt), 0);

	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	*size = fdt_totalsize(fdt);
	return fdt;
}

static void test_sequential_write(void **state)
{
	(void)state;
	struct platform p;
	struct diags d = {0};
	size_t size;
	void *fdt = sw_tree(SW_GOOD, &size);
	assert_int_equal(platform_parse(&p, "sw.dtb", fdt, size, &d), 0);
	show(&d);
	assert_int_equal(p.gic.version, 3);
	assert_int_equal(p.gic.phandle, 1);
	assert_int_equal(p.n_reserved, 1);
	assert_int_equal(p.n_usable, 1);
	assert_range(p.usable[0], 0x40001000, 0x10000000 - 0x1000);
	assert_int_equal(p.cpus[0].enable, PF_ENABLE_NONE);
	assert_int_equal(p.psci, PF_PSCI_NONE);
	platform_free(&p);

	fdt = sw_tree(SW_NO_CPU_NODES, &size);
	assert_int_equal(platform_parse(&p, "sw.dtb", fdt, size, &d), -1);
	assert_true(has_error(&d, "dtb-cpus", "/cpus", NULL));
	fdt = sw_tree(SW_MEMORY_REG_ODD, &size);
	assert_int_equal(platform_parse(&p, "sw.dtb", fdt, size, &d), -1);
	assert_true(has_error(&d, "dtb-memory", "/memory@40000000", "12 bytes"));
	fdt = sw_tree(SW_GIC_ONLY_V3_KIN, &size);
	assert_int_equal(platform_parse(&p, "sw.dtb", fdt, size, &d), -1);
	assert_true(has_error(&d, "dtb-gic", NULL, NULL));
	assert_null(p.fdt);
	diags_free(&d);

	/* Owned even when it is rejected at once. */
	assert_int_equal(platform_parse(&p, "none.dtb", xmalloc(3), 3, &d), -1);
	diags_free(&d);
}

/* --- robustness -------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* Damaged copies of good blobs must be parsed or rejected, never crash
 * (run under -fsanitize=address,undefined to mean something). */
static void fuzz_one(const char *path, unsigned rounds)
{
	size_t size;
	unsigned char *blob = board_blob(path, &size);
	unsigned ok = 0;
	for (unsigned r = 0; r < rounds; r++) {
		unsigned char *copy = xmalloc(size);
		memcpy(copy, blob, size);
		unsigned flips = 1 + rng() % 4;
		for (unsigned i = 0; i < flips; i++) {
			size_t at = rng() % size;
			switch (rng() % 3) {
			case 0:
				copy[at] ^= (unsigned char)(1u << (rng() % 8));
				break;
			case 1:
				copy[at] = (unsigned char)rng();
				break;
			default:
				copy[at] = (unsigned char[]){0x00, 0xff, 0x01, 0x03, 0x20}[rng() % 5];
			}
		}
		size_t len = rng() % 16 ? size : rng() % (size + 1);
		struct platform p;
		struct diags d = {0};
		if (platform_parse(&p, "fuzz.dtb", copy, len, &d) == 0) {
			ok++;
			assert_int_equal(d.errors, 0);
			for (size_t i = 0; i < p.n_devices; i++)
				assert_non_null(p.devices[i].path);
		} else {
			assert_true(d.errors > 0);
			assert_null(p.fdt);
		}
		platform_free(&p);
		diags_free(&d);
	}
	/* Most single-byte damage lands in values the parser tolerates. */
	assert_true(ok > 0);
	free(blob);
}

static void test_fuzz(void **state)
{
	(void)state;
	fuzz_one(QEMU_DIR "qemu-arm-virt-2cpu-2g.dts", 3000);
	fuzz_one(BOARDS_DIR "spin-table-gicv2.dts", 3000);
	fuzz_one(BOARDS_DIR "two-banks-gicv3.dts", 3000);
}

static void test_misc(void **state)
{
	(void)state;
	struct platform p = {0};
	platform_free(&p);
	platform_free(NULL);
	assert_null(platform_find_device(&p, "/x"));
	assert_string_equal(pf_psci_name(PF_PSCI_NONE), "none");
	assert_string_equal(pf_psci_name(PF_PSCI_SMC), "smc");
	assert_string_equal(pf_psci_name(PF_PSCI_HVC), "hvc");
	assert_string_equal(pf_enable_name(PF_ENABLE_NONE), "none");
	assert_string_equal(pf_enable_name(PF_ENABLE_PSCI), "psci");
	assert_string_equal(pf_enable_name(PF_ENABLE_SPIN_TABLE), "spin-table");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_2cpu),
		cmocka_unit_test(test_qemu_gicv3),
		cmocka_unit_test(test_qemu_all_examples_load),
		cmocka_unit_test(test_load_dtb_file),
		cmocka_unit_test(test_spin_table_gicv2),
		cmocka_unit_test(test_two_banks_gicv3),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_corrupt_structure),
		cmocka_unit_test(test_not_dts),
		cmocka_unit_test(test_no_dtc),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_memory_bad_reg),
		cmocka_unit_test(test_memory_overflow),
		cmocka_unit_test(test_no_cpus),
		cmocka_unit_test(test_bad_cpus),
		cmocka_unit_test(test_unknown_enable_method_warns),
		cmocka_unit_test(test_no_gic),
		cmocka_unit_test(test_irq_parent_missing),
		cmocka_unit_test(test_irq_parent_cycle),
		cmocka_unit_test(test_bad_interrupts),
		cmocka_unit_test(test_bad_device_reg),
		cmocka_unit_test(test_odd_devices),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_sequential_write),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_misc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
