/* Generic operations on values of a known kind and on self-describing objects:
 * repr, str, ==, hash, ordering; boxes (Optional[int] and friends); tuples. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

extern const Type T_Str;

Str *rt_repr(Obj *o) {
    if (!o) return rt_str_c("None");
    if (o->type->repr) return o->type->repr(o);
    return rt_str_fmt("<%s object at %p>", o->type->name, (void *)o);
}

Str *rt_str(Obj *o) {
    if (!o) return rt_str_c("None");
    if (o->type->str) return o->type->str(o);
    return rt_repr(o);
}

Str *rt_repr_val(Val v, int kind) {
    switch (kind) {
    case RK_INT: return rt_int_str(v.i);
    case RK_FLOAT: return rt_float_repr(v.f);
    case RK_BOOL: return rt_bool_str(v.i != 0);
    default: return rt_repr(v.p);
    }
}

Str *rt_str_val(Val v, int kind) {
    return kind == RK_OBJ ? rt_str(v.p) : rt_repr_val(v, kind);
}

bool rt_eq(Obj *a, Obj *b) {
    if (a == b) return true;
    if (!a || !b || !a->type->eq) return false;
    if (a->type != b->type && !rt_is_subtype(a->type, b->type) &&
        !rt_is_subtype(b->type, a->type)) {
        /* a box (Optional[int]) equals the plain value it holds */
        if (a->type == &T_Box && b->type == &T_Box) return false;
        return false;
    }
    return a->type->eq(a, b);
}

bool rt_eq_val(Val a, Val b, int kind) {
    switch (kind) {
    case RK_INT: return rt_int_eq(a.i, b.i);
    case RK_BOOL: return a.i == b.i;
    case RK_FLOAT: return a.f == b.f;
    default: return rt_eq(a.p, b.p);
    }
}

/* CPython's hash of a float (so sets of floats iterate in its order). */
int64_t rt_hash_float(double v) {
    const int BITS = 61;
    const uint64_t MOD = ((uint64_t)1 << 61) - 1;
    if (isinf(v)) return v > 0 ? 314159 : -314159;
    if (isnan(v)) return 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m != 0.0) {
        x = ((x << 28) & MOD) | x >> (BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= MOD) x -= MOD;
    }
    e = e >= 0 ? e % BITS : BITS - 1 - ((-1 - e) % BITS);
    x = ((x << e) & MOD) | x >> (BITS - e);
    x = x * (uint64_t)(int64_t)sign;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (int64_t)x;
}

int64_t rt_hash_val(Val v, int kind) {
    switch (kind) {
    case RK_INT: case RK_BOOL: return rt_hash_int(v.i);
    case RK_FLOAT: return rt_hash_float(v.f);
    default: {
        Obj *o = v.p;
        if (!o) return 0x1234567;
        if (o->type->hash) return o->type->hash(o);
        if (o->type->eq)
            rt_raise_new(&T_TypeError, "unhashable type: '%s'", o->type->name);
        return (int64_t)((uintptr_t)o >> 4);
    }
    }
}

