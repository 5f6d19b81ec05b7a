/*
 * pvh_fwcfg.c — what `unik run --host qemu` tells the guest through QEMU's
 * firmware configuration device (fw_cfg, I/O ports 0x510/0x511, QEMU's
 * docs/specs/fw_cfg.rst), read once at boot:
 *   "opt/unik/tty"  "ROWSxCOLS ROWSxCOLS": the host terminal behind stdout
 *                   and stderr ("0x0": not a terminal) — a serial port
 *                   cannot say what is behind it;
 *   "opt/unik/wall" the host's wall clock (ns since the epoch) when it
 *                   started QEMU — microvm has no RTC to read. The guest's
 *                   wall clock runs from it on the TSC; it lags the host's
 *                   by QEMU's start-up time (tens of ms).
 * and, read when a driver asks (pvh_fwcfg_read), "opt/unik/net": the NICs'
 * addresses (virtio/virtio_net.c).
 * Without fw_cfg or a file (another loader): no terminal (full buffering,
 * the safe answer) and no wall clock (0), as before.
 */
#include <unik/kernel.h>
#include <unik/x86.h>
#include "pvh.h"

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR  0x0019
#define TTY_FILE "opt/unik/tty"
#define WALL_FILE "opt/unik/wall"

static struct unik_winsize ttys[2];
static unik_time_t wall_at_zero;        /* wall clock when monotonic was 0 */

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

struct fw_file {
    uint32_t size;
    uint16_t select;
};

/* The directory entries of the two files (size 0: absent). The directory
 * is read in one pass: selecting a file restarts the data port. */
static void find_files(struct fw_file *tty, struct fw_file *wall)
{
    uint8_t count[4];
    select_key(FW_CFG_FILE_DIR);
    read_data(count, 4);
    uint32_t n = be32(count);
    for (uint32_t i = 0; i < n && i < 4096; i++) {
        struct { uint8_t size[4]; uint8_t select[2]; uint8_t reserved[2]; char name[56]; } f;
        read_data(&f, sizeof f);
        f.name[55] = 0;
        struct fw_file *to = !kstrcmp(f.name, TTY_FILE) ? tty
                             : !kstrcmp(f.name, WALL_FILE) ? wall : NULL;
        if (to) {
            to->size = be32(f.size);
            to->select = (uint16_t)(f.select[0] << 8 | f.select[1]);
        }
    }
}

/* The file's text, NUL-terminated; 0 when absent or too long. */
static int read_file(const struct fw_file *f, char *text, size_t cap)
{
    if (!f->size || f->size >= cap)
        return 0;
    select_key(f->select);
    read_data(text, f->size);
    text[f->size] = 0;
    return 1;
}

void pvh_fwcfg_init(void)
{
    char sig[4];
    select_key(FW_CFG_SIGNATURE);
    read_data(sig, 4);
    if (kmemcmp(sig, "QEMU", 4) != 0)
        return;
    struct fw_file tty = { 0, 0 }, wall = { 0, 0 };
    find_files(&tty, &wall);
    char text[48];
    if (read_file(&tty, text, sizeof text)) {
        const char *s = parse_size(text, &ttys[0]);
        if (s && *s == ' ')
            parse_size(s + 1, &ttys[1]);
    }
    if (read_file(&wall, text, sizeof text)) {
        unik_time_t ns = 0;
        for (const char *p = text; *p >= '0' && *p <= '9' && ns < (1ll << 62) / 10; p++)
            ns = ns * 10 + (*p - '0');
        wall_at_zero = ns - pvh_clock_monotonic();
    }
}

unik_time_t pvh_clock_wall(void)
{
    return wall_at_zero > 0 ? wall_at_zero + pvh_clock_monotonic() : 0;
}

int pvh_fwcfg_read(const char *name, char *buf, size_t cap)
{
    char sig[4];
    select_key(FW_CFG_SIGNATURE);
    read_data(sig, 4);
    if (kmemcmp(sig, "QEMU", 4) != 0)
        return -1;
    uint8_t count[4];
    select_key(FW_CFG_FILE_DIR);
    read_data(count, 4);
    uint32_t n = be32(count);
    struct fw_file file = { 0, 0 };
    for (uint32_t i = 0; i < n && i < 4096; i++) {
        struct { uint8_t size[4]; uint8_t select[2]; uint8_t reserved[2]; char name[56]; } f;
        read_data(&f, sizeof f);
        f.name[55] = 0;
        if (!kstrcmp(f.name, name))
            file = (struct fw_file){ be32(f.size), (uint16_t)(f.select[0] << 8 | f.select[1]) };
    }
    return read_file(&file, buf, cap) ? (int)file.size : -1;
}

const struct unik_winsize *pvh_stream_tty(int fd)
{
    const struct unik_winsize *w = &ttys[fd == 2 ? 1 : 0];
    return w->rows ? w : NULL;
}
