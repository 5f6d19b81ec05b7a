/*
 * ets_ms.c — match specifications ([{Head, Guards, Body}], what ets:select,
 * ets:select_count/delete, ets:match_spec_run and ets:fun2ms's output are
 * made of) and the match patterns of ets:match/match_object.
 *
 * Head is a pattern: '_' matches anything, '$N' binds variable N (a second
 * '$N' must be equal); maps match when their keys are present. Guards and the
 * body are expressions: '$N', '$_' (the whole object), '$$' (all bound
 * variables), {const, T}, {{...}} (a tuple built), lists built element by
 * element, and {Function, Args...} calls of the guard BIFs (comparisons, type
 * tests, arithmetic, boolean operators with andalso/orelse, element, hd, tl,
 * length, size, map_get, abs, float, round, self…). A guard that raises is
 * false, as in erl.
 */
#include <string.h>
#include "vm.h"
#include "maps.h"
#include "bits.h"
#include "ets_ms.h"

#define MAX_VARS 256

enum { N_BIFS = 0
#define B(fn, m, f, ar) + 1
#include "bifs.h"
#undef B
};

/* the erlang BIFs a guard may call */
static int guard_bif(const char *name)
{
    static const char *const ok[] = {
        "element", "hd", "tl", "length", "size", "tuple_size", "byte_size", "bit_size",
        "map_size", "map_get", "is_map_key", "abs", "float", "round", "trunc", "ceil", "floor",
        "+", "-", "*", "/", "div", "rem", "band", "bor", "bxor", "bnot", "bsl", "bsr",
        "==", "/=", "=:=", "=/=", "<", ">", "=<", ">=", "and", "or", "xor", "not",
        "binary_part", "is_function", "is_record", "min", "max"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcmp(name, ok[i]) == 0)
            return 1;
    return 0;
}

typedef struct {
    Term binds[MAX_VARS];
    int maxv;
    Term obj;
} Env;

static Term named(const char *s) { return atom_from(s, strlen(s), 1); }

/* '_' → -1, '$N' → N, anything else → -2 ('$_' and '$$' included) */
static int var_of(Term t)
{
    if (!is_atom(t))
        return -2;
    size_t len;
    const char *s = atom_name(t, &len);
    if (len == 1 && s[0] == '_')
        return -1;
    if (len < 2 || s[0] != '$')
        return -2;
    int v = 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 100000000)
            return -2;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int pmatch(Term pat, Term t, Env *env)
{
    int v = var_of(pat);
    if (v == -1)
        return 1;
    if (v >= 0) {
        if (v >= MAX_VARS)
            return 0;
        if (env->binds[v] != NONV)
            return term_eq_exact(env->binds[v], t);
        env->binds[v] = t;
        if (v > env->maxv)
            env->maxv = v;
        return 1;
    }
    if (is_tuple(pat)) {
        if (!is_tuple(t) || tuple_size(t) != tuple_size(pat))
            return 0;
        for (uint64_t i = 0; i < tuple_size(pat); i++)
            if (!pmatch(tuple_ptr(pat)[i], tuple_ptr(t)[i], env))
                return 0;
        return 1;
    }
    if (is_cons(pat)) {
        while (is_cons(pat)) {
            if (!is_cons(t) || !pmatch(CAR(pat), CAR(t), env))
                return 0;
            pat = CDR(pat);
            t = CDR(t);
        }
        return pmatch(pat, t, env);
    }
    if (is_map(pat)) {
        if (!is_map(t))
            return 0;
        Term *keys = tuple_ptr(map_keys(pat));
        Term *vals = map_vals(pat);
        for (uint64_t i = 0; i < map_size(pat); i++) {
            Term v2 = map_get(t, keys[i]);
            if (v2 == NONV || !pmatch(vals[i], v2, env))
                return 0;
        }
        return 1;
    }
    return term_eq_exact(pat, t);
}

int ms_pattern_match(Term pat, Term obj, Term *vars_out, Proc *p)
{
    Env env;
    env.maxv = -1;
    env.obj = obj;
    for (int k = 0; k < MAX_VARS; k++)
        env.binds[k] = NONV;
    if (!pmatch(pat, obj, &env))
        return 0;
    if (vars_out != NULL) {
        Term l = NIL;
        for (int k = env.maxv; k >= 0; k--)
            if (env.binds[k] != NONV)
                l = cons(p, env.binds[k], l);
        *vars_out = l;
    }
    return 1;
}

/* ---- expressions ---- */

static Term eval(Proc *p, Term e, Env *env);

static Term all_vars(Proc *p, Env *env)
{
    Term l = NIL;
    for (int k = env->maxv; k >= 0; k--)
        if (env->binds[k] != NONV)
            l = cons(p, env->binds[k], l);
    return l;
}

static int truthy(Term t) { return t == AM(true); }
static Term boolean(int b) { return b ? AM(true) : AM(false); }

static int name_is(Term a, const char *s)
{
    size_t n;
    const char *t = atom_name(a, &n);
    return n == strlen(s) && memcmp(t, s, n) == 0;
}

