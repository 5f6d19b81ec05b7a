/* list[T]: a growable array of Val slots; deque; heapq and bisect on lists. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pyrt.h"

void rt_gc_account(size_t bytes);
void rt_slice_indices(int64_t len, int64_t *start, int64_t *stop, int64_t step, int has);
int64_t rt_slice_len(int64_t start, int64_t stop, int64_t step);

static Str *list_repr(Obj *o) {
    List *l = (List *)o;
    if (o->flags & 0x80000000u) return rt_str_c("[...]");
    o->flags |= 0x80000000u;
    Buf b = {0};
    rt_buf_add(&b, "[", 1);
    for (int64_t i = 0; i < l->len; i++) {
        if (i) rt_buf_add(&b, ", ", 2);
        rt_buf_str(&b, rt_repr_val(l->items[i], l->kind));
    }
    rt_buf_add(&b, "]", 1);
    o->flags &= ~0x80000000u;
    return rt_buf_done(&b);
}
static bool list_eq(Obj *a, Obj *b) {
    List *x = (List *)a, *y = (List *)b;
    if (x->len != y->len) return false;
    for (int64_t i = 0; i < x->len; i++)
        if (!rt_eq_val(x->items[i], y->items[i], x->kind)) return false;
    return true;
}
static int list_cmp(Obj *a, Obj *b, int op) {
    List *x = (List *)a, *y = (List *)b;
    int64_t n = x->len < y->len ? x->len : y->len;
    for (int64_t i = 0; i < n; i++) {
        if (rt_eq_val(x->items[i], y->items[i], x->kind)) continue;
        return rt_cmp_val(x->items[i], y->items[i], x->kind, op);
    }
    Val p = rt_vi(x->len), q = rt_vi(y->len);
    return rt_cmp_val(p, q, RK_INT, op);
}
static void list_trace(Obj *o) {
    List *l = (List *)o;
    if (l->kind == RK_OBJ)
        for (int64_t i = 0; i < l->len; i++) rt_gc_mark(l->items[i].p);
    else if (l->kind == RK_INT)   /* ints may hold BigInts */
        for (int64_t i = 0; i < l->len; i++) rt_gc_mark_int(l->items[i].i);
}
static void list_fin(Obj *o) { free(((List *)o)->items); }
static int64_t list_len(Obj *o) { return ((List *)o)->len; }
const Type T_List = {.name = "list", .repr = list_repr, .eq = list_eq, .cmp = list_cmp,
                     .trace = list_trace, .fin = list_fin, .len = list_len};

static void reserve(List *l, int64_t n) {
    if (n <= l->cap) return;
    int64_t cap = l->cap ? l->cap : 4;
    while (cap < n) cap = cap + (cap >> 1) + 4;
    Val *items = realloc(l->items, (size_t)cap * sizeof(Val));
    if (!items) rt_raise_new(&T_MemoryError, "out of memory");
    rt_gc_account((size_t)(cap - l->cap) * sizeof(Val));
    l->items = items;
    l->cap = cap;
}

List *rt_list_new(int kind, int64_t n) {
    List *l = rt_alloc(&T_List, sizeof(List));
    l->kind = kind;
    reserve(l, n);
    if (n) memset(l->items, 0, (size_t)n * sizeof(Val));
    l->len = n;
    return l;
}

List *rt_list_of(int kind, int64_t n, ...) {
    List *l = rt_list_new(kind, n);
    va_list ap;
    va_start(ap, n);
    for (int64_t i = 0; i < n; i++) l->items[i] = va_arg(ap, Val);
    va_end(ap);
    return l;
}

void rt_list_append(List *l, Val v) {
    if (l->len == l->cap) reserve(l, l->len + 1);
    l->items[l->len++] = v;
}

Val rt_list_pop(List *l, int64_t i) {
    if (l->len == 0) rt_raise_new(&T_IndexError, "pop from empty list");
    int64_t j = i < 0 ? i + l->len : i;
    if (j < 0 || j >= l->len) rt_raise_new(&T_IndexError, "pop index out of range");
    Val v = l->items[j];
    memmove(l->items + j, l->items + j + 1, (size_t)(l->len - j - 1) * sizeof(Val));
    l->len--;
    return v;
}

void rt_list_del(List *l, int64_t i) {
    int64_t j = i < 0 ? i + l->len : i;
    if (j < 0 || j >= l->len) rt_raise_new(&T_IndexError, "list assignment index out of range");
    rt_list_pop(l, j);
}

void rt_list_insert(List *l, int64_t i, Val v) {
    if (i < 0) { i += l->len; if (i < 0) i = 0; }
    if (i > l->len) i = l->len;
    reserve(l, l->len + 1);
    memmove(l->items + i + 1, l->items + i, (size_t)(l->len - i) * sizeof(Val));
    l->items[i] = v;
    l->len++;
}

