/*
 * pyrt.h — the runtime of unik's Python subset, included by generated C.
 *
 * Values: int is int64_t (overflow raises OverflowError; see README), float is
 * double, bool is bool, every other value is a pointer to a heap object whose
 * header names its Type. Containers hold Val slots and know the kind of their
 * elements (RK_INT/RK_FLOAT/RK_BOOL/RK_OBJ), so repr/eq/hash/sort and the GC
 * work on them without the compiler's types.
 *
 * Memory: a mark-and-sweep tracing GC. Roots are found conservatively on the C
 * stack (and the stacks of suspended generators) and precisely in registered
 * globals; objects trace their children precisely through Type.trace.
 *
 * Exceptions: setjmp/longjmp through a chain of Handler records.
 */
#ifndef PYRT_H
#define PYRT_H

#include <math.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct Type Type;
typedef struct Obj Obj;
typedef struct Str Str;

struct Obj {
    const Type *type;
    uint32_t mark;      /* the GC epoch that last reached it */
    uint32_t flags;     /* its size (bit 31: repr in progress) */
};

typedef union {
    int64_t i;
    double f;
    void *p;
} Val;

enum { RK_INT, RK_FLOAT, RK_BOOL, RK_OBJ };

struct Type {
    const char *name;
    const Type *base;
    Str *(*repr)(Obj *);
    Str *(*str)(Obj *);                 /* NULL: repr */
    bool (*eq)(Obj *, Obj *);           /* NULL: identity */
    int64_t (*hash)(Obj *);             /* NULL: identity (or unhashable if eq set) */
    int (*cmp)(Obj *, Obj *, int op);   /* rich comparison for <,<=,>,>=; NULL: TypeError */
    void (*trace)(Obj *);
    void (*fin)(Obj *);
    void **vt;                          /* user methods, by slot */
    int64_t (*len)(Obj *);              /* __len__ */
    bool (*truth)(Obj *);               /* __bool__ */
    const char *module;                 /* an imported module's classes: its name */
};

