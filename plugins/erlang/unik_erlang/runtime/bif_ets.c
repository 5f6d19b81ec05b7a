/*
 * bif_ets.c — ETS basics: set, ordered_set, bag and duplicate_bag tables of
 * tuples kept in an array sorted by key (ordered_set order for all kinds);
 * every object is a copy in a block of its own, copied out again on lookup.
 * A table belongs to the process that made it and goes when it exits (no
 * heir, no give_away).
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"
#include "bifs_decl.h"
#include "ets_ms.h"

extern Term copy_term_block(Term t, Term **block);

typedef struct { Term obj; Term *block; } Obj;
typedef struct {
    Term id, name, owner, protection;
    int kind, named;
    uint32_t keypos;
    Obj *objs;
    uint64_t n, cap;
} Table;

static Table *tables;
static uint64_t ntables;

static Table *find_table(Term t)
{
    for (uint64_t i = 0; i < ntables; i++) {
        Table *tb = &tables[i];
        if (tb->id == NONV)
            continue;
        if (tb->id == t || (tb->named && tb->name == t))
            return tb;
    }
    return NULL;
}

int ets_table_exists(Term t) { return find_table(t) != NULL; }

static Term key_of(Table *t, Term obj) { return tuple_ptr(obj)[t->keypos - 1]; }

/* first index whose key is >= key */
static uint64_t lower(Table *t, Term key)
{
    uint64_t lo = 0, hi = t->n;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (term_cmp(key_of(t, t->objs[mid].obj), key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int same_key(Table *t, Term a, Term key)
{
    return t->kind == ATOM_ordered_set ? term_cmp(a, key) == 0 : term_eq_exact(a, key);
}

BIF(bif_ets_new)
{
    if (!is_atom(a[0]))
        return badarg(p);
    Table t = {0};
    t.kind = ATOM_set;
    t.keypos = 1;
    t.name = a[0];
    t.protection = atom_from("protected", 9, 1);
    for (Term o = a[1]; is_cons(o); o = CDR(o)) {
        Term x = CAR(o);
        if (x == AM(set) || x == AM(ordered_set) || x == AM(bag) || x == AM(duplicate_bag))
            t.kind = (int)atom_index(x);
        else if (x == AM(named_table))
            t.named = 1;
        else if (x == atom_from("public", 6, 1) || x == atom_from("private", 7, 1) ||
                 x == atom_from("protected", 9, 1))
            t.protection = x;
        else if (is_tuple(x) && tuple_size(x) == 2 && tuple_ptr(x)[0] == AM(keypos) &&
                 is_small(tuple_ptr(x)[1]) && small_val(tuple_ptr(x)[1]) >= 1)
            t.keypos = (uint32_t)small_val(tuple_ptr(x)[1]);
    }
    if (t.named && find_table(a[0]))
        return badarg(p);
    t.id = make_ref(++ref_counter);     /* a named table has an id too (ets:whereis/1) */
    t.owner = p->pid;
    tables = realloc(tables, (ntables + 1) * sizeof(Table));
    if (tables == NULL)
        fatal("out of memory (ets)");
    tables[ntables++] = t;
    return t.named ? t.name : t.id;
}

static void insert_one(Table *t, Term obj)
{
    Term key = key_of(t, obj);
    uint64_t i = lower(t, key);
    if (t->kind == ATOM_set || t->kind == ATOM_ordered_set) {
        if (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key)) {
            free(t->objs[i].block);
            t->objs[i].obj = copy_term_block(obj, &t->objs[i].block);
            return;
        }
    } else {
        while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key)) {
            if (t->kind == ATOM_bag && term_eq_exact(t->objs[i].obj, obj))
                return;
            i++;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->objs = realloc(t->objs, t->cap * sizeof(Obj));
        if (t->objs == NULL)
            fatal("out of memory (ets)");
    }
    memmove(&t->objs[i + 1], &t->objs[i], (t->n - i) * sizeof(Obj));
    t->objs[i].obj = copy_term_block(obj, &t->objs[i].block);
    t->n++;
}

static int valid_obj(Table *t, Term o) { return is_tuple(o) && tuple_size(o) >= t->keypos; }

BIF(bif_ets_insert)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    if (is_list(a[1])) {
        for (Term l = a[1]; is_cons(l); l = CDR(l))
            if (!valid_obj(t, CAR(l)))
                return badarg(p);
        for (Term l = a[1]; is_cons(l); l = CDR(l))
            insert_one(t, CAR(l));
        return AM(true);
    }
    if (!valid_obj(t, a[1]))
        return badarg(p);
    insert_one(t, a[1]);
    return AM(true);
}