void rt_list_extend(List *l, List *o) {
    int64_t n = o->len;
    reserve(l, l->len + n);
    memmove(l->items + l->len, o->items, (size_t)n * sizeof(Val));
    l->len += n;
}

List *rt_list_concat(List *a, List *b) {
    List *l = rt_list_new(a->kind, 0);
    reserve(l, a->len + b->len);
    rt_list_extend(l, a);
    rt_list_extend(l, b);
    return l;
}

List *rt_list_repeat(List *a, int64_t n) {
    List *l = rt_list_new(a->kind, 0);
    if (n <= 0) return l;
    reserve(l, a->len * n);
    for (int64_t i = 0; i < n; i++) rt_list_extend(l, a);
    return l;
}

List *rt_list_slice(List *l, int64_t start, int64_t stop, int64_t step, int has) {
    rt_slice_indices(l->len, &start, &stop, step, has);
    int64_t n = rt_slice_len(start, stop, step);
    List *r = rt_list_new(l->kind, n);
    for (int64_t k = 0, i = start; k < n; k++, i += step) r->items[k] = l->items[i];
    return r;
}

void rt_list_set_slice(List *l, int64_t start, int64_t stop, int has, List *v) {
    rt_slice_indices(l->len, &start, &stop, 1, has);
    if (stop < start) stop = start;
    List *src = v == l ? rt_list_copy(v) : v;
    int64_t n = src->len, old = stop - start;
    reserve(l, l->len - old + n);
    memmove(l->items + start + n, l->items + stop, (size_t)(l->len - stop) * sizeof(Val));
    memcpy(l->items + start, src->items, (size_t)n * sizeof(Val));
    l->len += n - old;
}

void rt_list_del_slice(List *l, int64_t start, int64_t stop, int has) {
    List *empty = rt_list_new(l->kind, 0);
    rt_list_set_slice(l, start, stop, has, empty);
}

int64_t rt_list_index(List *l, Val v) {
    for (int64_t i = 0; i < l->len; i++)
        if (rt_eq_val(l->items[i], v, l->kind)) return i;
    rt_raise_new(&T_ValueError, "%s is not in list", rt_repr_val(v, l->kind)->data);
}

int64_t rt_list_count(List *l, Val v) {
    int64_t n = 0;
    for (int64_t i = 0; i < l->len; i++) n += rt_eq_val(l->items[i], v, l->kind);
    return n;
}

bool rt_list_contains(List *l, Val v) {
    for (int64_t i = 0; i < l->len; i++)
        if (rt_eq_val(l->items[i], v, l->kind)) return true;
    return false;
}

void rt_list_remove(List *l, Val v) {
    for (int64_t i = 0; i < l->len; i++)
        if (rt_eq_val(l->items[i], v, l->kind)) { rt_list_pop(l, i); return; }
    rt_raise_new(&T_ValueError, "list.remove(x): x not in list");
}

void rt_list_reverse(List *l) {
    for (int64_t i = 0, j = l->len - 1; i < j; i++, j--) {
        Val t = l->items[i];
        l->items[i] = l->items[j];
        l->items[j] = t;
    }
}

List *rt_list_copy(List *l) {
    List *r = rt_list_new(l->kind, l->len);
    memcpy(r->items, l->items, (size_t)l->len * sizeof(Val));
    return r;
}

void rt_list_clear(List *l) { l->len = 0; }

/* A stable merge sort on (key, value) pairs; reverse keeps stability like CPython. */
typedef struct { Val k, v; } Pair;

