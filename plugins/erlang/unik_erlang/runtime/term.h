/*
 * term.h — Erlang terms as 64-bit tagged words.
 *
 *   low 3 bits  meaning
 *   000         boxed pointer (to a header word); the word 0 is NONV ("no value")
 *   001         list cell pointer | 1 (two words: head, tail)
 *   010         small integer, value << 3 (61 bits, signed)
 *   011         atom, index << 3
 *   100         pid, process slot << 3
 *   101         other immediates, told apart by bits 3..5: [] (NIL), a code
 *               pointer (CP), a reference, and in the code only: x/y/float registers
 *   110         catch tag (code index << 3), only on a process stack
 *   111         header of a boxed object: arity << 8 | subtag << 3 | 7
 *
 * Boxed objects whose words are all terms (tuple, fun, sub-binary, match
 * context, map, export) are scanned by the collector; the others (float,
 * bignum, binary) hold raw words after the header.
 */
#ifndef ERL_TERM_H
#define ERL_TERM_H

#include <stdint.h>
#include <stddef.h>

typedef uint64_t Term;
typedef int64_t SInt;

#define NONV ((Term)0)
#define TAG(t) ((t) & 7)
#define T_BOXED 0
#define T_CONS 1
#define T_SMALL 2
#define T_ATOM 3
#define T_PID 4
#define T_IMM2 5
#define T_CATCH 6
#define T_HEADER 7

#define IMM2(t) ((t) & 0x3f)
#define I_NIL 0x05
#define I_CP 0x0d
#define I_REF 0x15
#define I_XREG 0x1d
#define I_YREG 0x25
#define I_FREG 0x2d
#define NIL ((Term)I_NIL)

#define SMALL_BITS 61
#define MAX_SMALL ((SInt)((1ULL << (SMALL_BITS - 1)) - 1))
#define MIN_SMALL (-MAX_SMALL - 1)

static inline Term make_small(SInt v) { return ((Term)v << 3) | T_SMALL; }
static inline SInt small_val(Term t) { return (SInt)t >> 3; }
static inline int is_small(Term t) { return TAG(t) == T_SMALL; }
static inline int fits_small(SInt v) { return v >= MIN_SMALL && v <= MAX_SMALL; }

static inline Term make_atom(uint64_t i) { return (i << 3) | T_ATOM; }
static inline uint64_t atom_index(Term t) { return t >> 3; }
static inline int is_atom(Term t) { return TAG(t) == T_ATOM; }

static inline Term make_pid(uint64_t i) { return (i << 3) | T_PID; }
static inline uint64_t pid_index(Term t) { return t >> 3; }
static inline int is_pid(Term t) { return TAG(t) == T_PID; }

static inline Term make_ref(uint64_t n) { return (n << 6) | I_REF; }
static inline int is_ref(Term t) { return IMM2(t) == I_REF; }
static inline Term make_cp(uint64_t pc) { return (pc << 6) | I_CP; }
static inline uint64_t cp_val(Term t) { return t >> 6; }
static inline int is_cp(Term t) { return IMM2(t) == I_CP; }
static inline Term make_catch(uint64_t pc) { return (pc << 3) | T_CATCH; }
static inline uint64_t catch_val(Term t) { return t >> 3; }
static inline int is_catch(Term t) { return TAG(t) == T_CATCH; }

static inline int is_nil(Term t) { return t == NIL; }
static inline int is_cons(Term t) { return TAG(t) == T_CONS; }
static inline int is_list(Term t) { return is_cons(t) || is_nil(t); }
static inline Term *cons_ptr(Term t) { return (Term *)(t - 1); }
static inline Term make_cons(Term *p) { return (Term)p | T_CONS; }
#define CAR(t) (cons_ptr(t)[0])
#define CDR(t) (cons_ptr(t)[1])

static inline int is_boxed(Term t) { return TAG(t) == T_BOXED && t != NONV; }
static inline Term *box_ptr(Term t) { return (Term *)t; }
static inline Term make_boxed(Term *p) { return (Term)p; }