/* a call {F, A1, ...}: the arguments are evaluated first (but andalso/orelse) */
static Term call(Proc *p, Term f, Term *e, uint64_t n, Env *env)
{
    if (name_is(f, "andalso") || name_is(f, "orelse")) {
        int is_and = name_is(f, "andalso");
        for (uint64_t i = 0; i < n; i++) {
            Term v = eval(p, e[i], env);
            if (v != AM(true) && v != AM(false))
                return NONV;
            if (is_and && v == AM(false))
                return v;
            if (!is_and && v == AM(true))
                return v;
        }
        return boolean(is_and);
    }
    Term a[8];
    if (n > 8)
        return NONV;
    for (uint64_t i = 0; i < n; i++)
        if ((a[i] = eval(p, e[i], env)) == NONV)
            return NONV;
    if (n == 0) {
        if (name_is(f, "self"))
            return p->pid;
        if (name_is(f, "node"))
            return AM(nonode);
        return NONV;
    }
    if (n == 1) {
        static const char *const tests[] = {
            "is_atom", "is_integer", "is_float", "is_number", "is_list", "is_tuple",
            "is_binary", "is_bitstring", "is_map", "is_pid", "is_reference", "is_function",
            "is_boolean", "is_port"};
        Term x = a[0];
        for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
            if (!name_is(f, tests[i]))
                continue;
            switch (i) {
            case 0: return boolean(is_atom(x));
            case 1: return boolean(is_integer(x));
            case 2: return boolean(is_float(x));
            case 3: return boolean(is_number(x));
            case 4: return boolean(is_list(x));
            case 5: return boolean(is_tuple(x));
            case 6: return boolean(is_bitstring(x) && bits_size(x) % 8 == 0);
            case 7: return boolean(is_bitstring(x));
            case 8: return boolean(is_map(x));
            case 9: return boolean(is_pid(x));
            case 10: return boolean(is_ref(x));
            case 11: return boolean(is_fun(x));
            case 12: return boolean(x == AM(true) || x == AM(false));
            default: return AM(false);
            }
        }
        if (name_is(f, "not"))
            return x == AM(true) ? AM(false) : x == AM(false) ? AM(true) : NONV;
    }
    /* everything else is the BIF of that name (erlang module) */
    size_t len;
    const char *fname = atom_name(f, &len);
    for (uint64_t i = 0; i < N_BIFS; i++) {
        const struct bif_name *bn = &bif_names[i];
        if (strcmp(bn->module, "erlang") == 0 && (uint64_t)bn->arity == n &&
                strlen(bn->name) == len && memcmp(bn->name, fname, len) == 0 &&
                guard_bif(bn->name)) {
            Term r = bif_table[i](p, a);
            return r == TRAP ? NONV : r;
        }
    }
    return NONV;
}

static Term eval(Proc *p, Term e, Env *env)
{
    if (is_atom(e)) {
        int v = var_of(e);
        if (v >= 0)
            return v < MAX_VARS && env->binds[v] != NONV ? env->binds[v] : NONV;
        if (name_is(e, "$_"))
            return env->obj;
        if (name_is(e, "$$"))
            return all_vars(p, env);
        return e;
    }
    if (is_tuple(e)) {
        uint64_t n = tuple_size(e);
        if (n == 0)
            return e;
        Term h = tuple_ptr(e)[0];
        if (n == 1 && is_tuple(h)) {            /* {{...}}: a tuple built */
            uint64_t m = tuple_size(h);
            Term vals[64];
            if (m > 64)
                return NONV;
            for (uint64_t i = 0; i < m; i++)
                if ((vals[i] = eval(p, tuple_ptr(h)[i], env)) == NONV)
                    return NONV;
            Term t = make_tuple(p, m);
            for (uint64_t i = 0; i < m; i++)
                tuple_ptr(t)[i] = vals[i];
            return t;
        }
        if (n == 2 && h == named("const"))
            return tuple_ptr(e)[1];
        if (!is_atom(h))
            return NONV;
        return call(p, h, tuple_ptr(e) + 1, n - 1, env);
    }
    if (is_cons(e)) {
        Term head = eval(p, CAR(e), env);
        if (head == NONV)
            return NONV;
        Term tail = eval(p, CDR(e), env);
        if (tail == NONV)
            return NONV;
        return cons(p, head, tail);
    }
    if (is_map(e)) {
        uint64_t n = map_size(e);
        Term ks[64], vs[64];
        if (n > 64)
            return NONV;
        for (uint64_t i = 0; i < n; i++) {
            ks[i] = eval(p, tuple_ptr(map_keys(e))[i], env);
            vs[i] = ks[i] == NONV ? NONV : eval(p, map_vals(e)[i], env);
            if (vs[i] == NONV)
                return NONV;
        }
        return map_new(p, ks, vs, n);
    }
    return e;
}

int ms_valid(Term ms)
{
    for (; is_cons(ms); ms = CDR(ms)) {
        Term c = CAR(ms);
        if (!is_tuple(c) || tuple_size(c) != 3 || !is_list(tuple_ptr(c)[1]) ||
                !is_list(tuple_ptr(c)[2]))
            return 0;
    }
    return is_nil(ms);
}

/* The result of the first clause whose head matches obj and whose guards hold,
 * or NONV. The result may share parts with obj. */
Term ms_run(Proc *p, Term ms, Term obj)
{
    Env env;
    for (; is_cons(ms); ms = CDR(ms)) {
        Term *c = tuple_ptr(CAR(ms));
        env.maxv = -1;
        env.obj = obj;
        for (int k = 0; k < MAX_VARS; k++)
            env.binds[k] = NONV;
        if (!pmatch(c[0], obj, &env))
            continue;
        int ok = 1;
        for (Term g = c[1]; ok && is_cons(g); g = CDR(g))
            ok = truthy(eval(p, CAR(g), &env));
        if (!ok)
            continue;
        Term r = AM(true);
        if (is_nil(c[2]))
            return r;
        for (Term b = c[2]; is_cons(b); b = CDR(b)) {
            r = eval(p, CAR(b), &env);
            if (r == NONV)
                return named("EXIT");
        }
        return r;
    }
    return NONV;
}