enum { CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct Str {
    Obj h;
    int64_t len;     /* bytes */
    int64_t nchars;  /* code points */
    int64_t hash;    /* -1: not computed */
    char data[];     /* UTF-8, NUL-terminated */
};

typedef struct {
    Obj h;
    int kind;
    int64_t len, cap;
    Val *items;
} List;

typedef struct {
    Obj h;
    int n;
    unsigned char *kinds;     /* n kinds, stored after items */
    Val items[];
} Tuple;

typedef struct {
    Val key, value;
    int64_t hash;
    bool used;
} DictEntry;

typedef struct {
    Obj h;
    int kkind, vkind;
    bool is_set;
    int64_t len;          /* live entries */
    int64_t nentries;     /* used slots of entries (live + deleted) */
    int64_t cap;          /* size of entries */
    DictEntry *entries;
    int64_t *index;       /* open addressing: -1 empty, -2 deleted, else entry number */
    int64_t nindex;       /* power of two */
    int64_t fill, finger; /* sets: CPython's table (see set.c) */
} Dict;

typedef struct {
    Obj h;
    Str *msg;
    Obj *value;     /* KeyError's key, StopIteration's value (unused otherwise) */
    int traced;     /* its traceback has been taken (at the first raise) */
    Obj *cause;     /* `raise … from cause` (printed above it when uncaught) */
    void *tb;       /* a cause's traceback, kept when it becomes one (exc.c) */
} Exc;

typedef struct {
    Obj h;
    Val v;
    int kind;
} Box;

/* A function value: fn takes the Closure itself first, then the arguments. */
typedef struct {
    Obj h;
    void *fn;
    int n;
    Obj *cells[];
} Closure;

/* A cell holding a variable captured by a nested function. */
typedef struct {
    Obj h;
    Val v;
    int kind;
} Cell;

/* ---- GC ---- */
void *rt_alloc(const Type *t, size_t size);
void rt_gc_root(void *addr);          /* a global Obj* slot */
void rt_gc_mark(void *o);
void rt_gc_mark_val(Val v, int kind);
void rt_gc_collect(void);
void rt_init(int argc, char **argv, void *stack_bottom);
extern const char *rt_file;

/* ---- frames, for tracebacks ----
 * Every generated function links a PyFrame on its C stack into the chain rt_top
 * on entry (RT_FRAME) and unlinks it on return (the cleanup attribute); each
 * statement that may raise stores its line. A raise walks the chain once. */
typedef struct FrameInfo {
    const char *file, *func;
} FrameInfo;
typedef struct PyFrame {
    struct PyFrame *prev;
    const FrameInfo *info;
    int line;
} PyFrame;
extern PyFrame *rt_top;
static inline void rt_frame_pop(PyFrame *f) { rt_top = f->prev; }
#define RT_FRAME(fi) \
    PyFrame rt_fr __attribute__((cleanup(rt_frame_pop))) = {rt_top, &(fi), 0}; \
    rt_top = &rt_fr

/* ---- exceptions ---- */
typedef struct Handler {
    jmp_buf jb;
    struct Handler *prev;
    PyFrame *top;           /* the frame chain when the handler was set up */
} Handler;
extern Handler *rt_handler;
extern Exc *rt_exc;
extern int rt_line;
extern const Type T_BaseException, T_Exception, T_ValueError, T_TypeError, T_KeyError,
    T_IndexError, T_ZeroDivisionError, T_RuntimeError, T_AssertionError, T_StopIteration,
    T_OverflowError, T_AttributeError, T_NotImplementedError, T_ArithmeticError,
    T_LookupError, T_SystemExit, T_RecursionError, T_MemoryError, T_UnicodeError,
    T_UnicodeDecodeError, T_EOFError;
__attribute__((noreturn)) void rt_raise(Exc *e);
__attribute__((noreturn)) void rt_raise_from(Exc *e, Obj *cause);
__attribute__((noreturn)) void rt_raise_new(const Type *t, const char *fmt, ...);
__attribute__((noreturn)) void rt_reraise(void);
Exc *rt_exc_new(const Type *t, Str *msg);
void rt_exc_init(Exc *e, Str *msg);
bool rt_isinstance(Obj *o, const Type *t);
bool rt_is_subtype(const Type *t, const Type *base);
Str *rt_exc_str(Obj *o);
Str *rt_exc_repr(Obj *o);
void rt_exc_trace(Obj *o);
__attribute__((noreturn)) void rt_exit(int64_t code);
__attribute__((noreturn)) void rt_sys_exit(Obj *code);   /* raises SystemExit */
__attribute__((noreturn)) void rt_none_error(void);
__attribute__((noreturn)) void rt_overflow(void);

/* Deep recursion raises RecursionError before the stack runs out: each function
 * compares its frame with the current stack's limit (main stack or generator's). */
extern char *rt_stack_limit;
__attribute__((noreturn, cold)) void rt_recursion_error(void);
#define RT_STACK_CHECK() \
    do { \
        if (__builtin_expect((char *)__builtin_frame_address(0) < rt_stack_limit, 0)) \
            rt_recursion_error(); \
    } while (0)

#define RT_TRY(h) \
    ((h).prev = rt_handler, (h).top = rt_top, rt_handler = &(h), setjmp((h).jb) == 0)

/* ---- ints and floats ----
 * An int is an int64_t: [RT_SMALL_MIN, INT64_MAX] is the value itself (the fast
 * path below); a word under RT_SMALL_MIN encodes a BigInt (bigint.c). Each
 * operation tries machine arithmetic and falls back to the bignum code when an
 * operand is big or the result leaves the small range. */
#define RT_SMALL_MIN (INT64_MIN + ((int64_t)1 << 47))
#define RT_BIG(x) __builtin_expect((x) < RT_SMALL_MIN, 0)
#define RT_LIKELY(c) __builtin_expect(!!(c), 1)
/* The slow paths: cold, so the inliner and the layout favour the fast path. */
#define RT_COLD __attribute__((cold))
RT_COLD int64_t rt_big_add(int64_t a, int64_t b);
RT_COLD int64_t rt_big_sub(int64_t a, int64_t b);
RT_COLD int64_t rt_big_mul(int64_t a, int64_t b);
RT_COLD int64_t rt_big_neg(int64_t a);
RT_COLD int64_t rt_big_abs(int64_t a);
RT_COLD int64_t rt_big_floordiv(int64_t a, int64_t b);
RT_COLD int64_t rt_big_mod(int64_t a, int64_t b);
RT_COLD void rt_big_divmod(int64_t a, int64_t b, int64_t *q, int64_t *r);
RT_COLD int rt_big_cmp(int64_t a, int64_t b);
RT_COLD int64_t rt_big_pow(int64_t a, int64_t b);
RT_COLD int64_t rt_powmod(int64_t a, int64_t b, int64_t m);
RT_COLD int64_t rt_big_lshift(int64_t a, int64_t b);
RT_COLD int64_t rt_big_rshift(int64_t a, int64_t b);
RT_COLD int64_t rt_big_bitop(int64_t a, int64_t b, int op);
RT_COLD int64_t rt_big_invert(int64_t a);
RT_COLD double rt_big_to_float(int64_t a);
RT_COLD int64_t rt_big_from_float(double d);
RT_COLD int64_t rt_big_hash(int64_t a);
int64_t rt_int_from_i64(int64_t x);
int64_t rt_int_from_u64(uint64_t u);
int64_t rt_int_bit_length(int64_t x);
char *rt_int_digits(int64_t x, int base, bool upper, int64_t *len, bool *neg);
int64_t rt_int_parse(const char *p, int64_t n, int base, bool neg);
int64_t rt_int_lit(const char *digits);
bool rt_int_fcompare(int64_t i, double f, int op);
__attribute__((noreturn)) int64_t rt_int_index_big(int64_t x);
extern const Type T_BigInt;
void rt_gc_mark_int(int64_t i);
void rt_gc_root_int(int64_t *addr);

static inline int64_t rt_add(int64_t a, int64_t b) {
    int64_t r;
    if (RT_LIKELY(!__builtin_add_overflow(a, b, &r) && a >= RT_SMALL_MIN && b >= RT_SMALL_MIN &&
                  r >= RT_SMALL_MIN)) return r;
    return rt_big_add(a, b);
}
/* With a constant operand the checks are plain comparisons, which the optimiser
 * can prove away from earlier tests (n - 1 after `if n < 2: return`). */
static inline int64_t rt_sub(int64_t a, int64_t b) {
    if (__builtin_constant_p(b) && b >= 0 && b < ((int64_t)1 << 46)) {
        if (RT_LIKELY(a >= RT_SMALL_MIN + b)) return a - b;
        return rt_big_sub(a, b);
    }
    int64_t r;
    if (RT_LIKELY(!__builtin_sub_overflow(a, b, &r) && a >= RT_SMALL_MIN && b >= RT_SMALL_MIN &&
                  r >= RT_SMALL_MIN)) return r;
    return rt_big_sub(a, b);
}
static inline int64_t rt_mul(int64_t a, int64_t b) {
    int64_t r;
    if (RT_LIKELY(!__builtin_mul_overflow(a, b, &r) && a >= RT_SMALL_MIN && b >= RT_SMALL_MIN &&
                  r >= RT_SMALL_MIN)) return r;
    return rt_big_mul(a, b);
}
static inline int64_t rt_neg(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && a <= -RT_SMALL_MIN)) return -a;   /* the range is lopsided */
    return rt_big_neg(a);
}
static inline int64_t rt_floordiv(int64_t a, int64_t b) {
    if (b == 0) rt_raise_new(&T_ZeroDivisionError, "integer division or modulo by zero");
    if (RT_BIG(a) || RT_BIG(b)) return rt_big_floordiv(a, b);
    if (b == -1) return rt_neg(a);
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}
static inline int64_t rt_mod(int64_t a, int64_t b) {
    if (b == 0) rt_raise_new(&T_ZeroDivisionError, "integer modulo by zero");
    if (RT_BIG(a) || RT_BIG(b)) return rt_big_mod(a, b);
    if (b == -1) return 0;
    int64_t m = a % b;
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}
static inline int rt_int_cmp(int64_t a, int64_t b) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN)) return (a > b) - (a < b);
    return rt_big_cmp(a, b);
}
/* The sign of a BigInt (its first field after the header). */
static inline bool rt_big_isneg(int64_t a) {
    return *(const int32_t *)((uintptr_t)((uint64_t)a - (uint64_t)INT64_MIN) + sizeof(Obj)) != 0;
}
static inline bool rt_int_lt(int64_t a, int64_t b) {
    if (__builtin_constant_p(b) && b >= RT_SMALL_MIN)   /* a big one is beyond any small one */
        return RT_LIKELY(a >= RT_SMALL_MIN) ? a < b : rt_big_isneg(a);
    if (__builtin_constant_p(a) && a >= RT_SMALL_MIN)
        return RT_LIKELY(b >= RT_SMALL_MIN) ? a < b : !rt_big_isneg(b);
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN)) return a < b;
    return rt_big_cmp(a, b) < 0;
}
static inline bool rt_int_le(int64_t a, int64_t b) {
    if (__builtin_constant_p(b) && b >= RT_SMALL_MIN)
        return RT_LIKELY(a >= RT_SMALL_MIN) ? a <= b : rt_big_isneg(a);
    if (__builtin_constant_p(a) && a >= RT_SMALL_MIN)
        return RT_LIKELY(b >= RT_SMALL_MIN) ? a <= b : !rt_big_isneg(b);
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN)) return a <= b;
    return rt_big_cmp(a, b) <= 0;
}
static inline bool rt_int_gt(int64_t a, int64_t b) { return rt_int_lt(b, a); }
static inline bool rt_int_ge(int64_t a, int64_t b) { return rt_int_le(b, a); }
static inline bool rt_int_eq(int64_t a, int64_t b) {
    if (a == b) return true;
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN)) return false;
    return rt_big_cmp(a, b) == 0;
}
static inline bool rt_int_ne(int64_t a, int64_t b) { return !rt_int_eq(a, b); }
static inline double rt_i2f(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN)) return (double)a;
    return rt_big_to_float(a);
}
/* An int where C needs a machine integer (index, count, range bound). */
static inline int64_t rt_int_index(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN)) return a;
    rt_int_index_big(a);
}
/* A range bound: a bignum becomes the far end of the machine range. */
static inline int64_t rt_int_clamp(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN)) return a;
    return rt_big_isneg(a) ? INT64_MIN : INT64_MAX;
}
static inline int64_t rt_and(int64_t a, int64_t b) {
    int64_t r = a & b;
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN && r >= RT_SMALL_MIN)) return r;
    return rt_big_bitop(a, b, '&');
}
static inline int64_t rt_or(int64_t a, int64_t b) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN)) return a | b;
    return rt_big_bitop(a, b, '|');
}
static inline int64_t rt_xor(int64_t a, int64_t b) {
    int64_t r = a ^ b;
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= RT_SMALL_MIN && r >= RT_SMALL_MIN)) return r;
    return rt_big_bitop(a, b, '^');
}
static inline int64_t rt_invert(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && a < -RT_SMALL_MIN)) return ~a;
    return rt_big_invert(a);
}
static inline double rt_truediv(double a, double b) {
    if (b == 0.0) rt_raise_new(&T_ZeroDivisionError, "division by zero");
    return a / b;
}
static inline double rt_ftruediv(double a, double b) {
    if (b == 0.0) rt_raise_new(&T_ZeroDivisionError, "float division by zero");
    return a / b;
}
static inline double rt_ffloordiv(double a, double b) {
    if (b == 0.0) rt_raise_new(&T_ZeroDivisionError, "float floor division by zero");
    return floor(a / b);
}
static inline double rt_fmod(double a, double b) {
    if (b == 0.0) rt_raise_new(&T_ZeroDivisionError, "float modulo");
    double m = fmod(a, b);
    if (m != 0.0 && ((m < 0) != (b < 0))) m += b;
    else if (m == 0.0) m = copysign(0.0, b);
    return m;
}
static inline int64_t rt_lshift(int64_t a, int64_t b) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= 0 && b < 63)) {
        int64_t r = (int64_t)((uint64_t)a << b);
        if (r >> b == a && r >= RT_SMALL_MIN) return r;
    }
    return rt_big_lshift(a, b);
}
static inline int64_t rt_rshift(int64_t a, int64_t b) {
    if (RT_LIKELY(a >= RT_SMALL_MIN && b >= 0)) return b > 63 ? (a < 0 ? -1 : 0) : a >> b;
    return rt_big_rshift(a, b);
}
int64_t rt_ipow(int64_t a, int64_t b);
double rt_fpow(double a, double b);
int64_t rt_float_to_int(double d);
int64_t rt_round_float(double d);
double rt_round_nd(double d, int64_t nd);
int64_t rt_round_int_nd(int64_t v, int64_t nd);
int64_t rt_hash_float(double d);
static inline int64_t rt_hash_int(int64_t i) {
    /* CPython: hash(i) = i mod (2**61 - 1), with -1 -> -2 */
    if (RT_BIG(i)) return rt_big_hash(i);
    const int64_t M = ((int64_t)1 << 61) - 1;
    int64_t r = i % M;   /* C's remainder has the dividend's sign: hash(-x) == -hash(x) */
    return r == -1 ? -2 : r;
}
static inline int64_t rt_abs(int64_t a) {
    if (RT_LIKELY(a >= RT_SMALL_MIN)) return a < 0 ? -a : a;
    return rt_big_abs(a);
}

