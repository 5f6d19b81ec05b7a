/*
 * unik_stubs.c — the C side of the OCaml `Unik` library (unik.ml): thin calls
 * into unik.h. Compiled with the guest's app cflags against musl.
 *
 * The device functions are referenced weakly: a guest core without network or
 * block devices links all the same, and Unik.Net/Unik.Block raise
 * Unik.Unsupported (code -1) instead.
 */
#include <stdint.h>
#include <string.h>

#include <unik.h>

#define CAML_NAME_SPACE
#include <caml/alloc.h>
#include <caml/memory.h>
#include <caml/mlvalues.h>

#define CODE_UNSUPPORTED (-1)

#pragma weak unik_net_acquire
#pragma weak unik_net_write
#pragma weak unik_net_read
#pragma weak unik_block_acquire
#pragma weak unik_block_read
#pragma weak unik_block_write
#pragma weak unik_block_flush

static void put64(unsigned char *p, uint64_t v)
{
    memcpy(p, &v, sizeof v);    /* x86-64: little-endian, as Bytes.get_int64_le reads */
}

value unik_ml_console_write(value s, value ofs, value len)
{
    unik_console_write(String_val(s) + Long_val(ofs), (size_t)Long_val(len));
    return Val_unit;
}

int64_t unik_ml_clock_monotonic(value unit)
{
    (void)unit;
    return (int64_t)unik_clock_monotonic();
}

value unik_ml_clock_monotonic_byte(value unit)
{
    return caml_copy_int64(unik_ml_clock_monotonic(unit));
}

int64_t unik_ml_clock_wall(value unit)
{
    (void)unit;
    return (int64_t)unik_clock_wall();
}

value unik_ml_clock_wall_byte(value unit)
{
    return caml_copy_int64(unik_ml_clock_wall(unit));
}

int64_t unik_ml_yield(int64_t deadline)
{
    unik_handle_set_t ready = 0;
    unik_yield((unik_time_t)deadline, &ready);
    return (int64_t)ready;
}

value unik_ml_yield_byte(value deadline)
{
    return caml_copy_int64(unik_ml_yield(Int64_val(deadline)));
}

/* Fills buf with handle (8 bytes), mtu (8), mac (6). */
value unik_ml_net_acquire(value name, value buf)
{
    CAMLparam2(name, buf);
    if (!unik_net_acquire)
        CAMLreturn(Val_int(CODE_UNSUPPORTED));
    unik_handle_t h = 0;
    struct unik_net_info info;
    memset(&info, 0, sizeof info);
    unik_result_t rc = unik_net_acquire(String_val(name), &h, &info);
    if (rc == UNIK_OK) {
        unsigned char *b = Bytes_val(buf);
        put64(b, h);
        put64(b + 8, info.mtu);
        memcpy(b + 16, info.mac_address, 6);
    }
    CAMLreturn(Val_int(rc));
}

value unik_ml_net_write(value h, value buf, value ofs, value len)
{
    if (!unik_net_write)
        return Val_int(CODE_UNSUPPORTED);
    return Val_int(unik_net_write((unik_handle_t)Long_val(h),
                                  Bytes_val(buf) + Long_val(ofs), (size_t)Long_val(len)));
}

/* The frame's length, or -(result code). */
value unik_ml_net_read(value h, value buf, value ofs, value len)
{
    if (!unik_net_read)
        return Val_int(-CODE_UNSUPPORTED);
    size_t got = 0;
    unik_result_t rc = unik_net_read((unik_handle_t)Long_val(h), Bytes_val(buf) + Long_val(ofs),
                                     (size_t)Long_val(len), &got);
    return rc == UNIK_OK ? Val_long((long)got) : Val_int(-(int)rc);
}

/* Fills buf with handle (8 bytes), capacity (8), block size (8). */
value unik_ml_block_acquire(value name, value buf)
{
    CAMLparam2(name, buf);
    if (!unik_block_acquire)
        CAMLreturn(Val_int(CODE_UNSUPPORTED));
    unik_handle_t h = 0;
    struct unik_block_info info;
    memset(&info, 0, sizeof info);
    unik_result_t rc = unik_block_acquire(String_val(name), &h, &info);
    if (rc == UNIK_OK) {
        unsigned char *b = Bytes_val(buf);
        put64(b, h);
        put64(b + 8, info.capacity);
        put64(b + 16, info.block_size);
    }
    CAMLreturn(Val_int(rc));
}

value unik_ml_block_flush(value h)
{
    if (!unik_block_flush)
        return Val_int(CODE_UNSUPPORTED);
    return Val_int(unik_block_flush((unik_handle_t)Long_val(h)));
}

value unik_ml_block_io(value write, value h, value offset, value buf, value ofs, value len)
{
    if (!unik_block_read || !unik_block_write)
        return Val_int(CODE_UNSUPPORTED);
    unik_handle_t dev = (unik_handle_t)Long_val(h);
    uint64_t off = (uint64_t)Long_val(offset);
    uint8_t *p = (uint8_t *)Bytes_val(buf) + Long_val(ofs);
    size_t n = (size_t)Long_val(len);
    unik_result_t rc = Bool_val(write) ? unik_block_write(dev, off, p, n)
                                       : unik_block_read(dev, off, p, n);
    return Val_int(rc);
}

value unik_ml_block_io_byte(value *argv, int argn)
{
    (void)argn;
    return unik_ml_block_io(argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]);
}
