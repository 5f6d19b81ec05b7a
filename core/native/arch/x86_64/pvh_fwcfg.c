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
 *   "opt/unik/stdin" the host's stdin, read whole by unik before QEMU
 *                   started (core/hosts/qemu.py): fd 0 reads it through,
 *                   then end of file. Read as the program asks, by DMA
 *                   (select + skip to where it is, then read) into a
 *                   bounce buffer in the image, or byte by byte on a
 *                   fw_cfg without DMA.
 * Without fw_cfg or a file (another loader): no terminal (full buffering,
 * the safe answer), no wall clock (0) and stdin at end of file.
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
#define STDIN_FILE "opt/unik/stdin"
#define FW_CFG_ID        0x0001
#define FW_CFG_ID_DMA    0x2
#define FW_CFG_PORT_DMA  0x514
#define FW_CFG_DMA_ERROR  0x01
#define FW_CFG_DMA_READ   0x02
#define FW_CFG_DMA_SKIP   0x04
#define FW_CFG_DMA_SELECT 0x08

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

static struct fw_file stdin_file;
static uint32_t stdin_off;              /* bytes of it fd 0 has read */
static int dma;

/* The directory entries of the files (size 0: absent). The directory
 * is read in one pass: selecting a file restarts the data port. */
static void find_files(struct fw_file *tty, struct fw_file *wall, struct fw_file *in)
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
                             : !kstrcmp(f.name, WALL_FILE) ? wall
                             : !kstrcmp(f.name, STDIN_FILE) ? in : NULL;
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
    find_files(&tty, &wall, &stdin_file);
    uint8_t id[4];
    select_key(FW_CFG_ID);
    read_data(id, 4);
    dma = (id[0] & FW_CFG_ID_DMA) != 0;
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

const struct unik_winsize *pvh_stream_tty(int fd)
{
    if (fd == 0)
        return NULL;                    /* stdin under QEMU is never a terminal */
    const struct unik_winsize *w = &ttys[fd == 2 ? 1 : 0];
    return w->rows ? w : NULL;
}

/* ---- stdin: the "opt/unik/stdin" file, then end of file ---- */

struct fw_dma {                         /* FWCfgDmaAccess, big-endian */
    uint32_t control;
    uint32_t length;
    uint64_t address;
};

static uint32_t bswap32(uint32_t v)
{
    return __builtin_bswap32(v);
}

/* One DMA operation; 0 when the device reports an error. */
static int dma_op(uint32_t control, uint32_t length, void *to)
{
    static volatile struct fw_dma op __attribute__((aligned(16)));
    op.control = bswap32(control);
    op.length = bswap32(length);
    op.address = __builtin_bswap64((uint64_t)(uintptr_t)to);
    uint64_t at = (uint64_t)(uintptr_t)&op;
    __asm__ volatile("" : : : "memory");
    outl(FW_CFG_PORT_DMA, bswap32((uint32_t)(at >> 32)));
    outl(FW_CFG_PORT_DMA + 4, bswap32((uint32_t)at));
    uint32_t c;
    while ((c = bswap32(op.control)) & ~FW_CFG_DMA_ERROR)
        cpu_relax();                    /* QEMU completes it before the out returns */
    return !(c & FW_CFG_DMA_ERROR);
}

/* DMA writes guest-physical memory: pages of the allocator (identity
 * mapped), not the caller's buffer (which may lie in memory mapped
 * elsewhere), taken on the first read. */
#define BOUNCE_PAGES 16
static uint8_t *bounce;

long pvh_stdin_read(void *buf, size_t len, size_t want)
{
    (void)want;                         /* everything is here already */
    uint32_t left = stdin_file.size - stdin_off;
    if (!left || !len)
        return 0;
    uint32_t n = len < left ? (uint32_t)len : left;
    if (dma && !bounce)
        bounce = (uint8_t *)(uintptr_t)page_alloc_raw(BOUNCE_PAGES, 1);
    if (dma && bounce) {
        if (n > BOUNCE_PAGES * 4096)
            n = BOUNCE_PAGES * 4096;
        if (!dma_op((uint32_t)stdin_file.select << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP,
                    stdin_off, NULL) ||
            !dma_op(FW_CFG_DMA_READ, n, bounce))
            return -5;                  /* EIO */
        kmemcpy(buf, bounce, n);
    } else {
        /* Nothing else reads fw_cfg after boot: the data port stays where
         * the last read left it. */
        if (!stdin_off)
            select_key(stdin_file.select);
        read_data(buf, n);
    }
    stdin_off += n;
    return n;
}

int pvh_stdin_ready(void)
{
    return 1;                           /* data or end of file: never a wait */
}