/* ---- strings ---- */
Str *rt_str_new(const char *data, int64_t len);
Str *rt_str_c(const char *s);
Str *rt_str_fmt(const char *fmt, ...);
Str *rt_str_concat(Str *a, Str *b);
Str *rt_str_repeat(Str *a, int64_t n);
bool rt_str_eq(Str *a, Str *b);
int rt_str_cmp(Str *a, Str *b);
int64_t rt_str_hash(Str *s);
Str *rt_str_index(Str *s, int64_t i);
Str *rt_str_slice(Str *s, int64_t start, int64_t stop, int64_t step, int has);
bool rt_str_contains(Str *s, Str *sub);
int64_t rt_str_len(Str *s);
int64_t rt_str_find(Str *s, Str *sub, int64_t start);
int64_t rt_str_rfind(Str *s, Str *sub);
int64_t rt_str_index_of(Str *s, Str *sub);
int64_t rt_str_count(Str *s, Str *sub);
Str *rt_str_replace(Str *s, Str *old, Str *new_, int64_t count);
Str *rt_str_upper(Str *s);
Str *rt_str_lower(Str *s);
Str *rt_str_capitalize(Str *s);
Str *rt_str_title(Str *s);
Str *rt_str_swapcase(Str *s);
Str *rt_str_strip(Str *s, Str *chars, int which);
bool rt_str_startswith(Str *s, Str *p);
bool rt_str_endswith(Str *s, Str *p);
List *rt_str_split(Str *s, Str *sep, int64_t maxsplit);
List *rt_str_rsplit(Str *s, Str *sep, int64_t maxsplit);
List *rt_str_splitlines(Str *s);
Str *rt_str_join(Str *sep, List *items);
bool rt_str_is(Str *s, int which);
Str *rt_str_center(Str *s, int64_t w, Str *fill, int how);
Str *rt_str_zfill(Str *s, int64_t w);
Str *rt_str_repr(Str *s);
int64_t rt_ord(Str *s);
Str *rt_chr(int64_t c);
int64_t rt_str_to_int(Str *s, int64_t base);
double rt_str_to_float(Str *s);
Str *rt_int_str(int64_t v);
Str *rt_float_repr(double d);
Str *rt_bool_str(bool b);
Str *rt_hex(int64_t v, int base);
/* iteration over code points: *pos is a byte offset */
Str *rt_str_next_char(Str *s, int64_t *pos);
Str *rt_format_int(int64_t v, Str *spec);
Str *rt_format_float(double v, Str *spec);
Str *rt_format_str(Str *v, Str *spec);
Str *rt_format_val(Val v, int kind, Str *spec);