static void merge_sort(Pair *a, Pair *tmp, int64_t n, int kind, bool rev) {
    if (n < 2) return;
    if (n <= 12) {
        for (int64_t i = 1; i < n; i++) {
            Pair x = a[i];
            int64_t j = i;
            while (j > 0 && (rev ? rt_cmp_val(a[j - 1].k, x.k, kind, CMP_LT)
                                 : rt_cmp_val(x.k, a[j - 1].k, kind, CMP_LT))) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    int64_t m = n / 2;
    merge_sort(a, tmp, m, kind, rev);
    merge_sort(a + m, tmp, n - m, kind, rev);
    int64_t i = 0, j = m, k = 0;
    while (i < m && j < n) {
        bool take_right = rev ? rt_cmp_val(a[i].k, a[j].k, kind, CMP_LT)
                              : rt_cmp_val(a[j].k, a[i].k, kind, CMP_LT);
        tmp[k++] = take_right ? a[j++] : a[i++];
    }
    while (i < m) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof(Pair));
}

void rt_list_sort(List *l, Closure *key, int keykind, bool reverse) {
    int64_t n = l->len;
    if (n < 2) return;
    Pair *a = malloc((size_t)n * sizeof(Pair) * 2);
    if (!a) rt_raise_new(&T_MemoryError, "out of memory");
    /* the keys may be fresh objects: keep them reachable from a frame during the sort */
    Frame *keep = key && keykind == RK_OBJ ? rt_frame_new(n) : NULL;
    for (int64_t i = 0; i < n; i++) {
        a[i].v = l->items[i];
        a[i].k = key ? rt_call_key(key, l->items[i]) : l->items[i];
        if (keep) keep->v[i] = a[i].k;
    }
    Handler h;
    if (RT_TRY(h)) {
        merge_sort(a, a + n, n, key ? keykind : l->kind, reverse);
        rt_handler = h.prev;
    } else {
        free(a);
        rt_reraise();
    }
    for (int64_t i = 0; i < n; i++) l->items[i] = a[i].v;
    free(a);
    (void)keep;
}

Val rt_list_minmax(List *l, Closure *key, int keykind, bool max, const char *what) {
    if (l->len == 0) rt_raise_new(&T_ValueError, "%s() arg is an empty sequence", what);
    int kind = key ? keykind : l->kind;
    Val best = l->items[0], bk = key ? rt_call_key(key, best) : best;
    for (int64_t i = 1; i < l->len; i++) {
        Val k = key ? rt_call_key(key, l->items[i]) : l->items[i];
        if (rt_cmp_val(k, bk, kind, max ? CMP_GT : CMP_LT)) { best = l->items[i]; bk = k; }
    }
    return best;
}

List *rt_range_list(int64_t a, int64_t b, int64_t step) {
    if (step == 0) rt_raise_new(&T_ValueError, "range() arg 3 must not be zero");
    List *l = rt_list_new(RK_INT, 0);
    for (int64_t i = a; step > 0 ? i < b : i > b; i += step) rt_list_append(l, rt_vi(i));
    return l;
}

List *rt_str_list(Str *s) {
    List *l = rt_list_new(RK_OBJ, 0);
    for (int64_t p = 0; p < s->len;) rt_list_append(l, rt_vp(rt_str_next_char(s, &p)));
    return l;
}

/* ---- heapq ---- */
static bool lt(List *h, int64_t i, int64_t j) { return rt_cmp_val(h->items[i], h->items[j], h->kind, CMP_LT); }
static void swap(List *h, int64_t i, int64_t j) { Val t = h->items[i]; h->items[i] = h->items[j]; h->items[j] = t; }
static void sift_up(List *h, int64_t i) {
    while (i > 0) {
        int64_t p = (i - 1) / 2;
        if (!lt(h, i, p)) break;
        swap(h, i, p);
        i = p;
    }
}
static void sift_down(List *h, int64_t i) {
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->len && lt(h, l, m)) m = l;
        if (r < h->len && lt(h, r, m)) m = r;
        if (m == i) return;
        swap(h, i, m);
        i = m;
    }
}
void rt_heap_push(List *h, Val v) { rt_list_append(h, v); sift_up(h, h->len - 1); }
Val rt_heap_pop(List *h) {
    if (h->len == 0) rt_raise_new(&T_IndexError, "index out of range");
    Val top = h->items[0];
    h->items[0] = h->items[--h->len];
    sift_down(h, 0);
    return top;
}
void rt_heapify(List *h) { for (int64_t i = h->len / 2 - 1; i >= 0; i--) sift_down(h, i); }
Val rt_heap_pushpop(List *h, Val v) {
    if (h->len && rt_cmp_val(h->items[0], v, h->kind, CMP_LT)) {
        Val top = h->items[0];
        h->items[0] = v;
        sift_down(h, 0);
        return top;
    }
    return v;
}
Val rt_heap_replace(List *h, Val v) {
    if (h->len == 0) rt_raise_new(&T_IndexError, "index out of range");
    Val top = h->items[0];
    h->items[0] = v;
    sift_down(h, 0);
    return top;
}

/* ---- bisect ---- */
int64_t rt_bisect(List *l, Val v, bool right, int64_t lo, int64_t hi) {
    if (hi < 0) hi = l->len;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        bool go_right = right ? !rt_cmp_val(v, l->items[mid], l->kind, CMP_LT)
                              : rt_cmp_val(l->items[mid], v, l->kind, CMP_LT);
        if (go_right) lo = mid + 1; else hi = mid;
    }
    return lo;
}
void rt_insort(List *l, Val v, bool right) { rt_list_insert(l, rt_bisect(l, v, right, 0, -1), v); }

