/* SPDX-License-Identifier: BSD-2-Clause */
/* console.c - see console.h. */
#include "console.h"

#include "arch.h"
#include "mkimg_uart.h"

/* A PL011's flag register says when it has sent everything. */
#define PL011_FR 0x18
#define PL011_FR_BUSY (1u << 3)

#ifndef KERNEL_PRINT_SLOT
#define KERNEL_PRINT_SLOT 0
#endif
#ifndef KERNEL_PRINT_SLOTS
#define KERNEL_PRINT_SLOTS 1
#endif
#ifndef KERNEL_PRINT_SLOT_MS
#define KERNEL_PRINT_SLOT_MS 10
#endif

/* In .data, not BSS: the exception path reads it even if BSS was not zeroed. */
static __attribute__((section(".data"))) struct uart con = {0, UART_NONE, 0, 4};

void console_attach(uint64_t va, uint32_t kind, uint32_t shift, uint32_t width)
{
	con = uart_make(va, kind, shift, width);
}

bool console_attached(void)
{
	return con.kind != UART_NONE;
}

/* Still sending what it was given (a PL011 says so; the others are taken
 * to be idle once they take a byte). */
static bool busy(void)
{
	return con.kind == UART_PL011 && (uart_reg_read(&con, PL011_FR) & PL011_FR_BUSY);
}

static void put(char c)
{
	uart_putc(&con, c);
}

static void wait_for_slot(void)
{
	uint64_t freq = read_cntfrq_el0();
	if (KERNEL_PRINT_SLOTS <= 1 || freq == 0)
		return; /* alone, or no counter to share: print at once */
	uint64_t slot = freq / 1000 * KERNEL_PRINT_SLOT_MS;
	uint64_t frame = slot * KERNEL_PRINT_SLOTS;
	uint64_t start = slot * (KERNEL_PRINT_SLOT % KERNEL_PRINT_SLOTS);
	for (;;) {
		uint64_t pos = read_cntvct() % frame;
		if (pos >= start && pos < start + slot / 4 && !busy())
			return;
		/* `yield`, not a bare spin: where vCPUs share a host thread
		 * (QEMU's single-threaded TCG) it lets the printing one run. */
		cpu_relax();
	}
}

void console_line(const char *s)
{
	if (con.kind == UART_NONE)
		return;
	wait_for_slot();
	while (*s)
		put(*s++);
	put('\r');
	put('\n');
}