/* Headers. */
enum {
    S_TUPLE = 0, S_FUN = 1, S_SUBBIN = 2, S_MATCHCTX = 3, S_MAP = 4, S_EXPORT = 5,
    S_HMAP = 6, S_HNODE = 7,   /* a hashed map's root and inner nodes (maps.h) */
    S_FLOAT = 8, S_BIGPOS = 9, S_BIGNEG = 10, S_BIN = 11,
    S_REFBIN = 12,             /* a binary whose bytes are off the heap (below) */
};
#define SUBTAG_SCANNED(s) ((s) < 8)
static inline Term make_header(uint64_t arity, unsigned subtag) {
    return (arity << 8) | ((Term)subtag << 3) | T_HEADER;
}
static inline unsigned hdr_subtag(Term h) { return (unsigned)((h >> 3) & 31); }
static inline uint64_t hdr_arity(Term h) { return h >> 8; }
static inline unsigned box_subtag(Term t) { return hdr_subtag(box_ptr(t)[0]); }
static inline uint64_t box_arity(Term t) { return hdr_arity(box_ptr(t)[0]); }
static inline int is_box_of(Term t, unsigned s) { return is_boxed(t) && box_subtag(t) == s; }

static inline int is_tuple(Term t) { return is_box_of(t, S_TUPLE); }
static inline Term *tuple_ptr(Term t) { return box_ptr(t) + 1; }
static inline uint64_t tuple_size(Term t) { return box_arity(t); }

static inline int is_float(Term t) { return is_box_of(t, S_FLOAT); }
static inline double float_val(Term t) {
    union { uint64_t u; double d; } v = {.u = box_ptr(t)[1]};
    return v.d;
}
static inline int is_bignum(Term t) {
    return is_boxed(t) && (box_subtag(t) == S_BIGPOS || box_subtag(t) == S_BIGNEG);
}
static inline int is_integer(Term t) { return is_small(t) || is_bignum(t); }
static inline int is_number(Term t) { return is_integer(t) || is_float(t); }
static inline int is_map(Term t) {
    return is_boxed(t) && (box_subtag(t) == S_MAP || box_subtag(t) == S_HMAP);
}
static inline int is_fun(Term t) { return is_box_of(t, S_FUN) || is_box_of(t, S_EXPORT); }
static inline int is_bitstring(Term t) {
    return is_box_of(t, S_BIN) || is_box_of(t, S_SUBBIN) || is_box_of(t, S_REFBIN);
}

/*
 * Binary: [hdr BIN n][size in bits (raw)][bytes …] (at most HEAP_BIN_MAX bytes,
 *   or a literal)
 * Sub-binary: [hdr SUBBIN 3][binary (a BIN or REFBIN)][small: bit offset][small: bit size]
 * Match context: [hdr MATCHCTX 3][binary (a BIN or REFBIN)][small: bit position][small: end bit]
 * Map: [hdr MAP n+1][keys tuple][values …] with keys sorted in term order, up to
 *   32 keys; larger maps are hash tries of S_HMAP/S_HNODE nodes (maps.h).
 * Fun: [hdr FUN n+1][small: fun table index][free variables …]
 * Export: [hdr EXPORT 3][module][function][small: arity]
 * Off-heap binary (binaries above HEAP_BIN_MAX bytes, as BEAM's refc binaries):
 *   [hdr REFBIN 3][size in bits (raw)][OffBin * (raw)][the next REFBIN of the
 *   process's off-heap list (raw Term *, or 0)]. The bytes are shared by every
 *   process holding the binary and counted by references: a message or a
 *   sub-binary carries the 4-word handle, not the bytes. Each process lists
 *   the handles on its heap; the collector releases those that died (heap.c).
 */
#define HEAP_BIN_MAX 64
/* bytes: the capacity; tip: the size in bits of the longest binary made of
   these bytes (an append to that one may write after it in place, heap.c);
   data: `own` at first, a block of its own once an append outgrew them (every
   handle reads the bytes through here, so growing moves them for all);
   reserved: the address space data has to grow into when it is a mapping
   of its own (heap.c), else 0 */
typedef struct OffBin {
    uint64_t refc, bytes, tip;
    uint8_t *data;
    uint64_t reserved;
    uint8_t own[];
} OffBin;
static inline uint64_t bin_words(uint64_t bytes) { return 1 + (bytes + 7) / 8; }
static inline uint8_t *bin_bytes(Term bin) {
    Term *b = box_ptr(bin);
    return hdr_subtag(b[0]) == S_REFBIN ? ((OffBin *)b[2])->data : (uint8_t *)(b + 2);
}

#endif