BIF(bif_ets_insert_new)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !valid_obj(t, a[1]))
        return badarg(p);
    Term key = key_of(t, a[1]);
    uint64_t i = lower(t, key);
    if (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key))
        return AM(false);
    insert_one(t, a[1]);
    return AM(true);
}

BIF(bif_ets_lookup)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]), j = i;
    while (j < t->n && same_key(t, key_of(t, t->objs[j].obj), a[1]))
        j++;
    Term l = NIL;
    while (j > i)
        l = cons(p, copy_term(p, t->objs[--j].obj), l);
    return l;
}

BIF(bif_ets_lookup_element)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !is_small(a[2]) || small_val(a[2]) < 1)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    if (i >= t->n || !same_key(t, key_of(t, t->objs[i].obj), a[1])) {
        bif_error_cause(atom_from("badkey", 6, 1));
        return badarg(p);
    }
    Term o = t->objs[i].obj;
    if ((uint64_t)small_val(a[2]) > tuple_size(o))
        return badarg(p);
    return copy_term(p, tuple_ptr(o)[small_val(a[2]) - 1]);
}

BIF(bif_ets_member)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    return i < t->n && same_key(t, key_of(t, t->objs[i].obj), a[1]) ? AM(true) : AM(false);
}

static void drop_table(Table *t)
{
    for (uint64_t i = 0; i < t->n; i++)
        free(t->objs[i].block);
    free(t->objs);
    t->objs = NULL;
    t->n = t->cap = 0;
    t->id = NONV;
    t->named = 0;
}

/* The owner exited: its tables go (proc.c). */
void ets_owner_exit(Term pid)
{
    for (uint64_t i = 0; i < ntables; i++)
        if (tables[i].id != NONV && tables[i].owner == pid)
            drop_table(&tables[i]);
}

BIF(bif_ets_delete1)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    for (uint64_t i = 0; i < t->n; i++)
        free(t->objs[i].block);
    free(t->objs);
    t->objs = NULL;
    t->n = t->cap = 0;
    t->id = NONV;
    t->named = 0;
    return AM(true);
}

static void remove_range(Table *t, uint64_t i, uint64_t j)
{
    for (uint64_t k = i; k < j; k++)
        free(t->objs[k].block);
    memmove(&t->objs[i], &t->objs[j], (t->n - j) * sizeof(Obj));
    t->n -= j - i;
}

BIF(bif_ets_delete2)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]), j = i;
    while (j < t->n && same_key(t, key_of(t, t->objs[j].obj), a[1]))
        j++;
    remove_range(t, i, j);
    return AM(true);
}

BIF(bif_ets_delete_object)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !valid_obj(t, a[1]))
        return badarg(p);
    uint64_t i = lower(t, key_of(t, a[1]));
    while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), key_of(t, a[1]))) {
        if (term_eq_exact(t->objs[i].obj, a[1]))
            remove_range(t, i, i + 1);
        else
            i++;
    }
    return AM(true);
}

BIF(bif_ets_tab2list)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    Term l = NIL;
    for (uint64_t i = t->n; i > 0; i--)
        l = cons(p, copy_term(p, t->objs[i - 1].obj), l);
    return l;
}

