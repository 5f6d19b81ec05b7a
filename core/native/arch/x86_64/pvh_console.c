/*
 * pvh_console.c — the console of pvh-bare: 16550 UARTs, polled, 115200 8N1,
 * no interrupts. COM1 (0x3f8) carries stdout; COM2 (0x2f8), when the host
 * gave one (`unik run --host qemu` does), carries stderr and the core's own
 * lines — without it everything goes to COM1. Each byte waits for the
 * transmit holding register to be empty ("\n" goes out as "\r\n" so a
 * terminal shows lines); writes are unbuffered, so flush has nothing to do
 * and a crash loses nothing.
 */
#include "pvh.h"
#include <unik/x86.h>

#define COM1 0x3f8
#define COM2 0x2f8
#define UART_THR 0      /* transmit holding (write), DLAB=0 */
#define UART_DLL 0      /* divisor latch low, DLAB=1 */
#define UART_IER 1      /* interrupt enable, DLAB=0 */
#define UART_DLM 1      /* divisor latch high, DLAB=1 */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define UART_SCR 7      /* scratch: reads back what was written, if the UART exists */
#define LSR_THRE 0x20   /* transmit holding register empty */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

static uint16_t err_port = COM1;        /* COM2 once found */

static void uart_init(uint16_t base)
{
    outb(base + UART_IER, 0x00);
    outb(base + UART_LCR, LCR_DLAB);
    outb(base + UART_DLL, 1);            /* 115200 baud */
    outb(base + UART_DLM, 0);
    outb(base + UART_LCR, LCR_8N1);
    outb(base + UART_FCR, 0xc7);         /* FIFOs on and cleared, 14-byte trigger */
    outb(base + UART_MCR, 0x03);         /* DTR, RTS */
}

static int uart_present(uint16_t base)
{
    outb(base + UART_SCR, 0x5a);
    if (inb(base + UART_SCR) != 0x5a)
        return 0;
    outb(base + UART_SCR, 0xa5);
    return inb(base + UART_SCR) == 0xa5;
}

void pvh_console_init(void)
{
    uart_init(COM1);
    if (uart_present(COM2)) {
        uart_init(COM2);
        err_port = COM2;
    }
}

static void put(uint16_t base, char c)
{
    /* Bounded: a missing UART reads 0xff (THRE set), a wedged one is skipped. */
    for (unsigned i = 0; i < 1000000 && !(inb(base + UART_LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(base + UART_THR, (uint8_t)c);
}

static void uart_write(uint16_t base, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put(base, '\r');
        put(base, buf[i]);
    }
}

void pvh_console_write(const char *buf, size_t len)
{
    uart_write(err_port, buf, len);
}

void pvh_stream_write(int fd, const char *buf, size_t len)
{
    uart_write(fd == 2 ? err_port : COM1, buf, len);
}

void pvh_console_flush(void)
{
}