/* A growable byte buffer for joining and f-strings. */
typedef struct {
    char *data;
    int64_t len, cap;
    char small[112];    /* short results never touch malloc */
} Buf;
void rt_buf_add(Buf *b, const char *data, int64_t len);
static inline void rt_buf_str(Buf *b, Str *s) { rt_buf_add(b, s->data, s->len); }
void rt_buf_int(Buf *b, int64_t v);
Str *rt_buf_done(Buf *b);

/* ---- generic values ---- */
Str *rt_repr_val(Val v, int kind);
Str *rt_str_val(Val v, int kind);
Str *rt_repr(Obj *o);
Str *rt_str(Obj *o);
bool rt_eq_val(Val a, Val b, int kind);
bool rt_eq(Obj *a, Obj *b);
int64_t rt_hash_val(Val v, int kind);
int rt_cmp_val(Val a, Val b, int kind, int op);     /* true/false for op */
int rt_order_val(Val a, Val b, int kind);           /* -1/0/1 for sorting */
bool rt_truth(Obj *o);
static inline Val rt_vi(int64_t i) { Val v; v.i = i; return v; }
static inline Val rt_vf(double f) { Val v; v.f = f; return v; }
static inline Val rt_vp(const void *p) { Val v; v.p = (void *)p; return v; }
Obj *rt_box(Val v, int kind);
static inline Val rt_unbox(Obj *o) {
    if (!o) rt_none_error();
    return ((Box *)o)->v;
}
extern const Type T_Box;

