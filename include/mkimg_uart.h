/* SPDX-License-Identifier: BSD-2-Clause */
/* mkimg_uart.h - the console UARTs the loader and the demo kernel print on.
 *
 * One table for both (freestanding C) and the host (which picks the kind):
 * per kind, where a byte is written, where the transmitter's state is
 * read, and which bit says it can take one. A board's UART is named by its
 * device node's compatible (uart_compatibles[], with UART_HOST_TABLE); a
 * 16550's registers are spaced by the tree's reg-shift and read with its
 * reg-io-width (1 or 4 bytes); every other kind is 32-bit at fixed offsets.
 * An unknown UART is UART_NONE: nothing is printed, nothing waits.
 *
 * Where each fact comes from (register manuals, as the drivers in Linux's
 * drivers/tty/serial/ and U-Boot's drivers/serial/ use them):
 *   PL011   DR 0x00, FR 0x18, FR.TXFF (bit 5) set while the FIFO is full
 *           (ARM PrimeCell UART PL011 TRM);
 *   16550   THR 0, LSR 5 (registers, times 1 << reg-shift), LSR.THRE
 *           (bit 5) set when it takes a byte (8250_port.c, ns16550.c);
 *   meson   WFIFO 0x00, STATUS 0x0c, STATUS.TX_FULL (bit 21) (meson_uart.c);
 *   i.MX    UTXD 0x40, UTS 0xb4, UTS.TXFULL (bit 4) (imx.c, serial_mxc.c);
 *   Cadence FIFO 0x30, SR 0x2c, SR.TXFULL (bit 4); CR 0x00, whose TXEN
 *           (bit 4) and TXDIS (bit 5) must say enabled, or it drops what
 *           it is given (xilinx_uartps.c; QEMU's cadence_uart models that,
 *           and its -kernel boot leaves the transmitter disabled);
 *   BCM2835 aux (mini UART) IO 0x00, LSR 0x14 from the node's reg (the aux
 *           block's 0x40), LSR bit 5 set when it takes a byte
 *           (BCM2835 ARM Peripherals, 2.2; 8250_bcm2835aux.c).
 */
#ifndef MKIMG_UART_H
#define MKIMG_UART_H

#include <stdint.h>

enum uart_kind {
	UART_NONE,
	UART_PL011,
	UART_NS16550,
	UART_MESON,
	UART_IMX,
	UART_CADENCE,
	UART_BCM2835_AUX,
	UART_KINDS
};

struct uart_desc {
	uint16_t tx, status;   /* register offsets (a 16550's: register numbers) */
	uint32_t bit;          /* the status bit */
	uint8_t ready_if_set;  /* 1: the bit set means "takes a byte"; 0: "full" */
};

static const struct uart_desc uart_descs[UART_KINDS] = {
	[UART_PL011] = {0x00, 0x18, 1u << 5, 0},
	[UART_NS16550] = {0, 5, 1u << 5, 1},
	[UART_MESON] = {0x00, 0x0c, 1u << 21, 0},
	[UART_IMX] = {0x40, 0xb4, 1u << 4, 0},
	[UART_CADENCE] = {0x30, 0x2c, 1u << 4, 0},
	[UART_BCM2835_AUX] = {0x00, 0x14, 1u << 5, 1},
};

#define UART_CADENCE_CR 0x00
#define UART_CADENCE_TXEN (1u << 4)
#define UART_CADENCE_TXDIS (1u << 5)
/* Polls of a full transmitter before a byte is dropped: a UART that never
 * drains must not stop the boot. */
#define UART_POLLS 1000000u

/* A console: its kind, registers' base, a 16550's reg-shift (0..3) and
 * access width (1 or 4 bytes); kind UART_NONE prints nothing. */
struct uart {
	uintptr_t base;
	uint32_t kind, shift, width;
};

static inline uint32_t uart_reg_read(const struct uart *u, uint32_t reg)
{
	uintptr_t at = u->base + ((uintptr_t)reg << u->shift);
	return u->width == 1 ? *(volatile uint8_t *)at : *(volatile uint32_t *)at;
}

