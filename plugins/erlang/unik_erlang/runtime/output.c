/*
 * output.c — the console: buffered output (flushed before waiting, halting or
 * crashing; stderr unbuffered), UTF-8 of character data, and the VM's own term printer (for
 * erlang:display/1 and crash reports; io:format formats in Erlang, in OTP's
 * io_lib).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unik.h>
#include "vm.h"
#include "bits.h"
#include "maps.h"

static char obuf[8192];
static size_t olen;

void out_flush(void)
{
    if (olen) {
        unik_console_write(obuf, olen);
        olen = 0;
    }
}

void out_write(int fd, const void *buf, size_t len)
{
    if (fd == 2) {
        /* stderr is unbuffered, as in erl; what stdout holds goes first so a
         * shared terminal shows both in the order they were written */
        out_flush();
        for (const char *b = buf; len > 0;) {
            ssize_t n = write(2, b, len);
            if (n <= 0)
                return;
            b += n;
            len -= (size_t)n;
        }
        return;
    }
    if (olen + len > sizeof obuf)
        out_flush();
    if (len > sizeof obuf) {
        unik_console_write(buf, len);
        return;
    }
    memcpy(obuf + olen, buf, len);
    olen += len;
}

static void out_str(int fd, const char *s) { out_write(fd, s, strlen(s)); }

static void out_fmt(int fd, const char *fmt, ...)
{
    char b[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n > 0)
        out_write(fd, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
}

void fatal(const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    out_flush();
    out_str(2, "erlang vm: ");
    out_str(2, b);
    out_str(2, "\n");
    out_flush();
    unik_exit(2);
}

/* ---- character data ---- */

static int put_utf8(char **buf, size_t *len, size_t *cap, SInt c)
{
    if (c < 0 || c > 0x10ffff)
        return 0;
    if (*len + 4 > *cap) {
        *cap = *cap * 2 + 64;
        *buf = realloc(*buf, *cap);
        if (*buf == NULL)
            fatal("out of memory");
    }
    char *o = *buf + *len;
    if (c < 0x80) {
        o[0] = (char)c;
        *len += 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xc0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3f));
        *len += 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xe0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        *len += 3;
    } else {
        o[0] = (char)(0xf0 | (c >> 18));
        o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[3] = (char)(0x80 | (c & 0x3f));
        *len += 4;
    }
    return 1;
}

/* Deep lists of characters and binaries (taken as UTF-8) into UTF-8. 0: bad data. */
int chardata_to_utf8(Term t, char **buf, size_t *len, size_t *cap)
{
    while (is_cons(t)) {
        Term h = CAR(t);
        if (is_small(h)) {
            if (!put_utf8(buf, len, cap, small_val(h)))
                return 0;
        } else if (!chardata_to_utf8(h, buf, len, cap)) {
            return 0;
        }
        t = CDR(t);
    }
    if (is_nil(t))
        return 1;
    if (is_bitstring(t)) {
        uint64_t n;
        uint8_t *tofree;
        if (bits_size(t) % 8)
            return 0;
        const uint8_t *b = bits_bytes(t, &n, &tofree);
        if (*len + n > *cap) {
            *cap = *len + n + 64;
            *buf = realloc(*buf, *cap);
            if (*buf == NULL)
                fatal("out of memory");
        }
        memcpy(*buf + *len, b, n);
        *len += n;
        free(tofree);
        return 1;
    }
    return 0;
}

/* ---- printing terms (~w style) ---- */

int format_float_short(double d, char *out);

static int atom_needs_quotes(const char *s, size_t n)
{
    if (n == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
        return 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '@'))
            return 1;
    }
    static const char *const reserved[] = {
        "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
        "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
        "orelse", "receive", "rem", "try", "when", "xor", "maybe", "else", NULL};
    for (int i = 0; reserved[i]; i++)
        if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
            return 1;
    return 0;
}

static void print_atom(int fd, Term a)
{
    size_t n;
    const char *s = atom_name(a, &n);
    if (!atom_needs_quotes(s, n)) {
        out_write(fd, s, n);
        return;
    }
    out_write(fd, "'", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            out_write(fd, "\\", 1);
        out_write(fd, &s[i], 1);
    }
    out_write(fd, "'", 1);
}

static void print_int(int fd, Term t)
{
    if (is_small(t)) {
        out_fmt(fd, "%lld", (long long)small_val(t));
        return;
    }
    extern char *big_to_chars(Term t, int base, size_t *len, int *neg);
    size_t n;
    int neg;
    char *s = big_to_chars(t, 10, &n, &neg);
    if (neg)
        out_write(fd, "-", 1);
    out_write(fd, s, n);
    free(s);
}