/* ---- lists ---- */
extern const Type T_List;
List *rt_list_new(int kind, int64_t n);
List *rt_list_of(int kind, int64_t n, ...);
void rt_list_append(List *l, Val v);
static inline int64_t rt_list_norm(List *l, int64_t i) {
    int64_t j = i < 0 ? i + l->len : i;
    if (j < 0 || j >= l->len) rt_raise_new(&T_IndexError, "list index out of range");
    return j;
}
static inline Val rt_list_get(List *l, int64_t i) { return l->items[rt_list_norm(l, i)]; }
static inline void rt_list_set(List *l, int64_t i, Val v) { l->items[rt_list_norm(l, i)] = v; }
Val rt_list_pop(List *l, int64_t i);
void rt_list_insert(List *l, int64_t i, Val v);
void rt_list_extend(List *l, List *other);
List *rt_list_concat(List *a, List *b);
List *rt_list_repeat(List *a, int64_t n);
List *rt_list_slice(List *l, int64_t start, int64_t stop, int64_t step, int has);
void rt_list_set_slice(List *l, int64_t start, int64_t stop, int has, List *v);
void rt_list_del_slice(List *l, int64_t start, int64_t stop, int has);
int64_t rt_list_index(List *l, Val v);
int64_t rt_list_count(List *l, Val v);
bool rt_list_contains(List *l, Val v);
void rt_list_remove(List *l, Val v);
void rt_list_del(List *l, int64_t i);
void rt_list_reverse(List *l);
void rt_list_sort(List *l, Closure *key, int keykind, bool reverse);
List *rt_list_copy(List *l);
void rt_list_clear(List *l);
Val rt_list_minmax(List *l, Closure *key, int keykind, bool max, const char *what);

