/*
 * bif_core.c — the BIF table, and the BIFs on numbers, comparisons, type
 * tests, tuples and lists.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"
#include "bignum.h"

const BifFn bif_table[] = {
#define B(fn, m, f, a) fn,
#include "bifs.h"
#undef B
};

const struct bif_name bif_names[] = {
#define B(fn, m, f, a) {m, f, a},
#include "bifs.h"
#undef B
};

uint64_t trap_pc;
uint32_t trap_arity;

Term raise(Proc *p, Term cls, Term reason)
{
    p->fclass = cls;
    p->freason = reason;
    return NONV;
}

Term badarg(Proc *p) { return raise(p, AM(error), AM(badarg)); }
Term badarith(Proc *p) { return raise(p, AM(error), AM(badarith)); }

Term mk_tuple2(Proc *p, Term a, Term b)
{
    Term t = make_tuple(p, 2);
    tuple_ptr(t)[0] = a;
    tuple_ptr(t)[1] = b;
    return t;
}

Term mk_tuple3(Proc *p, Term a, Term b, Term c)
{
    Term t = make_tuple(p, 3);
    Term *e = tuple_ptr(t);
    e[0] = a; e[1] = b; e[2] = c;
    return t;
}

Term mk_tuple4(Proc *p, Term a, Term b, Term c, Term d)
{
    Term t = make_tuple(p, 4);
    Term *e = tuple_ptr(t);
    e[0] = a; e[1] = b; e[2] = c; e[3] = d;
    return t;
}

uint64_t list_length(Term t)
{
    uint64_t n = 0;
    while (is_cons(t)) {
        n++;
        t = CDR(t);
    }
    return is_nil(t) ? n : (uint64_t)-1;
}

static Term boolean(int b) { return b ? AM(true) : AM(false); }

/* ---- arithmetic ---- */
BIF(bif_add) { return arith_add(p, a[0], a[1]); }
BIF(bif_sub) { return arith_sub(p, a[0], a[1]); }
BIF(bif_mul) { return arith_mul(p, a[0], a[1]); }
BIF(bif_fdiv) { return arith_div(p, a[0], a[1]); }
BIF(bif_div) { return arith_intdiv(p, a[0], a[1]); }
BIF(bif_rem) { return arith_rem(p, a[0], a[1]); }
BIF(bif_band) { return arith_band(p, a[0], a[1]); }
BIF(bif_bor) { return arith_bor(p, a[0], a[1]); }
BIF(bif_bxor) { return arith_bxor(p, a[0], a[1]); }
BIF(bif_bsl) { return arith_bsl(p, a[0], a[1]); }
BIF(bif_bsr) { return arith_bsr(p, a[0], a[1]); }
BIF(bif_bnot) { return arith_bnot(p, a[0]); }
BIF(bif_neg) { return arith_neg(p, a[0]); }
BIF(bif_plus1) { return is_number(a[0]) ? a[0] : badarith(p); }

BIF(bif_eq) { (void)p; return boolean(term_eq(a[0], a[1])); }
BIF(bif_ne) { (void)p; return boolean(!term_eq(a[0], a[1])); }
BIF(bif_eqx) { (void)p; return boolean(term_eq_exact(a[0], a[1])); }
BIF(bif_nex) { (void)p; return boolean(!term_eq_exact(a[0], a[1])); }
BIF(bif_lt) { (void)p; return boolean(term_cmp(a[0], a[1]) < 0); }
BIF(bif_gt) { (void)p; return boolean(term_cmp(a[0], a[1]) > 0); }
BIF(bif_le) { (void)p; return boolean(term_cmp(a[0], a[1]) <= 0); }
BIF(bif_ge) { (void)p; return boolean(term_cmp(a[0], a[1]) >= 0); }