BIF(bif_ets_info)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return AM(undefined);
    if (a[1] == AM(size))
        return make_small((SInt)t->n);
    if (a[1] == AM(type))
        return make_atom((uint64_t)t->kind);
    if (a[1] == AM(name))
        return t->name;
    if (a[1] == AM(keypos))
        return make_small(t->keypos);
    if (a[1] == AM(named_table))
        return t->named ? AM(true) : AM(false);
    if (a[1] == atom_from("id", 2, 1))
        return t->id;
    if (a[1] == atom_from("owner", 5, 1))
        return t->owner;
    if (a[1] == atom_from("protection", 10, 1))
        return t->protection;
    if (a[1] == atom_from("node", 4, 1))
        return AM(nonode);
    if (a[1] == atom_from("heir", 4, 1))
        return atom_from("none", 4, 1);
    if (a[1] == atom_from("memory", 6, 1)) {
        uint64_t words = 0;
        for (uint64_t i = 0; i < t->n; i++)
            words += term_size(t->objs[i].obj);
        return make_small((SInt)words);
    }
    if (a[1] == atom_from("compressed", 10, 1) || a[1] == atom_from("read_concurrency", 16, 1) ||
            a[1] == atom_from("write_concurrency", 17, 1) ||
            a[1] == atom_from("decentralized_counters", 22, 1) || a[1] == atom_from("fixed", 5, 1))
        return AM(false);
    return badarg(p);
}

/* ets:info/1: erl's items in erl's order */
BIF(bif_ets_info1)
{
    static const char *const items[] = {
        "id", "decentralized_counters", "read_concurrency", "write_concurrency", "compressed",
        "memory", "owner", "heir", "name", "size", "node", "named_table", "type", "keypos",
        "protection"};
    if (find_table(a[0]) == NULL)
        return AM(undefined);
    Term out[15];
    for (int i = 0; i < 15; i++) {
        Term args[2] = {a[0], atom_from(items[i], strlen(items[i]), 1)};
        out[i] = mk_tuple2(p, args[1], bif_ets_info(p, args));
    }
    Term l = NIL;
    for (int i = 15; i > 0; i--)
        l = cons(p, out[i - 1], l);
    return l;
}

BIF(bif_ets_first)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    if (t->n == 0)
        return make_atom(atom_index(atom_from("$end_of_table", 13, 1)));
    return copy_term(p, key_of(t, t->objs[0].obj));
}

BIF(bif_ets_next)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    while (i < t->n && same_key(t, key_of(t, t->objs[i].obj), a[1]))
        i++;
    if (i >= t->n)
        return atom_from("$end_of_table", 13, 1);
    return copy_term(p, key_of(t, t->objs[i].obj));
}

/* ---- match patterns and match specifications (ets_ms.c) ---- */

static Term do_match(Proc *p, Term *a, int objects)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    Term out = NIL;
    for (uint64_t i = t->n; i > 0; i--) {
        Term o = t->objs[i - 1].obj, vars;
        if (!ms_pattern_match(a[1], o, objects ? NULL : &vars, p))
            continue;
        out = cons(p, copy_term(p, objects ? o : vars), out);
    }
    return out;
}
BIF(bif_ets_match_object) { return do_match(p, a, 1); }
BIF(bif_ets_match) { return do_match(p, a, 0); }

BIF(bif_ets_match_delete)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    for (uint64_t i = 0; i < t->n;) {
        if (ms_pattern_match(a[1], t->objs[i].obj, NULL, p))
            remove_range(t, i, i + 1);
        else
            i++;
    }
    return AM(true);
}

static Term end_of_table(void) { return atom_from("$end_of_table", 13, 1); }

/* the results of objects [from, n) in order (or reversed), at most limit of them;
 * *next: the index after the last object looked at */
