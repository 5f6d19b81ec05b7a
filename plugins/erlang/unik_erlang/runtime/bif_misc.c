/*
 * bif_misc.c — erlang BIFs that programs call without needing more than a
 * single node can answer: nodes/0,1 ([]), is_alive/0 (false), spawn and
 * spawn_link naming a node (this one), fun_info/1, memory/0,1 (this VM's
 * heaps and blocks, not BEAM's numbers), garbage_collect/1,2,
 * group_leader/2 (output has one destination), bump_reductions/1,
 * hibernate/3 (calls M:F(A) at once: its wait for a message is the callee's
 * own receive, as in gen_server's wake_hib), is_builtin/3, append/2,
 * subtract/2, external_size/2, read_timer/2, time_offset/1,
 * binary_to_existing_atom/1, file:native_name_encoding/0, and math's
 * hyperbolic inverses and error functions.
 */
#include <math.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"

static Term name(const char *s) { return atom_from(s, strlen(s), 1); }

enum { N_BIFS = 0
#define B(fn, m, f, ar) + 1
#include "bifs.h"
#undef B
};

BIF(bif_nodes0) { (void)a; (void)p; return NIL; }
BIF(bif_nodes1)
{
    if (!is_atom(a[0]) && !is_list(a[0]))
        return badarg(p);
    /* nodes(this) and nodes([this | _]) list this node, as in erl */
    Term l = is_atom(a[0]) ? cons(p, a[0], NIL) : a[0];
    for (; is_cons(l); l = CDR(l))
        if (CAR(l) == name("this"))
            return cons(p, AM(nonode), NIL);
    return NIL;
}
BIF(bif_is_alive) { (void)a; (void)p; return AM(false); }

static int this_node(Term n) { return n == AM(nonode); }
BIF(bif_spawn2) { return this_node(a[0]) ? bif_spawn1(p, a + 1) : badarg(p); }
BIF(bif_spawn4) { return this_node(a[0]) ? bif_spawn3(p, a + 1) : badarg(p); }
BIF(bif_spawn_link2) { return this_node(a[0]) ? bif_spawn_link1(p, a + 1) : badarg(p); }
BIF(bif_spawn_link4) { return this_node(a[0]) ? bif_spawn_link3(p, a + 1) : badarg(p); }
BIF(bif_spawn_monitor2) { return this_node(a[0]) ? bif_spawn_monitor1(p, a + 1) : badarg(p); }
BIF(bif_spawn_monitor4) { return this_node(a[0]) ? bif_spawn_monitor3(p, a + 1) : badarg(p); }

/* fun_info/1: fun_info/2's items in erl's order */
BIF(bif_fun_info1)
{
    static const char *const local[] = {"pid", "module", "new_index", "new_uniq", "index",
                                        "uniq", "name", "arity", "env", "type"};
    static const char *const external[] = {"module", "name", "arity", "env", "type"};
    if (!is_fun(a[0]))
        return badarg(p);
    int ext = is_box_of(a[0], S_EXPORT);
    const char *const *items = ext ? external : local;
    int n = ext ? 5 : 10;
    Term l = NIL;
    for (int i = n; i > 0; i--) {
        Term args[2] = {a[0], name(items[i - 1])};
        l = cons(p, bif_fun_info(p, args), l);
    }
    return l;
}

/* memory/0,1 in bytes: processes' heaps and stacks, the rest as "system" */
static uint64_t process_bytes(void)
{
    uint64_t words = 0;
    for (uint64_t i = 0; i < nprocs; i++) {
        Proc *q = proc_table[i];
        if (q == NULL || q->state == P_FREE)
            continue;
        words += (uint64_t)(q->hend - q->heap) + (uint64_t)(q->stack_hi - q->stack_lo) +
                 (uint64_t)(q->old_hend - q->old_heap) + q->frag_words;
    }
    return words * 8;
}

