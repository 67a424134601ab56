/* SPDX-License-Identifier: BSD-2-Clause */
/* console.c - see console.h. */
#include "console.h"

#include "arch.h"

/* PL011 registers (32-bit) and flags. */
#define UART_DR 0x00
#define UART_FR 0x18
#define FR_BUSY (1u << 3) /* still sending */
#define FR_TXFF (1u << 5) /* transmit FIFO full */

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
static __attribute__((section(".data"))) volatile uint32_t *uart;

void console_attach(uint64_t va)
{
	uart = (volatile uint32_t *)va;
}

bool console_attached(void)
{
	return uart != 0;
}

static uint32_t flags(void)
{
	return uart[UART_FR / 4];
}

static void put(char c)
{
	while (flags() & FR_TXFF)
		cpu_relax();
	uart[UART_DR / 4] = (uint8_t)c;
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
		if (pos >= start && pos < start + slot / 4 && !(flags() & FR_BUSY))
			return;
		/* `yield`, not a bare spin: where vCPUs share a host thread
		 * (QEMU's single-threaded TCG) it lets the printing one run. */
		cpu_relax();
	}
}

void console_line(const char *s)
{
	if (!uart)
		return;
	wait_for_slot();
	while (*s)
		put(*s++);
	put('\r');
	put('\n');
}