static int cmp_op(int c, int op) {
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

static const char *op_name(int op) {
    return op == CMP_LT ? "<" : op == CMP_LE ? "<=" : op == CMP_GT ? ">" : ">=";
}

int rt_cmp_val(Val a, Val b, int kind, int op) {
    switch (kind) {
    case RK_INT: case RK_BOOL: return cmp_op(rt_int_cmp(a.i, b.i), op);
    case RK_FLOAT:
        switch (op) {
        case CMP_LT: return a.f < b.f;
        case CMP_LE: return a.f <= b.f;
        case CMP_GT: return a.f > b.f;
        default: return a.f >= b.f;
        }
    default: {
        Obj *x = a.p, *y = b.p;
        if (x && y && x->type->cmp && (x->type == y->type || x->type->cmp == y->type->cmp ||
                                       rt_is_subtype(y->type, x->type)))
            return x->type->cmp(x, y, op);
        rt_raise_new(&T_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                     op_name(op), x ? x->type->name : "NoneType", y ? y->type->name : "NoneType");
    }
    }
}

int rt_order_val(Val a, Val b, int kind) {
    if (rt_cmp_val(a, b, kind, CMP_LT)) return -1;
    if (rt_cmp_val(b, a, kind, CMP_LT)) return 1;
    return 0;
}

bool rt_truth(Obj *o) {
    if (!o) return false;
    if (o->type->truth) return o->type->truth(o);
    if (o->type->len) return o->type->len(o) != 0;
    return true;
}

/* ---- boxes ---- */
static Str *box_repr(Obj *o) { Box *b = (Box *)o; return rt_repr_val(b->v, b->kind); }
static bool box_eq(Obj *a, Obj *b) {
    Box *x = (Box *)a, *y = (Box *)b;
    return rt_eq_val(x->v, y->v, x->kind);
}
static int64_t box_hash(Obj *o) { Box *b = (Box *)o; return rt_hash_val(b->v, b->kind); }
static int box_cmp(Obj *a, Obj *b, int op) {
    Box *x = (Box *)a, *y = (Box *)b;
    return rt_cmp_val(x->v, y->v, x->kind, op);
}
static void box_trace(Obj *o) { Box *b = (Box *)o; rt_gc_mark_val(b->v, b->kind); }
const Type T_Box = {.name = "int", .repr = box_repr, .eq = box_eq, .hash = box_hash,
                    .cmp = box_cmp, .trace = box_trace};

Obj *rt_box(Val v, int kind) {
    Box *b = rt_alloc(&T_Box, sizeof(Box));
    b->v = v;
    b->kind = kind;
    return &b->h;
}

/* ---- tuples ---- */
static Str *tuple_repr(Obj *o) {
    Tuple *t = (Tuple *)o;
    Buf b = {0};
    rt_buf_add(&b, "(", 1);
    for (int i = 0; i < t->n; i++) {
        if (i) rt_buf_add(&b, ", ", 2);
        rt_buf_str(&b, rt_repr_val(t->items[i], t->kinds[i]));
    }
    if (t->n == 1) rt_buf_add(&b, ",", 1);
    rt_buf_add(&b, ")", 1);
    return rt_buf_done(&b);
}
static bool tuple_eq(Obj *a, Obj *b) {
    Tuple *x = (Tuple *)a, *y = (Tuple *)b;
    if (x->n != y->n) return false;
    for (int i = 0; i < x->n; i++)
        if (!rt_eq_val(x->items[i], y->items[i], x->kinds[i])) return false;
    return true;
}
/* CPython's tuple hash (xxHash-style lanes). */
static int64_t tuple_hash(Obj *o) {
    Tuple *t = (Tuple *)o;
    const uint64_t P1 = 11400714785074694791ull, P2 = 14029467366897019727ull,
                   P5 = 2870177450012600261ull;
    uint64_t acc = P5;
    for (int i = 0; i < t->n; i++) {
        uint64_t lane = (uint64_t)rt_hash_val(t->items[i], t->kinds[i]);
        acc += lane * P2;
        acc = (acc << 31) | (acc >> 33);
        acc *= P1;
    }
    acc += (uint64_t)t->n ^ (P5 ^ 3527539ull);
    if (acc == (uint64_t)-1) return 1546275796;
    return (int64_t)acc;
}
static int tuple_cmp(Obj *a, Obj *b, int op) {
    Tuple *x = (Tuple *)a, *y = (Tuple *)b;
    int n = x->n < y->n ? x->n : y->n;
    for (int i = 0; i < n; i++) {
        if (rt_eq_val(x->items[i], y->items[i], x->kinds[i])) continue;
        return rt_cmp_val(x->items[i], y->items[i], x->kinds[i], op);
    }
    return cmp_op(x->n < y->n ? -1 : x->n > y->n, op);
}
static void tuple_trace(Obj *o) {
    Tuple *t = (Tuple *)o;
    for (int i = 0; i < t->n; i++) rt_gc_mark_val(t->items[i], t->kinds[i]);
}
static int64_t tuple_len(Obj *o) { return ((Tuple *)o)->n; }
const Type T_Tuple = {.name = "tuple", .repr = tuple_repr, .eq = tuple_eq, .hash = tuple_hash,
                      .cmp = tuple_cmp, .trace = tuple_trace, .len = tuple_len};

Tuple *rt_tuple_new(int n, const unsigned char *kinds) {
    Tuple *t = rt_alloc(&T_Tuple, sizeof(Tuple) + (size_t)n * sizeof(Val) + (size_t)n);
    t->n = n;
    t->kinds = (unsigned char *)&t->items[n];
    memcpy(t->kinds, kinds, (size_t)n);
    return t;
}

/* kinds: a string of digits, one RK_ per item */
Tuple *rt_tuple_of(int n, const char *kinds, ...) {
    unsigned char k[64];
    for (int i = 0; i < n && i < 64; i++) k[i] = (unsigned char)(kinds[i] - '0');
    Tuple *t = rt_tuple_new(n, k);
    va_list ap;
    va_start(ap, kinds);
    for (int i = 0; i < n; i++) t->items[i] = va_arg(ap, Val);
    va_end(ap);
    return t;
}

/* ---- closures, cells, frames ---- */
static void closure_trace(Obj *o) {
    Closure *c = (Closure *)o;
    for (int i = 0; i < c->n; i++) rt_gc_mark(c->cells[i]);
}
const Type T_Closure = {.name = "function", .trace = closure_trace};

static void cell_trace(Obj *o) {
    Cell *c = (Cell *)o;
    rt_gc_mark_val(c->v, c->kind);
}
const Type T_Cell = {.name = "cell", .trace = cell_trace};

void rt_gc_scan(const void *lo, const void *hi);
static void frame_trace(Obj *o) {
    Frame *f = (Frame *)o;
    rt_gc_scan(f->v, f->v + f->n);
}
const Type T_Frame = {.name = "frame", .trace = frame_trace};

Frame *rt_frame_new(int64_t n) {
    Frame *f = rt_alloc(&T_Frame, sizeof(Frame) + (size_t)n * sizeof(Val));
    f->n = n;
    return f;
}

Val rt_call_key(Closure *key, Val v) {
    return ((Val(*)(Closure *, Val))key->fn)(key, v);
}

Closure *rt_closure(void *fn, int n, ...) {
    Closure *c = rt_alloc(&T_Closure, sizeof(Closure) + (size_t)n * sizeof(Obj *));
    c->fn = fn;
    c->n = n;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) c->cells[i] = va_arg(ap, Obj *);
    va_end(ap);
    return c;
}

/* ---- variable-length tuples (tuple[T, ...], *args): a Tuple whose items share a kind ---- */
Tuple *rt_vtuple_from_list(List *l) {
    Tuple *t = rt_alloc(&T_Tuple, sizeof(Tuple) + (size_t)l->len * (sizeof(Val) + 1));
    t->n = (int)l->len;
    t->kinds = (unsigned char *)&t->items[l->len];
    for (int64_t i = 0; i < l->len; i++) {
        t->items[i] = l->items[i];
        t->kinds[i] = (unsigned char)l->kind;
    }
    return t;
}

List *rt_list_from_tuple(Tuple *t, int kind) {
    List *l = rt_list_new(kind, 0);
    for (int i = 0; i < t->n; i++) rt_list_append(l, t->items[i]);
    return l;
}