static Term select_range(Proc *p, Table *t, Term ms, uint64_t from, uint64_t limit,
                         int reverse, uint64_t *next, uint64_t *count)
{
    Term head = NIL, *tail = &head;
    uint64_t got = 0, i = from;
    for (; i < t->n && got < limit; i++) {
        uint64_t k = reverse ? t->n - 1 - i : i;
        Term r = ms_run(p, ms, t->objs[k].obj);
        if (r == NONV)
            continue;
        Term c = cons(p, copy_term(p, r), NIL);
        *tail = c;
        tail = &CDR(c);
        got++;
    }
    *next = i;
    *count = got;
    return head;
}

static Term select_all(Proc *p, Term *a, int reverse)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !ms_valid(a[1]))
        return badarg(p);
    uint64_t next, count;
    return select_range(p, t, a[1], 0, UINT64_MAX, reverse, &next, &count);
}
BIF(bif_ets_select) { return select_all(p, a, 0); }
BIF(bif_ets_select_reverse) { return select_all(p, a, 1); }

/* ets:select/3 and select/1: a continuation is {'$ets_select', Tab, MS, Next, Limit} */
static Term select_chunk(Proc *p, Term tab, Term ms, uint64_t from, uint64_t limit)
{
    Table *t = find_table(tab);
    if (t == NULL || !ms_valid(ms) || limit == 0)
        return badarg(p);
    uint64_t next, count;
    Term l = select_range(p, t, ms, from, limit, 0, &next, &count);
    if (count == 0)
        return end_of_table();
    Term cont = end_of_table();
    if (next < t->n) {
        Term c = make_tuple(p, 5);
        tuple_ptr(c)[0] = atom_from("$ets_select", 11, 1);
        tuple_ptr(c)[1] = tab;
        tuple_ptr(c)[2] = ms;
        tuple_ptr(c)[3] = make_small((SInt)next);
        tuple_ptr(c)[4] = make_small((SInt)limit);
        cont = c;
    }
    return mk_tuple2(p, l, cont);
}
BIF(bif_ets_select3)
{
    if (!is_small(a[2]) || small_val(a[2]) < 1)
        return badarg(p);
    return select_chunk(p, a[0], a[1], 0, (uint64_t)small_val(a[2]));
}
BIF(bif_ets_select1)
{
    if (a[0] == end_of_table())
        return a[0];
    Term c = a[0];
    if (!is_tuple(c) || tuple_size(c) != 5 || tuple_ptr(c)[0] != atom_from("$ets_select", 11, 1))
        return badarg(p);
    return select_chunk(p, tuple_ptr(c)[1], tuple_ptr(c)[2], (uint64_t)small_val(tuple_ptr(c)[3]),
                        (uint64_t)small_val(tuple_ptr(c)[4]));
}

BIF(bif_ets_select_count)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !ms_valid(a[1]))
        return badarg(p);
    SInt n = 0;
    for (uint64_t i = 0; i < t->n; i++)
        if (ms_run(p, a[1], t->objs[i].obj) == AM(true))
            n++;
    return make_small(n);
}

BIF(bif_ets_select_delete)
{
    Table *t = find_table(a[0]);
    if (t == NULL || !ms_valid(a[1]))
        return badarg(p);
    SInt n = 0;
    for (uint64_t i = 0; i < t->n;) {
        if (ms_run(p, a[1], t->objs[i].obj) == AM(true)) {
            remove_range(t, i, i + 1);
            n++;
        } else {
            i++;
        }
    }
    return make_small(n);
}