/* ---- deque ---- */
static Val *dq_at(Deque *d, int64_t i) { return &d->items[(d->head + i) % d->cap]; }
static Str *deque_repr(Obj *o) {
    Deque *d = (Deque *)o;
    Buf b = {0};
    rt_buf_add(&b, "deque([", 7);
    for (int64_t i = 0; i < d->len; i++) {
        if (i) rt_buf_add(&b, ", ", 2);
        rt_buf_str(&b, rt_repr_val(*dq_at(d, i), d->kind));
    }
    rt_buf_add(&b, "]", 1);
    if (d->maxlen >= 0) {
        char t[40];
        rt_buf_add(&b, t, snprintf(t, sizeof t, ", maxlen=%lld", (long long)d->maxlen));
    }
    rt_buf_add(&b, ")", 1);
    return rt_buf_done(&b);
}
static void deque_trace(Obj *o) {
    Deque *d = (Deque *)o;
    if (d->kind == RK_OBJ) for (int64_t i = 0; i < d->len; i++) rt_gc_mark(dq_at(d, i)->p);
    if (d->kind == RK_INT) for (int64_t i = 0; i < d->len; i++) rt_gc_mark_int(dq_at(d, i)->i);
}
static void deque_fin(Obj *o) { free(((Deque *)o)->items); }
static int64_t deque_len(Obj *o) { return ((Deque *)o)->len; }
static bool deque_eq(Obj *a, Obj *b) {
    Deque *x = (Deque *)a, *y = (Deque *)b;
    if (x->len != y->len) return false;
    for (int64_t i = 0; i < x->len; i++)
        if (!rt_eq_val(*dq_at(x, i), *dq_at(y, i), x->kind)) return false;
    return true;
}
const Type T_Deque = {.name = "deque", .repr = deque_repr, .eq = deque_eq, .trace = deque_trace,
                      .fin = deque_fin, .len = deque_len};

static void dq_grow(Deque *d) {
    if (d->len < d->cap) return;
    int64_t cap = d->cap ? d->cap * 2 : 8;
    Val *items = malloc((size_t)cap * sizeof(Val));
    if (!items) rt_raise_new(&T_MemoryError, "out of memory");
    for (int64_t i = 0; i < d->len; i++) items[i] = *dq_at(d, i);
    free(d->items);
    rt_gc_account((size_t)(cap - d->cap) * sizeof(Val));
    d->items = items;
    d->cap = cap;
    d->head = 0;
}
Deque *rt_deque_new(int kind, List *init, int64_t maxlen) {
    Deque *d = rt_alloc(&T_Deque, sizeof(Deque));
    d->kind = kind;
    d->maxlen = maxlen;
    if (init) for (int64_t i = 0; i < init->len; i++) rt_deque_append(d, init->items[i]);
    return d;
}
void rt_deque_append(Deque *d, Val v) {
    if (d->maxlen == 0) return;
    if (d->maxlen > 0 && d->len == d->maxlen) rt_deque_popleft(d);
    dq_grow(d);
    *dq_at(d, d->len++) = v;
}
void rt_deque_appendleft(Deque *d, Val v) {
    if (d->maxlen == 0) return;
    if (d->maxlen > 0 && d->len == d->maxlen) rt_deque_pop(d);
    dq_grow(d);
    d->head = (d->head + d->cap - 1) % d->cap;
    d->items[d->head] = v;
    d->len++;
}
Val rt_deque_pop(Deque *d) {
    if (!d->len) rt_raise_new(&T_IndexError, "pop from an empty deque");
    return *dq_at(d, --d->len);
}
Val rt_deque_popleft(Deque *d) {
    if (!d->len) rt_raise_new(&T_IndexError, "pop from an empty deque");
    Val v = d->items[d->head];
    d->head = (d->head + 1) % d->cap;
    d->len--;
    return v;
}
Val rt_deque_get(Deque *d, int64_t i) {
    int64_t j = i < 0 ? i + d->len : i;
    if (j < 0 || j >= d->len) rt_raise_new(&T_IndexError, "deque index out of range");
    return *dq_at(d, j);
}
void rt_deque_set(Deque *d, int64_t i, Val v) {
    int64_t j = i < 0 ? i + d->len : i;
    if (j < 0 || j >= d->len) rt_raise_new(&T_IndexError, "deque index out of range");
    *dq_at(d, j) = v;
}
void rt_deque_rotate(Deque *d, int64_t n) {
    if (d->len < 2) return;
    n %= d->len;
    if (n < 0) n += d->len;
    for (int64_t i = 0; i < n; i++) rt_deque_appendleft(d, rt_deque_pop(d));
}
void rt_deque_clear(Deque *d) { d->len = 0; d->head = 0; }
bool rt_deque_contains(Deque *d, Val v) {
    for (int64_t i = 0; i < d->len; i++)
        if (rt_eq_val(*dq_at(d, i), v, d->kind)) return true;
    return false;
}
