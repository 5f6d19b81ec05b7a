/*
 * pvh_console.c — the console of pvh-bare: a 16550 UART at I/O port 0x3f8
 * (QEMU's -serial / -nographic), polled, 115200 8N1, no interrupts. Each
 * byte waits for the transmit holding register to be empty ("\n" goes out
 * as "\r\n" so a terminal shows lines); writes are unbuffered, so flush has
 * nothing to do.
 */
#include "pvh.h"
#include <unik/x86.h>

#define COM1 0x3f8
#define UART_THR 0      /* transmit holding (write), DLAB=0 */
#define UART_DLL 0      /* divisor latch low, DLAB=1 */
#define UART_IER 1      /* interrupt enable, DLAB=0 */
#define UART_DLM 1      /* divisor latch high, DLAB=1 */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define LSR_THRE 0x20   /* transmit holding register empty */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void pvh_console_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DLL, 1);            /* 115200 baud */
    outb(COM1 + UART_DLM, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xc7);         /* FIFOs on and cleared, 14-byte trigger */
    outb(COM1 + UART_MCR, 0x03);         /* DTR, RTS */
}

static void put(char c)
{
    /* Bounded: a missing UART reads 0xff (THRE set), a wedged one is skipped. */
    for (unsigned i = 0; i < 1000000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

void pvh_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put('\r');
        put(buf[i]);
    }
}

void pvh_console_flush(void)
{
}