/* erlang:display/1 shows strings, printable binaries and floats its own way
 * (1); crash reports show printable lists as strings (2), as erl's logger does */
static int display_mode;

static int display_char_ok(Term c)
{
    if (!is_small(c))
        return 0;
    SInt v = small_val(c);
    return v == '\n' || v == '\t' || v == '\r' || (v >= 32 && v <= 126) || (v >= 160 && v <= 255);
}

static int print_display_special(int fd, Term t)
{
    if (is_cons(t)) {
        Term l = t;
        for (; is_cons(l); l = CDR(l))
            if (!display_char_ok(CAR(l)))
                return 0;
        if (!is_nil(l))
            return 0;
        out_write(fd, "\"", 1);
        for (l = t; is_cons(l); l = CDR(l)) {
            char c = (char)small_val(CAR(l));
            const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" :
                              c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            if (esc)
                out_write(fd, esc, 2);
            else
                out_write(fd, &c, 1);
        }
        out_write(fd, "\"", 1);
        return 1;
    }
    if (display_mode == 2)
        return 0;
    if (is_float(t)) {
        out_fmt(fd, "%e", float_val(t));
        return 1;
    }
    if (is_bitstring(t) && bits_size(t) % 8 == 0 && bits_size(t) > 0) {
        BitView v;
        bits_view(t, &v);
        for (uint64_t i = 0; i < v.bits; i += 8) {
            unsigned c = bits_byte(&v, i);
            if (c < 32 || c > 126)
                return 0;
        }
        out_write(fd, "<<\"", 3);
        for (uint64_t i = 0; i < v.bits; i += 8) {
            char c = (char)bits_byte(&v, i);
            if (c == '"' || c == '\\')
                out_write(fd, "\\", 1);
            out_write(fd, &c, 1);
        }
        out_write(fd, "\">>", 3);
        return 1;
    }
    return 0;
}

void display_term(int fd, Term t)
{
    display_mode = 1;
    print_term(fd, t);
    display_mode = 0;
}

struct map_print { int fd, n; };

static void print_pair(Term k, Term v, void *ctx)
{
    struct map_print *c = ctx;
    if (c->n++)
        out_str(c->fd, ",");
    print_term(c->fd, k);
    out_str(c->fd, display_mode ? "=>" : " => ");
    print_term(c->fd, v);
}

void print_term(int fd, Term t)
{
    if (display_mode && print_display_special(fd, t))
        return;
    switch (TAG(t)) {
    case T_SMALL:
        print_int(fd, t);
        return;
    case T_ATOM:
        print_atom(fd, t);
        return;
    case T_PID:
        out_fmt(fd, "<0.%llu.0>", (unsigned long long)pid_index(t));
        return;
    case T_IMM2:
        if (t == NIL)
            out_str(fd, "[]");
        else if (is_ref(t))
            out_fmt(fd, "#Ref<0.0.0.%llu>", (unsigned long long)(t >> 6));
        else
            out_str(fd, "<?>");
        return;
    case T_CONS:
        out_str(fd, "[");
        for (;;) {
            print_term(fd, CAR(t));
            t = CDR(t);
            if (is_cons(t)) {
                out_str(fd, ",");
                continue;
            }
            if (!is_nil(t)) {
                out_str(fd, "|");
                print_term(fd, t);
            }
            break;
        }
        out_str(fd, "]");
        return;
    case T_BOXED:
        break;
    default:
        out_str(fd, "<?>");
        return;
    }
    switch (box_subtag(t)) {
    case S_TUPLE: {
        out_str(fd, "{");
        for (uint64_t i = 0; i < tuple_size(t); i++) {
            if (i)
                out_str(fd, ",");
            print_term(fd, tuple_ptr(t)[i]);
        }
        out_str(fd, "}");
        return;
    }
    case S_FLOAT: {
        char b[64];
        format_float_short(float_val(t), b);
        out_str(fd, b);
        return;
    }
    case S_BIGPOS: case S_BIGNEG:
        print_int(fd, t);
        return;
    case S_BIN: case S_SUBBIN: case S_REFBIN: {
        BitView v;
        bits_view(t, &v);
        out_str(fd, "<<");
        uint64_t i;
        for (i = 0; i + 8 <= v.bits; i += 8)
            out_fmt(fd, i ? ",%u" : "%u", bits_byte(&v, i));
        if (i < v.bits) {
            unsigned rest = 0, n = (unsigned)(v.bits - i);
            for (uint64_t k = i; k < v.bits; k++)
                rest = (rest << 1) | bits_bit(&v, k);
            out_fmt(fd, i ? ",%u:%u" : "%u:%u", rest, n);
        }
        out_str(fd, ">>");
        return;
    }
    case S_MAP: case S_HMAP: {
        struct map_print c = {fd, 0};
        out_str(fd, "#{");
        map_foreach(t, print_pair, &c);
        out_str(fd, "}");
        return;
    }
    case S_FUN: {
        const struct erl_fun *f = &erl_funs[small_val(box_ptr(t)[1])];
        out_str(fd, "#Fun<");
        print_atom(fd, make_atom(f->module));
        out_fmt(fd, ".%u.%u>", f->old_index, f->uniq);
        return;
    }
    case S_EXPORT: {
        out_str(fd, "fun ");
        print_atom(fd, box_ptr(t)[1]);
        out_str(fd, ":");
        print_atom(fd, box_ptr(t)[2]);
        out_fmt(fd, "/%lld", (long long)small_val(box_ptr(t)[3]));
        return;
    }
    default:
        out_str(fd, "<?>");
    }
}