/* ---- bytes (bytes.c) ---- */
typedef struct {
    Obj h;
    int64_t len;
    uint8_t data[];
} Bytes;
extern const Type T_Bytes;
Bytes *rt_bytes_new(const void *data, int64_t len);
Bytes *rt_bytes_zeros(int64_t n);
Bytes *rt_bytes_from_list(List *l);     /* ValueError unless every int is in 0..255 */
List *rt_bytes_list(Bytes *b);
Str *rt_bytes_repr(Bytes *b);
int64_t rt_bytes_get(Bytes *b, int64_t i);
Bytes *rt_bytes_slice(Bytes *b, int64_t start, int64_t stop, int64_t step, int has);
Bytes *rt_bytes_concat(Bytes *a, Bytes *b);
Bytes *rt_bytes_repeat(Bytes *a, int64_t n);
bool rt_bytes_contains(Bytes *b, Bytes *sub);
bool rt_bytes_contains_byte(Bytes *b, int64_t v);
int64_t rt_bytes_find(Bytes *b, Bytes *sub);
int64_t rt_bytes_index(Bytes *b, Bytes *sub);
int64_t rt_bytes_count(Bytes *b, Bytes *sub);
bool rt_bytes_startswith(Bytes *b, Bytes *p);
bool rt_bytes_endswith(Bytes *b, Bytes *p);
Str *rt_bytes_hex(Bytes *b);
Bytes *rt_bytes_fromhex(Str *s);
Bytes *rt_str_encode(Str *s);
Str *rt_bytes_decode(Bytes *b);         /* UTF-8; UnicodeDecodeError if malformed */
int64_t rt_int_from_bytes(Bytes *b, bool little, bool is_signed);
Bytes *rt_int_to_bytes(int64_t v, int64_t length, bool little, bool is_signed);

