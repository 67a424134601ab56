/* SPDX-License-Identifier: BSD-2-Clause */
/* console.c - see console.h. */
#include "console.h"

#include "mkimg_uart.h"

/* In .data, not BSS: the exception path reads them even if BSS was not
 * zeroed. */
static __attribute__((section(".data"))) struct uart con = {0, UART_NONE, 0, 4};
static __attribute__((section(".data"))) struct mkimg_sync lock = {0, 0, 0};

void console_attach(uint64_t va, uint32_t kind, uint32_t shift, uint32_t width)
{
	con = uart_make(va, kind, shift, width);
}

bool console_attached(void)
{
	return con.kind != UART_NONE;
}

void console_share(const struct mkimg_sync *s)
{
	lock = *s;
}

static void put(char c)
{
	uart_putc(&con, c);
}

void console_line(const char *s)
{
	if (con.kind == UART_NONE)
		return;
	mkimg_sync_lock(&lock);
	while (*s)
		put(*s++);
	put('\r');
	put('\n');
	mkimg_sync_unlock(&lock);
}