static int is_bool(Term t) { return t == AM(true) || t == AM(false); }
BIF(bif_and)
{
    if (!is_bool(a[0]) || !is_bool(a[1]))
        return badarg(p);
    return boolean(a[0] == AM(true) && a[1] == AM(true));
}
BIF(bif_or)
{
    if (!is_bool(a[0]) || !is_bool(a[1]))
        return badarg(p);
    return boolean(a[0] == AM(true) || a[1] == AM(true));
}
BIF(bif_xor)
{
    if (!is_bool(a[0]) || !is_bool(a[1]))
        return badarg(p);
    return boolean(a[0] != a[1]);
}
BIF(bif_not)
{
    if (!is_bool(a[0]))
        return badarg(p);
    return boolean(a[0] == AM(false));
}

BIF(bif_abs)
{
    if (is_float(a[0]))
        return make_float(p, fabs(float_val(a[0])));
    if (!is_integer(a[0]))
        return badarg(p);
    return int_cmp(a[0], make_small(0)) < 0 ? arith_neg(p, a[0]) : a[0];
}
BIF(bif_max) { (void)p; return term_cmp(a[0], a[1]) < 0 ? a[1] : a[0]; }
BIF(bif_min) { (void)p; return term_cmp(a[0], a[1]) > 0 ? a[1] : a[0]; }

BIF(bif_float)
{
    double d;
    if (!to_double(a[0], &d))
        return badarg(p);
    return is_float(a[0]) ? a[0] : make_float(p, d);
}

static Term from_double_int(Proc *p, double d)
{
    if (d > -4e18 && d < 4e18)
        return make_integer(p, (SInt)d);
    return big_from_double(p, d);
}

static Term rounding(Proc *p, Term t, double (*f)(double))
{
    if (is_integer(t))
        return t;
    if (!is_float(t))
        return badarg(p);
    return from_double_int(p, f(float_val(t)));
}
BIF(bif_trunc) { return rounding(p, a[0], trunc); }
BIF(bif_round) { return rounding(p, a[0], round); }
BIF(bif_floor) { return rounding(p, a[0], floor); }
BIF(bif_ceil) { return rounding(p, a[0], ceil); }

/* ---- type tests ---- */
BIF(bif_is_atom) { (void)p; return boolean(is_atom(a[0])); }
BIF(bif_is_binary) { (void)p; return boolean(is_bitstring(a[0]) && bits_size_of(a[0]) % 8 == 0); }
BIF(bif_is_bitstring) { (void)p; return boolean(is_bitstring(a[0])); }
BIF(bif_is_boolean) { (void)p; return boolean(is_bool(a[0])); }
BIF(bif_is_float) { (void)p; return boolean(is_float(a[0])); }
BIF(bif_is_function) { (void)p; return boolean(is_fun(a[0])); }
BIF(bif_is_function2)
{
    if (!is_small(a[1]) || small_val(a[1]) < 0)
        return badarg(p);
    if (is_box_of(a[0], S_FUN)) {
        const struct erl_fun *fe = &erl_funs[small_val(box_ptr(a[0])[1])];
        return boolean((SInt)(fe->arity - fe->nfree) == small_val(a[1]));
    }
    if (is_box_of(a[0], S_EXPORT))
        return boolean(box_ptr(a[0])[3] == a[1]);
    return AM(false);
}
BIF(bif_is_integer) { (void)p; return boolean(is_integer(a[0])); }
BIF(bif_is_list) { (void)p; return boolean(is_list(a[0])); }
BIF(bif_is_map) { (void)p; return boolean(is_map(a[0])); }
BIF(bif_is_number) { (void)p; return boolean(is_number(a[0])); }
BIF(bif_is_pid) { (void)p; return boolean(is_pid(a[0])); }
BIF(bif_is_port) { (void)p; (void)a; return AM(false); }
BIF(bif_is_reference) { (void)p; return boolean(is_ref(a[0])); }
BIF(bif_is_tuple) { (void)p; return boolean(is_tuple(a[0])); }
BIF(bif_is_record)
{
    (void)p;
    return boolean(is_tuple(a[0]) && tuple_size(a[0]) > 0 && tuple_ptr(a[0])[0] == a[1]);
}
BIF(bif_is_record3)
{
    (void)p;
    return boolean(is_tuple(a[0]) && is_small(a[2]) &&
                   (SInt)tuple_size(a[0]) == small_val(a[2]) && tuple_ptr(a[0])[0] == a[1]);
}