/* ets:match_spec_compile/1 and match_spec_run_r/3 (behind ets:match_spec_run/2) */
BIF(bif_ets_ms_compile)
{
    if (!ms_valid(a[0]))
        return badarg(p);
    return mk_tuple2(p, atom_from("$ets_compiled_ms", 16, 1), a[0]);
}
BIF(bif_ets_is_compiled_ms)
{
    (void)p;
    Term c = a[0];
    return is_tuple(c) && tuple_size(c) == 2 &&
           tuple_ptr(c)[0] == atom_from("$ets_compiled_ms", 16, 1) ? AM(true) : AM(false);
}
BIF(bif_ets_ms_run_r)
{
    Term c = a[1];
    if (bif_ets_is_compiled_ms(p, &c) != AM(true) || !is_list(a[0]))
        return badarg(p);
    Term ms = tuple_ptr(c)[1], acc = a[2];
    for (Term l = a[0]; is_cons(l); l = CDR(l)) {
        Term r = ms_run(p, ms, CAR(l));
        if (r != NONV)
            acc = cons(p, r, acc);
    }
    return acc;
}

/* ---- more of the ets API ---- */

BIF(bif_ets_last)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    if (t->n == 0)
        return end_of_table();
    return copy_term(p, key_of(t, t->objs[t->n - 1].obj));
}

BIF(bif_ets_prev)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]);
    if (i == 0)
        return end_of_table();
    return copy_term(p, key_of(t, t->objs[i - 1].obj));
}

BIF(bif_ets_take)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    uint64_t i = lower(t, a[1]), j = i;
    while (j < t->n && same_key(t, key_of(t, t->objs[j].obj), a[1]))
        j++;
    Term l = NIL;
    for (uint64_t k = j; k > i; k--)
        l = cons(p, copy_term(p, t->objs[k - 1].obj), l);
    remove_range(t, i, j);
    return l;
}

BIF(bif_ets_delete_all_objects)
{
    Table *t = find_table(a[0]);
    if (t == NULL)
        return badarg(p);
    remove_range(t, 0, t->n);
    return AM(true);
}

BIF(bif_ets_whereis)
{
    (void)p;
    for (uint64_t i = 0; i < ntables; i++)
        if (tables[i].id != NONV && tables[i].named && tables[i].name == a[0])
            return tables[i].id;
    return AM(undefined);
}

/* a tuple on p's heap whose elements may be changed in place: copying skips
 * literals (an object inserted from a literal is stored as that literal),
 * and an update must never write into the image's literals */
static Term tuple_copy(Proc *p, Term o)
{
    o = copy_term(p, o);
    if (is_literal(o)) {
        Term c = make_tuple(p, tuple_size(o));
        memcpy(tuple_ptr(c), tuple_ptr(o), tuple_size(o) * sizeof(Term));
        o = c;
    }
    return o;
}

/* the one object of a set's key, copied to the heap for changing; NONV: none */
static Term object_for_update(Proc *p, Table *t, Term key, uint64_t *at)
{
    uint64_t i = lower(t, key);
    if (i >= t->n || !same_key(t, key_of(t, t->objs[i].obj), key))
        return NONV;
    *at = i;
    return tuple_copy(p, t->objs[i].obj);
}

static void store_at(Table *t, uint64_t i, Term o)
{
    free(t->objs[i].block);
    t->objs[i].obj = copy_term_block(o, &t->objs[i].block);
}

BIF(bif_ets_update_element)
{
    Table *t = find_table(a[0]);
    if (t == NULL || (t->kind != ATOM_set && t->kind != ATOM_ordered_set))
        return badarg(p);
    uint64_t i;
    Term o = object_for_update(p, t, a[1], &i);
    if (o == NONV)
        return AM(false);
    Term ops = is_tuple(a[2]) ? cons(p, a[2], NIL) : a[2];
    for (Term l = ops; is_cons(l); l = CDR(l)) {
        Term u = CAR(l);
        if (!is_tuple(u) || tuple_size(u) != 2 || !is_small(tuple_ptr(u)[0]))
            return badarg(p);
        SInt pos = small_val(tuple_ptr(u)[0]);
        if (pos < 1 || (uint64_t)pos > tuple_size(o) || pos == (SInt)t->keypos)
            return badarg(p);
    }
    for (Term l = ops; is_cons(l); l = CDR(l))
        tuple_ptr(o)[small_val(tuple_ptr(CAR(l))[0]) - 1] = tuple_ptr(CAR(l))[1];
    store_at(t, i, o);
    return AM(true);
}