/* ---- tuples ---- */
extern const Type T_Tuple;
Tuple *rt_tuple_new(int n, const unsigned char *kinds);
Tuple *rt_tuple_of(int n, const char *kinds, ...);
Tuple *rt_vtuple_from_list(List *l);
List *rt_it_choose(List *xs, int64_t r, int mode);   /* iter.c: itertools */
List *rt_it_product(int n, const char *kinds, List **lists);            /* tuple[T, ...] of a list's items */
List *rt_list_from_tuple(Tuple *t, int kind);
static inline Val rt_tuple_get(Tuple *t, int64_t i) {
    int64_t j = i < 0 ? i + t->n : i;
    if (j < 0 || j >= t->n) rt_raise_new(&T_IndexError, "tuple index out of range");
    return t->items[j];
}

/* ---- dicts and sets ---- */
extern const Type T_Dict, T_Set, T_FrozenSet;
Dict *rt_frozen(Dict *d);       /* a new set becomes a frozenset (its type changes) */
Dict *rt_dict_new(int kkind, int vkind);
Dict *rt_set_new(int kind);
Val rt_dict_get(Dict *d, Val k);
bool rt_dict_get_opt(Dict *d, Val k, Val *out);
void rt_dict_set(Dict *d, Val k, Val v);
bool rt_dict_contains(Dict *d, Val k);
void rt_dict_del(Dict *d, Val k);
Val rt_dict_pop(Dict *d, Val k, bool has_default, Val dflt);
Tuple *rt_dict_popitem(Dict *d);
void rt_dict_clear(Dict *d);
Dict *rt_dict_copy(Dict *d);
void rt_dict_update(Dict *d, Dict *o);
List *rt_dict_keys(Dict *d);
List *rt_dict_values(Dict *d);
List *rt_dict_items(Dict *d);
/* iteration: entry index i; returns false at the end */
static inline bool rt_dict_next(Dict *d, int64_t *i) {
    while (*i < d->nentries) {
        if (d->entries[*i].used) return true;
        (*i)++;
    }
    return false;
}
void rt_set_add(Dict *s, Val v);
void rt_set_remove(Dict *s, Val v);
void rt_set_discard(Dict *s, Val v);
Val rt_set_pop(Dict *s);
Dict *rt_set_union(Dict *a, Dict *b);
Dict *rt_set_inter(Dict *a, Dict *b);
Dict *rt_set_diff(Dict *a, Dict *b);
Dict *rt_set_symdiff(Dict *a, Dict *b);
bool rt_set_subset(Dict *a, Dict *b);

/* ---- ranges as lists, misc builtins ---- */
List *rt_range_list(int64_t a, int64_t b, int64_t step);
List *rt_str_list(Str *s);
Val rt_call_key(Closure *key, Val v);
Closure *rt_closure(void *fn, int n, ...);
extern const Type T_Closure, T_Cell, T_Str;

/* ---- output ---- */
void rt_write(int fd, Str *s);
Str *rt_input(Str *prompt);            /* stdin.c: input(), sys.stdin over read(0) */
Str *rt_stdin_readline(void);
Str *rt_stdin_read(void);
List *rt_stdin_readlines(void);
void rt_write_c(int fd, const char *s, int64_t len);
void rt_flush(void);