/* ---- tuples ---- */
BIF(bif_element)
{
    if (!is_small(a[0]) || !is_tuple(a[1]))
        return badarg(p);
    SInt i = small_val(a[0]);
    if (i < 1 || (uint64_t)i > tuple_size(a[1]))
        return badarg(p);
    return tuple_ptr(a[1])[i - 1];
}
BIF(bif_setelement)
{
    if (!is_small(a[0]) || !is_tuple(a[1]))
        return badarg(p);
    SInt i = small_val(a[0]);
    uint64_t n = tuple_size(a[1]);
    if (i < 1 || (uint64_t)i > n)
        return badarg(p);
    Term t = make_tuple(p, n);
    memcpy(tuple_ptr(t), tuple_ptr(a[1]), n * sizeof(Term));
    tuple_ptr(t)[i - 1] = a[2];
    return t;
}
BIF(bif_tuple_size) { return is_tuple(a[0]) ? make_small((SInt)tuple_size(a[0])) : badarg(p); }
BIF(bif_size)
{
    if (is_tuple(a[0]))
        return make_small((SInt)tuple_size(a[0]));
    if (is_bitstring(a[0]))
        return make_small((SInt)(bits_size_of(a[0]) / 8));
    return badarg(p);
}
BIF(bif_make_tuple)
{
    if (!is_small(a[0]) || small_val(a[0]) < 0 || small_val(a[0]) > (1 << 24))
        return badarg(p);
    uint64_t n = (uint64_t)small_val(a[0]);
    Term t = make_tuple(p, n);
    for (uint64_t i = 0; i < n; i++)
        tuple_ptr(t)[i] = a[1];
    return t;
}
BIF(bif_make_tuple3)
{
    Term t = bif_make_tuple(p, a);
    if (t == NONV)
        return t;
    uint64_t n = tuple_size(t);
    for (Term l = a[2]; is_cons(l); l = CDR(l)) {
        Term e = CAR(l);
        if (!is_tuple(e) || tuple_size(e) != 2 || !is_small(tuple_ptr(e)[0]))
            return badarg(p);
        SInt i = small_val(tuple_ptr(e)[0]);
        if (i < 1 || (uint64_t)i > n)
            return badarg(p);
        tuple_ptr(t)[i - 1] = tuple_ptr(e)[1];
    }
    return t;
}
BIF(bif_tuple_to_list)
{
    if (!is_tuple(a[0]))
        return badarg(p);
    Term l = NIL;
    for (uint64_t i = tuple_size(a[0]); i > 0; i--)
        l = cons(p, tuple_ptr(a[0])[i - 1], l);
    return l;
}
BIF(bif_list_to_tuple)
{
    uint64_t n = list_length(a[0]);
    if (n == (uint64_t)-1)
        return badarg(p);
    Term t = make_tuple(p, n);
    Term l = a[0];
    for (uint64_t i = 0; i < n; i++, l = CDR(l))
        tuple_ptr(t)[i] = CAR(l);
    return t;
}
BIF(bif_append_element)
{
    if (!is_tuple(a[0]))
        return badarg(p);
    uint64_t n = tuple_size(a[0]);
    Term t = make_tuple(p, n + 1);
    memcpy(tuple_ptr(t), tuple_ptr(a[0]), n * sizeof(Term));
    tuple_ptr(t)[n] = a[1];
    return t;
}
BIF(bif_delete_element)
{
    if (!is_small(a[0]) || !is_tuple(a[1]))
        return badarg(p);
    SInt i = small_val(a[0]);
    uint64_t n = tuple_size(a[1]);
    if (i < 1 || (uint64_t)i > n)
        return badarg(p);
    Term t = make_tuple(p, n - 1);
    Term *s = tuple_ptr(a[1]), *d = tuple_ptr(t);
    for (uint64_t k = 0, j = 0; k < n; k++)
        if (k != (uint64_t)(i - 1))
            d[j++] = s[k];
    return t;
}
BIF(bif_insert_element)
{
    if (!is_small(a[0]) || !is_tuple(a[1]))
        return badarg(p);
    SInt i = small_val(a[0]);
    uint64_t n = tuple_size(a[1]);
    if (i < 1 || (uint64_t)i > n + 1)
        return badarg(p);
    Term t = make_tuple(p, n + 1);
    Term *s = tuple_ptr(a[1]), *d = tuple_ptr(t);
    for (uint64_t k = 0, j = 0; k <= n; k++)
        d[k] = k == (uint64_t)(i - 1) ? a[2] : s[j++];
    return t;
}