/* one update operation of update_counter: Incr | {Pos, Incr} | {Pos, Incr, Threshold, Set} */
static Term counter_op(Proc *p, Table *t, Term o, Term op)
{
    SInt pos = t->keypos + 1;
    Term incr = op, thr = NONV, set = NONV;
    if (is_tuple(op) && (tuple_size(op) == 2 || tuple_size(op) == 4) &&
            is_small(tuple_ptr(op)[0])) {
        pos = small_val(tuple_ptr(op)[0]);
        incr = tuple_ptr(op)[1];
        if (tuple_size(op) == 4) {
            thr = tuple_ptr(op)[2];
            set = tuple_ptr(op)[3];
            if (!is_integer(thr) || !is_integer(set))
                return NONV;
        }
    }
    if (pos < 1 || (uint64_t)pos > tuple_size(o) || pos == (SInt)t->keypos ||
            !is_integer(incr) || !is_integer(tuple_ptr(o)[pos - 1]))
        return NONV;
    Term v = arith_add(p, tuple_ptr(o)[pos - 1], incr);
    if (thr != NONV) {
        int neg = int_cmp(incr, make_small(0)) < 0;
        if ((!neg && int_cmp(v, thr) > 0) || (neg && int_cmp(v, thr) < 0))
            v = set;
    }
    tuple_ptr(o)[pos - 1] = v;
    return v;
}

static Term update_counter(Proc *p, Term *a, Term dflt)
{
    Table *t = find_table(a[0]);
    if (t == NULL || (t->kind != ATOM_set && t->kind != ATOM_ordered_set))
        return badarg(p);
    uint64_t i;
    Term o = object_for_update(p, t, a[1], &i);
    if (o == NONV) {
        if (dflt == NONV || !valid_obj(t, dflt))
            return badarg(p);
        Term d = tuple_copy(p, dflt);       /* the default object, with the key given */
        tuple_ptr(d)[t->keypos - 1] = a[1];
        insert_one(t, d);
        o = object_for_update(p, t, a[1], &i);
    }
    Term r;
    if (is_list(a[2])) {
        Term vals[64];
        uint64_t n = 0;
        for (Term l = a[2]; is_cons(l); l = CDR(l)) {
            if (n == 64 || (vals[n++] = counter_op(p, t, o, CAR(l))) == NONV)
                return badarg(p);
        }
        r = NIL;
        while (n > 0)
            r = cons(p, vals[--n], r);
    } else if ((r = counter_op(p, t, o, a[2])) == NONV) {
        return badarg(p);
    }
    store_at(t, i, o);
    return r;
}
BIF(bif_ets_update_counter) { return update_counter(p, a, NONV); }
BIF(bif_ets_update_counter4) { return update_counter(p, a, a[3]); }

/* ets:safe_fixtable/2 (ets:foldl and friends): the tables here are sorted
 * arrays walked by key, which stays safe while they change: nothing to fix */
BIF(bif_ets_safe_fixtable)
{
    if (find_table(a[0]) == NULL || (a[1] != AM(true) && a[1] != AM(false)))
        return badarg(p);
    return AM(true);
}

/* ets:match/3 and match_object/3 are select/3 over [{Pattern, [], ['$$' | '$_']}];
 * their continuations are select's (match/1, match_object/1) */
static Term match_limit(Proc *p, Term *a, const char *body)
{
    Term ms = cons(p, mk_tuple3(p, a[1], NIL, cons(p, atom_from(body, 2, 1), NIL)), NIL);
    Term args[3] = {a[0], ms, a[2]};
    return bif_ets_select3(p, args);
}
BIF(bif_ets_match3) { return match_limit(p, a, "$$"); }
BIF(bif_ets_match_object3) { return match_limit(p, a, "$_"); }
BIF(bif_ets_match1) { return bif_ets_select1(p, a); }