/* ---- modules ---- */
Obj *rt_rng_new(int64_t seed, bool seeded);   /* random.c: random.Random */
void rt_rng_seed(Obj *r, int64_t s);
double rt_rng_random(Obj *r);
int64_t rt_rng_randint(Obj *r, int64_t a, int64_t b);
int64_t rt_rng_randrange(Obj *r, int64_t a, int64_t b, int64_t step);
double rt_rng_uniform(Obj *r, double a, double b);
void rt_rng_shuffle(Obj *r, List *l);
Val rt_rng_choice(Obj *r, List *l);
double rt_time_monotonic(void);
int64_t rt_time_ns(void);
double rt_time_time(void);
void rt_time_sleep(double s);
void rt_random_seed(int64_t s);
double rt_random_random(void);
int64_t rt_random_randint(int64_t a, int64_t b);
int64_t rt_random_randrange(int64_t a, int64_t b, int64_t step);
double rt_random_uniform(double a, double b);
void rt_random_shuffle(List *l);
Val rt_random_choice(List *l);
double rt_math_check(double r, double x);
double rt_math_log(double x, double base, int has_base);
int64_t rt_math_gcd(int64_t a, int64_t b);
int64_t rt_math_factorial(int64_t n);
int64_t rt_math_isqrt(int64_t n);
int64_t rt_math_floor(double x);
int64_t rt_math_ceil(double x);
void rt_heap_push(List *h, Val v);
Val rt_heap_pop(List *h);
void rt_heapify(List *h);
Val rt_heap_pushpop(List *h, Val v);
Val rt_heap_replace(List *h, Val v);
int64_t rt_bisect(List *l, Val v, bool right, int64_t lo, int64_t hi);
void rt_insort(List *l, Val v, bool right);

/* deque: a ring buffer */
typedef struct {
    Obj h;
    int kind;
    int64_t head, len, cap, maxlen;
    Val *items;
} Deque;
extern const Type T_Deque;
Deque *rt_deque_new(int kind, List *init, int64_t maxlen);
void rt_deque_append(Deque *d, Val v);
void rt_deque_appendleft(Deque *d, Val v);
Val rt_deque_pop(Deque *d);
Val rt_deque_popleft(Deque *d);
Val rt_deque_get(Deque *d, int64_t i);
void rt_deque_set(Deque *d, int64_t i, Val v);
void rt_deque_rotate(Deque *d, int64_t n);
void rt_deque_clear(Deque *d);
bool rt_deque_contains(Deque *d, Val v);

/* generators: coroutines on their own stacks */
typedef struct Gen Gen;
typedef void (*GenBody)(Gen *g);
struct Gen {
    Obj h;
    GenBody body;
    void *frame;            /* the generator function's arguments (a GC object) */
    int kind;
    Val value;              /* the value last yielded */
    int state;              /* 0 new, 1 suspended, 2 running, 3 done */
    void *stack;
    size_t stack_size;
    void *sp;               /* saved stack pointer of whichever side is switched out */
    void *caller_sp;
    Handler *caller_handler;
    Handler *gen_handler;
    Exc *exc;               /* an exception the body raised, to re-raise in the caller */
    Gen *resumer;           /* the generator whose stack resumed this one (NULL: main) */
    PyFrame *bottom;        /* the body's frame: linked under the resumer's on each resume */
};
extern const Type T_Gen;
Gen *rt_gen_new(GenBody body, void *frame, int kind);
bool rt_gen_next(Gen *g);               /* false when exhausted; the value is in g->value */
void rt_gen_yield(Gen *g, Val v);
Val rt_gen_next_value(Gen *g);          /* next(g): StopIteration at the end */
typedef struct {
    Obj h;
    int64_t n;
    Val v[];                /* traced conservatively: slots of any kind */
} Frame;
Frame *rt_frame_new(int64_t n);
extern const Type T_Frame;

extern List *rt_argv;
extern Dict *rt_environ;       /* os.environ */
extern Obj *rt_module_name;

#endif