/* ---- lists ---- */
BIF(bif_length)
{
    uint64_t n = list_length(a[0]);
    return n == (uint64_t)-1 ? badarg(p) : make_small((SInt)n);
}
BIF(bif_hd) { return is_cons(a[0]) ? CAR(a[0]) : badarg(p); }
BIF(bif_tl) { return is_cons(a[0]) ? CDR(a[0]) : badarg(p); }

BIF(bif_append)
{
    Term l = a[0];
    if (is_nil(l))
        return a[1];
    uint64_t n = list_length(l);
    if (n == (uint64_t)-1)
        return badarg(p);
    Term *c = halloc(p, 2 * n);
    for (uint64_t i = 0; i < n; i++, l = CDR(l)) {
        c[2 * i] = CAR(l);
        c[2 * i + 1] = i + 1 < n ? make_cons(&c[2 * i + 2]) : a[1];
    }
    return make_cons(c);
}

BIF(bif_subtract)
{
    uint64_t n = list_length(a[0]), m = list_length(a[1]);
    if (n == (uint64_t)-1 || m == (uint64_t)-1)
        return badarg(p);
    if (m == 0 || n == 0)
        return a[0];
    Term *items = malloc(n * sizeof(Term));
    char *gone = calloc(n, 1);
    if (items == NULL || gone == NULL)
        fatal("out of memory");
    Term l = a[0];
    for (uint64_t i = 0; i < n; i++, l = CDR(l))
        items[i] = CAR(l);
    for (Term r = a[1]; is_cons(r); r = CDR(r)) {
        for (uint64_t i = 0; i < n; i++) {
            if (!gone[i] && term_eq_exact(items[i], CAR(r))) {
                gone[i] = 1;
                break;
            }
        }
    }
    Term out = NIL;
    for (uint64_t i = n; i > 0; i--)
        if (!gone[i - 1])
            out = cons(p, items[i - 1], out);
    free(items);
    free(gone);
    return out;
}

BIF(bif_lists_reverse)
{
    Term r = a[1], l = a[0];
    while (is_cons(l)) {
        r = cons(p, CAR(l), r);
        l = CDR(l);
    }
    return is_nil(l) ? r : badarg(p);
}

static Term keyfind(Proc *p, Term *a, Term *found)
{
    if (!is_small(a[1]) || small_val(a[1]) < 1)
        return badarg(p);
    uint64_t pos = (uint64_t)small_val(a[1]);
    Term l = a[2];
    *found = NONV;
    for (; is_cons(l); l = CDR(l)) {
        Term t = CAR(l);
        if (is_tuple(t) && tuple_size(t) >= pos && term_eq(tuple_ptr(t)[pos - 1], a[0])) {
            *found = t;
            return AM(true);
        }
    }
    return is_nil(l) ? AM(false) : badarg(p);
}
BIF(bif_lists_keyfind)
{
    Term f;
    Term r = keyfind(p, a, &f);
    return r == AM(true) ? f : r;
}
BIF(bif_lists_keymember)
{
    Term f;
    return keyfind(p, a, &f);
}
BIF(bif_lists_keysearch)
{
    Term f;
    Term r = keyfind(p, a, &f);
    return r == AM(true) ? mk_tuple2(p, AM(value), f) : r;
}
BIF(bif_lists_member)
{
    Term l = a[1];
    for (; is_cons(l); l = CDR(l))
        if (term_eq_exact(CAR(l), a[0]))
            return AM(true);
    return is_nil(l) ? AM(false) : badarg(p);
}