/* erl's report header: "=ERROR REPORT==== 4-Dec-2026::22:07:17.624377 ===" (UTC:
 * the guest has no time zone); without a wall clock, no time */
static void report_header(int fd)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    uint64_t ns = unik_clock_wall();
    if (ns == 0) {
        out_str(fd, "=ERROR REPORT====\n");
        return;
    }
    uint64_t secs = ns / 1000000000u, us = ns % 1000000000u / 1000u;
    int64_t days = (int64_t)(secs / 86400u);
    uint64_t sod = secs % 86400u;
    /* the proleptic Gregorian date of a day count from 1970-01-01, in 400-year eras */
    int64_t z = days + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    out_fmt(fd, "=ERROR REPORT==== %d-%s-%lld::%02u:%02u:%02u.%06llu ===\n", (int)d,
            mon[m - 1], (long long)y, (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60),
            (unsigned)(sod % 60), (unsigned long long)us);
}

void crash_report(Proc *p)
{
    extern Term entry_pid;
    if (p->pid == entry_pid)
        return;         /* the entry's crash is reported when the VM stops */
    Term reason = p->freason;
    display_mode = 2;        /* {file, "m.erl"} as erl prints it */
    report_header(2);
    out_str(2, "Error in process ");
    print_term(2, p->pid);
    out_str(2, " with exit value:\n");
    if (p->fclass == AM(error)) {
        out_str(2, "{");
        print_term(2, reason);
        out_str(2, ",");
        print_term(2, p->ftrace);
        out_str(2, "}\n\n");
    } else {
        out_str(2, "{{nocatch,");
        print_term(2, reason);
        out_str(2, "},");
        print_term(2, p->ftrace);
        out_str(2, "}\n\n");
    }
    display_mode = 0;
}

/* The entry process died: erl prints this when its boot process crashes. */
void entry_crash_report(Term reason)
{
    display_mode = 2;
    out_str(2, "init terminating in do_boot (");
    print_term(2, reason);
    out_str(2, ")\n");
    display_mode = 0;
}

/* ---- the console as erl's standard_io with -noshell: a latin1 device ---- */

static void put_char_latin1(int fd, SInt c)
{
    if (c >= 0 && c < 256) {
        char b = (char)c;
        out_write(fd, &b, 1);
    } else {
        out_fmt(fd, "\\x{%llX}", (unsigned long long)c);
    }
}

/* Characters (code points) and binaries (UTF-8) written the way erl writes them:
 * code points below 256 as bytes, others as \x{HEX}. 0: not character data. */
int put_chardata(int fd, Term t)
{
    while (is_cons(t)) {
        Term h = CAR(t);
        if (is_small(h)) {
            if (small_val(h) < 0 || small_val(h) > 0x10ffff)
                return 0;
            put_char_latin1(fd, small_val(h));
        } else if (!put_chardata(fd, h)) {
            return 0;
        }
        t = CDR(t);
    }
    if (is_nil(t))
        return 1;
    if (!is_bitstring(t) || bits_size(t) % 8)
        return 0;
    uint64_t n;
    uint8_t *tofree;
    const uint8_t *s = bits_bytes(t, &n, &tofree);
    for (uint64_t i = 0; i < n;) {
        unsigned b = s[i];
        int len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 :
                  (b & 0xf8) == 0xf0 ? 4 : 0;
        SInt c = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
        int ok = len > 0 && i + (uint64_t)len <= n;
        for (int k = 1; ok && k < len; k++) {
            if ((s[i + (uint64_t)k] & 0xc0) != 0x80)
                ok = 0;
            else
                c = (c << 6) | (s[i + (uint64_t)k] & 0x3f);
        }
        if (!ok) {
            free(tofree);
            return 0;
        }
        put_char_latin1(fd, c);
        i += (uint64_t)len;
    }
    free(tofree);
    return 1;
}
