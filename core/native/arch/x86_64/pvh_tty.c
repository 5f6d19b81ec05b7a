/*
 * pvh_tty.c — whether the host's stdout/stderr are terminals, under QEMU.
 *
 * A serial port cannot say what is behind it, so `unik run --host qemu`
 * passes it through QEMU's firmware configuration device (fw_cfg, I/O ports
 * 0x510/0x511, QEMU's docs/specs/fw_cfg.rst) as the file "opt/unik/tty"
 * holding "ROWSxCOLS ROWSxCOLS" for stdout and stderr ("0x0" = not a
 * terminal). Without fw_cfg or the file (another loader), neither is a
 * terminal — the safe answer: full buffering, no terminal codes.
 */
#include <unik/kernel.h>
#include <unik/x86.h>
#include "pvh.h"

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR  0x0019
#define TTY_FILE "opt/unik/tty"

static struct unik_winsize ttys[2];

static void select_key(uint16_t key)
{
    __asm__ volatile("outw %0, %1" : : "a"(key), "Nd"((uint16_t)FW_CFG_PORT_SEL));
}

static void read_data(void *buf, size_t n)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *parse_size(const char *s, struct unik_winsize *w)
{
    unsigned v[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        while (*s >= '0' && *s <= '9' && v[k] < 100000)
            v[k] = v[k] * 10 + (unsigned)(*s++ - '0');
        if (k == 0 && *s++ != 'x')
            return NULL;
    }
    w->rows = (uint16_t)(v[0] > 0xffff ? 0xffff : v[0]);
    w->cols = (uint16_t)(v[1] > 0xffff ? 0xffff : v[1]);
    return s;
}

void pvh_tty_init(void)
{
    char sig[4];
    select_key(FW_CFG_SIGNATURE);
    read_data(sig, 4);
    if (kmemcmp(sig, "QEMU", 4) != 0)
        return;
    uint8_t count[4];
    select_key(FW_CFG_FILE_DIR);
    read_data(count, 4);
    uint32_t n = be32(count);
    for (uint32_t i = 0; i < n && i < 4096; i++) {
        struct { uint8_t size[4]; uint8_t select[2]; uint8_t reserved[2]; char name[56]; } f;
        read_data(&f, sizeof f);
        f.name[55] = 0;
        if (kstrcmp(f.name, TTY_FILE) != 0)
            continue;
        char text[48];
        uint32_t len = be32(f.size);
        if (len >= sizeof text)
            return;
        select_key((uint16_t)(f.select[0] << 8 | f.select[1]));
        read_data(text, len);
        text[len] = 0;
        const char *s = parse_size(text, &ttys[0]);
        if (s && *s == ' ')
            parse_size(s + 1, &ttys[1]);
        return;
    }
}

const struct unik_winsize *pvh_stream_tty(int fd)
{
    const struct unik_winsize *w = &ttys[fd == 2 ? 1 : 0];
    return w->rows ? w : NULL;
}