static inline void uart_reg_write(const struct uart *u, uint32_t reg, uint32_t v)
{
	uintptr_t at = u->base + ((uintptr_t)reg << u->shift);
	if (u->width == 1)
		*(volatile uint8_t *)at = (uint8_t)v;
	else
		*(volatile uint32_t *)at = v;
}

/* A console that can be used as it is: a known kind, and for a 16550 a
 * shift and width the table allows; else one that prints nothing. */
static inline struct uart uart_make(uint64_t base, uint32_t kind, uint32_t shift, uint32_t width)
{
	struct uart u = {(uintptr_t)base, kind, shift, width};
	if (!base || kind == UART_NONE || kind >= UART_KINDS || shift > 3 || (width != 1 && width != 4) ||
	    (kind != UART_NS16550 && (shift || width != 4)))
		u.kind = UART_NONE;
	return u;
}

/* Make it take bytes where the firmware may not have (Cadence). */
static inline void uart_start(const struct uart *u)
{
	if (u->kind != UART_CADENCE)
		return;
	uint32_t cr = uart_reg_read(u, UART_CADENCE_CR);
	if ((cr & (UART_CADENCE_TXEN | UART_CADENCE_TXDIS)) != UART_CADENCE_TXEN)
		uart_reg_write(u, UART_CADENCE_CR, (cr & ~UART_CADENCE_TXDIS) | UART_CADENCE_TXEN);
}

static inline void uart_putc(const struct uart *u, char c)
{
	if (u->kind == UART_NONE || u->kind >= UART_KINDS)
		return;
	const struct uart_desc *d = &uart_descs[u->kind];
	for (uint32_t n = 0; n < UART_POLLS; n++) {
		uint32_t set = uart_reg_read(u, d->status) & d->bit;
		if (d->ready_if_set ? set != 0 : set == 0)
			break;
	}
	uart_reg_write(u, d->tx, (uint8_t)c);
}

#ifdef UART_HOST_TABLE
/* Which kind a device node is, by its compatible (the first that matches,
 * in the node's own order of preference). */
static const struct uart_compatible {
	const char *compatible;
	enum uart_kind kind;
} uart_compatibles[] = {
	{"arm,pl011", UART_PL011},
	{"arm,sbsa-uart", UART_PL011},
	{"ns16550a", UART_NS16550},
	{"ns16550", UART_NS16550},
	{"ns8250", UART_NS16550},
	{"snps,dw-apb-uart", UART_NS16550},
	{"amlogic,meson-gx-uart", UART_MESON},
	{"amlogic,meson-ao-uart", UART_MESON},
	{"amlogic,meson-uart", UART_MESON},
	{"fsl,imx21-uart", UART_IMX},
	{"fsl,imx6q-uart", UART_IMX},
	{"fsl,imx8mq-uart", UART_IMX},
	{"cdns,uart-r1p12", UART_CADENCE},
	{"cdns,uart-r1p8", UART_CADENCE},
	{"xlnx,xuartps", UART_CADENCE},
	{"xlnx,zynqmp-uart", UART_CADENCE},
	{"brcm,bcm2835-aux-uart", UART_BCM2835_AUX},
};

/* The kind of a node whose compatible property is `c` (`len` bytes of
 * NUL-terminated strings): the first of its strings the table knows. */
static inline enum uart_kind uart_kind_of(const char *c, int len)
{
	for (int at = 0; c && at < len;) {
		int n = 0;
		while (at + n < len && c[at + n])
			n++;
		for (unsigned i = 0; i < sizeof(uart_compatibles) / sizeof(uart_compatibles[0]); i++) {
			const char *k = uart_compatibles[i].compatible;
			int m = 0;
			while (m < n && k[m] == c[at + m])
				m++;
			if (m == n && !k[m])
				return uart_compatibles[i].kind;
		}
		at += n + 1;
	}
	return UART_NONE;
}

static const char *const uart_kind_names[UART_KINDS] = {
	[UART_NONE] = "none", [UART_PL011] = "pl011", [UART_NS16550] = "ns16550", [UART_MESON] = "meson",
	[UART_IMX] = "imx", [UART_CADENCE] = "cadence", [UART_BCM2835_AUX] = "bcm2835-aux",
};
#endif

#endif