static Term memory_item(Term k)
{
    uint64_t procs = process_bytes(), atoms = atoms_total() * 16, code = erl_code_len * 8;
    uint64_t system = atoms + code + 65536;
    static const char *const items[] = {"total", "processes", "processes_used", "system",
                                        "atom", "atom_used", "binary", "code", "ets"};
    uint64_t vals[] = {procs + system, procs, procs, system, atoms, atoms, 0, code, 0};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        if (k == name(items[i]))
            return make_small((SInt)vals[i]);
    return NONV;
}

BIF(bif_memory0)
{
    (void)a;
    static const char *const items[] = {"total", "processes", "processes_used", "system",
                                        "atom", "atom_used", "binary", "code", "ets"};
    Term l = NIL;
    for (size_t i = sizeof items / sizeof *items; i > 0; i--)
        l = cons(p, mk_tuple2(p, name(items[i - 1]), memory_item(name(items[i - 1]))), l);
    return l;
}

BIF(bif_memory1)
{
    if (is_atom(a[0])) {
        Term v = memory_item(a[0]);
        return v == NONV ? badarg(p) : v;
    }
    Term out[32];
    int n = 0;
    for (Term l = a[0]; is_cons(l) && n < 32; l = CDR(l)) {
        Term v = memory_item(CAR(l));
        if (v == NONV)
            return badarg(p);
        out[n++] = mk_tuple2(p, CAR(l), v);
    }
    Term l = NIL;
    while (n > 0)
        l = cons(p, out[--n], l);
    return l;
}

BIF(bif_garbage_collect1) { return is_pid(a[0]) ? (proc_get(a[0]) ? AM(true) : AM(false)) : badarg(p); }
BIF(bif_garbage_collect2) { return bif_garbage_collect1(p, a); }
BIF(bif_group_leader2) { return is_pid(a[0]) && is_pid(a[1]) ? AM(true) : badarg(p); }
BIF(bif_bump_reductions) { return is_small(a[0]) && small_val(a[0]) >= 0 ? AM(true) : badarg(p); }
BIF(bif_hibernate) { return bif_apply3(p, a); }

BIF(bif_is_builtin)
{
    if (!is_atom(a[0]) || !is_atom(a[1]) || !is_small(a[2]))
        return badarg(p);
    size_t ml, fl;
    const char *m = atom_name(a[0], &ml), *f = atom_name(a[1], &fl);
    for (uint64_t i = 0; i < N_BIFS; i++)
        if (bif_names[i].arity == small_val(a[2]) && strlen(bif_names[i].module) == ml &&
                memcmp(bif_names[i].module, m, ml) == 0 && strlen(bif_names[i].name) == fl &&
                memcmp(bif_names[i].name, f, fl) == 0)
            return AM(true);
    return AM(false);
}

BIF(bif_append2) { return bif_append(p, a); }
BIF(bif_subtract2) { return bif_subtract(p, a); }
BIF(bif_external_size2) { return is_list(a[1]) ? bif_external_size(p, a) : badarg(p); }
BIF(bif_read_timer2) { return is_list(a[1]) ? bif_read_timer(p, a) : badarg(p); }

BIF(bif_time_offset1)
{
    Term args[3] = {bif_time_offset(p, a), AM(native), a[0]};
    return bif_convert_time_unit(p, args);
}

BIF(bif_binary_to_existing_atom1)
{
    Term args[2] = {a[0], AM(utf8)};
    return bif_binary_to_existing_atom(p, args);
}

BIF(bif_native_name_encoding) { (void)a; (void)p; return AM(utf8); }

static Term math1(Proc *p, Term x, double (*f)(double))
{
    double d;
    if (!to_double(x, &d))
        return badarg(p);
    double r = f(d);
    return isfinite(r) ? make_float(p, r) : badarith(p);
}
BIF(bif_math_acosh) { return math1(p, a[0], acosh); }
BIF(bif_math_asinh) { return math1(p, a[0], asinh); }
BIF(bif_math_atanh) { return math1(p, a[0], atanh); }
BIF(bif_math_erf) { return math1(p, a[0], erf); }
BIF(bif_math_erfc) { return math1(p, a[0], erfc); }
